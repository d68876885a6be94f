#include "engine/table_constraints.h"

#include <algorithm>
#include <set>
#include <utility>

#include "engine/executor.h"
#include "engine/foreign_keys.h"
#include "engine/search_path.h"

namespace sqlrite::engine {
namespace {

constexpr size_t kMaxIdentifierBytes = 63;  // NAMEDATALEN - 1

// Every constraint name of the database (PostgreSQL's ConstraintNameExists looks through the
// namespace), def's own included.
std::set<std::string> ConstraintNames(const Catalog& catalog, const TableDef& def) {
  std::set<std::string> names;
  auto add = [&names](const TableDef& t) {
    for (const IndexDef& ix : t.indexes) {
      if (ix.constraint) names.insert(ix.name);
    }
    for (const CheckConstraint& c : t.checks) names.insert(c.name);
    for (const ForeignKey& fk : t.foreign_keys) names.insert(fk.name);
  };
  for (const auto& [name, t] : catalog.tables()) {
    if (name != def.name) add(t);
  }
  add(def);
  return names;
}

// PostgreSQL's ChooseConstraintName: name1_name2_label, then label1, label2, ... until unused.
std::string ChooseConstraintName(const std::set<std::string>& taken, std::string_view name1,
                                 std::string_view name2, const std::string& label) {
  std::string modlabel = label;
  for (int pass = 1;; ++pass) {
    std::string name = MakeObjectName(name1, name2, modlabel);
    if (taken.count(name) == 0) return name;
    modlabel = label + std::to_string(pass);
  }
}

// Whether def already has a constraint called name (PostgreSQL's ConstraintNameIsUsed for the
// relation): 42710.
Status RefuseUsedName(const TableDef& def, const std::string& name) {
  bool used = false;
  for (const IndexDef& ix : def.indexes) used |= ix.constraint && ix.name == name;
  for (const CheckConstraint& c : def.checks) used |= c.name == name;
  for (const ForeignKey& fk : def.foreign_keys) used |= fk.name == name;
  if (!used) return Ok();
  return Fail(sqlstate::kDuplicateObject,
              "constraint \"" + name + "\" for relation \"" + def.name + "\" already exists");
}

void CollectColumns(const BoundExpr& e, std::vector<int>& out) {
  if (e.kind == ExprKind::kColumn && std::find(out.begin(), out.end(), e.index) == out.end()) {
    out.push_back(e.index);
  }
  for (const BoundExpr& a : e.args) CollectColumns(a, out);
}

Result<std::vector<int>> ForeignKeyColumns(const TableDef& def,
                                           const std::vector<std::string>& names) {
  std::vector<int> columns;
  for (const std::string& n : names) {
    const int c = def.FindColumn(n);
    if (c < 0) {
      return Fail(sqlstate::kUndefinedColumn,
                  "column \"" + n + "\" referenced in foreign key constraint does not exist");
    }
    columns.push_back(c);
  }
  return columns;
}

// The referenced columns: those named (which must be a unique key's, in any order), or the
// primary key's.
Result<std::vector<int>> ReferencedColumns(const TableDef& parent,
                                           const std::vector<std::string>& names) {
  if (names.empty()) {
    for (const IndexDef& ix : parent.indexes) {
      if (!ix.primary) continue;
      if (ix.deferrable) {
        return Fail(
            sqlstate::kObjectNotInPrerequisiteState,
            "cannot use a deferrable primary key for referenced table \"" + parent.name + "\"");
      }
      return ix.columns;
    }
    return Fail(sqlstate::kUndefinedObject,
                "there is no primary key for referenced table \"" + parent.name + "\"");
  }
  SQLRITE_ASSIGN_OR_RETURN(std::vector<int> columns, ForeignKeyColumns(parent, names));
  std::vector<int> sorted = columns;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return Fail(sqlstate::kInvalidForeignKey,
                "foreign key referenced-columns list must not contain duplicates");
  }
  bool deferrable = false;
  for (const IndexDef& ix : parent.indexes) {
    // PostgreSQL's transformFkeyCheckAttrs: a partial or expression index is no key.
    if (!ix.unique || ix.partial() || ix.has_expressions()) continue;
    std::vector<int> key = ix.columns;
    std::sort(key.begin(), key.end());
    if (key != sorted) continue;
    if (!ix.deferrable) return columns;
    deferrable = true;
  }
  if (deferrable) {
    return Fail(
        sqlstate::kObjectNotInPrerequisiteState,
        "cannot use a deferrable unique constraint for referenced table \"" + parent.name + "\"");
  }
  return Fail(sqlstate::kInvalidForeignKey,
              "there is no unique constraint matching given keys for referenced table \"" +
                  parent.name + "\"");
}

}  // namespace

Status AddCheckConstraints(const Catalog& catalog, TableDef& def,
                           const std::vector<ast::TableConstraint>& constraints) {
  for (const ast::TableConstraint& tc : constraints) {
    if (tc.kind != ast::TableConstraint::kCheck) continue;
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, BindCheckExpr(def, *tc.check));
    CheckConstraint check;
    if (!tc.name.empty()) {
      for (const CheckConstraint& other : def.checks) {
        if (other.name == tc.name) {
          return Fail(sqlstate::kDuplicateObject,
                      "check constraint \"" + tc.name + "\" already exists");
        }
      }
      SQLRITE_TRY(RefuseUsedName(def, tc.name));
      check.name = tc.name;
    } else {
      // "t_col_check" when the expression reads exactly one column, else "t_check"
      // (PostgreSQL's AddRelationNewConstraints, whatever the clause was written on).
      std::vector<int> columns;
      CollectColumns(bound, columns);
      const std::string column =
          columns.size() == 1 ? def.columns[static_cast<size_t>(columns[0])].name : "";
      check.name = ChooseConstraintName(ConstraintNames(catalog, def), def.name, column, "check");
    }
    check.sql = tc.check_sql;
    check.bound = std::make_shared<const BoundExpr>(std::move(bound));
    def.checks.push_back(std::move(check));
  }
  // Rows are checked in name order, as PostgreSQL's ExecRelCheck.
  std::stable_sort(
      def.checks.begin(), def.checks.end(),
      [](const CheckConstraint& a, const CheckConstraint& b) { return a.name < b.name; });
  return Ok();
}

Status AddForeignKeys(const Catalog& catalog, const std::vector<std::string>& path, TableDef& def,
                      const std::vector<ast::TableConstraint>& constraints) {
  for (const ast::TableConstraint& tc : constraints) {
    if (tc.kind != ast::TableConstraint::kForeignKey) continue;
    ForeignKey fk;
    if (!tc.name.empty()) {
      SQLRITE_TRY(RefuseUsedName(def, tc.name));
      fk.name = tc.name;
    } else {
      // ChooseForeignKeyConstraintNameAddition: the columns joined by "_", cut past 63 bytes.
      std::string addition;
      for (const std::string& c : tc.columns) {
        if (!addition.empty()) addition += "_";
        addition += c;
        if (addition.size() >= kMaxIdentifierBytes) break;
      }
      fk.name = ChooseConstraintName(ConstraintNames(catalog, def), def.name, addition, "fkey");
    }
    const TableDef* found = FindRelation(catalog, path, tc.ref_table);
    // The table being made (CREATE TABLE) is not in the catalog yet; ALTER TABLE's is.
    const bool self = tc.ref_table.name == def.name &&
                      (tc.ref_table.schema.empty() ? found == nullptr || found->oid == def.oid
                                                   : tc.ref_table.schema == def.schema);
    const TableDef* parent = self ? &def : found;
    if (parent == nullptr) return UndefinedRelation(catalog, tc.ref_table);
    if (parent->is_sequence() || parent->is_view()) {
      return Fail(sqlstate::kWrongObjectType,
                  "referenced relation \"" + parent->name + "\" is not a table");
    }
    fk.deferrable = tc.deferrable;
    fk.initially_deferred = tc.initially_deferred;
    SQLRITE_ASSIGN_OR_RETURN(fk.columns, ForeignKeyColumns(def, tc.columns));
    SQLRITE_ASSIGN_OR_RETURN(fk.delete_set_columns, ForeignKeyColumns(def, tc.delete_set_columns));
    for (size_t i = 0; i < fk.delete_set_columns.size(); ++i) {
      if (std::find(fk.columns.begin(), fk.columns.end(), fk.delete_set_columns[i]) ==
          fk.columns.end()) {
        return Fail(sqlstate::kInvalidColumnReference,
                    "column \"" + tc.delete_set_columns[i] +
                        "\" referenced in ON DELETE SET action must be part of foreign key");
      }
    }
    SQLRITE_ASSIGN_OR_RETURN(fk.ref_columns, ReferencedColumns(*parent, tc.ref_columns));
    if (fk.columns.size() != fk.ref_columns.size()) {
      return Fail(sqlstate::kInvalidForeignKey,
                  "number of referencing and referenced columns for foreign key disagree");
    }
    for (size_t i = 0; i < fk.columns.size(); ++i) {
      const ColumnDef& c = def.columns[static_cast<size_t>(fk.columns[i])];
      const ColumnDef& p = parent->columns[static_cast<size_t>(fk.ref_columns[i])];
      if (!ForeignKeyTypesCompatible(c.type.id, p.type.id)) {
        return Fail(
            Error(sqlstate::kDatatypeMismatch,
                  "foreign key constraint \"" + fk.name + "\" cannot be implemented")
                .WithDetail("Key columns \"" + c.name + "\" and \"" + p.name +
                            "\" are of incompatible types: " + std::string(TypeName(c.type.id)) +
                            " and " + std::string(TypeName(p.type.id)) + "."));
      }
    }
    fk.ref_table = RelationKey(*parent);
    fk.on_delete = tc.on_delete;
    fk.on_update = tc.on_update;
    fk.match = tc.match;
    def.foreign_keys.push_back(std::move(fk));
  }
  return Ok();
}

std::vector<ReferencingKey> ReferencesTo(const Catalog& catalog, std::string_view key) {
  std::vector<ReferencingKey> out;
  for (const auto& [table, def] : catalog.tables()) {
    if (table == key) continue;
    for (const ForeignKey& fk : def.foreign_keys) {
      if (fk.ref_table == key) out.push_back({table, fk.name});
    }
  }
  return out;
}

}  // namespace sqlrite::engine
