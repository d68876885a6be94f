// ctest's runner for the examples: `run_example PROFILE EXAMPLE` runs the example program with
// the URL of the profile's database: `sqlite` (sqlite::memory:), `sqlrited` or `postgresql15` (a
// server started for the run, as the ORM suite starts it: orm/tests/test_servers.h). Exits with
// the example's status; a server that does not start is a failure.
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "orm/tests/test_servers.h"

extern char** environ;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s sqlite|sqlrited|postgresql15 EXAMPLE\n", argv[0]);
    return 2;
  }
  std::string profile = argv[1];
  std::string url;
  std::unique_ptr<sqlrite::orm::testing::Server> server;
  if (profile == "sqlite") {
    url = "sqlite::memory:";
  } else if (profile == "sqlrited" || profile == "postgresql15") {
    auto started = profile == "sqlrited"
                       ? sqlrite::orm::testing::Server::StartSqlrited(SQLRITE_ORM_SQLRITED)
                       : sqlrite::orm::testing::Server::StartPostgres(SQLRITE_ORM_PG_BIN);
    if (!started) {
      std::fprintf(stderr, "cannot start %s: %s\n", profile.c_str(),
                   started.error().message.c_str());
      return 1;
    }
    server = std::move(*started);
    url = server->url();
  } else {
    std::fprintf(stderr, "unknown profile %s\n", profile.c_str());
    return 2;
  }
  std::printf("%s %s\n", argv[2], url.c_str());
  std::fflush(stdout);
  char* child_argv[] = {argv[2], url.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[2], nullptr, nullptr, child_argv, environ) != 0) {
    std::fprintf(stderr, "cannot run %s: %s\n", argv[2], std::strerror(errno));
    return 1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
