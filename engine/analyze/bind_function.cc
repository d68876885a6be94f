#include "engine/analyze/bind_function.h"

#include <string>
#include <utility>
#include <variant>

#include "common/assert.h"
#include "engine/functions/builtin.h"

namespace sqlrite::engine {
namespace {

int Pos(int location) { return location >= 0 ? location + 1 : 0; }

bool IsSetReturning(const BoundExpr& e) {
  return e.kind == ExprKind::kBuiltin && e.builtin != nullptr && e.builtin->set_impl != nullptr;
}

// The first set-returning call below the top of e, or null.
const BoundExpr* NestedSetReturning(const BoundExpr& e) {
  for (const BoundExpr& a : e.args) {
    if (IsSetReturning(a)) return &a;
    if (const BoundExpr* inner = NestedSetReturning(a)) return inner;
  }
  return nullptr;
}

}  // namespace

Result<BoundFunction> BindFunctionInFrom(const ast::TableRef& ref, const BindEnv* env) {
  SQLRITE_ASSERT(ref.function != nullptr);
  const auto* call = std::get_if<ast::FuncCall>(&ref.function->node);
  SQLRITE_ASSERT(call != nullptr);
  const Scope none;
  Binder binder(none);
  binder.SetOuter(env != nullptr ? env->outer : nullptr);
  binder.SetClause("functions in FROM");
  binder.AllowSetReturning();
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, binder.Bind(*ref.function));
  if (const BoundExpr* nested = NestedSetReturning(bound)) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "set-returning functions must appear at top level of FROM")
                    .WithPosition(Pos(nested->location)));
  }
  if (bound.type.id == TypeId::kUnknown) bound.type = SqlType{TypeId::kText, -1};

  auto def = std::make_shared<TableDef>();
  def->name = ref.alias.empty() ? call->name : ref.alias;
  const size_t width = ref.ordinality ? 2 : 1;
  if (ref.column_aliases.size() > width) {
    return Fail(sqlstate::kInvalidColumnReference,
                "table \"" + def->name + "\" has " + std::to_string(width) +
                    " columns available but " + std::to_string(ref.column_aliases.size()) +
                    " columns specified");
  }
  ColumnDef value;
  value.name = !ref.column_aliases.empty() ? ref.column_aliases[0] : def->name;
  value.type = bound.type;
  def->columns.push_back(std::move(value));
  if (ref.ordinality) {
    ColumnDef ordinality;
    ordinality.name = ref.column_aliases.size() > 1 ? ref.column_aliases[1] : "ordinality";
    ordinality.type = SqlType{TypeId::kInt8, -1};
    def->columns.push_back(std::move(ordinality));
  }
  return BoundFunction{std::move(def), std::make_shared<const BoundExpr>(std::move(bound))};
}

}  // namespace sqlrite::engine
