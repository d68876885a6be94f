#include "engine/foreign_keys.h"

#include <utility>

#include "engine/datetime_operators.h"
#include "engine/generated_columns.h"
#include "engine/key_codec.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

bool AnyNull(const Row& key) {
  for (const Datum& d : key) {
    if (IsNull(d)) return true;
  }
  return false;
}

bool AllNull(const Row& key) {
  for (const Datum& d : key) {
    if (!IsNull(d)) return false;
  }
  return true;
}

Row KeyOf(const Row& row, const std::vector<int>& columns) {
  Row key;
  key.reserve(columns.size());
  for (int c : columns) key.push_back(row[static_cast<size_t>(c)]);
  return key;
}

bool SameValue(const Datum& a, const Datum& b) {
  if (IsNull(a) || IsNull(b)) return IsNull(a) && IsNull(b);
  return CompareDatums(a, b) == 0;
}

bool KeyChanged(const Row& old_row, const Row& new_row, const std::vector<int>& columns) {
  for (int c : columns) {
    const auto i = static_cast<size_t>(c);
    if (!SameValue(old_row[i], new_row[i])) return true;
  }
  return false;
}

// "(a, b)=(1, 2)": the columns and values of a violation's DETAIL.
std::string DescribeKey(const TableDef& table, const std::vector<int>& columns, const Row& key) {
  std::string names, values;
  for (size_t i = 0; i < columns.size(); ++i) {
    const ColumnDef& col = table.columns[static_cast<size_t>(columns[i])];
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    names += col.name;
    if (IsNull(key[i])) {
      values += "null";
    } else {
      AppendText(values, key[i], col.type.id);
    }
  }
  return "(" + names + ")=(" + values + ")";
}

// `column = value AND ...` over table's columns: the values typed `types` (the other table's
// column types), compared by PostgreSQL's operator rules (the binder's).
Result<BoundExpr> KeyCondition(const TableDef& table, const std::vector<int>& columns,
                               const Row& key, const std::vector<SqlType>& types) {
  const Scope no_columns;
  Binder binder(no_columns);
  std::vector<BoundExpr> conjuncts;
  for (size_t i = 0; i < columns.size(); ++i) {
    BoundExpr column;
    column.kind = ExprKind::kColumn;
    column.index = columns[i];
    column.type = table.columns[static_cast<size_t>(columns[i])].type;
    BoundExpr value;
    value.kind = ExprKind::kConst;
    value.type = types[i];
    value.value = key[i];
    SQLRITE_ASSIGN_OR_RETURN(
        BoundExpr eq,
        binder.BindComparison(ast::BinaryOp::kEq, std::move(column), std::move(value), -1));
    conjuncts.push_back(std::move(eq));
  }
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  BoundExpr all;
  all.kind = ExprKind::kAnd;
  all.type = SqlType{TypeId::kBool, -1};
  all.args = std::move(conjuncts);
  return all;
}

std::vector<SqlType> ColumnTypes(const TableDef& table, const std::vector<int>& columns) {
  std::vector<SqlType> types;
  for (int c : columns) types.push_back(table.columns[static_cast<size_t>(c)].type);
  return types;
}

tl::unexpected<Error> StillReferenced(const TableDef& parent, const TableDef& child,
                                      const ForeignKey& fk, const Row& key) {
  return Fail(Error(sqlstate::kForeignKeyViolation, "update or delete on table \"" + parent.name +
                                                        "\" violates foreign key constraint \"" +
                                                        fk.name + "\" on table \"" + child.name +
                                                        "\"")
                  .WithDetail("Key " + DescribeKey(parent, fk.ref_columns, key) +
                              " is still referenced from table \"" + child.name + "\".")
                  .OnTable(child.name, {}, fk.name));
}

// DROP TABLE removes or refuses the keys that name a table, so a key whose table or columns are
// missing comes from a damaged catalog entry: XX001, never an index out of range.
Status CheckReferencedTable(const TableDef& child, const ForeignKey& fk, const TableDef* parent) {
  bool ok = parent != nullptr && !parent->is_sequence() && !parent->is_view();
  for (size_t i = 0; ok && i < fk.ref_columns.size(); ++i) {
    ok = static_cast<size_t>(fk.ref_columns[i]) < parent->columns.size();
  }
  if (ok) return Ok();
  return Fail(sqlstate::kDataCorrupted,
              "malformed catalog entry: foreign key " + fk.name + " of table " + child.name);
}

}  // namespace

bool ForeignKeyTypesCompatible(TypeId fk, TypeId pk) {
  if (fk == pk) return true;
  if (IsIntegerType(fk) && IsIntegerType(pk)) return true;  // integer_ops holds them all
  auto is_float = [](TypeId t) { return t == TypeId::kFloat4 || t == TypeId::kFloat8; };
  if (is_float(fk) && is_float(pk)) return true;  // float_ops
  // Implicit casts from the referencing type to the referenced one.
  if (IsStringType(fk) && IsStringType(pk)) return true;
  if (IsIntegerType(fk) && (pk == TypeId::kNumeric || is_float(pk))) return true;
  if (fk == TypeId::kNumeric && is_float(pk)) return true;
  return DateTimeImplicitlyCastable(fk, pk);
}

ForeignKeyChecks::ForeignKeyChecks(Database& db, InterruptCheck interrupts,
                                   DeferredConstraints* deferred)
    : db_(db), interrupts_(interrupts), deferred_(deferred) {}

const std::vector<ForeignKeyChecks::Referrer>& ForeignKeyChecks::ReferrersOf(
    const TableDef& table) {
  auto it = referrers_.find(&table);
  if (it != referrers_.end()) return it->second;
  std::vector<Referrer> found;
  for (const auto& [name, def] : db_.catalog().tables()) {
    for (size_t i = 0; i < def.foreign_keys.size(); ++i) {
      // A key whose referenced columns do not fit the table (a damaged entry) is left to
      // RunCheck's refusal rather than read past the row here.
      if (def.foreign_keys[i].ref_table == RelationKey(table) &&
          CheckReferencedTable(def, def.foreign_keys[i], &table)) {
        found.push_back({db_.catalog().FindMutable(name), i});
      }
    }
  }
  return referrers_.emplace(&table, std::move(found)).first->second;
}

void ForeignKeyChecks::QueueCheck(const TableDef& table, size_t fk, const Row& row) {
  const ForeignKey& key = table.foreign_keys[fk];
  Row values = KeyOf(row, key.columns);
  if (key.match == 's' ? AnyNull(values) : AllNull(values)) return;
  // One check per distinct key: every check runs after the statement's changes, so repeats of a
  // key (a bulk load of children of few parents) would find the same answer.
  std::string id = table.name;
  id.push_back('\0');
  id += std::to_string(fk);
  id.push_back('\0');
  for (size_t i = 0; i < values.size(); ++i) {
    AppendKeyColumn(id, values[i], table.columns[static_cast<size_t>(key.columns[i])].type.id);
  }
  if (!checked_.insert(std::move(id)).second) return;
  if (Deferred(key)) {
    deferred_->pending().push_back(
        DeferredCheck{DeferredCheck::Kind::kKeyPresent, table.name, key.name, std::move(values)});
    return;
  }
  events_.push_back(Event{KeyCheck{&table, fk, std::move(values)}, std::nullopt});
}

void ForeignKeyChecks::QueueUniqueChecks(const TableDef& table, const Row* old_row,
                                         const Row& row) {
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const IndexDef& ix = table.indexes[i];
    if (!ix.deferrable) continue;
    if (old_row != nullptr && !KeyChanged(*old_row, row, ix.columns)) continue;
    Row key = KeyOf(row, ix.columns);
    if (!ix.nulls_not_distinct && AnyNull(key)) continue;  // NULLs never collide
    unique_checks_.push_back(UniqueCheck{&table, i, std::move(key)});
  }
}

void ForeignKeyChecks::RowInserted(const TableDef& table, const Row& row) {
  for (size_t i = 0; i < table.foreign_keys.size(); ++i) QueueCheck(table, i, row);
  QueueUniqueChecks(table, nullptr, row);
}

void ForeignKeyChecks::RowUpdated(const TableDef& table, const Row& old_row, const Row& new_row) {
  QueueUniqueChecks(table, &old_row, new_row);
  for (size_t i = 0; i < table.foreign_keys.size(); ++i) {
    if (KeyChanged(old_row, new_row, table.foreign_keys[i].columns)) QueueCheck(table, i, new_row);
  }
  for (const Referrer& r : ReferrersOf(table)) {
    const ForeignKey& fk = r.table->foreign_keys[r.fk];
    if (!KeyChanged(old_row, new_row, fk.ref_columns)) continue;
    Row old_key = KeyOf(old_row, fk.ref_columns);
    if (AnyNull(old_key)) continue;  // no row can reference a key holding a NULL
    if (fk.on_update == ast::ForeignKeyAction::kNoAction && Deferred(fk)) {
      deferred_->pending().push_back(DeferredCheck{DeferredCheck::Kind::kNotReferenced,
                                                   r.table->name, fk.name, std::move(old_key)});
      continue;
    }
    events_.push_back(Event{
        std::nullopt, KeyGone{&table, r, std::move(old_key), KeyOf(new_row, fk.ref_columns)}});
  }
}

void ForeignKeyChecks::RowDeleted(const TableDef& table, const Row& row) {
  for (const Referrer& r : ReferrersOf(table)) {
    const ForeignKey& fk = r.table->foreign_keys[r.fk];
    Row old_key = KeyOf(row, fk.ref_columns);
    if (AnyNull(old_key)) continue;
    if (fk.on_delete == ast::ForeignKeyAction::kNoAction && Deferred(fk)) {
      deferred_->pending().push_back(DeferredCheck{DeferredCheck::Kind::kNotReferenced,
                                                   r.table->name, fk.name, std::move(old_key)});
      continue;
    }
    events_.push_back(Event{std::nullopt, KeyGone{&table, r, std::move(old_key), std::nullopt}});
  }
}

Status ForeignKeyChecks::Finish() {
  while (next_event_ < events_.size()) {
    if (interrupts_.Due()) SQLRITE_TRY(interrupts_.PollNow());
    // Moved out first: running it may queue more (a cascade), which may move events_.
    Event event = std::move(events_[next_event_++]);
    if (event.check) {
      SQLRITE_TRY(RunCheck(*event.check));
    } else {
      SQLRITE_TRY(RunGone(*event.gone));
    }
  }
  events_.clear();
  next_event_ = 0;
  // The deferrable keys, after every row change of the statement (a cascade's too).
  std::vector<UniqueCheck> unique = std::move(unique_checks_);
  unique_checks_.clear();
  std::unordered_set<std::string> seen;
  for (const UniqueCheck& check : unique) {
    if (interrupts_.Due()) SQLRITE_TRY(interrupts_.PollNow());
    const IndexDef& ix = check.table->indexes[check.index];
    std::string id = ix.name;
    for (size_t k = 0; k < check.key.size(); ++k) {
      const TypeId type = check.table->columns[static_cast<size_t>(ix.columns[k])].type.id;
      id += IsNull(check.key[k]) ? std::string(1, '\1') : '\0' + FormatText(check.key[k], type);
    }
    if (!seen.insert(std::move(id)).second) continue;
    if (deferred_ != nullptr && deferred_->IsDeferred(ix.name, true, ix.initially_deferred)) {
      deferred_->pending().push_back(DeferredCheck{DeferredCheck::Kind::kUnique,
                                                   RelationKey(*check.table), ix.name, check.key});
      continue;
    }
    SQLRITE_TRY(RunUniqueCheck(*check.table, ix, check.key));
  }
  return Ok();
}

Status ForeignKeyChecks::RunUniqueCheck(const TableDef& table, const IndexDef& index,
                                        const Row& key) {
  SQLRITE_ASSIGN_OR_RETURN(
      BoundExpr where, KeyCondition(table, index.columns, key, ColumnTypes(table, index.columns)));
  int holders = 0;
  SQLRITE_TRY(ScanTable(
      db_, table, &where,
      [&holders](std::string_view, Row&) -> Result<bool> { return ++holders < 2; }, &interrupts_));
  if (holders < 2) return Ok();
  std::string names, values;
  for (size_t i = 0; i < index.columns.size(); ++i) {
    const ColumnDef& column = table.columns[static_cast<size_t>(index.columns[i])];
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    names += column.name;
    values += IsNull(key[i]) ? "null" : FormatText(key[i], column.type.id);
  }
  return Fail(Error(sqlstate::kUniqueViolation,
                    "duplicate key value violates unique constraint \"" + index.name + "\"")
                  .WithDetail("Key (" + names + ")=(" + values + ") already exists.")
                  .OnTable(table.name, {}, index.name));
}

Status ForeignKeyChecks::RunDeferred(Database& db, InterruptCheck interrupts,
                                     std::vector<DeferredCheck>& pending, const std::string* only) {
  ForeignKeyChecks checks(db, interrupts);
  std::vector<DeferredCheck> kept;
  for (DeferredCheck& check : pending) {
    if (only != nullptr && check.fk != *only) {
      kept.push_back(std::move(check));
      continue;
    }
    if (checks.interrupts_.Due()) SQLRITE_TRY(checks.interrupts_.PollNow());
    if (Status status = checks.RunDeferredCheck(check); !status) {
      pending.clear();
      return status;
    }
  }
  pending = std::move(kept);
  return Ok();
}

namespace {

// Whether a row of table holds key in columns (typed as types).
Result<bool> HasKey(Database& db, const TableDef& table, const std::vector<int>& columns,
                    const Row& key, const std::vector<SqlType>& types, InterruptCheck* interrupts) {
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr where, KeyCondition(table, columns, key, types));
  bool found = false;
  SQLRITE_TRY(ScanTable(
      db, table, &where,
      [&found](std::string_view, Row&) -> Result<bool> {
        found = true;
        return false;
      },
      interrupts));
  return found;
}

}  // namespace

Status ForeignKeyChecks::RunDeferredCheck(const DeferredCheck& check) {
  // The constraint as the catalog has it now: gone (its table or itself dropped later in the
  // block) leaves nothing to check.
  const TableDef* child = db_.catalog().Find(check.table);
  if (child == nullptr) return Ok();
  if (check.kind == DeferredCheck::Kind::kUnique) {
    for (const IndexDef& ix : child->indexes) {
      if (ix.name != check.fk || !ix.deferrable) continue;
      if (check.key.size() != ix.columns.size()) return Ok();
      return RunUniqueCheck(*child, ix, check.key);
    }
    return Ok();
  }
  size_t index = child->foreign_keys.size();
  for (size_t i = 0; i < child->foreign_keys.size(); ++i) {
    if (child->foreign_keys[i].name == check.fk) index = i;
  }
  if (index == child->foreign_keys.size()) return Ok();
  const ForeignKey& fk = child->foreign_keys[index];
  if (check.key.size() != fk.columns.size()) return Ok();
  const TableDef* parent = db_.catalog().Find(fk.ref_table);
  SQLRITE_TRY(CheckReferencedTable(*child, fk, parent));
  if (check.kind == DeferredCheck::Kind::kKeyPresent) {
    // The row written may have gone (deleted, updated, or its savepoint rolled back).
    SQLRITE_ASSIGN_OR_RETURN(
        bool still_written,
        HasKey(db_, *child, fk.columns, check.key, ColumnTypes(*child, fk.columns), &interrupts_));
    if (!still_written) return Ok();
    return RunCheck(KeyCheck{child, index, check.key});
  }
  const std::vector<SqlType> parent_types = ColumnTypes(*parent, fk.ref_columns);
  SQLRITE_ASSIGN_OR_RETURN(
      bool back, HasKey(db_, *parent, fk.ref_columns, check.key, parent_types, &interrupts_));
  if (back) return Ok();
  SQLRITE_ASSIGN_OR_RETURN(bool referenced,
                           HasKey(db_, *child, fk.columns, check.key, parent_types, &interrupts_));
  if (!referenced) return Ok();
  return StillReferenced(*parent, *child, fk, check.key);
}

Status ForeignKeyChecks::RunCheck(const KeyCheck& check) {
  const ForeignKey& fk = check.table->foreign_keys[check.fk];
  if (fk.match == 'f' && AnyNull(check.key)) {
    return Fail(Error(sqlstate::kForeignKeyViolation,
                      "insert or update on table \"" + check.table->name +
                          "\" violates foreign key constraint \"" + fk.name + "\"")
                    .WithDetail("MATCH FULL does not allow mixing of null and nonnull key values.")
                    .OnTable(check.table->name, {}, fk.name));
  }
  const TableDef* parent = db_.catalog().Find(fk.ref_table);
  SQLRITE_TRY(CheckReferencedTable(*check.table, fk, parent));
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr where, KeyCondition(*parent, fk.ref_columns, check.key,
                                                         ColumnTypes(*check.table, fk.columns)));
  bool found = false;
  SQLRITE_TRY(ScanTable(
      db_, *parent, &where,
      [&found](std::string_view, Row&) -> Result<bool> {
        found = true;
        return false;
      },
      &interrupts_));
  if (found) return Ok();
  return Fail(Error(sqlstate::kForeignKeyViolation,
                    "insert or update on table \"" + check.table->name +
                        "\" violates foreign key constraint \"" + fk.name + "\"")
                  .WithDetail("Key " + DescribeKey(*check.table, fk.columns, check.key) +
                              " is not present in table \"" + parent->name + "\".")
                  .OnTable(check.table->name, {}, fk.name));
}

Status ForeignKeyChecks::RunGone(const KeyGone& gone) {
  TableDef& child = *gone.referrer.table;
  const ForeignKey& fk = child.foreign_keys[gone.referrer.fk];
  const TableDef& parent = *gone.parent;
  const ast::ForeignKeyAction action = gone.new_key ? fk.on_update : fk.on_delete;
  const std::vector<SqlType> parent_types = ColumnTypes(parent, fk.ref_columns);
  if (action == ast::ForeignKeyAction::kNoAction) {
    // NO ACTION looks at the end of the statement: another row may hold the key now.
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr again,
                             KeyCondition(parent, fk.ref_columns, gone.old_key, parent_types));
    bool still_there = false;
    SQLRITE_TRY(ScanTable(
        db_, parent, &again,
        [&still_there](std::string_view, Row&) -> Result<bool> {
          still_there = true;
          return false;
        },
        &interrupts_));
    if (still_there) return Ok();
  }
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr where,
                           KeyCondition(child, fk.columns, gone.old_key, parent_types));
  const bool only_whether =
      action == ast::ForeignKeyAction::kNoAction || action == ast::ForeignKeyAction::kRestrict;
  std::vector<std::pair<std::string, Row>> rows;
  SQLRITE_TRY(ScanTable(
      db_, child, &where,
      [&](std::string_view key, Row& row) -> Result<bool> {
        rows.emplace_back(std::string(key), row);
        return !only_whether;
      },
      &interrupts_));
  if (rows.empty()) return Ok();
  if (only_whether) return StillReferenced(parent, child, fk, gone.old_key);
  if (action == ast::ForeignKeyAction::kCascade && !gone.new_key) {
    for (auto& [key, row] : rows) {
      if (interrupts_.Due()) SQLRITE_TRY(interrupts_.PollNow());
      SQLRITE_TRY(DeleteRow(db_, child, key, row));
      RowDeleted(child, row);
    }
    return Ok();
  }
  // The columns set: the key's (CASCADE: to the new key), or ON DELETE SET ... (columns).
  const std::vector<int>& set_columns =
      !gone.new_key && !fk.delete_set_columns.empty() ? fk.delete_set_columns : fk.columns;
  const ColumnDefaults* defaults = nullptr;
  if (action == ast::ForeignKeyAction::kSetDefault) {
    auto it = defaults_.find(&child);
    if (it == defaults_.end()) {
      SQLRITE_ASSIGN_OR_RETURN(ColumnDefaults bound, ColumnDefaults::Bind(child));
      it = defaults_.emplace(&child, std::move(bound)).first;
    }
    defaults = &it->second;
  }
  Row new_row;
  for (auto& [key, row] : rows) {
    if (interrupts_.Due()) SQLRITE_TRY(interrupts_.PollNow());
    new_row = row;
    for (size_t i = 0; i < fk.columns.size(); ++i) {
      const auto c = static_cast<size_t>(fk.columns[i]);
      bool set = false;
      for (int s : set_columns) set |= static_cast<size_t>(s) == c;
      if (!set) continue;
      if (action == ast::ForeignKeyAction::kCascade) {
        const Datum& v = (*gone.new_key)[i];
        if (IsNull(v)) {
          new_row[c] = Datum{};
        } else {
          SQLRITE_ASSIGN_OR_RETURN(new_row[c],
                                   CastDatum(v, parent_types[i].id, child.columns[c].type, false));
        }
      } else if (action == ast::ForeignKeyAction::kSetNull) {
        new_row[c] = Datum{};
      } else {
        SQLRITE_ASSIGN_OR_RETURN(new_row[c], defaults->Value(c));
      }
    }
    SQLRITE_TRY(ComputeGeneratedColumns(child, new_row));
    SQLRITE_TRY(UpdateRow(db_, child, key, row, new_row));
    RowUpdated(child, row, new_row);
  }
  return Ok();
}

}  // namespace sqlrite::engine
