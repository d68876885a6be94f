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

}  // namespace sqlrite::engine::sql
