#include "server/unix_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/sqlstate.h"

namespace sqlrite::server {
namespace {

std::string Errno() { return std::strerror(errno); }

// The pid in a lock file's first line; 0 when there is none (empty or unreadable); -1 when the
// file vanished meanwhile (another server's shutdown: try again).
long ReadLockPid(const std::string& path, bool& vanished) {
  std::ifstream in(path);
  vanished = !in && errno == ENOENT;
  if (!in) return 0;
  std::string line;
  if (!std::getline(in, line) || line.empty()) return 0;
  char* end = nullptr;
  long pid = std::strtol(line.c_str(), &end, 10);
  if (end == line.c_str()) return 0;
  return pid < 0 ? -pid : pid;  // PostgreSQL writes -pid for a standalone backend
}

bool ProcessAlive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH; }

}  // namespace

std::string UnixSocketPath(const std::string& dir, uint16_t port) {
  return dir + "/.s.PGSQL." + std::to_string(port);
}

Result<UnixSocketLock> UnixSocketLock::Acquire(const std::string& dir, uint16_t port,
                                               const std::string& data_dir,
                                               std::time_t start_time) {
  std::string socket_path = UnixSocketPath(dir, port);
  if (socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    return Fail(sqlstate::kInvalidParameterValue,
                "Unix-domain socket path \"" + socket_path + "\" is too long (maximum " +
                    std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes)");
  }
  std::string lock_path = socket_path + ".lock";
  const pid_t self = ::getpid();
  int fd = -1;
  // As CreateLockFile: a few rounds, since a competitor may create or remove the file meanwhile.
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) break;
    if (errno != EEXIST && errno != EACCES) {
      return Fail(sqlstate::kIoError,
                  "could not create lock file \"" + lock_path + "\": " + Errno());
    }
    bool vanished = false;
    long other = ReadLockPid(lock_path, vanished);
    if (vanished) continue;
    if (other == 0) {
      return Fail(Error(sqlstate::kLockFileExists, "lock file \"" + lock_path + "\" is empty")
                      .WithHint("Either another server is starting, or the lock file is the "
                                "remnant of a previous server startup crash."));
    }
    if (other != self && other != ::getppid() && ProcessAlive(other)) {
      return Fail(Error(sqlstate::kLockFileExists, "lock file \"" + lock_path + "\" already exists")
                      .WithHint("Is another server (PID " + std::to_string(other) +
                                ") using socket file \"" + socket_path + "\"?"));
    }
    // Its owner is gone: the file is stale.
    if (::unlink(lock_path.c_str()) != 0 && errno != ENOENT) {
      return Fail(sqlstate::kIoError,
                  "could not remove old lock file \"" + lock_path + "\": " + Errno());
    }
  }
  if (fd < 0) {
    return Fail(sqlstate::kIoError, "could not create lock file \"" + lock_path + "\"");
  }
  std::ostringstream text;
  text << self << '\n' << data_dir << '\n' << start_time << '\n' << port << '\n' << dir << '\n';
  const std::string content = text.str();
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(lock_path.c_str());
    return Fail(sqlstate::kIoError,
                "could not write lock file \"" + lock_path + "\": " + std::strerror(write_errno));
  }
  // We hold the interlock: a socket file left by a dead server goes, so bind() can succeed.
  if (::unlink(socket_path.c_str()) != 0 && errno != ENOENT) {
    const std::string reason = Errno();
    ::unlink(lock_path.c_str());
    return Fail(sqlstate::kIoError,
                "could not remove old socket file \"" + socket_path + "\": " + reason);
  }
  return UnixSocketLock(std::move(socket_path), std::move(lock_path));
}

UnixSocketLock::UnixSocketLock(UnixSocketLock&& other) noexcept
    : socket_path_(std::move(other.socket_path_)), lock_path_(std::move(other.lock_path_)) {
  other.socket_path_.clear();
  other.lock_path_.clear();
}

UnixSocketLock::~UnixSocketLock() {
  if (socket_path_.empty()) return;
  ::unlink(socket_path_.c_str());
  ::unlink(lock_path_.c_str());
}

}  // namespace sqlrite::server
