#include "engine/types/uuid.h"

#include <openssl/rand.h>

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine::uuid {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> Parse(std::string_view text) {
  auto bad = [text] {
    return Fail(sqlstate::kInvalidTextRepresentation,
                "invalid input syntax for type uuid: \"" + std::string(text) + "\"");
  };
  std::string out;
  out.reserve(kBytes);
  size_t i = 0;
  const bool braces = !text.empty() && text[0] == '{';
  if (braces) ++i;
  for (size_t b = 0; b < kBytes; ++b) {
    if (i + 2 > text.size()) return bad();
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    out.push_back(static_cast<char>(hi << 4 | lo));
    i += 2;
    if (i < text.size() && text[i] == '-' && b % 2 == 1 && b < kBytes - 1) ++i;
  }
  if (braces) {
    if (i >= text.size() || text[i] != '}') return bad();
    ++i;
  }
  if (i != text.size()) return bad();
  return out;
}

void AppendText(std::string& out, std::string_view bytes) {
  SQLRITE_ASSERT(bytes.size() == kBytes);
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t b = 0; b < kBytes; ++b) {
    if (b == 4 || b == 6 || b == 8 || b == 10) out.push_back('-');
    const auto u = static_cast<unsigned char>(bytes[b]);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 15]);
  }
}

Result<std::string> Random() {
  std::string out(kBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(kBytes)) != 1) {
    return Fail(sqlstate::kInternalError, "could not generate random values");
  }
  out[6] = static_cast<char>((out[6] & 0x0F) | 0x40);  // version 4
  out[8] = static_cast<char>((out[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return out;
}

}  // namespace sqlrite::engine::uuid
