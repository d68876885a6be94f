#include "engine/session_registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "engine/table_stats.h"

namespace sqlrite::engine {
namespace {

TEST(SessionRegistryTest, ShowsLoggedInSessionsByPid) {
  SessionRegistry registry;
  auto b = registry.Register(7);
  auto a = registry.Register(3);
  registry.Register(5);  // still logging in: not shown
  a->Connected("postgres", "alice", "psql", "127.0.0.1", 50000, 1);
  b->Connected("app", "bob", "", "", -1, 2);
  std::vector<ActivityRow> rows = registry.Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].pid, 3u);
  EXPECT_EQ(rows[0].user, "alice");
  EXPECT_EQ(rows[0].state, ActivityState::kIdle);
  EXPECT_EQ(rows[1].pid, 7u);
  EXPECT_EQ(rows[1].client_port, -1);
  registry.Unregister(3);
  EXPECT_EQ(registry.Find(3), nullptr);
  EXPECT_EQ(registry.Rows().size(), 1u);
}

TEST(SessionRegistryTest, StatementsMoveTheStateAndTheTransaction) {
  SessionRegistry registry;
  auto s = registry.Register(1);
  s->Connected("postgres", "u", "", "", -1, 0);
  s->BeginQuery("begin");
  ActivityRow row = s->Row();
  EXPECT_EQ(row.state, ActivityState::kActive);
  EXPECT_EQ(row.local_xid, 1u);
  ASSERT_TRUE(row.xact_start.has_value());
  const int64_t xact_start = *row.xact_start;
  s->EndQuery('T');
  EXPECT_EQ(s->Row().state, ActivityState::kIdleInTransaction);
  s->BeginQuery("insert into t values (1)");
  s->SetWriter(true);
  row = s->Row();
  EXPECT_EQ(row.local_xid, 1u) << "the same transaction";
  EXPECT_EQ(*row.xact_start, xact_start);
  EXPECT_NE(row.xid, 0u);
  const uint64_t xid = row.xid;
  s->SetWriter(true);
  EXPECT_EQ(s->Row().xid, xid) << "a second write keeps the transaction id";
  s->EndQuery('E');
  EXPECT_EQ(s->Row().state, ActivityState::kIdleInFailedTransaction);
  s->BeginQuery("rollback");
  s->SetWriter(false);
  s->EndQuery('I');
  row = s->Row();
  EXPECT_EQ(row.state, ActivityState::kIdle);
  EXPECT_EQ(row.xid, 0u);
  EXPECT_FALSE(row.xact_start.has_value());
  EXPECT_EQ(row.query, "rollback");
  s->BeginQuery("select 1");
  EXPECT_EQ(s->Row().local_xid, 2u);
}

TEST(SessionRegistryTest, SignalsReachTheSessionsServer) {
  SessionRegistry registry;
  auto s = registry.Register(1);
  EXPECT_FALSE(s->Raise(false)) << "no signal set";
  int cancels = 0, terminations = 0;
  s->SetSignal([&](bool terminate) { ++(terminate ? terminations : cancels); });
  EXPECT_TRUE(s->Raise(false));
  EXPECT_TRUE(s->Raise(true));
  EXPECT_EQ(cancels, 1);
  EXPECT_EQ(terminations, 1);
}

// Sessions come and go and change state on their threads while readers list them: run under
// ThreadSanitizer by scripts/test (label concurrency).
TEST(SessionRegistryTest, ReadersBesideWritersAndSessionsComingAndGoing) {
  SessionRegistry registry;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < 4; ++t) {
    threads.emplace_back([&registry, t] {
      for (uint32_t i = 0; i < 300; ++i) {
        const uint32_t pid = t * 1000 + i + 1;
        auto s = registry.Register(pid);
        s->Connected("postgres", "u", "app", "127.0.0.1", 1, 0);
        s->BeginQuery("update t set x = x + 1");
        s->SetWriter(true);
        s->SetWaiting(true);
        s->SetApplicationName("renamed");
        s->EndQuery('T');
        s->SetWriter(false);
        s->EndQuery('I');
        registry.Unregister(pid);
      }
    });
  }
  std::atomic<size_t> seen{0};
  std::thread reader([&] {
    while (!stop.load()) {
      for (const ActivityRow& row : registry.Rows()) seen += row.query.size() > 0 ? 1 : 0;
    }
  });
  for (auto& t : threads) t.join();
  stop = true;
  reader.join();
  EXPECT_TRUE(registry.Rows().empty());
}

TEST(TableStatsTest, CommittedAndAbortedChangesSettleAsPostgresCountsThem) {
  TableStats stats;
  for (int i = 0; i < 3; ++i) stats.Inserted(1, 100);
  stats.Updated(1, 100, /*hot=*/true);
  stats.Deleted(1, 100);
  stats.EndTransaction(1, 0, /*committed=*/true);
  stats.Inserted(1, 100);
  stats.EndTransaction(1, 0, /*committed=*/false);
  const TableCounters* c = stats.Find(1, 100);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->tup_ins.load(), 4);
  EXPECT_EQ(c->tup_upd.load(), 1);
  EXPECT_EQ(c->tup_hot_upd.load(), 1);
  EXPECT_EQ(c->tup_del.load(), 1);
  EXPECT_EQ(c->live_tup.load(), 2);
  EXPECT_EQ(c->dead_tup.load(), 3);
  EXPECT_EQ(c->mod_since_analyze.load(), 5);
  EXPECT_EQ(c->ins_since_vacuum.load(), 4);
  EXPECT_EQ(stats.Database(1).xact_commit.load(), 1);
  EXPECT_EQ(stats.Database(1).xact_rollback.load(), 1);
  EXPECT_EQ(stats.Find(2, 100), nullptr) << "another database's table of the same oid";
  stats.Maintained(1, 100, /*vacuum=*/true, /*analyze=*/false);
  EXPECT_EQ(c->dead_tup.load(), 0);
  EXPECT_EQ(c->vacuum_count.load(), 1);
  EXPECT_EQ(c->mod_since_analyze.load(), 5);
}

TEST(TableStatsTest, PointWritersSettleTheirOwnChanges) {
  TableStats stats;
  {
    TableStats::OwnerScope owner(7);
    stats.Inserted(1, 100);
    stats.Inserted(1, 100);
  }
  {
    TableStats::OwnerScope owner(8);
    stats.Inserted(1, 100);
  }
  {
    TableStats::Uncounted again;
    stats.Inserted(1, 100);  // the overlay applied at COMMIT
  }
  stats.EndTransaction(1, 7, /*committed=*/true);
  stats.EndTransaction(1, 8, /*committed=*/false);
  const TableCounters* c = stats.Find(1, 100);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->tup_ins.load(), 3);
  EXPECT_EQ(c->live_tup.load(), 2);
  EXPECT_EQ(c->dead_tup.load(), 1);
  EXPECT_TRUE(c->pending.empty());
}

// Scans count from readers' threads while the writer counts changes: relaxed atomics only.
TEST(TableStatsTest, ReadersCountBesideTheWriter) {
  TableStats stats;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&stats] {
      for (int i = 0; i < 2000; ++i) {
        TableCounters& c = stats.For(1, 100 + static_cast<uint32_t>(i % 3));
        c.seq_scan.fetch_add(1, std::memory_order_relaxed);
        c.seq_tup_read.fetch_add(10, std::memory_order_relaxed);
        static_cast<void>(c.live_tup.load(std::memory_order_relaxed));
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    stats.Inserted(1, 100 + static_cast<uint32_t>(i % 3));
    if (i % 100 == 99) stats.EndTransaction(1, 0, true);
  }
  for (auto& t : readers) t.join();
  int64_t scans = 0, live = 0;
  for (uint32_t rel = 100; rel < 103; ++rel) {
    scans += stats.Find(1, rel)->seq_scan.load();
    live += stats.Find(1, rel)->live_tup.load();
  }
  EXPECT_EQ(scans, 6000);
  EXPECT_EQ(live, 2000);
}

}  // namespace
}  // namespace sqlrite::engine
