// Parse() as a whole: statement splitting, statement text, syntax errors, robustness.

#include "engine/sql/parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "engine/sql/parser_test_util.h"

namespace sqlrite::engine::sql {
namespace {

using testing::ParseError;

TEST(ParserTest, EmptyStringYieldsNoStatements) {
  auto parsed = Parse("");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty());
}

TEST(ParserTest, OnlySemicolonsYieldNoStatements) {
  auto parsed = Parse(";;");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty());
  parsed = Parse("  ; \n ; ");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty());
}

TEST(ParserTest, OnlyCommentsYieldNoStatements) {
  auto parsed = Parse("-- nothing here\n/* nor /* nested */ here */ ;");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty());
}

TEST(ParserTest, MultipleStatementsKeepTheirOwnTextAndOffset) {
  std::string sql = "select 1;  insert into t values (2) ;\n-- c\n  select 3";
  auto parsed = Parse(sql);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].Text(sql), "select 1");
  EXPECT_EQ((*parsed)[0].offset, 0);
  EXPECT_EQ((*parsed)[1].Text(sql), "insert into t values (2)");
  EXPECT_EQ((*parsed)[1].offset, static_cast<int>(sql.find("insert")));
  EXPECT_EQ((*parsed)[2].Text(sql), "select 3");
  EXPECT_EQ((*parsed)[2].offset, static_cast<int>(sql.find("select 3")));
  EXPECT_TRUE(std::holds_alternative<ast::Select>(*(*parsed)[0].statement));
  EXPECT_TRUE(std::holds_alternative<ast::Insert>(*(*parsed)[1].statement));
  EXPECT_TRUE(std::holds_alternative<ast::Select>(*(*parsed)[2].statement));
}

TEST(ParserTest, LocationsAreRelativeToTheWholeString) {
  std::string sql = "select 1; select abc";
  auto parsed = Parse(sql);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 2u);
  const auto& select = std::get<ast::Select>(*(*parsed)[1].statement);
  EXPECT_EQ(select.items[0].expr->location, static_cast<int>(sql.find("abc")));
}

// Positions checked against PostgreSQL 15 (psql -c "select * frm t").
TEST(ParserTest, SyntaxErrorReportsPostgresMessageAndPosition) {
  Error e = ParseError("select * frm t");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "syntax error at or near \"frm\"");
  EXPECT_EQ(e.position, 10);
}

TEST(ParserTest, SyntaxErrorAtEndOfInput) {
  Error e = ParseError("select 1 +");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "syntax error at end of input");
  EXPECT_EQ(e.position, 11);
}

TEST(ParserTest, UnterminatedStringIsASyntaxError) {
  Error e = ParseError("select 'abc");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "unterminated quoted string at or near \"'abc\"");
  EXPECT_EQ(e.position, 8);
}

TEST(ParserTest, SyntaxErrorInALaterStatementFailsTheWholeString) {
  Error e = ParseError("select 1; select * frm t");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "syntax error at or near \"frm\"");
  EXPECT_EQ(e.position, 20);
}

TEST(ParserTest, SyntaxErrorPositionCountsCharactersNotBytes) {
  // "é" is two bytes; PostgreSQL reports the character position.
  Error e = ParseError("select 'é' from from");
  EXPECT_EQ(e.message, "syntax error at or near \"from\"");
  EXPECT_EQ(e.position, 17);
}

TEST(ParserTest, UnsupportedStatementFailsOnlyItself) {
  auto parsed = Parse("select 1; alter table t set logged; select 2");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_TRUE((*parsed)[0].statement);
  ASSERT_FALSE((*parsed)[1].statement);
  EXPECT_EQ((*parsed)[1].statement.error().sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ((*parsed)[1].statement.error().message, "this ALTER TABLE form is not supported yet");
  EXPECT_TRUE((*parsed)[2].statement);
}

TEST(ParserTest, GrammarLevelRefusalIsASyntaxErrorAsInPostgres) {
  Error e = ParseError("select 1 limit 1, 2");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.position, 10);
  EXPECT_EQ(e.message, "LIMIT #,# syntax is not supported");
}

TEST(ParserTest, DeeplyNestedExpressionFailsCleanly) {
  std::string sql = "select ";
  for (int i = 0; i < 2000; ++i) sql += "1 + (";
  sql += "1";
  for (int i = 0; i < 2000; ++i) sql += ")";
  auto parsed = Parse(sql);
  if (parsed) {
    ASSERT_EQ(parsed->size(), 1u);
    ASSERT_FALSE((*parsed)[0].statement);
    EXPECT_EQ((*parsed)[0].statement.error().sqlstate, sqlstate::kStatementTooComplex);
  }
}

size_t ThreadCount() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++n;
  }
  return n;
}

// Found by the fuzz target `sql` (tests/fuzz/regressions/sql): the thread of a deep parse was
// detached and could still be exiting when Parse() returned; LeakSanitizer then reported its
// thread-specific data as leaked. Parse() now returns only once that thread is gone.
TEST(ParserTest, DeepParseLeavesNoThreadBehind) {
  std::string sql = "select ";
  for (int i = 0; i < 1000; ++i) sql += "(";
  sql += "1";
  for (int i = 0; i < 1000; ++i) sql += ")";
  for (int round = 0; round < 20; ++round) {
    const size_t before = ThreadCount();
    auto parsed = Parse(sql);
    ASSERT_TRUE(parsed) << parsed.error().message;
    // The parse thread was joined; on a loaded machine its /proc/self/task entry can outlive the
    // join by a moment, so give the kernel that moment (a thread left running never goes).
    size_t after = ThreadCount();
    for (int i = 0; i < 200 && after != before; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      after = ThreadCount();
    }
    ASSERT_EQ(after, before) << "round " << round;
  }
}

TEST(ParserTest, ModeratelyNestedExpressionParses) {
  std::string sql = "select ";
  for (int i = 0; i < 200; ++i) sql += "1 + (";
  sql += "1";
  for (int i = 0; i < 200; ++i) sql += ")";
  auto parsed = Parse(sql);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_TRUE((*parsed)[0].statement);
}

TEST(ParserTest, RandomGarbageNeverCrashes) {
  static constexpr std::string_view kPieces[] = {
      "select", "insert", "into",    "values", "(",    ")",        ",",     ";",  "'",
      "\"",     "*",      "from",    "where",  "1",    "1.5e3",    "$1",    "::", "int",
      "--",     "/*",     "*/",      "and",    "or",   "not",      "null",  "x",  "t.",
      "create", "table",  "default", "case",   "when", "end",      "=",     "<>", "-",
      "+",      " ",      "\n",      "\\",     "é",    "order by", "limit", "in", "between",
      "like",   "set",    "show",    "begin",  "drop"};
  std::mt19937 rng(12345);
  std::uniform_int_distribution<size_t> piece(0, std::size(kPieces) - 1);
  std::uniform_int_distribution<int> length(0, 30);
  std::uniform_int_distribution<int> byte(1, 255);
  for (int i = 0; i < 3000; ++i) {
    std::string sql;
    int n = length(rng);
    for (int k = 0; k < n; ++k) {
      if (i % 3 == 0) {
        sql += static_cast<char>(byte(rng));
      } else {
        sql += kPieces[piece(rng)];
        sql += ' ';
      }
    }
    auto parsed = Parse(sql);
    if (parsed) {
      for (const ParsedStatement& s : *parsed) {
        EXPECT_LE(static_cast<size_t>(s.offset + s.length), sql.size());
      }
    } else {
      EXPECT_FALSE(parsed.error().message.empty());
    }
  }
}

// What a ParseOnWorker callback delivered, shared with the worker so that neither side outlives it.
struct Delivery {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Result<std::vector<ParsedStatement>>> result;
  std::thread::id thread;

  ParseDone Callback(std::shared_ptr<Delivery> self) {
    return [self](Result<std::vector<ParsedStatement>> r) {
      std::lock_guard<std::mutex> lock(self->mu);
      self->result.emplace(std::move(r));
      self->thread = std::this_thread::get_id();
      self->cv.notify_all();
    };
  }
  bool Wait(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, limit, [&] { return result.has_value(); });
  }
};

TEST(ParserTest, ParseOnWorkerDeliversOnAnotherThread) {
  auto got = std::make_shared<Delivery>();
  ASSERT_TRUE(ParseOnWorker("select 1; select 2", got->Callback(got)));
  ASSERT_TRUE(got->Wait(std::chrono::seconds(10)));
  std::lock_guard<std::mutex> lock(got->mu);
  EXPECT_NE(got->thread, std::this_thread::get_id());
  ASSERT_TRUE(*got->result);
  EXPECT_EQ((*got->result)->size(), 2u);
}

TEST(ParserTest, ParseOnWorkerNeverWaitsBehindAnotherParse) {
  // The first parse's worker stays busy until the others have been delivered: with one shared
  // worker (or a queue) they would wait for it, and it for them.
  auto release = std::make_shared<Delivery>();  // its result stands for "released"
  auto first = std::make_shared<Delivery>();
  ASSERT_TRUE(ParseOnWorker("select 1", [release, first](Result<std::vector<ParsedStatement>> r) {
    const bool released = release->Wait(std::chrono::seconds(10));
    first->Callback(first)(released ? std::move(r) : Fail(sqlstate::kInternalError, "stuck"));
  }));
  for (int i = 0; i < 3; ++i) {  // and again, now that idle workers exist
    auto second = std::make_shared<Delivery>();
    ASSERT_TRUE(ParseOnWorker("select 2", second->Callback(second)));
    EXPECT_TRUE(second->Wait(std::chrono::seconds(5)));
  }
  release->Callback(release)(std::vector<ParsedStatement>{});
  ASSERT_TRUE(first->Wait(std::chrono::seconds(10)));
  std::lock_guard<std::mutex> lock(first->mu);
  EXPECT_TRUE(*first->result);
}

TEST(ParserTest, ParseOnWorkerGivesDeepStringsTheStackTheyNeed) {
  std::string sql = "select ";
  for (int i = 0; i < 3000; ++i) sql += "(";
  sql += "1";
  for (int i = 0; i < 3000; ++i) sql += ")";
  auto got = std::make_shared<Delivery>();
  ASSERT_TRUE(ParseOnWorker(sql, got->Callback(got)));
  ASSERT_TRUE(got->Wait(std::chrono::seconds(30)));
  std::lock_guard<std::mutex> lock(got->mu);
  ASSERT_TRUE(*got->result) << got->result->error().message;
  EXPECT_EQ((*got->result)->size(), 1u);
}

}  // namespace
}  // namespace sqlrite::engine::sql
