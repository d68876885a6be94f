#include "orm/sqlite/sqlite_driver.h"

#include <sqlite3.h>

#include <unordered_map>

#include "orm/core/temporal.h"
#include "orm/core/uuid.h"

namespace sqlrite::orm::sqlite {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

std::string_view SqlStateFor(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return sqlstate::kUniqueViolation;
    case SQLITE_CONSTRAINT_NOTNULL:
      return sqlstate::kNotNullViolation;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return sqlstate::kForeignKeyViolation;
    case SQLITE_CONSTRAINT_CHECK:
      return sqlstate::kCheckViolation;
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return "23000";  // integrity_constraint_violation
    case SQLITE_MISMATCH:
      return sqlstate::kDatatypeMismatch;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "55P03";  // lock_not_available
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return "58030";  // io_error
    case SQLITE_READONLY:
      return "25006";  // read_only_sql_transaction
    case SQLITE_TOOBIG:
      return "54000";  // program_limit_exceeded
    default:
      return sqlstate::kInternalError;
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(DbPtr db) : db_(std::move(db)) {}

  Result<ResultSet> Exec(const Operation& op) override {
    if (const auto* tx = std::get_if<TxOp>(&op)) return ExecTx(*tx);
    return ExecSql(std::get<SqlOp>(op));
  }

  Result<std::int64_t> ExecRows(const SqlOp& op, RowSink& sink) override {
    auto prepared = Prepare(op.sql);
    if (!prepared) return tl::unexpected(std::move(prepared).error());
    sqlite3_stmt* stmt = *prepared;
    Reset reset{stmt};
    SQLRITE_ORM_TRY(Bind(stmt, op.params));
    sqlite3_int64 changes_before = sqlite3_total_changes64(db_.get());
    std::vector<Value>& row = row_;
    row.resize(static_cast<std::size_t>(sqlite3_column_count(stmt)));
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return tl::unexpected(LastError());
      for (std::size_t c = 0; c < row.size(); ++c) CellInto(stmt, static_cast<int>(c), row[c]);
      SQLRITE_ORM_TRY(sink.Row(row));
    }
    return sqlite3_total_changes64(db_.get()) - changes_before;
  }

 private:
  // Resets and unbinds a statement on every way out: a cached statement left mid-step would hold
  // a read transaction open.
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  };

  static constexpr std::size_t kMaxCachedStatements = 128;

  Error LastError(std::string_view context = {}) const {
    std::string message = sqlite3_errmsg(db_.get());
    if (!context.empty()) message = std::string(context) + ": " + message;
    // SQLite reports a syntax error as plain SQLITE_ERROR; its text says "syntax error".
    if (message.find("syntax error") != std::string::npos) {
      return Error(sqlstate::kSyntaxError, message);
    }
    if (message.find("no such table") != std::string::npos) {
      return Error(sqlstate::kUndefinedTable, message);
    }
    return Error(SqlStateFor(sqlite3_extended_errcode(db_.get())), message);
  }

  Result<ResultSet> ExecTx(const TxOp& tx) {
    std::string sql = TxKindName(tx.kind);
    if (tx.kind == TxKind::kSavepoint || tx.kind == TxKind::kReleaseSavepoint ||
        tx.kind == TxKind::kRollbackToSavepoint) {
      sql += " \"" + tx.savepoint + "\"";
    }
    return ExecSql(SqlOp{std::move(sql), {}});
  }

  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    // The last statement again (a loop of lookups) costs a compare, not a hash of its text.
    if (last_ != nullptr && last_->first == sql) return last_->second.get();
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      last_ = &*it;
      return it->second.get();
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) return tl::unexpected(LastError());
    if (stmt == nullptr) return Fail(sqlstate::kSyntaxError, "empty statement");
    for (; tail != nullptr && *tail != '\0'; ++tail) {
      if (*tail != ';' && *tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r') {
        return Fail(sqlstate::kSyntaxError,
                    "one statement at a time: the SQL text holds more than one");
      }
    }
    if (cache_.size() >= kMaxCachedStatements) {
      last_ = nullptr;
      cache_.clear();
    }
    last_ = &*cache_.emplace(sql, std::move(stmt)).first;
    return last_->second.get();
  }

  Status Bind(sqlite3_stmt* stmt, const std::vector<Value>& params) {
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Fail("08P01", "the statement takes " +
                               std::to_string(sqlite3_bind_parameter_count(stmt)) +
                               " parameters, " + std::to_string(params.size()) + " given");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const auto& v = params[i].v;
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const bool* b = std::get_if<bool>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *b ? 1 : 0);
      } else if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const double* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const std::string* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        // Dates, times and UUIDs are stored as their text (orm/core/temporal.h, uuid.h): what
        // SQLite's date functions read, and ordered as the values are.
        std::string text = ToText(v);
        rc = sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return tl::unexpected(LastError("bind"));
    }
    return {};
  }

  static std::string ToText(const decltype(Value::v)& v) {
    if (const Timestamp* t = std::get_if<Timestamp>(&v)) return FormatTimestamp(*t);
    if (const Date* d = std::get_if<Date>(&v)) return FormatDate(*d);
    if (const DateTime* t = std::get_if<DateTime>(&v)) return FormatDateTime(*t);
    if (const Time* t = std::get_if<Time>(&v)) return FormatTime(*t);
    return FormatUuid(std::get<Uuid>(v));
  }

  static Value Cell(sqlite3_stmt* stmt, int column) {
    switch (sqlite3_column_type(stmt, column)) {
      case SQLITE_INTEGER:
        return Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, column)));
      case SQLITE_FLOAT:
        return Value(sqlite3_column_double(stmt, column));
      case SQLITE_NULL:
        return Value();
      default: {
        const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, column));
        int size = sqlite3_column_bytes(stmt, column);
        return Value(std::string(text ? text : "", static_cast<std::size_t>(size)));
      }
    }
  }

  // Cell, into a Value kept from row to row: a text cell reuses the string already there.
  static void CellInto(sqlite3_stmt* stmt, int column, Value& out) {
    switch (sqlite3_column_type(stmt, column)) {
      case SQLITE_INTEGER:
        out.v = static_cast<std::int64_t>(sqlite3_column_int64(stmt, column));
        return;
      case SQLITE_FLOAT:
        out.v = sqlite3_column_double(stmt, column);
        return;
      case SQLITE_NULL:
        out.v = std::monostate{};
        return;
      default: {
        const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, column));
        std::string_view s(text ? text : "",
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
        if (auto* str = std::get_if<std::string>(&out.v)) {
          str->assign(s);
        } else {
          out.v.emplace<std::string>(s);
        }
        return;
      }
    }
  }

  Result<ResultSet> ExecSql(const SqlOp& op) {
    auto prepared = Prepare(op.sql);
    if (!prepared) return tl::unexpected(std::move(prepared).error());
    sqlite3_stmt* stmt = *prepared;
    Reset reset{stmt};
    SQLRITE_ORM_TRY(Bind(stmt, op.params));
    ResultSet result;
    // The rows this statement changed (sqlite3_changes64 would repeat the last INSERT / UPDATE /
    // DELETE's count after DDL or a SELECT).
    sqlite3_int64 changes_before = sqlite3_total_changes64(db_.get());
    int columns = sqlite3_column_count(stmt);
    result.columns.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) result.columns.emplace_back(sqlite3_column_name(stmt, c));
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return tl::unexpected(LastError());
      std::vector<Value> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) row.push_back(Cell(stmt, c));
      result.rows.push_back(std::move(row));
    }
    result.rows_affected = sqlite3_total_changes64(db_.get()) - changes_before;
    return result;
  }

  // Declared before the cache: statements are finalized before the database closes.
  DbPtr db_;
  std::unordered_map<std::string, StmtPtr> cache_;
  // The entry Prepare found last (elements of an unordered_map stay put; cleared with it).
  std::pair<const std::string, StmtPtr>* last_ = nullptr;
  std::vector<Value> row_;  // ExecRows' row, refilled from row to row
};

class SqliteDriver final : public Driver {
 public:
  explicit SqliteDriver(std::string path) : path_(std::move(path)) {}
  std::string_view name() const override { return "sqlite"; }
  const Capability& capability() const override { return capability_; }

  Result<std::unique_ptr<Connection>> Connect() override {
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(path_.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) {
      return Fail(sqlstate::kConnectionFailure,
                  "cannot open SQLite database \"" + path_ +
                      "\": " + (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_busy_timeout(db.get(), 5000);
    char* message = nullptr;
    rc = sqlite3_exec(db.get(), "PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON",
                      nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message ? message : "";
      sqlite3_free(message);
      return Fail(sqlstate::kConnectionFailure, "cannot configure SQLite: " + text);
    }
    return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(std::move(db)));
  }

 private:
  std::string path_;
  Capability capability_ = Capability::Sqlite();
};

}  // namespace

Result<std::unique_ptr<Driver>> OpenSqlite(std::string_view url) {
  std::string path;
  if (url == "sqlite::memory:") {
    path = ":memory:";
  } else if (url.starts_with("sqlite://") && url.size() > 9) {
    path = std::string(url.substr(9));
  } else {
    return Fail(
        sqlstate::kInvalidParameterValue,
        "not a SQLite URL (sqlite::memory: or sqlite://path): \"" + std::string(url) + "\"");
  }
  return std::unique_ptr<Driver>(std::make_unique<SqliteDriver>(std::move(path)));
}

}  // namespace sqlrite::orm::sqlite
