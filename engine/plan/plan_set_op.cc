// Set operations: UNION [ALL] as an Append of every branch of a chain of unions (PostgreSQL
// flattens them alike), under a Distinct (PostgreSQL's HashAggregate) unless ALL; INTERSECT and
// EXCEPT [ALL] as a SetOp over their two branches (PostgreSQL's HashSetOp). A branch whose
// column types are not the result's gets a Project of casts. ORDER BY and LIMIT / OFFSET of the
// whole go on top, as for one query block. VALUES is planned as the UNION ALL of its rows, each a
// one-row Project.

#include <limits>
#include <utility>

#include "common/assert.h"
#include "engine/exec/filter.h"
#include "engine/plan/needed_columns.h"
#include "engine/plan/planner.h"

namespace sqlrite::engine::plan {
namespace {

bool OrdersOrLimits(const BoundSelect& b) {
  return !b.sort_keys.empty() || b.offset > 0 || b.limit != std::numeric_limits<int64_t>::max();
}

Result<NodePtr> PlanBranch(BoundSelect b, std::vector<BoundExpr> convert) {
  const size_t width = b.items.columns.size();
  SQLRITE_ASSIGN_OR_RETURN(Plan plan, PlanSelect(std::move(b)));
  NodePtr node = std::move(plan.root);
  SQLRITE_ASSERT(node->width == width);
  if (convert.empty()) return node;
  Project project;
  project.exprs = std::move(convert);
  project.agg_offset = exec::kNoAggregates;
  NodePtr p = MakeNode(std::move(project), width);
  p->children.push_back(std::move(node));
  return p;
}

// Appends to out the branches of b, a branch of a UNION (ALL when all): a union nested in it
// without an ORDER BY or LIMIT of its own is flattened into its branches when its rows need
// nothing the outer union does not do (it is ALL, or neither is).
Status CollectUnion(BoundSelect b, std::vector<BoundExpr> convert, bool all,
                    std::vector<NodePtr>& out) {
  if (b.set_op && b.set_op->kind == ast::SetOpKind::kUnion && convert.empty() &&
      !OrdersOrLimits(b) && (b.set_op->all || !all)) {
    BoundSetOp& s = *b.set_op;
    SQLRITE_TRY(CollectUnion(std::move(*s.left), std::move(s.left_convert), all, out));
    return CollectUnion(std::move(*s.right), std::move(s.right_convert), all, out);
  }
  SQLRITE_ASSIGN_OR_RETURN(NodePtr node, PlanBranch(std::move(b), std::move(convert)));
  out.push_back(std::move(node));
  return Ok();
}

// Sort and Limit over a set operation's or VALUES' node, as PlanSelect stacks them.
Plan Finish(BoundSelect& b, NodePtr node) {
  const size_t width = b.items.columns.size();
  Limit limit_op{b.offset, b.limit, {}, {}};
  if (b.with_ties) {
    for (const exec::SortKey& k : b.sort_keys) {
      limit_op.tie_columns.push_back(k.column);
      limit_op.tie_types.push_back(b.items.columns[k.column].type);
    }
  }
  if (!b.sort_keys.empty()) {
    NodePtr sort = MakeNode(Sort{std::move(b.sort_keys), width}, width);
    sort->children.push_back(std::move(node));
    node = std::move(sort);
  }
  if (b.offset > 0 || b.limit != std::numeric_limits<int64_t>::max()) {
    NodePtr limit = MakeNode(std::move(limit_op), width);
    limit->children.push_back(std::move(node));
    node = std::move(limit);
  }
  Plan plan;
  plan.root = std::move(node);
  plan.columns = std::move(b.items.columns);
  MarkNeededColumns(*plan.root);
  return plan;
}

}  // namespace

Result<Plan> PlanValues(BoundSelect b) {
  SQLRITE_ASSERT(!b.values.empty());
  const size_t width = b.items.columns.size();
  std::vector<NodePtr> rows;
  for (std::vector<BoundExpr>& row : b.values) {
    Project project;
    project.exprs = std::move(row);
    project.single_row = true;
    NodePtr p = MakeNode(std::move(project), width);
    p->children.push_back(MakeNode(OneRow{}, 0));
    rows.push_back(std::move(p));
  }
  NodePtr node;
  if (rows.size() == 1) {
    node = std::move(rows[0]);
  } else {
    node = MakeNode(Append{}, width);
    node->children = std::move(rows);
  }
  return Finish(b, std::move(node));
}

Result<Plan> PlanSetOperation(BoundSelect b) {
  SQLRITE_ASSERT(b.set_op != nullptr);
  BoundSetOp& s = *b.set_op;
  const size_t width = b.items.columns.size();
  std::vector<TypeId> key_types;
  for (const ColumnInfo& c : b.items.columns) key_types.push_back(c.type);
  NodePtr node;
  if (s.kind == ast::SetOpKind::kUnion) {
    node = MakeNode(Append{}, width);
    SQLRITE_TRY(CollectUnion(std::move(*s.left), std::move(s.left_convert), s.all, node->children));
    SQLRITE_TRY(
        CollectUnion(std::move(*s.right), std::move(s.right_convert), s.all, node->children));
    if (!s.all) {
      NodePtr distinct = MakeNode(Distinct{key_types}, width);
      distinct->children.push_back(std::move(node));
      node = std::move(distinct);
    }
  } else {
    SetOp op;
    op.kind = s.kind == ast::SetOpKind::kIntersect ? SetOpKind::kIntersect : SetOpKind::kExcept;
    op.all = s.all;
    op.key_types = std::move(key_types);
    node = MakeNode(std::move(op), width);
    SQLRITE_ASSIGN_OR_RETURN(NodePtr left,
                             PlanBranch(std::move(*s.left), std::move(s.left_convert)));
    SQLRITE_ASSIGN_OR_RETURN(NodePtr right,
                             PlanBranch(std::move(*s.right), std::move(s.right_convert)));
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
  }
  return Finish(b, std::move(node));
}

Result<NodePtr> PlanRecursiveUnion(std::string name, bool all, int worktable,
                                   std::vector<TypeId> key_types, BoundSelect left,
                                   BoundSelect right, std::vector<BoundExpr> right_convert) {
  const size_t width = left.items.columns.size();
  SQLRITE_ASSIGN_OR_RETURN(NodePtr l, PlanBranch(std::move(left), {}));
  SQLRITE_ASSIGN_OR_RETURN(NodePtr r, PlanBranch(std::move(right), std::move(right_convert)));
  RecursiveUnion op;
  op.name = std::move(name);
  op.all = all;
  op.key_types = std::move(key_types);
  op.worktable = worktable;
  op.recursive = std::shared_ptr<const Node>(std::move(r));
  NodePtr node = MakeNode(std::move(op), width);
  node->children.push_back(std::move(l));
  return node;
}

}  // namespace sqlrite::engine::plan
