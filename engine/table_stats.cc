#include "engine/table_stats.h"

#include "engine/session_registry.h"

namespace sqlrite::engine {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

// The last table a thread counted a change of: a statement's rows go to one table.
struct LastTable {
  uint64_t owner = 0;  // TableStats::id_ (never an address: a new one may take a dead one's)
  uint32_t db = 0;
  uint32_t rel = 0;
  TableCounters* counters = nullptr;
};
thread_local LastTable last_table;
std::atomic<uint64_t> next_id{1};
// The write transaction this thread's row changes belong to (TableStats::OwnerScope).
thread_local uint64_t current_owner = 0;
// Inside TableStats::Uncounted scopes.
thread_local int uncounted = 0;

}  // namespace

TableStats::TableStats() : id_(next_id.fetch_add(1, kRelaxed)) {}

TableCounters& TableStats::For(uint32_t db, uint32_t rel) {
  LastTable& last = last_table;
  if (last.owner == id_ && last.db == db && last.rel == rel) return *last.counters;
  std::lock_guard lock(mu_);
  std::unique_ptr<TableCounters>& slot = tables_[{db, rel}];
  if (slot == nullptr) slot = std::make_unique<TableCounters>();
  last = {id_, db, rel, slot.get()};
  return *slot;
}

const TableCounters* TableStats::Find(uint32_t db, uint32_t rel) const {
  std::lock_guard lock(mu_);
  auto it = tables_.find({db, rel});
  return it != tables_.end() ? it->second.get() : nullptr;
}

DatabaseCounters& TableStats::Database(uint32_t db) {
  std::lock_guard lock(mu_);
  std::unique_ptr<DatabaseCounters>& slot = databases_[db];
  if (slot == nullptr) slot = std::make_unique<DatabaseCounters>();
  return *slot;
}

TableCounters::Pending* TableStats::Touch(uint32_t db, uint32_t rel, TableCounters** counters) {
  if (uncounted > 0) return nullptr;
  TableCounters& c = For(db, rel);
  *counters = &c;
  for (TableCounters::Pending& p : c.pending) {
    if (p.owner == current_owner) return &p;
  }
  if (c.pending.empty()) {
    std::lock_guard lock(mu_);
    touched_[db].push_back(&c);
  }
  c.pending.push_back({current_owner, 0, 0, 0, false, 0, 0, 0});
  return &c.pending.back();
}

void TableStats::Inserted(uint32_t db, uint32_t rel) {
  TableCounters* c = nullptr;
  TableCounters::Pending* p = Touch(db, rel, &c);
  if (p == nullptr) return;
  ++p->ins;
  c->tup_ins.fetch_add(1, kRelaxed);
}

void TableStats::Updated(uint32_t db, uint32_t rel, bool hot) {
  TableCounters* c = nullptr;
  TableCounters::Pending* p = Touch(db, rel, &c);
  if (p == nullptr) return;
  ++p->upd;
  c->tup_upd.fetch_add(1, kRelaxed);
  if (hot) c->tup_hot_upd.fetch_add(1, kRelaxed);
}

void TableStats::Deleted(uint32_t db, uint32_t rel) {
  TableCounters* c = nullptr;
  TableCounters::Pending* p = Touch(db, rel, &c);
  if (p == nullptr) return;
  ++p->del;
  c->tup_del.fetch_add(1, kRelaxed);
}

void TableStats::Truncated(uint32_t db, uint32_t rel) {
  TableCounters* c = nullptr;
  TableCounters::Pending* p = Touch(db, rel, &c);
  if (p == nullptr) return;
  // pgstat_truncdrop_save_counters: the counts before the first truncation are what a rollback
  // settles; what came before it in a committed transaction is gone with the rows.
  if (!p->truncated) {
    p->truncated = true;
    p->ins_before_truncate = p->ins;
    p->upd_before_truncate = p->upd;
    p->del_before_truncate = p->del;
  }
  // n_tup_ins / upd / del count what the transaction settles with (PostgreSQL adds its counts
  // at the end): the rows written before the truncation leave them now, and a rollback puts
  // the counts before the first truncation back.
  c->tup_ins.fetch_sub(p->ins, kRelaxed);
  c->tup_upd.fetch_sub(p->upd, kRelaxed);
  c->tup_del.fetch_sub(p->del, kRelaxed);
  p->ins = 0;
  p->upd = 0;
  p->del = 0;
}

void TableStats::EndTransaction(uint32_t db, uint64_t owner, bool committed) {
  {
    // Settled in place under the lock: the list keeps its capacity, so a transaction's end
    // allocates nothing (it ends for every point-writer trial, several times a transaction).
    std::lock_guard lock(mu_);
    auto it = touched_.find(db);
    if (it != touched_.end()) {
      std::vector<TableCounters*>& touched = it->second;
      size_t kept = 0;
      for (TableCounters* c : touched) {
        for (auto p = c->pending.begin(); p != c->pending.end(); ++p) {
          if (p->owner != owner) continue;
          // As PostgreSQL's pgstat_relation_flush: a committed transaction's inserts are live
          // and its updated and deleted versions dead; an aborted one's new versions (inserted
          // or updated) are dead and nothing it deleted went.
          if (!committed && p->truncated) {
            c->tup_ins.fetch_add(p->ins_before_truncate - p->ins, kRelaxed);
            c->tup_upd.fetch_add(p->upd_before_truncate - p->upd, kRelaxed);
            c->tup_del.fetch_add(p->del_before_truncate - p->del, kRelaxed);
            p->ins = p->ins_before_truncate;
            p->upd = p->upd_before_truncate;
            p->del = p->del_before_truncate;
          }
          if (committed && p->truncated) {
            c->live_tup.store(0, kRelaxed);
            c->dead_tup.store(0, kRelaxed);
            c->ins_since_vacuum.store(0, kRelaxed);
          }
          if (committed) {
            c->live_tup.fetch_add(p->ins - p->del, kRelaxed);
            c->dead_tup.fetch_add(p->upd + p->del, kRelaxed);
            c->mod_since_analyze.fetch_add(p->ins + p->upd + p->del, kRelaxed);
          } else {
            c->dead_tup.fetch_add(p->ins + p->upd, kRelaxed);
          }
          // Aborted inserts too: they left tuples for VACUUM to visit.
          c->ins_since_vacuum.fetch_add(p->ins, kRelaxed);
          c->pending.erase(p);
          break;
        }
        if (!c->pending.empty()) touched[kept++] = c;
      }
      touched.resize(kept);
    }
  }
  // A transaction is counted where its database commits or rolls back (a point writer's
  // COMMIT is the database's commit of its overlay).
  if (owner != 0) return;
  DatabaseCounters& d = Database(db);
  (committed ? d.xact_commit : d.xact_rollback).fetch_add(1, kRelaxed);
}

void TableStats::Adopt(uint32_t db, uint64_t owner) {
  std::vector<TableCounters*> touched;
  {
    std::lock_guard lock(mu_);
    auto it = touched_.find(db);
    if (it != touched_.end()) touched = it->second;
  }
  for (TableCounters* c : touched) {
    auto adopted = c->pending.end();
    auto writer = c->pending.end();
    for (auto p = c->pending.begin(); p != c->pending.end(); ++p) {
      if (p->owner == owner) adopted = p;
      if (p->owner == 0) writer = p;
    }
    if (adopted == c->pending.end()) continue;
    if (writer == c->pending.end()) {
      adopted->owner = 0;
      continue;
    }
    writer->ins += adopted->ins;
    writer->upd += adopted->upd;
    writer->del += adopted->del;
    c->pending.erase(adopted);
  }
}

TableStats::OwnerScope::OwnerScope(uint64_t owner) : previous_(current_owner) {
  current_owner = owner;
}
TableStats::OwnerScope::~OwnerScope() { current_owner = previous_; }

TableStats::Uncounted::Uncounted() { ++uncounted; }
TableStats::Uncounted::~Uncounted() { --uncounted; }

void TableStats::Maintained(uint32_t db, uint32_t rel, bool vacuum, bool analyze) {
  TableCounters& c = For(db, rel);
  const int64_t now = TimestampNow();
  if (vacuum) {
    c.dead_tup.store(0, kRelaxed);
    c.ins_since_vacuum.store(0, kRelaxed);
    c.vacuum_count.fetch_add(1, kRelaxed);
    c.last_vacuum.store(now, kRelaxed);
  }
  if (analyze) {
    c.mod_since_analyze.store(0, kRelaxed);
    c.analyze_count.fetch_add(1, kRelaxed);
    c.last_analyze.store(now, kRelaxed);
  }
}

TableStats& ProcessTableStats() {
  static TableStats stats;
  return stats;
}

}  // namespace sqlrite::engine
