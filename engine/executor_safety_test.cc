// The executor under hostile conditions: damaged row records, LIMIT / OFFSET at the int64 limit,
// and interrupts of running statements (server shutdown).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/interruptible_sort.h"
#include "engine/sql/parser.h"
#include "engine/table_access.h"
#include "engine/testing/cluster_fixture.h"
#include "storage/page_checksum.h"

namespace sqlrite::engine {
namespace {

class ExecutorSafetyTest : public testing::ClusterTest {
 protected:
  // With the cluster closed (a clean close checkpoints the log into the database files):
  // replaces the one occurrence of `from` in the database files by `to`, of the same length,
  // and reseals the page it is on.
  void PatchDatabaseFiles(const std::string& from, const std::string& to) {
    ASSERT_EQ(from.size(), to.size());
    int patched = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ + "/base")) {
      if (entry.path().extension() != ".sqlrite") continue;
      std::string bytes;
      {
        std::ifstream in(entry.path(), std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      for (size_t at = bytes.find(from); at != std::string::npos; at = bytes.find(from, at + 1)) {
        bytes.replace(at, to.size(), to);
        // Resealed, so that the row check, not the page checksum, is what meets the damage.
        const size_t page = at / storage::kPageSize;
        storage::SealPage(static_cast<storage::PageId>(page),
                          reinterpret_cast<uint8_t*>(bytes.data()) + page * storage::kPageSize);
        ++patched;
      }
      std::ofstream out(entry.path(), std::ios::binary | std::ios::in | std::ios::out);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    ASSERT_EQ(patched, 1) << "the record to damage must occur exactly once";
  }

  void ExpectInvalidRow(std::string_view sql) {
    Error e = Err(sql);
    EXPECT_EQ(e.sqlstate, "XX001") << sql << ": " << e.message;
    EXPECT_EQ(e.message, "invalid row in table \"t\"") << sql;
  }
};

using V = std::vector<std::string>;

// The record of (1, 0, 'MARKERMARKER') in row_codec.h's layout: column count 3, int 1 (zigzag
// 2), int 0, text of 12 bytes.
const std::string kRecord = std::string("\x03\x03\x02\x03\x00\x05\x0c", 7) + "MARKERMARKER";

TEST_F(ExecutorSafetyTest, DamagedRecordWithTooFewColumnsIsDataCorrupted) {
  Ok("CREATE TABLE t (id int PRIMARY KEY, a int, b text)");
  Ok("INSERT INTO t VALUES (1, 0, 'MARKERMARKER'), (2, 5, 'x')");
  CloseCluster();
  // Column count 2: the record now decodes to (1, 0), one column short of the table.
  std::string damaged = kRecord;
  damaged[0] = '\x02';
  PatchDatabaseFiles(kRecord, damaged);
  Open();
  ExpectInvalidRow("SELECT b FROM t");
  ExpectInvalidRow("SELECT b FROM t WHERE id = 1");  // the point lookup path
  ExpectInvalidRow("UPDATE t SET a = 1 WHERE id = 1");
  ExpectInvalidRow("DELETE FROM t");
  ExpectInvalidRow("SELECT count(*) FROM t, t AS u");
  // The undamaged row stays readable by key.
  EXPECT_EQ(Rows("SELECT a, b FROM t WHERE id = 2"), (V{"5|x"}));
}

// ADD COLUMN without a rewrite lets a record of the table's earlier width read the new column
// as its missing value; a record shorter than that width is still damage.
TEST_F(ExecutorSafetyTest, DamagedRecordShorterThanBeforeAddColumnIsDataCorrupted) {
  Ok("CREATE TABLE t (id int PRIMARY KEY, a int, b text)");
  Ok("INSERT INTO t VALUES (1, 0, 'MARKERMARKER'), (2, 5, 'x')");
  Ok("ALTER TABLE t ADD COLUMN c int");
  Ok("ALTER TABLE t ADD COLUMN d int DEFAULT 7");
  EXPECT_EQ(Rows("SELECT a, b, c, d FROM t WHERE id = 2"), (V{"5|x|NULL|7"}));
  CloseCluster();
  std::string damaged = kRecord;
  damaged[0] = '\x02';
  PatchDatabaseFiles(kRecord, damaged);
  Open();
  ExpectInvalidRow("SELECT b FROM t");
  ExpectInvalidRow("SELECT d FROM t WHERE id = 1");
  EXPECT_EQ(Rows("SELECT a, b, c, d FROM t WHERE id = 2"), (V{"5|x|NULL|7"}));
}

TEST_F(ExecutorSafetyTest, DamagedRecordWithAValueOfTheWrongTypeIsDataCorrupted) {
  Ok("CREATE TABLE t (id int PRIMARY KEY, a int, b text)");
  Ok("INSERT INTO t VALUES (1, 0, 'MARKERMARKER'), (2, 5, 'x')");
  CloseCluster();
  // Column a's tag "int 0" becomes "text of 0 bytes": ('' in an int column).
  std::string damaged = kRecord;
  damaged[3] = '\x05';
  PatchDatabaseFiles(kRecord, damaged);
  Open();
  ExpectInvalidRow("SELECT a + 1 FROM t");
  ExpectInvalidRow("SELECT a + 1 FROM t WHERE id = 1");
  ExpectInvalidRow("UPDATE t SET a = a + 1");
  ExpectInvalidRow("DELETE FROM t WHERE a = 0");
  EXPECT_EQ(Rows("SELECT a + 1 FROM t WHERE id = 2"), (V{"6"}));
}

// Answers as PostgreSQL 15 gives them; before, offset + limit overflowed (UBSan: signed integer
// overflow) whenever LIMIT was below INT64_MAX.
TEST_F(ExecutorSafetyTest, LimitAndOffsetAtTheInt64LimitAnswerAsPostgres) {
  Ok("CREATE TABLE t (a int)");
  Ok("INSERT INTO t VALUES (1), (2), (3), (4), (5)");
  const std::string max = "9223372036854775807";
  const std::string max_less_1 = "9223372036854775806";
  EXPECT_EQ(Rows("SELECT a FROM t LIMIT " + max + " OFFSET " + max), V{});
  EXPECT_EQ(Rows("SELECT a FROM t LIMIT " + max_less_1 + " OFFSET " + max_less_1), V{});
  EXPECT_EQ(Rows("SELECT a FROM t LIMIT 2 OFFSET " + max), V{});
  EXPECT_EQ(Rows("SELECT a FROM t OFFSET " + max), V{});
  EXPECT_EQ(Rows("SELECT a FROM t LIMIT " + max_less_1 + " OFFSET 2"), (V{"3", "4", "5"}));
  EXPECT_EQ(Rows("SELECT a FROM t ORDER BY a LIMIT " + max_less_1 + " OFFSET " + max_less_1), V{});
  EXPECT_EQ(Rows("SELECT a FROM t ORDER BY a DESC LIMIT " + max_less_1 + " OFFSET 3"),
            (V{"2", "1"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM t, t AS u LIMIT " + max_less_1 + " OFFSET " + max_less_1),
            V{});
  EXPECT_EQ(Rows("SELECT t.a FROM t, t AS u LIMIT 1 OFFSET " + max_less_1), V{});
  EXPECT_EQ(Rows("SELECT 1 LIMIT " + max_less_1 + " OFFSET " + max_less_1), V{});
  EXPECT_EQ(Rows("SELECT a FROM t LIMIT NULL OFFSET NULL").size(), 5u);
  EXPECT_EQ(Rows("SELECT a FROM t LIMIT 2.5"), (V{"1", "2", "3"}));
  EXPECT_EQ(Err("SELECT a FROM t LIMIT 9223372036854775808").message, "bigint out of range");
  EXPECT_EQ(Err("SELECT a FROM t OFFSET 9223372036854775808").message, "bigint out of range");
  EXPECT_EQ(Err("SELECT a FROM t LIMIT 1e30").message, "bigint out of range");
  EXPECT_EQ(Err("SELECT a FROM t OFFSET -1").message, "OFFSET must not be negative");
}

// Server shutdown raises the cluster's interrupt from another thread; a runaway cross join
// (8 million combinations here) stops at its next poll with FATAL 57P01 and leaves nothing of
// its transaction behind.
TEST_F(ExecutorSafetyTest, ShutdownInterruptStopsARunningStatement) {
  Ok("CREATE TABLE t (a int)");
  Ok("CREATE TABLE u (a int)");
  std::string values;
  for (int i = 0; i < 200; ++i) values += (i ? ", (" : "(") + std::to_string(i) + ")";
  Ok("INSERT INTO t VALUES " + values);
  Ok("BEGIN");
  Ok("INSERT INTO u VALUES (1)");
  const auto start = std::chrono::steady_clock::now();
  std::thread shutdown([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    cluster_->Interrupt(InterruptReason::kShutdown);
  });
  Error e = Err("INSERT INTO u SELECT count(*) FROM t, t AS b, t AS c");
  shutdown.join();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.sqlstate, "57P01");
  EXPECT_EQ(e.severity, Severity::kFatal);
  EXPECT_EQ(e.message, "terminating connection due to administrator command");
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_EQ(session_->tx_status(), TxStatus::kFailed);
  // The session ends (a FATAL closes the connection): its block is rolled back.
  CloseCluster();
  Open();
  EXPECT_EQ(Rows("SELECT count(*) FROM u"), V{"0"});
}

TEST(CheckRowTest, RowMustFitItsTable) {
  TableDef table;
  table.name = "t";
  table.columns.push_back({"id", SqlType{TypeId::kInt4, -1}, /*not_null=*/true});
  table.columns.push_back({"x", SqlType{TypeId::kFloat8, -1}});
  table.columns.push_back({"s", SqlType{TypeId::kVarchar, 14}});
  EXPECT_TRUE(CheckRow(table, Row{int64_t{1}, 2.5, std::string("a")}));
  EXPECT_TRUE(CheckRow(table, Row{int64_t{1}, Datum{}, Datum{}}));
  auto detail = [&table](const Row& row) {
    Status s = CheckRow(table, row);
    EXPECT_FALSE(s);
    if (s) return std::string();
    EXPECT_EQ(s.error().sqlstate, "XX001");
    EXPECT_EQ(s.error().message, "invalid row in table \"t\"");
    return s.error().detail;
  };
  EXPECT_EQ(detail(Row{int64_t{1}, 2.5}), "The record has 2 columns; the table has 3.");
  EXPECT_EQ(detail(Row{Datum{}, 2.5, Datum{}}), "Column \"id\" is NULL but declared NOT NULL.");
  EXPECT_EQ(detail(Row{int64_t{1}, int64_t{2}, Datum{}}),
            "Column \"x\" does not hold a value of type double precision.");
  EXPECT_EQ(detail(Row{int64_t{1} << 40, Datum{}, Datum{}}),
            "Column \"id\" holds an integer out of range.");
  EXPECT_EQ(detail(Row{int64_t{1}, Datum{}, true}),
            "Column \"s\" does not hold a value of type character varying.");
}

TEST(InterruptTest, StrongerReasonWinsAndPollsEveryFewRows) {
  InterruptFlag cluster, session;
  InterruptCheck check(&cluster, &session);
  EXPECT_TRUE(check.PollNow());
  session.Raise(InterruptReason::kCancel);
  // Polls read the flags only every kRowsPerPoll rows.
  int rows = 1;
  while (!check.Due()) ++rows;
  EXPECT_EQ(rows, InterruptCheck::kRowsPerPoll);
  EXPECT_EQ(check.PollNow().error().sqlstate, "57014");
  cluster.Raise(InterruptReason::kShutdown);
  EXPECT_EQ(check.PollNow().error().sqlstate, "57P01");
  cluster.Raise(InterruptReason::kStatementTimeout);  // never downgrades a shutdown
  EXPECT_EQ(cluster.reason(), InterruptReason::kShutdown);
  cluster.Clear();
  session.Clear();
  EXPECT_TRUE(check.PollNow());
}

TEST(InterruptTest, SortIsStableAndStopsWhenInterrupted) {
  // Keys with many ties: stability shows in the indices' order within a key.
  std::vector<int> keys;
  for (int i = 0; i < 100000; ++i) keys.push_back((i * 7919) % 1000);
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto less = [&](size_t a, size_t b) { return keys[a] < keys[b]; };
  std::vector<size_t> expected = order;
  std::stable_sort(expected.begin(), expected.end(), less);
  InterruptFlag session;
  InterruptCheck check(nullptr, &session);
  ASSERT_TRUE(InterruptibleStableSort(order, less, check));
  EXPECT_EQ(order, expected);

  // Raised part-way through (from the comparator, as another thread would): the sort stops at
  // its next poll with the reason's error.
  size_t compared = 0;
  auto raising = [&](size_t a, size_t b) {
    if (++compared == 500000) session.Raise(InterruptReason::kStatementTimeout);
    return keys[a] < keys[b];
  };
  InterruptCheck check2(nullptr, &session);
  Status stopped = InterruptibleStableSort(order, raising, check2);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "canceling statement due to statement timeout");
  EXPECT_LT(compared, 500000u + InterruptCheck::kRowsPerPoll * 2);
  std::sort(order.begin(), order.end());
  for (size_t i = 0; i < order.size(); ++i) ASSERT_EQ(order[i], i);
}

}  // namespace
}  // namespace sqlrite::engine
