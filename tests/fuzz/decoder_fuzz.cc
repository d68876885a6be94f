// Fuzz target `decoder`: protocol/decoder.h on arbitrary bytes. The first byte picks the decoder
// (0: startup packets, 1: regular frontend messages, others: byte % kModes), the rest is a
// stream of packets decoded one after another as a session does, until one is bad or incomplete.
// Beyond "no crash, no leak, no UB", each answer is checked against the decoder's contract:
//   kGood     consumed is within the input and covers a whole packet; every view points into
//             the packet; the packet's length is within its cap; any shorter prefix of the
//             packet is kNeedMore (the decoder never decides on bytes it has not seen).
//   kNeedMore nothing consumed; once the length word is in, it is within the cap (a packet over
//             the cap is refused before its body is waited for, never buffered).
//   kMalformed (messages) an ERROR 08P01 covering exactly one whole, well-framed message; the
//             stream goes on after it.
//   kBad      a FATAL error with a SQLSTATE and a message.

#include <string>
#include <variant>

#include "common/bytes.h"
#include "protocol/decoder.h"
#include "tests/fuzz/fuzz_target.h"

namespace sqlrite::fuzz {
namespace {

using protocol::DecodeResult;
using protocol::DecodeStatus;

constexpr int kModes = 2;

void CheckBad(const Error& error) {
  FUZZ_CHECK(error.severity == Severity::kFatal);
  FUZZ_CHECK(error.sqlstate.size() == 5);
  FUZZ_CHECK(!error.message.empty());
}

void CheckStartupViews(const protocol::StartupPacket& packet, std::string_view in) {
  if (const auto* msg = std::get_if<protocol::StartupMessage>(&packet)) {
    FUZZ_CHECK((msg->protocol_version >> 16) == 3);
    for (const auto& [name, value] : msg->params) {
      FUZZ_CHECK(!name.empty());
      FUZZ_CHECK(Within(name, in) && Within(value, in));
    }
  }
}

void StartupStream(std::string_view in) {
  for (;;) {
    protocol::StartupPacket packet;
    Error error;
    DecodeResult r = protocol::DecodeStartupPacket(in, packet, error);
    if (r.status == DecodeStatus::kBad) {
      FUZZ_CHECK(r.consumed == 0);
      CheckBad(error);
      return;
    }
    if (r.status == DecodeStatus::kNeedMore) {
      FUZZ_CHECK(r.consumed == 0);
      if (in.size() >= 4) {
        uint32_t len = LoadBE32(in.data());
        FUZZ_CHECK(len >= 8 && len - 4 <= protocol::kMaxStartupPacketLength && in.size() < len);
      }
      return;
    }
    FUZZ_CHECK(r.consumed >= 8 && r.consumed <= in.size());
    FUZZ_CHECK(r.consumed - 4 <= protocol::kMaxStartupPacketLength);
    FUZZ_CHECK(r.consumed == LoadBE32(in.data()));
    std::string_view whole = in.substr(0, r.consumed);
    CheckStartupViews(packet, whole);
    protocol::StartupPacket again;
    Error again_error;
    FUZZ_CHECK(protocol::DecodeStartupPacket(whole.substr(0, whole.size() - 1), again, again_error)
                   .status == DecodeStatus::kNeedMore);
    FUZZ_CHECK(protocol::DecodeStartupPacket(whole.substr(0, 4), again, again_error).status ==
               DecodeStatus::kNeedMore);
    in.remove_prefix(r.consumed);
  }
}

void CheckMessageViews(const protocol::FrontendMessage& msg, std::string_view in) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, protocol::Query>) {
          FUZZ_CHECK(Within(m.sql, in));
          // A Query's text is followed by its NUL in the buffer (ParseOnWorker relies on it).
          FUZZ_CHECK(m.sql.data() + m.sql.size() < in.data() + in.size());
          FUZZ_CHECK(m.sql.data()[m.sql.size()] == '\0');
        } else if constexpr (std::is_same_v<T, protocol::Parse>) {
          FUZZ_CHECK(Within(m.statement, in) && Within(m.query, in));
          FUZZ_CHECK(m.param_types.size() <= in.size() / 4);
        } else if constexpr (std::is_same_v<T, protocol::Bind>) {
          FUZZ_CHECK(Within(m.portal, in) && Within(m.statement, in));
          FUZZ_CHECK(m.param_formats.size() <= in.size() / 2);
          FUZZ_CHECK(m.params.size() <= in.size() / 4);
          FUZZ_CHECK(m.result_formats.size() <= in.size() / 2);
          for (const auto& p : m.params) FUZZ_CHECK(!p || Within(*p, in));
        } else if constexpr (std::is_same_v<T, protocol::Describe> ||
                             std::is_same_v<T, protocol::Close>) {
          FUZZ_CHECK(m.kind == 'S' || m.kind == 'P');
          FUZZ_CHECK(Within(m.name, in));
        } else if constexpr (std::is_same_v<T, protocol::Execute>) {
          FUZZ_CHECK(Within(m.portal, in));
        } else if constexpr (std::is_same_v<T, protocol::IgnoredMessage>) {
          // CopyData / CopyDone / CopyFail: the whole body, for COPY FROM STDIN.
          FUZZ_CHECK(m.type == in[0] && Within(m.body, in) && m.body.size() == in.size() - 5);
        }
      },
      msg);
}

void MessageStream(std::string_view in) {
  for (;;) {
    protocol::FrontendMessage msg;
    Error error;
    DecodeResult r = protocol::DecodeFrontendMessage(in, msg, error);
    if (r.status == DecodeStatus::kBad) {
      FUZZ_CHECK(r.consumed == 0);
      CheckBad(error);
      return;
    }
    if (r.status == DecodeStatus::kMalformed) {
      // A whole, well-framed message whose body is wrong: an ERROR, and the stream goes on.
      FUZZ_CHECK(error.severity == Severity::kError);
      FUZZ_CHECK(error.sqlstate == "08P01" && !error.message.empty());
      FUZZ_CHECK(r.consumed >= 5 && r.consumed <= in.size());
      FUZZ_CHECK(r.consumed - 1 == LoadBE32(in.data() + 1));
      in.remove_prefix(r.consumed);
      continue;
    }
    if (r.status == DecodeStatus::kNeedMore) {
      FUZZ_CHECK(r.consumed == 0);
      if (in.size() >= 5) {
        uint32_t len = LoadBE32(in.data() + 1);
        FUZZ_CHECK(len >= 4 && len <= protocol::MaxMessageLength(in[0]) && in.size() < len + 1);
      }
      return;
    }
    FUZZ_CHECK(r.consumed >= 5 && r.consumed <= in.size());
    FUZZ_CHECK(r.consumed - 1 <= protocol::MaxMessageLength(in[0]));
    FUZZ_CHECK(r.consumed - 1 == LoadBE32(in.data() + 1));
    std::string_view whole = in.substr(0, r.consumed);
    CheckMessageViews(msg, whole);
    protocol::FrontendMessage again;
    Error again_error;
    FUZZ_CHECK(
        protocol::DecodeFrontendMessage(whole.substr(0, whole.size() - 1), again, again_error)
            .status == DecodeStatus::kNeedMore);
    FUZZ_CHECK(protocol::DecodeFrontendMessage(whole.substr(0, 5), again, again_error).status ==
               (whole.size() == 5 ? DecodeStatus::kGood : DecodeStatus::kNeedMore));
    in.remove_prefix(r.consumed);
  }
}

}  // namespace
}  // namespace sqlrite::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % sqlrite::fuzz::kModes) {
    case 0:
      sqlrite::fuzz::StartupStream(in);
      break;
    default:
      sqlrite::fuzz::MessageStream(in);
      break;
  }
  return 0;
}
