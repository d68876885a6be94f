#pragma once
// The order in which the planner joins the items of an inner join (FROM's comma list and the
// INNER / CROSS JOINs flattened into it): the left-deep order of least estimated work, by
// dynamic programming over subsets of items up to kExhaustiveItems items (PostgreSQL's
// standard join search), greedily beyond (cheapest next join first).
//
// The work of a join of the rows so far (L rows) with the next item (R rows) giving O rows: L
// + R + O when a join conjunct between them is an equality a hash join can key on, else L * R +
// O (a nested loop tests every pair). A join order's work is the sum over its joins; orders of
// equal work keep FROM order. Pure: figures in, order out (estimate.h makes the figures).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sqlrite::engine::plan {

inline constexpr size_t kExhaustiveItems = 10;

struct JoinGraph {
  // Per item: its estimated rows once its own conditions are applied (>= 1).
  std::vector<double> rows;
  // A conjunct over two or more items, applied by the join that first holds all of them.
  struct Edge {
    uint64_t items = 0;  // bit u: item u
    double selectivity = 1.0;
    bool hashable = false;  // an equality between two sides that a hash join can key on
  };
  std::vector<Edge> edges;
};

// The estimated rows of joining the items of set (bits of items) under the edges they cover.
double JoinRows(const JoinGraph& g, uint64_t set);

// The items in join order: every item once. REQUIRES: 1 <= g.rows.size() <= 64.
std::vector<size_t> ChooseJoinOrder(const JoinGraph& g);

}  // namespace sqlrite::engine::plan
