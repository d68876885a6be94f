// The expected texts were recorded from PostgreSQL 15 (psql, a UTF8 database).
#include "engine/types/json.h"

#include <gtest/gtest.h>

#include "common/sqlstate.h"

namespace sqlrite::engine::json {
namespace {

std::string Jsonb(std::string_view text) {
  auto v = Parse(text, true);
  EXPECT_TRUE(v.has_value()) << text;
  return v ? ToText(*v) : std::string();
}

Error ParseError(std::string_view text, bool jsonb = true) {
  auto v = Parse(text, jsonb);
  EXPECT_FALSE(v.has_value()) << text;
  return v ? Error{} : v.error();
}

TEST(JsonTest, JsonbNormalizesKeysNumbersAndSpacing) {
  EXPECT_EQ(Jsonb(R"({"b":1,"a":2,"aa":3, "a":{"z":[1,2.50,1e2,-0,"\u00e9\n\u0001"]}})"),
            "{\"a\": {\"z\": [1, 2.50, 100, 0, \"\xc3\xa9\\n\\u0001\"]}, \"b\": 1, \"aa\": 3}");
  EXPECT_EQ(Jsonb(" [ ] "), "[]");
  EXPECT_EQ(Jsonb("{}"), "{}");
  EXPECT_EQ(Jsonb("\"\\ud83d\\ude00\""), "\"\xf0\x9f\x98\x80\"");
  EXPECT_EQ(Jsonb("1.0"), "1.0");
}

TEST(JsonTest, PrettyPrintsAsJsonbPretty) {
  auto v = Parse(R"({"a":[1,{"b":null}],"c":{}, "d":[]})", true);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(ToPretty(*v),
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": null\n        }\n    ],\n"
            "    \"c\": {\n    },\n    \"d\": [\n    ]\n}");
}

TEST(JsonTest, ErrorsCarryPostgresDetails) {
  Error e = ParseError("{\"a\":");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kInvalidTextRepresentation));
  EXPECT_EQ(e.message, "invalid input syntax for type json");
  EXPECT_EQ(e.detail, "The input string ended unexpectedly.");
  EXPECT_EQ(ParseError("{a: 1}").detail, "Token \"a\" is invalid.");
  EXPECT_EQ(ParseError("[1, 2").detail, "The input string ended unexpectedly.");
  EXPECT_EQ(ParseError("[1 2]").detail, "Expected \",\" or \"]\", but found \"2\".");
  EXPECT_EQ(ParseError("{\"a\" 1}").detail, "Expected \":\", but found \"1\".");
  EXPECT_EQ(ParseError("01").detail, "Token \"01\" is invalid.");
  EXPECT_EQ(ParseError("1 2").detail, "Expected end of input, but found \"2\".");
  EXPECT_EQ(ParseError("\"\\q\"").detail, "Escape sequence \"\\q\" is invalid.");
  EXPECT_EQ(ParseError("\"\\u0000\"").sqlstate, std::string(sqlstate::kUntranslatableCharacter));
  EXPECT_TRUE(Validate("\"\\u0000\"").has_value());  // json keeps the escape as written
  std::string deep(1002, '[');
  EXPECT_EQ(ParseError(deep).sqlstate, std::string(sqlstate::kStatementTooComplex));
}

TEST(JsonTest, TheDeepestAcceptedValueWalksWithinTheStack) {
  // 1000 levels below the top: every recursive walk (parse, print, pretty, key, containment,
  // destruction) runs that deep, under ASan's larger frames too.
  const std::string text = std::string(1001, '[') + std::string(1001, ']');
  auto v = Parse(text, true);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(ToText(*v), text);
  EXPECT_GT(ToPretty(*v).size(), text.size());
  EXPECT_EQ(Compare(*v, *v), 0);
  EXPECT_TRUE(Contains(*v, *v));
  Value copy = *v;
  Normalize(copy);
}

int Cmp(std::string_view a, std::string_view b) {
  auto x = Parse(a, true), y = Parse(b, true);
  EXPECT_TRUE(x && y);
  return Compare(*x, *y);
}

TEST(JsonTest, ComparesInJsonbOrder) {
  // PostgreSQL: '5' > '[]' (a raw scalar is an array of one), '5' < '[1,2]', '[5]' > '5'.
  EXPECT_GT(Cmp("5", "[]"), 0);
  EXPECT_LT(Cmp("5", "[1,2]"), 0);
  EXPECT_GT(Cmp("[5]", "5"), 0);
  EXPECT_LT(Cmp("\"a\"", "1"), 0);
  EXPECT_LT(Cmp("null", "true"), 0);
  EXPECT_LT(Cmp("[1]", "{}"), 0);
  EXPECT_EQ(Cmp("1.0", "1"), 0);
  EXPECT_LT(Cmp(R"({"a":1})", R"({"a":2})"), 0);
  EXPECT_LT(Cmp(R"({"b":1})", R"({"a":1,"b":1})"), 0);  // fewer pairs first
}

bool Has(std::string_view a, std::string_view b) {
  auto x = Parse(a, true), y = Parse(b, true);
  EXPECT_TRUE(x && y);
  return Contains(*x, *y);
}

TEST(JsonTest, ContainsAsJsonbContains) {
  EXPECT_TRUE(Has(R"({"a":1,"b":2})", R"({"a":1})"));
  EXPECT_TRUE(Has("[1,2,3]", "[3,1]"));
  EXPECT_TRUE(Has("[1,[2]]", "[[2]]"));
  EXPECT_TRUE(Has("\"a\"", "\"a\""));
  EXPECT_TRUE(Has("[1,2]", "1"));
  EXPECT_FALSE(Has("1", "[1]"));
  EXPECT_FALSE(Has(R"({"a":1})", "[1]"));
  EXPECT_FALSE(Has(R"({"a":{"b":1}})", R"({"a":{"b":2}})"));
  EXPECT_TRUE(Has("[1.0]", "[1]"));
}

}  // namespace
}  // namespace sqlrite::engine::json
