#pragma once
// Session: the engine side of one connection: who, which database, and the run-time settings
// (SET / SHOW / RESET) with PostgreSQL's names and defaults.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/cursor.h"
#include "engine/database.h"
#include "engine/datetime_context.h"
#include "engine/deferred_constraints.h"
#include "engine/engine.h"
#include "engine/interrupt.h"
#include "engine/prepared_link.h"
#include "engine/session_locals.h"

namespace sqlrite::engine {

namespace exec {
class TempSpace;
}

// The transaction state of a session (see cluster.cc for the transitions).
struct TransactionState {
  bool in_block = false;  // inside BEGIN ... COMMIT/ROLLBACK
  bool failed = false;    // a statement of the block failed: 25P02 until ROLLBACK
  bool writer = false;    // holds its database's write transaction (Database::writer)
  // A REPEATABLE READ or SERIALIZABLE block's snapshot, taken by its first read (as PostgreSQL's
  // transaction snapshot, at the first statement, not at BEGIN); every read of the block sees
  // it until the block writes: the first write takes the writer slot and fails with 40001 when
  // a commit newer than the snapshot exists, else drops it (the writer's view is then the
  // snapshot plus the block's own changes). Null in READ COMMITTED, or once the block wrote.
  std::shared_ptr<Database::ReadView> snapshot;
  // A statement of the block took a snapshot (PostgreSQL's FirstSnapshotSet: anything but
  // transaction control, SET, SHOW and CHECKPOINT): the isolation level, READ WRITE and
  // [NOT] DEFERRABLE can no longer be changed.
  bool snapshot_taken = false;
  // The block is the extended query protocol's implicit transaction (ast::Transaction::implicit),
  // which DECLARE CURSOR does not count as a transaction block.
  ast::Transaction::Implicit implicit = ast::Transaction::Implicit::kNo;
  // SQL savepoints, innermost last, with the pager savepoint each maps to (0: taken before the
  // block's first write, so rolling back to it undoes every write).
  struct Savepoint {
    std::string name;
    uint32_t pager_id;
    std::map<std::string, std::string, std::less<>> settings;  // as they were at SAVEPOINT
    uint64_t cursor_mark = 0;                                  // CursorSet::Mark() at SAVEPOINT
  };
  std::vector<Savepoint> savepoints;
  // Settings as they were at BEGIN (ROLLBACK puts them back), and the value each SET LOCAL
  // setting had before its first SET LOCAL in the block (the block's end puts those back).
  // settings_at_begin is read only inside a block; it keeps its nodes between blocks, so the
  // next BEGIN's copy assignment reuses them instead of allocating every setting again.
  std::map<std::string, std::string, std::less<>> settings_at_begin;
  // Session::settings_version() when settings_at_begin was copied: a BEGIN with the same
  // version skips the copy (~8,500 instructions a pgbench read-write transaction).
  uint64_t settings_at_begin_version = UINT64_MAX;
  std::map<std::string, std::string, std::less<>> local_settings;
  // A READ COMMITTED block whose writes are point statements: its row locks' owner and its
  // private changes (engine/point_writer.h); inactive otherwise.
  PointTransaction point;
  // SET CONSTRAINTS' modes and the foreign-key checks deferred to COMMIT.
  DeferredConstraints deferred;
  // The block's COMMENT ON DATABASE statements, in order: the global file commits apart from
  // the database's transaction, so they are applied to it at the block's COMMIT
  // (engine/cluster.cc) and dropped by its ROLLBACK, or by ROLLBACK TO a savepoint taken before
  // them (`savepoints`: how many savepoints the block had when the statement ran).
  struct DatabaseComment {
    std::string database;
    std::string text;  // empty: remove
    size_t savepoints = 0;
  };
  std::vector<DatabaseComment> database_comments;
};

class Session final : public SessionState {
 public:
  Session(std::string user, Database& db);
  // Not copyable: hot_ points into values_' own nodes.
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  TxStatus tx_status() const override {
    if (!tx_.in_block) return TxStatus::kIdle;
    return tx_.failed ? TxStatus::kFailed : TxStatus::kInTransaction;
  }
  bool in_implicit_block() const override {
    return tx_.in_block && tx_.implicit != ast::Transaction::Implicit::kNo;
  }
  // A point writer's block reads the newest commits as the writer's does, and is answered the
  // same way (its statements at once, its COMMIT after the fsync covering it).
  bool holds_writer() const override { return tx_.writer || tx_.point.active(); }
  TransactionState& tx() { return tx_; }
  const TransactionState& tx() const { return tx_; }
  const std::string& database() const override { return db_->name(); }
  const std::string& user() const override { return user_; }
  Database& db() { return *db_; }
  // is_superuser as reported at startup (the role's attribute when the session began).
  void set_superuser(bool superuser) {
    values_["is_superuser"] = superuser ? "on" : "off";
    ++settings_version_;
  }
  // The session's SQL cursors (DECLARE / FETCH / CLOSE).
  CursorSet& cursors() { return cursors_; }
  // currval / lastval's memory of this session's nextval calls.
  SessionSequences& sequences() { return sequences_; }
  // PREPARE's statements by name, until DEALLOCATE or the session's end (never rolled back, as
  // PostgreSQL's), and the extended protocol's named ones, registered by the server at Parse
  // (engine/prepared_link.h: one name space; a link the server dropped at Close is gone).
  struct SqlPrepared {
    std::vector<SqlType> types;  // $1.. as PREPARE declared or its describe inferred them
    std::shared_ptr<const ast::PreparedBody> body;  // null for a protocol statement
    std::shared_ptr<ProtocolStatementLink> link;    // null for PREPARE's
    const ast::Statement& statement() const { return link ? *link->statement : body->statement; }
  };
  std::map<std::string, SqlPrepared, std::less<>>& sql_prepared() { return sql_prepared_; }
  int64_t statement_timeout_ms() const override { return TimeoutMs("statement_timeout"); }
  int64_t idle_in_transaction_timeout_ms() const override {
    return TimeoutMs("idle_in_transaction_session_timeout");
  }
  std::shared_ptr<InterruptFlag> interrupt_flag() const override { return interrupt_; }
  // The TimeZone setting's zone and the current transaction's and statement's start.
  const DateTimeContext* datetime() const override { return &datetime_; }
  // pg_backend_pid()'s process id and random()'s generator, reached from any thread the
  // session's statements run on (engine/session_locals.h).
  const std::shared_ptr<SessionLocals>& locals() const { return locals_; }
  // A statement starts now: statement_timestamp() moves, and now() too unless the statement
  // runs inside a transaction block (a block's statements share the time of its first one,
  // which is the BEGIN). REQUIRES: called before the statement changes tx().in_block.
  void BeginStatement();

  // SET name = value (also startup-packet options). Errors: 42704 unknown parameter, 55P02
  // read-only parameter, 22023 invalid value. Appends to result.parameter_status when the
  // parameter is one PostgreSQL reports.
  Status Set(std::string_view name, std::string_view value, QueryResult* result);
  Status Reset(std::string_view name, QueryResult* result);
  // SET / RESET / set_config of one parameter (lower-case name) with the checks PostgreSQL's
  // hooks make of the transaction parameters inside a block (check_XactIsoLevel,
  // check_transaction_read_only, check_transaction_deferrable): a mode that could change what
  // earlier statements saw, or a subtransaction's, is refused with 25001. The value is validated
  // first (22023 before 25001, as PostgreSQL).
  Status SetParameter(const std::string& name, const std::string& value, bool reset,
                      QueryResult* result);
  // What Set would store for name = value, or its error, without setting anything.
  Result<std::string> Validate(std::string_view name, std::string_view value) const;
  Result<QueryResult> Show(std::string_view name) const;
  // The value of a parameter by its canonical or lower-case name ("" if unknown).
  std::string Get(std::string_view name) const { return std::string(View(name)); }
  // The same without a copy: valid until the session's parameters change (Set, Reset, BEGIN,
  // the block's end). The checks made before each statement (transaction_read_only,
  // transaction_isolation) read it.
  std::string_view View(std::string_view name) const;
  // The search_path setting's own string: it lives as long as the session and always holds the
  // current value (SET and set_config assign to it), so a holder sees later changes.
  const std::string* SearchPathSetting() const;
  // lock_timeout / statement_timeout in milliseconds (0: none). name: the lower-case spelling.
  int64_t TimeoutMs(std::string_view name) const;
  // work_mem / temp_file_limit in kB (temp_file_limit's -1: none). name: the lower-case spelling.
  int64_t SettingKb(std::string_view name) const;
  double hash_mem_multiplier() const;
  // Where the statements of the session spill (the cluster's base/pgsql_tmp); null: nowhere.
  exec::TempSpace* temp_space() const { return temp_space_; }
  void set_temp_space(exec::TempSpace* space) { temp_space_ = space; }

  // BEGIN: the block's transaction_isolation / _read_only / _deferrable take their default_
  // values (what Set of each default would do, without its lookups and copies).
  void BeginTransactionModes();

  // Every setting, by lower-case name: what a transaction block saves to put back on ROLLBACK.
  using Settings = std::map<std::string, std::string, std::less<>>;
  const Settings& settings() const { return values_; }
  // Changes whenever a setting's value may have changed: a copy of settings() taken at version
  // v still equals them while settings_version() == v (BEGIN keeps its copy on that basis).
  uint64_t settings_version() const { return settings_version_; }
  // Puts saved settings back, appending a ParameterStatus to result for each reported one whose
  // value changes (PostgreSQL reverts SET in a rolled-back block and reports the old value).
  void RestoreSettings(const Settings& saved, QueryResult* result);

  // Interrupts: the session's statements poll the cluster's flag (set once, at Connect) and the
  // session's own (for cancelling or timing out its running statement; thread-safe to raise).
  void WatchClusterInterrupt(const InterruptFlag* cluster) { cluster_interrupt_ = cluster; }
  InterruptFlag& interrupt() { return *interrupt_; }
  // A fresh poll for one statement.
  InterruptCheck StatementInterruptCheck() const {
    return InterruptCheck(cluster_interrupt_, interrupt_.get());
  }

 private:
  std::string user_;
  Database* db_;
  TransactionState tx_;
  CursorSet cursors_;
  SessionSequences sequences_;
  std::map<std::string, SqlPrepared, std::less<>> sql_prepared_;
  // The zone of values_["timezone"] (kept in step by Set and RestoreSettings).
  void SyncTimeZone();
  // locals_' bytea_output_escape from values_["bytea_output"] (kept in step the same way).
  void SyncByteaOutput();

  std::map<std::string, std::string, std::less<>> values_;  // by lower-case name
  uint64_t settings_version_ = 0;                           // settings_version()
  // The settings read before every statement (View, TimeoutMs), found once: values_ keeps every
  // key from construction on and never erases one, so its nodes (and these pointers) live as
  // long as the session. A lookup by name in the map cost ~500 instructions, ~20 per pgbench
  // read-write transaction.
  struct HotSetting {
    std::string_view name;
    const std::string* value;
    // transaction_isolation / _read_only / _deferrable: their default_ setting, which View
    // answers outside a block. Else null.
    const std::string* outside_block = nullptr;
  };
  std::vector<HotSetting> hot_;
  const HotSetting* FindHot(std::string_view name) const;
  // The spill settings as last parsed (SettingKb, hash_mem_multiplier), reused while the
  // setting's text is unchanged: parsing them before every statement cost ~2.8k instructions,
  // 8% of a pgbench select-only transaction.
  struct ParsedSetting {
    std::string text;
    double value = 0;
    bool valid = false;
  };
  mutable ParsedSetting parsed_work_mem_;
  mutable ParsedSetting parsed_temp_file_limit_;
  mutable ParsedSetting parsed_hash_mem_multiplier_;
  DateTimeContext datetime_;
  std::shared_ptr<SessionLocals> locals_ = std::make_shared<SessionLocals>();
  const InterruptFlag* cluster_interrupt_ = nullptr;
  exec::TempSpace* temp_space_ = nullptr;
  std::shared_ptr<InterruptFlag> interrupt_ = std::make_shared<InterruptFlag>();
};

// Where a statement of session defers its foreign-key checks: its block's (an implicit block of
// the extended protocol's included), or null outside a block, where the statement's end is its
// commit.
inline DeferredConstraints* BlockDeferred(Session& session) {
  return session.tx().in_block ? &session.tx().deferred : nullptr;
}

}  // namespace sqlrite::engine
