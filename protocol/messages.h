#pragma once
// Frontend messages of the PostgreSQL v3 protocol, as decoded by protocol/decoder.h.
//
// Lifetime: every std::string_view below points into the input buffer the decoder was given; it
// stays valid only while that buffer is unchanged. The session handles a message before it
// compacts or refills its read buffer, so the hot path (Query) copies nothing.

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sqlrite::protocol {

// Protocol codes carried by untyped startup-phase packets.
inline constexpr uint32_t kProtocolVersion3 = 196608;  // 3.0: (3 << 16) | 0
inline constexpr uint32_t kSslRequestCode = 80877103;
inline constexpr uint32_t kGssEncRequestCode = 80877104;
inline constexpr uint32_t kCancelRequestCode = 80877102;

// PostgreSQL's MAX_STARTUP_PACKET_LENGTH (the body after the length word), and the caps of
// postgres.c's SocketBackend on a message's length word (which counts itself):
// PQ_LARGE_MESSAGE_LIMIT (MaxAllocSize - 1) for Query, Parse, Bind, CopyData and FunctionCall,
// PQ_SMALL_MESSAGE_LIMIT for every other type.
inline constexpr uint32_t kMaxStartupPacketLength = 10000;
inline constexpr uint32_t kMaxMessageLength = (1u << 30) - 2;
inline constexpr uint32_t kMaxSmallMessageLength = 10000;

// The cap on the length word of a message of this type (as above).
constexpr uint32_t MaxMessageLength(char type) {
  switch (type) {
    case 'Q':
    case 'P':
    case 'B':
    case 'd':
    case 'F':
      return kMaxMessageLength;
    default:
      return kMaxSmallMessageLength;
  }
}

// ---- Startup phase (no type byte) ----

struct StartupMessage {
  uint32_t protocol_version = kProtocolVersion3;  // major << 16 | minor
  // Key/value pairs in packet order ("user", "database", "application_name", "_pq_.x", ...).
  std::vector<std::pair<std::string_view, std::string_view>> params;
};
struct SslRequest {};
struct GssEncRequest {};
struct CancelRequest {
  uint32_t process_id = 0;
  uint32_t secret_key = 0;
};
using StartupPacket = std::variant<StartupMessage, SslRequest, GssEncRequest, CancelRequest>;

// ---- Regular phase (type byte + Int32 length) ----

struct Query {  // 'Q'
  std::string_view sql;
};
struct Terminate {};           // 'X'
struct Parse {                 // 'P'
  std::string_view statement;  // empty: the unnamed statement
  std::string_view query;
  std::vector<uint32_t> param_types;  // 0: unspecified
};
struct Bind {  // 'B'
  std::string_view portal;
  std::string_view statement;
  std::vector<int16_t> param_formats;  // 0 text, 1 binary; empty: all text; one: applies to all
  std::vector<std::optional<std::string_view>> params;  // nullopt: NULL
  std::vector<int16_t> result_formats;
};
struct Describe {   // 'D'
  char kind = 'S';  // 'S' statement, 'P' portal
  std::string_view name;
};
struct Execute {  // 'E'
  std::string_view portal;
  int32_t max_rows = 0;  // 0: no limit
};
struct Sync {};     // 'S'
struct Flush {};    // 'H'
struct Close {      // 'C'
  char kind = 'S';  // 'S' statement, 'P' portal
  std::string_view name;
};
struct FunctionCall {  // 'F' (fast-path function call)
  // The function's OID; nullopt when the body is shorter than one (PostgreSQL's ERROR 08P01
  // "insufficient data left in message", the session carries on). The rest of the body
  // (argument formats, arguments, result format) is not read: no function can be called.
  std::optional<uint32_t> function_oid;
};
// CopyData ('d'), CopyDone ('c'), CopyFail ('f'): the session's COPY FROM STDIN reads `body`
// (the data; CopyFail's NUL-terminated message); outside COPY PostgreSQL accepts and ignores them.
struct IgnoredMessage {
  char type = 0;
  std::string_view body;
};

using FrontendMessage = std::variant<Query, Terminate, Parse, Bind, Describe, Execute, Sync, Flush,
                                     Close, FunctionCall, IgnoredMessage>;

}  // namespace sqlrite::protocol
