// EngineQueue: exceptions escaping engine work are caught at the queue, reported, and the engine
// thread keeps running.

#include "engine/engine_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sqlrite::engine {
namespace {

// Collects what the queue reports, from the engine thread.
struct Reports {
  std::mutex mu;
  std::vector<std::string> lines;
  void Add(const char* where, const char* what) {
    std::lock_guard<std::mutex> lock(mu);
    lines.push_back(std::string(where) + ": " + what);
  }
  std::vector<std::string> Get() {
    std::lock_guard<std::mutex> lock(mu);
    return lines;
  }
};

// Blocks until every task posted before it has run.
void Drain(EngineQueue& queue) {
  std::promise<void> done;
  queue.Post([&done] { done.set_value(); });
  done.get_future().get();
}

TEST(EngineQueueTest, ThrowingTasksAreReportedAndLaterTasksStillRun) {
  Reports reports;
  EngineQueue queue;
  queue.SetErrorHook([&reports](const char* where, const char* what) { reports.Add(where, what); });
  queue.Post([] { throw std::bad_alloc(); });
  queue.Post([] { throw std::runtime_error("boom"); });
  queue.Post([] { throw 42; });
  std::promise<int> later;
  queue.Post([&later] { later.set_value(7); });
  EXPECT_EQ(later.get_future().get(), 7);
  EXPECT_EQ(reports.Get(), (std::vector<std::string>{"task: std::bad_alloc", "task: boom",
                                                     "task: unknown exception"}));
}

TEST(EngineQueueTest, ThrowingTimerIsReportedAndTheQueueGoesOn) {
  Reports reports;
  EngineQueue queue;
  queue.SetErrorHook([&reports](const char* where, const char* what) { reports.Add(where, what); });
  queue.PostAt(EngineQueue::Clock::now(), [] { throw std::runtime_error("timer"); });
  std::promise<void> later;
  queue.PostAt(EngineQueue::Clock::now() + std::chrono::milliseconds(5),
               [&later] { later.set_value(); });
  later.get_future().get();
  EXPECT_EQ(reports.Get(), std::vector<std::string>{"task: timer"});
}

// A completion owned by a task that threw dies unanswered; its destructor is what the server's
// bridge relies on to answer the session (XX000) instead of leaving it waiting.
TEST(EngineQueueTest, CompletionOwnedByAThrowingTaskIsDestroyed) {
  Reports reports;
  EngineQueue queue;
  queue.SetErrorHook([&reports](const char* where, const char* what) { reports.Add(where, what); });
  std::promise<std::string> answer;
  struct AnswersOnDestruction {
    std::promise<std::string>* answer = nullptr;
    ~AnswersOnDestruction() { answer->set_value("abandoned"); }
  };
  auto guard = std::make_shared<AnswersOnDestruction>();
  guard->answer = &answer;
  queue.Post([guard = std::move(guard)] { throw std::runtime_error("before answering"); });
  EXPECT_EQ(answer.get_future().get(), "abandoned");
  Drain(queue);
  EXPECT_EQ(reports.Get(), std::vector<std::string>{"task: before answering"});
}

TEST(EngineQueueTest, ThrowingDeferredCallbackDoesNotStopTheOthers) {
  Reports reports;
  EngineQueue queue;
  queue.SetErrorHook([&reports](const char* where, const char* what) { reports.Add(where, what); });
  std::promise<bool> second;
  queue.Post([&queue, &second] {
    queue.Defer([](const Status&) { throw std::runtime_error("deferred"); });
    queue.Defer([&second](const Status& s) { second.set_value(s.has_value()); });
  });
  EXPECT_TRUE(second.get_future().get());
  Drain(queue);
  EXPECT_EQ(reports.Get(), std::vector<std::string>{"deferred callback: deferred"});
}

// No commit of the batch may be acknowledged when the group commit's sync did not finish.
TEST(EngineQueueTest, ThrowingEpilogueFailsTheDeferredAcknowledgments) {
  Reports reports;
  EngineQueue queue;
  queue.SetErrorHook([&reports](const char* where, const char* what) { reports.Add(where, what); });
  bool thrown = false;
  queue.SetBatchEpilogue([&thrown]() -> Status {
    if (!thrown) {
      thrown = true;
      throw std::bad_alloc();
    }
    return Ok();
  });
  std::promise<Status> first;
  queue.Post([&queue, &first] { queue.Defer([&first](const Status& s) { first.set_value(s); }); });
  Status status = first.get_future().get();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().sqlstate, sqlstate::kInternalError);
  // The next batch syncs normally.
  std::promise<Status> second;
  queue.Post(
      [&queue, &second] { queue.Defer([&second](const Status& s) { second.set_value(s); }); });
  EXPECT_TRUE(second.get_future().get());
  EXPECT_EQ(reports.Get(), std::vector<std::string>{"epilogue: std::bad_alloc"});
}

TEST(EngineQueueTest, AnAsyncEpilogueAcknowledgesItsBatchLaterWhileLaterBatchesRun) {
  EngineQueue queue;
  // The epilogue keeps each batch's acknowledgment; a later task calls it, as the log syncer's
  // completion does.
  std::vector<EngineQueue::Acknowledge> held;
  queue.SetAsyncBatchEpilogue(
      [&held](EngineQueue::Acknowledge ack) { held.push_back(std::move(ack)); });
  std::atomic<int> acked{0};
  std::promise<void> first_batch;
  queue.Post([&] {
    queue.Defer([&acked](const Status& s) {
      EXPECT_TRUE(s);
      ++acked;
    });
    queue.Defer([&acked](const Status& s) {
      EXPECT_TRUE(s);
      ++acked;
    });
  });
  // A later batch runs although the first is not acknowledged yet.
  queue.Post([&] { first_batch.set_value(); });
  first_batch.get_future().get();
  EXPECT_EQ(acked.load(), 0);
  std::promise<size_t> held_count;
  queue.Post([&] { held_count.set_value(held.size()); });
  EXPECT_EQ(held_count.get_future().get(), 1u);  // one acknowledgment for the batch's two
  std::promise<void> acknowledged;
  queue.Post([&] {
    held.front()(Ok());
    held.front()(Fail(sqlstate::kIoError, "twice"));  // a second call finds nothing to run
    acknowledged.set_value();
  });
  acknowledged.get_future().get();
  EXPECT_EQ(acked.load(), 2);
  queue.Stop();
}

// TryRunHere right after a Drain may still find the queue's thread finishing its batch (holding
// the token): retry for a while.
bool RunHereSoon(EngineQueue& queue, EngineQueue::Task& task) {
  for (int i = 0; i < 2000; ++i) {
    if (queue.TryRunHere(task)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

TEST(EngineQueueTest, AnIdleEngineRunsATaskOnTheCallingThreadAsTheEngineThread) {
  EngineQueue queue;
  Drain(queue);
  std::thread::id ran_on;
  bool engine_there = false;
  bool nested_ran_here = true;
  EngineQueue::Task task([&] {
    ran_on = std::this_thread::get_id();
    engine_there = queue.OnEngineThread();
    // Never nested: a task run here cannot run another here.
    EngineQueue::Task inner([] {});
    nested_ran_here = queue.TryRunHere(inner);
  });
  ASSERT_TRUE(RunHereSoon(queue, task));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_TRUE(engine_there);
  EXPECT_FALSE(nested_ran_here);
  EXPECT_FALSE(queue.OnEngineThread());  // only while it ran
  queue.Stop();
}

TEST(EngineQueueTest, ATaskRunHereHandsItsDeferredCallbacksToTheEpilogueBeforeReturning) {
  EngineQueue queue;
  int epilogues = 0;
  queue.SetBatchEpilogue([&epilogues] {
    ++epilogues;
    return Ok();
  });
  Drain(queue);
  const int before = epilogues;
  int acked = 0;
  EngineQueue::Task task([&] {
    queue.Defer([&](const Status& s) {
      EXPECT_TRUE(s);
      ++acked;
      // Deferred again (a parked statement woken by a commit): handed over before the return too.
      queue.Defer([&](const Status&) { ++acked; });
    });
  });
  ASSERT_TRUE(RunHereSoon(queue, task));
  EXPECT_EQ(acked, 2);
  EXPECT_EQ(epilogues - before, 2);
  queue.Stop();
}

TEST(EngineQueueTest, ABusyEngineOrAStoppedQueueRefusesToRunHere) {
  EngineQueue queue;
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  queue.Post([&started, released] {
    started.set_value();
    released.wait();
  });
  started.get_future().get();
  bool ran = false;
  EngineQueue::Task task([&ran] { ran = true; });
  EXPECT_FALSE(queue.TryRunHere(task));  // the queue's thread holds the token
  EXPECT_TRUE(static_cast<bool>(task));  // untouched: the caller posts it
  release.set_value();
  queue.Stop();
  EXPECT_FALSE(queue.TryRunHere(task));
  EXPECT_FALSE(ran);
}

TEST(EngineQueueTest, TasksRunHereAndQueuedTasksNeverRunAtOnce) {
  // The token makes the two kinds of engine work mutually exclusive: an unsynchronized counter
  // touched by both stays exact (and ThreadSanitizer sees every access ordered).
  EngineQueue queue;
  int counter = 0;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  auto work = [&] {
    if (inside.fetch_add(1) != 0) overlapped = true;
    ++counter;
    inside.fetch_sub(1);
  };
  constexpr int kEach = 2000;
  int here = 0;
  std::thread poster([&] {
    for (int i = 0; i < kEach; ++i) queue.Post(work);
  });
  for (int i = 0; i < kEach; ++i) {
    EngineQueue::Task task(work);
    if (queue.TryRunHere(task)) {
      ++here;
    } else {
      queue.Post(std::move(task));
    }
  }
  poster.join();
  Drain(queue);
  std::promise<int> total;
  queue.Post([&] { total.set_value(counter); });
  EXPECT_EQ(total.get_future().get(), 2 * kEach);
  EXPECT_FALSE(overlapped.load());
  queue.Stop();
  std::printf("ran here: %d of %d\n", here, kEach);
}

}  // namespace
}  // namespace sqlrite::engine
