#pragma once
// Servers for the pgwire profiles of the ORM's tests: a sqlrited from the build tree and a
// PostgreSQL 15 (initdb + postgres), each in a fresh temporary directory, listening on a free
// loopback port, as tests/e2e/servers.py starts them. As root, PostgreSQL runs as the `postgres`
// system user (it refuses root). Starting fails with an Error (never a skip) when the binary is
// missing or the server does not answer within 30 s. A Server stops its process (SIGTERM, then
// SIGKILL after 10 s) and removes its directory when destroyed; the processes also get SIGTERM
// if the test process dies first (PR_SET_PDEATHSIG).

#include <sys/types.h>

#include <memory>
#include <string>

#include "orm/core/error.h"

namespace sqlrite::orm::testing {

class Server {
 public:
  // `binary`: the sqlrited executable.
  static Result<std::unique_ptr<Server>> StartSqlrited(const std::string& binary);
  // `pg_bin`: the directory of PostgreSQL 15's initdb and postgres.
  static Result<std::unique_ptr<Server>> StartPostgres(const std::string& pg_bin);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  int port() const { return port_; }
  // The ORM URL of the `postgres` database as the `postgres` superuser: sqlrite://... for
  // sqlrited, postgresql://... for PostgreSQL.
  const std::string& url() const { return url_; }

 private:
  Server() = default;
  void Stop();

  std::string root_;      // removed when destroyed
  std::string data_dir_;  // postmaster.pid names the server's pid and port
  pid_t child_ = -1;      // sqlrited, or postgres (through runuser when root)
  int port_ = 0;
  std::string url_;
};

}  // namespace sqlrite::orm::testing
