#include "engine/types/numeric_sum.h"

#include <cstdint>
#include <vector>

#include "common/assert.h"

namespace sqlrite::engine {
namespace {

constexpr int kDecDigits = 4;  // decimal digits per base-10000 digit

// 10^0 .. 10^38 (10^38 < 2^127).
struct Pow10Table {
  Int128 v[39]{};
  constexpr Pow10Table() {
    Int128 p = 1;
    for (int i = 0; i <= 38; ++i) {
      v[i] = p;
      if (i < 38) p *= 10;
    }
  }
};
constexpr Pow10Table kPow10;
constexpr Int128 kLimit = kPow10.v[NumericSumAccumulator::kMaxIntDigits];

Int128 Abs(Int128 v) { return v < 0 ? -v : v; }

// A finite v times 10^scale as an integer of magnitude at most kLimit, or false when it is not
// one. REQUIRES: scale >= v.dscale() (so the product is an integer: no digit of v lies beyond
// its display scale).
bool ScaledValue(const Numeric& v, int scale, Int128* out) {
  const std::vector<int16_t>& digits = v.digits();
  const auto n = static_cast<int64_t>(digits.size());
  if (n == 0) {
    *out = 0;
    return true;
  }
  if (n > 9) return false;  // 36 decimal digits or more
  Int128 x = 0;
  for (int16_t d : digits) x = x * 10000 + d;
  // v = x * 10000^(weight - n + 1), so v * 10^scale = x * 10^e.
  const int64_t e = kDecDigits * (int64_t{v.weight()} - n + 1) + scale;
  if (e >= 0) {
    if (e > NumericSumAccumulator::kMaxIntDigits || x > kLimit / kPow10.v[e]) return false;
    x *= kPow10.v[e];
  } else {
    // The last digit's decimal digits beyond the display scale are zero (at most 3 of them).
    // Anything else goes the exact way rather than lose a digit.
    if (-e >= kDecDigits) return false;
    const auto unit = static_cast<uint64_t>(kPow10.v[-e]);
    if (x <= static_cast<Int128>(UINT64_MAX)) {  // the usual value: 64-bit division is cheaper
      const auto small = static_cast<uint64_t>(x);
      if (small % unit != 0) return false;
      x = small / unit;
    } else {
      if (x % unit != 0) return false;
      x /= unit;
    }
  }
  if (x > kLimit) return false;
  *out = v.is_negative() ? -x : x;
  return true;
}

// The Numeric v * 10^-scale with display scale `scale`. REQUIRES: |v| <= kLimit, 0 <= scale <=
// kMaxIntScale.
Result<Numeric> ToNumeric(Int128 v, int scale) {
  if (scale == 0) return Numeric::FromInt128(v);
  const bool negative = v < 0;
  // Padded to a whole number of base-10000 digits after the point (|v| * 1000 < 2^127).
  const int pad = (kDecDigits - scale % kDecDigits) % kDecDigits;
  Int128 u = Abs(v) * kPow10.v[pad];
  const int fraction_digits = (scale + pad) / kDecDigits;
  std::vector<int16_t> little;
  while (u != 0) {
    little.push_back(static_cast<int16_t>(u % 10000));
    u /= 10000;
  }
  const std::vector<int16_t> digits(little.rbegin(), little.rend());
  const int weight = static_cast<int>(digits.size()) - 1 - fraction_digits;
  return Numeric::FromParts(negative, weight, scale, digits);
}

}  // namespace

Status NumericSumAccumulator::Add(const Numeric& v) {
  switch (v.kind()) {
    case Numeric::Kind::kNaN:
      ++nan_;
      return Ok();
    case Numeric::Kind::kPosInf:
      ++pos_inf_;
      return Ok();
    case Numeric::Kind::kNegInf:
      ++neg_inf_;
      return Ok();
    case Numeric::Kind::kFinite:
      break;
  }
  auto add_to_rest = [this, &v]() -> Status {
    SQLRITE_ASSIGN_OR_RETURN(rest_, Numeric::Add(rest_, v));
    has_rest_ = true;
    return Ok();
  };
  const int dscale = v.dscale();
  if (dscale > scale_) {
    if (dscale > kMaxIntScale) return add_to_rest();
    const int grow = dscale - scale_;
    if (sum_ != 0 && Abs(sum_) > kLimit / kPow10.v[grow]) {
      SQLRITE_TRY(Flush());
    } else {
      sum_ *= kPow10.v[grow];
    }
    scale_ = dscale;
  }
  Int128 x = 0;
  if (!ScaledValue(v, scale_, &x)) return add_to_rest();
  Int128 sum = sum_ + x;  // both at most 10^34: no overflow
  if (Abs(sum) > kLimit) {
    SQLRITE_TRY(Flush());
    sum = x;
  }
  sum_ = sum;
  return Ok();
}

Status NumericSumAccumulator::Flush() {
  SQLRITE_ASSIGN_OR_RETURN(Numeric part, ToNumeric(sum_, scale_));
  SQLRITE_ASSIGN_OR_RETURN(rest_, Numeric::Add(rest_, part));
  has_rest_ = true;
  sum_ = 0;
  return Ok();
}

Result<Numeric> NumericSumAccumulator::Sum() const {
  if (nan_ > 0 || (pos_inf_ > 0 && neg_inf_ > 0)) return Numeric::NaN();
  if (pos_inf_ > 0) return Numeric::PosInfinity();
  if (neg_inf_ > 0) return Numeric::NegInfinity();
  SQLRITE_ASSIGN_OR_RETURN(Numeric part, ToNumeric(sum_, scale_));
  if (!has_rest_) return part;
  return Numeric::Add(rest_, part);
}

Result<Numeric> NumericSumAccumulator::Avg(int64_t count) const {
  SQLRITE_ASSERT(count > 0);
  SQLRITE_ASSIGN_OR_RETURN(Numeric sum, Sum());
  return Numeric::Div(sum, Numeric::FromInt64(count));
}

}  // namespace sqlrite::engine
