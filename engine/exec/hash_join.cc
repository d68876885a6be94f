#include "engine/exec/hash_join.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/assert.h"
#include "engine/exec/instrument.h"
#include "engine/exec/spill_file.h"
#include "engine/exec/spill_scan.h"
#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

// An input of no rows (the other side of a join of NULL-keyed rows).
class Empty final : public Operator {
 public:
  Result<bool> Next(size_t, Batch& out) override {
    out.Clear();
    return false;
  }
};
OperatorPtr MakeEmpty() { return std::make_unique<Empty>(); }

class HashJoin final : public Operator {
 public:
  // size_hint: the right input's RowMemory when known (a batch's), else 0.
  HashJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right, JoinSpec spec, unsigned level,
           size_t size_hint = 0)
      : ctx_(ctx),
        left_(std::move(left)),
        right_(std::move(right)),
        spec_(std::move(spec)),
        level_(level),
        size_hint_(size_hint) {
    SQLRITE_ASSERT(spec_.left_keys.size() == spec_.right_keys.size() &&
                   spec_.key_types.size() == spec_.left_keys.size());
  }

  void ReportFacts(OperatorFacts& facts) const override {
    facts.join_removed += join_removed_;
    if (!built_ || !Hashed()) return;
    facts.hashed = true;
    facts.hash_batches = std::max<uint64_t>(facts.hash_batches, batch_count_);
    facts.hash_memory = std::max<uint64_t>(facts.hash_memory, build_memory_);
    facts.hash_buckets = std::max<uint64_t>(facts.hash_buckets, buckets_);
    uint64_t rows = spilled_rows_;
    if (!partitioned_) {
      if (KeepsUnmatchedRight()) {
        rows = right_rows_.size();
      } else {
        for (const auto& [key, candidates] : table_) rows += candidates.size();
      }
    }
    facts.hash_rows += rows;
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!built_ && !Hashed() && !KeepsUnmatchedRight()) {
      // A nested loop reads its outer side first, as PostgreSQL's: when it is empty the inner
      // side is never read (EXPLAIN ANALYZE shows it never executed).
      SQLRITE_ASSIGN_OR_RETURN(bool any, left_->Next(max_rows, left_batch_));
      left_next_ = 0;
      if (!any) {
        built_ = true;
        left_done_ = true;
        right_tail_done_ = true;
        left_.reset();
        right_.reset();
        return false;
      }
    }
    if (!built_) {
      SQLRITE_TRY(Build());
      if (partitioned_) SQLRITE_TRY(SplitLeft());
      if (!partitioned_ && right_rows_.empty() &&
          (spec_.kind == JoinKind::kInner || spec_.kind == JoinKind::kRight ||
           spec_.kind == JoinKind::kSemi)) {
        left_done_ = true;
        right_tail_done_ = true;
      }
    }
    if (partitioned_) return NextFromBatches(max_rows, out);
    while (out.size < max_rows) {
      if (cand_ != nullptr && cand_next_ < CandidateCount()) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        const size_t r = Candidate(cand_next_++);
        const Row& lrow = left_batch_[left_next_ - 1];
        if (LeftOnly()) {
          // SEMI / ANTI: the first right row that matches decides; the left row alone goes out
          // (SEMI) or not at all (ANTI).
          if (spec_.residual) {
            Concat(scratch_, &lrow, &right_rows_[r]);
            SQLRITE_ASSIGN_OR_RETURN(
                bool pass, EvalCondition(*spec_.residual, EvalContext{scratch_.data(), nullptr}));
            if (!pass) {
              ++join_removed_;
              continue;
            }
          }
          matched_left_ = true;
          cand_next_ = CandidateCount();
          if (spec_.kind == JoinKind::kSemi) out.Add() = lrow;
          continue;
        }
        Row& row = out.Add();
        if (cand_next_ == CandidateCount() && LeftRowSpentOnMatch()) {
          // The left row's last candidate, and nothing reads the left row after it: its
          // values move into the output row instead of being copied.
          ConcatMovingLeft(row, left_batch_[left_next_ - 1], right_rows_[r]);
        } else {
          Concat(row, &lrow, &right_rows_[r]);
        }
        if (spec_.residual) {
          SQLRITE_ASSIGN_OR_RETURN(
              bool pass, EvalCondition(*spec_.residual, EvalContext{row.data(), nullptr}));
          if (!pass) {
            out.DropLast();
            ++join_removed_;
            continue;
          }
        }
        matched_left_ = true;
        if (!matched_right_.empty()) matched_right_[r] = 1;
        continue;
      }
      if (cand_ != nullptr) {
        // The current left row is through its candidates.
        cand_ = nullptr;
        if (!matched_left_ && spec_.kind == JoinKind::kAnti) {
          out.Add() = left_batch_[left_next_ - 1];
          continue;
        }
        if (!matched_left_ && (spec_.kind == JoinKind::kLeft || spec_.kind == JoinKind::kFull)) {
          Concat(out.Add(), &left_batch_[left_next_ - 1], nullptr);
          continue;
        }
      }
      if (!left_done_) {
        SQLRITE_TRY(NextLeftRow(max_rows - out.size));
        continue;
      }
      if (!right_tail_done_) {
        // RIGHT and FULL: the right rows no left row matched.
        if (matched_right_.empty()) {
          right_tail_done_ = true;
          continue;
        }
        while (tail_next_ < right_rows_.size() && out.size < max_rows) {
          if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
          const size_t r = tail_next_++;
          if (!matched_right_[r]) Concat(out.Add(), nullptr, &right_rows_[r]);
        }
        if (tail_next_ == right_rows_.size()) right_tail_done_ = true;
        continue;
      }
      break;
    }
    return !out.empty();
  }

 private:
  static inline const std::vector<size_t> kNone;

  bool Hashed() const { return !spec_.left_keys.empty(); }
  size_t CandidateCount() const { return Hashed() ? cand_->size() : right_rows_.size(); }
  size_t Candidate(size_t i) const { return Hashed() ? (*cand_)[i] : i; }

  // Whether a left row is never read once its candidates are through: an unmatched left row
  // comes out only of LEFT, FULL and ANTI joins.
  bool LeftRowSpentOnMatch() const {
    return spec_.kind == JoinKind::kInner || spec_.kind == JoinKind::kRight;
  }

  // Concat of a left row that is not read again (its values are moved) and a right row.
  void ConcatMovingLeft(Row& row, Row& l, const Row& r) const {
    row.clear();
    row.reserve(spec_.left_width + spec_.right_width);
    row.insert(row.end(), std::make_move_iterator(l.begin()), std::make_move_iterator(l.end()));
    row.insert(row.end(), r.begin(), r.end());
  }

  void Concat(Row& row, const Row* l, const Row* r) const {
    row.clear();
    row.reserve(spec_.left_width + spec_.right_width);
    if (l != nullptr) {
      row.insert(row.end(), l->begin(), l->end());
    } else {
      row.resize(spec_.left_width);
    }
    if (r != nullptr) {
      row.insert(row.end(), r->begin(), r->end());
    } else {
      row.resize(spec_.left_width + spec_.right_width);
    }
  }

  // The encoded key of row under keys (false: a key is NULL, so the row matches nothing).
  static Result<bool> Key(const std::vector<BoundExpr>& keys, const std::vector<TypeId>& types,
                          const Row& row, std::string& key) {
    key.clear();
    for (size_t k = 0; k < keys.size(); ++k) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(keys[k], EvalContext{row.data(), nullptr}));
      if (IsNull(v)) return false;
      AppendKeyColumn(key, v, types[k]);
    }
    return true;
  }

  Status Build() {
    built_ = true;
    Batch batch;
    std::string key;
    size_t memory = 0;
    const bool may_spill = Hashed() && ctx_.spill.can_spill() && level_ < kMaxSpillLevel;
    // SEMI / ANTI without a residual: whether a key is there is all a left row asks, so one row
    // stands for each distinct key (the others, and NULL keys, are not kept). Kept whole: a
    // build that outgrows hash_mem spills its rows, keyed again.
    const bool keys_only = LeftOnly() && Hashed() && !spec_.residual;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, right_->Next(kBatchRows, batch));
      if (!more) break;
      for (size_t i = 0; i < batch.size; ++i) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        if (partitioned_) {
          SQLRITE_TRY(SpillRight(batch[i], key));
          continue;
        }
        if (Hashed()) {
          SQLRITE_ASSIGN_OR_RETURN(bool has_key,
                                   Key(spec_.right_keys, spec_.key_types, batch[i], key));
          if (has_key) {
            auto [it, inserted] = table_.try_emplace(key);
            if (keys_only && !inserted) continue;
            if (inserted) memory += key.size() + 64;
            it->second.push_back(right_rows_.size());
            memory += sizeof(size_t);
          } else if (keys_only) {
            continue;
          }
        }
        memory += RowMemory(batch[i]);
        right_rows_.push_back(std::move(batch[i]));
        if (may_spill && memory > ctx_.spill.hash_mem) SQLRITE_TRY(StartPartitioning());
      }
    }
    right_.reset();
    build_memory_ = memory;
    buckets_ = table_.bucket_count();
    if (partitioned_) {
      for (BatchFiles& b : batches_) SQLRITE_TRY(b.right->EndRun());
      if (right_nulls_ != nullptr) {
        SQLRITE_ASSIGN_OR_RETURN(size_t run, right_nulls_->EndRun());
        spilled_rows_ += right_nulls_->run_rows(run);
      }
      for (const BatchFiles& b : batches_) spilled_rows_ += b.right->run_rows(0);
      return Ok();
    }
    if (spec_.kind == JoinKind::kRight || spec_.kind == JoinKind::kFull) {
      matched_right_.assign(right_rows_.size(), 0);
    }
    return Ok();
  }

  // ---- Batches (grace hash join): past hash_mem, both inputs are split by their key's hash
  // into files, and each pair of files is joined by a HashJoin of its own (which splits again
  // if its right side still does not fit). A right row with a NULL key matches nothing: RIGHT
  // and FULL keep it for the end; a left one is kept (LEFT, FULL) to be emitted unmatched.

  struct BatchFiles {
    std::unique_ptr<SpillFile> left;
    std::unique_ptr<SpillFile> right;
    size_t right_memory = 0;  // RowMemory of the right rows: the batch's hash table's size
  };

  bool KeepsUnmatchedRight() const {
    return spec_.kind == JoinKind::kRight || spec_.kind == JoinKind::kFull;
  }
  bool KeepsUnmatchedLeft() const {
    return spec_.kind == JoinKind::kLeft || spec_.kind == JoinKind::kFull ||
           spec_.kind == JoinKind::kAnti;
  }
  // SEMI and ANTI: output rows are the left rows alone.
  bool LeftOnly() const { return spec_.kind == JoinKind::kSemi || spec_.kind == JoinKind::kAnti; }

  Status StartPartitioning() {
    partitioned_ = true;
    // Two files per batch. A batch's join knows the size of its right side: enough batches for
    // each to fit, not the most its buffers allow (a few large batches split into many
    // thousands of tiny files would cost more than they save).
    size_t count = std::max<size_t>(PartitionCount(ctx_.spill.hash_mem) / 2, 4);
    if (size_hint_ != 0) {
      count = std::clamp<size_t>(size_hint_ / (ctx_.spill.hash_mem / 2) + 1, 2, count);
    }
    for (size_t i = 0; i < count; ++i) {
      BatchFiles b;
      SQLRITE_ASSIGN_OR_RETURN(b.left, SpillFile::Create(ctx_.spill));
      SQLRITE_ASSIGN_OR_RETURN(b.right, SpillFile::Create(ctx_.spill));
      batches_.push_back(std::move(b));
    }
    batch_count_ = batches_.size();
    std::string key;
    for (const Row& row : right_rows_) SQLRITE_TRY(SpillRight(row, key));
    right_rows_ = {};
    table_ = {};
    return Ok();
  }

  Status SpillRight(const Row& row, std::string& key) {
    SQLRITE_ASSIGN_OR_RETURN(bool has_key, Key(spec_.right_keys, spec_.key_types, row, key));
    if (has_key) {
      BatchFiles& b = batches_[PartitionHash(key, level_) % batches_.size()];
      b.right_memory += RowMemory(row);
      return b.right->Append(row);
    }
    if (!KeepsUnmatchedRight()) return Ok();
    if (right_nulls_ == nullptr) {
      SQLRITE_ASSIGN_OR_RETURN(right_nulls_, SpillFile::Create(ctx_.spill));
    }
    return right_nulls_->Append(row);
  }

  // Reads the whole left input into the batches' files.
  Status SplitLeft() {
    Batch in;
    std::string key;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, left_->Next(kBatchRows, in));
      if (!more) break;
      for (size_t i = 0; i < in.size; ++i) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        SQLRITE_ASSIGN_OR_RETURN(bool has_key, Key(spec_.left_keys, spec_.key_types, in[i], key));
        if (has_key) {
          SQLRITE_TRY(batches_[PartitionHash(key, level_) % batches_.size()].left->Append(in[i]));
          continue;
        }
        if (!KeepsUnmatchedLeft()) continue;
        if (left_nulls_ == nullptr) {
          SQLRITE_ASSIGN_OR_RETURN(left_nulls_, SpillFile::Create(ctx_.spill));
        }
        SQLRITE_TRY(left_nulls_->Append(in[i]));
      }
    }
    left_.reset();
    for (BatchFiles& b : batches_) SQLRITE_TRY(b.left->EndRun());
    if (left_nulls_ != nullptr) SQLRITE_TRY(left_nulls_->EndRun());
    return Ok();
  }

  // The join of the next batch (or of the NULL-keyed rows, unmatched by definition); null when
  // none is left.
  OperatorPtr NextBatchJoin() {
    while (next_batch_ < batches_.size()) {
      BatchFiles b = std::move(batches_[next_batch_++]);
      const bool no_left = b.left->run_rows(0) == 0;
      const bool no_right = b.right->run_rows(0) == 0;
      // Nothing to emit: no pairs, and no unmatched row an outer join would keep.
      if ((no_left || no_right) && (no_left || !KeepsUnmatchedLeft()) &&
          (no_right || !KeepsUnmatchedRight())) {
        continue;
      }
      return std::make_unique<HashJoin>(ctx_, MakeSpillScan(ctx_, std::move(b.left)),
                                        MakeSpillScan(ctx_, std::move(b.right)), spec_, level_ + 1,
                                        b.right_memory);
    }
    batches_.clear();
    // The NULL-keyed rows, against an empty other side (which they do not read): emitted
    // unmatched, never split again.
    if (left_nulls_ != nullptr) {
      return std::make_unique<HashJoin>(ctx_, MakeSpillScan(ctx_, std::move(left_nulls_)),
                                        MakeEmpty(), spec_, kMaxSpillLevel);
    }
    if (right_nulls_ != nullptr) {
      return std::make_unique<HashJoin>(
          ctx_, MakeEmpty(), MakeSpillScan(ctx_, std::move(right_nulls_)), spec_, kMaxSpillLevel);
    }
    return nullptr;
  }

  Result<bool> NextFromBatches(size_t max_rows, Batch& out) {
    while (out.size < max_rows) {
      if (batch_join_ == nullptr) {
        batch_join_ = NextBatchJoin();
        if (batch_join_ == nullptr) break;
      }
      Batch part;
      SQLRITE_ASSIGN_OR_RETURN(bool more, batch_join_->Next(max_rows - out.size, part));
      if (!more) {
        batch_join_.reset();
        continue;
      }
      for (size_t r = 0; r < part.size; ++r) std::swap(out.Add(), part[r]);
    }
    return !out.empty();
  }

  // Moves to the next left row and finds its candidates; at the end of the left input, sets
  // left_done_.
  Status NextLeftRow(size_t want) {
    if (left_next_ == left_batch_.size) {
      // Each left row yields about one row: ask for as many as the output still needs.
      SQLRITE_ASSIGN_OR_RETURN(bool more, left_->Next(want, left_batch_));
      left_next_ = 0;
      if (!more) {
        left_done_ = true;
        left_.reset();
        return Ok();
      }
    }
    if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
    const Row& lrow = left_batch_[left_next_++];
    matched_left_ = false;
    cand_next_ = 0;
    cand_ = &kNone;
    if (Hashed()) {
      SQLRITE_ASSIGN_OR_RETURN(bool has_key, Key(spec_.left_keys, spec_.key_types, lrow, key_));
      if (has_key) {
        auto it = table_.find(key_);
        if (it != table_.end()) cand_ = &it->second;
      }
    }
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr left_;
  OperatorPtr right_;
  JoinSpec spec_;
  unsigned level_;  // 0, or how many times the rows were split into batches
  size_t size_hint_;
  bool built_ = false;
  // Split into batches (NextFromBatches): the batches not yet joined, the NULL-keyed rows kept
  // for an outer join, the join of the current batch.
  bool partitioned_ = false;
  std::vector<BatchFiles> batches_;
  size_t next_batch_ = 0;
  std::unique_ptr<SpillFile> left_nulls_;
  std::unique_ptr<SpillFile> right_nulls_;
  OperatorPtr batch_join_;
  std::vector<Row> right_rows_;
  std::unordered_map<std::string, std::vector<size_t>> table_;
  std::vector<char> matched_right_;  // RIGHT/FULL: per right row
  Batch left_batch_;
  size_t left_next_ = 0;  // the current left row is left_batch_[left_next_ - 1]
  // The current left row's candidates (for a nested loop only non-null as a flag); null: none
  // being joined.
  const std::vector<size_t>* cand_ = nullptr;
  size_t cand_next_ = 0;
  bool matched_left_ = false;
  Row scratch_;  // SEMI / ANTI: a candidate pair, for the residual
  bool left_done_ = false;
  bool right_tail_done_ = false;
  size_t tail_next_ = 0;
  std::string key_;
  // EXPLAIN ANALYZE's figures: the hash table's memory and buckets when built, its batches.
  size_t build_memory_ = 0;
  size_t buckets_ = 0;
  size_t batch_count_ = 1;
  uint64_t spilled_rows_ = 0;  // partitioned: the right rows written to the batches
  uint64_t join_removed_ = 0;  // candidate pairs the residual rejected
};

}  // namespace

OperatorPtr MakeHashJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right, JoinSpec spec) {
  return std::make_unique<HashJoin>(ctx, std::move(left), std::move(right), std::move(spec), 0);
}

}  // namespace sqlrite::engine::exec
