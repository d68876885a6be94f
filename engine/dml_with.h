#pragma once
// WITH lists that the query binder does not bind alone: that of an INSERT, UPDATE or DELETE, and
// one holding INSERT, UPDATE or DELETE (PostgreSQL's data-modifying statements in WITH) on a
// statement's own query.
//
// PostgreSQL runs every part of such a statement against one snapshot: the main statement sees
// none of the WITH statements' changes to a table, only their RETURNING rows, and each WITH
// statement runs to completion exactly once, whether or not anything reads it. The engine has
// one writer and no row versions, so it orders the parts instead:
//   1. Each table a data-modifying WITH query changes and some other part of the statement
//      names in a FROM item (the main statement, another WITH query, a subquery) is copied: its
//      rows as the statement found them.
//   2. The WITH list is taken in order: a SELECT query is bound (it runs later, as any WITH
//      query, when a reference pulls it); an INSERT, UPDATE or DELETE runs now, to completion,
//      its RETURNING rows kept for its references.
//   3. The main statement runs with the list in scope (ExecContext::ctes) and the copies under
//      their tables' names, so what it reads in FROM is the state before the statement.
// The WITH statements read the copies too (their FROM items and subqueries), but find the rows
// they change in the live table: an UPDATE or DELETE sees the rows an earlier INSERT of the list
// added (PostgreSQL's would not; it documents the order of the changes of one statement as
// unpredictable, and a row changed twice as unspecified).
//
// Errors, as PostgreSQL's: 42712 a name given twice; 0A000 a reference to a data-modifying query
// without RETURNING; 42P19 a data-modifying query of WITH RECURSIVE that names itself; any error
// of a part fails the whole statement (the caller rolls it back).

#include <functional>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct ExecContext;

// Whether the list holds an INSERT, UPDATE or DELETE.
bool HasDataModifyingWith(const std::vector<ast::CommonTableExpr>& with);
// Whether a SELECT, INSERT, UPDATE or DELETE statement has one in its own WITH (false for other
// kinds).
bool HasDataModifyingWith(const ast::Statement& statement);

// Runs main, the statement's own executor, with stmt's WITH list in scope as described above
// (for a SELECT, the binder then does not bind its WITH again).
// REQUIRES: on the engine thread, as the writer when the list changes data.
using MainStatement = std::function<Result<QueryResult>()>;
Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Select& stmt,
                                    const MainStatement& main);
Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Insert& stmt,
                                    const MainStatement& main);
Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Update& stmt,
                                    const MainStatement& main);
Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Delete& stmt,
                                    const MainStatement& main);

}  // namespace sqlrite::engine
