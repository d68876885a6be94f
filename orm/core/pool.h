#pragma once
// Pool: a bounded set of connections of one Driver, shared by threads. Acquire() lends one
// connection (a Lease) to one caller: an idle connection if there is one, else a new one while
// fewer than max_connections are open, else it waits up to acquire_timeout for a lease to end
// and then fails with 53300 (too_many_connections). A lease that ends hands its connection back
// only if Connection::Reusable() says so; a broken one (or one left inside a transaction) is
// closed and its slot freed, so the next Acquire opens a fresh connection instead of reusing it.
//
// Thread safety: Acquire and the end of a lease may run on any threads at once (one mutex, one
// condition variable; connections are opened outside the mutex). A Lease and its Connection are
// used by one thread at a time. A Lease keeps its Pool alive (shared ownership), so leases may
// outlive the caller's handle to the pool. Idle connections are not checked before they are lent:
// one that broke while idle fails its first statement (08006) and is then dropped.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "orm/core/driver.h"

namespace sqlrite::orm {

struct PoolOptions {
  std::size_t max_connections = 8;  // at least 1
  std::chrono::milliseconds acquire_timeout{5000};
};

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  // A connection lent to one user; hands it back (or drops it) when destroyed. Move-only.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection* get() const { return connection_.get(); }
    Connection* operator->() const { return connection_.get(); }
    explicit operator bool() const { return connection_ != nullptr; }

   private:
    friend class Pool;
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> connection)
        : pool_(std::move(pool)), connection_(std::move(connection)) {}
    void Release();
    std::shared_ptr<Pool> pool_;
    std::unique_ptr<Connection> connection_;
  };

  // 22023 for max_connections == 0. Opens no connection yet.
  static Result<std::shared_ptr<Pool>> Create(std::unique_ptr<Driver> driver, PoolOptions options);

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Result<Lease> Acquire();

  const Driver& driver() const { return *driver_; }
  const PoolOptions& options() const { return options_; }
  std::size_t open_connections() const;  // lent + idle
  std::size_t idle_connections() const;

 private:
  struct Token {};  // make_shared needs a public constructor; only Create may call it

 public:
  Pool(Token, std::unique_ptr<Driver> driver, PoolOptions options)
      : driver_(std::move(driver)), options_(options) {}

 private:
  void Return(std::unique_ptr<Connection> connection);

  std::unique_ptr<Driver> driver_;
  const PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  std::size_t open_ = 0;  // guarded by mutex_: connections lent, idle, or being opened
};

}  // namespace sqlrite::orm
