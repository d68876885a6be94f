#pragma once
// Enum types (CREATE TYPE name AS ENUM): an EnumType is one type's catalog entry (pg_type plus
// its pg_enum rows), immutable once built and shared by whoever binds or runs a statement over
// it. A value of an enum type is a std::string Datum: the label's 4-byte sort key, then the
// label. The key is the label's pg_enum.enumsortorder (a float4) encoded so that memcmp order is
// numeric order, so the value compares, sorts, groups, hashes and indexes as a plain string in
// the enum's order, and prints (the label after the key) without any catalog. ALTER TYPE ...
// ADD VALUE gives the new label a sort order between its neighbours' (PostgreSQL's rule), so
// every stored value keeps its key; RENAME VALUE and the rare renumbering rewrite the stored
// values of the type (docs/decisions.md, "Enum values carry their sort key").
//
// Binding needs the types by oid (an unknown literal becoming 'x'::mood, a cast, COPY's text):
// CurrentEnumType looks them up in the innermost EnumScope of the thread, opened by the engine
// around each statement and by the catalog while it loads.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/value.h"

namespace sqlrite::engine {

struct EnumLabel {
  uint32_t oid = 0;      // pg_enum.oid
  float sort_order = 0;  // pg_enum.enumsortorder
  std::string label;     // pg_enum.enumlabel
};

struct EnumType {
  uint32_t oid = 0;  // pg_type.oid; its array type is oid + 1
  std::string schema = "public";
  std::string name;
  std::vector<EnumLabel> labels;  // in sort order
  std::string comment;            // COMMENT ON TYPE; empty: none

  uint32_t array_oid() const { return oid + 1; }
  // The label's entry (null: none).
  const EnumLabel* Find(std::string_view label) const;
};
using EnumTypePtr = std::shared_ptr<const EnumType>;

// NAMEDATALEN - 1: the longest label PostgreSQL accepts.
inline constexpr size_t kMaxEnumLabelLength = 63;

// The value of label `l`.
Datum EnumValue(const EnumLabel& l);
// The label of an enum value (the Datum's string).
std::string_view EnumLabelOf(std::string_view value);
// The sort order an enum value carries.
float EnumSortOrderOf(std::string_view value);
// enum_in: the value of `text` in `type`; 22P02 `invalid input value for enum mood: "x"`.
Result<Datum> ParseEnum(std::string_view text, const EnumType& type);

// Where the engine finds enum types by oid while it binds (the catalog of the statement).
class EnumTypeLookup {
 public:
  virtual ~EnumTypeLookup() = default;
  virtual EnumTypePtr FindEnum(uint32_t oid) const = 0;
  virtual EnumTypePtr FindType(std::string_view schema, std::string_view name) const = 0;
};

// lookup (null: none) and the schemas an unqualified type name is looked up in, in order (the
// session's search_path), for the calling thread until the scope ends.
class EnumScope {
 public:
  // path is called only when an unqualified name is resolved (most statements never do).
  explicit EnumScope(const EnumTypeLookup* lookup,
                     std::function<std::vector<std::string>()> path = nullptr);
  ~EnumScope();
  EnumScope(const EnumScope&) = delete;
  EnumScope& operator=(const EnumScope&) = delete;

 private:
  friend EnumTypePtr CurrentEnumType(uint32_t oid);
  friend Result<EnumTypePtr> ResolveEnumType(std::string_view key, int position);
  const EnumTypeLookup* lookup_;
  std::function<std::vector<std::string>()> path_;
  EnumScope* previous_;
};

// The enum type of oid in the innermost scope; null outside any scope or for no such type.
EnumTypePtr CurrentEnumType(uint32_t oid);
// The type a parsed name (ast::Cast::type_name: `name` or `schema NUL name`) names in the
// innermost scope: qualified in its schema, else in the first schema of the path having it.
// 42704 `type "x" does not exist` (at position, 1-based; 0: none) otherwise.
Result<EnumTypePtr> ResolveEnumType(std::string_view key, int position);
// The type's name as messages print it ("mood", "s.mood" outside public; "???" when unknown).
std::string EnumTypeName(uint32_t oid);

// The sort order ALTER TYPE ... ADD VALUE gives a new label (PostgreSQL's AddEnumLabel):
// last + 1 at the end (1 for an empty type), first - 1 before the first, else the midpoint of
// its neighbours; nullopt when the midpoint equals a neighbour (float4 precision exhausted: the
// labels need renumbering first). `before`: the new label goes before labels[at] (else after).
std::optional<float> NewSortOrder(const EnumType& type, size_t at, bool before);

}  // namespace sqlrite::engine
