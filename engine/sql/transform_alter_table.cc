// ALTER TABLE [IF EXISTS] t ADD [COLUMN], DROP [COLUMN], ALTER [COLUMN] ... (SET/DROP DEFAULT,
// SET/DROP NOT NULL, [SET DATA] TYPE ... [USING]), ADD / DROP / VALIDATE CONSTRAINT; and the
// renames of a table, its columns and its constraints (RenameStmt).

#include <string>
#include <string_view>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformAlterTable(const PgQuery__AlterTableStmt& stmt) {
  if (stmt.objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || stmt.relation == nullptr) {
    return Unsupported("this ALTER form");
  }
  ast::AlterTable alter;
  SQLRITE_ASSIGN_OR_RETURN(alter.table, TransformTableName(*stmt.relation, NameUse::kDdl));
  alter.if_exists = stmt.missing_ok;
  for (size_t i = 0; i < stmt.n_cmds; ++i) {
    const PgQuery__Node* node = stmt.cmds[i];
    if (node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) {
      return Unsupported("this ALTER TABLE form");
    }
    const PgQuery__AlterTableCmd& c = *node->alter_table_cmd;
    ast::AlterTableCmd cmd{};
    cmd.name = c.name != nullptr ? c.name : "";
    cmd.missing_ok = c.missing_ok;
    cmd.cascade = c.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    switch (c.subtype) {
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn: {
        if (c.def == nullptr || c.def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) {
          return Unsupported("this ADD COLUMN form");
        }
        cmd.kind = ast::AlterTableCmd::kAddColumn;
        cmd.if_not_exists = c.missing_ok;
        cmd.missing_ok = false;
        int primary_keys = 0;
        SQLRITE_ASSIGN_OR_RETURN(
            cmd.column, TransformColumnDef(*c.def->column_def, alter.table.name, cmd.constraints,
                                           primary_keys));
        cmd.location = c.def->column_def->location;
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
        cmd.kind = ast::AlterTableCmd::kColumnDefault;
        if (c.def != nullptr) {
          SQLRITE_ASSIGN_OR_RETURN(cmd.default_value, TransformExpr(c.def));
          SQLRITE_ASSIGN_OR_RETURN(cmd.default_sql, DeparseExpr(c.def));
        }
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
        cmd.kind = ast::AlterTableCmd::kSetNotNull;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression:
        cmd.kind = ast::AlterTableCmd::kDropExpression;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
        cmd.kind = ast::AlterTableCmd::kClusterOn;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster:
        cmd.kind = ast::AlterTableCmd::kDropCluster;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
        cmd.kind = ast::AlterTableCmd::kDropNotNull;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
        cmd.kind = ast::AlterTableCmd::kDropColumn;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
        if (c.def == nullptr || c.def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
          return Unsupported("this ADD CONSTRAINT form");
        }
        const PgQuery__Constraint& k = *c.def->constraint;
        cmd.kind = ast::AlterTableCmd::kAddConstraint;
        cmd.not_valid = k.skip_validation;
        cmd.location = k.location;
        SQLRITE_ASSIGN_OR_RETURN(ast::TableConstraint constraint, TransformTableConstraint(k));
        cmd.constraints.push_back(std::move(constraint));
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
        cmd.kind = ast::AlterTableCmd::kDropConstraint;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
        cmd.kind = ast::AlterTableCmd::kValidateConstraint;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
        if (c.def == nullptr || c.def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF ||
            c.def->column_def->type_name == nullptr) {
          return Unsupported("this ALTER COLUMN TYPE form");
        }
        const PgQuery__ColumnDef& def = *c.def->column_def;
        cmd.kind = ast::AlterTableCmd::kAlterColumnType;
        if (def.coll_clause != nullptr) return Unsupported("COLLATE", def.coll_clause->location);
        SQLRITE_ASSIGN_OR_RETURN(cmd.type, TransformTypeName(*def.type_name, &cmd.type_name));
        if (!IsStoredScalarType(cmd.type.id) && cmd.type_name.empty() &&
            !(cmd.type.id == TypeId::kArray && IsStoredScalarType(cmd.type.elem))) {
          return Unsupported("this type as a column's type", def.type_name->location);
        }
        if (def.raw_default != nullptr) {
          SQLRITE_ASSIGN_OR_RETURN(cmd.using_expr, TransformExpr(def.raw_default));
        }
        cmd.location = def.location;
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity: {
        if (c.def == nullptr || c.def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
          return Unsupported("this ADD GENERATED form");
        }
        const PgQuery__Constraint& k = *c.def->constraint;
        cmd.kind = ast::AlterTableCmd::kAddIdentity;
        cmd.identity = k.generated_when != nullptr && k.generated_when[0] == 'd' ? 'd' : 'a';
        SQLRITE_ASSIGN_OR_RETURN(cmd.identity_options,
                                 TransformSequenceOptions(k.options, k.n_options, false));
        cmd.identity_options.location = k.location;
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity: {
        // SET GENERATED ALWAYS | BY DEFAULT; the sequence options (SET INCREMENT BY, RESTART)
        // are not taken here.
        cmd.kind = ast::AlterTableCmd::kSetIdentity;
        const PgQuery__List* list =
            c.def != nullptr && c.def->node_case == PG_QUERY__NODE__NODE_LIST ? c.def->list
                                                                              : nullptr;
        if (list == nullptr || list->n_items != 1 ||
            list->items[0]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
            list->items[0]->def_elem->defname == nullptr ||
            std::string_view(list->items[0]->def_elem->defname) != "generated" ||
            list->items[0]->def_elem->arg == nullptr ||
            list->items[0]->def_elem->arg->node_case != PG_QUERY__NODE__NODE_INTEGER) {
          return Unsupported("this ALTER COLUMN ... SET form");
        }
        cmd.identity = list->items[0]->def_elem->arg->integer->ival == 'd' ? 'd' : 'a';
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
        cmd.kind = ast::AlterTableCmd::kChangeOwner;
        if (c.newowner == nullptr) return Unsupported("this OWNER TO form");
        if (c.newowner->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING) {
          cmd.new_name = c.newowner->rolename != nullptr ? c.newowner->rolename : "";
        } else if (c.newowner->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC) {
          cmd.new_name = "public";
        }
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
        cmd.kind = ast::AlterTableCmd::kDropIdentity;
        break;
      default:
        return Unsupported("this ALTER TABLE form");
    }
    alter.cmds.push_back(std::move(cmd));
  }
  return ast::Statement(std::move(alter));
}

Result<ast::Statement> Transformer::TransformRename(const PgQuery__RenameStmt& stmt) {
  if (stmt.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) return TransformRenameSchema(stmt);
  if (stmt.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE) return TransformRenameType(stmt);
  if (stmt.relation == nullptr) return Unsupported("ALTER ... RENAME");
  if (stmt.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
    ast::RenameIndex rename;
    SQLRITE_ASSIGN_OR_RETURN(rename.index, TransformTableName(*stmt.relation, NameUse::kDdl));
    rename.new_name = stmt.newname != nullptr ? stmt.newname : "";
    rename.if_exists = stmt.missing_ok;
    return ast::Statement(std::move(rename));
  }
  ast::AlterTableCmd cmd{};
  cmd.name = stmt.subname != nullptr ? stmt.subname : "";
  cmd.new_name = stmt.newname != nullptr ? stmt.newname : "";
  if (stmt.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
    cmd.kind = ast::AlterTableCmd::kRenameTable;
  } else if (stmt.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
             stmt.relation_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
    cmd.kind = ast::AlterTableCmd::kRenameColumn;
  } else if (stmt.rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT) {
    cmd.kind = ast::AlterTableCmd::kRenameConstraint;
  } else {
    return Unsupported("ALTER ... RENAME");
  }
  ast::AlterTable alter;
  SQLRITE_ASSIGN_OR_RETURN(alter.table, TransformTableName(*stmt.relation, NameUse::kDdl));
  alter.if_exists = stmt.missing_ok;
  alter.cmds.push_back(std::move(cmd));
  return ast::Statement(std::move(alter));
}

}  // namespace sqlrite::engine::sql
