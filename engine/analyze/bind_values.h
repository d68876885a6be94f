#pragma once
// Analysis of a VALUES list used as a query (a statement, a FROM item, a set operation's
// branch), as PostgreSQL's transformValuesClause: every row as long as the first (42601), each
// expression bound with no columns in scope, each column's type the common type of its rows'
// (untyped literals read as that type; 42804 "VALUES types ... cannot be matched"), the columns
// named column1, column2, ...; ORDER BY / LIMIT / OFFSET over the result.

#include "engine/analyze/bind_select.h"

namespace sqlrite::engine {

// REQUIRES: !stmt.values.empty(). The BoundSelect returned has values set (see BoundSelect).
// outer: the query the VALUES list is a subquery or LATERAL item of (its columns are outer
// references); null: none.
Result<BoundSelect> BindValues(ExecContext& ctx, const ast::Select& stmt,
                               const OuterQuery* outer = nullptr);

}  // namespace sqlrite::engine
