#pragma once
// A plan's operators for one execution: Instantiate walks a plan (plan.h) and builds the
// operator of each node (engine/exec/) over ctx, copying the expressions it needs, so the plan
// itself stays untouched and may be instantiated again (a prepared statement's next Execute,
// another thread's snapshot read).

#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/plan/plan.h"

namespace sqlrite::engine::plan {

// params: the values of the plan's parameter references (ExprKind::kParam, a prepared
// statement's kept plan), put into the operators' copies of the expressions.
// rewindable (when given): set to whether the tree's expressions can take another execution's
// values (exec::RebindParams): false when a subquery got run state, an expression was folded
// with this execution's values, or the plan held a constant marked as a parameter already.
// Whether each operator can rewind is the operator's answer (Operator::Rewind).
// REQUIRES: ctx and every TableDef the plan names outlive the operators; params when the plan
// refers to parameters, holding a value of each one's type.
exec::OperatorPtr Instantiate(const Node& node, exec::ReadContext& ctx,
                              const std::vector<Datum>* params = nullptr,
                              bool* rewindable = nullptr);

// Instantiate for a plan used once: the expressions are moved into the operators, not copied
// (a SELECT of a 50 MB literal holds it once, tests/e2e/query_memory.py).
exec::OperatorPtr InstantiateOnce(Plan&& plan, exec::ReadContext& ctx);

// Makes the subqueries of an expression evaluated outside a plan (an UPDATE's or DELETE's
// WHERE) runnable over ctx. REQUIRES: ctx outlives e's evaluations.
void InstantiateSubqueries(BoundExpr& e, exec::ReadContext& ctx);
// Whether e holds a subquery anywhere (InstantiateSubqueries has something to do).
bool HasSubquery(const BoundExpr& e);

}  // namespace sqlrite::engine::plan
