#include "engine/row_codec.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "common/bytes.h"

namespace sqlrite::engine {
namespace {

enum Tag : uint8_t {
  kNull = 0,
  kFalse = 1,
  kTrue = 2,
  kInt = 3,
  kDouble = 4,
  kText = 5,
  kNumeric = 6,
  kInterval = 7,
  kArray = 8,
  kPaddedText = 9
};

// A text value ending in at least this many blanks is stored as tag 9: its bytes before the
// blanks, then their count. char(n) values are padded to n (pgbench's filler char(84) is all
// blanks), and storing the blanks made such a table's pages several times larger than its data.
constexpr size_t kMinStoredBlanks = 8;

// The number of blanks ending s (0 at once when its last byte is not one: the common case).
// Eight bytes a step: a byte at a time was most of a COPY's encoding cost for char(84).
size_t TrailingBlanks(const std::string& s) {
  constexpr uint64_t kBlanks = 0x2020202020202020ULL;
  const char* end = s.data() + s.size();
  size_t n = 0;
  if (s.empty() || end[-1] != ' ') return 0;
  while (n + 8 <= s.size()) {
    uint64_t w;
    std::memcpy(&w, end - n - 8, 8);
    if (w != kBlanks) break;
    n += 8;
  }
  while (n < s.size() && end[-1 - static_cast<ptrdiff_t>(n)] == ' ') ++n;
  return n;
}

Status Corrupt() { return Fail(sqlstate::kDataCorrupted, "malformed row record"); }

constexpr size_t kMaxVarintBytes = 10;  // a 64-bit value, 7 bits a byte

// Writes v as a varint at p; returns the byte after it.
char* PutVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// Encodes row into out, except the bytes of text values of at least `outside` bytes: for each
// of those it appends to *long_values the offset in out where the value's bytes belong.
// The record is written through a pointer into out sized to a bound computed first, then cut
// to length: one allocation at most (none when out is a reused buffer already this large), and
// no per-byte append (push_back was half of this function's cost in a COPY).
void Encode(const Row& row, std::string& out, size_t outside,
            std::vector<std::pair<size_t, const std::string*>>* long_values);

// An array's bytes after its tag and length: the element type id, the lower bound (zigzag) and
// the elements as a record of their own.
std::string EncodeArrayBody(const ArrayValue& a) {
  std::string items;
  Encode(a.items, items, std::numeric_limits<size_t>::max(), nullptr);
  std::string body;
  AppendVarint(body, static_cast<uint64_t>(a.elem));
  const int64_t lower = a.lower;
  AppendVarint(body, (static_cast<uint64_t>(lower) << 1) ^ static_cast<uint64_t>(lower >> 63));
  body += items;
  return body;
}

void Encode(const Row& row, std::string& out, size_t outside,
            std::vector<std::pair<size_t, const std::string*>>* long_values) {
  size_t bound = kMaxVarintBytes;
  // Each array's bytes, encoded first so that the bound covers them (arrays are rare: nothing
  // is allocated here for a row without one).
  std::vector<std::string> arrays;
  for (const Datum& d : row) {
    bound += 1 + kMaxVarintBytes + 16;
    if (d.index() == 4 && DatumAs<std::string>(d).size() < outside) {
      bound += DatumAs<std::string>(d).size();
    } else if (d.index() == 5) {
      bound += 8 + 2 * DatumAs<NumericRef>(d)->digits().size();
    } else if (d.index() == 7) {
      arrays.push_back(EncodeArrayBody(*DatumAs<ArrayRef>(d)));
      bound += arrays.back().size();
    }
  }
  size_t next_array = 0;
  out.resize(bound);
  char* p = PutVarint(out.data(), row.size());
  for (const Datum& d : row) {
    switch (d.index()) {
      case 0:
        *p++ = kNull;
        break;
      case 1:
        *p++ = DatumAs<bool>(d) ? kTrue : kFalse;
        break;
      case 2: {
        int64_t v = DatumAs<int64_t>(d);
        *p++ = kInt;
        p = PutVarint(p, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
        break;
      }
      case 3:
        *p++ = kDouble;
        StoreLE<double>(p, DatumAs<double>(d));
        p += 8;
        break;
      case 4: {
        const std::string& s = DatumAs<std::string>(d);
        if (s.size() < outside) {
          if (const size_t blanks = TrailingBlanks(s); blanks >= kMinStoredBlanks) {
            const size_t kept = s.size() - blanks;
            *p++ = kPaddedText;
            p = PutVarint(p, kept);
            std::memcpy(p, s.data(), kept);
            p = PutVarint(p + kept, blanks);
            break;
          }
        }
        *p++ = kText;
        p = PutVarint(p, s.size());
        if (s.size() >= outside) {
          long_values->emplace_back(static_cast<size_t>(p - out.data()), &s);
        } else {
          std::memcpy(p, s.data(), s.size());
          p += s.size();
        }
        break;
      }
      case 5: {
        // numeric_send's bytes (8 header bytes, 2 per base-10000 digit): they keep the display
        // scale, and FromBinary checks them when read.
        const Numeric& n = *DatumAs<NumericRef>(d);
        *p++ = kNumeric;
        p = PutVarint(p, 8 + 2 * n.digits().size());
        const size_t at = static_cast<size_t>(p - out.data());
        out.resize(at);
        n.AppendBinary(out);
        const size_t written = out.size();
        out.resize(bound);
        p = out.data() + written;
        break;
      }
      case 6: {
        // interval_send's 16 bytes, little-endian as the rest of the record: time, day, month.
        const Interval& v = DatumAs<Interval>(d);
        *p++ = kInterval;
        StoreLE<int64_t>(p, v.time);
        StoreLE<int32_t>(p + 8, v.day);
        StoreLE<int32_t>(p + 12, v.month);
        p += 16;
        break;
      }
      case 7: {
        // An array: its byte length, then its body (EncodeArrayBody).
        const std::string& body = arrays[next_array++];
        *p++ = kArray;
        p = PutVarint(p, body.size());
        std::memcpy(p, body.data(), body.size());
        p += body.size();
        break;
      }
      default:
        break;
    }
  }
  out.resize(static_cast<size_t>(p - out.data()));
}

}  // namespace

void EncodeRow(const Row& row, std::string& out) {
  Encode(row, out, std::numeric_limits<size_t>::max(), nullptr);
}

bool HasLongText(const Row& row) {
  return std::any_of(row.begin(), row.end(), [](const Datum& d) {
    return d.index() == 4 && DatumAs<std::string>(d).size() >= kLongTextBytes;
  });
}

void EncodeRowPieces(const Row& row, std::string& scratch, std::vector<std::string_view>& pieces) {
  std::vector<std::pair<size_t, const std::string*>> long_values;
  Encode(row, scratch, kLongTextBytes, &long_values);
  pieces.clear();
  size_t from = 0;
  for (const auto& [at, value] : long_values) {
    pieces.emplace_back(scratch.data() + from, at - from);
    pieces.emplace_back(*value);
    from = at;
  }
  pieces.emplace_back(scratch.data() + from, scratch.size() - from);
}

namespace {

// Where the longest long text value of a record lies, left out of the decoded row.
struct LongestText {
  size_t column = 0;
  size_t offset = 0;
  size_t length = 0;
};

// DecodeRow; when longest is given, the longest text value of kLongTextBytes or more (if any)
// is left empty in row and its place in the record stored in *longest. Text and numeric
// values of columns `needed` leaves out are skipped (NULL in row).
Status Decode(std::string_view record, Row& row, LongestText* longest,
              const std::vector<bool>* needed) {
  const auto* begin = reinterpret_cast<const uint8_t*>(record.data());
  const auto* p = begin;
  const auto* end = p + record.size();
  uint64_t count = 0;
  p = DecodeVarint(p, end, &count);
  if (p == nullptr || count > record.size()) return Corrupt();
  row.clear();
  row.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (p >= end) return Corrupt();
    const bool skip = needed != nullptr && i < needed->size() && !(*needed)[i];
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
        if (skip) {
          row.emplace_back();
        } else if (longest != nullptr && n >= kLongTextBytes && n > longest->length) {
          if (longest->length > 0) {  // a longer one came: copy the one left out after all
            row[longest->column] =
                Datum(std::string(record.substr(longest->offset, longest->length)));
          }
          *longest = {row.size(), static_cast<size_t>(p - begin), static_cast<size_t>(n)};
          row.emplace_back(std::string());
        } else {
          row.emplace_back(std::string(reinterpret_cast<const char*>(p), n));
        }
        p += n;
        break;
      }
      case kPaddedText: {
        uint64_t n = 0, blanks = 0;
        p = DecodeVarint(p, end, &n);
        if (p == nullptr || static_cast<uint64_t>(end - p) < n) return Corrupt();
        const uint8_t* bytes = p;
        p = DecodeVarint(p + n, end, &blanks);
        // A value is at most 1 GiB (PostgreSQL's limit), so a larger count is damage, not a
        // request to allocate it.
        if (p == nullptr || blanks > (uint64_t{1} << 30)) return Corrupt();
        if (skip) {
          row.emplace_back();
          break;
        }
        std::string value;
        value.reserve(static_cast<size_t>(n + blanks));
        value.append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(n));
        value.append(static_cast<size_t>(blanks), ' ');
        row.emplace_back(std::move(value));
        break;
      }
      case kNumeric: {
        uint64_t n = 0;
        p = DecodeVarint(p, end, &n);
        if (p == nullptr || static_cast<uint64_t>(end - p) < n) return Corrupt();
        if (skip) {
          row.emplace_back();
          p += n;
          break;
        }
        auto v = Numeric::FromBinary(
            std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n)));
        if (!v) return Corrupt();
        row.emplace_back(NumericRef(std::move(*v)));
        p += n;
        break;
      }
      case kArray: {
        uint64_t n = 0;
        p = DecodeVarint(p, end, &n);
        if (p == nullptr || static_cast<uint64_t>(end - p) < n) return Corrupt();
        if (skip) {
          row.emplace_back();
          p += n;
          break;
        }
        const uint8_t* body_end = p + n;
        uint64_t elem = 0, lower = 0;
        const uint8_t* q = DecodeVarint(p, body_end, &elem);
        if (q != nullptr) q = DecodeVarint(q, body_end, &lower);
        if (q == nullptr || elem == 0 ||
            (elem > static_cast<uint64_t>(TypeId::kLastCatalogType) &&
             !IsStoredScalarType(static_cast<TypeId>(elem)) &&
             elem != static_cast<uint64_t>(TypeId::kEnum)) ||
            elem > static_cast<uint64_t>(TypeId::kLastTypeId)) {
          return Corrupt();
        }
        Row items;
        SQLRITE_TRY(Decode(
            std::string_view(reinterpret_cast<const char*>(q), static_cast<size_t>(body_end - q)),
            items, nullptr, nullptr));
        row.push_back(ArrayDatum(static_cast<TypeId>(elem), std::move(items),
                                 static_cast<int32_t>((lower >> 1) ^ (~(lower & 1) + 1))));
        p = body_end;
        break;
      }
      case kInterval:
        if (end - p < 16) return Corrupt();
        row.emplace_back(
            Interval{LoadLE<int64_t>(p), LoadLE<int32_t>(p + 8), LoadLE<int32_t>(p + 12)});
        p += 16;
        break;
      default:
        return Corrupt();
    }
  }
  return Ok();
}

}  // namespace

Status DecodeRow(std::string_view record, Row& row, const std::vector<bool>* needed) {
  return Decode(record, row, nullptr, needed);
}

Status DecodeRow(std::string&& record, Row& row, const std::vector<bool>* needed) {
  LongestText longest;
  SQLRITE_TRY(Decode(record, row, &longest, needed));
  if (longest.length > 0) {
    // The record's buffer becomes the value: the bytes move down in place, nothing is copied
    // into a second buffer.
    record.erase(0, longest.offset);
    record.resize(longest.length);
    row[longest.column] = Datum(std::move(record));
  }
  return Ok();
}

Result<std::optional<int64_t>> DecodeIntColumn(std::string_view record, size_t column) {
  const auto* p = reinterpret_cast<const uint8_t*>(record.data());
  const auto* end = p + record.size();
  uint64_t count = 0;
  p = DecodeVarint(p, end, &count);
  if (p == nullptr || count > record.size()) return Fail(Corrupt().error());
  if (column >= count) return std::nullopt;
  // Past the columns before it: each value's size follows from its tag.
  for (size_t i = 0; i < column; ++i) {
    if (p >= end) return Fail(Corrupt().error());
    uint64_t n = 0;
    switch (*p++) {
      case kNull:
      case kFalse:
      case kTrue:
        break;
      case kInt: {
        uint64_t ignored = 0;
        p = DecodeVarint(p, end, &ignored);
        break;
      }
      case kDouble:
        n = 8;
        break;
      case kInterval:
        n = 16;
        break;
      case kText:
      case kNumeric:
      case kArray:
        p = DecodeVarint(p, end, &n);
        break;
      case kPaddedText:
        p = DecodeVarint(p, end, &n);
        if (p == nullptr || static_cast<uint64_t>(end - p) < n) return Fail(Corrupt().error());
        p = DecodeVarint(p + n, end, &n);
        n = 0;  // the blanks are a count, not bytes
        break;
      default:
        return Fail(Corrupt().error());
    }
    if (p == nullptr || static_cast<uint64_t>(end - p) < n) return Fail(Corrupt().error());
    p += n;
  }
  if (p >= end) return Fail(Corrupt().error());
  if (*p++ != kInt) return std::nullopt;
  uint64_t z = 0;
  p = DecodeVarint(p, end, &z);
  if (p == nullptr) return Fail(Corrupt().error());
  return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

}  // namespace sqlrite::engine
