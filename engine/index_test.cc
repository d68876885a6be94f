// CREATE INDEX / DROP INDEX / ALTER INDEX through the facade: PostgreSQL's names, errors and
// uniqueness rules, the index kept in step by every write, and reads through index paths giving
// exactly the rows a read of the same data without the index gives (on the writer's view, on a
// snapshot, after a reopen, and for UPDATE / DELETE).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/sql/parser.h"
#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class IndexTest : public testing::ClusterTest {
 protected:
  Lines Sorted(std::string_view sql) {
    Lines rows = Rows(sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  // The notices of sql's result, as "SQLSTATE message".
  Lines Notices(std::string_view sql) {
    QueryResult r = Ok(sql);
    Lines out;
    for (const Error& n : r.notices) out.push_back(n.sqlstate + " " + n.message);
    return out;
  }
  // Two tables of the same rows: `t` with indexes (made by the test), `plain` without any.
  void MakeTwins() {
    Ok("CREATE TABLE t (id int PRIMARY KEY, a int, b text, c numeric, d float8);"
       "CREATE TABLE plain (id int PRIMARY KEY, a int, b text, c numeric, d float8)");
    std::string values;
    for (int i = 1; i <= 300; ++i) {
      if (!values.empty()) values += ", ";
      const std::string a = i % 13 == 0 ? "NULL" : std::to_string(i % 17);
      const std::string b = i % 11 == 0 ? "NULL" : "'v" + std::to_string(i % 7) + "'";
      values += "(" + std::to_string(i) + ", " + a + ", " + b + ", " + std::to_string(i % 23) +
                ".5, " + std::to_string((i % 19) - 9) + ".25)";
    }
    Ok("INSERT INTO t VALUES " + values);
    Ok("INSERT INTO plain VALUES " + values);
  }
  // The rows of `SELECT * FROM t WHERE cond` equal those of plain (as multisets).
  void ExpectSameRows(const std::string& cond) {
    SCOPED_TRACE(cond);
    const Lines with = Sorted("SELECT * FROM t WHERE " + cond);
    const Lines without = Sorted("SELECT * FROM plain WHERE " + cond);
    EXPECT_EQ(with, without);
  }
  Lines Plan(const std::string& sql) { return Rows("EXPLAIN (COSTS OFF) " + sql); }
};

TEST_F(IndexTest, DefaultNamesFollowPostgreSQL) {
  Ok("CREATE TABLE t (a int, b text, c int)");
  Ok("CREATE INDEX ON t (a)");
  Ok("CREATE INDEX ON t (a)");
  Ok("CREATE INDEX ON t (a, b)");
  Ok("CREATE UNIQUE INDEX ON t (c) INCLUDE (b)");
  Ok("CREATE INDEX ON t (a, a)");
  Ok("DROP INDEX t_a_idx, t_a_idx1, t_a_b_idx, t_c_b_idx, t_a_a1_idx");
  EXPECT_EQ(Err("DROP INDEX t_a_idx").sqlstate, "42704");
  // A long name is cut to 63 bytes, the longer part first.
  Ok("CREATE TABLE " + std::string(60, 'x') + " (" + std::string(50, 'y') + " int)");
  Ok("CREATE INDEX ON " + std::string(60, 'x') + " (" + std::string(50, 'y') + ")");
  Ok("DROP INDEX " + std::string(29, 'x') + "_" + std::string(29, 'y') + "_idx");
}

TEST_F(IndexTest, NamesShareTheRelationNamespace) {
  Ok("CREATE TABLE t (a int)");
  Ok("CREATE INDEX i ON t (a)");
  Error e = Err("CREATE INDEX i ON t (a)");
  EXPECT_EQ(e.sqlstate, "42P07");
  EXPECT_EQ(e.message, "relation \"i\" already exists");
  EXPECT_EQ(Err("CREATE INDEX t ON t (a)").sqlstate, "42P07");
  EXPECT_EQ(Err("CREATE TABLE i (x int)").sqlstate, "42P07");
  EXPECT_EQ(Notices("CREATE INDEX IF NOT EXISTS i ON t (a)"),
            Lines{"42P07 relation \"i\" already exists, skipping"});
  Ok("CREATE INDEX t_a_idx ON t (a)");
  Ok("CREATE INDEX ON t (a)");  // t_a_idx is taken: t_a_idx1
  Ok("DROP INDEX t_a_idx1");
}

TEST_F(IndexTest, ErrorsAsPostgreSQL) {
  Ok("CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE)");
  EXPECT_EQ(Err("CREATE INDEX ON nope (a)").sqlstate, "42P01");
  Error e = Err("CREATE INDEX ON t (nope)");
  EXPECT_EQ(e.sqlstate, "42703");
  EXPECT_EQ(e.message, "column \"nope\" does not exist");
  EXPECT_EQ(Err("CREATE INDEX ON t (a int4_ops)").sqlstate, "0A000");  // operator classes
  EXPECT_EQ(Err("CREATE INDEX ON t USING gin (a)").sqlstate, "0A000");
  EXPECT_EQ(Err("CREATE INDEX ON t USING nope (a)").sqlstate, "42704");
  e = Err("DROP INDEX nope");
  EXPECT_EQ(e.sqlstate, "42704");
  EXPECT_EQ(e.message, "index \"nope\" does not exist");
  EXPECT_EQ(Notices("DROP INDEX IF EXISTS nope"),
            Lines{"00000 index \"nope\" does not exist, skipping"});
  e = Err("DROP INDEX t_pkey");
  EXPECT_EQ(e.sqlstate, "2BP01");
  EXPECT_EQ(e.message, "cannot drop index t_pkey because constraint t_pkey on table t requires it");
  EXPECT_EQ(Err("DROP INDEX t_a_key CASCADE").sqlstate, "2BP01");
  e = Err("DROP INDEX t");
  EXPECT_EQ(e.sqlstate, "42809");
  EXPECT_EQ(e.message, "\"t\" is not an index");
  e = Err("DROP TABLE IF EXISTS t_a_key");
  EXPECT_EQ(e.sqlstate, "42809");
  EXPECT_EQ(e.message, "\"t_a_key\" is not a table");
  // Accepted forms.
  Ok("CREATE INDEX CONCURRENTLY i ON t USING btree (a DESC NULLS LAST)");
  Ok("DROP INDEX CONCURRENTLY IF EXISTS i");
}

TEST_F(IndexTest, UniqueBuildOverDuplicatesFailsWithTheKey) {
  Ok("CREATE TABLE t (a int, b text)");
  Ok("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (1, 'z'), (NULL, 'n'), (NULL, 'm')");
  Error e = Err("CREATE UNIQUE INDEX i ON t (a)");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.message, "could not create unique index \"i\"");
  EXPECT_EQ(e.detail, "Key (a)=(1) is duplicated.");
  // Nothing of the failed build is left.
  Ok("CREATE INDEX i ON t (a)");
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE a = 1"), Lines{"2"});
  // Many NULLs are distinct; NULLS NOT DISTINCT makes them collide.
  Ok("CREATE UNIQUE INDEX u ON t (b)");
  Ok("DELETE FROM t WHERE b = 'z'");
  Ok("CREATE UNIQUE INDEX ua ON t (a)");
  e = Err("CREATE UNIQUE INDEX un ON t (a) NULLS NOT DISTINCT");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.detail, "Key (a)=(null) is duplicated.");
}

// CREATE INDEX sorts a table's entries and inserts them in key order: over many rows whose keys
// come in scrambled order (long ones too, and keys sharing their first bytes), reads through the
// index give the rows a plain read gives, and a unique build finds a duplicate wherever it is.
TEST_F(IndexTest, SortedBuildOverScrambledKeysGivesThePlainReadsRows) {
  Ok("CREATE TABLE t (id int PRIMARY KEY, a int, b text);"
     "CREATE TABLE plain (id int PRIMARY KEY, a int, b text)");
  for (const char* table : {"t", "plain"}) {
    Ok(std::string("INSERT INTO ") + table +
       " SELECT g, (g * 7919) % 20011, CASE WHEN g % 97 = 0 THEN repeat('long', 200) || g "
       "ELSE 'prefix-shared-' || ((g * 104729) % 19997) END FROM generate_series(1, 20000) g");
  }
  Ok("CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b); CREATE UNIQUE INDEX t_ab ON t (a, b)");
  for (const std::string cond :
       {"a BETWEEN 100 AND 400", "a = 19999", "a > 20000", "b = 'prefix-shared-17'",
        "b BETWEEN 'prefix-shared-1' AND 'prefix-shared-2'", "b > 'long'"}) {
    SCOPED_TRACE(cond);
    EXPECT_EQ(Sorted("SELECT * FROM t WHERE " + cond), Sorted("SELECT * FROM plain WHERE " + cond));
  }
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE a >= 0"), Lines{"20000"});
  // Rows 3 and 19000 share a key; every other key is unique.
  Ok("UPDATE t SET a = -1 WHERE id IN (3, 19000)");
  Error e = Err("CREATE UNIQUE INDEX t_u ON t (a)");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.detail, "Key (a)=(-1) is duplicated.");
}

TEST_F(IndexTest, UniqueIndexRejectsDuplicatesFromEveryWrite) {
  Ok("CREATE TABLE t (k int, v text)");
  Ok("CREATE UNIQUE INDEX t_k ON t (k)");
  Ok("INSERT INTO t VALUES (1, 'a'), (NULL, 'b'), (NULL, 'c'), (2, 'd')");
  Error e = Err("INSERT INTO t VALUES (1, 'e')");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"t_k\"");
  EXPECT_EQ(e.detail, "Key (k)=(1) already exists.");
  EXPECT_EQ(Err("UPDATE t SET k = 1 WHERE k = 2").sqlstate, "23505");
  Ok("UPDATE t SET k = 3 WHERE k = 2");
  Ok("INSERT INTO t VALUES (2, 'f')");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), Lines{"5"});
  Ok("TRUNCATE t");
  Ok("INSERT INTO t VALUES (1, 'g')");
  EXPECT_EQ(Rows("SELECT v FROM t WHERE k = 1"), Lines{"g"});
}

TEST_F(IndexTest, ReadsThroughIndexesGiveTheRowsOfAPlainRead) {
  MakeTwins();
  Ok("CREATE INDEX t_a ON t (a); CREATE INDEX t_b_a ON t (b, a); CREATE INDEX t_c ON t (c);"
     "CREATE INDEX t_d ON t (d DESC)");
  const std::vector<std::string> conds = {"a = 3",
                                          "a = 300",
                                          "a = NULL",
                                          "a IS NULL",
                                          "a IN (1, 5, 5, NULL, 16)",
                                          "a IN (NULL)",
                                          "a BETWEEN 4 AND 9",
                                          "a > 4 AND a < 9",
                                          "a >= 16 AND a <= 100",
                                          "a > 16 AND a < 3",
                                          "a = 3 AND b = 'v3'",
                                          "b = 'v3'",
                                          "b = 'v3' AND a BETWEEN 2 AND 10",
                                          "b IN ('v1', 'v6') AND a IN (1, 2, 3)",
                                          "b IS NULL AND a = 4",
                                          "b = 'v2' AND a > 10",
                                          "b = 'v2' AND a < 10",
                                          "b = 'v2' AND a IS NULL",
                                          "c = 4.5",
                                          "c = 4.50",
                                          "c BETWEEN 3 AND 7.5",
                                          "c > 20 AND c <= 22.5",
                                          "d = -3.75",
                                          "d BETWEEN -2 AND 2",
                                          "d > 8 AND d < 100",
                                          "a = 3 AND id > 100",
                                          "a = 3 OR a = 4",
                                          "a = 3 AND a = 4",
                                          "a::numeric = 3",
                                          "a = 3.5",
                                          "a < 2.5 AND a > 0.5",
                                          "a > 4",
                                          "id BETWEEN 10 AND 20 AND a = 10"};
  for (const std::string& cond : conds) ExpectSameRows(cond);
  // The same after every kind of write (the index kept in step).
  Ok("UPDATE t SET a = a + 1 WHERE a = 3; UPDATE plain SET a = a + 1 WHERE a = 3");
  Ok("UPDATE t SET b = 'v9' WHERE b = 'v1' AND a > 8; UPDATE plain SET b = 'v9' WHERE b = 'v1' "
     "AND a > 8");
  Ok("DELETE FROM t WHERE a IN (5, 6); DELETE FROM plain WHERE a IN (5, 6)");
  Ok("INSERT INTO t SELECT id + 1000, a, b, c, d FROM plain WHERE a < 3;"
     "INSERT INTO plain SELECT id + 1000, a, b, c, d FROM plain WHERE a < 3");
  for (const std::string& cond : conds) ExpectSameRows(cond);
  ExpectSameRows("b = 'v9'");
  // rowid IN lists (a path of their own: one range per value).
  ExpectSameRows("id IN (5, 1, 5, NULL, 299, 4000)");
  ExpectSameRows("id IN (NULL)");
  ExpectSameRows("id IN (7, 8) AND a > 3");
  ExpectSameRows("id IN (7.0, 8)");
  ExpectSameRows("a = 4");
}

TEST_F(IndexTest, PathsShowInExplain) {
  MakeTwins();
  Ok("CREATE INDEX t_a_idx ON t (a); CREATE INDEX ON t (b, a)");
  EXPECT_EQ(Plan("SELECT * FROM t WHERE a = 1"),
            (Lines{"Index Scan using t_a_idx on t", "  Index Cond: (a = 1)"}));
  EXPECT_EQ(
      Plan("SELECT * FROM t WHERE b = 'v1' AND a > 2 AND d > 0"),
      (Lines{"Index Scan using t_b_a_idx on t", "  Index Cond: ((b = 'v1'::text) AND (a > 2))",
             "  Filter: (d > '0'::double precision)"}));
  EXPECT_EQ(Plan("SELECT * FROM t WHERE a BETWEEN 2 AND 4"),
            (Lines{"Index Scan using t_a_idx on t", "  Index Cond: ((a >= 2) AND (a <= 4))"}));
  // A one-sided range of a secondary index is not taken; the rowid keeps its paths.
  EXPECT_EQ(Plan("SELECT * FROM t WHERE a > 2"), (Lines{"Seq Scan on t", "  Filter: (a > 2)"}));
  EXPECT_EQ(Plan("SELECT * FROM t WHERE id = 5 AND a = 1"),
            (Lines{"Index Scan using t_pkey on t", "  Index Cond: (id = 5)", "  Filter: (a = 1)"}));
  EXPECT_EQ(
      Plan("SELECT * FROM t WHERE id IN (3, 1)"),
      (Lines{"Index Scan using t_pkey on t", "  Index Cond: (id = ANY ('{3,1}'::integer[]))"}));
  EXPECT_EQ(Rows("SELECT id FROM t WHERE id IN (30, 10, 20) ORDER BY id LIMIT 2"),
            (Lines{"10", "20"}));
  // In a join, the pushed-down conjuncts of one table.
  auto join = Plan("SELECT * FROM t, plain WHERE t.id = plain.id AND t.a = 2");
  EXPECT_NE(std::find(join.begin(), join.end(), "        ->  Index Scan using t_a_idx on t"),
            join.end());
}

TEST_F(IndexTest, IndexesSurviveAReopenAndKeepTheirKind) {
  Ok("CREATE TABLE t (a int, b text)");
  Ok("CREATE INDEX i ON t (a DESC NULLS LAST) INCLUDE (b)");
  Ok("CREATE UNIQUE INDEX u ON t (b)");
  Ok("INSERT INTO t VALUES (1, 'x'), (1, 'y'), (2, 'z')");
  Reopen();
  Ok("INSERT INTO t VALUES (1, 'w')");                                // i is still not unique
  EXPECT_EQ(Err("INSERT INTO t VALUES (3, 'x')").sqlstate, "23505");  // u still is
  EXPECT_EQ(Sorted("SELECT b FROM t WHERE a = 1"), (Lines{"w", "x", "y"}));
  EXPECT_EQ(Plan("SELECT b FROM t WHERE a = 1"),
            (Lines{"Index Scan using i on t", "  Index Cond: (a = 1)"}));
}

TEST_F(IndexTest, RenameKeepsTheIndex) {
  Ok("CREATE TABLE t (a int); CREATE INDEX i ON t (a); CREATE TABLE u (x int)");
  EXPECT_EQ(Err("ALTER INDEX i RENAME TO u").sqlstate, "42P07");
  EXPECT_EQ(Err("ALTER INDEX nope RENAME TO j").sqlstate, "42P01");
  Ok("ALTER INDEX IF EXISTS nope RENAME TO j");
  Ok("ALTER INDEX i RENAME TO j");
  EXPECT_EQ(Plan("SELECT * FROM t WHERE a = 1"),
            (Lines{"Index Scan using j on t", "  Index Cond: (a = 1)"}));
  Ok("DROP INDEX j");
}

TEST_F(IndexTest, DdlRollsBackWithItsBlock) {
  Ok("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1)");
  Ok("BEGIN; CREATE INDEX i ON t (a); ROLLBACK");
  EXPECT_EQ(Err("DROP INDEX i").sqlstate, "42704");
  Ok("CREATE INDEX i ON t (a)");
  Ok("BEGIN; DROP INDEX i; ROLLBACK");
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE a = 1"), Lines{"2"});
  Ok("DROP INDEX i");
}

TEST_F(IndexTest, SnapshotReadsUseTheIndexOfTheirCatalog) {
  MakeTwins();
  auto other = Connect();
  auto read = [&](const std::string& sql) {
    auto parsed = sql::Parse(sql);
    EXPECT_TRUE(parsed && parsed->size() == 1);
    auto r = cluster_->ReadOnSnapshot(*other, *(*parsed)[0].statement, sql, nullptr);
    EXPECT_TRUE(r && *r);
    Lines out;
    std::vector<Row> batch;
    for (;;) {
      batch.clear();
      Result<size_t> got = (**r).rows->NextBatch(64, &batch);
      EXPECT_TRUE(got);
      if (!got || *got == 0) break;
      for (const Row& row : batch) out.push_back(FormatText(row[0], (**r).columns[0].type));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const Lines before = read("SELECT id FROM t WHERE a = 7");
  Ok("CREATE INDEX t_a ON t (a)");
  EXPECT_EQ(read("SELECT id FROM t WHERE a = 7"), before);
  Ok("UPDATE t SET a = 7 WHERE id = 1");
  Lines after = before;
  after.push_back("1");
  std::sort(after.begin(), after.end());
  EXPECT_EQ(read("SELECT id FROM t WHERE a = 7"), after);
  Ok("DROP INDEX t_a");
  EXPECT_EQ(read("SELECT id FROM t WHERE a = 7"), after);
  cluster_->Disconnect(*other);
}

}  // namespace
}  // namespace sqlrite::engine
