// The binder and evaluator on hand-built trees (the parser is tested in engine/sql/).

#include "engine/expression.h"

#include <gtest/gtest.h>

#include "engine/engine.h"

namespace sqlrite::engine {
namespace {

using ast::BinaryOp;

ast::ExprPtr Node(auto node, int location = -1) {
  auto e = std::make_unique<ast::Expr>();
  e->node = std::move(node);
  e->location = location;
  return e;
}
ast::ExprPtr Int(int64_t v) { return Node(ast::IntLiteral{v}); }
ast::ExprPtr Str(std::string s, int location = -1) {
  return Node(ast::StringLiteral{std::move(s)}, location);
}
ast::ExprPtr Null() { return Node(ast::NullLiteral{}); }
ast::ExprPtr Bool(bool b) { return Node(ast::BoolLiteral{b}); }
ast::ExprPtr Col(std::string name, int location = -1) {
  return Node(ast::ColumnRef{"", std::move(name)}, location);
}
ast::ExprPtr Bin(BinaryOp op, ast::ExprPtr l, ast::ExprPtr r, int location = -1) {
  return Node(ast::Binary{op, std::move(l), std::move(r)}, location);
}

class ExpressionTest : public ::testing::Test {
 protected:
  Scope scope_ = {{"t", "a", {TypeId::kInt4, -1}},
                  {"t", "b", {TypeId::kText, -1}},
                  {"t", "c", {TypeId::kBool, -1}}};
  Row row_ = {Datum(int64_t{7}), Datum(std::string("x")), Datum{}};

  Result<Datum> Run(const ast::ExprPtr& e) {
    Binder binder(scope_);
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, binder.Bind(*e));
    return Eval(b, EvalContext{row_.data(), nullptr});
  }
  Result<BoundExpr> BindOnly(const ast::ExprPtr& e) {
    Binder binder(scope_);
    return binder.Bind(*e);
  }
};

TEST_F(ExpressionTest, IntegerArithmeticKeepsInt4AndDividesToInteger) {
  auto b = BindOnly(Bin(BinaryOp::kDiv, Col("a"), Int(2)));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->type.id, TypeId::kInt4);
  EXPECT_EQ(*Run(Bin(BinaryOp::kDiv, Col("a"), Int(2))), Datum(int64_t{3}));
}

TEST_F(ExpressionTest, Int4OverflowIsAnError) {
  auto r = Run(Bin(BinaryOp::kAdd, Int(2147483647), Col("a")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kNumericValueOutOfRange);
  EXPECT_EQ(r.error().message, "integer out of range");
}

TEST_F(ExpressionTest, Int8MixPromotes) {
  auto b = BindOnly(Bin(BinaryOp::kAdd, Col("a"), Int(int64_t{1} << 40)));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->type.id, TypeId::kInt8);
}

TEST_F(ExpressionTest, DivisionByZero) {
  auto r = Run(Bin(BinaryOp::kDiv, Col("a"), Int(0)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kDivisionByZero);
  EXPECT_EQ(r.error().message, "division by zero");
}

TEST_F(ExpressionTest, UnknownLiteralCoercesToColumnType) {
  EXPECT_EQ(*Run(Bin(BinaryOp::kEq, Col("a"), Str("7"))), Datum(true));
  auto r = Run(Bin(BinaryOp::kEq, Col("a"), Str("abc", 10)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(r.error().message, "invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(r.error().position, 11);
}

TEST_F(ExpressionTest, ComparingIntegerWithTextIsAnOperatorError) {
  auto r = BindOnly(Bin(BinaryOp::kEq, Col("a"), Col("b"), 4));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kUndefinedFunction);
  EXPECT_EQ(r.error().message, "operator does not exist: integer = text");
  EXPECT_EQ(r.error().hint,
            "No operator matches the given name and argument types. You might need to add "
            "explicit type casts.");
  EXPECT_EQ(r.error().position, 5);
}

ast::ExprPtr MinMax(bool least, std::vector<ast::ExprPtr> args, int location = -1) {
  return Node(ast::MinMax{std::move(args), least}, location);
}
template <typename... A>
std::vector<ast::ExprPtr> Args(A... a) {
  std::vector<ast::ExprPtr> v;
  (v.push_back(std::move(a)), ...);
  return v;
}

TEST_F(ExpressionTest, GreatestAndLeastSkipNullsInTheCommonType) {
  auto g = BindOnly(MinMax(false, Args(Col("a"), Null(), Node(ast::NumericLiteral{"7.5"}))));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->kind, ExprKind::kMinMax);
  EXPECT_EQ(g->type.id, TypeId::kNumeric);  // integer beside numeric: numeric, as UNION's
  EXPECT_EQ(DatumAs<NumericRef>(
                *Run(MinMax(false, Args(Col("a"), Null(), Node(ast::NumericLiteral{"7.5"})))))
                ->ToString(),
            "7.5");
  EXPECT_EQ(*Run(MinMax(true, Args(Col("a"), Int(3), Null()))), Datum(int64_t{3}));
  EXPECT_EQ(*Run(MinMax(true, Args(Str("b"), Col("b"), Str("c")))), Datum(std::string("b")));
  EXPECT_TRUE(IsNull(*Run(MinMax(false, Args(Null(), Null())))));
  EXPECT_TRUE(IsNull(*Run(MinMax(false, Args(Col("c"))))));
}

TEST_F(ExpressionTest, GreatestOfUnmatchedTypesFailsAsPostgres) {
  auto r = BindOnly(MinMax(false, Args(Int(1), Col("b", 11)), 7));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kDatatypeMismatch);
  EXPECT_EQ(r.error().message, "GREATEST types integer and text cannot be matched");
  r = BindOnly(MinMax(true, Args(Str("x", 9), Int(1))));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(r.error().message, "invalid input syntax for type integer: \"x\"");
}

// Cases checked against PostgreSQL 15 (errorMissingColumn's fuzzy match).
TEST(SuggestColumnsTest, NamesTheOneOrTwoClosestColumns) {
  const Scope q = {{"q", "ab", {TypeId::kInt4, -1}},
                   {"q", "ac", {TypeId::kInt4, -1}},
                   {"q", "name", {TypeId::kText, -1}},
                   {"q", "id", {TypeId::kInt4, -1}}};
  auto suggest = [](const Scope& scope, std::string table, std::string column) {
    return SuggestColumns(scope, ast::ColumnRef{std::move(table), std::move(column)});
  };
  EXPECT_EQ(suggest(q, "", "nope"), "Perhaps you meant to reference the column \"q.name\".");
  EXPECT_EQ(suggest(q, "", "ids"), "Perhaps you meant to reference the column \"q.id\".");
  EXPECT_EQ(suggest(q, "q", "nme"), "Perhaps you meant to reference the column \"q.name\".");
  EXPECT_EQ(suggest(q, "", "aa"),
            "Perhaps you meant to reference the column \"q.ab\" or the column \"q.ac\".");
  EXPECT_EQ(suggest(q, "", "x"), "");
  EXPECT_EQ(suggest(q, "", "a"), "");  // one edit, but more than half of "a"
  Scope twice = {{"q1", "ab", {TypeId::kInt4, -1}},
                 {"q1", "ac", {TypeId::kInt4, -1}},
                 {"q2", "ab", {TypeId::kInt4, -1}},
                 {"q2", "ac", {TypeId::kInt4, -1}}};
  EXPECT_EQ(suggest(twice, "", "aa"), "");  // four equally close names: no guess
  EXPECT_EQ(suggest(twice, "q1", "aa"),
            "Perhaps you meant to reference the column \"q1.ab\" or the column \"q1.ac\".");
}

TEST_F(ExpressionTest, UnknownColumnHasPosition) {
  auto r = BindOnly(Col("zz", 7));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kUndefinedColumn);
  EXPECT_EQ(r.error().message, "column \"zz\" does not exist");
  EXPECT_EQ(r.error().position, 8);
}

TEST_F(ExpressionTest, ThreeValuedLogic) {
  EXPECT_EQ(*Run(Bin(BinaryOp::kAnd, Col("c"), Bool(false))), Datum(false));
  EXPECT_TRUE(IsNull(*Run(Bin(BinaryOp::kAnd, Col("c"), Bool(true)))));
  EXPECT_EQ(*Run(Bin(BinaryOp::kOr, Col("c"), Bool(true))), Datum(true));
  EXPECT_TRUE(IsNull(*Run(Bin(BinaryOp::kOr, Col("c"), Bool(false)))));
  EXPECT_TRUE(IsNull(*Run(Node(ast::Unary{ast::UnaryOp::kNot, Col("c")}))));
  EXPECT_TRUE(IsNull(*Run(Bin(BinaryOp::kEq, Col("a"), Null()))));
  EXPECT_EQ(*Run(Node(ast::IsNullTest{Col("c"), false})), Datum(true));
}

ast::ExprPtr Distinct(ast::ExprPtr l, ast::ExprPtr r, bool negated) {
  return Node(ast::DistinctFrom{std::move(l), std::move(r), negated});
}

TEST_F(ExpressionTest, IsDistinctFromTreatsNullAsAValue) {
  EXPECT_EQ(*Run(Distinct(Col("a"), Null(), false)), Datum(true));
  EXPECT_EQ(*Run(Distinct(Col("a"), Int(7), false)), Datum(false));
  EXPECT_EQ(*Run(Distinct(Col("a"), Int(7), true)), Datum(true));
  EXPECT_EQ(*Run(Distinct(Col("c"), Null(), true)), Datum(true));
  EXPECT_EQ(*Run(Distinct(Col("c"), Bool(false), false)), Datum(true));
  EXPECT_EQ(*Run(Distinct(Null(), Null(), false)), Datum(false)) << "folded, yet never NULL";
  EXPECT_EQ(*Run(Distinct(Null(), Null(), true)), Datum(true));
  // Each operand is bound (and so evaluated) once: no duplicated subtree.
  auto b = BindOnly(Distinct(Col("a"), Col("a"), false));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->kind, ExprKind::kDistinct);
  EXPECT_EQ(b->type.id, TypeId::kBool);
  ASSERT_EQ(b->args.size(), 2u);
  EXPECT_EQ(b->args[0].kind, ExprKind::kColumn);
}

TEST_F(ExpressionTest, IsDistinctFromResolvesAsEquals) {
  auto r = Run(Distinct(Col("a"), Col("b"), false));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "42883");
  EXPECT_EQ(r.error().message, "operator does not exist: integer = text");
}

TEST_F(ExpressionTest, BetweenSymmetricTakesTheBoundsInEitherOrder) {
  auto between = [&](ast::ExprPtr lo, ast::ExprPtr hi, bool negated) {
    return Node(ast::Between{Col("a"), std::move(lo), std::move(hi), negated, true});
  };
  EXPECT_EQ(*Run(between(Int(10), Int(1), false)), Datum(true));
  EXPECT_EQ(*Run(between(Int(1), Int(10), false)), Datum(true));
  EXPECT_EQ(*Run(between(Int(10), Int(1), true)), Datum(false));
  EXPECT_EQ(*Run(between(Int(10), Int(8), false)), Datum(false));
  EXPECT_TRUE(IsNull(*Run(between(Null(), Int(10), false))));
  EXPECT_EQ(*Run(Node(ast::Between{Col("a"), Int(10), Int(1), false})), Datum(false))
      << "plain BETWEEN keeps its order";
}

TEST_F(ExpressionTest, InListWithNullIsUnknownWhenNoMatch) {
  std::vector<ast::ExprPtr> items;
  items.push_back(Int(1));
  items.push_back(Null());
  EXPECT_TRUE(IsNull(*Run(Node(ast::InList{Col("a"), std::move(items), false}))));
  std::vector<ast::ExprPtr> hit;
  hit.push_back(Int(7));
  hit.push_back(Null());
  EXPECT_EQ(*Run(Node(ast::InList{Col("a"), std::move(hit), false})), Datum(true));
}

TEST_F(ExpressionTest, ConcatFormatsNonText) {
  EXPECT_EQ(*Run(Bin(BinaryOp::kConcat, Col("b"), Col("a"))), Datum(std::string("x7")));
}

TEST_F(ExpressionTest, LikeMatchesWildcards) {
  EXPECT_EQ(*Run(Node(ast::Like{Str("hello"), Str("h%l_o"), false, false})), Datum(true));
  EXPECT_EQ(*Run(Node(ast::Like{Str("hello"), Str("h%x"), false, false})), Datum(false));
  EXPECT_EQ(*Run(Node(ast::Like{Str("HeLLo"), Str("hello"), false, true})), Datum(true));
}

TEST_F(ExpressionTest, AssignmentOfTextToIntegerColumnIsRejected) {
  auto b = BindOnly(Col("b"));
  ASSERT_TRUE(b);
  auto r = CoerceForAssignment(std::move(*b), {TypeId::kInt4, -1}, "a", 3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kDatatypeMismatch);
  EXPECT_EQ(r.error().message, "column \"a\" is of type integer but expression is of type text");
  EXPECT_EQ(r.error().hint, "You will need to rewrite or cast the expression.");
}

TEST_F(ExpressionTest, VarcharLengthIsChecked) {
  auto r = ParseText("toolong", {TypeId::kVarchar, 5 + 4});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kStringDataRightTruncation);
  EXPECT_EQ(r.error().message, "value too long for type character varying(5)");
  auto cast = CastDatum(Datum(std::string("toolong")), TypeId::kText, {TypeId::kVarchar, 9}, true);
  ASSERT_TRUE(cast);
  EXPECT_EQ(*cast, Datum(std::string("toolo")));
}

TEST_F(ExpressionTest, ParseTextInputFunctions) {
  EXPECT_EQ(*ParseText(" 12 ", {TypeId::kInt4, -1}), Datum(int64_t{12}));
  EXPECT_FALSE(ParseText("3000000000", {TypeId::kInt4, -1}));
  EXPECT_EQ(*ParseText("3000000000", {TypeId::kInt8, -1}), Datum(int64_t{3000000000}));
  EXPECT_EQ(*ParseText("yes", {TypeId::kBool, -1}), Datum(true));
  EXPECT_EQ(*ParseText("f", {TypeId::kBool, -1}), Datum(false));
  EXPECT_EQ(*ParseText("1.5e3", {TypeId::kFloat8, -1}), Datum(1500.0));
  EXPECT_FALSE(ParseText("1.5x", {TypeId::kFloat8, -1}));
}

TEST_F(ExpressionTest, CastRoundsFloatToEvenAndNumericAway) {
  EXPECT_EQ(*CastDatum(Datum(2.5), TypeId::kFloat8, {TypeId::kInt4, -1}, true), Datum(int64_t{2}));
  EXPECT_EQ(
      *CastDatum(NumericDatum(*Numeric::Parse("3.5")), TypeId::kNumeric, {TypeId::kInt4, -1}, true),
      Datum(int64_t{4}));
}

TEST_F(ExpressionTest, ColumnNamesAsPostgres) {
  EXPECT_EQ(FigureColumnName(*Col("a")), "a");
  EXPECT_EQ(FigureColumnName(*Int(1)), "?column?");
  // PostgreSQL 15 parses true/false as constants (A_Const), not as casts to bool.
  EXPECT_EQ(FigureColumnName(*Bool(true)), "?column?");
  EXPECT_EQ(FigureColumnName(*Node(ast::Cast{Str("1"), {TypeId::kInt4, -1}})), "int4");
  EXPECT_EQ(FigureColumnName(*Node(ast::FuncCall{"count", {}, true, false})), "count");
}

}  // namespace
}  // namespace sqlrite::engine
