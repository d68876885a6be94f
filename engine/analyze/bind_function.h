#pragma once
// Analysis of a function call as a FROM item (generate_series(1, 3) AS s (n) WITH ORDINALITY),
// as PostgreSQL's transformRangeFunction: the call bound with no column of this query in scope
// (an enclosing query's columns are outer references), a set-returning function only at the top
// (0A000 "set-returning functions must appear at top level of FROM"), aggregates refused
// (42803); any other function gives one row. The item has one column, named by the alias list's
// first name, else the table alias, else the function's name, followed with WITH ORDINALITY by
// "ordinality" (bigint, counting from 1); more aliases than columns is 42P10.

#include <memory>
#include <string>
#include <vector>

#include "engine/analyze/bind_select.h"

namespace sqlrite::engine {

struct BoundFunction {
  std::shared_ptr<const TableDef> def;  // the item's name and columns
  std::shared_ptr<const BoundExpr> call;
};

// REQUIRES: ref.function is set.
Result<BoundFunction> BindFunctionInFrom(const ast::TableRef& ref, const BindEnv* env);
// The same for a call outside a TableRef: alias names the item (empty: the function's name).
Result<BoundFunction> BindFunctionCall(const ast::Expr& call, const std::string& alias,
                                       const std::vector<std::string>& column_aliases,
                                       bool ordinality, const BindEnv* env);

// A query without FROM whose select list calls a set-returning function at the top of one item
// (SELECT generate_series(1, 3), 'x'): that item, which the query then reads as a FROM item of
// one column (PostgreSQL's ProjectSet over its one input row gives the same rows); null when
// there is none, or more than one, or the query groups (refused when bound, as any call outside
// FROM; an aggregate beside the call is refused as an ungrouped column).
const ast::Expr* SelectListSetReturningCall(const ast::Select& stmt);

}  // namespace sqlrite::engine
