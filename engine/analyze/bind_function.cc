#include "engine/analyze/bind_function.h"

#include <string>
#include <utility>
#include <variant>

#include "common/assert.h"
#include "engine/functions/builtin.h"
#include "engine/record_type.h"

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
  return BindFunctionCall(*ref.function, ref.alias, ref.column_aliases, ref.ordinality, env);
}

const ast::Expr* SelectListSetReturningCall(const ast::Select& stmt) {
  // Grouping would apply to the function's rows here but to the one input row in PostgreSQL
  // (its ProjectSet runs above the Agg): such queries keep the refusal.
  if (!stmt.from.empty() || stmt.set_op || !stmt.values.empty() || !stmt.group_by.empty() ||
      stmt.having != nullptr || stmt.distinct) {
    return nullptr;
  }
  const ast::Expr* found = nullptr;
  for (const ast::SelectItem& item : stmt.items) {
    if (item.expr == nullptr) continue;
    const auto* call = std::get_if<ast::FuncCall>(&item.expr->node);
    if (call == nullptr || call->over != nullptr) continue;
    bool set_returning = false;
    for (const functions::Builtin* b : functions::BuiltinsNamed(call->name)) {
      set_returning |= b->set_impl != nullptr;
    }
    if (!set_returning) continue;
    if (found != nullptr) return nullptr;
    found = item.expr.get();
  }
  return found;
}

Result<BoundFunction> BindFunctionCall(const ast::Expr& call_expr, const std::string& alias,
                                       const std::vector<std::string>& column_aliases,
                                       bool ordinality, const BindEnv* env) {
  const auto* call = std::get_if<ast::FuncCall>(&call_expr.node);
  SQLRITE_ASSERT(call != nullptr);
  const Scope none;
  Binder binder(none);
  binder.SetOuter(env != nullptr ? env->outer : nullptr);
  binder.SetClause("functions in FROM");
  binder.AllowSetReturning();
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, binder.Bind(call_expr));
  if (const BoundExpr* nested = NestedSetReturning(bound)) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "set-returning functions must appear at top level of FROM")
                    .WithPosition(Pos(nested->location)));
  }
  if (bound.type.id == TypeId::kUnknown) bound.type = SqlType{TypeId::kText, -1};

  auto def = std::make_shared<TableDef>();
  def->name = alias.empty() ? call->name : alias;
  // A record of a known shape (jsonb_each's (key, value)) is a column per field, as
  // PostgreSQL expands a function's OUT parameters.
  // A select list's call read as a FROM item (its hidden name starts with a blank) keeps the
  // record whole.
  const record::Shape* shape = bound.type.id == TypeId::kRecord && !alias.starts_with(' ')
                                   ? record::Find(bound.type.typmod)
                                   : nullptr;
  const size_t fields = shape != nullptr ? shape->fields.size() : 1;
  const size_t width = fields + (ordinality ? 1 : 0);
  if (column_aliases.size() > width) {
    return Fail(sqlstate::kInvalidColumnReference,
                "table \"" + def->name + "\" has " + std::to_string(width) +
                    " columns available but " + std::to_string(column_aliases.size()) +
                    " columns specified");
  }
  if (shape != nullptr) {
    for (size_t i = 0; i < fields; ++i) {
      ColumnDef field;
      field.name =
          i < column_aliases.size() ? column_aliases[i] : std::string(shape->fields[i].name);
      field.type = shape->fields[i].type;
      def->columns.push_back(std::move(field));
    }
  } else {
    ColumnDef value;
    // A function whose one column is an OUT parameter names it so (the json array functions'
    // "value"); otherwise the column takes the item's name.
    const bool named_value =
        call->name == "jsonb_array_elements" || call->name == "jsonb_array_elements_text" ||
        call->name == "json_array_elements" || call->name == "json_array_elements_text";
    value.name = !column_aliases.empty() ? column_aliases[0]
                 : named_value           ? std::string("value")
                                         : def->name;
    value.type = bound.type;
    def->columns.push_back(std::move(value));
  }
  if (ordinality) {
    ColumnDef counter;
    counter.name = column_aliases.size() > fields ? column_aliases[fields] : "ordinality";
    counter.type = SqlType{TypeId::kInt8, -1};
    def->columns.push_back(std::move(counter));
  }
  return BoundFunction{std::move(def), std::make_shared<const BoundExpr>(std::move(bound))};
}

}  // namespace sqlrite::engine
