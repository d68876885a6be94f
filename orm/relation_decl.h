#pragma once
// Relations declared once in the model (SQLRITE_RELATIONS, orm/model.h), as Toasty's
// #[belongs_to(key = ..., references = ...)] / #[has_many] / #[has_one]:
//
//   struct Author {
//     std::int64_t id = 0;
//     std::string name;
//     std::vector<Article> articles;
//     std::optional<Profile> profile;
//     SQLRITE_MODEL(Author, "authors", (id, key, auto_increment), (name))
//     SQLRITE_RELATIONS(Author, (articles, has_many), (profile, has_one))
//   };
//   struct Article {
//     std::int64_t id = 0;
//     std::optional<std::int64_t> author_id;
//     std::string title;
//     std::optional<Author> author;
//     SQLRITE_MODEL(Article, "articles", (id, key, auto_increment), (author_id, index), (title))
//     SQLRITE_RELATIONS(Article, (author, belongs_to))   // key: author_id, references Author's key
//   };
//
// Each (member, kind, ...) names a relation member (not a field) and its kind:
//   (m, belongs_to)                 the foreign key is the field m_id of this model
//   (m, belongs_to, fk)             ... the field fk
//   (m, belongs_to, fk, on_delete)  ... with the parent's delete doing `on_delete` to this row:
//                                   cascade, set_null, restrict or no_action (default: cascade
//                                   for a required fk, set_null for an optional one)
//   (m, has_many) / (m, has_one)    the child's foreign key is its belongs_to back to this model
//   (m, has_many, fk) / (m, has_one, fk)   ... the child's field fk
// The macro adds `rel` (one typed constant per relation: Author::rel.articles) and the list of
// the relations' types. A belongs_to becomes FOREIGN KEY (fk) REFERENCES parent (key) ON DELETE
// ... in PushSchema; every relation works in Include, Through, Any and CreateWith (orm/relation.h),
// Query::Include, and the accessor related_m() the macro adds (orm/related.h).
//
// Checked at compile time, where a relation is used (the related model may be incomplete where
// it is declared): a belongs_to member is std::optional<P>, a has_many std::vector<C>, a has_one
// std::optional<C>, of models; the related model has a single key field; the foreign key belongs
// to the child and has the type of the parent's key; set_null needs an optional foreign key; a
// has_many / has_one without a foreign key named finds exactly one belongs_to back.

#include <concepts>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <vector>

#include "orm/core/schema.h"
#include "orm/field.h"

namespace sqlrite::orm {

template <typename... T>
struct TypeList {};
namespace internal {
template <typename L>
struct DropFirst;
template <typename F, typename... R>
struct DropFirst<TypeList<F, R...>> {
  using type = TypeList<R...>;
};
}  // namespace internal

// The on_delete words of a belongs_to declaration.
namespace on_delete {
inline constexpr OnDelete cascade = OnDelete::kCascade;
inline constexpr OnDelete set_null = OnDelete::kSetNull;
inline constexpr OnDelete restrict = OnDelete::kRestrict;
inline constexpr OnDelete no_action = OnDelete::kNoAction;
}  // namespace on_delete

enum class RelationKind { kBelongsTo, kHasMany, kHasOne };

namespace internal {
template <typename P>
struct MemberPointer;
template <typename M, typename T>
struct MemberPointer<T M::*> {
  using holder = M;
  using member = T;
};
template <typename T>
struct RelatedOf {
  using type = void;
};
template <typename T>
struct RelatedOf<std::optional<T>> {
  using type = T;
};
template <typename T>
struct RelatedOf<std::vector<T>> {
  using type = T;
};

// The model's declared relations (RelationList<> without SQLRITE_RELATIONS).
template <typename M>
struct RelationsOf {
  using type = TypeList<>;
};
template <typename M>
requires requires { typename M::OrmRelationList; }
struct RelationsOf<M> {
  using type = typename M::OrmRelationList;
};

// The Field types of a model's key fields.
template <typename L>
struct KeysOf;
template <typename... F>
struct KeysOf<TypeList<void, F...>> {
  static constexpr int count = (0 + ... + (F::is_key ? 1 : 0));
};
template <typename First, typename... F>
struct FirstKey {
  using type = std::conditional_t<First::is_key, First, typename FirstKey<F...>::type>;
};
template <typename First>
struct FirstKey<First> {
  using type = First;
};
template <typename L>
struct KeyFieldOf;
template <typename... F>
struct KeyFieldOf<TypeList<void, F...>> {
  using type = typename FirstKey<F...>::type;
};
}  // namespace internal

// A model usable as a relation's target: single key field (compile time, where used).
template <typename P>
concept SingleKeyModel = internal::KeysOf<typename P::OrmFieldList>::count == 1;

// A belongs_to: `Member` (std::optional<P> M::*) loads the parent P whose key equals M's field
// `Fk`.
template <typename M, auto Member, typename Fk, OnDelete D>
struct BelongsTo {
  static constexpr RelationKind kind = RelationKind::kBelongsTo;
  static constexpr auto member = Member;
  static constexpr OnDelete on_delete = D;
  using model_type = M;
  using member_type = typename internal::MemberPointer<decltype(Member)>::member;
  using related_type = typename internal::RelatedOf<member_type>::type;
  using back_fk = Fk;  // what a has_many / has_one of the parent infers
  // The foreign key (a Field of M); Resolve checks the rest where the relation is used.
  template <typename = void>
  using fk = Fk;
};

// A has_many (std::vector<C> M::*) or has_one (std::optional<C> M::*): the children C whose
// foreign key (FkOf::type<M, C>) equals M's key.
template <RelationKind K, typename M, auto Member, typename FkOf>
struct HasRelation {
  static constexpr RelationKind kind = K;
  static constexpr auto member = Member;
  static constexpr OnDelete on_delete = OnDelete::kDefault;
  using model_type = M;
  using member_type = typename internal::MemberPointer<decltype(Member)>::member;
  using related_type = typename internal::RelatedOf<member_type>::type;
  using back_fk = void;
  template <typename D = void>
  using fk = typename FkOf::template type<M, related_type, D>;
};
template <typename M, auto Member, typename FkOf>
using HasMany = HasRelation<RelationKind::kHasMany, M, Member, FkOf>;
template <typename M, auto Member, typename FkOf>
using HasOne = HasRelation<RelationKind::kHasOne, M, Member, FkOf>;

namespace internal {
// The foreign key of the one belongs_to among R... that targets P (void: none; int: several).
template <typename P, typename... R>
struct BackRefs {
  static constexpr int count =
      (0 + ... +
       (R::kind == RelationKind::kBelongsTo && std::same_as<typename R::related_type, P>));
};
template <typename P, typename... R>
struct FirstBackRef {
  using type = void;
};
template <typename P, typename R0, typename... R>
struct FirstBackRef<P, R0, R...> {
  using type = std::conditional_t<R0::kind == RelationKind::kBelongsTo &&
                                      std::same_as<typename R0::related_type, P>,
                                  typename R0::back_fk, typename FirstBackRef<P, R...>::type>;
};
template <typename P, typename L>
struct BackRefOf;
template <typename P, typename... R>
struct BackRefOf<P, TypeList<R...>> {
  static_assert(BackRefs<P, R...>::count == 1,
                "a has_many / has_one without a foreign key named needs exactly one belongs_to "
                "back to this model in the child; name the child's foreign key: "
                "(member, has_many, fk)");
  using type = typename FirstBackRef<P, R...>::type;
};
}  // namespace internal

// A has_many / has_one's foreign key: the child's belongs_to back to the parent.
// (D keeps the lookup dependent, so it waits for a use: C may be incomplete where the relation is
// declared.)
struct InferForeignKey {
  template <typename P, typename C, typename D>
  using type = typename internal::BackRefOf<
      P, typename internal::RelationsOf<typename std::conditional<true, C, D>::type>::type>::type;
};

template <typename R>
concept DeclaredRelation = requires {
  R::kind;
  R::member;
  typename R::model_type;
  typename R::related_type;
};

// Everything a use of relation R needs, checked: the holder M, the related model T, the foreign
// key F (a Field of the child), and which side holds it.
template <DeclaredRelation R>
struct Resolve {
  using model_type = typename R::model_type;
  using related_type = typename R::related_type;
  static_assert(!std::is_void_v<related_type>,
                "a relation member must be std::optional<Model> (belongs_to, has_one) or "
                "std::vector<Model> (has_many)");
  static constexpr bool belongs_to = R::kind == RelationKind::kBelongsTo;
  static_assert(R::kind != RelationKind::kHasMany ||
                    std::same_as<typename R::member_type, std::vector<related_type>>,
                "a has_many member must be a std::vector<Model>");
  static_assert(R::kind == RelationKind::kHasMany ||
                    std::same_as<typename R::member_type, std::optional<related_type>>,
                "a belongs_to / has_one member must be a std::optional<Model>");
  using parent_type = std::conditional_t<belongs_to, related_type, model_type>;
  using child_type = std::conditional_t<belongs_to, model_type, related_type>;
  static_assert(SingleKeyModel<parent_type>,
                "the parent model of a relation needs a single key field (the foreign key "
                "references it)");
  using fk = typename R::template fk<>;
  static_assert(std::same_as<typename fk::model_type, child_type>,
                "a relation's foreign key must be a field of the child model");
  using parent_key = typename internal::KeyFieldOf<typename parent_type::OrmFieldList>::type;
  static_assert(std::same_as<typename fk::value_type, typename parent_key::value_type>,
                "a relation's foreign key must have the type of the parent's key");
  static_assert(R::on_delete != OnDelete::kSetNull || fk::is_optional,
                "on_delete set_null needs an optional foreign key");
};

namespace internal {
// The declared belongs_to relations of M as ModelDef foreign keys (BuildModelDef).
template <typename R>
void AddForeignKey(ModelDef& def) {
  if constexpr (R::kind == RelationKind::kBelongsTo) {
    using Checked = Resolve<R>;
    def.foreign_keys.push_back(
        ForeignKeyDef{Checked::fk::index, &Checked::parent_type::OrmModel, R::on_delete});
  }
}
template <typename... R>
void AddForeignKeys(ModelDef& def, TypeList<R...>) {
  (AddForeignKey<R>(def), ...);
}
}  // namespace internal

}  // namespace sqlrite::orm
