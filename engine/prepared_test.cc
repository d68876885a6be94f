// Prepared statements through the facade: Cluster::Describe infers parameter types as PostgreSQL
// does, Cluster::SubmitWithParams runs a statement parsed once with bound values, and running it
// again never calls libpg_query.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <optional>

#include "common/sqlstate.h"
#include "engine/engine.h"
#include "engine/prepared_plan.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

SqlType T(TypeId id) { return SqlType{id, -1}; }

class PreparedTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Run("CREATE TABLE t (a int4 PRIMARY KEY, b text, c int8, d varchar(5), e float8, f bool)");
    Run("INSERT INTO t VALUES (1, 'one', 10, 'x', 1.5, true), (2, 'two', 20, 'y', 2.5, false)");
  }
  void Run(std::string_view sql) { Ok(sql); }
  // Parses sql (one statement) and keeps its tree in statement_.
  void Prepare(std::string_view sql) {
    auto parsed = sql::Parse(sql);
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->size(), 1u);
    ASSERT_TRUE((*parsed)[0].statement);
    statement_.emplace(std::move(*(*parsed)[0].statement));
  }
  Result<Cluster::Description> Describe(std::string_view sql, std::vector<SqlType> declared = {}) {
    Prepare(sql);
    return cluster_->Describe(*session_, *statement_, std::move(declared));
  }
  std::vector<TypeId> ParamTypes(std::string_view sql, std::vector<SqlType> declared = {}) {
    auto d = Describe(sql, std::move(declared));
    EXPECT_TRUE(d) << sql << ": " << d.error().message;
    std::vector<TypeId> ids;
    if (d) {
      for (SqlType t : d->param_types) ids.push_back(t.id);
    }
    return ids;
  }
  Result<QueryResult> Execute(const Cluster::Description& d, std::vector<Datum> values,
                              PreparedPlan* plan = nullptr) {
    ParamContext params;
    params.types = d.param_types;
    params.values = &values;
    params.plan = plan;
    std::optional<Result<QueryResult>> out;
    cluster_->SubmitWithParams(*session_, *statement_, &params,
                               [&out](Result<QueryResult> r) { out.emplace(std::move(r)); });
    EXPECT_TRUE(out.has_value());  // nothing else holds the writer: never parked
    EXPECT_TRUE(cluster_->SyncCommits());
    return std::move(*out);
  }

  // Executes the prepared SELECT as the server's Execute does when it reads a snapshot, its
  // plan kept in plan: the rows (columns joined by '|'), or "ERROR <sqlstate>".
  std::vector<std::string> ReadKept(const Cluster::Description& d, std::vector<Datum> values,
                                    PreparedPlan& plan, bool* bounded = nullptr) {
    ParamContext params;
    params.types = d.param_types;
    params.values = &values;
    params.plan = &plan;
    auto read = cluster_->ReadOnSnapshot(*session_, *statement_, "", &params);
    if (!read) return {"ERROR " + read.error().sqlstate};
    if (!*read) return {"not a snapshot read"};
    if (bounded != nullptr) *bounded = (*read)->bounded;
    std::vector<std::string> out;
    std::vector<Row> batch;
    for (;;) {
      batch.clear();
      Result<size_t> got = (*read)->rows->NextBatch(100, &batch);
      if (!got) return {"ERROR " + got.error().sqlstate};
      if (*got == 0) return out;
      for (const Row& row : batch) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
          if (i > 0) line += '|';
          line += IsNull(row[i]) ? "NULL" : FormatText(row[i], (*read)->columns[i].type);
        }
        out.push_back(line);
      }
    }
  }

  std::optional<ast::Statement> statement_;
};

using Ids = std::vector<TypeId>;

TEST_F(PreparedTest, InfersParameterTypesFromContext) {
  EXPECT_EQ(ParamTypes("select b from t where a = $1"), Ids{TypeId::kInt4});
  EXPECT_EQ(ParamTypes("select b from t where $1 = c"), Ids{TypeId::kInt8});
  EXPECT_EQ(ParamTypes("insert into t (a, b, d) values ($1, $2, $3)"),
            (Ids{TypeId::kInt4, TypeId::kText, TypeId::kVarchar}));
  EXPECT_EQ(ParamTypes("select * from t limit $1 offset $2"), (Ids{TypeId::kInt8, TypeId::kInt8}));
  EXPECT_EQ(ParamTypes("select $1 + 1"), Ids{TypeId::kInt4});
  EXPECT_EQ(ParamTypes("select e * $1 from t"), Ids{TypeId::kFloat8});
  EXPECT_EQ(ParamTypes("select $1"), Ids{TypeId::kText});  // unknown stays text
  EXPECT_EQ(ParamTypes("select $1::int8"), Ids{TypeId::kInt8});
  EXPECT_EQ(ParamTypes("update t set b = $2 where a = $1"), (Ids{TypeId::kInt4, TypeId::kText}));
  EXPECT_EQ(ParamTypes("delete from t where f = $1 returning a"), Ids{TypeId::kBool});
  EXPECT_EQ(ParamTypes("select a from t where d = $1"), Ids{TypeId::kText});  // varchar = text
  EXPECT_EQ(ParamTypes("select a from t where a = $1 or c = $1"), Ids{TypeId::kInt4});
  // The prefix test as a function and as its operator (what an ORM sends): text.
  EXPECT_EQ(ParamTypes("select a from t where starts_with(b, $1)"), Ids{TypeId::kText});
  EXPECT_EQ(ParamTypes("select a from t where d ^@ $1"), Ids{TypeId::kText});
}

TEST_F(PreparedTest, StartsWithParameterIsLiteral) {
  auto d = Describe("select a from t where starts_with(b, $1) or b ^@ $2 order by a");
  ASSERT_TRUE(d) << d.error().message;
  auto r = Execute(*d, {Datum(std::string("on")), Datum(std::string("%"))});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->rows.size(), 1u);  // '%' is no wildcard
  EXPECT_EQ(std::get<int64_t>(r->rows[0][0]), 1);
  r = Execute(*d, {Datum(std::string("")), Datum()});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows.size(), 2u);  // every string starts with ''
}

TEST_F(PreparedTest, DeclaredTypesWinAndExtraParametersAreAdded) {
  EXPECT_EQ(ParamTypes("select a from t where a = $1", {T(TypeId::kInt8)}), Ids{TypeId::kInt8});
  EXPECT_EQ(ParamTypes("select a from t where a = $2", {T(TypeId::kText)}),
            (Ids{TypeId::kText, TypeId::kInt4}));
}

TEST_F(PreparedTest, UndeterminedParameterIs42P18) {
  auto d = Describe("select $1 is null");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().sqlstate, std::string(sqlstate::kIndeterminateDatatype));
  EXPECT_EQ(d.error().message, "could not determine data type of parameter $1");
  d = Describe("select $2::int");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message, "could not determine data type of parameter $1");
}

TEST_F(PreparedTest, DescribeReportsColumnsAndBindingErrors) {
  auto d = Describe("select a, b as name from t where a = $1");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->returns_rows);
  ASSERT_EQ(d->columns.size(), 2u);
  EXPECT_EQ(d->columns[1].name, "name");
  EXPECT_EQ(d->columns[0].type, TypeId::kInt4);
  d = Describe("insert into t (a) values ($1)");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->returns_rows);
  d = Describe("select nope from t where a = $1");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().sqlstate, std::string(sqlstate::kUndefinedColumn));
  // Describing writes nothing, even for an INSERT.
  d = Describe("insert into t (a, b) values (3, 'three')");
  ASSERT_TRUE(d);
  Prepare("select count(*) from t");
  auto count = Execute(Cluster::Description{}, {});
  ASSERT_TRUE(count);
  EXPECT_EQ(std::get<int64_t>(count->rows[0][0]), 2);
}

TEST_F(PreparedTest, ExecutesManyTimesWithoutParsing) {
  auto insert = Describe("insert into t (a, b) values ($1, $2)");
  ASSERT_TRUE(insert);
  const uint64_t before = sql::LibpgQueryCalls();
  for (int64_t i = 10; i < 20; ++i) {
    auto r = Execute(*insert, {Datum(i), Datum(std::string("v") + std::to_string(i))});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->command_tag, "INSERT 0 1");
  }
  EXPECT_EQ(sql::LibpgQueryCalls(), before);  // ten executions, no parse

  auto select = Describe("select b from t where a = $1");
  ASSERT_TRUE(select);
  const uint64_t before_select = sql::LibpgQueryCalls();
  for (int64_t i = 10; i < 20; ++i) {
    auto r = Execute(*select, {Datum(i)});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->rows.size(), 1u);
    EXPECT_EQ(std::get<std::string>(r->rows[0][0]), "v" + std::to_string(i));
  }
  auto none = Execute(*select, {Datum()});  // a NULL parameter matches nothing
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->rows.empty());
  EXPECT_EQ(sql::LibpgQueryCalls(), before_select);
}

TEST_F(PreparedTest, ParameterValuesAreCheckedAsAssignments) {
  auto insert = Describe("insert into t (a, d) values ($1, $2)");
  ASSERT_TRUE(insert);
  auto r = Execute(*insert, {Datum(int64_t{30}), Datum(std::string("toolong"))});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, std::string("22001"));
  r = Execute(*insert, {Datum(int64_t{1}), Datum(std::string("dup"))});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, std::string("23505"));
}

// A prepared write waits for another session's transaction like any write (parked inside the
// engine), and runs with its own values when that transaction ends.
TEST_F(PreparedTest, PreparedWriteIsParkedBehindAnotherWriter) {
  auto other = cluster_->Connect("postgres", "postgres", {});
  ASSERT_TRUE(other);
  auto begin = sql::Parse("begin; insert into t (a) values (50)");
  ASSERT_TRUE(begin);
  for (auto& ps : *begin) ASSERT_TRUE(cluster_->Execute(**other, *ps.statement));

  auto insert = Describe("insert into t (a, b) values ($1, $2)");
  ASSERT_TRUE(insert);
  std::vector<Datum> values = {Datum(int64_t{51}), Datum(std::string("parked"))};
  ParamContext params;
  params.types = insert->param_types;
  params.values = &values;
  std::optional<Result<QueryResult>> out;
  cluster_->SubmitWithParams(*session_, *statement_, &params,
                             [&out](Result<QueryResult> r) { out.emplace(std::move(r)); });
  EXPECT_FALSE(out.has_value());  // parked behind the other session's block

  auto commit = sql::Parse("commit");
  ASSERT_TRUE(commit);
  ASSERT_TRUE(cluster_->Execute(**other, *(*commit)[0].statement));
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(*out) << (*out).error().message;
  EXPECT_EQ((*out)->command_tag, "INSERT 0 1");
  EXPECT_TRUE(cluster_->SyncCommits());
  cluster_->Disconnect(**other);

  Prepare("select b from t where a = 51");
  auto row = Execute(Cluster::Description{}, {});
  ASSERT_TRUE(row);
  ASSERT_EQ(row->rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(row->rows[0][0]), "parked");
}

TEST_F(PreparedTest, ParameterOutsideAPreparedStatementIs42P02) {
  auto parsed = sql::Parse("select $1");
  ASSERT_TRUE(parsed);
  auto r = cluster_->Execute(*session_, *(*parsed)[0].statement);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, std::string(sqlstate::kUndefinedParameter));
}

using Lines = std::vector<std::string>;

TEST_F(PreparedTest, KeptPlanAnswersEveryValueOfAPointLookup) {
  auto d = Describe("select b from t where a = $1");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  bool bounded = false;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan, &bounded), Lines{"one"});
  EXPECT_TRUE(bounded);  // a point lookup, whatever the value
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{2})}, plan, &bounded), Lines{"two"});
  EXPECT_TRUE(bounded);
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{3})}, plan), Lines{});
  EXPECT_EQ(ReadKept(*d, {Datum{}}, plan), Lines{});
  EXPECT_EQ(plan.builds(), 1);  // bound and planned once
  // A column with neither key nor index: a scan, for every value.
  d = Describe("select a from t where b = $1");
  ASSERT_TRUE(d);
  PreparedPlan scan;
  EXPECT_EQ(ReadKept(*d, {Datum(std::string("two"))}, scan, &bounded), Lines{"2"});
  EXPECT_FALSE(bounded);
  Run("create table u (k text primary key, n int4)");
  Run("insert into u values ('x', 1)");
  d = Describe("select n from u where k = $1");
  ASSERT_TRUE(d);
  PreparedPlan by_index;
  EXPECT_EQ(ReadKept(*d, {Datum(std::string("x"))}, by_index, &bounded), Lines{"1"});
  EXPECT_TRUE(bounded);
}

TEST_F(PreparedTest, KeptPlanRewindsItsOperatorsForTheNextExecute) {
  // A point lookup: one tree, rewound with each Execute's value.
  auto d = Describe("select b from t where a = $1");
  ASSERT_TRUE(d);
  PreparedPlan point;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, point), Lines{"one"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{2})}, point), Lines{"two"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{3})}, point), Lines{});
  EXPECT_EQ(ReadKept(*d, {Datum{}}, point), Lines{});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, point), Lines{"one"});
  EXPECT_EQ(point.builds(), 1);
  EXPECT_EQ(point.pipeline_reuses(), 4);

  // A scan, a filter on an expression of the parameter, and a LIMIT.
  d = Describe("select a, $2::text || b from t where c > $1 * 2 limit 1");
  ASSERT_TRUE(d);
  PreparedPlan scan;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0}), Datum(std::string("x"))}, scan), Lines{"1|xone"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{7}), Datum(std::string("y"))}, scan), Lines{"2|ytwo"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{50}), Datum(std::string("z"))}, scan), Lines{});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0}), Datum(std::string("w"))}, scan), Lines{"1|wone"});
  EXPECT_EQ(scan.pipeline_reuses(), 3);

  // Dropped after its first row (a portal closed early): the next Execute starts over.
  d = Describe("select a from t where c >= $1");
  ASSERT_TRUE(d);
  PreparedPlan partial;
  {
    std::vector<Datum> values{Datum(int64_t{0})};
    ParamContext params;
    params.types = d->param_types;
    params.values = &values;
    params.plan = &partial;
    auto read = cluster_->ReadOnSnapshot(*session_, *statement_, "", &params);
    ASSERT_TRUE(read && *read);
    std::vector<Row> batch;
    ASSERT_TRUE((*read)->rows->NextBatch(1, &batch));
    ASSERT_EQ(batch.size(), 1u);
  }
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0})}, partial), (Lines{"1", "2"}));
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{15})}, partial), Lines{"2"});
  EXPECT_EQ(partial.pipeline_reuses(), 2);

  // A run-time error: that tree is not trusted again; the next one is kept.
  d = Describe("select a / $1 from t where c > 0");
  ASSERT_TRUE(d);
  PreparedPlan division;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0})}, division), Lines{"ERROR 22012"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, division), (Lines{"1", "2"}));
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{2})}, division), (Lines{"0", "1"}));
  EXPECT_EQ(division.pipeline_reuses(), 1);

  // A new snapshot each time: a commit between two Executes is seen by the rewound tree.
  Run("insert into t values (3, 'three', 30, 'z', 3.5, true)");
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, division), (Lines{"1", "2", "3"}));
  EXPECT_EQ(division.pipeline_reuses(), 2);
}

// The rows of a QueryResult, columns joined by '|', or "ERROR <sqlstate>".
std::vector<std::string> ResultLines(const Result<QueryResult>& r) {
  if (!r) return {"ERROR " + r.error().sqlstate};
  std::vector<std::string> out;
  for (const Row& row : r->rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += '|';
      line += IsNull(row[i]) ? "NULL" : FormatText(row[i], r->columns[i].type);
    }
    out.push_back(line);
  }
  return out;
}

// As the server runs by default (--point-writers on).
class PreparedPointWriterTest : public PreparedTest {
 protected:
  void SetUp() override {
    options_.point_writers = true;
    PreparedTest::SetUp();
  }
};

TEST_F(PreparedPointWriterTest, SelectKeepsItsPlanAndSeesTheBlocksOwnChanges) {
  auto run = [&](std::string_view sql) {
    auto parsed = sql::Parse(sql);
    ASSERT_TRUE(parsed);
    for (auto& ps : *parsed) {
      auto r = cluster_->Execute(*session_, *ps.statement);
      ASSERT_TRUE(r) << sql << ": " << r.error().message;
    }
  };
  PreparedPlan plan;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    // A READ COMMITTED block of point statements: a point writer (engine/point_writer.h), whose
    // SELECT runs on the engine thread over the block's overlay.
    run("begin");
    run("update t set b = 'changed " + std::to_string(round) + "' where a = 1");
    auto d = Describe("select b from t where a = $1");
    ASSERT_TRUE(d);
    EXPECT_EQ(ResultLines(Execute(*d, {Datum(int64_t{1})}, &plan)),
              std::vector<std::string>{"changed " + std::to_string(round)});
    EXPECT_EQ(ResultLines(Execute(*d, {Datum(int64_t{2})}, &plan)),
              std::vector<std::string>{"two"});
    EXPECT_EQ(ResultLines(Execute(*d, {Datum(int64_t{3})}, &plan)), std::vector<std::string>{});
    run("commit");
  }
  EXPECT_EQ(plan.builds(), 1);  // bound and planned once, for the three blocks
  EXPECT_EQ(plan.pipeline_reuses(), 8);
  // A schema change: the next block's SELECT binds again, against the new shapes.
  run("alter table t add column g int4 default 7");
  run("begin");
  run("update t set b = 'after' where a = 1");
  auto d = Describe("select b from t where a = $1");
  ASSERT_TRUE(d);
  EXPECT_EQ(ResultLines(Execute(*d, {Datum(int64_t{1})}, &plan)),
            std::vector<std::string>{"after"});
  run("commit");
  EXPECT_EQ(plan.builds(), 2);
}

TEST_F(PreparedPointWriterTest, UpdateKeepsItsBindingAcrossExecutes) {
  PreparedPlan plan;
  auto update = [&](int64_t delta, int64_t key) {
    auto d = Describe("update t set c = c + $1, b = b || 'x' where a = $2");
    EXPECT_TRUE(d);
    return d ? Execute(*d, {Datum(delta), Datum(key)}, &plan) : Fail(d.error());
  };
  // Autocommit (the classic writer) and point-writer blocks: each Execute its own values.
  ASSERT_TRUE(update(1, 1));
  ASSERT_TRUE(update(2, 2));
  for (int round = 0; round < 2; ++round) {
    Run("begin");
    ASSERT_TRUE(update(100, 1));
    ASSERT_TRUE(update(1000, 2));
    Run("commit");
  }
  EXPECT_EQ(Rows("select a, b, c from t order by a"), (Lines{"1|onexxx|211", "2|twoxxx|2022"}));
  EXPECT_EQ(plan.write_bindings(), 1);
  // An error of one execution's values (int8 overflow) leaves the binding for the next.
  auto overflow = update(std::numeric_limits<int64_t>::max(), 1);
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().sqlstate, sqlstate::kNumericValueOutOfRange);
  ASSERT_TRUE(update(-11, 1));
  EXPECT_EQ(Rows("select c from t where a = 1"), Lines{"200"});
  EXPECT_EQ(plan.write_bindings(), 1);
  // A schema change binds again, against the new shapes (c is now int4).
  Run("alter table t alter column c type int4");
  ASSERT_TRUE(update(5, 1));
  EXPECT_EQ(Rows("select c, pg_typeof(c) from t where a = 1"), Lines{"205|integer"});
  EXPECT_EQ(plan.write_bindings(), 2);
  // So does another search_path.
  Run("set search_path = public");
  ASSERT_TRUE(update(5, 1));
  EXPECT_EQ(Rows("select c from t where a = 1"), Lines{"210"});
  EXPECT_EQ(plan.write_bindings(), 3);
}

TEST_F(PreparedPointWriterTest, InsertKeepsItsBindingAcrossExecutes) {
  PreparedPlan plan;
  auto insert = [&](int64_t a, std::string b) {
    auto d = Describe("insert into t (a, b, c) values ($1, upper($2), $1 * 10)");
    EXPECT_TRUE(d);
    return d ? Execute(*d, {Datum(a), Datum(std::move(b))}, &plan) : Fail(d.error());
  };
  ASSERT_TRUE(insert(3, "three"));
  Ok("begin");
  ASSERT_TRUE(insert(4, "four"));
  ASSERT_TRUE(insert(5, "five"));
  Ok("commit");
  EXPECT_EQ(plan.write_bindings(), 1);
  // A duplicate key is this execution's error; the binding stays.
  auto duplicate = insert(3, "again");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().sqlstate, sqlstate::kUniqueViolation);
  ASSERT_TRUE(insert(6, "six"));
  EXPECT_EQ(plan.write_bindings(), 1);
  // A new column with a default: bound again, and the default fills it.
  Ok("alter table t add column g int4 default 7");
  ASSERT_TRUE(insert(7, "seven"));
  EXPECT_EQ(plan.write_bindings(), 2);
  // Another TimeZone: bound again (a constant may fold with it).
  Ok("set timezone = 'Asia/Tokyo'");
  ASSERT_TRUE(insert(8, "eight"));
  EXPECT_EQ(plan.write_bindings(), 3);
  EXPECT_EQ(Rows("select a, b, c, g from t where a >= 3 order by a"),
            (Lines{"3|THREE|30|7", "4|FOUR|40|7", "5|FIVE|50|7", "6|SIX|60|7", "7|SEVEN|70|7",
                   "8|EIGHT|80|7"}));
}

TEST_F(PreparedTest, UpdateWithSubqueryOrReturningIsNotKept) {
  PreparedPlan plan;
  auto d = Describe("update t set c = (select max(c) from t) + $1 where a = $2");
  ASSERT_TRUE(d);
  ASSERT_TRUE(Execute(*d, {Datum(int64_t{1}), Datum(int64_t{1})}, &plan));
  ASSERT_TRUE(Execute(*d, {Datum(int64_t{1}), Datum(int64_t{1})}, &plan));
  EXPECT_EQ(Rows("select c from t where a = 1"), Lines{"22"});
  d = Describe("update t set c = c + $1 where a = $2 returning c");
  ASSERT_TRUE(d);
  EXPECT_EQ(ResultLines(Execute(*d, {Datum(int64_t{1}), Datum(int64_t{1})}, &plan)), Lines{"23"});
  EXPECT_EQ(plan.write_bindings(), 0);
}

TEST_F(PreparedTest, KeptPlanBuildsAgainWhatCannotRewind) {
  // A Sort and a subquery's run state: each Execute instantiates the plan, with its own values.
  // (A time-zone-dependent expression folded with one execution's values: the TimeZone test.)
  struct Case {
    const char* query;
    Lines one, zero;  // with $1 = 1, then 0
  };
  const Case cases[] = {
      {"select a from t where c >= $1 * 15 order by a desc", {"2"}, {"2", "1"}},
      {"select a from t where c > (select min(c) from t) + $1 - 1", {"2"}, {"1", "2"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    auto d = Describe(c.query);
    ASSERT_TRUE(d);
    PreparedPlan plan;
    EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), c.one);
    EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0})}, plan), c.zero);
    EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), c.one);
    EXPECT_EQ(plan.builds(), 1);
    EXPECT_EQ(plan.pipeline_reuses(), 0);
  }
}

TEST_F(PreparedTest, KeptPlanTakesASecondaryIndexForEveryValue) {
  Run("create index t_c_idx on t (c)");
  Run("insert into t values (3, 'three', 20, 'z', 3.5, true), (4, 'four', null, 'w', 4.5, true)");
  auto d = Describe("select a from t where c = $1 order by a");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{20})}, plan), (Lines{"2", "3"}));
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{10})}, plan), Lines{"1"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{99})}, plan), Lines{});
  EXPECT_EQ(ReadKept(*d, {Datum{}}, plan), Lines{});  // = NULL: no row, not the NULL entry
  EXPECT_EQ(plan.builds(), 1);
  d = Describe("select a from t where c between $1 and $2 order by a");
  ASSERT_TRUE(d);
  PreparedPlan range;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{10}), Datum(int64_t{20})}, range), (Lines{"1", "2", "3"}));
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{20}), Datum(int64_t{10})}, range), Lines{});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{15}), Datum{}}, range), Lines{});
  EXPECT_EQ(range.builds(), 1);
}

TEST_F(PreparedTest, KeptPlanEvaluatesParametersAtRunTime) {
  // Not folded into constants at the first execution: arithmetic, casts, joins, grouping.
  auto d = Describe("select a + $1, $2::text || b from t where c > $1 * 10 order by a");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0}), Datum(std::string("x"))}, plan),
            (Lines{"1|xone", "2|xtwo"}));
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1}), Datum(std::string("y"))}, plan), Lines{"3|ytwo"});
  d = Describe(
      "select t1.a, count(*) from t t1 join t t2 on t1.a <= t2.a and t2.c > $1 "
      "group by t1.a having count(*) >= $2 order by 1");
  ASSERT_TRUE(d);
  PreparedPlan join;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0}), Datum(int64_t{1})}, join), (Lines{"1|2", "2|1"}));
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0}), Datum(int64_t{2})}, join), Lines{"1|2"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{15}), Datum(int64_t{1})}, join), (Lines{"1|1", "2|1"}));
  EXPECT_EQ(join.builds(), 1);
  // A run-time error of one value is that execution's only.
  d = Describe("select a / $1 from t order by a");
  ASSERT_TRUE(d);
  PreparedPlan division;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{0})}, division), Lines{"ERROR 22012"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, division), (Lines{"1", "2"}));
}

TEST_F(PreparedTest, KeptPlanIsRebuiltAfterASchemaChange) {
  auto d = Describe("select b from t where a = $1");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), Lines{"one"});
  Run("DROP TABLE t");
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), Lines{"ERROR 42P01"});
  Run("CREATE TABLE t (z int8, a int4 PRIMARY KEY, b text)");
  Run("INSERT INTO t VALUES (7, 1, 'new')");
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), Lines{"new"});
  EXPECT_EQ(plan.builds(), 2);
  // A write that changes no schema keeps the plan.
  Run("INSERT INTO t VALUES (8, 2, 'newer')");
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{2})}, plan), Lines{"newer"});
  EXPECT_EQ(plan.builds(), 2);
}

TEST_F(PreparedTest, KeptPlanReadsTheTimeZoneOfEachExecution) {
  // PostgreSQL folds only immutable expressions: these read TimeZone when they run. The literal
  // itself is read once, when the statement is analysed.
  auto d = Describe(
      "select '2024-01-01 10:00+00'::timestamptz::text, "
      "timestamp '2024-01-01 10:00'::timestamptz::text, "
      "(timestamptz '2024-03-30 12:00+00' + interval '1 day')::text, "
      "extract(hour from timestamptz '2024-01-01 10:00+00'), "
      "timestamptz '2024-01-01 10:00+00' = timestamp '2024-01-01 10:00', "
      "$1::timestamptz::date");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  const Datum midnight(std::string("2024-01-01 02:00+00"));
  EXPECT_EQ(ReadKept(*d, {midnight}, plan),
            Lines{"2024-01-01 10:00:00+00|2024-01-01 10:00:00+00|2024-03-31 12:00:00+00|10|t|"
                  "2024-01-01"});
  Run("SET TimeZone = 'America/New_York'");
  EXPECT_EQ(ReadKept(*d, {midnight}, plan),
            Lines{"2024-01-01 05:00:00-05|2024-01-01 10:00:00-05|2024-03-31 08:00:00-04|5|f|"
                  "2023-12-31"});
  EXPECT_EQ(plan.builds(), 1);
}

TEST_F(PreparedTest, KeptPlanFoldsZoneDependentKeysPerExecution) {
  Run("CREATE TABLE ev (at timestamptz PRIMARY KEY, what text)");
  Run("INSERT INTO ev VALUES ('2024-01-01 10:00+00', 'utc ten'), ('2024-01-01 15:00+00', "
      "'ny ten')");
  auto d = Describe("select what from ev where at = timestamp '2024-01-01 10:00'");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  EXPECT_EQ(ReadKept(*d, {}, plan), Lines{"utc ten"});
  Run("SET TimeZone = 'America/New_York'");
  EXPECT_EQ(ReadKept(*d, {}, plan), Lines{"ny ten"});
  EXPECT_EQ(plan.builds(), 1);
  EXPECT_EQ(plan.pipeline_reuses(), 0);  // its key is folded with one execution's TimeZone
}

TEST_F(PreparedTest, PlanThatNeedsAValueToBindIsNotKept) {
  auto d = Describe("select a from t order by a limit $1");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), Lines{"1"});
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{2})}, plan), (Lines{"1", "2"}));
  EXPECT_FALSE(plan.holds());
  EXPECT_EQ(plan.builds(), 0);
}

// A kept plan resolved its names under one search_path: a later SET search_path makes the next
// Execute bind again (PostgreSQL re-plans), so it reads the relation the new path finds.
TEST_F(PreparedTest, KeptPlanFollowsSearchPath) {
  Run("CREATE SCHEMA s");
  Run("CREATE TABLE s.t (a int4 PRIMARY KEY, b text)");
  Run("INSERT INTO s.t VALUES (1, 'in s')");
  auto d = Describe("select b from t where a = $1");
  ASSERT_TRUE(d);
  PreparedPlan plan;
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), Lines{"one"});
  Run("SET search_path = s, public");
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), Lines{"in s"});
  EXPECT_EQ(plan.builds(), 2);
  EXPECT_EQ(ReadKept(*d, {Datum(int64_t{1})}, plan), Lines{"in s"});
  EXPECT_EQ(plan.builds(), 2);
}

}  // namespace
}  // namespace sqlrite::engine
