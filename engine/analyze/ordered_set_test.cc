// Calls WITHIN GROUP through the facade (engine/analyze/bind_ordered_set.cc): the ordered-set and
// hypothetical-set aggregates with GROUP BY, grouping sets and FILTER, and the errors PostgreSQL
// 15 gives for the same statements (recorded from it).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class OrderedSetTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE u (g int, x float8, s text);"
       "INSERT INTO u VALUES (1, 1, 'a'), (1, 2, 'b'), (1, NULL, 'b'), (2, 10, NULL), "
       "(2, 30, 'c')");
  }
};

TEST_F(OrderedSetTest, EachKindPerGroupOfEverySet) {
  EXPECT_EQ(
      Rows("SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY x), "
           "percentile_disc(0.5) WITHIN GROUP (ORDER BY s DESC), "
           "mode() WITHIN GROUP (ORDER BY s), rank(2) WITHIN GROUP (ORDER BY x), "
           "cume_dist('b') WITHIN GROUP (ORDER BY s NULLS FIRST) "
           "FROM u GROUP BY ROLLUP (g) ORDER BY g"),
      (Lines{"1|1.5|b|b|2|1", "2|20|c|c|1|0.6666666666666666", "NULL|6|b|b|2|0.8333333333333334"}));
}

TEST_F(OrderedSetTest, DirectArgumentsReadTheGroupAndFilterTheRows) {
  EXPECT_EQ(Rows("SELECT g, percentile_cont(g / 4.0) WITHIN GROUP (ORDER BY x) "
                 "FILTER (WHERE s IS NOT NULL) FROM u GROUP BY g ORDER BY g"),
            (Lines{"1|1.25", "2|30"}));
  EXPECT_EQ(Rows("SELECT percentile_cont(ARRAY[0.5, NULL, 1]) WITHIN GROUP (ORDER BY x) FROM u"),
            (Lines{"{6,NULL,30}"}));
}

TEST_F(OrderedSetTest, PostgresErrors) {
  const Error e = Err("SELECT g, percentile_cont(x) WITHIN GROUP (ORDER BY x) FROM u GROUP BY g");
  EXPECT_EQ(e.sqlstate, "42803");
  EXPECT_EQ(
      e.message,
      "column \"u.x\" must appear in the GROUP BY clause or be used in an aggregate function");
  EXPECT_EQ(e.detail,
            "Direct arguments of an ordered-set aggregate must use only grouped columns.");
  EXPECT_EQ(e.position, 27);
  ExpectError("SELECT rank(1, 2) WITHIN GROUP (ORDER BY x) FROM u", "42883",
              "function rank(integer, integer, double precision) does not exist", 8);
  ExpectError("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) OVER () FROM u", "0A000",
              "OVER is not supported for ordered-set aggregate percentile_cont", 8);
  ExpectError("SELECT count(*) WITHIN GROUP (ORDER BY x) FROM u", "42809",
              "count is not an ordered-set aggregate, so it cannot have WITHIN GROUP", 8);
  ExpectError("SELECT rank(1) WITHIN GROUP (ORDER BY s) FROM u", "42804",
              "WITHIN GROUP types text and integer cannot be matched", 13);
  ExpectError("SELECT percentile_cont(0.5::float8, x) FROM u", "42809",
              "WITHIN GROUP is required for ordered-set aggregate percentile_cont", 8);
  ExpectError("SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY x) FROM u", "22003",
              "percentile value 1.5 is not between 0 and 1", 0);
}

}  // namespace
}  // namespace sqlrite::engine
