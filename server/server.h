#pragma once
// Server: the listening sockets (TCP, and the Unix-domain socket of server/unix_socket.h) and the
// set of live sessions. Sessions and the acceptor run as coroutines on the io threads of an
// IoPool (server/io_pool.h): the acceptors on its primary context, each session on the context
// Next() deals it, on that context's executor: one thread runs each context, so a session's
// handlers never run concurrently, and Cancel and shutdown reach it from other threads by
// posting to that executor. The
// engine is reached only through the EngineQueue (server/engine_bridge.h).
//
// Connection budget: --max-connections counts sessions that logged in (hold a slot). A
// connection still logging in holds no slot but one of StartupBudget() places; when they are all
// taken, a new connection evicts the oldest connection that has not yet sent its startup
// packet, so a flood of half-open connections can neither exhaust the slots nor keep a real
// client (which sends its packet at once) from logging in. Each session's entry also carries its
// cancel key and interrupt flag, so that a CancelRequest, arriving on any thread, reaches it.

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/strand.hpp>
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/engine_queue.h"
#include "server/auth_policy.h"
#include "server/config.h"
#include "server/connection_stream.h"
#include "server/io_pool.h"
#include "server/tls_context.h"
#include "server/unix_socket.h"

namespace sqlrite::server {

class Session;

class Server {
 public:
  // REQUIRES: io, cluster, queue and tls (when given) outlive the Server; all Cluster calls go
  // through queue. Without tls every SSLRequest is answered 'N'.
  Server(IoPool& io, const Config& config, engine::Cluster& cluster, engine::EngineQueue& queue,
         TlsContext* tls = nullptr);
  ~Server();

  // Binds config.listen:config.port and listens, then (unless config.unix_socket_dir is empty)
  // the Unix-domain socket for the bound port. Returns the bound port (the OS's choice when
  // config.port is 0). Errors: 58030 with the OS's reason; F0001 when another live server holds
  // the socket's lock file. The socket and lock files are removed when the Server is destroyed.
  Result<uint16_t> Listen();
  // Starts accepting. REQUIRES: Listen() succeeded.
  void Start();
  // Stops accepting, asks every session to end (see Session::RequestShutdown) and releases the
  // IoPool, whose threads run out of work once the last session is gone. Thread-safe,
  // idempotent.
  void Shutdown();

  const Config& config() const { return config_; }
  AuthMethod auth_method() const { return auth_method_; }
  engine::Cluster& cluster() { return cluster_; }
  engine::EngineQueue& queue() { return queue_; }
  TlsContext* tls() { return tls_; }
  // The Unix-domain socket's path; empty when there is none.
  std::string unix_socket_path() const { return unix_lock_ ? unix_lock_->socket_path() : ""; }
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

  // Called by a session when it has ended.
  void Unregister(const Session& session);

  // Places for connections still logging in: 2 x superuser_reserved_connections + 10.
  static size_t StartupBudgetFor(const Config& config) {
    return 2 * config.superuser_reserved_connections + 10;
  }
  size_t StartupBudget() const { return startup_budget_; }

  // A connection slot for a session that has logged in. kTooMany: --max-connections sessions
  // hold one; kReserved: a role without the superuser attribute would take one of the last
  // superuser_reserved_connections (the reserve, less one when it would leave no slot for
  // anyone else), as PostgreSQL's check after authentication.
  enum class Slot { kGranted, kTooMany, kReserved };
  Slot ClaimSlot(const Session& session, bool superuser);
  // Whether every slot is taken (a connection is refused before it logs in, as PostgreSQL).
  bool Full();

  // The session's statements' interrupt flag, for Cancel. Thread-safe.
  void SetInterruptFlag(const Session& session, std::shared_ptr<engine::InterruptFlag> flag);
  // A CancelRequest: when a session has that process id and secret key, raises its interrupt
  // flag (its running statement stops at its next poll with 57014) and returns true. A wrong key
  // does nothing. Thread-safe.
  bool Cancel(uint32_t process_id, uint32_t secret_key);

 private:
  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> AcceptUnixLoop();
  // Creates the session for an accepted connection and starts it on `executor` (an io
  // context's, run by one thread).
  void Admit(ConnectionStream stream, const asio::any_io_executor& executor);
  Status ListenUnix(uint16_t port);

  IoPool& io_;
  Config config_;
  AuthMethod auth_method_;
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

  struct Entry {
    std::weak_ptr<Session> session;
    uint32_t secret_key = 0;
    std::shared_ptr<engine::InterruptFlag> interrupt;  // set once logged in
    bool slot = false;                                 // holds a connection slot
    bool in_startup = false;                           // in startup_ (at `startup_at`)
    std::list<uint32_t>::iterator startup_at;
  };
  std::mutex mu_;
  std::unordered_map<uint32_t, Entry> sessions_;  // by process id; guarded by mu_
  std::list<uint32_t> startup_;  // connections logging in, oldest first; guarded by mu_
  size_t active_ = 0;            // sessions holding a slot; guarded by mu_
  const size_t reserved_;        // superuser_reserved_connections, below max_connections
  const size_t startup_budget_;
};

}  // namespace sqlrite::server
