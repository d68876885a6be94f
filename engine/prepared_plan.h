#pragma once
// A prepared SELECT's plan kept across its executions (the extended query protocol's Execute):
// bound once with its $n as run-time references (ExprKind::kParam, engine/params.h), planned
// once, and instantiated by each Execute with that Execute's values (plan::Instantiate puts them
// in the operators' copies of the expressions). Choices that depend on a value are made per
// execution: a scan's reader picks its point lookup or rowid range from its filter once the
// values are in (exec::MakeTableScan), so the plan is right for every value.
//
// Validity: the plan names TableDefs of the catalog it was bound against. The entry holds that
// catalog (a shared_ptr), so they never dangle, and an execution whose snapshot shows another
// catalog object binds and plans again: readers share one catalog object per schema version
// (Database::BeginRead), so any committed DDL since (DROP, CREATE, ALTER) means another object.
// Names are resolved through the session's search_path (engine/search_path.h): the entry records
// the setting it was bound under and an execution under another setting binds again, as
// PostgreSQL re-plans a cached plan whose search_path changed.
// A statement whose analysis needed a parameter's value (LIMIT $1 and OFFSET $1 are evaluated
// while binding) is not kept: that plan serves its one execution.
//
// Threading: one per prepared statement of one session, used only where that session's
// statements start (never two at once). A stored plan is never written again; each execution's
// operators own copies of its expressions, so a pipeline still running on another thread shares
// nothing mutable with the next Execute. Those operators, once the pipeline ends, wait in the
// entry's slot for the next Execute, which rewinds them rather than instantiating the plan
// again (engine/exec/kept_pipeline.h); the slot hands each tree to one execution at a time.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/catalog.h"
#include "engine/catalog/system_source.h"
#include "engine/exec/kept_pipeline.h"
#include "engine/plan/plan.h"

namespace sqlrite::engine {

class PreparedPlan {
 public:
  struct Entry {
    std::shared_ptr<const Catalog> catalog;  // what plan was bound against, kept alive
    plan::Plan plan;
    bool backward_scan = false;  // as SelectPipeline's
    bool bounded = false;
    // The catalogs' source its binding built (engine/catalog/system_source.h); such a plan is
    // never kept (its rows show one moment's settings and roles).
    std::shared_ptr<const catalog::SystemSource> system;
    std::string search_path;  // the setting names were resolved under
    // The plan's operators between Executes (engine/exec/kept_pipeline.h); null for a plan
    // that serves one execution. Declared last: an idle tree goes before the catalog whose
    // TableDefs it names.
    std::shared_ptr<exec::KeptPipelineSlot> kept;
  };

  // A prepared UPDATE's SET values and WHERE, or a prepared one-row INSERT ... VALUES' values,
  // bound once with $n as references (engine/executor_dml.cc): each Execute copies them and puts
  // its values in, instead of binding again (~7,000 instructions an UPDATE of pgbench's
  // read-write script). Valid while the writer's state has the shapes of `catalog`
  // (Database::SharedCatalogForWriter, which returns one catalog object per committed schema
  // version, kept alive here so that the pointer cannot be reused), under the same settings
  // (Session::settings_version: binding folds constants with TimeZone, DateStyle, search_path),
  // for the same table. Only plain statements are kept: no WITH, FROM, RETURNING, ON CONFLICT,
  // EXPLAIN or subquery, no value read while binding, no big constant.
  struct BoundWrite {
    char kind = 0;  // 'U': UPDATE, 'I': INSERT
    std::shared_ptr<const Catalog> catalog;
    uint64_t settings_version = 0;
    uint32_t table_oid = 0;
    std::vector<std::pair<size_t, BoundExpr>> values;  // (column, SET value or VALUES item)
    std::optional<BoundExpr> where;                    // UPDATE's
  };
  const BoundWrite* FindBoundWrite(char kind, const Catalog* catalog, uint64_t settings_version,
                                   uint32_t table_oid) const {
    return bound_write_ && bound_write_->kind == kind && bound_write_->catalog.get() == catalog &&
                   bound_write_->settings_version == settings_version &&
                   bound_write_->table_oid == table_oid
               ? &*bound_write_
               : nullptr;
  }
  void StoreBoundWrite(BoundWrite bound) {
    bound_write_.reset();
    bound_write_.emplace(std::move(bound));
    ++write_bindings_;
  }
  void ClearBoundWrite() { bound_write_.reset(); }
  // How many bindings of an UPDATE or INSERT were kept (tests count the re-bindings).
  int write_bindings() const { return write_bindings_; }

  // The plan bound against catalog under search_path, or null when there is none (never built,
  // or built against another catalog or path).
  const Entry* Find(const Catalog* catalog, std::string_view search_path) const {
    return entry_ && entry_->catalog.get() == catalog && entry_->search_path == search_path
               ? &*entry_
               : nullptr;
  }
  const Entry& Store(Entry entry) {
    // Not a move-assignment, which would release the old catalog before the old entry's idle
    // tree (member by member, in declaration order): the whole old entry goes first.
    entry_.reset();
    entry_.emplace(std::move(entry));
    ++builds_;
    return *entry_;
  }
  void Clear() { entry_.reset(); }
  // StatementQualifiesForSnapshotRead's answer for the prepared statement, once asked
  // (engine/snapshot_read.h): kept whatever the catalog, since it reads the tree only.
  std::optional<bool>& statement_reads_on_snapshot() { return reads_on_snapshot_; }
  // How many plans were stored: what a test of reuse counts.
  int builds() const { return builds_; }
  // How many Executes rewound the kept plan's operators rather than building them (tests).
  int pipeline_reuses() const {
    return entry_ && entry_->kept != nullptr ? entry_->kept->reuses() : 0;
  }
  bool holds() const { return entry_.has_value(); }

 private:
  std::optional<Entry> entry_;
  std::optional<bool> reads_on_snapshot_;
  std::optional<BoundWrite> bound_write_;
  int write_bindings_ = 0;
  int builds_ = 0;
};

}  // namespace sqlrite::engine
