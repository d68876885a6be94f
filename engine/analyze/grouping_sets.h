#pragma once
// GROUP BY's grouping sets and GROUPING(), bound as PostgreSQL's parse analysis does
// (transformGroupClause, expand_grouping_sets, transformGroupingFunc), for the hash aggregate's
// one-pass run of every set (engine/exec/grouping_sets.h).
//
// GROUP BY a, ROLLUP (b, c) is the cross product of its items' sets: ROLLUP (e1, ..., en) gives
// its n + 1 prefixes, CUBE every subset (at most 12 elements: 54011), GROUPING SETS the sets of
// its elements in turn, () the empty set; a parenthesised list (a, b) is one element of several
// expressions. More than 4096 sets: 54001. Duplicate sets stay (each gives its rows), unless
// GROUP BY DISTINCT.

#include <cstddef>
#include <functional>
#include <vector>

#include "common/error.h"
#include "engine/exec/grouping_sets.h"
#include "engine/expression.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// The grouping sets of GROUP BY's items (ast::GroupingSet nodes and plain expressions), each a
// list of indices that `leaf` gives for its expressions (binding each, one index per distinct
// expression). distinct: GROUP BY DISTINCT (each set once). *has_sets: whether any item was a
// ROLLUP, CUBE, GROUPING SETS or (); without one the result is the one set of every item.
Result<std::vector<std::vector<size_t>>> ExpandGroupBy(
    const std::vector<ast::ExprPtr>& items, bool distinct,
    const std::function<Result<size_t>(const ast::Expr&)>& leaf, bool* has_sets);

// GROUPING(args) as Binder::BindFunc records it: an AggSpec count(DISTINCT *) (which no SQL
// spells) of type int4 whose arg's args are the bound arguments; GROUPING's 42803 and 54023
// checks are made by then.
AggSpec GroupingCallSpec(std::vector<BoundExpr> args);
bool IsGroupingCallSpec(const AggSpec& spec);

// Finishes an aggregated query with grouping sets (sets non-empty) or GROUPING() calls, after
// the grouping check (42803): checks each GROUPING() argument is a GROUP BY expression (42803
// otherwise), appends one slot per GROUP BY expression to *aggs and points every grouped
// expression of `post` (the expressions evaluated over the aggregate's rows: select list,
// HAVING, ORDER BY, windows) outside aggregates at it, so that a set without it reads NULL.
// sets empty: one set of every GROUP BY expression. The result is the aggregate's GroupingSets.
Result<exec::GroupingSets> FinishGroupingSets(const std::vector<BoundExpr>& group_by,
                                              const std::vector<std::vector<size_t>>& sets,
                                              std::vector<AggSpec>* aggs,
                                              const std::vector<BoundExpr*>& post);

}  // namespace sqlrite::engine
