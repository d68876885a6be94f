#pragma once
// SELECT ... FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF table] [NOWAIT | SKIP LOCKED].
//
// What it does here (docs/decisions.md, "SELECT ... FOR UPDATE takes the writer slot"): such a
// SELECT, when it locks a table (LocksRows below; one that locks none is a plain SELECT, as in
// PostgreSQL), runs as a write (engine/cluster.cc), so it takes the writer slot, reads the newest
// commit, and holds the slot until its block ends. That locks more than PostgreSQL's row locks
// (every row of every table, and FOR SHARE excludes other FOR SHARE), never less: no other
// session changes a row it returned until the block ends. NOWAIT fails at once (55P03) when
// another session holds the slot or an open point writer; SKIP LOCKED waits like a plain FOR
// UPDATE (no row is locked by anyone once the slot is ours, so none is skipped). In a
// REPEATABLE READ or SERIALIZABLE block it fails with 40001 after a commit newer than the
// block's snapshot, as a write does. In a READ ONLY transaction it is 25006, after analysis.
//
// CheckRowLocking: PostgreSQL's parse-analysis rules for the clauses of a statement's query
// (CheckSelectLocking, transformLockingClause) and the planner's outer-join rule, all 0A000
// unless said: with UNION/INTERSECT/EXCEPT, DISTINCT, GROUP BY, HAVING, aggregates, window
// functions or a set-returning function in the select list; applied to VALUES, a function or a
// WITH query named in OF; OF naming no FROM item (42P01, at the name); a locked table on the
// nullable side of an outer join. Derived tables and views are locked as a whole, without
// PostgreSQL's checks inside them.

#include <string>
#include <vector>

#include "common/error.h"
#include "engine/analyze/bind_select.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// The tables (their names as written, FROM order, derived tables searched) the clauses of a
// statement's query lock: every table of FROM, or those named in OF; never a function, VALUES
// or a WITH query's reference, which PostgreSQL passes over. Read from the syntax, before
// binding (a view's name counts as a table). Empty: nothing is locked (SELECT 1 FOR UPDATE),
// and the SELECT runs as a plain one, as in PostgreSQL, where it takes no lock at all.
std::vector<std::string> LockedTables(const ast::Select& select);

// Whether select runs as a write: it has a locking clause that locks a table.
inline bool LocksRows(const ast::Select& select) {
  return !select.locking.empty() && !LockedTables(select).empty();
}

// Any clause says NOWAIT.
bool LocksWithoutWaiting(const ast::Select& select);

// REQUIRES: stmt.locking is not empty and bound is stmt bound as a statement's query.
Status CheckRowLocking(const ast::Select& stmt, const BoundSelect& bound);

}  // namespace sqlrite::engine
