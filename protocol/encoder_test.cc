#include "protocol/encoder.h"

#include <gtest/gtest.h>

#include <string>

#include "common/sqlstate.h"

namespace sqlrite::protocol {
namespace {

using namespace std::string_literals;

TEST(EncoderTest, AuthenticationOk) {
  std::string out;
  AppendAuthenticationOk(out);
  EXPECT_EQ(out, "R\0\0\0\x08\0\0\0\0"s);
}

TEST(EncoderTest, ParameterStatus) {
  std::string out;
  AppendParameterStatus(out, "client_encoding", "UTF8");
  // 4 + 16 + 5 = 25
  EXPECT_EQ(out, "S\0\0\0\x19"s + "client_encoding\0UTF8\0"s);
}

TEST(EncoderTest, BackendKeyData) {
  std::string out;
  AppendBackendKeyData(out, 0x01020304, 0xA0B0C0D0);
  EXPECT_EQ(out, "K\0\0\0\x0c\x01\x02\x03\x04\xA0\xB0\xC0\xD0"s);
}

TEST(EncoderTest, ReadyForQueryCarriesStatusByte) {
  std::string out;
  AppendReadyForQuery(out, 'I');
  AppendReadyForQuery(out, 'T');
  AppendReadyForQuery(out, 'E');
  EXPECT_EQ(out, "Z\0\0\0\x05I"s + "Z\0\0\0\x05T"s +
                     "Z\0\0\0\x05"
                     "E"s);
}

TEST(EncoderTest, EncryptionRefusedIsOneByte) {
  std::string out;
  AppendEncryptionRefused(out);
  EXPECT_EQ(out, "N");
}

TEST(EncoderTest, NegotiateProtocolVersion) {
  std::string out;
  std::string_view opts[] = {"_pq_.x"};
  AppendNegotiateProtocolVersion(out, 0, opts);
  EXPECT_EQ(out, "v\0\0\0\x13\0\0\0\0\0\0\0\x01_pq_.x\0"s);
}

TEST(EncoderTest, RowDescription) {
  std::string out;
  FieldDescription fields[] = {
      {.name = "a", .type_oid = 23, .type_len = 4},
      {.name = "bc", .type_oid = 1043, .type_len = -1, .type_mod = 14},
  };
  AppendRowDescription(out, fields);
  std::string expected =
      "T"s + "\0\0\0\x2f"s + "\0\x02"s +
      // "a": table 0, attnum 0, oid 23, len 4, typmod -1, format 0
      "a\0"s + "\0\0\0\0"s + "\0\0"s + "\0\0\0\x17"s + "\0\x04"s + "\xff\xff\xff\xff"s + "\0\0"s +
      // "bc": oid 1043, len -1, typmod 14
      "bc\0"s + "\0\0\0\0"s + "\0\0"s + "\0\0\x04\x13"s + "\xff\xff"s + "\0\0\0\x0e"s + "\0\0"s;
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.size(), 1u + 0x2fu);
}

// A Bind asking for binary results: the format code is the field's last Int16.
TEST(EncoderTest, RowDescriptionWithBinaryFormat) {
  std::string out;
  FieldDescription fields[] = {{.name = "a", .type_oid = 23, .type_len = 4, .format = 1}};
  AppendRowDescription(out, fields);
  EXPECT_EQ(out, "T"s + "\0\0\0\x1a"s + "\0\x01"s + "a\0"s + "\0\0\0\0"s + "\0\0"s + "\0\0\0\x17"s +
                     "\0\x04"s + "\xff\xff\xff\xff"s + "\0\x01"s);
}

TEST(EncoderTest, RowDescriptionWithNoColumns) {
  std::string out;
  AppendRowDescription(out, {});
  EXPECT_EQ(out, "T\0\0\0\x06\0\0"s);
}

TEST(EncoderTest, DataRowBuiltInPlaceWithNull) {
  std::string out;
  size_t row = BeginDataRow(out, 3);
  size_t f = BeginField(out);
  out += "42";
  EndField(out, f);
  AppendNullField(out);
  AppendField(out, "");
  EndMessage(out, row);
  EXPECT_EQ(out, "D\0\0\0\x14\0\x03"s +
                     "\0\0\0\x02"
                     "42"s +
                     "\xff\xff\xff\xff"s + "\0\0\0\0"s);
}

TEST(EncoderTest, CommandComplete) {
  std::string out;
  AppendCommandComplete(out, "SELECT 1");
  EXPECT_EQ(out, "C\0\0\0\x0dSELECT 1\0"s);
}

TEST(EncoderTest, EmptyMessages) {
  std::string out;
  AppendEmptyQueryResponse(out);
  AppendParseComplete(out);
  AppendBindComplete(out);
  AppendCloseComplete(out);
  AppendNoData(out);
  AppendPortalSuspended(out);
  EXPECT_EQ(out, "I\0\0\0\x04"s + "1\0\0\0\x04"s + "2\0\0\0\x04"s + "3\0\0\0\x04"s +
                     "n\0\0\0\x04"s + "s\0\0\0\x04"s);
}

TEST(EncoderTest, ParameterDescription) {
  std::string out;
  uint32_t oids[] = {23, 25};
  AppendParameterDescription(out, oids);
  EXPECT_EQ(out, "t\0\0\0\x0e\0\x02\0\0\0\x17\0\0\0\x19"s);
}

TEST(EncoderTest, ErrorResponseMinimalFields) {
  std::string out;
  AppendErrorResponse(out, Error(sqlstate::kUndefinedTable, "relation \"t\" does not exist"));
  std::string body =
      "SERROR\0"s + "VERROR\0"s + "C42P01\0"s + "Mrelation \"t\" does not exist\0"s + "\0"s;
  std::string expected = "E"s;
  expected += static_cast<char>(0);
  expected += static_cast<char>(0);
  expected += static_cast<char>(0);
  expected += static_cast<char>(body.size() + 4);
  EXPECT_EQ(out, expected + body);
}

TEST(EncoderTest, ErrorResponseAllFieldsInPostgresOrder) {
  std::string out;
  Error e = Error(sqlstate::kSyntaxError, "syntax error at or near \"x\"")
                .WithDetail("d")
                .WithHint("h")
                .WithPosition(12)
                .WithSeverity(Severity::kFatal);
  AppendErrorResponse(out, e);
  std::string body = "SFATAL\0"s + "VFATAL\0"s + "C42601\0"s + "Msyntax error at or near \"x\"\0"s +
                     "Dd\0"s + "Hh\0"s + "P12\0"s + "\0"s;
  ASSERT_EQ(out.size(), 5 + body.size());
  EXPECT_EQ(out.substr(0, 5), "E\0\0\0"s + static_cast<char>(body.size() + 4));
  EXPECT_EQ(out.substr(5), body);
}

TEST(EncoderTest, NoticeResponse) {
  std::string out;
  AppendNoticeResponse(out,
                       Error(sqlstate::kSuccessfulCompletion, "n").WithSeverity(Severity::kNotice));
  std::string body = "SNOTICE\0"s + "VNOTICE\0"s + "C00000\0"s + "Mn\0"s + "\0"s;
  EXPECT_EQ(out, "N\0\0\0"s + static_cast<char>(body.size() + 4) + body);
}

TEST(EncoderTest, MessagesAppendToExistingBuffer) {
  std::string out = "xyz";
  AppendCommandComplete(out, "BEGIN");
  EXPECT_EQ(out,
            "xyzC\0\0\0\x0a"
            "BEGIN\0"s);
}

}  // namespace
}  // namespace sqlrite::protocol
