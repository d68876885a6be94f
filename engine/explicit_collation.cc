#include "engine/explicit_collation.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "engine/sql/internal_calls.h"
#include "engine/types.h"

namespace sqlrite::engine {
namespace {

constexpr const char* kCollationMismatch = "42P21";

struct Explicit {
  std::string_view name;  // the collation's name, as the COLLATE call holds it
  int location = -1;      // its COLLATE clause's
};

// The functions whose result takes the collation of their arguments (a collatable result from
// collatable arguments), by AST name.
bool CarriesCollation(std::string_view function) {
  static constexpr std::array<std::string_view, 27> kNames = {
      "array",   "[]",        "[:]",     "btrim",          "concat",     "concat_ws",
      "format",  "initcap",   "left",    "lower",          "lpad",       "ltrim",
      "max",     "min",       "overlay", "regexp_replace", "repeat",     "replace",
      "reverse", "right",     "rpad",    "rtrim",          "split_part", "string_agg",
      "substr",  "substring", "upper"};
  return std::find(kNames.begin(), kNames.end(), function) != kNames.end();
}

bool IsCollatable(const SqlType& type) {
  const TypeId id = type.id == TypeId::kArray ? type.elem : type.id;
  return id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kBpchar ||
         id == TypeId::kName || id == TypeId::kUnknown;
}

Result<std::optional<Explicit>> Carried(const ast::Expr& expr);

// Merges the explicit collations operands carry, one at a time (no allocation: the binder asks
// at every node): the first of them, or 42P21 when two differ.
class Merger {
 public:
  Status Add(const ast::Expr* operand) {
    if (operand == nullptr) return Ok();
    SQLRITE_ASSIGN_OR_RETURN(std::optional<Explicit> one, Carried(*operand));
    if (!one) return Ok();
    if (!merged_) {
      merged_ = one;
      return Ok();
    }
    if (merged_->name == one->name) return Ok();
    return Fail(Error(kCollationMismatch, "collation mismatch between explicit collations \"" +
                                              std::string(merged_->name) + "\" and \"" +
                                              std::string(one->name) + "\"")
                    .WithPosition(one->location >= 0 ? one->location + 1 : 0));
  }
  Status AddAll(const std::vector<ast::ExprPtr>& operands) {
    for (const ast::ExprPtr& e : operands) SQLRITE_TRY(Add(e.get()));
    return Ok();
  }
  const std::optional<Explicit>& merged() const { return merged_; }

 private:
  std::optional<Explicit> merged_;
};

// What expr carries up to the expression around it.
Result<std::optional<Explicit>> Carried(const ast::Expr& expr) {
  Merger m;
  if (const auto* call = std::get_if<ast::FuncCall>(&expr.node)) {
    if (std::optional<std::string_view> name = ast::CollateCallName(*call)) {
      return Explicit{*name, expr.location};  // the outermost COLLATE wins
    }
    if (!CarriesCollation(call->name)) return std::nullopt;
    SQLRITE_TRY(m.AddAll(call->args));
  } else if (const auto* cast = std::get_if<ast::Cast>(&expr.node)) {
    if (!cast->type_name.empty() || !IsCollatable(cast->type)) return std::nullopt;
    return Carried(*cast->operand);
  } else if (const auto* b = std::get_if<ast::Binary>(&expr.node)) {
    if (b->op != ast::BinaryOp::kConcat) return std::nullopt;
    SQLRITE_TRY(m.Add(b->left.get()));
    SQLRITE_TRY(m.Add(b->right.get()));
  } else if (const auto* c = std::get_if<ast::Case>(&expr.node)) {
    for (const ast::CaseWhen& w : c->whens) SQLRITE_TRY(m.Add(w.result.get()));
    SQLRITE_TRY(m.Add(c->else_result.get()));
  } else if (const auto* co = std::get_if<ast::Coalesce>(&expr.node)) {
    SQLRITE_TRY(m.AddAll(co->args));
  } else if (const auto* mm = std::get_if<ast::MinMax>(&expr.node)) {
    SQLRITE_TRY(m.AddAll(mm->args));
  } else {
    return std::nullopt;
  }
  return m.merged();
}

}  // namespace

Status CheckExplicitCollations(const ast::Expr& expr) {
  Merger m;
  if (const auto* call = std::get_if<ast::FuncCall>(&expr.node)) {
    if (ast::CollateCallName(*call)) return Ok();  // an outer COLLATE overrides an inner one
    return m.AddAll(call->args);
  }
  if (const auto* b = std::get_if<ast::Binary>(&expr.node)) {
    SQLRITE_TRY(m.Add(b->left.get()));
    return m.Add(b->right.get());
  }
  if (const auto* l = std::get_if<ast::Like>(&expr.node)) {
    SQLRITE_TRY(m.Add(l->operand.get()));
    return m.Add(l->pattern.get());
  }
  if (const auto* in = std::get_if<ast::InList>(&expr.node)) {
    SQLRITE_TRY(m.Add(in->operand.get()));
    return m.AddAll(in->items);
  }
  if (const auto* b = std::get_if<ast::Between>(&expr.node)) {
    SQLRITE_TRY(m.Add(b->operand.get()));
    SQLRITE_TRY(m.Add(b->low.get()));
    return m.Add(b->high.get());
  }
  if (const auto* d = std::get_if<ast::DistinctFrom>(&expr.node)) {
    SQLRITE_TRY(m.Add(d->left.get()));
    return m.Add(d->right.get());
  }
  if (const auto* c = std::get_if<ast::Case>(&expr.node); c != nullptr && c->operand) {
    // CASE x WHEN v ...: x meets each v.
    SQLRITE_TRY(m.Add(c->operand.get()));
    for (const ast::CaseWhen& w : c->whens) SQLRITE_TRY(m.Add(w.condition.get()));
  }
  if (std::holds_alternative<ast::Case>(expr.node) ||
      std::holds_alternative<ast::Coalesce>(expr.node) ||
      std::holds_alternative<ast::MinMax>(expr.node)) {
    // CASE results, COALESCE's and GREATEST / LEAST's arguments meet where they are carried up.
    SQLRITE_TRY(Carried(expr));
  }
  return Ok();
}

}  // namespace sqlrite::engine
