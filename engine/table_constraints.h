#pragma once
// The CHECK and FOREIGN KEY constraints of CREATE TABLE, made as PostgreSQL 15 makes them: their
// names (ChooseConstraintName: t_a_check, t_check, t_check1, c_p_fkey ... unique among the
// database's constraints), their checks (a CHECK is a boolean over the row without subqueries
// or aggregates; a foreign key references the columns of a unique index or primary key, 42830,
// with comparable types, 42804), and the dependency of a foreign key on the table it references
// (DROP TABLE and TRUNCATE ask for it). Row checks are elsewhere: CHECK in engine/table_access.h,
// foreign keys in engine/foreign_keys.h.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// Adds the CHECK constraints among constraints (CREATE TABLE's, ALTER TABLE ... ADD's) to def
// (whose columns and keys are made), in the order written, named as PostgreSQL names them. Errors:
// the expression's (42703, 42804, 0A000 subquery, 42803 aggregate), 42710 for a name used twice.
Status AddCheckConstraints(const Catalog& catalog, TableDef& def,
                           const std::vector<ast::TableConstraint>& constraints);

// Adds the FOREIGN KEY constraints among constraints to def (columns, keys and checks made), after
// checking them against the tables they reference (def itself for a self-reference). Errors: 42P01
// for a missing table, 42703 a missing column, 42830 no unique key on the referenced columns or
// column counts that disagree, 42804 incomparable types, 42P10 a SET column outside the key.
// The referenced tables are looked up through path (engine/search_path.h).
Status AddForeignKeys(const Catalog& catalog, const std::vector<std::string>& path, TableDef& def,
                      const std::vector<ast::TableConstraint>& constraints);

// A foreign key of another table that references a table.
struct ReferencingKey {
  std::string table;       // the referencing table's RelationKey
  std::string constraint;  // its foreign key's name
};
// The foreign keys of tables other than `name` itself that reference it.
// Both by RelationKey.
std::vector<ReferencingKey> ReferencesTo(const Catalog& catalog, std::string_view key);

}  // namespace sqlrite::engine
