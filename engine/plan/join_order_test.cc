// ChooseJoinOrder: figures in, order out (no engine).

#include "engine/plan/join_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace sqlrite::engine::plan {
namespace {

JoinGraph::Edge Eq(uint64_t items, double selectivity) {
  return JoinGraph::Edge{items, selectivity, true};
}

TEST(JoinOrderTest, EqualFiguresKeepFromOrder) {
  JoinGraph g;
  g.rows = {100, 100, 100};
  g.edges = {Eq(0b011, 0.01), Eq(0b110, 0.01)};
  EXPECT_EQ(ChooseJoinOrder(g), (std::vector<size_t>{0, 1, 2}));
  g.edges.clear();  // a cross join of three: FROM order too
  EXPECT_EQ(ChooseJoinOrder(g), (std::vector<size_t>{0, 1, 2}));
}

TEST(JoinOrderTest, SelectiveJoinFirst) {
  // big(0) joins mid(1) and small(2); small is restricted to one row, so the join that uses it
  // comes first.
  JoinGraph g;
  g.rows = {1e6, 1e4, 1};
  g.edges = {Eq(0b011, 1e-4), Eq(0b101, 1e-6)};
  const std::vector<size_t> order = ChooseJoinOrder(g);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[2], 1u);  // mid last: big x small first gives one row
}

TEST(JoinOrderTest, NoCrossJoinWhileAnItemIsJoinable) {
  // Written in the worst order: the two dimensions (1, 2) first, the fact table last. Joining
  // the dimensions first would be a cross join; each joins the fact on a key.
  JoinGraph g;
  g.rows = {1000, 10, 1e6};
  g.edges = {Eq(0b101, 1e-3), Eq(0b110, 1e-1)};
  const std::vector<size_t> order = ChooseJoinOrder(g);
  ASSERT_EQ(order.size(), 3u);
  EXPECT_NE(order[0] + order[1], 1u) << "the dimensions are cross-joined first";
}

TEST(JoinOrderTest, DisconnectedItemsAreCrossJoinedLast) {
  JoinGraph g;
  g.rows = {10, 1e5, 1e5};
  g.edges = {Eq(0b110, 1e-5)};
  const std::vector<size_t> order = ChooseJoinOrder(g);
  // 1 and 2 join on a key (1e5 rows); the 10-row item is crossed with that or first: either
  // way no cross join happens between 1 and 2.
  ASSERT_EQ(order.size(), 3u);
  EXPECT_TRUE((order[0] == 1 && order[1] == 2) || (order[0] == 2 && order[1] == 1) || order[0] == 0)
      << order[0] << order[1] << order[2];
}

TEST(JoinOrderTest, JoinRowsAppliesCoveredEdgesOnly) {
  JoinGraph g;
  g.rows = {100, 200, 300};
  g.edges = {Eq(0b011, 0.01), Eq(0b110, 0.5)};
  EXPECT_DOUBLE_EQ(JoinRows(g, 0b001), 100);
  EXPECT_DOUBLE_EQ(JoinRows(g, 0b011), 200);
  EXPECT_DOUBLE_EQ(JoinRows(g, 0b101), 30000);
  EXPECT_DOUBLE_EQ(JoinRows(g, 0b111), 30000);
}

TEST(JoinOrderTest, ManyItemsGoGreedyAndPlaceEachOnce) {
  // A chain of 20 items: beyond kExhaustiveItems, still a permutation with no cross join.
  JoinGraph g;
  for (size_t u = 0; u < 20; ++u) g.rows.push_back(static_cast<double>(10 + (u * 7) % 13));
  for (size_t u = 0; u + 1 < 20; ++u) g.edges.push_back(Eq((uint64_t{3} << u), 0.1));
  const std::vector<size_t> order = ChooseJoinOrder(g);
  ASSERT_EQ(order.size(), 20u);
  uint64_t seen = 0;
  for (size_t step = 0; step < order.size(); ++step) {
    const size_t u = order[step];
    EXPECT_FALSE(seen & (uint64_t{1} << u));
    if (step > 0) {
      const bool tied = (u > 0 && (seen & (uint64_t{1} << (u - 1)))) ||
                        (u + 1 < 20 && (seen & (uint64_t{1} << (u + 1))));
      EXPECT_TRUE(tied) << "item " << u << " cross-joined at step " << step;
    }
    seen |= uint64_t{1} << u;
  }
}

TEST(JoinOrderTest, ExhaustiveSearchOfTenItemsIsAPermutation) {
  JoinGraph g;
  for (size_t u = 0; u < kExhaustiveItems; ++u) g.rows.push_back(static_cast<double>(u + 1) * 10);
  for (size_t u = 1; u < kExhaustiveItems; ++u) g.edges.push_back(Eq(1 | (uint64_t{1} << u), 0.1));
  std::vector<size_t> order = ChooseJoinOrder(g);
  std::sort(order.begin(), order.end());
  for (size_t u = 0; u < kExhaustiveItems; ++u) EXPECT_EQ(order[u], u);
}

}  // namespace
}  // namespace sqlrite::engine::plan
