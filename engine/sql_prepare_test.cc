// SQL-level PREPARE / EXECUTE / DEALLOCATE and LOCK TABLE through the facade, and the other
// statements and functions pg_dump sends (set_config, tableoid): PostgreSQL 15's results, errors
// and SQLSTATEs.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/prepared_link.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class SqlPrepareTest : public testing::ClusterTest {};

TEST_F(SqlPrepareTest, ExecuteRunsThePreparedStatementWithItsValues) {
  Ok("create table t (id int primary key, v text)");
  Ok("insert into t values (1, 'a'), (2, 'b'), (3, 'c')");
  Ok("prepare q(int) as select v from t where id >= $1 order by id");
  EXPECT_EQ(Rows("execute q(2)"), (Strings{"b", "c"}));
  // A value is coerced to the parameter's type as an assignment is.
  EXPECT_EQ(Rows("execute q('3')"), (Strings{"c"}));
  // Types left out of the PREPARE are inferred, as the protocol's Parse infers them.
  Ok("prepare ins as insert into t values ($1, $2) returning id + 100");
  EXPECT_EQ(Rows("execute ins(4, 'd')"), (Strings{"104"}));
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"4"}));
}

TEST_F(SqlPrepareTest, ErrorsAreThoseOfPostgres) {
  Ok("prepare q(oid) as select $1");
  Error dup = Err("prepare q(int) as select 1");
  EXPECT_EQ(dup.sqlstate, "42P05");
  EXPECT_EQ(dup.message, "prepared statement \"q\" already exists");
  Error missing = Err("execute nope(1)");
  EXPECT_EQ(missing.sqlstate, "26000");
  EXPECT_EQ(missing.message, "prepared statement \"nope\" does not exist");
  Error count = Err("execute q(1, 2)");
  EXPECT_EQ(count.sqlstate, "42601");
  EXPECT_EQ(count.message, "wrong number of parameters for prepared statement \"q\"");
  EXPECT_EQ(count.detail, "Expected 1 parameters but got 2.");
  EXPECT_EQ(Err("execute q('x')").sqlstate, "22P02");
  Ok("deallocate q");
  EXPECT_EQ(Err("deallocate q").sqlstate, "26000");
  Ok("prepare a as select 1");
  Ok("prepare b as select 2");
  Ok("deallocate all");
  EXPECT_EQ(Err("execute a").sqlstate, "26000");
}

TEST_F(SqlPrepareTest, PrepareOutlivesARolledBackBlockAndRunsInItsSnapshot) {
  Ok("create table t (id int)");
  Ok("begin");
  Ok("prepare n as select count(*) from t");
  Ok("rollback");
  EXPECT_EQ(Rows("execute n"), (Strings{"0"}));
  Ok("begin isolation level repeatable read");
  EXPECT_EQ(Rows("execute n"), (Strings{"0"}));
  Ok("commit");
}

// As the server registers a named Parse (server/extended_query.cc): described, then linked.
struct Parsed {
  ast::Statement statement;
};

std::shared_ptr<ProtocolStatementLink> Register(Cluster& cluster, SessionState& session,
                                                const std::string& name, const std::string& sql,
                                                Status* registered) {
  auto parsed = sql::Parse(sql);
  EXPECT_TRUE(parsed.has_value());
  auto owner = std::make_shared<Parsed>(Parsed{std::move(*(*parsed)[0].statement)});
  auto described = cluster.Describe(session, owner->statement, {});
  EXPECT_TRUE(described.has_value());
  auto link = std::make_shared<ProtocolStatementLink>();
  link->statement = &owner->statement;
  link->param_types = described->param_types;
  link->owner = owner;
  *registered = cluster.RegisterProtocolStatement(session, name, link);
  return link;
}

TEST_F(SqlPrepareTest, ProtocolStatementsShareTheNameSpace) {
  Status registered;
  auto link = Register(*cluster_, *session_, "p1", "select $1::int + 1", &registered);
  ASSERT_TRUE(registered.has_value());
  EXPECT_EQ(Rows("execute p1(41)"), (Strings{"42"}));
  Error dup = Err("prepare p1 as select 1");
  EXPECT_EQ(dup.sqlstate, "42P05");
  EXPECT_EQ(dup.message, "prepared statement \"p1\" already exists");
  // DEALLOCATE drops it for the server too.
  Ok("deallocate p1");
  EXPECT_TRUE(link->dropped.load());
  EXPECT_EQ(Err("execute p1(1)").sqlstate, "26000");
  // A PREPARE'd name refuses the protocol's Parse.
  Ok("prepare p2 as select 2");
  Register(*cluster_, *session_, "p2", "select 3", &registered);
  ASSERT_FALSE(registered.has_value());
  EXPECT_EQ(registered.error().sqlstate, "42P05");
  EXPECT_EQ(Rows("execute p2"), (Strings{"2"}));
}

TEST_F(SqlPrepareTest, ServerCloseAndDeallocateAllReachBothKinds) {
  Status registered;
  auto closed = Register(*cluster_, *session_, "c1", "select 1", &registered);
  ASSERT_TRUE(registered.has_value());
  // The server's Close sets the flag: the name is free for PREPARE.
  closed->dropped.store(true);
  EXPECT_EQ(Err("execute c1").sqlstate, "26000");
  Ok("prepare c1 as select 4");
  EXPECT_EQ(Rows("execute c1"), (Strings{"4"}));
  EXPECT_TRUE(cluster_->ClosePreparedStatement(*session_, "c1"));
  EXPECT_FALSE(cluster_->ClosePreparedStatement(*session_, "c1"));
  auto kept = Register(*cluster_, *session_, "a1", "select 5", &registered);
  Ok("prepare a2 as select 6");
  EXPECT_EQ(Exec("deallocate all")->command_tag, "DEALLOCATE ALL");
  EXPECT_TRUE(kept->dropped.load());
  EXPECT_EQ(Err("execute a2").sqlstate, "26000");
}

TEST_F(SqlPrepareTest, AChainOfExecutesIsBounded) {
  // A protocol statement may be an EXECUTE of another: a chain 33 deep is 54001, not a crash.
  Status registered;
  std::vector<std::shared_ptr<ProtocolStatementLink>> links;
  links.push_back(Register(*cluster_, *session_, "p0", "select 1", &registered));
  for (int i = 1; i <= 32; ++i) {
    links.push_back(Register(*cluster_, *session_, "p" + std::to_string(i),
                             "execute p" + std::to_string(i - 1), &registered));
    ASSERT_TRUE(registered.has_value()) << i;
  }
  EXPECT_EQ(Rows("execute p31"), (Strings{"1"}));
  Error deep = Err("execute p32");
  EXPECT_EQ(deep.sqlstate, "54001");
  EXPECT_EQ(deep.message, "stack depth limit exceeded");
}

TEST_F(SqlPrepareTest, LockTableNeedsABlockAndATableOrView) {
  Ok("create table t (id int)");
  Ok("create view v as select * from t");
  Ok("create sequence s");
  Error outside = Err("lock table t in access share mode");
  EXPECT_EQ(outside.sqlstate, "25P01");
  EXPECT_EQ(outside.message, "LOCK TABLE can only be used in transaction blocks");
  Ok("begin");
  EXPECT_EQ(Exec("lock table t, v in access share mode")->command_tag, "LOCK TABLE");
  EXPECT_EQ(Err("lock table nope").sqlstate, "42P01");
  Ok("rollback");
  Ok("begin");
  Error seq = Err("lock table s");
  EXPECT_EQ(seq.sqlstate, "42809");
  EXPECT_EQ(seq.message, "cannot lock relation \"s\"");
  Ok("rollback");
}

TEST_F(SqlPrepareTest, SetConfigChangesTheSessionsSetting) {
  EXPECT_EQ(Rows("select pg_catalog.set_config('search_path', '', false)"), (Strings{""}));
  // As PostgreSQL's: the value set_config stored, an empty string (SET search_path = '' shows
  // "" there).
  EXPECT_EQ(Rows("show search_path"), (Strings{""}));
  EXPECT_EQ(Rows("select set_config('search_path', 'public', false)"), (Strings{"public"}));
  EXPECT_EQ(Err("select set_config('no_such_setting', 'x', false)").sqlstate, "42704");
  EXPECT_EQ(Rows("select pg_is_in_recovery()"), (Strings{"f"}));
  // Inside a rolled-back block the setting comes back, as SET's does.
  Ok("begin");
  Ok("select set_config('extra_float_digits', '3', false)");
  Ok("rollback");
  EXPECT_EQ(Rows("show extra_float_digits"), (Strings{"1"}));
}

TEST_F(SqlPrepareTest, TableoidIsTheRelationsOid) {
  Ok("create table t (id int)");
  Ok("insert into t values (1)");
  EXPECT_EQ(Rows("select tableoid::regclass, id from t"), (Strings{"t|1"}));
  EXPECT_EQ(Rows("select c.tableoid = 'pg_class'::regclass from pg_class c where relname = 't'"),
            (Strings{"t"}));
  // A real column of that name wins; a view has none; two relations make it ambiguous.
  Ok("create table u (tableoid int)");
  Ok("insert into u values (7)");
  EXPECT_EQ(Rows("select tableoid from u"), (Strings{"7"}));
  Ok("create view w as select id from t");
  EXPECT_EQ(Err("select tableoid from w").sqlstate, "42703");
  EXPECT_EQ(Err("select tableoid from t, pg_class").sqlstate, "42702");
}

}  // namespace
}  // namespace sqlrite::engine
