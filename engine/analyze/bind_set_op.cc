// Set operations: branches, common column types (PostgreSQL's select_common_type over the
// types SQLRite has), ORDER BY / LIMIT / OFFSET over the whole.

#include "engine/analyze/bind_set_op.h"

#include <string>
#include <utility>

#include "common/assert.h"
#include "engine/datetime_operators.h"
#include "engine/error_position.h"
#include "engine/numeric_rank.h"

namespace sqlrite::engine {
namespace {

const char* KindName(ast::SetOpKind kind) {
  switch (kind) {
    case ast::SetOpKind::kUnion:
      return "UNION";
    case ast::SetOpKind::kIntersect:
      return "INTERSECT";
    case ast::SetOpKind::kExcept:
      return "EXCEPT";
  }
  return "UNION";
}

}  // namespace

Result<SqlType> SelectCommonType(SqlType l, bool l_unknown, SqlType r, bool r_unknown,
                                 const char* construct, int location) {
  // An untyped literal takes the other side's type without its modifier: the result's typmod
  // is the inputs' only when every input has it (select_common_typmod; an unknown input does
  // not), and the literal is read under none (VALUES (1.234::numeric(3,1)), ('5.678') keeps
  // 5.678).
  if (l_unknown && r_unknown) return SqlType{TypeId::kText, -1};
  if (l_unknown) return SqlType{r.id, -1, r.elem, r.enum_oid};
  if (r_unknown) return SqlType{l.id, -1, l.elem, l.enum_oid};
  if (l.id == TypeId::kArray || r.id == TypeId::kArray) {
    // Arrays match arrays whose elements match: int4[] beside int8[] is int8[].
    if (l.id == r.id) {
      auto element =
          SelectCommonType(ElementOf(l), false, ElementOf(r), false, construct, location);
      if (element) return ArrayOf(*element);
    }
    return Fail(Error(sqlstate::kDatatypeMismatch, std::string(construct) + " types " +
                                                       SqlTypeName(l) + " and " + SqlTypeName(r) +
                                                       " cannot be matched")
                    .WithPosition(ErrorPosition(location)));
  }
  if (l.id == TypeId::kEnum || r.id == TypeId::kEnum) {
    if (l == r) return l;  // an enum matches only itself
    if (l.id == r.id) {
      // Two enums share a category: PostgreSQL picks the first and fails to convert the other.
      return Fail(Error(sqlstate::kCannotCoerce, std::string(construct) +
                                                     " could not convert type " + SqlTypeName(r) +
                                                     " to " + SqlTypeName(l))
                      .WithPosition(ErrorPosition(location)));
    }
    return Fail(Error(sqlstate::kDatatypeMismatch, std::string(construct) + " types " +
                                                       SqlTypeName(l) + " and " + SqlTypeName(r) +
                                                       " cannot be matched")
                    .WithPosition(ErrorPosition(location)));
  }
  if (l.id == r.id) return SqlType{l.id, l.typmod == r.typmod ? l.typmod : -1};
  if (NumericRank(l.id) > 0 && NumericRank(r.id) > 0) {
    return SqlType{NumericRank(l.id) >= NumericRank(r.id) ? l.id : r.id, -1};
  }
  // date, timestamp and timestamptz are one category, each implicitly cast to the ones after it
  // (timestamptz is the preferred type).
  if (MomentRank(l.id) > 0 && MomentRank(r.id) > 0) {
    return SqlType{MomentRank(l.id) >= MomentRank(r.id) ? l.id : r.id, -1};
  }
  // text and varchar cast to each other implicitly, and PostgreSQL leaves the first type only
  // for one it casts to but not back from: the left's type stays (varchar UNION text is varchar).
  if (IsStringType(l.id) && IsStringType(r.id)) return SqlType{l.id, -1};
  // oid and its reg* aliases cast to one another implicitly: the left's type stays (pg_dump's
  // `classid UNION ALL 'pg_opfamily'::regclass`), as UnifyTypes keeps the first.
  if (IsOidType(l.id) && (IsOidType(r.id) || IsIntegerType(r.id))) return SqlType{l.id, -1};
  return Fail(Error(sqlstate::kDatatypeMismatch,
                    std::string(construct) + " types " + TypeDisplayName(SqlType{l.id, -1}) +
                        " and " + TypeDisplayName(SqlType{r.id, -1}) + " cannot be matched")
                  .WithPosition(ErrorPosition(location)));
}

namespace {}  // namespace

// Whether column i of branch b is an untyped literal still open to another type.
bool IsUntypedColumn(const BoundSelect& b, size_t i) {
  return !b.set_op && i < b.items.unknown.size() && b.items.unknown[i] && !b.aggregated &&
         !b.distinct && b.distinct_on.empty() && b.items.exprs[i].IsConst();
}

Status ConvertColumn(BoundSelect& b, size_t i, SqlType to, std::vector<BoundExpr>& convert) {
  ColumnInfo& col = b.items.columns[i];
  if (col.sql_type() == to) return Ok();
  if (IsUntypedColumn(b, i)) {
    BoundExpr& e = b.items.exprs[i];
    if (!IsNull(e.value) && to.id != TypeId::kText) {
      auto v = ParseText(DatumAs<std::string>(e.value), to);
      if (!v) return Fail(std::move(v.error()).WithPosition(ErrorPosition(e.location)));
      e.value = std::move(*v);
    }
    e.type = to;
    col.type = to.id;
    col.typmod = to.typmod;
    col.elem = to.elem;
    col.enum_oid = to.enum_oid;
    return Ok();
  }
  if (convert.empty()) {
    for (size_t c = 0; c < b.items.columns.size(); ++c) {
      BoundExpr ref;
      ref.kind = ExprKind::kColumn;
      ref.index = static_cast<int>(c);
      ref.type = b.items.columns[c].sql_type();
      convert.push_back(std::move(ref));
    }
  }
  if (col.type == to.id) {
    convert[i].type = to;  // only the typmod differs: the values are the same
    return Ok();
  }
  BoundExpr cast;
  cast.kind = ExprKind::kCast;
  cast.type = to;
  cast.args.push_back(std::move(convert[i]));
  convert[i] = std::move(cast);
  return Ok();
}

Status BindResultOrderBy(const ast::Select& stmt, BoundSelect& out) {
  const std::vector<ColumnInfo>& columns = out.items.columns;
  for (const ast::OrderItem& o : stmt.order_by) {
    exec::SortKey key;
    key.descending = o.descending;
    key.nulls_first = o.nulls_first.value_or(o.descending);
    if (auto* lit = std::get_if<ast::IntLiteral>(&o.expr->node)) {
      if (lit->value < 1 || lit->value > static_cast<int64_t>(columns.size())) {
        return Fail(
            Error(sqlstate::kInvalidColumnReference,
                  "ORDER BY position " + std::to_string(lit->value) + " is not in select list")
                .WithPosition(ErrorPosition(o.expr->location)));
      }
      key.column = static_cast<size_t>(lit->value - 1);
      out.sort_keys.push_back(key);
      continue;
    }
    if (auto* ref = std::get_if<ast::ColumnRef>(&o.expr->node)) {
      if (!ref->table.empty()) {
        return Fail(Error(sqlstate::kUndefinedTable,
                          "missing FROM-clause entry for table \"" + ref->table + "\"")
                        .WithPosition(ErrorPosition(o.expr->location)));
      }
      bool found = false;
      for (size_t i = 0; i < columns.size() && !found; ++i) {
        if (columns[i].name == ref->column) {
          key.column = i;
          found = true;
        }
      }
      if (!found) {
        return Fail(
            Error(sqlstate::kUndefinedColumn, "column \"" + ref->column + "\" does not exist")
                .WithPosition(ErrorPosition(o.expr->location)));
      }
      out.sort_keys.push_back(key);
      continue;
    }
    return Fail(
        Error(sqlstate::kFeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause")
            .WithDetail("Only result column names can be used, not expressions or "
                        "functions.")
            .WithHint("Add the expression/function to every SELECT, or move the UNION "
                      "into a FROM clause.")
            .WithPosition(ErrorPosition(ExprLocation(*o.expr))));
  }
  for (exec::SortKey& k : out.sort_keys) {
    k.jsonb = k.column < columns.size() && columns[k.column].type == TypeId::kJsonb;
  }
  return Ok();
}

Result<BoundSelect> BindSetOperation(ExecContext& ctx, const ast::Select& stmt,
                                     const BindEnv* env) {
  SQLRITE_ASSERT(stmt.set_op != nullptr);
  const ast::SetOperation& op = *stmt.set_op;
  auto set = std::make_unique<BoundSetOp>();
  set->kind = op.kind;
  set->all = op.all;
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect left, BindSelect(ctx, op.left, env));
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect right, BindSelect(ctx, op.right, env));
  set->left = std::make_unique<BoundSelect>(std::move(left));
  set->right = std::make_unique<BoundSelect>(std::move(right));
  BoundSelect& l = *set->left;
  BoundSelect& r = *set->right;
  if (l.items.columns.size() != r.items.columns.size()) {
    return Fail(sqlstate::kSyntaxError, std::string("each ") + KindName(op.kind) +
                                            " query must have the same number of columns");
  }
  BoundSelect out;
  for (size_t i = 0; i < l.items.columns.size(); ++i) {
    const ColumnInfo& lc = l.items.columns[i];
    const ColumnInfo& rc = r.items.columns[i];
    const int location = i < r.items.exprs.size() ? r.items.exprs[i].location : -1;
    SQLRITE_ASSIGN_OR_RETURN(SqlType type,
                             SelectCommonType(lc.sql_type(), IsUntypedColumn(l, i), rc.sql_type(),
                                              IsUntypedColumn(r, i), KindName(op.kind), location));
    SQLRITE_TRY(ConvertColumn(l, i, type, set->left_convert));
    SQLRITE_TRY(ConvertColumn(r, i, type, set->right_convert));
    out.items.columns.push_back({lc.name, type.id, type.typmod, type.elem, type.enum_oid});
    out.items.from_star.push_back(false);
    out.items.unknown.push_back(false);
  }
  out.set_op = std::move(set);
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
