// The window functions of a SELECT: one WindowAgg per window specification some call uses,
// stacked in PostgreSQL's order (select_active_windows: by the sort group references of their
// PARTITION BY + ORDER BY keys, descending, so that windows sorting alike are adjacent and a
// window whose keys are a prefix of another's comes after it), each over a Sort unless its
// input is already in the order it needs (create_one_window_path).

#include <algorithm>
#include <utility>

#include "common/assert.h"
#include "engine/exec/filter.h"
#include "engine/plan/planner.h"

namespace sqlrite::engine::plan {
namespace {

// PostgreSQL's tleSortGroupRef numbering: each distinct expression gets the next number where
// it is first used as a sort or group key: ORDER BY, GROUP BY, DISTINCT, then the windows'
// PARTITION BY and ORDER BY in the order the windows were defined.
class SortGroupRefs {
 public:
  int Of(const BoundExpr& e) {
    for (size_t i = 0; i < exprs_.size(); ++i) {
      if (SameExpr(*exprs_[i], e)) return static_cast<int>(i) + 1;
    }
    exprs_.push_back(&e);
    return static_cast<int>(exprs_.size());
  }

 private:
  std::vector<const BoundExpr*> exprs_;
};

// One key of a window's sort: its sort group reference and direction.
struct RefKey {
  int ref = 0;
  bool descending = false;
  bool nulls_first = false;
  bool operator==(const RefKey& o) const {
    return ref == o.ref && descending == o.descending && nulls_first == o.nulls_first;
  }
};

// PostgreSQL's common_prefix_cmp: true when a's windows go before b's.
int CommonPrefixCompare(const std::vector<RefKey>& a, const std::vector<RefKey>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].ref != b[i].ref) return a[i].ref > b[i].ref ? -1 : 1;
    // The DESC operator (">") has the larger OID for the engine's types.
    if (a[i].descending != b[i].descending) return a[i].descending ? -1 : 1;
    if (a[i].nulls_first != b[i].nulls_first) return a[i].nulls_first ? -1 : 1;
  }
  if (a.size() != b.size()) return a.size() > b.size() ? -1 : 1;
  return 0;
}

// A window's sort keys: PARTITION BY ascending, then ORDER BY, an expression sorted once (the
// first occurrence decides its direction, as PostgreSQL's redundant pathkeys are dropped).
std::vector<WindowOrderKey> SortKeysOf(const WindowSpec& spec) {
  std::vector<WindowOrderKey> keys;
  auto add = [&](const WindowOrderKey& k) {
    if (k.expr.IsConst()) return;
    for (const WindowOrderKey& seen : keys) {
      if (SameExpr(seen.expr, k.expr)) return;
    }
    keys.push_back(k);
  };
  for (const BoundExpr& p : spec.partition_by) add(WindowOrderKey{p, false, false});
  for (const WindowOrderKey& k : spec.order_by) add(k);
  return keys;
}

bool SameKey(const WindowOrderKey& a, const WindowOrderKey& b) {
  return a.descending == b.descending && a.nulls_first == b.nulls_first && SameExpr(a.expr, b.expr);
}

BoundExpr Column(size_t index, SqlType type) {
  BoundExpr e;
  e.kind = ExprKind::kColumn;
  e.index = static_cast<int>(index);
  e.type = type;
  return e;
}

}  // namespace

std::vector<size_t> WindowPlanOrder(const BoundSelect& b) {
  SortGroupRefs refs;
  for (const exec::SortKey& k : b.sort_keys) {
    const size_t n = b.items.exprs.size();
    refs.Of(k.column < n ? b.items.exprs[k.column] : b.sort_exprs[k.column - n]);
  }
  for (const BoundExpr& g : b.group_by) refs.Of(g);
  if (b.distinct) {
    for (const BoundExpr& e : b.items.exprs) refs.Of(e);
  }
  for (size_t c : b.distinct_on) {
    const size_t n = b.items.exprs.size();
    refs.Of(c < n ? b.items.exprs[c] : b.sort_exprs[c - n]);
  }
  // Every window of the query numbers its keys, used or not (transformWindowDefinitions).
  std::vector<std::vector<RefKey>> unique(b.windows.specs.size());
  for (size_t s = 0; s < b.windows.specs.size(); ++s) {
    const WindowSpec& spec = b.windows.specs[s];
    std::vector<RefKey>& u = unique[s];
    for (const BoundExpr& p : spec.partition_by) {
      const RefKey key{refs.Of(p), false, false};
      if (std::find(u.begin(), u.end(), key) == u.end()) u.push_back(key);
    }
    for (const WindowOrderKey& k : spec.order_by) {
      const RefKey key{refs.Of(k.expr), k.descending, k.nulls_first};
      if (std::find(u.begin(), u.end(), key) == u.end()) u.push_back(key);
    }
  }
  std::vector<size_t> order;
  for (size_t s = 0; s < b.windows.specs.size(); ++s) {
    if (b.windows.specs[s].active) order.push_back(s);
  }
  // PostgreSQL's qsort sorts so few elements by insertion, which keeps ties in order.
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return CommonPrefixCompare(unique[x], unique[y]) < 0;
  });
  return order;
}

NodePtr PlanWindows(BoundSelect& b, NodePtr node, std::vector<SqlType> column_types,
                    size_t agg_offset, std::vector<int>& call_column,
                    std::vector<WindowOrderKey>& sorted_by) {
  const std::vector<size_t> order = WindowPlanOrder(b);
  call_column.assign(b.windows.calls.size(), -1);
  sorted_by.clear();  // the order rows arrive in so far
  for (size_t s : order) {
    WindowSpec& spec = b.windows.specs[s];
    const size_t width = column_types.size();
    SQLRITE_ASSERT(node->width == width);
    std::vector<WindowOrderKey> keys = SortKeysOf(spec);
    size_t presorted = 0;
    while (presorted < keys.size() && presorted < sorted_by.size() &&
           SameKey(keys[presorted], sorted_by[presorted])) {
      ++presorted;
    }
    if (presorted < keys.size()) {
      // Sort by the keys: a plain column (or aggregate value) in place, any other expression
      // computed into a column appended for the sort and dropped by it.
      std::vector<exec::SortKey> sort_keys;
      std::vector<BoundExpr> computed;
      for (const WindowOrderKey& k : keys) {
        exec::SortKey key;
        key.descending = k.descending;
        key.nulls_first = k.nulls_first;
        key.jsonb = k.expr.type.id == TypeId::kJsonb;
        if (k.expr.kind == ExprKind::kColumn) {
          key.column = static_cast<size_t>(k.expr.index);
        } else if (k.expr.kind == ExprKind::kAggRef && agg_offset != exec::kNoAggregates) {
          key.column = agg_offset + static_cast<size_t>(k.expr.index);
        } else {
          key.column = width + computed.size();
          computed.push_back(k.expr);
        }
        sort_keys.push_back(key);
      }
      if (!computed.empty()) {
        Project project;
        for (size_t c = 0; c < width; ++c) project.exprs.push_back(Column(c, column_types[c]));
        for (BoundExpr& e : computed) project.exprs.push_back(std::move(e));
        project.agg_offset = agg_offset;
        const size_t w = project.exprs.size();
        auto p = std::make_unique<Node>();
        p->op = std::move(project);
        p->width = w;
        p->children.push_back(std::move(node));
        node = std::move(p);
      }
      auto sort = std::make_unique<Node>();
      sort->op = Sort{std::move(sort_keys), width, presorted};
      sort->width = width;
      sort->children.push_back(std::move(node));
      node = std::move(sort);
      sorted_by = keys;
    }
    WindowAgg agg;
    agg.agg_offset = agg_offset;
    for (size_t c = 0; c < b.windows.calls.size(); ++c) {
      if (b.windows.calls[c].spec != s) continue;
      call_column[c] = static_cast<int>(column_types.size());
      column_types.push_back(b.windows.calls[c].type);
      agg.calls.push_back(std::move(b.windows.calls[c]));
    }
    agg.spec = std::move(spec);
    auto w = std::make_unique<Node>();
    w->op = std::move(agg);
    w->width = column_types.size();
    w->children.push_back(std::move(node));
    node = std::move(w);
  }
  return node;
}

void ReplaceWindowRefs(BoundExpr& e, const std::vector<int>& call_column) {
  if (e.kind == ExprKind::kWindowRef) {
    const int column = call_column[static_cast<size_t>(e.index)];
    SQLRITE_ASSERT(column >= 0);
    e.kind = ExprKind::kColumn;
    e.index = column;
    return;
  }
  for (BoundExpr& a : e.args) ReplaceWindowRefs(a, call_column);
}

}  // namespace sqlrite::engine::plan
