#include "engine/catalog/system_relation.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "engine/expression.h"

namespace sqlrite::engine::catalog {
namespace {

std::vector<SystemRelation> BuildRegistry() {
  std::vector<SystemRelation> all;
  AddNamespaceRelations(all);
  AddBuiltinRelations(all);
  AddClusterRelations(all);
  AddEmptyRelations(all);
  AddDependRelation(all);
  AddDescriptionRelations(all);
  AddInformationSchemaRelations(all);
  AddInformationSchemaConstraints(all);
  AddStatRelations(all);
  std::sort(all.begin(), all.end(),
            [](const SystemRelation& a, const SystemRelation& b) { return a.oid < b.oid; });
  return all;
}

}  // namespace

const std::vector<SystemRelation>& SystemRelations() {
  static const std::vector<SystemRelation> registry = BuildRegistry();
  return registry;
}

namespace {

// Every table a statement names is looked up here first (a system relation wins over pg_catalog
// on the search path): a hash of the registry, not a scan of its ~150 entries (3.3k
// instructions per pgbench read-write transaction).
const SystemRelation* FindIn(uint32_t namespace_oid, std::string_view name) {
  struct Key {
    uint32_t namespace_oid;
    std::string_view name;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<std::string_view>()(k.name) ^ (size_t{k.namespace_oid} * 0x9e3779b97f4a7c15);
    }
  };
  // Built after the registry it points into, so destroyed before it.
  static const std::unordered_map<Key, const SystemRelation*, KeyHash> kByName = [] {
    std::unordered_map<Key, const SystemRelation*, KeyHash> index;
    for (const SystemRelation& r : SystemRelations())
      index.emplace(Key{r.namespace_oid, r.name}, &r);
    return index;
  }();
  auto it = kByName.find(Key{namespace_oid, name});
  return it == kByName.end() ? nullptr : it->second;
}

}  // namespace

const SystemRelation* FindSystemRelation(std::string_view name) {
  return FindIn(kPgCatalogNamespace, name);
}

const SystemRelation* FindSystemRelation(uint32_t oid) {
  const std::vector<SystemRelation>& all = SystemRelations();  // sorted by oid
  auto it = std::lower_bound(all.begin(), all.end(), oid,
                             [](const SystemRelation& r, uint32_t o) { return r.oid < o; });
  return it != all.end() && it->oid == oid ? &*it : nullptr;
}

const SystemRelation* ResolveSystemRelation(std::string_view schema, std::string_view name) {
  if (schema == "information_schema") return FindIn(kInformationSchemaNamespace, name);
  if (!schema.empty() && schema != "pg_catalog") return nullptr;
  return FindSystemRelation(name);
}

std::shared_ptr<const TableDef> MakeSystemTable(const SystemRelation& rel,
                                                std::shared_ptr<const SystemSource> source) {
  auto def = std::make_shared<TableDef>();
  def->name = std::string(rel.name);
  def->oid = rel.oid;
  for (const SystemColumn& c : rel.columns) {
    ColumnDef col;
    col.name = std::string(c.name);
    col.type = SqlType{c.type, -1, c.elem};
    def->columns.push_back(std::move(col));
  }
  auto produce = rel.rows;
  def->system_rows = [produce, source = std::move(source)]() { return produce(*source); };
  return def;
}

Error SystemRelationWriteError(const SystemRelation& rel, const char* verb) {
  const std::string name(rel.name);
  if (verb == nullptr) {
    if (rel.kind == 'v') {
      return Error(sqlstate::kWrongObjectType, "\"" + name + "\" is not a table");
    }
    return Error(sqlstate::kInsufficientPrivilege,
                 "permission denied: \"" + name + "\" is a system catalog");
  }
  if (rel.kind == 'v' && std::string_view(verb) != "copy to") {
    // PostgreSQL's system views are not automatically updatable (they join or aggregate).
    const std::string v(verb);
    const char* action = v == "insert into" ? "INSERT" : v == "update" ? "UPDATE" : "DELETE";
    const char* gerund = v == "insert into" ? "inserting into"
                         : v == "update"    ? "updating"
                                            : "deleting from";
    // PostgreSQL's error_view_not_updatable: 55000, not 0A000.
    return Error(sqlstate::kObjectNotInPrerequisiteState, "cannot " + v + " view \"" + name + "\"")
        .WithDetail(
            "Views that do not select from a single table or view are not automatically "
            "updatable.")
        .WithHint(std::string("To enable ") + gerund + " the view, provide an INSTEAD OF " +
                  action + " trigger or an unconditional ON " + action + " DO INSTEAD rule.");
  }
  return Error(sqlstate::kInsufficientPrivilege, "permission denied for table " + name);
}

// Derived oids: kind bits in the top nibble, the table's oid and a position below.
constexpr uint32_t kLegacyIndexBase = 0x70000000u;
constexpr uint32_t kConstraintBase = 0x60000000u;
constexpr uint32_t kAttrdefBase = 0x50000000u;
constexpr uint32_t kCheckBase = 0x30000000u;
constexpr uint32_t kForeignKeyBase = 0x20000000u;
constexpr uint32_t kRewriteBase = 0x10000000u;  // plus the view's oid
constexpr uint32_t kPerTable = 64;              // positions per table in a derived range

uint32_t IndexOid(const TableDef& table, size_t index) {
  if (table.indexes[index].oid != 0) return table.indexes[index].oid;
  return kLegacyIndexBase + table.oid * kPerTable + static_cast<uint32_t>(index);
}

uint32_t ConstraintOid(const TableDef& table, size_t index) {
  return kConstraintBase + (IndexOid(table, index) & 0x0fffffffu);
}

uint32_t RewriteOid(const TableDef& view) { return kRewriteBase + view.oid; }

uint32_t CheckConstraintOid(const TableDef& table, size_t index) {
  return kCheckBase + table.oid * kPerTable + static_cast<uint32_t>(index);
}

uint32_t ForeignKeyOid(const TableDef& table, size_t index) {
  return kForeignKeyBase + table.oid * kPerTable + static_cast<uint32_t>(index);
}

uint32_t AttrdefOid(const TableDef& table, int attnum) {
  return kAttrdefBase + table.oid * 1600u + static_cast<uint32_t>(attnum);
}

uint32_t OperatorClassOid(uint32_t type_oid) {
  switch (type_oid) {
    case 16:
      return 424;  // bool_ops
    case 17:
      return 428;  // bytea_ops
    case 20:
      return 1980;  // int8_ops
    case 21:
      return 1976;  // int2_ops
    case 23:
      return 1978;  // int4_ops
    case 25:
    case 1043:
      return 3126;  // text_ops
    case 700:
      return 1970;  // float4_ops
    case 701:
      return 1971;  // float8_ops
    case 1042:
      return 426;  // bpchar_ops
    case 1082:
      return 3122;  // date_ops
    case 1083:
      return 1996;  // time_ops
    case 1114:
      return 3128;  // timestamp_ops
    case 1184:
      return 3127;  // timestamptz_ops
    case 1186:
      return 1982;  // interval_ops
    case 1700:
      return 3125;  // numeric_ops
    case 2950:
      return 2968;  // uuid_ops
    default:
      return 0;
  }
}

IndexRef FindIndexByOid(const Catalog& catalog, uint32_t oid) {
  for (const auto& [name, table] : catalog.tables()) {
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      if (IndexOid(table, i) == oid) return {&table, i};
    }
  }
  return {};
}

IndexRef FindConstraintByOid(const Catalog& catalog, uint32_t oid) {
  for (const auto& [name, table] : catalog.tables()) {
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      if (table.indexes[i].constraint && ConstraintOid(table, i) == oid) return {&table, i};
    }
  }
  return {};
}

std::optional<std::string> ConstraintDefinitionByOid(const Catalog& catalog, uint32_t oid,
                                                     bool pretty) {
  if (IndexRef ix = FindConstraintByOid(catalog, oid); ix.table != nullptr) {
    return ConstraintDefinition(*ix.table, ix.index);
  }
  for (const auto& [name, table] : catalog.tables()) {
    // As pg_get_constraintdef_worker: a constraint added NOT VALID and not validated says so.
    const std::vector<std::string>& not_valid_names = table.not_valid;
    auto validity = [&not_valid_names](const std::string& constraint) {
      const bool not_valid = std::find(not_valid_names.begin(), not_valid_names.end(),
                                       constraint) != not_valid_names.end();
      return std::string(not_valid ? " NOT VALID" : "");
    };
    for (size_t i = 0; i < table.checks.size(); ++i) {
      if (CheckConstraintOid(table, i) == oid) {
        return CheckDefinition(table, table.checks[i], pretty) + validity(table.checks[i].name);
      }
    }
    for (size_t i = 0; i < table.foreign_keys.size(); ++i) {
      if (ForeignKeyOid(table, i) == oid) {
        const ForeignKey& fk = table.foreign_keys[i];
        return ForeignKeyDefinition(table, fk, catalog.Find(fk.ref_table)) + validity(fk.name);
      }
    }
  }
  return std::nullopt;
}

namespace {

void CollectColumns(const BoundExpr& e, std::vector<int>& out) {
  if (e.kind == ExprKind::kColumn && std::find(out.begin(), out.end(), e.index) == out.end()) {
    out.push_back(e.index);
  }
  for (const BoundExpr& a : e.args) CollectColumns(a, out);
}

}  // namespace

std::vector<int> CheckColumns(const CheckConstraint& check) {
  std::vector<int> columns;
  if (check.bound != nullptr) CollectColumns(*check.bound, columns);
  return columns;
}

int ReferencedKeyIndex(const TableDef& ref, const ForeignKey& fk) {
  for (size_t k = 0; k < ref.indexes.size(); ++k) {
    const IndexDef& ix = ref.indexes[k];
    if (!ix.unique || ix.deferrable || ix.partial() || ix.has_expressions() ||
        ix.columns.size() != fk.ref_columns.size()) {
      continue;
    }
    if (std::is_permutation(ix.columns.begin(), ix.columns.end(), fk.ref_columns.begin())) {
      return static_cast<int>(k);
    }
  }
  return -1;
}

const TableDef* FindTableByOid(const Catalog& catalog, uint32_t oid) {
  for (const auto& [name, table] : catalog.tables()) {
    if (table.oid == oid) return &table;
  }
  return nullptr;
}

}  // namespace sqlrite::engine::catalog
