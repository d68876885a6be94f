// CREATE TABLE, DROP TABLE, TRUNCATE, CREATE / DROP DATABASE.

#include <gtest/gtest.h>

#include "engine/sql/parser_test_util.h"

namespace sqlrite::engine::sql {
namespace {

using testing::ParseAs;
using testing::Show;
using testing::ShowType;
using testing::StatementError;

TEST(CreateTableTest, ColumnTypes) {
  auto c = ParseAs<ast::CreateTable>(
      "create table t (a int, b integer, c int4, d bigint, e int8, f smallint, g text, "
      "h varchar(10), i character varying(5), j varchar, k boolean, l bool, m double precision, "
      "n float8, o float, p real, q numeric, r decimal(10, 2), s char(3), t character, u bytea, "
      "v uuid)");
  const char* expected[] = {
      "int4",      "int4",        "int4",       "int8",    "int8",    "int2",
      "text",      "varchar(14)", "varchar(9)", "varchar", "bool",    "bool",
      "float8",    "float8",      "float8",     "float4",  "numeric", "numeric(655366)",
      "bpchar(7)", "bpchar(5)",   "bytea",      "uuid"};
  ASSERT_EQ(c.columns.size(), std::size(expected));
  for (size_t i = 0; i < c.columns.size(); ++i) {
    EXPECT_EQ(ShowType(c.columns[i].type), expected[i]) << c.columns[i].name;
  }
  EXPECT_EQ(c.table.name, "t");
  EXPECT_EQ(c.table.location, 13);
  EXPECT_FALSE(c.if_not_exists);
}

TEST(CreateTableTest, ColumnConstraints) {
  auto c = ParseAs<ast::CreateTable>(
      "create table if not exists public.t (id int primary key, name text not null unique, "
      "n int null default 1 + 1, s text default 'x')");
  EXPECT_TRUE(c.if_not_exists);
  EXPECT_EQ(c.table.name, "t");
  ASSERT_EQ(c.columns.size(), 4u);
  EXPECT_TRUE(c.columns[0].primary_key);
  EXPECT_TRUE(c.columns[0].not_null);
  EXPECT_TRUE(c.columns[1].not_null);
  EXPECT_TRUE(c.columns[1].unique);
  EXPECT_FALSE(c.columns[1].primary_key);
  EXPECT_FALSE(c.columns[2].not_null);
  EXPECT_EQ(Show(c.columns[2].default_value), "(+ 1 1)");
  EXPECT_EQ(Show(c.columns[3].default_value), "'x'");
  EXPECT_EQ(c.columns[0].default_value, nullptr);
  EXPECT_EQ(c.columns[1].location, 57);
}

TEST(CreateTableTest, TableConstraints) {
  auto c = ParseAs<ast::CreateTable>(
      "create table t (a int, b int, c int, primary key (a, b), constraint u unique (c))");
  ASSERT_EQ(c.constraints.size(), 2u);
  EXPECT_EQ(c.constraints[0].kind, ast::TableConstraint::kPrimaryKey);
  EXPECT_EQ(c.constraints[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.constraints[1].kind, ast::TableConstraint::kUnique);
  EXPECT_EQ(c.constraints[1].columns, (std::vector<std::string>{"c"}));
}

TEST(CreateTableTest, QuotedIdentifiersKeepCase) {
  auto c = ParseAs<ast::CreateTable>("create table \"MyTable\" (\"Col\" int, Other int)");
  EXPECT_EQ(c.table.name, "MyTable");
  EXPECT_EQ(c.columns[0].name, "Col");
  EXPECT_EQ(c.columns[1].name, "other");
}

TEST(CreateTableTest, FillfactorIsAccepted) {
  auto c = ParseAs<ast::CreateTable>("create table t (a int) with (fillfactor=100)");
  EXPECT_EQ(c.columns.size(), 1u);
}

TEST(CreateTableTest, UnknownTypeIsUndefinedObject) {
  Error e = StatementError("create table t (a foo)");
  EXPECT_EQ(e.sqlstate, sqlstate::kUndefinedObject);
  EXPECT_EQ(e.message, "type \"foo\" does not exist");
  EXPECT_EQ(e.position, 19);
}

TEST(CreateTableTest, KnownButUnimplementedTypesAreFeatureNotSupported) {
  Error e = StatementError("create table t (a serial)");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(e.message, "type serial is not supported yet");
  e = StatementError("create table t (a timetz)");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  e = StatementError("create table t (a int[])");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
}

TEST(CreateTableTest, ConstraintErrorsAsPostgresWordsThem) {
  Error e = StatementError("create table x (a int primary key, b int primary key)");
  EXPECT_EQ(e.sqlstate, sqlstate::kInvalidTableDefinition);
  EXPECT_EQ(e.message, "multiple primary keys for table \"x\" are not allowed");
  EXPECT_EQ(e.position, 42);
  e = StatementError("create table x (a int null not null)");
  EXPECT_EQ(e.sqlstate, sqlstate::kSyntaxError);
  EXPECT_EQ(e.message, "conflicting NULL/NOT NULL declarations for column \"a\" of table \"x\"");
  EXPECT_EQ(e.position, 28);
  e = StatementError("create table x (a int check (a > 0))");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(e.message, "CHECK constraints are not supported yet");
  e = StatementError("create table x (a int references y (b))");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  e = StatementError("create temp table x (a int)");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  e = StatementError("create table x (a varchar(0))");
  EXPECT_EQ(e.sqlstate, sqlstate::kInvalidParameterValue);
  EXPECT_EQ(e.message, "length for type varchar must be at least 1");
}

TEST(CreateTableTest, QualifiedNames) {
  Error e = StatementError("create table nope.t (a int)");
  EXPECT_EQ(e.sqlstate, sqlstate::kInvalidSchemaName);
  EXPECT_EQ(e.message, "schema \"nope\" does not exist");
  EXPECT_EQ(e.position, 14);
  e = StatementError("create table a.b.c (a int)");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(e.message, "cross-database references are not implemented: \"a.b.c\"");
}

TEST(DropTableTest, NamesAndIfExists) {
  auto d = ParseAs<ast::DropTable>("drop table if exists a, public.b cascade");
  EXPECT_TRUE(d.if_exists);
  ASSERT_EQ(d.tables.size(), 2u);
  EXPECT_EQ(d.tables[0].name, "a");
  EXPECT_EQ(d.tables[1].name, "b");
  d = ParseAs<ast::DropTable>("DROP TABLE \"T\"");
  EXPECT_FALSE(d.if_exists);
  EXPECT_EQ(d.tables[0].name, "T");
}

TEST(DropTableTest, OtherObjectsAreNotSupported) {
  Error e = StatementError("drop index i");
  EXPECT_EQ(e.sqlstate, sqlstate::kFeatureNotSupported);
  EXPECT_EQ(e.message, "DROP INDEX is not supported yet");
}

TEST(TruncateTest, Tables) {
  auto t = ParseAs<ast::Truncate>("truncate table a, b");
  ASSERT_EQ(t.tables.size(), 2u);
  EXPECT_EQ(t.tables[1].name, "b");
  EXPECT_EQ(t.tables[1].location, 18);
  t = ParseAs<ast::Truncate>("truncate c");
  EXPECT_EQ(t.tables[0].name, "c");
}

TEST(DatabaseTest, CreateAndDrop) {
  EXPECT_EQ(ParseAs<ast::CreateDatabase>("create database Foo").name, "foo");
  auto d = ParseAs<ast::DropDatabase>("drop database if exists \"Bar\"");
  EXPECT_EQ(d.name, "Bar");
  EXPECT_TRUE(d.if_exists);
  EXPECT_FALSE(ParseAs<ast::DropDatabase>("drop database x").if_exists);
}

}  // namespace
}  // namespace sqlrite::engine::sql
