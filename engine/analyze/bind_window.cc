// Window function calls (OVER) and window specifications, bound as PostgreSQL's parse analysis
// does (transformWindowFuncCall, transformWindowDefinitions, transformFrameOffset): the named
// windows of the WINDOW clause first, then each inline OVER (...) that differs from every
// window so far (an identical one is shared, so one WindowAgg computes both calls).

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "engine/analyze/bind_set_op.h"
#include "engine/error_position.h"
#include "engine/expression.h"
#include "engine/functions/builtin.h"

namespace sqlrite::engine {
namespace {

constexpr const char* kFunctionHint =
    "No function matches the given name and argument types. You might need to add explicit "
    "type casts.";

SqlType T(TypeId id) { return SqlType{id, -1}; }

bool SameOptional(const std::optional<BoundExpr>& a, const std::optional<BoundExpr>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || SameExpr(*a, *b);
}

// Whether two inline specifications are the same window (PostgreSQL compares the written
// clauses; comparing the bound ones is that, less the locations).
bool SameSpec(const WindowSpec& a, const WindowSpec& b) {
  if (a.refname != b.refname || a.partition_by.size() != b.partition_by.size() ||
      a.order_by.size() != b.order_by.size() || a.frame.options != b.frame.options ||
      !SameOptional(a.frame.start_offset, b.frame.start_offset) ||
      !SameOptional(a.frame.end_offset, b.frame.end_offset)) {
    return false;
  }
  for (size_t i = 0; i < a.partition_by.size(); ++i) {
    if (!SameExpr(a.partition_by[i], b.partition_by[i])) return false;
  }
  for (size_t i = 0; i < a.order_by.size(); ++i) {
    const WindowOrderKey& x = a.order_by[i];
    const WindowOrderKey& y = b.order_by[i];
    if (x.descending != y.descending || x.nulls_first != y.nulls_first ||
        !SameExpr(x.expr, y.expr)) {
      return false;
    }
  }
  return true;
}

bool HasVariables(const BoundExpr& e) {
  if (e.kind == ExprKind::kColumn || e.kind == ExprKind::kOuterRef) return true;
  for (const BoundExpr& a : e.args) {
    if (HasVariables(a)) return true;
  }
  return false;
}

ast::ExprPtr Ref(const char* name) {
  auto e = std::make_unique<ast::Expr>();
  e->node = ast::ColumnRef{"", name};
  return e;
}

ast::ExprPtr Op(ast::BinaryOp op, ast::ExprPtr l, ast::ExprPtr r) {
  auto e = std::make_unique<ast::Expr>();
  e->node = ast::Binary{op, std::move(l), std::move(r)};
  return e;
}

// The offset types in_range accepts for a RANGE key of type key (pg_amproc's BTINRANGE_PROC
// entries); empty: none.
std::vector<TypeId> InRangeOffsetTypes(TypeId key) {
  switch (key) {
    case TypeId::kInt2:
    case TypeId::kInt4:
      return {TypeId::kInt8, TypeId::kInt4, TypeId::kInt2};
    case TypeId::kInt8:
      return {TypeId::kInt8};
    case TypeId::kNumeric:
      return {TypeId::kNumeric};
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return {TypeId::kFloat8};
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
      return {TypeId::kInterval};
    default:
      return {};
  }
}

// ROWS / GROUPS / RANGE, as PostgreSQL names the frame's mode in its messages.
const char* ModeName(int options) {
  return (options & ast::kFrameRows) != 0     ? "ROWS"
         : (options & ast::kFrameGroups) != 0 ? "GROUPS"
                                              : "RANGE";
}

}  // namespace

Status Binder::BindNamedWindows(WindowScope& windows) {
  if (windows.named == nullptr) return Ok();
  for (size_t i = 0; i < windows.named->size(); ++i) {
    const ast::WindowDef& def = (*windows.named)[i];
    for (size_t j = 0; j < i; ++j) {
      if ((*windows.named)[j].name == def.name) {
        return Fail(
            Error(sqlstate::kWindowingError, "window \"" + def.name + "\" is already defined")
                .WithPosition(ErrorPosition(def.location)));
      }
    }
    SQLRITE_ASSIGN_OR_RETURN(WindowSpec spec, BindWindowSpec(def, windows));
    windows.specs.push_back(std::move(spec));
  }
  return Ok();
}

Result<WindowSpec> Binder::BindWindowSpec(const ast::WindowDef& def, const WindowScope& windows) {
  WindowSpec spec;
  spec.refname = def.refname;
  const WindowSpec* ref = nullptr;
  const ast::WindowDef* ref_def = nullptr;
  if (!def.refname.empty()) {
    // Only a window defined before this one (all of the WINDOW clause for an OVER).
    const size_t named = windows.named != nullptr ? windows.named->size() : 0;
    for (size_t j = 0; j < named && j < windows.specs.size(); ++j) {
      if ((*windows.named)[j].name == def.refname) {
        ref = &windows.specs[j];
        ref_def = &(*windows.named)[j];
        break;
      }
    }
    if (ref == nullptr) {
      return Fail(Error(sqlstate::kUndefinedObject, "window \"" + def.refname + "\" does not exist")
                      .WithPosition(ErrorPosition(def.location)));
    }
    if (!def.partition_by.empty()) {
      return Fail(Error(sqlstate::kWindowingError,
                        "cannot override PARTITION BY clause of window \"" + def.refname + "\"")
                      .WithPosition(ErrorPosition(def.location)));
    }
    if (!ref->order_by.empty() && !def.order_by.empty()) {
      return Fail(Error(sqlstate::kWindowingError,
                        "cannot override ORDER BY clause of window \"" + def.refname + "\"")
                      .WithPosition(ErrorPosition(def.location)));
    }
    if (ref_def->frame_options != ast::kFrameDefaults) {
      Error error(sqlstate::kWindowingError,
                  "cannot copy window \"" + def.refname + "\" because it has a frame clause");
      if (def.order_by.empty() && def.frame_options == ast::kFrameDefaults) {
        return Fail(std::move(error)
                        .WithHint("Omit the parentheses in this OVER clause.")
                        .WithPosition(ErrorPosition(def.location)));
      }
      return Fail(std::move(error).WithPosition(ErrorPosition(def.location)));
    }
    spec.partition_by = ref->partition_by;
    spec.order_by = ref->order_by;
  }
  // PARTITION BY and ORDER BY see the query's rows (aggregates included), no window call.
  WindowScope* saved_windows = windows_;
  const char* saved_clause = clause_;
  windows_ = nullptr;
  clause_ = "window definitions";
  auto restore = [&] {
    windows_ = saved_windows;
    clause_ = saved_clause;
  };
  auto bind_key = [&](const ast::Expr& e) -> Result<BoundExpr> {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(e));
    if (b.type.id == TypeId::kUnknown) {
      SQLRITE_ASSIGN_OR_RETURN(
          b, CoerceForAssignment(std::move(b), T(TypeId::kText), "", ExprLocation(e)));
    }
    return b;
  };
  for (const ast::ExprPtr& p : def.partition_by) {
    auto b = bind_key(*p);
    if (!b) {
      restore();
      return Fail(std::move(b.error()));
    }
    spec.partition_by.push_back(std::move(*b));
  }
  for (const ast::OrderItem& o : def.order_by) {
    auto b = bind_key(*o.expr);
    if (!b) {
      restore();
      return Fail(std::move(b.error()));
    }
    WindowOrderKey key;
    key.expr = std::move(*b);
    key.descending = o.descending;
    key.nulls_first = o.nulls_first.value_or(o.descending);
    spec.order_by.push_back(std::move(key));
  }
  restore();
  SQLRITE_ASSIGN_OR_RETURN(spec.frame, BindFrame(def, spec));
  return spec;
}

Result<WindowFrame> Binder::BindFrame(const ast::WindowDef& def, const WindowSpec& spec) {
  WindowFrame frame;
  frame.options = def.frame_options;
  const int opts = def.frame_options;
  const bool range_offsets =
      (opts & ast::kFrameRange) != 0 &&
      (opts & (ast::kFrameStartOffsetPreceding | ast::kFrameStartOffsetFollowing |
               ast::kFrameEndOffsetPreceding | ast::kFrameEndOffsetFollowing)) != 0;
  if (range_offsets && spec.order_by.size() != 1) {
    return Fail(Error(sqlstate::kWindowingError,
                      "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
                    .WithPosition(ErrorPosition(def.location)));
  }
  if ((opts & ast::kFrameGroups) != 0 && spec.order_by.empty()) {
    return Fail(Error(sqlstate::kWindowingError, "GROUPS mode requires an ORDER BY clause")
                    .WithPosition(ErrorPosition(def.location)));
  }
  const char* mode = ModeName(opts);
  auto bind_offset = [&](const ast::Expr& e) -> Result<BoundExpr> {
    // A frame offset is a constant of the query: no column, aggregate or window call.
    Binder b(*scope_);
    b.SetOuter(outer_);
    b.SetSubqueries(subqueries_);
    b.SetClause(range_offsets              ? "window RANGE"
                : (opts & ast::kFrameRows) ? "window ROWS"
                                           : "window GROUPS");
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr v, b.Bind(e));
    if (HasVariables(v)) {
      return Fail(Error(sqlstate::kInvalidColumnReference,
                        std::string("argument of ") + mode + " must not contain variables")
                      .WithPosition(ErrorPosition(ExprLocation(e))));
    }
    if (range_offsets) return v;
    if (v.type.id == TypeId::kUnknown || IsIntegerType(v.type.id)) {
      return CoerceForAssignment(std::move(v), T(TypeId::kInt8), mode, ExprLocation(e));
    }
    return Fail(Error(sqlstate::kDatatypeMismatch, std::string("argument of ") + mode +
                                                       " must be type bigint, not type " +
                                                       std::string(TypeName(v.type.id)))
                    .WithPosition(ErrorPosition(ExprLocation(e))));
  };
  if (def.start_offset) {
    SQLRITE_ASSIGN_OR_RETURN(frame.start_offset, bind_offset(*def.start_offset));
  }
  if (def.end_offset) {
    SQLRITE_ASSIGN_OR_RETURN(frame.end_offset, bind_offset(*def.end_offset));
  }
  if (!range_offsets) return frame;

  // RANGE: the offset's type is the one in_range takes for the key's type.
  const SqlType key = spec.order_by[0].expr.type;
  const std::vector<TypeId> candidates = InRangeOffsetTypes(key.id);
  if (candidates.empty()) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "RANGE with offset PRECEDING/FOLLOWING is not supported for column type " +
                          TypeDisplayName(key))
                    .WithPosition(ErrorPosition(def.location)));
  }
  for (std::optional<BoundExpr>* offset : {&frame.start_offset, &frame.end_offset}) {
    if (!offset->has_value()) continue;
    const TypeId from = (*offset)->type.id;
    TypeId chosen = TypeId::kUnknown;
    int matches = 0;
    for (TypeId c : candidates) {
      if (c == from) {
        chosen = c;
        matches = 1;
        break;
      }
      if (from == TypeId::kUnknown || functions::ImplicitlyCastable(from, c)) {
        chosen = c;
        ++matches;
      }
    }
    if (matches != 1) {
      return Fail(Error(sqlstate::kFeatureNotSupported,
                        std::string("RANGE with offset PRECEDING/FOLLOWING ") +
                            (matches == 0 ? "is not supported" : "has multiple interpretations") +
                            " for column type " + TypeDisplayName(key) + " and offset type " +
                            TypeDisplayName((*offset)->type))
                      .WithHint("Cast the offset value to an appropriate type.")
                      .WithPosition(ErrorPosition(def.location)));
    }
    SQLRITE_ASSIGN_OR_RETURN(**offset,
                             CoerceForAssignment(std::move(**offset), T(chosen), "RANGE", -1));
  }
  // in_range as conditions over [row's key, current row's key, offset]: a row is at or after
  // the start / at or before the end. DESC turns preceding into larger keys.
  const bool desc = spec.order_by[0].descending;
  auto in_range = [&](const BoundExpr& offset, bool start, bool preceding) -> Result<BoundExpr> {
    Scope scope{{"", "r", key, false}, {"", "c", key, false}, {"", "o", offset.type, false}};
    const bool minus = preceding != desc;
    const bool at_least = start != desc;
    ast::ExprPtr bound = Op(minus ? ast::BinaryOp::kSub : ast::BinaryOp::kAdd, Ref("c"), Ref("o"));
    ast::ExprPtr cond =
        Op(at_least ? ast::BinaryOp::kGe : ast::BinaryOp::kLe, Ref("r"), std::move(bound));
    Binder b(scope);
    return b.BindCondition(*cond, "RANGE");
  };
  if (frame.start_offset) {
    SQLRITE_ASSIGN_OR_RETURN(
        frame.start_in_range,
        in_range(*frame.start_offset, true, (opts & ast::kFrameStartOffsetPreceding) != 0));
  }
  if (frame.end_offset) {
    SQLRITE_ASSIGN_OR_RETURN(
        frame.end_in_range,
        in_range(*frame.end_offset, false, (opts & ast::kFrameEndOffsetPreceding) != 0));
  }
  return frame;
}

Result<BoundExpr> Binder::BindWindowCall(const ast::FuncCall& f, int location) {
  if (in_window_) {
    return Fail(Error(sqlstate::kWindowingError, "window function calls cannot be nested")
                    .WithPosition(ErrorPosition(location)));
  }
  if (in_aggregate_) {
    return Fail(Error(sqlstate::kGroupingError,
                      "aggregate function calls cannot contain window function calls")
                    .WithPosition(ErrorPosition(location)));
  }
  if (windows_ == nullptr) {
    return Fail(Error(sqlstate::kWindowingError,
                      std::string("window functions are not allowed in ") + clause_)
                    .WithPosition(ErrorPosition(location)));
  }
  WindowScope& windows = *windows_;
  WindowCall call;
  call.name = f.name;
  SQLRITE_ASSIGN_OR_RETURN(std::optional<AggSpec> agg, BindAggregate(f, location, true));
  if (agg) {
    if (f.distinct) {
      return Fail(
          Error(sqlstate::kFeatureNotSupported, "DISTINCT is not implemented for window functions")
              .WithPosition(ErrorPosition(location)));
    }
    call.kind = WindowFuncKind::kAggregate;
    call.type = agg->type;
    call.agg = std::move(*agg);
  } else {
    static const struct {
      const char* name;
      WindowFuncKind kind;
      size_t min_args, max_args;
    } kFuncs[] = {{"row_number", WindowFuncKind::kRowNumber, 0, 0},
                  {"rank", WindowFuncKind::kRank, 0, 0},
                  {"dense_rank", WindowFuncKind::kDenseRank, 0, 0},
                  {"percent_rank", WindowFuncKind::kPercentRank, 0, 0},
                  {"cume_dist", WindowFuncKind::kCumeDist, 0, 0},
                  {"ntile", WindowFuncKind::kNtile, 1, 1},
                  {"lag", WindowFuncKind::kLag, 1, 3},
                  {"lead", WindowFuncKind::kLead, 1, 3},
                  {"first_value", WindowFuncKind::kFirstValue, 1, 1},
                  {"last_value", WindowFuncKind::kLastValue, 1, 1},
                  {"nth_value", WindowFuncKind::kNthValue, 2, 2}};
    const auto* found = std::find_if(std::begin(kFuncs), std::end(kFuncs),
                                     [&](const auto& w) { return f.name == w.name; });
    if (found == std::end(kFuncs)) {
      // Not a window function: a plain function's call says so, an unknown one is 42883.
      ignore_over_ = true;
      SQLRITE_TRY(BindFunc(f, location));
      return Fail(Error(sqlstate::kWrongObjectType,
                        "OVER specified, but " + f.name +
                            " is not a window function nor an aggregate function")
                      .WithPosition(ErrorPosition(location)));
    }
    std::vector<BoundExpr> args;
    in_window_ = true;
    for (const ast::ExprPtr& a : f.args) {
      auto b = Bind(*a);
      if (!b) {
        in_window_ = false;
        return Fail(std::move(b.error()));
      }
      args.push_back(std::move(*b));
    }
    in_window_ = false;
    auto no_such = [&]() {
      std::string sig;
      for (size_t i = 0; i < args.size(); ++i) {
        sig += (i ? ", " : "") + std::string(TypeName(args[i].type.id));
      }
      if (f.star) sig = "*";
      return Fail(
          Error(sqlstate::kUndefinedFunction, "function " + f.name + "(" + sig + ") does not exist")
              .WithHint(kFunctionHint)
              .WithPosition(ErrorPosition(location)));
    };
    if (f.star || args.size() < found->min_args || args.size() > found->max_args) return no_such();
    // The int4 parameters: ntile's count, lag/lead's offset, nth_value's n.
    const size_t int_arg = found->kind == WindowFuncKind::kNtile ? 0 : 1;
    if (found->kind != WindowFuncKind::kFirstValue && found->kind != WindowFuncKind::kLastValue &&
        int_arg < args.size()) {
      BoundExpr& n = args[int_arg];
      if (n.type.id != TypeId::kUnknown && n.type.id != TypeId::kInt4 &&
          n.type.id != TypeId::kInt2) {
        return no_such();
      }
      SQLRITE_ASSIGN_OR_RETURN(n, CoerceForAssignment(std::move(n), T(TypeId::kInt4), f.name,
                                                      ExprLocation(*f.args[int_arg])));
    }
    if (found->kind != WindowFuncKind::kNtile && !args.empty()) {
      // The value: anyelement, or with lag/lead's default anycompatible (their common type).
      SqlType type = args[0].type;
      if (args.size() == 3) {
        auto common =
            SelectCommonType(args[0].type, args[0].type.id == TypeId::kUnknown, args[2].type,
                             args[2].type.id == TypeId::kUnknown, f.name.c_str(), location);
        if (!common) return no_such();
        type = *common;
        SQLRITE_ASSIGN_OR_RETURN(args[2], CoerceForAssignment(std::move(args[2]), type, f.name,
                                                              ExprLocation(*f.args[2])));
      }
      if (type.id == TypeId::kUnknown) type = T(TypeId::kText);
      SQLRITE_ASSIGN_OR_RETURN(
          args[0], CoerceForAssignment(std::move(args[0]), type, f.name, ExprLocation(*f.args[0])));
      // A function's result has no typmod in PostgreSQL: first_value(n) of a numeric(3,1) n is
      // numeric.
      call.type = type;
      call.type.typmod = -1;
    }
    if (f.distinct) {
      return Fail(Error(sqlstate::kWrongObjectType,
                        "DISTINCT specified, but " + f.name + " is not an aggregate function")
                      .WithPosition(ErrorPosition(location)));
    }
    if (f.filter) {
      return Fail(Error(sqlstate::kFeatureNotSupported,
                        "FILTER is not implemented for non-aggregate window functions")
                      .WithPosition(ErrorPosition(location)));
    }
    call.kind = found->kind;
    switch (call.kind) {
      case WindowFuncKind::kRowNumber:
      case WindowFuncKind::kRank:
      case WindowFuncKind::kDenseRank:
        call.type = T(TypeId::kInt8);
        break;
      case WindowFuncKind::kPercentRank:
      case WindowFuncKind::kCumeDist:
        call.type = T(TypeId::kFloat8);
        break;
      case WindowFuncKind::kNtile:
        call.type = T(TypeId::kInt4);
        break;
      default:
        break;
    }
    call.args = std::move(args);
  }

  // The window: a named one (OVER w), else an inline specification, shared with an identical
  // earlier one.
  const ast::WindowDef& over = *f.over;
  size_t spec_index = windows.specs.size();
  if (!over.name.empty()) {
    const size_t named = windows.named != nullptr ? windows.named->size() : 0;
    for (size_t j = 0; j < named; ++j) {
      if ((*windows.named)[j].name == over.name) {
        spec_index = j;
        break;
      }
    }
    if (spec_index == windows.specs.size()) {
      return Fail(Error(sqlstate::kUndefinedObject, "window \"" + over.name + "\" does not exist")
                      .WithPosition(ErrorPosition(location)));
    }
  } else {
    SQLRITE_ASSIGN_OR_RETURN(WindowSpec spec, BindWindowSpec(over, windows));
    for (size_t j = 0; j < windows.specs.size(); ++j) {
      if (SameSpec(windows.specs[j], spec)) {
        spec_index = j;
        break;
      }
    }
    if (spec_index == windows.specs.size()) windows.specs.push_back(std::move(spec));
  }
  windows.specs[spec_index].active = true;
  call.spec = spec_index;
  BoundExpr e;
  e.kind = ExprKind::kWindowRef;
  e.type = call.type;
  e.index = static_cast<int>(windows.calls.size());
  e.location = location;
  windows.calls.push_back(std::move(call));
  return e;
}

}  // namespace sqlrite::engine
