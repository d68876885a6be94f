// Fuzz target `startup`: a connection's byte stream through the startup phase as the session
// takes it (protocol/startup.h's StartupNegotiation over the startup decoder), then the messages
// of the ready phase. The first byte is the server's side of the conversation: bit 0, the server
// has a certificate (an SSLRequest is answered 'S' and the stream goes on "inside" TLS).
// Checked: the negotiation's steps keep PostgreSQL's rules (each of SSLRequest and GSSENCRequest
// answered at most once, none after TLS, a failure is FATAL with a SQLSTATE), the steps consume
// whole packets, and nothing crashes, leaks or hits UB.

#include <string>
#include <variant>

#include "protocol/decoder.h"
#include "protocol/startup.h"
#include "tests/fuzz/fuzz_target.h"

namespace sqlrite::fuzz {
namespace {

using Action = protocol::StartupNegotiation::Action;

// The ready phase: regular messages until the stream ends, breaks or says Terminate.
void ReadyPhase(std::string_view in) {
  for (;;) {
    protocol::FrontendMessage msg;
    Error error;
    protocol::DecodeResult r = protocol::DecodeFrontendMessage(in, msg, error);
    if (r.status != protocol::DecodeStatus::kGood) return;
    FUZZ_CHECK(r.consumed > 0 && r.consumed <= in.size());
    if (std::holds_alternative<protocol::Terminate>(msg)) return;
    in.remove_prefix(r.consumed);
  }
}

void Connection(uint8_t server, std::string_view in) {
  const bool has_certificate = (server & 1) != 0;
  protocol::StartupNegotiation negotiation;
  bool tls = false;
  int ssl_answers = 0;
  int gss_answers = 0;
  for (;;) {
    protocol::StartupPacket packet;
    Error error;
    protocol::StartupNegotiation::Step step = negotiation.Next(in, packet, error);
    switch (step.action) {
      case Action::kNeedMore:
        FUZZ_CHECK(step.consumed == 0);
        return;
      case Action::kFail:
        FUZZ_CHECK(step.consumed == 0);
        FUZZ_CHECK(error.severity == Severity::kFatal && error.sqlstate.size() == 5);
        return;
      case Action::kAnswerSsl:
      case Action::kAnswerGssEnc: {
        const bool ssl = step.action == Action::kAnswerSsl;
        FUZZ_CHECK(std::holds_alternative<protocol::SslRequest>(packet) == ssl);
        FUZZ_CHECK(!tls);  // nothing is negotiated once on TLS
        FUZZ_CHECK(step.consumed == 8 && step.consumed <= in.size());
        (ssl ? ssl_answers : gss_answers) += 1;
        FUZZ_CHECK(ssl_answers <= 1 && gss_answers <= 1);
        in.remove_prefix(step.consumed);
        if (ssl && has_certificate) tls = true;
        negotiation.Answered(tls);
        continue;
      }
      case Action::kCancel:
        FUZZ_CHECK(std::holds_alternative<protocol::CancelRequest>(packet));
        FUZZ_CHECK(step.consumed == 16 && step.consumed <= in.size());
        return;
      case Action::kStartup:
        FUZZ_CHECK(std::holds_alternative<protocol::StartupMessage>(packet));
        FUZZ_CHECK(step.consumed >= 8 && step.consumed <= in.size());
        in.remove_prefix(step.consumed);
        ReadyPhase(in);
        return;
    }
  }
}

}  // namespace
}  // namespace sqlrite::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  sqlrite::fuzz::Connection(data[0],
                            std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  return 0;
}
