#include "engine/exec/scan.h"

#include <utility>

#include "engine/table_access.h"

namespace sqlrite::engine::exec {
namespace {

class TableScan final : public Operator {
 public:
  TableScan(ReadContext& ctx, const TableDef& table, std::optional<BoundExpr> where,
            std::optional<IndexPath> index, std::vector<bool> needed)
      : ctx_(ctx), where_(std::move(where)), index_(index), reader_(ctx.pages, table) {
    reader_.set_needed(std::move(needed));
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!opened_) {
      opened_ = true;
      SQLRITE_TRY(reader_.Open(where_ ? &*where_ : nullptr, index_ ? &*index_ : nullptr));
    }
    while (out.size < max_rows) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Row& row = out.Add();
      SQLRITE_ASSIGN_OR_RETURN(bool more, reader_.Next(row));
      if (!more) {
        out.DropLast();
        break;
      }
      if (where_) {
        SQLRITE_ASSIGN_OR_RETURN(bool pass,
                                 EvalCondition(*where_, EvalContext{row.data(), nullptr}));
        if (!pass) out.DropLast();
      }
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  std::optional<BoundExpr> where_;
  std::optional<IndexPath> index_;
  TableReader reader_;
  bool opened_ = false;
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
                          std::optional<IndexPath> index, std::vector<bool> needed) {
  return std::make_unique<TableScan>(ctx, table, std::move(where), index, std::move(needed));
}

OperatorPtr MakeSingleRow() { return std::make_unique<SingleRow>(); }

}  // namespace sqlrite::engine::exec
