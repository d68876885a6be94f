// Row estimates (estimate.h) over hand-made table definitions and counters.

#include "engine/plan/estimate.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/plan/plan.h"
#include "engine/table_stats.h"

namespace sqlrite::engine::plan {
namespace {

constexpr uint32_t kDb = 4242;  // a database no other test counts in

// t(id INTEGER PRIMARY KEY, u int UNIQUE, v int, w text) with an index on (v, w).
TableDef MakeTable(uint32_t oid) {
  TableDef t;
  t.name = "t";
  t.oid = oid;
  for (const char* name : {"id", "u", "v", "w"}) {
    ColumnDef c;
    c.name = name;
    c.type = SqlType{name[0] == 'w' ? TypeId::kText : TypeId::kInt4, -1};
    t.columns.push_back(std::move(c));
  }
  t.rowid_column = 0;
  IndexDef u;
  u.name = "t_u_key";
  u.columns = {1};
  t.indexes.push_back(u);
  IndexDef vw;
  vw.name = "t_v_w_idx";
  vw.columns = {2, 3};
  vw.unique = false;
  t.indexes.push_back(vw);
  return t;
}

BoundExpr Column(int index, TypeId type = TypeId::kInt4) {
  BoundExpr e;
  e.kind = ExprKind::kColumn;
  e.index = index;
  e.type = SqlType{type, -1};
  return e;
}
BoundExpr Const(Datum v, TypeId type = TypeId::kInt4) {
  BoundExpr e;
  e.kind = ExprKind::kConst;
  e.value = std::move(v);
  e.type = SqlType{type, -1};
  return e;
}
BoundExpr Op(ExprKind kind, std::vector<BoundExpr> args, ast::BinaryOp op = ast::BinaryOp::kEq) {
  BoundExpr e;
  e.kind = kind;
  e.op = op;
  e.type = SqlType{TypeId::kBool, -1};
  e.args = std::move(args);
  return e;
}
BoundExpr Cmp(int column, ast::BinaryOp op, int64_t v) {
  return Op(ExprKind::kCompare, {Column(column), Const(Datum(v))}, op);
}

TEST(EstimateTest, TableRowsAreTheLiveCountAtLeastOne) {
  const TableDef t = MakeTable(70001);
  // Never counted: ten pages of rows of 3 ints and a text (24 + 48 + 4 bytes each).
  const double unknown = 10 * std::floor(8168.0 / 76);
  EXPECT_EQ(TableRows(t, kDb), unknown);
  ProcessTableStats().For(kDb, t.oid).live_tup.store(12345);
  EXPECT_EQ(TableRows(t, kDb), 12345.0);
  ProcessTableStats().For(kDb, t.oid).live_tup.store(0);
  EXPECT_EQ(TableRows(t, kDb), unknown);
}

TEST(EstimateTest, UniqueColumnsAreTheRowidAndSingleColumnUniqueIndexes) {
  TableDef t = MakeTable(70002);
  EXPECT_TRUE(IsUniqueColumn(t, 0));
  EXPECT_TRUE(IsUniqueColumn(t, 1));
  EXPECT_FALSE(IsUniqueColumn(t, 2));  // non-unique, and only the index's leading column
  EXPECT_FALSE(IsUniqueColumn(t, 3));
  t.indexes[0].predicate = "u > 0";  // a partial unique index proves nothing for all rows
  EXPECT_FALSE(IsUniqueColumn(t, 1));
  EXPECT_EQ(NumDistinct(t, 0, 1e6), 1e6);
  EXPECT_EQ(NumDistinct(t, 2, 1e6), kDefaultNumDistinct);
  EXPECT_EQ(NumDistinct(t, 2, 50), 50);
}

TEST(EstimateTest, RestrictionSelectivitiesArePostgresDefaults) {
  const TableDef t = MakeTable(70003);
  const double rows = 1e6;
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, Cmp(2, ast::BinaryOp::kEq, 5)), 1.0 / 200);
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, Cmp(1, ast::BinaryOp::kEq, 5)), 1.0 / rows);
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, Cmp(2, ast::BinaryOp::kNe, 5)), 1 - 1.0 / 200);
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, Cmp(2, ast::BinaryOp::kLt, 5)), 1.0 / 3);
  BoundExpr like = Op(ExprKind::kLike, {Column(3, TypeId::kText), Const(Datum(std::string("a%")))});
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, like), kDefaultMatchSel);
  BoundExpr is_null = Op(ExprKind::kIsNull, {Column(2)});
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, is_null), 0.005);
  BoundExpr in = Op(ExprKind::kIn, {Column(2), Const(Datum(int64_t{1})), Const(Datum(int64_t{2})),
                                    Const(Datum(int64_t{3}))});
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, in), 3.0 / 200);
  BoundExpr either =
      Op(ExprKind::kOr, {Cmp(2, ast::BinaryOp::kEq, 1), Cmp(2, ast::BinaryOp::kEq, 2)});
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, either), 0.005 + 0.005 - 0.005 * 0.005);
  BoundExpr no = Op(ExprKind::kNot, {Cmp(2, ast::BinaryOp::kLt, 5)});
  EXPECT_DOUBLE_EQ(RestrictionSelectivity(t, rows, no), 2.0 / 3);
}

TEST(EstimateTest, ScanRowsOfPointsRangesAndConjunctions) {
  const TableDef t = MakeTable(70004);
  Scan scan;
  scan.table = &t;
  EXPECT_EQ(ScanRows(scan, 1e6), 1e6);
  scan.path = AccessPath::kPoint;
  EXPECT_EQ(ScanRows(scan, 1e6), 1.0);
  scan.path = AccessPath::kFull;
  // A column bounded on both sides: one range of 0.005, not (1/3)^2.
  scan.filter = Op(ExprKind::kAnd, {Cmp(2, ast::BinaryOp::kGt, 1), Cmp(2, ast::BinaryOp::kLt, 9)});
  EXPECT_DOUBLE_EQ(ScanRows(scan, 1e6), 1e6 * kDefaultRangeSel);
  // `5 > v` bounds v above only.
  scan.filter = Op(ExprKind::kCompare, {Const(Datum(int64_t{5})), Column(2)}, ast::BinaryOp::kGt);
  EXPECT_DOUBLE_EQ(ScanRows(scan, 1e6), 1e6 / 3);
  scan.filter = Op(ExprKind::kAnd, {Cmp(2, ast::BinaryOp::kEq, 1), Cmp(3, ast::BinaryOp::kLt, 9)});
  EXPECT_DOUBLE_EQ(ScanRows(scan, 1e6), 1e6 / 200 / 3);
  scan.filter = Cmp(1, ast::BinaryOp::kEq, 7);
  EXPECT_EQ(ScanRows(scan, 10), 1.0);  // never below one row
}

TEST(EstimateTest, EquiJoinOnAUniqueKeyKeepsTheOtherSidesRows) {
  // fact.k = dim.id, dim's id unique in 1000 rows: 1/1000, so 1e6 x 1000 pairs give 1e6.
  BoundExpr eq = Op(ExprKind::kCompare, {Column(0), Column(1)});
  auto unique_dim = [](const BoundExpr& e) {
    return e.index == 1 ? JoinSide{1000.0, true} : JoinSide{};
  };
  EXPECT_DOUBLE_EQ(JoinSelectivity(eq, unique_dim), 1.0 / 1000);
  // A 10-row dimension's key: 1/10, not PostgreSQL's 1/200 for the fact's unknown column.
  auto tiny_dim = [](const BoundExpr& e) {
    return e.index == 1 ? JoinSide{10.0, true} : JoinSide{};
  };
  EXPECT_DOUBLE_EQ(JoinSelectivity(eq, tiny_dim), 1.0 / 10);
  auto unknown = [](const BoundExpr&) { return JoinSide{}; };
  EXPECT_DOUBLE_EQ(JoinSelectivity(eq, unknown), 1.0 / kDefaultNumDistinct);
  auto counted = [](const BoundExpr& e) { return JoinSide{e.index == 0 ? 50.0 : 80.0, false}; };
  EXPECT_DOUBLE_EQ(JoinSelectivity(eq, counted), 1.0 / 80);
  BoundExpr lt = Op(ExprKind::kCompare, {Column(0), Column(1)}, ast::BinaryOp::kLt);
  EXPECT_DOUBLE_EQ(JoinSelectivity(lt, unknown), kDefaultIneqSel);
}

}  // namespace
}  // namespace sqlrite::engine::plan
