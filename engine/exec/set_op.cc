#include "engine/exec/set_op.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

class HashSetOp final : public Operator {
 public:
  HashSetOp(ReadContext& ctx, OperatorPtr left, OperatorPtr right, SetOpKind kind, bool all,
            std::vector<TypeId> key_types)
      : ctx_(ctx),
        left_(std::move(left)),
        right_(std::move(right)),
        kind_(kind),
        all_(all),
        key_types_(std::move(key_types)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (right_) SQLRITE_TRY(LoadRight());
    while (left_ && out.size < max_rows) {
      if (next_ == in_.size) {
        SQLRITE_ASSIGN_OR_RETURN(bool more, left_->Next(kBatchRows, in_));
        next_ = 0;
        if (!more) {
          left_.reset();
          counts_ = {};
          break;
        }
      }
      Row& row = in_[next_++];
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      if (Keep(row)) std::swap(out.Add(), row);
    }
    return !out.empty();
  }

 private:
  // The count of a right value: > 0 while it may still match (INTERSECT) or cancel (EXCEPT) a
  // left row; kEmitted once a distinct variant has emitted that value.
  static constexpr int64_t kEmitted = -1;

  Status LoadRight() {
    Batch in;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, right_->Next(kBatchRows, in));
      if (!more) break;
      for (size_t r = 0; r < in.size; ++r) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        ++counts_[KeyOf(in[r])];
      }
    }
    right_.reset();
    return Ok();
  }

  const std::string& KeyOf(const Row& row) {
    key_.clear();
    for (size_t c = 0; c < key_types_.size(); ++c) AppendKeyColumn(key_, row[c], key_types_[c]);
    return key_;
  }

  bool Keep(const Row& row) {
    const std::string& key = KeyOf(row);
    if (kind_ == SetOpKind::kIntersect) {
      auto it = counts_.find(key);
      if (it == counts_.end() || it->second <= 0) return false;
      it->second = all_ ? it->second - 1 : kEmitted;
      return true;
    }
    auto [it, inserted] = counts_.try_emplace(key, 0);
    if (it->second > 0) {
      // Present on the right: EXCEPT drops every copy, EXCEPT ALL cancels one per right copy.
      if (all_) --it->second;
      return false;
    }
    if (it->second == kEmitted) return false;
    if (!all_) {
      // Absent on the right: the first copy goes out. A value the right had keeps its count (so
      // it is dropped above); this one is marked so its later copies are not emitted again.
      if (!inserted) return false;  // a right value whose count EXCEPT ALL exhausted
      it->second = kEmitted;
    }
    return true;
  }

  ReadContext& ctx_;
  OperatorPtr left_;
  OperatorPtr right_;
  SetOpKind kind_;
  bool all_;
  std::vector<TypeId> key_types_;
  std::unordered_map<std::string, int64_t> counts_;
  std::string key_;
  Batch in_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeHashSetOp(ReadContext& ctx, OperatorPtr left, OperatorPtr right, SetOpKind kind,
                          bool all, std::vector<TypeId> key_types) {
  return std::make_unique<HashSetOp>(ctx, std::move(left), std::move(right), kind, all,
                                     std::move(key_types));
}

}  // namespace sqlrite::engine::exec
