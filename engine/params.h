#pragma once
// Statement parameters ($1, $2, ... of the extended query protocol) while the engine binds a
// statement. Two uses:
//   - describing (Cluster::Describe, at Parse): `values` is null; a $n whose type the client left
//     open binds as an unknown-typed NULL, and the first context that coerces it (a comparison
//     with an int4 column, an INSERT target, LIMIT, a cast, arithmetic with a typed side) fixes
//     its type here, as PostgreSQL's variable_coerce_param_hook does; $n past the declared ones
//     are added, as PostgreSQL adds them.
//   - executing (Cluster::Submit with parameters): every type is fixed and `values` holds one
//     value (already of that type) per parameter; $n binds as that constant, or, with
//     `references` set (a prepared SELECT whose plan is kept, engine/prepared_plan.h), as a
//     run-time reference (ExprKind::kParam) that plan::Instantiate replaces by the value.
//
// The binder reaches the context through CurrentParams(), set by a ParamScope on the engine
// thread around one statement: the binder is built in a dozen places inside the executors, and
// threading a pointer through each of them would change every executor's signature for a value
// only two callers set.

#include <string>
#include <vector>

#include "engine/types.h"
#include "engine/value.h"

namespace sqlrite::engine {

class PreparedPlan;

struct ParamContext {
  std::vector<SqlType> types;                  // per $n; kUnknown: not determined yet
  const std::vector<Datum>* values = nullptr;  // null: describing
  bool describing() const { return values == nullptr; }
  // Executing: bind $n as a reference to its value rather than as a constant.
  bool references = false;
  // Set when analysis evaluated a reference (LIMIT $1): the result depends on this execution's
  // values, so its plan must not be kept.
  bool value_read = false;
  // Per $n, the context of an input error of its value (empty: none), for the values the engine
  // reads rather than the server's Bind (an enum's label): "unnamed portal parameter $1 = '...'".
  std::vector<std::string> bind_context;
  // The plan kept by the prepared statement these values are bound to; null: none is kept.
  PreparedPlan* plan = nullptr;
};

// The context of the statement the engine thread binds now; null outside one (a $n is then
// 42P02 "there is no parameter $1", as for a simple Query).
ParamContext* CurrentParams();

class ParamScope {
 public:
  explicit ParamScope(ParamContext* params);
  ~ParamScope();
  ParamScope(const ParamScope&) = delete;
  ParamScope& operator=(const ParamScope&) = delete;

 private:
  ParamContext* previous_;
};

}  // namespace sqlrite::engine
