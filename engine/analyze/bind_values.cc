#include "engine/analyze/bind_values.h"

#include <string>
#include <utility>

#include "common/assert.h"
#include "engine/analyze/bind_set_op.h"
#include "engine/error_position.h"

namespace sqlrite::engine {
namespace {

// Makes e, an expression of column type `to`, yield `to`: an untyped literal is read as `to`, a
// value of another type is cast.
Status CoerceTo(BoundExpr& e, bool unknown, SqlType to) {
  if (unknown) {
    NoteParamType(e, to);
    if (e.IsConst()) {
      if (!IsNull(e.value)) {
        auto v = ParseText(DatumAs<std::string>(e.value), to);
        if (!v) return Fail(std::move(v.error()).WithPosition(ErrorPosition(e.location)));
        e.value = std::move(*v);
      }
      e.type = to;
      return Ok();
    }
  }
  if (e.type == to) return Ok();
  if (e.type.id == to.id) {
    e.type = to;
    return Ok();
  }
  BoundExpr cast;
  cast.kind = ExprKind::kCast;
  cast.type = to;
  cast.location = e.location;
  cast.args.push_back(std::move(e));
  e = std::move(cast);
  return Ok();
}

}  // namespace

Result<BoundSelect> BindValues(ExecContext& ctx, const ast::Select& stmt, const OuterQuery* outer) {
  (void)ctx;
  SQLRITE_ASSERT(!stmt.values.empty());
  const size_t width = stmt.values[0].size();
  BoundSelect out;
  Scope none;
  std::vector<std::vector<bool>> unknown;
  for (const std::vector<ast::ExprPtr>& row : stmt.values) {
    if (row.size() != width) {
      return Fail(Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length")
                      .WithPosition(ErrorPosition(row.empty() ? -1 : ExprLocation(*row[0]))));
    }
    Binder binder(none);
    binder.SetOuter(outer);
    binder.SetClause("VALUES");
    std::vector<BoundExpr> bound;
    std::vector<bool> row_unknown;
    for (const ast::ExprPtr& e : row) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, binder.Bind(*e));
      row_unknown.push_back(b.type.id == TypeId::kUnknown);
      bound.push_back(std::move(b));
    }
    out.values.push_back(std::move(bound));
    unknown.push_back(std::move(row_unknown));
  }
  for (size_t c = 0; c < width; ++c) {
    SqlType type = out.values[0][c].type;
    bool type_unknown = unknown[0][c];
    for (size_t r = 1; r < out.values.size(); ++r) {
      const BoundExpr& e = out.values[r][c];
      SQLRITE_ASSIGN_OR_RETURN(
          type, SelectCommonType(type, type_unknown, e.type, unknown[r][c], "VALUES", e.location));
      type_unknown = type_unknown && unknown[r][c];
    }
    if (type_unknown) type = SqlType{TypeId::kText, -1};
    for (size_t r = 0; r < out.values.size(); ++r) {
      SQLRITE_TRY(CoerceTo(out.values[r][c], unknown[r][c], type));
    }
    out.items.columns.push_back(
        {"column" + std::to_string(c + 1), type.id, type.typmod, type.elem, type.enum_oid});
    out.items.from_star.push_back(false);
    out.items.unknown.push_back(false);
  }
  SQLRITE_TRY(BindResultOrderBy(stmt, out));
  if (stmt.limit) {
    SQLRITE_ASSIGN_OR_RETURN(out.limit, BindRowCount(*stmt.limit, "LIMIT"));
  }
  if (stmt.offset) {
    SQLRITE_ASSIGN_OR_RETURN(out.offset, BindRowCount(*stmt.offset, "OFFSET"));
  }
  out.with_ties = stmt.with_ties;
  return out;
}

}  // namespace sqlrite::engine
