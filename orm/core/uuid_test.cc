#include "orm/core/uuid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace sqlrite::orm {
namespace {

bool Canonical(const std::string& u, char version) {
  static const std::regex kForm(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_match(u, kForm) && u[14] == version;
}

TEST(Uuid, V4IsCanonicalAndRandom) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = FormatUuid(NewUuidV4());
    EXPECT_TRUE(Canonical(u, '4')) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Uuid, V7IsCanonicalAndIncreasing) {
  std::string last;
  for (int i = 0; i < 10000; ++i) {
    std::string u = FormatUuid(NewUuidV7());
    EXPECT_TRUE(Canonical(u, '7')) << u;
    EXPECT_LT(last, u) << "v7 keys of one thread must increase";
    last = u;
  }
}

TEST(Uuid, TextRoundTripsAndAcceptsPostgresInputForms) {
  Uuid u = NewUuidV4();
  auto back = ParseUuid(FormatUuid(u));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, u);
  auto upper = ParseUuid("{A0EEBC99-9C0B4EF8-BB6D-6BB9BD380A11}");
  ASSERT_TRUE(upper) << upper.error().message;
  EXPECT_EQ(FormatUuid(*upper), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_TRUE(ParseUuid("a0eebc999c0b4ef8bb6d6bb9bd380a11"));
  for (const char* bad :
       {"", "a0eebc99", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "-a0eebc99",
        "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111"}) {
    auto r = ParseUuid(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().sqlstate, "22P02");
  }
  EXPECT_TRUE(Uuid{}.is_nil());
  EXPECT_FALSE(u.is_nil());
}

}  // namespace
}  // namespace sqlrite::orm
