// EXPLAIN ANALYZE's counters through the facade: each node's actual rows and loops (the inner
// side of a nested loop, a correlated subquery, a LATERAL item), rows removed by a filter, nodes
// never executed, the options' shapes; and the counting operator on its own.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "engine/exec/instrument.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

class ExplainAnalyzeTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE a (k int, x text); CREATE TABLE c (id INTEGER PRIMARY KEY, k smallint);"
       "CREATE TABLE e (k int);"
       "INSERT INTO a VALUES (1, 'a1'), (2, 'a2'), (NULL, 'anull'), (1, 'a1bis'), (4, 'a4');"
       "INSERT INTO c VALUES (10, 1), (20, 2), (30, NULL), (40, 4)");
  }
  std::vector<std::string> Analyze(const std::string& sql) {
    return Rows("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql);
  }
};

using Lines = std::vector<std::string>;

TEST_F(ExplainAnalyzeTest, ScanCountsRowsAndRowsRemovedByItsFilter) {
  EXPECT_EQ(Analyze("SELECT * FROM a WHERE k = 1"),
            (Lines{"Seq Scan on a (actual rows=2 loops=1)", "  Filter: (k = 1)",
                   "  Rows Removed by Filter: 3"}));
  // Nothing removed: no line, as PostgreSQL's text format.
  EXPECT_EQ(Analyze("SELECT * FROM a WHERE x IS NOT NULL"),
            (Lines{"Seq Scan on a (actual rows=5 loops=1)", "  Filter: (x IS NOT NULL)"}));
}

TEST_F(ExplainAnalyzeTest, NestedLoopInnerSideLoopsOncePerOuterRow) {
  EXPECT_EQ(
      Analyze("SELECT * FROM a JOIN c ON a.k < c.k"),
      (Lines{"Nested Loop (actual rows=5 loops=1)", "  Join Filter: (a.k < c.k)",
             "  Rows Removed by Join Filter: 15", "  ->  Seq Scan on a (actual rows=5 loops=1)",
             "  ->  Materialize (actual rows=4 loops=5)",
             "        ->  Seq Scan on c (actual rows=4 loops=1)"}));
}

TEST_F(ExplainAnalyzeTest, CorrelatedSubqueryLoopsPerRowAndAveragesItsRows) {
  // Per loop: 0 to 2 rows kept (4 / 4 = 1). Removed: 3, 4 and 4 of the 5 rows for c.k = 1, 2,
  // 4; none for c.k NULL, whose `k = NULL` the reader proves empty without reading a row (where
  // PostgreSQL reads and removes 5): 11 / 4 rounds to 3. (string_agg: an aggregate the planner
  // does not turn into a grouped join, so the subquery stays a SubPlan, as in PostgreSQL.)
  EXPECT_EQ(
      Analyze("SELECT k, (SELECT string_agg(a2.k::text, ',') FROM a a2 WHERE a2.k = c.k) FROM c"),
      (Lines{"Seq Scan on c (actual rows=4 loops=1)", "  SubPlan 1",
             "    ->  Aggregate (actual rows=1 loops=4)",
             "          ->  Seq Scan on a a2 (actual rows=1 loops=4)",
             "                Filter: (k = c.k)", "                Rows Removed by Filter: 3"}));
}

TEST_F(ExplainAnalyzeTest, InitPlanRunsOnceAndUnreadInputIsNeverExecuted) {
  EXPECT_EQ(Analyze("SELECT (SELECT max(k) FROM a)"),
            (Lines{"Result (actual rows=1 loops=1)", "  InitPlan 1 (returns $0)",
                   "    ->  Aggregate (actual rows=1 loops=1)",
                   "          ->  Seq Scan on a (actual rows=5 loops=1)"}));
  // A LEFT join keeps e outside whatever the row estimates (which the process-wide counters of
  // earlier tests' tables of the same oids can skew).
  const Lines empty_outer = Analyze("SELECT * FROM e LEFT JOIN c ON e.k < c.k");
  ASSERT_EQ(empty_outer.size(), 5u);
  EXPECT_EQ(empty_outer[3], "  ->  Materialize (never executed)");
}

TEST_F(ExplainAnalyzeTest, AFilterAboveANodeGivesItsRowsAndRemovedCount) {
  Lines lines = Analyze("SELECT k, count(*) FROM a GROUP BY k HAVING count(*) > 1");
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_TRUE(std::regex_match(lines[3], std::regex(R"(  Batches: 1  Memory Usage: \d+kB)")))
      << lines[3];
  lines[3] = "  Batches: 1  Memory Usage: NkB";
  EXPECT_EQ(lines,
            (Lines{"HashAggregate (actual rows=1 loops=1)", "  Group Key: k",
                   "  Filter: (count(*) > 1)", "  Batches: 1  Memory Usage: NkB",
                   "  Rows Removed by Filter: 3", "  ->  Seq Scan on a (actual rows=5 loops=1)"}));
}

TEST_F(ExplainAnalyzeTest, LateralItemsAndRecursiveTermsLoopPerRowAndIteration) {
  // A LATERAL item is built again for each left row: a loop per row of a.
  const Lines lateral = Analyze("SELECT * FROM a, LATERAL (SELECT * FROM c WHERE c.k = a.k) s");
  ASSERT_GE(lateral.size(), 4u);
  EXPECT_EQ(lateral[0], "Nested Loop (actual rows=4 loops=1)");
  EXPECT_EQ(lateral[1], "  ->  Seq Scan on a (actual rows=5 loops=1)");
  EXPECT_EQ(lateral[2], "  ->  Subquery Scan on s (actual rows=1 loops=5)");
  // WITH RECURSIVE: the recursive term runs once per iteration (PostgreSQL's figures).
  const Lines recursive = Analyze(
      "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) "
      "SELECT * FROM r");
  bool seen = false;
  for (const std::string& l : recursive) {
    if (l.find("WorkTable Scan on r") != std::string::npos) {
      EXPECT_NE(l.find("(actual rows=1 loops=5)"), std::string::npos) << l;
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

TEST_F(ExplainAnalyzeTest, SpillingSortAndAggregateSayHow) {
  Ok("SET work_mem = '64kB'");
  const Lines sort = Analyze("SELECT * FROM generate_series(1, 20000) g ORDER BY g DESC");
  ASSERT_GE(sort.size(), 3u);
  EXPECT_TRUE(
      std::regex_match(sort[2], std::regex(R"(  Sort Method: external merge  Disk: \d+kB)")))
      << sort[2];
  const Lines agg =
      Analyze("SELECT g % 5000, count(*) FROM generate_series(1, 20000) g GROUP BY 1");
  ASSERT_GE(agg.size(), 3u);
  EXPECT_TRUE(std::regex_match(
      agg[2], std::regex(R"(  Batches: ([2-9]|\d\d+)  Memory Usage: \d+kB  Disk Usage: \d+kB)")))
      << agg[2];
  Ok("RESET work_mem");
  EXPECT_TRUE(std::regex_match(Analyze("SELECT * FROM a ORDER BY x")[2],
                               std::regex(R"(  Sort Method: quicksort  Memory: \d+kB)")));
}

TEST_F(ExplainAnalyzeTest, TimingAndSummaryHaveDurations) {
  const Lines lines = Rows("EXPLAIN ANALYZE SELECT * FROM a WHERE k > 1");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(Seq Scan on a  \(cost=[^)]*\) \(actual )"
                                                    R"(time=\d+\.\d{3}\.\.\d+\.\d{3} rows=2 )"
                                                    R"(loops=1\))")))
      << lines[0];
  EXPECT_TRUE(std::regex_match(lines[3], std::regex(R"(Planning Time: \d+\.\d{3} ms)")));
  EXPECT_TRUE(std::regex_match(lines[4], std::regex(R"(Execution Time: \d+\.\d{3} ms)")));
  EXPECT_EQ(Err("EXPLAIN (TIMING) SELECT 1").sqlstate, "22023");
}

// The total time of a node line (ms per loop) and its loops.
std::pair<double, double> TotalAndLoops(const std::string& line) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(line, m, std::regex(R"(time=[\d.]+\.\.([\d.]+) .* loops=(\d+))")))
      << line;
  return m.empty() ? std::pair{0.0, 0.0} : std::pair{std::stod(m[1]), std::stod(m[2])};
}

TEST_F(ExplainAnalyzeTest, ASelectListSubPlansTimeIsInsideItsNodesTime) {
  // The SubPlan runs in the Project above the scan; PostgreSQL's scan projects itself, so the
  // scan's line carries the Project's time, which holds every run of the SubPlan (string_agg:
  // a SubPlan, not a grouped join).
  const Lines lines = Rows(
      "EXPLAIN (ANALYZE, COSTS OFF) SELECT k, (SELECT string_agg(a2.k::text, ',') FROM a a2 "
      "WHERE a2.k = c.k) FROM c");
  ASSERT_GE(lines.size(), 3u);
  const auto [scan, scan_loops] = TotalAndLoops(lines[0]);
  const auto [sub, sub_loops] = TotalAndLoops(lines[2]);
  EXPECT_EQ(scan_loops, 1);
  EXPECT_EQ(sub_loops, 4);
  EXPECT_GE(scan + 0.001, sub * sub_loops - 0.001 * sub_loops) << lines[0] << "\n" << lines[2];
}

TEST_F(ExplainAnalyzeTest, WritesRunAndShowTheirScan) {
  EXPECT_EQ(
      Analyze("UPDATE a SET x = 'u' WHERE k = 1"),
      (Lines{"Update on a (actual rows=0 loops=1)", "  ->  Seq Scan on a (actual rows=2 loops=1)",
             "        Filter: (k = 1)", "        Rows Removed by Filter: 3"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM a WHERE x = 'u'"), (Lines{"2"}));
  EXPECT_EQ(Analyze("INSERT INTO e VALUES (1), (2)"),
            (Lines{"Insert on e (actual rows=0 loops=1)",
                   "  ->  Values Scan on \"*VALUES*\" (actual rows=2 loops=1)"}));
  EXPECT_EQ(Analyze("DELETE FROM e RETURNING k"),
            (Lines{"Delete on e (actual rows=2 loops=1)",
                   "  ->  Seq Scan on e (actual rows=2 loops=1)"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM e"), (Lines{"0"}));
}

// The counted scan would evaluate a volatile WHERE a second time (nextval advanced twice): refused
// until the statement's own read is counted, and nothing is changed.
TEST_F(ExplainAnalyzeTest, AVolatileWhereOfAWriteIsRefusedNotRunTwice) {
  Ok("CREATE SEQUENCE s3");
  Error e = Err("EXPLAIN ANALYZE UPDATE a SET x = 'v' WHERE nextval('s3') > 0");
  EXPECT_EQ(e.sqlstate, "0A000");
  EXPECT_EQ(Rows("SELECT count(*) FROM a WHERE x = 'v'"), (Lines{"0"}));
  EXPECT_EQ(Rows("SELECT nextval('s3')"), (Lines{"1"}));
  EXPECT_EQ(Err("EXPLAIN ANALYZE DELETE FROM a WHERE random() < 2").sqlstate, "0A000");
  EXPECT_EQ(Rows("SELECT count(*) FROM a"), (Lines{"5"}));
}

// An operator handing out `batches` batches of `rows` rows.
class Rows final : public exec::Operator {
 public:
  Rows(int batches, size_t rows) : batches_(batches), rows_(rows) {}
  Result<bool> Next(size_t, exec::Batch& out) override {
    out.Clear();
    if (batches_-- <= 0) return false;
    for (size_t i = 0; i < rows_; ++i) out.Add().clear();
    return true;
  }

 private:
  int batches_;
  size_t rows_;
};

TEST(InstrumentTest, CountsRowsAndALoopPerOperatorThatRan) {
  exec::NodeStats stats;
  for (int loop = 0; loop < 3; ++loop) {
    exec::OperatorPtr op = exec::Instrument(std::make_unique<Rows>(2, 5), stats, false);
    exec::Batch batch;
    while (*op->Next(100, batch)) {
    }
  }
  // Built but never pulled: no loop.
  exec::OperatorPtr idle = exec::Instrument(std::make_unique<Rows>(1, 1), stats, false);
  idle.reset();
  EXPECT_EQ(stats.loops, 3u);
  EXPECT_EQ(stats.rows, 30u);
  EXPECT_EQ(stats.total, 0.0);  // timing off: no clock read
}

}  // namespace
}  // namespace sqlrite::engine
