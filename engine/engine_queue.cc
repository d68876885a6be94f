#include "engine/engine_queue.h"

#include <pthread.h>

#include <cstdio>
#include <exception>
#include <string>

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine {
namespace {
// The queue whose task this thread runs through TryRunHere, if any.
thread_local const EngineQueue* running_here = nullptr;
}  // namespace

EngineQueue::EngineQueue() : thread_([this] { Run(); }) {}

EngineQueue::~EngineQueue() { Stop(); }

void EngineQueue::Post(Task task) {
  SQLRITE_ASSERT(task);
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
    has_tasks_.store(true, std::memory_order_release);
  }
  cv_.notify_one();
}

void EngineQueue::PostAt(Clock::time_point deadline, Task task) {
  SQLRITE_ASSERT(task);
  {
    std::lock_guard<std::mutex> lock(mu_);
    timers_.emplace(deadline, std::move(task));
  }
  cv_.notify_one();
}

void EngineQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable() && !OnEngineThread()) thread_.join();
}

void EngineQueue::SetAsyncBatchEpilogue(std::function<void(Acknowledge)> epilogue) {
  epilogue_ = std::move(epilogue);
}

void EngineQueue::SetBatchEpilogue(std::function<Status()> epilogue) {
  epilogue_ = [epilogue = std::move(epilogue)](Acknowledge ack) { ack(epilogue()); };
}

void EngineQueue::Defer(Callback<const Status&> f) {
  SQLRITE_ASSERT(OnEngineThread());  // deferred_ is the token holder's alone
  SQLRITE_ASSERT(f);
  deferred_.push_back(std::move(f));
}

void EngineQueue::SetErrorHook(ErrorHook hook) { error_hook_ = std::move(hook); }

void EngineQueue::Report(const char* where, const char* what) noexcept {
  if (error_hook_) {
    error_hook_(where, what);
  } else {
    std::fprintf(stderr, "sqlrited: engine %s failed: %s\n", where, what);
  }
}

template <typename Fn>
bool EngineQueue::RunCatching(const char* where, Fn&& fn) noexcept {
  try {
    fn();
    return true;
  } catch (const std::exception& e) {
    Report(where, e.what());
  } catch (...) {
    Report(where, "unknown exception");
  }
  return false;
}

bool EngineQueue::OnEngineThread() const {
  return running_here == this || std::this_thread::get_id() == thread_.get_id();
}

namespace {
// TryRunHere's wait for a busy token, in microseconds. pgbench tpcb-like -M prepared, scale 10,
// alternated on a quiet machine: 4 clients 3365 / 3126 tps without it, 3570 / 3664 at 20 us,
// 3294 / 3230 at 60 us; 16 clients within the noise (docs/decisions.md).
constexpr int64_t kSpinForToken = 20;
}  // namespace

bool EngineQueue::TryRunHereIf(Task& task, bool (*fits)(const void*), const void* fits_arg) {
  SQLRITE_ASSERT(task);
  if (running_here != nullptr || std::this_thread::get_id() == thread_.get_id()) return false;
  std::unique_lock<std::mutex> token(exec_mu_, std::defer_lock);
  if (!token.try_lock()) {
    // The holder is most often another io thread running a short task of its own (tens of
    // microseconds): waiting that out here costs less than posting, which wakes the engine
    // thread and then this thread again for the completion. Bounded, and never past a queued
    // task (FIFO), which the queue's thread will run.
    const auto give_up = Clock::now() + std::chrono::microseconds(kSpinForToken);
    for (;;) {
      if (has_tasks_.load(std::memory_order_acquire) || Clock::now() >= give_up) return false;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if (token.try_lock()) break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || !tasks_.empty()) return false;
    // A due timer (a lock_timeout) goes first, as in a batch of the queue's thread.
    if (!timers_.empty() && timers_.begin()->first <= Clock::now()) return false;
  }
  running_here = this;
  struct Leave {
    ~Leave() { running_here = nullptr; }
  } leave;
  if (fits != nullptr) {
    bool fit = false;  // one that threw is left to the queue
    if (!RunCatching("fits", [&] { fit = fits(fits_arg); }) || !fit) return false;
  }
  {
    Task mine = std::move(task);
    RunCatching("task", mine);
  }  // destroyed with the token held, as the queue thread's batch is
  RunDeferred();
  return true;
}

void EngineQueue::RunDeferred() {
  while (!deferred_.empty()) {
    // Whoever runs the batch's callbacks first (the epilogue's acknowledgment, or the failure
    // below) takes them, so none runs twice. Callbacks may defer again (a parked statement
    // woken by a commit): the loop hands those to the epilogue in turn.
    auto ready = std::make_shared<std::vector<Callback<const Status&>>>();
    ready->swap(deferred_);
    auto run = [this, ready](const Status& status) {
      std::vector<Callback<const Status&>> callbacks;
      callbacks.swap(*ready);
      for (auto& f : callbacks) RunCatching("deferred callback", [&] { f(status); });
    };
    if (!epilogue_) {
      run(Ok());
    } else if (!RunCatching("epilogue", [&] { epilogue_(Acknowledge(run)); })) {
      run(Fail(sqlstate::kInternalError, "internal error: the group commit failed"));
    }
  }
}

void EngineQueue::Run() {
  // Named so that profiles (top -H, strace, bench/profile) can tell the engine thread apart.
  pthread_setname_np(pthread_self(), "sqlrite-engine");
  std::deque<Task> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto woken = [this] { return stopping_ || !tasks_.empty(); };
      if (!woken() && timers_.empty()) {
        // Under load the next statement is usually microseconds away: wait for it awake rather
        // than pay a futex sleep and a wake-up (a context switch each way) per statement.
        // Only with cores to spare: on two, the spinner competes with the io threads and clients
        // it waits for (pgbench read-write -M prepared, 4 clients, alternated: 8% more
        // transactions and 15% less server CPU per transaction without it).
        static const std::chrono::microseconds kIdleSpin = std::thread::hardware_concurrency() > 2
                                                               ? kSpinBeforeSleep
                                                               : std::chrono::microseconds(0);
        lock.unlock();
        const auto spin_until = Clock::now() + kIdleSpin;
        while (!has_tasks_.load(std::memory_order_acquire) && Clock::now() < spin_until) {
          std::this_thread::yield();
        }
        lock.lock();
      }
      while (!woken()) {
        if (timers_.empty()) {
          cv_.wait(lock);
        } else if (timers_.begin()->first <= Clock::now()) {
          break;
        } else {
          cv_.wait_until(lock, timers_.begin()->first);
        }
      }
    }
    // The token before the batch (invariant 2): a task run here meanwhile has finished, and one
    // queued before it is in the batch.
    std::unique_lock<std::mutex> token(exec_mu_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(tasks_);
      has_tasks_.store(false, std::memory_order_relaxed);
      // Due timers run in this batch, after the tasks queued before them.
      const auto now = Clock::now();
      while (!timers_.empty() && timers_.begin()->first <= now) {
        batch.push_back(std::move(timers_.begin()->second));
        timers_.erase(timers_.begin());
      }
      if (batch.empty()) {
        if (stopping_) return;  // drained; timers not yet due are dropped
        continue;
      }
    }
    // Take the whole queue at once: one lock round-trip per burst, not per task.
    for (auto& task : batch) RunCatching("task", task);
    batch.clear();  // a task that threw dies here with the others (see the header)
    RunDeferred();
  }
}

}  // namespace sqlrite::engine
