#pragma once
// How the AST spells GROUP BY's grouping sets and the GROUPING() operation without node kinds
// of their own: as ast::FuncCall nodes whose names begin with a NUL byte, which no SQL
// identifier holds (a quoted "rollup"(x) stays an ordinary call). The binder
// (engine/analyze/grouping_sets.h) expands them.
//
//   ROLLUP (e, ...)         kRollupCall, args the elements
//   CUBE (e, ...)           kCubeCall
//   GROUPING SETS (e, ...)  kSetsCall
//   ()                      kEmptySetCall, no args
//   GROUPING (e, ...)       kGroupingCall, in the target list, HAVING or ORDER BY
//   GROUP BY DISTINCT i...  kDistinctSetsCall, GROUP BY's only item, args its items
//
// An element that is a parenthesised list, (a, b), stays the ast::RowExpr PostgreSQL's grammar
// makes of it (not explicit_row): one set of several expressions.

#include <string_view>

namespace sqlrite::engine::sql {

inline constexpr std::string_view kRollupCall{"\0rollup", 7};
inline constexpr std::string_view kCubeCall{"\0cube", 5};
inline constexpr std::string_view kSetsCall{"\0grouping sets", 14};
inline constexpr std::string_view kEmptySetCall{"\0()", 3};
inline constexpr std::string_view kGroupingCall{"\0grouping", 9};
inline constexpr std::string_view kDistinctSetsCall{"\0distinct", 9};

}  // namespace sqlrite::engine::sql
