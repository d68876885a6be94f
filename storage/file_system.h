#pragma once
// FileSystem: the seam through which the engine names files (opens, creates, removes, locks,
// syncs directories), as LevelDB's Env. storage::File is the seam for what happens inside one
// file; together they are every I/O call the server makes on a data directory, so a test can
// substitute a simulated disk that fails any one of them (storage/fault_injection.h).
//
// Errors: as storage::File: 58030 (io_error), 53100 (disk_full) for ENOSPC, worded with the path
// and the operating system's error. A lock held elsewhere is 55006 (object_in_use).
// Thread safety: the Posix implementation is thread-safe; test implementations are not.

#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "storage/file.h"

namespace sqlrite::storage {

// An exclusive lock on a file; released when destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Opens path per mode (storage/file.h). ENOENT (missing file; EEXIST for kCreateNew over an
  // existing one) is a 58030 error naming path. A name it creates is durable only once the
  // directory is synced (SyncDir; OpenDurably does both).
  virtual Result<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) = 0;
  virtual Result<bool> FileExists(const std::string& path) = 0;
  // Removes a file; a missing file is not an error. The removal is durable only once the
  // directory is synced (SyncDir).
  virtual Status RemoveFile(const std::string& path) = 0;
  // fsyncs a directory: makes the names created in or removed from it durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // Creates dir and its missing parents; *created tells whether dir itself was new.
  virtual Status CreateDirs(const std::string& dir, bool* created) = 0;
  // The names (not paths) of the entries of dir, sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  // Takes an exclusive, non-blocking lock on path, opened per mode (kCreateIfAbsent for a
  // server; kReadOnly for a check that must create nothing): flock(LOCK_EX | LOCK_NB). Another
  // holder, in this process or another: 55006.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, OpenMode mode) = 0;
};

// Opens path per mode and, when mode may create (kCreateIfAbsent, kCreateNew), syncs its
// directory every time, not only when this call created the file: an earlier creator (this
// process after a failed directory sync, or a process that crashed before its sync) may have
// left the name not yet durable, and commits acknowledged in a file whose name a power cut takes
// away are lost. kMustExist and kReadOnly open a file whose creator made it durable, and sync
// nothing (a read-only open writes nothing).
Result<std::unique_ptr<File>> OpenDurably(FileSystem& fs, const std::string& path,
                                          OpenMode mode = OpenMode::kCreateIfAbsent);

// The real disk (POSIX calls). Lives for the whole process.
FileSystem& PosixFileSystem();

// The directory part of path ("." when it has none).
std::string DirName(const std::string& path);

}  // namespace sqlrite::storage
