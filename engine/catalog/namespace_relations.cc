// The relations that describe a database's own objects: pg_namespace (and pg_init_privs, the
// built-in schemas' initial privileges), pg_class, pg_attribute,
// pg_index, pg_constraint, pg_attrdef, pg_sequence, and the views over them psql and tools read
// (pg_tables, pg_indexes, pg_sequences). Every row is computed from the Catalog (and the system
// relations' own definitions) when the scan opens.
//
// Narrow answers, where the engine has no such type: int2vector and oidvector columns (indkey,
// indclass, ...) and int2[] ones (conkey) are text in PostgreSQL's output form ("1 2", "{1,2}");
// pg_node_tree columns (adbin, indexprs) are text holding the SQL pg_get_expr prints; reloptions
// (text[]) and attoptions / attfdwoptions are text[], always NULL (no storage parameters, no
// foreign tables); the aclitem[] columns (relacl, attacl) are text, NULL (no GRANT: the owner's
// default privileges), and so are the xid ones (relfrozenxid, relminmxid) and attmissingval;
// nspacl is text, initdb's values.

#include <algorithm>
#include <optional>
#include <string>

#include "engine/catalog/builtin_types.h"
#include "engine/catalog/rule_deparse.h"
#include "engine/catalog/system_relation.h"
#include "engine/index_expressions.h"
#include "engine/index_order.h"
#include "engine/numeric_rank.h"
#include "engine/row_value.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::catalog {
namespace {

using type_shorthands::kBool;
using type_shorthands::kChar;
using type_shorthands::kF4;
using type_shorthands::kI2;
using type_shorthands::kI4;
using type_shorthands::kI8;
using type_shorthands::kName;
using type_shorthands::kOid;
using type_shorthands::kRegclass;
using type_shorthands::kRegtype;
using type_shorthands::kText;

using row_shorthands::B;
using row_shorthands::C;
using row_shorthands::I;
using row_shorthands::Null;
using row_shorthands::O;
using row_shorthands::S;

// A pg_class row's source: a stored table or sequence, one of its indexes, or a system relation.
struct RelationRef {
  const TableDef* table = nullptr;
  int index = -1;  // >= 0: table->indexes[index]
  const SystemRelation* system = nullptr;
};

template <typename F>
void ForEachRelation(const SystemSource& src, F f) {
  for (const SystemRelation& rel : SystemRelations()) f(RelationRef{nullptr, -1, &rel});
  for (const auto& [name, table] : src.catalog->tables()) {
    f(RelationRef{&table, -1, nullptr});
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      f(RelationRef{&table, static_cast<int>(i), nullptr});
    }
  }
}

// The type oid a column of type t has in pg_attribute.
uint32_t ColumnTypeOid(SqlType t) { return TypeOid(t); }

uint32_t CollationOf(uint32_t type_oid) {
  const BuiltinType* t = FindBuiltinType(type_oid);
  return t != nullptr ? t->collation : 0;
}

// An index's key columns as int2vector text ("1 2"; 0 for an expression).
std::string IndexKeyText(const IndexDef& ix) {
  std::string out;
  for (int c : ix.columns) {
    if (!out.empty()) out += ' ';
    out += std::to_string(c + 1);
  }
  for (int c : ix.include) {
    if (!out.empty()) out += ' ';
    out += std::to_string(c + 1);
  }
  return out;
}

// ---- pg_namespace -----------------------------------------------------------------------------

// nspacl as initdb leaves it (text in aclitem[]'s output form, for psql's \dn+): public's
// owner may use and create, everyone use; pg_catalog and information_schema the same for the
// bootstrap superuser; a created schema the default (NULL: its owner's privileges only).
Datum NamespaceAcl(const SystemSource& src, const NamespaceFact& n) {
  if (n.oid == kPublicNamespace) {
    return S("{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}");
  }
  if (n.oid == kPgCatalogNamespace || n.oid == kInformationSchemaNamespace) {
    const RoleFacts* superuser = src.RoleByOid(kBootstrapSuperuserOid);
    const std::string name = superuser != nullptr ? superuser->name : "postgres";
    return S("{" + name + "=UC/" + name + ",=U/" + name + "}");
  }
  return Null();
}

Result<SystemRows> NamespaceRows(const SystemSource& src) {
  SystemRows rows;
  for (const NamespaceFact& n : AllNamespaces(src)) {
    rows.push_back({O(n.oid), S(std::string(n.name)), O(n.owner), NamespaceAcl(src, n)});
  }
  return rows;
}

// pg_init_privs: the privileges initdb gave the built-in objects that have any, which is what
// pg_dump compares an object's ACL with (an unchanged one is not dumped): here the schemas
// pg_catalog and public, as their nspacl shows them.
Result<SystemRows> InitPrivsRows(const SystemSource& src) {
  SystemRows rows;
  for (const NamespaceFact& n : AllNamespaces(src)) {
    if (n.oid != kPgCatalogNamespace && n.oid != kPublicNamespace) continue;
    rows.push_back({O(n.oid), O(2615), I(0), C('i'), NamespaceAcl(src, n)});
  }
  return rows;
}

// ---- pg_class ---------------------------------------------------------------------------------

Result<SystemRows> ClassRows(const SystemSource& src) {
  SystemRows rows;
  ForEachRelation(src, [&](const RelationRef& r) {
    uint32_t oid = 0, ns = kPublicNamespace, am = 0;
    std::string name;
    char kind = 'r', replident = 'd';
    int natts = 0, checks = 0;
    bool hasindex = false, hastriggers = false;
    bool hasrules = false;  // a view's ON SELECT rule (pg_rewrite's "_RETURN")
    // Statistics as PostgreSQL 15 has them before any VACUUM or ANALYZE: a table never
    // vacuumed -1 tuples in 0 pages, a btree index built on an empty table 0 tuples in its
    // metapage (pgjdbc's getIndexInfo reports them as CARDINALITY and PAGES).
    int64_t relpages = 0;
    double reltuples = -1.0;
    if (r.system != nullptr) {
      oid = r.system->oid;
      name = std::string(r.system->name);
      ns = r.system->namespace_oid;
      kind = r.system->kind;
      am = kind == 'r' ? kHeapAm : 0;
      replident = 'n';
      natts = static_cast<int>(r.system->columns.size());
    } else if (r.index >= 0) {
      const IndexDef& ix = r.table->indexes[static_cast<size_t>(r.index)];
      oid = IndexOid(*r.table, static_cast<size_t>(r.index));
      name = ix.name;
      ns = src.catalog->SchemaOid(r.table->schema);  // an index lives in its table's schema
      kind = 'i';
      am = kBtreeAm;
      relpages = 1;
      reltuples = 0.0;
      replident = 'n';
      natts = static_cast<int>(ix.columns.size() + ix.include.size());
    } else {
      oid = r.table->oid;
      name = r.table->name;
      ns = src.catalog->SchemaOid(r.table->schema);
      kind = static_cast<char>(r.table->kind);
      am = r.table->is_sequence() ? 0 : kHeapAm;
      replident = r.table->is_sequence() ? 'n' : 'd';
      natts = static_cast<int>(r.table->columns.size());
      hasindex = !r.table->indexes.empty();
      checks = static_cast<int>(r.table->checks.size());
      hasrules = r.table->is_view();
      // PostgreSQL's foreign keys are triggers on both tables (internal ones, which psql
      // reads relhastriggers for but does not list).
      hastriggers = !r.table->foreign_keys.empty();
      for (const auto& [other_name, other] : src.catalog->tables()) {
        for (const ForeignKey& fk : other.foreign_keys) {
          hastriggers |= fk.ref_table == RelationKey(*r.table);
        }
      }
    }
    rows.push_back({O(oid),
                    S(std::move(name)),
                    O(ns),
                    O(r.table != nullptr && r.index < 0 ? row_value::RowTypeOid(oid) : 0),
                    O(0),
                    O(kBootstrapSuperuserOid),
                    O(am),
                    O(r.system != nullptr ? 0 : oid),
                    O(0),
                    I(relpages),
                    Datum(reltuples),
                    I(0),
                    O(0),
                    B(hasindex),
                    B(false),
                    C('p'),
                    C(kind),
                    I(natts),
                    I(checks),
                    B(hasrules),
                    B(hastriggers),
                    B(false),
                    B(false),
                    B(false),
                    B(true),
                    C(replident),
                    B(false),
                    O(0),
                    Null(),
                    Null(),
                    Null(),
                    Null(),
                    Null()});
  });
  return rows;
}

// ---- pg_attribute -----------------------------------------------------------------------------

// collation: a column's COLLATE ("C", "POSIX"; empty: its type's).
SystemRow AttributeRow(uint32_t relid, const std::string& name, uint32_t type_oid, int32_t typmod,
                       int attnum, bool notnull, bool hasdef, char identity, char generated = 0,
                       std::string_view collation = {}) {
  const BuiltinType* t = FindBuiltinType(type_oid);
  const int16_t len = t != nullptr ? t->len : -1;
  return {O(relid),
          S(name),
          O(type_oid),
          I(-1),
          I(len),
          I(attnum),
          I(0),
          I(-1),
          I(typmod),
          B(t != nullptr && t->byval),
          C(t != nullptr ? t->align : 'i'),
          C(t != nullptr ? t->storage : 'x'),
          C(0),
          B(notnull),
          B(hasdef),
          B(false),
          C(identity),
          C(generated),
          B(false),
          B(true),
          I(0),
          O(collation == "C"           ? kCCollation
            : collation == "POSIX"     ? kPosixCollation
            : collation == "ucs_basic" ? kUcsBasicCollation
            : collation == "C.utf8"    ? kCUtf8Collation
                                       : CollationOf(type_oid)),
          Null(),
          Null(),
          Null(),
          Null()};
}

Result<SystemRows> AttributeRows(const SystemSource& src) {
  SystemRows rows;
  ForEachRelation(src, [&](const RelationRef& r) {
    if (r.system != nullptr) {
      int n = 0;
      for (const SystemColumn& c : r.system->columns) {
        // A view's columns are never NOT NULL in PostgreSQL's pg_attribute.
        rows.push_back(AttributeRow(r.system->oid, std::string(c.name),
                                    TypeOid(SqlType{c.type, -1, c.elem}), -1, ++n,
                                    r.system->kind == 'r', false, 0));
      }
    } else if (r.index >= 0) {
      const IndexDef& ix = r.table->indexes[static_cast<size_t>(r.index)];
      const uint32_t relid = IndexOid(*r.table, static_cast<size_t>(r.index));
      int n = 0;
      const std::vector<std::string> names = IndexColumnNames(*r.table, ix);
      auto add = [&](int c) {
        const ColumnDef& col = r.table->columns[static_cast<size_t>(c)];
        rows.push_back(AttributeRow(relid, names[static_cast<size_t>(n)], ColumnTypeOid(col.type),
                                    col.type.typmod, n + 1, false, false, 0));
        ++n;
      };
      for (size_t k = 0; k < ix.columns.size(); ++k) {
        if (ix.columns[k] != kIndexExpression) {
          add(ix.columns[k]);
          continue;
        }
        const SqlType t = engine::IndexKeyType(*r.table, ix, k);
        rows.push_back(AttributeRow(relid, names[static_cast<size_t>(n)], ColumnTypeOid(t),
                                    t.typmod, n + 1, false, false, 0));
        ++n;
      }
      for (int c : ix.include) add(c);
    } else {
      int n = 0;
      for (const ColumnDef& col : r.table->columns) {
        // An identity column's nextval is not a default in PostgreSQL's catalogs; a generation
        // expression is one.
        const bool hasdef = (col.has_default && col.identity == 0) || col.generated != 0;
        rows.push_back(AttributeRow(r.table->oid, col.name, ColumnTypeOid(col.type),
                                    col.type.typmod, ++n, col.not_null, hasdef, col.identity,
                                    col.generated, col.collation));
        if (col.type.id == TypeId::kEnum) {
          // An enum is pg_type's 4-byte, by-value, int-aligned, plain-storage type (pg_dump
          // writes SET STORAGE for a column whose attstorage differs from its typstorage).
          SystemRow& row = rows.back();
          row[4] = I(4);
          row[9] = B(true);
          row[10] = C('i');
          row[11] = C('p');
        }
      }
    }
  });
  return rows;
}

// ---- pg_attrdef -------------------------------------------------------------------------------

Result<SystemRows> AttrdefRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, table] : src.catalog->tables()) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const ColumnDef& col = table.columns[c];
      if ((!col.has_default || col.identity != 0) && col.generated == 0) continue;
      const int attnum = static_cast<int>(c) + 1;
      rows.push_back(
          {O(AttrdefOid(table, attnum)), O(table.oid), I(attnum), S(DefaultExprText(col))});
    }
  }
  return rows;
}

// ---- pg_index ---------------------------------------------------------------------------------

// indexprs: the expression keys as pg_get_expr prints them, comma-separated; NULL for none.
Datum IndexExpressionsText(const TableDef& table, const IndexDef& ix) {
  if (!ix.has_expressions()) return Null();
  std::string out;
  for (size_t k = 0; k < ix.columns.size(); ++k) {
    if (ix.columns[k] != kIndexExpression) continue;
    if (!out.empty()) out += ", ";
    // pg_get_expr's text of the expression (without the parentheses pg_get_indexdef adds).
    std::optional<std::string> text = engine::IndexExpressionText(table, ix, k, /*pretty=*/false);
    out += text ? *text : "(" + ix.expressions[k] + ")";
  }
  return S(out);
}

Result<SystemRows> IndexRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, table] : src.catalog->tables()) {
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      const IndexDef& ix = table.indexes[i];
      std::string options, classes, collations;
      for (size_t k = 0; k < ix.columns.size(); ++k) {
        if (k > 0) {
          options += ' ';
          classes += ' ';
          collations += ' ';
        }
        options += std::to_string(k < ix.options.size() ? DeclaredOptions(ix.options[k]) : 0);
        const SqlType t = engine::IndexKeyType(table, ix, k);
        classes += std::to_string(OperatorClassOid(TypeOid(t.id)));
        collations += std::to_string(CollationOf(TypeOid(t.id)));
      }
      rows.push_back({O(IndexOid(table, i)),
                      O(table.oid),
                      I(static_cast<int64_t>(ix.columns.size() + ix.include.size())),
                      I(static_cast<int64_t>(ix.columns.size())),
                      B(ix.unique),
                      B(ix.nulls_not_distinct),
                      B(ix.primary),
                      B(false),
                      B(!ix.deferrable),  // indimmediate
                      B(ix.clustered),
                      B(true),
                      B(false),
                      B(true),
                      B(true),
                      B(false),
                      S(IndexKeyText(ix)),
                      S(collations),
                      S(classes),
                      S(options),
                      IndexExpressionsText(table, ix),
                      ix.partial() ? S(IndexPredicateText(table, ix, false)) : Null()});
    }
  }
  return rows;
}

// ---- pg_constraint ----------------------------------------------------------------------------

// An int2[] column's output form of 0-based column positions: "{1,3}".
std::string KeyText(const std::vector<int>& columns) {
  std::string key = "{";
  for (size_t k = 0; k < columns.size(); ++k) {
    if (k > 0) key += ',';
    key += std::to_string(columns[k] + 1);
  }
  return key + "}";
}

Result<SystemRows> ConstraintRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, table] : src.catalog->tables()) {
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      const IndexDef& ix = table.indexes[i];
      if (!ix.constraint) continue;
      std::string key = "{";
      for (size_t k = 0; k < ix.columns.size(); ++k) {
        if (k > 0) key += ',';
        key += std::to_string(ix.columns[k] + 1);
      }
      key += '}';
      rows.push_back({O(ConstraintOid(table, i)),
                      S(ix.name),
                      O(src.catalog->SchemaOid(table.schema)),
                      C(ix.primary ? 'p' : 'u'),
                      B(ix.deferrable),
                      B(ix.initially_deferred),
                      B(true),
                      O(table.oid),
                      O(0),
                      O(IndexOid(table, i)),
                      O(0),
                      O(0),
                      C(' '),
                      C(' '),
                      C(' '),
                      B(true),
                      I(0),
                      B(true),
                      S(std::move(key)),
                      Null(),
                      Null()});
    }
    // convalidated: false for a check or foreign key added NOT VALID and not validated since.
    const std::vector<std::string>& not_valid = table.not_valid;
    auto validated = [&not_valid](const std::string& constraint) {
      return B(std::find(not_valid.begin(), not_valid.end(), constraint) == not_valid.end());
    };
    for (size_t i = 0; i < table.checks.size(); ++i) {
      rows.push_back({O(CheckConstraintOid(table, i)), S(table.checks[i].name),
                      O(src.catalog->SchemaOid(table.schema)), C('c'), B(false), B(false),
                      validated(table.checks[i].name), O(table.oid), O(0), O(0), O(0), O(0), C(' '),
                      C(' '), C(' '), B(true), I(0), B(false),
                      // A check that reads no column has no conkey, as in PostgreSQL.
                      CheckColumns(table.checks[i]).empty()
                          ? Null()
                          : S(KeyText(CheckColumns(table.checks[i]))),
                      Null(), S(table.checks[i].sql)});
    }
    for (size_t i = 0; i < table.foreign_keys.size(); ++i) {
      const ForeignKey& fk = table.foreign_keys[i];
      const TableDef* ref = src.catalog->Find(fk.ref_table);
      uint32_t index_oid = 0;  // the referenced key's unique index
      if (ref != nullptr) {
        if (const int k = ReferencedKeyIndex(*ref, fk); k >= 0) {
          index_oid = IndexOid(*ref, static_cast<size_t>(k));
        }
      }
      rows.push_back({O(ForeignKeyOid(table, i)),
                      S(fk.name),
                      O(src.catalog->SchemaOid(table.schema)),
                      C('f'),
                      B(fk.deferrable),
                      B(fk.initially_deferred),
                      validated(fk.name),
                      O(table.oid),
                      O(0),
                      O(index_oid),
                      O(0),
                      O(ref != nullptr ? ref->oid : 0),
                      C(static_cast<char>(fk.on_update)),
                      C(static_cast<char>(fk.on_delete)),
                      C(fk.match),
                      B(true),
                      I(0),
                      B(true),
                      S(KeyText(fk.columns)),
                      S(KeyText(fk.ref_columns)),
                      Null()});
    }
  }
  return rows;
}

// ---- pg_sequence and pg_sequences -------------------------------------------------------------

Result<SystemRows> SequenceRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!table.is_sequence()) continue;
    const SequenceDef& q = table.sequence;
    rows.push_back({O(table.oid), O(TypeOid(q.type)), I(q.start), I(q.increment), I(q.max_value),
                    I(q.min_value), I(q.cache), B(q.cycle)});
  }
  return rows;
}

Result<SystemRows> SequencesViewRows(const SystemSource& src) {
  SystemRows rows;
  const RoleFacts* owner = src.RoleByOid(kBootstrapSuperuserOid);
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!table.is_sequence()) continue;
    const SequenceDef& q = table.sequence;
    // last_value needs the sequence's row; pg_sequences shows NULL before the first nextval,
    // which a catalog-only view cannot tell apart: the column is left NULL (documented).
    rows.push_back({S(table.schema), S(table.name), owner ? S(owner->name) : Null(),
                    Datum(int64_t{TypeOid(q.type)}), I(q.start), I(q.min_value), I(q.max_value),
                    I(q.increment), B(q.cycle), I(q.cache), Null()});
  }
  return rows;
}

// ---- pg_tables and pg_indexes -----------------------------------------------------------------

Result<SystemRows> TablesViewRows(const SystemSource& src) {
  SystemRows rows;
  const RoleFacts* owner = src.RoleByOid(kBootstrapSuperuserOid);
  for (const SystemRelation& rel : SystemRelations()) {
    if (rel.kind != 'r') continue;
    rows.push_back({S("pg_catalog"), S(std::string(rel.name)), owner ? S(owner->name) : Null(),
                    Null(), B(true), B(false), B(false), B(false)});
  }
  for (const auto& [name, table] : src.catalog->tables()) {
    if (table.is_sequence()) continue;
    rows.push_back({S(table.schema), S(table.name), owner ? S(owner->name) : Null(), Null(),
                    B(!table.indexes.empty()), B(false), B(false), B(false)});
  }
  return rows;
}

// pg_views: the views of pg_catalog (their definition NULL: they are computed, not queries) and
// every stored view with pg_get_viewdef(oid)'s text.
Result<SystemRows> ViewsViewRows(const SystemSource& src) {
  SystemRows rows;
  const RoleFacts* owner = src.RoleByOid(kBootstrapSuperuserOid);
  for (const SystemRelation& rel : SystemRelations()) {
    if (rel.kind != 'v') continue;
    rows.push_back(
        {S("pg_catalog"), S(std::string(rel.name)), owner ? S(owner->name) : Null(), Null()});
  }
  const std::vector<std::string> path = src.SearchPath();
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!table.is_view()) continue;
    std::optional<std::string> text = RuleViewText(table, *src.catalog, path, false);
    rows.push_back({S(table.schema), S(table.name), owner ? S(owner->name) : Null(),
                    Datum(text ? *text : table.view_sql)});
  }
  return rows;
}

Result<SystemRows> IndexesViewRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, table] : src.catalog->tables()) {
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      rows.push_back({S(table.schema), S(table.name), S(table.indexes[i].name), Null(),
                      S(IndexDefinition(table, i, false))});
    }
  }
  return rows;
}

}  // namespace

const std::vector<NamespaceFact>& Namespaces() {
  // PostgreSQL 15's: public is owned by pg_database_owner (6171), the others by the superuser.
  // pg_toast holds nothing here (no TOAST tables) but exists, as information_schema.schemata and
  // \dnS show.
  static const std::vector<NamespaceFact> all = {
      {99, "pg_toast", kBootstrapSuperuserOid},
      {kPgCatalogNamespace, "pg_catalog", kBootstrapSuperuserOid},
      {kPublicNamespace, "public", 6171},
      {kInformationSchemaNamespace, "information_schema", kBootstrapSuperuserOid}};
  return all;
}

std::vector<NamespaceFact> AllNamespaces(const SystemSource& src) {
  std::vector<NamespaceFact> all;
  for (const NamespaceFact& n : Namespaces()) {
    // DROP SCHEMA public and ALTER SCHEMA public RENAME TO take the built-in one away (a schema
    // public renamed to keeps its oid and is among the created ones below).
    if (n.oid != kPublicNamespace || src.catalog->BuiltinPublic()) all.push_back(n);
  }
  for (const auto& [name, schema] : src.catalog->schemas()) {
    const RoleFacts* owner = src.RoleByName(schema.owner);
    all.push_back({schema.oid, name, owner != nullptr ? owner->oid : kBootstrapSuperuserOid});
  }
  return all;
}

void AddNamespaceRelations(std::vector<SystemRelation>& out) {
  out.push_back({"pg_namespace",
                 2615,
                 'r',
                 {{"oid", kOid}, {"nspname", kName}, {"nspowner", kOid}, {"nspacl", kText}},
                 NamespaceRows});
  out.push_back({"pg_init_privs",
                 3394,
                 'r',
                 {{"objoid", kOid},
                  {"classoid", kOid},
                  {"objsubid", kI4},
                  {"privtype", kChar},
                  {"initprivs", kText}},
                 InitPrivsRows});
  out.push_back({"pg_class",
                 1259,
                 'r',
                 {{"oid", kOid},
                  {"relname", kName},
                  {"relnamespace", kOid},
                  {"reltype", kOid},
                  {"reloftype", kOid},
                  {"relowner", kOid},
                  {"relam", kOid},
                  {"relfilenode", kOid},
                  {"reltablespace", kOid},
                  {"relpages", kI4},
                  {"reltuples", kF4},
                  {"relallvisible", kI4},
                  {"reltoastrelid", kOid},
                  {"relhasindex", kBool},
                  {"relisshared", kBool},
                  {"relpersistence", kChar},
                  {"relkind", kChar},
                  {"relnatts", kI2},
                  {"relchecks", kI2},
                  {"relhasrules", kBool},
                  {"relhastriggers", kBool},
                  {"relhassubclass", kBool},
                  {"relrowsecurity", kBool},
                  {"relforcerowsecurity", kBool},
                  {"relispopulated", kBool},
                  {"relreplident", kChar},
                  {"relispartition", kBool},
                  {"relrewrite", kOid},
                  {"relfrozenxid", kText},
                  {"relminmxid", kText},
                  {"relacl", kText},
                  {"reloptions", TypeId::kArray, {}, -1, kText},
                  {"relpartbound", kText}},
                 ClassRows});
  out.push_back({"pg_attribute",
                 1249,
                 'r',
                 {{"attrelid", kOid},
                  {"attname", kName},
                  {"atttypid", kOid},
                  {"attstattarget", kI4},
                  {"attlen", kI2},
                  {"attnum", kI2},
                  {"attndims", kI4},
                  {"attcacheoff", kI4},
                  {"atttypmod", kI4},
                  {"attbyval", kBool},
                  {"attalign", kChar},
                  {"attstorage", kChar},
                  {"attcompression", kChar},
                  {"attnotnull", kBool},
                  {"atthasdef", kBool},
                  {"atthasmissing", kBool},
                  {"attidentity", kChar},
                  {"attgenerated", kChar},
                  {"attisdropped", kBool},
                  {"attislocal", kBool},
                  {"attinhcount", kI4},
                  {"attcollation", kOid},
                  {"attacl", kText},
                  {"attoptions", TypeId::kArray, {}, -1, kText},
                  {"attfdwoptions", TypeId::kArray, {}, -1, kText},
                  {"attmissingval", kText}},
                 AttributeRows});
  out.push_back({"pg_attrdef",
                 2604,
                 'r',
                 {{"oid", kOid}, {"adrelid", kOid}, {"adnum", kI2}, {"adbin", kText}},
                 AttrdefRows});
  out.push_back({"pg_index",
                 2610,
                 'r',
                 {{"indexrelid", kOid},
                  {"indrelid", kOid},
                  {"indnatts", kI2},
                  {"indnkeyatts", kI2},
                  {"indisunique", kBool},
                  {"indnullsnotdistinct", kBool},
                  {"indisprimary", kBool},
                  {"indisexclusion", kBool},
                  {"indimmediate", kBool},
                  {"indisclustered", kBool},
                  {"indisvalid", kBool},
                  {"indcheckxmin", kBool},
                  {"indisready", kBool},
                  {"indislive", kBool},
                  {"indisreplident", kBool},
                  {"indkey", TypeId::kInt2Vector},
                  {"indcollation", kText},
                  {"indclass", kText},
                  {"indoption", TypeId::kInt2Vector},
                  {"indexprs", kText},
                  {"indpred", kText}},
                 IndexRows});
  out.push_back({"pg_constraint",
                 2606,
                 'r',
                 {{"oid", kOid},
                  {"conname", kName},
                  {"connamespace", kOid},
                  {"contype", kChar},
                  {"condeferrable", kBool},
                  {"condeferred", kBool},
                  {"convalidated", kBool},
                  {"conrelid", kOid},
                  {"contypid", kOid},
                  {"conindid", kOid},
                  {"conparentid", kOid},
                  {"confrelid", kOid},
                  {"confupdtype", kChar},
                  {"confdeltype", kChar},
                  {"confmatchtype", kChar},
                  {"conislocal", kBool},
                  {"coninhcount", kI4},
                  {"connoinherit", kBool},
                  {"conkey", TypeId::kInt2Array},
                  {"confkey", TypeId::kInt2Array},
                  {"conbin", kText}},
                 ConstraintRows});
  out.push_back({"pg_sequence",
                 2224,
                 'r',
                 {{"seqrelid", kOid},
                  {"seqtypid", kOid},
                  {"seqstart", kI8},
                  {"seqincrement", kI8},
                  {"seqmax", kI8},
                  {"seqmin", kI8},
                  {"seqcache", kI8},
                  {"seqcycle", kBool}},
                 SequenceRows});
  // The views' oids are PostgreSQL 15's as initdb assigns them in a default build.
  out.push_back({"pg_tables",
                 12004,
                 'v',
                 {{"schemaname", kName},
                  {"tablename", kName},
                  {"tableowner", kName},
                  {"tablespace", kName},
                  {"hasindexes", kBool},
                  {"hasrules", kBool},
                  {"hastriggers", kBool},
                  {"rowsecurity", kBool}},
                 TablesViewRows});
  out.push_back(
      {"pg_views",
       12028,
       'v',
       {{"schemaname", kName}, {"viewname", kName}, {"viewowner", kName}, {"definition", kText}},
       ViewsViewRows});
  out.push_back({"pg_indexes",
                 12012,
                 'v',
                 {{"schemaname", kName},
                  {"tablename", kName},
                  {"indexname", kName},
                  {"tablespace", kName},
                  {"indexdef", kText}},
                 IndexesViewRows});
  out.push_back({"pg_sequences",
                 12016,
                 'v',
                 {{"schemaname", kName},
                  {"sequencename", kName},
                  {"sequenceowner", kName},
                  {"data_type", kRegtype},
                  {"start_value", kI8},
                  {"min_value", kI8},
                  {"max_value", kI8},
                  {"increment_by", kI8},
                  {"cycle", kBool},
                  {"cache_size", kI8},
                  {"last_value", kI8}},
                 SequencesViewRows});
  static_cast<void>(kRegclass);
}

}  // namespace sqlrite::engine::catalog
