#pragma once
// The order an index tree keeps each key column in (engine/key_codec.h, KeyOrder).
//
// An index is laid out in its declared order (CREATE INDEX ... (a DESC, b NULLS FIRST)) when
// every entry of IndexDef::options carries kIndexLaidOutInOrder beside its kIndexDesc /
// kIndexNullsFirst bits. Trees built before that bit existed kept their declared options for
// the catalogs only and are ascending with NULLs last whatever they declare: without the bit,
// that is still their order (read correctly, never re-encoded behind the user's back); REINDEX
// rebuilds them in their declared order. An index whose options are all default has no
// options at all, and both layouts are the same bytes.

#include <cstddef>
#include <cstdint>

#include "engine/catalog.h"
#include "engine/key_codec.h"

namespace sqlrite::engine {

// The IndexDef::options bit that says the tree honours the column's declared options. Not
// part of pg_index.indoption (DeclaredOptions masks it off).
inline constexpr uint8_t kIndexLaidOutInOrder = 4;

// An options entry's declared bits (kIndexDesc, kIndexNullsFirst), as pg_index shows them.
inline uint8_t DeclaredOptions(uint8_t option) { return option & (kIndexDesc | kIndexNullsFirst); }

// The order key column k of ix has in its tree (ascending NULLS LAST for a legacy tree).
KeyOrder IndexColumnOrder(const IndexDef& ix, size_t k);

// Marks ix's options as laid out in their declared order: for a tree about to be built (CREATE
// INDEX, REINDEX) from ix.
void LayOutInDeclaredOrder(IndexDef& ix);

}  // namespace sqlrite::engine
