// Sequences, SERIAL and identity columns and per-row defaults, through the facade: PostgreSQL's
// values and errors, nextval surviving rollbacks and restarts, and catalog entries written
// before the sequence fields still loading.

#include "engine/sequence.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

class SequenceTest : public testing::ClusterTest {
 protected:
  std::string One(std::string_view sql) {
    std::vector<std::string> rows = Rows(sql);
    return rows.size() == 1 ? rows[0] : "<" + std::to_string(rows.size()) + " rows>";
  }
};

TEST_F(SequenceTest, NextvalCurrvalSetvalLastval) {
  Ok("create sequence s");
  EXPECT_EQ(Err("select currval('s')").message,
            "currval of sequence \"s\" is not yet defined in this session");
  EXPECT_EQ(Err("select lastval()").sqlstate, std::string(sqlstate::kObjectNotInPrerequisiteState));
  EXPECT_EQ(One("select nextval('s')"), "1");
  EXPECT_EQ(One("select nextval('s'), nextval('S'), currval('s')"), "2|3|3");
  EXPECT_EQ(One("select setval('s', 10)"), "10");
  EXPECT_EQ(One("select nextval('s'), lastval()"), "11|11");
  EXPECT_EQ(One("select setval('s', 20, false)"), "20");
  EXPECT_EQ(One("select nextval('s')"), "20");
  EXPECT_EQ(One("select last_value, is_called from s"), "20|t");
  EXPECT_EQ(Err("select nextval('nosuch')").sqlstate, std::string(sqlstate::kUndefinedTable));
  Ok("create table t (a int)");
  EXPECT_EQ(Err("select nextval('t')").message, "\"t\" is not a sequence");
  EXPECT_EQ(Err("insert into s values (1, 1, true)").message, "cannot change sequence \"s\"");
}

// nextval rewrites the row without index upkeep, so PostgreSQL's refusal is kept (42809).
TEST_F(SequenceTest, AnIndexOnASequenceIsRefused) {
  Ok("create sequence s");
  Error e = Err("create index on s (last_value)");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kWrongObjectType));
  EXPECT_EQ(e.message, "cannot create index on relation \"s\"");
  EXPECT_EQ(e.detail, "This operation is not supported for sequences.");
}

// Indexes and sequences share the relation namespace, as in PostgreSQL (42P07).
TEST_F(SequenceTest, ASequenceCannotTakeAnIndexName) {
  Ok("create table t (a int)");
  Ok("create index foo on t (a)");
  Error e = Err("create sequence foo");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDuplicateTable));
  EXPECT_EQ(e.message, "relation \"foo\" already exists");
}

TEST_F(SequenceTest, LimitsCycleAndOptions) {
  Ok("create sequence small as smallint maxvalue 2");
  EXPECT_EQ(One("select nextval('small'), nextval('small')"), "1|2");
  Error e = Err("select nextval('small')");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kSequenceGeneratorLimitExceeded));
  EXPECT_EQ(e.message, "nextval: reached maximum value of sequence \"small\" (2)");
  Ok("create sequence c minvalue 1 maxvalue 2 cycle");
  EXPECT_EQ(One("select nextval('c'), nextval('c'), nextval('c')"), "1|2|1");
  Ok("create sequence d increment by -1");
  EXPECT_EQ(One("select nextval('d'), nextval('d')"), "-1|-2");
  EXPECT_EQ(Err("create sequence z increment by 0").message, "INCREMENT must not be zero");
  EXPECT_EQ(Err("create sequence z minvalue 5 maxvalue 5").message,
            "MINVALUE (5) must be less than MAXVALUE (5)");
  EXPECT_EQ(Err("create sequence z as smallint maxvalue 40000").message,
            "MAXVALUE (40000) is out of range for sequence data type smallint");
  Ok("create sequence r start 5 increment 10");
  EXPECT_EQ(One("select nextval('r'), nextval('r')"), "5|15");
  Ok("alter sequence r restart");
  EXPECT_EQ(One("select nextval('r')"), "5");
  Ok("alter sequence r restart with 100 increment 1");
  EXPECT_EQ(One("select nextval('r'), nextval('r')"), "100|101");
  EXPECT_EQ(Err("create sequence r").sqlstate, std::string(sqlstate::kDuplicateTable));
  Ok("drop sequence r, c");
  EXPECT_EQ(Err("select nextval('r')").sqlstate, std::string(sqlstate::kUndefinedTable));
}

TEST_F(SequenceTest, NextvalIsNotRolledBack) {
  Ok("create sequence s");
  Ok("begin");
  EXPECT_EQ(One("select nextval('s'), nextval('s')"), "1|2");
  Ok("rollback");
  EXPECT_EQ(One("select nextval('s')"), "3");
  Ok("begin");
  EXPECT_EQ(One("select nextval('s')"), "4");
  EXPECT_FALSE(Exec("select 1/0"));
  Ok("rollback");
  // A failed statement inside a block (rolled back to its savepoint) keeps it too.
  Ok("begin");
  EXPECT_EQ(One("select nextval('s')"), "5");
  Ok("savepoint a");
  EXPECT_EQ(One("select nextval('s')"), "6");
  Ok("rollback to savepoint a");
  Ok("commit");
  EXPECT_EQ(One("select nextval('s')"), "7");
  // An autocommit statement that fails after its nextval.
  Ok("create table t (a int primary key)");
  Ok("insert into t values (8)");
  EXPECT_FALSE(Exec("insert into t values (nextval('s'))"));
  EXPECT_EQ(One("select nextval('s')"), "9");
  Reopen();
  EXPECT_EQ(One("select nextval('s')"), "10");
}

TEST_F(SequenceTest, RolledBackCreateForgetsTheSequence) {
  Ok("begin");
  Ok("create sequence s");
  EXPECT_EQ(One("select nextval('s'), nextval('s')"), "1|2");
  Ok("rollback");
  EXPECT_EQ(Err("select nextval('s')").sqlstate, std::string(sqlstate::kUndefinedTable));
  Ok("create sequence s");
  EXPECT_EQ(One("select nextval('s')"), "1");
}

TEST_F(SequenceTest, SerialColumns) {
  Ok("create table t (id serial primary key, v text)");
  EXPECT_EQ(Rows("insert into t (v) values ('a'), ('b') returning id"),
            (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(One("insert into t values (default, 'c') returning *"), "3|c");
  EXPECT_EQ(One("insert into t default values returning id, v"), "4|NULL");
  EXPECT_EQ(One("select currval('t_id_seq')"), "4");
  EXPECT_EQ(Err("insert into t (id) values (null)").sqlstate,
            std::string(sqlstate::kNotNullViolation));
  Ok("create table b (id bigserial, x smallserial)");
  EXPECT_EQ(One("insert into b default values returning pg_typeof(id), pg_typeof(x)"),
            "bigint|smallint");
  Error e = Err("drop sequence t_id_seq");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDependentObjectsStillExist));
  Ok("drop table t");
  EXPECT_EQ(Err("select nextval('t_id_seq')").sqlstate, std::string(sqlstate::kUndefinedTable));
  Reopen();
  EXPECT_EQ(One("insert into b default values returning id, x"), "2|2");
}

TEST_F(SequenceTest, IdentityColumns) {
  Ok("create table a (id int generated always as identity, v text)");
  EXPECT_EQ(One("insert into a (v) values ('x') returning id"), "1");
  Error e = Err("insert into a (id, v) values (5, 'y')");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kGeneratedAlways));
  EXPECT_EQ(e.message, "cannot insert a non-DEFAULT value into column \"id\"");
  EXPECT_EQ(e.detail, "Column \"id\" is an identity column defined as GENERATED ALWAYS.");
  EXPECT_EQ(e.hint, "Use OVERRIDING SYSTEM VALUE to override.");
  EXPECT_EQ(One("insert into a (id, v) overriding system value values (5, 'y') returning id"), "5");
  EXPECT_EQ(Err("update a set id = 9").sqlstate, std::string(sqlstate::kGeneratedAlways));
  EXPECT_EQ(One("update a set id = default where v = 'x' returning id"), "2");
  Ok("create table d (id bigint generated by default as identity (start 100) primary key, v text)");
  EXPECT_EQ(One("insert into d (v) values ('p') returning id"), "100");
  EXPECT_EQ(One("insert into d values (7, 'q') returning id"), "7");
  EXPECT_EQ(One("insert into d (id, v) overriding user value values (1, 'r') returning id"), "101");
  EXPECT_EQ(Err("create table bad (id text generated always as identity)").sqlstate,
            std::string(sqlstate::kInvalidParameterValue));
}

TEST_F(SequenceTest, ExpressionDefaultsRunPerRow) {
  Ok("create sequence ds");
  Ok("create table t (a int default nextval('ds'), b int default 2 * 3, r float8 default "
     "random())");
  Ok("insert into t (b) values (1), (1)");
  Ok("insert into t default values");
  EXPECT_EQ(Rows("select a, b, r >= 0 and r < 1 from t order by a"),
            (std::vector<std::string>{"1|1|t", "2|1|t", "3|6|t"}));
  EXPECT_EQ(One("update t set a = default where a = 1 returning a"), "4");
  Reopen();
  EXPECT_EQ(One("insert into t (b) values (0) returning a"), "5");
  EXPECT_EQ(Err("drop sequence ds").sqlstate, std::string(sqlstate::kDependentObjectsStillExist));
  Ok("drop sequence ds cascade");
  EXPECT_EQ(One("insert into t (b) values (0) returning a"), "NULL");
}

TEST_F(SequenceTest, ReadOnlyTransactionRefusesNextval) {
  Ok("create sequence s");
  Ok("begin read only");
  Error e = Err("select nextval('s')");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kReadOnlySqlTransaction));
  Ok("rollback");
}

TEST(SequenceNames, NextvalDefaultSqlQuotesWhenNeeded) {
  EXPECT_EQ(NextvalDefaultSql("t_id_seq"), "nextval('t_id_seq')");
  EXPECT_EQ(NextvalDefaultSql("T_id_seq"), "nextval('\"T_id_seq\"')");
  EXPECT_EQ(NextvalDefaultSql("it's"), "nextval('\"it''s\"')");
}

}  // namespace
}  // namespace sqlrite::engine
