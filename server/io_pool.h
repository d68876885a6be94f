#pragma once
// IoPool: the io threads, one io_context each.
//
// Each context is run by exactly one thread, and a connection lives on one context for its whole
// life (dealt round robin by Next()), so the thread that waits in epoll for a socket is the one
// that runs its handlers: a statement's read, execution and write happen without waking another
// thread. One io_context shared by N threads instead hands each ready handler to whichever
// thread is idle, and pays a futex wake-up for most of them (a profile of pgbench's point select
// counted 5.6 futex calls per statement that way). The cost: a connection cannot move to an idle
// thread, so work that runs long on an io thread delays the other connections of its thread;
// that is why long reads and parses run on the worker pool (common/worker_pool.h), not here.
//
// Lifetime: every context is kept running (a work guard) until Release(), which lets each run()
// return once its last connection, timer and acceptor have finished. Thread-safe: Next(),
// Release().

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace sqlrite::server {

class IoPool {
 public:
  // REQUIRES: threads >= 1.
  explicit IoPool(size_t threads);
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;
  ~IoPool();

  size_t size() const { return contexts_.size(); }
  // The first context: the listening sockets, the signal handler and the server's own timers.
  asio::io_context& primary() { return *contexts_.front(); }
  // The context for a new connection, round robin.
  asio::io_context& Next();

  // Runs the first context on the calling thread and every other on a thread of its own; returns
  // when all of them have run out of work (after Release()) and their threads are joined.
  void Run();
  // Drops the guards that keep idle contexts running. Idempotent.
  void Release();

 private:
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<std::optional<Guard>> guards_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> released_{false};
};

}  // namespace sqlrite::server
