// Cluster: a data directory (layout in engine/data_dir.h) and the transaction machinery.
//
// Single writer per database. Database::writer() is the session whose write transaction is
// open, or null. States of a session (TransactionState) and their transitions:
//
//   idle  --BEGIN-->  block  --first write-->  block+writer
//   block[+writer]  --error-->  failed  --ROLLBACK TO-->  block[+writer]
//   any block state  --COMMIT / ROLLBACK / Disconnect-->  idle (the writer is released)
//   idle  --autocommit write-->  writer for one statement, committed (or rolled back) at once
//   (A READ ONLY transaction never becomes the writer: its writes fail with 25006 without
//   waiting. A REPEATABLE READ / SERIALIZABLE block reads the snapshot its first read took,
//   engine/snapshot_read.h; its first write fails with 40001 if anything committed after it.)
//
// Invariants:
//   1. db.writer() == &s  <=>  s.tx().writer; at most one writer per database.
//   2. Only the writer changes pages; every other session's statement runs with
//      Database::ReadCommittedScope while a writer exists, so it sees the last commit.
//   3. A write of a non-writer while a writer exists never runs: Submit
//      parks it on db.waiters(); releasing the writer (Release) runs waiters in FIFO order until
//      one becomes the writer of a block. Execute fails it with 55P03 instead.
//   4. Within a block every write statement runs inside a pager savepoint, so a failed
//      statement leaves no trace before the block is marked failed.
//   5. Commits (autocommit and COMMIT) use Pager::CommitNoSync and report awaits_sync; the
//      server's batch epilogue, SyncCommitsAsync, makes them durable with one log fsync per
//      database on the log syncer's thread while the engine thread goes on (group commit,
//      engine/log_syncer.h); SyncCommits does it on the engine thread (Execute). After a good
//      sync the database may start a checkpoint round (Pager::BeginBackfill) on the
//      checkpointer's thread (engine/checkpointer.h), which copies durable log frames into the
//      main file; its completion is posted back to the engine thread. Whatever checkpoints,
//      closes or syncs a pager drains the syncer and then the checkpointer first (DrainSyncs).
//   6. Everything here but ReadOnSnapshot runs as the engine thread: the EngineQueue's own
//      thread, or a session's io thread holding the queue's token to run a statement that
//      RunsShort approved (EngineQueue::TryRunHere, engine/point_statement.h). One holder at a
//      time, so nothing here depends on which thread it is, and nothing may keep a thread's
//      identity (a thread_local) across tasks.
//   7. A submitted DROP DATABASE of a database other sessions still use never fails at once:
//      it waits on drop_waiters_ until the last of them disconnects (Disconnect runs it) or
//      kDropDatabaseWait passed (its timer runs it, and it fails with 55006 if still in use),
//      as PostgreSQL waits for backends to exit. Execute fails it at once.

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>

#include "common/assert.h"
#include "common/bytes.h"
#include "engine/analyze/row_locking.h"
#include "engine/catalog/cluster_directory.h"
#include "engine/catalog/system_source.h"
#include "engine/checkpointer.h"
#include "engine/copy.h"
#include "engine/cursor.h"
#include "engine/data_dir.h"
#include "engine/database.h"
#include "engine/dml_with.h"
#include "engine/engine.h"
#include "engine/exec/spill_file.h"
#include "engine/executor.h"
#include "engine/foreign_keys.h"
#include "engine/key_codec.h"
#include "engine/log_syncer.h"
#include "engine/merge.h"
#include "engine/notice.h"
#include "engine/point_statement.h"
#include "engine/point_writer.h"
#include "engine/role_catalog.h"
#include "engine/search_path.h"
#include "engine/session.h"
#include "engine/session_registry.h"
#include "engine/session_scope.h"
#include "engine/session_select.h"
#include "engine/snapshot_read.h"
#include "engine/sql/interval_setting.h"
#include "engine/sql_prepare.h"
#include "engine/table_stats.h"
#include "engine/types/interval_typmod.h"
#include "storage/btree.h"
#include "storage/file_system.h"
#include "storage/pager.h"

namespace sqlrite::engine {
namespace {

using storage::BTree;
using storage::MetaSlot;

// The startup packet's "options" parameter: command-line style settings as libpq sends them
// for PGOPTIONS ("-c name=value --name=value"), separated by spaces.
Status ApplyCommandLineOptions(Session& session, std::string_view options) {
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i < options.size(); ++i) {
    char c = options[i];
    if (c == '\\' && i + 1 < options.size()) {
      word.push_back(options[++i]);
    } else if (c == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  for (size_t i = 0; i < words.size(); ++i) {
    std::string setting;
    if (words[i] == "-c" && i + 1 < words.size()) {
      setting = words[++i];
    } else if (words[i].rfind("-c", 0) == 0 && words[i].size() > 2) {
      setting = words[i].substr(2);
    } else if (words[i].rfind("--", 0) == 0) {
      setting = words[i].substr(2);
    } else {
      return Fail(sqlstate::kInvalidParameterValue,
                  "invalid command-line argument for server process: " + words[i]);
    }
    size_t eq = setting.find('=');
    if (eq == std::string::npos) {
      return Fail(sqlstate::kSyntaxError, "-c " + setting + " requires a value");
    }
    std::string name = setting.substr(0, eq);
    for (char& ch : name) {
      if (ch == '-') ch = '_';
    }
    SQLRITE_TRY(session.Set(name, setting.substr(eq + 1), nullptr));
  }
  return Ok();
}

Error Warning(const char* code, std::string message) {
  return Error(code, std::move(message)).WithSeverity(Severity::kWarning);
}

QueryResult Tagged(const char* tag) {
  QueryResult result;
  result.command_tag = tag;
  return result;
}

// What a failed block still accepts: COMMIT (answered ROLLBACK), ROLLBACK, ROLLBACK TO.
bool AllowedInFailedBlock(const ast::Statement& stmt) {
  const auto* tx = std::get_if<ast::Transaction>(&stmt);
  return tx != nullptr &&
         (tx->kind == ast::Transaction::kCommit || tx->kind == ast::Transaction::kRollback ||
          tx->kind == ast::Transaction::kRollbackTo);
}

// The current transaction is READ ONLY (BEGIN READ ONLY, SET TRANSACTION READ ONLY, or outside
// a block default_transaction_read_only).
bool ReadOnly(const Session& session) { return session.View("transaction_read_only") == "on"; }

// 25006, naming the command as PostgreSQL's PreventCommandIfReadOnly does.
tl::unexpected<Error> ReadOnlyRefused(std::string_view command) {
  return Fail(sqlstate::kReadOnlySqlTransaction,
              "cannot execute " + std::string(command) + " in a read-only transaction");
}

template <typename S>
constexpr const char* WriteCommandName() {
  if constexpr (std::is_same_v<S, ast::CreateTable>) {
    return "CREATE TABLE";
  } else if constexpr (std::is_same_v<S, ast::DropTable>) {
    return "DROP TABLE";
  } else if constexpr (std::is_same_v<S, ast::Truncate>) {
    return "TRUNCATE TABLE";
  } else if constexpr (std::is_same_v<S, ast::CreateIndex>) {
    return "CREATE INDEX";
  } else if constexpr (std::is_same_v<S, ast::DropIndex>) {
    return "DROP INDEX";
  } else if constexpr (std::is_same_v<S, ast::RenameIndex>) {
    return "ALTER INDEX";
  } else if constexpr (std::is_same_v<S, ast::CreateSequence>) {
    return "CREATE SEQUENCE";
  } else if constexpr (std::is_same_v<S, ast::AlterSequence>) {
    return "ALTER SEQUENCE";
  } else if constexpr (std::is_same_v<S, ast::DropSequence>) {
    return "DROP SEQUENCE";
  } else if constexpr (std::is_same_v<S, ast::CreateView>) {
    return "CREATE VIEW";
  } else if constexpr (std::is_same_v<S, ast::DropView>) {
    return "DROP VIEW";
  } else if constexpr (std::is_same_v<S, ast::AlterTable>) {
    return "ALTER TABLE";
  } else if constexpr (std::is_same_v<S, ast::CreateSchema>) {
    return "CREATE SCHEMA";
  } else if constexpr (std::is_same_v<S, ast::DropSchema>) {
    return "DROP SCHEMA";
  } else if constexpr (std::is_same_v<S, ast::RenameSchema>) {
    return "ALTER SCHEMA";
  } else if constexpr (std::is_same_v<S, ast::Comment>) {
    return "COMMENT";
  } else if constexpr (std::is_same_v<S, ast::CreateEnum>) {
    return "CREATE TYPE";
  } else if constexpr (std::is_same_v<S, ast::DropType>) {
    return "DROP TYPE";
  } else if constexpr (std::is_same_v<S, ast::AlterEnum>) {
    return "ALTER TYPE";
  } else if constexpr (std::is_same_v<S, ast::Select>) {
    // A SELECT runs as a write only when it calls nextval or setval (TryExecute).
    return "nextval()";
  } else if constexpr (std::is_same_v<S, ast::Insert>) {
    return "INSERT";
  } else if constexpr (std::is_same_v<S, ast::Update>) {
    return "UPDATE";
  } else if constexpr (std::is_same_v<S, ast::Merge>) {
    return "MERGE";
  } else if constexpr (std::is_same_v<S, ast::Vacuum>) {
    return "CLUSTER";  // CLUSTER / REINDEX are refused before Write in a read-only block
  } else {
    static_assert(std::is_same_v<S, ast::Delete>);
    return "DELETE";
  }
}

// DML is refused by the executor, after parse analysis (so a missing table is 42P01 first);
// utility commands before anything else, as PostgreSQL's ProcessUtility does.
template <typename S>
constexpr bool RefusedAfterAnalysis() {
  return std::is_same_v<S, ast::Insert> || std::is_same_v<S, ast::Update> ||
         std::is_same_v<S, ast::Delete> || std::is_same_v<S, ast::Merge>;
}

// Statements that do not take a snapshot in PostgreSQL (PlannedStmtRequiresSnapshot): they
// may come before SET TRANSACTION ISOLATION LEVEL / READ WRITE / [NOT] DEFERRABLE.
bool TakesSnapshot(const ast::Statement& stmt) {
  return !std::holds_alternative<ast::Transaction>(stmt) &&
         !std::holds_alternative<ast::SetVariable>(stmt) &&
         !std::holds_alternative<ast::ShowVariable>(stmt) &&
         !std::holds_alternative<ast::Checkpoint>(stmt) &&
         !std::holds_alternative<ast::SetConstraints>(stmt) &&
         !std::holds_alternative<ast::LockTable>(stmt) &&
         !std::holds_alternative<ast::Deallocate>(stmt);
}

// A statement that must wait for the writer: no result yet.
using Outcome = std::optional<Result<QueryResult>>;

// How long DROP DATABASE waits for the other sessions of the database to end (PostgreSQL's
// CountOtherDBBackends tries for 5 seconds).
constexpr std::chrono::seconds kDropDatabaseWait{5};

class ClusterImpl final : public Cluster {
 public:
  using Cluster::Execute;
  using Cluster::Submit;

  ClusterImpl(Options options, std::unique_ptr<DataDirLock> lock,
              std::unique_ptr<storage::Pager> global)
      : options_(std::move(options)),
        lock_(std::move(lock)),
        global_(std::move(global)),
        alive_(std::make_shared<bool>(true)) {}

  // Close() has no one to report to here; Cluster::Close() is the way to see its error.
  ~ClusterImpl() override { static_cast<void>(Close()); }

  // Creates the catalog of a new cluster (or finishes one whose init a crash interrupted: the
  // global file exists, its catalog was never committed; files it made in base/ are orphans and
  // CreateDatabaseEntry skips their oids).
  Status Init() {
    if (global_->GetMeta(MetaSlot::kCatalogRoot) == storage::kInvalidPage) {
      SQLRITE_ASSIGN_OR_RETURN(storage::PageId roles, BTree::Create(*global_));
      SQLRITE_ASSIGN_OR_RETURN(storage::PageId dbs, BTree::Create(*global_));
      global_->SetMeta(MetaSlot::kCatalogRoot, roles);
      global_->SetMeta(MetaSlot::kUser1, dbs);
      global_->SetMeta(MetaSlot::kUser2, kFirstDatabaseOid);
      RoleRecord superuser;  // LOGIN SUPERUSER, the bootstrap role
      superuser.secret = options_.superuser_secret;
      SQLRITE_TRY(RolesTree(*global_).Insert(options_.superuser, EncodeRoleRecord(superuser)));
      if (auto created = CreateDatabaseEntry("postgres"); !created) {
        global_->Rollback();
        return created;
      }
      // postgres has initdb's comment (DatabaseComment) until COMMENT ON DATABASE changes it.
      global_->SetMeta(kInitDatabaseSlot, global_->GetMeta(MetaSlot::kUser2) - 1);
      auto committed = global_->Commit();
      if (!committed) {
        global_->Rollback();
        return committed;
      }
    }
    return Ok();
  }

  // The temporary files a crashed server left (engine/exec/spill_file.h).
  Status ClearTempSpace() { return temp_space_.Clear(); }

  // The cheap identity check at start (headers only): a damaged database file does not stop
  // the server; connections to that database fail with the error (XX001 naming the file).
  Status CheckDatabaseFiles() {
    BTree list = DatabasesTree(*global_);
    BTree::Cursor cursor(list);
    SQLRITE_TRY(cursor.SeekFirst());
    while (cursor.Valid()) {
      SQLRITE_ASSIGN_OR_RETURN(std::string value, cursor.value());
      SQLRITE_ASSIGN_OR_RETURN(DatabaseEntry entry, DecodeDatabaseEntry(value));
      const std::string path = DatabasePath(options_.data_dir, entry.oid);
      Status ok = CheckDatabaseFileIdentity(path, ExpectedIdentity(entry), FileSystemOf(options_));
      if (!ok) damaged_.emplace(entry.oid, ok.error());
      SQLRITE_TRY(cursor.Next());
    }
    return Ok();
  }

  Result<std::unique_ptr<SessionState>> Connect(std::string_view user, std::string_view database,
                                                const Params& options) override {
    if (closed_) return Fail(sqlstate::kAdminShutdown, "the server is shutting down");
    BTree roles = RolesTree(*global_);
    SQLRITE_ASSIGN_OR_RETURN(auto role, LoadRole(roles, user));
    if (!role) {
      return Fail(sqlstate::kInvalidAuthorizationSpecification,
                  "role \"" + std::string(user) + "\" does not exist");
    }
    if (!role->login) {
      return Fail(sqlstate::kInvalidAuthorizationSpecification,
                  "role \"" + std::string(user) + "\" is not permitted to log in");
    }
    if (directory_->Get()->roles.empty()) SQLRITE_TRY(RefreshDirectory());
    SQLRITE_ASSIGN_OR_RETURN(Database * db, OpenDatabase(database));
    auto session = std::make_unique<Session>(std::string(user), *db);
    session->set_superuser(role->superuser);
    session->set_temp_space(&temp_space_);
    session->WatchClusterInterrupt(&interrupt_flag());
    for (const auto& [name, value] : options) {
      if (name == "options") {
        SQLRITE_TRY(ApplyCommandLineOptions(*session, value));
        continue;
      }
      SQLRITE_TRY(session->Set(name, value, nullptr));
    }
    db->AddSession();
    return std::unique_ptr<SessionState>(std::move(session));
  }

  Result<Credentials> LookupCredentials(std::string_view user) override {
    if (closed_) return Fail(sqlstate::kAdminShutdown, "the server is shutting down");
    Credentials credentials;
    const auto& cluster_id = global_->identity().cluster;
    credentials.mock_secret.assign(reinterpret_cast<const char*>(cluster_id.data()),
                                   cluster_id.size());
    BTree roles = RolesTree(*global_);
    SQLRITE_ASSIGN_OR_RETURN(auto role, LoadRole(roles, user));
    if (role) {
      credentials.exists = true;
      credentials.login = role->login;
      credentials.secret = std::move(role->secret);
    }
    return credentials;
  }

  void SetCancelKey(SessionState& state, uint32_t process_id, uint32_t secret_key) override {
    auto& session = static_cast<Session&>(state);
    cancel_keys_[process_id] = {secret_key, &session};
    session.locals()->backend_pid.store(process_id, std::memory_order_relaxed);
  }

  void Cancel(uint32_t process_id, uint32_t secret_key) override {
    auto key = cancel_keys_.find(process_id);
    if (key == cancel_keys_.end() || key->second.first != secret_key) return;
    Session& session = *key->second.second;
    // The flag was cleared since the CancelRequest raised it: a new query began, which the
    // cancel was not meant for.
    const InterruptReason reason = session.interrupt().reason();
    if (reason == InterruptReason::kNone) return;
    auto canceled = [reason] { return Fail(InterruptError(reason)); };
    for (auto it = lock_waiters_.begin(); it != lock_waiters_.end(); ++it) {
      if (it->second.session != &session) continue;
      LockWaiter waiter = std::move(it->second);
      session.db().point_writers().locks.Dequeue(it->first);
      lock_waiters_.erase(it);
      waiter.done(Finish(session, canceled()));
      return;
    }
    auto& waiters = session.db().waiters();
    for (auto it = waiters.begin(); it != waiters.end(); ++it) {
      if (it->session != &session) continue;
      Database::Waiter waiter = std::move(*it);
      waiters.erase(it);
      session.tx().point.waiting_upgrade = false;
      waiter.done(Finish(session, canceled()));
      return;
    }
    for (auto it = drop_waiters_.begin(); it != drop_waiters_.end(); ++it) {
      if (it->session != &session) continue;
      DropWaiter waiter = std::move(*it);
      drop_waiters_.erase(it);
      waiter.done(Finish(session, canceled()));
      return;
    }
  }

  void Disconnect(SessionState& state) override {
    for (auto it = cancel_keys_.begin(); it != cancel_keys_.end(); ++it) {
      if (it->second.second == &state) {
        cancel_keys_.erase(it);
        break;
      }
    }
    copies_.erase(&static_cast<Session&>(state));  // EndBlock below rolls its rows back
    if (closed_) return;                           // Close() already released every database
    auto& session = static_cast<Session&>(state);
    Database& db = session.db();
    // A statement still parked for this session is answered and forgotten.
    auto& waiters = db.waiters();
    for (auto it = waiters.begin(); it != waiters.end();) {
      if (it->session == &state) {
        Cluster::Completion done = std::move(it->done);
        it = waiters.erase(it);
        done(Fail(sqlstate::kConnectionFailure, "the connection was closed"));
      } else {
        ++it;
      }
    }
    for (auto it = drop_waiters_.begin(); it != drop_waiters_.end();) {
      if (it->session == &state) {
        Cluster::Completion done = std::move(it->done);
        it = drop_waiters_.erase(it);
        done(Fail(sqlstate::kConnectionFailure, "the connection was closed"));
      } else {
        ++it;
      }
    }
    for (auto it = lock_waiters_.begin(); it != lock_waiters_.end();) {
      if (it->second.session == &state) {
        Cluster::Completion done = std::move(it->second.done);
        db.point_writers().locks.Dequeue(it->first);
        it = lock_waiters_.erase(it);
        done(Fail(sqlstate::kConnectionFailure, "the connection was closed"));
      } else {
        ++it;
      }
    }
    if (session.tx().in_block || session.tx().writer) EndBlock(session, /*commit=*/false);
    db.RemoveSession();
    // Last: a DROP DATABASE run here may close db.
    if (db.sessions() == 0) RunDropWaiters(db.oid());
  }

  Result<QueryResult> Execute(SessionState& state, const ast::Statement& statement) override {
    Result<QueryResult> result = ExecuteInBatch(state, statement);
    // Execute is synchronous commit: the result is durable when it returns.
    if (result && result->awaits_sync) {
      SQLRITE_TRY(SyncCommits());
      result->awaits_sync = false;
    }
    return result;
  }

  Result<QueryResult> ExecuteInBatch(SessionState& state,
                                     const ast::Statement& statement) override {
    auto& session = static_cast<Session&>(state);
    Outcome outcome = TryExecute(session, statement);
    if (outcome) return std::move(*outcome);
    // Execute never waits: a write that would have to is refused, as with NOWAIT.
    session.tx().point.waiting_upgrade = false;
    pending_upgrade_ = false;
    if (pending_lock_) {
      pending_lock_.reset();
      return Finish(session, Fail(sqlstate::kLockNotAvailable,
                                  "could not obtain lock on a row: another session's transaction "
                                  "holds it"));
    }
    return Finish(session,
                  Fail(sqlstate::kLockNotAvailable,
                       "could not obtain the write lock of database \"" + session.db().name() +
                           "\": another session's transaction holds it"));
  }

  void Submit(SessionState& state, const ast::Statement& statement, Completion done) override {
    SubmitWithParams(state, statement, nullptr, std::move(done));
  }

  void SubmitWithParams(SessionState& state, const ast::Statement& statement, ParamContext* params,
                        Completion done) override {
    auto& session = static_cast<Session&>(state);
    // Canceled or timed out before it began (while parsing, or an earlier statement of the same
    // query string ran): a statement too short to reach a poll must stop too.
    if (const InterruptReason reason = session.interrupt().reason();
        reason != InterruptReason::kNone) {
      done(Finish(session, Fail(InterruptError(reason))));
      return;
    }
    if (const auto* drop = std::get_if<ast::DropDatabase>(&statement)) {
      if (std::optional<uint32_t> oid = DatabaseInUse(session, *drop)) {
        ParkDrop(session, statement, *oid, std::move(done));
        return;
      }
    }
    Outcome outcome = TryExecute(session, statement, params);
    if (outcome) {
      done(std::move(*outcome));
      return;
    }
    ParkStatement(session, statement, std::move(done), params);
  }

  bool RunsShort(SessionState& state, const ast::Statement& statement) override {
    // Below synchronous=full, Commit() itself may run the automatic checkpoint (fsyncs and a
    // backfill of the log): never on an io thread.
    if (options_.synchronous != Options::Synchronous::kFull) return false;
    Database& db = static_cast<Session&>(state).db();
    // A statement that ends a writer's block (COMMIT, ROLLBACK, an autocommit write) runs the
    // writes parked for the slot (ReleaseWriter -> RunWaiters) in place, whatever their size:
    // with any parked, the engine's own thread does it.
    if (!db.waiters().empty()) return false;
    return IsPointStatement(db.catalog(), statement);
  }

  Result<std::optional<SnapshotRead>> ReadOnSnapshot(SessionState& state,
                                                     const ast::Statement& statement,
                                                     std::string_view query,
                                                     ParamContext* params) override {
    auto& session = static_cast<Session&>(state);
    if (!QualifiesForSnapshotRead(session, statement, params != nullptr ? params->plan : nullptr)) {
      return std::optional<SnapshotRead>();
    }
    Result<SnapshotRead> read =
        BeginSnapshotRead(session, std::get<ast::Select>(statement), params);
    if (!read) {
      Error error = std::move(read.error());
      error.position = CharacterPosition(query, error.position);
      // As Finish: an error inside a block fails the block.
      if (session.tx().in_block) session.tx().failed = true;
      return Fail(std::move(error));
    }
    return std::optional<SnapshotRead>(std::move(*read));
  }

  Result<Description> Describe(SessionState& state, const ast::Statement& statement,
                               std::vector<SqlType> declared) override {
    return DescribeStatement(static_cast<Session&>(state), statement, std::move(declared));
  }

  std::optional<std::vector<ColumnInfo>> CursorColumns(SessionState& state,
                                                       const std::string& name) override {
    const Cursor* cursor = static_cast<Session&>(state).cursors().Find(name);
    if (cursor == nullptr) return std::nullopt;
    return cursor->columns();
  }

  bool CloseCursor(SessionState& state, const std::string& name) override {
    return static_cast<Session&>(state).cursors().Close(name);
  }

  Status RegisterProtocolStatement(SessionState& state, const std::string& name,
                                   std::shared_ptr<ProtocolStatementLink> link) override {
    return engine::RegisterProtocolStatement(static_cast<Session&>(state), name, std::move(link));
  }

  std::optional<SqlPreparedView> FindSqlPrepared(SessionState& state,
                                                 const std::string& name) override {
    auto& session = static_cast<Session&>(state);
    Result<const Session::SqlPrepared*> found = FindPrepared(session, name);
    if (!found || (*found)->body == nullptr) return std::nullopt;
    const Session::SqlPrepared& prepared = **found;
    Result<Description> described =
        DescribeStatement(session, prepared.body->statement, prepared.types);
    if (!described) return std::nullopt;
    return SqlPreparedView{prepared.body, &prepared.body->statement, std::move(*described)};
  }

  bool ClosePreparedStatement(SessionState& state, const std::string& name) override {
    ast::Deallocate stmt;
    stmt.name = name;
    return static_cast<bool>(Deallocate(static_cast<Session&>(state), stmt));
  }

  void FailStatement(SessionState& state) override {
    auto& session = static_cast<Session&>(state);
    if (session.tx().in_block) session.tx().failed = true;
  }

  Status CopyInData(SessionState& state, const std::vector<std::string_view>& pieces) override {
    auto& session = static_cast<Session&>(state);
    auto it = copies_.find(&session);
    if (it == copies_.end() || !it->second.from) {
      return Fail(sqlstate::kProtocolViolation, "no COPY FROM STDIN is in progress");
    }
    SequenceScope sequence_scope(SequenceContext{&session.db(), &session.sequences(), &session,
                                                 session.SearchPathSetting(), session.user()});
    DateTimeScope scope_datetime(session.datetime());   // timestamptz input reads the zone
    SessionLocalsScope scope_locals(session.locals());  // a default's random()
    // An enum column's input finds its type by oid (the COPY holds the writer slot).
    EnumScope scope_enums(&session.db().catalog());
    Status fed = GuardCopy([&]() -> Status { return it->second.from->Feed(pieces); });
    if (!fed) return Fail(CopyAbort(state, std::move(fed.error())));
    return Ok();
  }

  Result<QueryResult> CopyInDone(SessionState& state) override {
    auto& session = static_cast<Session&>(state);
    auto it = copies_.find(&session);
    if (it == copies_.end() || !it->second.from) {
      return Fail(sqlstate::kProtocolViolation, "no COPY FROM STDIN is in progress");
    }
    uint64_t count = 0;
    SequenceScope sequence_scope(SequenceContext{&session.db(), &session.sequences(), &session,
                                                 session.SearchPathSetting(), session.user()});
    DateTimeScope scope_datetime(session.datetime());
    SessionLocalsScope scope_locals(session.locals());
    EnumScope scope_enums(&session.db().catalog());
    Status finished = GuardCopy([&]() -> Status {
      SQLRITE_ASSIGN_OR_RETURN(count, it->second.from->Finish());
      return Ok();
    });
    if (!finished) return Fail(CopyAbort(state, std::move(finished.error())));
    QueryResult result = Tagged("COPY");
    result.command_tag = "COPY " + std::to_string(count);
    bool committed = false;
    Status ended = EndCopy(session, CopyEnd::kCommit, &committed);
    if (!ended) return Finish(session, Fail(std::move(ended.error())));
    result.awaits_sync = committed;
    return result;
  }

  Error CopyAbort(SessionState& state, Error error) override {
    auto& session = static_cast<Session&>(state);
    if (auto it = copies_.find(&session); it != copies_.end()) {
      if (it->second.from && error.context.empty())
        error.context = it->second.from->WaitingContext();
      Status ended = EndCopy(session, CopyEnd::kFail, nullptr);
      static_cast<void>(ended);  // the COPY's own error is the one to report
    }
    if (session.tx().in_block) session.tx().failed = true;
    return error;
  }

  Result<std::optional<QueryResult>> CopyOutNext(SessionState& state, size_t max_bytes,
                                                 std::string* out,
                                                 std::vector<size_t>* row_ends) override {
    auto& session = static_cast<Session&>(state);
    auto it = copies_.find(&session);
    if (it == copies_.end() || !it->second.to) {
      return Fail(sqlstate::kProtocolViolation, "no COPY TO STDOUT is in progress");
    }
    bool done = false;
    DateTimeScope scope_datetime(session.datetime());   // timestamptz output prints in the zone
    SessionLocalsScope scope_locals(session.locals());  // bytea output in the bytea_output
    Status next = GuardCopy([&]() -> Status {
      SQLRITE_ASSIGN_OR_RETURN(done, it->second.to->Next(max_bytes, out, row_ends));
      return Ok();
    });
    if (!next) return Fail(CopyAbort(state, std::move(next.error())));
    if (!done) return std::optional<QueryResult>();
    QueryResult result = Tagged("COPY");
    result.command_tag = "COPY " + std::to_string(it->second.to->count());
    Status ended = EndCopy(session, CopyEnd::kRead, nullptr);
    if (!ended) return Finish(session, Fail(std::move(ended.error())));
    return std::optional<QueryResult>(std::move(result));
  }

  void SyncCommitsAsync(EngineQueue::Acknowledge ack) override {
    if (options_.queue == nullptr || closed_) return ack(SyncCommits());
    if (!syncer_) {
      EngineQueue* queue = options_.queue;
      syncer_ = std::make_unique<LogSyncer>(
          [this](Status* error) { return BeginSyncs(error); },
          // A finished sync's completion runs on the sync thread itself when the engine is
          // idle: it publishes the commits, acknowledges them and begins the next sync at once,
          // with no wake-up of the engine thread between one fsync and the next.
          [queue](EngineQueue::Task task) {
            if (!queue->TryRunHere(task)) queue->Post(std::move(task));
          });
    }
    syncer_->Request(std::move(ack));
  }

  // The log syncer's Begin: one job per database with commits awaiting a sync.
  std::vector<LogSyncer::Job> BeginSyncs(Status* error) {
    std::vector<LogSyncer::Job> jobs;
    for (auto& [oid, db] : databases_) {
      auto begun = db->BeginSync();
      if (!begun) {
        if (*error) *error = Fail(std::move(begun.error()));
        continue;
      }
      if (!begun->has_value()) continue;
      Database* database = db.get();  // alive until the sync finished: closing drains first
      const storage::LogSync sync = **begun;
      jobs.push_back({[sync] { return sync.Run(); },
                      [this, database, sync](const Status& fsynced) {
                        Status finished = database->FinishSync(sync, fsynced);
                        if (!finished) {
                          FailWriterBlockAfterLostSync(*database);
                        } else {
                          StartBackfill(*database);
                        }
                        return finished;
                      }});
    }
    return jobs;
  }

  // A failed fsync poisoned db's pager, which rolled back the open transaction with the
  // commits it discarded. The writer's block (answered early, so it may have run on those
  // commits) is failed: its next statements get 25P02 until ROLLBACK, its COMMIT rolls back,
  // and the catalog goes back to the durable state (the block's DDL and the discarded commits'
  // are gone from the pages).
  void FailWriterBlockAfterLostSync(Database& db) {
    static_cast<void>(db.Rollback());  // the pager's part is done; this restores the catalog
    if (db.writer() == nullptr) return;
    auto& writer = static_cast<Session&>(*db.writer());
    TransactionState& tx = writer.tx();
    tx.savepoints.clear();  // their pager savepoints went with the rollback
    // Not a block (a COPY FROM in progress): its next write fails on the poisoned pager.
    if (tx.in_block) tx.failed = true;
  }

  // A background checkpoint round for db when its pager plans one (after a group commit's
  // sync made more of its log durable): the copy runs on the checkpointer's thread.
  void StartBackfill(Database& db) {
    std::optional<storage::BackfillJob> job = db.pager().BeginBackfill();
    if (!job) return;
    if (!checkpointer_) {
      EngineQueue* queue = options_.queue;
      checkpointer_ = std::make_unique<Checkpointer>(
          [queue](EngineQueue::Task task) { queue->Post(std::move(task)); });
    }
    Database* database = &db;  // alive until the round finished: closing drains first
    checkpointer_->Start({[job = *job] { return job.Run(); },
                          [database, job = *job](const Status& copied) {
                            // A failed copy poisoned the pager: its next write reports it.
                            // (Database::WritesAllowed: with the pager's poison_cause()).
                            static_cast<void>(database->pager().FinishBackfill(job, copied));
                          }});
  }

  // Before anything that checkpoints, closes or synchronously syncs a database's pager.
  void DrainSyncs() {
    if (syncer_) syncer_->Drain();
    if (checkpointer_) checkpointer_->Drain();
  }

  Status SyncCommits() override {
    DrainSyncs();
    Status status = Ok();
    for (auto& [oid, db] : databases_) {
      auto s = db->Sync();
      if (!s && status) status = s;
    }
    return status;
  }

  Params StartupParameters(const SessionState& state) const override {
    const auto& session = static_cast<const Session&>(state);
    Params params;
    for (const char* name :
         {"server_version", "server_encoding", "client_encoding", "DateStyle", "integer_datetimes",
          "standard_conforming_strings", "TimeZone", "application_name", "IntervalStyle",
          "is_superuser", "session_authorization", "default_transaction_read_only",
          "in_hot_standby"}) {
      params.emplace_back(name, session.Get(name));
    }
    return params;
  }

  Status Close() override {
    if (closed_) return Ok();
    // Every commit awaiting a sync is synced and acknowledged before the files close.
    DrainSyncs();
    syncer_.reset();
    checkpointer_.reset();
    closed_ = true;
    *alive_ = false;
    copies_.clear();
    Status status = Ok();
    while (!drop_waiters_.empty()) {
      Cluster::Completion done = std::move(drop_waiters_.front().done);
      drop_waiters_.pop_front();
      done(Fail(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
    }
    while (!lock_waiters_.empty()) {
      auto it = lock_waiters_.begin();
      Cluster::Completion done = std::move(it->second.done);
      it->second.db->point_writers().locks.Dequeue(it->first);
      lock_waiters_.erase(it);
      done(Fail(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
    }
    for (auto& [oid, db] : databases_) {
      while (!db->waiters().empty()) {
        Cluster::Completion done = std::move(db->waiters().front().done);
        db->waiters().pop_front();
        done(Fail(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
      }
      // Close rolls back an open transaction and checkpoints the log into the file.
      auto s = db->Close();
      if (!s && status) status = s;
    }
    databases_.clear();
    auto s = global_->Close();
    if (!s && status) status = s;
    global_.reset();
    lock_.reset();
    return status;
  }

 private:
  // ---- dispatch ------------------------------------------------------------------------------

  // The member templates TryExecute's visitor calls come first: clang 14 reports templates of
  // a class in an anonymous namespace used before their in-class definition as undefined.
  template <typename S>
  Result<QueryResult> Run(ExecContext& ctx, const S& stmt) {
    // Binding finds enum types by oid in the catalog the statement sees.
    EnumScope scope_enums(&CatalogOf(ctx),
                          [&ctx] { return SessionSearchPath(CatalogOf(ctx), ctx.session); });
    if constexpr (std::is_same_v<S, ast::CreateTable>) {
      return ExecuteCreateTable(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::DropTable>) {
      return ExecuteDropTable(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::Truncate>) {
      return ExecuteTruncate(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::CreateIndex>) {
      return ExecuteCreateIndex(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::DropIndex>) {
      return ExecuteDropIndex(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::RenameIndex>) {
      return ExecuteRenameIndex(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::CreateSequence>) {
      return ExecuteCreateSequence(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::AlterSequence>) {
      return ExecuteAlterSequence(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::DropSequence>) {
      return ExecuteDropSequence(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::CreateView>) {
      return ExecuteCreateView(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::DropView>) {
      return ExecuteDropView(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::AlterTable>) {
      return ExecuteAlterTable(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::CreateSchema>) {
      return ExecuteCreateSchema(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::DropSchema>) {
      return ExecuteDropSchema(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::RenameSchema>) {
      return ExecuteRenameSchema(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::Comment>) {
      return ExecuteComment(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::CreateEnum>) {
      return ExecuteCreateEnum(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::DropType>) {
      return ExecuteDropType(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::AlterEnum>) {
      return ExecuteAlterEnum(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::Select>) {
      return ExecuteSelect(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::Insert>) {
      return ExecuteInsert(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::Update>) {
      return ExecuteUpdate(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::Merge>) {
      return ExecuteMerge(ctx, stmt);
    } else if constexpr (std::is_same_v<S, ast::Vacuum>) {
      return ExecuteMaintenance(ctx, stmt);
    } else {
      static_assert(std::is_same_v<S, ast::Delete>);
      return ExecuteDelete(ctx, stmt);
    }
  }

  // Describe's body: after Run, whose instantiations clang 14 must see defined first.
  Result<Description> DescribeStatement(Session& session, const ast::Statement& statement,
                                        std::vector<SqlType> declared) {
    if (closed_) return Fail(sqlstate::kAdminShutdown, "the server is shutting down");
    if (session.tx().failed && !AllowedInFailedBlock(statement)) {
      return Fail(sqlstate::kInFailedSqlTransaction,
                  "current transaction is aborted, commands ignored until end of transaction "
                  "block");
    }
    ParamContext params;
    params.types = std::move(declared);
    ParamScope scope_params(&params);
    DateTimeScope scope_datetime(session.datetime());
    Description description;
    Result<QueryResult> bound = std::visit(
        [&](const auto& stmt) -> Result<QueryResult> {
          using S = std::decay_t<decltype(stmt)>;
          if constexpr (std::is_same_v<S, ast::Select> || std::is_same_v<S, ast::Insert> ||
                        std::is_same_v<S, ast::Update> || std::is_same_v<S, ast::Delete> ||
                        std::is_same_v<S, ast::Merge>) {
            Database& db = session.db();
            if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
            // Another session's open write transaction is invisible here, as to its readers.
            Database::ReadCommittedScope scope(db, db.writer() != nullptr && !session.tx().writer);
            ExecContext ctx{db, session, /*describe_only=*/true};
            if constexpr (std::is_same_v<S, ast::Select>) {
              return ExecuteSelect(ctx, stmt);
            } else {
              return Run(ctx, stmt);
            }
          } else if constexpr (std::is_same_v<S, ast::ShowVariable>) {
            return session.Show(stmt.name);
          } else if constexpr (std::is_same_v<S, ast::ExecutePrepared>) {
            // The prepared statement's columns, as PostgreSQL's UtilityTupleDescriptor gives.
            ExecuteDepth depth(execute_depth_);
            SQLRITE_TRY(depth.Check());
            SQLRITE_ASSIGN_OR_RETURN(const Session::SqlPrepared* prepared,
                                     FindPrepared(session, stmt.name));
            SQLRITE_ASSIGN_OR_RETURN(
                Description inner,
                DescribeStatement(session, prepared->statement(), prepared->types));
            QueryResult described;
            described.returns_rows = inner.returns_rows;
            described.columns = std::move(inner.columns);
            return described;
          } else if constexpr (std::is_same_v<S, ast::DeclareCursor>) {
            // Binds the query (its $n get their types); DECLARE itself returns no rows.
            SQLRITE_TRY(BindCursorQuery(session, stmt));
            return QueryResult{};
          } else if constexpr (std::is_same_v<S, ast::Fetch>) {
            // As PostgreSQL's UtilityTupleDescriptor: the cursor's columns when it exists now.
            QueryResult described;
            const Cursor* cursor = session.cursors().Find(stmt.name);
            if (!stmt.move && cursor != nullptr) {
              described.returns_rows = true;
              described.columns = cursor->columns();
            }
            return described;
          } else {
            return QueryResult{};
          }
        },
        statement);
    if (!bound) return Fail(std::move(bound.error()));
    for (size_t i = 0; i < params.types.size(); ++i) {
      if (params.types[i].id == TypeId::kUnknown) {
        return Fail(sqlstate::kIndeterminateDatatype,
                    "could not determine data type of parameter $" + std::to_string(i + 1));
      }
    }
    description.param_types = std::move(params.types);
    description.returns_rows = bound->returns_rows;
    description.columns = std::move(bound->columns);
    return description;
  }

  template <typename S>
  Outcome Write(Session& session, const S& stmt) {
    Database& db = session.db();
    TransactionState& tx = session.tx();
    // A read-only transaction never takes the writer slot, so never waits for it either.
    if (ReadOnly(session)) {
      bool analyzed_first = RefusedAfterAnalysis<S>();
      std::string command = WriteCommandName<S>();
      if constexpr (std::is_same_v<S, ast::Select>) {
        // As PostgreSQL's ExecCheckXactReadOnly: after analysis, naming the first clause.
        if (LocksRows(stmt)) {
          analyzed_first = true;
          command = std::string("SELECT ") + ast::LockingStrengthName(stmt.locking[0].strength);
        } else if (HasDataModifyingWith(stmt.with)) {
          command = "SELECT";  // PostgreSQL's PreventCommandIfReadOnly for a modifying WITH
        }
      }
      if (analyzed_first) {
        if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
        Database::ReadCommittedScope scope(db, db.writer() != nullptr && !tx.writer);
        ExecContext ctx{db, session, /*describe_only=*/true};
        SQLRITE_TRY(Run(ctx, stmt));
      }
      if constexpr (std::is_same_v<S, ast::Merge>) {
        if (MergeWritesNothing(stmt)) {
          QueryResult nothing;
          nothing.command_tag = "MERGE 0";
          return nothing;
        }
      }
      return ReadOnlyRefused(command);
    }
    if constexpr (std::is_same_v<S, ast::Select>) {
      if (!tx.writer) SQLRITE_TRY(RefuseNoWait(session, stmt));
    }
    if (!AcquireWriter(session)) return std::nullopt;
    SQLRITE_TRY(CheckSnapshotCurrent(session));
    if (auto allowed = db.WritesAllowed(); !allowed) {
      if (!tx.in_block) ReleaseWriter(session);
      return Fail(std::move(allowed.error()));
    }
    ExecContext ctx{db, session};
    if (!tx.in_block) {
      Result<QueryResult> result = Run(ctx, stmt);
      if (result) {
        auto committed = db.Commit();
        if (committed) {
          result->awaits_sync = true;
        } else {
          result = Fail(std::move(committed.error()));
        }
      } else if (auto rolled_back = db.Rollback(); !rolled_back) {
        // A catalog that cannot be re-read is the graver error: the statement reports it, and
        // the database refuses writes until it reloads.
        result = Fail(std::move(rolled_back.error()));
      }
      ReleaseWriter(session);
      return result;
    }
    const uint32_t savepoint = db.pager().Savepoint();
    Result<QueryResult> result = Run(ctx, stmt);
    if (!result) {
      db.pager().RollbackToSavepoint(savepoint);
      if (auto reloaded = db.ReloadCatalog(); !reloaded) result = Fail(std::move(reloaded.error()));
    }
    db.pager().ReleaseSavepoint(savepoint);
    return result;
  }

  // CREATE/DROP DATABASE change the global file, committed synchronously (rare statements).
  // A DROP DATABASE's files are removed here, only once its commit is durable.
  template <typename F>
  Result<QueryResult> InGlobal(F body) {
    drop_after_commit_.reset();
    Result<QueryResult> result = body();
    if (!result) {
      global_->Rollback();
      return result;
    }
    auto committed = global_->Commit();
    if (!committed) {
      global_->Rollback();
      return Fail(std::move(committed.error()));
    }
    // The catalogs show the committed roles and databases (a failed read keeps the old facts).
    static_cast<void>(RefreshDirectory());
    if (drop_after_commit_) {
      const uint32_t oid = *drop_after_commit_;
      drop_after_commit_.reset();
      // The drop has committed: whatever follows, the database is gone from the catalog, so
      // its open handle goes too (its files are removed below or kept, so a failed final
      // checkpoint of it loses nothing).
      if (auto it = databases_.find(oid); it != databases_.end()) {
        DrainSyncs();
        Status closed = it->second->Close();
        static_cast<void>(closed);
        databases_.erase(it);
      }
      // Commit() syncs only under synchronous=full; a checkpoint syncs the log whatever the
      // setting. Should it fail, the drop may not be durable yet: the files stay (at worst
      // orphans after a restart, never a lost database) and the client is told.
      if (Status durable = global_->Checkpoint(); !durable) {
        result->notices.push_back(
            Error(sqlstate::kWarning,
                  "the files of the dropped database were kept: " + durable.error().message)
                .WithSeverity(Severity::kWarning));
        return result;
      }
      RemoveDatabaseFiles(oid, &*result);
    }
    return result;
  }

  // Runs statement for session now, or returns nullopt when it must wait for the writer.
  Outcome TryExecute(Session& session, const ast::Statement& statement,
                     ParamContext* params = nullptr) {
    if (closed_) return Fail(sqlstate::kAdminShutdown, "the server is shutting down");
    ParamScope scope_params(params);
    session.BeginStatement();
    DateTimeScope scope_datetime(session.datetime());
    SessionLocalsScope scope_locals(session.locals());
    TransactionState& tx = session.tx();
    if (tx.failed && !AllowedInFailedBlock(statement)) {
      return Fail(sqlstate::kInFailedSqlTransaction,
                  "current transaction is aborted, commands ignored until end of transaction "
                  "block");
    }
    if (tx.in_block && TakesSnapshot(statement)) tx.snapshot_taken = true;
    // The sequence functions of this statement's expressions reach the database through it.
    SequenceScope sequence_scope(SequenceContext{&session.db(), &session.sequences(), &session,
                                                 session.SearchPathSetting(), session.user()});
    SessionScope session_scope(&session);
    if (std::optional<Outcome> point = RunAsPointWriter(session, statement)) {
      if (!*point) return std::nullopt;
      return Finish(session, std::move(**point));
    }
    Outcome outcome = std::visit(
        [&](const auto& stmt) -> Outcome {
          using S = std::decay_t<decltype(stmt)>;
          if constexpr (std::is_same_v<S, ast::Transaction>) {
            return ExecuteTransaction(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::SetVariable>) {
            return ExecuteSet(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::ShowVariable>) {
            return session.Show(stmt.name);
          } else if constexpr (std::is_same_v<S, ast::CreateDatabase>) {
            if (ReadOnly(session)) return ReadOnlyRefused("CREATE DATABASE");
            if (tx.in_block) return NotInBlock("CREATE DATABASE");
            return InGlobal([&] { return CreateDatabase(stmt); });
          } else if constexpr (std::is_same_v<S, ast::DropDatabase>) {
            if (ReadOnly(session)) return ReadOnlyRefused("DROP DATABASE");
            if (tx.in_block) return NotInBlock("DROP DATABASE");
            return InGlobal([&] { return DropDatabase(session, stmt); });
          } else if constexpr (std::is_same_v<S, ast::Comment>) {
            if (stmt.kind != ast::Comment::kDatabase) return Write(session, stmt);
            if (ReadOnly(session)) return ReadOnlyRefused("COMMENT");
            return CommentOnDatabase(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::CreateRole>) {
            if (ReadOnly(session)) return ReadOnlyRefused("CREATE ROLE");
            if (tx.in_block) return NotInBlock("CREATE ROLE");
            return InGlobal([&] {
              BTree roles = RolesTree(*global_);
              return CreateRole(roles, RoleActor{session.user()}, stmt);
            });
          } else if constexpr (std::is_same_v<S, ast::AlterRole>) {
            if (ReadOnly(session)) return ReadOnlyRefused("ALTER ROLE");
            if (tx.in_block) return NotInBlock("ALTER ROLE");
            return InGlobal([&] {
              BTree roles = RolesTree(*global_);
              return AlterRole(roles, RoleActor{session.user()}, stmt);
            });
          } else if constexpr (std::is_same_v<S, ast::DropRole>) {
            if (ReadOnly(session)) return ReadOnlyRefused("DROP ROLE");
            if (tx.in_block) return NotInBlock("DROP ROLE");
            return InGlobal([&] {
              BTree roles = RolesTree(*global_);
              return DropRole(roles, RoleActor{session.user()}, stmt);
            });
          } else if constexpr (std::is_same_v<S, ast::Checkpoint>) {
            return Checkpoint();
          } else if constexpr (std::is_same_v<S, ast::SetConstraints>) {
            return ExecuteSetConstraints(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::LockTable>) {
            return ExecuteLock(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::Prepare>) {
            return ExecutePrepare(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::ExecutePrepared>) {
            return ExecuteExecute(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::Deallocate>) {
            return Deallocate(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::Vacuum>) {
            if (stmt.command != ast::Vacuum::Command::kVacuum) {
              // CLUSTER, REINDEX: CLUSTER ... USING and REINDEX write the catalog or an index.
              const char* refused = RefusedInBlock(stmt);
              if (tx.in_block && refused != nullptr) return NotInBlock(refused);
              if (ReadOnly(session)) {
                return ReadOnlyRefused(stmt.command == ast::Vacuum::Command::kCluster ? "CLUSTER"
                                                                                      : "REINDEX");
              }
              return Write(session, stmt);
            }
            if (tx.in_block && !stmt.analyze_only) return NotInBlock("VACUUM");
            // What pg_stat_all_tables shows of it (engine/table_stats.h): the statement keeps
            // no table list, so every table of the database counts as vacuumed / analyzed.
            for (const auto& [name, table] : session.db().catalog().tables()) {
              if (table.kind != RelKind::kTable) continue;
              ProcessTableStats().Maintained(session.db().oid(), table.oid, !stmt.analyze_only,
                                             stmt.analyze_only);
            }
            if (stmt.analyze_only) return Tagged("ANALYZE");
            // Honest about what it does: pages freed by DELETE, DROP and TRUNCATE are already on
            // the free list and reused by later writes, and nothing else needs reclaiming.
            QueryResult result = Tagged("VACUUM");
            result.notices.push_back(
                Error(sqlstate::kSuccessfulCompletion,
                      "VACUUM does nothing in SQLRite: freed pages are reused by later writes and "
                      "the file does not shrink")
                    .WithSeverity(Severity::kNotice));
            return result;
          } else if constexpr (std::is_same_v<S, ast::DeclareCursor>) {
            return DeclareCursor(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::Fetch>) {
            return FetchCursor(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::CloseCursor>) {
            return CloseCursor(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::Copy>) {
            return StartCopy(session, stmt);
          } else if constexpr (std::is_same_v<S, ast::Select>) {
            // nextval / setval write their sequence, and FOR UPDATE / SHARE locks what it reads
            // (engine/analyze/row_locking.h): the SELECT runs as a write, as the writer
            // (PostgreSQL's 25006 in a READ ONLY transaction).
            // So does one whose WITH changes data (engine/dml_with.h).
            if ((!stmt.explain || stmt.explain->analyze) &&
                (LocksRows(stmt) || CallsSequenceFunction(stmt) == SequenceUse::kWrites ||
                 HasDataModifyingWith(stmt.with))) {
              return Write(session, stmt);
            }
            if (UsesBlockSnapshot(session)) return SelectOnBlockSnapshot(session, stmt);
            Database& db = session.db();
            // A reader outside any write transaction needs a usable cache (the writer's own
            // statements and readers of its snapshot do not depend on it).
            if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
            Database::ReadCommittedScope scope(db, db.writer() != nullptr && !tx.writer);
            ExecContext ctx{db, session};
            return ExecuteSelect(ctx, stmt);
          } else {
            return Write(session, stmt);
          }
        },
        statement);
    if (!outcome) return outcome;
    return Finish(session, std::move(*outcome));
  }

  // ---- COPY ---------------------------------------------------------------------------------

  struct ActiveCopy {
    std::unique_ptr<CopyFrom> from;
    std::unique_ptr<CopyTo> to;
    bool holds_writer = false;          // the COPY took (or had) the writer slot
    std::optional<uint32_t> savepoint;  // inside a block: the statement's savepoint
  };
  enum class CopyEnd { kCommit, kRead, kFail };

  template <typename Fn>
  static Status GuardCopy(Fn&& fn) {
    auto r = GuardStatement([&]() -> Result<QueryResult> {
      SQLRITE_TRY(fn());
      return QueryResult();
    });
    if (!r) return Fail(std::move(r.error()));
    return Ok();
  }

  static tl::unexpected<Error> ServerFileRefused(const ast::Copy& stmt) {
    const char* hint =
        "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.";
    if (stmt.is_program) {
      return Fail(Error(sqlstate::kInsufficientPrivilege,
                        "must be superuser or have privileges of the pg_execute_server_program "
                        "role to COPY to or from an external program")
                      .WithHint(hint));
    }
    return Fail(Error(sqlstate::kInsufficientPrivilege,
                      stmt.is_from ? "must be superuser or have privileges of the "
                                     "pg_read_server_files role to COPY from a file"
                                   : "must be superuser or have privileges of the "
                                     "pg_write_server_files role to COPY to a file")
                    .WithHint(hint));
  }

  // A COPY ... TO that holds no writer slot of its own: begun over ctx's view and registered.
  Outcome BeginCopyTo(Session& session, ExecContext& ctx, const ast::Copy& stmt, ActiveCopy copy,
                      QueryResult result) {
    Status begun = GuardCopy([&]() -> Status {
      SQLRITE_ASSIGN_OR_RETURN(copy.to, CopyTo::Begin(ctx, stmt));
      return Ok();
    });
    if (!begun) return Fail(std::move(begun.error()));
    result.copy->columns = copy.to->columns();
    result.copy->binary = copy.to->binary();
    copies_[&session] = std::move(copy);
    return result;
  }

  // Begins a COPY: nullopt when it must wait for the writer slot (parked as any write).
  Outcome StartCopy(Session& session, const ast::Copy& stmt) {
    if (!stmt.filename.empty() || stmt.is_program) return ServerFileRefused(stmt);
    if (stmt.has_where)
      return Fail(sqlstate::kFeatureNotSupported, "COPY FROM ... WHERE is not supported yet");
    Database& db = session.db();
    TransactionState& tx = session.tx();
    ActiveCopy copy;
    QueryResult result;
    result.copy.emplace();
    result.copy->from = stmt.is_from;
    if (!stmt.is_from && !tx.writer) {
      // COPY ... TO of a session that is not the writer reads a snapshot (its block's, or the
      // newest durable commit) as a SELECT does: no writer slot, no writer blocked, and a
      // REPEATABLE READ block's COPY sees the block's snapshot.
      ExecContext ctx{db, session};
      SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<Database::ReadView> view, ReadViewFor(session));
      ReadFromView(ctx, std::move(view));
      return BeginCopyTo(session, ctx, stmt, std::move(copy), std::move(result));
    }
    if (stmt.query) {
      // COPY (query) TO of the writer: a read of its own view, run now as a SELECT is.
      ExecContext ctx{db, session};
      return BeginCopyTo(session, ctx, stmt, std::move(copy), std::move(result));
    }
    if (stmt.is_from && ReadOnly(session)) {
      // As PostgreSQL's DoCopy: the table is looked up first.
      if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
      Database::ReadCommittedScope scope(db, db.writer() != nullptr && !tx.writer);
      ExecContext ctx{db, session};
      if (LookupTable(ctx, stmt.table) == nullptr) return UndefinedTable(ctx, stmt.table);
      return ReadOnlyRefused("COPY FROM");
    }
    if (!AcquireWriter(session)) return std::nullopt;
    if (stmt.is_from) SQLRITE_TRY(CheckSnapshotCurrent(session));
    copy.holds_writer = true;
    if (stmt.is_from) {
      if (auto allowed = db.WritesAllowed(); !allowed) {
        if (!tx.in_block) ReleaseWriter(session);
        return Fail(std::move(allowed.error()));
      }
    }
    if (tx.in_block) copy.savepoint = db.pager().Savepoint();
    ExecContext ctx{db, session};
    Status begun = GuardCopy([&]() -> Status {
      if (stmt.is_from) {
        SQLRITE_ASSIGN_OR_RETURN(copy.from, CopyFrom::Begin(ctx, stmt));
        result.copy->columns = copy.from->columns();
        result.copy->binary = copy.from->binary();
      } else {
        SQLRITE_ASSIGN_OR_RETURN(copy.to, CopyTo::Begin(ctx, stmt));
        result.copy->columns = copy.to->columns();
        result.copy->binary = copy.to->binary();
      }
      return Ok();
    });
    copies_[&session] = std::move(copy);
    if (!begun) {
      static_cast<void>(EndCopy(session, CopyEnd::kFail, nullptr));
      return Fail(std::move(begun.error()));
    }
    return result;
  }

  // Ends session's COPY: commits (autocommit) or releases its savepoint (block); kFail rolls it
  // back; kRead changed nothing. Releases a writer slot taken for an autocommit COPY.
  Status EndCopy(Session& session, CopyEnd end, bool* committed) {
    auto it = copies_.find(&session);
    SQLRITE_ASSERT(it != copies_.end());
    ActiveCopy copy = std::move(it->second);
    copies_.erase(it);
    if (!copy.holds_writer) return Ok();
    Database& db = session.db();
    TransactionState& tx = session.tx();
    if (copy.savepoint) {
      Status status = Ok();
      if (end == CopyEnd::kFail) {
        db.pager().RollbackToSavepoint(*copy.savepoint);
        status = db.ReloadCatalog();
      }
      db.pager().ReleaseSavepoint(*copy.savepoint);
      return status;
    }
    SQLRITE_ASSERT(!tx.in_block);
    Status status = Ok();
    if (end == CopyEnd::kCommit) {
      status = db.Commit(committed);  // rolls back itself when it fails
    } else {
      status = db.Rollback();
    }
    ReleaseWriter(session);
    return status;
  }

  // LOCK TABLE: the names resolved (42P01) and checked (engine/sql_prepare.h); nothing locked.
  Result<QueryResult> ExecuteLock(Session& session, const ast::LockTable& stmt) {
    Database& db = session.db();
    if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
    Database::ReadCommittedScope scope(db, db.writer() != nullptr && !session.tx().writer);
    ExecContext ctx{db, session};
    std::vector<const TableDef*> tables;
    for (const ast::TableName& name : stmt.tables) {
      const TableDef* def = LookupTable(ctx, name);
      if (def == nullptr) return UndefinedRelation(db.catalog(), name);
      tables.push_back(def);
    }
    return LockTables(session, stmt, tables);
  }

  // PREPARE: the statement described as the protocol's Parse describes it (its $n's types
  // fixed, its errors now), then kept in the session.
  Result<QueryResult> ExecutePrepare(Session& session, const ast::Prepare& stmt) {
    SQLRITE_TRY(CheckPrepareName(session, stmt.name));
    for (const std::string& user_type : stmt.type_names) {
      if (!user_type.empty())
        return Fail(sqlstate::kFeatureNotSupported,
                    "PREPARE with a parameter of a user type is not "
                    "supported yet");
    }
    SQLRITE_ASSIGN_OR_RETURN(Description described,
                             DescribeStatement(session, stmt.body->statement, stmt.types));
    session.sql_prepared()[stmt.name] =
        Session::SqlPrepared{described.param_types, stmt.body, nullptr};
    return Tagged("PREPARE");
  }

  // EXECUTE: the prepared statement run with its values, as a Bind + Execute of it would; its
  // result and command tag are the statement's.
  // A protocol statement may itself be an EXECUTE (engine/prepared_link.h): a chain of them is
  // bounded as PostgreSQL's stack depth check bounds it, so a hostile one cannot exhaust the stack.
  static constexpr int kMaxExecuteDepth = 32;
  int execute_depth_ = 0;  // EXECUTEs (and their describes) running inside one another
  struct ExecuteDepth {
    int& depth;
    explicit ExecuteDepth(int& d) : depth(d) { ++depth; }
    ~ExecuteDepth() { --depth; }
    Status Check() const {
      if (depth <= kMaxExecuteDepth) return Ok();
      return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                      .WithHint("Prepared statements execute one another too deeply."));
    }
  };

  Outcome ExecuteExecute(Session& session, const ast::ExecutePrepared& stmt) {
    ExecuteDepth depth(execute_depth_);
    if (Status deep = depth.Check(); !deep) return Fail(std::move(deep.error()));
    Result<const Session::SqlPrepared*> found = FindPrepared(session, stmt.name);
    if (!found) return Fail(std::move(found.error()));
    // Held for the run: a DEALLOCATE cannot reach it meanwhile, but the map may rehash.
    const Session::SqlPrepared prepared = **found;
    Result<std::vector<Datum>> values = BindExecuteArguments(prepared, stmt);
    if (!values) return Fail(std::move(values.error()));
    ParamContext params;
    params.types = prepared.types;
    params.values = &*values;
    return TryExecute(session, prepared.statement(), &params);
  }

  // SET CONSTRAINTS: the block's modes (engine/deferred_constraints.h), and for IMMEDIATE the
  // checks deferred so far run now, as PostgreSQL fires them. A name must be a constraint's
  // (42704) and a deferrable one (42809), as AfterTriggerSetState requires of every name.
  Result<QueryResult> ExecuteSetConstraints(Session& session, const ast::SetConstraints& stmt) {
    QueryResult result = Tagged("SET CONSTRAINTS");
    TransactionState& tx = session.tx();
    Database& db = session.db();
    // Outside a block PostgreSQL warns and still checks the names (AfterTriggerSetState).
    std::optional<Database::ReadCommittedScope> outside;
    if (!tx.in_block) {
      result.notices.push_back(Error(sqlstate::kNoActiveSqlTransaction,
                                     "SET CONSTRAINTS can only be used in transaction blocks")
                                   .WithSeverity(Severity::kWarning));
      if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
      outside.emplace(db, db.writer() != nullptr && !tx.writer);
    }
    for (const std::string& name : stmt.names) {
      bool found = false, deferrable = true;
      for (const auto& [table_name, table] : db.catalog().tables()) {
        for (const ForeignKey& fk : table.foreign_keys) {
          if (fk.name != name) continue;
          found = true;
          deferrable = deferrable && fk.deferrable;
        }
        for (const IndexDef& ix : table.indexes) {
          if (ix.constraint && ix.name == name)
            found = true, deferrable = deferrable && ix.deferrable;
        }
        for (const CheckConstraint& c : table.checks) {
          if (c.name == name) found = true, deferrable = false;
        }
      }
      if (!found) {
        return Fail(sqlstate::kUndefinedObject, "constraint \"" + name + "\" does not exist");
      }
      if (!deferrable) {
        return Fail(sqlstate::kWrongObjectType, "constraint \"" + name + "\" is not deferrable");
      }
    }
    if (!tx.in_block) return result;
    if (stmt.names.empty()) tx.deferred.SetAll(stmt.deferred);
    for (const std::string& name : stmt.names) tx.deferred.Set(name, stmt.deferred);
    if (!stmt.deferred && !tx.deferred.pending().empty()) {
      if (stmt.names.empty()) {
        SQLRITE_TRY(ForeignKeyChecks::RunDeferred(db, session.StatementInterruptCheck(),
                                                  tx.deferred.pending()));
      }
      for (const std::string& name : stmt.names) {
        SQLRITE_TRY(ForeignKeyChecks::RunDeferred(db, session.StatementInterruptCheck(),
                                                  tx.deferred.pending(), &name));
      }
    }
    return result;
  }

  // An error inside a block fails the block.
  Result<QueryResult> Finish(Session& session, Result<QueryResult> result) {
    TransactionState& tx = session.tx();
    if (!result && tx.in_block) tx.failed = true;
    // set_config(..., true) outside a block: its statement's implicit transaction ends here.
    if (!tx.in_block && !tx.local_settings.empty()) {
      session.RestoreSettings(tx.local_settings, result ? &*result : nullptr);
      tx.local_settings.clear();
    }
    return result;
  }

  static tl::unexpected<Error> NotInBlock(const std::string& what) {
    return Fail(sqlstate::kActiveSqlTransaction, what + " cannot run inside a transaction block");
  }

  // ---- the single writer ---------------------------------------------------------------------

  // Makes session the writer of its database if nobody else is. False: it must wait.
  // FOR UPDATE NOWAIT: 55P03 when another session holds the writer slot or an open point
  // writer (either holds every row this would lock), after analysis, as PostgreSQL's.
  Status RefuseNoWait(Session& session, const ast::Select& stmt) {
    if (!LocksWithoutWaiting(stmt)) return Ok();
    Database& db = session.db();
    const bool others = (db.writer() != nullptr && db.writer() != &session) ||
                        db.point_writers().open.size() > (session.tx().point.active() ? 1u : 0u);
    if (!others) return Ok();
    const std::vector<std::string> tables = LockedTables(stmt);
    if (tables.empty()) return Ok();
    if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
    {
      Database::ReadCommittedScope scope(db, db.writer() != nullptr && !session.tx().writer);
      ExecContext ctx{db, session, /*describe_only=*/true};
      SQLRITE_TRY(ExecuteSelect(ctx, stmt));
    }
    return Fail(sqlstate::kLockNotAvailable,
                "could not obtain lock on row in relation \"" + tables.front() + "\"");
  }

  // pg_locks' facts of a session the server opened (engine/session_registry.h): whether it
  // holds the writer slot, whether a statement of it is parked.
  static std::shared_ptr<SessionActivity> ActivityOf(const Session& session) {
    const uint32_t pid = session.locals()->backend_pid.load(std::memory_order_relaxed);
    return pid == 0 ? nullptr : ProcessSessions().Find(pid);
  }
  static void NoteWriter(const Session& session, bool holds) {
    if (auto activity = ActivityOf(session)) {
      activity->SetWriter(holds);
      if (holds) activity->SetWaiting(false);
    }
  }

  bool AcquireWriter(Session& session) {
    Database& db = session.db();
    if (session.tx().writer) return true;
    if (db.writer() != nullptr) return false;
    // The classic writer waits for every point-writer transaction to end (P1).
    if (!db.point_writers().open.empty()) return false;
    db.set_writer(&session);
    session.tx().writer = true;
    NoteWriter(session, true);
    if (session.tx().in_block) db.SnapshotCatalog();
    return true;
  }

  // The first write of a REPEATABLE READ / SERIALIZABLE block that read a snapshot, once it holds
  // the writer slot: 40001 when anything committed after the snapshot (the block's reads may be
  // stale, and with one writer at a time nothing else can conflict; see docs/decisions.md),
  // releasing the slot (the error fails the block). Else the snapshot goes: the writer's view is
  // that state plus the block's own changes from here on.
  Status CheckSnapshotCurrent(Session& session) {
    TransactionState& tx = session.tx();
    if (tx.snapshot == nullptr) return Ok();
    if (tx.snapshot->snapshot.mark() < session.db().pager().commit_mark()) {
      Status restored = session.db().Rollback();  // nothing written: puts the catalog back
      static_cast<void>(restored);
      ReleaseWriter(session);
      // The snapshot stays: after ROLLBACK TO a savepoint the block still reads it (and a
      // retried write fails again), as in PostgreSQL.
      return Fail(sqlstate::kSerializationFailure,
                  "could not serialize access due to concurrent update");
    }
    tx.snapshot.reset();
    return Ok();
  }

  void ReleaseWriter(Session& session) {
    Database& db = session.db();
    session.tx().writer = false;
    db.set_writer(nullptr);
    NoteWriter(session, false);
    RunWaiters(db);
  }

  // Runs parked statements in arrival order until one of them holds the writer beyond its
  // statement (a block) or none is left.
  void RunWaiters(Database& db) {
    if (running_waiters_) return;  // the outer call's loop picks up the rest
    running_waiters_ = true;
    while (db.writer() == nullptr && !db.waiters().empty() && !closed_) {
      Database::Waiter waiter = std::move(db.waiters().front());
      db.waiters().pop_front();
      auto& session = static_cast<Session&>(*waiter.session);
      Outcome outcome = TryExecute(session, *waiter.statement, waiter.params);
      if (!outcome && pending_lock_) {
        // It now waits for a row lock, no longer for the slot.
        ParkStatement(session, *waiter.statement, std::move(waiter.done), waiter.params);
        continue;
      }
      if (!outcome) {
        pending_upgrade_ = false;
        db.waiters().push_front(std::move(waiter));
        break;
      }
      waiter.done(std::move(*outcome));
    }
    running_waiters_ = false;
  }

  void Park(Session& session, const ast::Statement& statement, Completion done,
            ParamContext* params, bool first = false) {
    Database& db = session.db();
    const uint64_t ticket = ++next_ticket_;
    if (first) {
      db.waiters().push_front({&session, &statement, std::move(done), ticket, params});
    } else {
      db.waiters().push_back({&session, &statement, std::move(done), ticket, params});
    }
    StartWaitTimer(session, ticket);
  }

  // The lock_timeout / statement_timeout timer of a parked statement (Expire finds it by ticket).
  void StartWaitTimer(Session& session, uint64_t ticket) {
    if (options_.queue == nullptr) return;
    // PostgreSQL fails a lock wait at whichever of the two limits comes first.
    int64_t lock_ms = session.TimeoutMs("lock_timeout");
    int64_t statement_ms = session.TimeoutMs("statement_timeout");
    bool by_lock = lock_ms > 0 && (statement_ms == 0 || lock_ms <= statement_ms);
    int64_t ms = by_lock ? lock_ms : statement_ms;
    if (ms <= 0) return;
    std::weak_ptr<bool> alive = alive_;
    options_.queue->PostAt(EngineQueue::Clock::now() + std::chrono::milliseconds(ms),
                           [this, alive, ticket, by_lock] {
                             auto still = alive.lock();
                             if (still && *still) Expire(ticket, by_lock);
                           });
  }

  void Expire(uint64_t ticket, bool by_lock) {
    if (auto it = lock_waiters_.find(ticket); it != lock_waiters_.end()) {
      LockWaiter waiter = std::move(it->second);
      waiter.db->point_writers().locks.Dequeue(ticket);
      lock_waiters_.erase(it);
      waiter.done(Finish(
          *waiter.session,
          by_lock
              ? Fail(sqlstate::kLockNotAvailable, "canceling statement due to lock timeout")
              : Fail(sqlstate::kQueryCanceled, "canceling statement due to statement timeout")));
      return;
    }
    for (auto& [oid, db] : databases_) {
      auto& waiters = db->waiters();
      for (auto it = waiters.begin(); it != waiters.end(); ++it) {
        if (it->ticket != ticket) continue;
        Database::Waiter waiter = std::move(*it);
        waiters.erase(it);
        auto& session = static_cast<Session&>(*waiter.session);
        session.tx().point.waiting_upgrade = false;
        waiter.done(Finish(session, by_lock ? Fail(sqlstate::kLockNotAvailable,
                                                   "canceling statement due to lock timeout")
                                            : Fail(sqlstate::kQueryCanceled,
                                                   "canceling statement due to statement "
                                                   "timeout")));
        return;
      }
    }
  }

  // ---- point writers (engine/point_writer.h) -------------------------------------------------

  // Parks a statement TryExecute could not run: on the row lock it waits for, or for the writer
  // slot (an upgrading point writer first in line: every other waiter for the slot waits for it
  // anyway, since it holds its point-writer transaction open).
  void ParkStatement(Session& session, const ast::Statement& statement, Completion done,
                     ParamContext* params) {
    if (auto activity = ActivityOf(session)) activity->SetWaiting(true);
    if (pending_lock_) {
      std::string key = std::move(*pending_lock_);
      pending_lock_.reset();
      Database& db = session.db();
      const uint64_t ticket = ++next_ticket_;
      db.point_writers().locks.Enqueue(key, session.tx().point.owner, ticket);
      lock_waiters_.emplace(ticket, LockWaiter{&session, &statement, std::move(done), params, &db});
      StartWaitTimer(session, ticket);
      return;
    }
    Park(session, statement, std::move(done), params, std::exchange(pending_upgrade_, false));
  }

  // Runs the statements whose waits were granted a row lock, in grant order.
  void GrantLockWaiters(const std::vector<RowLockTable::Ticket>& granted) {
    for (RowLockTable::Ticket ticket : granted) {
      auto it = lock_waiters_.find(ticket);
      SQLRITE_ASSERT(it != lock_waiters_.end());
      LockWaiter waiter = std::move(it->second);
      lock_waiters_.erase(it);
      Outcome outcome = TryExecute(*waiter.session, *waiter.statement, waiter.params);
      if (outcome) {
        waiter.done(std::move(*outcome));
      } else {
        ParkStatement(*waiter.session, *waiter.statement, std::move(waiter.done), waiter.params);
      }
    }
  }

  // Whether session's block may begin a point-writer transaction with its next write.
  bool MayBecomePointWriter(Session& session) {
    const TransactionState& tx = session.tx();
    Database& db = session.db();
    return options_.point_writers && tx.in_block && !tx.failed && !tx.writer &&
           tx.implicit == ast::Transaction::Implicit::kNo && tx.savepoints.empty() &&
           !ReadOnly(session) && !IsRepeatableOrSerializable(session) && db.writer() == nullptr &&
           db.waiters().empty();
  }

  // VACUUM / ANALYZE, not CLUSTER or REINDEX (which write).
  static bool IsPlainVacuum(const ast::Statement& statement) {
    const auto* vacuum = std::get_if<ast::Vacuum>(&statement);
    return vacuum != nullptr && vacuum->command == ast::Vacuum::Command::kVacuum;
  }

  static bool IsDatabaseComment(const ast::Statement& statement) {
    const auto* comment = std::get_if<ast::Comment>(&statement);
    return comment != nullptr && comment->kind == ast::Comment::kDatabase;
  }

  // Statements a point writer runs as any block does, without its overlay or the writer slot.
  static bool NeedsNoUpgrade(const ast::Statement& statement) {
    if (const auto* tx = std::get_if<ast::Transaction>(&statement)) {
      return tx->kind != ast::Transaction::kSavepoint;
    }
    return std::holds_alternative<ast::SetVariable>(statement) ||
           std::holds_alternative<ast::ShowVariable>(statement) ||
           std::holds_alternative<ast::Checkpoint>(statement) || IsPlainVacuum(statement) ||
           std::holds_alternative<ast::SetConstraints>(statement) ||
           std::holds_alternative<ast::CreateDatabase>(statement) ||
           std::holds_alternative<ast::DropDatabase>(statement) || IsDatabaseComment(statement) ||
           std::holds_alternative<ast::CreateRole>(statement) ||
           std::holds_alternative<ast::AlterRole>(statement) ||
           std::holds_alternative<ast::DropRole>(statement) ||
           std::holds_alternative<ast::Fetch>(statement) ||
           std::holds_alternative<ast::CloseCursor>(statement);
  }

  // The point-writer path of TryExecute. nullopt: not for it (today's path runs the statement,
  // after an upgrade when one happened here); an Outcome: its result, or nullopt when it must
  // wait (pending_lock_ or pending_upgrade_ says for what).
  std::optional<Outcome> RunAsPointWriter(Session& session, const ast::Statement& statement) {
    TransactionState& tx = session.tx();
    PointTransaction& point = tx.point;
    Database& db = session.db();
    point.waiting_upgrade = false;
    if (!point.active()) {
      if (!MayBecomePointWriter(session)) return std::nullopt;
      if (ClassifyPointStatement(db.catalog(), statement) != PointRole::kWrite) return std::nullopt;
      if (!db.WritesAllowed()) return std::nullopt;  // today's path reports why
      point.owner = ++next_point_owner_;
      db.point_writers().open.emplace(point.owner, &session);
      NoteWriter(session, true);  // a writing transaction, as the classic writer's
      return PointWrite(session, statement);
    }
    if (NeedsNoUpgrade(statement)) return std::nullopt;
    PointRole role = ClassifyPointStatement(db.catalog(), statement);
    // An UPDATE may match a row the block inserted, whose rowid is only assigned at COMMIT.
    if (role == PointRole::kWrite && std::holds_alternative<ast::Update>(statement) &&
        point.overlay.InsertedInto(PointTarget(statement))) {
      role = PointRole::kNone;
    }
    // SET TRANSACTION READ ONLY after a write: today's path refuses the next one (25006).
    if (role == PointRole::kWrite && ReadOnly(session)) return std::nullopt;
    if (role == PointRole::kWrite) return PointWrite(session, statement);
    if (role == PointRole::kRead) {
      OverlayTrial trial(db, point.overlay,
                         OnlyTableRead(db.catalog(), std::get<ast::Select>(statement)));
      if (!trial.applied()) return Outcome(Fail(trial.applied().error()));
      ExecContext ctx{db, session};
      return Outcome(ExecuteSessionSelect(ctx, statement));
    }
    if (const auto* select = std::get_if<ast::Select>(&statement)) {
      SQLRITE_TRY(RefuseNoWait(session, *select));  // before the upgrade's wait
    }
    std::optional<Status> upgraded = Upgrade(session);
    if (!upgraded) return Outcome(std::nullopt);
    if (!*upgraded) return Outcome(Fail(std::move(upgraded->error())));
    return std::nullopt;
  }

  // A point UPDATE or INSERT: a trial over the block's overlay, then the rows it wrote are
  // locked (or the statement waits for the first lock another transaction holds, and runs again
  // once granted) and captured into the overlay.
  Outcome PointWrite(Session& session, const ast::Statement& statement) {
    struct Capture final : DmlObserver {
      struct Written {
        const TableDef* table;
        std::string rowid_key;
        Row row;
        bool inserted;
      };
      std::vector<Written> rows;
      void Inserted(const TableDef& table, const Row& row) override {
        rows.push_back({&table, std::string(), row, true});
      }
      void Updated(const TableDef& table, std::string_view rowid_key, const Row& row) override {
        rows.push_back({&table, std::string(rowid_key), row, false});
      }
    };
    Database& db = session.db();
    PointTransaction& point = session.tx().point;
    RowLockTable& locks = db.point_writers().locks;
    Result<QueryResult> result = QueryResult();
    std::vector<PointOverlay::Image> images;
    std::vector<PointOverlay::Inserted> inserted;
    {
      OverlayTrial trial(db, point.overlay, PointTarget(statement));
      if (!trial.applied()) return Fail(trial.applied().error());
      Capture capture;
      ExecContext ctx{db, session};
      ctx.observer = &capture;
      ctx.trial = true;
      TableStats::OwnerScope counted_for(point.owner);  // its rows, not the pager's transaction's
      result = std::visit(
          [&](const auto& stmt) -> Result<QueryResult> {
            using S = std::decay_t<decltype(stmt)>;
            if constexpr (std::is_same_v<S, ast::Update> || std::is_same_v<S, ast::Insert>) {
              return Run(ctx, stmt);
            } else {
              SQLRITE_ASSERT(false);  // ClassifyPointStatement's kWrite
              return QueryResult();
            }
          },
          statement);
      if (!result) {
        ForgetUnusedPointWriter(session);
        return result;
      }
      for (const Capture::Written& w : capture.rows) {
        std::string rowid_key = w.rowid_key;
        if (w.inserted && w.table->rowid_column >= 0) {
          rowid_key = RowidKey(DatumAs<int64_t>(w.row[static_cast<size_t>(w.table->rowid_column)]));
        }
        const std::string key = RowLockKey(*w.table, rowid_key, w.row);
        if (!key.empty() && !locks.TryAcquire(key, point.owner)) {
          std::vector<RowLockTable::Owner> cycle =
              locks.FindCycle(point.owner, key, UpgradeEdges(db));
          if (!cycle.empty()) return Deadlock(session, cycle);
          pending_lock_ = key;
          return std::nullopt;  // the trial is rolled back; it runs again once granted
        }
        if (w.inserted) {
          inserted.push_back({w.table->name, w.row});
          continue;
        }
        storage::BTree tree(db.pager(), w.table->root);
        SQLRITE_ASSIGN_OR_RETURN(std::optional<std::string> record, tree.Get(w.rowid_key));
        SQLRITE_ASSERT(record.has_value());  // the executor has just written it
        images.push_back({w.table->name, w.rowid_key, std::move(*record)});
      }
    }
    for (PointOverlay::Image& image : images) {
      point.overlay.PutImage(image.table, image.rowid_key, std::move(image.record));
    }
    for (PointOverlay::Inserted& row : inserted) point.overlay.inserted.push_back(std::move(row));
    return result;
  }

  // A point writer that failed before it locked or wrote anything holds nothing others could
  // wait for: it stops being one (and a classic writer waiting for it may go).
  void ForgetUnusedPointWriter(Session& session) {
    PointTransaction& point = session.tx().point;
    if (!point.overlay.empty() || session.db().point_writers().locks.HeldBy(point.owner) != 0) {
      return;
    }
    std::vector<RowLockTable::Ticket> granted = EndPointTransaction(session);
    SQLRITE_ASSERT(granted.empty());
    RunWaiters(session.db());
  }

  // The wait-for edges besides row locks: an upgrading point writer waits for every other one.
  RowLockTable::ExtraEdges UpgradeEdges(Database& db) {
    return [&db](RowLockTable::Owner owner) {
      std::vector<RowLockTable::Owner> edges;
      const auto& open = db.point_writers().open;
      auto it = open.find(owner);
      if (it == open.end() || !static_cast<Session*>(it->second)->tx().point.waiting_upgrade) {
        return edges;
      }
      for (const auto& [other, session] : open) {
        if (other != owner) edges.push_back(other);
      }
      return edges;
    };
  }

  // 40P01 with PostgreSQL's DETAIL: each process of the cycle waiting for the next.
  tl::unexpected<Error> Deadlock(Session& session, const std::vector<RowLockTable::Owner>& cycle) {
    const auto& open = session.db().point_writers().open;
    auto process = [&](RowLockTable::Owner owner) -> std::string {
      auto it = open.find(owner);
      for (const auto& [pid, key] : cancel_keys_) {
        if (it != open.end() && key.second == it->second) return std::to_string(pid);
      }
      return "0";
    };
    std::vector<RowLockTable::Owner> ring = {session.tx().point.owner};
    ring.insert(ring.end(), cycle.begin(), cycle.end());
    std::string detail;
    for (size_t i = 0; i < ring.size(); ++i) {
      const RowLockTable::Owner next = ring[(i + 1) % ring.size()];
      if (!detail.empty()) detail += "\n";
      detail += "Process " + process(ring[i]) + " waits for ShareLock on transaction " +
                std::to_string(next) + "; blocked by process " + process(next) + ".";
    }
    return Fail(Error(kDeadlockDetectedState, "deadlock detected")
                    .WithDetail(std::move(detail))
                    .WithHint("See server log for query details."));
  }

  // A point writer's statement that needs the writer slot: once no other point-writer
  // transaction is open, the block becomes the classic writer with its overlay written into the
  // pager's transaction (Ok); before that it waits (nullopt), unless that wait would close a
  // cycle (40P01).
  std::optional<Status> Upgrade(Session& session) {
    Database& db = session.db();
    PointTransaction& point = session.tx().point;
    PointWriters& writers = db.point_writers();
    if (db.writer() == nullptr && writers.open.size() == 1) {
      SQLRITE_ASSERT(!db.pager().in_transaction());  // P1
      db.set_writer(&session);
      session.tx().writer = true;
      NoteWriter(session, true);
      db.SnapshotCatalog();
      Status applied = ApplyOverlay(db, point.overlay);
      ProcessTableStats().Adopt(db.oid(), point.owner);
      std::vector<RowLockTable::Ticket> granted = EndPointTransaction(session);
      SQLRITE_ASSERT(granted.empty());  // only point writers wait for row locks
      if (!applied) {
        // The block's changes are lost: it fails (Finish), and its end rolls the rest back.
        static_cast<void>(db.Rollback());
        return std::optional<Status>(Fail(std::move(applied.error())));
      }
      return std::optional<Status>(Ok());
    }
    std::vector<RowLockTable::Owner> others;
    for (const auto& [owner, other] : writers.open) {
      if (owner != point.owner) others.push_back(owner);
    }
    std::vector<RowLockTable::Owner> cycle =
        writers.locks.FindCycleFrom(point.owner, others, UpgradeEdges(db));
    if (!cycle.empty()) return std::optional<Status>(Deadlock(session, cycle));
    point.waiting_upgrade = true;
    pending_upgrade_ = true;
    return std::nullopt;
  }

  // COMMIT of a point writer: its overlay applied as one pager transaction and committed (group
  // commit acknowledges it after the fsync, as any commit).
  Status CommitOverlay(Session& session, bool* committed) {
    Database& db = session.db();
    SQLRITE_TRY(db.WritesAllowed());
    SQLRITE_ASSERT(db.writer() == nullptr && !db.pager().in_transaction());  // P1
    Status applied = ApplyOverlay(db, session.tx().point.overlay);
    if (!applied) {
      static_cast<void>(db.Rollback());
      return applied;
    }
    return db.Commit(committed);
  }

  // Ends session's point-writer transaction: its locks released (the tickets granted are
  // returned for GrantLockWaiters, to run once the session's state is settled), its overlay
  // dropped.
  std::vector<RowLockTable::Ticket> EndPointTransaction(Session& session) {
    PointTransaction& point = session.tx().point;
    PointWriters& writers = session.db().point_writers();
    std::vector<RowLockTable::Ticket> granted = writers.locks.ReleaseAll(point.owner);
    // Whatever of its changes nobody settled was rolled back.
    ProcessTableStats().EndTransaction(session.db().oid(), point.owner, false);
    writers.open.erase(point.owner);
    point.owner = 0;
    point.overlay.Clear();
    point.waiting_upgrade = false;
    // An upgrade to the writer slot keeps the transaction (and its id).
    if (!session.tx().writer) NoteWriter(session, false);
    return granted;
  }

  // ---- DROP DATABASE waiting for other sessions (invariant 6) --------------------------------

  struct DropWaiter {
    Session* session;
    const ast::Statement* statement;
    uint32_t oid;  // the database to drop
    Completion done;
    uint64_t ticket;  // identifies it to its timer
  };

  // The oid of stmt's database when the statement would fail only because other sessions use
  // that database, and may wait for them (a timer can end the wait); else nullopt.
  std::optional<uint32_t> DatabaseInUse(Session& session, const ast::DropDatabase& stmt) {
    if (closed_ || options_.queue == nullptr) return std::nullopt;
    const TransactionState& tx = session.tx();
    if (tx.in_block || tx.failed) return std::nullopt;
    auto oid = DatabaseOid(stmt.name);
    if (!oid || !*oid || **oid == session.db().oid()) return std::nullopt;
    auto it = databases_.find(**oid);
    if (it == databases_.end() || it->second->sessions() == 0) return std::nullopt;
    return **oid;
  }

  void ParkDrop(Session& session, const ast::Statement& statement, uint32_t oid, Completion done) {
    const uint64_t ticket = ++next_ticket_;
    drop_waiters_.push_back({&session, &statement, oid, std::move(done), ticket});
    std::weak_ptr<bool> alive = alive_;
    options_.queue->PostAt(EngineQueue::Clock::now() + kDropDatabaseWait, [this, alive, ticket] {
      auto still = alive.lock();
      if (still && *still) RunDropWaiter(ticket);
    });
  }

  // Runs the waiting DROP DATABASE with this ticket, if it still waits: it succeeds or, with
  // sessions left, fails with 55006 naming how many.
  void RunDropWaiter(uint64_t ticket) {
    for (auto it = drop_waiters_.begin(); it != drop_waiters_.end(); ++it) {
      if (it->ticket != ticket) continue;
      DropWaiter waiter = std::move(*it);
      drop_waiters_.erase(it);
      RunDrop(waiter);
      return;
    }
  }

  // Runs every DROP DATABASE waiting for database oid (its last session just ended).
  void RunDropWaiters(uint32_t oid) {
    for (auto it = drop_waiters_.begin(); it != drop_waiters_.end();) {
      if (it->oid != oid) {
        ++it;
        continue;
      }
      DropWaiter waiter = std::move(*it);
      it = drop_waiters_.erase(it);
      RunDrop(waiter);
      // The callback may have changed the list (a nested Disconnect); restart the walk.
      it = drop_waiters_.begin();
    }
  }

  void RunDrop(DropWaiter& waiter) {
    Outcome outcome = TryExecute(*waiter.session, *waiter.statement);
    // DROP DATABASE never waits for the writer.
    waiter.done(outcome ? std::move(*outcome)
                        : Fail(sqlstate::kInternalError, "DROP DATABASE cannot wait here"));
  }

  // ---- transaction blocks --------------------------------------------------------------------

  Outcome ExecuteTransaction(Session& session, const ast::Transaction& stmt) {
    TransactionState& tx = session.tx();
    switch (stmt.kind) {
      case ast::Transaction::kBegin:
        if (tx.in_block && tx.implicit != ast::Transaction::Implicit::kNo &&
            stmt.implicit == ast::Transaction::Implicit::kNo) {
          // BEGIN inside an implicit transaction makes it the block.
          tx.implicit = ast::Transaction::Implicit::kNo;
          QueryResult begun = Tagged(stmt.start ? "START TRANSACTION" : "BEGIN");
          for (const ast::TransactionMode& mode : stmt.modes) {
            SQLRITE_TRY(SetParameter(session, mode.name, mode.value, false, &begun));
          }
          return begun;
        }
        return Begin(session, stmt.modes, stmt.implicit, stmt.start);
      case ast::Transaction::kCommit:
      case ast::Transaction::kRollback: {
        const bool commit = stmt.kind == ast::Transaction::kCommit;
        const bool implicit = tx.implicit != ast::Transaction::Implicit::kNo;
        if (stmt.chain && (!tx.in_block || implicit)) {
          return Fail(sqlstate::kNoActiveSqlTransaction,
                      std::string(commit ? "COMMIT" : "ROLLBACK") +
                          " AND CHAIN can only be used in transaction blocks");
        }
        if (!tx.in_block) {
          QueryResult result = Tagged(commit ? "COMMIT" : "ROLLBACK");
          result.notices.push_back(
              Warning(sqlstate::kNoActiveSqlTransaction, "there is no transaction in progress"));
          return result;
        }
        const bool failed = tx.failed;
        // AND CHAIN: a new block with the same characteristics.
        const std::vector<ast::TransactionMode> modes = {
            {"transaction_isolation", session.Get("transaction_isolation")},
            {"transaction_read_only", session.Get("transaction_read_only")},
            {"transaction_deferrable", session.Get("transaction_deferrable")}};
        Result<QueryResult> result = EndBlock(session, commit && !failed);
        if (result && implicit) {
          // PostgreSQL ends an implicit transaction here too, but says there was no block.
          result->notices.push_back(
              Warning(sqlstate::kNoActiveSqlTransaction, "there is no transaction in progress"));
        }
        if (result && failed) result->command_tag = "ROLLBACK";
        if (result && stmt.chain) {
          Outcome begun = Begin(session, modes);
          if (!begun) {
            // A chained BEGIN that cannot begin: the commit already happened, so report it
            // and leave the session idle.
            return result;
          }
          if (!*begun) return Fail(std::move(begun->error()));
        }
        return result;
      }
      case ast::Transaction::kSavepoint:
        if (!tx.in_block || tx.implicit != ast::Transaction::Implicit::kNo) {
          return Fail(sqlstate::kNoActiveSqlTransaction,
                      "SAVEPOINT can only be used in transaction blocks");
        }
        tx.savepoints.push_back({stmt.savepoint, tx.writer ? session.db().pager().Savepoint() : 0u,
                                 session.settings(), session.cursors().Mark()});
        return Tagged("SAVEPOINT");
      case ast::Transaction::kRelease:
      case ast::Transaction::kRollbackTo: {
        const bool release = stmt.kind == ast::Transaction::kRelease;
        if (!tx.in_block || tx.implicit != ast::Transaction::Implicit::kNo) {
          return Fail(sqlstate::kNoActiveSqlTransaction,
                      std::string(release ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT") +
                          " can only be used in transaction blocks");
        }
        size_t i = tx.savepoints.size();
        while (i > 0 && tx.savepoints[i - 1].name != stmt.savepoint) --i;
        if (i == 0) {
          return Fail(sqlstate::kInvalidSavepointSpecification,
                      "savepoint \"" + stmt.savepoint + "\" does not exist");
        }
        --i;
        storage::Pager& pager = session.db().pager();
        if (release) {
          // Keep the changes; forget the pager savepoints from i on.
          for (size_t j = i; j < tx.savepoints.size(); ++j) {
            if (tx.savepoints[j].pager_id != 0) {
              pager.ReleaseSavepoint(tx.savepoints[j].pager_id);
              break;
            }
          }
          tx.savepoints.resize(i);
          return Tagged("RELEASE");
        }
        Status reloaded = Ok();
        if (tx.writer) {
          if (tx.savepoints[i].pager_id != 0) {
            pager.RollbackToSavepoint(tx.savepoints[i].pager_id);
          } else {
            pager.Rollback();
          }
          reloaded = session.db().ReloadCatalog();
        }
        QueryResult result = Tagged("ROLLBACK");
        session.RestoreSettings(tx.savepoints[i].settings, &result);
        session.cursors().RollbackTo(tx.savepoints[i].cursor_mark);
        std::erase_if(tx.database_comments,
                      [i](const TransactionState::DatabaseComment& c) { return c.savepoints > i; });
        tx.savepoints.resize(i + 1);
        tx.failed = false;
        // The savepoint is rolled back either way (the bookkeeping above must match the
        // pager's); a catalog that cannot be re-read fails the statement, and so the block.
        if (!reloaded) return Fail(std::move(reloaded.error()));
        return result;
      }
    }
    return Fail(sqlstate::kInternalError, "unknown transaction statement");
  }

  Outcome Begin(Session& session, const std::vector<ast::TransactionMode>& modes,
                ast::Transaction::Implicit implicit = ast::Transaction::Implicit::kNo,
                bool start = false) {
    TransactionState& tx = session.tx();
    const char* tag = start ? "START TRANSACTION" : "BEGIN";
    if (tx.in_block) {
      QueryResult result = Tagged(tag);
      result.notices.push_back(
          Warning(sqlstate::kActiveSqlTransaction, "there is already a transaction in progress"));
      return result;
    }
    if (tx.settings_at_begin_version != session.settings_version()) {
      tx.settings_at_begin = session.settings();
      tx.settings_at_begin_version = session.settings_version();
    }
    tx.local_settings.clear();
    // The block starts with the default modes, then BEGIN's own apply in order (as PostgreSQL
    // sets each one; before any query, so none of SET TRANSACTION's checks can refuse them).
    session.BeginTransactionModes();
    for (const ast::TransactionMode& mode : modes) {
      SQLRITE_TRY(session.Set(mode.name, mode.value, nullptr));
    }
    tx.in_block = true;
    tx.snapshot_taken = false;
    tx.implicit = implicit;
    return Tagged(tag);
  }

  // Ends session's block (or its writer state): commits or rolls back, releases the writer.
  Result<QueryResult> EndBlock(Session& session, bool commit) {
    TransactionState& tx = session.tx();
    Database& db = session.db();
    QueryResult result = Tagged(commit ? "COMMIT" : "ROLLBACK");
    // The foreign-key checks deferred to COMMIT run first: a failure ends the block as a
    // ROLLBACK would, and COMMIT reports the violation.
    Status deferred = Ok();
    if (commit && tx.writer && !tx.deferred.pending().empty()) {
      deferred = ForeignKeyChecks::RunDeferred(db, session.StatementInterruptCheck(),
                                               tx.deferred.pending());
      commit = deferred.has_value();
    }
    // Settings: a rolled-back block takes its SETs back; either way SET LOCAL ends here.
    if (tx.in_block && !commit) {
      session.RestoreSettings(tx.settings_at_begin, &result);
    } else if (tx.in_block && !tx.local_settings.empty()) {
      session.RestoreSettings(tx.local_settings, &result);
    }
    tx.local_settings.clear();  // settings_at_begin keeps its nodes for the next BEGIN
    Status status = Ok();
    const bool point_writer = tx.point.active();
    std::vector<RowLockTable::Ticket> granted;
    if (point_writer) {
      if (commit && !tx.point.overlay.empty()) {
        bool committed = false;
        status = CommitOverlay(session, &committed);
        result.awaits_sync = committed;
      }
      ProcessTableStats().EndTransaction(db.oid(), tx.point.owner, commit && status.has_value());
      // Early lock release: the locks go once the commit is applied, before its fsync.
      granted = EndPointTransaction(session);
    }
    if (tx.writer) {
      if (commit) {
        bool committed = false;
        status = db.Commit(&committed);
        result.awaits_sync = committed;
      } else {
        status = db.Rollback();
      }
    }
    tx.deferred.Clear();
    if (!deferred) status = std::move(deferred);
    // The block's COMMENT ON DATABASE statements commit to the global file once its own commit
    // succeeded (a failure here is reported; the database's changes stay committed).
    std::vector<TransactionState::DatabaseComment> comments = std::move(tx.database_comments);
    tx.database_comments.clear();
    if (commit && status.has_value() && !comments.empty()) {
      status = ApplyDatabaseComments(std::move(comments));
    }
    // Cursors end with the transaction (held ones survive its commit), whatever the outcome.
    session.cursors().EndTransaction(commit && status.has_value());
    tx.in_block = false;
    tx.failed = false;
    tx.snapshot.reset();
    tx.implicit = ast::Transaction::Implicit::kNo;
    tx.snapshot_taken = false;
    tx.savepoints.clear();
    if (tx.writer) ReleaseWriter(session);
    if (point_writer) {
      GrantLockWaiters(granted);
      RunWaiters(db);  // a classic writer may have waited for the last point writer
    }
    if (!status) return Fail(std::move(status.error()));
    return result;
  }

  // ---- cursors (engine/cursor.h) ------------------------------------------------------------

  // Binds a cursor's query without running it: PostgreSQL analyses it before anything else of
  // DECLARE, so its errors (42P01, 42703, ...) come first.
  Result<QueryResult> BindCursorQuery(Session& session, const ast::DeclareCursor& stmt) {
    Database& db = session.db();
    if (db.writer() == nullptr) SQLRITE_TRY(db.EnsureCatalog());
    Database::ReadCommittedScope scope(db, db.writer() != nullptr && !session.tx().writer);
    ExecContext ctx{db, session, /*describe_only=*/true};
    return ExecuteSelect(ctx, *stmt.query);
  }

  // As PostgreSQL's PerformCursorOpen, with the query run to completion here (see cursor.h).
  Result<QueryResult> DeclareCursor(Session& session, const ast::DeclareCursor& stmt) {
    TransactionState& tx = session.tx();
    SQLRITE_TRY(BindCursorQuery(session, stmt));
    if (stmt.name.empty()) {
      return Fail(sqlstate::kInvalidCursorName, "invalid cursor name: must not be empty");
    }
    if (!stmt.hold && (!tx.in_block || tx.implicit == ast::Transaction::Implicit::kPipeline)) {
      return Fail(sqlstate::kNoActiveSqlTransaction,
                  "DECLARE CURSOR can only be used in transaction blocks");
    }
    if (session.cursors().Has(stmt.name)) {
      return Fail(sqlstate::kDuplicateCursor, "cursor \"" + stmt.name + "\" already exists");
    }
    Database& db = session.db();
    Database::ReadCommittedScope scope(db, db.writer() != nullptr && !tx.writer);
    ExecContext ctx{db, session};
    // A REPEATABLE READ / SERIALIZABLE block's cursor reads the block's snapshot.
    if (UsesBlockSnapshot(session)) {
      SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<Database::ReadView> view, ReadViewFor(session));
      ReadFromView(ctx, std::move(view));
    }
    // The cursor's source is the query's pipeline, drained here (DrainWithinStatement: the
    // cursor must see the data as of DECLARE; a cursor keeping its pipeline and snapshot is
    // later work).
    SelectPipeline pipeline;
    std::vector<Row> rows;
    SQLRITE_TRY(GuardStatement([&]() -> Result<QueryResult> {
      SQLRITE_ASSIGN_OR_RETURN(pipeline, BuildSelect(ctx, *stmt.query));
      SQLRITE_ASSIGN_OR_RETURN(rows, DrainWithinStatement(*pipeline.rows));
      return QueryResult{};
    }));
    Cursor::Options options;
    options.binary = stmt.binary;
    options.hold = stmt.hold;
    options.scrollable =
        stmt.scroll == ast::DeclareCursor::Scroll::kScroll ||
        (stmt.scroll == ast::DeclareCursor::Scroll::kUnspecified && pipeline.backward_scan);
    const size_t bytes = ApproximateBytes(rows);
    auto cursor =
        std::make_unique<Cursor>(std::move(pipeline.columns), options,
                                 std::make_unique<MaterializedRows>(std::move(rows)), bytes);
    SQLRITE_TRY(session.cursors().Declare(stmt.name, std::move(cursor), tx.in_block));
    return Tagged("DECLARE CURSOR");
  }

  Result<QueryResult> FetchCursor(Session& session, const ast::Fetch& stmt) {
    Cursor* cursor = session.cursors().Find(stmt.name);
    if (cursor == nullptr) {
      return Fail(sqlstate::kInvalidCursorName, "cursor \"" + stmt.name + "\" does not exist");
    }
    QueryResult result;
    if (!stmt.move) {
      result.returns_rows = true;
      result.columns = cursor->columns();
      result.binary = cursor->options().binary;
    }
    SQLRITE_ASSIGN_OR_RETURN(uint64_t count, cursor->Fetch(stmt.direction, stmt.count,
                                                           stmt.move ? nullptr : &result.rows));
    result.command_tag = (stmt.move ? "MOVE " : "FETCH ") + std::to_string(count);
    return result;
  }

  Result<QueryResult> CloseCursor(Session& session, const ast::CloseCursor& stmt) {
    if (stmt.all) {
      session.cursors().CloseAll();
      return Tagged("CLOSE CURSOR ALL");
    }
    if (!session.cursors().Close(stmt.name)) {
      return Fail(sqlstate::kInvalidCursorName, "cursor \"" + stmt.name + "\" does not exist");
    }
    return Tagged("CLOSE CURSOR");
  }

  // Sets (or with reset, resets) one parameter, through the transaction parameters' checks
  // (Session::SetParameter).
  static Status SetParameter(Session& session, const std::string& name, const std::string& value,
                             bool reset, QueryResult* result) {
    return session.SetParameter(name, value, reset, result);
  }

  Outcome ExecuteSet(Session& session, const ast::SetVariable& stmt) {
    TransactionState& tx = session.tx();
    QueryResult result = Tagged(stmt.reset_command ? "RESET" : "SET");
    if (!stmt.modes.empty()) {
      if (stmt.name == "session characteristics") {
        for (const ast::TransactionMode& mode : stmt.modes) {
          SQLRITE_TRY(session.Set("default_" + mode.name, mode.value, &result));
        }
        return result;
      }
      // SET TRANSACTION: outside a block it would set the modes of its own implicit
      // transaction, which ends at once.
      if (!tx.in_block) {
        result.notices.push_back(Warning(sqlstate::kNoActiveSqlTransaction,
                                         "SET TRANSACTION can only be used in transaction blocks"));
        return result;
      }
      for (const ast::TransactionMode& mode : stmt.modes) {
        SQLRITE_TRY(SetParameter(session, mode.name, mode.value, false, &result));
      }
      return result;
    }
    if (stmt.reset && stmt.name == "transaction_isolation" && !tx.in_block) {
      result.notices.push_back(Warning(sqlstate::kNoActiveSqlTransaction,
                                       "RESET TRANSACTION can only be used in transaction blocks"));
      return result;
    }
    if (stmt.local) {
      if (!tx.in_block) {
        // PostgreSQL: the implicit transaction of the statement ends at once, taking it along.
        result.notices.push_back(Warning(sqlstate::kNoActiveSqlTransaction,
                                         "SET LOCAL can only be used in transaction blocks"));
        return result;
      }
      // The first SET LOCAL of a name in the block remembers what the block's end restores.
      const Session::Settings& now = session.settings();
      if (auto it = now.find(stmt.name); it != now.end()) {
        tx.local_settings.try_emplace(it->first, it->second);
      }
    }
    std::string value = stmt.value;
    if (std::string written; stmt.name == "timezone" && value.starts_with("INTERVAL '")) {
      if (std::optional<int32_t> typmod = ast::SplitIntervalTypmod(value, &written)) {
        SQLRITE_ASSIGN_OR_RETURN(value, FlattenInterval(written, *typmod));
      }
    }
    SQLRITE_TRY(SetParameter(session, stmt.name, value, stmt.reset, &result));
    return result;
  }

  // SET TIME ZONE INTERVAL '5' HOUR's value as PostgreSQL's flatten_set_variable_args makes it:
  // the literal read under the interval typmod (interval_in), printed back (interval_out), so
  // the TimeZone check reads 05:00:00 rather than 5 seconds.
  static Result<std::string> FlattenInterval(const std::string& written, int32_t typmod) {
    constexpr std::string_view kOpen = "INTERVAL '";
    if (!written.starts_with(kOpen) || !written.ends_with('\'')) return written;
    const std::string_view text =
        std::string_view(written).substr(kOpen.size(), written.size() - kOpen.size() - 1);
    SQLRITE_ASSIGN_OR_RETURN(Interval v,
                             interval::ParseInRange(text, interval::TypmodRange(typmod)));
    std::string out(kOpen);
    interval::AppendText(out, interval::ApplyTypmod(v, typmod));
    return out + "'";
  }

  Result<QueryResult> Checkpoint() {
    DrainSyncs();
    for (auto& [oid, db] : databases_) SQLRITE_TRY(db->pager().Checkpoint());
    SQLRITE_TRY(global_->Checkpoint());
    return Tagged("CHECKPOINT");
  }

  // ---- databases -----------------------------------------------------------------------------

  // Creates the file of a new database, with its identity and an empty catalog, synced (the
  // file and its directory) before the catalog entry that names it is added; the caller
  // commits. An oid whose file exists (an orphan from a crash between the two) is skipped:
  // nothing is ever overwritten.
  Status CreateDatabaseEntry(std::string_view name) {
    uint32_t oid = global_->GetMeta(MetaSlot::kUser2);
    constexpr int kMaxSkipped = 1000;
    for (int skipped = 0;; ++skipped, ++oid) {
      if (skipped == kMaxSkipped || oid < kFirstDatabaseOid) {
        return Fail(sqlstate::kDataCorrupted,
                    "could not find a free database oid in \"" + options_.data_dir + "/base\"");
      }
      const std::string path = DatabasePath(options_.data_dir, oid);
      SQLRITE_ASSIGN_OR_RETURN(bool file_taken, FileSystemOf(options_).FileExists(path));
      if (file_taken) continue;
      SQLRITE_ASSIGN_OR_RETURN(bool wal_taken, FileSystemOf(options_).FileExists(path + "-wal"));
      if (!wal_taken) break;
    }
    SQLRITE_ASSIGN_OR_RETURN(uint64_t file_id, NewFileId());
    const DatabaseEntry entry{oid, file_id, std::nullopt};
    {
      storage::Pager::Options options = PagerOptions(options_);
      options.cache_bytes = 1u << 20;
      options.identity = ExpectedIdentity(entry);
      SQLRITE_ASSIGN_OR_RETURN(auto pager,
                               OpenPagerWithWal(DatabasePath(options_.data_dir, oid), options,
                                                OpenIntent::kCreate, FileSystemOf(options_)));
      // Loading the catalog of a new file creates its (empty) catalog tree.
      SQLRITE_ASSIGN_OR_RETURN(auto catalog, Catalog::Load(*pager));
      SQLRITE_ASSERT(catalog->tables().empty());
      SQLRITE_TRY(pager->Commit());
      // Close checkpoints the catalog into the file and syncs it.
      SQLRITE_TRY(pager->Close());
    }
    global_->SetMeta(MetaSlot::kUser2, oid + 1);
    SQLRITE_TRY(DatabasesTree(*global_).Insert(name, EncodeDatabaseEntry(entry)));
    return Ok();
  }

  storage::FileIdentity ExpectedIdentity(const DatabaseEntry& entry) const {
    return DatabaseIdentity(global_->identity().cluster, entry.oid, entry.file_id);
  }

  // Removes a dropped database's files. A failure leaves an orphan no catalog names (harmless;
  // `sqlrited check` lists it) and is reported as a WARNING, as PostgreSQL does.
  void RemoveDatabaseFiles(uint32_t oid, QueryResult* result) {
    storage::FileSystem& fs = FileSystemOf(options_);
    const std::string path = DatabasePath(options_.data_dir, oid);
    for (const std::string& file : {path, path + "-wal"}) {
      if (auto removed = fs.RemoveFile(file); !removed) {
        result->notices.push_back(Error(removed.error()).WithSeverity(Severity::kWarning));
      }
    }
    if (auto synced = fs.SyncDir(options_.data_dir + "/base"); !synced) {
      // A removal lost to a power cut leaves an orphan file, never a lost database.
      result->notices.push_back(Error(synced.error()).WithSeverity(Severity::kWarning));
    }
  }

  Result<std::optional<DatabaseEntry>> FindDatabase(std::string_view name) {
    SQLRITE_ASSIGN_OR_RETURN(auto value, DatabasesTree(*global_).Get(name));
    if (!value) return std::optional<DatabaseEntry>();
    SQLRITE_ASSIGN_OR_RETURN(DatabaseEntry entry, DecodeDatabaseEntry(*value));
    return std::optional<DatabaseEntry>(entry);
  }

  Result<std::optional<uint32_t>> DatabaseOid(std::string_view name) {
    SQLRITE_ASSIGN_OR_RETURN(auto entry, FindDatabase(name));
    if (!entry) return std::optional<uint32_t>();
    return std::optional<uint32_t>(entry->oid);
  }

  Result<Database*> OpenDatabase(std::string_view name) {
    SQLRITE_ASSIGN_OR_RETURN(auto entry, FindDatabase(name));
    if (!entry) {
      return Fail(sqlstate::kInvalidCatalogName,
                  "database \"" + std::string(name) + "\" does not exist");
    }
    auto it = databases_.find(entry->oid);
    if (it != databases_.end()) return it->second.get();
    if (auto damaged = damaged_.find(entry->oid); damaged != damaged_.end()) {
      return Fail(DamagedDatabase(name, damaged->second));
    }
    storage::Pager::Options options = PagerOptions(options_);
    options.expect = ExpectedIdentity(*entry);
    auto db = Database::Open(DatabasePath(options_.data_dir, entry->oid), std::string(name),
                             entry->oid, options, FileSystemOf(options_));
    if (!db) return Fail(DamagedDatabase(name, db.error()));
    Database* raw = db->get();
    raw->set_directory(directory_);
    databases_.emplace(entry->oid, std::move(*db));
    return raw;
  }

  // Publishes the global file's roles and databases to the catalogs (catalog::ClusterDirectory).
  Status RefreshDirectory() {
    auto facts = std::make_shared<catalog::DirectoryFacts>();
    {
      BTree roles = RolesTree(*global_);
      BTree::Cursor cursor(roles);
      SQLRITE_TRY(cursor.SeekFirst());
      uint32_t next_oid = 16384;
      while (cursor.Valid()) {
        SQLRITE_ASSIGN_OR_RETURN(std::string value, cursor.value());
        SQLRITE_ASSIGN_OR_RETURN(RoleRecord role, DecodeRoleRecord(value));
        catalog::RoleFacts f;
        f.name = std::string(cursor.key());
        f.oid = role.bootstrap ? catalog::kBootstrapSuperuserOid : next_oid++;
        f.superuser = role.superuser;
        f.login = role.login;
        facts->roles.push_back(std::move(f));
        SQLRITE_TRY(cursor.Next());
      }
    }
    {
      BTree list = DatabasesTree(*global_);
      BTree::Cursor cursor(list);
      SQLRITE_TRY(cursor.SeekFirst());
      while (cursor.Valid()) {
        SQLRITE_ASSIGN_OR_RETURN(std::string value, cursor.value());
        SQLRITE_ASSIGN_OR_RETURN(DatabaseEntry entry, DecodeDatabaseEntry(value));
        facts->databases.push_back({entry.oid, std::string(cursor.key()),
                                    DatabaseComment(entry, global_->GetMeta(kInitDatabaseSlot))});
        SQLRITE_TRY(cursor.Next());
      }
    }
    facts->roles.push_back(
        {catalog::kDatabaseOwnerRoleOid, catalog::kDatabaseOwnerRole, false, false});
    facts->base_dir = options_.data_dir + "/base";
    directory_->Set(std::move(facts));
    return Ok();
  }

  // The error a connection to a database whose file cannot be used gets: XX001 (or the
  // operating system's error) naming the file, as FATAL.
  static Error DamagedDatabase(std::string_view name, const Error& cause) {
    return Error(cause.sqlstate,
                 "database \"" + std::string(name) + "\" cannot be opened: " + cause.message)
        .WithHint(cause.sqlstate == sqlstate::kDataCorrupted
                      ? "Run sqlrited check; restore the file from a backup. The other databases "
                        "are served."
                      : cause.hint);
  }

  Result<QueryResult> CreateDatabase(const ast::CreateDatabase& stmt) {
    SQLRITE_ASSIGN_OR_RETURN(auto oid, DatabaseOid(stmt.name));
    if (oid) {
      return Fail(sqlstate::kDuplicateDatabase, "database \"" + stmt.name + "\" already exists");
    }
    SQLRITE_TRY(CreateDatabaseEntry(stmt.name));
    return Tagged("CREATE DATABASE");
  }

  // COMMENT ON DATABASE: the text is kept in the database's entry of the global list (extension
  // 1, docs/file-format.md), committed as CREATE DATABASE is, or, inside a block (an implicit
  // one of a query string too), at the block's COMMIT (TransactionState::database_comments). As
  // PostgreSQL's CommentObject, a database that does not exist is only a WARNING (3D000), so
  // that a dump restores under another name; the owner of every database is the bootstrap
  // superuser, so only superusers may comment (42501, PostgreSQL's "must be owner of database").
  Result<QueryResult> CommentOnDatabase(Session& session, const ast::Comment& stmt) {
    QueryResult result = Tagged("COMMENT");
    SQLRITE_ASSIGN_OR_RETURN(std::optional<DatabaseEntry> entry, FindDatabase(stmt.name));
    if (!entry) {
      result.notices.push_back(
          Error(sqlstate::kInvalidCatalogName, "database \"" + stmt.name + "\" does not exist")
              .WithSeverity(Severity::kWarning));
      return result;
    }
    SQLRITE_ASSIGN_OR_RETURN(auto role_value, RolesTree(*global_).Get(session.user()));
    bool superuser = false;
    if (role_value) {
      SQLRITE_ASSIGN_OR_RETURN(RoleRecord role, DecodeRoleRecord(*role_value));
      superuser = role.superuser;
    }
    if (!superuser) {
      return Fail(sqlstate::kInsufficientPrivilege, "must be owner of database " + stmt.name);
    }
    TransactionState& tx = session.tx();
    if (tx.in_block) {
      tx.database_comments.push_back(
          {stmt.name, stmt.text.value_or(std::string()), tx.savepoints.size()});
      return result;
    }
    return InGlobal([&]() -> Result<QueryResult> {
      SQLRITE_TRY(SetDatabaseComment(stmt.name, stmt.text.value_or(std::string())));
      return result;
    });
  }

  // Writes a database's comment into its entry (uncommitted: InGlobal commits). A database
  // dropped since the statement ran is skipped.
  Status SetDatabaseComment(const std::string& name, std::string text) {
    SQLRITE_ASSIGN_OR_RETURN(std::optional<DatabaseEntry> entry, FindDatabase(name));
    if (!entry) return Ok();
    // Removing a comment writes the entry back without one (12 bytes, as before comments), but
    // for the database init made, whose "none" would read as initdb's comment.
    if (text.empty() && entry->oid != global_->GetMeta(kInitDatabaseSlot)) {
      entry->comment.reset();
    } else {
      entry->comment = std::move(text);
    }
    SQLRITE_TRY(DatabasesTree(*global_).Insert(name, EncodeDatabaseEntry(*entry), true));
    return Ok();
  }

  // A committed block's COMMENT ON DATABASE statements, in one commit of the global file.
  Status ApplyDatabaseComments(std::vector<TransactionState::DatabaseComment> comments) {
    Result<QueryResult> applied = InGlobal([&]() -> Result<QueryResult> {
      for (TransactionState::DatabaseComment& c : comments) {
        SQLRITE_TRY(SetDatabaseComment(c.database, std::move(c.text)));
      }
      return QueryResult();
    });
    if (!applied) return Fail(std::move(applied.error()));
    return Ok();
  }

  Result<QueryResult> DropDatabase(Session& session, const ast::DropDatabase& stmt) {
    QueryResult result = Tagged("DROP DATABASE");
    SQLRITE_ASSIGN_OR_RETURN(auto oid, DatabaseOid(stmt.name));
    if (!oid) {
      if (stmt.if_exists) {
        result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                        "database \"" + stmt.name + "\" does not exist, skipping"));
        return result;
      }
      return Fail(sqlstate::kInvalidCatalogName, "database \"" + stmt.name + "\" does not exist");
    }
    if (session.db().oid() == *oid) {
      return Fail(sqlstate::kObjectInUse, "cannot drop the currently open database");
    }
    auto it = databases_.find(*oid);
    if (it != databases_.end()) {
      int others = it->second->sessions();
      if (others > 0) {
        return Fail(Error(sqlstate::kObjectInUse,
                          "database \"" + stmt.name + "\" is being accessed by other users")
                        .WithDetail(others == 1 ? "There is 1 other session using the database."
                                                : "There are " + std::to_string(others) +
                                                      " other sessions using the database."));
      }
    }
    SQLRITE_TRY(DatabasesTree(*global_).Delete(stmt.name));
    damaged_.erase(*oid);
    drop_after_commit_ = *oid;  // InGlobal closes and removes it once the commit is durable
    return result;
  }

  Options options_;
  std::unique_ptr<DataDirLock> lock_;
  // Sessions' temporary files (base/pgsql_tmp), emptied at open.
  exec::TempSpace temp_space_{FileSystemOf(options_), TempDirPath(options_.data_dir)};
  std::unique_ptr<storage::Pager> global_;
  std::map<uint32_t, std::unique_ptr<Database>> databases_;  // by oid; opened on first use
  // The roles and databases the catalogs show, shared with every open database.
  std::shared_ptr<catalog::ClusterDirectory> directory_ =
      std::make_shared<catalog::ClusterDirectory>();
  // Databases whose file failed the identity check at start, by oid, with the reason.
  std::map<uint32_t, Error> damaged_;
  std::optional<uint32_t> drop_after_commit_;  // set by DropDatabase for InGlobal
  // Timers hold a weak reference: they may fire after Close() or the Cluster's destruction.
  std::shared_ptr<bool> alive_;
  uint64_t next_ticket_ = 0;
  std::deque<DropWaiter> drop_waiters_;  // in arrival order
  // BackendKeyData process id -> (secret key, session), for CancelRequest.
  std::unordered_map<uint32_t, std::pair<uint32_t, Session*>> cancel_keys_;
  bool running_waiters_ = false;
  bool closed_ = false;
  // Point writers (engine/point_writer.h): the statements waiting for a row lock, by the ticket
  // of their wait; the last owner id given; why TryExecute's nullopt waits (a row lock: its
  // key; an upgrade: first in the slot's line), read by ParkStatement.
  struct LockWaiter {
    Session* session;
    const ast::Statement* statement;
    Completion done;
    ParamContext* params;
    Database* db;
  };
  std::unordered_map<uint64_t, LockWaiter> lock_waiters_;
  RowLockTable::Owner next_point_owner_ = 0;
  std::optional<std::string> pending_lock_;
  bool pending_upgrade_ = false;
  // The COPY each session is in the middle of (between Submit and its end).
  std::unordered_map<Session*, ActiveCopy> copies_;
  // Group commit's fsyncs off the engine thread (SyncCommitsAsync); made on first use.
  std::unique_ptr<LogSyncer> syncer_;
  std::unique_ptr<Checkpointer> checkpointer_;  // background checkpoint rounds (StartBackfill)
};

}  // namespace

Result<QueryResult> Cluster::Execute(SessionState& session, const ast::Statement& statement,
                                     std::string_view query) {
  Result<QueryResult> result = Execute(session, statement);
  if (!result) result.error().position = CharacterPosition(query, result.error().position);
  return result;
}

void Cluster::Submit(SessionState& session, const ast::Statement& statement, std::string_view query,
                     Completion done) {
  Submit(session, statement,
         Completion([query, done = std::move(done)](Result<QueryResult> result) mutable {
           if (!result) result.error().position = CharacterPosition(query, result.error().position);
           done(std::move(result));
         }));
}

Result<Cluster::Description> Cluster::Describe(SessionState& session,
                                               const ast::Statement& statement,
                                               std::vector<SqlType> declared,
                                               std::string_view query) {
  Result<Description> result = Describe(session, statement, std::move(declared));
  if (!result) result.error().position = CharacterPosition(query, result.error().position);
  return result;
}

void Cluster::SubmitWithParams(SessionState& session, const ast::Statement& statement,
                               std::string_view query, ParamContext* params, Completion done) {
  SubmitWithParams(session, statement, params,
                   Completion([query, done = std::move(done)](Result<QueryResult> result) mutable {
                     if (!result) {
                       result.error().position = CharacterPosition(query, result.error().position);
                     }
                     done(std::move(result));
                   }));
}

int CharacterPosition(std::string_view text, int byte_position) {
  if (byte_position <= 0) return byte_position;
  const size_t end = std::min(text.size(), static_cast<size_t>(byte_position - 1));
  int characters = 0;
  for (size_t i = 0; i < end; ++i) {
    // UTF-8 continuation bytes (10xxxxxx) do not start a character.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++characters;
  }
  return characters + 1 + static_cast<int>(static_cast<size_t>(byte_position - 1) - end);
}

Result<std::unique_ptr<Cluster>> Cluster::Open(const Options& options) {
  storage::FileSystem& fs = FileSystemOf(options);
  SQLRITE_ASSIGN_OR_RETURN(auto lock, LockDataDir(options.data_dir, fs));
  // Initialise only a fresh directory; a missing or empty global file beside database files
  // is refused here, before anything is written.
  SQLRITE_ASSIGN_OR_RETURN(bool fresh, DataDirIsFresh(options.data_dir, fs));
  storage::Pager::Options pager_options = PagerOptions(options);
  pager_options.cache_bytes = 1u << 20;
  // The global file's log grows slowly (roles and databases): its checkpoints stay synchronous.
  pager_options.background_backfill = false;
  if (fresh) {
    SQLRITE_ASSIGN_OR_RETURN(ClusterId cluster_id, NewClusterId());
    pager_options.identity = GlobalIdentity(cluster_id);
  }
  SQLRITE_ASSIGN_OR_RETURN(auto global,
                           OpenPagerWithWal(GlobalPath(options.data_dir), pager_options,
                                            fresh ? OpenIntent::kCreate : OpenIntent::kOpen, fs));
  if (global->identity().kind != storage::FileKind::kGlobal) {
    return Fail(sqlstate::kDataCorrupted,
                "data file \"" + GlobalPath(options.data_dir) +
                    "\" is not a global catalog file: " +
                    storage::DescribeIdentityMismatch(global->identity(),
                                                      GlobalIdentity(global->identity().cluster)));
  }
  auto cluster = std::make_unique<ClusterImpl>(options, std::move(lock), std::move(global));
  SQLRITE_TRY(cluster->ClearTempSpace());
  SQLRITE_TRY(cluster->Init());
  SQLRITE_TRY(cluster->CheckDatabaseFiles());
  return std::unique_ptr<Cluster>(std::move(cluster));
}

}  // namespace sqlrite::engine
