#include "orm/query.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <span>

#include "orm/core/temporal.h"
#include "orm/core/uuid.h"

namespace sqlrite::orm::erased {
namespace {

Error NotFound(const ModelDef& model) {
  return Error(sqlstate::kNoData, model.name + " not found");
}

stmt::Expr AndOf(std::vector<stmt::Expr> terms) {
  if (terms.size() == 1) return terms[0];
  return stmt::Make(stmt::And{std::move(terms)});
}

stmt::Expr KeyFilter(const ModelDef& model, const void* instance) {
  std::vector<stmt::Expr> terms;
  for (std::size_t i = 0; i < model.fields.size(); ++i) {
    if (model.fields[i].primary_key) {
      terms.push_back(
          stmt::Cmp(stmt::CompareOp::kEq, static_cast<int>(i), model.fields[i].get(instance)));
    }
  }
  return AndOf(std::move(terms));
}

// The version-checked form of an instance's key filter: key = ... AND version = the instance's.
stmt::Expr VersionedKeyFilter(const ModelDef& model, const void* instance) {
  int version = model.VersionField();
  stmt::Expr key = KeyFilter(model, instance);
  if (version < 0) return key;
  return stmt::AndOf(key, stmt::Cmp(stmt::CompareOp::kEq, version,
                                    model.fields[static_cast<std::size_t>(version)].get(instance)));
}

// An instance write that matched no row: 02000 when the row is gone, 40001 when it is there with
// another version (a concurrent writer got there first).
Error Missed(Executor& ex, const ModelDef& model, const void* instance) {
  if (model.VersionField() < 0) return NotFound(model);
  stmt::Select select;
  select.model = &model;
  select.filter = KeyFilter(model, instance);
  select.count = true;
  auto r = ex.Run(select);
  if (!r) return std::move(r).error();
  if (r->rows.size() == 1 && r->rows[0].size() == 1 && r->rows[0][0] == Value(std::int64_t{0})) {
    return NotFound(model);
  }
  return Error(sqlstate::kSerializationFailure,
               model.name + " was changed since it was read (its version is stale)");
}

// The fields a create sends for `in` and their values: all but an auto-increment key at zero;
// an empty auto-UUID field gets a new UUID, a version field at 0 starts at 1.
void CreateRow(const ModelDef& model, const void* in, std::vector<int>* fields,
               std::vector<Value>* row) {
  std::optional<Timestamp> now;
  for (std::size_t i = 0; i < model.fields.size(); ++i) {
    const FieldDef& f = model.fields[i];
    Value v = f.get(in);
    if (f.auto_increment && v == Value(std::int64_t{0})) continue;
    if (f.uuid != AutoUuid::kNone && v == Value(Uuid{})) {
      v = Value(f.uuid == AutoUuid::kV4 ? NewUuidV4() : NewUuidV7());
    }
    if (f.version && v == Value(std::int64_t{0})) v = Value(std::int64_t{1});
    if (f.time != AutoTime::kNone && v == Value(Timestamp{})) {
      if (!now) now = NowTimestamp();  // one instant for every timestamp of the row
      v = Value(*now);
    }
    fields->push_back(static_cast<int>(i));
    row->push_back(std::move(v));
  }
}

stmt::Insert InsertOf(const ModelDef& model) {
  stmt::Insert insert;
  insert.model = &model;
  insert.returning = true;
  return insert;
}

Status ReadSingle(const ModelDef& model, const Result<ResultSet>& r, void* out) {
  if (!r) return tl::unexpected(r.error());
  if (r->rows.empty()) return tl::unexpected(NotFound(model));
  if (r->rows.size() > 1) {
    return Fail(sqlstate::kCardinalityViolation, "more than one " + model.name + " matched");
  }
  return ReadRow(model, r->rows[0], out);
}

std::optional<Error> Unordered(const stmt::Select& select, std::string_view what) {
  if (select.order_by.empty() && !select.limit && !select.offset) return std::nullopt;
  return Error(sqlstate::kFeatureNotSupported,
               std::string(what) + " of a query with order_by, limit or offset");
}

}  // namespace

void AddField(ModelDef& def, const FieldSpec& spec, const void* defaults) {
  FieldDef f;
  f.name = spec.name;
  f.type = spec.type;
  f.primary_key = spec.key;
  f.auto_increment = spec.auto_increment;
  f.unique = spec.unique;
  f.indexed = spec.indexed;
  f.optional = spec.optional;
  f.get = spec.get;
  f.set = spec.set;
  f.version = spec.version;
  f.time = spec.time == 1   ? AutoTime::kCreatedAt
           : spec.time == 2 ? AutoTime::kUpdatedAt
                            : AutoTime::kNone;
  f.uuid = spec.uuid == 4 ? AutoUuid::kV4 : spec.uuid == 7 ? AutoUuid::kV7 : AutoUuid::kNone;
  if (spec.defaulted) f.default_value = spec.get(defaults);
  def.fields.push_back(std::move(f));
}

Status ReadRow(const ModelDef& model, const std::vector<Value>& row, void* out) {
  if (row.size() != model.fields.size()) {
    return Fail(sqlstate::kDatatypeMismatch, "a row of " + std::to_string(row.size()) +
                                                 " columns cannot be a " + model.name + " (" +
                                                 std::to_string(model.fields.size()) + " fields)");
  }
  for (std::size_t i = 0; i < row.size(); ++i) SQLRITE_ORM_TRY(model.fields[i].set(out, row[i]));
  return {};
}

Status ReadRows(const ModelDef& model, const ResultSet& result, void* vec, AppendFn append) {
  std::size_t coming = result.rows.size();
  for (const auto& row : result.rows) SQLRITE_ORM_TRY(ReadRow(model, row, append(vec, coming--)));
  return {};
}

namespace {

// Appends each row as a new instance (AppendFn), read straight from the driver's row.
class RowsInto final : public RowSink {
 public:
  RowsInto(const ModelDef& model, void* vec, AppendFn append)
      : model_(model), vec_(vec), append_(append) {}
  void Expect(std::size_t rows) override { coming_ = rows; }
  Status Row(const std::vector<Value>& row) override {
    void* out = append_(vec_, coming_);
    if (coming_ > 0) --coming_;
    return ReadRow(model_, row, out);
  }

 private:
  const ModelDef& model_;
  void* vec_;
  AppendFn append_;
  std::size_t coming_ = 0;  // rows still to come, when the driver said (0: unknown)
};

}  // namespace

Status RunInto(Executor& ex, const stmt::Statement& statement, const ModelDef& model, void* vec,
               AppendFn append) {
  RowsInto sink(model, vec, append);
  auto r = ex.Run(statement, sink);
  if (!r) return tl::unexpected(std::move(r).error());
  return {};
}

Status Create(Executor& ex, const ModelDef& model, const void* in, void* out) {
  stmt::Insert insert = InsertOf(model);
  insert.rows.emplace_back();
  CreateRow(model, in, &insert.fields, &insert.rows.back());
  auto r = ex.Run(insert);
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows.size() != 1) return Fail(sqlstate::kInternalError, "INSERT returned no row");
  return ReadRow(model, r->rows[0], out);
}

Status CreateMany(Executor& ex, const ModelDef& model, const std::vector<const void*>& in,
                  void* vec, AppendFn append) {
  if (in.empty()) return {};
  if (!ex.capability().multi_row_insert) {
    auto tx = ex.Begin();
    if (!tx) return tl::unexpected(std::move(tx).error());
    std::size_t coming = in.size();
    for (const void* v : in) SQLRITE_ORM_TRY(Create(*tx, model, v, append(vec, coming--)));
    return tx->Commit();
  }
  stmt::Insert insert = InsertOf(model);
  for (const void* v : in) {
    std::vector<int> fields;
    insert.rows.emplace_back();
    CreateRow(model, v, &fields, &insert.rows.back());
    if (insert.rows.size() == 1) {
      insert.fields = std::move(fields);
    } else if (fields != insert.fields) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "CreateMany: every value must set the auto-increment key, or none");
    }
  }
  return RunInto(ex, insert, model, vec, append);
}

Status Upsert(Executor& ex, const ModelDef& model, const void* in, int conflict_field, void* out) {
  stmt::Insert insert = InsertOf(model);
  insert.rows.emplace_back();
  CreateRow(model, in, &insert.fields, &insert.rows.back());
  stmt::OnConflict conflict{{conflict_field}, {}, {}};
  for (int f : insert.fields) {
    const FieldDef& def = model.fields[static_cast<std::size_t>(f)];
    // The stored row keeps its creation time; its version counts this write.
    if (def.version) {
      conflict.increment_fields.push_back(f);
    } else if (f != conflict_field && !def.primary_key && def.time != AutoTime::kCreatedAt) {
      conflict.update_fields.push_back(f);
    }
  }
  insert.on_conflict = std::move(conflict);
  auto r = ex.Run(insert);
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows.size() != 1) return Fail(sqlstate::kInternalError, "upsert returned no row");
  return ReadRow(model, r->rows[0], out);
}

Status Select(Executor& ex, const stmt::Select& select, void* vec, AppendFn append) {
  return RunInto(ex, select, *select.model, vec, append);
}

Status First(Executor& ex, stmt::Select select, void* out, bool* found) {
  select.limit = 1;
  auto r = ex.Run(select);
  if (!r) return tl::unexpected(std::move(r).error());
  *found = !r->rows.empty();
  if (!*found) return {};
  return ReadRow(*select.model, r->rows[0], out);
}

Result<std::int64_t> Count(Executor& ex, stmt::Select select) {
  select.count = true;
  select.order_by.clear();
  select.limit.reset();
  select.offset.reset();
  auto r = ex.Run(select);
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows.size() != 1 || r->rows[0].size() != 1) {
    return Fail(sqlstate::kInternalError, "count(*) returned no single value");
  }
  std::int64_t n = 0;
  SQLRITE_ORM_TRY(FromValueInto(r->rows[0][0], n, "count"));
  return n;
}

Result<std::int64_t> RemoveWhere(Executor& ex, const stmt::Select& select) {
  if (auto e = Unordered(select, "a delete")) return tl::unexpected(std::move(*e));
  auto r = ex.Run(stmt::Delete{select.model, select.filter});
  if (!r) return tl::unexpected(std::move(r).error());
  return r->rows_affected;
}

// What every update adds, at Exec (so it sees the caller's Sets): the version bumped, so instances
// read before it become stale, and updated_at fields set to now unless the update sets them.
stmt::Update Stamped(stmt::Update update) {
  const ModelDef& model = *update.model;
  for (std::size_t i = 0; i < model.fields.size(); ++i) {
    const FieldDef& f = model.fields[i];
    int field = static_cast<int>(i);
    bool set = false;
    for (const stmt::Assignment& a : update.set) set = set || a.field == field;
    if (f.version) {
      update.set.push_back({field, stmt::AddTo(field, Value(std::int64_t{1}))});
    } else if (f.time == AutoTime::kUpdatedAt && !set) {
      update.set.push_back({field, stmt::Lit(Value(NowTimestamp()))});
    }
  }
  return update;
}

stmt::Update UpdateOf(const stmt::Select& select, std::optional<Error>* error) {
  *error = Unordered(select, "an update");
  return stmt::Update{select.model, {}, select.filter, false};
}

Result<std::int64_t> UpdateWhere(Executor& ex, const stmt::Update& update,
                                 const std::optional<Error>& error) {
  if (error) return tl::unexpected(*error);
  auto r = ex.Run(Stamped(update));
  if (!r) return tl::unexpected(std::move(r).error());
  return r->rows_affected;
}

stmt::Update UpdateOfInstance(const ModelDef& model, const void* instance) {
  return stmt::Update{&model, {}, VersionedKeyFilter(model, instance), true};
}

Status UpdateInstance(Executor& ex, stmt::Update update, void* instance) {
  auto r = ex.Run(Stamped(std::move(update)));
  if (r && r->rows.empty()) return tl::unexpected(Missed(ex, *update.model, instance));
  return ReadSingle(*update.model, r, instance);
}

Status Save(Executor& ex, const ModelDef& model, void* instance) {
  stmt::Update update = UpdateOfInstance(model, instance);
  for (std::size_t i = 0; i < model.fields.size(); ++i) {
    const FieldDef& f = model.fields[i];
    if (!f.primary_key && !f.version && f.time != AutoTime::kUpdatedAt) {
      update.set.push_back({static_cast<int>(i), stmt::Lit(model.fields[i].get(instance))});
    }
  }
  return UpdateInstance(ex, std::move(update), instance);
}

Status Remove(Executor& ex, const ModelDef& model, const void* instance) {
  auto r = ex.Run(stmt::Delete{&model, VersionedKeyFilter(model, instance)});
  if (!r) return tl::unexpected(std::move(r).error());
  if (r->rows_affected == 0) return tl::unexpected(Missed(ex, model, instance));
  return {};
}

// The kept statements' forms (Executor::Shape::kind).
enum ShapeKind : int { kGetByKey = 1, kGetByField = 2 };

// Reads a lookup's one row into the instance: no row is 02000; a second row (a table made
// without the constraint the lookup relies on) is 21000 at once.
class SingleRow final : public RowSink {
 public:
  SingleRow(const ModelDef& model, void* out) : model_(model), out_(out) {}
  Status Row(const std::vector<Value>& row) override {
    if (found_) {
      return Fail(sqlstate::kCardinalityViolation, "more than one " + model_.name + " matched");
    }
    found_ = true;
    return ReadRow(model_, row, out_);
  }
  Status Finish(const Result<std::int64_t>& r) const {
    if (!r) return tl::unexpected(r.error());
    if (!found_) return tl::unexpected(NotFound(model_));
    return {};
  }

 private:
  const ModelDef& model_;
  void* out_;
  bool found_ = false;
};

// A lookup that names one row (by the key, or a unique field; `field` -1 is the key): its SELECT
// has no LIMIT, since the constraint allows one row at most. Kept on the Db after its first run
// (Executor::Kept): later lookups of the same form overwrite its parameters and run it, building
// no statement, and read the row straight into `out` (RowSink).
Status Lookup(Executor& ex, const ModelDef& model, const Executor::Shape& shape, int field,
              std::span<Value> values, void* out) {
  SingleRow sink(model, out);
  if (SqlOp* op = ex.Kept(shape)) {
    if (op->params.size() == values.size()) {
      for (std::size_t i = 0; i < values.size(); ++i) op->params[i] = std::move(values[i]);
      return sink.Finish(ex.RunKept(*op, sink));
    }
  }
  std::vector<int> fields = field < 0 ? model.KeyFields() : std::vector<int>{field};
  std::vector<stmt::Expr> terms;
  for (std::size_t i = 0; i < values.size(); ++i) {
    terms.push_back(stmt::Cmp(stmt::CompareOp::kEq, fields[i], values[i]));
  }
  stmt::Select select;
  select.model = &model;
  select.filter = AndOf(std::move(terms));
  std::vector<Value> params(std::make_move_iterator(values.begin()),
                            std::make_move_iterator(values.end()));
  return sink.Finish(ex.RunAndKeep(shape, select, params, sink));
}

Status GetBy(Executor& ex, const ModelDef& model, int field, Value value, void* out) {
  return Lookup(ex, model, {&model, kGetByField, field}, field, std::span<Value>(&value, 1), out);
}

Status Get(Executor& ex, const ModelDef& model, std::span<Value> key, void* out) {
  std::size_t key_fields = 0;
  for (const FieldDef& f : model.fields) key_fields += f.primary_key ? 1 : 0;
  if (key_fields != key.size()) {
    return Fail(sqlstate::kInvalidParameterValue, model.name + " has " +
                                                      std::to_string(key_fields) + " key fields, " +
                                                      std::to_string(key.size()) + " values given");
  }
  return Lookup(ex, model, {&model, kGetByKey, -1}, -1, key, out);
}

void AddFilter(stmt::Select& select, stmt::Expr e) {
  select.filter =
      select.filter ? stmt::Make(stmt::And{{select.filter, std::move(e)}}) : std::move(e);
}

void AddSet(stmt::Update& update, int field, Value v) {
  update.set.push_back({field, stmt::Lit(std::move(v))});
}

Status Paginate(Executor& ex, stmt::Select select, std::int64_t per_page,
                const std::vector<Value>* cursor, bool backward, void* vec, AppendFn append,
                PageState* state) {
  const ModelDef& model = *select.model;
  if (per_page < 1) {
    return Fail(sqlstate::kInvalidParameterValue, "a page holds at least one row");
  }
  if (select.limit || select.offset) {
    return Fail(sqlstate::kFeatureNotSupported,
                "cursor pagination of a query with limit or offset");
  }
  // The key completes the order, so every row has one place and a cursor names one point.
  for (int k : model.KeyFields()) {
    bool present = false;
    for (const stmt::OrderBy& o : select.order_by) present = present || o.field == k;
    if (!present) select.order_by.push_back({k, false});
  }
  for (const stmt::OrderBy& o : select.order_by) {
    // NULLs sort first on SQLite and last on PostgreSQL, and `col > NULL` is never true:
    // a keyset over a nullable column would skip rows or differ between backends.
    if (model.fields[static_cast<std::size_t>(o.field)].optional) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "cursor pagination ordered by the optional field " + model.name + "." +
                      model.fields[static_cast<std::size_t>(o.field)].name);
    }
  }
  state->select = select;
  state->per_page = per_page;
  stmt::Select page = select;
  if (cursor != nullptr) {
    if (cursor->size() != select.order_by.size()) {
      return Fail(sqlstate::kInvalidParameterValue, "a cursor of another query");
    }
    // (o1 > c1) OR (o1 = c1 AND o2 > c2) OR ...: rows strictly after the cursor in this order
    // (before it, going backward; `>` is `<` for a descending term).
    std::vector<stmt::Expr> any;
    for (std::size_t i = 0; i < select.order_by.size(); ++i) {
      std::vector<stmt::Expr> all;
      for (std::size_t j = 0; j < i; ++j) {
        all.push_back(stmt::Cmp(stmt::CompareOp::kEq, select.order_by[j].field, (*cursor)[j]));
      }
      bool after = select.order_by[i].descending == backward;
      all.push_back(stmt::Cmp(after ? stmt::CompareOp::kGt : stmt::CompareOp::kLt,
                              select.order_by[i].field, (*cursor)[i]));
      any.push_back(AndOf(std::move(all)));
    }
    AddFilter(page, any.size() == 1 ? any[0] : stmt::Make(stmt::Or{std::move(any)}));
  }
  if (backward) {
    for (stmt::OrderBy& o : page.order_by) o.descending = !o.descending;
  }
  page.limit = per_page + 1;  // one more row says whether another page follows
  auto r = ex.Run(page);
  if (!r) return tl::unexpected(std::move(r).error());
  std::vector<std::vector<Value>>& rows = r->rows;
  bool more = static_cast<std::int64_t>(rows.size()) > per_page;
  if (more) rows.pop_back();
  if (backward) std::reverse(rows.begin(), rows.end());
  state->has_next = backward ? true : more;
  state->has_prev = backward ? more : cursor != nullptr;
  state->first.clear();
  state->last.clear();
  if (!rows.empty()) {
    for (const stmt::OrderBy& o : select.order_by) {
      state->first.push_back(rows.front()[static_cast<std::size_t>(o.field)]);
      state->last.push_back(rows.back()[static_cast<std::size_t>(o.field)]);
    }
  } else if (cursor != nullptr) {
    // An empty page (the rows past the cursor were deleted): step back from the cursor itself.
    state->first = state->last = *cursor;
  }
  return ReadRows(model, *r, vec, append);
}

void AddIncrement(stmt::Update& update, int field, Value by) {
  update.set.push_back({field, stmt::AddTo(field, std::move(by))});
}

Result<std::vector<std::vector<Value>>> Project(Executor& ex, stmt::Select select,
                                                std::vector<int> fields) {
  select.columns = std::move(fields);
  auto r = ex.Run(select);
  if (!r) return tl::unexpected(std::move(r).error());
  for (const auto& row : r->rows) {
    if (row.size() != select.columns.size()) {
      return Fail(sqlstate::kInternalError, "a projection returned rows of another width");
    }
  }
  return std::move(r->rows);
}

}  // namespace sqlrite::orm::erased
