#include "engine/binary_format.h"

#include <bit>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "common/bytes.h"
#include "common/sqlstate.h"
#include "engine/expression.h"

namespace sqlrite::engine {
namespace {

constexpr uint16_t kNumericPos = 0x0000;
constexpr uint16_t kNumericNeg = 0x4000;
constexpr uint16_t kNumericNaN = 0xC000;
constexpr uint16_t kNumericPinf = 0xD000;
constexpr uint16_t kNumericNinf = 0xF000;
constexpr int kNumericMaxDscale = 0x3FFF;

tl::unexpected<Error> Insufficient() {
  return Fail(sqlstate::kProtocolViolation, "insufficient data left in message");
}
tl::unexpected<Error> BadNumeric(const char* what) {
  return Fail(sqlstate::kInvalidBinaryRepresentation,
              std::string("invalid ") + what + " in external \"numeric\" value");
}

// numeric_send of the decimal text `s` ("-12.50", "0", "NaN", "Infinity").
void AppendNumericText(std::string& out, std::string_view s) {
  auto header = [&out](int16_t ndigits, int16_t weight, uint16_t sign, int16_t dscale) {
    AppendBE16(out, static_cast<uint16_t>(ndigits));
    AppendBE16(out, static_cast<uint16_t>(weight));
    AppendBE16(out, sign);
    AppendBE16(out, static_cast<uint16_t>(dscale));
  };
  if (s == "NaN") return header(0, 0, kNumericNaN, 0);
  if (s == "Infinity") return header(0, 0, kNumericPinf, 0);
  if (s == "-Infinity") return header(0, 0, kNumericNinf, 0);
  uint16_t sign = kNumericPos;
  if (!s.empty() && s[0] == '-') {
    sign = kNumericNeg;
    s.remove_prefix(1);
  }
  const size_t dot = s.find('.');
  std::string_view int_part = s.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  // Digits aligned on base-10000 boundaries around the decimal point.
  std::string digits((4 - int_part.size() % 4) % 4, '0');
  digits.append(int_part);
  const int int_groups = static_cast<int>(digits.size() / 4);
  digits.append(frac_part);
  digits.append((4 - frac_part.size() % 4) % 4, '0');
  std::vector<int16_t> groups;
  for (size_t i = 0; i < digits.size(); i += 4) {
    groups.push_back(static_cast<int16_t>((digits[i] - '0') * 1000 + (digits[i + 1] - '0') * 100 +
                                          (digits[i + 2] - '0') * 10 + (digits[i + 3] - '0')));
  }
  int weight = int_groups - 1;
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  const auto dscale = static_cast<int16_t>(frac_part.size());
  if (first == last) return header(0, 0, sign == kNumericNeg ? kNumericPos : sign, dscale);
  header(static_cast<int16_t>(last - first), static_cast<int16_t>(weight), sign, dscale);
  for (size_t i = first; i < last; ++i) AppendBE16(out, static_cast<uint16_t>(groups[i]));
}

Result<Datum> ReceiveNumeric(std::string_view b) {
  if (b.size() < 8) return Insufficient();
  const auto ndigits = static_cast<int16_t>(LoadBE16(b.data()));
  const auto weight = static_cast<int16_t>(LoadBE16(b.data() + 2));
  const uint16_t sign = LoadBE16(b.data() + 4);
  const auto dscale = static_cast<int16_t>(LoadBE16(b.data() + 6));
  if (ndigits < 0) return BadNumeric("length");
  if (b.size() < 8 + size_t(ndigits) * 2) return Insufficient();
  if (sign != kNumericPos && sign != kNumericNeg && sign != kNumericNaN && sign != kNumericPinf &&
      sign != kNumericNinf) {
    return BadNumeric("sign");
  }
  if (b.size() > 8 + size_t(ndigits) * 2) {
    return Fail(sqlstate::kInvalidBinaryRepresentation, "incorrect binary data format");
  }
  if (sign == kNumericNaN) return Datum(std::nan(""));
  if (sign == kNumericPinf) return Datum(HUGE_VAL);
  if (sign == kNumericNinf) return Datum(-HUGE_VAL);
  if (dscale < 0 || dscale > kNumericMaxDscale) return BadNumeric("scale");
  // Past a double's range (1e308): numeric is carried as a double for now.
  if (weight > 77) return Fail(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  // The decimal text of the value, read back as numeric input reads it.
  std::string text = sign == kNumericNeg ? "-0" : "0";
  std::string int_digits;
  std::string frac_digits;
  for (int i = 0; i < ndigits; ++i) {
    const uint16_t d = LoadBE16(b.data() + 8 + 2 * static_cast<size_t>(i));
    if (d >= 10000) return BadNumeric("digit");
    char four[5];
    four[0] = static_cast<char>('0' + d / 1000);
    four[1] = static_cast<char>('0' + d / 100 % 10);
    four[2] = static_cast<char>('0' + d / 10 % 10);
    four[3] = static_cast<char>('0' + d % 10);
    four[4] = '\0';
    const int place = weight - i;  // this group's power of 10000
    if (place >= 0) {
      int_digits.append(four, 4);
    } else {
      if (frac_digits.empty()) frac_digits.append(static_cast<size_t>(-place - 1) * 4, '0');
      frac_digits.append(four, 4);
    }
  }
  for (int place = weight - ndigits; place >= 0; --place) int_digits.append("0000");
  text += int_digits;
  if (!frac_digits.empty()) text += "." + frac_digits;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return Datum(v);
}

}  // namespace

std::optional<TypeId> EngineTypeForOid(uint32_t oid) {
  switch (oid) {
    case 0:
    case oid::kUnknown:
      return TypeId::kUnknown;
    case oid::kBool:
      return TypeId::kBool;
    case oid::kInt2:
    case oid::kInt4:
      return TypeId::kInt4;
    case oid::kInt8:
      return TypeId::kInt8;
    case oid::kFloat4:
    case oid::kFloat8:
      return TypeId::kFloat8;
    case oid::kNumeric:
      return TypeId::kNumeric;
    case oid::kText:
      return TypeId::kText;
    case oid::kVarchar:
      return TypeId::kVarchar;
    default:
      return std::nullopt;
  }
}

void AppendBinary(std::string& out, const Datum& d, TypeId type) {
  switch (type) {
    case TypeId::kBool:
      out.push_back(DatumAs<bool>(d) ? '\1' : '\0');
      return;
    case TypeId::kInt4:
      AppendBE32(out, static_cast<uint32_t>(static_cast<int32_t>(DatumAs<int64_t>(d))));
      return;
    case TypeId::kInt8:
      AppendBE64(out, static_cast<uint64_t>(DatumAs<int64_t>(d)));
      return;
    case TypeId::kFloat8:
      AppendBE64(out, std::bit_cast<uint64_t>(DatumAs<double>(d)));
      return;
    case TypeId::kNumeric: {
      std::string text;
      AppendText(text, d, TypeId::kNumeric);
      AppendNumericText(out, text);
      return;
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kUnknown:
      AppendText(out, d, type);
      return;
  }
}

Result<Datum> ReceiveBinary(std::string_view b, uint32_t oid) {
  size_t want = 0;
  switch (oid) {
    case oid::kBool:
      want = 1;
      break;
    case oid::kInt2:
      want = 2;
      break;
    case oid::kInt4:
    case oid::kFloat4:
      want = 4;
      break;
    case oid::kInt8:
    case oid::kFloat8:
      want = 8;
      break;
    case oid::kNumeric:
      return ReceiveNumeric(b);
    default:
      return Datum(std::string(b));  // text, varchar
  }
  if (b.size() < want) return Insufficient();
  if (b.size() > want) {
    return Fail(sqlstate::kInvalidBinaryRepresentation, "incorrect binary data format");
  }
  switch (oid) {
    case oid::kBool:
      return Datum(b[0] != 0);
    case oid::kInt2:
      return Datum(int64_t{static_cast<int16_t>(LoadBE16(b.data()))});
    case oid::kInt4:
      return Datum(int64_t{static_cast<int32_t>(LoadBE32(b.data()))});
    case oid::kInt8:
      return Datum(static_cast<int64_t>(LoadBE64(b.data())));
    case oid::kFloat4:
      return Datum(double{std::bit_cast<float>(LoadBE32(b.data()))});
    default:
      return Datum(std::bit_cast<double>(LoadBE64(b.data())));
  }
}

Result<Datum> ReceiveText(std::string_view text, uint32_t oid) {
  std::optional<TypeId> type = EngineTypeForOid(oid);
  if (!type || *type == TypeId::kUnknown) type = TypeId::kText;
  SQLRITE_ASSIGN_OR_RETURN(Datum v, ParseText(text, SqlType{*type, -1}));
  if (oid == oid::kInt2) {
    const int64_t i = DatumAs<int64_t>(v);
    if (i < -32768 || i > 32767) {
      return Fail(sqlstate::kNumericValueOutOfRange,
                  "value \"" + std::string(text) + "\" is out of range for type smallint");
    }
  }
  if (oid == oid::kFloat4) {
    const double d = DatumAs<double>(v);
    const auto f = static_cast<float>(d);
    if (std::isinf(f) && !std::isinf(d)) {
      return Fail(sqlstate::kNumericValueOutOfRange,
                  "\"" + std::string(text) + "\" is out of range for type real");
    }
    return Datum(double{f});
  }
  return v;
}

}  // namespace sqlrite::engine
