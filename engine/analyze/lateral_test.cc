// LATERAL through the facade: subqueries and functions in FROM reading the items before them
// (bound in engine/analyze/bind_select.cc, planned as a LateralJoin in engine/plan/planner.cc, run
// by engine/exec/lateral_join.h), with the answers and errors PostgreSQL 15 gives for the same
// statements (recorded from it).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/params.h"
#include "engine/prepared_plan.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class LateralTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE t (id int PRIMARY KEY, n int, tags jsonb);"
       "CREATE TABLE o (id int PRIMARY KEY, owner int, amount int);"
       "INSERT INTO t VALUES (1, 2, '{\"a\": 1}'), (2, 0, '{}'), (3, 1, NULL);"
       "INSERT INTO o VALUES (10, 1, 50), (11, 1, 70), (12, 3, 20), (13, 9, 5)");
  }
};

TEST_F(LateralTest, SubqueryReadsTheRowBeforeIt) {
  EXPECT_EQ(Rows("SELECT t.id, s.amount FROM t, LATERAL (SELECT amount FROM o WHERE o.owner = "
                 "t.id ORDER BY amount DESC LIMIT 1) s ORDER BY t.id"),
            (Lines{"1|70", "3|20"}));
  EXPECT_EQ(Rows("SELECT t.id, s.amount FROM t CROSS JOIN LATERAL (SELECT amount FROM o WHERE "
                 "o.owner = t.id) s ORDER BY t.id, s.amount"),
            (Lines{"1|50", "1|70", "3|20"}));
}

TEST_F(LateralTest, LeftJoinLateralPadsRowsWithoutMatch) {
  EXPECT_EQ(Rows("SELECT t.id, s.amount FROM t LEFT JOIN LATERAL (SELECT amount FROM o WHERE "
                 "o.owner = t.id) s ON true ORDER BY t.id, s.amount"),
            (Lines{"1|50", "1|70", "2|NULL", "3|20"}));
  // The ON condition decides the match; a left row whose right rows all fail it is padded.
  EXPECT_EQ(Rows("SELECT t.id, s.amount FROM t LEFT JOIN LATERAL (SELECT amount FROM o WHERE "
                 "o.owner = t.id) s ON s.amount > 60 ORDER BY t.id"),
            (Lines{"1|70", "2|NULL", "3|NULL"}));
}

TEST_F(LateralTest, FunctionsInFromAreImplicitlyLateral) {
  EXPECT_EQ(Rows("SELECT t.id, g FROM t, generate_series(1, t.n) g ORDER BY t.id, g"),
            (Lines{"1|1", "1|2", "3|1"}));
  EXPECT_EQ(Rows("SELECT t.id, e.key FROM t, jsonb_each(t.tags) e ORDER BY t.id"), (Lines{"1|a"}));
  EXPECT_EQ(Rows("SELECT t.id, u.x, u.i FROM t, unnest(array[t.id, t.n]) WITH ORDINALITY "
                 "u(x, i) WHERE t.id = 1 ORDER BY u.i"),
            (Lines{"1|1|1", "1|2|2"}));
}

TEST_F(LateralTest, ChainsOfLateralItemsAndCorrelatedUse) {
  EXPECT_EQ(Rows("SELECT a.id, b.m, c.m2 FROM t a, LATERAL (SELECT a.id * 10 AS m) b, "
                 "LATERAL (SELECT b.m + 1 AS m2) c ORDER BY a.id"),
            (Lines{"1|10|11", "2|20|21", "3|30|31"}));
  // Inside a correlated subquery, the lateral values relay the enclosing query's column.
  EXPECT_EQ(Rows("SELECT o.id, (SELECT max(g) FROM t, generate_series(1, t.n + o.id - o.id) g "
                 "WHERE t.id = o.owner) FROM o ORDER BY o.id"),
            (Lines{"10|2", "11|2", "12|1", "13|NULL"}));
}

TEST_F(LateralTest, ReferencesPostgreSQLRefuses) {
  Error e = Err("SELECT * FROM t, (SELECT amount FROM o WHERE o.owner = t.id) s");
  EXPECT_EQ(e.sqlstate, "42P01");
  EXPECT_EQ(e.message, "invalid reference to FROM-clause entry for table \"t\"");
  EXPECT_EQ(e.hint,
            "There is an entry for table \"t\", but it cannot be referenced from this part of "
            "the query.");
  e = Err("SELECT * FROM t, (SELECT amount FROM o WHERE o.owner = n) s");
  EXPECT_EQ(e.sqlstate, "42703");
  EXPECT_EQ(e.message, "column \"n\" does not exist");
  e = Err("SELECT * FROM t RIGHT JOIN LATERAL (SELECT t.id) s ON true");
  EXPECT_EQ(e.sqlstate, "42P10");
  EXPECT_EQ(e.detail, "The combining JOIN type must be INNER or LEFT for a LATERAL reference.");
  EXPECT_EQ(Err("SELECT * FROM LATERAL (SELECT t.id) s, t").sqlstate, "42P01");
}

TEST_F(LateralTest, ExplainShowsANestedLoop) {
  Lines plan = Rows("EXPLAIN (COSTS OFF) SELECT t.id, g FROM t, generate_series(1, t.n) g");
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan[0], "Nested Loop");
}

TEST_F(LateralTest, KeptPlansRebuildTheLateralSideWithEachExecutesValues) {
  auto parsed = sql::Parse(
      "select t.id, g from t, generate_series($1, t.n) g where t.id < $2 order by t.id, g");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  const ast::Statement& statement = *(*parsed)[0].statement;
  auto d = cluster_->Describe(*session_, statement, {});
  ASSERT_TRUE(d) << d.error().message;
  PreparedPlan plan;
  auto read = [&](std::vector<Datum> values) {
    ParamContext params;
    params.types = d->param_types;
    params.values = &values;
    params.plan = &plan;
    Lines out;
    auto r = cluster_->ReadOnSnapshot(*session_, statement, "", &params);
    if (!r || !*r) return Lines{"no snapshot read"};
    std::vector<Row> batch;
    for (;;) {
      batch.clear();
      Result<size_t> got = (*r)->rows->NextBatch(100, &batch);
      if (!got) return Lines{"ERROR " + got.error().sqlstate};
      if (*got == 0) return out;
      for (const Row& row : batch) {
        out.push_back(FormatText(row[0], TypeId::kInt4) + "|" + FormatText(row[1], TypeId::kInt4));
      }
    }
  };
  EXPECT_EQ(read({Datum(int64_t{1}), Datum(int64_t{10})}), (Lines{"1|1", "1|2", "3|1"}));
  EXPECT_EQ(read({Datum(int64_t{2}), Datum(int64_t{2})}), (Lines{"1|2"}));
}

}  // namespace
}  // namespace sqlrite::engine
