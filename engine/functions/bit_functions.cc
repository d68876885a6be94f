// bit and bit varying's operators and functions (PostgreSQL's varbit.c): & | # ~ << >> and the
// concatenation bitcat (bound by the binder's ||), length, bit_length, octet_length, position,
// substring, overlay, get_bit, set_bit, bit_count. PostgreSQL declares them over bit; a bit
// varying argument reaches them through its implicit cast (the same representation,
// engine/types/bit_string.h).

#include <algorithm>
#include <limits>

#include "common/sqlstate.h"
#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"
#include "engine/types/bit_string.h"

namespace sqlrite::engine::functions {
namespace {

using bit_string::Bits;

Bits Arg(const CallArgs& a, size_t i) {
  return bit_string::Decode(DatumAs<std::string>(a.values[i]));
}
int64_t Int(const CallArgs& a, size_t i) { return DatumAs<int64_t>(a.values[i]); }
Datum Out(const Bits& b) { return Datum(bit_string::Encode(b)); }

template <char op>
Result<Datum> Bitwise(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(std::string r,
                           bit_string::Bitwise(DatumAs<std::string>(a.values[0]),
                                               DatumAs<std::string>(a.values[1]), op));
  return Datum(std::move(r));
}

Result<Datum> Not(const CallArgs& a) {
  Bits b = Arg(a, 0);
  for (char& c : b.bytes) c = static_cast<char>(~static_cast<uint8_t>(c));
  b.ClearPadding();
  return Out(b);
}

// bitshiftleft / bitshiftright: the length kept, zeros shifted in; a negative count shifts the
// other way.
Bits Shift(const Bits& b, int64_t count) {
  Bits r = bit_string::MakeBits(b.length);
  for (int32_t i = 0; i < b.length; ++i) {
    const int64_t from = i + count;
    if (from >= 0 && from < b.length && b.Get(static_cast<int32_t>(from))) r.Set(i, true);
  }
  return r;
}
template <bool left>
Result<Datum> ShiftOp(const CallArgs& a) {
  const int64_t n = std::clamp<int64_t>(Int(a, 1), -(int64_t{1} << 32), int64_t{1} << 32);
  return Out(Shift(Arg(a, 0), left ? n : -n));
}

Bits Concat(const Bits& x, const Bits& y) {
  Bits r = bit_string::MakeBits(x.length + y.length);
  for (int32_t i = 0; i < x.length; ++i) {
    if (x.Get(i)) r.Set(i, true);
  }
  for (int32_t i = 0; i < y.length; ++i) {
    if (y.Get(i)) r.Set(x.length + i, true);
  }
  return r;
}
Result<Datum> BitCat(const CallArgs& a) { return Out(Concat(Arg(a, 0), Arg(a, 1))); }

Result<Datum> BitLength(const CallArgs& a) { return Datum(int64_t{Arg(a, 0).length}); }
Result<Datum> OctetLength(const CallArgs& a) {
  return Datum(static_cast<int64_t>(Arg(a, 0).bytes.size()));
}

Result<Datum> BitCount(const CallArgs& a) {
  int64_t n = 0;
  for (char c : Arg(a, 0).bytes) n += __builtin_popcount(static_cast<uint8_t>(c));
  return Datum(n);
}

// bitposition: the 1-based place of the first occurrence; 0 for none or an empty string, 1 for
// an empty substring.
Result<Datum> BitPosition(const CallArgs& a) {
  const Bits str = Arg(a, 0), sub = Arg(a, 1);
  if (str.length == 0 || sub.length > str.length) return Datum(int64_t{0});
  if (sub.length == 0) return Datum(int64_t{1});
  for (int32_t at = 0; at + sub.length <= str.length; ++at) {
    int32_t i = 0;
    while (i < sub.length && str.Get(at + i) == sub.Get(i)) ++i;
    if (i == sub.length) return Datum(int64_t{at} + 1);
  }
  return Datum(int64_t{0});
}

// bitsubstring: bits [s, s + l) of the 1-based positions within the string; l < 0 is 22011.
Result<Bits> Substring(const Bits& b, int64_t s, int64_t l, bool to_end) {
  const int64_t s1 = std::max<int64_t>(s, 1);
  int64_t e1;
  if (to_end) {
    e1 = int64_t{b.length} + 1;
  } else if (l < 0) {
    return Fail(sqlstate::kSubstringError, "negative substring length not allowed");
  } else {
    e1 = std::min<int64_t>(s + l, int64_t{b.length} + 1);
  }
  if (s1 > b.length || e1 <= s1) return bit_string::MakeBits(0);
  Bits r = bit_string::MakeBits(static_cast<int32_t>(e1 - s1));
  for (int32_t i = 0; i < r.length; ++i) {
    if (b.Get(static_cast<int32_t>(s1 - 1) + i)) r.Set(i, true);
  }
  return r;
}
Result<Datum> Substring3(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Bits r, Substring(Arg(a, 0), Int(a, 1), Int(a, 2), false));
  return Out(r);
}
Result<Datum> Substring2(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(Bits r, Substring(Arg(a, 0), Int(a, 1), 0, true));
  return Out(r);
}

// bitoverlay: the bits before sp, the new ones, the bits from sp + sl on.
Result<Datum> OverlayBits(const Bits& t1, const Bits& t2, int64_t sp, int64_t sl) {
  if (sp <= 0) return Fail(sqlstate::kSubstringError, "negative substring length not allowed");
  if (sp + sl > std::numeric_limits<int32_t>::max() ||
      sp + sl < std::numeric_limits<int32_t>::min()) {
    return Fail(sqlstate::kNumericValueOutOfRange, "integer out of range");
  }
  SQLRITE_ASSIGN_OR_RETURN(Bits head, Substring(t1, 1, sp - 1, false));
  SQLRITE_ASSIGN_OR_RETURN(Bits tail, Substring(t1, sp + sl, 0, true));
  return Out(Concat(Concat(head, t2), tail));
}
Result<Datum> Overlay4(const CallArgs& a) {
  return OverlayBits(Arg(a, 0), Arg(a, 1), Int(a, 2), Int(a, 3));
}
Result<Datum> Overlay3(const CallArgs& a) {
  const Bits t2 = Arg(a, 1);
  return OverlayBits(Arg(a, 0), t2, Int(a, 2), t2.length);
}

Status CheckIndex(const Bits& b, int64_t n) {
  if (n < 0 || n >= b.length) {
    return Fail(sqlstate::kArraySubscriptError, "bit index " + std::to_string(n) +
                                                    " out of valid range (0.." +
                                                    std::to_string(int64_t{b.length} - 1) + ")");
  }
  return Ok();
}
Result<Datum> GetBit(const CallArgs& a) {
  const Bits b = Arg(a, 0);
  SQLRITE_TRY(CheckIndex(b, Int(a, 1)));
  return Datum(int64_t{b.Get(static_cast<int32_t>(Int(a, 1)))});
}
Result<Datum> SetBit(const CallArgs& a) {
  Bits b = Arg(a, 0);
  SQLRITE_TRY(CheckIndex(b, Int(a, 1)));
  const int64_t v = Int(a, 2);
  if (v != 0 && v != 1) return Fail(sqlstate::kInvalidParameterValue, "new bit must be 0 or 1");
  b.Set(static_cast<int32_t>(Int(a, 1)), v == 1);
  return Out(b);
}

}  // namespace

void AddBitFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kB;
  using type_shorthands::kI4;
  using type_shorthands::kV;
  out.push_back(Fn("&", {kB, kB}, kB, Bitwise<'&'>));
  out.push_back(Fn("|", {kB, kB}, kB, Bitwise<'|'>));
  out.push_back(Fn("#", {kB, kB}, kB, Bitwise<'#'>));
  out.push_back(Fn("~", {kB}, kB, Not));
  out.push_back(Fn("<<", {kB, kI4}, kB, ShiftOp<true>));
  out.push_back(Fn(">>", {kB, kI4}, kB, ShiftOp<false>));
  out.push_back(Fn("bitcat", {kV, kV}, kV, BitCat));
  out.push_back(Fn("length", {kB}, kI4, BitLength));
  out.push_back(Fn("bit_length", {kB}, kI4, BitLength));
  out.push_back(Fn("octet_length", {kB}, kI4, OctetLength));
  out.push_back(Fn("bit_count", {kB}, TypeId::kInt8, BitCount));
  out.push_back(Fn("position", {kB, kB}, kI4, BitPosition));
  out.push_back(Fn("substring", {kB, kI4, kI4}, kB, Substring3));
  out.push_back(Fn("substring", {kB, kI4}, kB, Substring2));
  out.push_back(Fn("overlay", {kB, kB, kI4, kI4}, kB, Overlay4));
  out.push_back(Fn("overlay", {kB, kB, kI4}, kB, Overlay3));
  out.push_back(Fn("get_bit", {kB, kI4}, kI4, GetBit));
  out.push_back(Fn("set_bit", {kB, kI4, kI4}, kB, SetBit));
}

}  // namespace sqlrite::engine::functions
