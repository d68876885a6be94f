#pragma once
// Calls the transformer makes for constructs the AST has no node of: FuncCalls whose names SQL
// cannot spell unquoted (as the subscript's "[]"), which the binder recognises before any
// function lookup.
//
// expr COLLATE name: a call of kCollateCallPrefix + the collation's name ("COLLATE C",
// "COLLATE default", "COLLATE ucs_basic", ...) over the one argument expr, made only for the
// collations the engine honours (engine/sql/transform_expression.cc); the binder checks it and
// binds expr in its place (engine/explicit_collation.h).
//
// ROWS FROM (f(...), g(...)) in FROM, and unnest(a, b, ...) there (PostgreSQL's shorthand for
// ROWS FROM (unnest(a), unnest(b), ...)): a TableRef's function is a call of kRowsFromCall whose
// arguments are the calls (engine/analyze/bind_function.h).

#include <optional>
#include <string_view>

#include "engine/sql/ast.h"

namespace sqlrite::engine::ast {

inline constexpr std::string_view kCollateCallPrefix = "COLLATE ";
inline constexpr std::string_view kRowsFromCall = "ROWS FROM";

// The collation a COLLATE call names ("C", "default", ...); nullopt for any other call.
inline std::optional<std::string_view> CollateCallName(const FuncCall& call) {
  const std::string_view name = call.name;
  if (!name.starts_with(kCollateCallPrefix) || call.args.size() != 1) return std::nullopt;
  return name.substr(kCollateCallPrefix.size());
}

}  // namespace sqlrite::engine::ast
