#include "protocol/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "common/sqlstate.h"

namespace sqlrite::protocol {

namespace {

// pg_utf_mblen: the length a sequence claims from its first byte.
size_t ClaimedLength(uint8_t c) {
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xe0) == 0xc0) return 2;
  if ((c & 0xf0) == 0xe0) return 3;
  if ((c & 0xf8) == 0xf0) return 4;
  return 1;
}

// pg_utf8_islegal for the n-byte sequence at s.
bool Legal(const uint8_t* s, size_t n) {
  auto cont = [](uint8_t b) { return b >= 0x80 && b <= 0xbf; };
  switch (n) {
    case 2:
      return s[0] >= 0xc2 && s[0] <= 0xdf && cont(s[1]);
    case 3:
      if (s[0] == 0xe0 && !(s[1] >= 0xa0 && s[1] <= 0xbf)) return false;
      if (s[0] == 0xed && !(s[1] >= 0x80 && s[1] <= 0x9f)) return false;  // surrogates
      return s[0] >= 0xe0 && s[0] <= 0xef && cont(s[1]) && cont(s[2]);
    case 4:
      if (s[0] == 0xf0 && !(s[1] >= 0x90 && s[1] <= 0xbf)) return false;
      if (s[0] == 0xf4 && !(s[1] >= 0x80 && s[1] <= 0x8f)) return false;  // > U+10FFFF
      return s[0] >= 0xf0 && s[0] <= 0xf4 && cont(s[1]) && cont(s[2]) && cont(s[3]);
    default:
      return false;
  }
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII runs, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ull) != 0) break;
      // A zero byte is ASCII too, but not allowed: look at each.
      if (((word - 0x0101010101010101ull) & ~word & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const uint8_t c = s[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t len = ClaimedLength(c);
    if (len == 1 || i + len > n || !Legal(s + i, len)) return i;
    i += len;
  }
  return std::nullopt;
}

Error InvalidUtf8Error(std::string_view text, size_t offset) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  // As report_invalid_encoding: the bytes the first one claims, as far as the text goes.
  const size_t shown = std::min(ClaimedLength(s[offset]), text.size() - offset);
  std::string bytes;
  for (size_t j = 0; j < shown; ++j) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), j == 0 ? "0x%02x" : " 0x%02x", s[offset + j]);
    bytes += hex;
  }
  return Error(sqlstate::kCharacterNotInRepertoire,
               "invalid byte sequence for encoding \"UTF8\": " + bytes);
}

}  // namespace sqlrite::protocol
