#include "engine/exec/limit.h"

#include <algorithm>
#include <utility>

#include "common/assert.h"

namespace sqlrite::engine::exec {
namespace {

class Limit final : public Operator {
 public:
  Limit(OperatorPtr input, int64_t offset, int64_t limit)
      : input_(std::move(input)),
        skip_(static_cast<uint64_t>(offset)),
        left_(static_cast<uint64_t>(limit)) {
    SQLRITE_ASSERT(offset >= 0 && limit >= 0);
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (skip_ > 0 && left_ > 0) {
      SQLRITE_ASSIGN_OR_RETURN(
          bool more, input_->Next(static_cast<size_t>(std::min<uint64_t>(skip_, kBatchRows)), out));
      if (!more) {
        left_ = 0;
        break;
      }
      skip_ -= out.size;
      out.Clear();
    }
    if (left_ == 0) return false;
    SQLRITE_ASSIGN_OR_RETURN(
        bool more, input_->Next(static_cast<size_t>(std::min<uint64_t>(left_, max_rows)), out));
    if (!more) {
      left_ = 0;
      return false;
    }
    left_ -= out.size;
    return true;
  }

 private:
  OperatorPtr input_;
  uint64_t skip_;
  uint64_t left_;
};

}  // namespace

OperatorPtr MakeLimit(OperatorPtr input, int64_t offset, int64_t limit) {
  return std::make_unique<Limit>(std::move(input), offset, limit);
}

}  // namespace sqlrite::engine::exec
