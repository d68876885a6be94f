// CREATE SCHEMA, DROP SCHEMA, ALTER SCHEMA ... RENAME TO, as PostgreSQL 15's schemacmds.c and
// its dependency walk for DROP. A schema is a SchemaDef of the catalog (engine/catalog.h); its
// relations are the TableDefs whose schema names it. public and the system schemas are built in.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/catalog/cluster_directory.h"
#include "engine/executor.h"
#include "engine/notice.h"
#include "engine/session.h"
#include "engine/sql/rename_refs.h"
#include "engine/table_constraints.h"

namespace sqlrite::engine {
namespace {

// PostgreSQL reserves the pg_ prefix for system schemas (42939).
Status CheckSchemaName(const std::string& name) {
  if (name.size() >= 3 && name.compare(0, 3, "pg_") == 0) {
    return Fail(Error(sqlstate::kReservedName, "unacceptable schema name \"" + name + "\"")
                    .WithDetail("The prefix \"pg_\" is reserved for system schemas."));
  }
  return Ok();
}

bool RoleExists(ExecContext& ctx, const std::string& role) {
  const auto& directory = ctx.db.directory();
  // A database opened on its own (tests) knows no roles but its session's.
  if (directory == nullptr) return role == ctx.session.user();
  for (const catalog::RoleFacts& r : directory->Get()->roles) {
    if (r.name == role) return true;
  }
  return false;
}

const char* KindName(const TableDef& def) {
  if (def.is_view()) return "view";
  if (def.is_sequence()) return "sequence";
  return "table";
}

// What DROP SCHEMA drops besides the schema, as PostgreSQL's dependency walk reports it: each
// relation of the schema (a sequence owned by a column goes with its table, unreported) in
// creation order, each followed by the objects outside the schema that depend on it (foreign
// keys of other tables, views reading it).
struct Dependent {
  std::string description;  // "table s.t", "constraint u_x_fkey on table u"
  std::string depends_on;   // "schema s", "table s.t"
};

std::vector<Dependent> SchemaDependents(ExecContext& ctx, const std::string& schema,
                                        std::vector<const TableDef*>& relations) {
  const Catalog& catalog = ctx.db.catalog();
  const std::vector<std::string> path = SessionSearchPath(catalog, ctx.session);
  for (const auto& [key, def] : catalog.tables()) {
    if (def.schema != schema) continue;
    // A sequence owned by a column of a table of the schema goes with that table, unreported;
    // one owned by a table elsewhere is the schema's like any other.
    if (def.is_sequence() && !def.sequence.owned_by_table.empty() &&
        SplitRelationKey(def.sequence.owned_by_table).first == schema) {
      continue;
    }
    relations.push_back(&def);
  }
  std::sort(relations.begin(), relations.end(),
            [](const TableDef* a, const TableDef* b) { return a->oid < b->oid; });
  std::vector<Dependent> out;
  for (const TableDef* def : relations) {
    const std::string shown = std::string(KindName(*def)) + " " + VisibleName(catalog, path, *def);
    out.push_back({shown, "schema " + schema});
    for (const ReferencingKey& key : ReferencesTo(catalog, RelationKey(*def))) {
      const TableDef* from = catalog.Find(key.table);
      if (from == nullptr || from->schema == schema) continue;
      out.push_back(
          {"constraint " + key.constraint + " on table " + VisibleName(catalog, path, *from),
           shown});
    }
    for (const auto& [key, view] : catalog.tables()) {
      if (!view.is_view() || view.schema == schema) continue;
      if (std::find(view.view_depends.begin(), view.view_depends.end(), def->oid) ==
          view.view_depends.end()) {
        continue;
      }
      out.push_back({"view " + VisibleName(catalog, path, view), shown});
    }
  }
  return out;
}

Result<QueryResult> DropSchemaUnguarded(ExecContext& ctx, const ast::DropSchema& stmt) {
  QueryResult result;
  result.command_tag = "DROP SCHEMA";
  Catalog& catalog = ctx.db.catalog();
  std::vector<std::string> names;
  for (const std::string& name : stmt.names) {
    if (IsSystemSchema(name)) {
      return Fail(sqlstate::kDependentObjectsStillExist,
                  "cannot drop schema " + name + " because it is required by the database system");
    }
    // public too, as in PostgreSQL (engine/catalog.h: BuiltinPublic).
    if (!catalog.SchemaExists(name)) {
      if (stmt.if_exists) {
        result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                        "schema \"" + name + "\" does not exist, skipping"));
        continue;
      }
      return Fail(sqlstate::kInvalidSchemaName, "schema \"" + name + "\" does not exist");
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::vector<Dependent> dependents;
  std::vector<std::vector<const TableDef*>> relations(names.size());
  // PostgreSQL's walk reports the last named schema's objects first.
  for (size_t i = names.size(); i-- > 0;) {
    for (Dependent& d : SchemaDependents(ctx, names[i], relations[i])) {
      dependents.push_back(std::move(d));
    }
  }
  if (!dependents.empty()) {
    std::string detail;
    for (const Dependent& d : dependents) {
      if (!detail.empty()) detail += "\n";
      detail += stmt.cascade ? "drop cascades to " + d.description
                             : d.description + " depends on " + d.depends_on;
    }
    if (!stmt.cascade) {
      const std::string message =
          names.size() == 1
              ? "cannot drop schema " + names[0] + " because other objects depend on it"
              : std::string("cannot drop desired object(s) because other objects depend on them");
      return Fail(Error(sqlstate::kDependentObjectsStillExist, message)
                      .WithDetail(detail)
                      .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
    }
    if (dependents.size() == 1) {
      result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion, "drop cascades to " + dependents[0].description));
    } else {
      result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion,
                 "drop cascades to " + std::to_string(dependents.size()) + " other objects")
              .WithDetail(detail));
    }
  }
  // CASCADE: each relation dropped through its own DROP ... CASCADE (views first, then tables,
  // then sequences, so a view is never left reading a dropped relation); their notices are the
  // ones above already.
  for (size_t i = 0; i < names.size(); ++i) {
    std::vector<ast::TableName> views, tables, sequences;
    for (const TableDef* def : relations[i]) {
      ast::TableName name;
      name.schema = def->schema;
      name.name = def->name;
      (def->is_view() ? views : def->is_sequence() ? sequences : tables).push_back(name);
    }
    if (!views.empty()) {
      ast::DropView drop;
      drop.names = std::move(views);
      drop.cascade = true;
      drop.if_exists = true;  // one may have gone with an earlier one
      SQLRITE_TRY(ExecuteDropView(ctx, drop));
    }
    if (!tables.empty()) {
      ast::DropTable drop;
      drop.tables = std::move(tables);
      drop.cascade = true;
      SQLRITE_TRY(ExecuteDropTable(ctx, drop));
    }
    if (!sequences.empty()) {
      ast::DropSequence drop;
      drop.names = std::move(sequences);
      drop.cascade = true;
      drop.if_exists = true;
      SQLRITE_TRY(ExecuteDropSequence(ctx, drop));
    }
    SQLRITE_TRY(catalog.DropSchema(names[i]));
  }
  return result;
}

}  // namespace

Result<QueryResult> ExecuteCreateSchema(ExecContext& ctx, const ast::CreateSchema& stmt) {
  return GuardStatement([&]() -> Result<QueryResult> {
    QueryResult result;
    result.command_tag = "CREATE SCHEMA";
    std::string owner = stmt.authorization.empty() ? ctx.session.user() : stmt.authorization;
    if (!RoleExists(ctx, owner)) {
      return Fail(sqlstate::kUndefinedObject, "role \"" + owner + "\" does not exist");
    }
    const std::string name = stmt.name.empty() ? owner : stmt.name;
    SQLRITE_TRY(CheckSchemaName(name));
    Catalog& catalog = ctx.db.catalog();
    if (catalog.SchemaExists(name)) {
      if (stmt.if_not_exists) {
        result.notices.push_back(
            Notice(sqlstate::kDuplicateSchema, "schema \"" + name + "\" already exists, skipping"));
        return result;
      }
      return Fail(sqlstate::kDuplicateSchema, "schema \"" + name + "\" already exists");
    }
    SchemaDef def;
    def.name = name;
    def.owner = std::move(owner);
    SQLRITE_TRY(catalog.CreateSchema(std::move(def)));
    return result;
  });
}

Result<QueryResult> ExecuteDropSchema(ExecContext& ctx, const ast::DropSchema& stmt) {
  return GuardStatement([&] { return DropSchemaUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteRenameSchema(ExecContext& ctx, const ast::RenameSchema& stmt) {
  return GuardStatement([&]() -> Result<QueryResult> {
    QueryResult result;
    result.command_tag = "ALTER SCHEMA";
    Catalog& catalog = ctx.db.catalog();
    if (!catalog.SchemaExists(stmt.name)) {
      return Fail(sqlstate::kInvalidSchemaName, "schema \"" + stmt.name + "\" does not exist");
    }
    if (catalog.SchemaExists(stmt.new_name)) {
      return Fail(sqlstate::kDuplicateSchema, "schema \"" + stmt.new_name + "\" already exists");
    }
    SQLRITE_TRY(CheckSchemaName(stmt.new_name));
    if (IsSystemSchema(stmt.name)) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "renaming schema " + stmt.name + " is not supported");
    }
    SQLRITE_TRY(catalog.RenameSchema(stmt.name, stmt.new_name));
    // Views keep SQL text over names: those naming the schema name its new name, and when public
    // is renamed, the bare names (a view names public's relations bare) too.
    std::vector<std::string> views;
    for (const auto& [key, def] : catalog.tables()) {
      if (def.is_view()) views.push_back(key);
    }
    for (const std::string& key : views) {
      TableDef* view = catalog.FindMutable(key);
      SQLRITE_ASSIGN_OR_RETURN(std::string sql,
                               sql::RenameSchemaInQuery(view->view_sql, stmt.name, stmt.new_name));
      if (stmt.name == kPublicSchema) {
        SQLRITE_ASSIGN_OR_RETURN(
            sql, sql::QualifyTablesInQuery(sql, [&](std::string_view relation) {
              return catalog.Find(RelationKey(stmt.new_name, relation)) != nullptr ? stmt.new_name
                                                                                   : std::string();
            }));
      }
      if (sql == view->view_sql) continue;
      SQLRITE_ASSIGN_OR_RETURN(view->view_query, ParseViewQuery(sql));
      view->view_sql = std::move(sql);
      SQLRITE_TRY(catalog.SaveShape(*view));
    }
    return result;
  });
}

}  // namespace sqlrite::engine
