// A select list's set-returning calls (ProjectSet), record values and field selection
// (information_schema._pg_expandarray), name[] (current_schemas) and the integer bitwise
// operators, through the facade; tests/e2e/jdbc/JdbcMetadata.java runs pgjdbc's queries over them
// against PostgreSQL 15.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class ProjectSetTest : public testing::ClusterTest {};

TEST_F(ProjectSetTest, CallsRunPerInputRowInLockstep) {
  Ok("create table t (id int primary key, n int)");
  Ok("insert into t values (1, 1), (2, 3), (3, 0), (4, null)");
  EXPECT_EQ(Rows("select id, generate_series(1, n) from t order by id, 2"),
            (Strings{"1|1", "2|1", "2|2", "2|3"}));
  // The shorter call gives NULLs while the longer one goes on.
  EXPECT_EQ(Rows("select id, generate_series(1, n), generate_series(1, 2) from t where id = 2"),
            (Strings{"2|1|1", "2|2|2", "2|3|NULL"}));
  // Expressions over the calls, and the same call twice run once.
  EXPECT_EQ(Rows("select generate_series(1, n) * 10, generate_series(1, n) from t where id = 2"),
            (Strings{"10|1", "20|2", "30|3"}));
  EXPECT_EQ(Rows("select generate_series(1, 2), generate_series(1, 3)"),
            (Strings{"1|1", "2|2", "NULL|3"}));
  EXPECT_EQ(Rows("select distinct generate_series(1, 3) % 2 order by 1"), (Strings{"0", "1"}));
  EXPECT_EQ(Rows("select id, generate_series(1, 5) from t where id = 1 limit 2"),
            (Strings{"1|1", "1|2"}));
}

TEST_F(ProjectSetTest, RefusedWhereNoProjectSetRuns) {
  Ok("create table t (id int primary key, n int)");
  EXPECT_EQ(Err("select count(*), generate_series(1, 2) from t").sqlstate, "0A000");
  EXPECT_EQ(Err("select id from t where generate_series(1, 2) > 1").sqlstate, "0A000");
  EXPECT_EQ(Err("select generate_series(1, generate_series(1, 2)) from t").sqlstate, "0A000");
}

TEST_F(ProjectSetTest, ExpandArrayGivesRecordsAndTheirFields) {
  EXPECT_EQ(Rows("select information_schema._pg_expandarray('3 1 2'::int2vector)"),
            (Strings{"(3,1)", "(1,2)", "(2,3)"}));
  EXPECT_EQ(Rows("select (information_schema._pg_expandarray('{5,NULL}'::int2[])).x, "
                 "(information_schema._pg_expandarray('{5,NULL}'::int2[])).n"),
            (Strings{"5|1", "NULL|2"}));
  QueryResult r = Ok("select (information_schema._pg_expandarray('{7}'::int2[])).x");
  ASSERT_EQ(r.columns.size(), 1u);
  EXPECT_EQ(r.columns[0].name, "x");
  EXPECT_EQ(r.columns[0].type, TypeId::kInt2);
  r = Ok("select information_schema._pg_expandarray('{7}'::int2[])");
  EXPECT_EQ(r.columns[0].name, "_pg_expandarray");
  EXPECT_EQ(r.columns[0].type, TypeId::kRecord);
  // A record read through a derived table, as pgjdbc's getPrimaryKeys does.
  Ok("create table k (a int, b text, c int, primary key (c, a))");
  EXPECT_EQ(Rows("select r.attname, r.n from (select a.attname, a.attnum, "
                 "(information_schema._pg_expandarray(i.indkey)).n as n, "
                 "information_schema._pg_expandarray(i.indkey) as keys from pg_attribute a "
                 "join pg_index i on a.attrelid = i.indrelid where i.indrelid = 'k'::regclass) r "
                 "where r.attnum = (r.keys).x order by r.n"),
            (Strings{"c|1", "a|2"}));
}

TEST_F(ProjectSetTest, FieldSelectionErrorsAsPostgreSQL) {
  Error e = Err("select (1).x");
  EXPECT_EQ(e.sqlstate, "42809");
  EXPECT_EQ(e.message, "column notation .x applied to type integer, which is not a composite type");
  e = Err("select (information_schema._pg_expandarray('{1}'::int2[])).z");
  EXPECT_EQ(e.sqlstate, "42703");
  EXPECT_EQ(e.message, "could not identify column \"z\" in record data type");
  EXPECT_EQ(Err("select _pg_expandarray('{1}'::int2[])").sqlstate, "42883");
}

TEST_F(ProjectSetTest, CurrentSchemasAndBitwiseOperators) {
  EXPECT_EQ(Rows("select current_schemas(false), current_schemas(true)"),
            (Strings{"{public}|{pg_catalog,public}"}));
  EXPECT_EQ(Rows("select (current_schemas(true))[2], array_upper(current_schemas(false), 1), "
                 "'public'::name = any (current_schemas(false))"),
            (Strings{"public|1|t"}));
  EXPECT_EQ(Rows("select 6 & 3, 6 | 3, 6 # 3, 5::int2 & 1::smallint, 12::int8 & 10"),
            (Strings{"2|7|5|1|8"}));
  QueryResult r = Ok("select 5::int2 & 1::smallint");
  EXPECT_EQ(r.columns[0].type, TypeId::kInt2);
}

}  // namespace
}  // namespace sqlrite::engine
