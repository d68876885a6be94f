#pragma once
// PostgreSQL's binary wire format of each type the engine has: the send functions (a value ->
// the bytes of a DataRow field or a COPY BINARY field) and the receive functions (the bytes of a
// Bind parameter or a COPY BINARY field -> a value), as PostgreSQL's typsend / typreceive do.
//
//   bool      1 byte, 0 or 1 (any non-zero byte reads as true)
//   int2/4/8  2/4/8 bytes, big-endian two's complement
//   float4/8  4/8 bytes, big-endian IEEE 754
//   numeric   int16 ndigits, int16 weight, uint16 sign (0 +, 0x4000 -, 0xC000 NaN,
//             0xD000 +Infinity, 0xF000 -Infinity), int16 dscale, then ndigits base-10000
//             digits (int16 each), most significant first: the value's decimal digits, as
//             PostgreSQL's numeric_send / numeric_recv (Numeric::AppendBinary / FromBinary).
//   text, varchar, char(n), unknown, bytea: the bytes themselves
//   uuid      the 16 bytes
//   date      int32 days since 2000-01-01 (INT32_MIN / INT32_MAX: -infinity / infinity)
//   time, timestamp, timestamptz   int64 microseconds (since midnight / 2000-01-01 00:00
//             [UTC]; INT64_MIN / INT64_MAX: -infinity / infinity)
//   interval  int64 microseconds, int32 days, int32 months
//   json      the text; jsonb: the version byte 1, then the text (jsonb_send's version 1)
//   arrays    int32 ndim (0 or 1), int32 has-null flag, uint32 element OID, then per dimension
//             int32 size and int32 lower bound, then per element int32 length (-1: NULL) and
//             its binary form
//
// Types are named by their pg_type OIDs on the receive side, because a client may declare a
// parameter of a type the engine does not have (0 or unknown: text); the value comes back as the
// engine's type for that OID (EngineTypeForOid).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/types.h"
#include "engine/value.h"

namespace sqlrite::engine {

// The engine type holding values of the type with this OID, or nullopt when the engine has no
// such type. int2 -> int4, float4 -> float8, unknown (705) and 0 -> kUnknown (to infer).
std::optional<TypeId> EngineTypeForOid(uint32_t oid);
// As EngineTypeForOid, and the array types of those types (1007 -> int4[]).
std::optional<SqlType> EngineSqlTypeForOid(uint32_t oid);

// Appends the binary form of d, a non-NULL value of `type`. REQUIRES: !IsNull(d).
void AppendBinary(std::string& out, const Datum& d, TypeId type);

// The value of the bytes of a binary field of type `oid` (one EngineTypeForOid knows, not 0 or
// 705). Errors, as PostgreSQL's: 08P01 "insufficient data left in message" when the bytes are
// too few, 22P03 "incorrect binary data format" (the caller names the parameter) when some are
// left over, 22P03 for a bad numeric digit, sign or length, 22003 for a numeric out of range.
Result<Datum> ReceiveBinary(std::string_view bytes, uint32_t oid);

// The value of a text-format field of type `oid`: the type's input function (ParseText), with
// int2's range (22003 "value "x" is out of range for type smallint") and float4's precision.
Result<Datum> ReceiveText(std::string_view text, uint32_t oid);

}  // namespace sqlrite::engine
