#pragma once
// RowLockTable: the row locks of one database's point-writer transactions
// (engine/point_writer.h), keyed by an opaque byte string (the table's oid and the encoded
// primary key), each held by one transaction (an Owner) until that transaction ends.
//
// Contract:
//   - Exclusive locks only; a lock is either free (absent) or held by exactly one owner, and is
//     re-entrant for its holder (TryAcquire of a held key by its holder is a no-op success).
//   - Waits are FIFO per key: Release passes a lock straight to its first waiter, which then
//     holds it (no barging: a free lock never has waiters).
//   - An owner waits for at most one key at a time.
//   - No thread safety: the engine thread (whoever holds the engine token) owns it.
//   - Granting calls nothing: ReleaseAll returns the tickets granted, and the caller resumes
//     their statements after the table is consistent again (a resumed statement may lock and
//     wait anew).
// Deadlocks: FindCycle walks the wait-for graph (an owner waits for the holder of the key it
// waits on, plus any edges the caller adds: an upgrade waiting for every other point writer)
// and returns the cycle a new wait would close, so that wait fails with 40P01 instead.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sqlrite::engine {

// PostgreSQL's deadlock_detected. Here rather than in common/sqlstate.h, which every file of the
// project includes, until the lock table has a second user.
inline constexpr const char* kDeadlockDetectedState = "40P01";

class RowLockTable {
 public:
  using Owner = uint64_t;   // a transaction's id; 0 is never an owner
  using Ticket = uint64_t;  // one wait's id, unique across the table's life

  // Takes key for owner when it is free or already owner's: true. False: another owner holds
  // it (the caller may Enqueue).
  bool TryAcquire(std::string_view key, Owner owner);
  // The owner holding key, if any.
  std::optional<Owner> Holder(std::string_view key) const;

  // Queues owner's wait for key. REQUIRES: key is held by another owner; owner waits for
  // nothing else; ticket unused.
  void Enqueue(std::string_view key, Owner owner, Ticket ticket);
  // Drops a queued wait (timeout, cancel, a closed connection): whether it was queued.
  bool Dequeue(Ticket ticket);
  // The key owner waits for, or null.
  const std::string* WaitingFor(Owner owner) const;

  // Releases every lock owner holds (and drops its wait, if any). Each released lock with
  // waiters passes to its first waiter; the tickets of those waits are returned in release
  // order.
  std::vector<Ticket> ReleaseAll(Owner owner);

  // The owners a new wait of `owner` for `key` would wait on, in a cycle back to owner, or empty
  // when that wait closes no cycle. extra(o): owners o waits for besides its lock wait.
  using ExtraEdges = std::function<std::vector<Owner>(Owner)>;
  std::vector<Owner> FindCycle(Owner owner, std::string_view key, const ExtraEdges& extra) const;
  // The same for a wait of owner on the given owners (an upgrade waiting for them to end).
  std::vector<Owner> FindCycleFrom(Owner owner, const std::vector<Owner>& waits_on,
                                   const ExtraEdges& extra) const;

  size_t HeldBy(Owner owner) const;
  bool empty() const { return locks_.empty(); }

 private:
  struct Lock {
    Owner holder = 0;
    // FIFO. A vector, not a deque: most locks never get a waiter, and an empty vector
    // allocates nothing where a deque allocates its map and a first block.
    std::vector<std::pair<Owner, Ticket>> waiters;
  };
  struct Wait {
    std::string key;
    Owner owner;
  };
  std::unordered_map<std::string, Lock> locks_;
  std::unordered_map<Owner, std::vector<std::string>> held_;  // keys per owner
  std::unordered_map<Ticket, Wait> waits_;
  std::unordered_map<Owner, Ticket> waiting_;  // owner -> its one wait
};

}  // namespace sqlrite::engine
