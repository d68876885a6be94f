#pragma once
// WITH RECURSIVE's operators: RecursiveUnion streams its non-recursive input's rows, then runs
// its recursive term over the rows of the previous iteration (the work table) again and again,
// streaming each iteration's rows, until one yields no row (PostgreSQL's working-table
// iteration). Without ALL a row equal to one produced before (NULLs equal) is dropped, so it is
// neither returned nor iterated on. Rows stream: a LIMIT above stops an endless recursion. The
// loop polls the statement's interrupts per row, so cancel and statement_timeout end one that
// never stops. Each iteration's rows (the next work table) are kept in a RowStore
// (row_store.h): past work_mem they go to a temporary file that the next iteration reads back.
// Without ALL, the keys of the rows seen so far stay in memory (as PostgreSQL 15's hash table).

#include <functional>
#include <memory>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/exec/row_store.h"
#include "engine/types.h"

namespace sqlrite::engine::exec {

using WorkTable = std::shared_ptr<RowStore>;
// Builds the recursive term's operators over one iteration's work table.
using RecursiveTermFactory = std::function<OperatorPtr(WorkTable)>;

// key_types: per column, for the duplicate check without ALL.
OperatorPtr MakeRecursiveUnion(ReadContext& ctx, OperatorPtr non_recursive,
                               RecursiveTermFactory recursive, bool all,
                               std::vector<TypeId> key_types);

// The rows of a work table, copied out.
OperatorPtr MakeWorkTableScan(ReadContext& ctx, WorkTable rows);
// The same over rows fixed before the statement's query runs (plan::WorkTableScan::rows).
OperatorPtr MakeWorkTableScan(ReadContext& ctx, std::shared_ptr<const std::vector<Row>> rows);

}  // namespace sqlrite::engine::exec
