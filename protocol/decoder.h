#pragma once
// Socketless, incremental decoders for what a PostgreSQL v3 frontend sends, in the style of the
// Asio HTTP example's request_parser: given the bytes received so far, each call answers
//   kGood     - one whole packet decoded into `out`; `consumed` bytes belong to it;
//   kNeedMore - the bytes end inside a packet; call again with more (nothing is consumed);
//   kBad      - the stream is malformed; `error` says why (SQLSTATE and message as PostgreSQL
//               15 words them). The connection cannot be resynchronised: close it.
// A length prefix is checked as soon as it has arrived, so an oversized packet is refused before
// its body is read. Decoders keep no state between calls and never allocate for a Query.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "protocol/messages.h"

namespace sqlrite::protocol {

enum class DecodeStatus {
  kGood,
  kNeedMore,
  // A message framed well (a known type, an acceptable length, every byte in) whose body does
  // not parse: `error` is an ERROR and `consumed` covers the whole message. PostgreSQL answers it
  // as an error in that message (postgres.c's pq_getmsg* calls) and the connection carries on.
  kMalformed,
  // The stream cannot be followed any further (unknown type, refused length): `error` is FATAL.
  kBad,
};

struct DecodeResult {
  DecodeStatus status = DecodeStatus::kNeedMore;
  size_t consumed = 0;  // > 0 only when kGood or kMalformed
};

// Decodes one startup-phase packet: Int32 length (including itself), Int32 code, body.
// Errors: 08P01 "invalid length of startup packet" (length < 8, or body > 10000 bytes, or a
// special request of the wrong size); 0A000 "unsupported frontend protocol M.m: server supports
// 3.0 to 3.0" for a major version other than 3; 08P01 "invalid startup packet layout: expected
// terminator as last byte" for a malformed parameter list.
DecodeResult DecodeStartupPacket(std::string_view in, StartupPacket& out, Error& error);

// FATAL 0A000 for a startup packet whose protocol code (major << 16 | minor) the server does not
// speak. The session also sends it for an SSLRequest or GSSENCRequest that PostgreSQL no longer
// takes as one (a second SSLRequest is protocol 1234.5679 to it).
Error UnsupportedProtocolError(uint32_t code);

// Decodes one regular message: Byte1 type, Int32 length (including itself), body.
// kBad (FATAL 08P01): "invalid message length" (length < 4, or above MaxMessageLength(type):
// 10000 for most types; refused as soon as the header is in, before the body), "invalid frontend
// message type N". kMalformed (ERROR 08P01): "invalid string in message", "insufficient data
// left in message", "invalid message format" (bytes left over), "invalid DESCRIBE/CLOSE message
// subtype N". A Terminate's body, and CopyData/CopyDone/CopyFail's, are not checked (PostgreSQL
// does not read them).
DecodeResult DecodeFrontendMessage(std::string_view in, FrontendMessage& out, Error& error);

// Decodes one message while the client authenticates: a 'p' message, whose body is a
// PasswordMessage, SASLInitialResponse or SASLResponse according to the exchange's state (the
// type byte is shared; protocol/scram.h reads the body). `body` views into `in`.
// Errors: 08P01 "expected SASL response, got message type N" for another type; a length below
// 4 or a body over max_body (PostgreSQL's PG_MAX_SASL_MESSAGE_LENGTH is 1024) gives 28P01
// "invalid message length": PostgreSQL logs that and fails the authentication, so the caller
// answers "password authentication failed for user ...".
inline constexpr size_t kMaxSaslMessageLength = 1024;
DecodeResult DecodeAuthResponse(std::string_view in, size_t max_body, std::string_view& body,
                                Error& error);

}  // namespace sqlrite::protocol
