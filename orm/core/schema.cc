#include "orm/core/schema.h"

#include <cassert>
#include <functional>

namespace sqlrite::orm {

std::vector<int> ModelDef::KeyFields() const {
  std::vector<int> keys;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].primary_key) keys.push_back(static_cast<int>(i));
  }
  return keys;
}

int ModelDef::FieldIndex(std::string_view field) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

int ModelDef::VersionField() const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].version) return static_cast<int>(i);
  }
  return -1;
}

Status Schema::AddModel(const ModelDef& model) {
  if (Contains(model)) return {};
  constexpr std::string_view kInvalidDefinition = "42P16";
  if (model.fields.empty()) {
    return Fail(kInvalidDefinition, "model " + model.name + " has no fields");
  }
  std::vector<int> keys = model.KeyFields();
  if (keys.empty()) {
    return Fail(kInvalidDefinition, "model " + model.name + " has no primary key field");
  }
  Table table;
  table.name = table_prefix_ + model.table;
  for (const Table& other : tables_) {
    if (other.name == table.name) {
      return Fail(kInvalidDefinition, "table \"" + table.name + "\" is mapped by two models");
    }
  }
  for (std::size_t i = 0; i < model.fields.size(); ++i) {
    const FieldDef& f = model.fields[i];
    if (f.auto_increment && (!f.primary_key || keys.size() != 1 || f.type != Type::kInt64)) {
      return Fail(kInvalidDefinition, "field " + model.name + "." + f.name +
                                          ": auto_increment needs the model's single int64 key");
    }
    if (f.version && (f.type != Type::kInt64 || f.optional || f.primary_key ||
                      static_cast<int>(i) != model.VersionField())) {
      return Fail(kInvalidDefinition, "field " + model.name + "." + f.name +
                                          ": a version field must be one required integer that "
                                          "is not part of the key");
    }
    if (f.time != AutoTime::kNone && (f.type != Type::kTimestamp || f.optional)) {
      return Fail(kInvalidDefinition, "field " + model.name + "." + f.name +
                                          ": created_at / updated_at need a required timestamp");
    }
    if (f.uuid != AutoUuid::kNone && f.type != Type::kUuid) {
      return Fail(kInvalidDefinition,
                  "field " + model.name + "." + f.name + ": a UUID field must be an orm::Uuid");
    }
    if (f.primary_key && f.optional) {
      return Fail(kInvalidDefinition,
                  "field " + model.name + "." + f.name + ": a key field cannot be optional");
    }
    Column c;
    c.name = f.name;
    c.type = f.type;
    c.nullable = f.optional;
    c.auto_increment = f.auto_increment;
    c.unique = f.unique && !f.primary_key;
    c.default_value = f.default_value;
    table.columns.push_back(std::move(c));
    if (f.indexed && !f.unique && !f.primary_key) {
      table.indexes.push_back(
          Index{table.name + "_" + f.name + "_idx", {static_cast<int>(i)}, false});
    }
  }
  // PostgreSQL truncates a longer name with a mere NOTICE, so two long table or index names could
  // silently become one; every backend gets PostgreSQL's limit.
  auto too_long = [&](const std::string& name) -> Status {
    constexpr std::size_t kMaxIdentifierBytes = 63;
    if (name.size() <= kMaxIdentifierBytes) return {};
    return Fail("42622",
                "identifier \"" + name + "\" of model " + model.name + " is longer than 63 bytes");
  };
  SQLRITE_ORM_TRY(too_long(table.name));
  for (const Column& c : table.columns) SQLRITE_ORM_TRY(too_long(c.name));
  for (const Index& index : table.indexes) SQLRITE_ORM_TRY(too_long(index.name));
  for (const ForeignKeyDef& fk : model.foreign_keys) {
    if (fk.field < 0 || static_cast<std::size_t>(fk.field) >= model.fields.size() ||
        fk.parent == nullptr) {
      return Fail(kInvalidDefinition, "model " + model.name + ": a foreign key names no field");
    }
    const FieldDef& f = model.fields[static_cast<std::size_t>(fk.field)];
    OnDelete on_delete = fk.on_delete;
    if (on_delete == OnDelete::kDefault) {
      on_delete = f.optional ? OnDelete::kSetNull : OnDelete::kCascade;
    }
    if (on_delete == OnDelete::kSetNull && !f.optional) {
      return Fail(kInvalidDefinition, "field " + model.name + "." + f.name +
                                          ": ON DELETE SET NULL needs an optional foreign key");
    }
    table.foreign_keys.push_back(ForeignKey{fk.field, &fk.parent(), on_delete});
  }
  table.primary_key = keys;
  by_model_[&model] = tables_.size();
  tables_.push_back(std::move(table));
  models_.push_back(&model);
  return {};
}

Result<std::vector<const ModelDef*>> Schema::CreationOrder() const {
  std::vector<const ModelDef*> order;
  std::map<const ModelDef*, int> state;  // 1: being placed, 2: placed
  // Depth first over references, registration order among the unrelated: a model is placed
  // after what it references; a model met again while being placed (a cycle) is left where the
  // walk is (its CREATE TABLE then fails on the backend, which says why).
  std::function<Status(const ModelDef*)> place = [&](const ModelDef* model) -> Status {
    if (state[model] != 0) return {};
    state[model] = 1;
    for (const ForeignKey& fk : TableFor(*model).foreign_keys) {
      if (!Contains(*fk.parent)) {
        return Fail(sqlstate::kUndefinedTable, "model " + model->name + " references " +
                                                   fk.parent->name +
                                                   ", which is not registered with this database");
      }
      SQLRITE_ORM_TRY(place(fk.parent));
    }
    state[model] = 2;
    order.push_back(model);
    return {};
  };
  for (const ModelDef* model : models_) SQLRITE_ORM_TRY(place(model));
  return order;
}

const Table& Schema::TableFor(const ModelDef& model) const {
  auto it = by_model_.find(&model);
  assert(it != by_model_.end());
  return tables_[it->second];
}

const Column& Schema::ColumnFor(const ModelDef& model, int field) const {
  return TableFor(model).columns.at(static_cast<std::size_t>(field));
}

}  // namespace sqlrite::orm
