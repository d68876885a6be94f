#pragma once
// A pipeline as a RowSource (engine/cursor.h): what the SELECT executor returns, and what
// cursors, portals and the simple Query path pull from. Owns the pipeline's ReadContext and its
// root operator, and keeps the DateTimeContext it was built under (the session's TimeZone and
// now()) and the session's locals (random()'s generator), in scope while it pulls, on whichever
// thread that is.

#include <memory>
#include <vector>

#include "engine/catalog/system_source.h"
#include "engine/cursor.h"
#include "engine/datetime_context.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/session_locals.h"

namespace sqlrite::engine::exec {

class OperatorRows final : public RowSource {
 public:
  // root must have been built over *context.
  OperatorRows(std::unique_ptr<ReadContext> context, OperatorPtr root)
      : context_(std::move(context)), root_(std::move(root)) {}
  Result<size_t> NextBatch(size_t max_rows, std::vector<Row>* out) override;

  // Keeps the system source the statement's binding built (engine/catalog/system_source.h), in
  // scope while rows are pulled, and gives the result columns of a reg* type (regclass,
  // regproc, regnamespace, regrole) their names, as their output functions would: the names
  // are known here, where the statement's catalog is, and not where rows are encoded.
  void SetSystemSource(std::shared_ptr<const catalog::SystemSource> source,
                       const std::vector<ColumnInfo>& columns);

 private:
  std::unique_ptr<ReadContext> context_;
  DateTimeContext datetime_ = CurrentDateTime();
  std::shared_ptr<SessionLocals> locals_ = CurrentSessionLocalsShared();
  std::shared_ptr<const catalog::SystemSource> system_;
  std::vector<std::pair<size_t, TypeId>> reg_columns_;
  OperatorPtr root_;  // destroyed before context_ (declared after it)
  Batch batch_;
  bool done_ = false;
};

}  // namespace sqlrite::engine::exec
