#pragma once
// Interrupts: asking a running statement to stop, from any thread. The engine runs one statement
// at a time on its thread and never blocks inside one, so a long statement (a runaway cross join)
// would otherwise hold the engine, and every session and the server's shutdown, until it ends.
//
// A flag carries why a statement must stop; the executor's row loops poll the cluster-wide flag
// (server shutdown) and the session's own flag (for per-session cancel and statement_timeout of
// running statements, not raised by anything yet) through an InterruptCheck, and end the
// statement with the reason's error, rolled back like any other error. Polling costs one
// decrement per row and two relaxed atomic loads every kRowsPerPoll rows.

#include <atomic>
#include <cstdint>

#include "common/error.h"

namespace sqlrite::engine {

enum class InterruptReason : uint8_t {
  kNone = 0,
  kStatementTimeout,  // 57014 canceling statement due to statement timeout
  kCancel,            // 57014 canceling statement due to user request
  kShutdown,          // FATAL 57P01 terminating connection due to administrator command
};

// Why statements must stop, or kNone. Thread-safe. A raised reason stays until Clear(); of two
// reasons the later in the enum (the stronger) wins, so a shutdown is never downgraded.
class InterruptFlag {
 public:
  void Raise(InterruptReason reason) noexcept {
    InterruptReason current = reason_.load(std::memory_order_relaxed);
    while (current < reason &&
           !reason_.compare_exchange_weak(current, reason, std::memory_order_relaxed)) {
    }
  }
  void Clear() noexcept { reason_.store(InterruptReason::kNone, std::memory_order_relaxed); }
  InterruptReason reason() const noexcept { return reason_.load(std::memory_order_relaxed); }

 private:
  std::atomic<InterruptReason> reason_{InterruptReason::kNone};
};

// The error a statement interrupted for reason ends with, as PostgreSQL words it.
// REQUIRES: reason != kNone.
Error InterruptError(InterruptReason reason);

// One statement's poll of its flags (either may be null: not watched). Engine thread only.
class InterruptCheck {
 public:
  static constexpr int kRowsPerPoll = 256;

  InterruptCheck(const InterruptFlag* cluster, const InterruptFlag* session)
      : cluster_(cluster), session_(session) {}

  // Called once per row: true every kRowsPerPoll-th call, when the caller should read the
  // flags. A bool rather than a Status, so the per-row cost is one decrement and a branch:
  //   if (check.Due()) SQLRITE_TRY(check.PollNow());
  bool Due() {
    if (--countdown_ > 0) return false;
    countdown_ = kRowsPerPoll;
    return true;
  }
  // Reads the flags now.
  Status PollNow() const;

 private:
  const InterruptFlag* cluster_;
  const InterruptFlag* session_;
  int countdown_ = kRowsPerPoll;
};

}  // namespace sqlrite::engine
