// CREATE [OR REPLACE] VIEW, DROP VIEW, and the views a DROP of another relation takes with it.
//
// A view is a catalog entry (RelKind::kView) holding its query as SQL text and the oids of the
// relations the query reads; reading it binds that query in place of a table
// (engine/analyze/bind_select.cc). See docs/decisions.md "Views: the query as text, bound
// where it is read".

#include <algorithm>
#include <set>

#include "engine/analyze/bind_select.h"
#include "engine/executor.h"
#include "engine/expression.h"
#include "engine/notice.h"
#include "engine/search_path.h"
#include "engine/sql/rename_refs.h"

namespace sqlrite::engine {
namespace {

const char* KindName(const TableDef& def) {
  if (def.is_view()) return "view";
  if (def.is_sequence()) return "sequence";
  return "table";
}

// The views that read `root` directly or through other views, depth first in creation order
// (oid), each once; those named in `dropping` (dropped by the same statement) are left out.
void CollectDependents(const Catalog& catalog, uint32_t root, const std::set<std::string>& dropping,
                       std::vector<const TableDef*>& out,
                       std::vector<std::pair<const TableDef*, const TableDef*>>& edges,
                       const TableDef* of) {
  std::vector<const TableDef*> direct;
  for (const auto& [name, def] : catalog.tables()) {
    if (!def.is_view() || dropping.count(name) > 0) continue;
    if (std::find(def.view_depends.begin(), def.view_depends.end(), root) != def.view_depends.end())
      direct.push_back(&def);
  }
  std::sort(direct.begin(), direct.end(),
            [](const TableDef* a, const TableDef* b) { return a->oid < b->oid; });
  for (const TableDef* view : direct) {
    if (std::find(out.begin(), out.end(), view) != out.end()) continue;
    out.push_back(view);
    edges.emplace_back(view, of);
    CollectDependents(catalog, view->oid, dropping, out, edges, view);
  }
}

}  // namespace

Status DropDependentViews(ExecContext& ctx, const TableDef& def, bool cascade,
                          const std::set<std::string>& dropping, std::vector<Error>& notices) {
  Catalog& catalog = ctx.db.catalog();
  std::vector<const TableDef*> views;
  std::vector<std::pair<const TableDef*, const TableDef*>> edges;
  CollectDependents(catalog, def.oid, dropping, views, edges, &def);
  if (views.empty()) return Ok();
  if (!cascade) {
    // As getObjectDescription: a relation the search path does not find by its name is
    // qualified.
    const std::vector<std::string> path = SessionSearchPath(catalog, ctx.session);
    auto shown = [&](const TableDef& t) { return VisibleName(catalog, path, t); };
    std::string detail;
    for (const auto& [view, on] : edges) {
      if (!detail.empty()) detail += "\n";
      detail += "view " + shown(*view) + " depends on " + KindName(*on) + " " + shown(*on);
    }
    return Fail(Error(sqlstate::kDependentObjectsStillExist,
                      std::string("cannot drop ") + KindName(def) + " " + shown(def) +
                          " because other objects depend on it")
                    .WithDetail(std::move(detail))
                    .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
  }
  if (views.size() == 1) {
    notices.push_back(Notice("drop cascades to view " + views[0]->name));
  } else {
    std::string detail;
    for (const TableDef* view : views) {
      if (!detail.empty()) detail += "\n";
      detail += "drop cascades to view " + view->name;
    }
    notices.push_back(Notice("drop cascades to " + std::to_string(views.size()) + " other objects")
                          .WithDetail(std::move(detail)));
  }
  std::vector<std::string> names;
  for (const TableDef* view : views) names.push_back(RelationKey(*view));
  for (const std::string& name : names) SQLRITE_TRY(catalog.Drop(name));
  return Ok();
}

namespace {

// A view's column must have a type the catalog entry can keep (engine/catalog.cc reads back
// only these): PostgreSQL's 42P16 for the pseudo-types (an anonymous record, void), 0A000 for
// the catalogs' own types and a table's row type, which PostgreSQL allows but the catalog entry
// cannot hold yet; either way never an entry that reads back as malformed.
Status CheckViewColumnType(const ColumnDef& col) {
  const SqlType t = col.type;
  const auto storable = [](TypeId id) { return IsStoredScalarType(id) || id == TypeId::kEnum; };
  if (t.id == TypeId::kUnknown || storable(t.id) || (IsArray(t) && storable(t.elem))) return Ok();
  if ((t.id == TypeId::kRecord && t.enum_oid == 0) || t.id == TypeId::kVoid) {
    return Fail(sqlstate::kInvalidTableDefinition,
                "column \"" + col.name + "\" has pseudo-type " + SqlTypeName(t));
  }
  return Fail(sqlstate::kFeatureNotSupported,
              "a view column of type " + SqlTypeName(t) + " is not supported");
}

// The view's columns: the query's, renamed by the column list.
Result<std::vector<ColumnDef>> ViewColumns(const ast::CreateView& stmt, const BoundSelect& bound) {
  const std::vector<ColumnInfo>& columns = bound.items.columns;
  if (stmt.columns.size() > columns.size()) {
    return Fail(sqlstate::kSyntaxError, "CREATE VIEW specifies more column names than columns");
  }
  std::vector<ColumnDef> out;
  for (size_t c = 0; c < columns.size(); ++c) {
    ColumnDef col;
    col.name = c < stmt.columns.size() ? stmt.columns[c] : columns[c].name;
    col.type = columns[c].sql_type();
    SQLRITE_TRY(CheckViewColumnType(col));
    for (const ColumnDef& seen : out) {
      if (seen.name == col.name) {
        return Fail(sqlstate::kDuplicateColumn,
                    "column \"" + col.name + "\" specified more than once");
      }
    }
    out.push_back(std::move(col));
  }
  return out;
}

// A type as PostgreSQL's format_type_with_typemod writes it: numeric's precision and scale too.
std::string TypeWithTypmod(SqlType type) {
  if (type.id == TypeId::kNumeric && type.typmod >= 4) {
    const int32_t m = type.typmod - 4;
    return "numeric(" + std::to_string(m >> 16) + "," + std::to_string(m & 0xffff) + ")";
  }
  return TypeDisplayName(type);
}

// CREATE OR REPLACE VIEW keeps the old columns as a prefix (PostgreSQL's
// checkViewTupleDesc): same names and types, new ones only at the end.
Status CheckReplacement(const TableDef& old, const std::vector<ColumnDef>& columns) {
  if (columns.size() < old.columns.size()) {
    return Fail(sqlstate::kInvalidTableDefinition, "cannot drop columns from view");
  }
  for (size_t c = 0; c < old.columns.size(); ++c) {
    const ColumnDef& was = old.columns[c];
    const ColumnDef& now = columns[c];
    if (was.name != now.name) {
      return Fail(
          Error(sqlstate::kInvalidTableDefinition,
                "cannot change name of view column \"" + was.name + "\" to \"" + now.name + "\"")
              .WithHint("Use ALTER VIEW ... RENAME COLUMN ... to change name of view "
                        "column instead."));
    }
    if (was.type.id != now.type.id || was.type.typmod != now.type.typmod) {
      return Fail(sqlstate::kInvalidTableDefinition,
                  "cannot change data type of view column \"" + was.name + "\" from " +
                      TypeWithTypmod(was.type) + " to " + TypeWithTypmod(now.type));
    }
  }
  return Ok();
}

Result<QueryResult> CreateViewUnguarded(ExecContext& ctx, const ast::CreateView& stmt) {
  QueryResult result;
  result.command_tag = "CREATE VIEW";
  Catalog& catalog = ctx.db.catalog();
  const std::string& name = stmt.name.name;
  SQLRITE_ASSIGN_OR_RETURN(const std::string key, CreationKey(ctx, stmt.name));
  const TableDef* old = catalog.Find(key);
  if (old != nullptr && stmt.or_replace && !old->is_view()) {
    return Fail(sqlstate::kWrongObjectType, "\"" + name + "\" is not a view");
  }
  if ((old != nullptr && !stmt.or_replace) || (old == nullptr && RelationNameTaken(catalog, key))) {
    return Fail(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  // Bind the query as a SELECT would be (its errors are the view's), noting what it reads.
  std::vector<uint32_t> reads;
  ExecContext bind_ctx{ctx.db, ctx.session, /*describe_only=*/true};
  bind_ctx.referenced_relations = &reads;
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindSelect(bind_ctx, *stmt.query));
  SQLRITE_ASSIGN_OR_RETURN(std::vector<ColumnDef> columns, ViewColumns(stmt, bound));
  std::sort(reads.begin(), reads.end());
  reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
  // The text names the relations bound here whatever a later reader's search_path: a name that
  // resolved outside public is stored qualified.
  std::string sql = stmt.sql;
  if (!catalog.schemas().empty()) {
    SQLRITE_ASSIGN_OR_RETURN(sql, sql::QualifyTablesInQuery(sql, [&](std::string_view relation) {
                               ast::TableName bare;
                               bare.name = relation;
                               const TableDef* def = LookupTable(ctx, bare);
                               return def != nullptr ? def->schema : std::string();
                             }));
  }
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Select> query, ParseViewQuery(sql));
  if (old != nullptr) {
    SQLRITE_TRY(CheckReplacement(*old, columns));
    TableDef* def = catalog.FindMutable(key);
    reads.erase(std::remove(reads.begin(), reads.end(), def->oid), reads.end());
    def->columns = std::move(columns);
    def->view_sql = sql;
    def->view_query = std::move(query);
    def->view_depends = std::move(reads);
    SQLRITE_TRY(catalog.SaveShape(*def));
    return result;
  }
  TableDef def;
  def.name = name;
  def.schema = SplitRelationKey(key).first;
  def.kind = RelKind::kView;
  def.columns = std::move(columns);
  def.view_sql = std::move(sql);
  def.view_query = std::move(query);
  def.view_depends = std::move(reads);
  SQLRITE_TRY(catalog.Create(std::move(def)));
  return result;
}

Result<QueryResult> DropViewUnguarded(ExecContext& ctx, const ast::DropView& stmt) {
  QueryResult result;
  result.command_tag = "DROP VIEW";
  Catalog& catalog = ctx.db.catalog();
  std::set<std::string> dropping;  // by RelationKey
  for (const ast::TableName& name : stmt.names) {
    if (const TableDef* def = LookupTable(ctx, name)) dropping.insert(RelationKey(*def));
  }
  std::set<std::string> dropped;  // a name given twice is one object, dropped once
  for (const ast::TableName& name : stmt.names) {
    if (!name.schema.empty() && !catalog.SchemaExists(name.schema)) {
      if (!stmt.if_exists) return UndefinedTable(ctx, name, /*ddl=*/true);
      result.notices.push_back(Notice("schema \"" + name.schema + "\" does not exist, skipping"));
      continue;
    }
    const TableDef* def = LookupTable(ctx, name);
    const std::string key =
        def != nullptr ? RelationKey(*def)
                       : RelationKey(name.schema.empty() ? kPublicSchema : name.schema, name.name);
    if (dropped.count(key) > 0) continue;
    if (def == nullptr && RelationNameTaken(catalog, key)) {
      return Fail(Error(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not a view")
                      .WithHint("Use DROP INDEX to remove an index."));
    }
    if (def == nullptr) {
      if (stmt.if_exists) {
        result.notices.push_back(Notice("view \"" + name.name + "\" does not exist, skipping"));
        continue;
      }
      return Fail(sqlstate::kUndefinedTable, "view \"" + name.name + "\" does not exist");
    }
    if (!def->is_view()) {
      return Fail(Error(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not a view")
                      .WithHint(def->is_sequence() ? "Use DROP SEQUENCE to remove a sequence."
                                                   : "Use DROP TABLE to remove a table."));
    }
    SQLRITE_TRY(DropDependentViews(ctx, *def, stmt.cascade, dropping, result.notices));
    SQLRITE_TRY(catalog.Drop(key));
    dropping.erase(key);
    dropped.insert(key);
  }
  return result;
}

}  // namespace

Result<QueryResult> ExecuteCreateView(ExecContext& ctx, const ast::CreateView& stmt) {
  return GuardStatement([&] { return CreateViewUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteDropView(ExecContext& ctx, const ast::DropView& stmt) {
  return GuardStatement([&] { return DropViewUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
