#include "server/connection_stream.h"

#include <gtest/gtest.h>

#include <array>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/local/connect_pair.hpp>
#include <asio/read.hpp>
#include <asio/ssl/context.hpp>
#include <asio/ssl/host_name_verification.hpp>
#include <asio/write.hpp>
#include <string>
#include <vector>

#include "server/asio_util.h"
#include "server/test_certificates.h"
#include "server/tls_context.h"

namespace sqlrite::server {
namespace {

using asio::ip::tcp;

TEST(PeerKindTest, LoopbackAddressesAreLoopback) {
  for (const char* a : {"127.0.0.1", "127.5.6.7", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_EQ(ClassifyTcpPeer(asio::ip::make_address(a)), PeerKind::kLoopback) << a;
  }
  for (const char* a : {"10.0.0.1", "192.168.1.1", "::ffff:10.0.0.1", "2001:db8::1", "0.0.0.0"}) {
    EXPECT_EQ(ClassifyTcpPeer(asio::ip::make_address(a)), PeerKind::kRemote) << a;
  }
}

// A connected pair of TCP sockets over loopback.
std::pair<tcp::socket, tcp::socket> TcpPair(asio::io_context& io) {
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(io);
  client.connect(acceptor.local_endpoint());
  tcp::socket server = acceptor.accept();
  return {std::move(server), std::move(client)};
}

TEST(ConnectionStreamTest, PlainTcpReadsAndWrites) {
  asio::io_context io;
  auto [server_socket, client] = TcpPair(io);
  ConnectionStream stream(std::move(server_socket));
  EXPECT_EQ(stream.peer_kind(), PeerKind::kLoopback);
  EXPECT_EQ(stream.peer_host(), "127.0.0.1");
  EXPECT_EQ(stream.peer_name().rfind("127.0.0.1:", 0), 0u);
  EXPECT_FALSE(stream.tls());
  EXPECT_TRUE(stream.can_start_tls());
  EXPECT_TRUE(stream.tls_server_end_point().empty());
  asio::write(client, asio::buffer(std::string("ping")));
  std::string got;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::array<char, 16> buf;
        auto [ec, n] = co_await stream.ReadSome(asio::buffer(buf));
        EXPECT_FALSE(ec);
        got.assign(buf.data(), n);
        std::string answer = "pong";
        std::vector<asio::const_buffer> out(1, asio::buffer(answer));
        auto [wec, wn] = co_await stream.Write(out);
        EXPECT_FALSE(wec);
        EXPECT_EQ(wn, 4u);
        co_await stream.Shutdown();
      },
      asio::detached);
  io.run();
  EXPECT_EQ(got, "ping");
  char reply[4];
  asio::read(client, asio::buffer(reply));
  EXPECT_EQ(std::string(reply, 4), "pong");
  EXPECT_FALSE(stream.is_open());
}

TEST(ConnectionStreamTest, UnixSocketIsLocalAndCannotStartTls) {
  asio::io_context io;
  asio::local::stream_protocol::socket a(io);
  asio::local::stream_protocol::socket b(io);
  asio::local::connect_pair(a, b);
  ConnectionStream stream(std::move(a));
  EXPECT_EQ(stream.peer_kind(), PeerKind::kUnixSocket);
  EXPECT_EQ(stream.peer_host(), "[local]");
  EXPECT_FALSE(stream.can_start_tls());
  asio::write(b, asio::buffer(std::string("x")));
  size_t read = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::array<char, 4> buf;
        auto [ec, n] = co_await stream.ReadSome(asio::buffer(buf));
        EXPECT_FALSE(ec);
        read = n;
      },
      asio::detached);
  io.run();
  EXPECT_EQ(read, 1u);
}

struct TlsFixture {
  testing::ServerFiles files;
  std::unique_ptr<TlsContext> tls;
  TlsFixture() {
    auto loaded = TlsContext::Load({files.cert_path, files.key_path, ""});
    EXPECT_TRUE(loaded.has_value());
    tls = std::move(*loaded);
  }
};

// Runs the server side (StartTls, read "hello", answer "world", Shutdown) against a client
// context; returns what the client saw.
struct TlsRun {
  asio::error_code server_handshake;
  asio::error_code client_handshake;
  std::string server_got;
  std::string client_got;
  asio::error_code client_end;  // the client's read after the server's Shutdown
  std::string end_point;
  std::string version;
};

TlsRun RunTls(TlsContext& tls, asio::ssl::context& client_ctx) {
  asio::io_context io;
  auto [server_socket, client_socket] = TcpPair(io);
  ConnectionStream stream(std::move(server_socket));
  asio::ssl::stream<tcp::socket> client(std::move(client_socket), client_ctx);
  SSL_set_tlsext_host_name(client.native_handle(), "localhost");
  TlsRun run;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        run.server_handshake = co_await stream.StartTls(tls);
        if (run.server_handshake) {
          co_await stream.Shutdown();
          co_return;
        }
        EXPECT_TRUE(stream.tls());
        EXPECT_FALSE(stream.can_start_tls());
        run.end_point = std::string(stream.tls_server_end_point());
        run.version = stream.tls_version();
        std::array<char, 16> buf;
        auto [ec, n] = co_await stream.ReadSome(asio::buffer(buf));
        run.server_got.assign(buf.data(), ec ? 0 : n);
        std::string answer = "world";
        std::vector<asio::const_buffer> out(1, asio::buffer(answer));
        co_await stream.Write(out);
        co_await stream.Shutdown();
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto [hec] = co_await client.async_handshake(asio::ssl::stream_base::client, kAsTuple);
        run.client_handshake = hec;
        if (hec) co_return;
        std::string hello = "hello";
        co_await asio::async_write(client, asio::buffer(hello), kAsTuple);
        std::array<char, 5> buf;
        auto [ec, n] = co_await asio::async_read(client, asio::buffer(buf), kAsTuple);
        run.client_got.assign(buf.data(), ec ? 0 : n);
        std::array<char, 1> more;
        auto [end, m] = co_await client.async_read_some(asio::buffer(more), kAsTuple);
        run.client_end = end;
        (void)m;
        co_await client.async_shutdown(kAsTuple);
      },
      asio::detached);
  io.run();
  return run;
}

TEST(ConnectionStreamTest, TlsHandshakeThenEncryptedReadsAndWrites) {
  TlsFixture fixture;
  asio::ssl::context client_ctx(asio::ssl::context::tls_client);
  client_ctx.load_verify_file(fixture.files.ca_path);
  client_ctx.set_verify_mode(asio::ssl::verify_peer);
  client_ctx.set_verify_callback(asio::ssl::host_name_verification("localhost"));
  TlsRun run = RunTls(*fixture.tls, client_ctx);
  ASSERT_FALSE(run.server_handshake) << run.server_handshake.message();
  ASSERT_FALSE(run.client_handshake) << run.client_handshake.message();
  EXPECT_EQ(run.server_got, "hello");
  EXPECT_EQ(run.client_got, "world");
  // A close_notify came before the end of the stream (not a truncation).
  EXPECT_EQ(run.client_end, asio::error::eof) << run.client_end.message();
  EXPECT_EQ(run.end_point, fixture.tls->server_end_point());
  EXPECT_EQ(run.end_point.size(), 32u);
  EXPECT_EQ(run.version.rfind("TLSv1.", 0), 0u);
}

TEST(ConnectionStreamTest, ClientWithoutTls12IsRefused) {
  TlsFixture fixture;
  asio::ssl::context client_ctx(asio::ssl::context::tls_client);
  SSL_CTX_set_security_level(client_ctx.native_handle(), 0);
  SSL_CTX_set_min_proto_version(client_ctx.native_handle(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(client_ctx.native_handle(), TLS1_1_VERSION);
  TlsRun run = RunTls(*fixture.tls, client_ctx);
  EXPECT_TRUE(run.server_handshake);
  EXPECT_TRUE(run.client_handshake);
  EXPECT_TRUE(run.server_got.empty());
}

TEST(ConnectionStreamTest, ClientThatDistrustsTheCertificateFailsOnlyItsHandshake) {
  TlsFixture fixture;
  testing::ServerFiles other;  // another CA
  asio::ssl::context client_ctx(asio::ssl::context::tls_client);
  client_ctx.load_verify_file(other.ca_path);
  client_ctx.set_verify_mode(asio::ssl::verify_peer);
  TlsRun run = RunTls(*fixture.tls, client_ctx);
  EXPECT_TRUE(run.client_handshake);
  EXPECT_TRUE(run.server_handshake);
  // The same context serves the next connection.
  asio::ssl::context good_ctx(asio::ssl::context::tls_client);
  good_ctx.load_verify_file(fixture.files.ca_path);
  good_ctx.set_verify_mode(asio::ssl::verify_peer);
  TlsRun next = RunTls(*fixture.tls, good_ctx);
  EXPECT_FALSE(next.server_handshake);
  EXPECT_EQ(next.client_got, "world");
}

}  // namespace
}  // namespace sqlrite::server
