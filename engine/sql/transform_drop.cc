// DROP TABLE [IF EXISTS] a, b [CASCADE|RESTRICT]; TRUNCATE [TABLE] a, b.

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

const char* DropObjectName(PgQuery__ObjectType type) {
  switch (type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
      return "DROP INDEX";
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
      return "DROP VIEW";
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
      return "DROP MATERIALIZED VIEW";
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
      return "DROP SEQUENCE";
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
      return "DROP SCHEMA";
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
      return "DROP FUNCTION";
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
      return "DROP TYPE";
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
      return "DROP DOMAIN";
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
      return "DROP EXTENSION";
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
      return "DROP TRIGGER";
    default:
      return "this DROP statement";
  }
}

}  // namespace

Result<ast::Statement> Transformer::TransformDrop(const PgQuery__DropStmt& stmt) {
  if (stmt.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) return TransformDropIndex(stmt);
  if (stmt.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE) {
    // DROP SEQUENCE shares DROP TABLE's name rules; the executor tells the two apart.
    SQLRITE_ASSIGN_OR_RETURN(ast::Statement names, TransformDropTableNames(stmt));
    ast::DropSequence drop;
    drop.if_exists = stmt.missing_ok;
    drop.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    drop.names = std::move(std::get<ast::DropTable>(names).tables);
    return ast::Statement(std::move(drop));
  }
  if (stmt.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW) return TransformDropView(stmt);
  if (stmt.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) return TransformDropSchema(stmt);
  if (stmt.remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE) return TransformDropType(stmt);
  if (stmt.remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
    return Unsupported(DropObjectName(stmt.remove_type));
  }
  return TransformDropTableNames(stmt);
}

Result<ast::Statement> Transformer::TransformDropTableNames(const PgQuery__DropStmt& stmt) {
  ast::DropTable drop;
  drop.if_exists = stmt.missing_ok;
  drop.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  drop.tables.reserve(stmt.n_objects);
  for (size_t i = 0; i < stmt.n_objects; ++i) {
    const PgQuery__Node* object = stmt.objects[i];
    if (object->node_case != PG_QUERY__NODE__NODE_LIST) return Unsupported("this DROP TABLE form");
    const PgQuery__List& names = *object->list;
    ast::TableName name;
    if (names.n_items == 1) {
      name.name = NodeString(names.items[0]);
    } else if (names.n_items == 2) {
      name.schema = NodeString(names.items[0]);
      name.name = NodeString(names.items[1]);
    } else {
      return UnsupportedPlural("cross-database references");
    }
    drop.tables.push_back(std::move(name));
  }
  return ast::Statement(std::move(drop));
}

Result<ast::Statement> Transformer::TransformTruncate(const PgQuery__TruncateStmt& stmt) {
  ast::Truncate truncate;
  truncate.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  truncate.tables.reserve(stmt.n_relations);
  for (size_t i = 0; i < stmt.n_relations; ++i) {
    const PgQuery__Node* node = stmt.relations[i];
    if (node->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) return Unsupported("this TRUNCATE form");
    SQLRITE_ASSIGN_OR_RETURN(ast::TableName name,
                             TransformTableName(*node->range_var, NameUse::kDdl));
    truncate.tables.push_back(std::move(name));
  }
  truncate.restart_identity = stmt.restart_seqs;
  truncate.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  return ast::Statement(std::move(truncate));
}

}  // namespace sqlrite::engine::sql
