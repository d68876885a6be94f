// The functions about databases that psql's \l+ calls, as PostgreSQL 15's acl.c and dbsize.c:
// has_database_privilege([user,] database, privilege) and pg_database_size(database). The
// databases are the cluster's directory's (engine/catalog/cluster_directory.h).

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "engine/catalog/system_relation.h"
#include "engine/functions/builtin.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::catalog {
namespace {

using functions::Builtin;
using functions::CallArgs;
using functions::Fn;

using type_shorthands::kName;
using type_shorthands::kOid;
using type_shorthands::kText;

const DatabaseFacts* DatabaseByOid(const SystemSource& src, uint32_t oid) {
  for (const DatabaseFacts& d : src.cluster->databases) {
    if (d.oid == oid) return &d;
  }
  return nullptr;
}

// The database an argument names: by oid (nullptr when none: the functions' NULL), or by name
// (3D000 when none, as get_database_oid).
Result<const DatabaseFacts*> DatabaseArg(const SystemSource& src, const CallArgs& a, size_t i) {
  if (a.types[i].id != TypeId::kText && a.types[i].id != TypeId::kName) {
    return DatabaseByOid(src, static_cast<uint32_t>(std::get<int64_t>(a.values[i])));
  }
  const auto& name = std::get<std::string>(a.values[i]);
  for (const DatabaseFacts& d : src.cluster->databases) {
    if (d.name == name) return &d;
  }
  return Fail(sqlstate::kInvalidCatalogName, "database \"" + name + "\" does not exist");
}

// has_database_privilege: no GRANT on databases exists, so every role holds CREATE, CONNECT and
// TEMPORARY on every database (PostgreSQL's default ACL gives PUBLIC CONNECT and TEMPORARY, and
// the owner CREATE). A privilege list as convert_database_priv_string reads it.
Result<Datum> HasDatabasePrivilege(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("has_database_privilege"));
  const size_t n = a.values.size();
  if (n == 3 && a.types[0].id != TypeId::kOid) {
    const auto& role = std::get<std::string>(a.values[0]);
    if (src->RoleByName(role) == nullptr) {
      return Fail(sqlstate::kUndefinedObject, "role \"" + role + "\" does not exist");
    }
  }
  SQLRITE_ASSIGN_OR_RETURN(const DatabaseFacts* db, DatabaseArg(*src, a, n - 2));
  const auto& list = std::get<std::string>(a.values[n - 1]);
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string p = list.substr(start, end - start);
    while (!p.empty() && std::isspace(static_cast<unsigned char>(p.front()))) p.erase(p.begin());
    while (!p.empty() && std::isspace(static_cast<unsigned char>(p.back()))) p.pop_back();
    for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (p.ends_with(" with grant option")) p.resize(p.size() - 18);
    if (p != "create" && p != "connect" && p != "temporary" && p != "temp") {
      return Fail(sqlstate::kInvalidParameterValue,
                  "unrecognized privilege type: \"" + list.substr(start, end - start) + "\"");
    }
    start = end + 1;
  }
  if (db == nullptr) return Datum();
  return Datum(true);
}

// pg_database_size: the bytes of the database's file and its write-ahead log (PostgreSQL sums
// the files of its directory). A file that cannot be measured counts 0.
Result<Datum> DatabaseSize(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("pg_database_size"));
  SQLRITE_ASSIGN_OR_RETURN(const DatabaseFacts* db, DatabaseArg(*src, a, 0));
  if (db == nullptr) return Datum();
  if (src->cluster->base_dir.empty()) return Datum(int64_t{0});  // no cluster (tests)
  int64_t bytes = 0;
  const std::string path = src->cluster->base_dir + "/" + std::to_string(db->oid) + ".sqlrite";
  for (const std::string& file : {path, path + "-wal"}) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (!ec) bytes += static_cast<int64_t>(size);
  }
  return Datum(bytes);
}

// Reads the cluster's directory: never folded (a kept plan outlives the moment).
using functions::Stable;

}  // namespace
}  // namespace sqlrite::engine::catalog

namespace sqlrite::engine::functions {

void AddDatabaseFunctions(std::vector<Builtin>& out) {
  using namespace catalog;  // NOLINT(google-build-using-namespace): the family's own names
  out.push_back(
      Stable(Fn("has_database_privilege", {kText, kText}, TypeId::kBool, HasDatabasePrivilege)));
  out.push_back(
      Stable(Fn("has_database_privilege", {kOid, kText}, TypeId::kBool, HasDatabasePrivilege)));
  out.push_back(Stable(
      Fn("has_database_privilege", {kName, kText, kText}, TypeId::kBool, HasDatabasePrivilege)));
  out.push_back(Stable(
      Fn("has_database_privilege", {kName, kOid, kText}, TypeId::kBool, HasDatabasePrivilege)));
  out.push_back(Stable(Fn("pg_database_size", {kName}, TypeId::kInt8, DatabaseSize)));
  out.push_back(Stable(Fn("pg_database_size", {kOid}, TypeId::kInt8, DatabaseSize)));
}

}  // namespace sqlrite::engine::functions
