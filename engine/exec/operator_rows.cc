#include "engine/exec/operator_rows.h"

#include "engine/catalog/reg_types.h"

namespace sqlrite::engine::exec {

OperatorRows::OperatorRows(std::unique_ptr<KeptPipeline> kept, std::weak_ptr<KeptPipelineSlot> slot)
    : kept_(std::move(kept)),
      slot_(std::move(slot)),
      context_(std::move(kept_->context)),
      root_(std::move(kept_->root)) {
  SQLRITE_ASSERT(kept_->pages != nullptr && context_ != nullptr && root_ != nullptr);
}

OperatorRows::~OperatorRows() {
  if (kept_ == nullptr || failed_ || root_ == nullptr) return;
  std::shared_ptr<KeptPipelineSlot> slot = slot_.lock();
  if (slot == nullptr) return;
  // Rewound here, while the pages it holds are still this execution's. A tree with an operator
  // that cannot rewind never will: the plan's later Executes build theirs as usual.
  if (!root_->Rewind(nullptr)) {
    slot->Disable();
    return;
  }
  kept_->pages->Retarget(nullptr);
  kept_->context = std::move(context_);
  kept_->root = std::move(root_);
  slot->Put(std::move(kept_));
}

Result<size_t> OperatorRows::NextBatch(size_t max_rows, std::vector<Row>* out) {
  if (done_) return size_t{0};
  DateTimeScope scope_datetime(&datetime_);
  SessionLocalsScope scope_locals(locals_);
  catalog::SystemScope scope_system(system_);
  failed_ = true;  // until the pull returns rows or the end (an exception leaves it set)
  SQLRITE_ASSIGN_OR_RETURN(bool more, root_->Next(max_rows, batch_));
  failed_ = false;
  if (!more) {
    done_ = true;
    // Frees what the operators hold (a sort's rows, its files) at once. A kept tree is rewound
    // now (so it holds no row or page either) and goes back to its slot when these rows go;
    // one that cannot rewind is freed, and its plan's later Executes build theirs as usual.
    if (kept_ != nullptr && root_->Rewind(nullptr)) return size_t{0};
    if (kept_ != nullptr) {
      if (std::shared_ptr<KeptPipelineSlot> slot = slot_.lock()) slot->Disable();
    }
    root_.reset();
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
