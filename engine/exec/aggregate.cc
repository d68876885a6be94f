#include "engine/exec/aggregate.h"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/exec/instrument.h"
#include "engine/exec/spill_file.h"
#include "engine/exec/spill_scan.h"
#include "engine/key_codec.h"
#include "engine/types/bit_string.h"
#include "engine/types/json.h"
#include "engine/types/to_json.h"

namespace sqlrite::engine::exec {
namespace {

// The kept rows of a string_agg or array_agg, stably sorted by the call's ORDER BY keys.
std::vector<const AggState::Ordered*> SortedRows(const AggSpec& spec, const AggState& st) {
  std::vector<const AggState::Ordered*> rows;
  rows.reserve(st.ordered.size());
  for (const AggState::Ordered& r : st.ordered) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(), [&spec](const auto* a, const auto* b) {
    for (size_t i = 0; i < spec.order_by.size(); ++i) {
      const AggOrderKey& k = spec.order_by[i];
      const bool an = IsNull(a->keys[i]), bn = IsNull(b->keys[i]);
      if (an || bn) {
        if (an == bn) continue;
        return an == k.nulls_first;
      }
      const int c = CompareDatums(a->keys[i], b->keys[i]);
      if (c != 0) return k.descending ? c > 0 : c < 0;
    }
    return false;
  });
  return rows;
}

// string_agg with ORDER BY: the kept rows in order, joined.
Datum OrderedStringAgg(const AggSpec& spec, const AggState& st) {
  const std::vector<const AggState::Ordered*> rows = SortedRows(spec, st);
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && !IsNull(rows[i]->delimiter)) out += std::get<std::string>(rows[i]->delimiter);
    out += std::get<std::string>(rows[i]->value);
  }
  return Datum(std::move(out));
}

// The json aggregates' results, as PostgreSQL's final functions print them: json_agg's
// "[1, 2]" (", \n " before an array or record), json_object_agg's "{ "k" : v, ... }", and the
// jsonb aggregates' canonical values.
Result<Datum> FinishJsonAgg(const AggSpec& spec, const AggState& st) {
  const std::vector<const AggState::Ordered*> rows = SortedRows(spec, st);
  const SqlType arg = spec.arg.type;
  const SqlType value_type = spec.delimiter ? spec.delimiter->type : SqlType{};
  switch (spec.kind) {
    case AggKind::kJsonAgg: {
      std::string out = "[";
      const bool structured = arg.id == TypeId::kArray || arg.id == TypeId::kRecord;
      for (size_t i = 0; i < rows.size(); ++i) {
        if (i > 0) out += structured && !IsNull(rows[i]->value) ? ", \n " : ", ";
        SQLRITE_TRY(json::AppendSqlValue(out, rows[i]->value, arg));
      }
      out += "]";
      return Datum(std::move(out));
    }
    case AggKind::kJsonbAgg: {
      json::Value out = json::Value::Array();
      for (const AggState::Ordered* row : rows) {
        SQLRITE_ASSIGN_OR_RETURN(json::Value v, json::FromSqlValue(row->value, arg));
        out.items.push_back(std::move(v));
      }
      return Datum(json::ToText(out));
    }
    case AggKind::kJsonObjectAgg: {
      std::string out = "{ ";
      for (size_t i = 0; i < rows.size(); ++i) {
        if (i > 0) out += ", ";
        json::AppendQuoted(out, FormatText(rows[i]->value, arg.id));
        out += " : ";
        SQLRITE_TRY(json::AppendSqlValue(out, rows[i]->delimiter, value_type));
      }
      out += " }";
      return Datum(std::move(out));
    }
    default: {
      json::Value out = json::Value::Object();
      for (const AggState::Ordered* row : rows) {
        SQLRITE_ASSIGN_OR_RETURN(json::Value v, json::FromSqlValue(row->delimiter, value_type));
        out.keys.push_back(FormatText(row->value, arg.id));
        out.items.push_back(std::move(v));
      }
      json::NormalizeObject(out);
      return Datum(json::ToText(out));
    }
  }
}

// Adds a non-NULL value to a sum() or avg() state.
Status AddToSum(const AggSpec& spec, AggState& st, const Datum& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    st.int_sum.Add(*i);
  } else if (const auto* n = std::get_if<NumericRef>(&v)) {
    SQLRITE_TRY(st.numeric_sum.Add(**n));
  } else if (const auto* span = std::get_if<Interval>(&v)) {
    SQLRITE_ASSIGN_OR_RETURN(st.interval_sum, interval::Add(st.interval_sum, *span));
  } else if (spec.arg.type.id == TypeId::kFloat4) {
    st.sum = static_cast<float>(st.sum + DatumAs<double>(v));
  } else {
    st.sum += DatumAs<double>(v);
  }
  return Ok();
}

// Adds a non-NULL value to a min() or max() state: copied only when it is the new best. A value
// equal to the best replaces it, as PostgreSQL's numeric_smaller, text_larger and the others
// return their second argument on a tie (min(n) over 0.00 then 0 is 0); bpchar's keep the first.
void AddToBest(const AggSpec& spec, AggState& st, const Datum& v) {
  if (IsNull(st.best)) {
    st.best = v;
    return;
  }
  const int c = CompareDatums(v, st.best);
  const bool tie_replaces = spec.arg.type.id != TypeId::kBpchar;
  if ((spec.kind == AggKind::kMin && (c < 0 || (c == 0 && tie_replaces))) ||
      (spec.kind == AggKind::kMax && (c > 0 || (c == 0 && tie_replaces)))) {
    st.best = v;
  }
}

}  // namespace

Status Accumulate(const AggSpec& spec, AggState& st, const EvalContext& ctx) {
  if (IsOrderedSetAgg(spec.kind)) {
    return Fail(sqlstate::kInternalError, "an ordered-set aggregate outside the aggregate");
  }
  if (spec.filter) {
    SQLRITE_ASSIGN_OR_RETURN(bool pass, EvalCondition(*spec.filter, ctx));
    if (!pass) return Ok();
  }
  if (spec.kind == AggKind::kCountStar) {
    ++st.count;
    return Ok();
  }
  if (!spec.distinct &&
      (spec.kind == AggKind::kCount || spec.kind == AggKind::kSum || spec.kind == AggKind::kAvg ||
       spec.kind == AggKind::kMin || spec.kind == AggKind::kMax)) {
    // The common aggregates read a column argument in place: no copy of the value per row
    // (a numeric's shared count, a text's bytes).
    Datum owned;
    const Datum* v = nullptr;
    if (spec.arg.kind == ExprKind::kColumn && ctx.row != nullptr) {
      v = &ctx.row[spec.arg.index];
    } else {
      SQLRITE_ASSIGN_OR_RETURN(owned, Eval(spec.arg, ctx));
      v = &owned;
    }
    if (IsNull(*v)) return Ok();
    ++st.count;
    if (spec.kind == AggKind::kSum || spec.kind == AggKind::kAvg) return AddToSum(spec, st, *v);
    if (spec.kind == AggKind::kMin || spec.kind == AggKind::kMax) AddToBest(spec, st, *v);
    return Ok();
  }
  SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(spec.arg, ctx));
  if (IsStatisticAgg(spec.kind)) {
    // Strict in every argument; DISTINCT over the (Y, X) pair.
    if (IsNull(v)) return Ok();
    Datum x;
    if (IsRegressionAgg(spec.kind)) {
      SQLRITE_ASSIGN_OR_RETURN(x, Eval(*spec.delimiter, ctx));
      if (IsNull(x)) return Ok();
    }
    if (spec.distinct) {
      std::string key;
      AppendKeyColumn(key, v, spec.arg.type.id);
      if (IsRegressionAgg(spec.kind)) AppendKeyColumn(key, x, spec.delimiter->type.id);
      if (!st.seen.insert(std::move(key)).second) return Ok();
    }
    return AddStatistic(spec.kind, spec.arg.type.id, st.statistic, v, x);
  }
  if (spec.kind == AggKind::kArrayAgg || IsJsonAgg(spec.kind)) {
    // array_agg and the json aggregates keep NULLs (DISTINCT keeps one), each value kept with
    // its ORDER BY keys (an object aggregate's value in the row's delimiter).
    if (spec.distinct) {
      std::string key;
      AppendKeyColumn(key, v, spec.arg.type.id);
      if (!st.seen.insert(std::move(key)).second) return Ok();
    }
    ++st.count;
    AggState::Ordered row;
    for (const AggOrderKey& k : spec.order_by) {
      SQLRITE_ASSIGN_OR_RETURN(Datum key, Eval(k.expr, ctx));
      row.keys.push_back(std::move(key));
    }
    if (spec.kind == AggKind::kJsonObjectAgg || spec.kind == AggKind::kJsonbObjectAgg) {
      if (IsNull(v)) {
        return Fail(sqlstate::kInvalidParameterValue, "field name must not be null");
      }
      SQLRITE_ASSIGN_OR_RETURN(row.delimiter, Eval(*spec.delimiter, ctx));
    }
    row.value = std::move(v);
    st.ordered.push_back(std::move(row));
    return Ok();
  }
  if (IsNull(v)) return Ok();
  if (spec.distinct) {
    std::string key;
    AppendKeyColumn(key, v, spec.arg.type.id);
    if (!st.seen.insert(std::move(key)).second) return Ok();
  }
  ++st.count;
  switch (spec.kind) {
    case AggKind::kSum:
    case AggKind::kAvg:
      SQLRITE_TRY(AddToSum(spec, st, v));
      break;
    case AggKind::kStringAgg: {
      SQLRITE_ASSIGN_OR_RETURN(Datum delimiter, Eval(*spec.delimiter, ctx));
      if (!spec.order_by.empty()) {
        AggState::Ordered row;
        for (const AggOrderKey& k : spec.order_by) {
          SQLRITE_ASSIGN_OR_RETURN(Datum key, Eval(k.expr, ctx));
          row.keys.push_back(std::move(key));
        }
        row.value = std::move(v);
        row.delimiter = std::move(delimiter);
        st.ordered.push_back(std::move(row));
        break;
      }
      if (st.count > 1 && !IsNull(delimiter)) st.text += std::get<std::string>(delimiter);
      st.text += std::get<std::string>(v);
      break;
    }
    case AggKind::kMin:
    case AggKind::kMax:
      AddToBest(spec, st, v);
      break;
    case AggKind::kBitAnd:
    case AggKind::kBitOr:
    case AggKind::kBitXor: {
      if (IsNull(st.best)) {
        st.best = std::move(v);
        break;
      }
      const char op = spec.kind == AggKind::kBitAnd  ? '&'
                      : spec.kind == AggKind::kBitOr ? '|'
                                                     : '#';
      if (const auto* i = std::get_if<int64_t>(&v)) {
        const int64_t b = DatumAs<int64_t>(st.best);
        st.best = Datum(op == '&' ? (b & *i) : op == '|' ? (b | *i) : (b ^ *i));
      } else {
        SQLRITE_ASSIGN_OR_RETURN(std::string r, bit_string::Bitwise(DatumAs<std::string>(st.best),
                                                                    DatumAs<std::string>(v), op));
        st.best = Datum(std::move(r));
      }
      break;
    }
    default:
      break;
  }
  return Ok();
}

Result<Datum> FinishAggregate(const AggSpec& spec, const AggState& st) {
  switch (spec.kind) {
    case AggKind::kCountStar:
    case AggKind::kCount:
      return Datum(st.count);
    case AggKind::kSum: {
      if (st.count == 0) return Datum{};
      const TypeId arg = spec.arg.type.id;
      if (IsIntegerType(arg)) {
        if (spec.type.id == TypeId::kNumeric) return NumericDatum(st.int_sum.Sum());
        const Int128 sum = st.int_sum.sum();  // sum(int4) is int8
        if (sum < std::numeric_limits<int64_t>::min() ||
            sum > std::numeric_limits<int64_t>::max()) {
          return Fail(sqlstate::kNumericValueOutOfRange, "bigint out of range");
        }
        return Datum(static_cast<int64_t>(sum));
      }
      if (arg == TypeId::kNumeric) {
        SQLRITE_ASSIGN_OR_RETURN(Numeric sum, st.numeric_sum.Sum());
        return NumericDatum(std::move(sum));
      }
      if (arg == TypeId::kInterval) return Datum(st.interval_sum);
      return Datum(st.sum);  // float4's sum was rounded to float at each step, as float4pl
    }
    case AggKind::kAvg: {
      if (st.count == 0) return Datum{};
      const TypeId arg = spec.arg.type.id;
      if (IsIntegerType(arg)) {
        SQLRITE_ASSIGN_OR_RETURN(Numeric avg, st.int_sum.Avg());
        return NumericDatum(std::move(avg));
      }
      if (arg == TypeId::kNumeric) {
        // numeric_avg: sum / count with numeric division's result scale.
        SQLRITE_ASSIGN_OR_RETURN(Numeric avg, st.numeric_sum.Avg(st.count));
        return NumericDatum(std::move(avg));
      }
      if (arg == TypeId::kInterval) {  // interval_avg: the sum divided as interval / float8
        SQLRITE_ASSIGN_OR_RETURN(Interval avg,
                                 interval::Div(st.interval_sum, static_cast<double>(st.count)));
        return Datum(avg);
      }
      return Datum(st.sum / static_cast<double>(st.count));
    }
    case AggKind::kMin:
    case AggKind::kMax:
    case AggKind::kBitAnd:
    case AggKind::kBitOr:
    case AggKind::kBitXor:
      return st.best;
    case AggKind::kStringAgg:
      if (st.count == 0) return Datum{};
      if (spec.order_by.empty()) return Datum(st.text);
      return OrderedStringAgg(spec, st);
    case AggKind::kArrayAgg: {
      if (st.count == 0) return Datum{};
      std::vector<Datum> items;
      items.reserve(st.ordered.size());
      for (const AggState::Ordered* row : SortedRows(spec, st)) items.push_back(row->value);
      return ArrayDatum(spec.type.elem, std::move(items));
    }
    case AggKind::kJsonAgg:
    case AggKind::kJsonbAgg:
    case AggKind::kJsonObjectAgg:
    case AggKind::kJsonbObjectAgg:
      if (st.count == 0) return Datum{};
      return FinishJsonAgg(spec, st);
    default:
      if (IsStatisticAgg(spec.kind)) {
        return FinishStatistic(spec.kind, spec.arg.type.id, st.statistic);
      }
      return Fail(sqlstate::kInternalError, "an ordered-set aggregate outside the aggregate");
  }
  return Datum{};
}

namespace {

// What a group's states hold beyond their fixed size: the growing parts (DISTINCT's seen
// values, the rows kept for ORDER BY or array_agg, string_agg's text), estimated.
size_t StateGrowth(const AggState& st) {
  return st.seen.size() * 64 + st.ordered.size() * (sizeof(AggState::Ordered) + 64) +
         st.text.capacity() + (st.ordered_set ? st.ordered_set->memory() : 0);
}

class Aggregate final : public Operator {
 public:
  // size_hint: the input's RowMemory when known (a partition's), else 0.
  Aggregate(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> group_by,
            std::vector<AggSpec> aggs, GroupingSets grouping, size_t input_width, unsigned level,
            size_t size_hint = 0)
      : ctx_(ctx),
        input_(std::move(input)),
        group_by_(std::move(group_by)),
        aggs_(std::move(aggs)),
        grouping_(std::move(grouping)),
        input_width_(input_width),
        level_(level),
        size_hint_(size_hint) {}

  void ReportFacts(OperatorFacts& facts) const override {
    if (!consumed_ || group_by_.empty()) return;  // a plain aggregate keeps no hash table
    facts.hashed = true;
    facts.hash_batches = std::max<uint64_t>(facts.hash_batches, batches_);
    facts.hash_memory = std::max<uint64_t>(facts.hash_memory, peak_memory_);
    facts.hash_disk += disk_bytes_;
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!consumed_) SQLRITE_TRY(Consume());
    while (out.size < max_rows && next_ < groups_.size()) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Group& g = groups_[next_++];
      Row& row = out.Add();
      row = std::move(g.row);
      row.resize(input_width_);
      bool ordered_sets = false;
      for (size_t i = 0; i < aggs_.size(); ++i) {
        if (!grouping_.slots.empty() && grouping_.slots[i].kind != GroupingSets::Slot::kAggregate) {
          row.push_back(SlotValue(grouping_.slots[i], g));
          continue;
        }
        if (IsOrderedSetAgg(aggs_[i].kind)) {
          ordered_sets = true;
          row.emplace_back();
          continue;
        }
        SQLRITE_ASSIGN_OR_RETURN(Datum v, FinishAggregate(aggs_[i], g.states[i]));
        row.push_back(std::move(v));
      }
      if (ordered_sets) SQLRITE_TRY(FinishOrderedSets(row, g));
      g.states.clear();
    }
    if (next_ == groups_.size() && !groups_.empty()) {
      groups_ = std::vector<Group>();
      next_ = 0;
    }
    // The groups in memory are out: then each spilled partition's, aggregated on its own.
    while (out.size < max_rows && groups_.empty()) {
      if (partition_ == nullptr) {
        if (next_partition_ >= partitions_.size()) {
          partitions_.clear();
          next_partition_ = 0;
          break;
        }
        const size_t p = next_partition_++;
        std::unique_ptr<SpillFile>& file = partitions_[p];
        if (file->run_rows(0) == 0) {
          file.reset();
          continue;
        }
        partition_ = std::make_unique<Aggregate>(ctx_, MakeSpillScan(ctx_, std::move(file)),
                                                 group_by_, aggs_, grouping_, input_width_,
                                                 level_ + 1, partition_memory_[p]);
      }
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
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
  struct Group {
    Row row;
    std::vector<AggState> states;
    // Grouping sets only: the set's number and the GROUP BY values (of the set's expressions;
    // NULL for the others).
    uint32_t set = 0;
    std::vector<Datum> keys;
  };

  // A grouping-sets slot's value for group g (GroupingSets::Slot).
  Datum SlotValue(const GroupingSets::Slot& slot, const Group& g) const {
    const std::vector<bool>& grouped = grouping_.sets[g.set];
    if (slot.kind == GroupingSets::Slot::kKey) {
      return grouped[slot.refs[0]] ? g.keys[slot.refs[0]] : Datum{};
    }
    int64_t bits = 0;
    for (size_t ref : slot.refs) bits = (bits << 1) | (grouped[ref] ? 0 : 1);
    return Datum(bits);
  }

  // Each ordered-set aggregate's value into its place in row (the group's output row, whose
  // other aggregates are done): its direct arguments read the row as the select list would.
  Status FinishOrderedSets(Row& row, Group& g) {
    const EvalContext ectx{row.data(), row.data() + input_width_};
    for (size_t i = 0; i < aggs_.size(); ++i) {
      if (!IsOrderedSetAgg(aggs_[i].kind)) continue;
      std::vector<Datum> direct;
      for (const BoundExpr& d : aggs_[i].direct_args) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(d, ectx));
        direct.push_back(std::move(v));
      }
      std::unique_ptr<OrderedSetInput>& input = g.states[i].ordered_set;
      if (input == nullptr) input = std::make_unique<OrderedSetInput>();
      SQLRITE_ASSIGN_OR_RETURN(row[input_width_ + i], input->Finish(ctx_, aggs_[i], direct));
      input.reset();
    }
    return Ok();
  }

  // Adds the row ectx reads to one aggregate's state.
  Status Add(size_t i, AggState& st, const EvalContext& ectx) {
    if (!IsOrderedSetAgg(aggs_[i].kind)) return Accumulate(aggs_[i], st, ectx);
    if (st.ordered_set == nullptr) st.ordered_set = std::make_unique<OrderedSetInput>();
    return st.ordered_set->Add(ctx_, aggs_[i], ectx);
  }

  // From the point the groups outgrow hash_mem, rows of groups not in memory go to partition
  // files by their key's hash (PostgreSQL 13's hash aggregate spilling); the groups in memory
  // keep taking their rows.
  Status StartSpilling() {
    // A partition's aggregate knows its input's size (size_hint_): CreatePartitions makes
    // enough for each to fit.
    SQLRITE_TRY(CreatePartitions(ctx_.spill, size_hint_, &partitions_));
    partition_memory_.assign(partitions_.size(), 0);
    batches_ = 1 + partitions_.size();
    return Ok();
  }

  Status Consume() {
    consumed_ = true;
    std::unordered_map<std::string, size_t> index;
    Batch batch;
    std::string key;
    size_t memory = 0;
    const bool may_spill = ctx_.spill.can_spill() && !group_by_.empty() && level_ < kMaxSpillLevel;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(kBatchRows, batch));
      if (!more) break;
      for (size_t r = 0; r < batch.size; ++r) {
        if (grouping_.active()) {
          SQLRITE_TRY(ConsumeGroupingRow(batch[r], index, key, memory));
          if (may_spill && partitions_.empty() && memory > ctx_.spill.hash_mem) {
            SQLRITE_TRY(StartSpilling());
          }
          continue;
        }
        const EvalContext ectx{batch[r].data(), nullptr};
        if (group_by_.empty()) {
          // The one group: no key to build and look up per row, no memory to watch (a plain
          // aggregate never spills, and EXPLAIN reports no hash table for it).
          if (groups_.empty()) {
            groups_.push_back(Group{batch[r], std::vector<AggState>(aggs_.size())});
          }
          for (size_t i = 0; i < aggs_.size(); ++i) SQLRITE_TRY(Add(i, groups_[0].states[i], ectx));
          continue;
        }
        key.clear();
        for (const BoundExpr& g : group_by_) {
          if (g.kind == ExprKind::kColumn) {  // read in place, not copied
            AppendKeyColumn(key, batch[r][static_cast<size_t>(g.index)], g.type.id);
            continue;
          }
          SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(g, ectx));
          AppendKeyColumn(key, v, g.type.id);
        }
        auto it = index.find(key);
        if (it == index.end()) {
          if (!partitions_.empty()) {
            const size_t p = PartitionHash(key, level_) % partitions_.size();
            partition_memory_[p] += RowMemory(batch[r]);
            SQLRITE_TRY(partitions_[p]->Append(batch[r]));
            continue;
          }
          it = index.emplace(key, groups_.size()).first;
          groups_.push_back(Group{batch[r], std::vector<AggState>(aggs_.size())});
          memory +=
              RowMemory(groups_.back().row) + key.size() + 64 + aggs_.size() * sizeof(AggState);
        }
        Group& group = groups_[it->second];
        for (size_t i = 0; i < aggs_.size(); ++i) {
          const size_t before = StateGrowth(group.states[i]);
          SQLRITE_TRY(Add(i, group.states[i], ectx));
          memory += StateGrowth(group.states[i]) - before;
        }
        if (may_spill && partitions_.empty() && memory > ctx_.spill.hash_mem) {
          SQLRITE_TRY(StartSpilling());
        }
      }
    }
    input_.reset();
    peak_memory_ = memory;
    for (std::unique_ptr<SpillFile>& file : partitions_) {
      SQLRITE_ASSIGN_OR_RETURN(size_t run, file->EndRun());
      disk_bytes_ += file->run_bytes(run);
    }
    if (grouping_.active()) {
      // As the plain aggregate without GROUP BY: an empty input still gives each set that
      // groups by nothing (GROUP BY ROLLUP (a)'s ()) its one row.
      if (level_ == 0 && !seen_rows_) {
        for (size_t s = 0; s < grouping_.sets.size(); ++s) {
          const std::vector<bool>& grouped = grouping_.sets[s];
          if (std::find(grouped.begin(), grouped.end(), true) != grouped.end()) continue;
          groups_.push_back(Group{Row(input_width_), std::vector<AggState>(aggs_.size()),
                                  static_cast<uint32_t>(s), std::vector<Datum>(group_by_.size())});
        }
      }
    } else if (groups_.empty() && group_by_.empty()) {
      groups_.push_back(Group{Row(input_width_), std::vector<AggState>(aggs_.size())});
    }
    return Ok();
  }

  // One input row of a grouping-sets aggregate: added to its group in every set (in a
  // partition's aggregate, only in the set its spilled row names in its last value). The key
  // begins with the set's number, so equal values in two sets are two groups.
  Status ConsumeGroupingRow(Row& row, std::unordered_map<std::string, size_t>& index,
                            std::string& key, size_t& memory) {
    seen_rows_ = true;
    size_t first_set = 0, end_set = grouping_.sets.size();
    if (level_ > 0) {
      first_set = static_cast<size_t>(DatumAs<int64_t>(row.back()));
      end_set = first_set + 1;
      row.pop_back();
    }
    const EvalContext ectx{row.data(), nullptr};
    std::vector<Datum> values;
    values.reserve(group_by_.size());
    for (const BoundExpr& g : group_by_) {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(g, ectx));
      values.push_back(std::move(v));
    }
    for (size_t s = first_set; s < end_set; ++s) {
      const std::vector<bool>& grouped = grouping_.sets[s];
      key.clear();
      for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>(s >> shift));
      for (size_t i = 0; i < group_by_.size(); ++i) {
        if (grouped[i]) AppendKeyColumn(key, values[i], group_by_[i].type.id);
      }
      auto it = index.find(key);
      if (it == index.end()) {
        if (!partitions_.empty()) {
          const size_t p = PartitionHash(key, level_) % partitions_.size();
          Row spilled = row;
          spilled.push_back(Datum(static_cast<int64_t>(s)));
          partition_memory_[p] += RowMemory(spilled);
          SQLRITE_TRY(partitions_[p]->Append(spilled));
          continue;
        }
        it = index.emplace(key, groups_.size()).first;
        Group g{row, std::vector<AggState>(aggs_.size()), static_cast<uint32_t>(s), {}};
        g.keys.resize(group_by_.size());
        for (size_t i = 0; i < group_by_.size(); ++i) {
          if (grouped[i]) g.keys[i] = values[i];
        }
        memory += RowMemory(g.row) + RowMemory(g.keys) + key.size() + 64 +
                  aggs_.size() * sizeof(AggState);
        groups_.push_back(std::move(g));
      }
      Group& group = groups_[it->second];
      for (size_t i = 0; i < aggs_.size(); ++i) {
        if (!grouping_.slots.empty() && grouping_.slots[i].kind != GroupingSets::Slot::kAggregate) {
          continue;
        }
        const size_t before = StateGrowth(group.states[i]);
        SQLRITE_TRY(Add(i, group.states[i], ectx));
        memory += StateGrowth(group.states[i]) - before;
      }
    }
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<BoundExpr> group_by_;
  std::vector<AggSpec> aggs_;
  GroupingSets grouping_;
  bool seen_rows_ = false;
  size_t input_width_;
  unsigned level_;  // 0, or how many times the rows were partitioned
  size_t size_hint_;
  bool consumed_ = false;
  std::vector<Group> groups_;
  size_t next_ = 0;
  std::vector<std::unique_ptr<SpillFile>> partitions_;
  std::vector<size_t> partition_memory_;  // RowMemory of each partition's rows
  size_t next_partition_ = 0;
  std::unique_ptr<Aggregate> partition_;  // aggregating partitions_[next_partition_ - 1]
  // EXPLAIN ANALYZE's figures: batches (1 + partitions), the groups' memory, the bytes spilled.
  size_t batches_ = 1;
  size_t peak_memory_ = 0;
  uint64_t disk_bytes_ = 0;
};

}  // namespace

OperatorPtr MakeAggregate(ReadContext& ctx, OperatorPtr input, std::vector<BoundExpr> group_by,
                          std::vector<AggSpec> aggs, size_t input_width, GroupingSets grouping) {
  return std::make_unique<Aggregate>(ctx, std::move(input), std::move(group_by), std::move(aggs),
                                     std::move(grouping), input_width, 0);
}

}  // namespace sqlrite::engine::exec
