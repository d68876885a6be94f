#pragma once
// File: the one seam through which storage touches the disk. Every read, write, sync and resize
// of a database file goes through it, so tests can substitute an in-memory file or a
// fault-injecting one (failed writes/fsyncs, dropped unsynced writes, torn pages).
//
// Errors: I/O failures return 58030 (io_error); ENOSPC returns 53100 (disk_full).
// Thread safety: a File is used by one thread at a time, except that ReadAt may run on other
// threads concurrently with any call (snapshot readers, storage/pager.h), and Sync concurrently
// with WriteAt of other regions (the log's group-commit fsync, Pager::BeginSync): the POSIX
// file (pread/pwrite/fdatasync) and the in-memory file (a lock) allow it; the fault-injecting
// files do not (their tests call LogSync::Run on the writer's thread).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::storage {

class File {
 public:
  virtual ~File() = default;

  // Reads exactly out.size() bytes at offset. Reading past the end is an error (58030).
  virtual Status ReadAt(uint64_t offset, std::span<std::byte> out) = 0;
  // Writes all of data at offset, extending the file if needed.
  virtual Status WriteAt(uint64_t offset, std::span<const std::byte> data) = 0;
  // Makes every completed write durable (fdatasync).
  virtual Status Sync() = 0;
  virtual Result<uint64_t> Size() = 0;
  virtual Status Truncate(uint64_t size) = 0;
  // The file's path, for error messages; empty when it has none (in-memory files).
  virtual std::string_view name() const { return {}; }
};

// The Error a failed system call on path becomes: 53100 disk_full for ENOSPC/EDQUOT, 58030
// io_error otherwise, worded as PostgreSQL does ("could not write to file \"x\": ...").
Error IoError(const char* what, const std::string& path, int errno_value);

// How a file is opened: one set of modes for OpenPosixFile and FileSystem::OpenFile (and its
// LockFile).
enum class OpenMode {
  kCreateIfAbsent,  // read-write; a missing file is created
  kMustExist,       // read-write; a missing file is an error (ENOENT), never created
  kCreateNew,       // read-write; the file must not exist yet (O_EXCL)
  kReadOnly,        // O_RDONLY: writes, syncs and truncations fail; nothing is ever created
};

// Whether mode may create the file (so its directory must be synced to make the name durable).
constexpr bool MayCreate(OpenMode mode) {
  return mode == OpenMode::kCreateIfAbsent || mode == OpenMode::kCreateNew;
}

// Opens a regular file with O_CLOEXEC per mode. When mode may create, the directory is synced
// (every time, not only when this call created the file: an earlier creator may have failed to
// sync it), so that the name survives a power cut. Errors keep the operating system's cause
// (58030, 53100 for ENOSPC; the message names the path and strerror). The engine opens files
// through storage::FileSystem (OpenDurably) instead; this is the same on the real disk.
Result<std::unique_ptr<File>> OpenPosixFile(const std::string& path,
                                            OpenMode mode = OpenMode::kCreateIfAbsent);
// The open alone, without the directory sync: FileSystem::OpenFile on the real disk.
Result<std::unique_ptr<File>> OpenPosixFileNoDirSync(const std::string& path, OpenMode mode);
// The open(2) flags of mode, O_CLOEXEC included.
int PosixOpenFlags(OpenMode mode);

// A file that lives in memory; for unit tests.
std::unique_ptr<File> NewMemoryFile();

// fsyncs a directory: makes the names created in or removed from it durable.
Status SyncDirectory(const std::string& dir);

}  // namespace sqlrite::storage
