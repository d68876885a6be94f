#pragma once
// Db, Transaction and their common base Executor: where a statement of the untyped AST meets a
// driver. Executor::Run checks the statement against the driver's Capability (an unsupported
// feature is a 0A000 error, nothing is sent), serializes it for the driver's flavor and executes
// it on the Db's connection. The typed front end (orm/query.h) lowers every call into a
// statement and calls Run; nothing here is a template, so a model costs its users no code here.
//
// One Db holds one connection, leased from a Pool (orm/core/pool.h) for the Db's lifetime and
// handed back when it is destroyed. Not thread-safe: one thread at a time per Db; threads share a
// Pool and take a Db each (Db::Open(pool)). A Transaction borrows its Db's connection: the Db must
// outlive it, and while it is open, statements run through the Db run inside it too (same
// connection). Nested transactions (Transaction::Begin) are savepoints. A Transaction neither
// committed nor rolled back rolls back when destroyed.

#include <compare>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "orm/core/driver.h"
#include "orm/core/error.h"
#include "orm/core/pool.h"
#include "orm/core/schema.h"
#include "orm/core/stmt.h"

namespace sqlrite::orm {

namespace internal {
struct DbState;
}

class Transaction;

// The driver a URL names: `sqlite::memory:`, `sqlite://path` (orm/sqlite/sqlite_driver.h),
// `postgresql://...`, `postgres://...` (PostgreSQL's profile) and `sqlrite://...` (sqlrited's
// profile) (orm/pg/pg_driver.h). 22023 for any other URL.
Result<std::unique_ptr<Driver>> OpenDriver(std::string_view url);
// A pool of connections of the URL's driver (opens none yet).
Result<std::shared_ptr<Pool>> OpenPool(std::string_view url, PoolOptions options = {});

class Executor {
 public:
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Verifies, serializes and runs one statement.
  Result<ResultSet> Run(const stmt::Statement& statement);
  // The same, its rows handed to `sink` as they are read (Connection::ExecRows) instead of
  // collected; returns the rows affected.
  Result<std::int64_t> Run(const stmt::Statement& statement, RowSink& sink);
  // The escape hatch: SQL in the driver's own dialect, with parameters (`?` or `$n`).
  Result<ResultSet> Raw(std::string sql, std::vector<Value> params = {});
  // A transaction (BEGIN), or a savepoint inside this transaction. Fails with 25000 when another
  // transaction is already open at this level, 0A000 when the backend has none.
  Result<Transaction> Begin();

  // Kept statements: a statement whose SQL text depends on its shape alone (a model's lookup by
  // key, by one unique field), not on the values it binds, is verified and serialized at its
  // first use on this Db and kept whole (text and parameter slots), so a repeated lookup builds
  // no statement, no text and no copy of the text: it overwrites the kept parameters and runs.
  struct Shape {
    const ModelDef* model = nullptr;
    int kind = 0;    // the caller's code for the statement's form
    int field = -1;  // the field the form varies by, or -1
    auto operator<=>(const Shape&) const = default;
  };
  // The statement kept for `shape` on this Db, or null before a RunAndKeep kept it. Its params
  // hold the last call's values; a caller overwrites each of them (same count and order) and
  // runs it with RunKept.
  SqlOp* Kept(const Shape& shape);
  // Runs `statement` as Run does, its rows handed to `sink` (Connection::ExecRows), and keeps it
  // for `shape` when it binds exactly `params` in order (a statement that binds anything else is
  // run but not kept). Returns the rows affected.
  Result<std::int64_t> RunAndKeep(const Shape& shape, const stmt::Statement& statement,
                                  const std::vector<Value>& params, RowSink& sink);
  // Runs a kept statement (Kept), its rows handed to `sink`. Returns the rows affected.
  Result<std::int64_t> RunKept(const SqlOp& op, RowSink& sink);

  const Capability& capability() const;
  const Schema& schema() const;

 protected:
  explicit Executor(internal::DbState* state) : state_(state) {}
  ~Executor() = default;
  Executor(Executor&& other) noexcept
      : state_(other.state_), depth_(other.depth_), finished_(other.finished_) {
    other.state_ = nullptr;
  }

  // 25000 when this is a Transaction already committed or rolled back.
  Status CheckOpen() const;

  internal::DbState* state_;
  int depth_ = 0;          // 0: the Db itself; n: the n-th nested transaction
  bool finished_ = false;  // a Transaction after Commit / Rollback
};

class Db final : public Executor {
 public:
  struct Options {
    // Prepended to every model's table name (tests give each case its own tables).
    std::string table_prefix;
    // Lets a test take features away from a driver's profile (never add them).
    std::function<void(Capability&)> restrict_capability;
  };

  // Picks the driver by URL (OpenDriver) and opens one connection of its own (a pool of one).
  static Result<Db> Open(std::string_view url, Options options);
  static Result<Db> Open(std::string_view url) { return Open(url, Options{}); }
  // A Db over a driver the caller built (tests wrap drivers this way).
  static Result<Db> Open(std::unique_ptr<Driver> driver, Options options);
  // A Db over a connection leased from a shared pool (waits as Pool::Acquire; 53300 on timeout);
  // the connection goes back to the pool when the Db is destroyed.
  static Result<Db> Open(const std::shared_ptr<Pool>& pool, Options options);
  static Result<Db> Open(const std::shared_ptr<Pool>& pool) { return Open(pool, Options{}); }

  Db(Db&&) noexcept;
  Db& operator=(Db&&) = delete;
  ~Db();

  // Registers models (their ModelDefs) with this Db's schema; idempotent.
  Status Register(const ModelDef& model);
  template <typename... M>
  Status Register() {
    for (const ModelDef* model : {&M::OrmModel()...}) SQLRITE_ORM_TRY(Register(*model));
    return {};
  }

  // CREATE TABLE (IF NOT EXISTS when the backend has it) and the secondary indexes of every
  // registered model, in registration order except that a model comes after the models its
  // declared belongs_to relations reference (REFERENCES needs them), in one transaction. 42P01
  // when a referenced model is not registered.
  Status PushSchema();
  // DROP TABLE IF EXISTS of every registered model, in the reverse of PushSchema's order.
  Status DropSchema();

  // Called with every operation before it goes to the driver (tests count and read them).
  void SetTrace(std::function<void(const Operation&)> trace);
  std::string_view driver_name() const;

 private:
  explicit Db(std::unique_ptr<internal::DbState> owned);
  std::unique_ptr<internal::DbState> owned_;
};

class Transaction final : public Executor {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();  // rolls back if still open

  Status Commit();
  Status Rollback();
  bool open() const { return open_; }

 private:
  friend class Executor;
  Transaction(internal::DbState* state, int depth, std::string savepoint);
  Status Finish(bool commit);
  std::string savepoint_;  // empty: the outermost (BEGIN / COMMIT)
  bool open_ = true;
};

}  // namespace sqlrite::orm
