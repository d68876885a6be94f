#pragma once
// The value of one SET item of UPDATE, UPDATE ... FROM and INSERT ... ON CONFLICT DO UPDATE,
// bound once for the statement: DEFAULT is the column's default; anything else is bound by the
// caller's binder (over its scope) and coerced to the column as an assignment.

#include <cstddef>
#include <optional>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/column_defaults.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// column: the target column's position in table. defaults: bound on first use of DEFAULT and
// kept for the statement's other items. Subqueries in the value are made runnable over rctx.
// Errors: 428C9 for a value given to a GENERATED ALWAYS identity column or a generated column,
// and the binding's.
Result<BoundExpr> BindAssignmentValue(const TableDef& table, size_t column, const ast::Expr& value,
                                      Binder& binder, std::optional<ColumnDefaults>& defaults,
                                      exec::ReadContext& rctx);

// 42601 "multiple assignments to same column" when a column appears twice among a SET list's
// target columns (PostgreSQL's rewriter, after every item is analysed).
Status CheckDistinctAssignments(const TableDef& table, const std::vector<size_t>& columns);

}  // namespace sqlrite::engine
