#include "server/config.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/sqlstate.h"

namespace sqlrite::server {

CommandLine ParseCommandLine(int argc, const char* const* argv) {
  CommandLine result;
  Config& c = result.config;
  CLI::App app("SQLRite: a PostgreSQL-compatible database server", "sqlrited");
  app.set_version_flag("--version", kVersionString);
  app.add_option("--listen", c.listen, "Address to listen on")
      ->envname("SQLRITE_LISTEN")
      ->capture_default_str();
  app.add_option("-p,--port", c.port, "TCP port (0: pick a free one)")
      ->envname("SQLRITE_PORT")
      ->capture_default_str();
  app.add_option("-D,--data-dir", c.data_dir, "Data directory")
      ->envname("SQLRITE_DATA_DIR")
      ->capture_default_str();
  app.add_option("--log-level", c.log_level, "trace|debug|info|warn|error|off")
      ->envname("SQLRITE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_option("--max-connections", c.max_connections,
                 "Maximum concurrent sessions (logged-in connections; connections still logging "
                 "in have a budget of their own)")
      ->envname("SQLRITE_MAX_CONNECTIONS")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  CLI::Option* reserved =
      app.add_option("--superuser-reserved-connections", c.superuser_reserved_connections,
                     "Connection slots kept for superusers (of --max-connections)")
          ->envname("SQLRITE_SUPERUSER_RESERVED_CONNECTIONS")
          ->check(CLI::Range(size_t{0}, size_t{1} << 20))
          ->capture_default_str();
  app.add_option("--authentication-timeout", c.authentication_timeout_s,
                 "Seconds a connection may take to log in before it is closed")
      ->envname("SQLRITE_AUTHENTICATION_TIMEOUT")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  app.add_option("--superuser", c.superuser, "Role created on first start")
      ->envname("SQLRITE_SUPERUSER")
      ->capture_default_str();
  app.add_option("--cache-size", c.cache_mib,
                 "Page cache size in MiB (per server): memory stays near it however large the "
                 "data")
      ->envname("SQLRITE_CACHE_SIZE")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--max-wal-size", c.max_wal_mib,
                 "WAL size in MiB at which a checkpoint must restart the log (PostgreSQL's "
                 "max_wal_size): with --synchronous full the log restarts at a quarter of it, "
                 "copied into the main file in background rounds of an eighth of that. Larger: "
                 "fewer main-file writes and fsyncs under writes; a longer recovery after a crash, "
                 "and up to half of it kept on disk per database")
      ->envname("SQLRITE_MAX_WAL_SIZE")
      ->check(CLI::Range(size_t{4}, size_t{16384}))
      ->capture_default_str();
  app.add_option("--io-threads", c.io_threads,
                 "Threads serving connections (0: one per hardware thread, at least 2)")
      ->envname("SQLRITE_IO_THREADS")
      ->check(CLI::Range(size_t{0}, size_t{1024}))
      ->capture_default_str();
  app.add_option("--synchronous", c.synchronous,
                 "full: fsync the WAL before a commit is acknowledged (one fsync per group of "
                 "commits); normal: write the WAL before, fsync at checkpoints (a power cut may "
                 "lose the last commits, a crash does not); off: never fsync")
      ->envname("SQLRITE_SYNCHRONOUS")
      ->check(CLI::IsMember({"full", "normal", "off"}))
      ->capture_default_str();
  app.add_option("--point-writers", c.point_writers,
                 "on: transaction blocks whose writes are point UPDATEs/INSERTs by primary key "
                 "run side by side under row locks; off: every writing block holds the "
                 "database's single writer slot until it ends")
      ->envname("SQLRITE_POINT_WRITERS")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  app.add_option("--auth", c.auth,
                 "default: a role with a password must give it (SCRAM-SHA-256), one without is "
                 "let in over loopback or the Unix socket only; scram-sha-256: every role must "
                 "give its password; trust: no passwords asked")
      ->envname("SQLRITE_AUTH")
      ->check(CLI::IsMember({"default", "scram-sha-256", "trust"}))
      ->capture_default_str();
  app.add_option("--password-file", c.password_file,
                 "The superuser's password (first line of FILE), set when the data directory is "
                 "initialised; or SQLRITE_PASSWORD")
      ->envname("SQLRITE_PASSWORD_FILE");
  app.add_option("--tls-cert", c.tls_cert,
                 "Server certificate (PEM, may hold the chain): enables TLS with --tls-key")
      ->envname("SQLRITE_TLS_CERT");
  app.add_option("--tls-key", c.tls_key, "Private key of --tls-cert (PEM, mode 0600 or less)")
      ->envname("SQLRITE_TLS_KEY");
  app.add_option("--tls-ca", c.tls_ca,
                 "CA certificates (PEM) that client certificates must verify against, when sent")
      ->envname("SQLRITE_TLS_CA");
  app.add_flag("--require-tls", c.require_tls,
               "Refuse TCP connections without TLS (FATAL 28000); the Unix socket is exempt")
      ->envname("SQLRITE_REQUIRE_TLS");
  app.add_option("--unix-socket-dir", c.unix_socket_dir,
                 "Directory for the Unix-domain socket .s.PGSQL.<port> (empty: none)")
      ->envname("SQLRITE_UNIX_SOCKET_DIR")
      ->capture_default_str();
  app.add_flag("--check", c.check,
               "Check the data directory's integrity (pages, trees, indexes) and exit: 0 when it "
               "passes, 1 when it fails or the directory is in use");
  CLI::App* check = app.add_subcommand("check", "The same as --check: sqlrited check -D DIR");
  // Options after `check` (-D DIR) belong to the main command.
  check->fallthrough();

  // CLI11 reports --help, --version and bad arguments by throwing; this is the one place that
  // turns those into values.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    std::ostringstream err;
    result.exit_code = app.exit(e, out, err);
    result.output = result.exit_code == 0 ? out.str() : err.str();
    return result;
  }
  if (check->parsed()) c.check = true;
  if (const char* password = std::getenv("SQLRITE_PASSWORD")) c.password = password;
  if (!c.password.empty() && !c.password_file.empty()) {
    result.exit_code = 2;
    result.output =
        "both --password-file (or SQLRITE_PASSWORD_FILE) and SQLRITE_PASSWORD are set; give "
        "one\n";
    return result;
  }
  if (c.check) return result;  // no listening: the TLS settings do not matter
  auto refuse = [&result](std::string message) {
    result.exit_code = 2;
    result.output = std::move(message) + "\n";
    return result;
  };
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return refuse("--tls-cert and --tls-key go together: give both or neither");
  }
  if (!c.tls_ca.empty() && c.tls_cert.empty()) {
    return refuse("--tls-ca needs --tls-cert and --tls-key");
  }
  if (c.require_tls && c.tls_cert.empty()) {
    return refuse("--require-tls needs --tls-cert and --tls-key");
  }
  if (c.superuser_reserved_connections >= c.max_connections) {
    if (reserved->count() == 0) {
      // The default must not stop a server with a small --max-connections: keep one slot open.
      c.superuser_reserved_connections = c.max_connections - 1;
      return result;
    }
    // PostgreSQL refuses to start the same way.
    result.exit_code = 2;
    result.output =
        "superuser_reserved_connections (" + std::to_string(c.superuser_reserved_connections) +
        ") must be less than max_connections (" + std::to_string(c.max_connections) + ")\n";
  }
  return result;
}

Result<std::optional<std::string>> BootstrapPassword(const Config& config) {
  if (config.password_file.empty()) {
    if (config.password.empty()) return std::optional<std::string>();
    return std::optional<std::string>(config.password);
  }
  std::ifstream in(config.password_file);
  if (!in) {
    return Fail(sqlstate::kIoError, "could not read password file \"" + config.password_file +
                                        "\": " + std::strerror(errno));
  }
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return Fail(sqlstate::kInvalidParameterValue,
                "password file \"" + config.password_file + "\" has an empty first line");
  }
  return std::optional<std::string>(line);
}

}  // namespace sqlrite::server
