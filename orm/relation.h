#pragma once
// Relations declared once in the model (SQLRITE_RELATIONS, orm/relation_decl.h), used by name:
//
//   Include(db, authors, Author::rel.articles);                  // has_many: children in key order
//   Include(db, authors, Author::rel.articles, Article::rel.comments);   // a path, one query a
//   level Include(db, articles, Article::rel.author);                  // belongs_to: nullopt for
//   NULL Include(db, authors, Author::rel.profile);                   // has_one: nullopt for none
//   Article::Filter(Through(Article::rel.author, Author::fields.name == "Ann"))  // belongs_to path
//   Author::Filter(Any(Author::rel.articles, Article::fields.title == "x"))      // has_many path
//   CreateWith(db, Author{.name = "A", .articles = {{.title = "x"}}}, Author::rel.articles)
//
// and through the model's accessors and Query::Include (orm/related.h):
// author.related_articles().Filter(...).Exec(db), Author::All().Include(Author::rel.articles).
//
// Include fills a relation member of every row of a result with one query per relation (never
// one per row: no N+1), in chunks of 500 keys. A has_one that two rows name is 21000
// (cardinality_violation). Deletes cascade in the database: a declared belongs_to is a FOREIGN
// KEY ... ON DELETE CASCADE / SET NULL, so Remove(db, author) is one statement.

#include <cstddef>
#include <optional>
#include <vector>

#include "orm/query.h"
#include "orm/relation_decl.h"

namespace sqlrite::orm {

namespace erased {
// The values of `field` of `n` instances laid out `stride` bytes apart from `first`.
std::vector<Value> FieldValues(const ModelDef& model, int field, const void* first,
                               std::size_t stride, std::size_t n);
// The single key field of `model`, or 0A000.
Result<int> SingleKey(const ModelDef& model);
// SELECT model WHERE field IN (values) ORDER BY the model's key, chunked; appends to `vec`.
Status SelectIn(Executor& ex, const ModelDef& model, int field, const std::vector<Value>& values,
                void* vec, AppendFn append);
// For each of `rows` (rows[i].field), the index in `keys` of the equal value; SIZE_MAX: none.
std::vector<std::size_t> MatchIndexes(const std::vector<Value>& rows,
                                      const std::vector<Value>& keys);
// 21000 when two loaded rows of `child` have the same owner (an index below SIZE_MAX).
Status CheckHasOne(const ModelDef& child, const ModelDef& parent,
                   const std::vector<std::size_t>& owners);
// The single key value of a parent instance (0A000 for a composite key).
Result<Value> KeyValue(const ModelDef& parent, const void* instance);
// Sets `field` of `n` instances laid out `stride` bytes apart from `first` to `value`.
Status SetField(const ModelDef& model, int field, const Value& value, void* first,
                std::size_t stride, std::size_t n);
// `field` of `outer` IN (SELECT `column` of `inner` WHERE filter); column -1: inner's single key.
stmt::Expr InSelectOf(int field, const ModelDef& inner, int column, stmt::Expr filter);
int SingleKeyOrNone(const ModelDef& model);
}  // namespace erased

// ---- the implementations over a (member, foreign key) pair; Resolve<R> gives both ----
namespace internal {
// Calls f on each related row a relation member holds: every element of a vector, the value of an
// optional that has one.
template <typename C, typename Fn>
void ForEachRelated(std::vector<C>& member, Fn&& f) {
  for (C& c : member) f(c);
}
template <typename C, typename Fn>
void ForEachRelated(std::optional<C>& member, Fn&& f) {
  if (member) f(*member);
}

// has_many: fills parent.*children with the rows of C whose `fk` equals the parent's key.
template <typename P, typename C, typename F>
Status IncludeMember(Executor& ex, std::vector<P>& parents, std::vector<C> P::*children, F) {
  auto key = erased::SingleKey(P::OrmModel());
  if (!key) return tl::unexpected(std::move(key).error());
  std::vector<Value> keys =
      erased::FieldValues(P::OrmModel(), *key, parents.data(), sizeof(P), parents.size());
  std::vector<C> loaded;
  SQLRITE_ORM_TRY(erased::SelectIn(ex, C::OrmModel(), F::index, keys, &loaded, &erased::Append<C>));
  std::vector<std::size_t> owners = erased::MatchIndexes(
      erased::FieldValues(C::OrmModel(), F::index, loaded.data(), sizeof(C), loaded.size()), keys);
  for (P& p : parents) (p.*children).clear();
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    if (owners[i] < parents.size()) (parents[owners[i]].*children).push_back(std::move(loaded[i]));
  }
  return {};
}

// belongs_to (the foreign key is the holder's, F's model is C): child.*parent is the row of P
// whose key equals the child's `fk`. has_one (F's model is the member's): parent.*child is the row
// of C whose `fk` equals the parent's key.
template <typename H, typename T, typename F>
Status IncludeMember(Executor& ex, std::vector<H>& rows, std::optional<T> H::*member, F) {
  if constexpr (std::same_as<typename F::model_type, H>) {  // belongs_to
    auto key = erased::SingleKey(T::OrmModel());
    if (!key) return tl::unexpected(std::move(key).error());
    std::vector<Value> fks =
        erased::FieldValues(H::OrmModel(), F::index, rows.data(), sizeof(H), rows.size());
    std::vector<T> loaded;
    SQLRITE_ORM_TRY(erased::SelectIn(ex, T::OrmModel(), *key, fks, &loaded, &erased::Append<T>));
    std::vector<std::size_t> match = erased::MatchIndexes(
        fks, erased::FieldValues(T::OrmModel(), *key, loaded.data(), sizeof(T), loaded.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].*member =
          match[i] < loaded.size() ? std::optional<T>(loaded[match[i]]) : std::optional<T>();
    }
    return {};
  } else {  // has_one
    auto key = erased::SingleKey(H::OrmModel());
    if (!key) return tl::unexpected(std::move(key).error());
    std::vector<Value> keys =
        erased::FieldValues(H::OrmModel(), *key, rows.data(), sizeof(H), rows.size());
    std::vector<T> loaded;
    SQLRITE_ORM_TRY(
        erased::SelectIn(ex, T::OrmModel(), F::index, keys, &loaded, &erased::Append<T>));
    std::vector<std::size_t> owners = erased::MatchIndexes(
        erased::FieldValues(T::OrmModel(), F::index, loaded.data(), sizeof(T), loaded.size()),
        keys);
    SQLRITE_ORM_TRY(erased::CheckHasOne(T::OrmModel(), H::OrmModel(), owners));
    for (H& h : rows) (h.*member).reset();
    for (std::size_t i = 0; i < loaded.size(); ++i) {
      if (owners[i] < rows.size()) rows[owners[i]].*member = std::move(loaded[i]);
    }
    return {};
  }
}

// Creates `child` with its foreign key F set to `key`.
template <typename F, typename C>
Result<C> CreateChild(Executor& ex, const Value& key, C child) {
  SQLRITE_ORM_TRY(erased::SetField(C::OrmModel(), F::index, key, &child, sizeof(C), 1));
  return Create(ex, child);
}
}  // namespace internal

// ---- declared relations ----
// Include of a path of declared relations, one query per level: the rows of each level are
// gathered from every row of the level above (so no N+1 at any depth), loaded as one list, and
// put back where they came from.
template <typename P, DeclaredRelation R, DeclaredRelation... Rest>
requires std::same_as<typename R::model_type, P> Status Include(Executor& ex, std::vector<P>& rows,
                                                                R, Rest... rest) {
  SQLRITE_ORM_TRY(internal::IncludeMember(ex, rows, R::member, typename Resolve<R>::fk{}));
  if constexpr (sizeof...(Rest) > 0) {
    using C = typename R::related_type;
    std::vector<C> flat;
    for (P& p : rows)
      internal::ForEachRelated(p.*R::member, [&](C& c) { flat.push_back(std::move(c)); });
    Status loaded = Include(ex, flat, rest...);
    std::size_t i = 0;
    for (P& p : rows)
      internal::ForEachRelated(p.*R::member, [&](C& c) { c = std::move(flat[i++]); });
    return loaded;
  }
  return {};
}

// belongs_to path: the rows whose parent matches `parent`, one IN (SELECT ...) subquery:
//   Article::Filter(Through(Article::rel.author, Author::fields.name == "Ann"))
//   -> "author_id" IN (SELECT "id" FROM "authors" WHERE "name" = $1)
template <DeclaredRelation R, typename P>
requires(R::kind == RelationKind::kBelongsTo && std::same_as<P, typename R::related_type>)
    Expr<typename R::model_type> Through(R, const Expr<P>& parent) {
  return {erased::InSelectOf(Resolve<R>::fk::index, P::OrmModel(), -1, parent.node)};
}

// has_many / has_one path: the rows with at least one child that matches `child`:
//   Author::Filter(Any(Author::rel.articles, Article::fields.title == "x"))
//   -> "id" IN (SELECT "author_id" FROM "articles" WHERE "title" = $1)
template <DeclaredRelation R, typename C>
requires(R::kind != RelationKind::kBelongsTo && std::same_as<C, typename R::related_type>)
    Expr<typename R::model_type> Any(R, const Expr<C>& child) {
  return {erased::InSelectOf(Resolve<R>::parent_key::index, C::OrmModel(), Resolve<R>::fk::index,
                             child.node)};
}

// Nested create through a declared relation, a model and its related rows in one transaction (a
// savepoint inside one): all or none.
//   has_many: the parent, then value.*children with their foreign key set to its key;
//   has_one: the parent, then value.*child (when present) likewise;
//   belongs_to: value.*parent first (when present), then the row pointing at it.
// The row comes back with its related rows as stored.
//   CreateWith(db, Author{.name = "A", .articles = {{.title = "x"}}}, Author::rel.articles)
template <typename M, DeclaredRelation R>
requires std::same_as<M, typename R::model_type> Result<M> CreateWith(Executor& ex, const M& value,
                                                                      R) {
  using Checked = Resolve<R>;
  using T = typename R::related_type;
  using F = typename Checked::fk;
  auto tx = ex.Begin();
  if (!tx) return tl::unexpected(std::move(tx).error());
  if constexpr (Checked::belongs_to) {
    M child = value;
    std::optional<T> made_parent;
    if (value.*R::member) {
      auto made = Create(*tx, *(value.*R::member));
      if (!made) return tl::unexpected(std::move(made).error());
      auto key = erased::KeyValue(T::OrmModel(), &*made);
      if (!key) return tl::unexpected(std::move(key).error());
      SQLRITE_ORM_TRY(erased::SetField(M::OrmModel(), F::index, *key, &child, sizeof(M), 1));
      made_parent = std::move(*made);
    }
    auto made = Create(*tx, child);
    if (!made) return tl::unexpected(std::move(made).error());
    (*made).*R::member = std::move(made_parent);
    SQLRITE_ORM_TRY(tx->Commit());
    return made;
  } else {
    auto parent = Create(*tx, value);
    if (!parent) return tl::unexpected(std::move(parent).error());
    auto key = erased::KeyValue(M::OrmModel(), &*parent);
    if (!key) return tl::unexpected(std::move(key).error());
    if constexpr (R::kind == RelationKind::kHasMany) {
      std::vector<T> kids = value.*R::member;
      SQLRITE_ORM_TRY(
          erased::SetField(T::OrmModel(), F::index, *key, kids.data(), sizeof(T), kids.size()));
      auto made = CreateMany(*tx, kids);
      if (!made) return tl::unexpected(std::move(made).error());
      (*parent).*R::member = std::move(*made);
    } else if (value.*R::member) {
      auto made = internal::CreateChild<F>(*tx, *key, *(value.*R::member));
      if (!made) return tl::unexpected(std::move(made).error());
      (*parent).*R::member = std::move(*made);
    }
    SQLRITE_ORM_TRY(tx->Commit());
    return parent;
  }
}

}  // namespace sqlrite::orm
