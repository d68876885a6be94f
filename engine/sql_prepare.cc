#include "engine/sql_prepare.h"

#include "common/sqlstate.h"
#include "engine/expression.h"

namespace sqlrite::engine {
namespace {

// The session's prepared statements without those the server dropped (Close of a protocol
// statement: engine/prepared_link.h).
std::map<std::string, Session::SqlPrepared, std::less<>>& Live(Session& session) {
  auto& prepared = session.sql_prepared();
  for (auto it = prepared.begin(); it != prepared.end();) {
    if (it->second.link != nullptr && it->second.link->dropped.load()) {
      it = prepared.erase(it);
    } else {
      ++it;
    }
  }
  return prepared;
}

void Drop(Session::SqlPrepared& prepared) {
  if (prepared.link != nullptr) prepared.link->dropped.store(true);
}

}  // namespace

Status CheckPrepareName(Session& session, const std::string& name) {
  if (Live(session).count(name) != 0) {
    return Fail(sqlstate::kDuplicatePreparedStatement,
                "prepared statement \"" + name + "\" already exists");
  }
  return Ok();
}

Result<const Session::SqlPrepared*> FindPrepared(Session& session, const std::string& name) {
  auto& prepared = Live(session);
  auto it = prepared.find(name);
  if (it == prepared.end()) {
    return Fail(sqlstate::kInvalidSqlStatementName,
                "prepared statement \"" + name + "\" does not exist");
  }
  return &it->second;
}

Result<std::vector<Datum>> BindExecuteArguments(const Session::SqlPrepared& prepared,
                                                const ast::ExecutePrepared& stmt) {
  if (stmt.args.size() != prepared.types.size()) {
    return Fail(Error(sqlstate::kSyntaxError,
                      "wrong number of parameters for prepared statement \"" + stmt.name + "\"")
                    .WithDetail("Expected " + std::to_string(prepared.types.size()) +
                                " parameters but got " + std::to_string(stmt.args.size()) + "."));
  }
  std::vector<Datum> values;
  values.reserve(stmt.args.size());
  Scope no_columns;
  for (size_t i = 0; i < stmt.args.size(); ++i) {
    Binder binder(no_columns);
    binder.SetClause("EXECUTE parameters");
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(*stmt.args[i]));
    const SqlType to = prepared.types[i];
    const SqlType from = e.type;
    Result<BoundExpr> coerced =
        CoerceForAssignment(std::move(e), to, "", ExprLocation(*stmt.args[i]));
    if (!coerced) {
      // PostgreSQL's EvaluateParams words the mismatch with the parameter's number.
      if (coerced.error().sqlstate == std::string_view(sqlstate::kDatatypeMismatch)) {
        return Fail(Error(sqlstate::kDatatypeMismatch,
                          "parameter $" + std::to_string(i + 1) + " of type " + SqlTypeName(from) +
                              " cannot be coerced to the expected type " + SqlTypeName(to))
                        .WithHint("You will need to rewrite or cast the expression."));
      }
      return Fail(std::move(coerced.error()));
    }
    SQLRITE_ASSIGN_OR_RETURN(Datum value, Eval(*coerced, EvalContext{}));
    values.push_back(std::move(value));
  }
  return values;
}

Result<QueryResult> Deallocate(Session& session, const ast::Deallocate& stmt) {
  auto& prepared = Live(session);
  if (stmt.name.empty()) {
    for (auto& [name, entry] : prepared) Drop(entry);
    prepared.clear();
  } else {
    auto it = prepared.find(stmt.name);
    if (it == prepared.end()) {
      return Fail(sqlstate::kInvalidSqlStatementName,
                  "prepared statement \"" + stmt.name + "\" does not exist");
    }
    Drop(it->second);
    prepared.erase(it);
  }
  QueryResult result;
  result.command_tag = stmt.name.empty() ? "DEALLOCATE ALL" : "DEALLOCATE";
  return result;
}

Status RegisterProtocolStatement(Session& session, const std::string& name,
                                 std::shared_ptr<ProtocolStatementLink> link) {
  SQLRITE_TRY(CheckPrepareName(session, name));
  Session::SqlPrepared entry;
  entry.types = link->param_types;
  entry.link = std::move(link);
  session.sql_prepared()[name] = std::move(entry);
  return Ok();
}

Result<QueryResult> LockTables(Session& session, const ast::LockTable& stmt,
                               const std::vector<const TableDef*>& tables) {
  // RequireTransactionBlock: an explicit block, or the implicit one of a query string of
  // several statements (not the extended protocol's, which PostgreSQL does not count).
  const TransactionState& tx = session.tx();
  if (!tx.in_block || tx.implicit == ast::Transaction::Implicit::kPipeline) {
    return Fail(sqlstate::kNoActiveSqlTransaction,
                "LOCK TABLE can only be used in transaction blocks");
  }
  for (size_t i = 0; i < tables.size(); ++i) {
    if (tables[i]->is_sequence()) {
      return Fail(
          Error(sqlstate::kWrongObjectType, "cannot lock relation \"" + stmt.tables[i].name + "\"")
              .WithDetail("This operation is not supported for sequences."));
    }
  }
  QueryResult result;
  result.command_tag = "LOCK TABLE";
  return result;
}

}  // namespace sqlrite::engine
