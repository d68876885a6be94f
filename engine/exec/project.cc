#include "engine/exec/project.h"

#include <utility>

#include "engine/exec/rebind_params.h"

namespace sqlrite::engine::exec {
namespace {

class Project final : public Operator {
 public:
  Project(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> exprs, size_t agg_offset,
          bool single_row)
      : ctx_(ctx),
        input_(std::move(input)),
        exprs_(std::move(exprs)),
        agg_offset_(agg_offset),
        single_row_(single_row) {
    // SELECT * (or a leading run of the columns in order): the input row becomes the output row,
    // its values moved rather than copied.
    identity_ = agg_offset_ == kNoAggregates;
    for (size_t i = 0; i < exprs_.size() && identity_; ++i) {
      identity_ = exprs_[i].kind == ExprKind::kColumn && exprs_[i].index == static_cast<int>(i);
    }
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(max_rows, in_));
    if (!more) return false;
    for (size_t r = 0; r < in_.size; ++r) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      if (identity_ && in_[r].size() >= exprs_.size()) {
        Row& row = out.Add();
        std::swap(row, in_[r]);
        row.resize(exprs_.size());
        continue;
      }
      const EvalContext ectx = RowContext(in_[r], agg_offset_);
      Row& row = out.Add();
      row.clear();
      row.reserve(exprs_.size());
      for (BoundExpr& e : exprs_) {
        if (single_row_ && e.kind == ExprKind::kConst) {
          row.push_back(std::move(e.value));
          continue;
        }
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e, ectx));
        row.push_back(std::move(v));
      }
    }
    return true;
  }

  // Not a single-row projection's: its run moved its constants' values out.
  bool Rewind(const std::vector<Datum>* params) override {
    if (single_row_ || !input_->Rewind(params)) return false;
    in_.Shed();
    if (params != nullptr) RebindParams(exprs_, *params);
    return true;
  }

 private:
  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<BoundExpr> exprs_;
  size_t agg_offset_;
  bool single_row_;
  bool identity_ = false;
  Batch in_;
};

}  // namespace

OperatorPtr MakeProject(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> exprs,
                        size_t agg_offset, bool single_row) {
  return std::make_unique<Project>(ctx, std::move(input), std::move(exprs), agg_offset, single_row);
}

}  // namespace sqlrite::engine::exec
