#include "server/connection_stream.h"

#include <openssl/ssl.h>

#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <chrono>

#include "common/assert.h"
#include "server/asio_util.h"
#include "server/tls_context.h"

namespace sqlrite::server {
namespace {

// How long a TLS close waits for the peer's close_notify. libpq answers at once; a client that
// vanished must not hold up the end of its session (or a server shutdown) for longer.
constexpr std::chrono::milliseconds kCloseNotifyWait{500};

}  // namespace

PeerKind ClassifyTcpPeer(const asio::ip::address& address) {
  if (address.is_loopback()) return PeerKind::kLoopback;
  if (address.is_v6()) {
    const asio::ip::address_v6 v6 = address.to_v6();
    if (v6.is_v4_mapped() && asio::ip::make_address_v4(asio::ip::v4_mapped, v6).is_loopback()) {
      return PeerKind::kLoopback;
    }
  }
  return PeerKind::kRemote;
}

ConnectionStream::ConnectionStream(Tcp socket) : socket_(std::move(socket)) {
  asio::error_code ec;
  const asio::ip::tcp::endpoint endpoint = std::get<Tcp>(socket_).remote_endpoint(ec);
  if (ec) {
    peer_name_ = peer_host_ = "?";
    return;
  }
  peer_kind_ = ClassifyTcpPeer(endpoint.address());
  peer_host_ = endpoint.address().to_string();
  peer_name_ = (endpoint.address().is_v6() ? "[" + peer_host_ + "]" : peer_host_) + ":" +
               std::to_string(endpoint.port());
}

ConnectionStream::ConnectionStream(Unix socket)
    : socket_(std::move(socket)),
      peer_kind_(PeerKind::kUnixSocket),
      peer_name_("[local]"),
      peer_host_("[local]") {}

ConnectionStream::ConnectionStream(ConnectionStream&&) noexcept = default;
ConnectionStream& ConnectionStream::operator=(ConnectionStream&&) noexcept = default;
ConnectionStream::~ConnectionStream() = default;

asio::any_io_executor ConnectionStream::get_executor() {
  return std::visit([](auto& s) -> asio::any_io_executor { return Lowest(s).get_executor(); },
                    socket_);
}

std::string ConnectionStream::tls_version() const {
  const auto* tls = std::get_if<std::unique_ptr<Tls>>(&socket_);
  if (tls == nullptr) return {};
  return SSL_get_version(const_cast<Tls&>(**tls).native_handle());
}

std::string ConnectionStream::tls_cipher() const {
  const auto* tls = std::get_if<std::unique_ptr<Tls>>(&socket_);
  if (tls == nullptr) return {};
  const char* name = SSL_get_cipher_name(const_cast<Tls&>(**tls).native_handle());
  return name != nullptr ? name : "";
}

asio::awaitable<ConnectionStream::IoResult> ConnectionStream::ReadSome(
    asio::mutable_buffer buffer) {
  // Not a coroutine itself: the awaitable of the socket's own operation is handed back.
  return std::visit(
      [&](auto& s) -> asio::awaitable<IoResult> {
        if constexpr (std::is_same_v<std::decay_t<decltype(s)>, std::unique_ptr<Tls>>) {
          return s->async_read_some(buffer, kAsTuple);
        } else {
          return s.async_read_some(buffer, kAsTuple);
        }
      },
      socket_);
}

asio::awaitable<ConnectionStream::IoResult> ConnectionStream::Write(
    const std::vector<asio::const_buffer>& buffers) {
  return std::visit(
      [&](auto& s) -> asio::awaitable<IoResult> {
        if constexpr (std::is_same_v<std::decay_t<decltype(s)>, std::unique_ptr<Tls>>) {
          return asio::async_write(*s, buffers, kAsTuple);
        } else {
          return asio::async_write(s, buffers, kAsTuple);
        }
      },
      socket_);
}

asio::awaitable<asio::error_code> ConnectionStream::StartTls(TlsContext& context) {
  SQLRITE_ASSERT(can_start_tls());
  auto tls = std::make_unique<Tls>(std::move(std::get<Tcp>(socket_)), context.context());
  socket_ = std::move(tls);
  Tls& stream = *std::get<std::unique_ptr<Tls>>(socket_);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kAsTuple);
  if (!ec) server_end_point_ = context.server_end_point();
  co_return ec;
}

asio::awaitable<void> ConnectionStream::Shutdown() {
  asio::error_code ignored;
  if (auto* tls = std::get_if<std::unique_ptr<Tls>>(&socket_);
      tls != nullptr && (*tls)->next_layer().is_open()) {
    // The timer's handler may run after this coroutine has moved on: `done` tells it not to
    // touch the socket then.
    auto done = std::make_shared<bool>(false);
    Tcp& tcp = (*tls)->next_layer();
    asio::steady_timer timer(tcp.get_executor(), kCloseNotifyWait);
    timer.async_wait([done, &tcp](const asio::error_code& ec) {
      if (ec || *done) return;
      asio::error_code e;
      tcp.cancel(e);
    });
    co_await (*tls)->async_shutdown(kAsTuple);
    *done = true;
    timer.cancel();
  }
  std::visit(
      [&](auto& s) {
        auto& socket = Lowest(s);
        socket.shutdown(asio::socket_base::shutdown_both, ignored);
        socket.close(ignored);
      },
      socket_);
}

void ConnectionStream::cancel(asio::error_code& ec) {
  std::visit([&](auto& s) { Lowest(s).cancel(ec); }, socket_);
}

void ConnectionStream::close(asio::error_code& ec) {
  std::visit([&](auto& s) { Lowest(s).close(ec); }, socket_);
}

bool ConnectionStream::is_open() const {
  return std::visit(
      [](const auto& s) { return Lowest(const_cast<std::decay_t<decltype(s)>&>(s)).is_open(); },
      socket_);
}

int ConnectionStream::native_handle() {
  return std::visit([](auto& s) { return static_cast<int>(Lowest(s).native_handle()); }, socket_);
}

}  // namespace sqlrite::server
