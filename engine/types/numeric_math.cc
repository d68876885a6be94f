#include "engine/types/numeric_math.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/sqlstate.h"

namespace sqlrite::engine::numeric_math {
namespace {

// SQLSTATEs of these functions only (common/sqlstate.h has the shared ones).
constexpr const char* kInvalidArgumentForLog = "2201E";
constexpr const char* kInvalidArgumentForWidthBucket = "2201G";

constexpr int kMinSigDigits = 16;  // NUMERIC_MIN_SIG_DIGITS
constexpr int kMaxDisplay = Numeric::kMaxDisplayScale;
constexpr int kMaxResultScale = 2000;  // NUMERIC_MAX_RESULT_SCALE
// Digits carried beyond the ones a result keeps.
constexpr int kGuard = 12;

Numeric Int(int64_t v) { return Numeric::FromInt64(v); }

// A zero of display scale `scale`: added to a value, it makes the value show (and Div and Sqrt
// compute) at least that many digits.
Numeric ZeroOfScale(int scale) {
  std::string text = "0.";
  text.append(static_cast<size_t>(std::max(scale, 0)), '0');
  return *Numeric::Parse(text);
}

// 10^e, exactly.
Numeric Pow10(int64_t e) { return *Numeric::Parse("1e" + std::to_string(e)); }

Result<Numeric> MulAt(const Numeric& a, const Numeric& b, int scale) {
  SQLRITE_ASSIGN_OR_RETURN(Numeric p, Numeric::Mul(a, b));
  return p.Round(scale);
}

// a / b rounded at `scale` (Numeric::Div computes at least as many digits as a shows, up to its
// limit of 1000).
Result<Numeric> DivAt(const Numeric& a, const Numeric& b, int scale) {
  SQLRITE_ASSIGN_OR_RETURN(Numeric padded,
                           Numeric::Add(a, ZeroOfScale(std::min(scale + 1, kMaxDisplay))));
  SQLRITE_ASSIGN_OR_RETURN(Numeric q, Numeric::Div(padded, b));
  return q.Round(scale);
}

Result<Numeric> SqrtAt(const Numeric& x, int scale) {
  SQLRITE_ASSIGN_OR_RETURN(Numeric padded,
                           Numeric::Add(x, ZeroOfScale(std::min(scale + 1, kMaxDisplay))));
  SQLRITE_ASSIGN_OR_RETURN(Numeric root, padded.Sqrt());
  return root.Round(scale);
}

// floor(log10 |x|) of a finite non-zero x.
int DecWeight(const Numeric& x) {
  int d = x.digits()[0];
  int w = x.weight() * 4;
  while (d >= 10) {
    d /= 10;
    ++w;
  }
  return w;
}

// estimate_ln_dweight: the decimal weight of ln(x), roughly.
int EstimateLnDweight(const Numeric& x) {
  if (x.is_negative() || x.is_zero()) return 0;
  if (Numeric::Compare(x, *Numeric::Parse("0.9")) >= 0 &&
      Numeric::Compare(x, *Numeric::Parse("1.1")) <= 0) {
    const Numeric d = *Numeric::Sub(x, Int(1));
    if (d.is_zero()) return 0;
    return d.weight() * 4 + static_cast<int>(std::log10(d.digits()[0]));
  }
  int digits = x.digits()[0];
  int dweight = x.weight() * 4;
  if (x.digits().size() > 1) {
    digits = digits * 10000 + x.digits()[1];
    dweight -= 4;
  }
  const double ln = std::log(static_cast<double>(digits)) + dweight * 2.302585092994046;
  return static_cast<int>(std::log10(std::fabs(ln)));
}

// ln(m) for 1 <= m <= 10, to `scale` digits (and guard digits): square roots bring m below 1.1,
// then ln(m) = 2 atanh((m - 1) / (m + 1)), whose series gains two and a half digits a term.
Result<Numeric> SeriesLn(Numeric m, int scale) {
  int halvings = 0;
  const Numeric limit = *Numeric::Parse("1.1");
  const int work = std::min(scale + kGuard, kMaxDisplay);
  while (Numeric::Compare(m, limit) > 0) {
    SQLRITE_ASSIGN_OR_RETURN(m, SqrtAt(m, work));
    ++halvings;
  }
  SQLRITE_ASSIGN_OR_RETURN(Numeric num, Numeric::Sub(m, Int(1)));
  SQLRITE_ASSIGN_OR_RETURN(Numeric den, Numeric::Add(m, Int(1)));
  SQLRITE_ASSIGN_OR_RETURN(Numeric z, DivAt(num, den, work));
  SQLRITE_ASSIGN_OR_RETURN(Numeric z2, MulAt(z, z, work));
  Numeric sum = z, power = z;
  for (int64_t k = 3;; k += 2) {
    SQLRITE_ASSIGN_OR_RETURN(power, MulAt(power, z2, work));
    if (power.is_zero()) break;
    SQLRITE_ASSIGN_OR_RETURN(Numeric term, DivAt(power, Int(k), work));
    if (term.is_zero()) break;
    SQLRITE_ASSIGN_OR_RETURN(sum, Numeric::Add(sum, term));
  }
  return Numeric::Mul(sum, Int(int64_t{2} << halvings));
}

// ln(x) of a finite x > 0, rounded at `scale`.
Result<Numeric> LnAt(const Numeric& x, int scale) {
  const int e = DecWeight(x);
  // x = m * 10^e, 1 <= m < 10: ln(x) = ln(m) + e ln(10), ln(10) with enough digits for e times.
  SQLRITE_ASSIGN_OR_RETURN(Numeric m, Numeric::Mul(x, Pow10(-e)));
  const int extra = static_cast<int>(std::to_string(std::abs(e)).size()) + 1;
  SQLRITE_ASSIGN_OR_RETURN(Numeric ln, SeriesLn(std::move(m), scale + extra));
  if (e != 0) {
    SQLRITE_ASSIGN_OR_RETURN(Numeric ln10, SeriesLn(Int(10), scale + extra));
    SQLRITE_ASSIGN_OR_RETURN(Numeric shift, Numeric::Mul(ln10, Int(e)));
    SQLRITE_ASSIGN_OR_RETURN(ln, Numeric::Add(ln, shift));
  }
  return ln.Round(scale);
}

tl::unexpected<Error> Overflow() {
  return Fail(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
}

// exp_var: e^x of a finite x rounded at `scale` (PostgreSQL's overflow limit |x| <= 6000).
Result<Numeric> ExpAt(const Numeric& x, int scale) {
  SQLRITE_ASSIGN_OR_RETURN(double val, x.ToDouble());
  if (std::fabs(val) > kMaxResultScale * 3) {
    if (val > 0) return Overflow();
    return ZeroOfScale(scale);
  }
  const bool negative = x.is_negative();
  const Numeric a = x.Abs();
  // e^|x| has about d decimal digits before the point: the relative precision it needs is the
  // digits kept of e^x (for a negative x, its reciprocal's).
  const int d = static_cast<int>(std::ceil(std::fabs(val) * 0.434294481903252)) + 1;
  const int precision = std::max(negative ? scale - d + 2 : scale + d, 0) + kGuard;
  // |x| / 2^k <= 0.01; squaring k times loses k * log10(2) digits.
  int k = 0;
  for (double r = std::fabs(val); r > 0.01; r /= 2) ++k;
  const int work = std::min(precision + (k * 3 + 9) / 10 + 2, kMaxDisplay);
  SQLRITE_ASSIGN_OR_RETURN(Numeric r, DivAt(a, Numeric::FromInt128(Int128{1} << k), work));
  Numeric sum = Int(1), term = Int(1);
  for (int64_t n = 1;; ++n) {
    SQLRITE_ASSIGN_OR_RETURN(Numeric t, MulAt(term, r, work));
    SQLRITE_ASSIGN_OR_RETURN(term, DivAt(t, Int(n), work));
    if (term.is_zero()) break;
    SQLRITE_ASSIGN_OR_RETURN(sum, Numeric::Add(sum, term));
  }
  for (int i = 0; i < k; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(sum, MulAt(sum, sum, work));
  }
  if (negative) return DivAt(Int(1), sum, scale);
  return sum.Round(scale);
}

int ClampScale(int rscale) { return std::min(std::max(rscale, 0), kMaxDisplay); }

tl::unexpected<Error> LogOfZero() {
  return Fail(kInvalidArgumentForLog, "cannot take logarithm of zero");
}
tl::unexpected<Error> LogOfNegative() {
  return Fail(kInvalidArgumentForLog, "cannot take logarithm of a negative number");
}

Status CheckLogArgument(const Numeric& x) {
  if (x.is_zero()) return LogOfZero();
  if (x.is_negative()) return LogOfNegative();
  return Ok();
}

}  // namespace

Result<Numeric> Ln(const Numeric& x) {
  if (!x.is_finite()) {
    if (x.is_negative()) return LogOfNegative();
    return x;
  }
  SQLRITE_TRY(CheckLogArgument(x));
  const int rscale = ClampScale(std::max(kMinSigDigits - EstimateLnDweight(x), x.dscale()));
  return LnAt(x, rscale);
}

Result<Numeric> Log(const Numeric& base, const Numeric& x) {
  if (!base.is_finite() || !x.is_finite()) {
    if (base.is_nan() || x.is_nan()) return Numeric::NaN();
    if (base.is_negative() || x.is_negative()) return LogOfNegative();
    if (base.is_zero() || x.is_zero()) return LogOfZero();
    if (base.kind() == Numeric::Kind::kPosInf) {
      if (x.kind() == Numeric::Kind::kPosInf) return Numeric::NaN();
      return Numeric();
    }
    return Numeric::PosInfinity();
  }
  SQLRITE_TRY(CheckLogArgument(base));
  SQLRITE_TRY(CheckLogArgument(x));
  const int ln_base_dweight = EstimateLnDweight(base);
  const int ln_num_dweight = EstimateLnDweight(x);
  const int result_dweight = ln_num_dweight - ln_base_dweight;
  const int rscale =
      ClampScale(std::max({kMinSigDigits - result_dweight, base.dscale(), x.dscale()}));
  const int base_scale = std::max(rscale + result_dweight - ln_base_dweight + 8, 0) + kGuard;
  const int num_scale = std::max(rscale + result_dweight - ln_num_dweight + 8, 0) + kGuard;
  SQLRITE_ASSIGN_OR_RETURN(Numeric ln_base, LnAt(base, base_scale));
  SQLRITE_ASSIGN_OR_RETURN(Numeric ln_num, LnAt(x, num_scale));
  if (ln_base.is_zero()) return Fail(sqlstate::kDivisionByZero, "division by zero");
  return DivAt(ln_num, ln_base, rscale);
}

Result<Numeric> Exp(const Numeric& x) {
  if (!x.is_finite()) {
    if (x.kind() == Numeric::Kind::kNegInf) return Numeric();
    return x;
  }
  SQLRITE_ASSIGN_OR_RETURN(double val, x.ToDouble());
  val *= 0.434294481903252;
  val = std::clamp(val, double{-kMaxResultScale}, double{kMaxResultScale});
  const int rscale = ClampScale(std::max(kMinSigDigits - static_cast<int>(val), x.dscale()));
  return ExpAt(x, rscale);
}

Result<Numeric> Power(const Numeric& a, const Numeric& b) {
  Result<Numeric> exact = Numeric::Power(a, b);
  if (exact || exact.error().sqlstate != sqlstate::kFeatureNotSupported) return exact;
  // Numeric::Power left a finite exponent that is not an integer or beyond int32: power_var's
  // exp(b * ln(|a|)), a negative a only with an integral b (Numeric::Power checked).
  const bool integral = static_cast<int64_t>(b.digits().size()) <= int64_t{b.weight()} + 1;
  const bool negative = a.is_negative() && integral && !b.digits().empty() &&
                        (b.digits().back() & 1) &&
                        static_cast<int64_t>(b.digits().size()) == int64_t{b.weight()} + 1;
  const Numeric base = a.Abs();
  const int ln_dweight = EstimateLnDweight(base);
  // A first estimate of b * ln(base), to 8 significant digits, for the scale and the overflow
  // test.
  int local = std::max(8 - ln_dweight, 0);
  SQLRITE_ASSIGN_OR_RETURN(Numeric ln_base, LnAt(base, local));
  SQLRITE_ASSIGN_OR_RETURN(Numeric ln_num, MulAt(ln_base, b, local));
  SQLRITE_ASSIGN_OR_RETURN(double val, ln_num.ToDouble());
  if (std::fabs(val) > kMaxResultScale * 3.01) {
    if (val > 0) return Overflow();
    return ZeroOfScale(kMaxDisplay);
  }
  val *= 0.434294481903252;
  const int rscale =
      ClampScale(std::max({kMinSigDigits - static_cast<int>(val), base.dscale(), b.dscale()}));
  const int sig_digits = std::max(rscale + static_cast<int>(val), 0);
  local = std::max(sig_digits - ln_dweight + 8, 0) + kGuard;
  SQLRITE_ASSIGN_OR_RETURN(ln_base, LnAt(base, local));
  SQLRITE_ASSIGN_OR_RETURN(ln_num, MulAt(ln_base, b, local));
  SQLRITE_ASSIGN_OR_RETURN(Numeric r, ExpAt(ln_num, rscale));
  if (negative && !r.is_zero()) return r.Negate();
  return r;
}

Result<Numeric> Factorial(int64_t n) {
  if (n < 0) {
    return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                "factorial of a negative number is undefined");
  }
  if (n <= 1) return Int(1);
  if (n > 32177) return Overflow();
  Numeric r = Int(1);
  // Products of several factors at a time in an int64 keep the big multiplications few.
  int64_t chunk = 1;
  for (int64_t i = 2; i <= n; ++i) {
    if (chunk > (int64_t{1} << 40)) {
      SQLRITE_ASSIGN_OR_RETURN(r, Numeric::Mul(r, Int(chunk)));
      chunk = 1;
    }
    chunk *= i;
  }
  return Numeric::Mul(r, Int(chunk));
}

Result<Numeric> Gcd(const Numeric& a, const Numeric& b) {
  if (!a.is_finite() || !b.is_finite()) return Numeric::NaN();
  const int dscale = std::max(a.dscale(), b.dscale());
  Numeric x = a.Abs(), y = b.Abs();
  if (Numeric::Compare(x, y) < 0) std::swap(x, y);
  while (!y.is_zero()) {
    SQLRITE_ASSIGN_OR_RETURN(Numeric m, Numeric::Mod(x, y));
    x = std::move(y);
    y = std::move(m);
  }
  return Numeric::Add(x.Abs(), ZeroOfScale(dscale));
}

Result<Numeric> Lcm(const Numeric& a, const Numeric& b) {
  if (!a.is_finite() || !b.is_finite()) return Numeric::NaN();
  const int dscale = std::max(a.dscale(), b.dscale());
  if (a.is_zero() || b.is_zero()) return ZeroOfScale(dscale);
  SQLRITE_ASSIGN_OR_RETURN(Numeric g, Gcd(a, b));
  SQLRITE_ASSIGN_OR_RETURN(Numeric q, Numeric::DivTrunc(a, g));
  SQLRITE_ASSIGN_OR_RETURN(Numeric r, Numeric::Mul(b, q));
  return Numeric::Add(r.Abs(), ZeroOfScale(dscale));
}

int MinScale(const Numeric& x) {
  if (!x.is_finite()) return -1;
  if (x.is_zero()) return 0;
  int last = x.digits().back();
  int scale = (static_cast<int>(x.digits().size()) - 1 - x.weight()) * 4;
  if (scale <= 0) return 0;
  while (last % 10 == 0) {
    --scale;
    last /= 10;
  }
  return scale;
}

Numeric TrimScale(const Numeric& x) {
  if (!x.is_finite()) return x;
  return *x.Round(MinScale(x));
}

Result<int32_t> WidthBucket(const Numeric& operand, const Numeric& low, const Numeric& high,
                            int32_t count) {
  const auto bad = [](const char* message) {
    return Fail(kInvalidArgumentForWidthBucket, message);
  };
  if (count <= 0) return bad("count must be greater than zero");
  if (operand.is_nan() || low.is_nan() || high.is_nan()) {
    return bad("operand, lower bound, and upper bound cannot be NaN");
  }
  if (low.is_infinite() || high.is_infinite()) return bad("lower and upper bounds must be finite");
  const int c = Numeric::Compare(low, high);
  if (c == 0) return bad("lower bound cannot equal upper bound");
  const bool reversed = c > 0;
  Numeric result;
  if (reversed ? Numeric::Compare(operand, low) > 0 : Numeric::Compare(operand, low) < 0) {
    return 0;
  }
  if (reversed ? Numeric::Compare(operand, high) <= 0 : Numeric::Compare(operand, high) >= 0) {
    if (count == INT32_MAX) return Fail(sqlstate::kNumericValueOutOfRange, "integer out of range");
    return count + 1;
  }
  // compute_bucket: (operand - low) * count / (high - low), truncated, plus one.
  SQLRITE_ASSIGN_OR_RETURN(Numeric num,
                           reversed ? Numeric::Sub(low, operand) : Numeric::Sub(operand, low));
  SQLRITE_ASSIGN_OR_RETURN(Numeric den,
                           reversed ? Numeric::Sub(low, high) : Numeric::Sub(high, low));
  SQLRITE_ASSIGN_OR_RETURN(num, Numeric::Mul(num, Int(count)));
  SQLRITE_ASSIGN_OR_RETURN(Numeric q, Numeric::DivTrunc(num, den));
  SQLRITE_ASSIGN_OR_RETURN(int64_t bucket, q.ToInt64());
  if (bucket + 1 > INT32_MAX)
    return Fail(sqlstate::kNumericValueOutOfRange, "integer out of range");
  return static_cast<int32_t>(bucket + 1);
}

}  // namespace sqlrite::engine::numeric_math
