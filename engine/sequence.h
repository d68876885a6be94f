#pragma once
// Sequences: their options (catalog.h's SequenceDef, checked here as PostgreSQL's init_params),
// their state, and nextval / setval with PostgreSQL's rules and messages.
//
// A sequence is a catalog entry of kind kSequence owning a one-row tree (last_value, log_cnt,
// is_called). The engine thread keeps each sequence's state in memory (SequenceStates, one per
// Database) and that memory is the truth: nextval advances it and writes the row through into
// the running transaction. A rollback undoes the row but not the memory: the database calls
// Reapply(), which writes the state of every sequence the transaction advanced again, so, as in
// PostgreSQL, a number once handed out is never handed out again, also after a crash.
//
// nextval / currval / setval / lastval run inside expressions (the function registry), which
// see no database: the engine thread installs a SequenceScope around each statement it runs,
// and the functions find the database and the session's currval table through it. Off the
// engine thread (a snapshot read) there is no scope, so a SELECT that calls them is routed to the
// engine thread (CallsSequenceFunction).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

class Database;
class SessionState;

struct SequenceState {
  int64_t last_value = 1;
  int64_t log_cnt = 0;
  bool is_called = false;
};

// The range of a sequence's data type (int2, int4, int8).
int64_t SequenceTypeMin(TypeId type);
int64_t SequenceTypeMax(TypeId type);

// The options of a new sequence (create: base holds the type's defaults) or of an altered one
// (base: its options now), checked as PostgreSQL does: 22023 with its messages. *restart is set
// to the value an ALTER ... RESTART [WITH n] starts from. name: for messages.
Result<SequenceDef> ApplySequenceOptions(const ast::SequenceOptions& options, SequenceDef base,
                                         bool create, std::optional<int64_t>* restart);

// The state a new (or restarted) sequence begins in.
SequenceState InitialSequenceState(int64_t start);

// The in-memory states of one database's sequences (engine thread only).
class SequenceStates {
 public:
  // seq's state, read from its row on first use.
  Result<SequenceState> Get(Database& db, const TableDef& seq);
  // Sets seq's state and writes its row in the running transaction.
  Status Put(Database& db, const TableDef& seq, const SequenceState& state);
  // Put for TRUNCATE ... RESTART IDENTITY, which PostgreSQL undoes with its transaction: a
  // rollback of the whole transaction (Reapply(db, true)) puts back the state seq had before
  // its first restart in the transaction (with every number handed out so far, so none is
  // handed out twice). A rollback to a savepoint keeps the restart.
  Status Restart(Database& db, const TableDef& seq, const SequenceState& state);
  // seq was created or dropped: any state kept under its oid is stale.
  void Forget(uint32_t oid) { states_.erase(oid); }
  // After a rollback (of the transaction or to a savepoint) and the catalog's reload: writes the
  // state of each sequence advanced since the last commit again, in a transaction of its own
  // when none is open (then committed here). Sequences the rollback un-created are forgotten.
  // whole_transaction: the transaction's rollback (not a savepoint's), which also undoes
  // Restart.
  Status Reapply(Database& db, bool whole_transaction = false);
  // The transaction committed: what it advanced is durable with it.
  void Committed() {
    touched_.clear();
    restarted_.clear();
  }

 private:
  Status WriteRow(Database& db, const TableDef& seq, const SequenceState& state);

  std::map<uint32_t, SequenceState> states_;
  std::set<uint32_t> touched_;  // advanced since the last commit
  // Restarted since the last commit: the state before the first restart.
  std::map<uint32_t, SequenceState> restarted_;
};

// nextval(seq): 2200H past the limit of a sequence without CYCLE.
Result<int64_t> NextVal(Database& db, const TableDef& seq);
// setval(seq, value, is_called): 22003 when value is outside [min, max].
Status SetVal(Database& db, const TableDef& seq, int64_t value, bool is_called);

// A session's currval per sequence (by oid, so a dropped and re-created sequence has none) and
// the sequence lastval reads.
struct SessionSequences {
  std::map<uint32_t, int64_t> current;
  std::optional<uint32_t> last;
};

// What the sequence functions reach while the engine thread runs a statement.
struct SequenceContext {
  Database* db = nullptr;
  SessionSequences* session = nullptr;
  // The statement's session: nextval / setval write only while it holds db's writer slot.
  const SessionState* writer = nullptr;
  // The session's search_path setting, for names in text (nextval('s.seq')): the setting's own
  // string, read when a name is resolved, since a statement may change it while it runs
  // (set_config('search_path', ...) before a nextval in the same SELECT; a view taken at the
  // statement's start would dangle once the string reallocated). Null: PostgreSQL's default.
  const std::string* search_path = nullptr;
  // The session's role (its user name, fixed for the session).
  std::string_view user;
  // The search_path in force now.
  std::string_view SearchPath() const {
    return search_path != nullptr ? std::string_view(*search_path) : "\"$user\", public";
  }
};
// Installs ctx for the calling thread until destroyed (nests: restores the previous one).
class SequenceScope {
 public:
  explicit SequenceScope(SequenceContext ctx);
  ~SequenceScope();
  SequenceScope(const SequenceScope&) = delete;
  SequenceScope& operator=(const SequenceScope&) = delete;

 private:
  SequenceContext previous_;
};
// The context installed on this thread; db is null outside a SequenceScope.
const SequenceContext& CurrentSequenceContext();

// A sequence named by text, as PostgreSQL's regclass input reads it: an unquoted name is
// lower-cased, a quoted one kept, "public." dropped. 42P01 when absent, 42809 when not a
// sequence.
Result<const TableDef*> LookupSequenceByText(const Catalog& catalog, std::string_view text,
                                             std::string_view search_path = "public",
                                             std::string_view user = "");

// Whether the statement calls nextval/setval (a write: runs on the engine thread as the writer)
// or currval/lastval/pg_get_serial_sequence (read the session's state or the writer's catalog:
// run on the engine thread), or set_config (changes the session: engine/session_scope.h).
enum class SequenceUse { kNone, kReads, kWrites };
SequenceUse CallsSequenceFunction(const ast::Select& select);

// SQL text of nextval('name') for a column default of the sequence of RelationKey sequence_key,
// quoting the name when it needs quotes and qualifying one outside public.
std::string NextvalDefaultSql(std::string_view sequence_key);

}  // namespace sqlrite::engine
