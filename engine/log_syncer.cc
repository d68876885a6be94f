#include "engine/log_syncer.h"

#include <pthread.h>

#include <exception>
#include <utility>

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine {

struct LogSyncer::Shared {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  uint64_t work_seq = 0;  // the newest sync handed to the thread
  uint64_t done_seq = 0;  // the newest sync the thread finished
  std::vector<std::function<Status()>> work;
  std::vector<Status> results;
  // The syncer, for the completion task the thread posts; engine thread only (the destructor,
  // which clears it, and the task both run there).
  LogSyncer* owner = nullptr;
};

namespace {

Status RunFsync(const std::function<Status()>& fsync) {
  try {
    return fsync();
  } catch (const std::exception& e) {
    return Fail(sqlstate::kInternalError,
                std::string("internal error: the write-ahead log sync failed: ") + e.what());
  }
}

}  // namespace

LogSyncer::LogSyncer(Begin begin, Post post)
    : begin_(std::move(begin)), post_(std::move(post)), shared_(std::make_shared<Shared>()) {
  shared_->owner = this;
  thread_ = std::thread([shared = shared_, post = post_] {
    pthread_setname_np(pthread_self(), "sqlrite-walsync");
    for (;;) {
      std::vector<std::function<Status()>> work;
      uint64_t seq = 0;
      {
        std::unique_lock lock(shared->mu);
        shared->cv.wait(lock, [&] { return shared->stop || shared->work_seq > shared->done_seq; });
        if (shared->work_seq == shared->done_seq) return;  // stopping, nothing left
        work = std::move(shared->work);
        seq = shared->work_seq;
      }
      std::vector<Status> results;
      results.reserve(work.size());
      for (const auto& fsync : work) results.push_back(RunFsync(fsync));
      {
        std::lock_guard lock(shared->mu);
        shared->results = std::move(results);
        shared->done_seq = seq;
      }
      shared->cv.notify_all();  // a Drain waiting on the engine thread
      post(EngineQueue::Task([shared, seq] {
        if (shared->owner != nullptr) shared->owner->Complete(seq, /*inline_acks=*/true);
      }));
    }
  });
}

LogSyncer::~LogSyncer() {
  Drain();
  shared_->owner = nullptr;
  {
    std::lock_guard lock(shared_->mu);
    shared_->stop = true;
  }
  shared_->cv.notify_all();
  thread_.join();
}

void LogSyncer::Request(Ack ack) {
  SQLRITE_ASSERT(ack);
  waiting_.push_back(std::move(ack));
  if (!in_flight_) Start(/*inline_acks=*/true);
}

void LogSyncer::RunAcks(std::vector<Ack> acks, const Status& status, bool inline_acks) {
  if (acks.empty()) return;
  if (!inline_acks) {
    // From Drain, inside some statement's execution: the acknowledgments (which may run their
    // sessions' next statements) run later as a task of their own, never nested in it.
    post_(EngineQueue::Task([acks = std::move(acks), status]() mutable {
      for (auto& ack : acks) ack(status);
    }));
    return;
  }
  for (auto& ack : acks) ack(status);
}

void LogSyncer::Start(bool inline_acks) {
  SQLRITE_ASSERT(!in_flight_);
  Status error = Ok();
  std::vector<Job> jobs;
  try {
    jobs = begin_(&error);
  } catch (const std::exception& e) {
    // Begin is not expected to throw; if it did, the logs it began stay in flight and the
    // pagers would refuse the next sync: nothing to finish them with, so the server must not
    // go on as if they were durable.
    error = Fail(sqlstate::kInternalError,
                 std::string("internal error: beginning a log sync failed: ") + e.what());
  }
  if (jobs.empty()) {
    std::vector<Ack> acks = std::move(waiting_);
    waiting_.clear();
    RunAcks(std::move(acks), error, inline_acks);
    return;
  }
  in_flight_ = true;
  ++seq_;
  ++syncs_;
  std::vector<std::function<Status()>> work;
  work.reserve(jobs.size());
  for (const Job& job : jobs) work.push_back(job.fsync);
  jobs_ = std::move(jobs);
  begin_error_ = std::move(error);
  flight_ = std::move(waiting_);
  waiting_.clear();
  {
    std::lock_guard lock(shared_->mu);
    shared_->work = std::move(work);
    shared_->work_seq = seq_;
  }
  shared_->cv.notify_all();
}

void LogSyncer::Complete(uint64_t seq, bool inline_acks) {
  if (!in_flight_ || seq != seq_) return;  // Drain took it already
  std::vector<Status> results;
  {
    std::lock_guard lock(shared_->mu);
    SQLRITE_ASSERT(shared_->done_seq == seq);
    results = std::move(shared_->results);
  }
  SQLRITE_ASSERT(results.size() == jobs_.size());
  in_flight_ = false;
  Status status = std::move(begin_error_);
  begin_error_ = Ok();
  std::vector<Job> jobs = std::move(jobs_);
  jobs_.clear();
  for (size_t i = 0; i < jobs.size(); ++i) {
    Status finished = Ok();
    try {
      finished = jobs[i].finish(results[i]);
    } catch (const std::exception& e) {
      finished = Fail(sqlstate::kInternalError,
                      std::string("internal error: finishing a log sync failed: ") + e.what());
    }
    if (!finished && status) status = std::move(finished);
  }
  std::vector<Ack> acks = std::move(flight_);
  flight_.clear();
  if (!status) {
    // The requests made while this sync ran may have seen its commits, which a failed fsync
    // discarded (the pager forgot them and begins no sync for them): they fail with it rather
    // than be acknowledged by a next sync that has nothing left to cover.
    for (auto& ack : waiting_) acks.push_back(std::move(ack));
    waiting_.clear();
  }
  RunAcks(std::move(acks), status, inline_acks);
  // Requests made while the sync ran: the next sync covers them.
  if (!in_flight_ && !waiting_.empty()) Start(inline_acks);
}

void LogSyncer::Drain() {
  while (in_flight_ || !waiting_.empty()) {
    if (!in_flight_) {
      Start(/*inline_acks=*/false);
      continue;
    }
    if (std::this_thread::get_id() == thread_.get_id()) {
      // Drained on the sync thread itself: a completion it runs as the engine thread (see
      // invariant 3) acknowledged a statement whose successor checkpoints or closes a database.
      // Its loop is below this call, so nobody else would ever run the sync: it runs here.
      RunWorkHere();
    } else {
      std::unique_lock lock(shared_->mu);
      shared_->cv.wait(lock, [&] { return shared_->done_seq == seq_; });
    }
    Complete(seq_, /*inline_acks=*/false);
  }
}

void LogSyncer::RunWorkHere() {
  std::vector<std::function<Status()>> work;
  uint64_t seq = 0;
  {
    std::lock_guard lock(shared_->mu);
    if (shared_->work_seq == shared_->done_seq) return;  // done already
    work = std::move(shared_->work);
    seq = shared_->work_seq;
  }
  std::vector<Status> results;
  results.reserve(work.size());
  for (const auto& fsync : work) results.push_back(RunFsync(fsync));
  {
    std::lock_guard lock(shared_->mu);
    shared_->results = std::move(results);
    shared_->done_seq = seq;
  }
}

}  // namespace sqlrite::engine
