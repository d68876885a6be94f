// COMMENT ON through the facade: each kind of object, removal, the errors, rollback, comments
// following their objects (renames, SET SCHEMA, drops), pg_description and the description
// functions, and durability: the comments survive a restart, and `sqlrited check` (CheckDataDir)
// passes on a directory holding them. COMMENT ON DATABASE (kept in the global file's database
// list) and what psql's \l+ reads of it.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class CommentTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table t (a int primary key, b text check (b <> ''), c int unique);"
       "create table r (x int references t (a));"
       "create index t_b_idx on t (b);"
       "create view v as select a, b from t;"
       "create sequence q;"
       "create schema s;"
       "create table s.u (k int)");
  }

  // Every description, by the object's name (relations through regclass, constraints and
  // schemas by theirs), so that the rows do not depend on oids.
  Strings Descriptions() {
    return Rows(
        "select case d.classoid when 'pg_class'::regclass then d.objoid::regclass::text "
        "when 'pg_constraint'::regclass then 'constraint ' || (select conname from pg_constraint "
        "where oid = d.objoid) else 'schema ' || (select nspname from pg_namespace where oid = "
        "d.objoid) end, "
        "d.objsubid, d.description from pg_description d where d.objoid >= 16384 order by 1, 2");
  }

  void CommentOnEverything() {
    Ok("comment on table t is 'table t';"
       "comment on column t.b is 'column b';"
       "comment on view v is 'view v';"
       "comment on column v.a is 'view column a';"
       "comment on sequence q is 'sequence q';"
       "comment on index t_b_idx is 'index t_b_idx';"
       "comment on index t_pkey is 'index t_pkey';"
       "comment on constraint t_pkey on t is 'constraint t_pkey';"
       "comment on constraint t_b_check on t is 'constraint t_b_check';"
       "comment on constraint r_x_fkey on r is 'constraint r_x_fkey';"
       "comment on schema s is 'schema s';"
       "comment on table s.u is 'table s.u'");
  }
};

const Strings kEverything = {"constraint r_x_fkey|0|constraint r_x_fkey",
                             "constraint t_b_check|0|constraint t_b_check",
                             "constraint t_pkey|0|constraint t_pkey",
                             "q|0|sequence q",
                             "s.u|0|table s.u",
                             "schema s|0|schema s",
                             "t|0|table t",
                             "t|2|column b",
                             "t_b_idx|0|index t_b_idx",
                             "t_pkey|0|index t_pkey",
                             "v|0|view v",
                             "v|1|view column a"};

TEST_F(CommentTest, EveryKindShowsInPgDescription) {
  CommentOnEverything();
  EXPECT_EQ(
      Rows("select obj_description('t'::regclass, 'pg_class'), obj_description('t'::regclass),"
           " col_description('t'::regclass, 2), col_description('t'::regclass, 1)"),
      (Strings{"table t|table t|column b|NULL"}));
  EXPECT_EQ(Rows("select obj_description(oid, 'pg_constraint') from pg_constraint "
                 "where conname = 't_b_check'"),
            (Strings{"constraint t_b_check"}));
  EXPECT_EQ(Rows("select obj_description(oid, 'pg_namespace') from pg_namespace "
                 "where nspname in ('s', 'public', 'pg_catalog') order by nspname"),
            (Strings{"system catalog schema", "standard public schema", "schema s"}));
  EXPECT_EQ(Rows("select count(*) from pg_description where classoid = 'pg_class'::regclass "
                 "and objoid = 't_pkey'::regclass"),
            (Strings{"1"}));
}

TEST_F(CommentTest, NullOrEmptyRemoves) {
  Ok("comment on table t is 'x'; comment on column t.b is 'y'");
  Ok("comment on table t is null; comment on column t.b is ''");
  EXPECT_EQ(Rows("select count(*) from pg_description where objoid = 't'::regclass"),
            (Strings{"0"}));
  Ok("comment on schema public is 'mine'");
  EXPECT_EQ(Rows("select obj_description(2200, 'pg_namespace')"), (Strings{"mine"}));
  Ok("comment on schema public is null");
  EXPECT_EQ(Rows("select obj_description(2200, 'pg_namespace')"), (Strings{"NULL"}));
}

TEST_F(CommentTest, ErrorsAsPostgreSQLGivesThem) {
  auto expect = [&](const char* sql, const char* sqlstate, const char* message) {
    Error e = Err(sql);
    EXPECT_EQ(e.sqlstate, sqlstate) << sql;
    EXPECT_EQ(e.message, message) << sql;
  };
  expect("comment on table nosuch is 'x'", "42P01", "relation \"nosuch\" does not exist");
  expect("comment on table s.nosuch is 'x'", "42P01", "relation \"s.nosuch\" does not exist");
  expect("comment on table nosuch.t is 'x'", "3F000", "schema \"nosuch\" does not exist");
  expect("comment on column t.nosuch is 'x'", "42703",
         "column \"nosuch\" of relation \"t\" does not exist");
  expect("comment on column t is 'x'", "42601", "column name must be qualified");
  expect("comment on view t is 'x'", "42809", "\"t\" is not a view");
  expect("comment on table v is 'x'", "42809", "\"v\" is not a table");
  expect("comment on sequence t is 'x'", "42809", "\"t\" is not a sequence");
  expect("comment on index t is 'x'", "42809", "\"t\" is not an index");
  expect("comment on column q.last_value is 'x'", "42809", "cannot set comment on relation \"q\"");
  expect("comment on constraint nosuch on t is 'x'", "42704",
         "constraint \"nosuch\" for table \"t\" does not exist");
  expect("comment on schema nosuch is 'x'", "3F000", "schema \"nosuch\" does not exist");
  expect("comment on function now() is 'x'", "0A000", "COMMENT ON FUNCTION is not supported yet");
  QueryResult r = Ok("comment on database nosuch is 'x'");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].sqlstate, "3D000");
}

TEST_F(CommentTest, RollsBackWithItsBlock) {
  Ok("comment on table t is 'kept'");
  Ok("begin; comment on table t is 'gone'; comment on schema s is 'gone too'");
  EXPECT_EQ(Rows("select obj_description('t'::regclass, 'pg_class')"), (Strings{"gone"}));
  Ok("rollback");
  EXPECT_EQ(Rows("select obj_description('t'::regclass, 'pg_class')"), (Strings{"kept"}));
  EXPECT_EQ(Rows("select count(*) from pg_description where objoid = 's'::regnamespace"),
            (Strings{"0"}));
}

TEST_F(CommentTest, CommentsFollowTheirObjects) {
  CommentOnEverything();
  Ok("alter table t rename to t2; alter table t2 rename column b to bb;"
     "alter table t2 rename constraint t_b_check to t2_bb_check;"
     "alter index t_b_idx rename to t2_bb_idx; alter table s.u set schema public;"
     "alter schema s rename to s2");
  EXPECT_EQ(Rows("select obj_description('t2'::regclass, 'pg_class'), "
                 "col_description('t2'::regclass, 2), obj_description('t2_bb_idx'::regclass), "
                 "obj_description('u'::regclass)"),
            (Strings{"table t|column b|index t_b_idx|table s.u"}));
  EXPECT_EQ(Rows("select obj_description(oid, 'pg_constraint') from pg_constraint "
                 "where conname = 't2_bb_check'"),
            (Strings{"constraint t_b_check"}));
  EXPECT_EQ(Rows("select obj_description('s2'::regnamespace, 'pg_namespace')"),
            (Strings{"schema s"}));
  // Dropped with their objects.
  Ok("drop view v; drop sequence q; drop table r; alter table t2 drop column bb;"
     "drop schema s2");
  EXPECT_EQ(Descriptions(), (Strings{"constraint t_pkey|0|constraint t_pkey", "t2|0|table t",
                                     "t_pkey|0|index t_pkey", "u|0|table s.u"}));
}

TEST_F(CommentTest, SurviveARestartAndPassTheCheck) {
  CommentOnEverything();
  Ok("comment on schema public is 'ours'");
  EXPECT_EQ(Descriptions(), kEverything);
  Reopen();
  EXPECT_EQ(Descriptions(), kEverything);
  EXPECT_EQ(Rows("select obj_description(2200, 'pg_namespace')"), (Strings{"ours"}));
  // Still writable after the restart: the entries decode into definitions that save again.
  Ok("insert into t values (1, 'one', 1); insert into r values (1)");
  Ok("comment on column t.c is 'column c'");
  CloseCluster();
  std::string report;
  Status checked = CheckDataDir(dir_, &report);
  EXPECT_TRUE(checked) << report << (checked ? "" : checked.error().message);
  Open();
  EXPECT_EQ(Rows("select col_description('t'::regclass, 3)"), (Strings{"column c"}));
}

TEST_F(CommentTest, OnDatabaseGoesToTheGlobalListAndPgShdescription) {
  Ok("create database other");
  Ok("comment on database postgres is 'Main db'");
  Ok("comment on database other is E'Other\\none'");
  const Strings both = {"other|1262|Other\none", "postgres|1262|Main db"};
  const char* shared =
      "select d.datname, s.classoid, s.description from pg_shdescription s "
      "join pg_database d on d.oid = s.objoid order by 1";
  EXPECT_EQ(Rows(shared), both);
  EXPECT_EQ(Rows("select datname, shobj_description(oid, 'pg_database'), "
                 "obj_description(oid, 'pg_database'), shobj_description(oid, 'pg_authid'), "
                 "shobj_description(oid, 'nosuch') from pg_database order by 1"),
            (Strings{"other|Other\none|NULL|NULL|NULL", "postgres|Main db|NULL|NULL|NULL"}));
  // Seen from the other database too: the list is the cluster's.
  auto other = Connect("other");
  EXPECT_EQ(Rows(shared, other.get()), both);
  cluster_->Disconnect(*other);
  // NULL and '' remove it; a missing database is only a warning (3D000).
  Ok("comment on database other is null");
  QueryResult warned = Ok("comment on database nosuch is 'x'");
  ASSERT_EQ(warned.notices.size(), 1u);
  EXPECT_EQ(warned.notices[0].sqlstate, "3D000");
  EXPECT_EQ(warned.notices[0].message, "database \"nosuch\" does not exist");
  EXPECT_EQ(Rows(shared), (Strings{"postgres|1262|Main db"}));
  // In a block it is applied at COMMIT (the global file commits apart from the database's
  // transaction), dropped by ROLLBACK and by ROLLBACK TO a savepoint taken before it.
  Ok("begin; comment on database postgres is 'rolled back'; create table w (a int); rollback");
  EXPECT_EQ(Rows(shared), (Strings{"postgres|1262|Main db"}));
  Ok("begin; comment on database postgres is 'first'; savepoint s;"
     "comment on database postgres is 'undone'");
  // The block sees its own comments; other sessions see the committed one.
  EXPECT_EQ(Rows(shared), (Strings{"postgres|1262|undone"}));
  auto reader = Connect("other");
  EXPECT_EQ(Rows(shared, reader.get()), (Strings{"postgres|1262|Main db"}));
  cluster_->Disconnect(*reader);
  Ok("rollback to s");
  EXPECT_EQ(Rows(shared), (Strings{"postgres|1262|first"}));
  Ok("create table w (a int); commit");
  EXPECT_EQ(Rows("select shobj_description(oid, 'pg_database') from pg_database "
                 "where datname = 'postgres'"),
            (Strings{"first"}));
  Ok("begin; comment on database postgres is 'Main db'; savepoint s; release s; commit");
  EXPECT_EQ(Rows(shared), (Strings{"postgres|1262|Main db"}));
  // Not read only, and only for the owner (the bootstrap superuser) or a superuser.
  Ok("begin read only");
  EXPECT_EQ(Err("comment on database postgres is 'read only'").sqlstate, "25006");
  Ok("rollback; create role alice login");
  auto alice = Connect("postgres", "alice");
  Error denied = Err("comment on database postgres is 'mine'", alice.get());
  EXPECT_EQ(denied.sqlstate, "42501");
  EXPECT_EQ(denied.message, "must be owner of database postgres");
  cluster_->Disconnect(*alice);
  EXPECT_EQ(Rows(shared), (Strings{"postgres|1262|Main db"}));
  // Dropped with its database; a database made again under the name has none.
  Ok("comment on database other is 'again'; drop database other; create database other");
  EXPECT_EQ(Rows(shared), (Strings{"postgres|1262|Main db"}));
  // psql's \l+ reads it through shobj_description beside the tablespace and the size.
  EXPECT_EQ(Rows("select d.datname, t.spcname, pg_database_size(d.datname) > 0, "
                 "has_database_privilege(d.datname, 'CONNECT'), "
                 "shobj_description(d.oid, 'pg_database') from pg_database d "
                 "join pg_tablespace t on d.dattablespace = t.oid order by 1"),
            (Strings{"other|pg_default|t|t|NULL", "postgres|pg_default|t|t|Main db"}));
}

// As initdb: postgres's comment, until COMMENT ON DATABASE changes or removes it (the removal is
// kept too, across a restart).
TEST_F(CommentTest, PostgresHasInitdbsCommentUntilChanged) {
  const char* shared =
      "select d.datname, s.description from pg_shdescription s "
      "join pg_database d on d.oid = s.objoid order by 1";
  Ok("create database other");
  EXPECT_EQ(Rows(shared), (Strings{"postgres|default administrative connection database"}));
  Ok("comment on database postgres is ''");
  EXPECT_EQ(Rows(shared), Strings{});
  Reopen();
  EXPECT_EQ(Rows(shared), Strings{});
  Ok("comment on database postgres is 'ours'");
  Reopen();
  EXPECT_EQ(Rows(shared), (Strings{"postgres|ours"}));
}

TEST_F(CommentTest, OnDatabaseSurvivesARestartAndPassesTheCheck) {
  Ok("comment on database postgres is 'Main db'");
  Reopen();
  EXPECT_EQ(Rows("select description from pg_shdescription"), (Strings{"Main db"}));
  Ok("create database other; comment on database other is 'Other'");
  CloseCluster();
  std::string report;
  Status checked = CheckDataDir(dir_, &report);
  EXPECT_TRUE(checked) << report << (checked ? "" : checked.error().message);
  Open();
  EXPECT_EQ(Rows("select shobj_description(oid, 'pg_database') from pg_database order by datname"),
            (Strings{"Other", "Main db"}));
}

}  // namespace
}  // namespace sqlrite::engine
