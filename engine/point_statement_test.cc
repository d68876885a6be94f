// Cluster::RunsShort (engine/point_statement.h): which statements may run on an io thread, judged
// against the session's catalog.

#include "engine/point_statement.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/engine.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

class PointStatementTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE accounts (aid int PRIMARY KEY, bid int, abalance int, filler text)");
    Ok("CREATE TABLE named (name text PRIMARY KEY, n int)");
    Ok("CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b))");
  }
  bool Short(const std::string& sql) {
    auto parsed = sql::Parse(sql);
    EXPECT_TRUE(parsed && parsed->size() == 1 && (*parsed)[0].statement) << sql;
    if (!parsed || parsed->size() != 1 || !(*parsed)[0].statement) return false;
    return cluster_->RunsShort(*session_, *(*parsed)[0].statement);
  }
};

TEST_F(PointStatementTest, TransactionControlSetAndShowAreShort) {
  EXPECT_TRUE(Short("BEGIN"));
  EXPECT_TRUE(Short("BEGIN ISOLATION LEVEL SERIALIZABLE"));
  EXPECT_TRUE(Short("COMMIT"));
  EXPECT_TRUE(Short("ROLLBACK"));
  EXPECT_TRUE(Short("SAVEPOINT s"));
  EXPECT_TRUE(Short("SET statement_timeout = 10"));
  EXPECT_TRUE(Short("SHOW statement_timeout"));
}

TEST_F(PointStatementTest, AStatementThatPinsAKeyIsShort) {
  EXPECT_TRUE(Short("UPDATE accounts SET abalance = abalance + -5 WHERE aid = 17"));
  EXPECT_TRUE(Short("UPDATE accounts SET abalance = abalance + $1 WHERE aid = $2"));
  EXPECT_TRUE(Short("SELECT abalance FROM accounts WHERE aid = 3"));
  EXPECT_TRUE(Short("SELECT abalance FROM accounts WHERE bid > 0 AND -3 = aid"));
  EXPECT_TRUE(Short("DELETE FROM named WHERE name = 'x'"));
  EXPECT_TRUE(Short("UPDATE named SET n = 1 WHERE name = $1::text"));
}

TEST_F(PointStatementTest, AStatementWithoutAPinnedKeyGoesToTheEngineThread) {
  EXPECT_FALSE(Short("UPDATE accounts SET abalance = 0"));
  EXPECT_FALSE(Short("UPDATE accounts SET abalance = 0 WHERE bid = 1"));  // no index on bid
  EXPECT_FALSE(Short("UPDATE accounts SET abalance = 0 WHERE aid > 5"));
  EXPECT_FALSE(Short("DELETE FROM accounts WHERE aid = 1 OR aid = 2"));
  EXPECT_FALSE(Short("DELETE FROM accounts WHERE aid = bid"));
  EXPECT_FALSE(Short("DELETE FROM pairs WHERE a = 1"));  // a prefix of a two-column key
  EXPECT_FALSE(Short("SELECT * FROM accounts"));
  EXPECT_FALSE(Short("SELECT * FROM accounts a, named n WHERE a.aid = 1"));
  EXPECT_FALSE(Short("EXPLAIN SELECT * FROM accounts WHERE aid = 1"));
  EXPECT_FALSE(Short("UPDATE missing SET x = 1 WHERE id = 1"));
}

// A review found these called short: a non-unique index may hold any number of rows under one
// value, and a subquery or a WITH query may read anything.
TEST_F(PointStatementTest, NonUniqueIndexesSubqueriesAndWithGoToTheEngineThread) {
  Ok("CREATE INDEX accounts_bid_idx ON accounts (bid)");
  Ok("CREATE UNIQUE INDEX accounts_filler_key ON accounts (filler)");
  EXPECT_FALSE(Short("UPDATE accounts SET abalance = 0 WHERE bid = 1"));
  EXPECT_TRUE(Short("UPDATE accounts SET abalance = 0 WHERE filler = 'x'"));
  EXPECT_FALSE(
      Short("UPDATE accounts SET abalance = (SELECT sum(abalance) FROM accounts) "
            "WHERE aid = 1"));
  EXPECT_FALSE(Short("DELETE FROM accounts WHERE aid = 1 AND bid IN (SELECT n FROM named)"));
  EXPECT_FALSE(Short("SELECT (SELECT count(*) FROM named) FROM accounts WHERE aid = 1"));
  EXPECT_FALSE(Short("SELECT abalance FROM accounts WHERE aid = 1 LIMIT (SELECT 1)"));
  EXPECT_FALSE(Short("WITH accounts AS (SELECT 1 AS aid) SELECT * FROM accounts WHERE aid = 1"));
}

TEST_F(PointStatementTest, InsertOfAFewListedRowsIsShortOfAQueryIsNot) {
  EXPECT_TRUE(Short("INSERT INTO accounts VALUES (1, 1, 0, 'x')"));
  EXPECT_TRUE(Short("INSERT INTO accounts (aid) VALUES (1), (2), (3)"));
  EXPECT_FALSE(Short("INSERT INTO accounts SELECT * FROM accounts"));
  std::string many = "INSERT INTO accounts (aid) VALUES (0)";
  for (size_t i = 1; i <= kPointInsertRows; ++i) many += ", (" + std::to_string(i) + ")";
  EXPECT_FALSE(Short(many));
  EXPECT_FALSE(Short("INSERT INTO missing VALUES (1)"));
}

// An upsert of a few listed rows is bounded (one arbiter lookup per row) and runs the same
// executor either way; a query source, a subquery in DO UPDATE, UPDATE ... FROM and DELETE ...
// USING read any amount.
TEST_F(PointStatementTest, AFewRowsUpsertIsShortJoinsAndQueriesAreNot) {
  EXPECT_TRUE(Short("INSERT INTO accounts VALUES (1, 1, 0, 'x') ON CONFLICT (aid) DO NOTHING"));
  EXPECT_TRUE(
      Short("INSERT INTO accounts VALUES (1, 1, 5) ON CONFLICT (aid) DO UPDATE SET "
            "abalance = accounts.abalance + excluded.abalance"));
  EXPECT_FALSE(
      Short("INSERT INTO accounts VALUES (1) ON CONFLICT (aid) DO UPDATE SET "
            "abalance = (SELECT count(*) FROM accounts)"));
  EXPECT_FALSE(Short("INSERT INTO accounts SELECT * FROM accounts ON CONFLICT DO NOTHING"));
  EXPECT_FALSE(Short("UPDATE accounts SET abalance = 0 FROM named WHERE aid = 1"));
  EXPECT_FALSE(Short("DELETE FROM accounts USING named WHERE aid = 1"));
}

TEST_F(PointStatementTest, DdlCopyAndCheckpointGoToTheEngineThread) {
  EXPECT_FALSE(Short("CREATE TABLE t (a int)"));
  EXPECT_FALSE(Short("DROP TABLE accounts"));
  EXPECT_FALSE(Short("CHECKPOINT"));
  EXPECT_FALSE(Short("COPY accounts FROM STDIN"));
  EXPECT_FALSE(Short("TRUNCATE accounts"));
}

TEST_F(PointStatementTest, OnlyBeginTouchesNoData) {
  auto blind = [](const std::string& sql) {
    auto parsed = sql::Parse(sql);
    EXPECT_TRUE(parsed && parsed->size() == 1 && (*parsed)[0].statement) << sql;
    return parsed && parsed->size() == 1 && (*parsed)[0].statement &&
           TouchesNoData(*(*parsed)[0].statement);
  };
  EXPECT_TRUE(blind("BEGIN"));
  EXPECT_TRUE(blind("START TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
  EXPECT_FALSE(blind("SET statement_timeout = 10"));
  EXPECT_FALSE(blind("SHOW transaction_isolation"));
  EXPECT_FALSE(blind("COMMIT"));  // a commit's answer waits for its fsync
  EXPECT_FALSE(blind("ROLLBACK"));
  EXPECT_FALSE(blind("SAVEPOINT s"));
  EXPECT_FALSE(blind("SELECT 1"));
  EXPECT_FALSE(blind("SELECT abalance FROM accounts WHERE aid = 1"));
}

}  // namespace
}  // namespace sqlrite::engine
