#pragma once
// Server: the listening sockets (TCP, and the Unix-domain socket of server/unix_socket.h) and the
// set of live sessions. Sessions and the acceptor run as
// coroutines on an io_context served by a small thread pool; each gets its own strand. The
// engine is reached only through the EngineQueue (server/engine_bridge.h).

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/strand.hpp>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <unordered_map>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/engine_queue.h"
#include "server/config.h"
#include "server/connection_stream.h"
#include "server/tls_context.h"
#include "server/unix_socket.h"

namespace sqlrite::server {

class Session;

class Server {
 public:
  // REQUIRES: cluster, queue and tls (when given) outlive the Server; all Cluster calls go
  // through queue. Without tls every SSLRequest is answered 'N'.
  Server(asio::io_context& io, const Config& config, engine::Cluster& cluster,
         engine::EngineQueue& queue, TlsContext* tls = nullptr);
  ~Server();

  // Binds config.listen:config.port and listens, then (unless config.unix_socket_dir is empty)
  // the Unix-domain socket for the bound port. Returns the bound port (the OS's choice when
  // config.port is 0). Errors: 58030 with the OS's reason; F0001 when another live server holds
  // the socket's lock file. The socket and lock files are removed when the Server is destroyed.
  Result<uint16_t> Listen();
  // Starts accepting. REQUIRES: Listen() succeeded.
  void Start();
  // Stops accepting and asks every session to end (see Session::RequestShutdown). The
  // io_context runs out of work once the last session is gone. Thread-safe, idempotent.
  void Shutdown();

  const Config& config() const { return config_; }
  engine::Cluster& cluster() { return cluster_; }
  engine::EngineQueue& queue() { return queue_; }
  TlsContext* tls() { return tls_; }
  // The Unix-domain socket's path; empty when there is none.
  std::string unix_socket_path() const { return unix_lock_ ? unix_lock_->socket_path() : ""; }
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

  // Called by a session when it has ended.
  void Unregister(const Session& session);

  // Whether a role without the superuser attribute may keep the slot it holds: as PostgreSQL's
  // check after authentication, true while at least superuser_reserved_connections slots are still
  // free besides it (the reserve, less one when it would leave no slot for anyone else).
  bool OrdinarySlotFree();

 private:
  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> AcceptUnixLoop();
  // Creates the session for an accepted connection and starts it on `strand`.
  void Admit(ConnectionStream stream, const asio::any_io_executor& strand);
  Status ListenUnix(uint16_t port);

  asio::io_context& io_;
  Config config_;
  engine::Cluster& cluster_;
  engine::EngineQueue& queue_;
  asio::strand<asio::io_context::executor_type> acceptor_strand_;
  asio::ip::tcp::acceptor acceptor_;
  // Declared before its acceptor, so destroyed after it: the files go once the socket is closed.
  std::optional<UnixSocketLock> unix_lock_;
  asio::local::stream_protocol::acceptor unix_acceptor_;
  TlsContext* tls_;
  std::atomic<bool> stopping_{false};
  uint32_t next_session_id_;  // also the "process id" in BackendKeyData; under mu_
  std::mt19937 random_;       // secret keys for BackendKeyData; used on the acceptor strand only

  std::mutex mu_;
  std::unordered_map<uint32_t, std::weak_ptr<Session>> sessions_;  // guarded by mu_
  size_t active_ = 0;      // sessions within the connection limit; guarded by mu_
  const size_t reserved_;  // superuser_reserved_connections, below max_connections
};

}  // namespace sqlrite::server
