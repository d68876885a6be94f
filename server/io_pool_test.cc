#include "server/io_pool.h"

#include <gtest/gtest.h>

#include <asio/post.hpp>
#include <atomic>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <vector>

namespace sqlrite::server {
namespace {

TEST(IoPoolTest, NextDealsEveryContextInTurn) {
  IoPool pool(3);
  std::vector<asio::io_context*> dealt;
  for (int i = 0; i < 6; ++i) dealt.push_back(&pool.Next());
  EXPECT_EQ(std::set<asio::io_context*>(dealt.begin(), dealt.end()).size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(dealt[i], dealt[i + 3]);
}

// Each context is run by one thread of its own, and Run() keeps idle contexts running until
// Release(), then returns once their work is done.
TEST(IoPoolTest, EachContextRunsOnOneThreadUntilReleased) {
  IoPool pool(3);
  std::thread runner([&pool] { pool.Run(); });
  std::vector<asio::io_context*> contexts;
  for (int i = 0; i < 3; ++i) contexts.push_back(&pool.Next());
  std::map<asio::io_context*, std::set<std::thread::id>> threads;
  std::mutex mu;
  for (int round = 0; round < 20; ++round) {
    std::vector<std::future<void>> done;
    for (asio::io_context* context : contexts) {
      auto ran = std::make_shared<std::promise<void>>();
      done.push_back(ran->get_future());
      asio::post(*context, [&, context, ran] {
        std::lock_guard<std::mutex> lock(mu);
        threads[context].insert(std::this_thread::get_id());
        ran->set_value();
      });
    }
    for (auto& f : done) f.get();
  }
  std::set<std::thread::id> all;
  for (auto& [context, ids] : threads) {
    EXPECT_EQ(ids.size(), 1u);
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), 3u);
  // Work still queued when Release() comes runs before Run() returns.
  std::atomic<bool> late{false};
  asio::post(*contexts[1], [&late] { late = true; });
  pool.Release();
  runner.join();
  EXPECT_TRUE(late.load());
}

}  // namespace
}  // namespace sqlrite::server
