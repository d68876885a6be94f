// COPY through the engine's facade: Execute begins it, CopyInData / CopyInDone / CopyAbort /
// CopyOutNext drive it; rows appear only at the end, errors name the line and column, and a
// failed COPY leaves the table as it was.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/engine.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

class CopyTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Run("create table t(a int primary key, b text not null)");
  }
  Result<QueryResult> Run(std::string_view sql) { return Exec(sql); }
  std::string Count() {
    auto r = Run("select count(*) from t");
    return r && !r->rows.empty() ? FormatText(r->rows[0][0], TypeId::kInt8) : "?";
  }
};

TEST_F(CopyTest, RowsArriveInPiecesAndCommitAtTheEnd) {
  auto begun = Run("copy t from stdin with (format csv)");
  ASSERT_TRUE(begun && begun->copy);
  EXPECT_TRUE(begun->copy->from);
  EXPECT_EQ(begun->copy->columns, 2u);
  ASSERT_TRUE(cluster_->CopyInData(*session_, {"1,o", "ne\n2,\"t", "wo\"\n3,"}));
  ASSERT_TRUE(cluster_->CopyInData(*session_, {"three"}));
  auto done = cluster_->CopyInDone(*session_);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->command_tag, "COPY 3");
  EXPECT_EQ(Count(), "3");
}

TEST_F(CopyTest, ABadRowNamesItsLineAndColumnAndUndoesTheCopy) {
  ASSERT_TRUE(Run("insert into t values (100, 'kept')"));
  ASSERT_TRUE(Run("copy t from stdin"));
  auto fed = cluster_->CopyInData(*session_, {"1\tx\n2x\ty\n"});
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().sqlstate, "22P02");
  EXPECT_EQ(fed.error().context, "COPY t, line 2, column a: \"2x\"");
  EXPECT_EQ(Count(), "1");
  // The COPY is over: the session runs statements again.
  EXPECT_TRUE(Run("select 1"));
}

TEST_F(CopyTest, ConstraintViolationsCarryTheirLine) {
  ASSERT_TRUE(Run("copy t from stdin"));
  auto fed = cluster_->CopyInData(*session_, {"1\ta\n2\t\\N\n"});
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().sqlstate, "23502");
  EXPECT_EQ(fed.error().context, "COPY t, line 2: \"2\t\\N\"");
  ASSERT_TRUE(Run("copy t from stdin"));
  ASSERT_TRUE(cluster_->CopyInData(*session_, {"1\ta\n1\tb\n"}).has_value() == false);
  EXPECT_EQ(Count(), "0");
}

TEST_F(CopyTest, CopyFailInsideABlockFailsTheBlock) {
  ASSERT_TRUE(Run("begin"));
  ASSERT_TRUE(Run("insert into t values (100, 'in block')"));
  ASSERT_TRUE(Run("copy t from stdin"));
  ASSERT_TRUE(cluster_->CopyInData(*session_, {"1\tx\n"}));
  Error e =
      cluster_->CopyAbort(*session_, Error(sqlstate::kQueryCanceled, "COPY from stdin failed: no"));
  EXPECT_EQ(e.context, "COPY t, line 2");
  EXPECT_EQ(session_->tx_status(), TxStatus::kFailed);
  ASSERT_TRUE(Run("rollback"));
  EXPECT_EQ(Count(), "0");
}

TEST_F(CopyTest, CopyToSendsEveryRowInChunks) {
  ASSERT_TRUE(Run("copy t from stdin"));
  std::string data;
  for (int i = 1; i <= 5000; ++i) data += std::to_string(i) + "\tvalue " + std::to_string(i) + "\n";
  ASSERT_TRUE(cluster_->CopyInData(*session_, {data}));
  ASSERT_TRUE(cluster_->CopyInDone(*session_));
  ASSERT_TRUE(cluster_->SyncCommits());  // as the server does before acknowledging the COPY
  auto begun = Run("copy t to stdout");
  ASSERT_TRUE(begun && begun->copy && !begun->copy->from);
  std::string all;
  size_t rows = 0, calls = 0;
  for (;;) {
    std::string out;
    std::vector<size_t> ends;
    auto next = cluster_->CopyOutNext(*session_, 4096, &out, &ends);
    ASSERT_TRUE(next) << next.error().message;
    ++calls;
    rows += ends.size();
    all += out;
    if (*next) {
      EXPECT_EQ((*next)->command_tag, "COPY 5000");
      break;
    }
  }
  EXPECT_EQ(rows, 5000u);
  EXPECT_EQ(all, data);
  EXPECT_GT(calls, 10u);
}

TEST_F(CopyTest, CopyToPrintsByteaInTheSessionsByteaOutput) {
  ASSERT_TRUE(Run("create table b(v bytea)"));
  ASSERT_TRUE(Run("insert into b values ('\\x00415c0a')"));
  auto copy_out = [&](std::string_view sql) {
    auto begun = Run(sql);
    EXPECT_TRUE(begun && begun->copy);
    std::string all;
    for (;;) {
      std::string out;
      std::vector<size_t> ends;
      auto next = cluster_->CopyOutNext(*session_, 4096, &out, &ends);
      EXPECT_TRUE(next);
      all += out;
      if (!next || *next) break;
    }
    return all;
  };
  EXPECT_EQ(copy_out("copy b to stdout"), "\\\\x00415c0a\n");
  ASSERT_TRUE(Run("set bytea_output = escape"));
  // As PostgreSQL's: byteaout's \000A\\\012, its backslashes doubled by COPY's text format.
  EXPECT_EQ(copy_out("copy b to stdout"), "\\\\000A\\\\\\\\\\\\012\n");
  EXPECT_EQ(copy_out("copy b to stdout csv"), "\\000A\\\\\\012\n");
}

}  // namespace
}  // namespace sqlrite::engine
