#pragma once
// The Unix-domain socket's files, as PostgreSQL lays them out, so that `psql -p PORT` with no -h
// (libpq's default host is /tmp's socket) finds the server:
//   <dir>/.s.PGSQL.<port>        the socket itself
//   <dir>/.s.PGSQL.<port>.lock   its interlock, in the first lines of postmaster.pid's layout:
//                                pid, data directory, start time, port, socket directory
// UnixSocketLock takes the interlock as PostgreSQL's CreateLockFile does: a lock file whose pid
// is alive means the socket is in use (refused, naming that pid); one whose pid is dead is stale
// and replaced, along with the socket file it guarded. The socket and lock files are removed
// when the lock is destroyed (at shutdown).

#include <cstdint>
#include <ctime>
#include <string>

#include "common/error.h"

namespace sqlrite::server {

std::string UnixSocketPath(const std::string& dir, uint16_t port);

class UnixSocketLock {
 public:
  // Creates <dir>/.s.PGSQL.<port>.lock and removes a stale socket file, so the caller may bind
  // UnixSocketPath(dir, port). Errors: F0001 for a lock held by a live process (with a hint
  // naming it), 58030 when the directory is not usable, 22023 for a socket path longer than a
  // sockaddr_un holds.
  static Result<UnixSocketLock> Acquire(const std::string& dir, uint16_t port,
                                        const std::string& data_dir, std::time_t start_time);

  UnixSocketLock(UnixSocketLock&& other) noexcept;
  UnixSocketLock& operator=(UnixSocketLock&&) = delete;
  UnixSocketLock(const UnixSocketLock&) = delete;
  ~UnixSocketLock();

  const std::string& socket_path() const { return socket_path_; }
  const std::string& lock_path() const { return lock_path_; }

 private:
  UnixSocketLock(std::string socket_path, std::string lock_path)
      : socket_path_(std::move(socket_path)), lock_path_(std::move(lock_path)) {}

  std::string socket_path_;  // empty once moved from
  std::string lock_path_;
};

}  // namespace sqlrite::server
