#pragma once
// Numeric: PostgreSQL 15's exact decimal type as a value class.
//
// A finite value is sign * sum(digits[i] * 10000^(weight - i)): base-10000 digits, most significant
// first, with neither leading nor trailing zero digits (zero has no digits), as in PostgreSQL's
// numeric.c. The display scale `dscale` (decimal digits shown after the point) travels with the
// value: 1.50 and 1.5 are equal (Compare, Hash, key encoding) but print differently. No digit is
// ever non-zero beyond dscale. The special values are NaN, +Infinity and -Infinity; NaN equals NaN
// and sorts above everything, as PostgreSQL sorts it.
//
// Every operation follows PostgreSQL 15's numeric.c: the result display scale of each operator
// (add/sub: the larger scale; mul: the sum; div: select_div_scale; sqrt, power: at least 16
// significant digits), rounding half away from zero, its SQLSTATEs and messages. Results whose
// weight or scale would not fit PostgreSQL's int16 header fail with 22003 "value overflows numeric
// format". Nothing here allocates for NaN, the infinities or zero; a finite value holds its digits
// in a std::vector.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sqlrite::engine {

// A 128-bit integer (__extension__: -Wpedantic otherwise rejects the GCC/Clang type).
__extension__ typedef __int128 Int128;

class Numeric {
 public:
  enum class Kind : uint8_t { kFinite, kNaN, kPosInf, kNegInf };

  static constexpr int kMaxPrecision = 1000;  // numeric(p,s): 1 <= p <= 1000
  static constexpr int kMinScale = -1000;     // -1000 <= s <= 1000 (PostgreSQL 15)
  static constexpr int kMaxScale = 1000;
  static constexpr int kMaxDisplayScale = 1000;  // division, sqrt and power results
  // round/trunc's scale argument is clamped to [kMinRoundScale, kMaxDscale].
  static constexpr int kMinRoundScale = -(32767 + 1) * 4 - 1;
  static constexpr int kMaxDscale = 0x3FFF;  // the header field's width

  Numeric() = default;  // 0 with display scale 0
  static Numeric NaN() { return Numeric(Kind::kNaN); }
  static Numeric PosInfinity() { return Numeric(Kind::kPosInf); }
  static Numeric NegInfinity() { return Numeric(Kind::kNegInf); }
  static Numeric FromInt64(int64_t v);
  static Numeric FromInt128(Int128 v);
  // float8_numeric: NaN and the infinities map to their numeric forms; a finite double goes
  // through its 15-significant-digit text ("%.15g"), so 0.1 becomes 0.1.
  static Numeric FromDouble(double v);
  // numeric_in: leading and trailing white space, a sign, digits with one optional point, an
  // exponent; 'NaN', 'Infinity', 'inf' with optional sign, any case. 22P02
  // "invalid input syntax for type numeric: \"<text>\"" otherwise. With typmod >= 0 the value is
  // then coerced as ApplyTypmod does.
  static Result<Numeric> Parse(std::string_view text, int32_t typmod = -1);
  // A finite value from its parts, as numeric_recv builds it. REQUIRES: digits in 0..9999;
  // digits beyond dscale are truncated away (as numeric_recv does).
  static Result<Numeric> FromParts(bool negative, int weight, int dscale,
                                   std::span<const int16_t> digits);

  Kind kind() const { return kind_; }
  bool is_finite() const { return kind_ == Kind::kFinite; }
  bool is_nan() const { return kind_ == Kind::kNaN; }
  bool is_infinite() const { return kind_ == Kind::kPosInf || kind_ == Kind::kNegInf; }
  bool is_zero() const { return kind_ == Kind::kFinite && digits_.empty(); }
  bool is_negative() const {
    return (kind_ == Kind::kFinite && negative_) || kind_ == Kind::kNegInf;
  }
  // Of a finite value (0 for the special ones).
  int weight() const { return weight_; }
  int dscale() const { return dscale_; }
  const std::vector<int16_t>& digits() const { return digits_; }

  // numeric_out: "NaN", "Infinity", "-Infinity", or the plain decimal with exactly dscale digits
  // after the point (never an exponent).
  std::string ToString() const;
  void AppendText(std::string& out) const;

  // numeric(p,s) typmods: (p << 16 | (s & 0x7ff)) + 4, as PostgreSQL stores them.
  static int32_t MakeTypmod(int precision, int scale);
  static int TypmodPrecision(int32_t typmod);
  static int TypmodScale(int32_t typmod);
  // numerictypmodin: the modifiers of a numeric(p[,s]) declaration; 22023 with PostgreSQL's
  // message when p is outside 1..1000, s outside -1000..1000 or there are not one or two.
  static Result<int32_t> TypmodFromModifiers(std::span<const int32_t> modifiers);
  // numerictypmodout: "(p,s)".
  static std::string TypmodText(int32_t typmod);
  // apply_typmod: rounds to the scale, then 22003 "numeric field overflow" (with PostgreSQL's
  // DETAIL) when the integer part needs more than p - s digits; infinities never fit, NaN does.
  // typmod < 0: unchanged.
  Result<Numeric> ApplyTypmod(int32_t typmod) const;

  // Arithmetic with PostgreSQL's result scales and special-value rules. Division and modulo by
  // zero fail with 22012 "division by zero".
  static Result<Numeric> Add(const Numeric& a, const Numeric& b);
  static Result<Numeric> Sub(const Numeric& a, const Numeric& b);
  static Result<Numeric> Mul(const Numeric& a, const Numeric& b);
  static Result<Numeric> Div(const Numeric& a, const Numeric& b);
  // numeric_div_trunc (div(a, b)): the quotient truncated to an integer.
  static Result<Numeric> DivTrunc(const Numeric& a, const Numeric& b);
  static Result<Numeric> Mod(const Numeric& a, const Numeric& b);
  Numeric Negate() const;
  Numeric Abs() const;

  // The total order PostgreSQL sorts by: -Infinity < finite < +Infinity < NaN, NaN = NaN; the
  // display scale is ignored (1.0 = 1.00). Returns <0, 0, >0.
  static int Compare(const Numeric& a, const Numeric& b);
  friend bool operator==(const Numeric& a, const Numeric& b) { return Compare(a, b) == 0; }
  // Consistent with Compare: equal values hash equally whatever their display scale.
  size_t Hash() const;

  // round(n, s) / trunc(n, s): s is clamped to -131073..16383; a negative s rounds left of the
  // point and leaves display scale 0. Special values come back unchanged.
  Result<Numeric> Round(int scale) const;
  Numeric Trunc(int scale) const;
  Result<Numeric> Ceil() const;
  Result<Numeric> Floor() const;
  // sign(n): -1, 0, 1 (NaN for NaN; +-1 for the infinities).
  Numeric Sign() const;
  // sqrt: 2201F for negative input; at least 16 significant digits.
  Result<Numeric> Sqrt() const;
  // a ^ b (numeric_power) for integral exponents and PostgreSQL's NaN/Infinity/zero rules. Not
  // implemented (0A000): a non-integral finite exponent, and an exponent beyond int32 whose
  // result neither overflows nor underflows (both need exp/ln). Cost grows with the result's
  // digits (schoolbook multiplication): up to seconds near the 131072-digit limit.
  static Result<Numeric> Power(const Numeric& a, const Numeric& b);

  // numeric_int8: rounds half away from zero; 22003 "bigint out of range"; 0A000 for NaN and the
  // infinities ("cannot convert NaN to bigint", "cannot convert infinity to bigint").
  Result<int64_t> ToInt64() const;
  // numeric_float8: through the text form like float8in: 22003 "\"<text>\" is out of range for
  // type double precision" past double's range.
  Result<double> ToDouble() const;

  // numeric_send: int16 ndigits, int16 weight, uint16 sign (0x0000, 0x4000, NaN 0xC000,
  // +Inf 0xD000, -Inf 0xF000), uint16 dscale, then the digits, all big-endian.
  void AppendBinary(std::string& out) const;
  // numeric_recv of exactly `bytes` (08P01 when short, 22P03 for a bad sign, scale or digit,
  // trailing bytes: 08P01 "incorrect binary data format"), then the typmod.
  static Result<Numeric> FromBinary(std::string_view bytes, int32_t typmod = -1);

  // A memcomparable key: memcmp order is Compare's order, equal values give equal bytes, and
  // the encoding is self-delimiting (another column may follow). The display scale is not kept;
  // DecodeKey gives the value with the smallest scale that shows all its digits.
  //   0x01 -Infinity | 0x02 negative | 0x03 zero | 0x04 positive | 0x05 +Infinity | 0x06 NaN
  //   finite non-zero: weight + 0x8000 as 2 bytes big-endian, each digit + 1 as 2 bytes, then
  //   0x0000; for negatives every byte after the tag is complemented.
  void AppendKey(std::string& out) const;
  // Decodes one key from the front of `in` and advances it; 22P03 on malformed bytes.
  static Result<Numeric> DecodeKey(std::string_view& in);

 private:
  explicit Numeric(Kind kind) : kind_(kind) {}
  friend class NumericBuilder;

  Kind kind_ = Kind::kFinite;
  bool negative_ = false;
  int32_t weight_ = 0;
  int32_t dscale_ = 0;
  std::vector<int16_t> digits_;
};

// sum() and avg() over int2/int4/int8 values: an exact 128-bit accumulator (no allocation per
// row; 2^64 rows of any int64 cannot overflow it). PostgreSQL's sum(int8) and avg(int*) are
// numeric: Sum() has scale 0, Avg() divides with numeric division's scale (avg of 1 and 2 is
// 1.5000000000000000). Both need at least one row (an empty group's result is NULL, the caller's).
class Int64SumAccumulator {
 public:
  void Add(int64_t v) {
    sum_ += v;
    ++count_;
  }
  void Merge(const Int64SumAccumulator& other) {
    sum_ += other.sum_;
    count_ += other.count_;
  }
  int64_t count() const { return count_; }
  Int128 sum() const { return sum_; }
  Numeric Sum() const { return Numeric::FromInt128(sum_); }
  Result<Numeric> Avg() const;

 private:
  Int128 sum_ = 0;
  int64_t count_ = 0;
};

}  // namespace sqlrite::engine
