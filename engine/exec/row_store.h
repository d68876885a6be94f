#pragma once
// RowStore: an append-only sequence of rows read by position, as PostgreSQL's tuplestore: kept in
// memory while their estimated size (RowMemory) stays within a budget, then written to a
// temporary file (spill_file.h) in blocks and read back a block at a time. The window
// aggregate keeps a partition here (its frames read rows around the current one) and a
// materialized WITH query its rows (each reference reads them from its own position).
//
// Once spilled, the store holds in memory only the block being appended (the tail) and the
// blocks read back last (kCachedBlocks, least recently used out), so its memory is about a
// quarter of the budget whatever the row count: blocks are budget / 64 bytes of rows (4 kB at
// least), small enough that reading one row of a block not cached decodes a few hundred rows at
// most, and the cache holds as many blocks as a window's positions read at once (its current
// row, frame bounds, lag/lead targets).
// Without a TempSpace (settings.can_spill() false) everything stays in memory.
//
// Pointers: Get's pointer stays valid until the next Append or Clear, or until Get has been
// called for two other blocks: a caller may hold the rows of its last two Get calls at once.
// Errors: the spill file's (53400 temp_file_limit, 53100, 58030). Single-threaded.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/error.h"
#include "engine/exec/spill_file.h"
#include "engine/row_source.h"

namespace sqlrite::engine::exec {

class RowStore {
 public:
  // settings must outlive the store; budget in bytes (the operator's work_mem).
  RowStore(SpillSettings& settings, size_t budget);
  RowStore(const RowStore&) = delete;
  RowStore& operator=(const RowStore&) = delete;

  Status Append(Row row);
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Whether rows went to the file (for tests and EXPLAIN facts).
  bool spilled() const { return file_ != nullptr; }
  // REQUIRES: i < size().
  Result<const Row*> Get(size_t i);
  // Drops every row (and the file): the store is empty and in memory again.
  void Clear();

  static constexpr size_t kCachedBlocks = 16;

 private:
  Status Spill();
  Status WriteTail();

  SpillSettings& settings_;
  size_t budget_;
  size_t block_bytes_;
  size_t size_ = 0;
  // Rows [tail_first_, size_) in memory: all of them until spilled, then the block being filled.
  std::vector<Row> tail_;
  size_t tail_first_ = 0;
  size_t tail_bytes_ = 0;  // RowMemory of tail_
  std::unique_ptr<SpillFile> file_;
  std::vector<size_t> block_first_;  // per run of file_, its first row's position
  struct Cached {
    size_t block = SIZE_MAX;  // SIZE_MAX: empty
    size_t first = 0;         // its first row's position
    uint64_t used = 0;        // the Get count when last read: the smallest goes first
    std::vector<Row> rows;
  };
  Cached cache_[kCachedBlocks];
  Cached* last_ = nullptr;  // the slot of the last cached read (checked first)
  uint64_t gets_ = 0;
};

}  // namespace sqlrite::engine::exec
