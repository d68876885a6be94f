#pragma once
// SessionLocals: what a session's functions read or change from whichever thread runs its
// statement (the engine thread, or its io thread for a snapshot read and the batches it pulls):
// pg_backend_pid()'s process id, the random() generator that setseed() seeds, and the
// bytea_output setting that byteaout reads (engine/types/bytea.h) wherever bytea becomes text:
// casts, ||, array and record output, COPY TO, and the server's DataRows (which it encodes under
// a SessionLocalsScope of LocalsOf(its session)).
//
// Code reaches them through CurrentSessionLocals(), set by a SessionLocalsScope where the
// DateTimeScope is set for a statement (Cluster's statements and COPY FROM, a snapshot read's
// binding, each batch a pipeline pulls: engine/exec/operator_rows.h keeps the locals it was built
// under). Outside any scope (a unit test's expression) there are none: random() then draws from
// a generator of the thread, and pg_backend_pid() gives 0.
//
// Thread safety: one session runs one statement at a time, but a statement's pipeline may be
// pulled on another thread than the one that bound it; the generator takes a mutex per draw,
// the pid is atomic.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace sqlrite::engine {

// PostgreSQL 15's generator (src/common/pg_prng.c: xoroshiro128**, seeded through splitmix64),
// so that after setseed(x) a session draws the sequence PostgreSQL's would.
class SessionRandom {
 public:
  SessionRandom();  // seeded from the operating system's entropy
  SessionRandom(const SessionRandom&) = delete;
  SessionRandom& operator=(const SessionRandom&) = delete;

  // A value in [0, 1) with 52 random bits (pg_prng_double).
  double NextDouble();
  // pg_prng_fseed. REQUIRES: -1 <= seed <= 1 (setseed checks it).
  void Seed(double seed);

 private:
  void SeedWord(uint64_t seed);  // pg_prng_seed

  std::mutex mu_;
  uint64_t s0_ = 0, s1_ = 0;
};

struct SessionLocals {
  // The process id the server sent in BackendKeyData (its CancelRequest key); 0 for a session
  // no server opened.
  std::atomic<uint32_t> backend_pid{0};
  SessionRandom random;
  // bytea_output = escape (else hex). Written by the session's SET / RESET / ROLLBACK between
  // statements, read by the threads its statements and results are encoded on.
  std::atomic<bool> bytea_output_escape{false};
};

class SessionState;
// The locals of an engine session (engine/session.h); null for another SessionState (a test's).
std::shared_ptr<SessionLocals> LocalsOf(const SessionState& state);

// The locals of the session whose work runs on this thread; null outside a scope.
SessionLocals* CurrentSessionLocals();
// The same, shared, for an object that runs the session's work later (a pipeline).
std::shared_ptr<SessionLocals> CurrentSessionLocalsShared();

class SessionLocalsScope {
 public:
  // locals may be null: the scope then leaves the current ones in place.
  explicit SessionLocalsScope(std::shared_ptr<SessionLocals> locals);
  ~SessionLocalsScope();
  SessionLocalsScope(const SessionLocalsScope&) = delete;
  SessionLocalsScope& operator=(const SessionLocalsScope&) = delete;

 private:
  std::shared_ptr<SessionLocals> previous_locals_;  // put back by the destructor
  SessionLocalsScope* previous_;
};

}  // namespace sqlrite::engine
