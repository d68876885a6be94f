#pragma once
// The driver interface: what a backend must do for the ORM, kept small. A Driver reports its
// Capability (the SQL flavor it speaks and the features the backend has) and opens Connections; a
// Connection executes Operations: a SQL text with bound parameters, or a transaction step. The Db
// serializes statements for the driver's flavor, and checks statements against its capability
// before anything is sent (so an unsupported call is a 0A000 error, never a backend surprise).
//
// The pgwire (libpq) driver (orm/pg/) speaks to sqlrited and to PostgreSQL 15 with the same
// flavor and two capability profiles; Capability::Sqlrited() is PostgreSQL's today (what the ORM
// needs from sqlrited is added to the server, never worked around here).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "orm/core/error.h"
#include "orm/core/value.h"

namespace sqlrite::orm {

enum class Flavor { kSqlite, kPostgresql };

struct Capability {
  Flavor flavor = Flavor::kSqlite;
  bool returning = true;          // INSERT / UPDATE ... RETURNING (create reads back its row)
  bool upsert = true;             // INSERT ... ON CONFLICT (...) DO UPDATE / DO NOTHING
  bool transactions = true;       // BEGIN / COMMIT / ROLLBACK
  bool savepoints = true;         // nested transactions
  bool starts_with = true;        // a case-sensitive prefix test
  bool secondary_indexes = true;  // CREATE INDEX for indexed fields
  bool if_not_exists = true;      // CREATE TABLE / INDEX IF NOT EXISTS
  bool multi_row_insert = true;   // INSERT ... VALUES (...), (...)

  static Capability Sqlite();
  static Capability Postgresql();
  // sqlrited's, for the pgwire driver: PostgreSQL's flags (the server has all the SQL they need).
  static Capability Sqlrited();
};

struct SqlOp {
  std::string sql;
  std::vector<Value> params;
};

enum class TxKind {
  kBegin,
  kCommit,
  kRollback,
  kSavepoint,
  kReleaseSavepoint,
  kRollbackToSavepoint
};
const char* TxKindName(TxKind kind);

struct TxOp {
  TxKind kind;
  std::string savepoint;  // for the savepoint kinds
};

using Operation = std::variant<SqlOp, TxOp>;

// Takes a statement's rows one at a time (Connection::ExecRows), in place of a ResultSet: how the
// ORM reads rows into model instances without building the whole result first (a get-by-key's
// ResultSet, its column names and its row vectors, were most of the ORM's own cost per call).
class RowSink {
 public:
  // Before the first row: how many rows come, when the driver knows it (0: unknown or none).
  virtual void Expect(std::size_t rows) { (void)rows; }
  // One row, its values in column order. The driver owns `row` and refills it for the next row
  // (reusing its strings' buffers); a failed Status stops the statement and is what ExecRows
  // returns.
  virtual Status Row(const std::vector<Value>& row) = 0;

 protected:
  ~RowSink() = default;
};

// One session with the backend. Not thread-safe: one caller at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one operation. Rows come back for statements that return them (SELECT, RETURNING);
  // rows_affected for writes. Backend errors map to PostgreSQL SQLSTATEs (23505, 23502, ...).
  virtual Result<ResultSet> Exec(const Operation& op) = 0;
  // Runs one statement as Exec does, its rows handed to `sink` as they are read (none is kept);
  // returns rows_affected. Same errors as Exec; rows already handed over before an error stay
  // handed over. The default runs Exec and hands over its ResultSet's rows (a driver wrapper
  // that overrides only Exec sees every statement); the drivers override it to build no
  // ResultSet.
  virtual Result<std::int64_t> ExecRows(const SqlOp& op, RowSink& sink);
  // Whether the connection may serve another user after this one (a Pool asks when a lease
  // ends): false once it is broken, or when it was left inside a transaction.
  virtual bool Reusable() const { return true; }
};

class Driver {
 public:
  virtual ~Driver() = default;
  virtual std::string_view name() const = 0;
  virtual const Capability& capability() const = 0;
  // May be called from several threads at once (a Pool opens connections concurrently).
  virtual Result<std::unique_ptr<Connection>> Connect() = 0;
};

}  // namespace sqlrite::orm
