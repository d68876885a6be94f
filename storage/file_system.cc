#include "storage/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "common/sqlstate.h"

namespace sqlrite::storage {

namespace {

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override { ::close(fd_); }  // closing releases the flock
  PosixFileLock(const PosixFileLock&) = delete;
  PosixFileLock& operator=(const PosixFileLock&) = delete;

 private:
  int fd_;
};

// Closes a descriptor on every path out of a function.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

class Posix final : public FileSystem {
 public:
  Result<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) override {
    return OpenPosixFileNoDirSync(path, mode);
  }

  Result<bool> FileExists(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return Fail(IoError("stat", path, errno));
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Fail(IoError("remove", path, errno));
    }
    return Ok();
  }

  Status SyncDir(const std::string& dir) override { return SyncDirectory(dir); }

  Status CreateDirs(const std::string& dir, bool* created) override {
    *created = false;
    if (dir.empty()) return Ok();
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Ok();
      return Fail(IoError("create directory for", dir, ENOTDIR));
    }
    const std::string parent = DirName(dir);
    if (parent != dir && parent != ".") {
      bool parent_created = false;
      SQLRITE_TRY(CreateDirs(parent, &parent_created));
    }
    if (::mkdir(dir.c_str(), 0700) != 0) {
      if (errno == EEXIST) return Ok();
      return Fail(IoError("create directory for", dir, errno));
    }
    *created = true;
    return Ok();
  }

  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return Fail(IoError("open directory for", dir, errno));
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(d)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    const int err = errno;
    ::closedir(d);
    if (err != 0) return Fail(IoError("read directory for", dir, err));
    std::sort(names.begin(), names.end());
    return names;
  }

  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, OpenMode mode) override {
    int fd = ::open(path.c_str(), PosixOpenFlags(mode), 0600);
    if (fd < 0) return Fail(IoError("open", path, errno));
    FdCloser closer(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return Fail(sqlstate::kObjectInUse, "file \"" + path + "\" is locked by another process");
      }
      return Fail(IoError("lock", path, errno));
    }
    return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(closer.release()));
  }
};

}  // namespace

Result<std::unique_ptr<File>> OpenDurably(FileSystem& fs, const std::string& path, OpenMode mode) {
  SQLRITE_ASSIGN_OR_RETURN(auto file, fs.OpenFile(path, mode));
  if (MayCreate(mode)) SQLRITE_TRY(fs.SyncDir(DirName(path)));
  return file;
}

FileSystem& PosixFileSystem() {
  static Posix posix;
  return posix;
}

std::string DirName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace sqlrite::storage
