// UPDATE ... FROM and DELETE ... USING through the facade (engine/dml_join.h), and TRUNCATE's
// RESTART IDENTITY (executor_ddl.cc), with the rows left afterwards.

#include "engine/dml_join.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Rows_ = std::vector<std::string>;

class DmlJoinTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table prices (item text primary key, price int)");
    Ok("create table orders (id int primary key, item text, qty int, total int)");
    Ok("create table bag (item text, n int)");  // no key at all
    Ok("insert into prices values ('apple', 3), ('pear', 5), ('fig', 7)");
    Ok("insert into orders values (1, 'apple', 2, 0), (2, 'pear', 1, 0), (3, 'kiwi', 4, 0)");
    Ok("insert into bag values ('apple', 1), ('apple', 1), ('kiwi', 2)");
  }
};

TEST_F(DmlJoinTest, UpdateFromChangesEachJoinedTargetRowOnce) {
  QueryResult r =
      Ok("update orders set total = qty * p.price from prices p "
         "where p.item = orders.item");
  EXPECT_EQ(r.command_tag, "UPDATE 2");
  EXPECT_EQ(Rows("select id, total from orders order by id"), Rows_({"1|6", "2|5", "3|0"}));
  // A target row that joins several rows is still changed once.
  EXPECT_EQ(Ok("update orders set qty = qty + 1 from prices where orders.id = 1").command_tag,
            "UPDATE 1");
  EXPECT_EQ(Rows("select qty from orders where id = 1"), Rows_({"3"}));
}

TEST_F(DmlJoinTest, ReturningSeesEveryItemAndStarListsThemAll) {
  EXPECT_EQ(Rows("update orders o set qty = 10 from prices p where p.item = o.item and "
                 "p.price = 5 returning *"),
            Rows_({"2|pear|10|0|pear|5"}));
  EXPECT_EQ(Rows("update orders set total = -1 from prices p where p.item = orders.item and "
                 "p.price = 3 returning p.*, orders.id"),
            Rows_({"apple|3|1"}));
}

TEST_F(DmlJoinTest, ATableWithoutKeysIsMatchedByItsRows) {
  EXPECT_EQ(Ok("update bag set n = n + p.price from prices p where p.item = bag.item").command_tag,
            "UPDATE 2");
  EXPECT_EQ(Rows("select item, n from bag order by item, n"),
            Rows_({"apple|4", "apple|4", "kiwi|2"}));
  EXPECT_EQ(Ok("delete from bag using prices p where p.item = bag.item").command_tag, "DELETE 2");
  EXPECT_EQ(Rows("select item from bag"), Rows_({"kiwi"}));
}

TEST_F(DmlJoinTest, DeleteUsingReturnsTheJoinedRow) {
  EXPECT_EQ(Rows("delete from orders o using prices p where p.item = o.item and p.price < 4 "
                 "returning o.id, p.price * 10"),
            Rows_({"1|30"}));
  EXPECT_EQ(Ok("delete from orders using prices where prices.item = 'none'").command_tag,
            "DELETE 0");
  EXPECT_EQ(Rows("select id from orders order by id"), Rows_({"2", "3"}));
}

TEST_F(DmlJoinTest, ErrorsAreBindingErrors) {
  EXPECT_EQ(Err("update orders set qty = p.nope from prices p where p.item = orders.item").sqlstate,
            "42703");
  Error twice = Err("update orders set qty = 1 from orders where orders.id = 1");
  EXPECT_EQ(twice.sqlstate, "42712");
  EXPECT_EQ(twice.message, "table name \"orders\" specified more than once");
  EXPECT_EQ(Err("delete from orders using nosuch where true").sqlstate, "42P01");
}

TEST_F(DmlJoinTest, TruncateRestartIdentityIsUndoneByRollback) {
  Ok("create table ser (id serial primary key, v text)");
  Ok("insert into ser (v) values ('a'), ('b')");
  Ok("truncate ser");
  EXPECT_EQ(Rows("insert into ser (v) values ('c') returning id"), Rows_({"3"}));
  Ok("truncate ser restart identity");
  EXPECT_EQ(Rows("insert into ser (v) values ('d') returning id"), Rows_({"1"}));
  Ok("insert into ser (v) values ('e')");
  Ok("begin");
  Ok("truncate ser restart identity");
  EXPECT_EQ(Rows("insert into ser (v) values ('f') returning id"), Rows_({"1"}));
  Ok("rollback");
  EXPECT_EQ(Rows("select id, v from ser order by id"), Rows_({"1|d", "2|e"}));
  // The sequence is back where it was before the block: no number is handed out twice.
  EXPECT_EQ(Rows("insert into ser (v) values ('g') returning id"), Rows_({"3"}));
}

}  // namespace
}  // namespace sqlrite::engine
