// Parse(): libpg_query does the lexing and grammar (PostgreSQL 15's own), hands back a protobuf
// parse tree, and the Transformer maps each raw statement to the engine's AST.
//
// libpg_query reports a syntax error for the whole string without a SQLSTATE; PostgreSQL raises
// almost all of these as 42601 (even "LIMIT #,# syntax is not supported"), and the few
// "... is not yet implemented" refusals as 0A000, which is recovered here from the wording.

#include "engine/sql/parser.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <pthread.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "engine/sql/lexing.h"
#include "engine/sql/nesting_bound.h"
#include "engine/sql/protobuf_arena.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

struct ProtobufResultFree {
  void operator()(PgQueryProtobufParseResult* r) const { pg_query_free_protobuf_parse_result(*r); }
};

// Skips whitespace and comments at the front of [begin, end); returns the new begin.
size_t SkipLeadingNoise(std::string_view s, size_t begin, size_t end) {
  const std::string_view range = s.substr(0, end);
  while (begin < end) {
    size_t comment_end = 0;
    if (IsSpace(s[begin])) {
      ++begin;
    } else if (ScanComment(range, begin, &comment_end)) {
      begin = comment_end;
    } else {
      break;
    }
  }
  return begin;
}

// Parse() runs libpg_query on the calling thread when NestingBound() is at most kInlineNesting
// (safe on any session thread, sanitizers included), on a thread with a stack of
// kBaseStackBytes + kStackBytesPerLevel per level up to kMaxNesting (several times what a level
// was measured to take under ASan), and refuses deeper strings as PostgreSQL does (54001).
constexpr size_t kInlineNesting = 256;
constexpr size_t kMaxNesting = 20000;
constexpr size_t kBaseStackBytes = size_t{16} << 20;
constexpr size_t kStackBytesPerLevel = size_t{16} << 10;

Error SyntaxError(const PgQueryError& e) {
  std::string message = e.message != nullptr ? e.message : "syntax error";
  bool unsupported = message.find("not implemented") != std::string::npos;
  return Error(unsupported ? sqlstate::kFeatureNotSupported : sqlstate::kSyntaxError,
               std::move(message))
      .WithPosition(e.cursorpos > 0 ? e.cursorpos : 0);
}

Result<std::vector<ParsedStatement>> ParseHere(std::string_view sql) {
  // libpg_query wants a NUL-terminated string.
  const std::string query(sql);
  PgQueryProtobufParseResult raw = pg_query_parse_protobuf(query.c_str());
  std::unique_ptr<PgQueryProtobufParseResult, ProtobufResultFree> raw_guard(&raw);
  if (raw.error != nullptr) return Fail(SyntaxError(*raw.error));

  // The unpacked tree lives in `arena` and is released with it (no free_unpacked walk).
  ProtobufArena arena;
  const PgQuery__ParseResult* tree = pg_query__parse_result__unpack(
      arena.allocator(), raw.parse_tree.len, reinterpret_cast<const uint8_t*>(raw.parse_tree.data));
  if (tree == nullptr) return Fail(sqlstate::kInternalError, "could not decode the parse tree");

  Transformer transformer(query);
  std::vector<ParsedStatement> statements;
  statements.reserve(tree->n_stmts);
  for (size_t i = 0; i < tree->n_stmts; ++i) {
    const PgQuery__RawStmt* raw_stmt = tree->stmts[i];
    if (raw_stmt == nullptr || IsNullNode(raw_stmt->stmt)) continue;

    size_t begin =
        std::min(static_cast<size_t>(std::max(raw_stmt->stmt_location, 0)), query.size());
    size_t end = raw_stmt->stmt_len > 0
                     ? std::min(begin + static_cast<size_t>(raw_stmt->stmt_len), query.size())
                     : query.size();
    begin = SkipLeadingNoise(query, begin, end);
    while (end > begin && IsSpace(query[end - 1])) --end;

    ParsedStatement parsed{transformer.TransformStatement(*raw_stmt->stmt),
                           query.substr(begin, end - begin), static_cast<int>(begin)};
    statements.push_back(std::move(parsed));
  }
  return statements;
}

// Runs fn on a new thread with a stack of stack_bytes (reserved, touched only as used) and
// waits for it. False when no such thread can be made.
template <typename Fn>
bool RunOnBigStack(size_t stack_bytes, Fn& fn) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  bool ok = pthread_attr_setstacksize(&attr, stack_bytes) == 0;
  pthread_t thread;
  ok = ok && pthread_create(
                 &thread, &attr,
                 [](void* arg) -> void* {
                   (*static_cast<Fn*>(arg))();
                   return nullptr;
                 },
                 &fn) == 0;
  pthread_attr_destroy(&attr);
  if (ok) pthread_join(thread, nullptr);
  return ok;
}

}  // namespace

Result<std::vector<ParsedStatement>> Parse(std::string_view sql) {
  const size_t nesting = NestingBound(sql);
  if (nesting <= kInlineNesting) return ParseHere(sql);
  if (nesting > kMaxNesting) {
    return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                    .WithHint("Simplify the expression."));
  }
  // libpg_query and protobuf-c recurse once per level of the tree without a depth check: give
  // them a stack sized for the worst case the text allows.
  std::optional<Result<std::vector<ParsedStatement>>> result;
  auto run = [&] { result.emplace(ParseHere(sql)); };
  if (!RunOnBigStack(kBaseStackBytes + nesting * kStackBytesPerLevel, run) || !result) {
    return Fail(Error(sqlstate::kOutOfMemory, "out of memory")
                    .WithDetail("Could not start a thread to parse a deeply nested query."));
  }
  return std::move(*result);
}

}  // namespace sqlrite::engine::sql
