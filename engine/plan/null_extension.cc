#include "engine/plan/null_extension.h"

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <utility>

namespace sqlrite::engine::plan {
namespace {

class Marker {
 public:
  explicit Marker(BoundSelect& b)
      : b_(b), table_of_column_(b.table_columns), pad_(b.tables.size()) {
    for (size_t t = 0; t < b.tables.size(); ++t) {
      for (size_t c = 0; c < b.tables[t].def->columns.size(); ++c) {
        table_of_column_[b.tables[t].first_column + c] = t;
      }
    }
    for (const BoundFromItem& item : b.from) Number(item, std::nullopt);
  }

  std::vector<NullExtensionMarker> Run() {
    for (BoundExpr& e : b_.items.exprs) Rewrite(e, nullptr);
    Rewrite(b_.where, nullptr);
    for (BoundExpr& e : b_.group_by) Rewrite(e, nullptr);
    for (AggSpec& a : b_.aggs) Rewrite(a);
    Rewrite(b_.having, nullptr);
    for (WindowSpec& s : b_.windows.specs) {
      for (BoundExpr& e : s.partition_by) Rewrite(e, nullptr);
      for (WindowOrderKey& k : s.order_by) Rewrite(k.expr, nullptr);
    }
    for (WindowCall& c : b_.windows.calls) {
      for (BoundExpr& e : c.args) Rewrite(e, nullptr);
      Rewrite(c.agg);
    }
    for (BoundExpr& e : b_.set_calls) Rewrite(e, nullptr);
    for (BoundExpr& e : b_.sort_exprs) Rewrite(e, nullptr);
    for (BoundTable& t : b_.tables) {
      for (BoundExpr& e : t.lateral) Rewrite(e, nullptr);
    }
    for (BoundFromItem& item : b_.from) RewriteOn(item);
    return std::move(markers_);
  }

 private:
  struct Padder {
    const BoundJoin* join = nullptr;
    bool right = false;
  };

  // Numbers the joins in preorder (their subtree spans) and finds each table's innermost padder.
  void Number(const BoundFromItem& item, std::optional<Padder> padder) {
    if (!item.join) {
      pad_[item.table] = padder;
      return;
    }
    const BoundJoin& j = *item.join;
    const size_t pre = next_++;
    const bool pads_left = j.type == ast::JoinType::kRight || j.type == ast::JoinType::kFull;
    const bool pads_right = j.type == ast::JoinType::kLeft || j.type == ast::JoinType::kFull;
    Number(j.left, pads_left ? std::optional<Padder>(Padder{&j, false}) : padder);
    Number(j.right, pads_right ? std::optional<Padder>(Padder{&j, true}) : padder);
    span_[&j] = {pre, next_};
  }

  // Whether join `inner` is a join strictly inside `outer`.
  bool Inside(const BoundJoin* inner, const BoundJoin* outer) const {
    const auto [ipre, iend] = span_.at(inner);
    const auto [opre, oend] = span_.at(outer);
    (void)iend;
    return ipre > opre && ipre < oend;
  }

  size_t MarkerOf(Padder p) {
    for (size_t k = 0; k < markers_.size(); ++k) {
      if (markers_[k].join == p.join && markers_[k].right == p.right) return k;
    }
    markers_.push_back(NullExtensionMarker{p.join, p.right});
    return markers_.size() - 1;
  }

  // The table whose columns e's arguments are, all of them in order; none otherwise.
  std::optional<size_t> WholeRowTable(const BoundExpr& e) const {
    if (e.args.empty()) return std::nullopt;
    for (const BoundExpr& a : e.args) {
      if (a.kind != ExprKind::kColumn || a.index < 0 ||
          static_cast<size_t>(a.index) >= table_of_column_.size()) {
        return std::nullopt;
      }
    }
    const size_t t = table_of_column_[static_cast<size_t>(e.args[0].index)];
    const BoundTable& table = b_.tables[t];
    if (e.args.size() != table.def->columns.size()) return std::nullopt;
    for (size_t i = 0; i < e.args.size(); ++i) {
      if (static_cast<size_t>(e.args[i].index) != table.first_column + i) return std::nullopt;
    }
    return t;
  }

  // within: the join whose ON condition e is (null: a clause over the whole FROM).
  void Rewrite(BoundExpr& e, const BoundJoin* within) {
    for (BoundExpr& a : e.args) Rewrite(a, within);
    if (e.kind != ExprKind::kRowCtor || !e.flag || e.index >= 0) return;
    const std::optional<size_t> t = WholeRowTable(e);
    if (!t || !pad_[*t]) return;
    const Padder p = *pad_[*t];
    if (within != nullptr && !Inside(p.join, within)) return;
    BoundExpr marker;
    marker.kind = ExprKind::kColumn;
    marker.type = SqlType{TypeId::kBool, -1};
    marker.index = static_cast<int>(b_.table_columns + MarkerOf(p));
    e.index = static_cast<int>(e.args.size());
    e.args.push_back(std::move(marker));
  }
  void Rewrite(std::optional<BoundExpr>& e, const BoundJoin* within) {
    if (e) Rewrite(*e, within);
  }
  void Rewrite(AggSpec& a) {
    Rewrite(a.arg, nullptr);
    Rewrite(a.filter, nullptr);
    Rewrite(a.delimiter, nullptr);
    for (AggOrderKey& k : a.order_by) Rewrite(k.expr, nullptr);
    for (BoundExpr& e : a.direct_args) Rewrite(e, nullptr);
  }
  void RewriteOn(BoundFromItem& item) {
    if (!item.join) return;
    BoundJoin& j = *item.join;
    Rewrite(j.condition, &j);
    RewriteOn(j.left);
    RewriteOn(j.right);
  }

  BoundSelect& b_;
  std::vector<size_t> table_of_column_;
  std::vector<std::optional<Padder>> pad_;  // per table: the innermost join padding it
  std::unordered_map<const BoundJoin*, std::pair<size_t, size_t>> span_;  // [pre, end)
  size_t next_ = 0;
  std::vector<NullExtensionMarker> markers_;
};

}  // namespace

std::vector<NullExtensionMarker> MarkNullExtendedWholeRows(BoundSelect& b) {
  return Marker(b).Run();
}

}  // namespace sqlrite::engine::plan
