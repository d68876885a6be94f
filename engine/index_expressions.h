#pragma once
// Expression and partial indexes (CREATE INDEX ON t ((lower(b))) WHERE a > 1), as PostgreSQL 15's.
//
// An index key column is a table column or an expression over the row (IndexDef::expressions,
// kIndexExpression in IndexDef::columns); a partial index holds entries only for the rows its
// predicate is true for (IndexDef::predicate). Both are kept as SQL text in the catalog and bound
// over the table's columns when the definition is made or loaded, as a CHECK is. Rules checked
// when binding, with PostgreSQL's SQLSTATEs and messages: no subquery (0A000), no aggregate or
// window function (42803 / 42P20), nothing but immutable functions (42P17); a predicate must be
// boolean (42804).
//
// The planner uses a partial index only when the query's WHERE implies its predicate
// (PredicateImplied: PostgreSQL's predicate_implied_by for the simple cases), and an expression
// key when a WHERE conjunct or an ORDER BY item is the same expression (SameExpr).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/expression.h"
#include "engine/row_source.h"
#include "engine/value.h"

namespace sqlrite::engine {

// sql (an index key expression, or a predicate when `predicate`) bound over table's columns,
// checked against the rules above.
Result<BoundExpr> BindIndexExpression(const TableDef& table, std::string_view sql, bool predicate);

// Binds every expression and the predicate of index (their texts set) over table's columns:
// CREATE INDEX, and a definition just loaded (XX001 for text that no longer binds).
Status BindIndexExpressions(const TableDef& table, IndexDef& index);

// Key column k of index: its type (the column's, or the expression's result type).
SqlType IndexKeyType(const TableDef& table, const IndexDef& index, size_t k);

// Key column k's value for row (an expression evaluated over it; its errors are the statement's).
Result<Datum> IndexKeyValue(const IndexDef& index, size_t k, const Row& row);

// Whether row has an entry in index: true unless index is partial and its predicate is not true
// for row.
Result<bool> RowInIndex(const IndexDef& index, const Row& row);

// Expression key k's text as ruleutils prints the expression (pg_get_expr of indexprs):
// `lower((b)::text)`, `(a + 1)`, pretty `a + 1`; nullopt when it holds a node the printer does
// not know.
std::optional<std::string> IndexExpressionText(const TableDef& table, const IndexDef& index,
                                               size_t k, bool pretty);

// Key column k as PostgreSQL's pg_get_indexdef prints it: the column's quoted name, a function
// call's ruleutils text (`lower((b)::text)`), any other expression's in parentheses (the
// non-pretty form doubles them, as ruleutils does: `((a + 1))`).
std::string IndexKeyText(const TableDef& table, const IndexDef& index, size_t k, bool pretty);

// PostgreSQL's FigureIndexColname for an expression key's SQL text: its function's name (through
// casts), a column's name, else "expr" (the default index name's part, the index column's name).
Result<std::string> IndexExpressionName(const TableDef& table, std::string_view sql);

// The names of index's columns in pg_attribute, as ChooseIndexColumnNames picks them: a key
// column's name, an expression's IndexExpressionName, numbered when repeated ("expr", "expr1").
std::vector<std::string> IndexColumnNames(const TableDef& table, const IndexDef& index);

// The predicate over table's columns as pg_get_indexdef prints it after WHERE: `(a > 1)`, pretty
// `a > 1`.
std::string IndexPredicateText(const TableDef& table, const IndexDef& index, bool pretty);

// The table columns index's expressions and predicate read (positions, may repeat).
std::vector<int> IndexExpressionColumns(const IndexDef& index);

// Whether index reads column c: as a key, an INCLUDE column, in an expression or the predicate.
bool IndexUsesColumn(const IndexDef& index, int c);

// Whether where (bound over the table's columns; null: no WHERE) implies predicate, as
// PostgreSQL's predicate_implied_by decides it for the simple cases: predicate's conjuncts are
// each implied by a conjunct of where that is the same expression, or, for `column op constant`
// (op one of = < <= > >=, the column on either side), by a comparison of the same column with a
// constant that lies within it (a = 5 implies a > 1; a > 10 implies a > 1; a <= 3 implies a < 5),
// or for `column IS NOT NULL` by any strict comparison of the column. Anything else: false.
bool PredicateImplied(const BoundExpr* where, const BoundExpr& predicate);

}  // namespace sqlrite::engine
