// json and jsonb columns through the engine: stored as given / canonical, read back after a
// restart, grouped, ordered and indexed in jsonb's order, unique by jsonb equality.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/sqlstate.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class JsonColumnTest : public testing::ClusterTest {};

TEST_F(JsonColumnTest, ColumnsStoreReadBackAndSurviveARestart) {
  Ok("create table d (id int primary key, j json, b jsonb, bs jsonb[])");
  Ok("insert into d values (1, '{\"b\": 1,  \"a\": [1.50, 1e2]}', '{\"b\": 1,  \"a\": [1.50, "
     "1e2]}', "
     "array['{\"y\":1,\"x\":2}'::jsonb]), (2, null, 'null', '{}')");
  const Strings expected = {
      "1|{\"b\": 1,  \"a\": [1.50, 1e2]}|{\"a\": [1.50, 100], \"b\": 1}|{\"{\\\"x\\\": 2, "
      "\\\"y\\\": 1}\"}",
      "2|NULL|null|{}"};
  EXPECT_EQ(Rows("select * from d order by id"), expected);
  Reopen();
  EXPECT_EQ(Rows("select * from d order by id"), expected);
  EXPECT_EQ(Rows("select b -> 'a' ->> 0, j -> 'a', bs[1] ->> 'x' from d where id = 1"),
            (Strings{"1.50|[1.50, 1e2]|2"}));
  EXPECT_EQ(Err("insert into d (id, b) values (3, '{\"a\":')").sqlstate,
            sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(Err("insert into d (id, j) values (3, 1)").sqlstate, sqlstate::kDatatypeMismatch);
  // json and jsonb assign to each other (pg_cast's assignment casts); text does not.
  Ok("insert into d (id, j, b) select 3, b, j from d where id = 1");
  EXPECT_EQ(Rows("select j, b from d where id = 3"),
            (Strings{"{\"a\": [1.50, 100], \"b\": 1}|{\"a\": [1.50, 100], \"b\": 1}"}));
  EXPECT_EQ(Err("insert into d (id, b) values (4, 'x'::text)").sqlstate,
            sqlstate::kDatatypeMismatch);
}

TEST_F(JsonColumnTest, GroupOrderDistinctAndUniqueByJsonbOrder) {
  Ok("create table g (k int, v jsonb)");
  Ok("insert into g values (1, '[1, 2]'), (2, '{\"a\": 1}'), (3, '1.0'), (4, '1'), (5, '[]'), "
     "(6, '\"s\"'), (7, '{\"a\": 1.00}')");
  // PostgreSQL's order: '[]' sorts below the scalars (a scalar is an array of one element).
  EXPECT_EQ(Rows("select v from g order by v, k"),
            (Strings{"[]", "\"s\"", "1.0", "1", "[1, 2]", "{\"a\": 1}", "{\"a\": 1.00}"}));
  EXPECT_EQ(Rows("select count(*) from g group by v order by min(k)"),
            (Strings{"1", "2", "2", "1", "1"}));
  EXPECT_EQ(Rows("select count(distinct v) from g"), (Strings{"5"}));
  Ok("create index g_v on g (v)");
  EXPECT_EQ(Rows("select k from g where v = '1' order by k"), (Strings{"3", "4"}));
  Ok("create table u (v jsonb unique)");
  Ok("insert into u values ('{\"a\": 1}'), (null), (null)");
  EXPECT_EQ(Err("insert into u values ('{\"a\": 1.0}')").sqlstate, sqlstate::kUniqueViolation);
}

}  // namespace
}  // namespace sqlrite::engine
