// crash_test: kill -9 at random moments must never lose an acknowledged commit.
//
// Each cycle starts the real sqlrited on a free port over the same data directory, runs a writer
// through libpq that inserts numbered transactions (each one a row pair (n, +) and (-n, -), in one
// multi-row INSERT for even n and in a BEGIN ... COMMIT block of two INSERTs for odd n, so a
// half-applied transaction is visible as a lone half), records every
// acknowledgment, and SIGKILLs the server after a random delay. After restart it checks that every
// acknowledged transaction is present, that no transaction is partly present, and (when asked)
// that `sqlrited check` passes on the directory.
//
// Reader connections run beside the writer until the kill (simple and extended protocol,
// autocommit and BEGIN READ ONLY blocks). The writer commits its ids in order, so every committed
// state of a cycle is "the rows at its start plus the pairs of ids first..m" for some m: each
// read's count(*), sum(id) and max(id) must be exactly such a state, max(id) never goes back on
// one connection, and point lookups of ids a read already showed find both halves. A read never
// shows a commit that could still be lost, so every id a reader saw must be there after the
// restart, acknowledged to the writer or not.
//
// A sequence client runs beside them: nextval in autocommit and inside blocks that it rolls back
// (a ROLLBACK never gives a number back). After each restart the sequence's last_value must be
// at least every number it handed out to a statement or block that was answered: nextval never
// hands out the same number twice, kill -9 included.
//
// A foreign-key client runs too: parents (crash_parent) each inserted in one block with their two
// children (crash_child, ON DELETE CASCADE), earlier parents deleted (their children go with them),
// and a child of a parent that does not exist, which must fail with 23503. After each restart no
// child may lack its parent, every parent present has both its children, and every parent whose
// block was acknowledged is there unless its DELETE was sent (answered or not).
//
// Usage: crash_test SQLRITED [--cycles N] [--seed S] [--check] [--readers R]
// Exit status 0 on success; prints one summary line "crash_test: N cycles, A acknowledged, L lost,
// P partial, R reads (W wrong), V read-visible ids, X lost after a read".

#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// Starts sqlrited on port 0 and waits until postmaster.pid names its port.
bool StartServer(const std::string& binary, const fs::path& data_dir, Server* server) {
  fs::remove(data_dir / "postmaster.pid");
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    execl(binary.c_str(), binary.c_str(), "--port", "0", "--data-dir", data_dir.c_str(),
          "--log-level", "warn", static_cast<char*>(nullptr));
    _exit(127);
  }
  server->pid = pid;
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    std::ifstream in(data_dir / "postmaster.pid");
    std::string line;
    for (int i = 0; i < 4 && std::getline(in, line); ++i) {
      if (i == 3 && !line.empty()) {
        server->port = std::atoi(line.c_str());
        if (server->port > 0) return true;
      }
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      std::fprintf(stderr, "crash_test: sqlrited exited during startup (status %d)\n", status);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::fprintf(stderr, "crash_test: sqlrited did not start within 30 s\n");
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return false;
}

void KillServer(Server& server, int signal_number) {
  if (server.pid <= 0) return;
  kill(server.pid, signal_number);
  waitpid(server.pid, nullptr, 0);
  server.pid = -1;
}

PGconn* Connect(int port) {
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port) +
                         " user=postgres dbname=postgres connect_timeout=10";
  for (int attempt = 0; attempt < 200; ++attempt) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) == CONNECTION_OK) {
      // "relation already exists, skipping" at every restart is expected; keep the output to the
      // summary line.
      PQsetNoticeProcessor(
          conn, [](void*, const char*) {}, nullptr);
      return conn;
    }
    PQfinish(conn);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return nullptr;
}

bool Exec(PGconn* conn, const std::string& sql, std::string* error = nullptr) {
  PGresult* res = PQexec(conn, sql.c_str());
  ExecStatusType st = PQresultStatus(res);
  bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  if (!ok && error) *error = PQresultErrorMessage(res);
  PQclear(res);
  return ok;
}

// What the readers of one cycle may see: the rows present at its start, and the first id the
// writer commits in it (ids first, first + 1, ... each committed before the next is sent).
struct CycleStart {
  long base_count = 0;
  long first_id = 0;
};

// The readers' findings, shared by the reader threads of all cycles.
struct ReadLog {
  std::mutex mu;
  long reads = 0;
  long wrong = 0;
  std::vector<std::string> problems;  // the first few, for the failure message
  long max_seen = 0;                  // the highest id a read showed this cycle

  void Wrong(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    ++wrong;
    if (problems.size() < 5) problems.push_back(what);
  }
};

enum class ReaderStyle { kSimple, kExtended, kSimpleReadOnlyBlock, kExtendedReadOnlyBlock };

// One query by the simple protocol (PQexec) or the extended one (PQexecParams), with at most one
// bigint parameter. Returns null when the query failed; `*error` then holds the message.
PGresult* Read(PGconn* conn, bool extended, const std::string& sql, const long* param,
               std::string* error) {
  PGresult* res = nullptr;
  if (extended) {
    std::string text = param ? std::to_string(*param) : std::string();
    const char* values[1] = {text.c_str()};
    res = PQexecParams(conn, sql.c_str(), param ? 1 : 0, nullptr, param ? values : nullptr, nullptr,
                       nullptr, 0);
  } else {
    std::string query = sql;
    if (param) query.replace(query.find("$1"), 2, std::to_string(*param));
    res = PQexec(conn, query.c_str());
  }
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return res;
  *error = PQresultErrorMessage(res);
  PQclear(res);
  return nullptr;
}

// Checks the answer of "select count(*), sum(id), max(id) from acks": a committed state of the
// cycle, and max(id) not below `my_max` (what this connection saw before). Returns "" when it
// is, else what is wrong; `*max_out` is the max(id) read.
std::string CheckAggregate(PGresult* res, const CycleStart& cycle, long my_max, long* max_out) {
  long count = std::atol(PQgetvalue(res, 0, 0));
  bool empty = PQgetisnull(res, 0, 2);
  long sum = empty ? 0 : std::atol(PQgetvalue(res, 0, 1));
  long max = empty ? 0 : std::atol(PQgetvalue(res, 0, 2));
  *max_out = max;
  long expected =
      max >= cycle.first_id ? cycle.base_count + 2 * (max - cycle.first_id + 1) : cycle.base_count;
  if (sum == 0 && count == expected && max >= my_max) return "";
  return "a read saw count " + std::to_string(count) + ", sum " + std::to_string(sum) + ", max " +
         std::to_string(max) + " (committed states: sum 0, count " + std::to_string(expected) +
         " for that max; this connection saw max " + std::to_string(my_max) + " before)";
}

// Reads until the server is killed, checking that each answer is a committed state (see the
// file comment). A failed query before `killing` is set is wrong too: readers must be answered.
void RunReader(PGconn* conn, ReaderStyle style, CycleStart cycle, const std::atomic<bool>& killing,
               ReadLog& log, uint64_t seed) {
  const bool extended =
      style == ReaderStyle::kExtended || style == ReaderStyle::kExtendedReadOnlyBlock;
  const bool blocks =
      style == ReaderStyle::kSimpleReadOnlyBlock || style == ReaderStyle::kExtendedReadOnlyBlock;
  std::mt19937_64 rng(seed);
  long my_max = 0;
  std::string error;
  // Returns false when the read failed (and records it unless the server is being killed).
  auto failed = [&](const char* what) {
    if (!killing.load()) log.Wrong(std::string(what) + " failed before the kill: " + error);
    return false;
  };
  auto one_read = [&]() -> bool {
    PGresult* res =
        Read(conn, extended, "select count(*), sum(id), max(id) from acks", nullptr, &error);
    if (!res) return failed("the aggregate read");
    long max = 0;
    std::string wrong = CheckAggregate(res, cycle, my_max, &max);
    PQclear(res);
    {
      std::lock_guard<std::mutex> lock(log.mu);
      ++log.reads;
      if (max > log.max_seen) log.max_seen = max;
    }
    if (!wrong.empty()) log.Wrong(wrong);
    my_max = std::max(my_max, max);
    if (my_max < cycle.first_id) return true;
    // Both halves of an id this connection has seen committed.
    long id = std::uniform_int_distribution<long>(cycle.first_id, my_max)(rng);
    for (long key : {id, -id}) {
      res = Read(conn, extended, "select half from acks where id = $1", &key, &error);
      if (!res) return failed("a point lookup");
      const char* want = key > 0 ? "+" : "-";
      if (PQntuples(res) != 1 || std::string(PQgetvalue(res, 0, 0)) != want) {
        log.Wrong("the point lookup of " + std::to_string(key) + " found " +
                  std::to_string(PQntuples(res)) + " rows after a read showed ids up to " +
                  std::to_string(my_max));
      }
      PQclear(res);
      std::lock_guard<std::mutex> lock(log.mu);
      ++log.reads;
    }
    return true;
  };
  while (!killing.load()) {
    // Today reads share the one engine thread with the writer: a short pause between reads keeps
    // the writer's rate (what the crash test is about) near what it is without readers.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (blocks) {
      PGresult* res = Read(conn, extended, "begin read only", nullptr, &error);
      if (!res) {
        failed("begin read only");
        return;
      }
      PQclear(res);
      bool ok = one_read() && one_read();
      if (!ok) return;
      res = Read(conn, extended, "commit", nullptr, &error);
      if (!res) {
        failed("commit");
        return;
      }
      PQclear(res);
    } else if (!one_read()) {
      return;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: crash_test SQLRITED [--cycles N] [--seed S] [--check] [--readers R]\n");
    return 2;
  }
  std::string binary = argv[1];
  int cycles = 10;
  uint64_t seed = 42;
  bool run_check = false;
  int reader_count = 4;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--cycles" && i + 1 < argc) {
      cycles = std::atoi(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--check") {
      run_check = true;
    } else if (a == "--readers" && i + 1 < argc) {
      reader_count = std::atoi(argv[++i]);
    }
  }
  std::mt19937_64 rng(seed);
  fs::path dir = fs::temp_directory_path() / ("sqlrite-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);

  std::set<long> acknowledged;
  long next_id = 1;
  long lost = 0;
  long partial = 0;
  bool failed = false;
  ReadLog read_log;
  std::set<long> read_visible;  // ids a reader saw committed: they must survive every crash
  long lost_after_read = 0;
  // Counts what of `acknowledged` and `read_visible` is missing from the table, and the halves
  // present without their other half.
  auto verify = [&](const std::set<long>& present) {
    for (long id : acknowledged) {
      if (!present.count(id) || !present.count(-id)) ++lost;
    }
    for (long id : read_visible) {
      if (!present.count(id) || !present.count(-id)) ++lost_after_read;
    }
    for (long id : present) {
      if (!present.count(-id)) ++partial;
    }
  };

  std::atomic<long> seq_handed_out{0};  // the highest number nextval answered
  long seq_reissued = 0;
  // The foreign-key client's state, kept across cycles (see the file comment).
  std::set<long> fk_acked;       // parents whose insert block was acknowledged
  std::set<long> fk_deleting;    // parents whose DELETE was sent
  long fk_next = 1;              // the next parent id
  long fk_orphans = 0;           // children without their parent, summed over the checks
  long fk_lost = 0;              // acknowledged parents missing (not deleted)
  long fk_partial = 0;           // parents present without both children
  long fk_accepted_orphans = 0;  // orphan inserts the server accepted
  long fk_blocks = 0;            // insert blocks acknowledged
  // Checks the foreign-key tables after a restart; false on a query failure.
  auto verify_fk = [&](PGconn* c) {
    PGresult* res = PQexec(c,
                           "select count(*) from crash_child ch left join crash_parent p on "
                           "p.id = ch.parent where p.id is null");
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (ok) fk_orphans += std::atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!ok) return false;
    res = PQexec(c,
                 "select p.id, count(ch.id) from crash_parent p left join crash_child ch on "
                 "ch.parent = p.id group by p.id");
    ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    std::set<long> present;
    for (int r = 0; ok && r < PQntuples(res); ++r) {
      const long id = std::atol(PQgetvalue(res, r, 0));
      present.insert(id);
      if (std::atol(PQgetvalue(res, r, 1)) != 2) ++fk_partial;
      if (id >= fk_next) fk_next = id + 1;  // a block that landed unacknowledged
    }
    PQclear(res);
    for (long id : fk_acked) {
      if (!present.count(id) && !fk_deleting.count(id)) ++fk_lost;
    }
    return ok;
  };
  for (int cycle = 0; cycle < cycles && !failed; ++cycle) {
    Server server;
    if (!StartServer(binary, dir, &server)) {
      failed = true;
      break;
    }
    long base_count = 0;
    PGconn* conn = Connect(server.port);
    if (!conn) {
      std::fprintf(stderr, "crash_test: cannot connect after restart\n");
      KillServer(server, SIGKILL);
      failed = true;
      break;
    }
    std::string err;
    if (!Exec(conn, "create table if not exists acks(id bigint primary key, half text not null)",
              &err) ||
        !Exec(conn, "create table if not exists crash_parent(id bigint primary key)", &err) ||
        !Exec(conn,
              "create table if not exists crash_child(id bigint primary key, parent bigint not "
              "null references crash_parent on delete cascade)",
              &err)) {
      std::fprintf(stderr, "crash_test: create table failed: %s\n", err.c_str());
      failed = true;
    }
    if (!failed && !verify_fk(conn)) {
      std::fprintf(stderr, "crash_test: the foreign-key check's query failed\n");
      failed = true;
    }
    if (fk_orphans || fk_lost || fk_partial) failed = true;

    // The sequence never goes back below what it handed out before the kill.
    if (!failed && !Exec(conn, "create sequence if not exists crash_seq", &err)) {
      std::fprintf(stderr, "crash_test: create sequence failed: %s\n", err.c_str());
      failed = true;
    }
    if (!failed) {
      PGresult* res = PQexec(conn, "select last_value, is_called from crash_seq");
      if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        std::fprintf(stderr, "crash_test: select from the sequence failed: %s\n",
                     PQresultErrorMessage(res));
        failed = true;
      } else {
        const long last = std::atol(PQgetvalue(res, 0, 0));
        const bool called = PQgetvalue(res, 0, 1)[0] == 't';
        const long handed_out = seq_handed_out.load();
        if (handed_out > 0 && (!called || last < handed_out)) {
          std::fprintf(stderr,
                       "crash_test: the sequence restarted at %ld (called: %d) after handing out "
                       "%ld\n",
                       last, called ? 1 : 0, handed_out);
          ++seq_reissued;
          failed = true;
        }
      }
      PQclear(res);
    }

    // Verify what the previous cycles acknowledged.
    if (!failed) {
      PGresult* res = PQexec(conn, "select id from acks");
      if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        std::fprintf(stderr, "crash_test: select failed: %s\n", PQresultErrorMessage(res));
        failed = true;
      } else {
        std::set<long> present;
        for (int r = 0; r < PQntuples(res); ++r) present.insert(std::atol(PQgetvalue(res, r, 0)));
        verify(present);
        for (long id : present) {
          if (id > 0 && id >= next_id) next_id = id + 1;  // an unacknowledged commit that landed
        }
        base_count = static_cast<long>(present.size());
      }
      PQclear(res);
    }
    if (lost || partial || lost_after_read) failed = true;

    // Readers, connected before the writer starts so that they read while it writes.
    const CycleStart cycle_start{base_count, next_id};
    read_log.max_seen = 0;
    std::atomic<bool> killing{false};
    std::vector<PGconn*> reader_conns;
    std::vector<std::thread> readers;
    for (int r = 0; r < reader_count && !failed; ++r) {
      PGconn* reader_conn = Connect(server.port);
      if (!reader_conn) {
        std::fprintf(stderr, "crash_test: a reader cannot connect\n");
        failed = true;
        break;
      }
      reader_conns.push_back(reader_conn);
      readers.emplace_back(RunReader, reader_conn, static_cast<ReaderStyle>(r % 4), cycle_start,
                           std::cref(killing), std::ref(read_log), rng());
    }

    // Write until killed.
    std::atomic<bool> stop{false};
    std::vector<long> acked_this_cycle;
    std::thread writer([&] {
      while (!stop.load()) {
        long id = next_id++;
        std::string plus = "(" + std::to_string(id) + ", '+')";
        std::string minus = "(" + std::to_string(-id) + ", '-')";
        bool ok = false;
        if (id % 2 == 0) {
          ok = Exec(conn, "insert into acks values " + plus + ", " + minus);
        } else {
          // A block over four round trips: the server holds half a pair uncommitted for a while,
          // which the readers must not see.
          ok = Exec(conn, "begin") && Exec(conn, "insert into acks values " + plus) &&
               Exec(conn, "insert into acks values " + minus) && Exec(conn, "commit");
        }
        if (!ok) break;  // the server died under us: this one was not acknowledged
        acked_this_cycle.push_back(id);
      }
    });
    // nextval, in autocommit and in blocks rolled back, until killed.
    PGconn* seq_conn = failed ? nullptr : Connect(server.port);
    std::thread sequencer([&] {
      if (seq_conn == nullptr) return;
      for (long i = 0; !stop.load(); ++i) {
        const bool block = i % 2 == 1;
        if (block && !Exec(seq_conn, "begin")) break;
        PGresult* res = PQexec(seq_conn, "select nextval('crash_seq')");
        const bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
        const long value = ok ? std::atol(PQgetvalue(res, 0, 0)) : 0;
        PQclear(res);
        if (!ok) break;
        // A block's number counts once its ROLLBACK was answered; one the kill interrupts may
        // come again (as in PostgreSQL: no committed row holds it).
        if (block && !Exec(seq_conn, "rollback")) break;
        seq_handed_out = std::max(seq_handed_out.load(), value);
      }
    });
    // Parents with their children, deletes that cascade, and orphans that must be refused.
    PGconn* fk_conn = failed ? nullptr : Connect(server.port);
    std::vector<long> fk_acked_this_cycle;
    std::thread fk_client([&] {
      if (fk_conn == nullptr) return;
      for (long i = 0; !stop.load(); ++i) {
        if (i % 3 == 2 && !fk_acked.empty()) {
          // A DELETE of an earlier parent: it and its children may be gone from here on.
          const long victim = *std::next(fk_acked.begin(), static_cast<long>(i % fk_acked.size()));
          fk_deleting.insert(victim);
          if (!Exec(fk_conn, "delete from crash_parent where id = " + std::to_string(victim))) {
            break;
          }
          continue;
        }
        if (i % 7 == 6) {
          PGresult* res = PQexec(
              fk_conn, ("insert into crash_child values (" + std::to_string(-1000000 - i) + ", -1)")
                           .c_str());
          const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
          const bool refused = state != nullptr && std::string(state) == "23503";
          const bool accepted = PQresultStatus(res) == PGRES_COMMAND_OK;
          PQclear(res);
          if (accepted) ++fk_accepted_orphans;
          if (!refused) break;  // accepted (counted) or the server died
          continue;
        }
        const long id = fk_next++;
        const std::string p = std::to_string(id);
        if (!Exec(fk_conn, "begin") ||
            !Exec(fk_conn, "insert into crash_parent values (" + p + ")") ||
            !Exec(fk_conn, "insert into crash_child values (" + std::to_string(2 * id) + ", " + p +
                               "), (" + std::to_string(2 * id + 1) + ", " + p + ")") ||
            !Exec(fk_conn, "commit")) {
          break;
        }
        fk_acked_this_cycle.push_back(id);
      }
    });
    std::uniform_int_distribution<int> delay_ms(5, 150);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    // Set before the kill: a reader's query that fails after it saw the flag clear failed for
    // another reason.
    killing = true;
    KillServer(server, SIGKILL);
    stop = true;
    writer.join();
    sequencer.join();
    fk_client.join();
    if (fk_conn != nullptr) PQfinish(fk_conn);
    fk_acked.insert(fk_acked_this_cycle.begin(), fk_acked_this_cycle.end());
    fk_blocks += static_cast<long>(fk_acked_this_cycle.size());
    if (seq_conn != nullptr) PQfinish(seq_conn);
    for (std::thread& reader : readers) reader.join();
    for (PGconn* reader_conn : reader_conns) PQfinish(reader_conn);
    PQfinish(conn);
    acknowledged.insert(acked_this_cycle.begin(), acked_this_cycle.end());
    for (long id = cycle_start.first_id; id <= read_log.max_seen; ++id) read_visible.insert(id);
    if (read_log.wrong) failed = true;
  }

  // Final verification after the last kill.
  if (!failed) {
    Server server;
    if (StartServer(binary, dir, &server)) {
      if (PGconn* conn = Connect(server.port)) {
        PGresult* res = PQexec(conn, "select id from acks");
        std::set<long> present;
        for (int r = 0; r < PQntuples(res); ++r) present.insert(std::atol(PQgetvalue(res, r, 0)));
        PQclear(res);
        verify(present);
        if (!verify_fk(conn)) failed = true;
        PQfinish(conn);
      } else {
        failed = true;
      }
      KillServer(server, SIGTERM);
    } else {
      failed = true;
    }
  }

  if (!failed && run_check) {
    std::string cmd = binary + " check --data-dir " + dir.string() + " >/dev/null 2>&1";
    int rc = std::system(cmd.c_str());
    if (rc != 0) {
      std::fprintf(stderr, "crash_test: integrity check failed (%d)\n", rc);
      failed = true;
    }
  }

  long read_before_ack = 0;
  for (long id : read_visible) read_before_ack += acknowledged.count(id) ? 0 : 1;
  for (const std::string& problem : read_log.problems) {
    std::fprintf(stderr, "crash_test: wrong read: %s\n", problem.c_str());
  }
  std::printf(
      "crash_test: %d cycles, %zu acknowledged, %ld lost, %ld partial, %ld reads (%ld wrong), "
      "%zu read-visible ids (%ld before their acknowledgment), %ld lost after a read, sequence "
      "at %ld (%ld restarts below it)\n",
      cycles, acknowledged.size(), lost, partial, read_log.reads, read_log.wrong,
      read_visible.size(), read_before_ack, lost_after_read, seq_handed_out.load(), seq_reissued);
  std::printf(
      "crash_test: foreign keys: %ld parent blocks acknowledged, %ld orphan children, %ld lost "
      "parents, %ld parents without both children, %ld orphan inserts accepted\n",
      fk_blocks, fk_orphans, fk_lost, fk_partial, fk_accepted_orphans);
  if (lost || partial || lost_after_read || read_log.wrong || seq_reissued) failed = true;
  if (fk_orphans || fk_lost || fk_partial || fk_accepted_orphans) failed = true;
  if (fk_blocks == 0) {
    std::fprintf(stderr, "crash_test: the foreign-key client got no block acknowledged\n");
    failed = true;
  }
  if (seq_handed_out.load() == 0) {
    std::fprintf(stderr, "crash_test: the sequence client got no number\n");
    failed = true;
  }
  if (reader_count > 0 && read_log.reads == 0) {
    std::fprintf(stderr, "crash_test: the readers made no read\n");
    failed = true;
  }
  if (!failed) fs::remove_all(dir);
  return failed ? 1 : 0;
}
