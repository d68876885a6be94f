#pragma once
// The two schemas and the mapping between them. The app schema describes models as the program
// declares them (fields, keys, unique and indexed fields, optional fields, defaults, auto
// increment); the db schema describes the tables, columns and indexes that hold them; Schema maps
// one to the other (a model to its table, a field to its column) and is what the serializer
// resolves statements against. Models are registered at run time and type-erased, so the typed
// front end instantiates nothing per model but a ModelDef.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "orm/core/error.h"
#include "orm/core/value.h"

namespace sqlrite::orm {

// ---- app schema ----
// A UUID the ORM generates on create for a text field left empty (orm/core/uuid.h): v4 random,
// v7 time-ordered (so keys made later sort later).
enum class AutoUuid { kNone, kV4, kV7 };
// A timestamp the ORM keeps (an orm::Timestamp): set on create when left at the epoch
// (kCreatedAt, kUpdatedAt), and on every update (kUpdatedAt) unless the update sets it.
enum class AutoTime { kNone, kCreatedAt, kUpdatedAt };

// What the database does to a child row when its parent is deleted (a declared belongs_to's
// REFERENCES ... ON DELETE). kDefault: kCascade for a required foreign key, kSetNull for an
// optional one (the client-side cascade orm::Remove does through named foreign keys).
enum class OnDelete { kDefault, kCascade, kSetNull, kRestrict, kNoAction };

struct ModelDef;

// A declared belongs_to (orm/relation_decl.h): `field` of this model references the single key
// of `parent()` (a function: the parent's ModelDef is built on its first use, which may come
// after this one's).
struct ForeignKeyDef {
  int field = -1;
  const ModelDef& (*parent)() = nullptr;
  OnDelete on_delete = OnDelete::kDefault;
};

struct FieldDef {
  std::string name;
  Type type = Type::kText;
  bool primary_key = false;
  bool auto_increment = false;  // the database assigns it on create (single int64 key only)
  bool unique = false;
  bool indexed = false;
  bool optional = false;               // std::optional<T> member: nullable column
  bool version = false;                // optimistic concurrency: checked and bumped by writes
  AutoUuid uuid = AutoUuid::kNone;     // a uuid field the ORM fills with a new UUID on create
  AutoTime time = AutoTime::kNone;     // created_at / updated_at
  std::optional<Value> default_value;  // DDL DEFAULT (the member's initialiser)
  // Reads / writes this field of a model instance (type-erased; set by SQLRITE_MODEL). Null in
  // ModelDefs built by hand, which only the schema and the serializer see.
  Value (*get)(const void* instance) = nullptr;
  Result<void> (*set)(void* instance, const Value& value) = nullptr;
};

struct ModelDef {
  std::string name;   // the C++ type's name
  std::string table;  // the table it maps to (before the schema's prefix)
  std::vector<FieldDef> fields;
  std::vector<ForeignKeyDef> foreign_keys;  // declared belongs_to relations, in declaration order

  // Indices of the primary-key fields, in declaration order.
  std::vector<int> KeyFields() const;
  int FieldIndex(std::string_view field) const;  // -1: none
  int VersionField() const;                      // -1: none
};

// ---- db schema ----
struct Column {
  std::string name;
  Type type = Type::kText;
  bool nullable = false;
  bool auto_increment = false;
  bool unique = false;  // a single-column UNIQUE constraint
  std::optional<Value> default_value;
};

struct Index {
  std::string name;
  std::vector<int> columns;
  bool unique = false;
};

// FOREIGN KEY (column) REFERENCES parent's table (its single key column) ON DELETE ...
struct ForeignKey {
  int column = -1;
  const ModelDef* parent = nullptr;
  OnDelete on_delete = OnDelete::kCascade;  // kDefault resolved by Schema::AddModel
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<int> primary_key;  // column indices
  std::vector<Index> indexes;    // secondary, non-unique (unique fields are column constraints)
  std::vector<ForeignKey> foreign_keys;
};

// ---- the mapping ----
class Schema {
 public:
  explicit Schema(std::string table_prefix = {}) : table_prefix_(std::move(table_prefix)) {}

  // Registers a model (idempotent for the same ModelDef). Fails with 42P16-style errors for a
  // model without a key, an auto-increment field that is not the single int64 key, or a table
  // name another model already uses; 42622 for a table, column or index name longer than 63
  // bytes (PostgreSQL's limit, on every backend).
  Status AddModel(const ModelDef& model);

  bool Contains(const ModelDef& model) const { return by_model_.count(&model) != 0; }
  // REQUIRES: Contains(model).
  const Table& TableFor(const ModelDef& model) const;
  // The column a field maps to; fields map one-to-one onto columns today.
  const Column& ColumnFor(const ModelDef& model, int field) const;
  const std::vector<Table>& tables() const { return tables_; }
  const std::vector<const ModelDef*>& models() const { return models_; }
  // The registered models with every model after the models it references (registration order
  // otherwise; a reference to itself or a cycle does not reorder): the order of CREATE TABLE,
  // and reversed, of DROP TABLE. 42P01 when a referenced model is not registered.
  Result<std::vector<const ModelDef*>> CreationOrder() const;
  const std::string& table_prefix() const { return table_prefix_; }

 private:
  std::string table_prefix_;
  std::vector<const ModelDef*> models_;
  std::vector<Table> tables_;
  std::map<const ModelDef*, std::size_t> by_model_;
};

}  // namespace sqlrite::orm
