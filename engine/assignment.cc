#include "engine/assignment.h"

#include <string>
#include <utility>
#include <variant>

#include "engine/generated_columns.h"
#include "engine/plan/instantiate.h"

namespace sqlrite::engine {

Result<BoundExpr> BindAssignmentValue(const TableDef& table, size_t column, const ast::Expr& value,
                                      Binder& binder, std::optional<ColumnDefaults>& defaults,
                                      exec::ReadContext& rctx) {
  const ColumnDef& col = table.columns[column];
  if (std::holds_alternative<ast::DefaultMarker>(value.node)) {
    if (!defaults) {
      SQLRITE_ASSIGN_OR_RETURN(defaults, ColumnDefaults::Bind(table));
    }
    return defaults->Expr(column);
  }
  if (col.generated != 0) return GeneratedColumnUpdate(col);
  if (col.identity == 'a') {
    return Fail(Error(sqlstate::kGeneratedAlways,
                      "column \"" + col.name + "\" can only be updated to DEFAULT")
                    .WithDetail("Column \"" + col.name +
                                "\" is an identity column defined as GENERATED ALWAYS."));
  }
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(value));
  SQLRITE_ASSIGN_OR_RETURN(
      e, CoerceForAssignment(std::move(e), col.type, col.name, ExprLocation(value)));
  if (plan::HasSubquery(e)) plan::InstantiateSubqueries(e, rctx);
  return e;
}

Status CheckDistinctAssignments(const TableDef& table, const std::vector<size_t>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (columns[i] == columns[j]) {
        return Fail(sqlstate::kSyntaxError, "multiple assignments to same column \"" +
                                                table.columns[columns[i]].name + "\"");
      }
    }
  }
  return Ok();
}

}  // namespace sqlrite::engine
