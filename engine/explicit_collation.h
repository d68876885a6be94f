#pragma once
// The explicit collations of an expression (PostgreSQL's COLLATE_EXPLICIT strength in
// assign_collations_walker), read from the AST: what a COLLATE clause (engine/sql/internal_calls.h)
// carries up to the expressions around it. Every collation the engine accepts orders text alike,
// so nothing is applied; what remains is PostgreSQL's check that two different explicit
// collations never meet in one expression (42P21).
//
// Covered: a COLLATE carries up through casts to a collatable type, ||, CASE results, COALESCE,
// GREATEST / LEAST, ARRAY[...], subscripts and the text functions that return their argument's
// collation (lower, substr, ...); it meets others in any operator, function, IN list, BETWEEN or
// CASE. Not covered (no error where PostgreSQL raises one): a function outside that list
// carrying its argument's collation, and the implicit collations of columns (42P22 between
// columns of different collations): the binder's bound expressions carry no collation.

#include <optional>
#include <string>

#include "common/error.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// 42P21 "collation mismatch between explicit collations "a" and "b"" when two of expr's direct
// operands carry different explicit collations into it, at the second COLLATE's position.
Status CheckExplicitCollations(const ast::Expr& expr);

}  // namespace sqlrite::engine
