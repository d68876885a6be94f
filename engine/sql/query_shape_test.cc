#include "engine/sql/query_shape.h"

#include <gtest/gtest.h>

#include <string>

namespace sqlrite::engine::sql {
namespace {

std::string KeyOf(std::string_view sql) {
  QueryShape shape;
  if (!ShapeOf(sql, &shape)) return "<gave up>";
  std::string readable;
  for (char c : shape.key) {
    if (c == '\x01') {
      readable += '?';
    } else {
      readable += c;
    }
  }
  return readable;
}

TEST(QueryShapeTest, LiteralsAreTakenOutWithTheirKinds) {
  QueryShape shape;
  ASSERT_TRUE(ShapeOf("select 'it''s', 42, 1.5e3 from t where x = -7", &shape));
  ASSERT_EQ(shape.literals.size(), 4u);
  EXPECT_EQ(shape.literals[0].kind, ShapeLiteral::Kind::kString);
  EXPECT_EQ(shape.literals[0].offset, 7u);
  EXPECT_EQ(shape.literals[0].length, 7u);
  EXPECT_EQ(shape.literals[1].kind, ShapeLiteral::Kind::kInteger);
  EXPECT_EQ(shape.literals[2].kind, ShapeLiteral::Kind::kNumeric);
  EXPECT_EQ(shape.literals[3].kind, ShapeLiteral::Kind::kInteger);  // the '-' stays in the key
  EXPECT_EQ(KeyOf("select 'it''s', 42, 1.5e3 from t where x = -7"),
            "select ?s, ?i, ?n from t where x = -?i");
}

TEST(QueryShapeTest, SameShapeForOtherValuesOnly) {
  EXPECT_EQ(KeyOf("select v from kv where id = 7"), KeyOf("select v from kv where id = 123456"));
  EXPECT_EQ(KeyOf("insert into t values (1, 'a')"), KeyOf("insert into t values (22, 'bbb')"));
  EXPECT_NE(KeyOf("select 1"), KeyOf("select 1.0"));
  EXPECT_NE(KeyOf("select 1"), KeyOf("select '1'"));
  EXPECT_NE(KeyOf("select 1"), KeyOf("select  1"));
}

TEST(QueryShapeTest, IdentifiersCommentsAndQuotedNamesAreNotLiterals) {
  EXPECT_EQ(KeyOf("select \"a'1\", t1.c2 -- it's 3\nfrom t /* 'x' /* 4 */ 5 */"),
            "select \"a'1\", t1.c2 -- it's 3\nfrom t /* 'x' /* 4 */ 5 */");
  EXPECT_EQ(KeyOf("select .5, 5., 1e-3"), "select ?n, ?n, ?n");
}

TEST(QueryShapeTest, GivesUpWhereItMightLexDifferently) {
  for (const char* sql :
       {"select E'a\\n'", "select e'x'", "select B'101'", "select X'1f'", "select N'x'",
        "select U&'d\\0061t'", "select $$x$$", "select $1", "select 123abc", "select 1..2",
        "select 1e", "select 'unterminated", "select \"unterminated", "select /* open",
        "select 99999999999999999999"}) {
    QueryShape shape;
    EXPECT_FALSE(ShapeOf(sql, &shape)) << sql;
  }
}

TEST(QueryShapeTest, NonAsciiInsidePlainStringsIsLiteralText) {
  // Inside '...' every byte but a quote is the string's own (scan.l's xq state); the server
  // checks the text is valid UTF-8 before it gets here.
  EXPECT_EQ(KeyOf("select 'caf\xc3\xa9', '\xe6\x97\xa5' from t"), "select ?s, ?s from t");
  EXPECT_EQ(StringLiteralValue("'caf\xc3\xa9 it''s'"), "caf\xc3\xa9 it's");
}

TEST(QueryShapeTest, GivesUpOnNulBytes) {
  // libpg_query reads up to the first NUL: the rest is not part of the query it parses.
  QueryShape shape;
  EXPECT_FALSE(ShapeOf(std::string("select 'a\0'", 12), &shape));
  EXPECT_FALSE(ShapeOf(std::string("select 1 -- \0", 14), &shape));
}

TEST(QueryShapeTest, GivesUpOnTheLiteralMarkerByte) {
  // A \x01 written in the query could pass for a literal's marker in the key.
  QueryShape shape;
  EXPECT_FALSE(ShapeOf("select '\x01s'", &shape));
  EXPECT_FALSE(ShapeOf("select 1 -- \x01", &shape));
  EXPECT_TRUE(ShapeOf("select 1 -- \x02", &shape));
}

TEST(QueryShapeTest, StringLiteralValueUndoublesQuotes) {
  EXPECT_EQ(StringLiteralValue("'it''s'"), "it's");
  EXPECT_EQ(StringLiteralValue("''"), "");
  EXPECT_EQ(StringLiteralValue("''''"), "'");
  EXPECT_EQ(StringLiteralValue("'a\\b'"), "a\\b");
}

}  // namespace
}  // namespace sqlrite::engine::sql
