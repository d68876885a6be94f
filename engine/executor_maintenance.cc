// CLUSTER and REINDEX. The table tree is ordered by rowid and no statement reads it in another
// order, so CLUSTER has nothing to reorder: it checks its names, and CLUSTER t USING i records i
// as the table's clustered index (what a later bare CLUSTER t uses, and pg_index shows). REINDEX
// rebuilds each named index's B+tree from the table's rows (a fresh tree, the old one freed), as
// PostgreSQL's reindex_index does; the table tree that is its own INTEGER PRIMARY KEY has no
// index tree to rebuild.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/executor.h"
#include "engine/index_order.h"
#include "engine/search_path.h"
#include "engine/session.h"
#include "engine/statement_spill.h"
#include "engine/table_access.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

using Command = ast::Vacuum::Command;
using ReindexKind = ast::Vacuum::ReindexKind;

QueryResult MaintenanceResult(std::string tag) {
  QueryResult result;
  result.command_tag = std::move(tag);
  return result;
}

struct IndexRef {
  TableDef* table = nullptr;
  size_t index = 0;
};

// The index `name` names: in its schema when qualified, else in the first schema of the
// session's search_path holding one of that name.
std::optional<IndexRef> FindIndexNamed(ExecContext& ctx, const ast::TableName& name) {
  Catalog& catalog = ctx.db.catalog();
  std::vector<std::string> schemas;
  if (!name.schema.empty()) {
    schemas.push_back(name.schema);
  } else {
    schemas = SessionSearchPath(catalog, ctx.session);
  }
  for (const std::string& schema : schemas) {
    for (const auto& [key, def] : catalog.tables()) {
      if (def.schema != schema) continue;
      for (size_t i = 0; i < def.indexes.size(); ++i) {
        if (def.indexes[i].name == name.name) return IndexRef{catalog.FindMutable(key), i};
      }
    }
  }
  return std::nullopt;
}

tl::unexpected<Error> NotATable(const ast::TableName& name) {
  return Fail(sqlstate::kWrongObjectType,
              "\"" + name.name + "\" is not a table or materialized view");
}

// The table `name` names, as CLUSTER and REINDEX TABLE look it up: 42P01 for none, 42809 for an
// index, a view or a sequence.
Result<TableDef*> TableNamed(ExecContext& ctx, const ast::TableName& name) {
  const TableDef* found = LookupTable(ctx, name);
  if (found == nullptr) {
    if (FindIndexNamed(ctx, name)) return NotATable(name);
    return UndefinedTable(ctx, name, /*ddl=*/true);
  }
  if (found->is_view() || found->is_sequence()) return NotATable(name);
  return ctx.db.catalog().FindMutable(RelationKey(*found));
}

Status Rebuild(ExecContext& ctx, TableDef& def, size_t index, InterruptCheck& interrupts) {
  IndexDef& ix = def.indexes[index];
  if (ix.root == storage::kInvalidPage) return Ok();  // the table tree is the index
  storage::Pager& pager = ctx.db.pager();
  const storage::PageId old_root = ix.root;
  LayOutInDeclaredOrder(ix);  // a tree built before kIndexLaidOutInOrder takes its declared order
  SQLRITE_ASSIGN_OR_RETURN(ix.root, storage::BTree::Create(pager));
  exec::SpillSettings spill = MaintenanceSpill(ctx.session);
  SQLRITE_TRY(BuildIndex(ctx.db, def, ix, &interrupts, &spill));
  SQLRITE_TRY(storage::BTree(pager, old_root).Drop());
  return Ok();
}

Status RebuildTable(ExecContext& ctx, TableDef& def, InterruptCheck& interrupts) {
  for (size_t i = 0; i < def.indexes.size(); ++i) SQLRITE_TRY(Rebuild(ctx, def, i, interrupts));
  return ctx.db.catalog().SaveShape(def);
}

Result<QueryResult> ClusterTable(ExecContext& ctx, const ast::Vacuum& stmt) {
  // A bare CLUSTER re-clusters the tables clustered before: nothing to reorder (see above).
  if (stmt.relation.name.empty()) return MaintenanceResult("CLUSTER");
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, TableNamed(ctx, stmt.relation));
  if (stmt.index.empty()) {
    for (const IndexDef& ix : def->indexes) {
      if (ix.clustered) return MaintenanceResult("CLUSTER");
    }
    return Fail(sqlstate::kUndefinedObject,
                "there is no previously clustered index for table \"" + def->name + "\"");
  }
  bool found = false;
  for (const IndexDef& ix : def->indexes) found |= ix.name == stmt.index;
  if (!found) {
    return Fail(sqlstate::kUndefinedObject,
                "index \"" + stmt.index + "\" for table \"" + def->name + "\" does not exist");
  }
  bool changed = false;
  for (IndexDef& ix : def->indexes) {
    const bool clustered = ix.name == stmt.index;
    changed |= ix.clustered != clustered;
    ix.clustered = clustered;
  }
  if (changed) SQLRITE_TRY(ctx.db.catalog().SaveShape(*def));
  return MaintenanceResult("CLUSTER");
}

Result<QueryResult> ReindexObjects(ExecContext& ctx, const ast::Vacuum& stmt) {
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  Catalog& catalog = ctx.db.catalog();
  switch (stmt.reindex_kind) {
    case ReindexKind::kIndex: {
      std::optional<IndexRef> ref = FindIndexNamed(ctx, stmt.relation);
      if (!ref) {
        if (LookupTable(ctx, stmt.relation) != nullptr) {
          return Fail(sqlstate::kWrongObjectType, "\"" + stmt.relation.name + "\" is not an index");
        }
        return UndefinedTable(ctx, stmt.relation, /*ddl=*/true);
      }
      SQLRITE_TRY(Rebuild(ctx, *ref->table, ref->index, interrupts));
      SQLRITE_TRY(catalog.SaveShape(*ref->table));
      break;
    }
    case ReindexKind::kTable: {
      SQLRITE_ASSIGN_OR_RETURN(TableDef * def, TableNamed(ctx, stmt.relation));
      SQLRITE_TRY(RebuildTable(ctx, *def, interrupts));
      break;
    }
    case ReindexKind::kSchema: {
      const std::string& schema = stmt.relation.name;
      if (!catalog.SchemaExists(schema)) {
        return Fail(sqlstate::kInvalidSchemaName, "schema \"" + schema + "\" does not exist");
      }
      std::vector<std::string> keys;
      for (const auto& [key, def] : catalog.tables()) {
        if (def.schema == schema && !def.is_view() && !def.is_sequence()) keys.push_back(key);
      }
      for (const std::string& key : keys) {
        SQLRITE_TRY(RebuildTable(ctx, *catalog.FindMutable(key), interrupts));
      }
      break;
    }
    case ReindexKind::kDatabase:
    case ReindexKind::kSystem: {
      // The database's name may be left out (PostgreSQL 15 requires it).
      if (!stmt.relation.name.empty() && stmt.relation.name != ctx.db.name()) {
        return Fail(sqlstate::kFeatureNotSupported, "can only reindex the currently open database");
      }
      // REINDEX SYSTEM: the system catalogs are built from the catalog on each read.
      if (stmt.reindex_kind == ReindexKind::kSystem) break;
      std::vector<std::string> keys;
      for (const auto& [key, def] : catalog.tables()) {
        if (!def.is_view() && !def.is_sequence()) keys.push_back(key);
      }
      for (const std::string& key : keys) {
        SQLRITE_TRY(RebuildTable(ctx, *catalog.FindMutable(key), interrupts));
      }
      break;
    }
  }
  return MaintenanceResult("REINDEX");
}

}  // namespace

const char* RefusedInBlock(const ast::Vacuum& stmt) {
  if (stmt.command == Command::kCluster) {
    return stmt.relation.name.empty() ? "CLUSTER" : nullptr;
  }
  if (stmt.command != Command::kReindex) return nullptr;
  if (stmt.concurrently) return "REINDEX CONCURRENTLY";
  switch (stmt.reindex_kind) {
    case ReindexKind::kSchema:
      return "REINDEX SCHEMA";
    case ReindexKind::kDatabase:
      return "REINDEX DATABASE";
    case ReindexKind::kSystem:
      return "REINDEX SYSTEM";
    default:
      return nullptr;
  }
}

Result<QueryResult> ExecuteMaintenance(ExecContext& ctx, const ast::Vacuum& stmt) {
  return GuardStatement([&]() -> Result<QueryResult> {
    if (stmt.command == Command::kCluster) return ClusterTable(ctx, stmt);
    return ReindexObjects(ctx, stmt);
  });
}

}  // namespace sqlrite::engine
