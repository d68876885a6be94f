// The rows of string_to_table, generate_subscripts (and unnest of int2vector), regexp_matches and
// regexp_split_to_table, and regexp_instr / regexp_substr, called through the registry
// (tests/diff/cases/string_srf.sql compares them with PostgreSQL 15 in the select list and in
// FROM).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

using type_shorthands::kInt4;
using type_shorthands::kText;

// The rows of name(values...), each printed ("NULL" for NULL, arrays as {a,b}), or "ERROR
// sqlstate: message".
std::vector<std::string> RowsOf(std::string_view name, std::vector<TypeId> arg_types,
                                std::vector<Datum> values) {
  const Builtin* fn = Resolve(name, arg_types).fn;
  EXPECT_NE(fn, nullptr) << name;
  if (fn == nullptr || fn->set_impl == nullptr) return {"no such set-returning function"};
  std::vector<SqlType> types;
  for (TypeId t : arg_types) types.push_back(SqlType{t});
  auto gen = fn->set_impl(CallArgs{values, types});
  if (!gen) return {"ERROR " + gen.error().sqlstate + ": " + gen.error().message};
  std::vector<std::string> out;
  for (;;) {
    Datum d;
    auto more = (*gen)->Next(d);
    if (!more) return {"ERROR " + more.error().sqlstate + ": " + more.error().message};
    if (!*more) break;
    if (IsNull(d)) {
      out.emplace_back("NULL");
    } else if (const auto* a = std::get_if<ArrayRef>(&d)) {
      std::string s = "{";
      for (size_t i = 0; i < (*a)->items.size(); ++i) {
        if (i > 0) s += ",";
        s += IsNull((*a)->items[i]) ? "NULL" : std::get<std::string>((*a)->items[i]);
      }
      out.push_back(s + "}");
    } else if (const auto* i = std::get_if<int64_t>(&d)) {
      out.push_back(std::to_string(*i));
    } else {
      out.push_back(std::get<std::string>(d));
    }
  }
  return out;
}

using V = std::vector<std::string>;

TEST(TextSetFunctionsTest, StringToTable) {
  EXPECT_EQ(RowsOf("string_to_table", {kText, kText}, {Datum("a,b,,c"), Datum(",")}),
            (V{"a", "b", "", "c"}));
  EXPECT_EQ(
      RowsOf("string_to_table", {kText, kText, kText}, {Datum("a,b,,c"), Datum(","), Datum("")}),
      (V{"a", "b", "NULL", "c"}));
  EXPECT_EQ(RowsOf("string_to_table", {kText, kText}, {Datum("hé"), Datum()}), (V{"h", "é"}));
  EXPECT_EQ(RowsOf("string_to_table", {kText, kText}, {Datum("abc"), Datum("")}), (V{"abc"}));
  EXPECT_EQ(RowsOf("string_to_table", {kText, kText}, {Datum(""), Datum(",")}), V{});
  EXPECT_EQ(RowsOf("string_to_table", {kText, kText}, {Datum(), Datum(",")}), V{});
}

TEST(TextSetFunctionsTest, GenerateSubscripts) {
  const Datum array = ArrayDatum(TypeId::kInt4, {Datum(int64_t{7}), Datum(int64_t{8})}, 0);
  const std::vector<TypeId> types = {TypeId::kArray, kInt4};
  EXPECT_EQ(RowsOf("generate_subscripts", types, {array, Datum(int64_t{1})}), (V{"0", "1"}));
  EXPECT_EQ(RowsOf("generate_subscripts", {TypeId::kArray, kInt4, TypeId::kBool},
                   {array, Datum(int64_t{1}), Datum(true)}),
            (V{"1", "0"}));
  EXPECT_EQ(RowsOf("generate_subscripts", types, {array, Datum(int64_t{2})}), V{});
}

// The catalogs' text-form int2vector (subscripts from 0) and smallint[] (from 1), as SQLAlchemy
// reads pg_index.indkey.
TEST(TextSetFunctionsTest, Int2VectorAndSmallintArray) {
  const std::vector<TypeId> vector = {TypeId::kInt2Vector};
  EXPECT_EQ(RowsOf("unnest", vector, {Datum("3 1 2")}), (V{"3", "1", "2"}));
  EXPECT_EQ(RowsOf("generate_subscripts", {TypeId::kInt2Vector, kInt4},
                   {Datum("3 1 2"), Datum(int64_t{1})}),
            (V{"0", "1", "2"}));
  EXPECT_EQ(RowsOf("generate_subscripts", {TypeId::kInt2Vector, kInt4, TypeId::kBool},
                   {Datum("3 1"), Datum(int64_t{1}), Datum(true)}),
            (V{"1", "0"}));
  EXPECT_EQ(RowsOf("unnest", {TypeId::kInt2Array}, {Datum("{4,5}")}), (V{"4", "5"}));
  EXPECT_EQ(RowsOf("generate_subscripts", {TypeId::kInt2Array, kInt4},
                   {Datum("{4,5}"), Datum(int64_t{1})}),
            (V{"1", "2"}));
  EXPECT_EQ(RowsOf("generate_subscripts", {TypeId::kInt2Array, kInt4},
                   {Datum("{4,5}"), Datum(int64_t{2})}),
            V{});
}

TEST(TextSetFunctionsTest, RegexpMatchesAndSplit) {
  EXPECT_EQ(RowsOf("regexp_matches", {kText, kText, kText},
                   {Datum("foobarbequebazilbarfbonk"), Datum("(b[^b]+)(b[^b]+)"), Datum("g")}),
            (V{"{bar,beque}", "{bazil,barf}"}));
  EXPECT_EQ(RowsOf("regexp_matches", {kText, kText}, {Datum("a1b22"), Datum("[0-9]+")}),
            (V{"{1}"}));
  EXPECT_EQ(RowsOf("regexp_matches", {kText, kText}, {Datum("abc"), Datum("(x)?(b)")}),
            (V{"{NULL,b}"}));
  EXPECT_EQ(RowsOf("regexp_matches", {kText, kText, kText}, {Datum("a"), Datum("a"), Datum("z")}),
            (V{"ERROR 22023: invalid regular expression option: \"z\""}));
  EXPECT_EQ(RowsOf("regexp_split_to_table", {kText, kText}, {Datum("a  b c"), Datum("\\s+")}),
            (V{"a", "b", "c"}));
  EXPECT_EQ(RowsOf("regexp_split_to_table", {kText, kText, kText},
                   {Datum("abc"), Datum("b"), Datum("g")}),
            (V{"ERROR 22023: regexp_split_to_table() does not support the \"global\" option"}));
}

std::string Scalar(std::string_view name, std::vector<TypeId> arg_types,
                   std::vector<Datum> values) {
  const Builtin* fn = Resolve(name, arg_types).fn;
  EXPECT_NE(fn, nullptr) << name;
  if (fn == nullptr) return "?";
  std::vector<SqlType> types;
  for (TypeId t : arg_types) types.push_back(SqlType{t});
  auto r = fn->impl(CallArgs{values, types});
  if (!r) return "ERROR " + r.error().sqlstate + ": " + r.error().message;
  if (IsNull(*r)) return "NULL";
  if (const auto* i = std::get_if<int64_t>(&*r)) return std::to_string(*i);
  return std::get<std::string>(*r);
}

TEST(TextSetFunctionsTest, RegexpInstrAndSubstr) {
  const Datum s("number of your street, town zip, FR");
  EXPECT_EQ(Scalar("regexp_instr", {kText, kText, kInt4, kInt4},
                   {s, Datum("[^,]+"), Datum(int64_t{1}), Datum(int64_t{2})}),
            "23");
  EXPECT_EQ(Scalar("regexp_substr", {kText, kText, kInt4, kInt4},
                   {s, Datum("[^,]+"), Datum(int64_t{1}), Datum(int64_t{2})}),
            " town zip");
  EXPECT_EQ(Scalar("regexp_instr", {kText, kText, kInt4, kInt4, kInt4, kText, kInt4},
                   {Datum("ABCDEFGHI"), Datum("(c..)(...)"), Datum(int64_t{1}), Datum(int64_t{1}),
                    Datum(int64_t{0}), Datum("i"), Datum(int64_t{2})}),
            "6");
  EXPECT_EQ(Scalar("regexp_substr", {kText, kText}, {Datum("abc"), Datum("x")}), "NULL");
  EXPECT_EQ(
      Scalar("regexp_instr", {kText, kText, kInt4}, {Datum("abc"), Datum("b"), Datum(int64_t{0})}),
      "ERROR 22023: invalid value for parameter \"start\": 0");
}

}  // namespace
}  // namespace sqlrite::engine::functions
