#pragma once
// Row records: how a table row is stored as a B+tree value. Self-describing, so decoding needs
// no schema and a row written before ALTER-like changes still decodes:
//
//   varint  column count
//   per column: one tag byte, then the payload
//     0 NULL | 1 false | 2 true | 3 integer: zigzag varint | 4 double: 8 bytes little-endian
//     5 text: varint length + bytes

#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/engine.h"

namespace sqlrite::engine {

void EncodeRow(const Row& row, std::string& out);
// Errors: XX001 on a malformed record.
Status DecodeRow(std::string_view record, Row& row);

}  // namespace sqlrite::engine
