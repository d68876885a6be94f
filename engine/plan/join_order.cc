#include "engine/plan/join_order.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/assert.h"

namespace sqlrite::engine::plan {
namespace {

constexpr double kMaxRows = 1e300;  // products of many items stay finite (and comparable)

uint64_t Bit(size_t u) { return uint64_t{1} << u; }

// The work of joining the rows of set (left) with item u.
double StepWork(const JoinGraph& g, uint64_t set, double left_rows, size_t u, double out_rows) {
  bool hashed = false;
  for (const JoinGraph::Edge& e : g.edges) {
    if (e.hashable && (e.items & Bit(u)) && (e.items & set) && (e.items & ~(set | Bit(u))) == 0) {
      hashed = true;
      break;
    }
  }
  const double right_rows = g.rows[u];
  const double pairs = hashed ? left_rows + right_rows : std::min(left_rows * right_rows, kMaxRows);
  return std::min(pairs + out_rows, kMaxRows);
}

// Whether some edge ties set to an item outside it.
bool Connected(const JoinGraph& g, uint64_t set, uint64_t other) {
  for (const JoinGraph::Edge& e : g.edges) {
    if ((e.items & set) && (e.items & other)) return true;
  }
  return false;
}

// Whether item u may join set next: only on a conjunct tying it to set, unless no item outside
// set has one (PostgreSQL's planner also avoids clauseless joins while a joinable item remains).
bool MayJoin(const JoinGraph& g, uint64_t set, size_t u, uint64_t all) {
  return Connected(g, set, Bit(u)) || !Connected(g, set, all & ~set);
}

// Whether a is less than b by more than rounding: equal work keeps the earlier choice.
bool Less(double a, double b) { return a < b - 1e-9 * std::max(std::abs(a), std::abs(b)); }

}  // namespace

double JoinRows(const JoinGraph& g, uint64_t set) {
  double rows = 1.0;
  for (size_t u = 0; u < g.rows.size(); ++u) {
    if (set & Bit(u)) rows *= std::max(g.rows[u], 1.0);
  }
  for (const JoinGraph::Edge& e : g.edges) {
    if (e.items != 0 && (e.items & ~set) == 0) rows *= e.selectivity;
  }
  return std::clamp(rows, 1.0, kMaxRows);
}

std::vector<size_t> ChooseJoinOrder(const JoinGraph& g) {
  const size_t n = g.rows.size();
  SQLRITE_ASSERT(n >= 1 && n <= 64);
  std::vector<size_t> order;
  if (n <= kExhaustiveItems) {
    // best[s]: the least work of a left-deep join of the items of s; last[s]: its last item.
    const size_t subsets = size_t{1} << n;
    std::vector<double> rows(subsets), best(subsets, std::numeric_limits<double>::infinity());
    std::vector<size_t> last(subsets, n);
    for (uint64_t s = 1; s < subsets; ++s) rows[s] = JoinRows(g, s);
    for (size_t u = 0; u < n; ++u) best[Bit(u)] = 0;
    for (uint64_t s = 1; s < subsets; ++s) {
      if ((s & (s - 1)) == 0) {
        last[s] = static_cast<size_t>(__builtin_ctzll(s));
        continue;
      }
      // Later items first: on a tie the latest item goes last, which keeps FROM order.
      for (size_t u = n; u-- > 0;) {
        if (!(s & Bit(u))) continue;
        const uint64_t rest = s & ~Bit(u);
        if (last[rest] == n || !MayJoin(g, rest, u, subsets - 1)) continue;
        const double work = best[rest] + StepWork(g, rest, rows[rest], u, rows[s]);
        if (last[s] == n || Less(work, best[s])) {
          best[s] = work;
          last[s] = u;
        }
      }
    }
    for (uint64_t s = subsets - 1; s != 0; s &= ~Bit(last[s])) order.push_back(last[s]);
    std::reverse(order.begin(), order.end());
    return order;
  }
  const uint64_t all = n == 64 ? ~uint64_t{0} : Bit(n) - 1;
  // Greedy: the item of fewest rows first, then each time the item whose join costs least.
  size_t first = 0;
  for (size_t u = 1; u < n; ++u) {
    if (Less(g.rows[u], g.rows[first])) first = u;
  }
  uint64_t set = Bit(first);
  order.push_back(first);
  double rows = JoinRows(g, set);
  while (order.size() < n) {
    size_t pick = n;
    double pick_work = 0, pick_rows = 0;
    for (size_t u = 0; u < n; ++u) {
      if ((set & Bit(u)) || !MayJoin(g, set, u, all)) continue;
      const double out = JoinRows(g, set | Bit(u));
      const double work = StepWork(g, set, rows, u, out);
      if (pick == n || Less(work, pick_work)) {
        pick = u;
        pick_work = work;
        pick_rows = out;
      }
    }
    set |= Bit(pick);
    rows = pick_rows;
    order.push_back(pick);
  }
  return order;
}

}  // namespace sqlrite::engine::plan
