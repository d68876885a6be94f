#include "engine/index_path.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "engine/index_expressions.h"
#include "engine/index_order.h"
#include "engine/key_codec.h"

namespace sqlrite::engine {
namespace {

// Past this many ranges, further pinned columns are left to the filter (an IN list product).
constexpr size_t kMaxRanges = 4096;

void Flatten(const BoundExpr& e, std::vector<const BoundExpr*>& out) {
  if (e.kind == ExprKind::kAnd) {
    for (const BoundExpr& a : e.args) Flatten(a, out);
    return;
  }
  out.push_back(&e);
}

// Whether the constant v is represented as AppendKeyColumn encodes a column of type column.
bool EncodesAs(TypeId column, const Datum& v) {
  switch (KeyFamilyOf(column)) {
    case KeyFamily::kBool:
      return std::holds_alternative<bool>(v);
    case KeyFamily::kInteger:
    case KeyFamily::kDate:
    case KeyFamily::kTime:
    case KeyFamily::kTimestamp:
    case KeyFamily::kTimestampTz:
      return std::holds_alternative<int64_t>(v);
    case KeyFamily::kFloat:
      return std::holds_alternative<double>(v) || std::holds_alternative<int64_t>(v);
    case KeyFamily::kNumeric:
      return std::holds_alternative<NumericRef>(v) || std::holds_alternative<int64_t>(v);
    case KeyFamily::kText:
    case KeyFamily::kBpchar:
    case KeyFamily::kBytes:
      return std::holds_alternative<std::string>(v);
    case KeyFamily::kNone:
      return false;
  }
  return false;
}

// Whether v may bound column (of type column) in a key: a parameter or constant of the column's
// key family; a NULL constant too (it matches nothing, which the ranges express).
bool Usable(TypeId column, const BoundExpr& v) {
  const KeyFamily family = KeyFamilyOf(column);
  if (family == KeyFamily::kNone || KeyFamilyOf(v.type.id) != family) {
    return v.IsConst() && IsNull(v.value) && family != KeyFamily::kNone;
  }
  // Values that come at each execution: a parameter, an outer row's value (written in as a
  // constant when the plan is instantiated for that row).
  if (v.kind == ExprKind::kParam || v.kind == ExprKind::kOuterRef) return true;
  return v.IsConst() && (IsNull(v.value) || EncodesAs(column, v.value));
}

enum class Use : uint8_t { kEq, kIn, kIsNull, kLower, kUpper };

// A conjunct an index can use: `key op value` (op as if the key were on the left), key a column
// or, for an expression index, the same expression as one of its keys.
struct ColumnUse {
  const BoundExpr* key = nullptr;
  Use use = Use::kEq;
  bool inclusive = true;  // kLower / kUpper: >= / <=
  const BoundExpr* conjunct = nullptr;
  std::vector<const BoundExpr*> values;  // kEq, kLower, kUpper: one; kIn: the list
  // A value derived from the conjunct rather than written in it (a LIKE prefix's bounds):
  // values[0] points to it.
  std::shared_ptr<const BoundExpr> derived;
};

bool IsValue(const BoundExpr& e) { return e.IsConst() || e.kind == ExprKind::kParam; }

// The type a key expression's values are encoded as: a column's own type, else its result type.
TypeId KeyTypeOf(const TableDef& table, const BoundExpr& key) {
  if (key.kind == ExprKind::kColumn) return table.columns[static_cast<size_t>(key.index)].type.id;
  return key.type.id;
}

// What `column LIKE pattern` (a constant pattern, backslash escapes) tells an index: the
// pattern's constant prefix (up to its first unescaped % or _, escapes removed) and whether
// that prefix is the whole pattern (then LIKE is `=`). Every string the pattern matches starts
// with the prefix (LikeMatch compares bytes, `_` one byte).
struct LikePrefix {
  std::string prefix;
  bool exact = false;
};
LikePrefix PrefixOf(std::string_view pattern) {
  LikePrefix out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '%' || c == '_') return out;
    if (c == '\\' && i + 1 < pattern.size()) {
      out.prefix += pattern[++i];
    } else {
      out.prefix += c;
    }
  }
  out.exact = true;
  return out;
}

// The least string above every string that starts with prefix, as PostgreSQL's
// make_greater_string: its last character incremented, a character that cannot be (not
// ASCII, or the last ASCII one) dropped first; nullopt when none is left. Only ASCII is
// incremented, so the bound stays valid UTF-8 (EXPLAIN prints it).
std::optional<std::string> GreaterString(std::string prefix) {
  while (!prefix.empty()) {
    const auto last = static_cast<unsigned char>(prefix.back());
    if (last < 0x7F) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    // Drop the whole last character (its continuation bytes, then its lead byte).
    while (!prefix.empty() && (static_cast<unsigned char>(prefix.back()) & 0xC0) == 0x80) {
      prefix.pop_back();
    }
    if (!prefix.empty()) prefix.pop_back();
  }
  return std::nullopt;
}

BoundExpr TextConst(std::string text) {
  BoundExpr v;
  v.kind = ExprKind::kConst;
  v.type = SqlType{TypeId::kText, -1};
  v.value = Datum(std::move(text));
  return v;
}

// The index uses of `column LIKE 'constant'` on a text column of the C collation (the index's
// byte order is then the strings' order): `column = prefix` for a pattern without wildcards,
// else `column >= prefix AND column < GreaterString(prefix)`; none for an empty prefix.
std::vector<ColumnUse> LikeUses(const TableDef& table, const BoundExpr& c) {
  std::vector<ColumnUse> out;
  if (c.kind != ExprKind::kLike || c.negated || c.flag || c.args.size() != 2 ||
      c.args[0].kind != ExprKind::kColumn || !c.args[1].IsConst() ||
      !std::holds_alternative<std::string>(c.args[1].value)) {
    return out;
  }
  const ColumnDef& column = table.columns[static_cast<size_t>(c.args[0].index)];
  if (column.type.id != TypeId::kText && column.type.id != TypeId::kVarchar) return out;
  if (!column.collation.empty() && column.collation != "C" && column.collation != "POSIX") {
    return out;
  }
  const LikePrefix like = PrefixOf(std::get<std::string>(c.args[1].value));
  if (like.prefix.empty()) return out;
  auto use = [&](Use kind, bool inclusive, std::string text) {
    ColumnUse u;
    u.key = &c.args[0];
    u.use = kind;
    u.inclusive = inclusive;
    u.conjunct = &c;
    u.derived = std::make_shared<const BoundExpr>(TextConst(std::move(text)));
    u.values.push_back(u.derived.get());
    out.push_back(std::move(u));
  };
  if (like.exact) {
    use(Use::kEq, true, like.prefix);
    return out;
  }
  std::optional<std::string> upper = GreaterString(like.prefix);
  use(Use::kLower, true, like.prefix);
  if (upper) use(Use::kUpper, false, std::move(*upper));
  return out;
}

std::optional<ColumnUse> Analyze(const TableDef& table, const BoundExpr& c) {
  ColumnUse u;
  u.conjunct = &c;
  if (c.kind == ExprKind::kCompare && c.args.size() == 2) {
    const BoundExpr* col = &c.args[0];
    const BoundExpr* val = &c.args[1];
    bool swapped = false;
    if (IsValue(*col)) {
      std::swap(col, val);
      swapped = true;
    }
    if (IsValue(*col) || !Usable(KeyTypeOf(table, *col), *val)) return std::nullopt;
    u.key = col;
    u.values.push_back(val);
    switch (c.op) {
      case ast::BinaryOp::kEq:
        u.use = Use::kEq;
        return u;
      case ast::BinaryOp::kLt:
      case ast::BinaryOp::kLe:
        u.use = swapped ? Use::kLower : Use::kUpper;  // x < c  is  c > x
        u.inclusive = c.op == ast::BinaryOp::kLe;
        return u;
      case ast::BinaryOp::kGt:
      case ast::BinaryOp::kGe:
        u.use = swapped ? Use::kUpper : Use::kLower;
        u.inclusive = c.op == ast::BinaryOp::kGe;
        return u;
      default:
        return std::nullopt;
    }
  }
  if (c.kind == ExprKind::kIn && !c.negated && c.args.size() >= 2 && !IsValue(c.args[0])) {
    const TypeId t = KeyTypeOf(table, c.args[0]);
    for (size_t i = 1; i < c.args.size(); ++i) {
      if (!Usable(t, c.args[i])) return std::nullopt;
      u.values.push_back(&c.args[i]);
    }
    u.key = &c.args[0];
    u.use = Use::kIn;
    return u;
  }
  if (c.kind == ExprKind::kIsNull && !c.negated && c.args.size() == 1 && !IsValue(c.args[0]) &&
      KeyFamilyOf(KeyTypeOf(table, c.args[0])) != KeyFamily::kNone) {
    u.key = &c.args[0];
    u.use = Use::kIsNull;
    return u;
  }
  return std::nullopt;
}

// Whether use u is about key column k of ix.
bool OnKey(const IndexDef& ix, size_t k, const ColumnUse& u) {
  const int column = ix.columns[k];
  if (column != kIndexExpression) {
    return u.key->kind == ExprKind::kColumn && u.key->index == column;
  }
  return k < ix.bound_expressions.size() && ix.bound_expressions[k] != nullptr &&
         SameExpr(*u.key, *ix.bound_expressions[k]);
}

// The conjuncts an index path over index `ix` uses: one per pinned key column, then the range
// column's first lower and first upper bound.
struct Selection {
  std::vector<ColumnUse> pinned;
  std::optional<ColumnUse> lower, upper;
};

Selection Select(const IndexDef& ix, const std::vector<ColumnUse>& uses) {
  Selection s;
  for (size_t k = 0; k < ix.columns.size(); ++k) {
    const ColumnUse* pin = nullptr;
    for (const ColumnUse& u : uses) {
      if (OnKey(ix, k, u) && (u.use == Use::kEq || u.use == Use::kIn || u.use == Use::kIsNull)) {
        pin = &u;
        break;
      }
    }
    if (pin == nullptr) {
      for (const ColumnUse& u : uses) {
        if (!OnKey(ix, k, u)) continue;
        if (u.use == Use::kLower && !s.lower) s.lower = u;
        if (u.use == Use::kUpper && !s.upper) s.upper = u;
      }
      break;
    }
    s.pinned.push_back(*pin);
  }
  return s;
}

std::vector<ColumnUse> Uses(const TableDef& table, const BoundExpr& where) {
  std::vector<const BoundExpr*> conjuncts;
  Flatten(where, conjuncts);
  std::vector<ColumnUse> uses;
  for (const BoundExpr* c : conjuncts) {
    if (auto u = Analyze(table, *c)) {
      uses.push_back(std::move(*u));
    } else {
      for (ColumnUse& l : LikeUses(table, *c)) uses.push_back(std::move(l));
    }
  }
  return uses;
}

// The key encoding of a constant bound for a column of type t laid out in order; nullopt when
// it is not one (the path no longer fits).
std::optional<std::string> Encode(const BoundExpr& v, TypeId t, KeyOrder order) {
  if (!v.IsConst() || (!IsNull(v.value) && !EncodesAs(t, v.value))) return std::nullopt;
  std::string out;
  AppendKeyColumn(out, v.value, t, order);
  return out;
}

}  // namespace

std::optional<IndexPath> ChooseIndexPath(const TableDef& table, const BoundExpr& where) {
  const std::vector<ColumnUse> uses = Uses(table, where);
  if (uses.empty()) return std::nullopt;
  std::optional<IndexPath> best;
  int best_score = -1;
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const IndexDef& ix = table.indexes[i];
    if (ix.root == storage::kInvalidPage || ix.columns.empty()) continue;
    // A partial index holds only the rows its predicate accepts: usable when where implies it.
    if (ix.partial() && !PredicateImplied(&where, *ix.bound_predicate)) continue;
    const Selection s = Select(ix, uses);
    IndexPath p;
    p.index = i;
    p.eq_columns = s.pinned.size();
    p.lower = s.lower.has_value();
    p.upper = s.upper.has_value();
    p.range = p.lower || p.upper;
    p.unique_point = ix.unique && !ix.deferrable && p.eq_columns == ix.columns.size() &&
                     std::all_of(s.pinned.begin(), s.pinned.end(),
                                 [](const ColumnUse& u) { return u.use == Use::kEq; });
    if (p.eq_columns == 0 && !(p.lower && p.upper)) continue;
    const int score = (p.unique_point ? 1000 : 0) + static_cast<int>(p.eq_columns) * 4 +
                      (p.lower && p.upper ? 2 : (p.range ? 1 : 0));
    if (score > best_score) {
      best_score = score;
      best = p;
    }
  }
  return best;
}

IndexPath OrderedIndexPath(const TableDef& table, size_t index, const BoundExpr* where) {
  IndexPath p;
  p.index = index;
  p.ordered = true;
  if (where == nullptr) return p;
  const std::vector<ColumnUse> uses = Uses(table, *where);
  if (uses.empty()) return p;
  const Selection s = Select(table.indexes[index], uses);
  p.eq_columns = s.pinned.size();
  p.lower = s.lower.has_value();
  p.upper = s.upper.has_value();
  p.range = p.lower || p.upper;
  return p;
}

std::vector<const BoundExpr*> IndexConditions(const TableDef& table, const IndexPath& path,
                                              const BoundExpr& where) {
  const Selection s = Select(table.indexes[path.index], Uses(table, where));
  std::vector<const BoundExpr*> out;
  for (size_t k = 0; k < path.eq_columns && k < s.pinned.size(); ++k) {
    out.push_back(s.pinned[k].conjunct);
  }
  if (s.pinned.size() == path.eq_columns) {
    if (s.lower && path.lower) out.push_back(s.lower->conjunct);
    if (s.upper && path.upper) out.push_back(s.upper->conjunct);
  }
  // In the order written, as PostgreSQL prints its index conditions.
  std::vector<const BoundExpr*> conjuncts;
  Flatten(where, conjuncts);
  std::vector<const BoundExpr*> ordered;
  for (const BoundExpr* c : conjuncts) {
    if (std::find(out.begin(), out.end(), c) != out.end()) ordered.push_back(c);
  }
  return ordered;
}

std::optional<std::vector<KeyRange>> IndexRanges(const TableDef& table, const IndexPath& path,
                                                 const BoundExpr& where) {
  const IndexDef& ix = table.indexes[path.index];
  const std::vector<KeyRange> whole{KeyRange{}};
  if (path.eq_columns == 0 && !path.lower && !path.upper) return whole;
  const Selection s = Select(ix, Uses(table, where));
  // The values may have changed since planning (parameters): the path must still fit.
  if (s.pinned.size() != path.eq_columns || s.lower.has_value() != path.lower ||
      s.upper.has_value() != path.upper) {
    if (path.ordered) return whole;
    return std::nullopt;
  }
  std::vector<KeyRange> none;
  std::vector<std::string> prefixes{std::string()};
  bool all_pinned = true;
  for (size_t k = 0; k < path.eq_columns; ++k) {
    const ColumnUse& u = s.pinned[k];
    const TypeId t = IndexKeyType(table, ix, k).id;
    const KeyOrder order = IndexColumnOrder(ix, k);
    std::vector<std::string> encodings;
    if (u.use == Use::kIsNull) {
      encodings.emplace_back(1, KeyNullMarker(order));
    } else {
      for (const BoundExpr* v : u.values) {
        auto e = Encode(*v, t, order);
        if (!e) return std::nullopt;
        if (IsNull(v->value)) continue;  // = NULL matches nothing; IN (.., NULL) as without it
        encodings.push_back(std::move(*e));
      }
      std::sort(encodings.begin(), encodings.end());
      encodings.erase(std::unique(encodings.begin(), encodings.end()), encodings.end());
      if (encodings.empty()) return none;
    }
    if (prefixes.size() * encodings.size() > kMaxRanges) {
      all_pinned = false;  // the rest is the filter's
      break;
    }
    // Encodings are self-delimiting, so the product of sorted lists is sorted.
    std::vector<std::string> next;
    next.reserve(prefixes.size() * encodings.size());
    for (const std::string& p : prefixes) {
      for (const std::string& e : encodings) next.push_back(p + e);
    }
    prefixes = std::move(next);
  }
  // lower and upper bound the keys (not the values: a descending column's value bounds swap).
  std::optional<std::string> lower, upper;
  bool lower_inclusive = true, upper_inclusive = true;
  const KeyOrder range_order =
      path.eq_columns < ix.columns.size() ? IndexColumnOrder(ix, path.eq_columns) : KeyOrder{};
  if (all_pinned && (s.lower || s.upper)) {
    const TypeId t = IndexKeyType(table, ix, path.eq_columns).id;
    for (const auto* bound : {&s.lower, &s.upper}) {
      if (!*bound) continue;
      const BoundExpr& v = *(*bound)->values[0];
      auto e = Encode(v, t, range_order);
      if (!e) return std::nullopt;
      if (IsNull(v.value)) return none;  // a comparison with NULL matches nothing
      if ((bound == &s.lower) != range_order.descending) {
        lower = std::move(*e);
        lower_inclusive = (*bound)->inclusive;
      } else {
        upper = std::move(*e);
        upper_inclusive = (*bound)->inclusive;
      }
    }
  }
  std::vector<KeyRange> ranges;
  ranges.reserve(prefixes.size());
  for (const std::string& p : prefixes) {
    KeyRange r;
    if (!lower && !upper) {
      r.start = p;
      r.stop = PrefixSuccessor(p);
    } else {
      // A range never holds NULL: within the run of non-NULL keys (p + marker ...).
      const std::string values = p + KeyNotNullMarker(range_order);
      r.start = lower ? (lower_inclusive ? p + *lower : PrefixSuccessor(p + *lower)) : values;
      r.stop = upper ? (upper_inclusive ? PrefixSuccessor(p + *upper) : p + *upper)
                     : PrefixSuccessor(values);
      if (!r.stop.empty() && r.start >= r.stop) continue;
    }
    ranges.push_back(std::move(r));
  }
  return ranges;
}

}  // namespace sqlrite::engine

namespace sqlrite::engine {

std::vector<BoundExpr> LikeIndexConditions(const TableDef& table, const BoundExpr& like) {
  std::vector<BoundExpr> out;
  for (const ColumnUse& u : LikeUses(table, like)) {
    BoundExpr cmp;
    cmp.kind = ExprKind::kCompare;
    cmp.type = SqlType{TypeId::kBool, -1};
    cmp.op = u.use == Use::kEq      ? ast::BinaryOp::kEq
             : u.use == Use::kLower ? ast::BinaryOp::kGe
                                    : ast::BinaryOp::kLt;
    cmp.args.push_back(like.args[0]);
    cmp.args.push_back(*u.derived);
    out.push_back(std::move(cmp));
  }
  return out;
}

}  // namespace sqlrite::engine
