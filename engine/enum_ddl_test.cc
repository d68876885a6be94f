// Enum DDL through the facade (engine/executor_type.cc, executor_alter.cc): ALTER TABLE ... ALTER
// COLUMN ... TYPE to an enum (USING, the errors, a default that does not convert, and back), and
// DROP TYPE when views depend on the type: RESTRICT's 2BP01 naming them as PostgreSQL 15 does,
// CASCADE dropping them, and the catalog loading after a restart.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class EnumDdlTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create type mood as enum ('sad', 'ok', 'happy');"
       "create table t (id int primary key, m text);"
       "insert into t values (1, 'ok'), (2, 'happy'), (3, null)");
  }

  Strings Views() {
    return Rows(
        "select relname from pg_class where relkind = 'v' and relnamespace = 2200 "
        "order by 1");
  }
};

TEST_F(EnumDdlTest, AlterColumnTypeToAnEnum) {
  Error no_using = Err("alter table t alter column m type mood");
  EXPECT_EQ(no_using.sqlstate, "42804");
  EXPECT_EQ(no_using.message, "column \"m\" cannot be cast automatically to type mood");
  EXPECT_EQ(no_using.hint, "You might need to specify \"USING m::mood\".");
  Ok("alter table t alter column m type mood using m::mood");
  EXPECT_EQ(Rows("select id, m, pg_typeof(m) from t order by id"),
            (Strings{"1|ok|mood", "2|happy|mood", "3|NULL|mood"}));
  // The column is the enum now: its order, and its input checks.
  EXPECT_EQ(Rows("select m from t where m > 'sad' order by m"), (Strings{"ok", "happy"}));
  EXPECT_EQ(Err("insert into t values (4, 'grumpy')").sqlstate, "22P02");
  // To an array of it, and back.
  Ok("alter table t alter column m type mood[] using array[m]");
  EXPECT_EQ(Rows("select m from t where id = 2"), (Strings{"{happy}"}));
  Ok("alter table t alter column m type mood using m[1]");
  // Back to text without USING (enum to text is an assignment cast).
  Ok("alter table t alter column m type text");
  EXPECT_EQ(Rows("select pg_typeof(m) from t where id = 1"), (Strings{"text"}));
  // A value that is no label fails the rewrite, which changes nothing.
  Ok("insert into t values (5, 'grumpy')");
  Error bad = Err("alter table t alter column m type mood using m::mood");
  EXPECT_EQ(bad.sqlstate, "22P02");
  EXPECT_EQ(bad.message, "invalid input value for enum mood: \"grumpy\"");
  EXPECT_EQ(Rows("select pg_typeof(m) from t where id = 5"), (Strings{"text"}));
  // A default that does not convert.
  Ok("create table d (m text default 'ok')");
  Error def = Err("alter table d alter column m type mood using m::mood");
  EXPECT_EQ(def.sqlstate, "42804");
  EXPECT_EQ(def.message, "default for column \"m\" cannot be cast automatically to type mood");
  EXPECT_EQ(Err("alter table t alter column m type nosuch using m::nosuch").sqlstate, "42704");
}

TEST_F(EnumDdlTest, DropTypeRestrictNamesTheViewsAndCascadeDropsThem) {
  Ok("alter table t alter column m type mood using m::mood;"
     "create view v_t as select id, m from t;"
     "create view v_named as select 'ok'::mood as x;"
     "create view v_over as select x from v_named;"
     "create view v_other as select 1 as one");
  for (const char* drop : {"drop type mood", "drop type mood restrict"}) {
    Error e = Err(drop);
    EXPECT_EQ(e.sqlstate, "2BP01") << drop;
    EXPECT_EQ(e.message, "cannot drop type mood because other objects depend on it");
    EXPECT_EQ(e.detail,
              "column m of table t depends on type mood\n"
              "view v_t depends on column m of table t\n"
              "view v_named depends on type mood\n"
              "view v_over depends on view v_named");
    EXPECT_EQ(e.hint, "Use DROP ... CASCADE to drop the dependent objects too.");
  }
  QueryResult r = Ok("drop type mood cascade");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "drop cascades to 4 other objects");
  EXPECT_EQ(r.notices[0].detail,
            "drop cascades to column m of table t\n"
            "drop cascades to view v_t\n"
            "drop cascades to view v_named\n"
            "drop cascades to view v_over");
  EXPECT_EQ(Views(), (Strings{"v_other"}));
  EXPECT_EQ(Rows("select count(*) from pg_type where typname = 'mood'"), (Strings{"0"}));
  EXPECT_EQ(Rows("select * from t order by id"), (Strings{"1", "2", "3"}));
  // The catalog loads again: nothing left names the type.
  Reopen();
  EXPECT_EQ(Views(), (Strings{"v_other"}));
  EXPECT_EQ(Rows("select * from v_other"), (Strings{"1"}));
}

TEST_F(EnumDdlTest, DropTypeOfAViewCastOnlyAndRollback) {
  Ok("create view v_cast as select cast('ok' as mood) as a, '{ok}'::mood[] as b");
  Error e = Err("drop type mood");
  EXPECT_EQ(e.sqlstate, "2BP01");
  EXPECT_EQ(e.detail, "view v_cast depends on type mood");
  Ok("begin");
  QueryResult r = Ok("drop type mood cascade");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "drop cascades to view v_cast");
  EXPECT_EQ(Views(), Strings{});
  Ok("rollback");
  EXPECT_EQ(Views(), (Strings{"v_cast"}));
  // A view whose text merely mentions the name depends on nothing.
  Ok("drop view v_cast; create view v_text as select 'mood' as mood");
  Ok("drop type mood");
  EXPECT_EQ(Views(), (Strings{"v_text"}));
}

}  // namespace
}  // namespace sqlrite::engine
