#include "engine/data_dir.h"

#include "storage/file.h"

namespace sqlrite::engine {

Result<std::unique_ptr<DataDirLock>> LockDataDir(const std::string& dir, storage::FileSystem& fs) {
  bool created = false;
  if (auto made = fs.CreateDirs(dir + "/base", &created); !made) {
    return Fail(sqlstate::kIoError,
                "could not create data directory \"" + dir + "\": " + made.error().message);
  }
  if (created) SQLRITE_TRY(fs.SyncDir(dir));  // base/ itself must stay
  auto lock = fs.LockFile(dir + "/sqlrite.lock");
  if (!lock && lock.error().sqlstate == sqlstate::kObjectInUse) {
    return Fail(sqlstate::kObjectInUse,
                "data directory \"" + dir + "\" is in use by another server");
  }
  return lock;
}

storage::Pager::Options PagerOptions(const Cluster::Options& options) {
  storage::Pager::Options out;
  out.cache_bytes = options.cache_bytes;
  out.wal_autocheckpoint_bytes = options.wal_autocheckpoint_bytes;
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
                                                         const storage::Pager::Options& options,
                                                         storage::FileSystem& fs) {
  SQLRITE_ASSIGN_OR_RETURN(auto file, storage::OpenDurably(fs, path));
  SQLRITE_ASSIGN_OR_RETURN(auto wal, storage::OpenDurably(fs, path + "-wal"));
  return storage::Pager::Open(std::move(file), std::move(wal), options);
}

}  // namespace sqlrite::engine
