#pragma once
// The extended query protocol's objects of one session: prepared statements and portals, with
// PostgreSQL's lifetimes (the Session's handlers in server/extended_query.cc drive them).
//
//   statement: made by Parse (the unnamed one "" is replaced by the next Parse of "", and dropped
//     by a simple Query; a named one lives until Close or the session's end; Parse of an existing
//     name is 42P05). It owns its parsed tree, so executing it never parses again, and what
//     Cluster::Describe found (parameter types, result columns).
//   portal: made by Bind from a statement and parameter values (the unnamed one "" is replaced
//     by the next Bind of ""; a named one that exists is 42P03). Its first Execute runs the
//     statement; the result is held in the portal (materialized: streaming rows from the engine
//     is later work) and sent max_rows at a time, PortalSuspended between. Every portal ends
//     with the transaction: at a Sync that leaves the session idle, as PostgreSQL drops
//     non-holdable portals at commit or abort.
//
// A statement held by a portal outlives its Close (shared ownership), as in PostgreSQL, where the
// portal keeps its plan.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/cursor.h"
#include "engine/engine.h"
#include "engine/prepared_link.h"
#include "engine/prepared_plan.h"
#include "engine/session_locals.h"
#include "engine/sql/ast.h"

namespace sqlrite::server {

struct PreparedStatement {
  std::string query;                                // the text, for error positions
  std::optional<engine::ast::Statement> statement;  // empty: an empty query string
  std::vector<uint32_t> param_oids;                 // reported in ParameterDescription
  engine::Cluster::Description description;         // param_types parallel to param_oids
  bool is_transaction_control = false;              // BEGIN, COMMIT, ROLLBACK, SAVEPOINT...
  // A SELECT's plan kept across its Executes on a snapshot (engine/prepared_plan.h); shared by
  // its portals, used by one of them at a time (the session runs one statement at a time).
  std::shared_ptr<engine::PreparedPlan> plan = std::make_shared<engine::PreparedPlan>();
  // A statement SQL PREPARE made (Cluster::FindSqlPrepared), run by the protocol: its tree is the
  // engine's, kept alive by borrowed_owner; statement is then empty.
  const engine::ast::Statement* borrowed = nullptr;
  std::shared_ptr<const void> borrowed_owner;
  // The tree to run; null for an empty query string.
  const engine::ast::Statement* tree() const { return statement ? &*statement : borrowed; }
};

struct Portal {
  std::shared_ptr<const PreparedStatement> statement;
  engine::ParamContext params;  // types and, through `values`, the bound values
  std::vector<engine::Datum> values;
  std::vector<int16_t> result_formats;  // one per result column (0 text, 1 binary)
  bool executed = false;                // the statement ran: `result` holds what is left
  engine::QueryResult result;           // its rows moved into `rows` when it ran
  // The rows not sent yet, pulled a batch at a time by each Execute (the drained result today:
  // engine::MaterializedRows; a live pipeline once reads run on a snapshot).
  std::unique_ptr<engine::RowSource> rows;
  // rows may be pulled on the session's executor (materialized rows, a bounded snapshot read);
  // else on a worker thread.
  bool pull_here = true;
};

class ExtendedQuery {
 public:
  // nullptr when absent.
  std::shared_ptr<const PreparedStatement> FindStatement(const std::string& name) const;
  Portal* FindPortal(const std::string& name);

  // A named statement's link is shared with the engine, where it is also a prepared statement of
  // the SQL level (engine/prepared_link.h): one DEALLOCATE dropped is absent here too.
  bool HasStatement(const std::string& name) const { return FindStatement(name) != nullptr; }
  bool HasPortal(const std::string& name) const {
    return name.empty() ? unnamed_portal_.has_value() : portals_.count(name) > 0;
  }
  void PutStatement(const std::string& name, std::shared_ptr<const PreparedStatement> statement,
                    std::shared_ptr<engine::ProtocolStatementLink> link = nullptr) {
    statements_[name] = StatementEntry{std::move(statement), std::move(link)};
  }
  Portal& PutPortal(const std::string& name) {
    if (name.empty()) return unnamed_portal_.emplace();
    return portals_[name] = Portal();
  }
  // Also drops it from the engine's name space. False when there was no such statement here.
  bool CloseStatement(const std::string& name);
  void ClosePortal(const std::string& name) {
    if (name.empty()) {
      unnamed_portal_.reset();
    } else {
      portals_.erase(name);
    }
  }
  void CloseAllPortals() {
    unnamed_portal_.reset();
    portals_.clear();
  }

 private:
  struct StatementEntry {
    std::shared_ptr<const PreparedStatement> statement;
    std::shared_ptr<engine::ProtocolStatementLink> link;  // null: unnamed, or not registered
  };
  std::unordered_map<std::string, StatementEntry> statements_;
  std::unordered_map<std::string, Portal> portals_;  // the named ones
  // The unnamed portal, apart: one Bind per Execute uses it, and a map node per Bind was an
  // allocation on the hot path.
  std::optional<Portal> unnamed_portal_;
};

// RowDescription of columns with per-column format codes (empty: all text).
void AppendRowDescription(std::string& out, const std::vector<engine::ColumnInfo>& columns,
                          const std::vector<int16_t>& formats);
// The session's locals (engine/session_locals.h) when a column of columns may print bytea as text
// (a bytea, a record, or an array of them), else null. A SessionLocalsScope of it around the
// encoding of a row prints bytea in the session's bytea_output; of null it costs nothing.
std::shared_ptr<engine::SessionLocals> ByteaOutputLocals(
    const engine::SessionState& state, const std::vector<engine::ColumnInfo>& columns);
// One DataRow, each field in its column's format (text when formats is short).
void AppendDataRow(std::string& out, const engine::Row& row,
                   const std::vector<engine::ColumnInfo>& columns,
                   const std::vector<int16_t>& formats);

}  // namespace sqlrite::server
