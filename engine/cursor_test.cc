// Cursors: FETCH / MOVE positions as PostgreSQL 15 computes them (expected values recorded from
// PostgreSQL 15 over `SELECT generate_series(1,5)` cursors), and cursor lifetimes through the
// facade (transaction end, WITH HOLD, savepoints, the implicit blocks).

#include "engine/cursor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/sqlstate.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Dir = ast::Fetch::Direction;
constexpr int64_t kAll = ast::Fetch::kFetchAll;

std::unique_ptr<Cursor> Numbers(int n, bool scrollable) {
  std::vector<Row> rows;
  for (int i = 1; i <= n; ++i) rows.push_back(Row{Datum(int64_t{i})});
  Cursor::Options options;
  options.scrollable = scrollable;
  return std::make_unique<Cursor>(std::vector<ColumnInfo>{{"n", TypeId::kInt8, -1}}, options,
                                  std::make_unique<MaterializedRows>(std::move(rows)), 0);
}

// "FETCH n: a,b,c" for a fetch, "MOVE n" for a move, or the error's message.
std::string Go(Cursor& c, Dir d, int64_t count, bool move = false) {
  std::vector<Row> rows;
  Result<uint64_t> r = c.Fetch(d, count, move ? nullptr : &rows);
  if (!r) return "error: " + r.error().message;
  std::string out = (move ? "MOVE " : "FETCH ") + std::to_string(*r);
  if (move) return out;
  out += ":";
  for (size_t i = 0; i < rows.size(); ++i) {
    out += (i ? "," : "") + std::to_string(std::get<int64_t>(rows[i][0]));
  }
  return out;
}

TEST(CursorTest, ForwardFetchesAndTheEnd) {
  auto c = Numbers(5, false);
  EXPECT_EQ(Go(*c, Dir::kForward, 2), "FETCH 2:1,2");
  EXPECT_EQ(Go(*c, Dir::kForward, 1), "FETCH 1:3");
  EXPECT_EQ(Go(*c, Dir::kForward, kAll), "FETCH 2:4,5");
  EXPECT_EQ(Go(*c, Dir::kForward, 1), "FETCH 0:");
  EXPECT_EQ(Go(*c, Dir::kForward, kAll), "FETCH 0:");
}

TEST(CursorTest, ScrollingBackAndForth) {
  auto c = Numbers(5, true);
  EXPECT_EQ(Go(*c, Dir::kForward, kAll), "FETCH 5:1,2,3,4,5");
  EXPECT_EQ(Go(*c, Dir::kBackward, 1), "FETCH 1:5");  // PRIOR after the end: the last row
  EXPECT_EQ(Go(*c, Dir::kBackward, 2), "FETCH 2:4,3");
  EXPECT_EQ(Go(*c, Dir::kForward, 0), "FETCH 1:3");  // FETCH 0: the current row again
  EXPECT_EQ(Go(*c, Dir::kRelative, 0), "FETCH 1:3");
  EXPECT_EQ(Go(*c, Dir::kBackward, kAll), "FETCH 2:2,1");
  EXPECT_EQ(Go(*c, Dir::kBackward, 1), "FETCH 0:");
  EXPECT_EQ(Go(*c, Dir::kForward, 0), "FETCH 0:");  // before the first row: none
  EXPECT_EQ(Go(*c, Dir::kForward, 1), "FETCH 1:1");
  EXPECT_EQ(Go(*c, Dir::kForward, -1), "FETCH 0:");  // FORWARD -1 is BACKWARD 1
  EXPECT_EQ(Go(*c, Dir::kBackward, -2), "FETCH 2:1,2");
}

TEST(CursorTest, AbsoluteAndRelative) {
  auto c = Numbers(5, true);
  EXPECT_EQ(Go(*c, Dir::kAbsolute, 3), "FETCH 1:3");
  EXPECT_EQ(Go(*c, Dir::kAbsolute, -1), "FETCH 1:5");  // LAST
  EXPECT_EQ(Go(*c, Dir::kAbsolute, 1), "FETCH 1:1");   // FIRST
  EXPECT_EQ(Go(*c, Dir::kAbsolute, -2), "FETCH 1:4");
  EXPECT_EQ(Go(*c, Dir::kAbsolute, 9), "FETCH 0:");  // past the end: after the last row
  EXPECT_EQ(Go(*c, Dir::kBackward, 1), "FETCH 1:5");
  EXPECT_EQ(Go(*c, Dir::kAbsolute, -9), "FETCH 0:");  // before the first row
  EXPECT_EQ(Go(*c, Dir::kForward, 1), "FETCH 1:1");
  EXPECT_EQ(Go(*c, Dir::kRelative, 2), "FETCH 1:3");
  EXPECT_EQ(Go(*c, Dir::kRelative, -1), "FETCH 1:2");
  EXPECT_EQ(Go(*c, Dir::kAbsolute, 0), "FETCH 0:");  // rewinds
  EXPECT_EQ(Go(*c, Dir::kForward, 1), "FETCH 1:1");
}

TEST(CursorTest, MoveCounts) {
  auto c = Numbers(5, true);
  EXPECT_EQ(Go(*c, Dir::kForward, 0, true), "MOVE 0");  // not on a row
  EXPECT_EQ(Go(*c, Dir::kForward, 2, true), "MOVE 2");
  EXPECT_EQ(Go(*c, Dir::kForward, 0, true), "MOVE 1");  // on a row
  EXPECT_EQ(Go(*c, Dir::kForward, kAll, true), "MOVE 3");
  EXPECT_EQ(Go(*c, Dir::kBackward, kAll, true), "MOVE 5");  // a rewind from after the end
  EXPECT_EQ(Go(*c, Dir::kForward, 1), "FETCH 1:1");
  EXPECT_EQ(Go(*c, Dir::kForward, 3, true), "MOVE 3");
  EXPECT_EQ(Go(*c, Dir::kBackward, kAll, true), "MOVE 3");  // on row 4: 3 rows before it
  EXPECT_EQ(Go(*c, Dir::kForward, 1), "FETCH 1:1");
}

TEST(CursorTest, ForwardOnlyRefusesToGoBack) {
  auto c = Numbers(5, false);
  EXPECT_EQ(Go(*c, Dir::kBackward, kAll, true), "MOVE 0");  // at the start: nothing to rewind
  EXPECT_EQ(Go(*c, Dir::kAbsolute, 1), "FETCH 1:1");        // a rewind at the start is free
  EXPECT_EQ(Go(*c, Dir::kAbsolute, 4), "FETCH 1:4");        // forward from here
  std::vector<Row> rows;
  Result<uint64_t> back = c->Fetch(Dir::kBackward, 1, &rows);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().sqlstate, sqlstate::kObjectNotInPrerequisiteState);
  EXPECT_EQ(back.error().message, "cursor can only scan forward");
  EXPECT_EQ(back.error().hint, "Declare it with SCROLL option to enable backward scan.");
  EXPECT_EQ(Go(*c, Dir::kForward, 0), "error: cursor can only scan forward");  // on a row
  EXPECT_EQ(Go(*c, Dir::kAbsolute, 1), "error: cursor can only scan forward");
  EXPECT_EQ(Go(*c, Dir::kForward, kAll), "FETCH 1:5");
}

TEST(CursorTest, ForwardOnlyKeepsNoRows) {
  auto c = Numbers(1000, false);
  EXPECT_EQ(Go(*c, Dir::kForward, 999, true), "MOVE 999");
  EXPECT_EQ(Go(*c, Dir::kForward, kAll), "FETCH 1:1000");
}

TEST(CursorSetTest, LifetimesFollowTheTransaction) {
  CursorSet set;
  auto make = [](bool hold) {
    Cursor::Options o;
    o.hold = hold;
    return std::make_unique<Cursor>(std::vector<ColumnInfo>{}, o,
                                    std::make_unique<MaterializedRows>(std::vector<Row>{}), 10);
  };
  ASSERT_TRUE(set.Declare("plain", make(false), true));
  ASSERT_TRUE(set.Declare("held", make(true), true));
  Status dup = set.Declare("held", make(true), true);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().sqlstate, sqlstate::kDuplicateCursor);
  EXPECT_EQ(dup.error().message, "cursor \"held\" already exists");
  set.EndTransaction(/*committed=*/true);
  EXPECT_EQ(set.Names(), std::vector<std::string>{"held"});
  ASSERT_TRUE(set.Declare("held2", make(true), true));
  set.EndTransaction(/*committed=*/false);  // the rollback drops held2, not held
  EXPECT_EQ(set.Names(), std::vector<std::string>{"held"});
  const uint64_t mark = set.Mark();
  ASSERT_TRUE(set.Declare("after", make(false), true));
  set.RollbackTo(mark);
  EXPECT_EQ(set.Names(), std::vector<std::string>{"held"});
  EXPECT_EQ(set.held_bytes(), 10u);
  set.CloseAll();
  EXPECT_EQ(set.held_bytes(), 0u);
}

TEST(CursorSetTest, HeldBytesAreBounded) {
  CursorSet set;
  Cursor::Options o;
  auto big = std::make_unique<Cursor>(std::vector<ColumnInfo>{}, o,
                                      std::make_unique<MaterializedRows>(std::vector<Row>{}),
                                      CursorSet::kMaxHeldBytes);
  ASSERT_TRUE(set.Declare("a", std::move(big), true));
  auto one_more = std::make_unique<Cursor>(
      std::vector<ColumnInfo>{}, o, std::make_unique<MaterializedRows>(std::vector<Row>{}), 1);
  Status s = set.Declare("b", std::move(one_more), true);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().sqlstate, sqlstate::kProgramLimitExceeded);
  set.Close("a");
  EXPECT_EQ(set.held_bytes(), 0u);
}

// ---- through the facade ----

class CursorFacadeTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table t (a int primary key, b text)");
    Ok("insert into t values (1, 'x'), (2, 'y'), (3, 'z')");
  }
  // The command tag, then the first column of each row.
  std::string Ok(std::string_view sql) {
    auto r = Exec(sql);
    EXPECT_TRUE(r) << sql << ": " << (r ? "" : r.error().message);
    if (!r) return "";
    std::string out = r->command_tag;
    for (const Row& row : r->rows) out += " " + std::to_string(std::get<int64_t>(row[0]));
    return out;
  }
};

TEST_F(CursorFacadeTest, DeclareNeedsATransactionBlockUnlessHeld) {
  Error e = Err("declare c cursor for select a from t");
  EXPECT_EQ(e.sqlstate, sqlstate::kNoActiveSqlTransaction);
  EXPECT_EQ(e.message, "DECLARE CURSOR can only be used in transaction blocks");
  // The query's own errors come first, as PostgreSQL analyses it before anything else.
  EXPECT_EQ(Err("declare c cursor for select a from nosuch").sqlstate, "42P01");
  EXPECT_EQ(Ok("declare c cursor with hold for select a from t order by a"), "DECLARE CURSOR");
  EXPECT_EQ(Ok("fetch 2 from c"), "FETCH 2 1 2");
  EXPECT_EQ(Ok("close c"), "CLOSE CURSOR");
  EXPECT_EQ(Err("close c").message, "cursor \"c\" does not exist");
}

TEST_F(CursorFacadeTest, CursorsEndWithTheirTransaction) {
  Ok("begin");
  Ok("declare c cursor for select a from t order by a");
  Ok("declare h cursor with hold for select a from t order by a");
  EXPECT_EQ(Err("declare c cursor for select a from t").sqlstate, sqlstate::kDuplicateCursor);
  Ok("rollback");
  EXPECT_EQ(Err("fetch c").sqlstate, sqlstate::kInvalidCursorName);
  EXPECT_EQ(Err("fetch h").sqlstate, sqlstate::kInvalidCursorName);  // its transaction rolled back
  Ok("begin");
  Ok("declare c cursor for select a from t order by a");
  Ok("declare h cursor with hold for select a from t order by a");
  EXPECT_EQ(Ok("fetch next from h"), "FETCH 1 1");
  Ok("insert into t values (4, 'w')");  // after DECLARE: not in the held rows
  Ok("commit");
  EXPECT_EQ(Err("fetch c").sqlstate, sqlstate::kInvalidCursorName);
  EXPECT_EQ(Ok("fetch all in h"), "FETCH 2 2 3");
  Ok("begin");
  Ok("savepoint s");
  Ok("declare d cursor for select a from t");
  Ok("rollback to s");
  EXPECT_EQ(Err("fetch d").sqlstate, sqlstate::kInvalidCursorName);
  Err("select 1/0");
  EXPECT_EQ(Err("fetch h").sqlstate, sqlstate::kInFailedSqlTransaction);
  Ok("rollback");
  EXPECT_EQ(Ok("move backward all in h"), "MOVE 3");  // held cursors survive later rollbacks
  EXPECT_EQ(Ok("close all"), "CLOSE CURSOR ALL");
}

TEST_F(CursorFacadeTest, MultiStatementImplicitBlockCountsAsABlock) {
  // One query string of several statements: PostgreSQL's implicit block allows DECLARE.
  EXPECT_EQ(Ok("begin; declare c cursor for select a from t order by a; fetch 2 from c"),
            "FETCH 2 1 2");
  Ok("commit");
}

TEST_F(CursorFacadeTest, ImplicitExtendedBlockIsNotABlock) {
  ast::Transaction implicit_begin{ast::Transaction::kBegin};
  implicit_begin.implicit = true;
  ASSERT_TRUE(cluster_->Execute(*session_, ast::Statement(std::move(implicit_begin))));
  Error e = Err("declare c cursor for select a from t");
  EXPECT_EQ(e.sqlstate, sqlstate::kNoActiveSqlTransaction);
  Ok("rollback");
  ast::Transaction again{ast::Transaction::kBegin};
  again.implicit = true;
  ASSERT_TRUE(cluster_->Execute(*session_, ast::Statement(std::move(again))));
  EXPECT_EQ(Ok("begin"), "BEGIN");  // promoted to a block, without a warning
  EXPECT_EQ(Ok("declare c cursor for select a from t order by a"), "DECLARE CURSOR");
  Ok("commit");
}

TEST_F(CursorFacadeTest, ScrollabilityFollowsThePlan) {
  Ok("begin");
  Ok("declare plain cursor for select a from t order by a");
  Ok("fetch 2 from plain");
  EXPECT_EQ(Ok("fetch prior from plain"), "FETCH 1 1");  // a sort can run backward
  Ok("declare agg cursor for select count(*) from t");
  Ok("fetch agg");
  EXPECT_EQ(Err("fetch prior from agg").message, "cursor can only scan forward");
  Ok("rollback");
  Ok("begin");
  Ok("declare ns no scroll cursor for select a from t");
  Ok("fetch ns");
  EXPECT_EQ(Err("fetch prior from ns").sqlstate, sqlstate::kObjectNotInPrerequisiteState);
  Ok("rollback");
}

TEST_F(CursorFacadeTest, DescribeOfFetchReportsTheCursorsColumns) {
  Ok("begin");
  Ok("declare c binary cursor for select a, b from t");
  auto parsed = sql::Parse("fetch 1 from c");
  ASSERT_TRUE(parsed);
  auto d = cluster_->Describe(*session_, *(*parsed)[0].statement, {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->returns_rows);
  ASSERT_EQ(d->columns.size(), 2u);
  EXPECT_EQ(d->columns[1].name, "b");
  auto r = Exec("fetch 1 from c");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->binary);
  Ok("rollback");
}

}  // namespace
}  // namespace sqlrite::engine
