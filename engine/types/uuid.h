#pragma once
// uuid (OID 2950): a std::string Datum of exactly 16 bytes. Text input as uuid_in accepts it (32
// hex digits in either case, optionally in braces, a hyphen allowed after any group of four
// digits), output as 8-4-4-4-12 lowercase hex, binary send/receive as the 16 bytes, compare and
// index keys as unsigned bytes (uuid_cmp is memcmp).

#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::engine::uuid {

inline constexpr size_t kBytes = 16;

// uuid_in. Error: 22P02 "invalid input syntax for type uuid: "...""
Result<std::string> Parse(std::string_view text);

// uuid_out. REQUIRES: bytes.size() == kBytes.
void AppendText(std::string& out, std::string_view bytes);

// gen_random_uuid(): a version 4 UUID from OpenSSL's RAND_bytes. Error when the random
// generator fails (XX000).
Result<std::string> Random();

}  // namespace sqlrite::engine::uuid
