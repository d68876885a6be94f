#include "engine/exec/hash_join.h"

#include <string>
#include <unordered_map>
#include <utility>

#include "common/assert.h"
#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

class HashJoin final : public Operator {
 public:
  HashJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right, JoinSpec spec)
      : ctx_(ctx), left_(std::move(left)), right_(std::move(right)), spec_(std::move(spec)) {
    SQLRITE_ASSERT(spec_.left_keys.size() == spec_.right_keys.size() &&
                   spec_.key_types.size() == spec_.left_keys.size());
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!built_) {
      SQLRITE_TRY(Build());
      if (right_rows_.empty() &&
          (spec_.kind == JoinKind::kInner || spec_.kind == JoinKind::kRight)) {
        left_done_ = true;
        right_tail_done_ = true;
      }
    }
    while (out.size < max_rows) {
      if (cand_ != nullptr && cand_next_ < CandidateCount()) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        const size_t r = Candidate(cand_next_++);
        const Row& lrow = left_batch_[left_next_ - 1];
        Row& row = out.Add();
        Concat(row, &lrow, &right_rows_[r]);
        if (spec_.residual) {
          SQLRITE_ASSIGN_OR_RETURN(
              bool pass, EvalCondition(*spec_.residual, EvalContext{row.data(), nullptr}));
          if (!pass) {
            out.DropLast();
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
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, right_->Next(kBatchRows, batch));
      if (!more) break;
      for (size_t i = 0; i < batch.size; ++i) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        if (Hashed()) {
          SQLRITE_ASSIGN_OR_RETURN(bool has_key,
                                   Key(spec_.right_keys, spec_.key_types, batch[i], key));
          if (has_key) table_[key].push_back(right_rows_.size());
        }
        right_rows_.push_back(std::move(batch[i]));
      }
    }
    right_.reset();
    if (spec_.kind == JoinKind::kRight || spec_.kind == JoinKind::kFull) {
      matched_right_.assign(right_rows_.size(), 0);
    }
    return Ok();
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
  bool built_ = false;
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
  bool left_done_ = false;
  bool right_tail_done_ = false;
  size_t tail_next_ = 0;
  std::string key_;
};

}  // namespace

OperatorPtr MakeHashJoin(ReadContext& ctx, OperatorPtr left, OperatorPtr right, JoinSpec spec) {
  return std::make_unique<HashJoin>(ctx, std::move(left), std::move(right), std::move(spec));
}

}  // namespace sqlrite::engine::exec
