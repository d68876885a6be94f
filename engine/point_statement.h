#pragma once
// IsPointStatement: whether a statement's work is bounded by an index, so that it may run on the
// session's own io thread when the engine is idle (EngineQueue::TryRunHere through
// Cluster::RunsShort) instead of crossing to the engine thread and back.
//
// The io thread is blocked while the statement runs, and with it every other session it serves
// (their snapshot reads, its timers: statement_timeout's included), so only statements whose
// work the catalog bounds qualify:
//   - transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK TO), SET, SHOW;
//   - INSERT of at most kPointInsertRows listed rows (not INSERT ... SELECT), ON CONFLICT
//     included (a lookup in each arbiter index per row: engine/on_conflict.h);
//   - UPDATE, DELETE and SELECT of one table (no FROM / USING items, join, derived table, set
//   operation or EXPLAIN)
//     whose WHERE pins a key: a top-level AND conjunct `column = value` (either side; a value is
//     a literal, a `$n`, or a cast or sign of one) where the column is the table's INTEGER
//     PRIMARY KEY or the only column of a unique index. At most one row then, found in
//     O(log n) pages (the executor's PointLookup). Not for an UPDATE or DELETE of a table a
//     foreign key references (its actions may read or change any number of rows); a CHECK or
//     a foreign key of the table itself is checked here as on the engine thread (the same
//     executor: one row, a unique-index lookup per key).
// Everything else (DDL, COPY, cursors, INSERT ... SELECT, range or unfiltered writes, joins, a
// statement holding a subquery anywhere, a SELECT with WITH, a table the catalog does not know)
// is false: it runs on the engine thread as before. A COMMIT
// writes the block's changed pages (bounded by the pager's cache: bigger blocks spilled theirs
// as they went); a ROLLBACK drops them.

#include <cstddef>
#include <variant>

#include "engine/catalog.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

inline constexpr size_t kPointInsertRows = 16;

// catalog: the session's database's, as the engine thread sees it.
bool IsPointStatement(const Catalog& catalog, const ast::Statement& statement);

// A literal or a parameter, possibly signed or cast: one value whatever the row (a key a point
// statement pins; engine/point_writer.h reads the same shapes).
bool IsPointValue(const ast::Expr& e);

// BEGIN / START TRANSACTION: reads nothing of any table or commit, so its answer never waits
// for another session's commit to become durable (the server answers it at once rather than
// after the group's fsync; server/session.cc). SET and SHOW would qualify too but are left out:
// the server's tests stand a ShowVariable in for any statement of their fake engine. Inline, so
// that those tests need no catalog.
inline bool TouchesNoData(const ast::Statement& statement) {
  const auto* tx = std::get_if<ast::Transaction>(&statement);
  return tx != nullptr && tx->kind == ast::Transaction::kBegin;
}

}  // namespace sqlrite::engine
