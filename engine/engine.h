#pragma once
// The engine facade: what the server calls. A Cluster is a data directory (one database file per
// database, a global file for roles and the database list, a lock so only one server uses it).
//
// Threading: every Cluster method runs on the engine thread (see EngineQueue); the engine is
// single-threaded by design, so no method locks. Parsing (engine/sql/parser.h) and text
// formatting of results (engine/value.h) are pure and run on session threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/datetime_context.h"
#include "engine/engine_queue.h"
#include "engine/interrupt.h"
#include "engine/params.h"
#include "engine/row_source.h"
#include "engine/sql/ast.h"
#include "engine/value.h"

namespace sqlrite::storage {
class FileSystem;
}

namespace sqlrite::engine {

struct ColumnInfo {
  std::string name;
  TypeId type = TypeId::kText;
  int32_t typmod = -1;
  TypeId elem = TypeId::kUnknown;  // an array's element type (SqlType::elem)
  uint32_t enum_oid = 0;           // an enum's (or an array of one's) type (SqlType::enum_oid)
  SqlType sql_type() const { return SqlType{type, typmod, elem, enum_oid}; }
};

// A COPY that started: the server runs the COPY sub-protocol (CopyInResponse / CopyOutResponse)
// and then calls CopyInData/CopyInDone/CopyAbort or CopyOutNext until the COPY is over.
struct CopyStart {
  bool from = false;    // FROM STDIN (else TO STDOUT)
  bool binary = false;  // the overall format (per-column formats follow it)
  size_t columns = 0;
};

struct QueryResult {
  bool returns_rows = false;  // SELECT, RETURNING, SHOW: send RowDescription (even for 0 rows)
  std::vector<ColumnInfo> columns;  // when returns_rows
  std::vector<Row> rows;
  std::string command_tag;     // exactly as PostgreSQL: "SELECT 2", "INSERT 0 3", "CREATE TABLE"
  std::vector<Error> notices;  // NOTICEs to send before the result (e.g. IF EXISTS skipped)
  // Reported parameters that this statement changed (SET application_name ...): the server sends
  // a ParameterStatus for each, as PostgreSQL does for GUC_REPORT variables.
  std::vector<std::pair<std::string, std::string>> parameter_status;
  // True when this statement committed a write whose durability is pending: the result may be
  // acknowledged only after the batch's Cluster::SyncCommits() succeeded (group commit).
  bool awaits_sync = false;
  // FETCH from a BINARY cursor: every column goes out in binary format, whatever the protocol.
  bool binary = false;
  // SELECT: PostgreSQL's plan for it could run backward (ExecSupportsBackwardScan; see
  // executor_select.cc), so a cursor declared over it without [NO] SCROLL may scroll.
  bool backward_scan = false;
  // Set for a COPY FROM STDIN / TO STDOUT that has begun (no command tag yet).
  std::optional<CopyStart> copy;
};

// The transaction status a ReadyForQuery reports.
enum class TxStatus : char { kIdle = 'I', kInTransaction = 'T', kFailed = 'E' };

class Cluster;
struct ProtocolStatementLink;

// Per-connection engine state. Created by Cluster::Connect, ended by Cluster::Disconnect (which
// rolls back an open transaction). Owned by the session, touched only on the engine thread.
class SessionState {
 public:
  virtual ~SessionState() = default;
  virtual TxStatus tx_status() const = 0;
  // Inside an implicit transaction (ast::Transaction::Implicit), which the server ends itself;
  // false once a BEGIN made it an explicit block.
  virtual bool in_implicit_block() const = 0;
  virtual const std::string& database() const = 0;
  virtual const std::string& user() const = 0;
  // statement_timeout in milliseconds (0: none), for the server, which also applies it to parsing.
  virtual int64_t statement_timeout_ms() const { return 0; }
  // idle_in_transaction_session_timeout in milliseconds (0: none), which the server applies.
  virtual int64_t idle_in_transaction_timeout_ms() const { return 0; }
  // The flag this session's statements poll besides the cluster's (engine/interrupt.h): raised
  // from any thread (a CancelRequest, the server's statement_timeout timer) to stop the running
  // statement; cleared by the server when a query arrives. Shared, so that whoever holds it may
  // raise it after the session is gone. Null: the session cannot be interrupted.
  virtual std::shared_ptr<InterruptFlag> interrupt_flag() const { return nullptr; }
  // Whether the session holds its database's writer slot (an open block that wrote), or is a
  // point writer (engine/point_writer.h), which reads the newest commits the same way. Its
  // statements' results may be answered before earlier commits of other sessions are durable
  // (docs/decisions.md, "early lock release"); everyone else's wait for the group's fsync.
  virtual bool holds_writer() const { return false; }
  // What date/time values are read and printed with (the TimeZone setting, now()): the server
  // puts it in scope (engine/datetime_context.h) while it encodes the session's rows. Null:
  // UTC. Read on the session's own thread between its statements.
  virtual const DateTimeContext* datetime() const { return nullptr; }
};

class Cluster {
 public:
  struct Options {
    std::string data_dir = "./data";
    std::string superuser = "postgres";  // the role created at the first start
    // Its password, as a SCRAM-SHA-256 secret (protocol/scram.h), set when the directory is
    // initialised (a later start does not change it, as the postgres image's POSTGRES_PASSWORD).
    // nullopt: no password.
    std::optional<std::string> superuser_secret;
    size_t cache_bytes = 64u << 20;
    enum class Synchronous { kOff, kNormal, kFull } synchronous = Synchronous::kFull;
    // The engine thread's queue, for the lock_timeout / statement_timeout timers of parked
    // statements (EngineQueue::PostAt). Null: parked statements wait without a time limit.
    EngineQueue* queue = nullptr;
    // Where the data directory's files live: null is the real disk. Tests pass a simulated
    // one (storage::FaultInjector). Not owned; must outlive the Cluster.
    storage::FileSystem* file_system = nullptr;
    // A database's log is checkpointed into its file once it passes this size.
    uint64_t wal_autocheckpoint_bytes = 16u << 20;
    // Point writers (engine/point_writer.h): READ COMMITTED blocks whose writes are point
    // statements keep private changes under row locks instead of taking the writer slot, so
    // several run at once. Off: every writing block takes the slot from its first write.
    bool point_writers = false;
  };

  // Opens the data directory, creating it (with database "postgres" and the superuser role) on
  // the first start, i.e. only when it is fresh (data_dir.h). Takes an exclusive lock on the
  // directory: a second Open of the same directory, in this or another process, fails with a
  // clear message (55006). A missing, empty or damaged global.sqlrite fails with XX001 naming
  // it; a damaged database file does not (connections to that database fail instead).
  static Result<std::unique_ptr<Cluster>> Open(const Options& options);
  virtual ~Cluster() = default;

  // Starts a session for user on database; `options` are the other startup-packet parameters
  // (application_name, client_encoding, DateStyle, ...). Authentication has happened before.
  // Errors: 28000 (role "x" does not exist; role "x" is not permitted to log in), 3D000 (database
  // "x" does not exist), 22023 for an unsupported client_encoding.
  using Params = std::vector<std::pair<std::string, std::string>>;
  virtual Result<std::unique_ptr<SessionState>> Connect(std::string_view user,
                                                        std::string_view database,
                                                        const Params& options) = 0;
  // What authentication needs to know about a role, before Connect: whether it exists, may log
  // in, its SCRAM secret if it has one, and the cluster's secret bytes for the mock salt an
  // exchange for an unknown role uses (protocol/scram.h).
  struct Credentials {
    bool exists = false;
    bool login = false;
    std::optional<std::string> secret;
    std::string mock_secret;
  };
  virtual Result<Credentials> LookupCredentials(std::string_view user) = 0;

  // Ends a session: rolls back its open transaction, releases its database.
  virtual void Disconnect(SessionState& session) = 0;

  // Executes one statement for session. A failed statement inside a transaction block puts the
  // session into the failed state (25P02 for what follows until ROLLBACK). Synchronous: a commit
  // is durable (SyncCommits ran) before it returns, so awaits_sync is never set; a write that
  // would have to wait for another session's transaction fails at once with 55P03 (for tests,
  // tools and the embedded benchmark; the server uses Submit).
  virtual Result<QueryResult> Execute(SessionState& session, const ast::Statement& statement) = 0;

  // Execute without the synchronous commit: as Submit, a commit's durability is left to the
  // batch epilogue (group commit), so its result keeps awaits_sync and the caller must pass it on
  // only after the epilogue's Status (EngineQueue::Defer). Never waits (55P03 as Execute). For
  // the server's implicit blocks, whose BEGIN and COMMIT are not the client's statements: their
  // commit then shares the batch's one log sync instead of syncing on the engine thread. The
  // default (test doubles) is Execute: a commit durable at once satisfies the same contract.
  virtual Result<QueryResult> ExecuteInBatch(SessionState& session,
                                             const ast::Statement& statement) {
    return Execute(session, statement);
  }

  // The same, for statements that may have to wait: a write while another session holds the
  // database's write transaction is parked (never blocking the engine thread or readers) and
  // runs when the writer commits or rolls back, or fails with 55P03 (lock_timeout) / 57014
  // (statement_timeout). `done` is called exactly once, on the engine thread, now or later.
  // REQUIRES: statement outlives the call to done.
  using Completion = EngineQueue::Callback<Result<QueryResult>>;
  virtual void Submit(SessionState& session, const ast::Statement& statement, Completion done) = 0;

  // Execute / Submit given the query string the statement was parsed from (sql::Parse's input):
  // error positions, which the engine computes as byte offsets, become the 1-based character
  // positions PostgreSQL reports. REQUIRES (Submit): query outlives the call to done.
  Result<QueryResult> Execute(SessionState& session, const ast::Statement& statement,
                              std::string_view query);
  void Submit(SessionState& session, const ast::Statement& statement, std::string_view query,
              Completion done);

  // ---- prepared statements (the extended query protocol) ----
  //
  // A statement is parsed once (at Parse), described once here, and executed any number of
  // times with bound values by SubmitWithParams: no execution runs libpg_query again.

  // What Describe found: one type per parameter ($1..$n, never kUnknown), and the result's
  // columns when the statement returns rows (SELECT, RETURNING, SHOW).
  struct Description {
    std::vector<SqlType> param_types;
    bool returns_rows = false;
    std::vector<ColumnInfo> columns;
  };
  // Binds statement against the session's catalog without running it. `declared` holds the
  // types the client gave (kUnknown: infer it from the context, as PostgreSQL does); $n past
  // them are added. Errors: the statement's binding errors (42P01, 42703, 42804, ...), 25P02
  // in a failed block (except for transaction control), 42P18 "could not determine data type of
  // parameter $n" when the context settles no type. Never waits and never writes.
  virtual Result<Description> Describe(SessionState& session, const ast::Statement& statement,
                                       std::vector<SqlType> declared) = 0;
  Result<Description> Describe(SessionState& session, const ast::Statement& statement,
                               std::vector<SqlType> declared, std::string_view query);

  // Submit (same waiting, group commit and awaits_sync) with $n bound to params->values[n-1]
  // (one value of params->types[n-1] each, as Describe reported them). REQUIRES: params and
  // query outlive the call to done.
  virtual void SubmitWithParams(SessionState& session, const ast::Statement& statement,
                                ParamContext* params, Completion done) = 0;
  void SubmitWithParams(SessionState& session, const ast::Statement& statement,
                        std::string_view query, ParamContext* params, Completion done);

  // ---- reads off the engine thread (engine/snapshot_read.h) ----
  //
  // A SELECT that runs on the calling thread against a snapshot of the newest durable commit,
  // pulled batch by batch as the client takes its rows. RowSource's contract, plus: NextBatch
  // turns an exception into an error (53200, XX000), and the source must be destroyed before
  // Disconnect of its session.
  struct SnapshotRead {
    std::vector<ColumnInfo> columns;
    bool backward_scan = false;  // as QueryResult::backward_scan
    // Reads O(log n) pages at most (a point lookup, no table): cheap enough for an io thread.
    bool bounded = false;
    std::unique_ptr<RowSource> rows;
    bool explain = false;  // EXPLAIN ANALYZE: the rows are its plan; the command tag is EXPLAIN
  };
  // nullopt when statement does not qualify (send it through Submit). Called on the session's
  // own thread, never the engine's, while the engine holds no statement of this session;
  // thread-safe with respect to everything the engine thread does. Errors as Submit's for the
  // statement (positions in characters of query), and the snapshot's (72000, XX001).
  virtual Result<std::optional<SnapshotRead>> ReadOnSnapshot(SessionState& /*session*/,
                                                             const ast::Statement& /*statement*/,
                                                             std::string_view /*query*/,
                                                             ParamContext* /*params*/) {
    return std::optional<SnapshotRead>();
  }

  // Whether statement's work in session is bounded by an index (engine/point_statement.h), so
  // that the server may run it on the session's own io thread when the engine is idle instead
  // of crossing to the engine thread (EngineQueue::TryRunHere). Engine thread: the server asks
  // it as TryRunHere's `fits`, holding the engine token. Reads the catalog; never waits or
  // writes. The default (test doubles of a Cluster): false, everything on the engine thread.
  virtual bool RunsShort(SessionState& /*session*/, const ast::Statement& /*statement*/) {
    return false;
  }

  // ---- SQL cursors as protocol portals ----
  //
  // A DECLAREd cursor is also a portal of the extended query protocol (they share one
  // namespace in PostgreSQL): Describe, Execute and Close of a portal the server does not hold
  // reach the session's cursor of that name. Execute runs `FETCH FORWARD n` through
  // SubmitWithParams.

  // The columns of session's cursor `name`, or nullopt when it has none of that name.
  virtual std::optional<std::vector<ColumnInfo>> CursorColumns(SessionState& /*session*/,
                                                               const std::string& /*name*/) {
    return std::nullopt;
  }
  // Closes session's cursor `name`; false when there is none (no error, as Close of a portal).
  virtual bool CloseCursor(SessionState& /*session*/, const std::string& /*name*/) { return false; }

  // ---- one name space for prepared statements (engine/prepared_link.h) ----
  //
  // Registers the protocol's named statement `name` (Parse, after Describe) as a prepared
  // statement of session's SQL level too. 42P05 when PREPARE holds the name. (The default, for
  // test doubles of a Cluster: nothing registered.)
  virtual Status RegisterProtocolStatement(SessionState& /*session*/, const std::string& /*name*/,
                                           std::shared_ptr<ProtocolStatementLink> /*link*/) {
    return Ok();
  }
  // The statement SQL PREPARE made under `name`, for the protocol's Bind or Describe of a name the
  // server does not hold: its tree (alive while owner is) and its description. nullopt when
  // PREPARE made none of that name (a protocol statement of that name is the server's own).
  struct SqlPreparedView {
    std::shared_ptr<const void> owner;
    const ast::Statement* statement = nullptr;
    Description description;
  };
  virtual std::optional<SqlPreparedView> FindSqlPrepared(SessionState& /*session*/,
                                                         const std::string& /*name*/) {
    return std::nullopt;
  }
  // Drops session's prepared statement `name` (the protocol's Close of one PREPARE made); false
  // when there is none (no error, as Close).
  virtual bool ClosePreparedStatement(SessionState& /*session*/, const std::string& /*name*/) {
    return false;
  }

  // ---- COPY (after Submit returned a result with `copy` set; engine/copy.h) ----
  // The whole COPY is one statement: FROM STDIN holds the database's writer slot from its start
  // to its end and inserts rows as their records complete, in the statement's transaction (a
  // savepoint inside a block); the engine thread serves other sessions between calls. TO STDOUT
  // reads a snapshot in pieces (the writer's own COPY TO reads its view, holding the slot), so
  // the table it reads does not change under it and no writer waits for it.
  //
  // Parses and inserts the records these CopyData payloads complete. An error (with
  // PostgreSQL's CONTEXT line) ends the COPY: rolled back, the block failed.
  // (The defaults, for test doubles of a Cluster, refuse: only a Submit that began a COPY leads
  // here.)
  virtual Status CopyInData(SessionState& session, const std::vector<std::string_view>& pieces) {
    static_cast<void>(session);
    static_cast<void>(pieces);
    return Fail(sqlstate::kProtocolViolation, "no COPY is in progress");
  }
  // CopyDone: the last record, then the statement commits ("COPY n"; awaits_sync when it did).
  virtual Result<QueryResult> CopyInDone(SessionState& session) {
    static_cast<void>(session);
    return Fail(sqlstate::kProtocolViolation, "no COPY is in progress");
  }
  // Ends a COPY that cannot go on (CopyFail, a protocol error): rolled back, the block failed.
  // Returns `error` as the statement's.
  virtual Error CopyAbort(SessionState& session, Error error) {
    static_cast<void>(session);
    return error;
  }
  // COPY TO: appends rows (each ending at an offset pushed to *row_ends) to *out, about
  // max_bytes at a time. A result (the command tag "COPY n") when the COPY is over.
  virtual Result<std::optional<QueryResult>> CopyOutNext(SessionState& session, size_t max_bytes,
                                                         std::string* out,
                                                         std::vector<size_t>* row_ends) {
    static_cast<void>(session);
    static_cast<void>(max_bytes);
    static_cast<void>(out);
    static_cast<void>(row_ends);
    return Fail(sqlstate::kProtocolViolation, "no COPY is in progress");
  }

  // Makes every commit since the last call durable (one WAL fsync per database with commits),
  // per Options::synchronous. The server calls it once per engine batch (group commit) before
  // acknowledging results with awaits_sync. On failure the commits are not acknowledged and the
  // affected databases refuse further writes until restart.
  virtual Status SyncCommits() = 0;
  // The same, acknowledged later: the fsyncs run on another thread while the engine thread
  // goes on, and ack runs on the engine thread with their status (engine/log_syncer.h). The
  // server's batch epilogue. The default syncs at once.
  virtual void SyncCommitsAsync(EngineQueue::Acknowledge ack) { ack(SyncCommits()); }

  // A statement of session failed before reaching the engine (a syntax error, an unsupported
  // construct): inside a transaction block that fails the block (25P02 until ROLLBACK), as in
  // PostgreSQL. Outside a block it does nothing.
  virtual void FailStatement(SessionState& session) = 0;

  // Remembers the cancel key the server handed the client in BackendKeyData for this session.
  virtual void SetCancelKey(SessionState& session, uint32_t process_id, uint32_t secret_key) = 0;
  // A CancelRequest, after the server raised the session's interrupt_flag() (which stops a
  // running statement at its next poll): when the session with that key has a statement
  // waiting (for the writer slot, or for DROP DATABASE's other sessions) and its flag is still
  // raised, the wait fails with the flag's error (57014 "canceling statement due to user
  // request"), as in PostgreSQL. A wrong key or a session with nothing waiting: nothing.
  virtual void Cancel(uint32_t process_id, uint32_t secret_key) = 0;

  // The ParameterStatus values to report after authentication, in order: server_version "15.0",
  // server_encoding, client_encoding, DateStyle, integer_datetimes, standard_conforming_strings,
  // TimeZone, application_name, IntervalStyle, is_superuser, session_authorization, ...
  virtual Params StartupParameters(const SessionState& session) const = 0;

  // Flushes everything and closes all files; later calls fail. Called once at shutdown.
  virtual Status Close() = 0;

  // Stops every running statement at its next interrupt poll (engine/interrupt.h) with the
  // reason's error, rolled back as any error; statements started later stop at their first
  // poll. The server raises kShutdown on SIGTERM, so a long statement cannot hold up shutdown.
  // Thread-safe: unlike every other method, callable from any thread.
  void Interrupt(InterruptReason reason) { interrupt_.Raise(reason); }
  // The flag every session's statements poll.
  const InterruptFlag& interrupt_flag() const { return interrupt_; }

 private:
  InterruptFlag interrupt_;
};

// The 1-based character position of a 1-based byte position in UTF-8 text (0 stays 0).
int CharacterPosition(std::string_view text, int byte_position);

// `sqlrited check`: opens the data directory read-only (taking its lock; nothing is written),
// checks every file's identity and every database file (page accounting, every B+tree's order
// and structure, index entries matching rows) and appends one line per finding to *report.
// Returns the operating system's error as it is (58030, 53100) when a file cannot be read, else
// an XX001 error when anything is wrong.
Status CheckDataDir(const std::string& data_dir, std::string* report);
// The same with the files on fs (tests: a simulated disk).
Status CheckDataDir(const std::string& data_dir, std::string* report, storage::FileSystem& fs);

}  // namespace sqlrite::engine
