#pragma once
// The layout of a data directory, shared by the Cluster and the offline check:
//
//   <data>/sqlrite.lock              flock(LOCK_EX | LOCK_NB) held while a Cluster or a check
//                                    uses the directory
//   <data>/global.sqlrite[-wal]      roles (tree at MetaSlot::kCatalogRoot: name -> "") and the
//                                    database list (tree at kUser1: name -> oid, 4 bytes LE);
//                                    kUser2 holds the next database oid
//   <data>/base/<oid>.sqlrite[-wal]  one file (and its write-ahead log) per database, named by
//                                    oid so no user text reaches a path

#include <cstdint>
#include <memory>
#include <string>

#include "common/error.h"
#include "engine/engine.h"
#include "storage/btree.h"
#include "storage/file_system.h"
#include "storage/pager.h"

namespace sqlrite::engine {

inline constexpr uint32_t kFirstDatabaseOid = 16384;

// The directory's lock; destroying it releases the flock.
using DataDirLock = storage::FileLock;

// The file system a Cluster's options name (Options::file_system), the real disk by default.
inline storage::FileSystem& FileSystemOf(const Cluster::Options& options) {
  return options.file_system != nullptr ? *options.file_system : storage::PosixFileSystem();
}

// Creates dir (and dir/base) if needed and takes its lock. Errors: 58030, 55006 when another
// process or Cluster holds it.
Result<std::unique_ptr<DataDirLock>> LockDataDir(
    const std::string& dir, storage::FileSystem& fs = storage::PosixFileSystem());

storage::Pager::Options PagerOptions(const Cluster::Options& options);

// Opens a database file with its log (path + "-wal"); recovery runs here.
Result<std::unique_ptr<storage::Pager>> OpenPagerWithWal(
    const std::string& path, const storage::Pager::Options& options,
    storage::FileSystem& fs = storage::PosixFileSystem());

inline std::string GlobalPath(const std::string& dir) { return dir + "/global.sqlrite"; }
inline std::string DatabasePath(const std::string& dir, uint32_t oid) {
  return dir + "/base/" + std::to_string(oid) + ".sqlrite";
}

inline storage::BTree RolesTree(storage::Pager& global) {
  return storage::BTree(global, global.GetMeta(storage::MetaSlot::kCatalogRoot));
}
inline storage::BTree DatabasesTree(storage::Pager& global) {
  return storage::BTree(global, global.GetMeta(storage::MetaSlot::kUser1));
}

}  // namespace sqlrite::engine
