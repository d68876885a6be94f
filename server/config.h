#pragma once
// The daemon's configuration: command-line flags with SQLRITE_* environment fallbacks (a flag
// wins over the environment, the environment over the default).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/error.h"

namespace sqlrite::server {

inline constexpr const char* kVersionString = "sqlrited (SQLRite) 0.1.0";

struct Config {
  std::string listen = "127.0.0.1";  // --listen, SQLRITE_LISTEN
  uint16_t port = 5432;              // --port/-p, SQLRITE_PORT; 0: the OS picks a free port
  std::string data_dir = "./data";   // --data-dir/-D, SQLRITE_DATA_DIR
  std::string log_level = "info";    // --log-level, SQLRITE_LOG_LEVEL: trace..error, off
  size_t max_connections = 100;      // --max-connections, SQLRITE_MAX_CONNECTIONS
  // --superuser-reserved-connections, SQLRITE_SUPERUSER_RESERVED_CONNECTIONS: as PostgreSQL's,
  // the last of the max_connections slots that only a superuser may take. Less than
  // max_connections.
  size_t superuser_reserved_connections = 3;
  // --authentication-timeout (seconds, 1..600), SQLRITE_AUTHENTICATION_TIMEOUT: as PostgreSQL's
  // authentication_timeout, the most a connection may spend between its accept and the end of
  // its authentication, however it sends its bytes.
  int authentication_timeout_s = 60;
  std::string superuser = "postgres";  // --superuser, SQLRITE_SUPERUSER
  size_t cache_mib = 64;               // --cache-size (MiB), SQLRITE_CACHE_SIZE
  // --max-wal-size (MiB, 4..16384), SQLRITE_MAX_WAL_SIZE: PostgreSQL's max_wal_size (1GB by
  // default). Under --synchronous full the automatic checkpoint's threshold
  // (Cluster::Options::wal_autocheckpoint_bytes) is a quarter of it; normal and off keep 16 MiB
  // at most (docs/decisions.md, "Automatic checkpoints at a quarter of max_wal_size").
  size_t max_wal_mib = 1024;
  // --io-threads, SQLRITE_IO_THREADS: threads serving connections (sockets, TLS, parsing
  // hand-off). 0: one per hardware thread (std::thread::hardware_concurrency(), at least 2).
  size_t io_threads = 0;
  // --synchronous, SQLRITE_SYNCHRONOUS: full (fsync the WAL before acknowledging a commit),
  // normal (WAL written before the acknowledgment, fsynced at checkpoints: a power cut may
  // lose the last commits, a crash of the server does not), off (no fsync at all).
  std::string synchronous = "full";
  // --point-writers, SQLRITE_POINT_WRITERS: on (READ COMMITTED blocks of point writes run side
  // by side under row locks, engine/point_writer.h) or off (every writing block takes the
  // database's writer slot from its first write).
  std::string point_writers = "on";
  // --auth, SQLRITE_AUTH: how clients authenticate (server/auth_policy.h). "default": a role
  // with a password must give it (SCRAM-SHA-256); one without is let in over loopback or the
  // Unix socket only. "scram-sha-256": every role must give its password. "trust": nobody is
  // asked.
  std::string auth = "default";
  // The bootstrap superuser's password, used only when the data directory is initialised (as
  // the postgres image's POSTGRES_PASSWORD): --password-file FILE (its first line),
  // SQLRITE_PASSWORD_FILE, or SQLRITE_PASSWORD (no flag: a command line is visible to
  // everyone on the machine). At most one of them.
  std::string password_file;
  std::string password;  // from SQLRITE_PASSWORD
  // TLS (answers SSLRequest with 'S' when both are set): --tls-cert, SQLRITE_TLS_CERT (PEM chain)
  // and --tls-key, SQLRITE_TLS_KEY (PEM, mode 0600 or less); --tls-ca, SQLRITE_TLS_CA (PEM CAs
  // for client certificates, optional).
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  // --require-tls, SQLRITE_REQUIRE_TLS: TCP connections that did not start TLS are refused with
  // FATAL 28000, as by a pg_hba.conf of hostssl lines only. The Unix socket is not affected.
  bool require_tls = false;
  // --unix-socket-dir, SQLRITE_UNIX_SOCKET_DIR: where .s.PGSQL.<port> goes; empty: no socket.
  std::string unix_socket_dir = "/tmp";
  // `sqlrited check -D DIR` or `--check`: check the data directory's integrity and exit.
  bool check = false;
};

// What ParseCommandLine decided. When `exit_code` is set the program should print `output`
// (to stdout when the code is 0: --help, --version; else to stderr) and exit with that code.
struct CommandLine {
  Config config;
  int exit_code = -1;  // -1: run the server
  std::string output;
};

CommandLine ParseCommandLine(int argc, const char* const* argv);

// The bootstrap password the configuration gives: the first line of password_file (without its
// line end), else `password`, else nullopt. Errors: 58030 when the file cannot be read, 22023
// when it holds an empty first line.
Result<std::optional<std::string>> BootstrapPassword(const Config& config);

}  // namespace sqlrite::server
