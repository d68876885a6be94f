#pragma once
// NestingBound: an upper bound, from the text alone, on how deeply the parse tree of a query
// string can nest, so that Parse() can keep libpg_query from recursing off the end of the stack.
//
// libpg_query 15's output and protobuf-c's unpack recurse once per tree level with no depth check
// (its stack guard is compiled out), so `SELECT 1+1+1...` with tens of thousands of terms crashes
// the process where PostgreSQL reports "stack depth limit exceeded". Every level of the tree
// comes from a token of the text (an operator, a keyword, a parenthesis), except for the elements
// of comma-separated lists, which are siblings. So the bound is, along the deepest chain of
// parentheses, the sum over each group of the tokens in its longest comma-separated segment
// (plus one per parenthesis). It is loose (a WHERE of many ANDed terms counts every token), never
// low: strings, quoted identifiers, comments, E'' and dollar-quoted strings are scanned as single
// tokens so that brackets inside them do not count.

#include <cstddef>
#include <string_view>

namespace sqlrite::engine::sql {

size_t NestingBound(std::string_view sql);

// LexerWork: an estimate, from the text alone, of how many bytes libpg_query's lexer (PostgreSQL
// 15's scan.l) reads to tokenise sql, so that Parse() can refuse strings that would keep it busy
// for minutes. Its rules for operators and comments match the longest run of operator characters
// (+-*/<>=~!@#^&|`?%) and then give most of it back: "/*" takes the whole run that follows it and
// keeps two bytes, an operator stops at an embedded "/*" or "--" and drops trailing '+' and '-'.
// So a run with k token starts in it is read about k times: `select 1 /*/*/*...*/*/*/` with n
// pairs costs ~n^2 (8k pairs: 1.3 s; 100k pairs: minutes), as do `/**//**/...` and `+-+-...`.
// The estimate follows those rules over each run (strings, quoted identifiers, dollar quotes and
// line comments are one read each); it stops counting once past `stop_above`. Ordinary text,
// banner comments included, comes out within a few times its length.
size_t LexerWork(std::string_view sql, size_t stop_above);

// The most LexerWork that Parse() accepts for a string of text_bytes: about 50 ms of lexing on top
// of what its length costs anyway.
inline size_t LexerWorkLimit(size_t text_bytes) { return (size_t{1} << 23) + 4 * text_bytes; }

}  // namespace sqlrite::engine::sql
