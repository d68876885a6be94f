#pragma once
// Memcomparable keys: encodings whose unsigned byte order (memcmp, shorter prefix first) equals
// the SQL order of the values, so the B+tree can compare keys without knowing their types.
//
//   rowid        8 bytes big-endian, sign bit flipped (negative rowids sort first)
//   index value  one marker byte per column, then the value:
//                  0x01 + value   non-NULL
//                  0x02           NULL (sorts after every value, as NULLS LAST)
//                int4/int8: like a rowid; float8: the IEEE bits big-endian with the sign
//                bit flipped for positives and every bit flipped for negatives; numeric:
//                Numeric::AppendKey (a sign/kind tag, the weight, the base-10000 digits,
//                complemented for negatives; self-delimiting; the display scale is not kept,
//                so 1.5 and 1.50 are one key, as they are equal in PostgreSQL); bool: one byte;
//                date, time, timestamp, timestamptz: like int8; interval: its span with a
//                month as 30 days (interval::AppendKey, 16 bytes), so '1 mon' = '30 days';
//                text, varchar, bytea, uuid: the bytes with 0x00 escaped as 0x00 0xFF,
//                terminated by 0x00 0x01; char(n): the same without its trailing blanks;
//                an array: each element as a column (marker and value), 0x00, then its lower
//                bound like an int8.
//
// An index key column may also be laid out in its declared order (CREATE INDEX ... (k DESC
// NULLS LAST)), AppendKeyColumn with a KeyOrder: ascending NULLS FIRST takes 0x00 as the NULL
// marker; descending writes the ascending encoding (marker 0x01 and value) with every byte
// complemented (marker 0xFE), and its NULL marker is 0x00 (NULLS FIRST) or 0xFF (NULLS LAST).
// Complementing a self-delimiting encoding keeps it self-delimiting and reverses its order
// (two encodings always differ at a byte within both). Ascending NULLS LAST is the encoding
// above, byte for byte (docs/decisions.md, "Index keys in their declared order").
//
// Every column's encoding is self-delimiting (no value's encoding is a prefix of another's), so
// the keys holding a given leading value are exactly those that start with its encoding: an
// index range scan (engine/index_path.h) reads [prefix, successor of prefix).
//
// Adding a type: KeyFamilyOf switches over every TypeId, so the compiler names the place a new
// type must be given a family (kNone: its columns are never searched through an index). A type
// whose Datum is an int64_t in SQL order (dates, timestamps as microseconds) is encoded as the
// integers are and needs only a family of its own; a new Datum alternative needs an encoding in
// AppendKeyColumn (which dispatches on the alternative, because hashing and grouping encode
// values of every type through it).

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/value.h"

namespace sqlrite::engine {

inline constexpr size_t kRowidKeySize = 8;
// The marker bytes that open each column of an index key.
inline constexpr char kKeyNotNullMarker = 0x01;
inline constexpr char kKeyNullMarker = 0x02;

void AppendRowidKey(std::string& out, int64_t rowid);
std::string RowidKey(int64_t rowid);
// REQUIRES: key.size() >= 8.
int64_t DecodeRowidKey(std::string_view key);

// Appends one column of an index key. Integers and numbers of every numeric type share one
// encoding only within a type; the caller encodes values already coerced to the column's type.
void AppendKeyColumn(std::string& out, const Datum& value, TypeId type);

// The order of one index key column in its tree.
struct KeyOrder {
  bool descending = false;
  bool nulls_first = false;
};
// One index key column laid out in order (the comment at the top of this file).
void AppendKeyColumn(std::string& out, const Datum& value, TypeId type, KeyOrder order);
// The marker bytes a column laid out in order opens with: every non-NULL value's encoding
// starts with KeyNotNullMarker (one contiguous run of keys), a NULL is KeyNullMarker alone.
char KeyNotNullMarker(KeyOrder order);
char KeyNullMarker(KeyOrder order);

// Types whose values encode comparably in a key: a value of type v may be looked up in (or bound
// a range of) an index column of type c when KeyFamily(c) == KeyFamily(v) and neither is
// kNone. The comparison operators between such types compare as the keys do.
// Dates, times and timestamps are int64_t Datums encoded as the integers are, each a family of
// its own (a date counts days, a timestamp microseconds: never compared as keys of one another).
enum class KeyFamily : uint8_t {
  kNone,
  kBool,
  kInteger,
  kFloat,
  kNumeric,
  kText,
  kBpchar,
  kBytes,
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
};
KeyFamily KeyFamilyOf(TypeId type);

// The smallest key greater than every key that starts with prefix; empty when there is none
// (prefix is all 0xFF bytes): the end of a prefix range.
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace sqlrite::engine
