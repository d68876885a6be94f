// MERGE through the facade (engine/merge.h): its actions, the first WHEN clause that holds, the
// 21000 of a target row two source rows would change, the names a WHEN NOT MATCHED clause may not
// read, its refusals, and $n parameters of the extended protocol.

#include "engine/merge.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/sqlstate.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Rows_ = std::vector<std::string>;

class MergeTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table tgt (id int primary key, v text, n int default 7)");
    Ok("create table src (id int, v text)");
    Ok("create table bag (item text, n int)");  // no key at all
    Ok("insert into tgt values (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)");
    Ok("insert into src values (1, 'x'), (3, 'y'), (4, 'z')");
    Ok("insert into bag values ('apple', 1), ('apple', 1), ('kiwi', 2)");
  }
};

TEST_F(MergeTest, UpdatesMatchedRowsAndInsertsTheOthers) {
  EXPECT_EQ(Ok("merge into tgt t using src s on t.id = s.id "
               "when matched then update set v = s.v "
               "when not matched then insert (id, v) values (s.id, s.v)")
                .command_tag,
            "MERGE 3");
  EXPECT_EQ(Rows("select * from tgt order by id"), Rows_({"1|x|1", "2|b|2", "3|y|3", "4|z|7"}));
}

TEST_F(MergeTest, TheFirstClauseWhoseConditionHoldsActsAndDoNothingIsNotCounted) {
  EXPECT_EQ(Ok("merge into tgt t using src s on t.id = s.id "
               "when matched and s.v = 'x' then delete "
               "when matched and t.n > 100 then update set v = 'never' "
               "when matched then do nothing "
               "when not matched and s.id > 10 then insert values (s.id) "
               "when not matched then insert values (s.id * 10, 'new', 0)")
                .command_tag,
            "MERGE 2");
  EXPECT_EQ(Rows("select * from tgt order by id"), Rows_({"2|b|2", "3|c|3", "40|new|0"}));
}

TEST_F(MergeTest, ATargetRowTwoSourceRowsWouldChangeIs21000AndChangesNothing) {
  Ok("insert into src values (1, 'again')");
  Error e = Err("merge into tgt t using src s on t.id = s.id when matched then update set v = s.v");
  EXPECT_EQ(e.sqlstate, sqlstate::kCardinalityViolation);
  EXPECT_EQ(e.message, "MERGE command cannot affect row a second time");
  EXPECT_EQ(e.hint, "Ensure that not more than one source row matches any one target row.");
  EXPECT_EQ(Rows("select v from tgt order by id"), Rows_({"a", "b", "c"}));
  // Doing nothing twice is no change; changing once after doing nothing is one.
  EXPECT_EQ(
      Ok("merge into tgt t using src s on t.id = s.id when matched then do nothing").command_tag,
      "MERGE 0");
  EXPECT_EQ(Ok("merge into tgt t using src s on t.id = s.id "
               "when matched and s.v = 'again' then update set v = 'once'")
                .command_tag,
            "MERGE 1");
  EXPECT_EQ(Rows("select v from tgt order by id"), Rows_({"once", "b", "c"}));
}

TEST_F(MergeTest, AnEarlierChangesConstraintErrorComesBefore21000) {
  Ok("create unique index tgt_v on tgt (v)");
  Error e =
      Err("merge into tgt t using (values (1, 'b'), (1, 'b')) as s(id, v) on t.id = s.id "
          "when matched then update set v = s.v");
  EXPECT_EQ(e.sqlstate, sqlstate::kUniqueViolation);
  EXPECT_EQ(Err("merge into tgt t using (values (1, 'q'), (1, 'q')) as s(id, v) on t.id = s.id "
                "when matched then update set v = s.v")
                .sqlstate,
            sqlstate::kCardinalityViolation);
  EXPECT_EQ(Rows("select v from tgt order by id"), Rows_({"a", "b", "c"}));
}

TEST_F(MergeTest, NotMatchedClausesCannotReadTheTarget) {
  Error qualified =
      Err("merge into tgt t using src s on t.id = s.id "
          "when not matched then insert values (s.id, t.v)");
  EXPECT_EQ(qualified.sqlstate, sqlstate::kUndefinedTable);
  EXPECT_EQ(qualified.message, "invalid reference to FROM-clause entry for table \"t\"");
  EXPECT_EQ(qualified.hint,
            "There is an entry for table \"t\", but it cannot be referenced from this part of the "
            "query.");
  Error bare =
      Err("merge into tgt t using src s on t.id = s.id "
          "when not matched and n > 0 then insert values (s.id)");
  EXPECT_EQ(bare.sqlstate, sqlstate::kUndefinedColumn);
  EXPECT_EQ(bare.message, "column \"n\" does not exist");
  // A name both have is the source's there.
  EXPECT_EQ(Ok("merge into tgt t using src s on t.id = s.id "
               "when not matched then insert values (id, v)")
                .command_tag,
            "MERGE 1");
  EXPECT_EQ(Rows("select * from tgt where id = 4"), Rows_({"4|z|7"}));
}

TEST_F(MergeTest, RefusesWhatPostgreSQL15Refuses) {
  Ok("create view tv as select * from tgt");
  Error view = Err("merge into tv using src on tv.id = src.id when matched then delete");
  EXPECT_EQ(view.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(view.message, "cannot execute MERGE on relation \"tv\"");
  EXPECT_EQ(view.detail, "This operation is not supported for views.");
  EXPECT_EQ(Err("merge into nosuch using src on true when matched then delete").sqlstate,
            sqlstate::kUndefinedTable);
  EXPECT_EQ(Err("merge into tgt using nosuch on true when matched then delete").sqlstate,
            sqlstate::kUndefinedTable);
  EXPECT_EQ(Err("merge into tgt using src on tgt.id = src.id when matched then delete "
                "when matched then do nothing")
                .message,
            "unreachable WHEN clause specified after unconditional WHEN clause");
  EXPECT_EQ(Err("merge into tgt using tgt on true when matched then delete").sqlstate,
            sqlstate::kDuplicateAlias);
  EXPECT_EQ(Err("merge into tgt using src on tgt.id = src.id when matched then update set v = "
                "'a', v = 'b'")
                .message,
            "multiple assignments to same column \"v\"");
  EXPECT_EQ(
      Err("merge into tgt using src on tgt.id = src.id when matched and 1 then delete").message,
      "argument of WHEN must be type boolean, not type integer");
  EXPECT_EQ(Err("merge into tgt using src on tgt.id = src.id when matched and count(*) > 1 then "
                "delete")
                .message,
            "aggregate functions are not allowed in MERGE WHEN conditions");
  EXPECT_EQ(Err("merge into tgt using src on tgt.id = src.id when not matched then insert (id, "
                "id) values (1, 2)")
                .sqlstate,
            sqlstate::kDuplicateColumn);
  EXPECT_EQ(Rows("select count(*) from tgt"), Rows_({"3"}));
}

TEST_F(MergeTest, AReadOnlyTransactionRefusesIt) {
  Ok("begin read only");
  Error e = Err("merge into tgt using src on tgt.id = src.id when matched then delete");
  EXPECT_EQ(e.sqlstate, sqlstate::kReadOnlySqlTransaction);
  EXPECT_EQ(e.message, "cannot execute MERGE in a read-only transaction");
  Ok("rollback");
  // One that only does nothing needs no write, as in PostgreSQL.
  Ok("begin read only");
  EXPECT_EQ(Ok("merge into tgt using src on tgt.id = src.id when matched then do nothing "
               "when not matched then do nothing")
                .command_tag,
            "MERGE 0");
  EXPECT_EQ(Err("merge into nosuch using src on true when matched then do nothing").sqlstate,
            sqlstate::kUndefinedTable);
  Ok("rollback");
}

TEST_F(MergeTest, IdenticalRowsOfATableWithoutKeyAreEachChanged) {
  EXPECT_EQ(Ok("merge into bag b using (values ('apple', 5)) as s(item, n) on b.item = s.item "
               "when matched then update set n = b.n + s.n")
                .command_tag,
            "MERGE 2");
  EXPECT_EQ(Rows("select item, n from bag order by item, n"),
            Rows_({"apple|6", "apple|6", "kiwi|2"}));
}

TEST_F(MergeTest, AnErrorLeavesTheTableAsItWas) {
  Error e =
      Err("merge into tgt t using src s on t.id = s.id "
          "when matched then update set v = 'changed' "
          "when not matched then insert values (1, 'duplicate')");
  EXPECT_EQ(e.sqlstate, sqlstate::kUniqueViolation);
  EXPECT_EQ(Rows("select v from tgt order by id"), Rows_({"a", "b", "c"}));
}

TEST_F(MergeTest, ParametersAreBoundInTheExtendedProtocol) {
  auto parsed = sql::Parse(
      "merge into tgt t using (select $1::int as id, $2::text as v) s on t.id = s.id "
      "when matched then update set v = s.v when not matched then insert values (s.id, $2, $3)");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 1u);
  ASSERT_TRUE((*parsed)[0].statement);
  ast::Statement statement = std::move(*(*parsed)[0].statement);
  auto described = cluster_->Describe(*session_, statement, {});
  ASSERT_TRUE(described) << described.error().message;
  ASSERT_EQ(described->param_types.size(), 3u);
  EXPECT_EQ(described->param_types[2].id, TypeId::kInt4);
  EXPECT_FALSE(described->returns_rows);
  for (std::vector<Datum> values :
       {std::vector<Datum>{Datum(int64_t{2}), Datum(std::string("p")), Datum(int64_t{0})},
        std::vector<Datum>{Datum(int64_t{9}), Datum(std::string("q")), Datum(int64_t{90})}}) {
    ParamContext params;
    params.types = described->param_types;
    params.values = &values;
    std::optional<Result<QueryResult>> out;
    cluster_->SubmitWithParams(*session_, statement, &params,
                               [&out](Result<QueryResult> r) { out.emplace(std::move(r)); });
    ASSERT_TRUE(out.has_value());
    ASSERT_TRUE(*out) << (*out).error().message;
    EXPECT_EQ((*out)->command_tag, "MERGE 1");
    EXPECT_TRUE(cluster_->SyncCommits());
  }
  EXPECT_EQ(Rows("select * from tgt order by id"), Rows_({"1|a|1", "2|p|2", "3|c|3", "9|q|90"}));
}

}  // namespace
}  // namespace sqlrite::engine
