#include "engine/exec/set_op.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/exec/spill_file.h"
#include "engine/exec/spill_scan.h"
#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

// Past hash_mem (the counts' estimated size), as the hash aggregate: the values already counted
// stay in memory and keep counting, every other value's rows go to partition files by a per-level
// hash of the value, the right input's and then the left's to the same partition. A value in
// memory so has all its right rows counted there, and its left rows are decided at once; a value
// not in memory has all its rows of both inputs in one partition, which a HashSetOp of its own
// (level + 1) computes after the left input ends, splitting again if it must.
class HashSetOp final : public Operator {
 public:
  HashSetOp(ReadContext& ctx, OperatorPtr left, OperatorPtr right, SetOpKind kind, bool all,
            std::vector<TypeId> key_types, unsigned level, size_t size_hint)
      : ctx_(ctx),
        left_(std::move(left)),
        right_(std::move(right)),
        kind_(kind),
        all_(all),
        key_types_(std::move(key_types)),
        level_(level),
        size_hint_(size_hint),
        may_spill_(ctx_.spill.can_spill() && level_ < kMaxSpillLevel) {}

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
          for (Partition& p : parts_) {
            SQLRITE_TRY(p.left->EndRun());
            SQLRITE_TRY(p.right->EndRun());
          }
          break;
        }
      }
      Row& row = in_[next_++];
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      SQLRITE_ASSIGN_OR_RETURN(bool keep, Keep(row));
      if (keep) std::swap(out.Add(), row);
    }
    if (!left_) SQLRITE_TRY(NextFromPartitions(max_rows, out));
    return !out.empty();
  }

 private:
  // The count of a right value: > 0 while it may still match (INTERSECT) or cancel (EXCEPT) a
  // left row; kEmitted once a distinct variant has emitted that value.
  static constexpr int64_t kEmitted = -1;

  struct Partition {
    std::unique_ptr<SpillFile> left;
    std::unique_ptr<SpillFile> right;
    size_t memory = 0;  // EntryMemory of its rows: what its counts could grow to
  };

  // A value's share of memory in counts_: its key, the node and its bucket.
  static size_t EntryMemory(const std::string& key) { return key.size() + 64; }

  Status LoadRight() {
    Batch in;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, right_->Next(kBatchRows, in));
      if (!more) break;
      for (size_t r = 0; r < in.size; ++r) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        const std::string& key = KeyOf(in[r]);
        if (!parts_.empty()) {
          auto it = counts_.find(key);
          if (it != counts_.end()) {
            ++it->second;
          } else {
            SQLRITE_TRY(Spill(false, key, in[r]));
          }
          continue;
        }
        auto [it, inserted] = counts_.try_emplace(key, 0);
        ++it->second;
        if (inserted) SQLRITE_TRY(Grew(key));
      }
    }
    right_.reset();
    return Ok();
  }

  // counts_ holds one more value: past hash_mem, the values not yet in memory go to partitions.
  Status Grew(const std::string& key) {
    memory_ += EntryMemory(key);
    if (!may_spill_ || memory_ <= ctx_.spill.hash_mem || !parts_.empty()) return Ok();
    // A partition's set operation knows its size: enough partitions for each to fit, not the
    // most the buffers allow (thousands of tiny files cost more than they save).
    size_t count = std::max<size_t>(PartitionCount(ctx_.spill.hash_mem) / 2, 4);
    if (size_hint_ != 0) {
      count = std::clamp<size_t>(size_hint_ / (ctx_.spill.hash_mem / 2) + 1, 2, count);
    }
    for (size_t i = 0; i < count; ++i) {
      Partition p;
      SQLRITE_ASSIGN_OR_RETURN(p.left, SpillFile::Create(ctx_.spill));
      SQLRITE_ASSIGN_OR_RETURN(p.right, SpillFile::Create(ctx_.spill));
      parts_.push_back(std::move(p));
    }
    return Ok();
  }

  // Writes a row of the value key to its partition's left or right file.
  Status Spill(bool left, const std::string& key, const Row& row) {
    Partition& p = PartitionOf(key);
    p.memory += EntryMemory(key);
    return (left ? p.left : p.right)->Append(row);
  }

  Partition& PartitionOf(const std::string& key) {
    return parts_[PartitionHash(key, level_) % parts_.size()];
  }

  const std::string& KeyOf(const Row& row) {
    key_.clear();
    for (size_t c = 0; c < key_types_.size(); ++c) AppendKeyColumn(key_, row[c], key_types_[c]);
    return key_;
  }

  // Whether the left row goes out now (false also when it went to a partition).
  Result<bool> Keep(const Row& row) {
    const std::string& key = KeyOf(row);
    auto it = counts_.find(key);
    if (it == counts_.end()) {
      if (!parts_.empty()) {
        SQLRITE_TRY(Spill(true, key, row));
        return false;
      }
      // Absent on the right.
      if (kind_ == SetOpKind::kIntersect) return false;
      if (all_) return true;
      // EXCEPT: the first copy goes out, the value is marked so its later copies do not.
      counts_.emplace(key, kEmitted);
      SQLRITE_TRY(Grew(key));
      return true;
    }
    if (kind_ == SetOpKind::kIntersect) {
      if (it->second <= 0) return false;
      it->second = all_ ? it->second - 1 : kEmitted;
      return true;
    }
    if (it->second > 0) {
      // Present on the right: EXCEPT drops every copy, EXCEPT ALL cancels one per right copy.
      if (all_) --it->second;
      return false;
    }
    // kEmitted (EXCEPT), or a right value whose copies EXCEPT ALL used up: its further copies
    // go out under ALL only.
    return all_ && it->second != kEmitted;
  }

  // After the left input: the rows of each partition's own set operation.
  Status NextFromPartitions(size_t max_rows, Batch& out) {
    while (out.size < max_rows) {
      if (part_op_ == nullptr) {
        if (next_part_ >= parts_.size()) {
          parts_.clear();
          return Ok();
        }
        Partition p = std::move(parts_[next_part_++]);
        if (p.left->run_rows(0) == 0) continue;  // only left rows come out
        part_op_ = std::make_unique<HashSetOp>(ctx_, MakeSpillScan(ctx_, std::move(p.left)),
                                               MakeSpillScan(ctx_, std::move(p.right)), kind_, all_,
                                               key_types_, level_ + 1, p.memory);
      }
      Batch part;
      SQLRITE_ASSIGN_OR_RETURN(bool more, part_op_->Next(max_rows - out.size, part));
      if (!more) {
        part_op_.reset();
        continue;
      }
      for (size_t r = 0; r < part.size; ++r) std::swap(out.Add(), part[r]);
    }
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr left_;
  OperatorPtr right_;
  SetOpKind kind_;
  bool all_;
  std::vector<TypeId> key_types_;
  unsigned level_;    // 0, or how many times the rows were split into partitions
  size_t size_hint_;  // a partition's: the EntryMemory of its rows (0: unknown)
  bool may_spill_;
  std::unordered_map<std::string, int64_t> counts_;
  size_t memory_ = 0;  // estimated memory of counts_
  std::string key_;
  Batch in_;
  size_t next_ = 0;
  // Past hash_mem: the partitions (not yet computed), the one being computed.
  std::vector<Partition> parts_;
  size_t next_part_ = 0;
  OperatorPtr part_op_;
};

}  // namespace

OperatorPtr MakeHashSetOp(ReadContext& ctx, OperatorPtr left, OperatorPtr right, SetOpKind kind,
                          bool all, std::vector<TypeId> key_types) {
  return std::make_unique<HashSetOp>(ctx, std::move(left), std::move(right), kind, all,
                                     std::move(key_types), 0, 0);
}

}  // namespace sqlrite::engine::exec
