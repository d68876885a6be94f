#include "engine/sql/nesting_bound.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/sql/parser.h"

namespace sqlrite::engine::sql {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(NestingBoundTest, ChainsAndParenthesesCount) {
  EXPECT_GE(NestingBound("select " + Repeat("1 + ", 1000) + "1"), 2000u);
  EXPECT_GE(NestingBound("select " + Repeat("(", 700) + "1" + Repeat(")", 700)), 700u);
  EXPECT_GE(NestingBound("select " + Repeat("not ", 900) + "true"), 900u);
  // "(a) + b + ...": the operators after a group still sit above it.
  EXPECT_GE(NestingBound("select (" + Repeat("1 + ", 300) + "1)" + Repeat(" + 1", 300)), 900u);
}

TEST(NestingBoundTest, ListsAreSiblings) {
  std::string insert = "insert into t values (1, 'a', 2.5)";
  for (int i = 0; i < 5000; ++i) insert += ", (1, 'a', 2.5)";
  EXPECT_LT(NestingBound(insert), 20u);
  EXPECT_LT(NestingBound("select a from t where a in (" + Repeat("1, ", 5000) + "2)"), 20u);
}

TEST(NestingBoundTest, QuotedTextDoesNotCount) {
  const std::string parens = Repeat("(", 3000);
  EXPECT_LT(NestingBound("select '" + parens + "'"), 10u);
  EXPECT_LT(NestingBound("select \"" + parens + "\" from t"), 10u);
  EXPECT_LT(NestingBound("select $$" + parens + "$$, $x$" + parens + "$x$"), 10u);
  EXPECT_LT(NestingBound("select E'\\'" + parens + "'"), 10u);
  EXPECT_LT(NestingBound("select 1 -- " + parens + "\n, /* " + parens + " */ 2"), 10u);
  // An E'' string's escaped quote does not end it; a plain string's backslash is just a byte.
  EXPECT_GE(NestingBound("select 'a\\' " + Repeat("+ 1 ", 400)), 800u);
}

TEST(DeepQueryTest, DeepInputIsAnErrorNotACrash) {
  for (int terms : {300, 3000, 6000, 100000}) {
    auto parsed = Parse("select 1" + Repeat(" + 1", terms));
    if (terms == 300) {
      ASSERT_TRUE(parsed) << parsed.error().message;
      ASSERT_TRUE((*parsed)[0].statement) << (*parsed)[0].statement.error().message;
      continue;
    }
    Error e = parsed ? (*parsed)[0].statement.error() : parsed.error();
    EXPECT_EQ(e.sqlstate, sqlstate::kStatementTooComplex) << terms;
    EXPECT_EQ(e.message, "stack depth limit exceeded");
  }
  // Parentheses alone build no tree levels: deep ones parse (on a big stack), too deep ones are
  // refused before libpg_query sees them.
  for (int depth : {1000, 9000}) {
    auto parsed = Parse("select " + Repeat("(", depth) + "1" + Repeat(")", depth));
    ASSERT_TRUE(parsed) << depth << ": " << parsed.error().message;
    EXPECT_TRUE((*parsed)[0].statement) << depth;
  }
  auto parsed = Parse("select " + Repeat("(", 30000) + "1" + Repeat(")", 30000));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().sqlstate, sqlstate::kStatementTooComplex);
}

size_t Work(const std::string& sql) { return LexerWork(sql, LexerWorkLimit(sql.size())); }
bool Refused(const std::string& sql) { return Work(sql) > LexerWorkLimit(sql.size()); }

TEST(LexerWorkTest, RunsThatTheLexerRescansAreRefused) {
  // Nested comments: 8k pairs took libpg_query 1.3 s, 100k pairs minutes.
  EXPECT_TRUE(Refused("select 1 " + Repeat("/*", 8000) + Repeat("*/", 8000)));
  EXPECT_TRUE(Refused("select 1 " + Repeat("/*", 40000) + Repeat("*/", 40000)));
  // Adjacent tiny comments, unterminated ones, and operators that shed their trailing +/-.
  EXPECT_TRUE(Refused("select 1 " + Repeat("/**/", 8000)));
  EXPECT_TRUE(Refused("select 1 /* " + Repeat("/*+", 6000)));
  EXPECT_TRUE(Refused("select 1 " + Repeat("+-", 8000) + "1"));
  EXPECT_TRUE(Refused("select 1 " + Repeat("+/*", 6000)));
}

TEST(LexerWorkTest, OrdinaryTextCostsAboutItsLength) {
  const std::string texts[] = {
      "select 1 " + Repeat("/* c */ ", 20000),      // many comments, spaced
      "/" + Repeat("*", 100000) + "/ select 1",     // a banner comment
      "select 1 -- " + Repeat("-", 100000) + "\n",  // a banner line
      "select '" + Repeat("+-/*", 40000) + "'",     // operators inside a string
      "select $$" + Repeat("/*", 40000) + "$$",     // and a dollar-quoted one
      "select 1 " + Repeat("<", 100000),            // "operator too long" at once
      "select " + Repeat("1 + ", 40000) + "1",
      "select a from t where a in (" + Repeat("1, ", 50000) + "2)",
  };
  for (const std::string& sql : texts) {
    EXPECT_LE(Work(sql), 4 * sql.size()) << sql.substr(0, 40);
    EXPECT_FALSE(Refused(sql)) << sql.substr(0, 40);
  }
  // Nesting is quadratic in itself, but a few hundred levels cost little.
  EXPECT_FALSE(Refused("select 1 " + Repeat("/*", 300) + Repeat("*/", 300)));
}

TEST(LexerWorkTest, ParseRefusesWithStatementTooComplex) {
  auto parsed = Parse("select 1 " + Repeat("/*", 50000) + Repeat("*/", 50000));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().sqlstate, sqlstate::kStatementTooComplex);
  EXPECT_EQ(parsed.error().message, "query text is too complex to scan");
  // Nested comments PostgreSQL users write still parse.
  EXPECT_TRUE(Parse("select 1 /* a /* b /* c */ */ */, 2 /**/ /***/"));
}

}  // namespace
}  // namespace sqlrite::engine::sql
