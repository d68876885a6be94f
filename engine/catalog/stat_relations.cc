// The statistics views: pg_stat_activity and pg_locks over the process's session registry
// (engine/session_registry.h), pg_stat_all_tables / pg_stat_user_tables / pg_stat_sys_tables,
// pg_statio_*_tables and pg_stat_database over the engine's counters (engine/table_stats.h).
// Every row is computed when a scan opens, from the registry and counters as they are then.
//
// Narrow answers (docs/decisions.md, "pg_stat_activity, pg_locks and the statistics views"):
// client_addr (inet) and the xid columns (backend_xid, backend_xmin, pg_locks.transactionid)
// are text; only client backends are shown (no background processes); pg_locks shows each
// session's virtual transaction, the writer's transaction id, a parked writer's wait for it,
// and the reading session's own lock on pg_locks; the block-level I/O counts (pg_statio_*) and
// pg_stat_database's tuple and time counts are 0.

#include <string>

#include "engine/catalog/system_relation.h"
#include "engine/session_locals.h"
#include "engine/session_registry.h"
#include "engine/table_stats.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::catalog {
namespace {

using type_shorthands::kBool;
using type_shorthands::kF8;
using type_shorthands::kI2;
using type_shorthands::kI4;
using type_shorthands::kI8;
using type_shorthands::kName;
using type_shorthands::kOid;
using type_shorthands::kText;
using type_shorthands::kTimestampTz;

constexpr uint32_t kPgLocksOid = 12073;

using row_shorthands::B;
using row_shorthands::I;
using row_shorthands::Null;
using row_shorthands::O;
using row_shorthands::S;
Datum Stamp(const std::optional<int64_t>& t) { return t ? Datum(*t) : Datum(); }

uint32_t DatabaseOid(const SystemSource& src, const std::string& name) {
  for (const DatabaseFacts& d : src.cluster->databases) {
    if (d.name == name) return d.oid;
  }
  return 0;
}

// The reading session's pid (0 outside a server's session).
uint32_t OwnPid() {
  const SessionLocals* locals = CurrentSessionLocals();
  return locals != nullptr ? locals->backend_pid.load(std::memory_order_relaxed) : 0;
}

// Whether the reader may see what a session of `user` runs: PostgreSQL shows another role's
// session to superusers (and pg_read_all_stats members) only.
bool MaySee(const SystemSource& src, const std::string& user) {
  if (user == src.user) return true;
  const RoleFacts* reader = src.RoleByName(src.user);
  return reader != nullptr && reader->superuser;
}

Result<SystemRows> ActivityRows(const SystemSource& src) {
  SystemRows rows;
  for (const ActivityRow& a : ProcessSessions().Rows()) {
    const uint32_t datid = DatabaseOid(src, a.database);
    const RoleFacts* role = src.RoleByName(a.user);
    SystemRow row = {datid != 0 ? O(datid) : Null(),
                     S(a.database),
                     I(a.pid),
                     Null(),  // leader_pid: no parallel query
                     role != nullptr ? O(role->oid) : Null(),
                     S(a.user)};
    if (!MaySee(src, a.user)) {
      // As pg_stat_get_activity for a session the reader may not see: its identity only.
      const Datum null = Null();
      row.insert(row.end(), 14, null);
      row.push_back(S("<insufficient privilege>"));  // query
      row.push_back(S("client backend"));
      rows.push_back(std::move(row));
      continue;
    }
    const bool waiting = a.state == ActivityState::kActive && a.wait_start.has_value();
    const bool idle = a.state != ActivityState::kActive;
    row.push_back(S(a.application_name));
    row.push_back(a.client_addr.empty() ? Null() : S(a.client_addr));
    row.push_back(Null());  // client_hostname: log_hostname is off
    row.push_back(I(a.client_port));
    row.push_back(I(a.backend_start));
    row.push_back(Stamp(a.xact_start));
    row.push_back(Stamp(a.query_start));
    row.push_back(Stamp(a.state_change));
    row.push_back(waiting ? S("Lock") : idle ? S("Client") : Null());
    row.push_back(waiting ? S("transactionid") : idle ? S("ClientRead") : Null());
    row.push_back(S(ActivityStateName(a.state)));
    row.push_back(a.xid != 0 ? S(std::to_string(a.xid)) : Null());
    row.push_back(Null());  // backend_xmin: no snapshot horizon
    row.push_back(Null());  // query_id: compute_query_id is off
    row.push_back(S(a.query));
    row.push_back(S("client backend"));
    rows.push_back(std::move(row));
  }
  return rows;
}

// One pg_locks row: locktype, database, relation, page, tuple, virtualxid, transactionid,
// classid, objid, objsubid, virtualtransaction, pid, mode, granted, fastpath, waitstart.
SystemRow LockRow(std::string_view locktype, Datum database, Datum relation, Datum virtualxid,
                  Datum transactionid, const std::string& vxid, uint32_t pid, std::string_view mode,
                  bool granted, bool fastpath, Datum waitstart) {
  return {S(locktype),
          std::move(database),
          std::move(relation),
          Null(),
          Null(),
          std::move(virtualxid),
          std::move(transactionid),
          Null(),
          Null(),
          Null(),
          S(vxid),
          I(pid),
          S(mode),
          B(granted),
          B(fastpath),
          std::move(waitstart)};
}

Result<SystemRows> LockRows(const SystemSource& src) {
  const std::vector<ActivityRow> sessions = ProcessSessions().Rows();
  const uint32_t own = OwnPid();
  SystemRows rows;
  for (const ActivityRow& a : sessions) {
    if (!a.in_transaction()) continue;
    const std::string vxid = std::to_string(a.pid) + "/" + std::to_string(a.local_xid);
    if (a.pid == own) {
      // The reader's own scan of pg_locks, as PostgreSQL's relation lock on the view.
      rows.push_back(LockRow("relation", O(src.database_oid), O(kPgLocksOid), Null(), Null(), vxid,
                             a.pid, "AccessShareLock", true, true, Null()));
    }
    rows.push_back(LockRow("virtualxid", Null(), Null(), S(vxid), Null(), vxid, a.pid,
                           "ExclusiveLock", true, true, Null()));
    if (a.xid != 0) {
      rows.push_back(LockRow("transactionid", Null(), Null(), Null(), S(std::to_string(a.xid)),
                             vxid, a.pid, "ExclusiveLock", true, false, Null()));
    }
    if (a.wait_start && a.xid == 0) {
      // Parked behind its database's writer: as a PostgreSQL writer waiting for the holder's
      // transaction id.
      for (const ActivityRow& w : sessions) {
        if (w.pid == a.pid || w.xid == 0 || w.database != a.database) continue;
        rows.push_back(LockRow("transactionid", Null(), Null(), Null(), S(std::to_string(w.xid)),
                               vxid, a.pid, "ShareLock", false, false, Datum(*a.wait_start)));
        break;
      }
    }
  }
  return rows;
}

enum class Which { kAll, kUser, kSys };

bool IsSysSchema(std::string_view schema) {
  return schema == "pg_catalog" || schema == "information_schema" || schema == "pg_toast";
}

// Calls fn(relid, schema, name, counters or null) for each table of the kind asked, user tables
// in name order, then the catalogs' tables.
template <typename Fn>
void ForEachTable(const SystemSource& src, Which which, Fn fn) {
  if (which != Which::kSys) {
    for (const auto& [key, table] : src.catalog->tables()) {
      if (table.kind != RelKind::kTable || IsSysSchema(table.schema)) continue;
      fn(table.oid, table.schema, table.name,
         ProcessTableStats().Find(src.database_oid, table.oid));
    }
  }
  if (which != Which::kUser) {
    for (const SystemRelation& rel : SystemRelations()) {
      if (rel.kind != 'r') continue;
      fn(rel.oid, rel.namespace_oid == kPgCatalogNamespace ? "pg_catalog" : "information_schema",
         std::string(rel.name), nullptr);
    }
  }
}

int64_t Get(const std::atomic<int64_t>* counter) {
  return counter != nullptr ? counter->load(std::memory_order_relaxed) : 0;
}

// Whether PostgreSQL would give the table a TOAST table: a column of a variable-length type
// (needs_toast_table: any attribute whose storage is not plain).
bool HasToast(const TableDef& table) {
  for (const ColumnDef& c : table.columns) {
    switch (c.type.id) {
      case TypeId::kBool:
      case TypeId::kInt2:
      case TypeId::kInt4:
      case TypeId::kInt8:
      case TypeId::kFloat4:
      case TypeId::kFloat8:
      case TypeId::kUuid:
      case TypeId::kDate:
      case TypeId::kTime:
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz:
      case TypeId::kInterval:
        continue;
      default:
        // An enum is 4 bytes and plain.
        if (c.type.enum_oid != 0 && c.type.id != TypeId::kArray) continue;
        return true;
    }
  }
  return false;
}

const TableDef* TableOfOid(const SystemSource& src, uint32_t oid) {
  for (const auto& [key, table] : src.catalog->tables()) {
    if (table.oid == oid) return &table;
  }
  return nullptr;
}

template <Which which>
Result<SystemRows> StatTablesRows(const SystemSource& src) {
  SystemRows rows;
  ForEachTable(
      src, which,
      [&](uint32_t oid, std::string_view schema, const std::string& name, const TableCounters* c) {
        auto n = [&](const std::atomic<int64_t> TableCounters::*field) {
          return I(Get(c != nullptr ? &(c->*field) : nullptr));
        };
        auto stamp = [&](const std::atomic<int64_t> TableCounters::*field) {
          const int64_t t = Get(c != nullptr ? &(c->*field) : nullptr);
          return t != 0 ? Datum(t) : Datum();
        };
        const TableDef* table = TableOfOid(src, oid);
        const bool indexed =
            table != nullptr && (!table->indexes.empty() || table->rowid_column >= 0);
        rows.push_back({O(oid),
                        S(schema),
                        S(name),
                        n(&TableCounters::seq_scan),
                        n(&TableCounters::seq_tup_read),
                        indexed ? n(&TableCounters::idx_scan) : Null(),
                        indexed ? n(&TableCounters::idx_tup_fetch) : Null(),
                        n(&TableCounters::tup_ins),
                        n(&TableCounters::tup_upd),
                        n(&TableCounters::tup_del),
                        n(&TableCounters::tup_hot_upd),
                        n(&TableCounters::live_tup),
                        n(&TableCounters::dead_tup),
                        n(&TableCounters::mod_since_analyze),
                        n(&TableCounters::ins_since_vacuum),
                        stamp(&TableCounters::last_vacuum),
                        Null(),
                        stamp(&TableCounters::last_analyze),
                        Null(),
                        n(&TableCounters::vacuum_count),
                        I(0),
                        n(&TableCounters::analyze_count),
                        I(0)});
      });
  return rows;
}

template <Which which>
Result<SystemRows> StatioTablesRows(const SystemSource& src) {
  SystemRows rows;
  ForEachTable(
      src, which,
      [&](uint32_t oid, std::string_view schema, const std::string& name, const TableCounters*) {
        // A catalog (no TableDef) is shown with neither index nor TOAST table.
        const TableDef* table = TableOfOid(src, oid);
        const bool indexed =
            table != nullptr && (!table->indexes.empty() || table->rowid_column >= 0);
        const bool toast = table != nullptr && HasToast(*table);
        auto zero = [](bool has) { return has ? I(0) : Null(); };
        rows.push_back({O(oid), S(schema), S(name), I(0), I(0), zero(indexed), zero(indexed),
                        zero(toast), zero(toast), zero(toast), zero(toast)});
      });
  return rows;
}

Result<SystemRows> StatDatabaseRows(const SystemSource& src) {
  const std::vector<ActivityRow> sessions = ProcessSessions().Rows();
  SystemRows rows;
  auto add = [&](Datum datid, Datum datname, int64_t backends, uint32_t oid) {
    DatabaseCounters* c = oid != 0 ? &ProcessTableStats().Database(oid) : nullptr;
    SystemRow row = {std::move(datid), std::move(datname), I(backends),
                     I(Get(c != nullptr ? &c->xact_commit : nullptr)),
                     I(Get(c != nullptr ? &c->xact_rollback : nullptr))};
    // Named values copied in (GCC 12 misreports moving a temporary Datum in a loop here as
    // maybe-uninitialized).
    const Datum zero = I(0);
    const Datum no_time(0.0);
    const Datum null = Null();
    row.insert(row.end(), 11, zero);    // blks_read ... deadlocks
    row.insert(row.end(), 2, null);     // checksum_failures, checksum_last_failure: no checksums
    row.insert(row.end(), 5, no_time);  // blk_read_time ... idle_in_transaction_time
    row.insert(row.end(), 4, zero);     // sessions ... sessions_killed
    row.push_back(null);                // stats_reset
    rows.push_back(std::move(row));
  };
  add(O(0), Null(), 0, 0);  // the shared catalogs' row
  for (const DatabaseFacts& d : src.cluster->databases) {
    int64_t backends = 0;
    for (const ActivityRow& a : sessions) backends += a.database == d.name ? 1 : 0;
    add(O(d.oid), S(d.name), backends, d.oid);
  }
  return rows;
}

std::vector<SystemColumn> StatTablesColumns() {
  return {{"relid", kOid},
          {"schemaname", kName},
          {"relname", kName},
          {"seq_scan", kI8},
          {"seq_tup_read", kI8},
          {"idx_scan", kI8},
          {"idx_tup_fetch", kI8},
          {"n_tup_ins", kI8},
          {"n_tup_upd", kI8},
          {"n_tup_del", kI8},
          {"n_tup_hot_upd", kI8},
          {"n_live_tup", kI8},
          {"n_dead_tup", kI8},
          {"n_mod_since_analyze", kI8},
          {"n_ins_since_vacuum", kI8},
          {"last_vacuum", kTimestampTz},
          {"last_autovacuum", kTimestampTz},
          {"last_analyze", kTimestampTz},
          {"last_autoanalyze", kTimestampTz},
          {"vacuum_count", kI8},
          {"autovacuum_count", kI8},
          {"analyze_count", kI8},
          {"autoanalyze_count", kI8}};
}

std::vector<SystemColumn> StatioTablesColumns() {
  return {{"relid", kOid},         {"schemaname", kName},    {"relname", kName},
          {"heap_blks_read", kI8}, {"heap_blks_hit", kI8},   {"idx_blks_read", kI8},
          {"idx_blks_hit", kI8},   {"toast_blks_read", kI8}, {"toast_blks_hit", kI8},
          {"tidx_blks_read", kI8}, {"tidx_blks_hit", kI8}};
}

}  // namespace

void AddStatRelations(std::vector<SystemRelation>& out) {
  out.push_back({"pg_locks",
                 kPgLocksOid,
                 'v',
                 {{"locktype", kText},
                  {"database", kOid},
                  {"relation", kOid},
                  {"page", kI4},
                  {"tuple", kI2},
                  {"virtualxid", kText},
                  {"transactionid", kText},
                  {"classid", kOid},
                  {"objid", kOid},
                  {"objsubid", kI2},
                  {"virtualtransaction", kText},
                  {"pid", kI4},
                  {"mode", kText},
                  {"granted", kBool},
                  {"fastpath", kBool},
                  {"waitstart", kTimestampTz}},
                 LockRows});
  out.push_back(
      {"pg_stat_all_tables", 12142, 'v', StatTablesColumns(), StatTablesRows<Which::kAll>});
  out.push_back(
      {"pg_stat_sys_tables", 12152, 'v', StatTablesColumns(), StatTablesRows<Which::kSys>});
  out.push_back(
      {"pg_stat_user_tables", 12161, 'v', StatTablesColumns(), StatTablesRows<Which::kUser>});
  out.push_back(
      {"pg_statio_all_tables", 12170, 'v', StatioTablesColumns(), StatioTablesRows<Which::kAll>});
  out.push_back(
      {"pg_statio_sys_tables", 12175, 'v', StatioTablesColumns(), StatioTablesRows<Which::kSys>});
  out.push_back(
      {"pg_statio_user_tables", 12179, 'v', StatioTablesColumns(), StatioTablesRows<Which::kUser>});
  out.push_back({"pg_stat_activity",
                 12222,
                 'v',
                 {{"datid", kOid},
                  {"datname", kName},
                  {"pid", kI4},
                  {"leader_pid", kI4},
                  {"usesysid", kOid},
                  {"usename", kName},
                  {"application_name", kText},
                  {"client_addr", kText},
                  {"client_hostname", kText},
                  {"client_port", kI4},
                  {"backend_start", kTimestampTz},
                  {"xact_start", kTimestampTz},
                  {"query_start", kTimestampTz},
                  {"state_change", kTimestampTz},
                  {"wait_event_type", kText},
                  {"wait_event", kText},
                  {"state", kText},
                  {"backend_xid", kText},
                  {"backend_xmin", kText},
                  {"query_id", kI8},
                  {"query", kText},
                  {"backend_type", kText}},
                 ActivityRows});
  out.push_back({"pg_stat_database",
                 12266,
                 'v',
                 {{"datid", kOid},
                  {"datname", kName},
                  {"numbackends", kI4},
                  {"xact_commit", kI8},
                  {"xact_rollback", kI8},
                  {"blks_read", kI8},
                  {"blks_hit", kI8},
                  {"tup_returned", kI8},
                  {"tup_fetched", kI8},
                  {"tup_inserted", kI8},
                  {"tup_updated", kI8},
                  {"tup_deleted", kI8},
                  {"conflicts", kI8},
                  {"temp_files", kI8},
                  {"temp_bytes", kI8},
                  {"deadlocks", kI8},
                  {"checksum_failures", kI8},
                  {"checksum_last_failure", kTimestampTz},
                  {"blk_read_time", kF8},
                  {"blk_write_time", kF8},
                  {"session_time", kF8},
                  {"active_time", kF8},
                  {"idle_in_transaction_time", kF8},
                  {"sessions", kI8},
                  {"sessions_abandoned", kI8},
                  {"sessions_fatal", kI8},
                  {"sessions_killed", kI8},
                  {"stats_reset", kTimestampTz}},
                 StatDatabaseRows});
}

}  // namespace sqlrite::engine::catalog
