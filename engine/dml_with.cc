// WITH lists run by the engine rather than bound by the query binder alone (see dml_with.h).

#include "engine/dml_with.h"

#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/analyze/bind_cte.h"
#include "engine/error_position.h"
#include "engine/executor.h"
#include "engine/session.h"
#include "engine/sql/ast_walk.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

// The unqualified names the FROM items of q name (joins, derived tables, set operation branches
// and WITH queries included; not those of subqueries in expressions: NamesInExprs).
void FromNames(const ast::Select& q, std::set<std::string>& out);

void FromNames(const ast::TableRef& ref, std::set<std::string>& out) {
  if (ref.join) {
    FromNames(ref.join->left, out);
    FromNames(ref.join->right, out);
  } else if (ref.subquery) {
    FromNames(*ref.subquery, out);
  } else if (!ref.function) {
    out.insert(ref.table.name);
  }
}

void FromNames(const ast::Select& q, std::set<std::string>& out) {
  for (const ast::CommonTableExpr& cte : q.with) {
    if (cte.query) FromNames(*cte.query, out);
  }
  if (q.set_op) {
    FromNames(q.set_op->left, out);
    FromNames(q.set_op->right, out);
  }
  for (const ast::TableRef& ref : q.from) FromNames(ref, out);
}

// Collects the FROM names of every subquery the walked trees hold (the walk reaches subqueries
// nested at any depth, in expressions, derived tables and WITH queries alike).
class ReadNames {
 public:
  ReadNames() {
    visitor_.expr = [this](ast::Expr& e) {
      if (const auto* link = std::get_if<ast::SubLink>(&e.node)) FromNames(*link->query, names_);
    };
    visitor_.location = [](int&) {};
  }

  // The walk takes mutable trees for its other users; this visitor only reads.
  void Query(const ast::Select& q) {
    FromNames(q, names_);
    sql::WalkSelect(const_cast<ast::Select&>(q), visitor_);
  }
  void Expr(const ast::ExprPtr& e) {
    if (e) sql::WalkExpr(const_cast<ast::Expr&>(*e), visitor_);
  }
  void Items(const std::vector<ast::SelectItem>& items) {
    for (const ast::SelectItem& item : items) Expr(item.expr);
  }
  // Every WITH query reads the tables as before the statement, the data-modifying ones too.
  void With(const std::vector<ast::CommonTableExpr>& with) {
    for (const ast::CommonTableExpr& cte : with) {
      if (cte.query) Query(*cte.query);
      if (cte.statement) {
        std::visit([this](const auto& s) { Statement(s); }, cte.statement->statement);
      }
    }
  }

  void Statement(const ast::Select& s) {
    With(s.with);
    Query(s);
  }
  void Statement(const ast::Insert& s) {
    With(s.with);
    if (s.select) Query(*s.select);
    for (const std::vector<ast::ExprPtr>& row : s.rows) {
      for (const ast::ExprPtr& e : row) Expr(e);
    }
    if (s.on_conflict) {
      for (const ast::Assignment& a : s.on_conflict->assignments) Expr(a.value);
      Expr(s.on_conflict->where);
    }
    Items(s.returning);
  }
  void Statement(const ast::Update& s) {
    With(s.with);
    for (const ast::Assignment& a : s.assignments) Expr(a.value);
    if (s.from_query) Query(*s.from_query);
    Expr(s.where);
    Items(s.returning);
  }
  void Statement(const ast::Delete& s) {
    With(s.with);
    if (s.using_query) Query(*s.using_query);
    Expr(s.where);
    Items(s.returning);
  }
  template <typename S>
  void Statement(const S&) {}

  [[nodiscard]] const std::set<std::string>& Names() const { return names_; }

 private:
  sql::AstVisitor visitor_;
  std::set<std::string> names_;
};

const ast::TableName* TargetOf(const ast::Statement& statement) {
  return std::visit(
      [](const auto& s) -> const ast::TableName* {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Insert> || std::is_same_v<S, ast::Update> ||
                      std::is_same_v<S, ast::Delete>) {
          return &s.table.table;
        } else {
          return nullptr;
        }
      },
      statement);
}

Result<QueryResult> RunCteStatement(ExecContext& ctx, const ast::Statement& statement) {
  return std::visit(
      [&ctx](const auto& s) -> Result<QueryResult> {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Insert>) {
          return ExecuteInsert(ctx, s);
        } else if constexpr (std::is_same_v<S, ast::Update>) {
          return ExecuteUpdate(ctx, s);
        } else if constexpr (std::is_same_v<S, ast::Delete>) {
          return ExecuteDelete(ctx, s);
        } else {
          return Fail(sqlstate::kFeatureNotSupported, "this statement is not supported in WITH");
        }
      },
      statement);
}

// Restores the context's WITH fields when the statement is done.
struct ContextRestore {
  ExecContext& ctx;
  const CteScope* ctes = ctx.ctes;
  const ast::Select* with_bound = ctx.with_bound;
  ~ContextRestore() {
    ctx.ctes = ctes;
    ctx.with_bound = with_bound;
  }
};

// Step 1 of dml_with.h: the tables the list's statements change that `reads` names, copied into
// copies under the names an unqualified reference resolves to.
Status CopyChangedTables(ExecContext& ctx, const std::vector<ast::CommonTableExpr>& with,
                         const std::set<std::string>& reads, CteScope& copies) {
  std::set<std::string> copied;
  for (const ast::CommonTableExpr& cte : with) {
    if (!cte.statement) continue;
    const ast::TableName* target = TargetOf(cte.statement->statement);
    if (target == nullptr || reads.count(target->name) == 0 || copied.count(target->name) > 0) {
      continue;
    }
    const TableDef* changed = LookupTable(ctx, *target);
    ast::TableName unqualified;
    unqualified.name = target->name;
    const TableDef* read = LookupTable(ctx, unqualified);
    // A missing table fails when its statement runs; a reference that names another relation
    // (another schema's table of that name) reads that one, unchanged.
    if (changed == nullptr || read != changed || changed->is_view() || changed->is_sequence()) {
      continue;
    }
    copied.insert(target->name);
    auto rows = std::make_shared<std::vector<Row>>();
    if (!ctx.describe_only) {
      InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
      SQLRITE_TRY(ScanTable(
          ctx.db, *changed, nullptr,
          [&rows](std::string_view, Row& row) -> Result<bool> {
            rows->push_back(std::move(row));
            return true;
          },
          &interrupts));
    }
    AddTableRows(*changed, std::move(rows), copies);
  }
  return Ok();
}

Result<QueryResult> RunWithList(ExecContext& ctx, const std::vector<ast::CommonTableExpr>& with,
                                bool recursive, const std::set<std::string>& reads,
                                const ast::Select* main_query, const MainStatement& main) {
  SQLRITE_TRY(CheckWithNames(with));
  ContextRestore restore{ctx};
  CteScope copies;
  copies.parent = ctx.ctes;
  SQLRITE_TRY(CopyChangedTables(ctx, with, reads, copies));
  CteScope scope;
  scope.parent = &copies;
  const BindEnv inner{nullptr, &scope, 0};
  for (const ast::CommonTableExpr& cte : with) {
    if (cte.query) {
      SQLRITE_TRY(BindWithQuery(ctx, cte, recursive, inner, scope));
      continue;
    }
    const ast::Statement& statement = cte.statement->statement;
    if (recursive) {
      ReadNames names;
      std::visit([&names](const auto& s) { names.Statement(s); }, statement);
      if (names.Names().count(cte.name) > 0) {
        return Fail(
            Error(sqlstate::kInvalidRecursion,
                  "recursive query \"" + cte.name + "\" must not contain data-modifying statements")
                .WithPosition(ErrorPosition(cte.location)));
      }
    }
    // The statement sees the WITH queries before it, and what it reads in FROM is the copies
    // too; the rows it changes it finds in the live table.
    ctx.ctes = &scope;
    ctx.with_bound = nullptr;
    Result<QueryResult> result = RunCteStatement(ctx, statement);
    if (!result) return Fail(std::move(result.error()));
    auto rows = std::make_shared<const std::vector<Row>>(std::move(result->rows));
    SQLRITE_TRY(AddWithRows(cte, result->columns, std::move(rows), !result->returns_rows, scope));
  }
  ctx.ctes = &scope;
  ctx.with_bound = main_query;
  return main();
}

}  // namespace

bool HasDataModifyingWith(const std::vector<ast::CommonTableExpr>& with) {
  for (const ast::CommonTableExpr& cte : with) {
    if (cte.statement) return true;
  }
  return false;
}

bool HasDataModifyingWith(const ast::Statement& statement) {
  return std::visit(
      [](const auto& s) {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::Select> || std::is_same_v<S, ast::Insert> ||
                      std::is_same_v<S, ast::Update> || std::is_same_v<S, ast::Delete>) {
          return HasDataModifyingWith(s.with);
        } else {
          return false;
        }
      },
      statement);
}

template <typename S>
static std::set<std::string> NamesRead(const S& stmt) {
  ReadNames names;
  names.Statement(stmt);
  return names.Names();
}

Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Select& stmt,
                                    const MainStatement& main) {
  return RunWithList(ctx, stmt.with, stmt.with_recursive, NamesRead(stmt), &stmt, main);
}

Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Insert& stmt,
                                    const MainStatement& main) {
  return RunWithList(ctx, stmt.with, stmt.with_recursive, NamesRead(stmt), nullptr, main);
}

Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Update& stmt,
                                    const MainStatement& main) {
  return RunWithList(ctx, stmt.with, stmt.with_recursive, NamesRead(stmt), nullptr, main);
}

Result<QueryResult> ExecuteWithList(ExecContext& ctx, const ast::Delete& stmt,
                                    const MainStatement& main) {
  return RunWithList(ctx, stmt.with, stmt.with_recursive, NamesRead(stmt), nullptr, main);
}

}  // namespace sqlrite::engine
