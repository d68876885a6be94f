#pragma once
// Server: the listening socket and the set of live sessions. Sessions and the acceptor run as
// coroutines on an io_context served by a small thread pool; each gets its own strand. The
// engine is reached only through the EngineQueue (server/engine_bridge.h).

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/strand.hpp>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <unordered_map>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/engine_queue.h"
#include "server/auth_policy.h"
#include "server/config.h"

namespace sqlrite::server {

class Session;

class Server {
 public:
  // REQUIRES: cluster and queue outlive the Server; all Cluster calls go through queue.
  Server(asio::io_context& io, const Config& config, engine::Cluster& cluster,
         engine::EngineQueue& queue);
  ~Server();

  // Binds config.listen:config.port and listens. Returns the bound port (the OS's choice when
  // config.port is 0). Errors: 58030 with the OS's reason.
  Result<uint16_t> Listen();
  // Starts accepting. REQUIRES: Listen() succeeded.
  void Start();
  // Stops accepting and asks every session to end (see Session::RequestShutdown). The
  // io_context runs out of work once the last session is gone. Thread-safe, idempotent.
  void Shutdown();

  const Config& config() const { return config_; }
  AuthMethod auth_method() const { return auth_method_; }
  engine::Cluster& cluster() { return cluster_; }
  engine::EngineQueue& queue() { return queue_; }
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

  // Called by a session when it has ended.
  void Unregister(const Session& session);

  // Whether a role without the superuser attribute may keep the slot it holds: as PostgreSQL's
  // check after authentication, true while at least superuser_reserved_connections slots are still
  // free besides it (the reserve, less one when it would leave no slot for anyone else).
  bool OrdinarySlotFree();

 private:
  asio::awaitable<void> AcceptLoop();

  asio::io_context& io_;
  Config config_;
  AuthMethod auth_method_;
  engine::Cluster& cluster_;
  engine::EngineQueue& queue_;
  asio::strand<asio::io_context::executor_type> acceptor_strand_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  uint32_t next_session_id_;  // also the "process id" in BackendKeyData; under mu_
  std::mt19937 random_;       // secret keys for BackendKeyData; used on the acceptor strand only

  std::mutex mu_;
  std::unordered_map<uint32_t, std::weak_ptr<Session>> sessions_;  // guarded by mu_
  size_t active_ = 0;      // sessions within the connection limit; guarded by mu_
  const size_t reserved_;  // superuser_reserved_connections, below max_connections
};

}  // namespace sqlrite::server
