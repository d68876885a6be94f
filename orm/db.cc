#include "orm/db.h"

#include <map>

#include "orm/pg/pg_driver.h"
#include "orm/sql/serializer.h"
#include "orm/sqlite/sqlite_driver.h"

namespace sqlrite::orm {
namespace internal {

struct DbState {
  std::shared_ptr<Pool> pool;
  const Driver* driver = nullptr;  // the pool's
  Pool::Lease connection;
  Capability capability;
  Schema schema;
  std::function<void(const Operation&)> trace;
  int open_depth = 0;  // transactions open (the outermost is 1)
  int savepoint_counter = 0;
  // The kept statements' texts (Executor::RunAndKeep). The schema's mapping of a registered model
  // and the capability never change for a Db, so a text stays right for its life.
  std::map<Executor::Shape, SqlOp> kept;

  Result<ResultSet> Exec(const Operation& op) {
    if (trace) trace(op);
    return connection->Exec(op);
  }
  Result<std::int64_t> ExecRows(const SqlOp& op, RowSink& sink) {
    if (trace) trace(Operation(op));  // a copy, for tests only
    return connection->ExecRows(op, sink);
  }
};

}  // namespace internal

namespace {

Error NotSupported(const internal::DbState& state, std::string_view what) {
  return Error(sqlstate::kFeatureNotSupported, std::string(what) + " is not supported by the " +
                                                   std::string(state.driver->name()) + " driver");
}

bool UsesStartsWith(const stmt::Expr& e) {
  if (!e) return false;
  return std::visit(
      [](const auto& n) -> bool {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, stmt::StartsWith>) {
          return true;
        } else if constexpr (std::is_same_v<N, stmt::And> || std::is_same_v<N, stmt::Or>) {
          for (const auto& o : n.operands) {
            if (UsesStartsWith(o)) return true;
          }
          return false;
        } else if constexpr (std::is_same_v<N, stmt::Not> || std::is_same_v<N, stmt::IsNull> ||
                             std::is_same_v<N, stmt::InList>) {
          return UsesStartsWith(n.operand);
        } else if constexpr (std::is_same_v<N, stmt::Compare>) {
          return UsesStartsWith(n.lhs) || UsesStartsWith(n.rhs);
        } else if constexpr (std::is_same_v<N, stmt::Between>) {
          return UsesStartsWith(n.operand) || UsesStartsWith(n.low) || UsesStartsWith(n.high);
        } else if constexpr (std::is_same_v<N, stmt::Like>) {
          return UsesStartsWith(n.operand) || UsesStartsWith(n.pattern);
        } else if constexpr (std::is_same_v<N, stmt::InSelect>) {
          return UsesStartsWith(n.filter);
        } else {
          return false;
        }
      },
      e->node);
}

// The verify pass: a statement that needs what the backend lacks fails here, before any I/O.
Status Verify(const internal::DbState& state, const stmt::Statement& statement) {
  const Capability& cap = state.capability;
  if (const auto* insert = std::get_if<stmt::Insert>(&statement)) {
    if (insert->on_conflict && !cap.upsert) return tl::unexpected(NotSupported(state, "upsert"));
    if (insert->returning && !cap.returning) {
      return tl::unexpected(NotSupported(state, "INSERT ... RETURNING"));
    }
    if (insert->rows.size() > 1 && !cap.multi_row_insert) {
      return tl::unexpected(NotSupported(state, "a multi-row INSERT"));
    }
  } else if (const auto* update = std::get_if<stmt::Update>(&statement)) {
    if (update->returning && !cap.returning) {
      return tl::unexpected(NotSupported(state, "UPDATE ... RETURNING"));
    }
    if (UsesStartsWith(update->filter) && !cap.starts_with) {
      return tl::unexpected(NotSupported(state, "starts_with"));
    }
  } else if (const auto* select = std::get_if<stmt::Select>(&statement)) {
    if (UsesStartsWith(select->filter) && !cap.starts_with) {
      return tl::unexpected(NotSupported(state, "starts_with"));
    }
  } else if (const auto* remove = std::get_if<stmt::Delete>(&statement)) {
    if (UsesStartsWith(remove->filter) && !cap.starts_with) {
      return tl::unexpected(NotSupported(state, "starts_with"));
    }
  } else if (std::holds_alternative<stmt::CreateIndex>(statement)) {
    if (!cap.secondary_indexes) return tl::unexpected(NotSupported(state, "CREATE INDEX"));
  }
  return {};
}

}  // namespace

Status Executor::CheckOpen() const {
  if (finished_) {
    return Fail(sqlstate::kInvalidTransactionState,
                "the transaction is over: it was committed or rolled back");
  }
  return {};
}

Result<ResultSet> Executor::Run(const stmt::Statement& statement) {
  SQLRITE_ORM_TRY(CheckOpen());
  SQLRITE_ORM_TRY(Verify(*state_, statement));
  auto text = sql::Serialize(state_->schema, statement, state_->capability.flavor);
  if (!text) return tl::unexpected(std::move(text).error());
  return state_->Exec(SqlOp{std::move(text->sql), std::move(text->params)});
}

Result<std::int64_t> Executor::Run(const stmt::Statement& statement, RowSink& sink) {
  SQLRITE_ORM_TRY(CheckOpen());
  SQLRITE_ORM_TRY(Verify(*state_, statement));
  auto text = sql::Serialize(state_->schema, statement, state_->capability.flavor);
  if (!text) return tl::unexpected(std::move(text).error());
  return state_->ExecRows(SqlOp{std::move(text->sql), std::move(text->params)}, sink);
}

SqlOp* Executor::Kept(const Shape& shape) {
  auto it = state_->kept.find(shape);
  return it == state_->kept.end() ? nullptr : &it->second;
}

Result<std::int64_t> Executor::RunAndKeep(const Shape& shape, const stmt::Statement& statement,
                                          const std::vector<Value>& params, RowSink& sink) {
  SQLRITE_ORM_TRY(CheckOpen());
  SQLRITE_ORM_TRY(Verify(*state_, statement));
  auto text = sql::Serialize(state_->schema, statement, state_->capability.flavor);
  if (!text) return tl::unexpected(std::move(text).error());
  SqlOp op{std::move(text->sql), std::move(text->params)};
  if (op.params != params) return state_->ExecRows(op, sink);
  return state_->ExecRows(state_->kept.insert_or_assign(shape, std::move(op)).first->second, sink);
}

Result<std::int64_t> Executor::RunKept(const SqlOp& op, RowSink& sink) {
  SQLRITE_ORM_TRY(CheckOpen());
  return state_->ExecRows(op, sink);
}

Result<ResultSet> Executor::Raw(std::string sql, std::vector<Value> params) {
  SQLRITE_ORM_TRY(CheckOpen());
  return state_->Exec(SqlOp{std::move(sql), std::move(params)});
}

Result<Transaction> Executor::Begin() {
  SQLRITE_ORM_TRY(CheckOpen());
  if (state_->open_depth != depth_) {
    return Fail(sqlstate::kInvalidTransactionState,
                depth_ == 0 ? "a transaction is already open: begin nested ones from it"
                            : "a nested transaction is already open inside this one");
  }
  if (!state_->capability.transactions) return tl::unexpected(NotSupported(*state_, "BEGIN"));
  std::string savepoint;
  if (depth_ == 0) {
    auto r = state_->Exec(TxOp{TxKind::kBegin, {}});
    if (!r) return tl::unexpected(std::move(r).error());
  } else {
    if (!state_->capability.savepoints) {
      return tl::unexpected(NotSupported(*state_, "a nested transaction (SAVEPOINT)"));
    }
    savepoint = "orm_sp_" + std::to_string(++state_->savepoint_counter);
    auto r = state_->Exec(TxOp{TxKind::kSavepoint, savepoint});
    if (!r) return tl::unexpected(std::move(r).error());
  }
  ++state_->open_depth;
  return Transaction(state_, depth_ + 1, std::move(savepoint));
}

const Capability& Executor::capability() const { return state_->capability; }
const Schema& Executor::schema() const { return state_->schema; }

Result<std::unique_ptr<Driver>> OpenDriver(std::string_view url) {
  if (url.starts_with("sqlite:")) return sqlite::OpenSqlite(url);
  if (url.starts_with("postgresql://") || url.starts_with("postgres://") ||
      url.starts_with("sqlrite://")) {
    return pg::OpenPg(url);
  }
  return Fail(sqlstate::kInvalidParameterValue,
              "unknown database URL scheme: \"" + std::string(url) +
                  "\" (sqlite::memory:, sqlite://path, postgresql://, postgres://, sqlrite://)");
}

Result<std::shared_ptr<Pool>> OpenPool(std::string_view url, PoolOptions options) {
  auto driver = OpenDriver(url);
  if (!driver) return tl::unexpected(std::move(driver).error());
  return Pool::Create(std::move(*driver), options);
}

Result<Db> Db::Open(std::string_view url, Options options) {
  auto driver = OpenDriver(url);
  if (!driver) return tl::unexpected(std::move(driver).error());
  return Open(std::move(*driver), std::move(options));
}

Result<Db> Db::Open(std::unique_ptr<Driver> driver, Options options) {
  auto pool = Pool::Create(std::move(driver), PoolOptions{.max_connections = 1});
  if (!pool) return tl::unexpected(std::move(pool).error());
  return Open(*pool, std::move(options));
}

Result<Db> Db::Open(const std::shared_ptr<Pool>& pool, Options options) {
  auto state = std::make_unique<internal::DbState>();
  state->capability = pool->driver().capability();
  if (options.restrict_capability) options.restrict_capability(state->capability);
  state->schema = Schema(std::move(options.table_prefix));
  auto connection = pool->Acquire();
  if (!connection) return tl::unexpected(std::move(connection).error());
  state->pool = pool;
  state->driver = &pool->driver();
  state->connection = std::move(*connection);
  return Db(std::move(state));
}

Db::Db(std::unique_ptr<internal::DbState> owned)
    : Executor(owned.get()), owned_(std::move(owned)) {}
Db::Db(Db&& other) noexcept : Executor(std::move(other)), owned_(std::move(other.owned_)) {}
Db::~Db() = default;

Status Db::Register(const ModelDef& model) { return state_->schema.AddModel(model); }

Status Db::PushSchema() {
  auto tx = Begin();
  if (!tx) return tl::unexpected(std::move(tx).error());
  bool if_not_exists = state_->capability.if_not_exists;
  auto order = state_->schema.CreationOrder();
  if (!order) return tl::unexpected(std::move(order).error());
  for (const ModelDef* model : *order) {
    SQLRITE_ORM_TRY(tx->Run(stmt::CreateTable{model, if_not_exists}));
    const Table& table = state_->schema.TableFor(*model);
    for (std::size_t i = 0; i < table.indexes.size(); ++i) {
      SQLRITE_ORM_TRY(tx->Run(stmt::CreateIndex{model, static_cast<int>(i), if_not_exists}));
    }
  }
  return tx->Commit();
}

Status Db::DropSchema() {
  // Children before the parents they reference (an unregistered parent: registration order).
  auto order = state_->schema.CreationOrder();
  const auto& models = order ? *order : state_->schema.models();
  for (auto it = models.rbegin(); it != models.rend(); ++it) {
    SQLRITE_ORM_TRY(Run(stmt::DropTable{*it, true}));
  }
  return {};
}

void Db::SetTrace(std::function<void(const Operation&)> trace) { state_->trace = std::move(trace); }
std::string_view Db::driver_name() const { return state_->driver->name(); }

Transaction::Transaction(internal::DbState* state, int depth, std::string savepoint)
    : Executor(state), savepoint_(std::move(savepoint)) {
  depth_ = depth;
}

Transaction::Transaction(Transaction&& other) noexcept
    : Executor(std::move(other)), savepoint_(std::move(other.savepoint_)), open_(other.open_) {
  other.open_ = false;  // Executor's move took the state, the depth and the finished flag
}

Transaction::~Transaction() {
  if (open_ && state_ != nullptr) (void)Finish(false);
}

Status Transaction::Commit() { return Finish(true); }
Status Transaction::Rollback() { return Finish(false); }

Status Transaction::Finish(bool commit) {
  if (!open_) return Fail(sqlstate::kInvalidTransactionState, "the transaction is already over");
  if (state_->open_depth != depth_) {
    return Fail(sqlstate::kInvalidTransactionState,
                "a nested transaction is still open: finish it first");
  }
  open_ = false;
  finished_ = true;
  --state_->open_depth;
  if (savepoint_.empty()) {
    auto r = state_->Exec(TxOp{commit ? TxKind::kCommit : TxKind::kRollback, {}});
    if (!r) {
      // A failed COMMIT leaves SQLite's transaction open (e.g. SQLITE_BUSY); end it so the
      // connection is usable.
      if (commit) (void)state_->Exec(TxOp{TxKind::kRollback, {}});
      return tl::unexpected(std::move(r).error());
    }
    return {};
  }
  if (!commit) {
    auto r = state_->Exec(TxOp{TxKind::kRollbackToSavepoint, savepoint_});
    if (!r) return tl::unexpected(std::move(r).error());
  }
  auto r = state_->Exec(TxOp{TxKind::kReleaseSavepoint, savepoint_});
  if (!r) return tl::unexpected(std::move(r).error());
  return {};
}

}  // namespace sqlrite::orm
