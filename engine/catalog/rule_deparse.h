#pragma once
// RuleExprText: a bound expression over one table's columns printed as PostgreSQL 15's ruleutils
// prints the parsed expression it would have stored (pg_get_constraintdef of a CHECK): every
// operator parenthesised, or in pretty mode only where precedence needs it; the implicit casts
// of an operator's operands shown (`(price > (0)::numeric)`, `((note)::text <> 'x'::text)`);
// constants labelled with their type unless they read back as it; IN lists as `= ANY (ARRAY[...])`.
//
// The bound tree has lost some of what PostgreSQL's tree keeps (a constant folded from a cast of
// a literal, a varchar operand's relabelling), which is rebuilt from the types: see
// docs/decisions.md "CHECK constraints print as ruleutils does, from the bound expression".
// nullopt: the expression holds a node this printer does not know, and the caller falls back to
// the stored text.

#include <optional>
#include <string>

#include "engine/catalog.h"
#include "engine/expression.h"

namespace sqlrite::engine::catalog {

std::optional<std::string> RuleExprText(const BoundExpr& expr, const TableDef& table, bool pretty);

}  // namespace sqlrite::engine::catalog
