// The descriptions COMMENT ON stores (engine/executor_comment.cc): pg_description's rows, derived
// like every catalog row from the Catalog (each object holds its own comment), with the
// comments PostgreSQL's initdb gives the built-in schemas; pg_shdescription (the databases'
// comments, from the cluster's directory: COMMENT ON DATABASE keeps them in the global file's
// database list, engine/cluster.cc); and the functions psql and tools read them through:
// obj_description(oid, catalog), obj_description(oid), col_description(oid, attnum),
// shobj_description(oid, catalog).

#include <string>
#include <vector>

#include "engine/catalog/system_relation.h"
#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::catalog {
namespace {

using type_shorthands::kI4;
using type_shorthands::kName;
using type_shorthands::kOid;
using type_shorthands::kText;

// The classoid of each kind of object (the oid of the catalog holding its row).
constexpr uint32_t kPgClass = 1259;
constexpr uint32_t kPgType = 1247;
constexpr uint32_t kPgNamespace = 2615;
constexpr uint32_t kPgConstraint = 2606;
constexpr uint32_t kPgDatabase = 1262;

struct Description {
  uint32_t objoid = 0;
  uint32_t classoid = 0;
  int32_t objsubid = 0;
  std::string text;
};

// Appends one (filled in place: GCC 12 misreads a braced temporary's string move as out of
// bounds).
void Add(std::vector<Description>& out, uint32_t objoid, uint32_t classoid, int32_t objsubid,
         std::string text) {
  Description& d = out.emplace_back();
  d.objoid = objoid;
  d.classoid = classoid;
  d.objsubid = objsubid;
  d.text = std::move(text);
}

// Every description of the database, in no particular order (as PostgreSQL's heap).
std::vector<Description> Descriptions(const SystemSource& src) {
  std::vector<Description> out;
  // initdb's comments on the built-in schemas (public's can be changed or removed).
  Add(out, kPgCatalogNamespace, kPgNamespace, 0, "system catalog schema");
  Add(out, 99, kPgNamespace, 0, "reserved schema for TOAST tables");
  if (std::string text = src.catalog->SchemaComment(kPublicSchema);
      src.catalog->BuiltinPublic() && !text.empty()) {
    Add(out, kPublicNamespace, kPgNamespace, 0, std::move(text));
  }
  for (const auto& [name, schema] : src.catalog->schemas()) {
    if (!schema.comment.empty()) Add(out, schema.oid, kPgNamespace, 0, schema.comment);
  }
  for (const auto& [key, t] : src.catalog->types()) {
    if (!t->comment.empty()) Add(out, t->oid, kPgType, 0, t->comment);
  }
  for (const auto& [key, t] : src.catalog->tables()) {
    if (!t.comment.empty()) Add(out, t.oid, kPgClass, 0, t.comment);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (t.columns[c].comment.empty()) continue;
      Add(out, t.oid, kPgClass, static_cast<int32_t>(c + 1), t.columns[c].comment);
    }
    for (size_t i = 0; i < t.indexes.size(); ++i) {
      const IndexDef& ix = t.indexes[i];
      if (!ix.comment.empty()) Add(out, IndexOid(t, i), kPgClass, 0, ix.comment);
      if (ix.constraint && !ix.constraint_comment.empty()) {
        Add(out, ConstraintOid(t, i), kPgConstraint, 0, ix.constraint_comment);
      }
    }
    for (size_t i = 0; i < t.checks.size(); ++i) {
      if (t.checks[i].comment.empty()) continue;
      Add(out, CheckConstraintOid(t, i), kPgConstraint, 0, t.checks[i].comment);
    }
    for (size_t i = 0; i < t.foreign_keys.size(); ++i) {
      if (t.foreign_keys[i].comment.empty()) continue;
      Add(out, ForeignKeyOid(t, i), kPgConstraint, 0, t.foreign_keys[i].comment);
    }
  }
  return out;
}

Result<SystemRows> DescriptionRows(const SystemSource& src) {
  SystemRows rows;
  for (Description& d : Descriptions(src)) {
    rows.push_back({Datum(int64_t{d.objoid}), Datum(int64_t{d.classoid}),
                    Datum(int64_t{d.objsubid}), Datum(std::move(d.text))});
  }
  return rows;
}

// pg_shdescription: the databases' comments (no role has one: COMMENT ON ROLE is 0A000).
Result<SystemRows> SharedDescriptionRows(const SystemSource& src) {
  SystemRows rows;
  for (const DatabaseFacts& d : src.cluster->databases) {
    if (d.comment.empty()) continue;
    rows.push_back({Datum(int64_t{d.oid}), Datum(int64_t{kPgDatabase}), Datum(d.comment)});
  }
  return rows;
}

// ---- the functions ----------------------------------------------------------------------------

using functions::Builtin;
using functions::CallArgs;
using functions::Fn;

uint32_t OidArg(const CallArgs& a, size_t i) {
  return static_cast<uint32_t>(std::get<int64_t>(a.values[i]));
}

// The description of (objoid, objsubid) in the catalog of oid classoid (0: any catalog, as the
// one-argument obj_description); NULL when none.
Datum Find(const SystemSource& src, uint32_t objoid, uint32_t classoid, int64_t objsubid) {
  for (Description& d : Descriptions(src)) {
    if (d.objoid == objoid && (classoid == 0 || d.classoid == classoid) && d.objsubid == objsubid) {
      return Datum(std::move(d.text));
    }
  }
  return Datum();
}

// obj_description(oid, catalog): the catalog by its name in pg_catalog (PostgreSQL's SQL body
// looks it up in pg_class); an unknown name finds nothing.
Result<Datum> ObjDescription(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("obj_description"));
  uint32_t classoid = 0;
  if (a.values.size() > 1) {
    const SystemRelation* rel = FindSystemRelation(std::get<std::string>(a.values[1]));
    if (rel == nullptr) return Datum();
    classoid = rel->oid;
  }
  return Find(*src, OidArg(a, 0), classoid, 0);
}

Result<Datum> ColDescription(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("col_description"));
  return Find(*src, OidArg(a, 0), kPgClass, std::get<int64_t>(a.values[1]));
}

// shobj_description(oid, catalog): a database's comment for 'pg_database'; NULL otherwise (an
// unknown catalog name, a role, no comment), as PostgreSQL's SQL body over pg_shdescription.
Result<Datum> ShobjDescription(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("shobj_description"));
  const SystemRelation* rel = FindSystemRelation(std::get<std::string>(a.values[1]));
  if (rel == nullptr || rel->oid != kPgDatabase) return Datum();
  for (const DatabaseFacts& d : src->cluster->databases) {
    if (d.oid == OidArg(a, 0) && !d.comment.empty()) return Datum(d.comment);
  }
  return Datum();
}

using functions::Stable;

}  // namespace

void AddDescriptionRelations(std::vector<SystemRelation>& out) {
  out.push_back({"pg_description",
                 2609,
                 'r',
                 {{"objoid", kOid}, {"classoid", kOid}, {"objsubid", kI4}, {"description", kText}},
                 DescriptionRows});
  out.push_back({"pg_shdescription",
                 2396,
                 'r',
                 {{"objoid", kOid}, {"classoid", kOid}, {"description", kText}},
                 SharedDescriptionRows});
}

}  // namespace sqlrite::engine::catalog

namespace sqlrite::engine::functions {

void AddDescriptionFunctions(std::vector<Builtin>& out) {
  using namespace catalog;  // NOLINT(google-build-using-namespace): the family's own names
  out.push_back(Stable(Fn("obj_description", {kOid, kName}, kText, ObjDescription)));
  out.push_back(Stable(Fn("obj_description", {kOid}, kText, ObjDescription)));
  out.push_back(Stable(Fn("col_description", {kOid, kI4}, kText, ColDescription)));
  out.push_back(Stable(Fn("shobj_description", {kOid, kName}, kText, ShobjDescription)));
}

}  // namespace sqlrite::engine::functions
