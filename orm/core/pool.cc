#include "orm/core/pool.h"

#include <string>

namespace sqlrite::orm {

Pool::Lease& Pool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
  }
  return *this;
}

Pool::Lease::~Lease() { Release(); }

void Pool::Lease::Release() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Return(std::move(connection_));
  connection_.reset();
  pool_.reset();
}

Result<std::shared_ptr<Pool>> Pool::Create(std::unique_ptr<Driver> driver, PoolOptions options) {
  if (options.max_connections == 0) {
    return Fail(sqlstate::kInvalidParameterValue, "a pool needs max_connections of at least 1");
  }
  return std::make_shared<Pool>(Token{}, std::move(driver), options);
}

Result<Pool::Lease> Pool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(shared_from_this(), std::move(connection));
    }
    if (open_ < options_.max_connections) break;
    if (released_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_connections) {
      return Fail("53300", "no connection of the " + std::string(driver_->name()) + " pool (" +
                               std::to_string(options_.max_connections) +
                               " connections) came free within " +
                               std::to_string(options_.acquire_timeout.count()) + " ms");
    }
  }
  // The slot is ours; connecting takes a network round trip, so not under the mutex.
  ++open_;
  lock.unlock();
  auto connection = driver_->Connect();
  if (!connection) {
    lock.lock();
    --open_;
    lock.unlock();
    released_.notify_one();  // a waiter may now try to open one
    return tl::unexpected(std::move(connection).error());
  }
  return Lease(shared_from_this(), std::move(*connection));
}

void Pool::Return(std::unique_ptr<Connection> connection) {
  if (connection->Reusable()) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  } else {
    // Closed before its slot is freed (so no more than max_connections are ever open), and
    // outside the mutex: closing may write to a socket.
    connection.reset();
    std::lock_guard lock(mutex_);
    --open_;
  }
  released_.notify_one();
}

std::size_t Pool::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

std::size_t Pool::idle_connections() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

}  // namespace sqlrite::orm
