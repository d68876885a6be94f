#pragma once
// A pipeline as a RowSource (engine/cursor.h): what the SELECT executor returns, and what
// cursors, portals and the simple Query path pull from. Owns the pipeline's ReadContext and its
// root operator, and keeps the DateTimeContext it was built under (the session's TimeZone and
// now()), in scope while it pulls, on whichever thread that is.

#include <memory>
#include <vector>

#include "engine/cursor.h"
#include "engine/datetime_context.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"

namespace sqlrite::engine::exec {

class OperatorRows final : public RowSource {
 public:
  // root must have been built over *context.
  OperatorRows(std::unique_ptr<ReadContext> context, OperatorPtr root)
      : context_(std::move(context)), root_(std::move(root)) {}
  Result<size_t> NextBatch(size_t max_rows, std::vector<Row>* out) override;

 private:
  std::unique_ptr<ReadContext> context_;
  DateTimeContext datetime_ = CurrentDateTime();
  OperatorPtr root_;  // destroyed before context_ (declared after it)
  Batch batch_;
  bool done_ = false;
};

}  // namespace sqlrite::engine::exec
