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

std::string Format(const std::array<std::uint8_t, 16>& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0xf];
  }
  return out;
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

std::string NewUuidV4() {
  std::array<std::uint8_t, 16> b{};
  FillRandom(b, 0);
  SetVersionAndVariant(b, 4);
  return Format(b);
}

std::string NewUuidV7() {
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
  return Format(b);
}

}  // namespace sqlrite::orm
