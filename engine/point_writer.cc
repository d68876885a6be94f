#include "engine/point_writer.h"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "common/assert.h"
#include "common/bytes.h"
#include "engine/analyze/row_locking.h"
#include "engine/database.h"
#include "engine/dml_with.h"
#include "engine/index_expressions.h"
#include "engine/key_codec.h"
#include "engine/point_statement.h"
#include "engine/sequence.h"
#include "engine/sql/ast_walk.h"
#include "engine/table_access.h"
#include "engine/table_constraints.h"
#include "engine/table_stats.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

// The single column of table's primary key (the INTEGER PRIMARY KEY or a one-column primary
// index), or -1.
int PrimaryKeyColumn(const TableDef& table) {
  if (table.rowid_column >= 0) return table.rowid_column;
  for (const IndexDef& index : table.indexes) {
    if (index.primary && index.columns.size() == 1) return index.columns[0];
  }
  return -1;
}

// No unique index but the primary key's: a second unique key would be a second lock per row
// (and a duplicate there found only at COMMIT); left to the classic writer.
bool OnlyPrimaryUnique(const TableDef& table) {
  for (const IndexDef& index : table.indexes) {
    if ((index.unique && !index.primary) || index.deferrable) return false;
  }
  return true;
}

// Some top-level AND conjunct of where is `pk = value`.
bool PinsPrimaryKey(const TableDef& table, int pk, const ast::Expr& where) {
  const auto* b = std::get_if<ast::Binary>(&where.node);
  if (b == nullptr || !b->left || !b->right) return false;
  if (b->op == ast::BinaryOp::kAnd) {
    return PinsPrimaryKey(table, pk, *b->left) || PinsPrimaryKey(table, pk, *b->right);
  }
  if (b->op != ast::BinaryOp::kEq) return false;
  auto is_pk = [&](const ast::Expr& e) {
    const auto* ref = std::get_if<ast::ColumnRef>(&e.node);
    return ref != nullptr && table.FindColumn(ref->column) == pk;
  };
  return (is_pk(*b->left) && IsPointValue(*b->right)) ||
         (is_pk(*b->right) && IsPointValue(*b->left));
}

// A subquery anywhere, or a call of a function that writes a sequence.
bool ReadsOrWritesElsewhere(const ast::Statement& statement) {
  // A WITH list: its queries read, and may write, other tables.
  if (const auto* insert = std::get_if<ast::Insert>(&statement); insert && !insert->with.empty())
    return true;
  if (const auto* update = std::get_if<ast::Update>(&statement); update && !update->with.empty())
    return true;
  bool found = false;
  sql::AstVisitor visitor;
  visitor.expr = [&found](ast::Expr& node) {
    if (std::holds_alternative<ast::SubLink>(node.node)) found = true;
    if (const auto* f = std::get_if<ast::FuncCall>(&node.node)) {
      if (f->name == "nextval" || f->name == "setval") found = true;
    }
  };
  visitor.location = [](int&) {};
  // The walk takes mutable trees (the parse cache rewrites literals); this visitor only reads.
  return !sql::WalkStatement(const_cast<ast::Statement&>(statement), visitor) || found;
}

const TableDef* PlainTable(const Catalog& catalog, const ast::TableRef& ref) {
  if (ref.join || ref.subquery || ref.function) return nullptr;
  // Names are resolved here without the session's search_path: in a database with schemas of
  // its own an unqualified name may mean another table, so its statements take the classic path.
  if (!catalog.schemas().empty()) return nullptr;
  const TableDef* table = catalog.Find(ref.table.name);
  if (table == nullptr || table->is_sequence() || table->is_view() || !OnlyPrimaryUnique(*table)) {
    return nullptr;
  }
  // Foreign keys (this table's or another's on it): their checks and actions read and write
  // other tables, which the overlay does not cover; left to the classic writer.
  if (!table->foreign_keys.empty() || !ReferencesTo(catalog, table->name).empty()) return nullptr;
  return table;
}

bool PointUpdate(const Catalog& catalog, const ast::Update& stmt) {
  const TableDef* table = PlainTable(catalog, stmt.table);
  if (table == nullptr || !stmt.where) return false;
  const int pk = PrimaryKeyColumn(*table);
  if (pk < 0 || !PinsPrimaryKey(*table, pk, *stmt.where)) return false;
  for (const ast::Assignment& a : stmt.assignments) {
    const int c = table->FindColumn(a.column);
    if (c < 0) return false;  // the classic path reports the error
    if (c == table->rowid_column) return false;
    // The overlay's images replace records without index upkeep: no index may read the column
    // (as a key, in an expression or in a partial index's predicate).
    for (const IndexDef& index : table->indexes) {
      if (IndexUsesColumn(index, c)) return false;
    }
  }
  return true;
}

bool PointInsert(const Catalog& catalog, const ast::Insert& stmt) {
  // ON CONFLICT reads and may update an existing row: the classic writer's.
  if (stmt.select || stmt.on_conflict || stmt.rows.size() > kPointInsertRows) return false;
  const TableDef* table = PlainTable(catalog, stmt.table);
  if (table == nullptr) return false;
  for (const ColumnDef& c : table->columns) {
    if (!c.default_sql.empty() || c.identity != 0) return false;
  }
  return true;
}

}  // namespace

void PointOverlay::PutImage(std::string_view table, std::string_view rowid_key,
                            std::string record) {
  for (Image& image : images) {
    if (image.table == table && image.rowid_key == rowid_key) {
      image.record = std::move(record);
      return;
    }
  }
  images.push_back({std::string(table), std::string(rowid_key), std::move(record)});
}

bool PointOverlay::InsertedInto(std::string_view table) const {
  return std::any_of(inserted.begin(), inserted.end(),
                     [table](const Inserted& i) { return i.table == table; });
}

PointRole ClassifyPointStatement(const Catalog& catalog, const ast::Statement& statement) {
  if (const auto* select = std::get_if<ast::Select>(&statement)) {
    // FOR UPDATE locks what it reads: the block takes the writer slot (an upgrade).
    if (select->explain || LocksRows(*select) || HasDataModifyingWith(select->with) ||
        CallsSequenceFunction(*select) == SequenceUse::kWrites) {
      return PointRole::kNone;
    }
    return PointRole::kRead;
  }
  // EXPLAIN ANALYZE of a write answers with its plan: the classic writer runs it.
  if ((std::holds_alternative<ast::Update>(statement) &&
       std::get<ast::Update>(statement).explain) ||
      (std::holds_alternative<ast::Insert>(statement) &&
       std::get<ast::Insert>(statement).explain)) {
    return PointRole::kNone;
  }
  const bool write = (std::holds_alternative<ast::Update>(statement) &&
                      PointUpdate(catalog, std::get<ast::Update>(statement))) ||
                     (std::holds_alternative<ast::Insert>(statement) &&
                      PointInsert(catalog, std::get<ast::Insert>(statement)));
  if (!write || ReadsOrWritesElsewhere(statement)) return PointRole::kNone;
  return PointRole::kWrite;
}

const std::string& PointTarget(const ast::Statement& statement) {
  if (const auto* update = std::get_if<ast::Update>(&statement)) return update->table.table.name;
  return std::get<ast::Insert>(statement).table.table.name;
}

std::string RowLockKey(const TableDef& table, std::string_view rowid_key, const Row& row) {
  std::string key;
  AppendBE32(key, table.oid);
  if (table.rowid_column >= 0) {
    key.append(rowid_key);
    return key;
  }
  for (const IndexDef& index : table.indexes) {
    if (!index.primary) continue;
    std::string encoded;
    // A primary key's columns are plain columns: nothing to evaluate, nothing to fail.
    (void)IndexKey(table, index, row, rowid_key, encoded);
    key.append(encoded);
    return key;
  }
  return std::string();
}

Status ApplyOverlay(Database& db, const PointOverlay& overlay, std::string_view only) {
  // Its rows were counted when their statements wrote them (engine/table_stats.h).
  TableStats::Uncounted uncounted;
  Catalog& catalog = db.catalog();
  for (const PointOverlay::Image& image : overlay.images) {
    if (!only.empty() && image.table != only) continue;
    const TableDef* table = catalog.Find(image.table);
    SQLRITE_ASSERT(table != nullptr);  // DDL waits for every point writer (P1)
    storage::BTree tree(db.pager(), table->root);
    SQLRITE_TRY(tree.Insert(image.rowid_key, image.record, /*overwrite=*/true));
  }
  std::vector<TableDef*> advanced;
  for (const PointOverlay::Inserted& inserted : overlay.inserted) {
    if (!only.empty() && inserted.table != only) continue;
    TableDef* table = catalog.FindMutable(inserted.table);
    SQLRITE_ASSERT(table != nullptr);
    const int64_t before = table->rowid_reserved;
    SQLRITE_TRY(InsertRow(db, *table, inserted.row));
    if (table->rowid_reserved != before &&
        std::find(advanced.begin(), advanced.end(), table) == advanced.end()) {
      advanced.push_back(table);
    }
  }
  for (TableDef* table : advanced) SQLRITE_TRY(catalog.Save(*table));
  return Ok();
}

std::string_view OnlyTableRead(const Catalog& catalog, const ast::Select& select) {
  if (select.from.size() != 1 || !select.with.empty() || select.set_op || !select.values.empty()) {
    return {};
  }
  const ast::TableRef& ref = select.from[0];
  if (ref.join || ref.subquery || ref.function || !ref.table.schema.empty()) return {};
  // Names resolved without the session's search_path (see PlainTable).
  if (!catalog.schemas().empty()) return {};
  const TableDef* def = catalog.Find(ref.table.name);
  if (def == nullptr || def->is_view()) return {};
  // A subquery or a function call may read other tables; the walk takes mutable trees (the
  // parse cache rewrites literals), this visitor only reads.
  bool elsewhere = false;
  sql::AstVisitor visitor;
  visitor.expr = [&elsewhere](ast::Expr& node) {
    if (std::holds_alternative<ast::SubLink>(node.node) ||
        std::holds_alternative<ast::FuncCall>(node.node)) {
      elsewhere = true;
    }
  };
  visitor.location = [](int&) {};
  sql::WalkSelect(const_cast<ast::Select&>(select), visitor);
  if (elsewhere) return {};
  return ref.table.name;
}

OverlayTrial::OverlayTrial(Database& db, const PointOverlay& overlay, std::string_view table)
    : db_(db) {
  SQLRITE_ASSERT(!db.pager().in_transaction());
  auto remember = [&](std::string_view name) {
    for (const Rowids& saved : rowids_) {
      if (saved.table == name) return;
    }
    if (const TableDef* def = db.catalog().Find(name)) {
      rowids_.push_back({std::string(name), def->next_rowid, def->rowid_reserved});
    }
  };
  if (!table.empty()) remember(table);
  for (const PointOverlay::Inserted& inserted : overlay.inserted) {
    if (table.empty() || inserted.table == table) remember(inserted.table);
  }
  if (!overlay.empty()) applied_ = ApplyOverlay(db, overlay, table);
}

OverlayTrial::~OverlayTrial() {
  db_.pager().Rollback();
  for (const Rowids& saved : rowids_) {
    if (TableDef* def = db_.catalog().FindMutable(saved.table)) {
      def->next_rowid = saved.next;
      def->rowid_reserved = saved.reserved;
    }
  }
}

}  // namespace sqlrite::engine
