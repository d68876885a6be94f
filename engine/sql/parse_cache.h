#pragma once
// ParseCache: Parse() for one session that skips libpg_query for a query string of a shape it has
// parsed before (engine/sql/query_shape.h: the same text but for the values of its literals).
//
// Clients of the simple query protocol send the same statements again and again with other
// constants written in (pgbench -M simple, psycopg2, ORMs building SQL text). libpg_query's
// parse and its protobuf round trip cost ~10 µs for a point lookup, more than executing it; a
// hit here costs one scan of the text and one walk of the cached tree, which writes the new
// literal values in and moves every location by the lengths the literals changed by.
//
// A shape is cached only when its tree provably depends on the literal tokens in no other way:
// every integer, numeric and string literal node of the tree sits at a literal token's location
// (or at a '-' just before a number, the grammar's folded negation) and holds that token's
// value, and every literal token has such a node. A literal used as anything else (a type
// modifier, a SET value, strings glued across a newline, EXTRACT's field name) fails that check
// and the shape is parsed in full every time. Beside SELECT, INSERT, UPDATE and DELETE, a query
// string with literals may hold only statements without locations (BEGIN, COMMIT, SET, ...); one
// without literals is cached whatever it holds. Statements that failed to transform and syntax
// errors are never cached.
//
// The cache holds up to `capacity` shapes (and kMaxTotalBytes of text) and forgets them all
// when full. Not thread-safe: one
// per session.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/sql/parser.h"
#include "engine/sql/query_shape.h"

namespace sqlrite::engine::sql {

class ParseCache {
 public:
  static constexpr size_t kDefaultCapacity = 64;
  // Memory bounds (a tree takes roughly ten times its text): longer query strings are parsed
  // without the cache, and the cache starts over once its texts pass kMaxTotalBytes.
  static constexpr size_t kMaxQueryBytes = 64 * 1024;
  static constexpr size_t kMaxTotalBytes = 256 * 1024;
  // String literals longer than this are cut out of a skeleton.
  static constexpr size_t kSkeletonLiteralBytes = 256;

  explicit ParseCache(size_t capacity = kDefaultCapacity);
  ~ParseCache();
  ParseCache(const ParseCache&) = delete;
  ParseCache& operator=(const ParseCache&) = delete;

  // As sql::Parse(sql). The statements belong to the cache and stay valid, unchanged, until the
  // next call.
  Result<std::vector<ParsedStatement>*> Parse(std::string_view sql);

  // Parse() in two halves, so that the parse itself can run elsewhere (sql::ParseOnWorker) while
  // the cache stays on its one thread: Lookup(sql) gives the cached statements rebound to sql, or
  // nullptr on a miss; after a miss, Insert(sql, sql::Parse(sql)) files the result and gives it
  // back as Parse() would. REQUIRES: Insert's sql is that of the Lookup just before it.
  std::vector<ParsedStatement>* Lookup(std::string_view sql);
  Result<std::vector<ParsedStatement>*> Insert(std::string_view sql,
                                               Result<std::vector<ParsedStatement>> parsed);

  // For a query string too long for the cache only because of its string literals (a 50 MB
  // insert of a document): libpg_query would copy the text several times over, so after a
  // Lookup(sql) miss, Skeleton(sql) gives the same text with each long string literal cut to ''
  // (the same shape), or "" when there is no such text. Parse that instead, and
  // InsertSkeleton(skeleton, sql, sql::Parse(skeleton)) gives sql's statements, rebound as a hit
  // would be, or nullptr when the skeleton's tree does not pass the cache's checks (or failed to
  // parse): then parse sql itself, so that its errors are exactly PostgreSQL's. The statements are
  // not kept for later queries (the literals would stay in memory), and they may be executed
  // only once: their long string literals are marked single_use (ast.h), so binding moves them
  // out of the tree instead of copying them.
  std::string Skeleton(std::string_view sql) const;
  std::vector<ParsedStatement>* InsertSkeleton(std::string_view skeleton, std::string_view sql,
                                               Result<std::vector<ParsedStatement>> parsed);

  // Frees the statements of the last query string that the cache does not keep (their tree may
  // hold long literals), once they are done with.
  void ReleaseUncached() { uncached_ = std::vector<ParsedStatement>(); }

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry;
  std::unique_ptr<Entry> BuildEntry(std::string_view sql, std::vector<ParsedStatement>& statements);
  void Rebind(Entry& entry, std::string_view sql);

  size_t capacity_;
  size_t total_bytes_ = 0;  // of the keys held
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
  QueryShape shape_;                       // scratch for the query being looked up
  bool shaped_ = false;                    // shape_ holds the last Lookup's sql
  std::vector<ParsedStatement> uncached_;  // the last result that was not cached
  std::vector<uint32_t> shift_starts_;     // Rebind's position tables, kept between lookups
  std::vector<int64_t> shift_deltas_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace sqlrite::engine::sql
