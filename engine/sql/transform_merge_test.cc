// MERGE's transformation (transform_merge.cc): the join it builds and its WHEN clauses.

#include <gtest/gtest.h>

#include "engine/sql/parser_test_util.h"

namespace sqlrite::engine::sql {
namespace {

using testing::ParseAs;
using testing::ParseError;
using testing::Show;

TEST(MergeTest, TheJoinIsTheMarkedTargetRightJoinedWithTheSource) {
  auto m = ParseAs<ast::Merge>(
      "merge into public.tgt as t using src s on t.id = s.id "
      "when matched then delete");
  EXPECT_EQ(m.table.table.name, "tgt");
  EXPECT_EQ(m.table.alias, "t");
  ASSERT_NE(m.join_query, nullptr);
  ASSERT_EQ(m.join_query->from.size(), 1u);
  const ast::TableRef& from = m.join_query->from[0];
  ASSERT_NE(from.join, nullptr);
  EXPECT_EQ(from.join->type, ast::JoinType::kRight);
  EXPECT_EQ(Show(from.join->on), "(= t.id s.id)");
  // The target's side: SELECT *, <marker> FROM tgt, named as the target is.
  const ast::TableRef& target = from.join->left;
  ASSERT_NE(target.subquery, nullptr);
  EXPECT_EQ(target.alias, "t");
  ASSERT_EQ(target.subquery->from.size(), 1u);
  EXPECT_EQ(target.subquery->from[0].table.name, "tgt");
  EXPECT_EQ(target.subquery->from[0].alias, "");
  ASSERT_EQ(target.subquery->items.size(), 2u);
  EXPECT_TRUE(target.subquery->items[0].star);
  EXPECT_EQ(Show(target.subquery->items[1].expr), "true");
  EXPECT_EQ(target.subquery->items[1].alias.find('\0'), 0u);  // no identifier can name it
  EXPECT_EQ(from.join->right.table.name, "src");
  EXPECT_EQ(from.join->right.alias, "s");
}

TEST(MergeTest, TheTargetWithoutAliasIsNamedByItsTable) {
  auto m = ParseAs<ast::Merge>(
      "merge into tgt using src on tgt.id = src.id when matched then "
      "do nothing");
  EXPECT_EQ(m.join_query->from[0].join->left.alias, "tgt");
  ASSERT_EQ(m.whens.size(), 1u);
  EXPECT_EQ(m.whens[0].kind, ast::MergeWhen::Kind::kNothing);
}

TEST(MergeTest, WhenClausesKeepTheirOrderKindsAndConditions) {
  auto m = ParseAs<ast::Merge>(
      "merge into t using s on t.a = s.a "
      "when matched and s.b > 1 then update set b = s.b, c = default "
      "when matched then delete "
      "when not matched and s.b is null then insert (a, b) overriding system value values "
      "(s.a, 1) "
      "when not matched then insert default values");
  ASSERT_EQ(m.whens.size(), 4u);
  EXPECT_TRUE(m.whens[0].matched);
  EXPECT_EQ(m.whens[0].kind, ast::MergeWhen::Kind::kUpdate);
  EXPECT_EQ(Show(m.whens[0].condition), "(> s.b 1)");
  ASSERT_EQ(m.whens[0].assignments.size(), 2u);
  EXPECT_EQ(m.whens[0].assignments[0].column, "b");
  EXPECT_EQ(Show(m.whens[0].assignments[0].value), "s.b");
  EXPECT_EQ(m.whens[0].assignments[1].column, "c");
  EXPECT_EQ(m.whens[1].kind, ast::MergeWhen::Kind::kDelete);
  EXPECT_EQ(m.whens[1].condition, nullptr);
  EXPECT_FALSE(m.whens[2].matched);
  EXPECT_EQ(m.whens[2].kind, ast::MergeWhen::Kind::kInsert);
  EXPECT_EQ(m.whens[2].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(m.whens[2].column_locations.size(), 2u);
  EXPECT_EQ(m.whens[2].overriding, ast::Overriding::kSystemValue);
  ASSERT_EQ(m.whens[2].values.size(), 2u);
  EXPECT_EQ(Show(m.whens[2].values[1]), "1");
  EXPECT_FALSE(m.whens[2].default_values);
  EXPECT_TRUE(m.whens[3].default_values);
  EXPECT_TRUE(m.whens[3].values.empty());
}

TEST(MergeTest, WithQueriesBelongToTheJoin) {
  auto m = ParseAs<ast::Merge>(
      "with w as (select 1 as a) merge into t using w on t.a = w.a "
      "when not matched then insert values (w.a)");
  ASSERT_EQ(m.join_query->with.size(), 1u);
  EXPECT_EQ(m.join_query->with[0].name, "w");
}

TEST(MergeTest, PostgreSQL15sGrammarRefusesTheRest) {
  EXPECT_EQ(
      ParseError("merge into t using s on t.a = s.a when matched then insert values (1)").sqlstate,
      "42601");
  EXPECT_EQ(ParseError("merge into t using s on t.a = s.a when not matched then update set a = 1")
                .sqlstate,
            "42601");
  EXPECT_EQ(
      ParseError("merge into t using s on t.a = s.a when matched then delete returning *").sqlstate,
      "42601");
}

TEST(MergeTest, CopyRefusesItAsPostgreSQL15) {
  Error e = testing::StatementError(
      "copy (merge into t using s on t.a = s.a when matched then delete) to stdout");
  EXPECT_EQ(e.sqlstate, "0A000");
  EXPECT_EQ(e.message, "MERGE not supported in COPY");
}

}  // namespace
}  // namespace sqlrite::engine::sql
