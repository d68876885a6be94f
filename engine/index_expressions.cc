#include "engine/index_expressions.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "common/assert.h"
#include "engine/catalog/rule_deparse.h"
#include "engine/generated_columns.h"
#include "engine/sql/ast_walk.h"
#include "engine/sql/quote_ident.h"

namespace sqlrite::engine {
namespace {

// The first subquery of root, if any (its location for the error).
const ast::Expr* FindSubquery(const ast::Expr& root) {
  const ast::Expr* found = nullptr;
  sql::AstVisitor visitor;
  visitor.expr = [&found](ast::Expr& node) {
    if (found == nullptr && std::holds_alternative<ast::SubLink>(node.node)) found = &node;
  };
  visitor.location = [](int&) {};
  // The walk takes mutable trees; this visitor only reads.
  sql::WalkExpr(const_cast<ast::Expr&>(root), visitor);
  return found;
}

// Locations in an expression parsed back from the catalog's text are offsets into
// "SELECT " + text; errors at CREATE INDEX point into the statement's own text only when the
// caller gives them, so they are dropped here.
void DropPosition(Error& error) { error.position = 0; }

}  // namespace

Result<BoundExpr> BindIndexExpression(const TableDef& table, std::string_view sql, bool predicate) {
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Expr> expr, ParseDefaultExpr(sql));
  if (FindSubquery(*expr) != nullptr) {
    return Fail(sqlstate::kFeatureNotSupported, predicate
                                                    ? "cannot use subquery in index predicate"
                                                    : "cannot use subquery in index expression");
  }
  Scope scope;
  for (const ColumnDef& c : table.columns) {
    scope.push_back({table.name, c.name, c.type, false, table.oid});
  }
  Binder binder(scope);
  binder.SetClause(predicate ? "index predicates" : "index expressions");
  Result<BoundExpr> bound = predicate ? binder.BindCondition(*expr, "WHERE") : binder.Bind(*expr);
  if (!bound) {
    Error error = std::move(bound.error());
    DropPosition(error);
    return Fail(std::move(error));
  }
  if (ContainsMutable(*bound)) {
    return Fail(sqlstate::kInvalidObjectDefinition,
                predicate ? "functions in index predicate must be marked IMMUTABLE"
                          : "functions in index expression must be marked IMMUTABLE");
  }
  return bound;
}

Status BindIndexExpressions(const TableDef& table, IndexDef& index) {
  index.bound_expressions.clear();
  if (index.has_expressions()) {
    SQLRITE_ASSERT(index.expressions.size() == index.columns.size());
    for (size_t k = 0; k < index.columns.size(); ++k) {
      if (index.columns[k] != kIndexExpression) {
        index.bound_expressions.push_back(nullptr);
        continue;
      }
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr e,
                               BindIndexExpression(table, index.expressions[k], false));
      index.bound_expressions.push_back(std::make_shared<const BoundExpr>(std::move(e)));
    }
  }
  index.bound_predicate = nullptr;
  if (index.partial()) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr p, BindIndexExpression(table, index.predicate, true));
    index.bound_predicate = std::make_shared<const BoundExpr>(std::move(p));
  }
  return Ok();
}

SqlType IndexKeyType(const TableDef& table, const IndexDef& index, size_t k) {
  const int c = index.columns[k];
  if (c != kIndexExpression) return table.columns[static_cast<size_t>(c)].type;
  SQLRITE_ASSERT(k < index.bound_expressions.size() && index.bound_expressions[k] != nullptr);
  return index.bound_expressions[k]->type;
}

Result<Datum> IndexKeyValue(const IndexDef& index, size_t k, const Row& row) {
  const int c = index.columns[k];
  if (c != kIndexExpression) return row[static_cast<size_t>(c)];
  SQLRITE_ASSERT(k < index.bound_expressions.size() && index.bound_expressions[k] != nullptr);
  return Eval(*index.bound_expressions[k], EvalContext{row.data(), nullptr});
}

Result<bool> RowInIndex(const IndexDef& index, const Row& row) {
  if (!index.partial()) return true;
  SQLRITE_ASSERT(index.bound_predicate != nullptr);
  return EvalCondition(*index.bound_predicate, EvalContext{row.data(), nullptr});
}

namespace {

// A column reference's text in an index expression: the table column's quoted name.
catalog::ColumnNamer ColumnNamer(const TableDef& table) {
  return [&table](int index) -> std::optional<std::string> {
    if (index < 0 || static_cast<size_t>(index) >= table.columns.size()) return std::nullopt;
    return sql::QuoteIdent(table.columns[static_cast<size_t>(index)].name);
  };
}

// ruleutils' looks_like_function: a function call prints without the parentheses other
// expressions get in an index definition.
bool LooksLikeFunction(const BoundExpr* e) {
  return e != nullptr && (e->kind == ExprKind::kFunc || e->kind == ExprKind::kBuiltin ||
                          e->kind == ExprKind::kCoalesce);
}

}  // namespace

std::optional<std::string> IndexExpressionText(const TableDef& table, const IndexDef& index,
                                               size_t k, bool pretty) {
  const BoundExpr* e =
      k < index.bound_expressions.size() ? index.bound_expressions[k].get() : nullptr;
  if (e == nullptr) return std::nullopt;
  return catalog::RuleExprText(*e, ColumnNamer(table), pretty, true, nullptr);
}

std::string IndexKeyText(const TableDef& table, const IndexDef& index, size_t k, bool pretty) {
  const int c = index.columns[k];
  if (c != kIndexExpression) return sql::QuoteIdent(table.columns[static_cast<size_t>(c)].name);
  const BoundExpr* e =
      k < index.bound_expressions.size() ? index.bound_expressions[k].get() : nullptr;
  if (std::optional<std::string> printed = IndexExpressionText(table, index, k, pretty)) {
    return LooksLikeFunction(e) ? *printed : "(" + *printed + ")";
  }
  // The stored text, for an expression the printer does not know.
  const std::string& text = index.expressions[k];
  if (LooksLikeFunction(e)) return text;
  return pretty ? "(" + text + ")" : "((" + text + "))";
}

Result<std::string> IndexExpressionName(const TableDef& table, std::string_view sql) {
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const ast::Expr> parsed, ParseDefaultExpr(sql));
  const ast::Expr* e = parsed.get();
  while (const auto* cast = std::get_if<ast::Cast>(&e->node)) {
    if (!cast->operand) break;
    e = cast->operand.get();
  }
  if (const auto* call = std::get_if<ast::FuncCall>(&e->node)) return call->name;
  if (const auto* ref = std::get_if<ast::ColumnRef>(&e->node)) {
    if (table.FindColumn(ref->column) >= 0) return ref->column;
  }
  return std::string("expr");
}

std::vector<std::string> IndexColumnNames(const TableDef& table, const IndexDef& index) {
  std::vector<std::string> names;
  auto add = [&names](std::string name) {
    const std::string base = name;
    for (int i = 1; std::find(names.begin(), names.end(), name) != names.end(); ++i) {
      name = base + std::to_string(i);
    }
    names.push_back(std::move(name));
  };
  for (size_t k = 0; k < index.columns.size(); ++k) {
    const int c = index.columns[k];
    if (c != kIndexExpression) {
      add(table.columns[static_cast<size_t>(c)].name);
      continue;
    }
    auto name = IndexExpressionName(table, index.expressions[k]);
    add(name ? std::move(*name) : std::string("expr"));
  }
  for (int c : index.include) add(table.columns[static_cast<size_t>(c)].name);
  return names;
}

std::string IndexPredicateText(const TableDef& table, const IndexDef& index, bool pretty) {
  // ruleutils prints the predicate as it is (parenthesised unless pretty, by its own operator):
  // `WHERE (c > 1)`, `WHERE a` for a boolean column.
  if (index.bound_predicate != nullptr) {
    if (std::optional<std::string> printed =
            catalog::RuleExprText(*index.bound_predicate, table, pretty)) {
      return *printed;
    }
  }
  return pretty ? index.predicate : "(" + index.predicate + ")";
}

namespace {

void CollectColumns(const BoundExpr& e, std::vector<int>& out) {
  if (e.kind == ExprKind::kColumn) out.push_back(e.index);
  for (const BoundExpr& a : e.args) CollectColumns(a, out);
}

}  // namespace

std::vector<int> IndexExpressionColumns(const IndexDef& index) {
  std::vector<int> out;
  for (const auto& e : index.bound_expressions) {
    if (e != nullptr) CollectColumns(*e, out);
  }
  if (index.bound_predicate != nullptr) CollectColumns(*index.bound_predicate, out);
  return out;
}

bool IndexUsesColumn(const IndexDef& index, int c) {
  auto has = [c](const std::vector<int>& v) { return std::find(v.begin(), v.end(), c) != v.end(); };
  return has(index.columns) || has(index.include) || has(IndexExpressionColumns(index));
}

namespace {

void Conjuncts(const BoundExpr& e, std::vector<const BoundExpr*>& out) {
  if (e.kind == ExprKind::kAnd) {
    for (const BoundExpr& a : e.args) Conjuncts(a, out);
    return;
  }
  out.push_back(&e);
}

// `column op constant` normalised to the column on the left.
struct ColumnBound {
  int column = -1;
  ast::BinaryOp op = ast::BinaryOp::kEq;
  const Datum* value = nullptr;
};

ast::BinaryOp Commute(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kLt:
      return ast::BinaryOp::kGt;
    case ast::BinaryOp::kLe:
      return ast::BinaryOp::kGe;
    case ast::BinaryOp::kGt:
      return ast::BinaryOp::kLt;
    case ast::BinaryOp::kGe:
      return ast::BinaryOp::kLe;
    default:
      return op;
  }
}

bool IsRangeOp(ast::BinaryOp op) {
  return op == ast::BinaryOp::kEq || op == ast::BinaryOp::kLt || op == ast::BinaryOp::kLe ||
         op == ast::BinaryOp::kGt || op == ast::BinaryOp::kGe;
}

std::optional<ColumnBound> AsColumnBound(const BoundExpr& e) {
  if (e.kind != ExprKind::kCompare || e.args.size() != 2 || !IsRangeOp(e.op)) return std::nullopt;
  const BoundExpr* col = &e.args[0];
  const BoundExpr* val = &e.args[1];
  ast::BinaryOp op = e.op;
  if (col->kind != ExprKind::kColumn) {
    std::swap(col, val);
    op = Commute(op);
  }
  if (col->kind != ExprKind::kColumn || !val->IsConst() || IsNull(val->value)) return std::nullopt;
  return ColumnBound{col->index, op, &val->value};
}

// Whether the values of the same family a and b compare (ints with ints, text with text, ...).
bool Comparable(const Datum& a, const Datum& b) {
  const bool a_num = std::holds_alternative<int64_t>(a) || std::holds_alternative<double>(a);
  const bool b_num = std::holds_alternative<int64_t>(b) || std::holds_alternative<double>(b);
  if (a_num && b_num) return true;
  return a.index() == b.index();
}

// Whether every value x with `x w.op w.value` also has `x p.op p.value` (same column).
bool BoundImplies(const ColumnBound& w, const ColumnBound& p) {
  if (!Comparable(*w.value, *p.value)) return false;
  const int cmp = CompareDatums(*w.value, *p.value);  // w's constant against p's
  using Op = ast::BinaryOp;
  switch (p.op) {
    case Op::kEq:
      return w.op == Op::kEq && cmp == 0;
    case Op::kGt:  // x > p: w must keep x above p
      return (w.op == Op::kEq && cmp > 0) || (w.op == Op::kGt && cmp >= 0) ||
             (w.op == Op::kGe && cmp > 0);
    case Op::kGe:
      return ((w.op == Op::kEq || w.op == Op::kGe || w.op == Op::kGt) && cmp >= 0);
    case Op::kLt:
      return (w.op == Op::kEq && cmp < 0) || (w.op == Op::kLt && cmp <= 0) ||
             (w.op == Op::kLe && cmp < 0);
    case Op::kLe:
      return ((w.op == Op::kEq || w.op == Op::kLe || w.op == Op::kLt) && cmp <= 0);
    default:
      return false;
  }
}

// A strict comparison of column c: true only when c is not NULL.
bool ImpliesNotNull(const BoundExpr& w, int c) {
  if (w.kind == ExprKind::kIsNull && w.negated && w.args.size() == 1 &&
      w.args[0].kind == ExprKind::kColumn && w.args[0].index == c) {
    return true;
  }
  if (w.kind == ExprKind::kCompare && w.args.size() == 2) {
    for (const BoundExpr& a : w.args) {
      if (a.kind == ExprKind::kColumn && a.index == c) return true;
    }
  }
  return false;
}

bool ConjunctImplied(const std::vector<const BoundExpr*>& where, const BoundExpr& p) {
  for (const BoundExpr* w : where) {
    if (SameExpr(*w, p)) return true;
  }
  if (auto pb = AsColumnBound(p)) {
    for (const BoundExpr* w : where) {
      auto wb = AsColumnBound(*w);
      if (wb && wb->column == pb->column && BoundImplies(*wb, *pb)) return true;
    }
    return false;
  }
  if (p.kind == ExprKind::kIsNull && p.negated && p.args.size() == 1 &&
      p.args[0].kind == ExprKind::kColumn) {
    for (const BoundExpr* w : where) {
      if (ImpliesNotNull(*w, p.args[0].index)) return true;
    }
  }
  return false;
}

}  // namespace

bool PredicateImplied(const BoundExpr* where, const BoundExpr& predicate) {
  if (where == nullptr) return false;
  std::vector<const BoundExpr*> have, need;
  Conjuncts(*where, have);
  Conjuncts(predicate, need);
  return std::all_of(need.begin(), need.end(),
                     [&have](const BoundExpr* p) { return ConjunctImplied(have, *p); });
}

}  // namespace sqlrite::engine
