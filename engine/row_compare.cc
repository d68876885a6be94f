// Row constructors where PostgreSQL compares them (parse_expr.c's make_row_comparison_op and
// transformAExprIn): `(a, b) op (c, d)`, `(a, b) IN ((1, 2), (3, 4))`, and the row beside a
// subquery (the subquery binder's BindRowCompareSubLink). A row comparison is bound as the
// boolean expression it means over its items' pairwise comparisons, so the planner and the
// evaluator need nothing new:
//
//   (a, b) =  (c, d)   a = c AND b = d
//   (a, b) <> (c, d)   a <> c OR b <> d
//   (a, b) <  (c, d)   a <= c AND (a < c OR (a = c AND b < d))
//
// The ordering forms are lexicographic with PostgreSQL's NULL rule (the first pair that is not
// equal decides; a NULL pair before it makes the result NULL), which the OR/AND chain gives
// under three-valued logic. Its redundant leading conjunct (a <= c) is what a planner can use:
// keyset pagination's `(created, id) > ($1, $2)` puts `created >= $1` beside the chain, a bound
// on the leading column that an index path reads.

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/assert.h"
#include "engine/error_position.h"
#include "engine/expression.h"
#include "engine/sql/operator_symbol.h"

namespace sqlrite::engine {
namespace {

using ast::BinaryOp;

BoundExpr Logical(ExprKind kind, BoundExpr a, BoundExpr b) {
  BoundExpr e;
  e.kind = kind;
  e.type = SqlType{TypeId::kBool, -1};
  e.args.push_back(std::move(a));
  e.args.push_back(std::move(b));
  return e;
}

bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kEq || op == BinaryOp::kNe || op == BinaryOp::kLt || op == BinaryOp::kLe ||
         op == BinaryOp::kGt || op == BinaryOp::kGe;
}

}  // namespace

Result<BoundExpr> Binder::BindRowComparison(BinaryOp op, std::vector<BoundExpr> l,
                                            std::vector<BoundExpr> r, int location) {
  if (l.size() != r.size()) {
    return Fail(Error(sqlstate::kSyntaxError, "unequal number of entries in row expressions")
                    .WithPosition(ErrorPosition(location)));
  }
  if (l.empty()) {
    return Fail(Error(sqlstate::kFeatureNotSupported, "cannot compare rows of zero length")
                    .WithPosition(ErrorPosition(location)));
  }
  const size_t n = l.size();
  if (op == BinaryOp::kEq || op == BinaryOp::kNe) {
    std::optional<BoundExpr> acc;
    for (size_t i = 0; i < n; ++i) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr c,
                               BindCompare(op, std::move(l[i]), std::move(r[i]), location));
      acc = acc ? Logical(op == BinaryOp::kEq ? ExprKind::kAnd : ExprKind::kOr, std::move(*acc),
                          std::move(c))
                : std::move(c);
    }
    return std::move(*acc);
  }
  SQLRITE_ASSERT(IsComparison(op));
  const bool less = op == BinaryOp::kLt || op == BinaryOp::kLe;
  const BinaryOp strict = less ? BinaryOp::kLt : BinaryOp::kGt;
  const BinaryOp loose = less ? BinaryOp::kLe : BinaryOp::kGe;
  // Each pair's operands are bound once; unknown literals take their types from the first
  // comparison, so the copies the chain needs compare alike.
  for (size_t i = 0; i < n; ++i) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr c,
                             BindCompareNode(i + 1 == n ? op : strict, l[i], r[i], location));
    if (c.args.size() == 2) {
      l[i] = c.args[0];
      r[i] = c.args[1];
    }
  }
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr acc, BindCompare(op, l[n - 1], r[n - 1], location));
  for (size_t i = n - 1; i-- > 0;) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr eq, BindCompare(BinaryOp::kEq, l[i], r[i], location));
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr lt, BindCompare(strict, l[i], r[i], location));
    acc = Logical(ExprKind::kOr, std::move(lt),
                  Logical(ExprKind::kAnd, std::move(eq), std::move(acc)));
  }
  if (n == 1) return acc;
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr lead,
                           BindCompare(loose, std::move(l[0]), std::move(r[0]), location));
  return Logical(ExprKind::kAnd, std::move(lead), std::move(acc));
}

Result<BoundExpr> Binder::BindRowCompare(BinaryOp op, const ast::Expr& left, const ast::Expr& right,
                                         int location) {
  const auto* lrow = std::get_if<ast::RowExpr>(&left.node);
  const auto* rrow = std::get_if<ast::RowExpr>(&right.node);
  if (lrow != nullptr && IsComparison(op)) {
    if (const auto* link = std::get_if<ast::SubLink>(&right.node);
        link != nullptr && link->kind == ast::SubLink::Kind::kScalar && subqueries_ != nullptr) {
      return subqueries_->BindRowCompareSubLink(*link, op, *lrow, *this, location);
    }
  }
  if (lrow == nullptr || rrow == nullptr) {
    // A row beside a value: PostgreSQL looks for an operator over record, and finds none.
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr other, Bind(lrow == nullptr ? left : right));
    if (other.type.id == TypeId::kRecord && IsComparison(op)) {
      // A row beside a record (a whole-row reference, a record column): record_eq and its
      // kin over the row's value (engine/row_value.h).
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr row, Bind(lrow != nullptr ? left : right));
      return lrow != nullptr ? BindComparison(op, std::move(row), std::move(other), location)
                             : BindComparison(op, std::move(other), std::move(row), location);
    }
    if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
      return Fail(Error(sqlstate::kDatatypeMismatch, "argument of " +
                                                         std::string(ast::OperatorSymbol(op)) +
                                                         " must be type boolean, not type record")
                      .WithPosition(ErrorPosition(ExprLocation(lrow != nullptr ? left : right))));
    }
    const std::string other_name =
        other.type.id == TypeId::kUnknown ? "unknown" : SqlTypeName(other.type);
    const std::string l_name = lrow != nullptr ? "record" : other_name;
    const std::string r_name = rrow != nullptr ? "record" : other_name;
    return Fail(Error(sqlstate::kUndefinedFunction, "operator does not exist: " + l_name + " " +
                                                        std::string(ast::OperatorSymbol(op)) + " " +
                                                        r_name)
                    .WithHint("No operator matches the given name and argument types. You might "
                              "need to add explicit type casts.")
                    .WithPosition(ErrorPosition(location)));
  }
  if (!IsComparison(op)) {
    if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
      return Fail(Error(sqlstate::kDatatypeMismatch, "argument of " +
                                                         std::string(ast::OperatorSymbol(op)) +
                                                         " must be type boolean, not type record")
                      .WithPosition(ErrorPosition(ExprLocation(left))));
    }
    // PostgreSQL's make_row_comparison_op: the rows' widths first, then the operator resolved
    // over the first pair: found (an arithmetic operator over numbers, || over a string), its
    // result is not boolean; else that pair's operator does not exist (or, over two unknown
    // literals, is not unique).
    if (lrow->args.size() != rrow->args.size()) {
      return Fail(Error(sqlstate::kSyntaxError, "unequal number of entries in row expressions")
                      .WithPosition(ErrorPosition(location)));
    }
    if (!lrow->args.empty() && !rrow->args.empty()) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr a, Bind(*lrow->args[0]));
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*rrow->args[0]));
      const bool arithmetic = op == BinaryOp::kAdd || op == BinaryOp::kSub ||
                              op == BinaryOp::kMul || op == BinaryOp::kDiv || op == BinaryOp::kMod;
      const bool a_unknown = a.type.id == TypeId::kUnknown;
      const bool b_unknown = b.type.id == TypeId::kUnknown;
      if (arithmetic && a_unknown && b_unknown) {
        return Fail(
            Error(sqlstate::kAmbiguousFunction, std::string("operator is not unique: unknown ") +
                                                    ast::OperatorSymbol(op) + " unknown")
                .WithHint("Could not choose a best candidate operator. You might need to "
                          "add explicit type casts.")
                .WithPosition(ErrorPosition(location)));
      }
      // An unknown literal beside a number is read as that number's type.
      if (a_unknown && IsNumericType(b.type.id)) a.type = b.type;
      if (b_unknown && IsNumericType(a.type.id)) b.type = a.type;
      const bool stringish_a = a_unknown || IsStringType(a.type.id);
      const bool stringish_b = b_unknown || IsStringType(b.type.id);
      if (op == BinaryOp::kConcat &&
          ((stringish_a && stringish_b) || (IsStringType(a.type.id) && !a_unknown) ||
           (IsStringType(b.type.id) && !b_unknown))) {
        // textcat, or anytextcat / textanycat beside a non-string: text.
        return Fail(Error(sqlstate::kDatatypeMismatch,
                          "row comparison operator must yield type boolean, not type text")
                        .WithPosition(ErrorPosition(location)));
      }
      if (arithmetic && IsNumericType(a.type.id) && IsNumericType(b.type.id)) {
        TypeId result = a.type.id;
        for (TypeId t : {TypeId::kInt8, TypeId::kNumeric, TypeId::kFloat4, TypeId::kFloat8}) {
          if (a.type.id == t || b.type.id == t) result = t;
        }
        if (a.type.id == TypeId::kFloat4 || b.type.id == TypeId::kFloat4) {
          if (a.type.id != b.type.id) result = TypeId::kFloat8;
        }
        return Fail(Error(sqlstate::kDatatypeMismatch,
                          "row comparison operator must yield type boolean, not type " +
                              std::string(TypeName(result)))
                        .WithPosition(ErrorPosition(location)));
      }
      return Fail(Error(sqlstate::kUndefinedFunction,
                        "operator does not exist: " + SqlTypeName(a.type) + " " +
                            std::string(ast::OperatorSymbol(op)) + " " + SqlTypeName(b.type))
                      .WithHint("No operator matches the given name and argument types. You "
                                "might need to add explicit type casts.")
                      .WithPosition(ErrorPosition(location)));
    }
    return Fail(
        Error(sqlstate::kUndefinedFunction,
              "operator does not exist: record " + std::string(ast::OperatorSymbol(op)) + " record")
            .WithHint("No operator matches the given name and argument types. You might "
                      "need to add explicit type casts.")
            .WithPosition(ErrorPosition(location)));
  }
  // Each row's items; t.* among them stands for t's columns (engine/bind_row_value.cc).
  auto items = [this](const ast::RowExpr& row) -> Result<std::vector<BoundExpr>> {
    std::vector<BoundExpr> out;
    for (const ast::ExprPtr& a : row.args) {
      if (const auto* ref = std::get_if<ast::ColumnRef>(&a->node);
          ref != nullptr && ref->column == "*") {
        SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> whole, BindWholeRow(*ref, a->location));
        if (whole) {
          if (whole->index >= 0) whole->args.resize(static_cast<size_t>(whole->index));
          for (BoundExpr& column : whole->args) out.push_back(std::move(column));
          continue;
        }
      }
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*a));
      out.push_back(std::move(b));
    }
    return out;
  };
  SQLRITE_ASSIGN_OR_RETURN(std::vector<BoundExpr> l, items(*lrow));
  SQLRITE_ASSIGN_OR_RETURN(std::vector<BoundExpr> r, items(*rrow));
  return BindRowComparison(op, std::move(l), std::move(r), location);
}

Result<BoundExpr> Binder::BindRowIn(const ast::InList& in, int location) {
  // PostgreSQL's transformAExprIn for rows: the OR of the row equalities (NOT IN: its negation,
  // the AND of the row inequalities).
  std::optional<BoundExpr> acc;
  for (const ast::ExprPtr& item : in.items) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr eq,
                             BindRowCompare(BinaryOp::kEq, *in.operand, *item, location));
    acc = acc ? Logical(ExprKind::kOr, std::move(*acc), std::move(eq)) : std::move(eq);
  }
  SQLRITE_ASSERT(acc.has_value());
  if (!in.negated) return std::move(*acc);
  BoundExpr e;
  e.kind = ExprKind::kNot;
  e.type = SqlType{TypeId::kBool, -1};
  e.args.push_back(std::move(*acc));
  return e;
}

}  // namespace sqlrite::engine
