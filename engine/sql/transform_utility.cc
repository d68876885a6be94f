// VACUUM and ANALYZE (CHECKPOINT needs no transform: see Transformer::TransformStatement).

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformVacuum(const PgQuery__VacuumStmt& stmt) {
  // Table lists and options (FULL, VERBOSE, ...) are not kept: the engine treats VACUUM as one
  // whole-database operation.
  ast::Vacuum vacuum;
  vacuum.analyze_only = !stmt.is_vacuumcmd;
  return ast::Statement(vacuum);
}

}  // namespace sqlrite::engine::sql
