#include "engine/value.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "engine/record_type.h"
#include "engine/types/array.h"
#include "engine/types/bit_string.h"
#include "engine/types/bytea.h"
#include "engine/types/datetime.h"
#include "engine/types/enum_type.h"
#include "engine/types/uuid.h"

namespace sqlrite::engine {
namespace {

// The shortest digit string that reads back to the same value, in %g style: scientific when
// the decimal exponent is < -4 or >= max_fixed_exponent, with at least two exponent digits
// ("1e+20", "1e-05"). REQUIRES: v finite and nonzero.
template <typename Float>
void AppendShortest(std::string& out, Float v, int max_fixed_exponent) {
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view s(buf, static_cast<size_t>(sci.ptr - buf));
  size_t e = s.find('e');
  // from_chars takes no '+'; it parses in place, so no string is built per value.
  const char* exp_begin = s.data() + e + 1;
  if (*exp_begin == '+') ++exp_begin;
  int exponent = 0;
  std::from_chars(exp_begin, s.data() + s.size(), exponent);
  if (exponent < -4 || exponent >= max_fixed_exponent) {
    out.append(s);
    return;
  }
  auto fixed = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  out.append(buf, static_cast<size_t>(fixed.ptr - buf));
}

// PostgreSQL 12+ (extra_float_digits = 1, the default): float8out prints the shortest digits,
// scientific from a decimal exponent of 15.
void AppendFloat8(std::string& out, double v) {
  if (std::isnan(v)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(v)) {
    out.append(v < 0 ? "-Infinity" : "Infinity");
    return;
  }
  if (v == 0) {
    out.append(std::signbit(v) ? "-0" : "0");
    return;
  }
  AppendShortest(out, v, 15);
}

// float4out: the shortest digits that read back to the same float, scientific when the decimal
// exponent is < -4 or >= 6 ("1.234567e+06").
void AppendFloat4(std::string& out, double wide) {
  const auto v = static_cast<float>(wide);
  if (std::isnan(v) || std::isinf(v) || v == 0) {
    AppendFloat8(out, wide);
    return;
  }
  AppendShortest(out, v, 6);
}

}  // namespace

const std::shared_ptr<const Numeric>& NumericRef::Zero() {
  static const std::shared_ptr<const Numeric> zero = std::make_shared<const Numeric>();
  return zero;
}

void AppendText(std::string& out, const Datum& d, TypeId type) {
  switch (d.index()) {
    case 1:
      out.push_back(DatumAs<bool>(d) ? 't' : 'f');
      return;
    case 2: {
      switch (type) {
        case TypeId::kRegtype:
          out.append(RegtypeName(static_cast<uint32_t>(DatumAs<int64_t>(d))));
          return;
        case TypeId::kDate:
          datetime::AppendDate(out, DatumAs<int64_t>(d));
          return;
        case TypeId::kTime:
          datetime::AppendTime(out, DatumAs<int64_t>(d));
          return;
        case TypeId::kTimestamp:
          datetime::AppendTimestamp(out, DatumAs<int64_t>(d));
          return;
        case TypeId::kTimestampTz:
          datetime::AppendTimestampTz(out, DatumAs<int64_t>(d));
          return;
        default:
          break;
      }
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof(buf), DatumAs<int64_t>(d));
      out.append(buf, static_cast<size_t>(r.ptr - buf));
      return;
    }
    case 3:
      if (type == TypeId::kFloat4) {
        AppendFloat4(out, DatumAs<double>(d));
      } else {
        AppendFloat8(out, DatumAs<double>(d));
      }
      return;
    case 4:
      if (type == TypeId::kBytea) {
        bytea::AppendText(out, DatumAs<std::string>(d));
      } else if (type == TypeId::kUuid) {
        uuid::AppendText(out, DatumAs<std::string>(d));
      } else if (IsBitType(type)) {
        bit_string::AppendText(out, DatumAs<std::string>(d));
      } else if (type == TypeId::kRecord) {
        record::AppendText(out, DatumAs<std::string>(d));
      } else if (type == TypeId::kEnum) {
        out.append(EnumLabelOf(DatumAs<std::string>(d)));
      } else if (type == TypeId::kChar && !DatumAs<std::string>(d).empty() &&
                 (static_cast<unsigned char>(DatumAs<std::string>(d)[0]) & 0x80) != 0) {
        // charout: a byte with the high bit set as \ooo, which is valid text in any encoding.
        const auto byte = static_cast<unsigned char>(DatumAs<std::string>(d)[0]);
        out.push_back('\\');
        out.push_back(static_cast<char>('0' + ((byte >> 6) & 3)));
        out.push_back(static_cast<char>('0' + ((byte >> 3) & 7)));
        out.push_back(static_cast<char>('0' + (byte & 7)));
      } else {
        out.append(DatumAs<std::string>(d));
      }
      return;
    case 5:
      DatumAs<NumericRef>(d)->AppendText(out);
      return;
    case 6:
      interval::AppendText(out, DatumAs<Interval>(d));
      return;
    case 7: {
      // array_out: each element through its own type's output, quoted where needed.
      const ArrayValue& a = *DatumAs<ArrayRef>(d);
      array::AppendBounds(out, a.lower, a.items.size());
      out.push_back('{');
      std::string element;
      for (size_t i = 0; i < a.items.size(); ++i) {
        if (i > 0) out.push_back(',');
        if (IsNull(a.items[i])) {
          out.append("NULL");
          continue;
        }
        element.clear();
        AppendText(element, a.items[i], a.elem);
        array::AppendElement(out, element);
      }
      out.push_back('}');
      return;
    }
    default:
      return;
  }
}

bool operator==(const ArrayRef& a, const ArrayRef& b) {
  return a->lower == b->lower && a->items == b->items;
}

std::string FormatText(const Datum& d, TypeId type) {
  std::string out;
  AppendText(out, d, type);
  return out;
}

}  // namespace sqlrite::engine
