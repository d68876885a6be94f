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

size_t Waiting(asio::io_context& context) {
  return asio::use_service<DelayedPeerWatches>(context).waiting();
}

// A statement that ends before the delay never arms its watch (the system call it saves).
TEST(DelayedPeerWatchTest, GuardDestroyedBeforeTheDelayNeverArms) {
  asio::io_context context;
  Target target;
  {
    DelayedPeerWatch watch(context.get_executor(), target, milliseconds(20));
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
  DelayedPeerWatch watch(context.get_executor(), target, milliseconds(10));
  const auto start = std::chrono::steady_clock::now();
  context.run_for(milliseconds(80));
  EXPECT_EQ(target.arms, 1);
  EXPECT_TRUE(watch.armed());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(10));
  EXPECT_EQ(Waiting(context), 0u);
}

// Guards of different delays arm in due order, each at its own time; destroyed ones in between
// are skipped, and the timer follows an earlier guard linked after a later one.
TEST(DelayedPeerWatchTest, GuardsArmInDueOrderWhateverTheirLinkOrder) {
  asio::io_context context;
  std::vector<int> order;
  struct Recording : PeerWatchTarget {
    Recording(std::vector<int>& o, int i) : order(o), id(i) {}
    void ArmPeerWatch() override { order.push_back(id); }
    std::vector<int>& order;
    int id;
  };
  Recording late(order, 3), early(order, 1), middle(order, 2), dropped(order, 9);
  DelayedPeerWatch w3(context.get_executor(), late, milliseconds(60));
  std::optional<DelayedPeerWatch> w9(std::in_place, context.get_executor(), dropped,
                                     milliseconds(20));
  DelayedPeerWatch w2(context.get_executor(), middle, milliseconds(30));
  DelayedPeerWatch w1(context.get_executor(), early, milliseconds(5));
  w9.reset();
  EXPECT_EQ(Waiting(context), 3u);
  context.run_for(milliseconds(40));
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  context.run_for(milliseconds(80));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

// The list empties and fills again: a guard linked after the timer ran out is still served.
TEST(DelayedPeerWatchTest, GuardAfterAnIdleSpellIsServed) {
  asio::io_context context;
  Target target;
  { DelayedPeerWatch first(context.get_executor(), target, milliseconds(5)); }
  context.run_for(milliseconds(30));
  context.restart();
  DelayedPeerWatch second(context.get_executor(), target, milliseconds(5));
  context.run_for(milliseconds(60));
  EXPECT_EQ(target.arms, 1);
}

// A context destroyed with guards still waiting (their coroutine frames die with it) neither
// arms them nor touches the list afterwards (ASan checks the latter).
TEST(DelayedPeerWatchTest, ContextDestroyedWithGuardsWaiting) {
  Target target;
  auto context = std::make_unique<asio::io_context>();
  auto watch = std::make_shared<std::optional<DelayedPeerWatch>>();
  // The guard lives in a handler that never runs, as a suspended coroutine's frame does.
  watch->emplace(context->get_executor(), target, milliseconds(1000));
  asio::post(*context, [watch] {});
  watch.reset();
  context.reset();
  EXPECT_EQ(target.arms, 0);
}

}  // namespace
}  // namespace sqlrite::server
