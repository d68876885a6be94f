// Transactions through the facade: blocks, savepoints, the single writer with parked writes,
// read-committed readers, persistence, and the offline integrity check.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>

#include "engine/engine.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

// Two sessions, a_ and b_, beside the fixture's own.
class TransactionTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    a_ = Connect();
    b_ = Connect();
  }
  void TearDown() override {
    Disconnect();
    ClusterTest::TearDown();
  }
  // With the engine thread's queue when given (for parked writes' timers).
  void Open(EngineQueue* queue = nullptr) {
    options_.queue = queue;
    ClusterTest::Open();
    a_ = Connect();
    b_ = Connect();
  }
  void CloseCluster() {
    Disconnect();
    ClusterTest::CloseCluster();
  }
  void Disconnect() {
    if (a_) cluster_->Disconnect(*a_);
    if (b_) cluster_->Disconnect(*b_);
    a_.reset();
    b_.reset();
  }

  Result<QueryResult> Exec(SessionState& s, std::string_view sql) {
    return ClusterTest::Exec(sql, &s);
  }
  QueryResult Ok(SessionState& s, std::string_view sql) { return ClusterTest::Ok(sql, &s); }
  Error Err(SessionState& s, std::string_view sql) { return ClusterTest::Err(sql, &s); }
  // The single column of the rows, joined by ','.
  std::string Column(SessionState& s, std::string_view sql) {
    QueryResult r = Ok(s, sql);
    std::string out;
    for (const Row& row : r.rows) {
      if (!out.empty()) out += ",";
      out += IsNull(row[0]) ? "NULL" : FormatText(row[0], r.columns[0].type);
    }
    return out;
  }

  std::unique_ptr<SessionState> a_, b_;
};

TEST_F(TransactionTest, RollbackLeavesNothingCommitKeeps) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v text)");
  EXPECT_EQ(Ok(*a_, "BEGIN").command_tag, "BEGIN");
  EXPECT_EQ(a_->tx_status(), TxStatus::kInTransaction);
  Ok(*a_, "INSERT INTO t VALUES (1, 'one')");
  EXPECT_EQ(Column(*a_, "SELECT v FROM t"), "one");
  EXPECT_EQ(Ok(*a_, "ROLLBACK").command_tag, "ROLLBACK");
  EXPECT_EQ(a_->tx_status(), TxStatus::kIdle);
  EXPECT_EQ(Column(*a_, "SELECT v FROM t"), "");
  Ok(*a_, "START TRANSACTION; INSERT INTO t VALUES (2, 'two')");
  // Through Submit the commit's durability is left to the batch's SyncCommits (group commit).
  auto end = sql::Parse("END");
  ASSERT_TRUE(end);
  std::optional<Result<QueryResult>> commit;
  cluster_->Submit(*a_, *(*end)[0].statement, "END",
                   [&](Result<QueryResult> r) { commit = std::move(r); });
  ASSERT_TRUE(commit.has_value() && *commit);
  EXPECT_EQ((*commit)->command_tag, "COMMIT");
  EXPECT_TRUE((*commit)->awaits_sync);
  EXPECT_TRUE(cluster_->SyncCommits());
  // Execute is synchronous: nothing is left to sync.
  EXPECT_FALSE(Ok(*a_, "INSERT INTO t VALUES (3, 'three')").awaits_sync);
  EXPECT_EQ(Column(*b_, "SELECT v FROM t ORDER BY id"), "two,three");
}

TEST_F(TransactionTest, WarningsOutsideAndInsideBlocks) {
  QueryResult r = Ok(*a_, "COMMIT");
  EXPECT_EQ(r.command_tag, "COMMIT");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].sqlstate, "25P01");
  EXPECT_EQ(r.notices[0].severity, Severity::kWarning);
  r = Ok(*a_, "ROLLBACK");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "there is no transaction in progress");
  Ok(*a_, "BEGIN");
  r = Ok(*a_, "BEGIN");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].sqlstate, "25001");
  EXPECT_EQ(r.notices[0].message, "there is already a transaction in progress");
  Ok(*a_, "COMMIT");
  Error e = Err(*a_, "SAVEPOINT s");
  EXPECT_EQ(e.sqlstate, "25P01");
  EXPECT_EQ(e.message, "SAVEPOINT can only be used in transaction blocks");
  EXPECT_EQ(Err(*a_, "BEGIN; CREATE DATABASE x").sqlstate, "25001");
  Ok(*a_, "ROLLBACK");
}

TEST_F(TransactionTest, ErrorFailsBlockUntilRollback) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY)");
  Ok(*a_, "BEGIN; INSERT INTO t VALUES (1)");
  EXPECT_EQ(Err(*a_, "INSERT INTO t VALUES (1)").sqlstate, "23505");
  EXPECT_EQ(a_->tx_status(), TxStatus::kFailed);
  Error e = Err(*a_, "SELECT 1");
  EXPECT_EQ(e.sqlstate, "25P02");
  EXPECT_EQ(e.message,
            "current transaction is aborted, commands ignored until end of transaction block");
  EXPECT_EQ(Ok(*a_, "COMMIT").command_tag, "ROLLBACK");
  EXPECT_EQ(a_->tx_status(), TxStatus::kIdle);
  EXPECT_EQ(Column(*a_, "SELECT count(*) FROM t"), "0");
}

TEST_F(TransactionTest, FailedStatementInBlockLeavesNoTrace) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY)");
  Ok(*a_, "BEGIN; INSERT INTO t VALUES (1); SAVEPOINT s");
  // The multi-row insert fails on its second row: the first must not survive ROLLBACK TO.
  EXPECT_EQ(Err(*a_, "INSERT INTO t VALUES (2), (1)").sqlstate, "23505");
  EXPECT_EQ(Ok(*a_, "ROLLBACK TO SAVEPOINT s").command_tag, "ROLLBACK");
  EXPECT_EQ(a_->tx_status(), TxStatus::kInTransaction);
  EXPECT_EQ(Column(*a_, "SELECT id FROM t ORDER BY id"), "1");
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*b_, "SELECT id FROM t ORDER BY id"), "1");
}

TEST_F(TransactionTest, SavepointsRestoreAndRelease) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v int)");
  Ok(*a_, "INSERT INTO t VALUES (1, 10)");
  Ok(*a_, "BEGIN; SAVEPOINT before_write; UPDATE t SET v = 11; SAVEPOINT s1");
  Ok(*a_, "UPDATE t SET v = 12; INSERT INTO t VALUES (2, 20)");
  Ok(*a_, "ROLLBACK TO s1");
  EXPECT_EQ(Column(*a_, "SELECT v FROM t ORDER BY id"), "11");
  Ok(*a_, "UPDATE t SET v = 13");
  EXPECT_EQ(Ok(*a_, "RELEASE SAVEPOINT s1").command_tag, "RELEASE");
  EXPECT_EQ(Column(*a_, "SELECT v FROM t"), "13");
  Error e = Err(*a_, "ROLLBACK TO s1");
  EXPECT_EQ(e.sqlstate, "3B001");
  EXPECT_EQ(e.message, "savepoint \"s1\" does not exist");
  Ok(*a_, "ROLLBACK TO before_write");
  EXPECT_EQ(Column(*a_, "SELECT v FROM t"), "10");
  Ok(*a_, "UPDATE t SET v = 14; COMMIT");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t"), "14");
}

TEST_F(TransactionTest, ReaderSeesLastCommitWhileWriterIsOpen) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v int)");
  Ok(*a_, "INSERT INTO t VALUES (1, 10)");
  Ok(*a_, "BEGIN; UPDATE t SET v = 20");
  EXPECT_EQ(Column(*a_, "SELECT v FROM t"), "20");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t"), "10");
  Ok(*b_, "BEGIN");
  EXPECT_EQ(Column(*b_, "SELECT v FROM t"), "10");
  Ok(*a_, "COMMIT");
  // Read committed: the next statement of b's block sees a's commit.
  EXPECT_EQ(Column(*b_, "SELECT v FROM t"), "20");
  Ok(*b_, "COMMIT");
  EXPECT_EQ(Column(*b_, "SHOW transaction_isolation"), "read committed");
}

TEST_F(TransactionTest, DdlInOpenBlockIsInvisibleToOthers) {
  Ok(*a_, "CREATE TABLE keep (id int)");
  Ok(*a_, "BEGIN; CREATE TABLE fresh (id int); INSERT INTO fresh VALUES (1); DROP TABLE keep");
  EXPECT_EQ(Err(*b_, "SELECT * FROM fresh").sqlstate, "42P01");
  EXPECT_EQ(Column(*b_, "SELECT count(*) FROM keep"), "0");
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*b_, "SELECT id FROM fresh"), "1");
  EXPECT_EQ(Err(*b_, "SELECT * FROM keep").sqlstate, "42P01");
}

TEST_F(TransactionTest, SecondWriterParksUntilCommit) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v int)");
  Ok(*a_, "INSERT INTO t VALUES (1, 10)");
  Ok(*a_, "BEGIN; UPDATE t SET v = 20");
  auto parsed = sql::Parse("UPDATE t SET v = v + 1");
  ASSERT_TRUE(parsed);
  std::optional<Result<QueryResult>> done;
  cluster_->Submit(*b_, *(*parsed)[0].statement,
                   [&](Result<QueryResult> r) { done = std::move(r); });
  EXPECT_FALSE(done.has_value());
  // Execute never waits.
  EXPECT_EQ(Err(*b_, "DELETE FROM t").sqlstate, "55P03");
  EXPECT_FALSE(done.has_value());
  Ok(*a_, "COMMIT");
  ASSERT_TRUE(done.has_value());
  ASSERT_TRUE(*done) << (*done).error().message;
  EXPECT_EQ((*done)->command_tag, "UPDATE 1");
  EXPECT_TRUE((*done)->awaits_sync);
  EXPECT_TRUE(cluster_->SyncCommits());
  EXPECT_EQ(Column(*a_, "SELECT v FROM t"), "21");
}

// SELECT ... FOR UPDATE takes the writer slot (engine/analyze/row_locking.h): a writer parks
// until the block ends, NOWAIT fails at once, and the block's later writes see what it read.
TEST_F(TransactionTest, SelectForUpdateHoldsItsRowsUntilTheBlockEnds) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v int)");
  Ok(*a_, "INSERT INTO t VALUES (1, 10), (2, 20)");
  Ok(*a_, "BEGIN");
  EXPECT_EQ(Column(*a_, "SELECT v FROM t WHERE id = 1 FOR UPDATE"), "10");
  auto parsed = sql::Parse("UPDATE t SET v = v + 1 WHERE id = 1");
  ASSERT_TRUE(parsed);
  std::optional<Result<QueryResult>> done;
  cluster_->Submit(*b_, *(*parsed)[0].statement,
                   [&](Result<QueryResult> r) { done = std::move(r); });
  EXPECT_FALSE(done.has_value());
  Error nowait = Err(*b_, "SELECT * FROM t AS x WHERE id = 2 FOR SHARE NOWAIT");
  EXPECT_EQ(nowait.sqlstate, "55P03");
  EXPECT_EQ(nowait.message, "could not obtain lock on row in relation \"t\"");
  // Through a derived table, the table it reads; nothing to lock is a plain SELECT.
  EXPECT_EQ(Err(*b_, "SELECT * FROM (SELECT * FROM t) s FOR UPDATE NOWAIT").message,
            "could not obtain lock on row in relation \"t\"");
  EXPECT_EQ(Column(*b_, "SELECT 1 FOR UPDATE NOWAIT"), "1");
  EXPECT_EQ(Column(*b_, "SELECT g FROM generate_series(1, 2) g FOR UPDATE NOWAIT"), "1,2");
  // Analysis comes first.
  EXPECT_EQ(Err(*b_, "SELECT nope FROM t FOR UPDATE NOWAIT").sqlstate, "42703");
  Ok(*a_, "UPDATE t SET v = 11 WHERE id = 1");
  EXPECT_FALSE(done.has_value());
  Ok(*a_, "COMMIT");
  ASSERT_TRUE(done.has_value());
  ASSERT_TRUE(*done) << (*done).error().message;
  EXPECT_EQ(Column(*a_, "SELECT v FROM t WHERE id = 1"), "12");
  // Outside a block: a statement of its own, with its command tag and rows.
  QueryResult autocommit = Ok(*b_, "SELECT id FROM t ORDER BY id FOR NO KEY UPDATE SKIP LOCKED");
  EXPECT_EQ(autocommit.command_tag, "SELECT 2");
  EXPECT_EQ(Column(*b_, "SELECT id FROM t FOR UPDATE NOWAIT"), "1,2");
}

TEST_F(TransactionTest, SelectForUpdateFollowsPostgresRules) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v int)");
  Ok(*a_, "CREATE TABLE u (id int PRIMARY KEY)");
  auto refused = [&](std::string_view sql, const char* sqlstate, const std::string& message) {
    Error e = Err(*a_, sql);
    EXPECT_EQ(e.sqlstate, sqlstate) << sql;
    EXPECT_EQ(e.message, message) << sql;
  };
  refused("SELECT count(*) FROM t FOR UPDATE", "0A000",
          "FOR UPDATE is not allowed with aggregate functions");
  refused("SELECT DISTINCT v FROM t FOR SHARE", "0A000",
          "FOR SHARE is not allowed with DISTINCT clause");
  refused("SELECT v FROM t GROUP BY v FOR KEY SHARE", "0A000",
          "FOR KEY SHARE is not allowed with GROUP BY clause");
  refused("SELECT id FROM t UNION SELECT id FROM u FOR UPDATE", "0A000",
          "FOR UPDATE is not allowed with UNION/INTERSECT/EXCEPT");
  refused("SELECT row_number() OVER () FROM t FOR UPDATE", "0A000",
          "FOR UPDATE is not allowed with window functions");
  refused("SELECT * FROM t LEFT JOIN u ON t.id = u.id FOR UPDATE", "0A000",
          "FOR UPDATE cannot be applied to the nullable side of an outer join");
  refused("SELECT * FROM t, generate_series(1, 2) g FOR UPDATE OF g", "0A000",
          "FOR UPDATE cannot be applied to a function");
  Error missing = Err(*a_, "SELECT * FROM t FOR UPDATE OF u");
  EXPECT_EQ(missing.sqlstate, "42P01");
  EXPECT_EQ(missing.message, "relation \"u\" in FOR UPDATE clause not found in FROM clause");
  EXPECT_EQ(missing.position, 31);
  // The nullable side is fine when OF leaves it out.
  EXPECT_EQ(Ok(*a_, "SELECT * FROM t LEFT JOIN u ON t.id = u.id FOR UPDATE OF t").command_tag,
            "SELECT 0");
  // VALUES and a derived table over no table lock nothing, on either side of a join.
  EXPECT_EQ(Ok(*a_, "SELECT * FROM t LEFT JOIN (VALUES (1)) v (x) ON true FOR UPDATE").command_tag,
            "SELECT 0");
  EXPECT_EQ(Ok(*a_, "SELECT * FROM t LEFT JOIN (SELECT 1 AS x) s ON true FOR UPDATE").command_tag,
            "SELECT 0");
  // A READ ONLY block refuses it after analysis, naming the clause, unless it locks nothing.
  Ok(*a_, "BEGIN READ ONLY");
  refused("SELECT * FROM t FOR SHARE", "25006",
          "cannot execute SELECT FOR SHARE in a read-only transaction");
  Ok(*a_, "ROLLBACK");
  Ok(*a_, "BEGIN READ ONLY");
  EXPECT_EQ(Column(*a_, "SELECT 1 FOR UPDATE"), "1");
  EXPECT_EQ(Column(*a_, "SELECT x FROM (VALUES (2)) v (x) FOR UPDATE"), "2");
  Ok(*a_, "ROLLBACK");
}

TEST_F(TransactionTest, CancelEndsAParkedWriteOnlyWhileTheFlagIsRaised) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v int)");
  Ok(*a_, "INSERT INTO t VALUES (1, 10)");
  Ok(*a_, "BEGIN; UPDATE t SET v = 20");
  cluster_->SetCancelKey(*b_, 7, 1234);
  auto parsed = sql::Parse("UPDATE t SET v = v + 1");
  ASSERT_TRUE(parsed);
  std::optional<Result<QueryResult>> done;
  cluster_->Submit(*b_, *(*parsed)[0].statement,
                   [&](Result<QueryResult> r) { done = std::move(r); });
  ASSERT_FALSE(done.has_value());
  // The engine task of a CancelRequest whose flag a new query already cleared: nothing.
  cluster_->Cancel(7, 1234);
  EXPECT_FALSE(done.has_value());
  std::shared_ptr<InterruptFlag> flag = b_->interrupt_flag();
  ASSERT_TRUE(flag);
  flag->Raise(InterruptReason::kCancel);
  cluster_->Cancel(7, 9999);  // a wrong key
  EXPECT_FALSE(done.has_value());
  cluster_->Cancel(7, 1234);
  ASSERT_TRUE(done.has_value());
  ASSERT_FALSE(*done);
  EXPECT_EQ(done->error().sqlstate, "57014");
  EXPECT_EQ(done->error().message, "canceling statement due to user request");
  // A statement submitted while the flag is raised stops before it begins, however short.
  std::optional<Result<QueryResult>> next;
  auto select = sql::Parse("SELECT 1");
  ASSERT_TRUE(select);
  cluster_->Submit(*b_, *(*select)[0].statement,
                   [&](Result<QueryResult> r) { next = std::move(r); });
  ASSERT_TRUE(next.has_value() && !*next);
  EXPECT_EQ(next->error().sqlstate, "57014");
  flag->Clear();
  next.reset();
  cluster_->Submit(*b_, *(*select)[0].statement,
                   [&](Result<QueryResult> r) { next = std::move(r); });
  ASSERT_TRUE(next.has_value() && *next);
  Ok(*a_, "COMMIT");
}

// A READ ONLY block of any level never takes the writer slot: another session writes at once
// (Execute fails 55P03 rather than wait if the slot is held), and its own writes fail with 25006.
TEST_F(TransactionTest, ReadOnlyBlockNeverTakesTheWriter) {
  Ok(*a_, "CREATE TABLE t (id int)");
  Ok(*a_, "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY");
  EXPECT_EQ(Column(*a_, "SHOW transaction_read_only"), "on");
  Ok(*b_, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(Column(*a_, "SELECT count(*) FROM t"), "1");
  Error refused = Err(*a_, "INSERT INTO t VALUES (2)");
  EXPECT_EQ(refused.sqlstate, "25006");
  EXPECT_EQ(refused.message, "cannot execute INSERT in a read-only transaction");
  Ok(*a_, "ROLLBACK");
  // Read write before any query: a repeatable read block that may write, which blocks nobody.
  Ok(*a_, "BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ");
  Ok(*a_, "SET TRANSACTION READ WRITE");
  Ok(*b_, "INSERT INTO t VALUES (3)");
  Ok(*a_, "COMMIT");
  // After a query it is too late.
  Ok(*a_, "BEGIN READ ONLY");
  Ok(*a_, "SELECT 1");
  Error late = Err(*a_, "SET TRANSACTION READ WRITE");
  EXPECT_EQ(late.sqlstate, "25001");
  EXPECT_EQ(late.message, "transaction read-write mode must be set before any query");
  Ok(*a_, "ROLLBACK");
  // default_transaction_read_only: autocommit writes are refused too.
  Ok(*a_, "SET default_transaction_read_only = on");
  EXPECT_EQ(Err(*a_, "DROP TABLE t").message,
            "cannot execute DROP TABLE in a read-only transaction");
  EXPECT_EQ(Err(*a_, "INSERT INTO nope VALUES (1)").sqlstate, "42P01");
}

TEST_F(TransactionTest, SerializableBlockReadsItsSnapshotAndFailsAStaleWrite) {
  Ok(*a_, "CREATE TABLE t (id int)");
  Ok(*a_, "BEGIN ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(Column(*a_, "SHOW transaction_isolation"), "serializable");
  // BEGIN takes nothing: another session writes at once, and the first query sees it.
  Ok(*b_, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(Column(*a_, "SELECT count(*) FROM t"), "1");
  // From then on the block reads its snapshot, whatever commits.
  Ok(*b_, "INSERT INTO t VALUES (2)");
  EXPECT_EQ(Column(*a_, "SELECT count(*) FROM t"), "1");
  // Its first write comes after a newer commit: 40001, and the block is failed.
  Error stale = Err(*a_, "INSERT INTO t VALUES (3)");
  EXPECT_EQ(stale.sqlstate, "40001");
  EXPECT_EQ(stale.message, "could not serialize access due to concurrent update");
  EXPECT_EQ(a_->tx_status(), TxStatus::kFailed);
  Ok(*a_, "ROLLBACK");
  // The writer slot went with the error: others write.
  Ok(*b_, "INSERT INTO t VALUES (4)");
  // Without a newer commit the write goes through and the block sees its own rows.
  Ok(*a_, "BEGIN ISOLATION LEVEL REPEATABLE READ");
  EXPECT_EQ(Column(*a_, "SELECT count(*) FROM t"), "3");
  Ok(*a_, "INSERT INTO t VALUES (5)");
  EXPECT_EQ(Column(*a_, "SELECT count(*) FROM t"), "4");
  EXPECT_EQ(Err(*b_, "INSERT INTO t VALUES (6)").sqlstate, "55P03");
  Ok(*a_, "COMMIT");
  EXPECT_EQ(Column(*b_, "SELECT count(*) FROM t"), "4");
}

TEST_F(TransactionTest, DisconnectRollsBackAndWakesWaiter) {
  Ok(*a_, "CREATE TABLE t (id int)");
  Ok(*a_, "BEGIN; INSERT INTO t VALUES (1)");
  auto parsed = sql::Parse("INSERT INTO t VALUES (2)");
  ASSERT_TRUE(parsed);
  std::optional<Result<QueryResult>> done;
  cluster_->Submit(*b_, *(*parsed)[0].statement,
                   [&](Result<QueryResult> r) { done = std::move(r); });
  EXPECT_FALSE(done.has_value());
  cluster_->Disconnect(*a_);
  a_.reset();
  ASSERT_TRUE(done.has_value());
  EXPECT_TRUE(*done);
  EXPECT_EQ(Column(*b_, "SELECT id FROM t"), "2");
}

TEST_F(TransactionTest, LockTimeoutFailsParkedWrite) {
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
  run([&] { Open(&queue); });
  auto parsed = sql::Parse("INSERT INTO t VALUES (2)");
  ASSERT_TRUE(parsed);
  std::promise<Result<QueryResult>> parked;
  run([&] {
    Ok(*a_, "CREATE TABLE t (id int)");
    Ok(*a_, "BEGIN; INSERT INTO t VALUES (1)");
    Ok(*b_, "SET lock_timeout = '50ms'");
    cluster_->Submit(*b_, *(*parsed)[0].statement,
                     [&](Result<QueryResult> r) { parked.set_value(std::move(r)); });
  });
  auto future = parked.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  Result<QueryResult> r = future.get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "55P03");
  EXPECT_EQ(r.error().message, "canceling statement due to lock timeout");
  run([&] {
    Ok(*b_, "SET statement_timeout = '1s'; SET lock_timeout = 0");
    Ok(*a_, "COMMIT");
    EXPECT_EQ(Column(*b_, "SELECT count(*) FROM t"), "1");
    CloseCluster();
  });
  queue.Stop();
}

// PostgreSQL's DROP DATABASE waits (up to 5 s) for the other sessions of the database to end;
// psql's "\c postgres" then "drop database other" races with the old session's exit.
TEST_F(TransactionTest, SubmittedDropDatabaseWaitsForTheLastSession) {
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
  auto parsed = sql::Parse("DROP DATABASE other");
  ASSERT_TRUE(parsed);
  std::unique_ptr<SessionState> other;
  std::optional<Result<QueryResult>> dropped;
  run([&] {
    Open(&queue);
    Ok(*a_, "CREATE DATABASE other");
    auto s = cluster_->Connect("postgres", "other", {});
    ASSERT_TRUE(s);
    other = std::move(*s);
    // Execute never waits.
    EXPECT_EQ(Err(*a_, "DROP DATABASE other").sqlstate, "55006");
    cluster_->Submit(*a_, *(*parsed)[0].statement,
                     [&](Result<QueryResult> r) { dropped = std::move(r); });
    EXPECT_FALSE(dropped.has_value());
    // Other databases' sessions do not end the wait.
    cluster_->Disconnect(*b_);
    b_.reset();
    EXPECT_FALSE(dropped.has_value());
    cluster_->Disconnect(*other);
    other.reset();
    ASSERT_TRUE(dropped.has_value());
    ASSERT_TRUE(*dropped) << (*dropped).error().message;
    EXPECT_EQ((*dropped)->command_tag, "DROP DATABASE");
    auto gone = cluster_->Connect("postgres", "other", {});
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().sqlstate, "3D000");
    CloseCluster();
  });
  queue.Stop();
}

TEST_F(TransactionTest, SubmittedDropDatabaseFailsAfterFiveSecondsInUse) {
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
  auto parsed = sql::Parse("DROP DATABASE other");
  ASSERT_TRUE(parsed);
  std::unique_ptr<SessionState> other;
  std::promise<Result<QueryResult>> dropped;
  const auto start = std::chrono::steady_clock::now();
  run([&] {
    Open(&queue);
    Ok(*a_, "CREATE DATABASE other");
    auto s = cluster_->Connect("postgres", "other", {});
    ASSERT_TRUE(s);
    other = std::move(*s);
    cluster_->Submit(*a_, *(*parsed)[0].statement,
                     [&](Result<QueryResult> r) { dropped.set_value(std::move(r)); });
  });
  auto future = dropped.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(4900));
  Result<QueryResult> r = future.get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "55006");
  EXPECT_EQ(r.error().message, "database \"other\" is being accessed by other users");
  EXPECT_EQ(r.error().detail, "There is 1 other session using the database.");
  run([&] {
    // The block-less session carries on; the database is still there.
    EXPECT_EQ(a_->tx_status(), TxStatus::kIdle);
    cluster_->Disconnect(*other);
    other.reset();
    Ok(*a_, "DROP DATABASE other");
    CloseCluster();
  });
  queue.Stop();
}

TEST_F(TransactionTest, CommittedBlocksSurviveReopen) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, v text)");
  Ok(*a_, "BEGIN; INSERT INTO t VALUES (1, 'a'), (2, 'b'); COMMIT");
  Ok(*a_, "BEGIN; INSERT INTO t VALUES (3, 'c'); ROLLBACK");
  Ok(*a_, "INSERT INTO t VALUES (4, 'd')");
  EXPECT_TRUE(cluster_->SyncCommits());
  CloseCluster();
  Open();
  EXPECT_EQ(Column(*a_, "SELECT v FROM t ORDER BY id"), "a,b,d");
}

TEST_F(TransactionTest, ErrorPositionsCountCharacters) {
  Error e = Err(*a_, "SELECT 'ééé', x FROM nope");
  EXPECT_EQ(e.sqlstate, "42P01");
  EXPECT_EQ(e.position, 22);
  EXPECT_EQ(CharacterPosition("ab", 0), 0);
  EXPECT_EQ(CharacterPosition("\xc3\xa9x", 3), 2);
}

TEST_F(TransactionTest, CheckDataDirPassesThenCatchesCorruption) {
  Ok(*a_, "CREATE TABLE t (id int PRIMARY KEY, name text UNIQUE, pad text)");
  Ok(*a_, "BEGIN");
  for (int i = 0; i < 300; ++i) {
    Ok(*a_, "INSERT INTO t VALUES (" + std::to_string(i) + ", 'n" + std::to_string(i) + "', '" +
                std::string(200, 'x') + "')");
  }
  Ok(*a_, "COMMIT");
  std::string report;
  // The running cluster holds the lock.
  EXPECT_FALSE(CheckDataDir(dir_, &report));
  CloseCluster();
  report.clear();
  Status healthy = CheckDataDir(dir_, &report);
  EXPECT_TRUE(healthy) << report;
  EXPECT_NE(report.find("ok"), std::string::npos);

  // Corrupt a copy: overwrite a page in the middle of the database file.
  std::string copy = dir_ + "_copy";
  std::filesystem::copy(dir_, copy, std::filesystem::copy_options::recursive);
  std::string file;
  for (const auto& entry : std::filesystem::directory_iterator(copy + "/base")) {
    if (entry.path().extension() == ".sqlrite") file = entry.path();
  }
  ASSERT_FALSE(file.empty());
  auto size = std::filesystem::file_size(file);
  ASSERT_GT(size, 8u * 4096);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 4096 / 2 * 4096));
    std::string garbage(4096, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  report.clear();
  Status broken = CheckDataDir(copy, &report);
  EXPECT_FALSE(broken) << report;
  if (!broken) {
    EXPECT_EQ(broken.error().sqlstate, "XX001");
  }
  std::error_code ec;
  std::filesystem::remove_all(copy, ec);
  Open();
}

}  // namespace
}  // namespace sqlrite::engine
