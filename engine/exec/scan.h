#pragma once
// Leaf operators: a table's rows (TableScan) and the one empty row of a SELECT without FROM.

#include <memory>
#include <optional>

#include "engine/catalog.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"
#include "engine/index_path.h"

namespace sqlrite::engine::exec {

// The rows of table satisfying `where` (bound over the table's columns; nullopt: every row),
// through the access path TableReader (engine/table_access.h) picks from `where` and `index`
// (the planner's IndexPathFor): a point lookup, an index path (rows in index key order), a rowid
// range or the whole table (rowid order). The predicate is applied by the reader as it decodes
// (TableReader::set_filter: a row that fails it costs only its predicate's columns and no batch
// slot). Polls ctx's interrupts per row.
// needed: the columns decoded (plan::Scan::needed; empty: all). backward: the path's rows in
// descending key order (TableReader::set_backward).
OperatorPtr MakeTableScan(ReadContext& ctx, const TableDef& table, std::optional<BoundExpr> where,
                          std::optional<IndexPath> index = std::nullopt,
                          std::vector<bool> needed = {}, bool backward = false);

// A system relation's rows (engine/catalog/system_relation.h: table->system_rows, produced when
// the scan opens) satisfying `where`. The scan owns the definition, which its plan made.
OperatorPtr MakeSystemScan(ReadContext& ctx, std::shared_ptr<const TableDef> table,
                           std::optional<BoundExpr> where);

// One row with no columns (FROM-less SELECT), then the end.
OperatorPtr MakeSingleRow();

}  // namespace sqlrite::engine::exec
