#include "engine/search_path.h"

#include <algorithm>
#include <cctype>

#include "engine/catalog/system_relation.h"
#include "engine/session.h"

namespace sqlrite::engine {

Result<std::vector<std::string>> ParseSearchPath(std::string_view setting) {
  std::vector<std::string> out;
  size_t i = 0;
  auto space = [&] {
    while (i < setting.size() && std::isspace(static_cast<unsigned char>(setting[i]))) ++i;
  };
  auto invalid = [] { return Fail(sqlstate::kInvalidParameterValue, "List syntax is invalid."); };
  space();
  if (i == setting.size()) return out;  // an empty path
  while (true) {
    std::string name;
    if (i < setting.size() && setting[i] == '"') {
      ++i;
      bool closed = false;
      while (i < setting.size()) {
        if (setting[i] == '"') {
          if (i + 1 < setting.size() && setting[i + 1] == '"') {
            name.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        name.push_back(setting[i++]);
      }
      // An empty quoted name ("", what SET search_path = '' stores) is allowed, as in
      // PostgreSQL's SplitIdentifierString: no schema has it, so lookups pass over it.
      if (!closed) return invalid();
    } else {
      while (i < setting.size() && setting[i] != ',' &&
             !std::isspace(static_cast<unsigned char>(setting[i]))) {
        name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(setting[i++]))));
      }
      if (name.empty()) return invalid();
    }
    out.push_back(std::move(name));
    space();
    if (i == setting.size()) return out;
    if (setting[i] != ',') return invalid();
    ++i;
    space();
  }
}

std::vector<std::string> EffectiveSearchPath(const Catalog& catalog, std::string_view setting,
                                             std::string_view user) {
  std::vector<std::string> path;
  // Every statement naming a table asks (three or four times per pgbench transaction), almost
  // always with the same setting: the parse is remembered per thread, keyed by the setting's
  // text (a pure function of it, so no session's state leaks into another's).
  struct Parsed {
    std::string setting;
    bool valid = false;
    std::vector<std::string> names;
  };
  thread_local Parsed last;
  if (!last.valid || last.setting != setting) {
    // The setting was validated by SET; a path that does not parse finds nothing, as in
    // PostgreSQL (which refuses it at SET already).
    auto names = ParseSearchPath(setting);
    last.setting.assign(setting);
    last.valid = true;
    last.names = names ? std::move(*names) : std::vector<std::string>{};
  }
  path.reserve(last.names.size());
  for (const std::string& parsed : last.names) {
    std::string_view name = parsed == "$user" ? user : std::string_view(parsed);
    if (!catalog.SchemaExists(name)) continue;
    if (std::find(path.begin(), path.end(), name) != path.end()) continue;
    path.emplace_back(name);
  }
  return path;
}

std::vector<std::string> SessionSearchPath(const Catalog& catalog, const Session& session) {
  return EffectiveSearchPath(catalog, session.View("search_path"), session.user());
}

const TableDef* FindRelation(const Catalog& catalog, const std::vector<std::string>& path,
                             const ast::TableName& name) {
  if (!name.schema.empty()) {
    // The system schemas hold only their system relations, resolved before this.
    if (IsSystemSchema(name.schema)) return nullptr;
    return catalog.Find(RelationKey(name.schema, name.name));
  }
  for (const std::string& schema : path) {
    if (IsSystemSchema(schema)) continue;
    if (const TableDef* def = catalog.Find(RelationKey(schema, name.name))) return def;
  }
  return nullptr;
}

tl::unexpected<Error> UndefinedRelation(const Catalog& catalog, const ast::TableName& name) {
  const int position = name.location >= 0 ? name.location + 1 : 0;
  if (!name.schema.empty() && !catalog.SchemaExists(name.schema)) {
    return Fail(Error(sqlstate::kInvalidSchemaName, "schema \"" + name.schema + "\" does not exist")
                    .WithPosition(position));
  }
  // PostgreSQL names the relation as written: qualified when it was.
  const std::string shown = name.schema.empty() ? name.name : name.schema + "." + name.name;
  return Fail(Error(sqlstate::kUndefinedTable, "relation \"" + shown + "\" does not exist")
                  .WithPosition(position));
}

Result<std::string> CreationSchema(const Catalog& catalog, const std::vector<std::string>& path,
                                   const ast::TableName& name) {
  const int position = name.location >= 0 ? name.location + 1 : 0;
  std::string schema = name.schema;
  if (schema.empty()) {
    if (path.empty()) {
      return Fail(Error(sqlstate::kInvalidSchemaName, "no schema has been selected to create in")
                      .WithPosition(position));
    }
    schema = path.front();
  } else if (!catalog.SchemaExists(schema)) {
    return Fail(Error(sqlstate::kInvalidSchemaName, "schema \"" + schema + "\" does not exist")
                    .WithPosition(position));
  }
  if (IsSystemSchema(schema)) {
    return Fail(Error(sqlstate::kInsufficientPrivilege,
                      "permission denied to create \"" + schema + "." + name.name + "\"")
                    .WithDetail("System catalog modifications are currently disallowed."));
  }
  return schema;
}

std::string VisibleName(const Catalog& catalog, const std::vector<std::string>& path,
                        const TableDef& def) {
  ast::TableName bare;
  bare.name = def.name;
  if (FindRelation(catalog, path, bare) == &def) return catalog::QuoteIdent(def.name);
  return catalog::QuoteIdent(def.schema) + "." + catalog::QuoteIdent(def.name);
}

}  // namespace sqlrite::engine
