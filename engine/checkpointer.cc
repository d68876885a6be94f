#include "engine/checkpointer.h"

#include <pthread.h>

#include <exception>
#include <string>
#include <utility>

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine {

struct Checkpointer::Shared {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::deque<std::pair<uint64_t, std::function<Status()>>> todo;
  std::map<uint64_t, Status> done;  // copied, finish not run yet
  // For the completion tasks the thread posts; engine thread only (the destructor, which
  // clears it, and the tasks both run there).
  Checkpointer* owner = nullptr;
};

namespace {

Status RunCopy(const std::function<Status()>& copy) {
  try {
    return copy();
  } catch (const std::exception& e) {
    return Fail(sqlstate::kInternalError,
                std::string("internal error: a checkpoint's copy failed: ") + e.what());
  }
}

}  // namespace

Checkpointer::Checkpointer(Post post) : shared_(std::make_shared<Shared>()) {
  shared_->owner = this;
  thread_ = std::thread([shared = shared_, post = std::move(post)] {
    pthread_setname_np(pthread_self(), "sqlrite-ckpt");
    for (;;) {
      std::pair<uint64_t, std::function<Status()>> work;
      {
        std::unique_lock lock(shared->mu);
        shared->cv.wait(lock, [&] { return shared->stop || !shared->todo.empty(); });
        if (shared->todo.empty()) return;  // stopping, nothing left
        work = std::move(shared->todo.front());
        shared->todo.pop_front();
      }
      Status status = RunCopy(work.second);
      const uint64_t id = work.first;
      {
        std::lock_guard lock(shared->mu);
        shared->done.emplace(id, std::move(status));
      }
      shared->cv.notify_all();  // a Drain waiting on the engine thread
      post(EngineQueue::Task([shared, id] {
        if (shared->owner != nullptr) shared->owner->Complete(id);
      }));
    }
  });
}

Checkpointer::~Checkpointer() {
  Drain();
  shared_->owner = nullptr;
  {
    std::lock_guard lock(shared_->mu);
    shared_->stop = true;
  }
  shared_->cv.notify_all();
  thread_.join();
}

void Checkpointer::Start(Job job) {
  SQLRITE_ASSERT(job.copy && job.finish);
  const uint64_t id = ++next_id_;
  finishes_.emplace(id, std::move(job.finish));
  {
    std::lock_guard lock(shared_->mu);
    shared_->todo.emplace_back(id, std::move(job.copy));
  }
  shared_->cv.notify_all();
}

void Checkpointer::Complete(uint64_t id) {
  auto it = finishes_.find(id);
  if (it == finishes_.end()) return;  // Drain ran it already
  Status status = Ok();
  {
    std::lock_guard lock(shared_->mu);
    auto done = shared_->done.find(id);
    SQLRITE_ASSERT(done != shared_->done.end());
    status = std::move(done->second);
    shared_->done.erase(done);
  }
  std::function<void(const Status&)> finish = std::move(it->second);
  finishes_.erase(it);
  finish(status);
}

void Checkpointer::Drain() {
  while (!finishes_.empty()) {
    const uint64_t id = finishes_.begin()->first;  // copies finish in the order started
    {
      std::unique_lock lock(shared_->mu);
      shared_->cv.wait(lock, [&] { return shared_->done.count(id) != 0; });
    }
    Complete(id);
  }
}

}  // namespace sqlrite::engine
