#pragma once
// Point writers: READ COMMITTED transaction blocks whose writes are all point statements run
// side by side instead of one after another behind the writer slot (docs/decisions.md, "Point
// writers: row locks and a private overlay ...").
//
// Such a block keeps its changes in a PointOverlay (newest row images of the rows it updated,
// and the rows it inserted), never in the shared pager transaction, and locks the rows it
// writes in its database's RowLockTable (engine/row_lock_table.h), keyed by the table's oid and
// the encoded primary key. Each of its statements runs as a trial on the engine thread: the
// block's overlay is written into the pager (which holds no other transaction: point writers
// and the classic writer exclude each other), the ordinary executor runs the statement (so its
// errors, types and results are exactly those of the classic path), the rows it wrote are
// captured through ExecContext::observer, and the pager is rolled back. The trial reads the
// newest commit (durable or not, as the classic writer's block does), with the block's own
// changes on top.
//
// Invariants (checked in engine/cluster.cc):
//   P1. While any point-writer transaction of a database is open, no session is its writer
//       (Database::writer() == null) and the pager holds no transaction between engine tasks.
//   P2. A row a point writer changed is locked by it until its block ends; so the committed row
//       a later statement of the block reads is the one its image was computed from (no lost
//       update), and its COMMIT may write the images as they are.
//   P3. An UPDATE image is the whole record at its rowid key; a point UPDATE changes no key
//       column (of the rowid or any index), so applying it changes no index.
//   P4. Rows inserted by the block are re-inserted at COMMIT through InsertRow (their rowid
//       assigned then); their primary keys are locked, so a duplicate against another open
//       block waits for that block's end.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/row_lock_table.h"
#include "engine/row_source.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

class Database;
class SessionState;

// The private changes of one point-writer transaction.
struct PointOverlay {
  struct Image {
    std::string table;
    std::string rowid_key;
    std::string record;  // the row's whole record as the table tree stores it
  };
  struct Inserted {
    std::string table;
    Row row;
  };
  std::vector<Image> images;  // one per (table, rowid_key): the newest
  std::vector<Inserted> inserted;

  bool empty() const { return images.empty() && inserted.empty(); }
  void PutImage(std::string_view table, std::string_view rowid_key, std::string record);
  bool InsertedInto(std::string_view table) const;
  void Clear() {
    images.clear();
    inserted.clear();
  }
};

// The point-writer side of a session's transaction block.
struct PointTransaction {
  RowLockTable::Owner owner = 0;  // 0: the block is not a point writer
  PointOverlay overlay;
  bool waiting_upgrade = false;  // parked until it may become the classic writer
  bool active() const { return owner != 0; }
};

// One database's point writers: the row locks and the open transactions by owner.
struct PointWriters {
  RowLockTable locks;
  std::map<RowLockTable::Owner, SessionState*> open;
};

// How a point-writer transaction runs a statement. kWrite: a point UPDATE (its WHERE pins the
// whole single-column primary key to a value, SET changes no key column) or an INSERT of at
// most kPointInsertRows listed rows whose columns have constant defaults, into a table whose
// only unique index is its primary key; neither holding a subquery nor calling nextval/setval.
// kRead: a SELECT that writes no sequence and locks no row (no FOR UPDATE / SHARE). kNone:
// anything else (it needs the writer slot).
enum class PointRole { kNone, kWrite, kRead };
PointRole ClassifyPointStatement(const Catalog& catalog, const ast::Statement& statement);

// The name of the table a kWrite statement writes.
const std::string& PointTarget(const ast::Statement& statement);

// The lock key of a row of table (table's oid, then its primary key encoded as the index does;
// the rowid key for an INTEGER PRIMARY KEY). Empty when the table has no primary key.
std::string RowLockKey(const TableDef& table, std::string_view rowid_key, const Row& row);

// Writes overlay into db's pager transaction: the images over their rows, the inserted rows
// through InsertRow (advancing the tables' rowid counters, saved to the catalog); with `only`,
// just that table's. Errors: the storage's; 23505 should a row's key have been taken meanwhile
// (P4 says it cannot).
Status ApplyOverlay(Database& db, const PointOverlay& overlay, std::string_view only = {});

// The one table a SELECT reads, when it is a plain table named in its only FROM item with no
// subquery, WITH, set operation or function anywhere (a point SELECT's shape); empty when it may
// read more (a view, a join, a subquery ...).
std::string_view OnlyTableRead(const Catalog& catalog, const ast::Select& select);

// A trial of one statement (see the file comment): on construction the overlay is written into
// db's pager; on destruction the pager is rolled back and the rowid counters of the tables
// written are put back. `table`: the one table the statement reads and writes (a point write's
// target, a point SELECT's table), whose overlay entries are all it can see, so only they are
// written; empty: the whole overlay. REQUIRES: the pager holds no transaction (P1).
class OverlayTrial {
 public:
  OverlayTrial(Database& db, const PointOverlay& overlay, std::string_view table);
  ~OverlayTrial();
  OverlayTrial(const OverlayTrial&) = delete;
  OverlayTrial& operator=(const OverlayTrial&) = delete;
  // Writing the overlay failed (the statement must not run).
  const Status& applied() const { return applied_; }

 private:
  Database& db_;
  // The tables' hidden-rowid counters before the trial, put back after it (the pager's rollback
  // does not reach the catalog's memory).
  struct Rowids {
    std::string table;
    int64_t next;
    int64_t reserved;
  };
  std::vector<Rowids> rowids_;
  Status applied_ = Ok();
};

}  // namespace sqlrite::engine
