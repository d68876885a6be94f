// SELECT, INSERT, UPDATE, DELETE.

#include <gtest/gtest.h>

#include "engine/sql/parser_test_util.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::engine::sql::parser_dml_test {
namespace {

using testing::ParseAs;
using testing::ParseError;
using testing::Show;
using testing::StatementError;

TEST(SelectTest, FullQueryBlock) {
  auto s = ParseAs<ast::Select>(
      "select distinct a, b + 1 as c, count(*) from public.t x where a > 1 group by a, b "
      "having count(*) > 2 order by a desc, 2 nulls first, b asc nulls last limit 10 offset 5");
  EXPECT_TRUE(s.distinct);
  ASSERT_EQ(s.items.size(), 3u);
  EXPECT_EQ(Show(s.items[0].expr), "a");
  EXPECT_EQ(s.items[0].alias, "");
  EXPECT_EQ(Show(s.items[1].expr), "(+ b 1)");
  EXPECT_EQ(s.items[1].alias, "c");
  EXPECT_EQ(Show(s.items[2].expr), "(count *)");
  ASSERT_EQ(s.from.size(), 1u);
  EXPECT_EQ(s.from[0].table.name, "t");
  EXPECT_EQ(s.from[0].alias, "x");
  EXPECT_EQ(Show(s.where), "(> a 1)");
  ASSERT_EQ(s.group_by.size(), 2u);
  EXPECT_EQ(Show(s.group_by[1]), "b");
  EXPECT_EQ(Show(s.having), "(> (count *) 2)");
  ASSERT_EQ(s.order_by.size(), 3u);
  EXPECT_TRUE(s.order_by[0].descending);
  EXPECT_FALSE(s.order_by[0].nulls_first.has_value());
  EXPECT_EQ(Show(s.order_by[1].expr), "2");
  EXPECT_FALSE(s.order_by[1].descending);
  EXPECT_EQ(s.order_by[1].nulls_first, std::optional<bool>(true));
  EXPECT_EQ(s.order_by[2].nulls_first, std::optional<bool>(false));
  EXPECT_EQ(Show(s.limit), "10");
  EXPECT_EQ(Show(s.offset), "5");
}

TEST(SelectTest, WithoutFrom) {
  auto s = ParseAs<ast::Select>("select 1");
  EXPECT_TRUE(s.from.empty());
  EXPECT_EQ(s.where, nullptr);
  EXPECT_EQ(s.limit, nullptr);
  EXPECT_FALSE(s.distinct);
}

TEST(SelectTest, StarsAndCrossJoin) {
  auto s = ParseAs<ast::Select>("select *, t.*, u.b from t, u as v");
  ASSERT_EQ(s.items.size(), 3u);
  EXPECT_TRUE(s.items[0].star);
  EXPECT_EQ(s.items[0].star_table, "");
  EXPECT_EQ(s.items[0].expr, nullptr);
  EXPECT_TRUE(s.items[1].star);
  EXPECT_EQ(s.items[1].star_table, "t");
  EXPECT_FALSE(s.items[2].star);
  ASSERT_EQ(s.from.size(), 2u);
  EXPECT_EQ(s.from[1].table.name, "u");
  EXPECT_EQ(s.from[1].alias, "v");
  EXPECT_EQ(s.from[1].table.location, 27);
}

TEST(SelectTest, LimitAllAndOffsetNullMeanNone) {
  auto s = ParseAs<ast::Select>("select a from t limit all offset null");
  EXPECT_EQ(s.limit, nullptr);
  EXPECT_EQ(s.offset, nullptr);
  s = ParseAs<ast::Select>("select a from t fetch first 3 rows only");
  EXPECT_EQ(Show(s.limit), "3");
  s = ParseAs<ast::Select>("select a from t limit $1");
  EXPECT_EQ(Show(s.limit), "$1");
}

TEST(SelectTest, WithListsItsQueriesInOrder) {
  ast::Select s = ParseAs<ast::Select>(
      "with recursive a(x, y) as (select 1, 2), b as materialized (select * from a) select * from "
      "b");
  EXPECT_TRUE(s.with_recursive);
  ASSERT_EQ(s.with.size(), 2u);
  EXPECT_EQ(s.with[0].name, "a");
  EXPECT_EQ(s.with[0].column_aliases, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(s.with[1].name, "b");
  ASSERT_TRUE(s.with[1].query);
  EXPECT_EQ(s.with[1].query->from.size(), 1u);
  EXPECT_EQ(s.with[0].materialize, ast::CteMaterialize::kDefault);
  EXPECT_EQ(s.with[1].materialize, ast::CteMaterialize::kAlways);
  s = ParseAs<ast::Select>("with c as not materialized (select 1) select * from c");
  EXPECT_EQ(s.with[0].materialize, ast::CteMaterialize::kNever);
}

TEST(SelectTest, UnsupportedFormsFailTheStatement) {
  struct Case {
    const char* sql;
    const char* message;
  };
  const Case cases[] = {
      {"select * from (t join u on t.a = u.a) j", "an alias on a join is not supported yet"},
      {"select * from t join u using (a) as j", "an alias on JOIN USING is not supported yet"},
      {"with recursive x(a) as (select 1) search depth first by a set o select * from x",
       "SEARCH is not supported yet"},
      {"select * from rows from (generate_series(1, 3), f() as (a int))",
       "a column definition list is not supported yet"},
      {"select * from (select * from t for update) s",
       "FOR UPDATE and FOR SHARE in a subquery, WITH query, EXPLAIN, cursor or COPY are not "
       "supported yet"},
      {"explain select * from t for share",
       "FOR UPDATE and FOR SHARE in a subquery, WITH query, EXPLAIN, cursor or COPY are not "
       "supported yet"},
  };
  for (const Case& c : cases) {
    Error e = StatementError(c.sql);
    EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported) << c.sql;
    EXPECT_EQ(e.message, c.message) << c.sql;
  }
}

TEST(SelectTest, DistinctOnKeepsItsExpressions) {
  auto s = ParseAs<ast::Select>("select distinct on (a, b + 1) a, b from t order by a");
  EXPECT_TRUE(s.distinct);
  ASSERT_EQ(s.distinct_on.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ast::ColumnRef>(s.distinct_on[0]->node));
  auto plain = ParseAs<ast::Select>("select distinct a from t");
  EXPECT_TRUE(plain.distinct);
  EXPECT_TRUE(plain.distinct_on.empty());
}

TEST(SelectTest, FetchWithTies) {
  auto s = ParseAs<ast::Select>("select a from t order by a fetch first 2 rows with ties");
  EXPECT_TRUE(s.with_ties);
  ASSERT_NE(s.limit, nullptr);
  EXPECT_FALSE(
      ParseAs<ast::Select>("select a from t order by a fetch first 2 rows only").with_ties);
  // PostgreSQL's grammar refuses WITH TIES without ORDER BY; its analysis a NULL count.
  Error e = ParseError("select a from t fetch first 2 rows with ties");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "WITH TIES cannot be specified without ORDER BY clause");
  e = StatementError("select a from t order by a fetch first null rows with ties");
  EXPECT_EQ(e.sqlstate, sqlstate::kInvalidRowCountInLimitClause);
  EXPECT_EQ(e.message, "row count cannot be null in FETCH FIRST ... WITH TIES clause");
}

TEST(SelectTest, LockingClausesOfAStatementsQuery) {
  auto s = ParseAs<ast::Select>(
      "select * from t, u for update of t nowait for share of u skip locked for key share");
  ASSERT_EQ(s.locking.size(), 3u);
  EXPECT_EQ(s.locking[0].strength, ast::LockingClause::Strength::kUpdate);
  EXPECT_EQ(s.locking[0].wait, ast::LockingClause::Wait::kNoWait);
  EXPECT_EQ(s.locking[0].of, std::vector<std::string>{"t"});
  EXPECT_EQ(s.locking[0].of_locations, std::vector<int>{34});
  EXPECT_EQ(s.locking[1].strength, ast::LockingClause::Strength::kShare);
  EXPECT_EQ(s.locking[1].wait, ast::LockingClause::Wait::kSkipLocked);
  EXPECT_EQ(s.locking[2].strength, ast::LockingClause::Strength::kKeyShare);
  EXPECT_TRUE(s.locking[2].of.empty());
  EXPECT_EQ(ParseAs<ast::Select>("select 1 for no key update").locking[0].strength,
            ast::LockingClause::Strength::kNoKeyUpdate);
  Error e = StatementError("select * from t for update of public.t");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "FOR UPDATE must specify unqualified relation names");
  EXPECT_EQ(e.position, 31);
}

TEST(SelectTest, SetOperationsNestWithOrderAndLimitOverTheWhole) {
  auto s = ParseAs<ast::Select>(
      "select a from t union all (select b from u except select 3) order by 1 limit 2");
  ASSERT_TRUE(s.set_op);
  EXPECT_EQ(s.set_op->kind, ast::SetOpKind::kUnion);
  EXPECT_TRUE(s.set_op->all);
  EXPECT_TRUE(s.items.empty());
  EXPECT_EQ(s.order_by.size(), 1u);
  EXPECT_EQ(Show(s.limit), "2");
  EXPECT_FALSE(s.set_op->left.set_op);
  EXPECT_EQ(s.set_op->left.from.size(), 1u);
  ASSERT_TRUE(s.set_op->right.set_op);
  EXPECT_EQ(s.set_op->right.set_op->kind, ast::SetOpKind::kExcept);
  EXPECT_FALSE(s.set_op->right.set_op->all);
  s = ParseAs<ast::Select>("select 1 intersect all select 2");
  ASSERT_TRUE(s.set_op);
  EXPECT_EQ(s.set_op->kind, ast::SetOpKind::kIntersect);
  EXPECT_TRUE(s.set_op->all);
}

TEST(SelectTest, ValuesAndDerivedTables) {
  auto s = ParseAs<ast::Select>("values (1, 'a'), (2, 'b') order by 1 limit 1");
  ASSERT_EQ(s.values.size(), 2u);
  EXPECT_EQ(s.values[1].size(), 2u);
  EXPECT_EQ(s.order_by.size(), 1u);
  EXPECT_EQ(Show(s.limit), "1");
  s = ParseAs<ast::Select>("select * from (values (1, 'a')) as v (x, y), (select a from t) s");
  ASSERT_EQ(s.from.size(), 2u);
  ASSERT_TRUE(s.from[0].subquery);
  EXPECT_EQ(s.from[0].alias, "v");
  EXPECT_EQ(s.from[0].column_aliases, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(s.from[0].subquery->values.size(), 1u);
  ASSERT_TRUE(s.from[1].subquery);
  EXPECT_EQ(s.from[1].alias, "s");
  EXPECT_EQ(s.from[1].subquery->from.size(), 1u);
}

TEST(SelectTest, JoinsBecomeTreesOfFromItems) {
  auto s = ParseAs<ast::Select>(
      "select * from a left join (b natural join c) on a.x = b.x, d cross join e full join f "
      "using (k, l)");
  ASSERT_EQ(s.from.size(), 2u);
  ASSERT_TRUE(s.from[0].join);
  const ast::JoinExpr& left = *s.from[0].join;
  EXPECT_EQ(left.type, ast::JoinType::kLeft);
  EXPECT_EQ(left.left.table.name, "a");
  ASSERT_TRUE(left.right.join);
  EXPECT_TRUE(left.right.join->natural);
  EXPECT_EQ(left.right.join->type, ast::JoinType::kInner);
  EXPECT_NE(left.on, nullptr);
  ASSERT_TRUE(s.from[1].join);
  const ast::JoinExpr& full = *s.from[1].join;
  EXPECT_EQ(full.type, ast::JoinType::kFull);
  EXPECT_EQ(full.using_columns, (std::vector<std::string>{"k", "l"}));
  ASSERT_TRUE(full.left.join);
  EXPECT_EQ(full.left.join->type, ast::JoinType::kCross);
  EXPECT_EQ(full.right.table.name, "f");
}

TEST(SelectTest, ExplainMarksTheSelect) {
  auto s = ParseAs<ast::Select>("explain (costs off) select 1");
  ASSERT_TRUE(s.explain.has_value());
  EXPECT_FALSE(s.explain->costs);
  s = ParseAs<ast::Select>("explain select 1");
  ASSERT_TRUE(s.explain.has_value());
  EXPECT_TRUE(s.explain->costs);
  EXPECT_FALSE(ParseAs<ast::Select>("select 1").explain.has_value());
}

TEST(SelectTest, SchemaQualifiedTables) {
  EXPECT_EQ(ParseAs<ast::Select>("select 1 from pg_catalog.pg_class").from[0].table.name,
            "pg_class");
  // Any other schema is resolved when the statement is bound (42P01 there for an unknown one,
  // engine SchemaTest).
  const ast::TableName ref = ParseAs<ast::Select>("select 1 from nope.t").from[0].table;
  EXPECT_EQ(ref.schema, "nope");
  EXPECT_EQ(ref.name, "t");
}

TEST(InsertTest, ValuesWithColumnsAndDefault) {
  auto i = ParseAs<ast::Insert>(
      "insert into t (a, b) values (1, 'x'), (default, $1) returning a, b * 2 as d");
  EXPECT_EQ(i.table.table.name, "t");
  EXPECT_EQ(i.columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(i.rows.size(), 2u);
  EXPECT_EQ(Show(i.rows[0][0]), "1");
  EXPECT_EQ(Show(i.rows[0][1]), "'x'");
  EXPECT_EQ(Show(i.rows[1][0]), "default");
  EXPECT_EQ(i.rows[1][0]->location, 39);
  EXPECT_EQ(Show(i.rows[1][1]), "$1");
  EXPECT_EQ(i.select, nullptr);
  ASSERT_EQ(i.returning.size(), 2u);
  EXPECT_EQ(i.returning[1].alias, "d");
}

TEST(InsertTest, WithoutColumnsAndReturningStar) {
  auto i = ParseAs<ast::Insert>("insert into public.t values (1) returning *");
  EXPECT_TRUE(i.columns.empty());
  ASSERT_EQ(i.rows.size(), 1u);
  ASSERT_EQ(i.returning.size(), 1u);
  EXPECT_TRUE(i.returning[0].star);
}

TEST(InsertTest, Select) {
  auto i = ParseAs<ast::Insert>("insert into t (a) select b from u where b > 0");
  EXPECT_TRUE(i.rows.empty());
  ASSERT_NE(i.select, nullptr);
  EXPECT_EQ(i.select->from[0].table.name, "u");
  EXPECT_EQ(Show(i.select->where), "(> b 0)");
}

TEST(InsertTest, OnConflict) {
  auto i = ParseAs<ast::Insert>(
      "insert into t as x values (1) on conflict (a, b) where a > 0 do update set c = excluded.c "
      "where x.c <> excluded.c returning *");
  EXPECT_EQ(i.table.alias, "x");
  ASSERT_NE(i.on_conflict, nullptr);
  EXPECT_EQ(i.on_conflict->action, ast::OnConflict::Action::kUpdate);
  EXPECT_EQ(i.on_conflict->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Show(i.on_conflict->index_where), "(> a 0)");
  ASSERT_EQ(i.on_conflict->assignments.size(), 1u);
  EXPECT_EQ(Show(i.on_conflict->assignments[0].value), "excluded.c");
  EXPECT_EQ(Show(i.on_conflict->where), "(<> x.c excluded.c)");
  i = ParseAs<ast::Insert>(
      "insert into t default values on conflict on constraint t_pkey "
      "do nothing");
  ASSERT_NE(i.on_conflict, nullptr);
  EXPECT_EQ(i.on_conflict->action, ast::OnConflict::Action::kNothing);
  EXPECT_EQ(i.on_conflict->constraint, "t_pkey");
  EXPECT_TRUE(i.on_conflict->columns.empty());
  EXPECT_EQ(ParseAs<ast::Insert>("insert into t values (1)").on_conflict, nullptr);
  // An expression element: its text, with an empty column name in its place.
  i = ParseAs<ast::Insert>("insert into t values (1) on conflict (b, (lower(a))) do nothing");
  ASSERT_NE(i.on_conflict, nullptr);
  EXPECT_EQ(i.on_conflict->columns, (std::vector<std::string>{"b", ""}));
  EXPECT_EQ(i.on_conflict->expressions, (std::vector<std::string>{"", "lower(a)"}));
}

TEST(UpdateTest, SetWhereReturning) {
  auto u = ParseAs<ast::Update>("update t set a = a + 1, b = default where id = $1 returning a");
  EXPECT_EQ(u.table.table.name, "t");
  ASSERT_EQ(u.assignments.size(), 2u);
  EXPECT_EQ(u.assignments[0].column, "a");
  EXPECT_EQ(Show(u.assignments[0].value), "(+ a 1)");
  EXPECT_EQ(u.assignments[0].location, 13);
  EXPECT_EQ(u.assignments[1].column, "b");
  EXPECT_EQ(Show(u.assignments[1].value), "default");
  EXPECT_EQ(Show(u.where), "(= id $1)");
  ASSERT_EQ(u.returning.size(), 1u);
}

TEST(UpdateTest, PgbenchStatement) {
  auto u =
      ParseAs<ast::Update>("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;");
  EXPECT_EQ(u.table.table.name, "pgbench_accounts");
  EXPECT_EQ(Show(u.assignments[0].value), "(+ abalance $1)");
  EXPECT_EQ(u.where->location, 63);  // the "=" operator
}

// FROM: the target, then the items, under the WHERE, as one query (ast.h's from_query).
TEST(UpdateTest, FromBecomesAJoinQuery) {
  auto u = ParseAs<ast::Update>("update t as x set a = u.b from u, v where u.id = x.id");
  ASSERT_NE(u.from_query, nullptr);
  EXPECT_EQ(u.where, nullptr);
  ASSERT_EQ(u.from_query->from.size(), 3u);
  EXPECT_EQ(u.from_query->from[0].table.name, "t");
  EXPECT_EQ(u.from_query->from[0].alias, "x");
  EXPECT_EQ(u.from_query->from[2].table.name, "v");
  EXPECT_EQ(Show(u.from_query->where), "(= u.id x.id)");
  ASSERT_EQ(u.from_query->items.size(), 1u);
  EXPECT_TRUE(u.from_query->items[0].star);
}

TEST(UpdateTest, UnsupportedForms) {
  EXPECT_EQ(StatementError("update t set (a, b) = (1, 2)").sqlstate,
            sqlstate::kFeatureNotSupported);
}

TEST(DeleteTest, WhereAndReturning) {
  auto d = ParseAs<ast::Delete>("delete from t as x where x.a is null returning *");
  EXPECT_EQ(d.table.table.name, "t");
  EXPECT_EQ(d.table.alias, "x");
  EXPECT_EQ(Show(d.where), "(isnull x.a)");
  ASSERT_EQ(d.returning.size(), 1u);
  d = ParseAs<ast::Delete>("delete from t");
  EXPECT_EQ(d.where, nullptr);
  d = ParseAs<ast::Delete>("delete from t using u where u.a = t.a");
  ASSERT_NE(d.using_query, nullptr);
  EXPECT_EQ(d.where, nullptr);
  ASSERT_EQ(d.using_query->from.size(), 2u);
  EXPECT_EQ(d.using_query->from[1].table.name, "u");
  EXPECT_EQ(Show(d.using_query->where), "(= u.a t.a)");
}

}  // namespace
}  // namespace sqlrite::engine::sql::parser_dml_test
