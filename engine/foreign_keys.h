#pragma once
// ForeignKeyChecks: one statement's foreign-key work, as PostgreSQL's RI triggers (AFTER ROW
// triggers whose events fire at the end of the statement).
//
// The DML paths (INSERT, UPDATE, DELETE, COPY FROM) report every row they change; at the end of
// the statement Finish() runs, in the order the changes were made:
//   - a row of a referencing table inserted, or updated with its key changed: its key must be
//     present in the referenced table (MATCH SIMPLE: a key holding a NULL is not checked; MATCH
//     FULL: all NULL or none), else 23503 "insert or update on table ... violates foreign key
//     constraint ...";
//   - a row of a referenced table deleted, or updated with its referenced columns changed: the
//     key's action per referencing foreign key: NO ACTION (23503 when a row still references the
//     key and no other row of the referenced table now holds it), RESTRICT (23503 when a row
//     references it), CASCADE (delete those rows / set their key to the new one), SET NULL and
//     SET DEFAULT (on their columns). The rows an action changes are reported in turn, so
//     cascades go as deep as the keys lead, and a SET DEFAULT's new key is checked like any.
// Because the checks run after the statement's own changes, a statement may insert a parent and
// its child in either order (a self-referencing multi-row INSERT works, as in PostgreSQL).
//
// A DEFERRABLE key that is deferred now (engine/deferred_constraints.h: INITIALLY DEFERRED or
// SET CONSTRAINTS) queues its referencing-row checks and its NO ACTION checks there instead, and
// RunDeferred runs them at COMMIT (or SET CONSTRAINTS ... IMMEDIATE) against the block's final
// state, with the same errors; RESTRICT and the actions that change rows never wait, as in
// PostgreSQL.
//
// A DEFERRABLE PRIMARY KEY / UNIQUE constraint (IndexDef::deferrable; its index holds duplicates
// meanwhile, engine/table_access.h) is checked here too, as PostgreSQL's unique_key_recheck: a
// key a row was written with is looked up at the statement's end, or at COMMIT when the
// constraint is deferred now, and more than one row holding it is 23505 with the DETAIL a
// non-deferrable key gives at once.
//
// Lookups are reads with a WHERE of `column = value` conjuncts through ScanTable, so they take a
// point lookup or an index path when the table has a fitting index (the referenced side always
// has its unique one; the referencing side has one when it was created), else a scan.
//
// REQUIRES: the catalog's table definitions do not move while the object lives (DML only).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/column_defaults.h"
#include "engine/database.h"
#include "engine/deferred_constraints.h"
#include "engine/interrupt.h"

namespace sqlrite::engine {

class ForeignKeyChecks {
 public:
  // deferred: the block's deferred work (null: every check runs at the statement's end, as in
  // an autocommit statement, whose end is its commit).
  ForeignKeyChecks(Database& db, InterruptCheck interrupts,
                   DeferredConstraints* deferred = nullptr);

  // The statement's row changes. Cheap when the table has no foreign keys and none refers to it.
  void RowInserted(const TableDef& table, const Row& row);
  void RowUpdated(const TableDef& table, const Row& old_row, const Row& new_row);
  void RowDeleted(const TableDef& table, const Row& row);

  // Runs the checks and actions queued (and those the actions queue) until none is left.
  // Errors: 23503, or those of the actions' writes (23502 for SET NULL on a NOT NULL column).
  Status Finish();

  // Runs the deferred checks of `pending` whose constraint is `only` (null: all of them),
  // removing them (all of them when one fails: the block is rolled back or failed then).
  // Errors: 23503 as the immediate checks'.
  static Status RunDeferred(Database& db, InterruptCheck interrupts,
                            std::vector<DeferredCheck>& pending, const std::string* only = nullptr);

 private:
  struct Referrer {
    TableDef* table;  // the referencing table
    size_t fk;        // its foreign_keys index
  };
  // A referencing row's key to find in the referenced table.
  struct KeyCheck {
    const TableDef* table;
    size_t fk;
    Row key;  // the referencing columns' values
  };
  // A referenced row's key that went away (deleted, or changed to new_key).
  struct KeyGone {
    const TableDef* parent;
    Referrer referrer;
    Row old_key;  // the referenced columns' values
    std::optional<Row> new_key;
  };
  struct Event {
    std::optional<KeyCheck> check;
    std::optional<KeyGone> gone;
  };

  const std::vector<Referrer>& ReferrersOf(const TableDef& table);
  void QueueCheck(const TableDef& table, size_t fk, const Row& row);
  Status RunCheck(const KeyCheck& check);
  Status RunDeferredCheck(const DeferredCheck& check);
  // Whether fk of table waits for COMMIT now.
  bool Deferred(const ForeignKey& fk) const {
    return deferred_ != nullptr &&
           deferred_->IsDeferred(fk.name, fk.deferrable, fk.initially_deferred);
  }
  Status RunGone(const KeyGone& gone);
  // A deferrable key written: its index and the key's values.
  struct UniqueCheck {
    const TableDef* table;
    size_t index;
    Row key;
  };
  void QueueUniqueChecks(const TableDef& table, const Row* old_row, const Row& row);
  Status RunUniqueCheck(const TableDef& table, const IndexDef& index, const Row& key);

  Database& db_;
  InterruptCheck interrupts_;
  DeferredConstraints* deferred_;
  // FIFO: events_[next_event_] runs next. A vector rather than a deque, which allocates even
  // empty, and this object is made for every write statement.
  std::vector<Event> events_;
  size_t next_event_ = 0;
  std::unordered_set<std::string> checked_;  // KeyChecks queued already (table, fk, key)
  std::vector<UniqueCheck> unique_checks_;
  std::map<const TableDef*, std::vector<Referrer>> referrers_;
  std::map<const TableDef*, ColumnDefaults> defaults_;  // SET DEFAULT's, per table
};

// Whether a foreign key column of type fk may reference a column of type pk: PostgreSQL's rule,
// an equality operator of pk's btree family between them or an implicit cast from fk to pk.
bool ForeignKeyTypesCompatible(TypeId fk, TypeId pk);

}  // namespace sqlrite::engine
