#include "engine/snapshot_read.h"

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "common/assert.h"
#include "engine/analyze/row_locking.h"
#include "engine/catalog.h"
#include "engine/database.h"
#include "engine/dml_with.h"
#include "engine/executor.h"
#include "engine/interrupt.h"
#include "engine/prepared_plan.h"
#include "engine/sequence.h"
#include "engine/session.h"

namespace sqlrite::engine {
namespace {

// The pipeline of a snapshot read with what it reads: the snapshot and the catalog. Members are
// destroyed in reverse order, so the pipeline (which holds pages and TableDefs) goes first.
class SnapshotRows final : public RowSource {
 public:
  SnapshotRows(std::shared_ptr<Database::ReadView> view, TransactionState& tx)
      : view_(std::move(view)), tx_(&tx) {}

  Result<size_t> NextBatch(size_t max_rows, std::vector<Row>* out) override {
    SQLRITE_ASSERT(pipeline_ != nullptr);
    Result<size_t> got = Pull(max_rows, out);
    // As Cluster's Finish: an error inside a block fails the block.
    if (!got && tx_->in_block) tx_->failed = true;
    return got;
  }

  Database::ReadView& view() { return *view_; }
  void set_pipeline(std::unique_ptr<RowSource> pipeline) { pipeline_ = std::move(pipeline); }

 private:
  Result<size_t> Pull(size_t max_rows, std::vector<Row>* out) {
    try {
      return pipeline_->NextBatch(max_rows, out);
    } catch (const std::bad_alloc&) {
      return Fail(sqlstate::kOutOfMemory, "out of memory");
    } catch (const std::exception& e) {
      return Fail(sqlstate::kInternalError, std::string("internal error: ") + e.what());
    } catch (...) {
      return Fail(sqlstate::kInternalError, "internal error: unknown exception");
    }
  }

  std::shared_ptr<Database::ReadView> view_;  // shared with the block (TransactionState::snapshot)
  TransactionState* tx_;                      // the session's, which outlives the read
  std::unique_ptr<RowSource> pipeline_;
};

}  // namespace

bool IsRepeatableOrSerializable(const Session& session) {
  const std::string_view level = session.View("transaction_isolation");
  return level == "repeatable read" || level == "serializable";
}

// The view a read of session uses now: its block's snapshot (taken here by the block's first
// read), or the newest durable commit.
Result<std::shared_ptr<Database::ReadView>> ReadViewFor(Session& session) {
  TransactionState& tx = session.tx();
  if (UsesBlockSnapshot(session) && tx.snapshot != nullptr) return tx.snapshot;
  SQLRITE_ASSIGN_OR_RETURN(Database::ReadView view, session.db().BeginRead());
  auto shared = std::make_shared<Database::ReadView>(std::move(view));
  if (UsesBlockSnapshot(session)) tx.snapshot = shared;
  return shared;
}

bool UsesBlockSnapshot(const Session& session) {
  const TransactionState& tx = session.tx();
  return tx.in_block && !tx.writer && IsRepeatableOrSerializable(session);
}

bool QualifiesForSnapshotRead(const Session& session, const ast::Statement& statement,
                              PreparedPlan* plan) {
  bool statement_qualifies = false;
  if (plan == nullptr) {
    statement_qualifies = StatementQualifiesForSnapshotRead(statement);
  } else {
    std::optional<bool>& cached = plan->statement_reads_on_snapshot();
    if (!cached) cached = StatementQualifiesForSnapshotRead(statement);
    statement_qualifies = *cached;
  }
  if (!statement_qualifies) return false;
  const TransactionState& tx = session.tx();
  // A point writer's SELECT reads its own changes on the engine thread (engine/point_writer.h).
  return !tx.failed && !tx.writer && !tx.point.active();
}

bool StatementQualifiesForSnapshotRead(const ast::Statement& statement) {
  if (!std::holds_alternative<ast::Select>(statement)) return false;
  // EXPLAIN reads no row: it runs through Submit. EXPLAIN ANALYZE runs the SELECT, here as
  // any other (SnapshotRead::explain gives it its command tag).
  const auto& explain = std::get<ast::Select>(statement).explain;
  if (explain && !explain->analyze) return false;
  // FOR UPDATE / SHARE runs as a write, as the writer (engine/analyze/row_locking.h).
  if (LocksRows(std::get<ast::Select>(statement))) return false;
  // INSERT / UPDATE / DELETE in WITH: a write (engine/dml_with.h).
  if (HasDataModifyingWith(statement)) return false;
  // nextval/setval write; currval/lastval read the session's state, which the engine thread
  // keeps (engine/sequence.h).
  return CallsSequenceFunction(std::get<ast::Select>(statement)) == SequenceUse::kNone;
}

Result<QueryResult> SelectOnBlockSnapshot(Session& session, const ast::Select& select) {
  SQLRITE_ASSIGN_OR_RETURN(Cluster::SnapshotRead read,
                           BeginSnapshotRead(session, select, CurrentParams()));
  QueryResult result;
  result.returns_rows = true;
  result.columns = std::move(read.columns);
  result.backward_scan = read.backward_scan;
  SQLRITE_ASSIGN_OR_RETURN(result.rows, DrainWithinStatement(*read.rows));
  result.command_tag = select.explain ? "EXPLAIN" : "SELECT " + std::to_string(result.rows.size());
  return result;
}

Result<Cluster::SnapshotRead> BeginSnapshotRead(Session& session, const ast::Select& select,
                                                ParamContext* params) {
  // Canceled or timed out before it began, as Cluster::Submit checks.
  if (const InterruptReason reason = session.interrupt().reason();
      reason != InterruptReason::kNone) {
    return Fail(InterruptError(reason));
  }
  session.BeginStatement();
  DateTimeScope scope_datetime(session.datetime());
  SessionLocalsScope scope_locals(session.locals());
  TransactionState& tx = session.tx();
  if (tx.in_block) tx.snapshot_taken = true;
  Database& db = session.db();
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<Database::ReadView> view, ReadViewFor(session));
  auto rows = std::make_unique<SnapshotRows>(std::move(view), tx);
  ParamScope scope_params(params);
  ExecContext ctx{db, session};
  ctx.catalog = rows->view().catalog.get();
  ctx.pages = &rows->view().snapshot;
  Result<SelectPipeline> pipeline = [&]() -> Result<SelectPipeline> {
    try {
      // A prepared SELECT keeps its plan while the catalog it was bound against is current.
      if (params != nullptr && params->plan != nullptr && !params->describing() &&
          !select.explain) {
        return BuildPreparedSelect(ctx, select, *params, *params->plan, rows->view().catalog);
      }
      return BuildSelect(ctx, select);
    } catch (const std::bad_alloc&) {
      return Fail(sqlstate::kOutOfMemory, "out of memory");
    } catch (const std::exception& e) {
      return Fail(sqlstate::kInternalError, std::string("internal error: ") + e.what());
    }
  }();
  if (!pipeline) return Fail(std::move(pipeline.error()));
  SQLRITE_ASSERT(pipeline->rows != nullptr);
  Cluster::SnapshotRead read;
  read.columns = std::move(pipeline->columns);
  read.backward_scan = pipeline->backward_scan;
  read.bounded = pipeline->bounded;
  read.explain = select.explain.has_value();
  rows->set_pipeline(std::move(pipeline->rows));
  read.rows = std::move(rows);
  return read;
}

}  // namespace sqlrite::engine
