// Data-modifying statements in WITH and WITH on INSERT / UPDATE / DELETE through the facade
// (engine/dml_with.h): PostgreSQL 15's results, the one-snapshot reading of the main statement,
// exactly-once runs and the errors.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class DmlWithTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table a (id int primary key, v text)");
    Ok("create table b (id int, v text)");
    Ok("insert into a values (1, 'x'), (2, 'y'), (3, 'z')");
  }
};

TEST_F(DmlWithTest, DeleteMovesRowsIntoAnotherTable) {
  QueryResult moved =
      Ok("with m as (delete from a where id >= 2 returning *) insert into b select * from m");
  EXPECT_EQ(moved.command_tag, "INSERT 0 2");
  EXPECT_EQ(Rows("select id, v from a order by id"), (Strings{"1|x"}));
  EXPECT_EQ(Rows("select id, v from b order by id"), (Strings{"2|y", "3|z"}));
}

TEST_F(DmlWithTest, TheMainQuerySeesTheTableAsBeforeTheStatement) {
  EXPECT_EQ(Rows("with d as (delete from a where id = 1 returning id) "
                 "select id from a order by id"),
            (Strings{"1", "2", "3"}));
  EXPECT_EQ(Rows("select id from a order by id"), (Strings{"2", "3"}));
  EXPECT_EQ(Rows("with i as (insert into a values (9, 'n') returning id) "
                 "select (select count(*) from a), (select count(*) from i)"),
            (Strings{"2|1"}));
  EXPECT_EQ(Rows("with u as (update a set v = 'new' where id = 2 returning v) "
                 "select a.v, u.v from a, u where a.id = 2"),
            (Strings{"y|new"}));
  EXPECT_EQ(Rows("select v from a where id = 2"), (Strings{"new"}));
}

TEST_F(DmlWithTest, AnUnreferencedStatementRunsOnceAndSeveralRunInOneStatement) {
  EXPECT_EQ(Rows("with i as (insert into b values (7, 'seven')) select 1"), (Strings{"1"}));
  EXPECT_EQ(Rows("select count(*) from b"), (Strings{"1"}));
  // Read twice, run once.
  EXPECT_EQ(Rows("with i as (insert into b values (8, 'e') returning id) "
                 "select count(*) from i i1, i i2"),
            (Strings{"1"}));
  EXPECT_EQ(Rows("select count(*) from b"), (Strings{"2"}));
  EXPECT_EQ(Rows("with d as (delete from b returning id), u as (update a set v = upper(v) "
                 "returning id) select (select count(*) from d), (select count(*) from u)"),
            (Strings{"2|3"}));
  EXPECT_EQ(Rows("select v from a order by id"), (Strings{"X", "Y", "Z"}));
}

TEST_F(DmlWithTest, AWithStatementReadsTheTablesAsBeforeTheStatement) {
  // The INSERT counts a's rows before the DELETE beside it.
  EXPECT_EQ(Rows("with d as (delete from a where id = 1 returning id), "
                 "i as (insert into b select count(*), 'count' from a returning id) "
                 "select (select id from i), (select count(*) from d)"),
            (Strings{"3|1"}));
  EXPECT_EQ(Rows("select count(*) from a"), (Strings{"2"}));
}

TEST_F(DmlWithTest, WithOnUpdateAndDeleteAndReturning) {
  EXPECT_EQ(Rows("with s as (select 2 as id) update a set v = 'two' where id in "
                 "(select id from s) returning id, v"),
            (Strings{"2|two"}));
  EXPECT_EQ(Rows("with d as (delete from a where id = 3 returning id) "
                 "delete from b where id in (select id from d) returning id"),
            (Strings{}));
  EXPECT_EQ(Rows("select id from a order by id"), (Strings{"1", "2"}));
  EXPECT_EQ(Rows("with u as (update a set v = 'one' where id = 1 returning id) "
                 "insert into b select id, 'from u' from u returning *"),
            (Strings{"1|from u"}));
}

TEST_F(DmlWithTest, ErrorsAreThoseOfPostgres) {
  Error no_returning = Err("with t as (delete from a where id = 1) select * from t");
  EXPECT_EQ(no_returning.sqlstate, "0A000");
  EXPECT_EQ(no_returning.message, "WITH query \"t\" does not have a RETURNING clause");
  Error nested = Err("select * from (with t as (delete from a returning *) select * from t) s");
  EXPECT_EQ(nested.sqlstate, "0A000");
  EXPECT_EQ(nested.message,
            "WITH clause containing a data-modifying statement must be at the top level");
  Error recursive =
      Err("with recursive t as (insert into b select * from t returning *) select * from t");
  EXPECT_EQ(recursive.sqlstate, "42P19");
  EXPECT_EQ(recursive.message, "recursive query \"t\" must not contain data-modifying statements");
  EXPECT_EQ(Err("with t as (delete from a returning *), t as (select 1) select 1").sqlstate,
            "42712");
  // A failure of the main statement rolls back the WITH statements' changes.
  EXPECT_EQ(Err("with d as (delete from a where id = 1 returning id) "
                "insert into a values (2, 'dup')")
                .sqlstate,
            "23505");
  EXPECT_EQ(Rows("select count(*) from a"), (Strings{"3"}));
  Ok("begin read only");
  Error read_only = Err("with d as (delete from a returning id) select * from d");
  EXPECT_EQ(read_only.sqlstate, "25006");
  EXPECT_EQ(read_only.message, "cannot execute SELECT in a read-only transaction");
  Ok("rollback");
  EXPECT_EQ(Rows("select count(*) from a"), (Strings{"3"}));
}

}  // namespace
}  // namespace sqlrite::engine
