#pragma once
// StartupNegotiation: which startup-phase packet the server acts on next, by PostgreSQL 15's
// ProcessStartupPacket (15.8 on). Socketless, like the decoders it wraps: the session reads,
// writes and performs the TLS handshake; this class holds only the rules of the phase:
//   - an SSLRequest and a GSSENCRequest are each answered once, and either may follow the
//     other's refusal ('N'); a request beyond that (a second SSLRequest, or a GSSENCRequest once
//     the connection is on TLS) is a startup packet of an unsupported protocol to PostgreSQL
//     (1234.5679 or 1234.5680): FATAL 0A000;
//   - a CancelRequest or a StartupMessage ends the phase;
//   - a malformed packet (DecodeStartupPacket's kBad) is FATAL, the connection closes.
// Timing (bytes that arrived behind a request before its answer) is the session's to check.

#include <cstddef>
#include <string_view>

#include "common/error.h"
#include "protocol/decoder.h"
#include "protocol/messages.h"

namespace sqlrite::protocol {

class StartupNegotiation {
 public:
  enum class Action {
    kNeedMore,      // the bytes end inside a packet: read more, call Next again
    kFail,          // send `error` (FATAL) and close
    kAnswerSsl,     // answer the SSLRequest ('S' and the handshake, or 'N'), then Answered()
    kAnswerGssEnc,  // answer the GSSENCRequest ('N'), then Answered()
    kCancel,        // `packet` holds a CancelRequest: act on it, close without an answer
    kStartup,       // `packet` holds the StartupMessage: authenticate and connect
  };
  struct Step {
    Action action = Action::kNeedMore;
    size_t consumed = 0;  // bytes of the packet, > 0 unless kNeedMore or kFail
  };

  // Decodes the next packet from `in` (the unread bytes) and says what to do with it.
  // REQUIRES: no kAnswerSsl / kAnswerGssEnc step is waiting for Answered(); not after the phase
  // ended (kFail, kCancel, kStartup).
  Step Next(std::string_view in, StartupPacket& packet, Error& error);

  // The request of the last step has been answered; `tls`: the connection is on TLS now.
  void Answered(bool tls);

 private:
  bool ssl_done_ = false;  // ProcessStartupPacket's two flags
  bool gss_done_ = false;
  Action pending_ = Action::kNeedMore;  // a request waiting for Answered()
  bool ended_ = false;
};

}  // namespace sqlrite::protocol
