#pragma once
// Checkpointer: the copying half of automatic checkpoints on a thread of its own
// ("sqlrite-ckpt"), so that no statement waits for the main file's writes and fsync.
//
// Before it, the automatic checkpoint ran on the engine thread after a group commit's sync: it
// read back every page the log held, wrote them to the main file and fsynced it, 5-30 ms on a
// quiet disk and up to 100 ms on a busy one, every ~1,000 pgbench transactions, holding the
// engine: no statement of any session ran meanwhile. Now the engine thread only plans a round
// (storage::Pager::BeginBackfill) and records it (FinishBackfill); the copy and the fsync run
// here, and the log's restart copies under the engine only what the last round left.
//
// Invariants:
//   1. Start, every job's finish and Drain run on the engine thread (the token's holder); only
//      the copies run on the checkpointer thread, one at a time, in the order started.
//   2. A job's finish runs exactly once, with its copy's status: from a task the thread posts to
//      the engine queue, or from Drain, whichever comes first.
//   3. The thread never runs as the engine thread (its completions are always posted, never run
//      in place), so Drain never waits for work only the waiting thread could do.
// What callers must do: Drain() before anything that checkpoints, closes or synchronously syncs
// a pager with a round in flight (the pager asserts it).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "engine/engine_queue.h"

namespace sqlrite::engine {

class Checkpointer {
 public:
  struct Job {
    std::function<Status()> copy;               // on the checkpointer thread
    std::function<void(const Status&)> finish;  // on the engine thread, with copy's status
  };
  // Hands a task to the engine thread (from the checkpointer thread).
  using Post = std::function<void(EngineQueue::Task)>;

  explicit Checkpointer(Post post);
  // Drains, then stops the thread. Engine thread.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  void Start(Job job);  // engine thread
  // Blocks the engine thread until every started job's copy is done, and runs their finishes.
  void Drain();
  size_t in_flight() const { return finishes_.size(); }  // engine thread

 private:
  struct Shared;               // what the thread and the engine thread both touch, under its mutex
  void Complete(uint64_t id);  // engine thread

  std::shared_ptr<Shared> shared_;
  std::thread thread_;
  // Engine thread only.
  uint64_t next_id_ = 0;
  std::map<uint64_t, std::function<void(const Status&)>> finishes_;  // started, not finished
};

}  // namespace sqlrite::engine
