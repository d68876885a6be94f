// Row values as expressions (engine/row_value.h): ROW(...) and (a, b) where PostgreSQL makes a
// record of them (anywhere but beside a comparison, which engine/row_compare.cc binds pair by
// pair), and whole-row references (`t`, `t.*` in an expression), which PostgreSQL reads as a
// record of the FROM item's columns, of the table's row type.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/sqlstate.h"
#include "engine/expression.h"
#include "engine/row_value.h"

namespace sqlrite::engine {
namespace {

// PostgreSQL's MaxTupleAttributeNumber: a row constructor of more entries is refused.
constexpr size_t kMaxRowEntries = 1664;

BoundExpr RowCtor(std::vector<row_value::Field> fields, std::vector<BoundExpr> args,
                  uint32_t row_type, int location) {
  BoundExpr e;
  e.kind = ExprKind::kRowCtor;
  e.type = SqlType{TypeId::kRecord, -1, TypeId::kUnknown, row_type};
  e.value = Datum(row_value::EncodeDescriptor(fields));
  e.location = location;
  e.args = std::move(args);
  return e;
}

}  // namespace

Result<BoundExpr> Binder::BindRowValue(const ast::RowExpr& row, int location) {
  if (row.args.size() > kMaxRowEntries) {
    return Fail(
        Error(sqlstate::kProgramLimitExceeded,
              "target lists can have at most " + std::to_string(kMaxRowEntries) + " entries")
            .WithPosition(location >= 0 ? location + 1 : 0));
  }
  std::vector<row_value::Field> fields;
  std::vector<BoundExpr> args;
  bool constant = true;
  for (size_t i = 0; i < row.args.size(); ++i) {
    if (const auto* ref = std::get_if<ast::ColumnRef>(&row.args[i]->node);
        ref != nullptr && ref->column == "*") {
      // ROW(t.*, x): t.* stands for t's columns, each a field of its own, as in PostgreSQL.
      SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> whole,
                               BindWholeRow(*ref, row.args[i]->location));
      if (whole) {
        // Its columns only: ROW(t.*) is a record of them even where t is null-extended.
        if (whole->index >= 0) whole->args.resize(static_cast<size_t>(whole->index));
        for (BoundExpr& column : whole->args) {
          constant = constant && column.IsConst();
          fields.push_back(row_value::Field{"f" + std::to_string(fields.size() + 1), column.type});
          args.push_back(std::move(column));
        }
        continue;
      }
    }
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr arg, Bind(*row.args[i]));
    // An unknown literal stays unknown in a record, as in PostgreSQL (printed as written; a
    // comparison with a text field is "dissimilar column types text and unknown").
    constant = constant && arg.IsConst();
    fields.push_back(row_value::Field{"f" + std::to_string(fields.size() + 1), arg.type});
    args.push_back(std::move(arg));
  }
  BoundExpr e = RowCtor(std::move(fields), std::move(args), 0, location);
  if (!constant) return e;
  // Folded as the binder folds every constant expression; the arguments stay, so that a field
  // selection ((ROW(1, 2)).f1) still finds them.
  std::vector<Datum> values;
  for (const BoundExpr& a : e.args) values.push_back(a.value);
  BoundExpr folded = e;
  folded.value = row_value::Make(DatumAs<std::string>(e.value), values);
  folded.kind = ExprKind::kConst;
  folded.args.clear();
  return folded;
}

Result<std::optional<BoundExpr>> Binder::BindWholeRow(const ast::ColumnRef& ref, int location) {
  const bool star = ref.column == "*";
  if (!star && !ref.table.empty()) return std::optional<BoundExpr>();
  const std::string& name = star ? ref.table : ref.column;
  // The innermost query level that has a FROM item of the name.
  const Binder* level = this;
  std::vector<size_t> columns;
  for (; level != nullptr; level = level->outer_ != nullptr ? level->outer_->binder : nullptr) {
    for (size_t i = 0; i < level->scope_->size(); ++i) {
      const ScopeColumn& c = (*level->scope_)[i];
      if (c.table == name && !c.hidden) columns.push_back(i);
    }
    if (!columns.empty()) break;
  }
  if (columns.empty()) return std::optional<BoundExpr>();
  std::vector<row_value::Field> fields;
  std::vector<BoundExpr> args;
  uint32_t table_oid = (*level->scope_)[columns[0]].table_oid;
  for (size_t i : columns) {
    const ScopeColumn& c = (*level->scope_)[i];
    if (c.table_oid != table_oid) table_oid = 0;
    fields.push_back(row_value::Field{c.name, c.type});
    if (level == this) {
      if (std::optional<Error> refused = LateralError(ref, i, location)) {
        return Fail(std::move(*refused));
      }
      BoundExpr col;
      col.kind = ExprKind::kColumn;
      col.index = static_cast<int>(i);
      col.location = location;
      col.type = c.type;
      args.push_back(std::move(col));
      continue;
    }
    // A FROM item of an enclosing query: each column an outer reference, as Lookup makes it.
    SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> outer,
                             Lookup(ast::ColumnRef{name, c.name}, location));
    if (!outer) return std::optional<BoundExpr>();
    args.push_back(std::move(*outer));
  }
  int marker = -1;
  if (level != this && outer_ != nullptr && outer_->binder != nullptr &&
      outer_->values != nullptr) {
    // The enclosing query's own whole row, one more outer value: where its planner finds the
    // item null-extended, that value is NULL, and so is this record (args[index]).
    SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> outside,
                             outer_->binder->BindWholeRow(ref, location));
    if (outside) {
      BoundExpr slot;
      slot.kind = ExprKind::kOuterRef;
      slot.type = outside->type;
      slot.location = location;
      slot.index = static_cast<int>(outer_->values->size());
      outer_->values->push_back(std::move(*outside));
      marker = static_cast<int>(args.size());
      args.push_back(std::move(slot));
    }
  }
  BoundExpr e = RowCtor(std::move(fields), std::move(args),
                        table_oid != 0 ? row_value::RowTypeOid(table_oid) : 0, location);
  // flag: a whole-row reference, which the planner may give the marker of the outer join that
  // pads its FROM item (engine/plan/null_extension.h), so that it is NULL where padded; index:
  // the argument holding that marker (-1: none yet), after the fields' arguments.
  e.flag = true;
  e.index = marker;
  return std::optional<BoundExpr>(std::move(e));
}

}  // namespace sqlrite::engine
