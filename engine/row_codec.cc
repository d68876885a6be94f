#include "engine/row_codec.h"

#include "common/bytes.h"

namespace sqlrite::engine {
namespace {

enum Tag : uint8_t { kNull = 0, kFalse = 1, kTrue = 2, kInt = 3, kDouble = 4, kText = 5 };

Status Corrupt() { return Fail(sqlstate::kDataCorrupted, "malformed row record"); }

}  // namespace

void EncodeRow(const Row& row, std::string& out) {
  out.clear();
  AppendVarint(out, row.size());
  for (const Datum& d : row) {
    switch (d.index()) {
      case 0:
        out.push_back(kNull);
        break;
      case 1:
        out.push_back(DatumAs<bool>(d) ? kTrue : kFalse);
        break;
      case 2: {
        int64_t v = DatumAs<int64_t>(d);
        out.push_back(kInt);
        AppendVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
        break;
      }
      case 3: {
        out.push_back(kDouble);
        char b[8];
        StoreLE<double>(b, DatumAs<double>(d));
        out.append(b, 8);
        break;
      }
      case 4: {
        const std::string& s = DatumAs<std::string>(d);
        out.push_back(kText);
        AppendVarint(out, s.size());
        out.append(s);
        break;
      }
      default:
        break;
    }
  }
}

Status DecodeRow(std::string_view record, Row& row) {
  const auto* p = reinterpret_cast<const uint8_t*>(record.data());
  const auto* end = p + record.size();
  uint64_t count = 0;
  p = DecodeVarint(p, end, &count);
  if (p == nullptr || count > record.size()) return Corrupt();
  row.clear();
  row.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (p >= end) return Corrupt();
    switch (*p++) {
      case kNull:
        row.emplace_back();
        break;
      case kFalse:
        row.emplace_back(false);
        break;
      case kTrue:
        row.emplace_back(true);
        break;
      case kInt: {
        uint64_t z = 0;
        p = DecodeVarint(p, end, &z);
        if (p == nullptr) return Corrupt();
        row.emplace_back(static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)));
        break;
      }
      case kDouble:
        if (end - p < 8) return Corrupt();
        row.emplace_back(LoadLE<double>(p));
        p += 8;
        break;
      case kText: {
        uint64_t n = 0;
        p = DecodeVarint(p, end, &n);
        if (p == nullptr || static_cast<uint64_t>(end - p) < n) return Corrupt();
        row.emplace_back(std::string(reinterpret_cast<const char*>(p), n));
        p += n;
        break;
      }
      default:
        return Corrupt();
    }
  }
  return Ok();
}

}  // namespace sqlrite::engine
