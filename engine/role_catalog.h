#pragma once
// Roles in the global file's roles tree (key: the role name; value: a RoleRecord) and the role
// DDL that changes them: CREATE ROLE / USER, ALTER ROLE / USER, DROP ROLE / USER, with
// PostgreSQL 15's checks and messages (src/backend/commands/user.c). The caller runs each
// statement in its own transaction of the global file (Cluster's InGlobal) and commits it.
//
// Record layout (value bytes):
//   ""                      an older data directory's bootstrap superuser: LOGIN SUPERUSER,
//                           no password (read as such, never written)
//   [0] = 1                 format version
//   [1] = flags             bit 0 LOGIN, bit 1 SUPERUSER, bit 2 a secret follows, bit 3 the
//                           bootstrap superuser (made at init; cannot be dropped or demoted)
//   [2..]                   the SCRAM-SHA-256 secret (protocol/scram.h's format), when bit 2
// Passwords are never stored in any other form: the server hashes a plain-text one before the
// statement reaches the engine, and an md5 hash is refused (docs/decisions.md).

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/sql/ast.h"

namespace sqlrite::storage {
class BTree;
}

namespace sqlrite::engine {

struct RoleRecord {
  bool login = true;
  bool superuser = true;
  bool bootstrap = true;
  std::optional<std::string> secret;  // "SCRAM-SHA-256$..."
};

std::string EncodeRoleRecord(const RoleRecord& role);
// Errors: XX001 for an unknown version or a malformed record.
Result<RoleRecord> DecodeRoleRecord(std::string_view value);

// The role's record, or nullopt when there is no such role.
Result<std::optional<RoleRecord>> LoadRole(storage::BTree& roles, std::string_view name);

// Who runs the statement.
struct RoleActor {
  std::string user;  // the session's role
};

// Errors: 42710 exists, 42501 permission denied (non-superusers), 42939 reserved name ("pg_"),
// 0A000 for an md5 hash, XX000 for a plain-text password (the server must have hashed it).
Result<QueryResult> CreateRole(storage::BTree& roles, const RoleActor& actor,
                               const ast::CreateRole& stmt);
// Errors: 42704 does not exist, 42501 as PostgreSQL's AlterRole (a non-superuser may change only
// its own password).
Result<QueryResult> AlterRole(storage::BTree& roles, const RoleActor& actor,
                              const ast::AlterRole& stmt);
// Errors: 42704 (without IF EXISTS), 55006 "current user cannot be dropped", 42501, 2BP01 for
// the bootstrap superuser (as PostgreSQL's, it is required by the system).
Result<QueryResult> DropRole(storage::BTree& roles, const RoleActor& actor,
                             const ast::DropRole& stmt);

}  // namespace sqlrite::engine
