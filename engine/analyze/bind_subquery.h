#pragma once
// Subqueries in expressions, as PostgreSQL's transformSubLink: the subquery is bound as a query of
// its own whose binders look up the names their scope lacks in the enclosing query's (a Scope
// chain: the innermost level that has the name wins; engine/expression.h's OuterQuery), then
// planned at once. The result is a kSubquery node: its plan (engine/plan/subquery_link.h), the
// outer values it reads as arguments, its type (the column's for a scalar subquery, boolean
// otherwise).
//
// Errors, as PostgreSQL's: 42601 "subquery must return only one column" (scalar), "subquery has
// too many columns" (ANY / ALL / IN), "subquery has too few columns" (a row on the left); the
// comparison's own (42883) for ANY / ALL.

#include "engine/analyze/bind_select.h"

namespace sqlrite::engine {

// The subquery binder of one query level: installed on every Binder of that query.
class QuerySubqueries final : public SubqueryBinder {
 public:
  // ctes: the WITH queries the subqueries may name (those in scope where they are written);
  // depth: the subqueries around the query they are written in.
  QuerySubqueries(ExecContext& ctx, const CteScope* ctes, int depth = 0)
      : ctx_(ctx), ctes_(ctes), depth_(depth) {}

  // Subqueries nested deeper are refused (54001), as PostgreSQL's stack depth check would:
  // binding, planning and instantiation recurse once per level.
  static constexpr int kMaxDepth = 48;

  Result<BoundExpr> BindSubLink(const ast::SubLink& link, Binder& binder, int location) override;
  Result<BoundExpr> BindRowCompareSubLink(const ast::SubLink& link, ast::BinaryOp op,
                                          const ast::RowExpr& row, Binder& binder,
                                          int location) override;

 private:
  ExecContext& ctx_;
  const CteScope* ctes_;
  int depth_;
};

}  // namespace sqlrite::engine
