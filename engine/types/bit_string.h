#pragma once
// bit(n) (OID 1560) and bit varying(n) (OID 1562): std::string Datums in an encoding whose byte
// order is bitcmp's, so that values compare, sort, hash, group and index as plain bytes:
//   the packed bits, most significant first, padding bits of the last byte zero, each 0x00 byte
//   written as 0x00 0xFF; then 0x00 and the number of bits used in the last byte (1..8; 0 for
//   the empty string).
// bitcmp compares the common bytes, then the shorter string first; here a string that ends
// where another goes on meets 0x00 0x0n against a data byte (above 0x00) or 0x00 0xFF, so it is
// first, and two of the same byte count differ in their last count byte.
// Typmods are the length n itself (bit without one is bit(1), set by the type-name reader);
// -1 is a bit string of any length (a B'...' literal's type, an operator's result).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/types.h"

namespace sqlrite::engine::bit_string {

// A bit string decoded: its length in bits and its bits, (length + 7) / 8 bytes, most
// significant first, padding bits zero.
struct Bits {
  int32_t length = 0;
  std::string bytes;

  bool Get(int32_t i) const {
    return (static_cast<uint8_t>(bytes[static_cast<size_t>(i / 8)]) >> (7 - i % 8)) & 1;
  }
  void Set(int32_t i, bool on);
  // Zeroes the padding bits of the last byte (after operations that may set them).
  void ClearPadding();
};

Bits MakeBits(int32_t length);  // all zero
std::string Encode(const Bits& b);
// REQUIRES: datum is an Encode result.
Bits Decode(std::string_view datum);

// bit_in / varbit_in without a typmod: binary digits, or hex digits after an x / X (a leading
// b / B means binary). Errors 22P02: "\"2\" is not a valid binary digit", "\"G\" is not a valid
// hexadecimal digit".
Result<Bits> ParseBits(std::string_view text);

// A bit string fitted to type (kBit / kVarbit) with typmod (-1 or 0: any length). bit(n):
// explicit casts pad with zeros or truncate, other contexts fail with 22026 "bit string length
// 3 does not match type bit(4)"; varbit(n): explicit casts truncate, others fail with 22001
// "bit string too long for type bit varying(8)".
Result<Bits> Fit(Bits b, TypeId type, int32_t typmod, bool explicit_cast);

// Text input into a value of type/typmod as a non-explicit context reads it (the literal read
// without a length, then fitted).
Result<std::string> Parse(std::string_view text, TypeId type, int32_t typmod);
// A Datum cast to type/typmod (bit <-> varbit, a length change).
Result<std::string> Cast(std::string_view datum, TypeId type, int32_t typmod, bool explicit_cast);

// bit_out: '0' and '1' characters.
void AppendText(std::string& out, std::string_view datum);
// bit_send: the length as a big-endian int32, then the packed bytes.
void AppendSend(std::string& out, std::string_view datum);
// bit_recv: 22P02 "invalid length in external bit string" for a negative or inconsistent
// length; fitted as a non-explicit context (the typmod's checks).
Result<std::string> Receive(std::string_view wire, TypeId type, int32_t typmod);

// bitfromint4 / bitfromint8: the low n bits of v sign-extended (n = typmod, 1 when none).
std::string FromInt(int64_t v, int32_t typmod);
// bittoint4 / bittoint8 (width 32 or 64): the bits as an unsigned number of that width, then
// reinterpreted as signed; 22003 "integer out of range" / "bigint out of range" when longer.
Result<int64_t> ToInt(std::string_view datum, int width);

// bitand, bitor, bitxor (op '&', '|', '#'): 22026 "cannot AND bit strings of different sizes"
// (OR, XOR) when the lengths differ. Shared by the operators and bit_and / bit_or / bit_xor.
Result<std::string> Bitwise(std::string_view a, std::string_view b, char op);

}  // namespace sqlrite::engine::bit_string
