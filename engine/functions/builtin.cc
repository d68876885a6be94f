#include "engine/functions/builtin.h"

#include <algorithm>
#include <unordered_map>

#include "common/assert.h"
#include "engine/datetime_operators.h"
#include "engine/numeric_rank.h"

namespace sqlrite::engine::functions {
namespace {

enum class Category : uint8_t { kNumeric, kString, kBool, kDateTime, kTimespan, kOther };

Category CategoryOf(TypeId t) {
  switch (t) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kNumeric:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return Category::kNumeric;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kName:
    case TypeId::kChar:
      return Category::kString;
    case TypeId::kBool:
      return Category::kBool;
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Category::kDateTime;
    case TypeId::kInterval:
      return Category::kTimespan;
    default:
      return Category::kOther;
  }
}

// pg_type.typispreferred among the engine's types.
bool IsPreferred(TypeId t) {
  return t == TypeId::kFloat8 || t == TypeId::kText || t == TypeId::kTimestampTz ||
         t == TypeId::kInterval;
}

TypeId ParamAt(const Builtin& b, size_t i) {
  return i < b.nparams ? b.params[i] : TypeId::kUnknown;  // kUnknown: a variadic "any" slot
}

bool Accepts(const Builtin& b, size_t nargs) {
  if (b.variadic_any) return nargs >= static_cast<size_t>(b.nparams) + b.min_variadic;
  return nargs == b.nparams;
}

std::vector<Builtin> BuildRegistry() {
  std::vector<Builtin> all;
  AddStringFunctions(all);
  AddMathFunctions(all);
  AddSequenceFunctions(all);
  AddDateTimeFunctions(all);
  AddRegexFunctions(all);
  AddArrayFunctions(all);
  AddCatalogFunctions(all);
  AddSetFunctions(all);
  AddJsonFunctions(all);
  AddDumpFunctions(all);
  AddDatabaseFunctions(all);
  AddNumericFunctions(all);
  AddRecordFunctions(all);
  AddFormattingFunctions(all);
  AddRegexSetFunctions(all);
  AddTextSetFunctions(all);
  AddMoreStringFunctions(all);
  AddShiftOperators(all);
  AddSessionFunctions(all);
  AddBitFunctions(all);
  return all;
}

}  // namespace

Builtin Fn(std::string_view name, std::initializer_list<TypeId> params, TypeId result, Impl impl) {
  SQLRITE_ASSERT(params.size() <= Builtin{}.params.size());
  Builtin b;
  b.name = name;
  b.nparams = static_cast<uint8_t>(params.size());
  std::copy(params.begin(), params.end(), b.params.begin());
  b.result = result;
  b.impl = impl;
  return b;
}

bool ImplicitlyCastable(TypeId from, TypeId to) {
  if (from == to) return true;
  const int a = NumericRank(from);
  const int b = NumericRank(to);
  if (a > 0 && b > 0) return a < b;
  if (DateTimeImplicitlyCastable(from, to)) return true;
  // oid and its reg* aliases are binary coercible among themselves; an integer converts to any
  // of them (int4 -> oid, int8 -> oid, and the aliases' casts from int4/int8).
  if (IsOidType(to) && (IsOidType(from) || (a > 0 && a <= 3))) return true;
  // bit and bit varying are binary coercible both ways (bit's length rule aside).
  if (IsBitType(from) && IsBitType(to)) return true;
  // text, varchar and char(n) convert to each other implicitly (pg_cast: text and varchar are
  // binary coercible, char(n) to text drops its padding, rtrim1).
  return CategoryOf(from) == Category::kString && CategoryOf(to) == Category::kString;
}

const std::vector<Builtin>& AllBuiltins() {
  static const std::vector<Builtin> registry = BuildRegistry();
  return registry;
}

std::span<const Builtin* const> BuiltinsNamed(std::string_view name) {
  // Resolve runs for every function call each statement binds (CURRENT_TIMESTAMP in pgbench's
  // INSERT cost 3.5k instructions scanning the whole registry); the registry never changes.
  // Built after the registry it points into, so destroyed before it.
  static const std::unordered_map<std::string_view, std::vector<const Builtin*>> kByName = [] {
    std::unordered_map<std::string_view, std::vector<const Builtin*>> index;
    for (const Builtin& b : AllBuiltins()) index[b.name].push_back(&b);
    return index;
  }();
  auto it = kByName.find(name);
  if (it == kByName.end()) return {};
  return it->second;
}

Resolution Resolve(std::string_view name, std::span<const TypeId> args) {
  struct Candidate {
    const Builtin* fn;
    int exact = 0;
    int preferred = 0;
  };
  std::vector<Candidate> viable;
  for (const Builtin* named : BuiltinsNamed(name)) {
    const Builtin& b = *named;
    if (!Accepts(b, args.size())) continue;
    Candidate c{&b};
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok; ++i) {
      const TypeId param = ParamAt(b, i);
      if (param == TypeId::kAnyArray) {
        // anyarray takes arrays only (an untyped literal beside it goes to a text overload).
        if (args[i] == TypeId::kArray) {
          ++c.exact;
        } else {
          ok = args[i] == TypeId::kUnknown;  // read as the other array argument's type
        }
      } else if (param == TypeId::kAnyElement) {
        if (args[i] == TypeId::kArray) ok = false;
      } else if (args[i] == TypeId::kArray) {
        ok = param == TypeId::kUnknown;
        if (ok) ++c.exact;
      } else if (param == TypeId::kUnknown || args[i] == param) {
        ++c.exact;
      } else if (args[i] == TypeId::kUnknown) {
        // An untyped literal converts to whatever the parameter wants.
      } else if (ImplicitlyCastable(args[i], param)) {
        if (IsPreferred(param)) ++c.preferred;
      } else {
        ok = false;
      }
    }
    if (ok) viable.push_back(c);
  }
  if (viable.empty()) return {};
  if (viable.size() == 1) return {viable[0].fn, false};
  // Keep the candidates with the most exact matches, then the most preferred types where a
  // conversion is needed (PostgreSQL's func_select_candidate, steps 4.c and 4.d).
  auto keep_max = [&viable](auto score) {
    int best = -1;
    for (const Candidate& c : viable) best = std::max(best, score(c));
    std::erase_if(viable, [&](const Candidate& c) { return score(c) != best; });
  };
  keep_max([](const Candidate& c) { return c.exact; });
  if (viable.size() == 1) return {viable[0].fn, false};
  keep_max([](const Candidate& c) { return c.preferred; });
  if (viable.size() == 1) return {viable[0].fn, false};
  // Unknown literals (step 4.e): at each position where some candidate takes the string
  // category, keep only those; then prefer a preferred type there.
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] != TypeId::kUnknown) continue;
    const bool any_string = std::any_of(viable.begin(), viable.end(), [&](const Candidate& c) {
      return CategoryOf(ParamAt(*c.fn, i)) == Category::kString;
    });
    if (any_string) {
      std::erase_if(viable, [&](const Candidate& c) {
        return CategoryOf(ParamAt(*c.fn, i)) != Category::kString;
      });
    }
    const bool any_preferred = std::any_of(viable.begin(), viable.end(), [&](const Candidate& c) {
      return IsPreferred(ParamAt(*c.fn, i));
    });
    if (any_preferred) {
      std::erase_if(viable, [&](const Candidate& c) { return !IsPreferred(ParamAt(*c.fn, i)); });
    }
  }
  if (viable.size() == 1) return {viable[0].fn, false};
  return {nullptr, true};
}

}  // namespace sqlrite::engine::functions
