#pragma once
// char(n), PostgreSQL's bpchar (OID 1042): a std::string Datum holding the value blank-padded to
// n characters (typmod n + 4); without a typmod (`::bpchar`) the value is kept as written.
// Trailing blanks are insignificant: comparisons, length(), index keys and the cast to text or
// varchar see the value without them (bpcharcmp, bpcharlen, rtrim1); output and octet_length
// keep the padding.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::engine::bpchar {

// The number of characters of UTF-8 text s.
size_t CharLength(std::string_view s);

// s without its trailing blanks.
std::string_view Stripped(std::string_view s);

// Three-way comparison of two char(n) values, ignoring trailing blanks (as bytes: C collation).
int Compare(std::string_view a, std::string_view b);

// s as a value of a character type of at most n characters: longer text is cut to n characters
// when the cast is explicit or the characters past n are all blanks (bpchar(), varchar()), else
// 22001 "value too long for type <type_name>"; with pad, shorter text is blank-padded to n.
Result<std::string> FitLength(std::string s, size_t n, bool pad, bool explicit_cast,
                              std::string_view type_name);

}  // namespace sqlrite::engine::bpchar
