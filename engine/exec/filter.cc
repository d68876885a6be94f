#include "engine/exec/filter.h"

#include <utility>

#include "engine/exec/rebind_params.h"

namespace sqlrite::engine::exec {
namespace {

class Filter final : public Operator {
 public:
  Filter(ReadContext& ctx, OperatorPtr input, BoundExpr condition, size_t agg_offset)
      : ctx_(ctx),
        input_(std::move(input)),
        condition_(std::move(condition)),
        agg_offset_(agg_offset) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    // Until a row passes or the input ends: a batch is never empty while rows remain.
    while (out.empty()) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(max_rows, in_));
      if (!more) return false;
      for (size_t i = 0; i < in_.size; ++i) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        SQLRITE_ASSIGN_OR_RETURN(bool pass,
                                 EvalCondition(condition_, RowContext(in_[i], agg_offset_)));
        if (pass) std::swap(out.Add(), in_[i]);  // swap: both batches keep their slots
      }
    }
    return true;
  }

  bool Rewind(const std::vector<Datum>* params) override {
    if (!input_->Rewind(params)) return false;
    in_.Shed();
    if (params != nullptr) RebindParams(condition_, *params);
    return true;
  }

 private:
  ReadContext& ctx_;
  OperatorPtr input_;
  BoundExpr condition_;
  size_t agg_offset_;
  Batch in_;
};

}  // namespace

OperatorPtr MakeFilter(ReadContext& ctx, OperatorPtr input, BoundExpr condition,
                       size_t agg_offset) {
  return std::make_unique<Filter>(ctx, std::move(input), std::move(condition), agg_offset);
}

}  // namespace sqlrite::engine::exec
