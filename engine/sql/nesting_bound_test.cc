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

}  // namespace
}  // namespace sqlrite::engine::sql
