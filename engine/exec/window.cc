#include "engine/exec/window.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "common/assert.h"
#include "engine/exec/aggregate.h"
#include "engine/exec/filter.h"
#include "engine/exec/row_store.h"

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

// A partition is read whole into a RowStore (in memory up to work_mem, in a temporary file past
// it), each row followed by its ORDER BY values; then its rows are produced one at a time, every
// call's value computed for the current row from positions that only move forward: the current
// peer group, the GROUPS offset bounds (GroupCursor), the RANGE offset bounds, each aggregate's
// running state. Nothing is kept per row of the partition, so a partition of any size costs
// work_mem; rows out of the frame's way (lag's target, a frame's rows) are read through the
// store, which keeps the blocks last read.
//
// Invariants, checked at each row: gfirst_ <= cur_ < gend_ <= n (the current row's peer group);
// a GroupCursor's [first, end) is its group's rows, first == n past the last group.
class WindowAgg final : public Operator {
 public:
  WindowAgg(ReadContext& ctx, OperatorPtr input, WindowSpec spec, std::vector<WindowCall> calls,
            size_t agg_offset)
      : ctx_(ctx),
        input_(std::move(input)),
        spec_(std::move(spec)),
        calls_(std::move(calls)),
        agg_offset_(agg_offset),
        keys_(spec_.order_by.size()),
        store_(ctx_.spill, ctx_.spill.work_mem),
        states_(calls_.size()) {
    for (const WindowCall& c : calls_) {
      frames_needed_ |= c.kind == WindowFuncKind::kAggregate ||
                        c.kind == WindowFuncKind::kFirstValue ||
                        c.kind == WindowFuncKind::kLastValue || c.kind == WindowFuncKind::kNthValue;
    }
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows) {
      if (cur_ < n_) {
        SQLRITE_TRY(Poll());
        SQLRITE_TRY(Produce(out.Add()));
        ++cur_;
        continue;
      }
      if (input_done_ && in_pos_ >= in_.size) break;
      SQLRITE_TRY(LoadPartition());
      if (n_ == 0) break;
      SQLRITE_TRY(StartPartition());
    }
    if (input_done_ && in_pos_ >= in_.size && cur_ >= n_) store_.Clear();  // removes its file
    return !out.empty();
  }

 private:
  // Per call, what carries from one row of the partition to the next.
  struct CallState {
    AggState agg;     // the running aggregate (frames from the partition's start)
    size_t upto = 0;  // rows [0, upto) are in agg
    size_t prev_start = 0, prev_end = 0;
    Datum prev;  // the previous row's value
    int64_t ntile = 0, rows_per_bucket = 0, boundary = 0, remainder = 0;
  };
  // A peer group found by walking the partition forward (GROUPS offset bounds).
  struct GroupCursor {
    int64_t index = 0;
    size_t first = 0, end = 0;
  };

  Status Poll() {
    if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
    return Ok();
  }

  Result<const Row*> At(size_t i) { return store_.Get(i); }
  EvalContext Ctx(const Row& row) const { return RowContext(row, agg_offset_); }
  // Row j's k-th ORDER BY value (stored after its columns).
  static const Datum& KeyOf(const Row& row, size_t keys, size_t k) {
    return row[row.size() - keys + k];
  }

  // Whether rows a and b are peers: equal on every ORDER BY value, NULL equal to NULL.
  Result<bool> Peers(size_t a, size_t b) {
    if (keys_ == 0) return true;
    SQLRITE_ASSIGN_OR_RETURN(const Row* ra, At(a));
    SQLRITE_ASSIGN_OR_RETURN(const Row* rb, At(b));
    for (size_t k = 0; k < keys_; ++k) {
      const Datum& x = KeyOf(*ra, keys_, k);
      const Datum& y = KeyOf(*rb, keys_, k);
      const bool xn = IsNull(x), yn = IsNull(y);
      if (xn || yn) {
        if (xn != yn) return false;
        continue;
      }
      if (CompareDatums(x, y) != 0) return false;
    }
    return true;
  }
  // One past the last peer of row first.
  Result<size_t> PeerEnd(size_t first) {
    if (keys_ == 0) return n_;
    size_t j = first + 1;
    for (; j < n_; ++j) {
      if (((j - first) & 255) == 0) SQLRITE_TRY(Poll());
      SQLRITE_ASSIGN_OR_RETURN(bool peer, Peers(first, j));
      if (!peer) break;
    }
    return j;
  }

  Result<std::vector<Datum>> PartitionKeys(const Row& row) {
    const EvalContext ectx = Ctx(row);
    std::vector<Datum> keys;
    for (const BoundExpr& p : spec_.partition_by) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(p, ectx));
      keys.push_back(std::move(v));
    }
    return keys;
  }

  // Reads the next partition's rows into store_, each followed by its ORDER BY values (n_ = 0
  // at the end of the input).
  Status LoadPartition() {
    store_.Clear();
    n_ = cur_ = 0;
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
      SQLRITE_TRY(Poll());
      Row& row = in_[in_pos_];
      if (!spec_.partition_by.empty()) {
        SQLRITE_ASSIGN_OR_RETURN(std::vector<Datum> keys, PartitionKeys(row));
        if (store_.empty()) {
          partition = std::move(keys);
        } else if (!KeysEqual(partition, keys)) {
          break;  // the next partition's first row stays in in_ for the next call
        }
      }
      if (keys_ != 0) {
        const EvalContext ectx = Ctx(row);
        std::vector<Datum> keys;
        keys.reserve(keys_);
        for (const WindowOrderKey& k : spec_.order_by) {
          SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(k.expr, ectx));
          keys.push_back(std::move(v));
        }
        for (Datum& v : keys) row.push_back(std::move(v));
      }
      SQLRITE_TRY(store_.Append(std::move(row)));
      ++in_pos_;
    }
    n_ = store_.size();
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

  // Resets the per-row positions for a partition just loaded.
  Status StartPartition() {
    SQLRITE_TRY(EvalOffsets());
    gi_ = 0;
    gfirst_ = 0;
    SQLRITE_ASSIGN_OR_RETURN(gend_, PeerEnd(0));
    start_group_ = end_group_ = GroupCursor{0, 0, gend_};
    range_start_ = range_end_ = 0;
    for (CallState& s : states_) s = CallState{};
    // The rows with a non-NULL first key: [nonnull_begin_, nonnull_end_) (NULLs sort to one
    // end). Only RANGE offsets read them.
    nonnull_begin_ = 0;
    nonnull_end_ = n_;
    if (keys_ != 0 && (spec_.frame.options & ast::kFrameRange) != 0) {
      for (; nonnull_begin_ < nonnull_end_; ++nonnull_begin_) {
        SQLRITE_ASSIGN_OR_RETURN(const Row* r, At(nonnull_begin_));
        if (!IsNull(KeyOf(*r, keys_, 0))) break;
      }
      for (; nonnull_end_ > nonnull_begin_; --nonnull_end_) {
        SQLRITE_ASSIGN_OR_RETURN(const Row* r, At(nonnull_end_ - 1));
        if (!IsNull(KeyOf(*r, keys_, 0))) break;
      }
    }
    return Ok();
  }

  // Moves c to group target (or past the last group); target never decreases.
  Status Advance(GroupCursor& c, int64_t target) {
    while (c.index < target && c.first < n_) {
      ++c.index;
      c.first = c.end;
      if (c.first < n_) {
        SQLRITE_ASSIGN_OR_RETURN(c.end, PeerEnd(c.first));
      } else {
        c.end = n_;
      }
    }
    return Ok();
  }

  // Whether row j's RANGE key satisfies cond against current row i's (the in_range test).
  Result<bool> InRange(const BoundExpr& cond, size_t j, size_t i, const Datum& offset) {
    SQLRITE_ASSIGN_OR_RETURN(const Row* rj, At(j));
    SQLRITE_ASSIGN_OR_RETURN(const Row* ri, At(i));
    const Datum values[3] = {KeyOf(*rj, keys_, 0), KeyOf(*ri, keys_, 0), offset};
    return EvalCondition(cond, EvalContext{values, nullptr});
  }

  // RANGE offset bounds: the first row at or after the start (the in_range condition holds
  // from there on), one past the last row before the end. A NULL key's frame is its peers.
  // Both bounds only move forward as the current row does (the keys are sorted), so each is
  // a pointer advanced over the partition once: O(n) conditions evaluated per partition.
  Result<int64_t> RangeStart(size_t i, bool null_key) {
    if (null_key) return static_cast<int64_t>(gfirst_);
    size_t& p = range_start_;
    p = std::max(p, nonnull_begin_);
    while (p < nonnull_end_) {
      SQLRITE_ASSIGN_OR_RETURN(bool in, InRange(*spec_.frame.start_in_range, p, i, start_offset_));
      if (in) break;
      ++p;
    }
    return static_cast<int64_t>(p);
  }
  Result<int64_t> RangeEnd(size_t i, bool null_key) {
    if (null_key) return static_cast<int64_t>(gend_);
    size_t& q = range_end_;
    q = std::max(q, nonnull_begin_);
    while (q < nonnull_end_) {
      SQLRITE_ASSIGN_OR_RETURN(bool in, InRange(*spec_.frame.end_in_range, q, i, end_offset_));
      if (!in) break;
      ++q;
    }
    return static_cast<int64_t>(q);
  }

  // The current row's frame [start, end), before exclusion.
  Status FrameOf(size_t& start, size_t& end) {
    const int opts = spec_.frame.options;
    const int64_t n = static_cast<int64_t>(n_);
    const int64_t row = static_cast<int64_t>(cur_);
    auto off = [](const Datum& d) { return DatumAs<int64_t>(d); };
    bool null_key = false;
    if ((opts & ast::kFrameRange) != 0 && keys_ != 0) {
      SQLRITE_ASSIGN_OR_RETURN(const Row* r, At(cur_));
      null_key = IsNull(KeyOf(*r, keys_, 0));
    }
    int64_t s = 0, e = n;
    // Start.
    if ((opts & ast::kFrameStartUnboundedPreceding) != 0) {
      s = 0;
    } else if ((opts & ast::kFrameStartCurrentRow) != 0) {
      s = (opts & ast::kFrameRows) != 0 ? row : static_cast<int64_t>(gfirst_);
    } else if ((opts & ast::kFrameRows) != 0) {
      s = (opts & ast::kFrameStartOffsetPreceding) != 0 ? ClampedSub(row, off(start_offset_), n)
                                                        : ClampedAdd(row, off(start_offset_), n);
    } else if ((opts & ast::kFrameGroups) != 0) {
      // Offsets past the group count (at most n) all mean the same: past the partition.
      const int64_t o = std::min<int64_t>(off(start_offset_), n);
      const int64_t target = (opts & ast::kFrameStartOffsetPreceding) != 0 ? gi_ - o : gi_ + o;
      if (target < 0) {
        s = 0;
      } else {
        SQLRITE_TRY(Advance(start_group_, target));
        s = static_cast<int64_t>(start_group_.first);
      }
    } else {
      SQLRITE_ASSIGN_OR_RETURN(s, RangeStart(cur_, null_key));
    }
    // End (exclusive).
    if ((opts & ast::kFrameEndUnboundedFollowing) != 0) {
      e = n;
    } else if ((opts & ast::kFrameEndCurrentRow) != 0) {
      e = (opts & ast::kFrameRows) != 0 ? row + 1 : static_cast<int64_t>(gend_);
    } else if ((opts & ast::kFrameRows) != 0) {
      e = (opts & ast::kFrameEndOffsetPreceding) != 0 ? ClampedSub(row + 1, off(end_offset_), n)
                                                      : ClampedAdd(row + 1, off(end_offset_), n);
    } else if ((opts & ast::kFrameGroups) != 0) {
      const int64_t o = std::min<int64_t>(off(end_offset_), n);
      const int64_t target = (opts & ast::kFrameEndOffsetPreceding) != 0 ? gi_ - o : gi_ + o;
      if (target < 0) {
        e = 0;
      } else {
        SQLRITE_TRY(Advance(end_group_, target));
        e = static_cast<int64_t>(end_group_.first < n_ ? end_group_.end : n_);
      }
    } else {
      SQLRITE_ASSIGN_OR_RETURN(e, RangeEnd(cur_, null_key));
    }
    start = static_cast<size_t>(s);
    end = static_cast<size_t>(std::max(s, e));
    return Ok();
  }

  // Whether EXCLUDE leaves row j out of the current row's frame.
  bool Excluded(size_t j) const {
    const int opts = spec_.frame.options;
    const bool peer = j >= gfirst_ && j < gend_;
    if ((opts & ast::kFrameExcludeCurrentRow) != 0) return j == cur_;
    if ((opts & ast::kFrameExcludeGroup) != 0) return peer;
    if ((opts & ast::kFrameExcludeTies) != 0) return j != cur_ && peer;
    return false;
  }
  bool Excludes() const {
    return (spec_.frame.options &
            (ast::kFrameExcludeCurrentRow | ast::kFrameExcludeGroup | ast::kFrameExcludeTies)) != 0;
  }

  // The current row's output: its columns, then one value per call.
  Status Produce(Row& out) {
    SQLRITE_ASSERT(cur_ < n_);
    if (cur_ == gend_) {
      ++gi_;
      gfirst_ = gend_;
      SQLRITE_ASSIGN_OR_RETURN(gend_, PeerEnd(gfirst_));
    }
    SQLRITE_ASSERT(gfirst_ <= cur_ && cur_ < gend_ && gend_ <= n_);
    size_t start = 0, end = n_;
    if (frames_needed_) SQLRITE_TRY(FrameOf(start, end));
    {
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(cur_));
      out.assign(row->begin(), row->end() - static_cast<std::ptrdiff_t>(keys_));
    }
    for (size_t c = 0; c < calls_.size(); ++c) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, ComputeCall(calls_[c], states_[c], start, end));
      out.push_back(std::move(v));
    }
    return Ok();
  }

  Result<Datum> ComputeCall(const WindowCall& call, CallState& st, size_t start, size_t end) {
    const size_t i = cur_;
    const size_t n = n_;
    switch (call.kind) {
      case WindowFuncKind::kRowNumber:
        return Datum(static_cast<int64_t>(i + 1));
      case WindowFuncKind::kRank:
        return Datum(static_cast<int64_t>(gfirst_ + 1));
      case WindowFuncKind::kDenseRank:
        return Datum(static_cast<int64_t>(gi_ + 1));
      case WindowFuncKind::kPercentRank:
        return Datum(n > 1 ? static_cast<double>(gfirst_) / static_cast<double>(n - 1) : 0.0);
      case WindowFuncKind::kCumeDist:
        return Datum(static_cast<double>(gend_) / static_cast<double>(n));
      case WindowFuncKind::kNtile:
        return Ntile(call, st);
      case WindowFuncKind::kLag:
      case WindowFuncKind::kLead:
        return LagLead(call);
      case WindowFuncKind::kFirstValue:
      case WindowFuncKind::kLastValue:
      case WindowFuncKind::kNthValue:
        return FrameValue(call, start, end);
      case WindowFuncKind::kAggregate:
        return FrameAggregate(call, st, start, end);
    }
    return Datum{};
  }

  // nodeWindowAgg.c's window_ntile: the count read at the first row, rows dealt out so the
  // first (rows % count) buckets hold one more.
  Result<Datum> Ntile(const WindowCall& call, CallState& st) {
    const int64_t total = static_cast<int64_t>(n_);
    if (st.ntile == 0) {
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(cur_));
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(call.args[0], Ctx(*row)));
      if (IsNull(v)) return Datum{};
      const int64_t buckets = DatumAs<int64_t>(v);
      if (buckets <= 0) {
        return Fail(sqlstate::kInvalidArgumentForNtileFunction,
                    "argument of ntile must be greater than zero");
      }
      st.boundary = total / buckets;
      if (st.boundary <= 0) {
        st.boundary = 1;
      } else {
        st.remainder = total % buckets;
        if (st.remainder != 0) ++st.boundary;
      }
      st.ntile = 1;
      st.rows_per_bucket = 0;
    }
    ++st.rows_per_bucket;
    if (st.boundary < st.rows_per_bucket) {
      if (st.remainder != 0 && st.ntile == st.remainder) {
        st.remainder = 0;
        --st.boundary;
      }
      ++st.ntile;
      st.rows_per_bucket = 1;
    }
    return Datum(st.ntile);
  }

  Result<Datum> LagLead(const WindowCall& call) {
    const int64_t n = static_cast<int64_t>(n_);
    const bool lag = call.kind == WindowFuncKind::kLag;
    int64_t offset = 1;
    if (call.args.size() > 1) {
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(cur_));
      SQLRITE_ASSIGN_OR_RETURN(Datum o, Eval(call.args[1], Ctx(*row)));
      if (IsNull(o)) return Datum{};
      offset = DatumAs<int64_t>(o);
    }
    const int64_t target = static_cast<int64_t>(cur_) + (lag ? -offset : offset);
    if (target >= 0 && target < n) {
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(static_cast<size_t>(target)));
      return Eval(call.args[0], Ctx(*row));
    }
    if (call.args.size() > 2) {
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(cur_));
      return Eval(call.args[2], Ctx(*row));
    }
    return Datum{};
  }

  Result<Datum> FrameValue(const WindowCall& call, size_t s, size_t e) {
    const bool excludes = Excludes();
    std::optional<size_t> pick;
    if (call.kind == WindowFuncKind::kFirstValue) {
      for (size_t j = s; j < e; ++j) {
        if (!excludes || !Excluded(j)) {
          pick = j;
          break;
        }
      }
    } else if (call.kind == WindowFuncKind::kLastValue) {
      for (size_t j = e; j > s; --j) {
        if (!excludes || !Excluded(j - 1)) {
          pick = j - 1;
          break;
        }
      }
    } else {
      SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(cur_));
      SQLRITE_ASSIGN_OR_RETURN(Datum nth, Eval(call.args[1], Ctx(*row)));
      if (IsNull(nth)) return Datum{};
      const int64_t k = DatumAs<int64_t>(nth);
      if (k <= 0) {
        return Fail(sqlstate::kInvalidArgumentForNthValueFunction,
                    "argument of nth_value must be greater than zero");
      }
      if (!excludes) {
        if (static_cast<uint64_t>(k) <= e - s) pick = s + static_cast<size_t>(k) - 1;
      }
      int64_t seen = 0;
      for (size_t j = s; excludes && j < e; ++j) {
        if (excludes && Excluded(j)) continue;
        if (++seen == k) {
          pick = j;
          break;
        }
      }
    }
    if (!pick) return Datum{};
    SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(*pick));
    return Eval(call.args[0], Ctx(*row));
  }

  Status Add(const WindowCall& call, AggState& state, size_t j) {
    SQLRITE_ASSIGN_OR_RETURN(const Row* row, At(j));
    return Accumulate(call.agg, state, Ctx(*row));
  }

  Result<Datum> FrameAggregate(const WindowCall& call, CallState& st, size_t s, size_t e) {
    const bool excludes = Excludes();
    const bool first = cur_ == 0;
    if ((spec_.frame.options & ast::kFrameStartUnboundedPreceding) != 0 && !excludes) {
      // Every frame starts at the partition's start and its end never moves back: one running
      // state, each row adding the rows its frame gained.
      if (e < st.upto) {
        // A frame that lost rows (not expected with a fixed start): start over.
        st.agg = AggState{};
        st.upto = 0;
      }
      if (!first && e == st.upto) return st.prev;
      for (; st.upto < e; ++st.upto) {
        SQLRITE_TRY(Poll());
        SQLRITE_TRY(Add(call, st.agg, st.upto));
      }
      SQLRITE_ASSIGN_OR_RETURN(st.prev, FinishAggregate(call.agg, st.agg));
      return st.prev;
    }
    if (!first && !excludes && s == st.prev_start && e == st.prev_end) return st.prev;
    AggState state;
    for (size_t j = s; j < e; ++j) {
      if (excludes && Excluded(j)) continue;
      if (((j - s) & 255) == 255) SQLRITE_TRY(Poll());
      SQLRITE_TRY(Add(call, state, j));
    }
    st.prev_start = s;
    st.prev_end = e;
    SQLRITE_ASSIGN_OR_RETURN(st.prev, FinishAggregate(call.agg, state));
    return st.prev;
  }

  ReadContext& ctx_;
  OperatorPtr input_;
  WindowSpec spec_;
  std::vector<WindowCall> calls_;
  size_t agg_offset_;
  size_t keys_;  // ORDER BY values stored after each row's columns
  bool frames_needed_ = false;

  Batch in_;  // input rows read ahead; [in_pos_, in_.size) not yet taken
  size_t in_pos_ = 0;
  bool input_done_ = false;

  // The current partition and the positions in it.
  RowStore store_;
  size_t n_ = 0;    // its rows
  size_t cur_ = 0;  // the next row to produce
  int64_t gi_ = 0;  // the current row's peer group, [gfirst_, gend_)
  size_t gfirst_ = 0, gend_ = 0;
  GroupCursor start_group_, end_group_;  // GROUPS offset bounds
  size_t nonnull_begin_ = 0, nonnull_end_ = 0;
  size_t range_start_ = 0, range_end_ = 0;  // RANGE offset bounds of the last row computed
  std::vector<CallState> states_;

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
