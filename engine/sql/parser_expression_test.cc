// Expressions: literals, operators and precedence, predicates, functions, casts.

#include <gtest/gtest.h>

#include "engine/sql/parser_test_util.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::sql::parser_expression_test {
namespace {

using testing::ParseAs;
using testing::ParseOne;
using testing::ShowExpr;
using testing::StatementError;

TEST(ExpressionTest, Literals) {
  EXPECT_EQ(ShowExpr("42"), "42");
  EXPECT_EQ(ShowExpr("-5"), "-5");
  EXPECT_EQ(ShowExpr("3000000000"), "3000000000");
  EXPECT_EQ(ShowExpr("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(ShowExpr("99999999999999999999"), "num:99999999999999999999");
  EXPECT_EQ(ShowExpr("1.5"), "num:1.5");
  EXPECT_EQ(ShowExpr("1e10"), "num:1e10");
  EXPECT_EQ(ShowExpr("'abc'"), "'abc'");
  EXPECT_EQ(ShowExpr("'it''s'"), "'it's'");
  EXPECT_EQ(ShowExpr("E'a\\nb'"), "'a\nb'");
  EXPECT_EQ(ShowExpr("null"), "null");
  EXPECT_EQ(ShowExpr("true"), "true");
  EXPECT_EQ(ShowExpr("FALSE"), "false");
  EXPECT_EQ(ShowExpr("$3"), "$3");
}

TEST(ExpressionTest, ArithmeticPrecedence) {
  EXPECT_EQ(ShowExpr("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(ShowExpr("(1 + 2) * 3"), "(* (+ 1 2) 3)");
  EXPECT_EQ(ShowExpr("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(ShowExpr("10 / 2 % 3"), "(% (/ 10 2) 3)");
  EXPECT_EQ(ShowExpr("-a"), "(neg a)");
  EXPECT_EQ(ShowExpr("+a"), "(pos a)");
  EXPECT_EQ(ShowExpr("'a' || 'b' || c"), "(|| (|| 'a' 'b') c)");
}

TEST(ExpressionTest, Comparisons) {
  EXPECT_EQ(ShowExpr("a = 1"), "(= a 1)");
  EXPECT_EQ(ShowExpr("a <> 1"), "(<> a 1)");
  EXPECT_EQ(ShowExpr("a != 1"), "(<> a 1)");
  EXPECT_EQ(ShowExpr("a < 1"), "(< a 1)");
  EXPECT_EQ(ShowExpr("a <= 1"), "(<= a 1)");
  EXPECT_EQ(ShowExpr("a > 1"), "(> a 1)");
  EXPECT_EQ(ShowExpr("a >= 1 + 1"), "(>= a (+ 1 1))");
}

TEST(ExpressionTest, BooleanPrecedence) {
  EXPECT_EQ(ShowExpr("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(ShowExpr("a and b and c"), "(and (and a b) c)");
  EXPECT_EQ(ShowExpr("not a = 1 and b"), "(and (not (= a 1)) b)");
  EXPECT_EQ(ShowExpr("not (a or b)"), "(not (or a b))");
}

TEST(ExpressionTest, NullAndBooleanTests) {
  EXPECT_EQ(ShowExpr("a is null"), "(isnull a)");
  EXPECT_EQ(ShowExpr("a is not null"), "(notnull a)");
  EXPECT_EQ(ShowExpr("a isnull"), "(isnull a)");
  EXPECT_EQ(ShowExpr("a is true"), "(istrue a)");
  EXPECT_EQ(ShowExpr("a is not false"), "(isnotfalse a)");
  EXPECT_EQ(ShowExpr("a is unknown"), "(isunknown a)");
}

TEST(ExpressionTest, LikeInBetween) {
  EXPECT_EQ(ShowExpr("a like 'x%'"), "(like a 'x%')");
  EXPECT_EQ(ShowExpr("a not like 'x%'"), "(notlike a 'x%')");
  EXPECT_EQ(ShowExpr("a ilike 'x%'"), "(ilike a 'x%')");
  EXPECT_EQ(ShowExpr("a not ilike 'x%'"), "(notilike a 'x%')");
  EXPECT_EQ(ShowExpr("a in (1, 2, 3)"), "(in a 1 2 3)");
  EXPECT_EQ(ShowExpr("a not in (1)"), "(notin a 1)");
  EXPECT_EQ(ShowExpr("a between 1 and 2"), "(between a 1 2)");
  EXPECT_EQ(ShowExpr("a not between 1 and 2 + 1"), "(notbetween a 1 (+ 2 1))");
}

TEST(ExpressionTest, ColumnReferences) {
  EXPECT_EQ(ShowExpr("a"), "a");
  EXPECT_EQ(ShowExpr("T.A"), "t.a");
  EXPECT_EQ(ShowExpr("\"MixedCase\""), "MixedCase");
  EXPECT_EQ(ShowExpr("public.t.a"), "t.a");
  Error e = StatementError("select other.t.a");
  EXPECT_EQ(e.sqlstate, sqlstate::kUndefinedTable);
  EXPECT_EQ(e.message, "invalid reference to FROM-clause entry for table \"t\"");
  e = StatementError("select a.b.c.d.e");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "improper qualified name (too many dotted names): a.b.c.d.e");
  EXPECT_EQ(e.position, 8);
}

TEST(ExpressionTest, FunctionCalls) {
  EXPECT_EQ(ShowExpr("count(*)"), "(count *)");
  EXPECT_EQ(ShowExpr("count(distinct a)"), "(count distinct a)");
  EXPECT_EQ(ShowExpr("LOWER(a)"), "(lower a)");
  EXPECT_EQ(ShowExpr("pg_catalog.upper(a)"), "(upper a)");
  EXPECT_EQ(ShowExpr("sum(a + 1)"), "(sum (+ a 1))");
  EXPECT_EQ(ShowExpr("now()"), "(now)");
}

TEST(ExpressionTest, Casts) {
  EXPECT_EQ(ShowExpr("a::int"), "(cast a int4)");
  EXPECT_EQ(ShowExpr("cast(a as bigint)"), "(cast a int8)");
  EXPECT_EQ(ShowExpr("'1'::integer"), "(cast '1' int4)");
  EXPECT_EQ(ShowExpr("a::text"), "(cast a text)");
  EXPECT_EQ(ShowExpr("a::varchar(10)"), "(cast a varchar(14))");
  EXPECT_EQ(ShowExpr("a::double precision"), "(cast a float8)");
  EXPECT_EQ(ShowExpr("a::numeric(10,2)"), "(cast a numeric(655366))");
  EXPECT_EQ(ShowExpr("a::bool"), "(cast a bool)");
}

TEST(ExpressionTest, CaseAndCoalesce) {
  EXPECT_EQ(ShowExpr("case when a then 1 else 2 end"), "(case (when a 1) (else 2))");
  EXPECT_EQ(ShowExpr("case a when 1 then 'x' when 2 then 'y' end"),
            "(case a (when 1 'x') (when 2 'y'))");
  EXPECT_EQ(ShowExpr("coalesce(a, b, 0)"), "(coalesce a b 0)");
  EXPECT_EQ(ShowExpr("nullif(a, 0)"), "(case (when (= a 0) null) (else a))");
}

TEST(ExpressionTest, LocationsPointAtTheConstruct) {
  ast::Select s = ParseAs<ast::Select>("select a + 1, 'x'");
  EXPECT_EQ(s.items[0].expr->location, 9);  // the operator, as PostgreSQL records it
  EXPECT_EQ(s.items[1].expr->location, 14);
}

TEST(ExpressionTest, SubqueriesKeepTheirKindOperatorAndQuery) {
  EXPECT_EQ(ShowExpr("a in (select b from u)"), "(subquery any = a)");
  EXPECT_EQ(ShowExpr("a not in (select b from u)"), "(not (subquery any = a))");
  EXPECT_EQ(ShowExpr("a < all (select b from u)"), "(subquery all < a)");
  EXPECT_EQ(ShowExpr("exists (select 1)"), "(subquery exists)");
  EXPECT_EQ(ShowExpr("(select 1) + 1"), "(+ (subquery scalar) 1)");
  ast::Select s = ParseAs<ast::Select>("select * from t where a in (select b from u where c)");
  const auto& link = std::get<ast::SubLink>(s.where->node);
  ASSERT_TRUE(link.query);
  EXPECT_EQ(link.query->from.size(), 1u);
  EXPECT_TRUE(link.query->where);
}

TEST(ExpressionTest, RowConstructorsKeepTheirItems) {
  EXPECT_EQ(ShowExpr("(a, b) < (1, 2)"), "(< (row a b) (row 1 2))");
  EXPECT_EQ(ShowExpr("row(a, 'x') = row(1)"), "(= (ROW a 'x') (ROW 1))");
  EXPECT_EQ(ShowExpr("(a, b) in ((1, 2), (3, 4))"), "(in (row a b) (row 1 2) (row 3 4))");
  EXPECT_EQ(ShowExpr("(a, b) in (select x, y from u)"), "(subquery any = (row a b))");
  EXPECT_EQ(ShowExpr("(a, b) = (select x, y from u)"), "(= (row a b) (subquery scalar))");
  EXPECT_EQ(ShowExpr("(a, b) is distinct from (1, 2)"), "(distinct (row a b) (row 1 2))");
}

TEST(ExpressionTest, LateralMarksASubqueryInFrom) {
  ast::Select s = ParseAs<ast::Select>(
      "select * from t, lateral (select t.a) x, (select 1) y, generate_series(1, t.n) g");
  ASSERT_EQ(s.from.size(), 4u);
  EXPECT_TRUE(s.from[1].lateral);
  EXPECT_FALSE(s.from[2].lateral);
  EXPECT_TRUE(s.from[3].function != nullptr);
  s = ParseAs<ast::Select>("select * from t left join lateral (select t.a) x on true");
  ASSERT_EQ(s.from.size(), 1u);
  ASSERT_TRUE(s.from[0].join != nullptr);
  EXPECT_TRUE(s.from[0].join->right.lateral);
}

TEST(ExpressionTest, WindowCallsKeepTheirSpecification) {
  ast::Statement st = ParseOne(
      "select sum(v) filter (where v > 0) over (w order by k rows between 2 preceding and "
      "current row exclude ties) from t window w as (partition by g)");
  ASSERT_TRUE(std::holds_alternative<ast::Select>(st));
  const auto& select = std::get<ast::Select>(st);
  ASSERT_EQ(select.windows.size(), 1u);
  EXPECT_EQ(select.windows[0].name, "w");
  EXPECT_EQ(select.windows[0].partition_by.size(), 1u);
  const auto& call = std::get<ast::FuncCall>(select.items[0].expr->node);
  ASSERT_TRUE(call.over);
  EXPECT_TRUE(call.filter);
  EXPECT_EQ(call.over->refname, "w");
  EXPECT_EQ(call.over->order_by.size(), 1u);
  EXPECT_TRUE(call.over->start_offset);
  EXPECT_FALSE(call.over->end_offset);
  const int expected = ast::kFrameNonDefault | ast::kFrameRows | ast::kFrameBetween |
                       ast::kFrameStartOffsetPreceding | ast::kFrameEndCurrentRow |
                       ast::kFrameExcludeTies;
  EXPECT_EQ(call.over->frame_options, expected);
}

TEST(ExpressionTest, ImpossibleFramesAreWindowingErrors) {
  Error e = testing::ParseError(
      "select sum(v) over (rows between unbounded following and current row) from t");
  EXPECT_EQ(e.sqlstate, sqlstate::kWindowingError);
  EXPECT_EQ(e.message, "frame start cannot be UNBOUNDED FOLLOWING");
}

TEST(ExpressionTest, UnsupportedConstructsNameThemselves) {
  Error e = StatementError("select * from t where a = array[[1, 2], [3, 4]]");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(e.message, "multidimensional arrays are not supported yet");

  e = StatementError("select a ~~~ b");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);

  e = StatementError("select 2 <-> 3");
  EXPECT_EQ(e.message, "operator <-> is not supported yet");
  EXPECT_EQ(e.position, 10);
}

TEST(ExpressionTest, GreatestLeastAndTheMathOperators) {
  EXPECT_EQ(ShowExpr("greatest(a, 1, null)"), "(greatest a 1 null)");
  EXPECT_EQ(ShowExpr("least(a)"), "(least a)");
  // ^ and the prefix operators are calls of the functions named by their symbols.
  EXPECT_EQ(ShowExpr("2 ^ a"), "(^ 2 a)");
  EXPECT_EQ(ShowExpr("|/ a"), "(|/ a)");
  EXPECT_EQ(ShowExpr("@ - a"), "(@ (neg a))");
}

TEST(ExpressionTest, NullSafeComparisonsBetweenSymmetricAndSimilarTo) {
  EXPECT_EQ(ShowExpr("a is distinct from b"), "(distinct a b)");
  EXPECT_EQ(ShowExpr("a is not distinct from null"), "(notdistinct a null)");
  EXPECT_EQ(ShowExpr("a between symmetric 1 and 2"), "(betweensym a 1 2)");
  EXPECT_EQ(ShowExpr("a not between symmetric 1 and 2"), "(notbetweensym a 1 2)");
  EXPECT_EQ(ShowExpr("a between 1 and 2"), "(between a 1 2)");
}

TEST(ExpressionTest, DefaultOutsideValuesIsRejected) {
  Error e = StatementError("select default");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "DEFAULT is not allowed in this context");
}

// A cast to a name no built-in type has keeps the name for the binder (an enum's, or 42704
// there).
TEST(ExpressionTest, UnknownTypeInCastIsKeptForTheBinder) {
  auto select = ParseAs<ast::Select>("select 1::foo");
  ASSERT_EQ(select.items.size(), 1u);
  const auto* cast = std::get_if<ast::Cast>(&select.items[0].expr->node);
  ASSERT_NE(cast, nullptr);
  EXPECT_EQ(cast->type.id, TypeId::kEnum);
  EXPECT_EQ(cast->type_name, "foo");
  Error e = StatementError("select 1::pg_catalog.foo");
  EXPECT_EQ(e.sqlstate, sqlstate::kUndefinedObject);
  EXPECT_EQ(e.message, "type \"foo\" does not exist");
}

// WITHIN GROUP keeps the call's direct arguments in args and its ordering in order_by.
TEST(ExpressionTest, WithinGroupMarksTheCallAndKeepsItsOrdering) {
  EXPECT_EQ(ShowExpr("percentile_cont(0.5) within group (order by x)"),
            "(percentile_cont num:0.5 (within group x))");
  EXPECT_EQ(ShowExpr("rank(1, 'a') within group (order by x desc, y)"),
            "(rank 1 'a' (within group x y))");
  auto select = ParseAs<ast::Select>("select mode() within group (order by x nulls first)");
  const auto* call = std::get_if<ast::FuncCall>(&select.items[0].expr->node);
  ASSERT_NE(call, nullptr);
  EXPECT_TRUE(call->within_group);
  EXPECT_TRUE(call->args.empty());
  ASSERT_EQ(call->order_by.size(), 1u);
  EXPECT_EQ(call->order_by[0].nulls_first, std::optional<bool>(true));
  auto plain = ParseAs<ast::Select>("select string_agg(x, ',' order by x)");
  EXPECT_FALSE(std::get<ast::FuncCall>(plain.items[0].expr->node).within_group);
}

// GROUP BY's grouping sets and GROUPING() are nodes of their own; a quoted "rollup"(x) stays a
// function call.
TEST(ExpressionTest, GroupingSetsAndGroupingAreNodesOfTheirOwn) {
  auto select = ParseAs<ast::Select>(
      "select grouping(a, b) from t group by rollup (a, (b, c)), cube (a), "
      "grouping sets (a, rollup (b), ()), \"rollup\"(a)");
  EXPECT_EQ(testing::Show(*select.items[0].expr), "(grouping a b)");
  ASSERT_EQ(select.group_by.size(), 4u);
  EXPECT_EQ(testing::Show(*select.group_by[0]), "(rollup a (row b c))");
  EXPECT_EQ(testing::Show(*select.group_by[1]), "(cube a)");
  EXPECT_EQ(testing::Show(*select.group_by[2]), "(sets a (rollup b) (empty))");
  EXPECT_EQ(testing::Show(*select.group_by[3]), "(rollup a)");
  EXPECT_TRUE(std::holds_alternative<ast::FuncCall>(select.group_by[3]->node));
  EXPECT_FALSE(select.group_distinct);
  EXPECT_TRUE(
      ParseAs<ast::Select>("select 1 from t group by distinct a, rollup (b)").group_distinct);
}

}  // namespace
}  // namespace sqlrite::engine::sql::parser_expression_test
