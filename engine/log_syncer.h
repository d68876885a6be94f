#pragma once
// LogSyncer: group commit's fsyncs on their own thread ("sqlrite-walsync"), so that the engine
// thread goes on executing statements while the disk works.
//
// Before it, the engine thread fsynced the logs itself after every batch that committed; with one
// writer at a time and a transaction spanning several round trips, nothing else could commit
// during that fsync, so every commit paid a whole fsync alone (1.00 commits per fsync at 16
// clients; docs/decisions.md). Now, after a batch that committed, the engine thread asks for a
// sync (Request); the syncer begins one when none is in flight, covering every commit appended
// so far (Pager::BeginSync captures them), and the fsync runs on the sync thread while the
// engine thread executes the next statements: the next transactions commit meanwhile, and the
// next fsync covers all of them at once.
//
// Invariants:
//   1. At most one sync in flight. A request made while one is in flight waits for the next,
//      which begins when the one in flight finished.
//   2. A request is acknowledged only by a sync begun after it was made: every commit of its
//      batch was appended to the log before that sync's Begin captured it.
//   3. Begin, every Job's finish and every acknowledgment run on the engine thread, in that order
//      for a sync; only a Job's fsync runs on the sync thread. The result goes back through
//      `post` or, in Drain, is taken on the engine thread directly. The cluster's `post` runs
//      it on the sync thread itself, as the engine thread, when the engine is idle
//      (EngineQueue::TryRunHere), else queues it (EngineQueue::Post): the completion then
//      begins the next sync at once, with no wake-up of the engine thread in between.
//   4. A sync's status for its acknowledgments is the first error among Begin's and the jobs'
//      finishes, else Ok. A failed sync fails the requests waiting behind it too (they may have
//      seen the commits it discarded). One status for all databases: a failure of one fails
//      the acknowledgments of commits to the others as well (their commits' fate is then
//      unknown to their clients, as after a lost connection).
//   5. Drain takes the result on the engine thread but posts the acknowledgments as a task, so
//      other sessions' next statements never run nested inside the statement that drains.
// What callers must do: nothing may checkpoint, close or synchronously sync a pager while a sync
// is in flight (Pager::BeginSync); call Drain() first.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "engine/engine_queue.h"

namespace sqlrite::engine {

class LogSyncer {
 public:
  using Ack = EngineQueue::Callback<const Status&>;
  // One log to sync (one database's).
  struct Job {
    std::function<Status()> fsync;                // on the sync thread
    std::function<Status(const Status&)> finish;  // on the engine thread, with fsync's status
  };
  // Begins a sync of every log with commits that await one (engine thread). An error beginning
  // one log goes to *error (the others still sync).
  using Begin = std::function<std::vector<Job>(Status* error)>;
  // Hands a task to the engine thread (from the sync thread), or runs it there as the engine
  // thread (EngineQueue::TryRunHere).
  using Post = std::function<void(EngineQueue::Task)>;

  LogSyncer(Begin begin, Post post);
  // Drains, then stops the sync thread. Engine thread.
  ~LogSyncer();
  LogSyncer(const LogSyncer&) = delete;
  LogSyncer& operator=(const LogSyncer&) = delete;

  // Acknowledges, with the status of the next sync that begins from now, the commits made so
  // far (engine thread). With nothing to sync, ack runs at once with Ok (or Begin's error).
  void Request(Ack ack);
  // Blocks the engine thread until no sync is in flight and no request waits (running their
  // acknowledgments). Before anything that checkpoints, closes or syncs a pager itself.
  void Drain();
  bool in_flight() const { return in_flight_; }
  uint64_t syncs() const { return syncs_; }  // syncs begun with at least one log

 private:
  struct Shared;  // what the sync thread and the engine thread both touch, under its mutex
  // inline_acks: run acknowledgments here (a top-level engine task) or post them as a task of
  // their own (from Drain, which runs inside some statement's execution).
  void Start(bool inline_acks);
  void Complete(uint64_t seq, bool inline_acks);
  void RunAcks(std::vector<Ack> acks, const Status& status, bool inline_acks);
  // Drain's wait when it is called on the sync thread: runs the handed-over fsyncs here.
  void RunWorkHere();

  Begin begin_;
  Post post_;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
  // Engine thread only.
  bool in_flight_ = false;
  uint64_t seq_ = 0;           // the sync in flight (or the last one)
  std::vector<Job> jobs_;      // the sync in flight's logs
  Status begin_error_ = Ok();  // Begin's error for the sync in flight
  std::vector<Ack> flight_;    // acknowledged by the sync in flight
  std::vector<Ack> waiting_;   // acknowledged by the next sync
  uint64_t syncs_ = 0;
};

}  // namespace sqlrite::engine
