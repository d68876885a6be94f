// Subqueries in expressions and WITH queries through the facade: the answers, errors and EXPLAIN
// shapes PostgreSQL 15 gives for the same statements (recorded from it), and the recursive
// union's operator stopping on an interrupt.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/exec/project.h"
#include "engine/exec/recursive_union.h"
#include "engine/params.h"
#include "engine/prepared_plan.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"
#include "storage/fault_injection.h"
#include "storage/pager.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class SubqueryTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE t (id int PRIMARY KEY, grp int, val int);"
       "CREATE TABLE u (id int PRIMARY KEY, t_id int, score int);"
       "CREATE TABLE nul (x int);"
       "INSERT INTO t VALUES (1, 1, 10), (2, 1, 20), (3, 2, 30), (4, 2, NULL), (5, 3, 50);"
       "INSERT INTO u VALUES (1, 1, 5), (2, 1, 7), (3, 3, 9), (4, 9, 1), (5, NULL, 2);"
       "INSERT INTO nul VALUES (1), (NULL), (3)");
  }
};

TEST_F(SubqueryTest, ScalarSubqueriesGiveOneValueOrNull) {
  EXPECT_EQ(Rows("SELECT (SELECT max(val) FROM t)"), Lines{"50"});
  EXPECT_EQ(Rows("SELECT (SELECT val FROM t WHERE id = 99) IS NULL"), Lines{"t"});
  EXPECT_EQ(Rows("SELECT id FROM t WHERE val > (SELECT avg(val) FROM t) ORDER BY id"),
            (Lines{"3", "5"}));
  EXPECT_EQ(Rows("SELECT 1 + (SELECT 2) * (SELECT 3)"), Lines{"7"});
}

TEST_F(SubqueryTest, ScalarSubqueryErrorsArePostgreSQLs) {
  Error e = Err("SELECT (SELECT val FROM t)");
  EXPECT_EQ(e.sqlstate, "21000");
  EXPECT_EQ(e.message, "more than one row returned by a subquery used as an expression");
  e = Err("SELECT (SELECT 1, 2)");
  EXPECT_EQ(e.sqlstate, "42601");
  EXPECT_EQ(e.message, "subquery must return only one column");
  e = Err("SELECT id FROM t WHERE id IN (SELECT id, val FROM t)");
  EXPECT_EQ(e.sqlstate, "42601");
  EXPECT_EQ(e.message, "subquery has too many columns");
  EXPECT_EQ(Err("SELECT id FROM t WHERE val > ANY (SELECT 'x'::text)").sqlstate, "42883");
  EXPECT_EQ(Err("SELECT id FROM t WHERE EXISTS (SELECT nope FROM u)").sqlstate, "42703");
}

TEST_F(SubqueryTest, CorrelatedSubqueriesSeeTheOuterRow) {
  EXPECT_EQ(Rows("SELECT id, (SELECT count(*) FROM u WHERE u.t_id = t.id) FROM t ORDER BY id"),
            (Lines{"1|2", "2|0", "3|1", "4|0", "5|0"}));
  EXPECT_EQ(Rows("SELECT id FROM t WHERE val = (SELECT max(val) FROM t t2 WHERE t2.grp = t.grp) "
                 "ORDER BY id"),
            (Lines{"2", "3", "5"}));
  // Two levels out: the innermost reads t through the middle query.
  EXPECT_EQ(Rows("SELECT id, (SELECT (SELECT t.val + u.score FROM u WHERE u.id = t.id)) FROM t "
                 "ORDER BY id"),
            (Lines{"1|15", "2|27", "3|39", "4|NULL", "5|52"}));
  // An unqualified name is the innermost level's.
  EXPECT_EQ(Rows("SELECT id, (SELECT max(id) FROM u WHERE score > 6) FROM t WHERE id = 1"),
            Lines{"1|3"});
  EXPECT_EQ(Rows("SELECT grp FROM t GROUP BY grp HAVING sum(val) > (SELECT avg(score) * 7 FROM u) "
                 "ORDER BY grp"),
            Lines{"3"});
}

TEST_F(SubqueryTest, InAndNotInFollowNullSemantics) {
  EXPECT_EQ(Rows("SELECT id FROM t WHERE id IN (SELECT t_id FROM u) ORDER BY id"),
            (Lines{"1", "3"}));
  EXPECT_EQ(Rows("SELECT id FROM t WHERE id NOT IN (SELECT t_id FROM u) ORDER BY id"), Lines{});
  EXPECT_EQ(Rows("SELECT 2 IN (SELECT x FROM nul), 1 IN (SELECT x FROM nul), "
                 "2 NOT IN (SELECT x FROM nul)"),
            Lines{"NULL|t|NULL"});
  EXPECT_EQ(Rows("SELECT 1 IN (SELECT x FROM nul WHERE false), 1 NOT IN (SELECT x FROM nul WHERE "
                 "false)"),
            Lines{"f|t"});
}

TEST_F(SubqueryTest, ExistsAnyAndAll) {
  EXPECT_EQ(Rows("SELECT id FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.t_id = t.id) ORDER BY 1"),
            (Lines{"1", "3"}));
  EXPECT_EQ(Rows("SELECT 5 > ALL (SELECT x FROM nul), 5 > ANY (SELECT x FROM nul), "
                 "0 > ALL (SELECT x FROM nul)"),
            Lines{"NULL|t|f"});
  EXPECT_EQ(Rows("SELECT 1 = ANY (SELECT 1 WHERE false), 1 = ALL (SELECT 1 WHERE false)"),
            Lines{"f|t"});
  EXPECT_EQ(Rows("SELECT id FROM t WHERE val >= ALL (SELECT val FROM t WHERE val IS NOT NULL)"),
            Lines{"5"});
}

TEST_F(SubqueryTest, DeleteAndUpdateMayFilterBySubqueries) {
  Ok("DELETE FROM u WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.id = u.t_id)");
  EXPECT_EQ(Rows("SELECT id FROM u ORDER BY id"), (Lines{"1", "2", "3"}));
  Ok("UPDATE t SET val = 0 WHERE id IN (SELECT t_id FROM u)");
  EXPECT_EQ(Rows("SELECT id FROM t WHERE val = 0 ORDER BY id"), (Lines{"1", "3"}));
  // SET reads the table as it was before the statement, for every row.
  Ok("UPDATE t SET val = (SELECT count(*) FROM t t2 WHERE t2.grp = t.grp AND t2.val IS NOT NULL)");
  EXPECT_EQ(Rows("SELECT id, val FROM t ORDER BY id"), (Lines{"1|2", "2|2", "3|1", "4|1", "5|1"}));
}

TEST_F(SubqueryTest, ExplainShowsInitPlansAndSubPlans) {
  EXPECT_EQ(Rows("EXPLAIN (COSTS OFF) SELECT (SELECT max(val) FROM t)"),
            (Lines{"Result", "  InitPlan 1 (returns $0)", "    ->  Aggregate",
                   "          ->  Seq Scan on t"}));
  // (string_agg: a SubPlan; a count correlated by equality alone is a grouped join, below.)
  EXPECT_EQ(Rows("EXPLAIN (COSTS OFF) SELECT id, (SELECT string_agg(u.id::text, ',') FROM u "
                 "WHERE u.t_id = t.id) FROM t"),
            (Lines{"Seq Scan on t", "  SubPlan 1", "    ->  Aggregate",
                   "          ->  Seq Scan on u", "                Filter: (t_id = t.id)"}));
  EXPECT_EQ(Rows("EXPLAIN (COSTS OFF) SELECT id, (SELECT count(*) FROM u WHERE u.t_id = t.id) "
                 "FROM t"),
            (Lines{"Hash Left Join", "  Hash Cond: (t.id = u.t_id)", "  ->  Seq Scan on t",
                   "  ->  Hash", "        ->  HashAggregate", "              Group Key: u.t_id",
                   "              ->  Seq Scan on u"}));
}

TEST_F(SubqueryTest, WithQueriesAreNamedInFrom) {
  EXPECT_EQ(Rows("WITH c AS (SELECT 1 AS x) SELECT * FROM c"), Lines{"1"});
  EXPECT_EQ(Rows("WITH c(a, b) AS (SELECT id, val FROM t) SELECT a, b FROM c WHERE a < 3 "
                 "ORDER BY a"),
            (Lines{"1|10", "2|20"}));
  EXPECT_EQ(Rows("WITH c AS (SELECT id FROM t) SELECT count(*) FROM c a, c b"), Lines{"25"});
  EXPECT_EQ(Rows("WITH c1 AS (SELECT 1 AS x), c2 AS (SELECT x + 1 AS y FROM c1) "
                 "SELECT * FROM c1, c2"),
            Lines{"1|2"});
  EXPECT_EQ(Rows("WITH c AS (SELECT 1 AS x) SELECT (SELECT x FROM c) + 1"), Lines{"2"});
  EXPECT_EQ(Rows("WITH c AS (SELECT 1 AS x) SELECT * FROM c UNION ALL SELECT * FROM c"),
            (Lines{"1", "1"}));
}

TEST_F(SubqueryTest, RecursiveQueriesIterateTheirWorkTable) {
  EXPECT_EQ(Rows("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100) "
                 "SELECT count(*), sum(n) FROM r"),
            Lines{"100|5050"});
  // UNION drops rows seen before: a cycle ends.
  Ok("CREATE TABLE edge (src int, dst int); "
     "INSERT INTO edge VALUES (1, 2), (2, 3), (3, 1), (3, 4), (5, 6)");
  EXPECT_EQ(Rows("WITH RECURSIVE reach(n) AS (SELECT 1 UNION SELECT e.dst FROM edge e JOIN reach "
                 "r ON e.src = r.n) SELECT n FROM reach ORDER BY n"),
            (Lines{"1", "2", "3", "4"}));
  // A LIMIT stops an endless recursion.
  EXPECT_EQ(Rows("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                 "SELECT n FROM r LIMIT 3"),
            (Lines{"1", "2", "3"}));
}

TEST_F(SubqueryTest, WithErrorsArePostgreSQLs) {
  EXPECT_EQ(Err("WITH c AS (SELECT 1), c AS (SELECT 2) SELECT 1").sqlstate, "42712");
  EXPECT_EQ(Err("WITH c AS (SELECT 1) SELECT * FROM d").sqlstate, "42P01");
  EXPECT_EQ(Err("WITH c(a, b) AS (SELECT 1) SELECT * FROM c").sqlstate, "42P10");
  EXPECT_EQ(Err("WITH RECURSIVE r(n) AS (SELECT n FROM r) SELECT * FROM r").sqlstate, "42P19");
  EXPECT_EQ(Err("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM r) "
                "SELECT * FROM r")
                .sqlstate,
            "42P19");
  EXPECT_EQ(Err("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3 "
                "ORDER BY 1) SELECT * FROM r")
                .sqlstate,
            "0A000");
}

// A prepared SELECT read on a snapshot keeps its plan; its subqueries get each Execute's values.
TEST_F(SubqueryTest, KeptPlansRunSubqueriesWithEachExecutesValues) {
  auto parsed = sql::Parse(
      "select id, (select count(*) from u where u.t_id = t.id and u.score > $1) from t "
      "where exists (select 1 from u where u.t_id = t.id) and id < $2 order by id");
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
        out.push_back(FormatText(row[0], TypeId::kInt4) + "|" + FormatText(row[1], TypeId::kInt8));
      }
    }
  };
  EXPECT_EQ(read({Datum(int64_t{0}), Datum(int64_t{10})}), (Lines{"1|2", "3|1"}));
  EXPECT_EQ(read({Datum(int64_t{6}), Datum(int64_t{10})}), (Lines{"1|1", "3|1"}));
  EXPECT_EQ(read({Datum(int64_t{6}), Datum(int64_t{2})}), Lines{"1|1"});
  EXPECT_EQ(plan.builds(), 1);
}

// An endless recursion with no LIMIT stops at the statement's interrupt.
TEST(RecursiveUnionTest, StopsWhenInterrupted) {
  storage::FaultInjector disk;
  auto pager = storage::Pager::Open(disk.Open("db"), storage::Pager::Options{1u << 20});
  ASSERT_TRUE(pager) << pager.error().message;
  InterruptFlag flag;
  exec::ReadContext ctx{**pager, InterruptCheck(nullptr, &flag)};
  BoundExpr n;
  n.kind = ExprKind::kColumn;
  n.index = 0;
  n.type = SqlType{TypeId::kInt8, -1};
  auto op = exec::MakeRecursiveUnion(
      ctx,
      exec::MakeWorkTableScan(
          ctx, std::make_shared<const std::vector<Row>>(std::vector<Row>{Row{Datum(int64_t{1})}})),
      [&](exec::WorkTable rows) {
        return exec::MakeProject(ctx, exec::MakeWorkTableScan(ctx, std::move(rows)), {n});
      },
      /*all=*/true, {TypeId::kInt8});
  exec::Batch b;
  Result<bool> r = true;
  int pulls = 0;
  for (; pulls < 3000 && r && *r; ++pulls) r = op->Next(1, b);
  EXPECT_TRUE(r && *r);  // endless until interrupted
  flag.Raise(InterruptReason::kCancel);
  for (int i = 0; i < 100000 && r && *r; ++i) r = op->Next(1, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "57014");
}

}  // namespace
}  // namespace sqlrite::engine
