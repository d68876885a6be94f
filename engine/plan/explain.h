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
//
// analyze (EXPLAIN ANALYZE): the counters of an execution of this plan's operators, built by
// Instantiate over a ReadContext carrying them. Each node line then ends with PostgreSQL's
// " (actual time=S..T rows=R loops=L)" (" (actual rows=R loops=L)" without timing; " (never
// executed)" for a node never run), figures per loop as PostgreSQL prints them (rows the
// average, rounded), and the detail lines PostgreSQL adds where the operators know the fact:
// Rows Removed by Filter / by Join Filter, Sort Method, a hashed aggregate's Batches and Memory
// Usage, a hash join's Buckets, Batches and Memory Usage. The lines of nodes of ours PostgreSQL
// has none for are derived as its nodes would count: a Materialize on a nested loop's inner side
// has a loop per outer row; a Filter folded into the node below gives that node its rows.

#include <string>
#include <vector>

#include "engine/exec/instrument.h"
#include "engine/plan/plan.h"

namespace sqlrite::engine::plan {

std::vector<std::string> ExplainPlan(const Plan& plan, bool costs,
                                     const exec::Instrumentation* analyze = nullptr);

}  // namespace sqlrite::engine::plan
