#include "server/delayed_peer_watch.h"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace sqlrite::server {
namespace {

using std::chrono::milliseconds;

struct Target : PeerWatchTarget {
  void ArmPeerWatch() override { ++arms; }
  int arms = 0;
};

DelayedPeerWatches& List(asio::io_context& context) {
  return DelayedPeerWatches::Of(context.get_executor());
}

size_t Waiting(asio::io_context& context) { return List(context).waiting(); }

// A statement that ends before the delay never arms its watch (the system call it saves).
TEST(DelayedPeerWatchTest, GuardDestroyedBeforeTheDelayNeverArms) {
  asio::io_context context;
  Target target;
  {
    DelayedPeerWatch watch(List(context), context.get_executor(), target, milliseconds(20));
    EXPECT_EQ(Waiting(context), 1u);
  }
  EXPECT_EQ(Waiting(context), 0u);
  context.run_for(milliseconds(60));
  EXPECT_EQ(target.arms, 0);
}

// One still running after the delay arms once, on the context's thread.
TEST(DelayedPeerWatchTest, GuardStillAliveAfterTheDelayArmsOnce) {
  asio::io_context context;
  Target target;
  const auto start = std::chrono::steady_clock::now();
  DelayedPeerWatch watch(List(context), context.get_executor(), target, milliseconds(10));
  context.run_for(std::chrono::seconds(5));  // returns once the watch has armed
  EXPECT_EQ(target.arms, 1);
  EXPECT_TRUE(watch.armed());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(10));
  EXPECT_EQ(Waiting(context), 0u);
}

// Guards of different delays arm in due order, each no sooner than its delay, whatever their link
// order; a destroyed one in between is skipped; the timer follows an earlier guard linked after a
// later one.
TEST(DelayedPeerWatchTest, GuardsArmInDueOrderWhateverTheirLinkOrder) {
  using Clock = std::chrono::steady_clock;
  asio::io_context context;
  std::vector<std::pair<int, Clock::duration>> armed;  // id, time since start
  const Clock::time_point start = Clock::now();
  struct Recording : PeerWatchTarget {
    Recording(std::vector<std::pair<int, Clock::duration>>& a, Clock::time_point s, int i)
        : armed(a), start(s), id(i) {}
    void ArmPeerWatch() override { armed.emplace_back(id, Clock::now() - start); }
    std::vector<std::pair<int, Clock::duration>>& armed;
    Clock::time_point start;
    int id;
  };
  Recording late(armed, start, 3), early(armed, start, 1), middle(armed, start, 2),
      dropped(armed, start, 9);
  DelayedPeerWatch w3(List(context), context.get_executor(), late, milliseconds(60));
  std::optional<DelayedPeerWatch> w9(std::in_place, List(context), context.get_executor(), dropped,
                                     milliseconds(20));
  DelayedPeerWatch w2(List(context), context.get_executor(), middle, milliseconds(30));
  DelayedPeerWatch w1(List(context), context.get_executor(), early, milliseconds(5));
  w9.reset();
  EXPECT_EQ(Waiting(context), 3u);
  context.run_for(std::chrono::seconds(5));  // returns once the last has armed
  ASSERT_EQ(armed.size(), 3u);
  EXPECT_EQ(armed[0].first, 1);
  EXPECT_EQ(armed[1].first, 2);
  EXPECT_EQ(armed[2].first, 3);
  EXPECT_GE(armed[0].second, milliseconds(5));
  EXPECT_GE(armed[1].second, milliseconds(30));
  EXPECT_GE(armed[2].second, milliseconds(60));
  EXPECT_TRUE(w1.armed() && w2.armed() && w3.armed());
}

// The list empties and fills again: a guard linked after the timer ran out is still served.
TEST(DelayedPeerWatchTest, GuardAfterAnIdleSpellIsServed) {
  asio::io_context context;
  Target target;
  { DelayedPeerWatch first(List(context), context.get_executor(), target, milliseconds(5)); }
  context.run_for(milliseconds(30));
  context.restart();
  DelayedPeerWatch second(List(context), context.get_executor(), target, milliseconds(5));
  context.run_for(std::chrono::seconds(5));  // returns once the watch has armed
  EXPECT_EQ(target.arms, 1);
}

// A context destroyed with guards still waiting (their coroutine frames die with it) neither
// arms them nor touches the list afterwards (ASan checks the latter).
TEST(DelayedPeerWatchTest, ContextDestroyedWithGuardsWaiting) {
  Target target;
  auto context = std::make_unique<asio::io_context>();
  auto watch = std::make_shared<std::optional<DelayedPeerWatch>>();
  // The guard lives in a handler that never runs, as a suspended coroutine's frame does.
  watch->emplace(List(*context), context->get_executor(), target, milliseconds(1000));
  asio::post(*context, [watch] {});
  watch.reset();
  context.reset();
  EXPECT_EQ(target.arms, 0);
}

}  // namespace
}  // namespace sqlrite::server
