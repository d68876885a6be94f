// Schemas through the facade: CREATE / DROP / ALTER SCHEMA with PostgreSQL's errors, qualified
// names in DDL and DML, the same name in two schemas, search_path for lookups and creation,
// DROP SCHEMA's RESTRICT and CASCADE, transactional DDL, durability across a restart, and the
// catalogs that show schemas.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/catalog.h"
#include "engine/search_path.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class SchemaTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table t (a int primary key, b text); insert into t values (1, 'public')");
  }
};

TEST(SearchPathTest, ParsesPostgreSQLsListSyntax) {
  auto names = ParseSearchPath("\"$user\", public");
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (Strings{"$user", "public"}));
  names = ParseSearchPath("S1 ,\"Mixed\"\"Q\",  x");
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (Strings{"s1", "Mixed\"Q", "x"}));
  names = ParseSearchPath("");
  ASSERT_TRUE(names);
  EXPECT_TRUE(names->empty());
  EXPECT_FALSE(ParseSearchPath("a,,b"));
  EXPECT_FALSE(ParseSearchPath("\"open"));
  // What SET search_path = a, '' stores: an empty quoted name, which no schema has.
  names = ParseSearchPath("a, \"\"");
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (Strings{"a", ""}));
}

TEST(SearchPathTest, RelationKeysKeepPublicNamesBare) {
  EXPECT_EQ(RelationKey("public", "t"), "t");
  EXPECT_EQ(RelationKey("", "t"), "t");
  const std::string key = RelationKey("s", "t");
  EXPECT_EQ(key, std::string("s\0t", 3));
  EXPECT_EQ(QualifiedName(key), "s.t");
  EXPECT_EQ(SplitRelationKey(key).first, "s");
  EXPECT_EQ(SplitRelationKey(key).second, "t");
  EXPECT_EQ(SplitRelationKey("t").first, "public");
  // A dotted name in public is not a qualified one.
  EXPECT_NE(RelationKey("public", "s.t"), key);
}

TEST_F(SchemaTest, CreateSchemaErrorsAndNotices) {
  Ok("create schema s");
  Error e = Err("create schema s");
  EXPECT_EQ(e.sqlstate, "42P06");
  EXPECT_EQ(e.message, "schema \"s\" already exists");
  QueryResult r = Ok("create schema if not exists s");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "schema \"s\" already exists, skipping");
  EXPECT_EQ(Err("create schema pg_x").sqlstate, "42939");
  EXPECT_EQ(Err("create schema public").sqlstate, "42P06");
  EXPECT_EQ(Err("create schema z authorization nobody_here").sqlstate, "42704");
}

TEST_F(SchemaTest, SameNameInTwoSchemas) {
  Ok("create schema s");
  Ok("create table s.t (a int primary key, c int)");
  Ok("insert into s.t values (7, 70), (8, 80)");
  EXPECT_EQ(Rows("select * from t"), (Strings{"1|public"}));
  EXPECT_EQ(Rows("select * from public.t"), (Strings{"1|public"}));
  EXPECT_EQ(Rows("select a, c from s.t order by a"), (Strings{"7|70", "8|80"}));
  Ok("update s.t set c = c + 1 where a = 8");
  Ok("delete from s.t where a = 7");
  EXPECT_EQ(Rows("select a, c from s.t"), (Strings{"8|81"}));
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"1"}));
  // Index names are per schema too.
  Ok("create index i on t (b)");
  Ok("create index i on s.t (c)");
  Ok("drop index s.i");
  Ok("drop index i");
  EXPECT_EQ(Err("drop index i").sqlstate, "42704");
}

TEST_F(SchemaTest, UnknownSchemasAsPostgreSQLReportsThem) {
  Error e = Err("select * from nosuch.t");
  EXPECT_EQ(e.sqlstate, "42P01");
  EXPECT_EQ(e.message, "relation \"nosuch.t\" does not exist");
  e = Err("create table nosuch.t (a int)");
  EXPECT_EQ(e.sqlstate, "3F000");
  EXPECT_EQ(e.message, "schema \"nosuch\" does not exist");
  EXPECT_EQ(Err("drop table nosuch.t").sqlstate, "3F000");
  QueryResult r = Ok("drop table if exists nosuch.t");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "schema \"nosuch\" does not exist, skipping");
  EXPECT_EQ(Err("select 'nosuch.t'::regclass").sqlstate, "3F000");
  EXPECT_EQ(Err("select nextval('nosuch.q')").sqlstate, "3F000");
}

TEST_F(SchemaTest, SearchPathDecidesLookupAndCreation) {
  Ok("create schema s");
  Ok("set search_path = s, public");
  Ok("create table u (x int)");  // goes to s, the first existing schema
  EXPECT_EQ(Rows("select schemaname from pg_tables where tablename = 'u'"), (Strings{"s"}));
  EXPECT_EQ(Rows("select * from t"), (Strings{"1|public"}));  // found in public
  Ok("create table t (z int)");                               // s.t now hides public.t
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"0"}));
  EXPECT_EQ(Rows("select current_schema()"), (Strings{"s"}));
  EXPECT_EQ(Rows("select 't'::regclass, 'public.t'::regclass"), (Strings{"t|public.t"}));
  Ok("set search_path = nosuch");
  Error e = Err("create table v (a int)");
  EXPECT_EQ(e.sqlstate, "3F000");
  EXPECT_EQ(e.message, "no schema has been selected to create in");
  EXPECT_EQ(Err("select * from t").sqlstate, "42P01");
  EXPECT_EQ(Rows("select current_schema() is null"), (Strings{"t"}));
  Ok("reset search_path");
  EXPECT_EQ(Rows("select 's.t'::regclass, 't'::regclass"), (Strings{"s.t|t"}));
}

TEST_F(SchemaTest, SerialSequencesLiveInTheirTablesSchema) {
  Ok("create schema s");
  Ok("create table s.items (id serial primary key, name text)");
  EXPECT_EQ(Rows("insert into s.items (name) values ('a'), ('b') returning id"),
            (Strings{"1", "2"}));
  EXPECT_EQ(Rows("select nextval('s.items_id_seq')"), (Strings{"3"}));
  EXPECT_EQ(Err("select nextval('items_id_seq')").sqlstate, "42P01");
  EXPECT_EQ(Rows("select pg_get_serial_sequence('s.items', 'id')"), (Strings{"s.items_id_seq"}));
  Ok("create sequence s.q start 5");
  EXPECT_EQ(Rows("select nextval('s.q')"), (Strings{"5"}));
}

TEST_F(SchemaTest, ForeignKeysAcrossSchemas) {
  Ok("create schema s");
  Ok("create table s.parent (id int primary key)");
  Ok("create table child (id int, p int references s.parent (id))");
  Ok("insert into s.parent values (1)");
  Ok("insert into child values (1, 1)");
  EXPECT_EQ(Err("insert into child values (2, 2)").sqlstate, "23503");
  // The referenced table's side: deleting a referenced row is checked (NO ACTION).
  EXPECT_EQ(Err("delete from s.parent where id = 1").sqlstate, "23503");
  Ok("create table s.kid (p int references s.parent (id) on delete cascade)");
  Ok("insert into s.kid values (1)");
  Ok("delete from child");
  Ok("delete from s.parent where id = 1");
  EXPECT_EQ(Rows("select count(*) from s.kid"), (Strings{"0"}));
  Error e = Err("drop table s.parent");
  EXPECT_EQ(e.sqlstate, "2BP01");
  EXPECT_EQ(e.detail,
            "constraint child_p_fkey on table child depends on table s.parent\n"
            "constraint kid_p_fkey on table s.kid depends on table s.parent");
}

TEST_F(SchemaTest, DropSchemaRestrictAndCascade) {
  Ok("create schema s");
  Ok("create table s.a (id int primary key)");
  Ok("create view s.v as select id from s.a");
  Ok("create sequence s.q");
  Error e = Err("drop schema s");
  EXPECT_EQ(e.sqlstate, "2BP01");
  EXPECT_EQ(e.message, "cannot drop schema s because other objects depend on it");
  EXPECT_EQ(e.detail,
            "table s.a depends on schema s\nview s.v depends on schema s\n"
            "sequence s.q depends on schema s");
  EXPECT_EQ(e.hint, "Use DROP ... CASCADE to drop the dependent objects too.");
  QueryResult r = Ok("drop schema s cascade");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "drop cascades to 3 other objects");
  EXPECT_EQ(r.notices[0].detail,
            "drop cascades to table s.a\ndrop cascades to view s.v\ndrop cascades to sequence s.q");
  EXPECT_EQ(Err("select * from s.a").sqlstate, "42P01");
  EXPECT_EQ(Rows("select count(*) from pg_namespace where nspname = 's'"), (Strings{"0"}));
  EXPECT_EQ(Err("drop schema pg_catalog").sqlstate, "2BP01");
  EXPECT_EQ(Err("drop schema nosuch").sqlstate, "3F000");
  Ok("create schema e");
  Ok("drop schema e");
  // A sequence of the schema owned by a table elsewhere goes with the schema, not the table.
  Ok("create schema f");
  Ok("create sequence f.q owned by t.a");
  Ok("drop schema f cascade");
  EXPECT_EQ(Err("select nextval('f.q')").sqlstate, "3F000");
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"1"}));
}

TEST_F(SchemaTest, DdlRollsBackWithItsBlock) {
  Ok("begin");
  Ok("create schema s");
  Ok("create table s.x (a int)");
  Ok("rollback");
  EXPECT_EQ(Err("select * from s.x").sqlstate, "42P01");
  Ok("create schema s");
  Ok("create table s.x (a int)");
  Ok("begin");
  Ok("drop schema s cascade");
  Ok("rollback");
  EXPECT_EQ(Rows("select count(*) from s.x"), (Strings{"0"}));
}

TEST_F(SchemaTest, SurvivesARestart) {
  Ok("create schema s");
  Ok("create table s.t (a int primary key)");
  Ok("insert into s.t values (42)");
  Ok("alter schema s rename to r");
  Reopen();
  EXPECT_EQ(Rows("select a from r.t"), (Strings{"42"}));
  EXPECT_EQ(Rows("select * from t"), (Strings{"1|public"}));
  EXPECT_EQ(Err("select a from s.t").sqlstate, "42P01");
  EXPECT_EQ(Rows("select nspname from pg_namespace where nspname = 'r'"), (Strings{"r"}));
}

TEST_F(SchemaTest, SetSchemaMovesTheTableAndItsSequence) {
  Ok("create schema s");
  Ok("create table m (id serial primary key, v int)");
  Ok("insert into m (v) values (1)");
  Ok("alter table m set schema s");
  EXPECT_EQ(Err("select * from m").sqlstate, "42P01");
  Ok("insert into s.m (v) values (2)");
  EXPECT_EQ(Rows("select id, v from s.m order by id"), (Strings{"1|1", "2|2"}));
  EXPECT_EQ(
      Rows("select pg_get_expr(adbin, adrelid) from pg_attrdef where adrelid = 's.m'::regclass"),
      (Strings{"nextval('s.m_id_seq'::regclass)"}));
  // A view reading it follows it.
  Ok("create view mv as select v from s.m");
  Ok("create schema s2");
  Ok("alter table s.m set schema s2");
  EXPECT_EQ(Rows("select v from mv order by v"), (Strings{"1", "2"}));
  Ok("alter table s2.m set schema s");
  Ok("create table m (x int)");
  Error e = Err("alter table m set schema s");
  EXPECT_EQ(e.sqlstate, "42P07");
  EXPECT_EQ(e.message, "relation \"m\" already exists in schema \"s\"");
}

TEST_F(SchemaTest, PublicCanBeRenamedAndDroppedAsInPostgreSQL) {
  Ok("create view tv as select a, b from t");
  Ok("comment on schema public is 'ours'");
  Ok("alter schema public rename to app");
  EXPECT_EQ(Err("select * from t").sqlstate, "42P01");
  EXPECT_EQ(Rows("select * from app.tv"), (Strings{"1|public"}));
  EXPECT_EQ(Rows("select nspname, nspowner, obj_description(oid, 'pg_namespace') "
                 "from pg_namespace where oid = 2200"),
            (Strings{"app|6171|ours"}));
  Error e = Err("create table u (x int)");
  EXPECT_EQ(e.sqlstate, "3F000");
  EXPECT_EQ(e.message, "no schema has been selected to create in");
  EXPECT_EQ(Err("select 'public'::regnamespace").sqlstate, "3F000");
  Reopen();  // the state entry: public stays renamed
  EXPECT_EQ(Rows("select nspname from pg_namespace where oid = 2200"), (Strings{"app"}));
  Ok("alter schema app rename to public");
  EXPECT_EQ(Rows("select * from tv"), (Strings{"1|public"}));
  EXPECT_EQ(Rows("select obj_description(2200, 'pg_namespace')"), (Strings{"ours"}));
  e = Err("drop schema public");
  EXPECT_EQ(e.sqlstate, "2BP01");
  EXPECT_EQ(e.message, "cannot drop schema public because other objects depend on it");
  Ok("begin; drop schema public cascade; rollback");
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"1"}));
  Ok("drop schema public cascade");
  EXPECT_EQ(Rows("select count(*) from pg_namespace where nspname = 'public'"), (Strings{"0"}));
  Reopen();
  EXPECT_EQ(Rows("select count(*) from pg_namespace where nspname = 'public'"), (Strings{"0"}));
  Ok("create schema public");
  Ok("create table w (x int); insert into w values (7)");
  EXPECT_EQ(Rows("select oid = 2200 from pg_namespace where nspname = 'public'"), (Strings{"f"}));
  Reopen();
  EXPECT_EQ(Rows("select * from public.w"), (Strings{"7"}));
  Ok("drop schema public cascade");
  Reopen();  // the created public gone: the built-in one stays dropped
  EXPECT_EQ(Rows("select count(*) from pg_namespace where nspname = 'public'"), (Strings{"0"}));
}

TEST_F(SchemaTest, CatalogsShowTheSchemas) {
  Ok("create schema s");
  Ok("create table s.w (k int not null)");
  EXPECT_EQ(Rows("select n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                 "where c.relname = 'w'"),
            (Strings{"s"}));
  EXPECT_EQ(Rows("select table_schema from information_schema.tables where table_name = 'w'"),
            (Strings{"s"}));
  EXPECT_EQ(Rows("select table_schema, column_name from information_schema.columns "
                 "where table_name = 'w'"),
            (Strings{"s|k"}));
  EXPECT_EQ(Rows("select schema_name from information_schema.schemata where schema_name = 's'"),
            (Strings{"s"}));
  EXPECT_EQ(Rows("select pg_table_is_visible('s.w'::regclass)"), (Strings{"f"}));
  Ok("set search_path = s, public");
  EXPECT_EQ(Rows("select pg_table_is_visible('s.w'::regclass), 's.w'::regclass"), (Strings{"t|w"}));
}

}  // namespace
}  // namespace sqlrite::engine
