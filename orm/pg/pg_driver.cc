#include "orm/pg/pg_driver.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "orm/core/temporal.h"
#include "orm/core/uuid.h"

namespace sqlrite::orm::pg {
namespace {

// Type OIDs (PostgreSQL's pg_type.dat).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kDateOid = 1082;
constexpr Oid kTimeOid = 1083;
constexpr Oid kTimestampOid = 1114;
constexpr Oid kTimestampTzOid = 1184;
constexpr Oid kUuidOid = 2950;

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

std::string TrimNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A parameter in text form, and its type (0: let the server infer it, for NULL).
struct Param {
  Oid type = 0;
  std::string text;
  bool null = true;
};

// Writes `value` into `p`, reusing its text's buffer (a connection keeps its Params from call to
// call).
void ToParam(const Value& value, Param& p) {
  struct Visitor {
    Param& p;
    void Set(Oid type, std::string_view text) const {
      p.type = type;
      p.text.assign(text);
      p.null = false;
    }
    void operator()(std::monostate) const {
      p.type = 0;
      p.text.clear();
      p.null = true;
    }
    void operator()(bool b) const { Set(kBoolOid, b ? "t" : "f"); }
    void operator()(std::int64_t i) const {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, i);
      (void)ec;
      Set(kInt8Oid, std::string_view(buf, static_cast<std::size_t>(end - buf)));
    }
    void operator()(double d) const {
      if (std::isnan(d)) return Set(kFloat8Oid, "NaN");
      if (std::isinf(d)) return Set(kFloat8Oid, d > 0 ? "Infinity" : "-Infinity");
      char buf[64];
      // Shortest text that reads back as the same double.
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      (void)ec;
      Set(kFloat8Oid, std::string_view(buf, static_cast<std::size_t>(end - buf)));
    }
    void operator()(const std::string& s) const { Set(kTextOid, s); }
    // Dates, times and UUIDs go typed, in their text forms (a timestamptz with its +00:00, so
    // the session's TimeZone does not matter).
    void operator()(Timestamp t) const { Set(kTimestampTzOid, FormatTimestamp(t)); }
    void operator()(Date d) const { Set(kDateOid, FormatDate(d)); }
    void operator()(DateTime t) const { Set(kTimestampOid, FormatDateTime(t)); }
    void operator()(const Uuid& u) const { Set(kUuidOid, FormatUuid(u)); }
    void operator()(Time t) const { Set(kTimeOid, FormatTime(t)); }
  };
  std::visit(Visitor{p}, value.v);
}

// Reads one cell into `out`, in place: a result's cells are the bulk of a read's client work, so
// no Value is built elsewhere and moved, and a text cell reuses the string `out` holds (ExecRows
// refills one row's Values from row to row).
Status Cell(const PGresult* res, int row, int column, Value& out) {
  if (PQgetisnull(res, row, column)) {
    out.v = std::monostate{};
    return {};
  }
  const char* text = PQgetvalue(res, row, column);
  int size = PQgetlength(res, row, column);
  std::string_view s(text, static_cast<std::size_t>(size));
  switch (PQftype(res, column)) {
    case kBoolOid:
      out.v = s == "t";
      return {};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t i = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
      if (ec != std::errc() || end != s.data() + s.size()) break;
      out.v = i;
      return {};
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      if (s == "NaN") {
        d = std::nan("");
      } else if (s == "Infinity") {
        d = HUGE_VAL;
      } else if (s == "-Infinity") {
        d = -HUGE_VAL;
      } else {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (ec != std::errc() || end != s.data() + s.size()) break;
      }
      out.v = d;
      return {};
    }
    // timestamptz comes in the session's TimeZone with its offset, which the parser applies;
    // DateStyle must be ISO (PostgreSQL's default), another is 22007.
    case kTimestampTzOid: {
      auto t = ParseTimestamp(s);
      if (!t) return tl::unexpected(std::move(t).error());
      out.v = *t;
      return {};
    }
    case kDateOid: {
      auto d = ParseDate(s);
      if (!d) return tl::unexpected(std::move(d).error());
      out.v = *d;
      return {};
    }
    case kTimestampOid: {
      auto t = ParseDateTime(s);
      if (!t) return tl::unexpected(std::move(t).error());
      out.v = *t;
      return {};
    }
    case kTimeOid: {
      auto t = ParseTime(s);
      if (!t) return tl::unexpected(std::move(t).error());
      out.v = *t;
      return {};
    }
    case kUuidOid: {
      auto u = ParseUuid(s);
      if (!u) return tl::unexpected(std::move(u).error());
      out.v = *u;
      return {};
    }
    default:
      if (auto* str = std::get_if<std::string>(&out.v)) {
        str->assign(s);
      } else {
        out.v.emplace<std::string>(s);
      }
      return {};
  }
  return Fail(sqlstate::kDatatypeMismatch, "the server sent \"" + std::string(s) +
                                               "\" for column " + PQfname(res, column) +
                                               " of type " + std::to_string(PQftype(res, column)));
}

// NOTICEs (e.g. "table ... does not exist, skipping") are not errors; libpq's default prints them
// to stderr, which a library must not do behind its caller's back.
void IgnoreNotice(void*, const char*) {}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(ConnPtr conn) : conn_(std::move(conn)) {
    PQsetNoticeProcessor(conn_.get(), IgnoreNotice, nullptr);
  }

  Result<ResultSet> Exec(const Operation& op) override {
    if (const auto* tx = std::get_if<TxOp>(&op)) return ExecTx(*tx);
    auto res = ExecSql(std::get<SqlOp>(op));
    if (!res) return tl::unexpected(std::move(res).error());
    return ReadResult(res->get());
  }

  Result<std::int64_t> ExecRows(const SqlOp& op, RowSink& sink) override {
    auto res = ExecSql(op);
    if (!res) return tl::unexpected(std::move(res).error());
    PGresult* r = res->get();
    const int rows = PQntuples(r);
    std::vector<Value>& row = row_;
    row.resize(static_cast<std::size_t>(PQnfields(r)));
    sink.Expect(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      for (std::size_t c = 0; c < row.size(); ++c) {
        SQLRITE_ORM_TRY(Cell(r, i, static_cast<int>(c), row[c]));
      }
      SQLRITE_ORM_TRY(sink.Row(row));
    }
    return RowsAffected(r);
  }

  // A connection is handed to another user only when it is alive and outside any transaction
  // (a transaction left open would leak its locks and its writes into the next user's work).
  bool Reusable() const override {
    return PQstatus(conn_.get()) == CONNECTION_OK &&
           PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
  }

 private:
  struct Prepared {
    std::string name;  // empty: seen once, not prepared yet
  };

  Error ConnectionError() const {
    return Error(sqlstate::kConnectionFailure, TrimNewline(PQerrorMessage(conn_.get())));
  }

  // The error a result carries, or none. A missing result or one without a SQLSTATE means the
  // connection failed (libpq's own errors, e.g. a server that closed the socket).
  std::optional<Error> ResultError(const PGresult* res) const {
    if (res == nullptr) return ConnectionError();
    switch (PQresultStatus(res)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        return std::nullopt;
      default:
        break;
    }
    const char* code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (code == nullptr || PQstatus(conn_.get()) != CONNECTION_OK) {
      std::string message = TrimNewline(PQresultErrorMessage(res));
      if (message.empty()) message = TrimNewline(PQerrorMessage(conn_.get()));
      return Error(code ? std::string_view(code) : sqlstate::kConnectionFailure, message);
    }
    return Error(code, primary ? primary : TrimNewline(PQresultErrorMessage(res)));
  }

  Result<ResultSet> ExecTx(const TxOp& tx) {
    std::string sql = TxKindName(tx.kind);
    if (tx.kind == TxKind::kSavepoint || tx.kind == TxKind::kReleaseSavepoint ||
        tx.kind == TxKind::kRollbackToSavepoint) {
      std::string quoted = "\"";
      for (char c : tx.savepoint) {
        if (c == '"') quoted += '"';
        quoted += c;
      }
      sql += " " + quoted + "\"";
    }
    ResultPtr res(PQexec(conn_.get(), sql.c_str()));
    if (auto e = ResultError(res.get())) return tl::unexpected(std::move(*e));
    return ResultSet{};
  }

  // Runs one statement; its result, checked for errors.
  Result<ResultPtr> ExecSql(const SqlOp& op) {
    // The per-call buffers are the connection's, cleared and refilled: a statement's parameters
    // and its cache key cost no allocation once a connection has seen statements as large.
    std::vector<Param>& params = params_;
    if (params.size() < op.params.size()) params.resize(op.params.size());
    std::string& key = key_;
    key.assign(op.sql);
    key += '\0';
    types_.clear();
    values_.clear();
    lengths_.clear();
    for (std::size_t i = 0; i < op.params.size(); ++i) {
      Param& p = params[i];
      ToParam(op.params[i], p);
      char buf[16];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, p.type);
      (void)ec;
      key.append(buf, end);
      key += ',';
      types_.push_back(p.type);
      values_.push_back(p.null ? nullptr : p.text.c_str());
      lengths_.push_back(static_cast<int>(p.text.size()));
    }
    const std::vector<Oid>& types = types_;
    const std::vector<const char*>& values = values_;
    const std::vector<int>& lengths = lengths_;
    const int n = static_cast<int>(op.params.size());

    ResultPtr res;
    // The last statement again (a loop of lookups) costs a compare, not a hash of its text.
    CacheEntry* entry = last_ != nullptr && last_->first == key ? last_ : nullptr;
    if (entry == nullptr) {
      auto it = cache_.find(key);
      if (it != cache_.end()) entry = last_ = &*it;
    }
    if (entry == nullptr) {
      // First sight: one round trip through the unnamed statement. Remembered (while the cache
      // has room) so a second use prepares it.
      res.reset(PQexecParams(conn_.get(), op.sql.c_str(), n, types.data(), values.data(),
                             lengths.data(), nullptr, 0));
      if (cache_.size() < kMaxPreparedStatements && res != nullptr && !ResultError(res.get())) {
        last_ = &*cache_.emplace(key, Prepared{}).first;
      }
    } else {
      // A statement the server no longer holds (26000: DEALLOCATE or DISCARD through Raw) is
      // prepared again; outside a transaction nothing ran, so it is also retried at once.
      for (int attempt = 0;; ++attempt) {
        if (entry->second.name.empty()) {
          std::string name = "orm_" + std::to_string(++statement_counter_);
          ResultPtr prepared(PQprepare(conn_.get(), name.c_str(), op.sql.c_str(), n, types.data()));
          if (auto e = ResultError(prepared.get())) return tl::unexpected(std::move(*e));
          entry->second.name = std::move(name);
        }
        res.reset(PQexecPrepared(conn_.get(), entry->second.name.c_str(), n, values.data(),
                                 lengths.data(), nullptr, 0));
        auto e = ResultError(res.get());
        if (!e) break;
        bool gone = e->sqlstate == "26000";
        // PostgreSQL refuses a cached plan whose columns DDL changed; a new one is right.
        bool stale = e->sqlstate == sqlstate::kFeatureNotSupported &&
                     e->message.starts_with("cached plan must not change result type");
        if (gone || stale) entry->second.name.clear();
        if (gone && attempt == 0 && PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) continue;
        return tl::unexpected(std::move(*e));
      }
    }
    if (auto e = ResultError(res.get())) return tl::unexpected(std::move(*e));
    return res;
  }

  static Result<ResultSet> ReadResult(PGresult* res) {
    ResultSet result;
    int columns = PQnfields(res);
    int rows = PQntuples(res);
    result.columns.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) result.columns.emplace_back(PQfname(res, c));
    result.rows.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<Value>& row = result.rows.emplace_back(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        SQLRITE_ORM_TRY(Cell(res, r, c, row[static_cast<std::size_t>(c)]));
      }
    }
    result.rows_affected = RowsAffected(res);
    return result;
  }

  // As the SQLite driver: the rows a write changed; 0 for a SELECT.
  static std::int64_t RowsAffected(PGresult* res) {
    std::string_view status = PQcmdStatus(res);
    if (status.starts_with("SELECT")) return 0;
    std::string_view tuples = PQcmdTuples(res);
    std::int64_t n = 0;
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
    return n;
  }

  using CacheEntry = std::pair<const std::string, Prepared>;

  ConnPtr conn_;
  std::unordered_map<std::string, Prepared> cache_;  // never erased from
  CacheEntry* last_ = nullptr;  // the entry ExecSql used last (unordered_map elements stay put)
  std::uint64_t statement_counter_ = 0;
  // ExecSql's buffers, kept between calls (see there).
  std::vector<Param> params_;
  std::string key_;
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<Value> row_;  // ExecRows' row, refilled from row to row
};

class PgDriver final : public Driver {
 public:
  explicit PgDriver(PgTarget target)
      : target_(std::move(target)),
        capability_(target_.sqlrited ? Capability::Sqlrited() : Capability::Postgresql()) {}

  std::string_view name() const override { return target_.sqlrited ? "sqlrited" : "postgresql"; }
  const Capability& capability() const override { return capability_; }

  Result<std::unique_ptr<Connection>> Connect() override {
    // Earlier keywords are defaults: the URI (expanded from dbname) overrides them.
    const char* keywords[] = {"connect_timeout", "client_encoding", "dbname", nullptr};
    const char* values[] = {"10", "UTF8", target_.conninfo.c_str(), nullptr};
    ConnPtr conn(PQconnectdbParams(keywords, values, 1));
    if (conn == nullptr) return Fail("08001", "out of memory allocating a libpq connection");
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      return Fail("08001", "cannot connect to " + std::string(name()) + ": " +
                               TrimNewline(PQerrorMessage(conn.get())));
    }
    return std::unique_ptr<Connection>(std::make_unique<PgConnection>(std::move(conn)));
  }

 private:
  PgTarget target_;
  Capability capability_;
};

}  // namespace

Result<PgTarget> ParsePgUrl(std::string_view url) {
  constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://", "sqlrite://"};
  for (std::string_view scheme : kSchemes) {
    if (!url.starts_with(scheme)) continue;
    PgTarget target;
    target.sqlrited = scheme == "sqlrite://";
    target.conninfo = target.sqlrited ? "postgresql://" + std::string(url.substr(scheme.size()))
                                      : std::string(url);
    return target;
  }
  return Fail(
      sqlstate::kInvalidParameterValue,
      "not a pgwire URL (postgresql://, postgres:// or sqlrite://): \"" + std::string(url) + "\"");
}

Result<std::unique_ptr<Driver>> OpenPg(std::string_view url) {
  auto target = ParsePgUrl(url);
  if (!target) return tl::unexpected(std::move(target).error());
  // libpq parses the URI now, so a malformed one fails here and not at the first connection.
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(target->conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error ? TrimNewline(error) : "out of memory";
    PQfreemem(error);
    return Fail(sqlstate::kInvalidParameterValue, "bad connection URL: " + message);
  }
  PQconninfoFree(options);
  return std::unique_ptr<Driver>(std::make_unique<PgDriver>(std::move(*target)));
}

}  // namespace sqlrite::orm::pg
