#pragma once
// A pipeline as a RowSource (engine/cursor.h): what the SELECT executor returns, and what
// cursors, portals and the simple Query path pull from. Owns the pipeline's ReadContext and its
// root operator, and keeps the DateTimeContext it was built under (the session's TimeZone and
// now()) and the session's locals (random()'s generator), in scope while it pulls, on whichever
// thread that is. A prepared statement's kept pipeline (kept_pipeline.h) goes back to its slot,
// rewound, when these rows are destroyed, unless a pull failed.

#include <memory>
#include <vector>

#include "engine/catalog/system_source.h"
#include "engine/cursor.h"
#include "engine/datetime_context.h"
#include "engine/exec/kept_pipeline.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/session_locals.h"

namespace sqlrite::engine::exec {

class OperatorRows final : public RowSource {
 public:
  // root must have been built over *context.
  OperatorRows(std::unique_ptr<ReadContext> context, OperatorPtr root)
      : context_(std::move(context)), root_(std::move(root)) {}
  // A kept pipeline, its pages targeting this execution's and its tree ready to run: given back
  // to slot when these rows are destroyed.
  OperatorRows(std::unique_ptr<KeptPipeline> kept, std::weak_ptr<KeptPipelineSlot> slot);
  ~OperatorRows() override;
  OperatorRows(const OperatorRows&) = delete;
  OperatorRows& operator=(const OperatorRows&) = delete;

  Result<size_t> NextBatch(size_t max_rows, std::vector<Row>* out) override;

  // Keeps the system source the statement's binding built (engine/catalog/system_source.h), in
  // scope while rows are pulled, and gives the result columns of a reg* type (regclass,
  // regproc, regnamespace, regrole) their names, as their output functions would: the names
  // are known here, where the statement's catalog is, and not where rows are encoded.
  void SetSystemSource(std::shared_ptr<const catalog::SystemSource> source,
                       const std::vector<ColumnInfo>& columns);

 private:
  // A kept pipeline's shell (its pages; its context and root are moved into context_ and root_
  // while it runs), and where it goes back. Declared first: its pages outlive the context.
  std::unique_ptr<KeptPipeline> kept_;
  std::weak_ptr<KeptPipelineSlot> slot_;
  bool failed_ = false;  // a pull failed or threw: the tree's state is not trusted again
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
