#include "engine/sql/transformer.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace sqlrite::engine::sql {

std::string_view NodeString(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_STRING ||
      node->string == nullptr || node->string->sval == nullptr) {
    return {};
  }
  return node->string->sval;
}

Result<ast::TableName> TwoPartName(PgQuery__Node* const* items, size_t n) {
  ast::TableName name;
  if (n == 1) {
    name.name = NodeString(items[0]);
  } else if (n == 2) {
    name.schema = NodeString(items[0]);
    name.name = NodeString(items[1]);
  } else {
    std::string written;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) written += '.';
      written += NodeString(items[i]);
    }
    return Fail(sqlstate::kFeatureNotSupported,
                "cross-database references are not implemented: " + written);
  }
  return name;
}

std::string_view LastName(PgQuery__Node* const* names, size_t n) {
  return n == 0 ? std::string_view() : NodeString(names[n - 1]);
}

int Transformer::Position(int location) const {
  if (location < 0) return 0;
  size_t end = std::min(static_cast<size_t>(location), query_.size());
  // PostgreSQL counts characters, not bytes: skip UTF-8 continuation bytes.
  int chars = 0;
  for (size_t i = 0; i < end; ++i) {
    if ((static_cast<unsigned char>(query_[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

tl::unexpected<Error> Transformer::ErrorAt(const char* sqlstate, std::string message,
                                           int location) const {
  return Fail(Error(sqlstate, std::move(message)).WithPosition(Position(location)));
}

tl::unexpected<Error> Transformer::Unsupported(std::string_view what, int location) const {
  std::string message(what);
  message += " is not supported yet";
  return ErrorAt(sqlstate::kFeatureNotSupported, std::move(message), location);
}

tl::unexpected<Error> Transformer::UnsupportedPlural(std::string_view what, int location) const {
  std::string message(what);
  message += " are not supported yet";
  return ErrorAt(sqlstate::kFeatureNotSupported, std::move(message), location);
}

namespace {

// The command name PostgreSQL users would recognise, for statements we do not implement.
const char* StatementName(PgQuery__Node__NodeCase c) {
  switch (c) {
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      return "ALTER TABLE";
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      return "CREATE INDEX";
    case PG_QUERY__NODE__NODE_VIEW_STMT:
      return "CREATE VIEW";
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
      return "CREATE SEQUENCE";
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
      return "CREATE SCHEMA";
    case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
      return "CREATE FUNCTION";
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
      return "CREATE ROLE";
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
      return "CREATE EXTENSION";
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
      return "CREATE TRIGGER";
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      return "ALTER ... RENAME";
    case PG_QUERY__NODE__NODE_COPY_STMT:
      return "COPY";
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
      return "EXPLAIN";
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
      return "PREPARE";
    case PG_QUERY__NODE__NODE_EXECUTE_STMT:
      return "EXECUTE";
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT:
      return "DEALLOCATE";
    case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
      return "DECLARE CURSOR";
    case PG_QUERY__NODE__NODE_FETCH_STMT:
      return "FETCH";
    case PG_QUERY__NODE__NODE_CLOSE_PORTAL_STMT:
      return "CLOSE";
    case PG_QUERY__NODE__NODE_DO_STMT:
      return "DO";
    case PG_QUERY__NODE__NODE_CALL_STMT:
      return "CALL";
    case PG_QUERY__NODE__NODE_LISTEN_STMT:
      return "LISTEN";
    case PG_QUERY__NODE__NODE_UNLISTEN_STMT:
      return "UNLISTEN";
    case PG_QUERY__NODE__NODE_NOTIFY_STMT:
      return "NOTIFY";
    case PG_QUERY__NODE__NODE_LOCK_STMT:
      return "LOCK";
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
      return "DISCARD";
    case PG_QUERY__NODE__NODE_GRANT_STMT:
      return "GRANT";
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
      return "GRANT";
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
      return "COMMENT";
    case PG_QUERY__NODE__NODE_MERGE_STMT:
      return "MERGE";
    case PG_QUERY__NODE__NODE_CLUSTER_STMT:
      return "CLUSTER";
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
      return "REINDEX";
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT:
      return "ALTER DATABASE";
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
      return "ALTER SYSTEM";
    case PG_QUERY__NODE__NODE_CONSTRAINTS_SET_STMT:
      return "SET CONSTRAINTS";
    default:
      return "this statement";
  }
}

// ALTER TYPE name OWNER TO role (a restore of pg_dump's output sends one per type): an AlterTable
// tagged "ALTER TYPE" whose one command is the owner change (the executor looks the name up as a
// type; objects have no owner of their own here, engine/executor_alter.cc ChangeOwner).
Result<ast::Statement> TransformAlterOwner(const Transformer& t,
                                           const PgQuery__AlterOwnerStmt& stmt) {
  if (stmt.object_type != PG_QUERY__OBJECT_TYPE__OBJECT_TYPE || stmt.object == nullptr ||
      stmt.object->node_case != PG_QUERY__NODE__NODE_LIST || stmt.newowner == nullptr) {
    return t.Unsupported("this OWNER TO form");
  }
  ast::AlterTable alter;
  alter.tag = "ALTER TYPE";
  SQLRITE_ASSIGN_OR_RETURN(alter.table,
                           TwoPartName(stmt.object->list->items, stmt.object->list->n_items));
  ast::AlterTableCmd cmd{};
  cmd.kind = ast::AlterTableCmd::kChangeOwner;
  if (stmt.newowner->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING) {
    cmd.new_name = stmt.newowner->rolename != nullptr ? stmt.newowner->rolename : "";
  } else if (stmt.newowner->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC) {
    cmd.new_name = "public";
  }
  alter.cmds.push_back(std::move(cmd));
  return ast::Statement(std::move(alter));
}

// CREATE TABLE ... AS and SELECT ... INTO: a CreateTable whose columns the executor takes from
// the query's output (engine/executor_create_table_as.cc). `into` carries the table, its column
// names and WITH NO DATA in both forms.
Result<ast::Statement> TransformCreateTableAs(Transformer& t, const PgQuery__IntoClause& into,
                                              const PgQuery__SelectStmt& query, bool if_not_exists,
                                              bool select_into) {
  if (into.rel == nullptr) return t.Unsupported("this CREATE TABLE AS form");
  const PgQuery__RangeVar& relation = *into.rel;
  if (relation.relpersistence != nullptr && relation.relpersistence[0] == 't') {
    return t.UnsupportedPlural("temporary tables", relation.location);
  }
  if (into.n_options > 0) return t.Unsupported("WITH (...) in CREATE TABLE AS");
  if (into.access_method != nullptr && into.access_method[0] != '\0') {
    return t.Unsupported("USING");
  }
  if (into.table_space_name != nullptr && into.table_space_name[0] != '\0') {
    return t.Unsupported("TABLESPACE");
  }
  ast::CreateTable create;
  SQLRITE_ASSIGN_OR_RETURN(create.table,
                           t.TransformTableName(relation, Transformer::NameUse::kDdl));
  create.if_not_exists = if_not_exists;
  auto as = std::make_shared<ast::CreateTableAs>();
  for (size_t i = 0; i < into.n_col_names; ++i) {
    as->columns.emplace_back(NodeString(into.col_names[i]));
  }
  as->with_data = !into.skip_data;
  as->select_into = select_into;
  SQLRITE_ASSIGN_OR_RETURN(ast::Select select, t.TransformSelect(query, /*statement=*/true));
  as->query = std::make_shared<const ast::Select>(std::move(select));
  create.as = std::move(as);
  return ast::Statement(std::move(create));
}

}  // namespace

Result<ast::Statement> Transformer::TransformStatement(const PgQuery__Node& node) {
  switch (node.node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT: {
      if (node.select_stmt->into_clause != nullptr) {
        // SELECT ... INTO table: CREATE TABLE AS over the same query without its INTO.
        PgQuery__SelectStmt query = *node.select_stmt;
        query.into_clause = nullptr;
        return TransformCreateTableAs(*this, *node.select_stmt->into_clause, query,
                                      /*if_not_exists=*/false, /*select_into=*/true);
      }
      SQLRITE_ASSIGN_OR_RETURN(ast::Select select,
                               TransformSelect(*node.select_stmt, /*statement=*/true));
      return ast::Statement(std::move(select));
    }
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
      return TransformExplain(*node.explain_stmt);
    case PG_QUERY__NODE__NODE_INSERT_STMT:
      return TransformInsert(*node.insert_stmt);
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
      return TransformUpdate(*node.update_stmt);
    case PG_QUERY__NODE__NODE_DELETE_STMT:
      return TransformDelete(*node.delete_stmt);
    case PG_QUERY__NODE__NODE_MERGE_STMT:
      return TransformMerge(*node.merge_stmt);
    case PG_QUERY__NODE__NODE_CREATE_STMT:
      return TransformCreateTable(*node.create_stmt);
    case PG_QUERY__NODE__NODE_DROP_STMT:
      return TransformDrop(*node.drop_stmt);
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
      return TransformTruncate(*node.truncate_stmt);
    case PG_QUERY__NODE__NODE_CREATEDB_STMT:
      return TransformCreateDatabase(*node.createdb_stmt);
    case PG_QUERY__NODE__NODE_DROPDB_STMT:
      return TransformDropDatabase(*node.dropdb_stmt);
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
      return TransformCreateRole(*node.create_role_stmt);
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
      return TransformAlterRole(*node.alter_role_stmt);
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
      return TransformDropRole(*node.drop_role_stmt);
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      return TransformTransaction(*node.transaction_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
      return TransformVariableSet(*node.variable_set_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
      return TransformVariableShow(*node.variable_show_stmt);
    case PG_QUERY__NODE__NODE_CHECK_POINT_STMT:
      return ast::Statement(ast::Checkpoint{});
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
      return TransformVacuum(*node.vacuum_stmt);
    case PG_QUERY__NODE__NODE_CLUSTER_STMT:
      return TransformCluster(*node.cluster_stmt);
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
      return TransformReindex(*node.reindex_stmt);
    case PG_QUERY__NODE__NODE_CONSTRAINTS_SET_STMT:
      return TransformConstraintsSet(*node.constraints_set_stmt);
    case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
      return TransformDeclareCursor(*node.declare_cursor_stmt);
    case PG_QUERY__NODE__NODE_FETCH_STMT:
      return TransformFetch(*node.fetch_stmt);
    case PG_QUERY__NODE__NODE_CLOSE_PORTAL_STMT:
      return TransformClosePortal(*node.close_portal_stmt);
    case PG_QUERY__NODE__NODE_COPY_STMT:
      return TransformCopy(*node.copy_stmt);
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      return TransformCreateIndex(*node.index_stmt);
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      return TransformRename(*node.rename_stmt);
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
      return TransformCreateSequence(*node.create_seq_stmt);
    case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
      return TransformAlterSequence(*node.alter_seq_stmt);
    case PG_QUERY__NODE__NODE_VIEW_STMT:
      return TransformCreateView(*node.view_stmt);
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      return TransformAlterTable(*node.alter_table_stmt);
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
      return TransformCreateSchema(*node.create_schema_stmt);
    case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
      return TransformAlterObjectSchema(*node.alter_object_schema_stmt);
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
      return TransformComment(*node.comment_stmt);
    case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
      return TransformCreateEnum(*node.create_enum_stmt);
    case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
      return TransformAlterEnum(*node.alter_enum_stmt);
    case PG_QUERY__NODE__NODE_LOCK_STMT:
      return TransformLock(*node.lock_stmt);
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
      return TransformPrepare(*node.prepare_stmt);
    case PG_QUERY__NODE__NODE_EXECUTE_STMT:
      return TransformExecute(*node.execute_stmt);
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT:
      return TransformDeallocate(*node.deallocate_stmt);
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
      const PgQuery__CreateTableAsStmt& stmt = *node.create_table_as_stmt;
      if (stmt.objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        return Unsupported("CREATE MATERIALIZED VIEW");
      }
      if (stmt.into == nullptr || stmt.query == nullptr ||
          stmt.query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
        return Unsupported("this CREATE TABLE AS form");  // AS EXECUTE name
      }
      return TransformCreateTableAs(*this, *stmt.into, *stmt.query->select_stmt, stmt.if_not_exists,
                                    stmt.is_select_into);
    }
    case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
      return TransformAlterOwner(*this, *node.alter_owner_stmt);
    default:
      return Unsupported(StatementName(node.node_case));
  }
}

Result<ast::TableName> Transformer::TransformTableName(const PgQuery__RangeVar& range_var,
                                                       NameUse use) {
  std::string_view relname = range_var.relname != nullptr ? range_var.relname : "";
  std::string_view schema = range_var.schemaname != nullptr ? range_var.schemaname : "";
  if (range_var.catalogname != nullptr && range_var.catalogname[0] != '\0') {
    return ErrorAt(sqlstate::kFeatureNotSupported,
                   "cross-database references are not implemented: \"" +
                       std::string(range_var.catalogname) + "." + std::string(schema) + "." +
                       std::string(relname) + "\"",
                   range_var.location);
  }
  // The schema is kept as written and resolved by the executor against the catalog and the
  // session's search_path (engine/search_path.h); pg_catalog and information_schema hold the
  // system relations (engine/catalog/system_relation.h), resolved by the binder first.
  static_cast<void>(use);
  ast::TableName name;
  name.name = relname;
  name.schema = schema;
  name.location = range_var.location;
  return name;
}

Result<ast::TableRef> Transformer::TransformTableRef(const PgQuery__RangeVar& range_var) {
  ast::TableRef ref;
  SQLRITE_ASSIGN_OR_RETURN(ref.table, TransformTableName(range_var));
  if (range_var.alias != nullptr) {
    if (range_var.alias->n_colnames > 0) {
      return Unsupported("a column alias list on a table", range_var.location);
    }
    if (range_var.alias->aliasname != nullptr) ref.alias = range_var.alias->aliasname;
  }
  return ref;
}

Result<std::vector<ast::SelectItem>> Transformer::TransformTargetList(PgQuery__Node* const* nodes,
                                                                      size_t n) {
  std::vector<ast::SelectItem> items;
  items.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__Node* node = nodes[i];
    if (node->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
      return Unsupported("this target list entry");
    }
    const PgQuery__ResTarget& target = *node->res_target;
    ast::SelectItem item;
    if (target.name != nullptr) item.alias = target.name;
    const PgQuery__Node* val = target.val;
    if (val != nullptr && val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
        val->column_ref->n_fields > 0 &&
        val->column_ref->fields[val->column_ref->n_fields - 1]->node_case ==
            PG_QUERY__NODE__NODE_A_STAR) {
      const PgQuery__ColumnRef& ref = *val->column_ref;
      item.star = true;
      if (ref.n_fields == 2) {
        item.star_table = NodeString(ref.fields[0]);
      } else if (ref.n_fields > 2) {
        return Unsupported("a schema-qualified t.*", ref.location);
      }
    } else {
      SQLRITE_ASSIGN_OR_RETURN(item.expr, TransformExpr(val));
    }
    items.push_back(std::move(item));
  }
  return items;
}

Result<std::vector<ast::ExprPtr>> Transformer::TransformExprList(PgQuery__Node* const* nodes,
                                                                 size_t n) {
  std::vector<ast::ExprPtr> exprs;
  exprs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(ast::ExprPtr e, TransformExpr(nodes[i]));
    exprs.push_back(std::move(e));
  }
  return exprs;
}

}  // namespace sqlrite::engine::sql
