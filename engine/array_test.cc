// Array columns through the engine: stored, read back after a restart, grouped and indexed, and
// the catalog entry's extension 10 (each column's element type).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/sqlstate.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class ArrayTest : public testing::ClusterTest {};

TEST_F(ArrayTest, ColumnsStoreReadBackAndSurviveARestart) {
  Ok("create table a (id int primary key, ia int[], ta text[], na numeric[], da date[])");
  Ok("insert into a values (1, '{1,NULL,3}', array['x y', 'q\"t', null, ''], '{1.50}', "
     "'{2024-02-29}'), (2, '{}', '{NULL}', null, '[0:0]={infinity}'), (3, null, null, null, null)");
  const Strings expected = {"1|{1,NULL,3}|{\"x y\",\"q\\\"t\",NULL,\"\"}|{1.50}|{2024-02-29}",
                            "2|{}|{NULL}|NULL|[0:0]={infinity}", "3|NULL|NULL|NULL|NULL"};
  EXPECT_EQ(Rows("select * from a order by id"), expected);
  Reopen();
  EXPECT_EQ(Rows("select * from a order by id"), expected);
  EXPECT_EQ(Rows("select id, ia[3], ta[1], da[0] from a where 3 = any (ia) or id = 2 order by id"),
            (Strings{"1|3|x y|NULL", "2|NULL|NULL|infinity"}));
  // Another element type is refused when stored, as PostgreSQL's assignment rules.
  EXPECT_EQ(Err("insert into a (id, ia) values (4, array['a'])").sqlstate,
            sqlstate::kDatatypeMismatch);
  EXPECT_EQ(Err("insert into a (id, ia) values (4, '{a}')").sqlstate,
            sqlstate::kInvalidTextRepresentation);
}

TEST_F(ArrayTest, GroupOrderDistinctAndIndexByArrayCmp) {
  Ok("create table g (k int, v int[])");
  Ok("insert into g values (1, '{2}'), (2, '{1,2}'), (3, '{1}'), (4, '{1,NULL}'), (5, '{1,2}')");
  EXPECT_EQ(Rows("select v, count(*) from g group by v order by v"),
            (Strings{"{1}|1", "{1,2}|2", "{1,NULL}|1", "{2}|1"}));
  EXPECT_EQ(Rows("select array_agg(k order by v desc, k) from g"), (Strings{"{1,4,2,5,3}"}));
  Ok("create table u (v int[] unique)");
  Ok("insert into u values ('{1,2}'), ('{1}'), (null), (null)");
  EXPECT_EQ(Err("insert into u values (array[1, 2])").sqlstate, sqlstate::kUniqueViolation);
}

}  // namespace
}  // namespace sqlrite::engine
