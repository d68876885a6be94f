#pragma once
// UPDATE ... FROM and DELETE ... USING, as PostgreSQL 15: the target table joined with the other
// items under the WHERE clause (the statement's from_query / using_query, planned as any SELECT:
// hash joins on equalities), every target row that has a match changed once, with its first
// matching row of the other items (PostgreSQL leaves which one unspecified). SET values and
// RETURNING see every item's columns (RETURNING * lists them all, the target's first).
//
// The joined rows are all read before the first change, as the plain UPDATE and DELETE do, since
// a B+tree cursor does not survive a change to its tree.

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/engine.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct ExecContext;

// REQUIRES: stmt.from_query (resp. stmt.using_query) set; def is the target, not a sequence.
Result<QueryResult> ExecuteUpdateFrom(ExecContext& ctx, const ast::Update& stmt, TableDef& def);
Result<QueryResult> ExecuteDeleteUsing(ExecContext& ctx, const ast::Delete& stmt, TableDef& def);

}  // namespace sqlrite::engine
