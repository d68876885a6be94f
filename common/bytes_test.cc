#include "common/bytes.h"

#include <gtest/gtest.h>

namespace sqlrite {
namespace {

TEST(BytesTest, BigEndianRoundTrip) {
  std::string s;
  AppendBE16(s, 0x0102);
  AppendBE32(s, 0x03040506);
  AppendBE64(s, 0x0708090a0b0c0d0eULL);
  ASSERT_EQ(s.size(), 14u);
  EXPECT_EQ(s[0], 1);
  EXPECT_EQ(s[2], 3);
  EXPECT_EQ(LoadBE16(s.data()), 0x0102);
  EXPECT_EQ(LoadBE32(s.data() + 2), 0x03040506u);
  EXPECT_EQ(LoadBE64(s.data() + 6), 0x0708090a0b0c0d0eULL);
}

TEST(BytesTest, VarintRoundTripAndTruncation) {
  for (uint64_t v : {0ULL, 1ULL, 127ULL, 128ULL, 300ULL, 1ULL << 40, ~0ULL}) {
    std::string s;
    AppendVarint(s, v);
    auto* p = reinterpret_cast<const uint8_t*>(s.data());
    uint64_t out = 0;
    EXPECT_EQ(DecodeVarint(p, p + s.size(), &out), p + s.size());
    EXPECT_EQ(out, v);
    if (s.size() > 1) {
      EXPECT_EQ(DecodeVarint(p, p + s.size() - 1, &out), nullptr);
    }
  }
}

}  // namespace
}  // namespace sqlrite
