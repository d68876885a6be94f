// EngineQueue: exceptions escaping engine work are caught at the queue, reported, and the engine
// thread keeps running.

#include "engine/engine_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
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

}  // namespace
}  // namespace sqlrite::engine
