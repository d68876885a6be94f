#include "engine/types/bit_string.h"

#include "common/assert.h"
#include "common/bytes.h"

namespace sqlrite::engine::bit_string {
namespace {

// PostgreSQL's VARBITMAXLEN: the longest bit string a value may hold.
constexpr int64_t kMaxBits = 2147483640;  // INT_MAX - 8 + 1

}  // namespace

void Bits::Set(int32_t i, bool on) {
  auto& byte = reinterpret_cast<uint8_t&>(bytes[static_cast<size_t>(i / 8)]);
  const auto mask = static_cast<uint8_t>(0x80u >> (i % 8));
  byte = on ? (byte | mask) : (byte & ~mask);
}

void Bits::ClearPadding() {
  if (length % 8 == 0 || bytes.empty()) return;
  auto& last = reinterpret_cast<uint8_t&>(bytes.back());
  last &= static_cast<uint8_t>(0xFFu << (8 - length % 8));
}

Bits MakeBits(int32_t length) {
  Bits b;
  b.length = length;
  b.bytes.assign(static_cast<size_t>((length + 7) / 8), '\0');
  return b;
}

std::string Encode(const Bits& b) {
  std::string out;
  out.reserve(b.bytes.size() + 4);
  for (char c : b.bytes) {
    out.push_back(c);
    if (c == '\0') out.push_back('\xff');
  }
  out.push_back('\0');
  out.push_back(static_cast<char>(b.length == 0 ? 0 : (b.length - 1) % 8 + 1));
  return out;
}

Bits Decode(std::string_view datum) {
  SQLRITE_ASSERT(datum.size() >= 2);
  Bits b;
  size_t i = 0;
  while (i + 2 < datum.size()) {
    b.bytes.push_back(datum[i]);
    i += datum[i] == '\0' ? 2 : 1;
  }
  const int used = static_cast<uint8_t>(datum.back());
  b.length = used == 0 ? 0 : static_cast<int32_t>(b.bytes.size() - 1) * 8 + used;
  return b;
}

Result<Bits> ParseBits(std::string_view text) {
  bool hex = false;
  if (!text.empty() && (text[0] == 'b' || text[0] == 'B')) {
    text.remove_prefix(1);
  } else if (!text.empty() && (text[0] == 'x' || text[0] == 'X')) {
    hex = true;
    text.remove_prefix(1);
  }
  const int64_t length = static_cast<int64_t>(text.size()) * (hex ? 4 : 1);
  if (length > kMaxBits) {
    return Fail(sqlstate::kProgramLimitExceeded,
                "bit string length exceeds the maximum allowed (" + std::to_string(kMaxBits) + ")");
  }
  Bits b = MakeBits(static_cast<int32_t>(length));
  // The offending character as PostgreSQL quotes it: the whole (UTF-8) character.
  auto bad = [&](size_t i, const char* what) {
    size_t n = 1;
    const auto lead = static_cast<uint8_t>(text[i]);
    if (lead >= 0xF0) {
      n = 4;
    } else if (lead >= 0xE0) {
      n = 3;
    } else if (lead >= 0xC0) {
      n = 2;
    }
    return Fail(sqlstate::kInvalidTextRepresentation,
                "\"" + std::string(text.substr(i, n)) + "\" is not a valid " + what + " digit");
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!hex) {
      if (c == '1') {
        b.Set(static_cast<int32_t>(i), true);
      } else if (c != '0') {
        return bad(i, "binary");
      }
      continue;
    }
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return bad(i, "hexadecimal");
    }
    auto& byte = reinterpret_cast<uint8_t&>(b.bytes[i / 2]);
    byte |= static_cast<uint8_t>(i % 2 == 0 ? v << 4 : v);
  }
  return b;
}

Result<Bits> Fit(Bits b, TypeId type, int32_t typmod, bool explicit_cast) {
  if (typmod <= 0 || b.length == typmod) return b;
  if (type == TypeId::kVarbit) {
    if (b.length < typmod) return b;
    if (!explicit_cast) {
      return Fail(sqlstate::kStringDataRightTruncation,
                  "bit string too long for type bit varying(" + std::to_string(typmod) + ")");
    }
  } else if (!explicit_cast) {
    return Fail(sqlstate::kStringDataLengthMismatch,
                "bit string length " + std::to_string(b.length) + " does not match type bit(" +
                    std::to_string(typmod) + ")");
  }
  // Pad with zeros or truncate.
  b.bytes.resize(static_cast<size_t>((typmod + 7) / 8), '\0');
  b.length = typmod;
  b.ClearPadding();
  return b;
}

Result<std::string> Parse(std::string_view text, TypeId type, int32_t typmod) {
  SQLRITE_ASSIGN_OR_RETURN(Bits b, ParseBits(text));
  SQLRITE_ASSIGN_OR_RETURN(b, Fit(std::move(b), type, typmod, false));
  return Encode(b);
}

Result<std::string> Cast(std::string_view datum, TypeId type, int32_t typmod, bool explicit_cast) {
  if (typmod <= 0) return std::string(datum);
  Bits b = Decode(datum);
  if (b.length == typmod || (type == TypeId::kVarbit && b.length < typmod)) {
    return std::string(datum);
  }
  SQLRITE_ASSIGN_OR_RETURN(b, Fit(std::move(b), type, typmod, explicit_cast));
  return Encode(b);
}

void AppendText(std::string& out, std::string_view datum) {
  const Bits b = Decode(datum);
  out.reserve(out.size() + static_cast<size_t>(b.length));
  for (int32_t i = 0; i < b.length; ++i) out.push_back(b.Get(i) ? '1' : '0');
}

void AppendSend(std::string& out, std::string_view datum) {
  const Bits b = Decode(datum);
  AppendBE32(out, static_cast<uint32_t>(b.length));
  out += b.bytes;
}

Result<std::string> Receive(std::string_view wire, TypeId type, int32_t typmod) {
  auto invalid = [] {
    return Fail(sqlstate::kInvalidBinaryRepresentation, "invalid length in external bit string");
  };
  if (wire.size() < 4) return invalid();
  const auto length = static_cast<int32_t>(LoadBE32(wire.data()));
  if (length < 0 || length > kMaxBits ||
      wire.size() - 4 != static_cast<size_t>((int64_t{length} + 7) / 8)) {
    return invalid();
  }
  Bits b;
  b.length = length;
  b.bytes = std::string(wire.substr(4));
  b.ClearPadding();  // bit_recv masks the pad bits too
  SQLRITE_ASSIGN_OR_RETURN(b, Fit(std::move(b), type, typmod, false));
  return Encode(b);
}

std::string FromInt(int64_t v, int32_t typmod) {
  const int32_t n = typmod <= 0 ? 1 : typmod;
  Bits b = MakeBits(n);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t pos = n - 1 - i;  // the bit's weight
    const bool on = pos >= 63 ? v < 0 : ((v >> pos) & 1) != 0;
    if (on) b.Set(i, true);
  }
  return Encode(b);
}

Result<int64_t> ToInt(std::string_view datum, int width) {
  const Bits b = Decode(datum);
  if (b.length > width) {
    return Fail(sqlstate::kNumericValueOutOfRange,
                width == 32 ? "integer out of range" : "bigint out of range");
  }
  uint64_t v = 0;
  for (int32_t i = 0; i < b.length; ++i) v = (v << 1) | (b.Get(i) ? 1 : 0);
  if (width == 32) return int64_t{static_cast<int32_t>(static_cast<uint32_t>(v))};
  return static_cast<int64_t>(v);
}

Result<std::string> Bitwise(std::string_view a, std::string_view b, char op) {
  Bits x = Decode(a);
  const Bits y = Decode(b);
  if (x.length != y.length) {
    const char* name = op == '&' ? "AND" : op == '|' ? "OR" : "XOR";
    return Fail(sqlstate::kStringDataLengthMismatch,
                std::string("cannot ") + name + " bit strings of different sizes");
  }
  for (size_t i = 0; i < x.bytes.size(); ++i) {
    const auto l = static_cast<uint8_t>(x.bytes[i]), r = static_cast<uint8_t>(y.bytes[i]);
    x.bytes[i] = static_cast<char>(op == '&' ? l & r : op == '|' ? l | r : l ^ r);
  }
  return Encode(x);
}

}  // namespace sqlrite::engine::bit_string
