#pragma once
// A function in FROM (PostgreSQL's Function Scan): the rows of a set-returning call
// (functions::Builtin::set_impl: generate_series, unnest), produced as they are pulled, or the
// one row of any other expression's value; with ordinality each row is followed by its number,
// from 1 (bigint). A strict set-returning function with a NULL argument gives no row, as
// PostgreSQL's. The call's arguments are evaluated once, at the first Next (so errors in them,
// and the function's own checks, such as a zero step, come from there).

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"
#include "engine/functions/builtin.h"

namespace sqlrite::engine::exec {

// ROWS FROM (f(...), g(...)) (engine/sql/internal_calls.h) is a call of this function over the
// calls: each row holds every call's columns in turn (a record of a known shape is a column per
// field), a call that has run out giving NULLs, until every call has run out; a call that is not
// set-returning gives one row. Its set_impl is never called.
const functions::Builtin& RowsFromFunction();

// The columns call's rows fill before WITH ORDINALITY's: a record of a known shape's fields
// (when expand_records; a select list's call keeps its record whole), ROWS FROM's calls' columns
// in turn, else 1.
size_t FunctionColumns(const BoundExpr& call, bool expand_records);

// fields: the columns of each value (more than 1: the call gives records of that many fields,
// each row their fields). REQUIRES: call reads no column (its outer references and parameters
// are values already).
OperatorPtr MakeFunctionScan(ReadContext& ctx, BoundExpr call, bool ordinality, size_t fields = 1);

}  // namespace sqlrite::engine::exec
