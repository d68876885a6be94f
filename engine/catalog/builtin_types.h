#pragma once
// The built-in types as pg_type shows them: PostgreSQL 15's oids, names, lengths, categories and
// array types for the types the engine implements (and the catalogs' own: oid, name, "char",
// the reg* aliases, int2vector, oidvector, pg_node_tree), and format_type's SQL names.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.h"

namespace sqlrite::engine::catalog {

struct BuiltinType {
  uint32_t oid = 0;
  std::string_view name;  // typname
  int16_t len = -1;       // typlen
  bool byval = false;
  char category = 'U';  // typcategory
  bool preferred = false;
  uint32_t array = 0;  // typarray: its array type's oid (0: none)
  uint32_t elem = 0;   // typelem: an array type's element type
  uint32_t collation = 0;
  char align = 'i';
  char storage = 'p';
};

// Every built-in type, base types first, then their array types.
const std::vector<BuiltinType>& BuiltinTypes();
const BuiltinType* FindBuiltinType(uint32_t oid);
// By typname or an SQL spelling format_type prints ("integer", "character varying").
const BuiltinType* FindBuiltinType(std::string_view name);

// format_type(oid, typmod): "integer", "character varying(20)", "numeric(10,2)", "integer[]";
// typmod nullopt is SQL NULL (no modifier, and bpchar as "character"); "???" for no such type.
std::string FormatType(uint32_t oid, std::optional<int32_t> typmod);

}  // namespace sqlrite::engine::catalog
