#include "engine/exec/function_scan.h"

#include <memory>
#include <utility>
#include <vector>

#include "common/sqlstate.h"
#include "engine/functions/builtin.h"
#include "engine/record_type.h"

namespace sqlrite::engine::exec {
namespace {

Result<std::unique_ptr<functions::RowGenerator>> RowsFromSetImpl(const functions::CallArgs&) {
  return Fail(sqlstate::kInternalError, "ROWS FROM is run by its function scan");
}

// One call's rows: a set-returning call's generator, or a plain call's one value.
class CallRows {
 public:
  // Evaluates call's arguments (REQUIRES: call reads no column).
  static Result<CallRows> Open(const BoundExpr& call) {
    CallRows rows;
    const functions::Builtin* fn = call.kind == ExprKind::kBuiltin ? call.builtin : nullptr;
    if (fn == nullptr || fn->set_impl == nullptr) {
      SQLRITE_ASSIGN_OR_RETURN(rows.single_, Eval(call, EvalContext{}));
      rows.single_left_ = true;
      return rows;
    }
    std::vector<Datum> values;
    std::vector<SqlType> types;
    for (const BoundExpr& a : call.args) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(a, EvalContext{}));
      if (fn->strict && IsNull(v)) return rows;  // no rows
      values.push_back(std::move(v));
      types.push_back(a.type);
    }
    SQLRITE_ASSIGN_OR_RETURN(rows.generator_, fn->set_impl(functions::CallArgs{values, types}));
    return rows;
  }
  // The next value into out; false once the call has run out (and ever after).
  Result<bool> Next(Datum& out) {
    if (generator_ != nullptr) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, generator_->Next(out));
      if (!more) generator_.reset();
      return more;
    }
    if (!single_left_) return false;
    single_left_ = false;
    out = std::move(single_);
    return true;
  }

 private:
  std::unique_ptr<functions::RowGenerator> generator_;
  Datum single_;
  bool single_left_ = false;
};

// Puts value's columns at row[at...]: itself, or a record's fields (NULLs for a NULL record).
Status PutColumns(Datum value, size_t fields, Row& row, size_t at) {
  if (fields == 1) {
    row[at] = std::move(value);
    return Ok();
  }
  for (size_t i = 0; i < fields && !IsNull(value); ++i) {
    SQLRITE_ASSIGN_OR_RETURN(row[at + i], record::Field(std::get<std::string>(value), i));
  }
  return Ok();
}

// ROWS FROM: the calls' rows side by side (engine/exec/function_scan.h).
class RowsFromScan final : public Operator {
 public:
  RowsFromScan(ReadContext& ctx, BoundExpr call, bool ordinality)
      : ctx_(ctx), call_(std::move(call)), ordinality_(ordinality) {
    for (const BoundExpr& c : call_.args) {
      widths_.push_back(FunctionColumns(c, true));
      width_ += widths_.back();
    }
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!opened_) {
      opened_ = true;
      for (const BoundExpr& c : call_.args) {
        SQLRITE_ASSIGN_OR_RETURN(CallRows rows, CallRows::Open(c));
        calls_.push_back(std::move(rows));
      }
    }
    std::vector<Datum> values(calls_.size());
    std::vector<bool> got(calls_.size());
    while (!done_ && out.size < max_rows) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      bool any = false;
      for (size_t i = 0; i < calls_.size(); ++i) {
        values[i] = Datum();
        SQLRITE_ASSIGN_OR_RETURN(bool more, calls_[i].Next(values[i]));
        got[i] = more;
        any |= more;
      }
      if (!any) {
        done_ = true;
        break;
      }
      Row& row = out.Add();
      row.assign(width_ + (ordinality_ ? 1 : 0), Datum());
      size_t at = 0;
      for (size_t i = 0; i < calls_.size(); ++i) {
        if (got[i]) SQLRITE_TRY(PutColumns(std::move(values[i]), widths_[i], row, at));
        at += widths_[i];
      }
      if (ordinality_) row[width_] = ++count_;
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  BoundExpr call_;
  bool ordinality_;
  std::vector<size_t> widths_;  // per call: its columns
  size_t width_ = 0;
  bool opened_ = false;
  bool done_ = false;
  std::vector<CallRows> calls_;
  int64_t count_ = 0;
};

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

const functions::Builtin& RowsFromFunction() {
  static const functions::Builtin kRowsFrom = [] {
    functions::Builtin b;
    b.name = "ROWS FROM";
    b.result = TypeId::kRecord;
    b.strict = false;
    b.foldable = false;
    b.set_impl = RowsFromSetImpl;
    return b;
  }();
  return kRowsFrom;
}

size_t FunctionColumns(const BoundExpr& call, bool expand_records) {
  if (call.kind == ExprKind::kBuiltin && call.builtin == &RowsFromFunction()) {
    size_t n = 0;
    for (const BoundExpr& c : call.args) n += FunctionColumns(c, true);
    return n;
  }
  const record::Shape* shape =
      expand_records && call.type.id == TypeId::kRecord ? record::Find(call.type.typmod) : nullptr;
  return shape != nullptr ? shape->fields.size() : 1;
}

OperatorPtr MakeFunctionScan(ReadContext& ctx, BoundExpr call, bool ordinality, size_t fields) {
  if (call.kind == ExprKind::kBuiltin && call.builtin == &RowsFromFunction()) {
    return std::make_unique<RowsFromScan>(ctx, std::move(call), ordinality);
  }
  return std::make_unique<FunctionScan>(ctx, std::move(call), ordinality, fields);
}

}  // namespace sqlrite::engine::exec
