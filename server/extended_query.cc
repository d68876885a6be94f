// The extended query protocol: Session's handlers for Parse, Bind, Describe, Execute, Close and
// Sync, and the statement and portal maps (server/extended_query.h).
//
// Transactions, as PostgreSQL 15 runs them: the messages between two Syncs outside a BEGIN block
// are ONE implicit transaction, committed at Sync (rolled back after an error, which also skips
// every message up to Sync). The session opens that transaction on the engine (an implicit
// BEGIN) at the first Execute of a statement that is not transaction control, unless the
// message right after the Execute is already the Sync: then the statement runs as an
// autocommit statement, which is the same transaction, without the BEGIN and COMMIT round.
// A BEGIN executed inside the implicit transaction turns it into the explicit block (the earlier
// statements belong to it, as in PostgreSQL); COMMIT or ROLLBACK ends it.

#include "server/extended_query.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "common/assert.h"
#include "common/bytes.h"
#include "common/sqlstate.h"
#include "engine/binary_format.h"
#include "engine/expression.h"
#include "engine/point_statement.h"
#include "engine/session_locals.h"
#include "engine/types.h"
#include "engine/value.h"
#include "protocol/encoder.h"
#include "protocol/utf8.h"
#include "server/engine_bridge.h"
#include "server/role_passwords.h"
#include "server/server.h"
#include "server/session.h"

namespace sqlrite::server {

std::shared_ptr<const PreparedStatement> ExtendedQuery::FindStatement(
    const std::string& name) const {
  auto it = statements_.find(name);
  if (it == statements_.end()) return nullptr;
  // DEALLOCATE (on the engine) dropped it.
  if (it->second.link != nullptr && it->second.link->dropped.load()) return nullptr;
  return it->second.statement;
}

bool ExtendedQuery::CloseStatement(const std::string& name) {
  auto it = statements_.find(name);
  if (it == statements_.end()) return false;
  const bool live = it->second.link == nullptr || !it->second.link->dropped.load();
  if (it->second.link != nullptr) it->second.link->dropped.store(true);
  statements_.erase(it);
  return live;
}

Portal* ExtendedQuery::FindPortal(const std::string& name) {
  if (name.empty()) return unnamed_portal_ ? &*unnamed_portal_ : nullptr;
  auto it = portals_.find(name);
  return it == portals_.end() ? nullptr : &it->second;
}

namespace {

namespace ast = engine::ast;

// Rows of a portal go out in pieces of about this size.
constexpr size_t kExtendedFlushThreshold = 64 * 1024;
// Rows an Execute pulls from its portal per call.
constexpr size_t kPortalBatchRows = 1024;

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

// The catalog changed under a prepared statement (a table dropped and made again): its
// RowDescription and result formats no longer fit, as PostgreSQL's plan cache says.
Error ChangedResultType() {
  return Error(sqlstate::kFeatureNotSupported, "cached plan must not change result type");
}

// Whether a run's columns are those the statement was described with.
Status SameShape(const PreparedStatement& prepared,
                 const std::vector<engine::ColumnInfo>& columns) {
  const std::vector<engine::ColumnInfo>& described = prepared.description.columns;
  bool same = columns.size() == described.size();
  for (size_t i = 0; same && i < described.size(); ++i) same = columns[i].type == described[i].type;
  if (!same) return Fail(ChangedResultType());
  return Ok();
}

// PostgreSQL's CONTEXT line for an error while Bind reads parameter `index` (bind_param_error_
// callback). A text value is shown as log_parameter_max_length_on_error's default (0) shows it:
// '...' (or '' when empty); a binary one, or text not yet valid in the encoding, is not shown.
std::string BindParameterContext(std::string_view portal, size_t index, bool show_text,
                                 std::string_view bytes) {
  std::string context =
      portal.empty() ? "unnamed portal parameter $" : "portal " + Quoted(portal) + " parameter $";
  context += std::to_string(index + 1);
  if (show_text) context += bytes.empty() ? " = ''" : " = '...'";
  return context;
}

Error InFailedBlock() {
  return Error(sqlstate::kInFailedSqlTransaction,
               "current transaction is aborted, commands ignored until end of transaction block");
}

Error Protocol(std::string message) {
  return Error(sqlstate::kProtocolViolation, std::move(message));
}

// What one Execute produced on the engine.
struct ExecuteOutcome {
  Result<engine::QueryResult> result = engine::QueryResult{};
  char tx_status = 'I';
  int64_t statement_timeout_ms = 0;
};
using DeliverOutcome = engine::EngineQueue::Callback<Result<ExecuteOutcome>>;

// On the engine thread: hands a statement's result to deliver once the engine batch's fsync is
// done (queue.Defer), with the session's state after it; the writer's own statements that
// commit nothing at once (early lock release, server/session.cc). A commit whose sync failed is
// not acknowledged: its result becomes the sync's error.
void DeliverAfterSync(engine::EngineQueue& queue, engine::SessionState& state,
                      Result<engine::QueryResult> r, DeliverOutcome deliver,
                      bool touches_data = true) {
  if ((state.holds_writer() || !touches_data) && !(r && r->awaits_sync)) {
    // The writer's own statement (early lock release), or one that read nothing (BEGIN):
    // answered at once (server/session.cc).
    ExecuteOutcome outcome;
    outcome.result = std::move(r);
    outcome.tx_status = static_cast<char>(state.tx_status());
    outcome.statement_timeout_ms = state.statement_timeout_ms();
    deliver(std::move(outcome));
    return;
  }
  queue.Defer(
      [&state, r = std::move(r), deliver = std::move(deliver)](const Status& synced) mutable {
        ExecuteOutcome outcome;
        if (!synced && r && r->awaits_sync) r = tl::unexpected<Error>(synced.error());
        outcome.result = std::move(r);
        outcome.tx_status = static_cast<char>(state.tx_status());
        outcome.statement_timeout_ms = state.statement_timeout_ms();
        deliver(std::move(outcome));
      });
}

}  // namespace

void AppendRowDescription(std::string& out, const std::vector<engine::ColumnInfo>& columns,
                          const std::vector<int16_t>& formats) {
  size_t start = protocol::BeginRowDescription(out, static_cast<uint16_t>(columns.size()));
  for (size_t i = 0; i < columns.size(); ++i) {
    const engine::ColumnInfo& c = columns[i];
    protocol::FieldDescription f;
    f.name = c.name;
    f.type_oid = engine::TypeOid(c.sql_type());
    f.type_len = engine::TypeLen(c.type);
    // A record's typmod names its shape inside the engine; the wire says -1, as PostgreSQL.
    f.type_mod = c.type == engine::TypeId::kRecord ? -1 : c.typmod;
    f.format = i < formats.size() ? formats[i] : 0;
    protocol::AppendFieldDescription(out, f);
  }
  protocol::EndMessage(out, start);
}

std::shared_ptr<engine::SessionLocals> ByteaOutputLocals(
    const engine::SessionState& state, const std::vector<engine::ColumnInfo>& columns) {
  auto prints_bytea = [](engine::TypeId t) {
    return t == engine::TypeId::kBytea || t == engine::TypeId::kRecord;
  };
  for (const engine::ColumnInfo& c : columns) {
    if (prints_bytea(c.type) || (c.type == engine::TypeId::kArray && prints_bytea(c.elem))) {
      return engine::LocalsOf(state);
    }
  }
  return nullptr;
}

void AppendDataRow(std::string& out, const engine::Row& row,
                   const std::vector<engine::ColumnInfo>& columns,
                   const std::vector<int16_t>& formats) {
  size_t row_start = protocol::BeginDataRow(out, static_cast<uint16_t>(row.size()));
  for (size_t i = 0; i < row.size(); ++i) {
    if (engine::IsNull(row[i])) {
      protocol::AppendNullField(out);
      continue;
    }
    const engine::TypeId type = i < columns.size() ? columns[i].type : engine::TypeId::kText;
    size_t field = protocol::BeginField(out);
    if (i < formats.size() && formats[i] == 1) {
      engine::AppendBinary(out, row[i], type);
    } else {
      engine::AppendText(out, row[i], type);
    }
    protocol::EndField(out, field);
  }
  protocol::EndMessage(out, row_start);
}

asio::awaitable<Session::Next> Session::HandleParse(const protocol::Parse& msg) {
  const auto received = std::chrono::steady_clock::now();
  // A cancel or timeout meant for an earlier statement is forgotten (the parse polls the flag).
  if (interrupt_) interrupt_->Clear();
  const std::string name(msg.statement);
  if (!name.empty() && extended_.HasStatement(name)) {
    const Error failure = Error(sqlstate::kDuplicatePreparedStatement,
                                "prepared statement " + Quoted(name) + " already exists");
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  if (std::optional<size_t> bad = protocol::FindInvalidUtf8(msg.query)) {
    const Error failure = protocol::InvalidUtf8Error(msg.query, *bad);
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  auto prepared = std::make_shared<PreparedStatement>();
  std::shared_ptr<engine::ProtocolStatementLink> link;  // set when a named one is registered
  std::vector<engine::SqlType> declared;
  for (uint32_t oid : msg.param_types) {
    std::optional<engine::SqlType> type = engine::EngineSqlTypeForOid(oid);
    if (!type) {
      const Error failure =
          Error(sqlstate::kFeatureNotSupported,
                "parameters of type OID " + std::to_string(oid) + " are not supported yet");
      co_await FailExtended(failure);
      co_return Next::kContinue;
    }
    declared.push_back(*type);
    prepared->param_oids.push_back(type->id == engine::TypeId::kUnknown ? 0 : oid);
  }
  Result<std::vector<engine::sql::ParsedStatement>*> parsed =
      co_await ParseQuery(msg.query, received, /*uncached=*/true);
  if (client_gone_ || stopping_) {
    if (stopping_) {
      const Error fatal =
          Error(sqlstate::kAdminShutdown, "terminating connection due to administrator command")
              .WithSeverity(Severity::kFatal);
      co_await SendFatal(fatal);
    }
    co_return Next::kClose;
  }
  if (!parsed) {
    co_await FailExtended(parsed.error());
    co_return Next::kContinue;
  }
  std::vector<engine::sql::ParsedStatement>& statements = **parsed;
  if (statements.size() > 1) {
    const Error failure =
        Error(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  // As a simple Query: PASSWORD 'plain text' becomes a SCRAM secret before the engine sees it.
  if (Status hashed = HashRolePasswords(statements); !hashed) {
    co_await FailExtended(hashed.error());
    co_return Next::kContinue;
  }
  prepared->query = std::string(msg.query);
  if (!statements.empty()) {
    if (!statements[0].statement) {
      const Error failure = statements[0].statement.error();
      co_await FailExtended(failure);
      co_return Next::kContinue;
    }
    prepared->statement.emplace(std::move(*statements[0].statement));
    prepared->is_transaction_control =
        std::holds_alternative<ast::Transaction>(*prepared->statement);
    engine::Cluster& cluster = server_.cluster();
    engine::SessionState& state = *engine_state_;
    const PreparedStatement& p = *prepared;
    auto describe = [&]() -> Result<engine::Cluster::Description> {
      Result<engine::Cluster::Description> described =
          cluster.Describe(state, *p.statement, declared, p.query);
      if (!described || name.empty()) return described;
      // A named statement is a prepared statement of the SQL level too (EXECUTE, DEALLOCATE,
      // PREPARE's 42P05), as in PostgreSQL: engine/prepared_link.h.
      link = std::make_shared<engine::ProtocolStatementLink>();
      link->owner = prepared;
      link->statement = &*p.statement;
      link->param_types = described->param_types;
      if (Status registered = cluster.RegisterProtocolStatement(state, name, link); !registered) {
        return Fail(std::move(registered.error()));
      }
      return described;
    };
    Result<engine::Cluster::Description> description =
        co_await RunOnEngine(server_.queue(), std::move(describe));
    if (!description) {
      co_await FailExtended(description.error());
      co_return Next::kContinue;
    }
    prepared->description = std::move(*description);
    for (size_t i = 0; i < prepared->description.param_types.size(); ++i) {
      if (i >= prepared->param_oids.size()) prepared->param_oids.push_back(0);
      if (prepared->param_oids[i] == 0) {
        prepared->param_oids[i] = engine::TypeOid(prepared->description.param_types[i]);
      }
    }
  }
  statements.clear();
  extended_.PutStatement(name, std::move(prepared), std::move(link));
  protocol::AppendParseComplete(out_);
  co_return Next::kContinue;
}

asio::awaitable<std::shared_ptr<const PreparedStatement>> Session::StatementNamed(
    const std::string& name) {
  std::shared_ptr<const PreparedStatement> statement = extended_.FindStatement(name);
  if (statement || name.empty()) co_return statement;
  engine::Cluster& cluster = server_.cluster();
  engine::SessionState& state = *engine_state_;
  std::optional<engine::Cluster::SqlPreparedView> view =
      co_await RunOnEngine(server_.queue(), [&] { return cluster.FindSqlPrepared(state, name); });
  if (!view) co_return nullptr;
  auto prepared = std::make_shared<PreparedStatement>();
  prepared->borrowed = view->statement;
  prepared->borrowed_owner = std::move(view->owner);
  prepared->description = std::move(view->description);
  for (const engine::SqlType& type : prepared->description.param_types) {
    prepared->param_oids.push_back(engine::TypeOid(type));
  }
  prepared->is_transaction_control = std::holds_alternative<ast::Transaction>(*prepared->borrowed);
  co_return prepared;
}

asio::awaitable<Session::Next> Session::HandleBind(const protocol::Bind& msg) {
  const std::string statement_name(msg.statement);
  std::shared_ptr<const PreparedStatement> statement = co_await StatementNamed(statement_name);
  if (!statement) {
    const Error failure =
        Error(sqlstate::kInvalidSqlStatementName,
              statement_name.empty()
                  ? "unnamed prepared statement does not exist"
                  : "prepared statement " + Quoted(statement_name) + " does not exist");
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  if (std::optional<Error> failure = CheckBind(msg, *statement)) {
    co_await FailExtended(*failure);
    co_return Next::kContinue;
  }
  const std::string portal_name(msg.portal);
  if (!portal_name.empty() &&
      (extended_.HasPortal(portal_name) || co_await CursorColumns(portal_name))) {
    const Error failure =
        Error(sqlstate::kDuplicateCursor, "cursor " + Quoted(portal_name) + " already exists");
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  if (std::optional<Error> failure = BindPortal(msg, std::move(statement))) {
    co_await FailExtended(*failure);
  }
  co_return Next::kContinue;
}

std::optional<Error> Session::CheckBind(const protocol::Bind& msg,
                                        const PreparedStatement& statement) {
  const size_t nparams = statement.param_oids.size();
  if (msg.param_formats.size() > 1 && msg.param_formats.size() != msg.params.size()) {
    return Protocol("bind message has " + std::to_string(msg.param_formats.size()) +
                    " parameter formats but " + std::to_string(msg.params.size()) + " parameters");
  }
  if (msg.params.size() != nparams) {
    return Protocol("bind message supplies " + std::to_string(msg.params.size()) +
                    " parameters, but prepared statement " + Quoted(std::string(msg.statement)) +
                    " requires " + std::to_string(nparams));
  }
  // As exec_bind_message: in a failed block only a statement that ends it (COMMIT, ROLLBACK,
  // ROLLBACK TO; PostgreSQL's IsTransactionExitStmt) may be bound, and only without parameters.
  const auto* control = statement.tree() == nullptr
                            ? nullptr
                            : std::get_if<engine::ast::Transaction>(statement.tree());
  const bool exits_block =
      control != nullptr && (control->kind == engine::ast::Transaction::kCommit ||
                             control->kind == engine::ast::Transaction::kRollback ||
                             control->kind == engine::ast::Transaction::kRollbackTo);
  if (tx_status_ == 'E' && (!exits_block || nparams != 0)) {
    return Error(sqlstate::kInFailedSqlTransaction,
                 "current transaction is aborted, commands ignored until end of "
                 "transaction block");
  }
  return std::nullopt;
}

std::optional<Error> Session::BindPortal(const protocol::Bind& msg,
                                         std::shared_ptr<const PreparedStatement> statement) {
  const size_t nparams = statement->param_oids.size();
  const std::string portal_name(msg.portal);
  std::vector<engine::Datum> values;
  values.reserve(nparams);
  std::vector<std::string> bind_context;
  for (size_t i = 0; i < nparams; ++i) {
    const int16_t format = msg.param_formats.empty()       ? 0
                           : msg.param_formats.size() == 1 ? msg.param_formats[0]
                                                           : msg.param_formats[i];
    if (format != 0 && format != 1) {
      return Error(sqlstate::kInvalidParameterValue,
                   "unsupported format code: " + std::to_string(format));
    }
    if (!msg.params[i]) {
      values.emplace_back();
      continue;
    }
    const std::string_view bytes = *msg.params[i];
    const uint32_t oid = statement->param_oids[i];
    const engine::TypeId type = statement->description.param_types[i].id;
    const bool textual = type == engine::TypeId::kText || type == engine::TypeId::kVarchar;
    if ((format == 0 || textual)) {
      if (std::optional<size_t> bad = protocol::FindInvalidUtf8(bytes)) {
        return protocol::InvalidUtf8Error(bytes, *bad)
            .WithContext(BindParameterContext(portal_name, i, false, bytes));
      }
    }
    Result<engine::Datum> v = [&] {
      // timestamptz text without an offset is read in the session's TimeZone.
      engine::DateTimeScope scope_datetime(engine_state_->datetime());
      return format == 0 ? engine::ReceiveText(bytes, oid) : engine::ReceiveBinary(bytes, oid);
    }();
    if (!v) {
      Error e = std::move(v.error());
      e.position = 0;
      if (e.sqlstate == sqlstate::kInvalidBinaryRepresentation &&
          e.message == "incorrect binary data format") {
        e.message += " in bind parameter " + std::to_string(i + 1);
      }
      e.context = BindParameterContext(portal_name, i, format == 0, bytes);
      return e;
    }
    values.push_back(std::move(*v));
    // An enum's label is read by the engine, which has its labels: its input error gets the
    // context this Bind's would have.
    if (statement->description.param_types[i].enum_oid != 0) {
      bind_context.resize(nparams);
      bind_context[i] = BindParameterContext(portal_name, i, format == 0, bytes);
    }
  }
  const std::vector<engine::ColumnInfo>& columns = statement->description.columns;
  const size_t ncolumns = statement->description.returns_rows ? columns.size() : 0;
  if (msg.result_formats.size() > 1 && msg.result_formats.size() != ncolumns) {
    return Protocol("bind message has " + std::to_string(msg.result_formats.size()) +
                    " result formats but query has " + std::to_string(ncolumns) + " columns");
  }
  std::vector<int16_t> formats(ncolumns, 0);
  for (size_t i = 0; i < ncolumns; ++i) {
    const int16_t f = msg.result_formats.empty()       ? 0
                      : msg.result_formats.size() == 1 ? msg.result_formats[0]
                                                       : msg.result_formats[i];
    if (f != 0 && f != 1) {
      return Error(sqlstate::kInvalidParameterValue,
                   "unsupported format code: " + std::to_string(f));
    }
    formats[i] = f;
  }
  Portal& portal = extended_.PutPortal(portal_name);
  portal.statement = std::move(statement);
  portal.params.types = portal.statement->description.param_types;
  portal.params.bind_context = std::move(bind_context);
  portal.values = std::move(values);
  portal.result_formats = std::move(formats);
  protocol::AppendBindComplete(out_);
  return std::nullopt;
}

std::optional<Session::Next> Session::TryHandleNow(const protocol::FrontendMessage& msg) {
  if (skip_to_sync_) return std::nullopt;
  if (const auto* bind = std::get_if<protocol::Bind>(&msg)) {
    // A named portal may collide with a SQL cursor (the engine's): the coroutine checks that.
    if (!bind->portal.empty()) return std::nullopt;
    std::shared_ptr<const PreparedStatement> statement =
        extended_.FindStatement(std::string(bind->statement));
    if (!statement || CheckBind(*bind, *statement)) return std::nullopt;
    // BindPortal changes nothing before it succeeds: on an error the coroutine redoes it and
    // reports it.
    if (BindPortal(*bind, std::move(statement))) return std::nullopt;
    return Next::kContinue;
  }
  if (const auto* describe = std::get_if<protocol::Describe>(&msg)) {
    if (describe->kind != 'P') return std::nullopt;
    Portal* portal = extended_.FindPortal(std::string(describe->name));
    if (portal == nullptr || (tx_status_ == 'E' && portal->statement->description.returns_rows)) {
      return std::nullopt;
    }
    if (portal->statement->description.returns_rows) {
      AppendRowDescription(out_, portal->statement->description.columns, portal->result_formats);
    } else {
      protocol::AppendNoData(out_);
    }
    return Next::kContinue;
  }
  return std::nullopt;
}

asio::awaitable<Session::Next> Session::HandleDescribe(const protocol::Describe& msg) {
  const std::string name(msg.name);
  if (msg.kind == 'S') {
    std::shared_ptr<const PreparedStatement> statement = co_await StatementNamed(name);
    if (!statement) {
      const Error failure =
          Error(sqlstate::kInvalidSqlStatementName,
                name.empty() ? "unnamed prepared statement does not exist"
                             : "prepared statement " + Quoted(name) + " does not exist");
      co_await FailExtended(failure);
      co_return Next::kContinue;
    }
    if (tx_status_ == 'E' && statement->description.returns_rows) {
      // As PostgreSQL: no RowDescription in a failed block (it would need the catalog).
      const Error failure = InFailedBlock();
      co_await FailExtended(failure);
      co_return Next::kContinue;
    }
    protocol::AppendParameterDescription(out_, statement->param_oids);
    if (statement->description.returns_rows) {
      AppendRowDescription(out_, statement->description.columns, {});
    } else {
      protocol::AppendNoData(out_);
    }
    co_return Next::kContinue;
  }
  Portal* portal = extended_.FindPortal(name);
  if (portal == nullptr) {
    if (std::optional<std::vector<engine::ColumnInfo>> columns = co_await CursorColumns(name)) {
      if (tx_status_ == 'E') {
        const Error failure = InFailedBlock();
        co_await FailExtended(failure);
        co_return Next::kContinue;
      }
      AppendRowDescription(out_, *columns, {});
      co_return Next::kContinue;
    }
    const Error failure =
        Error(sqlstate::kInvalidCursorName, "portal " + Quoted(name) + " does not exist");
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  if (tx_status_ == 'E' && portal->statement->description.returns_rows) {
    const Error failure = InFailedBlock();
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  if (portal->statement->description.returns_rows) {
    AppendRowDescription(out_, portal->statement->description.columns, portal->result_formats);
  } else {
    protocol::AppendNoData(out_);
  }
  co_return Next::kContinue;
}

asio::awaitable<Session::Next> Session::HandleClose(const protocol::Close& msg) {
  const std::string name(msg.name);
  if (msg.kind == 'S') {
    if (!extended_.CloseStatement(name) && !name.empty()) {
      // One PREPARE made: the name space is one (engine/prepared_link.h).
      engine::Cluster& cluster = server_.cluster();
      engine::SessionState& state = *engine_state_;
      co_await RunOnEngine(server_.queue(),
                           [&] { return cluster.ClosePreparedStatement(state, name); });
    }
  } else if (extended_.HasPortal(name)) {
    extended_.ClosePortal(name);
  } else if (!name.empty()) {
    engine::Cluster& cluster = server_.cluster();
    engine::SessionState& state = *engine_state_;
    co_await RunOnEngine(server_.queue(), [&] { return cluster.CloseCursor(state, name); });
  }
  protocol::AppendCloseComplete(out_);
  co_return Next::kContinue;
}

asio::awaitable<std::optional<std::vector<engine::ColumnInfo>>> Session::CursorColumns(
    const std::string& name) {
  if (name.empty()) co_return std::nullopt;
  engine::Cluster& cluster = server_.cluster();
  engine::SessionState& state = *engine_state_;
  co_return co_await RunOnEngine(server_.queue(),
                                 [&] { return cluster.CursorColumns(state, name); });
}

asio::awaitable<Session::Next> Session::ExecuteCursorPortal(const std::string& name,
                                                            int32_t max_rows) {
  ast::Fetch fetch;
  fetch.name = name;
  fetch.count = max_rows > 0 ? max_rows : ast::Fetch::kFetchAll;
  const ast::Statement statement(std::move(fetch));
  engine::Cluster& cluster = server_.cluster();
  engine::EngineQueue& queue = server_.queue();
  engine::SessionState& state = *engine_state_;
  auto run = [&](DeliverOutcome deliver) {
    cluster.SubmitWithParams(
        state, statement, nullptr,
        [&queue, &state, deliver = std::move(deliver)](Result<engine::QueryResult> r) mutable {
          DeliverAfterSync(queue, state, std::move(r), std::move(deliver));
        });
  };
  Result<ExecuteOutcome> outcome =
      co_await CompleteOnEngine<Result<ExecuteOutcome>>(queue, std::move(run));
  if (!outcome) {
    co_await FailExtended(outcome.error());
    co_return Next::kContinue;
  }
  tx_status_ = outcome->tx_status;
  if (!outcome->result) {
    protocol::AppendErrorResponse(out_, outcome->result.error());
    skip_to_sync_ = true;
    co_return Next::kContinue;
  }
  engine::QueryResult& result = *outcome->result;
  const std::shared_ptr<engine::SessionLocals> locals =
      ByteaOutputLocals(*engine_state_, result.columns);
  for (engine::Row& row : result.rows) {
    {
      // Per row, never across a co_await: another session may run on this thread meanwhile.
      engine::DateTimeScope scope_datetime(engine_state_->datetime());
      engine::SessionLocalsScope scope_locals(locals);
      AppendDataRow(out_, row, result.columns, {});
    }
    engine::Row().swap(row);  // sent: its memory goes now
    if (out_.size() >= kExtendedFlushThreshold && !co_await Flush()) co_return Next::kClose;
  }
  // As PortalRun of a SELECT portal: done when the cursor reached its end.
  if (max_rows > 0 && result.rows.size() == static_cast<size_t>(max_rows)) {
    protocol::AppendPortalSuspended(out_);
  } else {
    protocol::AppendCommandComplete(out_, "SELECT " + std::to_string(result.rows.size()));
  }
  co_return Next::kContinue;
}

asio::awaitable<Session::Next> Session::HandleExecute(const protocol::Execute& msg) {
  const std::string name(msg.portal);
  Portal* portal = extended_.FindPortal(name);
  if (portal == nullptr && co_await CursorColumns(name)) {
    co_return co_await ExecuteCursorPortal(name, msg.max_rows);
  }
  if (portal == nullptr) {
    const Error failure =
        Error(sqlstate::kInvalidCursorName, "portal " + Quoted(name) + " does not exist");
    co_await FailExtended(failure);
    co_return Next::kContinue;
  }
  const PreparedStatement& prepared = *portal->statement;
  if (prepared.tree() == nullptr) {
    protocol::AppendEmptyQueryResponse(out_);
    co_return Next::kContinue;
  }
  // Right after this Execute comes the Sync: the statement is the whole implicit transaction, so it
  // may commit on its own (see the opening comment). Only a well-formed Sync: one with a body is
  // an error that must still roll the statement back.
  if (activity_) activity_->BeginQuery(prepared.query);
  const bool sync_follows = in_end_ - message_end_ >= 5 && in_[message_end_] == 'S' &&
                            LoadBE32(&in_[message_end_ + 1]) == 4;
  const auto received = std::chrono::steady_clock::now();
  // A cancel or timeout meant for an earlier statement (or an earlier Execute of this portal) is
  // forgotten, as PostgreSQL ignores a cancel that arrives while it waits for a message.
  if (interrupt_) interrupt_->Clear();
  if (!portal->executed) {
    portal->params.values = &portal->values;
    portal->params.plan = prepared.plan.get();
    engine::Cluster& cluster = server_.cluster();
    engine::SessionState& state = *engine_state_;
    // A SELECT that reads the newest durable commit runs here, off the engine thread
    // (engine/snapshot_read.h): as the statement of its own implicit transaction (a Sync follows),
    // or inside a block. One that would begin an implicit transaction of several statements
    // goes to the engine, which begins it.
    if (!prepared.is_transaction_control &&
        ((sync_follows && tx_status_ == 'I' && !implicit_block_) || tx_status_ == 'T')) {
      Result<std::optional<engine::Cluster::SnapshotRead>> read =
          cluster.ReadOnSnapshot(state, *prepared.tree(), prepared.query, &portal->params);
      if (!read) {
        tx_status_ = static_cast<char>(state.tx_status());
        spdlog::warn("session {}: ERROR {}: {}", id_, read.error().sqlstate, read.error().message);
        protocol::AppendErrorResponse(out_, read.error());
        skip_to_sync_ = true;
        co_return read.error().severity == Severity::kFatal ? Next::kClose : Next::kContinue;
      }
      if (*read) {
        if (Status fits = SameShape(prepared, (*read)->columns); !fits) {
          co_await FailExtended(fits.error());
          co_return Next::kContinue;
        }
        portal->executed = true;
        portal->result = engine::QueryResult();
        portal->result.returns_rows = true;
        portal->result.columns = std::move((*read)->columns);
        portal->result.command_tag = (*read)->explain ? "EXPLAIN" : "SELECT";
        portal->result.backward_scan = (*read)->backward_scan;
        portal->pull_here = (*read)->bounded;
        portal->rows = std::move((*read)->rows);
      }
    }
  }
  if (!portal->executed) {
    engine::Cluster& cluster = server_.cluster();
    engine::EngineQueue& queue = server_.queue();
    engine::SessionState& state = *engine_state_;
    const ast::Statement& statement = *prepared.tree();
    const bool control = prepared.is_transaction_control;
    const bool begin_implicit = !control && !implicit_block_ && !sync_follows && tx_status_ == 'I';
    const bool touches_data = !engine::TouchesNoData(statement);
    bool& implicit_block = implicit_block_;
    engine::ParamContext* params = &portal->params;
    std::string_view query = prepared.query;
    auto run = [&](DeliverOutcome deliver) {
      auto finish = [&queue, &state, &implicit_block, touches_data,
                     deliver = std::move(deliver)](Result<engine::QueryResult> r) mutable {
        // A BEGIN makes the implicit transaction the explicit block, a COMMIT or ROLLBACK ends
        // it; anything else (a SAVEPOINT refused in it, an error) leaves it for the Sync.
        implicit_block = state.in_implicit_block();
        DeliverAfterSync(queue, state, std::move(r), std::move(deliver), touches_data);
      };
      if (begin_implicit) {
        static const ast::Statement kBegin = ast::Transaction{
            ast::Transaction::kBegin, {}, {}, false, ast::Transaction::Implicit::kPipeline};
        Result<engine::QueryResult> begun = cluster.Execute(state, kBegin, query);
        if (!begun) {
          finish(std::move(begun));
          return;
        }
        implicit_block = true;
      }
      cluster.SubmitWithParams(state, statement, query, params, std::move(finish));
    };
    // statement_timeout, counted from the Execute's arrival (PostgreSQL restarts it at each
    // Execute of a pipeline), stops the running statement as HandleQuery's does; a CancelRequest
    // raises the same flag.
    const bool timed = ArmStatementTimeout(received);
    std::optional<DelayedPeerWatch> watch(std::in_place, peer_watches_, timer_.get_executor(),
                                          *this);
    // A short statement (Cluster::RunsShort) runs on this io thread when the engine is idle; the
    // implicit BEGIN it may need is as short.
    auto here = [&cluster, &state, &statement] { return cluster.RunsShort(state, statement); };
    Result<ExecuteOutcome> outcome =
        co_await CompleteOnEngine<Result<ExecuteOutcome>>(queue, std::move(run), here);
    watch.reset();
    UnwatchPeer();
    if (timed) DisarmTimer();
    if (interrupt_) interrupt_->Clear();  // it ended this statement, or came too late for it
    if (!outcome) {
      co_await FailExtended(outcome.error());
      co_return Next::kContinue;
    }
    tx_status_ = outcome->tx_status;
    statement_timeout_ms_ = outcome->statement_timeout_ms;
    if (!outcome->result) {
      const Error& error = outcome->result.error();
      spdlog::warn("session {}: ERROR {}: {}", id_, error.sqlstate, error.message);
      protocol::AppendErrorResponse(out_, error);
      skip_to_sync_ = true;
      if (error.severity == Severity::kFatal) co_return Next::kClose;
      co_return Next::kContinue;
    }
    if (outcome->result->copy) {
      // A COPY runs its sub-protocol here, as after a Query; an error in it skips to Sync.
      const engine::CopyStart copy = *outcome->result->copy;
      portal->executed = true;
      portal->result = engine::QueryResult();
      copy_failed_ = false;
      if (co_await RunCopy(copy) == Next::kClose) co_return Next::kClose;
      if (copy_failed_) skip_to_sync_ = true;
      co_return Next::kContinue;
    }
    if (!prepared.is_transaction_control) {
      const bool returns_rows = outcome->result->returns_rows;
      Status fits = returns_rows == prepared.description.returns_rows
                        ? SameShape(prepared, outcome->result->columns)
                        : Fail(ChangedResultType());
      if (!fits) {
        co_await FailExtended(fits.error());
        co_return Next::kContinue;
      }
    }
    portal->executed = true;
    portal->result = std::move(*outcome->result);
    portal->rows = std::make_unique<engine::MaterializedRows>(std::move(portal->result.rows));
    for (const Error& notice : portal->result.notices) {
      protocol::AppendNoticeResponse(out_, notice);
    }
    for (auto& change : portal->result.parameter_status) {
      pending_parameter_status_.push_back(std::move(change));
    }
  }
  engine::QueryResult& result = portal->result;
  if (!result.returns_rows) {
    if (result.command_tag.empty()) {
      // Ran to completion by an earlier Execute: PostgreSQL's PORTAL_DONE.
      const Error failure = Error("55000", "portal " + Quoted(name) + " cannot be run");
      co_await FailExtended(failure);
      co_return Next::kContinue;
    }
    protocol::AppendCommandComplete(out_, result.command_tag);
    result.command_tag.clear();
    // COMMIT or ROLLBACK ended the block: its portals end with it, this one too.
    if (prepared.is_transaction_control && tx_status_ == 'I') extended_.CloseAllPortals();
    co_return Next::kContinue;
  }
  // As PostgreSQL's PortalRunSelect: at most max_rows rows, pulled from the portal's rows a
  // batch at a time and encoded as they come; a fetch that got all it asked for suspends the
  // portal even when no row is left (the next Execute then completes with 0).
  const uint64_t wanted =
      msg.max_rows > 0 ? static_cast<uint64_t>(msg.max_rows) : std::numeric_limits<uint64_t>::max();
  uint64_t count = 0;
  std::vector<engine::Row> batch;
  const std::shared_ptr<engine::SessionLocals> locals =
      ByteaOutputLocals(*engine_state_, result.columns);
  // Rows pulled on a worker may take long: statement_timeout and a vanished client stop them.
  const bool watched = !portal->pull_here && portal->rows != nullptr;
  const bool timed = portal->rows != nullptr && ArmStatementTimeout(received);
  if (watched) WatchPeer();
  struct Unwatch {
    Session* self;
    bool watched, timed;
    ~Unwatch() {
      if (watched) self->UnwatchPeer();
      if (timed) self->DisarmTimer();
    }
  } unwatch{this, watched, timed};
  while (count < wanted && portal->rows != nullptr) {
    batch.clear();
    const size_t ask = static_cast<size_t>(std::min<uint64_t>(wanted - count, kPortalBatchRows));
    Result<size_t> got = co_await PullBatch(*portal->rows, portal->pull_here, ask, &batch);
    if (!got) {
      tx_status_ = static_cast<char>(engine_state_->tx_status());
      // A pipeline that fails part-way (not the drained rows of today): as PostgreSQL, the rows
      // already sent stay sent and the error follows them.
      co_await FailExtended(got.error());
      co_return Next::kContinue;
    }
    if (*got == 0) break;
    for (engine::Row& row : batch) {
      {
        engine::DateTimeScope scope_datetime(engine_state_->datetime());
        engine::SessionLocalsScope scope_locals(locals);
        AppendDataRow(out_, row, result.columns, portal->result_formats);
      }
      engine::Row().swap(row);  // sent: its memory goes now
      if (out_.size() >= kExtendedFlushThreshold && !co_await Flush()) co_return Next::kClose;
    }
    count += *got;
  }
  const bool limited = msg.max_rows > 0 && count == wanted;
  if (limited) {
    protocol::AppendPortalSuspended(out_);
    co_return Next::kContinue;
  }
  // The tag counts this Execute's rows (PortalRun's nprocessed); RETURNING keeps its own.
  if (result.command_tag.starts_with("SELECT")) {
    protocol::AppendCommandComplete(out_, "SELECT " + std::to_string(count));
  } else if (result.command_tag.starts_with("FETCH")) {
    protocol::AppendCommandComplete(out_, "FETCH " + std::to_string(count));
  } else {
    protocol::AppendCommandComplete(out_, result.command_tag);
  }
  co_return Next::kContinue;
}

asio::awaitable<Session::Next> Session::HandleSync() {
  skip_to_sync_ = false;
  if (implicit_block_) co_await EndImplicitBlock();
  co_return FinishSync();
}

Session::Next Session::FinishSync() {
  SQLRITE_ASSERT(!implicit_block_);
  if (tx_status_ == 'I') extended_.CloseAllPortals();
  AppendPendingParameterStatus();
  protocol::AppendReadyForQuery(out_, tx_status_);
  return Next::kContinue;
}

asio::awaitable<void> Session::EndImplicitBlock() {
  if (implicit_block_) {
    implicit_block_ = false;
    engine::Cluster& cluster = server_.cluster();
    engine::EngineQueue& queue = server_.queue();
    engine::SessionState& state = *engine_state_;
    auto end = [&](DeliverOutcome deliver) {
      static const ast::Statement kCommit = ast::Transaction{ast::Transaction::kCommit};
      static const ast::Statement kRollback = ast::Transaction{ast::Transaction::kRollback};
      const bool failed = state.tx_status() == engine::TxStatus::kFailed;
      DeliverAfterSync(queue, state, cluster.ExecuteInBatch(state, failed ? kRollback : kCommit),
                       std::move(deliver));
    };
    // A COMMIT or ROLLBACK: short, run here when the engine is idle.
    Result<ExecuteOutcome> outcome = co_await CompleteOnEngine<Result<ExecuteOutcome>>(
        queue, std::move(end), [] { return true; });
    if (!outcome) {
      protocol::AppendErrorResponse(out_, outcome.error());
    } else {
      tx_status_ = outcome->tx_status;
      statement_timeout_ms_ = outcome->statement_timeout_ms;
      if (!outcome->result) {
        protocol::AppendErrorResponse(out_, outcome->result.error());
      } else {
        for (auto& change : outcome->result->parameter_status) {
          pending_parameter_status_.push_back(std::move(change));
        }
      }
    }
  }
}

void Session::AppendPendingParameterStatus() {
  // Once per name, with the final value, as PostgreSQL's ReportChangedGUCOptions.
  std::vector<std::pair<std::string, std::string>> changed;
  for (auto& change : pending_parameter_status_) {
    auto same = std::find_if(changed.begin(), changed.end(),
                             [&](const auto& c) { return c.first == change.first; });
    if (same == changed.end()) {
      changed.push_back(std::move(change));
    } else {
      same->second = std::move(change.second);
    }
  }
  pending_parameter_status_.clear();
  for (const auto& [name, value] : changed) {
    if (name == "application_name" && activity_) activity_->SetApplicationName(value);
    protocol::AppendParameterStatus(out_, name, value);
  }
}

asio::awaitable<void> Session::FailExtended(const Error& error) {
  co_await FailErrorOutsideEngine(error);
  skip_to_sync_ = true;
}

}  // namespace sqlrite::server
