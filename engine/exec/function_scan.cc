#include "engine/exec/function_scan.h"

#include <memory>
#include <utility>
#include <vector>

#include "engine/functions/builtin.h"
#include "engine/record_type.h"

namespace sqlrite::engine::exec {
namespace {

class FunctionScan final : public Operator {
 public:
  FunctionScan(ReadContext& ctx, BoundExpr call, bool ordinality, size_t fields)
      : ctx_(ctx), call_(std::move(call)), ordinality_(ordinality), fields_(fields) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!opened_) {
      opened_ = true;
      SQLRITE_TRY(Open());
    }
    while (!done_ && out.size < max_rows) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Datum value;
      if (generator_ != nullptr) {
        SQLRITE_ASSIGN_OR_RETURN(bool more, generator_->Next(value));
        if (!more) {
          done_ = true;
          break;
        }
      } else {
        value = std::move(single_);
        done_ = true;  // a plain expression's one row
      }
      Row& row = out.Add();
      row.resize(fields_ + (ordinality_ ? 1 : 0));
      if (fields_ == 1) {
        row[0] = std::move(value);
      } else {
        // A record's fields, each a column (NULL fields for a NULL record).
        for (size_t i = 0; i < fields_ && !IsNull(value); ++i) {
          SQLRITE_ASSIGN_OR_RETURN(row[i], record::Field(std::get<std::string>(value), i));
        }
      }
      if (ordinality_) row[fields_] = ++count_;
    }
    return !out.empty();
  }

 private:
  Status Open() {
    const functions::Builtin* fn = call_.kind == ExprKind::kBuiltin ? call_.builtin : nullptr;
    if (fn == nullptr || fn->set_impl == nullptr) {
      SQLRITE_ASSIGN_OR_RETURN(single_, Eval(call_, EvalContext{}));
      return Ok();
    }
    std::vector<Datum> values;
    std::vector<SqlType> types;
    for (const BoundExpr& a : call_.args) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(a, EvalContext{}));
      if (fn->strict && IsNull(v)) {
        done_ = true;
        return Ok();
      }
      values.push_back(std::move(v));
      types.push_back(a.type);
    }
    SQLRITE_ASSIGN_OR_RETURN(generator_, fn->set_impl(functions::CallArgs{values, types}));
    return Ok();
  }

  ReadContext& ctx_;
  BoundExpr call_;
  bool ordinality_;
  size_t fields_;  // the columns of each value (a record's fields)
  bool opened_ = false;
  bool done_ = false;
  std::unique_ptr<functions::RowGenerator> generator_;
  Datum single_;
  int64_t count_ = 0;
};

}  // namespace

OperatorPtr MakeFunctionScan(ReadContext& ctx, BoundExpr call, bool ordinality, size_t fields) {
  return std::make_unique<FunctionScan>(ctx, std::move(call), ordinality, fields);
}

}  // namespace sqlrite::engine::exec
