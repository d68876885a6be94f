#include "orm/core/uuid.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <random>

namespace sqlrite::orm {
namespace {

std::mt19937_64& Generator() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return gen;
}

void FillRandom(std::array<std::uint8_t, 16>& b, std::size_t from) {
  std::uint64_t bits = 0;
  for (std::size_t i = from; i < b.size(); ++i) {
    if ((i - from) % 8 == 0) bits = Generator()();
    b[i] = static_cast<std::uint8_t>(bits);
    bits >>= 8;
  }
}

void SetVersionAndVariant(std::array<std::uint8_t, 16>& b, int version) {
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | (version << 4));
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // the RFC variant, 10xx
}

}  // namespace

std::string FormatUuid(const Uuid& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[u.bytes[i] >> 4];
    out += kHex[u.bytes[i] & 0xf];
  }
  return out;
}

Result<Uuid> ParseUuid(std::string_view text) {
  // PostgreSQL's input forms: hex digits, optionally in braces, a hyphen allowed after any group
  // of four; the canonical 8-4-4-4-12 form is what every backend sends back.
  std::string_view s = text;
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
  Uuid u;
  std::size_t n = 0;  // hex digits read
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '-' && n > 0 && n % 4 == 0 && n < 32 && i + 1 < s.size() && s[i + 1] != '-') {
      continue;
    }
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (v < 0 || n == 32) n = 33;
    if (n > 32) break;
    u.bytes[n / 2] = static_cast<std::uint8_t>(u.bytes[n / 2] | (n % 2 ? v : v << 4));
    ++n;
  }
  if (n != 32) {
    return Fail("22P02", "invalid input syntax for type uuid: \"" + std::string(text) + "\"");
  }
  return u;
}

Uuid NewUuidV4() {
  std::array<std::uint8_t, 16> b{};
  FillRandom(b, 0);
  SetVersionAndVariant(b, 4);
  return Uuid{b};
}

Uuid NewUuidV7() {
  thread_local std::uint64_t last_ms = 0;
  thread_local std::uint16_t counter = 0;  // 12 bits used
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  if (ms > last_ms) {
    last_ms = ms;
    counter = static_cast<std::uint16_t>(Generator()() & 0x7ff);  // top bit clear: room to count
  } else {
    // The clock stood still or went back: stay in the last millisecond and count up, so the
    // thread's keys keep increasing; past 4095, borrow the next millisecond.
    if (++counter > 0xfff) {
      ++last_ms;
      counter = 0;
    }
    ms = last_ms;
  }
  std::array<std::uint8_t, 16> b{};
  FillRandom(b, 8);
  for (int i = 0; i < 6; ++i)
    b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(counter >> 8);
  b[7] = static_cast<std::uint8_t>(counter);
  SetVersionAndVariant(b, 7);
  return Uuid{b};
}

}  // namespace sqlrite::orm
