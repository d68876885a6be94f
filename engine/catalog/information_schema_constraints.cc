// information_schema's constraint views: table_constraints, key_column_usage,
// referential_constraints, constraint_column_usage, check_constraints, with PostgreSQL 15's
// columns and the rows its view definitions compute from pg_constraint, pg_attribute and
// pg_depend, derived here from the same Catalog those relations show.
//
// As PostgreSQL 15's, a NOT NULL column is a CHECK constraint named
// "<schema oid>_<table oid>_<attnum>_not_null" in table_constraints and check_constraints (the
// oids are this database's: the name equals PostgreSQL's only where the oids do). System tables
// contribute their NOT NULL columns as pg_attribute shows them; they have no key constraints here
// (PostgreSQL's catalogs have primary keys and unique constraints over their indexes), and
// information_schema's two domain checks are listed as PostgreSQL lists them. A CHECK's
// check_clause is the stored (pretty) text with its top operator parenthesized as ruleutils'
// plain form does; nested operators and PostgreSQL's added casts are not reproduced.

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "engine/catalog/information_schema.h"
#include "engine/catalog/rule_deparse.h"

namespace sqlrite::engine::catalog {
namespace {

using namespace infoschema;  // NOLINT(google-build-using-namespace): this file's vocabulary

// A NOT NULL column of a table that has rows (relkind r): a stored table's or a system table's.
struct NotNullColumn {
  uint32_t namespace_oid;
  uint32_t relation_oid;
  std::string table;
  std::string column;
  int attnum;
};

template <typename F>
void ForEachNotNull(const SystemSource& src, F f) {
  for (const SystemRelation& rel : SystemRelations()) {
    if (rel.kind != 'r') continue;
    int attnum = 0;
    for (const SystemColumn& c : rel.columns) {
      f(NotNullColumn{rel.namespace_oid, rel.oid, std::string(rel.name), std::string(c.name),
                      ++attnum});
    }
  }
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!IsBaseTable(table)) continue;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (!table.columns[c].not_null) continue;
      f(NotNullColumn{src.catalog->SchemaOid(table.schema), table.oid, table.name,
                      table.columns[c].name, static_cast<int>(c) + 1});
    }
  }
}

// ---- table_constraints ------------------------------------------------------------------------

Result<SystemRows> TableConstraintsRows(const SystemSource& src) {
  SystemRows rows;
  const Datum db = Text(src.database);
  auto add = [&](const std::string& schema, const std::string& name, const std::string& table,
                 const char* type, Datum nulls_distinct, bool deferrable = false,
                 bool deferred = false) {
    rows.push_back({db, Text(schema), Text(name), db, Text(schema), Text(table), Text(type),
                    YesNoValue(deferrable), YesNoValue(deferred), YesNoValue(true),
                    std::move(nulls_distinct)});
  };
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!IsBaseTable(table)) continue;
    for (const IndexDef& ix : table.indexes) {
      if (!ix.constraint) continue;
      if (ix.primary) {
        add(table.schema, ix.name, table.name, "PRIMARY KEY", Null(), ix.deferrable,
            ix.initially_deferred);
      } else {
        add(table.schema, ix.name, table.name, "UNIQUE", YesNoValue(!ix.nulls_not_distinct),
            ix.deferrable, ix.initially_deferred);
      }
    }
    for (const CheckConstraint& check : table.checks) {
      add(table.schema, check.name, table.name, "CHECK", Null());
    }
    for (const ForeignKey& fk : table.foreign_keys) {
      add(table.schema, fk.name, table.name, "FOREIGN KEY", Null(), fk.deferrable,
          fk.initially_deferred);
    }
  }
  ForEachNotNull(src, [&](const NotNullColumn& c) {
    add(NamespaceName(src, c.namespace_oid), NotNullName(c.namespace_oid, c.relation_oid, c.attnum),
        c.table, "CHECK", Null());
  });
  return rows;
}

// ---- key_column_usage -------------------------------------------------------------------------

Result<SystemRows> KeyColumnUsageRows(const SystemSource& src) {
  SystemRows rows;
  const Datum db = Text(src.database);
  auto add = [&](const std::string& constraint, const TableDef& table, int column, int position,
                 Datum in_unique) {
    rows.push_back({db, Text(table.schema), Text(constraint), db, Text(table.schema),
                    Text(table.name), Text(table.columns[static_cast<size_t>(column)].name),
                    Int(position), std::move(in_unique)});
  };
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!IsBaseTable(table)) continue;
    for (const IndexDef& ix : table.indexes) {
      if (!ix.constraint) continue;
      for (size_t k = 0; k < ix.columns.size(); ++k) {
        add(ix.name, table, ix.columns[k], static_cast<int>(k) + 1, Null());
      }
    }
    for (const ForeignKey& fk : table.foreign_keys) {
      const TableDef* ref = src.catalog->Find(fk.ref_table);
      const int key = ref != nullptr ? ReferencedKeyIndex(*ref, fk) : -1;
      for (size_t k = 0; k < fk.columns.size(); ++k) {
        // The referenced column's position in the referenced key's index.
        Datum in_unique;
        if (key >= 0) {
          const std::vector<int>& cols = ref->indexes[static_cast<size_t>(key)].columns;
          auto at = std::find(cols.begin(), cols.end(), fk.ref_columns[k]);
          if (at != cols.end()) in_unique = Int(at - cols.begin() + 1);
        }
        add(fk.name, table, fk.columns[k], static_cast<int>(k) + 1, std::move(in_unique));
      }
    }
  }
  return rows;
}

// ---- referential_constraints ------------------------------------------------------------------

Result<SystemRows> ReferentialConstraintsRows(const SystemSource& src) {
  SystemRows rows;
  const Datum db = Text(src.database);
  for (const auto& [name, table] : src.catalog->tables()) {
    for (const ForeignKey& fk : table.foreign_keys) {
      // The unique constraint is the one that owns the referenced index; a unique index made by
      // CREATE UNIQUE INDEX owns none, and PostgreSQL shows NULLs.
      const TableDef* ref = src.catalog->Find(fk.ref_table);
      const int key = ref != nullptr ? ReferencedKeyIndex(*ref, fk) : -1;
      const IndexDef* ix = key >= 0 ? &ref->indexes[static_cast<size_t>(key)] : nullptr;
      const bool named = ix != nullptr && ix->constraint;
      rows.push_back({db, Text(table.schema), Text(fk.name), named ? db : Null(),
                      named ? Text(ref->schema) : Null(), named ? Text(ix->name) : Null(),
                      Text(fk.match == 'f' ? "FULL" : "NONE"),
                      Text(ForeignKeyActionText(fk.on_update)),
                      Text(ForeignKeyActionText(fk.on_delete))});
    }
  }
  return rows;
}

// ---- constraint_column_usage ------------------------------------------------------------------

Result<SystemRows> ConstraintColumnUsageRows(const SystemSource& src) {
  SystemRows rows;
  const Datum db = Text(src.database);
  auto add = [&](const TableDef& table, int column, const std::string& constraint) {
    rows.push_back({db, Text(table.schema), Text(table.name),
                    Text(table.columns[static_cast<size_t>(column)].name), db, Text(table.schema),
                    Text(constraint)});
  };
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!IsBaseTable(table)) continue;
    // A CHECK uses the columns its expression reads (PostgreSQL's pg_depend rows), each once.
    for (const CheckConstraint& check : table.checks) {
      for (int c : CheckColumns(check)) add(table, c, check.name);
    }
    for (const IndexDef& ix : table.indexes) {
      if (!ix.constraint) continue;
      for (int c : ix.columns) add(table, c, ix.name);
    }
    // A foreign key uses the referenced table's columns.
    for (const ForeignKey& fk : table.foreign_keys) {
      const TableDef* ref = src.catalog->Find(fk.ref_table);
      if (ref == nullptr || !IsBaseTable(*ref)) continue;
      for (int c : fk.ref_columns) add(*ref, c, fk.name);
    }
  }
  return rows;
}

// ---- check_constraints ------------------------------------------------------------------------

bool IsOperator(ExprKind kind) {
  switch (kind) {
    case ExprKind::kCompare:
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kArith:
    case ExprKind::kConcat:
    case ExprKind::kLike:
      return true;
    default:
      return false;
  }
}

Result<SystemRows> CheckConstraintsRows(const SystemSource& src) {
  SystemRows rows;
  const Datum db = Text(src.database);
  // The view is a UNION: a row listed twice (two tables' checks of one name and clause) once.
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  auto add = [&](const std::string& schema, const std::string& name, std::string clause) {
    if (!seen.emplace(schema, name, clause).second) return;
    rows.push_back({db, Text(schema), Text(name), Text(std::move(clause))});
  };
  // information_schema's own domains' checks, as pg_get_constraintdef prints them.
  add("information_schema", "cardinal_number_domain_check", "((VALUE >= 0))");
  add("information_schema", "yes_or_no_check",
      "(((VALUE)::text = ANY ((ARRAY['YES'::character varying, 'NO'::character "
      "varying])::text[])))");
  for (const auto& [name, table] : src.catalog->tables()) {
    for (const CheckConstraint& check : table.checks) {
      // SUBSTRING(pg_get_constraintdef(oid) FROM 7): the definition without "CHECK ", in
      // ruleutils' plain (not pretty) form. Where that printer has no answer, the stored text
      // (the pretty form) with the top operator's parentheses.
      std::optional<std::string> rule;
      if (check.bound != nullptr) rule = RuleExprText(*check.bound, table, false);
      std::string clause;
      if (rule) {
        clause = "(" + *rule + ")";
      } else {
        clause = CheckDefinition(table, check, false).substr(6);
        if (check.bound != nullptr && IsOperator(check.bound->kind)) {
          clause.insert(0, 1, '(');
          clause += ')';
        }
      }
      // substring(pg_get_constraintdef(oid) from 7) keeps its " NOT VALID".
      if (std::find(table.not_valid.begin(), table.not_valid.end(), check.name) !=
          table.not_valid.end()) {
        clause += " NOT VALID";
      }
      add(table.schema, check.name, std::move(clause));
    }
  }
  ForEachNotNull(src, [&](const NotNullColumn& c) {
    add(NamespaceName(src, c.namespace_oid), NotNullName(c.namespace_oid, c.relation_oid, c.attnum),
        c.column + " IS NOT NULL");
  });
  return rows;
}

}  // namespace

void AddInformationSchemaConstraints(std::vector<SystemRelation>& out) {
  // The oids are PostgreSQL 15's as initdb assigns them in a default build.
  out.push_back({"table_constraints",
                 13411,
                 'v',
                 {Id("constraint_catalog"), Id("constraint_schema"), Id("constraint_name"),
                  Id("table_catalog"), Id("table_schema"), Id("table_name"),
                  Chars("constraint_type"), YesNo("is_deferrable"), YesNo("initially_deferred"),
                  YesNo("enforced"), YesNo("nulls_distinct")},
                 TableConstraintsRows,
                 kInformationSchemaNamespace});
  out.push_back({"key_column_usage",
                 13329,
                 'v',
                 {Id("constraint_catalog"), Id("constraint_schema"), Id("constraint_name"),
                  Id("table_catalog"), Id("table_schema"), Id("table_name"), Id("column_name"),
                  Card("ordinal_position"), Card("position_in_unique_constraint")},
                 KeyColumnUsageRows,
                 kInformationSchemaNamespace});
  out.push_back({"referential_constraints",
                 13339,
                 'v',
                 {Id("constraint_catalog"), Id("constraint_schema"), Id("constraint_name"),
                  Id("unique_constraint_catalog"), Id("unique_constraint_schema"),
                  Id("unique_constraint_name"), Chars("match_option"), Chars("update_rule"),
                  Chars("delete_rule")},
                 ReferentialConstraintsRows,
                 kInformationSchemaNamespace});
  out.push_back({"constraint_column_usage",
                 13300,
                 'v',
                 {Id("table_catalog"), Id("table_schema"), Id("table_name"), Id("column_name"),
                  Id("constraint_catalog"), Id("constraint_schema"), Id("constraint_name")},
                 ConstraintColumnUsageRows,
                 kInformationSchemaNamespace});
  out.push_back({"check_constraints",
                 13260,
                 'v',
                 {Id("constraint_catalog"), Id("constraint_schema"), Id("constraint_name"),
                  Chars("check_clause")},
                 CheckConstraintsRows,
                 kInformationSchemaNamespace});
}

}  // namespace sqlrite::engine::catalog
