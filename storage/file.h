#pragma once
// File: the one seam through which storage touches the disk. Every read, write, sync and resize
// of a database file goes through it, so tests can substitute an in-memory file or a
// fault-injecting one (failed writes/fsyncs, dropped unsynced writes, torn pages).
//
// Errors: I/O failures return 58030 (io_error); ENOSPC returns 53100 (disk_full).
// Thread safety: none; a File is used by one thread at a time.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

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
};

// The Error a failed system call on path becomes: 53100 disk_full for ENOSPC/EDQUOT, 58030
// io_error otherwise, worded as PostgreSQL does ("could not write to file \"x\": ...").
Error IoError(const char* what, const std::string& path, int errno_value);

// Opens (creating if absent) a regular file with O_CLOEXEC and syncs its directory, so that the
// name survives a power cut (every time: an earlier creator may have failed to sync it).
Result<std::unique_ptr<File>> OpenPosixFile(const std::string& path);
// Opens an existing regular file (ENOENT is an error); read_only opens it O_RDONLY, so writes
// fail with EBADF.
Result<std::unique_ptr<File>> OpenExistingPosixFile(const std::string& path, bool read_only);
// A File owning an open descriptor of path.
std::unique_ptr<File> AdoptPosixFile(int fd, const std::string& path);

// A file that lives in memory; for unit tests.
std::unique_ptr<File> NewMemoryFile();

// fsyncs a directory: makes the names created in or removed from it durable.
Status SyncDirectory(const std::string& dir);

}  // namespace sqlrite::storage
