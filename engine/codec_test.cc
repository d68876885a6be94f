#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/key_codec.h"
#include "engine/row_codec.h"

namespace sqlrite::engine {
namespace {

std::string Key(const Datum& d, TypeId t) {
  std::string k;
  AppendKeyColumn(k, d, t);
  return k;
}

TEST(KeyCodecTest, RowidKeysSortAsIntegers) {
  const int64_t values[] = {std::numeric_limits<int64_t>::min(), -1000, -1, 0, 1, 255, 256,
                            std::numeric_limits<int64_t>::max()};
  for (size_t i = 0; i + 1 < std::size(values); ++i) {
    EXPECT_LT(RowidKey(values[i]), RowidKey(values[i + 1])) << values[i];
  }
  for (int64_t v : values) EXPECT_EQ(DecodeRowidKey(RowidKey(v)), v);
}

TEST(KeyCodecTest, DoublesSortNumerically) {
  const double values[] = {
      -std::numeric_limits<double>::infinity(), -1e10, -1.5, -1e-300, 0, 1e-300, 1.5, 1e10,
      std::numeric_limits<double>::infinity()};
  for (size_t i = 0; i + 1 < std::size(values); ++i) {
    EXPECT_LT(Key(Datum(values[i]), TypeId::kFloat8), Key(Datum(values[i + 1]), TypeId::kFloat8))
        << values[i];
  }
  EXPECT_EQ(Key(Datum(-0.0), TypeId::kFloat8), Key(Datum(0.0), TypeId::kFloat8));
}

// PostgreSQL: every NaN equals every other and sorts above +Infinity, whatever its sign bit
// ('inf' * 0 gives a NaN with the sign bit set).
TEST(KeyCodecTest, EveryNanEncodesAsOneValueAboveInfinity) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double negative_nan = std::copysign(nan, -1.0);
  ASSERT_TRUE(std::signbit(negative_nan));
  EXPECT_EQ(Key(Datum(negative_nan), TypeId::kFloat8), Key(Datum(nan), TypeId::kFloat8));
  EXPECT_LT(Key(Datum(std::numeric_limits<double>::infinity()), TypeId::kFloat8),
            Key(Datum(negative_nan), TypeId::kFloat8));
}

TEST(KeyCodecTest, TextSortsBytewiseWithEmbeddedZeros) {
  std::string with_zero("a\0b", 3);
  const std::string values[] = {"", "a", with_zero, "a\x01", "ab", "b", "\xff"};
  for (size_t i = 0; i + 1 < std::size(values); ++i) {
    EXPECT_LT(Key(Datum(values[i]), TypeId::kText), Key(Datum(values[i + 1]), TypeId::kText)) << i;
  }
}

TEST(KeyCodecTest, CharKeysIgnoreTrailingBlanks) {
  EXPECT_EQ(Key(Datum(std::string("ab  ")), TypeId::kBpchar),
            Key(Datum(std::string("ab")), TypeId::kBpchar));
  EXPECT_LT(Key(Datum(std::string("ab  ")), TypeId::kBpchar),
            Key(Datum(std::string("abc ")), TypeId::kBpchar));
  EXPECT_NE(Key(Datum(std::string("ab ")), TypeId::kText),
            Key(Datum(std::string("ab")), TypeId::kText));  // text keeps its blanks
}

TEST(KeyCodecTest, CompositeKeysOrderByFirstColumnThenSecond) {
  auto k = [](const std::string& a, int64_t b) {
    std::string key;
    AppendKeyColumn(key, Datum(a), TypeId::kText);
    AppendKeyColumn(key, Datum(b), TypeId::kInt4);
    return key;
  };
  EXPECT_LT(k("a", 5), k("ab", 1));
  EXPECT_LT(k("a", 1), k("a", 2));
}

TEST(KeyCodecTest, NullSortsAfterEveryValue) {
  EXPECT_LT(Key(Datum(std::numeric_limits<int64_t>::max()), TypeId::kInt8),
            Key(Datum{}, TypeId::kInt8));
  EXPECT_LT(Key(Datum(std::string("\xff\xff")), TypeId::kText), Key(Datum{}, TypeId::kText));
}

TEST(KeyCodecTest, EncodingsAreSelfDelimitingSoPrefixRangesHoldExactlyTheValue) {
  // Every key that starts with a value's encoding holds that value: the range
  // [enc(v), PrefixSuccessor(enc(v))) has no other value's keys.
  const std::string a = Key(Datum(std::string("ab")), TypeId::kText);
  const std::string ab = Key(Datum(std::string("ab\x01")), TypeId::kBytea);
  const std::string a0 = Key(Datum(std::string("ab\0", 3)), TypeId::kBytea);
  for (const std::string& other : {ab, a0}) {
    EXPECT_FALSE(other >= a && other < PrefixSuccessor(a)) << other.size();
  }
  const std::string five = Key(Datum(int64_t{5}), TypeId::kInt4);
  const std::string with_rowid = five + RowidKey(77);
  EXPECT_TRUE(with_rowid >= five && with_rowid < PrefixSuccessor(five));
  EXPECT_LT(PrefixSuccessor(five), Key(Datum(int64_t{6}), TypeId::kInt4) + RowidKey(0));
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff\xff", 3)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("\xff", 1)), "");
}

TEST(KeyCodecTest, KeyFamiliesGroupTypesThatCompareAsTheirKeys) {
  EXPECT_EQ(KeyFamilyOf(TypeId::kInt2), KeyFamilyOf(TypeId::kInt8));
  EXPECT_EQ(KeyFamilyOf(TypeId::kText), KeyFamilyOf(TypeId::kVarchar));
  EXPECT_NE(KeyFamilyOf(TypeId::kText), KeyFamilyOf(TypeId::kBpchar));
  EXPECT_NE(KeyFamilyOf(TypeId::kInt4), KeyFamilyOf(TypeId::kNumeric));
  EXPECT_NE(KeyFamilyOf(TypeId::kFloat8), KeyFamilyOf(TypeId::kNumeric));
  EXPECT_EQ(KeyFamilyOf(TypeId::kUnknown), KeyFamily::kNone);
}

TEST(RowCodecTest, RoundTripsEveryKind) {
  Row row = {Datum{},
             Datum(true),
             Datum(false),
             Datum(int64_t{0}),
             Datum(int64_t{-1}),
             Datum(std::numeric_limits<int64_t>::min()),
             Datum(std::numeric_limits<int64_t>::max()),
             Datum(3.25),
             Datum(std::string()),
             Datum(std::string("hello\0x", 7))};
  std::string record;
  EncodeRow(row, record);
  Row back;
  ASSERT_TRUE(DecodeRow(record, back));
  EXPECT_EQ(back, row);
}

TEST(RowCodecTest, PiecesJoinToTheSameRecordWithLongValuesLeftInPlace) {
  const std::string long_a(kLongTextBytes, 'a');
  const std::string long_b(kLongTextBytes + 5, 'b');
  Row row = {Datum(int64_t{7}), Datum(long_a), Datum(std::string("short")), Datum{}, Datum(long_b)};
  ASSERT_TRUE(HasLongText(row));
  EXPECT_FALSE(HasLongText({Datum(std::string(kLongTextBytes - 1, 'x')), Datum(1.5)}));
  std::string record;
  EncodeRow(row, record);
  std::string scratch;
  std::vector<std::string_view> pieces;
  EncodeRowPieces(row, scratch, pieces);
  std::string joined;
  for (std::string_view p : pieces) joined.append(p);
  EXPECT_EQ(joined, record);
  EXPECT_LT(scratch.size(), 100u);  // the long values were not copied
  bool points_at_a = false;
  for (std::string_view p : pieces) points_at_a |= p.data() == DatumAs<std::string>(row[1]).data();
  EXPECT_TRUE(points_at_a);
}

TEST(RowCodecTest, DecodingATakenRecordMovesItsLongestValueOut) {
  const std::string long_a(kLongTextBytes, 'a');
  const std::string longer_b(kLongTextBytes + 9, 'b');
  for (const Row& row : {Row{Datum(int64_t{1}), Datum(long_a), Datum(longer_b), Datum(true)},
                         Row{Datum(longer_b), Datum(long_a)}, Row{Datum(std::string("s"))},
                         Row{Datum{}, Datum(long_a)}}) {
    std::string record;
    EncodeRow(row, record);
    Row back;
    ASSERT_TRUE(DecodeRow(std::move(record), back));
    EXPECT_EQ(back, row);
  }
  // The longest value is the record's own buffer, moved.
  std::string record;
  EncodeRow({Datum(int64_t{5}), Datum(longer_b)}, record);
  const char* buffer = record.data();
  Row back;
  ASSERT_TRUE(DecodeRow(std::move(record), back));
  EXPECT_EQ(DatumAs<std::string>(back[1]).data(), buffer);
}

TEST(RowCodecTest, TruncatedRecordIsCorrupt) {
  std::string record;
  EncodeRow({Datum(std::string("abcdef")), Datum(1.0)}, record);
  Row back;
  for (size_t n = 0; n < record.size(); ++n) {
    auto status = DecodeRow(std::string_view(record).substr(0, n), back);
    ASSERT_FALSE(status) << n;
    EXPECT_EQ(status.error().sqlstate, sqlstate::kDataCorrupted);
  }
}

}  // namespace
}  // namespace sqlrite::engine

namespace sqlrite::engine {
namespace {

TEST(RowCodecTest, ArraysRoundTripWithTheirElementTypeAndBounds) {
  const Row row = {Datum(int64_t{7}),
                   ArrayDatum(TypeId::kText, {Datum(std::string("a")), Datum()}, 0),
                   ArrayDatum(TypeId::kInt8, {}), Datum()};
  std::string record;
  EncodeRow(row, record);
  Row back;
  ASSERT_TRUE(DecodeRow(std::string_view(record), back).has_value());
  ASSERT_EQ(back.size(), row.size());
  EXPECT_EQ(back, row);
  const ArrayValue& a = *DatumAs<ArrayRef>(back[1]);
  EXPECT_EQ(a.elem, TypeId::kText);
  EXPECT_EQ(a.lower, 0);
  // A truncated record is malformed, never another value.
  Row bad;
  EXPECT_FALSE(DecodeRow(std::string_view(record).substr(0, record.size() - 3), bad).has_value());
}

// array_cmp's order: element by element (NULL elements above values), then the shorter first.
TEST(KeyCodecTest, ArraysSortAsArrayCmp) {
  auto ints = [](std::vector<Datum> items) { return ArrayDatum(TypeId::kInt4, std::move(items)); };
  const Datum sorted[] = {ints({}),
                          ints({Datum(int64_t{-5})}),
                          ints({Datum(int64_t{1})}),
                          ints({Datum(int64_t{1}), Datum(int64_t{2})}),
                          ints({Datum(int64_t{1}), Datum()}),
                          ints({Datum(int64_t{2})}),
                          ints({Datum()})};
  for (size_t i = 0; i + 1 < std::size(sorted); ++i) {
    EXPECT_LT(Key(sorted[i], TypeId::kArray), Key(sorted[i + 1], TypeId::kArray)) << i;
  }
  EXPECT_EQ(Key(ints({Datum(int64_t{3})}), TypeId::kArray),
            Key(ints({Datum(int64_t{3})}), TypeId::kArray));
}

}  // namespace
}  // namespace sqlrite::engine

namespace sqlrite::engine {
namespace {

TEST(RowCodecTest, TrailingBlanksAreStoredAsTheirCount) {
  // char(84) '' is 84 blanks: pgbench's filler. Stored as a count, it reads back padded.
  const std::string blanks(84, ' ');
  const std::string padded = "abc" + std::string(20, ' ');
  const std::string few = "abc" + std::string(7, ' ');   // under the run worth a count
  const std::string inner = std::string(30, ' ') + "x";  // blanks not at the end stay bytes
  const Row row = {Datum(int64_t{1}), Datum(blanks), Datum(padded), Datum(few), Datum(inner)};
  std::string record;
  EncodeRow(row, record);
  // count, int, 84 blanks (tag, 0, 84), abc + 20, abc + 7 blanks as bytes, 30 blanks + x.
  EXPECT_EQ(record.size(), size_t{1 + 2 + 3 + 6 + 12 + 33});
  Row back;
  ASSERT_TRUE(DecodeRow(std::string_view(record), back).has_value());
  EXPECT_EQ(back, row);
  ASSERT_TRUE(DecodeRow(std::string(record), back).has_value());
  EXPECT_EQ(back, row);
  // A text column nobody reads is skipped whole, its count included (integers are decoded).
  const std::vector<bool> needed = {false, false, true, false, true};
  ASSERT_TRUE(DecodeRow(std::string_view(record), back, &needed).has_value());
  EXPECT_EQ(back, (Row{Datum(int64_t{1}), Datum{}, Datum(padded), Datum{}, Datum(inner)}));
  // The pieces form (a record beside a long value) is the same bytes.
  std::string scratch;
  std::vector<std::string_view> pieces;
  EncodeRowPieces(row, scratch, pieces);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0], record);
}

TEST(RowCodecTest, TruncatedOrHugeBlankCountIsCorrupt) {
  std::string record;
  EncodeRow({Datum("ab" + std::string(40, ' '))}, record);
  Row back;
  for (size_t n = 0; n < record.size(); ++n) {
    auto status = DecodeRow(std::string_view(record).substr(0, n), back);
    ASSERT_FALSE(status) << n;
    EXPECT_EQ(status.error().sqlstate, sqlstate::kDataCorrupted);
  }
  // A count past 1 GiB is damage, not an allocation: tag 9, no bytes, count 2^40.
  const std::string huge = std::string("\x01\x09\x00", 3) + "\x80\x80\x80\x80\x80\x20";
  auto status = DecodeRow(std::string_view(huge), back);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().sqlstate, sqlstate::kDataCorrupted);
}

}  // namespace
}  // namespace sqlrite::engine

namespace sqlrite::engine {
namespace {

TEST(RowCodecTest, OneIntegerColumnIsReadPastEveryKindOfValue) {
  const Row row = {Datum{},
                   Datum(true),
                   Datum(int64_t{-300}),
                   Datum(2.5),
                   Datum(std::string("text")),
                   Datum("x" + std::string(50, ' ')),
                   Datum(Interval{1, 2, 3}),
                   ArrayDatum(TypeId::kInt8, {Datum(int64_t{1})}),
                   Datum(int64_t{123456789})};
  std::string record;
  EncodeRow(row, record);
  for (size_t c = 0; c < row.size() + 2; ++c) {
    auto v = DecodeIntColumn(record, c);
    ASSERT_TRUE(v.has_value()) << c;
    if (c < row.size() && std::holds_alternative<int64_t>(row[c])) {
      ASSERT_TRUE(v->has_value()) << c;
      EXPECT_EQ(**v, std::get<int64_t>(row[c]));
    } else {
      EXPECT_FALSE(v->has_value()) << c;  // another kind, NULL, or past the record's columns
    }
  }
  for (size_t n = 0; n < record.size(); ++n) {
    auto v = DecodeIntColumn(std::string_view(record).substr(0, n), row.size() - 1);
    ASSERT_FALSE(v.has_value()) << n;
    EXPECT_EQ(v.error().sqlstate, sqlstate::kDataCorrupted);
  }
}

}  // namespace
}  // namespace sqlrite::engine
