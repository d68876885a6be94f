#include "engine/key_codec.h"

#include <cstring>

#include "common/bytes.h"
#include "engine/types/bpchar.h"

namespace sqlrite::engine {
namespace {

constexpr uint8_t kNotNullMarker = 0x01;
constexpr uint8_t kNullMarker = 0x02;

void AppendFlippedInt(std::string& out, int64_t v) {
  AppendBE64(out, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

void AppendOrderedDouble(std::string& out, double v) {
  if (v == 0) v = 0;  // -0 and 0 are equal, so they must encode alike
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
  switch (value.index()) {
    case 1:
      out.push_back(DatumAs<bool>(value) ? 1 : 0);
      return;
    case 2:
      if (type == TypeId::kNumeric) {
        Numeric::FromInt64(DatumAs<int64_t>(value)).AppendKey(out);
      } else if (type == TypeId::kFloat8) {
        AppendOrderedDouble(out, static_cast<double>(DatumAs<int64_t>(value)));
      } else {
        AppendFlippedInt(out, DatumAs<int64_t>(value));
      }
      return;
    case 3:
      AppendOrderedDouble(out, DatumAs<double>(value));
      return;
    case 4:
      // char(n) compares without its trailing blanks, so its key leaves them out too.
      for (char c : type == TypeId::kBpchar ? bpchar::Stripped(DatumAs<std::string>(value))
                                            : std::string_view(DatumAs<std::string>(value))) {
        out.push_back(c);
        if (c == '\0') out.push_back('\xff');
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
    default:
      return;
  }
}

}  // namespace sqlrite::engine
