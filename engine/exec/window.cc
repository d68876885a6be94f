#include "engine/exec/window.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "common/assert.h"
#include "engine/exec/aggregate.h"
#include "engine/exec/filter.h"

namespace sqlrite::engine::exec {
namespace {

// Two keys are peers: equal, NULL equal to NULL.
bool KeysEqual(const std::vector<Datum>& a, const std::vector<Datum>& b) {
  for (size_t k = 0; k < a.size(); ++k) {
    const bool an = IsNull(a[k]), bn = IsNull(b[k]);
    if (an || bn) {
      if (an != bn) return false;
      continue;
    }
    if (CompareDatums(a[k], b[k]) != 0) return false;
  }
  return true;
}

// a + b and a - b of a row index and a frame offset, clamped to [0, limit].
int64_t ClampedAdd(int64_t a, int64_t b, int64_t limit) {
  if (b > limit) return limit;  // b >= 0 and a <= limit: a + b could overflow only past limit
  return std::clamp<int64_t>(a + b, 0, limit);
}
int64_t ClampedSub(int64_t a, int64_t b, int64_t limit) {
  if (b > limit) return 0;
  return std::clamp<int64_t>(a - b, 0, limit);
}

class WindowAgg final : public Operator {
 public:
  WindowAgg(ReadContext& ctx, OperatorPtr input, WindowSpec spec, std::vector<WindowCall> calls,
            size_t agg_offset)
      : ctx_(ctx),
        input_(std::move(input)),
        spec_(std::move(spec)),
        calls_(std::move(calls)),
        agg_offset_(agg_offset),
        results_(calls_.size()) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows) {
      if (next_ < rows_.size()) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        Row& row = out.Add();
        row = std::move(rows_[next_]);
        for (std::vector<Datum>& r : results_) row.push_back(std::move(r[next_]));
        ++next_;
        continue;
      }
      if (input_done_ && in_pos_ >= in_.size) break;
      SQLRITE_TRY(LoadPartition());
      if (rows_.empty()) break;
      SQLRITE_TRY(Compute());
    }
    return !out.empty();
  }

 private:
  EvalContext At(size_t row) const { return RowContext(rows_[row], agg_offset_); }

  Result<std::vector<Datum>> KeysOf(const Row& row, bool partition) {
    const EvalContext ectx = RowContext(row, agg_offset_);
    std::vector<Datum> keys;
    if (partition) {
      for (const BoundExpr& p : spec_.partition_by) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(p, ectx));
        keys.push_back(std::move(v));
      }
    } else {
      for (const WindowOrderKey& k : spec_.order_by) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(k.expr, ectx));
        keys.push_back(std::move(v));
      }
    }
    return keys;
  }

  // Reads the next partition's rows into rows_ (empty at the end of the input).
  Status LoadPartition() {
    rows_.clear();
    order_keys_.clear();
    next_ = 0;
    std::vector<Datum> partition;
    for (;;) {
      if (in_pos_ >= in_.size) {
        if (input_done_) break;
        SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(kBatchRows, in_));
        in_pos_ = 0;
        if (!more) {
          input_done_ = true;
          input_.reset();
          break;
        }
      }
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Row& row = in_[in_pos_];
      if (!spec_.partition_by.empty()) {
        SQLRITE_ASSIGN_OR_RETURN(std::vector<Datum> keys, KeysOf(row, true));
        if (rows_.empty()) {
          partition = std::move(keys);
        } else if (!KeysEqual(partition, keys)) {
          break;  // the next partition's first row stays in in_ for the next call
        }
      }
      if (!spec_.order_by.empty()) {
        SQLRITE_ASSIGN_OR_RETURN(std::vector<Datum> keys, KeysOf(row, false));
        order_keys_.push_back(std::move(keys));
      }
      rows_.push_back(std::move(row));
      ++in_pos_;
    }
    return Ok();
  }

  // Frame offsets, evaluated once (they hold no column).
  Status EvalOffsets() {
    if (offsets_ready_) return Ok();
    offsets_ready_ = true;
    const bool range = (spec_.frame.options & ast::kFrameRange) != 0;
    auto one = [&](const std::optional<BoundExpr>& e, bool start, Datum& out) -> Status {
      if (!e) return Ok();
      SQLRITE_ASSIGN_OR_RETURN(out, Eval(*e, EvalContext{}));
      const char* which = start ? "starting" : "ending";
      if (IsNull(out)) {
        return Fail(sqlstate::kNullValueNotAllowed,
                    std::string("frame ") + which + " offset must not be null");
      }
      if (range) {
        Datum zero;
        if (std::holds_alternative<int64_t>(out)) {
          zero = Datum(int64_t{0});
        } else if (std::holds_alternative<double>(out)) {
          zero = Datum(0.0);
        } else if (std::holds_alternative<Interval>(out)) {
          zero = Datum(Interval{});
        } else {
          zero = NumericDatum(Numeric());
        }
        if (CompareDatums(out, zero) < 0) {
          return Fail(sqlstate::kInvalidPrecedingOrFollowingSize,
                      "invalid preceding or following size in window function");
        }
      } else if (DatumAs<int64_t>(out) < 0) {
        return Fail(sqlstate::kInvalidPrecedingOrFollowingSize,
                    std::string("frame ") + which + " offset must not be negative");
      }
      return Ok();
    };
    SQLRITE_TRY(one(spec_.frame.start_offset, true, start_offset_));
    return one(spec_.frame.end_offset, false, end_offset_);
  }

  // Peer groups of the partition: group_[i] for each row, and each group's [first, end).
  void ComputeGroups() {
    const size_t n = rows_.size();
    group_.assign(n, 0);
    group_first_.clear();
    group_end_.clear();
    for (size_t i = 0; i < n; ++i) {
      if (i == 0 || (!spec_.order_by.empty() && !KeysEqual(order_keys_[i - 1], order_keys_[i]))) {
        if (i > 0) group_end_.push_back(i);
        group_first_.push_back(i);
      }
      group_[i] = group_first_.size() - 1;
    }
    group_end_.push_back(n);
  }

  // Whether row j's RANGE key satisfies cond against current row i's (the in_range test).
  Result<bool> InRange(const BoundExpr& cond, size_t j, size_t i, const Datum& offset) {
    const Datum values[3] = {order_keys_[j][0], order_keys_[i][0], offset};
    return EvalCondition(cond, EvalContext{values, nullptr});
  }

  // Row i's frame [start, end), before exclusion.
  Status FrameOf(size_t i, size_t& start, size_t& end) {
    const int opts = spec_.frame.options;
    const int64_t n = static_cast<int64_t>(rows_.size());
    const int64_t row = static_cast<int64_t>(i);
    const size_t g = group_[i];
    const int64_t groups = static_cast<int64_t>(group_first_.size());
    auto off = [](const Datum& d) { return DatumAs<int64_t>(d); };
    auto group_first = [&](int64_t k) -> int64_t {
      return k < 0         ? 0
             : k >= groups ? n
                           : static_cast<int64_t>(group_first_[static_cast<size_t>(k)]);
    };
    auto group_end = [&](int64_t k) -> int64_t {
      return k < 0 ? 0 : k >= groups ? n : static_cast<int64_t>(group_end_[static_cast<size_t>(k)]);
    };
    const int64_t gi = static_cast<int64_t>(g);
    int64_t s = 0, e = n;
    // Start.
    if ((opts & ast::kFrameStartUnboundedPreceding) != 0) {
      s = 0;
    } else if ((opts & ast::kFrameStartCurrentRow) != 0) {
      s = (opts & ast::kFrameRows) != 0 ? row : static_cast<int64_t>(group_first_[g]);
    } else if ((opts & ast::kFrameRows) != 0) {
      s = (opts & ast::kFrameStartOffsetPreceding) != 0 ? ClampedSub(row, off(start_offset_), n)
                                                        : ClampedAdd(row, off(start_offset_), n);
    } else if ((opts & ast::kFrameGroups) != 0) {
      const int64_t o = std::min<int64_t>(off(start_offset_), groups);
      s = group_first((opts & ast::kFrameStartOffsetPreceding) != 0 ? gi - o : gi + o);
    } else {
      SQLRITE_ASSIGN_OR_RETURN(s, RangeStart(i));
    }
    // End (exclusive).
    if ((opts & ast::kFrameEndUnboundedFollowing) != 0) {
      e = n;
    } else if ((opts & ast::kFrameEndCurrentRow) != 0) {
      e = (opts & ast::kFrameRows) != 0 ? row + 1 : static_cast<int64_t>(group_end_[g]);
    } else if ((opts & ast::kFrameRows) != 0) {
      e = (opts & ast::kFrameEndOffsetPreceding) != 0 ? ClampedSub(row + 1, off(end_offset_), n)
                                                      : ClampedAdd(row + 1, off(end_offset_), n);
    } else if ((opts & ast::kFrameGroups) != 0) {
      const int64_t o = std::min<int64_t>(off(end_offset_), groups);
      e = group_end((opts & ast::kFrameEndOffsetPreceding) != 0 ? gi - o : gi + o);
    } else {
      SQLRITE_ASSIGN_OR_RETURN(e, RangeEnd(i));
    }
    start = static_cast<size_t>(s);
    end = static_cast<size_t>(std::max(s, e));
    return Ok();
  }

  // The rows with a non-NULL key: [nonnull_begin_, nonnull_end_) (NULLs sort to one end).
  void FindNonNull() {
    nonnull_begin_ = 0;
    nonnull_end_ = rows_.size();
    if (spec_.order_by.empty()) return;
    while (nonnull_begin_ < nonnull_end_ && IsNull(order_keys_[nonnull_begin_][0])) {
      ++nonnull_begin_;
    }
    while (nonnull_end_ > nonnull_begin_ && IsNull(order_keys_[nonnull_end_ - 1][0])) {
      --nonnull_end_;
    }
  }

  // RANGE offset bounds: the first row at or after the start (the in_range condition holds
  // from there on), one past the last row before the end. A NULL key's frame is its peers.
  // Both bounds only move forward as the current row does (the keys are sorted), so each is
  // a pointer advanced over the partition once: O(n) conditions evaluated per partition.
  Result<int64_t> RangeStart(size_t i) {
    if (IsNull(order_keys_[i][0])) return static_cast<int64_t>(group_first_[group_[i]]);
    size_t& p = range_start_;
    p = std::max(p, nonnull_begin_);
    while (p < nonnull_end_) {
      SQLRITE_ASSIGN_OR_RETURN(bool in, InRange(*spec_.frame.start_in_range, p, i, start_offset_));
      if (in) break;
      ++p;
    }
    return static_cast<int64_t>(p);
  }
  Result<int64_t> RangeEnd(size_t i) {
    if (IsNull(order_keys_[i][0])) return static_cast<int64_t>(group_end_[group_[i]]);
    size_t& q = range_end_;
    q = std::max(q, nonnull_begin_);
    while (q < nonnull_end_) {
      SQLRITE_ASSIGN_OR_RETURN(bool in, InRange(*spec_.frame.end_in_range, q, i, end_offset_));
      if (!in) break;
      ++q;
    }
    return static_cast<int64_t>(q);
  }

  // Whether EXCLUDE leaves row j out of row i's frame.
  bool Excluded(size_t j, size_t i) const {
    const int opts = spec_.frame.options;
    if ((opts & ast::kFrameExcludeCurrentRow) != 0) return j == i;
    if ((opts & ast::kFrameExcludeGroup) != 0) return group_[j] == group_[i];
    if ((opts & ast::kFrameExcludeTies) != 0) return j != i && group_[j] == group_[i];
    return false;
  }
  bool Excludes() const {
    return (spec_.frame.options &
            (ast::kFrameExcludeCurrentRow | ast::kFrameExcludeGroup | ast::kFrameExcludeTies)) != 0;
  }

  Status Poll() {
    if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
    return Ok();
  }

  Status Compute() {
    SQLRITE_TRY(EvalOffsets());
    ComputeGroups();
    FindNonNull();
    range_start_ = range_end_ = 0;
    const size_t n = rows_.size();
    frame_start_.resize(n);
    frame_end_.resize(n);
    bool frames_needed = false;
    for (const WindowCall& c : calls_) {
      frames_needed |= c.kind == WindowFuncKind::kAggregate ||
                       c.kind == WindowFuncKind::kFirstValue ||
                       c.kind == WindowFuncKind::kLastValue || c.kind == WindowFuncKind::kNthValue;
    }
    if (frames_needed) {
      for (size_t i = 0; i < n; ++i) {
        SQLRITE_TRY(Poll());
        SQLRITE_TRY(FrameOf(i, frame_start_[i], frame_end_[i]));
      }
    }
    for (size_t c = 0; c < calls_.size(); ++c) {
      std::vector<Datum>& out = results_[c];
      out.assign(n, Datum{});
      SQLRITE_TRY(ComputeCall(calls_[c], out));
    }
    return Ok();
  }

  Status ComputeCall(const WindowCall& call, std::vector<Datum>& out) {
    const size_t n = rows_.size();
    switch (call.kind) {
      case WindowFuncKind::kRowNumber:
        for (size_t i = 0; i < n; ++i) out[i] = Datum(static_cast<int64_t>(i + 1));
        return Ok();
      case WindowFuncKind::kRank:
        for (size_t i = 0; i < n; ++i) {
          out[i] = Datum(static_cast<int64_t>(group_first_[group_[i]] + 1));
        }
        return Ok();
      case WindowFuncKind::kDenseRank:
        for (size_t i = 0; i < n; ++i) out[i] = Datum(static_cast<int64_t>(group_[i] + 1));
        return Ok();
      case WindowFuncKind::kPercentRank:
        for (size_t i = 0; i < n; ++i) {
          out[i] = Datum(n > 1 ? static_cast<double>(group_first_[group_[i]]) /
                                     static_cast<double>(n - 1)
                               : 0.0);
        }
        return Ok();
      case WindowFuncKind::kCumeDist:
        for (size_t i = 0; i < n; ++i) {
          out[i] = Datum(static_cast<double>(group_end_[group_[i]]) / static_cast<double>(n));
        }
        return Ok();
      case WindowFuncKind::kNtile:
        return Ntile(call, out);
      case WindowFuncKind::kLag:
      case WindowFuncKind::kLead:
        return LagLead(call, out);
      case WindowFuncKind::kFirstValue:
      case WindowFuncKind::kLastValue:
      case WindowFuncKind::kNthValue:
        return FrameValue(call, out);
      case WindowFuncKind::kAggregate:
        return FrameAggregate(call, out);
    }
    return Ok();
  }

  // nodeWindowAgg.c's window_ntile: the count read at the first row, rows dealt out so the
  // first (rows % count) buckets hold one more.
  Status Ntile(const WindowCall& call, std::vector<Datum>& out) {
    const int64_t total = static_cast<int64_t>(rows_.size());
    int64_t ntile = 0, rows_per_bucket = 0, boundary = 0, remainder = 0;
    for (size_t i = 0; i < rows_.size(); ++i) {
      SQLRITE_TRY(Poll());
      if (ntile == 0) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(call.args[0], At(i)));
        if (IsNull(v)) continue;
        const int64_t buckets = DatumAs<int64_t>(v);
        if (buckets <= 0) {
          return Fail(sqlstate::kInvalidArgumentForNtileFunction,
                      "argument of ntile must be greater than zero");
        }
        boundary = total / buckets;
        if (boundary <= 0) {
          boundary = 1;
        } else {
          remainder = total % buckets;
          if (remainder != 0) ++boundary;
        }
        ntile = 1;
        rows_per_bucket = 0;
      }
      ++rows_per_bucket;
      if (boundary < rows_per_bucket) {
        if (remainder != 0 && ntile == remainder) {
          remainder = 0;
          --boundary;
        }
        ++ntile;
        rows_per_bucket = 1;
      }
      out[i] = Datum(static_cast<int64_t>(ntile));
    }
    return Ok();
  }

  Status LagLead(const WindowCall& call, std::vector<Datum>& out) {
    const int64_t n = static_cast<int64_t>(rows_.size());
    const bool lag = call.kind == WindowFuncKind::kLag;
    for (size_t i = 0; i < rows_.size(); ++i) {
      SQLRITE_TRY(Poll());
      int64_t offset = 1;
      if (call.args.size() > 1) {
        SQLRITE_ASSIGN_OR_RETURN(Datum o, Eval(call.args[1], At(i)));
        if (IsNull(o)) continue;
        offset = DatumAs<int64_t>(o);
      }
      const int64_t target = static_cast<int64_t>(i) + (lag ? -offset : offset);
      if (target >= 0 && target < n) {
        SQLRITE_ASSIGN_OR_RETURN(out[i], Eval(call.args[0], At(static_cast<size_t>(target))));
      } else if (call.args.size() > 2) {
        SQLRITE_ASSIGN_OR_RETURN(out[i], Eval(call.args[2], At(i)));
      }
    }
    return Ok();
  }

  Status FrameValue(const WindowCall& call, std::vector<Datum>& out) {
    const bool excludes = Excludes();
    for (size_t i = 0; i < rows_.size(); ++i) {
      SQLRITE_TRY(Poll());
      const size_t s = frame_start_[i], e = frame_end_[i];
      std::optional<size_t> pick;
      if (call.kind == WindowFuncKind::kFirstValue) {
        for (size_t j = s; j < e; ++j) {
          if (!excludes || !Excluded(j, i)) {
            pick = j;
            break;
          }
        }
      } else if (call.kind == WindowFuncKind::kLastValue) {
        for (size_t j = e; j > s; --j) {
          if (!excludes || !Excluded(j - 1, i)) {
            pick = j - 1;
            break;
          }
        }
      } else {
        SQLRITE_ASSIGN_OR_RETURN(Datum nth, Eval(call.args[1], At(i)));
        if (IsNull(nth)) continue;
        const int64_t k = DatumAs<int64_t>(nth);
        if (k <= 0) {
          return Fail(sqlstate::kInvalidArgumentForNthValueFunction,
                      "argument of nth_value must be greater than zero");
        }
        int64_t seen = 0;
        for (size_t j = s; j < e; ++j) {
          if (excludes && Excluded(j, i)) continue;
          if (++seen == k) {
            pick = j;
            break;
          }
        }
      }
      if (pick) {
        SQLRITE_ASSIGN_OR_RETURN(out[i], Eval(call.args[0], At(*pick)));
      }
    }
    return Ok();
  }

  Status FrameAggregate(const WindowCall& call, std::vector<Datum>& out) {
    const size_t n = rows_.size();
    const bool excludes = Excludes();
    if ((spec_.frame.options & ast::kFrameStartUnboundedPreceding) != 0 && !excludes) {
      // Every frame starts at the partition's start and its end never moves back: one running
      // state, each row adding the rows its frame gained.
      AggState state;
      size_t upto = 0;
      for (size_t i = 0; i < n; ++i) {
        SQLRITE_TRY(Poll());
        if (frame_end_[i] < upto) {
          // A frame that lost rows (not expected with a fixed start): start over.
          state = AggState{};
          upto = 0;
        }
        if (i > 0 && frame_end_[i] == upto) {
          out[i] = out[i - 1];
          continue;
        }
        for (; upto < frame_end_[i]; ++upto) {
          SQLRITE_TRY(Poll());
          SQLRITE_TRY(Accumulate(call.agg, state, At(upto)));
        }
        SQLRITE_ASSIGN_OR_RETURN(out[i], FinishAggregate(call.agg, state));
      }
      return Ok();
    }
    for (size_t i = 0; i < n; ++i) {
      SQLRITE_TRY(Poll());
      if (i > 0 && !excludes && frame_start_[i] == frame_start_[i - 1] &&
          frame_end_[i] == frame_end_[i - 1]) {
        out[i] = out[i - 1];
        continue;
      }
      AggState state;
      for (size_t j = frame_start_[i]; j < frame_end_[i]; ++j) {
        if (excludes && Excluded(j, i)) continue;
        SQLRITE_TRY(Poll());
        SQLRITE_TRY(Accumulate(call.agg, state, At(j)));
      }
      SQLRITE_ASSIGN_OR_RETURN(out[i], FinishAggregate(call.agg, state));
    }
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr input_;
  WindowSpec spec_;
  std::vector<WindowCall> calls_;
  size_t agg_offset_;

  Batch in_;  // input rows read ahead; [in_pos_, in_.size) not yet taken
  size_t in_pos_ = 0;
  bool input_done_ = false;

  // The current partition.
  std::vector<Row> rows_;
  std::vector<std::vector<Datum>> order_keys_;   // per row, its ORDER BY values
  std::vector<size_t> group_;                    // per row, its peer group
  std::vector<size_t> group_first_, group_end_;  // per peer group, its rows
  std::vector<size_t> frame_start_, frame_end_;  // per row, its frame before EXCLUDE
  size_t nonnull_begin_ = 0, nonnull_end_ = 0;
  size_t range_start_ = 0, range_end_ = 0;   // RANGE offset bounds of the last row computed
  std::vector<std::vector<Datum>> results_;  // per call, per row
  size_t next_ = 0;                          // the next row of rows_ to hand out

  bool offsets_ready_ = false;
  Datum start_offset_, end_offset_;
};

}  // namespace

OperatorPtr MakeWindowAgg(ReadContext& ctx, OperatorPtr input, WindowSpec spec,
                          std::vector<WindowCall> calls, size_t agg_offset) {
  return std::make_unique<WindowAgg>(ctx, std::move(input), std::move(spec), std::move(calls),
                                     agg_offset);
}

}  // namespace sqlrite::engine::exec
