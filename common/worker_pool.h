#pragma once
// WorkerPool: threads started on demand for work that must never wait behind other work (a parse
// on libpg_query's deep recursion, a read statement that may run for minutes).
//
// Invariant (under mu): every queued job has an idle worker of its own (idle >= jobs.size()), so
// a job starts at once, on an idle thread or a new one; the pool is as large as the most jobs
// ever run at once, and an idle worker's thread exits after kIdleTimeout. Pooled threads have
// kPooledStackBytes of stack (reserved, touched only as used); a job asking for more gets a
// thread of its own. The state is shared with the detached threads, so it outlives the pool
// object at exit.
//
// Priority: a pool made with a niceness runs its threads that much nicer than the process
// (setpriority on each thread, which Linux applies per thread), so that under a full CPU its
// jobs yield to everything else; idle cores still run them at full speed. LongReads() is such a
// pool, for statements that may run for minutes (see docs/decisions.md).

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

namespace sqlrite {

class WorkerPool {
 public:
  using Job = std::function<void()>;
  static constexpr size_t kPooledStackBytes = size_t{20} << 20;
  static constexpr std::chrono::seconds kIdleTimeout{10};

  // Threads at the process's own priority: parses, and anything a session waits for at once.
  static WorkerPool& Instance() {
    static WorkerPool pool;
    return pool;
  }
  // Threads kLongReadNiceness nicer: the batches of reads that may run long (scans, sorts, joins).
  static constexpr int kLongReadNiceness = 5;
  static WorkerPool& LongReads() {
    static WorkerPool pool(kLongReadNiceness);
    return pool;
  }

  explicit WorkerPool(int niceness = 0) : niceness_(niceness) {}

  // Runs job on a thread with at least stack_bytes of stack. False when no thread can be made
  // (the job is dropped without running).
  bool Run(size_t stack_bytes, Job job) {
    if (stack_bytes > kPooledStackBytes) {
      return StartThread(stack_bytes, niceness_, [job = std::move(job)]() mutable { job(); });
    }
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      if (shared_->idle > shared_->jobs.size()) {
        shared_->jobs.push_back(std::move(job));
        shared_->cv.notify_one();
        return true;
      }
    }
    return StartThread(kPooledStackBytes, niceness_,
                       [shared = shared_, job = std::move(job)]() mutable {
                         job();
                         job = nullptr;  // what it holds is released before the worker idles
                         ServeJobs(*shared);
                       });
  }
  bool Run(Job job) { return Run(kPooledStackBytes, std::move(job)); }

 private:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Job> jobs;  // guarded by mu
    size_t idle = 0;       // workers waiting for a job; guarded by mu
  };

  static void ServeJobs(Shared& shared) {
    std::unique_lock<std::mutex> lock(shared.mu);
    for (;;) {
      ++shared.idle;
      bool has_job = shared.cv.wait_for(lock, kIdleTimeout, [&] { return !shared.jobs.empty(); });
      --shared.idle;
      if (!has_job) return;
      Job job = std::move(shared.jobs.front());
      shared.jobs.pop_front();
      lock.unlock();
      job();
      job = nullptr;
      lock.lock();
    }
  }

  // Starts a detached thread with stack_bytes of stack, `niceness` nicer than the process.
  static bool StartThread(size_t stack_bytes, int niceness, Job body) {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return false;
    bool ok = pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
              pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0;
    if (niceness > 0) {
      body = [niceness, body = std::move(body)]() mutable {
        // Best effort: a thread that cannot be made nicer still runs its jobs.
        const id_t self = static_cast<id_t>(gettid());
        errno = 0;
        const int base = getpriority(PRIO_PROCESS, self);
        if (errno == 0) static_cast<void>(setpriority(PRIO_PROCESS, self, base + niceness));
        body();
      };
    }
    auto owned = std::make_unique<Job>(std::move(body));
    pthread_t thread;
    ok = ok && pthread_create(
                   &thread, &attr,
                   [](void* arg) -> void* {
                     std::unique_ptr<Job> run(static_cast<Job*>(arg));
                     (*run)();
                     return nullptr;
                   },
                   owned.get()) == 0;
    pthread_attr_destroy(&attr);
    if (ok) static_cast<void>(owned.release());  // the thread owns it now
    return ok;
  }

  const int niceness_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace sqlrite
