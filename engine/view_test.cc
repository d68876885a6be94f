// Views through the facade: the stored query bound where the view is read, its columns fixed at
// CREATE, dependencies (2BP01 / CASCADE), persistence across a restart, snapshot readers,
// prepared statements re-planned after CREATE OR REPLACE, and recursion refused (42P17).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/catalog.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class ViewTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table t (a int primary key, b text); insert into t values (1, 'x'), (2, 'y'), (3, "
       "'z')");
  }
};

TEST_F(ViewTest, ReadsTheQueryWithItsOwnColumnNames) {
  Ok("create view v (k, label) as select a, upper(b) from t where a > 1");
  EXPECT_EQ(Rows("select * from v order by k"), (Strings{"2|Y", "3|Z"}));
  EXPECT_EQ(Rows("select label from v where k = 3"), (Strings{"Z"}));
  EXPECT_EQ(Rows("select count(*) from v join t on t.a = v.k"), (Strings{"2"}));
  QueryResult r = Ok("select * from v");
  ASSERT_EQ(r.columns.size(), 2u);
  EXPECT_EQ(r.columns[0].name, "k");
  EXPECT_EQ(r.columns[1].name, "label");
  EXPECT_EQ(r.columns[1].type, TypeId::kText);
}

TEST_F(ViewTest, SurvivesARestartAndSeesLaterRows) {
  Ok("create view v as select a * 10 as ten from t");
  Reopen();
  Ok("insert into t values (4, 'w')");
  EXPECT_EQ(Rows("select * from v order by 1"), (Strings{"10", "20", "30", "40"}));
}

TEST_F(ViewTest, DependentsNeedCascade) {
  Ok("create view v as select a from t");
  Ok("create view w as select a + 1 as b from v");
  Error e = Err("drop table t");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDependentObjectsStillExist));
  EXPECT_EQ(e.message, "cannot drop table t because other objects depend on it");
  EXPECT_EQ(e.detail, "view v depends on table t\nview w depends on view v");
  EXPECT_EQ(Err("drop view v").detail, "view w depends on view v");
  QueryResult dropped = Ok("drop table t cascade");
  ASSERT_EQ(dropped.notices.size(), 1u);
  EXPECT_EQ(dropped.notices[0].message, "drop cascades to 2 other objects");
  EXPECT_EQ(dropped.notices[0].detail, "drop cascades to view v\ndrop cascades to view w");
  EXPECT_EQ(Err("select * from w").sqlstate, std::string(sqlstate::kUndefinedTable));
}

TEST_F(ViewTest, RolledBackCreateAndDropLeaveNoTrace) {
  Ok("begin; create view v as select a from t; rollback");
  EXPECT_EQ(Err("select * from v").sqlstate, std::string(sqlstate::kUndefinedTable));
  Ok("create view v as select a from t");
  Ok("begin; drop view v; rollback");
  EXPECT_EQ(Rows("select count(*) from v"), (Strings{"3"}));
}

TEST_F(ViewTest, AnotherSessionReadsTheViewOnItsSnapshot) {
  Ok("create view v as select b from t where a = 2");
  auto other = Connect();
  EXPECT_EQ(Rows("select * from v", other.get()), (Strings{"y"}));
  cluster_->Disconnect(*other);
}

TEST_F(ViewTest, ReplaceKeepsColumnsAndReplansPreparedReads) {
  Ok("create view v as select a from t where a = 1");
  EXPECT_EQ(Rows("select * from v"), (Strings{"1"}));
  Ok("create or replace view v as select a, b from t where a = 3");
  EXPECT_EQ(Rows("select * from v"), (Strings{"3|z"}));
  EXPECT_EQ(Err("create or replace view v as select b from t").sqlstate,
            std::string(sqlstate::kInvalidTableDefinition));
  EXPECT_EQ(Err("create or replace view v as select a::text, b from t").message,
            "cannot change data type of view column \"a\" from integer to text");
}

TEST_F(ViewTest, ACycleMadeByReplaceIsRefusedWhenRead) {
  Ok("create view v as select a from t");
  Ok("create view w as select a from v");
  Ok("create or replace view v as select a from w");
  Error e = Err("select * from v");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kInvalidObjectDefinition));
  EXPECT_EQ(e.message, "infinite recursion detected in rules for relation \"v\"");
}

TEST_F(ViewTest, WritesToAViewAreRefused) {
  Ok("create view v as select a from t");
  EXPECT_EQ(Err("insert into v values (9)").message, "cannot insert into view \"v\"");
  EXPECT_EQ(Err("update v set a = 1").message, "cannot update view \"v\"");
  EXPECT_EQ(Err("delete from v where a = 1").message, "cannot delete from view \"v\"");
  EXPECT_EQ(Err("truncate v").sqlstate, std::string(sqlstate::kWrongObjectType));
  EXPECT_EQ(Err("create index on v (a)").detail, "This operation is not supported for views.");
  EXPECT_EQ(Err("drop table v").hint, "Use DROP VIEW to remove a view.");
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"3"}));
}

}  // namespace
}  // namespace sqlrite::engine
