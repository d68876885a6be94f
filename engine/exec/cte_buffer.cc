#include "engine/exec/cte_buffer.h"

#include <algorithm>
#include <utility>

namespace sqlrite::engine::exec {

Result<bool> CteBuffer::Fill(size_t n, size_t batch_rows) {
  while (rows_.size() < n) {
    if (error_) return Fail(*error_);
    if (done_) return false;
    Result<bool> more = source_->Next(std::max(batch_rows, n - rows_.size()), batch_);
    if (!more) {
      error_ = more.error();
      return Fail(std::move(more.error()));
    }
    if (!*more) {
      done_ = true;
      source_.reset();  // its cursors and pins are released as soon as it ends
      return false;
    }
    for (size_t i = 0; i < batch_.size; ++i) {
      Status added = rows_.Append(std::move(batch_[i]));
      if (!added) {
        error_ = added.error();
        return Fail(std::move(added.error()));
      }
    }
  }
  return true;
}

namespace {

class CteReader final : public Operator {
 public:
  explicit CteReader(std::shared_ptr<CteBuffer> buffer) : buffer_(std::move(buffer)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    // Whether the query ended before position_ + max_rows matters not: the rows decide.
    Result<bool> filled = buffer_->Fill(position_ + max_rows, max_rows);
    if (!filled) return Fail(std::move(filled.error()));
    const size_t end = std::min(buffer_->size(), position_ + max_rows);
    for (; position_ < end; ++position_) {
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, buffer_->Get(position_));
      out.Add() = *row;
    }
    return !out.empty();
  }

 private:
  std::shared_ptr<CteBuffer> buffer_;
  size_t position_ = 0;
};

}  // namespace

OperatorPtr MakeCteReader(std::shared_ptr<CteBuffer> buffer) {
  return std::make_unique<CteReader>(std::move(buffer));
}

}  // namespace sqlrite::engine::exec
