#include "engine/plan/explain.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "common/assert.h"
#include "engine/exec/filter.h"
#include "engine/exec/instrument.h"
#include "engine/functions/builtin.h"
#include "engine/index_expressions.h"
#include "engine/plan/subquery_link.h"
#include "engine/table_access.h"
#include "engine/value.h"

namespace sqlrite::engine::plan {
namespace {

const char* OpText(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kAdd:
      return "+";
    case ast::BinaryOp::kSub:
      return "-";
    case ast::BinaryOp::kMul:
      return "*";
    case ast::BinaryOp::kDiv:
      return "/";
    case ast::BinaryOp::kMod:
      return "%";
    case ast::BinaryOp::kConcat:
      return "||";
    case ast::BinaryOp::kEq:
      return "=";
    case ast::BinaryOp::kNe:
      return "<>";
    case ast::BinaryOp::kLt:
      return "<";
    case ast::BinaryOp::kLe:
      return "<=";
    case ast::BinaryOp::kGt:
      return ">";
    case ast::BinaryOp::kGe:
      return ">=";
    case ast::BinaryOp::kAnd:
      return "AND";
    case ast::BinaryOp::kOr:
      return "OR";
  }
  return "?";
}

const char* AggName(AggKind k) {
  switch (k) {
    case AggKind::kCountStar:
    case AggKind::kCount:
      return "count";
    case AggKind::kSum:
      return "sum";
    case AggKind::kMin:
      return "min";
    case AggKind::kMax:
      return "max";
    case AggKind::kAvg:
      return "avg";
    case AggKind::kStringAgg:
      return "string_agg";
    case AggKind::kArrayAgg:
      return "array_agg";
    case AggKind::kJsonAgg:
      return "json_agg";
    case AggKind::kJsonbAgg:
      return "jsonb_agg";
    case AggKind::kJsonObjectAgg:
      return "json_object_agg";
    case AggKind::kJsonbObjectAgg:
      return "jsonb_object_agg";
    case AggKind::kBitAnd:
      return "bit_and";
    case AggKind::kBitOr:
      return "bit_or";
    case AggKind::kBitXor:
      return "bit_xor";
    case AggKind::kPercentileCont:
      return "percentile_cont";
    case AggKind::kPercentileDisc:
      return "percentile_disc";
    case AggKind::kMode:
      return "mode";
    case AggKind::kHypotheticalRank:
      return "rank";
    case AggKind::kHypotheticalDenseRank:
      return "dense_rank";
    case AggKind::kHypotheticalPercentRank:
      return "percent_rank";
    case AggKind::kHypotheticalCumeDist:
      return "cume_dist";
    case AggKind::kVarPop:
      return "var_pop";
    case AggKind::kVarSamp:
      return "var_samp";
    case AggKind::kStddevPop:
      return "stddev_pop";
    case AggKind::kStddevSamp:
      return "stddev_samp";
    case AggKind::kCorr:
      return "corr";
    case AggKind::kCovarPop:
      return "covar_pop";
    case AggKind::kCovarSamp:
      return "covar_samp";
    case AggKind::kRegrAvgX:
      return "regr_avgx";
    case AggKind::kRegrAvgY:
      return "regr_avgy";
    case AggKind::kRegrCount:
      return "regr_count";
    case AggKind::kRegrIntercept:
      return "regr_intercept";
    case AggKind::kRegrR2:
      return "regr_r2";
    case AggKind::kRegrSlope:
      return "regr_slope";
    case AggKind::kRegrSxx:
      return "regr_sxx";
    case AggKind::kRegrSxy:
      return "regr_sxy";
    case AggKind::kRegrSyy:
      return "regr_syy";
  }
  return "?";
}

// The names of a node's output columns, as PostgreSQL prints references to them.
using Names = std::vector<std::string>;

// What every Explainer of one EXPLAIN shares: PostgreSQL numbers subplans and the parameters
// InitPlans return across the whole statement.
struct Numbering {
  int next_plan = 1;
  int next_param = 0;
  // EXPLAIN ANALYZE: the counters of the execution; null for a plain EXPLAIN.
  const exec::Instrumentation* analyze = nullptr;
  // A node printed with Projects and Filters of ours folded into it: the topmost of them,
  // whose rows and time are the ones PostgreSQL's node (filtering and projecting itself) has.
  std::unordered_map<const Node*, const Node*> shown;
};

// A node's actual figures as EXPLAIN ANALYZE prints them (totals over its loops).
struct Actual {
  bool executed = false;
  double rows = 0;
  double loops = 0;
  double startup = 0;  // seconds
  double total = 0;
};

class Explainer {
 public:
  // inits: where the InitPlans found are rendered, for the root of the plan (or subplan) being
  // printed; outer: the names of the values a subplan reads from its enclosing row.
  Explainer(bool costs, bool qualify, Numbering* numbering,
            std::vector<std::vector<std::string>>* inits, const Names* outer)
      : costs_(costs), qualify_(qualify), numbering_(numbering), inits_(inits), outer_(outer) {}

  std::vector<std::string> lines;

  // Prints a whole plan (or a subplan) rooted at indent, with its InitPlans after the root's
  // own detail lines, as PostgreSQL attaches them to the top node of their query level.
  static std::vector<std::string> PrintLevel(const Node& root, int indent, bool costs, bool qualify,
                                             Numbering* numbering, const Names* outer) {
    std::vector<std::vector<std::string>> inits;
    Explainer ex(costs, qualify, numbering, &inits, outer);
    ex.level_indent_ = indent;
    ex.Print(root, indent);
    if (inits.empty()) return std::move(ex.lines);
    const std::string detail(static_cast<size_t>(Inner(indent)) * 2, ' ');
    size_t at = 1;
    while (at < ex.lines.size() && ex.lines[at].compare(0, detail.size(), detail) == 0 &&
           ex.lines[at].size() > detail.size() && ex.lines[at][detail.size()] != ' ' &&
           ex.lines[at][detail.size()] != '-' &&
           ex.lines[at].compare(detail.size(), 8, "SubPlan ") != 0) {
      ++at;
    }
    std::vector<std::string> out(ex.lines.begin(), ex.lines.begin() + static_cast<long>(at));
    for (std::vector<std::string>& block : inits) {
      for (std::string& l : block) out.push_back(std::move(l));
    }
    for (size_t i = at; i < ex.lines.size(); ++i) out.push_back(std::move(ex.lines[i]));
    return out;
  }

  // A Filter of ours, printed as a "Filter:" line of the node below it.
  struct Pending {
    const BoundExpr* condition;
    size_t agg_offset;
    const Node* node;  // the Filter
  };

 private:
  // node printed at indent into a buffer: its names, and its lines for Append.
  struct Printed {
    Names names;
    std::vector<std::string> lines;
  };
  Printed Sub(const Node& node, int indent) {
    Explainer sub(costs_, qualify_, numbering_, inits_, outer_);
    sub.level_indent_ = level_indent_;
    Names names = sub.Print(node, indent);
    return Printed{std::move(names), std::move(sub.lines)};
  }
  void Append(Printed& p) {
    for (std::string& l : p.lines) lines.push_back(std::move(l));
  }
  void Details(int indent, const std::vector<Pending>& pending, const Names& names,
               const char* label = "Filter: ") {
    for (const Pending& p : pending) {
      Detail(indent, label + Deparse(*p.condition, names, p.agg_offset, /*top=*/true));
    }
  }

  void Line(int indent, const std::string& name, const Node& node, double rows,
            const Actual* actual = nullptr) {
    std::string s;
    if (indent > 0) {
      s.append(static_cast<size_t>(indent) * 2, ' ');
      s += "->  ";
    }
    s += name;
    if (costs_) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "  (cost=0.00..%.2f rows=%.0f width=%zu)", rows * 0.01 + 1,
                    rows, node.width * 4);
      s += buf;
    }
    if (analyzing()) s += ActualText(actual != nullptr ? *actual : Shown(node));
    lines.push_back(std::move(s));
  }

  // ---- EXPLAIN ANALYZE ----
  bool analyzing() const { return numbering_->analyze != nullptr; }
  const exec::NodeStats* Stats(const Node& node) const {
    return analyzing() ? numbering_->analyze->Find(&node) : nullptr;
  }
  Actual ActualOf(const Node& node) const {
    Actual a;
    const exec::NodeStats* s = Stats(node);
    if (s == nullptr || s->loops == 0) return a;
    a.executed = true;
    a.rows = static_cast<double>(s->rows);
    a.loops = static_cast<double>(s->loops);
    a.startup = s->startup;
    a.total = s->total;
    return a;
  }
  // node's figures as printed: its rows are those of the Filters folded into it.
  Actual Shown(const Node& node) const {
    Actual a = ActualOf(node);
    auto it = numbering_->shown.find(&node);
    if (it != numbering_->shown.end() && a.executed) {
      const Actual top = ActualOf(*it->second);
      a.rows = top.rows;
      a.startup = top.startup;
      a.total = top.total;
    }
    return a;
  }
  // PostgreSQL's figures per loop: " (actual time=S..T rows=R loops=L)".
  std::string ActualText(const Actual& a) const {
    if (!a.executed) return " (never executed)";
    char buf[160];
    if (numbering_->analyze->timing()) {
      std::snprintf(buf, sizeof buf, " (actual time=%.3f..%.3f rows=%.0f loops=%.0f)",
                    1000.0 * a.startup / a.loops, 1000.0 * a.total / a.loops, a.rows / a.loops,
                    a.loops);
    } else {
      std::snprintf(buf, sizeof buf, " (actual rows=%.0f loops=%.0f)", a.rows / a.loops, a.loops);
    }
    return buf;
  }
  // "Rows Removed by Filter: N" (per loop, as PostgreSQL; none when zero) under the filter
  // lines of node: the rows its own condition rejected (a scan's) and its folded Filters'.
  void RemovedLine(int indent, const Node& node, const std::vector<Pending>& pending,
                   bool own_filter) {
    if (!analyzing() || (!own_filter && pending.empty())) return;
    const exec::NodeStats* s = Stats(node);
    if (s == nullptr || s->loops == 0) return;
    double removed = static_cast<double>(s->facts.rows_removed);
    if (!pending.empty()) {
      removed += static_cast<double>(s->rows) - ActualOf(*pending.front().node).rows;
    }
    if (removed <= 0) return;
    char buf[96];
    std::snprintf(buf, sizeof buf, "Rows Removed by Filter: %.0f",
                  removed / static_cast<double>(s->loops));
    Detail(indent, buf);
  }
  static uint64_t Kb(uint64_t bytes) { return (bytes + 1023) / 1024; }
  // A hashed aggregate's "Batches: n  Memory Usage: NkB" (with "  Disk Usage: NkB" once it
  // spilled).
  void HashAggLine(int indent, const Node& node) {
    const exec::NodeStats* s = Stats(node);
    if (s == nullptr || !s->facts.hashed) return;
    std::string text = "Batches: " + std::to_string(s->facts.hash_batches) +
                       "  Memory Usage: " + std::to_string(Kb(s->facts.hash_memory)) + "kB";
    if (s->facts.hash_batches > 1) {
      text += "  Disk Usage: " + std::to_string(Kb(s->facts.hash_disk)) + "kB";
    }
    Detail(indent, text);
  }
  // A sort's "Sort Method: quicksort  Memory: NkB".
  void SortLine(int indent, const Node& node) {
    const exec::NodeStats* s = Stats(node);
    if (s == nullptr || s->facts.sort_method == exec::OperatorFacts::SortMethod::kNone) return;
    const char* method = "quicksort";
    const char* space = "Memory";
    switch (s->facts.sort_method) {
      case exec::OperatorFacts::SortMethod::kTopN:
        method = "top-N heapsort";
        break;
      case exec::OperatorFacts::SortMethod::kExternalMerge:
        method = "external merge";
        space = "Disk";
        break;
      default:
        break;
    }
    Detail(indent, std::string("Sort Method: ") + method + "  " + space + ": " +
                       std::to_string(Kb(s->facts.sort_bytes)) + "kB");
  }
  // The indent of a node's detail lines and children, as PostgreSQL computes it.
  static int Inner(int indent) { return indent > 0 ? indent + 3 : 1; }
  void Detail(int indent, const std::string& text) {
    lines.push_back(std::string(static_cast<size_t>(Inner(indent)) * 2, ' ') + text);
  }

  template <typename T>
  Names PrintNode(const Node& node, const T& op, int indent, const std::vector<Pending>& pending) {
    const int inner = Inner(indent);
    if constexpr (std::is_same_v<T, Scan>) {
      // A scan's own conditions name its columns bare (PostgreSQL's show_scan_qual without
      // VERBOSE); the nodes above qualify them when the query has several tables.
      Names names, local, qualified;
      const std::string qual = op.alias.empty() ? op.table->name : op.alias;
      for (const ColumnDef& c : op.table->columns) {
        names.push_back(qualify_ ? qual + "." + c.name : c.name);
        local.push_back(c.name);
        qualified.push_back(qual + "." + c.name);
      }
      qualified_ = &qualified;
      struct Reset {
        const Names*& p;
        ~Reset() { p = nullptr; }
      } reset{qualified_};
      std::string target = op.table->name + (op.alias.empty() ? "" : " " + op.alias);
      std::vector<BoundExpr> index_conds, filters;
      if (op.filter) Split(*op.filter, filters);
      // kIndex: which of the conjuncts (in Split's order) the index path uses.
      std::vector<char> uses_index(filters.size(), 0);
      if (op.path == AccessPath::kIndex && op.filter && op.index) {
        std::vector<const BoundExpr*> all;
        Flatten(*op.filter, all);
        for (const BoundExpr* c : IndexConditions(*op.table, *op.index, *op.filter)) {
          for (size_t i = 0; i < all.size(); ++i) uses_index[i] |= all[i] == c ? 1 : 0;
        }
      }
      // Constant conditions, as PostgreSQL's planner folds them: a true one disappears; a false
      // or NULL one leaves no scan at all, only a Result that returns nothing.
      std::vector<BoundExpr> kept;
      for (size_t i = 0; i < filters.size(); ++i) {
        BoundExpr& f = filters[i];
        const bool* truth = f.IsConst() ? std::get_if<bool>(&f.value) : nullptr;
        if (truth == nullptr && uses_index[i] && f.kind == ExprKind::kLike) {
          // A LIKE prefix's range: its comparisons are the Index Cond, the LIKE a Filter.
          for (BoundExpr& c : LikeIndexConditions(*op.table, f)) {
            index_conds.push_back(std::move(c));
          }
          kept.push_back(std::move(f));
        } else if (truth == nullptr && !(f.IsConst() && IsNull(f.value))) {
          (uses_index[i] ? index_conds : kept).push_back(std::move(f));
        } else if (truth == nullptr || !*truth) {
          Line(indent, "Result", node, 0);
          Detail(indent, "One-Time Filter: false");
          return names;
        }
      }
      filters = std::move(kept);
      if (op.path == AccessPath::kIndex) {
        // A partial index's rows all satisfy its predicate: the conditions it implies are no
        // filter (PostgreSQL's create_indexscan_plan leaves them out of the qual).
        const IndexDef& ix = op.table->indexes[op.index->index];
        if (ix.partial()) {
          std::erase_if(filters, [&ix](const BoundExpr& f) {
            return PredicateImplied(ix.bound_predicate.get(), f);
          });
        }
        Line(indent,
             std::string(op.backward ? "Index Scan Backward using " : "Index Scan using ") +
                 op.table->indexes[op.index->index].name + " on " + target,
             node, op.index->unique_point ? 1 : 10);
        if (!index_conds.empty()) Detail(indent, "Index Cond: " + DeparseAnd(index_conds, local));
      } else {
        if (op.path != AccessPath::kFull) {
          std::vector<BoundExpr> rest;
          for (BoundExpr& f : filters) {
            (IsKeyCondition(*op.table, f) ? index_conds : rest).push_back(std::move(f));
          }
          filters = std::move(rest);
        }
        if ((op.path == AccessPath::kFull || index_conds.empty()) && op.ordered) {
          // Read in rowid order for an ORDER BY: PostgreSQL's scan of the primary key.
          Line(indent,
               std::string(op.backward ? "Index Scan Backward using " : "Index Scan using ") +
                   RowidIndexName(*op.table) + " on " + target,
               node, 1000);
        } else if (op.path == AccessPath::kFull || index_conds.empty()) {
          Line(indent, "Seq Scan on " + target, node, 1000);
        } else {
          Line(indent,
               std::string(op.ordered && op.backward ? "Index Scan Backward using "
                                                     : "Index Scan using ") +
                   KeyIndexName(*op.table, index_conds) + " on " + target,
               node, op.path == AccessPath::kPoint ? 1 : 100);
          Detail(indent, "Index Cond: " + DeparseAnd(index_conds, local));
        }
      }
      if (!filters.empty()) Detail(indent, "Filter: " + DeparseAnd(filters, local));
      Details(indent, pending, local);
      RemovedLine(indent, node, pending, !filters.empty());
      return names;
    } else if constexpr (std::is_same_v<T, OneRow>) {
      Line(indent, "Result", node, 1);
      Details(indent, pending, {}, "One-Time Filter: ");
      return {};
    } else if constexpr (std::is_same_v<T, HashJoin> || std::is_same_v<T, NestedLoop>) {
      constexpr bool kHash = std::is_same_v<T, HashJoin>;
      Printed lp = Sub(*node.children[0], inner);
      Printed rp = Sub(*node.children[1], inner + 3);
      const Names& left = lp.names;
      const Names& right = rp.names;
      Names both = left;
      both.insert(both.end(), right.begin(), right.end());
      std::string name = kHash ? "Hash" : "Nested Loop";
      switch (op.type) {
        case JoinType::kInner:
          name += kHash ? " Join" : "";
          break;
        case JoinType::kLeft:
          name += " Left Join";
          break;
        case JoinType::kRight:
          name += " Right Join";
          break;
        case JoinType::kFull:
          name += " Full Join";
          break;
        case JoinType::kSemi:
          name += " Semi Join";
          break;
        case JoinType::kAnti:
          name += " Anti Join";
          break;
      }
      Line(indent, name, node, 1000);
      const std::optional<BoundExpr>* residual;
      if constexpr (kHash) {
        std::string cond;
        for (size_t k = 0; k < op.left_keys.size(); ++k) {
          std::string one = "(" + Deparse(op.left_keys[k], left, exec::kNoAggregates) + " = " +
                            Deparse(op.right_keys[k], right, exec::kNoAggregates) + ")";
          cond += (k == 0 ? "" : " AND ") + one;
        }
        if (op.left_keys.size() > 1) cond = "(" + cond + ")";
        Detail(indent, "Hash Cond: " + cond);
        residual = &op.residual;
      } else {
        residual = &op.condition;
      }
      if (*residual) {
        Detail(indent, "Join Filter: " + Deparse(**residual, both, exec::kNoAggregates, true));
        const exec::NodeStats* s = Stats(node);
        if (s != nullptr && s->loops > 0 && s->facts.join_removed > 0) {
          char buf[96];
          std::snprintf(buf, sizeof buf, "Rows Removed by Join Filter: %.0f",
                        static_cast<double>(s->facts.join_removed) / static_cast<double>(s->loops));
          Detail(indent, buf);
        }
      }
      Details(indent, pending, both);
      RemovedLine(indent, node, pending, false);
      Append(lp);
      const Actual right_actual = ActualOf(*node.children[1]);
      if constexpr (kHash) {
        // PostgreSQL's Hash node returns the rows it put into its table.
        const exec::NodeStats* s = Stats(node);
        Actual hashed = right_actual;
        if (s != nullptr && s->facts.hashed) hashed.rows = static_cast<double>(s->facts.hash_rows);
        lines.push_back(std::string(static_cast<size_t>(inner) * 2, ' ') + "->  Hash" +
                        (costs_ ? "  (cost=0.00..10.00 rows=1000 width=" +
                                      std::to_string(node.children[1]->width * 4) + ")"
                                : "") +
                        (analyzing() ? ActualText(hashed) : ""));
        // The hash table's figures, as PostgreSQL prints them under its Hash node.
        if (s != nullptr && s->facts.hashed) {
          Detail(inner, "Buckets: " + std::to_string(s->facts.hash_buckets) +
                            "  Batches: " + std::to_string(s->facts.hash_batches) +
                            "  Memory Usage: " + std::to_string(Kb(s->facts.hash_memory)) + "kB");
        }
        Append(rp);
      } else {
        // The inner input is read once and held (PostgreSQL's Materialize), and read again for
        // each outer row: a loop per outer row, each returning every inner row.
        Actual materialize;
        const Actual outer = ActualOf(*node.children[0]);
        if (right_actual.executed && outer.rows > 0) {
          materialize.executed = true;
          materialize.loops = outer.rows;
          materialize.rows = outer.rows * right_actual.rows / right_actual.loops;
          materialize.startup = right_actual.startup;
          materialize.total = right_actual.total;
        }
        lines.push_back(std::string(static_cast<size_t>(inner) * 2, ' ') + "->  Materialize" +
                        (costs_ ? "  (cost=0.00..10.00 rows=1000 width=" +
                                      std::to_string(node.children[1]->width * 4) + ")"
                                : "") +
                        (analyzing() ? ActualText(materialize) : ""));
        Append(rp);
      }
      // SEMI / ANTI rows are the left's alone.
      if (op.type == JoinType::kSemi || op.type == JoinType::kAnti) return left;
      return both;
    } else if constexpr (std::is_same_v<T, Aggregate>) {
      Printed child = Sub(*node.children[0], inner);
      const Names& in = child.names;
      const exec::GroupingSets& sets = op.grouping;
      if (sets.active()) {
        // As PostgreSQL's hashed grouping sets: a Hash Key per set, Group Key: () for an empty
        // set (then a MixedAggregate, or an Aggregate when every set is empty).
        bool any_empty = false;
        std::vector<std::string> set_lines;
        for (const std::vector<bool>& set : sets.sets) {
          std::string keys;
          for (size_t i = 0; i < set.size(); ++i) {
            if (set[i]) {
              keys += (keys.empty() ? "" : ", ") + Deparse(op.group_by[i], in, exec::kNoAggregates);
            }
          }
          any_empty = any_empty || keys.empty();
          set_lines.push_back(keys.empty() ? "Group Key: ()" : "Hash Key: " + keys);
        }
        const bool all_empty = op.group_by.empty();  // GROUP BY (): a plain Aggregate
        Line(indent,
             all_empty   ? "Aggregate"
             : any_empty ? "MixedAggregate"
                         : "HashAggregate",
             node, all_empty ? 1 : 200);
        for (const std::string& l : set_lines) Detail(indent, l);
      } else {
        Line(indent, op.group_by.empty() ? "Aggregate" : "HashAggregate", node,
             op.group_by.empty() ? 1 : 200);
      }
      if (!op.group_by.empty() && !sets.active()) {
        std::string keys;
        for (const BoundExpr& g : op.group_by) {
          keys += (keys.empty() ? "" : ", ") + Deparse(g, in, exec::kNoAggregates);
        }
        Detail(indent, "Group Key: " + keys);
      }
      Names out = in;
      for (size_t slot = 0; slot < op.aggs.size(); ++slot) {
        const AggSpec& a = op.aggs[slot];
        if (!sets.slots.empty() && sets.slots[slot].kind != exec::GroupingSets::Slot::kAggregate) {
          // A grouped value or GROUPING(...): named after its GROUP BY expressions.
          const exec::GroupingSets::Slot& s = sets.slots[slot];
          std::string text;
          for (size_t ref : s.refs) {
            text += (text.empty() ? "" : ", ") + Deparse(op.group_by[ref], in, exec::kNoAggregates);
          }
          out.push_back(s.kind == exec::GroupingSets::Slot::kKey ? text : "GROUPING(" + text + ")");
          continue;
        }
        std::string text = AggName(a.kind);
        if (IsOrderedSetAgg(a.kind)) {
          // name(direct, ...) WITHIN GROUP (ORDER BY key, ...)
          text += "(";
          for (size_t d = 0; d < a.direct_args.size(); ++d) {
            text += (d > 0 ? ", " : "") + Deparse(a.direct_args[d], in, exec::kNoAggregates);
          }
          text += ") WITHIN GROUP (ORDER BY ";
          for (size_t k = 0; k < a.order_by.size(); ++k) {
            text += (k > 0 ? ", " : "") + Deparse(a.order_by[k].expr, in, exec::kNoAggregates);
            if (a.order_by[k].descending) text += " DESC";
          }
          out.push_back(text + ")");
          continue;
        }
        text += a.kind == AggKind::kCountStar
                    ? "(*)"
                    : "(" + std::string(a.distinct ? "DISTINCT " : "") +
                          Deparse(a.arg, in, exec::kNoAggregates) +
                          (a.delimiter ? ", " + Deparse(*a.delimiter, in, exec::kNoAggregates)
                                       : std::string()) +
                          ")";
        out.push_back(std::move(text));
      }
      Details(indent, pending, out);
      HashAggLine(indent, node);
      RemovedLine(indent, node, pending, false);
      Append(child);
      return out;
    } else if constexpr (std::is_same_v<T, Distinct>) {
      Printed child = Sub(*node.children[0], inner);
      Names in = child.names;
      Line(indent, "HashAggregate", node, 200);
      std::string keys;
      for (size_t i = 0; i < op.key_types.size(); ++i) keys += (i ? ", " : "") + in[i];
      Detail(indent, "Group Key: " + keys);
      Details(indent, pending, in);
      HashAggLine(indent, node);
      RemovedLine(indent, node, pending, false);
      Append(child);
      return in;
    } else if constexpr (std::is_same_v<T, Unique>) {
      // PostgreSQL prints no keys for a Unique outside VERBOSE.
      Printed child = Sub(*node.children[0], inner);
      Line(indent, "Unique", node, 200);
      Details(indent, pending, child.names);
      RemovedLine(indent, node, pending, false);
      Append(child);
      return child.names;
    } else if constexpr (std::is_same_v<T, Sort>) {
      Printed child = Sub(*node.children[0], inner);
      Names in = child.names;
      Line(indent, op.presorted > 0 ? "Incremental Sort" : "Sort", node, 1000);
      // A key that is an expression, not a column, is printed in parentheses, as PostgreSQL's
      // show_sort_group_keys deparses a non-Var.
      auto key_name = [&](size_t column) {
        const std::string& name = in[column];
        return name.find('(') == std::string::npos ? name : "(" + name + ")";
      };
      auto key_text = [&](const exec::SortKey& k) {
        std::string text = key_name(k.column);
        if (k.descending) text += " DESC";
        if (k.nulls_first != k.descending) text += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
        return text;
      };
      std::string keys;
      for (const exec::SortKey& k : op.keys) keys += (keys.empty() ? "" : ", ") + key_text(k);
      Detail(indent, "Sort Key: " + keys);
      if (op.presorted > 0) {
        std::string presorted;
        for (size_t i = 0; i < op.presorted; ++i) {
          presorted += (i ? ", " : "") + key_name(op.keys[i].column);
        }
        Detail(indent, "Presorted Key: " + presorted);
      }
      SortLine(indent, node);
      Details(indent, pending, in);
      RemovedLine(indent, node, pending, false);
      Append(child);
      in.resize(op.keep_width);
      return in;
    } else if constexpr (std::is_same_v<T, WindowAgg>) {
      Printed child = Sub(*node.children[0], inner);
      Line(indent, "WindowAgg", node, 1000);
      Names out = child.names;
      for (const WindowCall& c : op.calls) {
        // PostgreSQL 15 prints a window function's reference with its window unnamed.
        std::string text = c.name + "(";
        if (c.kind == WindowFuncKind::kAggregate) {
          text += c.agg.kind == AggKind::kCountStar
                      ? "*"
                      : Deparse(c.agg.arg, child.names, op.agg_offset);
        } else {
          for (size_t i = 0; i < c.args.size(); ++i) {
            text += (i ? ", " : "") + Deparse(c.args[i], child.names, op.agg_offset);
          }
        }
        out.push_back(text + ") OVER (?)");
      }
      Details(indent, pending, out);
      RemovedLine(indent, node, pending, false);
      Append(child);
      return out;
    } else if constexpr (std::is_same_v<T, ProjectSet>) {
      Printed child = Sub(*node.children[0], inner);
      Line(indent, "ProjectSet", node, 1000);
      Names out = child.names;
      for (const BoundExpr& c : op.calls)
        out.push_back(Deparse(c, child.names, exec::kNoAggregates));
      Details(indent, pending, out);
      RemovedLine(indent, node, pending, false);
      Append(child);
      return out;
    } else if constexpr (std::is_same_v<T, SubqueryScan>) {
      Line(indent, "Subquery Scan on " + op.alias, node, 1000);
      Names names;
      for (const std::string& c : op.columns) names.push_back(qualify_ ? op.alias + "." + c : c);
      Details(indent, pending, names);
      RemovedLine(indent, node, pending, false);
      Printed child = Sub(*node.children[0], inner);
      Append(child);
      return names;
    } else if constexpr (std::is_same_v<T, plan::Append>) {
      Line(indent, "Append", node, 1000);
      Names names;
      for (size_t i = 0; i < node.children.size(); ++i) {
        Printed child = Sub(*node.children[i], inner);
        if (i == 0) names = child.names;
        Append(child);
      }
      Details(indent, pending, names);
      RemovedLine(indent, node, pending, false);
      return names;
    } else if constexpr (std::is_same_v<T, SetOp>) {
      // PostgreSQL's shape: the branches appended, each a subquery scan, under the HashSetOp.
      Line(indent,
           std::string("HashSetOp ") + (op.kind == SetOpKind::kIntersect ? "Intersect" : "Except") +
               (op.all ? " All" : ""),
           node, 200);
      Names names;
      std::vector<std::string> appended;
      Explainer append(costs_, qualify_, numbering_, inits_, outer_);
      append.level_indent_ = level_indent_;
      // The Append PostgreSQL puts under its HashSetOp returns every branch's rows.
      Actual appended_rows;
      for (const auto& c : node.children) {
        const Actual a = ActualOf(*c);
        if (!a.executed) continue;
        appended_rows.executed = true;
        appended_rows.rows += a.rows;
        appended_rows.loops = std::max(appended_rows.loops, a.loops);
        appended_rows.startup = appended_rows.startup == 0 ? a.startup : appended_rows.startup;
        appended_rows.total += a.total;
      }
      append.Line(inner, "Append", node, 1000, &appended_rows);
      const int branch = Inner(inner);
      for (size_t i = 0; i < node.children.size(); ++i) {
        const std::string alias = "\"*SELECT* " + std::to_string(i + 1) + "\"";
        append.Line(branch, "Subquery Scan on " + alias, *node.children[i], 500);
        Printed child = Sub(*node.children[i], Inner(branch));
        if (i == 0) {
          for (const std::string& n : child.names) {
            const size_t dot = n.rfind('.');
            names.push_back(alias + "." + (dot == std::string::npos ? n : n.substr(dot + 1)));
          }
        }
        append.Append(child);
      }
      Details(indent, pending, names);
      RemovedLine(indent, node, pending, false);
      for (std::string& l : append.lines) lines.push_back(std::move(l));
      return names;
    } else if constexpr (std::is_same_v<T, FunctionScan>) {
      const std::string qual = op.alias.empty() ? op.function : op.alias;
      Names names;
      for (const std::string& c : op.columns) names.push_back(qualify_ ? qual + "." + c : c);
      Line(indent, "Function Scan on " + op.function + (op.alias.empty() ? "" : " " + op.alias),
           node, 1000);
      Details(indent, pending, names);
      RemovedLine(indent, node, pending, false);
      return names;
    } else if constexpr (std::is_same_v<T, CteScan> || std::is_same_v<T, WorkTableScan>) {
      constexpr bool kCte = std::is_same_v<T, CteScan>;
      const std::string qual = op.alias.empty() ? op.name : op.alias;
      Names names, local;
      for (const std::string& c : op.columns) {
        names.push_back(qualify_ ? qual + "." + c : c);
        local.push_back(c);
      }
      Line(indent,
           std::string(kCte ? "CTE Scan on " : "WorkTable Scan on ") + op.name +
               (op.alias.empty() ? "" : " " + op.alias),
           node, 1000);
      Details(indent, pending, local);
      RemovedLine(indent, node, pending, false);
      if constexpr (kCte) {
        // The WITH query's plan, under its name, as PostgreSQL lists a CTE's.
        Detail(indent, "CTE " + op.name);
        Printed child = Sub(*op.plan, Inner(indent) + 1);
        Append(child);
      }
      return names;
    } else if constexpr (std::is_same_v<T, LateralJoin>) {
      // PostgreSQL's nested loop whose inner side reads the outer row's values (shown where
      // the inner side uses them).
      Printed lp = Sub(*node.children[0], inner);
      Names values;
      for (const BoundExpr& v : op.values) {
        values.push_back(Deparse(v, lp.names, exec::kNoAggregates));
      }
      Explainer right_ex(costs_, qualify_, numbering_, inits_, &values);
      right_ex.level_indent_ = level_indent_;
      Names right_names = right_ex.Print(*op.right, inner);
      Names both = lp.names;
      both.insert(both.end(), right_names.begin(), right_names.end());
      Line(indent, op.type == JoinType::kLeft ? "Nested Loop Left Join" : "Nested Loop", node,
           1000);
      if (op.condition) {
        Detail(indent, "Join Filter: " + Deparse(*op.condition, both, exec::kNoAggregates, true));
      }
      Details(indent, pending, both);
      RemovedLine(indent, node, pending, false);
      Append(lp);
      for (std::string& l : right_ex.lines) lines.push_back(std::move(l));
      return both;
    } else if constexpr (std::is_same_v<T, RecursiveUnion>) {
      Line(indent, "Recursive Union", node, 1000);
      Printed left = Sub(*node.children[0], inner);
      Printed right = Sub(*op.recursive, inner);
      Details(indent, pending, left.names);
      RemovedLine(indent, node, pending, false);
      Append(left);
      Append(right);
      return left.names;
    } else {
      static_assert(std::is_same_v<T, Limit>);
      Line(indent, "Limit", node, static_cast<double>(op.limit < 1000 ? op.limit : 1000));
      Printed child = Sub(*node.children[0], inner);
      Details(indent, pending, child.names);
      RemovedLine(indent, node, pending, false);
      Append(child);
      return child.names;
    }
  }

 public:
  // Prints node at indent (PostgreSQL's es->indent); returns its output column names. Each node
  // is visited once (a join's children are printed into buffers first, since its own lines,
  // which come first, need their column names).
  Names Print(const Node& node, int indent, std::vector<Pending> pending = {}) {
    Names names = PrintOp(node, indent, std::move(pending));
    // The SubPlans this node's expressions evaluate, after its children, as PostgreSQL lists them.
    for (SubPlanRef& sub : subplans_) {
      Detail(indent, "SubPlan " + std::to_string(sub.id));
      std::vector<std::string> tree = PrintLevel(*sub.link->plan.root, Inner(indent) + 1, costs_,
                                                 qualify_, numbering_, &sub.outer);
      for (std::string& l : tree) lines.push_back(std::move(l));
    }
    subplans_.clear();
    return names;
  }

  Names PrintOp(const Node& node, int indent, std::vector<Pending> pending) {
    return std::visit(
        [&](const auto& op) -> Names {
          using T = std::decay_t<decltype(op)>;
          if constexpr (std::is_same_v<T, Project>) {
            // Not a node in PostgreSQL: its child is printed, its names come from its exprs.
            if (fold_top_ == nullptr) fold_top_ = &node;
            Names in = Print(*node.children[0], indent, std::move(pending));
            Names out;
            for (const BoundExpr& e : op.exprs) out.push_back(Deparse(e, in, op.agg_offset));
            return out;
          } else if constexpr (std::is_same_v<T, Filter>) {
            // A Filter line of the node below, which PostgreSQL would have filter itself.
            pending.push_back(Pending{&op.condition, op.agg_offset, &node});
            if (fold_top_ == nullptr) fold_top_ = &node;
            return Print(*node.children[0], indent, std::move(pending));
          } else {
            // The node PostgreSQL prints for this one and the Projects and Filters folded into
            // it: its rows and time are the topmost of those (a SubPlan in a select list runs
            // in PostgreSQL's node, here in the Project above it).
            if (fold_top_ != nullptr) numbering_->shown[&node] = fold_top_;
            fold_top_ = nullptr;
            return PrintNode(node, op, indent, std::move(pending));
          }
        },
        node.op);
  }

 private:
  static void Split(const BoundExpr& e, std::vector<BoundExpr>& out) {
    if (e.kind == ExprKind::kAnd) {
      for (const BoundExpr& a : e.args) Split(a, out);
      return;
    }
    out.push_back(e);
  }
  // Split's conjuncts in the same order, as pointers into e.
  static void Flatten(const BoundExpr& e, std::vector<const BoundExpr*>& out) {
    if (e.kind == ExprKind::kAnd) {
      for (const BoundExpr& a : e.args) Flatten(a, out);
      return;
    }
    out.push_back(&e);
  }

  // Whether f is `key column op constant` on the rowid or a single-column unique key, or
  // `rowid IN (constants)`.
  static bool IsKeyCondition(const TableDef& table, const BoundExpr& f) {
    if (f.kind == ExprKind::kIn && !f.negated && !f.args.empty() &&
        f.args[0].kind == ExprKind::kColumn && f.args[0].index == table.rowid_column) {
      for (size_t i = 1; i < f.args.size(); ++i) {
        if (!f.args[i].IsConst()) return false;
      }
      return true;
    }
    if (f.kind != ExprKind::kCompare || f.args.size() != 2) return false;
    const BoundExpr* col = &f.args[0];
    const BoundExpr* val = &f.args[1];
    if (col->kind != ExprKind::kColumn) std::swap(col, val);
    if (col->kind != ExprKind::kColumn) return false;
    if (val->kind == ExprKind::kOuterRef) {
      // An index nested loop's probe (or a correlated subquery's): the point lookup the
      // reader takes once the outer value is written in.
      return f.op == ast::BinaryOp::kEq && PinsOneRow(table, f);
    }
    if (!val->IsConst()) return false;
    if (col->index == table.rowid_column) return f.op != ast::BinaryOp::kNe;
    if (f.op != ast::BinaryOp::kEq) return false;
    for (const IndexDef& ix : table.indexes) {
      if (ix.unique && !ix.partial() && ix.columns.size() == 1 && ix.columns[0] == col->index) {
        return true;
      }
    }
    return false;
  }

  static std::string RowidIndexName(const TableDef& table) {
    for (const IndexDef& ix : table.indexes) {
      if (ix.root == storage::kInvalidPage) return ix.name;
    }
    return table.name + "_pkey";
  }

  static std::string KeyIndexName(const TableDef& table, const std::vector<BoundExpr>& conds) {
    const BoundExpr& f = conds[0];
    const int col = f.args[0].kind == ExprKind::kColumn ? f.args[0].index : f.args[1].index;
    for (const IndexDef& ix : table.indexes) {
      if (ix.unique && !ix.partial() && ix.columns.size() == 1 && ix.columns[0] == col) {
        return ix.name;
      }
    }
    return table.name + "_pkey";
  }

  std::string DeparseAnd(const std::vector<BoundExpr>& parts, const Names& names) {
    if (parts.size() == 1) return Deparse(parts[0], names, exec::kNoAggregates, true);
    std::string s = "(";
    for (size_t i = 0; i < parts.size(); ++i) {
      s += (i ? " AND " : "") + Deparse(parts[i], names, exec::kNoAggregates, true);
    }
    return s + ")";
  }

  // e as PostgreSQL's deparser prints it; top: a whole condition (always parenthesised when it
  // is an operator).
  std::string Deparse(const BoundExpr& e, const Names& names, size_t agg_offset, bool top = false) {
    switch (e.kind) {
      case ExprKind::kConst: {
        if (IsNull(e.value)) return "NULL";
        std::string text = FormatText(e.value, e.type.id);
        switch (e.type.id) {
          case TypeId::kInt4:
          case TypeId::kInt8:
          case TypeId::kNumeric:
            return text[0] == '-' ? "'" + text + "'::" + std::string(TypeInternalName(e.type.id))
                                  : text;
          case TypeId::kBool:
            return text == "t" ? "true" : "false";
          default: {
            std::string quoted = "'";
            for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
            return quoted + "'::" + TypeDisplayName(e.type);
          }
        }
      }
      case ExprKind::kColumn:
        return static_cast<size_t>(e.index) < names.size() ? names[static_cast<size_t>(e.index)]
                                                           : "?";
      case ExprKind::kAggRef: {
        const size_t i = agg_offset + static_cast<size_t>(e.index);
        return agg_offset != exec::kNoAggregates && i < names.size() ? names[i] : "?";
      }
      case ExprKind::kCompare:
      case ExprKind::kArith:
      case ExprKind::kConcat: {
        // varchar has no operators of its own in PostgreSQL: its values are cast to text.
        auto operand = [&](const BoundExpr& a) {
          std::string text = Deparse(a, names, agg_offset);
          if (a.type.id == TypeId::kVarchar && e.kind != ExprKind::kArith) {
            return "(" + text + ")::text";
          }
          return text;
        };
        return "(" + operand(e.args[0]) + " " +
               OpText(e.kind == ExprKind::kConcat ? ast::BinaryOp::kConcat : e.op) + " " +
               operand(e.args[1]) + ")";
      }
      case ExprKind::kAnd:
      case ExprKind::kOr: {
        std::vector<const BoundExpr*> flat;
        Flatten(e, e.kind, flat);
        std::string s = "(";
        for (size_t i = 0; i < flat.size(); ++i) {
          s += (i ? (e.kind == ExprKind::kAnd ? " AND " : " OR ") : "") +
               Deparse(*flat[i], names, agg_offset);
        }
        return s + ")";
      }
      case ExprKind::kNot:
        return "(NOT " + Deparse(e.args[0], names, agg_offset) + ")";
      case ExprKind::kNegate:
        return "(- " + Deparse(e.args[0], names, agg_offset) + ")";
      case ExprKind::kIsNull:
        return "(" + Deparse(e.args[0], names, agg_offset) +
               (e.negated ? " IS NOT NULL)" : " IS NULL)");
      case ExprKind::kLike:
        // PostgreSQL's operator names: ~~, !~~ and ILIKE's ~~*, !~~*.
        return "(" + Deparse(e.args[0], names, agg_offset) + (e.negated ? " !~~" : " ~~") +
               (e.flag ? "* " : " ") + Deparse(e.args[1], names, agg_offset) + ")";
      case ExprKind::kDistinct: {
        // PostgreSQL prints IS NOT DISTINCT FROM as the negation of its DistinctExpr.
        const std::string distinct = "(" + Deparse(e.args[0], names, agg_offset) +
                                     " IS DISTINCT FROM " + Deparse(e.args[1], names, agg_offset) +
                                     ")";
        return e.negated ? "(NOT " + distinct + ")" : distinct;
      }
      case ExprKind::kIn: {
        // PostgreSQL's form of a constant list: x = ANY ('{1,2}'::integer[]).
        std::string array = "{";
        for (size_t i = 1; i < e.args.size(); ++i) {
          const BoundExpr& v = e.args[i];
          if (!v.IsConst()) return "(...)";
          if (i > 1) array += ",";
          if (IsNull(v.value)) {
            array += "NULL";
            continue;
          }
          const std::string text = FormatText(v.value, v.type.id);
          bool quote = text.empty();
          for (char c : text)
            quote |= c == ',' || c == '{' || c == '}' || c == '"' || c == '\\' || c == ' ';
          if (!quote) {
            array += text;
            continue;
          }
          array += '"';
          for (char c : text) {
            if (c == '"' || c == '\\') array += '\\';
            array += c;
          }
          array += '"';
        }
        array += "}";
        std::string quoted = "'";
        for (char c : array) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        return "(" + Deparse(e.args[0], names, agg_offset) +
               (e.negated ? " <> ALL (" : " = ANY (") + quoted +
               "'::" + TypeDisplayName(e.args[0].type) + "[]))";
      }
      case ExprKind::kCast:
        return "(" + Deparse(e.args[0], names, agg_offset) + ")::" + TypeDisplayName(e.type);
      case ExprKind::kOuterRef:
        return outer_ != nullptr && static_cast<size_t>(e.index) < outer_->size()
                   ? (*outer_)[static_cast<size_t>(e.index)]
                   : "?";
      case ExprKind::kSubquery:
        return DeparseSubquery(e, names, agg_offset);
      case ExprKind::kArrayCtor: {
        std::string s = "ARRAY[";
        for (size_t i = 0; i < e.args.size(); ++i) {
          s += (i ? ", " : "") + Deparse(e.args[i], names, agg_offset);
        }
        return s + "]";
      }
      case ExprKind::kAnyAll:
        return "(" + Deparse(e.args[0], names, agg_offset) + " " + OpText(e.op) +
               (e.flag ? " ALL (" : " ANY (") + Deparse(e.args[1], names, agg_offset) + "))";
      case ExprKind::kArrayConcat:
        return "(" + Deparse(e.args[0], names, agg_offset) + " || " +
               Deparse(e.args[1], names, agg_offset) + ")";
      case ExprKind::kSubscript:
        if (!e.flag) {
          return "(" + Deparse(e.args[0], names, agg_offset) + ")[" +
                 Deparse(e.args[1], names, agg_offset) + "]";
        }
        return "(" + Deparse(e.args[0], names, agg_offset) + ")[" +
               ((e.index & 1) != 0 ? Deparse(e.args[1], names, agg_offset) : "") + ":" +
               ((e.index & 2) != 0 ? Deparse(e.args[2], names, agg_offset) : "") + "]";
      case ExprKind::kMinMax: {
        std::string s = e.flag ? "LEAST(" : "GREATEST(";
        for (size_t i = 0; i < e.args.size(); ++i) {
          s += (i ? ", " : "") + Deparse(e.args[i], names, agg_offset);
        }
        return s + ")";
      }
      case ExprKind::kCoalesce: {
        std::string s = "COALESCE(";
        for (size_t i = 0; i < e.args.size(); ++i) {
          s += (i ? ", " : "") + Deparse(e.args[i], names, agg_offset);
        }
        return s + ")";
      }
      case ExprKind::kFunc:
      case ExprKind::kBuiltin: {
        // A function call, as ruleutils prints one: name(args) (an expression index's key).
        static constexpr std::string_view kFuncNames[] = {
            "lower", "upper",  "length", "abs",    "round",        "trunc",          "ceil",
            "floor", "sign",   "sqrt",   "power",  "octet_length", "encode",         "decode",
            "md5",   "sha224", "sha256", "sha384", "sha512",       "gen_random_uuid"};
        static_assert(std::size(kFuncNames) == static_cast<size_t>(Func::kGenRandomUuid) + 1);
        std::string_view name;
        if (e.kind == ExprKind::kBuiltin && e.builtin != nullptr) {
          name = e.builtin->name;
        } else if (e.kind == ExprKind::kFunc && e.index >= 0 &&
                   static_cast<size_t>(e.index) < std::size(kFuncNames)) {
          name = kFuncNames[e.index];
        }
        if (name.empty()) break;
        std::string s = std::string(name) + "(";
        for (size_t i = 0; i < e.args.size(); ++i) {
          s += (i ? ", " : "") + Deparse(e.args[i], names, agg_offset);
        }
        return s + ")";
      }
      default:
        break;
    }
    (void)top;
    return "(...)";
  }

  // A subquery as PostgreSQL prints its reference: an uncorrelated scalar or EXISTS subquery is
  // an InitPlan whose value is a parameter ($0); any other is a SubPlan, "hashed" for an
  // uncorrelated IN. Its plan is rendered at the node evaluating it (InitPlans at the root).
  std::string DeparseSubquery(const BoundExpr& e, const Names& names, size_t agg_offset) {
    const SubqueryLink& link = *e.subquery;
    const int id = numbering_->next_plan++;
    Names outer;
    for (size_t i = 0; i < link.outer_count; ++i) {
      std::string text = Deparse(e.args[i], names, agg_offset);
      // An outer column is always qualified (PostgreSQL prints its range table entry).
      if (e.args[i].kind == ExprKind::kColumn && qualified_ != nullptr &&
          static_cast<size_t>(e.args[i].index) < qualified_->size()) {
        text = (*qualified_)[static_cast<size_t>(e.args[i].index)];
      }
      outer.push_back(std::move(text));
    }
    const bool correlated = link.outer_count > 0;
    if (!correlated && (link.kind == SubqueryKind::kScalar || link.kind == SubqueryKind::kExists ||
                        link.kind == SubqueryKind::kArray)) {
      const int param = numbering_->next_param++;
      const std::string label =
          "InitPlan " + std::to_string(id) + " (returns $" + std::to_string(param) + ")";
      if (inits_ != nullptr) inits_->push_back(InitBlock(label, link));
      return "$" + std::to_string(param);
    }
    subplans_.push_back(SubPlanRef{id, &link, std::move(outer)});
    if (!correlated && link.kind == SubqueryKind::kAny && link.op == ast::BinaryOp::kEq) {
      return "(hashed SubPlan " + std::to_string(id) + ")";
    }
    return "(SubPlan " + std::to_string(id) + ")";
  }

  // The lines of an InitPlan at the level root's detail indentation (set by PrintLevel).
  std::vector<std::string> InitBlock(const std::string& label, const SubqueryLink& link) {
    std::vector<std::string> out;
    out.push_back(std::string(static_cast<size_t>(Inner(level_indent_)) * 2, ' ') + label);
    std::vector<std::string> tree = PrintLevel(*link.plan.root, Inner(level_indent_) + 1, costs_,
                                               qualify_, numbering_, nullptr);
    for (std::string& l : tree) out.push_back(std::move(l));
    return out;
  }

  static void Flatten(const BoundExpr& e, ExprKind kind, std::vector<const BoundExpr*>& out) {
    if (e.kind == kind) {
      for (const BoundExpr& a : e.args) Flatten(a, kind, out);
      return;
    }
    out.push_back(&e);
  }

  struct SubPlanRef {
    int id;
    const SubqueryLink* link;
    Names outer;
  };

  bool costs_;
  bool qualify_;
  Numbering* numbering_;
  std::vector<std::vector<std::string>>* inits_;
  const Names* outer_;
  const Names* qualified_ = nullptr;  // while a scan prints: its columns, qualified
  // While the Projects and Filters folded into the next node print: the topmost of them.
  const Node* fold_top_ = nullptr;
  int level_indent_ = 0;
  std::vector<SubPlanRef> subplans_;
};

size_t CountScans(const Node& node);

// The scans of the subqueries e evaluates.
size_t CountScans(const BoundExpr& e) {
  size_t n = 0;
  if (e.kind == ExprKind::kSubquery && e.subquery != nullptr) {
    n += CountScans(*e.subquery->plan.root);
  }
  for (const BoundExpr& a : e.args) n += CountScans(a);
  return n;
}

size_t CountScans(const Node& node) {
  size_t n = std::visit(
      [](const auto& op) -> size_t {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Scan>) {
          return 1 + (op.filter ? CountScans(*op.filter) : 0);
        } else if constexpr (std::is_same_v<T, CteScan> || std::is_same_v<T, WorkTableScan> ||
                             std::is_same_v<T, FunctionScan>) {
          return 1;
        } else if constexpr (std::is_same_v<T, Filter>) {
          return CountScans(op.condition);
        } else if constexpr (std::is_same_v<T, Project>) {
          size_t k = 0;
          for (const BoundExpr& e : op.exprs) k += CountScans(e);
          return k;
        } else if constexpr (std::is_same_v<T, RecursiveUnion>) {
          return CountScans(*op.recursive);
        } else if constexpr (std::is_same_v<T, LateralJoin>) {
          return CountScans(*op.right);
        } else {
          return 0;
        }
      },
      node.op);
  for (const auto& c : node.children) n += CountScans(*c);
  return n;
}

}  // namespace

std::vector<std::string> ExplainPlan(const Plan& plan, bool costs,
                                     const exec::Instrumentation* analyze) {
  SQLRITE_ASSERT(plan.root != nullptr);
  Numbering numbering;
  numbering.analyze = analyze;
  return Explainer::PrintLevel(*plan.root, 0, costs, CountScans(*plan.root) > 1, &numbering,
                               nullptr);
}

}  // namespace sqlrite::engine::plan
