#pragma once
// What operators may read: the pages of one consistent state of the database and the statement's
// interrupt poll (and where operators that outgrow work_mem write their rows). Nothing else of
// Database (its writer, its catalog cache) is reachable from a pipeline: `pages` is the writer's
// Pager or a reader's storage::ReadSnapshot, and the TableDefs the operators hold come from the
// catalog of that same state (engine/snapshot_read.h).
//
// Lifetime: the context, the pages and every TableDef an operator holds must outlive the
// pipeline (OperatorRows owns its context; the TableDefs are the catalog's, which does not change
// during the statement).

#include "engine/exec/spill_file.h"
#include "engine/interrupt.h"

namespace sqlrite::storage {
class PageSource;
}

namespace sqlrite::engine::exec {

class Instrumentation;

struct ReadContext {
  storage::PageSource& pages;
  // Polled per row read or produced by the operators that can run long; the statement's flags.
  InterruptCheck interrupts;
  // The statement's work_mem and temporary files (sort, aggregate and hash join spill there).
  SpillSettings spill = {};
  // EXPLAIN ANALYZE: where the operators built over this context count their work
  // (instrument.h); null otherwise, and then nothing counts.
  Instrumentation* instrument = nullptr;
  // The database the pages are of, for the scans' counts in pg_stat_all_tables
  // (engine/table_stats.h); 0: not counted.
  uint32_t database_oid = 0;
};

}  // namespace sqlrite::engine::exec
