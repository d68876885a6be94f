// The engine through its facade: Cluster::Open on a temp dir, Connect, Parse + Execute.

#include "engine/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using EngineTest = testing::ClusterTest;

using V = std::vector<std::string>;

TEST_F(EngineTest, CreateInsertSelectRoundTrip) {
  EXPECT_EQ(Ok("CREATE TABLE t (a int PRIMARY KEY, b text, c float8)").command_tag, "CREATE TABLE");
  EXPECT_EQ(Ok("INSERT INTO t VALUES (1, 'one', 1.5), (2, 'two', NULL)").command_tag, "INSERT 0 2");
  QueryResult r = Ok("SELECT * FROM t ORDER BY a");
  EXPECT_TRUE(r.returns_rows);
  EXPECT_EQ(r.command_tag, "SELECT 2");
  ASSERT_EQ(r.columns.size(), 3u);
  EXPECT_EQ(r.columns[0].name, "a");
  EXPECT_EQ(r.columns[0].type, TypeId::kInt4);
  EXPECT_EQ(r.columns[2].type, TypeId::kFloat8);
  EXPECT_EQ(Rows("SELECT * FROM t ORDER BY a"), (V{"1|one|1.5", "2|two|NULL"}));
  EXPECT_EQ(Rows("SELECT b FROM t WHERE a = 2"), (V{"two"}));
  EXPECT_EQ(Rows("SELECT a + 1 AS x, b || '!' FROM t WHERE a = '1'"), (V{"2|one!"}));
}

TEST_F(EngineTest, UpdateAndDeleteWithReturning) {
  Ok("CREATE TABLE t (a int PRIMARY KEY, b int)");
  Ok("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
  QueryResult u = Ok("UPDATE t SET b = b + 1 WHERE a >= 2 RETURNING a, b");
  EXPECT_EQ(u.command_tag, "UPDATE 2");
  EXPECT_EQ(u.rows.size(), 2u);
  EXPECT_EQ(Rows("SELECT b FROM t ORDER BY a"), (V{"10", "21", "31"}));
  EXPECT_EQ(Ok("UPDATE t SET a = 5 WHERE a = 1").command_tag, "UPDATE 1");
  EXPECT_EQ(Rows("SELECT a FROM t WHERE a = 5"), (V{"5"}));
  EXPECT_EQ(Ok("DELETE FROM t WHERE b > 25").command_tag, "DELETE 1");
  EXPECT_EQ(Rows("SELECT a FROM t ORDER BY 1"), (V{"2", "5"}));
  EXPECT_EQ(Ok("TRUNCATE t").command_tag, "TRUNCATE TABLE");
  EXPECT_EQ(Ok("SELECT * FROM t").command_tag, "SELECT 0");
}

TEST_F(EngineTest, ResultTypesAndNamesAsPostgres) {
  QueryResult r = Ok("SELECT 1, 1 + 2147483648, count(*), 'x', 1.5, 7 / 2, '12'::int");
  ASSERT_EQ(r.columns.size(), 7u);
  EXPECT_EQ(r.columns[0].name, "?column?");
  EXPECT_EQ(r.columns[0].type, TypeId::kInt4);
  EXPECT_EQ(r.columns[1].type, TypeId::kInt8);
  EXPECT_EQ(r.columns[2].name, "count");
  EXPECT_EQ(r.columns[2].type, TypeId::kInt8);
  EXPECT_EQ(r.columns[3].type, TypeId::kText);
  EXPECT_EQ(r.columns[4].type, TypeId::kNumeric);
  EXPECT_EQ(r.columns[6].name, "int4");
  EXPECT_EQ(Rows("SELECT 7 / 2, 7 % 3, -7 / 2"), (V{"3|1|-3"}));
}

// starts_with(text, text) and its operator ^@ (pg_operator's text ^@ text, oprcode starts_with):
// case-sensitive, literal (no wildcards), by characters; the operator's column is "?column?" and
// its type errors name the operator, as PostgreSQL's.
TEST_F(EngineTest, StartsWithFunctionAndOperator) {
  Ok("CREATE TABLE w (id int PRIMARY KEY, s text, v varchar(10), c char(4))");
  Ok("INSERT INTO w VALUES (1, 'Ann', 'Ann', 'An'), (2, 'ann', 'an%', 'an'), "
     "(3, 'héllo', NULL, 'hé'), (4, NULL, '', NULL)");
  EXPECT_EQ(Rows("SELECT id FROM w WHERE s ^@ 'An' ORDER BY id"), (V{"1"}));
  EXPECT_EQ(Rows("SELECT id FROM w WHERE starts_with(s, 'a') ORDER BY id"), (V{"2"}));
  EXPECT_EQ(Rows("SELECT id FROM w WHERE v ^@ 'an%' ORDER BY id"), (V{"2"}));
  EXPECT_EQ(Rows("SELECT id FROM w WHERE s ^@ 'hé' ORDER BY id"), (V{"3"}));
  EXPECT_EQ(Rows("SELECT id FROM w WHERE c ^@ 'a' ORDER BY id"), (V{"2"}));
  EXPECT_EQ(Rows("SELECT id, s ^@ '', v ^@ s FROM w ORDER BY id"),
            (V{"1|t|t", "2|t|f", "3|t|NULL", "4|NULL|NULL"}));
  EXPECT_EQ(Rows("SELECT id FROM w WHERE NOT s ^@ 'A' ORDER BY id"), (V{"2", "3"}));
  QueryResult r = Ok("SELECT 'abc' ^@ 'ab', starts_with('abc', 'b'), 'abc' ~ 'b'");
  ASSERT_EQ(r.columns.size(), 3u);
  EXPECT_EQ(r.columns[0].name, "?column?");
  EXPECT_EQ(r.columns[0].type, TypeId::kBool);
  EXPECT_EQ(r.columns[1].name, "starts_with");
  EXPECT_EQ(r.columns[2].name, "?column?");
  EXPECT_EQ(Rows("SELECT 'abc' ^@ 'ab', starts_with('abc', 'b'), 'abc' ^@ 'a' || 'x'"),
            (V{"t|f|truex"}));
  Error e = Err("SELECT 1 ^@ 2");
  EXPECT_EQ(e.sqlstate, "42883");
  EXPECT_EQ(e.message, "operator does not exist: integer ^@ integer");
  EXPECT_EQ(e.position, 10);
  EXPECT_EQ(Err("SELECT 'a' ^@ 1").message, "operator does not exist: unknown ^@ integer");
  EXPECT_EQ(Err("SELECT 'abc' ^@ 'a' ^@ 'b'").message,
            "operator does not exist: boolean ^@ unknown");
  EXPECT_EQ(Err("SELECT 'abc' ~ 1").message, "operator does not exist: unknown ~ integer");
  e = Err("SELECT starts_with(1, 2)");
  EXPECT_EQ(e.message, "function starts_with(integer, integer) does not exist");
  EXPECT_EQ(e.position, 8);
}

TEST_F(EngineTest, ErrorsCarryPostgresSqlstates) {
  Ok("CREATE TABLE t (a int PRIMARY KEY, b varchar(5) NOT NULL, c text UNIQUE)");
  EXPECT_EQ(Err("INSERT INTO t VALUES (1, 'a'), (2)").message,
            "VALUES lists must all be the same length");
  Error e = Err("SELECT * FROM nope");
  EXPECT_EQ(e.sqlstate, "42P01");
  EXPECT_EQ(e.message, "relation \"nope\" does not exist");
  EXPECT_EQ(e.position, 15);
  e = Err("SELECT x FROM t");
  EXPECT_EQ(e.sqlstate, "42703");
  EXPECT_EQ(e.message, "column \"x\" does not exist");
  EXPECT_EQ(e.position, 8);
  EXPECT_EQ(Err("CREATE TABLE t (a int)").sqlstate, "42P07");
  e = Err("DROP TABLE nope");
  EXPECT_EQ(e.sqlstate, "42P01");
  EXPECT_EQ(e.message, "table \"nope\" does not exist");
  e = Err("INSERT INTO t VALUES ('abc', 'x')");
  EXPECT_EQ(e.sqlstate, "22P02");
  EXPECT_EQ(e.message, "invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(e.position, 23);
  e = Err("INSERT INTO t VALUES (1, 'toolong')");
  EXPECT_EQ(e.sqlstate, "22001");
  EXPECT_EQ(e.message, "value too long for type character varying(5)");
  e = Err("SELECT * FROM t WHERE a = c");
  EXPECT_EQ(e.sqlstate, "42883");
  EXPECT_EQ(e.message, "operator does not exist: integer = text");
  EXPECT_EQ(Err("SELECT 2147483647 + 1").sqlstate, "22003");
  EXPECT_EQ(Err("SELECT 1 / 0").sqlstate, "22012");
  EXPECT_EQ(Err("SELECT 9223372036854775807 + 1").message, "bigint out of range");
  e =
      Err("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z'), (4, 'w'), (5, 'v'), "
          "(6, 'u'), (7, 's'), (8, 'r'), (9, 'q'), (10, 'p'), (11, 'o'), (12, 'n'), (13, 'm'), "
          "(14, 'l'), (15, 'k'), (16, 'j'), (17, 'i'), (18, 'h'), (19, 'g'), (20, 'f'), "
          "(21, 'e'), (22, 'd'), (23, 'c'), (24, 'b'), (25, 'a'), (26, 'z'), (27, 'y'), "
          "(28, 'x'), (29, 'w'), (30, 'vv'), (30, 'u')");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(Ok("SELECT * FROM t").command_tag, "SELECT 0");
}

TEST_F(EngineTest, TargetListsHaveAtMost1664Entries) {
  auto list = [](int n) {
    std::string sql = "SELECT 0";
    for (int i = 1; i < n; ++i) sql += "," + std::to_string(i);
    return sql;
  };
  EXPECT_EQ(Ok(list(1664)).columns.size(), 1664u);
  Error e = Err(list(1665));
  EXPECT_EQ(e.sqlstate, "54011");
  EXPECT_EQ(e.message, "target lists can have at most 1664 entries");
  // Stars count after expansion, RETURNING lists too; an item's own error comes first.
  Ok("CREATE TABLE w (a int, b int, c int, d int, e int, f int, g int, h int, i int, j int)");
  Ok("INSERT INTO w VALUES (1,2,3,4,5,6,7,8,9,10)");
  std::string stars = "SELECT *";
  for (int i = 0; i < 166; ++i) stars += ", *";  // 1670 columns
  EXPECT_EQ(Err(stars + " FROM w").sqlstate, "54011");
  EXPECT_EQ(Err("DELETE FROM w RETURNING " + stars.substr(7)).sqlstate, "54011");
  EXPECT_EQ(Err(list(1700) + ", nope").sqlstate, "42703");
  EXPECT_EQ(Rows("SELECT count(*) FROM w"), (V{"1"}));
}

TEST_F(EngineTest, TextIntoIntegerColumnIsADatatypeMismatch) {
  Ok("CREATE TABLE t (a int, b text)");
  Error e = Err("INSERT INTO t (a) SELECT b FROM t");
  EXPECT_EQ(e.sqlstate, "42804");
  EXPECT_EQ(e.message, "column \"a\" is of type integer but expression is of type text");
  EXPECT_EQ(e.hint, "You will need to rewrite or cast the expression.");
}

TEST_F(EngineTest, UniqueAndNotNullViolationsLeaveTableUnchanged) {
  Ok("CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL, c int UNIQUE)");
  Ok("INSERT INTO t VALUES (1, 'x', 10)");
  Error e = Err("INSERT INTO t VALUES (2, 'y', 20), (1, 'z', 30)");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"t_pkey\"");
  EXPECT_EQ(e.detail, "Key (a)=(1) already exists.");
  e = Err("INSERT INTO t VALUES (3, 'y', 30), (4, 'w', 10)");
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"t_c_key\"");
  EXPECT_EQ(e.detail, "Key (c)=(10) already exists.");
  e = Err("INSERT INTO t VALUES (5, 'v', 50), (6, NULL, 60)");
  EXPECT_EQ(e.sqlstate, "23502");
  EXPECT_EQ(e.message, "null value in column \"b\" of relation \"t\" violates not-null constraint");
  EXPECT_EQ(e.detail, "Failing row contains (6, null, 60).");
  Ok("INSERT INTO t VALUES (2, 'y', 20)");
  EXPECT_EQ(Err("UPDATE t SET c = 10 WHERE a = 2").sqlstate, "23505");
  EXPECT_EQ(Err("UPDATE t SET a = 1 WHERE a = 2").sqlstate, "23505");
  EXPECT_EQ(Rows("SELECT a, c FROM t ORDER BY a"), (V{"1|10", "2|20"}));
  Ok("DELETE FROM t WHERE a = 2");
  EXPECT_EQ(Rows("SELECT * FROM t"), (V{"1|x|10"}));
  // NULLs never conflict in a UNIQUE column.
  Ok("INSERT INTO t VALUES (7, 'a', NULL), (8, 'b', NULL)");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (V{"3"}));
}

TEST_F(EngineTest, IntegrityErrorsNameTheirTableColumnAndConstraint) {
  Ok("CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL, c int UNIQUE)");
  Ok("INSERT INTO t VALUES (1, 'x', 10)");
  Error e = Err("INSERT INTO t VALUES (1, 'again', 11)");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.schema_name, "public");
  EXPECT_EQ(e.table_name, "t");
  EXPECT_EQ(e.column_name, "");
  EXPECT_EQ(e.constraint_name, "t_pkey");
  Ok("INSERT INTO t VALUES (2, 'y', 20)");
  e = Err("UPDATE t SET c = 10 WHERE a = 2");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.constraint_name, "t_c_key");
  EXPECT_EQ(e.table_name, "t");
  e = Err("INSERT INTO t VALUES (3, null)");
  EXPECT_EQ(e.sqlstate, "23502");
  EXPECT_EQ(e.schema_name, "public");
  EXPECT_EQ(e.table_name, "t");
  EXPECT_EQ(e.column_name, "b");
  EXPECT_EQ(e.constraint_name, "");
  EXPECT_EQ(Err("UPDATE t SET b = null").column_name, "b");
}

// Positions as PostgreSQL 15 reports them: an error about a whole expression points at its
// leftmost token, one about an operator at the operator.
TEST_F(EngineTest, ExpressionErrorsPointWherePostgresPoints) {
  Ok("CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL, c int)");
  struct Case {
    const char* sql;
    const char* sqlstate;
    int position;
  };
  const Case cases[] = {
      {"insert into t values ('1'::text, 'x')", "42804", 23},
      {"insert into t values (1, 'x', 'a' || 'b')", "42804", 31},
      {"insert into t values (1, 'x', (1 = 1))", "42804", 32},
      {"insert into t values (1, 'x', not true)", "42804", 31},
      {"insert into t values (1, 'x', true and false)", "42804", 31},
      {"insert into t values (1, 'x', lower('a'))", "42804", 31},
      {"insert into t values (1, 'x', -'1'::text)", "42883", 31},
      {"update t set c = 'x'::text || 'y'", "42804", 18},
      {"update t set c = (1.5 + 1)::text", "42804", 19},
      {"select * from t where a + 1", "42804", 23},
      {"select * from t where 'x'::text", "42804", 23},
      {"select * from t where lower(b)", "42804", 23},
      {"select * from t limit 'x'::text", "42804", 23},
      {"select * from t limit 1.5::text", "42804", 23},
      {"select * from t order by a + b", "42883", 28},
      {"select * from t where b + 1 = 2", "42883", 25},
      {"select * from t where a = 'x'::text", "42883", 25},
      {"select 1 + 'x'::text", "42883", 10},
      {"select 'x'::text::int + 'y'", "22P02", 25},
      {"select a + 'x' from t", "22P02", 12},
      {"select case when 1 then 2 end", "42804", 18},
      {"select coalesce(1, 'x'::text)", "42804", 20},
      {"select 1 in ('x'::text)", "42883", 10},
      {"select 1::text between 2 and 3", "42883", 16},
      {"select b like 1 from t", "42883", 10},
  };
  for (const Case& c : cases) {
    Error e = Err(c.sql);
    EXPECT_EQ(e.sqlstate, c.sqlstate) << c.sql << ": " << e.message;
    EXPECT_EQ(e.position, c.position) << c.sql << ": " << e.message;
  }
  EXPECT_EQ(Err("select -'1'::text").hint,
            "No operator matches the given name and argument type. You might need to add an "
            "explicit type cast.");
}

TEST_F(EngineTest, CompositeAndTextPrimaryKeysUseAnIndex) {
  Ok("CREATE TABLE k (a text, b int, v int, PRIMARY KEY (a, b))");
  Ok("INSERT INTO k VALUES ('x', 1, 1), ('x', 2, 2), ('y', 1, 3)");
  Error e = Err("INSERT INTO k VALUES ('x', 2, 9)");
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"k_pkey\"");
  EXPECT_EQ(e.detail, "Key (a, b)=(x, 2) already exists.");
  Ok("CREATE TABLE u (name text PRIMARY KEY, n int)");
  Ok("INSERT INTO u VALUES ('bob', 1), ('al', 2)");
  EXPECT_EQ(Rows("SELECT n FROM u WHERE name = 'al'"), (V{"2"}));
  Ok("UPDATE u SET name = 'carl' WHERE name = 'al'");
  EXPECT_EQ(Rows("SELECT n FROM u WHERE name = 'carl'"), (V{"2"}));
  EXPECT_EQ(Rows("SELECT n FROM u WHERE name = 'al'"), V{});
}

TEST_F(EngineTest, ThreeValuedLogicInWhere) {
  Ok("CREATE TABLE t (a int, b bool)");
  Ok("INSERT INTO t VALUES (1, true), (2, false), (3, NULL)");
  EXPECT_EQ(Rows("SELECT a FROM t WHERE b ORDER BY a"), (V{"1"}));
  EXPECT_EQ(Rows("SELECT a FROM t WHERE NOT b ORDER BY a"), (V{"2"}));
  EXPECT_EQ(Rows("SELECT a FROM t WHERE b IS NULL"), (V{"3"}));
  EXPECT_EQ(Rows("SELECT a FROM t WHERE b OR a = 3 ORDER BY a"), (V{"1", "3"}));
  EXPECT_EQ(Rows("SELECT a FROM t WHERE a IN (1, NULL) ORDER BY a"), (V{"1"}));
  EXPECT_EQ(Rows("SELECT a FROM t WHERE a NOT IN (1, NULL)"), V{});
  EXPECT_EQ(Rows("SELECT NULL = NULL, true AND NULL, false AND NULL, NULL OR true"),
            (V{"NULL|NULL|f|t"}));
}

TEST_F(EngineTest, OrderByLimitOffsetDistinct) {
  Ok("CREATE TABLE t (a int, b text)");
  Ok("INSERT INTO t VALUES (3, 'c'), (1, 'a'), (NULL, 'n'), (2, 'b'), (2, 'b')");
  EXPECT_EQ(Rows("SELECT a FROM t ORDER BY a"), (V{"1", "2", "2", "3", "NULL"}));
  EXPECT_EQ(Rows("SELECT a FROM t ORDER BY a DESC"), (V{"NULL", "3", "2", "2", "1"}));
  EXPECT_EQ(Rows("SELECT a AS x FROM t ORDER BY x NULLS FIRST LIMIT 2"), (V{"NULL", "1"}));
  EXPECT_EQ(Rows("SELECT b FROM t ORDER BY a LIMIT 2 OFFSET 1"), (V{"b", "b"}));
  EXPECT_EQ(Rows("SELECT DISTINCT a, b FROM t ORDER BY 1"), (V{"1|a", "2|b", "3|c", "NULL|n"}));
  EXPECT_EQ(Rows("SELECT b FROM t ORDER BY a + 0 DESC LIMIT 1"), (V{"n"}));
  EXPECT_EQ(Err("SELECT a FROM t LIMIT -1").sqlstate, "2201W");
  EXPECT_EQ(Err("SELECT * FROM t, t").sqlstate, "42712");
}

TEST_F(EngineTest, AggregatesAndGroupBy) {
  Ok("CREATE TABLE t (g text, v int)");
  Ok("INSERT INTO t VALUES ('a', 1), ('a', 2), ('b', 5), ('b', NULL), ('c', NULL)");
  EXPECT_EQ(Rows("SELECT count(*), count(v), sum(v), min(v), max(v) FROM t"), (V{"5|3|8|1|5"}));
  EXPECT_EQ(Rows("SELECT g, count(*), sum(v) FROM t GROUP BY g ORDER BY g"),
            (V{"a|2|3", "b|2|5", "c|1|NULL"}));
  EXPECT_EQ(Rows("SELECT g FROM t GROUP BY g HAVING count(v) > 1"), (V{"a"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE v > 100"), (V{"0"}));
  EXPECT_EQ(Rows("SELECT upper(g) AS k, count(*) FROM t GROUP BY k ORDER BY k DESC LIMIT 1"),
            (V{"C|1"}));
  EXPECT_EQ(Rows("SELECT *, v * 2 AS w FROM t WHERE v IS NOT NULL ORDER BY w DESC LIMIT 1"),
            (V{"b|5|10"}));
  Error e = Err("SELECT g, count(*) FROM t");
  EXPECT_EQ(e.sqlstate, "42803");
  EXPECT_EQ(e.message,
            "column \"t.g\" must appear in the GROUP BY clause or be used in an aggregate "
            "function");
}

TEST_F(EngineTest, GroupByPrimaryKeyMakesTheTablesColumnsDependent) {
  Ok("CREATE TABLE a (id int PRIMARY KEY, name text); CREATE TABLE b (id int, a_id int)");
  Ok("CREATE TABLE u (id int UNIQUE, name text)");
  Ok("INSERT INTO a VALUES (1, 'x'), (2, 'y'); INSERT INTO b VALUES (1, 1), (2, 1), (3, 2)");
  EXPECT_EQ(Rows("SELECT a.id, a.name, count(*) FROM a JOIN b ON b.a_id = a.id GROUP BY a.id "
                 "ORDER BY a.name"),
            (V{"1|x|2", "2|y|1"}));
  // Not b's columns, not a unique column's table, not through a derived table.
  EXPECT_EQ(Err("SELECT b.id FROM a JOIN b ON b.a_id = a.id GROUP BY a.id").sqlstate, "42803");
  EXPECT_EQ(Err("SELECT u.name FROM u GROUP BY u.id").message,
            "column \"u.name\" must appear in the GROUP BY clause or be used in an aggregate "
            "function");
  EXPECT_EQ(Err("SELECT s.name FROM (SELECT * FROM a) s GROUP BY s.id").sqlstate, "42803");
}

TEST_F(EngineTest, CrossJoin) {
  Ok("CREATE TABLE x (a int); CREATE TABLE y (b int)");
  Ok("INSERT INTO x VALUES (1), (2); INSERT INTO y VALUES (10), (20)");
  EXPECT_EQ(Rows("SELECT a, b FROM x, y WHERE a * 10 <= b ORDER BY a, b"),
            (V{"1|10", "1|20", "2|20"}));
}

TEST_F(EngineTest, DefaultsAndInsertSelect) {
  Ok("CREATE TABLE t (a int, b text DEFAULT 'dflt', c int DEFAULT 7)");
  Ok("INSERT INTO t (a) VALUES (1)");
  Ok("INSERT INTO t VALUES (2, DEFAULT, 3)");
  EXPECT_EQ(Rows("SELECT * FROM t ORDER BY a"), (V{"1|dflt|7", "2|dflt|3"}));
  EXPECT_EQ(Ok("INSERT INTO t SELECT a + 10, b, c FROM t").command_tag, "INSERT 0 2");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (V{"4"}));
}

TEST_F(EngineTest, IfExistsAndIfNotExistsGiveNotices) {
  Ok("CREATE TABLE t (a int)");
  QueryResult r = Ok("CREATE TABLE IF NOT EXISTS t (a int)");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "relation \"t\" already exists, skipping");
  EXPECT_EQ(r.notices[0].severity, Severity::kNotice);
  r = Ok("DROP TABLE IF EXISTS nope");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "table \"nope\" does not exist, skipping");
  EXPECT_EQ(Ok("DROP TABLE t").command_tag, "DROP TABLE");
  EXPECT_EQ(Err("SELECT * FROM t").sqlstate, "42P01");
}

TEST_F(EngineTest, DataPersistsAcrossReopen) {
  Ok("CREATE TABLE t (a int PRIMARY KEY, b text UNIQUE)");
  Ok("CREATE TABLE h (x text)");
  Ok("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  Ok("INSERT INTO h VALUES ('p'), ('q')");
  Reopen();
  EXPECT_EQ(Rows("SELECT * FROM t ORDER BY a"), (V{"1|one", "2|two"}));
  EXPECT_EQ(Err("INSERT INTO t VALUES (3, 'one')").sqlstate, "23505");
  Ok("INSERT INTO h VALUES ('r')");
  EXPECT_EQ(Rows("SELECT x FROM h ORDER BY x"), (V{"p", "q", "r"}));
}

TEST_F(EngineTest, SecondOpenOfSameDirectoryFails) {
  Cluster::Options options;
  options.data_dir = dir_;
  auto second = Cluster::Open(options);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().sqlstate, "55006");
  EXPECT_EQ(second.error().message, "data directory \"" + dir_ + "\" is in use by another server");
}

TEST_F(EngineTest, CreateAndDropDatabase) {
  EXPECT_EQ(Ok("CREATE DATABASE app").command_tag, "CREATE DATABASE");
  EXPECT_EQ(Err("CREATE DATABASE app").sqlstate, "42P04");
  auto other = cluster_->Connect("postgres", "app", {});
  ASSERT_TRUE(other);
  ASSERT_TRUE(Exec("CREATE TABLE only_here (a int)", other->get()));
  EXPECT_EQ(Err("SELECT * FROM only_here").sqlstate, "42P01");
  Error e = Err("DROP DATABASE app");
  EXPECT_EQ(e.sqlstate, "55006");
  EXPECT_EQ(e.message, "database \"app\" is being accessed by other users");
  EXPECT_EQ(e.detail, "There is 1 other session using the database.");
  auto self_drop = Exec("DROP DATABASE app", other->get());
  ASSERT_FALSE(self_drop);
  EXPECT_EQ(self_drop.error().message, "cannot drop the currently open database");
  cluster_->Disconnect(**other);
  EXPECT_EQ(Ok("DROP DATABASE app").command_tag, "DROP DATABASE");
  EXPECT_EQ(Err("DROP DATABASE app").sqlstate, "3D000");
  EXPECT_EQ(Ok("DROP DATABASE IF EXISTS app").notices.size(), 1u);
  auto gone = cluster_->Connect("postgres", "app", {});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().sqlstate, "3D000");
  EXPECT_EQ(gone.error().message, "database \"app\" does not exist");
}

TEST_F(EngineTest, UnknownRoleIsRejected) {
  auto r = cluster_->Connect("mallory", "postgres", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "28000");
  EXPECT_EQ(r.error().message, "role \"mallory\" does not exist");
}

TEST_F(EngineTest, StartupOptionsApplyToTheSession) {
  auto s = cluster_->Connect(
      "postgres", "postgres",
      {{"application_name", "psql"}, {"options", "-c statement_timeout=5s --lock-timeout=7"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(Exec("SHOW statement_timeout", s->get())->rows[0][0], Datum(std::string("5s")));
  EXPECT_EQ(Exec("SHOW lock_timeout", s->get())->rows[0][0], Datum(std::string("7")));
  bool found = false;
  for (const auto& [name, value] : cluster_->StartupParameters(**s)) {
    if (name == "application_name") found = value == "psql";
  }
  EXPECT_TRUE(found);
  cluster_->Disconnect(**s);
  auto bad = cluster_->Connect("postgres", "postgres", {{"client_encoding", "LATIN1"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().sqlstate, "22023");
}

TEST_F(EngineTest, SetShowReset) {
  QueryResult r = Ok("SET application_name = 'bench'");
  EXPECT_EQ(r.command_tag, "SET");
  ASSERT_EQ(r.parameter_status.size(), 1u);
  EXPECT_EQ(r.parameter_status[0],
            (std::pair<std::string, std::string>{"application_name", "bench"}));
  r = Ok("SHOW application_name");
  EXPECT_EQ(r.command_tag, "SHOW");
  ASSERT_EQ(r.columns.size(), 1u);
  EXPECT_EQ(r.columns[0].name, "application_name");
  EXPECT_EQ(Rows("SHOW application_name"), (V{"bench"}));
  EXPECT_EQ(Rows("SHOW server_version"), (V{"15.0"}));
  // version() as drivers and ORMs parse it: "PostgreSQL <server_version> ...".
  EXPECT_EQ(Ok("SELECT version()").columns[0].name, "version");
  EXPECT_EQ(Rows("SELECT version()")[0].rfind("PostgreSQL 15.0 ", 0), 0u);
  EXPECT_EQ(Ok("SHOW datestyle").columns[0].name, "DateStyle");
  Ok("RESET application_name");
  EXPECT_EQ(Rows("SHOW application_name"), (V{""}));
  Error e = Err("SET nope = 1");
  EXPECT_EQ(e.sqlstate, "42704");
  EXPECT_EQ(e.message, "unrecognized configuration parameter \"nope\"");
}

TEST_F(EngineTest, TransactionStatementsOutsideABlock) {
  QueryResult r = Ok("COMMIT");
  EXPECT_EQ(r.command_tag, "COMMIT");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].severity, Severity::kWarning);
  EXPECT_EQ(r.notices[0].sqlstate, "25P01");
  EXPECT_EQ(r.notices[0].message, "there is no transaction in progress");
  EXPECT_EQ(Ok("ROLLBACK").command_tag, "ROLLBACK");
  EXPECT_EQ(session_->tx_status(), TxStatus::kIdle);
  EXPECT_EQ(Ok("CHECKPOINT").command_tag, "CHECKPOINT");
  QueryResult vacuum = Ok("VACUUM");
  EXPECT_EQ(vacuum.command_tag, "VACUUM");
  ASSERT_EQ(vacuum.notices.size(), 1u);  // an honest no-op says so
  EXPECT_EQ(vacuum.notices[0].severity, Severity::kNotice);
  EXPECT_NE(vacuum.notices[0].message.find("does nothing"), std::string::npos);
}

TEST_F(EngineTest, ManyRowsSpanManyPages) {
  Ok("CREATE TABLE t (a int PRIMARY KEY, b text)");
  std::string sql = "INSERT INTO t VALUES ";
  for (int i = 0; i < 3000; ++i) {
    if (i) sql += ", ";
    sql += "(" + std::to_string(i) + ", 'row number " + std::to_string(i) + "')";
  }
  EXPECT_EQ(Ok(sql).command_tag, "INSERT 0 3000");
  EXPECT_EQ(Rows("SELECT count(*), sum(a) FROM t"), (V{"3000|4498500"}));
  EXPECT_EQ(Rows("SELECT b FROM t WHERE a = 2999"), (V{"row number 2999"}));
  EXPECT_EQ(Ok("DELETE FROM t WHERE a % 2 = 0").command_tag, "DELETE 1500");
  Reopen();
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (V{"1500"}));
}

}  // namespace
}  // namespace sqlrite::engine
