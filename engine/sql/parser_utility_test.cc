// Transactions, SET / RESET / SHOW, CHECKPOINT, VACUUM.

#include <gtest/gtest.h>

#include "engine/sql/parser_test_util.h"

namespace sqlrite::engine::sql {
namespace {

using testing::ParseAs;
using testing::StatementError;

TEST(TransactionTest, BeginCommitRollback) {
  EXPECT_EQ(ParseAs<ast::Transaction>("begin").kind, ast::Transaction::kBegin);
  EXPECT_EQ(ParseAs<ast::Transaction>("start transaction").kind, ast::Transaction::kBegin);
  EXPECT_EQ(ParseAs<ast::Transaction>("begin work").kind, ast::Transaction::kBegin);
  EXPECT_EQ(ParseAs<ast::Transaction>("commit").kind, ast::Transaction::kCommit);
  EXPECT_EQ(ParseAs<ast::Transaction>("end").kind, ast::Transaction::kCommit);
  EXPECT_EQ(ParseAs<ast::Transaction>("rollback").kind, ast::Transaction::kRollback);
  EXPECT_EQ(ParseAs<ast::Transaction>("abort").kind, ast::Transaction::kRollback);
  EXPECT_TRUE(ParseAs<ast::Transaction>("commit and chain").chain);
  EXPECT_FALSE(ParseAs<ast::Transaction>("commit").chain);
}

TEST(TransactionTest, IsolationLevel) {
  auto t = ParseAs<ast::Transaction>("begin isolation level serializable");
  EXPECT_EQ(t.isolation_level, "serializable");
  t = ParseAs<ast::Transaction>("start transaction isolation level read committed, read write");
  EXPECT_EQ(t.isolation_level, "read committed");
  EXPECT_EQ(ParseAs<ast::Transaction>("begin").isolation_level, "");
  EXPECT_EQ(StatementError("begin read only").sqlstate, sqlstate::kFeatureNotSupported);
}

TEST(TransactionTest, Savepoints) {
  auto t = ParseAs<ast::Transaction>("savepoint s1");
  EXPECT_EQ(t.kind, ast::Transaction::kSavepoint);
  EXPECT_EQ(t.savepoint, "s1");
  t = ParseAs<ast::Transaction>("release savepoint s1");
  EXPECT_EQ(t.kind, ast::Transaction::kRelease);
  EXPECT_EQ(t.savepoint, "s1");
  t = ParseAs<ast::Transaction>("release S2");
  EXPECT_EQ(t.kind, ast::Transaction::kRelease);
  EXPECT_EQ(t.savepoint, "s2");
  t = ParseAs<ast::Transaction>("rollback to savepoint s1");
  EXPECT_EQ(t.kind, ast::Transaction::kRollbackTo);
  EXPECT_EQ(t.savepoint, "s1");
  t = ParseAs<ast::Transaction>("rollback to s3");
  EXPECT_EQ(t.kind, ast::Transaction::kRollbackTo);
  EXPECT_EQ(t.savepoint, "s3");
  EXPECT_EQ(StatementError("prepare transaction 'x'").sqlstate, sqlstate::kFeatureNotSupported);
}

TEST(SetTest, Values) {
  auto s = ParseAs<ast::SetVariable>("set search_path = public");
  EXPECT_EQ(s.name, "search_path");
  EXPECT_EQ(s.value, "public");
  EXPECT_FALSE(s.reset);
  EXPECT_FALSE(s.local);
  s = ParseAs<ast::SetVariable>("SET client_encoding TO 'UTF8'");
  EXPECT_EQ(s.name, "client_encoding");
  EXPECT_EQ(s.value, "UTF8");
  s = ParseAs<ast::SetVariable>("set local statement_timeout = 5000");
  EXPECT_TRUE(s.local);
  EXPECT_EQ(s.value, "5000");
  s = ParseAs<ast::SetVariable>("set extra_float_digits = 1.5");
  EXPECT_EQ(s.value, "1.5");
  s = ParseAs<ast::SetVariable>("set standard_conforming_strings = on");
  EXPECT_EQ(s.value, "on");
  s = ParseAs<ast::SetVariable>("set DateStyle = ISO, MDY");
  EXPECT_EQ(s.name, "datestyle");
  EXPECT_EQ(s.value, "iso, mdy");
  s = ParseAs<ast::SetVariable>("set time zone 'UTC'");
  EXPECT_EQ(s.name, "timezone");
  EXPECT_EQ(s.value, "UTC");
}

TEST(SetTest, ResetAndDefault) {
  auto s = ParseAs<ast::SetVariable>("reset search_path");
  EXPECT_EQ(s.name, "search_path");
  EXPECT_TRUE(s.reset);
  s = ParseAs<ast::SetVariable>("set work_mem to default");
  EXPECT_EQ(s.name, "work_mem");
  EXPECT_TRUE(s.reset);
  s = ParseAs<ast::SetVariable>("reset all");
  EXPECT_EQ(s.name, "all");
  EXPECT_TRUE(s.reset);
}

TEST(SetTest, TransactionCharacteristics) {
  auto s = ParseAs<ast::SetVariable>(
      "set session characteristics as transaction isolation level serializable");
  EXPECT_EQ(s.name, "default_transaction_isolation");
  EXPECT_EQ(s.value, "serializable");
  s = ParseAs<ast::SetVariable>("set transaction isolation level repeatable read");
  EXPECT_EQ(s.name, "transaction_isolation");
  EXPECT_EQ(s.value, "repeatable read");
}

TEST(ShowTest, NameAndAll) {
  EXPECT_EQ(ParseAs<ast::ShowVariable>("show server_version").name, "server_version");
  EXPECT_EQ(ParseAs<ast::ShowVariable>("SHOW TimeZone").name, "timezone");
  EXPECT_EQ(ParseAs<ast::ShowVariable>("show all").name, "all");
  EXPECT_EQ(ParseAs<ast::ShowVariable>("show transaction isolation level").name,
            "transaction_isolation");
}

TEST(UtilityTest, CheckpointAndVacuum) {
  ast::Statement s = testing::ParseOne("checkpoint");
  EXPECT_TRUE(std::holds_alternative<ast::Checkpoint>(s));
  EXPECT_FALSE(ParseAs<ast::Vacuum>("vacuum").analyze_only);
  EXPECT_FALSE(ParseAs<ast::Vacuum>("vacuum full analyze t").analyze_only);
  EXPECT_TRUE(ParseAs<ast::Vacuum>("analyze t").analyze_only);
}

TEST(UtilityTest, UnsupportedStatementsNameThemselves) {
  EXPECT_EQ(StatementError("alter table t add column b int").message,
            "ALTER TABLE is not supported yet");
  EXPECT_EQ(StatementError("explain select 1").message, "EXPLAIN is not supported yet");
  EXPECT_EQ(StatementError("create view v as select 1").sqlstate, sqlstate::kFeatureNotSupported);
}

}  // namespace
}  // namespace sqlrite::engine::sql

namespace sqlrite::engine::sql {
namespace {

using testing::ParseAs;

TEST(UtilityTest, CopyKeepsItsOptionsAsWritten) {
  auto copy = ParseAs<ast::Copy>("copy t (a, b) from stdin with csv header delimiter ';'");
  EXPECT_TRUE(copy.is_from);
  EXPECT_EQ(copy.table.name, "t");
  EXPECT_EQ(copy.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(copy.filename.empty());
  ASSERT_EQ(copy.options.size(), 3u);
  EXPECT_EQ(copy.options[0].name, "format");
  EXPECT_EQ(copy.options[0].value, "csv");
  EXPECT_EQ(copy.options[1].name, "header");
  EXPECT_EQ(copy.options[1].kind, ast::CopyOption::kBoolean);
  EXPECT_EQ(copy.options[2].value, ";");
  auto out = ParseAs<ast::Copy>("copy (select 1) to stdout (format csv, force_quote *)");
  EXPECT_FALSE(out.is_from);
  EXPECT_TRUE(out.query != nullptr);
  EXPECT_EQ(out.options[1].kind, ast::CopyOption::kStar);
  auto file = ParseAs<ast::Copy>("copy t to '/tmp/x'");
  EXPECT_EQ(file.filename, "/tmp/x");
}

}  // namespace
}  // namespace sqlrite::engine::sql
