#pragma once
// The statistical aggregates' running state and final values, as PostgreSQL 15 computes them
// (AggKind kVarPop..kRegrSyy, engine/expression.h):
//
//   var_pop, var_samp (variance), stddev_pop, stddev_samp (stddev) of int2/int4/int8/numeric:
//     numeric, from the exact count, sum and sum of squares (numeric_stddev_internal): the
//     variance (N * sumX2 - sumX^2) / (N * N) or / (N * (N - 1)) at numeric division's scale
//     (select_div_scale), its square root at that same scale; a NaN or infinite input gives NaN,
//     a non-positive numerator 0.
//   the same of float4/float8: float8, by the Youngs-Cramer updates of float8_accum (N, Sx,
//     Sxx), 22003 "value out of range: overflow" when a finite input overflows them.
//   corr, covar_pop, covar_samp, regr_avgx, regr_avgy, regr_count, regr_intercept, regr_r2,
//     regr_slope, regr_sxx, regr_sxy, regr_syy (float8 Y, float8 X): float8_regr_accum's N, Sx,
//     Sxx, Sy, Syy, Sxy and the final functions of float.c (NULL where PostgreSQL's are).
//
// var_samp / stddev_samp / covar_samp need two rows; the others one (NULL otherwise; regr_count
// is 0). The state is a handful of numbers: the hash aggregate never writes it out (its spill
// files hold input rows, engine/exec/aggregate.h).

#include <cstdint>

#include "common/error.h"
#include "engine/expression.h"
#include "engine/types/numeric.h"
#include "engine/value.h"

namespace sqlrite::engine::exec {

struct StatisticState {
  int64_t count = 0;  // rows added (regr_count; the float and special-value counts below)
  // float8 input (Youngs-Cramer; y is the one-argument aggregates' only value).
  double n = 0, sy = 0, syy = 0, sx = 0, sxx = 0, sxy = 0;
  // Integer and numeric input: the exact sums of the finite values (int2/int4 in 128-bit
  // integers, as PostgreSQL's int128 accumulator; int8 and numeric as numerics), and the count
  // of the special ones.
  Int128 int_sum = 0, int_sum2 = 0;
  Numeric sum, sum2;
  int64_t finite = 0, nans = 0, infinities = 0;
};

// Adds one row: y (the argument; a regression aggregate's first) and x (a regression
// aggregate's second, else unused), both non-NULL, of arg_type (the argument's type; float8 for
// the regression aggregates).
Status AddStatistic(AggKind kind, TypeId arg_type, StatisticState& st, const Datum& y,
                    const Datum& x);

// The aggregate's value for the rows added (NULL for too few).
Result<Datum> FinishStatistic(AggKind kind, TypeId arg_type, const StatisticState& st);

}  // namespace sqlrite::engine::exec
