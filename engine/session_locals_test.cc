// SessionLocals: PostgreSQL 15's generator (the values are what its random() gives after the same
// setseed) and the scopes that make a session's locals current.

#include "engine/session_locals.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace sqlrite::engine {
namespace {

TEST(SessionRandomTest, SeededDrawsArePostgreSQLs) {
  SessionRandom random;
  random.Seed(0.5);
  EXPECT_EQ(random.NextDouble(), 0.9851677175347999);
  EXPECT_EQ(random.NextDouble(), 0.825301858027981);
  random.Seed(-1);
  EXPECT_EQ(random.NextDouble(), 0.725656831544149);
}

TEST(SessionRandomTest, ReseedingRepeatsTheSequenceAndDrawsStayInRange) {
  SessionRandom random;
  random.Seed(0.125);
  std::vector<double> first;
  for (int i = 0; i < 1000; ++i) {
    first.push_back(random.NextDouble());
    EXPECT_GE(first.back(), 0.0);
    EXPECT_LT(first.back(), 1.0);
  }
  random.Seed(0.125);
  for (double x : first) EXPECT_EQ(random.NextDouble(), x);
  SessionRandom other;  // seeded from the system: another sequence
  other.Seed(0.25);
  EXPECT_NE(other.NextDouble(), first[0]);
}

TEST(SessionLocalsScopeTest, NestsAndRestores) {
  EXPECT_EQ(CurrentSessionLocals(), nullptr);
  auto a = std::make_shared<SessionLocals>();
  auto b = std::make_shared<SessionLocals>();
  {
    SessionLocalsScope outer(a);
    EXPECT_EQ(CurrentSessionLocals(), a.get());
    {
      SessionLocalsScope inner(b);
      EXPECT_EQ(CurrentSessionLocals(), b.get());
      SessionLocalsScope none(nullptr);  // leaves the current ones in place
      EXPECT_EQ(CurrentSessionLocals(), b.get());
    }
    EXPECT_EQ(CurrentSessionLocals(), a.get());
    EXPECT_EQ(CurrentSessionLocalsShared(), a);
  }
  EXPECT_EQ(CurrentSessionLocals(), nullptr);
}

}  // namespace
}  // namespace sqlrite::engine
