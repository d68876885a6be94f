#pragma once
// RowSource: rows in order, a batch at a time -- what a SELECT's pipeline, a cursor, a portal and
// a snapshot read hand out -- and MaterializedRows, a result computed in full.

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "common/error.h"
#include "engine/value.h"

namespace sqlrite::engine {

using Row = std::vector<Datum>;

// Rows in order, a batch at a time.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Appends at most max_rows (> 0) next rows to *out; returns how many it appended, 0 at the end
  // (and at every call after it).
  virtual Result<size_t> NextBatch(size_t max_rows, std::vector<Row>* out) = 0;
};

// A result computed in full: hands its rows out (moved, not copied). Defined here, header-only,
// so the server's portals can hold one without linking the engine (session_test does not).
class MaterializedRows final : public RowSource {
 public:
  explicit MaterializedRows(std::vector<Row> rows) : rows_(std::move(rows)) {}
  Result<size_t> NextBatch(size_t max_rows, std::vector<Row>* out) override {
    const size_t n = std::min(max_rows, rows_.size() - next_);
    for (size_t i = 0; i < n; ++i) out->push_back(std::move(rows_[next_ + i]));
    next_ += n;
    if (next_ == rows_.size()) {
      std::vector<Row>().swap(rows_);  // every row handed out: the vector's memory goes too
      next_ = 0;
    }
    return n;
  }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
};

}  // namespace sqlrite::engine
