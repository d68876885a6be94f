// embedded_bench: SQLRite's engine, embedded (no server, no sockets), side by side with SQLite in
// one run, on the same machine and disk, with the same durability, cache and data:
//
//   durability  SQLite: journal_mode=WAL, synchronous=FULL (the WAL is fsynced at every commit).
//               SQLRite: Cluster::Options::synchronous = kFull, and SyncCommits() after every
//               statement that reports awaits_sync (what the server does once per batch).
//   cache       64 MiB on both (SQLite cache_size=-65536; SQLRite cache_bytes = 64 MiB).
//   data        kv(id 64-bit integer primary key, v text), v ~ "payload-NNNNNN".
//
//   bulk insert   N rows in one transaction (SQLite: one prepared single-row INSERT stepped N
//                 times; SQLRite: 500-row multi-row INSERTs, since it has no bind parameters)
//   point lookups M random primary-key lookups, reading the value
//   updates       K single-row autocommit updates, each a durable commit
//
// SQLite runs prepared statements; SQLRite's embedded API takes a statement tree, which a client
// gets by parsing SQL text. So SQLRite is measured two ways and the split is printed:
//   "text"      Parse() + Execute() per statement: what a simple-protocol client costs us;
//   "AST reuse" the statement parsed once and its literals rewritten in place before each
//               Execute(): the closest analogue of a prepared statement, i.e. the engine alone.
// and a "parse only" row gives the Parse() share of the text path.
//
// Usage: embedded_bench [--rows N] [--lookups M] [--updates K] [--full] [--dir DIR]
//   defaults are a quick run; --full is the sizes (1M rows, 100k lookups, 10k updates).
// Ratio = SQLite time / SQLRite time: above 1 means SQLRite is faster.

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "engine/engine.h"
#include "engine/sql/parse_cache.h"
#include "engine/sql/parser.h"

namespace {

namespace fs = std::filesystem;
namespace ast = sqlrite::engine::ast;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "embedded_bench: %s\n", what.c_str());
  std::exit(1);
}

struct Sizes {
  long rows = 100000;
  long lookups = 20000;
  long updates = 500;
};

// The same key sequence for both engines: lookups first, then updates.
std::vector<long> RandomKeys(long rows, long count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> pick(1, rows);
  std::vector<long> keys(static_cast<size_t>(count));
  for (long& k : keys) k = pick(rng);
  return keys;
}

void AppendPayload(std::string* out, long i) {
  *out += "payload-";
  *out += std::to_string(i * 7919 % 1000003);
}

// ---- SQLite ----

struct SqliteTimes {
  double insert = 0;
  double lookup = 0;
  double update = 0;
};

void SqliteExec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "?";
    sqlite3_free(err);
    Die(std::string("sqlite: ") + sql + ": " + msg);
  }
}

sqlite3_stmt* SqlitePrepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    Die(std::string("sqlite prepare: ") + sql + ": " + sqlite3_errmsg(db));
  }
  return stmt;
}

SqliteTimes RunSqlite(const fs::path& dir, const Sizes& n, const std::vector<long>& lookup_keys,
                      const std::vector<long>& update_keys) {
  SqliteTimes t;
  sqlite3* db = nullptr;
  if (sqlite3_open((dir / "bench.sqlite").c_str(), &db) != SQLITE_OK) Die("sqlite open");
  SqliteExec(db, "PRAGMA journal_mode=WAL");
  SqliteExec(db, "PRAGMA synchronous=FULL");
  SqliteExec(db, "PRAGMA cache_size=-65536");  // 64 MiB, as SQLRite's cache below
  SqliteExec(db, "CREATE TABLE kv(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");

  std::string v;
  auto start = Clock::now();
  SqliteExec(db, "BEGIN");
  sqlite3_stmt* ins = SqlitePrepare(db, "INSERT INTO kv VALUES (?, ?)");
  for (long i = 1; i <= n.rows; ++i) {
    v.clear();
    AppendPayload(&v, i);
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_text(ins, 2, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) Die(std::string("sqlite insert: ") + sqlite3_errmsg(db));
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  SqliteExec(db, "COMMIT");
  t.insert = Seconds(start);

  sqlite3_stmt* sel = SqlitePrepare(db, "SELECT v FROM kv WHERE id = ?");
  size_t found = 0;
  size_t bytes = 0;
  start = Clock::now();
  for (long key : lookup_keys) {
    sqlite3_bind_int64(sel, 1, key);
    if (sqlite3_step(sel) == SQLITE_ROW) {
      ++found;
      bytes += static_cast<size_t>(sqlite3_column_bytes(sel, 0));
    }
    sqlite3_reset(sel);
  }
  t.lookup = Seconds(start);
  sqlite3_finalize(sel);
  if (found != lookup_keys.size() || (found > 0 && bytes == 0)) Die("sqlite lookups missed rows");

  sqlite3_stmt* upd = SqlitePrepare(db, "UPDATE kv SET v = ? WHERE id = ?");
  start = Clock::now();
  for (long key : update_keys) {
    sqlite3_bind_text(upd, 1, "updated", -1, SQLITE_STATIC);
    sqlite3_bind_int64(upd, 2, key);
    if (sqlite3_step(upd) != SQLITE_DONE) Die(std::string("sqlite update: ") + sqlite3_errmsg(db));
    if (sqlite3_changes(db) != 1) Die("sqlite update missed its row");
    sqlite3_reset(upd);
  }
  t.update = Seconds(start);
  sqlite3_finalize(upd);
  sqlite3_close(db);
  return t;
}

// ---- SQLRite (embedded engine) ----

// Where the time of one SQLRite workload went.
struct Split {
  double build = 0;    // building SQL text (client-side work)
  double parse = 0;    // Parse()
  double execute = 0;  // Execute() + SyncCommits()
  double Total() const { return build + parse + execute; }
};

struct SqlriteTimes {
  Split insert_text, lookup_text, update_text;
  Split insert_ast, lookup_ast, update_ast;
  bool insert_in_one_transaction = true;
};

class Engine {
 public:
  explicit Engine(const fs::path& dir) {
    sqlrite::engine::Cluster::Options options;
    options.data_dir = dir.string();
    options.cache_bytes = 64u << 20;
    options.synchronous = sqlrite::engine::Cluster::Options::Synchronous::kFull;
    auto cluster = sqlrite::engine::Cluster::Open(options);
    if (!cluster) Die("sqlrite open: " + cluster.error().message);
    cluster_ = std::move(*cluster);
    auto session = cluster_->Connect("postgres", "postgres", {});
    if (!session) Die("sqlrite connect: " + session.error().message);
    session_ = std::move(*session);
  }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine() {
    cluster_->Disconnect(*session_);
    (void)cluster_->Close();
  }

  static ast::Statement ParseOne(const std::string& sql) {
    auto parsed = sqlrite::engine::sql::Parse(sql);
    if (!parsed) Die("sqlrite parse: " + parsed.error().message + ": " + sql.substr(0, 80));
    if (parsed->size() != 1) Die("expected one statement: " + sql.substr(0, 80));
    auto& stmt = (*parsed)[0].statement;
    if (!stmt) Die("sqlrite: " + stmt.error().message + ": " + sql.substr(0, 80));
    return std::move(*stmt);
  }

  // Runs one statement durably; returns its error, if any, and the number of rows it produced.
  sqlrite::Result<size_t> TryRun(const ast::Statement& statement) {
    auto result = cluster_->Execute(*session_, statement);
    if (!result) return sqlrite::Fail(result.error());
    if (result->awaits_sync) SQLRITE_TRY(cluster_->SyncCommits());
    return result->rows.size();
  }
  size_t Run(const ast::Statement& statement) {
    auto rows = TryRun(statement);
    if (!rows) Die("sqlrite: " + rows.error().message);
    return *rows;
  }
  // As sqlrited runs a simple-protocol query: through the session's parse cache, so libpg_query
  // runs only for a shape not seen before.
  size_t RunText(const std::string& sql, Split* split) {
    auto start = Clock::now();
    auto statements = parse_cache_.Parse(sql);
    if (!statements) Die("sqlrite parse: " + statements.error().message);
    if ((*statements)->size() != 1 || !(**statements)[0].statement) {
      Die("sqlrite: not one good statement: " + sql.substr(0, 80));
    }
    auto parsed = Clock::now();
    size_t rows = Run(*(**statements)[0].statement);
    split->parse += std::chrono::duration<double>(parsed - start).count();
    split->execute += Seconds(parsed);
    return rows;
  }

 private:
  std::unique_ptr<sqlrite::engine::Cluster> cluster_;
  std::unique_ptr<sqlrite::engine::SessionState> session_;
  sqlrite::engine::sql::ParseCache parse_cache_;
};

// The integer literal on the right of `WHERE id = <int>` in a SELECT or UPDATE.
ast::IntLiteral& KeyLiteral(ast::Statement& statement) {
  const ast::ExprPtr* where = nullptr;
  if (auto* select = std::get_if<ast::Select>(&statement)) where = &select->where;
  if (auto* update = std::get_if<ast::Update>(&statement)) where = &update->where;
  if (where == nullptr || !*where) Die("statement has no WHERE");
  auto* eq = std::get_if<ast::Binary>(&(*where)->node);
  if (eq == nullptr || eq->op != ast::BinaryOp::kEq) Die("WHERE is not `id = <int>`");
  auto* literal = std::get_if<ast::IntLiteral>(&eq->right->node);
  if (literal == nullptr) Die("WHERE is not `id = <int>`");
  return *literal;
}

constexpr long kInsertBatch = 500;

void BuildInsert(std::string* sql, long first, long last) {
  *sql = "insert into kv values ";
  for (long j = first; j <= last; ++j) {
    if (j != first) *sql += ',';
    *sql += '(';
    *sql += std::to_string(j);
    *sql += ",'";
    AppendPayload(sql, j);
    *sql += "')";
  }
}

// Bulk insert into kv, in one transaction when BEGIN works, else as autocommit
// statements (each batch then a durable commit). With reuse_ast, one parsed 500-row INSERT is
// rewritten in place per batch.
bool BulkInsert(Engine& engine, long rows, bool reuse_ast, Split* split) {
  const ast::Statement begin = Engine::ParseOne("begin");
  const ast::Statement commit = Engine::ParseOne("commit");
  std::string sql;
  std::string value;
  ast::Statement prepared;
  if (reuse_ast) {
    BuildInsert(&sql, 1, kInsertBatch);
    prepared = Engine::ParseOne(sql);  // not timed: the analogue of sqlite3_prepare
  }
  auto start = Clock::now();
  bool in_transaction = engine.TryRun(begin).has_value();
  split->execute += Seconds(start);
  for (long i = 1; i <= rows; i += kInsertBatch) {
    long last = std::min(rows, i + kInsertBatch - 1);
    if (reuse_ast && last - i + 1 == kInsertBatch) {
      auto t0 = Clock::now();
      auto& insert = std::get<ast::Insert>(prepared);
      for (long j = i; j <= last; ++j) {
        auto& row = insert.rows[static_cast<size_t>(j - i)];
        std::get<ast::IntLiteral>(row[0]->node).value = j;
        value.clear();
        AppendPayload(&value, j);
        std::get<ast::StringLiteral>(row[1]->node).value = value;
      }
      auto t1 = Clock::now();
      engine.Run(prepared);
      split->build += std::chrono::duration<double>(t1 - t0).count();
      split->execute += Seconds(t1);
    } else {
      auto t0 = Clock::now();
      BuildInsert(&sql, i, last);
      split->build += Seconds(t0);
      engine.RunText(sql, split);
    }
  }
  if (in_transaction) {
    start = Clock::now();
    engine.Run(commit);
    split->execute += Seconds(start);
  }
  return in_transaction;
}

void Lookups(Engine& engine, const std::vector<long>& keys, bool reuse_ast, Split* split) {
  ast::Statement prepared = Engine::ParseOne("select v from kv where id = 1");
  ast::IntLiteral& key_literal = KeyLiteral(prepared);
  size_t found = 0;
  std::string sql;
  for (long key : keys) {
    if (reuse_ast) {
      auto t0 = Clock::now();
      key_literal.value = key;
      found += engine.Run(prepared);
      split->execute += Seconds(t0);
    } else {
      auto t0 = Clock::now();
      sql = "select v from kv where id = " + std::to_string(key);
      split->build += Seconds(t0);
      found += engine.RunText(sql, split);
    }
  }
  if (found != keys.size()) Die("sqlrite lookups missed rows");
}

void Updates(Engine& engine, const std::vector<long>& keys, bool reuse_ast, Split* split) {
  ast::Statement prepared = Engine::ParseOne("update kv set v = 'updated' where id = 1");
  ast::IntLiteral& key_literal = KeyLiteral(prepared);
  std::string sql;
  for (long key : keys) {
    if (reuse_ast) {
      auto t0 = Clock::now();
      key_literal.value = key;
      engine.Run(prepared);
      split->execute += Seconds(t0);
    } else {
      auto t0 = Clock::now();
      sql = "update kv set v = 'updated' where id = " + std::to_string(key);
      split->build += Seconds(t0);
      engine.RunText(sql, split);
    }
  }
}

// Each mode gets its own fresh data directory, so both start from the same empty state.
SqlriteTimes RunSqlrite(const fs::path& dir, const Sizes& n, const std::vector<long>& lookup_keys,
                        const std::vector<long>& update_keys) {
  SqlriteTimes t;
  {
    Engine engine(dir / "sqlrite-text");
    engine.Run(Engine::ParseOne("create table kv(id bigint primary key, v text not null)"));
    t.insert_in_one_transaction = BulkInsert(engine, n.rows, false, &t.insert_text);
    Lookups(engine, lookup_keys, false, &t.lookup_text);
    Updates(engine, update_keys, false, &t.update_text);
  }
  {
    Engine engine(dir / "sqlrite-ast");
    engine.Run(Engine::ParseOne("create table kv(id bigint primary key, v text not null)"));
    BulkInsert(engine, n.rows, true, &t.insert_ast);
    Lookups(engine, lookup_keys, true, &t.lookup_ast);
    Updates(engine, update_keys, true, &t.update_ast);
  }
  return t;
}

void PrintRow(const char* workload, long count, const char* engine, double seconds,
              double sqlite_seconds) {
  double per_op_us = count > 0 ? seconds * 1e6 / static_cast<double>(count) : 0;
  if (sqlite_seconds > 0 && seconds > 0) {
    std::printf("| %-30s | %-22s | %10.3f | %10.2f | %7.2fx |\n", workload, engine, seconds,
                per_op_us, sqlite_seconds / seconds);
  } else {
    std::printf("| %-30s | %-22s | %10.3f | %10.2f | %8s |\n", workload, engine, seconds, per_op_us,
                "");
  }
}

void PrintWorkload(const char* workload, long count, double sqlite_s, const Split& text,
                   const Split& reuse) {
  PrintRow(workload, count, "SQLite (prepared)", sqlite_s, 0);
  PrintRow("", count, "SQLRite text", text.Total(), sqlite_s);
  PrintRow("", count, "  of which parse only", text.parse, 0);
  PrintRow("", count, "  of which build SQL", text.build, 0);
  PrintRow("", count, "  of which execute", text.execute, sqlite_s);
  PrintRow("", count, "SQLRite AST reuse", reuse.Total(), sqlite_s);
  PrintRow("", count, "  of which set values", reuse.build, 0);
  PrintRow("", count, "  of which execute", reuse.execute, sqlite_s);
}

}  // namespace

int main(int argc, char** argv) {
  Sizes n;
  fs::path dir = fs::temp_directory_path() / "sqlrite-embedded-bench";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--full") {
      n = Sizes{1000000, 100000, 10000};
    } else if (a == "--rows" && has_value) {
      n.rows = std::atol(argv[++i]);
    } else if (a == "--lookups" && has_value) {
      n.lookups = std::atol(argv[++i]);
    } else if (a == "--updates" && has_value) {
      n.updates = std::atol(argv[++i]);
    } else if (a == "--dir" && has_value) {
      dir = argv[++i];
    } else {
      Die("usage: embedded_bench [--rows N] [--lookups M] [--updates K] [--full] [--dir DIR]");
    }
  }
  if (n.rows < 1 || n.lookups < 0 || n.updates < 0) Die("sizes must be positive");
  fs::remove_all(dir);
  fs::create_directories(dir);
  constexpr uint64_t kSeed = 7;
  std::vector<long> lookup_keys = RandomKeys(n.rows, n.lookups, kSeed);
  std::vector<long> update_keys = RandomKeys(n.rows, n.updates, kSeed + 1);

  SqliteTimes lite = RunSqlite(dir, n, lookup_keys, update_keys);
  SqlriteTimes ours = RunSqlrite(dir, n, lookup_keys, update_keys);

  std::printf(
      "embedded_bench: %ld rows, %ld lookups, %ld updates; SQLite %s (WAL, "
      "synchronous=FULL) vs SQLRite (synchronous full); 64 MiB cache each; dir %s\n",
      n.rows, n.lookups, n.updates, sqlite3_libversion(), dir.c_str());
  if (!ours.insert_in_one_transaction) {
    std::printf(
        "note: SQLRite does not support BEGIN yet: its bulk insert ran as autocommit "
        "%ld-row INSERTs, each a durable commit\n",
        kInsertBatch);
  }
  std::printf("| %-30s | %-22s | %10s | %10s | %8s |\n", "workload", "engine", "seconds", "us/op",
              "ratio");
  std::printf(
      "|--------------------------------|------------------------|------------|"
      "------------|----------|\n");
  PrintWorkload("bulk insert (1 transaction)", n.rows, lite.insert, ours.insert_text,
                ours.insert_ast);
  PrintWorkload("random point lookups", n.lookups, lite.lookup, ours.lookup_text, ours.lookup_ast);
  PrintWorkload("autocommit single-row updates", n.updates, lite.update, ours.update_text,
                ours.update_ast);
  std::printf(
      "ratio = SQLite time / SQLRite time (above 1: SQLRite is faster); us/op per row, "
      "lookup or update\n");
  fs::remove_all(dir);
  return 0;
}
