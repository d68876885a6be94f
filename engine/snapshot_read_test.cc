// Reads off the engine thread (engine/snapshot_read.h) through the facade: which SELECTs
// qualify, what their snapshot shows (durable commits only, never an open block's changes, a
// committed CREATE TABLE at the next snapshot), the block snapshot of REPEATABLE READ, and
// readers on other threads while the writer commits (run under ThreadSanitizer too).

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

class SnapshotReadTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    other_ = Connect();
  }
  void TearDown() override {
    if (other_) cluster_->Disconnect(*other_);
    ClusterTest::TearDown();
  }

  // Runs sql (one SELECT) as a snapshot read of session; the rows as Rows() formats them, or
  // "not a snapshot read", or "ERROR <sqlstate>".
  std::vector<std::string> Read(const std::string& sql, SessionState& session) {
    auto parsed = sql::Parse(sql);
    EXPECT_TRUE(parsed && parsed->size() == 1);
    if (!parsed || parsed->size() != 1 || !(*parsed)[0].statement) return {"parse error"};
    Result<std::optional<Cluster::SnapshotRead>> read =
        cluster_->ReadOnSnapshot(session, *(*parsed)[0].statement, sql, nullptr);
    if (!read) return {"ERROR " + read.error().sqlstate};
    if (!*read) return {"not a snapshot read"};
    std::vector<std::string> out;
    std::vector<Row> batch;
    for (;;) {
      batch.clear();
      Result<size_t> got = (*read)->rows->NextBatch(7, &batch);
      if (!got) return {"ERROR " + got.error().sqlstate};
      if (*got == 0) break;
      for (const Row& row : batch) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
          if (i > 0) line += '|';
          line += IsNull(row[i]) ? "NULL" : FormatText(row[i], (*read)->columns[i].type);
        }
        out.push_back(line);
      }
    }
    return out;
  }
  bool Bounded(const std::string& sql) {
    auto parsed = sql::Parse(sql);
    auto read = cluster_->ReadOnSnapshot(*session_, *(*parsed)[0].statement, sql, nullptr);
    return read && *read && (*read)->bounded;
  }

  std::unique_ptr<SessionState> other_;
};

using Lines = std::vector<std::string>;

TEST_F(SnapshotReadTest, OnlySelectsOfNonWritersQualify) {
  Ok("CREATE TABLE t (k int PRIMARY KEY, v text)");
  Ok("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(Read("SELECT v FROM t ORDER BY k", *session_), (Lines{"a", "b"}));
  Ok("BEGIN");
  EXPECT_EQ(Read("SELECT count(*) FROM t", *session_), Lines{"2"});
  Ok("INSERT INTO t VALUES (3, 'c')");  // now the writer: its reads need its own changes
  EXPECT_EQ(Read("SELECT count(*) FROM t", *session_), Lines{"not a snapshot read"});
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), Lines{"3"});
  // Another session never sees the open block's rows.
  EXPECT_EQ(Read("SELECT count(*) FROM t", *other_), Lines{"2"});
  Ok("COMMIT");
  EXPECT_EQ(Read("SELECT count(*) FROM t", *other_), Lines{"3"});
  // A failed block is the engine's to answer (25P02).
  Ok("BEGIN");
  Err("SELECT 1/0");
  EXPECT_EQ(Read("SELECT 1", *session_), Lines{"not a snapshot read"});
  Ok("ROLLBACK");
  EXPECT_EQ(Read("INSERT INTO t VALUES (9, 'x')", *session_), Lines{"not a snapshot read"});
}

TEST_F(SnapshotReadTest, ErrorsAreTheStatementsAndFailABlock) {
  Ok("CREATE TABLE t (k int)");
  Ok("INSERT INTO t VALUES (0)");
  EXPECT_EQ(Read("SELECT * FROM nope", *session_), Lines{"ERROR 42P01"});
  Ok("BEGIN");
  EXPECT_EQ(Read("SELECT 1 / k FROM t", *session_), Lines{"ERROR 22012"});
  EXPECT_EQ(session_->tx_status(), TxStatus::kFailed);
  Ok("ROLLBACK");
  EXPECT_EQ(session_->tx_status(), TxStatus::kIdle);
}

TEST_F(SnapshotReadTest, ACommittedCreateTableIsSeenAtTheNextSnapshot) {
  EXPECT_EQ(Read("SELECT * FROM t", *other_), Lines{"ERROR 42P01"});
  Ok("BEGIN; CREATE TABLE t (a int); INSERT INTO t VALUES (1)");
  EXPECT_EQ(Read("SELECT * FROM t", *other_), Lines{"ERROR 42P01"});
  Ok("COMMIT");
  EXPECT_EQ(Read("SELECT * FROM t", *other_), Lines{"1"});
  Ok("DROP TABLE t");
  Ok("CREATE TABLE t (b text, c int)");
  Ok("INSERT INTO t VALUES ('x', 2)");
  EXPECT_EQ(Read("SELECT * FROM t", *other_), Lines{"x|2"});
}

TEST_F(SnapshotReadTest, RepeatableReadBlockKeepsItsFirstSnapshot) {
  Ok("CREATE TABLE t (k int PRIMARY KEY, v int)");
  Ok("INSERT INTO t VALUES (1, 1)");
  Ok("BEGIN ISOLATION LEVEL REPEATABLE READ", other_.get());
  Ok("UPDATE t SET v = 2");  // before the block's first read: seen
  EXPECT_EQ(Read("SELECT v FROM t", *other_), Lines{"2"});
  Ok("UPDATE t SET v = 3");
  EXPECT_EQ(Read("SELECT v FROM t", *other_), Lines{"2"});
  EXPECT_EQ(Rows("SELECT v FROM t", other_.get()), Lines{"2"});  // the engine path too
  Ok("COMMIT", other_.get());
  EXPECT_EQ(Read("SELECT v FROM t", *other_), Lines{"3"});
}

TEST_F(SnapshotReadTest, PointLookupsAreBounded) {
  Ok("CREATE TABLE t (k int PRIMARY KEY, u text UNIQUE, v int)");
  EXPECT_TRUE(Bounded("SELECT 1"));
  EXPECT_TRUE(Bounded("SELECT v FROM t WHERE k = 5"));
  EXPECT_TRUE(Bounded("SELECT v FROM t WHERE u = 'a' AND v > 3"));
  EXPECT_TRUE(Bounded("SELECT count(*) FROM t WHERE k = 5"));
  EXPECT_FALSE(Bounded("SELECT v FROM t"));
  EXPECT_FALSE(Bounded("SELECT v FROM t WHERE k > 5"));
  EXPECT_FALSE(Bounded("SELECT v FROM t WHERE v = 5"));
  EXPECT_FALSE(Bounded("SELECT a.v FROM t a, t b WHERE a.k = 1"));
}

// Readers on their own threads while the writer (this thread, standing in for the engine's)
// moves value between two rows in transactions: every snapshot shows a committed state, whose
// sum is the invariant.
TEST_F(SnapshotReadTest, ConcurrentReadersSeeOnlyCommittedStates) {
  Ok("CREATE TABLE acct (id int PRIMARY KEY, bal int)");
  Ok("INSERT INTO acct VALUES (1, 1000), (2, 0)");
  constexpr int kReaders = 4;
  std::vector<std::unique_ptr<SessionState>> sessions;
  for (int i = 0; i < kReaders; ++i) sessions.push_back(Connect());
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < kReaders; ++i) {
    readers.emplace_back([&, i] {
      while (!stop.load()) {
        Lines got = Read("SELECT sum(bal), count(*) FROM acct", *sessions[static_cast<size_t>(i)]);
        if (got != Lines{"1000|2"}) ++bad;
        ++reads;
      }
    });
  }
  for (int n = 0; n < 300; ++n) {
    Ok("BEGIN; UPDATE acct SET bal = bal - 1 WHERE id = 1");
    Ok("UPDATE acct SET bal = bal + 1 WHERE id = 2; COMMIT");
  }
  stop = true;
  for (std::thread& t : readers) t.join();
  for (auto& s : sessions) cluster_->Disconnect(*s);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(Rows("SELECT bal FROM acct ORDER BY id"), (Lines{"700", "300"}));
}

}  // namespace
}  // namespace sqlrite::engine
