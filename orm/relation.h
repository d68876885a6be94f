#pragma once
// Relations, preloaded: Include fills a relation member of every row of a result with one query
// per relation (never one per row: no N+1), matching rows on a foreign-key field.
//
//   struct Author { std::int64_t id = 0; std::string name; std::vector<Article> articles;
//                   SQLRITE_MODEL(Author, "authors", (id, key, auto_increment), (name)) };
//   struct Article { std::int64_t id = 0; std::int64_t author_id = 0; std::optional<Author> author;
//                    SQLRITE_MODEL(Article, "articles", (id, key, auto_increment), (author_id,
//                    index)) };
//
//   Include(db, authors, &Author::articles, Article::fields.author_id);  // has_many
//   Include(db, articles, &Article::author, Article::fields.author_id);   // belongs_to
//   Include(db, authors, &Author::profile, Profile::fields.author_id);   // has_one
//
// (has_one: `std::optional<Profile> profile;` in Author, the foreign key in Profile.) Relation
// members are plain members the model's field list does not name. has_many children come in key
// order; a belongs_to whose foreign key matches nothing (or is NULL) stays nullopt, and so does a
// has_one that no row names; a has_one that two rows name is 21000 (cardinality_violation).
// Which overload applies follows from the foreign key's model: the member's holder (belongs_to)
// or the member's type (has_one); a model related to itself is belongs_to.
// The related model's key must be a single field (0A000 otherwise). Key lists are sent in
// chunks of 500 values per query.

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
// One level of a cascade path: the child model and its foreign key to the level above.
struct PathStep {
  const ModelDef* child;
  int fk;
  bool optional;
};
// The cascade along paths from the row whose key is `key`: on each path, every level down to the
// first optional foreign key (included) is visited; required levels are deleted, the optional one
// unlinked (its rows survive, so nothing below them is touched). Levels go deepest first across
// all the paths, so paths that share their first levels each still find their rows.
Status DetachPaths(Executor& ex, const std::vector<std::vector<PathStep>>& paths, const Value& key);
}  // namespace erased

// ---- nested include paths ----
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
template <typename R>
struct RelatedType;
template <typename C>
struct RelatedType<std::vector<C>> {
  using type = C;
};
template <typename C>
struct RelatedType<std::optional<C>> {
  using type = C;
};
}  // namespace internal

// A path of relations, each (member, foreign key) pair one level deeper, in one query per level:
//   Include(db, authors, &Author::articles, Article::fields.author_id,
//           &Article::comments, Comment::fields.article_id);
// The rows of each level are gathered from every row of the level above (so no N+1 at any depth),
// loaded as one list, and put back where they came from.
template <typename P, typename R, typename F, typename... Rest>
requires(sizeof...(Rest) >= 2 && sizeof...(Rest) % 2 == 0) Status
    Include(Executor& ex, std::vector<P>& parents, R P::*member, F fk, Rest... rest) {
  SQLRITE_ORM_TRY(Include(ex, parents, member, fk));
  using C = typename internal::RelatedType<R>::type;
  std::vector<C> flat;
  for (P& p : parents)
    internal::ForEachRelated(p.*member, [&](C& c) { flat.push_back(std::move(c)); });
  Status loaded = Include(ex, flat, rest...);
  std::size_t i = 0;
  for (P& p : parents) internal::ForEachRelated(p.*member, [&](C& c) { c = std::move(flat[i++]); });
  return loaded;
}

// Include on a query: runs it, then loads the path (Include above or below) into its rows.
//   ExecInclude(db, Author::Filter(...).OrderBy(...), &Author::articles, Article::fields.author_id)
//   ExecInclude(db, Author::Filter(...), Author::rel.articles, Article::rel.comments)
template <typename M, typename... Path>
requires(sizeof...(Path) >=
         1) Result<std::vector<M>> ExecInclude(Executor& ex, const Query<M>& query, Path... path) {
  auto rows = query.Exec(ex);
  if (!rows) return rows;
  SQLRITE_ORM_TRY(Include(ex, *rows, path...));
  return rows;
}

// ---- relation paths in filters ----
namespace erased {
// `field` of `outer` IN (SELECT `column` of `inner` WHERE filter); column -1: inner's single key.
stmt::Expr InSelectOf(int field, const ModelDef& inner, int column, stmt::Expr filter);
int SingleKeyOrNone(const ModelDef& model);
}  // namespace erased

// belongs_to path: the rows of C whose parent (through C's foreign key `fk`) matches `parent`:
//   Article::Filter(Through(Article::fields.author_id, Author::fields.name == "Ann"))
//   -> "author_id" IN (SELECT "id" FROM "authors" WHERE "name" = $1)
template <typename F, typename P>
Expr<typename F::model_type> Through(F, const Expr<P>& parent) {
  return {erased::InSelectOf(F::index, P::OrmModel(), -1, parent.node)};
}

// has_many / has_one path: the rows of P with at least one child C (through C's foreign key
// `fk`) that matches `child`; P is named, since the expression does not say it:
//   Author::Filter(Any<Author>(Article::fields.author_id, Article::fields.title == "x"))
//   -> "id" IN (SELECT "author_id" FROM "articles" WHERE "title" = $1)
template <typename P, typename F>
Expr<P> Any(F, const Expr<typename F::model_type>& child) {
  return {erased::InSelectOf(erased::SingleKeyOrNone(P::OrmModel()), F::model_type::OrmModel(),
                             F::index, child.node)};
}

// ---- scoped queries and creates ----
// The children of one parent through the foreign key F (a has_many or has_one):
//   Scoped(author, Article::fields.author_id).Create(db, Article{.title = "x"})  // fk filled in
//   Scoped(author, Article::fields.author_id).All()->Filter(...).Exec(db)        // fk = key
template <typename P, typename F>
class Scope {
 public:
  using Child = typename F::model_type;
  explicit Scope(const P& parent) : key_(erased::KeyValue(P::OrmModel(), &parent)) {}

  // The parent's children as a query (0A000 when the parent's key is composite).
  Result<Query<Child>> All() const {
    if (!key_) return tl::unexpected(key_.error());
    return Query<Child>().Filter(Expr<Child>{stmt::Cmp(stmt::CompareOp::kEq, F::index, *key_)});
  }
  // Creates `child` with its foreign key set to the parent's key.
  Result<Child> Create(Executor& ex, Child child) const {
    if (!key_) return tl::unexpected(key_.error());
    SQLRITE_ORM_TRY(erased::SetField(Child::OrmModel(), F::index, *key_, &child, sizeof(Child), 1));
    return orm::Create(ex, child);
  }

 private:
  Result<Value> key_;
};

template <typename P, typename F>
Scope<P, F> Scoped(const P& parent, F) {
  return Scope<P, F>(parent);
}

// ---- nested creates: a model and its related rows in one transaction (all or none) ----
// has_many: creates the parent, then value.*children with their foreign key F set to its key;
// the parent comes back with its children as stored.
template <typename P, typename C, typename F>
requires std::same_as<typename F::model_type, C> Result<P> CreateWith(Executor& ex, const P& value,
                                                                      std::vector<C> P::*children,
                                                                      F) {
  auto tx = ex.Begin();
  if (!tx) return tl::unexpected(std::move(tx).error());
  auto parent = Create(*tx, value);
  if (!parent) return tl::unexpected(std::move(parent).error());
  auto key = erased::KeyValue(P::OrmModel(), &*parent);
  if (!key) return tl::unexpected(std::move(key).error());
  std::vector<C> kids = value.*children;
  SQLRITE_ORM_TRY(
      erased::SetField(C::OrmModel(), F::index, *key, kids.data(), sizeof(C), kids.size()));
  auto made = CreateMany(*tx, kids);
  if (!made) return tl::unexpected(std::move(made).error());
  (*parent).*children = std::move(*made);
  SQLRITE_ORM_TRY(tx->Commit());
  return parent;
}

// has_one: creates the parent, then value.*child (when present) with its foreign key set.
template <typename P, typename C, typename F>
requires(std::same_as<typename F::model_type, C> &&
         !std::same_as<P, C>) Result<P> CreateWith(Executor& ex, const P& value,
                                                   std::optional<C> P::*child, F) {
  auto tx = ex.Begin();
  if (!tx) return tl::unexpected(std::move(tx).error());
  auto parent = Create(*tx, value);
  if (!parent) return tl::unexpected(std::move(parent).error());
  if (value.*child) {
    auto made = Scoped(*parent, F{}).Create(*tx, *(value.*child));
    if (!made) return tl::unexpected(std::move(made).error());
    (*parent).*child = std::move(*made);
  }
  SQLRITE_ORM_TRY(tx->Commit());
  return parent;
}

// belongs_to: creates value.*parent first (when present), then the child pointing at it.
template <typename C, typename P, typename F>
requires std::same_as<typename F::model_type, C> Result<C> CreateWith(Executor& ex, const C& value,
                                                                      std::optional<P> C::*parent,
                                                                      F) {
  auto tx = ex.Begin();
  if (!tx) return tl::unexpected(std::move(tx).error());
  C child = value;
  std::optional<P> made_parent;
  if (value.*parent) {
    auto made = Create(*tx, *(value.*parent));
    if (!made) return tl::unexpected(std::move(made).error());
    auto key = erased::KeyValue(P::OrmModel(), &*made);
    if (!key) return tl::unexpected(std::move(key).error());
    SQLRITE_ORM_TRY(erased::SetField(C::OrmModel(), F::index, *key, &child, sizeof(C), 1));
    made_parent = std::move(*made);
  }
  auto made = Create(*tx, child);
  if (!made) return tl::unexpected(std::move(made).error());
  (*made).*parent = std::move(made_parent);
  SQLRITE_ORM_TRY(tx->Commit());
  return made;
}

// ---- cascading delete ----
// A path of foreign keys for a deeper cascade: Cascade(Comment::fields.board_id,
// Reply::fields.comment_id) deletes a board's comments and, first, those comments' replies.
template <typename... F>
struct CascadePath {};
template <typename... F>
requires(sizeof...(F) > 0) CascadePath<F...> Cascade(F...) { return {}; }

namespace internal {
template <typename F>
std::vector<erased::PathStep> StepsOf(F) {
  return {{&F::model_type::OrmModel(), F::index, F::is_optional}};
}
template <typename... F>
std::vector<erased::PathStep> StepsOf(CascadePath<F...>) {
  return {{&F::model_type::OrmModel(), F::index, F::is_optional}...};
}
}  // namespace internal

// Deletes `instance` and, first, its children through each foreign key given (fields of the
// child models naming M's key) or each Cascade path: children whose foreign key is required are
// deleted (with, along a Cascade path, their own children first), those whose foreign key is
// optional are kept with a NULL foreign key. Each level is one statement (a level below the
// first names its rows by an IN (SELECT ...) over the level above), never one per row. One
// transaction (a savepoint inside one): all or none. 02000 / 40001 as Remove.
template <typename M, typename... F>
requires(sizeof...(F) > 0) Status Remove(Executor& ex, const M& instance, F...) {
  auto tx = ex.Begin();
  if (!tx) return tl::unexpected(std::move(tx).error());
  auto key = erased::KeyValue(M::OrmModel(), &instance);
  if (!key) return tl::unexpected(std::move(key).error());
  SQLRITE_ORM_TRY(erased::DetachPaths(*tx, {internal::StepsOf(F{})...}, *key));
  SQLRITE_ORM_TRY(Remove(*tx, instance));
  return tx->Commit();
}

// has_many: fills parent.*children with the rows of C whose `fk` equals the parent's key.
template <typename P, typename C, typename F>
requires std::same_as<typename F::model_type, C> Status Include(Executor& ex,
                                                                std::vector<P>& parents,
                                                                std::vector<C> P::*children, F) {
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

// belongs_to: fills child.*parent with the row of P whose key equals the child's `fk`.
template <typename C, typename P, typename F>
requires std::same_as<typename F::model_type, C> Status Include(Executor& ex,
                                                                std::vector<C>& children,
                                                                std::optional<P> C::*parent, F) {
  auto key = erased::SingleKey(P::OrmModel());
  if (!key) return tl::unexpected(std::move(key).error());
  std::vector<Value> fks =
      erased::FieldValues(C::OrmModel(), F::index, children.data(), sizeof(C), children.size());
  std::vector<P> loaded;
  SQLRITE_ORM_TRY(erased::SelectIn(ex, P::OrmModel(), *key, fks, &loaded, &erased::Append<P>));
  std::vector<std::size_t> match = erased::MatchIndexes(
      fks, erased::FieldValues(P::OrmModel(), *key, loaded.data(), sizeof(P), loaded.size()));
  for (std::size_t i = 0; i < children.size(); ++i) {
    children[i].*parent =
        match[i] < loaded.size() ? std::optional<P>(loaded[match[i]]) : std::optional<P>();
  }
  return {};
}

// has_one: fills parent.*child with the row of C whose `fk` equals the parent's key.
template <typename P, typename C, typename F>
requires(std::same_as<typename F::model_type, C> && !std::same_as<P, C>) Status
    Include(Executor& ex, std::vector<P>& parents, std::optional<C> P::*child, F) {
  auto key = erased::SingleKey(P::OrmModel());
  if (!key) return tl::unexpected(std::move(key).error());
  std::vector<Value> keys =
      erased::FieldValues(P::OrmModel(), *key, parents.data(), sizeof(P), parents.size());
  std::vector<C> loaded;
  SQLRITE_ORM_TRY(erased::SelectIn(ex, C::OrmModel(), F::index, keys, &loaded, &erased::Append<C>));
  std::vector<std::size_t> owners = erased::MatchIndexes(
      erased::FieldValues(C::OrmModel(), F::index, loaded.data(), sizeof(C), loaded.size()), keys);
  SQLRITE_ORM_TRY(erased::CheckHasOne(C::OrmModel(), P::OrmModel(), owners));
  for (P& p : parents) (p.*child).reset();
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    if (owners[i] < parents.size()) parents[owners[i]].*child = std::move(loaded[i]);
  }
  return {};
}

// ---- declared relations (SQLRITE_RELATIONS, orm/relation_decl.h) ----
// The same operations, each naming a relation declared in the model instead of a (member,
// foreign key) pair; the declaration's checks (Resolve) apply at each use.

// A path of declared relations, one query per level:
//   Include(db, authors, Author::rel.articles, Article::rel.comments);
//   Include(db, articles, Article::rel.author);
template <typename P, DeclaredRelation R, DeclaredRelation... Rest>
requires std::same_as<typename R::model_type, P> Status Include(Executor& ex, std::vector<P>& rows,
                                                                R, Rest... rest) {
  SQLRITE_ORM_TRY(Include(ex, rows, R::member, typename Resolve<R>::fk{}));
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

// belongs_to path: Article::Filter(Through(Article::rel.author, Author::fields.name == "Ann")).
template <DeclaredRelation R, typename P>
requires(R::kind == RelationKind::kBelongsTo && std::same_as<P, typename R::related_type>)
    Expr<typename R::model_type> Through(R, const Expr<P>& parent) {
  return Through(typename Resolve<R>::fk{}, parent);
}

// has_many / has_one path: Author::Filter(Any(Author::rel.articles, Article::fields.title == "x")).
template <DeclaredRelation R, typename C>
requires(R::kind != RelationKind::kBelongsTo && std::same_as<C, typename R::related_type>)
    Expr<typename R::model_type> Any(R, const Expr<C>& child) {
  return Any<typename R::model_type>(typename Resolve<R>::fk{}, child);
}

// The parent's children through a has_many / has_one: Scoped(author, Author::rel.articles).
template <typename P, DeclaredRelation R>
requires(R::kind != RelationKind::kBelongsTo && std::same_as<P, typename R::model_type>)
    Scope<P, typename Resolve<R>::fk> Scoped(const P& parent, R) {
  return Scope<P, typename Resolve<R>::fk>(parent);
}

// Nested create through a declared relation (has_many, has_one, belongs_to as above):
//   CreateWith(db, Author{.name = "A", .articles = {{.title = "x"}}}, Author::rel.articles)
template <typename M, DeclaredRelation R>
requires std::same_as<M, typename R::model_type> Result<M> CreateWith(Executor& ex, const M& value,
                                                                      R) {
  return CreateWith(ex, value, R::member, typename Resolve<R>::fk{});
}

}  // namespace sqlrite::orm
