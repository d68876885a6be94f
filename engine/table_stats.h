#pragma once
// TableStats: the per-table activity counters pg_stat_all_tables (and its user / sys views) and
// pg_stat_database show, kept by the engine as it reads and writes, readable from any thread.
//
// Writers: row changes are counted by table_access.cc's InsertRow / UpdateRow / DeleteRow, so
// every writer (INSERT, UPDATE, DELETE, MERGE, ON CONFLICT, COPY FROM, cascades) is counted the
// same way; they run on the engine thread or the holder of the engine's token, one at a time
// across the process. A table's counters are found once per statement by a thread-local
// cache, so a row costs a few relaxed atomic additions. The transaction's changes also wait in
// writer-only fields until Database::Commit / Rollback settles them into n_live_tup /
// n_dead_tup, as PostgreSQL's pending counts do at transaction end. Scans count on their own
// operator (seq_scan / idx_scan and the rows read) and add once, when the scan ends.
//
// Readers copy relaxed atomics: a row may show a statement's effects partly, as PostgreSQL's
// asynchronous statistics may.
//
// One per process (ProcessTableStats), keyed by database oid and table oid: a process serves
// one data directory. Counters of a dropped table stay until the process ends (nothing shows
// them: the catalogs list the tables that exist).

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace sqlrite::engine {

struct TableCounters {
  std::atomic<int64_t> seq_scan{0};
  std::atomic<int64_t> seq_tup_read{0};
  std::atomic<int64_t> idx_scan{0};
  std::atomic<int64_t> idx_tup_fetch{0};
  std::atomic<int64_t> tup_ins{0};
  std::atomic<int64_t> tup_upd{0};
  std::atomic<int64_t> tup_del{0};
  std::atomic<int64_t> tup_hot_upd{0};
  std::atomic<int64_t> live_tup{0};
  std::atomic<int64_t> dead_tup{0};
  std::atomic<int64_t> mod_since_analyze{0};
  std::atomic<int64_t> ins_since_vacuum{0};
  std::atomic<int64_t> vacuum_count{0};
  std::atomic<int64_t> analyze_count{0};
  std::atomic<int64_t> last_vacuum{0};   // a timestamptz Datum; 0: never
  std::atomic<int64_t> last_analyze{0};  // a timestamptz Datum; 0: never

  // The open write transactions' changes, by owner (0: the database's writer; else a point
  // writer's transaction, engine/point_writer.h). The writers' only (see the file comment).
  struct Pending {
    uint64_t owner = 0;
    int64_t ins = 0;
    int64_t upd = 0;
    int64_t del = 0;
    // TRUNCATE in this transaction (PostgreSQL's truncdropped): at commit the table's live and
    // dead counts start from 0; the counts before the first TRUNCATE are kept for a rollback.
    bool truncated = false;
    int64_t ins_before_truncate = 0;
    int64_t upd_before_truncate = 0;
    int64_t del_before_truncate = 0;
  };
  std::vector<Pending> pending;
};

// Per database (pg_stat_database): its write transactions (the engine's Database::Commit and
// Rollback; a read-only transaction is not counted).
struct DatabaseCounters {
  std::atomic<int64_t> xact_commit{0};
  std::atomic<int64_t> xact_rollback{0};
};

class TableStats {
 public:
  TableStats();
  TableStats(const TableStats&) = delete;
  TableStats& operator=(const TableStats&) = delete;

  // The counters of table `rel` of database `db`, created on first use. Thread-safe; the
  // reference stays valid for the process's life.
  TableCounters& For(uint32_t db, uint32_t rel);
  // Null when nothing was counted for it yet.
  const TableCounters* Find(uint32_t db, uint32_t rel) const;
  DatabaseCounters& Database(uint32_t db);

  // Row changes of the current write transaction (the writer's thread): the one of the
  // innermost OwnerScope on this thread, else the database's writer's. Nothing is counted
  // inside an Uncounted scope.
  void Inserted(uint32_t db, uint32_t rel);
  void Updated(uint32_t db, uint32_t rel, bool hot);
  void Deleted(uint32_t db, uint32_t rel);
  // TRUNCATE of the table in the current write transaction: as PostgreSQL's
  // pgstat_count_truncate, its committed end sets n_live_tup and n_dead_tup to the rows written
  // after the truncation (an aborted one counts the changes made before it).
  void Truncated(uint32_t db, uint32_t rel);
  // The end of owner's write transaction in db (owner 0: Database::Commit / Rollback): its
  // pending changes settle.
  void EndTransaction(uint32_t db, uint64_t owner, bool committed);
  // A point writer's transaction becomes the database writer's (its upgrade): its pending
  // changes settle with that transaction.
  void Adopt(uint32_t db, uint64_t owner);

  // The changes of a point writer's statement belong to its transaction, not the writer's.
  class OwnerScope {
   public:
    explicit OwnerScope(uint64_t owner);
    ~OwnerScope();
    OwnerScope(const OwnerScope&) = delete;
    OwnerScope& operator=(const OwnerScope&) = delete;

   private:
    uint64_t previous_;
  };
  // Rows written again that were counted when first written (a point writer's overlay, applied
  // for each of its statements' trials and at its COMMIT).
  class Uncounted {
   public:
    Uncounted();
    ~Uncounted();
    Uncounted(const Uncounted&) = delete;
    Uncounted& operator=(const Uncounted&) = delete;
  };
  // VACUUM (vacuum) / ANALYZE (analyze) of a table.
  void Maintained(uint32_t db, uint32_t rel, bool vacuum, bool analyze);

 private:
  // The pending changes of the current owner in table rel of db; null inside Uncounted.
  TableCounters::Pending* Touch(uint32_t db, uint32_t rel, TableCounters** counters);

  const uint64_t id_;  // names it in a thread's cache of the last table counted
  mutable std::mutex mu_;
  std::map<std::pair<uint32_t, uint32_t>, std::unique_ptr<TableCounters>> tables_;
  std::map<uint32_t, std::unique_ptr<DatabaseCounters>> databases_;
  // Per database, the tables with pending changes (the writers' only).
  std::map<uint32_t, std::vector<TableCounters*>> touched_;
};

TableStats& ProcessTableStats();

}  // namespace sqlrite::engine
