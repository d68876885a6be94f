#include "protocol/decoder.h"

#include <gtest/gtest.h>

#include <string>

#include "common/bytes.h"
#include "common/sqlstate.h"

namespace sqlrite::protocol {
namespace {

using namespace std::string_literals;

std::string Startup(uint32_t code, std::string_view body) {
  std::string out;
  AppendBE32(out, static_cast<uint32_t>(8 + body.size()));
  AppendBE32(out, code);
  out.append(body);
  return out;
}

std::string Message(char type, std::string_view body) {
  std::string out(1, type);
  AppendBE32(out, static_cast<uint32_t>(4 + body.size()));
  out.append(body);
  return out;
}

TEST(StartupDecoderTest, StartupMessageWithParams) {
  std::string in = Startup(kProtocolVersion3, "user\0alice\0database\0db\0\0"s);
  StartupPacket out;
  Error error;
  DecodeResult r = DecodeStartupPacket(in, out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_EQ(r.consumed, in.size());
  auto& msg = std::get<StartupMessage>(out);
  EXPECT_EQ(msg.protocol_version, kProtocolVersion3);
  ASSERT_EQ(msg.params.size(), 2u);
  EXPECT_EQ(msg.params[0].first, "user");
  EXPECT_EQ(msg.params[0].second, "alice");
  EXPECT_EQ(msg.params[1].first, "database");
  EXPECT_EQ(msg.params[1].second, "db");
}

TEST(StartupDecoderTest, EmptyValueIsAllowed) {
  std::string in = Startup(kProtocolVersion3, "user\0u\0options\0\0\0"s);
  StartupPacket out;
  Error error;
  ASSERT_EQ(DecodeStartupPacket(in, out, error).status, DecodeStatus::kGood);
  auto& msg = std::get<StartupMessage>(out);
  ASSERT_EQ(msg.params.size(), 2u);
  EXPECT_EQ(msg.params[1].second, "");
}

TEST(StartupDecoderTest, EveryTruncationNeedsMore) {
  std::string in = Startup(kProtocolVersion3, "user\0alice\0\0"s);
  for (size_t n = 0; n < in.size(); ++n) {
    StartupPacket out;
    Error error;
    EXPECT_EQ(DecodeStartupPacket(std::string_view(in).substr(0, n), out, error).status,
              DecodeStatus::kNeedMore)
        << n;
  }
}

TEST(StartupDecoderTest, ConsumesOnlyItsOwnPacket) {
  std::string in = Startup(kSslRequestCode, "") + Startup(kProtocolVersion3, "\0"s);
  StartupPacket out;
  Error error;
  DecodeResult r = DecodeStartupPacket(in, out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_EQ(r.consumed, 8u);
  EXPECT_TRUE(std::holds_alternative<SslRequest>(out));
  r = DecodeStartupPacket(std::string_view(in).substr(8), out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_TRUE(std::get<StartupMessage>(out).params.empty());
}

TEST(StartupDecoderTest, SslGssAndCancel) {
  StartupPacket out;
  Error error;
  EXPECT_EQ(DecodeStartupPacket(Startup(kGssEncRequestCode, ""), out, error).status,
            DecodeStatus::kGood);
  EXPECT_TRUE(std::holds_alternative<GssEncRequest>(out));
  std::string cancel = Startup(kCancelRequestCode, "\0\0\0\x07\x01\x02\x03\x04"s);
  ASSERT_EQ(DecodeStartupPacket(cancel, out, error).status, DecodeStatus::kGood);
  EXPECT_EQ(std::get<CancelRequest>(out).process_id, 7u);
  EXPECT_EQ(std::get<CancelRequest>(out).secret_key, 0x01020304u);
}

TEST(StartupDecoderTest, BadLengths) {
  StartupPacket out;
  Error error;
  std::string too_short;
  AppendBE32(too_short, 7);
  EXPECT_EQ(DecodeStartupPacket(too_short, out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.sqlstate, sqlstate::kProtocolViolation);
  EXPECT_EQ(error.message, "invalid length of startup packet");
  EXPECT_EQ(error.severity, Severity::kFatal);

  // Refused from the length prefix alone, before the body arrives.
  std::string too_long;
  AppendBE32(too_long, 10005);
  EXPECT_EQ(DecodeStartupPacket(too_long, out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.message, "invalid length of startup packet");
  std::string huge;
  AppendBE32(huge, 0xffffffffu);
  EXPECT_EQ(DecodeStartupPacket(huge, out, error).status, DecodeStatus::kBad);

  // 10000 bytes after the length word is the most PostgreSQL accepts.
  std::string max;
  AppendBE32(max, 10004);
  EXPECT_EQ(DecodeStartupPacket(max, out, error).status, DecodeStatus::kNeedMore);

  EXPECT_EQ(DecodeStartupPacket(Startup(kSslRequestCode, "x"), out, error).status,
            DecodeStatus::kBad);
  EXPECT_EQ(DecodeStartupPacket(Startup(kCancelRequestCode, "1234"), out, error).status,
            DecodeStatus::kBad);
}

TEST(StartupDecoderTest, UnsupportedProtocolVersion) {
  StartupPacket out;
  Error error;
  EXPECT_EQ(DecodeStartupPacket(Startup(0x00020000, "\0"s), out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(error.message, "unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
  EXPECT_EQ(error.severity, Severity::kFatal);
  // A newer 3.x minor is accepted; the server negotiates it down.
  ASSERT_EQ(DecodeStartupPacket(Startup(0x00030002, "\0"s), out, error).status,
            DecodeStatus::kGood);
  EXPECT_EQ(std::get<StartupMessage>(out).protocol_version, 0x00030002u);
}

TEST(StartupDecoderTest, MalformedParameterList) {
  StartupPacket out;
  Error error;
  for (std::string body : {"user\0alice\0"s, "user\0alice"s, "user\0"s, "user\0alice\0\0x"s}) {
    EXPECT_EQ(DecodeStartupPacket(Startup(kProtocolVersion3, body), out, error).status,
              DecodeStatus::kBad)
        << body;
    EXPECT_EQ(error.message, "invalid startup packet layout: expected terminator as last byte");
  }
}

TEST(MessageDecoderTest, Query) {
  std::string in = Message('Q', "select 1\0"s);
  FrontendMessage out;
  Error error;
  DecodeResult r = DecodeFrontendMessage(in, out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_EQ(r.consumed, in.size());
  EXPECT_EQ(std::get<Query>(out).sql, "select 1");
}

TEST(MessageDecoderTest, EveryTruncationNeedsMore) {
  std::string in = Message('Q', "select 1\0"s);
  for (size_t n = 0; n < in.size(); ++n) {
    FrontendMessage out;
    Error error;
    EXPECT_EQ(DecodeFrontendMessage(std::string_view(in).substr(0, n), out, error).status,
              DecodeStatus::kNeedMore)
        << n;
  }
}

TEST(MessageDecoderTest, PipelinedMessagesDecodeOneAtATime) {
  std::string in = Message('Q', "a\0"s) + Message('S', "") + Message('X', "");
  std::string_view rest = in;
  FrontendMessage out;
  Error error;
  DecodeResult r = DecodeFrontendMessage(rest, out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_EQ(std::get<Query>(out).sql, "a");
  rest.remove_prefix(r.consumed);
  r = DecodeFrontendMessage(rest, out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_TRUE(std::holds_alternative<Sync>(out));
  rest.remove_prefix(r.consumed);
  r = DecodeFrontendMessage(rest, out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_TRUE(std::holds_alternative<Terminate>(out));
  EXPECT_EQ(r.consumed, rest.size());
}

TEST(MessageDecoderTest, InvalidLengths) {
  FrontendMessage out;
  Error error;
  EXPECT_EQ(DecodeFrontendMessage("Q\0\0\0\x03"s, out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.sqlstate, sqlstate::kProtocolViolation);
  EXPECT_EQ(error.message, "invalid message length");
  EXPECT_EQ(DecodeFrontendMessage("Q\x40\0\0\0"s, out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.message, "invalid message length");
  EXPECT_EQ(DecodeFrontendMessage("Q\xff\xff\xff\xff"s, out, error).status, DecodeStatus::kBad);
  // PQ_LARGE_MESSAGE_LIMIT (MaxAllocSize - 1 = 1 GiB - 2) is allowed: we wait for the body; one
  // more byte is not.
  EXPECT_EQ(DecodeFrontendMessage("Q\x3f\xff\xff\xfe"s, out, error).status,
            DecodeStatus::kNeedMore);
  EXPECT_EQ(DecodeFrontendMessage("Q\x3f\xff\xff\xff"s, out, error).status, DecodeStatus::kBad);
}

TEST(MessageDecoderTest, SmallMessageTypesAreCappedAt10000BeforeTheirBody) {
  for (char type : {'X', 'D', 'E', 'S', 'H', 'C', 'c', 'f'}) {
    SCOPED_TRACE(type);
    FrontendMessage out;
    Error error;
    std::string header(1, type);
    AppendBE32(header, 10000);
    EXPECT_EQ(DecodeFrontendMessage(header, out, error).status, DecodeStatus::kNeedMore);
    header.resize(1);
    AppendBE32(header, 10001);
    EXPECT_EQ(DecodeFrontendMessage(header, out, error).status, DecodeStatus::kBad);
    EXPECT_EQ(error.sqlstate, sqlstate::kProtocolViolation);
    EXPECT_EQ(error.message, "invalid message length");
    EXPECT_EQ(error.severity, Severity::kFatal);
  }
  for (char type : {'Q', 'P', 'B', 'd', 'F'}) {
    SCOPED_TRACE(type);
    FrontendMessage out;
    Error error;
    std::string header(1, type);
    AppendBE32(header, 10001);
    EXPECT_EQ(DecodeFrontendMessage(header, out, error).status, DecodeStatus::kNeedMore);
  }
}

TEST(MessageDecoderTest, FunctionCall) {
  FrontendMessage out;
  Error error;
  std::string body;
  AppendBE32(body, 12345);
  body += "\0\0\0\0\0\0"s;  // no formats, no arguments, text result
  DecodeResult r = DecodeFrontendMessage(Message('F', body), out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_EQ(r.consumed, 5 + body.size());
  ASSERT_TRUE(std::holds_alternative<FunctionCall>(out));
  EXPECT_EQ(std::get<FunctionCall>(out).function_oid, 12345u);
  // Too short for an OID: decoded, for the session's ERROR (not a FATAL decode failure).
  r = DecodeFrontendMessage(Message('F', "\0\0"s), out, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_FALSE(std::get<FunctionCall>(out).function_oid.has_value());
}

TEST(MessageDecoderTest, UnknownTypeIsRejectedAtOnce) {
  FrontendMessage out;
  Error error;
  EXPECT_EQ(DecodeFrontendMessage("z"s, out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.message, "invalid frontend message type 122");
  EXPECT_EQ(DecodeFrontendMessage("\xff"s, out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.message, "invalid frontend message type 255");
  // A startup packet sent after startup looks like type 0.
  EXPECT_EQ(DecodeFrontendMessage("\0\0\0\x08"s, out, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.message, "invalid frontend message type 0");
}

// A body that does not parse is an ERROR covering the whole message, as PostgreSQL's pq_getmsg*
// errors: the stream can still be followed.
TEST(MessageDecoderTest, MalformedBodies) {
  FrontendMessage out;
  Error error;
  auto malformed = [&](const std::string& message) {
    DecodeResult r = DecodeFrontendMessage(message, out, error);
    EXPECT_EQ(r.status, DecodeStatus::kMalformed);
    EXPECT_EQ(r.consumed, message.size());
    EXPECT_EQ(error.severity, Severity::kError);
    EXPECT_EQ(error.sqlstate, "08P01");
    return error.message;
  };
  EXPECT_EQ(malformed(Message('Q', "no terminator")), "invalid string in message");
  EXPECT_EQ(malformed(Message('Q', "a\0b"s)), "invalid message format");
  EXPECT_EQ(malformed(Message('S', "x")), "invalid message format");
  EXPECT_EQ(malformed(Message('H', "x")), "invalid message format");
  EXPECT_EQ(malformed(Message('E', "\0\0\0"s)), "insufficient data left in message");
  EXPECT_EQ(malformed(Message('D', "Xname\0"s)), "invalid DESCRIBE message subtype 88");
  EXPECT_EQ(malformed(Message('C', "Qn\0"s)), "invalid CLOSE message subtype 81");
  // A parameter count far beyond the body is refused without reserving memory for it.
  EXPECT_EQ(malformed(Message('P', "s\0q\0\x7f\xff"s)), "insufficient data left in message");
  EXPECT_EQ(malformed(Message('P', "s\0q\0\xff\xff"s)), "insufficient data left in message");
  // Negative parameter length other than -1.
  EXPECT_EQ(malformed(Message('B', "\0\0\0\0\0\x01\xff\xff\xff\xfe\0\0"s)),
            "insufficient data left in message");
  // PostgreSQL does not read a Terminate's body.
  EXPECT_EQ(DecodeFrontendMessage(Message('X', "x"), out, error).status, DecodeStatus::kGood);
  EXPECT_TRUE(std::holds_alternative<Terminate>(out));
}

TEST(MessageDecoderTest, Parse) {
  FrontendMessage out;
  Error error;
  // Decoded views point into the input, so it must outlive them.
  std::string in = Message('P', "s1\0select $1\0\0\x01\0\0\0\x17"s);
  ASSERT_EQ(DecodeFrontendMessage(in, out, error).status, DecodeStatus::kGood);
  auto& p = std::get<Parse>(out);
  EXPECT_EQ(p.statement, "s1");
  EXPECT_EQ(p.query, "select $1");
  ASSERT_EQ(p.param_types.size(), 1u);
  EXPECT_EQ(p.param_types[0], 23u);
}

TEST(MessageDecoderTest, Bind) {
  FrontendMessage out;
  Error error;
  std::string body = "p\0s\0"s + "\0\x01\0\0"s +  // one format: text
                     "\0\x02"
                     "\0\0\0\x02"
                     "42"
                     "\xff\xff\xff\xff"s +  // "42", NULL
                     "\0\x01\0\x01"s;       // one result format: binary
  std::string in = Message('B', body);
  ASSERT_EQ(DecodeFrontendMessage(in, out, error).status, DecodeStatus::kGood) << error.message;
  auto& b = std::get<Bind>(out);
  EXPECT_EQ(b.portal, "p");
  EXPECT_EQ(b.statement, "s");
  EXPECT_EQ(b.param_formats, std::vector<int16_t>{0});
  ASSERT_EQ(b.params.size(), 2u);
  EXPECT_EQ(b.params[0], std::optional<std::string_view>("42"));
  EXPECT_EQ(b.params[1], std::nullopt);
  EXPECT_EQ(b.result_formats, std::vector<int16_t>{1});
}

TEST(MessageDecoderTest, DescribeExecuteCloseSyncFlush) {
  FrontendMessage out;
  Error error;
  std::string describe = Message('D', "Pport\0"s);
  ASSERT_EQ(DecodeFrontendMessage(describe, out, error).status, DecodeStatus::kGood);
  EXPECT_EQ(std::get<Describe>(out).kind, 'P');
  EXPECT_EQ(std::get<Describe>(out).name, "port");
  ASSERT_EQ(DecodeFrontendMessage(Message('E', "\0\0\0\0\x0a"s), out, error).status,
            DecodeStatus::kGood);
  EXPECT_EQ(std::get<Execute>(out).portal, "");
  EXPECT_EQ(std::get<Execute>(out).max_rows, 10);
  ASSERT_EQ(DecodeFrontendMessage(Message('C', "S\0"s), out, error).status, DecodeStatus::kGood);
  EXPECT_EQ(std::get<Close>(out).kind, 'S');
  ASSERT_EQ(DecodeFrontendMessage(Message('H', ""), out, error).status, DecodeStatus::kGood);
  EXPECT_TRUE(std::holds_alternative<Flush>(out));
  ASSERT_EQ(DecodeFrontendMessage(Message('d', "junk"), out, error).status, DecodeStatus::kGood);
  EXPECT_EQ(std::get<IgnoredMessage>(out).type, 'd');
}

TEST(MessageDecoderTest, GarbageNeverCrashes) {
  // Deterministic pseudo-random garbage through both decoders: every answer must be one of the
  // three, and kGood must consume within the input.
  uint32_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    std::string in;
    size_t len = (state >> 3) % 40;
    for (size_t j = 0; j < len; ++j) {
      state = state * 1103515245 + 12345;
      in.push_back(static_cast<char>(state >> 16));
    }
    if (!in.empty() && i % 3 == 0) in[0] = "QXPBDESHCdcf"[i % 12];
    if (in.size() >= 5 && i % 2 == 0)
      StoreBE32(in.data() + 1, static_cast<uint32_t>(in.size() - 1));
    FrontendMessage m;
    Error error;
    DecodeResult r = DecodeFrontendMessage(in, m, error);
    if (r.status == DecodeStatus::kGood) {
      EXPECT_LE(r.consumed, in.size());
    }
    StartupPacket s;
    r = DecodeStartupPacket(in, s, error);
    if (r.status == DecodeStatus::kGood) {
      EXPECT_LE(r.consumed, in.size());
    }
    state = state * 1103515245 + 12345;
  }
}

}  // namespace
}  // namespace sqlrite::protocol

namespace sqlrite::protocol {
namespace {

TEST(DecodeAuthResponseTest, ReadsAPasswordMessageBody) {
  std::string in = "p";
  AppendBE32(in, 4 + 3);
  in += "abc";
  in += "Q";  // the next message is not consumed
  std::string_view body;
  Error error;
  DecodeResult r = DecodeAuthResponse(in, kMaxSaslMessageLength, body, error);
  ASSERT_EQ(r.status, DecodeStatus::kGood);
  EXPECT_EQ(r.consumed, 8u);
  EXPECT_EQ(body, "abc");
  EXPECT_EQ(DecodeAuthResponse(in.substr(0, 6), kMaxSaslMessageLength, body, error).status,
            DecodeStatus::kNeedMore);
}

TEST(DecodeAuthResponseTest, OtherTypesAndLengthsAreRefusedAsPostgresDoes) {
  std::string_view body;
  Error error;
  std::string query = "Q";
  AppendBE32(query, 5);
  query += '\0';
  EXPECT_EQ(DecodeAuthResponse(query, kMaxSaslMessageLength, body, error).status,
            DecodeStatus::kBad);
  EXPECT_EQ(error.sqlstate, std::string("08P01"));
  EXPECT_EQ(error.message, "expected SASL response, got message type 81");
  std::string big = "p";
  AppendBE32(big, 4 + 1025);
  EXPECT_EQ(DecodeAuthResponse(big, kMaxSaslMessageLength, body, error).status, DecodeStatus::kBad);
  EXPECT_EQ(error.sqlstate, std::string("28P01"));
  std::string short_length = "p";
  AppendBE32(short_length, 3);
  EXPECT_EQ(DecodeAuthResponse(short_length, kMaxSaslMessageLength, body, error).status,
            DecodeStatus::kBad);
}

}  // namespace
}  // namespace sqlrite::protocol
