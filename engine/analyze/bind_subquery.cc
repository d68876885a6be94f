#include "engine/analyze/bind_subquery.h"

#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "engine/error_position.h"
#include "engine/plan/planner.h"
#include "engine/plan/subquery_link.h"

namespace sqlrite::engine {
namespace {

BoundExpr RowValue(int index, SqlType type) {
  BoundExpr e;
  e.kind = ExprKind::kColumn;
  e.index = index;
  e.type = type;
  return e;
}

SubqueryKind KindOf(ast::SubLink::Kind kind) {
  switch (kind) {
    case ast::SubLink::Kind::kScalar:
      return SubqueryKind::kScalar;
    case ast::SubLink::Kind::kExists:
      return SubqueryKind::kExists;
    case ast::SubLink::Kind::kAny:
      return SubqueryKind::kAny;
    case ast::SubLink::Kind::kAll:
      return SubqueryKind::kAll;
    case ast::SubLink::Kind::kArray:
      return SubqueryKind::kArray;
  }
  return SubqueryKind::kScalar;
}

// A row on the left of a subquery ((a, b) IN (SELECT x, y ...), (a, b) = (SELECT x, y)): its
// items bound into left (an unknown literal taking its column's type), and the row comparison
// over [left..., the subquery row's values...]. 42601 when the widths differ.
Result<BoundExpr> BindRowOperand(Binder& binder, const std::vector<ast::ExprPtr>& items,
                                 const std::vector<ColumnInfo>& columns, ast::BinaryOp op,
                                 int location, std::vector<BoundExpr>& left) {
  if (columns.size() != items.size()) {
    return Fail(Error(sqlstate::kSyntaxError, columns.size() > items.size()
                                                  ? "subquery has too many columns"
                                                  : "subquery has too few columns")
                    .WithPosition(ErrorPosition(location)));
  }
  const size_t n = items.size();
  std::vector<BoundExpr> l, r;
  for (size_t i = 0; i < n; ++i) {
    const SqlType column{columns[i].type, columns[i].typmod};
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr item, binder.Bind(*items[i]));
    if (item.type.id == TypeId::kUnknown) {
      SQLRITE_ASSIGN_OR_RETURN(
          BoundExpr cmp,
          binder.BindComparison(ast::BinaryOp::kEq, std::move(item),
                                RowValue(static_cast<int>(n + i), column), location));
      item = std::move(cmp.args[0]);
    }
    l.push_back(RowValue(static_cast<int>(i), item.type));
    r.push_back(RowValue(static_cast<int>(n + i), column));
    left.push_back(std::move(item));
  }
  return binder.BindRowComparison(op, std::move(l), std::move(r), location);
}

}  // namespace

Result<BoundExpr> QuerySubqueries::BindSubLink(const ast::SubLink& link, Binder& binder,
                                               int location) {
  if (depth_ + 1 > kMaxDepth) {
    return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                    .WithHint("Simplify the query: subqueries are nested too deeply.")
                    .WithPosition(ErrorPosition(location)));
  }
  // The subquery first, then the left operand, as PostgreSQL orders them.
  std::vector<BoundExpr> values;
  const OuterQuery outer{&binder, &values};
  const BindEnv env{&outer, ctes_, depth_ + 1};
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindSelect(ctx_, *link.query, &env));
  const std::vector<ColumnInfo> columns = bound.items.columns;
  auto sub = std::make_shared<SubqueryLink>();
  sub->kind = KindOf(link.kind);
  sub->op = link.op;
  BoundExpr e;
  e.kind = ExprKind::kSubquery;
  e.location = location;
  e.type = SqlType{TypeId::kBool, -1};
  if (sub->kind == SubqueryKind::kScalar) {
    if (columns.size() != 1) {
      return Fail(Error(sqlstate::kSyntaxError, "subquery must return only one column")
                      .WithPosition(ErrorPosition(location)));
    }
    e.type = columns[0].sql_type();
  }
  if (sub->kind == SubqueryKind::kArray) {
    if (columns.size() != 1) {
      return Fail(Error(sqlstate::kSyntaxError, "subquery must return only one column")
                      .WithPosition(ErrorPosition(location)));
    }
    if (columns[0].type == TypeId::kArray) {
      return Fail(Error(sqlstate::kFeatureNotSupported,
                        "ARRAY() of arrays (multidimensional arrays) is not supported yet")
                      .WithPosition(ErrorPosition(location)));
    }
    if (!HasArrayType(columns[0].type)) {
      return Fail(Error(sqlstate::kUndefinedObject, "could not find array type for data type " +
                                                        SqlTypeName(columns[0].sql_type()))
                      .WithPosition(ErrorPosition(location)));
    }
    e.type = ArrayOf(SqlType{columns[0].type, -1});
    // The runner builds the array of the column's element type, which `combine` carries.
    sub->combine = RowValue(0, columns[0].sql_type());
  }
  std::vector<BoundExpr> left_row;
  const auto* row = sub->kind == SubqueryKind::kAny || sub->kind == SubqueryKind::kAll
                        ? std::get_if<ast::RowExpr>(&link.operand->node)
                        : nullptr;
  if (row != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(
        sub->combine, BindRowOperand(binder, row->args, columns, link.op, location, left_row));
    sub->row_width = left_row.size();
  }
  std::optional<BoundExpr> left;
  if (row == nullptr && (sub->kind == SubqueryKind::kAny || sub->kind == SubqueryKind::kAll)) {
    if (columns.size() > 1) {
      return Fail(Error(sqlstate::kSyntaxError, "subquery has too many columns")
                      .WithPosition(ErrorPosition(location)));
    }
    const SqlType column{columns[0].type, columns[0].typmod};
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr l, binder.Bind(*link.operand));
    if (l.type.id == TypeId::kUnknown) {
      // An untyped literal takes the column's type, as the comparison would give it.
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr cmp, binder.BindComparison(link.op, std::move(l),
                                                                    RowValue(1, column), location));
      l = std::move(cmp.args[0]);
    }
    SQLRITE_ASSIGN_OR_RETURN(sub->combine, binder.BindComparison(link.op, RowValue(0, l.type),
                                                                 RowValue(1, column), location));
    left = std::move(l);
  }
  sub->outer_count = values.size();
  SQLRITE_ASSIGN_OR_RETURN(sub->plan, plan::PlanSelect(std::move(bound)));
  e.args = std::move(values);
  if (left) e.args.push_back(std::move(*left));
  for (BoundExpr& l : left_row) e.args.push_back(std::move(l));
  e.subquery = std::move(sub);
  return e;
}

Result<BoundExpr> QuerySubqueries::BindRowCompareSubLink(const ast::SubLink& link, ast::BinaryOp op,
                                                         const ast::RowExpr& row, Binder& binder,
                                                         int location) {
  if (depth_ + 1 > kMaxDepth) {
    return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                    .WithHint("Simplify the query: subqueries are nested too deeply.")
                    .WithPosition(ErrorPosition(location)));
  }
  std::vector<BoundExpr> values;
  const OuterQuery outer{&binder, &values};
  const BindEnv env{&outer, ctes_, depth_ + 1};
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindSelect(ctx_, *link.query, &env));
  const std::vector<ColumnInfo> columns = bound.items.columns;
  auto sub = std::make_shared<SubqueryLink>();
  sub->kind = SubqueryKind::kRowCompare;
  sub->op = op;
  std::vector<BoundExpr> left_row;
  SQLRITE_ASSIGN_OR_RETURN(sub->combine,
                           BindRowOperand(binder, row.args, columns, op, location, left_row));
  sub->row_width = left_row.size();
  sub->outer_count = values.size();
  SQLRITE_ASSIGN_OR_RETURN(sub->plan, plan::PlanSelect(std::move(bound)));
  BoundExpr e;
  e.kind = ExprKind::kSubquery;
  e.location = location;
  e.type = SqlType{TypeId::kBool, -1};
  e.args = std::move(values);
  for (BoundExpr& l : left_row) e.args.push_back(std::move(l));
  e.subquery = std::move(sub);
  return e;
}

}  // namespace sqlrite::engine
