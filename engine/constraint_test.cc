// CHECK and FOREIGN KEY constraints through the facade: PostgreSQL 15's names, messages and
// SQLSTATEs, the checks on every write path (INSERT, UPDATE, DELETE, COPY FROM, the point
// statements of the io thread), the referential actions, DROP / TRUNCATE of a referenced table,
// and the definitions surviving a restart.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

class ConstraintTest : public testing::ClusterTest {
 protected:
  // The constraint an error names (its ErrorResponse field), or the message when it names none.
  std::string Violated(std::string_view sql) {
    Error e = Err(sql);
    return e.constraint_name.empty() ? e.message : e.constraint_name;
  }
  bool Short(const std::string& sql) {
    auto parsed = sql::Parse(sql);
    EXPECT_TRUE(parsed && parsed->size() == 1 && (*parsed)[0].statement) << sql;
    if (!parsed || parsed->size() != 1 || !(*parsed)[0].statement) return false;
    return cluster_->RunsShort(*session_, *(*parsed)[0].statement);
  }
  // COPY t FROM STDIN with `data`, through the facade's COPY calls.
  Result<QueryResult> CopyIn(std::string_view sql, std::string_view data) {
    SQLRITE_ASSIGN_OR_RETURN(QueryResult r, Exec(sql));
    (void)r;
    std::vector<std::string_view> pieces{data};
    // A failed piece ends the COPY (rolled back), as the copy tests show.
    if (auto fed = cluster_->CopyInData(*session_, pieces); !fed) {
      return tl::unexpected(fed.error());
    }
    return cluster_->CopyInDone(*session_);
  }
};

TEST_F(ConstraintTest, CheckNamesFollowPostgres) {
  Ok("create table t (a int check (a > 0), b int check (b > a), c int, check (c > 0), "
     "check (a < 100), check (true and c < 50), constraint mine check (c <> 7))");
  // One column read: t_col_check (numbered on a repeat); none or several: t_check, t_check1.
  EXPECT_EQ(Violated("insert into t values (0, 1, 1)"), "t_a_check");
  EXPECT_EQ(Violated("insert into t values (1, 0, 1)"), "t_check");
  EXPECT_EQ(Violated("insert into t values (1, 2, 0)"), "t_c_check");
  EXPECT_EQ(Violated("insert into t values (100, 200, 1)"), "t_a_check1");
  EXPECT_EQ(Violated("insert into t values (1, 2, 60)"), "t_c_check1");
  EXPECT_EQ(Violated("insert into t values (1, 2, 7)"), "mine");
  // Several fail: the first by name is reported, as PostgreSQL checks them in name order.
  EXPECT_EQ(Violated("insert into t values (0, -1, 0)"), "t_a_check");
  Ok("create table u (a int, check (a > 0), check (a > 1), check (1 = 1 and a > 2))");
  EXPECT_EQ(Violated("insert into u values (2)"), "u_a_check2");
}

TEST_F(ConstraintTest, CheckViolationsOnEveryWritePath) {
  Ok("create table t (id int primary key, a int check (a > 0), b text)");
  Ok("insert into t values (1, 1, 'x'), (2, null, 'y')");  // NULL passes
  Error e = Err("insert into t values (3, -1, 'z')");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(e.message, "new row for relation \"t\" violates check constraint \"t_a_check\"");
  EXPECT_EQ(e.detail, "Failing row contains (3, -1, z).");
  EXPECT_EQ(e.table_name, "t");
  EXPECT_EQ(e.constraint_name, "t_a_check");
  EXPECT_EQ(Err("update t set a = a - 5").sqlstate, std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(Err("insert into t select 9, -9, 'q'").sqlstate,
            std::string(sqlstate::kCheckViolation));
  auto copied = CopyIn("copy t from stdin", "5\t5\tok\n6\t-6\tbad\n");
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().sqlstate, std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(Rows("select id from t order by id"), (std::vector<std::string>{"1", "2"}));
}

// A point UPDATE / INSERT by primary key may run on the session's io thread: it checks too.
TEST_F(ConstraintTest, PointStatementsCheck) {
  Ok("create table p (id int primary key)");
  Ok("create table t (id int primary key, a int check (a > 0), p int references p)");
  Ok("insert into p values (1)");
  EXPECT_TRUE(Short("update t set a = -1 where id = 1"));
  EXPECT_TRUE(Short("insert into t values (2, 1, 5)"));
  Ok("insert into t values (1, 1, 1)");
  EXPECT_EQ(Err("update t set a = -1 where id = 1").sqlstate,
            std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(Err("update t set p = 2 where id = 1").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(Err("insert into t values (2, 1, 5)").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
  // A referenced table's point DELETE may cascade anywhere: the engine thread's.
  EXPECT_FALSE(Short("delete from p where id = 1"));
  EXPECT_FALSE(Short("update p set id = 2 where id = 1"));
}

TEST_F(ConstraintTest, CheckRefusals) {
  Ok("create table o (x int)");
  Error e = Err("create table t (a int check (a in (select x from o)))");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kFeatureNotSupported));
  EXPECT_EQ(e.message, "cannot use subquery in check constraint");
  e = Err("create table t (a int check (sum(a) > 0))");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kGroupingError));
  EXPECT_EQ(e.message, "aggregate functions are not allowed in check constraints");
  e = Err("create table t (a int check (a + 1))");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDatatypeMismatch));
  EXPECT_EQ(e.message, "argument of CHECK must be type boolean, not type integer");
  EXPECT_EQ(Err("create table t (a int check (nope > 0))").sqlstate,
            std::string(sqlstate::kUndefinedColumn));
  EXPECT_EQ(Err("create table t (a int, constraint c check (a > 0), constraint c check (a < 9))")
                .sqlstate,
            std::string(sqlstate::kDuplicateObject));
  EXPECT_EQ(Err("create table t (a int check (a > 0) deferrable)").sqlstate,
            std::string(sqlstate::kSyntaxError));
}

TEST_F(ConstraintTest, ForeignKeyInsertAndDelete) {
  Ok("create table p (id int primary key, name text)");
  Ok("create table c (id int primary key, p int references p)");
  Ok("insert into p values (1, 'one'), (2, 'two')");
  Ok("insert into c values (10, 1), (11, null)");  // NULL: not checked
  Error e = Err("insert into c values (12, 5)");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(e.message,
            "insert or update on table \"c\" violates foreign key constraint \"c_p_fkey\"");
  EXPECT_EQ(e.detail, "Key (p)=(5) is not present in table \"p\".");
  EXPECT_EQ(e.table_name, "c");
  EXPECT_EQ(e.constraint_name, "c_p_fkey");
  e = Err("delete from p where id = 1");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(e.message,
            "update or delete on table \"p\" violates foreign key constraint \"c_p_fkey\" on "
            "table \"c\"");
  EXPECT_EQ(e.detail, "Key (id)=(1) is still referenced from table \"c\".");
  Ok("delete from p where id = 2");
  EXPECT_EQ(Err("update p set id = 3 where id = 1").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(Err("update c set p = 2").sqlstate, std::string(sqlstate::kForeignKeyViolation));
  auto copied = CopyIn("copy c from stdin", "20\t1\n21\t7\n");
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().detail, "Key (p)=(7) is not present in table \"p\".");
  EXPECT_EQ(Rows("select id, p from c order by id"), (std::vector<std::string>{"10|1", "11|NULL"}));
}

// The checks run at the statement's end, as PostgreSQL's RI triggers.
TEST_F(ConstraintTest, SelfReferenceInOneStatement) {
  Ok("create table tree (id int primary key, parent int references tree on delete cascade)");
  Ok("insert into tree values (2, 1), (1, null), (3, 2), (4, 3)");
  EXPECT_EQ(Err("insert into tree values (5, 99)").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
  Ok("delete from tree where id = 2");
  EXPECT_EQ(Rows("select id from tree"), (std::vector<std::string>{"1"}));
}

TEST_F(ConstraintTest, Actions) {
  Ok("create table p (id int primary key, k int unique)");
  Ok("create table c (id int primary key, p int default 0 references p on delete set default "
     "on update cascade, k int references p (k) on delete set null on update restrict, "
     "q int references p on delete cascade)");
  Ok("insert into p values (0, 0), (1, 10), (2, 20)");
  Ok("insert into c values (1, 1, 10, null), (2, 2, 20, null)");
  Ok("update p set id = 5 where id = 1");
  EXPECT_EQ(Rows("select id, p from c order by id"), (std::vector<std::string>{"1|5", "2|2"}));
  EXPECT_EQ(Err("update p set k = 11 where k = 10").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
  Ok("delete from p where k = 20");  // c 2: p set to its default 0, k set to NULL
  EXPECT_EQ(Rows("select * from c order by id"),
            (std::vector<std::string>{"1|5|10|NULL", "2|0|NULL|NULL"}));
  Ok("insert into p values (3, 30)");
  Ok("update c set q = 3 where id = 2");
  Ok("delete from p where id = 3");  // cascades
  EXPECT_EQ(Rows("select id from c order by id"), (std::vector<std::string>{"1"}));
  // SET DEFAULT to a key that is not there fails like any insert of it.
  Ok("delete from c");
  Ok("insert into c values (3, 5, null, null)");
  EXPECT_EQ(Err("delete from p where id = 0 or id = 5").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
}

TEST_F(ConstraintTest, SetNullColumnsAndMatchFull) {
  Ok("create table p (a int, b int, primary key (a, b))");
  Ok("create table c (t int, a int, b int, foreign key (t, a) references p on delete set null "
     "(a))");
  Ok("create table f (a int, b int, foreign key (a, b) references p match full)");
  Ok("insert into p values (1, 2)");
  Ok("insert into c values (1, 2, 9)");
  Ok("delete from p");
  EXPECT_EQ(Rows("select * from c"), (std::vector<std::string>{"1|NULL|9"}));
  Ok("insert into f values (null, null)");
  Error e = Err("insert into f values (1, null)");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(e.detail, "MATCH FULL does not allow mixing of null and nonnull key values.");
  EXPECT_EQ(
      Err("create table g (a int, b int, x int, foreign key (a, b) references p on delete set null "
          "(x))")
          .sqlstate,
      std::string(sqlstate::kInvalidColumnReference));
}

TEST_F(ConstraintTest, ForeignKeyDefinitionErrors) {
  Ok("create table p (id int primary key, u int unique, v int, name text)");
  Ok("create table nokey (a int)");
  EXPECT_EQ(Err("create table c (p int references nosuch)").sqlstate,
            std::string(sqlstate::kUndefinedTable));
  EXPECT_EQ(Err("create table c (p int references nokey)").sqlstate,
            std::string(sqlstate::kUndefinedObject));
  Error e = Err("create table c (p int references p (v))");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kInvalidForeignKey));
  EXPECT_EQ(e.message,
            "there is no unique constraint matching given keys for referenced table \"p\"");
  e = Err("create table c (p text references p)");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDatatypeMismatch));
  EXPECT_EQ(e.message, "foreign key constraint \"c_p_fkey\" cannot be implemented");
  EXPECT_EQ(e.detail, "Key columns \"p\" and \"id\" are of incompatible types: text and integer.");
  EXPECT_EQ(Err("create table c (a int, b int, foreign key (a, b) references p (id))").sqlstate,
            std::string(sqlstate::kInvalidForeignKey));
  EXPECT_EQ(Err("create table c (p int references p (nope))").sqlstate,
            std::string(sqlstate::kUndefinedColumn));
  // Deferrable foreign keys are built (DeferredForeignKeysAreCheckedAtCommit), and so are
  // deferrable unique keys (engine/deferrable_unique_test.cc).
  Ok("create table c (p int unique deferrable)");
  Ok("drop table c");
  Ok("create table c (p bigint references p (u), q int, foreign key (q) references p)");
  EXPECT_EQ(Violated("insert into c values (1, null)"), "c_p_fkey");
  EXPECT_EQ(Violated("insert into c values (null, 1)"), "c_q_fkey");
  Ok("create table d (p int references p, p2 int, constraint d_p_fkey1 check (p2 > 0), "
     "foreign key (p2) references p (u), foreign key (p) references p)");
  EXPECT_EQ(Violated("insert into d values (null, 0)"), "d_p_fkey1");
  Ok("insert into p values (1, 1)");
  EXPECT_EQ(Violated("insert into d values (1, 5)"), "d_p2_fkey");
  Ok("delete from p");
  // Two keys on p: named d_p_fkey, then (d_p_fkey1 being the CHECK's) d_p_fkey2.
  e = Err("insert into d values (7, null)");
  EXPECT_EQ(e.constraint_name, "d_p_fkey");
}

TEST_F(ConstraintTest, DropAndTruncateOfAReferencedTable) {
  Ok("create table p (id int primary key)");
  Ok("create table c (p int references p)");
  Ok("insert into p values (1)");
  Ok("insert into c values (1)");
  Error e = Err("drop table p");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDependentObjectsStillExist));
  EXPECT_EQ(e.message, "cannot drop table p because other objects depend on it");
  EXPECT_EQ(e.detail, "constraint c_p_fkey on table c depends on table p");
  e = Err("truncate p");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kFeatureNotSupported));
  EXPECT_EQ(e.detail, "Table \"c\" references \"p\".");
  QueryResult r = Ok("truncate p cascade");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "truncate cascades to table \"c\"");
  EXPECT_TRUE(Rows("select * from c").empty());
  Ok("drop table c, p");
  Ok("create table p (id int primary key)");
  Ok("create table c (p int references p)");
  r = Ok("drop table p cascade");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "drop cascades to constraint c_p_fkey on table c");
  Ok("insert into c values (42)");  // the constraint went with p
}

// A key referencing columns only a CREATE UNIQUE INDEX makes unique depends on that index.
TEST_F(ConstraintTest, DropIndexOfAReferencedKey) {
  Ok("create table p (id int primary key, u int)");
  Ok("create unique index pu on p (u)");
  Ok("create index pi on p (u)");
  Ok("create table c (u int references p (u))");
  Error e = Err("drop index pu");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDependentObjectsStillExist));
  EXPECT_EQ(e.message, "cannot drop index pu because other objects depend on it");
  EXPECT_EQ(e.detail, "constraint c_u_fkey on table c depends on index pu");
  Ok("drop index pi");  // not unique: nothing depends on it
  QueryResult r = Ok("drop index pu cascade");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "drop cascades to constraint c_u_fkey on table c");
  Ok("insert into c values (5)");
}

TEST_F(ConstraintTest, ConstraintsSurviveARestart) {
  Ok("create table p (id int primary key)");
  Ok("create table c (id int, p int references p on delete cascade, check (id > 0))");
  Reopen();
  EXPECT_EQ(Violated("insert into c values (0, null)"), "c_id_check");
  EXPECT_EQ(Violated("insert into c values (1, 7)"), "c_p_fkey");
  EXPECT_EQ(Err("insert into c values (1, 1)").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
  Ok("insert into p values (1)");
  Ok("insert into c values (1, 1)");
  Ok("delete from p");
  EXPECT_TRUE(Rows("select * from c").empty());
}

// DEFERRABLE INITIALLY DEFERRED: the check waits for COMMIT, which fails and rolls back; the
// definition survives a restart (catalog extension 6).
TEST_F(ConstraintTest, DeferredForeignKeysAreCheckedAtCommit) {
  Ok("create table p (id int primary key)");
  Ok("create table c (id int primary key, p int references p deferrable initially deferred)");
  Ok("create table plain (id int, p int references p)");
  Reopen();
  EXPECT_EQ(Rows("select conname, condeferrable, condeferred from pg_constraint "
                 "where contype = 'f' order by 1"),
            (std::vector<std::string>{"c_p_fkey|t|t", "plain_p_fkey|f|f"}));
  Ok("begin");
  Ok("insert into c values (1, 7)");
  EXPECT_EQ(Rows("select count(*) from c"), (std::vector<std::string>{"1"}));
  Error e = Err("commit");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(e.message,
            "insert or update on table \"c\" violates foreign key constraint \"c_p_fkey\"");
  EXPECT_EQ(e.detail, "Key (p)=(7) is not present in table \"p\".");
  EXPECT_EQ(Rows("select count(*) from c"), (std::vector<std::string>{"0"}));
  // The parent inserted later in the block satisfies the check.
  Ok("begin");
  Ok("insert into c values (1, 7)");
  Ok("insert into p values (7)");
  Ok("commit");
  EXPECT_EQ(Rows("select count(*) from c"), (std::vector<std::string>{"1"}));
  // SET CONSTRAINTS ... IMMEDIATE runs the pending checks at once; the block is then failed.
  Ok("begin");
  Ok("insert into c values (2, 8)");
  EXPECT_EQ(Violated("set constraints c_p_fkey immediate"), "c_p_fkey");
  EXPECT_EQ(Err("select 1").sqlstate, "25P02");
  Ok("rollback");
  Ok("begin");
  EXPECT_EQ(Err("set constraints plain_p_fkey deferred").sqlstate, "42809");
  Ok("rollback");
}

// A constraint's failure rolls back the whole statement, cascaded changes included.
TEST_F(ConstraintTest, AFailedStatementLeavesNothing) {
  Ok("create table p (id int primary key)");
  Ok("create table c (p int references p on delete cascade, v int check (v < 10))");
  Ok("create table g (c int references p on delete restrict)");
  Ok("insert into p values (1), (2)");
  Ok("insert into c values (1, 1), (2, 2)");
  Ok("insert into g values (2)");
  EXPECT_EQ(Err("delete from p").sqlstate, std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(Rows("select p from c order by p"), (std::vector<std::string>{"1", "2"}));
  Ok("begin");
  Ok("delete from p where id = 1");
  EXPECT_EQ(Err("insert into c values (2, 50)").sqlstate, std::string(sqlstate::kCheckViolation));
  Ok("rollback");
  EXPECT_EQ(Rows("select count(*) from c"), (std::vector<std::string>{"2"}));
}

}  // namespace
}  // namespace sqlrite::engine
