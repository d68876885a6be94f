#include "engine/generated_columns.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "common/assert.h"
#include "engine/error_position.h"
#include "engine/functions/builtin.h"
#include "engine/sql/ast_walk.h"

namespace sqlrite::engine {
namespace {

// PostgreSQL's system columns other than tableoid, which a generation expression may not read
// (tableoid it may: the table's oid is fixed when the row is stored).
bool IsRefusedSystemColumn(std::string_view name) {
  return name == "ctid" || name == "xmin" || name == "xmax" || name == "cmin" || name == "cmax";
}

void CollectColumns(const BoundExpr& e, std::vector<int>& out) {
  if (e.kind == ExprKind::kColumn) out.push_back(e.index);
  for (const BoundExpr& a : e.args) CollectColumns(a, out);
}

// Binds expr over def's columns and coerces it to column's type, with PostgreSQL's wording.
Result<BoundExpr> Bind(const TableDef& def, size_t column, const ast::Expr& expr, int location) {
  // The walk takes mutable trees; this visitor only reads.
  Status refused = Ok();
  sql::AstVisitor visitor;
  visitor.expr = [&](ast::Expr& node) {
    if (!refused) return;
    if (std::holds_alternative<ast::SubLink>(node.node)) {
      refused = Fail(Error(sqlstate::kFeatureNotSupported,
                           "cannot use subquery in column generation expression")
                         .WithPosition(ErrorPosition(node.location)));
      return;
    }
    const auto* ref = std::get_if<ast::ColumnRef>(&node.node);
    if (ref == nullptr) return;
    const int c = def.FindColumn(ref->column);
    if (c < 0 && IsRefusedSystemColumn(ref->column)) {
      refused = Fail(
          Error(sqlstate::kInvalidColumnReference,
                "cannot use system column \"" + ref->column + "\" in column generation expression")
              .WithPosition(ErrorPosition(node.location)));
    } else if (c >= 0 && def.columns[static_cast<size_t>(c)].generated != 0) {
      refused = Fail(
          Error(sqlstate::kInvalidObjectDefinition, "cannot use generated column \"" + ref->column +
                                                        "\" in column generation expression")
              .WithDetail("A generated column cannot reference another generated "
                          "column.")
              .WithPosition(ErrorPosition(node.location)));
    } else if (c == static_cast<int>(column)) {
      // The column being defined: generated too, as far as its own expression goes.
      refused = Fail(
          Error(sqlstate::kInvalidObjectDefinition, "cannot use generated column \"" + ref->column +
                                                        "\" in column generation expression")
              .WithDetail("A generated column cannot reference another generated "
                          "column.")
              .WithPosition(ErrorPosition(node.location)));
    }
  };
  visitor.location = [](int&) {};
  sql::WalkExpr(const_cast<ast::Expr&>(expr), visitor);
  SQLRITE_TRY(refused);
  Scope scope;
  for (const ColumnDef& c : def.columns)
    scope.push_back({def.name, c.name, c.type, false, def.oid});
  Binder binder(scope);
  binder.SetClause("column generation expressions");
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(expr));
  if (ContainsMutable(e)) {
    return Fail(sqlstate::kInvalidObjectDefinition, "generation expression is not immutable");
  }
  const ColumnDef& col = def.columns[column];
  auto coerced = CoerceForAssignment(std::move(e), col.type, col.name, location);
  if (!coerced) {
    Error error = std::move(coerced.error());
    // cookDefault's wording: a generation expression is the column's default expression.
    if (error.sqlstate == sqlstate::kDatatypeMismatch) {
      const std::string from = " but expression is of type ";
      if (size_t at = error.message.find(from); at != std::string::npos) {
        error.message.replace(at, from.size(), " but default expression is of type ");
      }
      error.position = 0;
    }
    return Fail(std::move(error));
  }
  return std::move(*coerced);
}

}  // namespace

bool ContainsMutable(const BoundExpr& e) {
  if (e.kind == ExprKind::kBuiltin && e.builtin != nullptr &&
      (e.builtin->is_volatile || !e.builtin->foldable)) {
    return true;
  }
  if (e.kind == ExprKind::kFunc && e.index == static_cast<int>(Func::kGenRandomUuid)) return true;
  if (e.kind == ExprKind::kSubquery || e.kind == ExprKind::kParam) return true;
  if (DependsOnTimeZone(e)) return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [](const BoundExpr& a) { return ContainsMutable(a); });
}

bool HasGeneratedColumns(const TableDef& def) {
  return std::any_of(def.columns.begin(), def.columns.end(),
                     [](const ColumnDef& c) { return c.generated != 0; });
}

Status SetGenerationExpression(TableDef& def, size_t column, const ast::Expr& expr,
                               const std::string& sql, int location) {
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, Bind(def, column, expr, location));
  ColumnDef& col = def.columns[column];
  col.generated = 's';
  col.generated_sql = sql;
  col.generated_expr = std::make_shared<const BoundExpr>(std::move(e));
  return Ok();
}

Status LoadGenerationExpressions(TableDef& def) {
  for (size_t c = 0; c < def.columns.size(); ++c) {
    ColumnDef& col = def.columns[c];
    if (col.generated == 0) continue;
    auto parsed = ParseDefaultExpr(col.generated_sql);
    Result<BoundExpr> bound =
        parsed ? Bind(def, c, **parsed, -1) : Result<BoundExpr>(Fail(std::move(parsed.error())));
    if (!bound) {
      return Fail(sqlstate::kDataCorrupted, "malformed catalog entry: generated column " +
                                                col.name + ": " + bound.error().message);
    }
    col.generated_expr = std::make_shared<const BoundExpr>(std::move(*bound));
  }
  return Ok();
}

Status ComputeGeneratedColumns(const TableDef& def, Row& row) {
  for (size_t c = 0; c < def.columns.size(); ++c) {
    const ColumnDef& col = def.columns[c];
    if (col.generated == 0) continue;
    SQLRITE_ASSERT(col.generated_expr != nullptr);
    // Generated columns read only ordinary ones, so their order does not matter.
    SQLRITE_ASSIGN_OR_RETURN(row[c], Eval(*col.generated_expr, EvalContext{row.data(), nullptr}));
  }
  return Ok();
}

tl::unexpected<Error> GeneratedColumnInsert(const ColumnDef& col) {
  return Fail(Error(sqlstate::kGeneratedAlways,
                    "cannot insert a non-DEFAULT value into column \"" + col.name + "\"")
                  .WithDetail("Column \"" + col.name + "\" is a generated column."));
}

tl::unexpected<Error> GeneratedColumnUpdate(const ColumnDef& col) {
  return Fail(Error(sqlstate::kGeneratedAlways,
                    "column \"" + col.name + "\" can only be updated to DEFAULT")
                  .WithDetail("Column \"" + col.name + "\" is a generated column."));
}

std::vector<size_t> GeneratedColumnsReading(const TableDef& def, size_t column) {
  std::vector<size_t> out;
  for (size_t c = 0; c < def.columns.size(); ++c) {
    const ColumnDef& col = def.columns[c];
    if (col.generated == 0 || col.generated_expr == nullptr) continue;
    std::vector<int> read;
    CollectColumns(*col.generated_expr, read);
    if (std::find(read.begin(), read.end(), static_cast<int>(column)) != read.end()) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace sqlrite::engine
