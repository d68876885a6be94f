#include "orm/core/schema.h"

#include <cassert>

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
    if (f.time != AutoTime::kNone && (f.type != Type::kInt64 || f.optional)) {
      return Fail(kInvalidDefinition, "field " + model.name + "." + f.name +
                                          ": created_at / updated_at need a required int64");
    }
    if (f.uuid != AutoUuid::kNone && f.type != Type::kText) {
      return Fail(kInvalidDefinition,
                  "field " + model.name + "." + f.name + ": a UUID field must be a std::string");
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
  table.primary_key = keys;
  by_model_[&model] = tables_.size();
  tables_.push_back(std::move(table));
  models_.push_back(&model);
  return {};
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
