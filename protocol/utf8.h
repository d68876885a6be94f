#pragma once
// Validation of client text as UTF-8 (the only server_encoding / client_encoding here), with the
// rules and the error of PostgreSQL's pg_verify_mbstr: no overlong forms, no surrogates, nothing
// above U+10FFFF, no NUL.

#include <optional>
#include <string_view>

#include "common/error.h"

namespace sqlrite::protocol {

// The byte offset of the first invalid sequence in text, or nullopt when it is all valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// PostgreSQL's 22021 error for the invalid sequence at text[offset]:
// invalid byte sequence for encoding "UTF8": 0xe2 0x28 0xa1
Error InvalidUtf8Error(std::string_view text, size_t offset);

}  // namespace sqlrite::protocol
