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
    std::string u = NewUuidV4();
    EXPECT_TRUE(Canonical(u, '4')) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Uuid, V7IsCanonicalAndIncreasing) {
  std::string last;
  for (int i = 0; i < 10000; ++i) {
    std::string u = NewUuidV7();
    EXPECT_TRUE(Canonical(u, '7')) << u;
    EXPECT_LT(last, u) << "v7 keys of one thread must increase";
    last = u;
  }
}

}  // namespace
}  // namespace sqlrite::orm
