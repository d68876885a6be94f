// Calls with WITHIN GROUP, bound as PostgreSQL's parse analysis resolves them (ParseFuncOrColumn
// with agg_within_group, unify_hypothetical_args): the ordered-set aggregates percentile_cont,
// percentile_disc and mode, the hypothetical-set aggregates rank, dense_rank, percent_rank and
// cume_dist, and PostgreSQL's errors for every other function. engine/exec/ordered_set.h runs
// them.
//
//   percentile_cont(float8) WITHIN GROUP (ORDER BY float8 | interval)      float8 | interval
//   percentile_cont(float8[]) WITHIN GROUP (ORDER BY float8 | interval)    float8[] | interval[]
//   percentile_disc(float8 [ [] ]) WITHIN GROUP (ORDER BY anyelement)      anyelement [ [] ]
//   mode() WITHIN GROUP (ORDER BY anyelement)                              anyelement
//   rank / dense_rank(VARIADIC "any") WITHIN GROUP (ORDER BY VARIADIC "any")  bigint
//   percent_rank / cume_dist(...) likewise                                   double precision

#include <string>
#include <utility>
#include <vector>

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

// The plain aggregates' argument counts: such a call with WITHIN GROUP finds the aggregate
// (its arguments the direct ones then the ordering ones) and is refused as no ordered-set one.
int PlainAggregateArity(const std::string& name) {
  if (name == "count" || name == "sum" || name == "min" || name == "max" || name == "avg" ||
      name == "array_agg" || name == "json_agg" || name == "jsonb_agg" || name == "bool_and" ||
      name == "bool_or" || name == "every") {
    return 1;
  }
  if (name == "string_agg" || name == "json_object_agg" || name == "jsonb_object_agg") return 2;
  return -1;
}

}  // namespace

Result<AggSpec> Binder::BindOrderedSetAggregate(const ast::FuncCall& f, int location) {
  // The arguments first, as PostgreSQL transforms them before it looks the function up; an
  // aggregate inside one is nested.
  std::vector<BoundExpr> direct, keys;
  std::vector<int> direct_locations;
  const bool nested = in_aggregate_;
  in_aggregate_ = true;
  Status bound = Ok();
  for (const ast::ExprPtr& a : f.args) {
    auto e = Bind(*a);
    if (!e) {
      bound = Fail(std::move(e.error()));
      break;
    }
    direct.push_back(std::move(*e));
    direct_locations.push_back(ExprLocation(*a));
  }
  for (size_t i = 0; bound && i < f.order_by.size(); ++i) {
    auto e = Bind(*f.order_by[i].expr);
    if (!e) {
      bound = Fail(std::move(e.error()));
      break;
    }
    keys.push_back(std::move(*e));
  }
  in_aggregate_ = nested;
  SQLRITE_TRY(bound);

  // The call as written, for 42883: its arguments' types before any coercion.
  std::string sig = f.name + "(";
  for (const std::vector<BoundExpr>* list : {&direct, &keys}) {
    for (const BoundExpr& e : *list) {
      if (sig.back() != '(') sig += ", ";
      sig += TypeDisplayName(e.type);
    }
  }
  auto no_function = [&](std::string hint) {
    return Fail(Error(sqlstate::kUndefinedFunction, "function " + sig + ") does not exist")
                    .WithHint(std::move(hint))
                    .WithPosition(ErrorPosition(location)));
  };
  auto polymorphic = [&](const BoundExpr& key) -> Status {
    if (key.type.id != TypeId::kUnknown) return Ok();
    return Fail(sqlstate::kDatatypeMismatch,
                "could not determine polymorphic type because input has type unknown");
  };

  AggSpec spec;
  const std::string& name = f.name;
  const bool hypothetical =
      name == "rank" || name == "dense_rank" || name == "percent_rank" || name == "cume_dist";
  if (name == "percentile_cont" || name == "percentile_disc") {
    if (f.star || direct.size() != 1 || keys.size() != 1) return no_function(kFunctionHint);
    const bool cont = name == "percentile_cont";
    // The fraction: float8, or an array of them.
    BoundExpr& fraction = direct[0];
    const bool multi = fraction.type.id == TypeId::kArray;
    if (multi) {
      if (!functions::ImplicitlyCastable(fraction.type.elem, TypeId::kFloat8)) {
        return no_function(kFunctionHint);
      }
      SQLRITE_TRY(CastImplicitly(fraction, ArrayOf(T(TypeId::kFloat8))));
    } else {
      SQLRITE_TRY(CoerceUnknownTo(fraction, T(TypeId::kFloat8), direct_locations[0]));
      if (!functions::ImplicitlyCastable(fraction.type.id, TypeId::kFloat8)) {
        return no_function(kFunctionHint);
      }
      SQLRITE_TRY(CastImplicitly(fraction, T(TypeId::kFloat8)));
    }
    BoundExpr& key = keys[0];
    if (cont) {
      SQLRITE_TRY(CoerceUnknownTo(key, T(TypeId::kFloat8), ExprLocation(*f.order_by[0].expr)));
      if (key.type.id != TypeId::kInterval) {
        if (!functions::ImplicitlyCastable(key.type.id, TypeId::kFloat8)) {
          return no_function(kFunctionHint);
        }
        SQLRITE_TRY(CastImplicitly(key, T(TypeId::kFloat8)));
      }
    } else {
      SQLRITE_TRY(polymorphic(key));
    }
    // anyelement is the ordering column's type, without its length or precision.
    SqlType value = key.type;
    value.typmod = -1;
    if (multi && (value.id == TypeId::kArray || !HasArrayType(value.id))) {
      return Fail(Error(sqlstate::kFeatureNotSupported,
                        "percentile_disc over arrays with an array of fractions is not "
                        "supported yet")
                      .WithPosition(ErrorPosition(location)));
    }
    spec.kind = cont ? AggKind::kPercentileCont : AggKind::kPercentileDisc;
    spec.type = multi ? ArrayOf(value) : value;
  } else if (name == "mode") {
    if (f.star || !direct.empty() || keys.size() != 1) return no_function(kFunctionHint);
    SQLRITE_TRY(polymorphic(keys[0]));
    spec.kind = AggKind::kMode;
    spec.type = keys[0].type;
    spec.type.typmod = -1;
  } else if (hypothetical && !f.star) {
    if (direct.size() != keys.size()) {
      return no_function("To use the hypothetical-set aggregate " + name +
                         ", the number of hypothetical direct arguments (here " +
                         std::to_string(direct.size()) +
                         ") must match the number of ordering columns (here " +
                         std::to_string(keys.size()) + ").");
    }
    // Each hypothetical value and its ordering column take their common type.
    for (size_t i = 0; i < keys.size(); ++i) {
      BoundExpr& d = direct[i];
      BoundExpr& k = keys[i];
      SQLRITE_ASSIGN_OR_RETURN(
          SqlType common,
          SelectCommonType(k.type, k.type.id == TypeId::kUnknown, d.type,
                           d.type.id == TypeId::kUnknown, "WITHIN GROUP", direct_locations[i]));
      SQLRITE_TRY(CoerceUnknownTo(k, common, ExprLocation(*f.order_by[i].expr)));
      SQLRITE_TRY(CoerceUnknownTo(d, common, direct_locations[i]));
      SQLRITE_TRY(CastImplicitly(k, common));
      SQLRITE_TRY(CastImplicitly(d, common));
    }
    spec.kind = name == "rank"           ? AggKind::kHypotheticalRank
                : name == "dense_rank"   ? AggKind::kHypotheticalDenseRank
                : name == "percent_rank" ? AggKind::kHypotheticalPercentRank
                                         : AggKind::kHypotheticalCumeDist;
    spec.type =
        T(spec.kind == AggKind::kHypotheticalRank || spec.kind == AggKind::kHypotheticalDenseRank
              ? TypeId::kInt8
              : TypeId::kFloat8);
  } else {
    const int arity = PlainAggregateArity(name);
    if (arity >= 0 && static_cast<size_t>(arity) == direct.size() + keys.size()) {
      return Fail(Error(sqlstate::kWrongObjectType,
                        name + " is not an ordered-set aggregate, so it cannot have WITHIN GROUP")
                      .WithPosition(ErrorPosition(location)));
    }
    return no_function(kFunctionHint);
  }

  if (f.over) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "OVER is not supported for ordered-set aggregate " + name)
                    .WithPosition(ErrorPosition(location)));
  }
  if (aggs_ == nullptr) {
    return Fail(Error(sqlstate::kGroupingError,
                      std::string("aggregate functions are not allowed in ") + clause_)
                    .WithPosition(ErrorPosition(location)));
  }
  if (nested) {
    return Fail(Error(sqlstate::kGroupingError, "aggregate function calls cannot be nested")
                    .WithPosition(ErrorPosition(location)));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const ast::OrderItem& item = f.order_by[i];
    spec.order_by.push_back(AggOrderKey{std::move(keys[i]), item.descending,
                                        item.nulls_first.value_or(item.descending)});
  }
  spec.direct_args = std::move(direct);
  if (f.filter) {
    // FILTER sees the aggregate's input rows: neither aggregates nor window calls.
    std::vector<AggSpec>* aggs = aggs_;
    WindowScope* windows = windows_;
    const char* clause = clause_;
    aggs_ = nullptr;
    windows_ = nullptr;
    clause_ = "FILTER";
    auto filter = BindCondition(*f.filter, "FILTER");
    aggs_ = aggs;
    windows_ = windows;
    clause_ = clause;
    if (!filter) return Fail(std::move(filter.error()));
    spec.filter = std::move(*filter);
  }
  return spec;
}

}  // namespace sqlrite::engine
