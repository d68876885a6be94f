#pragma once
// The typed operations over a model M (declared with SQLRITE_MODEL, orm/model.h). Each one lowers
// into one statement of the untyped AST and runs it through an Executor (a Db or a Transaction);
// results come back as values (Result<T>), never exceptions.
//
//   Create(db, User{.name = "Ann", .email = "a@x"})    -> Result<User> (key and defaults filled)
//   CreateMany(db, std::vector<User>{...})             -> Result<std::vector<User>>, all or none
//   User::Get(db, 7)                                   -> Result<User>; 02000 when absent
//   User::GetBy(db, User::fields.email, "a@x")         -> only for key / unique fields
//   User::Filter(User::fields.age >= 18).OrderBy(User::fields.name.Asc()).Limit(10).Exec(db)
//   User::All().Count(db), .First(db), .Remove(db), .Update().Set(User::fields.name, "x").Exec(db)
//   Update(user).Set(User::fields.name, "B").Exec(db)  -> the instance re-read from the database
//   Save(db, user), Remove(db, user), Upsert(db, user, User::fields.email)
//
// Compile time: the templates here are one-line wrappers; the work is done by the type-erased
// functions of namespace erased (query.cc) over a ModelDef and `void*` instances, reading and
// writing members through the accessors SQLRITE_MODEL puts in each FieldDef. A model costs its
// translation unit the accessors and these wrappers, nothing more.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include "orm/db.h"
#include "orm/field.h"
#include "orm/relation_decl.h"

namespace sqlrite::orm {

// ---- the type-erased implementation (query.cc) ----
namespace erased {
// Appends a value-initialised instance to the std::vector<M> at `vec`; returns it. `coming` is
// how many instances the caller will append, this one included (room is made for all at once:
// a result's rows are not moved again as the vector grows), or 0 when the caller does not know
// (the vector grows as emplace_back grows it).
using AppendFn = void* (*)(void* vec, std::size_t coming);
template <typename M>
void* Append(void* vec, std::size_t coming) {
  auto& v = *static_cast<std::vector<M>*>(vec);
  if (v.capacity() - v.size() < coming) v.reserve(v.size() + coming);
  return &v.emplace_back();
}

Status ReadRow(const ModelDef& model, const std::vector<Value>& row, void* out);
Status ReadRows(const ModelDef& model, const ResultSet& result, void* vec, AppendFn append);
// Runs `statement` and appends its rows, read in place, to the vector at `vec` as instances of
// `model` (no ResultSet is built).
Status RunInto(Executor& ex, const stmt::Statement& statement, const ModelDef& model, void* vec,
               AppendFn append);
Status Create(Executor& ex, const ModelDef& model, const void* in, void* out);
Status CreateMany(Executor& ex, const ModelDef& model, const std::vector<const void*>& in,
                  void* vec, AppendFn append);
Status Upsert(Executor& ex, const ModelDef& model, const void* in, int conflict_field, void* out);
Status Select(Executor& ex, const stmt::Select& select, void* vec, AppendFn append);
Status First(Executor& ex, stmt::Select select, void* out, bool* found);
Result<std::int64_t> Count(Executor& ex, stmt::Select select);
Result<std::int64_t> RemoveWhere(Executor& ex, const stmt::Select& select);
Result<std::int64_t> UpdateWhere(Executor& ex, const stmt::Update& update,
                                 const std::optional<Error>& error);
stmt::Update UpdateOf(const stmt::Select& select, std::optional<Error>* error);
Status UpdateInstance(Executor& ex, stmt::Update update, void* instance);
stmt::Update UpdateOfInstance(const ModelDef& model, const void* instance);
Status Save(Executor& ex, const ModelDef& model, void* instance);
Status Remove(Executor& ex, const ModelDef& model, const void* instance);
Status GetBy(Executor& ex, const ModelDef& model, int field, Value value, void* out);
// `key`: one value per key field, in order; the values may be moved from.
Status Get(Executor& ex, const ModelDef& model, std::span<Value> key, void* out);
void AddFilter(stmt::Select& select, stmt::Expr e);
void AddSet(stmt::Update& update, int field, Value v);
void AddIncrement(stmt::Update& update, int field, Value by);

// Cursor pagination (Page<M>): where a page ends, and which pages exist around it.
struct PageState {
  stmt::Select select;  // the query, its order completed by the key (tie-breaker)
  std::int64_t per_page = 0;
  std::vector<Value> first;  // the order fields' values of the page's first row (empty: none)
  std::vector<Value> last;   // ... of its last row
  bool has_next = false, has_prev = false;
};
// The page of `select` after `cursor` (backward: before it; cursor null: the first page).
// 0A000 for a query with limit / offset or ordered by an optional field; 22023 for per_page < 1.
Status Paginate(Executor& ex, stmt::Select select, std::int64_t per_page,
                const std::vector<Value>* cursor, bool backward, void* vec, AppendFn append,
                PageState* state);
// Projections: the values of `fields` of the matching rows, row by row.
Result<std::vector<std::vector<Value>>> Project(Executor& ex, stmt::Select select,
                                                std::vector<int> fields);
}  // namespace erased

// ---- the model's runtime description (generic over SQLRITE_MODEL) ----
namespace erased {
struct FieldSpec {
  const char* name;
  Type type;
  bool key, auto_increment, unique, indexed, optional, defaulted;
  Value (*get)(const void*);
  Status (*set)(void*, const Value&);
  bool version = false;
  int uuid = 0;  // 4, 7: an auto UUID of that version
  int time = 0;  // 1: created_at, 2: updated_at
};
void AddField(ModelDef& def, const FieldSpec& spec, const void* defaults);
}  // namespace erased

template <typename M>
ModelDef BuildModelDef() {
  ModelDef def;
  def.name = M::kOrmName;
  def.table = M::kOrmTable;
  const M defaults{};
  M::OrmForEachField([&](auto field, const char* name, auto get, auto set) {
    using F = decltype(field);
    erased::AddField(
        def,
        {name, TypeOf<typename F::value_type>(), F::is_key, F::is_auto, F::is_unique, F::is_indexed,
         F::is_optional, F::is_defaulted, get, set, F::is_version, F::uuid, F::timestamp},
        &defaults);
  });
  internal::AddForeignKeys(def, typename internal::RelationsOf<M>::type{});
  return def;
}

// Rows of a raw result as models (the columns in the model's field order).
template <typename M>
Result<std::vector<M>> FromRows(const ResultSet& result) {
  std::vector<M> out;
  SQLRITE_ORM_TRY(erased::ReadRows(M::OrmModel(), result, &out, &erased::Append<M>));
  return out;
}

namespace internal {
template <typename U>
Value AnyToValue(const U& u) {
  if constexpr (std::same_as<U, Uuid> || std::same_as<U, Date> || std::same_as<U, Timestamp> ||
                std::same_as<U, DateTime> || std::same_as<U, Time>) {
    return Value(u);
  } else if constexpr (std::convertible_to<const U&, std::string_view>) {
    return Value(std::string(std::string_view(u)));
  } else if constexpr (std::same_as<U, bool>) {
    return Value(u);
  } else if constexpr (std::is_integral_v<U>) {
    return Value(static_cast<std::int64_t>(u));
  } else {
    static_assert(std::is_floating_point_v<U>,
                  "a key value must be a string, a number, an orm::Uuid, a date or a timestamp");
    return Value(static_cast<double>(u));
  }
}
template <typename F, typename U>
Value SetValue(const U& u) {
  if constexpr (std::same_as<U, std::nullopt_t>) {
    return Value();
  } else {
    return ToValueAs<typename F::value_type>(u);
  }
}
template <typename... F, typename Row>
Status ReadProjected(const std::vector<Value>& row, Row& out) {
  if constexpr (sizeof...(F) == 1) {
    return FromValue(row[0], out, "projection");
  } else {
    Status s;
    std::size_t i = 0;
    std::apply(
        [&](auto&... member) { ((s = s ? FromValue(row[i++], member, "projection") : s), ...); },
        out);
    return s;
  }
}
}  // namespace internal

// A value Set may assign to field F of model M (not its version field: the ORM keeps that).
template <typename F, typename M, typename U>
concept AssignableTo =
    std::same_as<typename F::model_type, M> && !F::is_version &&
    (ValueFor<U, typename F::value_type> || (F::is_optional && std::same_as<U, std::nullopt_t>));

// A number Increment may add to field F of model M: a numeric, non-key, non-version field.
template <typename F, typename M, typename U>
concept Incrementable =
    std::same_as<typename F::model_type, M> && !std::same_as<typename F::value_type, bool> &&
    std::is_arithmetic_v<typename F::value_type> && !F::is_key && !F::is_version &&
    ValueFor<U, typename F::value_type>;

// ---- cursor pagination ----
// One page of a query, in the query's order with the primary key as the tie-breaker (keyset
// pagination: the next page is the rows after this page's last one, whatever was inserted or
// deleted before it; no OFFSET). Next / Prev fetch the neighbouring page (02000 when there is
// none); has_next / has_prev say whether one exists (has_prev: this page was reached from another).
template <typename M>
class Page {
 public:
  std::vector<M> items;
  bool has_next() const { return state_.has_next; }
  bool has_prev() const { return state_.has_prev; }
  Result<Page> Next(Executor& ex) const { return Step(ex, state_.last, false); }
  Result<Page> Prev(Executor& ex) const { return Step(ex, state_.first, true); }

  static Result<Page> Fetch(Executor& ex, stmt::Select select, std::int64_t per_page,
                            const std::vector<Value>* cursor, bool backward) {
    Page page;
    SQLRITE_ORM_TRY(erased::Paginate(ex, std::move(select), per_page, cursor, backward, &page.items,
                                     &erased::Append<M>, &page.state_));
    return page;
  }

 private:
  Result<Page> Step(Executor& ex, const std::vector<Value>& cursor, bool backward) const {
    if (backward ? !state_.has_prev : !state_.has_next) {
      return Fail(sqlstate::kNoData, backward ? "no previous page" : "no next page");
    }
    return Fetch(ex, state_.select, state_.per_page, &cursor, backward);
  }
  erased::PageState state_;
};

// ---- update of a query's rows ----
template <typename M>
class UpdateQuery {
 public:
  UpdateQuery(stmt::Update update, std::optional<Error> error)
      : update_(std::move(update)), error_(std::move(error)) {}
  template <typename F, typename U>
  requires AssignableTo<F, M, U> UpdateQuery Set(F, const U& value)
  const {
    UpdateQuery next = *this;
    erased::AddSet(next.update_, F::index, internal::SetValue<F>(value));
    return next;
  }
  // field = field + by, in the database (no read-modify-write race).
  template <typename F, typename U>
  requires Incrementable<F, M, U> UpdateQuery Increment(F, const U& by)
  const {
    UpdateQuery next = *this;
    erased::AddIncrement(next.update_, F::index, ToValueAs<typename F::value_type>(by));
    return next;
  }
  // The number of rows updated.
  Result<std::int64_t> Exec(Executor& ex) const { return erased::UpdateWhere(ex, update_, error_); }
  const stmt::Update& statement() const { return update_; }

 private:
  stmt::Update update_;
  std::optional<Error> error_;  // UPDATE of an ordered / limited query: refused at Exec
};

// ---- queries ----
template <typename M>
class IncludingQuery;  // orm/related.h

template <typename M>
class Query {
 public:
  Query() { select_.model = &M::OrmModel(); }

  // Filters AND together.
  Query Filter(const Expr<M>& e) const {
    Query next = *this;
    erased::AddFilter(next.select_, e.node);
    return next;
  }
  template <typename... T>
  Query OrderBy(OrderTerm<M> first, T... rest) const {
    Query next = *this;
    for (const OrderTerm<M>& t : {first, OrderTerm<M>(rest)...}) {
      next.select_.order_by.push_back(t.term);
    }
    return next;
  }
  Query Limit(std::int64_t n) const {
    Query next = *this;
    next.select_.limit = n;
    return next;
  }
  Query Offset(std::int64_t n) const {
    Query next = *this;
    next.select_.offset = n;
    return next;
  }

  Result<std::vector<M>> Exec(Executor& ex) const {
    std::vector<M> out;
    SQLRITE_ORM_TRY(erased::Select(ex, select_, &out, &erased::Append<M>));
    return out;
  }
  // The first row (of the order given), or nullopt.
  Result<std::optional<M>> First(Executor& ex) const {
    M out{};
    bool found = false;
    SQLRITE_ORM_TRY(erased::First(ex, select_, &out, &found));
    if (!found) return std::optional<M>();
    return std::optional<M>(std::move(out));
  }
  // A projection: the values of the given fields of the matching rows (order, limit and offset
  // apply), as std::vector<T> for one field and std::vector<std::tuple<T...>> for several (T: the
  // members' types, std::optional for optional fields).
  template <typename... F>
  requires(sizeof...(F) > 0 &&
           (std::same_as<typename F::model_type, M> && ...)) auto Select(Executor& ex, F...) const {
    using Row = std::conditional_t<sizeof...(F) == 1,
                                   typename std::tuple_element_t<0, std::tuple<F...>>::member_type,
                                   std::tuple<typename F::member_type...>>;
    Result<std::vector<Row>> out = std::vector<Row>();
    auto rows = erased::Project(ex, select_, {F::index...});
    if (!rows) return Result<std::vector<Row>>(tl::unexpected(std::move(rows).error()));
    out->reserve(rows->size());
    for (const auto& row : *rows) {
      Row r{};
      Status s = internal::ReadProjected<F...>(row, r);
      if (!s) return Result<std::vector<Row>>(tl::unexpected(std::move(s).error()));
      out->push_back(std::move(r));
    }
    return out;
  }
  // The first page of `per_page` rows (cursor pagination: Page<M>::Next / Prev for the others).
  Result<Page<M>> Paginate(Executor& ex, std::int64_t per_page) const {
    return Page<M>::Fetch(ex, select_, per_page, nullptr, false);
  }
  // Counts the matching rows (ORDER BY, LIMIT and OFFSET ignored).
  Result<std::int64_t> Count(Executor& ex) const { return erased::Count(ex, select_); }
  // UPDATE of the matching rows. A query with order_by, limit or offset is refused (0A000) at
  // Exec: UPDATE ... LIMIT is not portable SQL.
  UpdateQuery<M> Update() const {
    std::optional<Error> error;
    stmt::Update update = erased::UpdateOf(select_, &error);
    return UpdateQuery<M>(std::move(update), std::move(error));
  }
  // DELETE of the matching rows; the number deleted. Refused like Update() for ordered queries.
  Result<std::int64_t> Remove(Executor& ex) const { return erased::RemoveWhere(ex, select_); }
  const stmt::Select& statement() const { return select_; }
  // The query with an include path of declared relations loaded into its rows, one query per
  // level: User::All().Include(User::rel.todos, Todo::rel.tags).Exec(db) (orm/related.h).
  template <typename R, typename... Rest>
  requires DeclaredRelation<R> && std::same_as<typename R::model_type, M> IncludingQuery<M> Include(
      R first, Rest... rest)
  const;

 private:
  stmt::Select select_;
};

// ---- writes ----
// The fields a create sends: all but an auto-increment key left at zero (the database assigns
// it); RETURNING reads the stored row back, defaults included.
template <typename M>
Result<M> Create(Executor& ex, const M& value) {
  M out{};
  SQLRITE_ORM_TRY(erased::Create(ex, M::OrmModel(), &value, &out));
  return out;
}

// All or none: one multi-row INSERT (one statement is atomic), or one INSERT per row inside a
// transaction (a savepoint when `ex` is one) on a backend without multi-row INSERT. Every value
// must give its auto-increment key, or none.
template <typename M>
Result<std::vector<M>> CreateMany(Executor& ex, const std::vector<M>& values) {
  std::vector<const void*> in;
  in.reserve(values.size());
  for (const M& v : values) in.push_back(&v);
  std::vector<M> out;
  out.reserve(values.size());
  SQLRITE_ORM_TRY(erased::CreateMany(ex, M::OrmModel(), in, &out, &erased::Append<M>));
  return out;
}

// INSERT, or on a conflict on `conflict` (a key or unique field) UPDATE every other non-key
// field to `value`'s; the row as stored afterwards.
template <typename M, UniqueField F>
requires std::same_as<typename F::model_type, M> Result<M> Upsert(Executor& ex, const M& value, F) {
  M out{};
  SQLRITE_ORM_TRY(erased::Upsert(ex, M::OrmModel(), &value, F::index, &out));
  return out;
}

// Update of one instance, by its key; Exec re-reads the instance from the database's answer.
template <typename M>
class InstanceUpdate {
 public:
  explicit InstanceUpdate(M& target)
      : target_(target), update_(erased::UpdateOfInstance(M::OrmModel(), &target)) {}
  template <typename F, typename U>
  requires AssignableTo<F, M, U> InstanceUpdate& Set(F, const U& value) {
    erased::AddSet(update_, F::index, internal::SetValue<F>(value));
    return *this;
  }
  template <typename F, typename U>
  requires Incrementable<F, M, U> InstanceUpdate& Increment(F, const U& by) {
    erased::AddIncrement(update_, F::index, ToValueAs<typename F::value_type>(by));
    return *this;
  }
  // 02000 when the row is gone; 40001 when the model has a version field and the row's version
  // is no longer the instance's (someone else updated it since it was read).
  Status Exec(Executor& ex) { return erased::UpdateInstance(ex, update_, &target_); }

 private:
  M& target_;
  stmt::Update update_;
};

template <typename M>
InstanceUpdate<M> Update(M& instance) {
  return InstanceUpdate<M>(instance);
}

// Writes every non-key field of `instance` to its row, and re-reads it.
template <typename M>
Status Save(Executor& ex, M& instance) {
  return erased::Save(ex, M::OrmModel(), &instance);
}

// Deletes the instance's row; 02000 when it was already gone.
template <typename M>
Status Remove(Executor& ex, const M& instance) {
  return erased::Remove(ex, M::OrmModel(), &instance);
}

// ---- lookups ----
// By primary key: one value per key field, in declaration order (22023 for another count).
template <typename M, typename... K>
Result<M> Get(Executor& ex, const K&... key) {
  M out{};
  std::array<Value, sizeof...(K)> values{internal::AnyToValue(key)...};
  SQLRITE_ORM_TRY(erased::Get(ex, M::OrmModel(), values, &out));
  return out;
}

// By a key or unique field (compiles only for those).
template <UniqueField F, ValueFor<typename F::value_type> U>
Result<typename F::model_type> GetBy(Executor& ex, F, const U& value) {
  typename F::model_type out{};
  SQLRITE_ORM_TRY(erased::GetBy(ex, F::model_type::OrmModel(), F::index,
                                ToValueAs<typename F::value_type>(value), &out));
  return out;
}

}  // namespace sqlrite::orm
