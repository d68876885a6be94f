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
  std::string out = "@" + std::to_string(parsed.offset) + "+" + std::to_string(parsed.length) + " ";
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
    if (s->on_conflict) {
      out += " on conflict@" + std::to_string(s->on_conflict->location);
      for (const ast::Assignment& a : s->on_conflict->assignments) {
        out += " " + a.column + "@" + std::to_string(a.location) + "=" + Show(a.value);
      }
      out += " where " + Show(s->on_conflict->where);
    }
    out += " returning" + ShowItems(s->returning);
  } else if (auto* upd = std::get_if<ast::Update>(&statement)) {
    const ast::Update* s = upd;
    out += "update " + s->table.table.name + "@" + std::to_string(s->table.table.location);
    for (const ast::Assignment& a : s->assignments) {
      out += " " + a.column + "@" + std::to_string(a.location) + "=" + Show(a.value);
    }
    if (s->from_query) out += " from " + ShowSelect(*s->from_query);
    out += " where " + Show(s->where) + " returning" + ShowItems(s->returning);
  } else if (auto* del = std::get_if<ast::Delete>(&statement)) {
    const ast::Delete* s = del;
    out += "delete " + s->table.table.name + "@" + std::to_string(s->table.table.location) +
           " where " + Show(s->where) + " returning" + ShowItems(s->returning);
    if (s->using_query) out += " using " + ShowSelect(*s->using_query);
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
    {"insert into t as x values (1, 'a') on conflict (a) do update set b = excluded.b || 'x', "
     "c = 5 where x.c < 10 returning c",
     "insert into t as x values (22, '') on conflict (a) do update set b = excluded.b || 'yyy', "
     "c = 500 where x.c < 1 returning c"},
    {"update t set a = u.b + 1 from u where u.id = t.id and u.c = 'x' returning u.c",
     "update t set a = u.b + 1000 from u where u.id = t.id and u.c = 'longer' returning u.c"},
    {"delete from t using u where u.id = t.id and u.c > 2.5",
     "delete from t using u where u.id = t.id and u.c > 12345.75"},
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
    auto parsed = cache.Parse("select 1 from (select 1 from w for update) s");
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

// As Session::ParseQuery: a miss tries the skeleton first, then the string itself. *skeletal
// says whether the skeleton's tree was used.
std::string ViaSkeleton(ParseCache& cache, std::string_view sql, bool* skeletal) {
  *skeletal = false;
  std::vector<ParsedStatement>* statements = cache.Lookup(sql);
  if (statements == nullptr) {
    const std::string skeleton = cache.Skeleton(sql);
    if (!skeleton.empty()) {
      EXPECT_LE(skeleton.size(), ParseCache::kMaxQueryBytes);
      statements = cache.InsertSkeleton(skeleton, sql, Parse(skeleton));
      *skeletal = statements != nullptr;
    }
  }
  if (statements == nullptr) {
    auto parsed = cache.Insert(sql, Parse(sql));
    if (!parsed) {
      return "error " + parsed.error().message + " at " + std::to_string(parsed.error().position);
    }
    statements = *parsed;
  }
  return DumpAll(*statements);
}

std::string FreshWithPosition(std::string_view sql) {
  auto parsed = Parse(sql);
  if (!parsed) {
    return "error " + parsed.error().message + " at " + std::to_string(parsed.error().position);
  }
  return DumpAll(*parsed);
}

std::string Big(char c, size_t n = 100 * 1000) { return std::string(n, c); }

TEST(ParseCacheTest, LongLiteralsAreParsedAsASkeleton) {
  const std::vector<std::string> queries = {
      "select '" + Big('x') + "'",
      "select 7, '" + Big('x') + "' as v, -2.5, 'short' from t where a = -3",
      "insert into t values (1, '" + Big('a') + "it''s'), (2, '" + Big('b') + "')",
      "update t set b = '" + Big('u') + "' || b where a = 12345; select length(b) from t",
      "begin; insert into t (b, a) values ('" + Big('y') + "', - 1); commit",
      "/* 'not a literal' */ select '" + Big('z') + "' -- trailing 'comment'",
      // The skeleton stays under the cache's limit although the literals add up past it.
      "select " +
          [] {
            std::string items;
            for (int i = 0; i < 300; ++i)
              items += std::string(i ? ", " : "") + "'" + Big('q', 400) + "'";
            return items;
          }(),
  };
  for (const std::string& sql : queries) {
    ParseCache cache;
    bool skeletal = false;
    EXPECT_EQ(ViaSkeleton(cache, sql, &skeletal), FreshWithPosition(sql)) << sql.substr(0, 80);
    EXPECT_TRUE(skeletal) << sql.substr(0, 80);
    // Not kept: the tree holds the long literals.
    EXPECT_EQ(cache.size(), 0u);
    // And a later query of the same skeleton is not confused by it.
    EXPECT_EQ(ViaSkeleton(cache, "select '" + Big('w') + "'", &skeletal),
              FreshWithPosition("select '" + Big('w') + "'"));
  }
}

TEST(ParseCacheTest, SkeletonErrorsAndRefusalsFallBackToTheFullText) {
  const std::vector<std::string> queries = {
      // Syntax errors, before and after the long literal: PostgreSQL's positions.
      "select '" + Big('x') + "' frm t",
      "selec '" + Big('x') + "'",
      "select '" + Big('x') + "'; select (",
      // A statement the transformer refuses, with the position of the construct.
      "select '" + Big('x') + "' from (select 1 from w for update) s",
      // A literal that is not (only) a literal node: the skeleton's tree does not pass the
      // cache's checks.
      "set application_name = '" + Big('x') + "'",
      "select a::varchar(10), '" + Big('x') + "' from t",
  };
  for (const std::string& sql : queries) {
    ParseCache cache;
    bool skeletal = true;
    EXPECT_EQ(ViaSkeleton(cache, sql, &skeletal), FreshWithPosition(sql)) << sql.substr(0, 80);
    EXPECT_FALSE(skeletal) << sql.substr(0, 80);
  }
}

TEST(ParseCacheTest, NoSkeletonWhenItWouldNotHelp) {
  ParseCache cache;
  // Short enough for the cache itself.
  EXPECT_EQ(cache.Skeleton("select '" + Big('x', 1000) + "'"), "");
  // Long but for no literal, or for short ones only.
  std::string many = "select 1";
  while (many.size() <= ParseCache::kMaxQueryBytes) many += ", 'abc'";
  EXPECT_EQ(cache.Skeleton(many), "");
  // The scan gives up (an E'' string).
  EXPECT_EQ(cache.Skeleton("select E'" + Big('x') + "'"), "");
  // Non-ASCII text inside a plain string is the string's own.
  EXPECT_EQ(cache.Skeleton("select '" + Big('x') + "\xc3\xa9'"), "select ''");
  EXPECT_EQ(cache.Skeleton("select '" + Big('x') + "', 'a'"), "select '', 'a'");
}

}  // namespace
}  // namespace sqlrite::engine::sql
