#pragma once
// ColumnDefaults: a table's column defaults bound for one statement. A constant default (the
// common case, stored as a value) is copied; an expression default (nextval('t_id_seq') of a
// SERIAL or identity column, random(), gen_random_uuid(): stored as SQL text, catalog.h) is
// bound once here and evaluated for each row that does not give the column, as PostgreSQL
// evaluates a column's default once per inserted row.

#include <cstddef>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/expression.h"

namespace sqlrite::engine {

class ColumnDefaults {
 public:
  // Binds def's defaults. Errors: a stored expression that no longer binds (its function
  // missing), as PostgreSQL would fail the INSERT.
  static Result<ColumnDefaults> Bind(const TableDef& def);

  // Column c's default: a constant, or an expression without column references.
  const BoundExpr& Expr(size_t c) const { return exprs_[c]; }
  // Evaluates column c's default (a nextval advances its sequence).
  Result<Datum> Value(size_t c) const { return Eval(exprs_[c], EvalContext{}); }

 private:
  std::vector<BoundExpr> exprs_;
};

}  // namespace sqlrite::engine
