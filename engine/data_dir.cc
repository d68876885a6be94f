#include "engine/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "storage/file.h"

namespace sqlrite::engine {

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<DataDirLock>> LockDataDir(const std::string& dir) {
  std::error_code ec;
  const bool created = std::filesystem::create_directories(dir + "/base", ec);
  if (ec) {
    return Fail(sqlstate::kIoError,
                "could not create data directory \"" + dir + "\": " + ec.message());
  }
  if (created) SQLRITE_TRY(storage::SyncDirectory(dir));  // base/ itself must stay
  const std::string lock_path = dir + "/sqlrite.lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(sqlstate::kIoError, "could not open lock file \"" + lock_path + "\"");
  auto lock = std::make_unique<DataDirLock>(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    return Fail(sqlstate::kObjectInUse,
                "data directory \"" + dir + "\" is in use by another server");
  }
  return lock;
}

storage::Pager::Options PagerOptions(const Cluster::Options& options) {
  storage::Pager::Options out;
  out.cache_bytes = options.cache_bytes;
  switch (options.synchronous) {
    case Cluster::Options::Synchronous::kOff:
      out.synchronous = storage::Pager::Synchronous::kOff;
      break;
    case Cluster::Options::Synchronous::kNormal:
      out.synchronous = storage::Pager::Synchronous::kNormal;
      break;
    case Cluster::Options::Synchronous::kFull:
      out.synchronous = storage::Pager::Synchronous::kFull;
      break;
  }
  return out;
}

Result<std::unique_ptr<storage::Pager>> OpenPagerWithWal(const std::string& path,
                                                         const storage::Pager::Options& options) {
  SQLRITE_ASSIGN_OR_RETURN(auto file, storage::OpenPosixFile(path));
  SQLRITE_ASSIGN_OR_RETURN(auto wal, storage::OpenPosixFile(path + "-wal"));
  return storage::Pager::Open(std::move(file), std::move(wal), options);
}

}  // namespace sqlrite::engine
