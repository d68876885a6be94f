// RunOnEngine / CompleteOnEngine: whatever engine work throws, the calling coroutine resumes
// (with an XX000 / 53200 error, or the exception rethrown for a non-Result task) and the engine
// thread keeps serving later tasks.

#include "server/engine_bridge.h"

#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <chrono>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>

namespace sqlrite::server {
namespace {

class EngineBridgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    queue_.SetErrorHook([this](const char*, const char*) { ++reported_; });
  }
  // Runs coroutine to completion on io_; fails the test if it threw.
  template <typename F>
  void RunCoroutine(F coroutine) {
    bool finished = false;
    asio::co_spawn(io_, coroutine(), [&finished](std::exception_ptr e) {
      EXPECT_EQ(e, nullptr) << "the coroutine threw";
      finished = true;
    });
    io_.run();
    EXPECT_TRUE(finished);
  }

  asio::io_context io_;
  engine::EngineQueue queue_;
  int reported_ = 0;  // engine thread only; read after io_.run() returned
};

TEST_F(EngineBridgeTest, ThrowingResultTaskAnswersWithAnError) {
  RunCoroutine([this]() -> asio::awaitable<void> {
    Result<int> runtime = co_await RunOnEngine(
        queue_, []() -> Result<int> { throw std::runtime_error("broken invariant"); });
    EXPECT_FALSE(runtime);
    EXPECT_EQ(runtime.error().sqlstate, sqlstate::kInternalError);
    EXPECT_EQ(runtime.error().message, "internal error: broken invariant");
    Result<int> oom = co_await RunOnEngine(queue_, []() -> Result<int> { throw std::bad_alloc(); });
    EXPECT_FALSE(oom);
    EXPECT_EQ(oom.error().sqlstate, sqlstate::kOutOfMemory);
    Result<int> odd = co_await RunOnEngine(queue_, []() -> Result<int> { throw 42; });
    EXPECT_FALSE(odd);
    EXPECT_EQ(odd.error().sqlstate, sqlstate::kInternalError);
    Result<int> later = co_await RunOnEngine(queue_, []() -> Result<int> { return 7; });
    EXPECT_EQ(later, 7);
  });
}

TEST_F(EngineBridgeTest, ThrowingPlainTaskRethrowsInTheCaller) {
  RunCoroutine([this]() -> asio::awaitable<void> {
    bool caught = false;
    try {
      co_await RunOnEngine(queue_, []() -> char { throw std::runtime_error("no result type"); });
    } catch (const std::runtime_error& e) {
      caught = std::string(e.what()) == "no result type";
    }
    EXPECT_TRUE(caught);
    char later = co_await RunOnEngine(queue_, []() -> char { return 'I'; });
    EXPECT_EQ(later, 'I');
  });
}

TEST_F(EngineBridgeTest, CompletionWhoseTaskThrowsAnswersWithAnError) {
  using R = Result<int>;
  RunCoroutine([this]() -> asio::awaitable<void> {
    R r = co_await CompleteOnEngine<R>(queue_, [](engine::EngineQueue::Callback<R>) {
      throw std::runtime_error("before answering");
    });
    EXPECT_FALSE(r);
    EXPECT_EQ(r.error().sqlstate, sqlstate::kInternalError);
    R later = co_await CompleteOnEngine<R>(
        queue_, [](engine::EngineQueue::Callback<R> done) { done(R(5)); });
    EXPECT_EQ(later, 5);
  });
}

TEST_F(EngineBridgeTest, CompletionWhoseDeferredCallbackThrowsAnswersWithAnError) {
  using R = Result<int>;
  RunCoroutine([this]() -> asio::awaitable<void> {
    R r = co_await CompleteOnEngine<R>(queue_, [this](engine::EngineQueue::Callback<R> done) {
      queue_.Defer([done = std::move(done)](const Status&) mutable {
        if (done) throw std::bad_alloc();
        done(R(1));
      });
    });
    EXPECT_FALSE(r);
    EXPECT_EQ(r.error().sqlstate, sqlstate::kInternalError);
    R later = co_await CompleteOnEngine<R>(queue_, [this](engine::EngineQueue::Callback<R> done) {
      queue_.Defer([done = std::move(done)](const Status&) mutable { done(R(2)); });
    });
    EXPECT_EQ(later, 2);
  });
  queue_.Stop();
  EXPECT_EQ(reported_, 1);  // the deferred callback's std::bad_alloc
}

// The engine may still be finishing a batch when the coroutine asks: retry until the task ran
// here (the engine is idle between these tasks).
TEST_F(EngineBridgeTest, ShortWorkRunsOnTheCallingThreadWhenTheEngineIsIdle) {
  using R = Result<std::thread::id>;
  RunCoroutine([this]() -> asio::awaitable<void> {
    const std::thread::id io_thread = std::this_thread::get_id();
    bool ran_here = false;
    for (int i = 0; i < 200 && !ran_here; ++i) {
      bool asked = false;
      R r = co_await CompleteOnEngine<R>(
          queue_,
          [this](engine::EngineQueue::Callback<R> done) {
            EXPECT_TRUE(queue_.OnEngineThread());
            // A deferred answer (a commit's) still goes through the epilogue.
            queue_.Defer([done = std::move(done)](const Status&) mutable {
              done(R(std::this_thread::get_id()));
            });
          },
          [this, &asked] {
            EXPECT_TRUE(queue_.OnEngineThread());  // asked as the engine thread
            asked = true;
            return true;
          });
      EXPECT_TRUE(r);
      if (!r) co_return;
      ran_here = *r == io_thread;
      EXPECT_EQ(ran_here, asked);  // ran here exactly when it was asked and said yes
      if (!ran_here) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_TRUE(ran_here);
    // Work its predicate refuses crosses to the engine thread.
    R r = co_await CompleteOnEngine<R>(
        queue_, [](engine::EngineQueue::Callback<R> done) { done(R(std::this_thread::get_id())); },
        [] { return false; });
    EXPECT_TRUE(r);
    if (r) {
      EXPECT_NE(*r, io_thread);
    }
  });
}

// Work run here that answered before TryRunHere returned lets the caller go on at once: a
// handler posted to the caller's io_context just before has not run yet when it does (but for
// the one statement in kYieldEvery that goes through the executor, and a busy engine: retry).
TEST_F(EngineBridgeTest, AnAnswerGivenHereResumesTheCallerWithoutAPost) {
  using R = Result<int>;
  RunCoroutine([this]() -> asio::awaitable<void> {
    bool went_on_at_once = false;
    for (int i = 0; i < 200 && !went_on_at_once; ++i) {
      bool posted_ran = false;
      asio::post(io_, [&posted_ran] { posted_ran = true; });
      R r = co_await CompleteOnEngine<R>(
          queue_, [i](engine::EngineQueue::Callback<R> done) { done(R(i)); }, [] { return true; });
      EXPECT_EQ(r, i);
      went_on_at_once = !posted_ran;
      if (!went_on_at_once) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_TRUE(went_on_at_once);
  });
}

// An answer that comes after the work ran here (a later engine task: a commit's acknowledgment
// after its fsync) resumes the caller through its executor.
TEST_F(EngineBridgeTest, AnAnswerGivenLaterResumesTheWaitingCaller) {
  using R = Result<int>;
  RunCoroutine([this]() -> asio::awaitable<void> {
    for (int i = 0; i < 20; ++i) {
      R r = co_await CompleteOnEngine<R>(
          queue_,
          [this, i](engine::EngineQueue::Callback<R> done) {
            queue_.PostAt(engine::EngineQueue::Clock::now() + std::chrono::milliseconds(2),
                          [done = std::move(done), i]() mutable { done(R(i)); });
          },
          [] { return true; });
      EXPECT_EQ(r, i);
    }
    // A dropped answer still resumes the caller, with the abandoned error.
    R dropped = co_await CompleteOnEngine<R>(
        queue_, [](engine::EngineQueue::Callback<R>) {}, [] { return true; });
    EXPECT_FALSE(dropped);
    if (!dropped) {
      EXPECT_EQ(dropped.error().sqlstate, sqlstate::kInternalError);
    }
  });
}

}  // namespace
}  // namespace sqlrite::server
