#pragma once
// SQLRITE_MODEL: declares an aggregate struct a model. Inside the struct, after its members:
//
//   struct User {
//     std::int64_t id = 0;
//     std::string name;
//     std::string email;
//     std::optional<std::string> bio;
//     bool active = true;
//     SQLRITE_MODEL(User, "users", (id, key, auto_increment), (name, index), (email, unique),
//                   (bio), (active, defaulted))
//   };
//
// Each (member, attributes...) names a member and its attributes (orm::attr: key,
// auto_increment, unique, index, defaulted). The macro adds to the struct:
//   - `fields`: a constant with one typed Field per member (User::fields.email == "x");
//   - OrmModel(): the model's runtime ModelDef (built once, type-erased);
//   - All(), Filter(expr): a Query<User>; Get(db, key...), GetBy(db, field, value).
// The struct stays an aggregate, so creates use designated initialisers. Up to 64 fields.
// SQLRITE_RELATIONS(X, (member, kind, ...)...) after it declares the model's relations
// (orm/relation_decl.h).
// Members need `= ...` or `{}` initialisers only to silence -Wmissing-field-initializers.

#include <string_view>

#include "orm/field.h"
#include "orm/query.h"
#include "orm/related.h"  // the accessors SQLRITE_RELATIONS adds

#define SQLRITE_ORM_EXPAND(...) __VA_ARGS__
#define SQLRITE_ORM_CAT_(a, b) a##b
#define SQLRITE_ORM_CAT(a, b) SQLRITE_ORM_CAT_(a, b)

#define SQLRITE_ORM_NARG(...)                                                                    \
  SQLRITE_ORM_NARG_(__VA_ARGS__, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, \
                    48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30,  \
                    29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11,  \
                    10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
#define SQLRITE_ORM_NARG_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, \
                          _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30,  \
                          _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, _41, _42, _43, _44,  \
                          _45, _46, _47, _48, _49, _50, _51, _52, _53, _54, _55, _56, _57, _58,  \
                          _59, _60, _61, _62, _63, _64, n, ...)                                  \
  n

// SQLRITE_ORM_FOR_EACH(m, x, a, b, ...): m(x, 0, a) m(x, (0)+1, b) ...
#define SQLRITE_ORM_FOR_EACH(m, x, ...) \
  SQLRITE_ORM_CAT(SQLRITE_ORM_FE_, SQLRITE_ORM_NARG(__VA_ARGS__))(m, x, 0, __VA_ARGS__)
#define SQLRITE_ORM_FE_1(m, x, i, a) m(x, i, a)
#define SQLRITE_ORM_FE_2(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_1(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_3(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_2(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_4(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_3(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_5(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_4(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_6(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_5(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_7(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_6(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_8(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_7(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_9(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_8(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_10(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_9(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_11(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_10(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_12(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_11(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_13(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_12(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_14(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_13(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_15(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_14(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_16(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_15(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_17(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_16(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_18(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_17(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_19(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_18(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_20(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_19(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_21(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_20(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_22(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_21(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_23(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_22(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_24(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_23(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_25(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_24(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_26(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_25(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_27(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_26(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_28(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_27(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_29(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_28(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_30(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_29(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_31(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_30(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_32(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_31(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_33(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_32(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_34(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_33(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_35(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_34(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_36(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_35(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_37(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_36(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_38(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_37(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_39(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_38(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_40(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_39(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_41(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_40(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_42(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_41(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_43(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_42(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_44(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_43(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_45(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_44(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_46(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_45(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_47(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_46(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_48(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_47(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_49(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_48(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_50(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_49(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_51(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_50(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_52(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_51(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_53(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_52(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_54(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_53(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_55(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_54(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_56(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_55(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_57(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_56(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_58(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_57(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_59(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_58(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_60(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_59(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_61(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_60(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_62(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_61(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_63(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_62(m, x, (i) + 1, __VA_ARGS__)
#define SQLRITE_ORM_FE_64(m, x, i, a, ...) m(x, i, a) SQLRITE_ORM_FE_63(m, x, (i) + 1, __VA_ARGS__)

// SQLRITE_ORM_ATTRS(a, b): , ::sqlrite::orm::attr::a, ::sqlrite::orm::attr::b
#define SQLRITE_ORM_ATTRS(...) \
  SQLRITE_ORM_CAT(SQLRITE_ORM_AT_, SQLRITE_ORM_NARG(__VA_ARGS__))(__VA_ARGS__)
#define SQLRITE_ORM_AT_1(a) , ::sqlrite::orm::attr::a
#define SQLRITE_ORM_AT_2(a, ...) , ::sqlrite::orm::attr::a SQLRITE_ORM_AT_1(__VA_ARGS__)
#define SQLRITE_ORM_AT_3(a, ...) , ::sqlrite::orm::attr::a SQLRITE_ORM_AT_2(__VA_ARGS__)
#define SQLRITE_ORM_AT_4(a, ...) , ::sqlrite::orm::attr::a SQLRITE_ORM_AT_3(__VA_ARGS__)
#define SQLRITE_ORM_AT_5(a, ...) , ::sqlrite::orm::attr::a SQLRITE_ORM_AT_4(__VA_ARGS__)
#define SQLRITE_ORM_AT_6(a, ...) , ::sqlrite::orm::attr::a SQLRITE_ORM_AT_5(__VA_ARGS__)
#define SQLRITE_ORM_AT_7(a, ...) , ::sqlrite::orm::attr::a SQLRITE_ORM_AT_6(__VA_ARGS__)
#define SQLRITE_ORM_AT_8(a, ...) , ::sqlrite::orm::attr::a SQLRITE_ORM_AT_7(__VA_ARGS__)

// One Field member of fields_t per (member, attributes...).
#define SQLRITE_ORM_FIELD_DECL(X, I, T) SQLRITE_ORM_FIELD_DECL_(X, I, SQLRITE_ORM_EXPAND T)
#define SQLRITE_ORM_FIELD_DECL_(X, I, ...) SQLRITE_ORM_FIELD_DECL__(X, I, __VA_ARGS__)
#define SQLRITE_ORM_FIELD_DECL__(X, I, name, ...) \
  ::sqlrite::orm::Field<X, decltype(X::name), I __VA_OPT__(SQLRITE_ORM_ATTRS(__VA_ARGS__))> name;

// One visitor call per field: v(fields.name, "name", getter, setter), the accessors as plain
// function pointers over `void*` (what the type-erased operations use).
#define SQLRITE_ORM_FIELD_VISIT(X, I, T) SQLRITE_ORM_FIELD_VISIT_(X, SQLRITE_ORM_EXPAND T)
#define SQLRITE_ORM_FIELD_VISIT_(X, ...) SQLRITE_ORM_FIELD_VISIT__(X, __VA_ARGS__)
#define SQLRITE_ORM_FIELD_VISIT__(X, name, ...)                                               \
  v(                                                                                          \
      fields.name, #name,                                                                     \
      +[](const void* m) { return ::sqlrite::orm::ToValue(static_cast<const X*>(m)->name); }, \
      +[](void* m, const ::sqlrite::orm::Value& value) {                                      \
        return ::sqlrite::orm::FromValue(value, static_cast<X*>(m)->name, #name);             \
      });

// One `, decltype(fields_t::name)` per field: the list of the model's Field types.
#define SQLRITE_ORM_FIELD_TYPE(X, I, T) SQLRITE_ORM_FIELD_TYPE_(SQLRITE_ORM_EXPAND T)
#define SQLRITE_ORM_FIELD_TYPE_(...) SQLRITE_ORM_FIELD_TYPE__(__VA_ARGS__)
#define SQLRITE_ORM_FIELD_TYPE__(name, ...) , decltype(fields_t::name)
#define SQLRITE_ORM_FIELD_LIST(X, ...) \
  ::sqlrite::orm::TypeList<void SQLRITE_ORM_FOR_EACH(SQLRITE_ORM_FIELD_TYPE, X, __VA_ARGS__)>

#define SQLRITE_MODEL(X, table, ...)                                                              \
  struct fields_t {                                                                               \
    SQLRITE_ORM_FOR_EACH(SQLRITE_ORM_FIELD_DECL, X, __VA_ARGS__)                                  \
  };                                                                                              \
  static constexpr fields_t fields{};                                                             \
  using OrmFieldList = SQLRITE_ORM_FIELD_LIST(X, __VA_ARGS__);                                    \
  static constexpr std::string_view kOrmName = #X;                                                \
  static constexpr std::string_view kOrmTable = table;                                            \
  template <typename V>                                                                           \
  static void OrmForEachField(V&& v) {                                                            \
    SQLRITE_ORM_FOR_EACH(SQLRITE_ORM_FIELD_VISIT, X, __VA_ARGS__)                                 \
  }                                                                                               \
  static const ::sqlrite::orm::ModelDef& OrmModel() {                                             \
    static const ::sqlrite::orm::ModelDef def = ::sqlrite::orm::BuildModelDef<X>();               \
    return def;                                                                                   \
  }                                                                                               \
  static ::sqlrite::orm::Query<X> All() { return {}; }                                            \
  static ::sqlrite::orm::Query<X> Filter(const ::sqlrite::orm::Expr<X>& e) {                      \
    return ::sqlrite::orm::Query<X>().Filter(e);                                                  \
  }                                                                                               \
  template <typename... K>                                                                        \
  static ::sqlrite::orm::Result<X> Get(::sqlrite::orm::Executor& ex, const K&... key) {           \
    return ::sqlrite::orm::Get<X>(ex, key...);                                                    \
  }                                                                                               \
  template <::sqlrite::orm::UniqueField F, typename U>                                            \
  requires std::same_as<typename F::model_type, X> &&                                             \
      ::sqlrite::orm::ValueFor<U, typename F::value_type>                                         \
  static ::sqlrite::orm::Result<X> GetBy(::sqlrite::orm::Executor& ex, F field, const U& value) { \
    return ::sqlrite::orm::GetBy(ex, field, value);                                               \
  }

// ---- SQLRITE_RELATIONS(X, (member, kind, ...)...): relations declared once (orm/relation_decl.h)
#define SQLRITE_ORM_REL_DECL(X, I, T) SQLRITE_ORM_REL_DECL_(X, SQLRITE_ORM_EXPAND T)
#define SQLRITE_ORM_REL_DECL_(X, ...) SQLRITE_ORM_REL_DECL__(X, __VA_ARGS__)
#define SQLRITE_ORM_REL_DECL__(X, member, kind, ...) \
  SQLRITE_ORM_CAT(SQLRITE_ORM_REL_, kind)(X, member __VA_OPT__(, ) __VA_ARGS__)
#define SQLRITE_ORM_REL_belongs_to(X, ...) \
  SQLRITE_ORM_CAT(SQLRITE_ORM_REL_BT_, SQLRITE_ORM_NARG(__VA_ARGS__))(X, __VA_ARGS__)
#define SQLRITE_ORM_REL_BT_1(X, m)                                \
  ::sqlrite::orm::BelongsTo<X, &X::m, decltype(fields_t::m##_id), \
                            ::sqlrite::orm::OnDelete::kDefault>   \
      m;
#define SQLRITE_ORM_REL_BT_2(X, m, fk) \
  ::sqlrite::orm::BelongsTo<X, &X::m, decltype(fields_t::fk), ::sqlrite::orm::OnDelete::kDefault> m;
#define SQLRITE_ORM_REL_BT_3(X, m, fk, od) \
  ::sqlrite::orm::BelongsTo<X, &X::m, decltype(fields_t::fk), ::sqlrite::orm::on_delete::od> m;
#define SQLRITE_ORM_REL_has_many(X, ...) \
  SQLRITE_ORM_CAT(SQLRITE_ORM_REL_HM_, SQLRITE_ORM_NARG(__VA_ARGS__))(X, HasMany, __VA_ARGS__)
#define SQLRITE_ORM_REL_has_one(X, ...) \
  SQLRITE_ORM_CAT(SQLRITE_ORM_REL_HM_, SQLRITE_ORM_NARG(__VA_ARGS__))(X, HasOne, __VA_ARGS__)
#define SQLRITE_ORM_REL_HM_1(X, K, m) \
  ::sqlrite::orm::K<X, &X::m, ::sqlrite::orm::InferForeignKey> m;
#define SQLRITE_ORM_REL_HM_2(X, K, m, fk)                                 \
  struct m##_fk_ {                                                        \
    template <typename P, typename C, typename D>                         \
    using type = decltype(std::conditional<true, C, D>::type::fields.fk); \
  };                                                                      \
  ::sqlrite::orm::K<X, &X::m, m##_fk_> m;

// One accessor per relation: related_m(), a query of the related rows of this instance
// (orm/related.h). A template, so the related model may still be incomplete here.
#define SQLRITE_ORM_REL_ACCESSOR(X, I, T) SQLRITE_ORM_REL_ACCESSOR_(SQLRITE_ORM_EXPAND T)
#define SQLRITE_ORM_REL_ACCESSOR_(...) SQLRITE_ORM_REL_ACCESSOR__(__VA_ARGS__)
#define SQLRITE_ORM_REL_ACCESSOR__(member, ...)                                                 \
  template <typename D = void>                                                                  \
  auto related_##member() const {                                                               \
    return ::sqlrite::orm::Related<std::conditional_t<true, decltype(relations_t::member), D>>( \
        *this);                                                                                 \
  }

#define SQLRITE_ORM_REL_TYPE(X, I, T) SQLRITE_ORM_REL_TYPE_(SQLRITE_ORM_EXPAND T)
#define SQLRITE_ORM_REL_TYPE_(...) SQLRITE_ORM_REL_TYPE__(__VA_ARGS__)
#define SQLRITE_ORM_REL_TYPE__(member, ...) , decltype(relations_t::member)

// Inside the struct, after SQLRITE_MODEL: `rel` (one typed constant per relation), the list of
// the relations' types (orm/relation_decl.h has the forms and the rules) and one accessor
// related_m() per relation m (orm/related.h).
#define SQLRITE_RELATIONS(X, ...)                                                             \
  struct relations_t {                                                                        \
    SQLRITE_ORM_FOR_EACH(SQLRITE_ORM_REL_DECL, X, __VA_ARGS__)                                \
  };                                                                                          \
  [[maybe_unused]] static constexpr relations_t rel{}; /* a model may never name its rel */   \
  using OrmRelationList =                                                                     \
      ::sqlrite::orm::internal::DropFirst<::sqlrite::orm::TypeList<void SQLRITE_ORM_FOR_EACH( \
          SQLRITE_ORM_REL_TYPE, X, __VA_ARGS__)>>::type;                                      \
  SQLRITE_ORM_FOR_EACH(SQLRITE_ORM_REL_ACCESSOR, X, __VA_ARGS__)
