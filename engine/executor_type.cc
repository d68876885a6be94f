// Enum types: CREATE TYPE ... AS ENUM, DROP TYPE [CASCADE] (with the columns of the type and the
// views reading them or casting to it as its dependents), ALTER TYPE ... ADD VALUE / RENAME
// VALUE / RENAME TO, with PostgreSQL 15's checks and messages (typecmds.c, pg_enum.c). The type
// lives in the catalog (Catalog::CreateType), so it commits and rolls back with the statement.
// A stored enum value carries its label and the label's sort key (engine/types/enum_type.h):
// RENAME VALUE, and ADD VALUE when the float4 sort orders have no room left between two
// neighbours (PostgreSQL's RenumberEnumType), rewrite the rows of every table with a column of
// the type.

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "engine/executor.h"
#include "engine/notice.h"
#include "engine/search_path.h"
#include "engine/session.h"
#include "engine/sql/ast_walk.h"

namespace sqlrite::engine {
namespace {

// 'text' with its quotes doubled, as a literal.
std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

std::string NameKey(const ast::TableName& name) {
  return name.schema.empty() ? name.name : name.schema + '\0' + name.name;
}

Status CheckLabel(const std::string& label) {
  if (label.size() > kMaxEnumLabelLength) {
    return Fail(Error(sqlstate::kInvalidName, "invalid enum label \"" + label + "\"")
                    .WithDetail("Labels must be 63 bytes or less."));
  }
  return Ok();
}

// A column whose type is the enum, or an array of it.
struct TypeColumn {
  std::string table_key;
  std::string column;
  bool array = false;
  std::string description;  // "column m of table t"
};

// PostgreSQL's dependency walk reports the array type's columns first, then the type's own, each
// in the order the columns were made (tables by oid).
std::vector<TypeColumn> ColumnsOfType(ExecContext& ctx, uint32_t oid) {
  const Catalog& catalog = ctx.db.catalog();
  const std::vector<std::string> path = SessionSearchPath(catalog, ctx.session);
  std::vector<std::pair<uint32_t, std::string>> tables;
  for (const auto& [key, def] : catalog.tables()) {
    if (!def.is_view()) tables.emplace_back(def.oid, key);
  }
  std::sort(tables.begin(), tables.end());
  std::vector<TypeColumn> out;
  for (bool array : {true, false}) {
    for (const auto& [table_oid, key] : tables) {
      const TableDef& def = *catalog.Find(key);
      for (const ColumnDef& c : def.columns) {
        if (c.type.enum_oid != oid || (c.type.id == TypeId::kArray) != array) continue;
        out.push_back({key, c.name, array,
                       "column " + c.name + " of table " + VisibleName(catalog, path, def)});
      }
    }
  }
  return out;
}

// Views, CHECK constraints and expression defaults are kept as SQL text and bound again when the
// catalog loads: one that names the type would no longer bind after the type is renamed or
// dropped (the database's catalog would not load), so those changes are refused while one does
// (a conservative textual match on the type's name). views = false: DROP TYPE, which finds the
// views that cast to the type itself (ViewNamesType) and drops them or names them.
Status RefuseIfNamedInSql(ExecContext& ctx, const EnumType& t, const char* what,
                          bool views = true) {
  auto names = [&](const std::string& sql) {
    std::string lower;
    for (char c : sql)
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return lower.find(t.name) != std::string::npos;
  };
  for (const auto& [key, def] : ctx.db.catalog().tables()) {
    bool named = views && def.is_view() && names(def.view_sql);
    for (const CheckConstraint& c : def.checks) named = named || names(c.sql);
    for (const ColumnDef& c : def.columns) named = named || names(c.default_sql);
    if (named) {
      return Fail(sqlstate::kFeatureNotSupported,
                  std::string(what) +
                      " of a type named in a view, check constraint or default "
                      "expression (" +
                      QualifiedName(key) + ") is not supported yet");
    }
  }
  return Ok();
}

// A view DROP TYPE reaches, and the object it depends on as PostgreSQL's DETAIL names it ("column
// m of table t", "type mood", "view v").
struct TypeView {
  const TableDef* view;
  std::string on;
};

// Whether the view's query names enum type oid: a cast to it or to an array of it (the only
// place a query names a type), resolved as the binder would.
bool ViewNamesType(const TableDef& view, uint32_t oid) {
  if (view.view_query == nullptr) return false;
  // The walk takes a mutable tree (it can shift locations); this visitor only reads.
  auto& query =
      const_cast<ast::Select&>(*view.view_query);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  bool named = false;
  sql::WalkSelect(query, {[&](ast::Expr& e) {
                            const auto* cast = std::get_if<ast::Cast>(&e.node);
                            if (named || cast == nullptr || cast->type_name.empty()) return;
                            Result<EnumTypePtr> t = ResolveEnumType(cast->type_name, 0);
                            named = t.has_value() && (*t)->oid == oid;
                          },
                          [](int&) {}});
  return named;
}

// Appends the views reading relation `of` (described as `on`), then, depth first, the views
// reading those, in creation order (oid), each once.
void AddReadingViews(const Catalog& catalog, const std::vector<std::string>& path,
                     const TableDef& of, const std::string& on, std::vector<TypeView>& out) {
  std::vector<const TableDef*> direct;
  for (const auto& [key, def] : catalog.tables()) {
    if (def.is_view() && std::find(def.view_depends.begin(), def.view_depends.end(), of.oid) !=
                             def.view_depends.end()) {
      direct.push_back(&def);
    }
  }
  std::sort(direct.begin(), direct.end(),
            [](const TableDef* a, const TableDef* b) { return a->oid < b->oid; });
  for (const TableDef* view : direct) {
    if (std::any_of(out.begin(), out.end(), [&](const TypeView& v) { return v.view == view; })) {
      continue;
    }
    out.push_back({view, on});
    AddReadingViews(catalog, path, *view, "view " + VisibleName(catalog, path, *view), out);
  }
}

Datum Remap(const Datum& d, SqlType type, const std::map<std::string, Datum, std::less<>>& map) {
  if (IsNull(d)) return d;
  if (type.id == TypeId::kEnum) {
    auto it = map.find(DatumAs<std::string>(d));
    return it == map.end() ? d : it->second;
  }
  const ArrayValue& a = *DatumAs<ArrayRef>(d);
  std::vector<Datum> items;
  items.reserve(a.items.size());
  for (const Datum& item : a.items) items.push_back(Remap(item, ElementOf(type), map));
  return ArrayDatum(a.elem, std::move(items), a.lower);
}

// Every stored value of type `before` written again as `after` gives the label of the same
// pg_enum oid (a renamed label, renumbered sort orders): the rows of each table with a column of
// the type, and the columns' constant defaults.
Status RewriteStoredValues(ExecContext& ctx, const EnumType& before, const EnumType& after) {
  std::map<std::string, Datum, std::less<>> map;
  for (const EnumLabel& old : before.labels) {
    for (const EnumLabel& now : after.labels) {
      if (now.oid == old.oid) map.emplace(DatumAs<std::string>(EnumValue(old)), EnumValue(now));
    }
  }
  std::vector<std::string> keys;
  for (const auto& [key, def] : ctx.db.catalog().tables()) {
    if (def.is_view()) continue;
    for (const ColumnDef& c : def.columns) {
      if (c.type.enum_oid == before.oid) {
        keys.push_back(key);
        break;
      }
    }
  }
  for (const std::string& key : keys) {
    TableDef next = *ctx.db.catalog().Find(key);
    std::vector<size_t> columns;
    for (size_t i = 0; i < next.columns.size(); ++i) {
      ColumnDef& c = next.columns[i];
      if (c.type.enum_oid != before.oid) continue;
      columns.push_back(i);
      c.default_value = Remap(c.default_value, c.type, map);
      c.missing_value = Remap(c.missing_value, c.type, map);
      // A constant default's text (pg_get_expr) names the label as it is now.
      if (c.type.id == TypeId::kEnum && !IsNull(c.default_value) && c.default_sql.empty()) {
        c.default_text = QuoteLiteral(EnumLabelOf(DatumAs<std::string>(c.default_value)));
      }
    }
    // CHECK constraints hold their constants folded: bound again over the type as it is now.
    for (CheckConstraint& check : next.checks) {
      SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Expr> expr, ParseDefaultExpr(check.sql));
      Result<BoundExpr> bound = BindCheckExpr(next, *expr);
      if (!bound) {
        // Its text names a label that is gone (PostgreSQL's check holds the label's oid).
        return Fail(sqlstate::kFeatureNotSupported,
                    "ALTER TYPE ... RENAME VALUE of a label that check constraint \"" + check.name +
                        "\" names is not supported yet");
      }
      check.bound = std::make_shared<const BoundExpr>(std::move(*bound));
    }
    std::vector<SqlType> types;
    for (size_t i : columns) types.push_back(next.columns[i].type);
    SQLRITE_TRY(RewriteTableValues(ctx, key, std::move(next), [&](Row& row) -> Result<bool> {
      for (size_t k = 0; k < columns.size(); ++k) {
        if (columns[k] < row.size()) row[columns[k]] = Remap(row[columns[k]], types[k], map);
      }
      return true;
    }));
  }
  return Ok();
}

Result<QueryResult> CreateEnumUnguarded(ExecContext& ctx, const ast::CreateEnum& stmt) {
  QueryResult result;
  result.command_tag = "CREATE TYPE";
  Catalog& catalog = ctx.db.catalog();
  SQLRITE_ASSIGN_OR_RETURN(
      std::string schema,
      CreationSchema(catalog, SessionSearchPath(catalog, ctx.session), stmt.name));
  // A table's row type shares the type namespace.
  if (catalog.FindType(schema, stmt.name.name) != nullptr ||
      RelationNameTaken(catalog, RelationKey(schema, stmt.name.name))) {
    return Fail(sqlstate::kDuplicateObject, "type \"" + stmt.name.name + "\" already exists");
  }
  EnumType def;
  def.schema = schema;
  def.name = stmt.name.name;
  for (size_t i = 0; i < stmt.labels.size(); ++i) {
    SQLRITE_TRY(CheckLabel(stmt.labels[i]));
    EnumLabel l;
    l.sort_order = static_cast<float>(i + 1);
    l.label = stmt.labels[i];
    def.labels.push_back(std::move(l));
  }
  SQLRITE_TRY(catalog.CreateType(def));
  // pg_enum's unique index on (enumtypid, enumlabel), as PostgreSQL reports a repeated label.
  for (size_t i = 0; i < stmt.labels.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (stmt.labels[i] != stmt.labels[j]) continue;
      const EnumTypePtr made = catalog.FindType(schema, stmt.name.name);
      return Fail(Error(sqlstate::kUniqueViolation,
                        "duplicate key value violates unique constraint "
                        "\"pg_enum_typid_label_index\"")
                      .WithDetail("Key (enumtypid, enumlabel)=(" + std::to_string(made->oid) +
                                  ", " + stmt.labels[i] + ") already exists."));
    }
  }
  return result;
}

Result<QueryResult> DropTypeUnguarded(ExecContext& ctx, const ast::DropType& stmt) {
  QueryResult result;
  result.command_tag = "DROP TYPE";
  std::vector<EnumTypePtr> types;
  for (const ast::TableName& name : stmt.names) {
    Result<EnumTypePtr> t = ResolveEnumType(NameKey(name), 0);
    if (!t) {
      if (stmt.if_exists) {
        std::string written = NameKey(name);
        if (!name.schema.empty()) written[name.schema.size()] = '.';
        result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                        "type \"" + written + "\" does not exist, skipping"));
        continue;
      }
      return Fail(std::move(t.error()));
    }
    if (std::none_of(types.begin(), types.end(),
                     [&](const EnumTypePtr& x) { return x->oid == (*t)->oid; })) {
      types.push_back(std::move(*t));
    }
  }
  // Checks and defaults that name the type are still refused; views are its dependents.
  for (const EnumTypePtr& t : types) {
    SQLRITE_TRY(RefuseIfNamedInSql(ctx, *t, "DROP TYPE", /*views=*/false));
  }
  const Catalog& catalog = ctx.db.catalog();
  const std::vector<std::string> path = SessionSearchPath(catalog, ctx.session);
  // PostgreSQL's walk: each column of the type, followed by the views reading its table; then
  // the views whose query names the type; each with the views reading it.
  std::vector<TypeColumn> dependents;
  std::vector<std::vector<TypeView>> column_views;  // per dependents[i]
  std::vector<TypeView> views;                      // every view, once
  std::string detail;
  std::string cascade_detail;
  size_t count = 0;
  auto line = [](std::string& text, const std::string& l) {
    if (!text.empty()) text += "\n";
    text += l;
  };
  for (const EnumTypePtr& t : types) {
    for (TypeColumn& c : ColumnsOfType(ctx, t->oid)) {
      const TableDef* def = catalog.Find(c.table_key);
      const ColumnDef& col = def->columns[static_cast<size_t>(def->FindColumn(c.column))];
      line(detail, c.description + " depends on type " + EnumTypeName(col.type.enum_oid) +
                       (c.array ? "[]" : ""));
      line(cascade_detail, "drop cascades to " + c.description);
      ++count;
      std::vector<TypeView> reading;
      AddReadingViews(catalog, path, *def, c.description, reading);
      for (const TypeView& v : reading) {
        line(detail, "view " + VisibleName(catalog, path, *v.view) + " depends on " + v.on);
        if (std::none_of(views.begin(), views.end(),
                         [&](const TypeView& seen) { return seen.view == v.view; })) {
          line(cascade_detail, "drop cascades to view " + VisibleName(catalog, path, *v.view));
          ++count;
          views.push_back(v);
        }
      }
      dependents.push_back(std::move(c));
    }
  }
  for (const EnumTypePtr& t : types) {
    std::vector<const TableDef*> naming;
    for (const auto& [key, def] : catalog.tables()) {
      if (def.is_view() && ViewNamesType(def, t->oid)) naming.push_back(&def);
    }
    std::sort(naming.begin(), naming.end(),
              [](const TableDef* a, const TableDef* b) { return a->oid < b->oid; });
    for (const TableDef* view : naming) {
      std::vector<TypeView> chain = {{view, "type " + EnumTypeName(t->oid)}};
      AddReadingViews(catalog, path, *view, "view " + VisibleName(catalog, path, *view), chain);
      for (const TypeView& v : chain) {
        if (std::any_of(views.begin(), views.end(),
                        [&](const TypeView& seen) { return seen.view == v.view; })) {
          continue;
        }
        line(detail, "view " + VisibleName(catalog, path, *v.view) + " depends on " + v.on);
        line(cascade_detail, "drop cascades to view " + VisibleName(catalog, path, *v.view));
        ++count;
        views.push_back(v);
      }
    }
  }
  if (count > 0) {
    if (!stmt.cascade) {
      const std::string message =
          stmt.names.size() == 1
              ? "cannot drop type " + EnumTypeName(types[0]->oid) +
                    " because other objects depend on it"
              : std::string("cannot drop desired object(s) because other objects depend on them");
      return Fail(Error(sqlstate::kDependentObjectsStillExist, message)
                      .WithDetail(detail)
                      .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
    }
    if (count == 1) {
      result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion, cascade_detail));
    } else {
      result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion,
                 "drop cascades to " + std::to_string(count) + " other objects")
              .WithDetail(cascade_detail));
    }
    // CASCADE: the views first, then each column dropped as ALTER TABLE ... DROP COLUMN ...
    // CASCADE would.
    std::vector<std::string> view_keys;
    view_keys.reserve(views.size());
    for (const TypeView& v : views) view_keys.push_back(RelationKey(*v.view));
    for (const std::string& key : view_keys) SQLRITE_TRY(ctx.db.catalog().Drop(key));
    for (const TypeColumn& d : dependents) {
      const TableDef* def = ctx.db.catalog().Find(d.table_key);
      if (def == nullptr || def->FindColumn(d.column) < 0) continue;
      ast::AlterTable alter;
      alter.table.schema = def->schema;
      alter.table.name = def->name;
      ast::AlterTableCmd cmd{};
      cmd.kind = ast::AlterTableCmd::kDropColumn;
      cmd.name = d.column;
      cmd.cascade = true;
      alter.cmds.push_back(std::move(cmd));
      SQLRITE_TRY(ExecuteAlterTable(ctx, alter));
    }
  }
  for (const EnumTypePtr& t : types) SQLRITE_TRY(ctx.db.catalog().DropType(t->oid));
  return result;
}

Result<QueryResult> AlterEnumUnguarded(ExecContext& ctx, const ast::AlterEnum& stmt) {
  QueryResult result;
  result.command_tag = "ALTER TYPE";
  Catalog& catalog = ctx.db.catalog();
  SQLRITE_ASSIGN_OR_RETURN(EnumTypePtr current, ResolveEnumType(NameKey(stmt.name), 0));
  EnumType next = *current;
  if (stmt.rename_type) {
    if (catalog.FindType(next.schema, stmt.new_name) != nullptr ||
        RelationNameTaken(catalog, RelationKey(next.schema, stmt.new_name))) {
      return Fail(sqlstate::kDuplicateObject, "type \"" + stmt.new_name + "\" already exists");
    }
    SQLRITE_TRY(RefuseIfNamedInSql(ctx, next, "ALTER TYPE ... RENAME TO"));
    next.name = stmt.new_name;
    SQLRITE_TRY(catalog.SaveType(std::move(next)));
    return result;
  }
  if (stmt.rename) {
    EnumLabel* old = nullptr;
    for (EnumLabel& l : next.labels) {
      if (l.label == *stmt.rename) old = &l;
    }
    if (old == nullptr) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "\"" + *stmt.rename + "\" is not an existing enum label");
    }
    if (next.Find(stmt.value) != nullptr) {
      return Fail(sqlstate::kDuplicateObject, "enum label \"" + stmt.value + "\" already exists");
    }
    SQLRITE_TRY(CheckLabel(stmt.value));
    old->label = stmt.value;
    const EnumType after = next;
    SQLRITE_TRY(catalog.SaveType(std::move(next)));  // first: the checks bind over the new labels
    SQLRITE_TRY(RewriteStoredValues(ctx, *current, after));
    return result;
  }
  // ADD VALUE.
  if (next.Find(stmt.value) != nullptr) {
    if (stmt.if_not_exists) {
      result.notices.push_back(
          Notice(sqlstate::kDuplicateObject,
                 "enum label \"" + stmt.value + "\" already exists, skipping"));
      return result;
    }
    return Fail(sqlstate::kDuplicateObject, "enum label \"" + stmt.value + "\" already exists");
  }
  SQLRITE_TRY(CheckLabel(stmt.value));
  size_t at = next.labels.empty() ? 0 : next.labels.size() - 1;
  bool before = false;
  if (!stmt.neighbor.empty()) {
    const EnumLabel* n = next.Find(stmt.neighbor);
    if (n == nullptr) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "\"" + stmt.neighbor + "\" is not an existing enum label");
    }
    at = static_cast<size_t>(n - next.labels.data());
    before = !stmt.after;
  }
  std::optional<float> order = NewSortOrder(next, at, before);
  bool renumbered = false;
  if (!order) {
    // No float4 between the neighbours: 1, 2, 3, ... again (RenumberEnumType).
    for (size_t i = 0; i < next.labels.size(); ++i) {
      next.labels[i].sort_order = static_cast<float>(i + 1);
    }
    order = NewSortOrder(next, at, before);
    renumbered = true;
  }
  SQLRITE_ASSERT(order.has_value());
  EnumLabel added;
  added.sort_order = *order;
  added.label = stmt.value;
  next.labels.insert(next.labels.begin() + static_cast<std::ptrdiff_t>(before ? at : at + 1),
                     std::move(added));
  if (next.labels.size() == 1) next.labels[0].sort_order = 1;
  const EnumType after = next;
  SQLRITE_TRY(catalog.SaveType(std::move(next)));
  if (renumbered) SQLRITE_TRY(RewriteStoredValues(ctx, *current, after));
  return result;
}

}  // namespace

Result<QueryResult> ExecuteCreateEnum(ExecContext& ctx, const ast::CreateEnum& stmt) {
  return GuardStatement([&] { return CreateEnumUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteDropType(ExecContext& ctx, const ast::DropType& stmt) {
  return GuardStatement([&] { return DropTypeUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteAlterEnum(ExecContext& ctx, const ast::AlterEnum& stmt) {
  return GuardStatement([&] { return AlterEnumUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
