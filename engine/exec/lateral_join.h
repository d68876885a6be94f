#pragma once
// LATERAL: a FROM item that reads the items before it (`FROM t, LATERAL (SELECT ... WHERE x =
// t.a LIMIT 1) s`, `t LEFT JOIN LATERAL ... ON true`, `FROM t, generate_series(1, t.n)`), as
// PostgreSQL's nested loop with parameters. For each left row, `values` are evaluated over it and
// the right side is built anew with them as its outer values (the way a correlated subquery in an
// expression is run, engine/exec/subquery.h), then pulled as far as the consumer asks: the left
// row followed by each right row that satisfies `condition` (over the joined row; none: every
// one). kLeft adds the left row padded with right_width NULLs when no right row matched.
//
// Streaming: one left batch and one right instance are held at a time; nothing is materialized,
// so `LATERAL (... LIMIT 1)` reads one row of the right side per left row. Polls ctx's
// interrupts per left row.

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "engine/exec/hash_join.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"

namespace sqlrite::engine::exec {

// Builds the right side's operators with the left row's values.
using LateralFactory = std::function<OperatorPtr(const std::vector<Datum>& values)>;

// REQUIRES: kind is kInner or kLeft; ctx outlives the operator.
OperatorPtr MakeLateralJoin(ReadContext& ctx, OperatorPtr left, std::vector<BoundExpr> values,
                            LateralFactory right, JoinKind kind, size_t left_width,
                            size_t right_width, std::optional<BoundExpr> condition);

}  // namespace sqlrite::engine::exec
