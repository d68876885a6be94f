#pragma once
// smallint[] (OID 1005) and int2vector (OID 22), the catalogs' array types the engine has so far
// (pg_publication_rel.prattrs is an int2vector that psql casts to int2[] and subscripts): each a
// std::string Datum holding the value's canonical text form, "{1,NULL,3}" for smallint[] (one
// dimension, lower bound 1) and "1 3" for int2vector. They exist for casts and catalog columns
// only (never a table's column, as the other catalog types). The array output form is read by
// ParseArrayText, shared with the functions that read the catalogs' other array columns, which
// are text in that form.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sqlrite::engine::int2_array {

using Elements = std::vector<std::optional<std::string>>;  // nullopt: NULL

// A one-dimensional array's output form: elements between braces, separated by commas; a quoted
// element keeps its blanks and has \-escapes; an unquoted NULL is NULL. Error: 22P02 "malformed
// array literal: "..."". A leading "[lower:upper]=" (an array whose subscripts do not start at 1,
// as an int2vector cast to smallint[]) gives *lower (else 1).
Result<Elements> ParseArrayText(std::string_view s, int64_t* lower = nullptr);

// array_in for smallint[]: canonical "{1,2}" (elements as int2in reads them: 22P02, 22003).
Result<std::string> ParseInt2Array(std::string_view text);
// array_in for name[]: canonical "{a,\"b c\"}" (an element quoted when it is empty, NULL in any
// case, or holds a blank, a brace, a comma, a quote or a backslash).
Result<std::string> ParseNameArray(std::string_view text);
// int2vectorin: integers separated by blanks; canonical "1 2".
Result<std::string> ParseInt2Vector(std::string_view text);
// int2vector -> smallint[]: its subscripts start at 0, as the int2vector's ("1 2" ->
// "[0:1]={1,2}"; "" -> "{}").
std::string VectorToArray(std::string_view vector);

// The element at subscript i (arr[i]); nullopt when out of range or NULL.
Result<std::optional<int64_t>> Element(std::string_view value, bool is_vector, int64_t i);
// array_lower / array_upper of dimension 1: nullopt for an empty array.
Result<std::optional<int64_t>> Bound(std::string_view value, bool is_vector, bool upper);

}  // namespace sqlrite::engine::int2_array
