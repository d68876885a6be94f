#include "server/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <utility>
#include <vector>

#include "common/sqlstate.h"
#include "server/asio_util.h"
#include "server/session.h"

namespace sqlrite::server {

Server::Server(asio::io_context& io, const Config& config, engine::Cluster& cluster,
               engine::EngineQueue& queue)
    : io_(io),
      config_(config),
      auth_method_(ParseAuthMethod(config.auth)),
      cluster_(cluster),
      queue_(queue),
      acceptor_strand_(asio::make_strand(io)),
      acceptor_(acceptor_strand_),
      next_session_id_(1),
      random_(std::random_device{}()),
      reserved_(std::min(config.superuser_reserved_connections,
                         config.max_connections > 0 ? config.max_connections - 1 : 0)) {}

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
  return port;
}

void Server::Start() {
  asio::co_spawn(acceptor_strand_, AcceptLoop(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("accept loop failed: {}", ex.what());
    }
  });
}

asio::awaitable<void> Server::AcceptLoop() {
  while (!stopping()) {
    asio::any_io_executor strand = asio::make_strand(io_);
    auto [ec, socket] = co_await acceptor_.async_accept(strand, kAsTuple);
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

    std::shared_ptr<Session> session;
    {
      std::lock_guard<std::mutex> lock(mu_);
      bool over_limit = active_ >= config_.max_connections;
      uint32_t id = next_session_id_++;
      session = std::make_shared<Session>(*this, std::move(socket), id,
                                          static_cast<uint32_t>(random_()), over_limit);
      if (!over_limit) ++active_;
      sessions_.emplace(id, session);
    }
    asio::co_spawn(
        strand, [session]() -> asio::awaitable<void> { co_await session->Run(); }, asio::detached);
  }
}

void Server::Shutdown() {
  if (stopping_.exchange(true)) return;
  // A statement running on the engine stops at its next interrupt poll (FATAL 57P01), so the
  // engine is free for the sessions' disconnects and the cluster's close: fast shutdown.
  cluster_.Interrupt(engine::InterruptReason::kShutdown);
  asio::post(acceptor_strand_, [this] {
    asio::error_code ignored;
    acceptor_.close(ignored);
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->RequestShutdown();
}

bool Server::OrdinarySlotFree() {
  std::lock_guard<std::mutex> lock(mu_);
  return config_.max_connections - active_ >= reserved_;
}

void Server::Unregister(const Session& session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session.id());
  if (!session.over_limit()) --active_;
}

}  // namespace sqlrite::server
