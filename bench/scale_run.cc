// scale_run: a large table through the embedded engine with a bounded cache, to show that memory
// stays near the cache size however big the table grows.
//
//   insert   t(id bigint primary key, k int not null, v text not null), --rows rows as
//            1000-row INSERTs inside one BEGIN ... COMMIT (or, if BEGIN is not supported yet,
//            as autocommit statements, each a commit: the output says which)
//   lookups  10k random primary-key lookups (SQL text, parsed per lookup)
//   scan     select count(*) from t; select sum(k) from t (both checked against the expected
//            values)
//
// After each phase it prints the elapsed time and memory: peak RSS as getrusage's ru_maxrss and
// /proc/self/status VmHWM (they should agree), and the current VmRSS.
//
// Usage: scale_run [--rows N] [--lookups M] [--cache-mib C] [--synchronous full|normal|off]
//                  [--dir DIR] [--keep]
//   defaults: 10M rows, 10k lookups, 64 MiB cache, synchronous full; DIR is removed at the end
//   unless --keep.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "engine/engine.h"
#include "engine/sql/parser.h"

namespace {

namespace fs = std::filesystem;
using sqlrite::engine::Cluster;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "scale_run: %s\n", what.c_str());
  std::exit(1);
}

// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"); -1 if absent.
long ProcStatusKib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

long MaxRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

uintmax_t DirBytes(const fs::path& dir) {
  uintmax_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

void Report(const char* phase, double seconds, long ops, const fs::path& dir) {
  double mib = 1.0 / 1024;
  std::printf(
      "%-26s %9.2f s  %10.2f us/op  peak RSS %7.1f MiB (ru_maxrss) %7.1f MiB (VmHWM)  "
      "RSS now %7.1f MiB  data %8.1f MiB\n",
      phase, seconds, ops > 0 ? seconds * 1e6 / static_cast<double>(ops) : 0.0,
      static_cast<double>(MaxRssKib()) * mib, static_cast<double>(ProcStatusKib("VmHWM")) * mib,
      static_cast<double>(ProcStatusKib("VmRSS")) * mib,
      static_cast<double>(DirBytes(dir)) / (1024.0 * 1024.0));
  std::fflush(stdout);
}

class Engine {
 public:
  explicit Engine(const Cluster::Options& options) {
    auto cluster = Cluster::Open(options);
    if (!cluster) Die("open: " + cluster.error().message);
    cluster_ = std::move(*cluster);
    auto session = cluster_->Connect("postgres", "postgres", {});
    if (!session) Die("connect: " + session.error().message);
    session_ = std::move(*session);
  }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine() {
    cluster_->Disconnect(*session_);
    (void)cluster_->Close();
  }

  // Parses and runs one statement, durably; the result or the error.
  sqlrite::Result<sqlrite::engine::QueryResult> TryExec(const std::string& sql) {
    auto parsed = sqlrite::engine::sql::Parse(sql);
    if (!parsed) return sqlrite::Fail(parsed.error());
    if (parsed->size() != 1) Die("expected one statement: " + sql.substr(0, 60));
    auto& statement = (*parsed)[0].statement;
    if (!statement) return sqlrite::Fail(statement.error());
    auto result = cluster_->Execute(*session_, *statement);
    if (!result) return result;
    if (result->awaits_sync) SQLRITE_TRY(cluster_->SyncCommits());
    return result;
  }
  sqlrite::engine::QueryResult Exec(const std::string& sql) {
    auto result = TryExec(sql);
    if (!result) Die(result.error().message + ": " + sql.substr(0, 60));
    return std::move(*result);
  }

  // The single value of a one-row, one-column result, as PostgreSQL would print it.
  std::string Scalar(const std::string& sql) {
    auto result = Exec(sql);
    if (result.rows.size() != 1 || result.rows[0].size() != 1) Die("not a scalar: " + sql);
    const auto& datum = result.rows[0][0];
    if (sqlrite::engine::IsNull(datum)) return "NULL";
    return sqlrite::engine::FormatText(datum, result.columns[0].type);
  }

 private:
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<sqlrite::engine::SessionState> session_;
};

}  // namespace

int main(int argc, char** argv) {
  long rows = 10000000;
  long lookups = 10000;
  long cache_mib = 64;
  bool keep = false;
  Cluster::Options options;
  fs::path dir = fs::temp_directory_path() / "sqlrite-scale-run";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--rows" && has_value) {
      rows = std::atol(argv[++i]);
    } else if (a == "--lookups" && has_value) {
      lookups = std::atol(argv[++i]);
    } else if (a == "--cache-mib" && has_value) {
      cache_mib = std::atol(argv[++i]);
    } else if (a == "--synchronous" && has_value) {
      std::string s = argv[++i];
      if (s == "full") {
        options.synchronous = Cluster::Options::Synchronous::kFull;
      } else if (s == "normal") {
        options.synchronous = Cluster::Options::Synchronous::kNormal;
      } else if (s == "off") {
        options.synchronous = Cluster::Options::Synchronous::kOff;
      } else {
        Die("--synchronous takes full, normal or off");
      }
    } else if (a == "--dir" && has_value) {
      dir = argv[++i];
    } else if (a == "--keep") {
      keep = true;
    } else {
      Die("usage: scale_run [--rows N] [--lookups M] [--cache-mib C] "
          "[--synchronous full|normal|off] [--dir DIR] [--keep]");
    }
  }
  if (rows < 1 || lookups < 0 || cache_mib < 1) Die("sizes must be positive");
  fs::remove_all(dir);
  options.data_dir = dir.string();
  options.cache_bytes = static_cast<size_t>(cache_mib) << 20;

  std::printf("scale_run: %ld rows, %ld lookups, cache %ld MiB, dir %s\n", rows, lookups, cache_mib,
              dir.c_str());
  Report("start", 0, 0, dir);
  {
    Engine engine(options);
    engine.Exec("create table t(id bigint primary key, k int not null, v text not null)");

    constexpr long kBatch = 1000;
    constexpr long kProgressEvery = 1000000;
    auto start = Clock::now();
    bool in_transaction = engine.TryExec("begin").has_value();
    if (!in_transaction) {
      std::printf(
          "note: BEGIN is not supported yet; inserting as autocommit %ld-row INSERTs, "
          "each its own commit\n",
          kBatch);
    }
    std::string sql;
    long long expected_sum = 0;
    for (long i = 1; i <= rows; i += kBatch) {
      sql = "insert into t values ";
      for (long j = i; j < i + kBatch && j <= rows; ++j) {
        if (j != i) sql += ',';
        long k = j % 1000;
        expected_sum += k;
        sql += '(';
        sql += std::to_string(j);
        sql += ',';
        sql += std::to_string(k);
        sql += ",'row-";
        sql += std::to_string(j * 7919 % 1000003);
        sql += "')";
      }
      engine.Exec(sql);
      long done = std::min(rows, i + kBatch - 1);
      if (done % kProgressEvery == 0 && done != rows) {
        std::string label = "  inserted " + std::to_string(done);
        Report(label.c_str(), Seconds(start), done, dir);
      }
    }
    if (in_transaction) engine.Exec("commit");
    Report(in_transaction ? "insert (1 transaction)" : "insert (autocommit)", Seconds(start), rows,
           dir);

    std::mt19937_64 rng(42);
    std::uniform_int_distribution<long> pick(1, rows);
    start = Clock::now();
    for (long i = 0; i < lookups; ++i) {
      auto result = engine.Exec("select v from t where id = " + std::to_string(pick(rng)));
      if (result.rows.size() != 1) Die("a lookup missed its row");
    }
    Report("point lookups", Seconds(start), lookups, dir);

    start = Clock::now();
    std::string count = engine.Scalar("select count(*) from t");
    Report("scan: count(*)", Seconds(start), 0, dir);
    if (count != std::to_string(rows)) {
      Die("count(*) = " + count + ", expected " + std::to_string(rows));
    }

    start = Clock::now();
    std::string sum = engine.Scalar("select sum(k) from t");
    Report("scan: sum(k)", Seconds(start), 0, dir);
    if (sum != std::to_string(expected_sum)) {
      Die("sum(k) = " + sum + ", expected " + std::to_string(expected_sum));
    }
  }
  Report("closed", 0, 0, dir);
  if (!keep) fs::remove_all(dir);
  return 0;
}
