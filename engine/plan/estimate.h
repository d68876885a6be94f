#pragma once
// Row estimates for the join order (join_order.h): how many rows a FROM item returns and how
// much a join condition keeps, by PostgreSQL's rules for a table without statistics
// (selfuncs.h's defaults), from the one figure the engine keeps per table: its live rows
// (engine/table_stats.h's live_tup, settled at each commit; pg_stat_user_tables.n_live_tup).
//
// The figures only rank join orders and pick a hash join's build side; nothing reads them for
// results, so a wrong estimate costs time, never correctness.

#include <cstdint>
#include <functional>

#include "engine/catalog.h"
#include "engine/expression.h"

namespace sqlrite::engine::plan {

struct Scan;

// PostgreSQL's selfuncs.h defaults.
inline constexpr double kDefaultEqSel = 0.005;         // `column = constant`
inline constexpr double kDefaultIneqSel = 1.0 / 3.0;   // `column < constant`
inline constexpr double kDefaultRangeSel = 0.005;      // `column > a AND column < b`
inline constexpr double kDefaultMatchSel = 0.005;      // LIKE, regular expressions
inline constexpr double kDefaultNumDistinct = 200.0;   // distinct values of a non-unique column
inline constexpr double kDefaultUnknownSel = 1.0 / 3;  // any other condition
// Rows of a FROM item nothing is known about (a derived table, a function, a WITH query):
// PostgreSQL's default for a set-returning function.
inline constexpr double kDefaultItemRows = 1000.0;

// The live rows of table in database db (0: the current statement's, catalog::CurrentDatabaseOid).
// None counted (an empty table, or a process restarted since the rows were written): as
// PostgreSQL sizes a never vacuumed table, ten pages of rows of its columns' widths (2260 rows
// of one int column). A system relation: kDefaultItemRows.
double TableRows(const TableDef& table, uint32_t db = 0);

// Whether table column `column` alone is a unique key: the INTEGER PRIMARY KEY, or the only key
// column of a unique, non-partial index.
bool IsUniqueColumn(const TableDef& table, int column);

// The distinct values of a column of a table of `rows` rows: every row's for a unique column,
// else PostgreSQL's default of 200 (fewer when the table has fewer rows).
double NumDistinct(const TableDef& table, int column, double rows);

// The fraction of a table's rows (`rows` of them) that conjunct, bound over the table's
// columns, keeps: `column = value` 1/distinct values, ranges 1/3, LIKE 0.005, IS NULL 0.005,
// IN as the sum of its equalities, NOT and OR as probabilities; in (0, 1].
double RestrictionSelectivity(const TableDef& table, double rows, const BoundExpr& conjunct);

// The rows scan returns of its table's table_rows: one for a point lookup or a unique index
// point, else table_rows times its filter's conjuncts' selectivities (a column bounded on both
// sides by kDefaultRangeSel rather than 1/9); at least 1.
double ScanRows(const Scan& scan, double table_rows);

// What is known of one side of a join equality: its distinct values (0: unknown) and whether
// they are a unique key's (then distinct is the table's rows, whatever filters its item has).
struct JoinSide {
  double distinct = 0;
  bool unique = false;
};

// The fraction of the pairs of rows a join conjunct keeps; side(e) describes the expression e.
// `a = b` with a unique key on either side: 1 / that key's distinct values, so that an equality
// on the unique key of one side keeps the other side's rows (a foreign key's join); else, as
// PostgreSQL without statistics, 1 / max(distinct(a), distinct(b)), unknown sides taken as
// kDefaultNumDistinct. Any other conjunct: RestrictionSelectivity's rules.
double JoinSelectivity(const BoundExpr& conjunct,
                       const std::function<JoinSide(const BoundExpr&)>& side);

}  // namespace sqlrite::engine::plan
