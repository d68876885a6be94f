#include "engine/plan/instantiate.h"

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/assert.h"
#include "engine/exec/aggregate.h"
#include "engine/exec/append.h"
#include "engine/exec/cross_join.h"
#include "engine/exec/cte_buffer.h"
#include "engine/exec/distinct.h"
#include "engine/exec/filter.h"
#include "engine/exec/function_scan.h"
#include "engine/exec/hash_join.h"
#include "engine/exec/instrument.h"
#include "engine/exec/lateral_join.h"
#include "engine/exec/limit.h"
#include "engine/exec/project.h"
#include "engine/exec/project_set.h"
#include "engine/exec/recursive_union.h"
#include "engine/exec/scan.h"
#include "engine/exec/semi_probe.h"
#include "engine/exec/set_op.h"
#include "engine/exec/sort.h"
#include "engine/exec/subquery.h"
#include "engine/exec/unique.h"
#include "engine/exec/window.h"
#include "engine/plan/subquery_link.h"

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
    case JoinType::kSemi:
      return exec::JoinKind::kSemi;
    case JoinType::kAnti:
      return exec::JoinKind::kAnti;
  }
  return exec::JoinKind::kInner;
}

// What an instantiation puts into the plan's expressions: the prepared statement's parameter
// values, the outer values of a subquery's plan, and the work tables of the recursive queries
// being run. Not owned: a factory that builds later keeps its own copy (OwnedEnv).
struct WorkTableBinding {
  int id = -1;
  exec::WorkTable rows;
};
// The materialized WITH queries of one instantiation of one subquery level (the statement's
// own: depth 0). Each instantiation of a subquery in an expression gets a level of its own, so a
// WITH query written inside a correlated subquery runs again for each outer row, while one
// written outside it is shared by every instantiation, as PostgreSQL's CTE Scan rescans only
// when its query's parameters changed.
//
// Ownership (no reference cycles, so a finished execution frees everything): a level is owned
// by the operator tree built at it (LevelOwner below) or, for a DML statement's expressions, by
// the run state of their subqueries; a buffer's query and the factories that build operators
// later (recursive terms, correlated subqueries) refer to levels weakly, and a level to its
// parent weakly, since a level's buffers hold the trees that refer back to it.
struct CteBuffers {
  std::weak_ptr<CteBuffers> parent;
  int depth = 0;
  std::unordered_map<const CteShare*, std::shared_ptr<exec::CteBuffer>> buffers;
};

// The root of a tree built at a level: the tree goes first, then the level and the buffers
// only the tree read.
class LevelOwner final : public exec::Operator {
 public:
  LevelOwner(exec::OperatorPtr tree, std::shared_ptr<CteBuffers> level)
      : level_(std::move(level)), tree_(std::move(tree)) {}
  Result<bool> Next(size_t max_rows, exec::Batch& out) override {
    return tree_->Next(max_rows, out);
  }
  // Only a level that materialized no WITH query: a buffer holds one run's rows.
  bool Rewind(const std::vector<Datum>* params) override {
    return level_->buffers.empty() && tree_->Rewind(params);
  }

 private:
  std::shared_ptr<CteBuffers> level_;  // declared first: destroyed after tree_
  exec::OperatorPtr tree_;
};

// Wraps a tree built at level in the level's owner.
exec::OperatorPtr OwnLevel(exec::OperatorPtr tree, std::shared_ptr<CteBuffers> level) {
  if (level == nullptr) return tree;
  return std::make_unique<LevelOwner>(std::move(tree), std::move(level));
}

struct Env {
  const std::vector<Datum>* params = nullptr;
  const std::vector<Datum>* outer = nullptr;
  std::vector<WorkTableBinding> worktables;
  std::shared_ptr<CteBuffers> ctes;
  bool owns_level = false;  // factories made from this Env keep ctes alive (no tree owns it)
  // Instantiate's `rewindable`, cleared by what exec::RebindParams could not redo (null: not
  // asked).
  bool* rewindable = nullptr;
};

void NotRewindable(const Env& env) {
  if (env.rewindable != nullptr) *env.rewindable = false;
}
// An Env kept by a factory that builds operators later. Its level is weak (see CteBuffers): the
// factory lives inside the tree or buffer its level owns, so the level outlives every call.
struct OwnedEnv {
  std::shared_ptr<const std::vector<Datum>> params, outer;
  std::vector<WorkTableBinding> worktables;
  std::weak_ptr<CteBuffers> ctes;
  std::shared_ptr<CteBuffers> owned_level;  // Env::owns_level

  explicit OwnedEnv(const Env& env) : worktables(env.worktables), ctes(env.ctes) {
    if (env.owns_level) owned_level = env.ctes;
    if (env.params != nullptr) params = std::make_shared<const std::vector<Datum>>(*env.params);
    if (env.outer != nullptr) outer = std::make_shared<const std::vector<Datum>>(*env.outer);
  }
  Env View() const { return Env{params.get(), outer.get(), worktables, ctes.lock()}; }
};

template <bool kConsume>
exec::OperatorPtr Build(std::conditional_t<kConsume, Node&, const Node&> node,
                        exec::ReadContext& ctx, const Env& env);

// Puts env's values into e: parameter and outer references become constants, and each subquery
// gets its run state (built over ctx, its plan instantiated on demand with env's parameters).
void PutValues(BoundExpr& e, exec::ReadContext& ctx, const Env& env) {
  // A constant that stands for a parameter already: RebindParams would overwrite it.
  if (e.kind == ExprKind::kConst && e.param > 0) NotRewindable(env);
  if (e.kind == ExprKind::kParam) {
    if (env.params == nullptr) return;
    SQLRITE_ASSERT(e.param >= 1 && static_cast<size_t>(e.param) <= env.params->size());
    e.kind = ExprKind::kConst;
    e.value = (*env.params)[static_cast<size_t>(e.param - 1)];
    return;
  }
  if (e.kind == ExprKind::kOuterRef) {
    // Left in place (Eval then reports it) if the plan was instantiated without its values.
    if (env.outer == nullptr || static_cast<size_t>(e.index) >= env.outer->size()) return;
    e.kind = ExprKind::kConst;
    e.value = (*env.outer)[static_cast<size_t>(e.index)];
    return;
  }
  for (BoundExpr& a : e.args) PutValues(a, ctx, env);
  // A kept plan holds these unfolded (they read the TimeZone of each execution); folded here,
  // once per execution, a scan's reader can still use them as keys. A folded constant is this
  // execution's: the tree cannot take another's values.
  const bool was_const = e.IsConst();
  FoldZoneDependent(e);
  if (e.IsConst() && !was_const) NotRewindable(env);
  if (e.kind == ExprKind::kSubquery) {
    NotRewindable(env);  // its run state belongs to one execution
    SQLRITE_ASSERT(e.subquery != nullptr);
    std::shared_ptr<const SubqueryLink> link = e.subquery;
    exec::SubqueryFactory factory = [link, &ctx,
                                     owned = OwnedEnv(env)](const std::vector<Datum>& outer) {
      Env inner = owned.View();
      inner.outer = &outer;
      auto level = std::make_shared<CteBuffers>();
      level->parent = inner.ctes;
      level->depth = inner.ctes != nullptr ? inner.ctes->depth + 1 : 1;
      inner.ctes = level;
      return OwnLevel(Build<false>(*link->plan.root, ctx, inner), std::move(level));
    };
    e.run = exec::MakeSubqueryRun(ctx, link->kind, link->combine, link->outer_count,
                                  link->row_width, std::move(factory));
  }
}
void PutValues(std::optional<BoundExpr>& e, exec::ReadContext& ctx, const Env& env) {
  if (e) PutValues(*e, ctx, env);
}
void PutValues(std::vector<BoundExpr>& es, exec::ReadContext& ctx, const Env& env) {
  for (BoundExpr& e : es) PutValues(e, ctx, env);
}
void PutValues(AggSpec& a, exec::ReadContext& ctx, const Env& env) {
  PutValues(a.arg, ctx, env);
  PutValues(a.filter, ctx, env);
  PutValues(a.delimiter, ctx, env);
  for (AggOrderKey& k : a.order_by) PutValues(k.expr, ctx, env);
  PutValues(a.direct_args, ctx, env);
}
void PutValues(std::vector<AggSpec>& aggs, exec::ReadContext& ctx, const Env& env) {
  for (AggSpec& a : aggs) PutValues(a, ctx, env);
}
void PutValues(WindowSpec& spec, exec::ReadContext& ctx, const Env& env) {
  PutValues(spec.partition_by, ctx, env);
  for (WindowOrderKey& k : spec.order_by) PutValues(k.expr, ctx, env);
  PutValues(spec.frame.start_offset, ctx, env);
  PutValues(spec.frame.end_offset, ctx, env);
}
void PutValues(std::vector<WindowCall>& calls, exec::ReadContext& ctx, const Env& env) {
  for (WindowCall& c : calls) {
    PutValues(c.args, ctx, env);
    PutValues(c.agg, ctx, env);
  }
}

// An operator whose first Next fails: a plan node that cannot run here.
class FailingOperator final : public exec::Operator {
 public:
  explicit FailingOperator(std::string message) : message_(std::move(message)) {}
  Result<bool> Next(size_t, exec::Batch&) override {
    return Fail(sqlstate::kInternalError, message_);
  }

 private:
  std::string message_;
};

// A copy of x, or x itself moved out when the plan is being consumed.
template <bool kConsume, typename T>
std::decay_t<T> Take(T& x) {
  if constexpr (kConsume) {
    return std::move(x);
  } else {
    return x;
  }
}

// EXPLAIN ANALYZE: op counted as one loop of node (engine/exec/instrument.h). Without
// counters (every other execution) op itself: one test per node built, nothing per row.
exec::OperatorPtr Counted(exec::OperatorPtr op, const Node& node, exec::ReadContext& ctx) {
  if (ctx.instrument == nullptr) return op;
  return exec::Instrument(std::move(op), ctx.instrument->For(&node), ctx.instrument->timing());
}

template <bool kConsume>
exec::OperatorPtr BuildOp(std::conditional_t<kConsume, Node&, const Node&> node,
                          exec::ReadContext& ctx, const Env& env);

template <bool kConsume>
exec::OperatorPtr Build(std::conditional_t<kConsume, Node&, const Node&> node,
                        exec::ReadContext& ctx, const Env& env) {
  return Counted(BuildOp<kConsume>(node, ctx, env), node, ctx);
}

template <bool kConsume>
exec::OperatorPtr BuildOp(std::conditional_t<kConsume, Node&, const Node&> node,
                          exec::ReadContext& ctx, const Env& env) {
  auto child = [&](size_t i) {
    SQLRITE_ASSERT(i < node.children.size());
    return Build<kConsume>(*node.children[i], ctx, env);
  };
  // Take for expressions: the copy gets env's values.
  auto expr = [&](auto& x) {
    auto e = Take<kConsume>(x);
    PutValues(e, ctx, env);
    return e;
  };
  return std::visit(
      [&](auto& op) -> exec::OperatorPtr {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Scan>) {
          if (op.system) return exec::MakeSystemScan(ctx, op.system, expr(op.filter));
          return exec::MakeTableScan(ctx, *op.table, expr(op.filter), op.index, op.needed,
                                     op.backward);
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
        } else if constexpr (std::is_same_v<T, LateralJoin>) {
          // The right side is built per left row with that row's values as its outer values
          // (its relayed outer references included), its WITH queries at a level of its own so
          // that one written inside it runs again for each row.
          std::shared_ptr<const Node> right = op.right;
          exec::LateralFactory factory = [right, &ctx,
                                          owned = OwnedEnv(env)](const std::vector<Datum>& values) {
            Env inner = owned.View();
            inner.outer = &values;
            auto level = std::make_shared<CteBuffers>();
            level->parent = inner.ctes;
            level->depth = inner.ctes != nullptr ? inner.ctes->depth : 0;
            inner.ctes = level;
            return OwnLevel(Build<false>(*right, ctx, inner), std::move(level));
          };
          return exec::MakeLateralJoin(ctx, child(0), expr(op.values), std::move(factory),
                                       KindOf(op.type), node.children[0]->width, op.right->width,
                                       expr(op.condition));
        } else if constexpr (std::is_same_v<T, HashJoin>) {
          exec::JoinSpec spec;
          spec.kind = KindOf(op.type);
          spec.left_width = node.children[0]->width;
          spec.right_width = node.children[1]->width;
          spec.left_keys = expr(op.left_keys);
          spec.right_keys = expr(op.right_keys);
          spec.key_types = op.key_types;
          spec.residual = expr(op.residual);
          if (op.probe != nullptr) {
            // The probe is built per left row with the key as its outer value, as a LATERAL
            // item's right side.
            std::shared_ptr<const Node> probe = op.probe;
            exec::LateralFactory factory =
                [probe, &ctx, owned = OwnedEnv(env)](const std::vector<Datum>& values) {
                  Env inner = owned.View();
                  inner.outer = &values;
                  auto level = std::make_shared<CteBuffers>();
                  level->parent = inner.ctes;
                  level->depth = inner.ctes != nullptr ? inner.ctes->depth : 0;
                  inner.ctes = level;
                  return OwnLevel(Build<false>(*probe, ctx, inner), std::move(level));
                };
            return exec::MakeProbingSemiJoin(ctx, child(0), child(1), std::move(spec),
                                             std::move(factory), HashJoin::kProbeRows);
          }
          return exec::MakeHashJoin(ctx, child(0), child(1), std::move(spec));
        } else if constexpr (std::is_same_v<T, Aggregate>) {
          return exec::MakeAggregate(ctx, child(0), expr(op.group_by), expr(op.aggs),
                                     node.children[0]->width, op.grouping);
        } else if constexpr (std::is_same_v<T, Project>) {
          return exec::MakeProject(ctx, child(0), expr(op.exprs), op.agg_offset, op.single_row);
        } else if constexpr (std::is_same_v<T, Distinct>) {
          return exec::MakeDistinct(ctx, child(0), Take<kConsume>(op.key_types));
        } else if constexpr (std::is_same_v<T, Unique>) {
          return exec::MakeUnique(ctx, child(0), Take<kConsume>(op.key_columns),
                                  Take<kConsume>(op.key_types));
        } else if constexpr (std::is_same_v<T, Sort>) {
          return exec::MakeSort(ctx, child(0), Take<kConsume>(op.keys), op.keep_width);
        } else if constexpr (std::is_same_v<T, WindowAgg>) {
          return exec::MakeWindowAgg(ctx, child(0), expr(op.spec), expr(op.calls), op.agg_offset);
        } else if constexpr (std::is_same_v<T, Limit>) {
          // ORDER BY ... LIMIT: the Sort keeps only the rows the Limit can take (a top-k sort).
          // Not WITH TIES, whose last rows follow the bound.
          const Node& below = *node.children[0];
          if (const auto* sort = std::get_if<Sort>(&below.op);
              sort != nullptr && op.tie_columns.empty() &&
              op.limit != std::numeric_limits<int64_t>::max()) {
            const uint64_t bound =
                static_cast<uint64_t>(op.offset) + static_cast<uint64_t>(op.limit);
            SQLRITE_ASSERT(below.children.size() == 1);
            exec::OperatorPtr sorted =
                Counted(exec::MakeSort(ctx, Build<kConsume>(*below.children[0], ctx, env),
                                       sort->keys, sort->keep_width, bound),
                        below, ctx);
            return exec::MakeLimit(std::move(sorted), op.offset, op.limit);
          }
          return exec::MakeLimit(
              child(0), op.offset, op.limit,
              exec::Ties{Take<kConsume>(op.tie_columns), Take<kConsume>(op.tie_types)});
        } else if constexpr (std::is_same_v<T, FunctionScan>) {
          return exec::MakeFunctionScan(ctx, expr(op.call), op.ordinality,
                                        op.columns.size() - (op.ordinality ? 1 : 0));
        } else if constexpr (std::is_same_v<T, ProjectSet>) {
          return exec::MakeProjectSet(ctx, child(0), expr(op.calls));
        } else if constexpr (std::is_same_v<T, SubqueryScan>) {
          return child(0);  // the derived table's rows are its query's
        } else if constexpr (std::is_same_v<T, CteScan>) {
          // The WITH query's shared plan (never consumed): run for this reference, or read from
          // the run its references share.
          if (op.share == nullptr || !op.share->Materialized() || env.ctes == nullptr) {
            return Build<false>(*op.plan, ctx, env);
          }
          std::shared_ptr<CteBuffers> level = env.ctes;
          while (level->depth > op.share->depth) {
            std::shared_ptr<CteBuffers> parent = level->parent.lock();
            if (parent == nullptr) break;
            level = std::move(parent);
          }
          std::shared_ptr<exec::CteBuffer>& buffer = level->buffers[op.share.get()];
          if (buffer == nullptr) {
            Env own = env;
            own.ctes = level;  // its subqueries nest under the WITH's level
            buffer = std::make_shared<exec::CteBuffer>(Build<false>(*op.plan, ctx, own), ctx.spill);
          }
          return exec::MakeCteReader(buffer);
        } else if constexpr (std::is_same_v<T, WorkTableScan>) {
          if (op.rows != nullptr) return exec::MakeWorkTableScan(ctx, op.rows);
          for (const WorkTableBinding& w : env.worktables) {
            if (w.id == op.worktable) return exec::MakeWorkTableScan(ctx, w.rows);
          }
          return std::make_unique<FailingOperator>("the work table of \"" + op.name +
                                                   "\" is not available here");
        } else if constexpr (std::is_same_v<T, RecursiveUnion>) {
          std::shared_ptr<const Node> recursive = op.recursive;
          const int id = op.worktable;
          exec::RecursiveTermFactory factory = [recursive, id, &ctx,
                                                owned = OwnedEnv(env)](exec::WorkTable rows) {
            Env inner = owned.View();
            inner.worktables.push_back(WorkTableBinding{id, std::move(rows)});
            return Build<false>(*recursive, ctx, inner);
          };
          return exec::MakeRecursiveUnion(ctx, child(0), std::move(factory), op.all, op.key_types);
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
                              const std::vector<Datum>* params, bool* rewindable) {
  Env env;
  env.params = params;
  if (rewindable != nullptr) *rewindable = true;
  env.rewindable = rewindable;
  env.ctes = std::make_shared<CteBuffers>();
  return OwnLevel(Build<false>(node, ctx, env), env.ctes);
}

bool HasSubquery(const BoundExpr& e) {
  if (e.kind == ExprKind::kSubquery) return true;
  for (const BoundExpr& a : e.args) {
    if (HasSubquery(a)) return true;
  }
  return false;
}

void InstantiateSubqueries(BoundExpr& e, exec::ReadContext& ctx) {
  Env env;
  // Without a subquery nothing reads the level (a point UPDATE's WHERE): no allocation for it.
  if (HasSubquery(e)) {
    env.ctes = std::make_shared<CteBuffers>();
    env.owns_level = true;  // no tree owns this level: e's subquery runs do
  }
  PutValues(e, ctx, env);
}

exec::OperatorPtr InstantiateOnce(Plan&& plan, exec::ReadContext& ctx) {
  SQLRITE_ASSERT(plan.root != nullptr);
  Env env;
  env.ctes = std::make_shared<CteBuffers>();
  return OwnLevel(Build<true>(*plan.root, ctx, env), env.ctes);
}

}  // namespace sqlrite::engine::plan
