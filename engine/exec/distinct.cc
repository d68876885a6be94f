#include "engine/exec/distinct.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>

#include "engine/exec/instrument.h"
#include "engine/exec/spill_file.h"
#include "engine/exec/spill_scan.h"
#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

class Distinct final : public Operator {
 public:
  // size_hint: the input's RowMemory when known (a partition's), else 0.
  Distinct(ReadContext& ctx, OperatorPtr input, std::vector<TypeId> key_types, unsigned level,
           size_t size_hint)
      : ctx_(ctx),
        input_(std::move(input)),
        key_types_(std::move(key_types)),
        level_(level),
        size_hint_(size_hint) {}

  void ReportFacts(OperatorFacts& facts) const override {
    if (!loaded_) return;
    facts.hashed = true;
    facts.hash_batches = std::max<uint64_t>(facts.hash_batches, batches_);
    facts.hash_memory = std::max<uint64_t>(facts.hash_memory, peak_memory_);
    facts.hash_disk += disk_bytes_;
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!loaded_) SQLRITE_TRY(Load());
    while (out.size < max_rows && next_ < kept_.size()) std::swap(out.Add(), kept_[next_++]);
    if (next_ == kept_.size()) {
      kept_ = {};
      next_ = 0;
    }
    // The rows kept in memory are out: then each spilled partition's distinct rows.
    while (out.size < max_rows && kept_.empty()) {
      if (partition_ == nullptr) {
        if (next_partition_ >= partitions_.size()) {
          partitions_.clear();
          next_partition_ = 0;
          break;
        }
        const size_t p = next_partition_++;
        if (partitions_[p]->run_rows(0) == 0) {
          partitions_[p].reset();
          continue;
        }
        partition_ =
            std::make_unique<Distinct>(ctx_, MakeSpillScan(ctx_, std::move(partitions_[p])),
                                       key_types_, level_ + 1, partition_memory_[p]);
      }
      Batch part;
      SQLRITE_ASSIGN_OR_RETURN(bool more, partition_->Next(max_rows - out.size, part));
      if (!more) {
        partition_.reset();
        continue;
      }
      for (size_t r = 0; r < part.size; ++r) std::swap(out.Add(), part[r]);
    }
    return !out.empty();
  }

 private:
  // Past hash_mem, the rows of values not seen yet go to partition files by their key's hash
  // (every occurrence of a value lands in one partition, which a Distinct of its own reduces);
  // the values in memory keep dropping their duplicates.
  Status StartSpilling() {
    SQLRITE_TRY(CreatePartitions(ctx_.spill, size_hint_, &partitions_));
    partition_memory_.assign(partitions_.size(), 0);
    batches_ = 1 + partitions_.size();
    return Ok();
  }

  Status Load() {
    loaded_ = true;
    std::unordered_set<std::string> seen;
    std::string key;
    size_t memory = 0;
    const bool may_spill = ctx_.spill.can_spill() && level_ < kMaxSpillLevel;
    Batch in;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(kBatchRows, in));
      if (!more) break;
      for (size_t r = 0; r < in.size; ++r) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        key.clear();
        for (size_t c = 0; c < key_types_.size(); ++c) {
          AppendKeyColumn(key, in[r][c], key_types_[c]);
        }
        if (seen.count(key) != 0) continue;
        if (!partitions_.empty()) {
          const size_t p = PartitionHash(key, level_) % partitions_.size();
          partition_memory_[p] += RowMemory(in[r]);
          SQLRITE_TRY(partitions_[p]->Append(in[r]));
          continue;
        }
        memory += RowMemory(in[r]) + key.size() + 64;
        seen.insert(key);
        kept_.push_back(std::move(in[r]));
        if (may_spill && memory > ctx_.spill.hash_mem) SQLRITE_TRY(StartSpilling());
      }
    }
    input_.reset();
    peak_memory_ = memory;
    for (std::unique_ptr<SpillFile>& file : partitions_) {
      SQLRITE_ASSIGN_OR_RETURN(size_t run, file->EndRun());
      disk_bytes_ += file->run_bytes(run);
    }
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<TypeId> key_types_;
  unsigned level_;  // 0, or how many times the rows were partitioned
  size_t size_hint_;
  bool loaded_ = false;
  std::vector<Row> kept_;
  size_t next_ = 0;
  std::vector<std::unique_ptr<SpillFile>> partitions_;
  std::vector<size_t> partition_memory_;  // RowMemory of each partition's rows
  size_t next_partition_ = 0;
  std::unique_ptr<Distinct> partition_;  // reducing partitions_[next_partition_ - 1]
  // EXPLAIN ANALYZE's figures, as Aggregate's.
  size_t batches_ = 1;
  size_t peak_memory_ = 0;
  uint64_t disk_bytes_ = 0;
};

}  // namespace

OperatorPtr MakeDistinct(ReadContext& ctx, OperatorPtr input, std::vector<TypeId> key_types) {
  return std::make_unique<Distinct>(ctx, std::move(input), std::move(key_types), 0, 0);
}

}  // namespace sqlrite::engine::exec
