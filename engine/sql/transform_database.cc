// CREATE DATABASE name; DROP DATABASE [IF EXISTS] name.

#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformCreateDatabase(const PgQuery__CreatedbStmt& stmt) {
  // OWNER, TEMPLATE, ENCODING, ... would be silently wrong if ignored.
  if (stmt.n_options > 0) return UnsupportedPlural("CREATE DATABASE options");
  ast::CreateDatabase create;
  create.name = stmt.dbname != nullptr ? stmt.dbname : "";
  return ast::Statement(std::move(create));
}

Result<ast::Statement> Transformer::TransformDropDatabase(const PgQuery__DropdbStmt& stmt) {
  if (stmt.n_options > 0) return UnsupportedPlural("DROP DATABASE options");
  ast::DropDatabase drop;
  drop.name = stmt.dbname != nullptr ? stmt.dbname : "";
  drop.if_exists = stmt.missing_ok;
  return ast::Statement(std::move(drop));
}

}  // namespace sqlrite::engine::sql
