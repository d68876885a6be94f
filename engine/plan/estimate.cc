#include "engine/plan/estimate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "engine/catalog/system_source.h"
#include "engine/plan/plan.h"
#include "engine/table_stats.h"

namespace sqlrite::engine::plan {
namespace {

bool ReadsColumns(const BoundExpr& e) {
  if (e.kind == ExprKind::kColumn) return true;
  return std::any_of(e.args.begin(), e.args.end(), ReadsColumns);
}

// `column op value` of one table: the column's index, or -1 when c is not of that shape (the
// value reads no column: a constant, parameter or outer value).
int ColumnAgainstValue(const BoundExpr& c) {
  if (c.args.size() != 2) return -1;
  for (size_t side = 0; side < 2; ++side) {
    if (c.args[side].kind == ExprKind::kColumn && !ReadsColumns(c.args[1 - side])) {
      return c.args[side].index;
    }
  }
  return -1;
}

double Clamp(double s) { return std::clamp(s, 1e-12, 1.0); }

double EqualitySelectivity(const TableDef& table, double rows, int column) {
  if (column < 0) return kDefaultEqSel;
  return 1.0 / NumDistinct(table, column, rows);
}

}  // namespace

double TableRows(const TableDef& table, uint32_t db) {
  if (table.system_rows) return kDefaultItemRows;
  if (db == 0) db = catalog::CurrentDatabaseOid();
  const TableCounters* c = ProcessTableStats().Find(db, table.oid);
  const double live =
      c != nullptr ? static_cast<double>(c->live_tup.load(std::memory_order_relaxed)) : 0.0;
  if (live >= 1.0) return live;
  // No live row counted (an empty table, or none written since the process started): as
  // PostgreSQL sizes a table never vacuumed, ten 8 kB pages of rows of its columns' widths.
  double width = 0;
  for (const ColumnDef& col : table.columns) {
    switch (col.type.id) {
      case TypeId::kBool:
        width += 1;
        break;
      case TypeId::kInt2:
        width += 2;
        break;
      case TypeId::kInt4:
      case TypeId::kFloat4:
      case TypeId::kDate:
        width += 4;
        break;
      case TypeId::kInt8:
      case TypeId::kFloat8:
        width += 8;
        break;
      default:
        width += 32;  // PostgreSQL's guess for a value of no fixed width
        break;
    }
  }
  const double tuple = 24 + 8 * std::ceil(width / 8) + 4;  // header, data, line pointer
  return std::floor(10 * std::floor((8192 - 24) / tuple));
}

bool IsUniqueColumn(const TableDef& table, int column) {
  if (column < 0) return false;
  if (column == table.rowid_column) return true;
  for (const IndexDef& ix : table.indexes) {
    if (ix.unique && !ix.partial() && ix.columns.size() == 1 && ix.columns[0] == column) {
      return true;
    }
  }
  return false;
}

double NumDistinct(const TableDef& table, int column, double rows) {
  if (IsUniqueColumn(table, column)) return std::max(rows, 1.0);
  return std::max(std::min(rows, kDefaultNumDistinct), 1.0);
}

double RestrictionSelectivity(const TableDef& table, double rows, const BoundExpr& c) {
  switch (c.kind) {
    case ExprKind::kConst:
      if (std::holds_alternative<bool>(c.value)) return std::get<bool>(c.value) ? 1.0 : 1e-12;
      return 1e-12;  // NULL: no row
    case ExprKind::kAnd: {
      double s = 1.0;
      for (const BoundExpr& a : c.args) s *= RestrictionSelectivity(table, rows, a);
      return Clamp(s);
    }
    case ExprKind::kOr: {
      double s = 0.0;
      for (const BoundExpr& a : c.args) {
        const double t = RestrictionSelectivity(table, rows, a);
        s = s + t - s * t;
      }
      return Clamp(s);
    }
    case ExprKind::kNot:
      return c.args.size() == 1 ? Clamp(1.0 - RestrictionSelectivity(table, rows, c.args[0]))
                                : kDefaultUnknownSel;
    case ExprKind::kCompare:
    case ExprKind::kDistinct: {
      const int column = ColumnAgainstValue(c);
      if (c.kind == ExprKind::kDistinct || c.op == ast::BinaryOp::kEq ||
          c.op == ast::BinaryOp::kNe) {
        double eq = EqualitySelectivity(table, rows, column);
        const bool negated =
            c.kind == ExprKind::kDistinct ? !c.negated : c.op == ast::BinaryOp::kNe;
        return Clamp(negated ? 1.0 - eq : eq);
      }
      switch (c.op) {
        case ast::BinaryOp::kLt:
        case ast::BinaryOp::kLe:
        case ast::BinaryOp::kGt:
        case ast::BinaryOp::kGe:
          return kDefaultIneqSel;
        default:
          return kDefaultUnknownSel;
      }
    }
    case ExprKind::kLike:
      return c.negated ? 1.0 - kDefaultMatchSel : kDefaultMatchSel;
    case ExprKind::kIsNull:
      return c.negated ? 1.0 - kDefaultEqSel : kDefaultEqSel;
    case ExprKind::kIn: {
      if (c.args.empty()) return kDefaultUnknownSel;
      const int column = c.args[0].kind == ExprKind::kColumn ? c.args[0].index : -1;
      const double s = std::min(
          1.0, EqualitySelectivity(table, rows, column) * static_cast<double>(c.args.size() - 1));
      return Clamp(c.negated ? 1.0 - s : s);
    }
    default:
      return kDefaultUnknownSel;
  }
}

double ScanRows(const Scan& scan, double table_rows) {
  if (scan.path == AccessPath::kPoint) return 1.0;
  if (scan.path == AccessPath::kIndex && scan.index && scan.index->unique_point) return 1.0;
  if (!scan.filter) return std::max(table_rows, 1.0);
  std::vector<const BoundExpr*> parts;
  std::vector<const BoundExpr*> stack{&*scan.filter};
  while (!stack.empty()) {
    const BoundExpr* e = stack.back();
    stack.pop_back();
    if (e->kind == ExprKind::kAnd) {
      for (auto it = e->args.rbegin(); it != e->args.rend(); ++it) stack.push_back(&*it);
    } else {
      parts.push_back(e);
    }
  }
  // A column bounded below and above: one range (PostgreSQL's clauselist_selectivity).
  std::map<int, int> bounds;  // column -> bit 1 lower, bit 2 upper
  double s = 1.0;
  for (const BoundExpr* c : parts) {
    const int column = c->kind == ExprKind::kCompare ? ColumnAgainstValue(*c) : -1;
    if (column >= 0 && c->op != ast::BinaryOp::kEq && c->op != ast::BinaryOp::kNe) {
      const bool column_left = c->args[0].kind == ExprKind::kColumn && c->args[0].index == column;
      const bool less = c->op == ast::BinaryOp::kLt || c->op == ast::BinaryOp::kLe;
      const bool greater = c->op == ast::BinaryOp::kGt || c->op == ast::BinaryOp::kGe;
      if (less || greater) {
        bounds[column] |= (less == column_left) ? 2 : 1;
        continue;
      }
    }
    s *= RestrictionSelectivity(*scan.table, table_rows, *c);
  }
  for (const auto& [column, sides] : bounds) s *= sides == 3 ? kDefaultRangeSel : kDefaultIneqSel;
  return std::max(table_rows * s, 1.0);
}

double JoinSelectivity(const BoundExpr& c, const std::function<JoinSide(const BoundExpr&)>& side) {
  if (c.kind == ExprKind::kCompare && c.op == ast::BinaryOp::kEq && c.args.size() == 2) {
    double nd = 0, unique_nd = 0;
    for (const BoundExpr& arg : c.args) {
      const JoinSide s = side(arg);
      if (s.unique) unique_nd = std::max(unique_nd, s.distinct);
      nd = std::max(nd, s.distinct > 0 ? s.distinct : kDefaultNumDistinct);
    }
    return 1.0 / std::max(unique_nd > 0 ? unique_nd : nd, 1.0);
  }
  if (c.kind == ExprKind::kAnd) {
    double s = 1.0;
    for (const BoundExpr& a : c.args) s *= JoinSelectivity(a, side);
    return Clamp(s);
  }
  if (c.kind == ExprKind::kOr) {
    double s = 0.0;
    for (const BoundExpr& a : c.args) {
      const double t = JoinSelectivity(a, side);
      s = s + t - s * t;
    }
    return Clamp(s);
  }
  static const TableDef kNoTable;
  return RestrictionSelectivity(kNoTable, kDefaultNumDistinct, c);
}

}  // namespace sqlrite::engine::plan
