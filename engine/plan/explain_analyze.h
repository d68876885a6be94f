#pragma once
// EXPLAIN ANALYZE of a SELECT as a RowSource: its first pull runs the plan's operators (built
// with counters, engine/exec/instrument.h) to their end, the rows going nowhere, as PostgreSQL
// runs the query; then it hands out the plan's lines with each node's actual figures
// (ExplainPlan) and, with SUMMARY, "Planning Time: ... ms" and "Execution Time: ... ms".
//
// It runs wherever the SELECT would have been pulled: on a snapshot reader's worker thread or
// drained on the engine thread (DrainWithinStatement).

#include <memory>
#include <string>
#include <vector>

#include "engine/exec/instrument.h"
#include "engine/exec/operator_rows.h"
#include "engine/plan/plan.h"
#include "engine/row_source.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine::plan {

class ExplainAnalyzeRows final : public RowSource {
 public:
  // pipeline: plan's operators, built over a ReadContext whose instrument is *instrument.
  // planning_seconds: binding and planning; startup_seconds: building the operators (part of
  // the execution, as PostgreSQL's ExecutorStart).
  ExplainAnalyzeRows(std::unique_ptr<const Plan> plan,
                     std::unique_ptr<exec::Instrumentation> instrument,
                     std::unique_ptr<exec::OperatorRows> pipeline,
                     const ast::ExplainOptions& options, double planning_seconds,
                     double startup_seconds)
      : plan_(std::move(plan)),
        instrument_(std::move(instrument)),
        pipeline_(std::move(pipeline)),
        options_(options),
        planning_seconds_(planning_seconds),
        startup_seconds_(startup_seconds) {}

  Result<size_t> NextBatch(size_t max_rows, std::vector<Row>* out) override;

 private:
  // Declared in the order they must outlive each other: the operators refer to the plan's
  // table definitions and count into the instrumentation.
  std::unique_ptr<const Plan> plan_;
  std::unique_ptr<exec::Instrumentation> instrument_;
  std::unique_ptr<exec::OperatorRows> pipeline_;
  ast::ExplainOptions options_;
  double planning_seconds_;
  double startup_seconds_;
  std::unique_ptr<MaterializedRows> lines_;  // once run
};

// "Planning Time: 0.050 ms", as PostgreSQL's summary prints a duration.
std::string SummaryLine(const char* label, double seconds);

}  // namespace sqlrite::engine::plan
