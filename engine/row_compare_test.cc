// Row comparisons (engine/row_compare.cc) through the facade: PostgreSQL 15's answers for rows
// with NULLs, IN lists of rows, rows beside subqueries, and its errors (recorded from it).

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

class RowCompareTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE r (id int PRIMARY KEY, created date, v int);"
       "CREATE INDEX r_created_id ON r (created, id);"
       "INSERT INTO r VALUES (1, '2024-01-01', 1), (2, '2024-01-01', 2), (3, '2024-01-02', NULL),"
       " (4, '2024-01-03', 4), (5, NULL, 5)");
  }
};

TEST_F(RowCompareTest, EqualityIsTheAndOfThePairs) {
  EXPECT_EQ(Rows("SELECT (1, 2) = (1, 2), (1, 2) = (1, 3), (1, NULL) = (1, 0), (1, NULL) = (2, 0)"),
            Lines{"t|f|NULL|f"});
  EXPECT_EQ(Rows("SELECT (1, 2) <> (1, 3), (1, NULL) <> (2, 1), (1, NULL) <> (1, 1)"),
            Lines{"t|t|NULL"});
}

TEST_F(RowCompareTest, OrderingIsLexicographicWithPostgreSQLsNullRule) {
  EXPECT_EQ(Rows("SELECT (1, NULL) < (2, 0), (1, NULL) < (1, 0), (NULL, 1) < (2, 0), "
                 "(2, NULL) > (1, 5)"),
            Lines{"t|NULL|NULL|t"});
  EXPECT_EQ(Rows("SELECT (1, 2, 3) < (1, 2, 4), (1, 2) <= (1, 2), (1, 2) >= (1, 3), "
                 "ROW(1, 'a') < ROW(1, 'b')"),
            Lines{"t|t|f|t"});
}

TEST_F(RowCompareTest, KeysetPaginationUsesTheIndexOnTheLeadingColumn) {
  EXPECT_EQ(Rows("SELECT id FROM r WHERE (created, id) > ('2024-01-01', 1) ORDER BY created, id "
                 "LIMIT 2"),
            (Lines{"2", "3"}));
  Lines plan = Rows(
      "EXPLAIN (COSTS OFF) SELECT id FROM r WHERE (created, id) > ('2024-01-01', "
      "1) ORDER BY created, id LIMIT 2");
  ASSERT_GE(plan.size(), 2u);
  EXPECT_NE(plan[1].find("Index Scan using r_created_id on r"), std::string::npos) << plan[1];
}

TEST_F(RowCompareTest, KeptKeysetPlanReadsFromEachExecutesKey) {
  auto parsed =
      sql::Parse("SELECT id FROM r WHERE (created, id) > ($1, $2) ORDER BY created, id LIMIT 2");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  const ast::Statement& statement = *(*parsed)[0].statement;
  auto d = cluster_->Describe(*session_, statement, {});
  ASSERT_TRUE(d) << d.error().message;
  ASSERT_EQ(d->param_types.size(), 2u);
  EXPECT_EQ(d->param_types[0].id, TypeId::kDate);
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
      for (const Row& row : batch) out.push_back(FormatText(row[0], TypeId::kInt4));
    }
  };
  auto date = [](const char* text) { return *ParseText(text, SqlType{TypeId::kDate, -1}); };
  EXPECT_EQ(read({date("2024-01-01"), Datum(int64_t{1})}), (Lines{"2", "3"}));
  EXPECT_EQ(read({date("2024-01-02"), Datum(int64_t{3})}), (Lines{"4"}));
  EXPECT_EQ(read({date("2024-01-03"), Datum(int64_t{4})}), Lines{});
}

TEST_F(RowCompareTest, InListsAndSubqueriesOfRows) {
  EXPECT_EQ(Rows("SELECT (1, 2) IN ((1, 2), (3, 4)), (1, NULL) IN ((1, 2), (3, 4)), "
                 "(5, 6) NOT IN ((1, 2), (3, 4))"),
            Lines{"t|NULL|t"});
  EXPECT_EQ(
      Rows("SELECT id FROM r WHERE (id, v) IN (SELECT id, v FROM r WHERE id < 3) ORDER BY id"),
      (Lines{"1", "2"}));
  EXPECT_EQ(Rows("SELECT (1, 2) = (SELECT 1, 2), (1, 2) < (SELECT 1, 3), "
                 "(1, 2) = (SELECT 1, 2 WHERE false)"),
            Lines{"t|t|NULL"});
  EXPECT_EQ(Err("SELECT (1, 2) = (SELECT id, v FROM r)").sqlstate, "21000");
  EXPECT_EQ(Rows("SELECT (1, 2) IS DISTINCT FROM (1, NULL), (1, NULL) IS NOT DISTINCT FROM (1, "
                 "NULL)"),
            Lines{"t|t"});
}

TEST_F(RowCompareTest, MismatchedRowsArePostgreSQLsErrors) {
  Error e = Err("SELECT (1, 2) = (1, 2, 3)");
  EXPECT_EQ(e.sqlstate, "42601");
  EXPECT_EQ(e.message, "unequal number of entries in row expressions");
  e = Err("SELECT (1, 2) = (1, 'a'::text)");
  EXPECT_EQ(e.sqlstate, "42883");
  EXPECT_EQ(e.message, "operator does not exist: integer = text");
  e = Err("SELECT (1, 2) = 1");
  EXPECT_EQ(e.sqlstate, "42883");
  EXPECT_EQ(e.message, "operator does not exist: record = integer");
  e = Err("SELECT (1, 2) IN (SELECT id FROM r)");
  EXPECT_EQ(e.message, "subquery has too few columns");
  e = Err("SELECT (1, 2) = (SELECT 1, 2, 3)");
  EXPECT_EQ(e.message, "subquery has too many columns");
}

}  // namespace
}  // namespace sqlrite::engine
