// Binary send/receive against bytes PostgreSQL 15 produces (psql: SELECT x::type, then
// `\copy ... binary` or a Bind with result format 1).

#include "engine/binary_format.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/sqlstate.h"

namespace sqlrite::engine {
namespace {

std::string Send(const Datum& d, TypeId type) {
  std::string out;
  AppendBinary(out, d, type);
  return out;
}

TEST(BinaryFormatTest, SendsFixedWidthTypes) {
  EXPECT_EQ(Send(Datum(true), TypeId::kBool), std::string("\x01", 1));
  EXPECT_EQ(Send(Datum(false), TypeId::kBool), std::string("\x00", 1));
  EXPECT_EQ(Send(Datum(int64_t{1}), TypeId::kInt4), std::string("\x00\x00\x00\x01", 4));
  EXPECT_EQ(Send(Datum(int64_t{-2}), TypeId::kInt4), std::string("\xff\xff\xff\xfe", 4));
  EXPECT_EQ(Send(Datum(int64_t{1} << 40), TypeId::kInt8),
            std::string("\x00\x00\x01\x00\x00\x00\x00\x00", 8));
  EXPECT_EQ(Send(Datum(1.5), TypeId::kFloat8), std::string("\x3f\xf8\x00\x00\x00\x00\x00\x00", 8));
  EXPECT_EQ(Send(Datum(std::string("héllo")), TypeId::kText), "héllo");
  EXPECT_EQ(Send(Datum(std::string("x")), TypeId::kVarchar), "x");
}

// A numeric Datum from its text, as numeric_in reads it.
Datum N(std::string_view text) { return NumericDatum(*Numeric::Parse(text)); }

TEST(BinaryFormatTest, SendsNumericInBase10000) {
  // PostgreSQL 15: 1.5::numeric -> ndigits 2, weight 0, sign +, dscale 1, digits 1 5000.
  EXPECT_EQ(Send(N("1.5"), TypeId::kNumeric),
            std::string("\x00\x02\x00\x00\x00\x00\x00\x01\x00\x01\x13\x88", 12));
  // 0 -> no digits.
  EXPECT_EQ(Send(N("0"), TypeId::kNumeric), std::string("\x00\x00\x00\x00\x00\x00\x00\x00", 8));
  // -12345.25 -> digits 1 2345 2500, weight 1, sign -, dscale 2.
  EXPECT_EQ(Send(N("-12345.25"), TypeId::kNumeric),
            std::string("\x00\x03\x00\x01\x40\x00\x00\x02\x00\x01\x09\x29\x09\xc4", 14));
  // 0.0001 -> one digit 1 at weight -1, dscale 4.
  EXPECT_EQ(Send(N("0.0001"), TypeId::kNumeric),
            std::string("\x00\x01\xff\xff\x00\x00\x00\x04\x00\x01", 10));
  // 10000 -> one digit 1 at weight 1 (trailing zero groups stripped), dscale 0.
  EXPECT_EQ(Send(N("10000"), TypeId::kNumeric),
            std::string("\x00\x01\x00\x01\x00\x00\x00\x00\x00\x01", 10));
  // The display scale travels: 1.50 has dscale 2.
  EXPECT_EQ(Send(N("1.50"), TypeId::kNumeric),
            std::string("\x00\x02\x00\x00\x00\x00\x00\x02\x00\x01\x13\x88", 12));
  EXPECT_EQ(Send(N("NaN"), TypeId::kNumeric), std::string("\x00\x00\x00\x00\xc0\x00\x00\x00", 8));
}

TEST(BinaryFormatTest, ReceivesWhatItSends) {
  for (std::string_view v : {"1.5", "0", "-12345.25", "0.0001", "10000", "123456789.125", "0.30",
                             "-Infinity", "12345678901234567890.000000000000000001"}) {
    auto back = ReceiveBinary(Send(N(v), TypeId::kNumeric), oid::kNumeric);
    ASSERT_TRUE(back) << v;
    EXPECT_EQ(FormatText(*back, TypeId::kNumeric), v);
  }
  auto i = ReceiveBinary(std::string("\xff\xfe", 2), oid::kInt2);
  ASSERT_TRUE(i);
  EXPECT_EQ(std::get<int64_t>(*i), -2);
  auto f = ReceiveBinary(std::string("\x3f\xc0\x00\x00", 4), oid::kFloat4);
  ASSERT_TRUE(f);
  EXPECT_EQ(std::get<double>(*f), 1.5);
  auto b = ReceiveBinary(std::string("\x07", 1), oid::kBool);
  ASSERT_TRUE(b);
  EXPECT_TRUE(std::get<bool>(*b));
  auto t = ReceiveBinary("abc", oid::kText);
  ASSERT_TRUE(t);
  EXPECT_EQ(std::get<std::string>(*t), "abc");
}

TEST(BinaryFormatTest, ByteaAndUuidAreTheirBytes) {
  const std::string bytes("\x00\xff\x01", 3);
  EXPECT_EQ(Send(Datum(bytes), TypeId::kBytea), bytes);
  auto b = ReceiveBinary(bytes, oid::kBytea);
  ASSERT_TRUE(b);
  EXPECT_EQ(FormatText(*b, TypeId::kBytea), "\\x00ff01");
  const std::string u = "0123456789abcdef";
  EXPECT_EQ(Send(Datum(u), TypeId::kUuid), u);
  auto back = ReceiveBinary(u, oid::kUuid);
  ASSERT_TRUE(back);
  EXPECT_EQ(FormatText(*back, TypeId::kUuid), "30313233-3435-3637-3839-616263646566");
  auto shorter = ReceiveBinary(u.substr(0, 15), oid::kUuid);
  ASSERT_FALSE(shorter);
  EXPECT_EQ(shorter.error().sqlstate, std::string(sqlstate::kProtocolViolation));
  EXPECT_EQ(EngineTypeForOid(oid::kBpchar), TypeId::kBpchar);
}

TEST(BinaryFormatTest, RejectsMalformedInputAsPostgreSQLDoes) {
  auto short_int = ReceiveBinary(std::string("\x00\x01", 2), oid::kInt4);
  ASSERT_FALSE(short_int);
  EXPECT_EQ(short_int.error().sqlstate, std::string(sqlstate::kProtocolViolation));
  EXPECT_EQ(short_int.error().message, "insufficient data left in message");
  auto long_int = ReceiveBinary(std::string("\x00\x00\x00\x00\x01", 5), oid::kInt4);
  ASSERT_FALSE(long_int);
  EXPECT_EQ(long_int.error().sqlstate, std::string(sqlstate::kInvalidBinaryRepresentation));
  auto digit =
      ReceiveBinary(std::string("\x00\x01\x00\x00\x00\x00\x00\x00\x27\x10", 10), oid::kNumeric);
  ASSERT_FALSE(digit);
  EXPECT_EQ(digit.error().message, "invalid digit in external \"numeric\" value");
  auto sign = ReceiveBinary(std::string("\x00\x00\x00\x00\x12\x34\x00\x00", 8), oid::kNumeric);
  ASSERT_FALSE(sign);
  EXPECT_EQ(sign.error().message, "invalid sign in external \"numeric\" value");
}

TEST(BinaryFormatTest, TextInputKeepsTheDeclaredTypesRules) {
  auto small = ReceiveText("40000", oid::kInt2);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().message, "value \"40000\" is out of range for type smallint");
  auto bad = ReceiveText("x", oid::kInt4);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().sqlstate, std::string(sqlstate::kInvalidTextRepresentation));
  auto real = ReceiveText("1.1", oid::kFloat4);
  ASSERT_TRUE(real);
  EXPECT_EQ(std::get<double>(*real), double{1.1f});
  EXPECT_EQ(EngineTypeForOid(oid::kInt2), TypeId::kInt2);
  EXPECT_EQ(EngineTypeForOid(oid::kFloat4), TypeId::kFloat4);
  EXPECT_EQ(EngineTypeForOid(oid::kDate), TypeId::kDate);
  EXPECT_EQ(EngineTypeForOid(oid::kInterval), TypeId::kInterval);
  EXPECT_FALSE(EngineTypeForOid(1266).has_value());  // timetz: not yet
}

}  // namespace
}  // namespace sqlrite::engine

namespace sqlrite::engine {
namespace {

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// array_send's bytes from PostgreSQL 15: select array_send('{1,NULL}'::int4[]), ...
TEST(BinaryFormatTest, ArraysAsArraySendWritesThem) {
  const Datum ints = ArrayDatum(TypeId::kInt4, {Datum(int64_t{1}), Datum()});
  const std::string ints_bytes =
      Hex("00000001000000010000001700000002000000010000000400000001ffffffff");
  EXPECT_EQ(Send(ints, TypeId::kArray), ints_bytes);
  EXPECT_EQ(Send(ArrayDatum(TypeId::kText, {}), TypeId::kArray), Hex("000000000000000000000019"));
  const Datum shifted = ArrayDatum(TypeId::kText, {Datum(std::string("ab"))}, 0);
  const std::string shifted_bytes = Hex("0000000100000000000000190000000100000000000000026162");
  EXPECT_EQ(Send(shifted, TypeId::kArray), shifted_bytes);
  // And back (as a Bind parameter of type _int4 / _text).
  Result<Datum> back = ReceiveBinary(ints_bytes, 1007);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, ints);
  back = ReceiveBinary(shifted_bytes, 1009);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, shifted);
  // An element OID other than the parameter type's element: 42804, as array_recv.
  EXPECT_EQ(ReceiveBinary(ints_bytes, 1009).error().sqlstate, sqlstate::kDatatypeMismatch);
  EXPECT_FALSE(ReceiveBinary(ints_bytes.substr(0, 30), 1007).has_value());
}

}  // namespace
}  // namespace sqlrite::engine

namespace sqlrite::engine {
namespace {

// COPY ... TO STDOUT BINARY of '{"b":1,"a":2}'::jsonb and '{"b":1, "a":2}'::json in PostgreSQL
// 15: jsonb is version byte 1 and its canonical text, json its text as written.
TEST(BinaryFormatTest, JsonIsItsTextAndJsonbAVersionByteFirst) {
  EXPECT_EQ(Send(Datum(std::string("{\"a\": 2, \"b\": 1}")), TypeId::kJsonb),
            std::string("\x01{\"a\": 2, \"b\": 1}"));
  EXPECT_EQ(Send(Datum(std::string("{\"b\":1, \"a\":2}")), TypeId::kJson), "{\"b\":1, \"a\":2}");
  auto b = ReceiveBinary(std::string("\x01{\"b\":1,\"a\":2}"), oid::kJsonb);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(DatumAs<std::string>(*b), "{\"a\": 2, \"b\": 1}");
  auto j = ReceiveBinary("{\"b\":1}", oid::kJson);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(DatumAs<std::string>(*j), "{\"b\":1}");
  EXPECT_EQ(ReceiveBinary(std::string("\x02{}"), oid::kJsonb).error().message,
            "unsupported jsonb version number 2");
  EXPECT_EQ(ReceiveBinary("{", oid::kJson).error().sqlstate,
            std::string(sqlstate::kInvalidTextRepresentation));
  EXPECT_EQ(EngineTypeForOid(oid::kJsonb), TypeId::kJsonb);
  EXPECT_EQ(ArrayElementOfOid(3807), TypeId::kJsonb);
  EXPECT_EQ(ArrayElementOfOid(199), TypeId::kJson);
}

}  // namespace
}  // namespace sqlrite::engine
