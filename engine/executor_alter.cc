// ALTER TABLE: its commands run in order against the table's catalog entry, each checked as
// PostgreSQL 15 checks it, each change saved with Catalog::SaveShape (so it commits or rolls
// back with the statement, and readers and kept plans see the new shape).
//
// How a change reaches the stored rows (docs/decisions.md "ALTER TABLE: ..."):
//   - ADD COLUMN with no default or a constant one writes no row: records are self-describing,
//     and a record shorter than its table reads the columns it lacks as their missing values
//     (ColumnDef::missing_value, PostgreSQL's attmissingval; engine/table_access.h).
//   - ADD COLUMN with a volatile default (nextval, random()), DROP COLUMN, ALTER COLUMN TYPE
//     and ADD PRIMARY KEY on an integer column of a table whose rows are keyed by a hidden
//     counter rewrite the table: RewriteTable copies every row, changed, into fresh trees (the
//     table's and each index's) and drops the old ones.
//   - ADD UNIQUE / PRIMARY KEY otherwise builds one index from the rows (BuildIndex); SET NOT
//     NULL, ADD CHECK and ADD FOREIGN KEY read every row to validate, writing none.
//   - The rest (names, defaults, DROP NOT NULL, DROP CONSTRAINT) change only the catalog.
// Views and CHECK constraints keep their SQL text over names: RENAME TO and RENAME COLUMN rewrite
// the text (engine/sql/rename_refs.h; a view that reads other relations too, or *, refuses a
// RENAME COLUMN), DROP COLUMN needs CASCADE while a view reads the table (the views then go), and
// ALTER COLUMN TYPE is refused while one does.

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/assert.h"
#include "engine/catalog/cluster_directory.h"
#include "engine/catalog/system_relation.h"
#include "engine/column_defaults.h"
#include "engine/executor.h"
#include "engine/foreign_keys.h"
#include "engine/generated_columns.h"
#include "engine/index_expressions.h"
#include "engine/key_codec.h"
#include "engine/notice.h"
#include "engine/row_codec.h"
#include "engine/session.h"
#include "engine/sql/rename_refs.h"
#include "engine/statement_spill.h"
#include "engine/table_access.h"
#include "engine/table_constraints.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

// One ALTER TABLE statement's state: the table (by its current name: RENAME TO changes it, and
// a TableDef may move in the catalog's map when it is renamed).
struct Alter {
  ExecContext& ctx;
  std::string table;
  QueryResult& result;

  Catalog& catalog() { return ctx.db.catalog(); }
  TableDef& def() {
    TableDef* d = ctx.db.catalog().FindMutable(table);
    SQLRITE_ASSERT(d != nullptr);
    return *d;
  }
  InterruptCheck interrupts() { return ctx.session.StatementInterruptCheck(); }
};

void CollectColumns(const BoundExpr& e, std::vector<int>& out) {
  if (e.kind == ExprKind::kColumn && std::find(out.begin(), out.end(), e.index) == out.end()) {
    out.push_back(e.index);
  }
  for (const BoundExpr& a : e.args) CollectColumns(a, out);
}

bool Uses(const std::vector<int>& columns, int c) {
  return std::find(columns.begin(), columns.end(), c) != columns.end();
}

bool CheckUses(const CheckConstraint& check, int c) {
  std::vector<int> columns;
  if (check.bound != nullptr) CollectColumns(*check.bound, columns);
  return Uses(columns, c);
}

// The views that read def directly.
std::vector<const TableDef*> ReadingViews(const Catalog& catalog, const TableDef& def) {
  std::vector<const TableDef*> out;
  for (const auto& [name, t] : catalog.tables()) {
    if (t.is_view() &&
        std::find(t.view_depends.begin(), t.view_depends.end(), def.oid) != t.view_depends.end()) {
      out.push_back(&t);
    }
  }
  return out;
}

Result<int> ColumnOf(const TableDef& def, const std::string& name) {
  const int c = def.FindColumn(name);
  if (c < 0) {
    return Fail(sqlstate::kUndefinedColumn,
                "column \"" + name + "\" of relation \"" + def.name + "\" does not exist");
  }
  return c;
}

// Every stored row of def, in rowid order. REQUIRES: fn writes no tree of def.
Status EachRow(Alter& a, const TableDef& def, const RowCallback& fn) {
  InterruptCheck interrupts = a.interrupts();
  return ScanTable(a.ctx.db, def, nullptr, fn, &interrupts);
}

// 23502 when a row holds NULL in one of columns (SET NOT NULL, a PRIMARY KEY's columns).
Status RefuseNulls(Alter& a, const TableDef& def, const std::vector<int>& columns) {
  std::string failed;
  SQLRITE_TRY(EachRow(a, def, [&](std::string_view, Row& row) -> Result<bool> {
    for (int c : columns) {
      if (IsNull(row[static_cast<size_t>(c)])) {
        failed = def.columns[static_cast<size_t>(c)].name;
        return false;
      }
    }
    return true;
  }));
  if (failed.empty()) return Ok();
  return Fail(Error(sqlstate::kNotNullViolation, "column \"" + failed + "\" of relation \"" +
                                                     def.name + "\" contains null values")
                  .OnTable(def.name, failed));
}

Result<bool> HasRows(Alter& a, const TableDef& def) {
  bool any = false;
  SQLRITE_TRY(EachRow(a, def, [&](std::string_view, Row&) -> Result<bool> {
    any = true;
    return false;
  }));
  return any;
}

// A unique index's duplicate, reported as PostgreSQL's index build reports it.
Error AsIndexBuildError(Error e) {
  static constexpr std::string_view kPrefix = "duplicate key value violates unique constraint ";
  if (e.sqlstate != std::string_view(sqlstate::kUniqueViolation) ||
      e.message.compare(0, kPrefix.size(), kPrefix) != 0) {
    return e;
  }
  std::string detail = e.detail;
  static constexpr std::string_view kExists = " already exists.";
  if (detail.size() > kExists.size() &&
      detail.compare(detail.size() - kExists.size(), kExists.size(), kExists) == 0) {
    detail = detail.substr(0, detail.size() - kExists.size()) + " is duplicated.";
  }
  Error out(sqlstate::kUniqueViolation,
            "could not create unique index " + e.message.substr(kPrefix.size()));
  return std::move(out).WithDetail(detail).OnTable(e.table_name, {}, e.constraint_name);
}

// A stored row that breaks a constraint while a rewrite copies it, worded as ATRewriteTable
// words it (not as an INSERT's "new row for relation ..."); a duplicate as the index build's.
Error AsRewriteError(Error e, const std::string& table_name) {
  if (e.sqlstate == std::string_view(sqlstate::kNotNullViolation) && !e.column_name.empty()) {
    return Error(sqlstate::kNotNullViolation, "column \"" + e.column_name + "\" of relation \"" +
                                                  table_name + "\" contains null values")
        .OnTable(table_name, e.column_name);
  }
  if (e.sqlstate == std::string_view(sqlstate::kCheckViolation) && !e.constraint_name.empty()) {
    return Error(sqlstate::kCheckViolation, "check constraint \"" + e.constraint_name +
                                                "\" of relation \"" + table_name +
                                                "\" is violated by some row")
        .OnTable(table_name, {}, e.constraint_name);
  }
  return AsIndexBuildError(std::move(e));
}

// Whether next's index ix is the table tree itself (the INTEGER PRIMARY KEY as rowid).
bool IsRowidIndex(const TableDef& next, const IndexDef& ix) {
  return ix.primary && next.rowid_column >= 0 && ix.columns.size() == 1 &&
         ix.columns[0] == next.rowid_column;
}

// Copies every row of the table, through transform, into a fresh tree laid out as `next` (the
// table's definition with its columns, keys or rowid changed; checks bound over its columns):
// InsertRow checks NOT NULL, CHECK and the rowid key (a duplicate is the index build's 23505);
// then each index tree is built from the new rows in one pass (BuildIndex: sorted, bulk-loaded,
// duplicates its 23505), as PostgreSQL's ATRewriteTable rebuilds the indexes after the heap;
// then the old trees are dropped and next replaces the entry. A table keyed by a hidden counter
// keeps each row's rowid.
Status RewriteTable(Alter& a, TableDef next, const std::function<Result<bool>(Row&)>& transform) {
  storage::Pager& pager = a.ctx.db.pager();
  const TableDef& old = a.def();
  next.min_record_columns = TableDef::kEveryColumn;  // every row is written whole below
  SQLRITE_ASSIGN_OR_RETURN(next.root, storage::BTree::Create(pager));
  for (IndexDef& ix : next.indexes) {
    if (IsRowidIndex(next, ix)) {
      ix.root = storage::kInvalidPage;
    } else {
      SQLRITE_ASSIGN_OR_RETURN(ix.root, storage::BTree::Create(pager));
    }
  }
  // Generated columns are bound over next's columns (their positions may have moved) and
  // computed again for every row (a column they read may have changed type).
  SQLRITE_TRY(LoadGenerationExpressions(next));
  const bool generated = HasGeneratedColumns(next);
  // A check added NOT VALID and not validated since is not tested against the stored rows they
  // are copied (PostgreSQL's rewrite tests only the constraints being added, and those with
  // their NOT VALID skipped): out of next while the rows go in, back after.
  std::vector<CheckConstraint> checks = next.checks;
  std::erase_if(next.checks, [&next](const CheckConstraint& c) {
    return std::find(next.not_valid.begin(), next.not_valid.end(), c.name) != next.not_valid.end();
  });
  // The rows go in under a definition without the index trees, which are built afterwards.
  TableDef rows_only = next;
  std::erase_if(rows_only.indexes,
                [](const IndexDef& ix) { return ix.root != storage::kInvalidPage; });
  int64_t max_rowid = 0;
  SQLRITE_TRY(EachRow(a, old, [&](std::string_view rowid_key, Row& row) -> Result<bool> {
    const int64_t rowid = DecodeRowidKey(rowid_key);
    max_rowid = std::max(max_rowid, rowid);
    SQLRITE_ASSIGN_OR_RETURN(bool keep, transform(row));
    if (!keep) return true;
    if (Status computed = generated ? ComputeGeneratedColumns(next, row) : Ok(); !computed) {
      return Fail(std::move(computed).error());
    }
    Status inserted = InsertRow(a.ctx.db, rows_only, row, rowid);
    if (!inserted) return Fail(AsRewriteError(std::move(inserted).error(), next.name));
    return true;
  }));
  {
    InterruptCheck interrupts = a.interrupts();
    exec::SpillSettings spill = MaintenanceSpill(a.ctx.session);
    for (const IndexDef& ix : next.indexes) {
      if (ix.root != storage::kInvalidPage) {
        SQLRITE_TRY(BuildIndex(a.ctx.db, next, ix, &interrupts, &spill));
      }
    }
  }
  if (next.rowid_column < 0) next.next_rowid = std::max(next.next_rowid, max_rowid + 1);
  next.checks = std::move(checks);
  for (const IndexDef& ix : old.indexes) {
    if (ix.root != storage::kInvalidPage) {
      SQLRITE_TRY(storage::BTree(pager, ix.root).Drop());
    }
  }
  SQLRITE_TRY(storage::BTree(pager, old.root).Drop());
  TableDef& entry = a.def();
  entry = std::move(next);
  return a.catalog().SaveShape(entry);
}

// PostgreSQL's ChooseRelationName: name1_name2_label, then label1, label2, ... until no relation
// has the name.
std::string ChooseRelationName(Catalog& catalog, std::string_view schema, std::string_view name1,
                               std::string_view name2, const std::string& label) {
  std::string modlabel = label;
  for (int pass = 1;; ++pass) {
    std::string name = MakeObjectName(name1, name2, modlabel);
    if (!RelationNameTaken(catalog, RelationKey(schema, name))) return name;
    modlabel = label + std::to_string(pass);
  }
}

bool ConstraintNameUsed(const TableDef& def, const std::string& name) {
  for (const IndexDef& ix : def.indexes) {
    if (ix.constraint && ix.name == name) return true;
  }
  for (const CheckConstraint& c : def.checks) {
    if (c.name == name) return true;
  }
  for (const ForeignKey& fk : def.foreign_keys) {
    if (fk.name == name) return true;
  }
  return false;
}

// Whether every row of def is stored under the rowid its integer column c holds. Reads the
// column straight from each record in the leaf (DecodeIntColumn): decoding every row through a
// TableReader was a fifth of pgbench -i's instructions. A record without the column (added
// later with a default: its value is not in the record) answers no, and the caller rewrites.
Result<bool> KeyedByRowid(Alter& a, const TableDef& def, int c) {
  storage::BTree tree(a.ctx.db.pager(), def.root);
  storage::BTree::Cursor cursor(tree);
  SQLRITE_TRY(cursor.SeekFirst());
  InterruptCheck interrupts = a.interrupts();
  std::string scratch;
  while (cursor.Valid()) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    SQLRITE_ASSIGN_OR_RETURN(std::string_view record, cursor.ValueView(scratch));
    SQLRITE_ASSIGN_OR_RETURN(std::optional<int64_t> v,
                             DecodeIntColumn(record, static_cast<size_t>(c)));
    if (!v || *v != DecodeRowidKey(cursor.key())) return false;
    SQLRITE_TRY(cursor.Next());
  }
  return true;
}

// ADD PRIMARY KEY / UNIQUE (columns): validated against the rows, its index built from them.
Status AddKey(Alter& a, bool primary, const std::vector<std::string>& names,
              const std::string& given_name, int location, bool deferrable = false,
              bool initially_deferred = false) {
  TableDef& def = a.def();
  std::vector<int> columns;
  for (const std::string& n : names) {
    const int c = def.FindColumn(n);
    if (c < 0) {
      return Fail(
          Error(sqlstate::kUndefinedColumn, "column \"" + n + "\" named in key does not exist")
              .WithPosition(location >= 0 ? location + 1 : 0));
    }
    columns.push_back(c);
  }
  if (primary) {
    for (const IndexDef& ix : def.indexes) {
      if (ix.primary) {
        return Fail(sqlstate::kInvalidTableDefinition,
                    "multiple primary keys for table \"" + def.name + "\" are not allowed");
      }
    }
  }
  IndexDef ix;
  ix.primary = primary;
  ix.columns = columns;
  ix.deferrable = deferrable;
  ix.initially_deferred = initially_deferred;
  if (!given_name.empty()) {
    if (ConstraintNameUsed(def, given_name)) {
      return Fail(sqlstate::kDuplicateObject, "constraint \"" + given_name + "\" for relation \"" +
                                                  def.name + "\" already exists");
    }
    if (RelationNameTaken(a.catalog(), RelationKey(def.schema, given_name))) {
      return Fail(sqlstate::kDuplicateTable, "relation \"" + given_name + "\" already exists");
    }
    ix.name = given_name;
  } else if (primary) {
    ix.name = ChooseRelationName(a.catalog(), def.schema, def.name, "", "pkey");
  } else {
    std::string joined;
    for (int c : columns) {
      if (!joined.empty()) joined += "_";
      joined += def.columns[static_cast<size_t>(c)].name;
    }
    ix.name = ChooseRelationName(a.catalog(), def.schema, def.name, joined, "key");
  }
  if (primary) {
    std::vector<int> nullable;
    for (int c : columns) {
      if (!def.columns[static_cast<size_t>(c)].not_null) nullable.push_back(c);
    }
    if (!nullable.empty()) SQLRITE_TRY(RefuseNulls(a, def, nullable));
    // A deferrable key may hold duplicates until its check: never the table tree's own key.
    const bool integer_key = columns.size() == 1 && !deferrable &&
                             IsIntegerType(def.columns[static_cast<size_t>(columns[0])].type.id);
    if (integer_key && def.rowid_column < 0) {
      // The table's rows become keyed by the key's value, as a table created with this key:
      // one tree to read for a lookup by it, and the key's uniqueness kept by the table tree.
      // Rows loaded in key order from 1 (pgbench -i, most bulk loads) are already stored under
      // their key's value: then only the catalog changes.
      SQLRITE_ASSIGN_OR_RETURN(bool in_place, KeyedByRowid(a, def, columns[0]));
      if (in_place) {
        def.columns[static_cast<size_t>(columns[0])].not_null = true;
        def.rowid_column = columns[0];
        def.indexes.push_back(std::move(ix));
        return a.catalog().SaveShape(def);
      }
      TableDef next = def;
      for (int c : columns) next.columns[static_cast<size_t>(c)].not_null = true;
      next.rowid_column = columns[0];
      next.indexes.push_back(std::move(ix));
      return RewriteTable(a, std::move(next), [](Row&) -> Result<bool> { return true; });
    }
    for (int c : columns) def.columns[static_cast<size_t>(c)].not_null = true;
  }
  SQLRITE_ASSIGN_OR_RETURN(ix.root, storage::BTree::Create(a.ctx.db.pager()));
  InterruptCheck interrupts = a.interrupts();
  exec::SpillSettings spill = MaintenanceSpill(a.ctx.session);
  SQLRITE_TRY(BuildIndex(a.ctx.db, def, ix, &interrupts, &spill));
  def.indexes.push_back(std::move(ix));
  return a.catalog().SaveShape(def);
}

Status ValidateCheck(Alter& a, const TableDef& def, const CheckConstraint& check) {
  bool violated = false;
  SQLRITE_TRY(EachRow(a, def, [&](std::string_view, Row& row) -> Result<bool> {
    SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(*check.bound, EvalContext{row.data(), nullptr}));
    violated = !IsNull(v) && !DatumAs<bool>(v);
    return !violated;
  }));
  if (!violated) return Ok();
  return Fail(Error(sqlstate::kCheckViolation, "check constraint \"" + check.name +
                                                   "\" of relation \"" + def.name +
                                                   "\" is violated by some row")
                  .OnTable(def.name, {}, check.name));
}

// Every row's key looked up as an INSERT of it would (23503 as PostgreSQL's RI_Initial_Check).
Status ValidateForeignKeys(Alter& a, const TableDef& def) {
  ForeignKeyChecks checks(a.ctx.db, a.interrupts());
  SQLRITE_TRY(EachRow(a, def, [&](std::string_view, Row& row) -> Result<bool> {
    checks.RowInserted(def, row);
    return true;
  }));
  return checks.Finish();
}

// ADD CONSTRAINT (and an added column's own constraints): keys, CHECK, FOREIGN KEY.
Status AddConstraints(Alter& a, const std::vector<ast::TableConstraint>& constraints,
                      bool not_valid) {
  for (const ast::TableConstraint& tc : constraints) {
    if (tc.kind == ast::TableConstraint::kPrimaryKey || tc.kind == ast::TableConstraint::kUnique) {
      SQLRITE_TRY(AddKey(a, tc.kind == ast::TableConstraint::kPrimaryKey, tc.columns, tc.name,
                         tc.location, tc.deferrable, tc.initially_deferred));
    }
  }
  TableDef& def = a.def();
  for (const ast::TableConstraint& tc : constraints) {
    // A name an earlier statement gave (CREATE TABLE's own duplicates have their own text).
    if ((tc.kind == ast::TableConstraint::kCheck || tc.kind == ast::TableConstraint::kForeignKey) &&
        !tc.name.empty() && ConstraintNameUsed(def, tc.name)) {
      return Fail(sqlstate::kDuplicateObject, "constraint \"" + tc.name + "\" for relation \"" +
                                                  def.name + "\" already exists");
    }
  }
  std::set<std::string> before;
  for (const CheckConstraint& c : def.checks) before.insert(c.name);
  const size_t fks_before = def.foreign_keys.size();
  SQLRITE_TRY(AddCheckConstraints(a.catalog(), def, constraints));
  SQLRITE_TRY(
      AddForeignKeys(a.catalog(), SessionSearchPath(a.catalog(), a.ctx.session), def, constraints));
  std::vector<std::string> added_checks;
  for (const CheckConstraint& c : def.checks) {
    if (before.count(c.name) == 0) added_checks.push_back(c.name);
  }
  const bool added_fks = def.foreign_keys.size() > fks_before;
  if (not_valid) {
    for (const std::string& n : added_checks) def.not_valid.push_back(n);
    for (size_t i = fks_before; i < def.foreign_keys.size(); ++i) {
      def.not_valid.push_back(def.foreign_keys[i].name);
    }
  } else {
    for (const CheckConstraint& c : def.checks) {
      if (std::find(added_checks.begin(), added_checks.end(), c.name) == added_checks.end()) {
        continue;
      }
      SQLRITE_TRY(ValidateCheck(a, def, c));
    }
  }
  if (added_checks.empty() && !added_fks) return Ok();
  SQLRITE_TRY(a.catalog().SaveShape(def));
  if (added_fks && !not_valid) SQLRITE_TRY(ValidateForeignKeys(a, a.def()));
  return Ok();
}

Status AddColumn(Alter& a, const ast::AlterTableCmd& cmd) {
  const ast::ColumnDef& c = cmd.column;
  {
    TableDef& def = a.def();
    if (def.FindColumn(c.name) >= 0) {
      const std::string message =
          "column \"" + c.name + "\" of relation \"" + def.name + "\" already exists";
      if (cmd.if_not_exists) {
        a.result.notices.push_back(Notice(sqlstate::kDuplicateColumn, message + ", skipping"));
        return Ok();
      }
      return Fail(sqlstate::kDuplicateColumn, message);
    }
  }
  SQLRITE_ASSIGN_OR_RETURN(ColumnDef col, MakeColumnDef(a.ctx, a.table, c));
  TableDef& def = a.def();
  if (c.generated != nullptr) {
    // Computed for every row already stored (RewriteTable computes generated columns).
    TableDef next = def;
    next.columns.push_back(col);
    SQLRITE_TRY(SetGenerationExpression(next, next.columns.size() - 1, *c.generated,
                                        c.generated_sql, c.generated_location));
    const std::string table_name = def.name;
    Status rewritten = RewriteTable(a, std::move(next), [&](Row& row) -> Result<bool> {
      row.emplace_back();
      return true;
    });
    if (!rewritten) {
      // A stored row's value breaks a constraint: worded as ATRewriteTable words it.
      Error e = std::move(rewritten).error();
      if (e.sqlstate == std::string_view(sqlstate::kNotNullViolation)) {
        return Fail(Error(sqlstate::kNotNullViolation, "column \"" + e.column_name +
                                                           "\" of relation \"" + table_name +
                                                           "\" contains null values")
                        .OnTable(table_name, e.column_name));
      }
      if (e.sqlstate == std::string_view(sqlstate::kCheckViolation)) {
        return Fail(Error(sqlstate::kCheckViolation, "check constraint \"" + e.constraint_name +
                                                         "\" of relation \"" + table_name +
                                                         "\" is violated by some row")
                        .OnTable(table_name, {}, e.constraint_name));
      }
      return Fail(std::move(e));
    }
  } else if (!col.default_sql.empty()) {
    // A volatile default (nextval, random()) has a value per row: the rows are written.
    TableDef next = def;
    next.columns.push_back(col);
    SQLRITE_ASSIGN_OR_RETURN(ColumnDefaults defaults, ColumnDefaults::Bind(next));
    const size_t position = next.columns.size() - 1;
    SQLRITE_TRY(RewriteTable(a, std::move(next), [&](Row& row) -> Result<bool> {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, defaults.Value(position));
      row.push_back(std::move(v));
      return true;
    }));
  } else {
    col.missing_value = col.has_default ? col.default_value : Datum{};
    if (col.not_null && IsNull(col.missing_value)) {
      SQLRITE_ASSIGN_OR_RETURN(bool any, HasRows(a, def));
      if (any) {
        return Fail(Error(sqlstate::kNotNullViolation, "column \"" + col.name +
                                                           "\" of relation \"" + def.name +
                                                           "\" contains null values")
                        .OnTable(def.name, col.name));
      }
    }
    // The rows stored so far keep their width; from now on a record that short is filled.
    def.min_record_columns = std::min(def.min_record_columns, def.columns.size());
    def.columns.push_back(std::move(col));
    SQLRITE_TRY(a.catalog().SaveShape(def));
  }
  if (c.primary_key) SQLRITE_TRY(AddKey(a, true, {c.name}, "", c.location));
  if (c.unique) SQLRITE_TRY(AddKey(a, false, {c.name}, "", c.location));
  return AddConstraints(a, cmd.constraints, false);
}

// The foreign keys of other tables whose referenced columns include column c of def.
std::vector<ReferencingKey> KeysReferencingColumn(const Catalog& catalog, const TableDef& def,
                                                  int c) {
  std::vector<ReferencingKey> out;
  for (const auto& [name, t] : catalog.tables()) {
    if (name == RelationKey(def)) continue;
    for (const ForeignKey& fk : t.foreign_keys) {
      if (fk.ref_table == RelationKey(def) && Uses(fk.ref_columns, c)) {
        out.push_back({name, fk.name});
      }
    }
  }
  return out;
}

Status DropColumn(Alter& a, const ast::AlterTableCmd& cmd) {
  const int c = a.def().FindColumn(cmd.name);
  if (c < 0) {
    const std::string message =
        "column \"" + cmd.name + "\" of relation \"" + a.def().name + "\" does not exist";
    if (cmd.missing_ok) {
      a.result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion, message + ", skipping"));
      return Ok();
    }
    return Fail(sqlstate::kUndefinedColumn, message);
  }
  // The table's generated columns that read it: 2BP01, or with CASCADE dropped first.
  if (std::vector<size_t> generated = GeneratedColumnsReading(a.def(), static_cast<size_t>(c));
      !generated.empty()) {
    const std::string of = "column " + cmd.name + " of table " + a.def().name;
    std::vector<std::string> names;
    for (size_t g : generated) names.push_back(a.def().columns[g].name);
    std::string detail;
    for (const std::string& n : names) {
      if (!detail.empty()) detail += "\n";
      detail += (cmd.cascade ? "drop cascades to column " : "column ") + n + " of table " +
                a.def().name + (cmd.cascade ? "" : " depends on " + of);
    }
    if (!cmd.cascade) {
      return Fail(Error(sqlstate::kDependentObjectsStillExist,
                        "cannot drop " + of + " because other objects depend on it")
                      .WithDetail(detail)
                      .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
    }
    if (names.size() == 1) {
      a.result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion, detail));
    } else {
      a.result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion,
                 "drop cascades to " + std::to_string(names.size()) + " other objects")
              .WithDetail(detail));
    }
    for (const std::string& n : names) {
      ast::AlterTableCmd drop{};
      drop.kind = ast::AlterTableCmd::kDropColumn;
      drop.name = n;
      drop.cascade = true;
      SQLRITE_TRY(DropColumn(a, drop));
    }
    return DropColumn(a, cmd);
  }
  // What outside the table depends on the column: other tables' foreign keys, and views.
  const std::vector<ReferencingKey> keys = KeysReferencingColumn(a.catalog(), a.def(), c);
  const std::vector<const TableDef*> views = ReadingViews(a.catalog(), a.def());
  if (!keys.empty() || !views.empty()) {
    const std::string of = "column " + cmd.name + " of table " + a.def().name;
    if (!cmd.cascade) {
      std::string detail;
      for (const ReferencingKey& k : keys) {
        if (!detail.empty()) detail += "\n";
        detail += "constraint " + k.constraint + " on table " + k.table + " depends on " + of;
      }
      for (const TableDef* v : views) {
        if (!detail.empty()) detail += "\n";
        detail += "view " + v->name + " depends on " + of;
      }
      return Fail(Error(sqlstate::kDependentObjectsStillExist,
                        "cannot drop " + of + " because other objects depend on it")
                      .WithDetail(detail)
                      .WithHint("Use DROP ... CASCADE to drop the dependent objects too."));
    }
    for (const ReferencingKey& k : keys) {
      a.result.notices.push_back(Notice(
          sqlstate::kSuccessfulCompletion,
          "drop cascades to constraint " + k.constraint + " on table " + QualifiedName(k.table)));
      TableDef* t = a.catalog().FindMutable(k.table);
      SQLRITE_ASSERT(t != nullptr);
      std::erase_if(t->foreign_keys,
                    [&k](const ForeignKey& fk) { return fk.name == k.constraint; });
      SQLRITE_TRY(a.catalog().SaveShape(*t));
    }
    if (!views.empty()) {
      SQLRITE_TRY(DropDependentViews(a.ctx, a.def(), true, {}, a.result.notices));
    }
  }
  // The sequence the column owns (SERIAL, identity) goes with it.
  std::vector<std::string> owned;
  for (const auto& [name, seq] : a.catalog().tables()) {
    if (seq.is_sequence() && seq.sequence.owned_by_table == a.table &&
        seq.sequence.owned_by_column == cmd.name) {
      owned.push_back(name);
    }
  }
  for (const std::string& name : owned) SQLRITE_TRY(DropSequenceObject(a.ctx.db, name));

  // The table's own indexes, constraints and checks on the column go with it, as PostgreSQL's
  // automatic dependencies; the other positions shift down by one.
  const TableDef& def = a.def();
  TableDef next = def;
  auto shift = [c](std::vector<int>& v) {
    for (int& x : v) x = x > c ? x - 1 : x;
  };
  // An expression or a partial index that reads the column goes too (PostgreSQL: an automatic
  // dependency on each column its expressions read).
  std::erase_if(next.indexes, [c](const IndexDef& ix) { return IndexUsesColumn(ix, c); });
  if (next.rowid_column == c) next.rowid_column = -1;
  if (next.rowid_column > c) --next.rowid_column;
  for (IndexDef& ix : next.indexes) {
    shift(ix.columns);
    shift(ix.include);
  }
  std::erase_if(next.foreign_keys, [&](const ForeignKey& fk) {
    return Uses(fk.columns, c) || (fk.ref_table == RelationKey(def) && Uses(fk.ref_columns, c));
  });
  for (ForeignKey& fk : next.foreign_keys) {
    shift(fk.columns);
    shift(fk.delete_set_columns);
    if (fk.ref_table == RelationKey(def)) shift(fk.ref_columns);
  }
  std::erase_if(next.checks, [c](const CheckConstraint& k) { return CheckUses(k, c); });
  next.columns.erase(next.columns.begin() + c);
  for (CheckConstraint& k : next.checks) {
    SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Expr> expr, ParseDefaultExpr(k.sql));
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, BindCheckExpr(next, *expr));
    k.bound = std::make_shared<const BoundExpr>(std::move(bound));
  }
  for (IndexDef& ix : next.indexes) {
    if (ix.has_expressions() || ix.partial()) SQLRITE_TRY(BindIndexExpressions(next, ix));
  }
  std::erase_if(next.not_valid,
                [&next](const std::string& n) { return !ConstraintNameUsed(next, n); });
  SQLRITE_TRY(RewriteTable(a, std::move(next), [c](Row& row) -> Result<bool> {
    row.erase(row.begin() + c);
    return true;
  }));
  // Other tables' keys that reference columns after it.
  for (const ReferencingKey& k : ReferencesTo(a.catalog(), a.table)) {
    TableDef* t = a.catalog().FindMutable(k.table);
    SQLRITE_ASSERT(t != nullptr);
    for (ForeignKey& fk : t->foreign_keys) {
      if (fk.ref_table == a.table) shift(fk.ref_columns);
    }
    SQLRITE_TRY(a.catalog().SaveShape(*t));
  }
  return Ok();
}

// The views that read the table get their query text rewritten (a view keeps SQL over names).
Status RewriteViews(Alter& a, const std::function<Result<std::string>(const std::string&)>& fn) {
  std::vector<std::string> names;
  for (const TableDef* v : ReadingViews(a.catalog(), a.def())) names.push_back(RelationKey(*v));
  for (const std::string& name : names) {
    TableDef* view = a.catalog().FindMutable(name);
    SQLRITE_ASSIGN_OR_RETURN(std::string sql, fn(view->view_sql));
    SQLRITE_ASSIGN_OR_RETURN(view->view_query, ParseViewQuery(sql));
    view->view_sql = std::move(sql);
    SQLRITE_TRY(a.catalog().SaveShape(*view));
  }
  return Ok();
}

Status RenameTable(Alter& a, const ast::AlterTableCmd& cmd) {
  const std::string new_key = RelationKey(a.def().schema, cmd.new_name);
  if (RelationNameTaken(a.catalog(), new_key)) {
    return Fail(sqlstate::kDuplicateTable, "relation \"" + cmd.new_name + "\" already exists");
  }
  const std::string old = a.def().name;
  // Re-keyed in its schema; the foreign keys and owned sequences that name it follow.
  SQLRITE_TRY(a.catalog().Rename(a.table, cmd.new_name));
  a.table = new_key;
  return RewriteViews(
      a, [&](const std::string& sql) { return sql::RenameTableInQuery(sql, old, cmd.new_name); });
}

// SET SCHEMA: the relation, its indexes and the sequences its columns own move to the schema
// (PostgreSQL's AlterTableNamespace); the owned sequences' defaults are re-written to name them
// there.
Status SetSchema(Alter& a, const ast::AlterTableCmd& cmd) {
  Catalog& catalog = a.catalog();
  const std::string& schema = cmd.new_name;
  if (!catalog.SchemaExists(schema)) {
    return Fail(sqlstate::kInvalidSchemaName, "schema \"" + schema + "\" does not exist");
  }
  if (IsSystemSchema(schema)) {
    return Fail(sqlstate::kFeatureNotSupported,
                "cannot move objects into system schema \"" + schema + "\"");
  }
  const TableDef& def = a.def();
  if (def.schema == schema) return Ok();  // PostgreSQL: nothing to do
  if (def.is_sequence() && !def.sequence.owned_by_table.empty()) {
    return Fail(
        Error(sqlstate::kFeatureNotSupported, "cannot move an owned sequence into another schema")
            .WithDetail("Sequence \"" + def.name + "\" is linked to table \"" +
                        std::string(SplitRelationKey(def.sequence.owned_by_table).second) + "\"."));
  }
  const std::string new_key = RelationKey(schema, def.name);
  if (RelationNameTaken(catalog, new_key)) {
    return Fail(sqlstate::kDuplicateTable,
                "relation \"" + def.name + "\" already exists in schema \"" + schema + "\"");
  }
  for (const IndexDef& ix : def.indexes) {
    if (RelationNameTaken(catalog, RelationKey(schema, ix.name))) {
      return Fail(sqlstate::kDuplicateTable,
                  "relation \"" + ix.name + "\" already exists in schema \"" + schema + "\"");
    }
  }
  std::vector<std::string> owned;
  for (const auto& [key, seq] : catalog.tables()) {
    if (seq.is_sequence() && seq.sequence.owned_by_table == a.table) owned.push_back(key);
  }
  for (const std::string& key : owned) {
    const std::string& name = catalog.Find(key)->name;
    if (RelationNameTaken(catalog, RelationKey(schema, name))) {
      return Fail(sqlstate::kDuplicateTable,
                  "relation \"" + name + "\" already exists in schema \"" + schema + "\"");
    }
  }
  const std::string from = def.schema;
  const std::string name = def.name;
  SQLRITE_TRY(catalog.MoveToSchema(a.table, schema));
  a.table = new_key;
  // Views keep SQL text over names: those reading it name it in its new schema.
  SQLRITE_TRY(RewriteViews(
      a, [&](const std::string& sql) { return sql::MoveTableInQuery(sql, name, from, schema); }));
  for (const std::string& key : owned) {
    const std::string seq_key = RelationKey(schema, catalog.Find(key)->name);
    SQLRITE_TRY(catalog.MoveToSchema(key, schema));
    // The column defaults that call it name it by its new place.
    TableDef& table = a.def();
    const std::string old_sql = NextvalDefaultSql(key);
    for (ColumnDef& col : table.columns) {
      if (col.default_sql != old_sql) continue;
      col.default_sql = NextvalDefaultSql(seq_key);
      SQLRITE_ASSIGN_OR_RETURN(col.default_expr, ParseDefaultExpr(col.default_sql));
    }
    SQLRITE_TRY(catalog.SaveShape(table));
  }
  return Ok();
}

Status RenameColumn(Alter& a, const ast::AlterTableCmd& cmd) {
  TableDef& def = a.def();
  const int c = def.FindColumn(cmd.name);
  if (c < 0) return Fail(sqlstate::kUndefinedColumn, "column \"" + cmd.name + "\" does not exist");
  if (def.FindColumn(cmd.new_name) >= 0) {
    return Fail(sqlstate::kDuplicateColumn,
                "column \"" + cmd.new_name + "\" of relation \"" + def.name + "\" already exists");
  }
  SQLRITE_TRY(RewriteViews(a, [&](const std::string& sql) {
    return sql::RenameColumnInQuery(sql, a.def().name, cmd.name, cmd.new_name);
  }));
  // Checks keep their expression as SQL text over column names: rewritten, then bound again.
  for (CheckConstraint& k : def.checks) {
    if (!CheckUses(k, c)) continue;
    SQLRITE_ASSIGN_OR_RETURN(k.sql, sql::RenameColumnInExpr(k.sql, cmd.name, cmd.new_name));
  }
  // So do generated columns.
  for (size_t g : GeneratedColumnsReading(def, static_cast<size_t>(c))) {
    ColumnDef& col = def.columns[g];
    SQLRITE_ASSIGN_OR_RETURN(col.generated_sql,
                             sql::RenameColumnInExpr(col.generated_sql, cmd.name, cmd.new_name));
  }
  // And index expressions and predicates.
  for (IndexDef& ix : def.indexes) {
    if (!ix.has_expressions() && !ix.partial()) continue;
    for (std::string& e : ix.expressions) {
      if (e.empty()) continue;
      SQLRITE_ASSIGN_OR_RETURN(e, sql::RenameColumnInExpr(e, cmd.name, cmd.new_name));
    }
    if (ix.partial()) {
      SQLRITE_ASSIGN_OR_RETURN(ix.predicate,
                               sql::RenameColumnInExpr(ix.predicate, cmd.name, cmd.new_name));
    }
  }
  def.columns[static_cast<size_t>(c)].name = cmd.new_name;
  for (IndexDef& ix : def.indexes) {
    if (ix.has_expressions() || ix.partial()) SQLRITE_TRY(BindIndexExpressions(def, ix));
  }
  SQLRITE_TRY(LoadGenerationExpressions(def));
  for (CheckConstraint& k : def.checks) {
    SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Expr> expr, ParseDefaultExpr(k.sql));
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, BindCheckExpr(def, *expr));
    k.bound = std::make_shared<const BoundExpr>(std::move(bound));
  }
  SQLRITE_TRY(a.catalog().SaveShape(def));
  std::vector<std::string> owned;
  for (const auto& [name, seq] : a.catalog().tables()) {
    if (seq.is_sequence() && seq.sequence.owned_by_table == a.table &&
        seq.sequence.owned_by_column == cmd.name) {
      owned.push_back(name);
    }
  }
  for (const std::string& name : owned) {
    TableDef* seq = a.catalog().FindMutable(name);
    seq->sequence.owned_by_column = cmd.new_name;
    SQLRITE_TRY(a.catalog().SaveShape(*seq));
  }
  return Ok();
}

// The constraint called name: an index's, a check's or a foreign key's.
struct ConstraintRef {
  enum Kind { kNone, kIndex, kCheck, kForeignKey } kind = kNone;
  size_t index = 0;
};
ConstraintRef FindConstraint(const TableDef& def, const std::string& name) {
  for (size_t i = 0; i < def.indexes.size(); ++i) {
    if (def.indexes[i].constraint && def.indexes[i].name == name) {
      return {ConstraintRef::kIndex, i};
    }
  }
  for (size_t i = 0; i < def.checks.size(); ++i) {
    if (def.checks[i].name == name) return {ConstraintRef::kCheck, i};
  }
  for (size_t i = 0; i < def.foreign_keys.size(); ++i) {
    if (def.foreign_keys[i].name == name) return {ConstraintRef::kForeignKey, i};
  }
  return {};
}

tl::unexpected<Error> UndefinedConstraint(const std::string& name, const std::string& table) {
  return Fail(sqlstate::kUndefinedObject,
              "constraint \"" + name + "\" of relation \"" + table + "\" does not exist");
}

Status RenameConstraint(Alter& a, const ast::AlterTableCmd& cmd) {
  TableDef& def = a.def();
  const ConstraintRef found = FindConstraint(def, cmd.name);
  if (found.kind == ConstraintRef::kNone) {
    return Fail(sqlstate::kUndefinedObject,
                "constraint \"" + cmd.name + "\" for table \"" + def.name + "\" does not exist");
  }
  if (ConstraintNameUsed(def, cmd.new_name)) {
    return Fail(sqlstate::kDuplicateObject, "constraint \"" + cmd.new_name + "\" for relation \"" +
                                                def.name + "\" already exists");
  }
  switch (found.kind) {
    case ConstraintRef::kIndex:
      if (RelationNameTaken(a.catalog(), RelationKey(def.schema, cmd.new_name))) {
        return Fail(sqlstate::kDuplicateTable, "relation \"" + cmd.new_name + "\" already exists");
      }
      def.indexes[found.index].name = cmd.new_name;
      break;
    case ConstraintRef::kCheck:
      def.checks[found.index].name = cmd.new_name;
      std::stable_sort(
          def.checks.begin(), def.checks.end(),
          [](const CheckConstraint& x, const CheckConstraint& y) { return x.name < y.name; });
      break;
    case ConstraintRef::kForeignKey:
      def.foreign_keys[found.index].name = cmd.new_name;
      break;
    case ConstraintRef::kNone:
      break;
  }
  for (std::string& n : def.not_valid) {
    if (n == cmd.name) n = cmd.new_name;
  }
  return a.catalog().SaveShape(def);
}

Status DropConstraint(Alter& a, const ast::AlterTableCmd& cmd) {
  const ConstraintRef found = FindConstraint(a.def(), cmd.name);
  if (found.kind == ConstraintRef::kNone) {
    if (cmd.missing_ok) {
      a.result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion,
                                        "constraint \"" + cmd.name + "\" of relation \"" +
                                            a.def().name + "\" does not exist, skipping"));
      return Ok();
    }
    return UndefinedConstraint(cmd.name, a.def().name);
  }
  if (found.kind == ConstraintRef::kIndex) {
    SQLRITE_TRY(DropForeignKeysOnIndex(a.ctx, a.def(), found.index, cmd.cascade,
                                       "constraint " + cmd.name + " on table " + a.def().name,
                                       a.result));
  }
  TableDef& def = a.def();
  switch (found.kind) {
    case ConstraintRef::kIndex: {
      const IndexDef& ix = def.indexes[found.index];
      if (ix.root == storage::kInvalidPage) {
        // The table tree was the key: its rows keep their keys, now a hidden counter's values,
        // and the counter goes on after the largest.
        storage::BTree tree(a.ctx.db.pager(), def.root);
        storage::BTree::Cursor cursor(tree);
        SQLRITE_TRY(cursor.SeekFirst());
        int64_t last = 0;
        while (cursor.Valid()) {
          last = std::max(last, DecodeRowidKey(cursor.key()));
          SQLRITE_TRY(cursor.Next());
        }
        def.next_rowid = std::max<int64_t>(def.next_rowid, last + 1);
        def.rowid_column = -1;
      } else {
        SQLRITE_TRY(storage::BTree(a.ctx.db.pager(), ix.root).Drop());
      }
      def.indexes.erase(def.indexes.begin() + static_cast<std::ptrdiff_t>(found.index));
      break;
    }
    case ConstraintRef::kCheck:
      def.checks.erase(def.checks.begin() + static_cast<std::ptrdiff_t>(found.index));
      break;
    case ConstraintRef::kForeignKey:
      def.foreign_keys.erase(def.foreign_keys.begin() + static_cast<std::ptrdiff_t>(found.index));
      break;
    case ConstraintRef::kNone:
      break;
  }
  std::erase(def.not_valid, cmd.name);
  return a.catalog().SaveShape(def);
}

Status ValidateConstraint(Alter& a, const ast::AlterTableCmd& cmd) {
  TableDef& def = a.def();
  const ConstraintRef found = FindConstraint(def, cmd.name);
  if (found.kind == ConstraintRef::kNone) return UndefinedConstraint(cmd.name, a.def().name);
  if (found.kind == ConstraintRef::kIndex) {
    return Fail(sqlstate::kWrongObjectType, "constraint \"" + cmd.name + "\" of relation \"" +
                                                def.name +
                                                "\" is not a foreign key or check constraint");
  }
  if (std::find(def.not_valid.begin(), def.not_valid.end(), cmd.name) == def.not_valid.end()) {
    return Ok();
  }
  if (found.kind == ConstraintRef::kCheck) {
    SQLRITE_TRY(ValidateCheck(a, def, def.checks[found.index]));
  } else {
    SQLRITE_TRY(ValidateForeignKeys(a, def));
  }
  TableDef& entry = a.def();
  std::erase(entry.not_valid, cmd.name);
  return a.catalog().SaveShape(entry);
}

Status ColumnDefault(Alter& a, const ast::AlterTableCmd& cmd) {
  TableDef& def = a.def();
  SQLRITE_ASSIGN_OR_RETURN(int c, ColumnOf(def, cmd.name));
  ColumnDef& col = def.columns[static_cast<size_t>(c)];
  if (col.identity != 0) {
    Error e(sqlstate::kSyntaxError,
            "column \"" + col.name + "\" of relation \"" + def.name + "\" is an identity column");
    if (cmd.default_value == nullptr) {
      e.hint = "Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.";
    }
    return Fail(e);
  }
  if (col.generated != 0) {
    Error e(sqlstate::kSyntaxError,
            "column \"" + col.name + "\" of relation \"" + def.name + "\" is a generated column");
    if (cmd.default_value == nullptr) {
      e.hint = "Use ALTER TABLE ... ALTER COLUMN ... DROP EXPRESSION instead.";
    }
    return Fail(e);
  }
  if (cmd.default_value == nullptr) {
    col.has_default = false;
    col.default_value = Datum{};
    col.default_sql.clear();
    col.default_text.clear();
    col.default_expr.reset();
  } else {
    SQLRITE_TRY(SetColumnDefault(col, *cmd.default_value, cmd.default_sql));
  }
  return a.catalog().SaveShape(def);
}

Status SetNotNull(Alter& a, const ast::AlterTableCmd& cmd, bool not_null) {
  TableDef& def = a.def();
  SQLRITE_ASSIGN_OR_RETURN(int c, ColumnOf(def, cmd.name));
  ColumnDef& col = def.columns[static_cast<size_t>(c)];
  if (not_null) {
    if (col.not_null) return Ok();
    SQLRITE_TRY(RefuseNulls(a, def, {c}));
  } else {
    for (const IndexDef& ix : def.indexes) {
      if (ix.primary && Uses(ix.columns, c)) {
        return Fail(sqlstate::kInvalidTableDefinition,
                    "column \"" + col.name + "\" is in a primary key");
      }
    }
    if (col.identity != 0) {
      return Fail(sqlstate::kSyntaxError, "column \"" + col.name + "\" of relation \"" + def.name +
                                              "\" is an identity column");
    }

    if (!col.not_null) return Ok();
  }
  TableDef& entry = a.def();
  entry.columns[static_cast<size_t>(c)].not_null = not_null;
  return a.catalog().SaveShape(entry);
}

// ALTER COLUMN ... TYPE t [USING expr]: every row's value converted (an assignment cast of the
// column, or USING's expression over the row), the table rewritten and its indexes rebuilt.
// type: the new type, an enum's oid resolved.
Status AlterColumnType(Alter& a, const ast::AlterTableCmd& cmd, SqlType type) {
  TableDef& def = a.def();
  SQLRITE_ASSIGN_OR_RETURN(int c, ColumnOf(def, cmd.name));
  if (!ReadingViews(a.catalog(), def).empty()) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "cannot alter type of a column used by a view or rule"));
  }
  for (const auto& [name, t] : a.catalog().tables()) {
    for (const ForeignKey& fk : t.foreign_keys) {
      if ((name == def.name && Uses(fk.columns, c)) ||
          (fk.ref_table == RelationKey(def) && Uses(fk.ref_columns, c))) {
        return Fail(sqlstate::kFeatureNotSupported,
                    "ALTER COLUMN TYPE of a foreign key's column is not supported yet");
      }
    }
  }
  if (std::vector<size_t> generated = GeneratedColumnsReading(def, static_cast<size_t>(c));
      !generated.empty()) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "cannot alter type of a column used by a generated column")
                    .WithDetail("Column \"" + cmd.name + "\" is used by generated column \"" +
                                def.columns[generated[0]].name + "\"."));
  }
  Scope scope;
  for (const ColumnDef& col : def.columns) scope.push_back({def.name, col.name, col.type});
  Binder binder(scope);
  binder.SetClause("transform expressions");
  BoundExpr converted;
  if (cmd.using_expr != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(converted, binder.Bind(*cmd.using_expr));
  } else {
    ast::Expr ref;
    ref.node = ast::ColumnRef{"", cmd.name};
    SQLRITE_ASSIGN_OR_RETURN(converted, binder.Bind(ref));
  }
  const std::string type_name = SqlTypeName(type);  // an enum's by its name
  auto coerced = CoerceForAssignment(std::move(converted), type, cmd.name, -1);
  if (!coerced) {
    if (cmd.using_expr != nullptr) return Fail(coerced.error());
    return Fail(
        Error(sqlstate::kDatatypeMismatch,
              "column \"" + cmd.name + "\" cannot be cast automatically to type " + type_name)
            .WithHint("You might need to specify \"USING " + cmd.name + "::" + type_name + "\"."));
  }
  BoundExpr conversion = std::move(*coerced);
  TableDef next = def;
  ColumnDef& col = next.columns[static_cast<size_t>(c)];
  col.type = type;
  col.missing_value = Datum{};
  if (col.has_default && col.default_sql.empty() && !IsNull(col.default_value)) {
    BoundExpr d;
    d.kind = ExprKind::kConst;
    d.type = def.columns[static_cast<size_t>(c)].type;
    d.value = col.default_value;
    // As ATExecAlterColumnType: the default must convert by an assignment cast.
    auto default_coerced = CoerceForAssignment(std::move(d), type, col.name, -1);
    if (!default_coerced) {
      return Fail(sqlstate::kDatatypeMismatch, "default for column \"" + col.name +
                                                   "\" cannot be cast automatically to type " +
                                                   type_name);
    }
    SQLRITE_ASSIGN_OR_RETURN(col.default_value, Eval(*default_coerced, EvalContext{}));
  }
  if (next.rowid_column == c && !IsIntegerType(type.id)) {
    // The key is no longer an integer: its index becomes a tree of its own.
    next.rowid_column = -1;
  }
  for (CheckConstraint& k : next.checks) {
    SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Expr> expr, ParseDefaultExpr(k.sql));
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, BindCheckExpr(next, *expr));
    k.bound = std::make_shared<const BoundExpr>(std::move(bound));
  }
  // Index expressions and predicates over the column are bound again for its new type (the
  // trees are rebuilt by the rewrite).
  for (IndexDef& ix : next.indexes) {
    if (ix.has_expressions() || ix.partial()) SQLRITE_TRY(BindIndexExpressions(next, ix));
  }
  return RewriteTable(a, std::move(next), [&](Row& row) -> Result<bool> {
    SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(conversion, EvalContext{row.data(), nullptr}));
    row[static_cast<size_t>(c)] = std::move(v);
    return true;
  });
}

// The sequence column c of the table owns (SERIAL, identity), or empty.
std::string OwnedSequence(Alter& a, const std::string& column) {
  for (const auto& [name, seq] : a.catalog().tables()) {
    if (seq.is_sequence() && seq.sequence.owned_by_table == a.table &&
        seq.sequence.owned_by_column == column) {
      return name;
    }
  }
  return {};
}

// ALTER COLUMN ... ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [(options)] (pg_dump writes
// every identity column this way), SET GENERATED ..., DROP IDENTITY [IF EXISTS].
Status AlterIdentity(Alter& a, const ast::AlterTableCmd& cmd) {
  TableDef& def = a.def();
  SQLRITE_ASSIGN_OR_RETURN(int c, ColumnOf(def, cmd.name));
  const std::string of = "column \"" + cmd.name + "\" of relation \"" + def.name + "\"";
  const ColumnDef& col = def.columns[static_cast<size_t>(c)];
  if (cmd.kind == ast::AlterTableCmd::kAddIdentity) {
    if (!col.not_null) {
      return Fail(sqlstate::kObjectNotInPrerequisiteState,
                  of + " must be declared NOT NULL before identity can be added");
    }
    if (col.identity != 0) {
      return Fail(sqlstate::kObjectNotInPrerequisiteState, of + " is already an identity column");
    }
    if (col.has_default) {
      return Fail(sqlstate::kObjectNotInPrerequisiteState, of + " already has a default value");
    }
    ast::ColumnDef spec;
    spec.name = col.name;
    spec.type = col.type;
    spec.not_null = true;
    spec.identity = cmd.identity;
    spec.identity_options = cmd.identity_options;
    SQLRITE_ASSIGN_OR_RETURN(ColumnDef made, MakeColumnDef(a.ctx, a.table, spec));
    TableDef& entry = a.def();
    ColumnDef& target = entry.columns[static_cast<size_t>(c)];
    target.identity = made.identity;
    target.has_default = true;
    target.default_sql = made.default_sql;
    target.default_expr = made.default_expr;
    return a.catalog().SaveShape(entry);
  }
  if (col.identity == 0) {
    if (cmd.kind == ast::AlterTableCmd::kDropIdentity && cmd.missing_ok) {
      a.result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion, of + " is not an identity column, skipping"));
      return Ok();
    }
    return Fail(sqlstate::kObjectNotInPrerequisiteState, of + " is not an identity column");
  }
  if (cmd.kind == ast::AlterTableCmd::kSetIdentity) {
    def.columns[static_cast<size_t>(c)].identity = cmd.identity;
    return a.catalog().SaveShape(def);
  }
  ColumnDef& target = def.columns[static_cast<size_t>(c)];
  target.identity = 0;
  target.has_default = false;
  target.default_sql.clear();
  target.default_expr.reset();
  SQLRITE_TRY(a.catalog().SaveShape(def));
  const std::string seq = OwnedSequence(a, cmd.name);
  if (!seq.empty()) SQLRITE_TRY(DropSequenceObject(a.ctx.db, seq));
  return Ok();
}

// OWNER TO role: the role must exist (42704); relations have no owner of their own here (every
// one shows the bootstrap superuser, docs/ARCHITECTURE.md's non-goals), so nothing else changes.
// pg_dump writes one for every table it restores.
Status ChangeOwner(Alter& a, const ast::AlterTableCmd& cmd) {
  if (cmd.new_name.empty()) return Ok();
  const auto& directory = a.ctx.db.directory();
  if (directory != nullptr) {
    for (const catalog::RoleFacts& role : directory->Get()->roles) {
      if (role.name == cmd.new_name) return Ok();
    }
  }
  return Fail(sqlstate::kUndefinedObject, "role \"" + cmd.new_name + "\" does not exist");
}

// ALTER COLUMN c DROP EXPRESSION [IF EXISTS]: the column keeps its stored values and becomes an
// ordinary one (PostgreSQL's ATExecDropExpression).
Status DropExpression(Alter& a, const ast::AlterTableCmd& cmd) {
  TableDef& def = a.def();
  const int c = def.FindColumn(cmd.name);
  if (c < 0) {
    return Fail(sqlstate::kUndefinedColumn,
                "column \"" + cmd.name + "\" of relation \"" + def.name + "\" does not exist");
  }
  ColumnDef& col = def.columns[static_cast<size_t>(c)];
  if (col.generated == 0) {
    const std::string message = "column \"" + cmd.name + "\" of relation \"" + def.name +
                                "\" is not a stored generated column";
    if (cmd.missing_ok) {
      a.result.notices.push_back(Notice(sqlstate::kSuccessfulCompletion, message + ", skipping"));
      return Ok();
    }
    return Fail(sqlstate::kObjectNotInPrerequisiteState, message);
  }
  col.generated = 0;
  col.generated_sql.clear();
  col.generated_expr.reset();
  return a.catalog().SaveShape(def);
}

// CLUSTER ON index / SET WITHOUT CLUSTER (pg_dump writes the first for a clustered index): the
// index CLUSTER uses by default, as CLUSTER ... USING sets it (executor_maintenance.cc).
Status ClusterOn(Alter& a, const ast::AlterTableCmd& cmd) {
  TableDef& def = a.def();
  if (cmd.kind == ast::AlterTableCmd::kClusterOn) {
    bool found = false;
    for (const IndexDef& ix : def.indexes) found |= ix.name == cmd.name;
    if (!found) {
      return Fail(sqlstate::kUndefinedObject,
                  "index \"" + cmd.name + "\" for table \"" + def.name + "\" does not exist");
    }
  }
  for (IndexDef& ix : def.indexes) {
    ix.clustered = cmd.kind == ast::AlterTableCmd::kClusterOn && ix.name == cmd.name;
  }
  return a.catalog().SaveShape(def);
}

Status RunCommand(Alter& a, const ast::AlterTableCmd& cmd) {
  switch (cmd.kind) {
    case ast::AlterTableCmd::kDropExpression:
      return DropExpression(a, cmd);
    case ast::AlterTableCmd::kClusterOn:
    case ast::AlterTableCmd::kDropCluster:
      return ClusterOn(a, cmd);
    case ast::AlterTableCmd::kAddColumn:
      return AddColumn(a, cmd);
    case ast::AlterTableCmd::kDropColumn:
      return DropColumn(a, cmd);
    case ast::AlterTableCmd::kColumnDefault:
      return ColumnDefault(a, cmd);
    case ast::AlterTableCmd::kSetNotNull:
      return SetNotNull(a, cmd, true);
    case ast::AlterTableCmd::kDropNotNull:
      return SetNotNull(a, cmd, false);
    case ast::AlterTableCmd::kAddConstraint:
      return AddConstraints(a, cmd.constraints, cmd.not_valid);
    case ast::AlterTableCmd::kDropConstraint:
      return DropConstraint(a, cmd);
    case ast::AlterTableCmd::kValidateConstraint:
      return ValidateConstraint(a, cmd);
    case ast::AlterTableCmd::kAlterColumnType:
      if (!cmd.type_name.empty()) {
        // An enum (or an array of one): the type resolved (42704 for none), then as any type.
        SQLRITE_ASSIGN_OR_RETURN(EnumTypePtr t, ResolveEnumType(cmd.type_name, 0));
        SqlType type = cmd.type;
        type.enum_oid = t->oid;
        return AlterColumnType(a, cmd, type);
      }
      return AlterColumnType(a, cmd, cmd.type);
    case ast::AlterTableCmd::kRenameColumn:
      return RenameColumn(a, cmd);
    case ast::AlterTableCmd::kRenameConstraint:
      return RenameConstraint(a, cmd);
    case ast::AlterTableCmd::kSetSchema:
      return SetSchema(a, cmd);
    case ast::AlterTableCmd::kRenameTable:
      return RenameTable(a, cmd);
    case ast::AlterTableCmd::kChangeOwner:
      return ChangeOwner(a, cmd);
    case ast::AlterTableCmd::kAddIdentity:
    case ast::AlterTableCmd::kSetIdentity:
    case ast::AlterTableCmd::kDropIdentity:
      return AlterIdentity(a, cmd);
  }
  return Ok();
}

Result<QueryResult> AlterTableUnguarded(ExecContext& ctx, const ast::AlterTable& stmt) {
  QueryResult result;
  result.command_tag = "ALTER TABLE";
  if (!stmt.tag.empty()) result.command_tag = stmt.tag;
  if (stmt.tag == "ALTER TYPE") {
    // ALTER TYPE ... OWNER TO (the transformer's only ALTER TYPE of this form): the type must
    // exist (42704), then the role.
    std::string key =
        stmt.table.schema.empty() ? stmt.table.name : stmt.table.schema + '\0' + stmt.table.name;
    SQLRITE_ASSIGN_OR_RETURN(
        EnumTypePtr type,
        ResolveEnumType(key, stmt.table.location >= 0 ? stmt.table.location + 1 : 0));
    static_cast<void>(type);
    Alter a{ctx, std::string(), result};
    for (const ast::AlterTableCmd& cmd : stmt.cmds) SQLRITE_TRY(ChangeOwner(a, cmd));
    return result;
  }
  SQLRITE_TRY(RefuseSystemRelation(stmt.table));
  if (!stmt.table.schema.empty() && !ctx.db.catalog().SchemaExists(stmt.table.schema)) {
    return UndefinedTable(ctx, stmt.table, /*ddl=*/true);  // IF EXISTS or not, as PostgreSQL
  }
  const TableDef* def = LookupTable(ctx, stmt.table);
  if (def == nullptr) {
    if (stmt.if_exists) {
      result.notices.push_back(
          Notice(sqlstate::kSuccessfulCompletion,
                 "relation \"" + stmt.table.name + "\" does not exist, skipping"));
      return result;
    }
    const std::string key =
        RelationKey(stmt.table.schema.empty() ? kPublicSchema : std::string_view(stmt.table.schema),
                    stmt.table.name);
    if (RelationNameTaken(ctx.db.catalog(), key)) {
      return Fail(sqlstate::kWrongObjectType, "\"" + stmt.table.name + "\" is not a table");
    }
    return UndefinedTable(ctx, stmt.table, /*ddl=*/true);
  }
  // SET SCHEMA moves any relation (ALTER VIEW / SEQUENCE ... SET SCHEMA share it).
  // So does OWNER TO (pg_dump writes ALTER TABLE ... OWNER TO for its views and sequences).
  const bool moves_only = std::all_of(stmt.cmds.begin(), stmt.cmds.end(), [](const auto& cmd) {
    return cmd.kind == ast::AlterTableCmd::kSetSchema ||
           cmd.kind == ast::AlterTableCmd::kChangeOwner;
  });
  if ((!def->has_storage() || def->is_sequence()) && !moves_only) {
    return Fail(sqlstate::kWrongObjectType, "\"" + stmt.table.name + "\" is not a table");
  }
  Alter a{ctx, RelationKey(*def), result};
  for (const ast::AlterTableCmd& cmd : stmt.cmds) SQLRITE_TRY(RunCommand(a, cmd));
  return result;
}

}  // namespace

Status RewriteTableValues(ExecContext& ctx, const std::string& table_key, TableDef next,
                          const std::function<Result<bool>(Row&)>& transform) {
  QueryResult ignored;
  Alter a{ctx, table_key, ignored};
  return RewriteTable(a, std::move(next), transform);
}

Result<QueryResult> ExecuteAlterTable(ExecContext& ctx, const ast::AlterTable& stmt) {
  return GuardStatement([&] { return AlterTableUnguarded(ctx, stmt); });
}

}  // namespace sqlrite::engine
