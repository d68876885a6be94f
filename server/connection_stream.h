#pragma once
// ConnectionStream: the one byte stream a session reads and writes, whatever carries it: plain
// TCP, TLS over TCP (after the session answered an SSLRequest with 'S'), or a Unix-domain socket.
// The session's coroutines call ReadSome / Write and never see which; the handful of places that
// must know (the SSLRequest answer, pg_hba-style checks, SCRAM channel binding) ask peer_kind(),
// tls() and tls_server_end_point().
//
// Not thread-safe: used on the session's executor only, like the socket it wraps.

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/ssl/stream.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace sqlrite::server {

class TlsContext;

// Where a connection comes from, for the authentication policy (a role without a password is let
// in only from this machine, as pg_hba's usual `local` and `host ... 127.0.0.1/32` lines).
enum class PeerKind {
  kLoopback,    // TCP from 127.0.0.0/8 or ::1 (also as ::ffff:127.x.y.z)
  kUnixSocket,  // the Unix-domain socket
  kRemote,      // TCP from any other address
};

PeerKind ClassifyTcpPeer(const asio::ip::address& address);

class ConnectionStream {
 public:
  using Tcp = asio::ip::tcp::socket;
  using Tls = asio::ssl::stream<asio::ip::tcp::socket>;
  using Unix = asio::local::stream_protocol::socket;
  using IoResult = std::tuple<asio::error_code, size_t>;

  explicit ConnectionStream(Tcp socket);
  explicit ConnectionStream(Unix socket);
  ConnectionStream(ConnectionStream&&) noexcept;
  ConnectionStream& operator=(ConnectionStream&&) noexcept;
  ~ConnectionStream();

  asio::any_io_executor get_executor();

  PeerKind peer_kind() const { return peer_kind_; }
  // "127.0.0.1:51234", "[::1]:51234" or "[local]": for logs.
  const std::string& peer_name() const { return peer_name_; }
  // The peer's numeric address, or "[local]" for the Unix socket: the host PostgreSQL names in
  // its pg_hba messages.
  const std::string& peer_host() const { return peer_host_; }

  // True once StartTls has succeeded: everything read and written is encrypted.
  bool tls() const { return std::holds_alternative<std::unique_ptr<Tls>>(socket_); }
  // TLS can be started here: TCP, not yet encrypted. (PostgreSQL refuses it on Unix sockets.)
  bool can_start_tls() const { return std::holds_alternative<Tcp>(socket_); }
  // The tls-server-end-point channel-binding data (RFC 5929) of the certificate this connection
  // was served with; empty when not on TLS or the certificate cannot bind (TlsContext).
  std::string_view tls_server_end_point() const { return server_end_point_; }
  // The negotiated protocol version ("TLSv1.3") and cipher; empty when not on TLS.
  std::string tls_version() const;
  std::string tls_cipher() const;

  // As async_read_some: some bytes into `buffer`, or an error (eof at the end of the stream).
  asio::awaitable<IoResult> ReadSome(asio::mutable_buffer buffer);
  // As async_write: every byte of `buffers`, or an error.
  asio::awaitable<IoResult> Write(const std::vector<asio::const_buffer>& buffers);

  // The server side of the TLS handshake over this TCP connection; afterwards every read and
  // write is encrypted. REQUIRES: can_start_tls(); `context` outlives the stream. On an error the
  // connection cannot be used any more (close it).
  asio::awaitable<asio::error_code> StartTls(TlsContext& context);

  // Ends the connection: on TLS, a close_notify first (waiting at most a moment for the peer's),
  // as PostgreSQL's SSL_shutdown; then the socket is shut down and closed. Never throws.
  asio::awaitable<void> Shutdown();

  // The socket-like rest keeps Asio's names, so code written against a socket reads the same.
  // Cancels pending operations (they complete with operation_aborted).
  void cancel(asio::error_code& ec);
  // Closes the socket at once; pending operations complete with an error.
  void close(asio::error_code& ec);
  bool is_open() const;
  // The socket's file descriptor, to peek at what arrived. On TLS the bytes are TLS records.
  int native_handle();
  // As the socket's async_wait: `handler(error_code)` once the socket is ready (on TLS: once
  // records arrived, which may hold no application data).
  template <typename Handler>
  void async_wait(asio::socket_base::wait_type what, Handler&& handler) {
    std::visit([&](auto& s) { Lowest(s).async_wait(what, std::forward<Handler>(handler)); },
               socket_);
  }

 private:
  static Tcp& Lowest(Tcp& s) { return s; }
  static Tcp& Lowest(std::unique_ptr<Tls>& s) { return s->next_layer(); }
  static Unix& Lowest(Unix& s) { return s; }

  std::variant<Tcp, std::unique_ptr<Tls>, Unix> socket_;
  PeerKind peer_kind_ = PeerKind::kRemote;
  std::string peer_name_;
  std::string peer_host_;
  std::string server_end_point_;
};

}  // namespace sqlrite::server
