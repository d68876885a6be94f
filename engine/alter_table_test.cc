// ALTER TABLE through the facade: keys added over existing rows (23505 / 23502 with PostgreSQL's
// texts, the INTEGER PRIMARY KEY becoming the rowid), columns added without a rewrite (a short
// record reads the column's missing value) or with one (a volatile default), dropped, renamed,
// constraints added (validated, or NOT VALID), dropped and renamed, types changed; every change
// rolled back with its block and kept across a restart.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/catalog.h"
#include "engine/testing/cluster_fixture.h"
#include "storage/fault_injection.h"

namespace sqlrite::engine {
namespace {

using Strings = std::vector<std::string>;

class AlterTableTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table t (a int, b text); insert into t values (1, 'x'), (2, 'y'), (3, null)");
  }
  // The table's indexes, by name (pg_indexes).
  Strings Indexes(const std::string& table) {
    return Rows("select indexname from pg_indexes where tablename = '" + table + "' order by 1");
  }
  // The table's columns as name:type[:nn] (pg_attribute; nn: NOT NULL).
  Strings Columns(const std::string& table) {
    return Rows(
        "select attname || ':' || format_type(atttypid, atttypmod) || "
        "case when attnotnull then ':nn' else '' end from pg_attribute a join pg_class c on "
        "c.oid = a.attrelid where c.relname = '" +
        table + "' and attnum > 0 order by attnum");
  }
};

TEST_F(AlterTableTest, AddPrimaryKeyMakesTheIntegerKeyTheRowid) {
  Ok("alter table t add primary key (a)");
  EXPECT_EQ(Columns("t"), (Strings{"a:integer:nn", "b:text"}));
  EXPECT_EQ(Indexes("t"), (Strings{"t_pkey"}));
  EXPECT_EQ(Rows("select a, b from t where a = 2"), (Strings{"2|y"}));
  Error e = Err("insert into t values (2, 'z')");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kUniqueViolation));
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"t_pkey\"");
  Ok("insert into t values (4, 'w')");
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"4"}));
}

TEST_F(AlterTableTest, AddPrimaryKeyRewritesRowsStoredUnderOtherKeys) {
  Ok("create table r (k int, v text); insert into r values (30, 'c'), (10, 'a'), (20, 'b')");
  Ok("create index r_v on r (v)");
  Ok("alter table r add primary key (k)");
  EXPECT_EQ(Rows("select k, v from r"), (Strings{"10|a", "20|b", "30|c"}));  // in key order
  EXPECT_EQ(Rows("select k from r where v = 'b'"), (Strings{"20"}));
  EXPECT_EQ(Rows("select v from r where k = 30"), (Strings{"c"}));
  Reopen();
  EXPECT_EQ(Rows("select v from r where k = 10"), (Strings{"a"}));
}

TEST_F(AlterTableTest, AddKeyRefusesDuplicatesAndNulls) {
  Ok("insert into t values (2, 'q')");
  Error e = Err("alter table t add primary key (a)");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kUniqueViolation));
  EXPECT_EQ(e.message, "could not create unique index \"t_pkey\"");
  EXPECT_EQ(e.detail, "Key (a)=(2) is duplicated.");
  e = Err("alter table t add constraint tb primary key (b)");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kNotNullViolation));
  EXPECT_EQ(e.message, "column \"b\" of relation \"t\" contains null values");
  Ok("alter table t add unique (b)");  // NULLs are distinct
  EXPECT_EQ(Indexes("t"), (Strings{"t_b_key"}));
  EXPECT_EQ(Err("insert into t values (9, 'x')").sqlstate, std::string(sqlstate::kUniqueViolation));
  EXPECT_EQ(Err("alter table t add constraint t_b_key unique (a)").sqlstate,
            std::string(sqlstate::kDuplicateObject));
}

TEST_F(AlterTableTest, AddColumnWithAConstantDefaultWritesNoRow) {
  Ok("alter table t add column c int default 7, add column d text");
  EXPECT_EQ(Columns("t"), (Strings{"a:integer", "b:text", "c:integer", "d:text"}));
  EXPECT_EQ(Rows("select a, c, d from t order by a"),
            (Strings{"1|7|NULL", "2|7|NULL", "3|7|NULL"}));
  Ok("alter table t alter column c set default 8");
  Ok("insert into t (a) values (4)");
  EXPECT_EQ(Rows("select c from t order by a"), (Strings{"7", "7", "7", "8"}));
  Reopen();
  EXPECT_EQ(Rows("select c from t order by a"), (Strings{"7", "7", "7", "8"}));
  EXPECT_EQ(Rows("select a from t where c = 7 order by a"), (Strings{"1", "2", "3"}));
  Ok("update t set b = 'u' where a = 1");
  EXPECT_EQ(Rows("select b, c from t where a = 1"), (Strings{"u|7"}));
}

TEST_F(AlterTableTest, AddColumnChecks) {
  Error e = Err("alter table t add column a int");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDuplicateColumn));
  EXPECT_EQ(e.message, "column \"a\" of relation \"t\" already exists");
  QueryResult r = Ok("alter table t add column if not exists a int");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].message, "column \"a\" of relation \"t\" already exists, skipping");
  e = Err("alter table t add column n int not null");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kNotNullViolation));
  EXPECT_EQ(e.message, "column \"n\" of relation \"t\" contains null values");
  Ok("alter table t add column n int not null default 0");
  e = Err("alter table t add column k int check (k > 0) default 0");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(e.message, "check constraint \"t_k_check\" of relation \"t\" is violated by some row");
  EXPECT_EQ(Err("alter table missing add column x int").sqlstate,
            std::string(sqlstate::kUndefinedTable));
}

TEST_F(AlterTableTest, VolatileDefaultFillsEachRow) {
  Ok("alter table t add column s serial");
  EXPECT_EQ(Rows("select a, s from t order by a"), (Strings{"1|1", "2|2", "3|3"}));
  Ok("insert into t (a) values (4)");
  EXPECT_EQ(Rows("select s from t where a = 4"), (Strings{"4"}));
}

TEST_F(AlterTableTest, DropColumnTakesItsIndexesAndChecks) {
  Ok("alter table t add column c int default 5 check (c > 0)");
  Ok("create index t_b_idx on t (b)");
  Ok("alter table t drop column b");
  EXPECT_EQ(Columns("t"), (Strings{"a:integer", "c:integer"}));
  EXPECT_EQ(Indexes("t"), Strings{});
  EXPECT_EQ(Rows("select * from t order by a"), (Strings{"1|5", "2|5", "3|5"}));
  EXPECT_EQ(Err("insert into t values (4, -1)").sqlstate, std::string(sqlstate::kCheckViolation));
  Error e = Err("alter table t drop column b");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kUndefinedColumn));
  EXPECT_EQ(e.message, "column \"b\" of relation \"t\" does not exist");
  EXPECT_EQ(Ok("alter table t drop column if exists b").notices.size(), 1u);
  Reopen();
  EXPECT_EQ(Rows("select * from t order by a"), (Strings{"1|5", "2|5", "3|5"}));
}

TEST_F(AlterTableTest, DropColumnReferencedElsewhereNeedsCascade) {
  Ok("alter table t add primary key (a)");
  Ok("create table c (x int references t (a))");
  Ok("create view v as select b from t");
  Error e = Err("alter table t drop column a");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDependentObjectsStillExist));
  EXPECT_EQ(e.message, "cannot drop column a of table t because other objects depend on it");
  EXPECT_EQ(e.detail,
            "constraint c_x_fkey on table c depends on column a of table t\n"
            "view v depends on column a of table t");
  Ok("alter table t drop column a cascade");
  Ok("insert into c values (42)");  // the foreign key went
  EXPECT_EQ(Err("select * from v").sqlstate, std::string(sqlstate::kUndefinedTable));
  EXPECT_EQ(Rows("select b from t order by b"), (Strings{"x", "y", "NULL"}));
}

TEST_F(AlterTableTest, RenamesFollowTheirDependents) {
  Ok("alter table t add primary key (a)");
  Ok("create table c (x int references t (a))");
  Ok("alter table t rename to u");
  EXPECT_EQ(Err("select * from t").sqlstate, std::string(sqlstate::kUndefinedTable));
  EXPECT_EQ(Err("insert into c values (9)").sqlstate, std::string(sqlstate::kForeignKeyViolation));
  Ok("alter table u rename column b to label");
  EXPECT_EQ(Rows("select label from u where a = 1"), (Strings{"x"}));
  Ok("alter table u rename constraint t_pkey to u_pkey");
  EXPECT_EQ(Indexes("u"), (Strings{"u_pkey"}));
  EXPECT_EQ(Err("alter table u rename column a to label").sqlstate,
            std::string(sqlstate::kDuplicateColumn));
  Reopen();
  EXPECT_EQ(Rows("select a, label from u order by a"), (Strings{"1|x", "2|y", "3|NULL"}));
}

TEST_F(AlterTableTest, RenameColumnRewritesTheChecksThatReadIt) {
  Ok("alter table t add constraint a_pos check (a > 0 and length(b) < 5), add check (a < 100)");
  Ok("alter table t rename column a to \"Key\"");
  EXPECT_EQ(Err("insert into t values (0, 'z')").sqlstate, std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(Err("insert into t values (100, 'z')").message,
            "new row for relation \"t\" violates check constraint \"t_a_check\"");
  Ok("alter table t rename column b to length");
  EXPECT_EQ(Err("insert into t values (5, 'toolong')").sqlstate,
            std::string(sqlstate::kCheckViolation));
  Reopen();
  Ok("insert into t values (5, 'ok')");
  EXPECT_EQ(Err("insert into t values (-5, 'ok')").sqlstate,
            std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(Rows("select \"Key\", length from t where \"Key\" = 5"), (Strings{"5|ok"}));
}

TEST_F(AlterTableTest, RenamesRewriteTheViewsThatReadTheTable) {
  Ok("create view v as select a, b || '!' as bang from t where a > 1");
  Ok("create view w as select v.a from v");
  Ok("alter table t rename column a to k");
  EXPECT_EQ(Rows("select * from v order by a"), (Strings{"2|y!", "3|NULL"}));
  Ok("alter table t rename to u");
  EXPECT_EQ(Rows("select a, bang from v order by a"), (Strings{"2|y!", "3|NULL"}));
  EXPECT_EQ(Rows("select * from w order by a"), (Strings{"2", "3"}));
  Ok("create table other (a int)");
  Ok("create view j as select u.k from u, other where u.k = other.a");
  EXPECT_EQ(Err("alter table u rename column k to kk").sqlstate,
            std::string(sqlstate::kFeatureNotSupported));
  Reopen();
  EXPECT_EQ(Rows("select a from v order by a"), (Strings{"2", "3"}));
}

TEST_F(AlterTableTest, IdentityAddedSetAndDropped) {
  Error e = Err("alter table t alter column a add generated always as identity");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kObjectNotInPrerequisiteState));
  EXPECT_EQ(
      e.message,
      "column \"a\" of relation \"t\" must be declared NOT NULL before identity can be added");
  Ok("alter table t alter column a set not null");
  Ok("alter table t alter column a add generated always as identity (sequence name public.t_seq "
     "start with 10)");
  EXPECT_EQ(Err("insert into t values (4, 'w')").sqlstate, std::string(sqlstate::kGeneratedAlways));
  Ok("insert into t (b) values ('w')");
  EXPECT_EQ(Rows("select a from t where b = 'w'"), (Strings{"10"}));
  Ok("alter table t alter column a set generated by default");
  Ok("insert into t values (4, 'v')");
  Ok("alter table t alter column a drop identity");
  EXPECT_EQ(Err("select nextval('t_seq')").sqlstate, std::string(sqlstate::kUndefinedTable));
  e = Err("alter table t alter column a drop identity");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kObjectNotInPrerequisiteState));
  EXPECT_EQ(e.message, "column \"a\" of relation \"t\" is not an identity column");
  EXPECT_EQ(Ok("alter table t alter column a drop identity if exists").notices.size(), 1u);
}

TEST_F(AlterTableTest, OwnerToNeedsAnExistingRole) {
  Ok("alter table t owner to postgres");
  Ok("alter table t owner to current_user");
  Error e = Err("alter table t owner to nobody");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kUndefinedObject));
  EXPECT_EQ(e.message, "role \"nobody\" does not exist");
}

TEST_F(AlterTableTest, NotNullIsValidated) {
  Error e = Err("alter table t alter column b set not null");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kNotNullViolation));
  EXPECT_EQ(e.message, "column \"b\" of relation \"t\" contains null values");
  Ok("alter table t alter column a set not null");
  EXPECT_EQ(Err("insert into t values (null, 'n')").sqlstate,
            std::string(sqlstate::kNotNullViolation));
  Ok("alter table t alter column a drop not null");
  Ok("insert into t values (null, 'n')");
  Ok("delete from t where a is null");
  Ok("alter table t add primary key (a)");
  e = Err("alter table t alter column a drop not null");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kInvalidTableDefinition));
  EXPECT_EQ(e.message, "column \"a\" is in a primary key");
}

TEST_F(AlterTableTest, ConstraintsAreValidatedUnlessNotValid) {
  Error e = Err("alter table t add constraint pos check (a > 1)");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(e.message, "check constraint \"pos\" of relation \"t\" is violated by some row");
  Ok("alter table t add constraint pos check (a > 1) not valid");
  EXPECT_EQ(Err("insert into t values (0, 'z')").sqlstate, std::string(sqlstate::kCheckViolation));
  EXPECT_EQ(Err("alter table t validate constraint pos").sqlstate,
            std::string(sqlstate::kCheckViolation));
  Ok("delete from t where a = 1");
  Ok("alter table t validate constraint pos");

  Ok("create table p (id int primary key); insert into p values (2)");
  e = Err("alter table t add foreign key (a) references p");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kForeignKeyViolation));
  EXPECT_EQ(e.message,
            "insert or update on table \"t\" violates foreign key constraint \"t_a_fkey\"");
  EXPECT_EQ(e.detail, "Key (a)=(3) is not present in table \"p\".");
  Ok("alter table t add foreign key (a) references p not valid");
  Reopen();
  // Still NOT VALID after the restart: validating checks the old rows.
  EXPECT_EQ(Err("alter table t validate constraint t_a_fkey").sqlstate,
            std::string(sqlstate::kForeignKeyViolation));
  Ok("alter table t drop constraint t_a_fkey, drop constraint pos");
  e = Err("alter table t drop constraint pos");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kUndefinedObject));
  EXPECT_EQ(e.message, "constraint \"pos\" of relation \"t\" does not exist");
  EXPECT_EQ(Ok("alter table t drop constraint if exists pos").notices.size(), 1u);
}

TEST_F(AlterTableTest, DropPrimaryKeyKeepsTheRows) {
  Ok("alter table t add primary key (a)");
  Ok("alter table t drop constraint t_pkey");
  Ok("insert into t values (1, 'again')");
  EXPECT_EQ(Rows("select count(*) from t where a = 1"), (Strings{"2"}));
}

TEST_F(AlterTableTest, AlterColumnTypeRewrites) {
  Ok("alter table t alter column a type bigint");
  EXPECT_EQ(Columns("t"), (Strings{"a:bigint", "b:text"}));
  Error e = Err("alter table t alter column b type int");
  EXPECT_EQ(e.sqlstate, std::string(sqlstate::kDatatypeMismatch));
  EXPECT_EQ(e.message, "column \"b\" cannot be cast automatically to type integer");
  Ok("alter table t alter column b type int using length(b)");
  EXPECT_EQ(Rows("select a, b from t order by a"), (Strings{"1|1", "2|1", "3|NULL"}));
}

TEST_F(AlterTableTest, RolledBackWithItsBlock) {
  Ok("begin");
  Ok("alter table t add column c int default 1");
  Ok("alter table t add primary key (a)");
  Ok("alter table t rename to u");
  Ok("rollback");
  EXPECT_EQ(Columns("t"), (Strings{"a:integer", "b:text"}));
  EXPECT_EQ(Indexes("t"), Strings{});
  EXPECT_EQ(Rows("select count(*) from t"), (Strings{"3"}));
}

// Each ALTER commits like any write: after a crash and after a power cut that drops every unsynced
// write, the committed changes are all there (a column added without a rewrite, a rewrite, a key)
// and the one of a block that never committed is not.
TEST_F(AlterTableTest, SurvivesACrashAndAPowerCut) {
  storage::FaultInjector fs;
  CloseCluster();
  options_.file_system = &fs;
  Open();
  Ok("create table t (a int, b text); insert into t values (1, 'x'), (2, 'y')");
  Ok("alter table t add column c int default 7");
  Ok("alter table t add primary key (a)");
  Ok("alter table t drop column b");
  Ok("insert into t values (3, 8)");
  Ok("begin");
  Ok("alter table t add column lost int default 1");
  fs.Crash();
  cluster_->Disconnect(*session_);
  session_.reset();
  cluster_.reset();
  storage::FaultInjector cut = fs.Clone();
  cut.PowerLoss(storage::FaultInjector::PowerLossMode::kDropUnsynced);
  for (storage::FaultInjector* disk : {&fs, &cut}) {
    options_.file_system = disk;
    Open();
    EXPECT_EQ(Columns("t"), (Strings{"a:integer:nn", "c:integer"}));
    EXPECT_EQ(Indexes("t"), (Strings{"t_pkey"}));
    EXPECT_EQ(Rows("select * from t order by a"), (Strings{"1|7", "2|7", "3|8"}));
    EXPECT_EQ(Err("insert into t values (3, 0)").sqlstate, std::string(sqlstate::kUniqueViolation));
    CloseCluster();
  }
  options_.file_system = nullptr;
  Open();  // TearDown closes the cluster it finds
}

}  // namespace
}  // namespace sqlrite::engine

namespace sqlrite::engine {
namespace {

// KeyedByRowid reads the key column straight from each record: past a padded char(n) value
// (stored as a blank count), and a record without the column (added later with a default)
// sends the table to the rewrite.
TEST_F(AlterTableTest, AddPrimaryKeyReadsTheKeyPastPaddedValuesOrRewritesShortRecords) {
  Ok("create table p (f char(40), a int not null, g char(30))");
  Ok("insert into p values ('', 1, 'x'), ('y', 2, ''), ('', 3, 'z')");
  Ok("alter table p add primary key (a)");
  EXPECT_EQ(Rows("select a, f || '|', length(g::text) from p where a = 2"), (Strings{"2|y||0"}));
  EXPECT_EQ(Rows("select octet_length(f), octet_length(g) from p where a = 3"), (Strings{"40|30"}));
  EXPECT_EQ(Err("insert into p values ('', 3, '')").sqlstate,
            std::string(sqlstate::kUniqueViolation));

  Ok("create table q (f char(20)); insert into q values ('a')");
  Ok("alter table q add column a int not null default 5");  // not in the record
  Ok("alter table q add primary key (a)");
  EXPECT_EQ(Rows("select a, f from q where a = 5"), (Strings{"5|a                   "}));
  Reopen();
  EXPECT_EQ(Rows("select a, octet_length(f) from q where a = 5"), (Strings{"5|20"}));
}

}  // namespace
}  // namespace sqlrite::engine
