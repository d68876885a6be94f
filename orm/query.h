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

#include <cstdint>
#include <optional>
#include <vector>

#include "orm/db.h"
#include "orm/field.h"

namespace sqlrite::orm {

// ---- the model's runtime description and row conversion (generic over SQLRITE_MODEL) ----
template <typename M>
ModelDef BuildModelDef() {
  ModelDef def;
  def.name = M::kOrmName;
  def.table = M::kOrmTable;
  const M defaults{};
  M::OrmForEachField([&](auto field, auto member, const char* name) {
    using F = decltype(field);
    FieldDef f;
    f.name = name;
    f.type = TypeOf<typename F::value_type>();
    f.primary_key = F::is_key;
    f.auto_increment = F::is_auto;
    f.unique = F::is_unique;
    f.indexed = F::is_indexed;
    f.optional = F::is_optional;
    if constexpr (F::is_defaulted) f.default_value = ToValue(defaults.*member);
    def.fields.push_back(std::move(f));
  });
  return def;
}

template <typename M>
Result<M> FromRow(const std::vector<Value>& row) {
  M out{};
  Status status;
  std::size_t i = 0;
  if (row.size() != M::OrmModel().fields.size()) {
    return Fail(sqlstate::kDatatypeMismatch,
                "a row of " + std::to_string(row.size()) + " columns cannot be a " +
                    std::string(M::kOrmName) + " (" +
                    std::to_string(M::OrmModel().fields.size()) + " fields)");
  }
  M::OrmForEachField([&](auto, auto member, const char* name) {
    if (status) status = FromValue(row[i], out.*member, name);
    ++i;
  });
  if (!status) return tl::unexpected(std::move(status).error());
  return out;
}

template <typename M>
Result<std::vector<M>> FromRows(const ResultSet& result) {
  std::vector<M> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    auto m = FromRow<M>(row);
    if (!m) return tl::unexpected(std::move(m).error());
    out.push_back(std::move(*m));
  }
  return out;
}

// key1 = v1 AND key2 = v2 ... for an instance.
template <typename M>
stmt::Expr KeyFilter(const M& m) {
  std::vector<stmt::Expr> terms;
  M::OrmForEachField([&](auto field, auto member, const char*) {
    using F = decltype(field);
    if constexpr (F::is_key) {
      terms.push_back(stmt::Make(
          stmt::Compare{stmt::CompareOp::kEq, F::Ref(), stmt::Lit(ToValue(m.*member))}));
    }
  });
  if (terms.size() == 1) return terms[0];
  return stmt::Make(stmt::And{std::move(terms)});
}

namespace internal {
Error NotFound(const ModelDef& model);
template <typename U>
Value AnyToValue(const U& u) {
  if constexpr (std::convertible_to<const U&, std::string_view>) {
    return Value(std::string(std::string_view(u)));
  } else if constexpr (std::same_as<U, bool>) {
    return Value(u);
  } else if constexpr (std::is_integral_v<U>) {
    return Value(static_cast<std::int64_t>(u));
  } else {
    static_assert(std::is_floating_point_v<U>, "a key value must be a string or a number");
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
}  // namespace internal

// A value Set may assign to field F of model M.
template <typename F, typename M, typename U>
concept AssignableTo = std::same_as<typename F::model_type, M> &&
                       (ValueFor<U, typename F::value_type> ||
                        (F::is_optional && std::same_as<U, std::nullopt_t>));

// ---- update of a query's rows ----
template <typename M>
class UpdateQuery {
 public:
  explicit UpdateQuery(stmt::Update update, std::optional<Error> error = std::nullopt)
      : update_(std::move(update)), error_(std::move(error)) {}
  template <typename F, typename U>
    requires AssignableTo<F, M, U>
  UpdateQuery Set(F, const U& value) const {
    UpdateQuery next = *this;
    next.update_.set.push_back({F::index, stmt::Lit(internal::SetValue<F>(value))});
    return next;
  }
  // The number of rows updated.
  Result<std::int64_t> Exec(Executor& ex) const {
    if (error_) return tl::unexpected(*error_);
    auto r = ex.Run(update_);
    if (!r) return tl::unexpected(std::move(r).error());
    return r->rows_affected;
  }
  const stmt::Update& statement() const { return update_; }

 private:
  stmt::Update update_;
  std::optional<Error> error_;
};

// ---- queries ----
template <typename M>
class Query {
 public:
  Query() { select_.model = &M::OrmModel(); }

  // Filters AND together.
  Query Filter(const Expr<M>& e) const {
    Query next = *this;
    next.select_.filter =
        select_.filter ? stmt::Make(stmt::And{{select_.filter, e.node}}) : e.node;
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
    auto r = ex.Run(select_);
    if (!r) return tl::unexpected(std::move(r).error());
    return FromRows<M>(*r);
  }
  // The first row (of the order given), or nullopt.
  Result<std::optional<M>> First(Executor& ex) const {
    auto rows = Limit(1).Exec(ex);
    if (!rows) return tl::unexpected(std::move(rows).error());
    if (rows->empty()) return std::optional<M>();
    return std::optional<M>(std::move(rows->front()));
  }
  // Counts the matching rows (LIMIT / OFFSET / ORDER BY ignored).
  Result<std::int64_t> Count(Executor& ex) const {
    stmt::Select count = select_;
    count.count = true;
    count.order_by.clear();
    count.limit.reset();
    count.offset.reset();
    auto r = ex.Run(count);
    if (!r) return tl::unexpected(std::move(r).error());
    if (r->rows.size() != 1 || r->rows[0].size() != 1) {
      return Fail(sqlstate::kInternalError, "count(*) returned no single value");
    }
    std::int64_t n = 0;
    SQLRITE_ORM_TRY(FromValueInto(r->rows[0][0], n, "count"));
    return n;
  }
  // UPDATE of the matching rows. REQUIRES: no order, limit or offset (0A000 at Exec otherwise).
  UpdateQuery<M> Update() const {
    return UpdateQuery<M>(stmt::Update{select_.model, {}, select_.filter, false},
                          Unordered("an update"));
  }
  // DELETE of the matching rows; the number deleted. REQUIRES: no order, limit or offset.
  Result<std::int64_t> Remove(Executor& ex) const {
    if (auto e = Unordered("a delete")) return tl::unexpected(std::move(*e));
    auto r = ex.Run(stmt::Delete{select_.model, select_.filter});
    if (!r) return tl::unexpected(std::move(r).error());
    return r->rows_affected;
  }
  const stmt::Select& statement() const { return select_; }

 private:
  // UPDATE / DELETE ... ORDER BY / LIMIT is not portable SQL; refused rather than ignored.
  std::optional<Error> Unordered(std::string_view what) const {
    if (select_.order_by.empty() && !select_.limit && !select_.offset) return std::nullopt;
    return Error(sqlstate::kFeatureNotSupported,
                 std::string(what) + " of a query with order_by, limit or offset");
  }

  stmt::Select select_;
};

// ---- writes ----
namespace internal {
// The fields a create sends for `m`: all but an auto-increment key left at its zero value.
template <typename M>
void CreateRow(const M& m, std::vector<int>* fields, std::vector<Value>* row) {
  M::OrmForEachField([&](auto field, auto member, const char*) {
    using F = decltype(field);
    if constexpr (F::is_auto) {
      if (m.*member == typename F::member_type{}) return;
    }
    fields->push_back(F::index);
    row->push_back(ToValue(m.*member));
  });
}
}  // namespace internal

template <typename M>
Result<M> Create(Executor& ex, const M& value) {
  stmt::Insert insert;
  insert.model = &M::OrmModel();
  insert.returning = true;
  insert.rows.emplace_back();
  internal::CreateRow(value, &insert.fields, &insert.rows.back());
  auto r = ex.Run(insert);
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows.size() != 1) return Fail(sqlstate::kInternalError, "INSERT returned no row");
  return FromRow<M>(r->rows[0]);
}

// All or none: one multi-row INSERT (one statement is atomic), or one INSERT per row inside a
// transaction (a savepoint when `ex` is one) on a backend without multi-row INSERT. Every value
// must give its auto-increment key, or none.
template <typename M>
Result<std::vector<M>> CreateMany(Executor& ex, const std::vector<M>& values) {
  if (values.empty()) return std::vector<M>();
  if (!ex.capability().multi_row_insert) {
    auto tx = ex.Begin();
    if (!tx) return tl::unexpected(std::move(tx).error());
    std::vector<M> out;
    for (const M& v : values) {
      auto created = Create(*tx, v);
      if (!created) return tl::unexpected(std::move(created).error());
      out.push_back(std::move(*created));
    }
    SQLRITE_ORM_TRY(tx->Commit());
    return out;
  }
  stmt::Insert insert;
  insert.model = &M::OrmModel();
  insert.returning = true;
  for (const M& v : values) {
    std::vector<int> fields;
    insert.rows.emplace_back();
    internal::CreateRow(v, &fields, &insert.rows.back());
    if (insert.rows.size() == 1) {
      insert.fields = std::move(fields);
    } else if (fields != insert.fields) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "CreateMany: every value must set the auto-increment key, or none");
    }
  }
  auto r = ex.Run(insert);
  if (!r) return tl::unexpected(std::move(r).error());
  return FromRows<M>(*r);
}

// INSERT, or on a conflict on `conflict` (a key or unique field) UPDATE every other non-key
// field to `value`'s; the row as stored afterwards.
template <typename M, UniqueField F>
  requires std::same_as<typename F::model_type, M>
Result<M> Upsert(Executor& ex, const M& value, F) {
  stmt::Insert insert;
  insert.model = &M::OrmModel();
  insert.returning = true;
  insert.rows.emplace_back();
  internal::CreateRow(value, &insert.fields, &insert.rows.back());
  stmt::OnConflict conflict{{F::index}, {}};
  for (int f : insert.fields) {
    if (f != F::index && !M::OrmModel().fields[static_cast<std::size_t>(f)].primary_key) {
      conflict.update_fields.push_back(f);
    }
  }
  insert.on_conflict = std::move(conflict);
  auto r = ex.Run(insert);
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows.size() != 1) return Fail(sqlstate::kInternalError, "upsert returned no row");
  return FromRow<M>(r->rows[0]);
}

// Update of one instance, by its key; Exec re-reads the instance from the database's answer.
template <typename M>
class InstanceUpdate {
 public:
  explicit InstanceUpdate(M& target) : target_(target) {
    update_.model = &M::OrmModel();
    update_.filter = KeyFilter(target);
    update_.returning = true;
  }
  template <typename F, typename U>
    requires AssignableTo<F, M, U>
  InstanceUpdate& Set(F, const U& value) {
    update_.set.push_back({F::index, stmt::Lit(internal::SetValue<F>(value))});
    return *this;
  }
  // 02000 when the row is gone.
  Status Exec(Executor& ex) {
    auto r = ex.Run(update_);
    if (!r) return tl::unexpected(std::move(r).error());
    if (r->rows.empty()) return tl::unexpected(internal::NotFound(M::OrmModel()));
    auto m = FromRow<M>(r->rows[0]);
    if (!m) return tl::unexpected(std::move(m).error());
    target_ = std::move(*m);
    return {};
  }

 private:
  M& target_;
  stmt::Update update_;
};

template <typename M>
InstanceUpdate<M> Update(M& instance) {
  return InstanceUpdate<M>(instance);
}

// Writes every non-key field of `instance` to its row.
template <typename M>
Status Save(Executor& ex, M& instance) {
  stmt::Update update{&M::OrmModel(), {}, KeyFilter(instance), true};
  M::OrmForEachField([&](auto field, auto member, const char*) {
    using F = decltype(field);
    if constexpr (!F::is_key) update.set.push_back({F::index, stmt::Lit(ToValue(instance.*member))});
  });
  auto r = ex.Run(update);
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows.empty()) return tl::unexpected(internal::NotFound(M::OrmModel()));
  auto m = FromRow<M>(r->rows[0]);
  if (!m) return tl::unexpected(std::move(m).error());
  instance = std::move(*m);
  return {};
}

// Deletes the instance's row; 02000 when it was already gone.
template <typename M>
Status Remove(Executor& ex, const M& instance) {
  auto r = ex.Run(stmt::Delete{&M::OrmModel(), KeyFilter(instance)});
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows_affected == 0) return tl::unexpected(internal::NotFound(M::OrmModel()));
  return {};
}

// ---- lookups ----
template <typename M>
Result<M> FetchOne(Executor& ex, stmt::Expr filter) {
  stmt::Select select;
  select.model = &M::OrmModel();
  select.filter = std::move(filter);
  select.limit = 2;
  auto r = ex.Run(select);
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows.empty()) return tl::unexpected(internal::NotFound(M::OrmModel()));
  if (r->rows.size() > 1) {
    return Fail(sqlstate::kCardinalityViolation, "more than one " + M::OrmModel().name + " matched");
  }
  return FromRow<M>(r->rows[0]);
}

// By primary key: one value per key field, in declaration order.
template <typename M, typename... K>
Result<M> Get(Executor& ex, const K&... key) {
  const ModelDef& def = M::OrmModel();
  std::vector<int> key_fields = def.KeyFields();
  if (key_fields.size() != sizeof...(K)) {
    return Fail(sqlstate::kInvalidParameterValue,
                def.name + " has " + std::to_string(key_fields.size()) + " key fields, " +
                    std::to_string(sizeof...(K)) + " values given");
  }
  std::vector<Value> values{internal::AnyToValue(key)...};
  std::vector<stmt::Expr> terms;
  for (std::size_t i = 0; i < values.size(); ++i) {
    terms.push_back(stmt::Make(
        stmt::Compare{stmt::CompareOp::kEq, stmt::Field(key_fields[i]), stmt::Lit(values[i])}));
  }
  return FetchOne<M>(ex, terms.size() == 1 ? terms[0] : stmt::Make(stmt::And{std::move(terms)}));
}

// By a key or unique field (compiles only for those).
template <UniqueField F, ValueFor<typename F::value_type> U>
Result<typename F::model_type> GetBy(Executor& ex, F field, const U& value) {
  return FetchOne<typename F::model_type>(ex, (field == value).node);
}

}  // namespace sqlrite::orm
