#include "engine/exec/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine::exec {
namespace {

tl::unexpected<Error> Overflow() {
  return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
}

double Nan() { return std::numeric_limits<double>::quiet_NaN(); }

bool SmallInteger(TypeId t) { return t == TypeId::kInt2 || t == TypeId::kInt4; }

// float8_accum: the Youngs-Cramer update of (N, Sx, Sxx) by v.
Status AccumFloat(double& n, double& sx, double& sxx, double v) {
  const double old_n = n, old_sx = sx;
  n += 1.0;
  sx += v;
  if (old_n > 0.0) {
    const double tmp = v * n - sx;
    sxx += tmp * tmp / (n * old_n);
    if (std::isinf(sx) || std::isinf(sxx)) {
      if (!std::isinf(old_sx) && !std::isinf(v)) return Overflow();
      sxx = Nan();
    }
  } else if (std::isnan(v) || std::isinf(v)) {
    sxx = Nan();
  }
  return Ok();
}

// float8_regr_accum: (N, Sx, Sxx, Sy, Syy, Sxy) by the pair (y, x).
Status AccumRegression(StatisticState& st, double y, double x) {
  const double old_n = st.n, old_sx = st.sx, old_sy = st.sy;
  st.n += 1.0;
  st.sx += x;
  st.sy += y;
  if (old_n > 0.0) {
    const double tx = x * st.n - st.sx;
    const double ty = y * st.n - st.sy;
    const double scale = 1.0 / (st.n * old_n);
    st.sxx += tx * tx * scale;
    st.syy += ty * ty * scale;
    st.sxy += tx * ty * scale;
    if (std::isinf(st.sx) || std::isinf(st.sxx) || std::isinf(st.sy) || std::isinf(st.syy) ||
        std::isinf(st.sxy)) {
      const bool x_finite = !std::isinf(old_sx) && !std::isinf(x);
      const bool y_finite = !std::isinf(old_sy) && !std::isinf(y);
      if (((std::isinf(st.sx) || std::isinf(st.sxx)) && x_finite) ||
          ((std::isinf(st.sy) || std::isinf(st.syy)) && y_finite) ||
          (std::isinf(st.sxy) && x_finite && y_finite)) {
        return Overflow();
      }
      if (std::isinf(st.sxx)) st.sxx = Nan();
      if (std::isinf(st.syy)) st.syy = Nan();
      if (std::isinf(st.sxy)) st.sxy = Nan();
    }
  } else {
    if (std::isnan(x) || std::isinf(x)) st.sxx = st.sxy = Nan();
    if (std::isnan(y) || std::isinf(y)) st.syy = st.sxy = Nan();
  }
  return Ok();
}

// A zero of display scale `scale` (a value added to it keeps its digits and shows that many).
Numeric ZeroOfScale(int scale) {
  std::string text = "0.";
  text.append(static_cast<size_t>(scale), '0');
  return *Numeric::Parse(text);
}

// numeric_stddev_internal over the exact sums.
Result<Datum> FinishNumeric(AggKind kind, TypeId arg_type, const StatisticState& st) {
  const bool sample = kind == AggKind::kVarSamp || kind == AggKind::kStddevSamp;
  const bool variance = kind == AggKind::kVarSamp || kind == AggKind::kVarPop;
  if (st.count == 0 || (sample && st.count <= 1)) return Datum{};
  if (st.nans > 0 || st.infinities > 0) return NumericDatum(Numeric::NaN());
  const Numeric n = Numeric::FromInt64(st.finite);
  Numeric sum = st.sum, sum2 = st.sum2;
  if (SmallInteger(arg_type)) {
    sum = Numeric::FromInt128(st.int_sum);
    sum2 = Numeric::FromInt128(st.int_sum2);
  }
  // N * sumX2 - sumX * sumX: exact (the products' scales are the operands' sums).
  SQLRITE_ASSIGN_OR_RETURN(Numeric square, Numeric::Mul(sum, sum));
  SQLRITE_ASSIGN_OR_RETURN(Numeric scaled, Numeric::Mul(n, sum2));
  SQLRITE_ASSIGN_OR_RETURN(Numeric numerator, Numeric::Sub(scaled, square));
  if (numerator.is_zero() || numerator.is_negative()) return NumericDatum(Numeric());
  SQLRITE_ASSIGN_OR_RETURN(Numeric denominator,
                           Numeric::Mul(n, sample ? Numeric::FromInt64(st.finite - 1) : n));
  // Div rounds at select_div_scale(numerator, denominator), the scale PostgreSQL then takes
  // the square root at too.
  SQLRITE_ASSIGN_OR_RETURN(Numeric var, Numeric::Div(numerator, denominator));
  if (variance) return NumericDatum(std::move(var));
  const int rscale = var.dscale();
  // Sqrt rounds at its own scale (at least 16 significant digits): asked for 20 digits more than
  // rscale, its result rounds to rscale as the exact root does (but for a run of twenty 9s).
  SQLRITE_ASSIGN_OR_RETURN(
      Numeric padded,
      Numeric::Add(var, ZeroOfScale(std::min(rscale + 20, Numeric::kMaxDisplayScale))));
  SQLRITE_ASSIGN_OR_RETURN(Numeric root, padded.Sqrt());
  SQLRITE_ASSIGN_OR_RETURN(Numeric rounded, root.Round(rscale));
  return NumericDatum(std::move(rounded));
}

Result<Datum> FinishFloat(AggKind kind, const StatisticState& st) {
  const double n = st.n;
  switch (kind) {
    case AggKind::kVarPop:
      if (n == 0.0) return Datum{};
      return Datum(st.syy / n);
    case AggKind::kVarSamp:
      if (n <= 1.0) return Datum{};
      return Datum(st.syy / (n - 1.0));
    case AggKind::kStddevPop:
      if (n == 0.0) return Datum{};
      return Datum(std::sqrt(st.syy / n));
    case AggKind::kStddevSamp:
      if (n <= 1.0) return Datum{};
      return Datum(std::sqrt(st.syy / (n - 1.0)));
    default:
      break;
  }
  SQLRITE_ASSERT(false);
  return Datum{};
}

Result<Datum> FinishRegression(AggKind kind, const StatisticState& st) {
  const double n = st.n;
  if (kind == AggKind::kRegrCount) return Datum(st.count);
  if (n < 1.0 || (kind == AggKind::kCovarSamp && n < 2.0)) return Datum{};
  switch (kind) {
    case AggKind::kRegrSxx:
      return Datum(st.sxx);
    case AggKind::kRegrSyy:
      return Datum(st.syy);
    case AggKind::kRegrSxy:
      return Datum(st.sxy);
    case AggKind::kRegrAvgX:
      return Datum(st.sx / n);
    case AggKind::kRegrAvgY:
      return Datum(st.sy / n);
    case AggKind::kCovarPop:
      return Datum(st.sxy / n);
    case AggKind::kCovarSamp:
      return Datum(st.sxy / (n - 1.0));
    case AggKind::kCorr:
      // Per the standard, NULL for horizontal and vertical lines.
      if (st.sxx == 0 || st.syy == 0) return Datum{};
      return Datum(st.sxy / std::sqrt(st.sxx * st.syy));
    case AggKind::kRegrR2:
      if (st.sxx == 0) return Datum{};
      if (st.syy == 0) return Datum(1.0);
      return Datum((st.sxy * st.sxy) / (st.sxx * st.syy));
    case AggKind::kRegrSlope:
      if (st.sxx == 0) return Datum{};
      return Datum(st.sxy / st.sxx);
    case AggKind::kRegrIntercept:
      if (st.sxx == 0) return Datum{};
      return Datum((st.sy - st.sx * st.sxy / st.sxx) / n);
    default:
      break;
  }
  SQLRITE_ASSERT(false);
  return Datum{};
}

}  // namespace

Status AddStatistic(AggKind kind, TypeId arg_type, StatisticState& st, const Datum& y,
                    const Datum& x) {
  ++st.count;
  if (IsRegressionAgg(kind)) {
    return AccumRegression(st, DatumAs<double>(y), DatumAs<double>(x));
  }
  if (arg_type == TypeId::kFloat4 || arg_type == TypeId::kFloat8) {
    return AccumFloat(st.n, st.sy, st.syy, DatumAs<double>(y));
  }
  if (SmallInteger(arg_type)) {
    const Int128 v = DatumAs<int64_t>(y);
    st.int_sum += v;
    st.int_sum2 += v * v;
    ++st.finite;
    return Ok();
  }
  Numeric v =
      arg_type == TypeId::kInt8 ? Numeric::FromInt64(DatumAs<int64_t>(y)) : *DatumAs<NumericRef>(y);
  if (v.is_nan()) {
    ++st.nans;
    return Ok();
  }
  if (v.is_infinite()) {
    ++st.infinities;
    return Ok();
  }
  SQLRITE_ASSIGN_OR_RETURN(Numeric square, Numeric::Mul(v, v));
  SQLRITE_ASSIGN_OR_RETURN(st.sum, Numeric::Add(st.sum, v));
  SQLRITE_ASSIGN_OR_RETURN(st.sum2, Numeric::Add(st.sum2, square));
  ++st.finite;
  return Ok();
}

Result<Datum> FinishStatistic(AggKind kind, TypeId arg_type, const StatisticState& st) {
  if (IsRegressionAgg(kind)) return FinishRegression(kind, st);
  if (arg_type == TypeId::kFloat4 || arg_type == TypeId::kFloat8) return FinishFloat(kind, st);
  return FinishNumeric(kind, arg_type, st);
}

}  // namespace sqlrite::engine::exec
