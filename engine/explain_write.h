#pragma once
// EXPLAIN ANALYZE of INSERT, UPDATE and DELETE. The statement runs as it would on the writer
// path (its rows are written, kept or rolled back with its transaction, as PostgreSQL's EXPLAIN
// ANALYZE of a write); its result is the plan PostgreSQL prints for it instead of its command
// tag: a ModifyTable node ("Insert on t", "Update on t a", "Delete on t"; rows: the rows its
// RETURNING gave, else 0) over the node that fed it: an INSERT's Result (one VALUES row or
// DEFAULT VALUES) or Values Scan on "*VALUES*", an UPDATE's or DELETE's scan of its table (the
// access path and filter a SELECT with its WHERE takes, printed by ExplainPlan).
//
// The scan's figures come from a read of the table with the statement's WHERE just before the
// statement's own read, through a SELECT's scan operator with counters, over the same state
// (the write path reads through ScanTable, which counts nothing): the same rows, read twice.

#include <string>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/engine.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// The counted scan of an UPDATE / DELETE of def (alias: as written, empty when none) with
// `where` (null: none): its lines, as a plan's root. Costs, when options ask, are this
// planner's own estimates, as a SELECT's (engine/plan/explain.h).
Result<std::vector<std::string>> AnalyzeWriteScan(exec::ReadContext& ctx, const TableDef& def,
                                                  const std::string& alias, const BoundExpr* where,
                                                  const ast::ExplainOptions& options);

// An INSERT's feeding node: `Result` for one row, `Values Scan on "*VALUES*"` for several.
std::vector<std::string> InsertSourceLines(size_t rows, const ast::ExplainOptions& options,
                                           double seconds);

// The EXPLAIN result of a write: `operation on target` over child (a root plan's lines, put
// under it), returned_rows its rows, then the summary as options ask.
QueryResult ExplainWriteResult(const ast::ExplainOptions& options, const std::string& operation,
                               const std::string& target, size_t returned_rows,
                               const std::vector<std::string>& child, double planning_seconds,
                               double execution_seconds);

}  // namespace sqlrite::engine
