#pragma once
// Analysis of a set operation (UNION / INTERSECT / EXCEPT [ALL]), as PostgreSQL's
// transformSetOperationStmt: each branch bound as a query of its own, the same number of columns
// on both sides (42601), each result column's type the common type of the branches' (an untyped
// literal takes the other side's type; 42804 when the types belong to different categories),
// the result's column names the left branch's, and ORDER BY over the result's columns only.

#include "engine/analyze/bind_select.h"

namespace sqlrite::engine {

// REQUIRES: stmt.set_op. The BoundSelect returned has set_op set (see BoundSelect).
Result<BoundSelect> BindSetOperation(ExecContext& ctx, const ast::Select& stmt,
                                     const BindEnv* env = nullptr);

// Whether column i of branch is an untyped literal still open to another type.
bool IsUntypedColumn(const BoundSelect& branch, size_t i);
// Makes column i of a branch's result yield type `to`: an untyped literal is read as `to` in
// place, anything else gets a cast in convert (the branch's conversion, filled on first need:
// one expression per column over the branch's row).
Status ConvertColumn(BoundSelect& branch, size_t i, SqlType to, std::vector<BoundExpr>& convert);

// The common type of two values of a set operation or VALUES column (construct: "UNION",
// "VALUES", ... for the 42804 message, which points at location); an unknown side (an untyped
// literal) takes the other's type, two unknowns are text.
Result<SqlType> SelectCommonType(SqlType l, bool l_unknown, SqlType r, bool r_unknown,
                                 const char* construct, int location);

// stmt's ORDER BY over the result columns out.items.columns only (names and ordinals), as for a
// set operation or VALUES; fills out.sort_keys.
Status BindResultOrderBy(const ast::Select& stmt, BoundSelect& out);

}  // namespace sqlrite::engine
