#include "engine/catalog/reg_types.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

#include "engine/catalog/builtin_types.h"
#include "engine/catalog/system_relation.h"
#include "engine/functions/builtin.h"
#include "engine/search_path.h"

namespace sqlrite::engine::catalog {
namespace {

constexpr uint32_t kProcBase = kProcOidBase;  // as pg_proc's rows (builtin_relations.cc)

// The type input functions pg_type.typinput names (TypeInputFunction), with PostgreSQL's oids:
// not functions of the registry, but regproc reads and prints them (pgjdbc compares typinput
// with 'pg_catalog.array_in'::regproc to find the array types).
struct IoFunction {
  uint32_t oid;
  std::string_view name;
};
constexpr IoFunction kIoFunctions[] = {
    {750, "array_in"}, {40, "int2vectorin"}, {54, "oidvectorin"}, {3504, "enum_in"}};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A possibly qualified name as PostgreSQL's stringToQualifiedNameList reads it: parts split on
// dots, unquoted parts lower-cased, quoted ones kept ("" is a quote). Empty: bad syntax.
std::vector<std::string> SplitName(std::string_view s) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (true) {
    std::string part;
    if (i < s.size() && s[i] == '"') {
      ++i;
      while (true) {
        if (i >= s.size()) return {};
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            part += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        part += s[i++];
      }
    } else {
      while (i < s.size() && s[i] != '.') {
        part += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
        ++i;
      }
      if (part.empty()) return {};
    }
    parts.push_back(std::move(part));
    if (i == s.size()) break;
    if (s[i] != '.') return {};
    ++i;
  }
  return parts;
}

std::optional<int64_t> AsNumber(std::string_view s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s.front()))) return std::nullopt;
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v > UINT32_MAX) return std::nullopt;
  return v;
}

const char* TypeNameOf(TypeId type) {
  switch (type) {
    case TypeId::kRegclass:
      return "regclass";
    case TypeId::kRegproc:
      return "regproc";
    case TypeId::kRegnamespace:
      return "regnamespace";
    case TypeId::kRegrole:
      return "regrole";
    default:
      return "regtype";
  }
}

Result<int64_t> ClassByName(const SystemSource& src, std::string_view text) {
  std::vector<std::string> parts = SplitName(text);
  if (parts.empty() || parts.size() > 3) {
    return Fail(sqlstate::kInvalidName, "invalid name syntax");
  }
  const std::string& name = parts.back();
  const std::string schema = parts.size() >= 2 ? parts[parts.size() - 2] : "";
  if (const SystemRelation* rel = ResolveSystemRelation(schema, name)) return int64_t{rel->oid};
  if (!schema.empty() && !src.catalog->SchemaExists(schema)) {
    return Fail(sqlstate::kInvalidSchemaName, "schema \"" + schema + "\" does not exist");
  }
  // A table, sequence or view through the search path, else an index of the same schemas.
  const std::vector<std::string> path = src.SearchPath();
  ast::TableName relation;
  relation.schema = schema;
  relation.name = name;
  if (const TableDef* t = FindRelation(*src.catalog, path, relation)) return int64_t{t->oid};
  const std::vector<std::string> schemas = schema.empty() ? path : std::vector<std::string>{schema};
  for (const std::string& in : schemas) {
    for (const auto& [tname, table] : src.catalog->tables()) {
      if (table.schema != in) continue;
      for (size_t i = 0; i < table.indexes.size(); ++i) {
        if (table.indexes[i].name == name) return int64_t{IndexOid(table, i)};
      }
    }
  }
  std::string shown;
  for (size_t i = 0; i < parts.size(); ++i) shown += (i > 0 ? "." : "") + parts[i];
  return Fail(sqlstate::kUndefinedTable, "relation \"" + shown + "\" does not exist");
}

}  // namespace

Result<int64_t> RegInput(TypeId type, std::string_view text) {
  std::string_view s = Trim(text);
  if (s == "-") return int64_t{0};
  if (std::optional<int64_t> n = AsNumber(s)) return *n;
  std::shared_ptr<const SystemSource> src = CurrentSystemSource();
  if (src == nullptr) {
    return Fail(sqlstate::kFeatureNotSupported,
                std::string(TypeNameOf(type)) + " input is not supported in this statement");
  }
  switch (type) {
    case TypeId::kRegclass:
      return ClassByName(*src, s);
    case TypeId::kRegnamespace: {
      std::vector<std::string> parts = SplitName(s);
      if (parts.size() != 1) return Fail(sqlstate::kInvalidName, "invalid name syntax");
      if (parts[0] == "pg_catalog") return int64_t{kPgCatalogNamespace};
      if (parts[0] == "information_schema") return int64_t{kInformationSchemaNamespace};
      if (uint32_t oid = src->catalog->SchemaOid(parts[0]); oid != 0) return int64_t{oid};
      // PostgreSQL's regnamespacein: get_namespace_oid's 3F000.
      return Fail(sqlstate::kInvalidSchemaName, "schema \"" + parts[0] + "\" does not exist");
    }
    case TypeId::kRegrole: {
      std::vector<std::string> parts = SplitName(s);
      if (parts.size() != 1) return Fail(sqlstate::kInvalidName, "invalid name syntax");
      if (const RoleFacts* r = src->RoleByName(parts[0])) return int64_t{r->oid};
      return Fail(sqlstate::kUndefinedObject, "role \"" + parts[0] + "\" does not exist");
    }
    case TypeId::kRegproc: {
      std::vector<std::string> parts = SplitName(s);
      if (parts.empty() || parts.size() > 2 || (parts.size() == 2 && parts[0] != "pg_catalog")) {
        return Fail(sqlstate::kUndefinedFunction,
                    "function \"" + std::string(s) + "\" does not exist");
      }
      for (const IoFunction& f : kIoFunctions) {
        if (f.name == parts.back()) return int64_t{f.oid};
      }
      const auto& all = functions::AllBuiltins();
      int found = -1, count = 0;
      for (size_t i = 0; i < all.size(); ++i) {
        if (all[i].name == parts.back()) {
          if (found < 0) found = static_cast<int>(i);
          ++count;
        }
      }
      if (count > 1) {
        return Fail(sqlstate::kAmbiguousFunction,
                    "more than one function named \"" + parts.back() + "\"");
      }
      if (found < 0) {
        return Fail(sqlstate::kUndefinedFunction,
                    "function \"" + parts.back() + "\" does not exist");
      }
      return int64_t{kProcBase + static_cast<uint32_t>(found)};
    }
    default:
      return Fail(sqlstate::kFeatureNotSupported,
                  std::string(TypeNameOf(type)) + " input is not supported");
  }
}

std::optional<std::string> EnumTypeDisplayName(uint32_t oid, bool* visible) {
  std::shared_ptr<const SystemSource> src = CurrentSystemSource();
  if (src == nullptr) return std::nullopt;
  bool array = false;
  EnumTypePtr t = src->catalog->FindEnum(oid);
  if (t == nullptr && oid > 0) {
    t = src->catalog->FindEnum(oid - 1);
    array = t != nullptr;
  }
  if (t == nullptr) return std::nullopt;
  const std::vector<std::string> path = src->SearchPath();
  std::string name = QuoteIdent(t->name);
  // Qualified unless the path finds this very type by its name first.
  EnumTypePtr found;
  for (const std::string& schema : path) {
    if ((found = src->catalog->FindType(schema, t->name)) != nullptr) break;
  }
  const bool shown_bare = found != nullptr && found->oid == t->oid;
  if (visible != nullptr) *visible = shown_bare;
  if (!shown_bare) name = QuoteIdent(t->schema) + "." + name;
  return array ? name + "[]" : name;
}

std::string RegOutput(TypeId type, int64_t oid) {
  if (oid == 0) return "-";
  const auto id = static_cast<uint32_t>(oid);
  if (type == TypeId::kRegtype) {
    if (FindBuiltinType(id) != nullptr) return FormatType(id, std::nullopt);
    if (std::optional<std::string> name = EnumTypeDisplayName(id)) return *name;
    return std::to_string(oid);
  }
  if (type == TypeId::kRegnamespace) {
    if (id == kPgCatalogNamespace) return "pg_catalog";
    if (id == kInformationSchemaNamespace) return "information_schema";
    if (std::shared_ptr<const SystemSource> src = CurrentSystemSource()) {
      // 2200 is public's, or the schema the built-in public was renamed to.
      if (std::string name = src->SchemaName(id); !name.empty()) return QuoteIdent(name);
    } else if (id == kPublicNamespace) {
      return "public";
    }
    return std::to_string(oid);
  }
  if (type == TypeId::kRegproc) {
    for (const IoFunction& f : kIoFunctions) {
      if (f.oid == id) return std::string(f.name);
    }
    const auto& all = functions::AllBuiltins();
    if (id >= kProcBase && id - kProcBase < all.size()) {
      return std::string(all[id - kProcBase].name);
    }
    return std::to_string(oid);
  }
  std::shared_ptr<const SystemSource> src = CurrentSystemSource();
  if (type == TypeId::kRegrole) {
    if (src != nullptr) {
      if (const RoleFacts* r = src->RoleByOid(id)) return QuoteIdent(r->name);
    }
    return std::to_string(oid);
  }
  if (const SystemRelation* rel = FindSystemRelation(id)) {
    // Off the search path, so qualified, as regclassout prints it.
    if (rel->namespace_oid == kInformationSchemaNamespace) {
      return "information_schema." + std::string(rel->name);
    }
    return std::string(rel->name);
  }
  if (src != nullptr) {
    // Qualified only when the search path does not find it by its bare name.
    const std::vector<std::string> path = src->SearchPath();
    if (const TableDef* t = FindTableByOid(*src->catalog, id)) {
      return VisibleName(*src->catalog, path, *t);
    }
    IndexRef ix = FindIndexByOid(*src->catalog, id);
    if (ix.table != nullptr) {
      const std::string name = QuoteIdent(ix.table->indexes[ix.index].name);
      const bool visible = std::find(path.begin(), path.end(), ix.table->schema) != path.end();
      return visible ? name : QuoteIdent(ix.table->schema) + "." + name;
    }
  }
  return std::to_string(oid);
}

}  // namespace sqlrite::engine::catalog
