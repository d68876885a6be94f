#pragma once
// Session: one client connection, driven by one coroutine on its io context (one thread runs it).
//
// States and transitions (all on the session's executor):
//   kStartup  --SSLRequest--> kStartup: 'S' and the TLS handshake when the server has a
//             certificate and the connection is TCP, else 'N'; --GSSENCRequest--> kStartup ('N').
//             As PostgreSQL 15's ProcessStartupPacket: each request is answered once, and
//             either may follow the other's 'N'; a request beyond that (a second SSLRequest, a
//             GSSENCRequest after TLS started) is a startup packet of an unsupported protocol
//             (1234.5679 or 1234.5680, FATAL 0A000);
//             bytes that arrived behind the request, before the answer, are FATAL 08P01; a failed
//             handshake closes the connection.
//   kStartup  --StartupMessage over TCP without TLS under --require-tls--> FATAL 28000, closed
//   kStartup  --CancelRequest--> Server::Cancel (raises the keyed session's interrupt flag: its
//             running statement stops at its next poll) and Cluster::Cancel (ends its wait), closed
//   kStartup  --bad packet / Connect error / too many clients / evicted (Server's startup
//             budget) / authentication_timeout--> closed
//   kStartup  --StartupMessage--> authentication (Authenticate: nothing, or a SCRAM exchange,
//             -PLUS offered over TLS; failure: FATAL 28P01, closed) --Cluster::Connect ok + a
//             slot (Server::ClaimSlot)--> kReady (AuthenticationOk ... ReadyForQuery). The
//             exchange runs under authentication_timeout, like the rest of the startup, and
//             holds no slot: one is claimed only once the password was proven.
//   kReady    --Query--> kParsing, unless the parse cache has the string's shape: the string is
//             parsed on a parse worker thread (sql::ParseOnWorker), never on an io thread, while
//             the session waits on parse_timer_; --parsed--> kBusy; --syntax error, or
//             statement_timeout (counted from here, as in PostgreSQL; 57014)--> kReady (error,
//             ReadyForQuery); --client gone, or shutdown (57P01)--> closed. A parse the session
//             stopped waiting for is abandoned: the worker drops its result.
//   kParsing/kReady --a lone SELECT that Cluster::ReadOnSnapshot takes (the session is not the
//             writer)--> kReading: it runs here against a snapshot (engine/snapshot_read.h),
//             pulled on this executor when bounded, else a batch at a time on a worker thread
//             (server/worker_bridge.h); RowDescription, DataRows as produced (flushed at 64 KiB,
//             waiting for the socket), CommandComplete or the error --> kReady
//   kParsing/kReady --> kBusy: the statements go to the engine one at a time (Cluster::Submit;
//             a write may be parked until another session's transaction ends, the engine
//             thread serving others meanwhile); the results come back in one piece after the
//             batch's group-commit epilogue --> kReady (results, then ReadyForQuery with the
//             engine's I/T/E). Input is not read while kBusy, so a client that goes away is
//             noticed (and disconnected) only when the statement has completed.
//   kBusy     --a COPY began--> kCopyIn (CopyInResponse; CopyData batches to the engine until
//             CopyDone / CopyFail / an error) or kCopyOut (CopyData per row, CopyDone) -->
//             kReady (CommandComplete or ErrorResponse, ReadyForQuery); CopyData/CopyDone/
//             CopyFail arriving in kReady (after a failed COPY IN) are ignored, as in PostgreSQL
//   kReady    --Parse/Bind/Describe/Execute/Close/Flush--> kReady (answered in order; statements
//             and portals in extended_query.h; Parse parses like a Query, off the io thread,
//             and describes on the engine; Execute of a SELECT runs as kReading does, its rows
//             pulled per Execute; any other Execute runs on the engine like a Query's statement)
//             --an error in one of them--> kSkipToSync (every message but Sync ignored)
//   kReady/kSkipToSync --Sync--> kReady (the implicit transaction of the messages since the
//             last Sync commits, or rolls back after an error; portals end when idle;
//             ReadyForQuery)
//   kReady    --FunctionCall--> kReady (ERROR 42883, or 25P02 in a failed block; ReadyForQuery)
//   kReady    --Terminate / EOF / reset / malformed message (FATAL 08P01)--> closed
//   kBusy     --write error while sending results--> closed
//   any       --server shutdown while waiting for input--> FATAL 57P01, closed
//   kReady    --no message within idle_in_transaction_session_timeout inside a block--> FATAL
//             25P03, closed
//   kBusy     --statement_timeout (from the Query's arrival) or CancelRequest--> the interrupt
//             flag is raised; the statement ends with 57014 at its next poll --> kReady
// Invariants: engine_state_ is set exactly while the engine has a session for us, and is touched
// only by one thread at a time: inside engine tasks, or by this session's snapshot reads (on its
// executor or the worker pulling a batch for it) while the engine holds none of its statements;
// every portal (a snapshot read's rows among them) is closed before Cluster::Disconnect, which
// rolls back an open transaction and runs on every way out, after any statement of ours the
// engine still holds has completed.

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/session_registry.h"
#include "engine/sql/parse_cache.h"
#include "protocol/messages.h"
#include "server/auth_policy.h"
#include "server/connection_stream.h"
#include "server/delayed_peer_watch.h"
#include "server/extended_query.h"

namespace sqlrite::server {

class Server;
struct ParseCall;       // server/session.cc
struct OutputSettings;  // server/session.cc

class Session : public std::enable_shared_from_this<Session>, public PeerWatchTarget {
 public:
  Session(Server& server, ConnectionStream socket, uint32_t id, uint32_t secret_key);

  // The session's whole life. Never throws.
  asio::awaitable<void> Run();

  // Asks the session to end: an idle session is closed with FATAL 57P01 at once, a busy one after
  // its current statement. Thread-safe.
  void RequestShutdown();

  // Closes a connection that is still logging in, to make room for a new one (Server's
  // startup budget). Thread-safe.
  void Evict();
  // A CancelRequest raised this session's interrupt flag: a parse being waited for is given up
  // (57014) rather than waited out. Thread-safe.
  void WakeForInterrupt();

  uint32_t id() const { return id_; }
  // Loopback TCP, the Unix socket, or another host: for the authentication policy.
  PeerKind peer_kind() const { return socket_.peer_kind(); }
  // True once the connection is on TLS (the startup packet came encrypted).
  bool tls() const { return socket_.tls(); }
  // RFC 5929 tls-server-end-point data for SCRAM-SHA-256-PLUS; empty without TLS (or with a
  // certificate that cannot bind, see TlsContext).
  std::string_view tls_server_end_point() const { return socket_.tls_server_end_point(); }
  const std::string& peer() const { return peer_; }
  // Whether a whole startup packet (or CancelRequest) has arrived. Thread-safe.
  bool startup_packet_received() const {
    return startup_packet_received_.load(std::memory_order_relaxed);
  }

 private:
  enum class Next { kContinue, kClose };

  asio::awaitable<void> Serve();
  asio::awaitable<Next> Startup();
  asio::awaitable<Next> StartupPackets();
  // Answers an SSLRequest (`ssl`) or GSSENCRequest already consumed from in_: 'S' and the TLS
  // handshake, or 'N'.
  asio::awaitable<Next> NegotiateEncryption(bool ssl);
  asio::awaitable<Next> HandleStartupMessage(const protocol::StartupMessage& msg);
  // The password exchange, when server/auth_policy.h asks for one (SCRAM-SHA-256, and
  // SCRAM-SHA-256-PLUS bound to the certificate when on TLS; protocol/scram.h): kRefused once the
  // client was told why (FATAL 28P01, or the malformed message's error) or went away.
  enum class AuthOutcome { kAuthenticated, kRefused };
  asio::awaitable<AuthOutcome> Authenticate(const std::string& user);
  // Not a coroutine itself: it returns the handler's awaitable, so a message costs one coroutine
  // frame (the handler's), not two. REQUIRES: msg outlives the awaitable's completion.
  asio::awaitable<Next> HandleMessage(const protocol::FrontendMessage& msg);
  asio::awaitable<Next> HandleQueryMessage(const protocol::Query& query);
  static asio::awaitable<Next> Immediately(Next next);
  // Runs a query string; kClose when the client went away while its results were being sent
  // or its parse ran, or the server is shutting down.
  asio::awaitable<Next> HandleQuery(std::string_view sql);
  // Sends a snapshot read's result (RowDescription, DataRows as the pipeline produces them,
  // CommandComplete, or the error that stopped it), pulling batches on this executor when the read
  // is bounded and on a worker thread (server/worker_bridge.h) otherwise; out_ is flushed
  // whenever it fills, so memory stays bounded whatever the result's size. kClose when the
  // client went away or a FATAL ended the statement.
  asio::awaitable<Next> StreamSnapshotRead(engine::Cluster::SnapshotRead& read);
  // The next batch of a snapshot read's (or portal's) rows: here when `bounded`, else on a
  // worker thread.
  static asio::awaitable<Result<size_t>> PullBatch(engine::RowSource& rows, bool bounded,
                                                   size_t max_rows, std::vector<engine::Row>* out);
  // Appends a DataRow per row (text, or binary for every column), flushing as out_ fills;
  // each row's memory goes once it is encoded. False when the client went away.
  // output: the settings (TimeZone, bytea_output) as they were when the rows' statement ran;
  // null: the session's current ones.
  asio::awaitable<bool> SendDataRows(std::vector<engine::Row>& rows,
                                     const std::vector<engine::ColumnInfo>& columns, bool binary,
                                     const OutputSettings* output = nullptr);
  // Parses sql through the parse cache, the libpg_query part on a parse worker. Errors: the
  // parse's; 57014 when statement_timeout (from `start`) passes first; 53200 without a thread.
  // When it returns because the client went away or the server is stopping, client_gone_ or
  // stopping_ is set and the result is an error nobody should see.
  // uncached: for a prepared statement, whose tree it keeps: libpg_query parses sql (no cache
  // hit, no skeleton) and the result is the session's to move from (prepared_parse_).
  asio::awaitable<Result<std::vector<engine::sql::ParsedStatement>*>> ParseQuery(
      std::string_view sql, std::chrono::steady_clock::time_point start, bool uncached = false);
  // The extended query protocol (server/extended_query.cc). An error in any of them is sent at
  // once and sets skip_to_sync_.
  asio::awaitable<Next> HandleParse(const protocol::Parse& msg);
  asio::awaitable<Next> HandleBind(const protocol::Bind& msg);
  // Bind's checks that need no engine, in PostgreSQL's order: the counts of parameter formats
  // and parameters, a failed block. Then BindPortal: the parameters' values and the result
  // formats, and the portal made (BindComplete appended). Each returns the error to fail with.
  std::optional<Error> CheckBind(const protocol::Bind& msg, const PreparedStatement& statement);
  std::optional<Error> BindPortal(const protocol::Bind& msg,
                                  std::shared_ptr<const PreparedStatement> statement);
  // The usual Bind and Describe (pgbench -M prepared sends both for every statement) without a
  // coroutine frame: a Bind of a statement the session prepared to the unnamed portal, a
  // Describe of a portal the session has. nullopt: handle it as a coroutine
  // (HandleMessage), which also reports any error.
  std::optional<Next> TryHandleNow(const protocol::FrontendMessage& msg);
  // The prepared statement `name` names: the server's, else one SQL PREPARE made (one name space,
  // engine/prepared_link.h); null when neither exists.
  asio::awaitable<std::shared_ptr<const PreparedStatement>> StatementNamed(const std::string& name);
  asio::awaitable<Next> HandleDescribe(const protocol::Describe& msg);
  asio::awaitable<Next> HandleExecute(const protocol::Execute& msg);
  asio::awaitable<Next> HandleClose(const protocol::Close& msg);
  // The columns of the engine session's SQL cursor `name` (empty name: none), which is also a
  // portal for Describe, Execute and Close (engine.h: SQL cursors as protocol portals).
  asio::awaitable<std::optional<std::vector<engine::ColumnInfo>>> CursorColumns(
      const std::string& name);
  // Execute of a portal that is a SQL cursor: FETCH FORWARD max_rows (0: all) from it, sent as
  // a SELECT portal's rows (PortalSuspended when max_rows rows came, else "SELECT n").
  asio::awaitable<Next> ExecuteCursorPortal(const std::string& name, int32_t max_rows);
  // Ends the implicit transaction (COMMIT, or ROLLBACK after an error), drops the portals when
  // idle, ReadyForQuery.
  asio::awaitable<Next> HandleSync();
  // HandleSync's work once no implicit transaction is open: no coroutine, so the usual Sync
  // (pgbench -M prepared sends one per statement) allocates no frame.
  Next FinishSync();
  // Commits (or, after an error, rolls back) the implicit transaction of the extended-protocol
  // messages since the last Sync, if one is open: at Sync, and before a simple Query (which
  // PostgreSQL would commit along with its own statements).
  asio::awaitable<void> EndImplicitBlock();
  asio::awaitable<void> FailExtended(const Error& error);
  void AppendPendingParameterStatus();
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
  // A message of `type` framed well whose body does not parse (protocol::DecodeStatus::
  // kMalformed), answered as postgres.c: an ERROR in that message. An extended-protocol message
  // then skips to Sync; a Sync or Query fails (an implicit one: ends) the transaction and sends
  // ReadyForQuery; while skipping to Sync, only a Sync is answered.
  asio::awaitable<Next> HandleMalformedMessage(char type, const Error& error);
  // A FunctionCall ('F'): an ERROR and ReadyForQuery, as PostgreSQL for a function it cannot call.
  asio::awaitable<void> HandleFunctionCall(const protocol::FunctionCall& call);
  // Appends error for a failure found before the engine (syntax, encoding, an unsupported
  // message); inside a transaction block it fails the block first, as any error does.
  asio::awaitable<void> FailErrorOutsideEngine(const Error& error);
  asio::awaitable<void> Disconnect();
  // Shows this logged-in session in the process's registry (pg_stat_activity), with the
  // startup's reported parameters (application_name) and a signal for pg_cancel_backend /
  // pg_terminate_backend.
  void RegisterActivity(const engine::Cluster::Params& parameters);
  // The COPY sub-protocol (server/copy_session.cc), after the engine began a COPY: reads
  // CopyData/CopyDone/CopyFail, or sends the rows; appends the COPY's CommandComplete or
  // ErrorResponse (not ReadyForQuery) and refreshes tx_status_. kClose when the client left.
  asio::awaitable<Next> RunCopy(const engine::CopyStart& start);
  asio::awaitable<Next> RunCopyIn(const engine::CopyStart& start);
  asio::awaitable<Next> RunCopyOut(const engine::CopyStart& start);
  bool copy_failed_ = false;  // the last RunCopy ended with an ErrorResponse
  // Arms timer_ for `deadline`; `fire` runs on the session's executor if it is still current then.
  template <typename Fire>
  void ArmTimer(std::chrono::steady_clock::time_point deadline, Fire fire);
  void DisarmTimer();
  // statement_timeout of a statement that began at `start` (a Query's or an Execute's arrival):
  // when it passes, timer_ raises the interrupt flag the engine's row loops poll. False (nothing
  // armed) without a timeout or a flag; DisarmTimer ends it.
  bool ArmStatementTimeout(std::chrono::steady_clock::time_point start);
  // While a statement runs on the engine: a client that closed its end of the connection gets
  // its statement canceled (as PostgreSQL's client_connection_check_interval), so a runaway
  // query of a vanished client does not hold the engine. A readiness wait on the socket, then
  // MSG_PEEK (EOF or bytes: nothing is consumed) and POLLRDHUP (the peer's shutdown behind
  // pipelined bytes) tell a closed peer from more input; a statement still running 0.5 s later
  // is canceled (a half-closed client's quick statements are answered). UnwatchPeer ends it.
  void WatchPeer();
  void UnwatchPeer() { ++peer_watch_generation_; }
  // A statement's watch starts kPeerWatchDelay after the statement (server/delayed_peer_watch.h).
  void ArmPeerWatch() override { WatchPeer(); }
  // The error for a statement that stopped waiting because of the interrupt flag or the
  // statement_timeout: 57014 with the reason's words.
  Error CanceledError() const;

  std::string_view Unread() const {
    return std::string_view(in_.data() + in_begin_, in_end_ - in_begin_);
  }

  Server& server_;
  ConnectionStream socket_;  // plain TCP, TLS or the Unix socket: one read and write path
  const uint32_t id_;
  const uint32_t secret_key_;
  std::string peer_;
  std::atomic<bool> startup_packet_received_{false};

  std::vector<char> in_;
  size_t in_begin_ = 0;
  size_t in_end_ = 0;
  size_t message_end_ = 0;  // in_ offset just past the message being handled
  std::string out_;

  // One timer for the deadline of the phase the session is in (one timer, not three: idle
  // sessions should be small): authentication_timeout from accept to the end of the login,
  // however slowly the client sends its bytes; statement_timeout while a query runs (raising
  // the interrupt flag, so a running statement stops); idle_in_transaction_session_timeout
  // while waiting for input inside a transaction block. timer_generation_ tells a handler
  // whether the deadline it was armed for is still the current one.
  asio::steady_timer timer_;
  uint64_t timer_generation_ = 0;
  DelayedPeerWatches& peer_watches_;  // of the session's io context
  // Which WatchPeer is current; a wake-up of an older one does nothing.
  std::atomic<uint64_t> peer_watch_generation_{0};
  bool startup_timed_out_ = false;
  bool idle_timer_armed_ = false;
  bool idle_timed_out_ = false;
  bool evicted_ = false;
  // The flag the engine session's statements poll (engine::SessionState::interrupt_flag());
  // null until logged in, or when the engine offers none.
  std::shared_ptr<engine::InterruptFlag> interrupt_;
  // What pg_stat_activity shows of this session (engine/session_registry.h): registered once
  // logged in, its state and query set around each Query / Execute and ReadyForQuery.
  std::shared_ptr<engine::SessionActivity> activity_;
  const int64_t backend_start_ = engine::TimestampNow();  // pg_stat_activity.backend_start
  int64_t idle_in_transaction_timeout_ms_ = 0;

  std::unique_ptr<engine::SessionState> engine_state_;
  engine::sql::ParseCache parse_cache_;  // used on the session's executor only
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
  ExtendedQuery extended_;
  // The implicit BEGIN of the messages up to the next Sync is open on the engine.
  bool implicit_block_ = false;
  // ParameterStatus changes of Executes since the last Sync, reported before its ReadyForQuery.
  std::vector<std::pair<std::string, std::string>> pending_parameter_status_;
  std::vector<engine::sql::ParsedStatement> prepared_parse_;  // ParseQuery(uncached)
  bool reading_ = false;
  bool writing_ = false;
  bool stopping_ = false;
  std::string user_;
  std::string database_;
};

}  // namespace sqlrite::server
