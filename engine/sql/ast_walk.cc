#include "engine/sql/ast_walk.h"

#include <type_traits>
#include <variant>

namespace sqlrite::engine::sql {

namespace {

class Walker {
 public:
  explicit Walker(const AstVisitor& visitor) : v_(visitor) {}

  void Expr(ast::ExprPtr& expr) {
    if (expr) Expr(*expr);
  }

  void Expr(ast::Expr& expr) {
    v_.expr(expr);
    std::visit([this](auto& n) { Children(n); }, expr.node);
  }

  void Exprs(std::vector<ast::ExprPtr>& list) {
    for (ast::ExprPtr& e : list) Expr(e);
  }

  void Window(ast::WindowDef& w) {
    Exprs(w.partition_by);
    for (ast::OrderItem& item : w.order_by) Expr(item.expr);
    Expr(w.start_offset);
    Expr(w.end_offset);
    v_.location(w.location);
  }

  void Items(std::vector<ast::SelectItem>& items) {
    for (ast::SelectItem& item : items) Expr(item.expr);
  }

  void Assignments(std::vector<ast::Assignment>& list) {
    for (ast::Assignment& a : list) {
      v_.location(a.location);
      Expr(a.value);
    }
  }

  void Table(ast::TableRef& ref) {
    if (ref.function) {
      Expr(ref.function);
      return;
    }
    if (ref.subquery) {
      Statement(*ref.subquery);
      return;
    }
    if (ref.join) {
      Table(ref.join->left);
      Table(ref.join->right);
      Expr(ref.join->on);
      v_.location(ref.join->location);
      return;
    }
    v_.location(ref.table.location);
  }

  void With(std::vector<ast::CommonTableExpr>& with) {
    for (ast::CommonTableExpr& cte : with) {
      if (cte.query) Statement(*cte.query);
      if (cte.statement) std::visit([this](auto& s) { Statement(s); }, cte.statement->statement);
    }
  }

  // A data-modifying WITH query holds only these three kinds.
  template <typename S>
  void Statement(S&) {}

  void Statement(ast::Select& s) {
    With(s.with);
    if (s.set_op) {
      Statement(s.set_op->left);
      Statement(s.set_op->right);
    }
    for (std::vector<ast::ExprPtr>& row : s.values) Exprs(row);
    Exprs(s.distinct_on);
    Items(s.items);
    for (ast::TableRef& ref : s.from) Table(ref);
    Expr(s.where);
    Exprs(s.group_by);
    Expr(s.having);
    for (ast::WindowDef& w : s.windows) Window(w);
    for (ast::OrderItem& item : s.order_by) Expr(item.expr);
    Expr(s.limit);
    Expr(s.offset);
  }

  void Statement(ast::Insert& s) {
    With(s.with);
    Table(s.table);
    for (std::vector<ast::ExprPtr>& row : s.rows) Exprs(row);
    if (s.select) Statement(*s.select);
    if (s.on_conflict) {
      for (int& location : s.on_conflict->column_locations) v_.location(location);
      Expr(s.on_conflict->index_where);
      Assignments(s.on_conflict->assignments);
      Expr(s.on_conflict->where);
      v_.location(s.on_conflict->location);
    }
    Items(s.returning);
  }

  void Statement(ast::Update& s) {
    With(s.with);
    Table(s.table);
    Assignments(s.assignments);
    if (s.from_query) Statement(*s.from_query);
    Expr(s.where);
    Items(s.returning);
  }

  void Statement(ast::Delete& s) {
    With(s.with);
    Table(s.table);
    if (s.using_query) Statement(*s.using_query);
    Expr(s.where);
    Items(s.returning);
  }

  void Statement(ast::Merge& s) {
    Table(s.table);
    if (s.join_query) Statement(*s.join_query);
    for (ast::MergeWhen& w : s.whens) {
      Expr(w.condition);
      Assignments(w.assignments);
      for (int& location : w.column_locations) v_.location(location);
      Exprs(w.values);
      v_.location(w.location);
    }
  }

 private:
  template <typename N>
  void Children(N& n) {
    if constexpr (std::is_same_v<N, ast::Unary> || std::is_same_v<N, ast::IsNullTest> ||
                  std::is_same_v<N, ast::BoolTest> || std::is_same_v<N, ast::Cast> ||
                  std::is_same_v<N, ast::FieldSelect>) {
      Expr(n.operand);
    } else if constexpr (std::is_same_v<N, ast::Binary> || std::is_same_v<N, ast::DistinctFrom>) {
      Expr(n.left);
      Expr(n.right);
    } else if constexpr (std::is_same_v<N, ast::Like>) {
      Expr(n.operand);
      Expr(n.pattern);
    } else if constexpr (std::is_same_v<N, ast::InList>) {
      Expr(n.operand);
      Exprs(n.items);
    } else if constexpr (std::is_same_v<N, ast::Between>) {
      Expr(n.operand);
      Expr(n.low);
      Expr(n.high);
    } else if constexpr (std::is_same_v<N, ast::Case>) {
      Expr(n.operand);
      for (ast::CaseWhen& w : n.whens) {
        Expr(w.condition);
        Expr(w.result);
      }
      Expr(n.else_result);
    } else if constexpr (std::is_same_v<N, ast::FuncCall>) {
      Exprs(n.args);
      for (ast::OrderItem& item : n.order_by) Expr(item.expr);
      Expr(n.filter);
      if (n.over) Window(*n.over);
    } else if constexpr (std::is_same_v<N, ast::Coalesce> || std::is_same_v<N, ast::RowExpr> ||
                         std::is_same_v<N, ast::GroupingFunc> || std::is_same_v<N, ast::MinMax>) {
      Exprs(n.args);
    } else if constexpr (std::is_same_v<N, ast::GroupingSet>) {
      Exprs(n.items);
    } else if constexpr (std::is_same_v<N, ast::SubLink>) {
      Expr(n.operand);
      Statement(*n.query);
    } else {
      // Leaves: literals, column and parameter references, DEFAULT.
      static_assert(std::is_same_v<N, ast::NullLiteral> || std::is_same_v<N, ast::BoolLiteral> ||
                    std::is_same_v<N, ast::IntLiteral> || std::is_same_v<N, ast::NumericLiteral> ||
                    std::is_same_v<N, ast::StringLiteral> || std::is_same_v<N, ast::ColumnRef> ||
                    std::is_same_v<N, ast::ParamRef> || std::is_same_v<N, ast::DefaultMarker>);
    }
  }

  const AstVisitor& v_;
};

}  // namespace

void WalkExpr(ast::Expr& expr, const AstVisitor& visitor) {
  Walker walker(visitor);
  walker.Expr(expr);
}

void WalkSelect(ast::Select& select, const AstVisitor& visitor) {
  Walker walker(visitor);
  walker.Statement(select);
}

bool WalkStatement(ast::Statement& statement, const AstVisitor& visitor) {
  Walker walker(visitor);
  return std::visit(
      [&walker](auto& s) {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Select> || std::is_same_v<S, ast::Insert> ||
                      std::is_same_v<S, ast::Update> || std::is_same_v<S, ast::Delete> ||
                      std::is_same_v<S, ast::Merge>) {
          walker.Statement(s);
          return true;
        } else {
          return false;
        }
      },
      statement);
}

}  // namespace sqlrite::engine::sql
