// The math operators and functions of PostgreSQL 15's float.c and numeric.c beyond
// math_functions.cc's, each with both its float8 and numeric overloads where PostgreSQL has both
// (so that resolution picks as PostgreSQL's does: ln(2) float8, ln(2.0) numeric):
//   ^ (dpow, numeric_power), prefix |/ (sqrt), ||/ (cbrt), @ (abs of every numeric type),
//   ln, log, log10, log(b, x), exp, div, factorial, gcd/lcm of numeric, scale, min_scale,
//   trim_scale, width_bucket, cot, the degree-based sind .. atan2d and the hyperbolic functions.
// The operators are calls of functions named by their symbols (the transformer's).

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <limits>

#include "common/sqlstate.h"
#include "engine/expression.h"
#include "engine/functions/arg_shorthands.h"
#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"
#include "engine/types/numeric_math.h"

namespace sqlrite::engine::functions {
namespace {

using type_shorthands::kF8;
using type_shorthands::kI4;
using type_shorthands::kI8;
using type_shorthands::kNum;
constexpr const char* kInvalidArgumentForLog = "2201E";
constexpr const char* kInvalidArgumentForWidthBucket = "2201G";
using arg_shorthands::kRadiansPerDegree;

using arg_shorthands::F;
const Numeric& N(const CallArgs& a, size_t i) { return *DatumAs<NumericRef>(a.values[i]); }
double Nan() { return std::numeric_limits<double>::quiet_NaN(); }

tl::unexpected<Error> FloatOverflow() {
  return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
}
tl::unexpected<Error> FloatUnderflow() {
  return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
}
tl::unexpected<Error> OutOfRange() {
  return Fail(sqlstate::kNumericValueOutOfRange, "input is out of range");
}

Result<Datum> FromNumeric(Result<Numeric> r) {
  if (!r) return Fail(std::move(r.error()));
  return NumericDatum(std::move(*r));
}

// dpow.
Result<Datum> Float8Pow(const CallArgs& a) {
  const double x = F(a, 0), y = F(a, 1);
  if (std::isnan(x)) return Datum(std::isnan(y) || y != 0.0 ? Nan() : 1.0);
  if (std::isnan(y)) return Datum(x != 1.0 ? Nan() : 1.0);
  if (x == 0 && y < 0) {
    return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                "zero raised to a negative power is undefined");
  }
  if (x < 0 && std::floor(y) != y) {
    return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                "a negative number raised to a non-integer power yields a complex result");
  }
  if (std::isinf(y)) {
    const double ax = std::fabs(x);
    if (ax == 1.0) return Datum(1.0);
    if (y > 0) return Datum(ax > 1.0 ? y : 0.0);
    return Datum(ax > 1.0 ? 0.0 : -y);
  }
  if (std::isinf(x)) {
    if (y == 0.0) return Datum(1.0);
    if (x > 0) return Datum(y > 0 ? x : 0.0);
    const double half = y / 2;
    const bool odd = std::floor(half) != half;
    if (y > 0) return Datum(odd ? x : -x);
    return Datum(odd ? -0.0 : 0.0);
  }
  errno = 0;
  const double r = std::pow(x, y);
  if (errno == EDOM || std::isnan(r)) {
    if (x == 0.0) return Datum(0.0);
    const double ax = std::fabs(x);
    if (ax == 1.0) return Datum(1.0);
    if (y >= 0.0 ? ax > 1.0 : ax < 1.0) return FloatOverflow();
    return FloatUnderflow();
  }
  if (errno == ERANGE) return r != 0.0 ? FloatOverflow() : FloatUnderflow();
  if (std::isinf(r)) return FloatOverflow();
  if (r == 0.0 && x != 0.0) return FloatUnderflow();
  return Datum(r);
}

Result<Datum> NumericPow(const CallArgs& a) {
  return FromNumeric(numeric_math::Power(N(a, 0), N(a, 1)));
}

// |/ (dsqrt) and ||/ (dcbrt).
Result<Datum> Float8Sqrt(const CallArgs& a) {
  const double x = F(a, 0);
  if (x < 0) {
    return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                "cannot take square root of a negative number");
  }
  return Datum(std::sqrt(x));
}
Result<Datum> Float8Cbrt(const CallArgs& a) { return Datum(std::cbrt(F(a, 0))); }

// @: abs of each type (int2abs, int4abs, int8abs: the type's range; float4abs, float8abs,
// numeric_abs).
template <TypeId kType>
Result<Datum> AbsOf(const CallArgs& a) {
  if constexpr (kType == TypeId::kNumeric) {
    return NumericDatum(N(a, 0).Abs());
  } else if constexpr (kType == TypeId::kFloat4 || kType == TypeId::kFloat8) {
    return Datum(std::fabs(F(a, 0)));
  } else {
    const int64_t v = DatumAs<int64_t>(a.values[0]);
    const int64_t min = kType == TypeId::kInt2   ? INT16_MIN
                        : kType == TypeId::kInt4 ? INT32_MIN
                                                 : INT64_MIN;
    if (v == min) {
      return Fail(sqlstate::kNumericValueOutOfRange,
                  kType == TypeId::kInt2   ? "smallint out of range"
                  : kType == TypeId::kInt4 ? "integer out of range"
                                           : "bigint out of range");
    }
    return Datum(v < 0 ? -v : v);
  }
}

// dlog1 (ln) and dlog10.
template <bool kBase10>
Result<Datum> Float8Log(const CallArgs& a) {
  const double x = F(a, 0);
  if (x == 0.0) return Fail(kInvalidArgumentForLog, "cannot take logarithm of zero");
  if (x < 0) return Fail(kInvalidArgumentForLog, "cannot take logarithm of a negative number");
  const double r = kBase10 ? std::log10(x) : std::log(x);
  if (std::isinf(r) && !std::isinf(x)) return FloatOverflow();
  if (r == 0.0 && x != 1.0) return FloatUnderflow();
  return Datum(r);
}

// dexp.
Result<Datum> Float8Exp(const CallArgs& a) {
  const double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  if (std::isinf(x)) return Datum(x > 0 ? x : 0.0);
  errno = 0;
  const double r = std::exp(x);
  if (errno == ERANGE) return r != 0.0 ? FloatOverflow() : FloatUnderflow();
  if (std::isinf(r)) return FloatOverflow();
  if (r == 0.0) return FloatUnderflow();
  return Datum(r);
}

Result<Datum> NumericLn(const CallArgs& a) { return FromNumeric(numeric_math::Ln(N(a, 0))); }
Result<Datum> NumericLog10(const CallArgs& a) {
  return FromNumeric(numeric_math::Log(Numeric::FromInt64(10), N(a, 0)));
}
Result<Datum> NumericLog(const CallArgs& a) {
  return FromNumeric(numeric_math::Log(N(a, 0), N(a, 1)));
}
Result<Datum> NumericExp(const CallArgs& a) { return FromNumeric(numeric_math::Exp(N(a, 0))); }
Result<Datum> NumericDiv(const CallArgs& a) {
  return FromNumeric(Numeric::DivTrunc(N(a, 0), N(a, 1)));
}
Result<Datum> Factorial(const CallArgs& a) {
  const int64_t n = DatumAs<int64_t>(a.values[0]);
  if (n < 0) {
    return Fail(sqlstate::kNumericValueOutOfRange, "factorial of a negative number is undefined");
  }
  return FromNumeric(numeric_math::Factorial(n));
}
Result<Datum> NumericGcd(const CallArgs& a) {
  return FromNumeric(numeric_math::Gcd(N(a, 0), N(a, 1)));
}
Result<Datum> NumericLcm(const CallArgs& a) {
  return FromNumeric(numeric_math::Lcm(N(a, 0), N(a, 1)));
}
// scale and min_scale: NULL for NaN and the infinities.
Result<Datum> Scale(const CallArgs& a) {
  if (!N(a, 0).is_finite()) return Datum{};
  return Datum(int64_t{N(a, 0).dscale()});
}
Result<Datum> MinScale(const CallArgs& a) {
  if (!N(a, 0).is_finite()) return Datum{};
  return Datum(int64_t{numeric_math::MinScale(N(a, 0))});
}
Result<Datum> TrimScale(const CallArgs& a) {
  return NumericDatum(numeric_math::TrimScale(N(a, 0)));
}

Result<Datum> NumericWidthBucket(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(
      int32_t bucket,
      numeric_math::WidthBucket(N(a, 0), N(a, 1), N(a, 2),
                                static_cast<int32_t>(DatumAs<int64_t>(a.values[3]))));
  return Datum(int64_t{bucket});
}

// width_bucket_float8.
Result<Datum> Float8WidthBucket(const CallArgs& a) {
  const double operand = F(a, 0), b1 = F(a, 1), b2 = F(a, 2);
  const int64_t count = DatumAs<int64_t>(a.values[3]);
  if (count <= 0) return Fail(kInvalidArgumentForWidthBucket, "count must be greater than zero");
  if (std::isnan(operand) || std::isnan(b1) || std::isnan(b2)) {
    return Fail(kInvalidArgumentForWidthBucket,
                "operand, lower bound, and upper bound cannot be NaN");
  }
  if (std::isinf(b1) || std::isinf(b2)) {
    return Fail(kInvalidArgumentForWidthBucket, "lower and upper bounds must be finite");
  }
  const auto past_end = [count]() -> Result<Datum> {
    if (count == INT32_MAX) return Fail(sqlstate::kNumericValueOutOfRange, "integer out of range");
    return Datum(count + 1);
  };
  const auto inside = [count](double num, double den, double half_num,
                              double half_den) -> Result<Datum> {
    double r = !std::isinf(den) ? static_cast<double>(count) * (num / den)
                                : static_cast<double>(count) * (half_num / half_den);
    int64_t bucket = static_cast<int64_t>(r);
    if (bucket >= count) bucket = count - 1;
    return Datum(bucket + 1);
  };
  if (b1 < b2) {
    if (operand < b1) return Datum(int64_t{0});
    if (operand >= b2) return past_end();
    return inside(operand - b1, b2 - b1, operand / 2 - b1 / 2, b2 / 2 - b1 / 2);
  }
  if (b1 > b2) {
    if (operand > b1) return Datum(int64_t{0});
    if (operand <= b2) return past_end();
    return inside(b1 - operand, b1 - b2, b1 / 2 - operand / 2, b1 / 2 - b2 / 2);
  }
  return Fail(kInvalidArgumentForWidthBucket, "lower bound cannot equal upper bound");
}

// width_bucket(anyelement, anyarray): how many of the sorted thresholds are <= the operand
// (width_bucket_array's binary search).
Result<Datum> ArrayWidthBucket(const CallArgs& a) {
  const ArrayValue& thresholds = *DatumAs<ArrayRef>(a.values[1]);
  for (const Datum& t : thresholds.items) {
    if (IsNull(t)) {
      return Fail(sqlstate::kNullValueNotAllowed, "thresholds array must not contain NULLs");
    }
  }
  size_t left = 0, right = thresholds.items.size();
  while (left < right) {
    const size_t mid = (left + right) / 2;
    if (CompareDatums(a.values[0], thresholds.items[mid]) < 0) {
      right = mid;
    } else {
      left = mid + 1;
    }
  }
  return Datum(static_cast<int64_t>(left));
}

// The degree-based trigonometry of float.c: exact at the multiples of 30 and 45 degrees.
struct DegreeConstants {
  double sin_30 = std::sin(kRadiansPerDegree * 30.0);
  double one_minus_cos_60 = 1.0 - std::cos(kRadiansPerDegree * 60.0);
  double asin_0_5 = std::asin(0.5);
  double acos_0_5 = std::acos(0.5);
  double atan_1_0 = std::atan(1.0);
  double tan_45 = 0, cot_45 = 0;
};
double SindZeroTo30(const DegreeConstants& k, double x) {
  volatile double sin_x = std::sin(x * kRadiansPerDegree);
  return (sin_x / k.sin_30) / 2.0;
}
double CosdZeroTo60(const DegreeConstants& k, double x) {
  volatile double one_minus_cos_x = 1.0 - std::cos(x * kRadiansPerDegree);
  return 1.0 - (one_minus_cos_x / k.one_minus_cos_60) / 2.0;
}
double SindQ1(const DegreeConstants& k, double x) {
  return x <= 30.0 ? SindZeroTo30(k, x) : CosdZeroTo60(k, 90.0 - x);
}
double CosdQ1(const DegreeConstants& k, double x) {
  return x <= 60.0 ? CosdZeroTo60(k, x) : SindZeroTo30(k, 90.0 - x);
}
const DegreeConstants& Degrees() {
  static const DegreeConstants k = [] {
    DegreeConstants c;
    c.tan_45 = SindQ1(c, 45.0) / CosdQ1(c, 45.0);
    c.cot_45 = CosdQ1(c, 45.0) / SindQ1(c, 45.0);
    return c;
  }();
  return k;
}
double AsindQ1(const DegreeConstants& k, double x) {
  if (x <= 0.5) {
    volatile double asin_x = std::asin(x);
    return (asin_x / k.asin_0_5) * 30.0;
  }
  volatile double acos_x = std::acos(x);
  return 90.0 - (acos_x / k.acos_0_5) * 60.0;
}
double AcosdQ1(const DegreeConstants& k, double x) {
  if (x <= 0.5) {
    volatile double asin_x = std::asin(x);
    return 90.0 - (asin_x / k.asin_0_5) * 30.0;
  }
  volatile double acos_x = std::acos(x);
  return (acos_x / k.acos_0_5) * 60.0;
}

enum class DegreeFn { kSin, kCos, kTan, kCot };
template <DegreeFn kFn>
Result<Datum> Trigd(const CallArgs& a) {
  double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  if (std::isinf(x)) return OutOfRange();
  const DegreeConstants& k = Degrees();
  double sign = 1.0;
  x = std::fmod(x, 360.0);
  if (x < 0.0) {
    x = -x;
    if (kFn != DegreeFn::kCos) sign = -sign;
  }
  if (x > 180.0) {
    x = 360.0 - x;
    if (kFn != DegreeFn::kCos) sign = -sign;
  }
  if (x > 90.0) {
    x = 180.0 - x;
    if (kFn != DegreeFn::kSin) sign = -sign;
  }
  double r = 0;
  switch (kFn) {
    case DegreeFn::kSin:
      r = sign * SindQ1(k, x);
      break;
    case DegreeFn::kCos:
      r = sign * CosdQ1(k, x);
      break;
    case DegreeFn::kTan:
      r = sign * ((SindQ1(k, x) / CosdQ1(k, x)) / k.tan_45);
      break;
    case DegreeFn::kCot:
      r = sign * ((CosdQ1(k, x) / SindQ1(k, x)) / k.cot_45);
      break;
  }
  if (r == 0.0) r = 0.0;  // never minus zero (tand(180))
  if ((kFn == DegreeFn::kSin || kFn == DegreeFn::kCos) && std::isinf(r)) return FloatOverflow();
  return Datum(r);
}

Result<Datum> Asind(const CallArgs& a) {
  const double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  if (x < -1.0 || x > 1.0) return OutOfRange();
  const DegreeConstants& k = Degrees();
  return Datum(x >= 0.0 ? AsindQ1(k, x) : -AsindQ1(k, -x));
}
Result<Datum> Acosd(const CallArgs& a) {
  const double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  if (x < -1.0 || x > 1.0) return OutOfRange();
  const DegreeConstants& k = Degrees();
  return Datum(x >= 0.0 ? AcosdQ1(k, x) : 90.0 + AsindQ1(k, -x));
}
Result<Datum> Atand(const CallArgs& a) {
  const double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  volatile double atan_x = std::atan(x);
  return Datum((atan_x / Degrees().atan_1_0) * 45.0);
}
Result<Datum> Atan2d(const CallArgs& a) {
  const double y = F(a, 0), x = F(a, 1);
  if (std::isnan(y) || std::isnan(x)) return Datum(Nan());
  volatile double atan2_yx = std::atan2(y, x);
  return Datum((atan2_yx / Degrees().atan_1_0) * 45.0);
}

// dcot: 1 / tan, cot(0) Infinity.
Result<Datum> Cot(const CallArgs& a) {
  const double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  if (std::isinf(x)) return OutOfRange();
  return Datum(1.0 / std::tan(x));
}

// The hyperbolic functions (dsinh .. datanh).
Result<Datum> Sinh(const CallArgs& a) {
  const double x = F(a, 0);
  errno = 0;
  double r = std::sinh(x);
  if (errno == ERANGE) r = x < 0 ? -HUGE_VAL : HUGE_VAL;
  return Datum(r);
}
Result<Datum> Cosh(const CallArgs& a) {
  errno = 0;
  double r = std::cosh(F(a, 0));
  if (errno == ERANGE) r = HUGE_VAL;
  return Datum(r);
}
Result<Datum> Tanh(const CallArgs& a) { return Datum(std::tanh(F(a, 0))); }
Result<Datum> Asinh(const CallArgs& a) { return Datum(std::asinh(F(a, 0))); }
Result<Datum> Acosh(const CallArgs& a) {
  const double x = F(a, 0);
  if (x < 1.0) return OutOfRange();
  return Datum(std::acosh(x));
}
Result<Datum> Atanh(const CallArgs& a) {
  const double x = F(a, 0);
  if (x < -1.0 || x > 1.0) return OutOfRange();
  if (x == -1.0) return Datum(-HUGE_VAL);
  if (x == 1.0) return Datum(HUGE_VAL);
  return Datum(std::atanh(x));
}

// Prefix ~ of the integer types (int2not, int4not, int8not): within the type's range.
Result<Datum> BitNot(const CallArgs& a) { return Datum(~DatumAs<int64_t>(a.values[0])); }

}  // namespace

void AddNumericFunctions(std::vector<Builtin>& out) {
  out.push_back(Fn("^", {kF8, kF8}, kF8, Float8Pow));
  out.push_back(Fn("^", {kNum, kNum}, kNum, NumericPow));
  out.push_back(Fn("|/", {kF8}, kF8, Float8Sqrt));
  out.push_back(Fn("||/", {kF8}, kF8, Float8Cbrt));
  out.push_back(Fn("@", {TypeId::kInt2}, TypeId::kInt2, AbsOf<TypeId::kInt2>));
  out.push_back(Fn("@", {kI4}, kI4, AbsOf<TypeId::kInt4>));
  out.push_back(Fn("@", {kI8}, kI8, AbsOf<TypeId::kInt8>));
  out.push_back(Fn("@", {TypeId::kFloat4}, TypeId::kFloat4, AbsOf<TypeId::kFloat4>));
  out.push_back(Fn("@", {kF8}, kF8, AbsOf<TypeId::kFloat8>));
  out.push_back(Fn("@", {kNum}, kNum, AbsOf<TypeId::kNumeric>));
  for (TypeId t : {TypeId::kInt2, kI4, kI8}) out.push_back(Fn("~", {t}, t, BitNot));
  out.push_back(Fn("ln", {kF8}, kF8, Float8Log<false>));
  out.push_back(Fn("ln", {kNum}, kNum, NumericLn));
  out.push_back(Fn("log", {kF8}, kF8, Float8Log<true>));
  out.push_back(Fn("log", {kNum}, kNum, NumericLog10));
  out.push_back(Fn("log10", {kF8}, kF8, Float8Log<true>));
  out.push_back(Fn("log10", {kNum}, kNum, NumericLog10));
  out.push_back(Fn("log", {kNum, kNum}, kNum, NumericLog));
  out.push_back(Fn("exp", {kF8}, kF8, Float8Exp));
  out.push_back(Fn("exp", {kNum}, kNum, NumericExp));
  out.push_back(Fn("div", {kNum, kNum}, kNum, NumericDiv));
  out.push_back(Fn("factorial", {kI8}, kNum, Factorial));
  out.push_back(Fn("gcd", {kNum, kNum}, kNum, NumericGcd));
  out.push_back(Fn("lcm", {kNum, kNum}, kNum, NumericLcm));
  out.push_back(Fn("scale", {kNum}, kI4, Scale));
  out.push_back(Fn("min_scale", {kNum}, kI4, MinScale));
  out.push_back(Fn("trim_scale", {kNum}, kNum, TrimScale));
  out.push_back(Fn("width_bucket", {kF8, kF8, kF8, kI4}, kI4, Float8WidthBucket));
  out.push_back(Fn("width_bucket", {kNum, kNum, kNum, kI4}, kI4, NumericWidthBucket));
  out.push_back(
      Fn("width_bucket", {TypeId::kAnyElement, TypeId::kAnyArray}, kI4, ArrayWidthBucket));
  out.push_back(Fn("cot", {kF8}, kF8, Cot));
  out.push_back(Fn("sind", {kF8}, kF8, Trigd<DegreeFn::kSin>));
  out.push_back(Fn("cosd", {kF8}, kF8, Trigd<DegreeFn::kCos>));
  out.push_back(Fn("tand", {kF8}, kF8, Trigd<DegreeFn::kTan>));
  out.push_back(Fn("cotd", {kF8}, kF8, Trigd<DegreeFn::kCot>));
  out.push_back(Fn("asind", {kF8}, kF8, Asind));
  out.push_back(Fn("acosd", {kF8}, kF8, Acosd));
  out.push_back(Fn("atand", {kF8}, kF8, Atand));
  out.push_back(Fn("atan2d", {kF8, kF8}, kF8, Atan2d));
  out.push_back(Fn("sinh", {kF8}, kF8, Sinh));
  out.push_back(Fn("cosh", {kF8}, kF8, Cosh));
  out.push_back(Fn("tanh", {kF8}, kF8, Tanh));
  out.push_back(Fn("asinh", {kF8}, kF8, Asinh));
  out.push_back(Fn("acosh", {kF8}, kF8, Acosh));
  out.push_back(Fn("atanh", {kF8}, kF8, Atanh));
}

}  // namespace sqlrite::engine::functions
