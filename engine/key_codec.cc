#include "engine/key_codec.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "common/assert.h"
#include "common/bytes.h"
#include "engine/row_value.h"
#include "engine/types/bpchar.h"
#include "engine/types/json.h"

namespace sqlrite::engine {
namespace {

constexpr char kNotNullMarker = kKeyNotNullMarker;
constexpr char kNullMarker = kKeyNullMarker;

void AppendFlippedInt(std::string& out, int64_t v) {
  AppendBE64(out, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

void AppendOrderedDouble(std::string& out, double v) {
  if (v == 0) v = 0;  // -0 and 0 are equal, so they must encode alike
  // Every NaN is equal to every other and above all numbers (PostgreSQL's float order); a NaN
  // with its sign bit set ('inf' * 0) would otherwise encode below everything.
  if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  bits = (bits & (uint64_t{1} << 63)) ? ~bits : bits ^ (uint64_t{1} << 63);
  AppendBE64(out, bits);
}

}  // namespace

void AppendRowidKey(std::string& out, int64_t rowid) { AppendFlippedInt(out, rowid); }

std::string RowidKey(int64_t rowid) {
  std::string out;
  out.reserve(kRowidKeySize);
  AppendFlippedInt(out, rowid);
  return out;
}

int64_t DecodeRowidKey(std::string_view key) {
  return static_cast<int64_t>(LoadBE64(key.data()) ^ (uint64_t{1} << 63));
}

void AppendKeyColumn(std::string& out, const Datum& value, TypeId type) {
  if (IsNull(value)) {
    out.push_back(static_cast<char>(kNullMarker));
    return;
  }
  out.push_back(static_cast<char>(kNotNullMarker));
  // By the value's representation: hashing and grouping encode values of any type here, and a
  // type's values share one representation (engine/value.h); `type` only refines it.
  switch (value.index()) {
    case 1:
      out.push_back(DatumAs<bool>(value) ? 1 : 0);
      return;
    case 2:
      if (type == TypeId::kNumeric) {
        Numeric::FromInt64(DatumAs<int64_t>(value)).AppendKey(out);
      } else if (type == TypeId::kFloat8 || type == TypeId::kFloat4) {
        AppendOrderedDouble(out, static_cast<double>(DatumAs<int64_t>(value)));
      } else {
        AppendFlippedInt(out, DatumAs<int64_t>(value));
      }
      return;
    case 3:
      AppendOrderedDouble(out, DatumAs<double>(value));
      return;
    case 4:
      if (type == TypeId::kJsonb) {
        // jsonb_cmp's order, in which values that print differently may be equal (1.0 = 1).
        auto v = json::FromJsonb(DatumAs<std::string>(value));
        if (v) {
          json::AppendKey(out, *v);
          return;
        }
      }
      // char(n) compares without its trailing blanks, so its key leaves them out too; a
      // record compares by its key part (engine/row_value.h).
      {
        const std::string_view s =
            type == TypeId::kBpchar   ? bpchar::Stripped(DatumAs<std::string>(value))
            : type == TypeId::kRecord ? row_value::KeyOf(DatumAs<std::string>(value))
                                      : std::string_view(DatumAs<std::string>(value));
        // Runs between zero bytes appended whole; each zero byte is followed by 0xff.
        size_t from = 0;
        for (size_t zero = s.find('\0'); zero != std::string_view::npos;
             zero = s.find('\0', from)) {
          out.append(s.data() + from, zero + 1 - from);
          out.push_back('\xff');
          from = zero + 1;
        }
        out.append(s.data() + from, s.size() - from);
      }
      out.push_back('\0');
      out.push_back('\x01');
      return;
    case 5:
      DatumAs<NumericRef>(value)->AppendKey(out);
      return;
    case 6:
      interval::AppendKey(out, DatumAs<Interval>(value));
      return;
    case 7: {
      // array_cmp's order: each element as a key column of its own (its marker byte first, so
      // a NULL element sorts after values), then 0x00, below either marker, so that a shorter
      // array sorts first, then the lower bound.
      const ArrayValue& a = *DatumAs<ArrayRef>(value);
      for (const Datum& item : a.items) AppendKeyColumn(out, item, a.elem);
      out.push_back('\0');
      AppendFlippedInt(out, a.items.empty() ? 1 : a.lower);
      return;
    }
    default:
      // A new Datum alternative must get an order-preserving, self-delimiting encoding here.
      SQLRITE_ASSERT(false);
      return;
  }
}

char KeyNotNullMarker(KeyOrder order) {
  return order.descending ? static_cast<char>(~kNotNullMarker) : kNotNullMarker;
}

char KeyNullMarker(KeyOrder order) {
  if (order.nulls_first) return '\x00';
  return order.descending ? '\xff' : kNullMarker;
}

void AppendKeyColumn(std::string& out, const Datum& value, TypeId type, KeyOrder order) {
  if (IsNull(value)) {
    out.push_back(KeyNullMarker(order));
    return;
  }
  const size_t start = out.size();
  AppendKeyColumn(out, value, type);
  if (!order.descending) return;
  for (size_t i = start; i < out.size(); ++i) out[i] = static_cast<char>(~out[i]);
}

KeyFamily KeyFamilyOf(TypeId type) {
  switch (type) {
    case TypeId::kBool:
      return KeyFamily::kBool;
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
      return KeyFamily::kInteger;
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return KeyFamily::kFloat;
    case TypeId::kNumeric:
      return KeyFamily::kNumeric;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kName:
    case TypeId::kChar:
    case TypeId::kInt2Array:  // compared as their text (never a key column)
    case TypeId::kInt2Vector:
    case TypeId::kNameArray:
    case TypeId::kRecord:  // equal when their key parts are (DISTINCT, GROUP BY)
    case TypeId::kEnum:    // its sort key then its label: bytes equal when the values are
      return KeyFamily::kText;
    case TypeId::kBpchar:
      return KeyFamily::kBpchar;
    case TypeId::kBytea:
    case TypeId::kUuid:
    case TypeId::kBit:  // their bytes are ordered as bitcmp (engine/types/bit_string.h)
    case TypeId::kVarbit:
      // bytea = uuid does not type-check, so sharing a family never mixes them.
      return KeyFamily::kBytes;
    case TypeId::kDate:
      return KeyFamily::kDate;
    case TypeId::kTime:
      return KeyFamily::kTime;
    case TypeId::kTimestamp:
      return KeyFamily::kTimestamp;
    case TypeId::kTimestampTz:
      return KeyFamily::kTimestampTz;
    case TypeId::kArray:  // kept in index trees and grouped, never looked up through an index
    case TypeId::kAnyArray:
    case TypeId::kAnyElement:
    case TypeId::kJson:   // no equality operator: never searched
    case TypeId::kJsonb:  // kept in index trees and grouped (json::AppendKey), not searched yet
    case TypeId::kInterval:
      // Intervals are kept in index trees (AppendKeyColumn) but not looked up through them: an
      // interval's equality ('1 day' = '24 hours') is not yet proven to be its key's.
    case TypeId::kUnknown:
    case TypeId::kRegtype:
    case TypeId::kOid:
    case TypeId::kRegclass:
    case TypeId::kRegproc:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
    case TypeId::kVoid:
      return KeyFamily::kNone;
  }
  return KeyFamily::kNone;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty() && static_cast<uint8_t>(out.back()) == 0xFF) out.pop_back();
  if (!out.empty()) out.back() = static_cast<char>(static_cast<uint8_t>(out.back()) + 1);
  return out;
}

}  // namespace sqlrite::engine
