// CREATE [UNIQUE] INDEX, DROP INDEX (ALTER INDEX ... RENAME TO: transform_alter_table.cc).

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// PostgreSQL's other built-in access methods: known, but only btree is implemented.
bool KnownAccessMethod(std::string_view method) {
  return method == "hash" || method == "gist" || method == "gin" || method == "spgist" ||
         method == "brin";
}

}  // namespace

Result<ast::Statement> Transformer::TransformCreateIndex(const PgQuery__IndexStmt& stmt) {
  if (stmt.relation == nullptr) return Unsupported("this CREATE INDEX form");
  const std::string_view method = stmt.access_method != nullptr ? stmt.access_method : "";
  if (!method.empty() && method != "btree") {
    if (KnownAccessMethod(method)) {
      return Unsupported("index access method \"" + std::string(method) + "\"",
                         stmt.relation->location);
    }
    return Fail(sqlstate::kUndefinedObject,
                "access method \"" + std::string(method) + "\" does not exist");
  }
  if (stmt.n_exclude_op_names > 0) return UnsupportedPlural("exclusion constraints");
  ast::CreateIndex create;
  SQLRITE_ASSIGN_OR_RETURN(create.table, TransformTableName(*stmt.relation, NameUse::kDdl));
  if (stmt.idxname != nullptr) create.name = stmt.idxname;
  create.unique = stmt.unique;
  create.if_not_exists = stmt.if_not_exists;
  create.nulls_not_distinct = stmt.nulls_not_distinct;
  if (!IsNullNode(stmt.where_clause)) {
    SQLRITE_ASSIGN_OR_RETURN(create.where_sql, DeparseExpr(stmt.where_clause));
  }
  // CONCURRENTLY is accepted: with one writer at a time the build never blocks a reader anyway.
  auto element = [&](const PgQuery__Node* node) -> Result<ast::IndexColumn> {
    if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM) {
      return Unsupported("this index element");
    }
    const PgQuery__IndexElem& elem = *node->index_elem;
    if (elem.n_opclass > 0) return UnsupportedPlural("index operator classes");
    ast::IndexColumn c;
    if (elem.expr != nullptr) {
      // As PostgreSQL's ComputeIndexAttrs: an expression that is a bare column is that column.
      const PgQuery__Node& e = *elem.expr;
      if (e.node_case == PG_QUERY__NODE__NODE_COLUMN_REF && e.column_ref->n_fields == 1 &&
          e.column_ref->fields[0]->node_case == PG_QUERY__NODE__NODE_STRING) {
        c.name = std::string(NodeString(e.column_ref->fields[0]));
        c.location = e.column_ref->location;
      } else {
        SQLRITE_ASSIGN_OR_RETURN(c.expr_sql, DeparseExpr(elem.expr));
      }
    } else if (elem.name == nullptr || elem.name[0] == '\0') {
      return Unsupported("this index element");
    } else {
      c.name = elem.name;
    }
    if (elem.n_collation > 0) {
      // The index's entries compare bytewise under every collation the engine has.
      SQLRITE_ASSIGN_OR_RETURN(c.collation,
                               TransformCollationName(elem.collation, elem.n_collation, -1));
      if (c.collation.empty()) c.collation = "default";
    }
    c.desc = elem.ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
    switch (elem.nulls_ordering) {
      case PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST:
        c.nulls_first = true;
        break;
      case PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST:
        c.nulls_first = false;
        break;
      default:
        c.nulls_first = c.desc;  // PostgreSQL's default: NULLs sort as the largest value
        break;
    }
    return c;
  };
  for (size_t i = 0; i < stmt.n_index_params; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::IndexColumn c, element(stmt.index_params[i]));
    create.columns.push_back(std::move(c));
  }
  for (size_t i = 0; i < stmt.n_index_including_params; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::IndexColumn c, element(stmt.index_including_params[i]));
    create.include.push_back(std::move(c));
  }
  return ast::Statement(std::move(create));
}

Result<ast::Statement> Transformer::TransformDropIndex(const PgQuery__DropStmt& stmt) {
  ast::DropIndex drop;
  drop.if_exists = stmt.missing_ok;
  drop.cascade = stmt.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  for (size_t i = 0; i < stmt.n_objects; ++i) {
    const PgQuery__Node* object = stmt.objects[i];
    if (object->node_case != PG_QUERY__NODE__NODE_LIST) return Unsupported("this DROP INDEX form");
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
    drop.indexes.push_back(std::move(name));
  }
  return ast::Statement(std::move(drop));
}

}  // namespace sqlrite::engine::sql
