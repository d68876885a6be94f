#include "engine/exec/row_store.h"

#include <algorithm>
#include <utility>

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine::exec {

RowStore::RowStore(SpillSettings& settings, size_t budget)
    : settings_(settings),
      budget_(budget),
      block_bytes_(std::max<size_t>(size_t{4} << 10, budget / 64)) {}

Status RowStore::Append(Row row) {
  tail_bytes_ += RowMemory(row);
  tail_.push_back(std::move(row));
  ++size_;
  if (file_ == nullptr) {
    if (tail_bytes_ > budget_ && settings_.can_spill()) return Spill();
    return Ok();
  }
  if (tail_bytes_ >= block_bytes_) return WriteTail();
  return Ok();
}

// Writes the rows held so far as blocks of about block_bytes_ each.
Status RowStore::Spill() {
  SQLRITE_ASSIGN_OR_RETURN(file_, SpillFile::Create(settings_));
  size_t bytes = 0;
  size_t first = 0;
  for (size_t i = 0; i < tail_.size(); ++i) {
    SQLRITE_TRY(file_->Append(tail_[i]));
    bytes += RowMemory(tail_[i]);
    if (bytes >= block_bytes_ || i + 1 == tail_.size()) {
      SQLRITE_TRY(file_->EndRun());
      block_first_.push_back(first);
      first = i + 1;
      bytes = 0;
    }
  }
  tail_ = {};  // its capacity was the whole budget's
  tail_first_ = size_;
  tail_bytes_ = 0;
  return Ok();
}

Status RowStore::WriteTail() {
  for (const Row& row : tail_) SQLRITE_TRY(file_->Append(row));
  SQLRITE_TRY(file_->EndRun());
  block_first_.push_back(tail_first_);
  tail_.clear();
  tail_first_ = size_;
  tail_bytes_ = 0;
  return Ok();
}

Result<const Row*> RowStore::Get(size_t i) {
  SQLRITE_ASSERT(i < size_);
  if (i >= tail_first_) return &tail_[i - tail_first_];
  ++gets_;
  if (last_ != nullptr && i >= last_->first && i - last_->first < last_->rows.size()) {
    last_->used = gets_;
    return &last_->rows[i - last_->first];
  }
  // A cached block holding row i (by its rows' range: no search of block_first_ on a hit).
  Cached* victim = &cache_[0];
  for (Cached& c : cache_) {
    if (c.block != SIZE_MAX && i >= c.first && i - c.first < c.rows.size()) {
      c.used = gets_;
      last_ = &c;
      return &c.rows[i - c.first];
    }
    if (c.used < victim->used) victim = &c;
  }
  const size_t block =
      static_cast<size_t>(std::upper_bound(block_first_.begin(), block_first_.end(), i) -
                          block_first_.begin()) -
      1;
  // The least recently used slot: never one of the last two Gets' (there are more than two).
  last_ = nullptr;
  victim->block = SIZE_MAX;
  const size_t rows = static_cast<size_t>(file_->run_rows(block));
  victim->rows.resize(rows);
  SpillFile::Reader reader = file_->Read(block);
  for (size_t r = 0; r < rows; ++r) {
    SQLRITE_ASSIGN_OR_RETURN(bool has, reader.Next(victim->rows[r]));
    if (!has) {
      return Fail(sqlstate::kIoError, "could not read from temporary file: a block ended early");
    }
  }
  victim->block = block;
  victim->first = block_first_[block];
  victim->used = gets_;
  last_ = victim;
  return &victim->rows[i - victim->first];
}

void RowStore::Clear() {
  file_.reset();  // removes it
  block_first_.clear();
  for (Cached& c : cache_) c = Cached{};
  last_ = nullptr;
  tail_.clear();
  tail_first_ = 0;
  tail_bytes_ = 0;
  size_ = 0;
}

}  // namespace sqlrite::engine::exec
