#pragma once
// The numeric functions beyond Numeric's arithmetic (numeric.h), as PostgreSQL 15's numeric.c
// gives them: their special values, errors and result display scales.
//
//   Ln(x)          ln: scale 16 - (decimal weight of the result), at least x's scale; 2201E
//                  "cannot take logarithm of zero" / "... of a negative number".
//   Log(b, x)      log(b, x): ln(x) / ln(b) at log_var's scale; log(1, x) 22012.
//   Exp(x)         exp: scale 16 - (decimal weight of the result), at least x's; 22003 "value
//                  overflows numeric format" past e^6000.
//   Power(a, b)    a ^ b: Numeric::Power, and exp(b * ln(a)) for the exponents it leaves (not
//                  integral, or beyond int32), at power_var's scale.
//   Factorial(n)   n! (2201E for n < 0, 22003 past 32177!).
//   Gcd, Lcm       of any two numerics (fractions too), display scale the larger input's; NaN for
//                  NaN and the infinities.
//   MinScale(x)    the smallest scale that shows x exactly; TrimScale(x) x at that scale.
//   WidthBucket    width_bucket(operand, low, high, count) (2201G for a bad count or bounds).
//
// The transcendental results are computed with guard digits and rounded once, half away from
// zero, at PostgreSQL's scale: PostgreSQL's own series round the same exact value, so the
// printed digits agree (a tie within the guard digits could round the other way).

#include <cstdint>

#include "common/error.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine::numeric_math {

Result<Numeric> Ln(const Numeric& x);
Result<Numeric> Log(const Numeric& base, const Numeric& x);
Result<Numeric> Exp(const Numeric& x);
Result<Numeric> Power(const Numeric& a, const Numeric& b);
Result<Numeric> Factorial(int64_t n);
Result<Numeric> Gcd(const Numeric& a, const Numeric& b);
Result<Numeric> Lcm(const Numeric& a, const Numeric& b);
// NULL in SQL for NaN and the infinities: the caller's (nullopt-like -1 here).
int MinScale(const Numeric& x);
Numeric TrimScale(const Numeric& x);
Result<int32_t> WidthBucket(const Numeric& operand, const Numeric& low, const Numeric& high,
                            int32_t count);

}  // namespace sqlrite::engine::numeric_math
