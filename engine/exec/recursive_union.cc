#include "engine/exec/recursive_union.h"

#include <string>
#include <unordered_set>
#include <utility>

#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

class RecursiveUnion final : public Operator {
 public:
  RecursiveUnion(ReadContext& ctx, OperatorPtr non_recursive, RecursiveTermFactory recursive,
                 bool all, std::vector<TypeId> key_types)
      : ctx_(ctx),
        input_(std::move(non_recursive)),
        recursive_(std::move(recursive)),
        all_(all),
        key_types_(std::move(key_types)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.empty()) {
      if (input_ == nullptr) {
        // The previous iteration (or the non-recursive term) is done: the next one reads what
        // it produced, and none is needed after an iteration that produced nothing.
        if (next_work_ == nullptr || next_work_->empty()) return false;
        input_ = recursive_(std::move(next_work_));
        next_work_ = nullptr;
      }
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(max_rows, in_));
      if (!more) {
        input_.reset();
        continue;
      }
      for (size_t r = 0; r < in_.size; ++r) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        if (!all_) {
          key_.clear();
          for (size_t c = 0; c < key_types_.size(); ++c) {
            AppendKeyColumn(key_, in_[r][c], key_types_[c]);
          }
          if (!seen_.insert(key_).second) continue;
        }
        if (next_work_ == nullptr) {
          next_work_ = std::make_shared<RowStore>(ctx_.spill, ctx_.spill.work_mem);
        }
        SQLRITE_TRY(next_work_->Append(in_[r]));
        std::swap(out.Add(), in_[r]);
      }
    }
    return true;
  }

 private:
  ReadContext& ctx_;
  OperatorPtr input_;  // the non-recursive term, then the current iteration; null between
  RecursiveTermFactory recursive_;
  bool all_;
  std::vector<TypeId> key_types_;
  // The rows of the current iteration: the next one's work table (null: none yet).
  WorkTable next_work_;
  std::unordered_set<std::string> seen_;
  std::string key_;
  Batch in_;
};

class WorkTableScan final : public Operator {
 public:
  WorkTableScan(ReadContext& ctx, WorkTable rows) : ctx_(ctx), rows_(std::move(rows)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows && next_ < rows_->size()) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, rows_->Get(next_));
      out.Add() = *row;
      ++next_;
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  WorkTable rows_;
  size_t next_ = 0;
};

class FixedRowsScan final : public Operator {
 public:
  FixedRowsScan(ReadContext& ctx, std::shared_ptr<const std::vector<Row>> rows)
      : ctx_(ctx), rows_(std::move(rows)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows && next_ < rows_->size()) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      out.Add() = (*rows_)[next_++];
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  std::shared_ptr<const std::vector<Row>> rows_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeRecursiveUnion(ReadContext& ctx, OperatorPtr non_recursive,
                               RecursiveTermFactory recursive, bool all,
                               std::vector<TypeId> key_types) {
  return std::make_unique<RecursiveUnion>(ctx, std::move(non_recursive), std::move(recursive), all,
                                          std::move(key_types));
}

OperatorPtr MakeWorkTableScan(ReadContext& ctx, WorkTable rows) {
  return std::make_unique<WorkTableScan>(ctx, std::move(rows));
}

OperatorPtr MakeWorkTableScan(ReadContext& ctx, std::shared_ptr<const std::vector<Row>> rows) {
  return std::make_unique<FixedRowsScan>(ctx, std::move(rows));
}

}  // namespace sqlrite::engine::exec
