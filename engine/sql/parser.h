#pragma once
// Parse: SQL text -> the engine's statement tree, through libpg_query (PostgreSQL 15 grammar).
// Pure and thread-safe. The server never runs it on an io thread or the engine thread: it hands
// each parse to ParseOnWorker, so that a slow parse delays only the session that sent it.
//
// Errors: 42601 syntax_error with the position PostgreSQL would report; 0A000
// feature_not_supported for a statement or construct the engine does not implement yet (with
// the position of the construct when known); 22P02 for malformed numeric literals.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine::sql {

struct ParsedStatement {
  // The statement, or why it cannot run. A syntax error anywhere fails the whole Parse() (as in
  // PostgreSQL, nothing runs); an unsupported construct fails only its own statement, reported
  // when its turn comes, after the statements before it have run.
  Result<ast::Statement> statement;
  // Where this statement's own text lies in the whole query string. Not a copy of it: a
  // statement with a 50 MB literal would hold it twice more (here and in the tree).
  int offset = 0;
  int length = 0;
  std::string_view Text(std::string_view query) const {
    return query.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
  }
};

// Parses a query string that may hold several statements separated by ';'. An empty string or
// one holding only ';' and comments yields an empty vector (EmptyQueryResponse on the wire).
// Error positions are relative to the whole query string.
// Refused before libpg_query sees them (54001): strings whose tree could nest deeper than
// libpg_query can recurse, and strings that would make its lexer rescan the same text quadratically
// (engine/sql/nesting_bound.h).
Result<std::vector<ParsedStatement>> Parse(std::string_view sql);

// How many times libpg_query has parsed a string in this process (every thread). For tests
// that show a path does not parse: a prepared statement's executions, a parse cache hit.
uint64_t LibpgQueryCalls();

// Runs Parse(sql) on a parse worker thread and calls done with its result on that thread. A
// parse never waits behind another one: it takes an idle worker or starts a new thread (idle
// workers exit after a few seconds), and a string nested deeper than a worker's stack allows gets
// a thread of its own with a stack sized for it. Returns false (and drops done uncalled) when no
// thread can be started. Thread-safe. done must not block for long: it runs on the worker.
using ParseDone = std::function<void(Result<std::vector<ParsedStatement>>)>;
bool ParseOnWorker(std::string sql, ParseDone done);
// The same without copying the text: REQUIRES sql is followed by a NUL byte in memory
// (sql.data()[sql.size()] == '\0', as in a protocol message) and owner keeps it alive. The
// worker lets go of owner before it calls done.
bool ParseOnWorker(std::shared_ptr<const void> owner, std::string_view sql, ParseDone done);

}  // namespace sqlrite::engine::sql
