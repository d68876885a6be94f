#pragma once
// Session: one client connection, driven by one coroutine on its own strand.
//
// States and transitions (all on the session's strand):
//   kStartup  --SSLRequest/GSSENCRequest--> kStartup (answered 'N')
//   kStartup  --CancelRequest--> Cluster::Cancel (ends the keyed session's wait), closed
//   kStartup  --bad packet / Connect error / too many clients--> closed
//   kStartup  --StartupMessage--> authentication (Authenticate: nothing, or a SCRAM exchange;
//             failure: FATAL 28P01, closed) --Cluster::Connect ok--> kReady (AuthenticationOk ...
//             ReadyForQuery); --Connect error--> AuthenticationOk, FATAL, closed
//   kReady    --Query--> kParsing, unless the parse cache has the string's shape: the string is
//             parsed on a parse worker thread (sql::ParseOnWorker), never on an io thread, while
//             the session waits on parse_timer_; --parsed--> kBusy; --syntax error, or
//             statement_timeout (counted from here, as in PostgreSQL; 57014)--> kReady (error,
//             ReadyForQuery); --client gone, or shutdown (57P01)--> closed. A parse the session
//             stopped waiting for is abandoned: the worker drops its result.
//   kParsing/kReady --> kBusy: the statements go to the engine one at a time (Cluster::Submit;
//             a write may be parked until another session's transaction ends, the engine
//             thread serving others meanwhile); the results come back in one piece after the
//             batch's group-commit epilogue --> kReady (results, then ReadyForQuery with the
//             engine's I/T/E). Input is not read while kBusy, so a client that goes away is
//             noticed (and disconnected) only when the statement has completed.
//   kReady    --P/B/D/E/C--> kSkipToSync (0A000 once); --Sync--> kReady (ReadyForQuery)
//   kReady    --Terminate / EOF / reset / malformed message (FATAL 08P01)--> closed
//   kBusy     --write error while sending results--> closed
//   any       --server shutdown while waiting for input--> FATAL 57P01, closed
//   kStartup  --no startup packet within 60 s--> closed
// Invariants: engine_state_ is set exactly while the engine has a session for us, and is touched
// only inside engine tasks; Cluster::Disconnect (which rolls back an open transaction) runs on
// every way out, after any statement of ours the engine still holds has completed.

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/sql/parse_cache.h"
#include "protocol/messages.h"
#include "server/auth_policy.h"

namespace sqlrite::server {

class Server;
struct ParseCall;  // server/session.cc

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `over_limit`: the connection is beyond --max-connections; it is refused with 53300 after
  // its startup packet, as PostgreSQL does.
  Session(Server& server, asio::ip::tcp::socket socket, uint32_t id, uint32_t secret_key,
          bool over_limit);

  // The session's whole life. Never throws.
  asio::awaitable<void> Run();

  // Asks the session to end: an idle session is closed with FATAL 57P01 at once, a busy one after
  // its current statement. Thread-safe.
  void RequestShutdown();

  uint32_t id() const { return id_; }
  bool over_limit() const { return over_limit_; }

 private:
  enum class Next { kContinue, kClose };

  asio::awaitable<void> Serve();
  asio::awaitable<Next> Startup();
  asio::awaitable<Next> StartupPackets();
  asio::awaitable<Next> HandleStartupMessage(const protocol::StartupMessage& msg);
  // The password exchange, when server/auth_policy.h asks for one (SCRAM-SHA-256,
  // protocol/scram.h): kRefused once the client was told why (FATAL 28P01, or the malformed
  // message's error) or went away.
  enum class AuthOutcome { kAuthenticated, kRefused };
  asio::awaitable<AuthOutcome> Authenticate(const std::string& user);
  asio::awaitable<Next> HandleMessage(const protocol::FrontendMessage& msg);
  // Runs a query string; kClose when the client went away while its results were being sent
  // or its parse ran, or the server is shutting down.
  asio::awaitable<Next> HandleQuery(std::string_view sql);
  // Parses sql through the parse cache, the libpg_query part on a parse worker. Errors: the
  // parse's; 57014 when statement_timeout (from `start`) passes first; 53200 without a thread.
  // When it returns because the client went away or the server is stopping, client_gone_ or
  // stopping_ is set and the result is an error nobody should see.
  asio::awaitable<Result<std::vector<engine::sql::ParsedStatement>*>> ParseQuery(
      std::string_view sql, std::chrono::steady_clock::time_point start);
  // Waits on parse_timer_ until call's worker is done, deadline passes, the server stops or the
  // client leaves (call.strand is set meanwhile, so the worker can wake the session).
  asio::awaitable<void> AwaitParse(ParseCall& call, std::chrono::steady_clock::time_point deadline);
  // While a parse runs: ends the wait when the client has left: a reset connection, or a
  // Terminate message as the next input (a bare EOF may be a half-close; the answer is sent).
  void WatchForDisconnect(uint64_t generation);
  // Reads more input into in_. False on EOF, error, or shutdown (after telling the client).
  asio::awaitable<bool> ReadMore();
  // Writes out_ in one call and clears it. False on a write error.
  asio::awaitable<bool> Flush();
  // Flush() with each of `pieces` written at its offset into out_ (in order of offset), as if it
  // were there: long values go out from where they are rather than being copied into out_.
  asio::awaitable<bool> FlushWith(const std::vector<std::pair<size_t, std::string_view>>& pieces);
  asio::awaitable<void> SendFatal(const Error& error);
  // Appends error for a failure found before the engine (syntax, encoding, an unsupported
  // message); inside a transaction block it fails the block first, as any error does.
  asio::awaitable<void> FailErrorOutsideEngine(const Error& error);
  asio::awaitable<void> Disconnect();

  std::string_view Unread() const {
    return std::string_view(in_.data() + in_begin_, in_end_ - in_begin_);
  }

  Server& server_;
  asio::ip::tcp::socket socket_;
  const uint32_t id_;
  const uint32_t secret_key_;
  const bool over_limit_;
  std::string peer_;
  PeerKind peer_kind_ = PeerKind::kRemote;

  std::vector<char> in_;
  size_t in_begin_ = 0;
  size_t in_end_ = 0;
  size_t message_end_ = 0;  // in_ offset just past the message being handled
  std::string out_;

  // Bounds the startup phase (PostgreSQL's authentication_timeout) so a silent client cannot
  // hold a connection slot forever.
  asio::steady_timer startup_timer_;
  bool startup_timed_out_ = false;

  std::unique_ptr<engine::SessionState> engine_state_;
  engine::sql::ParseCache parse_cache_;  // used on the session's strand only
  // A parse in progress is waited for on this timer (deadline: statement_timeout); the worker,
  // shutdown and WatchForDisconnect end the wait by cancelling it.
  asio::steady_timer parse_timer_;
  bool parsing_ = false;
  // The parse of an earlier query that this session stopped waiting for (statement_timeout)
  // while the worker still runs it; the next parse waits for it first.
  std::shared_ptr<ParseCall> abandoned_parse_;
  bool client_gone_ = false;
  uint64_t parse_generation_ = 0;
  // The engine session's statement_timeout, as of its last engine round trip (settings change
  // only there).
  int64_t statement_timeout_ms_ = 0;
  char tx_status_ = 'I';
  bool skip_to_sync_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool stopping_ = false;
  std::string user_;
  std::string database_;
};

}  // namespace sqlrite::server
