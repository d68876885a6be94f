#pragma once
// SessionRegistry: the client sessions of this process as pg_stat_activity, pg_locks and
// pg_stat_database show them, readable from any thread.
//
// Each session has one SessionActivity. Its writers are the server's session (on the session's
// own io thread: who connected from where, the query it runs, idle or in a transaction) and the
// engine (on the engine thread, or the thread holding the engine's token: whether the session
// holds its database's writer slot or waits for it). Its readers are any session's scans of
// those catalogs, on any thread. Every field sits behind the activity's own mutex, taken for a
// few stores per statement by its writers and for one copy by a reader; the registry's mutex
// guards only the set of activities (a session's start and end, a reader's walk).
//
// The registry is one per process (ProcessSessions): a process serves one data directory, and
// the server registers the sessions it opens. Engine tests that open clusters without a server
// register none, so their pg_stat_activity is empty.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sqlrite::engine {

// The system clock as a timestamptz Datum (microseconds since 2000-01-01 00:00 UTC).
int64_t TimestampNow();

// pg_stat_activity.state.
enum class ActivityState : uint8_t {
  kStarting,  // logging in: not shown
  kActive,
  kIdle,
  kIdleInTransaction,
  kIdleInFailedTransaction,
};
const char* ActivityStateName(ActivityState state);

// One session's facts, copied out under its lock.
struct ActivityRow {
  uint32_t pid = 0;  // the BackendKeyData process id (pg_backend_pid())
  std::string database;
  std::string user;
  std::string application_name;
  std::string client_addr;  // empty: a Unix-domain socket (NULL, client_port -1)
  int32_t client_port = -1;
  int64_t backend_start = 0;
  std::optional<int64_t> xact_start;
  std::optional<int64_t> query_start;
  std::optional<int64_t> state_change;
  ActivityState state = ActivityState::kStarting;
  // The current or last statement's text, its first 1023 bytes at most (PostgreSQL's default
  // track_activity_query_size), whole characters.
  std::string query;
  // The session's transactions, counted from 1: its virtual transaction (pg_locks' virtualxid
  // "<pid>/<n>") while it is in one.
  uint64_t local_xid = 0;
  // While it holds its database's writer slot: its transaction id (pg_locks' transactionid,
  // backend_xid), else 0.
  uint64_t xid = 0;
  // While a statement of it is parked waiting for the writer slot: since when.
  std::optional<int64_t> wait_start;

  // In a transaction (so holding its virtual transaction's lock).
  bool in_transaction() const {
    return state == ActivityState::kActive || state == ActivityState::kIdleInTransaction ||
           state == ActivityState::kIdleInFailedTransaction;
  }
};

class SessionActivity {
 public:
  explicit SessionActivity(uint32_t pid);
  SessionActivity(const SessionActivity&) = delete;
  SessionActivity& operator=(const SessionActivity&) = delete;

  // ---- the server's, on the session's thread ----
  // Logged in: the session is shown from now on, idle.
  void Connected(std::string database, std::string user, std::string application_name,
                 std::string client_addr, int32_t client_port, int64_t backend_start);
  void SetApplicationName(std::string_view name);
  // A statement (a Query's text, an Execute's statement) begins: active since now; a
  // transaction begins with it unless the session is in one.
  void BeginQuery(std::string_view query);
  // ReadyForQuery with this transaction status ('I', 'T', 'E'): idle, or idle in a
  // transaction (aborted), since now.
  void EndQuery(char tx_status);

  // ---- the engine's (engine thread or the engine token's holder) ----
  // Takes (a new transaction id) or gives up the writer slot.
  void SetWriter(bool holds);
  void SetWaiting(bool waiting);

  // pg_cancel_backend / pg_terminate_backend: what the server does to signal this session
  // (null: it cannot be signalled). Set by the server once logged in; called from any thread.
  using Signal = std::function<void(bool terminate)>;
  void SetSignal(Signal signal);
  // False when no signal was set.
  bool Raise(bool terminate) const;

  ActivityRow Row() const;

 private:
  mutable std::mutex mu_;
  ActivityRow row_;
  Signal signal_;
};

class SessionRegistry {
 public:
  // REQUIRES: no live activity has pid.
  std::shared_ptr<SessionActivity> Register(uint32_t pid);
  void Unregister(uint32_t pid);
  // Null: none.
  std::shared_ptr<SessionActivity> Find(uint32_t pid) const;
  // Every logged-in session's row, by pid.
  std::vector<ActivityRow> Rows() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<uint32_t, std::shared_ptr<SessionActivity>> sessions_;
};

// The process's registry.
SessionRegistry& ProcessSessions();

}  // namespace sqlrite::engine
