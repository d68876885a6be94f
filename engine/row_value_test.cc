// Row values (engine/row_value.h): the record encoding's order and text, and ROW(...) and
// whole-row references through the facade, with PostgreSQL 15's answers (recorded from it).

#include "engine/row_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

std::string Descriptor() {
  return row_value::EncodeDescriptor({row_value::Field{"a", SqlType{TypeId::kInt4}},
                                      row_value::Field{"b", SqlType{TypeId::kText}}});
}

std::string Record(Datum a, Datum b) {
  return DatumAs<std::string>(row_value::Make(Descriptor(), {std::move(a), std::move(b)}));
}

TEST(RowValueTest, DecodesWhatItMade) {
  const std::string r = Record(Datum(int64_t{-7}), Datum(std::string("x y")));
  ASSERT_TRUE(row_value::IsRowValue(r));
  Result<row_value::Decoded> d = row_value::Decode(r);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->fields.size(), 2u);
  EXPECT_EQ(d->fields[1].name, "b");
  EXPECT_EQ(DatumAs<int64_t>(d->values[0]), -7);
  EXPECT_EQ(DatumAs<std::string>(d->values[1]), "x y");
}

TEST(RowValueTest, TextQuotesAsRecordOut) {
  std::string out;
  row_value::AppendText(out, Record(Datum(int64_t{1}), Datum(std::string("a\"b\\c"))));
  EXPECT_EQ(out, "(1,\"a\"\"b\\\\c\")");
  out.clear();
  row_value::AppendText(out, Record(Datum{}, Datum(std::string())));
  EXPECT_EQ(out, "(,\"\")");
}

TEST(RowValueTest, BytesSortAsRecordCmpWithNullsLast) {
  // -1 < 2 < 10 numerically (not as their row-codec bytes), and a NULL field sorts last.
  const std::string m1 = Record(Datum(int64_t{-1}), Datum{});
  const std::string p2 = Record(Datum(int64_t{2}), Datum(std::string("z")));
  const std::string p10 = Record(Datum(int64_t{10}), Datum(std::string("a")));
  const std::string null_a = Record(Datum{}, Datum(std::string("a")));
  EXPECT_LT(m1, p2);
  EXPECT_LT(p2, p10);
  EXPECT_LT(p10, null_a);
  EXPECT_EQ(*row_value::Compare(p2, Record(Datum(int64_t{2}), Datum(std::string("z"))), true), 0);
  EXPECT_LT(*row_value::Compare(p2, p10, false), 0);
}

TEST(RowValueTest, ComparingOtherShapesIsAnError) {
  const std::string one = DatumAs<std::string>(
      row_value::Make(row_value::EncodeDescriptor({row_value::Field{"f1", SqlType{TypeId::kInt4}}}),
                      {Datum(int64_t{1})}));
  Result<int> c = row_value::Compare(one, Record(Datum(int64_t{1}), Datum{}), true);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "cannot compare record types with different numbers of columns");
}

TEST(RowValueTest, NullTestsLookAtEveryField) {
  EXPECT_TRUE(*row_value::AllFieldsNull(Record(Datum{}, Datum{})));
  EXPECT_FALSE(*row_value::AllFieldsNull(Record(Datum(int64_t{1}), Datum{})));
  EXPECT_FALSE(*row_value::NoFieldNull(Record(Datum(int64_t{1}), Datum{})));
  EXPECT_TRUE(*row_value::NoFieldNull(Record(Datum(int64_t{1}), Datum(std::string()))));
}

TEST(RowValueTest, RowTypeOidsNameTheirRelation) {
  EXPECT_GE(row_value::RowTypeOid(16384), 16384u);
  EXPECT_EQ(row_value::RelationOfRowType(row_value::RowTypeOid(16390)), 16390u);
  EXPECT_EQ(row_value::RelationOfRowType(2249), 0u);
}

class RowValueSqlTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("CREATE TABLE t (a int, b text);"
       "INSERT INTO t VALUES (1, 'x y'), (2, NULL), (NULL, 'q')");
  }
};

TEST_F(RowValueSqlTest, RowConstructorsAreRecords) {
  EXPECT_EQ(Rows("SELECT ROW(1, NULL, 'x y'), (1, 'a'), ROW(), pg_typeof(ROW(1))"),
            Lines{"(1,,\"x y\")|(1,a)|()|record"});
  EXPECT_EQ(Rows("SELECT (ROW(1, 2)).f2, ARRAY[ROW(1, 2)]"), Lines{"2|{\"(1,2)\"}"});
}

TEST_F(RowValueSqlTest, WholeRowReferences) {
  EXPECT_EQ(Rows("SELECT t, (t).b FROM t ORDER BY a"),
            (Lines{"(1,\"x y\")|x y", "(2,)|NULL", "(,q)|q"}));
  EXPECT_EQ(Rows("SELECT row_to_json(x) FROM t AS x WHERE a = 1"),
            Lines{"{\"a\":1,\"b\":\"x y\"}"});
  EXPECT_EQ(Rows("SELECT count(t), count(t.*) FROM t"), Lines{"3|3"});
  EXPECT_EQ(Rows("SELECT t IS NULL, t IS NOT NULL FROM t ORDER BY a"),
            (Lines{"f|t", "f|f", "f|f"}));
}

TEST_F(RowValueSqlTest, StarInsideRowExpandsToTheColumns) {
  EXPECT_EQ(Rows("SELECT ROW(t.*, 0), ROW(t.*) = ROW(1, 'x y') FROM t WHERE a = 1"),
            Lines{"(1,\"x y\",0)|t"});
}

TEST_F(RowValueSqlTest, CatalogHasTheTablesRowType) {
  EXPECT_EQ(Rows("SELECT t.typtype, t.typrelid = c.oid, c.reltype = t.oid, a.typelem = t.oid "
                 "FROM pg_type t JOIN pg_class c ON c.relname = 't' AND t.typname = 't' "
                 "JOIN pg_type a ON a.typname = '_t'"),
            Lines{"c|t|t|t"});
}

TEST_F(RowValueSqlTest, NullExtendedWholeRowIsNullARowOfNullsIsNot) {
  // u has no NOT NULL column: only the join can tell its padded side from its row of NULLs.
  Ok("CREATE TABLE u (k int, c text); INSERT INTO u VALUES (1, 'k'), (NULL, NULL)");
  EXPECT_EQ(Rows("SELECT t.a, u, u IS NULL, row_to_json(u) FROM t LEFT JOIN u ON u.k = t.a "
                 "ORDER BY t.a"),
            (Lines{"1|(1,k)|f|{\"k\":1,\"c\":\"k\"}", "2|NULL|t|NULL", "NULL|NULL|t|NULL"}));
  EXPECT_EQ(Rows("SELECT t.a, u::text FROM t LEFT JOIN u ON u.k IS NULL AND t.a = 2 ORDER BY t.a"),
            (Lines{"1|NULL", "2|(,)", "NULL|NULL"}));
  EXPECT_EQ(Rows("SELECT count(u), count(*) FROM t LEFT JOIN u ON u.k IS NULL AND t.a = 2"),
            Lines{"1|3"});
  EXPECT_EQ(Rows("SELECT t::text, u::text FROM t FULL JOIN u ON u.k = t.a ORDER BY t.a, t.b"),
            (Lines{"(1,\"x y\")|(1,k)", "(2,)|NULL", "(,q)|NULL", "NULL|(,)"}));
}

TEST_F(RowValueSqlTest, SubqueryReadsTheNullExtendedWholeRowAsNull) {
  Ok("CREATE TABLE u (k int, c text); INSERT INTO u VALUES (1, 'k'), (NULL, NULL)");
  EXPECT_EQ(Rows("SELECT t.a, (SELECT u::text) FROM t LEFT JOIN u ON u.k = t.a ORDER BY t.a"),
            (Lines{"1|(1,k)", "2|NULL", "NULL|NULL"}));
}

TEST_F(RowValueSqlTest, RecordsSortAndGroup) {
  EXPECT_EQ(Rows("SELECT t FROM t ORDER BY t DESC"), (Lines{"(,q)", "(2,)", "(1,\"x y\")"}));
  EXPECT_EQ(Rows("SELECT count(DISTINCT ROW(a % 2)) FROM t"), Lines{"3"});
}

TEST_F(RowValueSqlTest, ErrorsAsPostgreSQL) {
  ExpectError("SELECT (ROW(1, 'a')).f3", "42703",
              "could not identify column \"f3\" in record data type", 9);
  ExpectError("SELECT ROW(1, 2) = ROW(1, 2, 3) FROM t", "42601",
              "unequal number of entries in row expressions", 18);
}

}  // namespace
}  // namespace sqlrite::engine
