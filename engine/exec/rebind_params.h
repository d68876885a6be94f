#pragma once
// Parameter values in an instantiated expression, put again for another execution.
//
// plan::Instantiate turns each parameter reference of a prepared statement's plan ($n,
// ExprKind::kParam) into a constant holding that execution's value and leaves its `param`
// number in place. An instance whose constants with a `param` number all came from that
// substitution (plan::Instantiate's `rewindable`) can take the next execution's values here,
// instead of being built again: that is what lets an operator tree be kept across Executes
// (Operator::Rewind).

#include <cstddef>
#include <optional>
#include <vector>

#include "common/assert.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// REQUIRES: every constant of e with a `param` number was a parameter reference substituted
// by plan::Instantiate, and params holds a value for each one.
inline void RebindParams(BoundExpr& e, const std::vector<Datum>& params) {
  if (e.kind == ExprKind::kConst && e.param > 0) {
    SQLRITE_ASSERT(static_cast<size_t>(e.param) <= params.size());
    e.value = params[static_cast<size_t>(e.param - 1)];
    return;
  }
  for (BoundExpr& a : e.args) RebindParams(a, params);
}
inline void RebindParams(std::optional<BoundExpr>& e, const std::vector<Datum>& params) {
  if (e) RebindParams(*e, params);
}
inline void RebindParams(std::vector<BoundExpr>& es, const std::vector<Datum>& params) {
  for (BoundExpr& e : es) RebindParams(e, params);
}

}  // namespace sqlrite::engine::exec
