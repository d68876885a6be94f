#pragma once

#include "engine/types.h"

// Short names for type ids, for the tables of columns and function signatures that list many
// (system relations, built-in functions). A source takes the ones it uses with using-declarations
// (`using type_shorthands::kText;`) in its anonymous namespace or a function. In a unity batch
// (SQLRITE_UNITY) a constant of each source's own collided with another source's, and clang's
// -Wshadow reported a function's own copy under another source's; using-declarations may repeat
// and shadow nothing.
namespace sqlrite::engine::type_shorthands {

inline constexpr TypeId kAA = TypeId::kAnyArray;
inline constexpr TypeId kAE = TypeId::kAnyElement;
inline constexpr TypeId kB = TypeId::kBit;
inline constexpr TypeId kBool = TypeId::kBool;
inline constexpr TypeId kBytea = TypeId::kBytea;
inline constexpr TypeId kChar = TypeId::kChar;
inline constexpr TypeId kDate = TypeId::kDate;
inline constexpr TypeId kF4 = TypeId::kFloat4;
inline constexpr TypeId kF8 = TypeId::kFloat8;
inline constexpr TypeId kI2 = TypeId::kInt2;
inline constexpr TypeId kI2Array = TypeId::kInt2Array;
inline constexpr TypeId kI2Vector = TypeId::kInt2Vector;
inline constexpr TypeId kI4 = TypeId::kInt4;
inline constexpr TypeId kI8 = TypeId::kInt8;
inline constexpr TypeId kInt2 = TypeId::kInt2;
inline constexpr TypeId kInt4 = TypeId::kInt4;
inline constexpr TypeId kInt8 = TypeId::kInt8;
inline constexpr TypeId kIv = TypeId::kInterval;
inline constexpr TypeId kJson = TypeId::kJson;
inline constexpr TypeId kJsonb = TypeId::kJsonb;
inline constexpr TypeId kName = TypeId::kName;
inline constexpr TypeId kNum = TypeId::kNumeric;
inline constexpr TypeId kNumeric = TypeId::kNumeric;
inline constexpr TypeId kOid = TypeId::kOid;
inline constexpr TypeId kRegclass = TypeId::kRegclass;
inline constexpr TypeId kRegproc = TypeId::kRegproc;
inline constexpr TypeId kRegtype = TypeId::kRegtype;
inline constexpr TypeId kText = TypeId::kText;
inline constexpr TypeId kTime = TypeId::kTime;
inline constexpr TypeId kTimestampTz = TypeId::kTimestampTz;
inline constexpr TypeId kTs = TypeId::kTimestamp;
inline constexpr TypeId kTsTz = TypeId::kTimestampTz;
inline constexpr TypeId kUnknown = TypeId::kUnknown;
inline constexpr TypeId kV = TypeId::kVarbit;
inline constexpr TypeId kVarchar = TypeId::kVarchar;

}  // namespace sqlrite::engine::type_shorthands
