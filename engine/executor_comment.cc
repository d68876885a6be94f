// COMMENT ON, as PostgreSQL 15's commands/comment.c over get_object_address: the object named as
// its kind is looked up (a relation through the search_path, in its schema when qualified), the
// wrong kind of relation is 42809, and the text is kept on the object itself (engine/catalog.h:
// TableDef, ColumnDef, IndexDef, CheckConstraint, ForeignKey and SchemaDef each hold their own
// comment), so a comment goes wherever its object goes: dropped with it, renamed and moved with
// it, written and rolled back with the statement. An empty or NULL text removes it.

#include <string>
#include <utility>
#include <vector>

#include "engine/catalog/cluster_directory.h"
#include "engine/executor.h"
#include "engine/search_path.h"
#include "engine/session.h"

namespace sqlrite::engine {
namespace {

Error Warning(const char* code, std::string message) {
  return Error(code, std::move(message)).WithSeverity(Severity::kWarning);
}

// A relation as COMMENT names it: a table, view or sequence (def), or one of def's indexes.
struct RelationTarget {
  TableDef* def = nullptr;
  int index = -1;  // >= 0: def->indexes[index]
};

// The relation `name` names: in its schema when qualified, else in the first schema of the
// search_path holding a relation (a table, view, sequence or index) of that name.
RelationTarget FindTarget(ExecContext& ctx, const ast::TableName& name) {
  Catalog& catalog = ctx.db.catalog();
  std::vector<std::string> schemas;
  if (!name.schema.empty()) {
    schemas.push_back(name.schema);
  } else {
    schemas = SessionSearchPath(catalog, ctx.session);
  }
  for (const std::string& schema : schemas) {
    if (IsSystemSchema(schema)) continue;
    if (TableDef* def = catalog.FindMutable(RelationKey(schema, name.name))) return {def, -1};
    for (const auto& [key, t] : catalog.tables()) {
      if (t.schema != schema) continue;
      for (size_t i = 0; i < t.indexes.size(); ++i) {
        if (t.indexes[i].name == name.name) {
          return {catalog.FindMutable(key), static_cast<int>(i)};
        }
      }
    }
  }
  return {};
}

const std::string& TargetName(const RelationTarget& t) {
  return t.index >= 0 ? t.def->indexes[static_cast<size_t>(t.index)].name : t.def->name;
}

// PostgreSQL's get_relation_by_qualified_name: 42809 when the relation is not of the kind the
// statement names.
Status CheckKind(const ast::Comment& stmt, const RelationTarget& t) {
  const char* wanted = nullptr;
  switch (stmt.kind) {
    case ast::Comment::kTable:
      if (t.index < 0 && t.def->kind == RelKind::kTable) return Ok();
      wanted = "a table";
      break;
    case ast::Comment::kView:
      if (t.index < 0 && t.def->is_view()) return Ok();
      wanted = "a view";
      break;
    case ast::Comment::kSequence:
      if (t.index < 0 && t.def->is_sequence()) return Ok();
      wanted = "a sequence";
      break;
    case ast::Comment::kIndex:
      if (t.index >= 0) return Ok();
      wanted = "an index";
      break;
    default:
      return Ok();
  }
  return Fail(sqlstate::kWrongObjectType,
              "\"" + TargetName(t) + "\" is not " + std::string(wanted));
}

// COMMENT ON COLUMN: the column's comment (get_object_address_attribute, then CommentObject's
// check of the relation's kind).
Status CommentColumn(const ast::Comment& stmt, const RelationTarget& t, std::string text) {
  if (t.index >= 0) {
    const IndexDef& ix = t.def->indexes[static_cast<size_t>(t.index)];
    bool found = false;
    for (int c : ix.columns) {
      found = found ||
              (c != kIndexExpression && t.def->columns[static_cast<size_t>(c)].name == stmt.name);
    }
    for (int c : ix.include)
      found = found || t.def->columns[static_cast<size_t>(c)].name == stmt.name;
    if (!found) {
      return Fail(sqlstate::kUndefinedColumn,
                  "column \"" + stmt.name + "\" of relation \"" + ix.name + "\" does not exist");
    }
    return Fail(
        Error(sqlstate::kWrongObjectType, "cannot set comment on relation \"" + ix.name + "\"")
            .WithDetail("This operation is not supported for indexes."));
  }
  const int column = t.def->FindColumn(stmt.name);
  if (column < 0) {
    return Fail(sqlstate::kUndefinedColumn,
                "column \"" + stmt.name + "\" of relation \"" + t.def->name + "\" does not exist");
  }
  if (t.def->is_sequence()) {
    return Fail(
        Error(sqlstate::kWrongObjectType, "cannot set comment on relation \"" + t.def->name + "\"")
            .WithDetail("This operation is not supported for sequences."));
  }
  t.def->columns[static_cast<size_t>(column)].comment = std::move(text);
  return Ok();
}

// COMMENT ON CONSTRAINT c ON t: a PRIMARY KEY / UNIQUE constraint (its index's constraint
// comment), a CHECK or a FOREIGN KEY of t.
Status CommentConstraint(const ast::Comment& stmt, const RelationTarget& t, std::string text) {
  if (t.index < 0) {
    for (IndexDef& ix : t.def->indexes) {
      if (ix.constraint && ix.name == stmt.name) {
        ix.constraint_comment = std::move(text);
        return Ok();
      }
    }
    for (CheckConstraint& c : t.def->checks) {
      if (c.name == stmt.name) {
        c.comment = std::move(text);
        return Ok();
      }
    }
    for (ForeignKey& fk : t.def->foreign_keys) {
      if (fk.name == stmt.name) {
        fk.comment = std::move(text);
        return Ok();
      }
    }
  }
  return Fail(sqlstate::kUndefinedObject, "constraint \"" + stmt.name + "\" for table \"" +
                                              TargetName(t) + "\" does not exist");
}

Result<QueryResult> CommentUnguarded(ExecContext& ctx, const ast::Comment& stmt) {
  QueryResult result;
  result.command_tag = "COMMENT";
  Catalog& catalog = ctx.db.catalog();
  std::string text = stmt.text.value_or(std::string());
  if (stmt.kind == ast::Comment::kSchema) {
    if (IsSystemSchema(stmt.name) || stmt.name == "pg_toast") {
      return Fail(sqlstate::kFeatureNotSupported,
                  "COMMENT ON SCHEMA " + stmt.name + " is not supported");
    }
    if (!catalog.SchemaExists(stmt.name)) {
      return Fail(sqlstate::kInvalidSchemaName, "schema \"" + stmt.name + "\" does not exist");
    }
    SQLRITE_TRY(catalog.SetSchemaComment(stmt.name, std::move(text)));
    return result;
  }
  if (stmt.kind == ast::Comment::kDatabase) {
    // The Cluster runs COMMENT ON DATABASE itself (the text goes into the global file's database
    // list, engine/cluster.cc); only a database opened without a cluster (tests) gets here. As
    // PostgreSQL: a database that does not exist is only warned about.
    bool exists = stmt.name == ctx.session.database();
    if (const auto& directory = ctx.db.directory(); directory != nullptr) {
      for (const catalog::DatabaseFacts& d : directory->Get()->databases) {
        exists = exists || d.name == stmt.name;
      }
    }
    if (!exists) {
      result.notices.push_back(
          Warning(sqlstate::kInvalidCatalogName, "database \"" + stmt.name + "\" does not exist"));
      return result;
    }
    return Fail(sqlstate::kFeatureNotSupported, "COMMENT ON DATABASE is not supported yet");
  }
  if (stmt.kind == ast::Comment::kType) {
    const std::string key = stmt.relation.schema.empty()
                                ? stmt.relation.name
                                : stmt.relation.schema + '\0' + stmt.relation.name;
    SQLRITE_ASSIGN_OR_RETURN(EnumTypePtr t, ResolveEnumType(key, 0));
    EnumType next = *t;
    next.comment = std::move(text);
    SQLRITE_TRY(catalog.SaveType(std::move(next)));
    return result;
  }
  SQLRITE_TRY(RefuseSystemRelation(stmt.relation));
  const RelationTarget target = FindTarget(ctx, stmt.relation);
  if (target.def == nullptr) return UndefinedTable(ctx, stmt.relation, /*ddl=*/true);
  SQLRITE_TRY(CheckKind(stmt, target));
  switch (stmt.kind) {
    case ast::Comment::kColumn:
      SQLRITE_TRY(CommentColumn(stmt, target, std::move(text)));
      break;
    case ast::Comment::kConstraint:
      SQLRITE_TRY(CommentConstraint(stmt, target, std::move(text)));
      break;
    case ast::Comment::kIndex:
      target.def->indexes[static_cast<size_t>(target.index)].comment = std::move(text);
      break;
    default:
      target.def->comment = std::move(text);
      break;
  }
  SQLRITE_TRY(catalog.SaveComment(*target.def));
  return result;
}

}  // namespace

Result<QueryResult> ExecuteComment(ExecContext& ctx, const ast::Comment& stmt) {
  return GuardStatement([&] { return CommentUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
