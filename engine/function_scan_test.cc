// Functions in FROM (generate_series, unnest, any other function's one row) and string_agg,
// through the facade (tests/diff/cases/set_functions.sql compares them with PostgreSQL 15).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class FunctionScanTest : public testing::ClusterTest {};

TEST_F(FunctionScanTest, GenerateSeriesOfEachOverload) {
  EXPECT_EQ(Rows("select * from generate_series(1, 3)"), (Strings{"1", "2", "3"}));
  EXPECT_EQ(Rows("select * from generate_series(5, 1, -2)"), (Strings{"5", "3", "1"}));
  EXPECT_EQ(Rows("select * from generate_series(3, 1)"), (Strings{}));
  EXPECT_EQ(Rows("select * from generate_series(9223372036854775806, 9223372036854775807)"),
            (Strings{"9223372036854775806", "9223372036854775807"}));
  EXPECT_EQ(Rows("select * from generate_series(2147483646, 2147483647)"),
            (Strings{"2147483646", "2147483647"}));
  EXPECT_EQ(Rows("select * from generate_series(1.5, 3)"), (Strings{"1.5", "2.5"}));
  EXPECT_EQ(Rows("select * from generate_series(0, 1, 0.25)"),
            (Strings{"0", "0.25", "0.50", "0.75", "1.00"}));
  EXPECT_EQ(Rows("select * from generate_series('2024-01-30'::timestamp, '2024-04-01', "
                 "'1 month')"),
            (Strings{"2024-01-30 00:00:00", "2024-02-29 00:00:00", "2024-03-29 00:00:00"}));
  QueryResult r = Ok("select * from generate_series(1::int8, 2)");
  ASSERT_EQ(r.columns.size(), 1u);
  EXPECT_EQ(r.columns[0].name, "generate_series");
  EXPECT_EQ(r.columns[0].type, TypeId::kInt8);
}

TEST_F(FunctionScanTest, ErrorsAsPostgreSQL) {
  EXPECT_EQ(Err("select * from generate_series(1, 5, 0)").sqlstate, "22023");
  EXPECT_EQ(Err("select * from generate_series(1, 5, 0)").message, "step size cannot equal zero");
  EXPECT_EQ(Err("select * from generate_series('nan'::numeric, 5)").message,
            "start value cannot be NaN");
  EXPECT_EQ(Err("select * from generate_series(1, 'infinity'::numeric)").message,
            "stop value cannot be infinity");
  EXPECT_EQ(Err("select * from generate_series(1, generate_series(1, 2))").message,
            "set-returning functions must appear at top level of FROM");
  EXPECT_EQ(Err("select * from count(1)").sqlstate, "42803");
  EXPECT_EQ(Err("select * from generate_series(1, 2) s(a, b)").sqlstate, "42P10");
  EXPECT_EQ(Err("select count(*), generate_series(1, 3)").sqlstate, "0A000");
  EXPECT_EQ(Err("select generate_series(1, generate_series(1, 2))").sqlstate, "0A000");
}

TEST_F(FunctionScanTest, ASelectListWithoutFromMayCallOne) {
  EXPECT_EQ(Rows("select generate_series(1, 3), 'x'"), (Strings{"1|x", "2|x", "3|x"}));
  QueryResult r = Ok("select generate_series(1, 2) as g");
  ASSERT_EQ(r.columns.size(), 1u);
  EXPECT_EQ(r.columns[0].name, "g");
  EXPECT_EQ(Rows("select pg_partition_ancestors('pg_class'::regclass)"), (Strings{}));
}

TEST_F(FunctionScanTest, Int2ArraysAndVectors) {
  EXPECT_EQ(Rows("select '{1,NULL, 3}'::int2[], ' 1  2 '::int2vector"),
            (Strings{"{1,NULL,3}|1 2"}));
  EXPECT_EQ(Rows("select ('1 2'::int2vector)::int2[], ('1 2'::int2vector)[1], "
                 "('{4,5}'::int2[])[2], ('{4,5}'::int2[])[3] is null"),
            (Strings{"[0:1]={1,2}|2|5|t"}));
  EXPECT_EQ(Rows("select array_upper(('7 8 9'::int2vector)::int2[], 1), "
                 "array_lower('{4,5}'::int2[], 1), array_upper('{}'::int2[], 1) is null"),
            (Strings{"2|1|t"}));
  EXPECT_EQ(Err("select '{1,x}'::int2[]").sqlstate, "22P02");
  EXPECT_EQ(Err("select '{70000}'::int2[]").sqlstate, "22003");
  EXPECT_EQ(Err("select ('abc'::text)[1]").message,
            "cannot subscript type text because it does not support subscripting");
  // int4[] is a real array type (engine/types/array.h); smallint[] keeps the catalogs' form,
  // which no table column has.
  EXPECT_EQ(Rows("select '{1}'::int4[]"), (Strings{"{1}"}));
  EXPECT_EQ(Err("create table a (x int2[])").sqlstate, "0A000");
}

TEST_F(FunctionScanTest, NullArgumentsGiveNoRows) {
  EXPECT_EQ(Rows("select * from generate_series(1, null)"), (Strings{}));
  EXPECT_EQ(Rows("select * from unnest(null::text)"), (Strings{}));
}

TEST_F(FunctionScanTest, AliasesAndOrdinality) {
  QueryResult r = Ok("select * from generate_series(1, 2) with ordinality as s");
  ASSERT_EQ(r.columns.size(), 2u);
  EXPECT_EQ(r.columns[0].name, "s");
  EXPECT_EQ(r.columns[1].name, "ordinality");
  EXPECT_EQ(r.columns[1].type, TypeId::kInt8);
  EXPECT_EQ(Rows("select n, i from unnest('{a,NULL,\"b c\"}'::text) with ordinality u(n, i)"),
            (Strings{"a|1", "NULL|2", "b c|3"}));
  EXPECT_EQ(Rows("select g.x * 2 from generate_series(1, 3) g(x) where x > 1"),
            (Strings{"4", "6"}));
  EXPECT_EQ(Rows("select * from lower('ABC')"), (Strings{"abc"}));
}

TEST_F(FunctionScanTest, RowsFromZipsItsCallsPaddingWithNulls) {
  QueryResult r =
      Ok("select * from rows from (generate_series(1, 3), unnest(array['x']), "
         "lower('A')) with ordinality");
  ASSERT_EQ(r.columns.size(), 4u);
  EXPECT_EQ(r.columns[0].name, "generate_series");
  EXPECT_EQ(r.columns[1].name, "unnest");
  EXPECT_EQ(r.columns[2].name, "lower");
  EXPECT_EQ(r.columns[3].name, "ordinality");
  EXPECT_EQ(r.columns[1].type, TypeId::kText);
  EXPECT_EQ(Rows("select * from rows from (generate_series(1, 3), unnest(array['x']), "
                 "lower('A')) with ordinality"),
            (Strings{"1|x|a|1", "2|NULL|NULL|2", "3|NULL|NULL|3"}));
  // unnest of several arrays is ROWS FROM of one unnest each; a NULL array gives no rows.
  EXPECT_EQ(Rows("select * from unnest(array[1, 2], null::int[], array['a', 'b', 'c']) u(a, b)"),
            (Strings{"1|NULL|a", "2|NULL|b", "NULL|NULL|c"}));
  EXPECT_EQ(Rows("select * from rows from (jsonb_each('{\"k\": 1}'), generate_series(1, 2))"),
            (Strings{"k|1|1", "NULL|NULL|2"}));
  EXPECT_EQ(Err("select * from unnest(array[1], array[2]) t(a, b, c)").sqlstate, "42P10");
  // EXPLAIN names a scan of several functions by its item's name, as PostgreSQL's.
  EXPECT_EQ(Rows("explain (costs off) select * from rows from (generate_series(1, 2), "
                 "unnest(array[1])) as r"),
            (Strings{"Function Scan on r"}));
  EXPECT_EQ(Rows("explain (costs off) select * from unnest(array[1], array[2])"),
            (Strings{"Function Scan on unnest"}));
}

TEST_F(FunctionScanTest, JoinsAndCorrelatedSubqueries) {
  Ok("create table t (a int primary key, b text); insert into t values (1, 'x'), (3, 'y')");
  EXPECT_EQ(Rows("select t.b, g from t join generate_series(1, 3) g on g = t.a order by g"),
            (Strings{"x|1", "y|3"}));
  EXPECT_EQ(Rows("select a, (select count(*) from generate_series(1, a)) from t order by a"),
            (Strings{"1|1", "3|3"}));
}

TEST_F(FunctionScanTest, ACachedShapeReadsItsOwnLiterals) {
  EXPECT_EQ(Rows("select count(*) from generate_series(1, 3)"), (Strings{"3"}));
  EXPECT_EQ(Rows("select count(*) from generate_series(1, 30)"), (Strings{"30"}));
}

TEST_F(FunctionScanTest, StringAgg) {
  Ok("create table t (a int primary key, b text, d text)");
  EXPECT_EQ(Rows("select string_agg(b, ',') is null from t"), (Strings{"t"}));
  Ok("insert into t values (1, 'x', ';'), (2, null, '-'), (3, 'z', null), (4, 'y', '+')");
  EXPECT_EQ(Rows("select string_agg(b, ',') from t"), (Strings{"x,z,y"}));
  EXPECT_EQ(Rows("select string_agg(b, d) from t"), (Strings{"xz+y"}));
  EXPECT_EQ(Rows("select string_agg(b, ', ' order by b desc) from t"), (Strings{"z, y, x"}));
  EXPECT_EQ(Rows("select string_agg(b, '' order by a desc nulls first) from t"), (Strings{"yzx"}));
  EXPECT_EQ(Rows("select a % 2, string_agg(b, '/' order by a) from t group by 1 order by 1"),
            (Strings{"0|y", "1|x/z"}));
  EXPECT_EQ(Err("select string_agg(a, ',') from t").message,
            "function string_agg(integer, unknown) does not exist");
}

}  // namespace
}  // namespace sqlrite::engine
