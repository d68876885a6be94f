#include "engine/exec/cross_join.h"

#include <utility>

namespace sqlrite::engine::exec {
namespace {

class CrossJoin final : public Operator {
 public:
  CrossJoin(ReadContext& ctx, OperatorPtr outer, OperatorPtr inner)
      : ctx_(ctx), outer_(std::move(outer)), inner_(std::move(inner)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (done_) return false;
    if (!loaded_) {
      loaded_ = true;
      Batch batch;
      for (;;) {
        SQLRITE_ASSIGN_OR_RETURN(bool more, inner_->Next(kBatchRows, batch));
        if (!more) break;
        for (size_t i = 0; i < batch.size; ++i) inner_rows_.push_back(std::move(batch[i]));
      }
      inner_.reset();
      if (inner_rows_.empty()) {
        done_ = true;
        return false;
      }
    }
    while (out.size < max_rows) {
      if (next_outer_ == outer_batch_.size) {
        // The outer rows each pair with every inner row: ask for as many as the output needs.
        const size_t want = (max_rows - out.size + inner_rows_.size() - 1) / inner_rows_.size();
        SQLRITE_ASSIGN_OR_RETURN(bool more, outer_->Next(want, outer_batch_));
        next_outer_ = 0;
        if (!more) {
          done_ = true;
          break;
        }
      }
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      const Row& o = outer_batch_[next_outer_];
      const Row& i = inner_rows_[next_inner_];
      Row& row = out.Add();
      row.clear();
      row.reserve(o.size() + i.size());
      row.insert(row.end(), o.begin(), o.end());
      row.insert(row.end(), i.begin(), i.end());
      if (++next_inner_ == inner_rows_.size()) {
        next_inner_ = 0;
        ++next_outer_;
      }
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  OperatorPtr outer_;
  OperatorPtr inner_;
  bool loaded_ = false;
  bool done_ = false;
  std::vector<Row> inner_rows_;
  Batch outer_batch_;
  size_t next_outer_ = 0;
  size_t next_inner_ = 0;
};

}  // namespace

OperatorPtr MakeCrossJoin(ReadContext& ctx, OperatorPtr outer, OperatorPtr inner) {
  return std::make_unique<CrossJoin>(ctx, std::move(outer), std::move(inner));
}

}  // namespace sqlrite::engine::exec
