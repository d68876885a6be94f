#include "engine/role_catalog.h"

#include "common/sqlstate.h"
#include "engine/notice.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

constexpr uint8_t kVersion = 1;
constexpr uint8_t kLogin = 1;
constexpr uint8_t kSuperuser = 2;
constexpr uint8_t kHasSecret = 4;
constexpr uint8_t kBootstrap = 8;
constexpr uint8_t kKnownFlags = kLogin | kSuperuser | kHasSecret | kBootstrap;

QueryResult Tagged(const char* tag) {
  QueryResult result;
  result.command_tag = tag;
  return result;
}

Result<bool> IsSuperuser(storage::BTree& roles, const RoleActor& actor) {
  SQLRITE_ASSIGN_OR_RETURN(auto role, LoadRole(roles, actor.user));
  return role && role->superuser;
}

// Applies PASSWORD to role: a SCRAM secret is stored, '' and NULL clear the password.
Status ApplyPassword(const ast::RoleOptions& options, RoleRecord& role, QueryResult& result) {
  if (!options.password_given) return Ok();
  if (!options.password) {
    role.secret.reset();
    return Ok();
  }
  const std::string& password = *options.password;
  if (password.empty()) {
    result.notices.push_back(Notice("empty string is not a valid password, clearing password"));
    role.secret.reset();
    return Ok();
  }
  if (password.size() == 35 && password.starts_with("md5")) {
    return Fail(Error(sqlstate::kFeatureNotSupported, "MD5-hashed passwords are not supported")
                    .WithHint("Give the password in plain text or as a SCRAM-SHA-256 secret; it "
                              "is stored as a SCRAM-SHA-256 secret."));
  }
  if (!password.starts_with("SCRAM-SHA-256$")) {
    // The server hashes plain text (protocol/scram.h) before the statement gets here.
    return Fail(sqlstate::kInternalError, "a plain-text password reached the engine unhashed");
  }
  role.secret = password;
  return Ok();
}

}  // namespace

std::string EncodeRoleRecord(const RoleRecord& role) {
  std::string out;
  out.push_back(static_cast<char>(kVersion));
  uint8_t flags = (role.login ? kLogin : 0) | (role.superuser ? kSuperuser : 0) |
                  (role.secret ? kHasSecret : 0) | (role.bootstrap ? kBootstrap : 0);
  out.push_back(static_cast<char>(flags));
  if (role.secret) out.append(*role.secret);
  return out;
}

Result<RoleRecord> DecodeRoleRecord(std::string_view value) {
  if (value.empty()) return RoleRecord{};  // an older directory's bootstrap superuser
  const auto version = static_cast<uint8_t>(value[0]);
  if (version != kVersion || value.size() < 2) {
    return Fail(sqlstate::kDataCorrupted, "role record of unknown version " +
                                              std::to_string(version) + " in the global file");
  }
  const auto flags = static_cast<uint8_t>(value[1]);
  if ((flags & ~kKnownFlags) != 0 || ((flags & kHasSecret) != 0) != (value.size() > 2)) {
    return Fail(sqlstate::kDataCorrupted, "malformed role record in the global file");
  }
  RoleRecord role;
  role.login = (flags & kLogin) != 0;
  role.superuser = (flags & kSuperuser) != 0;
  role.bootstrap = (flags & kBootstrap) != 0;
  if ((flags & kHasSecret) != 0) role.secret = std::string(value.substr(2));
  return role;
}

Result<std::optional<RoleRecord>> LoadRole(storage::BTree& roles, std::string_view name) {
  SQLRITE_ASSIGN_OR_RETURN(auto value, roles.Get(name));
  if (!value) return std::optional<RoleRecord>();
  SQLRITE_ASSIGN_OR_RETURN(RoleRecord role, DecodeRoleRecord(*value));
  return std::optional<RoleRecord>(std::move(role));
}

Result<QueryResult> CreateRole(storage::BTree& roles, const RoleActor& actor,
                               const ast::CreateRole& stmt) {
  const ast::RoleOptions& options = stmt.options;
  SQLRITE_ASSIGN_OR_RETURN(bool superuser, IsSuperuser(roles, actor));
  if (!superuser) {
    return Fail(sqlstate::kInsufficientPrivilege, options.superuser.value_or(false)
                                                      ? "must be superuser to create superusers"
                                                      : "permission denied to create role");
  }
  if (stmt.name.starts_with("pg_")) {
    return Fail(Error(sqlstate::kReservedName, "role name \"" + stmt.name + "\" is reserved")
                    .WithDetail("Role names starting with \"pg_\" are reserved."));
  }
  SQLRITE_ASSIGN_OR_RETURN(auto existing, roles.Get(stmt.name));
  if (existing) {
    return Fail(sqlstate::kDuplicateObject, "role \"" + stmt.name + "\" already exists");
  }
  QueryResult result = Tagged("CREATE ROLE");
  RoleRecord role;
  role.bootstrap = false;
  role.login = options.login.value_or(stmt.is_user);
  role.superuser = options.superuser.value_or(false);
  SQLRITE_TRY(ApplyPassword(options, role, result));
  SQLRITE_TRY(roles.Insert(stmt.name, EncodeRoleRecord(role)));
  return result;
}

Result<QueryResult> AlterRole(storage::BTree& roles, const RoleActor& actor,
                              const ast::AlterRole& stmt) {
  const ast::RoleOptions& options = stmt.options;
  const std::string& name = stmt.current_user ? actor.user : stmt.name;
  SQLRITE_ASSIGN_OR_RETURN(auto found, LoadRole(roles, name));
  if (!found) return Fail(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
  RoleRecord role = std::move(*found);
  SQLRITE_ASSIGN_OR_RETURN(bool superuser, IsSuperuser(roles, actor));
  if (role.superuser || options.superuser) {
    if (!superuser) {
      return Fail(sqlstate::kInsufficientPrivilege,
                  "must be superuser to alter superuser roles or change superuser attribute");
    }
  } else if (!superuser) {
    // Without privileges a role may change its own password, nothing else.
    if (options.login || !options.password_given || name != actor.user) {
      return Fail(sqlstate::kInsufficientPrivilege, "permission denied");
    }
  }
  if (options.superuser && !*options.superuser && role.bootstrap) {
    return Fail(sqlstate::kInsufficientPrivilege,
                "permission denied: bootstrap user must be superuser");
  }
  QueryResult result = Tagged("ALTER ROLE");
  if (options.login) role.login = *options.login;
  if (options.superuser) role.superuser = *options.superuser;
  SQLRITE_TRY(ApplyPassword(options, role, result));
  SQLRITE_TRY(roles.Insert(name, EncodeRoleRecord(role), /*overwrite=*/true));
  return result;
}

Result<QueryResult> DropRole(storage::BTree& roles, const RoleActor& actor,
                             const ast::DropRole& stmt) {
  SQLRITE_ASSIGN_OR_RETURN(bool superuser, IsSuperuser(roles, actor));
  if (!superuser) return Fail(sqlstate::kInsufficientPrivilege, "permission denied to drop role");
  QueryResult result = Tagged("DROP ROLE");
  for (const std::string& name : stmt.names) {
    SQLRITE_ASSIGN_OR_RETURN(auto role, LoadRole(roles, name));
    if (!role) {
      if (!stmt.if_exists) {
        return Fail(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
      }
      result.notices.push_back(Notice("role \"" + name + "\" does not exist, skipping"));
      continue;
    }
    if (name == actor.user) {
      return Fail(sqlstate::kObjectInUse, "current user cannot be dropped");
    }
    if (role->bootstrap) {
      return Fail(sqlstate::kDependentObjectsStillExist,
                  "cannot drop role " + name + " because it is required by the database system");
    }
    SQLRITE_TRY(roles.Delete(name));
  }
  return result;
}

}  // namespace sqlrite::engine
