// The functions psql and tools call on the catalogs (PostgreSQL's names and results):
// pg_get_userbyid, pg_table_is_visible, pg_type_is_visible, pg_function_is_visible,
// format_type, pg_get_expr, pg_get_indexdef, pg_get_constraintdef, the description functions
// (engine/catalog/descriptions.cc), pg_encoding_to_char, pg_relation_size, pg_table_size,
// pg_indexes_size, pg_total_relation_size, pg_size_pretty, current_setting,
// has_table_privilege, pg_relation_is_publishable,
// pg_get_statisticsobjdef_columns,
// pg_get_function_result / pg_get_function_arguments. They read the statement's SystemSource
// (engine/catalog/system_source.h); outside a statement that has one they fail with 0A000.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/catalog/builtin_types.h"
#include "engine/catalog/reg_types.h"
#include "engine/catalog/system_relation.h"
#include "engine/functions/builtin.h"
#include "engine/index_expressions.h"
#include "engine/search_path.h"
#include "engine/type_shorthands.h"
#include "engine/types/interval_typmod.h"
#include "storage/btree.h"

namespace sqlrite::engine::catalog {
namespace {

using functions::Builtin;
using functions::CallArgs;
using functions::Fn;
using functions::SetFn;

using type_shorthands::kBool;
using type_shorthands::kI4;
using type_shorthands::kI8;
using type_shorthands::kName;
using type_shorthands::kNumeric;
using type_shorthands::kOid;
using type_shorthands::kRegclass;
using type_shorthands::kText;

constexpr uint32_t kPageBytes = 4096;

uint32_t OidArg(const CallArgs& a, size_t i) {
  return static_cast<uint32_t>(std::get<int64_t>(a.values[i]));
}
const std::string& TextArg(const CallArgs& a, size_t i) {
  return std::get<std::string>(a.values[i]);
}
bool IsNullArg(const CallArgs& a, size_t i) { return IsNull(a.values[i]); }

Result<Datum> GetUserById(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("pg_get_userbyid"));
  const uint32_t oid = OidArg(a, 0);
  if (const RoleFacts* r = src->RoleByOid(oid)) return Datum(r->name);
  return Datum("unknown (OID=" + std::to_string(oid) + ")");
}

// current_user, session_user (and CURRENT_ROLE, USER): the session's role; no SET ROLE exists.
Result<Datum> SessionRole(const CallArgs&) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("current_user"));
  return Datum(src->user);
}

// current_database() and CURRENT_CATALOG.
Result<Datum> CurrentDatabase(const CallArgs&) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("current_database"));
  return Datum(src->database);
}

// current_schema(): the first schema of the search path that exists (NULL: none does).
Result<Datum> CurrentSchema(const CallArgs&) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("current_schema"));
  const std::vector<std::string> path = src->SearchPath();
  if (path.empty()) return Datum();
  return Datum(path.front());
}

// current_schemas(include_implicit): the search path's schemas that exist, in order, pg_catalog
// first when asked for the implicit ones unless the path lists it (pg_dump writes the result
// into its dump's search_path).
Result<Datum> CurrentSchemas(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("current_schemas"));
  std::vector<std::string> path = src->SearchPath();
  const bool listed = std::find(path.begin(), path.end(), "pg_catalog") != path.end();
  if (std::get<bool>(a.values[0]) && !listed) path.insert(path.begin(), "pg_catalog");
  std::string out = "{";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ',';
    // array_out's quoting: empty, or holding a blank, comma, brace, quote or backslash.
    const std::string& n = path[i];
    const bool quote =
        n.empty() || n.find_first_of(" ,{}\"\\") != std::string::npos || n == "NULL" || n == "null";
    if (!quote) {
      out += n;
      continue;
    }
    out += '"';
    for (char c : n) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return Datum(out + "}");
}

bool RelationExists(const SystemSource& src, uint32_t oid) {
  return FindSystemRelation(oid) != nullptr || FindTableByOid(*src.catalog, oid) != nullptr ||
         FindIndexByOid(*src.catalog, oid).table != nullptr;
}

Result<Datum> TableIsVisible(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("pg_table_is_visible"));
  // pg_catalog is implicitly first on the search path: a system relation hides a table of its
  // name; a table is visible when the path finds it by its bare name, an index when its schema
  // is on the path.
  const uint32_t oid = OidArg(a, 0);
  if (!RelationExists(*src, oid)) return Datum();
  if (const SystemRelation* rel = FindSystemRelation(oid)) {
    // information_schema is not on the search path.
    return Datum(rel->namespace_oid == kPgCatalogNamespace);
  }
  const std::vector<std::string> path = src->SearchPath();
  const TableDef* t = FindTableByOid(*src->catalog, oid);
  if (t != nullptr) {
    if (FindSystemRelation(t->name) != nullptr) return Datum(false);
    ast::TableName bare;
    bare.name = t->name;
    return Datum(FindRelation(*src->catalog, path, bare) == t);
  }
  const IndexRef ix = FindIndexByOid(*src->catalog, oid);
  return Datum(std::find(path.begin(), path.end(), ix.table->schema) != path.end());
}

Result<Datum> TypeIsVisible(const CallArgs& a) {
  if (FindBuiltinType(OidArg(a, 0)) != nullptr) return Datum(true);
  // An enum type: visible when its name needs no schema.
  bool visible = false;
  if (EnumTypeDisplayName(OidArg(a, 0), &visible)) return Datum(visible);
  return Datum();
}

Result<Datum> FunctionIsVisible(const CallArgs&) { return Datum(true); }

Result<Datum> FormatTypeFn(const CallArgs& a) {
  if (IsNullArg(a, 0)) return Datum();
  std::optional<int32_t> typmod;
  if (!IsNullArg(a, 1)) typmod = static_cast<int32_t>(std::get<int64_t>(a.values[1]));
  const uint32_t oid = OidArg(a, 0);
  // intervaltypmodout refuses a range of fields the grammar cannot write (an elog, so XX000).
  if ((oid == 1186 || oid == 1187) && typmod.has_value() && *typmod >= 0 &&
      !interval::IsValidRange(interval::TypmodRange(*typmod))) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%x", static_cast<unsigned>(*typmod));
    return Fail(sqlstate::kInternalError, "invalid INTERVAL typmod: 0x" + std::string(hex));
  }
  return Datum(FormatType(oid, typmod));
}

// Whether text is one parenthesised expression: its first '(' closes at its last character
// (quotes skipped).
bool WhollyParenthesised(std::string_view text) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i == text.size() - 1;
    }
  }
  return false;
}

// pg_get_expr(pg_node_tree, relation [, pretty]): the catalogs keep expressions as the SQL text
// it prints, so the text is the answer; pretty prints an index predicate of the relation again,
// else drops the parentheses ruleutils' non-pretty form puts around a whole operator expression.
Result<Datum> GetExpr(const CallArgs& a) {
  const bool pretty = a.values.size() > 2 && std::holds_alternative<bool>(a.values[2]) &&
                      std::get<bool>(a.values[2]);
  // An index predicate of the relation (pg_index.indpred's text): its own pretty text, which
  // drops the parentheses inside it too.
  const auto* text = std::get_if<std::string>(&a.values[0]);
  std::shared_ptr<const SystemSource> src = CurrentSystemSource();
  if (pretty && text != nullptr && src != nullptr && std::holds_alternative<int64_t>(a.values[1])) {
    if (const TableDef* table = FindTableByOid(*src->catalog, OidArg(a, 1))) {
      for (const IndexDef& ix : table->indexes) {
        if (ix.partial() && IndexPredicateText(*table, ix, false) == *text) {
          return Datum(IndexPredicateText(*table, ix, true));
        }
      }
    }
  }
  if (pretty) {
    if (text != nullptr && WhollyParenthesised(*text)) {
      return Datum(text->substr(1, text->size() - 2));
    }
  }
  return a.values[0];
}

Result<Datum> IndexDefFn(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("pg_get_indexdef"));
  IndexRef ix = FindIndexByOid(*src->catalog, OidArg(a, 0));
  if (ix.table == nullptr) return Datum();
  const int64_t column = a.values.size() > 1 ? std::get<int64_t>(a.values[1]) : 0;
  const bool pretty = a.values.size() > 2 && std::get<bool>(a.values[2]);
  if (column == 0) return Datum(IndexDefinition(*ix.table, ix.index, pretty));
  const IndexDef& def = ix.table->indexes[ix.index];
  const size_t n = def.columns.size() + def.include.size();
  if (column < 0 || static_cast<size_t>(column) > n) return Datum(std::string());
  const size_t k = static_cast<size_t>(column - 1);
  if (k < def.columns.size()) return Datum(IndexKeyText(*ix.table, def, k, pretty));
  const int c = def.include[k - def.columns.size()];
  return Datum(QuoteIdent(ix.table->columns[static_cast<size_t>(c)].name));
}

Result<Datum> ConstraintDefFn(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("pg_get_constraintdef"));
  const bool pretty = a.values.size() > 1 && std::holds_alternative<bool>(a.values[1]) &&
                      std::get<bool>(a.values[1]);
  std::optional<std::string> def = ConstraintDefinitionByOid(*src->catalog, OidArg(a, 0), pretty);
  return def ? Datum(std::move(*def)) : Datum();
}

// pg_partition_ancestors(regclass): a partition's ancestors, itself first. The engine has no
// partitioning, so no relation is a partition or has any (PostgreSQL gives no row then too).
class NoAncestors final : public functions::RowGenerator {
 public:
  Result<bool> Next(Datum&) override { return false; }
};
Result<std::unique_ptr<functions::RowGenerator>> PartitionAncestors(const CallArgs&) {
  return std::unique_ptr<functions::RowGenerator>(std::make_unique<NoAncestors>());
}

Result<Datum> QuoteIdentFn(const CallArgs& a) {
  return Datum(QuoteIdent(std::get<std::string>(a.values[0])));
}

Result<Datum> EncodingToChar(const CallArgs& a) {
  switch (std::get<int64_t>(a.values[0])) {
    case 0:
      return Datum(std::string("SQL_ASCII"));
    case 6:
      return Datum(std::string("UTF8"));
    default:
      return Datum(std::string());
  }
}

// The bytes of a relation's own tree (its heap: the table tree; an index: its tree), as
// pg_relation_size: pages of 4 KiB. A primary key kept in the table tree (rowid) has none.
Result<int64_t> TreeBytes(const SystemSource& src, storage::PageId root) {
  if (root == storage::kInvalidPage || src.pages == nullptr) return int64_t{0};
  std::vector<storage::PageId> pages;
  storage::BTree tree(*src.pages, root);
  SQLRITE_TRY(tree.Check(&pages));
  return static_cast<int64_t>(pages.size()) * kPageBytes;
}

enum class SizeOf : uint8_t { kRelation, kTable, kIndexes, kTotal };

template <SizeOf kWhat>
Result<Datum> RelationSize(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("pg_relation_size"));
  const uint32_t oid = OidArg(a, 0);
  if (const TableDef* t = FindTableByOid(*src->catalog, oid)) {
    int64_t heap = 0, indexes = 0;
    SQLRITE_ASSIGN_OR_RETURN(heap, TreeBytes(*src, t->root));
    if (kWhat == SizeOf::kIndexes || kWhat == SizeOf::kTotal) {
      for (const IndexDef& ix : t->indexes) {
        SQLRITE_ASSIGN_OR_RETURN(int64_t b, TreeBytes(*src, ix.root));
        indexes += b;
      }
    }
    switch (kWhat) {
      case SizeOf::kRelation:
      case SizeOf::kTable:
        return Datum(heap);
      case SizeOf::kIndexes:
        return Datum(indexes);
      case SizeOf::kTotal:
        return Datum(heap + indexes);
    }
  }
  IndexRef ix = FindIndexByOid(*src->catalog, oid);
  if (ix.table != nullptr) {
    if (kWhat == SizeOf::kIndexes) return Datum(int64_t{0});
    SQLRITE_ASSIGN_OR_RETURN(int64_t b, TreeBytes(*src, ix.table->indexes[ix.index].root));
    return Datum(b);
  }
  if (FindSystemRelation(oid) != nullptr) return Datum(int64_t{0});
  return Datum();
}

// pg_size_pretty(bigint), as PostgreSQL 15's: bytes below 10 kB, then kB, MB, GB, TB with the
// last unit's value rounded half away from zero.
Result<Datum> SizePretty(const CallArgs& a) {
  int64_t size = std::get<int64_t>(a.values[0]);
  constexpr int64_t kLimit = 10 * 1024, kLimit2 = kLimit * 2 - 1;
  auto half_rounded = [](int64_t x) { return (x + (x < 0 ? -1 : 1)) / 2; };
  auto abs = [](int64_t x) { return x < 0 ? -x : x; };
  if (abs(size) < kLimit) return Datum(std::to_string(size) + " bytes");
  size >>= 9;  // one extra bit for rounding
  for (const char* unit : {"kB", "MB", "GB"}) {
    if (abs(size) < kLimit2) return Datum(std::to_string(half_rounded(size)) + " " + unit);
    size >>= 10;
  }
  return Datum(std::to_string(half_rounded(size)) + " TB");
}

Result<Datum> CurrentSetting(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("current_setting"));
  std::string name = TextArg(a, 0);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = src->settings.find(name);
  if (it == src->settings.end()) {
    if (a.values.size() > 1 && std::get<bool>(a.values[1])) return Datum();  // missing_ok
    return Fail(sqlstate::kUndefinedObject,
                "unrecognized configuration parameter \"" + TextArg(a, 0) + "\"");
  }
  return Datum(it->second);
}

// has_table_privilege(user?, table, privilege): every role may do everything the engine offers
// (no GRANT yet), so true for an existing table and a known privilege.
Result<Datum> HasTablePrivilege(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("has_table_privilege"));
  const size_t n = a.values.size();
  const size_t table_arg = n - 2;
  if (n == 3 && a.types[0].id == TypeId::kText && src->RoleByName(TextArg(a, 0)) == nullptr) {
    return Fail(sqlstate::kUndefinedObject, "role \"" + TextArg(a, 0) + "\" does not exist");
  }
  if (a.types[table_arg].id == TypeId::kText) {
    SQLRITE_TRY(RegInput(TypeId::kRegclass, TextArg(a, table_arg)).map([](int64_t) {}));
  } else if (!RelationExists(*src, OidArg(a, table_arg))) {
    return Datum();
  }
  std::string privileges = TextArg(a, n - 1);
  for (char& c : privileges) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t start = 0;
  while (start <= privileges.size()) {
    size_t end = privileges.find(',', start);
    if (end == std::string::npos) end = privileges.size();
    std::string p = privileges.substr(start, end - start);
    while (!p.empty() && p.front() == ' ') p.erase(p.begin());
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (p.ends_with(" with grant option")) p.resize(p.size() - 18);
    static constexpr std::string_view kKnown[] = {"select",   "insert",     "update", "delete",
                                                  "truncate", "references", "trigger"};
    bool known = false;
    for (std::string_view k : kKnown) known |= p == k;
    if (!known) {
      return Fail(
          sqlstate::kInvalidParameterValue,
          "unrecognized privilege type: \"" + TextArg(a, n - 1).substr(start, end - start) + "\"");
    }
    start = end + 1;
  }
  return Datum(true);
}

// has_schema_privilege(user?, schema, privilege): as has_table_privilege, every role may do
// everything (no GRANT): true for an existing schema and USAGE or CREATE (3F000 for a schema
// name that exists nowhere; NULL for an oid that is no schema, as PostgreSQL).
Result<Datum> HasSchemaPrivilege(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("has_schema_privilege"));
  const size_t n = a.values.size();
  const size_t schema_arg = n - 2;
  if (n == 3 && a.types[0].id != TypeId::kOid && src->RoleByName(TextArg(a, 0)) == nullptr) {
    return Fail(sqlstate::kUndefinedObject, "role \"" + TextArg(a, 0) + "\" does not exist");
  }
  bool exists = false;
  const std::vector<NamespaceFact> namespaces = AllNamespaces(*src);
  if (a.types[schema_arg].id == TypeId::kOid) {
    const uint32_t oid = OidArg(a, schema_arg);
    for (const NamespaceFact& ns : namespaces) exists |= ns.oid == oid;
  } else {
    const std::string name = TextArg(a, schema_arg);
    for (const NamespaceFact& ns : namespaces) exists |= ns.name == name;
    if (!exists) {
      return Fail(sqlstate::kInvalidSchemaName, "schema \"" + name + "\" does not exist");
    }
  }
  const std::string list = TextArg(a, n - 1);
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string p = list.substr(start, end - start);
    while (!p.empty() && std::isspace(static_cast<unsigned char>(p.front()))) p.erase(p.begin());
    while (!p.empty() && std::isspace(static_cast<unsigned char>(p.back()))) p.pop_back();
    for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (p.ends_with(" with grant option")) p.resize(p.size() - 18);
    if (p != "usage" && p != "create") {
      return Fail(sqlstate::kInvalidParameterValue,
                  "unrecognized privilege type: \"" + list.substr(start, end - start) + "\"");
    }
    start = end + 1;
  }
  return exists ? Datum(true) : Datum();
}

Result<Datum> False(const CallArgs&) { return Datum(false); }
Result<Datum> NullText(const CallArgs&) { return Datum(); }

Result<Datum> FunctionResult(const CallArgs&) { return Datum(); }

Builtin NonStrict(Builtin b) {
  b.strict = false;
  return b;
}
using functions::Stable;

}  // namespace
}  // namespace sqlrite::engine::catalog

namespace sqlrite::engine::functions {

void AddCatalogFunctions(std::vector<Builtin>& out) {
  using namespace catalog;  // NOLINT(google-build-using-namespace): the family's own names
  out.push_back(Stable(Fn("pg_get_userbyid", {kOid}, kName, GetUserById)));
  out.push_back(Stable(Fn("current_database", {}, kName, CurrentDatabase)));
  out.push_back(Stable(Fn("current_schema", {}, kName, CurrentSchema)));
  out.push_back(Stable(Fn("current_schemas", {TypeId::kBool}, TypeId::kNameArray, CurrentSchemas)));
  // The SQL value functions' names (engine/sql/transform_expression.cc), so that each result
  // column is named as PostgreSQL names it.
  out.push_back(Stable(Fn("current_catalog", {}, kName, CurrentDatabase)));
  for (const char* name : {"current_user", "session_user", "current_role", "user"}) {
    out.push_back(Stable(Fn(name, {}, kName, SessionRole)));
  }
  out.push_back(Stable(Fn("pg_table_is_visible", {kOid}, kBool, TableIsVisible)));
  out.push_back(Fn("pg_type_is_visible", {kOid}, kBool, TypeIsVisible));
  out.push_back(Fn("pg_function_is_visible", {kOid}, kBool, FunctionIsVisible));
  out.push_back(NonStrict(Fn("format_type", {kOid, kI4}, kText, FormatTypeFn)));
  out.push_back(Fn("pg_get_expr", {kText, kOid}, kText, GetExpr));
  out.push_back(Fn("pg_get_expr", {kText, kOid, kBool}, kText, GetExpr));
  out.push_back(Stable(Fn("pg_get_indexdef", {kOid}, kText, IndexDefFn)));
  out.push_back(Stable(Fn("pg_get_indexdef", {kOid, kI4, kBool}, kText, IndexDefFn)));
  out.push_back(Stable(Fn("pg_get_constraintdef", {kOid}, kText, ConstraintDefFn)));
  out.push_back(Stable(Fn("pg_get_constraintdef", {kOid, kBool}, kText, ConstraintDefFn)));
  // obj_description, col_description, shobj_description (engine/catalog/descriptions.cc),
  // here so that the registry's order (pg_proc's oids) is unchanged.
  AddDescriptionFunctions(out);
  out.push_back(Fn("pg_encoding_to_char", {kI4}, kName, EncodingToChar));
  out.push_back(Fn("quote_ident", {kText}, kText, QuoteIdentFn));
  out.push_back(SetFn("pg_partition_ancestors", {kRegclass}, kRegclass, PartitionAncestors));
  // pg_trigger has no row: every trigger oid is unknown, for which PostgreSQL gives NULL.
  out.push_back(Fn("pg_get_triggerdef", {kOid}, kText, NullText));
  out.push_back(Fn("pg_get_triggerdef", {kOid, kBool}, kText, NullText));
  out.push_back(Stable(Fn("pg_relation_size", {kRegclass}, kI8, RelationSize<SizeOf::kRelation>)));
  out.push_back(Stable(Fn("pg_table_size", {kRegclass}, kI8, RelationSize<SizeOf::kTable>)));
  out.push_back(Stable(Fn("pg_indexes_size", {kRegclass}, kI8, RelationSize<SizeOf::kIndexes>)));
  out.push_back(
      Stable(Fn("pg_total_relation_size", {kRegclass}, kI8, RelationSize<SizeOf::kTotal>)));
  out.push_back(Fn("pg_size_pretty", {kI8}, kText, SizePretty));
  out.push_back(Stable(Fn("current_setting", {kText}, kText, CurrentSetting)));
  out.push_back(Stable(Fn("current_setting", {kText, kBool}, kText, CurrentSetting)));
  out.push_back(Stable(Fn("has_table_privilege", {kText, kText}, kBool, HasTablePrivilege)));
  out.push_back(Stable(Fn("has_table_privilege", {kOid, kText}, kBool, HasTablePrivilege)));
  out.push_back(Stable(Fn("has_table_privilege", {kText, kText, kText}, kBool, HasTablePrivilege)));
  out.push_back(Stable(Fn("has_table_privilege", {kName, kOid, kText}, kBool, HasTablePrivilege)));
  out.push_back(Stable(Fn("has_schema_privilege", {kText, kText}, kBool, HasSchemaPrivilege)));
  out.push_back(Stable(Fn("has_schema_privilege", {kOid, kText}, kBool, HasSchemaPrivilege)));
  out.push_back(
      Stable(Fn("has_schema_privilege", {kName, kText, kText}, kBool, HasSchemaPrivilege)));
  out.push_back(
      Stable(Fn("has_schema_privilege", {kName, kOid, kText}, kBool, HasSchemaPrivilege)));
  out.push_back(Fn("pg_relation_is_publishable", {kRegclass}, kBool, False));
  out.push_back(Fn("pg_get_statisticsobjdef_columns", {kOid}, kText, NullText));
  out.push_back(Fn("pg_get_function_result", {kOid}, kText, FunctionResult));
  out.push_back(Fn("pg_get_function_arguments", {kOid}, kText, FunctionResult));
  static_cast<void>(kNumeric);
}

}  // namespace sqlrite::engine::functions
