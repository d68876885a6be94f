// LOCK TABLE and SQL-level PREPARE / EXECUTE / DEALLOCATE (the statements pg_dump sends besides
// its queries).

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformLock(const PgQuery__LockStmt& stmt) {
  ast::LockTable out;
  for (size_t i = 0; i < stmt.n_relations; ++i) {
    const PgQuery__Node* node = stmt.relations[i];
    if (node->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) return Unsupported("this LOCK");
    SQLRITE_ASSIGN_OR_RETURN(ast::TableName name, TransformTableName(*node->range_var));
    out.tables.push_back(std::move(name));
  }
  return ast::Statement(std::move(out));
}

Result<ast::Statement> Transformer::TransformPrepare(const PgQuery__PrepareStmt& stmt) {
  ast::Prepare out;
  out.name = stmt.name != nullptr ? stmt.name : "";
  for (size_t i = 0; i < stmt.n_argtypes; ++i) {
    const PgQuery__Node* node = stmt.argtypes[i];
    if (node->node_case != PG_QUERY__NODE__NODE_TYPE_NAME) return Unsupported("this PREPARE");
    std::string user_type;
    SQLRITE_ASSIGN_OR_RETURN(SqlType type, TransformTypeName(*node->type_name, &user_type));
    // PostgreSQL keeps only a parameter's type, not its modifier (checked, then dropped):
    // EXECUTE p('abcdef') of p(varchar(2)) passes the whole string, of p(interval hour) '5' is
    // 5 seconds.
    if (type.id != TypeId::kRecord) type.typmod = -1;
    out.types.push_back(type);
    out.type_names.push_back(std::move(user_type));
  }
  if (stmt.query == nullptr) return Unsupported("this PREPARE");
  // PostgreSQL prepares only optimizable statements (SELECT, INSERT, UPDATE, DELETE, MERGE,
  // VALUES); the grammar refuses anything else with a syntax error.
  switch (stmt.query->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
    case PG_QUERY__NODE__NODE_INSERT_STMT:
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
    case PG_QUERY__NODE__NODE_DELETE_STMT:
    case PG_QUERY__NODE__NODE_MERGE_STMT:
      break;
    default:
      return Unsupported("PREPARE of this statement");
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::Statement body, TransformStatement(*stmt.query));
  out.body = std::make_shared<const ast::PreparedBody>(ast::PreparedBody{std::move(body)});
  return ast::Statement(std::move(out));
}

Result<ast::Statement> Transformer::TransformExecute(const PgQuery__ExecuteStmt& stmt) {
  ast::ExecutePrepared out;
  out.name = stmt.name != nullptr ? stmt.name : "";
  SQLRITE_ASSIGN_OR_RETURN(out.args, TransformExprList(stmt.params, stmt.n_params));
  return ast::Statement(std::move(out));
}

Result<ast::Statement> Transformer::TransformDeallocate(const PgQuery__DeallocateStmt& stmt) {
  ast::Deallocate out;
  if (stmt.name != nullptr) out.name = stmt.name;
  return ast::Statement(std::move(out));
}

}  // namespace sqlrite::engine::sql
