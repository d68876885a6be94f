// The ordered-set and hypothetical-set aggregates (ordered_set.h) over a group's rows, in memory
// and past work_mem, alone and inside the hash aggregate.

#include "engine/exec/ordered_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/exec/aggregate.h"
#include "engine/value.h"
#include "storage/fault_injection.h"
#include "storage/file.h"
#include "storage/pager.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::exec::ordered_set_test {
namespace {

constexpr SqlType kFloat{TypeId::kFloat8, -1};
constexpr SqlType kInt{TypeId::kInt8, -1};

BoundExpr Col(int index, SqlType type) {
  BoundExpr e;
  e.kind = ExprKind::kColumn;
  e.index = index;
  e.type = type;
  return e;
}

// An aggregate of `kind` over column 0 (of type), its direct arguments given per group.
AggSpec Spec(AggKind kind, SqlType type, bool descending = false, bool nulls_first = false) {
  AggSpec spec;
  spec.kind = kind;
  spec.type = type;
  spec.order_by.push_back(AggOrderKey{Col(0, type), descending, nulls_first});
  return spec;
}

class Rows final : public Operator {
 public:
  explicit Rows(std::vector<Row> rows) : rows_(std::move(rows)) {}
  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows && next_ < rows_.size()) out.Add() = rows_[next_++];
    return !out.empty();
  }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
};

class OrderedSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pager = storage::Pager::Open(disk_.Open("db"), storage::Pager::Options{1u << 20});
    ASSERT_TRUE(pager) << pager.error().message;
    pager_ = std::move(*pager);
    char tmpl[] = "/tmp/ordered_set_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    space_ = std::make_unique<TempSpace>(storage::PosixFileSystem(), dir_ + "/pgsql_tmp");
    SpillSettings tiny;
    tiny.work_mem = 64 << 10;
    tiny.hash_mem = 128 << 10;
    tiny.space = space_.get();
    spilling_ =
        std::make_unique<ReadContext>(ReadContext{*pager_, InterruptCheck(nullptr, nullptr), tiny});
    in_memory_ = std::make_unique<ReadContext>(
        ReadContext{*pager_, InterruptCheck(nullptr, nullptr), SpillSettings{}});
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  size_t TempFiles() {
    auto n = space_->FileCount();
    EXPECT_TRUE(n);
    return n ? *n : 0;
  }

  // The aggregate over values (one row each), with its direct arguments.
  Result<Datum> Run(const AggSpec& spec, const std::vector<Datum>& values,
                    const std::vector<Datum>& direct, ReadContext* ctx = nullptr) {
    ReadContext& rctx = ctx != nullptr ? *ctx : *in_memory_;
    OrderedSetInput input;
    for (const Datum& v : values) {
      Row row{v};
      SQLRITE_TRY(input.Add(rctx, spec, EvalContext{row.data(), nullptr}));
    }
    return input.Finish(rctx, spec, direct);
  }

  double Float(const AggSpec& spec, const std::vector<Datum>& values, double fraction) {
    auto v = Run(spec, values, {Datum(fraction)});
    EXPECT_TRUE(v) << v.error().message;
    return v && !IsNull(*v) ? DatumAs<double>(*v) : NAN;
  }

  storage::FaultInjector disk_;
  std::unique_ptr<storage::Pager> pager_;
  std::string dir_;
  std::unique_ptr<TempSpace> space_;
  std::unique_ptr<ReadContext> spilling_;
  std::unique_ptr<ReadContext> in_memory_;
};

std::vector<Datum> Floats(std::initializer_list<double> xs) {
  std::vector<Datum> out;
  for (double x : xs) out.emplace_back(x);
  return out;
}

TEST_F(OrderedSetTest, PercentileContInterpolatesBetweenTheRowsAroundTheFraction) {
  const AggSpec cont = Spec(AggKind::kPercentileCont, kFloat);
  std::vector<Datum> values = Floats({4, 1, 2});
  values.emplace_back();  // NULL: skipped
  EXPECT_EQ(Float(cont, values, 0.5), 2);
  EXPECT_EQ(Float(cont, values, 0.25), 1.5);
  EXPECT_EQ(Float(cont, values, 0.75), 3);
  EXPECT_EQ(Float(cont, values, 0), 1);
  EXPECT_EQ(Float(cont, values, 1), 4);
  EXPECT_EQ(Float(Spec(AggKind::kPercentileCont, kFloat, true), values, 0.25), 3);
}

TEST_F(OrderedSetTest, PercentileDiscTakesTheFirstRowReachingTheFraction) {
  const AggSpec disc = Spec(AggKind::kPercentileDisc, kFloat);
  const std::vector<Datum> values = Floats({10, 30, 20, 40});
  EXPECT_EQ(Float(disc, values, 0), 10);
  EXPECT_EQ(Float(disc, values, 0.25), 10);
  EXPECT_EQ(Float(disc, values, 0.26), 20);
  EXPECT_EQ(Float(disc, values, 0.5), 20);
  EXPECT_EQ(Float(disc, values, 1), 40);
}

TEST_F(OrderedSetTest, AnArrayOfFractionsGivesOneValuePerFractionInItsOrder) {
  AggSpec cont = Spec(AggKind::kPercentileCont, kFloat);
  cont.type = ArrayOf(kFloat);
  const Datum fractions =
      ArrayDatum(TypeId::kFloat8, {Datum(0.75), Datum{}, Datum(0.25), Datum(0.75), Datum(0.0)});
  auto v = Run(cont, Floats({1, 2, 3, 4, 5}), {fractions});
  ASSERT_TRUE(v) << v.error().message;
  const ArrayValue& got = *std::get<ArrayRef>(*v);
  ASSERT_EQ(got.items.size(), 5u);
  EXPECT_EQ(DatumAs<double>(got.items[0]), 4);
  EXPECT_TRUE(IsNull(got.items[1]));
  EXPECT_EQ(DatumAs<double>(got.items[2]), 2);
  EXPECT_EQ(DatumAs<double>(got.items[3]), 4);
  EXPECT_EQ(DatumAs<double>(got.items[4]), 1);
}

TEST_F(OrderedSetTest, AFractionOutsideZeroToOneIs22003EvenWithoutRows) {
  const AggSpec cont = Spec(AggKind::kPercentileCont, kFloat);
  for (const std::vector<Datum>& values : {Floats({1}), std::vector<Datum>{}}) {
    auto v = Run(cont, values, {Datum(1.5)});
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().sqlstate, sqlstate::kNumericValueOutOfRange);
    EXPECT_EQ(v.error().message, "percentile value 1.5 is not between 0 and 1");
  }
  auto nan = Run(cont, Floats({1}), {Datum(std::nan(""))});
  ASSERT_FALSE(nan);
  EXPECT_EQ(nan.error().message, "percentile value NaN is not between 0 and 1");
}

TEST_F(OrderedSetTest, ModeIsTheMostFrequentValueAndTheFirstInOrderAmongTies) {
  EXPECT_EQ(Float(Spec(AggKind::kMode, kFloat), Floats({3, 1, 3, 2, 1}), 0), 1);
  EXPECT_EQ(Float(Spec(AggKind::kMode, kFloat, true), Floats({3, 1, 3, 2, 1}), 0), 3);
  EXPECT_EQ(Float(Spec(AggKind::kMode, kFloat), Floats({5, 2, 5}), 0), 5);
}

TEST_F(OrderedSetTest, HypotheticalRanksCountTheRowsBeforeAndKeepNulls) {
  std::vector<Datum> values = Floats({1, 2, 2, 4});
  values.emplace_back();
  auto value = [&](AggKind kind, const Datum& h, bool desc = false, bool nulls_first = false) {
    AggSpec spec = Spec(kind, kFloat, desc, nulls_first);
    auto v = Run(spec, values, {h});
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : Datum{};
  };
  EXPECT_EQ(DatumAs<int64_t>(value(AggKind::kHypotheticalRank, Datum(2.0))), 2);
  EXPECT_EQ(DatumAs<int64_t>(value(AggKind::kHypotheticalRank, Datum(3.0))), 4);
  EXPECT_EQ(DatumAs<int64_t>(value(AggKind::kHypotheticalRank, Datum(3.0), true)), 2);
  EXPECT_EQ(DatumAs<int64_t>(value(AggKind::kHypotheticalRank, Datum{})), 5);
  EXPECT_EQ(DatumAs<int64_t>(value(AggKind::kHypotheticalRank, Datum(0.0), false, true)), 2);
  EXPECT_EQ(DatumAs<int64_t>(value(AggKind::kHypotheticalDenseRank, Datum(3.0))), 3);
  EXPECT_EQ(DatumAs<double>(value(AggKind::kHypotheticalPercentRank, Datum(2.0))), 1.0 / 5);
  EXPECT_EQ(DatumAs<double>(value(AggKind::kHypotheticalCumeDist, Datum(2.0))), 4.0 / 6);
}

TEST_F(OrderedSetTest, AnEmptyGroupGivesNullOrTheHypotheticalRowsOwnRank) {
  const std::vector<Datum> none;
  auto run = [&](AggKind kind, SqlType type) {
    auto v = Run(Spec(kind, type), none, {Datum(0.5)});
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : Datum(std::string("error"));
  };
  EXPECT_TRUE(IsNull(run(AggKind::kPercentileCont, kFloat)));
  EXPECT_TRUE(IsNull(run(AggKind::kPercentileDisc, kFloat)));
  EXPECT_TRUE(IsNull(run(AggKind::kMode, kFloat)));
  EXPECT_EQ(DatumAs<int64_t>(run(AggKind::kHypotheticalRank, kFloat)), 1);
  EXPECT_EQ(DatumAs<int64_t>(run(AggKind::kHypotheticalDenseRank, kFloat)), 1);
  EXPECT_EQ(DatumAs<double>(run(AggKind::kHypotheticalPercentRank, kFloat)), 0);
  EXPECT_EQ(DatumAs<double>(run(AggKind::kHypotheticalCumeDist, kFloat)), 1);
}

TEST_F(OrderedSetTest, AGroupPastWorkMemSpillsAndGivesTheInMemoryAnswer) {
  std::vector<Datum> values;
  for (int64_t i = 0; i < 40000; ++i) values.emplace_back((i * 7919) % 30011);
  const AggSpec disc = Spec(AggKind::kPercentileDisc, kInt);
  const AggSpec mode = Spec(AggKind::kMode, kInt);
  const AggSpec dense = Spec(AggKind::kHypotheticalDenseRank, kInt);
  for (const AggSpec* spec : {&disc, &mode, &dense}) {
    const std::vector<Datum> direct{spec == &dense ? Datum(int64_t{20000}) : Datum(0.37)};
    auto memory = Run(*spec, values, direct);
    ASSERT_TRUE(memory) << memory.error().message;
    OrderedSetInput input;
    for (const Datum& v : values) {
      Row row{v};
      ASSERT_TRUE(input.Add(*spilling_, *spec, EvalContext{row.data(), nullptr}));
    }
    EXPECT_EQ(input.memory(), 0u);  // the rows are in a file
    EXPECT_EQ(TempFiles(), 1u);
    auto spilled = input.Finish(*spilling_, *spec, direct);
    ASSERT_TRUE(spilled) << spilled.error().message;
    EXPECT_EQ(DatumAs<int64_t>(*spilled), DatumAs<int64_t>(*memory));
    EXPECT_EQ(TempFiles(), 0u);
  }
}

TEST_F(OrderedSetTest, TheHashAggregateEvaluatesDirectArgumentsPerGroup) {
  // (g, x, f): percentile_cont(f) WITHIN GROUP (ORDER BY x) GROUP BY g, f being g / 4.0 (a
  // grouped value: the group's row gives it), in memory and spilling.
  std::vector<Row> rows;
  for (int64_t i = 0; i < 30000; ++i) {
    const int64_t g = i % 3 + 1;
    rows.push_back(
        Row{Datum(g), Datum(static_cast<double>(i)), Datum(static_cast<double>(g) / 4.0)});
  }
  AggSpec spec;
  spec.kind = AggKind::kPercentileCont;
  spec.type = kFloat;
  spec.order_by.push_back(AggOrderKey{Col(1, kFloat), false, false});
  spec.direct_args.push_back(Col(2, kFloat));
  for (ReadContext* ctx : {in_memory_.get(), spilling_.get()}) {
    auto agg = MakeAggregate(*ctx, std::make_unique<Rows>(rows), {Col(0, kInt)}, {spec}, 3);
    std::vector<std::pair<int64_t, double>> got;
    Batch b;
    for (;;) {
      auto more = agg->Next(kBatchRows, b);
      ASSERT_TRUE(more) << more.error().message;
      if (!*more) break;
      for (size_t r = 0; r < b.size; ++r) {
        got.emplace_back(DatumAs<int64_t>(b[r][0]), DatumAs<double>(b[r][3]));
      }
    }
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got.size(), 3u);
    // Group g holds the x with x % 3 == g - 1: 10000 of them, x = 3k + g - 1.
    for (const auto& [g, v] : got) {
      const double at = (static_cast<double>(g) / 4.0) * 9999;
      const double k = std::floor(at);
      const double lo = 3 * k + static_cast<double>(g) - 1;
      EXPECT_DOUBLE_EQ(v, lo + (at - k) * 3) << "group " << g;
    }
    EXPECT_EQ(TempFiles(), 0u);
  }
}

}  // namespace
}  // namespace sqlrite::engine::exec::ordered_set_test
