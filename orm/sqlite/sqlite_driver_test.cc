// The SQLite driver alone: URLs, parameters and cell types, error mapping, one statement per
// operation, transactions.
#include "orm/sqlite/sqlite_driver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace sqlrite::orm::sqlite {
namespace {

std::unique_ptr<Connection> MemoryConnection() {
  auto driver = OpenSqlite("sqlite::memory:");
  EXPECT_TRUE(driver);
  auto c = (*driver)->Connect();
  EXPECT_TRUE(c);
  return std::move(*c);
}

ResultSet Ok(Connection& c, std::string sql, std::vector<Value> params = {}) {
  auto r = c.Exec(SqlOp{std::move(sql), std::move(params)});
  EXPECT_TRUE(r) << r.error().sqlstate << " " << r.error().message;
  return r ? *r : ResultSet{};
}

Error Err(Connection& c, std::string sql, std::vector<Value> params = {}) {
  auto r = c.Exec(SqlOp{std::move(sql), std::move(params)});
  EXPECT_FALSE(r);
  return r ? Error{} : r.error();
}

TEST(SqliteDriverTest, UrlsAreChecked) {
  EXPECT_TRUE(OpenSqlite("sqlite::memory:"));
  EXPECT_TRUE(OpenSqlite("sqlite://some/file.db"));
  for (const char* bad : {"sqlite:", "sqlite://", "postgresql://x", "sqlite:memory"}) {
    auto r = OpenSqlite(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().sqlstate, "22023");
  }
  auto driver = OpenSqlite("sqlite::memory:");
  EXPECT_EQ((*driver)->name(), "sqlite");
  EXPECT_EQ((*driver)->capability().flavor, Flavor::kSqlite);
}

TEST(SqliteDriverTest, FileDatabasePersistsAcrossConnections) {
  char dir[] = "/tmp/orm_sqlite_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/db.sqlite";
  {
    auto driver = OpenSqlite("sqlite://" + path);
    auto c = (*driver)->Connect();
    ASSERT_TRUE(c);
    Ok(**c, "CREATE TABLE t (a INTEGER)");
    Ok(**c, "INSERT INTO t VALUES (?)", {Value(7)});
  }
  {
    auto driver = OpenSqlite("sqlite://" + path);
    auto c = (*driver)->Connect();
    ASSERT_TRUE(c);
    EXPECT_EQ(Ok(**c, "SELECT a FROM t").rows[0][0], Value(7));
  }
  std::remove(path.c_str());
  rmdir(dir);
  auto missing = OpenSqlite("sqlite:///nonexistent-dir/x/y.db");
  ASSERT_TRUE(missing);
  auto c = (*missing)->Connect();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().sqlstate, "08006");
}

TEST(SqliteDriverTest, ParametersAndCellsRoundTrip) {
  auto c = MemoryConnection();
  Ok(*c, "CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BOOLEAN, n TEXT)");
  ResultSet w = Ok(*c, "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                   {Value(std::int64_t{1} << 40), Value(2.5), Value("x\0y"), Value(true), Value()});
  EXPECT_EQ(w.rows_affected, 1);
  ResultSet r = Ok(*c, "SELECT i, d, s, b, n FROM t");
  EXPECT_EQ(r.columns, (std::vector<std::string>{"i", "d", "s", "b", "n"}));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0], (std::vector<Value>{Value(std::int64_t{1} << 40), Value(2.5), Value("x"),
                                           Value(1), Value()}));
  EXPECT_EQ(r.rows_affected, 0);
  EXPECT_EQ(Ok(*c, "CREATE TABLE u (a INTEGER)").rows_affected, 0);
  EXPECT_EQ(Ok(*c, "UPDATE t SET i = i + 1").rows_affected, 1);
  EXPECT_EQ(Ok(*c, "DELETE FROM u").rows_affected, 0);
}

TEST(SqliteDriverTest, ErrorsCarryPostgresSqlStates) {
  auto c = MemoryConnection();
  Ok(*c, "CREATE TABLE p (id INTEGER PRIMARY KEY, u TEXT UNIQUE, n TEXT NOT NULL)");
  Ok(*c, "CREATE TABLE ch (p INTEGER REFERENCES p(id))");
  Ok(*c, "INSERT INTO p VALUES (1, 'a', 'x')");
  EXPECT_EQ(Err(*c, "INSERT INTO p VALUES (1, 'b', 'x')").sqlstate, "23505");
  EXPECT_EQ(Err(*c, "INSERT INTO p VALUES (2, 'a', 'x')").sqlstate, "23505");
  EXPECT_EQ(Err(*c, "INSERT INTO p VALUES (3, 'c', NULL)").sqlstate, "23502");
  EXPECT_EQ(Err(*c, "INSERT INTO ch VALUES (99)").sqlstate, "23503");
  EXPECT_EQ(Err(*c, "SELEC 1").sqlstate, "42601");
  EXPECT_EQ(Err(*c, "SELECT * FROM nope").sqlstate, "42P01");
  Error two = Err(*c, "SELECT 1; SELECT 2");
  EXPECT_EQ(two.sqlstate, "42601");
  EXPECT_EQ(two.message, "one statement at a time: the SQL text holds more than one");
  Error params = Err(*c, "SELECT ?", {});
  EXPECT_EQ(params.message, "the statement takes 1 parameters, 0 given");
  // The connection carries on after every error; a trailing semicolon is fine.
  EXPECT_EQ(Ok(*c, "SELECT count(*) FROM p; ").rows[0][0], Value(1));
}

TEST(SqliteDriverTest, LikeIsCaseSensitive) {
  auto c = MemoryConnection();
  EXPECT_EQ(Ok(*c, "SELECT 'Abc' LIKE 'a%', 'abc' LIKE 'a%'").rows[0],
            (std::vector<Value>{Value(0), Value(1)}));
}

TEST(SqliteDriverTest, TransactionsAndSavepoints) {
  auto c = MemoryConnection();
  Ok(*c, "CREATE TABLE t (a INTEGER)");
  ASSERT_TRUE(c->Exec(TxOp{TxKind::kBegin, {}}));
  Ok(*c, "INSERT INTO t VALUES (1)");
  ASSERT_TRUE(c->Exec(TxOp{TxKind::kSavepoint, "s1"}));
  Ok(*c, "INSERT INTO t VALUES (2)");
  ASSERT_TRUE(c->Exec(TxOp{TxKind::kRollbackToSavepoint, "s1"}));
  ASSERT_TRUE(c->Exec(TxOp{TxKind::kReleaseSavepoint, "s1"}));
  ASSERT_TRUE(c->Exec(TxOp{TxKind::kCommit, {}}));
  EXPECT_EQ(Ok(*c, "SELECT count(*) FROM t").rows[0][0], Value(1));
  auto r = c->Exec(TxOp{TxKind::kCommit, {}});
  ASSERT_FALSE(r);
}

}  // namespace
}  // namespace sqlrite::orm::sqlite
