#pragma once
// Whole-row references of a side an outer join pads with NULLs. PostgreSQL reads such a whole
// row (`select r from a left join r on ...`) as NULL where the join null-extended r, and as a
// record of NULLs (`(,,)`) where r has a real row whose columns are all NULL: the two differ only
// in whether the join matched, which the columns cannot tell.
//
// So the join says it: for each (join, side) that pads a table whose whole row a clause reads,
// the planner appends a marker column `true` to that side's rows (engine/plan/planner.cc), which
// the join's own padding turns into NULL. This pass, run on the bound SELECT before its FROM is
// planned, names those markers and rewrites each such whole-row constructor (a kRowCtor with
// `flag` set, engine/bind_row_value.cc) to read its marker as one more argument, args[index]:
// when that value is NULL the record is NULL (expression.cc's Eval).
//
// Which marker: the innermost outer join that pads the table, for every clause evaluated over
// the whole FROM (select list, WHERE, GROUP BY, HAVING, windows, ORDER BY, LATERAL values); for
// a join's ON condition, only a join inside that join (its own padding, or one above it, has not
// happened yet where ON runs). Markers are columns table_columns + k of the scope's rows (k the
// index into the returned list), after the tables' columns.
//
// Not covered (a whole row read as a record of NULLs there): a correlated subquery's whole-row
// reference to an outer query's padded table, whose columns it reads one outer value each, and
// the SET / RETURNING of UPDATE ... FROM / DELETE ... USING, evaluated by engine/dml_join.h over
// the joined row rather than by a plan.

#include <vector>

#include "engine/analyze/bind_select.h"

namespace sqlrite::engine::plan {

struct NullExtensionMarker {
  const BoundJoin* join = nullptr;
  bool right = false;  // the join's right side (its left: false)
};

// Rewrites b's whole-row constructors of padded tables as above; returns the markers they read
// (column table_columns + k is marker k). Only for a FROM of joins the FromPlanner plans.
std::vector<NullExtensionMarker> MarkNullExtendedWholeRows(BoundSelect& b);

}  // namespace sqlrite::engine::plan
