// parse_ident, unistr, the bytea trims and quote_literal of any type (string_more_functions.cc),
// through the registry; tests/diff/cases/string_srf.sql compares them with PostgreSQL 15.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::functions::string_more_functions_test {
namespace {

using type_shorthands::kText;

std::string Call(std::string_view name, std::vector<TypeId> arg_types, std::vector<Datum> values) {
  const Builtin* fn = Resolve(name, arg_types).fn;
  EXPECT_NE(fn, nullptr) << name;
  if (fn == nullptr) return "?";
  std::vector<SqlType> types;
  for (TypeId t : arg_types) types.push_back(SqlType{t});
  auto r = fn->impl(CallArgs{values, types});
  if (!r) return "ERROR " + r.error().sqlstate + ": " + r.error().message;
  if (IsNull(*r)) return "NULL";
  if (const auto* a = std::get_if<ArrayRef>(&*r)) {
    std::string s = "{";
    for (size_t i = 0; i < (*a)->items.size(); ++i) {
      s += (i > 0 ? "," : "") + std::get<std::string>((*a)->items[i]);
    }
    return s + "}";
  }
  return std::get<std::string>(*r);
}

TEST(MoreStringFunctionsTest, ParseIdent) {
  EXPECT_EQ(Call("parse_ident", {kText}, {Datum("\"SomeSchema\".someTable")}),
            "{SomeSchema,sometable}");
  EXPECT_EQ(Call("parse_ident", {kText}, {Datum(" \"x\"\"y\" . Abc ")}), "{x\"y,abc}");
  EXPECT_EQ(Call("parse_ident", {kText, TypeId::kBool}, {Datum("a.b()"), Datum(false)}), "{a,b}");
  EXPECT_EQ(Call("parse_ident", {kText}, {Datum("a.b()")}),
            "ERROR 22023: string is not a valid identifier: \"a.b()\"");
  EXPECT_EQ(Call("parse_ident", {kText}, {Datum("a..b")}),
            "ERROR 22023: string is not a valid identifier: \"a..b\"");
}

TEST(MoreStringFunctionsTest, Unistr) {
  EXPECT_EQ(Call("unistr", {kText}, {Datum("d\\0061t\\+000061")}), "data");
  EXPECT_EQ(Call("unistr", {kText}, {Datum("\\u00e9\\\\")}), "\xC3\xA9\\");
  EXPECT_EQ(Call("unistr", {kText}, {Datum("\\D83D\\DE00")}), "\xF0\x9F\x98\x80");
  EXPECT_EQ(Call("unistr", {kText}, {Datum("\\xyz")}), "ERROR 42601: invalid Unicode escape");
  EXPECT_EQ(Call("unistr", {kText}, {Datum("\\ud800")}),
            "ERROR 42601: invalid Unicode surrogate pair");
  EXPECT_EQ(Call("unistr", {kText}, {Datum("\\u0000")}),
            "ERROR 22023: invalid Unicode code point: 0000");
}

TEST(MoreStringFunctionsTest, ByteaTrimAndQuoteLiteral) {
  const std::vector<TypeId> bytea2 = {TypeId::kBytea, TypeId::kBytea};
  EXPECT_EQ(Call("btrim", bytea2, {Datum(std::string("\x12\x34\x12")), Datum("\x12")}), "\x34");
  EXPECT_EQ(Call("ltrim", bytea2, {Datum(std::string("\x12\x34\x12")), Datum("\x12")}), "\x34\x12");
  EXPECT_EQ(Call("rtrim", bytea2, {Datum(std::string("\x12\x34\x12")), Datum("\x12")}), "\x12\x34");
  EXPECT_EQ(Call("quote_literal", {TypeId::kInt4}, {Datum(int64_t{42})}), "'42'");
}

}  // namespace
}  // namespace sqlrite::engine::functions::string_more_functions_test
