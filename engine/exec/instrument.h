#pragma once
// EXPLAIN ANALYZE's counters: what each plan node's operators did in one execution (rows out,
// loops, time, and the facts PostgreSQL prints under a node: rows a scan's filter removed, how a
// sort sorted, a hash table's batches and memory).
//
// Nothing here runs in an ordinary execution. Instantiate (engine/plan/instantiate.h) wraps a
// node's operator in Instrument's counting operator only when the ReadContext carries an
// Instrumentation (EXPLAIN ANALYZE); otherwise the pipeline is the same objects as before. The
// facts are kept by the operators as part of their work (a member they update once per run or
// per rejected row) and read through Operator::ReportFacts, which only the counting operator
// calls, once per loop (docs/decisions.md, "EXPLAIN ANALYZE's counters").
//
// Loops: an operator is one loop of its node, counted when it is first pulled (PostgreSQL counts
// a loop for a node that was run at least once). A node whose operators are built again for
// each outer row (a LATERAL item, a correlated subquery) has a loop per build; an operator
// never pulled leaves its node "never executed". Single-threaded, as the pipeline it counts.

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "engine/exec/operator.h"

namespace sqlrite::engine::exec {

struct OperatorFacts {
  uint64_t rows_removed = 0;  // rows the operator's own condition rejected (a scan's WHERE)
  uint64_t join_removed = 0;  // a join's pairs of rows its join condition rejected
  // A sort's last run: how it sorted and the memory (in memory) or disk (external merge) used.
  enum class SortMethod : uint8_t { kNone, kQuicksort, kTopN, kExternalMerge };
  SortMethod sort_method = SortMethod::kNone;
  uint64_t sort_bytes = 0;
  // A hash table (aggregate, DISTINCT, a hash join's inner side): whether it was built, its
  // batches (1 + the partitions it spilled to), peak memory, bytes written to its partitions.
  bool hashed = false;
  uint64_t hash_batches = 0;
  uint64_t hash_memory = 0;
  uint64_t hash_disk = 0;
  uint64_t hash_buckets = 0;
  // A hash join's inner rows in its hash table (PostgreSQL's Hash node counts those: not the
  // NULL-keyed rows an inner or left join drops).
  uint64_t hash_rows = 0;
};

struct NodeStats {
  uint64_t rows = 0;   // over every loop
  uint64_t loops = 0;  // loops that ran
  // Seconds over every loop (with timing): until each loop's first row, and in all.
  double startup = 0;
  double total = 0;
  OperatorFacts facts;
};

class Instrumentation {
 public:
  explicit Instrumentation(bool timing) : timing_(timing) {}
  bool timing() const { return timing_; }
  // The stats of the node keyed by node (a plan node's address), made on first use; the
  // reference stays valid while this object lives.
  NodeStats& For(const void* node) { return stats_[node]; }
  // Null when no operator of node was ever built.
  const NodeStats* Find(const void* node) const {
    auto it = stats_.find(node);
    return it == stats_.end() ? nullptr : &it->second;
  }

 private:
  bool timing_;
  std::unordered_map<const void*, NodeStats> stats_;
};

// op wrapped so that its rows and loops (and, with timing, its time) go to stats, and its facts
// at the end of its loop. REQUIRES: stats outlives the returned operator.
OperatorPtr Instrument(OperatorPtr op, NodeStats& stats, bool timing);

}  // namespace sqlrite::engine::exec
