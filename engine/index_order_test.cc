#include "engine/index_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/key_codec.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

std::string Key(const Datum& d, TypeId t, KeyOrder order) {
  std::string k;
  AppendKeyColumn(k, d, t, order);
  return k;
}

constexpr KeyOrder kOrders[] = {{false, false}, {false, true}, {true, false}, {true, true}};

// values are in ascending SQL order, without NULL; the keys must sort as ORDER BY with order's
// direction and NULLs placement would.
void ExpectSortsAs(const std::vector<Datum>& values, TypeId t) {
  for (const KeyOrder order : kOrders) {
    std::vector<std::string> expected;
    if (order.nulls_first) expected.push_back(Key(Datum(), t, order));
    if (order.descending) {
      for (auto it = values.rbegin(); it != values.rend(); ++it) {
        expected.push_back(Key(*it, t, order));
      }
    } else {
      for (const Datum& v : values) expected.push_back(Key(v, t, order));
    }
    if (!order.nulls_first) expected.push_back(Key(Datum(), t, order));
    for (size_t i = 0; i + 1 < expected.size(); ++i) {
      EXPECT_LT(expected[i], expected[i + 1])
          << "desc " << order.descending << " nulls_first " << order.nulls_first << " at " << i;
    }
  }
}

TEST(IndexOrderTest, IntegersSortInEachDirectionAndNullsPlacement) {
  ExpectSortsAs(
      {Datum(std::numeric_limits<int64_t>::min()), Datum(int64_t{-1}), Datum(int64_t{0}),
       Datum(int64_t{1}), Datum(int64_t{256}), Datum(std::numeric_limits<int64_t>::max())},
      TypeId::kInt8);
}

TEST(IndexOrderTest, TextSortsInEachDirectionAndNullsPlacement) {
  ExpectSortsAs({Datum(std::string()), Datum(std::string("a")), Datum(std::string("a\0b", 3)),
                 Datum(std::string("ab")), Datum(std::string("\xff\xff"))},
                TypeId::kText);
}

TEST(IndexOrderTest, FloatsSortInEachDirectionAndNullsPlacement) {
  ExpectSortsAs({Datum(-std::numeric_limits<double>::infinity()), Datum(-1.5), Datum(0.0),
                 Datum(2.5), Datum(std::numeric_limits<double>::quiet_NaN())},
                TypeId::kFloat8);
}

// Ascending NULLS LAST is the encoding every index had before key orders: trees built then
// read unchanged.
TEST(IndexOrderTest, AscendingNullsLastIsTheLegacyEncoding) {
  for (const Datum& d : {Datum(), Datum(int64_t{42}), Datum(std::string("x\0y", 3))}) {
    std::string legacy;
    AppendKeyColumn(legacy, d, TypeId::kText);
    EXPECT_EQ(Key(d, TypeId::kText, KeyOrder{}), legacy);
  }
  EXPECT_EQ(KeyNotNullMarker(KeyOrder{}), kKeyNotNullMarker);
  EXPECT_EQ(KeyNullMarker(KeyOrder{}), kKeyNullMarker);
}

// Composite keys (a DESC, b ASC NULLS FIRST): the entries of one a are a contiguous run starting
// with a's encoding, ordered by b within it; every non-NULL value of a column starts with its
// not-NULL marker, and the run of those ends at PrefixSuccessor(marker) (IndexRanges' bounds).
TEST(IndexOrderTest, MixedDirectionsKeepPrefixRuns) {
  const KeyOrder a_order{true, false}, b_order{false, true};
  std::vector<std::pair<int64_t, std::optional<int64_t>>> rows;
  for (int64_t a : {3, 1, 2}) {
    for (std::optional<int64_t> b :
         {std::optional<int64_t>(5), std::optional<int64_t>(), std::optional<int64_t>(-7)}) {
      rows.emplace_back(a, b);
    }
  }
  auto key = [&](int64_t a, std::optional<int64_t> b) {
    std::string k;
    AppendKeyColumn(k, Datum(a), TypeId::kInt8, a_order);
    AppendKeyColumn(k, b ? Datum(*b) : Datum(), TypeId::kInt8, b_order);
    return k;
  };
  std::vector<std::string> keys;
  for (const auto& [a, b] : rows) keys.push_back(key(a, b));
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> expected;
  for (int64_t a : {3, 2, 1}) {
    for (std::optional<int64_t> b :
         {std::optional<int64_t>(), std::optional<int64_t>(-7), std::optional<int64_t>(5)}) {
      expected.push_back(key(a, b));
    }
  }
  EXPECT_EQ(keys, expected);
  const std::string a2 = Key(Datum(int64_t{2}), TypeId::kInt8, a_order);
  const std::string stop = PrefixSuccessor(a2);
  for (const std::string& k : keys) {
    const bool in_run = k >= a2 && k < stop;
    EXPECT_EQ(in_run, k.compare(0, a2.size(), a2) == 0);
  }
  for (const KeyOrder order : kOrders) {
    const std::string values(1, KeyNotNullMarker(order));
    for (int64_t v :
         {std::numeric_limits<int64_t>::min(), int64_t{0}, std::numeric_limits<int64_t>::max()}) {
      const std::string k = Key(Datum(v), TypeId::kInt8, order);
      EXPECT_TRUE(k >= values && k < PrefixSuccessor(values)) << v;
    }
    const std::string null_key = Key(Datum(), TypeId::kInt8, order);
    EXPECT_FALSE(null_key >= values && null_key < PrefixSuccessor(values));
    EXPECT_EQ(null_key, std::string(1, KeyNullMarker(order)));
  }
}

// A tree built before kIndexLaidOutInOrder is ascending NULLS LAST whatever it declares; one
// laid out in order (CREATE INDEX now, REINDEX) follows its options, which pg_index shows
// without the layout bit.
TEST(IndexOrderTest, LegacyTreesKeepTheirAscendingOrder) {
  IndexDef ix;
  ix.columns = {0, 1, 2};
  ix.options = {kIndexDesc, kIndexNullsFirst, kIndexDesc | kIndexNullsFirst};
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_FALSE(IndexColumnOrder(ix, k).descending) << k;
    EXPECT_FALSE(IndexColumnOrder(ix, k).nulls_first) << k;
  }
  LayOutInDeclaredOrder(ix);
  EXPECT_TRUE(IndexColumnOrder(ix, 0).descending);
  EXPECT_FALSE(IndexColumnOrder(ix, 0).nulls_first);
  EXPECT_FALSE(IndexColumnOrder(ix, 1).descending);
  EXPECT_TRUE(IndexColumnOrder(ix, 1).nulls_first);
  EXPECT_TRUE(IndexColumnOrder(ix, 2).descending);
  EXPECT_TRUE(IndexColumnOrder(ix, 2).nulls_first);
  EXPECT_EQ(DeclaredOptions(ix.options[0]), kIndexDesc);
  EXPECT_EQ(DeclaredOptions(ix.options[2]), kIndexDesc | kIndexNullsFirst);
  IndexDef plain;
  plain.columns = {0};
  LayOutInDeclaredOrder(plain);  // no options: default order, nothing to mark
  EXPECT_TRUE(plain.options.empty());
  EXPECT_FALSE(IndexColumnOrder(plain, 0).descending);
}

// Reads through indexes laid out in every direction and NULLS placement give the rows a plain
// read of the same data gives, for pins, IN lists, IS NULL and one- and two-sided ranges, before
// and after writes and a REINDEX.
class IndexOrderReadTest : public testing::ClusterTest {
 protected:
  std::vector<std::string> Sorted(const std::string& sql) {
    std::vector<std::string> rows = Rows(sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  void ExpectSameRows(const std::string& cond) {
    SCOPED_TRACE(cond);
    EXPECT_EQ(Sorted("SELECT * FROM t WHERE " + cond), Sorted("SELECT * FROM plain WHERE " + cond));
  }
  std::vector<std::string> Plan(const std::string& sql) {
    return Rows("EXPLAIN (COSTS OFF) " + sql);
  }
};

TEST_F(IndexOrderReadTest, PathsThroughOrderedIndexesGiveThePlainReadsRows) {
  Ok("CREATE TABLE t (id int PRIMARY KEY, a int, b text, c float8);"
     "CREATE TABLE plain (id int PRIMARY KEY, a int, b text, c float8)");
  std::string values;
  for (int i = 1; i <= 400; ++i) {
    if (!values.empty()) values += ", ";
    const std::string a = i % 13 == 0 ? "NULL" : std::to_string(i % 17 - 4);
    const std::string b = i % 11 == 0 ? "NULL" : "'v" + std::to_string(i % 7) + "'";
    const std::string c = i % 19 == 0 ? "NULL" : std::to_string(i % 23 - 11) + ".5";
    values += "(" + std::to_string(i) + ", " + a + ", " + b + ", " + c + ")";
  }
  Ok("INSERT INTO t VALUES " + values + "; INSERT INTO plain VALUES " + values);
  Ok("CREATE INDEX t_ad ON t (a DESC); CREATE INDEX t_b_a ON t (b DESC NULLS LAST, a NULLS FIRST);"
     "CREATE INDEX t_c ON t (c ASC NULLS FIRST); CREATE INDEX t_ca ON t (c DESC, a DESC NULLS "
     "LAST)");
  const std::vector<std::string> conds = {"a = 3",
                                          "a IS NULL",
                                          "a IN (1, 5, NULL, -4)",
                                          "a BETWEEN -2 AND 6",
                                          "a > 4 AND a < 9",
                                          "a >= 12 AND a <= 100",
                                          "a > 9 AND a < 3",
                                          "b = 'v3'",
                                          "b IS NULL",
                                          "b = 'v2' AND a > 5",
                                          "b = 'v2' AND a <= 0",
                                          "b = 'v2' AND a IS NULL",
                                          "b IS NULL AND a BETWEEN 0 AND 3",
                                          "b IN ('v1', 'v6') AND a IN (1, 2, 3)",
                                          "c = 4.5",
                                          "c IS NULL",
                                          "c BETWEEN -3 AND 3",
                                          "c > 8 AND c < 100",
                                          "c = -0.5 AND a > 0",
                                          "c = -0.5 AND a IS NULL",
                                          "c IS NULL AND a = 2"};
  for (const std::string& cond : conds) ExpectSameRows(cond);
  Ok("UPDATE t SET a = NULL WHERE a = 3; UPDATE plain SET a = NULL WHERE a = 3");
  Ok("DELETE FROM t WHERE b = 'v4'; DELETE FROM plain WHERE b = 'v4'");
  Ok("INSERT INTO t SELECT id + 1000, a, b, c FROM plain WHERE a < 0;"
     "INSERT INTO plain SELECT id + 1000, a, b, c FROM plain WHERE a < 0");
  for (const std::string& cond : conds) ExpectSameRows(cond);
  Ok("REINDEX TABLE t");
  for (const std::string& cond : conds) ExpectSameRows(cond);
  // The index's order read forward and backward gives ORDER BY's rows.
  const std::vector<std::pair<std::string, std::string>> orders = {
      {"a", "a DESC"},
      {"a", "a"},
      {"b, a", "b DESC NULLS LAST, a NULLS FIRST"},
      {"b, a", "b NULLS FIRST, a DESC NULLS LAST"},
      {"c", "c NULLS FIRST"},
      {"c", "c DESC NULLS LAST"},
      {"c, a", "c DESC, a DESC NULLS LAST"}};
  for (const auto& [columns, order] : orders) {
    SCOPED_TRACE(order);
    const std::string tail = " ORDER BY " + order + " LIMIT 40";
    EXPECT_EQ(Rows("SELECT " + columns + " FROM t" + tail),
              Rows("SELECT " + columns + " FROM plain" + tail));
    EXPECT_EQ(Plan("SELECT " + columns + " FROM t" + tail).size(), 2u);  // Limit, Index Scan
  }
}

}  // namespace
}  // namespace sqlrite::engine
