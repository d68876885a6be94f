#pragma once
// EXPLAIN: a plan (plan.h) as the lines of PostgreSQL's text format: one line per node with its
// children below it ("->  "), PostgreSQL's node names (Seq Scan on t, Index Scan using t_pkey on
// t, Hash Join over Hash, Nested Loop, HashAggregate, Aggregate, Sort, Limit, Result) and their
// detail lines (Index Cond, Filter, Hash Cond, Join Filter, Group Key, Sort Key), expressions
// printed as PostgreSQL deparses them ("(a.k = b.k)", column names qualified when the query has
// more than one table).
//
// Nodes of ours PostgreSQL has no node for are folded in as it would show them: a Filter's
// condition is a "Filter:" line of the node below it, a Project disappears (every PostgreSQL node
// projects), Distinct is a HashAggregate keyed by the output columns.
//
// costs: each node line ends with "  (cost=S..T rows=R width=W)". The figures are this planner's
// own estimates (no statistics: a table of unknown size is taken as 1000 rows), printed in
// PostgreSQL's format; they are not PostgreSQL's figures.

#include <string>
#include <vector>

#include "engine/plan/plan.h"

namespace sqlrite::engine::plan {

std::vector<std::string> ExplainPlan(const Plan& plan, bool costs);

}  // namespace sqlrite::engine::plan
