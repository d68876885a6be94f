#include "engine/expression.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <optional>
#include <span>
#include <utility>

#include "engine/analyze/grouping_sets.h"
#include "engine/catalog/reg_types.h"
#include "engine/catalog/system_source.h"
#include "engine/datetime_operators.h"
#include "engine/error_position.h"
#include "engine/explicit_collation.h"
#include "engine/functions/builtin.h"
#include "engine/numeric_rank.h"
#include "engine/params.h"
#include "engine/record_type.h"
#include "engine/row_value.h"
#include "engine/sql/internal_calls.h"
#include "engine/sql/operator_symbol.h"
#include "engine/types/array.h"
#include "engine/types/bit_string.h"
#include "engine/types/bpchar.h"
#include "engine/types/bytea.h"
#include "engine/types/datetime.h"
#include "engine/types/int2_array.h"
#include "engine/types/interval_typmod.h"
#include "engine/types/json.h"
#include "engine/types/numeric_math.h"
#include "engine/types/uuid.h"

namespace sqlrite::engine {
namespace {

using ast::BinaryOp;

constexpr const char* kOperatorHint =
    "No operator matches the given name and argument types. You might need to add explicit "
    "type casts.";
// A prefix operator has one argument type.
constexpr const char* kUnaryOperatorHint =
    "No operator matches the given name and argument type. You might need to add an explicit "
    "type cast.";
constexpr const char* kFunctionHint =
    "No function matches the given name and argument types. You might need to add explicit "
    "type casts.";

// version()'s text, in PostgreSQL's form ("PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on
// x86_64-pc-linux-gnu, compiled by gcc ..., 64-bit").
#if defined(__x86_64__)
constexpr std::string_view kVersionString =
    "PostgreSQL 15.0 (SQLRite) on x86_64-pc-linux-gnu, 64-bit";
#elif defined(__aarch64__)
constexpr std::string_view kVersionString =
    "PostgreSQL 15.0 (SQLRite) on aarch64-unknown-linux-gnu, 64-bit";
#else
constexpr std::string_view kVersionString = "PostgreSQL 15.0 (SQLRite)";
#endif

// Whether the binder must leave a step that reads the TimeZone unfolded: binding a plan that is
// kept across executions, which may run under another TimeZone.
bool KeepsZoneDependentSteps() {
  const ParamContext* params = CurrentParams();
  return params != nullptr && params->references;
}

BoundExpr Const(Datum value, SqlType type) {
  BoundExpr e;
  e.kind = ExprKind::kConst;
  e.type = type;
  e.value = std::move(value);
  return e;
}

// A constant that answers for arguments it never evaluates (pg_typeof(x), enum_first(x): only
// their type counts): the argument trees stay under it, never evaluated, so that the checks
// that walk the bound tree (the GROUP BY check, 42803; the columns a constraint, index or
// generated column depends on) see the columns they name, as PostgreSQL's tree keeps them.
BoundExpr ConstOver(Datum value, SqlType type, std::vector<BoundExpr> kept) {
  BoundExpr e = Const(std::move(value), type);
  e.args = std::move(kept);
  return e;
}

// The constant folded from constant arguments: the trees kept under them (ConstOver) stay
// under the result, so that folding pg_typeof(h)::text or pg_typeof(h) = 'int'::regtype does
// not hide h.
BoundExpr FoldedConst(Datum value, SqlType type, std::vector<BoundExpr> folded) {
  std::vector<BoundExpr> kept;
  for (BoundExpr& a : folded) {
    for (BoundExpr& k : a.args) kept.push_back(std::move(k));
  }
  return ConstOver(std::move(value), type, std::move(kept));
}

}  // namespace

void NoteParamType(const BoundExpr& e, SqlType to) {
  if (e.param <= 0 || e.type.id != TypeId::kUnknown) return;
  ParamContext* params = CurrentParams();
  if (params == nullptr || !params->describing()) return;
  SqlType& slot = params->types[static_cast<size_t>(e.param - 1)];
  if (slot.id == TypeId::kUnknown) slot = SqlType{to.id, -1, to.elem, to.enum_oid};
}

namespace {

SqlType T(TypeId id) { return SqlType{id, -1}; }

// The one enum type a cast node carries, as a lookup for CastDatum's ParseText.
class SingleEnumLookup : public EnumTypeLookup {
 public:
  explicit SingleEnumLookup(EnumTypePtr t) : t_(std::move(t)) {}
  EnumTypePtr FindEnum(uint32_t oid) const override { return oid == t_->oid ? t_ : nullptr; }
  EnumTypePtr FindType(std::string_view, std::string_view) const override { return nullptr; }

 private:
  EnumTypePtr t_;
};

// That lookup in scope on this thread.
class EnumLookupScope {
 public:
  explicit EnumLookupScope(EnumTypePtr t) : lookup_(std::move(t)), scope_(&lookup_) {}

 private:
  SingleEnumLookup lookup_;
  EnumScope scope_;
};

// float4 meets anything but float4 as float8: PostgreSQL's float48 operators and float8's
// preferred status pick float8 (real + 1 and real + 1.5 are double precision).
TypeId WiderNumeric(TypeId a, TypeId b) {
  if ((a == TypeId::kFloat4) != (b == TypeId::kFloat4) && NumericRank(a) > 0 &&
      NumericRank(b) > 0) {
    return TypeId::kFloat8;
  }
  return NumericRank(a) >= NumericRank(b) ? a : b;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

tl::unexpected<Error> BadInput(std::string_view type_name, std::string_view text) {
  return Fail(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type " +
                                                        std::string(type_name) + ": \"" +
                                                        std::string(text) + "\"");
}

tl::unexpected<Error> IntOutOfRange(TypeId id) {
  return Fail(sqlstate::kNumericValueOutOfRange, id == TypeId::kInt8   ? "bigint out of range"
                                                 : id == TypeId::kInt2 ? "smallint out of range"
                                                                       : "integer out of range");
}

bool InIntRange(int64_t v, TypeId id) {
  switch (id) {
    case TypeId::kInt2:
      return v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max();
    case TypeId::kInt4:
      return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
    default:
      return true;
  }
}

// The value of text when it is the plain shape of an integer, an optional '-' and 1 to 18
// decimal digits (so it cannot overflow int64); nullopt for anything else (blanks, '+', more
// digits, junk), which the general path parses or rejects. A COPY of integer columns spent
// ~260 instructions a value in the general path (trim with isspace, from_chars, an Error-typed
// range check); this is a tenth of that.
std::optional<int64_t> PlainInteger(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  const size_t begin = negative ? 1 : 0;
  const size_t digits = text.size() - begin;
  if (digits == 0 || digits > 18) return std::nullopt;
  int64_t v = 0;
  for (size_t i = begin; i < text.size(); ++i) {
    const auto d = static_cast<unsigned>(text[i] - '0');
    if (d > 9) return std::nullopt;
    v = v * 10 + static_cast<int64_t>(d);
  }
  return negative ? -v : v;
}

Status CheckIntRange(int64_t v, TypeId id) {
  if (id == TypeId::kInt4 &&
      (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())) {
    return IntOutOfRange(id);
  }
  if (id == TypeId::kInt2 &&
      (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max())) {
    return IntOutOfRange(id);
  }
  return Ok();
}

// float8 -> float4 (float84 / float4 arithmetic): 22003 when a finite value overflows float.
Result<double> ToFloat4(double v) {
  const auto f = static_cast<float>(v);
  if (std::isinf(f) && !std::isinf(v)) {
    return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  }
  if (f == 0 && v != 0) {
    return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
  }
  return double{f};
}

// numeric_float8 without its error: a value past double's range becomes an infinity (only
// comparisons of numeric with float8 use this; a cast reports the 22003).
double NumericAsDouble(const Numeric& n) {
  if (n.is_nan()) return std::numeric_limits<double>::quiet_NaN();
  if (n.is_infinite()) {
    return n.is_negative() ? -std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::infinity();
  }
  auto d = n.ToDouble();
  if (d) return *d;
  return n.is_negative() ? -std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::infinity();
}

double AsDouble(const Datum& d) {
  if (auto* i = std::get_if<int64_t>(&d)) return static_cast<double>(*i);
  if (auto* f = std::get_if<double>(&d)) return *f;
  if (auto* n = std::get_if<NumericRef>(&d)) return NumericAsDouble(**n);
  return 0;
}

// The value of an integer or numeric Datum as a Numeric (the binder casts an int operand of a
// numeric operator; this serves the places that compare without a cast, such as IN lists).
Numeric AsNumeric(const Datum& d) {
  if (auto* n = std::get_if<NumericRef>(&d)) return **n;
  if (auto* i = std::get_if<int64_t>(&d)) return Numeric::FromInt64(*i);
  return Numeric::FromDouble(AsDouble(d));
}

// numeric -> int4/int8 (numeric_int4 / numeric_int8): rounds half away from zero; the messages
// name the target type.
Result<int64_t> NumericToInt(const Numeric& n, TypeId to) {
  auto v = n.ToInt64();
  if (!v) {
    if (to != TypeId::kInt4) return Fail(std::move(v.error()));
    Error e = std::move(v.error());
    if (e.sqlstate == sqlstate::kNumericValueOutOfRange) return IntOutOfRange(to);
    const size_t at = e.message.find("bigint");
    if (at != std::string::npos) e.message.replace(at, 6, "integer");
    return Fail(std::move(e));
  }
  SQLRITE_TRY(CheckIntRange(*v, to));
  return *v;
}

// The length of s's longest prefix of at most max bytes that ends at a character boundary.
size_t Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s.size();
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// LIKE with % and _ and backslash escapes, bytewise (ILIKE folds ASCII case).
bool LikeMatch(std::string_view s, std::string_view p, bool fold) {
  auto eq = [fold](char a, char b) {
    if (!fold) return a == b;
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  size_t si = 0, pi = 0, star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '%') {
      star_p = pi++;
      star_s = si;
      continue;
    }
    if (pi < p.size()) {
      char pc = p[pi];
      size_t adv = 1;
      bool any = pc == '_';
      if (pc == '\\' && pi + 1 < p.size()) {
        pc = p[pi + 1];
        adv = 2;
        any = false;
      }
      if (any || eq(pc, s[si])) {
        pi += adv;
        ++si;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p + 1;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi == p.size();
}

// The common type of CASE results / COALESCE arguments, coercing unknown literals to it.
Result<SqlType> UnifyTypes(std::vector<BoundExpr*>& exprs, const std::vector<int>& locations,
                           const char* construct) {
  TypeId common = TypeId::kUnknown;
  SqlType common_array;  // when common is kArray: its type
  for (size_t i = 0; i < exprs.size(); ++i) {
    BoundExpr* e = exprs[i];
    TypeId t = e->type.id;
    if (t == TypeId::kUnknown) continue;
    if (t == TypeId::kArray || common == TypeId::kArray) {
      // Arrays match arrays whose elements match (int4[] beside int8[] is int8[]).
      const SqlType te = ElementOf(e->type), ce = ElementOf(common_array);
      if (common == TypeId::kUnknown) {
        common = t;
        common_array = e->type;
      } else if (t == common && te == ce) {
      } else if (t == common && IsNumericType(te.id) && IsNumericType(ce.id)) {
        common_array = ArrayOf(T(WiderNumeric(ce.id, te.id)));
      } else if (t == common && IsStringType(te.id) && IsStringType(ce.id)) {
        common_array = ArrayOf(T(TypeId::kText));
      } else {
        const SqlType ct = common == TypeId::kArray ? common_array : T(common);
        return Fail(Error(sqlstate::kDatatypeMismatch,
                          std::string(construct) + " types " + SqlTypeName(ct) + " and " +
                              SqlTypeName(e->type) + " cannot be matched")
                        .WithPosition(i < locations.size() ? ErrorPosition(locations[i]) : 0));
      }
      continue;
    }
    if (t == TypeId::kEnum || common == TypeId::kEnum) {
      // An enum matches only itself (select_common_type finds no other candidate).
      if (common == TypeId::kUnknown) {
        common = t;
        common_array = e->type;
      } else if (t == common && e->type.enum_oid != common_array.enum_oid) {
        // Two enums share a category: PostgreSQL picks the first and fails to convert the other.
        return Fail(Error(sqlstate::kCannotCoerce,
                          std::string(construct) + " could not convert type " +
                              SqlTypeName(e->type) + " to " + SqlTypeName(common_array))
                        .WithPosition(i < locations.size() ? ErrorPosition(locations[i]) : 0));
      } else if (t != common) {
        const SqlType ct = common == TypeId::kEnum ? common_array : T(common);
        return Fail(Error(sqlstate::kDatatypeMismatch,
                          std::string(construct) + " types " + SqlTypeName(ct) + " and " +
                              SqlTypeName(e->type) + " cannot be matched")
                        .WithPosition(i < locations.size() ? ErrorPosition(locations[i]) : 0));
      }
      continue;
    }
    if (t == TypeId::kRecord && (common == TypeId::kUnknown || common == TypeId::kRecord)) {
      // Records keep a table's row type when every one has it, else are plain record.
      if (common == TypeId::kUnknown) {
        common_array = e->type;
      } else if (common_array.enum_oid != e->type.enum_oid) {
        common_array = SqlType{TypeId::kRecord, -1};
      }
      common = TypeId::kRecord;
      continue;
    }
    if (common == TypeId::kUnknown) {
      common = t;
    } else if (IsNumericType(common) && IsNumericType(t)) {
      common = WiderNumeric(common, t);
    } else if (IsOidType(common) && (IsOidType(t) || IsIntegerType(t))) {
      // oid family: the first member's type (an integer beside it is cast to it).
    } else if (IsStringType(common) && IsStringType(t)) {
      // select_common_type stays on the first of text, varchar and char(n): they cast
      // implicitly to each other both ways, so no later one displaces it (COALESCE(varchar,
      // text) is varchar, COALESCE(text, varchar) text). name and "char" beside another make
      // text, as before.
      auto plain = [](TypeId id) {
        return id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kBpchar;
      };
      if (t != common && !(plain(t) && plain(common))) common = TypeId::kText;
    } else if (MomentRank(common) > 0 && MomentRank(t) > 0) {
      if (MomentRank(t) > MomentRank(common)) common = t;
    } else if (IsBitType(common) && IsBitType(t)) {
      if (t != common) common = TypeId::kVarbit;  // the bit-string category's preferred type
    } else if (common != t) {
      return Fail(Error(sqlstate::kDatatypeMismatch,
                        std::string(construct) + " types " + std::string(TypeName(common)) +
                            " and " + std::string(TypeName(t)) + " cannot be matched")
                      .WithPosition(i < locations.size() ? ErrorPosition(locations[i]) : 0));
    }
  }
  if (common == TypeId::kUnknown) common = TypeId::kText;
  SqlType result = common == TypeId::kArray || common == TypeId::kEnum || common == TypeId::kRecord
                       ? common_array
                       : T(common);
  for (BoundExpr* e : exprs) {
    NoteParamType(*e, result);
    if (e->type.id == result.id && e->type.elem == result.elem) continue;
    if (e->IsConst() &&
        !(KeepsZoneDependentSteps() && CastDependsOnTimeZone(e->type.id, result.id))) {
      if (!IsNull(e->value)) {
        SQLRITE_ASSIGN_OR_RETURN(e->value, CastDatum(e->value, e->type.id, result, false));
      }
      e->type = result;
    } else {
      BoundExpr cast;
      cast.kind = ExprKind::kCast;
      cast.type = result;
      cast.args.push_back(std::move(*e));
      *e = std::move(cast);
    }
  }
  // The typmod all of them share, else none (exprTypmod of a CaseExpr, CoalesceExpr, MinMaxExpr
  // or ArrayExpr): a coerced untyped literal has none. COALESCE's NULL constants do not count:
  // PostgreSQL's planner drops them before the result's type is read (COALESCE(NULL, n) keeps
  // n's numeric(3,1)).
  const bool coalesce = std::string_view(construct) == "COALESCE";
  std::optional<int32_t> typmod;
  bool shared = true;
  for (const BoundExpr* e : exprs) {
    if (coalesce && e->IsConst() && IsNull(e->value)) continue;
    if (!typmod) typmod = e->type.typmod;
    shared = shared && e->type.id == result.id && e->type.elem == result.elem &&
             e->type.enum_oid == result.enum_oid && e->type.typmod == *typmod;
  }
  if (shared && typmod && *typmod >= 0) result.typmod = *typmod;
  return result;
}

// Coerces an unknown-typed literal to `to`; a no-op for other expressions. The literal is read
// without `to`'s modifier, as PostgreSQL's operator and function resolution coerces an unknown to
// the bare type (typmod -1): h = '5' for an interval hour column compares with 5 seconds, and
// t = '10:00:00.4' for a timestamp(0) one keeps the .4. Only an assignment (CoerceForAssignment)
// or a cast of the literal itself reads it under the modifier.
Status CoerceUnknown(BoundExpr& e, SqlType to, int location) {
  if (e.type.id != TypeId::kUnknown) return Ok();
  to.typmod = -1;
  if (to.id == TypeId::kVarchar) to = T(TypeId::kText);
  if (to.id == TypeId::kBpchar) to = T(TypeId::kBpchar);  // a literal keeps its own length
  if (IsBitType(to.id)) to = T(to.id);
  NoteParamType(e, to);
  if (e.IsConst() && !IsNull(e.value)) {
    auto v = ParseText(DatumAs<std::string>(e.value), to);
    if (!v) {
      return Fail(std::move(v.error()).WithPosition(
          ErrorPosition(e.location >= 0 ? e.location : location)));
    }
    e.value = std::move(*v);
  }
  e.type = to;
  return Ok();
}

// A constant-folded node when every argument is constant and evaluation cannot fail.
Result<BoundExpr> MaybeFold(BoundExpr e) {
  for (const BoundExpr& a : e.args) {
    if (!a.IsConst()) return e;
  }
  if (e.kind == ExprKind::kConst || e.kind == ExprKind::kAggRef || e.kind == ExprKind::kSubquery ||
      e.kind == ExprKind::kWindowRef || e.kind == ExprKind::kSetRef) {
    return e;
  }
  if (KeepsZoneDependentSteps() && DependsOnTimeZone(e)) return e;
  Result<Datum> v = Eval(e, EvalContext{});
  if (!v) {
    // Describing a prepared statement (at Parse) reports no evaluation error: PostgreSQL folds
    // constants when it plans, at Bind or Execute, and the error comes then.
    const ParamContext* params = CurrentParams();
    if (params != nullptr && params->describing()) return e;
    return Fail(std::move(v.error()));
  }
  return FoldedConst(std::move(*v), e.type, std::move(e.args));
}

// Casts e to `to` (folded when e is a constant): the implicit casts PostgreSQL's operator
// resolution adds, int -> numeric for int op numeric and int/numeric -> float8 for an operator
// with a float8 side, so the operator sees one representation.
Status CastTo(BoundExpr& e, SqlType to) {
  if (e.type.id == to.id && e.type.elem == to.elem) return Ok();
  if (e.IsConst() && !(KeepsZoneDependentSteps() && CastDependsOnTimeZone(e.type.id, to.id))) {
    if (!IsNull(e.value)) {
      SQLRITE_ASSIGN_OR_RETURN(e.value, CastDatum(e.value, e.type.id, to, false));
    }
    e.type = to;
    return Ok();
  }
  BoundExpr cast;
  cast.kind = ExprKind::kCast;
  cast.type = to;
  cast.args.push_back(std::move(e));
  e = std::move(cast);
  return Ok();
}

// How many kCast nodes stack at the top of e (x::int::text: 2).
int CastLayers(const BoundExpr& e) {
  int n = 0;
  for (const BoundExpr* at = &e; at->kind == ExprKind::kCast && at->args.size() == 1;
       at = &at->args[0]) {
    ++n;
  }
  return n;
}

// Both sides of a numeric operator as the wider of their types, when that is numeric or float8
// (int4 and int8 share a representation and need no cast).
Status PromoteOperands(BoundExpr& l, BoundExpr& r) {
  if (!IsNumericType(l.type.id) || !IsNumericType(r.type.id) || l.type.id == r.type.id) {
    return Ok();
  }
  const TypeId wider = WiderNumeric(l.type.id, r.type.id);
  if (IsIntegerType(wider)) return Ok();
  SQLRITE_TRY(CastTo(l, T(wider)));
  return CastTo(r, T(wider));
}

}  // namespace

Status CoerceUnknownTo(BoundExpr& e, SqlType to, int location) {
  return CoerceUnknown(e, to, location);
}
Status CastImplicitly(BoundExpr& e, SqlType to) { return CastTo(e, to); }

bool IsNumericType(TypeId id) { return NumericRank(id) > 0; }
bool IsIntegerType(TypeId id) {
  return id == TypeId::kInt2 || id == TypeId::kInt4 || id == TypeId::kInt8;
}
bool IsStringType(TypeId id) {
  return id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kBpchar ||
         id == TypeId::kUnknown || id == TypeId::kName || id == TypeId::kChar;
}

std::string_view TypeInternalName(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return "bool";
    case TypeId::kInt2:
      return "int2";
    case TypeId::kInt4:
      return "int4";
    case TypeId::kFloat4:
      return "float4";
    case TypeId::kInt8:
      return "int8";
    case TypeId::kFloat8:
      return "float8";
    case TypeId::kNumeric:
      return "numeric";
    case TypeId::kArray:
      return "array";
    case TypeId::kAnyArray:
      return "anyarray";
    case TypeId::kAnyElement:
      return "anyelement";
    case TypeId::kEnum:
      return "anyenum";
    case TypeId::kText:
      return "text";
    case TypeId::kVarchar:
      return "varchar";
    case TypeId::kBpchar:
      return "bpchar";
    case TypeId::kBytea:
      return "bytea";
    case TypeId::kUuid:
      return "uuid";
    case TypeId::kRegtype:
      return "regtype";
    case TypeId::kOid:
      return "oid";
    case TypeId::kRegclass:
      return "regclass";
    case TypeId::kRegproc:
      return "regproc";
    case TypeId::kRegnamespace:
      return "regnamespace";
    case TypeId::kRegrole:
      return "regrole";
    case TypeId::kName:
      return "name";
    case TypeId::kChar:
      return "char";
    case TypeId::kInt2Array:
      return "_int2";
    case TypeId::kInt2Vector:
      return "int2vector";
    case TypeId::kRecord:
      return "record";
    case TypeId::kNameArray:
      return "_name";
    case TypeId::kDate:
      return "date";
    case TypeId::kTime:
      return "time";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kTimestampTz:
      return "timestamptz";
    case TypeId::kInterval:
      return "interval";
    case TypeId::kJson:
      return "json";
    case TypeId::kJsonb:
      return "jsonb";
    case TypeId::kBit:
      return "bit";
    case TypeId::kVarbit:
      return "varbit";
    case TypeId::kVoid:
      return "void";
    case TypeId::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string TypeDisplayName(SqlType type) {
  if (type.id == TypeId::kArray) return TypeDisplayName(ElementOf(type)) + "[]";
  if (type.id == TypeId::kEnum) return EnumTypeName(type.enum_oid);
  std::string name(TypeName(type.id));
  if ((type.id == TypeId::kVarchar || type.id == TypeId::kBpchar) && type.typmod >= 4) {
    name += "(" + std::to_string(type.typmod - 4) + ")";
  }
  if (IsBitType(type.id) && type.typmod > 0) name += "(" + std::to_string(type.typmod) + ")";
  return name;
}

int CompareDatums(const Datum& a, const Datum& b) {
  size_t ia = a.index(), ib = b.index();
  if (ia == 2 && ib == 2) {
    int64_t x = DatumAs<int64_t>(a), y = DatumAs<int64_t>(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if ((ia == 2 || ia == 3) && (ib == 2 || ib == 3)) {
    double x = AsDouble(a), y = AsDouble(b);
    // NaN sorts above every other value, as in PostgreSQL.
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (ia == 4 && ib == 4) {
    int c = DatumAs<std::string>(a).compare(DatumAs<std::string>(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (ia == 5 && ib == 5) {
    int c = Numeric::Compare(*DatumAs<NumericRef>(a), *DatumAs<NumericRef>(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if ((ia == 5 && ib == 2) || (ia == 2 && ib == 5)) {
    int c = Numeric::Compare(AsNumeric(a), AsNumeric(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if ((ia == 5 && ib == 3) || (ia == 3 && ib == 5)) {  // numeric op float8 is float8's
    double x = AsDouble(a), y = AsDouble(b);
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (ia == 1 && ib == 1) return int{DatumAs<bool>(a)} - int{DatumAs<bool>(b)};
  if (ia == 6 && ib == 6) return interval::Compare(DatumAs<Interval>(a), DatumAs<Interval>(b));
  if (ia == 7 && ib == 7) return CompareArrays(*DatumAs<ArrayRef>(a), *DatumAs<ArrayRef>(b));
  return static_cast<int>(ia) - static_cast<int>(ib);
}

int CompareArrays(const ArrayValue& a, const ArrayValue& b) {
  // array_cmp: element by element (a NULL element above any value, two NULLs equal), then the
  // shorter array first, then the lower bound.
  const size_t n = std::min(a.items.size(), b.items.size());
  for (size_t i = 0; i < n; ++i) {
    const bool na = IsNull(a.items[i]), nb = IsNull(b.items[i]);
    if (na || nb) {
      if (na != nb) return na ? 1 : -1;
      continue;
    }
    const int c = CompareDatums(a.items[i], b.items[i]);
    if (c != 0) return c;
  }
  if (a.items.size() != b.items.size()) return a.items.size() < b.items.size() ? -1 : 1;
  if (a.items.empty()) return 0;
  return a.lower < b.lower ? -1 : (a.lower > b.lower ? 1 : 0);
}

namespace {

// PostgreSQL's AdjustTimestampForTypmod / AdjustTimeForTypmod / AdjustIntervalForTypmod: a
// timestamp, timestamptz or time of precision p (its typmod) has its microseconds rounded half
// away from zero to p fractional digits (the infinities and a typmod of none (-1) or of 6 keep
// the value); an interval is cut to its typmod's fields and precision (interval::ApplyTypmod).
Datum RoundDateTime(Datum value, const SqlType& type) {
  if (type.typmod < 0) return value;
  static constexpr int64_t kScales[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
  auto round = [](int64_t us, int32_t p) {
    const int64_t scale = kScales[p], offset = scale / 2;
    return us >= 0 ? ((us + offset) / scale) * scale : -(((-us + offset) / scale) * scale);
  };
  switch (type.id) {
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime: {
      auto* us = std::get_if<int64_t>(&value);
      if (us == nullptr || type.typmod >= 6 || *us == INT64_MIN || *us == INT64_MAX) break;
      *us = round(*us, type.typmod);
      break;
    }
    case TypeId::kInterval:
      if (auto* iv = std::get_if<Interval>(&value)) *iv = interval::ApplyTypmod(*iv, type.typmod);
      break;
    default:
      break;
  }
  return value;
}

}  // namespace

Result<Datum> ParseText(std::string_view text, SqlType type) {
  if (type.id == TypeId::kEnum) {
    EnumTypePtr t = CurrentEnumType(type.enum_oid);
    if (t == nullptr) {
      return Fail(sqlstate::kUndefinedObject,
                  "type with OID " + std::to_string(type.enum_oid) + " does not exist");
    }
    return ParseEnum(text, *t);
  }
  switch (type.id) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: {
      if (auto v = PlainInteger(text); v && InIntRange(*v, type.id)) return Datum(*v);
      std::string_view s = Trim(text);
      std::string_view digits = s;
      if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
      int64_t v = 0;
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (digits.empty() || r.ptr != digits.data() + digits.size() ||
          (r.ec != std::errc() && r.ec != std::errc::result_out_of_range)) {
        return BadInput(TypeName(type.id), text);
      }
      if (r.ec == std::errc::result_out_of_range || !CheckIntRange(v, type.id)) {
        return Fail(sqlstate::kNumericValueOutOfRange, "value \"" + std::string(text) +
                                                           "\" is out of range for type " +
                                                           std::string(TypeName(type.id)));
      }
      return Datum(v);
    }
    case TypeId::kNumeric: {
      SQLRITE_ASSIGN_OR_RETURN(Numeric n, Numeric::Parse(text, type.typmod));
      return NumericDatum(std::move(n));
    }
    case TypeId::kFloat4:
    case TypeId::kFloat8: {
      std::string s(Trim(text));
      std::string lower;
      for (char c : s)
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (lower == "nan") return Datum(std::numeric_limits<double>::quiet_NaN());
      if (lower == "infinity" || lower == "+infinity" || lower == "inf" || lower == "+inf") {
        return Datum(std::numeric_limits<double>::infinity());
      }
      if (lower == "-infinity" || lower == "-inf") {
        return Datum(-std::numeric_limits<double>::infinity());
      }
      if (s.empty() || std::isspace(static_cast<unsigned char>(s[0])) ||
          lower.find_first_of("xpn") != std::string::npos) {
        return BadInput(TypeName(type.id), text);
      }
      errno = 0;
      char* end = nullptr;
      double v = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size()) return BadInput(TypeName(type.id), text);
      // float8in: an overflow and an underflow to zero are errors; a denormal result is not.
      if (errno == ERANGE && (std::isinf(v) || v == 0)) {
        return Fail(sqlstate::kNumericValueOutOfRange,
                    "\"" + s + "\" is out of range for type " + std::string(TypeName(type.id)));
      }
      if (type.id == TypeId::kFloat4) {
        const auto f = static_cast<float>(v);
        if ((std::isinf(f) && !std::isinf(v)) || (f == 0 && v != 0)) {
          return Fail(sqlstate::kNumericValueOutOfRange,
                      "\"" + s + "\" is out of range for type real");
        }
        return Datum(double{f});
      }
      return Datum(v);
    }
    case TypeId::kBool: {
      std::string s;
      for (char c : Trim(text))
        s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      auto prefix_of = [&s](std::string_view word) {
        return !s.empty() && word.substr(0, s.size()) == s;
      };
      if (s == "1" || prefix_of("true") || prefix_of("yes") || s == "on") return Datum(true);
      if (s == "0" || prefix_of("false") || prefix_of("no") || s == "of" || s == "off") {
        return Datum(false);
      }
      return BadInput("boolean", text);
    }
    case TypeId::kVarchar:
    case TypeId::kBpchar: {
      if (type.typmod < 4) return Datum(std::string(text));
      const auto n = static_cast<size_t>(type.typmod - 4);
      // The type's name only for the error, which needs more bytes than n characters: building
      // it for every value was 5% of a COPY FROM of pgbench's accounts (callgrind).
      SQLRITE_ASSIGN_OR_RETURN(
          std::string s,
          bpchar::FitLength(std::string(text), n, type.id == TypeId::kBpchar, false,
                            text.size() > n ? TypeDisplayName(type) : std::string()));
      return Datum(std::move(s));
    }
    case TypeId::kBytea: {
      SQLRITE_ASSIGN_OR_RETURN(std::string b, bytea::Parse(text));
      return Datum(std::move(b));
    }
    case TypeId::kUuid: {
      SQLRITE_ASSIGN_OR_RETURN(std::string u, uuid::Parse(text));
      return Datum(std::move(u));
    }
    case TypeId::kVoid:  // void_in: any text, no value
      return Datum(std::string());
    case TypeId::kBit:
    case TypeId::kVarbit: {
      SQLRITE_ASSIGN_OR_RETURN(std::string b, bit_string::Parse(text, type.id, type.typmod));
      return Datum(std::move(b));
    }
    case TypeId::kDate: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, datetime::ParseDate(text));
      return Datum(v);
    }
    case TypeId::kTime: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, datetime::ParseTime(text));
      return RoundDateTime(Datum(v), type);
    }
    case TypeId::kTimestamp: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, datetime::ParseTimestamp(text));
      return RoundDateTime(Datum(v), type);
    }
    case TypeId::kTimestampTz: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, datetime::ParseTimestampTz(text));
      return RoundDateTime(Datum(v), type);
    }
    case TypeId::kInterval: {
      SQLRITE_ASSIGN_OR_RETURN(Interval v,
                               interval::ParseInRange(text, interval::TypmodRange(type.typmod)));
      return RoundDateTime(Datum(v), type);
    }
    case TypeId::kJson:
      SQLRITE_TRY(json::Validate(text));
      return Datum(std::string(text));
    case TypeId::kJsonb: {
      SQLRITE_ASSIGN_OR_RETURN(json::Value v, json::Parse(text, true));
      return Datum(json::ToText(v));
    }
    case TypeId::kRegtype: {
      std::string_view name = Trim(text);
      // A name qualified with pg_catalog, each part maybe double-quoted as quote_ident writes it
      // ('"pg_catalog"."int4"': TypeORM builds it from information_schema.columns' udt_*).
      std::string unquoted;
      if (name.find('"') != std::string_view::npos || name.find('.') != std::string_view::npos) {
        std::string_view rest = name;
        std::vector<std::string> parts;
        while (!rest.empty()) {
          std::string part;
          if (rest.front() == '"') {
            size_t end = rest.find('"', 1);
            if (end == std::string_view::npos) break;
            part = std::string(rest.substr(1, end - 1));
            rest.remove_prefix(end + 1);
          } else {
            size_t end = rest.find('.');
            part = std::string(rest.substr(0, end));
            rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
          }
          parts.push_back(std::move(part));
          if (!rest.empty() && rest.front() == '.') rest.remove_prefix(1);
        }
        if (parts.size() == 1 || (parts.size() == 2 && parts[0] == "pg_catalog")) {
          unquoted = parts.back();
          name = unquoted;
        }
      }
      // An array type by its element's name and brackets (integer[], int4[]) or as _int4.
      std::string_view element = name;
      const bool is_array = element.ends_with("[]");
      if (is_array) element.remove_suffix(2);
      for (int i = 1; i <= static_cast<int>(TypeId::kLastTypeId); ++i) {
        const auto id = static_cast<TypeId>(i);
        // void has no array type.
        if (!IsStoredScalarType(id) && (id != TypeId::kVoid || is_array)) continue;
        if (element == TypeName(id) || element == TypeInternalName(id)) {
          return Datum(int64_t{is_array ? ArrayTypeOid(id) : RegtypeOid(id)});
        }
        if (!is_array && id != TypeId::kVoid && name.starts_with('_') &&
            name.substr(1) == TypeInternalName(id)) {
          return Datum(int64_t{ArrayTypeOid(id)});
        }
      }
      // An enum type (or its array type) of the statement's catalog.
      std::string key(element.starts_with('_') && !is_array ? element.substr(1) : element);
      if (size_t dot = key.find('.'); dot != std::string::npos) key[dot] = '\0';
      if (Result<EnumTypePtr> t = ResolveEnumType(key, 0)) {
        const bool array = is_array || element.starts_with('_');
        return Datum(int64_t{array ? (*t)->array_oid() : (*t)->oid});
      }
      return Fail(sqlstate::kUndefinedObject, "type \"" + std::string(name) + "\" does not exist");
    }
    case TypeId::kOid: {
      // oidin: an unsigned 32-bit number; a negative one down to INT32_MIN wraps, as PostgreSQL.
      std::string_view s = Trim(text);
      int64_t v = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || r.ptr != s.data() + s.size() ||
          (r.ec != std::errc() && r.ec != std::errc::result_out_of_range)) {
        return BadInput("oid", text);
      }
      if (r.ec == std::errc::result_out_of_range || v < INT32_MIN || v > UINT32_MAX) {
        return Fail(sqlstate::kNumericValueOutOfRange,
                    "value \"" + std::string(text) + "\" is out of range for type oid");
      }
      return Datum(v < 0 ? v + (int64_t{1} << 32) : v);
    }
    case TypeId::kRegclass:
    case TypeId::kRegproc:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole: {
      SQLRITE_ASSIGN_OR_RETURN(int64_t v, catalog::RegInput(type.id, text));
      return Datum(v);
    }
    case TypeId::kName:
      // namein: at most NAMEDATALEN - 1 bytes, cut at a character boundary.
      return Datum(std::string(text.substr(0, Utf8Prefix(text, 63))));
    case TypeId::kChar: {
      // charin: \ooo is that byte (what charout prints for one with the high bit set);
      // otherwise the first byte (none for '').
      auto octal = [](char c) { return c >= '0' && c <= '7'; };
      if (text.size() == 4 && text[0] == '\\' && text[1] >= '0' && text[1] <= '3' &&
          octal(text[2]) && octal(text[3])) {
        const int byte = ((text[1] - '0') << 6) | ((text[2] - '0') << 3) | (text[3] - '0');
        return Datum(byte == 0 ? std::string() : std::string(1, static_cast<char>(byte)));
      }
      return Datum(std::string(text.substr(0, text.empty() ? 0 : 1)));
    }
    case TypeId::kInt2Array: {
      SQLRITE_ASSIGN_OR_RETURN(std::string v, int2_array::ParseInt2Array(text));
      return Datum(std::move(v));
    }
    case TypeId::kInt2Vector: {
      SQLRITE_ASSIGN_OR_RETURN(std::string v, int2_array::ParseInt2Vector(text));
      return Datum(std::move(v));
    }
    case TypeId::kRecord:
      return Fail(sqlstate::kFeatureNotSupported,
                  "input of anonymous composite types is not implemented");
    case TypeId::kNameArray: {
      SQLRITE_ASSIGN_OR_RETURN(std::string v, int2_array::ParseNameArray(text));
      return Datum(std::move(v));
    }
    case TypeId::kArray: {
      SQLRITE_ASSIGN_OR_RETURN(array::ParsedText parsed, array::ParseText(text));
      const SqlType element = ElementOf(type);
      std::vector<Datum> items;
      items.reserve(parsed.elements.size());
      for (std::optional<std::string>& e : parsed.elements) {
        if (!e) {
          items.emplace_back();
          continue;
        }
        if (element.id == TypeId::kInterval) {
          // PostgreSQL reads an interval array's elements with no typmod (only a lone interval
          // is read under its fields) and then cuts each to the typmod: '{5}'::interval hour[]
          // is {00:00:00}, where interval '5' hour is 05:00:00.
          SQLRITE_ASSIGN_OR_RETURN(Datum v, ParseText(*e, SqlType{TypeId::kInterval}));
          items.push_back(RoundDateTime(std::move(v), element));
          continue;
        }
        SQLRITE_ASSIGN_OR_RETURN(Datum v, ParseText(*e, element));
        items.push_back(std::move(v));
      }
      return ArrayDatum(type.elem, std::move(items), parsed.lower);
    }
    case TypeId::kAnyArray:
    case TypeId::kAnyElement:
    case TypeId::kEnum:  // handled above
    case TypeId::kText:
    case TypeId::kUnknown:
      return Datum(std::string(text));
  }
  return Datum(std::string(text));
}

namespace {

// The text a cast to text, varchar or char(n) starts from: bool as "true"/"false" (booltext),
// char(n) without its padding (rtrim1), other non-string types through their output function.
std::string CastSourceText(const Datum& value, TypeId from) {
  if (from == TypeId::kBool) return DatumAs<bool>(value) ? "true" : "false";
  if (from == TypeId::kBpchar) return std::string(bpchar::Stripped(DatumAs<std::string>(value)));
  if (IsOidType(from) && from != TypeId::kOid && value.index() == 2) {
    return catalog::RegOutput(from, DatumAs<int64_t>(value));
  }
  if (value.index() == 4 && IsStringType(from)) return DatumAs<std::string>(value);
  if (from == TypeId::kEnum) return std::string(EnumLabelOf(DatumAs<std::string>(value)));
  return FormatText(value, from);
}

}  // namespace

Result<Datum> CastDatum(const Datum& value, TypeId from, SqlType to, bool explicit_cast) {
  if (IsNull(value)) return value;
  if (from == TypeId::kJsonb && (IsNumericType(to.id) || to.id == TypeId::kBool)) {
    // jsonb's casts to numbers and boolean take a scalar of that kind only.
    SQLRITE_ASSIGN_OR_RETURN(json::Value v, json::FromJsonb(DatumAs<std::string>(value)));
    const bool want_bool = to.id == TypeId::kBool;
    if (v.kind != (want_bool ? json::Value::Kind::kBool : json::Value::Kind::kNumber)) {
      const std::string_view kind =
          v.kind == json::Value::Kind::kNumber ? "numeric" : json::TypeName(v);
      return Fail(sqlstate::kInvalidParameterValue, "cannot cast jsonb " + std::string(kind) +
                                                        " to type " + std::string(TypeName(to.id)));
    }
    if (want_bool) return Datum(v.boolean);
    SQLRITE_ASSIGN_OR_RETURN(Numeric n, Numeric::Parse(v.text));
    return CastDatum(NumericDatum(std::move(n)), TypeId::kNumeric, to, explicit_cast);
  }
  // integer <-> "char" (i4tochar, chartoi4): the byte's signed value, not its text.
  if (from == TypeId::kInt4 && to.id == TypeId::kChar) {
    const int64_t v = DatumAs<int64_t>(value);
    if (v < -128 || v > 127)
      return Fail(sqlstate::kNumericValueOutOfRange, "\"char\" out of range");
    return Datum(v == 0 ? std::string() : std::string(1, static_cast<char>(v)));
  }
  if (from == TypeId::kChar && to.id == TypeId::kInt4) {
    const std::string& c = DatumAs<std::string>(value);
    return Datum(static_cast<int64_t>(c.empty() ? 0 : static_cast<signed char>(c[0])));
  }
  if (IsBitType(from) && IsIntegerType(to.id)) {  // bittoint4, bittoint8
    SQLRITE_ASSIGN_OR_RETURN(int64_t v, bit_string::ToInt(DatumAs<std::string>(value),
                                                          to.id == TypeId::kInt8 ? 64 : 32));
    return Datum(v);
  }
  switch (to.id) {
    case TypeId::kBit:
    case TypeId::kVarbit: {
      std::string out;
      if (IsBitType(from)) {
        SQLRITE_ASSIGN_OR_RETURN(
            out, bit_string::Cast(DatumAs<std::string>(value), to.id, to.typmod, explicit_cast));
      } else if (const auto* i = std::get_if<int64_t>(&value);
                 i != nullptr && IsIntegerType(from)) {
        out = bit_string::FromInt(*i, to.typmod);  // bitfromint4, bitfromint8
      } else {
        SQLRITE_ASSIGN_OR_RETURN(bit_string::Bits b,
                                 bit_string::ParseBits(CastSourceText(value, from)));
        SQLRITE_ASSIGN_OR_RETURN(b, bit_string::Fit(std::move(b), to.id, to.typmod, explicit_cast));
        out = bit_string::Encode(b);
      }
      return Datum(std::move(out));
    }
    case TypeId::kEnum:
      if (from == TypeId::kEnum) return value;  // the binder allows only the same enum
      return ParseText(CastSourceText(value, from), to);
    case TypeId::kArray: {
      const auto* a = std::get_if<ArrayRef>(&value);
      if (a == nullptr) return ParseText(CastSourceText(value, from), to);
      // array -> array: each element through its own cast (array_coerce).
      const ArrayValue& v = **a;
      if (v.elem == to.elem && to.typmod < 0) return value;
      std::vector<Datum> items;
      items.reserve(v.items.size());
      for (const Datum& item : v.items) {
        SQLRITE_ASSIGN_OR_RETURN(Datum c, CastDatum(item, v.elem, ElementOf(to), explicit_cast));
        items.push_back(std::move(c));
      }
      return ArrayDatum(to.elem, std::move(items), v.lower);
    }
    case TypeId::kVoid:  // void_in: whatever the text, no value
      return Datum(std::string());
    case TypeId::kAnyArray:
    case TypeId::kAnyElement:
    case TypeId::kText:
    case TypeId::kUnknown:
      if (value.index() == 4 && IsStringType(from) && from != TypeId::kBpchar) return value;
      return Datum(CastSourceText(value, from));
    case TypeId::kVarchar:
    case TypeId::kBpchar: {
      // char(n) -> char(n) keeps the padding (bpchar() pads or cuts it).
      std::string s = from == TypeId::kBpchar && to.id == TypeId::kBpchar
                          ? DatumAs<std::string>(value)
                          : CastSourceText(value, from);
      if (to.typmod < 4) return Datum(std::move(s));
      SQLRITE_ASSIGN_OR_RETURN(
          s, bpchar::FitLength(std::move(s), static_cast<size_t>(to.typmod - 4),
                               to.id == TypeId::kBpchar, explicit_cast, TypeDisplayName(to)));
      return Datum(std::move(s));
    }
    case TypeId::kBytea:
    case TypeId::kUuid:
    case TypeId::kName:
    case TypeId::kChar:
    case TypeId::kInt2Vector:
      if (from == to.id) return value;
      return ParseText(CastSourceText(value, from), to);
    case TypeId::kRecord:
    case TypeId::kNameArray:
      if (from == to.id) return value;
      return ParseText(CastSourceText(value, from), to);
    case TypeId::kJson:
    case TypeId::kJsonb:
      // jsonb -> json keeps jsonb's text; json -> jsonb normalizes it; other types through
      // their text (to_json's forms are the functions', not these casts).
      if (from == to.id || (from == TypeId::kJsonb && to.id == TypeId::kJson)) return value;
      return ParseText(CastSourceText(value, from), to);
    case TypeId::kInt2Array:
      if (from == to.id) return value;
      // int2vector is binary coercible to smallint[] (its subscripts keep starting at 0).
      if (from == TypeId::kInt2Vector) {
        return Datum(int2_array::VectorToArray(DatumAs<std::string>(value)));
      }
      return ParseText(CastSourceText(value, from), to);
    case TypeId::kRegtype:
    case TypeId::kOid:
    case TypeId::kRegclass:
    case TypeId::kRegproc:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
      // The oid family shares one representation: between its members and from an integer the
      // value is kept (int4/int8 -> oid as PostgreSQL's casts, which check the range).
      if (auto* i = std::get_if<int64_t>(&value);
          i != nullptr && from != TypeId::kUnknown && !IsStringType(from)) {
        if (*i < INT32_MIN || *i > UINT32_MAX) {
          return Fail(sqlstate::kNumericValueOutOfRange, "OID out of range");
        }
        return Datum(*i < 0 ? *i + (int64_t{1} << 32) : *i);
      }
      return ParseText(CastSourceText(value, from), to);
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: {
      if (auto* s = std::get_if<std::string>(&value)) return ParseText(*s, to);
      if (auto* b = std::get_if<bool>(&value)) return Datum(int64_t{*b});
      if (auto* i = std::get_if<int64_t>(&value)) {
        SQLRITE_TRY(CheckIntRange(*i, to.id));
        return value;
      }
      if (auto* n = std::get_if<NumericRef>(&value)) {
        SQLRITE_ASSIGN_OR_RETURN(int64_t v, NumericToInt(**n, to.id));
        return Datum(v);
      }
      double d = DatumAs<double>(value);
      // float8 rounds half to even (rint).
      double r = std::nearbyint(d);
      if (std::isnan(r) || r < -9223372036854775808.0 || r >= 9223372036854775808.0) {
        return IntOutOfRange(to.id);
      }
      auto v = static_cast<int64_t>(r);
      SQLRITE_TRY(CheckIntRange(v, to.id));
      return Datum(v);
    }
    case TypeId::kFloat8:
      if (auto* s = std::get_if<std::string>(&value)) return ParseText(*s, to);
      if (auto* b = std::get_if<bool>(&value)) return Datum(*b ? 1.0 : 0.0);
      if (auto* n = std::get_if<NumericRef>(&value)) {
        SQLRITE_ASSIGN_OR_RETURN(double d, (*n)->ToDouble());
        return Datum(d);
      }
      return Datum(AsDouble(value));
    case TypeId::kFloat4: {
      if (auto* s = std::get_if<std::string>(&value)) return ParseText(*s, to);
      if (auto* n = std::get_if<NumericRef>(&value)) {  // numeric_float4: through the text form
        return ParseText((*n)->ToString(), to);
      }
      if (auto* i = std::get_if<int64_t>(&value)) {
        return Datum(double{static_cast<float>(*i)});
      }
      SQLRITE_ASSIGN_OR_RETURN(double f, ToFloat4(AsDouble(value)));
      return Datum(f);
    }
    case TypeId::kNumeric: {
      if (auto* s = std::get_if<std::string>(&value)) return ParseText(*s, to);
      if (auto* n = std::get_if<NumericRef>(&value)) {
        if (to.typmod < 0) return value;
        SQLRITE_ASSIGN_OR_RETURN(Numeric r, (*n)->ApplyTypmod(to.typmod));
        return NumericDatum(std::move(r));
      }
      Numeric n;
      if (auto* i = std::get_if<int64_t>(&value)) {
        n = Numeric::FromInt64(*i);
      } else if (auto* b = std::get_if<bool>(&value)) {
        n = Numeric::FromInt64(*b ? 1 : 0);
      } else {
        n = Numeric::FromDouble(DatumAs<double>(value));
      }
      if (to.typmod >= 0) {
        SQLRITE_ASSIGN_OR_RETURN(n, n.ApplyTypmod(to.typmod));
      }
      return NumericDatum(std::move(n));
    }
    case TypeId::kBool:
      if (auto* s = std::get_if<std::string>(&value)) return ParseText(*s, to);
      if (auto* i = std::get_if<int64_t>(&value)) return Datum(*i != 0);
      return value;
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval: {
      if (auto* s = std::get_if<std::string>(&value)) {
        const std::string text = from == TypeId::kBpchar ? std::string(bpchar::Stripped(*s)) : *s;
        if (to.id == TypeId::kInterval && from != TypeId::kUnknown && to.typmod >= 0) {
          // A text value becomes an interval as PostgreSQL's text-to-interval cast does: read
          // whole (interval_in with typmod -1), then cut to the fields (interval_scale), so
          // '5'::text::interval hour is 00:00:00. Only a literal is read under the fields.
          SQLRITE_ASSIGN_OR_RETURN(Datum v, ParseText(text, SqlType{TypeId::kInterval}));
          return RoundDateTime(std::move(v), to);
        }
        return ParseText(text, to);
      }
      SQLRITE_ASSIGN_OR_RETURN(Datum v, CastDateTime(value, from, to.id));
      return RoundDateTime(std::move(v), to);
    }
  }
  return value;
}

Result<BoundExpr> CoerceForAssignment(BoundExpr expr, SqlType to, std::string_view column,
                                      int location) {
  TypeId from = expr.type.id;
  if (from == TypeId::kUnknown) {
    NoteParamType(expr, to);
    // A string literal stored as text is already its value: no copy (it may be 50 MB).
    const bool as_is = to.id == TypeId::kText || to.id == TypeId::kUnknown;
    if (expr.IsConst() && !IsNull(expr.value) && !as_is) {
      auto v = ParseText(DatumAs<std::string>(expr.value), to);
      if (!v) {
        Error e = std::move(v.error());
        if (e.sqlstate == sqlstate::kInvalidTextRepresentation)
          e.position = ErrorPosition(location);
        return Fail(std::move(e));
      }
      expr.value = std::move(*v);
    }
    expr.type = to;
    return expr;
  }
  // Arrays assign as their elements do (text[] to varchar[], int4[] to int8[]).
  const TypeId from_element = from == TypeId::kArray ? expr.type.elem : from;
  const TypeId to_element = to.id == TypeId::kArray ? to.elem : to.id;
  bool ok =
      (from == TypeId::kArray) == (to.id == TypeId::kArray) &&
      ((IsNumericType(from_element) && IsNumericType(to_element)) || IsStringType(to_element) ||
       from_element == to_element || DateTimeCastable(from_element, to_element) ||
       (IsJsonType(from_element) && IsJsonType(to_element)) ||  // json <-> jsonb: 'a' casts
       (IsBitType(from_element) && IsBitType(to_element))) &&
      (to_element != TypeId::kEnum || expr.type.enum_oid == to.enum_oid);
  if (!ok && to.id != TypeId::kArray && IsStringType(to.id)) ok = true;  // anything to text
  if (!ok) {
    return Fail(Error(sqlstate::kDatatypeMismatch,
                      "column \"" + std::string(column) + "\" is of type " + SqlTypeName(to) +
                          " but expression is of type " + SqlTypeName(expr.type))
                    .WithHint("You will need to rewrite or cast the expression.")
                    .WithPosition(ErrorPosition(location)));
  }
  if (expr.type == to && to.id != TypeId::kVarchar) return expr;
  if (expr.IsConst()) {
    SQLRITE_ASSIGN_OR_RETURN(expr.value, CastDatum(expr.value, from, to, false));
    expr.type = to;
    return expr;
  }
  BoundExpr cast;
  cast.kind = ExprKind::kCast;
  cast.type = to;
  cast.flag = false;  // assignment cast: varchar overflow is an error
  cast.args.push_back(std::move(expr));
  return cast;
}

namespace {

int Leftmost(int a, int b) {
  if (a < 0) return b;
  if (b < 0) return a;
  return std::min(a, b);
}

int LeftmostOf(int location, const std::vector<ast::ExprPtr>& exprs) {
  for (const auto& e : exprs) {
    if (e) location = Leftmost(location, ExprLocation(*e));
  }
  return location;
}

}  // namespace

namespace {

// Edit distance with unit costs for insertion, deletion and substitution.
size_t Levenshtein(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string SuggestColumns(const Scope& scope, const ast::ColumnRef& ref) {
  // PostgreSQL's errorMissingColumn: the closest one or two names within 3 edits and changing
  // at most half of what was written; three or more equally close names suggest nothing.
  constexpr size_t kMaxDistance = 3;
  size_t best = kMaxDistance + 1;
  int first = -1, second = -1;
  for (size_t i = 0; i < scope.size(); ++i) {
    const ScopeColumn& c = scope[i];
    if (!ref.table.empty() && c.table != ref.table) continue;
    size_t distance = Levenshtein(c.name, ref.column);
    if (distance > ref.column.size() / 2) continue;
    if (distance < best) {
      best = distance;
      first = static_cast<int>(i);
      second = -1;
    } else if (distance == best) {
      if (second >= 0) {
        best = distance - 1;
        first = second = -1;
      } else if (first >= 0) {
        second = static_cast<int>(i);
      }
    }
  }
  auto quoted = [&](int i) {
    const ScopeColumn& c = scope[static_cast<size_t>(i)];
    return "\"" + c.table + "." + c.name + "\"";
  };
  if (first < 0) return {};
  std::string hint = "Perhaps you meant to reference the column " + quoted(first);
  if (second >= 0) hint += " or the column " + quoted(second);
  return hint + ".";
}

int ExprLocation(const ast::Expr& expr) {
  const int loc = expr.location;
  return std::visit(
      [loc](const auto& n) -> int {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, ast::Unary> || std::is_same_v<N, ast::IsNullTest> ||
                      std::is_same_v<N, ast::BoolTest> || std::is_same_v<N, ast::Like> ||
                      std::is_same_v<N, ast::InList> || std::is_same_v<N, ast::Between> ||
                      std::is_same_v<N, ast::Cast> || std::is_same_v<N, ast::FieldSelect>) {
          return Leftmost(loc, ExprLocation(*n.operand));
        } else if constexpr (std::is_same_v<N, ast::Binary> ||
                             std::is_same_v<N, ast::DistinctFrom>) {
          return Leftmost(loc, ExprLocation(*n.left));
        } else if constexpr (std::is_same_v<N, ast::FuncCall> || std::is_same_v<N, ast::Coalesce> ||
                             std::is_same_v<N, ast::RowExpr> || std::is_same_v<N, ast::MinMax>) {
          return LeftmostOf(loc, n.args);
        } else if constexpr (std::is_same_v<N, ast::Case>) {
          // CASE is its first token; its location is missing only if the parser lost it.
          return loc >= 0 || !n.operand ? loc : ExprLocation(*n.operand);
        } else if constexpr (std::is_same_v<N, ast::SubLink>) {
          return n.operand ? Leftmost(loc, ExprLocation(*n.operand)) : loc;
        } else {
          return loc;
        }
      },
      expr.node);
}

// Whether FigureColumnName(expr) is a name the expression gives itself (PostgreSQL's strength 2)
// rather than a fallback: "?column?" (0), a cast's type name or a CASE's "case" (1).
static bool NamesItself(const ast::Expr& expr) {
  if (const auto* c = std::get_if<ast::Case>(&expr.node)) {
    return c->nullif || (c->else_result && NamesItself(*c->else_result));
  }
  if (const auto* c = std::get_if<ast::Cast>(&expr.node)) return NamesItself(*c->operand);
  if (const auto* f = std::get_if<ast::FuncCall>(&expr.node); f && ast::CollateCallName(*f)) {
    return NamesItself(*f->args[0]);
  }
  // A subquery names itself even as "?column?" (its target's resname, strength 2).
  if (std::holds_alternative<ast::SubLink>(expr.node)) return true;
  return FigureColumnName(expr) != "?column?";
}

std::string FigureColumnName(const ast::Expr& expr) {
  if (auto* c = std::get_if<ast::ColumnRef>(&expr.node)) {
    return c->column == "*" ? c->table : c->column;  // t.* as a whole row is named t
  }
  if (auto* f = std::get_if<ast::FuncCall>(&expr.node)) {
    // A subscript (the "[]" call) is named after what it subscripts, as PostgreSQL's, and
    // expr COLLATE name after expr.
    if ((f->name == "[]" || f->name == "[:]" || ast::CollateCallName(*f)) && !f->args.empty()) {
      return FigureColumnName(*f->args[0]);
    }
    if (!f->operator_symbol.empty() || f->name.ends_with(" ANY") || f->name.ends_with(" ALL")) {
      return "?column?";
    }
    // information_schema._pg_expandarray is named without its schema.
    if (const size_t dot = f->name.rfind('.'); dot != std::string::npos) {
      return f->name.substr(dot + 1);
    }
    return f->name;
  }
  if (auto* c = std::get_if<ast::Cast>(&expr.node)) {
    if (c->bit_literal) return "?column?";  // B'101' is a constant, not a cast
    // As FigureColnameInternal: a name from the operand wins unless that name is itself only a
    // cast's type name ('1.5'::numeric::text is "text").
    std::string inner = FigureColumnName(*c->operand);
    if (inner != "?column?" && !std::holds_alternative<ast::Cast>(c->operand->node)) return inner;
    // Under casts of casts, a name the innermost operand gives (a column's, a function's) wins
    // too: a::text::mood is "a".
    const ast::Expr* innermost = c->operand.get();
    while (const auto* cc = std::get_if<ast::Cast>(&innermost->node)) {
      innermost = cc->operand.get();
    }
    if (std::holds_alternative<ast::ColumnRef>(innermost->node) ||
        std::holds_alternative<ast::FuncCall>(innermost->node)) {
      std::string name = FigureColumnName(*innermost);
      if (name != "?column?") return name;
    }
    // The type's name as written, without an array's brackets: int2[] names its column int2.
    if (!c->type_name.empty()) {  // an enum's name, without its schema
      const size_t nul = c->type_name.find('\0');
      return nul == std::string::npos ? c->type_name : c->type_name.substr(nul + 1);
    }
    if (c->type.id == TypeId::kInt2Array) return "int2";
    if (c->type.id == TypeId::kArray) return std::string(TypeInternalName(c->type.elem));
    return std::string(TypeInternalName(c->type.id));
  }
  if (auto* c = std::get_if<ast::Case>(&expr.node)) {
    if (c->nullif) return "nullif";
    // As FigureColnameInternal: the ELSE branch's name when it is one of its own (a column's,
    // a function's; strength 2), else "case" (CASE ... ELSE b END is "b", ELSE 1 is "case").
    if (c->else_result && NamesItself(*c->else_result)) return FigureColumnName(*c->else_result);
    return "case";
  }
  if (std::holds_alternative<ast::Coalesce>(expr.node)) return "coalesce";
  if (std::holds_alternative<ast::RowExpr>(expr.node)) return "row";
  if (std::holds_alternative<ast::GroupingFunc>(expr.node)) return "grouping";
  if (auto* m = std::get_if<ast::MinMax>(&expr.node)) return m->least ? "least" : "greatest";
  if (auto* f = std::get_if<ast::FieldSelect>(&expr.node)) return f->field;
  if (auto* l = std::get_if<ast::SubLink>(&expr.node)) {
    // EXISTS is "exists"; a scalar subquery takes its (first branch's) first column's name.
    if (l->kind == ast::SubLink::Kind::kExists) return "exists";
    if (l->kind == ast::SubLink::Kind::kArray) return "array";
    if (l->kind == ast::SubLink::Kind::kScalar) {
      const ast::Select* q = l->query.get();
      while (q->set_op) q = &q->set_op->left;
      if (!q->items.empty() && !q->items[0].star) {
        const ast::SelectItem& item = q->items[0];
        return item.alias.empty() ? FigureColumnName(*item.expr) : item.alias;
      }
    }
  }
  return "?column?";
}

// ---- Binder ----

Result<BoundExpr> Binder::BindCondition(const ast::Expr& expr, const char* clause) {
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, Bind(expr));
  SQLRITE_TRY(CoerceUnknown(e, T(TypeId::kBool), expr.location));
  if (e.type.id != TypeId::kBool) {
    return Fail(Error(sqlstate::kDatatypeMismatch, std::string("argument of ") + clause +
                                                       " must be type boolean, not type " +
                                                       std::string(TypeName(e.type.id)))
                    .WithPosition(ErrorPosition(ExprLocation(expr))));
  }
  return e;
}

// A reference to an enclosing query's column (outside, as that query's binder bound it): its
// slot in values, the outer values this query reads (one slot per column, shared by every
// reference to it), as a kOuterRef.
static BoundExpr OuterReference(std::vector<BoundExpr>& values, BoundExpr outside, int location) {
  size_t slot = values.size();
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].kind == outside.kind && values[i].index == outside.index) slot = i;
  }
  const SqlType type = outside.type;
  if (slot == values.size()) values.push_back(std::move(outside));
  BoundExpr e;
  e.kind = ExprKind::kOuterRef;
  e.index = static_cast<int>(slot);
  e.location = location;
  e.type = type;
  return e;
}

Result<std::optional<BoundExpr>> Binder::Lookup(const ast::ColumnRef& ref, int location) {
  int found = -1;
  int hidden = -1;  // an unqualified name's hidden column (ScopeColumn::hidden), if nothing else
  bool table_seen = ref.table.empty();
  for (size_t i = 0; i < scope_->size(); ++i) {
    const ScopeColumn& c = (*scope_)[i];
    if (!ref.table.empty()) {
      if (c.table != ref.table) continue;
      table_seen = true;
    } else if (c.merged_away) {
      continue;
    }
    if (c.name != ref.column) continue;
    if (c.hidden && ref.table.empty()) {
      hidden = static_cast<int>(i);
      continue;
    }
    if (found >= 0) {
      return Fail(
          Error(sqlstate::kAmbiguousColumn, "column reference \"" + ref.column + "\" is ambiguous")
              .WithPosition(ErrorPosition(location)));
    }
    found = static_cast<int>(i);
  }
  if (found >= 0 && lateral_ == LateralAccess::kHidden && outer_ != nullptr &&
      outer_->binder != nullptr) {
    // PostgreSQL skips the FROM items a derived table may not read: an enclosing query's
    // column of the name is the one meant.
    SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> outside,
                             outer_->binder->Lookup(ref, location));
    if (outside) {
      return std::optional<BoundExpr>(
          OuterReference(*outer_->values, std::move(*outside), location));
    }
  }
  if (found < 0 && hidden >= 0) {
    return Fail(std::move(*LateralError(ref, static_cast<size_t>(hidden), location)));
  }
  if (found >= 0) {
    if (std::optional<Error> refused = LateralError(ref, static_cast<size_t>(found), location)) {
      return Fail(std::move(*refused));
    }
    BoundExpr e;
    e.kind = ExprKind::kColumn;
    e.index = found;
    e.location = location;
    e.type = (*scope_)[static_cast<size_t>(found)].type;
    return std::optional<BoundExpr>(std::move(e));
  }
  // As PostgreSQL: a qualified name whose table is at this level is looked up only there; any
  // other name goes on to the enclosing queries, innermost first.
  const bool go_out = ref.table.empty() || !table_seen;
  if (!go_out || outer_ == nullptr || outer_->binder == nullptr) {
    return std::optional<BoundExpr>();
  }
  SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> outside, outer_->binder->Lookup(ref, location));
  if (!outside) return outside;
  return std::optional<BoundExpr>(OuterReference(*outer_->values, std::move(*outside), location));
}

// The system column tableoid of a stored table or system relation in this query's scope (no
// column of that name there): its oid as a constant, which is what every row of it reads.
// Unqualified, the relations of the scope that have one must be a single one (PostgreSQL's
// 42702 otherwise). nullopt: no such relation (the caller's 42703).
static Result<std::optional<BoundExpr>> BindTableOid(const Scope& scope, const ast::ColumnRef& ref,
                                                     int location) {
  uint32_t oid = 0;
  std::string qualifier;
  for (const ScopeColumn& c : scope) {
    if (c.table_oid == 0 || c.merged_away) continue;
    if (!ref.table.empty() && c.table != ref.table) continue;
    if (oid != 0 && c.table != qualifier) {
      return Fail(
          Error(sqlstate::kAmbiguousColumn, "column reference \"" + ref.column + "\" is ambiguous")
              .WithPosition(ErrorPosition(location)));
    }
    oid = c.table_oid;
    qualifier = c.table;
  }
  if (oid == 0) return std::optional<BoundExpr>();
  BoundExpr e;
  e.kind = ExprKind::kConst;
  e.type = SqlType{TypeId::kOid, -1};
  e.value = Datum(static_cast<int64_t>(oid));
  e.location = location;
  return std::optional<BoundExpr>(std::move(e));
}

std::optional<Error> Binder::LateralError(const ast::ColumnRef& ref, size_t column, int location) {
  const std::string& table = (*scope_)[column].table;
  if (lateral_ == LateralAccess::kHidden || (*scope_)[column].hidden) {
    if (ref.table.empty()) {
      return Error(sqlstate::kUndefinedColumn, "column \"" + ref.column + "\" does not exist")
          .WithHint("There is a column named \"" + ref.column + "\" in table \"" + table +
                    "\", but it cannot be referenced from this part of the query.")
          .WithPosition(ErrorPosition(location));
    }
    return Error(sqlstate::kUndefinedTable,
                 "invalid reference to FROM-clause entry for table \"" + ref.table + "\"")
        .WithHint("There is an entry for table \"" + table +
                  "\", but it cannot be referenced from this part of the query.")
        .WithPosition(ErrorPosition(location));
  }
  if (lateral_ == LateralAccess::kLateral && column >= refused_begin_ && column < refused_end_) {
    return Error(sqlstate::kInvalidColumnReference,
                 "invalid reference to FROM-clause entry for table \"" + table + "\"")
        .WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
        .WithPosition(ErrorPosition(location));
  }
  return std::nullopt;
}

Result<BoundExpr> Binder::BindColumn(const ast::ColumnRef& ref, int location) {
  SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> found, Lookup(ref, location));
  if (found) return std::move(*found);
  SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> whole_row, BindWholeRow(ref, location));
  if (whole_row) return std::move(*whole_row);
  bool table_seen = ref.table.empty();
  for (const ScopeColumn& c : *scope_) table_seen = table_seen || c.table == ref.table;
  for (const Binder* b = outer_ != nullptr ? outer_->binder : nullptr; b != nullptr && !table_seen;
       b = b->outer_ != nullptr ? b->outer_->binder : nullptr) {
    for (const ScopeColumn& c : *b->scope_) table_seen = table_seen || c.table == ref.table;
  }
  if (!table_seen) {
    return Fail(Error(sqlstate::kUndefinedTable,
                      "missing FROM-clause entry for table \"" + ref.table + "\"")
                    .WithPosition(ErrorPosition(location)));
  }
  if (ref.column == "tableoid") {
    SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> system, BindTableOid(*scope_, ref, location));
    if (system) return std::move(*system);
  }
  std::string name = ref.table.empty() ? "\"" + ref.column + "\"" : ref.table + "." + ref.column;
  Error error(sqlstate::kUndefinedColumn, "column " + name + " does not exist");
  error.hint = SuggestColumns(*scope_, ref);
  return Fail(std::move(error).WithPosition(ErrorPosition(location)));
}

Result<BoundExpr> Binder::BindOperatorFunction(std::string_view function, std::string_view symbol,
                                               BoundExpr l, BoundExpr r, int location) {
  const std::array<TypeId, 2> types = {l.type.id, r.type.id};
  const functions::Resolution found = functions::Resolve(function, types);
  if (found.fn == nullptr) {
    return Fail(Error(sqlstate::kUndefinedFunction,
                      "operator does not exist: " + SqlTypeName(l.type) + " " +
                          std::string(symbol) + " " + SqlTypeName(r.type))
                    .WithHint(kOperatorHint)
                    .WithPosition(ErrorPosition(location)));
  }
  std::vector<BoundExpr> args;
  args.push_back(std::move(l));
  args.push_back(std::move(r));
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, BindBuiltin(*found.fn, std::move(args), location));
  // Written as an operator: the view printer (engine/catalog/rule_deparse.cc) prints the call
  // as one (flag means nothing else on a kBuiltin node).
  if (e.kind == ExprKind::kBuiltin) e.flag = true;
  return e;
}

Result<BoundExpr> Binder::BindCompareNode(BinaryOp op, BoundExpr l, BoundExpr r, int location) {
  if (l.type.id == TypeId::kUnknown && r.type.id == TypeId::kUnknown) {
    SQLRITE_TRY(CoerceUnknown(l, T(TypeId::kText), location));
    SQLRITE_TRY(CoerceUnknown(r, T(TypeId::kText), location));
  } else if (l.type.id == TypeId::kUnknown) {
    SQLRITE_TRY(CoerceUnknown(l, r.type, location));
  } else if (r.type.id == TypeId::kUnknown) {
    SQLRITE_TRY(CoerceUnknown(r, l.type, location));
  }
  // date < timestamp < timestamptz: the narrower side is cast to the wider (date_cmp_timestamp
  // and the rest compare as the cast would).
  if (MomentRank(l.type.id) > 0 && MomentRank(r.type.id) > 0 && l.type.id != r.type.id) {
    const SqlType wider =
        T(std::max(MomentRank(l.type.id), MomentRank(r.type.id)) == 3 ? TypeId::kTimestampTz
                                                                      : TypeId::kTimestamp);
    SQLRITE_TRY(CastTo(l, wider));
    SQLRITE_TRY(CastTo(r, wider));
  }
  // time casts to interval implicitly (interval_eq and the rest compare them).
  if ((l.type.id == TypeId::kTime && r.type.id == TypeId::kInterval) ||
      (l.type.id == TypeId::kInterval && r.type.id == TypeId::kTime)) {
    SQLRITE_TRY(CastTo(l, T(TypeId::kInterval)));
    SQLRITE_TRY(CastTo(r, T(TypeId::kInterval)));
  }
  if (l.type.id == TypeId::kArray && r.type.id == TypeId::kArray && l.type.elem != r.type.elem) {
    // Arrays compare element-wise: int4[] against int8[] as int8[] (select_common_type).
    std::vector<BoundExpr*> both = {&l, &r};
    const std::vector<int> where = {location, location};
    if (!UnifyTypes(both, where, "ARRAY")) {
      return Fail(Error(sqlstate::kUndefinedFunction,
                        "operator does not exist: " + SqlTypeName(l.type) + " " +
                            ast::OperatorSymbol(op) + " " + SqlTypeName(r.type))
                      .WithHint(kOperatorHint)
                      .WithPosition(ErrorPosition(location)));
    }
  }
  TypeId a = l.type.id, b = r.type.id;
  // oid and its reg* aliases compare as oids with each other and with integers (int4 -> oid and
  // the aliases' binary coercions are implicit casts in pg_cast).
  const bool oids =
      (IsOidType(a) && (IsOidType(b) || IsIntegerType(b))) || (IsOidType(b) && IsIntegerType(a));
  bool ok = (IsNumericType(a) && IsNumericType(b)) || (IsStringType(a) && IsStringType(b)) ||
            (a == b && l.type.enum_oid == r.type.enum_oid) || oids ||
            (a == TypeId::kRecord && b == TypeId::kRecord) || (IsBitType(a) && IsBitType(b));
  if (a == TypeId::kJson || b == TypeId::kJson) ok = false;  // json has no comparison operators
  if (!ok) {
    return Fail(Error(sqlstate::kUndefinedFunction,
                      "operator does not exist: " + SqlTypeName(l.type) + " " +
                          ast::OperatorSymbol(op) + " " + SqlTypeName(r.type))
                    .WithHint(kOperatorHint)
                    .WithPosition(ErrorPosition(location)));
  }
  SQLRITE_TRY(PromoteOperands(l, r));
  // char(n) against text or varchar is text's operator (the char(n) side loses its padding);
  // char(n) against char(n) is bpchar's, which ignores trailing blanks (flag).
  const bool l_bpchar = l.type.id == TypeId::kBpchar, r_bpchar = r.type.id == TypeId::kBpchar;
  if (l_bpchar != r_bpchar && IsStringType(a) && IsStringType(b)) {
    SQLRITE_TRY(CastTo(l_bpchar ? l : r, T(TypeId::kText)));
  }
  BoundExpr e;
  e.kind = ExprKind::kCompare;
  e.flag = l_bpchar && r_bpchar;
  e.op = op;
  e.type = T(TypeId::kBool);
  e.args.push_back(std::move(l));
  e.args.push_back(std::move(r));
  return e;
}

Result<BoundExpr> Binder::BindCompare(BinaryOp op, BoundExpr l, BoundExpr r, int location) {
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, BindCompareNode(op, std::move(l), std::move(r), location));
  return MaybeFold(std::move(e));
}

Result<BoundExpr> Binder::BindDistinctFrom(const ast::DistinctFrom& d, int location) {
  const auto* lrow = std::get_if<ast::RowExpr>(&d.left->node);
  const auto* rrow = std::get_if<ast::RowExpr>(&d.right->node);
  if (lrow != nullptr && rrow != nullptr) {
    // Rows are distinct when some pair is (PostgreSQL's row IS DISTINCT FROM).
    if (lrow->args.size() != rrow->args.size()) {
      return Fail(Error(sqlstate::kSyntaxError, "unequal number of entries in row expressions")
                      .WithPosition(ErrorPosition(location)));
    }
    std::optional<BoundExpr> acc;
    for (size_t i = 0; i < lrow->args.size(); ++i) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr l, Bind(*lrow->args[i]));
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr r, Bind(*rrow->args[i]));
      SQLRITE_ASSIGN_OR_RETURN(
          BoundExpr e, BindCompareNode(BinaryOp::kEq, std::move(l), std::move(r), location));
      e.kind = ExprKind::kDistinct;
      e.negated = false;
      SQLRITE_ASSIGN_OR_RETURN(e, MaybeFold(std::move(e)));
      if (!acc) {
        acc = std::move(e);
        continue;
      }
      BoundExpr either;
      either.kind = ExprKind::kOr;
      either.type = T(TypeId::kBool);
      either.args.push_back(std::move(*acc));
      either.args.push_back(std::move(e));
      acc = std::move(either);
    }
    if (!acc) {
      return Fail(Error(sqlstate::kFeatureNotSupported, "cannot compare rows of zero length")
                      .WithPosition(ErrorPosition(location)));
    }
    if (!d.negated) return std::move(*acc);
    BoundExpr e;
    e.kind = ExprKind::kNot;
    e.type = T(TypeId::kBool);
    e.args.push_back(std::move(*acc));
    return e;
  }
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr l, Bind(*d.left));
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr r, Bind(*d.right));
  // Resolved as `=` is (PostgreSQL looks the "=" operator up for it), then evaluated once per
  // side with NULL as a value.
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e,
                           BindCompareNode(BinaryOp::kEq, std::move(l), std::move(r), location));
  e.kind = ExprKind::kDistinct;
  e.negated = d.negated;
  return MaybeFold(std::move(e));
}

namespace {

// An arithmetic operator with a date/time operand (engine/datetime_operators.h). An untyped
// literal beside one takes the other side's type when that operator exists (timestamp -
// '2024-01-01'), else interval (ts + '1 day'), or float8 beside an interval's * and /.
Result<BoundExpr> BindDateTimeArith(BinaryOp op, BoundExpr l, BoundExpr r, int location) {
  if (l.type.id == TypeId::kUnknown || r.type.id == TypeId::kUnknown) {
    const bool left_unknown = l.type.id == TypeId::kUnknown;
    BoundExpr& unknown = left_unknown ? l : r;
    const TypeId known = (left_unknown ? r : l).type.id;
    TypeId guess = known;
    if (known == TypeId::kInterval && (op == BinaryOp::kMul || op == BinaryOp::kDiv)) {
      guess = TypeId::kFloat8;
    } else if (!FindDateTimeOperator(op, known, known)) {
      guess = TypeId::kInterval;
    }
    SQLRITE_TRY(CoerceUnknown(unknown, T(guess), location));
  }
  const std::optional<DateTimeOperator> found = FindDateTimeOperator(op, l.type.id, r.type.id);
  if (!found) {
    return Fail(Error(sqlstate::kUndefinedFunction,
                      "operator does not exist: " + std::string(TypeName(l.type.id)) + " " +
                          ast::OperatorSymbol(op) + " " + std::string(TypeName(r.type.id)))
                    .WithHint(kOperatorHint)
                    .WithPosition(ErrorPosition(location)));
  }
  SQLRITE_TRY(CastTo(l, T(found->left)));
  SQLRITE_TRY(CastTo(r, T(found->right)));
  BoundExpr e;
  e.kind = ExprKind::kArith;
  e.op = op;
  e.flag = true;  // a date/time operator
  e.type = T(found->result);
  e.args.push_back(std::move(l));
  e.args.push_back(std::move(r));
  return MaybeFold(std::move(e));
}

}  // namespace

Result<BoundExpr> Binder::BindBinary(const ast::Binary& b, int location) {
  const bool lrow = std::holds_alternative<ast::RowExpr>(b.left->node);
  const bool rrow = std::holds_alternative<ast::RowExpr>(b.right->node);
  // A row beside || and a value is a record concatenated as text (textanycat, anytextcat).
  if ((lrow || rrow) && !(b.op == BinaryOp::kConcat && lrow != rrow)) {
    return BindRowCompare(b.op, *b.left, *b.right, location);
  }
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr l, Bind(*b.left));
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr r, Bind(*b.right));
  BoundExpr e;
  switch (b.op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr: {
      SQLRITE_TRY(CoerceUnknown(l, T(TypeId::kBool), b.left->location));
      SQLRITE_TRY(CoerceUnknown(r, T(TypeId::kBool), b.right->location));
      for (const auto* side : {&l, &r}) {
        if (side->type.id != TypeId::kBool) {
          const ast::Expr& src = side == &l ? *b.left : *b.right;
          return Fail(Error(sqlstate::kDatatypeMismatch, std::string("argument of ") +
                                                             ast::OperatorSymbol(b.op) +
                                                             " must be type boolean, not type " +
                                                             std::string(TypeName(side->type.id)))
                          .WithPosition(ErrorPosition(ExprLocation(src))));
        }
      }
      e.kind = b.op == BinaryOp::kAnd ? ExprKind::kAnd : ExprKind::kOr;
      e.type = T(TypeId::kBool);
      break;
    }
    case BinaryOp::kEq:
    case BinaryOp::kNe:
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      return BindCompare(b.op, std::move(l), std::move(r), location);
    case BinaryOp::kConcat: {
      if (l.type.id == TypeId::kJsonb || r.type.id == TypeId::kJsonb) {
        // jsonb || jsonb (jsonb_concat); an untyped literal beside jsonb is jsonb.
        SQLRITE_TRY(CoerceUnknown(l, T(TypeId::kJsonb), location));
        SQLRITE_TRY(CoerceUnknown(r, T(TypeId::kJsonb), location));
        if (l.type.id == TypeId::kJsonb && r.type.id == TypeId::kJsonb) {
          return BindOperatorFunction("jsonb_concat", "||", std::move(l), std::move(r), location);
        }
      }
      if (l.type.id == TypeId::kArray || r.type.id == TypeId::kArray) {
        // array_cat, array_append, array_prepend: an untyped literal beside an array is read as
        // that array (anyarray is preferred to anyelement), else the other side is an element.
        BoundExpr& arr = l.type.id == TypeId::kArray ? l : r;
        BoundExpr& other = l.type.id == TypeId::kArray ? r : l;
        SQLRITE_TRY(CoerceUnknown(other, arr.type, location));
        const SqlType element = ElementOf(arr.type);
        if (other.type.id == TypeId::kArray) {
          std::vector<BoundExpr*> both = {&l, &r};
          const std::vector<int> where = {location, location};
          auto common = UnifyTypes(both, where, "ARRAY");
          if (!common) {
            return Fail(Error(sqlstate::kUndefinedFunction,
                              "operator does not exist: " + SqlTypeName(l.type) + " || " +
                                  SqlTypeName(r.type))
                            .WithHint(kOperatorHint)
                            .WithPosition(ErrorPosition(location)));
          }
          e.index = 0;
        } else {
          if (other.type.id != element.id) {
            const bool castable = (IsNumericType(other.type.id) && IsNumericType(element.id) &&
                                   WiderNumeric(other.type.id, element.id) == element.id) ||
                                  (IsStringType(other.type.id) && IsStringType(element.id));
            if (!castable) {
              return Fail(Error(sqlstate::kUndefinedFunction,
                                "operator does not exist: " + SqlTypeName(l.type) + " || " +
                                    SqlTypeName(r.type))
                              .WithHint(kOperatorHint)
                              .WithPosition(ErrorPosition(location)));
            }
            SQLRITE_TRY(CastTo(other, T(element.id)));
          }
          e.index = &arr == &l ? 1 : 2;
        }
        e.kind = ExprKind::kArrayConcat;
        // array_cat / array_append / array_prepend return anyarray: PostgreSQL keeps no typmod
        // (array[n] || n of a numeric(3,1) n is numeric[]), so a CREATE TABLE AS column takes
        // values the element's typmod would reject.
        e.type = arr.type;
        e.type.typmod = -1;
        break;
      }
      if (IsBitType(l.type.id) || IsBitType(r.type.id)) {  // bitcat
        SQLRITE_TRY(CoerceUnknown(l, T(TypeId::kVarbit), location));
        SQLRITE_TRY(CoerceUnknown(r, T(TypeId::kVarbit), location));
        if (IsBitType(l.type.id) && IsBitType(r.type.id)) {
          return BindOperatorFunction("bitcat", "||", std::move(l), std::move(r), location);
        }
      }
      if (l.type.id == TypeId::kBytea || r.type.id == TypeId::kBytea) {  // byteacat
        SQLRITE_TRY(CoerceUnknown(l, T(TypeId::kBytea), location));
        SQLRITE_TRY(CoerceUnknown(r, T(TypeId::kBytea), location));
        if (l.type.id == TypeId::kBytea && r.type.id == TypeId::kBytea) {
          e.kind = ExprKind::kConcat;
          e.type = T(TypeId::kBytea);
          break;
        }
      }
      if (!IsStringType(l.type.id) && !IsStringType(r.type.id)) {
        return Fail(Error(sqlstate::kUndefinedFunction,
                          "operator does not exist: " + std::string(TypeName(l.type.id)) + " || " +
                              std::string(TypeName(r.type.id)))
                        .WithHint(kOperatorHint)
                        .WithPosition(ErrorPosition(location)));
      }
      SQLRITE_TRY(CoerceUnknown(l, T(TypeId::kText), location));
      SQLRITE_TRY(CoerceUnknown(r, T(TypeId::kText), location));
      // textcat, anytextcat, textanycat: the other side through its cast to text (char(n)
      // without padding, bool as "true").
      for (BoundExpr* side : {&l, &r}) {
        if (side->type.id != TypeId::kText && side->type.id != TypeId::kVarchar) {
          SQLRITE_TRY(CastTo(*side, T(TypeId::kText)));
        }
      }
      e.kind = ExprKind::kConcat;
      e.type = T(TypeId::kText);
      break;
    }
    default: {  // arithmetic
      if (l.type.id == TypeId::kUnknown && r.type.id == TypeId::kUnknown) {
        // Every arithmetic operator's types are candidates, none preferred.
        return Fail(
            Error(sqlstate::kAmbiguousFunction, std::string("operator is not unique: unknown ") +
                                                    ast::OperatorSymbol(b.op) + " unknown")
                .WithHint("Could not choose a best candidate operator. You might need to "
                          "add explicit type casts.")
                .WithPosition(ErrorPosition(location)));
      }
      if (IsDateTimeOperand(l.type.id) || IsDateTimeOperand(r.type.id)) {
        return BindDateTimeArith(b.op, std::move(l), std::move(r), location);
      }
      if (b.op == BinaryOp::kSub && l.type.id == TypeId::kJsonb) {
        // jsonb - text (a key), - integer (an index), - text[] (keys): jsonb_delete.
        return BindOperatorFunction("jsonb_delete", "-", std::move(l), std::move(r), location);
      }
      if (l.type.id == TypeId::kUnknown && IsNumericType(r.type.id)) {
        SQLRITE_TRY(CoerceUnknown(l, r.type, b.left->location));
      } else if (r.type.id == TypeId::kUnknown && IsNumericType(l.type.id)) {
        SQLRITE_TRY(CoerceUnknown(r, l.type, b.right->location));
      }
      TypeId a = l.type.id, c = r.type.id;
      TypeId result = WiderNumeric(a, c);
      bool ok =
          IsNumericType(a) && IsNumericType(c) &&
          !(b.op == BinaryOp::kMod && (result == TypeId::kFloat8 || result == TypeId::kFloat4));
      if (!ok) {
        return Fail(Error(sqlstate::kUndefinedFunction,
                          "operator does not exist: " + SqlTypeName(l.type) + " " +
                              ast::OperatorSymbol(b.op) + " " + SqlTypeName(r.type))
                        .WithHint(kOperatorHint)
                        .WithPosition(ErrorPosition(location)));
      }
      SQLRITE_TRY(PromoteOperands(l, r));
      e.kind = ExprKind::kArith;
      e.op = b.op;
      e.type = T(result);
      break;
    }
  }
  e.args.push_back(std::move(l));
  e.args.push_back(std::move(r));
  return MaybeFold(std::move(e));
}

namespace {

// The math functions over numbers, resolved as PostgreSQL resolves their overloads: numeric and
// float8 arguments take their own version; integers (and unknown literals) take float8's, the
// numeric category's preferred type (round(1) is float8), except that abs and mod have integer
// versions and round/trunc with a scale exist only for numeric. mod(a, b) is a % b. nullopt: no
// such function for these arguments (the caller's "function ... does not exist").
Result<std::optional<BoundExpr>> BindMathFunc(const std::string& name, std::vector<BoundExpr>& args,
                                              int location) {
  static const std::pair<const char*, Func> kFuncs[] = {
      {"round", Func::kRound},  {"trunc", Func::kTrunc}, {"ceil", Func::kCeil},
      {"ceiling", Func::kCeil}, {"floor", Func::kFloor}, {"sign", Func::kSign},
      {"sqrt", Func::kSqrt},    {"power", Func::kPower}, {"pow", Func::kPower}};
  const Func* func = nullptr;
  for (const auto& [n, fn] : kFuncs) {
    if (name == n) func = &fn;
  }
  if (func == nullptr && name != "mod") return std::optional<BoundExpr>();
  for (const BoundExpr& a : args) {
    if (!IsNumericType(a.type.id) && a.type.id != TypeId::kUnknown) {
      return std::optional<BoundExpr>();
    }
  }
  auto has = [&args](TypeId t) {
    return std::any_of(args.begin(), args.end(),
                       [t](const BoundExpr& a) { return a.type.id == t; });
  };
  BoundExpr e;
  if (name == "mod") {
    if (args.size() != 2 || has(TypeId::kFloat8) || has(TypeId::kFloat4)) {
      return std::optional<BoundExpr>();
    }
    for (size_t i = 0; i < 2; ++i) {
      TypeId other = args[1 - i].type.id;
      SQLRITE_TRY(
          CoerceUnknown(args[i], T(other == TypeId::kUnknown ? TypeId::kInt4 : other), location));
    }
    SQLRITE_TRY(PromoteOperands(args[0], args[1]));
    e.kind = ExprKind::kArith;
    e.op = BinaryOp::kMod;
    e.type = T(WiderNumeric(args[0].type.id, args[1].type.id));
    e.args = std::move(args);
    return std::optional<BoundExpr>(std::move(e));
  }
  e.kind = ExprKind::kFunc;
  e.index = static_cast<int>(*func);
  const bool scaled = (*func == Func::kRound || *func == Func::kTrunc) && args.size() == 2;
  if (scaled) {
    SQLRITE_TRY(CoerceUnknown(args[1], T(TypeId::kInt4), location));
    if (args[1].type.id != TypeId::kInt4) return std::optional<BoundExpr>();
    SQLRITE_TRY(CoerceUnknown(args[0], T(TypeId::kNumeric), location));
    SQLRITE_TRY(CastTo(args[0], T(TypeId::kNumeric)));
    e.type = T(TypeId::kNumeric);
  } else {
    if (args.size() != (*func == Func::kPower ? 2u : 1u)) return std::optional<BoundExpr>();
    const TypeId t = has(TypeId::kFloat8) || has(TypeId::kFloat4) ? TypeId::kFloat8
                     : has(TypeId::kNumeric)                      ? TypeId::kNumeric
                                                                  : TypeId::kFloat8;
    for (BoundExpr& a : args) {
      SQLRITE_TRY(CoerceUnknown(a, T(t), location));
      SQLRITE_TRY(CastTo(a, T(t)));
    }
    e.type = T(t);
  }
  e.args = std::move(args);
  return std::optional<BoundExpr>(std::move(e));
}

// The statistical aggregates' overloads: stddev & co. of int2, int4, int8, numeric (numeric
// result), float4, float8 (float8; an unknown literal resolves to it, the numeric category's
// preferred type); corr & co. of (float8, float8), regr_count bigint. Anything else: 42883.
Status BindStatisticArgs(const ast::FuncCall& f, AggKind kind, BoundExpr& y, BoundExpr& x,
                         SqlType& type, int location) {
  const bool regression = IsRegressionAgg(kind);
  auto missing = [&]() {
    std::string sig = SqlTypeName(y.type);
    if (regression) sig += ", " + SqlTypeName(x.type);
    return Fail(
        Error(sqlstate::kUndefinedFunction, "function " + f.name + "(" + sig + ") does not exist")
            .WithHint(kFunctionHint)
            .WithPosition(ErrorPosition(location)));
  };
  auto numeric_or_unknown = [](const BoundExpr& e) {
    return IsNumericType(e.type.id) || e.type.id == TypeId::kUnknown;
  };
  if (!numeric_or_unknown(y) || (regression && !numeric_or_unknown(x))) return missing();
  const TypeId float8 = TypeId::kFloat8;
  if (regression) {
    for (BoundExpr* e : {&y, &x}) {
      SQLRITE_TRY(CoerceUnknown(*e, T(float8), location));
      SQLRITE_TRY(CastTo(*e, T(float8)));
    }
    type = T(kind == AggKind::kRegrCount ? TypeId::kInt8 : float8);
    return Ok();
  }
  SQLRITE_TRY(CoerceUnknown(y, T(float8), location));
  const TypeId t = y.type.id;
  type = T(t == TypeId::kFloat4 || t == float8 ? float8 : TypeId::kNumeric);
  return Ok();
}

// The functions of the bytea and uuid types and their text counterparts (octet_length, encode,
// decode, md5, sha*, gen_random_uuid; length of bytea). nullopt: none of them fits.
Result<std::optional<BoundExpr>> BindByteFunc(const std::string& name, std::vector<BoundExpr>& args,
                                              int location) {
  BoundExpr e;
  e.kind = ExprKind::kFunc;
  auto done = [&](Func func, TypeId result) {
    e.index = static_cast<int>(func);
    e.type = T(result);
    e.args = std::move(args);
    return std::optional<BoundExpr>(std::move(e));
  };
  const TypeId a0 = args.empty() ? TypeId::kUnknown : args[0].type.id;
  if (args.empty()) {
    if (name == "gen_random_uuid") return done(Func::kGenRandomUuid, TypeId::kUuid);
    return std::optional<BoundExpr>();
  }
  if (args.size() == 1) {
    if ((name == "octet_length" && (IsStringType(a0) || a0 == TypeId::kBytea)) ||
        (name == "length" && a0 == TypeId::kBytea)) {
      SQLRITE_TRY(CoerceUnknown(args[0], T(TypeId::kText), location));
      return done(Func::kOctetLength, TypeId::kInt4);
    }
    if (name == "md5" && (IsStringType(a0) || a0 == TypeId::kBytea)) {
      SQLRITE_TRY(CoerceUnknown(args[0], T(TypeId::kText), location));
      if (args[0].type.id == TypeId::kBpchar) SQLRITE_TRY(CastTo(args[0], T(TypeId::kText)));
      return done(Func::kMd5, TypeId::kText);
    }
    static const std::pair<const char*, Func> kShas[] = {{"sha224", Func::kSha224},
                                                         {"sha256", Func::kSha256},
                                                         {"sha384", Func::kSha384},
                                                         {"sha512", Func::kSha512}};
    for (const auto& [n, func] : kShas) {
      if (name == n && (a0 == TypeId::kBytea || a0 == TypeId::kUnknown)) {
        SQLRITE_TRY(CoerceUnknown(args[0], T(TypeId::kBytea), location));
        return done(func, TypeId::kBytea);
      }
    }
    return std::optional<BoundExpr>();
  }
  if (args.size() == 2 && IsStringType(args[1].type.id)) {
    if (name == "encode" && (a0 == TypeId::kBytea || a0 == TypeId::kUnknown)) {
      SQLRITE_TRY(CoerceUnknown(args[0], T(TypeId::kBytea), location));
      SQLRITE_TRY(CoerceUnknown(args[1], T(TypeId::kText), location));
      return done(Func::kEncode, TypeId::kText);
    }
    if (name == "decode" && IsStringType(a0)) {
      SQLRITE_TRY(CoerceUnknown(args[0], T(TypeId::kText), location));
      SQLRITE_TRY(CoerceUnknown(args[1], T(TypeId::kText), location));
      return done(Func::kDecode, TypeId::kBytea);
    }
  }
  return std::optional<BoundExpr>();
}

}  // namespace

namespace {

// Arguments passed by name, put in their parameters' places: only make_interval's (years,
// months, weeks, days, hours, mins, secs, each defaulting to 0) are known by name.
Result<std::vector<BoundExpr>> PlaceNamedArgs(const ast::FuncCall& f, std::vector<BoundExpr> args,
                                              int location) {
  static constexpr std::string_view kParams[] = {"years", "months", "weeks", "days",
                                                 "hours", "mins",   "secs"};
  constexpr size_t kCount = std::size(kParams);
  if (f.name != "make_interval") {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "named arguments of function " + f.name + " are not supported yet")
                    .WithPosition(ErrorPosition(location)));
  }
  std::vector<BoundExpr> placed(kCount);
  std::vector<bool> given(kCount, false);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string name = i < f.arg_names.size() ? f.arg_names[i] : std::string();
    size_t slot = i;
    if (!name.empty()) {
      slot = kCount;
      for (size_t k = 0; k < kCount; ++k) {
        if (kParams[k] == name) slot = k;
      }
    }
    if (slot >= kCount || given[slot]) {
      return Fail(Error(sqlstate::kUndefinedFunction,
                        "function make_interval(" + std::string(name.empty() ? "" : name + " => ") +
                            "...) does not exist")
                      .WithHint(kFunctionHint)
                      .WithPosition(ErrorPosition(location)));
    }
    placed[slot] = std::move(args[i]);
    given[slot] = true;
  }
  for (size_t k = 0; k < kCount; ++k) {
    if (!given[k]) {
      placed[k] = k + 1 == kCount ? Const(Datum(0.0), T(TypeId::kFloat8))
                                  : Const(Datum(int64_t{0}), T(TypeId::kInt4));
    }
  }
  return placed;
}

}  // namespace

Result<std::optional<AggSpec>> Binder::BindAggregate(const ast::FuncCall& f, int location,
                                                     bool window) {
  static const std::pair<const char*, AggKind> kAggs[] = {
      {"count", AggKind::kCount},
      {"sum", AggKind::kSum},
      {"min", AggKind::kMin},
      {"max", AggKind::kMax},
      {"avg", AggKind::kAvg},
      {"string_agg", AggKind::kStringAgg},
      {"array_agg", AggKind::kArrayAgg},
      {"json_agg", AggKind::kJsonAgg},
      {"jsonb_agg", AggKind::kJsonbAgg},
      {"json_object_agg", AggKind::kJsonObjectAgg},
      {"jsonb_object_agg", AggKind::kJsonbObjectAgg},
      // bool_and / every and bool_or over booleans are min and max (false < true, NULLs
      // skipped, NULL for no row), as PostgreSQL's booland_statefunc / boolor_statefunc give.
      {"bool_and", AggKind::kMin},
      {"every", AggKind::kMin},
      {"bool_or", AggKind::kMax},
      {"bit_and", AggKind::kBitAnd},
      {"bit_or", AggKind::kBitOr},
      {"bit_xor", AggKind::kBitXor},
      // The statistical aggregates (engine/exec/statistics.h).
      {"stddev", AggKind::kStddevSamp},
      {"stddev_samp", AggKind::kStddevSamp},
      {"stddev_pop", AggKind::kStddevPop},
      {"variance", AggKind::kVarSamp},
      {"var_samp", AggKind::kVarSamp},
      {"var_pop", AggKind::kVarPop},
      {"corr", AggKind::kCorr},
      {"covar_pop", AggKind::kCovarPop},
      {"covar_samp", AggKind::kCovarSamp},
      {"regr_avgx", AggKind::kRegrAvgX},
      {"regr_avgy", AggKind::kRegrAvgY},
      {"regr_count", AggKind::kRegrCount},
      {"regr_intercept", AggKind::kRegrIntercept},
      {"regr_r2", AggKind::kRegrR2},
      {"regr_slope", AggKind::kRegrSlope},
      {"regr_sxx", AggKind::kRegrSxx},
      {"regr_sxy", AggKind::kRegrSxy},
      {"regr_syy", AggKind::kRegrSyy}};
  for (const auto& [name, kind] : kAggs) {
    if (f.name != name) continue;
    const size_t arity = kind == AggKind::kStringAgg || kind == AggKind::kJsonObjectAgg ||
                                 kind == AggKind::kJsonbObjectAgg || IsRegressionAgg(kind)
                             ? 2
                             : 1;
    if (f.star ? kind != AggKind::kCount : f.args.size() != arity) break;
    if (!window) {
      if (aggs_ == nullptr) {
        return Fail(Error(sqlstate::kGroupingError,
                          std::string("aggregate functions are not allowed in ") + clause_)
                        .WithPosition(ErrorPosition(location)));
      }
      if (in_aggregate_) {
        return Fail(Error(sqlstate::kGroupingError, "aggregate function calls cannot be nested")
                        .WithPosition(ErrorPosition(location)));
      }
    }
    AggSpec spec;
    spec.distinct = f.distinct;
    if (f.star) {
      spec.kind = AggKind::kCountStar;
      spec.type = T(TypeId::kInt8);
    } else {
      // A plain aggregate's argument holds no aggregate; a window aggregate's may (sum(sum(x))
      // OVER ()), but no window call.
      bool& flag = window ? in_window_ : in_aggregate_;
      flag = true;
      auto arg = Bind(*f.args[0]);
      Result<BoundExpr> delimiter = BoundExpr{};
      if (arg && arity > 1) delimiter = Bind(*f.args[1]);
      for (const ast::OrderItem& item : f.order_by) {
        if (!arg || !delimiter) break;
        auto key = Bind(*item.expr);
        if (!key) {
          arg = Fail(std::move(key.error()));
          break;
        }
        SQLRITE_TRY(CoerceUnknown(*key, T(TypeId::kText), item.expr->location));
        AggOrderKey k{std::move(*key), item.descending, item.nulls_first.value_or(item.descending)};
        spec.order_by.push_back(std::move(k));
      }
      flag = false;
      if (!arg) return Fail(std::move(arg.error()));
      if (!delimiter) return Fail(std::move(delimiter.error()));
      spec.kind = kind;
      TypeId t = arg->type.id;
      if (IsStatisticAgg(kind)) {
        SQLRITE_TRY(BindStatisticArgs(f, kind, *arg, *delimiter, spec.type, location));
        spec.arg = std::move(*arg);
        if (IsRegressionAgg(kind)) spec.delimiter = std::move(*delimiter);
        t = TypeId::kUnknown;
      } else if (f.name == "bool_and" || f.name == "every" || f.name == "bool_or") {
        // Only over boolean (an untyped literal reads as one).
        SQLRITE_TRY(CoerceUnknown(*arg, T(TypeId::kBool), f.args[0]->location));
        if (arg->type.id != TypeId::kBool) {
          return Fail(
              Error(sqlstate::kUndefinedFunction,
                    "function " + f.name + "(" + SqlTypeName(arg->type) + ") does not exist")
                  .WithHint(kFunctionHint)
                  .WithPosition(ErrorPosition(location)));
        }
        t = TypeId::kBool;
      } else if (kind == AggKind::kBitAnd || kind == AggKind::kBitOr || kind == AggKind::kBitXor) {
        // Over the integer types and bit (bit varying through its cast to bit).
        if (!IsIntegerType(t) && !IsBitType(t)) {
          return Fail(
              Error(sqlstate::kUndefinedFunction,
                    "function " + f.name + "(" + SqlTypeName(arg->type) + ") does not exist")
                  .WithHint(kFunctionHint)
                  .WithPosition(ErrorPosition(location)));
        }
        if (t == TypeId::kVarbit) t = TypeId::kBit;
        spec.kind = kind;
        spec.type = T(t);
        spec.arg = std::move(*arg);
        t = TypeId::kUnknown;
      }
      if (t == TypeId::kUnknown && kind != AggKind::kCount && !IsStatisticAgg(kind) &&
          kind != AggKind::kBitAnd && kind != AggKind::kBitOr && kind != AggKind::kBitXor) {
        SQLRITE_TRY(CoerceUnknown(*arg, T(TypeId::kText), f.args[0]->location));
        t = TypeId::kText;
      }
      switch (IsStatisticAgg(kind) ? AggKind::kCountStar : kind) {
        case AggKind::kCountStar:  // the statistical aggregates, bound above
        case AggKind::kBitAnd:     // and the bitwise ones
        case AggKind::kBitOr:
        case AggKind::kBitXor:
          break;
        case AggKind::kCount:
          spec.type = T(TypeId::kInt8);
          break;
        case AggKind::kJsonAgg:
        case AggKind::kJsonbAgg:
          spec.type = T(kind == AggKind::kJsonAgg ? TypeId::kJson : TypeId::kJsonb);
          break;
        case AggKind::kJsonObjectAgg:
        case AggKind::kJsonbObjectAgg:
          SQLRITE_TRY(CoerceUnknown(*delimiter, T(TypeId::kText), f.args[1]->location));
          spec.delimiter = std::move(*delimiter);
          spec.type = T(kind == AggKind::kJsonObjectAgg ? TypeId::kJson : TypeId::kJsonb);
          break;
        case AggKind::kArrayAgg:
          if (t == TypeId::kArray) {
            return Fail(Error(sqlstate::kFeatureNotSupported,
                              "array_agg over arrays (multidimensional arrays) is not supported "
                              "yet")
                            .WithPosition(ErrorPosition(location)));
          }
          if (!HasArrayType(t)) {
            return Fail(Error(sqlstate::kUndefinedObject,
                              "could not find array type for data type " + SqlTypeName(arg->type))
                            .WithPosition(ErrorPosition(location)));
          }
          spec.type = ArrayOf(t == TypeId::kEnum || t == TypeId::kRecord ? arg->type : T(t));
          break;
        case AggKind::kStringAgg: {
          // string_agg(text, text) and string_agg(bytea, bytea), the string category's types
          // converted to text implicitly.
          const TypeId want = t == TypeId::kBytea ? TypeId::kBytea : TypeId::kText;
          const TypeId shown = delimiter->type.id;
          TypeId d = shown;
          if (d == TypeId::kUnknown) {
            SQLRITE_TRY(CoerceUnknown(*delimiter, T(want), f.args[1]->location));
            d = want;
          }
          if (!functions::ImplicitlyCastable(t, want) || !functions::ImplicitlyCastable(d, want)) {
            return Fail(Error(sqlstate::kUndefinedFunction,
                              "function string_agg(" + std::string(TypeName(t)) + ", " +
                                  std::string(TypeName(shown)) + ") does not exist")
                            .WithHint(kFunctionHint)
                            .WithPosition(ErrorPosition(location)));
          }
          SQLRITE_TRY(CastTo(*arg, T(want)));
          SQLRITE_TRY(CastTo(*delimiter, T(want)));
          spec.delimiter = std::move(*delimiter);
          spec.type = T(want);
          break;
        }
        case AggKind::kSum:
          if (t == TypeId::kInterval) {
            spec.type = T(t);
            break;
          }
          if (!IsNumericType(t)) {
            return Fail(Error(sqlstate::kUndefinedFunction,
                              "function sum(" + std::string(TypeName(t)) + ") does not exist")
                            .WithHint(kFunctionHint)
                            .WithPosition(ErrorPosition(location)));
          }
          spec.type = T(t == TypeId::kInt4 || t == TypeId::kInt2
                            ? TypeId::kInt8
                            : (t == TypeId::kInt8 ? TypeId::kNumeric : t));
          break;
        case AggKind::kAvg:
          if (t == TypeId::kInterval) {
            spec.type = T(t);
            break;
          }
          if (!IsNumericType(t)) {
            return Fail(Error(sqlstate::kUndefinedFunction,
                              "function avg(" + std::string(TypeName(t)) + ") does not exist")
                            .WithHint(kFunctionHint)
                            .WithPosition(ErrorPosition(location)));
          }
          spec.type =
              T(t == TypeId::kFloat8 || t == TypeId::kFloat4 ? TypeId::kFloat8 : TypeId::kNumeric);
          break;
        default:
          if (t == TypeId::kRecord || IsBitType(t)) {  // no min / max of record or bit
            return Fail(
                Error(sqlstate::kUndefinedFunction,
                      "function " + f.name + "(" + std::string(TypeName(t)) + ") does not exist")
                    .WithHint(kFunctionHint)
                    .WithPosition(ErrorPosition(location)));
          }
          // min(text) serves varchar; min(anyarray) keeps the array's type but, as every
          // function result in PostgreSQL, not its typmod (max(array[n]) is numeric[]).
          spec.type = t == TypeId::kArray || t == TypeId::kEnum
                          ? arg->type
                          : T(t == TypeId::kVarchar ? TypeId::kText : t);
          spec.type.typmod = -1;
          break;
      }
      if (!IsStatisticAgg(kind) && kind != AggKind::kBitAnd && kind != AggKind::kBitOr &&
          kind != AggKind::kBitXor) {
        spec.arg = std::move(*arg);
      }
    }
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
    return std::optional<AggSpec>(std::move(spec));
  }
  return std::optional<AggSpec>();
}

namespace {

// enum_first(e), enum_last(e), enum_range(e), enum_range(a, b): their values depend on the
// argument's type and, for enum_range(a, b), the two bounds (NULL: open), read when binding: the
// labels come from the statement's catalog, so the result is a constant.
Result<BoundExpr> BindEnumFunction(const std::string& name, std::vector<BoundExpr> args,
                                   int location) {
  SqlType type;
  for (const BoundExpr& a : args) {
    if (a.type.id == TypeId::kEnum) type = a.type;
  }
  auto no_function = [&]() {
    std::string sig = name + "(";
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) sig += ", ";
      sig += TypeDisplayName(args[i].type);
    }
    return Fail(Error(sqlstate::kUndefinedFunction, "function " + sig + ") does not exist")
                    .WithHint("No function matches the given name and argument types. You might "
                              "need to add explicit type casts.")
                    .WithPosition(ErrorPosition(location)));
  };
  if (type.id != TypeId::kEnum) {
    for (const BoundExpr& a : args) {
      if (a.type.id != TypeId::kUnknown) return no_function();
    }
    return Fail(Error(sqlstate::kDatatypeMismatch,
                      "could not determine polymorphic type because input has type unknown")
                    .WithPosition(ErrorPosition(location)));
  }
  for (BoundExpr& a : args) {
    SQLRITE_TRY(CoerceUnknown(a, type, location));
    if (a.type != type) return no_function();
  }
  EnumTypePtr t = CurrentEnumType(type.enum_oid);
  if (t == nullptr) {
    return Fail(sqlstate::kUndefinedObject,
                "type with OID " + std::to_string(type.enum_oid) + " does not exist");
  }
  if (name != "enum_range") {
    if (t->labels.empty()) {
      return Fail(sqlstate::kObjectNotInPrerequisiteState,
                  "enum " + t->name + " contains no values");
    }
    return ConstOver(EnumValue(name == "enum_first" ? t->labels.front() : t->labels.back()), type,
                     std::move(args));
  }
  std::optional<float> lo, hi;
  if (args.size() == 2) {
    for (size_t i = 0; i < 2; ++i) {
      if (!args[i].IsConst()) {
        return Fail(Error(sqlstate::kFeatureNotSupported,
                          "enum_range over values that are not constants is not supported yet")
                        .WithPosition(ErrorPosition(location)));
      }
      if (IsNull(args[i].value)) continue;
      (i == 0 ? lo : hi) = EnumSortOrderOf(DatumAs<std::string>(args[i].value));
    }
  }
  std::vector<Datum> items;
  for (const EnumLabel& l : t->labels) {
    if ((lo && l.sort_order < *lo) || (hi && l.sort_order > *hi)) continue;
    items.push_back(EnumValue(l));
  }
  return ConstOver(ArrayDatum(TypeId::kEnum, std::move(items)), ArrayOf(type), std::move(args));
}

}  // namespace

Result<BoundExpr> Binder::BindGroupingFunc(const ast::GroupingFunc& g, int location) {
  // GROUPING(a, b): a slot of the aggregate, as an aggregate call is
  // (engine/analyze/grouping_sets.h checks its arguments once GROUP BY is bound).
  if (aggs_ == nullptr) {
    return Fail(Error(sqlstate::kGroupingError,
                      std::string("grouping operations are not allowed in ") + clause_)
                    .WithPosition(ErrorPosition(location)));
  }
  if (in_aggregate_) {
    return Fail(Error(sqlstate::kGroupingError, "aggregate function calls cannot be nested")
                    .WithPosition(ErrorPosition(location)));
  }
  if (g.args.size() >= 32) {
    return Fail(Error("54023", "GROUPING must have fewer than 32 arguments")
                    .WithPosition(ErrorPosition(location)));
  }
  std::vector<BoundExpr> args;
  for (const auto& a : g.args) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*a));
    b.location = ExprLocation(*a);  // where the 42803 of an ungrouped argument points
    args.push_back(std::move(b));
  }
  BoundExpr e;
  e.kind = ExprKind::kAggRef;
  e.type = T(TypeId::kInt4);
  e.index = static_cast<int>(aggs_->size());
  aggs_->push_back(GroupingCallSpec(std::move(args)));
  return e;
}

Result<BoundExpr> Binder::BindMinMax(const ast::MinMax& m, int location) {
  // transformMinMaxExpr: the arguments' common type as UNION/CASE find it (select_common_type,
  // unknown literals converted to it), then the type's ordering; json has none.
  const char* construct = m.least ? "LEAST" : "GREATEST";
  BoundExpr e;
  e.kind = ExprKind::kMinMax;
  e.flag = m.least;
  for (const auto& a : m.args) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*a));
    e.args.push_back(std::move(b));
  }
  std::vector<BoundExpr*> ptrs;
  std::vector<int> locations;
  for (size_t i = 0; i < e.args.size(); ++i) {
    ptrs.push_back(&e.args[i]);
    locations.push_back(ExprLocation(*m.args[i]));
  }
  SQLRITE_ASSIGN_OR_RETURN(e.type, UnifyTypes(ptrs, locations, construct));
  // A record compares field by field (record_cmp), as ORDER BY sorts it.
  if (e.type.id == TypeId::kJson || (e.type.id == TypeId::kArray && e.type.elem == TypeId::kJson)) {
    return Fail(Error(sqlstate::kUndefinedFunction,
                      "could not identify a comparison function for type " + SqlTypeName(e.type))
                    .WithPosition(ErrorPosition(location)));
  }
  return MaybeFold(std::move(e));
}

// Counts e's references to enclosing queries' columns (kOuterRef) in outer, and to its own
// query's columns in local (a subquery counts as local: its levels are not looked into).
static void CountColumnLevels(const BoundExpr& e, int& outer, int& local) {
  if (e.kind == ExprKind::kOuterRef) ++outer;
  if (e.kind == ExprKind::kColumn || e.kind == ExprKind::kSubquery) ++local;
  for (const BoundExpr& a : e.args) CountColumnLevels(a, outer, local);
}

// An aggregate call whose inputs (argument, delimiter, ORDER BY, FILTER) read enclosing
// queries' columns only.
static bool ReadsOnlyOuterColumns(const AggSpec& spec) {
  int outer = 0;
  int local = 0;
  CountColumnLevels(spec.arg, outer, local);
  if (spec.filter) CountColumnLevels(*spec.filter, outer, local);
  if (spec.delimiter) CountColumnLevels(*spec.delimiter, outer, local);
  for (const AggOrderKey& k : spec.order_by) CountColumnLevels(k.expr, outer, local);
  for (const BoundExpr& d : spec.direct_args) CountColumnLevels(d, outer, local);
  return outer > 0 && local == 0;
}

Result<BoundExpr> Binder::BindFunc(const ast::FuncCall& f, int location) {
  if (ast::SpellsInternalName(f)) {
    // A quoted name of the transformer's own calls ("ROWS FROM", "COLLATE C", "[]", ...): no
    // function has it. The error names the arguments' types, as PostgreSQL's.
    std::string sig;
    for (const auto& a : f.args) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*a));
      if (!sig.empty()) sig += ", ";
      sig += SqlTypeName(b.type);
    }
    return Fail(
        Error(sqlstate::kUndefinedFunction, "function " + f.name + "(" + sig + ") does not exist")
            .WithHint(kFunctionHint)
            .WithPosition(ErrorPosition(location)));
  }
  if (ast::CollateCallName(f)) {
    // expr COLLATE name: expr itself (every collation accepted orders as the engine does), once
    // its type takes a collation. An untyped literal stays untyped, as in PostgreSQL
    // (pg_typeof('a' COLLATE "C") is unknown).
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, Bind(*f.args[0]));
    const TypeId id = operand.type.id == TypeId::kArray ? operand.type.elem : operand.type.id;
    if (id != TypeId::kText && id != TypeId::kVarchar && id != TypeId::kBpchar &&
        id != TypeId::kName && id != TypeId::kUnknown) {
      return Fail(Error(sqlstate::kDatatypeMismatch,
                        "collations are not supported by type " + SqlTypeName(operand.type))
                      .WithPosition(ErrorPosition(location)));
    }
    return operand;
  }
  if (f.within_group) {
    // OVER is refused there, once the call is known to be an ordered-set aggregate.
    SQLRITE_ASSIGN_OR_RETURN(AggSpec agg, BindOrderedSetAggregate(f, location));
    BoundExpr e;
    e.kind = ExprKind::kAggRef;
    e.type = agg.type;
    e.index = static_cast<int>(aggs_->size());
    aggs_->push_back(std::move(agg));
    return e;
  }
  const bool percentile = f.name == "percentile_cont" || f.name == "percentile_disc";
  const bool hypothetical = f.name == "rank" || f.name == "dense_rank" ||
                            f.name == "percent_rank" || f.name == "cume_dist";
  if (!f.star && ((percentile && f.args.size() == 2) || (f.name == "mode" && f.args.size() == 1) ||
                  (hypothetical && !f.args.empty()))) {
    // The ordered-set aggregates' signatures take these arguments (percentile_cont(float8,
    // float8), rank(VARIADIC "any"), mode(anyelement)); PostgreSQL finds them and then wants
    // WITHIN GROUP.
    return Fail(Error(sqlstate::kWrongObjectType,
                      "WITHIN GROUP is required for ordered-set aggregate " + f.name)
                    .WithPosition(ErrorPosition(location)));
  }
  if (f.over && !std::exchange(ignore_over_, false)) return BindWindowCall(f, location);
  if (f.over == nullptr && outer_ != nullptr && outer_->binder != nullptr &&
      outer_->values != nullptr) {
    // PostgreSQL's rule (check_agg_arguments): an aggregate belongs to the innermost query
    // level whose columns its arguments read. One that reads only an enclosing query's columns
    // is that query's aggregate (computed over its rows, 42803 where that query's clause allows
    // none), which this subquery reads as an outer value. A trial binding finds the levels; its
    // outer values are dropped, and subqueries make it fail (bound once, at the right level).
    std::vector<AggSpec> trial_aggs;
    std::vector<AggSpec>* aggs = std::exchange(aggs_, &trial_aggs);
    SubqueryBinder* subqueries = std::exchange(subqueries_, nullptr);
    // The outer values of every enclosing level, as they were (the trial's lookups may add to
    // each level's on the way out).
    std::vector<std::pair<std::vector<BoundExpr>*, size_t>> values_before;
    for (const OuterQuery* o = outer_; o != nullptr && o->binder != nullptr && o->values != nullptr;
         o = o->binder->outer_) {
      values_before.emplace_back(o->values, o->values->size());
    }
    Result<std::optional<AggSpec>> trial = BindAggregate(f, location, false);
    aggs_ = aggs;
    subqueries_ = subqueries;
    for (auto& [values, size] : values_before) {
      values->erase(values->begin() + static_cast<std::ptrdiff_t>(size), values->end());
    }
    if (trial && *trial && ReadsOnlyOuterColumns(**trial)) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr outside, outer_->binder->BindFunc(f, location));
      return OuterReference(*outer_->values, std::move(outside), location);
    }
  }
  SQLRITE_ASSIGN_OR_RETURN(std::optional<AggSpec> agg, BindAggregate(f, location, false));
  if (agg) {
    BoundExpr e;
    e.kind = ExprKind::kAggRef;
    e.type = agg->type;
    e.index = static_cast<int>(aggs_->size());
    aggs_->push_back(std::move(*agg));
    return e;
  }
  static const char* const kWindowOnly[] = {
      "row_number", "rank", "dense_rank",  "percent_rank", "cume_dist", "ntile",
      "lag",        "lead", "first_value", "last_value",   "nth_value"};
  for (const char* name : kWindowOnly) {
    if (f.name == name && ((f.args.empty() && !f.star) || f.name == "ntile" || f.name == "lag" ||
                           f.name == "lead" || f.name.find("_value") != std::string::npos)) {
      return Fail(Error(sqlstate::kWrongObjectType,
                        "window function " + f.name + " requires an OVER clause")
                      .WithPosition(ErrorPosition(location)));
    }
  }
  if (f.filter) {
    return Fail(Error(sqlstate::kWrongObjectType,
                      "FILTER specified, but " + f.name + " is not an aggregate function")
                    .WithPosition(ErrorPosition(location)));
  }
  if (f.name == "[:]" && f.args.size() == 3) return BindSlice(f, location);
  std::vector<BoundExpr> args;
  for (const auto& a : f.args) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*a));
    args.push_back(std::move(b));
  }
  if (const auto* lrow = f.args.size() == 2 && !f.operator_symbol.empty()
                             ? std::get_if<ast::RowExpr>(&f.args[0]->node)
                             : nullptr;
      lrow != nullptr && std::holds_alternative<ast::RowExpr>(f.args[1]->node)) {
    // (a, b) ^ (c, d): an operator between two rows is PostgreSQL's row comparison
    // (make_row_comparison_op): the widths, then each pair's operator, which must yield boolean,
    // and then only btree comparison operators (those are BindRowCompare's) are understood.
    const auto& rrow = std::get<ast::RowExpr>(f.args[1]->node);
    if (lrow->args.size() != rrow.args.size()) {
      return Fail(Error(sqlstate::kSyntaxError, "unequal number of entries in row expressions")
                      .WithPosition(ErrorPosition(location)));
    }
    for (size_t i = 0; i < lrow->args.size(); ++i) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr a, Bind(*lrow->args[i]));
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*rrow.args[i]));
      const std::vector<TypeId> pair = {a.type.id, b.type.id};
      const functions::Resolution found = functions::Resolve(f.name, pair);
      const std::string shown =
          SqlTypeName(a.type) + " " + f.operator_symbol + " " + SqlTypeName(b.type);
      if (found.ambiguous) {
        return Fail(Error(sqlstate::kAmbiguousFunction, "operator is not unique: " + shown)
                        .WithHint("Could not choose a best candidate operator. You might need to "
                                  "add explicit type casts.")
                        .WithPosition(ErrorPosition(location)));
      }
      if (found.fn == nullptr) {
        return Fail(Error(sqlstate::kUndefinedFunction, "operator does not exist: " + shown)
                        .WithHint(kOperatorHint)
                        .WithPosition(ErrorPosition(location)));
      }
      if (found.fn->result != TypeId::kBool) {
        return Fail(Error(sqlstate::kDatatypeMismatch,
                          "row comparison operator must yield type boolean, not type " +
                              SqlTypeName(SqlType{found.fn->result, -1, found.fn->result_elem}))
                        .WithPosition(ErrorPosition(location)));
      }
    }
    return Fail(
        Error(sqlstate::kFeatureNotSupported,
              "could not determine interpretation of row comparison operator " + f.operator_symbol)
            .WithHint("Row comparison operators must be associated with btree operator "
                      "families.")
            .WithPosition(ErrorPosition(location)));
  }
  if (!f.arg_names.empty()) {
    SQLRITE_ASSIGN_OR_RETURN(args, PlaceNamedArgs(f, std::move(args), location));
  }
  if (args.size() == 1 && !f.star && f.name == "pg_typeof") {
    // The argument's type is known when binding: the answer is a constant, over the argument
    // (pg_typeof(n) beside max(n) is ungrouped: 42803).
    const int64_t oid = RegtypeOid(args[0].type);
    return ConstOver(Datum(oid), T(TypeId::kRegtype), std::move(args));
  }
  if (!f.star && f.arg_names.empty() &&
      ((args.size() == 1 && (f.name == "enum_first" || f.name == "enum_last")) ||
       (!args.empty() && args.size() <= 2 && f.name == "enum_range"))) {
    return BindEnumFunction(f.name, std::move(args), location);
  }
  if (!f.star && f.arg_names.empty()) {
    SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> array, BindArrayCall(f, args, location));
    if (array) return std::move(*array);
  }
  if (args.empty() && !f.star && f.name == "version") {
    // What drivers and ORMs parse for the version (SQLAlchemy: "PostgreSQL (\d+)\.(\d+)"); the
    // number is server_version's, the parenthesis names the server as distributions name theirs.
    return Const(Datum(std::string(kVersionString)), T(TypeId::kText));
  }
  if (!f.star) {
    SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> byte_func,
                             BindByteFunc(f.name, args, location));
    if (byte_func) {
      if (byte_func->index == static_cast<int>(Func::kGenRandomUuid)) return std::move(*byte_func);
      return MaybeFold(std::move(*byte_func));
    }
  }
  BoundExpr e;
  e.kind = ExprKind::kFunc;
  if (args.size() == 1 && !f.star) {
    if ((f.name == "lower" || f.name == "upper" || f.name == "length" || f.name == "char_length") &&
        IsStringType(args[0].type.id)) {
      SQLRITE_TRY(CoerceUnknown(args[0], T(TypeId::kText), location));
      // char(n) through its cast to text: length() does not count the padding (bpcharlen).
      if (args[0].type.id == TypeId::kBpchar) SQLRITE_TRY(CastTo(args[0], T(TypeId::kText)));
      e.index = static_cast<int>(f.name == "lower"   ? Func::kLower
                                 : f.name == "upper" ? Func::kUpper
                                                     : Func::kLength);
      e.type = T(f.name[0] == 'l' && f.name != "length" ? TypeId::kText
                 : f.name == "upper"                    ? TypeId::kText
                                                        : TypeId::kInt4);
      e.args = std::move(args);
      return MaybeFold(std::move(e));
    }
    if (f.name == "abs" && IsNumericType(args[0].type.id)) {
      e.index = static_cast<int>(Func::kAbs);
      e.type = args[0].type;
      e.args = std::move(args);
      return MaybeFold(std::move(e));
    }
  }
  if (!f.star && (args.size() == 1 || args.size() == 2)) {
    SQLRITE_ASSIGN_OR_RETURN(std::optional<BoundExpr> math, BindMathFunc(f.name, args, location));
    if (math) return MaybeFold(std::move(*math));
  }
  std::string sig;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) sig += ", ";
    sig += std::string(TypeName(args[i].type.id));
  }
  if (!f.star && !f.distinct) {
    std::vector<TypeId> types;
    types.reserve(args.size());
    for (const BoundExpr& a : args) types.push_back(a.type.id);
    functions::Resolution found = functions::Resolve(f.name, types);
    if (!f.operator_symbol.empty() && types.size() == 2 &&
        (types[0] == TypeId::kUnknown) != (types[1] == TypeId::kUnknown)) {
      // PostgreSQL's binary_oper_exact: an operator with one unknown operand is first looked up
      // with that operand of the other's type ('12' << 2 is int4 << int4), as an exact match.
      const size_t unknown = types[0] == TypeId::kUnknown ? 0 : 1;
      std::vector<TypeId> same = types;
      same[unknown] = types[1 - unknown];
      const functions::Resolution exact = functions::Resolve(f.name, same);
      if (exact.fn != nullptr && exact.fn->nparams == 2 && exact.fn->params[0] == same[0] &&
          exact.fn->params[1] == same[1]) {
        found = exact;
      }
    }
    if (!f.operator_symbol.empty() && found.fn == nullptr && args.size() == 1) {
      return Fail(
          Error(sqlstate::kUndefinedFunction, "operator does not exist: " + f.operator_symbol +
                                                  " " + std::string(TypeName(args[0].type.id)))
              .WithHint(kOperatorHint)
              .WithPosition(ErrorPosition(location)));
    }
    if (!f.operator_symbol.empty() && found.fn == nullptr && args.size() == 2) {
      // An operator spelled as its function's call fails as the operator: PostgreSQL's error
      // names the operator and its operand types (each such function has one overload, so none
      // is ambiguous).
      return Fail(Error(sqlstate::kUndefinedFunction,
                        "operator does not exist: " + std::string(TypeName(args[0].type.id)) + " " +
                            f.operator_symbol + " " + std::string(TypeName(args[1].type.id)))
                      .WithHint(kOperatorHint)
                      .WithPosition(ErrorPosition(location)));
    }
    if (found.ambiguous) {
      return Fail(
          Error(sqlstate::kAmbiguousFunction, "function " + f.name + "(" + sig + ") is not unique")
              .WithHint("Could not choose a best candidate function. You might need to "
                        "add explicit type casts.")
              .WithPosition(ErrorPosition(location)));
    }
    // Subscripting is a property of the subscripted type itself: name's ("char" bytes) is not
    // reached through an implicit cast from text.
    const bool cast_subscript = f.name == "[]" && found.fn != nullptr &&
                                found.fn->params[0] == TypeId::kName &&
                                args[0].type.id != TypeId::kName;
    if (found.fn != nullptr && !cast_subscript) {
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr call, BindBuiltin(*found.fn, std::move(args), location));
      // Written as an operator (~, @>, ...): the view printer prints the call as one.
      if (!f.operator_symbol.empty() && call.kind == ExprKind::kBuiltin) call.flag = true;
      return call;
    }
  }
  if (f.name == "[]" && args.size() == 2) {
    return Fail(Error(sqlstate::kDatatypeMismatch, "cannot subscript type " +
                                                       std::string(TypeName(args[0].type.id)) +
                                                       " because it does not support subscripting")
                    .WithPosition(ErrorPosition(location)));
  }
  if (f.star) sig = "*";
  return Fail(
      Error(sqlstate::kUndefinedFunction, "function " + f.name + "(" + sig + ") does not exist")
          .WithHint(kFunctionHint)
          .WithPosition(ErrorPosition(location)));
}

Result<BoundExpr> Binder::BindBuiltin(const functions::Builtin& fn, std::vector<BoundExpr> args,
                                      int location) {
  // Polymorphic parameters: the element type from the first array argument, else from the
  // first typed element argument (text for untyped ones).
  SqlType element = T(TypeId::kUnknown);
  bool polymorphic = fn.result == TypeId::kAnyArray || fn.result == TypeId::kAnyElement;
  for (size_t i = 0; i < args.size() && i < fn.nparams; ++i) {
    const TypeId p = fn.params[i];
    polymorphic |= p == TypeId::kAnyArray || p == TypeId::kAnyElement;
    if (p == TypeId::kAnyArray && element.id == TypeId::kUnknown) element = ElementOf(args[i].type);
  }
  for (size_t i = 0; i < args.size() && i < fn.nparams && element.id == TypeId::kUnknown; ++i) {
    if (fn.params[i] == TypeId::kAnyElement && args[i].type.id != TypeId::kUnknown) {
      element = SqlType{args[i].type.id, -1, TypeId::kUnknown, args[i].type.enum_oid};
    }
  }
  if (polymorphic && element.id == TypeId::kUnknown) element = T(TypeId::kText);
  element.typmod = -1;
  for (size_t i = 0; i < args.size() && polymorphic; ++i) {
    // An argument that would need more than an implicit cast to the resolved type: the
    // function does not exist for these types.
    const TypeId p = i < fn.nparams ? fn.params[i] : TypeId::kUnknown;
    const TypeId have = p == TypeId::kAnyArray ? args[i].type.elem : args[i].type.id;
    if ((p == TypeId::kAnyArray || p == TypeId::kAnyElement) && have != TypeId::kUnknown &&
        !functions::ImplicitlyCastable(have, element.id)) {
      std::string sig;
      for (size_t k = 0; k < args.size(); ++k) sig += (k ? ", " : "") + SqlTypeName(args[k].type);
      return Fail(Error(sqlstate::kUndefinedFunction,
                        "function " + std::string(fn.name) + "(" + sig + ") does not exist")
                      .WithHint(kFunctionHint)
                      .WithPosition(ErrorPosition(location)));
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (i < fn.nparams) {
      const SqlType to = fn.params[i] == TypeId::kAnyArray     ? ArrayOf(element)
                         : fn.params[i] == TypeId::kAnyElement ? element
                                                               : T(fn.params[i]);
      SQLRITE_TRY(CoerceUnknown(args[i], to, location));
      SQLRITE_TRY(CastTo(args[i], to));
    } else {
      // A variadic "any" argument keeps its type; an untyped literal there is text.
      SQLRITE_TRY(CoerceUnknown(args[i], T(TypeId::kText), location));
    }
  }
  const bool collect = fn.set_impl != nullptr && !set_returning_ && set_calls_ != nullptr &&
                       !in_aggregate_ && !in_window_;
  if (fn.set_impl != nullptr && !set_returning_ && !collect) {
    return Fail(Error(sqlstate::kFeatureNotSupported,
                      "set-returning functions are not supported outside FROM yet")
                    .WithPosition(ErrorPosition(location)));
  }
  BoundExpr e;
  e.kind = ExprKind::kBuiltin;
  e.builtin = &fn;
  e.type = fn.result == TypeId::kAnyArray ? ArrayOf(element)
           : fn.result == TypeId::kAnyElement
               ? element
               : SqlType{fn.result, fn.result_typmod, fn.result_elem};
  e.args = std::move(args);
  e.location = location;
  if (collect) {
    // A select list's set-returning call: run by the query's ProjectSet, read here as its
    // column. PostgreSQL nests ProjectSets for a call inside another's arguments; one level
    // here.
    for (const BoundExpr& a : e.args) {
      if (ContainsSetRef(a)) {
        return Fail(Error(sqlstate::kFeatureNotSupported,
                          "set-returning functions in the arguments of a set-returning function "
                          "are not supported yet")
                        .WithPosition(ErrorPosition(location)));
      }
    }
    BoundExpr ref;
    ref.kind = ExprKind::kSetRef;
    ref.type = e.type;
    ref.location = location;
    // The same call twice runs once: in PostgreSQL's lockstep both would give the same rows.
    for (size_t i = 0; i < set_calls_->size(); ++i) {
      if (SameExpr((*set_calls_)[i], e)) {
        ref.index = static_cast<int>(i);
        return ref;
      }
    }
    ref.index = static_cast<int>(set_calls_->size());
    set_calls_->push_back(std::move(e));
    return ref;
  }
  if (fn.reads_catalog) static_cast<void>(catalog::CurrentSystemSource());
  if (fn.is_volatile || !fn.foldable) return e;
  return MaybeFold(std::move(e));
}

bool ContainsSetRef(const BoundExpr& e) {
  if (e.kind == ExprKind::kSetRef) return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [](const BoundExpr& a) { return ContainsSetRef(a); });
}

namespace {

// The comparison operators ANY / ALL take, by the transformer's call names ("= ANY", "< ALL").
std::optional<std::pair<BinaryOp, bool>> AnyAllOperator(std::string_view name) {
  const bool all = name.ends_with(" ALL");
  if (!all && !name.ends_with(" ANY")) return std::nullopt;
  const std::string_view op = name.substr(0, name.size() - 4);
  BinaryOp b;
  if (op == "=") {
    b = BinaryOp::kEq;
  } else if (op == "<>") {
    b = BinaryOp::kNe;
  } else if (op == "<") {
    b = BinaryOp::kLt;
  } else if (op == "<=") {
    b = BinaryOp::kLe;
  } else if (op == ">") {
    b = BinaryOp::kGt;
  } else if (op == ">=") {
    b = BinaryOp::kGe;
  } else {
    return std::nullopt;
  }
  return std::make_pair(b, all);
}

// An array subscript's type check (int4, or an integer type or untyped literal cast to it).
Status CoerceSubscript(BoundExpr& index, int location) {
  SQLRITE_TRY(CoerceUnknown(index, T(TypeId::kInt4), location));
  if (!IsNumericType(index.type.id)) {
    return Fail(Error(sqlstate::kDatatypeMismatch, "array subscript must have type integer")
                    .WithPosition(ErrorPosition(location)));
  }
  return CastTo(index, T(TypeId::kInt4));
}

}  // namespace

Result<std::optional<BoundExpr>> Binder::BindArrayCall(const ast::FuncCall& f,
                                                       std::vector<BoundExpr>& args, int location) {
  BoundExpr e;
  e.location = location;
  if (f.name == "array") {
    if (args.empty()) {
      return Fail(Error(sqlstate::kIndeterminateDatatype, "cannot determine type of empty array")
                      .WithHint("Explicitly cast to the desired type, for example "
                                "ARRAY[]::integer[].")
                      .WithPosition(ErrorPosition(location)));
    }
    std::vector<BoundExpr*> ptrs;
    std::vector<int> locations;
    for (size_t i = 0; i < args.size(); ++i) {
      ptrs.push_back(&args[i]);
      locations.push_back(ExprLocation(*f.args[i]));
    }
    SQLRITE_ASSIGN_OR_RETURN(SqlType element, UnifyTypes(ptrs, locations, "ARRAY"));
    if (element.id == TypeId::kArray) {
      return Fail(
          Error(sqlstate::kFeatureNotSupported, "multidimensional arrays are not supported yet")
              .WithPosition(ErrorPosition(location)));
    }
    if (!HasArrayType(element.id)) {
      return Fail(Error(sqlstate::kUndefinedObject,
                        "could not find array type for data type " + SqlTypeName(element))
                      .WithPosition(ErrorPosition(location)));
    }
    e.kind = ExprKind::kArrayCtor;
    // An enum's array keeps the enum (mood[], not anyenum[]); the elements' shared typmod stays
    // (ARRAY[n, n] of a numeric(3,1) column is numeric(3,1)[]).
    e.type = ArrayOf(element.id == TypeId::kEnum     ? EnumSqlType(element.enum_oid)
                     : element.id == TypeId::kRecord ? element
                                                     : SqlType{element.id, element.typmod});
    e.args = std::move(args);
    return MaybeFold(std::move(e));
  }
  if (f.name == "array_fill" && (args.size() == 2 || args.size() == 3)) {
    // array_fill(anyelement, integer[] [, integer[]]): the value fixes the element type (an
    // untyped one cannot, 42804 as PostgreSQL's enforce_generic_type_consistency); the dimensions
    // are integer arrays (smallint[] by its implicit cast; an untyped literal read as one).
    if (args[0].type.id == TypeId::kUnknown) {
      return Fail(Error(sqlstate::kDatatypeMismatch,
                        "could not determine polymorphic type because input has type unknown")
                      .WithPosition(ErrorPosition(location)));
    }
    bool ok = true;
    for (size_t i = 1; i < args.size(); ++i) {
      SQLRITE_TRY(CoerceUnknown(args[i], ArrayOf(T(TypeId::kInt4)), location));
      if (args[i].type.id == TypeId::kInt2Array) {
        // smallint[] (engine/types/int2_array.h) through its text, which integer[] reads.
        SQLRITE_TRY(CastTo(args[i], T(TypeId::kText)));
        SQLRITE_TRY(CastTo(args[i], ArrayOf(T(TypeId::kInt4))));
      }
      const bool int_array =
          args[i].type.id == TypeId::kArray &&
          (args[i].type.elem == TypeId::kInt4 || args[i].type.elem == TypeId::kInt2);
      ok &= int_array || args[i].type.id == TypeId::kUnknown;
    }
    if (ok) {
      for (size_t i = 1; i < args.size(); ++i) {
        SQLRITE_TRY(CastTo(args[i], ArrayOf(T(TypeId::kInt4))));
      }
      if (args[0].type.id == TypeId::kArray || !HasArrayType(args[0].type.id)) {
        return Fail(Error(sqlstate::kUndefinedObject,
                          "could not find array type for data type " + SqlTypeName(args[0].type))
                        .WithPosition(ErrorPosition(location)));
      }
      const functions::Builtin* fill = nullptr;
      for (const functions::Builtin* b : functions::BuiltinsNamed("array_fill")) {
        if (b->nparams == args.size()) fill = b;
      }
      SQLRITE_ASSERT(fill != nullptr);
      e.kind = ExprKind::kBuiltin;
      e.builtin = fill;
      e.type = ArrayOf(args[0].type.id == TypeId::kEnum
                           ? EnumSqlType(args[0].type.enum_oid)
                           : SqlType{args[0].type.id, -1, TypeId::kUnknown, 0});
      e.args = std::move(args);
      return MaybeFold(std::move(e));
    }
    std::string sig;
    for (size_t k = 0; k < args.size(); ++k) sig += (k ? ", " : "") + SqlTypeName(args[k].type);
    return Fail(
        Error(sqlstate::kUndefinedFunction, "function array_fill(" + sig + ") does not exist")
            .WithHint(kFunctionHint)
            .WithPosition(ErrorPosition(location)));
  }
  if (f.name == "[]" && args.size() == 2 && args[0].type.id == TypeId::kArray) {
    SQLRITE_TRY(CoerceSubscript(args[1], location));
    e.kind = ExprKind::kSubscript;
    e.type = ElementOf(args[0].type);
    e.args = std::move(args);
    return MaybeFold(std::move(e));
  }
  const auto any_all = AnyAllOperator(f.name);
  if (!any_all || args.size() != 2) return std::nullopt;
  BoundExpr& l = args[0];
  BoundExpr& r = args[1];
  if (r.type.id == TypeId::kUnknown) {
    // An untyped right side is an array of the left side's type (text when both are untyped).
    SQLRITE_TRY(CoerceUnknown(l, T(TypeId::kText), location));
    if (HasArrayType(l.type.id)) {
      SQLRITE_TRY(CoerceUnknown(
          r, ArrayOf(SqlType{l.type.id, -1, TypeId::kUnknown, l.type.enum_oid}), location));
    }
  }
  if (r.type.id != TypeId::kArray) {
    if (f.name == "= ANY") return std::nullopt;  // the catalogs' text arrays (the registry's)
    return Fail(Error(sqlstate::kWrongObjectType, "op ANY/ALL (array) requires array on right side")
                    .WithPosition(ErrorPosition(location)));
  }
  SQLRITE_TRY(CoerceUnknown(l, ElementOf(r.type), location));
  const TypeId el = r.type.elem;
  if (l.type.id != el) {
    if (IsNumericType(l.type.id) && IsNumericType(el)) {
      const TypeId wider = WiderNumeric(l.type.id, el);
      SQLRITE_TRY(CastTo(l, T(wider)));
      SQLRITE_TRY(CastTo(r, ArrayOf(T(wider))));
    } else if (!(IsStringType(l.type.id) && IsStringType(el)) &&
               !(IsOidType(l.type.id) && IsOidType(el))) {
      return Fail(
          Error(sqlstate::kUndefinedFunction, "operator does not exist: " + SqlTypeName(l.type) +
                                                  " " + ast::OperatorSymbol(any_all->first) + " " +
                                                  SqlTypeName(ElementOf(r.type)))
              .WithHint(kOperatorHint)
              .WithPosition(ErrorPosition(location)));
    }
  }
  e.kind = ExprKind::kAnyAll;
  e.op = any_all->first;
  e.flag = any_all->second;
  e.type = T(TypeId::kBool);
  e.args = std::move(args);
  return MaybeFold(std::move(e));
}

Result<BoundExpr> Binder::BindSlice(const ast::FuncCall& f, int location) {
  BoundExpr e;
  e.kind = ExprKind::kSubscript;
  e.flag = true;
  e.index = 0;
  e.location = location;
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr array, Bind(*f.args[0]));
  if (array.type.id != TypeId::kArray) {
    return Fail(Error(sqlstate::kDatatypeMismatch, "cannot subscript type " +
                                                       SqlTypeName(array.type) +
                                                       " because it does not support subscripting")
                    .WithPosition(ErrorPosition(location)));
  }
  e.type = array.type;
  e.args.push_back(std::move(array));
  for (int i = 1; i <= 2; ++i) {
    if (std::holds_alternative<ast::DefaultMarker>(f.args[i]->node)) {
      e.args.push_back(Const(Datum{}, T(TypeId::kInt4)));
      continue;
    }
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr bound, Bind(*f.args[i]));
    SQLRITE_TRY(CoerceSubscript(bound, location));
    e.args.push_back(std::move(bound));
    e.index |= i;
  }
  return MaybeFold(std::move(e));
}

Result<BoundExpr> Binder::BindFieldSelect(const ast::FieldSelect& f, int location) {
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, Bind(*f.operand));
  if (operand.type.id == TypeId::kRecord && operand.type.typmod < 0) {
    // A row value's fields are known where it is built: a ROW(...) or whole-row reference
    // gives the argument itself, a constant one its value's field.
    if (operand.kind == ExprKind::kRowCtor) {
      SQLRITE_ASSIGN_OR_RETURN(std::vector<row_value::Field> fields,
                               row_value::DecodeDescriptor(DatumAs<std::string>(operand.value)));
      for (size_t i = 0; i < fields.size() && i < operand.args.size(); ++i) {
        if (fields[i].name == f.field) return std::move(operand.args[i]);
      }
    } else if (operand.IsConst() && !IsNull(operand.value) &&
               row_value::IsRowValue(DatumAs<std::string>(operand.value))) {
      SQLRITE_ASSIGN_OR_RETURN(row_value::Decoded d,
                               row_value::Decode(DatumAs<std::string>(operand.value)));
      for (size_t i = 0; i < d.fields.size(); ++i) {
        if (d.fields[i].name == f.field) return Const(std::move(d.values[i]), d.fields[i].type);
      }
    }
    if (const auto* ref = std::get_if<ast::ColumnRef>(&f.operand->node);
        ref != nullptr && operand.kind == ExprKind::kRowCtor) {
      // A whole-row reference's missing field is a missing column of its FROM item.
      return Fail(Error(sqlstate::kUndefinedColumn,
                        "column " + (ref->column == "*" ? ref->table : ref->column) + "." +
                            f.field + " does not exist")
                      .WithPosition(ErrorPosition(location)));
    }
    return Fail(Error(sqlstate::kUndefinedColumn,
                      "could not identify column \"" + f.field + "\" in record data type")
                    .WithPosition(ErrorPosition(location)));
  }
  const record::Shape* shape =
      operand.type.id == TypeId::kRecord ? record::Find(operand.type.typmod) : nullptr;
  if (shape == nullptr) {
    return Fail(Error(sqlstate::kWrongObjectType, "column notation ." + f.field +
                                                      " applied to type " +
                                                      std::string(TypeName(operand.type.id)) +
                                                      ", which is not a composite type")
                    .WithPosition(ErrorPosition(location)));
  }
  for (size_t i = 0; i < shape->fields.size(); ++i) {
    if (shape->fields[i].name != f.field) continue;
    BoundExpr e;
    e.kind = ExprKind::kFieldSelect;
    e.type = shape->fields[i].type;
    e.index = static_cast<int>(i);
    e.location = location;
    e.args.push_back(std::move(operand));
    return MaybeFold(std::move(e));
  }
  return Fail(Error(sqlstate::kUndefinedColumn,
                    "could not identify column \"" + f.field + "\" in record data type")
                  .WithPosition(ErrorPosition(location)));
}

Result<BoundExpr> Binder::BindParam(int number, int location) {
  ParamContext* params = CurrentParams();
  const size_t n = static_cast<size_t>(number);
  if (params != nullptr && number > 0 && params->describing() && n > params->types.size()) {
    params->types.resize(n);  // as PostgreSQL, a $n past the declared ones adds parameters
  }
  if (params == nullptr || number <= 0 || n > params->types.size() ||
      (!params->describing() && n > params->values->size())) {
    return Fail(
        Error(sqlstate::kUndefinedParameter, "there is no parameter $" + std::to_string(number))
            .WithPosition(ErrorPosition(location)));
  }
  const SqlType declared = params->types[n - 1];
  if (declared.enum_oid != 0 && !params->describing()) {
    // A value of an enum type arrives as its label (enum_in's text, enum_recv's bytes): bound as
    // text under a cast that carries the type's labels, so a kept plan casts it per execution.
    EnumTypePtr t = CurrentEnumType(declared.enum_oid);
    if (t == nullptr) {
      return Fail(sqlstate::kUndefinedObject,
                  "type with OID " + std::to_string(declared.enum_oid) + " does not exist");
    }
    // Read now, as PostgreSQL's Bind reads it (its error has the Bind's context): the plan
    // depends on this value, and is not kept.
    params->value_read = true;
    const Datum& label = (*params->values)[n - 1];
    if (IsNull(label)) return Const(Datum(), declared);
    const EnumLookupScope lookup(t);
    Result<Datum> v = CastDatum(label, TypeId::kText, declared, true);
    if (!v) {
      Error e = std::move(v.error());
      if (n <= params->bind_context.size()) e.context = params->bind_context[n - 1];
      return Fail(std::move(e));
    }
    BoundExpr value = Const(std::move(*v), declared);
    value.location = location;
    return value;
  }
  if (params->references) {
    BoundExpr ref;
    ref.kind = ExprKind::kParam;
    ref.type = params->types[n - 1];
    ref.param = number;
    ref.location = location;
    return ref;
  }
  BoundExpr e =
      Const(params->describing() ? Datum{} : (*params->values)[n - 1], params->types[n - 1]);
  e.location = location;
  if (params->describing()) e.param = number;
  return e;
}

Result<BoundExpr> Binder::Bind(const ast::Expr& expr) {
  if (&expr == replaced_call_) return replacement_;
  const int loc = expr.location;
  SQLRITE_TRY(CheckExplicitCollations(expr));
  return std::visit(
      [&](const auto& n) -> Result<BoundExpr> {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, ast::NullLiteral>) {
          return Const(Datum{}, T(TypeId::kUnknown));
        } else if constexpr (std::is_same_v<N, ast::BoolLiteral>) {
          return Const(Datum(n.value), T(TypeId::kBool));
        } else if constexpr (std::is_same_v<N, ast::IntLiteral>) {
          bool fits = n.value >= std::numeric_limits<int32_t>::min() &&
                      n.value <= std::numeric_limits<int32_t>::max();
          return Const(Datum(n.value), T(fits ? TypeId::kInt4 : TypeId::kInt8));
        } else if constexpr (std::is_same_v<N, ast::NumericLiteral>) {
          SQLRITE_ASSIGN_OR_RETURN(Datum v, ParseText(n.text, T(TypeId::kNumeric)));
          return Const(std::move(v), T(TypeId::kNumeric));
        } else if constexpr (std::is_same_v<N, ast::StringLiteral>) {
          if (n.taken) {
            return Fail(sqlstate::kInternalError, "a single-use statement tree was bound twice");
          }
          if (n.single_use) n.taken = true;
          BoundExpr e =
              Const(n.single_use ? Datum(std::move(n.value)) : Datum(n.value), T(TypeId::kUnknown));
          e.location = loc;
          return e;
        } else if constexpr (std::is_same_v<N, ast::ColumnRef>) {
          return BindColumn(n, loc);
        } else if constexpr (std::is_same_v<N, ast::ParamRef>) {
          return BindParam(n.number, loc);
        } else if constexpr (std::is_same_v<N, ast::Unary>) {
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, Bind(*n.operand));
          BoundExpr e;
          if (n.op == ast::UnaryOp::kNot) {
            SQLRITE_TRY(CoerceUnknown(operand, T(TypeId::kBool), n.operand->location));
            if (operand.type.id != TypeId::kBool) {
              return Fail(Error(sqlstate::kDatatypeMismatch,
                                "argument of NOT must be type boolean, not type " +
                                    std::string(TypeName(operand.type.id)))
                              .WithPosition(ErrorPosition(ExprLocation(*n.operand))));
            }
            e.kind = ExprKind::kNot;
            e.type = T(TypeId::kBool);
          } else {
            if (operand.type.id == TypeId::kUnknown) {
              SQLRITE_TRY(CoerceUnknown(operand, T(TypeId::kNumeric), n.operand->location));
            }
            if (!IsNumericType(operand.type.id) && operand.type.id != TypeId::kInterval) {
              return Fail(Error(sqlstate::kUndefinedFunction,
                                std::string("operator does not exist: ") +
                                    (n.op == ast::UnaryOp::kNegate ? "- " : "+ ") +
                                    std::string(TypeName(operand.type.id)))
                              .WithHint(kUnaryOperatorHint)
                              .WithPosition(ErrorPosition(loc)));
            }
            if (n.op == ast::UnaryOp::kPlus) return operand;
            e.kind = ExprKind::kNegate;
            e.type = operand.type;
          }
          e.args.push_back(std::move(operand));
          return MaybeFold(std::move(e));
        } else if constexpr (std::is_same_v<N, ast::Binary>) {
          return BindBinary(n, loc);
        } else if constexpr (std::is_same_v<N, ast::DistinctFrom>) {
          return BindDistinctFrom(n, loc);
        } else if constexpr (std::is_same_v<N, ast::IsNullTest>) {
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, Bind(*n.operand));
          BoundExpr e;
          e.kind = ExprKind::kIsNull;
          e.negated = n.negated;
          e.type = T(TypeId::kBool);
          e.args.push_back(std::move(operand));
          return MaybeFold(std::move(e));
        } else if constexpr (std::is_same_v<N, ast::BoolTest>) {
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, BindCondition(*n.operand, "IS TRUE"));
          BoundExpr e;
          e.kind = ExprKind::kBoolTest;
          e.index = static_cast<int>(n.kind);
          e.type = T(TypeId::kBool);
          e.args.push_back(std::move(operand));
          return MaybeFold(std::move(e));
        } else if constexpr (std::is_same_v<N, ast::Like>) {
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, Bind(*n.operand));
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr pattern, Bind(*n.pattern));
          SQLRITE_TRY(CoerceUnknown(operand, T(TypeId::kText), loc));
          SQLRITE_TRY(CoerceUnknown(pattern, T(TypeId::kText), loc));
          if (!IsStringType(operand.type.id) || !IsStringType(pattern.type.id)) {
            return Fail(Error(sqlstate::kUndefinedFunction,
                              "operator does not exist: " + std::string(TypeName(operand.type.id)) +
                                  " ~~ " + std::string(TypeName(pattern.type.id)))
                            .WithHint(kOperatorHint)
                            .WithPosition(ErrorPosition(loc)));
          }
          BoundExpr e;
          e.kind = ExprKind::kLike;
          e.negated = n.negated;
          e.flag = n.case_insensitive;
          e.type = T(TypeId::kBool);
          e.args.push_back(std::move(operand));
          e.args.push_back(std::move(pattern));
          return MaybeFold(std::move(e));
        } else if constexpr (std::is_same_v<N, ast::InList>) {
          if (std::holds_alternative<ast::RowExpr>(n.operand->node)) return BindRowIn(n, loc);
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, Bind(*n.operand));
          BoundExpr e;
          e.kind = ExprKind::kIn;
          e.negated = n.negated;
          e.type = T(TypeId::kBool);
          // date, timestamp and timestamptz are one category whose common type is the widest
          // of them (PostgreSQL's select_common_type over the operand and the items): the
          // operand takes it first, so each item is then cast to the operand's type rather than
          // compared with it as a raw number of another unit.
          std::vector<BoundExpr> bound_items;
          int widest = MomentRank(operand.type.id);
          for (const auto& item : n.items) {
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr bi, Bind(*item));
            widest = std::max(widest, MomentRank(bi.type.id));
            bound_items.push_back(std::move(bi));
          }
          if (widest > 0 &&
              (operand.type.id == TypeId::kUnknown || MomentRank(operand.type.id) > 0)) {
            const SqlType common = T(widest == 3   ? TypeId::kTimestampTz
                                     : widest == 2 ? TypeId::kTimestamp
                                                   : TypeId::kDate);
            SQLRITE_TRY(CoerceUnknown(operand, common, loc));
            SQLRITE_TRY(CastTo(operand, common));
          }
          // time beside an interval item compares as an interval, for the same reason.
          if (operand.type.id == TypeId::kTime &&
              std::any_of(bound_items.begin(), bound_items.end(),
                          [](const BoundExpr& b) { return b.type.id == TypeId::kInterval; })) {
            SQLRITE_TRY(CastTo(operand, T(TypeId::kInterval)));
          }
          // char(n) beside text or varchar compares as text (BindCompare casts the char(n)
          // side of each pair), so the operand loses its padding once, here.
          if (operand.type.id == TypeId::kBpchar &&
              std::any_of(bound_items.begin(), bound_items.end(), [](const BoundExpr& b) {
                return IsStringType(b.type.id) && b.type.id != TypeId::kBpchar &&
                       b.type.id != TypeId::kUnknown;
              })) {
            SQLRITE_TRY(CastTo(operand, T(TypeId::kText)));
          }
          std::vector<BoundExpr> items;
          for (size_t i = 0; i < n.items.size(); ++i) {
            BoundExpr bi = std::move(bound_items[i]);
            // Folding needs an unfolded copy of a constant item.
            std::optional<BoundExpr> copy;
            if (bi.IsConst()) copy = bi;
            // Type-check each item as operand = item; keep the coerced sides.
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr cmp,
                                     BindCompare(BinaryOp::kEq, operand, std::move(bi), loc));
            if (cmp.kind == ExprKind::kCompare) {
              if (operand.type.id == TypeId::kUnknown) operand = cmp.args[0];
              items.push_back(std::move(cmp.args[1]));
            } else {
              // Folded: both sides constant, so the item is a constant too; keep its value.
              SQLRITE_ASSERT(copy.has_value());
              BoundExpr again = std::move(*copy);
              if (again.type.id == TypeId::kUnknown) {
                SQLRITE_TRY(CoerceUnknown(
                    again, operand.type.id == TypeId::kUnknown ? T(TypeId::kText) : operand.type,
                    loc));
              }
              if (MomentRank(again.type.id) > 0) SQLRITE_TRY(CastTo(again, operand.type));
              items.push_back(std::move(again));
            }
          }
          if (operand.type.id == TypeId::kUnknown) {
            SQLRITE_TRY(CoerceUnknown(operand, T(TypeId::kText), loc));
          }
          e.args.push_back(std::move(operand));
          for (auto& item : items) e.args.push_back(std::move(item));
          return MaybeFold(std::move(e));
        } else if constexpr (std::is_same_v<N, ast::Between>) {
          // x >= low AND x <= high, x bound once per comparison as PostgreSQL's parser does.
          auto range = [&](const ast::Expr& low, const ast::Expr& high) -> Result<BoundExpr> {
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr x1, Bind(*n.operand));
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr x2, Bind(*n.operand));
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr lo, Bind(low));
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr hi, Bind(high));
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr a,
                                     BindCompare(BinaryOp::kGe, std::move(x1), std::move(lo), loc));
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr b,
                                     BindCompare(BinaryOp::kLe, std::move(x2), std::move(hi), loc));
            BoundExpr both;
            both.kind = ExprKind::kAnd;
            both.flag = true;  // a BETWEEN's: its own AND list when printed (catalog/rule_deparse)
            both.type = T(TypeId::kBool);
            both.args.push_back(std::move(a));
            both.args.push_back(std::move(b));
            return MaybeFold(std::move(both));
          };
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, range(*n.low, *n.high));
          if (n.symmetric) {
            // SYMMETRIC: (x BETWEEN low AND high) OR (x BETWEEN high AND low).
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr swapped, range(*n.high, *n.low));
            BoundExpr either;
            either.kind = ExprKind::kOr;
            either.type = T(TypeId::kBool);
            either.args.push_back(std::move(e));
            either.args.push_back(std::move(swapped));
            SQLRITE_ASSIGN_OR_RETURN(e, MaybeFold(std::move(either)));
          }
          if (!n.negated) return e;
          BoundExpr not_e;
          not_e.kind = ExprKind::kNot;
          not_e.type = T(TypeId::kBool);
          not_e.args.push_back(std::move(e));
          return MaybeFold(std::move(not_e));
        } else if constexpr (std::is_same_v<N, ast::Case>) {
          BoundExpr e;
          e.kind = ExprKind::kCase;
          std::vector<BoundExpr> results;
          std::vector<int> result_locations;
          BoundExpr operand;
          if (n.operand) {
            SQLRITE_ASSIGN_OR_RETURN(operand, Bind(*n.operand));
            e.flag = true;
          }
          std::vector<BoundExpr> conds;
          // NULLIF(a, b) returns the left input of its `=` operator, so a promoted one:
          // NULLIF(1, 2.2) is numeric, NULLIF('1', 2) integer (PostgreSQL's
          // transformNullIfExpr). Integers beside integers, floats beside floats and moments
          // beside moments have cross-type operators that keep the left type, and a float
          // on the left stays itself: an integer or numeric on the right casts to it
          // (NULLIF(0.1::real, 0) is real, as `real = real`).
          std::optional<SqlType> nullif_type;
          const auto* nullif_eq = n.nullif && n.whens.size() == 1
                                      ? std::get_if<ast::Binary>(&n.whens[0].condition->node)
                                      : nullptr;
          // NULLIF's `a` is bound twice (the comparison's left side and the ELSE) but evaluated
          // once (EvalNullIf): the casts each use adds over it are counted here.
          bool once = false;
          int casts_in_left = 0;
          for (const auto& w : n.whens) {
            if (nullif_eq != nullptr) {
              SQLRITE_ASSIGN_OR_RETURN(BoundExpr l, Bind(*nullif_eq->left));
              SQLRITE_ASSIGN_OR_RETURN(BoundExpr r, Bind(*nullif_eq->right));
              once = !l.IsConst();
              casts_in_left = -CastLayers(l);
              const TypeId a = l.type.id, b = r.type.id;
              const auto is_float = [](TypeId t) {
                return t == TypeId::kFloat4 || t == TypeId::kFloat8;
              };
              SQLRITE_ASSIGN_OR_RETURN(BoundExpr cmp,
                                       BindCompareNode(BinaryOp::kEq, std::move(l), std::move(r),
                                                       w.condition->location));
              if (a == TypeId::kUnknown || (IsNumericType(a) && IsNumericType(b) && !is_float(a)) ||
                  (a == TypeId::kBpchar && b != TypeId::kBpchar && IsStringType(b))) {
                nullif_type = cmp.args[0].type;
              }
              casts_in_left += CastLayers(cmp.args[0]);
              SQLRITE_ASSIGN_OR_RETURN(cmp, MaybeFold(std::move(cmp)));
              conds.push_back(std::move(cmp));
            } else if (n.operand) {
              SQLRITE_ASSIGN_OR_RETURN(BoundExpr v, Bind(*w.condition));
              SQLRITE_ASSIGN_OR_RETURN(
                  BoundExpr cmp,
                  BindCompare(BinaryOp::kEq, operand, std::move(v), w.condition->location));
              conds.push_back(std::move(cmp));
            } else {
              SQLRITE_ASSIGN_OR_RETURN(BoundExpr c, BindCondition(*w.condition, "CASE/WHEN"));
              conds.push_back(std::move(c));
            }
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr r, Bind(*w.result));
            results.push_back(std::move(r));
            result_locations.push_back(ExprLocation(*w.result));
          }
          int casts_in_result = 0;
          if (n.else_result) {
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr r, Bind(*n.else_result));
            casts_in_result = -CastLayers(r);
            if (nullif_type) {
              if (r.type.id == TypeId::kUnknown) {
                SQLRITE_TRY(CoerceUnknown(r, *nullif_type, ExprLocation(*n.else_result)));
              } else {
                SQLRITE_TRY(CastTo(r, *nullif_type));
              }
            }
            results.push_back(std::move(r));
            result_locations.push_back(ExprLocation(*n.else_result));
          } else {
            results.push_back(Const(Datum{}, T(TypeId::kUnknown)));
          }
          std::vector<BoundExpr*> ptrs;
          for (auto& r : results) ptrs.push_back(&r);
          SQLRITE_ASSIGN_OR_RETURN(e.type, UnifyTypes(ptrs, result_locations, "CASE"));
          // With an operand, each condition is already "operand = value"; evaluate as searched.
          // negated remembers the form written, for printing (engine/catalog/rule_deparse.cc).
          e.flag = false;
          e.negated = n.operand != nullptr;
          for (size_t i = 0; i < conds.size(); ++i) {
            e.args.push_back(std::move(conds[i]));
            e.args.push_back(std::move(results[i]));
          }
          e.args.push_back(std::move(results.back()));
          if (nullif_eq != nullptr && once && e.args.size() == 3 &&
              e.args[0].kind == ExprKind::kCompare) {
            casts_in_result += CastLayers(e.args[2]);
            if (casts_in_left >= 0 && casts_in_left < 16 && casts_in_result >= 0 &&
                casts_in_result < 16) {
              e.index = casts_in_left * 16 + casts_in_result;
            }
          }
          return e;
        } else if constexpr (std::is_same_v<N, ast::FuncCall>) {
          return BindFunc(n, loc);
        } else if constexpr (std::is_same_v<N, ast::Cast>) {
          SqlType target = n.type;
          EnumTypePtr enum_type;
          if (!n.type_name.empty()) {
            SQLRITE_ASSIGN_OR_RETURN(enum_type, ResolveEnumType(n.type_name, ErrorPosition(loc)));
            target.enum_oid = enum_type->oid;
          }
          if (const auto* call = std::get_if<ast::FuncCall>(&n.operand->node);
              call != nullptr && call->name == "array" && call->args.empty() &&
              target.id == TypeId::kArray) {
            return Const(ArrayDatum(target.elem, {}), target);  // ARRAY[]::integer[]
          }
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr operand, Bind(*n.operand));
          NoteParamType(operand, target);
          TypeId from = operand.type.id;
          TypeId to = target.id;
          if (from == TypeId::kArray && to == TypeId::kArray) {
            // Between array types: as between their element types.
            from = operand.type.elem;
            to = target.elem;
          } else if ((from == TypeId::kArray) != (to == TypeId::kArray) &&
                     !(from == TypeId::kUnknown || IsStringType(from) || IsStringType(to))) {
            return Fail(Error(sqlstate::kCannotCoerce, "cannot cast type " +
                                                           SqlTypeName(operand.type) + " to " +
                                                           SqlTypeName(target))
                            .WithPosition(ErrorPosition(loc)));
          }
          bool ok = from == TypeId::kUnknown || IsStringType(from) || IsStringType(to) ||
                    (IsNumericType(from) && IsNumericType(to)) || from == to ||
                    DateTimeCastable(from, to) || (from == TypeId::kBool && to == TypeId::kInt4) ||
                    (from == TypeId::kInt4 && to == TypeId::kBool) ||
                    (IsOidType(to) && (IsOidType(from) || IsIntegerType(from))) ||
                    (IsOidType(from) && IsIntegerType(to)) ||
                    (from == TypeId::kInt2Vector && to == TypeId::kInt2Array) ||
                    (IsJsonType(from) && IsJsonType(to)) ||
                    (from == TypeId::kJsonb && (IsNumericType(to) || to == TypeId::kBool)) ||
                    (IsBitType(from) && IsBitType(to)) ||
                    ((from == TypeId::kInt4 || from == TypeId::kInt8) && to == TypeId::kBit) ||
                    (from == TypeId::kBit && (to == TypeId::kInt4 || to == TypeId::kInt8));
          // An enum casts to and from the string types (I/O conversion) and to itself only.
          if (from == TypeId::kEnum && to == TypeId::kEnum) {
            ok = operand.type.enum_oid == target.enum_oid;
          } else if (from == TypeId::kEnum || to == TypeId::kEnum) {
            ok = from == TypeId::kUnknown || IsStringType(from) || IsStringType(to);
          }
          // A reg* value's input and output read the statement's catalog.
          if ((IsOidType(to) || IsOidType(from)) && to != TypeId::kOid) {
            static_cast<void>(catalog::CurrentSystemSource());
          }
          if (!ok) {
            return Fail(Error(sqlstate::kCannotCoerce, "cannot cast type " +
                                                           SqlTypeName(operand.type) + " to " +
                                                           SqlTypeName(target))
                            .WithPosition(ErrorPosition(loc)));
          }
          from = operand.type.id;
          to = target.id;
          if (operand.IsConst() &&
              !(KeepsZoneDependentSteps() && CastDependsOnTimeZone(from, to))) {
            auto v = CastDatum(operand.value, from, target, true);
            if (v) {
              std::vector<BoundExpr> folded;
              folded.push_back(std::move(operand));
              return FoldedConst(std::move(*v), target, std::move(folded));
            }
            // A literal's input error belongs to parse analysis (with its position); a typed
            // value's is a run-time error, so later analysis errors come first, as in
            // PostgreSQL ('x'::text::int + 'y' complains about 'y').
            if (from == TypeId::kUnknown) {
              return Fail(std::move(v.error()).WithPosition(ErrorPosition(n.operand->location)));
            }
          }
          BoundExpr e;
          e.kind = ExprKind::kCast;
          e.type = target;
          e.enum_type = std::move(enum_type);
          e.flag = true;
          e.args.push_back(std::move(operand));
          return e;
        } else if constexpr (std::is_same_v<N, ast::Coalesce>) {
          BoundExpr e;
          e.kind = ExprKind::kCoalesce;
          for (const auto& a : n.args) {
            SQLRITE_ASSIGN_OR_RETURN(BoundExpr b, Bind(*a));
            e.args.push_back(std::move(b));
          }
          std::vector<BoundExpr*> ptrs;
          std::vector<int> locations;
          for (size_t i = 0; i < e.args.size(); ++i) {
            ptrs.push_back(&e.args[i]);
            locations.push_back(ExprLocation(*n.args[i]));
          }
          SQLRITE_ASSIGN_OR_RETURN(e.type, UnifyTypes(ptrs, locations, "COALESCE"));
          return e;
        } else if constexpr (std::is_same_v<N, ast::FieldSelect>) {
          return BindFieldSelect(n, loc);
        } else if constexpr (std::is_same_v<N, ast::RowExpr>) {
          // A row on its own (a result column, a function argument) is a record value; rows
          // beside a comparison were bound pair by pair (BindRowCompare) before reaching here.
          return BindRowValue(n, loc);
        } else if constexpr (std::is_same_v<N, ast::SubLink>) {
          if (subqueries_ == nullptr) {
            return Fail(Error(sqlstate::kFeatureNotSupported,
                              "subqueries are not supported in this context yet")
                            .WithPosition(ErrorPosition(loc)));
          }
          return subqueries_->BindSubLink(n, *this, loc);
        } else if constexpr (std::is_same_v<N, ast::GroupingFunc>) {
          return BindGroupingFunc(n, loc);
        } else if constexpr (std::is_same_v<N, ast::MinMax>) {
          return BindMinMax(n, loc);
        } else if constexpr (std::is_same_v<N, ast::GroupingSet>) {
          // The grammar puts grouping sets in GROUP BY only, whose binding expands them.
          return Fail(Error(sqlstate::kInternalError, "a grouping set outside GROUP BY")
                          .WithPosition(ErrorPosition(loc)));
        } else {
          static_assert(std::is_same_v<N, ast::DefaultMarker>);
          return Fail(Error(sqlstate::kSyntaxError, "DEFAULT is not allowed in this context")
                          .WithPosition(ErrorPosition(loc)));
        }
      },
      expr.node);
}

bool CastDependsOnTimeZone(TypeId from, TypeId to) {
  if (from == to) return false;
  // An untyped literal is read when the statement is analysed, as in PostgreSQL.
  if (from == TypeId::kUnknown) return false;
  return from == TypeId::kTimestampTz || to == TypeId::kTimestampTz;
}

bool DependsOnTimeZone(const BoundExpr& e) {
  switch (e.kind) {
    case ExprKind::kCast:
      return !e.args.empty() && CastDependsOnTimeZone(e.args[0].type.id, e.type.id);
    case ExprKind::kArith:
      // timestamptz +/- interval adds days and months on the zone's calendar.
      return e.flag && e.args.size() == 2 &&
             (e.args[0].type.id == TypeId::kTimestampTz ||
              e.args[1].type.id == TypeId::kTimestampTz) &&
             (e.args[0].type.id == TypeId::kInterval || e.args[1].type.id == TypeId::kInterval);
    case ExprKind::kBuiltin: {
      if (e.builtin == nullptr || e.builtin->name == "timezone") return false;
      if (e.type.id == TypeId::kTimestampTz) return true;
      return std::any_of(e.args.begin(), e.args.end(),
                         [](const BoundExpr& a) { return a.type.id == TypeId::kTimestampTz; });
    }
    default:
      return false;
  }
}

void FoldZoneDependent(BoundExpr& e) {
  if (e.args.empty() || !DependsOnTimeZone(e)) return;
  if (e.kind == ExprKind::kBuiltin && (e.builtin->is_volatile || !e.builtin->foldable)) return;
  for (const BoundExpr& a : e.args) {
    if (!a.IsConst()) return;
  }
  Result<Datum> v = Eval(e, EvalContext{});
  if (!v) return;
  const SqlType type = e.type;
  e = Const(std::move(*v), type);
}

// ---- Eval ----

namespace {

// A builtin call with at most this many arguments keeps them on the stack.
constexpr size_t kInlineArgs = 4;

// A builtin call of at most kInlineArgs arguments, kept on the stack: no two vectors allocated
// per row. Not inlined, so that Eval's own frame (which deep expressions nest) stays small.
[[gnu::noinline]] Result<Datum> EvalInlineBuiltin(const BoundExpr& e, const EvalContext& ctx) {
  std::array<Datum, kInlineArgs> values;
  std::array<SqlType, kInlineArgs> types;
  for (size_t i = 0; i < e.args.size(); ++i) {
    SQLRITE_ASSIGN_OR_RETURN(values[i], Eval(e.args[i], ctx));
    if (e.builtin->strict && IsNull(values[i])) return Datum{};
    types[i] = e.args[i].type;
  }
  return e.builtin->impl(
      functions::CallArgs{std::span<const Datum>(values.data(), e.args.size()),
                          std::span<const SqlType>(types.data(), e.args.size())});
}

// The value of e: a pointer into the row for a column (no copy), else *tmp.
Result<const Datum*> EvalRef(const BoundExpr& e, const EvalContext& ctx, Datum* tmp) {
  if (e.kind == ExprKind::kColumn) return &ctx.row[e.index];
  if (e.kind == ExprKind::kConst) return &e.value;
  SQLRITE_ASSIGN_OR_RETURN(*tmp, Eval(e, ctx));
  return tmp;
}

// Three-valued truth: 1 true, 0 false, -1 NULL.
Result<int> EvalTruth(const BoundExpr& e, const EvalContext& ctx) {
  Datum tmp;
  SQLRITE_ASSIGN_OR_RETURN(const Datum* v, EvalRef(e, ctx, &tmp));
  if (IsNull(*v)) return -1;
  return DatumAs<bool>(*v) ? 1 : 0;
}

Result<Datum> EvalArith(const BoundExpr& e, const Datum& a, const Datum& b) {
  TypeId t = e.type.id;
  if (IsIntegerType(t)) {
    int64_t x = DatumAs<int64_t>(a), y = DatumAs<int64_t>(b), r = 0;
    bool overflow = false;
    switch (e.op) {
      case BinaryOp::kAdd:
        overflow = __builtin_add_overflow(x, y, &r);
        break;
      case BinaryOp::kSub:
        overflow = __builtin_sub_overflow(x, y, &r);
        break;
      case BinaryOp::kMul:
        overflow = __builtin_mul_overflow(x, y, &r);
        break;
      case BinaryOp::kDiv:
      case BinaryOp::kMod:
        if (y == 0) return Fail(sqlstate::kDivisionByZero, "division by zero");
        if (y == -1) {
          if (e.op == BinaryOp::kMod) return Datum(int64_t{0});
          overflow = __builtin_sub_overflow(int64_t{0}, x, &r);
        } else {
          r = e.op == BinaryOp::kDiv ? x / y : x % y;
        }
        break;
      default:
        break;
    }
    if (overflow) return IntOutOfRange(t);
    SQLRITE_TRY(CheckIntRange(r, t));
    return Datum(r);
  }
  if (t == TypeId::kNumeric) {
    const Numeric x = AsNumeric(a), y = AsNumeric(b);
    Result<Numeric> r;
    switch (e.op) {
      case BinaryOp::kAdd:
        r = Numeric::Add(x, y);
        break;
      case BinaryOp::kSub:
        r = Numeric::Sub(x, y);
        break;
      case BinaryOp::kMul:
        r = Numeric::Mul(x, y);
        break;
      case BinaryOp::kDiv:
        r = Numeric::Div(x, y);
        break;
      case BinaryOp::kMod:
        r = Numeric::Mod(x, y);
        break;
      default:
        SQLRITE_ASSERT(false);
    }
    if (!r) return Fail(std::move(r.error()));
    return NumericDatum(std::move(*r));
  }
  double x = AsDouble(a), y = AsDouble(b), r = 0;
  switch (e.op) {
    case BinaryOp::kAdd:
      r = x + y;
      break;
    case BinaryOp::kSub:
      r = x - y;
      break;
    case BinaryOp::kMul:
      r = x * y;
      break;
    case BinaryOp::kDiv:
      if (y == 0) return Fail(sqlstate::kDivisionByZero, "division by zero");
      r = x / y;
      break;
    case BinaryOp::kMod:
      if (y == 0) return Fail(sqlstate::kDivisionByZero, "division by zero");
      r = std::fmod(x, y);
      break;
    default:
      break;
  }
  if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) {
    return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  }
  if (t == TypeId::kFloat4) {
    const auto f = static_cast<float>(r);
    if (std::isinf(f) && !std::isinf(x) && !std::isinf(y)) {
      return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
    }
    if (f == 0 && r != 0) {
      return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
    }
    return Datum(double{f});
  }
  return Datum(r);
}

// The math functions of BindMathFunc on numeric values (Numeric's PostgreSQL rules) or float8
// ones (float.c's: round is rint, half to even; its 2201F/22003 errors).
Result<Datum> EvalMath(Func func, const Datum& a, const Datum& b) {
  if (auto* n = std::get_if<NumericRef>(&a)) {
    const Numeric& x = **n;
    // round/trunc's scale: an int4, clamped by Numeric as PostgreSQL clamps it.
    const bool scaled = (func == Func::kRound || func == Func::kTrunc) && !IsNull(b);
    const int scale = scaled ? static_cast<int>(DatumAs<int64_t>(b)) : 0;
    Result<Numeric> r;
    switch (func) {
      case Func::kRound:
        r = x.Round(scale);
        break;
      case Func::kTrunc:
        r = x.Trunc(scale);
        break;
      case Func::kCeil:
        r = x.Ceil();
        break;
      case Func::kFloor:
        r = x.Floor();
        break;
      case Func::kSign:
        r = x.Sign();
        break;
      case Func::kSqrt:
        r = x.Sqrt();
        break;
      case Func::kPower:
        // Non-integral exponents too (engine/types/numeric_math.h).
        r = numeric_math::Power(x, *DatumAs<NumericRef>(b));
        break;
      default:
        SQLRITE_ASSERT(false);
    }
    if (!r) return Fail(std::move(r.error()));
    return NumericDatum(std::move(*r));
  }
  const double x = DatumAs<double>(a);
  switch (func) {
    case Func::kRound:
      return Datum(std::nearbyint(x));
    case Func::kTrunc:
      return Datum(std::trunc(x));
    case Func::kCeil:
      return Datum(std::ceil(x));
    case Func::kFloor:
      return Datum(std::floor(x));
    case Func::kSign:
      return Datum(x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0));
    case Func::kSqrt:
      if (x < 0) {
        return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                    "cannot take square root of a negative number");
      }
      return Datum(std::sqrt(x));
    case Func::kPower: {
      const double y = DatumAs<double>(b);
      if (x == 0 && y < 0) {
        return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                    "zero raised to a negative power is undefined");
      }
      if (x < 0 && std::floor(y) != y && !std::isinf(y)) {
        return Fail(sqlstate::kInvalidArgumentForPowerFunction,
                    "a negative number raised to a non-integer power yields a complex result");
      }
      const double r = std::pow(x, y);
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) {
        return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
      }
      if (r == 0 && x != 0 && !std::isinf(y)) {
        return Fail(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
      }
      return Datum(r);
    }
    default:
      SQLRITE_ASSERT(false);
  }
  return Datum{};
}

bool CompareResult(BinaryOp op, int c) {
  switch (op) {
    case BinaryOp::kEq:
      return c == 0;
    case BinaryOp::kNe:
      return c != 0;
    case BinaryOp::kLt:
      return c < 0;
    case BinaryOp::kLe:
      return c <= 0;
    case BinaryOp::kGt:
      return c > 0;
    case BinaryOp::kGe:
      return c >= 0;
    default:
      return false;
  }
}

}  // namespace

Result<bool> EvalCondition(const BoundExpr& expr, const EvalContext& ctx) {
  SQLRITE_ASSIGN_OR_RETURN(int t, EvalTruth(expr, ctx));
  return t == 1;
}

bool SameExpr(const BoundExpr& a, const BoundExpr& b) {
  if (a.kind != b.kind || !(a.type == b.type) || a.op != b.op || a.index != b.index ||
      a.negated != b.negated || a.flag != b.flag || a.value != b.value || a.builtin != b.builtin ||
      a.subquery != b.subquery || (a.kind == ExprKind::kParam && a.param != b.param) ||
      a.args.size() != b.args.size()) {
    return false;
  }
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!SameExpr(a.args[i], b.args[i])) return false;
  }
  return true;
}

namespace {

// arr[i] (NULL when out of range) or arr[lo:hi] (clamped to the array's bounds; its subscripts
// start at 1; NULL when a given bound is NULL).
Result<Datum> EvalSubscript(const BoundExpr& e, const EvalContext& ctx) {
  Datum ta;
  SQLRITE_ASSIGN_OR_RETURN(const Datum* a, EvalRef(e.args[0], ctx, &ta));
  if (IsNull(*a)) return Datum{};
  const ArrayValue& v = *DatumAs<ArrayRef>(*a);
  const auto size = static_cast<int64_t>(v.items.size());
  if (!e.flag) {
    SQLRITE_ASSIGN_OR_RETURN(Datum i, Eval(e.args[1], ctx));
    if (IsNull(i)) return Datum{};
    const int64_t at = DatumAs<int64_t>(i) - v.lower;
    if (at < 0 || at >= size) return Datum{};
    return v.items[static_cast<size_t>(at)];
  }
  int64_t lo = v.lower, hi = v.lower + size - 1;
  for (int bound = 1; bound <= 2; ++bound) {
    if ((e.index & bound) == 0) continue;
    SQLRITE_ASSIGN_OR_RETURN(Datum b, Eval(e.args[static_cast<size_t>(bound)], ctx));
    if (IsNull(b)) return Datum{};
    const int64_t x = DatumAs<int64_t>(b);
    if (bound == 1) {
      lo = std::max(lo, x);
    } else {
      hi = std::min(hi, x);
    }
  }
  std::vector<Datum> items;
  for (int64_t i = lo; i <= hi; ++i) items.push_back(v.items[static_cast<size_t>(i - v.lower)]);
  return ArrayDatum(v.elem, std::move(items));
}

}  // namespace

Result<Datum> ConcatArrays(int kind, TypeId elem, Datum a, Datum b) {
  if (kind == 0) {
    if (IsNull(a)) return b;
    if (IsNull(b)) return a;
    const ArrayValue& x = *DatumAs<ArrayRef>(a);
    const ArrayValue& y = *DatumAs<ArrayRef>(b);
    if (y.items.empty()) return a;
    if (x.items.empty()) return b;
    std::vector<Datum> items = x.items;
    items.insert(items.end(), y.items.begin(), y.items.end());
    return ArrayDatum(elem, std::move(items), x.lower);
  }
  // array_append / array_prepend: the array's lower bound stays.
  const Datum& arr = kind == 1 ? a : b;
  Datum& item = kind == 1 ? b : a;
  if (IsNull(arr)) return ArrayDatum(elem, {std::move(item)});
  const ArrayValue& x = *DatumAs<ArrayRef>(arr);
  std::vector<Datum> items;
  items.reserve(x.items.size() + 1);
  if (kind == 2) items.push_back(std::move(item));
  items.insert(items.end(), x.items.begin(), x.items.end());
  if (kind == 1) items.push_back(std::move(item));
  return ArrayDatum(elem, std::move(items), x.items.empty() ? 1 : x.lower);
}

namespace {

// kCompare's value for its operands' values a and b.
Result<Datum> CompareValues(const BoundExpr& e, const Datum& a, const Datum& b) {
  if (IsNull(a) || IsNull(b)) return Datum{};
  if (e.flag) {
    return Datum(
        CompareResult(e.op, bpchar::Compare(DatumAs<std::string>(a), DatumAs<std::string>(b))));
  }
  if (e.args[0].type.id == TypeId::kJsonb) {
    SQLRITE_ASSIGN_OR_RETURN(json::Value x, json::FromJsonb(DatumAs<std::string>(a)));
    SQLRITE_ASSIGN_OR_RETURN(json::Value y, json::FromJsonb(DatumAs<std::string>(b)));
    return Datum(CompareResult(e.op, json::Compare(x, y)));
  }
  if (e.args[0].type.id == TypeId::kRecord) {
    SQLRITE_ASSIGN_OR_RETURN(int c,
                             row_value::Compare(DatumAs<std::string>(a), DatumAs<std::string>(b),
                                                e.op == BinaryOp::kEq || e.op == BinaryOp::kNe));
    return Datum(CompareResult(e.op, c));
  }
  return Datum(CompareResult(e.op, CompareDatums(a, b)));
}

// The operand under `layers` kCast nodes from e down; null when e has fewer (a kept plan's
// instantiation folded some).
const BoundExpr* UnderCasts(const BoundExpr& e, int layers) {
  const BoundExpr* at = &e;
  for (int k = 0; k < layers; ++k) {
    if (at->kind != ExprKind::kCast || at->args.size() != 1) return nullptr;
    at = &at->args[0];
  }
  return at;
}

// v, the value of UnderCasts(e, layers), through those casts as Eval would take it.
Result<Datum> ApplyCasts(const BoundExpr& e, int layers, Datum v) {
  if (layers == 0) return v;
  SQLRITE_ASSIGN_OR_RETURN(v, ApplyCasts(e.args[0], layers - 1, std::move(v)));
  if (e.enum_type != nullptr) {
    const SingleEnumLookup lookup(e.enum_type);
    EnumScope scope(&lookup);
    return CastDatum(v, e.args[0].type.id, e.type, e.flag);
  }
  return CastDatum(v, e.args[0].type.id, e.type, e.flag);
}

// NULLIF(a, b) with `a` evaluated once, as PostgreSQL's ExecEvalNullIf: NULL when a = b, else
// a. The binder makes it a kCase (args = [l = r, NULL, a'], l and a' each `a` under casts it
// added) whose `index`, -1 for any other CASE, is the casts added over `a` in l times 16 plus
// those in a'. nullopt when the tree no longer has that shape (an instantiated plan folded a
// cast over a constant), for the plain CASE evaluation.
Result<std::optional<Datum>> EvalNullIf(const BoundExpr& e, const EvalContext& ctx) {
  if (e.args.size() != 3 || e.args[0].kind != ExprKind::kCompare) return std::nullopt;
  const BoundExpr& cmp = e.args[0];
  const int in_left = e.index / 16, in_result = e.index % 16;
  const BoundExpr* a = UnderCasts(cmp.args[0], in_left);
  const BoundExpr* again = UnderCasts(e.args[2], in_result);
  if (a == nullptr || again == nullptr || a->kind != again->kind || a->type != again->type) {
    return std::nullopt;
  }
  SQLRITE_ASSIGN_OR_RETURN(Datum value, Eval(*a, ctx));
  SQLRITE_ASSIGN_OR_RETURN(Datum left, ApplyCasts(cmp.args[0], in_left, value));
  SQLRITE_ASSIGN_OR_RETURN(Datum right, Eval(cmp.args[1], ctx));
  SQLRITE_ASSIGN_OR_RETURN(Datum equal, CompareValues(cmp, left, right));
  if (!IsNull(equal) && DatumAs<bool>(equal)) return std::optional<Datum>(Datum{});
  SQLRITE_ASSIGN_OR_RETURN(Datum result, ApplyCasts(e.args[2], in_result, std::move(value)));
  return std::optional<Datum>(std::move(result));
}

}  // namespace

Result<Datum> Eval(const BoundExpr& e, const EvalContext& ctx) {
  switch (e.kind) {
    case ExprKind::kConst:
      return e.value;
    case ExprKind::kParam: {
      // Only analysis evaluates a reference (an instantiated plan holds values): the clause it
      // computes then depends on this execution's values.
      ParamContext* params = CurrentParams();
      const size_t n = static_cast<size_t>(e.param);
      if (params == nullptr || params->values == nullptr || n == 0 || n > params->values->size()) {
        return Fail(sqlstate::kUndefinedParameter,
                    "there is no parameter $" + std::to_string(e.param));
      }
      params->value_read = true;
      return (*params->values)[n - 1];
    }
    case ExprKind::kColumn:
      return ctx.row[e.index];
    case ExprKind::kSubquery:
      if (e.run == nullptr) {
        return Fail(sqlstate::kFeatureNotSupported,
                    "a subquery cannot be evaluated in this context");
      }
      return e.run->Evaluate(e, ctx);
    case ExprKind::kOuterRef:
      // Instantiation replaces every reference by the outer row's value.
      return Fail(sqlstate::kInternalError, "an outer reference was not instantiated");
    case ExprKind::kWindowRef:
      // The planner turns every window reference into the column its WindowAgg appends.
      return Fail(sqlstate::kInternalError, "a window function reference was not planned");
    case ExprKind::kSetRef:
      // The planner turns every reference into the column its ProjectSet appends.
      return Fail(sqlstate::kInternalError, "a set-returning function was not planned");
    case ExprKind::kRowCtor: {
      // A whole row of a table an outer join pads, its marker args[index]
      // (engine/plan/null_extension.h): NULL where the join null-extended the table.
      size_t fields = e.args.size();
      if (e.flag && e.index >= 0) {
        fields = static_cast<size_t>(e.index);
        SQLRITE_ASSIGN_OR_RETURN(Datum matched, Eval(e.args[fields], ctx));
        if (IsNull(matched)) return Datum{};
      }
      std::vector<Datum> values;
      values.reserve(fields);
      for (size_t i = 0; i < fields; ++i) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e.args[i], ctx));
        values.push_back(std::move(v));
      }
      return row_value::Make(DatumAs<std::string>(e.value), values);
    }
    case ExprKind::kFieldSelect: {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e.args[0], ctx));
      if (IsNull(v)) return v;
      return record::Field(DatumAs<std::string>(v), static_cast<size_t>(e.index));
    }
    case ExprKind::kAggRef:
      return ctx.aggs[e.index];
    case ExprKind::kNot: {
      SQLRITE_ASSIGN_OR_RETURN(int t, EvalTruth(e.args[0], ctx));
      if (t < 0) return Datum{};
      return Datum(t == 0);
    }
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const bool is_and = e.kind == ExprKind::kAnd;
      SQLRITE_ASSIGN_OR_RETURN(int a, EvalTruth(e.args[0], ctx));
      if (a == (is_and ? 0 : 1)) return Datum(!is_and);
      SQLRITE_ASSIGN_OR_RETURN(int b, EvalTruth(e.args[1], ctx));
      if (b == (is_and ? 0 : 1)) return Datum(!is_and);
      if (a < 0 || b < 0) return Datum{};
      return Datum(is_and);
    }
    case ExprKind::kNegate: {
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e.args[0], ctx));
      if (IsNull(v)) return v;
      if (auto* i = std::get_if<int64_t>(&v)) {
        if (*i == std::numeric_limits<int64_t>::min()) return IntOutOfRange(e.type.id);
        int64_t r = -*i;
        SQLRITE_TRY(CheckIntRange(r, e.type.id));
        return Datum(r);
      }
      if (auto* n = std::get_if<NumericRef>(&v)) return NumericDatum((*n)->Negate());
      if (auto* span = std::get_if<Interval>(&v)) {
        SQLRITE_ASSIGN_OR_RETURN(Interval r, interval::Negate(*span));
        return Datum(r);
      }
      return Datum(-DatumAs<double>(v));
    }
    case ExprKind::kArith: {
      Datum ta, tb;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* a, EvalRef(e.args[0], ctx, &ta));
      SQLRITE_ASSIGN_OR_RETURN(const Datum* b, EvalRef(e.args[1], ctx, &tb));
      if (IsNull(*a) || IsNull(*b)) return Datum{};
      if (e.flag) {
        return EvalDateTimeOperator(e.op, e.args[0].type.id, e.args[1].type.id, *a, *b);
      }
      return EvalArith(e, *a, *b);
    }
    case ExprKind::kConcat: {
      Datum ta, tb;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* a, EvalRef(e.args[0], ctx, &ta));
      SQLRITE_ASSIGN_OR_RETURN(const Datum* b, EvalRef(e.args[1], ctx, &tb));
      if (IsNull(*a) || IsNull(*b)) return Datum{};
      // Both sides are text-like or both bytea (the binder cast them): their bytes.
      std::string out = DatumAs<std::string>(*a);
      out += DatumAs<std::string>(*b);
      return Datum(std::move(out));
    }
    case ExprKind::kCompare: {
      Datum ta, tb;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* a, EvalRef(e.args[0], ctx, &ta));
      SQLRITE_ASSIGN_OR_RETURN(const Datum* b, EvalRef(e.args[1], ctx, &tb));
      return CompareValues(e, *a, *b);
    }
    case ExprKind::kDistinct: {
      Datum ta, tb;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* a, EvalRef(e.args[0], ctx, &ta));
      SQLRITE_ASSIGN_OR_RETURN(const Datum* b, EvalRef(e.args[1], ctx, &tb));
      bool distinct;
      if (IsNull(*a) || IsNull(*b)) {
        distinct = IsNull(*a) != IsNull(*b);
      } else if (e.flag) {
        distinct = bpchar::Compare(DatumAs<std::string>(*a), DatumAs<std::string>(*b)) != 0;
      } else if (e.args[0].type.id == TypeId::kRecord) {
        SQLRITE_ASSIGN_OR_RETURN(
            int c, row_value::Compare(DatumAs<std::string>(*a), DatumAs<std::string>(*b), true));
        distinct = c != 0;
      } else {
        distinct = CompareDatums(*a, *b) != 0;
      }
      return Datum(distinct != e.negated);
    }
    case ExprKind::kIsNull: {
      Datum t;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* v, EvalRef(e.args[0], ctx, &t));
      if (e.args[0].type.id == TypeId::kRecord && !IsNull(*v)) {
        // A row IS NULL when every field is, IS NOT NULL when none is.
        SQLRITE_ASSIGN_OR_RETURN(bool all,
                                 e.negated ? row_value::NoFieldNull(DatumAs<std::string>(*v))
                                           : row_value::AllFieldsNull(DatumAs<std::string>(*v)));
        return Datum(all);
      }
      return Datum(IsNull(*v) != e.negated);
    }
    case ExprKind::kBoolTest: {
      SQLRITE_ASSIGN_OR_RETURN(int t, EvalTruth(e.args[0], ctx));
      switch (static_cast<ast::BoolTest::Kind>(e.index)) {
        case ast::BoolTest::kIsTrue:
          return Datum(t == 1);
        case ast::BoolTest::kIsNotTrue:
          return Datum(t != 1);
        case ast::BoolTest::kIsFalse:
          return Datum(t == 0);
        case ast::BoolTest::kIsNotFalse:
          return Datum(t != 0);
        case ast::BoolTest::kIsUnknown:
          return Datum(t < 0);
        case ast::BoolTest::kIsNotUnknown:
          return Datum(t >= 0);
      }
      return Datum{};
    }
    case ExprKind::kLike: {
      Datum ta, tb;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* a, EvalRef(e.args[0], ctx, &ta));
      SQLRITE_ASSIGN_OR_RETURN(const Datum* b, EvalRef(e.args[1], ctx, &tb));
      if (IsNull(*a) || IsNull(*b)) return Datum{};
      bool m = LikeMatch(DatumAs<std::string>(*a), DatumAs<std::string>(*b), e.flag);
      return Datum(m != e.negated);
    }
    case ExprKind::kIn: {
      Datum ta;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* a, EvalRef(e.args[0], ctx, &ta));
      if (IsNull(*a)) return Datum{};
      bool saw_null = false;
      for (size_t i = 1; i < e.args.size(); ++i) {
        Datum tb;
        SQLRITE_ASSIGN_OR_RETURN(const Datum* b, EvalRef(e.args[i], ctx, &tb));
        if (IsNull(*b)) {
          saw_null = true;
        } else if ((e.args[0].type.id == TypeId::kBpchar && e.args[i].type.id == TypeId::kBpchar
                        ? bpchar::Compare(DatumAs<std::string>(*a), DatumAs<std::string>(*b))
                        : CompareDatums(*a, *b)) == 0) {
          return Datum(!e.negated);
        }
      }
      if (saw_null) return Datum{};
      return Datum(e.negated);
    }
    case ExprKind::kCase: {
      if (e.index >= 0) {
        SQLRITE_ASSIGN_OR_RETURN(std::optional<Datum> v, EvalNullIf(e, ctx));
        if (v) return std::move(*v);
      }
      size_t pairs = (e.args.size() - 1) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        SQLRITE_ASSIGN_OR_RETURN(int t, EvalTruth(e.args[2 * i], ctx));
        if (t == 1) return Eval(e.args[2 * i + 1], ctx);
      }
      return Eval(e.args.back(), ctx);
    }
    case ExprKind::kCast: {
      Datum t;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* v, EvalRef(e.args[0], ctx, &t));
      if (e.enum_type != nullptr) {
        // The enum's labels from the node itself: a pipeline runs outside any catalog scope.
        const SingleEnumLookup lookup(e.enum_type);
        EnumScope scope(&lookup);
        return CastDatum(*v, e.args[0].type.id, e.type, e.flag);
      }
      return CastDatum(*v, e.args[0].type.id, e.type, e.flag);
    }
    case ExprKind::kCoalesce:
      for (const BoundExpr& a : e.args) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(a, ctx));
        if (!IsNull(v)) return v;
      }
      return Datum{};
    case ExprKind::kMinMax: {
      // GREATEST / LEAST: NULLs ignored, in the type's sort order (ExecEvalMinMax).
      const bool jsonb = e.type.id == TypeId::kJsonb;
      const bool record = e.type.id == TypeId::kRecord;
      Datum best;
      for (const BoundExpr& a : e.args) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(a, ctx));
        if (IsNull(v)) continue;
        if (IsNull(best)) {
          best = std::move(v);
          continue;
        }
        int c;
        if (jsonb) {
          SQLRITE_ASSIGN_OR_RETURN(json::Value x, json::FromJsonb(DatumAs<std::string>(v)));
          SQLRITE_ASSIGN_OR_RETURN(json::Value y, json::FromJsonb(DatumAs<std::string>(best)));
          c = json::Compare(x, y);
        } else if (record) {
          // record_cmp(result so far, next), as ExecEvalMinMax calls it: its errors name the
          // fields' types in that order.
          SQLRITE_ASSIGN_OR_RETURN(int r, row_value::Compare(DatumAs<std::string>(best),
                                                             DatumAs<std::string>(v), false));
          c = -r;
        } else {
          c = CompareDatums(v, best);
        }
        if (e.flag ? c < 0 : c > 0) best = std::move(v);
      }
      return best;
    }
    case ExprKind::kArrayCtor: {
      std::vector<Datum> items;
      items.reserve(e.args.size());
      for (const BoundExpr& a : e.args) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(a, ctx));
        items.push_back(std::move(v));
      }
      return ArrayDatum(e.type.elem, std::move(items));
    }
    case ExprKind::kSubscript:
      return EvalSubscript(e, ctx);
    case ExprKind::kAnyAll: {
      Datum tl, tr;
      SQLRITE_ASSIGN_OR_RETURN(const Datum* left, EvalRef(e.args[0], ctx, &tl));
      SQLRITE_ASSIGN_OR_RETURN(const Datum* arr, EvalRef(e.args[1], ctx, &tr));
      if (IsNull(*arr)) return Datum{};
      const ArrayValue& v = *DatumAs<ArrayRef>(*arr);
      if (v.items.empty()) return Datum(e.flag);
      if (IsNull(*left)) return Datum{};
      // ANY: true at the first true comparison; ALL: false at the first false; else NULL if
      // an element was NULL.
      bool saw_null = false;
      for (const Datum& item : v.items) {
        if (IsNull(item)) {
          saw_null = true;
          continue;
        }
        const bool r = CompareResult(e.op, CompareDatums(*left, item));
        if (r != e.flag) return Datum(r);
      }
      return saw_null ? Datum{} : Datum(e.flag);
    }
    case ExprKind::kArrayConcat: {
      SQLRITE_ASSIGN_OR_RETURN(Datum a, Eval(e.args[0], ctx));
      SQLRITE_ASSIGN_OR_RETURN(Datum b, Eval(e.args[1], ctx));
      return ConcatArrays(e.index, e.type.elem, std::move(a), std::move(b));
    }
    case ExprKind::kBuiltin: {
      SQLRITE_ASSERT(e.builtin != nullptr);
      if (e.args.size() <= kInlineArgs) return EvalInlineBuiltin(e, ctx);
      std::vector<Datum> values;
      std::vector<SqlType> types;
      values.reserve(e.args.size());
      types.reserve(e.args.size());
      for (const BoundExpr& a : e.args) {
        SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(a, ctx));
        if (e.builtin->strict && IsNull(v)) return Datum{};
        values.push_back(std::move(v));
        types.push_back(a.type);
      }
      return e.builtin->impl(functions::CallArgs{values, types});
    }
    case ExprKind::kFunc: {
      if (e.args.empty()) {  // gen_random_uuid()
        SQLRITE_ASSIGN_OR_RETURN(std::string u, uuid::Random());
        return Datum(std::move(u));
      }
      SQLRITE_ASSIGN_OR_RETURN(Datum v, Eval(e.args[0], ctx));
      if (IsNull(v)) return v;
      Datum v2;
      if (e.args.size() > 1) {
        SQLRITE_ASSIGN_OR_RETURN(v2, Eval(e.args[1], ctx));
        if (IsNull(v2)) return v2;
      }
      switch (static_cast<Func>(e.index)) {
        case Func::kLower:
        case Func::kUpper: {
          std::string s = std::move(DatumAs<std::string>(v));
          bool lower = static_cast<Func>(e.index) == Func::kLower;
          for (char& c : s) {
            auto u = static_cast<unsigned char>(c);
            c = static_cast<char>(lower ? std::tolower(u) : std::toupper(u));
          }
          return Datum(std::move(s));
        }
        case Func::kLength:
          return Datum(static_cast<int64_t>(Utf8Length(DatumAs<std::string>(v))));
        case Func::kAbs:
          if (auto* i = std::get_if<int64_t>(&v)) {
            if (*i == std::numeric_limits<int64_t>::min()) return IntOutOfRange(e.type.id);
            int64_t r = *i < 0 ? -*i : *i;
            SQLRITE_TRY(CheckIntRange(r, e.type.id));
            return Datum(r);
          }
          if (auto* n = std::get_if<NumericRef>(&v)) return NumericDatum((*n)->Abs());
          return Datum(std::fabs(DatumAs<double>(v)));
        case Func::kRound:
        case Func::kTrunc:
        case Func::kCeil:
        case Func::kFloor:
        case Func::kSign:
        case Func::kSqrt:
        case Func::kPower:
          return EvalMath(static_cast<Func>(e.index), v, v2);
        case Func::kOctetLength:
          return Datum(static_cast<int64_t>(DatumAs<std::string>(v).size()));
        case Func::kEncode: {
          SQLRITE_ASSIGN_OR_RETURN(
              std::string s, bytea::Encode(DatumAs<std::string>(v), DatumAs<std::string>(v2)));
          return Datum(std::move(s));
        }
        case Func::kDecode: {
          SQLRITE_ASSIGN_OR_RETURN(
              std::string s, bytea::Decode(DatumAs<std::string>(v), DatumAs<std::string>(v2)));
          return Datum(std::move(s));
        }
        case Func::kMd5:
          return Datum(bytea::Md5Hex(DatumAs<std::string>(v)));
        case Func::kSha224:
          return Datum(bytea::Digest("sha224", DatumAs<std::string>(v)));
        case Func::kSha256:
          return Datum(bytea::Digest("sha256", DatumAs<std::string>(v)));
        case Func::kSha384:
          return Datum(bytea::Digest("sha384", DatumAs<std::string>(v)));
        case Func::kSha512:
          return Datum(bytea::Digest("sha512", DatumAs<std::string>(v)));
        case Func::kGenRandomUuid:
          return Datum{};  // taken above: it has no arguments
      }
      return Datum{};
    }
  }
  return Datum{};
}

}  // namespace sqlrite::engine
