// The float8 math functions of the registry (engine/functions/builtin.h): PostgreSQL defines
// these for double precision only, so an integer or numeric argument is cast to float8.
// (exp, ln, log and the like also have numeric versions in PostgreSQL: they join here with
// both overloads, never the float8 one alone, or numeric arguments would get float8 answers.)

#include <cerrno>
#include <cmath>
#include <numeric>

#include "common/sqlstate.h"
#include "engine/functions/arg_shorthands.h"
#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

using arg_shorthands::kRadiansPerDegree;

using arg_shorthands::F;

Result<Datum> Checked(double result, bool input_inf) {
  if (std::isinf(result) && !input_inf) {
    return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  }
  return Datum(result);
}

Result<Datum> Pi(const CallArgs&) { return Datum(M_PI); }
Result<Datum> Cbrt(const CallArgs& a) { return Datum(std::cbrt(F(a, 0))); }
Result<Datum> Degrees(const CallArgs& a) {
  return Checked(F(a, 0) / kRadiansPerDegree, std::isinf(F(a, 0)));
}
Result<Datum> Radians(const CallArgs& a) { return Datum(F(a, 0) * kRadiansPerDegree); }

// sin, cos and tan: an infinite argument is 22003 "input is out of range", as PostgreSQL's.
template <double (*fn)(double)>
Result<Datum> Trig(const CallArgs& a) {
  const double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  if (std::isinf(x)) return Fail(sqlstate::kNumericValueOutOfRange, "input is out of range");
  return Datum(fn(x));
}

// asin and acos: defined on [-1, 1] only.
template <double (*fn)(double)>
Result<Datum> InverseTrig(const CallArgs& a) {
  const double x = F(a, 0);
  if (std::isnan(x)) return Datum(x);
  if (x < -1 || x > 1) return Fail(sqlstate::kNumericValueOutOfRange, "input is out of range");
  return Datum(fn(x));
}

Result<Datum> Atan(const CallArgs& a) { return Datum(std::atan(F(a, 0))); }
Result<Datum> Atan2(const CallArgs& a) { return Datum(std::atan2(F(a, 0), F(a, 1))); }

double Sin(double x) { return std::sin(x); }
double Cos(double x) { return std::cos(x); }
double Tan(double x) { return std::tan(x); }
double Asin(double x) { return std::asin(x); }
double Acos(double x) { return std::acos(x); }

// gcd and lcm of integers: 22003 where the result does not fit, as PostgreSQL's int4gcd.
template <TypeId type>
Result<Datum> Gcd(const CallArgs& a) {
  const int64_t x = DatumAs<int64_t>(a.values[0]);
  const int64_t y = DatumAs<int64_t>(a.values[1]);
  const int64_t min = type == TypeId::kInt4 ? INT32_MIN : INT64_MIN;
  // gcd(min, 0) and gcd(min, min) are -min, out of range.
  if ((x == min && (y == 0 || y == min)) || (y == min && x == 0)) {
    return Fail(sqlstate::kNumericValueOutOfRange,
                std::string(type == TypeId::kInt4 ? "integer" : "bigint") + " out of range");
  }
  uint64_t ux = x < 0 ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
  uint64_t uy = y < 0 ? 0 - static_cast<uint64_t>(y) : static_cast<uint64_t>(y);
  return Datum(static_cast<int64_t>(std::gcd(ux, uy)));
}

template <TypeId type>
Result<Datum> Lcm(const CallArgs& a) {
  const int64_t x = DatumAs<int64_t>(a.values[0]);
  const int64_t y = DatumAs<int64_t>(a.values[1]);
  if (x == 0 || y == 0) return Datum(int64_t{0});
  SQLRITE_ASSIGN_OR_RETURN(Datum g, Gcd<type>(a));
  int64_t l = 0;
  const int64_t max = type == TypeId::kInt4 ? INT32_MAX : INT64_MAX;
  if (__builtin_mul_overflow(x / DatumAs<int64_t>(g), y, &l) || l < -max || l > max) {
    return Fail(sqlstate::kNumericValueOutOfRange,
                std::string(type == TypeId::kInt4 ? "integer" : "bigint") + " out of range");
  }
  return Datum(l < 0 ? -l : l);
}

// The bitwise operators of the integer types (int2and, int4or, int8xor, ...): & | #, as calls
// of functions named by their symbol (the transformer's), each overload giving its own type.
enum class BitOp { kAnd, kOr, kXor };
template <BitOp kOp>
Result<Datum> Bitwise(const CallArgs& a) {
  const int64_t l = std::get<int64_t>(a.values[0]), r = std::get<int64_t>(a.values[1]);
  switch (kOp) {
    case BitOp::kAnd:
      return Datum(l & r);
    case BitOp::kOr:
      return Datum(l | r);
    case BitOp::kXor:
      return Datum(l ^ r);
  }
  return Datum(l & r);
}

// The shifts of the integer types (int2shl, int4shr, int8shl, ...): the count is an integer of
// any sign and size, and nothing overflows. PostgreSQL's C shifts by the count as x86 does, only
// its low 5 bits (6 for bigint) counting, smallint computed as an integer then truncated; the
// masks make that defined here, C++20's shifts of negative values are two's complement.
template <TypeId kType, bool kLeft>
Result<Datum> Shift(const CallArgs& a) {
  const int64_t value = std::get<int64_t>(a.values[0]);
  const int64_t count = std::get<int64_t>(a.values[1]);
  if constexpr (kType == TypeId::kInt8) {
    const int bits = static_cast<int>(count & 63);
    return Datum(kLeft ? value << bits : value >> bits);
  } else {
    const int bits = static_cast<int>(count & 31);
    const auto v = static_cast<int32_t>(value);
    const int32_t r = kLeft ? static_cast<int32_t>(static_cast<uint32_t>(v) << bits) : v >> bits;
    if constexpr (kType == TypeId::kInt2) return Datum(int64_t{static_cast<int16_t>(r)});
    return Datum(int64_t{r});
  }
}

}  // namespace

void AddShiftOperators(std::vector<Builtin>& out) {
  using type_shorthands::kI4;
  out.push_back(Fn("<<", {TypeId::kInt2, kI4}, TypeId::kInt2, Shift<TypeId::kInt2, true>));
  out.push_back(Fn(">>", {TypeId::kInt2, kI4}, TypeId::kInt2, Shift<TypeId::kInt2, false>));
  out.push_back(Fn("<<", {kI4, kI4}, kI4, Shift<kI4, true>));
  out.push_back(Fn(">>", {kI4, kI4}, kI4, Shift<kI4, false>));
  out.push_back(Fn("<<", {TypeId::kInt8, kI4}, TypeId::kInt8, Shift<TypeId::kInt8, true>));
  out.push_back(Fn(">>", {TypeId::kInt8, kI4}, TypeId::kInt8, Shift<TypeId::kInt8, false>));
}

void AddMathFunctions(std::vector<Builtin>& out) {
  for (TypeId t : {TypeId::kInt2, TypeId::kInt4, TypeId::kInt8}) {
    // Within the type's range: the operands are, and these operations never widen.
    out.push_back(Fn("&", {t, t}, t, Bitwise<BitOp::kAnd>));
    out.push_back(Fn("|", {t, t}, t, Bitwise<BitOp::kOr>));
    out.push_back(Fn("#", {t, t}, t, Bitwise<BitOp::kXor>));
  }
  using type_shorthands::kF8;
  out.push_back(Fn("pi", {}, kF8, Pi));
  out.push_back(Fn("cbrt", {kF8}, kF8, Cbrt));
  out.push_back(Fn("degrees", {kF8}, kF8, Degrees));
  out.push_back(Fn("radians", {kF8}, kF8, Radians));
  out.push_back(Fn("sin", {kF8}, kF8, Trig<Sin>));
  out.push_back(Fn("cos", {kF8}, kF8, Trig<Cos>));
  out.push_back(Fn("tan", {kF8}, kF8, Trig<Tan>));
  out.push_back(Fn("asin", {kF8}, kF8, InverseTrig<Asin>));
  out.push_back(Fn("acos", {kF8}, kF8, InverseTrig<Acos>));
  out.push_back(Fn("atan", {kF8}, kF8, Atan));
  out.push_back(Fn("atan2", {kF8, kF8}, kF8, Atan2));
  out.push_back(Fn("gcd", {TypeId::kInt4, TypeId::kInt4}, TypeId::kInt4, Gcd<TypeId::kInt4>));
  out.push_back(Fn("gcd", {TypeId::kInt8, TypeId::kInt8}, TypeId::kInt8, Gcd<TypeId::kInt8>));
  out.push_back(Fn("lcm", {TypeId::kInt4, TypeId::kInt4}, TypeId::kInt4, Lcm<TypeId::kInt4>));
  out.push_back(Fn("lcm", {TypeId::kInt8, TypeId::kInt8}, TypeId::kInt8, Lcm<TypeId::kInt8>));
}

}  // namespace sqlrite::engine::functions
