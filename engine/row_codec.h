#pragma once
// Row records: how a table row is stored as a B+tree value. Self-describing, so decoding needs
// no schema and a row written before ALTER-like changes still decodes:
//
//   varint  column count
//   per column: one tag byte, then the payload
//     0 NULL | 1 false | 2 true | 3 integer: zigzag varint | 4 double: 8 bytes little-endian
//     5 text: varint length + bytes
//     6 numeric: varint length + numeric_send's bytes (engine/binary_format.h: ndigits, weight,
//       sign, dscale, base-10000 digits; exact, with the display scale)
//     7 interval: 16 bytes little-endian: int64 microseconds, int32 days, int32 months
//     8 array: varint length of the rest, varint element type id, zigzag varint lower bound,
//       then the elements as a record of their own (varint count, tagged values)
//     9 text ending in blanks: varint length + the bytes before the last run of blanks, then
//       a varint count of those blanks (written for a run of 8 or more, kMinStoredBlanks: char(n)
//       values are padded to n, and a char(84) column of blanks cost 85 bytes a row)
//   (date, time, timestamp and timestamptz are integers: tag 3)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"

namespace sqlrite::engine {

void EncodeRow(const Row& row, std::string& out);

// Text values this long are not copied into a record: EncodeRowPieces leaves them where they
// are, so that storing a 50 MB value does not first make a second 50 MB record of it.
inline constexpr size_t kLongTextBytes = 64 * 1024;
// True when row holds a text value of kLongTextBytes or more.
bool HasLongText(const Row& row);
// The record EncodeRow would make, as consecutive pieces (for BTree::Insert): views into
// scratch around views of row's long text values. The views stay valid while scratch and row
// are unchanged.
void EncodeRowPieces(const Row& row, std::string& scratch, std::vector<std::string_view>& pieces);
// Errors: XX001 on a malformed record. needed (null: every column): the text and numeric
// values of the columns it marks false are skipped, left NULL in row (the cost of a column
// nobody reads is then its length's varint).
Status DecodeRow(std::string_view record, Row& row, const std::vector<bool>* needed = nullptr);
// The same, taking the record: its longest text value of kLongTextBytes or more, if any, is
// moved out of it rather than copied, so reading a 50 MB value holds it once, not twice.
Status DecodeRow(std::string&& record, Row& row, const std::vector<bool>* needed = nullptr);

// The integer (tag 3) in column `column` of record, read without decoding the columns before
// it into a row: nullopt when that column holds anything else (NULL, another kind) or the record
// is shorter. XX001 on a malformed record. For scans that need one integer column of every row
// (ALTER TABLE ADD PRIMARY KEY checking that rows are already keyed by it).
Result<std::optional<int64_t>> DecodeIntColumn(std::string_view record, size_t column);

}  // namespace sqlrite::engine
