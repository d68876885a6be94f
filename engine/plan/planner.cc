#include "engine/plan/planner.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <variant>

#include "common/assert.h"
#include "engine/exec/filter.h"
#include "engine/exec/function_scan.h"
#include "engine/functions/builtin.h"
#include "engine/index_expressions.h"
#include "engine/index_order.h"
#include "engine/plan/estimate.h"
#include "engine/plan/join_order.h"
#include "engine/plan/needed_columns.h"
#include "engine/plan/null_extension.h"
#include "engine/plan/subquery_link.h"
#include "engine/record_type.h"
#include "engine/table_access.h"

namespace sqlrite::engine::plan {
namespace {

// Sets of FROM tables as bits: the join planner handles up to 64 tables (more are joined in
// FROM order under one Filter, as before the planner).
using TableSet = uint64_t;
constexpr size_t kMaxPlannedTables = 64;

TableSet TableBit(size_t t) { return TableSet{1} << t; }

namespace {
// Drops the trees analysis keeps under a constant (pg_typeof's argument, engine/expression.cc's
// ConstOver): they are never evaluated, and a condition that kept them would count their columns
// as read (TablesOf), so that n.md = enum_last(m.md) became a join filter instead of a filter
// on n's scan.
void DropKeptTrees(BoundExpr& e) {
  if (e.kind == ExprKind::kConst) {
    e.args.clear();
    return;
  }
  for (BoundExpr& a : e.args) DropKeptTrees(a);
}
}  // namespace

void SplitConjuncts(BoundExpr e, std::vector<BoundExpr>& out) {
  if (e.kind == ExprKind::kAnd) {
    for (BoundExpr& a : e.args) SplitConjuncts(std::move(a), out);
    return;
  }
  DropKeptTrees(e);
  out.push_back(std::move(e));
}

BoundExpr AndOf(std::vector<BoundExpr> parts) {
  SQLRITE_ASSERT(!parts.empty());
  BoundExpr e = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    BoundExpr both;
    both.kind = ExprKind::kAnd;
    both.type = SqlType{TypeId::kBool, -1};
    both.args.push_back(std::move(e));
    both.args.push_back(std::move(parts[i]));
    e = std::move(both);
  }
  return e;
}

// Sets scan's access path from its filter: a point lookup, else an index path, else a rowid
// range, else the whole table.
void ChooseAccessPath(Scan& scan) {
  scan.path = AccessPath::kFull;
  scan.index.reset();
  if (scan.filter) {
    if (PinsOneRow(*scan.table, *scan.filter)) {
      scan.path = AccessPath::kPoint;
    } else if ((scan.index = IndexPathFor(*scan.table, *scan.filter))) {
      scan.path = AccessPath::kIndex;
    } else if (BoundsRowidRange(*scan.table, *scan.filter)) {
      scan.path = AccessPath::kRowidRange;
    }
  }
}

Scan MakeScan(const BoundTable& t, std::vector<BoundExpr> filters) {
  Scan scan;
  scan.table = t.def;
  if (t.qualifier != t.def->name) scan.alias = t.qualifier;
  if (!filters.empty()) scan.filter = AndOf(std::move(filters));
  if (t.def->system_rows) {
    // A system relation: rows produced whole, filtered as they are emitted (Seq Scan).
    scan.system = t.derived;
    return scan;
  }
  ChooseAccessPath(scan);
  return scan;
}

bool ContainsKind(const BoundExpr& e, ExprKind kind) {
  if (e.kind == kind) return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [kind](const BoundExpr& a) { return ContainsKind(a, kind); });
}

// Rows a scan returns at most, by its filter's shape: few (kFewRows or fewer) when it pins a
// unique key (a point lookup, a unique index point) or bounds the INTEGER PRIMARY KEY to a
// short span of integers (a missing lower bound taken as 1: keys are most often counted from
// there). There are no statistics; this is the "small outer side" of an index nested loop.
constexpr int64_t kFewRows = 1000;
bool FewRows(const Node& node) {
  if (const LateralJoin* loop = std::get_if<LateralJoin>(&node.op)) {
    // An index nested loop whose probe is a point lookup: at most one row per outer row.
    const Scan* probe = std::get_if<Scan>(&loop->right->op);
    return probe != nullptr && probe->path == AccessPath::kPoint && FewRows(*node.children[0]);
  }
  const Scan* scan = std::get_if<Scan>(&node.op);
  if (scan == nullptr || scan->system || !scan->filter) return false;
  if (scan->path == AccessPath::kPoint) return true;
  if (scan->path == AccessPath::kIndex) return scan->index->unique_point && !scan->index->ordered;
  if (scan->path != AccessPath::kRowidRange) return false;
  const int rowid = scan->table->rowid_column;
  int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  std::vector<BoundExpr> parts;
  SplitConjuncts(*scan->filter, parts);
  for (const BoundExpr& c : parts) {
    if (c.kind == ExprKind::kIn && !c.negated && !c.args.empty() &&
        c.args[0].kind == ExprKind::kColumn && c.args[0].index == rowid &&
        static_cast<int64_t>(c.args.size()) <= kFewRows) {
      return true;
    }
    if (c.kind != ExprKind::kCompare || c.args.size() != 2) continue;
    const BoundExpr* col = &c.args[0];
    const BoundExpr* val = &c.args[1];
    bool swapped = false;
    if (col->kind != ExprKind::kColumn) {
      std::swap(col, val);
      swapped = true;
    }
    if (col->kind != ExprKind::kColumn || col->index != rowid || !val->IsConst() ||
        !std::holds_alternative<int64_t>(val->value)) {
      continue;
    }
    const int64_t v = std::get<int64_t>(val->value);
    ast::BinaryOp op = c.op;
    if (swapped && op == ast::BinaryOp::kLt)
      op = ast::BinaryOp::kGt;
    else if (swapped && op == ast::BinaryOp::kGt)
      op = ast::BinaryOp::kLt;
    else if (swapped && op == ast::BinaryOp::kLe)
      op = ast::BinaryOp::kGe;
    else if (swapped && op == ast::BinaryOp::kGe)
      op = ast::BinaryOp::kLe;
    switch (op) {
      case ast::BinaryOp::kLt:
      case ast::BinaryOp::kLe:
        hi = std::min(hi, v);
        break;
      case ast::BinaryOp::kGt:
      case ast::BinaryOp::kGe:
        lo = std::max(lo, v);
        break;
      default:
        break;
    }
  }
  if (hi == std::numeric_limits<int64_t>::max()) return false;
  if (lo == std::numeric_limits<int64_t>::min()) lo = 1;
  return hi < lo || hi - lo < kFewRows;
}

// The plan of FROM table t with filters (over its columns) applied: its scan, or for a derived
// table its query's plan under a SubqueryScan (and a Filter). Consumes t's subquery.
Result<NodePtr> PlanTable(const BoundTable& t, std::vector<BoundExpr> filters) {
  const size_t width = t.def->columns.size();
  if (t.cte_plan != nullptr || t.worktable >= 0) {
    // A WITH query's reference: its shared plan (or, in a recursive term, the work table).
    const std::string alias = t.qualifier != t.def->name ? t.qualifier : std::string();
    std::vector<std::string> columns;
    for (const ColumnDef& c : t.def->columns) columns.push_back(c.name);
    NodePtr node =
        t.worktable >= 0
            ? MakeNode(WorkTableScan{t.def->name, alias, t.worktable, std::move(columns), nullptr},
                       width)
            : MakeNode(CteScan{t.def->name, alias, t.cte_plan, t.cte_share, std::move(columns)},
                       width);
    if (!filters.empty()) {
      node = MakeNode(Filter{AndOf(std::move(filters))}, width, std::move(node));
    }
    return node;
  }
  if (t.function != nullptr) {
    // One column for the call's value (one per field of a record of a known shape), then WITH
    // ORDINALITY's counter.
    const size_t fields = exec::FunctionColumns(*t.function, !t.qualifier.starts_with(' '));
    FunctionScan scan{*t.function, width == fields + 1, {}, {}, {}};
    if (t.function->kind == ExprKind::kBuiltin) scan.function = t.function->builtin->name;
    if (t.function->kind == ExprKind::kBuiltin &&
        t.function->builtin == &exec::RowsFromFunction()) {
      // ROWS FROM shows as its item's name alone (the alias, else the first function's), as
      // PostgreSQL's EXPLAIN names a scan of several functions.
      scan.function = t.qualifier;
    }
    // A select list's set-returning call has a hidden name (bind_function.h), never shown.
    if (t.qualifier != scan.function && !t.qualifier.starts_with(' ')) scan.alias = t.qualifier;
    for (const ColumnDef& c : t.def->columns) scan.columns.push_back(c.name);
    NodePtr node = MakeNode(std::move(scan), width);
    if (!filters.empty()) {
      node = MakeNode(Filter{AndOf(std::move(filters))}, width, std::move(node));
    }
    return node;
  }
  if (!t.subquery) return MakeNode(MakeScan(t, std::move(filters)), width);
  SQLRITE_ASSIGN_OR_RETURN(Plan sub, PlanSelect(std::move(*t.subquery)));
  SQLRITE_ASSERT(sub.root->width == width);
  SubqueryScan scan;
  scan.alias = t.qualifier;
  for (const ColumnDef& c : t.def->columns) scan.columns.push_back(c.name);
  NodePtr node = MakeNode(std::move(scan), width, std::move(sub.root));
  if (!filters.empty()) node = MakeNode(Filter{AndOf(std::move(filters))}, width, std::move(node));
  return node;
}

bool IsEquality(const BoundExpr& e) {
  return e.kind == ExprKind::kCompare && e.op == ast::BinaryOp::kEq && e.args.size() == 2;
}

JoinType JoinTypeOf(ast::JoinType t) {
  switch (t) {
    case ast::JoinType::kLeft:
      return JoinType::kLeft;
    case ast::JoinType::kRight:
      return JoinType::kRight;
    case ast::JoinType::kFull:
      return JoinType::kFull;
    case ast::JoinType::kInner:
    case ast::JoinType::kCross:
      break;
  }
  return JoinType::kInner;
}

// Builds the join trees of FROM. Expressions are bound over the scope's table columns (global
// positions) until they are put into a node, where they are remapped to the node's row.
//
// Positions: a planned item's row holds its tables' columns and the null-extension markers
// (engine/plan/null_extension.h) of the joins inside it, the markers after the columns of the
// side that carries them; `position` maps each global column (a scope table column, or
// table_columns + k for marker k) to its place in the row (-1: not in it).
class FromPlanner {
 public:
  FromPlanner(const BoundSelect& b, std::vector<NullExtensionMarker> markers)
      : b_(b),
        markers_(std::move(markers)),
        global_(b.table_columns + markers_.size()),
        table_of_column_(b.table_columns),
        lateral_deps_(b.tables.size(), 0) {
    for (size_t t = 0; t < b.tables.size(); ++t) {
      for (size_t c = 0; c < b.tables[t].def->columns.size(); ++c) {
        table_of_column_[b.tables[t].first_column + c] = t;
      }
    }
    marker_tables_.resize(markers_.size(), 0);
    for (const BoundFromItem& item : b.from) MarkerTables(item);
    for (size_t t = 0; t < b.tables.size(); ++t) {
      for (const BoundExpr& v : b.tables[t].lateral) lateral_deps_[t] |= TablesOf(v);
      has_lateral_ = has_lateral_ || !b.tables[t].lateral.empty();
    }
  }

  // The tables outside item that its LATERAL tables read.
  TableSet LateralDepsOf(const BoundFromItem& item) const {
    TableSet s = 0;
    for (size_t t = item.first_table; t < item.end_table; ++t) s |= lateral_deps_[t];
    return s & ~TablesOfItem(item);
  }
  // Whether item reads tables outside it; when it does and cannot be planned as the right side
  // of a join with the tables `left` (a single LATERAL item whose references are all in left),
  // records the refusal.
  bool NeedsLateral(const BoundFromItem& item, TableSet left) {
    const TableSet deps = LateralDepsOf(item);
    if (deps == 0) return false;
    if ((item.join || (deps & ~left) != 0) && !error_) {
      error_ = Error(sqlstate::kFeatureNotSupported,
                     "this LATERAL reference is not supported: a LATERAL item may read only the "
                     "FROM items joined before it, and only at the top of a join");
    }
    return !item.join && (deps & ~left) == 0;
  }

  // The LATERAL item `item` (one table) joined to left (its row the scope columns as
  // left_position maps them): the item's plan with filters, rebuilt per left row with the
  // table's lateral values, conds over the joined row.
  // join: the BoundJoin it plans (null: a comma-separated item), whose marker the right side
  // may carry. position: set to the joined row's positions.
  NodePtr Lateral(JoinType type, NodePtr left, const BoundFromItem& item,
                  std::vector<BoundExpr> filters, std::vector<BoundExpr> conds,
                  const std::vector<int>& left_position, const BoundJoin* join,
                  std::vector<int>& position) {
    if (type != JoinType::kInner && type != JoinType::kLeft && !error_) {
      error_ = Error(sqlstate::kInvalidColumnReference,
                     "invalid reference to FROM-clause entry for table \"" +
                         b_.tables[item.table].qualifier + "\"")
                   .WithDetail(
                       "The combining JOIN type must be INNER or LEFT for a LATERAL "
                       "reference.");
    }
    std::vector<int> right_position(global_, -1);
    NodePtr right = PlanItem(item, std::move(filters), right_position);
    if (join != nullptr) AddMarker(right, right_position, join, true);
    const size_t left_width = left->width;
    std::vector<int> joined = left_position;
    for (size_t g = 0; g < global_; ++g) {
      if (right_position[g] >= 0) joined[g] = static_cast<int>(left_width) + right_position[g];
    }
    LateralJoin lateral;
    lateral.type = type;
    for (BoundExpr v : b_.tables[item.table].lateral) {
      RemapColumns(v, left_position);
      lateral.values.push_back(std::move(v));
    }
    std::vector<BoundExpr> residual;
    for (BoundExpr& c : conds) {
      if (c.IsConst() && std::holds_alternative<bool>(c.value) && std::get<bool>(c.value)) continue;
      RemapColumns(c, joined);
      residual.push_back(std::move(c));
    }
    if (!residual.empty()) lateral.condition = AndOf(std::move(residual));
    const size_t width = left_width + right->width;
    lateral.right = std::shared_ptr<const Node>(std::move(right));
    position = std::move(joined);
    return MakeNode(std::move(lateral), width, std::move(left));
  }

  // A marker stands for every table of its join: it is read only where that join is done.
  TableSet TablesOf(const BoundExpr& e) const {
    TableSet s = 0;
    if (e.kind == ExprKind::kColumn) {
      const size_t c = static_cast<size_t>(e.index);
      s |= c < b_.table_columns ? TableBit(table_of_column_[c])
                                : marker_tables_[c - b_.table_columns];
    }
    for (const BoundExpr& a : e.args) s |= TablesOf(a);
    return s;
  }
  static TableSet TablesOfItem(const BoundFromItem& item) {
    TableSet s = 0;
    for (size_t t = item.first_table; t < item.end_table; ++t) s |= TableBit(t);
    return s;
  }
  size_t FirstColumn(const BoundFromItem& item) const {
    return b_.tables[item.first_table].first_column;
  }
  size_t Width(const BoundFromItem& item) const {
    const BoundTable& last = b_.tables[item.end_table - 1];
    return last.first_column + last.def->columns.size() - FirstColumn(item);
  }

  // The plan of item with filters (WHERE conjuncts over its tables only) applied, pushed as
  // far down as the join types allow. position (global_ entries): set to the row's positions.
  NodePtr PlanItem(const BoundFromItem& item, std::vector<BoundExpr> filters,
                   std::vector<int>& position) {
    const size_t begin = FirstColumn(item);
    if (!item.join) {
      position.assign(global_, -1);
      for (size_t c = 0; c < Width(item); ++c) position[begin + c] = static_cast<int>(c);
      for (BoundExpr& f : filters) Shift(f, begin);
      auto node = PlanTable(b_.tables[item.table], std::move(filters));
      if (node) return std::move(*node);
      if (!error_) error_ = std::move(node.error());
      return MakeNode(OneRow{}, Width(item));  // a stand-in: the plan is not used
    }
    const BoundJoin& j = *item.join;
    const JoinType type = JoinTypeOf(j.type);
    const TableSet ls = TablesOfItem(j.left), rs = TablesOfItem(j.right);
    std::vector<BoundExpr> to_left, to_right, join_conds, above;
    // WHERE conjuncts may go into a side that the join never pads with NULLs.
    for (BoundExpr& f : filters) {
      const TableSet ts = TablesOf(f);
      if (ts != 0 && (ts & ~ls) == 0 && (type == JoinType::kInner || type == JoinType::kLeft)) {
        to_left.push_back(std::move(f));
      } else if (ts != 0 && (ts & ~rs) == 0 &&
                 (type == JoinType::kInner || type == JoinType::kRight)) {
        to_right.push_back(std::move(f));
      } else if (type == JoinType::kInner) {
        join_conds.push_back(std::move(f));
      } else {
        above.push_back(std::move(f));
      }
    }
    // ON conjuncts may go into a side the join pads (a row failing them only goes unmatched).
    if (j.condition) {
      std::vector<BoundExpr> parts;
      SplitConjuncts(*j.condition, parts);
      for (BoundExpr& c : parts) {
        const TableSet ts = TablesOf(c);
        if (ts != 0 && (ts & ~ls) == 0 && (type == JoinType::kInner || type == JoinType::kRight)) {
          to_left.push_back(std::move(c));
        } else if (ts != 0 && (ts & ~rs) == 0 &&
                   (type == JoinType::kInner || type == JoinType::kLeft)) {
          to_right.push_back(std::move(c));
        } else {
          join_conds.push_back(std::move(c));
        }
      }
    }
    std::vector<int> left_position;
    NodePtr left = PlanItem(j.left, std::move(to_left), left_position);
    AddMarker(left, left_position, &j, false);
    NodePtr node;
    NeedsLateral(j.left, 0);  // a LATERAL item on the left of a join reads only inside it
    if (NeedsLateral(j.right, ls)) {
      node = Lateral(type, std::move(left), j.right, std::move(to_right), std::move(join_conds),
                     left_position, &j, position);
    } else {
      std::vector<int> right_position;
      NodePtr right = PlanItem(j.right, std::move(to_right), right_position);
      AddMarker(right, right_position, &j, true);
      node = Join(type, std::move(left), ls, std::move(right), rs, std::move(join_conds),
                  left_position, right_position, position);
    }
    if (!above.empty()) {
      BoundExpr cond = AndOf(std::move(above));
      RemapColumns(cond, position);
      const size_t w = node->width;
      node = MakeNode(Filter{std::move(cond)}, w, std::move(node));
    }
    return node;
  }

  // The argument of c over the right side's tables when c is an equality a hash join of
  // tables ls with tables rs can key on, else -1.
  int HashKeyOf(const BoundExpr& c, TableSet ls, TableSet rs) const {
    if (!IsEquality(c)) return -1;
    const TableSet l = TablesOf(c.args[0]), r = TablesOf(c.args[1]);
    int right_arg = -1;
    if (l != 0 && (l & ~ls) == 0 && r != 0 && (r & ~rs) == 0) right_arg = 1;
    if (r != 0 && (r & ~ls) == 0 && l != 0 && (l & ~rs) == 0) right_arg = 0;
    if (right_arg < 0 || !HashKeyType(c.args[0].type.id, c.args[1].type.id)) return -1;
    return right_arg;
  }

  // A join of left (tables ls, its row's positions left_position) and right (tables rs,
  // right_position) on conds; position: set to the joined row's positions.
  // hash_left (INNER only): hash the left input instead when a hash join is chosen (the left
  // is estimated the smaller; PostgreSQL hashes the smaller side).
  NodePtr Join(JoinType type, NodePtr left, TableSet ls, NodePtr right, TableSet rs,
               std::vector<BoundExpr> conds, const std::vector<int>& left_position,
               const std::vector<int>& right_position, std::vector<int>& position,
               bool hash_left = false) {
    if (type == JoinType::kRight) {
      // `a RIGHT JOIN b` as PostgreSQL's `b LEFT JOIN a` when a's index can be probed per b
      // row: b's columns first in the row; position keeps the scope's columns where they are.
      std::vector<int> swapped = right_position;
      for (size_t g = 0; g < global_; ++g) {
        if (left_position[g] >= 0) swapped[g] = static_cast<int>(right->width) + left_position[g];
      }
      if (NodePtr probe =
              IndexNestedLoop(JoinType::kLeft, right, left, ls, left_position, conds, swapped)) {
        position = std::move(swapped);
        return probe;
      }
    }
    const size_t left_width = left->width;
    const size_t width = left_width + right->width;
    // Positions in the joined row: the left's, then the right's after them.
    std::vector<int> joined = left_position;
    for (size_t g = 0; g < global_; ++g) {
      if (right_position[g] >= 0) joined[g] = static_cast<int>(left_width) + right_position[g];
    }
    position = joined;
    if (NodePtr probe = IndexNestedLoop(type, left, right, rs, right_position, conds, joined)) {
      return probe;
    }
    if (hash_left && type == JoinType::kInner &&
        std::any_of(conds.begin(), conds.end(),
                    [&](const BoundExpr& c) { return HashKeyOf(c, ls, rs) >= 0; })) {
      return Join(type, std::move(right), rs, std::move(left), ls, std::move(conds), right_position,
                  left_position, position);
    }
    HashJoin hash;
    hash.type = type;
    std::vector<BoundExpr> residual;
    bool residual_over_tables = false;  // what only a merge or hash join's keys could run
    for (BoundExpr& c : conds) {
      // A true condition selects nothing out (PostgreSQL folds it away).
      if (c.IsConst() && std::holds_alternative<bool>(c.value) && std::get<bool>(c.value)) continue;
      if (const int right_arg = HashKeyOf(c, ls, rs); right_arg >= 0) {
        const TypeId key_type = *HashKeyType(c.args[0].type.id, c.args[1].type.id);
        BoundExpr lk = std::move(c.args[static_cast<size_t>(1 - right_arg)]);
        BoundExpr rk = std::move(c.args[static_cast<size_t>(right_arg)]);
        RemapColumns(lk, joined);
        RemapColumns(rk, right_position);
        hash.left_keys.push_back(std::move(lk));
        hash.right_keys.push_back(std::move(rk));
        hash.key_types.push_back(key_type);
        continue;
      }
      if (TablesOf(c) != 0) residual_over_tables = true;
      RemapColumns(c, joined);
      residual.push_back(std::move(c));
    }
    if (!residual.empty()) hash.residual = AndOf(std::move(residual));
    if (!hash.left_keys.empty()) {
      return MakeNode(std::move(hash), width, std::move(left), std::move(right));
    }
    if (type == JoinType::kFull && residual_over_tables && !error_) {
      // PostgreSQL runs a FULL join only as a merge or hash join, on at least one equality;
      // a condition over no column (false, a constant expression) it runs as a one-time filter,
      // which the nested loop matches by pairing no rows.
      error_ = Error(sqlstate::kFeatureNotSupported,
                     "FULL JOIN is only supported with merge-joinable or hash-joinable join "
                     "conditions");
    }
    NestedLoop loop;
    loop.type = type;
    loop.condition = std::move(hash.residual);
    return MakeNode(std::move(loop), width, std::move(left), std::move(right));
  }

  // The index of the equality among conds an index nested loop of left and right (a table
  // scan of the one table rs, its row's positions right_position) can probe the right's index
  // with: `right column = expression over ls`, the column the rowid or an index's leading key
  // and the scan's reader able to take a point lookup or an index path on it; -1: none. Only
  // when left returns few rows (FewRows) and the join is INNER or LEFT.
  int ProbeCondition(JoinType type, const Node& left, const Node& right, TableSet ls, TableSet rs,
                     const std::vector<int>& right_position, const std::vector<BoundExpr>& conds,
                     BoundExpr& probe_filter, size_t& value_side) const {
    if (type != JoinType::kInner && type != JoinType::kLeft) return -1;
    const Scan* scan = std::get_if<Scan>(&right.op);
    if (scan == nullptr || scan->system || scan->table->system_rows || !FewRows(left)) return -1;
    // The probe's value replaces the outer values of the right's plan: one that reads an
    // enclosing query's (a correlated subquery) or runs subqueries stays a hash join.
    if (scan->filter && (ContainsKind(*scan->filter, ExprKind::kOuterRef) ||
                         ContainsKind(*scan->filter, ExprKind::kSubquery))) {
      return -1;
    }
    for (size_t i = 0; i < conds.size(); ++i) {
      const BoundExpr& c = conds[i];
      if (!IsEquality(c)) continue;
      for (size_t side = 0; side < 2; ++side) {
        const BoundExpr& col = c.args[side];
        const BoundExpr& other = c.args[1 - side];
        if (col.kind != ExprKind::kColumn) continue;
        const size_t g = static_cast<size_t>(col.index);
        if (g >= b_.table_columns) continue;  // a null-extension marker, not a table's column
        const TableSet os = TablesOf(other);
        if (TableBit(table_of_column_[g]) != rs || os == 0 || (os & ~ls) != 0) continue;
        if (ContainsVolatile(other) || ContainsKind(other, ExprKind::kSubquery) ||
            !HashKeyType(col.type.id, other.type.id)) {
          continue;
        }
        BoundExpr eq = c;
        BoundExpr& local = eq.args[side];
        if (right_position[g] < 0) continue;
        local.index = right_position[g];
        BoundExpr& value = eq.args[1 - side];
        BoundExpr ref;
        ref.kind = ExprKind::kOuterRef;
        ref.index = 0;
        ref.type = other.type;
        value = std::move(ref);
        if (side == 1) std::swap(eq.args[0], eq.args[1]);  // `column = value`, as PostgreSQL
        Scan probe;
        probe.table = scan->table;
        std::vector<BoundExpr> parts{eq};
        if (scan->filter) parts.push_back(*scan->filter);
        probe.filter = AndOf(std::move(parts));
        ChooseAccessPath(probe);
        bool probes = probe.path == AccessPath::kPoint;
        if (probe.path == AccessPath::kIndex && probe.index->eq_columns > 0) {
          for (const BoundExpr* u : IndexConditions(*probe.table, *probe.index, *probe.filter)) {
            probes = probes || ContainsKind(*u, ExprKind::kOuterRef);
          }
        }
        if (probes) {
          probe_filter = std::move(*probe.filter);
          value_side = 1 - side;
          return static_cast<int>(i);
        }
      }
    }
    return -1;
  }

  // An index nested loop (PostgreSQL's Nested Loop over a parameterized Index Scan) when one
  // fits (ProbeCondition): a LateralJoin whose right plan is right's scan with the probe's
  // `column = outer value` added to its filter, so that each left row's read is a point lookup
  // or an index range; the other conditions its join filter. Null: none fits (left and right
  // untouched).
  NodePtr IndexNestedLoop(JoinType type, NodePtr& left, NodePtr& right, TableSet rs,
                          const std::vector<int>& right_position, std::vector<BoundExpr>& conds,
                          const std::vector<int>& joined) {
    TableSet ls = 0;
    for (size_t c = 0; c < b_.table_columns; ++c) {
      if (joined[c] >= 0 && !(TableBit(table_of_column_[c]) & rs))
        ls |= TableBit(table_of_column_[c]);
    }
    BoundExpr probe_filter;
    size_t value_side = 0;
    const int probe = ProbeCondition(type, *left, *right, ls, rs, right_position, conds,
                                     probe_filter, value_side);
    if (probe < 0) return nullptr;
    const size_t left_width = left->width;
    const size_t width = left_width + right->width;
    LateralJoin loop;
    loop.type = type;
    BoundExpr value = std::move(conds[static_cast<size_t>(probe)].args[value_side]);
    RemapColumns(value, joined);
    loop.values.push_back(std::move(value));
    std::vector<BoundExpr> residual;
    for (size_t i = 0; i < conds.size(); ++i) {
      BoundExpr& c = conds[i];
      if (static_cast<int>(i) == probe) continue;
      if (c.IsConst() && std::holds_alternative<bool>(c.value) && std::get<bool>(c.value)) continue;
      RemapColumns(c, joined);
      residual.push_back(std::move(c));
    }
    if (!residual.empty()) loop.condition = AndOf(std::move(residual));
    Scan& scan = std::get<Scan>(right->op);
    scan.filter = std::move(probe_filter);
    ChooseAccessPath(scan);
    loop.right = std::shared_ptr<const Node>(std::move(right));
    return MakeNode(std::move(loop), width, std::move(left));
  }

  // FROM's comma-separated items joined (see planner.h), the scope's column order restored.
  NodePtr PlanFrom(std::optional<BoundExpr> where) {
    std::vector<BoundExpr> conjuncts;
    if (where) SplitConjuncts(std::move(*where), conjuncts);
    std::vector<const BoundFromItem*> items;
    for (const BoundFromItem& item : b_.from) Flatten(item, items, conjuncts);
    const size_t n = items.size();
    std::vector<TableSet> sets(n);
    for (size_t u = 0; u < n; ++u) sets[u] = TablesOfItem(*items[u]);
    std::vector<char> placed(conjuncts.size(), 0);
    std::vector<TableSet> conj_sets;
    for (const BoundExpr& c : conjuncts) conj_sets.push_back(TablesOf(c));
    // Pushdown: each item's own conjuncts (those over no table to the first item).
    std::vector<std::vector<BoundExpr>> own(n);
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      for (size_t u = 0; u < n; ++u) {
        if ((conj_sets[i] & ~sets[u]) != 0 || (conj_sets[i] == 0 && u != 0)) continue;
        own[u].push_back(std::move(conjuncts[i]));
        placed[i] = 1;
        break;
      }
    }
    TableSet joined = 0;
    // The join order by estimated rows (join_order.h); FROM order when an item is LATERAL (it
    // reads the items before it).
    std::vector<size_t> order(n);
    for (size_t u = 0; u < n; ++u) order[u] = u;
    JoinGraph graph;
    const bool reorder = !has_lateral_ && n >= 2;
    if (reorder) {
      graph = EstimateGraph(items, own, conjuncts, conj_sets, placed);
      order = ChooseJoinOrder(graph);
      // The first pair: on an equality, the smaller first, as an index nested loop's outer side
      // (else Join's hash_left hashes it); without one, the larger first, a nested loop's outer
      // side (PostgreSQL materializes the smaller inner side).
      const uint64_t pair = (uint64_t{1} << order[0]) | (uint64_t{1} << order[1]);
      const bool keyed = std::any_of(
          graph.edges.begin(), graph.edges.end(),
          [pair](const JoinGraph::Edge& e) { return e.hashable && (e.items & ~pair) == 0; });
      if (keyed ? graph.rows[order[1]] < graph.rows[order[0]]
                : graph.rows[order[0]] < graph.rows[order[1]]) {
        std::swap(order[0], order[1]);
      }
    }
    const size_t first = order[0];
    std::vector<int> position(global_, -1);  // global column -> position in the row
    uint64_t done_items = 0;
    auto add = [&](size_t u) {
      joined |= sets[u];
      done_items |= uint64_t{1} << u;
    };
    NodePtr node;
    joined = sets[first];
    for (size_t step = 1; step < n; ++step) {
      const size_t next = order[step];
      std::vector<BoundExpr> conds;
      for (size_t i = 0; i < conjuncts.size(); ++i) {
        if (placed[i] || (conj_sets[i] & ~(joined | sets[next])) != 0) continue;
        placed[i] = 1;
        conds.push_back(std::move(conjuncts[i]));
      }
      if (step == 1) {
        joined = 0;
        node = PlanItem(*items[first], std::move(own[first]), position);
        add(first);
      }
      const std::vector<int> left_position = position;
      if (NeedsLateral(*items[next], joined)) {
        node = Lateral(JoinType::kInner, std::move(node), *items[next], std::move(own[next]),
                       std::move(conds), left_position, nullptr, position);
      } else {
        std::vector<int> right_position;
        NodePtr right = PlanItem(*items[next], std::move(own[next]), right_position);
        const bool hash_left = reorder && JoinRows(graph, done_items) < graph.rows[next];
        node = Join(JoinType::kInner, std::move(node), joined, std::move(right), sets[next],
                    std::move(conds), left_position, right_position, position, hash_left);
      }
      add(next);
    }
    if (n == 1) NeedsLateral(*items[first], 0);
    if (n == 1) node = PlanItem(*items[first], std::move(own[first]), position);
    if (n == 1) add(first);
    for (char p : placed) SQLRITE_ASSERT(p);
    bool identity = node->width == global_;
    for (size_t i = 0; i < position.size(); ++i) {
      SQLRITE_ASSERT(position[i] >= 0);
      identity = identity && position[i] == static_cast<int>(i);
    }
    if (identity) return node;
    Project restore;
    for (size_t i = 0; i < global_; ++i) {
      BoundExpr col;
      col.kind = ExprKind::kColumn;
      col.type = TypeOf(i);
      col.index = position[i];
      restore.exprs.push_back(std::move(col));
    }
    return MakeNode(std::move(restore), global_, std::move(node));
  }

  // Appends item to items; an INNER or CROSS join as its two sides, its ON conjuncts appended
  // to conjuncts (equivalent to WHERE's for an inner join), so that its tables are ordered with
  // the others: PostgreSQL flattens inner joins into one join problem too (join_collapse_limit).
  // Not with LATERAL items (FROM order then), nor a join whose null-extension marker is read,
  // nor one whose ON calls a volatile function: PostgreSQL evaluates such a condition at its
  // join, once per joined pair (`ON nextval('s') > 0` advances s once per pair), where a
  // flattened conjunct over no table would run once per row of the first item.
  void Flatten(const BoundFromItem& item, std::vector<const BoundFromItem*>& items,
               std::vector<BoundExpr>& conjuncts) const {
    const BoundJoin* j = item.join.get();
    const bool marked = std::any_of(markers_.begin(), markers_.end(),
                                    [j](const NullExtensionMarker& m) { return m.join == j; });
    if (j == nullptr || has_lateral_ || JoinTypeOf(j->type) != JoinType::kInner || marked ||
        (j->condition && ContainsVolatile(*j->condition))) {
      items.push_back(&item);
      return;
    }
    if (j->condition) SplitConjuncts(*j->condition, conjuncts);
    Flatten(j->left, items, conjuncts);
    Flatten(j->right, items, conjuncts);
  }

  // Whether t is a stored table (or a system relation) rather than a derived table, function
  // or WITH query.
  static bool IsTable(const BoundTable& t) {
    return !t.subquery && t.function == nullptr && t.cte_plan == nullptr && t.worktable < 0;
  }
  // The estimated rows of item with its own conjuncts (over the scope's columns) applied.
  double ItemRows(const BoundFromItem& item, const std::vector<BoundExpr>& own) const {
    if (item.join) {
      // A join kept whole (an outer join): at least its larger table's rows.
      double rows = 1.0;
      for (size_t t = item.first_table; t < item.end_table; ++t) {
        if (IsTable(b_.tables[t])) rows = std::max(rows, TableRows(*b_.tables[t].def));
      }
      return rows;
    }
    const BoundTable& t = b_.tables[item.table];
    if (!IsTable(t)) return kDefaultItemRows;
    std::vector<BoundExpr> filters = own;
    for (BoundExpr& f : filters) Shift(f, FirstColumn(item));
    return ScanRows(MakeScan(t, std::move(filters)), TableRows(*t.def));
  }
  // FROM's items as a join graph (join_order.h): their estimated rows, and the conjuncts not
  // placed (those over two or more items) as its edges.
  JoinGraph EstimateGraph(const std::vector<const BoundFromItem*>& items,
                          const std::vector<std::vector<BoundExpr>>& own,
                          const std::vector<BoundExpr>& conjuncts,
                          const std::vector<TableSet>& conj_sets,
                          const std::vector<char>& placed) const {
    JoinGraph g;
    std::vector<size_t> item_of_table(b_.tables.size(), 0);
    for (size_t u = 0; u < items.size(); ++u) {
      for (size_t t = items[u]->first_table; t < items[u]->end_table; ++t) item_of_table[t] = u;
      g.rows.push_back(ItemRows(*items[u], own[u]));
    }
    auto items_of = [&](TableSet ts) {
      uint64_t s = 0;
      for (size_t t = 0; t < b_.tables.size(); ++t) {
        if (ts & TableBit(t)) s |= uint64_t{1} << item_of_table[t];
      }
      return s;
    };
    // A column of a stored table: its distinct values, a non-unique column's no more than its
    // item's rows.
    auto side = [&](const BoundExpr& e) -> JoinSide {
      if (e.kind != ExprKind::kColumn || static_cast<size_t>(e.index) >= b_.table_columns) {
        return {};
      }
      const size_t t = table_of_column_[static_cast<size_t>(e.index)];
      const BoundTable& bt = b_.tables[t];
      if (!IsTable(bt)) return {};
      const int column = e.index - static_cast<int>(bt.first_column);
      JoinSide s{NumDistinct(*bt.def, column, TableRows(*bt.def)), IsUniqueColumn(*bt.def, column)};
      if (!s.unique && !items[item_of_table[t]]->join) {
        s.distinct = std::min(s.distinct, g.rows[item_of_table[t]]);
      }
      return s;
    };
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      if (placed[i]) continue;
      const BoundExpr& c = conjuncts[i];
      JoinGraph::Edge edge;
      edge.items = items_of(conj_sets[i]);
      edge.selectivity = JoinSelectivity(c, side);
      if (IsEquality(c) && HashKeyType(c.args[0].type.id, c.args[1].type.id)) {
        const uint64_t l = items_of(TablesOf(c.args[0])), r = items_of(TablesOf(c.args[1]));
        edge.hashable = l != 0 && r != 0 && (l & (l - 1)) == 0 && (r & (r - 1)) == 0 && l != r;
      }
      g.edges.push_back(edge);
    }
    return g;
  }

  // The scope's row as FROM leaves it: its tables' columns, then the markers.
  size_t global_width() const { return global_; }

 private:
  SqlType TypeOf(size_t g) const {
    return g < b_.table_columns ? b_.scope[g].type : SqlType{TypeId::kBool, -1};
  }

  // The tables of each marker's join.
  void MarkerTables(const BoundFromItem& item) {
    if (!item.join) return;
    for (size_t k = 0; k < markers_.size(); ++k) {
      if (markers_[k].join == item.join.get()) marker_tables_[k] = TablesOfItem(item);
    }
    MarkerTables(item.join->left);
    MarkerTables(item.join->right);
  }

  // Appends the marker of join's side (right or left) to that side's rows, when a clause reads
  // it: a column `true` that the join's padding turns into NULL.
  void AddMarker(NodePtr& node, std::vector<int>& position, const BoundJoin* join, bool right) {
    for (size_t k = 0; k < markers_.size(); ++k) {
      if (markers_[k].join != join || markers_[k].right != right) continue;
      const size_t width = node->width;
      std::vector<SqlType> types(width, SqlType{TypeId::kBool, -1});
      for (size_t g = 0; g < global_; ++g) {
        if (position[g] >= 0) types[static_cast<size_t>(position[g])] = TypeOf(g);
      }
      Project p;
      for (size_t c = 0; c < width; ++c) {
        BoundExpr col;
        col.kind = ExprKind::kColumn;
        col.type = types[c];
        col.index = static_cast<int>(c);
        p.exprs.push_back(std::move(col));
      }
      BoundExpr marker;
      marker.kind = ExprKind::kConst;
      marker.type = SqlType{TypeId::kBool, -1};
      marker.value = Datum(true);
      p.exprs.push_back(std::move(marker));
      p.agg_offset = exec::kNoAggregates;
      node = MakeNode(std::move(p), width + 1, std::move(node));
      position[b_.table_columns + k] = static_cast<int>(width);
    }
  }

  // Moves e's column references from global positions to a row beginning at column begin.
  static void Shift(BoundExpr& e, size_t begin) {
    if (e.kind == ExprKind::kColumn) {
      SQLRITE_ASSERT(static_cast<size_t>(e.index) >= begin);
      e.index -= static_cast<int>(begin);
    }
    for (BoundExpr& a : e.args) Shift(a, begin);
  }

  const BoundSelect& b_;
  std::vector<NullExtensionMarker> markers_;
  size_t global_;  // table_columns + markers
  std::vector<size_t> table_of_column_;
  std::vector<TableSet> marker_tables_;  // per marker: its join's tables
  std::vector<TableSet> lateral_deps_;   // per table: the tables its LATERAL values read
  bool has_lateral_ = false;

 public:
  // The first join that cannot be run (then the plan is not to be used).
  std::optional<Error> error_;
};

}  // namespace

std::optional<TypeId> HashKeyType(TypeId l, TypeId r) {
  if (IsIntegerType(l) && IsIntegerType(r)) return TypeId::kInt8;
  if ((l == TypeId::kText || l == TypeId::kVarchar) &&
      (r == TypeId::kText || r == TypeId::kVarchar)) {
    return TypeId::kText;
  }
  if (l == r && (l == TypeId::kBool || l == TypeId::kNumeric)) return l;
  return std::nullopt;
}

void RemapColumns(BoundExpr& e, const std::vector<int>& position) {
  if (e.kind == ExprKind::kColumn) {
    const int p = position[static_cast<size_t>(e.index)];
    SQLRITE_ASSERT(p >= 0);
    e.index = p;
  }
  for (BoundExpr& a : e.args) RemapColumns(a, position);
}

// The Aggregate node at or under node (under HAVING's Filter).
const Node& FindAggregate(const Node& node) {
  if (std::holds_alternative<Aggregate>(node.op)) return node;
  SQLRITE_ASSERT(!node.children.empty());
  return FindAggregate(*node.children[0]);
}

namespace {

// Whether filter (conjuncts over table's columns) lets through rows of one value of column only:
// a conjunct `column = value`, value a constant, parameter or outer value, of a type whose
// equal values have one encoding in an index key (so the index holds them as one run).
bool PinnedToOneValue(const BoundExpr* filter, const TableDef& table, int column) {
  if (filter == nullptr || column < 0) return false;
  switch (table.columns[static_cast<size_t>(column)].type.id) {
    case TypeId::kBool:
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kUuid:
      break;
    default:
      return false;
  }
  if (filter->kind == ExprKind::kAnd) {
    return std::any_of(filter->args.begin(), filter->args.end(),
                       [&](const BoundExpr& a) { return PinnedToOneValue(&a, table, column); });
  }
  if (filter->kind != ExprKind::kCompare || filter->op != ast::BinaryOp::kEq ||
      filter->args.size() != 2) {
    return false;
  }
  for (size_t side = 0; side < 2; ++side) {
    const BoundExpr& col = filter->args[side];
    const BoundExpr& value = filter->args[1 - side];
    if (col.kind == ExprKind::kColumn && col.index == column &&
        (value.IsConst() || value.kind == ExprKind::kParam || value.kind == ExprKind::kOuterRef)) {
      return true;
    }
  }
  return false;
}

}  // namespace

// Whether scan can deliver its rows in the order of sort_keys (over the projected row: the select
// list, then sort_exprs), so that an ORDER BY ... LIMIT needs no Sort: every key a column of the
// table, and those columns the rowid (a whole or rowid-range read, backward for DESC; its NULLs
// option does not matter) or a run of the keys of the index the scan reads (taking the first
// such index for a whole-table read) whose tree order (IndexColumnOrder) is exactly the keys'
// directions and NULLs placements, or exactly their reverse (read backward, PostgreSQL's Index
// Scan Backward). Marks the scan ordered (and backward, and gives it the index path) when it can.
bool TakeOrderFromScan(Scan& scan, const std::vector<exec::SortKey>& keys,
                       const std::vector<BoundExpr>& items, const std::vector<BoundExpr>& extra) {
  std::vector<int> columns;  // kIndexExpression for an item that is no column
  std::vector<const BoundExpr*> exprs;
  for (const exec::SortKey& k : keys) {
    const BoundExpr& e = k.column < items.size() ? items[k.column] : extra[k.column - items.size()];
    columns.push_back(e.kind == ExprKind::kColumn ? e.index : kIndexExpression);
    exprs.push_back(&e);
  }
  const TableDef& table = *scan.table;
  bool backward = !keys.empty() && keys[0].descending;
  // Whether ix's keys from `from` on, in their tree's order, read forward (backward = false) or
  // backward give the sort keys' order; nullopt: neither.
  auto direction = [&](const IndexDef& ix, size_t from) -> std::optional<bool> {
    std::optional<bool> out;
    for (size_t k = 0; k < keys.size(); ++k) {
      const KeyOrder o = IndexColumnOrder(ix, from + k);
      const bool same = keys[k].descending == o.descending && keys[k].nulls_first == o.nulls_first;
      const bool reverse =
          keys[k].descending != o.descending && keys[k].nulls_first != o.nulls_first;
      if (!same && !reverse) return std::nullopt;
      if (out && *out != reverse) return std::nullopt;
      out = reverse;
    }
    return out;
  };
  // The sort keys are ix's keys from some position on (a column, or the same expression as an
  // expression key), the keys before it pinned to one value by the scan's filter (`WHERE a = 1
  // ORDER BY b` reads the index on (a, b)), and a partial index holds every row the scan's
  // filter lets through.
  auto prefix_of = [&](const IndexDef& ix) {
    if (ix.root == storage::kInvalidPage) return false;
    size_t pinned = 0;
    while (pinned < ix.columns.size() && ix.columns[pinned] != kIndexExpression &&
           PinnedToOneValue(scan.filter ? &*scan.filter : nullptr, table, ix.columns[pinned])) {
      ++pinned;
    }
    auto matches_from = [&](size_t from) {
      if (from + columns.size() > ix.columns.size()) return false;
      const std::optional<bool> read = direction(ix, from);
      if (!read) return false;
      for (size_t k = 0; k < columns.size(); ++k) {
        const int key = ix.columns[from + k];
        if (key != kIndexExpression) {
          if (columns[k] != key) return false;
        } else if (!SameExpr(*exprs[k], *ix.bound_expressions[from + k])) {
          return false;
        }
      }
      backward = *read;
      return true;
    };
    bool fits = false;
    for (size_t from = 0; from <= pinned && !fits; ++from) fits = matches_from(from);
    return fits && (!ix.partial() ||
                    PredicateImplied(scan.filter ? &*scan.filter : nullptr, *ix.bound_predicate));
  };
  if (std::find(columns.begin(), columns.end(), kIndexExpression) != columns.end() &&
      std::none_of(table.indexes.begin(), table.indexes.end(),
                   [](const IndexDef& ix) { return ix.has_expressions(); })) {
    return false;
  }
  switch (scan.path) {
    case AccessPath::kPoint:
      return false;
    case AccessPath::kFull:
    case AccessPath::kRowidRange:
      if (columns.size() == 1 && columns[0] >= 0 && columns[0] == table.rowid_column) {
        scan.ordered = true;
        scan.backward = backward;
        return true;
      }
      if (scan.path == AccessPath::kRowidRange) return false;
      for (size_t i = 0; i < table.indexes.size(); ++i) {
        if (!prefix_of(table.indexes[i])) continue;
        scan.index = OrderedIndexPath(table, i, scan.filter ? &*scan.filter : nullptr);
        scan.path = AccessPath::kIndex;
        scan.ordered = true;
        scan.backward = backward;
        return true;
      }
      return false;
    case AccessPath::kIndex:
      if (!prefix_of(table.indexes[scan.index->index])) return false;
      scan.index->ordered = true;
      scan.ordered = true;
      scan.backward = backward;
      return true;
  }
  return false;
}

namespace {

void CollectColumns(const BoundExpr& e, std::vector<bool>& used) {
  if (e.kind == ExprKind::kColumn) used[static_cast<size_t>(e.index)] = true;
  for (const BoundExpr& a : e.args) CollectColumns(a, used);
}

// Project (the select list with its postponed items as NULLs, the input columns they read, the
// hidden ORDER BY values) -> Sort -> Project (the postponed items over those columns, the others
// as they were) -> Limit. b has no DISTINCT, aggregates or scan order; node is its FROM and
// WHERE, whose rows are scope_width wide.
NodePtr PostponeVolatileItems(BoundSelect& b, NodePtr node, const std::vector<bool>& postponed,
                              size_t scope_width) {
  const size_t width = b.items.exprs.size();
  std::vector<bool> used(scope_width, false);
  for (size_t i = 0; i < width; ++i) {
    if (postponed[i]) CollectColumns(b.items.exprs[i], used);
  }
  // position[c]: where input column c is in the sorted row.
  std::vector<int> position(scope_width, -1);
  Project lower;
  std::vector<BoundExpr> later;
  for (size_t i = 0; i < width; ++i) {
    if (postponed[i]) {
      BoundExpr placeholder;
      placeholder.kind = ExprKind::kConst;
      placeholder.type = b.items.exprs[i].type;
      lower.exprs.push_back(std::move(placeholder));
    } else {
      lower.exprs.push_back(b.items.exprs[i]);
    }
  }
  for (size_t c = 0; c < scope_width; ++c) {
    if (!used[c]) continue;
    position[c] = static_cast<int>(lower.exprs.size());
    BoundExpr col;
    col.kind = ExprKind::kColumn;
    col.index = static_cast<int>(c);
    col.type = c < b.table_columns ? b.scope[c].type : SqlType{TypeId::kBool, -1};
    lower.exprs.push_back(std::move(col));
  }
  const size_t kept = lower.exprs.size();
  for (BoundExpr& e : b.sort_exprs) lower.exprs.push_back(std::move(e));
  lower.agg_offset = exec::kNoAggregates;
  const size_t projected = lower.exprs.size();
  node = MakeNode(std::move(lower), projected, std::move(node));
  std::vector<exec::SortKey> keys = std::move(b.sort_keys);
  for (exec::SortKey& k : keys) {
    if (k.column >= width) k.column += kept - width;
  }
  node = MakeNode(Sort{std::move(keys), kept}, kept, std::move(node));
  Project upper;
  for (size_t i = 0; i < width; ++i) {
    BoundExpr e = std::move(b.items.exprs[i]);
    if (postponed[i]) {
      RemapColumns(e, position);
    } else {
      BoundExpr col;
      col.kind = ExprKind::kColumn;
      col.index = static_cast<int>(i);
      col.type = e.type;
      e = std::move(col);
    }
    upper.exprs.push_back(std::move(e));
  }
  upper.agg_offset = exec::kNoAggregates;
  node = MakeNode(std::move(upper), width, std::move(node));
  // Above the Project, as PostgreSQL's Limit is above its final projection: the rows OFFSET
  // skips are computed too, and the Project is asked only for the rows the Limit needs.
  SQLRITE_ASSERT(b.offset >= 0 && b.limit >= 0);
  if (b.offset > 0 || b.limit != std::numeric_limits<int64_t>::max()) {
    node = MakeNode(Limit{b.offset, b.limit, {}, {}}, width, std::move(node));
  }
  return node;
}

// A WHERE conjunct run as a semi or anti hash join of the FROM's rows (the left input) with a
// subquery's table: PostgreSQL's pull-up of EXISTS / IN sublinks (convert_EXISTS_sublink_to_join,
// convert_ANY_sublink_to_join), for the simple shapes only.
struct SemiJoin {
  JoinType type = JoinType::kSemi;
  std::vector<BoundExpr> left_keys;   // over the scope's columns
  std::vector<BoundExpr> right_keys;  // over the subquery table's row
  std::vector<TypeId> key_types;
  Scan right;
  std::optional<BoundExpr> probe_eq;  // one key: `right key = outer value 0`, for the probe
  NodePtr probe;                      // the right's scan pinned by probe_eq, when an index fits
  std::optional<Limit> limit;         // IN (... LIMIT n): over the right's scan
};

// The semi join that conjunct c amounts to, when it is `EXISTS (q)` (SEMI), `NOT EXISTS (q)`
// (ANTI) or `x IN (q)` (= ANY; SEMI: a WHERE conjunct keeps a row only when it is true, so the
// NULL an IN can give counts as false; NOT IN is never turned into an ANTI join, whose NULL
// rules differ). q must be one table's scan under its select list (no aggregate, DISTINCT,
// LIMIT (but EXISTS's LIMIT n > 0, an uncorrelated IN's any), set operation, join or derived
// table), every conjunct of its
// WHERE that reads the outer query an equality `expression over q's table = outer value` of
// hashable types (each a key pair), the others over q's table only; q's select list (IN's compared
// value) reads no outer value. Nothing volatile.
std::optional<SemiJoin> SemiJoinOf(const BoundExpr& c) {
  // A whole-row reference (a row constructor) stays in WHERE: split off before the
  // null-extension pass (MarkNullExtendedWholeRows), a padded side's row would read as a record
  // of NULLs instead of NULL.
  if (ContainsKind(c, ExprKind::kRowCtor)) return std::nullopt;
  SemiJoin j;
  const BoundExpr* sub = &c;
  if (c.kind == ExprKind::kNot && c.args.size() == 1) {
    sub = &c.args[0];
    j.type = JoinType::kAnti;
  }
  if (sub->kind != ExprKind::kSubquery || sub->subquery == nullptr) return std::nullopt;
  const SubqueryLink& link = *sub->subquery;
  const bool in = link.kind == SubqueryKind::kAny;
  if (link.kind != SubqueryKind::kExists && !in) return std::nullopt;
  if (in && (j.type == JoinType::kAnti || link.op != ast::BinaryOp::kEq || link.row_width != 1 ||
             !link.combine || !IsEquality(*link.combine) ||
             link.combine->args[0].kind != ExprKind::kColumn || link.combine->args[0].index != 0 ||
             link.combine->args[1].kind != ExprKind::kColumn || link.combine->args[1].index != 1 ||
             sub->args.size() != link.outer_count + 1)) {
    return std::nullopt;
  }
  const Node* root = link.plan.root.get();
  if (root == nullptr || root->children.size() != 1) return std::nullopt;
  std::optional<Limit> in_limit;
  if (const Limit* limit = std::get_if<Limit>(&root->op)) {
    // EXISTS (... LIMIT n), n > 0 and no OFFSET: whether a row exists does not depend on the
    // limit (PostgreSQL's simplify_EXISTS_query drops it too). x IN (... LIMIT n) of an
    // uncorrelated q: the semi join's right input is q's scan under that Limit (PostgreSQL's
    // shape), the same rows the subquery would give.
    if (!limit->tie_columns.empty()) return std::nullopt;
    if (in) {
      in_limit = *limit;
    } else if (limit->offset != 0 || limit->limit <= 0) {
      return std::nullopt;
    }
    root = root->children[0].get();
    if (root->children.size() != 1) return std::nullopt;
  }
  const Project* project = std::get_if<Project>(&root->op);
  if (project == nullptr || project->single_row || project->agg_offset != exec::kNoAggregates ||
      project->exprs.empty()) {
    return std::nullopt;
  }
  const Node& below = *root->children[0];
  const Scan* scan = std::get_if<Scan>(&below.op);
  if (scan == nullptr || scan->system || scan->table->system_rows || ContainsVolatile(below)) {
    return std::nullopt;
  }
  std::vector<BoundExpr> filters;
  if (scan->filter) {
    std::vector<BoundExpr> parts;
    SplitConjuncts(*scan->filter, parts);
    for (BoundExpr& f : parts) {
      if (!ContainsKind(f, ExprKind::kOuterRef)) {
        filters.push_back(std::move(f));
        continue;
      }
      if (!IsEquality(f)) return std::nullopt;
      const size_t outer_side = f.args[0].kind == ExprKind::kOuterRef ? 0 : 1;
      const BoundExpr& outer = f.args[outer_side];
      BoundExpr& inner = f.args[1 - outer_side];
      if (outer.kind != ExprKind::kOuterRef || ContainsKind(inner, ExprKind::kOuterRef) ||
          ContainsKind(inner, ExprKind::kSubquery) || outer.index < 0 ||
          static_cast<size_t>(outer.index) >= link.outer_count) {
        return std::nullopt;
      }
      const BoundExpr& value = sub->args[static_cast<size_t>(outer.index)];
      auto key_type = HashKeyType(value.type.id, inner.type.id);
      if (!key_type || ContainsVolatile(value)) return std::nullopt;
      BoundExpr eq = f;
      eq.args[outer_side].index = 0;
      eq.args[outer_side].type = value.type;
      if (outer_side == 0) std::swap(eq.args[0], eq.args[1]);  // `column = value`
      j.probe_eq = std::move(eq);
      j.left_keys.push_back(value);
      j.right_keys.push_back(std::move(inner));
      j.key_types.push_back(*key_type);
    }
  }
  if (in_limit && !j.left_keys.empty()) return std::nullopt;  // a correlated IN with LIMIT
  j.limit = in_limit;
  if (in) {
    const BoundExpr& operand = sub->args[link.outer_count];
    const BoundExpr& item = project->exprs[0];
    auto key_type = HashKeyType(operand.type.id, item.type.id);
    if (!key_type || ContainsVolatile(operand) || ContainsKind(item, ExprKind::kOuterRef) ||
        ContainsKind(item, ExprKind::kSubquery) || ContainsKind(item, ExprKind::kAggRef)) {
      return std::nullopt;
    }
    BoundExpr eq = *link.combine;
    BoundExpr ref;
    ref.kind = ExprKind::kOuterRef;
    ref.index = 0;
    ref.type = operand.type;
    eq.args[0] = item;
    eq.args[1] = std::move(ref);
    j.probe_eq = std::move(eq);
    j.left_keys.push_back(operand);
    j.right_keys.push_back(item);
    j.key_types.push_back(*key_type);
  }
  if (j.left_keys.empty()) return std::nullopt;  // uncorrelated EXISTS: an InitPlan is right
  const bool subqueries = std::any_of(filters.begin(), filters.end(), [](const BoundExpr& f) {
    return ContainsKind(f, ExprKind::kSubquery);
  });
  if (j.left_keys.size() == 1 && !subqueries && !j.limit) {
    // The probe: one key, read through an index (a point lookup or an index path using it).
    Scan probe;
    probe.table = scan->table;
    probe.alias = scan->alias;
    std::vector<BoundExpr> parts{*j.probe_eq};
    for (const BoundExpr& f : filters) parts.push_back(f);
    probe.filter = AndOf(std::move(parts));
    ChooseAccessPath(probe);
    bool probes = probe.path == AccessPath::kPoint;
    if (probe.path == AccessPath::kIndex && probe.index->eq_columns > 0) {
      for (const BoundExpr* u : IndexConditions(*probe.table, *probe.index, *probe.filter)) {
        probes = probes || ContainsKind(*u, ExprKind::kOuterRef);
      }
    }
    const size_t width = probe.table->columns.size();
    if (probes) j.probe = MakeNode(std::move(probe), width);
  }
  j.right.table = scan->table;
  j.right.alias = scan->alias;
  if (!filters.empty()) j.right.filter = AndOf(std::move(filters));
  ChooseAccessPath(j.right);
  return j;
}

// A correlated scalar subquery `(SELECT agg(...) FROM u WHERE u.k = outer.k AND ...)` run as a
// grouped derived table LEFT hash-joined to the FROM's rows on the correlated keys: one pass
// over u instead of one per outer row. The derived rows are [aggregate values..., key
// values...], and the subquery's select-list expression is computed above the join over them
// (`0.2 * avg(y)` too); a group no outer row matches is never read, and an outer row no group
// matches (its key NULL, or no u row with it) gets NULLs, which are the values over no rows of
// sum, avg, min and max; count's is 0 (count: the column is read as COALESCE(value, 0)).
struct AggSubquery {
  std::vector<BoundExpr> left_keys;   // over the scope's columns
  std::vector<BoundExpr> right_keys;  // over the derived row: the columns after the aggregates'
  std::vector<TypeId> key_types;
  NodePtr derived;  // [the aggregates' values..., the keys...]
  // The subquery's select-list expression, its outer values replaced by the enclosing query's
  // expressions for them; its kAggRef i reads the derived row's column i (COALESCE 0 for a
  // count: count_agg[i]).
  BoundExpr value;
  std::vector<bool> count_agg;
};

// x (an expression of a subquery's plan over its outer values and constants) with each outer
// value replaced by the enclosing query's expression for it (values: the kSubquery's args);
// nullopt when x reads anything else (a column, a subquery, an out-of-range outer value).
// keep_aggs: kAggRef nodes stay as they are (a select-list expression over the aggregates).
std::optional<BoundExpr> OverOuterValues(const BoundExpr& x, const std::vector<BoundExpr>& values,
                                         bool keep_aggs = false) {
  if (x.kind == ExprKind::kOuterRef) {
    if (x.index < 0 || static_cast<size_t>(x.index) >= values.size()) return std::nullopt;
    return values[static_cast<size_t>(x.index)];
  }
  if (x.kind == ExprKind::kAggRef && keep_aggs) return x;
  if (x.kind == ExprKind::kColumn || x.kind == ExprKind::kSubquery || x.kind == ExprKind::kAggRef ||
      x.kind == ExprKind::kWindowRef || x.kind == ExprKind::kSetRef) {
    return std::nullopt;
  }
  BoundExpr out = x;
  for (BoundExpr& a : out.args) {
    std::optional<BoundExpr> v = OverOuterValues(a, values, keep_aggs);
    if (!v) return std::nullopt;
    a = std::move(*v);
  }
  return out;
}

// The AggSubquery that e (a kSubquery node) amounts to: a scalar subquery whose plan is an
// expression over aggregates and outer values (no subquery, nothing volatile) projected over an
// ungrouped Aggregate of one table's scan; every aggregate count(*), count, sum, avg, min or
// max; every conjunct of the scan's filter that
// reads the outer query is `expression over the table = expression over outer values` of
// hashable types, the others (and the aggregates) read no outer value; nothing volatile.
std::optional<AggSubquery> AggSubqueryOf(const BoundExpr& e) {
  if (e.kind != ExprKind::kSubquery || e.subquery == nullptr) return std::nullopt;
  const SubqueryLink& link = *e.subquery;
  if (link.kind != SubqueryKind::kScalar || link.outer_count == 0 ||
      e.args.size() != link.outer_count) {
    return std::nullopt;
  }
  const Node* root = link.plan.root.get();
  if (root == nullptr || root->children.size() != 1 || ContainsVolatile(*root)) {
    return std::nullopt;
  }
  const Project* project = std::get_if<Project>(&root->op);
  if (project == nullptr || project->single_row || project->exprs.size() != 1) {
    return std::nullopt;
  }
  const Node& agg_node = *root->children[0];
  const Aggregate* agg = std::get_if<Aggregate>(&agg_node.op);
  if (agg == nullptr || !agg->group_by.empty() || agg->grouping.active() ||
      agg_node.children.size() != 1) {
    return std::nullopt;
  }
  const Node& below = *agg_node.children[0];
  const Scan* scan = std::get_if<Scan>(&below.op);
  if (scan == nullptr || scan->system || scan->table->system_rows ||
      project->agg_offset != below.width) {
    return std::nullopt;
  }
  // Over no rows, every aggregate's value is NULL but a count's 0: what a LEFT join's padding
  // (with the COALESCE) gives.
  AggSubquery q;
  for (const AggSpec& a : agg->aggs) {
    const AggKind kind = a.kind;
    if (kind != AggKind::kCountStar && kind != AggKind::kCount && kind != AggKind::kSum &&
        kind != AggKind::kAvg && kind != AggKind::kMin && kind != AggKind::kMax) {
      return std::nullopt;
    }
    q.count_agg.push_back(kind == AggKind::kCountStar || kind == AggKind::kCount);
  }
  if (std::any_of(e.args.begin(), e.args.end(),
                  [](const BoundExpr& v) { return ContainsKind(v, ExprKind::kAggRef); })) {
    return std::nullopt;
  }
  std::optional<BoundExpr> select_value =
      OverOuterValues(project->exprs[0], e.args, /*keep_aggs=*/true);
  if (!select_value || ContainsVolatile(*select_value)) return std::nullopt;
  q.value = std::move(*select_value);
  auto reads_outer = [](const BoundExpr& x) {
    return ContainsKind(x, ExprKind::kOuterRef) || ContainsKind(x, ExprKind::kSubquery);
  };
  for (const AggSpec& a : agg->aggs) {
    if (reads_outer(a.arg) || (a.filter && reads_outer(*a.filter)) ||
        (a.delimiter && reads_outer(*a.delimiter)) ||
        std::any_of(a.direct_args.begin(), a.direct_args.end(), reads_outer) ||
        std::any_of(a.order_by.begin(), a.order_by.end(),
                    [&](const AggOrderKey& k) { return reads_outer(k.expr); })) {
      return std::nullopt;
    }
  }
  std::vector<BoundExpr> filters, inner_keys;
  if (scan->filter) {
    std::vector<BoundExpr> parts;
    SplitConjuncts(*scan->filter, parts);
    for (BoundExpr& f : parts) {
      if (!ContainsKind(f, ExprKind::kOuterRef)) {
        if (ContainsKind(f, ExprKind::kSubquery)) return std::nullopt;
        filters.push_back(std::move(f));
        continue;
      }
      if (!IsEquality(f)) return std::nullopt;
      // The outer side reads outer values (and constants) only; the inner side no outer value.
      const size_t outer_side = ContainsKind(f.args[0], ExprKind::kOuterRef) ? 0 : 1;
      BoundExpr& inner = f.args[1 - outer_side];
      if (ContainsKind(f.args[outer_side], ExprKind::kColumn) || reads_outer(inner)) {
        return std::nullopt;
      }
      std::optional<BoundExpr> outer_value = OverOuterValues(f.args[outer_side], e.args);
      if (!outer_value) return std::nullopt;
      const BoundExpr& value = *outer_value;
      auto key_type = HashKeyType(value.type.id, inner.type.id);
      if (!key_type || ContainsVolatile(value) || ContainsKind(value, ExprKind::kSubquery)) {
        return std::nullopt;
      }
      q.left_keys.push_back(value);
      inner_keys.push_back(std::move(inner));
      q.key_types.push_back(*key_type);
    }
  }
  if (q.left_keys.empty()) return std::nullopt;  // correlated elsewhere (a SubPlan is right)
  Scan right;
  right.table = scan->table;
  right.alias = scan->alias;
  if (!filters.empty()) right.filter = AndOf(std::move(filters));
  ChooseAccessPath(right);
  const size_t scan_width = below.width;
  NodePtr node = MakeNode(std::move(right), scan_width);
  Aggregate grouped;
  grouped.group_by = inner_keys;
  grouped.aggs = agg->aggs;
  node = MakeNode(std::move(grouped), scan_width + agg->aggs.size(), std::move(node));
  // The keys over the group's first row (each group's rows share their values).
  Project out;
  for (size_t i = 0; i < agg->aggs.size(); ++i) {
    BoundExpr ref;
    ref.kind = ExprKind::kAggRef;
    ref.type = agg->aggs[i].type;
    ref.index = static_cast<int>(i);
    out.exprs.push_back(std::move(ref));
  }
  for (BoundExpr& k : inner_keys) {
    BoundExpr col;
    col.kind = ExprKind::kColumn;
    col.type = k.type;
    col.index = static_cast<int>(out.exprs.size());
    q.right_keys.push_back(std::move(col));
    out.exprs.push_back(std::move(k));
  }
  out.agg_offset = scan_width;
  const size_t width = out.exprs.size();
  q.derived = MakeNode(std::move(out), width, std::move(node));
  return q;
}

// Whether e (outside any subquery's plan) holds a subquery AggSubqueryOf takes.
bool HasAggSubquery(const BoundExpr& e) {
  if (AggSubqueryOf(e)) return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [](const BoundExpr& a) { return HasAggSubquery(a); });
}

// Replaces each kAggRef i of e by the joined row's column base + i (COALESCE(column, 0) for a
// count).
void ReadAggsFrom(BoundExpr& e, size_t base, const std::vector<bool>& count_agg) {
  if (e.kind == ExprKind::kAggRef) {
    const auto i = static_cast<size_t>(e.index);
    BoundExpr ref;
    ref.kind = ExprKind::kColumn;
    ref.type = e.type;
    ref.index = static_cast<int>(base + i);
    if (count_agg[i]) {
      BoundExpr zero;
      zero.kind = ExprKind::kConst;
      zero.type = e.type;
      zero.value = Datum(int64_t{0});
      BoundExpr coalesce;
      coalesce.kind = ExprKind::kCoalesce;
      coalesce.type = e.type;
      coalesce.args.push_back(std::move(ref));
      coalesce.args.push_back(std::move(zero));
      ref = std::move(coalesce);
    }
    e = std::move(ref);
    return;
  }
  for (BoundExpr& a : e.args) ReadAggsFrom(a, base, count_agg);
}

// Replaces each subquery of e that AggSubqueryOf takes by a reference to its value in the
// joined row (the derived rows appended at *width), adding the join to *out.
void DecorrelateAggSubqueries(BoundExpr& e, size_t* width, std::vector<AggSubquery>* out) {
  if (auto q = AggSubqueryOf(e)) {
    BoundExpr value = std::move(q->value);
    ReadAggsFrom(value, *width, q->count_agg);
    *width += q->derived->width;
    out->push_back(std::move(*q));
    e = std::move(value);
    return;
  }
  for (BoundExpr& a : e.args) DecorrelateAggSubqueries(a, width, out);
}

}  // namespace

Result<Plan> PlanSelect(BoundSelect b) {
  if (b.set_op) return PlanSetOperation(std::move(b));
  if (!b.values.empty()) return PlanValues(std::move(b));
  Plan plan;
  NodePtr node;
  // Rows carry the tables' columns only, and the null-extension markers of whole-row references
  // (engine/plan/null_extension.h) after them.
  size_t scope_width = b.table_columns;
  // EXISTS / NOT EXISTS / IN conjuncts of WHERE that decorrelate: semi and anti joins above
  // the FROM's plan, the rest of WHERE planned as before.
  std::vector<SemiJoin> semi_joins;
  if (b.where && !b.tables.empty() && b.tables.size() <= kMaxPlannedTables) {
    std::vector<BoundExpr> parts, rest;
    SplitConjuncts(std::move(*b.where), parts);
    for (BoundExpr& c : parts) {
      if (auto j = SemiJoinOf(c)) {
        semi_joins.push_back(std::move(*j));
      } else {
        rest.push_back(std::move(c));
      }
    }
    b.where.reset();
    if (!rest.empty()) b.where = AndOf(std::move(rest));
  }
  // Correlated aggregate subqueries of WHERE and the select list that decorrelate (AggSubquery):
  // their WHERE conjuncts wait above the FROM's joins and the derived tables' joins. Not under a
  // LIMIT (the subquery may run for a few rows only), windows or set-returning calls. An
  // aggregated query's select list is over its groups: only its aggregates' arguments
  // decorrelate there.
  std::vector<BoundExpr> post_where;
  std::optional<BoundExpr> whole_where;  // WHERE as it was, should the FROM return few rows
  // Nor in a query run per row of an enclosing one whose WHERE reads that row (its FROM is
  // likely narrowed per run; the derived table would aggregate all of its table each time).
  const bool may_decorrelate = !b.tables.empty() && b.tables.size() <= kMaxPlannedTables &&
                               b.limit == std::numeric_limits<int64_t>::max() && b.offset == 0 &&
                               b.windows.calls.empty() && b.set_calls.empty() &&
                               !(b.where && ContainsKind(*b.where, ExprKind::kOuterRef));
  if (may_decorrelate && b.where && HasAggSubquery(*b.where)) {
    whole_where = b.where;
    std::vector<BoundExpr> parts, rest;
    SplitConjuncts(std::move(*b.where), parts);
    for (BoundExpr& c : parts) {
      // A whole-row reference stays in WHERE, as for semi joins (SemiJoinOf): the
      // null-extension pass rewrites only what WHERE holds.
      const bool post = HasAggSubquery(c) && !ContainsKind(c, ExprKind::kRowCtor);
      (post ? post_where : rest).push_back(std::move(c));
    }
    b.where.reset();
    if (!rest.empty()) b.where = AndOf(std::move(rest));
  }
  const bool decorrelate_items = may_decorrelate && !b.aggregated &&
                                 std::any_of(b.items.exprs.begin(), b.items.exprs.end(),
                                             [](const BoundExpr& e) { return HasAggSubquery(e); });
  // An aggregated query's aggregate arguments are over the FROM's rows too (sum((SELECT ...))).
  const bool decorrelate_aggs = may_decorrelate && b.aggregated &&
                                std::any_of(b.aggs.begin(), b.aggs.end(),
                                            [](const AggSpec& a) { return HasAggSubquery(a.arg); });
  bool few_rows = false;  // the FROM returns few rows: the subqueries stay SubPlans
  if (b.tables.empty()) {
    node = MakeNode(OneRow{}, 0);
    if (b.where) node = MakeNode(Filter{std::move(*b.where)}, 0, std::move(node));
  } else if (b.tables.size() == 1) {
    // The whole WHERE goes to the scan as written (its reader picks the access path from it).
    std::vector<BoundExpr> filters;
    if (b.where) filters.push_back(std::move(*b.where));
    SQLRITE_ASSIGN_OR_RETURN(node, PlanTable(b.tables[0], std::move(filters)));
    few_rows = FewRows(*node);
    if (few_rows && whole_where) {
      // A few rows' subqueries run as SubPlans: the whole WHERE is the scan's again.
      post_where.clear();
      filters.clear();
      filters.push_back(std::move(*whole_where));
      SQLRITE_ASSIGN_OR_RETURN(node, PlanTable(b.tables[0], std::move(filters)));
    }
  } else if (b.tables.size() <= kMaxPlannedTables) {
    std::vector<NullExtensionMarker> markers = MarkNullExtendedWholeRows(b);
    FromPlanner from(b, std::move(markers));
    node = from.PlanFrom(std::move(b.where));
    if (from.error_) return Fail(std::move(*from.error_));
    scope_width = from.global_width();
    few_rows = FewRows(*node);
  } else {
    // Beyond the planner's table sets: the items cross-joined in FROM order under one Filter,
    // each join item planned with no pushdown.
    SQLRITE_ASSERT(b.from.size() == b.tables.size());  // 65 tables in JOIN syntax: not planned
    for (const BoundTable& t : b.tables) {
      if (!t.lateral.empty()) {
        return Fail(sqlstate::kFeatureNotSupported,
                    "LATERAL items in a FROM list of more than 64 items are not supported");
      }
    }
    size_t width = b.tables[0].def->columns.size();
    SQLRITE_ASSIGN_OR_RETURN(node, PlanTable(b.tables[0], {}));
    for (size_t t = 1; t < b.tables.size(); ++t) {
      width += b.tables[t].def->columns.size();
      SQLRITE_ASSIGN_OR_RETURN(NodePtr right, PlanTable(b.tables[t], {}));
      node = MakeNode(NestedLoop{}, width, std::move(node), std::move(right));
    }
    if (b.where) node = MakeNode(Filter{std::move(*b.where)}, width, std::move(node));
  }
  for (SemiJoin& j : semi_joins) {
    HashJoin hash;
    hash.type = j.type;
    hash.left_keys = std::move(j.left_keys);
    hash.right_keys = std::move(j.right_keys);
    hash.key_types = std::move(j.key_types);
    if (j.probe != nullptr) hash.probe = std::shared_ptr<const Node>(std::move(j.probe));
    const size_t right_width = j.right.table->columns.size();
    NodePtr right = MakeNode(std::move(j.right), right_width);
    if (j.limit) right = MakeNode(std::move(*j.limit), right_width, std::move(right));
    node = MakeNode(std::move(hash), scope_width, std::move(node), std::move(right));
  }
  if (!few_rows && (!post_where.empty() || decorrelate_items || decorrelate_aggs)) {
    SQLRITE_ASSERT(node->width == scope_width);
    std::vector<AggSubquery> derived;
    size_t width = scope_width;
    for (BoundExpr& c : post_where) DecorrelateAggSubqueries(c, &width, &derived);
    if (decorrelate_items) {
      for (BoundExpr& e : b.items.exprs) DecorrelateAggSubqueries(e, &width, &derived);
    }
    if (decorrelate_aggs) {
      for (AggSpec& a : b.aggs) DecorrelateAggSubqueries(a.arg, &width, &derived);
    }
    for (AggSubquery& q : derived) {
      HashJoin hash;
      hash.type = JoinType::kLeft;
      hash.left_keys = std::move(q.left_keys);
      hash.right_keys = std::move(q.right_keys);
      hash.key_types = std::move(q.key_types);
      const size_t joined = node->width + q.derived->width;
      node = MakeNode(std::move(hash), joined, std::move(node), std::move(q.derived));
    }
    SQLRITE_ASSERT(node->width == width);
    scope_width = width;
  }
  if (!post_where.empty()) {
    node = MakeNode(Filter{AndOf(std::move(post_where))}, scope_width, std::move(node));
  }

  size_t agg_offset = exec::kNoAggregates;
  if (b.aggregated) {
    agg_offset = scope_width;
    const size_t naggs = b.aggs.size();
    node = MakeNode(Aggregate{std::move(b.group_by), std::move(b.aggs), std::move(b.grouping)},
                    scope_width + naggs, std::move(node));
    if (b.having) {
      node =
          MakeNode(Filter{std::move(*b.having), agg_offset}, scope_width + naggs, std::move(node));
    }
  }
  bool sorted_by_windows = false;
  if (!b.windows.calls.empty()) {
    // The row so far: the scope's columns, then the aggregates' values.
    std::vector<SqlType> types;
    for (size_t c = 0; c < scope_width; ++c) {
      types.push_back(c < b.table_columns ? b.scope[c].type : SqlType{TypeId::kBool, -1});
    }
    if (b.aggregated) {
      for (const AggSpec& a : std::get<Aggregate>(FindAggregate(*node).op).aggs) {
        types.push_back(a.type);
      }
    }
    std::vector<int> call_column;
    std::vector<WindowOrderKey> windows_order;
    node =
        PlanWindows(b, std::move(node), std::move(types), agg_offset, call_column, windows_order);
    for (BoundExpr& e : b.items.exprs) ReplaceWindowRefs(e, call_column);
    for (BoundExpr& e : b.sort_exprs) ReplaceWindowRefs(e, call_column);
    // An ORDER BY that is a prefix of the last window's sort needs no Sort of its own (as
    // PostgreSQL's pathkeys find): the WindowAggs keep their input's order.
    sorted_by_windows = !b.distinct && b.distinct_on.empty() && !b.sort_keys.empty() &&
                        b.sort_keys.size() <= windows_order.size();
    for (size_t i = 0; sorted_by_windows && i < b.sort_keys.size(); ++i) {
      const exec::SortKey& k = b.sort_keys[i];
      const size_t n = b.items.exprs.size();
      const BoundExpr& e = k.column < n ? b.items.exprs[k.column] : b.sort_exprs[k.column - n];
      const WindowOrderKey& w = windows_order[i];
      sorted_by_windows =
          k.descending == w.descending && k.nulls_first == w.nulls_first && SameExpr(e, w.expr);
    }
  }
  const bool has_set_calls = !b.set_calls.empty();
  if (has_set_calls) {
    // Under the projection, as PostgreSQL's ProjectSet (never beside aggregates or windows:
    // the binder refuses that).
    const size_t base = node->width;
    const size_t ncalls = b.set_calls.size();
    node = MakeNode(ProjectSet{std::move(b.set_calls)}, base + ncalls, std::move(node));
    for (BoundExpr& e : b.items.exprs) ReplaceSetRefs(e, base);
    for (BoundExpr& e : b.sort_exprs) ReplaceSetRefs(e, base);
  }
  const size_t width = b.items.exprs.size();
  // ORDER BY ... LIMIT over one table, read in an order that already is the ORDER BY's.
  bool sorted_by_scan = false;
  if (b.tables.size() == 1 && !b.aggregated && !b.distinct && b.distinct_on.empty() &&
      !b.sort_keys.empty() && b.windows.specs.empty() &&
      b.limit != std::numeric_limits<int64_t>::max() && std::holds_alternative<Scan>(node->op)) {
    sorted_by_scan =
        TakeOrderFromScan(std::get<Scan>(node->op), b.sort_keys, b.items.exprs, b.sort_exprs);
  }
  sorted_by_scan = sorted_by_scan || sorted_by_windows;
  // Volatile items no sort key needs are computed after the Sort (and its Limit), as
  // PostgreSQL's make_sort_input_target postpones them: nextval() then runs for the rows
  // returned, in their order.
  if (!b.sort_keys.empty() && !sorted_by_scan && !b.distinct && b.distinct_on.empty() &&
      !b.with_ties && !b.aggregated && !b.tables.empty() && !has_set_calls) {
    std::vector<bool> postponed(width);
    for (size_t i = 0; i < width; ++i) postponed[i] = ContainsVolatile(b.items.exprs[i]);
    for (const exec::SortKey& k : b.sort_keys) {
      if (k.column < width) postponed[k.column] = false;
    }
    if (std::find(postponed.begin(), postponed.end(), true) != postponed.end()) {
      node = PostponeVolatileItems(b, std::move(node), postponed, scope_width);
      plan.root = std::move(node);
      plan.columns = std::move(b.items.columns);
      return plan;
    }
  }
  // The types of the projected row's columns (the select list's, then the hidden ones').
  std::vector<TypeId> projected_types;
  for (const BoundExpr& e : b.items.exprs) projected_types.push_back(e.type.id);
  for (const BoundExpr& e : b.sort_exprs) projected_types.push_back(e.type.id);
  std::vector<SqlType> item_types;
  for (const BoundExpr& e : b.items.exprs) item_types.push_back(e.type);
  Project project;
  project.exprs = std::move(b.items.exprs);
  for (BoundExpr& e : b.sort_exprs) project.exprs.push_back(std::move(e));
  project.agg_offset = agg_offset;
  // Without a table and without aggregates, the one row is projected once.
  project.single_row = b.tables.empty() && !b.aggregated && !has_set_calls;
  const size_t projected = project.exprs.size();
  node = MakeNode(std::move(project), projected, std::move(node));
  if (b.distinct) {
    Distinct d;
    for (const ColumnInfo& c : b.items.columns) d.key_types.push_back(c.type);
    node = MakeNode(std::move(d), projected, std::move(node));
  }
  // DISTINCT ON's Unique and WITH TIES' Limit compare hidden ORDER BY values: the Sort keeps
  // them, and a Project above the Limit drops them.
  const bool keep_hidden = !b.distinct_on.empty() || b.with_ties;
  std::vector<size_t> tie_columns;
  std::vector<TypeId> tie_types;
  if (b.with_ties) {
    for (const exec::SortKey& k : b.sort_keys) {
      tie_columns.push_back(k.column);
      tie_types.push_back(projected_types[k.column]);
    }
  }
  if (!b.sort_keys.empty() && !sorted_by_scan) {
    const size_t keep = keep_hidden ? projected : width;
    node = MakeNode(Sort{std::move(b.sort_keys), keep}, keep, std::move(node));
  }
  if (!b.distinct_on.empty()) {
    Unique u;
    for (size_t c : b.distinct_on) {
      u.key_columns.push_back(c);
      u.key_types.push_back(projected_types[c]);
    }
    const size_t w = node->width;
    node = MakeNode(std::move(u), w, std::move(node));
  }
  SQLRITE_ASSERT(b.offset >= 0 && b.limit >= 0);
  if (b.offset > 0 || b.limit != std::numeric_limits<int64_t>::max()) {
    const size_t w = node->width;
    node = MakeNode(Limit{b.offset, b.limit, std::move(tie_columns), std::move(tie_types)}, w,
                    std::move(node));
  }
  if (node->width != width) {
    // The hidden ORDER BY values the Sort did not drop.
    Project keep;
    for (size_t i = 0; i < width; ++i) {
      BoundExpr col;
      col.kind = ExprKind::kColumn;
      col.type = item_types[i];
      col.index = static_cast<int>(i);
      keep.exprs.push_back(std::move(col));
    }
    node = MakeNode(std::move(keep), width, std::move(node));
  }
  plan.root = std::move(node);
  plan.columns = std::move(b.items.columns);
  MarkNeededColumns(*plan.root);
  return plan;
}

void ReplaceSetRefs(BoundExpr& e, size_t base) {
  if (e.kind == ExprKind::kSetRef) {
    e.kind = ExprKind::kColumn;
    e.index = static_cast<int>(base) + e.index;
    return;
  }
  for (BoundExpr& a : e.args) ReplaceSetRefs(a, base);
}

bool ContainsVolatile(const BoundExpr& e) {
  if (e.kind == ExprKind::kBuiltin && e.builtin != nullptr && e.builtin->is_volatile) return true;
  if (e.kind == ExprKind::kFunc && e.args.empty()) return true;  // gen_random_uuid()
  if (e.kind == ExprKind::kSubquery && e.subquery != nullptr && e.subquery->plan.root != nullptr &&
      ContainsVolatile(*e.subquery->plan.root)) {
    return true;
  }
  return std::any_of(e.args.begin(), e.args.end(),
                     [](const BoundExpr& a) { return ContainsVolatile(a); });
}

namespace {

bool AnyVolatile(const std::optional<BoundExpr>& e) { return e && ContainsVolatile(*e); }
bool AnyVolatile(const std::vector<BoundExpr>& es) {
  return std::any_of(es.begin(), es.end(), [](const BoundExpr& e) { return ContainsVolatile(e); });
}

}  // namespace

bool ContainsVolatile(const Node& node) {
  const bool own = std::visit(
      [](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Scan>) {
          return AnyVolatile(op.filter);
        } else if constexpr (std::is_same_v<T, Filter>) {
          return ContainsVolatile(op.condition);
        } else if constexpr (std::is_same_v<T, NestedLoop>) {
          return AnyVolatile(op.condition);
        } else if constexpr (std::is_same_v<T, HashJoin>) {
          return AnyVolatile(op.left_keys) || AnyVolatile(op.right_keys) ||
                 AnyVolatile(op.residual);
        } else if constexpr (std::is_same_v<T, Aggregate>) {
          return AnyVolatile(op.group_by) ||
                 std::any_of(op.aggs.begin(), op.aggs.end(), [](const AggSpec& a) {
                   return ContainsVolatile(a.arg) || AnyVolatile(a.delimiter) ||
                          AnyVolatile(a.direct_args) ||
                          std::any_of(
                              a.order_by.begin(), a.order_by.end(),
                              [](const AggOrderKey& k) { return ContainsVolatile(k.expr); });
                 });
        } else if constexpr (std::is_same_v<T, Project>) {
          return AnyVolatile(op.exprs);
        } else if constexpr (std::is_same_v<T, FunctionScan>) {
          return ContainsVolatile(op.call);
        } else if constexpr (std::is_same_v<T, ProjectSet>) {
          return AnyVolatile(op.calls);
        } else if constexpr (std::is_same_v<T, CteScan>) {
          return op.plan != nullptr && ContainsVolatile(*op.plan);
        } else if constexpr (std::is_same_v<T, RecursiveUnion>) {
          return op.recursive != nullptr && ContainsVolatile(*op.recursive);
        } else {
          return false;
        }
      },
      node.op);
  if (own) return true;
  return std::any_of(node.children.begin(), node.children.end(),
                     [](const NodePtr& c) { return ContainsVolatile(*c); });
}

}  // namespace sqlrite::engine::plan
