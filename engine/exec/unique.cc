#include "engine/exec/unique.h"

#include <string>
#include <utility>

#include "common/assert.h"
#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

class Unique final : public Operator {
 public:
  Unique(ReadContext& ctx, OperatorPtr input, std::vector<size_t> key_columns,
         std::vector<TypeId> key_types)
      : ctx_(ctx),
        input_(std::move(input)),
        columns_(std::move(key_columns)),
        types_(std::move(key_types)) {
    SQLRITE_ASSERT(columns_.size() == types_.size());
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows && !done_) {
      if (next_ == in_.size) {
        // Ask for no more rows than may still be passed: each input row starts a run or not.
        SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(max_rows - out.size, in_));
        next_ = 0;
        if (!more) {
          done_ = true;
          break;
        }
      }
      Row& row = in_[next_++];
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      key_.clear();
      for (size_t c = 0; c < columns_.size(); ++c) {
        SQLRITE_ASSERT(columns_[c] < row.size());
        AppendKeyColumn(key_, row[columns_[c]], types_[c]);
      }
      if (have_last_ && key_ == last_) continue;
      std::swap(last_, key_);
      have_last_ = true;
      std::swap(out.Add(), row);
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<size_t> columns_;
  std::vector<TypeId> types_;
  Batch in_;  // the input's current batch, read up to next_
  size_t next_ = 0;
  bool done_ = false;
  std::string key_;   // the current row's key (scratch)
  std::string last_;  // the key of the last row passed
  bool have_last_ = false;
};

}  // namespace

OperatorPtr MakeUnique(ReadContext& ctx, OperatorPtr input, std::vector<size_t> key_columns,
                       std::vector<TypeId> key_types) {
  return std::make_unique<Unique>(ctx, std::move(input), std::move(key_columns),
                                  std::move(key_types));
}

}  // namespace sqlrite::engine::exec
