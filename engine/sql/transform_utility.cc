// VACUUM, ANALYZE, CLUSTER, REINDEX and SET CONSTRAINTS (CHECKPOINT needs no transform: see
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

Result<ast::Statement> Transformer::TransformCluster(const PgQuery__ClusterStmt& stmt) {
  // Options (VERBOSE) are not kept: they only add INFO messages.
  ast::Vacuum cluster;
  cluster.command = ast::Vacuum::Command::kCluster;
  if (stmt.relation != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(cluster.relation, TransformTableName(*stmt.relation));
  }
  if (stmt.indexname != nullptr) cluster.index = stmt.indexname;
  return ast::Statement(std::move(cluster));
}

Result<ast::Statement> Transformer::TransformReindex(const PgQuery__ReindexStmt& stmt) {
  ast::Vacuum reindex;
  reindex.command = ast::Vacuum::Command::kReindex;
  using Kind = ast::Vacuum::ReindexKind;
  switch (stmt.kind) {
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX:
      reindex.reindex_kind = Kind::kIndex;
      break;
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE:
      reindex.reindex_kind = Kind::kTable;
      break;
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA:
      reindex.reindex_kind = Kind::kSchema;
      break;
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE:
      reindex.reindex_kind = Kind::kDatabase;
      break;
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM:
      reindex.reindex_kind = Kind::kSystem;
      break;
    default:
      return Unsupported("this REINDEX form");
  }
  if (stmt.relation != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(reindex.relation, TransformTableName(*stmt.relation));
  }
  if (stmt.name != nullptr && stmt.name[0] != '\0') reindex.relation.name = stmt.name;
  for (size_t i = 0; i < stmt.n_params; ++i) {
    const PgQuery__Node* p = stmt.params[i];
    if (p->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && p->def_elem->defname != nullptr &&
        std::string_view(p->def_elem->defname) == "concurrently") {
      reindex.concurrently = true;
    }
  }
  return ast::Statement(std::move(reindex));
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
