#include "engine/exec/lateral_join.h"

#include <utility>

#include "common/assert.h"

namespace sqlrite::engine::exec {
namespace {

class LateralJoin final : public Operator {
 public:
  LateralJoin(ReadContext& ctx, OperatorPtr left, std::vector<BoundExpr> values,
              LateralFactory right, JoinKind kind, size_t left_width, size_t right_width,
              std::optional<BoundExpr> condition)
      : ctx_(ctx),
        left_(std::move(left)),
        values_(std::move(values)),
        factory_(std::move(right)),
        kind_(kind),
        left_width_(left_width),
        right_width_(right_width),
        condition_(std::move(condition)) {
    SQLRITE_ASSERT(kind == JoinKind::kInner || kind == JoinKind::kLeft);
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows) {
      if (right_ == nullptr) {
        // The next left row, and its right side.
        if (left_pos_ >= left_batch_.size) {
          if (left_done_) break;
          SQLRITE_ASSIGN_OR_RETURN(bool more, left_->Next(kBatchRows, left_batch_));
          left_pos_ = 0;
          if (!more) {
            left_done_ = true;
            break;
          }
        }
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        const Row& row = left_batch_[left_pos_];
        std::vector<Datum> values;
        values.reserve(values_.size());
        for (const BoundExpr& v : values_) {
          SQLRITE_ASSIGN_OR_RETURN(Datum d, Eval(v, EvalContext{row.data(), nullptr}));
          values.push_back(std::move(d));
        }
        right_ = factory_(values);
        matched_ = false;
      }
      const Row& left_row = left_batch_[left_pos_];
      SQLRITE_ASSIGN_OR_RETURN(bool more, right_->Next(max_rows - out.size, right_batch_));
      if (!more) {
        if (kind_ == JoinKind::kLeft && !matched_) {
          Row& joined = out.Add();
          joined.assign(left_row.begin(),
                        left_row.begin() + static_cast<std::ptrdiff_t>(left_width_));
          joined.resize(left_width_ + right_width_);
        }
        right_.reset();
        ++left_pos_;
        continue;
      }
      for (size_t r = 0; r < right_batch_.size; ++r) {
        Row& joined = out.Add();
        joined.assign(left_row.begin(),
                      left_row.begin() + static_cast<std::ptrdiff_t>(left_width_));
        Row& right_row = right_batch_[r];
        for (size_t c = 0; c < right_width_; ++c) joined.push_back(std::move(right_row[c]));
        if (condition_) {
          SQLRITE_ASSIGN_OR_RETURN(bool pass,
                                   EvalCondition(*condition_, EvalContext{joined.data(), nullptr}));
          if (!pass) {
            out.DropLast();
            continue;
          }
        }
        matched_ = true;
      }
    }
    return out.size > 0;
  }

 private:
  ReadContext& ctx_;
  OperatorPtr left_;
  std::vector<BoundExpr> values_;
  LateralFactory factory_;
  JoinKind kind_;
  size_t left_width_, right_width_;
  std::optional<BoundExpr> condition_;
  Batch left_batch_;
  size_t left_pos_ = 0;
  bool left_done_ = false;
  OperatorPtr right_;  // the current left row's right side; null between left rows
  Batch right_batch_;
  bool matched_ = false;
};

}  // namespace

OperatorPtr MakeLateralJoin(ReadContext& ctx, OperatorPtr left, std::vector<BoundExpr> values,
                            LateralFactory right, JoinKind kind, size_t left_width,
                            size_t right_width, std::optional<BoundExpr> condition) {
  return std::make_unique<LateralJoin>(ctx, std::move(left), std::move(values), std::move(right),
                                       kind, left_width, right_width, std::move(condition));
}

}  // namespace sqlrite::engine::exec
