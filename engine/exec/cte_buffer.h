#pragma once
// A materialized WITH query (plan::CteScan whose references share one run): the query runs once
// per execution, however many references read it, as PostgreSQL's CTE Scan over a tuplestore.
// The rows are kept as they are produced: a reader that is ahead of the others pulls the next
// batch from the query and appends it, the others read it from the buffer later. Nothing runs
// before the first reader asks for a row, and the query runs only as far as the furthest reader
// needs (a LIMIT above one reference stops an endless WITH RECURSIVE there too). The rows are
// kept in a RowStore (row_store.h): past work_mem they go to a temporary file, which the readers
// read back, and which goes when the last reader does.
//
// Threading: one buffer belongs to one execution's operators, which one thread pulls at a time.

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "common/error.h"
#include "engine/exec/operator.h"
#include "engine/exec/row_store.h"
#include "engine/exec/spill_file.h"

namespace sqlrite::engine::exec {

class CteBuffer {
 public:
  // settings (the statement's) must outlive the buffer.
  CteBuffer(OperatorPtr source, SpillSettings& settings)
      : source_(std::move(source)), rows_(settings, settings.work_mem) {}

  // Makes rows [0, n) available, running the query as far as needed; false when it ended before
  // (then size() is its row count). An error of the query, or of the temporary file, is
  // returned to every later call.
  Result<bool> Fill(size_t n, size_t batch_rows);
  size_t size() const { return rows_.size(); }
  // Row i (REQUIRES: i < size()); the pointer as RowStore::Get's.
  Result<const Row*> Get(size_t i) { return rows_.Get(i); }

 private:
  OperatorPtr source_;
  RowStore rows_;
  Batch batch_;
  bool done_ = false;
  std::optional<Error> error_;
};

// A reference's rows: the buffer's from the first, copied out.
OperatorPtr MakeCteReader(std::shared_ptr<CteBuffer> buffer);

}  // namespace sqlrite::engine::exec
