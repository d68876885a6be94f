#pragma once
// EngineQueue: the single engine thread. Sessions post tasks; the thread runs them one at a time
// in FIFO order, so everything a task touches (the Cluster, its pagers and trees) needs no locks.
// The server wraps Post() into an awaitable that resumes the session on its own executor with
// the task's result (server/engine_bridge.h); the engine itself knows nothing of Asio.
//
// The engine token. "The engine thread" is a role rather than a thread: whoever holds the token
// (exec_mu_) is it. The queue's own thread takes the token for each batch; another thread may
// take it with TryRunHere to run one short task itself when the engine is idle, saving the two
// thread crossings (and their wake-ups) a posted task costs. Invariants:
//   1. Engine work (tasks, timers, deferred callbacks, the epilogue) runs only while its thread
//      holds the token; OnEngineThread() is true exactly there. One holder at a time, so a task
//      still needs no locks, and the mutex orders every holder's writes before the next's reads.
//   2. FIFO: TryRunHere runs a task only when no task is queued (checked under the token), and
//      the queue's thread takes the token before it takes a batch; so a task run here never
//      overtakes one posted before it.
//   3. A batch (the queue thread's, or TryRunHere's one task) ends with its deferred callbacks
//      handed to the epilogue before the token is released; callbacks deferred by those (a
//      parked statement woken by a commit) are handed over again at once, so the token never
//      passes on with deferred_ non-empty.
//   4. TryRunHere never nests (a task cannot run another here) and refuses once Stop() began.
//
// Exceptions: our code does not throw, but std can (std::bad_alloc). An exception escaping a
// task, a timer, a deferred callback or the epilogue is caught here, reported to the error hook
// and the thread keeps running: one failed task must not terminate the server. A task or callback
// that threw is destroyed like any other, so a completion it owned and had not called yet dies
// unanswered, which the server's bridge turns into an XX000 answer (server/engine_bridge.h). An
// epilogue that threw counts as failed: the deferred callbacks get an XX000 status, so no commit
// of that batch is acknowledged.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"

namespace sqlrite::engine {

class EngineQueue {
 public:
  // A move-only unit of work (lets tasks own move-only completion handlers).
  class Task {
   public:
    Task() = default;
    template <typename F>
    explicit Task(F f) : impl_(std::make_unique<Model<F>>(std::move(f))) {}
    void operator()() { impl_->Run(); }
    explicit operator bool() const { return impl_ != nullptr; }

   private:
    struct Concept {
      virtual ~Concept() = default;
      virtual void Run() = 0;
    };
    template <typename F>
    struct Model final : Concept {
      explicit Model(F f) : fn(std::move(f)) {}
      void Run() override { fn(); }
      F fn;
    };
    std::unique_ptr<Concept> impl_;
  };

  // A move-only callback taking one argument (completion handlers, deferred acknowledgments).
  template <typename Arg>
  class Callback {
   public:
    Callback() = default;
    template <typename F>
    Callback(F f)
        : impl_(std::make_unique<Model<F>>(std::move(f))) {}  // NOLINT: implicit by design
    void operator()(Arg arg) { impl_->Run(std::move(arg)); }
    explicit operator bool() const { return impl_ != nullptr; }

   private:
    struct Concept {
      virtual ~Concept() = default;
      virtual void Run(Arg arg) = 0;
    };
    template <typename F>
    struct Model final : Concept {
      explicit Model(F f) : fn(std::move(f)) {}
      void Run(Arg arg) override { fn(std::move(arg)); }
      F fn;
    };
    std::unique_ptr<Concept> impl_;
  };

  EngineQueue();
  ~EngineQueue();  // Stop()s if still running
  EngineQueue(const EngineQueue&) = delete;
  EngineQueue& operator=(const EngineQueue&) = delete;

  // Queues a task. After Stop() began, tasks are still run until the queue drains.
  void Post(Task task);
  template <typename F>
  void Post(F f) {
    Post(Task(std::move(f)));
  }
  // Runs task on the engine thread once deadline has passed (timers for lock_timeout and
  // statement_timeout of parked statements). A timer not yet due when Stop() drains the queue
  // is dropped; the task must therefore own nothing whose destruction matters.
  using Clock = std::chrono::steady_clock;
  void PostAt(Clock::time_point deadline, Task task);
  template <typename F>
  void PostAt(Clock::time_point deadline, F f) {
    PostAt(deadline, Task(std::move(f)));
  }
  // Group commit. After each batch of tasks that deferred callbacks (Defer), the engine thread
  // hands them to the epilogue as one acknowledgment, which the epilogue calls on the engine
  // thread with the Status of the sync covering the batch's commits: at once, or later (the
  // server's is Cluster::SyncCommitsAsync: the fsync runs on another thread while the engine
  // thread goes on with the next batches, engine/log_syncer.h). Set once, before the first
  // Post. An epilogue must have called every acknowledgment before Stop() (Cluster::Close
  // drains its syncs).
  using Acknowledge = Callback<const Status&>;
  void SetAsyncBatchEpilogue(std::function<void(Acknowledge)> epilogue);
  // The synchronous form: the epilogue's Status acknowledges the batch at once.
  void SetBatchEpilogue(std::function<Status()> epilogue);
  // Queues f to run after the current batch's epilogue. REQUIRES: OnEngineThread().
  void Defer(Callback<const Status&> f);

  // Receives what an exception escaping engine work said (`where`: "task", "deferred callback",
  // "epilogue"). Runs on the engine thread; must not throw. Default: a line on stderr. Set it
  // before the first Post.
  using ErrorHook = std::function<void(const char* where, const char* what)>;
  void SetErrorHook(ErrorHook hook);

  // Runs task on the calling thread, as the engine thread (see the opening comment), when no
  // task is queued and no batch runs (a busy token is waited for up to 20 us, as long as no task
  // gets queued meanwhile) and fits() says so: task, then the epilogue of its deferred
  // callbacks, as a batch of one. fits is called first, already as the engine thread (so it may
  // read what tasks own, a catalog), and must not run engine work itself. False (task untouched)
  // when the engine is busy, when fits() is false, when called on the engine thread or after
  // Stop() began: the caller then Posts it. The calling thread is blocked for the task's whole
  // run, so only short tasks belong here (a point write, a COMMIT).
  template <typename Fits>
  bool TryRunHere(Task& task, const Fits& fits) {
    return TryRunHereIf(
        task, [](const void* f) { return static_cast<bool>((*static_cast<const Fits*>(f))()); },
        &fits);
  }
  bool TryRunHere(Task& task) { return TryRunHereIf(task, nullptr, nullptr); }

  // Runs every queued task, then joins the thread. Idempotent.
  void Stop();
  // True when called from the engine thread.
  bool OnEngineThread() const;

 private:
  void Run();
  // Runs fn, reporting an exception to the hook instead of letting it end the thread. False if
  // fn threw.
  template <typename Fn>
  bool RunCatching(const char* where, Fn&& fn) noexcept;
  bool TryRunHereIf(Task& task, bool (*fits)(const void*), const void* fits_arg);
  // Hands deferred_ to the epilogue until it stays empty (invariant 3). REQUIRES: the token.
  void RunDeferred();
  // The engine token (invariant 1). Taken before mu_ when both are held.
  std::mutex exec_mu_;
  void Report(const char* where, const char* what) noexcept;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;
  std::atomic<bool> has_tasks_{false};  // !tasks_.empty(), readable without mu_
  static constexpr std::chrono::microseconds kSpinBeforeSleep{50};
  std::multimap<Clock::time_point, Task> timers_;  // by deadline
  std::function<void(Acknowledge)> epilogue_;
  ErrorHook error_hook_;
  std::vector<Callback<const Status&>> deferred_;  // the token's holder only
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sqlrite::engine
