#include "engine/returning.h"

#include <utility>

#include "engine/analyze/bind_subquery.h"
#include "engine/executor.h"
#include "engine/plan/instantiate.h"
#include "engine/session.h"

namespace sqlrite::engine {

Status Returning::Bind(ExecContext& ctx, const Scope& scope,
                       const std::vector<ast::SelectItem>& list) {
  if (list.empty()) return Ok();
  active = true;
  QuerySubqueries subqueries(ctx, ctx.ctes);
  Binder binder(scope);
  binder.SetSubqueries(&subqueries);
  binder.SetClause("RETURNING");
  SQLRITE_ASSIGN_OR_RETURN(items, BindSelectItems(binder, scope, list));
  for (BoundExpr& e : items.exprs) {
    if (!plan::HasSubquery(e)) continue;
    if (!rctx) {
      rctx = std::make_unique<exec::ReadContext>(
          exec::ReadContext{ctx.db.pager(), ctx.session.StatementInterruptCheck()});
    }
    plan::InstantiateSubqueries(e, *rctx);
  }
  return Ok();
}

Status Returning::Emit(const Row& row, QueryResult& result) const {
  if (!active) return Ok();
  Row out;
  out.reserve(items.exprs.size());
  for (const BoundExpr& e : items.exprs) {
    SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e, EvalContext{row.data(), nullptr}));
    out.push_back(std::move(v));
  }
  result.rows.push_back(std::move(out));
  return Ok();
}

void Returning::Finish(QueryResult& result) {
  if (!active) return;
  result.returns_rows = true;
  result.columns = std::move(items.columns);
}

}  // namespace sqlrite::engine
