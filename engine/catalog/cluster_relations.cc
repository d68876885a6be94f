// The relations of the cluster and the session: pg_database, pg_authid and its views pg_roles
// and pg_user, pg_auth_members (no role membership yet: empty), pg_settings (the session's
// parameters). Roles and databases come from the cluster's directory
// (engine/catalog/cluster_directory.h); of PostgreSQL's predefined roles only pg_database_owner
// (public's owner) is shown.
//
// Narrow answers: datacl and rolconfig (aclitem[], text[]) are text, NULL (the default
// privileges; array_to_string reads a text array in its output form); rolvaliduntil is NULL (no
// VALID UNTIL); every database has the server's encoding (UTF8) and the C locale.

#include <string>

#include "engine/catalog/system_relation.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::catalog {
namespace {

using type_shorthands::kBool;
using type_shorthands::kChar;
using type_shorthands::kI4;
using type_shorthands::kName;
using type_shorthands::kOid;
using type_shorthands::kText;
using type_shorthands::kTimestampTz;

using row_shorthands::B;
using row_shorthands::I;
using row_shorthands::Null;
using row_shorthands::O;
using row_shorthands::S;

constexpr int64_t kUtf8Encoding = 6;  // pg_encoding_to_char(6) = 'UTF8'

Result<SystemRows> DatabaseRows(const SystemSource& src) {
  SystemRows rows;
  for (const DatabaseFacts& d : src.cluster->databases) {
    rows.push_back({O(d.oid), S(d.name), O(kBootstrapSuperuserOid), I(kUtf8Encoding), S("c"),
                    B(false), B(true), I(-1), Null(), Null(), O(1663), S("C"), S("C"), Null(),
                    Null(), Null()});
  }
  return rows;
}

// pg_tablespace: initdb's two tablespaces (every database is in pg_default, pg_database's
// dattablespace 1663; CREATE TABLESPACE is not supported), which psql's \l+ joins.
Result<SystemRows> TablespaceRows(const SystemSource&) {
  SystemRows rows;
  rows.push_back({O(1663), S("pg_default"), O(kBootstrapSuperuserOid), Null(), Null()});
  rows.push_back({O(1664), S("pg_global"), O(kBootstrapSuperuserOid), Null(), Null()});
  return rows;
}

// pg_authid's and pg_roles' common leading columns.
SystemRow RoleRow(const RoleFacts& r, bool with_password) {
  SystemRow row = {O(r.oid),       S(r.name),  B(r.superuser), B(true),        B(r.superuser),
                   B(r.superuser), B(r.login), B(r.superuser), B(r.superuser), I(-1)};
  if (with_password) row.push_back(Null());  // rolpassword: never shown (no md5 secrets)
  row.push_back(Null());                     // rolvaliduntil
  return row;
}

Result<SystemRows> AuthidRows(const SystemSource& src) {
  SystemRows rows;
  for (const RoleFacts& r : src.cluster->roles) rows.push_back(RoleRow(r, true));
  return rows;
}

Result<SystemRows> RolesRows(const SystemSource& src) {
  SystemRows rows;
  for (const RoleFacts& r : src.cluster->roles) {
    SystemRow row = {S(r.name),      B(r.superuser), B(true), B(r.superuser), B(r.superuser),
                     B(r.login),     B(r.superuser), I(-1),   S("********"),  Null(),
                     B(r.superuser), Null(),         O(r.oid)};
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<SystemRows> UserRows(const SystemSource& src) {
  SystemRows rows;
  for (const RoleFacts& r : src.cluster->roles) {
    if (!r.login) continue;
    rows.push_back({S(r.name), O(r.oid), B(r.superuser), B(r.superuser), B(r.superuser),
                    B(r.superuser), S("********"), Null(), Null()});
  }
  return rows;
}

std::string_view CanonicalName(std::string_view lower) {
  if (lower == "datestyle") return "DateStyle";
  if (lower == "intervalstyle") return "IntervalStyle";
  if (lower == "timezone") return "TimeZone";
  return lower;
}

Result<SystemRows> SettingsRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, value] : src.settings) {
    rows.push_back({S(CanonicalName(name)), S(value), Null(), S("Ungrouped"), Null(), Null(),
                    S("user"), S("string"), S("session"), S(value), S(value), B(false)});
  }
  return rows;
}

std::vector<SystemColumn> RoleColumns(bool authid) {
  std::vector<SystemColumn> c;
  if (authid) c.push_back({"oid", kOid});
  c.insert(c.end(), {{"rolname", kName},
                     {"rolsuper", kBool},
                     {"rolinherit", kBool},
                     {"rolcreaterole", kBool},
                     {"rolcreatedb", kBool},
                     {"rolcanlogin", kBool},
                     {"rolreplication", kBool},
                     {"rolbypassrls", kBool},
                     {"rolconnlimit", kI4}});
  if (authid) {
    c.push_back({"rolpassword", kText});
    c.push_back({"rolvaliduntil", kTimestampTz});
  }
  return c;
}

}  // namespace

void AddClusterRelations(std::vector<SystemRelation>& out) {
  out.push_back({"pg_database",
                 1262,
                 'r',
                 {{"oid", kOid},
                  {"datname", kName},
                  {"datdba", kOid},
                  {"encoding", kI4},
                  {"datlocprovider", kChar},
                  {"datistemplate", kBool},
                  {"datallowconn", kBool},
                  {"datconnlimit", kI4},
                  {"datfrozenxid", kText},
                  {"datminmxid", kText},
                  {"dattablespace", kOid},
                  {"datcollate", kText},
                  {"datctype", kText},
                  {"daticulocale", kText},
                  {"datcollversion", kText},
                  {"datacl", kText}},
                 DatabaseRows});
  out.push_back({"pg_tablespace",
                 1213,
                 'r',
                 {{"oid", kOid},
                  {"spcname", kName},
                  {"spcowner", kOid},
                  {"spcacl", kText},
                  {"spcoptions", TypeId::kArray, {}, -1, kText}},
                 TablespaceRows});
  out.push_back({"pg_authid", 1260, 'r', RoleColumns(true), AuthidRows});
  out.push_back({"pg_auth_members",
                 1261,
                 'r',
                 {{"roleid", kOid}, {"member", kOid}, {"grantor", kOid}, {"admin_option", kBool}},
                 NoRows});
  out.push_back({"pg_roles",
                 12001,
                 'v',
                 {{"rolname", kName},
                  {"rolsuper", kBool},
                  {"rolinherit", kBool},
                  {"rolcreaterole", kBool},
                  {"rolcreatedb", kBool},
                  {"rolcanlogin", kBool},
                  {"rolreplication", kBool},
                  {"rolconnlimit", kI4},
                  {"rolpassword", kText},
                  {"rolvaliduntil", kTimestampTz},
                  {"rolbypassrls", kBool},
                  {"rolconfig", kText},
                  {"oid", kOid}},
                 RolesRows});
  out.push_back({"pg_user",
                 12006,
                 'v',
                 {{"usename", kName},
                  {"usesysid", kOid},
                  {"usecreatedb", kBool},
                  {"usesuper", kBool},
                  {"userepl", kBool},
                  {"usebypassrls", kBool},
                  {"passwd", kText},
                  {"valuntil", kTimestampTz},
                  {"useconfig", kText}},
                 UserRows});
  out.push_back({"pg_settings",
                 12172,
                 'v',
                 {{"name", kText},
                  {"setting", kText},
                  {"unit", kText},
                  {"category", kText},
                  {"short_desc", kText},
                  {"extra_desc", kText},
                  {"context", kText},
                  {"vartype", kText},
                  {"source", kText},
                  {"boot_val", kText},
                  {"reset_val", kText},
                  {"pending_restart", kBool}},
                 SettingsRows});
}

}  // namespace sqlrite::engine::catalog
