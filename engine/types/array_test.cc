// Arrays' text form, each case recorded from PostgreSQL 15 (array_in / array_out over text[]).

#include "engine/types/array.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/sqlstate.h"
#include "engine/types.h"

namespace sqlrite::engine::array {
namespace {

using Elements = std::vector<std::optional<std::string>>;

Elements Parse(std::string_view text) {
  Result<ParsedText> r = ParseText(text);
  EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message);
  return r ? r->elements : Elements{};
}

// The error's SQLSTATE and DETAIL for a literal PostgreSQL refuses.
std::pair<std::string, std::string> Refused(std::string_view text) {
  Result<ParsedText> r = ParseText(text);
  EXPECT_FALSE(r.has_value()) << text;
  if (r) return {};
  return {r.error().sqlstate, r.error().detail};
}

std::string Out(const Elements& elements, int32_t lower = 1) {
  std::string out;
  AppendBounds(out, lower, elements.size());
  out += '{';
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ',';
    if (elements[i]) {
      AppendElement(out, *elements[i]);
    } else {
      out += "NULL";
    }
  }
  return out + '}';
}

TEST(ArrayTextTest, RoundTripsPostgresOutput) {
  // select '{a b, "c,d","", NULL, "NULL", null, " s ", "q\"", "x\\y", a\ , b}'::text[]
  const Elements e = Parse(R"({a b, "c,d","", NULL, "NULL", null, " s ", "q\"", "x\\y", a\ , b})");
  EXPECT_EQ(e, (Elements{"a b", "c,d", "", std::nullopt, "NULL", std::nullopt, " s ", "q\"", "x\\y",
                         "a ", "b"}));
  EXPECT_EQ(Out(e), R"({"a b","c,d","",NULL,"NULL",NULL," s ","q\"","x\\y","a ",b})");
}

TEST(ArrayTextTest, QuotesBracesAndAnyCaseOfNull) {
  EXPECT_EQ(Out(Parse(R"({"{","}",nUlL,"nUlL"})")), R"({"{","}",NULL,"nUlL"})");
  EXPECT_EQ(Out({"a\tb"}), "{\"a\tb\"}");
}

TEST(ArrayTextTest, BlanksAroundTheBracesAndEmptyArrays) {
  EXPECT_EQ(Parse("  { 1 , 2 }  "), (Elements{"1", "2"}));
  EXPECT_EQ(Parse("{}"), Elements{});
  EXPECT_EQ(Parse("{ }"), Elements{});
  EXPECT_EQ(Out({}), "{}");
}

TEST(ArrayTextTest, DimensionPrefixSetsTheLowerBound) {
  Result<ParsedText> r = ParseText("  [0:1]={1,2}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->lower, 0);
  EXPECT_EQ(Out(r->elements, r->lower), "[0:1]={1,2}");
  r = ParseText("[1:1]={1}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(Out(r->elements, r->lower), "{1}");
}

TEST(ArrayTextTest, MalformedLiteralsAsPostgres) {
  const std::string bad = sqlstate::kInvalidTextRepresentation;
  EXPECT_EQ(Refused("1,2"),
            std::make_pair(
                bad, std::string("Array value must start with \"{\" or dimension information.")));
  EXPECT_EQ(Refused("{1,2"), std::make_pair(bad, std::string("Unexpected end of input.")));
  EXPECT_EQ(Refused("{1,2}x"), std::make_pair(bad, std::string("Junk after closing right brace.")));
  EXPECT_EQ(Refused("{}}"), std::make_pair(bad, std::string("Junk after closing right brace.")));
  EXPECT_EQ(Refused("{1,{2}}"), std::make_pair(bad, std::string("Unexpected \"{\" character.")));
  EXPECT_EQ(Refused("{{1},2}"), std::make_pair(bad, std::string("Unexpected array element.")));
  EXPECT_EQ(Refused(R"({"a"b})"), std::make_pair(bad, std::string("Unexpected array element.")));
  EXPECT_EQ(Refused(R"({a"b"})"), std::make_pair(bad, std::string("Unexpected array element.")));
  EXPECT_EQ(Refused("{,}"), std::make_pair(bad, std::string("Unexpected \",\" character.")));
  EXPECT_EQ(Refused("{1,}"), std::make_pair(bad, std::string("Unexpected \"}\" character.")));
  EXPECT_EQ(Refused(R"({"a})"), std::make_pair(bad, std::string("Unexpected end of input.")));
  EXPECT_EQ(Refused("{a\\"), std::make_pair(bad, std::string("Unexpected end of input.")));
  EXPECT_EQ(Refused("{{1,2},{3}}"),
            std::make_pair(bad, std::string("Multidimensional arrays must have sub-arrays with "
                                            "matching dimensions.")));
  EXPECT_EQ(
      Refused("[0:2]={1,2}"),
      std::make_pair(bad, std::string("Specified array dimensions do not match array contents.")));
  EXPECT_EQ(Refused("[1:2={1,2}"),
            std::make_pair(bad, std::string("Missing \"]\" after array dimensions.")));
  EXPECT_EQ(Refused("[a]={1}"),
            std::make_pair(bad, std::string("\"[\" must introduce explicitly-specified array "
                                            "dimensions.")));
  EXPECT_EQ(Refused("[1:2]{1,2}"),
            std::make_pair(bad, std::string("Missing \"=\" after array dimensions.")));
  EXPECT_EQ(Refused("[2:1]={}").first, sqlstate::kArraySubscriptError);
}

// HasArrayType is inline for the transformer; it must name exactly the types with an array OID.
TEST(ArrayTypesTest, HasArrayTypeAgreesWithTheOids) {
  for (int i = 0; i <= static_cast<int>(TypeId::kAnyElement); ++i) {
    const auto id = static_cast<TypeId>(i);
    EXPECT_EQ(HasArrayType(id), ArrayTypeOid(id) != 0) << TypeName(id);
  }
  EXPECT_EQ(ArrayTypeOid(TypeId::kInt4), 1007u);
  EXPECT_EQ(ArrayElementOfOid(1009), TypeId::kText);
  EXPECT_EQ(TypeOid(ArrayOf(SqlType{TypeId::kUuid, -1})), 2951u);
  EXPECT_EQ(SqlTypeName(ArrayOf(SqlType{TypeId::kInt4, -1})), "integer[]");
  EXPECT_EQ(RegtypeName(1231), "numeric[]");
}

TEST(ArrayTextTest, MoreThanOneDimensionIsNotSupportedYet) {
  EXPECT_EQ(Refused("{{1},{2}}").first, sqlstate::kFeatureNotSupported);
}

}  // namespace
}  // namespace sqlrite::engine::array
