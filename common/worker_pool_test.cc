#include "common/worker_pool.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <future>

namespace sqlrite {
namespace {

int ThisThreadsNiceness() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

TEST(WorkerPoolTest, LongReadsRunNicerThanTheProcess) {
  const int base = getpriority(PRIO_PROCESS, 0);
  std::promise<int> normal, nicer, nicer_big_stack;
  ASSERT_TRUE(WorkerPool::Instance().Run([&] { normal.set_value(ThisThreadsNiceness()); }));
  ASSERT_TRUE(WorkerPool::LongReads().Run([&] { nicer.set_value(ThisThreadsNiceness()); }));
  ASSERT_TRUE(WorkerPool::LongReads().Run(WorkerPool::kPooledStackBytes * 2, [&] {
    nicer_big_stack.set_value(ThisThreadsNiceness());
  }));
  EXPECT_EQ(normal.get_future().get(), base);
  const int expected = std::min(base + WorkerPool::kLongReadNiceness, 19);
  EXPECT_EQ(nicer.get_future().get(), expected);
  EXPECT_EQ(nicer_big_stack.get_future().get(), expected);
  // The calling thread keeps its priority.
  EXPECT_EQ(ThisThreadsNiceness(), base);
}

// Every queued job starts at once, even when all workers are busy: a new thread is made.
TEST(WorkerPoolTest, AJobNeverWaitsBehindAnother) {
  WorkerPool pool;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> second_ran;
  ASSERT_TRUE(pool.Run([released] { released.wait(); }));
  ASSERT_TRUE(pool.Run([&] { second_ran.set_value(); }));
  second_ran.get_future().get();  // would hang if the second waited for the first
  release.set_value();
}

}  // namespace
}  // namespace sqlrite
