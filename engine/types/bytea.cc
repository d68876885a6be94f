#include "engine/types/bytea.h"

#include <openssl/evp.h>

#include <cstdint>

#include "common/assert.h"
#include "common/sqlstate.h"
#include "engine/session_locals.h"

namespace sqlrite::engine::bytea {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// PostgreSQL quotes the offending character as one (multibyte) character of the input.
tl::unexpected<Error> BadHexDigit(std::string_view s, size_t at) {
  size_t len = 1;
  while (at + len < s.size() && (static_cast<unsigned char>(s[at + len]) & 0xC0) == 0x80) ++len;
  return Fail(sqlstate::kInvalidParameterValue,
              "invalid hexadecimal digit: \"" + std::string(s.substr(at, len)) + "\"");
}

// hex_decode: pairs of hex digits, whitespace skipped between pairs.
Result<std::string> HexDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size() / 2);
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    const int hi = HexValue(c);
    if (hi < 0) return BadHexDigit(s, i);
    if (i + 1 >= s.size()) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "invalid hexadecimal data: odd number of digits");
    }
    const int lo = HexValue(s[i + 1]);
    if (lo < 0) return BadHexDigit(s, i + 1);
    out.push_back(static_cast<char>(hi << 4 | lo));
    i += 2;
  }
  return out;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// The escape form: "\\" is a backslash, "\ooo" (first digit 0-3) a byte, any other byte itself.
Result<std::string> EscapeDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '\\') {
      out.push_back(s[i++]);
    } else if (i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && IsOctal(s[i + 2]) &&
               IsOctal(s[i + 3])) {
      out.push_back(
          static_cast<char>((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0')));
      i += 4;
    } else if (i + 1 < s.size() && s[i + 1] == '\\') {
      out.push_back('\\');
      i += 2;
    } else {
      return Fail(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type bytea");
    }
  }
  return out;
}

std::string EscapeEncode(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0 || u >= 0x80) {
      out.push_back('\\');
      out.push_back(static_cast<char>('0' + (u >> 6)));
      out.push_back(static_cast<char>('0' + ((u >> 3) & 7)));
      out.push_back(static_cast<char>('0' + (u & 7)));
    } else if (c == '\\') {
      out.append("\\\\");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// pg_b64_encode as encode() uses it: a newline after every 76 output characters.
std::string Base64Encode(std::string_view bytes) {
  std::string out;
  size_t line = 0;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    const size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    if (n > 1) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (n > 2) v |= static_cast<unsigned char>(bytes[i + 2]);
    if (line >= 76) {
      out.push_back('\n');
      line = 0;
    }
    out.push_back(kBase64[(v >> 18) & 63]);
    out.push_back(kBase64[(v >> 12) & 63]);
    out.push_back(n > 1 ? kBase64[(v >> 6) & 63] : '=');
    out.push_back(n > 2 ? kBase64[v & 63] : '=');
    line += 4;
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// b64_decode of encode.c: whitespace skipped, '=' only at the end.
Result<std::string> Base64Decode(std::string_view s) {
  std::string out;
  uint32_t buf = 0;
  int pos = 0;
  int end = 0;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    int b = 0;
    if (c == '=') {
      if (end == 0) {
        if (pos == 2) {
          end = 1;
        } else if (pos == 3) {
          end = 2;
        } else {
          return Fail(sqlstate::kInvalidParameterValue,
                      "unexpected \"=\" while decoding base64 sequence");
        }
      }
    } else {
      b = Base64Value(c);
      if (b < 0) {
        return Fail(
            sqlstate::kInvalidParameterValue,
            "invalid symbol \"" + std::string(1, c) + "\" found while decoding base64 sequence");
      }
      if (end != 0) {
        return Fail(sqlstate::kInvalidParameterValue, "invalid base64 end sequence");
      }
    }
    buf = (buf << 6) + static_cast<uint32_t>(b);
    if (++pos == 4) {
      out.push_back(static_cast<char>((buf >> 16) & 255));
      if (end == 0 || end > 1) out.push_back(static_cast<char>((buf >> 8) & 255));
      if (end == 0 || end > 2) out.push_back(static_cast<char>(buf & 255));
      buf = 0;
      pos = 0;
    }
  }
  if (pos != 0) {
    return Fail(Error(sqlstate::kInvalidParameterValue, "invalid base64 end sequence")
                    .WithHint("Input data is missing padding, is truncated, or is otherwise "
                              "corrupted."));
  }
  return out;
}

}  // namespace

Result<std::string> Parse(std::string_view text) {
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') return HexDecode(text.substr(2));
  return EscapeDecode(text);
}

void AppendText(std::string& out, std::string_view bytes) {
  const SessionLocals* locals = CurrentSessionLocals();
  if (locals != nullptr && locals->bytea_output_escape.load(std::memory_order_relaxed)) {
    AppendEscaped(out, bytes);
  } else {
    AppendHex(out, bytes);
  }
}

void AppendHex(std::string& out, std::string_view bytes) {
  out.reserve(out.size() + 2 + 2 * bytes.size());
  out.append("\\x");
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(kHexDigits[u >> 4]);
    out.push_back(kHexDigits[u & 15]);
  }
}

void AppendEscaped(std::string& out, std::string_view bytes) {
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      out.append("\\\\");
    } else if (u < 0x20 || u > 0x7e) {
      out.push_back('\\');
      out.push_back(static_cast<char>('0' + (u >> 6)));
      out.push_back(static_cast<char>('0' + ((u >> 3) & 7)));
      out.push_back(static_cast<char>('0' + (u & 7)));
    } else {
      out.push_back(c);
    }
  }
}

Result<std::string> Encode(std::string_view bytes, std::string_view format) {
  if (format == "hex") {
    std::string out;
    AppendHex(out, bytes);
    return out.substr(2);
  }
  if (format == "base64") return Base64Encode(bytes);
  if (format == "escape") return EscapeEncode(bytes);
  return Fail(sqlstate::kInvalidParameterValue,
              "unrecognized encoding: \"" + std::string(format) + "\"");
}

Result<std::string> Decode(std::string_view text, std::string_view format) {
  if (format == "hex") return HexDecode(text);
  if (format == "base64") return Base64Decode(text);
  if (format == "escape") return EscapeDecode(text);
  return Fail(sqlstate::kInvalidParameterValue,
              "unrecognized encoding: \"" + std::string(format) + "\"");
}

std::string Digest(std::string_view algorithm, std::string_view bytes) {
  const EVP_MD* md = EVP_get_digestbyname(std::string(algorithm).c_str());
  SQLRITE_ASSERT(md != nullptr);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const int ok = EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr);
  SQLRITE_ASSERT(ok == 1);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string Md5Hex(std::string_view bytes) {
  std::string hex;
  AppendHex(hex, Digest("md5", bytes));
  return hex.substr(2);
}

}  // namespace sqlrite::engine::bytea
