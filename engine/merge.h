#pragma once
// MERGE, as PostgreSQL 15 has it: the target joined with the source (ast::Merge::join_query, a
// RIGHT JOIN planned as any SELECT, the target's side marked so that a source row without a match
// shows), then per joined row the first WHEN clause of its kind (MATCHED / NOT MATCHED) whose
// condition holds: UPDATE, DELETE, INSERT or DO NOTHING. Constraints, defaults, identity columns
// and foreign keys as INSERT, UPDATE and DELETE (engine/table_access.h, engine/foreign_keys.h).
//
// Every joined row is read, and every action's new row computed, before the first change: a
// B+tree cursor does not survive a change to its tree, and the statement's conditions and
// subqueries see the target as it was (as PostgreSQL's, which read the statement's snapshot).
// A target row that two source rows would change is 21000, as PostgreSQL's.

#include "common/error.h"
#include "engine/engine.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct ExecContext;

// Errors: 42P01 / 42703 / 42702 for names, 0A000 for a view or sequence target, 42601 for an
// unreachable WHEN clause, 42712 when the source has the target's name, 21000, and what INSERT,
// UPDATE and DELETE raise for the rows.
Result<QueryResult> ExecuteMerge(ExecContext& ctx, const ast::Merge& stmt);

// Whether every WHEN clause is DO NOTHING: PostgreSQL asks the target for the permissions its
// actions need, so such a MERGE writes nothing and runs in a read-only transaction ("MERGE 0").
bool MergeWritesNothing(const ast::Merge& stmt);

}  // namespace sqlrite::engine
