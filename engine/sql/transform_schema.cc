// CREATE SCHEMA, DROP SCHEMA, ALTER SCHEMA ... RENAME TO, ALTER TABLE ... SET SCHEMA.

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformCreateSchema(const PgQuery__CreateSchemaStmt& stmt) {
  if (stmt.n_schema_elts > 0) return Unsupported("CREATE SCHEMA with schema elements");
  ast::CreateSchema create;
  create.if_not_exists = stmt.if_not_exists;
  if (stmt.authrole != nullptr &&
      stmt.authrole->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING &&
      stmt.authrole->rolename != nullptr) {
    create.authorization = stmt.authrole->rolename;
  }
  create.name = stmt.schemaname != nullptr ? stmt.schemaname : "";
  // CREATE SCHEMA AUTHORIZATION role: the schema is named after the role (a role given as
  // CURRENT_USER and the like is resolved by the executor, which knows the session's).
  if (create.name.empty() && stmt.authrole == nullptr)
    return Unsupported("this CREATE SCHEMA form");
  return ast::Statement(std::move(create));
}

Result<ast::Statement> Transformer::TransformDropSchema(const PgQuery__DropStmt& stmt) {
  ast::DropSchema drop;
  drop.if_exists = stmt.missing_ok;
  drop.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  for (size_t i = 0; i < stmt.n_objects; ++i) {
    const PgQuery__Node* object = stmt.objects[i];
    if (object->node_case != PG_QUERY__NODE__NODE_STRING)
      return Unsupported("this DROP SCHEMA form");
    drop.names.emplace_back(NodeString(object));
  }
  return ast::Statement(std::move(drop));
}

Result<ast::Statement> Transformer::TransformRenameSchema(const PgQuery__RenameStmt& stmt) {
  ast::RenameSchema rename;
  rename.name = stmt.subname != nullptr ? stmt.subname : "";
  rename.new_name = stmt.newname != nullptr ? stmt.newname : "";
  return ast::Statement(std::move(rename));
}

Result<ast::Statement> Transformer::TransformAlterObjectSchema(
    const PgQuery__AlterObjectSchemaStmt& stmt) {
  const bool relation = stmt.object_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
                        stmt.object_type == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE ||
                        stmt.object_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW;
  if (!relation || stmt.relation == nullptr) return Unsupported("this ALTER ... SET SCHEMA form");
  ast::AlterTable alter;
  SQLRITE_ASSIGN_OR_RETURN(alter.table, TransformTableName(*stmt.relation, NameUse::kDdl));
  alter.if_exists = stmt.missing_ok;
  if (stmt.object_type == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE) alter.tag = "ALTER SEQUENCE";
  if (stmt.object_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW) alter.tag = "ALTER VIEW";
  ast::AlterTableCmd cmd{};
  cmd.kind = ast::AlterTableCmd::kSetSchema;
  cmd.new_name = stmt.newschema != nullptr ? stmt.newschema : "";
  alter.cmds.push_back(std::move(cmd));
  return ast::Statement(std::move(alter));
}

}  // namespace sqlrite::engine::sql
