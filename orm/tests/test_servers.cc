#include "orm/tests/test_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace sqlrite::orm::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(10);

Error StartError(std::string message) { return Error("08001", std::move(message)); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  return text.size() > 3000 ? text.substr(text.size() - 3000) : text;
}

// postmaster.pid's lines (pid, data dir, start time, port, ...), or none.
std::vector<std::string> PidFileLines(const std::string& data_dir) {
  std::ifstream in(data_dir + "/postmaster.pid");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Starts argv with stdout and stderr appended to `log`, stdin from /dev/null, in its own process
// group; it gets SIGTERM when this process dies.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return Fail(StartError("fork failed"));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    setpgid(0, 0);
    int in = open("/dev/null", O_RDONLY);
    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid` up to `timeout`; true when it exited (reaped).
bool WaitExit(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid || r < 0) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status Run(const std::vector<std::string>& argv, const std::string& log) {
  auto pid = Spawn(argv, log);
  if (!pid) return tl::unexpected(pid.error());
  int status = 0;
  if (!WaitExit(*pid, std::chrono::seconds(120), &status)) {
    kill(*pid, SIGKILL);
    waitpid(*pid, &status, 0);
    return Fail(StartError(argv[0] + " timed out:\n" + ReadFile(log)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    return Fail(StartError(cmd + "failed:\n" + ReadFile(log)));
  }
  return {};
}

std::string MakeRoot(const char* prefix) {
  std::string tmpl = std::string("/tmp/") + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) return {};
  return buf.data();
}

bool Ready(int port) {
  std::string conninfo =
      "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres?connect_timeout=2";
  return PQping(conninfo.c_str()) == PQPING_OK;
}

}  // namespace

Result<std::unique_ptr<Server>> Server::StartSqlrited(const std::string& binary) {
  if (binary.empty() || access(binary.c_str(), X_OK) != 0) {
    return Fail(StartError("sqlrited not found at \"" + binary +
                           "\" (build the sqlrited target; SQLRITE_ORM_SQLRITED)"));
  }
  std::unique_ptr<Server> server(new Server());
  server->root_ = MakeRoot("orm_sqlrited_");
  if (server->root_.empty()) return Fail(StartError("mkdtemp failed"));
  server->data_dir_ = server->root_ + "/data";
  std::string log = server->root_ + "/server.log";
  auto pid = Spawn({binary, "--listen", "127.0.0.1", "--port", "0", "--data-dir", server->data_dir_,
                    "--unix-socket-dir", server->root_},
                   log);
  if (!pid) return tl::unexpected(pid.error());
  server->child_ = *pid;
  auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(server->child_, &status, WNOHANG) == server->child_) {
      server->child_ = -1;
      return Fail(StartError("sqlrited exited during startup:\n" + ReadFile(log)));
    }
    auto lines = PidFileLines(server->data_dir_);
    if (lines.size() > 3 && lines[0] == std::to_string(server->child_) && !lines[3].empty()) {
      server->port_ = std::atoi(lines[3].c_str());
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  while (server->port_ != 0 && Clock::now() < deadline && !Ready(server->port_)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (server->port_ == 0 || !Ready(server->port_)) {
    return Fail(StartError("sqlrited did not answer within 30 s:\n" + ReadFile(log)));
  }
  server->url_ = "sqlrite://postgres@127.0.0.1:" + std::to_string(server->port_) + "/postgres";
  return server;
}

Result<std::unique_ptr<Server>> Server::StartPostgres(const std::string& pg_bin) {
  for (const char* tool : {"initdb", "postgres"}) {
    std::string path = pg_bin + "/" + tool;
    if (access(path.c_str(), X_OK) != 0) {
      return Fail(StartError(path + " not found (Debian's postgresql-15; SQLRITE_ORM_PG_BIN)"));
    }
  }
  std::vector<std::string> as_user;
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) return Fail(StartError("running as root and there is no postgres user"));
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    as_user = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  }
  std::unique_ptr<Server> server(new Server());
  server->root_ = MakeRoot("orm_pg_");
  if (server->root_.empty()) return Fail(StartError("mkdtemp failed"));
  server->data_dir_ = server->root_ + "/data";
  std::string sock = server->root_ + "/sock";
  std::string log = server->root_ + "/server.log";
  mkdir(sock.c_str(), 0700);
  if (chown(server->root_.c_str(), uid, gid) != 0 || chown(sock.c_str(), uid, gid) != 0) {
    return Fail(StartError("cannot give " + server->root_ + " to the postgres user"));
  }
  auto with_user = [&](std::vector<std::string> argv) {
    argv.insert(argv.begin(), as_user.begin(), as_user.end());
    return argv;
  };
  // initdb's log is written by us (root), so it lives outside the server's reach; fine for reading.
  SQLRITE_ORM_TRY(Run(with_user({pg_bin + "/initdb", "--locale=C", "-E", "UTF8", "-U", "postgres",
                                 "--auth=trust", "-D", server->data_dir_}),
                      server->root_ + "/initdb.log"));
  for (int attempt = 0; attempt < 5 && server->port_ == 0; ++attempt) {
    int port = FreePort();
    auto pid =
        Spawn(with_user({pg_bin + "/postgres", "-D", server->data_dir_, "-p", std::to_string(port),
                         "-k", sock, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
                         "timezone=UTC"}),
              log);
    if (!pid) return tl::unexpected(pid.error());
    server->child_ = *pid;
    auto deadline = Clock::now() + kStartTimeout;
    bool exited = false;
    while (Clock::now() < deadline) {
      int status = 0;
      if (waitpid(server->child_, &status, WNOHANG) == server->child_) {
        exited = true;
        server->child_ = -1;
        break;
      }
      if (Ready(port)) {
        server->port_ = port;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (server->port_ != 0) break;
    if (!exited || ReadFile(log).find("could not bind") == std::string::npos) {
      return Fail(StartError("PostgreSQL did not start within 30 s:\n" + ReadFile(log)));
    }
  }
  if (server->port_ == 0) return Fail(StartError("PostgreSQL found no free port"));
  server->url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(server->port_) + "/postgres";
  return server;
}

Server::~Server() { Stop(); }

void Server::Stop() {
  if (child_ > 0) {
    // The server itself (not runuser in front of PostgreSQL): its pid is postmaster.pid's first
    // line. SIGINT is PostgreSQL's fast shutdown; sqlrited stops on SIGTERM.
    auto lines = PidFileLines(data_dir_);
    pid_t server_pid = lines.empty() ? child_ : std::atoi(lines[0].c_str());
    bool postgres = url_.starts_with("postgresql://");
    if (server_pid > 0) kill(server_pid, postgres ? SIGINT : SIGTERM);
    int status = 0;
    if (!WaitExit(child_, kStopTimeout, &status)) {
      if (server_pid > 0) kill(server_pid, SIGKILL);
      kill(child_, SIGKILL);
      waitpid(child_, &status, 0);
    }
    child_ = -1;
  }
  if (!root_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
    root_.clear();
  }
}

}  // namespace sqlrite::orm::testing
