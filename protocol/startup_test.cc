#include "protocol/startup.h"

#include <gtest/gtest.h>

#include <string>

#include "common/bytes.h"
#include "common/sqlstate.h"

namespace sqlrite::protocol {
namespace {

using namespace std::string_literals;
using Action = StartupNegotiation::Action;

std::string Packet(uint32_t code, std::string_view body = {}) {
  std::string out;
  AppendBE32(out, static_cast<uint32_t>(8 + body.size()));
  AppendBE32(out, code);
  out.append(body);
  return out;
}

Action NextAction(StartupNegotiation& n, std::string_view in, Error* error = nullptr) {
  StartupPacket packet;
  Error e;
  Action a = n.Next(in, packet, e).action;
  if (error != nullptr) *error = e;
  return a;
}

TEST(StartupNegotiationTest, SslRefusedThenGssRefusedThenStartup) {
  StartupNegotiation n;
  EXPECT_EQ(NextAction(n, Packet(kSslRequestCode)), Action::kAnswerSsl);
  n.Answered(false);
  EXPECT_EQ(NextAction(n, Packet(kGssEncRequestCode)), Action::kAnswerGssEnc);
  n.Answered(false);
  std::string startup = Packet(kProtocolVersion3, "user\0u\0\0"s);
  StartupPacket packet;
  Error error;
  StartupNegotiation::Step step = n.Next(startup, packet, error);
  EXPECT_EQ(step.action, Action::kStartup);
  EXPECT_EQ(step.consumed, startup.size());
}

TEST(StartupNegotiationTest, SecondSslRequestIsAnUnsupportedProtocol) {
  StartupNegotiation n;
  ASSERT_EQ(NextAction(n, Packet(kSslRequestCode)), Action::kAnswerSsl);
  n.Answered(false);
  Error error;
  EXPECT_EQ(NextAction(n, Packet(kSslRequestCode), &error), Action::kFail);
  EXPECT_EQ(error.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(error.message, "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0");
}

TEST(StartupNegotiationTest, NoGssEncRequestAfterTls) {
  StartupNegotiation n;
  ASSERT_EQ(NextAction(n, Packet(kSslRequestCode)), Action::kAnswerSsl);
  n.Answered(true);
  Error error;
  EXPECT_EQ(NextAction(n, Packet(kGssEncRequestCode), &error), Action::kFail);
  EXPECT_EQ(error.message, "unsupported frontend protocol 1234.5680: server supports 3.0 to 3.0");
}

TEST(StartupNegotiationTest, CancelEndsThePhase) {
  StartupNegotiation n;
  std::string cancel = Packet(kCancelRequestCode, "\0\0\0\x07\0\0\0\x09"s);
  StartupPacket packet;
  Error error;
  StartupNegotiation::Step step = n.Next(cancel, packet, error);
  ASSERT_EQ(step.action, Action::kCancel);
  EXPECT_EQ(std::get<CancelRequest>(packet).process_id, 7u);
  EXPECT_EQ(std::get<CancelRequest>(packet).secret_key, 9u);
}

TEST(StartupNegotiationTest, PartialPacketNeedsMoreAndBadLengthFails) {
  StartupNegotiation n;
  std::string ssl = Packet(kSslRequestCode);
  EXPECT_EQ(NextAction(n, std::string_view(ssl).substr(0, 5)), Action::kNeedMore);
  Error error;
  EXPECT_EQ(NextAction(n, "\0\0\0\x03"s, &error), Action::kFail);
  EXPECT_EQ(error.sqlstate, sqlstate::kProtocolViolation);
}

}  // namespace
}  // namespace sqlrite::protocol
