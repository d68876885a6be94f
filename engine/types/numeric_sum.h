#pragma once
// NumericSumAccumulator: sum() and avg() over numeric values without allocating per value.
//
// PostgreSQL's sum(numeric) is exact, its result's display scale the largest of its inputs'
// (add_var keeps the larger dscale), and NaN / Infinity follow numeric_add's rules: any NaN
// makes NaN, +Infinity and -Infinity together make NaN, else an infinity wins (PostgreSQL's
// NumericAggState counts them: NaNcount, pInfcount, nInfcount). Adding Numerics one by one
// (Numeric::Add) gives the same answer but builds a new digit vector per row.
//
// Here a finite value is added as a 128-bit integer: the value times 10^scale(), where scale()
// is the largest display scale added so far, while |sum| stays at most 10^34 (so rescaling by
// up to three decimal digits for the base-10000 conversion cannot overflow). A value that does
// not fit (more than 34 significant digits at that scale, or a display scale above 30), or a
// sum that would leave that range, goes to an exact Numeric part instead (the integer part
// flushed into it), so the result stays exact whatever the inputs. Sum() adds the two parts
// once.
//
// Not thread-safe; a value type (copyable), as the aggregate states holding it.

#include <cstdint>

#include "common/error.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine {

class NumericSumAccumulator {
 public:
  // Adds v. Errors only when the exact Numeric part overflows PostgreSQL's numeric format
  // (22003 "value overflows numeric format", as Numeric::Add).
  Status Add(const Numeric& v);
  // The sum of the values added: NaN, an infinity, or the exact sum with the largest display
  // scale added. REQUIRES: at least one value added (an empty group's sum is NULL, the
  // caller's).
  Result<Numeric> Sum() const;
  // numeric_avg: Sum() / count with numeric division's result scale. REQUIRES: count > 0.
  Result<Numeric> Avg(int64_t count) const;

  // The scale of the integer part (the largest display scale it has taken).
  int scale() const { return scale_; }

  // Bounds of the integer part (public for the tests).
  static constexpr int kMaxIntScale = 30;
  static constexpr int kMaxIntDigits = 34;  // |sum| <= 10^kMaxIntDigits

 private:
  // Moves the integer part into the Numeric part.
  Status Flush();

  Int128 sum_ = 0;  // the finite values' sum times 10^scale_, |sum_| <= 10^kMaxIntDigits
  int scale_ = 0;
  bool has_rest_ = false;
  Numeric rest_;  // the finite values that did not fit the integer part, and flushed sums
  int64_t nan_ = 0;
  int64_t pos_inf_ = 0;
  int64_t neg_inf_ = 0;
};

}  // namespace sqlrite::engine
