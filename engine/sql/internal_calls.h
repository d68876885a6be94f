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
  if (!call.internal || !name.starts_with(kCollateCallPrefix) || call.args.size() != 1) {
    return std::nullopt;
  }
  return name.substr(kCollateCallPrefix.size());
}

// The transformer's ROWS FROM call (never one the query spelled "ROWS FROM"(...)).
inline bool IsRowsFromCall(const FuncCall& call) {
  return call.internal && call.name == kRowsFromCall && !call.args.empty();
}

// A call the query spelled (quoted) under a name only the transformer's calls have: "ROWS FROM",
// "COLLATE x", "[]", "[:]", "array", "= ANY", an operator's symbol, a schema-qualified name
// ("information_schema._pg_expandarray" is found only when written qualified) or an SQL value
// function's that pg_proc lacks ("current_date"(): CURRENT_DATE is SQLValueFunction syntax in
// PostgreSQL 15; current_user, session_user and current_schema are functions there too). No
// function of PostgreSQL's has such a name, so the binder answers 42883 before any lookup.
inline bool SpellsInternalName(const FuncCall& call) {
  if (call.internal) return false;
  const std::string_view name = call.name;
  if (name == "current_date" || name == "current_timestamp" || name == "localtime" ||
      name == "localtimestamp" || name == "current_role" || name == "user" ||
      name == "current_catalog") {
    return true;
  }
  if (name == kRowsFromCall || name.starts_with(kCollateCallPrefix) || name == "[]" ||
      name == "[:]" || name == "array" || name.ends_with(" ANY") || name.ends_with(" ALL") ||
      name.find('.') != std::string_view::npos) {
    return true;
  }
  return !name.empty() && name.find_first_not_of("+-*/<>=~!@#%^&|`?") == std::string_view::npos;
}

}  // namespace sqlrite::engine::ast
