#include "engine/exec/operator_rows.h"

namespace sqlrite::engine::exec {

Result<size_t> OperatorRows::NextBatch(size_t max_rows, std::vector<Row>* out) {
  if (done_) return size_t{0};
  DateTimeScope scope_datetime(&datetime_);
  SQLRITE_ASSIGN_OR_RETURN(bool more, root_->Next(max_rows, batch_));
  if (!more) {
    done_ = true;
    root_.reset();  // frees what the operators hold (a sort's rows) at once
    return size_t{0};
  }
  for (size_t i = 0; i < batch_.size; ++i) out->push_back(std::move(batch_[i]));
  return batch_.size;
}

}  // namespace sqlrite::engine::exec
