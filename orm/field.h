#pragma once
// The typed front end's vocabulary: attribute tags, the C++ <-> Value mapping of member types,
// typed field constants and typed boolean expressions. Every operator here builds an untyped
// stmt::Expr at once; the types exist only to reject wrong programs at compile time:
//   User::fields.email == "x"      compiles (a text field and a string)
//   User::fields.email == 5        does not (ValueFor<std::string, int> is false)
//   User::fields.emial             does not (no such member)
//   User::Filter(Post::fields.id == 1)   does not (Expr<Post> is not Expr<User>)

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "orm/core/error.h"
#include "orm/core/stmt.h"
#include "orm/core/value.h"

namespace sqlrite::orm {

// Field attributes, named in SQLRITE_MODEL: (id, key, auto_increment), (email, unique).
namespace attr {
struct key {};             // part of the primary key
struct auto_increment {};  // assigned by the database on create (the single int64 key)
struct unique {};          // UNIQUE; GetBy works on it
struct index {};           // a secondary index
struct defaulted {};       // DDL DEFAULT: the member's initialiser in the aggregate
struct version {};         // optimistic concurrency: an integer that Save / Update / Remove of an
                           // instance check (40001 when stale) and bump; Create starts it at 1
struct uuid_v4 {};         // an orm::Uuid the ORM fills with a random UUID on create when left nil
struct uuid_v7 {};         // likewise with a time-ordered UUID (later creates sort later)
struct created_at {};      // an orm::Timestamp set to now on create when left at the epoch (zero)
struct updated_at {};      // likewise, and set again by every update that does not set it itself
}  // namespace attr

// ---- member types ----
template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
struct Unwrap {
  using type = T;
};
template <typename T>
struct Unwrap<std::optional<T>> {
  using type = T;
};
template <typename T>
using UnwrapT = typename Unwrap<T>::type;

// The date, time and UUID member types (orm/core/value.h).
template <typename T>
concept Temporal = std::same_as<T, Timestamp> || std::same_as<T, Date> ||
    std::same_as<T, DateTime> || std::same_as<T, Time>;

// The scalar types a model member may have (or std::optional of one).
template <typename T>
concept Scalar = std::same_as<T, bool> || std::same_as<T, std::string> ||
                 std::is_floating_point_v<T> ||(std::is_integral_v<T> && !std::same_as<T, char>) ||
                 Temporal<T> || std::same_as<T, Uuid>;

template <Scalar T>
constexpr Type TypeOf() {
  if constexpr (std::same_as<T, bool>) {
    return Type::kBool;
  } else if constexpr (std::same_as<T, std::string>) {
    return Type::kText;
  } else if constexpr (std::same_as<T, Timestamp>) {
    return Type::kTimestamp;
  } else if constexpr (std::same_as<T, Date>) {
    return Type::kDate;
  } else if constexpr (std::same_as<T, DateTime>) {
    return Type::kDateTime;
  } else if constexpr (std::same_as<T, Uuid>) {
    return Type::kUuid;
  } else if constexpr (std::same_as<T, Time>) {
    return Type::kTime;
  } else if constexpr (std::is_floating_point_v<T>) {
    return Type::kDouble;
  } else {
    return Type::kInt64;
  }
}

// A std::chrono time point of `Clock` at any precision (a Timestamp field takes
// system_clock::now() as it is, kept to the microsecond).
template <typename U, typename Clock>
concept TimePointOf = requires(const U& u) {
  {
    std::chrono::time_point_cast<std::chrono::microseconds>(u)
    } -> std::same_as<std::chrono::time_point<Clock, std::chrono::microseconds>>;
};

// A program value usable where a field of type T is (comparisons, Set, GetBy): strings for text,
// integers for integers, numbers for doubles, only bool for bool; system_clock time points for a
// Timestamp, local_time points for a DateTime, year_month_day or sys_days for a Date, only a Uuid
// for a Uuid, only a Time for a Time (a bare duration could be meant as anything).
template <typename U, typename T>
concept ValueFor =
    (std::same_as<T, Timestamp> &&
     TimePointOf<std::remove_cvref_t<U>, std::chrono::system_clock>) ||
    (std::same_as<T, DateTime> && TimePointOf<std::remove_cvref_t<U>, std::chrono::local_t>) ||
    (std::same_as<T, Date> && (std::same_as<std::remove_cvref_t<U>, Date> ||
                               std::same_as<std::remove_cvref_t<U>, std::chrono::sys_days>)) ||
    (std::same_as<T, Uuid> && std::same_as<std::remove_cvref_t<U>, Uuid>) ||
    (std::same_as<T, Time> && std::same_as<std::remove_cvref_t<U>, Time>) ||
    (std::same_as<T, std::string> && std::convertible_to<const U&, std::string_view>) ||
    (std::same_as<T, bool> && std::same_as<std::remove_cvref_t<U>, bool>) ||
    (std::is_integral_v<T> && !std::same_as<T, bool> &&
     std::is_integral_v<std::remove_cvref_t<U>> && !std::same_as<std::remove_cvref_t<U>, bool> &&
     !std::same_as<std::remove_cvref_t<U>, char>) ||
    (std::is_floating_point_v<T> && std::is_arithmetic_v<std::remove_cvref_t<U>> &&
     !std::same_as<std::remove_cvref_t<U>, bool>);

template <typename T, typename U>
Value ToValueAs(const U& u) {
  if constexpr (std::same_as<T, Timestamp> || std::same_as<T, DateTime>) {
    // Floored like PostgreSQL's storage would round: a time point inside a microsecond belongs
    // to it (and to no later one), the same on every backend.
    return Value(std::chrono::floor<std::chrono::microseconds>(u));
  } else if constexpr (std::same_as<T, Date> || std::same_as<T, Uuid> || std::same_as<T, Time>) {
    return Value(T(u));
  } else if constexpr (std::same_as<T, std::string>) {
    return Value(std::string(std::string_view(u)));
  } else if constexpr (std::same_as<T, bool>) {
    return Value(static_cast<bool>(u));
  } else if constexpr (std::is_floating_point_v<T>) {
    return Value(static_cast<double>(u));
  } else {
    return Value(static_cast<std::int64_t>(u));
  }
}

template <typename T>
Value ToValue(const T& member) {
  if constexpr (IsOptional<T>::value) {
    if (!member) return Value();
    return ToValueAs<UnwrapT<T>>(*member);
  } else {
    return ToValueAs<T>(member);
  }
}

// Reads a result cell into a member. SQLite returns integers for booleans and may return
// integers for doubles; both are accepted.
Status FromValueInto(const Value& v, bool& out, std::string_view field);
Status FromValueInto(const Value& v, std::int64_t& out, std::string_view field);
Status FromValueInto(const Value& v, double& out, std::string_view field);
Status FromValueInto(const Value& v, std::string& out, std::string_view field);
// Dates, times and UUIDs: the typed values of the pgwire driver, or the text SQLite stores.
Status FromValueInto(const Value& v, Timestamp& out, std::string_view field);
Status FromValueInto(const Value& v, Date& out, std::string_view field);
Status FromValueInto(const Value& v, DateTime& out, std::string_view field);
Status FromValueInto(const Value& v, Uuid& out, std::string_view field);
Status FromValueInto(const Value& v, Time& out, std::string_view field);
// An integer that must lie in [min, max] (22003 otherwise).
Result<std::int64_t> FromValueInRange(const Value& v, std::int64_t min, std::int64_t max,
                                      std::string_view field);

template <typename T>
Status FromValue(const Value& v, T& out, std::string_view field) {
  if constexpr (IsOptional<T>::value) {
    if (v.is_null()) {
      out.reset();
      return {};
    }
    UnwrapT<T> inner{};
    SQLRITE_ORM_TRY(FromValue(v, inner, field));
    out = std::move(inner);
    return {};
  } else if constexpr (std::is_integral_v<T> && !std::same_as<T, bool> &&
                       !std::same_as<T, std::int64_t>) {
    auto wide =
        FromValueInRange(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), field);
    if (!wide) return tl::unexpected(std::move(wide).error());
    out = static_cast<T>(*wide);
    return {};
  } else if constexpr (std::is_floating_point_v<T> && !std::same_as<T, double>) {
    double wide = 0;
    SQLRITE_ORM_TRY(FromValueInto(v, wide, field));
    out = static_cast<T>(wide);
    return {};
  } else {
    return FromValueInto(v, out, field);
  }
}

// ---- typed expressions ----
template <typename M>
struct Expr {
  stmt::Expr node;
};

template <typename M>
Expr<M> operator&&(const Expr<M>& a, const Expr<M>& b) {
  return {stmt::AndOf(a.node, b.node)};
}
template <typename M>
Expr<M> operator||(const Expr<M>& a, const Expr<M>& b) {
  return {stmt::OrOf(a.node, b.node)};
}
template <typename M>
Expr<M> operator!(const Expr<M>& a) {
  return {stmt::NotOf(a.node)};
}

template <typename M>
struct OrderTerm {
  stmt::OrderBy term;
};

// A typed field constant: model M, member type T, field index I, attributes A.
template <typename M, typename T, int I, typename... A>
struct Field {
  using model_type = M;
  using member_type = T;
  using value_type = UnwrapT<T>;
  static_assert(
      Scalar<value_type>,
      "a model field must be bool, an integer, a floating-point number, std::string, "
      "orm::Timestamp, orm::Date, orm::DateTime, orm::Time, orm::Uuid, or std::optional of one");
  static constexpr int index = I;
  static constexpr bool is_key = (std::same_as<A, attr::key> || ...);
  static constexpr bool is_unique = (std::same_as<A, attr::unique> || ...);
  static constexpr bool is_indexed = (std::same_as<A, attr::index> || ...);
  static constexpr bool is_auto = (std::same_as<A, attr::auto_increment> || ...);
  static constexpr bool is_defaulted = (std::same_as<A, attr::defaulted> || ...);
  static constexpr bool is_optional = IsOptional<T>::value;
  static constexpr bool is_version = (std::same_as<A, attr::version> || ...);
  static constexpr int uuid = (std::same_as<A, attr::uuid_v4> || ...)   ? 4
                              : (std::same_as<A, attr::uuid_v7> || ...) ? 7
                                                                        : 0;
  static constexpr int timestamp = (std::same_as<A, attr::created_at> || ...)   ? 1
                                   : (std::same_as<A, attr::updated_at> || ...) ? 2
                                                                                : 0;
  static_assert(timestamp == 0 || std::same_as<T, Timestamp>,
                "a created_at / updated_at field must be an orm::Timestamp");
  static_assert(!is_version || (std::is_integral_v<T> && !std::same_as<T, bool>),
                "a version field must be a required integer");
  static_assert(uuid == 0 || std::same_as<T, Uuid>,
                "a uuid_v4 / uuid_v7 field must be an orm::Uuid");

  static stmt::Expr Ref() { return stmt::Field(I); }
  template <typename U>
  static stmt::Expr Lit(const U& u) {
    return stmt::Lit(ToValueAs<value_type>(u));
  }

  template <ValueFor<value_type> U>
  Expr<M> operator==(const U& u) const {
    return {stmt::Cmp(stmt::CompareOp::kEq, I, ToValueAs<value_type>(u))};
  }
  template <ValueFor<value_type> U>
  Expr<M> operator!=(const U& u) const {
    return {stmt::Cmp(stmt::CompareOp::kNe, I, ToValueAs<value_type>(u))};
  }
  template <ValueFor<value_type> U>
  Expr<M> operator<(const U& u) const {
    return {stmt::Cmp(stmt::CompareOp::kLt, I, ToValueAs<value_type>(u))};
  }
  template <ValueFor<value_type> U>
  Expr<M> operator<=(const U& u) const {
    return {stmt::Cmp(stmt::CompareOp::kLe, I, ToValueAs<value_type>(u))};
  }
  template <ValueFor<value_type> U>
  Expr<M> operator>(const U& u) const {
    return {stmt::Cmp(stmt::CompareOp::kGt, I, ToValueAs<value_type>(u))};
  }
  template <ValueFor<value_type> U>
  Expr<M> operator>=(const U& u) const {
    return {stmt::Cmp(stmt::CompareOp::kGe, I, ToValueAs<value_type>(u))};
  }
  template <ValueFor<value_type> U, ValueFor<value_type> V>
  Expr<M> Between(const U& low, const V& high) const {
    return {stmt::BetweenOf(I, ToValueAs<value_type>(low), ToValueAs<value_type>(high))};
  }
  template <ValueFor<value_type> U>
  Expr<M> In(const std::vector<U>& values) const {
    std::vector<Value> in;
    in.reserve(values.size());
    for (const U& u : values) in.push_back(ToValueAs<value_type>(u));
    return {stmt::InOf(I, std::move(in))};
  }
  template <ValueFor<value_type> U>
  Expr<M> In(std::initializer_list<U> values) const {
    return In(std::vector<U>(values));
  }
  Expr<M> IsNull() const requires is_optional { return {stmt::IsNullOf(I, false)}; }
  Expr<M> IsNotNull() const requires is_optional { return {stmt::IsNullOf(I, true)}; }
  // Case-sensitive; the prefix is literal (no wildcards).
  Expr<M> StartsWith(std::string_view prefix) const requires std::same_as<value_type, std::string> {
    return {stmt::StartsWithOf(I, std::string(prefix))};
  }
  // SQL LIKE: % and _ are wildcards; case-sensitive on every backend.
  Expr<M> Like(std::string_view pattern) const requires std::same_as<value_type, std::string> {
    return {stmt::LikeOf(I, std::string(pattern))};
  }
  OrderTerm<M> Asc() const { return {{I, false}}; }
  OrderTerm<M> Desc() const { return {{I, true}}; }
};

// Fields that identify one row: GetBy compiles only for them.
template <typename F>
concept UniqueField = F::is_key || F::is_unique;

}  // namespace sqlrite::orm
