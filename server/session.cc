#include "server/session.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <asio/bind_executor.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "common/assert.h"
#include "common/sqlstate.h"
#include "engine/point_statement.h"
#include "engine/session_locals.h"
#include "engine/sql/parser.h"
#include "engine/types.h"
#include "engine/value.h"
#include "protocol/decoder.h"
#include "protocol/encoder.h"
#include "protocol/scram.h"
#include "protocol/startup.h"
#include "protocol/utf8.h"
#include "server/asio_util.h"
#include "server/engine_bridge.h"
#include "server/role_passwords.h"
#include "server/server.h"
#include "server/worker_bridge.h"

namespace sqlrite::server {

// What formats a result's rows as text besides the values: TimeZone (timestamptz) and
// bytea_output, copied from the session when the statement ran.
struct OutputSettings {
  std::optional<engine::DateTimeContext> datetime;  // nullopt: the session's current
  std::shared_ptr<engine::SessionLocals> locals;    // null: the session's current
};

namespace {

constexpr size_t kInitialBufferSize = size_t{8} * 1024;
// Buffers that grew past this for one big message or result are given back afterwards.
constexpr size_t kRetainedBufferSize = 1 << 20;
// Field values at least this long skip out_ (HandleQuery).
constexpr size_t kDirectFieldBytes = 1 << 20;
// Whether a std::string Datum of type is its own text form (engine::AppendText appends it as
// it is), so that a long one may skip out_.
bool IsOwnText(engine::TypeId type) {
  switch (type) {
    case engine::TypeId::kText:
    case engine::TypeId::kVarchar:
    case engine::TypeId::kBpchar:
    case engine::TypeId::kName:
    case engine::TypeId::kJson:
    case engine::TypeId::kJsonb:
    case engine::TypeId::kUnknown:
      return true;
    default:
      return false;
  }
}

// Rows are encoded into out_ a batch at a time and out_ is written to the socket once it passes
// this bound, so the output buffer stays small whatever the result's size (docs/decisions.md).
constexpr size_t kFlushThreshold = size_t{64} * 1024;
// Rows a snapshot read pulls per batch: the batch is all the server holds of its result besides
// out_ (and the pipeline's own batch).
constexpr size_t kSnapshotBatchRows = 256;

void StoreBE32(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}

Error Fatal(const char* sqlstate, std::string message) {
  return Error(sqlstate, std::move(message)).WithSeverity(Severity::kFatal);
}

namespace ast = engine::ast;

// The session's output settings now (on the thread its statements run on).
OutputSettings CaptureOutputSettings(const engine::SessionState& state,
                                     const std::vector<engine::ColumnInfo>& columns) {
  OutputSettings out;
  if (const engine::DateTimeContext* datetime = state.datetime()) out.datetime = *datetime;
  // A copy of the locals (seeded from the system's entropy) only for rows that print bytea.
  if (const std::shared_ptr<engine::SessionLocals> live = ByteaOutputLocals(state, columns)) {
    out.locals = std::make_shared<engine::SessionLocals>();
    out.locals->backend_pid = live->backend_pid.load();
    out.locals->bytea_output_escape = live->bytea_output_escape.load();
  }
  return out;
}

// What one Query message produced on the engine: one entry per statement that ran, the last
// one possibly an error (nothing after it ran).
struct QueryBatch {
  std::vector<Result<engine::QueryResult>> results;
  // Per result, the output settings when its statement ran (a later SET in the string, or the
  // end of the block a SET LOCAL was in, must not change how its rows print).
  std::vector<OutputSettings> output;
  char tx_status = 'I';
  // Settings the implicit block's own COMMIT or ROLLBACK put back, reported after the rest.
  engine::Cluster::Params restored_parameters;
  int64_t statement_timeout_ms = 0;  // the session's, after the statements
  int64_t idle_in_transaction_timeout_ms = 0;
};

}  // namespace

// One parse on a worker thread, shared by the session and the worker. The worker marks it
// `worker_done` when libpg_query has returned, stores the result unless the session has stopped
// wanting it (`finished`, set on the session's executor when its wait ended: the result, the
// timeout, shutdown or the client leaving), and wakes the session (cancelling its parse_timer_
// on the session's executor) only while `strand` is set, that is while the session waits on this
// call. So a session, and the io_context, may go away while a parse it abandoned still runs; a
// session that abandoned a parse waits for it before starting another (Session::ParseQuery).
struct ParseCall {
  std::mutex mu;
  bool worker_done = false;                                                 // guarded by mu
  bool finished = false;                                                    // guarded by mu
  std::optional<Result<std::vector<engine::sql::ParsedStatement>>> result;  // guarded by mu
  std::optional<asio::any_io_executor> strand;  // set while the session waits; under mu
};

namespace {

// Runs the statements of one query string one after another on the engine thread, each through
// Cluster::Submit, so a write may be parked until another session's transaction ends while the
// engine thread serves everyone else. Engine thread only.
//
// Invariants:
//  - at most one statement of the run is with the engine at a time, in query-string order;
//  - a result with awaits_sync is passed on (to the client, or by running the next statement)
//    only after a batch epilogue (Cluster::SyncCommits, group commit) reported its Status; on
//    failure that result becomes the epilogue's error and nothing after it runs;
//  - the batch reaches the session through EngineQueue::Defer, reads too: a read that saw
//    another session's commit is not answered before that commit is durable; except that the
//    writer's own statements (holds_writer, no commit of their own) are answered at once, so the
//    next writer's block runs while the previous commit's fsync is in flight (early lock
//    release; its COMMIT still waits for a sync covering both; docs/decisions.md).
// Completions that run inside Submit (the usual case) are looped over, not recursed into, so a
// long query string does not deepen the engine thread's stack.
class StatementRun : public std::enable_shared_from_this<StatementRun> {
 public:
  using Deliver = engine::EngineQueue::Callback<Result<QueryBatch>>;

  // REQUIRES: cluster, queue, state, query (the string the statements were parsed from) and
  // statements outlive the delivery (the session waits for it).
  StatementRun(engine::Cluster& cluster, engine::EngineQueue& queue, engine::SessionState& state,
               std::string_view query, std::vector<engine::sql::ParsedStatement>& statements,
               Deliver deliver)
      : cluster_(cluster),
        queue_(queue),
        state_(state),
        query_(query),
        statements_(statements),
        deliver_(std::move(deliver)) {
    batch_.results.reserve(statements.size());
    // As PostgreSQL's exec_simple_query: several statements in one Query run in an implicit
    // transaction (ast::Transaction::Implicit::kQueryString), so an error rolls back the ones
    // before it. A BEGIN in the string makes it an explicit block, which the string's end
    // leaves open; a COMMIT or ROLLBACK ends it with a warning, and the next statement starts
    // another. A string that arrives inside a block runs in that block.
    implicit_block_ = statements.size() > 1 && state.tx_status() == engine::TxStatus::kIdle;
    for (const engine::sql::ParsedStatement& stmt : statements) {
      if (!stmt.statement || !engine::TouchesNoData(*stmt.statement)) touches_data_ = true;
    }
  }

  void SubmitNext() {
    std::shared_ptr<StatementRun> self = shared_from_this();
    while (next_ < statements_.size()) {
      if (implicit_block_ && state_.tx_status() == engine::TxStatus::kIdle &&
          !RunForImplicitBlock(ast::Transaction::kBegin)) {
        // It could not begin (a serializable default that must wait for the writer): the
        // statements run on their own.
        implicit_block_ = false;
      }
      engine::sql::ParsedStatement& stmt = statements_[next_++];
      if (!stmt.statement) {
        cluster_.FailStatement(state_);
        batch_.results.emplace_back(tl::unexpected<Error>(stmt.statement.error()));
        Finish();
        return;
      }
      submitting_ = true;
      cluster_.Submit(state_, *stmt.statement, query_,
                      [self](Result<engine::QueryResult> r) { self->Completed(std::move(r)); });
      submitting_ = false;
      if (!inline_result_) return;  // parked: Completed() carries on later
      Result<engine::QueryResult> r = std::move(*inline_result_);
      inline_result_.reset();
      if (!Record(std::move(r))) return;
    }
  }

 private:
  void Completed(Result<engine::QueryResult> r) {
    if (submitting_) {
      inline_result_ = std::move(r);
      return;
    }
    if (Record(std::move(r))) SubmitNext();
  }

  // Stores a statement's result. True when the next statement may run right away.
  bool Record(Result<engine::QueryResult> r) {
    const bool failed = !r.has_value();
    const bool awaits_sync = !failed && r->awaits_sync;
    // One statement alone: nothing after it can change the settings before its rows print.
    const bool capture = !failed && r->returns_rows && statements_.size() > 1;
    batch_.output.push_back(capture ? CaptureOutputSettings(state_, r->columns) : OutputSettings{});
    batch_.results.push_back(std::move(r));
    if (failed || next_ == statements_.size()) {
      Finish();
      return false;
    }
    if (!awaits_sync) return true;
    queue_.Defer([self = shared_from_this()](const Status& synced) {
      if (synced) {
        self->SubmitNext();
      } else {
        self->batch_.results.back() = tl::unexpected<Error>(synced.error());
        self->DeliverNow();
      }
    });
    return false;
  }

  // Runs BEGIN, COMMIT or ROLLBACK for the implicit block (none of them waits); their results
  // are not the client's. True when it succeeded.
  bool RunForImplicitBlock(ast::Transaction::Kind kind) {
    static const ast::Statement kBegin = ast::Transaction{
        ast::Transaction::kBegin, {}, {}, false, ast::Transaction::Implicit::kQueryString};
    static const ast::Statement kCommit = ast::Transaction{ast::Transaction::kCommit};
    static const ast::Statement kRollback = ast::Transaction{ast::Transaction::kRollback};
    const ast::Statement& stmt = kind == ast::Transaction::kBegin    ? kBegin
                                 : kind == ast::Transaction::kCommit ? kCommit
                                                                     : kRollback;
    // BEGIN may carry a position into query_; COMMIT and ROLLBACK join the batch's group commit
    // (Finish defers the delivery when the commit awaits its sync).
    Result<engine::QueryResult> r = kind == ast::Transaction::kBegin
                                        ? cluster_.Execute(state_, stmt, query_)
                                        : cluster_.ExecuteInBatch(state_, stmt);
    if (r && r->awaits_sync) commit_awaits_sync_ = true;
    if (r) {
      for (auto& change : r->parameter_status) {
        batch_.restored_parameters.push_back(std::move(change));
      }
    }
    const bool ok = r.has_value();
    if (!ok && kind == ast::Transaction::kCommit) batch_.results.back() = std::move(r);
    return ok;
  }

  void Finish() {
    if (implicit_block_ && state_.in_implicit_block()) {
      const Result<engine::QueryResult>& last = batch_.results.back();
      RunForImplicitBlock(last ? ast::Transaction::kCommit : ast::Transaction::kRollback);
    }
    implicit_block_ = false;
    const Result<engine::QueryResult>& final_result = batch_.results.back();
    // The writer's own statements, and statements that read nothing (BEGIN), are
    // answered at once: they show no commit that could still be lost.
    if ((state_.holds_writer() || !touches_data_) && !commit_awaits_sync_ &&
        !(final_result && final_result->awaits_sync)) {
      DeliverNow();
      return;
    }
    queue_.Defer([self = shared_from_this()](const Status& synced) {
      Result<engine::QueryResult>& last = self->batch_.results.back();
      if (!synced && last && (last->awaits_sync || self->commit_awaits_sync_)) {
        last = tl::unexpected<Error>(synced.error());
      }
      self->DeliverNow();
    });
  }

  void DeliverNow() {
    batch_.tx_status = static_cast<char>(state_.tx_status());
    batch_.statement_timeout_ms = state_.statement_timeout_ms();
    batch_.idle_in_transaction_timeout_ms = state_.idle_in_transaction_timeout_ms();
    deliver_(std::move(batch_));
  }

  engine::Cluster& cluster_;
  engine::EngineQueue& queue_;
  engine::SessionState& state_;
  std::string_view query_;
  std::vector<engine::sql::ParsedStatement>& statements_;
  Deliver deliver_;
  QueryBatch batch_;
  size_t next_ = 0;
  bool submitting_ = false;
  std::optional<Result<engine::QueryResult>> inline_result_;
  bool implicit_block_ = false;      // the statements run inside one implicit transaction
  bool commit_awaits_sync_ = false;  // its COMMIT wrote, so the epilogue's fsync decides
  bool touches_data_ = false;        // some statement may read a commit (not a BEGIN)
};

}  // namespace

Session::Session(Server& server, ConnectionStream socket, uint32_t id, uint32_t secret_key)
    : server_(server),
      socket_(std::move(socket)),
      id_(id),
      secret_key_(secret_key),
      in_(kInitialBufferSize),
      timer_(socket_.get_executor()),
      peer_watches_(DelayedPeerWatches::Of(timer_.get_executor())),
      parse_timer_(socket_.get_executor()) {
  peer_ = socket_.peer_name();
}

void Session::Evict() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    // Its packet arrived since the acceptor chose it: it is logging in, and stays.
    if (self->startup_packet_received()) return;
    self->evicted_ = true;
    asio::error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void Session::WakeForInterrupt() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->parsing_) self->parse_timer_.cancel();
  });
}

template <typename Fire>
void Session::ArmTimer(std::chrono::steady_clock::time_point deadline, Fire fire) {
  const uint64_t generation = ++timer_generation_;
  timer_.expires_at(deadline);
  timer_.async_wait([self = shared_from_this(), generation,
                     fire = std::move(fire)](const asio::error_code& ec) mutable {
    if (ec || generation != self->timer_generation_) return;
    fire(*self);
  });
}

bool Session::ArmStatementTimeout(std::chrono::steady_clock::time_point start) {
  if (!interrupt_ || statement_timeout_ms_ <= 0) return false;
  ArmTimer(start + std::chrono::milliseconds(statement_timeout_ms_), [](Session& self) {
    self.interrupt_->Raise(engine::InterruptReason::kStatementTimeout);
  });
  return true;
}

// How long a statement may still run after its client's end of the connection closed.
constexpr std::chrono::milliseconds kPeerGoneGrace{500};

void Session::WatchPeer() {
  if (!interrupt_) return;
  const uint64_t generation = ++peer_watch_generation_;
  socket_.async_wait(
      asio::socket_base::wait_read,
      asio::bind_executor(timer_.get_executor(), [self = shared_from_this(),
                                                  generation](const asio::error_code& ec) {
        if (ec || generation != self->peer_watch_generation_.load()) return;
        const int fd = self->socket_.native_handle();
        char byte;
        const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        bool gone = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
        if (n > 0) {
          // Pipelined input waits unread; the peer may still have shut down behind it.
          pollfd p{fd, POLLRDHUP, 0};
          gone = ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
        }
        if (gone) {
          // A client that only half-closed (shutdown(SHUT_WR)) and still reads looks the same:
          // a statement that ends within the grace period is answered as usual; only one still
          // running then (a vanished client's runaway) is canceled.
          auto grace =
              std::make_shared<asio::steady_timer>(self->timer_.get_executor(), kPeerGoneGrace);
          grace->async_wait([self, generation, grace](const asio::error_code& wait_ec) {
            if (wait_ec || generation != self->peer_watch_generation_.load()) return;
            spdlog::info("session {}: the client closed the connection; canceling its statement",
                         self->id_);
            self->interrupt_->Raise(engine::InterruptReason::kCancel);
          });
        } else if (n < 0) {
          self->WatchPeer();  // a spurious wake-up: wait again
        }
        // Else bytes wait and the peer is still there: the watch ends (the socket stays
        // readable, so waiting again would spin); the statement runs to its end.
      }));
}

void Session::DisarmTimer() {
  ++timer_generation_;
  timer_.cancel();
}

Error Session::CanceledError() const {
  if (interrupt_ && interrupt_->reason() == engine::InterruptReason::kCancel) {
    return engine::InterruptError(engine::InterruptReason::kCancel);
  }
  return {sqlstate::kQueryCanceled, "canceling statement due to statement timeout"};
}

void Session::RequestShutdown() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    asio::error_code ignored;
    if (self->writing_) {
      // A client that stopped reading would hold the shutdown for ever: as PostgreSQL's fast
      // shutdown does, end the connection without waiting for it.
      self->socket_.close(ignored);
    } else if (self->reading_) {
      self->socket_.cancel(ignored);
    } else if (self->parsing_) {
      self->parse_timer_.cancel();  // shutdown never waits for a parse
    }
  });
}

asio::awaitable<void> Session::Run() {
  try {
    co_await Serve();
  } catch (const std::exception& e) {
    spdlog::error("session {}: {}", id_, e.what());
  }
  try {
    co_await Disconnect();
  } catch (const std::exception& e) {
    spdlog::error("session {}: disconnect: {}", id_, e.what());
  }
  if (activity_) engine::ProcessSessions().Unregister(id_);
  DisarmTimer();
  co_await socket_.Shutdown();
  if (!user_.empty()) spdlog::info("session {} closed", id_);
  server_.Unregister(*this);
}

void Session::RegisterActivity(const engine::Cluster::Params& parameters) {
  std::string application_name;
  for (const auto& [name, value] : parameters) {
    if (name == "application_name") application_name = value;
  }
  std::string client_addr;
  int32_t client_port = -1;
  if (socket_.peer_kind() != PeerKind::kUnixSocket) {
    client_addr = socket_.peer_host();
    const size_t colon = peer_.rfind(':');
    if (colon != std::string::npos) client_port = std::atoi(peer_.c_str() + colon + 1);
  }
  activity_ = engine::ProcessSessions().Register(id_);
  activity_->Connected(database_, user_, std::move(application_name), std::move(client_addr),
                       client_port, backend_start_);
  // pg_cancel_backend: as a CancelRequest with this session's key (the flag stops a running
  // statement, the engine task ends a parked wait). pg_terminate_backend: as the server's
  // shutdown, for this session only (FATAL 57P01).
  std::weak_ptr<Session> weak = weak_from_this();
  Server& server = server_;
  const uint32_t id = id_;
  const uint32_t key = secret_key_;
  activity_->SetSignal([weak, &server, id, key](bool terminate) {
    std::shared_ptr<Session> self = weak.lock();
    if (!self) return;
    if (terminate && self->interrupt_) {
      self->interrupt_->Raise(engine::InterruptReason::kShutdown);
      self->RequestShutdown();
    } else if (!server.Cancel(id, key)) {
      return;
    }
    engine::Cluster& cluster = server.cluster();
    server.queue().Post([&cluster, id, key] { cluster.Cancel(id, key); });
  });
}

asio::awaitable<void> Session::Disconnect() {
  if (!engine_state_) co_return;
  // A portal's rows may be a snapshot read, which must end before its session does.
  extended_.CloseAllPortals();
  engine::Cluster& cluster = server_.cluster();
  // The state is handed to the engine thread and dies there, like every other touch of it.
  // Named, not a temporary inside the co_await: GCC 12 destroys such temporaries twice.
  auto task = [&cluster, state = std::move(engine_state_)]() -> Status {
    cluster.Disconnect(*state);
    return Ok();
  };
  co_await RunOnEngine(server_.queue(), std::move(task));
}

asio::awaitable<void> Session::Serve() {
  if (co_await Startup() == Next::kClose) co_return;
  // What the decoder reports a bad message with. One for the session rather than one per
  // message: an Error is ten strings to build and destroy, and only a bad message fills it.
  Error error;
  for (;;) {
    // Handle every whole message already received before writing: a pipelining client gets all
    // its answers in one write.
    for (;;) {
      // Shutdown: no further message runs; ReadMore below says goodbye (57P01).
      if (stopping_) break;
      protocol::FrontendMessage msg;
      protocol::DecodeResult r = protocol::DecodeFrontendMessage(Unread(), msg, error);
      if (r.status == protocol::DecodeStatus::kNeedMore) break;
      if (r.status == protocol::DecodeStatus::kBad) {
        spdlog::warn("session {}: {}", id_, error.message);
        co_await SendFatal(error);
        co_return;
      }
      if (idle_timer_armed_) {
        idle_timer_armed_ = false;
        DisarmTimer();
      }
      // Message views point into in_, so consume only after handling.
      message_end_ = in_begin_ + r.consumed;
      Next next = Next::kContinue;
      if (r.status == protocol::DecodeStatus::kMalformed) {
        next = co_await HandleMalformedMessage(Unread()[0], error);
        error = Error();
      } else if (std::holds_alternative<protocol::Sync>(msg) && !implicit_block_) {
        skip_to_sync_ = false;
        next = FinishSync();
      } else if (std::optional<Next> now = TryHandleNow(msg)) {
        next = *now;
      } else {
        if (const auto* query = std::get_if<protocol::Query>(&msg); query && activity_) {
          activity_->BeginQuery(query->sql);
        }
        next = co_await HandleMessage(msg);
      }
      // Whatever answered with ReadyForQuery left the session idle (or idle in a block).
      if (activity_ && next != Next::kClose) {
        const char type = r.status == protocol::DecodeStatus::kMalformed
                              ? static_cast<char>(Unread()[0])
                          : std::holds_alternative<protocol::Query>(msg)        ? 'Q'
                          : std::holds_alternative<protocol::Sync>(msg)         ? 'S'
                          : std::holds_alternative<protocol::FunctionCall>(msg) ? 'F'
                                                                                : '\0';
        if (type == 'Q' || type == 'S' || type == 'F') activity_->EndQuery(tx_status_);
      }
      in_begin_ += r.consumed;
      if (next == Next::kClose) {
        co_await Flush();
        co_return;
      }
    }
    if (!out_.empty() && !co_await Flush()) co_return;
    if (!idle_timer_armed_ && idle_in_transaction_timeout_ms_ > 0 &&
        tx_status_ != static_cast<char>(engine::TxStatus::kIdle)) {
      // As PostgreSQL: counted while waiting for the next message inside a block.
      idle_timer_armed_ = true;
      ArmTimer(std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(idle_in_transaction_timeout_ms_),
               [](Session& self) {
                 self.idle_timed_out_ = true;
                 asio::error_code ignored;
                 self.socket_.cancel(ignored);
               });
    }
    if (!co_await ReadMore()) co_return;
  }
}

asio::awaitable<bool> Session::ReadMore() {
  // A deadline that passed while the session was not reading (busy, or between reads of a
  // client trickling its bytes) still ends it.
  if (startup_timed_out_ || evicted_) co_return false;
  if (idle_timed_out_) {
    co_await SendFatal(Fatal(sqlstate::kIdleInTransactionSessionTimeout,
                             "terminating connection due to idle-in-transaction timeout"));
    co_return false;
  }
  if (stopping_ || server_.stopping()) {
    co_await SendFatal(
        Fatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
    co_return false;
  }
  if (in_begin_ == in_end_) {
    in_begin_ = in_end_ = 0;
    if (in_.size() > kRetainedBufferSize) {
      in_.resize(kInitialBufferSize);
      in_.shrink_to_fit();
    }
  } else if (in_end_ == in_.size()) {
    if (in_begin_ > 0) {
      std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
      in_end_ -= in_begin_;
      in_begin_ = 0;
    } else {
      // A message larger than the buffer: double, as data arrives (a header alone must not make
      // us take what it claims), but never past the message's own size, so that a 50 MB query
      // takes 50 MB here rather than a 64 MB buffer.
      size_t want = in_.size() * 2;
      if (engine_state_ && in_end_ >= 5) {
        const auto* p = reinterpret_cast<const unsigned char*>(in_.data());
        const size_t length =
            (size_t{p[1]} << 24) | (size_t{p[2]} << 16) | (size_t{p[3]} << 8) | size_t{p[4]};
        if (length + 1 > in_.size()) want = std::min(want, length + 1);
      }
      in_.resize(want);
    }
  }
  reading_ = true;
  auto [ec, n] =
      co_await socket_.ReadSome(asio::buffer(in_.data() + in_end_, in_.size() - in_end_));
  reading_ = false;
  if (ec) {
    if (startup_timed_out_) {
      spdlog::warn("connection from {}: not logged in within authentication_timeout ({} s)", peer_,
                   server_.config().authentication_timeout_s);
    } else if (evicted_) {
      // Server::AcceptLoop logged it.
    } else if (idle_timed_out_) {
      spdlog::warn("session {}: idle-in-transaction timeout", id_);
      co_await SendFatal(Fatal(sqlstate::kIdleInTransactionSessionTimeout,
                               "terminating connection due to idle-in-transaction timeout"));
    } else if (ec == asio::error::operation_aborted && (stopping_ || server_.stopping())) {
      co_await SendFatal(
          Fatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
    } else if (ec != asio::error::eof && ec != asio::error::connection_reset) {
      spdlog::warn("session {}: read failed: {}", id_, ec.message());
    }
    co_return false;
  }
  in_end_ += n;
  co_return true;
}

asio::awaitable<bool> Session::Flush() { co_return co_await FlushWith({}); }

asio::awaitable<bool> Session::FlushWith(
    const std::vector<std::pair<size_t, std::string_view>>& pieces) {
  if (out_.empty() && pieces.empty()) co_return true;
  if (stopping_ && !socket_.is_open()) co_return false;
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(pieces.size() * 2 + 1);
  size_t from = 0;
  for (const auto& [at, piece] : pieces) {
    buffers.emplace_back(out_.data() + from, at - from);
    buffers.push_back(asio::buffer(piece));
    from = at;
  }
  buffers.emplace_back(out_.data() + from, out_.size() - from);
  writing_ = true;
  auto [ec, n] = co_await socket_.Write(buffers);
  writing_ = false;
  (void)n;
  if (out_.capacity() > kRetainedBufferSize) {
    out_ = std::string();
  } else {
    out_.clear();
  }
  if (ec) {
    if (ec != asio::error::broken_pipe && ec != asio::error::connection_reset) {
      spdlog::warn("session {}: write failed: {}", id_, ec.message());
    }
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> Session::SendFatal(const Error& error) {
  protocol::AppendErrorResponse(out_, error);
  co_await Flush();
}

asio::awaitable<Session::Next> Session::Startup() {
  ArmTimer(std::chrono::steady_clock::now() +
               std::chrono::seconds(server_.config().authentication_timeout_s),
           [](Session& self) {
             self.startup_timed_out_ = true;
             asio::error_code ignored;
             self.socket_.cancel(ignored);  // a read in progress ends; later ones never start
           });
  Next next = co_await StartupPackets();
  DisarmTimer();
  if (next == Next::kContinue && startup_timed_out_) next = Next::kClose;
  co_return next;
}

asio::awaitable<Session::Next> Session::NegotiateEncryption(bool ssl) {
  const bool accept = ssl && server_.tls() != nullptr && socket_.can_start_tls();
  if (accept) {
    out_.push_back('S');
  } else {
    protocol::AppendEncryptionRefused(out_);
  }
  if (!co_await Flush()) co_return Next::kClose;
  if (accept) {
    reading_ = true;  // the startup timeout covers a handshake that stalls
    asio::error_code ec = co_await socket_.StartTls(*server_.tls());
    reading_ = false;
    if (ec) {
      spdlog::warn("connection from {}: could not accept SSL connection: {}", peer_,
                   startup_timed_out_ ? "timed out" : ec.message());
      co_return Next::kClose;
    }
    spdlog::debug("connection from {}: {} {}", peer_, socket_.tls_version(), socket_.tls_cipher());
  }
  // Bytes that came before the answer were not encrypted: they may have been injected by a
  // man in the middle (PostgreSQL's fix for CVE-2021-23222).
  if (in_begin_ != in_end_) {
    co_await SendFatal(
        Fatal(sqlstate::kProtocolViolation,
              ssl ? "received unencrypted data after SSL request"
                  : "received unencrypted data after GSSAPI encryption request")
            .WithDetail("This could be either a client-software bug or evidence of an attempted "
                        "man-in-the-middle attack."));
    co_return Next::kClose;
  }
  co_return Next::kContinue;
}

asio::awaitable<Session::Next> Session::StartupPackets() {
  protocol::StartupNegotiation negotiation;
  for (;;) {
    protocol::StartupPacket packet;
    Error error;
    const protocol::StartupNegotiation::Step step = negotiation.Next(Unread(), packet, error);
    switch (step.action) {
      case protocol::StartupNegotiation::Action::kNeedMore:
        if (!co_await ReadMore()) co_return Next::kClose;
        continue;
      case protocol::StartupNegotiation::Action::kFail:
        spdlog::warn("connection from {}: {}", peer_, error.message);
        co_await SendFatal(error);
        co_return Next::kClose;
      case protocol::StartupNegotiation::Action::kAnswerSsl:
      case protocol::StartupNegotiation::Action::kAnswerGssEnc: {
        in_begin_ += step.consumed;
        const bool ssl = step.action == protocol::StartupNegotiation::Action::kAnswerSsl;
        if (co_await NegotiateEncryption(ssl) == Next::kClose) co_return Next::kClose;
        negotiation.Answered(socket_.tls());
        continue;
      }
      case protocol::StartupNegotiation::Action::kCancel: {
        startup_packet_received_.store(true, std::memory_order_relaxed);
        const auto& cancel = std::get<protocol::CancelRequest>(packet);
        // As PostgreSQL: act on it if the key matches, and close without an answer either way.
        // The flag stops a running statement now, from this thread; the engine task below ends
        // a parked wait once the engine thread is free.
        if (!server_.Cancel(cancel.process_id, cancel.secret_key)) co_return Next::kClose;
        engine::Cluster& cluster = server_.cluster();
        auto task = [&cluster, pid = cancel.process_id, key = cancel.secret_key]() -> Status {
          cluster.Cancel(pid, key);
          return Ok();
        };
        co_await RunOnEngine(server_.queue(), std::move(task));
        co_return Next::kClose;
      }
      case protocol::StartupNegotiation::Action::kStartup: {
        startup_packet_received_.store(true, std::memory_order_relaxed);
        // Consumed first: the password exchange reads what follows. The message's views into
        // in_ stay valid until HandleStartupMessage reads more input, and it copies what it
        // needs first.
        in_begin_ += step.consumed;
        co_return co_await HandleStartupMessage(std::get<protocol::StartupMessage>(packet));
      }
    }
  }
}

asio::awaitable<Session::Next> Session::HandleStartupMessage(const protocol::StartupMessage& msg) {
  std::string user;
  std::string database;
  bool has_user = false;
  bool has_database = false;
  engine::Cluster::Params options;
  std::vector<std::string_view> unrecognized;
  for (const auto& [name, value] : msg.params) {
    if (name == "user") {
      user = value;
      has_user = true;
    } else if (name == "database") {
      database = value;
      has_database = true;
    } else if (name.starts_with("_pq_.")) {
      unrecognized.push_back(name);
    } else {
      options.emplace_back(std::string(name), std::string(value));
    }
  }
  if (!has_user || user.empty()) {
    co_await SendFatal(Fatal(sqlstate::kInvalidAuthorizationSpecification,
                             "no PostgreSQL user name specified in startup packet"));
    co_return Next::kClose;
  }
  if (!has_database || database.empty()) database = user;
  if (server_.Full()) {
    spdlog::warn("connection from {} refused: too many clients", peer_);
    co_await SendFatal(Fatal(sqlstate::kTooManyConnections, "sorry, too many clients already"));
    co_return Next::kClose;
  }
  if (server_.config().require_tls && !socket_.tls() &&
      socket_.peer_kind() != PeerKind::kUnixSocket) {
    // As a pg_hba.conf of hostssl lines only (before authentication, as there).
    spdlog::warn("connection from {} refused: not on TLS", peer_);
    co_await SendFatal(Fatal(sqlstate::kInvalidAuthorizationSpecification,
                             "no pg_hba.conf entry for host \"" + socket_.peer_host() +
                                 "\", user \"" + user + "\", database \"" + database +
                                 "\", no encryption"));
    co_return Next::kClose;
  }

  // As PostgreSQL, before authentication.
  uint32_t minor = msg.protocol_version & 0xffff;
  if (minor > 0 || !unrecognized.empty()) {
    protocol::AppendNegotiateProtocolVersion(out_, 0, unrecognized);
  }
  switch (co_await Authenticate(user)) {
    case AuthOutcome::kAuthenticated:
      break;
    case AuthOutcome::kRefused:
      co_return Next::kClose;
  }

  struct Connected {
    std::unique_ptr<engine::SessionState> state;
    engine::Cluster::Params parameters;
    char tx_status = 'I';
    int64_t statement_timeout_ms = 0;
    int64_t idle_in_transaction_timeout_ms = 0;
    std::shared_ptr<engine::InterruptFlag> interrupt;
  };
  engine::Cluster& cluster = server_.cluster();
  auto connect = [&]() -> Result<Connected> {
    SQLRITE_ASSIGN_OR_RETURN(auto state, cluster.Connect(user, database, options));
    cluster.SetCancelKey(*state, id_, secret_key_);
    Connected c;
    c.parameters = cluster.StartupParameters(*state);
    c.tx_status = static_cast<char>(state->tx_status());
    c.statement_timeout_ms = state->statement_timeout_ms();
    c.idle_in_transaction_timeout_ms = state->idle_in_transaction_timeout_ms();
    c.interrupt = state->interrupt_flag();
    c.state = std::move(state);
    return c;
  };
  Result<Connected> connected = co_await RunOnEngine(server_.queue(), std::move(connect));
  if (!connected) {
    spdlog::warn("connection from {} refused: {}", peer_, connected.error().message);
    // As PostgreSQL: authentication has succeeded (AuthenticationOk) before the role and the
    // database are checked.
    protocol::AppendAuthenticationOk(out_);
    co_await SendFatal(Error(connected.error()).WithSeverity(Severity::kFatal));
    co_return Next::kClose;
  }
  engine_state_ = std::move(connected->state);
  const bool superuser =
      std::any_of(connected->parameters.begin(), connected->parameters.end(),
                  [](const auto& p) { return p.first == "is_superuser" && p.second == "on"; });
  if (startup_timed_out_) co_return Next::kClose;  // Run() ends the engine session
  // The slot is taken once logged in, so connections still logging in never hold one.
  switch (server_.ClaimSlot(*this, superuser)) {
    case Server::Slot::kGranted:
      break;
    case Server::Slot::kTooMany:
      spdlog::warn("connection from {} refused: too many clients", peer_);
      co_await SendFatal(Fatal(sqlstate::kTooManyConnections, "sorry, too many clients already"));
      co_return Next::kClose;
    case Server::Slot::kReserved:
      // After authentication, as in PostgreSQL 15 (InitPostgres); Run() ends the engine session.
      spdlog::warn("connection from {} refused: slots reserved for superusers", peer_);
      co_await SendFatal(Fatal(
          sqlstate::kTooManyConnections,
          "remaining connection slots are reserved for non-replication superuser connections"));
      co_return Next::kClose;
  }
  interrupt_ = connected->interrupt;
  if (interrupt_) server_.SetInterruptFlag(*this, interrupt_);
  tx_status_ = connected->tx_status;
  statement_timeout_ms_ = connected->statement_timeout_ms;
  idle_in_transaction_timeout_ms_ = connected->idle_in_transaction_timeout_ms;
  user_ = std::move(user);
  database_ = std::move(database);
  spdlog::info("session {} opened: peer={} user={} database={}", id_, peer_, user_, database_);
  RegisterActivity(connected->parameters);

  protocol::AppendAuthenticationOk(out_);
  for (const auto& [name, value] : connected->parameters) {
    protocol::AppendParameterStatus(out_, name, value);
  }
  protocol::AppendBackendKeyData(out_, id_, secret_key_);
  protocol::AppendReadyForQuery(out_, tx_status_);
  co_return co_await Flush() ? Next::kContinue : Next::kClose;
}

asio::awaitable<Session::AuthOutcome> Session::Authenticate(const std::string& user) {
  engine::Cluster& cluster = server_.cluster();
  auto lookup = [&cluster, &user]() { return cluster.LookupCredentials(user); };
  Result<engine::Cluster::Credentials> credentials =
      co_await RunOnEngine(server_.queue(), std::move(lookup));
  if (!credentials) {
    // Named: GCC 12 destroys temporaries inside a co_await expression twice.
    const Error fatal = Error(credentials.error()).WithSeverity(Severity::kFatal);
    co_await SendFatal(fatal);
    co_return AuthOutcome::kRefused;
  }
  if (!NeedsPassword(server_.auth_method(), socket_.peer_kind(), *credentials)) {
    co_return AuthOutcome::kAuthenticated;
  }
  protocol::scram::ScramServer::Options options;
  options.user = user;
  // A role that may not log in still proves its password first, as in PostgreSQL; Connect
  // refuses it afterwards.
  if (credentials->exists) options.secret = credentials->secret;
  options.mock_secret = std::move(credentials->mock_secret);
  // Over TLS, SCRAM-SHA-256-PLUS is offered too, bound to the certificate this connection was
  // served with (tls-server-end-point, as PostgreSQL); a certificate whose hash cannot be
  // named (ConnectionStream leaves it empty) gets plain SCRAM-SHA-256 only.
  if (socket_.tls() && !socket_.tls_server_end_point().empty()) {
    options.channel_binding = std::string(socket_.tls_server_end_point());
  }
  protocol::scram::ScramServer scram(std::move(options));
  scram.AppendMechanisms(out_);
  if (!co_await Flush()) co_return AuthOutcome::kRefused;
  const Error failed =
      Fatal(sqlstate::kInvalidPassword, "password authentication failed for user \"" + user + "\"");
  for (;;) {
    std::string_view body;
    Error error;
    protocol::DecodeResult r =
        protocol::DecodeAuthResponse(Unread(), protocol::kMaxSaslMessageLength, body, error);
    if (r.status == protocol::DecodeStatus::kNeedMore) {
      // End of stream: the client gave up (psql asking for a password does this); PostgreSQL
      // closes without a word.
      if (!co_await ReadMore()) co_return AuthOutcome::kRefused;
      continue;
    }
    if (r.status == protocol::DecodeStatus::kBad) {
      spdlog::warn("connection from {}: authentication of user \"{}\": {}", peer_, user,
                   error.message);
      const Error fatal = error.sqlstate == std::string(sqlstate::kInvalidPassword)
                              ? failed
                              : Error(error).WithSeverity(Severity::kFatal);
      co_await SendFatal(fatal);
      co_return AuthOutcome::kRefused;
    }
    Result<protocol::scram::ScramServer::Step> step = scram.Receive(body, out_);
    in_begin_ += r.consumed;
    if (!step) {
      spdlog::warn("connection from {}: authentication of user \"{}\": {}", peer_, user,
                   step.error().message);
      const Error fatal = Error(step.error()).WithSeverity(Severity::kFatal);
      co_await SendFatal(fatal);
      co_return AuthOutcome::kRefused;
    }
    switch (*step) {
      case protocol::scram::ScramServer::Step::kContinue:
        if (!co_await Flush()) co_return AuthOutcome::kRefused;
        continue;
      case protocol::scram::ScramServer::Step::kSuccess:
        // AuthenticationSASLFinal stays in out_; AuthenticationOk follows it.
        co_return AuthOutcome::kAuthenticated;
      case protocol::scram::ScramServer::Step::kFailure:
        spdlog::warn("connection from {}: password authentication failed for user \"{}\"", peer_,
                     user);
        co_await SendFatal(failed);
        co_return AuthOutcome::kRefused;
    }
  }
}

asio::awaitable<Session::Next> Session::HandleMalformedMessage(char type, const Error& error) {
  if (type == 'S') {
    // postgres.c: a Sync always ends the skip; its own error fails the transaction, which the
    // Sync then ends as after any error (an implicit one rolls back).
    skip_to_sync_ = false;
    co_await FailErrorOutsideEngine(error);
    co_return co_await HandleSync();
  }
  if (skip_to_sync_) co_return Next::kContinue;
  switch (type) {
    case 'P':
    case 'B':
    case 'D':
    case 'E':
    case 'C':
    case 'H':
      co_await FailExtended(error);
      co_return Next::kContinue;
    default:
      // A Query: the error is that message's, so the implicit transaction of unsynced
      // extended-protocol messages before it rolls back, as PostgreSQL aborts it.
      co_await FailErrorOutsideEngine(error);
      co_await EndImplicitBlock();
      if (tx_status_ == 'I') extended_.CloseAllPortals();
      AppendPendingParameterStatus();
      protocol::AppendReadyForQuery(out_, tx_status_);
      co_return Next::kContinue;
  }
}

asio::awaitable<Session::Next> Session::Immediately(Next next) { co_return next; }

asio::awaitable<Session::Next> Session::HandleMessage(const protocol::FrontendMessage& msg) {
  if (std::holds_alternative<protocol::Terminate>(msg)) return Immediately(Next::kClose);
  if (std::holds_alternative<protocol::Sync>(msg)) return HandleSync();
  // After an error in an extended-protocol sequence, everything up to Sync is discarded.
  if (skip_to_sync_) return Immediately(Next::kContinue);
  if (const auto* query = std::get_if<protocol::Query>(&msg)) return HandleQueryMessage(*query);
  if (const auto* parse = std::get_if<protocol::Parse>(&msg)) return HandleParse(*parse);
  if (const auto* bind = std::get_if<protocol::Bind>(&msg)) return HandleBind(*bind);
  if (const auto* describe = std::get_if<protocol::Describe>(&msg)) {
    return HandleDescribe(*describe);
  }
  if (const auto* execute = std::get_if<protocol::Execute>(&msg)) return HandleExecute(*execute);
  if (const auto* close = std::get_if<protocol::Close>(&msg)) return HandleClose(*close);
  return [](Session& self, const protocol::FrontendMessage& m) -> asio::awaitable<Next> {
    if (std::holds_alternative<protocol::Flush>(m)) {
      co_return co_await self.Flush() ? Next::kContinue : Next::kClose;
    }
    if (const auto* call = std::get_if<protocol::FunctionCall>(&m)) {
      co_await self.HandleFunctionCall(*call);
    }
    co_return Next::kContinue;  // IgnoredMessage
  }(*this, msg);
}

asio::awaitable<Session::Next> Session::HandleQueryMessage(const protocol::Query& query) {
  co_await EndImplicitBlock();
  const Next next = co_await HandleQuery(query.sql);
  // A transaction that ended drops its portals, whichever message ended it.
  if (tx_status_ == 'I') extended_.CloseAllPortals();
  co_return next;
}

asio::awaitable<void> Session::HandleFunctionCall(const protocol::FunctionCall& call) {
  // As PostgreSQL's HandleFunctionRequest: a failed block refuses it before the message is read;
  // otherwise the OID names no function this server can call (it has no pg_proc), so
  // fetch_fp_info's error. An ERROR like any other: the session carries on.
  Error error;
  if (tx_status_ == static_cast<char>(engine::TxStatus::kFailed)) {
    error =
        Error(sqlstate::kInFailedSqlTransaction,
              "current transaction is aborted, commands ignored until end of transaction block");
  } else if (!call.function_oid) {
    error = Error(sqlstate::kProtocolViolation, "insufficient data left in message");
  } else {
    error = Error(sqlstate::kUndefinedFunction,
                  "function with OID " + std::to_string(*call.function_oid) + " does not exist");
  }
  co_await FailErrorOutsideEngine(error);
  protocol::AppendReadyForQuery(out_, tx_status_);
}

asio::awaitable<void> Session::FailErrorOutsideEngine(const Error& error) {
  spdlog::warn("session {}: ERROR {}: {}", id_, error.sqlstate, error.message);
  if (tx_status_ == static_cast<char>(engine::TxStatus::kInTransaction)) {
    // Any error fails the open transaction block, as in PostgreSQL.
    engine::Cluster& cluster = server_.cluster();
    engine::SessionState& state = *engine_state_;
    auto fail = [&cluster, &state]() -> char {
      cluster.FailStatement(state);
      return static_cast<char>(state.tx_status());
    };
    tx_status_ = co_await RunOnEngine(server_.queue(), std::move(fail));
  }
  protocol::AppendErrorResponse(out_, error);
}

asio::awaitable<Result<std::vector<engine::sql::ParsedStatement>*>> Session::ParseQuery(
    std::string_view sql, std::chrono::steady_clock::time_point start, bool uncached) {
  if (stopping_) co_return Fail(sqlstate::kAdminShutdown, "the parse was abandoned");
  if (!uncached) {
    // A cache hit costs a linear scan of the text and a walk of the cached tree: done here, as
    // the UTF-8 check is; only libpg_query (which can take seconds on a hostile string) moves off.
    if (std::vector<engine::sql::ParsedStatement>* hit = parse_cache_.Lookup(sql)) co_return hit;
  }

  const bool timed = statement_timeout_ms_ > 0;
  const auto deadline = timed ? start + std::chrono::milliseconds(statement_timeout_ms_)
                              : std::chrono::steady_clock::now() + std::chrono::hours(24 * 365);
  if (abandoned_parse_) {
    // One parse per session at a time, as a PostgreSQL backend parses one query at a time: the
    // parse of an earlier query whose statement_timeout passed may still run. Starting another
    // beside it would let one client pile up parse threads (and the buffers they read) without
    // bound; so this query's time goes to waiting for that one first.
    ParseCall& previous = *abandoned_parse_;
    co_await AwaitParse(previous, deadline);
    bool previous_done = false;
    {
      std::lock_guard<std::mutex> lock(previous.mu);
      previous.strand.reset();
      previous_done = previous.worker_done;
    }
    if (stopping_ || client_gone_) {
      co_return Fail(sqlstate::kAdminShutdown, "the parse was abandoned");
    }
    if (!previous_done) co_return Fail(CanceledError());
    abandoned_parse_.reset();
  }

  // A query string long only for its string literals (an insert of a 50 MB document) is parsed
  // as a skeleton of the same shape with those literals cut short, and the cache writes the real
  // values into its tree: libpg_query would hold three more copies of the text. When the skeleton
  // does not do (its tree fails the cache's checks, or it fails to parse), the string itself is
  // parsed, so that errors and their positions are PostgreSQL's.
  std::string skeleton = uncached ? std::string() : parse_cache_.Skeleton(sql);
  for (;;) {
    const bool skeletal = !skeleton.empty();
    auto call = std::make_shared<ParseCall>();
    call->strand = socket_.get_executor();
    auto done = [call, this](Result<std::vector<engine::sql::ParsedStatement>> r) {
      std::lock_guard<std::mutex> lock(call->mu);
      call->worker_done = true;
      if (!call->finished) call->result.emplace(std::move(r));
      // An abandoned result dies here, on the worker.
      if (!call->strand) return;
      asio::post(*call->strand, [call, this] {
        std::lock_guard<std::mutex> relock(call->mu);
        if (call->strand) parse_timer_.cancel();  // still waiting, so `this` is alive
      });
    };
    std::shared_ptr<std::vector<char>> held;           // in_, when the worker reads sql itself
    std::shared_ptr<const std::string> skeleton_text;  // kept for InsertSkeleton
    bool started = false;
    if (skeletal) {
      skeleton_text = std::make_shared<const std::string>(std::move(skeleton));
      started = engine::sql::ParseOnWorker(skeleton_text, *skeleton_text, std::move(done));
    } else {
      // The text goes to the worker in place, not copied (a 50 MB query stays 50 MB): in_ moves
      // into a buffer the worker holds until its parse returns, and comes back below.
      SQLRITE_ASSERT(sql.data()[sql.size()] == '\0');  // a Query message's string ends in a NUL
      held = std::make_shared<std::vector<char>>(std::move(in_));
      in_ = std::vector<char>();
      started = engine::sql::ParseOnWorker(held, sql, std::move(done));
      if (!started) in_ = std::move(*held);
    }
    if (!started) {
      co_return Fail(Error(sqlstate::kOutOfMemory, "out of memory")
                         .WithDetail("Could not start a thread to parse the query."));
    }
    co_await AwaitParse(*call, deadline);

    std::optional<Result<std::vector<engine::sql::ParsedStatement>>> result;
    {
      std::lock_guard<std::mutex> lock(call->mu);
      call->finished = true;
      call->strand.reset();
      result.swap(call->result);
    }
    if (result) {
      if (held) {
        // The worker let go of the text before it delivered.
        SQLRITE_ASSERT(held.use_count() == 1);
        in_ = std::move(*held);
      }
    } else {
      if (held) {
        // The parse may still be reading the text: leave the worker the buffer, and go on with a
        // new one holding the input after this message. in_begin_ wraps round so that Serve's
        // `in_begin_ += consumed` for this message lands on 0.
        const size_t tail = in_end_ - message_end_;
        in_.resize(std::max(kInitialBufferSize, tail));
        std::memcpy(in_.data(), held->data() + message_end_, tail);
        in_begin_ -= message_end_;
        in_end_ = tail;
        message_end_ = 0;
      }
      abandoned_parse_ = std::move(call);
    }
    if (stopping_ || client_gone_) {
      co_return Fail(sqlstate::kAdminShutdown, "the parse was abandoned");
    }
    if (!result) co_return Fail(CanceledError());
    if (uncached) {
      if (!*result) co_return Fail(std::move(result->error()));
      prepared_parse_ = std::move(**result);
      co_return &prepared_parse_;
    }
    if (!skeletal) co_return parse_cache_.Insert(sql, std::move(*result));
    if (std::vector<engine::sql::ParsedStatement>* parsed =
            parse_cache_.InsertSkeleton(*skeleton_text, sql, std::move(*result))) {
      co_return parsed;
    }
    skeleton.clear();  // round again for the string itself
  }
}

asio::awaitable<void> Session::AwaitParse(ParseCall& call,
                                          std::chrono::steady_clock::time_point deadline) {
  parse_timer_.expires_at(deadline);
  parsing_ = true;
  WatchForDisconnect(++parse_generation_);
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(call.mu);
      if (call.worker_done) break;
      call.strand = socket_.get_executor();  // the worker wakes us from here on
    }
    if (stopping_ || client_gone_ || std::chrono::steady_clock::now() >= deadline) break;
    if (interrupt_ && interrupt_->reason() != engine::InterruptReason::kNone) break;
    // Ended by the worker, the deadline, shutdown or the client leaving: the state above says
    // which, not the timer's error code (a wake-up meant for an earlier wait is waited out).
    co_await parse_timer_.async_wait(kAsTuple);
  }
  parsing_ = false;
  asio::error_code ignored;
  socket_.cancel(ignored);  // ends WatchForDisconnect's wait
}

void Session::WatchForDisconnect(uint64_t generation) {
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this(), generation](const asio::error_code& ec) {
                       if (ec || !self->parsing_ || generation != self->parse_generation_) return;
                       // A client that pipelined more messages before closing (or half-closing) its
                       // side still reads their answers, as from PostgreSQL.
                       if (self->in_end_ > self->message_end_) return;
                       // Readable: the peer reset the connection, said goodbye (Terminate) and
                       // perhaps closed, or sent more. A bare end of stream is not a goodbye: a
                       // client that half-closes after its query still reads the answer, as from
                       // PostgreSQL (one that closed fully makes the answer's write fail, which
                       // ends the session then).
                       char peek[5];
                       const ssize_t n = ::recv(self->socket_.native_handle(), peek, sizeof(peek),
                                                MSG_PEEK | MSG_DONTWAIT);
                       static constexpr char kTerminate[5] = {'X', 0, 0, 0, 4};
                       const bool gone = (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
                                         (n == 5 && std::memcmp(peek, kTerminate, 5) == 0);
                       if (!gone) return;
                       self->client_gone_ = true;
                       self->parse_timer_.cancel();
                     });
}

asio::awaitable<Session::Next> Session::HandleQuery(std::string_view sql) {
  const auto received = std::chrono::steady_clock::now();
  // A cancel or timeout meant for an earlier query is forgotten (PostgreSQL ignores a cancel
  // that arrives while it waits for a command).
  if (interrupt_) interrupt_->Clear();
  extended_.CloseStatement("");  // as PostgreSQL's exec_simple_query drops the unnamed one
  // The statements stay the cache's, untouched until the next query of this session.
  // As pq_getmsgstring: the text must be valid in the client encoding before anything reads it.
  if (std::optional<size_t> bad = protocol::FindInvalidUtf8(sql)) {
    co_await FailErrorOutsideEngine(protocol::InvalidUtf8Error(sql, *bad));
    protocol::AppendReadyForQuery(out_, tx_status_);
    co_return Next::kContinue;
  }
  Result<std::vector<engine::sql::ParsedStatement>*> parsed = co_await ParseQuery(sql, received);
  if (client_gone_) {
    spdlog::info("session {}: the client went away during a parse", id_);
    co_return Next::kClose;
  }
  if (stopping_) {
    co_await SendFatal(
        Fatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
    co_return Next::kClose;
  }
  if (!parsed) {
    co_await FailErrorOutsideEngine(parsed.error());
    protocol::AppendReadyForQuery(out_, tx_status_);
    co_return Next::kContinue;
  }
  std::vector<engine::sql::ParsedStatement>& statements = **parsed;
  if ((*parsed)->empty()) {
    protocol::AppendEmptyQueryResponse(out_);
    protocol::AppendReadyForQuery(out_, tx_status_);
    co_return Next::kContinue;
  }

  if (Status hashed = HashRolePasswords(statements); !hashed) {
    co_await FailErrorOutsideEngine(hashed.error());
    protocol::AppendReadyForQuery(out_, tx_status_);
    co_return Next::kContinue;
  }

  // COPY runs its own sub-protocol between its start and its end, so it must be the query
  // string's only statement here (PostgreSQL also runs it among others).
  if (statements.size() > 1) {
    for (const engine::sql::ParsedStatement& stmt : statements) {
      if (stmt.statement && std::holds_alternative<ast::Copy>(*stmt.statement)) {
        co_await FailErrorOutsideEngine(
            Error(sqlstate::kFeatureNotSupported,
                  "COPY in a query string of several statements is not supported yet"));
        protocol::AppendReadyForQuery(out_, tx_status_);
        co_return Next::kContinue;
      }
    }
  }

  engine::Cluster& cluster = server_.cluster();
  engine::EngineQueue& queue = server_.queue();
  engine::SessionState& state = *engine_state_;

  // A lone SELECT that reads the newest durable commit runs here, off the engine thread
  // (engine/snapshot_read.h), its rows streamed as they come.
  if (statements.size() == 1 && statements[0].statement) {
    Result<std::optional<engine::Cluster::SnapshotRead>> read =
        cluster.ReadOnSnapshot(state, *statements[0].statement, sql, nullptr);
    if (!read || *read) {
      Next next = Next::kContinue;
      if (!read) {
        spdlog::warn("session {}: ERROR {}: {}", id_, read.error().sqlstate, read.error().message);
        protocol::AppendErrorResponse(out_, read.error());
        if (read.error().severity == Severity::kFatal) next = Next::kClose;
      } else {
        // statement_timeout (a timer only when set) covers every read; the peer watch (a socket
        // wait per statement) only reads that may run long.
        const bool watched = !(*read)->bounded;
        const bool timed = ArmStatementTimeout(received);
        if (watched) WatchPeer();
        next = co_await StreamSnapshotRead(**read);
        if (watched) UnwatchPeer();
        if (timed) DisarmTimer();
        read->reset();  // the snapshot goes before the answer is complete
      }
      parse_cache_.ReleaseUncached();
      tx_status_ = static_cast<char>(state.tx_status());
      if (next == Next::kClose) co_return Next::kClose;
      protocol::AppendReadyForQuery(out_, tx_status_);
      co_return Next::kContinue;
    }
  }

  // One engine round trip for the whole query string; formatting happens back here.
  auto submit = [&](StatementRun::Deliver deliver) {
    std::make_shared<StatementRun>(cluster, queue, state, sql, statements, std::move(deliver))
        ->SubmitNext();
  };
  // statement_timeout, counted from the Query's arrival, stops a running statement: the timer
  // raises the flag its row loops poll (a parked one is ended by the engine's own timer).
  // A string of a few short statements (a point UPDATE, a COMMIT: Cluster::RunsShort) runs on
  // this io thread when the engine is idle, skipping the two thread crossings.
  auto here = [&cluster, &state, &statements] {
    constexpr size_t kShortStatementsHere = 4;
    if (statements.size() > kShortStatementsHere) return false;
    for (const engine::sql::ParsedStatement& stmt : statements) {
      if (stmt.statement && !cluster.RunsShort(state, *stmt.statement)) return false;
    }
    return true;
  };
  const bool timed = ArmStatementTimeout(received);
  std::optional<DelayedPeerWatch> watch(std::in_place, peer_watches_, timer_.get_executor(), *this);
  Result<QueryBatch> batch =
      co_await CompleteOnEngine<Result<QueryBatch>>(queue, std::move(submit), here);
  watch.reset();
  UnwatchPeer();
  if (timed) DisarmTimer();
  // The statements have run: a tree not kept by the cache (one with a 50 MB literal) goes before
  // the answer is formatted.
  parse_cache_.ReleaseUncached();
  if (!batch) {
    spdlog::error("session {}: {}", id_, batch.error().message);
    protocol::AppendErrorResponse(out_, batch.error());
    protocol::AppendReadyForQuery(out_, tx_status_);
    co_return Next::kContinue;
  }
  tx_status_ = batch->tx_status;
  statement_timeout_ms_ = batch->statement_timeout_ms;
  idle_in_transaction_timeout_ms_ = batch->idle_in_transaction_timeout_ms;

  // Reported like PostgreSQL's ReportChangedGUCOptions: once per name, with the final value,
  // just before ReadyForQuery.
  engine::Cluster::Params changed;
  auto note_change = [&changed](std::pair<std::string, std::string> change) {
    auto same = std::find_if(changed.begin(), changed.end(),
                             [&](const auto& c) { return c.first == change.first; });
    if (same == changed.end()) {
      changed.push_back(std::move(change));
    } else {
      same->second = std::move(change.second);
    }
  };
  for (size_t result_index = 0; result_index < batch->results.size(); ++result_index) {
    Result<engine::QueryResult>& r = batch->results[result_index];
    const OutputSettings* output =
        result_index < batch->output.size() ? &batch->output[result_index] : nullptr;
    if (!r) {
      spdlog::warn("session {}: ERROR {}: {}", id_, r.error().sqlstate, r.error().message);
      protocol::AppendErrorResponse(out_, r.error());
      // A FATAL (57P01 from a shutdown that interrupted the statement) ends the connection: as
      // from PostgreSQL, nothing follows it, not even ReadyForQuery.
      if (r.error().severity == Severity::kFatal) co_return Next::kClose;
      break;
    }
    for (const Error& notice : r->notices) protocol::AppendNoticeResponse(out_, notice);
    for (auto& change : r->parameter_status) note_change(std::move(change));
    if (r->copy) {
      if (co_await RunCopy(*r->copy) == Next::kClose) co_return Next::kClose;
      continue;
    }
    if (r->returns_rows) {
      const std::vector<engine::ColumnInfo>& columns = r->columns;
      size_t start = protocol::BeginRowDescription(out_, static_cast<uint16_t>(columns.size()));
      for (const engine::ColumnInfo& c : columns) {
        protocol::FieldDescription f;
        f.name = c.name;
        f.type_oid = engine::TypeOid(c.sql_type());
        f.type_len = engine::TypeLen(c.type);
        // A record's typmod names its shape inside the engine; the wire says -1, as PostgreSQL.
        f.type_mod = c.type == engine::TypeId::kRecord ? -1 : c.typmod;
        f.format = r->binary ? 1 : 0;  // FETCH from a BINARY cursor, as exec_simple_query
        protocol::AppendFieldDescription(out_, f);
      }
      protocol::EndMessage(out_, start);
      if (!co_await SendDataRows(r->rows, columns, r->binary, output)) co_return Next::kClose;
    }
    protocol::AppendCommandComplete(out_, r->command_tag);
  }
  for (auto& change : batch->restored_parameters) note_change(std::move(change));
  for (const auto& [name, value] : changed) {
    if (name == "application_name" && activity_) activity_->SetApplicationName(value);
    protocol::AppendParameterStatus(out_, name, value);
  }
  protocol::AppendReadyForQuery(out_, tx_status_);
  co_return Next::kContinue;
}

asio::awaitable<bool> Session::SendDataRows(std::vector<engine::Row>& rows,
                                            const std::vector<engine::ColumnInfo>& columns,
                                            bool binary, const OutputSettings* output) {
  const engine::DateTimeContext* datetime =
      output != nullptr && output->datetime ? &*output->datetime : engine_state_->datetime();
  if (binary) {
    const std::vector<int16_t> formats(columns.size(), 1);
    for (engine::Row& row : rows) {
      {
        // Per row, never across a co_await: another session may run on this thread meanwhile.
        engine::DateTimeScope scope_datetime(datetime);
        AppendDataRow(out_, row, columns, formats);
      }
      engine::Row().swap(row);  // encoded: its memory goes now
      if (out_.size() >= kFlushThreshold && !co_await Flush()) co_return false;
    }
    co_return true;
  }
  // Long text values (a 50 MB document) are written from the row itself: copied into out_,
  // they would be held twice, and three times while out_ grows past them.
  // Each row's memory is released once it is encoded (or, for a long value written from the
  // row, once it is flushed), so the rows already sent do not stay until the result ends.
  std::vector<std::pair<size_t, std::string_view>> direct;
  std::shared_ptr<engine::SessionLocals> locals = ByteaOutputLocals(*engine_state_, columns);
  if (locals != nullptr && output != nullptr && output->locals != nullptr) locals = output->locals;
  for (engine::Row& row : rows) {
    size_t row_start = protocol::BeginDataRow(out_, static_cast<uint16_t>(row.size()));
    size_t direct_bytes = 0;
    for (size_t i = 0; i < row.size(); ++i) {
      if (engine::IsNull(row[i])) {
        protocol::AppendNullField(out_);
        continue;
      }
      size_t field = protocol::BeginField(out_);
      const engine::TypeId type = i < columns.size() ? columns[i].type : engine::TypeId::kText;
      // Its own text form (not bytea's, uuid's, a bit string's, ... stored bytes).
      const auto* text = IsOwnText(type) ? std::get_if<std::string>(&row[i]) : nullptr;
      if (text != nullptr && text->size() >= kDirectFieldBytes) {
        direct.emplace_back(out_.size(), *text);
        direct_bytes += text->size();
        protocol::EndField(out_, field);
        StoreBE32(out_.data() + field, static_cast<uint32_t>(text->size()));
        continue;
      }
      {
        // The session's TimeZone for timestamptz; scoped per value, never across a co_await
        // (another session may run on this thread meanwhile).
        engine::DateTimeScope scope_datetime(datetime);
        engine::SessionLocalsScope scope_locals(locals);
        engine::AppendText(out_, row[i], type);
      }
      protocol::EndField(out_, field);
    }
    protocol::EndMessage(out_, row_start);
    if (direct_bytes > 0) {
      StoreBE32(out_.data() + row_start,
                static_cast<uint32_t>(out_.size() - row_start + direct_bytes));
    }
    if (!direct.empty()) {
      if (!co_await FlushWith(direct)) co_return false;
      direct.clear();
    } else if (out_.size() >= kFlushThreshold && !co_await Flush()) {
      co_return false;
    }
    engine::Row().swap(row);
  }
  co_return true;
}

asio::awaitable<Result<size_t>> Session::PullBatch(engine::RowSource& rows, bool bounded,
                                                   size_t max_rows, std::vector<engine::Row>* out) {
  if (bounded) co_return rows.NextBatch(max_rows, out);
  co_return co_await RunOnWorker([&rows, max_rows, out] { return rows.NextBatch(max_rows, out); });
}

asio::awaitable<Session::Next> Session::StreamSnapshotRead(engine::Cluster::SnapshotRead& read) {
  // EXPLAIN ANALYZE's first pull runs the whole query: as PostgreSQL, its plan is described only
  // once the query ran, so an error is answered without a RowDescription.
  bool described = !read.explain;
  if (described) AppendRowDescription(out_, read.columns, {});
  uint64_t count = 0;
  std::vector<engine::Row> batch;
  for (;;) {
    batch.clear();
    Result<size_t> got = co_await PullBatch(*read.rows, read.bounded, kSnapshotBatchRows, &batch);
    if (!got) {
      // As PostgreSQL: the rows already sent stay sent and the error follows them.
      spdlog::warn("session {}: ERROR {}: {}", id_, got.error().sqlstate, got.error().message);
      protocol::AppendErrorResponse(out_, got.error());
      co_return got.error().severity == Severity::kFatal ? Next::kClose : Next::kContinue;
    }
    if (!described) {
      AppendRowDescription(out_, read.columns, {});
      described = true;
    }
    if (*got == 0) break;
    count += *got;
    if (!co_await SendDataRows(batch, read.columns, /*binary=*/false)) co_return Next::kClose;
  }
  protocol::AppendCommandComplete(
      out_, read.explain ? std::string("EXPLAIN") : "SELECT " + std::to_string(count));
  co_return Next::kContinue;
}

}  // namespace sqlrite::server
