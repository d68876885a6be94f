#pragma once
// WITH queries (common table expressions), as PostgreSQL's parse_cte.c: each query of a WITH
// list is bound and planned once, in order (a query sees the ones before it), and a FROM item
// naming it reads its rows: every reference runs the one shared plan (a CteScan), so a WITH
// query is neither copied into its references nor materialized between them.
//
// WITH RECURSIVE: a query that names itself must be `non-recursive term UNION [ALL] recursive
// term`; the non-recursive term fixes the columns' types, the recursive term reads the previous
// iteration's rows (a WorkTableScan), and the whole is a RecursiveUnion (engine/plan/plan.h).
// Errors as PostgreSQL's: 42712 a name given twice; 42P10 more column names than columns;
// 42P19 a self-reference in the wrong form or place (more than once, in the non-recursive term),
// aggregates in the recursive term; 0A000 ORDER BY / LIMIT / OFFSET on a recursive query; 42804
// a column whose type the recursive term would change.

#include <memory>
#include <string>
#include <vector>

#include "engine/analyze/bind_select.h"
#include "engine/plan/plan.h"

namespace sqlrite::engine {

struct CteEntry {
  std::string name;
  std::shared_ptr<const TableDef> def;     // its name and columns
  std::shared_ptr<const plan::Node> plan;  // null while its recursive term is bound
  int worktable = -1;                      // while its recursive term is bound: the work table
  int* self_references = nullptr;          // counted while its recursive term is bound
  std::shared_ptr<plan::CteShare> share;   // its references counted as they are bound
  // A data-modifying WITH query without RETURNING: naming it is PostgreSQL's 0A000.
  bool without_returning = false;
};

// The WITH queries of one query level; parent: those of the levels around it.
struct CteScope {
  std::vector<CteEntry> entries;
  const CteScope* parent = nullptr;

  // The innermost entry called name, or null.
  const CteEntry* Find(const std::string& name) const;
};

// Binds stmt.with into scope (whose parent is env's scope), in order.
Status BindWith(ExecContext& ctx, const ast::Select& stmt, const BindEnv* env, CteScope& scope);

// The pieces of BindWith, for a WITH list whose data-modifying queries run as it is bound
// (engine/dml_with.h). 42712 when a name is given twice.
Status CheckWithNames(const std::vector<ast::CommonTableExpr>& with);
// Binds the query cte (a SELECT) into scope, as BindWith does each; inner: the env its query
// is bound in (whose ctes is &scope).
Status BindWithQuery(ExecContext& ctx, const ast::CommonTableExpr& cte, bool recursive,
                     const BindEnv& inner, CteScope& scope);
// Enters into scope a WITH query whose rows are known already (a data-modifying one's RETURNING
// rows; without_returning: it has no RETURNING list): every reference reads them. Errors:
// 42P10 more column names than columns.
Status AddWithRows(const ast::CommonTableExpr& cte, const std::vector<ColumnInfo>& columns,
                   std::shared_ptr<const std::vector<Row>> rows, bool without_returning,
                   CteScope& scope);
// Enters into scope, under the table's own name, the rows a table held before the statement
// changed it (engine/dml_with.h): every reference by that name reads them.
void AddTableRows(const TableDef& table, std::shared_ptr<const std::vector<Row>> rows,
                  CteScope& scope);
// Whether q names table `name` in a FROM item (its own or a derived table's, a set operation's
// branches'), not counting the WITH queries that hide it under the same name.
bool NamesTable(const ast::Select& q, const std::string& name);

}  // namespace sqlrite::engine
