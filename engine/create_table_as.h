#pragma once
// CREATE TABLE name [(column, ...)] AS query [WITH [NO] DATA] and SELECT ... INTO name: a new
// table whose columns are the query's output columns (their names, or the list's where it gives
// one; their types and typmods, an untyped literal's as text), filled with the query's rows.
//
// Errors (PostgreSQL's): 42P07 the name taken (IF NOT EXISTS: a NOTICE and nothing done),
// 42601 more names than columns, 42701 a column name twice, 42P16 a record column, 0A000 a
// column type no table column may have here; any error of the query. Command tag: "SELECT n"
// (n rows stored), or "CREATE TABLE AS" for WITH NO DATA and a skipped IF NOT EXISTS.

#include "engine/executor.h"

namespace sqlrite::engine {

// REQUIRES: stmt.as is set.
Result<QueryResult> ExecuteCreateTableAs(ExecContext& ctx, const ast::CreateTable& stmt);

}  // namespace sqlrite::engine
