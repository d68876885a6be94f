#pragma once
// ClusterDirectory: the cluster-wide facts the catalogs show beside a database's own catalog
// (the roles of pg_authid, the databases of pg_database), published by the Cluster whenever the
// global file's roles or database list commit a change, and read from any thread. It is a copy
// of the global file's trees only in the sense that a ReadView is: an immutable value replaced
// as a whole after each commit, never edited in step with them.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sqlrite::engine::catalog {

// A role as pg_authid shows it. Roles have no stored oid: the bootstrap superuser is 10 (as
// PostgreSQL's BOOTSTRAP_SUPERUSERID) and the others are numbered from 16384 in name order.
struct RoleFacts {
  uint32_t oid = 0;
  std::string name;
  bool superuser = false;
  bool login = true;
};

struct DatabaseFacts {
  uint32_t oid = 0;
  std::string name;
  std::string comment;  // COMMENT ON DATABASE's (pg_shdescription); empty: none
};

// PostgreSQL 15's predefined role that owns the public schema (NOLOGIN, no members).
inline constexpr uint32_t kDatabaseOwnerRoleOid = 6171;
inline constexpr const char* kDatabaseOwnerRole = "pg_database_owner";

struct DirectoryFacts {
  // The stored roles by name, then pg_database_owner.
  std::vector<RoleFacts> roles;
  std::vector<DatabaseFacts> databases;  // by name
  // The directory holding the database files (<data>/base), for pg_database_size; empty when
  // the database was opened without a cluster (tests).
  std::string base_dir;
};

class ClusterDirectory {
 public:
  std::shared_ptr<const DirectoryFacts> Get() const {
    std::lock_guard lock(mu_);
    return facts_;
  }
  void Set(std::shared_ptr<const DirectoryFacts> facts) {
    std::lock_guard lock(mu_);
    facts_ = std::move(facts);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const DirectoryFacts> facts_ = std::make_shared<DirectoryFacts>();
};

}  // namespace sqlrite::engine::catalog
