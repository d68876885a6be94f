#include "engine/exec/semi_probe.h"

#include <utility>
#include <vector>

#include "common/assert.h"

namespace sqlrite::engine::exec {
namespace {

constexpr size_t kBatchRows = 256;

// Rows read ahead, then the rest of the input they came from.
class Replay : public Operator {
 public:
  Replay(std::vector<Row> rows, OperatorPtr rest)
      : rows_(std::move(rows)), rest_(std::move(rest)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    if (next_ < rows_.size()) {
      out.Clear();
      while (out.size < max_rows && next_ < rows_.size()) out.Add() = std::move(rows_[next_++]);
      if (next_ == rows_.size()) rows_ = {};
      return true;
    }
    if (rest_ == nullptr) {
      out.Clear();
      return false;
    }
    return rest_->Next(max_rows, out);
  }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
  OperatorPtr rest_;  // null: the rows were the whole input
};

class ProbingSemiJoin : public Operator {
 public:
  ProbingSemiJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right, JoinSpec spec,
                  LateralFactory probe, size_t probe_rows)
      : ctx_(ctx),
        left_(std::move(left)),
        right_(std::move(right)),
        spec_(std::move(spec)),
        probe_(std::move(probe)),
        probe_rows_(probe_rows) {
    SQLRITE_ASSERT((spec_.kind == JoinKind::kSemi || spec_.kind == JoinKind::kAnti) &&
                   spec_.left_keys.size() == 1 && !spec_.residual);
  }

  void ReportFacts(OperatorFacts& facts) const override {
    if (hash_ != nullptr) hash_->ReportFacts(facts);
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    if (!decided_) SQLRITE_TRY(Decide());
    if (hash_ != nullptr) return hash_->Next(max_rows, out);
    out.Clear();
    std::vector<Datum> values(1);
    while (out.size < max_rows && next_ < rows_.size()) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Row& row = rows_[next_++];
      SQLRITE_ASSIGN_OR_RETURN(values[0],
                               Eval(spec_.left_keys[0], EvalContext{row.data(), nullptr}));
      bool found = false;
      if (!IsNull(values[0])) {
        OperatorPtr right = probe_(values);
        SQLRITE_ASSIGN_OR_RETURN(found, right->Next(1, probed_));
      }
      if (found == (spec_.kind == JoinKind::kSemi)) out.Add() = std::move(row);
    }
    return !out.empty();
  }

 private:
  Status Decide() {
    decided_ = true;
    Batch batch;
    bool ended = false;
    while (rows_.size() <= probe_rows_) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, left_->Next(kBatchRows, batch));
      if (!more) {
        ended = true;
        break;
      }
      for (size_t i = 0; i < batch.size; ++i) rows_.push_back(std::move(batch[i]));
    }
    if (ended) {
      left_.reset();
      right_.reset();
      return Ok();
    }
    hash_ = MakeHashJoin(ctx_, std::make_unique<Replay>(std::move(rows_), std::move(left_)),
                         std::move(right_), std::move(spec_));
    rows_ = {};
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr left_, right_;
  JoinSpec spec_;
  LateralFactory probe_;
  size_t probe_rows_;
  bool decided_ = false;
  std::vector<Row> rows_;  // probing: the whole left input
  size_t next_ = 0;
  Batch probed_;
  OperatorPtr hash_;  // set: the left input was too big to probe
};

}  // namespace

OperatorPtr MakeProbingSemiJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right,
                                JoinSpec spec, LateralFactory probe, size_t probe_rows) {
  return std::make_unique<ProbingSemiJoin>(ctx, std::move(left), std::move(right), std::move(spec),
                                           std::move(probe), probe_rows);
}

}  // namespace sqlrite::engine::exec
