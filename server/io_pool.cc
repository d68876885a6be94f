#include "server/io_pool.h"

#include <thread>

#include "common/assert.h"

namespace sqlrite::server {

IoPool::IoPool(size_t threads) {
  SQLRITE_ASSERT(threads >= 1);
  contexts_.reserve(threads);
  guards_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    // Concurrency hint 1: the context is run by one thread, so its scheduler never wakes another
    // thread to wait in the reactor.
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    guards_.emplace_back(asio::make_work_guard(*contexts_.back()));
  }
}

IoPool::~IoPool() { Release(); }

asio::io_context& IoPool::Next() {
  return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoPool::Run() {
  std::vector<std::thread> threads;
  threads.reserve(contexts_.size() - 1);
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([context = contexts_[i].get()] { context->run(); });
  }
  contexts_.front()->run();
  for (std::thread& t : threads) t.join();
}

void IoPool::Release() {
  if (released_.exchange(true)) return;
  for (std::optional<Guard>& guard : guards_) guard.reset();
}

}  // namespace sqlrite::server
