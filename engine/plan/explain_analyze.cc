#include "engine/plan/explain_analyze.h"

#include <chrono>
#include <cstdio>
#include <utility>

#include "engine/plan/explain.h"

namespace sqlrite::engine::plan {

std::string SummaryLine(const char* label, double seconds) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s: %.3f ms", label, 1000.0 * seconds);
  return buf;
}

Result<size_t> ExplainAnalyzeRows::NextBatch(size_t max_rows, std::vector<Row>* out) {
  if (lines_ == nullptr) {
    const auto begin = std::chrono::steady_clock::now();
    std::vector<Row> discarded;
    for (;;) {
      discarded.clear();
      SQLRITE_ASSIGN_OR_RETURN(size_t n, pipeline_->NextBatch(exec::kBatchRows, &discarded));
      if (n == 0) break;
    }
    pipeline_.reset();  // its operators' last facts (ReportFacts) are in before the plan prints
    const double execution =
        startup_seconds_ +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::vector<Row> rows;
    for (std::string& line : ExplainPlan(*plan_, options_.costs, instrument_.get())) {
      rows.push_back(Row{Datum(std::move(line))});
    }
    if (options_.summary) {
      rows.push_back(Row{Datum(SummaryLine("Planning Time", planning_seconds_))});
      rows.push_back(Row{Datum(SummaryLine("Execution Time", execution))});
    }
    lines_ = std::make_unique<MaterializedRows>(std::move(rows));
  }
  return lines_->NextBatch(max_rows, out);
}

}  // namespace sqlrite::engine::plan
