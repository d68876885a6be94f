#include "engine/analyze/grouping_sets.h"

#include <algorithm>
#include <string>
#include <utility>

namespace sqlrite::engine {
namespace {

constexpr size_t kMaxGroupingSets = 4096;  // PostgreSQL's limit (parseCheckAggregates)
constexpr size_t kMaxCubeElements = 12;    // transformGroupingSet's

using Set = std::vector<size_t>;
using Leaf = std::function<Result<size_t>(const ast::Expr&)>;

const ast::GroupingSet* SetOf(const ast::Expr& e) { return std::get_if<ast::GroupingSet>(&e.node); }

// An element of ROLLUP, CUBE or GROUPING SETS that is no nested set: a parenthesised list's
// expressions, or the one expression.
Result<Set> ElementSet(const ast::Expr& e, const Leaf& leaf) {
  Set out;
  if (const auto* row = std::get_if<ast::RowExpr>(&e.node); row && !row->explicit_row) {
    for (const ast::ExprPtr& a : row->args) {
      SQLRITE_ASSIGN_OR_RETURN(size_t i, leaf(*a));
      out.push_back(i);
    }
    return out;
  }
  SQLRITE_ASSIGN_OR_RETURN(size_t i, leaf(e));
  out.push_back(i);
  return out;
}

Set Union(const Set& a, const Set& b) {
  Set out = a;
  for (size_t i : b) {
    if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  }
  return out;
}

tl::unexpected<Error> TooMany() {
  return Fail(sqlstate::kStatementTooComplex, "too many grouping sets present (maximum 4096)");
}

// The sets one GROUP BY item (or an element of GROUPING SETS) stands for.
Result<std::vector<Set>> ItemSets(const ast::Expr& e, const Leaf& leaf) {
  const ast::GroupingSet* f = SetOf(e);
  if (f == nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(Set s, ElementSet(e, leaf));
    return std::vector<Set>{std::move(s)};
  }
  using Kind = ast::GroupingSet::Kind;
  if (f->kind == Kind::kEmpty) return std::vector<Set>{Set{}};
  std::vector<Set> out;
  if (f->kind == Kind::kSets) {
    for (const ast::ExprPtr& a : f->items) {
      SQLRITE_ASSIGN_OR_RETURN(std::vector<Set> sub, ItemSets(*a, leaf));
      for (Set& s : sub) out.push_back(std::move(s));
      if (out.size() > kMaxGroupingSets) return TooMany();
    }
    return out;
  }
  std::vector<Set> elements;
  for (const ast::ExprPtr& a : f->items) {
    SQLRITE_ASSIGN_OR_RETURN(Set s, ElementSet(*a, leaf));
    elements.push_back(std::move(s));
  }
  if (f->kind == Kind::kRollup) {
    // (e1, ..., en), (e1, ..., en-1), ..., ()
    for (size_t n = elements.size() + 1; n-- > 0;) {
      Set s;
      for (size_t k = 0; k < n; ++k) s = Union(s, elements[k]);
      out.push_back(std::move(s));
    }
    return out;
  }
  if (elements.size() > kMaxCubeElements) {
    return Fail(Error(sqlstate::kTooManyColumns, "CUBE is limited to 12 elements")
                    .WithPosition(ExprLocation(e) + 1));
  }
  // Every subset, the largest first (PostgreSQL's order of the sets it runs does not show: a
  // result's row order is ORDER BY's).
  const size_t n = elements.size();
  for (size_t mask = (size_t{1} << n); mask-- > 0;) {
    Set s;
    for (size_t k = 0; k < n; ++k) {
      if (mask & (size_t{1} << (n - 1 - k))) s = Union(s, elements[k]);
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Points the grouped expressions of e outside aggregates at their slots.
void PointAtSlots(BoundExpr& e, const std::vector<BoundExpr>& group_by,
                  const std::vector<int>& slot) {
  if (e.kind == ExprKind::kAggRef) return;
  for (size_t j = 0; j < group_by.size(); ++j) {
    if (SameExpr(e, group_by[j])) {
      BoundExpr ref;
      ref.kind = ExprKind::kAggRef;
      ref.type = group_by[j].type;
      ref.index = slot[j];
      ref.location = e.location;
      e = std::move(ref);
      return;
    }
  }
  for (BoundExpr& a : e.args) PointAtSlots(a, group_by, slot);
}

}  // namespace

Result<std::vector<std::vector<size_t>>> ExpandGroupBy(const std::vector<ast::ExprPtr>& items,
                                                       bool distinct, const Leaf& leaf,
                                                       bool* has_sets) {
  *has_sets = false;
  std::vector<Set> sets{Set{}};
  for (const ast::ExprPtr& item : items) {
    if (SetOf(*item) != nullptr) *has_sets = true;
    SQLRITE_ASSIGN_OR_RETURN(std::vector<Set> item_sets, ItemSets(*item, leaf));
    if (sets.size() * item_sets.size() > kMaxGroupingSets) return TooMany();
    std::vector<Set> product;
    product.reserve(sets.size() * item_sets.size());
    for (const Set& a : sets) {
      for (const Set& b : item_sets) product.push_back(Union(a, b));
    }
    sets = std::move(product);
  }
  if (distinct) {
    // GROUP BY DISTINCT: each set once, whatever the order of its expressions.
    std::vector<Set> kept;
    std::vector<Set> seen;
    for (Set& s : sets) {
      Set sorted = s;
      std::sort(sorted.begin(), sorted.end());
      if (std::find(seen.begin(), seen.end(), sorted) != seen.end()) continue;
      seen.push_back(std::move(sorted));
      kept.push_back(std::move(s));
    }
    sets = std::move(kept);
  }
  return sets;
}

AggSpec GroupingCallSpec(std::vector<BoundExpr> args) {
  AggSpec spec;
  spec.kind = AggKind::kCountStar;
  spec.distinct = true;
  spec.type = SqlType{TypeId::kInt4, -1};
  spec.arg.args = std::move(args);
  return spec;
}

bool IsGroupingCallSpec(const AggSpec& spec) {
  return spec.kind == AggKind::kCountStar && spec.distinct;
}

Result<exec::GroupingSets> FinishGroupingSets(const std::vector<BoundExpr>& group_by,
                                              const std::vector<std::vector<size_t>>& sets,
                                              std::vector<AggSpec>* aggs,
                                              const std::vector<BoundExpr*>& post) {
  exec::GroupingSets out;
  for (AggSpec& spec : *aggs) {
    exec::GroupingSets::Slot slot;
    if (IsGroupingCallSpec(spec)) {
      slot.kind = exec::GroupingSets::Slot::kGrouping;
      for (const BoundExpr& a : spec.arg.args) {
        auto it = std::find_if(group_by.begin(), group_by.end(),
                               [&a](const BoundExpr& g) { return SameExpr(a, g); });
        if (it == group_by.end()) {
          return Fail(Error(sqlstate::kGroupingError,
                            "arguments to GROUPING must be grouping expressions of the "
                            "associated query level")
                          .WithPosition(a.location >= 0 ? a.location + 1 : 0));
        }
        slot.refs.push_back(static_cast<size_t>(it - group_by.begin()));
      }
      spec.arg.args.clear();
    }
    out.slots.push_back(std::move(slot));
  }
  std::vector<int> slot_of(group_by.size());
  for (size_t j = 0; j < group_by.size(); ++j) {
    AggSpec key;
    key.type = group_by[j].type;
    slot_of[j] = static_cast<int>(aggs->size());
    aggs->push_back(std::move(key));
    out.slots.push_back(exec::GroupingSets::Slot{exec::GroupingSets::Slot::kKey, {j}});
  }
  if (sets.empty()) {
    out.sets.emplace_back(group_by.size(), true);
  } else {
    for (const std::vector<size_t>& s : sets) {
      std::vector<bool> grouped(group_by.size(), false);
      for (size_t i : s) grouped[i] = true;
      out.sets.push_back(std::move(grouped));
    }
  }
  for (BoundExpr* e : post) PointAtSlots(*e, group_by, slot_of);
  return out;
}

}  // namespace sqlrite::engine
