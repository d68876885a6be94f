// CREATE TYPE ... AS ENUM, ALTER TYPE (ADD VALUE, RENAME VALUE, RENAME TO), DROP TYPE.

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformCreateEnum(const PgQuery__CreateEnumStmt& stmt) {
  ast::CreateEnum create;
  SQLRITE_ASSIGN_OR_RETURN(create.name, TwoPartName(stmt.type_name, stmt.n_type_name));
  for (size_t i = 0; i < stmt.n_vals; ++i) create.labels.emplace_back(NodeString(stmt.vals[i]));
  return ast::Statement(std::move(create));
}

Result<ast::Statement> Transformer::TransformAlterEnum(const PgQuery__AlterEnumStmt& stmt) {
  ast::AlterEnum alter;
  SQLRITE_ASSIGN_OR_RETURN(alter.name, TwoPartName(stmt.type_name, stmt.n_type_name));
  alter.value = stmt.new_val != nullptr ? stmt.new_val : "";
  if (stmt.old_val != nullptr && stmt.old_val[0] != '\0') {
    alter.rename = std::string(stmt.old_val);
  } else {
    alter.neighbor = stmt.new_val_neighbor != nullptr ? stmt.new_val_neighbor : "";
    alter.after = stmt.new_val_is_after;
    alter.if_not_exists = stmt.skip_if_new_val_exists;
  }
  return ast::Statement(std::move(alter));
}

Result<ast::Statement> Transformer::TransformDropType(const PgQuery__DropStmt& stmt) {
  ast::DropType drop;
  drop.if_exists = stmt.missing_ok;
  drop.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  for (size_t i = 0; i < stmt.n_objects; ++i) {
    const PgQuery__Node* node = stmt.objects[i];
    if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_TYPE_NAME) {
      return Unsupported("this DROP TYPE form");
    }
    const PgQuery__TypeName& t = *node->type_name;
    SQLRITE_ASSIGN_OR_RETURN(ast::TableName name, TwoPartName(t.names, t.n_names));
    name.location = t.location;
    drop.names.push_back(std::move(name));
  }
  return ast::Statement(std::move(drop));
}

Result<ast::Statement> Transformer::TransformRenameType(const PgQuery__RenameStmt& stmt) {
  const PgQuery__Node* object = stmt.object;
  if (object == nullptr || object->node_case != PG_QUERY__NODE__NODE_LIST) {
    return Unsupported("ALTER TYPE ... RENAME");
  }
  ast::AlterEnum alter;
  SQLRITE_ASSIGN_OR_RETURN(alter.name, TwoPartName(object->list->items, object->list->n_items));
  alter.rename_type = true;
  alter.new_name = stmt.newname != nullptr ? stmt.newname : "";
  return ast::Statement(std::move(alter));
}

}  // namespace sqlrite::engine::sql
