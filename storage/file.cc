#include "storage/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "common/sqlstate.h"
#include "storage/file_system.h"

namespace sqlrite::storage {

Error IoError(const char* what, const std::string& path, int errno_value) {
  std::string message =
      std::string("could not ") + what + " file \"" + path + "\": " + std::strerror(errno_value);
  if (errno_value == ENOSPC || errno_value == EDQUOT) {
    return Error(sqlstate::kDiskFull, std::move(message)).WithHint("Check free disk space.");
  }
  return {sqlstate::kIoError, std::move(message)};
}

namespace {

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixFile() override { ::close(fd_); }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;
  [[nodiscard]] std::string_view name() const override { return path_; }

  Status ReadAt(uint64_t offset, std::span<std::byte> out) override {
    size_t done = 0;
    while (done < out.size()) {
      ssize_t n =
          ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(IoError("read", path_, errno));
      }
      if (n == 0) {
        return Fail(sqlstate::kIoError, "could not read file \"" + path_ + "\": read only " +
                                            std::to_string(done) + " of " +
                                            std::to_string(out.size()) + " bytes at offset " +
                                            std::to_string(offset));
      }
      done += static_cast<size_t>(n);
    }
    return Ok();
  }

  Status WriteAt(uint64_t offset, std::span<const std::byte> data) override {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n =
          ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(IoError("write to", path_, errno));
      }
      done += static_cast<size_t>(n);
    }
    return Ok();
  }

  Status Sync() override {
    while (::fdatasync(fd_) != 0) {
      if (errno != EINTR) return Fail(IoError("fsync", path_, errno));
    }
    return Ok();
  }

  Result<uint64_t> Size() override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return Fail(IoError("stat", path_, errno));
    return static_cast<uint64_t>(st.st_size);
  }

  Status Truncate(uint64_t size) override {
    while (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
      if (errno != EINTR) return Fail(IoError("truncate", path_, errno));
    }
    return Ok();
  }

 private:
  int fd_;
  std::string path_;
};

// Locked, so that snapshot readers may read it while the writer writes (as pread/pwrite allow).
class MemoryFile final : public File {
 public:
  Status ReadAt(uint64_t offset, std::span<std::byte> out) override {
    std::lock_guard lock(mu_);
    if (offset > bytes_.size() || bytes_.size() - offset < out.size()) {
      return Fail(sqlstate::kIoError, "could not read memory file: read past the end at offset " +
                                          std::to_string(offset));
    }
    std::memcpy(out.data(), bytes_.data() + offset, out.size());
    return Ok();
  }
  Status WriteAt(uint64_t offset, std::span<const std::byte> data) override {
    std::lock_guard lock(mu_);
    if (bytes_.size() < offset + data.size()) bytes_.resize(offset + data.size());
    std::memcpy(bytes_.data() + offset, data.data(), data.size());
    return Ok();
  }
  Status Sync() override { return Ok(); }
  Result<uint64_t> Size() override {
    std::lock_guard lock(mu_);
    return uint64_t{bytes_.size()};
  }
  Status Truncate(uint64_t size) override {
    std::lock_guard lock(mu_);
    bytes_.resize(size);
    return Ok();
  }

 private:
  std::mutex mu_;
  std::vector<std::byte> bytes_;
};

}  // namespace

Status SyncDirectory(const std::string& dir) {
  const std::string path = dir.empty() ? std::string(".") : dir;
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(IoError("open", path, errno));
  int rc;
  while ((rc = ::fsync(fd)) != 0 && errno == EINTR) {
  }
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Fail(IoError("fsync", path, err));
  return Ok();
}

int PosixOpenFlags(OpenMode mode) {
  switch (mode) {
    case OpenMode::kCreateIfAbsent:
      return O_RDWR | O_CREAT | O_CLOEXEC;
    case OpenMode::kMustExist:
      return O_RDWR | O_CLOEXEC;
    case OpenMode::kCreateNew:
      return O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC;
    case OpenMode::kReadOnly:
      return O_RDONLY | O_CLOEXEC;
  }
  return O_RDONLY | O_CLOEXEC;
}

Result<std::unique_ptr<File>> OpenPosixFileNoDirSync(const std::string& path, OpenMode mode) {
  int fd = ::open(path.c_str(), PosixOpenFlags(mode), 0600);
  if (fd < 0) return Fail(IoError("open", path, errno));
  return std::unique_ptr<File>(std::make_unique<PosixFile>(fd, path));
}

Result<std::unique_ptr<File>> OpenPosixFile(const std::string& path, OpenMode mode) {
  return OpenDurably(PosixFileSystem(), path, mode);
}

std::unique_ptr<File> NewMemoryFile() { return std::make_unique<MemoryFile>(); }

}  // namespace sqlrite::storage
