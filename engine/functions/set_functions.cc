// generate_series, PostgreSQL 15's overloads: (int4, int4 [, int4]), (int8, int8 [, int8]),
// (numeric, numeric [, numeric]), (timestamp, timestamp, interval), (timestamptz, timestamptz,
// interval). Each yields start, start + step, ... while the value has not passed stop (in the
// step's direction); an integer series ends where the next value would overflow, as
// PostgreSQL's does. Errors as PostgreSQL's: 22023 "step size cannot equal zero", and for
// numeric "start value cannot be NaN" and friends.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"
#include "engine/types/datetime.h"
#include "engine/types/interval.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine::functions {
namespace {

Error ZeroStep() { return Error(sqlstate::kInvalidParameterValue, "step size cannot equal zero"); }

class IntegerSeries final : public RowGenerator {
 public:
  IntegerSeries(int64_t start, int64_t stop, int64_t step, int64_t min, int64_t max)
      : current_(start), stop_(stop), step_(step), min_(min), max_(max) {}

  Result<bool> Next(Datum& out) override {
    if (done_ || (step_ > 0 ? current_ > stop_ : current_ < stop_)) return false;
    out = Datum(current_);
    int64_t next = 0;
    // The next value out of the type's range ends the series (PostgreSQL stops on overflow).
    if (__builtin_add_overflow(current_, step_, &next) || next < min_ || next > max_) {
      done_ = true;
    } else {
      current_ = next;
    }
    return true;
  }

 private:
  int64_t current_, stop_, step_, min_, max_;
  bool done_ = false;
};

template <int64_t kMin, int64_t kMax>
Result<std::unique_ptr<RowGenerator>> IntegerSeriesOf(const CallArgs& a) {
  const int64_t step = a.values.size() > 2 ? std::get<int64_t>(a.values[2]) : 1;
  if (step == 0) return Fail(ZeroStep());
  return std::unique_ptr<RowGenerator>(std::make_unique<IntegerSeries>(
      std::get<int64_t>(a.values[0]), std::get<int64_t>(a.values[1]), step, kMin, kMax));
}

class NumericSeries final : public RowGenerator {
 public:
  NumericSeries(Numeric start, Numeric stop, Numeric step)
      : current_(std::move(start)), stop_(std::move(stop)), step_(std::move(step)) {}

  Result<bool> Next(Datum& out) override {
    const int c = Numeric::Compare(current_, stop_);
    if (step_.is_negative() ? c < 0 : c > 0) return false;
    out = NumericDatum(current_);
    SQLRITE_ASSIGN_OR_RETURN(current_, Numeric::Add(current_, step_));
    return true;
  }

 private:
  Numeric current_, stop_, step_;
};

Status CheckFinite(const Numeric& n, const char* what) {
  if (n.is_nan())
    return Fail(sqlstate::kInvalidParameterValue, std::string(what) + " cannot be NaN");
  if (n.is_infinite()) {
    return Fail(sqlstate::kInvalidParameterValue, std::string(what) + " cannot be infinity");
  }
  return Ok();
}

Result<std::unique_ptr<RowGenerator>> NumericSeriesOf(const CallArgs& a) {
  const Numeric& start = *std::get<NumericRef>(a.values[0]);
  const Numeric& stop = *std::get<NumericRef>(a.values[1]);
  SQLRITE_TRY(CheckFinite(start, "start value"));
  SQLRITE_TRY(CheckFinite(stop, "stop value"));
  Numeric step = Numeric::FromInt64(1);
  if (a.values.size() > 2) {
    step = *std::get<NumericRef>(a.values[2]);
    SQLRITE_TRY(CheckFinite(step, "step size"));
    if (step.is_zero()) return Fail(ZeroStep());
  }
  return std::unique_ptr<RowGenerator>(std::make_unique<NumericSeries>(start, stop, step));
}

class TimestampSeries final : public RowGenerator {
 public:
  TimestampSeries(int64_t start, int64_t stop, Interval step, bool forward, bool with_zone)
      : current_(start), stop_(stop), step_(step), forward_(forward), with_zone_(with_zone) {}

  Result<bool> Next(Datum& out) override {
    if (forward_ ? current_ > stop_ : current_ < stop_) return false;
    out = Datum(current_);
    SQLRITE_ASSIGN_OR_RETURN(current_, datetime::AddInterval(current_, step_, with_zone_));
    return true;
  }

 private:
  int64_t current_, stop_;
  Interval step_;
  bool forward_, with_zone_;
};

template <bool kWithZone>
Result<std::unique_ptr<RowGenerator>> TimestampSeriesOf(const CallArgs& a) {
  const Interval& step = std::get<Interval>(a.values[2]);
  const int sign = interval::Compare(step, Interval{});
  if (sign == 0) return Fail(ZeroStep());
  return std::unique_ptr<RowGenerator>(std::make_unique<TimestampSeries>(
      std::get<int64_t>(a.values[0]), std::get<int64_t>(a.values[1]), step, sign > 0, kWithZone));
}

// Never called: the binder allows a set-returning function only as a FROM item, whose scan
// calls set_impl.
Result<Datum> NotAScalar(const CallArgs&) {
  return Fail(sqlstate::kFeatureNotSupported,
              "set-returning functions are not supported outside FROM yet");
}

}  // namespace

Builtin SetFn(std::string_view name, std::initializer_list<TypeId> params, TypeId result,
              SetImpl impl) {
  Builtin b = Fn(name, params, result, NotAScalar);
  b.set_impl = impl;
  b.foldable = false;
  return b;
}

void AddSetFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kI4;
  using type_shorthands::kI8;
  using type_shorthands::kNum;
  using type_shorthands::kTs;
  using type_shorthands::kTsTz;
  constexpr int64_t kI4Min = INT32_MIN, kI4Max = INT32_MAX;
  constexpr int64_t kI8Min = INT64_MIN, kI8Max = INT64_MAX;
  out.push_back(SetFn("generate_series", {kI4, kI4}, kI4, IntegerSeriesOf<kI4Min, kI4Max>));
  out.push_back(SetFn("generate_series", {kI4, kI4, kI4}, kI4, IntegerSeriesOf<kI4Min, kI4Max>));
  out.push_back(SetFn("generate_series", {kI8, kI8}, kI8, IntegerSeriesOf<kI8Min, kI8Max>));
  out.push_back(SetFn("generate_series", {kI8, kI8, kI8}, kI8, IntegerSeriesOf<kI8Min, kI8Max>));
  out.push_back(SetFn("generate_series", {kNum, kNum}, kNum, NumericSeriesOf));
  out.push_back(SetFn("generate_series", {kNum, kNum, kNum}, kNum, NumericSeriesOf));
  out.push_back(
      SetFn("generate_series", {kTs, kTs, TypeId::kInterval}, kTs, TimestampSeriesOf<false>));
  out.push_back(
      SetFn("generate_series", {kTsTz, kTsTz, TypeId::kInterval}, kTsTz, TimestampSeriesOf<true>));
}

}  // namespace sqlrite::engine::functions
