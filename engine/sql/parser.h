#pragma once
// Parse: SQL text -> the engine's statement tree, through libpg_query (PostgreSQL 15 grammar).
// Pure and thread-safe: sessions call it on their own threads, never on the engine thread.
//
// Errors: 42601 syntax_error with the position PostgreSQL would report; 0A000
// feature_not_supported for a statement or construct the engine does not implement yet (with
// the position of the construct when known); 22P02 for malformed numeric literals.

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
  std::string text;  // this statement's own text, for messages and logs
  int offset = 0;    // byte offset of `text` in the whole query string
};

// Parses a query string that may hold several statements separated by ';'. An empty string or
// one holding only ';' and comments yields an empty vector (EmptyQueryResponse on the wire).
// Error positions are relative to the whole query string.
Result<std::vector<ParsedStatement>> Parse(std::string_view sql);

}  // namespace sqlrite::engine::sql
