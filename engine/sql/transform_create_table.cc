// CREATE TABLE [IF NOT EXISTS] t (col type [constraints], ..., [PRIMARY KEY (...) | UNIQUE (...) |
// CHECK (...) | FOREIGN KEY (...) REFERENCES ...]).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

const char* ConstraintName(PgQuery__ConstrType type) {
  switch (type) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
      return "CHECK constraints";
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
      return "FOREIGN KEY constraints";
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
      return "EXCLUDE constraints";
    case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
      return "identity columns";
    case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
      return "generated columns";
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
    case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE:
      return "deferrable constraints";
    default:
      return "these constraints";
  }
}

// Options of a UNIQUE / PRIMARY KEY index the engine cannot honour.
bool HasIndexOptions(const PgQuery__Constraint& c) {
  return c.n_including > 0 || c.n_options > 0 || c.where_clause != nullptr ||
         (c.indexspace != nullptr && c.indexspace[0] != '\0');
}

// SERIAL and its kin, which PostgreSQL's parser turns into an integer type and a sequence.
std::optional<TypeId> SerialType(const PgQuery__TypeName& type_name) {
  if (type_name.n_names != 1 || type_name.n_array_bounds > 0) return std::nullopt;
  const std::string_view name = NodeString(type_name.names[0]);
  if (name == "serial" || name == "serial4") return TypeId::kInt4;
  if (name == "bigserial" || name == "serial8") return TypeId::kInt8;
  if (name == "smallserial" || name == "serial2") return TypeId::kInt2;
  return std::nullopt;
}

ast::ForeignKeyAction FkAction(const char* action) {
  switch (action != nullptr ? action[0] : 'a') {
    case 'r':
      return ast::ForeignKeyAction::kRestrict;
    case 'c':
      return ast::ForeignKeyAction::kCascade;
    case 'n':
      return ast::ForeignKeyAction::kSetNull;
    case 'd':
      return ast::ForeignKeyAction::kSetDefault;
    default:
      return ast::ForeignKeyAction::kNoAction;
  }
}

std::vector<std::string> NameList(PgQuery__Node* const* nodes, size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(NodeString(nodes[i]));
  return out;
}

}  // namespace

// A CHECK or FOREIGN KEY constraint, of a column (column: its name) or of the table.
Result<ast::TableConstraint> Transformer::TransformCheckOrForeignKey(const PgQuery__Constraint& c,
                                                                     const std::string* column) {
  ast::TableConstraint out;
  out.location = c.location;
  out.column_level = column != nullptr;
  if (c.conname != nullptr) out.name = c.conname;
  if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
    if (c.deferrable || c.initdeferred) {
      return ErrorAt(sqlstate::kFeatureNotSupported,
                     "CHECK constraints cannot be marked DEFERRABLE", c.location);
    }
    out.kind = ast::TableConstraint::kCheck;
    SQLRITE_ASSIGN_OR_RETURN(out.check, TransformExpr(c.raw_expr));
    SQLRITE_ASSIGN_OR_RETURN(out.check_sql, DeparseExpr(c.raw_expr));
    return out;
  }
  out.kind = ast::TableConstraint::kForeignKey;
  // A table constraint's DEFERRABLE / INITIALLY clauses (the grammar's processCASbits; a
  // column constraint's come as nodes of their own, TransformColumnDef applies them).
  out.deferrable = c.deferrable || c.initdeferred;
  out.initially_deferred = c.initdeferred;
  if (c.pktable == nullptr) return Unsupported("this FOREIGN KEY form", c.location);
  SQLRITE_ASSIGN_OR_RETURN(out.ref_table, TransformTableName(*c.pktable));
  if (column != nullptr) {
    out.columns.push_back(*column);
  } else {
    out.columns = NameList(c.fk_attrs, c.n_fk_attrs);
  }
  out.ref_columns = NameList(c.pk_attrs, c.n_pk_attrs);
  const char match =
      c.fk_matchtype != nullptr && c.fk_matchtype[0] != '\0' ? c.fk_matchtype[0] : 's';
  if (match == 'p') {
    return ErrorAt(sqlstate::kFeatureNotSupported, "MATCH PARTIAL not yet implemented", c.location);
  }
  out.match = match == 'f' ? 'f' : 's';
  out.on_delete = FkAction(c.fk_del_action);
  out.on_update = FkAction(c.fk_upd_action);
  out.delete_set_columns = NameList(c.fk_del_set_cols, c.n_fk_del_set_cols);
  return out;
}

// A table constraint: PRIMARY KEY / UNIQUE (columns), CHECK, FOREIGN KEY.
Result<ast::TableConstraint> Transformer::TransformTableConstraint(const PgQuery__Constraint& c) {
  if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
      c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
    return TransformCheckOrForeignKey(c, nullptr);
  }
  ast::TableConstraint constraint;
  constraint.location = c.location;
  if (c.conname != nullptr) constraint.name = c.conname;
  if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
    constraint.kind = ast::TableConstraint::kPrimaryKey;
  } else if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE) {
    constraint.kind = ast::TableConstraint::kUnique;
    if (c.nulls_not_distinct) return Unsupported("NULLS NOT DISTINCT", c.location);
  } else {
    return UnsupportedPlural(ConstraintName(c.contype), c.location);
  }
  if (HasIndexOptions(c)) return UnsupportedPlural("index options", c.location);
  if (c.indexname != nullptr && c.indexname[0] != '\0') {
    return Unsupported("a constraint USING INDEX", c.location);
  }
  constraint.deferrable = c.deferrable || c.initdeferred;
  constraint.initially_deferred = c.initdeferred;
  constraint.columns.reserve(c.n_keys);
  for (size_t k = 0; k < c.n_keys; ++k) constraint.columns.emplace_back(NodeString(c.keys[k]));
  return constraint;
}

// A column of CREATE TABLE or ALTER TABLE ... ADD COLUMN: its CHECK and REFERENCES constraints
// are appended to constraints (in the order written), a PRIMARY KEY counted in primary_keys.
Result<ast::ColumnDef> Transformer::TransformColumnDef(
    const PgQuery__ColumnDef& def, const std::string& table,
    std::vector<ast::TableConstraint>& constraints, int& primary_keys) {
  ast::ColumnDef column;
  column.name = def.colname != nullptr ? def.colname : "";
  column.location = def.location;
  if (def.type_name == nullptr) return Unsupported("a column without a type", def.location);
  if (std::optional<TypeId> serial = SerialType(*def.type_name)) {
    // As PostgreSQL's transformColumnDefinition: an integer column, NOT NULL, whose default
    // is nextval of a sequence it owns (made by the executor).
    column.type = SqlType{*serial, -1};
    column.serial = true;
    column.not_null = true;
  } else {
    SQLRITE_ASSIGN_OR_RETURN(column.type, TransformTypeName(*def.type_name, &column.type_name));
    column.type_location = def.type_name->location;
    // PostgreSQL's CheckAttributeType: no column of a pseudo-type (no position given). The
    // names are spelled here: this library links without engine/types.cc's TypeName.
    if ((column.type.id == TypeId::kVoid || column.type.id == TypeId::kRecord) &&
        column.type_name.empty()) {
      return Fail(sqlstate::kInvalidTableDefinition,
                  "column \"" + column.name + "\" has pseudo-type " +
                      (column.type.id == TypeId::kVoid ? "void" : "record"));
    }
    // The catalogs' types (oid, regclass, name, ...) exist for casts and the system
    // relations; the row format stores none of them.
    if (!IsStoredScalarType(column.type.id) && column.type_name.empty() &&
        !(column.type.id == TypeId::kArray && IsStoredScalarType(column.type.elem))) {
      const PgQuery__TypeName& t = *def.type_name;
      return Unsupported(
          "type " + std::string(NodeString(t.names[t.n_names - 1])) + " as a column's type",
          t.location);
    }
  }
  if (def.coll_clause != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(column.collation, TransformCollationName(def.coll_clause->collname,
                                                                      def.coll_clause->n_collname,
                                                                      def.coll_clause->location));
    if (column.collation.empty()) column.collation = "default";
    column.collation_location = def.coll_clause->location;
  }
  if (def.compression != nullptr && def.compression[0] != '\0') {
    return Unsupported("COMPRESSION", def.location);
  }
  bool saw_null = false;
  bool saw_not_null = false;
  PgQuery__ConstrType last_column_constraint = PG_QUERY__CONSTR_TYPE__CONSTR_TYPE_UNDEFINED;
  // The column's last PRIMARY KEY / UNIQUE, and once a DEFERRABLE / INITIALLY clause follows it,
  // the table constraint it became (constraints' index; the column's flag is then cleared).
  const PgQuery__Constraint* last_key = nullptr;
  // (SIZE_MAX: none; not std::optional, which GCC 12 takes for maybe-uninitialized here.)
  size_t deferrable_key = SIZE_MAX;
  bool not_deferrable = false;  // NOT DEFERRABLE written for the last key or foreign key
  for (size_t k = 0; k < def.n_constraints; ++k) {
    const PgQuery__Node* node = def.constraints[k];
    if (node->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) {
      return Unsupported("this column constraint", def.location);
    }
    const PgQuery__Constraint& c = *node->constraint;
    if (c.contype != PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE &&
        c.contype != PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE &&
        c.contype != PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE &&
        c.contype != PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED) {
      last_column_constraint = c.contype;
    }
    switch (c.contype) {
      case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
      case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: {
        bool not_null = c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL;
        if ((not_null && saw_null) || (!not_null && saw_not_null)) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "conflicting NULL/NOT NULL declarations for column \"" + column.name +
                             "\" of table \"" + table + "\"",
                         c.location);
        }
        (not_null ? saw_not_null : saw_null) = true;
        if (not_null) column.not_null = true;
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: {
        if (column.default_value != nullptr) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "multiple default values specified for column \"" + column.name +
                             "\" of table \"" + table + "\"",
                         c.location);
        }
        if (column.serial) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "multiple default values specified for column \"" + column.name +
                             "\" of table \"" + table + "\"",
                         c.location);
        }
        if (column.generated != nullptr) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "both default and generation expression specified for column \"" +
                             column.name + "\" of table \"" + table + "\"",
                         c.location);
        }
        SQLRITE_ASSIGN_OR_RETURN(column.default_value, TransformExpr(c.raw_expr));
        SQLRITE_ASSIGN_OR_RETURN(column.default_sql, DeparseExpr(c.raw_expr));
        column.default_location = c.location;
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED: {
        // As transformColumnDefinition's checks, in the order it makes them.
        const char* clash = column.generated != nullptr       ? nullptr
                            : column.default_value != nullptr ? "default"
                            : column.identity != 0            ? "identity"
                                                              : nullptr;
        if (column.generated != nullptr) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "multiple generation clauses specified for column \"" + column.name +
                             "\" of table \"" + table + "\"",
                         c.location);
        }
        if (clash != nullptr) {
          return ErrorAt(sqlstate::kSyntaxError,
                         std::string("both ") + clash +
                             " and generation expression specified for column \"" + column.name +
                             "\" of table \"" + table + "\"",
                         c.location);
        }
        SQLRITE_ASSIGN_OR_RETURN(column.generated, TransformExpr(c.raw_expr));
        SQLRITE_ASSIGN_OR_RETURN(column.generated_sql, DeparseExpr(c.raw_expr));
        column.generated_location = c.location;
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY: {
        if (column.generated != nullptr) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "both identity and generation expression specified for column \"" +
                             column.name + "\" of table \"" + table + "\"",
                         c.location);
        }
        if (column.identity != 0) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "multiple identity specifications for column \"" + column.name +
                             "\" of table \"" + table + "\"",
                         c.location);
        }
        column.identity = c.generated_when != nullptr && c.generated_when[0] == 'd' ? 'd' : 'a';
        SQLRITE_ASSIGN_OR_RETURN(column.identity_options,
                                 TransformSequenceOptions(c.options, c.n_options, false));
        column.identity_options.location = c.location;
        column.not_null = true;
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
        if (HasIndexOptions(c)) return UnsupportedPlural("index options", c.location);
        if (++primary_keys > 1) {
          return ErrorAt(sqlstate::kInvalidTableDefinition,
                         "multiple primary keys for table \"" + table + "\" are not allowed",
                         c.location);
        }
        column.primary_key = true;
        column.not_null = true;  // as in PostgreSQL, a key column is implicitly NOT NULL
        last_key = &c;
        deferrable_key = SIZE_MAX;
        not_deferrable = false;
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
        if (HasIndexOptions(c)) return UnsupportedPlural("index options", c.location);
        if (c.nulls_not_distinct) return Unsupported("NULLS NOT DISTINCT", c.location);
        column.unique = true;
        last_key = &c;
        deferrable_key = SIZE_MAX;
        not_deferrable = false;
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
      case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
        SQLRITE_ASSIGN_OR_RETURN(ast::TableConstraint constraint,
                                 TransformCheckOrForeignKey(c, &column.name));
        // In the order written among the table's constraints, which names them.
        constraints.push_back(std::move(constraint));
        last_column_constraint = c.contype;
        not_deferrable = false;
        continue;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE:
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
      case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED: {
        // The grammar gives a column constraint's DEFERRABLE / INITIALLY clauses as nodes
        // of their own after it (transformConstraintAttrs).
        const bool keyed = last_column_constraint == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN ||
                           last_column_constraint == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
                           last_column_constraint == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE;
        const char* clause =
            c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE ? "NOT DEFERRABLE"
            : c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE   ? "DEFERRABLE"
                                                                           : nullptr;
        if (!keyed) {
          return ErrorAt(
              sqlstate::kSyntaxError,
              clause != nullptr
                  ? std::string("misplaced ") + clause + " clause"
                  : std::string("misplaced INITIALLY ") +
                        (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED ? "DEFERRED"
                                                                                  : "IMMEDIATE") +
                        " clause",
              c.location);
        }
        const bool foreign = last_column_constraint == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN;
        // As transformConstraintAttrs: INITIALLY DEFERRED after NOT DEFERRABLE.
        if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE) not_deferrable = true;
        if (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED && not_deferrable) {
          return ErrorAt(sqlstate::kSyntaxError,
                         "constraint declared INITIALLY DEFERRED must be DEFERRABLE", c.location);
        }
        if (!foreign && deferrable_key == SIZE_MAX &&
            (c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE ||
             c.contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED)) {
          // A deferrable key of the column becomes a table constraint on it, which carries
          // the clauses (the column's own flags cannot).
          ast::TableConstraint key;
          const bool primary = last_key->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
          key.kind = primary ? ast::TableConstraint::kPrimaryKey : ast::TableConstraint::kUnique;
          if (last_key->conname != nullptr) key.name = last_key->conname;
          key.columns.push_back(column.name);
          key.column_level = true;
          key.location = last_key->location;
          (primary ? column.primary_key : column.unique) = false;
          deferrable_key = constraints.size();
          constraints.push_back(std::move(key));
        }
        if (foreign || deferrable_key != SIZE_MAX) {
          // The foreign key just added (the last constraint of this column's list), or the
          // deferrable key.
          ast::TableConstraint& fk = foreign ? constraints.back() : constraints[deferrable_key];
          switch (c.contype) {
            case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
              fk.deferrable = true;
              break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
              if (fk.initially_deferred) {
                return ErrorAt(sqlstate::kSyntaxError,
                               "constraint declared INITIALLY DEFERRED must be DEFERRABLE",
                               c.location);
              }
              break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
              fk.deferrable = true;
              fk.initially_deferred = true;
              break;
            default:
              break;
          }
        }
        continue;
      }
      default:
        return UnsupportedPlural(ConstraintName(c.contype), c.location);
    }
  }
  if (column.identity != 0 && column.default_value != nullptr) {
    return ErrorAt(sqlstate::kSyntaxError,
                   "both default and identity specified for column \"" + column.name +
                       "\" of table \"" + table + "\"",
                   def.location);
  }
  return column;
}

Result<ast::Statement> Transformer::TransformCreateTable(const PgQuery__CreateStmt& stmt) {
  if (stmt.relation == nullptr) return Unsupported("this CREATE TABLE form");
  const PgQuery__RangeVar& relation = *stmt.relation;
  if (relation.relpersistence != nullptr && relation.relpersistence[0] == 't') {
    return UnsupportedPlural("temporary tables", relation.location);
  }
  if (stmt.n_inh_relations > 0) return Unsupported("INHERITS");
  if (stmt.partspec != nullptr) return Unsupported("PARTITION BY");
  if (stmt.partbound != nullptr) return Unsupported("PARTITION OF");
  if (stmt.of_typename != nullptr) return Unsupported("CREATE TABLE OF");
  if (stmt.tablespacename != nullptr && stmt.tablespacename[0] != '\0') {
    return Unsupported("TABLESPACE");
  }
  if (stmt.access_method != nullptr && stmt.access_method[0] != '\0') return Unsupported("USING");
  for (size_t i = 0; i < stmt.n_options; ++i) {
    // fillfactor is a storage hint with no effect on results (pgbench sets it): accept it.
    const PgQuery__Node* opt = stmt.options[i];
    if (opt->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
        std::string_view(opt->def_elem->defname != nullptr ? opt->def_elem->defname : "") !=
            "fillfactor") {
      return UnsupportedPlural("storage parameters other than fillfactor");
    }
  }

  ast::CreateTable create;
  SQLRITE_ASSIGN_OR_RETURN(create.table, TransformTableName(relation, NameUse::kDdl));
  create.if_not_exists = stmt.if_not_exists;
  const std::string& table = create.table.name;
  int primary_keys = 0;
  auto check_one_primary_key = [&](int location) -> Status {
    if (++primary_keys > 1) {
      return ErrorAt(sqlstate::kInvalidTableDefinition,
                     "multiple primary keys for table \"" + table + "\" are not allowed", location);
    }
    return Ok();
  };

  for (size_t i = 0; i < stmt.n_table_elts; ++i) {
    const PgQuery__Node* elt = stmt.table_elts[i];
    if (elt->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
      SQLRITE_ASSIGN_OR_RETURN(
          ast::ColumnDef column,
          TransformColumnDef(*elt->column_def, table, create.constraints, primary_keys));
      create.columns.push_back(std::move(column));
    } else if (elt->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
      const PgQuery__Constraint& c = *elt->constraint;
      SQLRITE_ASSIGN_OR_RETURN(ast::TableConstraint constraint, TransformTableConstraint(c));
      if (constraint.kind == ast::TableConstraint::kPrimaryKey) {
        SQLRITE_TRY(check_one_primary_key(c.location));
      }
      create.constraints.push_back(std::move(constraint));
    } else if (elt->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE) {
      return Unsupported("LIKE in CREATE TABLE");
    } else {
      return Unsupported("this table element");
    }
  }
  return ast::Statement(std::move(create));
}

}  // namespace sqlrite::engine::sql
