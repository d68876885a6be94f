#include "engine/exec/ordered_set.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "engine/exec/sort.h"
#include "engine/exec/spill_scan.h"
#include "engine/types/interval.h"

namespace sqlrite::engine::exec {
namespace {

// The rows kept in memory, as an operator (the sort's input).
class RowsScan final : public Operator {
 public:
  explicit RowsScan(std::vector<Row> rows) : rows_(std::move(rows)) {}
  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows && next_ < rows_.size()) out.Add() = std::move(rows_[next_++]);
    return !out.empty();
  }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
};

// The row that follows, from the sorted input, one batch at a time.
class RowReader {
 public:
  explicit RowReader(OperatorPtr input) : input_(std::move(input)) {}
  // *row points at the next row (valid until the next call); false at the end.
  Result<bool> Next(Row** row) {
    if (next_ == batch_.size) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(kBatchRows, batch_));
      next_ = 0;
      if (!more) return false;
    }
    *row = &batch_[next_++];
    return true;
  }

 private:
  OperatorPtr input_;
  Batch batch_;
  size_t next_ = 0;
};

// PostgreSQL's message prints the fraction with %g.
std::string FractionText(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", f);
  return buf;
}

Status CheckFraction(double f) {
  if (f < 0 || f > 1 || std::isnan(f)) {
    return Fail(sqlstate::kNumericValueOutOfRange,
                "percentile value " + FractionText(f) + " is not between 0 and 1");
  }
  return Ok();
}

// <0 when key row a sorts before b under spec's keys (the first keys.size() values).
int CompareKeys(const AggSpec& spec, const Row& a, const Row& b) {
  for (size_t i = 0; i < spec.order_by.size(); ++i) {
    const AggOrderKey& k = spec.order_by[i];
    const bool an = IsNull(a[i]), bn = IsNull(b[i]);
    if (an || bn) {
      if (an && bn) continue;
      return an == k.nulls_first ? -1 : 1;
    }
    const int c = CompareDatums(a[i], b[i]);
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

// Linear interpolation between lo and hi, as float8_lerp and interval_lerp.
Result<Datum> Lerp(const Datum& lo, const Datum& hi, double proportion, TypeId type) {
  if (type == TypeId::kInterval) {
    SQLRITE_ASSIGN_OR_RETURN(Interval diff,
                             interval::Sub(std::get<Interval>(hi), std::get<Interval>(lo)));
    SQLRITE_ASSIGN_OR_RETURN(Interval scaled, interval::Mul(diff, proportion));
    SQLRITE_ASSIGN_OR_RETURN(Interval sum, interval::Add(scaled, std::get<Interval>(lo)));
    return Datum(sum);
  }
  const double l = DatumAs<double>(lo), h = DatumAs<double>(hi);
  return Datum(l + proportion * (h - l));
}

// One fraction of a percentile: the 0-based rows it reads and its interpolation.
struct Wanted {
  size_t slot;  // where its result goes
  double fraction;
  uint64_t first = 0, second = 0;  // 0-based rows
  double proportion = 0;
};

}  // namespace

Status OrderedSetInput::Add(ReadContext& rctx, const AggSpec& spec, const EvalContext& ctx) {
  if (spec.filter) {
    SQLRITE_ASSIGN_OR_RETURN(bool pass, EvalCondition(*spec.filter, ctx));
    if (!pass) return Ok();
  }
  Row row;
  row.reserve(spec.order_by.size());
  for (const AggOrderKey& k : spec.order_by) {
    SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(k.expr, ctx));
    row.push_back(std::move(v));
  }
  if (!IsHypotheticalAgg(spec.kind) && IsNull(row[0])) return Ok();
  ++count_;
  if (file_ != nullptr) return file_->Append(row);
  memory_ += RowMemory(row);
  rows_.push_back(std::move(row));
  if (memory_ > rctx.spill.work_mem && rctx.spill.can_spill()) {
    // Past work_mem this group's rows go to a file; the sort reads them back in runs.
    SQLRITE_ASSIGN_OR_RETURN(file_, SpillFile::Create(rctx.spill));
    for (const Row& r : rows_) SQLRITE_TRY(file_->Append(r));
    rows_ = {};
    memory_ = 0;
  }
  return Ok();
}

Result<Datum> OrderedSetInput::Finish(ReadContext& rctx, const AggSpec& spec,
                                      const std::vector<Datum>& direct) {
  // An array of fractions (the values aggregated may be arrays themselves; a NULL fraction or
  // array of them gives NULL either way).
  const bool multi =
      (spec.kind == AggKind::kPercentileCont || spec.kind == AggKind::kPercentileDisc) &&
      std::holds_alternative<ArrayRef>(direct[0]);
  if (spec.kind == AggKind::kPercentileCont || spec.kind == AggKind::kPercentileDisc) {
    if (!multi) {
      // The fraction is checked before the rows are looked at (an empty group too).
      if (IsNull(direct[0])) return Datum{};
      SQLRITE_TRY(CheckFraction(DatumAs<double>(direct[0])));
    }
  }
  const uint64_t n = count_;
  // The hypothetical aggregates over no rows have values; the others are NULL.
  if (n == 0) {
    switch (spec.kind) {
      case AggKind::kHypotheticalRank:
      case AggKind::kHypotheticalDenseRank:
        return Datum(int64_t{1});
      case AggKind::kHypotheticalPercentRank:
        return Datum(0.0);
      case AggKind::kHypotheticalCumeDist:
        return Datum(1.0);
      default:
        return Datum{};
    }
  }
  // The input, as an operator: the kept rows, or the file they went to.
  OperatorPtr input;
  if (file_ != nullptr) {
    SQLRITE_TRY(file_->EndRun());
    input = MakeSpillScan(rctx, std::move(file_));
  } else {
    input = std::make_unique<RowsScan>(std::move(rows_));
    rows_ = {};
  }
  memory_ = 0;
  const size_t width = spec.order_by.size();

  if (spec.kind == AggKind::kHypotheticalRank || spec.kind == AggKind::kHypotheticalPercentRank ||
      spec.kind == AggKind::kHypotheticalCumeDist) {
    // Counting the rows before (or with) the hypothetical row needs no sort.
    const Row hypothetical(direct.begin(), direct.end());
    const bool with_peers = spec.kind == AggKind::kHypotheticalCumeDist;
    RowReader reader(std::move(input));
    uint64_t before = 0;
    Row* row = nullptr;
    for (;;) {
      if (rctx.interrupts.Due()) SQLRITE_TRY(rctx.interrupts.PollNow());
      SQLRITE_ASSIGN_OR_RETURN(bool has, reader.Next(&row));
      if (!has) break;
      const int c = CompareKeys(spec, *row, hypothetical);
      if (c < 0 || (with_peers && c == 0)) ++before;
    }
    if (spec.kind == AggKind::kHypotheticalRank) return Datum(static_cast<int64_t>(before + 1));
    if (spec.kind == AggKind::kHypotheticalPercentRank) {
      return Datum(static_cast<double>(before) / static_cast<double>(n));
    }
    return Datum(static_cast<double>(before + 1) / static_cast<double>(n + 1));
  }

  std::vector<SortKey> keys;
  for (size_t i = 0; i < width; ++i) {
    const AggOrderKey& k = spec.order_by[i];
    keys.push_back(SortKey{i, k.descending, k.nulls_first, k.expr.type.id == TypeId::kJsonb});
  }
  RowReader reader(MakeSort(rctx, std::move(input), std::move(keys), width));
  Row* row = nullptr;

  if (spec.kind == AggKind::kHypotheticalDenseRank) {
    // 1 + the distinct rows before the hypothetical one (NULLs equal to NULLs, as
    // execTuplesMatch).
    const Row hypothetical(direct.begin(), direct.end());
    int64_t rank = 1;
    Row last;
    bool has_last = false;
    for (;;) {
      if (rctx.interrupts.Due()) SQLRITE_TRY(rctx.interrupts.PollNow());
      SQLRITE_ASSIGN_OR_RETURN(bool has, reader.Next(&row));
      if (!has || CompareKeys(spec, *row, hypothetical) >= 0) break;
      if (!has_last || CompareKeys(spec, *row, last) != 0) ++rank;
      last = *row;
      has_last = true;
    }
    return Datum(rank);
  }

  if (spec.kind == AggKind::kMode) {
    Datum mode, current;
    uint64_t mode_count = 0, current_count = 0;
    for (;;) {
      if (rctx.interrupts.Due()) SQLRITE_TRY(rctx.interrupts.PollNow());
      SQLRITE_ASSIGN_OR_RETURN(bool has, reader.Next(&row));
      if (has && current_count > 0 && CompareDatums((*row)[0], current) == 0) {
        ++current_count;
        continue;
      }
      // A strictly larger count replaces the mode: the first value wins a tie.
      if (current_count > mode_count) {
        mode = current;
        mode_count = current_count;
      }
      if (!has) break;
      current = std::move((*row)[0]);
      current_count = 1;
    }
    return mode;
  }

  // percentile_cont / percentile_disc, of one fraction or an array of them: the fractions in
  // ascending order, the sorted rows read once.
  const bool cont = spec.kind == AggKind::kPercentileCont;
  const TypeId value_type = spec.order_by[0].expr.type.id;
  std::vector<Wanted> wanted;
  std::vector<Datum> results;
  if (multi) {
    if (IsNull(direct[0])) return Datum{};
    const ArrayValue& fractions = *std::get<ArrayRef>(direct[0]);
    results.resize(fractions.items.size());
    for (size_t i = 0; i < fractions.items.size(); ++i) {
      if (IsNull(fractions.items[i])) continue;
      const double f = DatumAs<double>(fractions.items[i]);
      SQLRITE_TRY(CheckFraction(f));
      wanted.push_back(Wanted{i, f});
    }
  } else {
    results.resize(1);
    wanted.push_back(Wanted{0, DatumAs<double>(direct[0])});
  }
  for (Wanted& w : wanted) {
    if (cont) {
      const double at = w.fraction * static_cast<double>(n - 1);
      w.first = static_cast<uint64_t>(std::floor(at));
      w.second = static_cast<uint64_t>(std::ceil(at));
      w.proportion = at - std::floor(at);
    } else {
      // The smallest K (1-based) with K / n >= fraction.
      const auto k = static_cast<uint64_t>(std::ceil(w.fraction * static_cast<double>(n)));
      w.first = w.second = std::max<uint64_t>(k, 1) - 1;
    }
  }
  std::stable_sort(wanted.begin(), wanted.end(),
                   [](const Wanted& a, const Wanted& b) { return a.fraction < b.fraction; });
  // Rows at - 1 and at - 2 stay at hand: a fraction reads from the row the previous one read
  // first on (the fractions ascend).
  uint64_t at = 0;  // rows read
  Datum previous, current;
  auto value_at = [&](uint64_t target) -> Result<Datum> {
    if (at >= 2 && target == at - 2) return previous;
    while (at <= target) {
      if (rctx.interrupts.Due()) SQLRITE_TRY(rctx.interrupts.PollNow());
      SQLRITE_ASSIGN_OR_RETURN(bool has, reader.Next(&row));
      if (!has) return Fail(sqlstate::kInternalError, "missing row in percentile calculation");
      previous = std::move(current);
      current = std::move((*row)[0]);
      ++at;
    }
    return current;
  };
  for (const Wanted& w : wanted) {
    SQLRITE_ASSIGN_OR_RETURN(Datum first, value_at(w.first));
    if (w.second == w.first) {
      results[w.slot] = std::move(first);
      continue;
    }
    SQLRITE_ASSIGN_OR_RETURN(Datum second, value_at(w.second));
    SQLRITE_ASSIGN_OR_RETURN(results[w.slot], Lerp(first, second, w.proportion, value_type));
  }
  if (!multi) return std::move(results[0]);
  return ArrayDatum(spec.type.elem, std::move(results));
}

}  // namespace sqlrite::engine::exec
