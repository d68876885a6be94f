#pragma once
// The member-function shorthands of declared relations (Toasty's generated accessors), and
// include paths on a query. SQLRITE_RELATIONS (orm/model.h) gives each relation `m` of a model a
// member function `related_m()` (the data member `m` keeps the preloaded rows, so the accessor
// needs another name than Toasty's `user.todos()`):
//
//   user.related_todos()                           a Query<Todo> of the user's todos:
//       .Filter(Todo::fields.done == false).OrderBy(Todo::fields.id.Asc()).Limit(10).Exec(db)
//       .Count(db), .First(db), .Paginate(db, n), ...
//   user.related_todos().Create(db, Todo{.title = "x"})   the foreign key filled in
//   todo.related_user().Get(db)        the parent: Result<User> for a required foreign key,
//                                      Result<std::optional<User>> for an optional one
//   user.related_profile().Get(db)     a has_one: Result<std::optional<Profile>> (21000: several)
//   user.related_profile().Create(db, Profile{...})
//
//   User::All().Include(User::rel.todos, Todo::rel.tags)    include paths, one query per level
//       .Include(User::rel.profile).Filter(...).OrderBy(...).Exec(db)   (and .First(db))
//
// Each accessor is a query of the related model with one filter (the foreign key equal to the
// parent's key, or the key equal to the foreign key), built from the instance's values when
// called: it does not follow later changes to the instance. A relation the model does not declare
// has no accessor (a compile error); Create takes only the related model.

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "orm/relation.h"

namespace sqlrite::orm {

namespace erased {
// The value of `field` of one instance of `model`.
Value FieldValue(const ModelDef& model, int field, const void* instance);
// 21000 unless `rows` is 0 or 1 (a has_one that several rows name).
Status CheckAtMostOne(const ModelDef& child, const ModelDef& parent, std::size_t rows);
}  // namespace erased

// The rows a declared relation R reaches from one instance of its model, as a query of the
// related model (R's checks, Resolve, apply here: where the accessor is used).
template <DeclaredRelation R>
class Related : public Query<typename R::related_type> {
  using Checked = Resolve<R>;
  using M = typename R::model_type;
  using T = typename R::related_type;
  using Fk = typename Checked::fk;
  using Base = Query<T>;

 public:
  explicit Related(const M& from) : key_(KeyOf(from)) {
    Base& query = *this;
    query = query.Filter(Expr<T>{stmt::Cmp(stmt::CompareOp::kEq, kMatched, key_)});
  }

  // belongs_to: the parent. Result<P> (02000 when it is gone) for a required foreign key;
  // Result<std::optional<P>> for an optional one (nullopt when the foreign key is NULL).
  auto Get(Executor& ex) const requires(R::kind == RelationKind::kBelongsTo) {
    if constexpr (Fk::is_optional) {
      if (key_.is_null()) return Result<std::optional<T>>(std::optional<T>());
      return Base::First(ex);
    } else {
      auto found = Base::First(ex);
      if (!found) return Result<T>(tl::unexpected(std::move(found).error()));
      if (!*found) return Result<T>(Fail(sqlstate::kNoData, "the parent row is gone"));
      return Result<T>(std::move(**found));
    }
  }

  // has_one: the child, or nullopt; 21000 when several rows name this parent.
  Result<std::optional<T>> Get(Executor& ex) const requires(R::kind == RelationKind::kHasOne) {
    auto rows = Base::Limit(2).Exec(ex);
    if (!rows) return tl::unexpected(std::move(rows).error());
    SQLRITE_ORM_TRY(erased::CheckAtMostOne(T::OrmModel(), M::OrmModel(), rows->size()));
    if (rows->empty()) return std::optional<T>();
    return std::optional<T>(std::move(rows->front()));
  }

  // has_many / has_one: creates `child` with its foreign key set to the parent's key.
  Result<T> Create(Executor& ex, T child) const requires(R::kind != RelationKind::kBelongsTo) {
    SQLRITE_ORM_TRY(erased::SetField(T::OrmModel(), Fk::index, key_, &child, sizeof(T), 1));
    return orm::Create(ex, child);
  }

 private:
  // The children's foreign key equals the instance's key; or the parent's key equals the
  // instance's foreign key.
  static constexpr int kMatched = Checked::belongs_to ? Checked::parent_key::index : Fk::index;
  static Value KeyOf(const M& from) {
    return erased::FieldValue(M::OrmModel(),
                              Checked::belongs_to ? Fk::index : Checked::parent_key::index, &from);
  }
  Value key_;
};

// ---- include paths on a query ----
// A query of M whose rows come with the given include paths loaded (Query<M>::Include).
template <typename M>
class IncludingQuery {
 public:
  using Loader = Status (*)(Executor&, std::vector<M>&);
  IncludingQuery(Query<M> query, std::vector<Loader> loaders)
      : query_(std::move(query)), loaders_(std::move(loaders)) {}

  // Another path (siblings: User::rel.todos and User::rel.profile are two calls).
  template <DeclaredRelation R, DeclaredRelation... Rest>
  requires std::same_as<typename R::model_type, M> IncludingQuery Include(R first, Rest... rest)
  const {
    IncludingQuery next = *this;
    next.loaders_.push_back(LoaderOf(first, rest...));
    return next;
  }
  IncludingQuery Filter(const Expr<M>& e) const { return {query_.Filter(e), loaders_}; }
  template <typename... T>
  IncludingQuery OrderBy(OrderTerm<M> first, T... rest) const {
    return {query_.OrderBy(first, rest...), loaders_};
  }
  IncludingQuery Limit(std::int64_t n) const { return {query_.Limit(n), loaders_}; }
  IncludingQuery Offset(std::int64_t n) const { return {query_.Offset(n), loaders_}; }

  // The rows, then one query per relation of each path (never one per row).
  Result<std::vector<M>> Exec(Executor& ex) const {
    auto rows = query_.Exec(ex);
    if (!rows) return rows;
    for (Loader load : loaders_) SQLRITE_ORM_TRY(load(ex, *rows));
    return rows;
  }
  Result<std::optional<M>> First(Executor& ex) const {
    auto rows = query_.Limit(1).Exec(ex);
    if (!rows) return tl::unexpected(std::move(rows).error());
    for (Loader load : loaders_) SQLRITE_ORM_TRY(load(ex, *rows));
    if (rows->empty()) return std::optional<M>();
    return std::optional<M>(std::move(rows->front()));
  }

  template <typename... Path>
  static Loader LoaderOf(Path...) {
    // Relations are empty constants: the path is all in the types, so a plain function pointer.
    return +[](Executor& ex, std::vector<M>& rows) { return orm::Include(ex, rows, Path{}...); };
  }

 private:
  Query<M> query_;
  std::vector<Loader> loaders_;
};

template <typename M>
template <typename R, typename... Rest>
requires DeclaredRelation<R> && std::same_as<typename R::model_type, M> IncludingQuery<M>
Query<M>::Include(R first, Rest... rest)
const { return IncludingQuery<M>(*this, {IncludingQuery<M>::LoaderOf(first, rest...)}); }

}  // namespace sqlrite::orm
