// The registry's resolution rules and the functions' edge cases (the differential test,
// tests/diff/cases/functions.sql, compares them with PostgreSQL 15 end to end).

#include "engine/functions/builtin.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

using type_shorthands::kBool;
using type_shorthands::kInt2;
using type_shorthands::kInt4;
using type_shorthands::kInt8;
using type_shorthands::kNumeric;
using type_shorthands::kText;
using type_shorthands::kUnknown;
using type_shorthands::kVarchar;

const Builtin* R(std::string_view name, std::vector<TypeId> args) { return Resolve(name, args).fn; }

// Calls name(values...) with the resolved overload's parameter types (the binder's coercions).
Result<Datum> Call(std::string_view name, std::vector<TypeId> arg_types,
                   std::vector<Datum> values) {
  const Builtin* fn = R(name, arg_types);
  EXPECT_NE(fn, nullptr) << name;
  if (fn == nullptr) return Datum{};
  std::vector<SqlType> types;
  for (size_t i = 0; i < arg_types.size(); ++i) {
    types.push_back(SqlType{i < fn->nparams ? fn->params[i] : arg_types[i]});
  }
  return fn->impl(CallArgs{values, types});
}

std::string Text(std::string_view name, std::vector<TypeId> arg_types, std::vector<Datum> values) {
  Result<Datum> r = Call(name, std::move(arg_types), std::move(values));
  if (!r) return "ERROR " + r.error().sqlstate + ": " + r.error().message;
  return IsNull(*r) ? "NULL" : FormatText(*r, TypeId::kText);
}

int64_t Int(std::string_view name, std::vector<TypeId> arg_types, std::vector<Datum> values) {
  Result<Datum> r = Call(name, std::move(arg_types), std::move(values));
  EXPECT_TRUE(r.has_value());
  return r ? DatumAs<int64_t>(*r) : -1;
}

Datum S(const char* s) { return Datum(std::string(s)); }
Datum I(int64_t i) { return Datum(i); }

TEST(BuiltinResolution, ExactThenImplicitCastsThenPreferredTypes) {
  EXPECT_EQ(R("to_hex", {kInt4})->params[0], kInt4);
  EXPECT_EQ(R("to_hex", {kInt8})->params[0], kInt8);
  // int2 widens to int4 and int8 alike, and an unknown literal fits both; neither is exact or
  // preferred: PostgreSQL 15 says "function to_hex(unknown) is not unique" and so do we.
  EXPECT_TRUE(Resolve("to_hex", std::vector<TypeId>{kUnknown}).ambiguous);
  EXPECT_TRUE(Resolve("gcd", std::vector<TypeId>{kInt2, kInt2}).ambiguous);
  EXPECT_FALSE(Resolve("gcd", std::vector<TypeId>{kInt4, kInt2}).ambiguous);
  EXPECT_EQ(R("substr", {kUnknown, kInt8}), nullptr) << "bigint does not narrow implicitly";
  ASSERT_NE(R("substr", {kVarchar, kInt4}), nullptr);
  EXPECT_EQ(R("substr", {kVarchar, kInt4})->params[0], kText);
  EXPECT_EQ(R("substr", {kUnknown, kInt2, kInt4})->nparams, 3);
  EXPECT_EQ(R("lpad", {kText, kInt4}), R("lpad", {kUnknown, kInt4}));
  EXPECT_EQ(R("cbrt", {kNumeric})->params[0], TypeId::kFloat8);
  EXPECT_EQ(R("substr", {kText, kText}), nullptr) << "text does not cast to int implicitly";
  EXPECT_EQ(R("substr", {kBool, kInt4}), nullptr);
  EXPECT_EQ(R("nope", {}), nullptr);
  EXPECT_EQ(R("concat", {}), nullptr) << "VARIADIC needs one argument";
  EXPECT_NE(R("concat", {kInt4, kBool, kUnknown}), nullptr);
}

TEST(BuiltinResolution, ImplicitCastsFollowPgCast) {
  EXPECT_TRUE(ImplicitlyCastable(kInt2, kInt8));
  EXPECT_TRUE(ImplicitlyCastable(kInt8, kNumeric));
  EXPECT_TRUE(ImplicitlyCastable(kNumeric, TypeId::kFloat8));
  EXPECT_FALSE(ImplicitlyCastable(kNumeric, kInt8));
  EXPECT_FALSE(ImplicitlyCastable(TypeId::kFloat8, TypeId::kFloat4));
  EXPECT_TRUE(ImplicitlyCastable(kVarchar, kText));
  EXPECT_TRUE(ImplicitlyCastable(TypeId::kBpchar, kText));  // char(n) -> text, padding dropped
  EXPECT_FALSE(ImplicitlyCastable(kInt4, kText));
}

TEST(StringFunctions, PositionsCountCharacters) {
  EXPECT_EQ(Text("substr", {kText, kInt4, kInt4}, {S("hello"), I(2), I(3)}), "ell");
  EXPECT_EQ(Text("substr", {kText, kInt4, kInt4}, {S("hello"), I(0), I(3)}), "he");
  EXPECT_EQ(Text("substr", {kText, kInt4, kInt4}, {S("hello"), I(-5), I(3)}), "");
  EXPECT_EQ(Text("substr", {kText, kInt4}, {S("héllo"), I(2)}), "éllo");
  EXPECT_EQ(Text("substr", {kText, kInt4, kInt4}, {S("hello"), I(1), I(-1)}),
            "ERROR 22011: negative substring length not allowed");
  EXPECT_EQ(Int("strpos", {kText, kText}, {S("héllo"), S("l")}), 3);
  EXPECT_EQ(Int("strpos", {kText, kText}, {S("hello"), S("")}), 1);
  EXPECT_EQ(Text("left", {kText, kInt4}, {S("hello"), I(-2)}), "hel");
  EXPECT_EQ(Text("right", {kText, kInt4}, {S("hello"), I(-2)}), "llo");
  EXPECT_EQ(Text("right", {kText, kInt4}, {S("héllo"), I(4)}), "éllo");
  EXPECT_EQ(Text("reverse", {kText}, {S("aé€")}), "€éa");
  EXPECT_EQ(Int("ascii", {kText}, {S("é")}), 233);
  EXPECT_EQ(Text("chr", {kInt4}, {I(8364)}), "€");
  EXPECT_EQ(Text("chr", {kInt4}, {I(0)}), "ERROR 54000: null character not permitted");
}

TEST(StringFunctions, PaddingTrimmingAndSplitting) {
  EXPECT_EQ(Text("lpad", {kText, kInt4, kText}, {S("5"), I(3), S("0")}), "005");
  EXPECT_EQ(Text("rpad", {kText, kInt4, kText}, {S("ab"), I(5), S("xy")}), "abxyx");
  EXPECT_EQ(Text("lpad", {kText, kInt4}, {S("hello"), I(3)}), "hel");
  EXPECT_EQ(Text("rpad", {kText, kInt4, kText}, {S("ab"), I(5), S("")}), "ab");
  EXPECT_EQ(Text("btrim", {kText, kText}, {S("xxaxx"), S("x")}), "a");
  EXPECT_EQ(Text("ltrim", {kText}, {S("  a  ")}), "a  ");
  EXPECT_EQ(Text("rtrim", {kText}, {S("  a  ")}), "  a");
  EXPECT_EQ(Text("split_part", {kText, kText, kInt4}, {S("a,b,c"), S(","), I(2)}), "b");
  EXPECT_EQ(Text("split_part", {kText, kText, kInt4}, {S("a,b,c"), S(","), I(-1)}), "c");
  EXPECT_EQ(Text("split_part", {kText, kText, kInt4}, {S("a,b,c"), S(","), I(5)}), "");
  EXPECT_EQ(Text("split_part", {kText, kText, kInt4}, {S("abc"), S(""), I(1)}), "abc");
  EXPECT_EQ(Text("split_part", {kText, kText, kInt4}, {S("a"), S(","), I(0)}),
            "ERROR 22023: field position must not be zero");
  EXPECT_EQ(Text("translate", {kText, kText, kText}, {S("12345"), S("143"), S("ax")}), "a2x5");
  EXPECT_EQ(Text("replace", {kText, kText, kText}, {S("abcabc"), S("b"), S("XX")}), "aXXcaXXc");
  EXPECT_EQ(Text("repeat", {kText, kInt4}, {S("ab"), I(1 << 30)}),
            "ERROR 54000: requested length too large");
}

TEST(StringFunctions, VariadicAnyFormatsEachArgumentByItsType) {
  EXPECT_EQ(Text("concat", {kText, kInt4, kText, kBool}, {S("a"), I(1), Datum{}, Datum(true)}),
            "a1t");
  EXPECT_EQ(Text("concat_ws", {kText, kText, kText, kInt4}, {S("-"), S("a"), Datum{}, I(2)}),
            "a-2");
  EXPECT_EQ(Text("concat_ws", {kText, kText}, {Datum{}, S("a")}), "NULL");
  EXPECT_EQ(Int("num_nulls", {kInt4, kText, kText}, {I(1), Datum{}, Datum{}}), 2);
}

TEST(FormatFunction, ConversionsPositionsAndWidths) {
  EXPECT_EQ(Text("format", {kUnknown}, {S("100%% sure")}), "100% sure");
  EXPECT_EQ(Text("format", {kUnknown, kText, kInt4}, {S("%s-%s"), S("a"), I(7)}), "a-7");
  EXPECT_EQ(Text("format", {kUnknown, kText, kText}, {S("%2$s %1$s %s"), S("a"), S("b")}), "b a b");
  EXPECT_EQ(Text("format", {kUnknown, kText}, {S("[%5s|%-5s]"), S("ab")}),
            "ERROR 22023: too few arguments for format()");
  EXPECT_EQ(Text("format", {kUnknown, kText, kText}, {S("[%5s|%-5s]"), S("ab"), S("é")}),
            "[   ab|é    ]");
  EXPECT_EQ(Text("format", {kUnknown, kInt4, kText, kInt4, kText},
                 {S("[%*s|%*s]"), I(4), S("x"), I(-3), S("y")}),
            "[   x|y  ]");
  EXPECT_EQ(Text("format", {kUnknown, kText, kInt4}, {S("[%*2s]"), S("x"), I(3)}),
            "ERROR 22023: width argument position must be ended by \"$\"");
  // The width argument is consumed: the value is the argument after it.
  EXPECT_EQ(Text("format", {kUnknown, kInt4, kText}, {S("[%*1$s]"), I(3), S("x")}), "[  x]");
  EXPECT_EQ(Text("format", {kUnknown, kText, kInt4}, {S("[%1$*2$s]"), S("x"), I(3)}), "[  x]");
  EXPECT_EQ(Text("format", {kUnknown, kText, kText}, {S("%I.%I"), S("Tab"), S("col")}),
            "\"Tab\".col");
  EXPECT_EQ(Text("format", {kUnknown, kText, kInt4}, {S("%L %L"), S("it's"), I(5)}), "'it''s' '5'");
}

TEST(FormatFunction, NullsAndErrorsAsPostgreSQL) {
  EXPECT_EQ(Text("format", {kText, kText}, {Datum{}, S("a")}), "NULL");
  EXPECT_EQ(Text("format", {kUnknown, kText, kText}, {S("<%s|%L>"), Datum{}, Datum{}}), "<|NULL>");
  EXPECT_EQ(Text("format", {kUnknown, kText}, {S("%I"), Datum{}}),
            "ERROR 22004: null values cannot be formatted as an SQL identifier");
  EXPECT_EQ(Text("format", {kUnknown, kText}, {S("abc %"), S("a")}),
            "ERROR 22023: unterminated format() type specifier");
  EXPECT_EQ(Text("format", {kUnknown, kText}, {S("%d"), S("a")}),
            "ERROR 22023: unrecognized format() type specifier \"d\"");
  EXPECT_EQ(Text("format", {kUnknown, kText}, {S("%0$s"), S("a")}),
            "ERROR 22023: format specifies argument 0, but arguments are numbered from 1");
  EXPECT_EQ(Text("format", {kUnknown, kText}, {S("%3$s"), S("a")}),
            "ERROR 22023: too few arguments for format()");
  EXPECT_EQ(Text("format", {kUnknown, kText}, {S("%99999999999$s"), S("a")}),
            "ERROR 22003: number is out of range");
  // The type is checked before any argument is fetched.
  EXPECT_EQ(Text("format", {kUnknown}, {S("%5x")}),
            "ERROR 22023: unrecognized format() type specifier \"x\"");
}

TEST(StringFunctions, QuotingAndHex) {
  EXPECT_EQ(Text("quote_literal", {kText}, {S("it's")}), "'it''s'");
  EXPECT_EQ(Text("quote_literal", {kText}, {S("a\\b")}), "E'a\\\\b'");
  EXPECT_EQ(Text("to_hex", {kInt4}, {I(-1)}), "ffffffff");
  EXPECT_EQ(Text("to_hex", {kInt8}, {I(4294967296)}), "100000000");
  EXPECT_EQ(Text("initcap", {kText}, {S("the QUICK brown-fox")}), "The Quick Brown-Fox");
}

// PostgreSQL's replacement syntax (\\1..\\9, \\&, \\\\), first match or every one with g, empty
// matches stepping a character on, start counted in characters, and the flags' errors.
TEST(RegexFunctions, ReplaceCountAndLikeAsPostgres) {
  EXPECT_EQ(Text("regexp_replace", {kText, kText, kText, kText},
                 {S("foo bar baz"), S("ba(.)"), S("<\\1\\&\\\\\\x>"), S("g")}),
            "foo <rbar\\\\x> <zbaz\\\\x>");
  EXPECT_EQ(Text("regexp_replace", {kText, kText, kText}, {S("aaa"), S("a"), S("b")}), "baa");
  EXPECT_EQ(
      Text("regexp_replace", {kText, kText, kText, kText}, {S("abc"), S("x*"), S("-"), S("g")}),
      "-a-b-c-");
  EXPECT_EQ(
      Text("regexp_replace", {kText, kText, kText, kText}, {S("aBc"), S("b"), S("x"), S("ic")}),
      "aBc");
  EXPECT_EQ(
      Text("regexp_replace", {kText, kText, kText, kText}, {S("abc"), S("b"), S("x"), S("z")}),
      "ERROR 22023: invalid regular expression option: \"z\"");
  EXPECT_EQ(Int("regexp_count", {kText, kText, kInt4}, {S("héllo wörld"), S("o"), I(3)}), 1);
  EXPECT_EQ(Int("regexp_count", {kText, kText, kInt4, kText}, {S("ABab"), S("a"), I(1), S("i")}),
            2);
  EXPECT_EQ(Text("regexp_count", {kText, kText, kInt4}, {S("abc"), S("b"), I(0)}),
            "ERROR 22023: invalid value for parameter \"start\": 0");
  EXPECT_EQ(Text("regexp_like", {kText, kText, kText}, {S("a"), S("a"), S("g")}),
            "ERROR 22023: regexp_like() does not support the \"global\" option");
  EXPECT_EQ(Text("regexp_like", {kText, kText, kText}, {S("ABC"), S("b"), S("i")}), "t");
}

TEST(MathFunctions, RangeErrors) {
  EXPECT_EQ(Text("acos", {TypeId::kFloat8}, {Datum(2.0)}), "ERROR 22003: input is out of range");
  EXPECT_EQ(Int("gcd", {kInt4, kInt4}, {I(48), I(18)}), 6);
  EXPECT_EQ(Int("lcm", {kInt4, kInt4}, {I(21), I(6)}), 42);
  EXPECT_EQ(Text("gcd", {kInt4, kInt4}, {I(INT32_MIN), I(0)}), "ERROR 22003: integer out of range");
}

TEST(SimilarToEscapeTest, ConvertsAsPostgres) {
  // Outputs recorded from PostgreSQL 15.
  EXPECT_EQ(Text("similar_to_escape", {kText}, {S("a%b_c")}), "^(?:a.*b.c)$");
  EXPECT_EQ(Text("similar_to_escape", {kText}, {S("a.b*c+d?e|f(g)h[i]j{2}k^l$m")}),
            "^(?:a\\.b*c+d?e|f(?:g)h[i]j{2}k\\^l\\$m)$");
  EXPECT_EQ(Text("similar_to_escape", {kText, kText}, {S("a#\"b#\"c"), S("#")}),
            "^(?:a){1,1}?(b){1,1}(?:c)$");
  EXPECT_EQ(Text("similar_to_escape", {kText}, {S("[[:alpha:]%]_")}), "^(?:[[:alpha:]%].)$");
  EXPECT_EQ(Text("similar_to_escape", {kText}, {S("[^]%]")}), "^(?:[^]%])$");
  EXPECT_EQ(Text("similar_to_escape", {kText, kText}, {S("[a#]b]%"), S("#")}), "^(?:[a\\]b].*)$");
  EXPECT_EQ(Text("similar_to_escape", {kText, kText}, {S("[\\%]"), S("#")}), "^(?:[\\\\%])$");
  EXPECT_EQ(Text("similar_to_escape", {kText, kText}, {S("a\\b"), S("")}), "^(?:a\\\\b)$");
  EXPECT_EQ(Text("similar_to_escape", {kText, kText}, {S("ab#"), S("#")}), "^(?:ab)$");
  EXPECT_EQ(Text("similar_to_escape", {kText, kText},
                 {S("a\xc3\xa9"
                    "b"),
                  S("\xc3\xa9")}),
            "^(?:a\\b)$");
  EXPECT_EQ(Text("similar_escape", {kText, kText}, {S("a%"), Datum{}}), "^(?:a.*)$");
}

TEST(SimilarToEscapeTest, Errors) {
  EXPECT_EQ(Text("similar_to_escape", {kText, kText}, {S("ab"), S("xy")}),
            "ERROR 22025: invalid escape string");
  EXPECT_EQ(Text("similar_to_escape", {kText, kText}, {S("a#\"b#\"c#\"d"), S("#")}),
            "ERROR 2200C: SQL regular expression may not contain more than two "
            "escape-double-quote separators");
}

TEST(OverlayTest, TextAndBytea) {
  EXPECT_EQ(Text("overlay", {kText, kText, kInt4, kInt4}, {S("abcdef"), S("XY"), I(3), I(2)}),
            "abXYef");
  EXPECT_EQ(Text("overlay", {kText, kText, kInt4}, {S("abcdef"), S("XY"), I(3)}), "abXYef");
  EXPECT_EQ(Text("overlay", {kText, kText, kInt4, kInt4}, {S("abcdef"), S("X"), I(3), I(-1)}),
            "abXbcdef");
  EXPECT_EQ(Text("overlay", {kText, kText, kInt4, kInt4}, {S("abcdef"), S("XY"), I(10), I(2)}),
            "abcdefXY");
  EXPECT_EQ(Text("overlay", {kText, kText, kInt4}, {S("h\xc3\xa9llo"), S("ab"), I(2)}), "hablo");
  EXPECT_EQ(Text("overlay", {kText, kText, kInt4}, {S("abcdef"), S("XY"), I(0)}),
            "ERROR 22011: negative substring length not allowed");
  EXPECT_EQ(
      Text("overlay", {kText, kText, kInt4, kInt4}, {S("abcdef"), S("XY"), I(2), I(INT32_MAX)}),
      "ERROR 22003: integer out of range");
  const Builtin* bytes = R("overlay", {TypeId::kBytea, TypeId::kBytea, kInt4});
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(bytes->result, TypeId::kBytea);
  std::vector<Datum> v = {S("h\xc3\xa9llo"), S("ab"), I(2)};
  Result<Datum> r = bytes->impl(CallArgs{v, {}});
  ASSERT_TRUE(r);
  EXPECT_EQ(DatumAs<std::string>(*r), "habllo") << "bytea counts bytes";
}

}  // namespace
}  // namespace sqlrite::engine::functions

namespace sqlrite::engine::functions {
namespace {

// numeric_functions.cc: the overloads PostgreSQL resolves and float.c's edge cases.
TEST(NumericFunctionsTest, OperatorsAndLogarithmsResolveAsPostgres) {
  using type_shorthands::kF8;
  EXPECT_EQ(R("^", {TypeId::kInt4, TypeId::kInt4})->result, kF8);  // 2 ^ 10 is float8
  EXPECT_EQ(R("^", {TypeId::kNumeric, TypeId::kInt4})->result, TypeId::kNumeric);
  EXPECT_EQ(R("ln", {TypeId::kInt4})->result, kF8);
  EXPECT_EQ(R("ln", {TypeId::kNumeric})->result, TypeId::kNumeric);
  EXPECT_EQ(R("@", {TypeId::kInt2})->result, TypeId::kInt2);
  EXPECT_EQ(R("|/", {TypeId::kText}), nullptr);
  EXPECT_EQ(R("width_bucket", {TypeId::kInt4, TypeId::kArray})->result, TypeId::kInt4);
}

TEST(NumericFunctionsTest, FloatEdgeCases) {
  auto f8 = [](std::string_view name, std::vector<double> args) -> Result<double> {
    std::vector<TypeId> types(args.size(), TypeId::kFloat8);
    std::vector<Datum> values;
    for (double a : args) values.emplace_back(a);
    SQLRITE_ASSIGN_OR_RETURN(Datum d, Call(name, types, values));
    return DatumAs<double>(d);
  };
  EXPECT_EQ(*f8("sind", {30}), 0.5);  // exact at the multiples of 30 degrees
  EXPECT_EQ(*f8("cosd", {60}), 0.5);
  EXPECT_EQ(*f8("tand", {45}), 1.0);
  EXPECT_EQ(*f8("tand", {180}), 0.0);
  EXPECT_FALSE(std::signbit(*f8("tand", {180})));
  EXPECT_EQ(*f8("asind", {0.5}), 30.0);
  EXPECT_TRUE(std::isinf(*f8("cot", {0})));
  EXPECT_EQ(f8("ln", {0}).error().sqlstate, "2201E");
  EXPECT_EQ(f8("ln", {-1}).error().message, "cannot take logarithm of a negative number");
  EXPECT_EQ(f8("^", {0, -1}).error().message, "zero raised to a negative power is undefined");
  EXPECT_EQ(f8("^", {-8, 1.0 / 3}).error().sqlstate, "2201F");
  EXPECT_EQ(f8("^", {10, 400}).error().message, "value out of range: overflow");
  EXPECT_EQ(*f8("^", {std::nan(""), 0}), 1.0);
  EXPECT_EQ(f8("exp", {1000}).error().sqlstate, "22003");
  EXPECT_EQ(*f8("exp", {-INFINITY}), 0.0);
  EXPECT_EQ(f8("acosh", {0.5}).error().message, "input is out of range");
  EXPECT_TRUE(std::isinf(*f8("atanh", {1})));
}

TEST(NumericFunctionsTest, WidthBucketFloat8) {
  auto wb = [](double x, double lo, double hi, int64_t n) {
    std::vector<Datum> values;
    for (double v : {x, lo, hi}) values.emplace_back(v);
    values.emplace_back(n);
    Result<Datum> r = Call(
        "width_bucket", {TypeId::kFloat8, TypeId::kFloat8, TypeId::kFloat8, TypeId::kInt4}, values);
    if (!r) return r.error().sqlstate;
    return std::to_string(DatumAs<int64_t>(*r));
  };
  EXPECT_EQ(wb(5.35, 0.024, 10.06, 5), "3");
  EXPECT_EQ(wb(10, 0, 10, 5), "6");
  EXPECT_EQ(wb(7, 10, 0, 4), "2");
  EXPECT_EQ(wb(1, 0, 10, 0), "2201G");
  EXPECT_EQ(wb(1, 5, 5, 3), "2201G");
  EXPECT_EQ(wb(1, 0, INFINITY, 3), "2201G");
}

// The shifts compute what PostgreSQL 15 on x86-64 gives (checked against it): the count's low 5
// bits (6 for bigint) count, smallint is shifted as an integer and truncated, nothing fails.
TEST(BuiltinShifts, MaskTheCountAndWrapAsPostgreSQL) {
  EXPECT_EQ(Int("<<", {kInt4, kInt4}, {I(1), I(4)}), 16);
  EXPECT_EQ(Int("<<", {kInt4, kInt4}, {I(1), I(31)}), INT32_MIN);
  EXPECT_EQ(Int("<<", {kInt4, kInt4}, {I(1), I(32)}), 1);
  EXPECT_EQ(Int("<<", {kInt4, kInt4}, {I(1), I(-1)}), INT32_MIN);
  EXPECT_EQ(Int("<<", {kInt4, kInt4}, {I(INT32_MAX), I(1)}), -2);
  EXPECT_EQ(Int(">>", {kInt4, kInt4}, {I(-16), I(2)}), -4);
  EXPECT_EQ(Int(">>", {kInt4, kInt4}, {I(8), I(-1)}), 0);
  EXPECT_EQ(Int(">>", {kInt4, kInt4}, {I(-1), I(40)}), -1);
  EXPECT_EQ(Int("<<", {kInt2, kInt4}, {I(1), I(15)}), -32768);
  EXPECT_EQ(Int("<<", {kInt2, kInt4}, {I(1), I(16)}), 0);
  EXPECT_EQ(Int("<<", {kInt2, kInt4}, {I(3), I(-1)}), 0);
  EXPECT_EQ(Int(">>", {kInt2, kInt4}, {I(-32768), I(3)}), -4096);
  EXPECT_EQ(Int("<<", {kInt8, kInt4}, {I(1), I(63)}), INT64_MIN);
  EXPECT_EQ(Int("<<", {kInt8, kInt4}, {I(1), I(64)}), 1);
  EXPECT_EQ(Int("<<", {kInt8, kInt4}, {I(1), I(-1)}), INT64_MIN);
  EXPECT_EQ(Int(">>", {kInt8, kInt4}, {I(INT64_MIN), I(63)}), -1);
  // The count is an integer: smallint widens to it, bigint does not narrow.
  EXPECT_EQ(R("<<", {kInt2, kInt2})->result, kInt2);
  EXPECT_EQ(R("<<", {kInt8, kInt2})->result, kInt8);
  EXPECT_EQ(R("<<", {kInt4, kInt8}), nullptr);
  EXPECT_EQ(R(">>", {kNumeric, kInt4}), nullptr);
}

TEST(BuiltinSession, SetseedChecksItsRangeAsPostgreSQL) {
  auto seed = [](double x) { return Text("setseed", {TypeId::kFloat8}, {Datum(x)}); };
  EXPECT_EQ(seed(0.5), "");
  EXPECT_EQ(seed(-1), "");
  EXPECT_EQ(seed(1.5), "ERROR 22023: setseed parameter 1.5 is out of allowed range [-1,1]");
  EXPECT_EQ(seed(-2), "ERROR 22023: setseed parameter -2 is out of allowed range [-1,1]");
  EXPECT_EQ(seed(NAN), "ERROR 22023: setseed parameter NaN is out of allowed range [-1,1]");
  EXPECT_EQ(seed(-INFINITY),
            "ERROR 22023: setseed parameter -Infinity is out of allowed range [-1,1]");
}

}  // namespace
}  // namespace sqlrite::engine::functions
