#include "orm/sql/serializer.h"

namespace sqlrite::orm::sql {
namespace {

constexpr std::string_view kUndefinedColumn = "42703";

class Writer {
 public:
  Writer(const Schema& schema, Flavor flavor) : schema_(schema), flavor_(flavor) {}

  Status SetModel(const ModelDef* model) {
    if (model == nullptr || !schema_.Contains(*model)) {
      return Fail(sqlstate::kUndefinedTable, "model " +
                                                 (model ? model->name : std::string("(none)")) +
                                                 " is not registered with this database");
    }
    model_ = model;
    table_ = &schema_.TableFor(*model);
    return {};
  }

  void Raw(std::string_view s) { out_.sql += s; }
  void Ident(std::string_view name) { out_.sql += QuoteIdentifier(name); }
  void Table() { Ident(table_->name); }

  Status Column(int field) {
    if (field < 0 || static_cast<std::size_t>(field) >= table_->columns.size()) {
      return Fail(kUndefinedColumn, "field " + std::to_string(field) + " of model " + model_->name +
                                        " does not exist");
    }
    Ident(table_->columns[static_cast<std::size_t>(field)].name);
    return {};
  }

  void Param(Value v) {
    out_.params.push_back(std::move(v));
    if (flavor_ == Flavor::kPostgresql) {
      out_.sql += "$" + std::to_string(out_.params.size());
    } else {
      out_.sql += "?";
    }
  }

  void AllColumns() {
    for (std::size_t i = 0; i < table_->columns.size(); ++i) {
      if (i) Raw(", ");
      Ident(table_->columns[i].name);
    }
  }

  Status Where(const stmt::Expr& filter) {
    if (!filter) return {};
    Raw(" WHERE ");
    return Expr(filter);
  }

  Status Expr(const stmt::Expr& e) {
    return std::visit([&](const auto& n) { return Node(n); }, e->node);
  }

  // Operands of AND / OR / NOT / comparisons are parenthesised unless atomic, so the text never
  // depends on precedence.
  Status Operand(const stmt::Expr& e) {
    bool atomic = std::holds_alternative<stmt::FieldRef>(e->node) ||
                  std::holds_alternative<stmt::Literal>(e->node);
    if (!atomic) Raw("(");
    SQLRITE_ORM_TRY(Expr(e));
    if (!atomic) Raw(")");
    return {};
  }

  Status Node(const stmt::FieldRef& n) { return Column(n.field); }
  Status Node(const stmt::Literal& n) {
    Param(n.value);
    return {};
  }
  Status Node(const stmt::Compare& n) {
    static constexpr const char* kOps[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};
    SQLRITE_ORM_TRY(Operand(n.lhs));
    Raw(kOps[static_cast<int>(n.op)]);
    return Operand(n.rhs);
  }
  Status Junction(const std::vector<stmt::Expr>& operands, std::string_view op,
                  std::string_view empty) {
    if (operands.empty()) {
      Raw(empty);
      return {};
    }
    for (std::size_t i = 0; i < operands.size(); ++i) {
      if (i) Raw(op);
      SQLRITE_ORM_TRY(Operand(operands[i]));
    }
    return {};
  }
  Status Node(const stmt::And& n) { return Junction(n.operands, " AND ", "TRUE"); }
  Status Node(const stmt::Or& n) { return Junction(n.operands, " OR ", "FALSE"); }
  Status Node(const stmt::Not& n) {
    Raw("NOT ");
    return Operand(n.operand);
  }
  Status Node(const stmt::IsNull& n) {
    SQLRITE_ORM_TRY(Operand(n.operand));
    Raw(n.negated ? " IS NOT NULL" : " IS NULL");
    return {};
  }
  Status Node(const stmt::InList& n) {
    if (n.values.empty()) {
      Raw("FALSE");  // IN () is not SQL
      return {};
    }
    SQLRITE_ORM_TRY(Operand(n.operand));
    Raw(" IN (");
    for (std::size_t i = 0; i < n.values.size(); ++i) {
      if (i) Raw(", ");
      Param(n.values[i]);
    }
    Raw(")");
    return {};
  }
  Status Node(const stmt::Between& n) {
    SQLRITE_ORM_TRY(Operand(n.operand));
    Raw(" BETWEEN ");
    SQLRITE_ORM_TRY(Operand(n.low));
    Raw(" AND ");
    return Operand(n.high);
  }
  Status Node(const stmt::Like& n) {
    SQLRITE_ORM_TRY(Operand(n.operand));
    Raw(" LIKE ");
    return Operand(n.pattern);
  }
  Status Node(const stmt::StartsWith& n) {
    if (flavor_ == Flavor::kPostgresql) {
      Raw("starts_with(");
      SQLRITE_ORM_TRY(Expr(n.operand));
      Raw(", ");
      SQLRITE_ORM_TRY(Expr(n.prefix));
      Raw(")");
      return {};
    }
    // SQLite's LIKE and GLOB treat the prefix as a pattern; instr() takes it literally and is
    // case-sensitive.
    Raw("instr(");
    SQLRITE_ORM_TRY(Expr(n.operand));
    Raw(", ");
    SQLRITE_ORM_TRY(Expr(n.prefix));
    Raw(") = 1");
    return {};
  }

  Status Node(const stmt::InSelect& n) {
    // -1 stands for the single key of a model that has several key fields.
    const auto* outer_field = std::get_if<stmt::FieldRef>(&n.operand->node);
    if (n.model == nullptr || n.column < 0 || (outer_field && outer_field->field < 0)) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "a relation path through a model without a single key field");
    }
    SQLRITE_ORM_TRY(Operand(n.operand));
    Raw(" IN (SELECT ");
    // The subquery's fields are its model's: resolve them there, then come back.
    const ModelDef* outer_model = model_;
    const orm::Table* outer_table = table_;
    SQLRITE_ORM_TRY(SetModel(n.model));
    SQLRITE_ORM_TRY(Column(n.column));
    Raw(" FROM ");
    Table();
    SQLRITE_ORM_TRY(Where(n.filter));
    Raw(")");
    model_ = outer_model;
    table_ = outer_table;
    return {};
  }

  Status Node(const stmt::Add& n) {
    SQLRITE_ORM_TRY(Operand(n.lhs));
    Raw(" + ");
    return Operand(n.rhs);
  }

  std::string TypeSql(const orm::Column& c) const {
    bool pg = flavor_ == Flavor::kPostgresql;
    switch (c.type) {
      case Type::kBool:
        return "BOOLEAN";
      case Type::kInt64:
        return pg ? "BIGINT" : "INTEGER";
      case Type::kDouble:
        return pg ? "DOUBLE PRECISION" : "REAL";
      case Type::kText:
        return "TEXT";
      // SQLite keeps dates, times and UUIDs as their text (orm/core/temporal.h, uuid.h).
      case Type::kTimestamp:
        return pg ? "TIMESTAMPTZ" : "TEXT";
      case Type::kDate:
        return pg ? "DATE" : "TEXT";
      case Type::kDateTime:
        return pg ? "TIMESTAMP" : "TEXT";
      case Type::kUuid:
        return pg ? "UUID" : "TEXT";
      case Type::kTime:
        return pg ? "TIME" : "TEXT";
    }
    return "TEXT";
  }

  Status CreateTable(const stmt::CreateTable& s) {
    Raw(s.if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
    Table();
    Raw(" (");
    bool inline_key = false;
    for (std::size_t i = 0; i < table_->columns.size(); ++i) {
      const orm::Column& c = table_->columns[i];
      if (i) Raw(", ");
      Ident(c.name);
      Raw(" ");
      Raw(TypeSql(c));
      if (c.auto_increment) {
        // SQLite's AUTOINCREMENT never reuses a deleted row's id, like a PostgreSQL identity.
        Raw(flavor_ == Flavor::kPostgresql ? " GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                                           : " PRIMARY KEY AUTOINCREMENT");
        inline_key = true;
        continue;
      }
      if (!c.nullable) Raw(" NOT NULL");
      if (c.unique) Raw(" UNIQUE");
      if (c.default_value) {
        Raw(" DEFAULT ");
        Value v = *c.default_value;
        if (flavor_ == Flavor::kSqlite && std::holds_alternative<bool>(v.v)) {
          v = Value(std::int64_t{std::get<bool>(v.v) ? 1 : 0});
        }
        Raw(ToSqlLiteral(v));
      }
    }
    if (!inline_key) {
      Raw(", PRIMARY KEY (");
      for (std::size_t i = 0; i < table_->primary_key.size(); ++i) {
        if (i) Raw(", ");
        SQLRITE_ORM_TRY(Column(table_->primary_key[i]));
      }
      Raw(")");
    }
    for (const orm::ForeignKey& fk : table_->foreign_keys) SQLRITE_ORM_TRY(ForeignKey(fk));
    Raw(")");
    return {};
  }

  // FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE CASCADE: the same text on
  // every backend (SQLite enforces it with PRAGMA foreign_keys, which its driver turns on).
  Status ForeignKey(const orm::ForeignKey& fk) {
    if (fk.parent == nullptr || !schema_.Contains(*fk.parent)) {
      return Fail(sqlstate::kUndefinedTable,
                  "model " + model_->name + " references " +
                      (fk.parent ? fk.parent->name : std::string("(none)")) +
                      ", which is not registered with this database");
    }
    std::vector<int> keys = fk.parent->KeyFields();
    if (keys.size() != 1) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "a foreign key to " + fk.parent->name + ", whose key has several fields");
    }
    Raw(", FOREIGN KEY (");
    SQLRITE_ORM_TRY(Column(fk.column));
    Raw(") REFERENCES ");
    const orm::Table& parent = schema_.TableFor(*fk.parent);
    Ident(parent.name);
    Raw(" (");
    Ident(parent.columns[static_cast<std::size_t>(keys[0])].name);
    Raw(")");
    switch (fk.on_delete) {
      case OnDelete::kDefault:
      case OnDelete::kCascade:
        Raw(" ON DELETE CASCADE");
        break;
      case OnDelete::kSetNull:
        Raw(" ON DELETE SET NULL");
        break;
      case OnDelete::kRestrict:
        Raw(" ON DELETE RESTRICT");
        break;
      case OnDelete::kNoAction:
        break;
    }
    return {};
  }

  Status CreateIndex(const stmt::CreateIndex& s) {
    if (s.index < 0 || static_cast<std::size_t>(s.index) >= table_->indexes.size()) {
      return Fail(sqlstate::kInternalError,
                  "no index " + std::to_string(s.index) + " on " + table_->name);
    }
    const orm::Index& index = table_->indexes[static_cast<std::size_t>(s.index)];
    Raw(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (s.if_not_exists) Raw("IF NOT EXISTS ");
    Ident(index.name);
    Raw(" ON ");
    Table();
    Raw(" (");
    for (std::size_t i = 0; i < index.columns.size(); ++i) {
      if (i) Raw(", ");
      SQLRITE_ORM_TRY(Column(index.columns[i]));
    }
    Raw(")");
    return {};
  }

  Status Statement(const stmt::Select& s) {
    SQLRITE_ORM_TRY(SetModel(s.model));
    Raw("SELECT ");
    if (s.count) {
      Raw("count(*)");
    } else if (!s.columns.empty()) {
      for (std::size_t i = 0; i < s.columns.size(); ++i) {
        if (i) Raw(", ");
        SQLRITE_ORM_TRY(Column(s.columns[i]));
      }
    } else {
      AllColumns();
    }
    Raw(" FROM ");
    Table();
    SQLRITE_ORM_TRY(Where(s.filter));
    for (std::size_t i = 0; i < s.order_by.size(); ++i) {
      Raw(i ? ", " : " ORDER BY ");
      SQLRITE_ORM_TRY(Column(s.order_by[i].field));
      if (s.order_by[i].descending) Raw(" DESC");
    }
    if (s.limit) {
      Raw(" LIMIT ");
      Param(*s.limit);
    } else if (s.offset && flavor_ == Flavor::kSqlite) {
      Raw(" LIMIT -1");  // SQLite has no OFFSET without LIMIT
    }
    if (s.offset) {
      Raw(" OFFSET ");
      Param(*s.offset);
    }
    return {};
  }

  Status Statement(const stmt::Insert& s) {
    SQLRITE_ORM_TRY(SetModel(s.model));
    Raw("INSERT INTO ");
    Table();
    if (s.fields.empty()) {
      if (s.rows.size() != 1) {
        return Fail(sqlstate::kFeatureNotSupported,
                    "an insert of several rows needs at least one column");
      }
      Raw(" DEFAULT VALUES");
    } else {
      Raw(" (");
      for (std::size_t i = 0; i < s.fields.size(); ++i) {
        if (i) Raw(", ");
        SQLRITE_ORM_TRY(Column(s.fields[i]));
      }
      Raw(") VALUES ");
      for (std::size_t r = 0; r < s.rows.size(); ++r) {
        if (r) Raw(", ");
        Raw("(");
        if (s.rows[r].size() != s.fields.size()) {
          return Fail(sqlstate::kInternalError, "insert row width differs from its columns");
        }
        for (std::size_t i = 0; i < s.rows[r].size(); ++i) {
          if (i) Raw(", ");
          Param(s.rows[r][i]);
        }
        Raw(")");
      }
    }
    if (s.on_conflict) {
      Raw(" ON CONFLICT (");
      for (std::size_t i = 0; i < s.on_conflict->conflict_fields.size(); ++i) {
        if (i) Raw(", ");
        SQLRITE_ORM_TRY(Column(s.on_conflict->conflict_fields[i]));
      }
      Raw(")");
      if (s.on_conflict->update_fields.empty() && s.on_conflict->increment_fields.empty()) {
        Raw(" DO NOTHING");
      } else {
        Raw(" DO UPDATE SET ");
        bool first = true;
        for (int field : s.on_conflict->update_fields) {
          if (!first) Raw(", ");
          first = false;
          SQLRITE_ORM_TRY(Column(field));
          Raw(" = excluded.");
          SQLRITE_ORM_TRY(Column(field));
        }
        // The stored row is named by its table (PostgreSQL and SQLite alike).
        for (int field : s.on_conflict->increment_fields) {
          if (!first) Raw(", ");
          first = false;
          SQLRITE_ORM_TRY(Column(field));
          Raw(" = ");
          Table();
          Raw(".");
          SQLRITE_ORM_TRY(Column(field));
          Raw(" + 1");
        }
      }
    }
    if (s.returning) {
      Raw(" RETURNING ");
      AllColumns();
    }
    return {};
  }

  Status Statement(const stmt::Update& s) {
    SQLRITE_ORM_TRY(SetModel(s.model));
    if (s.set.empty()) {
      return Fail(sqlstate::kInvalidParameterValue,
                  "an update of " + s.model->name + " sets no field");
    }
    Raw("UPDATE ");
    Table();
    Raw(" SET ");
    for (std::size_t i = 0; i < s.set.size(); ++i) {
      if (i) Raw(", ");
      SQLRITE_ORM_TRY(Column(s.set[i].field));
      Raw(" = ");
      SQLRITE_ORM_TRY(Expr(s.set[i].value));
    }
    SQLRITE_ORM_TRY(Where(s.filter));
    if (s.returning) {
      Raw(" RETURNING ");
      AllColumns();
    }
    return {};
  }

  Status Statement(const stmt::Delete& s) {
    SQLRITE_ORM_TRY(SetModel(s.model));
    Raw("DELETE FROM ");
    Table();
    return Where(s.filter);
  }

  Status Statement(const stmt::CreateTable& s) {
    SQLRITE_ORM_TRY(SetModel(s.model));
    return CreateTable(s);
  }
  Status Statement(const stmt::CreateIndex& s) {
    SQLRITE_ORM_TRY(SetModel(s.model));
    return CreateIndex(s);
  }
  Status Statement(const stmt::DropTable& s) {
    SQLRITE_ORM_TRY(SetModel(s.model));
    Raw(s.if_exists ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
    Table();
    return {};
  }

  SqlText Take() { return std::move(out_); }

 private:
  const Schema& schema_;
  Flavor flavor_;
  const ModelDef* model_ = nullptr;
  const orm::Table* table_ = nullptr;
  SqlText out_;
};

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Result<SqlText> Serialize(const Schema& schema, const stmt::Statement& statement, Flavor flavor) {
  Writer w(schema, flavor);
  SQLRITE_ORM_TRY(std::visit([&](const auto& s) { return w.Statement(s); }, statement));
  return w.Take();
}

}  // namespace sqlrite::orm::sql
