// nextval, currval, setval, lastval (PostgreSQL's sequence functions, the sequence named by text
// as its regclass input reads it). They reach the database through the engine thread's
// SequenceScope (engine/sequence.h). Besides, the functions of the session's own state: random(),
// setseed() and pg_backend_pid() (engine/session_locals.h), and the signals to other sessions:
// pg_cancel_backend, pg_terminate_backend (engine/session_registry.h).

#include <cctype>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "engine/catalog/system_source.h"
#include "engine/database.h"
#include "engine/functions/builtin.h"
#include "engine/interrupt.h"
#include "engine/search_path.h"
#include "engine/sequence.h"
#include "engine/session_locals.h"
#include "engine/session_registry.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

using type_shorthands::kI8;
using type_shorthands::kText;

Result<const SequenceContext*> Context(const char* function) {
  const SequenceContext& ctx = CurrentSequenceContext();
  if (ctx.db == nullptr || ctx.session == nullptr) {
    return Fail(sqlstate::kFeatureNotSupported,
                std::string(function) + "() is not supported in this context");
  }
  return &ctx;
}

// nextval and setval write the sequence's row: only a statement of the writer may (a SELECT that
// calls them runs as a write; a cursor's or COPY's query does not).
Status MayWrite(const SequenceContext& ctx, const char* function) {
  if (ctx.db->writer() == ctx.writer && ctx.writer != nullptr) return Ok();
  return Fail(sqlstate::kFeatureNotSupported,
              std::string(function) + "() is not supported in this statement");
}

const std::string& Text(const CallArgs& a, size_t i) { return std::get<std::string>(a.values[i]); }

Result<Datum> NextvalFn(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(const SequenceContext* ctx, Context("nextval"));
  SQLRITE_TRY(MayWrite(*ctx, "nextval"));
  SQLRITE_ASSIGN_OR_RETURN(const TableDef* seq, LookupSequenceByText(ctx->db->catalog(), Text(a, 0),
                                                                     ctx->SearchPath(), ctx->user));
  SQLRITE_ASSIGN_OR_RETURN(int64_t value, NextVal(*ctx->db, *seq));
  ctx->session->current[seq->oid] = value;
  ctx->session->last = seq->oid;
  return Datum(value);
}

Result<Datum> CurrvalFn(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(const SequenceContext* ctx, Context("currval"));
  SQLRITE_ASSIGN_OR_RETURN(const TableDef* seq, LookupSequenceByText(ctx->db->catalog(), Text(a, 0),
                                                                     ctx->SearchPath(), ctx->user));
  auto it = ctx->session->current.find(seq->oid);
  if (it == ctx->session->current.end()) {
    return Fail(sqlstate::kObjectNotInPrerequisiteState,
                "currval of sequence \"" + seq->name + "\" is not yet defined in this session");
  }
  return Datum(it->second);
}

Result<Datum> LastvalFn(const CallArgs&) {
  SQLRITE_ASSIGN_OR_RETURN(const SequenceContext* ctx, Context("lastval"));
  const SessionSequences& session = *ctx->session;
  if (session.last) {
    for (const auto& [name, def] : ctx->db->catalog().tables()) {
      if (def.oid != *session.last || !def.is_sequence()) continue;
      auto it = session.current.find(def.oid);
      if (it != session.current.end()) return Datum(it->second);
    }
  }
  return Fail(sqlstate::kObjectNotInPrerequisiteState,
              "lastval is not yet defined in this session");
}

Result<Datum> Setval(const CallArgs& a, bool is_called) {
  SQLRITE_ASSIGN_OR_RETURN(const SequenceContext* ctx, Context("setval"));
  SQLRITE_TRY(MayWrite(*ctx, "setval"));
  SQLRITE_ASSIGN_OR_RETURN(const TableDef* seq, LookupSequenceByText(ctx->db->catalog(), Text(a, 0),
                                                                     ctx->SearchPath(), ctx->user));
  const int64_t value = std::get<int64_t>(a.values[1]);
  SQLRITE_TRY(SetVal(*ctx->db, *seq, value, is_called));
  // As PostgreSQL's do_setval: currval follows only a value marked as called.
  if (is_called) ctx->session->current[seq->oid] = value;
  return Datum(value);
}

Result<Datum> Setval2(const CallArgs& a) { return Setval(a, true); }
Result<Datum> Setval3(const CallArgs& a) { return Setval(a, std::get<bool>(a.values[2])); }

// pg_get_serial_sequence(table, column): the sequence the column owns (SERIAL, identity), as
// 'schema.name', or NULL. The table name is read as regclass input (through the search path),
// the column as written.
Result<Datum> SerialSequenceFn(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(const SequenceContext* ctx, Context("pg_get_serial_sequence"));
  const Catalog& catalog = ctx->db->catalog();
  std::string table = Text(a, 0);
  ast::TableName name;
  if (const size_t dot = table.find('.'); dot != std::string::npos && table.front() != '"') {
    name.schema = table.substr(0, dot);
    table = table.substr(dot + 1);
    for (char& c : name.schema) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (table.size() >= 2 && table.front() == '"' && table.back() == '"') {
    table = table.substr(1, table.size() - 2);
  } else {
    for (char& c : table) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  name.name = table;
  const TableDef* def =
      FindRelation(catalog, EffectiveSearchPath(catalog, ctx->SearchPath(), ctx->user), name);
  if (def == nullptr) {
    return Fail(sqlstate::kUndefinedTable, "relation \"" + table + "\" does not exist");
  }
  const std::string& column = Text(a, 1);
  if (def->FindColumn(column) < 0) {
    return Fail(sqlstate::kUndefinedColumn,
                "column \"" + column + "\" of relation \"" + table + "\" does not exist");
  }
  for (const auto& [key, seq] : catalog.tables()) {
    if (seq.is_sequence() && seq.sequence.owned_by_table == RelationKey(*def) &&
        seq.sequence.owned_by_column == column) {
      return Datum(seq.schema + "." + seq.name);
    }
  }
  return Datum{};
}

// random(): the session's generator, which setseed() seeds (engine/session_locals.h); outside a
// session's statement, one of the thread.
Result<Datum> RandomFn(const CallArgs&) {
  if (SessionLocals* locals = CurrentSessionLocals()) return Datum(locals->random.NextDouble());
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return Datum(std::uniform_real_distribution<double>(0.0, 1.0)(engine));
}

// setseed(float8): PostgreSQL's check and message (float.c), then the session's generator.
// Returns void: an empty string Datum (engine/types.h kVoid).
Result<Datum> SetseedFn(const CallArgs& a) {
  const double seed = std::get<double>(a.values[0]);
  if (!(seed >= -1 && seed <= 1)) {  // NaN fails too
    char shown[32];
    std::snprintf(shown, sizeof shown, "%g", seed);
    std::string text = shown;
    if (std::isnan(seed)) text = "NaN";
    if (std::isinf(seed)) text = seed > 0 ? "Infinity" : "-Infinity";
    return Fail(sqlstate::kInvalidParameterValue,
                "setseed parameter " + text + " is out of allowed range [-1,1]");
  }
  if (SessionLocals* locals = CurrentSessionLocals()) locals->random.Seed(seed);
  return Datum(std::string());
}

// pg_backend_pid(): the process id the server sent in BackendKeyData, so that it names this
// session as a CancelRequest would.
Result<Datum> BackendPidFn(const CallArgs&) {
  const SessionLocals* locals = CurrentSessionLocals();
  return Datum(
      int64_t{locals != nullptr ? locals->backend_pid.load(std::memory_order_relaxed) : 0});
}

// pg_cancel_backend(pid) / pg_terminate_backend(pid [, timeout]): signal the session with that
// BackendKeyData pid through the server (a CancelRequest's path; a shutdown of that session).
// As PostgreSQL's pg_signal_backend: another role's session only for a superuser (42501), a
// pid that is no session gives false (PostgreSQL adds a WARNING).
Result<Datum> SignalBackend(const CallArgs& args, bool terminate) {
  const int64_t pid = DatumAs<int64_t>(args.values[0]);
  if (terminate && args.values.size() > 1 && DatumAs<int64_t>(args.values[1]) < 0) {
    return Fail(sqlstate::kNumericValueOutOfRange, "\"timeout\" must not be negative");
  }
  std::shared_ptr<SessionActivity> activity =
      pid > 0 && pid <= int64_t{UINT32_MAX} ? ProcessSessions().Find(static_cast<uint32_t>(pid))
                                            : nullptr;
  if (activity == nullptr) return Datum(false);
  if (std::shared_ptr<const catalog::SystemSource> src = catalog::CurrentSystemSource()) {
    const ActivityRow target = activity->Row();
    const catalog::RoleFacts* caller = src->RoleByName(src->user);
    const catalog::RoleFacts* owner = src->RoleByName(target.user);
    const bool caller_super = caller != nullptr && caller->superuser;
    if (!caller_super && owner != nullptr && owner->superuser) {
      return Fail(sqlstate::kInsufficientPrivilege,
                  terminate ? "must be a superuser to terminate superuser process"
                            : "must be a superuser to cancel superuser query");
    }
    if (!caller_super && target.user != src->user) {
      return Fail(sqlstate::kInsufficientPrivilege,
                  terminate ? "must be a member of the role whose process is being terminated "
                              "or member of pg_signal_backend"
                            : "must be a member of the role whose query is being canceled or "
                              "member of pg_signal_backend");
    }
  }
  const SessionLocals* locals = CurrentSessionLocals();
  if (locals != nullptr && locals->backend_pid.load(std::memory_order_relaxed) == pid) {
    // Its own session: the statement ends here, as PostgreSQL's does at its next interrupt
    // check (57014; a termination is FATAL 57P01 and closes the connection).
    if (terminate) activity->Raise(true);
    return tl::unexpected(
        InterruptError(terminate ? InterruptReason::kShutdown : InterruptReason::kCancel));
  }
  return Datum(activity->Raise(terminate));
}
Result<Datum> CancelBackendFn(const CallArgs& args) { return SignalBackend(args, false); }
Result<Datum> TerminateBackendFn(const CallArgs& args) { return SignalBackend(args, true); }

// pg_stat_force_next_flush(): the counters are shared as they change, so there is nothing to
// flush; returns void (an empty string Datum).
Result<Datum> ForceFlushFn(const CallArgs&) { return Datum(std::string()); }

Builtin Volatile(Builtin b) {
  b.is_volatile = true;
  return b;
}

}  // namespace

void AddSequenceFunctions(std::vector<Builtin>& out) {
  out.push_back(Volatile(Fn("nextval", {kText}, kI8, NextvalFn)));
  out.push_back(Volatile(Fn("currval", {kText}, kI8, CurrvalFn)));
  out.push_back(Volatile(Fn("lastval", {}, kI8, LastvalFn)));
  out.push_back(Volatile(Fn("setval", {kText, kI8}, kI8, Setval2)));
  out.push_back(Volatile(Fn("setval", {kText, kI8, TypeId::kBool}, kI8, Setval3)));
  out.push_back(Volatile(Fn("random", {}, TypeId::kFloat8, RandomFn)));
  // Stable in PostgreSQL; volatile here so that it is never folded where no catalog is reachable.
  out.push_back(Volatile(Fn("pg_get_serial_sequence", {kText, kText}, kText, SerialSequenceFn)));
}

void AddSessionFunctions(std::vector<Builtin>& out) {
  out.push_back(Volatile(Fn("setseed", {TypeId::kFloat8}, TypeId::kVoid, SetseedFn)));
  // Stable in PostgreSQL; never folded here, so a plan kept by a prepared statement holds no
  // session's value.
  Builtin pid = Fn("pg_backend_pid", {}, TypeId::kInt4, BackendPidFn);
  pid.foldable = false;
  out.push_back(pid);
  out.push_back(Volatile(Fn("pg_cancel_backend", {TypeId::kInt4}, TypeId::kBool, CancelBackendFn)));
  out.push_back(
      Volatile(Fn("pg_terminate_backend", {TypeId::kInt4}, TypeId::kBool, TerminateBackendFn)));
  out.push_back(Volatile(
      Fn("pg_terminate_backend", {TypeId::kInt4, kI8}, TypeId::kBool, TerminateBackendFn)));
  out.push_back(Volatile(Fn("pg_stat_force_next_flush", {}, TypeId::kVoid, ForceFlushFn)));
}

}  // namespace sqlrite::engine::functions
