#include "engine/plan/instantiate.h"

#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/assert.h"
#include "engine/exec/aggregate.h"
#include "engine/exec/append.h"
#include "engine/exec/cross_join.h"
#include "engine/exec/distinct.h"
#include "engine/exec/filter.h"
#include "engine/exec/hash_join.h"
#include "engine/exec/limit.h"
#include "engine/exec/project.h"
#include "engine/exec/scan.h"
#include "engine/exec/set_op.h"
#include "engine/exec/sort.h"

namespace sqlrite::engine::plan {
namespace {

exec::JoinKind KindOf(JoinType t) {
  switch (t) {
    case JoinType::kInner:
      return exec::JoinKind::kInner;
    case JoinType::kLeft:
      return exec::JoinKind::kLeft;
    case JoinType::kRight:
      return exec::JoinKind::kRight;
    case JoinType::kFull:
      return exec::JoinKind::kFull;
  }
  return exec::JoinKind::kInner;
}

// Replaces the parameter references in e by their values.
void PutValues(BoundExpr& e, const std::vector<Datum>& params) {
  if (e.kind == ExprKind::kParam) {
    SQLRITE_ASSERT(e.param >= 1 && static_cast<size_t>(e.param) <= params.size());
    e.kind = ExprKind::kConst;
    e.value = params[static_cast<size_t>(e.param - 1)];
    return;
  }
  for (BoundExpr& a : e.args) PutValues(a, params);
}
void PutValues(std::optional<BoundExpr>& e, const std::vector<Datum>& params) {
  if (e) PutValues(*e, params);
}
void PutValues(std::vector<BoundExpr>& es, const std::vector<Datum>& params) {
  for (BoundExpr& e : es) PutValues(e, params);
}
void PutValues(std::vector<AggSpec>& aggs, const std::vector<Datum>& params) {
  for (AggSpec& a : aggs) PutValues(a.arg, params);
}

// A copy of x, or x itself moved out when the plan is being consumed.
template <bool kConsume, typename T>
std::decay_t<T> Take(T& x) {
  if constexpr (kConsume) {
    return std::move(x);
  } else {
    return x;
  }
}

template <bool kConsume>
exec::OperatorPtr Build(std::conditional_t<kConsume, Node&, const Node&> node,
                        exec::ReadContext& ctx, const std::vector<Datum>* params) {
  auto child = [&](size_t i) {
    SQLRITE_ASSERT(i < node.children.size());
    return Build<kConsume>(*node.children[i], ctx, params);
  };
  // Take for expressions: with params, the copy gets their values.
  auto expr = [&](auto& x) {
    auto e = Take<kConsume>(x);
    if (params != nullptr) PutValues(e, *params);
    return e;
  };
  return std::visit(
      [&](auto& op) -> exec::OperatorPtr {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Scan>) {
          return exec::MakeTableScan(ctx, *op.table, expr(op.filter), op.index);
        } else if constexpr (std::is_same_v<T, OneRow>) {
          return exec::MakeSingleRow();
        } else if constexpr (std::is_same_v<T, Filter>) {
          return exec::MakeFilter(ctx, child(0), expr(op.condition), op.agg_offset);
        } else if constexpr (std::is_same_v<T, NestedLoop>) {
          if (op.type == JoinType::kInner && !op.condition) {
            return exec::MakeCrossJoin(ctx, child(0), child(1));
          }
          exec::JoinSpec spec;
          spec.kind = KindOf(op.type);
          spec.left_width = node.children[0]->width;
          spec.right_width = node.children[1]->width;
          spec.residual = expr(op.condition);
          return exec::MakeNestedLoopJoin(ctx, child(0), child(1), std::move(spec));
        } else if constexpr (std::is_same_v<T, HashJoin>) {
          exec::JoinSpec spec;
          spec.kind = KindOf(op.type);
          spec.left_width = node.children[0]->width;
          spec.right_width = node.children[1]->width;
          spec.left_keys = expr(op.left_keys);
          spec.right_keys = expr(op.right_keys);
          spec.key_types = op.key_types;
          spec.residual = expr(op.residual);
          return exec::MakeHashJoin(ctx, child(0), child(1), std::move(spec));
        } else if constexpr (std::is_same_v<T, Aggregate>) {
          return exec::MakeAggregate(ctx, child(0), expr(op.group_by), expr(op.aggs),
                                     node.children[0]->width);
        } else if constexpr (std::is_same_v<T, Project>) {
          return exec::MakeProject(ctx, child(0), expr(op.exprs), op.agg_offset,
                                   op.single_row);
        } else if constexpr (std::is_same_v<T, Distinct>) {
          return exec::MakeDistinct(ctx, child(0), Take<kConsume>(op.key_types));
        } else if constexpr (std::is_same_v<T, Sort>) {
          return exec::MakeSort(ctx, child(0), Take<kConsume>(op.keys), op.keep_width);
        } else if constexpr (std::is_same_v<T, Limit>) {
          return exec::MakeLimit(child(0), op.offset, op.limit);
        } else if constexpr (std::is_same_v<T, SubqueryScan>) {
          return child(0);  // the derived table's rows are its query's
        } else if constexpr (std::is_same_v<T, Append>) {
          std::vector<exec::OperatorPtr> inputs;
          for (size_t i = 0; i < node.children.size(); ++i) inputs.push_back(child(i));
          return exec::MakeAppend(std::move(inputs));
        } else {
          static_assert(std::is_same_v<T, SetOp>);
          return exec::MakeHashSetOp(ctx, child(0), child(1),
                                     op.kind == SetOpKind::kIntersect ? exec::SetOpKind::kIntersect
                                                                      : exec::SetOpKind::kExcept,
                                     op.all, op.key_types);
        }
      },
      node.op);
}

}  // namespace

exec::OperatorPtr Instantiate(const Node& node, exec::ReadContext& ctx,
                              const std::vector<Datum>* params) {
  return Build<false>(node, ctx, params);
}

exec::OperatorPtr InstantiateOnce(Plan&& plan, exec::ReadContext& ctx) {
  SQLRITE_ASSERT(plan.root != nullptr);
  return Build<true>(*plan.root, ctx, nullptr);
}

}  // namespace sqlrite::engine::plan
