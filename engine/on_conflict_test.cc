// INSERT ... ON CONFLICT through the facade (engine/on_conflict.h): arbiter inference, DO
// NOTHING / DO UPDATE with EXCLUDED and the target's alias, PostgreSQL's errors, and the rows
// left afterwards.

#include "engine/on_conflict.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Rows_ = std::vector<std::string>;

class OnConflictTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table kv (k int primary key, v text, n int default 0)");
    Ok("create table uq (id int primary key, a int, b int, c text, unique (a, b))");
    Ok("create unique index uq_c_idx on uq (c)");
    Ok("create table named (name text primary key, hits int not null default 1)");
  }
};

TEST_F(OnConflictTest, DoNothingSkipsConflictingRowsAndReturnsOnlyInsertedOnes) {
  Ok("insert into kv values (1, 'one')");
  QueryResult r =
      Ok("insert into kv values (1, 'uno'), (2, 'two') on conflict (k) do nothing "
         "returning k, v");
  EXPECT_EQ(r.command_tag, "INSERT 0 1");
  EXPECT_EQ(Rows("insert into kv values (1, 'x'), (3, 'c') on conflict do nothing returning k"),
            Rows_({"3"}));
  // A duplicate inside the statement is skipped too.
  EXPECT_EQ(Ok("insert into kv values (4, 'a'), (4, 'b') on conflict (k) do nothing").command_tag,
            "INSERT 0 1");
  EXPECT_EQ(Rows("select k, v from kv order by k"), Rows_({"1|one", "2|two", "3|c", "4|a"}));
}

TEST_F(OnConflictTest, DoUpdateSeesExcludedAndTheTargetByItsAlias) {
  Ok("insert into kv values (1, 'one', 5)");
  EXPECT_EQ(Rows("insert into kv values (1, 'uno', 2) on conflict (k) do update set "
                 "v = kv.v || '/' || excluded.v, n = kv.n + excluded.n returning *"),
            Rows_({"1|one/uno|7"}));
  EXPECT_EQ(Rows("insert into kv as t values (1, 'x') on conflict (k) do update set n = t.n + 1 "
                 "returning t.*"),
            Rows_({"1|one/uno|8"}));
  // WHERE false: nothing stored, nothing counted or returned.
  QueryResult skipped =
      Ok("insert into kv as t values (1, 'x') on conflict (k) do update "
         "set n = 0 where t.n > 100 returning k");
  EXPECT_EQ(skipped.command_tag, "INSERT 0 0");
  EXPECT_TRUE(skipped.rows.empty());
  // An unqualified column is the target's, never excluded's.
  EXPECT_EQ(Rows("insert into kv values (1, 'x', 100) on conflict (k) do update set n = n + 1 "
                 "returning n"),
            Rows_({"9"}));
}

TEST_F(OnConflictTest, AffectingARowTwiceIs21000AndRollsTheStatementBack) {
  Error e =
      Err("insert into kv values (1, 'a'), (1, 'b') on conflict (k) do update "
          "set v = excluded.v");
  EXPECT_EQ(e.sqlstate, "21000");
  EXPECT_EQ(e.message, "ON CONFLICT DO UPDATE command cannot affect row a second time");
  EXPECT_EQ(e.hint,
            "Ensure that no rows proposed for insertion within the same command have duplicate "
            "constrained values.");
  EXPECT_TRUE(Rows("select * from kv").empty());
}

TEST_F(OnConflictTest, InferenceErrorsArePostgreSQLs) {
  Error none = Err("insert into kv values (1, 'x') on conflict (v) do nothing");
  EXPECT_EQ(none.sqlstate, "42P10");
  EXPECT_EQ(none.message,
            "there is no unique or exclusion constraint matching the ON CONFLICT specification");
  Error column = Err("insert into kv values (1, 'x') on conflict (nope) do nothing");
  EXPECT_EQ(column.sqlstate, "42703");
  EXPECT_EQ(column.message, "column \"nope\" does not exist");
  Error target = Err("insert into kv values (1, 'x') on conflict do update set v = 'y'");
  EXPECT_EQ(target.sqlstate, "42601");
  EXPECT_EQ(target.message,
            "ON CONFLICT DO UPDATE requires inference specification or constraint name");
  Error constraint =
      Err("insert into kv values (1, 'x') on conflict on constraint no_such "
          "do nothing");
  EXPECT_EQ(constraint.sqlstate, "42704");
  EXPECT_EQ(constraint.message, "constraint \"no_such\" for table \"kv\" does not exist");
  // A unique index made by CREATE UNIQUE INDEX is inferred from its columns but is no constraint.
  EXPECT_EQ(Err("insert into uq values (1, 1, 1, 'c') on conflict on constraint uq_c_idx "
                "do nothing")
                .sqlstate,
            "42704");
  EXPECT_EQ(Err("insert into uq values (1, 1, 1, 'c') on conflict (a) do nothing").sqlstate,
            "42P10");
}

TEST_F(OnConflictTest, MultiColumnKeysNullsAndNonArbiterIndexes) {
  Ok("insert into uq values (1, 1, 1, 'c1'), (2, 1, null, 'c2')");
  // Column order in the target does not matter; a key with a NULL conflicts with nothing.
  EXPECT_EQ(Rows("insert into uq values (3, 1, 1, 'c3') on conflict (b, a) do update "
                 "set c = excluded.c returning id, c"),
            Rows_({"1|c3"}));
  EXPECT_EQ(Rows("insert into uq values (4, 1, null, 'c4') on conflict (a, b) do nothing "
                 "returning id"),
            Rows_({"4"}));
  // A conflict on a unique index that is not an arbiter is still 23505.
  Error e = Err("insert into uq values (5, 7, 7, 'c3') on conflict (a, b) do nothing");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"uq_c_idx\"");
  // Without a target every unique index is an arbiter.
  EXPECT_EQ(Ok("insert into uq values (5, 7, 7, 'c3') on conflict do nothing").command_tag,
            "INSERT 0 0");
  EXPECT_EQ(Rows("insert into uq values (6, 9, 9, 'c9') on conflict on constraint uq_a_b_key "
                 "do update set c = 'never' returning id"),
            Rows_({"6"}));
  EXPECT_EQ(Rows("select id, a, b, c from uq order by id"),
            Rows_({"1|1|1|c3", "2|1|NULL|c2", "4|1|NULL|c4", "6|9|9|c9"}));
}

TEST_F(OnConflictTest, NotNullIsCheckedBeforeTheConflictAndUpdatesCheckEveryKey) {
  Ok("insert into named values ('a', 1)");
  EXPECT_EQ(Err("insert into named values ('a', null) on conflict (name) do nothing").sqlstate,
            "23502");
  Ok("insert into kv values (1, 'one'), (2, 'two')");
  Error e = Err("insert into kv values (1, 'z') on conflict (k) do update set k = 2");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.detail, "Key (k)=(2) already exists.");
  EXPECT_EQ(Rows("select k, v from kv order by k"), Rows_({"1|one", "2|two"}));
}

TEST_F(OnConflictTest, InsertSelectAndTextKeysCountHits) {
  Ok("create table src (name text)");
  Ok("insert into src values ('a'), ('b')");
  EXPECT_EQ(Ok("insert into named (name) select name from src on conflict (name) do update "
               "set hits = named.hits + 1")
                .command_tag,
            "INSERT 0 2");
  EXPECT_EQ(Ok("insert into named (name) select name from src on conflict (name) do update "
               "set hits = named.hits + 1")
                .command_tag,
            "INSERT 0 2");
  EXPECT_EQ(Rows("select name, hits from named order by name"), Rows_({"a|2", "b|2"}));
}

TEST_F(OnConflictTest, ARolledBackUpsertLeavesNothing) {
  Ok("insert into kv values (1, 'one')");
  Ok("begin");
  Ok("insert into kv values (1, 'x'), (2, 'y') on conflict (k) do update set v = excluded.v");
  EXPECT_EQ(Rows("select k, v from kv order by k"), Rows_({"1|x", "2|y"}));
  Ok("rollback");
  EXPECT_EQ(Rows("select k, v from kv order by k"), Rows_({"1|one"}));
}

}  // namespace
}  // namespace sqlrite::engine
