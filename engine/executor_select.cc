// SELECT: bind (engine/analyze/) -> plan (engine/plan/) -> the plan's operators (engine/exec/),
// returned unrun as a RowSource.

#include <algorithm>
#include <chrono>
#include <limits>

#include "engine/analyze/bind_select.h"
#include "engine/catalog/system_source.h"
#include "engine/dml_with.h"
#include "engine/exec/operator_rows.h"
#include "engine/executor.h"
#include "engine/params.h"
#include "engine/plan/explain.h"
#include "engine/plan/explain_analyze.h"
#include "engine/plan/instantiate.h"
#include "engine/plan/planner.h"
#include "engine/prepared_plan.h"
#include "engine/row_source.h"
#include "engine/search_path.h"
#include "engine/session.h"
#include "engine/session_select.h"
#include "engine/snapshot_read.h"
#include "engine/statement_spill.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

// Whether b's own clauses run subqueries, whose reads are not bounded by b's FROM.
bool RunsSubqueries(const BoundSelect& b) {
  for (const BoundExpr& e : b.items.exprs) {
    if (plan::HasSubquery(e)) return true;
  }
  for (const BoundExpr& e : b.sort_exprs) {
    if (plan::HasSubquery(e)) return true;
  }
  return (b.where && plan::HasSubquery(*b.where)) || (b.having && plan::HasSubquery(*b.having));
}

}  // namespace

exec::SpillSettings StatementSpill(const Session& session) {
  exec::SpillSettings spill;
  const auto work_mem = static_cast<size_t>(std::max<int64_t>(64, session.SettingKb("work_mem")));
  spill.work_mem = work_mem * 1024;
  spill.hash_mem =
      static_cast<size_t>(static_cast<double>(spill.work_mem) * session.hash_mem_multiplier());
  spill.space = session.temp_space();
  const int64_t limit = session.SettingKb("temp_file_limit");
  spill.temp_file_limit = limit < 0 ? -1 : limit * 1024;
  return spill;
}

exec::SpillSettings MaintenanceSpill(const Session& session) {
  exec::SpillSettings spill = StatementSpill(session);
  spill.work_mem =
      static_cast<size_t>(std::max<int64_t>(1024, session.SettingKb("maintenance_work_mem"))) *
      1024;
  return spill;
}

namespace {

// The rows of an Execute of entry's plan through its kept pipeline (engine/exec/kept_pipeline.h):
// the idle tree rewound with params' values, or a tree built now that can be kept. When the
// plan's trees cannot be rewound, the slot is disabled and the tree built now goes back to no
// one.
std::unique_ptr<exec::OperatorRows> RunKeptPipeline(ExecContext& ctx,
                                                    const PreparedPlan::Entry& entry,
                                                    storage::PageSource& pages,
                                                    const ParamContext& params) {
  std::unique_ptr<exec::KeptPipeline> kept = entry.kept->Take();
  if (kept != nullptr) {
    kept->pages->Retarget(&pages);
    kept->context->interrupts = ctx.session.StatementInterruptCheck();
    kept->context->spill = StatementSpill(ctx.session);
    static const std::vector<Datum> kNoParams;
    if (!kept->root->Rewind(params.values != nullptr ? params.values : &kNoParams)) {
      kept.reset();  // parked rewound, so not expected; built again below
    }
  }
  if (kept == nullptr) {
    kept = std::make_unique<exec::KeptPipeline>();
    kept->pages = std::make_unique<exec::RetargetablePages>();
    kept->pages->Retarget(&pages);
    kept->context = std::make_unique<exec::ReadContext>(exec::ReadContext{
        *kept->pages, ctx.session.StatementInterruptCheck(), StatementSpill(ctx.session)});
    kept->context->database_oid = ctx.db.oid();
    bool rewindable = false;
    kept->root = plan::Instantiate(*entry.plan.root, *kept->context, params.values, &rewindable);
    if (!rewindable) {
      entry.kept->Disable();
      return std::make_unique<exec::OperatorRows>(std::move(kept),
                                                  std::weak_ptr<exec::KeptPipelineSlot>());
    }
  }
  return std::make_unique<exec::OperatorRows>(std::move(kept), entry.kept);
}

}  // namespace

// The system source a pipeline keeps: the one its binding built, or one built now when a result
// column is of a reg* type (its values leave the pipeline as names). Called in the scope.
static std::shared_ptr<const catalog::SystemSource> PipelineSource(
    const std::vector<ColumnInfo>& columns) {
  for (const ColumnInfo& c : columns) {
    if (IsOidType(c.type) && c.type != TypeId::kOid) return catalog::CurrentSystemSource();
  }
  return catalog::BuiltSystemSource();
}

// Seconds since start.
static double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// EXPLAIN ANALYZE: the plan's operators built with counters, run by the returned rows' first
// pull (engine/plan/explain_analyze.h).
static SelectPipeline ExplainAnalyze(ExecContext& ctx, const ast::Select& stmt, plan::Plan plan,
                                     std::chrono::steady_clock::time_point start) {
  const double planning = SecondsSince(start);
  const auto startup = std::chrono::steady_clock::now();
  storage::PageSource& pages =
      ctx.pages != nullptr ? *ctx.pages : static_cast<storage::PageSource&>(ctx.db.pager());
  auto rctx = std::make_unique<exec::ReadContext>(
      exec::ReadContext{pages, ctx.session.StatementInterruptCheck(), StatementSpill(ctx.session)});
  rctx->database_oid = ctx.db.oid();
  auto instrument = std::make_unique<exec::Instrumentation>(stmt.explain->timing);
  rctx->instrument = instrument.get();
  auto kept = std::make_unique<const plan::Plan>(std::move(plan));
  exec::OperatorPtr root = plan::Instantiate(*kept->root, *rctx);
  auto rows = std::make_unique<exec::OperatorRows>(std::move(rctx), std::move(root));
  rows->SetSystemSource(PipelineSource(kept->columns), {});
  SelectPipeline pipeline;
  pipeline.columns = {ColumnInfo{"QUERY PLAN", TypeId::kText, -1}};
  pipeline.rows = std::make_unique<plan::ExplainAnalyzeRows>(std::move(kept), std::move(instrument),
                                                             std::move(rows), *stmt.explain,
                                                             planning, SecondsSince(startup));
  return pipeline;
}

Result<SelectPipeline> BuildSelect(ExecContext& ctx, const ast::Select& stmt) {
  // EXPLAIN's Planning Time counts from here; no clock is read for any other SELECT.
  const auto start =
      stmt.explain ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
  catalog::SystemScope system_scope(ctx);  // the catalogs, if the statement names them
  EnumScope enum_scope(&CatalogOf(ctx),
                       [&ctx] { return SessionSearchPath(CatalogOf(ctx), ctx.session); });
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindSelect(ctx, stmt));
  SelectPipeline pipeline;
  if (stmt.explain) {
    // EXPLAIN: the plan's lines as a one-column text result; no row is read.
    pipeline.columns = {ColumnInfo{"QUERY PLAN", TypeId::kText, -1}};
    pipeline.bounded = !stmt.explain->analyze;
    if (ctx.describe_only) return pipeline;
    SQLRITE_ASSIGN_OR_RETURN(plan::Plan plan, plan::PlanSelect(std::move(bound)));
    if (stmt.explain->analyze) return ExplainAnalyze(ctx, stmt, std::move(plan), start);
    std::vector<Row> rows;
    for (std::string& line : plan::ExplainPlan(plan, stmt.explain->costs)) {
      rows.push_back(Row{Datum(std::move(line))});
    }
    if (stmt.explain->summary) {
      rows.push_back(Row{Datum(plan::SummaryLine("Planning Time", SecondsSince(start)))});
    }
    pipeline.rows = std::make_unique<MaterializedRows>(std::move(rows));
    return pipeline;
  }
  // As PostgreSQL's plans would (ExecSupportsBackwardScan): a scan of one table runs backward,
  // joins, Agg and Unique do not, and a Sort on top of any of them does (hashed DISTINCT then
  // ORDER BY). An approximation of the planner's choice: a grouped query's ORDER BY may be met
  // by a sorted Agg, so it is taken as not scrollable.
  const bool sorted_on_top =
      !bound.sort_keys.empty() && !bound.aggregated && bound.distinct_on.empty();
  pipeline.backward_scan =
      (bound.tables.size() == 1 && !bound.tables[0].subquery && !bound.tables[0].cte_plan &&
       !bound.aggregated && !bound.distinct && bound.distinct_on.empty()) ||
      sorted_on_top;
  if (ctx.describe_only) {
    pipeline.columns = std::move(bound.items.columns);
    return pipeline;
  }
  pipeline.bounded = !bound.set_op && !RunsSubqueries(bound) &&
                     (bound.tables.empty() || (bound.tables.size() == 1 && bound.where &&
                                               PinsOneRow(*bound.tables[0].def, *bound.where)));
  SQLRITE_ASSIGN_OR_RETURN(plan::Plan plan, plan::PlanSelect(std::move(bound)));
  storage::PageSource& pages =
      ctx.pages != nullptr ? *ctx.pages : static_cast<storage::PageSource&>(ctx.db.pager());
  auto rctx = std::make_unique<exec::ReadContext>(
      exec::ReadContext{pages, ctx.session.StatementInterruptCheck(), StatementSpill(ctx.session)});
  rctx->database_oid = ctx.db.oid();
  pipeline.columns = std::move(plan.columns);
  exec::OperatorPtr root = plan::InstantiateOnce(std::move(plan), *rctx);
  auto rows = std::make_unique<exec::OperatorRows>(std::move(rctx), std::move(root));
  rows->SetSystemSource(PipelineSource(pipeline.columns), pipeline.columns);
  pipeline.rows = std::move(rows);
  return pipeline;
}

Result<SelectPipeline> BuildPreparedSelect(ExecContext& ctx, const ast::Select& stmt,
                                           ParamContext& params, PreparedPlan& kept,
                                           const std::shared_ptr<const Catalog>& catalog) {
  SQLRITE_ASSERT(!stmt.explain && !ctx.describe_only && !params.describing());
  SQLRITE_ASSERT(ctx.catalog == catalog.get() && CurrentParams() == &params);
  catalog::SystemScope system_scope(ctx);
  EnumScope enum_scope(&CatalogOf(ctx),
                       [&ctx] { return SessionSearchPath(CatalogOf(ctx), ctx.session); });
  const std::string_view search_path = ctx.session.View("search_path");
  const PreparedPlan::Entry* entry = kept.Find(catalog.get(), search_path);
  std::optional<PreparedPlan::Entry> once;  // a plan that depends on this execution's values
  if (entry == nullptr) {
    // References only for this binding, also when it throws.
    struct ReferencesOn {
      ParamContext& p;
      ~ReferencesOn() { p.references = false; }
    } on{params};
    params.references = true;
    params.value_read = false;
    Result<BoundSelect> bound = BindSelect(ctx, stmt);
    if (!bound) return Fail(std::move(bound.error()));
    PreparedPlan::Entry fresh;
    fresh.catalog = catalog;
    fresh.search_path = std::string(search_path);
    // As BuildSelect's.
    const bool sorted_on_top =
        !bound->sort_keys.empty() && !bound->aggregated && bound->distinct_on.empty();
    fresh.backward_scan = (bound->tables.size() == 1 && !bound->aggregated && !bound->distinct &&
                           bound->distinct_on.empty()) ||
                          sorted_on_top;
    fresh.bounded = !RunsSubqueries(*bound) &&
                    (bound->tables.empty() || (bound->tables.size() == 1 && bound->where &&
                                               PinsOneRow(*bound->tables[0].def, *bound->where)));
    SQLRITE_ASSIGN_OR_RETURN(fresh.plan, plan::PlanSelect(std::move(*bound)));
    fresh.system = PipelineSource(fresh.plan.columns);
    // A plan over the catalogs shows the session's settings and roles as of its binding: it is
    // not kept for later executions, which may see others.
    if (params.value_read || fresh.system != nullptr) {
      kept.Clear();
      entry = &once.emplace(std::move(fresh));
    } else {
      fresh.kept = std::make_shared<exec::KeptPipelineSlot>();
      entry = &kept.Store(std::move(fresh));
    }
  }
  SelectPipeline pipeline;
  pipeline.backward_scan = entry->backward_scan;
  pipeline.bounded = entry->bounded;
  pipeline.columns = entry->plan.columns;
  storage::PageSource& pages =
      ctx.pages != nullptr ? *ctx.pages : static_cast<storage::PageSource&>(ctx.db.pager());
  std::unique_ptr<exec::OperatorRows> rows;
  if (entry->kept != nullptr && !entry->kept->disabled()) {
    rows = RunKeptPipeline(ctx, *entry, pages, params);
  } else {
    auto rctx = std::make_unique<exec::ReadContext>(exec::ReadContext{
        pages, ctx.session.StatementInterruptCheck(), StatementSpill(ctx.session)});
    rctx->database_oid = ctx.db.oid();
    exec::OperatorPtr root = plan::Instantiate(*entry->plan.root, *rctx, params.values);
    rows = std::make_unique<exec::OperatorRows>(std::move(rctx), std::move(root));
  }
  rows->SetSystemSource(entry->system, pipeline.columns);
  pipeline.rows = std::move(rows);
  return pipeline;
}

Result<std::vector<Row>> DrainWithinStatement(RowSource& rows) {
  std::vector<Row> all;
  for (;;) {
    SQLRITE_ASSIGN_OR_RETURN(size_t n, rows.NextBatch(exec::kBatchRows, &all));
    if (n == 0) return all;
  }
}

// A pipeline's rows drained into a QueryResult tagged "SELECT n" (EXPLAIN's: "EXPLAIN").
static Result<QueryResult> DrainSelect(const ast::Select& stmt, SelectPipeline pipeline) {
  QueryResult result;
  result.returns_rows = true;
  result.columns = std::move(pipeline.columns);
  result.backward_scan = pipeline.backward_scan;
  if (pipeline.rows == nullptr) return result;  // described only
  SQLRITE_ASSIGN_OR_RETURN(result.rows, DrainWithinStatement(*pipeline.rows));
  result.command_tag = stmt.explain ? "EXPLAIN" : "SELECT " + std::to_string(result.rows.size());
  return result;
}

Result<QueryResult> ExecuteSessionSelect(ExecContext& ctx, const ast::Statement& statement) {
  const auto& stmt = std::get<ast::Select>(statement);
  ParamContext* params = CurrentParams();
  if (params == nullptr || params->plan == nullptr || params->describing() || stmt.explain ||
      ctx.describe_only || ctx.catalog != nullptr || ctx.pages != nullptr) {
    return ExecuteSelect(ctx, stmt);
  }
  std::optional<bool>& reads_only = params->plan->statement_reads_on_snapshot();
  if (!reads_only) reads_only = StatementQualifiesForSnapshotRead(statement);
  if (!*reads_only) return ExecuteSelect(ctx, stmt);
  std::shared_ptr<const Catalog> shared = ctx.db.SharedCatalogForWriter();
  if (shared == nullptr) return ExecuteSelect(ctx, stmt);
  return GuardStatement([&]() -> Result<QueryResult> {
    struct CatalogFor {
      ExecContext& c;
      ~CatalogFor() { c.catalog = nullptr; }
    } restore{ctx};
    ctx.catalog = shared.get();
    SQLRITE_ASSIGN_OR_RETURN(SelectPipeline pipeline,
                             BuildPreparedSelect(ctx, stmt, *params, *params->plan, shared));
    return DrainSelect(stmt, std::move(pipeline));
  });
}

Result<QueryResult> ExecuteSelect(ExecContext& ctx, const ast::Select& stmt) {
  if (ctx.with_bound != &stmt && HasDataModifyingWith(stmt.with)) {
    // Its INSERT / UPDATE / DELETE in WITH run first (engine/dml_with.h), then this again.
    return ExecuteWithList(ctx, stmt, [&] { return ExecuteSelect(ctx, stmt); });
  }
  return GuardStatement([&]() -> Result<QueryResult> {
    SQLRITE_ASSIGN_OR_RETURN(SelectPipeline pipeline, BuildSelect(ctx, stmt));
    return DrainSelect(stmt, std::move(pipeline));
  });
}

}  // namespace sqlrite::engine
