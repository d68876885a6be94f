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
  enum class OpenMode {
    kReadWrite,  // the file must exist
    kCreate,     // read-write, created if absent; the caller syncs the directory (see
                 // OpenDurably) to make a new name durable
    kReadOnly,   // the file must exist; writes, syncs and truncation fail
  };

  virtual ~FileSystem() = default;

  // Opens path. ENOENT (missing file) is a 58030 error naming path.
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
  // Takes an exclusive, non-blocking lock on path (created if absent): flock(LOCK_EX | LOCK_NB).
  // Another holder, in this process or another: 55006.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) = 0;
};

// Opens path read-write, creating it if absent, and syncs its directory every time, not only when
// this call created it: an earlier creator (this process after a failed directory sync, or a
// process that crashed before its sync) may have left the name not yet durable, and commits
// acknowledged in a file whose name a power cut takes away are lost.
Result<std::unique_ptr<File>> OpenDurably(FileSystem& fs, const std::string& path);

// The real disk (POSIX calls). Lives for the whole process.
FileSystem& PosixFileSystem();

// The directory part of path ("." when it has none).
std::string DirName(const std::string& path);

}  // namespace sqlrite::storage
