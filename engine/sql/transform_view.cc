// CREATE [OR REPLACE] VIEW and DROP VIEW: libpg_query's ViewStmt and DropStmt (OBJECT_VIEW) in
// the engine's own form. The view's query is kept twice: transformed (bound at CREATE to check
// it and find its columns) and deparsed (the text the catalog stores and parses at load).

#include <memory>
#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformCreateView(const PgQuery__ViewStmt& stmt) {
  if (stmt.view == nullptr || stmt.query == nullptr ||
      stmt.query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("this CREATE VIEW form");
  }
  if (stmt.view->relpersistence != nullptr && stmt.view->relpersistence[0] == 't') {
    return Unsupported("CREATE TEMPORARY VIEW", stmt.view->location);
  }
  if (stmt.n_options > 0) return Unsupported("view options (WITH (...))");
  if (stmt.with_check_option == PG_QUERY__VIEW_CHECK_OPTION__LOCAL_CHECK_OPTION ||
      stmt.with_check_option == PG_QUERY__VIEW_CHECK_OPTION__CASCADED_CHECK_OPTION) {
    // Only an automatically updatable view may have one, and views are read-only here.
    return Unsupported("WITH CHECK OPTION");
  }
  ast::CreateView create;
  SQLRITE_ASSIGN_OR_RETURN(create.name, TransformTableName(*stmt.view, NameUse::kDdl));
  create.or_replace = stmt.replace;
  create.columns.reserve(stmt.n_aliases);
  for (size_t i = 0; i < stmt.n_aliases; ++i) {
    create.columns.emplace_back(NodeString(stmt.aliases[i]));
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::Select select, TransformSelect(*stmt.query->select_stmt));
  create.query = std::make_unique<ast::Select>(std::move(select));
  SQLRITE_ASSIGN_OR_RETURN(create.sql, DeparseQuery(stmt.query));
  return ast::Statement(std::move(create));
}

Result<ast::Statement> Transformer::TransformDropView(const PgQuery__DropStmt& stmt) {
  // DROP VIEW shares DROP TABLE's name rules; the executor tells the kinds apart.
  SQLRITE_ASSIGN_OR_RETURN(ast::Statement names, TransformDropTableNames(stmt));
  ast::DropView drop;
  drop.if_exists = stmt.missing_ok;
  drop.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  drop.names = std::move(std::get<ast::DropTable>(names).tables);
  return ast::Statement(std::move(drop));
}

}  // namespace sqlrite::engine::sql
