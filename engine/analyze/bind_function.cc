#include "engine/analyze/bind_function.h"

#include <string>
#include <utility>
#include <variant>

#include "common/assert.h"
#include "engine/error_position.h"
#include "engine/exec/function_scan.h"
#include "engine/functions/builtin.h"
#include "engine/record_type.h"
#include "engine/sql/internal_calls.h"

namespace sqlrite::engine {
namespace {

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

namespace {

// One call of a FROM item bound with no column of this query in scope.
Result<BoundExpr> BindFromCall(const ast::Expr& call_expr, const BindEnv* env) {
  const Scope none;
  Binder binder(none);
  binder.SetOuter(env != nullptr ? env->outer : nullptr);
  binder.SetClause("functions in FROM");
  binder.AllowSetReturning();
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, binder.Bind(call_expr));
  if (const BoundExpr* nested = NestedSetReturning(bound)) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "set-returning functions must appear at top level of FROM")
                    .WithPosition(ErrorPosition(nested->location)));
  }
  if (bound.type.id == TypeId::kUnknown) bound.type = SqlType{TypeId::kText, -1};
  return bound;
}

// A record of a known shape (jsonb_each's (key, value)) is a column per field, as PostgreSQL
// expands a function's OUT parameters; null for a value of one column.
const record::Shape* ExpandedShape(const BoundExpr& bound) {
  return bound.type.id == TypeId::kRecord ? record::Find(bound.type.typmod) : nullptr;
}

// A function whose one column is an OUT parameter names it so (the json array functions'
// "value"); otherwise the column takes default_name.
std::string ValueColumnName(const ast::FuncCall& call, const std::string& default_name) {
  const bool named_value =
      call.name == "jsonb_array_elements" || call.name == "jsonb_array_elements_text" ||
      call.name == "json_array_elements" || call.name == "json_array_elements_text";
  return named_value ? std::string("value") : default_name;
}

// The columns of bound (a call of call) appended to def, renamed by aliases from *next on.
void AddColumns(const ast::FuncCall& call, const BoundExpr& bound, const record::Shape* shape,
                const std::string& default_name, const std::vector<std::string>& aliases,
                size_t* next, TableDef& def) {
  auto name = [&](std::string fallback) {
    return *next < aliases.size() ? aliases[(*next)++] : ((*next)++, std::move(fallback));
  };
  if (shape != nullptr) {
    for (const auto& field : shape->fields) {
      ColumnDef c;
      c.name = name(std::string(field.name));
      c.type = field.type;
      def.columns.push_back(std::move(c));
    }
    return;
  }
  ColumnDef value;
  value.name = name(ValueColumnName(call, default_name));
  value.type = bound.type;
  def.columns.push_back(std::move(value));
}

Status CheckAliasCount(const TableDef& def, size_t width, size_t aliases) {
  if (aliases <= width) return Ok();
  return Fail(sqlstate::kInvalidColumnReference,
              "table \"" + def.name + "\" has " + std::to_string(width) +
                  " columns available but " + std::to_string(aliases) + " columns specified");
}

void AddOrdinality(const std::vector<std::string>& aliases, size_t fields, TableDef& def) {
  ColumnDef counter;
  counter.name = aliases.size() > fields ? aliases[fields] : "ordinality";
  counter.type = SqlType{TypeId::kInt8, -1};
  def.columns.push_back(std::move(counter));
}

// ROWS FROM (f(...), g(...)): each call's columns in turn (a column of one value named after its
// function), the item named after the first function; one bound call of exec::RowsFromFunction
// over the calls, whose rows the function scan zips.
Result<BoundFunction> BindRowsFrom(const ast::FuncCall& rows_from, const std::string& alias,
                                   const std::vector<std::string>& column_aliases, bool ordinality,
                                   const BindEnv* env) {
  auto def = std::make_shared<TableDef>();
  const auto* first = std::get_if<ast::FuncCall>(&rows_from.args[0]->node);
  SQLRITE_ASSERT(first != nullptr);
  def->name = alias.empty() ? first->name : alias;
  BoundExpr zipped;
  zipped.kind = ExprKind::kBuiltin;
  zipped.builtin = &exec::RowsFromFunction();
  zipped.type = SqlType{TypeId::kRecord, -1};
  std::vector<const record::Shape*> shapes;
  size_t fields = 0;
  for (const ast::ExprPtr& call_expr : rows_from.args) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, BindFromCall(*call_expr, env));
    const record::Shape* shape = ExpandedShape(bound);
    fields += shape != nullptr ? shape->fields.size() : 1;
    shapes.push_back(shape);
    zipped.args.push_back(std::move(bound));
  }
  SQLRITE_TRY(CheckAliasCount(*def, fields + (ordinality ? 1 : 0), column_aliases.size()));
  size_t next = 0;
  for (size_t i = 0; i < rows_from.args.size(); ++i) {
    const auto& call = std::get<ast::FuncCall>(rows_from.args[i]->node);
    AddColumns(call, zipped.args[i], shapes[i], call.name, column_aliases, &next, *def);
  }
  if (ordinality) AddOrdinality(column_aliases, fields, *def);
  return BoundFunction{std::move(def), std::make_shared<const BoundExpr>(std::move(zipped))};
}

}  // namespace

Result<BoundFunction> BindFunctionCall(const ast::Expr& call_expr, const std::string& alias,
                                       const std::vector<std::string>& column_aliases,
                                       bool ordinality, const BindEnv* env) {
  const auto* call = std::get_if<ast::FuncCall>(&call_expr.node);
  SQLRITE_ASSERT(call != nullptr);
  if (ast::IsRowsFromCall(*call)) {
    return BindRowsFrom(*call, alias, column_aliases, ordinality, env);
  }
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, BindFromCall(call_expr, env));

  auto def = std::make_shared<TableDef>();
  def->name = alias.empty() ? call->name : alias;
  // A select list's call read as a FROM item (its hidden name starts with a blank) keeps the
  // record whole.
  const record::Shape* shape = !alias.starts_with(' ') ? ExpandedShape(bound) : nullptr;
  const size_t fields = shape != nullptr ? shape->fields.size() : 1;
  SQLRITE_TRY(CheckAliasCount(*def, fields + (ordinality ? 1 : 0), column_aliases.size()));
  size_t next = 0;
  AddColumns(*call, bound, shape, def->name, column_aliases, &next, *def);
  if (ordinality) AddOrdinality(column_aliases, fields, *def);
  return BoundFunction{std::move(def), std::make_shared<const BoundExpr>(std::move(bound))};
}

}  // namespace sqlrite::engine
