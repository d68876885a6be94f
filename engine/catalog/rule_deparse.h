#pragma once
// RuleExprText: a bound expression over one table's columns printed as PostgreSQL 15's ruleutils
// prints the parsed expression it would have stored (pg_get_constraintdef of a CHECK): every
// operator parenthesised, or in pretty mode only where precedence needs it; the implicit casts
// of an operator's operands shown (`(price > (0)::numeric)`, `((note)::text <> 'x'::text)`);
// constants labelled with their type unless they read back as it; IN lists as `= ANY (ARRAY[...])`.
//
// The bound tree has lost some of what PostgreSQL's tree keeps (a constant folded from a cast of
// a literal, a varchar operand's relabelling), which is rebuilt from the types: see
// docs/decisions.md "CHECK constraints print as ruleutils does, from the bound expression".
// nullopt: the expression holds a node this printer does not know, and the caller falls back to
// the stored text.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/catalog.h"
#include "engine/expression.h"

namespace sqlrite::engine::catalog {

// A column reference's text by its index in the expression's scope; nullopt: not printable.
using ColumnNamer = std::function<std::optional<std::string>(int index)>;

// expr over table's columns (a CHECK's), its implicit top-level cast hidden.
std::optional<std::string> RuleExprText(const BoundExpr& expr, const TableDef& table, bool pretty);
// expr over any scope; show_implicit: print a top-level implicit cast (a select list's entry);
// aggs: the aggregate calls its kAggRef nodes index (null: none may appear).
std::optional<std::string> RuleExprText(const BoundExpr& expr, const ColumnNamer& columns,
                                        bool pretty, bool show_implicit,
                                        const std::vector<AggSpec>* aggs);

// pg_get_viewdef(view, pretty) as ruleutils lays a view's query out (" SELECT t.a,\n    t.b\n
// FROM t\n  WHERE ...;"), for the views whose query is a select list over tables, subqueries in
// FROM (LATERAL too), functions in FROM returning one column, comma-separated items and inner,
// outer and cross joins of them (ON, USING), with [RECURSIVE] WITH queries, DISTINCT [ON],
// WHERE, GROUP BY (GROUPING SETS, ROLLUP, CUBE too), HAVING, windows, ORDER BY, OFFSET and
// LIMIT; aggregates with DISTINCT, ORDER BY inside the call and FILTER; scalar, EXISTS, ARRAY,
// IN / ANY / ALL subqueries (correlated too) in its expressions, or one set operation of two
// such queries; relations named as the search path sees them (qualified when it does not find
// them by name). nullopt for any other query (the caller prints the stored text).
std::optional<std::string> RuleViewText(const TableDef& view, const Catalog& catalog,
                                        const std::vector<std::string>& path, bool pretty);

}  // namespace sqlrite::engine::catalog
