#include "engine/types/numeric.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include "common/assert.h"
#include "common/bytes.h"
#include "common/sqlstate.h"

// The arithmetic works on `Dec`: a magnitude as little-endian base-10000 digits times 10000^exp.
// A Numeric's digits convert to it by reversal (exp = weight - ndigits + 1), so base 10000 keeps
// the conversion free of decimal shifting; every operation is exact on Dec and rounds once at the
// end to the scale PostgreSQL gives its result (division, sqrt and power compute exactly the
// digits needed and round on the next one, which is what PostgreSQL's correctly rounded results
// come to).

namespace sqlrite::engine {
namespace {

constexpr uint32_t kBase = 10000;
constexpr int kDecDigits = 4;
constexpr int kMinSigDigits = 16;  // NUMERIC_MIN_SIG_DIGITS
constexpr int kWeightMax = 32767;
constexpr int kWeightMin = -32768;
constexpr uint32_t kPow10[] = {1, 10, 100, 1000, 10000};

constexpr uint16_t kSignPos = 0x0000;
constexpr uint16_t kSignNeg = 0x4000;
constexpr uint16_t kSignNaN = 0xC000;
constexpr uint16_t kSignPinf = 0xD000;
constexpr uint16_t kSignNinf = 0xF000;

using Mag = std::vector<uint32_t>;  // little-endian base-10000 digits, no high zero digits

void Trim(Mag& m) {
  while (!m.empty() && m.back() == 0) m.pop_back();
}

int CmpMag(const Mag& a, const Mag& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

Mag AddMag(const Mag& a, const Mag& b) {
  Mag r(std::max(a.size(), b.size()) + 1, 0);
  uint32_t carry = 0;
  for (size_t i = 0; i < r.size(); ++i) {
    uint32_t s = carry + (i < a.size() ? a[i] : 0) + (i < b.size() ? b[i] : 0);
    carry = s >= kBase ? 1 : 0;
    r[i] = s - carry * kBase;
  }
  Trim(r);
  return r;
}

// REQUIRES: a >= b.
Mag SubMag(const Mag& a, const Mag& b) {
  Mag r(a.size(), 0);
  int32_t borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int32_t s = static_cast<int32_t>(a[i]) - borrow - static_cast<int32_t>(i < b.size() ? b[i] : 0);
    borrow = s < 0 ? 1 : 0;
    r[i] = static_cast<uint32_t>(s + borrow * static_cast<int32_t>(kBase));
  }
  SQLRITE_ASSERT(borrow == 0);
  Trim(r);
  return r;
}

Mag MulMag(const Mag& a, const Mag& b) {
  if (a.empty() || b.empty()) return {};
  std::vector<uint64_t> acc(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == 0) continue;
    for (size_t j = 0; j < b.size(); ++j) acc[i + j] += uint64_t{a[i]} * b[j];
    // Keep the accumulators far from overflow on long operands.
    if ((i & 0xFFF) == 0xFFF) {
      uint64_t carry = 0;
      for (auto& v : acc) {
        v += carry;
        carry = v / kBase;
        v %= kBase;
      }
    }
  }
  Mag r(acc.size(), 0);
  uint64_t carry = 0;
  for (size_t i = 0; i < acc.size(); ++i) {
    uint64_t v = acc[i] + carry;
    r[i] = static_cast<uint32_t>(v % kBase);
    carry = v / kBase;
  }
  SQLRITE_ASSERT(carry == 0);
  Trim(r);
  return r;
}

void MulSmall(Mag& m, uint32_t k) {
  uint64_t carry = 0;
  for (auto& d : m) {
    uint64_t v = uint64_t{d} * k + carry;
    d = static_cast<uint32_t>(v % kBase);
    carry = v / kBase;
  }
  while (carry != 0) {
    m.push_back(static_cast<uint32_t>(carry % kBase));
    carry /= kBase;
  }
  Trim(m);
}

// m * 10^e for e >= 0.
Mag MulPow10(Mag m, int64_t e) {
  if (m.empty()) return m;
  m.insert(m.begin(), static_cast<size_t>(e / kDecDigits), 0);
  MulSmall(m, kPow10[e % kDecDigits]);
  return m;
}

// m / k, returning the remainder. REQUIRES: 0 < k <= kBase.
uint32_t DivSmall(Mag& m, uint32_t k) {
  uint64_t rem = 0;
  for (size_t i = m.size(); i-- > 0;) {
    uint64_t v = rem * kBase + m[i];
    m[i] = static_cast<uint32_t>(v / k);
    rem = v % k;
  }
  Trim(m);
  return static_cast<uint32_t>(rem);
}

// Knuth's algorithm D (TAOCP 4.3.1) in base 10000. REQUIRES: !b.empty().
void DivMod(const Mag& a, const Mag& b, Mag* q, Mag* r) {
  SQLRITE_ASSERT(!b.empty());
  if (CmpMag(a, b) < 0) {
    *q = {};
    *r = a;
    return;
  }
  if (b.size() == 1) {
    *q = a;
    uint32_t rem = DivSmall(*q, b[0]);
    *r = rem ? Mag{rem} : Mag{};
    return;
  }
  const uint32_t norm = kBase / (b.back() + 1);
  Mag u = a;
  Mag v = b;
  MulSmall(u, norm);
  MulSmall(v, norm);
  u.resize(a.size() + 1, 0);  // the normalised dividend may or may not have grown a digit
  const size_t n = v.size();
  const size_t m = u.size() - n;
  Mag quot(m, 0);
  const int64_t base = kBase;
  for (size_t j = m; j-- > 0;) {
    int64_t top = int64_t{u[j + n]} * base + u[j + n - 1];
    int64_t qhat = top / v[n - 1];
    int64_t rhat = top % v[n - 1];
    while (qhat >= base || qhat * v[n - 2] > rhat * base + u[j + n - 2]) {
      --qhat;
      rhat += v[n - 1];
      if (rhat >= base) break;
    }
    int64_t borrow = 0;
    int64_t carry = 0;
    for (size_t i = 0; i < n; ++i) {
      int64_t p = qhat * v[i] + carry;
      carry = p / base;
      int64_t t = int64_t{u[i + j]} - borrow - p % base;
      borrow = t < 0 ? 1 : 0;
      u[i + j] = static_cast<uint32_t>(t + borrow * base);
    }
    int64_t t = int64_t{u[j + n]} - borrow - carry;
    if (t < 0) {
      // qhat was one too large: add the divisor back.
      u[j + n] = static_cast<uint32_t>(t + base);
      --qhat;
      uint32_t c = 0;
      for (size_t i = 0; i < n; ++i) {
        uint32_t s = u[i + j] + v[i] + c;
        c = s >= kBase ? 1 : 0;
        u[i + j] = s - c * kBase;
      }
      u[j + n] = (u[j + n] + c) % kBase;
    } else {
      u[j + n] = static_cast<uint32_t>(t);
    }
    quot[j] = static_cast<uint32_t>(qhat);
  }
  Trim(quot);
  u.resize(n);
  Trim(u);
  DivSmall(u, norm);
  *q = std::move(quot);
  *r = std::move(u);
}

// floor(sqrt(n)) by Newton's iteration from a power of ten above the root.
Mag IntSqrt(const Mag& n) {
  if (n.empty()) return {};
  size_t dec = (n.size() - 1) * kDecDigits;
  for (uint32_t top = n.back(); top > 0; top /= 10) ++dec;
  Mag x = MulPow10(Mag{1}, static_cast<int64_t>((dec + 1) / 2));
  for (;;) {
    Mag q, r;
    DivMod(n, x, &q, &r);
    Mag y = AddMag(x, q);
    DivSmall(y, 2);
    if (CmpMag(y, x) >= 0) return x;
    x = std::move(y);
  }
}

// The decimal digit of m at decimal position p (0: the units of m's lowest digit).
uint32_t DecimalDigitAt(const Mag& m, int64_t p) {
  const size_t idx = static_cast<size_t>(p / kDecDigits);
  if (idx >= m.size()) return 0;
  return (m[idx] / kPow10[p % kDecDigits]) % 10;
}

}  // namespace

// A finite value under construction: (-1)^negative * mag * 10000^exp.
struct Dec {
  bool negative = false;
  Mag mag;
  int64_t exp = 0;

  static Dec From(const Numeric& n) {
    Dec d;
    d.negative = n.is_negative();
    d.mag.assign(n.digits().rbegin(), n.digits().rend());
    d.exp = n.weight() - static_cast<int64_t>(n.digits().size()) + 1;
    return d;
  }
  // The value q * 10^-scale for an integer q and scale >= 0.
  static Dec FromScaled(Mag q, bool negative, int64_t scale) {
    Dec d;
    d.negative = negative;
    const int64_t m = (scale + kDecDigits - 1) / kDecDigits;
    d.mag = MulPow10(std::move(q), m * kDecDigits - scale);
    d.exp = -m;
    return d;
  }
  bool zero() const { return mag.empty(); }
  // Rounds (half away from zero) or truncates to `scale` decimal digits after the point.
  void RoundTo(int64_t scale, bool round) {
    const int64_t k = -kDecDigits * exp - scale;  // decimal digits of mag to drop
    if (k <= 0 || mag.empty()) return;
    const bool up = round && DecimalDigitAt(mag, k - 1) >= 5;
    const size_t q = static_cast<size_t>(k / kDecDigits);
    const uint32_t unit = kPow10[k % kDecDigits];
    for (size_t i = 0; i < std::min(q, mag.size()); ++i) mag[i] = 0;
    if (q < mag.size()) mag[q] -= mag[q] % unit;
    if (up) {
      if (mag.size() <= q) mag.resize(q + 1, 0);
      uint32_t carry = unit;
      for (size_t i = q; carry != 0; ++i) {
        if (i == mag.size()) mag.push_back(0);
        mag[i] += carry;
        carry = mag[i] >= kBase ? 1 : 0;
        if (carry) mag[i] -= kBase;
      }
    }
    Trim(mag);
  }
  // Removes zero digits at the low end (raising exp), so that exp >= 0 for an integer.
  void DropLowZeros() {
    size_t low = 0;
    while (low < mag.size() && mag[low] == 0) ++low;
    mag.erase(mag.begin(), mag.begin() + static_cast<std::ptrdiff_t>(low));
    exp += static_cast<int64_t>(low);
    if (mag.empty()) exp = 0;
  }
  // Aligns two values on the smaller exponent.
  static void Align(Dec& a, Dec& b) {
    const int64_t e = std::min(a.exp, b.exp);
    if (!a.mag.empty()) a.mag.insert(a.mag.begin(), static_cast<size_t>(a.exp - e), 0);
    if (!b.mag.empty()) b.mag.insert(b.mag.begin(), static_cast<size_t>(b.exp - e), 0);
    a.exp = b.exp = e;
  }
};

class NumericBuilder {
 public:
  // The finite Numeric of `d` with display scale `dscale`. REQUIRES: d has no non-zero digit
  // beyond dscale. 22003 when the weight or the scale does not fit PostgreSQL's header.
  static Result<Numeric> Make(Dec d, int64_t dscale) {
    Mag& m = d.mag;
    Trim(m);
    size_t low = 0;
    while (low < m.size() && m[low] == 0) ++low;
    Numeric n;
    if (low == m.size()) {
      if (dscale > Numeric::kMaxDscale) return Overflow();
      n.dscale_ = static_cast<int32_t>(std::max<int64_t>(dscale, 0));
      return n;
    }
    const int64_t weight = d.exp + static_cast<int64_t>(m.size()) - 1;
    if (weight > kWeightMax || weight < kWeightMin || dscale > Numeric::kMaxDscale) {
      return Overflow();
    }
    n.negative_ = d.negative;
    n.weight_ = static_cast<int32_t>(weight);
    n.dscale_ = static_cast<int32_t>(std::max<int64_t>(dscale, 0));
    n.digits_.reserve(m.size() - low);
    for (size_t i = m.size(); i-- > low;) n.digits_.push_back(static_cast<int16_t>(m[i]));
    return n;
  }
  static tl::unexpected<Error> Overflow() {
    return Fail(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  }
  static Numeric Small(int v) { return Numeric::FromInt64(v); }
};

namespace {

tl::unexpected<Error> DivisionByZero() {
  return Fail(sqlstate::kDivisionByZero, "division by zero");
}
tl::unexpected<Error> BadSyntax(std::string_view text) {
  return Fail(sqlstate::kInvalidTextRepresentation,
              "invalid input syntax for type numeric: \"" + std::string(text) + "\"");
}
tl::unexpected<Error> BadBinary(const char* what) {
  return Fail(sqlstate::kInvalidBinaryRepresentation,
              std::string("invalid ") + what + " in external \"numeric\" value");
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    char b = prefix[i];
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// -1, 0, 1; the infinities count as +-1. REQUIRES: !n.is_nan().
int SignOf(const Numeric& n) {
  if (n.kind() == Numeric::Kind::kPosInf) return 1;
  if (n.kind() == Numeric::Kind::kNegInf) return -1;
  if (n.is_zero()) return 0;
  return n.is_negative() ? -1 : 1;
}

Numeric InfinityOfSign(int sign) {
  return sign > 0 ? Numeric::PosInfinity() : Numeric::NegInfinity();
}

// |a| compared with |b| for finite values.
int CmpAbs(const Numeric& a, const Numeric& b) {
  if (a.is_zero() || b.is_zero()) return (a.is_zero() ? 0 : 1) - (b.is_zero() ? 0 : 1);
  if (a.weight() != b.weight()) return a.weight() < b.weight() ? -1 : 1;
  const auto& x = a.digits();
  const auto& y = b.digits();
  const size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  if (x.size() == y.size()) return 0;
  return x.size() < y.size() ? -1 : 1;
}

// select_div_scale: enough digits for 16 significant digits of the quotient, at least the
// inputs' scales, at most 1000.
int SelectDivScale(const Numeric& a, const Numeric& b) {
  int weight1 = 0, first1 = 0, weight2 = 0, first2 = 0;
  if (!a.digits().empty()) {
    weight1 = a.weight();
    first1 = a.digits()[0];
  }
  if (!b.digits().empty()) {
    weight2 = b.weight();
    first2 = b.digits()[0];
  }
  int qweight = weight1 - weight2;
  if (first1 <= first2) --qweight;
  int rscale = kMinSigDigits - qweight * kDecDigits;
  rscale = std::max({rscale, a.dscale(), b.dscale(), 0});
  return std::min(rscale, Numeric::kMaxDisplayScale);
}

// The value of a finite n in units of 10000^exp. REQUIRES: exp <= n's lowest digit's weight and
// n's digits from its weight down to exp fit an Int128 (at most 9 base digits).
Int128 ScaledInt(const Numeric& n, int64_t exp) {
  Int128 v = 0;
  for (int64_t w = n.weight(); w >= exp; --w) {
    const int64_t idx = n.weight() - w;
    v = v * kBase + (idx < static_cast<int64_t>(n.digits().size()) ? n.digits()[idx] : 0);
  }
  return n.is_negative() ? -v : v;
}

Result<Numeric> AddFinite(const Numeric& a, const Numeric& b, bool negate_b) {
  // Operands spanning at most 9 base digits together (36 decimal digits, the usual case) add
  // as 128-bit integers.
  if (!a.is_zero() && !b.is_zero()) {
    const int64_t low = std::min(a.weight() - static_cast<int64_t>(a.digits().size()),
                                 b.weight() - static_cast<int64_t>(b.digits().size())) +
                        1;
    const int64_t high = std::max(a.weight(), b.weight());
    if (high - low + 1 <= 9) {
      Int128 sum = ScaledInt(a, low) + (negate_b ? -ScaledInt(b, low) : ScaledInt(b, low));
      Dec r;
      r.negative = sum < 0;
      if (sum < 0) sum = -sum;
      while (sum != 0) {
        r.mag.push_back(static_cast<uint32_t>(sum % kBase));
        sum /= kBase;
      }
      r.exp = low;
      return NumericBuilder::Make(std::move(r), std::max(a.dscale(), b.dscale()));
    }
  }
  Dec x = Dec::From(a);
  Dec y = Dec::From(b);
  if (negate_b) y.negative = !y.negative;
  Dec::Align(x, y);
  Dec r;
  r.exp = x.exp;
  if (x.negative == y.negative) {
    r.negative = x.negative;
    r.mag = AddMag(x.mag, y.mag);
  } else if (CmpMag(x.mag, y.mag) >= 0) {
    r.negative = x.negative;
    r.mag = SubMag(x.mag, y.mag);
  } else {
    r.negative = y.negative;
    r.mag = SubMag(y.mag, x.mag);
  }
  return NumericBuilder::Make(std::move(r), std::max(a.dscale(), b.dscale()));
}

Result<Numeric> MulFinite(const Numeric& a, const Numeric& b) {
  Dec x = Dec::From(a);
  Dec y = Dec::From(b);
  Dec r;
  r.negative = x.negative != y.negative;
  r.mag = MulMag(x.mag, y.mag);
  r.exp = x.exp + y.exp;
  int64_t scale = int64_t{a.dscale()} + b.dscale();
  if (scale > Numeric::kMaxDscale) {
    scale = Numeric::kMaxDscale;
    r.RoundTo(scale, true);
  }
  return NumericBuilder::Make(std::move(r), scale);
}

// a / b rounded (or truncated) to `rscale` >= 0 decimals. REQUIRES: b != 0, both finite.
Dec DivideDec(const Dec& a, const Dec& b, int64_t rscale, bool round) {
  const int64_t e = kDecDigits * (a.exp - b.exp) + rscale;
  Mag num = e >= 0 ? MulPow10(a.mag, e) : a.mag;
  Mag den = e < 0 ? MulPow10(b.mag, -e) : b.mag;
  Mag q, r;
  DivMod(num, den, &q, &r);
  if (round && !r.empty()) {
    MulSmall(r, 2);
    if (CmpMag(r, den) >= 0) q = AddMag(q, Mag{1});
  }
  return Dec::FromScaled(std::move(q), a.negative != b.negative, rscale);
}

// log10(|n|) of a finite non-zero value, approximately.
double Log10Abs(const Numeric& n) {
  const auto& d = n.digits();
  double lead = d[0];
  if (d.size() > 1) lead += d[1] / 1e4;
  if (d.size() > 2) lead += d[2] / 1e8;
  return std::log10(lead) + kDecDigits * static_cast<double>(n.weight());
}

// |base|^n for n > 0, exact while it stays below `max_scale` decimals after the point, else
// truncated there at each step (the caller's scale leaves guard digits).
Dec PowAbs(const Numeric& base, uint64_t n, int64_t max_scale) {
  Dec acc;
  acc.mag = {1};
  Dec sq = Dec::From(base);
  sq.negative = false;
  auto mul = [max_scale](const Dec& x, const Dec& y) {
    Dec r;
    r.mag = MulMag(x.mag, y.mag);
    r.exp = x.exp + y.exp;
    r.RoundTo(max_scale, false);
    r.DropLowZeros();  // or the zero digits below the kept scale would pile up
    return r;
  };
  for (;;) {
    if (n & 1) acc = mul(acc, sq);
    n >>= 1;
    if (n == 0) break;
    sq = mul(sq, sq);
  }
  return acc;
}

}  // namespace

Numeric Numeric::FromInt64(int64_t v) { return FromInt128(v); }

Numeric Numeric::FromInt128(Int128 v) {
  // The base-10000 digits straight into the value (one allocation): 2^127 has 39 decimal
  // digits, 10 base digits.
  Numeric n;
  if (v == 0) return n;
  n.negative_ = v < 0;
  __extension__ unsigned __int128 u =
      n.negative_ ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  int16_t little[10] = {};
  int count = 0;
  while (u != 0) {
    little[count++] = static_cast<int16_t>(u % kBase);
    u /= kBase;
  }
  int low = 0;
  while (little[low] == 0) ++low;  // no trailing zero digits: the weight says where they were
  n.weight_ = count - 1;
  n.digits_.reserve(static_cast<size_t>(count - low));
  for (int i = count; i-- > low;) n.digits_.push_back(little[i]);
  return n;
}

Numeric Numeric::FromDouble(double v) {
  if (std::isnan(v)) return NaN();
  if (std::isinf(v)) return v > 0 ? PosInfinity() : NegInfinity();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", std::numeric_limits<double>::digits10, v);
  auto r = Parse(buf);
  SQLRITE_ASSERT(r.has_value());
  return *std::move(r);
}

Result<Numeric> Numeric::Parse(std::string_view text, int32_t typmod) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  std::string_view rest = text.substr(i);
  Numeric special(Kind::kFinite);
  size_t special_len = 0;
  static constexpr struct {
    std::string_view word;
    Kind kind;
  } kSpecials[] = {{"NaN", Kind::kNaN},          {"Infinity", Kind::kPosInf},
                   {"+Infinity", Kind::kPosInf}, {"-Infinity", Kind::kNegInf},
                   {"inf", Kind::kPosInf},       {"+inf", Kind::kPosInf},
                   {"-inf", Kind::kNegInf}};
  for (const auto& s : kSpecials) {
    if (StartsWithNoCase(rest, s.word)) {
      special = Numeric(s.kind);
      special_len = s.word.size();
      break;
    }
  }
  if (special_len > 0) {
    for (size_t j = i + special_len; j < text.size(); ++j) {
      if (!IsSpace(text[j])) return BadSyntax(text);
    }
    return special.ApplyTypmod(typmod);
  }

  // set_var_from_str: sign, digits with one point, optional exponent.
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  bool have_point = false;
  if (i < text.size() && text[i] == '.') {
    have_point = true;
    ++i;
  }
  if (i >= text.size() || !IsDigit(text[i])) return BadSyntax(text);
  std::string decimal;   // the decimal digits as read
  int64_t dweight = -1;  // power of ten of the first digit read
  int64_t dscale = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (IsDigit(c)) {
      decimal.push_back(static_cast<char>(c - '0'));
      if (have_point) {
        ++dscale;
      } else {
        ++dweight;
      }
    } else if (c == '.') {
      if (have_point) return BadSyntax(text);
      have_point = true;
    } else {
      break;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    // strtol's syntax: white space, a sign, digits.
    size_t j = i + 1;
    while (j < text.size() && IsSpace(text[j])) ++j;
    bool exp_negative = false;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) exp_negative = text[j++] == '-';
    if (j >= text.size() || !IsDigit(text[j])) return BadSyntax(text);
    int64_t exponent = 0;
    for (; j < text.size() && IsDigit(text[j]); ++j) {
      exponent = std::min<int64_t>(exponent * 10 + (text[j] - '0'), int64_t{1} << 40);
    }
    if (exp_negative) exponent = -exponent;
    // PostgreSQL bounds the exponent only to keep its arithmetic from overflowing; what does not
    // fit the format fails below as any too large value does.
    constexpr int64_t kExponentLimit = std::numeric_limits<int32_t>::max() / 2;
    if (exponent >= kExponentLimit || exponent <= -kExponentLimit) {
      return NumericBuilder::Overflow();
    }
    dweight += exponent;
    dscale = std::max<int64_t>(dscale - exponent, 0);
    i = j;
  }
  for (; i < text.size(); ++i) {
    if (!IsSpace(text[i])) return BadSyntax(text);
  }
  // Group the decimal digits into base-10000 digits aligned on the point: the first digit read
  // has power dweight, so it sits in base digit floor(dweight / 4).
  const int64_t weight = dweight >= 0 ? dweight / kDecDigits : -((-dweight - 1) / kDecDigits + 1);
  const int64_t lead = (weight + 1) * kDecDigits - (dweight + 1);
  std::string padded(static_cast<size_t>(lead), '\0');
  padded += decimal;
  padded.append((kDecDigits - padded.size() % kDecDigits) % kDecDigits, '\0');
  Dec d;
  d.negative = negative;
  const size_t groups = padded.size() / kDecDigits;
  d.mag.resize(groups);
  for (size_t g = 0; g < groups; ++g) {
    const char* p = padded.data() + g * kDecDigits;
    d.mag[groups - 1 - g] = static_cast<uint32_t>(p[0] * 1000 + p[1] * 100 + p[2] * 10 + p[3]);
  }
  d.exp = weight - static_cast<int64_t>(groups) + 1;
  SQLRITE_ASSIGN_OR_RETURN(Numeric n, NumericBuilder::Make(std::move(d), dscale));
  return n.ApplyTypmod(typmod);
}

Result<Numeric> Numeric::FromParts(bool negative, int weight, int dscale,
                                   std::span<const int16_t> digits) {
  Dec d;
  d.negative = negative;
  d.mag.reserve(digits.size());
  for (size_t i = digits.size(); i-- > 0;) {
    SQLRITE_ASSERT(digits[i] >= 0 && digits[i] < static_cast<int>(kBase));
    d.mag.push_back(static_cast<uint32_t>(digits[i]));
  }
  d.exp = int64_t{weight} - static_cast<int64_t>(digits.size()) + 1;
  d.RoundTo(dscale, false);
  return NumericBuilder::Make(std::move(d), dscale);
}

void Numeric::AppendText(std::string& out) const {
  switch (kind_) {
    case Kind::kNaN:
      out += "NaN";
      return;
    case Kind::kPosInf:
      out += "Infinity";
      return;
    case Kind::kNegInf:
      out += "-Infinity";
      return;
    case Kind::kFinite:
      break;
  }
  if (negative_) out.push_back('-');
  auto digit_at = [this](int64_t w) -> uint32_t {  // the base digit of weight w
    const int64_t idx = weight_ - w;
    if (idx < 0 || idx >= static_cast<int64_t>(digits_.size())) return 0;
    return static_cast<uint32_t>(digits_[static_cast<size_t>(idx)]);
  };
  auto append4 = [&out](uint32_t d) {
    char buf[4] = {static_cast<char>('0' + d / 1000), static_cast<char>('0' + d / 100 % 10),
                   static_cast<char>('0' + d / 10 % 10), static_cast<char>('0' + d % 10)};
    out.append(buf, 4);
  };
  if (weight_ < 0 || digits_.empty()) {
    out.push_back('0');
  } else {
    // The first digit without its leading zeros, the others as four characters each.
    const uint32_t first = digit_at(weight_);
    const size_t at = out.size();
    append4(first);
    const size_t skip = first >= 1000 ? 0 : first >= 100 ? 1 : first >= 10 ? 2 : 3;
    out.erase(at, skip);
    for (int64_t w = weight_ - 1; w >= 0; --w) append4(digit_at(w));
  }
  if (dscale_ > 0) {
    out.push_back('.');
    int remaining = dscale_;
    for (int64_t w = -1; remaining > 0; --w) {
      const uint32_t d = digit_at(w);
      if (remaining >= kDecDigits) {
        append4(d);
        remaining -= kDecDigits;
        continue;
      }
      for (int k = 3; k >= 0 && remaining > 0; --k, --remaining) {
        out.push_back(static_cast<char>('0' + (d / kPow10[k]) % 10));
      }
    }
  }
}

std::string Numeric::ToString() const {
  std::string s;
  AppendText(s);
  return s;
}

int32_t Numeric::MakeTypmod(int precision, int scale) {
  return static_cast<int32_t>((static_cast<uint32_t>(precision) << 16) |
                              (static_cast<uint32_t>(scale) & 0x7ff)) +
         4;
}
int Numeric::TypmodPrecision(int32_t typmod) { return ((typmod - 4) >> 16) & 0xffff; }
int Numeric::TypmodScale(int32_t typmod) { return (((typmod - 4) & 0x7ff) ^ 1024) - 1024; }

Result<int32_t> Numeric::TypmodFromModifiers(std::span<const int32_t> modifiers) {
  if (modifiers.size() != 1 && modifiers.size() != 2) {
    return Fail(sqlstate::kInvalidParameterValue, "invalid NUMERIC type modifier");
  }
  const int32_t precision = modifiers[0];
  if (precision < 1 || precision > kMaxPrecision) {
    return Fail(sqlstate::kInvalidParameterValue, "NUMERIC precision " + std::to_string(precision) +
                                                      " must be between 1 and " +
                                                      std::to_string(kMaxPrecision));
  }
  int32_t scale = 0;
  if (modifiers.size() == 2) {
    scale = modifiers[1];
    if (scale < kMinScale || scale > kMaxScale) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "NUMERIC scale " + std::to_string(scale) + " must be between " +
                      std::to_string(kMinScale) + " and " + std::to_string(kMaxScale));
    }
  }
  return MakeTypmod(precision, scale);
}

std::string Numeric::TypmodText(int32_t typmod) {
  if (typmod < 4) return "";
  return "(" + std::to_string(TypmodPrecision(typmod)) + "," + std::to_string(TypmodScale(typmod)) +
         ")";
}

Result<Numeric> Numeric::ApplyTypmod(int32_t typmod) const {
  if (typmod < 4 || is_nan()) return *this;
  const int precision = TypmodPrecision(typmod);
  const int scale = TypmodScale(typmod);
  const int maxdigits = precision - scale;
  auto overflow = [&](const std::string& detail) {
    return Fail(
        Error(sqlstate::kNumericValueOutOfRange, "numeric field overflow").WithDetail(detail));
  };
  if (is_infinite()) {
    return overflow("A field with precision " + std::to_string(precision) + ", scale " +
                    std::to_string(scale) + " cannot hold an infinite value.");
  }
  Dec d = Dec::From(*this);
  d.RoundTo(scale, true);
  SQLRITE_ASSIGN_OR_RETURN(Numeric r, NumericBuilder::Make(std::move(d), std::max(scale, 0)));
  if (!r.digits_.empty()) {
    int64_t int_digits = (int64_t{r.weight_} + 1) * kDecDigits;
    const int first = r.digits_[0];
    int_digits -= first < 10 ? 3 : first < 100 ? 2 : first < 1000 ? 1 : 0;
    if (int_digits > maxdigits) {
      return overflow("A field with precision " + std::to_string(precision) + ", scale " +
                      std::to_string(scale) + " must round to an absolute value less than " +
                      (maxdigits != 0 ? "10^" + std::to_string(maxdigits) : std::string("1")) +
                      ".");
    }
  }
  return r;
}

Result<Numeric> Numeric::Add(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return NaN();
  if (a.is_infinite()) {
    if (b.is_infinite() && b.kind_ != a.kind_) return NaN();
    return a;
  }
  if (b.is_infinite()) return b;
  return AddFinite(a, b, false);
}

Result<Numeric> Numeric::Sub(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return NaN();
  if (a.is_infinite()) {
    if (b.kind_ == a.kind_) return NaN();
    return a;
  }
  if (b.is_infinite()) return b.Negate();
  return AddFinite(a, b, true);
}

Result<Numeric> Numeric::Mul(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return NaN();
  if (a.is_infinite() || b.is_infinite()) {
    const int s = SignOf(a) * SignOf(b);
    if (s == 0) return NaN();
    return InfinityOfSign(s);
  }
  return MulFinite(a, b);
}

// The answer of a division (/ and div()) whose operands are not both finite, or whose divisor is
// zero; nullopt when the quotient must be computed.
static std::optional<Result<Numeric>> DivisionSpecialCase(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return Numeric::NaN();
  if (a.is_infinite()) {
    if (b.is_infinite()) return Numeric::NaN();
    const int s = SignOf(b);
    if (s == 0) return DivisionByZero();
    return InfinityOfSign(SignOf(a) * s);
  }
  if (b.is_infinite()) return Numeric();
  if (b.is_zero()) return DivisionByZero();
  return std::nullopt;
}

Result<Numeric> Numeric::Div(const Numeric& a, const Numeric& b) {
  if (auto special = DivisionSpecialCase(a, b)) return std::move(*special);
  const int rscale = SelectDivScale(a, b);
  return NumericBuilder::Make(DivideDec(Dec::From(a), Dec::From(b), rscale, true), rscale);
}

Result<Numeric> Numeric::DivTrunc(const Numeric& a, const Numeric& b) {
  if (auto special = DivisionSpecialCase(a, b)) return std::move(*special);
  return NumericBuilder::Make(DivideDec(Dec::From(a), Dec::From(b), 0, false), 0);
}

Result<Numeric> Numeric::Mod(const Numeric& a, const Numeric& b) {
  if (a.is_nan() || b.is_nan()) return NaN();
  if (a.is_infinite()) {
    if (SignOf(b) == 0) return DivisionByZero();
    return NaN();
  }
  if (b.is_infinite()) return a;
  if (b.is_zero()) return DivisionByZero();
  // a - b * trunc(a / b): the product has b's scale, the difference the larger one.
  SQLRITE_ASSIGN_OR_RETURN(
      Numeric q, NumericBuilder::Make(DivideDec(Dec::From(a), Dec::From(b), 0, false), 0));
  SQLRITE_ASSIGN_OR_RETURN(Numeric p, MulFinite(b, q));
  p.dscale_ = b.dscale_;
  return AddFinite(a, p, true);
}

Numeric Numeric::Negate() const {
  Numeric r = *this;
  switch (kind_) {
    case Kind::kPosInf:
      return NegInfinity();
    case Kind::kNegInf:
      return PosInfinity();
    case Kind::kNaN:
      return r;
    case Kind::kFinite:
      if (!digits_.empty()) r.negative_ = !negative_;
      return r;
  }
  return r;
}

Numeric Numeric::Abs() const {
  if (kind_ == Kind::kNegInf) return PosInfinity();
  Numeric r = *this;
  r.negative_ = false;
  return r;
}

int Numeric::Compare(const Numeric& a, const Numeric& b) {
  auto rank = [](Kind k) {
    switch (k) {
      case Kind::kNegInf:
        return 0;
      case Kind::kFinite:
        return 1;
      case Kind::kPosInf:
        return 2;
      case Kind::kNaN:
        return 3;
    }
    return 3;
  };
  const int ra = rank(a.kind_);
  const int rb = rank(b.kind_);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra != 1) return 0;
  const int sa = SignOf(a);
  const int sb = SignOf(b);
  if (sa != sb) return sa < sb ? -1 : 1;
  return sa * CmpAbs(a, b);
}

size_t Numeric::Hash() const {
  // FNV-1a over what Compare looks at: kind, sign, weight and the stripped digits.
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (i * 8)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  mix(static_cast<uint64_t>(kind_));
  if (kind_ == Kind::kFinite && !digits_.empty()) {
    mix(negative_ ? 1 : 0);
    mix(static_cast<uint64_t>(static_cast<int64_t>(weight_)));
    for (int16_t d : digits_) mix(static_cast<uint64_t>(d));
  }
  return static_cast<size_t>(h);
}

Result<Numeric> Numeric::Round(int scale) const {
  if (!is_finite()) return *this;
  scale = std::clamp(scale, kMinRoundScale, kMaxDscale);
  Dec d = Dec::From(*this);
  d.RoundTo(scale, true);
  return NumericBuilder::Make(std::move(d), std::max(scale, 0));
}

Numeric Numeric::Trunc(int scale) const {
  if (!is_finite()) return *this;
  scale = std::clamp(scale, kMinRoundScale, kMaxDscale);
  Dec d = Dec::From(*this);
  d.RoundTo(scale, false);
  auto r = NumericBuilder::Make(std::move(d), std::max(scale, 0));
  SQLRITE_ASSERT(r.has_value());  // truncation never raises the weight
  return *std::move(r);
}

Result<Numeric> Numeric::Ceil() const {
  if (!is_finite()) return *this;
  Numeric t = Trunc(0);
  if (Compare(*this, t) > 0) return Add(t, FromInt64(1));
  return t;
}

Result<Numeric> Numeric::Floor() const {
  if (!is_finite()) return *this;
  Numeric t = Trunc(0);
  if (Compare(*this, t) < 0) return Sub(t, FromInt64(1));
  return t;
}

Numeric Numeric::Sign() const {
  if (is_nan()) return NaN();
  return FromInt64(SignOf(*this));
}

Result<Numeric> Numeric::Sqrt() const {
  if (is_nan() || kind_ == Kind::kPosInf) return *this;
  if (kind_ == Kind::kNegInf || (negative_ && !digits_.empty())) {
    return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                "cannot take square root of a negative number");
  }
  const int sweight = (weight_ + 1) * kDecDigits / 2 - 1;
  const int rscale = std::min(std::max({kMinSigDigits - sweight, dscale_, 0}), kMaxDisplayScale);
  // floor(sqrt(x) * 10^(rscale+1)) = floor(sqrt(floor(x * 10^(2 rscale + 2)))), then round on
  // the last digit.
  const Dec x = Dec::From(*this);
  const int64_t e = kDecDigits * x.exp + 2 * int64_t{rscale} + 2;
  Mag n;
  if (e >= 0) {
    n = MulPow10(x.mag, e);
  } else {
    Dec t = x;
    t.RoundTo(-(2 * int64_t{rscale} + 2), false);
    n = MulPow10(t.mag, kDecDigits * t.exp + 2 * int64_t{rscale} + 2);
  }
  Mag root = IntSqrt(n);
  const uint32_t last = DivSmall(root, 10);
  if (last >= 5) root = AddMag(root, Mag{1});
  return NumericBuilder::Make(Dec::FromScaled(std::move(root), false, rscale), rscale);
}

Result<Numeric> Numeric::Power(const Numeric& a, const Numeric& b) {
  // POSIX pow(3)'s rules for the special values, as PostgreSQL 15 follows them.
  if (a.is_nan()) {
    if (b.is_finite() && b.is_zero()) return FromInt64(1);
    return NaN();
  }
  if (b.is_nan()) {
    if (a.is_finite() && Compare(a, FromInt64(1)) == 0) return FromInt64(1);
    return NaN();
  }
  const auto zero_negative = [] {
    return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                "zero raised to a negative power is undefined");
  };
  const auto complex = [] {
    return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                "a negative number raised to a non-integer power yields a complex result");
  };
  auto is_integral = [](const Numeric& n) {
    return n.is_finite() && static_cast<int64_t>(n.digits_.size()) <= int64_t{n.weight_} + 1;
  };
  if (a.kind_ == Kind::kNegInf && b.is_finite() && !is_integral(b)) return complex();
  if (a.is_infinite() || b.is_infinite()) {
    const int sa = SignOf(a);
    const int sb = SignOf(b);
    if (sa == 0 && sb < 0) return zero_negative();
    if (b.is_infinite()) {
      // x ^ +-Inf: 1 when |x| = 1, else by whether |x| > 1.
      if (a.is_finite()) {
        const int c = CmpAbs(a, FromInt64(1));
        if (c == 0) return FromInt64(1);
        if ((c > 0) == (sb > 0)) return PosInfinity();
        return Numeric();
      }
      // +-Inf ^ +-Inf.
      return sb > 0 ? PosInfinity() : Numeric();
    }
    // a is infinite, b finite.
    if (sb == 0) return FromInt64(1);
    if (sb < 0) return Numeric();
    if (sa > 0) return PosInfinity();
    // -Inf ^ y: -Inf for odd integral y, else +Inf.
    if (is_integral(b) && !b.digits_.empty() && (b.digits_.back() & 1) &&
        static_cast<int64_t>(b.digits_.size()) == int64_t{b.weight_} + 1) {
      return NegInfinity();
    }
    return PosInfinity();
  }
  if (a.is_zero() && b.is_negative()) return zero_negative();
  if (a.is_negative() && !is_integral(b)) return complex();
  const int rscale = std::min(std::max({kMinSigDigits, a.dscale_, 0}), kMaxDisplayScale);
  if (b.is_zero()) return NumericBuilder::Make(Dec{false, Mag{1}, 0}, rscale);
  if (a.is_zero()) return NumericBuilder::Make(Dec{}, rscale);
  if (!is_integral(b)) {
    return Fail(sqlstate::kFeatureNotSupported,
                "numeric power with a non-integral exponent is not supported");
  }
  // The exponent as an integer (beyond 2^62 only its sign and parity matter: the result then
  // overflows or rounds to zero unless |a| is 1 or 0).
  bool exp_negative = b.negative_;
  uint64_t n = 0;
  bool odd = false;
  for (size_t i = 0; i < b.digits_.size(); ++i) {
    n = std::min<uint64_t>(n * kBase + static_cast<uint64_t>(b.digits_[i]), uint64_t{1} << 62);
  }
  for (int64_t w = static_cast<int64_t>(b.digits_.size()) - 1; w < b.weight_; ++w) {
    n = std::min<uint64_t>(n * kBase, uint64_t{1} << 62);
  }
  if (!b.digits_.empty() && static_cast<int64_t>(b.digits_.size()) == int64_t{b.weight_} + 1) {
    odd = b.digits_.back() & 1;
  }
  const bool negative = a.negative_ && odd;
  if (n > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) + (exp_negative ? 1 : 0) &&
      CmpAbs(a, FromInt64(1)) != 0) {
    // Beyond int32 PostgreSQL goes through exp(ln(a) * b): a result whose natural log is past
    // +-6020 overflows or is zero at the largest display scale; anything else needs exp/ln.
    const double ln =
        Log10Abs(a) * std::log(10.0) * static_cast<double>(n) * (exp_negative ? -1 : 1);
    if (ln > 6020) return NumericBuilder::Overflow();
    if (ln < -6020) return NumericBuilder::Make(Dec{}, kMaxDisplayScale);
    return Fail(sqlstate::kFeatureNotSupported,
                "numeric power with an exponent beyond integer range is not supported");
  }
  const double digits = Log10Abs(a) * static_cast<double>(n);  // log10 |a^n|
  const double result_log = exp_negative ? -digits : digits;
  if (result_log > kDecDigits * (kWeightMax + 1) + 1) return NumericBuilder::Overflow();
  if (result_log < -(rscale + 3)) return NumericBuilder::Make(Dec{}, rscale);
  // Relative precision enough for 1/|a|^n as well: twice the result's magnitude in digits.
  const int64_t guard = rscale + 2 * static_cast<int64_t>(std::fabs(digits)) + 24;
  Dec p = PowAbs(a, n, guard);
  Dec r;
  if (exp_negative) {
    r = DivideDec(Dec{false, Mag{1}, 0}, p, rscale, true);
  } else {
    r = std::move(p);
    r.RoundTo(rscale, true);
  }
  r.negative = negative;
  return NumericBuilder::Make(std::move(r), rscale);
}

Result<int64_t> Numeric::ToInt64() const {
  if (is_nan()) return Fail(sqlstate::kFeatureNotSupported, "cannot convert NaN to bigint");
  if (is_infinite()) {
    return Fail(sqlstate::kFeatureNotSupported, "cannot convert infinity to bigint");
  }
  Dec d = Dec::From(*this);
  d.RoundTo(0, true);
  d.DropLowZeros();
  auto out_of_range = [] { return Fail(sqlstate::kNumericValueOutOfRange, "bigint out of range"); };
  if (d.mag.empty()) return int64_t{0};
  if (d.exp + static_cast<int64_t>(d.mag.size()) > 5) return out_of_range();
  Int128 v = 0;
  for (size_t i = d.mag.size(); i-- > 0;) v = v * kBase + d.mag[i];
  for (int64_t e = 0; e < d.exp; ++e) v *= kBase;
  if (d.negative) v = -v;
  if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) {
    return out_of_range();
  }
  return static_cast<int64_t>(v);
}

Result<double> Numeric::ToDouble() const {
  switch (kind_) {
    case Kind::kNaN:
      return std::numeric_limits<double>::quiet_NaN();
    case Kind::kPosInf:
      return std::numeric_limits<double>::infinity();
    case Kind::kNegInf:
      return -std::numeric_limits<double>::infinity();
    case Kind::kFinite:
      break;
  }
  const std::string text = ToString();
  errno = 0;
  const double v = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && (v == 0.0 || std::isinf(v))) {
    return Fail(sqlstate::kNumericValueOutOfRange,
                "\"" + text + "\" is out of range for type double precision");
  }
  return v;
}

void Numeric::AppendBinary(std::string& out) const {
  uint16_t sign = kSignPos;
  switch (kind_) {
    case Kind::kNaN:
      sign = kSignNaN;
      break;
    case Kind::kPosInf:
      sign = kSignPinf;
      break;
    case Kind::kNegInf:
      sign = kSignNinf;
      break;
    case Kind::kFinite:
      sign = negative_ ? kSignNeg : kSignPos;
      break;
  }
  const bool finite = kind_ == Kind::kFinite;
  AppendBE16(out, static_cast<uint16_t>(finite ? digits_.size() : 0));
  AppendBE16(out, static_cast<uint16_t>(finite && !digits_.empty() ? weight_ : 0));
  AppendBE16(out, sign);
  // PostgreSQL 15 sends 0x20 in the scale field of the infinities (what its header bits read as).
  AppendBE16(out, static_cast<uint16_t>(finite ? dscale_ : is_infinite() ? 0x20 : 0));
  if (finite) {
    for (int16_t d : digits_) AppendBE16(out, static_cast<uint16_t>(d));
  }
}

Result<Numeric> Numeric::FromBinary(std::string_view bytes, int32_t typmod) {
  auto insufficient = [] {
    return Fail(sqlstate::kProtocolViolation, "insufficient data left in message");
  };
  if (bytes.size() < 8) return insufficient();
  const uint16_t ndigits = LoadBE16(bytes.data());
  const int16_t weight = static_cast<int16_t>(LoadBE16(bytes.data() + 2));
  const uint16_t sign = LoadBE16(bytes.data() + 4);
  const uint16_t dscale = LoadBE16(bytes.data() + 6);
  if (sign != kSignPos && sign != kSignNeg && sign != kSignNaN && sign != kSignPinf &&
      sign != kSignNinf) {
    return BadBinary("sign");
  }
  if ((dscale & kMaxDscale) != dscale) return BadBinary("scale");
  std::vector<int16_t> digits(ndigits);
  size_t pos = 8;
  for (uint16_t i = 0; i < ndigits; ++i, pos += 2) {
    if (bytes.size() < pos + 2) return insufficient();
    const int16_t d = static_cast<int16_t>(LoadBE16(bytes.data() + pos));
    if (d < 0 || d >= static_cast<int>(kBase)) return BadBinary("digit");
    digits[i] = d;
  }
  if (pos != bytes.size()) {
    return Fail(sqlstate::kInvalidBinaryRepresentation,
                "incorrect binary data format in bind parameter");
  }
  Numeric n;
  // Decimal places of the last digit beyond the display scale (each must be zero).
  const int64_t beyond = (int64_t{ndigits} - 1 - weight) * kDecDigits - int64_t{dscale};
  if ((sign == kSignPos || sign == kSignNeg) && typmod < 0 &&
      (ndigits == 0 ||
       (digits.front() != 0 && digits.back() != 0 &&
        (beyond <= 0 ||
         (beyond < kDecDigits && digits.back() % static_cast<int>(kPow10[beyond]) == 0))))) {
    // Already in canonical form (no zero digit at either end, none beyond the display scale:
    // what AppendBinary and PostgreSQL write): the digits are taken as they are, without
    // FromParts' round trip through Dec. Table scans decode every numeric value this way.
    n.dscale_ = dscale;
    if (ndigits > 0) {
      n.negative_ = sign == kSignNeg;
      n.weight_ = weight;
      n.digits_ = std::move(digits);
    }
    return n;
  }
  if (sign == kSignNaN) {
    n = NaN();
  } else if (sign == kSignPinf) {
    n = PosInfinity();
  } else if (sign == kSignNinf) {
    n = NegInfinity();
  } else {
    SQLRITE_ASSIGN_OR_RETURN(n, FromParts(sign == kSignNeg, weight, dscale, digits));
  }
  return n.ApplyTypmod(typmod);
}

void Numeric::AppendKey(std::string& out) const {
  switch (kind_) {
    case Kind::kNegInf:
      out.push_back('\x01');
      return;
    case Kind::kPosInf:
      out.push_back('\x05');
      return;
    case Kind::kNaN:
      out.push_back('\x06');
      return;
    case Kind::kFinite:
      break;
  }
  if (digits_.empty()) {
    out.push_back('\x03');
    return;
  }
  out.push_back(negative_ ? '\x02' : '\x04');
  const uint16_t flip = negative_ ? 0xFFFF : 0;
  AppendBE16(out, static_cast<uint16_t>((weight_ + 0x8000) ^ flip));
  for (int16_t d : digits_) AppendBE16(out, static_cast<uint16_t>((d + 1) ^ flip));
  AppendBE16(out, flip);
}

Result<Numeric> Numeric::DecodeKey(std::string_view& in) {
  auto bad = [] {
    return Fail(sqlstate::kInvalidBinaryRepresentation, "invalid numeric key encoding");
  };
  if (in.empty()) return bad();
  const char tag = in[0];
  in.remove_prefix(1);
  switch (tag) {
    case '\x01':
      return NegInfinity();
    case '\x03':
      return Numeric();
    case '\x05':
      return PosInfinity();
    case '\x06':
      return NaN();
    case '\x02':
    case '\x04':
      break;
    default:
      return bad();
  }
  const bool negative = tag == '\x02';
  const uint16_t flip = negative ? 0xFFFF : 0;
  if (in.size() < 2) return bad();
  const int weight = static_cast<int>(LoadBE16(in.data()) ^ flip) - 0x8000;
  in.remove_prefix(2);
  std::vector<int16_t> digits;
  for (;;) {
    if (in.size() < 2) return bad();
    const uint16_t v = LoadBE16(in.data()) ^ flip;
    in.remove_prefix(2);
    if (v == 0) break;
    if (v > kBase) return bad();
    digits.push_back(static_cast<int16_t>(v - 1));
  }
  if (digits.empty() || digits.front() == 0 || digits.back() == 0) return bad();
  // The smallest display scale that shows every digit.
  int dscale = std::max<int>(0, (static_cast<int>(digits.size()) - weight - 1) * kDecDigits);
  if (dscale > 0) {
    for (int16_t last = digits.back(); last % 10 == 0; last = static_cast<int16_t>(last / 10)) {
      --dscale;
    }
  }
  return FromParts(negative, weight, dscale, digits);
}

Result<Numeric> Int64SumAccumulator::Avg() const {
  SQLRITE_ASSERT(count_ > 0);
  return Numeric::Div(Sum(), Numeric::FromInt64(count_));
}

}  // namespace sqlrite::engine
