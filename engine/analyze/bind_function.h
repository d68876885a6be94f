#pragma once
// Analysis of a function call as a FROM item (generate_series(1, 3) AS s (n) WITH ORDINALITY),
// as PostgreSQL's transformRangeFunction: the call bound with no column of this query in scope
// (an enclosing query's columns are outer references), a set-returning function only at the top
// (0A000 "set-returning functions must appear at top level of FROM"), aggregates refused
// (42803); any other function gives one row. The item has one column, named by the alias list's
// first name, else the table alias, else the function's name, followed with WITH ORDINALITY by
// "ordinality" (bigint, counting from 1); more aliases than columns is 42P10.

#include <memory>

#include "engine/analyze/bind_select.h"

namespace sqlrite::engine {

struct BoundFunction {
  std::shared_ptr<const TableDef> def;  // the item's name and columns
  std::shared_ptr<const BoundExpr> call;
};

// REQUIRES: ref.function is set.
Result<BoundFunction> BindFunctionInFrom(const ast::TableRef& ref, const BindEnv* env);

}  // namespace sqlrite::engine
