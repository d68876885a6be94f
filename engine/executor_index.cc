// CREATE INDEX, DROP INDEX and ALTER INDEX ... RENAME TO, with PostgreSQL 15's names, checks
// and messages. An index is an IndexDef of its table (engine/catalog.h) with a tree of its own,
// filled from the table's rows when created and kept in step by engine/table_access.h.
//
// Index names share one namespace with tables, as relation names do in PostgreSQL.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/assert.h"
#include "engine/executor.h"
#include "engine/index_expressions.h"
#include "engine/index_order.h"
#include "engine/key_codec.h"
#include "engine/notice.h"
#include "engine/session.h"
#include "engine/statement_spill.h"
#include "engine/table_access.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

constexpr size_t kMaxIdentifierBytes = 63;  // NAMEDATALEN - 1

struct IndexRef {
  TableDef* table = nullptr;
  size_t index = 0;
};

// The index of RelationKey `key` (its name in its schema), in any table of that schema.
std::optional<IndexRef> FindIndex(Catalog& catalog, std::string_view key) {
  const auto [schema, name] = SplitRelationKey(key);
  for (const auto& [table_key, def] : catalog.tables()) {
    if (def.schema != schema) continue;
    for (size_t i = 0; i < def.indexes.size(); ++i) {
      if (def.indexes[i].name == name) return IndexRef{catalog.FindMutable(table_key), i};
    }
  }
  return std::nullopt;
}

bool RelationExists(Catalog& catalog, std::string_view key) {
  return catalog.Find(key) != nullptr || FindIndex(catalog, key).has_value();
}

// The RelationKey an index name stands for: in its schema when qualified, else in the first schema
// of the session's search_path holding a relation of that name (the first schema when none does).
std::string IndexKey(ExecContext& ctx, const ast::TableName& name) {
  Catalog& catalog = ctx.db.catalog();
  if (!name.schema.empty()) return RelationKey(name.schema, name.name);
  const std::vector<std::string> path = SessionSearchPath(catalog, ctx.session);
  for (const std::string& schema : path) {
    if (IsSystemSchema(schema)) continue;
    std::string key = RelationKey(schema, name.name);
    if (RelationExists(catalog, key)) return key;
  }
  return RelationKey(path.empty() ? kPublicSchema : std::string_view(path.front()), name.name);
}

// Clips s to at most n bytes without splitting a UTF-8 character (pg_mbcliplen).
std::string Clip(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

}  // namespace

std::string MakeObjectName(std::string_view name1, std::string_view name2, std::string_view label) {
  size_t name1_chars = name1.size(), name2_chars = name2.size();
  size_t overhead = (name2.empty() ? 0 : 1) + (label.empty() ? 0 : label.size() + 1);
  const size_t avail = kMaxIdentifierBytes > overhead ? kMaxIdentifierBytes - overhead : 0;
  while (name1_chars + name2_chars > avail) {
    if (name1_chars > name2_chars) {
      --name1_chars;
    } else {
      --name2_chars;
    }
  }
  std::string out = Clip(name1, name1_chars);
  if (!name2.empty()) out += "_" + Clip(name2, name2_chars);
  if (!label.empty()) out += "_" + std::string(label);
  return out;
}

namespace {

// PostgreSQL's ChooseIndexName for a plain index: table_col1_col2_idx, then idx1, idx2, ... until
// no relation has the name. The column part is ChooseIndexNameAddition's: the columns' names
// (repeats numbered as ChooseIndexColumnNames does), joined by "_", cut once it passes 63 bytes.
std::string DefaultIndexName(Catalog& catalog, std::string_view schema, const std::string& table,
                             const std::vector<std::string>& columns) {
  std::vector<std::string> names;
  for (const std::string& c : columns) {
    std::string name = c;
    for (int i = 1;; ++i) {
      bool taken = false;
      for (const std::string& n : names) taken |= n == name;
      if (!taken) break;
      const std::string suffix = std::to_string(i);
      name = Clip(c, kMaxIdentifierBytes - suffix.size()) + suffix;
    }
    names.push_back(std::move(name));
  }
  std::string addition;
  for (const std::string& n : names) {
    if (!addition.empty()) addition += "_";
    addition += n;
    if (addition.size() >= kMaxIdentifierBytes) break;
  }
  std::string label = "idx";
  for (int pass = 1;; ++pass) {
    std::string name = MakeObjectName(table, addition, label);
    if (!RelationExists(catalog, RelationKey(schema, name))) return name;
    label = "idx" + std::to_string(pass);
  }
}

Result<int> IndexColumn(const TableDef& def, const ast::IndexColumn& c) {
  const int position = def.FindColumn(c.name);
  if (position < 0) {
    return Fail(sqlstate::kUndefinedColumn, "column \"" + c.name + "\" does not exist");
  }
  return position;
}

Result<QueryResult> CreateIndexUnguarded(ExecContext& ctx, const ast::CreateIndex& stmt) {
  QueryResult result;
  result.command_tag = "CREATE INDEX";
  Catalog& catalog = ctx.db.catalog();
  SQLRITE_TRY(RefuseSystemRelation(stmt.table));
  const TableDef* found = LookupTable(ctx, stmt.table);
  TableDef* def = found != nullptr ? catalog.FindMutable(RelationKey(*found)) : nullptr;
  if (def == nullptr) {
    if (!stmt.table.schema.empty() && !catalog.SchemaExists(stmt.table.schema)) {
      return UndefinedTable(ctx, stmt.table, /*ddl=*/true);
    }
    if (FindIndex(catalog, IndexKey(ctx, stmt.table))) {
      return Fail(Error(sqlstate::kWrongObjectType,
                        "cannot create index on relation \"" + stmt.table.name + "\"")
                      .WithDetail("This operation is not supported for indexes."));
    }
    return UndefinedTable(ctx, stmt.table, /*ddl=*/true);
  }
  if (def->is_sequence() || def->is_view()) {
    // nextval rewrites a sequence's row without index upkeep, so an index would go stale.
    return Fail(Error(sqlstate::kWrongObjectType,
                      "cannot create index on relation \"" + stmt.table.name + "\"")
                    .WithDetail(def->is_view() ? "This operation is not supported for views."
                                               : "This operation is not supported for sequences."));
  }
  IndexDef ix;
  ix.unique = stmt.unique;
  ix.constraint = false;
  ix.nulls_not_distinct = stmt.nulls_not_distinct;
  std::vector<std::string> names;
  bool default_options = true;
  for (const ast::IndexColumn& c : stmt.columns) {
    SqlType type;
    if (!c.expr_sql.empty()) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, BindIndexExpression(*def, c.expr_sql, false));
      type = e.type;
      ix.expressions.resize(ix.columns.size());
      ix.expressions.push_back(c.expr_sql);
      ix.columns.push_back(kIndexExpression);
      SQLRITE_ASSIGN_OR_RETURN(std::string name, IndexExpressionName(*def, c.expr_sql));
      names.push_back(std::move(name));
    } else {
      SQLRITE_ASSIGN_OR_RETURN(int position, IndexColumn(*def, c));
      type = def->columns[static_cast<size_t>(position)].type;
      if (ix.has_expressions()) ix.expressions.emplace_back();
      ix.columns.push_back(position);
      names.push_back(c.name);
    }
    if (!c.collation.empty()) {
      // COLLATE: accepted for a collatable key (every collation the engine has orders text
      // bytewise, as the tree does).
      const TypeId t = type.id == TypeId::kArray ? type.elem : type.id;
      if (!IsStringType(t) || t == TypeId::kChar) {
        return Fail(sqlstate::kDatatypeMismatch,
                    "collations are not supported by type " + SqlTypeName(type));
      }
    }
    if (!c.expr_sql.empty() && KeyFamilyOf(type.id) == KeyFamily::kNone) {
      // PostgreSQL's GetIndexOpClass: no btree operator class for the type.
      return Fail(Error(sqlstate::kUndefinedObject, "data type " + SqlTypeName(type) +
                                                        " has no default operator class for "
                                                        "access method \"btree\"")
                      .WithHint("You must specify an operator class for the index or define a "
                                "default operator class for the data type."));
    }
    const uint8_t option = (c.desc ? kIndexDesc : 0) | (c.nulls_first ? kIndexNullsFirst : 0);
    ix.options.push_back(option);
    default_options &= option == 0;
  }
  if (default_options) ix.options.clear();
  LayOutInDeclaredOrder(ix);
  for (const ast::IndexColumn& c : stmt.include) {
    if (!c.expr_sql.empty()) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "expressions are not supported in included columns");
    }
    SQLRITE_ASSIGN_OR_RETURN(int position, IndexColumn(*def, c));
    ix.include.push_back(position);
    names.push_back(c.name);
  }
  if (!stmt.where_sql.empty()) {
    ix.predicate = stmt.where_sql;
    SQLRITE_TRY(BindIndexExpression(*def, ix.predicate, /*predicate=*/true));
  }
  SQLRITE_TRY(BindIndexExpressions(*def, ix));
  if (stmt.name.empty()) {
    ix.name = DefaultIndexName(catalog, def->schema, def->name, names);
  } else {
    ix.name = stmt.name;
    // An index lives in its table's schema.
    if (RelationExists(catalog, RelationKey(def->schema, ix.name))) {
      if (stmt.if_not_exists) {
        result.notices.push_back(Notice(sqlstate::kDuplicateTable,
                                        "relation \"" + ix.name + "\" already exists, skipping"));
        return result;
      }
      return Fail(sqlstate::kDuplicateTable, "relation \"" + ix.name + "\" already exists");
    }
  }
  SQLRITE_ASSIGN_OR_RETURN(ix.root, storage::BTree::Create(ctx.db.pager()));
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  exec::SpillSettings spill = MaintenanceSpill(ctx.session);
  SQLRITE_TRY(BuildIndex(ctx.db, *def, ix, &interrupts, &spill));
  def->indexes.push_back(std::move(ix));
  SQLRITE_TRY(catalog.SaveShape(*def));
  return result;
}

}  // namespace

// The foreign keys that depend on def's index `index`: those whose referenced columns it is the
// first unique index of (PostgreSQL's transformFkeyCheckAttrs takes the first that matches, and
// the key then depends on it).
Status DropForeignKeysOnIndex(ExecContext& ctx, const TableDef& def, size_t index, bool cascade,
                              const std::string& object, QueryResult& result) {
  auto same_columns = [](std::vector<int> a, std::vector<int> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
  };
  struct Dependent {
    std::string table;
    std::string constraint;
  };
  std::vector<Dependent> dependents;
  for (const auto& [table_name, t] : ctx.db.catalog().tables()) {
    for (const ForeignKey& fk : t.foreign_keys) {
      if (fk.ref_table != RelationKey(def)) continue;
      for (size_t i = 0; i < def.indexes.size(); ++i) {
        if (!def.indexes[i].unique || def.indexes[i].deferrable || def.indexes[i].partial() ||
            def.indexes[i].has_expressions() ||
            !same_columns(def.indexes[i].columns, fk.ref_columns)) {
          continue;
        }
        if (i == index) dependents.push_back({table_name, fk.name});
        break;
      }
    }
  }
  if (dependents.empty()) return Ok();
  const std::string& name = def.indexes[index].name;
  std::string detail;
  for (const Dependent& d : dependents) {
    if (!detail.empty()) detail += "\n";
    detail += cascade ? "drop cascades to constraint " + d.constraint + " on table " +
                            QualifiedName(d.table)
                      : "constraint " + d.constraint + " on table " + QualifiedName(d.table) +
                            " depends on index " + name;
  }
  if (!cascade) {
    return Fail(Error(sqlstate::kDependentObjectsStillExist,
                      "cannot drop " + object + " because other objects depend on it")
                    .WithDetail(detail)
                    .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
  }
  if (dependents.size() == 1) {
    result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion, detail));
  } else {
    result.notices.push_back(
        Notice(sqlstate::kSuccessfulCompletion,
               "drop cascades to " + std::to_string(dependents.size()) + " other objects")
            .WithDetail(detail));
  }
  for (const Dependent& d : dependents) {
    TableDef* t = ctx.db.catalog().FindMutable(d.table);
    SQLRITE_ASSERT(t != nullptr);
    std::erase_if(t->foreign_keys, [&d](const ForeignKey& fk) { return fk.name == d.constraint; });
    SQLRITE_TRY(ctx.db.catalog().SaveShape(*t));
  }
  return Ok();
}

namespace {

Result<QueryResult> DropIndexUnguarded(ExecContext& ctx, const ast::DropIndex& stmt) {
  QueryResult result;
  result.command_tag = "DROP INDEX";
  Catalog& catalog = ctx.db.catalog();
  for (const ast::TableName& name : stmt.indexes) {
    if (!name.schema.empty() && !catalog.SchemaExists(name.schema)) {
      if (!stmt.if_exists) return UndefinedTable(ctx, name, /*ddl=*/true);
      result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                      "schema \"" + name.schema + "\" does not exist, skipping"));
      continue;
    }
    const std::string key = IndexKey(ctx, name);
    auto found = FindIndex(catalog, key);
    if (!found) {
      if (const TableDef* other = catalog.Find(key); other != nullptr) {
        return Fail(Error(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not an index")
                        .WithHint(other->is_view()       ? "Use DROP VIEW to remove a view."
                                  : other->is_sequence() ? "Use DROP SEQUENCE to remove a sequence."
                                                         : "Use DROP TABLE to remove a table."));
      }
      if (stmt.if_exists) {
        result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                        "index \"" + name.name + "\" does not exist, skipping"));
        continue;
      }
      return Fail(sqlstate::kUndefinedObject, "index \"" + name.name + "\" does not exist");
    }
    TableDef& def = *found->table;
    const IndexDef& ix = def.indexes[found->index];
    if (ix.constraint) {
      // PostgreSQL: the constraint owns its index (an internal dependency), CASCADE or not.
      return Fail(Error(sqlstate::kDependentObjectsStillExist,
                        "cannot drop index " + ix.name + " because constraint " + ix.name +
                            " on table " + def.name + " requires it")
                      .WithHint("You can drop constraint " + ix.name + " on table " + def.name +
                                " instead."));
    }
    SQLRITE_TRY(
        DropForeignKeysOnIndex(ctx, def, found->index, stmt.cascade, "index " + ix.name, result));
    SQLRITE_ASSERT(ix.root != storage::kInvalidPage);
    SQLRITE_TRY(storage::BTree(ctx.db.pager(), ix.root).Drop());
    def.indexes.erase(def.indexes.begin() + static_cast<std::ptrdiff_t>(found->index));
    SQLRITE_TRY(catalog.SaveShape(def));
  }
  return result;
}

Result<QueryResult> RenameIndexUnguarded(ExecContext& ctx, const ast::RenameIndex& stmt) {
  QueryResult result;
  result.command_tag = "ALTER INDEX";
  Catalog& catalog = ctx.db.catalog();
  const std::string key = IndexKey(ctx, stmt.index);
  auto found = FindIndex(catalog, key);
  if (!found) {
    if (catalog.Find(key) != nullptr) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "ALTER INDEX ... RENAME of a table is not supported yet");
    }
    if (stmt.if_exists) {
      result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion,
                 "relation \"" + stmt.index.name + "\" does not exist, skipping"));
      return result;
    }
    return UndefinedTable(ctx, stmt.index, /*ddl=*/true);
  }
  if (RelationExists(catalog, RelationKey(found->table->schema, stmt.new_name))) {
    return Fail(sqlstate::kDuplicateTable, "relation \"" + stmt.new_name + "\" already exists");
  }
  found->table->indexes[found->index].name = stmt.new_name;
  SQLRITE_TRY(catalog.SaveShape(*found->table));
  return result;
}

}  // namespace

bool RelationNameTaken(Catalog& catalog, std::string_view key) {
  return RelationExists(catalog, key);
}

Result<QueryResult> ExecuteCreateIndex(ExecContext& ctx, const ast::CreateIndex& stmt) {
  return GuardStatement([&] { return CreateIndexUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteDropIndex(ExecContext& ctx, const ast::DropIndex& stmt) {
  return GuardStatement([&] { return DropIndexUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteRenameIndex(ExecContext& ctx, const ast::RenameIndex& stmt) {
  return GuardStatement([&] { return RenameIndexUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
