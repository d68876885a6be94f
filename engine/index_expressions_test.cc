// Expression and partial indexes through the facade: the rules of their definition, their
// entries kept in step by every write (checked against the same rows without the index and by
// `sqlrited check` after a reopen), uniqueness, and the plans that use them.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/testing/cluster_fixture.h"
#include "storage/fault_injection.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class IndexExpressionsTest : public testing::ClusterTest {
 protected:
  Lines Sorted(std::string_view sql) {
    Lines rows = Rows(sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }
  Lines Plan(const std::string& sql) { return Rows("EXPLAIN (COSTS OFF) " + sql); }
  // Two tables of the same rows: `t` (indexed by the test) and `plain`.
  void MakeTwins() {
    Ok("CREATE TABLE t (id int PRIMARY KEY, a int, b text);"
       "CREATE TABLE plain (id int PRIMARY KEY, a int, b text)");
    std::string values;
    for (int i = 1; i <= 200; ++i) {
      if (!values.empty()) values += ", ";
      const std::string a = i % 13 == 0 ? "NULL" : std::to_string(i % 17);
      const std::string b =
          i % 11 == 0 ? "NULL" : (i % 2 ? "'V" : "'v") + std::to_string(i % 7) + "'";
      values += "(" + std::to_string(i) + ", " + a + ", " + b + ")";
    }
    Ok("INSERT INTO t VALUES " + values);
    Ok("INSERT INTO plain VALUES " + values);
  }
  void ExpectSameRows(const std::string& cond) {
    SCOPED_TRACE(cond);
    EXPECT_EQ(Sorted("SELECT * FROM t WHERE " + cond), Sorted("SELECT * FROM plain WHERE " + cond));
  }
  void ExpectConsistentAfterReopen() {
    CloseCluster();
    std::string report;
    Status checked = CheckDataDir(dir_, &report);
    EXPECT_TRUE(checked) << report << (checked ? "" : checked.error().message);
    // Every index holds exactly the entries its rows call for (data_dir_check.cc's findings).
    EXPECT_TRUE(report.ends_with("\nok\n")) << report;
    EXPECT_EQ(report.find("index \""), std::string::npos) << report;
    Open();
  }
};

TEST_F(IndexExpressionsTest, DefinitionRulesFollowPostgreSQL) {
  Ok("CREATE TABLE t (a int, b text)");
  ExpectError("CREATE INDEX ON t ((random()))", "42P17",
              "functions in index expression must be marked IMMUTABLE", 0);
  ExpectError("CREATE INDEX ON t (a) WHERE random() > 0.5", "42P17",
              "functions in index predicate must be marked IMMUTABLE", 0);
  EXPECT_EQ(Err("CREATE INDEX ON t ((a + (SELECT 1)))").message,
            "cannot use subquery in index expression");
  EXPECT_EQ(Err("CREATE INDEX ON t (a) WHERE a > (SELECT 1)").message,
            "cannot use subquery in index predicate");
  EXPECT_EQ(Err("CREATE INDEX ON t ((sum(a)))").message,
            "aggregate functions are not allowed in index expressions");
  EXPECT_EQ(Err("CREATE INDEX ON t (a) WHERE a + 1").message,
            "argument of WHERE must be type boolean, not type integer");
  EXPECT_EQ(Err("CREATE INDEX ON t ((nosuch + 1))").sqlstate, "42703");
  // Default names: the function's name, else "expr".
  Ok("CREATE INDEX ON t ((lower(b))); CREATE INDEX ON t ((a + 1));"
     "CREATE INDEX ON t (a) WHERE a > 1");
  EXPECT_EQ(Sorted("SELECT indexrelid::regclass::text || ' ' || indkey::text || ' ' || "
                   "coalesce(pg_get_expr(indpred, indrelid), '-') FROM pg_index"),
            (Lines{"t_a_idx 1 (a > 1)", "t_expr_idx 0 -", "t_lower_idx 0 -"}));
  EXPECT_EQ(Sorted("SELECT pg_get_indexdef(indexrelid) FROM pg_index"),
            (Lines{"CREATE INDEX t_a_idx ON public.t USING btree (a) WHERE (a > 1)",
                   "CREATE INDEX t_expr_idx ON public.t USING btree (((a + 1)))",
                   "CREATE INDEX t_lower_idx ON public.t USING btree (lower(b))"}));
}

TEST_F(IndexExpressionsTest, EntriesFollowEveryWriteAndSurviveAReopen) {
  MakeTwins();
  Ok("CREATE INDEX t_lower ON t ((lower(b))); CREATE INDEX t_part ON t (a) WHERE b > 'v3';"
     "CREATE INDEX t_sum ON t ((a + id))");
  auto same = [&] {
    for (const char* cond :
         {"lower(b) = 'v3'", "lower(b) IN ('v1', 'v2')", "lower(b) BETWEEN 'v2' AND 'v4'",
          "a = 5 AND b > 'v3'", "a = 5 AND b > 'v5'", "a + id = 20", "lower(b) IS NULL"}) {
      ExpectSameRows(cond);
    }
  };
  same();
  for (const char* write :
       {"UPDATE %s SET b = upper(b) WHERE id % 3 = 0", "UPDATE %s SET a = a + 1 WHERE id < 50",
        "DELETE FROM %s WHERE id % 5 = 0", "INSERT INTO %s VALUES (500, 5, 'v9'), (501, 5, 'V3')",
        "INSERT INTO %s VALUES (500, 6, 'v8') ON CONFLICT (id) DO UPDATE SET b = excluded.b",
        "MERGE INTO %s USING (VALUES (1, 'zz'), (900, 'v4')) v(id, b) ON %s.id = v.id "
        "WHEN MATCHED THEN UPDATE SET b = v.b "
        "WHEN NOT MATCHED THEN INSERT VALUES (v.id, 5, v.b)"}) {
    for (const char* table : {"t", "plain"}) {
      std::string sql = write;
      for (size_t at; (at = sql.find("%s")) != std::string::npos;) sql.replace(at, 2, table);
      Ok(sql);
    }
    same();
  }
  ExpectConsistentAfterReopen();
  same();
  Ok("REINDEX TABLE t");
  same();
  ExpectConsistentAfterReopen();
}

TEST_F(IndexExpressionsTest, PlansUseAMatchingExpressionOrAnImpliedPredicate) {
  MakeTwins();
  Ok("CREATE INDEX t_lower ON t ((lower(b))); CREATE INDEX t_part ON t (b) WHERE a > 10");
  EXPECT_EQ(Plan("SELECT * FROM t WHERE lower(b) = 'v3'"),
            (Lines{"Index Scan using t_lower on t", "  Index Cond: (lower(b) = 'v3'::text)"}));
  EXPECT_EQ(Plan("SELECT * FROM t WHERE upper(b) = 'V3'")[0], "Seq Scan on t");
  // a > 12 implies a > 10; a > 5 does not; nor does no WHERE on a.
  EXPECT_EQ(Plan("SELECT * FROM t WHERE a > 12 AND b = 'v3'")[0], "Index Scan using t_part on t");
  EXPECT_EQ(Plan("SELECT * FROM t WHERE a > 5 AND b = 'v3'")[0], "Seq Scan on t");
  EXPECT_EQ(Plan("SELECT * FROM t WHERE b = 'v3'")[0], "Seq Scan on t");
  ExpectSameRows("a > 12 AND b = 'v3'");
  ExpectSameRows("a > 5 AND b = 'v3'");
  EXPECT_EQ(Rows("SELECT id FROM t ORDER BY lower(b), id LIMIT 2"),
            Rows("SELECT id FROM plain ORDER BY lower(b), id LIMIT 2"));
}

TEST_F(IndexExpressionsTest, UniqueExpressionAndPartialIndexes) {
  Ok("CREATE TABLE u (id int PRIMARY KEY, a int, b text)");
  Ok("INSERT INTO u VALUES (1, 1, 'X'), (2, 2, 'x')");
  Error e = Err("CREATE UNIQUE INDEX u_lower ON u ((lower(b)))");
  EXPECT_EQ(e.sqlstate, "23505");
  EXPECT_EQ(e.detail, "Key (lower(b))=(x) is duplicated.");
  Ok("DELETE FROM u WHERE id = 2; CREATE UNIQUE INDEX u_lower ON u ((lower(b)))");
  e = Err("INSERT INTO u VALUES (3, 3, 'x')");
  EXPECT_EQ(e.message, "duplicate key value violates unique constraint \"u_lower\"");
  EXPECT_EQ(e.detail, "Key (lower(b))=(x) already exists.");
  Ok("INSERT INTO u VALUES (3, 3, 'X') ON CONFLICT ((lower(b))) DO UPDATE SET a = 100");
  EXPECT_EQ(Rows("SELECT a FROM u WHERE id = 1"), (Lines{"100"}));
  // A unique partial index: unique among the rows its predicate holds for.
  Ok("CREATE TABLE p (id int PRIMARY KEY, a int, b text);"
     "CREATE UNIQUE INDEX p_b ON p (b) WHERE a > 10");
  Ok("INSERT INTO p VALUES (1, 1, 'q'), (2, 2, 'q'), (20, 20, 'q')");
  EXPECT_EQ(Err("INSERT INTO p VALUES (21, 21, 'q')").sqlstate, "23505");
  Ok("UPDATE p SET a = 0 WHERE id = 20; INSERT INTO p VALUES (21, 21, 'q')");
  EXPECT_EQ(Err("INSERT INTO p VALUES (22, 22, 'q') ON CONFLICT (b) DO NOTHING").sqlstate, "42P10");
  Ok("INSERT INTO p VALUES (22, 22, 'q') ON CONFLICT (b) WHERE a > 20 DO NOTHING");
  EXPECT_EQ(Sorted("SELECT id FROM p"), (Lines{"1", "2", "20", "21"}));
  ExpectConsistentAfterReopen();
  EXPECT_EQ(Err("INSERT INTO p VALUES (23, 23, 'q')").sqlstate, "23505");
  EXPECT_EQ(Err("INSERT INTO u VALUES (4, 4, 'x')").sqlstate, "23505");
}

TEST_F(IndexExpressionsTest, DropAndRenameColumnFollowTheExpressions) {
  Ok("CREATE TABLE d (a int, b text, c int)");
  Ok("CREATE INDEX d_lower ON d ((lower(b))); CREATE INDEX d_part ON d (a) WHERE c > 1;"
     "CREATE INDEX d_sum ON d ((a + c))");
  Ok("ALTER TABLE d RENAME COLUMN b TO bb");
  EXPECT_EQ(Rows("SELECT pg_get_indexdef('d_lower'::regclass)"),
            (Lines{"CREATE INDEX d_lower ON public.d USING btree (lower(bb))"}));
  Ok("ALTER TABLE d DROP COLUMN c");
  EXPECT_EQ(Rows("SELECT indexrelid::regclass::text FROM pg_index"), (Lines{"d_lower"}));
  Ok("INSERT INTO d VALUES (1, 'A')");
  EXPECT_EQ(Rows("SELECT a FROM d WHERE lower(bb) = 'a'"), (Lines{"1"}));
  ExpectConsistentAfterReopen();
  EXPECT_EQ(Rows("SELECT a FROM d WHERE lower(bb) = 'a'"), (Lines{"1"}));
}

// After a crash, and after a power cut that drops every unsynced write, `sqlrited check` finds
// each expression and partial index holding exactly its rows' entries, and the committed writes
// (not the block that never committed) are read alike through the indexes and without them.
TEST_F(IndexExpressionsTest, IndexesAndTablesAgreeAfterACrashAndAPowerCut) {
  storage::FaultInjector fs;
  CloseCluster();
  options_.file_system = &fs;
  Open();
  Ok("CREATE TABLE c (id int PRIMARY KEY, a int, b text);"
     "CREATE UNIQUE INDEX c_lower ON c ((lower(b)));"
     "CREATE INDEX c_part ON c (a) WHERE a > 5;"
     "CREATE INDEX c_sum ON c ((a + id))");
  Ok("INSERT INTO c SELECT g, g % 10, 'Row' || g FROM generate_series(1, 300) g");
  Ok("UPDATE c SET a = a + 3, b = upper(b) WHERE id % 4 = 0");
  Ok("DELETE FROM c WHERE id % 7 = 0");
  Ok("BEGIN");
  Ok("INSERT INTO c VALUES (1000, 9, 'lost'); UPDATE c SET a = 0 WHERE id < 100");
  fs.Crash();
  cluster_->Disconnect(*session_);
  session_.reset();
  cluster_.reset();
  storage::FaultInjector cut = fs.Clone();
  cut.PowerLoss(storage::FaultInjector::PowerLossMode::kDropUnsynced);
  for (storage::FaultInjector* disk : {&fs, &cut}) {
    std::string report;
    Status checked = CheckDataDir(dir_, &report, *disk);
    EXPECT_TRUE(checked) << report << (checked ? "" : checked.error().message);
    EXPECT_TRUE(report.ends_with("\nok\n")) << report;
    options_.file_system = disk;
    Open();
    EXPECT_EQ(Rows("SELECT count(*) FROM c"), (Lines{"258"}));
    EXPECT_EQ(Rows("SELECT count(*) FROM c WHERE lower(b) = 'lost'"), (Lines{"0"}));
    EXPECT_EQ(Rows("SELECT id FROM c WHERE lower(b) = 'row8'"), (Lines{"8"}));
    EXPECT_EQ(Rows("SELECT count(*) FROM c WHERE a > 7 AND a = 9"),
              Rows("SELECT count(*) FROM c WHERE a + 0 = 9"));
    EXPECT_EQ(Rows("SELECT count(*) FROM c WHERE a + id = 20"),
              Rows("SELECT count(*) FROM c WHERE a + id + 0 = 20"));
    EXPECT_EQ(Err("INSERT INTO c VALUES (2000, 1, 'ROW1')").sqlstate, "23505");
    CloseCluster();
  }
  options_.file_system = nullptr;
  Open();  // TearDown closes the cluster it finds
}

}  // namespace
}  // namespace sqlrite::engine
