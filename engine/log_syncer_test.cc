// LogSyncer: one sync in flight; requests made meanwhile wait for the next sync, which covers
// them all; errors of Begin and of a job's finish reach every acknowledgment of that sync;
// Drain and the destructor leave nothing unacknowledged. Runs on a real EngineQueue (the fsyncs
// on the syncer's thread), so it is in the concurrency binary that TSan runs.

#include "engine/log_syncer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/sqlstate.h"

namespace sqlrite::engine {
namespace {

// Runs fn on the engine thread and waits for it.
template <typename Fn>
void OnEngine(EngineQueue& queue, Fn fn) {
  std::promise<void> done;
  queue.Post([&] {
    fn();
    done.set_value();
  });
  done.get_future().get();
}

// A log whose fsync blocks until the test opens the gate, and which records what each sync
// covered. commits and synced are the engine thread's; the gate and fsyncs are shared.
struct FakeLog {
  int commits = 0;            // appended so far
  int synced = 0;             // covered by a finished sync
  std::vector<int> captured;  // per sync begun: the commits it covers
  Status begin_error = Ok();
  Status finish_error = Ok();
  std::mutex mu;
  std::condition_variable cv;
  int gates_open = 0;  // fsyncs allowed to return
  int fsyncs_entered = 0;

  std::vector<LogSyncer::Job> Begin(Status* error) {
    if (!begin_error.has_value()) *error = begin_error;
    std::vector<LogSyncer::Job> jobs;
    if (commits == synced) return jobs;
    const int upto = commits;
    captured.push_back(upto);
    jobs.push_back({[this] {
                      std::unique_lock lock(mu);
                      ++fsyncs_entered;
                      cv.notify_all();
                      cv.wait(lock, [&] { return gates_open >= fsyncs_entered; });
                      return Status(Ok());
                    },
                    [this, upto](const Status& fsynced) -> Status {
                      if (!fsynced) return fsynced;
                      synced = upto;
                      return finish_error;
                    }});
    return jobs;
  }
  void WaitEntered(int n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return fsyncs_entered >= n; });
  }
  void Open() {
    std::lock_guard lock(mu);
    ++gates_open;
    cv.notify_all();
  }
};

struct Acks {
  std::mutex mu;
  std::vector<std::string> got;  // "name:ok" or "name:<sqlstate>"
  LogSyncer::Ack Make(std::string name) {
    return [this, name](const Status& s) {
      std::lock_guard lock(mu);
      got.push_back(name + ":" + (s ? std::string("ok") : s.error().sqlstate));
    };
  }
  std::vector<std::string> Get() {
    std::lock_guard lock(mu);
    return got;
  }
};

struct Fixture {
  EngineQueue queue;
  FakeLog log;
  Acks acks;
  std::unique_ptr<LogSyncer> syncer;
  Fixture() {
    OnEngine(queue, [&] {
      syncer = std::make_unique<LogSyncer>(
          [this](Status* error) { return log.Begin(error); },
          [this](EngineQueue::Task task) { queue.Post(std::move(task)); });
    });
  }
  ~Fixture() {
    OnEngine(queue, [&] { syncer.reset(); });
    queue.Stop();
  }
  // Blocks until every task posted so far (the completion of a finished sync among them) ran.
  void Settle() {
    OnEngine(queue, [] {});
  }
};

TEST(LogSyncerTest, RequestsDuringASyncWaitForTheNextOneWhichCoversThemAll) {
  Fixture f;
  OnEngine(f.queue, [&] {
    f.log.commits = 1;
    f.syncer->Request(f.acks.Make("a"));
    EXPECT_TRUE(f.syncer->in_flight());
  });
  f.log.WaitEntered(1);
  // While the first fsync runs, the engine thread goes on: two more batches commit.
  OnEngine(f.queue, [&] {
    f.log.commits = 2;
    f.syncer->Request(f.acks.Make("b"));
    f.log.commits = 3;
    f.syncer->Request(f.acks.Make("c"));
  });
  EXPECT_TRUE(f.acks.Get().empty());
  f.log.Open();
  f.log.WaitEntered(2);  // the second sync began by itself once the first finished
  f.Settle();
  EXPECT_EQ(f.acks.Get(), (std::vector<std::string>{"a:ok"}));
  f.log.Open();
  // The completion is posted by the sync thread; wait until it ran. Bounded by time, not by a
  // count of round trips: on a loaded machine the sync thread can wait longer to be scheduled
  // than a thousand quick engine round trips take (it failed 1 run in 21 beside two builds).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (f.acks.Get().size() < 3 && std::chrono::steady_clock::now() < give_up) f.Settle();
  EXPECT_EQ(f.acks.Get(), (std::vector<std::string>{"a:ok", "b:ok", "c:ok"}));
  OnEngine(f.queue, [&] {
    EXPECT_EQ(f.log.captured, (std::vector<int>{1, 3}));  // b and c shared one fsync
    EXPECT_EQ(f.log.synced, 3);
    EXPECT_EQ(f.syncer->syncs(), 2u);
    EXPECT_FALSE(f.syncer->in_flight());
  });
}

TEST(LogSyncerTest, NothingToSyncAcknowledgesAtOnce) {
  Fixture f;
  OnEngine(f.queue, [&] {
    f.syncer->Request(f.acks.Make("a"));
    EXPECT_EQ(f.acks.Get(), (std::vector<std::string>{"a:ok"}));
    EXPECT_FALSE(f.syncer->in_flight());
    f.log.begin_error = Fail(sqlstate::kIoError, "poisoned");
    f.syncer->Request(f.acks.Make("b"));
    EXPECT_EQ(f.acks.Get(), (std::vector<std::string>{"a:ok", "b:58030"}));
  });
}

TEST(LogSyncerTest, ErrorsOfBeginAndFinishReachEveryAcknowledgmentOfTheirSync) {
  Fixture f;
  f.log.Open();
  f.log.Open();
  OnEngine(f.queue, [&] {
    f.log.commits = 1;
    f.log.finish_error = Fail(sqlstate::kIoError, "fsync failed");
    f.syncer->Request(f.acks.Make("a"));
    // b waits behind a's sync and may have seen its commit: a failed sync fails it too.
    f.syncer->Request(f.acks.Make("b"));
    f.syncer->Drain();
    // Drain posts the acknowledgments as a task of their own: none ran inside this one.
    EXPECT_TRUE(f.acks.Get().empty());
  });
  f.Settle();
  EXPECT_EQ(f.acks.Get(), (std::vector<std::string>{"a:58030", "b:58030"}));
  OnEngine(f.queue, [&] {
    f.log.finish_error = Ok();
    f.log.commits = 2;
    f.log.begin_error = Fail(sqlstate::kDiskFull, "another log could not begin");
    f.syncer->Request(f.acks.Make("c"));
    f.syncer->Drain();
  });
  f.Settle();
  EXPECT_EQ(f.acks.Get(), (std::vector<std::string>{"a:58030", "b:58030", "c:53100"}));
}

TEST(LogSyncerTest, DrainWaitsForTheSyncInFlightAndTheRequestsBehindIt) {
  Fixture f;
  OnEngine(f.queue, [&] {
    f.log.commits = 1;
    f.syncer->Request(f.acks.Make("a"));
    f.log.commits = 2;
    f.syncer->Request(f.acks.Make("b"));
  });
  f.log.WaitEntered(1);
  f.log.Open();
  f.log.Open();
  OnEngine(f.queue, [&] {
    f.syncer->Drain();
    EXPECT_FALSE(f.syncer->in_flight());
    EXPECT_EQ(f.log.synced, 2);  // both synced before Drain returned
  });
  f.Settle();  // the posted acknowledgments; the completions the thread posted do nothing
  EXPECT_EQ(f.acks.Get(), (std::vector<std::string>{"a:ok", "b:ok"}));
}

// The cluster's post runs a finished sync's completion on the sync thread itself when the engine
// is idle (EngineQueue::TryRunHere). An acknowledgment run there may drain the syncer (the
// acknowledged session's next statement is a CHECKPOINT): the drain must run the next sync
// itself, since the thread that would is the one waiting.
TEST(LogSyncerTest, AnAcknowledgmentRunOnTheSyncThreadMayDrain) {
  EngineQueue queue;
  FakeLog log;
  Acks acks;
  std::unique_ptr<LogSyncer> syncer;
  std::atomic<bool> drained{false};
  OnEngine(queue, [&] {
    syncer = std::make_unique<LogSyncer>([&](Status* error) { return log.Begin(error); },
                                         [&](EngineQueue::Task task) {
                                           if (!queue.TryRunHere(task)) queue.Post(std::move(task));
                                         });
    log.commits = 1;
    syncer->Request([&](const Status& s) {
      acks.Make("a")(s);
      syncer->Drain();  // b's sync: begun and finished right here
      drained = true;
    });
  });
  log.WaitEntered(1);
  OnEngine(queue, [&] {
    log.commits = 2;
    syncer->Request(acks.Make("b"));
  });
  log.Open();  // a's fsync returns; the engine is idle, so the sync thread completes it
  log.Open();  // b's, run by the drain
  for (int i = 0; i < 5000 && !drained; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(drained);
  OnEngine(queue, [] {});  // the acknowledgments the drain posted
  EXPECT_EQ(acks.Get(), (std::vector<std::string>{"a:ok", "b:ok"}));
  OnEngine(queue, [&] {
    EXPECT_EQ(log.synced, 2);
    syncer.reset();
  });
  queue.Stop();
}

TEST(LogSyncerTest, DestroyingTheSyncerAcknowledgesEverything) {
  EngineQueue queue;
  FakeLog log;
  Acks acks;
  log.Open();
  OnEngine(queue, [&] {
    LogSyncer syncer([&](Status* error) { return log.Begin(error); },
                     [&](EngineQueue::Task task) { queue.Post(std::move(task)); });
    log.commits = 1;
    syncer.Request(acks.Make("a"));
  });
  OnEngine(queue, [] {});  // the acknowledgments the destructor's Drain posted
  EXPECT_EQ(acks.Get(), (std::vector<std::string>{"a:ok"}));
  queue.Stop();
}

}  // namespace
}  // namespace sqlrite::engine
