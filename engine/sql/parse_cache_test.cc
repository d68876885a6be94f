#include "engine/sql/parse_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/sql/ast_walk.h"
#include "engine/sql/parser_test_util.h"

namespace sqlrite::engine::sql {
namespace {

using testing::Show;

std::string ShowItems(const std::vector<ast::SelectItem>& items) {
  std::string out;
  for (const ast::SelectItem& item : items) {
    out += " [" + (item.star ? "*" + item.star_table : Show(item.expr)) + " as " + item.alias + "]";
  }
  return out;
}

std::string ShowSelect(const ast::Select& s) {
  std::string out = "select" + ShowItems(s.items) + " from";
  for (const ast::TableRef& ref : s.from) {
    out += " " + ref.table.name + "@" + std::to_string(ref.table.location) + " " + ref.alias;
  }
  out += " where " + Show(s.where) + " group" + testing::ShowList(s.group_by) + " having " +
         Show(s.having) + " order";
  for (const ast::OrderItem& o : s.order_by) out += " " + Show(o.expr) + (o.descending ? "-" : "+");
  return out + " limit " + Show(s.limit) + " offset " + Show(s.offset);
}

// Everything a statement says, locations included, printed without the help of ast_walk for the
// structure (the walk only contributes the expression locations, in its order).
std::string Dump(ParsedStatement& parsed) {
  std::string out = "@" + std::to_string(parsed.offset) + " [" + parsed.text + "] ";
  if (!parsed.statement) return out + "error " + parsed.statement.error().message;
  ast::Statement& statement = *parsed.statement;
  if (auto* sel = std::get_if<ast::Select>(&statement)) {
    out += ShowSelect(*sel);
  } else if (auto* ins = std::get_if<ast::Insert>(&statement)) {
    const ast::Insert* s = ins;
    out += "insert " + s->table.table.name + "@" + std::to_string(s->table.table.location);
    for (const std::string& c : s->columns) out += " " + c;
    for (const auto& row : s->rows) out += " (" + testing::ShowList(row) + ")";
    if (s->select) out += " " + ShowSelect(*s->select);
    out += " returning" + ShowItems(s->returning);
  } else if (auto* upd = std::get_if<ast::Update>(&statement)) {
    const ast::Update* s = upd;
    out += "update " + s->table.table.name + "@" + std::to_string(s->table.table.location);
    for (const ast::Assignment& a : s->assignments) {
      out += " " + a.column + "@" + std::to_string(a.location) + "=" + Show(a.value);
    }
    out += " where " + Show(s->where) + " returning" + ShowItems(s->returning);
  } else if (auto* del = std::get_if<ast::Delete>(&statement)) {
    const ast::Delete* s = del;
    out += "delete " + s->table.table.name + "@" + std::to_string(s->table.table.location) +
           " where " + Show(s->where) + " returning" + ShowItems(s->returning);
  } else {
    out += "kind " + std::to_string(statement.index());
  }
  AstVisitor visitor;
  visitor.expr = [&out](ast::Expr& e) { out += " " + std::to_string(e.location); };
  visitor.location = [](int&) {};
  WalkStatement(statement, visitor);
  return out;
}

std::string DumpAll(std::vector<ParsedStatement>& statements) {
  std::string out;
  for (ParsedStatement& parsed : statements) out += Dump(parsed) + "\n";
  return out;
}

std::string Fresh(std::string_view sql) {
  auto parsed = Parse(sql);
  if (!parsed) return "syntax error " + parsed.error().message;
  return DumpAll(*parsed);
}

std::string Cached(ParseCache& cache, std::string_view sql) {
  auto parsed = cache.Parse(sql);
  if (!parsed) return "syntax error " + parsed.error().message;
  return DumpAll(**parsed);
}

// Each group holds query strings of one shape: the first fills the cache, the others must hit
// it and come out exactly as a fresh parse would make them.
const std::vector<std::vector<std::string>> kSameShape = {
    {"select abalance from pgbench_accounts where aid = 1;",
     "select abalance from pgbench_accounts where aid = 98765;",
     "select abalance from pgbench_accounts where aid = 3000000000;"},
    {"update pgbench_accounts set abalance = abalance + -4321 where aid = 17;",
     "update pgbench_accounts set abalance = abalance + -5 where aid = 1234567;",
     "update pgbench_accounts set abalance = abalance + -9223372036854775807 where aid = 0;"},
    {"select a, 'x' || b as label from t where c >= 1.5 and d like 'a%' order by a desc limit 10 "
     "offset 2",
     "select a, 'longer text' || b as label from t where c >= 100.25e3 and d like '' order by a "
     "desc limit 1 offset 20000"},
    {"insert into t(a, b) values (1, 'one'), (2, 'it''s'), (- 3, null) returning a",
     "insert into t(a, b) values (100, ''), (2000, 'x'), (- 40, null) returning a"},
    {"delete from t where a in (1, 2, 3) and b between -1.5 and 2.0",
     "delete from t where a in (10, 20, 30) and b between -100.5 and 2e10"},
    {"begin; update t set a = a + 1 where id = 5; commit",
     "begin; update t set a = a + 1 where "
     "id = 55555; commit"},
    {"select 1; select 'two'; select 3.0", "select 111; select ''; select 3.14159"},
    {"select case when a = 1 then 'one' else 'many' end, coalesce(b, -7), count(*) from t group "
     "by 1 having count(*) > 5 order by 2",
     "select case when a = 22 then 'twenty-two' else '' end, coalesce(b, -1), count(*) from t "
     "group by 3 having count(*) > 500 order by 1"},
    {"select * from t where nope = 1 and b = 'x'", "select * from t where nope = 12345 and b = ''"},
};

TEST(ParseCacheTest, SameShapeHitsAndEqualsAFreshParse) {
  for (const auto& group : kSameShape) {
    ParseCache cache;
    for (size_t i = 0; i < group.size(); ++i) {
      const std::string& sql = group[i];
      EXPECT_EQ(Cached(cache, sql), Fresh(sql)) << sql;
      EXPECT_EQ(cache.hits(), i) << sql << ": the shape was not cached";
    }
    // And back to the first string, from a tree rewritten for the last.
    EXPECT_EQ(Cached(cache, group[0]), Fresh(group[0])) << group[0];
  }
}

TEST(ParseCacheTest, LiteralsUsedOtherwiseAreNeverCached) {
  // Type modifiers, SET values, strings glued across a newline, EXTRACT's field: the literal is
  // not (only) a literal node, so the shape must be parsed in full each time.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"select a::varchar(10) from t", "select a::varchar(3) from t"},
      {"set statement_timeout = 100", "set statement_timeout = 5"},
      {"select 'a'\n'b'", "select 'c'\n'd'"},
      {"create table t(a varchar(5))", "create table t(a varchar(50))"},
      {"select 1; create table t(a int)", "select 22; create table t(a int)"},
  };
  for (const auto& [first, second] : pairs) {
    ParseCache cache;
    EXPECT_EQ(Cached(cache, first), Fresh(first)) << first;
    EXPECT_EQ(Cached(cache, second), Fresh(second)) << second;
    EXPECT_EQ(cache.hits(), 0u) << first;
  }
}

TEST(ParseCacheTest, StatementsWithoutLiteralsAreCachedWhole) {
  ParseCache cache;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Cached(cache, "create table t(a int primary key, b text)"),
              Fresh("create table t(a int primary key, b text)"));
  }
  EXPECT_EQ(cache.hits(), 2u);
}

TEST(ParseCacheTest, ErrorsAreNotCached) {
  ParseCache cache;
  for (int i = 0; i < 2; ++i) {
    auto parsed = cache.Parse("selec 1");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().sqlstate, sqlstate::kSyntaxError);
    EXPECT_EQ(parsed.error().position, 1);
  }
  EXPECT_EQ(cache.size(), 0u);
  // A statement the transformer refuses is reported each time, and not cached.
  for (int i = 0; i < 2; ++i) {
    auto parsed = cache.Parse("select 1 from t join u on true");
    ASSERT_TRUE(parsed);
    ASSERT_EQ((*parsed)->size(), 1u);
    EXPECT_FALSE((**parsed)[0].statement);
  }
  EXPECT_EQ(cache.hits(), 0u);
}

TEST(ParseCacheTest, FullCacheStartsOver) {
  ParseCache cache(2);
  ASSERT_TRUE(cache.Parse("select 1"));
  ASSERT_TRUE(cache.Parse("select 1, 2"));
  ASSERT_TRUE(cache.Parse("select 1, 2, 3"));  // forgets the two before
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(Cached(cache, "select 9, 8, 7"), Fresh("select 9, 8, 7"));
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(ParseCacheTest, MemoryIsBounded) {
  ParseCache cache;
  std::string huge = "select 1";
  while (huge.size() <= ParseCache::kMaxQueryBytes) huge += ", 1";
  ASSERT_TRUE(cache.Parse(huge));
  EXPECT_EQ(cache.size(), 0u);  // too long to keep
  // Long strings of distinct shapes: the texts held never pass kMaxTotalBytes.
  const size_t per_query = ParseCache::kMaxQueryBytes - 100;
  for (int i = 0; i < 8; ++i) {
    std::string sql = "select " + std::string(static_cast<size_t>(i) + 1, 'a');
    while (sql.size() < per_query) sql += ", 1";
    ASSERT_TRUE(cache.Parse(sql));
    EXPECT_LE(cache.size() * per_query, ParseCache::kMaxTotalBytes);
  }
}

}  // namespace
}  // namespace sqlrite::engine::sql
