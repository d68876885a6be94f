// VACUUM, ANALYZE and SET CONSTRAINTS (CHECKPOINT needs no transform: see
// Transformer::TransformStatement).

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformVacuum(const PgQuery__VacuumStmt& stmt) {
  // Table lists and options (FULL, VERBOSE, ...) are not kept: the engine treats VACUUM as one
  // whole-database operation.
  ast::Vacuum vacuum;
  vacuum.analyze_only = !stmt.is_vacuumcmd;
  return ast::Statement(vacuum);
}

Result<ast::Statement> Transformer::TransformConstraintsSet(
    const PgQuery__ConstraintsSetStmt& stmt) {
  ast::SetConstraints out;
  out.deferred = stmt.deferred;
  for (size_t i = 0; i < stmt.n_constraints; ++i) {
    const PgQuery__Node* node = stmt.constraints[i];
    if (node->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
      return Unsupported("this SET CONSTRAINTS");
    // A constraint name qualified with a schema: public is the only one holding constraints.
    SQLRITE_ASSIGN_OR_RETURN(ast::TableName name, TransformTableName(*node->range_var));
    out.names.push_back(std::move(name.name));
  }
  return ast::Statement(std::move(out));
}

}  // namespace sqlrite::engine::sql
