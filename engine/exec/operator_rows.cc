#include "engine/exec/operator_rows.h"

#include "engine/catalog/reg_types.h"

namespace sqlrite::engine::exec {

Result<size_t> OperatorRows::NextBatch(size_t max_rows, std::vector<Row>* out) {
  if (done_) return size_t{0};
  DateTimeScope scope_datetime(&datetime_);
  SessionLocalsScope scope_locals(locals_);
  catalog::SystemScope scope_system(system_);
  SQLRITE_ASSIGN_OR_RETURN(bool more, root_->Next(max_rows, batch_));
  if (!more) {
    done_ = true;
    root_.reset();  // frees what the operators hold (a sort's rows) at once
    return size_t{0};
  }
  for (size_t i = 0; i < batch_.size; ++i) {
    for (const auto& [column, type] : reg_columns_) {
      Datum& d = batch_[i][column];
      auto* oid = std::get_if<int64_t>(&d);
      if (oid == nullptr) continue;
      // regtype prints without a catalog, except an enum type's (or its array type's) name.
      if (type == TypeId::kRegtype && RegtypeName(static_cast<uint32_t>(*oid)) != "???") continue;
      d = Datum(catalog::RegOutput(type, *oid));
    }
    out->push_back(std::move(batch_[i]));
  }
  return batch_.size;
}

void OperatorRows::SetSystemSource(std::shared_ptr<const catalog::SystemSource> source,
                                   const std::vector<ColumnInfo>& columns) {
  system_ = std::move(source);
  reg_columns_.clear();
  for (size_t c = 0; c < columns.size(); ++c) {
    const TypeId t = columns[c].type;
    if (IsOidType(t) && t != TypeId::kOid) reg_columns_.push_back({c, t});
  }
}

}  // namespace sqlrite::engine::exec
