#include "engine/engine_queue.h"

namespace sqlrite::engine {

EngineQueue::EngineQueue() : thread_([this] { Run(); }) {}

EngineQueue::~EngineQueue() { Stop(); }

void EngineQueue::Post(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
    has_tasks_.store(true, std::memory_order_release);
  }
  cv_.notify_one();
}

void EngineQueue::PostAt(Clock::time_point deadline, Task task) {
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

void EngineQueue::SetBatchEpilogue(std::function<Status()> epilogue) {
  epilogue_ = std::move(epilogue);
}

void EngineQueue::Defer(Callback<const Status&> f) { deferred_.push_back(std::move(f)); }

bool EngineQueue::OnEngineThread() const { return std::this_thread::get_id() == thread_.get_id(); }

void EngineQueue::Run() {
  std::deque<Task> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto woken = [this] { return stopping_ || !tasks_.empty() || !deferred_.empty(); };
      if (!woken() && timers_.empty()) {
        // Under load the next statement is usually microseconds away: wait for it awake rather
        // than pay a futex sleep and a wake-up (a context switch each way) per statement.
        lock.unlock();
        const auto spin_until = Clock::now() + kSpinBeforeSleep;
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
      batch.swap(tasks_);
      has_tasks_.store(false, std::memory_order_relaxed);
      // Due timers run in this batch, after the tasks queued before them.
      const auto now = Clock::now();
      while (!timers_.empty() && timers_.begin()->first <= now) {
        batch.push_back(std::move(timers_.begin()->second));
        timers_.erase(timers_.begin());
      }
      if (batch.empty() && deferred_.empty()) {
        if (stopping_) return;  // drained; timers not yet due are dropped
        continue;
      }
    }
    // Take the whole queue at once: one lock round-trip per burst, not per task.
    for (auto& task : batch) task();
    batch.clear();
    if (!deferred_.empty()) {
      Status status = epilogue_ ? epilogue_() : Ok();
      // Deferred callbacks may defer again (a parked statement woken by a commit); those run
      // after the next batch's epilogue.
      std::vector<Callback<const Status&>> ready;
      ready.swap(deferred_);
      for (auto& f : ready) f(status);
    }
  }
}

}  // namespace sqlrite::engine
