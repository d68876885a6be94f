// crash_test: kill -9 at random moments must never lose an acknowledged commit.
//
// Each cycle starts the real sqlrited on a free port over the same data directory, runs a writer
// through libpq that inserts numbered transactions (each one a row pair (n, +) and (-n, -) in one
// multi-row INSERT, so a half-applied transaction is visible as a lone half), records every
// acknowledgment, and SIGKILLs the server after a random delay. After restart it checks that every
// acknowledged transaction is present, that no transaction is partly present, and (when asked)
// that `sqlrited check` passes on the directory.
//
// Usage: crash_test SQLRITED [--cycles N] [--seed S] [--check]
// Exit status 0 on success; prints one summary line "crash_test: N cycles, A acknowledged, L lost,
// P partial".

#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: crash_test SQLRITED [--cycles N] [--seed S] [--check]\n");
    return 2;
  }
  std::string binary = argv[1];
  int cycles = 10;
  uint64_t seed = 42;
  bool run_check = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--cycles" && i + 1 < argc) {
      cycles = std::atoi(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--check") {
      run_check = true;
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

  for (int cycle = 0; cycle < cycles && !failed; ++cycle) {
    Server server;
    if (!StartServer(binary, dir, &server)) {
      failed = true;
      break;
    }
    PGconn* conn = Connect(server.port);
    if (!conn) {
      std::fprintf(stderr, "crash_test: cannot connect after restart\n");
      KillServer(server, SIGKILL);
      failed = true;
      break;
    }
    std::string err;
    if (!Exec(conn, "create table if not exists acks(id bigint primary key, half text not null)",
              &err)) {
      std::fprintf(stderr, "crash_test: create table failed: %s\n", err.c_str());
      failed = true;
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
        for (long id : acknowledged) {
          if (!present.count(id) || !present.count(-id)) ++lost;
        }
        for (long id : present) {
          if (!present.count(-id)) ++partial;
          if (id > 0 && id >= next_id) next_id = id + 1;  // an unacknowledged commit that landed
        }
      }
      PQclear(res);
    }
    if (lost || partial) failed = true;

    // Write until killed.
    std::atomic<bool> stop{false};
    std::vector<long> acked_this_cycle;
    std::thread writer([&] {
      while (!stop.load()) {
        long id = next_id++;
        std::string sql = "insert into acks values (" + std::to_string(id) + ", '+'), (" +
                          std::to_string(-id) + ", '-')";
        PGresult* res = PQexec(conn, sql.c_str());
        bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        if (!ok) break;  // the server died under us: this one was not acknowledged
        acked_this_cycle.push_back(id);
      }
    });
    std::uniform_int_distribution<int> delay_ms(5, 150);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    KillServer(server, SIGKILL);
    stop = true;
    writer.join();
    PQfinish(conn);
    acknowledged.insert(acked_this_cycle.begin(), acked_this_cycle.end());
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
        for (long id : acknowledged) {
          if (!present.count(id) || !present.count(-id)) ++lost;
        }
        for (long id : present) {
          if (!present.count(-id)) ++partial;
        }
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

  std::printf("crash_test: %d cycles, %zu acknowledged, %ld lost, %ld partial\n", cycles,
              acknowledged.size(), lost, partial);
  if (lost || partial) failed = true;
  if (!failed) fs::remove_all(dir);
  return failed ? 1 : 0;
}
