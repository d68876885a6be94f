#include "engine/explain_write.h"

#include <cstdio>
#include <optional>
#include <utility>

#include "engine/exec/instrument.h"
#include "engine/functions/builtin.h"
#include "engine/index_path.h"
#include "engine/plan/explain.h"
#include "engine/plan/explain_analyze.h"
#include "engine/plan/instantiate.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

// "  (cost=...) (actual time=...)" of a node run once that gave rows (estimated: estimate).
std::string Figures(const ast::ExplainOptions& options, size_t estimate, size_t rows,
                    double seconds) {
  char buf[128];
  std::string text;
  if (options.costs) {
    std::snprintf(buf, sizeof buf, "  (cost=0.00..%.2f rows=%zu width=0)",
                  static_cast<double>(estimate) * 0.01 + 1, estimate);
    text = buf;
  }
  if (options.timing) {
    std::snprintf(buf, sizeof buf, " (actual time=%.3f..%.3f rows=%zu loops=1)", 1000.0 * seconds,
                  1000.0 * seconds, rows);
  } else {
    std::snprintf(buf, sizeof buf, " (actual rows=%zu loops=1)", rows);
  }
  return text + buf;
}

// A call whose second evaluation differs from the first (random(), nextval(), a subquery that
// may hold one).
bool CallsVolatile(const BoundExpr& e) {
  if (e.kind == ExprKind::kBuiltin && e.builtin != nullptr && e.builtin->is_volatile) return true;
  if (e.kind == ExprKind::kFunc && e.index == static_cast<int>(Func::kGenRandomUuid)) return true;
  if (e.kind == ExprKind::kSubquery) return true;
  for (const BoundExpr& a : e.args) {
    if (CallsVolatile(a)) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<std::string>> AnalyzeWriteScan(exec::ReadContext& ctx, const TableDef& def,
                                                  const std::string& alias, const BoundExpr* where,
                                                  const ast::ExplainOptions& options) {
  // The counted scan evaluates WHERE once more before the statement's own read: a volatile
  // call would run twice (nextval advanced twice, random() counting other rows than it changes).
  if (where != nullptr && CallsVolatile(*where)) {
    return Fail(sqlstate::kFeatureNotSupported,
                "EXPLAIN ANALYZE of UPDATE or DELETE whose WHERE calls a volatile function is not "
                "supported yet");
  }
  // The scan a SELECT of the table with this WHERE plans (planner.cc's MakeScan).
  plan::Plan plan;
  plan.root = std::make_unique<plan::Node>();
  plan::Scan scan;
  scan.table = &def;
  if (alias != def.name) scan.alias = alias;
  if (where != nullptr) {
    scan.filter = *where;
    if (PinsOneRow(def, *where)) {
      scan.path = plan::AccessPath::kPoint;
    } else if ((scan.index = IndexPathFor(def, *where))) {
      scan.path = plan::AccessPath::kIndex;
    } else if (BoundsRowidRange(def, *where)) {
      scan.path = plan::AccessPath::kRowidRange;
    }
  }
  plan.root->op = std::move(scan);
  plan.root->width = def.columns.size();
  exec::Instrumentation instrument(options.timing);
  exec::ReadContext counted{ctx.pages, ctx.interrupts, ctx.spill};
  counted.instrument = &instrument;
  {
    exec::OperatorPtr root = plan::Instantiate(*plan.root, counted);
    exec::Batch batch;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, root->Next(exec::kBatchRows, batch));
      if (!more) break;
    }
  }
  return plan::ExplainPlan(plan, options.costs, &instrument);
}

std::vector<std::string> InsertSourceLines(size_t rows, const ast::ExplainOptions& options,
                                           double seconds) {
  return {(rows == 1 ? std::string("Result") : std::string("Values Scan on \"*VALUES*\"")) +
          Figures(options, rows, rows, seconds)};
}

QueryResult ExplainWriteResult(const ast::ExplainOptions& options, const std::string& operation,
                               const std::string& target, size_t returned_rows,
                               const std::vector<std::string>& child, double planning_seconds,
                               double execution_seconds) {
  QueryResult result;
  result.returns_rows = true;
  result.columns = {ColumnInfo{"QUERY PLAN", TypeId::kText, -1}};
  result.command_tag = "EXPLAIN";
  auto line = [&](std::string text) { result.rows.push_back(Row{Datum(std::move(text))}); };
  line(operation + " on " + target + Figures(options, 0, returned_rows, execution_seconds));
  // The child goes under the ModifyTable node: its root at indent 1 ("  ->  "), everything
  // else six columns further right, as PostgreSQL indents a child's subtree.
  for (size_t i = 0; i < child.size(); ++i) {
    line((i == 0 ? "  ->  " : "      ") + child[i]);
  }
  if (options.summary) {
    line(plan::SummaryLine("Planning Time", planning_seconds));
    line(plan::SummaryLine("Execution Time", execution_seconds));
  }
  return result;
}

}  // namespace sqlrite::engine
