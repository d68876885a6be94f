// Parse(): libpg_query does the lexing and grammar (PostgreSQL 15's own), hands back a protobuf
// parse tree, and the Transformer maps each raw statement to the engine's AST.
//
// libpg_query reports a syntax error for the whole string without a SQLSTATE; PostgreSQL raises
// almost all of these as 42601 (even "LIMIT #,# syntax is not supported"), and the few
// "... is not yet implemented" and "... constraints cannot be marked ..." refusals as 0A000,
// which is recovered here from the wording.

#include "engine/sql/parser.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "common/assert.h"
#include "common/worker_pool.h"
#include "engine/sql/lexing.h"
#include "engine/sql/nesting_bound.h"
#include "engine/sql/protobuf_arena.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

std::atomic<uint64_t> libpg_query_calls{0};

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
// (safe on any thread with a default stack, sanitizers included), on a thread with a stack of
// kBaseStackBytes + kStackBytesPerLevel per level up to kMaxNesting (several times what a level
// was measured to take under ASan), and refuses deeper strings as PostgreSQL does (54001).
constexpr size_t kInlineNesting = 256;
constexpr size_t kMaxNesting = 20000;
constexpr size_t kBaseStackBytes = size_t{16} << 20;
constexpr size_t kStackBytesPerLevel = size_t{16} << 10;
// Pooled workers (common/worker_pool.h) have a stack that covers kInlineNesting with the same
// margin; deeper strings get a thread of their own.
constexpr size_t kWorkerStackBytes = kBaseStackBytes + kInlineNesting * kStackBytesPerLevel;
static_assert(kWorkerStackBytes <= WorkerPool::kPooledStackBytes);

// Runs fn on a thread of its own with stack_bytes of stack and returns once that thread has
// ended, not merely once fn has: a detached thread still exiting after its caller moved on holds
// glibc's thread-specific data, which LeakSanitizer's check (libFuzzer runs one after each input
// that leaves allocations behind) then reports as leaked. False when no thread can be made.
bool RunOnSizedThread(size_t stack_bytes, const std::function<void()>& fn) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  pthread_t thread;
  bool ok = pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
            pthread_create(
                &thread, &attr,
                [](void* arg) -> void* {
                  (*static_cast<const std::function<void()>*>(arg))();
                  return nullptr;
                },
                const_cast<std::function<void()>*>(&fn)) == 0;
  pthread_attr_destroy(&attr);
  if (!ok) return false;
  const int joined = pthread_join(thread, nullptr);
  SQLRITE_ASSERT(joined == 0);  // fn refers to the caller's stack: it must have finished
  return true;
}

Error NoThreadError() {
  return Error(sqlstate::kOutOfMemory, "out of memory")
      .WithDetail("Could not start a thread to parse the query.");
}

Error SyntaxError(const PgQueryError& e) {
  std::string message = e.message != nullptr ? e.message : "syntax error";
  // "... not yet implemented" (MATCH PARTIAL) and processCASbits's "CHECK constraints cannot be
  // marked DEFERRABLE" are PostgreSQL's feature refusals.
  bool unsupported = message.find("not implemented") != std::string::npos ||
                     message.find("not yet implemented") != std::string::npos ||
                     message.find("constraints cannot be marked") != std::string::npos;
  // The grammar's own checks of window frames raise ERRCODE_WINDOWING_ERROR (gram.y's
  // makeWindowFrame...), which libpg_query reports without a SQLSTATE.
  const bool frame = message.rfind("frame start", 0) == 0 || message.rfind("frame end", 0) == 0 ||
                     message.rfind("frame starting from", 0) == 0;
  return Error(unsupported ? sqlstate::kFeatureNotSupported
               : frame     ? sqlstate::kWindowingError
                           : sqlstate::kSyntaxError,
               std::move(message))
      .WithPosition(e.cursorpos > 0 ? e.cursorpos : 0);
}

// REQUIRES: query is the whole string, followed by a NUL byte in memory (libpg_query reads a C
// string).
Result<std::vector<ParsedStatement>> ParseHere(std::string_view query) {
  libpg_query_calls.fetch_add(1, std::memory_order_relaxed);
  PgQueryProtobufParseResult raw = pg_query_parse_protobuf(query.data());
  std::unique_ptr<PgQueryProtobufParseResult, ProtobufResultFree> raw_guard(&raw);
  if (raw.error != nullptr) return Fail(SyntaxError(*raw.error));

  // The unpacked tree lives in `arena` and is released with it (no free_unpacked walk).
  ProtobufArena arena;
  const PgQuery__ParseResult* tree = pg_query__parse_result__unpack(
      arena.allocator(), raw.parse_tree.len, reinterpret_cast<const uint8_t*>(raw.parse_tree.data));
  if (tree == nullptr) return Fail(sqlstate::kInternalError, "could not decode the parse tree");
  // The tree holds copies of everything it needs: the packed form (as big as the tree's
  // strings) goes before the transform makes a third copy of them.
  raw_guard.reset();

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

    ParsedStatement parsed{transformer.TransformStatement(*raw_stmt->stmt), static_cast<int>(begin),
                           static_cast<int>(end - begin)};
    statements.push_back(std::move(parsed));
  }
  return statements;
}

// Parse() on the calling thread or (deep strings) on a thread with a stack sized for it, waited
// for. REQUIRES: as ParseHere.
Result<std::vector<ParsedStatement>> ParseTerminated(std::string_view sql) {
  // PostgreSQL has no limit here (it would lex such a string for minutes, its backend busy but
  // cancellable); ours refuses, with the SQLSTATE PostgreSQL gives for its other limit on how
  // complex a statement may be (the stack depth, below).
  if (const size_t limit = LexerWorkLimit(sql.size()); LexerWork(sql, limit) > limit) {
    return Fail(Error(sqlstate::kStatementTooComplex, "query text is too complex to scan")
                    .WithDetail("Comments and operators packed into one run of operator "
                                "characters (as in /*/*/* ... */*/*/ or +-+-+- ...) make the "
                                "lexer read the same text again for each of them.")
                    .WithHint("Put spaces between comments and operators."));
  }
  const size_t nesting = NestingBound(sql);
  if (nesting <= kInlineNesting) return ParseHere(sql);
  if (nesting > kMaxNesting) {
    return Fail(Error(sqlstate::kStatementTooComplex, "stack depth limit exceeded")
                    .WithHint("Simplify the expression."));
  }
  // libpg_query and protobuf-c recurse once per level of the tree without a depth check: give
  // them a stack sized for the worst case the text allows.
  std::optional<Result<std::vector<ParsedStatement>>> result;
  if (!RunOnSizedThread(kBaseStackBytes + nesting * kStackBytesPerLevel,
                        [&] { result.emplace(ParseHere(sql)); })) {
    return Fail(NoThreadError());
  }
  return std::move(*result);
}

}  // namespace

uint64_t LibpgQueryCalls() { return libpg_query_calls.load(std::memory_order_relaxed); }

Result<std::vector<ParsedStatement>> Parse(std::string_view sql) {
  const std::string terminated(sql);
  return ParseTerminated(terminated);
}

bool ParseOnWorker(std::string sql, ParseDone done) {
  auto owned = std::make_shared<const std::string>(std::move(sql));
  const std::string_view view = *owned;
  return ParseOnWorker(std::move(owned), view, std::move(done));
}

bool ParseOnWorker(std::shared_ptr<const void> owner, std::string_view sql, ParseDone done) {
  return WorkerPool::Instance().Run(
      kWorkerStackBytes, [owner = std::move(owner), sql, done = std::move(done)]() mutable {
        Result<std::vector<ParsedStatement>> r = ParseTerminated(sql);
        owner.reset();  // let go of the text before the caller takes over the result
        done(std::move(r));
      });
}

}  // namespace sqlrite::engine::sql
