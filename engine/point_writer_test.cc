// Point writers through the facade (engine/point_writer.h): READ COMMITTED blocks of point
// statements run side by side under row locks, wait for each other's rows in order, never lose
// an update, and give way to the classic writer when they need it.

#include "engine/point_writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>

#include "engine/engine.h"
#include "engine/engine_queue.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

class PointWriterTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    options_.point_writers = true;
    ClusterTest::SetUp();
    a_ = Connect();
    b_ = Connect();
    c_ = Connect();
    Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v int)");
    Ok(*a_, "INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
  }
  void TearDown() override {
    for (auto* s : {&a_, &b_, &c_}) {
      if (*s) cluster_->Disconnect(**s);
      s->reset();
    }
    ClusterTest::TearDown();
  }

  QueryResult Ok(SessionState& s, std::string_view sql) { return ClusterTest::Ok(sql, &s); }
  Error Err(SessionState& s, std::string_view sql) { return ClusterTest::Err(sql, &s); }
  std::string Column(SessionState& s, std::string_view sql) {
    QueryResult r = Ok(s, sql);
    std::string out;
    for (const Row& row : r.rows) {
      if (!out.empty()) out += ",";
      out += IsNull(row[0]) ? "NULL" : FormatText(row[0], r.columns[0].type);
    }
    return out;
  }

  // A statement submitted as the server does (it may wait); its result lands in *done.
  struct Pending {
    std::vector<sql::ParsedStatement> parsed;
    std::optional<Result<QueryResult>> done;
  };
  std::unique_ptr<Pending> Submit(SessionState& s, std::string_view sql) {
    auto pending = std::make_unique<Pending>();
    auto parsed = sql::Parse(sql);
    EXPECT_TRUE(parsed);
    pending->parsed = std::move(*parsed);
    Pending* p = pending.get();
    cluster_->Submit(s, *p->parsed[0].statement,
                     [p](Result<QueryResult> r) { p->done = std::move(r); });
    return pending;
  }

  std::unique_ptr<SessionState> a_, b_, c_;
};

TEST_F(PointWriterTest, BlocksWritingOtherRowsRunSideBySide) {
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  // With the writer slot, this would be 55P03 (Execute never waits).
  Ok(*b_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 2");
  EXPECT_TRUE(a_->holds_writer());
  EXPECT_TRUE(b_->holds_writer());
  // Each sees its own change and not the other's.
  EXPECT_EQ(Column(*a_, "SELECT v FROM t ORDER BY id"), "11,20,30");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t WHERE id = 2"), "21");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t WHERE id = 1"), "10");
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t ORDER BY id"), "11,21,30");
  Ok(*b_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "11,21,30");
}

TEST_F(PointWriterTest, ASecondWriterOfTheSameRowWaitsAndLosesNoUpdate) {
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  Ok(*b_, "BEGIN");
  auto second = Submit(*b_, "UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_FALSE(second->done.has_value());
  Ok(*c_, "BEGIN; UPDATE t SET v = v + 5 WHERE id = 3; COMMIT");  // another row: no wait
  Ok(*a_, "UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_FALSE(second->done.has_value());
  Ok(*a_, "COMMIT");
  ASSERT_TRUE(second->done.has_value());
  ASSERT_TRUE(*second->done) << second->done->error().message;
  EXPECT_EQ((*second->done)->command_tag, "UPDATE 1");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t WHERE id = 1"), "13");
  Ok(*b_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "13,20,35");
}

TEST_F(PointWriterTest, RollbackDropsTheChangesAndWakesTheWaiter) {
  Ok(*a_, "BEGIN; UPDATE t SET v = 0 WHERE id = 1; INSERT INTO t VALUES (4, 40)");
  Ok(*b_, "BEGIN");
  auto second = Submit(*b_, "UPDATE t SET v = v + 1 WHERE id = 1");
  Ok(*a_, "ROLLBACK");
  ASSERT_TRUE(second->done.has_value() && *second->done);
  Ok(*b_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "11,20,30");
}

TEST_F(PointWriterTest, ADuplicateInsertWaitsForTheOtherBlockThenFails) {
  Ok(*a_, "BEGIN; INSERT INTO t VALUES (4, 40)");
  Ok(*b_, "BEGIN");
  auto dup = Submit(*b_, "INSERT INTO t VALUES (4, 41)");
  EXPECT_FALSE(dup->done.has_value());
  Ok(*a_, "COMMIT");
  ASSERT_TRUE(dup->done.has_value());
  ASSERT_FALSE(*dup->done);
  EXPECT_EQ(dup->done->error().sqlstate, "23505");
  EXPECT_EQ(Err(*b_, "SELECT 1").sqlstate, "25P02");
  EXPECT_EQ(Ok(*b_, "COMMIT").command_tag, "ROLLBACK");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t WHERE id = 4"), "40");
}

TEST_F(PointWriterTest, ADuplicateInsertSucceedsAfterTheOtherBlockRollsBack) {
  Ok(*a_, "BEGIN; INSERT INTO t VALUES (4, 40)");
  Ok(*b_, "BEGIN");
  auto dup = Submit(*b_, "INSERT INTO t VALUES (4, 41)");
  EXPECT_FALSE(dup->done.has_value());
  Ok(*a_, "ROLLBACK");
  ASSERT_TRUE(dup->done.has_value());
  ASSERT_TRUE(*dup->done) << dup->done->error().message;
  Ok(*b_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t WHERE id = 4"), "41");
  // Against the newest commit, at once.
  Ok(*a_, "BEGIN");
  EXPECT_EQ(Err(*a_, "INSERT INTO t VALUES (4, 42)").sqlstate, "23505");
  Ok(*a_, "ROLLBACK");
}

TEST_F(PointWriterTest, AnErrorFailsTheBlockWhichKeepsItsLocksUntilRollback) {
  Ok(*a_, "BEGIN; UPDATE t SET v = 0 WHERE id = 1");
  EXPECT_EQ(Err(*a_, "INSERT INTO t VALUES (2, 0)").sqlstate, "23505");
  EXPECT_EQ(Err(*a_, "UPDATE t SET v = 1 WHERE id = 3").sqlstate, "25P02");
  Ok(*b_, "BEGIN");
  auto waiting = Submit(*b_, "UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_FALSE(waiting->done.has_value());
  Ok(*a_, "ROLLBACK");
  ASSERT_TRUE(waiting->done.has_value() && *waiting->done);
  Ok(*b_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "11,20,30");
}

TEST_F(PointWriterTest, RowsWaitedForInACycleAreADeadlock) {
  cluster_->SetCancelKey(*a_, 101, 1);
  cluster_->SetCancelKey(*b_, 102, 2);
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  Ok(*b_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 2");
  auto first = Submit(*a_, "UPDATE t SET v = v + 1 WHERE id = 2");
  EXPECT_FALSE(first->done.has_value());
  Error e = Err(*b_, "UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_EQ(e.sqlstate, "40P01");
  EXPECT_EQ(e.message, "deadlock detected");
  EXPECT_NE(e.detail.find("Process 102 waits for ShareLock on transaction"), std::string::npos)
      << e.detail;
  EXPECT_NE(e.detail.find("blocked by process 101."), std::string::npos) << e.detail;
  EXPECT_FALSE(first->done.has_value());
  Ok(*b_, "ROLLBACK");
  ASSERT_TRUE(first->done.has_value() && *first->done);
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "11,21,30");
}

TEST_F(PointWriterTest, AnotherStatementUpgradesTheBlockOnceItIsTheOnlyPointWriter) {
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  Ok(*b_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 2");
  auto upgrade = Submit(*a_, "DELETE FROM t WHERE id = 3");
  EXPECT_FALSE(upgrade->done.has_value());
  // No new point writer starts while it waits: c_ waits behind it.
  Ok(*c_, "BEGIN");
  auto behind = Submit(*c_, "UPDATE t SET v = 0 WHERE id = 3");
  EXPECT_FALSE(behind->done.has_value());
  Ok(*b_, "COMMIT");
  ASSERT_TRUE(upgrade->done.has_value());
  ASSERT_TRUE(*upgrade->done) << upgrade->done->error().message;
  EXPECT_EQ((*upgrade->done)->command_tag, "DELETE 1");
  EXPECT_FALSE(behind->done.has_value());  // a_ is the classic writer now
  EXPECT_EQ(Column(*a_, "SELECT v FROM t ORDER BY id"), "11,21");
  Ok(*a_, "COMMIT");
  ASSERT_TRUE(behind->done.has_value() && *behind->done);
  EXPECT_EQ((*behind->done)->command_tag, "UPDATE 0");
  Ok(*c_, "COMMIT");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t ORDER BY id"), "11,21");
}

TEST_F(PointWriterTest, TwoUpgradersWaitingForEachOtherAreADeadlock) {
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  Ok(*b_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 2");
  auto upgrade = Submit(*a_, "DELETE FROM t WHERE id = 3");
  EXPECT_FALSE(upgrade->done.has_value());
  EXPECT_EQ(Err(*b_, "DELETE FROM t WHERE id = 3").sqlstate, "40P01");
  Ok(*b_, "ROLLBACK");
  ASSERT_TRUE(upgrade->done.has_value() && *upgrade->done);
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "11,20");
}

TEST_F(PointWriterTest, AClassicWriterWaitsForThePointWriters) {
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_EQ(Err(*b_, "UPDATE t SET v = 0").sqlstate, "55P03");  // Execute never waits
  auto classic = Submit(*b_, "UPDATE t SET v = 0");
  EXPECT_FALSE(classic->done.has_value());
  Ok(*a_, "COMMIT");
  ASSERT_TRUE(classic->done.has_value() && *classic->done);
  EXPECT_EQ((*classic->done)->command_tag, "UPDATE 3");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "0,0,0");
}

TEST_F(PointWriterTest, InsertsWithoutAKeyNeverWait) {
  Ok(*a_, "CREATE TABLE h (tid int, delta int)");
  Ok(*a_, "BEGIN; INSERT INTO h VALUES (1, 5)");
  Ok(*b_, "BEGIN; INSERT INTO h VALUES (2, 6); INSERT INTO h VALUES (3, 7)");
  EXPECT_EQ(Column(*b_, "SELECT count(*) FROM h"), "2");
  Ok(*b_, "COMMIT");
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT tid FROM h ORDER BY tid"), "1,2,3");
}

// A trial writes only the overlay entries of the table its statement reads (OverlayTrial's
// `table`), and the whole overlay for a SELECT that may read more: every shape sees all of the
// block's own changes.
TEST_F(PointWriterTest, EveryStatementSeesTheBlocksOwnChangesToEachTable) {
  Ok(*a_, "CREATE TABLE u (id int PRIMARY KEY, w int)");
  Ok(*a_, "CREATE TABLE h (tid int, delta int)");
  Ok(*a_, "INSERT INTO u VALUES (1, 100), (2, 200)");
  Ok(*a_, "CREATE VIEW tu AS SELECT t.id, t.v, u.w FROM t JOIN u USING (id)");
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1; UPDATE u SET w = w + 1 WHERE id = 2");
  Ok(*a_, "INSERT INTO h VALUES (1, 5)");
  Ok(*a_, "UPDATE u SET w = w + 1 WHERE id = 1; UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_EQ(Column(*a_, "SELECT v FROM t WHERE id = 1"), "12");
  EXPECT_EQ(Column(*a_, "SELECT w FROM u ORDER BY id"), "101,201");
  EXPECT_EQ(Column(*a_, "SELECT t.v + u.w FROM t JOIN u ON u.id = t.id ORDER BY t.id"), "113,221");
  EXPECT_EQ(Column(*a_, "SELECT w FROM tu ORDER BY id"), "101,201");
  EXPECT_EQ(Column(*a_, "SELECT (SELECT sum(w) FROM u) + v FROM t WHERE id = 1"), "314");
  EXPECT_EQ(Column(*a_, "SELECT count(*) FROM h"), "1");
  Ok(*a_, "INSERT INTO h VALUES (2, 6)");
  EXPECT_EQ(Column(*a_, "SELECT sum(delta) FROM h"), "11");
  EXPECT_EQ(Column(*b_, "SELECT count(*) FROM h"), "0");
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t WHERE id = 1"), "12");
  EXPECT_EQ(Column(*c_, "SELECT w FROM u ORDER BY id"), "101,201");
  EXPECT_EQ(Column(*c_, "SELECT sum(delta) FROM h"), "11");
}

TEST_F(PointWriterTest, AReadOnlyModeSetAfterAWriteRefusesTheNext) {
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1; SET TRANSACTION READ ONLY");
  EXPECT_EQ(Err(*a_, "UPDATE t SET v = v + 1 WHERE id = 2").sqlstate, "25006");
  Ok(*a_, "ROLLBACK");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t ORDER BY id"), "10,20,30");
}

TEST_F(PointWriterTest, CancelEndsARowLockWait) {
  cluster_->SetCancelKey(*b_, 7, 1234);
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  Ok(*b_, "BEGIN");
  auto waiting = Submit(*b_, "UPDATE t SET v = v + 1 WHERE id = 1");
  ASSERT_FALSE(waiting->done.has_value());
  b_->interrupt_flag()->Raise(InterruptReason::kCancel);
  cluster_->Cancel(7, 1234);
  ASSERT_TRUE(waiting->done.has_value() && !*waiting->done);
  EXPECT_EQ(waiting->done->error().sqlstate, "57014");
  b_->interrupt_flag()->Clear();
  Ok(*b_, "ROLLBACK");
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*c_, "SELECT v FROM t WHERE id = 1"), "11");
}

TEST_F(PointWriterTest, SwitchedOffEveryWritingBlockTakesTheSlot) {
  options_.point_writers = false;
  for (auto* s : {&a_, &b_, &c_}) {
    cluster_->Disconnect(**s);
    s->reset();
  }
  Reopen();
  a_ = Connect();
  b_ = Connect();
  Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
  EXPECT_EQ(Err(*b_, "UPDATE t SET v = v + 1 WHERE id = 2").sqlstate, "55P03");
  Ok(*a_, "COMMIT");
}

// lock_timeout ends a row lock wait through the engine queue's timer.
TEST_F(PointWriterTest, LockTimeoutEndsARowLockWait) {
  for (auto* s : {&a_, &b_, &c_}) {
    cluster_->Disconnect(**s);
    s->reset();
  }
  CloseCluster();
  EngineQueue queue;
  auto run = [&](auto f) {
    std::promise<void> finished;
    queue.Post([&] {
      f();
      finished.set_value();
    });
    finished.get_future().wait();
  };
  options_.queue = &queue;
  std::unique_ptr<Pending> waiting;
  run([&] {
    Open();
    a_ = Connect();
    b_ = Connect();
    Ok(*a_, "BEGIN; UPDATE t SET v = v + 1 WHERE id = 1");
    Ok(*b_, "SET lock_timeout = '50ms'; BEGIN");
    waiting = Submit(*b_, "UPDATE t SET v = v + 1 WHERE id = 1");
  });
  for (int i = 0; i < 500; ++i) {
    bool done = false;
    run([&] { done = waiting->done.has_value(); });
    if (done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  run([&] {
    ASSERT_TRUE(waiting->done.has_value() && !*waiting->done);
    EXPECT_EQ(waiting->done->error().sqlstate, "55P03");
    EXPECT_EQ(waiting->done->error().message, "canceling statement due to lock timeout");
    Ok(*b_, "ROLLBACK");
    Ok(*a_, "COMMIT");
    cluster_->Disconnect(*a_);
    cluster_->Disconnect(*b_);
    a_.reset();
    b_.reset();
    CloseCluster();
  });
  queue.Stop();
}

}  // namespace
}  // namespace sqlrite::engine
