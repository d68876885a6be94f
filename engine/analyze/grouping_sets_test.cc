// GROUP BY's grouping sets and GROUPING() through the facade: the sets ROLLUP, CUBE, GROUPING
// SETS and their products expand to (engine/analyze/grouping_sets.h), the rolled-up values NULL,
// GROUPING's bits, and the errors PostgreSQL 15 gives for the same statements (recorded from
// it).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class GroupingSetsTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE t (a int, b text, n int);"
       "INSERT INTO t VALUES (1, 'x', 10), (1, 'y', 20), (2, 'x', 5), (NULL, 'z', 1)");
  }
};

TEST_F(GroupingSetsTest, RollupGivesEachPrefixWithTheRestNull) {
  EXPECT_EQ(Rows("SELECT a, b, sum(n), grouping(a, b) FROM t GROUP BY ROLLUP (a, b) "
                 "ORDER BY 4, 1, 2"),
            (Lines{"1|x|10|0", "1|y|20|0", "2|x|5|0", "NULL|z|1|0", "1|NULL|30|1", "2|NULL|5|1",
                   "NULL|NULL|1|1", "NULL|NULL|36|3"}));
}

TEST_F(GroupingSetsTest, CubeGivesEverySubset) {
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT a, b FROM t GROUP BY CUBE (a, b)) s"),
            (Lines{"11"}));  // 4 (a, b) + 3 (a) + 3 (b) + 1 ()
  EXPECT_EQ(Rows("SELECT b, count(*) FROM t GROUP BY CUBE (b) HAVING grouping(b) = 1"),
            (Lines{"NULL|4"}));
}

TEST_F(GroupingSetsTest, ItemsMultiplyAndSetsConcatenate) {
  // a, ROLLUP (b): (a, b), (a); GROUPING SETS ((a), (b), ()): three sets; duplicates stay.
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT 1 FROM t GROUP BY a, ROLLUP (b)) s"), (Lines{"7"}));
  EXPECT_EQ(Rows("SELECT a, b, count(*) FROM t GROUP BY GROUPING SETS ((a), (b), ()) "
                 "ORDER BY grouping(a, b), 1, 2"),
            (Lines{"1|NULL|2", "2|NULL|1", "NULL|NULL|1", "NULL|x|2", "NULL|y|1", "NULL|z|1",
                   "NULL|NULL|4"}));
  EXPECT_EQ(Rows("SELECT a, count(*) FROM t GROUP BY ROLLUP (a), ROLLUP (a) "
                 "HAVING a IS NULL ORDER BY 2"),
            (Lines{"NULL|1", "NULL|1", "NULL|1", "NULL|4"}));
}

TEST_F(GroupingSetsTest, GroupByDistinctKeepsEachSetOnce) {
  // ROLLUP (a), ROLLUP (a): (a) three times and (); DISTINCT: (a) and ().
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT 1 FROM t GROUP BY ROLLUP (a), ROLLUP (a)) s"),
            (Lines{"10"}));
  EXPECT_EQ(
      Rows("SELECT count(*) FROM (SELECT 1 FROM t GROUP BY DISTINCT ROLLUP (a), ROLLUP (a)) s"),
      (Lines{"4"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT 1 FROM t GROUP BY DISTINCT CUBE (a, b), "
                 "GROUPING SETS ((b, a))) s"),
            (Lines{"4"}));  // every set is (a, b)
}

TEST_F(GroupingSetsTest, GroupedExpressionsReadTheSetsValues) {
  // a + 1 is NULL where a is rolled up; an aggregate's argument still sees every a.
  EXPECT_EQ(Rows("SELECT a + 1, sum(a) FROM t GROUP BY ROLLUP (a) ORDER BY 1, 2"),
            (Lines{"2|2", "3|2", "NULL|4", "NULL|NULL"}));
  EXPECT_EQ(Rows("SELECT upper(b), count(DISTINCT a) FILTER (WHERE n > 1) FROM t "
                 "GROUP BY ROLLUP (upper(b)) ORDER BY 1"),
            (Lines{"X|2", "Y|1", "Z|0", "NULL|2"}));
}

TEST_F(GroupingSetsTest, EmptySetsOfAnEmptyInputGiveOneRowEach) {
  EXPECT_EQ(Rows("SELECT a, count(*) FROM t WHERE false GROUP BY ROLLUP (a)"), (Lines{"NULL|0"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE false GROUP BY GROUPING SETS ((), ())"),
            (Lines{"0", "0"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE false GROUP BY a, ROLLUP (b)"), (Lines{}));
  EXPECT_EQ(Rows("SELECT count(*) FROM t GROUP BY ()"), (Lines{"4"}));
}

TEST_F(GroupingSetsTest, PostgresErrors) {
  ExpectError("SELECT a, b FROM t GROUP BY ROLLUP (a)", sqlstate::kGroupingError,
              "column \"t.b\" must appear in the GROUP BY clause or be used in an aggregate "
              "function",
              11);
  ExpectError("SELECT grouping(b) FROM t GROUP BY ROLLUP (a)", sqlstate::kGroupingError,
              "arguments to GROUPING must be grouping expressions of the associated query level",
              17);
  ExpectError("SELECT a FROM t WHERE grouping(a) = 0 GROUP BY a", sqlstate::kGroupingError,
              "grouping operations are not allowed in WHERE", 23);
  ExpectError("SELECT sum(grouping(a)) FROM t GROUP BY a", sqlstate::kGroupingError,
              "aggregate function calls cannot be nested", 12);
  ExpectError("SELECT 1 FROM t GROUP BY CUBE (a, a, a, a, a, a, a, a, a, a, a, a, a)", "54011",
              "CUBE is limited to 12 elements", 26);
  ExpectError("SELECT 1 FROM t GROUP BY CUBE (a, a, a, a, a, a, a, a, a, a, a, a), CUBE (b)",
              "54001", "too many grouping sets present (maximum 4096)", 0);
  ExpectError("SELECT 1 FROM t GROUP BY ROLLUP (a, 3)", "42P10",
              "GROUP BY position 3 is not in select list", 37);
}

TEST_F(GroupingSetsTest, ExplainShowsAKeyPerSet) {
  EXPECT_EQ(Rows("EXPLAIN (COSTS OFF) SELECT a, count(*) FROM t GROUP BY ROLLUP (a, b)"),
            (Lines{"MixedAggregate", "  Hash Key: a, b", "  Hash Key: a", "  Group Key: ()",
                   "  ->  Seq Scan on t"}));
  EXPECT_EQ(Rows("EXPLAIN (COSTS OFF) SELECT count(*) FROM t GROUP BY ()"),
            (Lines{"Aggregate", "  Group Key: ()", "  ->  Seq Scan on t"}));
}

TEST_F(GroupingSetsTest, PreparedParametersInGroupedExpressions) {
  Ok("PREPARE q(int) AS SELECT a + $1, count(*) FROM t GROUP BY ROLLUP (a + $1) ORDER BY 1, 2");
  EXPECT_EQ(Rows("EXECUTE q(10)"), (Lines{"11|2", "12|1", "NULL|1", "NULL|4"}));
}

}  // namespace
}  // namespace sqlrite::engine
