#include "server/server.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <ctime>
#include <utility>
#include <vector>

#include "common/assert.h"
#include "common/sqlstate.h"
#include "server/asio_util.h"
#include "server/session.h"

namespace sqlrite::server {

Server::Server(IoPool& io, const Config& config, engine::Cluster& cluster,
               engine::EngineQueue& queue, TlsContext* tls)
    : io_(io),
      config_(config),
      auth_method_(ParseAuthMethod(config.auth)),
      cluster_(cluster),
      queue_(queue),
      acceptor_strand_(asio::make_strand(io.primary())),
      acceptor_(acceptor_strand_),
      unix_acceptor_(acceptor_strand_),
      tls_(tls),
      next_session_id_(1),
      reserved_(std::min(config.superuser_reserved_connections,
                         config.max_connections > 0 ? config.max_connections - 1 : 0)),
      startup_budget_(StartupBudgetFor(config)) {}

Server::~Server() = default;

Result<uint16_t> Server::Listen() {
  asio::error_code ec;
  // PostgreSQL's listen_addresses spellings for "every interface" and the loopback name.
  std::string host = config_.listen == "*"           ? "0.0.0.0"
                     : config_.listen == "localhost" ? "127.0.0.1"
                                                     : config_.listen;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) {
    return Fail(sqlstate::kInvalidParameterValue,
                "invalid listen address \"" + config_.listen + "\": " + ec.message());
  }
  asio::ip::tcp::endpoint endpoint(address, config_.port);
  if (acceptor_.open(endpoint.protocol(), ec); ec) {
    return Fail(sqlstate::kIoError, "could not create listen socket: " + ec.message());
  }
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor_.bind(endpoint, ec); ec) {
    return Fail(sqlstate::kIoError, "could not bind to " + config_.listen + ":" +
                                        std::to_string(config_.port) + ": " + ec.message());
  }
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return Fail(sqlstate::kIoError, "could not listen: " + ec.message());
  }
  uint16_t port = acceptor_.local_endpoint(ec).port();
  if (ec) return Fail(sqlstate::kIoError, "could not read the bound port: " + ec.message());
  if (!config_.unix_socket_dir.empty()) SQLRITE_TRY(ListenUnix(port));
  return port;
}

Status Server::ListenUnix(uint16_t port) {
  SQLRITE_ASSIGN_OR_RETURN(
      UnixSocketLock lock,
      UnixSocketLock::Acquire(config_.unix_socket_dir, port, config_.data_dir, std::time(nullptr)));
  const std::string path = lock.socket_path();
  unix_lock_.emplace(std::move(lock));
  asio::error_code ec;
  asio::local::stream_protocol::endpoint endpoint(path);
  if (unix_acceptor_.open(endpoint.protocol(), ec); ec) {
    return Fail(sqlstate::kIoError, "could not create Unix-domain socket: " + ec.message());
  }
  if (unix_acceptor_.bind(endpoint, ec); ec) {
    return Fail(sqlstate::kIoError,
                "could not bind Unix-domain socket \"" + path + "\": " + ec.message());
  }
  // As PostgreSQL's default unix_socket_permissions (0777): who may connect is authentication's
  // business, not the file mode's.
  ::chmod(path.c_str(), 0777);
  if (unix_acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return Fail(sqlstate::kIoError,
                "could not listen on Unix-domain socket \"" + path + "\": " + ec.message());
  }
  return Ok();
}

void Server::Start() {
  auto report = [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("accept loop failed: {}", ex.what());
    }
  };
  asio::co_spawn(acceptor_strand_, AcceptLoop(), report);
  if (unix_acceptor_.is_open()) asio::co_spawn(acceptor_strand_, AcceptUnixLoop(), report);
}

asio::awaitable<void> Server::AcceptLoop() {
  while (!stopping()) {
    // The context's own executor, not a strand on it: one thread runs each context (IoPool), so
    // its handlers never run concurrently anyway, and a strand would add a lock and a post to
    // every completion (2.1 posts per pgbench transaction).
    asio::any_io_executor executor = io_.Next().get_executor();
    auto [ec, socket] = co_await acceptor_.async_accept(executor, kAsTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
      spdlog::warn("accept failed: {}", ec.message());
      // Out of file descriptors and the like: back off instead of spinning.
      asio::steady_timer timer(acceptor_strand_, std::chrono::milliseconds(50));
      co_await timer.async_wait(kAsTuple);
      continue;
    }
    asio::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    // As PostgreSQL: a dead client host is noticed (tcp_keepalives_* left to the OS defaults).
    socket.set_option(asio::socket_base::keep_alive(true), ignored);
    Admit(ConnectionStream(std::move(socket)), executor);
  }
}

asio::awaitable<void> Server::AcceptUnixLoop() {
  while (!stopping()) {
    asio::any_io_executor executor = io_.Next().get_executor();  // as in AcceptLoop
    auto [ec, socket] = co_await unix_acceptor_.async_accept(executor, kAsTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !unix_acceptor_.is_open()) break;
      spdlog::warn("accept failed on the Unix-domain socket: {}", ec.message());
      asio::steady_timer timer(acceptor_strand_, std::chrono::milliseconds(50));
      co_await timer.async_wait(kAsTuple);
      continue;
    }
    Admit(ConnectionStream(std::move(socket)), executor);
  }
}

void Server::Admit(ConnectionStream stream, const asio::any_io_executor& executor) {
  // Accepted just as the server began to stop: closed without a session (its context may be
  // about to run out of work).
  if (stopping()) return;
  // The cancel key a client must present to cancel this session's statements: from the
  // CSPRNG, since anyone who can reach the port may send CancelRequests.
  uint32_t secret_key = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&secret_key), sizeof(secret_key)) != 1) {
    spdlog::error("connection refused: the random number generator failed");
    return;
  }

  std::shared_ptr<Session> session;
  std::shared_ptr<Session> evicted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (startup_.size() >= StartupBudget()) {
      for (auto it = startup_.begin(); it != startup_.end(); ++it) {
        Entry& victim = sessions_.at(*it);
        std::shared_ptr<Session> s = victim.session.lock();
        if (s && s->startup_packet_received()) continue;
        startup_.erase(it);
        victim.in_startup = false;
        evicted = std::move(s);
        break;
      }
    }
    if (startup_.size() >= StartupBudget()) {
      // Every place is taken by a connection that is logging in right now.
      spdlog::warn("connection refused: {} connections are logging in", startup_.size());
      return;
    }
    // Unique among live sessions, never 0, so a CancelRequest names at most one.
    uint32_t id = next_session_id_++;
    while (id == 0 || sessions_.contains(id)) id = next_session_id_++;
    session = std::make_shared<Session>(*this, std::move(stream), id, secret_key);
    Entry entry;
    entry.session = session;
    entry.secret_key = secret_key;
    entry.in_startup = true;
    entry.startup_at = startup_.insert(startup_.end(), id);
    sessions_.emplace(id, std::move(entry));
  }
  if (evicted) {
    spdlog::warn("connection from {} closed: no startup packet while {} others wait to log in",
                 evicted->peer(), StartupBudget());
    evicted->Evict();
  }
  asio::co_spawn(
      executor, [session]() -> asio::awaitable<void> { co_await session->Run(); }, asio::detached);
}

void Server::Shutdown() {
  if (stopping_.exchange(true)) return;
  // A statement running on the engine stops at its next interrupt poll (FATAL 57P01), so the
  // engine is free for the sessions' disconnects and the cluster's close: fast shutdown.
  cluster_.Interrupt(engine::InterruptReason::kShutdown);
  asio::post(acceptor_strand_, [this] {
    asio::error_code ignored;
    acceptor_.close(ignored);
    unix_acceptor_.close(ignored);
    // Only now may the io threads run out of work: a connection accepted just before the close
    // was admitted (on the strand, before this) onto a context that is still running, and is
    // told to go by its session (Admit refuses it once stopping).
    io_.Release();
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, entry] : sessions_) {
      if (auto s = entry.session.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->RequestShutdown();
}

bool Server::Full() {
  std::lock_guard<std::mutex> lock(mu_);
  return active_ >= config_.max_connections;
}

Server::Slot Server::ClaimSlot(const Session& session, bool superuser) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(session.id());
  SQLRITE_ASSERT(it != sessions_.end() && !it->second.slot);
  Entry& entry = it->second;
  if (entry.in_startup) {
    startup_.erase(entry.startup_at);
    entry.in_startup = false;
  }
  if (active_ >= config_.max_connections) return Slot::kTooMany;
  // The slot counts itself, as PostgreSQL's check after authentication does.
  if (!superuser && config_.max_connections - (active_ + 1) < reserved_) return Slot::kReserved;
  ++active_;
  entry.slot = true;
  return Slot::kGranted;
}

void Server::SetInterruptFlag(const Session& session, std::shared_ptr<engine::InterruptFlag> flag) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(session.id());
  if (it != sessions_.end()) it->second.interrupt = std::move(flag);
}

bool Server::Cancel(uint32_t process_id, uint32_t secret_key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(process_id);
  if (it == sessions_.end() || !it->second.interrupt || it->second.secret_key != secret_key) {
    return false;
  }
  it->second.interrupt->Raise(engine::InterruptReason::kCancel);
  if (std::shared_ptr<Session> s = it->second.session.lock()) s->WakeForInterrupt();
  return true;
}

void Server::Unregister(const Session& session) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(session.id());
  if (it == sessions_.end()) return;
  if (it->second.slot) --active_;
  if (it->second.in_startup) startup_.erase(it->second.startup_at);
  sessions_.erase(it);
}

}  // namespace sqlrite::server
