// DEFERRABLE PRIMARY KEY and UNIQUE constraints through the facade: checked at the statement's end
// (INITIALLY IMMEDIATE) or at COMMIT (INITIALLY DEFERRED, SET CONSTRAINTS), PostgreSQL 15's 23505
// and DETAIL, the non-deferrable key's per-row check kept, the definitions surviving a restart.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class DeferrableUniqueTest : public testing::ClusterTest {};

TEST_F(DeferrableUniqueTest, ShiftingAKeyPassesOnlyWhenDeferrable) {
  Ok("create table plain (id int primary key, pos int unique)");
  Ok("create table d (id int primary key, pos int unique deferrable)");
  for (const char* t : {"plain", "d"}) {
    Ok(std::string("insert into ") + t + " values (1, 1), (2, 2), (3, 3)");
  }
  // PostgreSQL checks a non-deferrable key per row: the first row's new key meets the next's.
  Error e = Err("update plain set pos = pos + 1");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"plain_pos_key\"");
  EXPECT_EQ(e.detail, "Key (pos)=(2) already exists.");
  Ok("update d set pos = pos + 1");
  EXPECT_EQ(Rows("select pos from d order by id"), (Strings{"2", "3", "4"}));
  // A duplicate left at the statement's end is refused there.
  Error end = Err("update d set pos = 2 where id = 3");
  EXPECT_EQ(end.message, "duplicate key value violates unique constraint \"d_pos_key\"");
  EXPECT_EQ(end.detail, "Key (pos)=(2) already exists.");
  EXPECT_EQ(Rows("select pos from d order by id"), (Strings{"2", "3", "4"}));
}

TEST_F(DeferrableUniqueTest, DeferredKeysAreCheckedAtCommit) {
  Ok("create table d (id int, pos int, constraint d_pos_key unique (pos) deferrable initially "
     "deferred)");
  Ok("insert into d values (1, 1), (2, 2)");
  Reopen();
  EXPECT_EQ(Rows("select condeferrable, condeferred, pg_get_constraintdef(oid) from pg_constraint "
                 "where conname = 'd_pos_key'"),
            (Strings{"t|t|UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED"}));
  Ok("begin");
  Ok("insert into d values (3, 1)");
  EXPECT_EQ(Rows("select count(*) from d where pos = 1"), (Strings{"2"}));
  Error e = Err("commit");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.detail, "Key (pos)=(1) already exists.");
  EXPECT_EQ(Rows("select count(*) from d"), (Strings{"2"}));
  // Swapped inside the block: fine at COMMIT.
  Ok("begin");
  Ok("update d set pos = 3 - pos");
  Ok("commit");
  EXPECT_EQ(Rows("select id, pos from d order by id"), (Strings{"1|2", "2|1"}));
  // SET CONSTRAINTS ... IMMEDIATE checks what waits.
  Ok("begin");
  Ok("insert into d values (3, 1)");
  EXPECT_EQ(Err("set constraints d_pos_key immediate").sqlstate, "23505");
  Ok("rollback");
}

TEST_F(DeferrableUniqueTest, WhatADeferrableKeyMayNotServe) {
  Ok("create table d (id int primary key deferrable, pos int unique deferrable)");
  Error arbiter = Err("insert into d values (1, 1) on conflict (pos) do nothing");
  EXPECT_EQ(arbiter.sqlstate, "55000");
  EXPECT_EQ(Err("create table r (x int references d)").message,
            "cannot use a deferrable primary key for referenced table \"d\"");
  EXPECT_EQ(Err("create table r (x int references d (pos))").message,
            "cannot use a deferrable unique constraint for referenced table \"d\"");
  // A deferrable INTEGER PRIMARY KEY is not the rowid: it may hold duplicates for a while.
  Ok("insert into d values (1, 1), (2, 2)");
  Ok("update d set id = id + 1");
  EXPECT_EQ(Rows("select id from d order by id"), (Strings{"2", "3"}));
  EXPECT_EQ(Rows("select pos from d where id = 3"), (Strings{"2"}));
}

TEST_F(DeferrableUniqueTest, AlterTableAddsADeferrableKey) {
  Ok("create table t (id int, pos int)");
  Ok("insert into t values (1, 1), (2, 1)");
  Error dup = Err("alter table t add constraint t_pos_key unique (pos) deferrable");
  EXPECT_EQ(dup.message, "could not create unique index \"t_pos_key\"");
  EXPECT_EQ(dup.detail, "Key (pos)=(1) is duplicated.");
  Ok("update t set pos = 2 where id = 2");
  Ok("alter table t add constraint t_pos_key unique (pos) deferrable initially deferred");
  Reopen();
  Ok("begin");
  Ok("update t set pos = pos + 1");
  Ok("commit");
  EXPECT_EQ(Rows("select pos from t order by id"), (Strings{"2", "3"}));
  EXPECT_EQ(Err("insert into t values (3, 3)").sqlstate, "23505");
}

}  // namespace
}  // namespace sqlrite::engine
