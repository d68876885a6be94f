#include "engine/exec/project_set.h"

#include <memory>
#include <utility>

#include "common/assert.h"
#include "engine/functions/builtin.h"

namespace sqlrite::engine::exec {
namespace {

class ProjectSet final : public Operator {
 public:
  ProjectSet(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> calls)
      : ctx_(ctx), input_(std::move(input)), calls_(std::move(calls)), generators_(calls_.size()) {
    for (const BoundExpr& c : calls_) {
      SQLRITE_ASSERT(c.kind == ExprKind::kBuiltin && c.builtin != nullptr &&
                     c.builtin->set_impl != nullptr);
    }
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows) {
      if (!active_) {
        // The next input row: start every call over it.
        if (in_pos_ == in_.size) {
          if (input_done_) break;
          // Every input row gives a row or more: no more input than the rows asked for.
          SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(max_rows - out.size, in_));
          in_pos_ = 0;
          if (!more) {
            input_done_ = true;
            break;
          }
        }
        SQLRITE_TRY(Start(in_[in_pos_]));
        active_ = true;
      }
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      // One step of every call; the row ends when none gave a value.
      Row values(calls_.size());
      bool any = false;
      for (size_t i = 0; i < calls_.size(); ++i) {
        if (generators_[i] == nullptr) continue;
        SQLRITE_ASSIGN_OR_RETURN(bool more, generators_[i]->Next(values[i]));
        if (!more) {
          generators_[i].reset();
          values[i] = Datum();
          continue;
        }
        any = true;
      }
      if (!any) {
        active_ = false;
        ++in_pos_;
        continue;
      }
      Row& row = out.Add();
      row = in_[in_pos_];
      for (Datum& v : values) row.push_back(std::move(v));
    }
    return !out.empty();
  }

 private:
  Status Start(const Row& row) {
    const EvalContext ectx{row.data(), nullptr};
    for (size_t i = 0; i < calls_.size(); ++i) {
      generators_[i].reset();
      const BoundExpr& call = calls_[i];
      std::vector<Datum> values;
      std::vector<SqlType> types;
      bool null_arg = false;
      for (const BoundExpr& a : call.args) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(a, ectx));
        null_arg |= IsNull(v);
        values.push_back(std::move(v));
        types.push_back(a.type);
      }
      if (call.builtin->strict && null_arg) continue;  // no rows, as PostgreSQL's strict SRF
      SQLRITE_ASSIGN_OR_RETURN(generators_[i],
                               call.builtin->set_impl(functions::CallArgs{values, types}));
    }
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<BoundExpr> calls_;
  std::vector<std::unique_ptr<functions::RowGenerator>> generators_;
  Batch in_;
  size_t in_pos_ = 0;
  bool input_done_ = false;
  bool active_ = false;  // generators_ run over in_[in_pos_]
};

}  // namespace

OperatorPtr MakeProjectSet(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> calls) {
  return std::make_unique<ProjectSet>(ctx, std::move(input), std::move(calls));
}

}  // namespace sqlrite::engine::exec
