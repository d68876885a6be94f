#include "protocol/startup.h"

#include <variant>

#include "common/assert.h"

namespace sqlrite::protocol {

StartupNegotiation::Step StartupNegotiation::Next(std::string_view in, StartupPacket& packet,
                                                  Error& error) {
  SQLRITE_ASSERT(pending_ == Action::kNeedMore && !ended_);
  DecodeResult r = DecodeStartupPacket(in, packet, error);
  if (r.status == DecodeStatus::kNeedMore) return {Action::kNeedMore, 0};
  if (r.status == DecodeStatus::kBad) {
    ended_ = true;
    return {Action::kFail, 0};
  }
  const bool ssl = std::holds_alternative<SslRequest>(packet);
  const bool gss = std::holds_alternative<GssEncRequest>(packet);
  if ((ssl && ssl_done_) || (gss && gss_done_)) {
    // PostgreSQL reads it as a startup packet then: protocol 1234.5679 (or .5680).
    error = UnsupportedProtocolError(ssl ? kSslRequestCode : kGssEncRequestCode);
    ended_ = true;
    return {Action::kFail, 0};
  }
  if (ssl || gss) {
    pending_ = ssl ? Action::kAnswerSsl : Action::kAnswerGssEnc;
    return {pending_, r.consumed};
  }
  ended_ = true;
  if (std::holds_alternative<CancelRequest>(packet)) return {Action::kCancel, r.consumed};
  return {Action::kStartup, r.consumed};
}

void StartupNegotiation::Answered(bool tls) {
  SQLRITE_ASSERT(pending_ == Action::kAnswerSsl || pending_ == Action::kAnswerGssEnc);
  if (pending_ == Action::kAnswerSsl) {
    ssl_done_ = true;
    // Neither request follows TLS.
    if (tls) gss_done_ = true;
  } else {
    gss_done_ = true;
  }
  pending_ = Action::kNeedMore;
}

}  // namespace sqlrite::protocol
