#pragma once
// DelayedPeerWatch: a session's peer watch (Session::WatchPeer: is the client still there?)
// armed only for a statement still running some time after it began, instead of at its start.
//
// Why: arming the watch costs a system call per statement (asio's async_wait re-registers the
// socket with epoll_ctl each time; a wait never completes speculatively), plus a completion when
// the client's next message arrives, and almost every statement ends within microseconds.
// strace of pgbench read-write -M prepared at 16 clients counted 6.0 epoll_ctl per transaction
// from the watch, one per statement, of 51 system calls in all. The cost: a vanished client's
// runaway statement is canceled that delay later (kPeerWatchDelay, then the watch's grace).
//
// Use: a DelayedPeerWatch lives on the stack of the statement's coroutine; after `delay`, unless
// destroyed first, its target's ArmPeerWatch() is called once. The guards of one io_context are
// kept in one list (DelayedPeerWatches, an asio service of that context) in order of their due
// time, served by one timer armed only while the list is non-empty, so a statement costs a link
// and an unlink, and a busy thread one timer expiry per delay.
//
// Threading: an io_context is run by one thread (server/io_pool.h); every guard of a context is
// made and destroyed on that thread, and the list is only touched there, so nothing is locked.

#include <asio/any_io_executor.hpp>
#include <asio/execution_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace sqlrite::server {

inline constexpr std::chrono::milliseconds kPeerWatchDelay{100};

class PeerWatchTarget {
 public:
  // Called on the context's thread while the guard still lives (its statement still runs).
  virtual void ArmPeerWatch() = 0;
  virtual ~PeerWatchTarget() = default;
};

class DelayedPeerWatches;

class DelayedPeerWatch {
 public:
  // list: the target's context's (DelayedPeerWatches::Of, looked up once per session: it takes
  // the context's service registry lock); executor: the target's. target must outlive the guard.
  DelayedPeerWatch(DelayedPeerWatches& list, const asio::any_io_executor& executor,
                   PeerWatchTarget& target,
                   std::chrono::steady_clock::duration delay = kPeerWatchDelay);
  ~DelayedPeerWatch();
  DelayedPeerWatch(const DelayedPeerWatch&) = delete;
  DelayedPeerWatch& operator=(const DelayedPeerWatch&) = delete;

  // Whether ArmPeerWatch() was called.
  bool armed() const { return armed_; }

 private:
  friend class DelayedPeerWatches;
  DelayedPeerWatches* list_;
  PeerWatchTarget& target_;
  std::chrono::steady_clock::time_point due_;
  DelayedPeerWatch* prev_ = nullptr;
  DelayedPeerWatch* next_ = nullptr;
  bool linked_ = false;
  bool armed_ = false;
};

// The guards of one io_context, by due time. Reached through asio::use_service.
class DelayedPeerWatches : public asio::execution_context::service {
 public:
  using key_type = DelayedPeerWatches;
  static inline asio::execution_context::id id;

  explicit DelayedPeerWatches(asio::execution_context& context);
  ~DelayedPeerWatches() override;

  // The list of executor's context (created on first use).
  static DelayedPeerWatches& Of(const asio::any_io_executor& executor);

  // How many guards wait: what a test counts.
  size_t waiting() const { return waiting_; }

 private:
  friend class DelayedPeerWatch;
  void shutdown() override;
  void Link(DelayedPeerWatch& watch, const asio::any_io_executor& executor);
  void Unlink(DelayedPeerWatch& watch);
  void ArmTimer();
  void OnTimer();

  DelayedPeerWatch* head_ = nullptr;  // earliest due
  DelayedPeerWatch* tail_ = nullptr;
  size_t waiting_ = 0;
  std::optional<asio::steady_timer> timer_;  // made with the first guard's executor
  std::chrono::steady_clock::time_point timer_due_;
  uint64_t timer_generation_ = 0;  // which wait is current: a re-armed timer's old one is not
  bool timer_pending_ = false;
  bool shut_down_ = false;
};

}  // namespace sqlrite::server
