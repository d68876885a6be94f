#pragma once
// Temporary files for the operators that outgrow work_mem (external sort, hash aggregate and hash
// join batches), as PostgreSQL's buffile.c: rows are written in runs to a file under the data
// directory's base/pgsql_tmp and read back sequentially.
//
// Ownership: a SpillFile removes its file when destroyed, so a file lives exactly as long as the
// operator (and so the statement) that made it: it is gone after the statement's end, an error,
// a cancel (57014) or a disconnect, which all destroy the pipeline. What a crash leaves behind,
// TempSpace::Clear removes when the cluster opens.
//
// Errors: the file system's (58030 io_error, 53100 disk_full for ENOSPC), and 53400 when the
// statement's temporary files would pass temp_file_limit. Never an abort.
//
// Row format (private to this file; nothing outlives the process): per row a u32 length and then
// the row: varint column count, then per value its Datum alternative as one byte and its bytes
// (little-endian integers, varint-prefixed strings, numeric as kind/sign/weight/dscale/digits,
// arrays with their element type, lower bound and elements).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/row_source.h"
#include "storage/file.h"
#include "storage/file_system.h"

namespace sqlrite::engine::exec {

// Where a cluster keeps its temporary files: one directory (<data>/base/pgsql_tmp), created at
// the first spill. Thread-safe: readers on any io thread spill at once (names never collide: a
// process-wide counter).
class TempSpace {
 public:
  TempSpace(storage::FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}
  // Removes every file in the directory (those a crashed server left); a missing directory is
  // fine. Called when the cluster opens, before any session.
  Status Clear();
  // Creates a new, empty file; *path receives its name.
  Result<std::unique_ptr<storage::File>> Create(std::string* path);
  Status Remove(const std::string& path) { return fs_.RemoveFile(path); }
  const std::string& dir() const { return dir_; }
  // How many files the space holds now (for tests: a statement's files are gone after it).
  Result<size_t> FileCount();

 private:
  storage::FileSystem& fs_;
  std::string dir_;
  std::mutex mu_;  // guards dir_made_ (the directory is made once)
  bool dir_made_ = false;
  std::atomic<uint64_t> next_{0};
};

// One statement's memory budget and temporary files (the session's work_mem,
// hash_mem_multiplier and temp_file_limit when the statement began).
struct SpillSettings {
  size_t work_mem = size_t{4} << 20;  // bytes: a sort's in-memory rows
  size_t hash_mem = size_t{8} << 20;  // bytes: a hash table's (work_mem * hash_mem_multiplier)
  // Null: nowhere to spill, the operators keep everything in memory (DML's subqueries, tests).
  TempSpace* space = nullptr;
  int64_t temp_file_limit = -1;  // bytes; -1: none
  int64_t temp_bytes = 0;        // written by this statement's files that still exist

  bool can_spill() const { return space != nullptr; }
};

// The hash that splits spilled rows into partitions by their encoded key: independent for each
// level of repartitioning (a partition that is still too big splits again at level + 1), and of
// the hash tables' own hash.
uint64_t PartitionHash(std::string_view key, unsigned level);

// How many partitions a hash operator splits into: as many as hash_mem / 4 holds write buffers
// (8 kB) for, 4 to 256 (with the default work_mem: 256).
size_t PartitionCount(size_t hash_mem);
// Past this many levels a hash operator stops repartitioning and keeps what remains in memory
// (a partition of one key cannot shrink).
inline constexpr unsigned kMaxSpillLevel = 6;

// An estimate of the memory a row holds (its vector, each Datum, the heap bytes of strings,
// numerics and arrays, with malloc's overhead), for the work_mem accounting.
size_t RowMemory(const Row& row);

// A temporary file of rows in runs. Write a run with Append ... EndRun (as many runs as wanted),
// then read any run with a Reader (several at once). Single-threaded.
class SpillFile {
 public:
  // REQUIRES: settings.can_spill(). settings must outlive the file.
  static Result<std::unique_ptr<SpillFile>> Create(SpillSettings& settings);
  // Create's: takes over an open file at path (of settings.space), which it removes when done.
  SpillFile(SpillSettings& settings, std::unique_ptr<storage::File> file, std::string path)
      : settings_(settings), file_(std::move(file)), path_(std::move(path)) {}
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  Status Append(const Row& row);
  // Ends the run being written (it may be empty) and returns its index.
  Result<size_t> EndRun();
  size_t run_count() const { return runs_.size(); }
  // Rows of run i.
  uint64_t run_rows(size_t i) const { return runs_[i].rows; }
  // Bytes of run i in the file.
  uint64_t run_bytes(size_t i) const { return runs_[i].end - runs_[i].begin; }

  // Reads one run's rows in order through its own buffer. The file must outlive the reader;
  // the run must have ended.
  class Reader {
   public:
    // Replaces row by the next row and returns true; false at the run's end.
    Result<bool> Next(Row& row);

   private:
    friend class SpillFile;
    Reader(SpillFile* file, uint64_t begin, uint64_t end) : file_(file), pos_(begin), end_(end) {}
    SpillFile* file_;
    uint64_t pos_;  // file offset of buffer_'s end
    uint64_t end_;
    std::string buffer_;
    size_t next_ = 0;  // first unread byte of buffer_
  };
  Reader Read(size_t run);

 private:
  Status Flush();

  struct Run {
    uint64_t begin = 0;
    uint64_t end = 0;
    uint64_t rows = 0;
  };
  SpillSettings& settings_;
  std::unique_ptr<storage::File> file_;
  std::string path_;
  std::vector<Run> runs_;
  uint64_t written_ = 0;  // bytes on disk
  uint64_t run_begin_ = 0;
  uint64_t run_rows_ = 0;
  std::string buffer_;  // appended rows not yet written
  std::string row_;     // scratch for one encoded row
};

// The partition files of a hash table that outgrew hash_mem, appended to *partitions: as many
// as each needs to fit when the input's size is known (size_hint bytes; 0: unknown), 2 at least
// and PartitionCount at most (thousands of tiny files cost more than they save).
Status CreatePartitions(SpillSettings& settings, size_t size_hint,
                        std::vector<std::unique_ptr<SpillFile>>* partitions);

}  // namespace sqlrite::engine::exec
