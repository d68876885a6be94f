// Each operator of engine/exec over a scripted input (and TableScan over a real table), checking
// its rows, their order, and that it reads no more of its input than it needs.

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/catalog.h"
#include "engine/exec/aggregate.h"
#include "engine/exec/append.h"
#include "engine/exec/cross_join.h"
#include "engine/exec/distinct.h"
#include "engine/exec/filter.h"
#include "engine/exec/hash_join.h"
#include "engine/exec/instrument.h"
#include "engine/exec/lateral_join.h"
#include "engine/exec/limit.h"
#include "engine/exec/operator_rows.h"
#include "engine/exec/project.h"
#include "engine/exec/scan.h"
#include "engine/exec/semi_probe.h"
#include "engine/exec/set_op.h"
#include "engine/exec/sort.h"
#include "engine/exec/unique.h"
#include "engine/exec/window.h"
#include "engine/key_codec.h"
#include "engine/row_codec.h"
#include "engine/table_access.h"
#include "storage/btree.h"
#include "storage/fault_injection.h"
#include "storage/pager.h"

namespace sqlrite::engine::exec {
namespace {

constexpr SqlType kInt{TypeId::kInt8, -1};

// Hands out its rows, recording how many were asked for and handed out.
class Rows final : public Operator {
 public:
  Rows(std::vector<Row> rows, size_t* pulled) : rows_(std::move(rows)), pulled_(pulled) {}
  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (out.size < max_rows && next_ < rows_.size()) {
      out.Add() = rows_[next_++];
      if (pulled_ != nullptr) ++*pulled_;
    }
    return !out.empty();
  }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
  size_t* pulled_;
};

OperatorPtr Source(std::vector<Row> rows, size_t* pulled = nullptr) {
  return std::make_unique<Rows>(std::move(rows), pulled);
}

std::vector<Row> Ints(std::initializer_list<int64_t> values) {
  std::vector<Row> rows;
  for (int64_t v : values) rows.push_back(Row{Datum(v)});
  return rows;
}

BoundExpr Col(int index, SqlType type = kInt) {
  BoundExpr e;
  e.kind = ExprKind::kColumn;
  e.index = index;
  e.type = type;
  return e;
}
BoundExpr Const(int64_t v) {
  BoundExpr e;
  e.kind = ExprKind::kConst;
  e.type = kInt;
  e.value = Datum(v);
  return e;
}
BoundExpr Compare(ast::BinaryOp op, BoundExpr a, BoundExpr b) {
  BoundExpr e;
  e.kind = ExprKind::kCompare;
  e.op = op;
  e.type = SqlType{TypeId::kBool, -1};
  e.args.push_back(std::move(a));
  e.args.push_back(std::move(b));
  return e;
}

// Every row of op, pulled `batch` at a time.
std::vector<Row> Drain(Operator& op, size_t batch = kBatchRows) {
  std::vector<Row> all;
  Batch b;
  for (;;) {
    auto more = op.Next(batch, b);
    EXPECT_TRUE(more) << more.error().message;
    if (!more || !*more) break;
    EXPECT_GT(b.size, 0u);
    EXPECT_LE(b.size, batch);
    for (size_t i = 0; i < b.size; ++i) all.push_back(b[i]);
  }
  // The end is sticky.
  auto again = op.Next(batch, b);
  EXPECT_TRUE(again && !*again);
  return all;
}

std::vector<int64_t> Column(const std::vector<Row>& rows, size_t c = 0) {
  std::vector<int64_t> out;
  for (const Row& r : rows) out.push_back(IsNull(r[c]) ? -999 : DatumAs<int64_t>(r[c]));
  return out;
}

class ExecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pager = storage::Pager::Open(disk_.Open("db"), storage::Pager::Options{1u << 20});
    ASSERT_TRUE(pager) << pager.error().message;
    pager_ = std::move(*pager);
    ctx_ = std::make_unique<ReadContext>(ReadContext{*pager_, InterruptCheck(nullptr, nullptr)});
  }
  // A table (id INTEGER PRIMARY KEY, v int8) holding (i, i * 10) for i in 1..n.
  TableDef MakeTable(int64_t n) {
    TableDef def;
    def.name = "t";
    def.columns = {ColumnDef{"id", kInt}, ColumnDef{"v", kInt}};
    def.rowid_column = 0;
    auto root = storage::BTree::Create(*pager_);
    EXPECT_TRUE(root);
    def.root = *root;
    storage::BTree tree(*pager_, def.root);
    std::string record;
    for (int64_t i = 1; i <= n; ++i) {
      record.clear();
      EncodeRow(Row{Datum(i), Datum(i * 10)}, record);
      EXPECT_TRUE(tree.Insert(RowidKey(i), record));
    }
    return def;
  }

  storage::FaultInjector disk_;
  std::unique_ptr<storage::Pager> pager_;
  std::unique_ptr<ReadContext> ctx_;
};

TEST_F(ExecTest, FilterKeepsMatchingRowsAcrossBatches) {
  auto op = MakeFilter(*ctx_, Source(Ints({1, 5, 2, 7, 3, 9})),
                       Compare(ast::BinaryOp::kGt, Col(0), Const(4)));
  EXPECT_EQ(Column(Drain(*op, 2)), (std::vector<int64_t>{5, 7, 9}));
}

TEST_F(ExecTest, FilterNeverReturnsAnEmptyBatchBeforeTheEnd) {
  // The first three batches of 1 all fail the condition.
  auto op =
      MakeFilter(*ctx_, Source(Ints({1, 1, 1, 8})), Compare(ast::BinaryOp::kGt, Col(0), Const(4)));
  EXPECT_EQ(Column(Drain(*op, 1)), (std::vector<int64_t>{8}));
}

TEST_F(ExecTest, ProjectEvaluatesEachExpression) {
  std::vector<BoundExpr> exprs;
  exprs.push_back(Col(1));
  exprs.push_back(Const(42));
  auto op = MakeProject(*ctx_,
                        Source({Row{Datum(int64_t{1}), Datum(int64_t{2})},
                                Row{Datum(int64_t{3}), Datum(int64_t{4})}}),
                        std::move(exprs));
  auto rows = Drain(*op);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Column(rows, 0), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{42, 42}));
}

TEST_F(ExecTest, ProjectOfLeadingColumnsInOrderPassesThem) {
  std::vector<BoundExpr> exprs;
  exprs.push_back(Col(0));
  exprs.push_back(Col(1));
  auto op = MakeProject(*ctx_,
                        Source({Row{Datum(int64_t{1}), Datum(int64_t{2}), Datum(int64_t{3})},
                                Row{Datum(int64_t{4}), Datum(int64_t{5}), Datum(int64_t{6})}}),
                        std::move(exprs));
  auto rows = Drain(*op, 1);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].size(), 2u);
  EXPECT_EQ(Column(rows, 0), (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{2, 5}));
}

TEST_F(ExecTest, AggregateGroupsInOrderOfFirstAppearance) {
  std::vector<BoundExpr> group_by;
  group_by.push_back(Col(0));
  std::vector<AggSpec> aggs(2);
  aggs[0].kind = AggKind::kCountStar;
  aggs[0].type = kInt;
  aggs[1].kind = AggKind::kSum;
  aggs[1].arg = Col(1);
  aggs[1].type = kInt;
  std::vector<Row> in;
  for (auto [g, v] :
       std::vector<std::pair<int64_t, int64_t>>{{2, 1}, {1, 10}, {2, 5}, {1, 1}, {3, 7}}) {
    in.push_back(Row{Datum(g), Datum(v)});
  }
  auto op = MakeAggregate(*ctx_, Source(in), std::move(group_by), std::move(aggs), 2);
  auto rows = Drain(*op, 2);
  // Each row: the group's first input row, then count(*), sum(v).
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(Column(rows, 0), (std::vector<int64_t>{2, 1, 3}));
  EXPECT_EQ(Column(rows, 2), (std::vector<int64_t>{2, 2, 1}));
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{6, 11, 7}));
}

TEST_F(ExecTest, AggregateWithoutGroupByOverNoRowsGivesOneRow) {
  std::vector<AggSpec> aggs(2);
  aggs[0].kind = AggKind::kCountStar;
  aggs[0].type = kInt;
  aggs[1].kind = AggKind::kMax;
  aggs[1].arg = Col(0);
  aggs[1].type = kInt;
  auto op = MakeAggregate(*ctx_, Source({}), {}, std::move(aggs), 1);
  auto rows = Drain(*op);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 3u);
  EXPECT_TRUE(IsNull(rows[0][0]));
  EXPECT_EQ(DatumAs<int64_t>(rows[0][1]), 0);
  EXPECT_TRUE(IsNull(rows[0][2]));
}

TEST_F(ExecTest, AggregateSumOverflowIs22003) {
  std::vector<AggSpec> aggs(1);
  aggs[0].kind = AggKind::kSum;
  aggs[0].arg = Col(0);
  aggs[0].type = kInt;
  auto op = MakeAggregate(*ctx_, Source(Ints({std::numeric_limits<int64_t>::max(), 1})), {},
                          std::move(aggs), 1);
  Batch b;
  auto r = op->Next(10, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, sqlstate::kNumericValueOutOfRange);
}

TEST_F(ExecTest, HavingFiltersGroupsByTheirAggregates) {
  std::vector<BoundExpr> group_by;
  group_by.push_back(Col(0));
  std::vector<AggSpec> aggs(1);
  aggs[0].kind = AggKind::kCountStar;
  aggs[0].type = kInt;
  BoundExpr agg_ref;
  agg_ref.kind = ExprKind::kAggRef;
  agg_ref.index = 0;
  agg_ref.type = kInt;
  auto op = MakeAggregate(*ctx_, Source(Ints({1, 2, 1, 3, 1, 2})), std::move(group_by),
                          std::move(aggs), 1);
  op = MakeFilter(*ctx_, std::move(op), Compare(ast::BinaryOp::kGe, agg_ref, Const(2)), 1);
  EXPECT_EQ(Column(Drain(*op)), (std::vector<int64_t>{1, 2}));
}

TEST_F(ExecTest, DistinctKeepsFirstOccurrencesInOrder) {
  auto op = MakeDistinct(*ctx_, Source(Ints({3, 1, 3, 2, 1, 2, 4})), {TypeId::kInt8});
  EXPECT_EQ(Column(Drain(*op, 2)), (std::vector<int64_t>{3, 1, 2, 4}));
}

TEST_F(ExecTest, DistinctReadsItsWholeInputEvenUnderALimit) {
  // As PostgreSQL's HashAggregate / Sort + Unique: an error in a later row is not skipped.
  size_t pulled = 0;
  auto op =
      MakeLimit(MakeDistinct(*ctx_, Source(Ints({1, 2, 3, 4, 5}), &pulled), {TypeId::kInt8}), 0, 1);
  EXPECT_EQ(Column(Drain(*op)), (std::vector<int64_t>{1}));
  EXPECT_EQ(pulled, 5u);
}

TEST_F(ExecTest, AppendReadsEachInputToItsEndInTurn) {
  std::vector<OperatorPtr> inputs;
  inputs.push_back(Source(Ints({1, 2, 3})));
  inputs.push_back(Source({}));
  inputs.push_back(Source(Ints({4, 5})));
  auto op = MakeAppend(std::move(inputs));
  EXPECT_EQ(Column(Drain(*op, 2)), (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST_F(ExecTest, HashSetOpCountsCopiesAsPostgreSQLDoes) {
  // NULL (-999 below) equals NULL in a set operation.
  auto with_null = [](std::initializer_list<int64_t> values) {
    std::vector<Row> rows = Ints(values);
    rows.push_back(Row{Datum{}});
    return rows;
  };
  struct Case {
    SetOpKind kind;
    bool all;
    std::vector<int64_t> expected;
  };
  const Case cases[] = {
      {SetOpKind::kIntersect, false, {2, 3, -999}},
      {SetOpKind::kIntersect, true, {2, 2, 3, -999}},
      {SetOpKind::kExcept, false, {1}},
      {SetOpKind::kExcept, true, {1, 2, 1, 3}},
  };
  for (const Case& c : cases) {
    auto op = MakeHashSetOp(*ctx_, Source(with_null({1, 2, 2, 2, 1, 3, 3})),
                            Source(with_null({2, 3, 2, 4})), c.kind, c.all, {TypeId::kInt8});
    EXPECT_EQ(Column(Drain(*op, 2)), c.expected)
        << (c.kind == SetOpKind::kIntersect ? "INTERSECT" : "EXCEPT") << (c.all ? " ALL" : "");
  }
}

TEST_F(ExecTest, HashSetOpStopsWhenInterrupted) {
  InterruptFlag flag;
  ReadContext ctx{*pager_, InterruptCheck(nullptr, &flag)};
  flag.Raise(InterruptReason::kCancel);
  std::vector<Row> many;
  for (int64_t i = 0; i < 5000; ++i) many.push_back(Row{Datum(i)});
  auto op =
      MakeHashSetOp(ctx, Source(many), Source(many), SetOpKind::kExcept, true, {TypeId::kInt8});
  Batch b;
  Result<bool> r = true;
  for (int i = 0; i < 100000 && r && *r; ++i) r = op->Next(kBatchRows, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "57014");
}

TEST_F(ExecTest, SortIsStableAndStripsHiddenColumns) {
  // (key, tag, hidden): sort by hidden descending with nulls first, keep two columns.
  std::vector<Row> in;
  auto row = [](int64_t k, int64_t tag, Datum hidden) { return Row{Datum(k), Datum(tag), hidden}; };
  in.push_back(row(1, 1, Datum(int64_t{5})));
  in.push_back(row(2, 2, Datum{}));
  in.push_back(row(3, 3, Datum(int64_t{7})));
  in.push_back(row(4, 4, Datum(int64_t{5})));
  auto op = MakeSort(*ctx_, Source(in), {SortKey{2, true, true}}, 2);
  auto rows = Drain(*op, 3);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].size(), 2u);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{2, 3, 1, 4}));
}

TEST_F(ExecTest, SortStopsWhenInterrupted) {
  InterruptFlag flag;
  ReadContext ctx{*pager_, InterruptCheck(nullptr, &flag)};
  std::vector<Row> in;
  for (int64_t i = 0; i < 5000; ++i) in.push_back(Row{Datum(5000 - i)});
  flag.Raise(InterruptReason::kCancel);
  auto op = MakeSort(ctx, Source(in), {SortKey{0, false, false}}, 1);
  Batch b;
  auto r = op->Next(10, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "57014");
}

TEST_F(ExecTest, LimitSkipsOffsetAndReadsNoMoreThanItNeeds) {
  size_t pulled = 0;
  auto op = MakeLimit(Source(Ints({1, 2, 3, 4, 5, 6, 7, 8, 9}), &pulled), 2, 3);
  EXPECT_EQ(Column(Drain(*op)), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(pulled, 5u);
}

TEST_F(ExecTest, LimitZeroReadsNothing) {
  size_t pulled = 0;
  auto op = MakeLimit(Source(Ints({1, 2}), &pulled), 0, 0);
  EXPECT_TRUE(Drain(*op).empty());
  EXPECT_EQ(pulled, 0u);
}

// (key, tag) rows; a NULL key where k is -1.
std::vector<Row> Pairs(std::initializer_list<std::pair<int64_t, int64_t>> pairs) {
  std::vector<Row> rows;
  for (const auto& [k, tag] : pairs) {
    rows.push_back(Row{k == -1 ? Datum{} : Datum(k), Datum(tag)});
  }
  return rows;
}

TEST_F(ExecTest, UniqueKeepsTheFirstRowOfEachRunWithNullsEqual) {
  auto op = MakeUnique(*ctx_, Source(Pairs({{1, 1}, {1, 2}, {2, 3}, {-1, 4}, {-1, 5}, {3, 6}})),
                       {0}, {TypeId::kInt8});
  // Batches of one: a run continues across the Next calls.
  EXPECT_EQ(Column(Drain(*op, 1), 1), (std::vector<int64_t>{1, 3, 4, 6}));
}

TEST_F(ExecTest, UniqueComparesOnlyItsKeyColumns) {
  // Keyed on the second column: runs of equal tags, whatever the first holds.
  auto op =
      MakeUnique(*ctx_, Source(Pairs({{5, 1}, {6, 1}, {7, 2}, {8, 1}})), {1}, {TypeId::kInt8});
  EXPECT_EQ(Column(Drain(*op)), (std::vector<int64_t>{5, 7, 8}));
}

TEST_F(ExecTest, UniqueUnderALimitStopsItsInput) {
  // Streaming: LIMIT 2 over runs of two reads the two first runs and the start of the third
  // at most, never the whole input.
  size_t pulled = 0;
  auto op = MakeLimit(
      MakeUnique(
          *ctx_,
          Source(Pairs({{1, 1}, {1, 2}, {2, 3}, {2, 4}, {3, 5}, {3, 6}, {4, 7}, {4, 8}}), &pulled),
          {0}, {TypeId::kInt8}),
      0, 2);
  EXPECT_EQ(Column(Drain(*op), 1), (std::vector<int64_t>{1, 3}));
  EXPECT_LE(pulled, 5u);
}

TEST_F(ExecTest, LimitWithTiesPassesTheRowsEqualToTheLastOnTheKeys) {
  size_t pulled = 0;
  auto op =
      MakeLimit(Source(Pairs({{1, 1}, {2, 2}, {2, 3}, {2, 4}, {3, 5}, {3, 6}, {4, 7}}), &pulled), 0,
                2, Ties{{0}, {TypeId::kInt8}});
  EXPECT_EQ(Column(Drain(*op, 2), 1), (std::vector<int64_t>{1, 2, 3, 4}));
  // The row that ended the ties is read, nothing after it.
  EXPECT_EQ(pulled, 5u);
}

TEST_F(ExecTest, LimitWithTiesAfterAnOffsetAndWithNullKeys) {
  auto op = MakeLimit(Source(Pairs({{1, 1}, {1, 2}, {-1, 3}, {-1, 4}, {-1, 5}, {2, 6}})), 1, 2,
                      Ties{{0}, {TypeId::kInt8}});
  EXPECT_EQ(Column(Drain(*op), 1), (std::vector<int64_t>{2, 3, 4, 5}));
}

TEST_F(ExecTest, LimitZeroWithTiesPassesNothing) {
  size_t pulled = 0;
  auto op = MakeLimit(Source(Pairs({{1, 1}, {1, 2}}), &pulled), 0, 0, Ties{{0}, {TypeId::kInt8}});
  EXPECT_TRUE(Drain(*op).empty());
  EXPECT_EQ(pulled, 0u);
}

TEST_F(ExecTest, CrossJoinIsOuterMajor) {
  auto op = MakeCrossJoin(*ctx_, Source(Ints({1, 2})), Source(Ints({10, 20, 30})));
  auto rows = Drain(*op, 4);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(Column(rows, 0), (std::vector<int64_t>{1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{10, 20, 30, 10, 20, 30}));
}

TEST_F(ExecTest, CrossJoinWithAnEmptyInnerNeverReadsTheOuter) {
  size_t pulled = 0;
  auto op = MakeCrossJoin(*ctx_, Source(Ints({1, 2}), &pulled), Source({}));
  EXPECT_TRUE(Drain(*op).empty());
  EXPECT_EQ(pulled, 0u);
}

Row IntsRow(std::initializer_list<std::optional<int64_t>> values) {
  Row r;
  for (const auto& v : values) {
    r.emplace_back();
    if (v) r.back() = *v;
  }
  return r;
}

// left (k, a) JOIN right (k, b) ON left.k = right.k, of the given kind.
JoinSpec EquiJoin(JoinKind kind) {
  JoinSpec spec;
  spec.kind = kind;
  spec.left_width = 2;
  spec.right_width = 2;
  spec.left_keys.push_back(Col(0));
  spec.right_keys.push_back(Col(0));
  spec.key_types.push_back(TypeId::kInt8);
  return spec;
}

std::vector<Row> JoinLeft() {
  return {IntsRow({1, 100}), IntsRow({2, 200}), IntsRow({std::nullopt, 300}), IntsRow({1, 400})};
}
std::vector<Row> JoinRight() {
  return {IntsRow({1, 10}), IntsRow({3, 30}), IntsRow({1, 11}), IntsRow({std::nullopt, 99})};
}

// LATERAL's right side: the values 1..n for the left row's value n, counting the rows pulled and
// the instances built.
LateralFactory SeriesUpTo(size_t* built, size_t* pulled) {
  return [built, pulled](const std::vector<Datum>& values) {
    ++*built;
    std::vector<Row> rows;
    const int64_t n = IsNull(values[0]) ? 0 : DatumAs<int64_t>(values[0]);
    for (int64_t i = 1; i <= n; ++i) rows.push_back(Row{Datum(i)});
    return Source(std::move(rows), pulled);
  };
}

TEST_F(ExecTest, LateralJoinRebuildsItsRightSidePerLeftRow) {
  size_t built = 0, pulled = 0;
  std::vector<BoundExpr> values;
  values.push_back(Col(0));
  OperatorPtr join =
      MakeLateralJoin(*ctx_, Source(Ints({2, 0, 3})), std::move(values),
                      SeriesUpTo(&built, &pulled), JoinKind::kInner, 1, 1, std::nullopt);
  std::vector<Row> rows = Drain(*join, 2);
  EXPECT_EQ(Column(rows, 0), (std::vector<int64_t>{2, 2, 3, 3, 3}));
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{1, 2, 1, 2, 3}));
  EXPECT_EQ(built, 3u);
}

TEST_F(ExecTest, LateralLeftJoinPadsUnmatchedRowsAndAppliesItsCondition) {
  size_t built = 0, pulled = 0;
  std::vector<BoundExpr> values;
  values.push_back(Col(0));
  // ON right > 1: the left row 1 has right rows, none of which pass.
  OperatorPtr join = MakeLateralJoin(*ctx_, Source(Ints({1, 0, 2})), std::move(values),
                                     SeriesUpTo(&built, &pulled), JoinKind::kLeft, 1, 1,
                                     Compare(ast::BinaryOp::kGt, Col(1), Const(1)));
  std::vector<Row> rows = Drain(*join);
  EXPECT_EQ(Column(rows, 0), (std::vector<int64_t>{1, 0, 2}));
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{-999, -999, 2}));
}

TEST_F(ExecTest, LateralJoinReadsOnlyWhatItsConsumerAsksFor) {
  size_t built = 0, pulled = 0, left_pulled = 0;
  std::vector<BoundExpr> values;
  values.push_back(Col(0));
  OperatorPtr join =
      MakeLateralJoin(*ctx_, Source(Ints({1000, 5}), &left_pulled), std::move(values),
                      SeriesUpTo(&built, &pulled), JoinKind::kInner, 1, 1, std::nullopt);
  Batch b;
  auto more = join->Next(3, b);
  ASSERT_TRUE(more && *more);
  EXPECT_EQ(b.size, 3u);
  EXPECT_EQ(pulled, 3u);  // three rows of the first right side, not its thousand
  EXPECT_EQ(built, 1u);
}

TEST_F(ExecTest, HashJoinPairsEqualKeysLeftMajorInRightOrder) {
  auto op =
      MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(JoinKind::kInner));
  auto rows = Drain(*op, 3);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{100, 100, 400, 400}));
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{10, 11, 10, 11}));
}

TEST_F(ExecTest, HashJoinNullKeysNeverMatchButOuterJoinsKeepThem) {
  auto left =
      MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(JoinKind::kLeft));
  auto rows = Drain(*left, 2);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{100, 100, 200, 300, 400, 400}));
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{10, 11, -999, -999, 10, 11}));

  auto right =
      MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(JoinKind::kRight));
  rows = Drain(*right);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{100, 100, 400, 400, -999, -999}));
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{10, 11, 10, 11, 30, 99}));

  auto full =
      MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(JoinKind::kFull));
  rows = Drain(*full, 1);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{100, 100, 200, 300, 400, 400, -999, -999}));
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{10, 11, -999, -999, 10, 11, 30, 99}));
}

TEST_F(ExecTest, HashJoinResidualDecidesWhatMatches) {
  JoinSpec spec = EquiJoin(JoinKind::kLeft);
  spec.residual = Compare(ast::BinaryOp::kGt, Col(3), Const(10));  // right.b > 10
  auto op = MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), std::move(spec));
  auto rows = Drain(*op);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{100, 200, 300, 400}));
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{11, -999, -999, 11}));
}

TEST_F(ExecTest, SemiAndAntiHashJoinsGiveEachLeftRowAloneOnce) {
  // Left keys 1, 2, NULL, 1; right keys 1 (twice), 3, NULL.
  auto semi =
      MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(JoinKind::kSemi));
  auto rows = Drain(*semi, 1);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{100, 400}));  // once, though two match
  for (const Row& r : rows) EXPECT_EQ(r.size(), 2u);
  // ANTI keeps the NULL-keyed row: NOT EXISTS (... WHERE k = NULL) is true.
  auto anti =
      MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(JoinKind::kAnti));
  rows = Drain(*anti, 2);
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{200, 300}));
  for (const Row& r : rows) EXPECT_EQ(r.size(), 2u);
  // The residual decides a match: right.b > 10 leaves only the pair with 11.
  JoinSpec spec = EquiJoin(JoinKind::kAnti);
  spec.residual = Compare(ast::BinaryOp::kGt, Col(3), Const(11));
  anti = MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), std::move(spec));
  EXPECT_EQ(Column(Drain(*anti), 1), (std::vector<int64_t>{100, 200, 300, 400}));
  // An empty right side: SEMI never reads its left input, ANTI returns all of it.
  size_t pulled = 0;
  semi = MakeHashJoin(*ctx_, Source(JoinLeft(), &pulled), Source({}), EquiJoin(JoinKind::kSemi));
  EXPECT_TRUE(Drain(*semi).empty());
  EXPECT_EQ(pulled, 0u);
  anti = MakeHashJoin(*ctx_, Source(JoinLeft()), Source({}), EquiJoin(JoinKind::kAnti));
  EXPECT_EQ(Drain(*anti).size(), 4u);
}

// The probe of a probing semi join: the right rows whose first value equals the key.
LateralFactory ProbeOf(std::vector<Row> right, size_t* built) {
  return [right = std::move(right), built](const std::vector<Datum>& values) {
    ++*built;
    std::vector<Row> rows;
    for (const Row& r : right) {
      if (!IsNull(r[0]) && CompareDatums(r[0], values[0]) == 0) rows.push_back(r);
    }
    return Source(std::move(rows));
  };
}

TEST_F(ExecTest, ProbingSemiJoinProbesASmallLeftAndHashesABigOne) {
  for (JoinKind kind : {JoinKind::kSemi, JoinKind::kAnti}) {
    SCOPED_TRACE(static_cast<int>(kind));
    // Small: four left rows probe (the NULL key never), the right input is never read.
    size_t built = 0, right_pulled = 0;
    auto probing =
        MakeProbingSemiJoin(*ctx_, Source(JoinLeft()), Source(JoinRight(), &right_pulled),
                            EquiJoin(kind), ProbeOf(JoinRight(), &built), 4);
    auto hashed = MakeHashJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(kind));
    std::vector<Row> want = Drain(*hashed);
    EXPECT_EQ(Drain(*probing, 1), want);
    EXPECT_EQ(built, 3u);
    EXPECT_EQ(right_pulled, 0u);
    // Big (more rows than the bound): the hash join over every left row, in order.
    built = 0;
    auto big = MakeProbingSemiJoin(*ctx_, Source(JoinLeft()), Source(JoinRight()), EquiJoin(kind),
                                   ProbeOf(JoinRight(), &built), 2);
    EXPECT_EQ(Drain(*big, 1), want);
    EXPECT_EQ(built, 0u);
  }
}

TEST_F(ExecTest, InnerHashJoinWithAnEmptyBuildSideNeverReadsTheProbeSide) {
  size_t pulled = 0;
  auto op =
      MakeHashJoin(*ctx_, Source(JoinLeft(), &pulled), Source({}), EquiJoin(JoinKind::kInner));
  EXPECT_TRUE(Drain(*op).empty());
  EXPECT_EQ(pulled, 0u);
  auto left = MakeHashJoin(*ctx_, Source(JoinLeft()), Source({}), EquiJoin(JoinKind::kLeft));
  EXPECT_EQ(Drain(*left).size(), 4u);
}

TEST_F(ExecTest, NestedLoopJoinEvaluatesItsConditionOverEveryPair) {
  JoinSpec spec;
  spec.kind = JoinKind::kFull;
  spec.left_width = 1;
  spec.right_width = 1;
  spec.residual = Compare(ast::BinaryOp::kLt, Col(0), Col(1));  // l < r
  auto op =
      MakeNestedLoopJoin(*ctx_, Source(Ints({1, 5, 9})), Source(Ints({4, 6, 0})), std::move(spec));
  auto rows = Drain(*op, 2);
  EXPECT_EQ(Column(rows, 0), (std::vector<int64_t>{1, 1, 5, 9, -999}));
  EXPECT_EQ(Column(rows, 1), (std::vector<int64_t>{4, 6, 6, -999, 0}));
}

TEST_F(ExecTest, NestedLoopJoinWithAnEmptyOuterNeverReadsItsInner) {
  // PostgreSQL's order: the outer side first (EXPLAIN ANALYZE shows the inner never executed).
  size_t pulled = 0;
  JoinSpec spec;
  spec.kind = JoinKind::kLeft;
  spec.left_width = 1;
  spec.right_width = 1;
  spec.residual = Compare(ast::BinaryOp::kLt, Col(0), Col(1));
  auto op = MakeNestedLoopJoin(*ctx_, Source({}), Source(Ints({4, 6}), &pulled), std::move(spec));
  EXPECT_TRUE(Drain(*op).empty());
  EXPECT_EQ(pulled, 0u);
}

TEST_F(ExecTest, JoinStopsWhenInterrupted) {
  InterruptFlag flag;
  ReadContext ctx{*pager_, InterruptCheck(nullptr, &flag)};
  flag.Raise(InterruptReason::kCancel);
  std::vector<Row> many;
  for (int64_t i = 0; i < 5000; ++i) many.push_back(IntsRow({1, i}));
  auto op = MakeHashJoin(ctx, Source(many), Source(many), EquiJoin(JoinKind::kInner));
  Batch b;
  Result<bool> r = true;
  for (int i = 0; i < 100000 && r && *r; ++i) r = op->Next(kBatchRows, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "57014");
}

TEST_F(ExecTest, TableScanReadsEveryRowInRowidOrder) {
  TableDef t = MakeTable(3000);
  auto op = MakeTableScan(*ctx_, t, std::nullopt);
  auto rows = Drain(*op);
  ASSERT_EQ(rows.size(), 3000u);
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(DatumAs<int64_t>(rows[i][0]), static_cast<int64_t>(i + 1));
  }
}

TEST_F(ExecTest, TableScanAppliesItsPredicate) {
  TableDef t = MakeTable(100);
  // v > 950: ids 96..100 (v is not a key column: a full scan).
  auto op = MakeTableScan(*ctx_, t, Compare(ast::BinaryOp::kGt, Col(1), Const(950)));
  EXPECT_EQ(Column(Drain(*op, 2)), (std::vector<int64_t>{96, 97, 98, 99, 100}));
}

TEST_F(ExecTest, TableReaderPicksPointAndRangePaths) {
  TableDef t = MakeTable(1000);
  {
    BoundExpr where = Compare(ast::BinaryOp::kEq, Col(0), Const(500));
    TableReader reader(*pager_, t);
    ASSERT_TRUE(reader.Open(&where));
    EXPECT_EQ(reader.path(), TableReader::Path::kPoint);
    auto op = MakeTableScan(*ctx_, t, std::move(where));
    EXPECT_EQ(Column(Drain(*op)), (std::vector<int64_t>{500}));
  }
  {
    BoundExpr where;
    where.kind = ExprKind::kAnd;
    where.type = SqlType{TypeId::kBool, -1};
    where.args.push_back(Compare(ast::BinaryOp::kGe, Col(0), Const(998)));
    // 5 > id is id < 5: with id >= 998 nothing at all.
    where.args.push_back(Compare(ast::BinaryOp::kGt, Const(5), Col(0)));
    TableReader reader(*pager_, t);
    ASSERT_TRUE(reader.Open(&where));
    EXPECT_EQ(reader.path(), TableReader::Path::kEmpty);
  }
  {
    BoundExpr where;
    where.kind = ExprKind::kAnd;
    where.type = SqlType{TypeId::kBool, -1};
    where.args.push_back(Compare(ast::BinaryOp::kGt, Col(0), Const(995)));
    where.args.push_back(Compare(ast::BinaryOp::kLe, Col(0), Const(998)));
    TableReader reader(*pager_, t);
    ASSERT_TRUE(reader.Open(&where));
    EXPECT_EQ(reader.path(), TableReader::Path::kRange);
    Row row;
    std::vector<int64_t> ids;
    for (;;) {
      auto more = reader.Next(row);
      ASSERT_TRUE(more);
      if (!*more) break;
      ids.push_back(DatumAs<int64_t>(row[0]));
    }
    // The range reads exactly the rows in it.
    EXPECT_EQ(ids, (std::vector<int64_t>{996, 997, 998}));
    auto op = MakeTableScan(*ctx_, t, std::move(where));
    EXPECT_EQ(Column(Drain(*op)), (std::vector<int64_t>{996, 997, 998}));
  }
}

TEST_F(ExecTest, TableReaderReadsTheRangesOfAnIndexPath) {
  TableDef t = MakeTable(1000);
  // A non-unique index on v % 10 would need an expression: index v itself, whose values are
  // id * 10, plus a second row per value to show equal keys stay apart.
  IndexDef ix;
  ix.name = "t_v_idx";
  ix.columns = {1};
  ix.unique = false;
  ix.constraint = false;
  auto root = storage::BTree::Create(*pager_);
  ASSERT_TRUE(root);
  ix.root = *root;
  t.indexes.push_back(ix);
  storage::BTree table_tree(*pager_, t.root);
  std::string record;
  for (int64_t i = 1001; i <= 1010; ++i) {  // v = 50 again, ten times
    record.clear();
    EncodeRow(Row{Datum(i), Datum(int64_t{50})}, record);
    ASSERT_TRUE(table_tree.Insert(RowidKey(i), record));
  }
  storage::BTree index_tree(*pager_, ix.root);
  std::string key;
  for (int64_t i = 1; i <= 1010; ++i) {
    const Row row{Datum(i), Datum(i <= 1000 ? i * 10 : int64_t{50})};
    IndexKey(t, t.indexes[0], row, RowidKey(i), key);
    ASSERT_TRUE(index_tree.Insert(key, RowidKey(i)));
  }
  auto ids = [&](const BoundExpr& where, bool backward = false) {
    std::vector<int64_t> out;
    auto path = IndexPathFor(t, where);
    EXPECT_TRUE(path.has_value());
    if (!path) return out;
    TableReader reader(*pager_, t);
    reader.set_backward(backward);
    EXPECT_TRUE(reader.Open(&where, &*path));
    // An empty range set is known at open.
    EXPECT_NE(reader.path(), TableReader::Path::kScan);
    Row row;
    for (;;) {
      auto more = reader.Next(row);
      EXPECT_TRUE(more);
      if (!more || !*more) break;
      out.push_back(DatumAs<int64_t>(row[0]));
    }
    return out;
  };
  // Equality: every row of the value, in rowid order within it.
  EXPECT_EQ(ids(Compare(ast::BinaryOp::kEq, Col(1), Const(50))),
            (std::vector<int64_t>{5, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010}));
  // A range bounded on both sides, in key order; a bound outside the values reads nothing.
  BoundExpr range;
  range.kind = ExprKind::kAnd;
  range.type = SqlType{TypeId::kBool, -1};
  range.args.push_back(Compare(ast::BinaryOp::kGt, Col(1), Const(9950)));
  range.args.push_back(Compare(ast::BinaryOp::kLe, Col(1), Const(9980)));
  EXPECT_EQ(ids(range), (std::vector<int64_t>{996, 997, 998}));
  // Backward: the same entries from the last (equal keys in descending rowid order).
  EXPECT_EQ(ids(range, true), (std::vector<int64_t>{998, 997, 996}));
  EXPECT_EQ(ids(Compare(ast::BinaryOp::kEq, Col(1), Const(50)), true),
            (std::vector<int64_t>{1010, 1009, 1008, 1007, 1006, 1005, 1004, 1003, 1002, 1001, 5}));
  BoundExpr in_list;
  in_list.kind = ExprKind::kIn;
  in_list.type = SqlType{TypeId::kBool, -1};
  in_list.args = {Col(1), Const(9990), Const(20), Const(7), Const(9000)};
  EXPECT_EQ(ids(in_list), (std::vector<int64_t>{2, 900, 999}));
  EXPECT_EQ(ids(in_list, true), (std::vector<int64_t>{999, 900, 2}));
  range.args[1] = Compare(ast::BinaryOp::kLt, Col(1), Const(-5));
  EXPECT_TRUE(ids(range).empty());
  EXPECT_TRUE(ids(range, true).empty());
  // A one-sided range is not an index path (the rule); nor is = on the rowid (a point).
  EXPECT_FALSE(IndexPathFor(t, Compare(ast::BinaryOp::kGt, Col(1), Const(9950))).has_value());
  EXPECT_FALSE(IndexPathFor(t, Compare(ast::BinaryOp::kEq, Col(0), Const(3))).has_value());
}

TEST_F(ExecTest, TableReaderReadsRowidPathsBackward) {
  TableDef t = MakeTable(1000);
  auto ids = [&](const BoundExpr* where) {
    std::vector<int64_t> out;
    TableReader reader(*pager_, t);
    reader.set_backward(true);
    EXPECT_TRUE(reader.Open(where));
    Row row;
    for (;;) {
      auto more = reader.Next(row);
      EXPECT_TRUE(more);
      if (!more || !*more) break;
      out.push_back(DatumAs<int64_t>(row[0]));
    }
    return out;
  };
  // The whole table, last row first.
  std::vector<int64_t> all = ids(nullptr);
  ASSERT_EQ(all.size(), 1000u);
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<int64_t>(1000 - i));
  // A rowid range, both bounds inclusive as written.
  BoundExpr where;
  where.kind = ExprKind::kAnd;
  where.type = SqlType{TypeId::kBool, -1};
  where.args.push_back(Compare(ast::BinaryOp::kGe, Col(0), Const(995)));
  where.args.push_back(Compare(ast::BinaryOp::kLe, Col(0), Const(998)));
  EXPECT_EQ(ids(&where), (std::vector<int64_t>{998, 997, 996, 995}));
  // One-sided: from the bound (or the end) down.
  BoundExpr below = Compare(ast::BinaryOp::kLt, Col(0), Const(4));
  EXPECT_EQ(ids(&below), (std::vector<int64_t>{3, 2, 1}));
  BoundExpr above = Compare(ast::BinaryOp::kGt, Col(0), Const(997));
  EXPECT_EQ(ids(&above), (std::vector<int64_t>{1000, 999, 998}));
  BoundExpr beyond = Compare(ast::BinaryOp::kGt, Col(0), Const(2000));
  EXPECT_TRUE(ids(&beyond).empty());
  // rowid IN (...): the values' rows, the greatest first; a missing value skipped.
  BoundExpr in_list;
  in_list.kind = ExprKind::kIn;
  in_list.type = SqlType{TypeId::kBool, -1};
  in_list.args = {Col(0), Const(7), Const(1500), Const(3), Const(999)};
  EXPECT_EQ(ids(&in_list), (std::vector<int64_t>{999, 7, 3}));
  // A point lookup returns its row either way.
  BoundExpr point = Compare(ast::BinaryOp::kEq, Col(0), Const(500));
  EXPECT_EQ(ids(&point), (std::vector<int64_t>{500}));
}

TEST_F(ExecTest, LimitOverAScanStopsTheScan) {
  TableDef t = MakeTable(5000);
  auto op = MakeLimit(MakeTableScan(*ctx_, t, std::nullopt), 0, 1);
  OperatorRows rows(
      std::make_unique<ReadContext>(ReadContext{*pager_, InterruptCheck(nullptr, nullptr)}),
      std::move(op));
  std::vector<Row> out;
  auto n = rows.NextBatch(kBatchRows, &out);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1u);
  auto end = rows.NextBatch(kBatchRows, &out);
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, 0u);
}

TEST_F(ExecTest, AScanWhoseFilterRejectsEveryRowStillStopsWhenInterrupted) {
  // The reader applies the filter and reads on past rejected rows inside one Next: it must poll
  // the interrupts itself, or a cancelled scan of a big table that matches nothing runs on.
  TableDef t = MakeTable(5000);
  InterruptFlag flag;
  ReadContext ctx{*pager_, InterruptCheck(nullptr, &flag)};
  flag.Raise(InterruptReason::kCancel);
  auto op = MakeTableScan(ctx, t, Compare(ast::BinaryOp::kLt, Col(1), Const(0)));
  Batch b;
  auto r = op->Next(kBatchRows, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "57014");
}

TEST_F(ExecTest, AFilteredScanDecodesTheNeededColumnsOfTheRowsItKeeps) {
  // (id, v, s): the filter reads v; the plan needs v and s (a first pass over a row decodes v, a
  // second v and s for a row kept). A kept row has both, and the rows the filter rejected are
  // counted for EXPLAIN ANALYZE.
  TableDef t;
  t.name = "w";
  t.columns = {ColumnDef{"id", kInt}, ColumnDef{"v", kInt},
               ColumnDef{"s", SqlType{TypeId::kText, -1}}};
  t.rowid_column = 0;
  auto root = storage::BTree::Create(*pager_);
  ASSERT_TRUE(root);
  t.root = *root;
  storage::BTree tree(*pager_, t.root);
  std::string record;
  for (int64_t i = 1; i <= 300; ++i) {
    record.clear();
    EncodeRow(Row{Datum(i), Datum(i % 7), Datum("text of row " + std::to_string(i))}, record);
    ASSERT_TRUE(tree.Insert(RowidKey(i), record));
  }
  auto op = MakeTableScan(*ctx_, t, Compare(ast::BinaryOp::kEq, Col(1), Const(3)), std::nullopt,
                          std::vector<bool>{false, true, true});
  auto rows = Drain(*op, 16);
  ASSERT_EQ(rows.size(), 43u);  // i % 7 == 3 for i in 1..300: 3, 10, ..., 297
  for (size_t k = 0; k < rows.size(); ++k) {
    EXPECT_EQ(DatumAs<int64_t>(rows[k][1]), 3);
    EXPECT_EQ(DatumAs<std::string>(rows[k][2]), "text of row " + std::to_string(3 + 7 * k));
  }
  OperatorFacts facts;
  op->ReportFacts(facts);
  EXPECT_EQ(facts.rows_removed, 300u - 43u);
}

TEST_F(ExecTest, ScanStopsWhenInterrupted) {
  TableDef t = MakeTable(2000);
  InterruptFlag flag;
  ReadContext ctx{*pager_, InterruptCheck(nullptr, &flag)};
  flag.Raise(InterruptReason::kCancel);
  auto op = MakeTableScan(ctx, t, std::nullopt);
  Batch b;
  auto r = op->Next(kBatchRows, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "57014");
}

}  // namespace
}  // namespace sqlrite::engine::exec

namespace sqlrite::engine::exec {
namespace {

// Rows (partition, order key, value); the window's calls read them as columns 0, 1, 2.
std::vector<Row> Triples(std::initializer_list<std::initializer_list<int64_t>> rows) {
  std::vector<Row> out;
  for (const auto& r : rows) {
    Row row;
    for (int64_t v : r) {
      row.emplace_back();
      if (v != -999) row.back() = v;
    }
    out.push_back(std::move(row));
  }
  return out;
}

WindowCall Call(WindowFuncKind kind, std::vector<BoundExpr> args = {}) {
  WindowCall c;
  c.kind = kind;
  c.args = std::move(args);
  c.type = kInt;
  return c;
}

WindowCall SumOf(BoundExpr arg) {
  WindowCall c;
  c.kind = WindowFuncKind::kAggregate;
  c.agg.kind = AggKind::kSum;
  c.agg.arg = std::move(arg);
  c.agg.type = SqlType{TypeId::kNumeric, -1};
  c.type = c.agg.type;
  return c;
}

WindowSpec PartitionedBy0OrderedBy1(int frame = ast::kFrameDefaults) {
  WindowSpec spec;
  spec.partition_by.push_back(Col(0));
  spec.order_by.push_back(WindowOrderKey{Col(1), false, false});
  spec.frame.options = frame;
  return spec;
}

std::vector<std::string> Texts(const std::vector<Row>& rows, size_t c) {
  std::vector<std::string> out;
  for (const Row& r : rows)
    out.push_back(IsNull(r[c]) ? "NULL" : FormatText(r[c], TypeId::kNumeric));
  return out;
}

TEST_F(ExecTest, WindowRanksRestartAtEachPartitionAcrossBatches) {
  // Partition 1 has peers (order key 2 twice); partition 2 spans the batch boundary.
  auto op = MakeWindowAgg(
      *ctx_, Source(Triples({{1, 1, 10}, {1, 2, 20}, {1, 2, 30}, {2, 5, 1}, {2, 6, 2}})),
      PartitionedBy0OrderedBy1(),
      {Call(WindowFuncKind::kRowNumber), Call(WindowFuncKind::kRank),
       Call(WindowFuncKind::kDenseRank)},
      kNoAggregates);
  auto rows = Drain(*op, 2);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{1, 2, 3, 1, 2}));
  EXPECT_EQ(Column(rows, 4), (std::vector<int64_t>{1, 2, 2, 1, 2}));
  EXPECT_EQ(Column(rows, 5), (std::vector<int64_t>{1, 2, 2, 1, 2}));
  EXPECT_EQ(Column(rows, 2), (std::vector<int64_t>{10, 20, 30, 1, 2}));  // input kept
}

TEST_F(ExecTest, WindowDefaultFrameSumsUpToTheLastPeer) {
  auto op =
      MakeWindowAgg(*ctx_, Source(Triples({{1, 1, 10}, {1, 2, 20}, {1, 2, 30}, {1, 3, -999}})),
                    PartitionedBy0OrderedBy1(), {SumOf(Col(2))}, kNoAggregates);
  EXPECT_EQ(Texts(Drain(*op), 3), (std::vector<std::string>{"10", "60", "60", "60"}));
}

TEST_F(ExecTest, WindowRowsFrameWithOffsetsAndExclusion) {
  WindowSpec spec =
      PartitionedBy0OrderedBy1(ast::kFrameNonDefault | ast::kFrameRows | ast::kFrameBetween |
                               ast::kFrameStartOffsetPreceding | ast::kFrameEndOffsetFollowing |
                               ast::kFrameExcludeCurrentRow);
  spec.frame.start_offset = Const(1);
  spec.frame.end_offset = Const(1);
  auto op = MakeWindowAgg(*ctx_, Source(Triples({{1, 1, 1}, {1, 2, 2}, {1, 3, 4}, {1, 4, 8}})),
                          std::move(spec), {SumOf(Col(2))}, kNoAggregates);
  EXPECT_EQ(Texts(Drain(*op), 3), (std::vector<std::string>{"2", "5", "10", "4"}));
}

TEST_F(ExecTest, WindowLagLeadAndNtile) {
  auto op = MakeWindowAgg(
      *ctx_, Source(Triples({{1, 1, 10}, {1, 2, 20}, {1, 3, 30}, {1, 4, 40}, {1, 5, 50}})),
      PartitionedBy0OrderedBy1(),
      {Call(WindowFuncKind::kLag, {Col(2)}),
       Call(WindowFuncKind::kLead, {Col(2), Const(2), Const(-1)}),
       Call(WindowFuncKind::kNtile, {Const(2)})},
      kNoAggregates);
  auto rows = Drain(*op);
  EXPECT_EQ(Column(rows, 3), (std::vector<int64_t>{-999, 10, 20, 30, 40}));
  EXPECT_EQ(Column(rows, 4), (std::vector<int64_t>{30, 40, 50, -1, -1}));
  EXPECT_EQ(Column(rows, 5), (std::vector<int64_t>{1, 1, 1, 2, 2}));
}

TEST_F(ExecTest, WindowNtileOfZeroIs22014) {
  auto op = MakeWindowAgg(*ctx_, Source(Triples({{1, 1, 10}})), PartitionedBy0OrderedBy1(),
                          {Call(WindowFuncKind::kNtile, {Const(0)})}, kNoAggregates);
  Batch b;
  auto r = op->Next(10, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, std::string(sqlstate::kInvalidArgumentForNtileFunction));
}

TEST_F(ExecTest, WindowNegativeRowsOffsetIs22013) {
  WindowSpec spec =
      PartitionedBy0OrderedBy1(ast::kFrameNonDefault | ast::kFrameRows |
                               ast::kFrameStartOffsetPreceding | ast::kFrameEndCurrentRow);
  spec.frame.start_offset = Const(-1);
  auto op = MakeWindowAgg(*ctx_, Source(Triples({{1, 1, 10}})), std::move(spec), {SumOf(Col(2))},
                          kNoAggregates);
  Batch b;
  auto r = op->Next(10, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, std::string(sqlstate::kInvalidPrecedingOrFollowingSize));
  EXPECT_EQ(r.error().message, "frame starting offset must not be negative");
}

TEST_F(ExecTest, WindowRangeOffsetFrameFollowsTheKeys) {
  // RANGE BETWEEN 2 PRECEDING AND CURRENT ROW over keys 1 2 4 7 8 NULL: the in_range condition
  // over [row key, current key, offset] is row >= current - offset; a NULL key's frame is the
  // NULL peers.
  WindowSpec spec;
  spec.order_by.push_back(WindowOrderKey{Col(1), false, false});
  spec.frame.options = ast::kFrameNonDefault | ast::kFrameRange | ast::kFrameBetween |
                       ast::kFrameStartOffsetPreceding | ast::kFrameEndCurrentRow;
  spec.frame.start_offset = Const(2);
  BoundExpr minus;
  minus.kind = ExprKind::kArith;
  minus.op = ast::BinaryOp::kSub;
  minus.type = kInt;
  minus.args = {Col(1), Col(2)};
  spec.frame.start_in_range = Compare(ast::BinaryOp::kGe, Col(0), std::move(minus));
  WindowCall count;
  count.kind = WindowFuncKind::kAggregate;
  count.agg.kind = AggKind::kCountStar;
  count.agg.type = kInt;
  count.type = kInt;
  auto op = MakeWindowAgg(
      *ctx_, Source(Triples({{1, 1, 0}, {1, 2, 0}, {1, 4, 0}, {1, 7, 0}, {1, 8, 0}, {1, -999, 0}})),
      std::move(spec), {count}, kNoAggregates);
  EXPECT_EQ(Column(Drain(*op), 3), (std::vector<int64_t>{1, 2, 2, 1, 2, 1}));
}

TEST_F(ExecTest, WindowStopsWhenInterrupted) {
  InterruptFlag flag;
  ReadContext ctx{*pager_, InterruptCheck(nullptr, &flag)};
  std::vector<Row> in;
  for (int64_t i = 0; i < 5000; ++i) in.push_back(Row{Datum(int64_t{1}), Datum(i), Datum(i)});
  flag.Raise(InterruptReason::kCancel);
  auto op = MakeWindowAgg(ctx, Source(std::move(in)), PartitionedBy0OrderedBy1(), {SumOf(Col(2))},
                          kNoAggregates);
  Batch b;
  auto r = op->Next(10, b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "57014");
}

TEST_F(ExecTest, WindowRunningSumOverManyRowsIsLinear) {
  // 200k rows in one partition: a quadratic running sum would not finish in time.
  std::vector<Row> rows;
  for (int64_t i = 0; i < 200000; ++i)
    rows.push_back(Row{Datum(int64_t{1}), Datum(i), Datum(int64_t{1})});
  WindowSpec spec;
  spec.order_by.push_back(WindowOrderKey{Col(1), false, false});
  auto op = MakeWindowAgg(*ctx_, Source(std::move(rows)), std::move(spec), {SumOf(Col(2))},
                          kNoAggregates);
  auto out = Drain(*op);
  ASSERT_EQ(out.size(), 200000u);
  EXPECT_EQ(FormatText(out.back()[3], TypeId::kNumeric), "200000");
}

}  // namespace
}  // namespace sqlrite::engine::exec
