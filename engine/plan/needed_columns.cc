#include "engine/plan/needed_columns.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "engine/expression_columns.h"

namespace sqlrite::engine::plan {
namespace {

// The walk below reads an AggSpec's column references from `arg`, `filter`, `delimiter`,
// `order_by` and `direct_args` (a BoundExpr's: MarkColumnsRead). A new field that can hold a
// column reference must be walked too: this size check fails to compile when the struct changes,
// to send the change here. (The size is that of x86-64 with libstdc++, with g++ and clang alike.)
static_assert(sizeof(AggSpec) == 568, "an AggSpec field changed: does Walk() mark it?");

using Needed = std::vector<bool>;

void Mark(const BoundExpr& expr, Needed& needed) { MarkColumnsRead(expr, needed); }

void Mark(const std::optional<BoundExpr>& expr, Needed& needed) {
  if (expr) Mark(*expr, needed);
}

void Walk(Node& node, Needed needed);

void All(Node& node) {
  for (auto& child : node.children) Walk(*child, Needed(child->width, true));
}

// A join's row is its left row then its right row: the part of `needed` for each side.
void Split(Node& node, const Needed& joined) {
  const size_t left = node.children[0]->width;
  Needed l(joined.begin(), joined.begin() + static_cast<std::ptrdiff_t>(left));
  Needed r(joined.begin() + static_cast<std::ptrdiff_t>(left), joined.end());
  Walk(*node.children[0], std::move(l));
  Walk(*node.children[1], std::move(r));
}

void Walk(Node& node, Needed needed) {
  if (needed.size() != node.width) needed.assign(node.width, true);
  std::visit(
      [&](auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Scan>) {
          Mark(op.filter, needed);
          if (std::all_of(needed.begin(), needed.end(), [](bool b) { return b; })) {
            op.needed.clear();
          } else {
            op.needed = std::move(needed);
          }
        } else if constexpr (std::is_same_v<T, Filter>) {
          Needed in = std::move(needed);
          Mark(op.condition, in);
          Walk(*node.children[0], std::move(in));
        } else if constexpr (std::is_same_v<T, Limit>) {
          for (size_t c : op.tie_columns) needed[c] = true;
          Walk(*node.children[0], std::move(needed));
        } else if constexpr (std::is_same_v<T, Unique>) {
          for (size_t c : op.key_columns) needed[c] = true;
          Walk(*node.children[0], std::move(needed));
        } else if constexpr (std::is_same_v<T, Project>) {
          Needed in(node.children.empty() ? 0 : node.children[0]->width, false);
          for (const BoundExpr& e : op.exprs) Mark(e, in);
          if (!node.children.empty()) Walk(*node.children[0], std::move(in));
        } else if constexpr (std::is_same_v<T, Aggregate>) {
          // Its row is each group's input row (what the select list reads of the grouped
          // columns) followed by the aggregates' values.
          Needed in(node.children[0]->width, false);
          for (size_t i = 0; i < in.size() && i < needed.size(); ++i) in[i] = needed[i];
          for (const BoundExpr& e : op.group_by) Mark(e, in);
          for (const AggSpec& a : op.aggs) {
            Mark(a.arg, in);
            Mark(a.filter, in);
            Mark(a.delimiter, in);
            for (const AggOrderKey& k : a.order_by) Mark(k.expr, in);
            for (const BoundExpr& d : a.direct_args) Mark(d, in);
          }
          Walk(*node.children[0], std::move(in));
        } else if constexpr (std::is_same_v<T, HashJoin>) {
          const size_t left = node.children[0]->width;
          Needed joined = std::move(needed);
          // SEMI / ANTI rows are the left's alone; the residual reads the pair.
          joined.resize(left + node.children[1]->width, false);
          Mark(op.residual, joined);
          Needed l(left, false), r(node.children[1]->width, false);
          for (const BoundExpr& e : op.left_keys) Mark(e, l);
          for (const BoundExpr& e : op.right_keys) Mark(e, r);
          for (size_t i = 0; i < joined.size(); ++i) {
            if (!joined[i]) continue;
            if (i < left) {
              l[i] = true;
            } else {
              r[i - left] = true;
            }
          }
          Walk(*node.children[0], std::move(l));
          Walk(*node.children[1], std::move(r));
        } else if constexpr (std::is_same_v<T, NestedLoop>) {
          Needed joined = std::move(needed);
          Mark(op.condition, joined);
          Split(node, joined);
        } else {
          // Sort, Distinct, set operations, derived tables, WITH references and any node this
          // pass does not know: its inputs whole.
          All(node);
        }
      },
      node.op);
}

}  // namespace

void MarkNeededColumns(Node& root) { Walk(root, Needed(root.width, true)); }

}  // namespace sqlrite::engine::plan
