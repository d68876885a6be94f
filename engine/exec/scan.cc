#include "engine/exec/scan.h"

#include <utility>

#include "common/assert.h"
#include "engine/exec/instrument.h"
#include "engine/exec/rebind_params.h"
#include "engine/table_access.h"
#include "engine/table_stats.h"

namespace sqlrite::engine::exec {
namespace {

class TableScan final : public Operator {
 public:
  TableScan(ReadContext& ctx, const TableDef& table, std::optional<BoundExpr> where,
            std::optional<IndexPath> index, std::vector<bool> needed, bool backward)
      : ctx_(ctx),
        where_(std::move(where)),
        index_(index),
        reader_(ctx.pages, table),
        database_oid_(ctx.database_oid),
        table_oid_(table.oid) {
    reader_.set_needed(std::move(needed));
    reader_.set_backward(backward);
    // The reader applies the predicate as it decodes (only the predicate's columns of a row it
    // rejects); where_ stays where it is, so the pointer holds across Rewind's rebinding.
    reader_.set_filter(where_ ? &*where_ : nullptr, &ctx_.interrupts);
  }
  TableScan(const TableScan&) = delete;
  TableScan& operator=(const TableScan&) = delete;

  // The scan's counts go to pg_stat_all_tables once, as it ends: a whole table or a rowid range
  // read in order is PostgreSQL's sequential scan, a point lookup or an index path its index
  // scan.
  ~TableScan() override { CountScan(); }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!opened_) {
      opened_ = true;
      rejected_before_ = reader_.rejected();
      SQLRITE_TRY(reader_.Open(where_ ? &*where_ : nullptr, index_ ? &*index_ : nullptr));
    }
    while (out.size < max_rows) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Row& row = out.Add();
      SQLRITE_ASSIGN_OR_RETURN(bool more, reader_.Next(row));  // a row where_ holds for
      if (!more) {
        out.DropLast();
        break;
      }
      ++returned_;
    }
    return !out.empty();
  }

  void ReportFacts(OperatorFacts& facts) const override { facts.rows_removed += removed(); }

  // The reader opens again at the next Next, its point, range or index path picked anew from
  // where_'s new values (the plan's IndexPath depends on where_'s shape only).
  bool Rewind(const std::vector<Datum>* params) override {
    CountScan();  // each run of a kept tree is a scan of its own
    reader_.Close();
    opened_ = false;
    returned_ = 0;
    rejected_before_ = reader_.rejected();
    if (params != nullptr) RebindParams(where_, *params);
    return true;
  }

 private:
  // Adds this run's counts (if it opened) to pg_stat_all_tables, once: opened_ is cleared.
  void CountScan() {
    if (!opened_ || database_oid_ == 0) return;
    opened_ = false;
    const auto read = static_cast<int64_t>(returned_ + removed());
    TableCounters& c = ProcessTableStats().For(database_oid_, table_oid_);
    if (reader_.path() == TableReader::Path::kScan) {
      c.seq_scan.fetch_add(1, std::memory_order_relaxed);
      c.seq_tup_read.fetch_add(read, std::memory_order_relaxed);
    } else {
      c.idx_scan.fetch_add(1, std::memory_order_relaxed);
      c.idx_tup_fetch.fetch_add(read, std::memory_order_relaxed);
    }
  }
  // This run's rows the reader's filter rejected (EXPLAIN ANALYZE).
  uint64_t removed() const { return reader_.rejected() - rejected_before_; }

  ReadContext& ctx_;
  std::optional<BoundExpr> where_;
  std::optional<IndexPath> index_;
  TableReader reader_;
  const uint32_t database_oid_;  // the ReadContext may end first
  const uint32_t table_oid_;
  bool opened_ = false;
  uint64_t returned_ = 0;         // this run's rows where_ held for
  uint64_t rejected_before_ = 0;  // reader_.rejected() as this run opened
};

// A system relation's rows (TableDef::system_rows): produced when the scan opens, from the
// catalog the statement sees, then emitted as a table's would be, `where` applied.
class SystemScan final : public Operator {
 public:
  SystemScan(ReadContext& ctx, std::shared_ptr<const TableDef> table,
             std::optional<BoundExpr> where)
      : ctx_(ctx), table_(std::move(table)), where_(std::move(where)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!opened_) {
      opened_ = true;
      SQLRITE_ASSIGN_OR_RETURN(rows_, table_->system_rows());
    }
    while (out.size < max_rows && next_ < rows_.size()) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Row& row = out.Add();
      row = std::move(rows_[next_++]);
      SQLRITE_ASSERT(row.size() == table_->columns.size());
      if (where_) {
        SQLRITE_ASSIGN_OR_RETURN(bool pass,
                                 EvalCondition(*where_, EvalContext{row.data(), nullptr}));
        if (!pass) {
          out.DropLast();
          ++removed_;
        }
      }
    }
    return !out.empty() || next_ < rows_.size();
  }

  void ReportFacts(OperatorFacts& facts) const override { facts.rows_removed += removed_; }

 private:
  ReadContext& ctx_;
  std::shared_ptr<const TableDef> table_;
  std::optional<BoundExpr> where_;
  std::vector<Row> rows_;
  size_t next_ = 0;
  bool opened_ = false;
  uint64_t removed_ = 0;
};

class SingleRow final : public Operator {
 public:
  Result<bool> Next(size_t, Batch& out) override {
    out.Clear();
    if (done_) return false;
    done_ = true;
    out.Add().clear();
    return true;
  }

 private:
  bool done_ = false;
};

}  // namespace

OperatorPtr MakeTableScan(ReadContext& ctx, const TableDef& table, std::optional<BoundExpr> where,
                          std::optional<IndexPath> index, std::vector<bool> needed, bool backward) {
  return std::make_unique<TableScan>(ctx, table, std::move(where), index, std::move(needed),
                                     backward);
}

OperatorPtr MakeSystemScan(ReadContext& ctx, std::shared_ptr<const TableDef> table,
                           std::optional<BoundExpr> where) {
  return std::make_unique<SystemScan>(ctx, std::move(table), std::move(where));
}

OperatorPtr MakeSingleRow() { return std::make_unique<SingleRow>(); }

}  // namespace sqlrite::engine::exec
