// CREATE ROLE / CREATE USER, ALTER ROLE / ALTER USER, DROP ROLE / DROP USER.
//
// The attributes kept are LOGIN, SUPERUSER and PASSWORD; the others PostgreSQL has are accepted
// only where they would change nothing here (INHERIT, and the NO... forms of privileges that do
// not exist here), and refused otherwise, since ignoring them would be silently wrong.

#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {
namespace {

std::optional<bool> BoolArg(const PgQuery__DefElem& option) {
  if (option.arg == nullptr || option.arg->node_case != PG_QUERY__NODE__NODE_BOOLEAN ||
      option.arg->boolean == nullptr) {
    return std::nullopt;
  }
  return option.arg->boolean->boolval != 0;
}

}  // namespace

Result<ast::RoleOptions> Transformer::TransformRoleOptions(PgQuery__Node* const* options, size_t n,
                                                           std::string_view command) {
  ast::RoleOptions out;
  bool inherit_given = false;
  for (size_t i = 0; i < n; ++i) {
    if (options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) {
      return Unsupported(std::string(command) + " with this option");
    }
    const PgQuery__DefElem& option = *options[i]->def_elem;
    const std::string_view name = option.defname != nullptr ? option.defname : "";
    auto conflicting = [&] {
      return ErrorAt(sqlstate::kSyntaxError, "conflicting or redundant options", option.location);
    };
    if (name == "password") {
      if (out.password_given) return conflicting();
      out.password_given = true;
      if (option.arg != nullptr && option.arg->node_case == PG_QUERY__NODE__NODE_STRING &&
          option.arg->string != nullptr) {
        out.password = option.arg->string->sval != nullptr ? option.arg->string->sval : "";
      }
    } else if (name == "canlogin") {
      if (out.login) return conflicting();
      out.login = BoolArg(option).value_or(false);
    } else if (name == "superuser") {
      if (out.superuser) return conflicting();
      out.superuser = BoolArg(option).value_or(false);
    } else if (name == "inherit" && BoolArg(option).value_or(false)) {
      // INHERIT is the default, and there are no role memberships to inherit from.
      if (inherit_given) return conflicting();
      inherit_given = true;
    } else if ((name == "createdb" || name == "createrole" || name == "isreplication" ||
                name == "bypassrls") &&
               !BoolArg(option).value_or(true)) {
      // NOCREATEDB, NOCREATEROLE, ...: what every role here is anyway.
    } else {
      return Unsupported(std::string(command) + " option \"" + std::string(name) + "\"",
                         option.location);
    }
  }
  return out;
}

Result<ast::Statement> Transformer::TransformCreateRole(const PgQuery__CreateRoleStmt& stmt) {
  if (stmt.stmt_type == PG_QUERY__ROLE_STMT_TYPE__ROLESTMT_GROUP) {
    return Unsupported("CREATE GROUP");
  }
  ast::CreateRole create;
  create.name = stmt.role != nullptr ? stmt.role : "";
  create.is_user = stmt.stmt_type == PG_QUERY__ROLE_STMT_TYPE__ROLESTMT_USER;
  SQLRITE_ASSIGN_OR_RETURN(create.options,
                           TransformRoleOptions(stmt.options, stmt.n_options, "CREATE ROLE"));
  return ast::Statement(std::move(create));
}

Result<ast::Statement> Transformer::TransformAlterRole(const PgQuery__AlterRoleStmt& stmt) {
  ast::AlterRole alter;
  if (stmt.role == nullptr) return Unsupported("ALTER ROLE");
  switch (stmt.role->roletype) {
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING:
      alter.name = stmt.role->rolename != nullptr ? stmt.role->rolename : "";
      break;
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CURRENT_ROLE:
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CURRENT_USER:
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_SESSION_USER:
      alter.current_user = true;
      break;
    default:
      // PUBLIC names no role.
      alter.name = "public";
      break;
  }
  SQLRITE_ASSIGN_OR_RETURN(alter.options,
                           TransformRoleOptions(stmt.options, stmt.n_options, "ALTER ROLE"));
  return ast::Statement(std::move(alter));
}

Result<ast::Statement> Transformer::TransformDropRole(const PgQuery__DropRoleStmt& stmt) {
  ast::DropRole drop;
  drop.if_exists = stmt.missing_ok;
  for (size_t i = 0; i < stmt.n_roles; ++i) {
    const PgQuery__Node& node = *stmt.roles[i];
    if (node.node_case != PG_QUERY__NODE__NODE_ROLE_SPEC ||
        node.role_spec->roletype != PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "cannot use special role specifier in DROP ROLE");
    }
    drop.names.emplace_back(node.role_spec->rolename != nullptr ? node.role_spec->rolename : "");
  }
  return ast::Statement(std::move(drop));
}

}  // namespace sqlrite::engine::sql
