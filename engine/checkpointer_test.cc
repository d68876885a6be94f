// Checkpointer: copies run on its thread, one at a time in the order started; each job's finish
// runs exactly once on the engine thread, with its copy's status, whether the posted completion
// or Drain gets there first; the destructor drains. Runs on a real EngineQueue, so it is in the
// concurrency binary that TSan runs.

#include "engine/checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/sqlstate.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::checkpointer_test {
namespace {

template <typename Fn>
void OnEngine(EngineQueue& queue, Fn fn) {
  std::promise<void> done;
  queue.Post([&] {
    fn();
    done.set_value();
  });
  done.get_future().get();
}

// Copies that block until the test lets them through, and finishes that record what they got.
struct Jobs {
  std::mutex mu;
  std::condition_variable cv;
  int allowed = 0;                    // copies allowed to return
  std::vector<int> copied;            // job numbers, in the order their copies ran
  std::vector<std::string> finished;  // "n:ok" or "n:<sqlstate>", in the order finishes ran
  std::vector<std::thread::id> finish_threads;

  Checkpointer::Job Make(int n, Status result = Ok()) {
    return {[this, n, result] {
              std::unique_lock lock(mu);
              cv.wait(lock, [&] { return allowed > static_cast<int>(copied.size()); });
              copied.push_back(n);
              if (n < 0) throw std::runtime_error("disk on fire");
              return result;
            },
            [this, n](const Status& s) {
              std::lock_guard lock(mu);
              finished.push_back(std::to_string(n) + ":" +
                                 (s ? std::string("ok") : s.error().sqlstate));
              finish_threads.push_back(std::this_thread::get_id());
            }};
  }
  void Allow(int n) {
    std::lock_guard lock(mu);
    allowed += n;
    cv.notify_all();
  }
  std::vector<std::string> Finished() {
    std::lock_guard lock(mu);
    return finished;
  }
};

struct Fixture {
  EngineQueue queue;
  Jobs jobs;
  std::unique_ptr<Checkpointer> checkpointer;
  std::thread::id engine_thread;
  Fixture() {
    OnEngine(queue, [&] {
      engine_thread = std::this_thread::get_id();
      checkpointer = std::make_unique<Checkpointer>(
          [this](EngineQueue::Task task) { queue.Post(std::move(task)); });
    });
  }
  ~Fixture() {
    jobs.Allow(100);
    OnEngine(queue, [&] { checkpointer.reset(); });
    queue.Stop();
  }
  // Blocks until the completions posted so far have run.
  void Settle() {
    for (int i = 0; i < 3; ++i) OnEngine(queue, [] {});
  }
};

TEST(CheckpointerTest, CopiesRunOffTheEngineAndEachFinishRunsOnItOnce) {
  Fixture f;
  OnEngine(f.queue, [&] {
    f.checkpointer->Start(f.jobs.Make(1));
    f.checkpointer->Start(f.jobs.Make(2));
    EXPECT_EQ(f.checkpointer->in_flight(), 2u);
  });
  // The engine is free while the copies wait.
  OnEngine(f.queue, [] {});
  EXPECT_TRUE(f.jobs.Finished().empty());
  f.jobs.Allow(2);
  for (int i = 0; i < 200 && f.jobs.Finished().size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  f.Settle();
  EXPECT_EQ(f.jobs.Finished(), (std::vector<std::string>{"1:ok", "2:ok"}));
  EXPECT_EQ(f.jobs.copied, (std::vector<int>{1, 2}));
  for (auto id : f.jobs.finish_threads) EXPECT_EQ(id, f.engine_thread);
  OnEngine(f.queue, [&] { EXPECT_EQ(f.checkpointer->in_flight(), 0u); });
}

TEST(CheckpointerTest, DrainWaitsForTheCopiesAndTheLatePostedCompletionsDoNothing) {
  Fixture f;
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    f.jobs.Allow(2);
  });
  OnEngine(f.queue, [&] {
    f.checkpointer->Start(f.jobs.Make(1));
    f.checkpointer->Start(f.jobs.Make(2, Fail(sqlstate::kIoError, "could not fsync")));
    f.checkpointer->Drain();  // blocks until both copies are done, then finishes them here
    EXPECT_EQ(f.checkpointer->in_flight(), 0u);
    EXPECT_EQ(f.jobs.Finished(), (std::vector<std::string>{"1:ok", "2:58030"}));
  });
  opener.join();
  f.Settle();  // the completions the thread posted find nothing left to finish
  EXPECT_EQ(f.jobs.Finished(), (std::vector<std::string>{"1:ok", "2:58030"}));
}

TEST(CheckpointerTest, ACopyThatThrowsFinishesWithAnInternalError) {
  Fixture f;
  f.jobs.Allow(1);
  OnEngine(f.queue, [&] {
    f.checkpointer->Start(f.jobs.Make(-1));
    f.checkpointer->Drain();
  });
  EXPECT_EQ(f.jobs.Finished(), (std::vector<std::string>{"-1:XX000"}));
}

TEST(CheckpointerTest, DestroyingItFinishesEveryJob) {
  Fixture f;
  OnEngine(f.queue, [&] {
    f.checkpointer->Start(f.jobs.Make(1));
    f.checkpointer->Start(f.jobs.Make(2));
  });
  f.jobs.Allow(2);
  OnEngine(f.queue, [&] { f.checkpointer.reset(); });
  EXPECT_EQ(f.jobs.Finished(), (std::vector<std::string>{"1:ok", "2:ok"}));
}

}  // namespace
}  // namespace sqlrite::engine::checkpointer_test
