// Transactions, SET / RESET / SHOW, CHECKPOINT, VACUUM, cursors.

#include <gtest/gtest.h>

#include "engine/sql/interval_setting.h"
#include "engine/sql/parser_test_util.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::sql::parser_utility_test {
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

TEST(TransactionTest, Modes) {
  using Modes = std::vector<std::pair<std::string, std::string>>;
  auto modes = [](const std::vector<ast::TransactionMode>& list) {
    Modes out;
    for (const auto& m : list) out.emplace_back(m.name, m.value);
    return out;
  };
  auto t = ParseAs<ast::Transaction>("begin isolation level serializable");
  EXPECT_EQ(modes(t.modes), (Modes{{"transaction_isolation", "serializable"}}));
  EXPECT_FALSE(t.start);
  t = ParseAs<ast::Transaction>(
      "start transaction read write, isolation level read committed not deferrable");
  EXPECT_TRUE(t.start);
  EXPECT_EQ(modes(t.modes), (Modes{{"transaction_read_only", "off"},
                                   {"transaction_isolation", "read committed"},
                                   {"transaction_deferrable", "off"}}));
  t = ParseAs<ast::Transaction>("begin read only deferrable");
  EXPECT_EQ(modes(t.modes),
            (Modes{{"transaction_read_only", "on"}, {"transaction_deferrable", "on"}}));
  EXPECT_TRUE(ParseAs<ast::Transaction>("begin").modes.empty());
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
  // As PostgreSQL's flatten_set_variable_args prints an interval for the TimeZone check: the
  // literal as written, and the qualifier's typmod for the executor to read it under.
  s = ParseAs<ast::SetVariable>("set time zone interval '+05:30' hour to minute");
  EXPECT_EQ(s.name, "timezone");
  std::string written;
  EXPECT_EQ(ast::SplitIntervalTypmod(s.value, &written), (3 << 10) << 16 | 0xffff);
  EXPECT_EQ(written, "INTERVAL '+05:30'");
  s = ParseAs<ast::SetVariable>("set time zone interval '5'");
  EXPECT_EQ(s.value, "INTERVAL '5'");
  EXPECT_EQ(ast::SplitIntervalTypmod(s.value, &written), std::nullopt);
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
      "set session characteristics as transaction isolation level serializable, read only");
  EXPECT_EQ(s.name, "session characteristics");
  ASSERT_EQ(s.modes.size(), 2u);
  EXPECT_EQ(s.modes[0].name, "transaction_isolation");
  EXPECT_EQ(s.modes[0].value, "serializable");
  EXPECT_EQ(s.modes[1].name, "transaction_read_only");
  EXPECT_EQ(s.modes[1].value, "on");
  s = ParseAs<ast::SetVariable>("set transaction isolation level repeatable read");
  EXPECT_EQ(s.name, "transaction");
  ASSERT_EQ(s.modes.size(), 1u);
  EXPECT_EQ(s.modes[0].value, "repeatable read");
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

TEST(CursorStatementTest, DeclareOptions) {
  auto d = ParseAs<ast::DeclareCursor>(
      "declare \"My\" binary no scroll cursor with hold for select a from t where a > 1");
  EXPECT_EQ(d.name, "My");
  EXPECT_TRUE(d.binary);
  EXPECT_TRUE(d.hold);
  EXPECT_EQ(d.scroll, ast::DeclareCursor::Scroll::kNoScroll);
  ASSERT_NE(d.query, nullptr);
  EXPECT_EQ(d.query->from.size(), 1u);
  d = ParseAs<ast::DeclareCursor>("DECLARE c SCROLL CURSOR WITHOUT HOLD FOR SELECT 1");
  EXPECT_EQ(d.name, "c");
  EXPECT_FALSE(d.binary);
  EXPECT_FALSE(d.hold);
  EXPECT_EQ(d.scroll, ast::DeclareCursor::Scroll::kScroll);
  d = ParseAs<ast::DeclareCursor>("declare c insensitive cursor for select 1");
  EXPECT_EQ(d.scroll, ast::DeclareCursor::Scroll::kUnspecified);
}

TEST(CursorStatementTest, FetchDirectionsInNormalForm) {
  using D = ast::Fetch::Direction;
  struct Case {
    const char* sql;
    D direction;
    int64_t count;
    bool move;
  };
  const Case cases[] = {
      {"fetch c", D::kForward, 1, false},
      {"fetch next from c", D::kForward, 1, false},
      {"fetch prior in c", D::kBackward, 1, false},
      {"fetch first c", D::kAbsolute, 1, false},
      {"fetch last c", D::kAbsolute, -1, false},
      {"fetch absolute -3 c", D::kAbsolute, -3, false},
      {"fetch relative 0 c", D::kRelative, 0, false},
      {"fetch 5 c", D::kForward, 5, false},
      {"fetch -5 c", D::kForward, -5, false},
      {"fetch all c", D::kForward, ast::Fetch::kFetchAll, false},
      {"fetch forward 2000 from c", D::kForward, 2000, false},
      {"fetch backward all from c", D::kBackward, ast::Fetch::kFetchAll, false},
      {"move forward c", D::kForward, 1, true},
      {"move backward 3 in c", D::kBackward, 3, true},
  };
  for (const Case& c : cases) {
    auto f = ParseAs<ast::Fetch>(c.sql);
    EXPECT_EQ(f.name, "c") << c.sql;
    EXPECT_EQ(f.direction, c.direction) << c.sql;
    EXPECT_EQ(f.count, c.count) << c.sql;
    EXPECT_EQ(f.move, c.move) << c.sql;
  }
}

TEST(CursorStatementTest, CloseAndNonSelect) {
  auto c = ParseAs<ast::CloseCursor>("close c");
  EXPECT_EQ(c.name, "c");
  EXPECT_FALSE(c.all);
  EXPECT_TRUE(ParseAs<ast::CloseCursor>("close all").all);
  // As PostgreSQL's grammar: only a SELECT follows FOR.
  auto parsed = Parse("declare c cursor for insert into t values (1)");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().sqlstate, sqlstate::kSyntaxError);
}

TEST(UtilityTest, UnsupportedStatementsNameThemselves) {
  EXPECT_EQ(StatementError("alter table t set logged").message,
            "this ALTER TABLE form is not supported yet");
  EXPECT_EQ(StatementError("explain verbose select 1").message,
            "EXPLAIN option verbose is not supported yet");
  EXPECT_EQ(StatementError("explain (timing) select 1").message,
            "EXPLAIN option TIMING requires ANALYZE");
  EXPECT_EQ(StatementError("explain insert into t values (1)").message,
            "EXPLAIN of this statement is not supported yet");
  EXPECT_EQ(StatementError("explain (nonsense) select 1").message,
            "unrecognized EXPLAIN option \"nonsense\"");
  EXPECT_EQ(StatementError("create materialized view v as select 1").sqlstate,
            sqlstate::kFeatureNotSupported);
}

}  // namespace
}  // namespace sqlrite::engine::sql::parser_utility_test

namespace sqlrite::engine::sql::parser_utility_test {
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
}  // namespace sqlrite::engine::sql::parser_utility_test
