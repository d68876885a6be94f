// The texts PostgreSQL's deparsing functions print for the engine's objects: pg_get_expr of a
// column default, pg_get_indexdef, pg_get_constraintdef, quote_ident.

#include <climits>
#include <string>
#include <string_view>

#include "engine/catalog/builtin_types.h"
#include "engine/catalog/rule_deparse.h"
#include "engine/catalog/system_relation.h"
#include "engine/catalog/system_source.h"
#include "engine/expression.h"
#include "engine/index_expressions.h"
#include "engine/search_path.h"
#include "engine/sql/quote_ident.h"

namespace sqlrite::engine::catalog {
namespace {

// An index key's DESC / NULLS options as pg_get_indexdef prints them after the key.
std::string OptionText(uint8_t o) {
  const bool desc = (o & kIndexDesc) != 0, nulls_first = (o & kIndexNullsFirst) != 0;
  std::string out;
  if (desc) out += " DESC";
  if (desc && !nulls_first) out += " NULLS LAST";
  if (!desc && nulls_first) out += " NULLS FIRST";
  return out;
}

std::string ColumnList(const TableDef& table, const std::vector<int>& columns,
                       const std::vector<uint8_t>* options) {
  std::string out;
  for (size_t k = 0; k < columns.size(); ++k) {
    if (k > 0) out += ", ";
    out += QuoteIdent(table.columns[static_cast<size_t>(columns[k])].name);
    if (options != nullptr && k < options->size()) out += OptionText((*options)[k]);
  }
  return out;
}

bool LooksNumeric(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string QuoteIdent(std::string_view name) { return sql::QuoteIdent(name); }

namespace {

// The SQL-standard value functions, which libpg_query deparses in lower case and PostgreSQL's
// ruleutils prints in upper case (CURRENT_DATE).
constexpr std::string_view kValueFunctions[] = {
    "current_date", "current_time", "current_timestamp", "localtime",       "localtimestamp",
    "current_role", "current_user", "session_user",      "current_catalog", "current_schema",
};

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// sql with the value functions' names (outside quotes) in upper case.
std::string UpperValueFunctions(std::string sql) {
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (!IsWordByte(c) || (i > 0 && IsWordByte(sql[i - 1]))) continue;
    size_t end = i;
    while (end < sql.size() && IsWordByte(sql[end])) ++end;
    const std::string_view word(sql.data() + i, end - i);
    for (std::string_view f : kValueFunctions) {
      if (word == f) {
        for (size_t k = i; k < end; ++k) {
          if (sql[k] >= 'a' && sql[k] <= 'z') sql[k] = static_cast<char>(sql[k] - 'a' + 'A');
        }
        break;
      }
    }
    i = end - 1;
  }
  return sql;
}

// An interval column's constant default written as one string literal, bare or under one
// interval cast ('1 day', '3 hours'::interval minute, interval '2' hour), as ruleutils prints
// what PostgreSQL stored: the literal read under the cast's typmod (coerce_type passes interval
// input its typmod), shown with the cast's typmod when the column has one (the column's own
// length coercion is implicit and not shown), with none on a plain interval column, and with the
// column's when there is no cast. Any other shape: nullopt.
std::optional<std::string> IntervalConstantDefault(const ColumnDef& column) {
  Result<std::shared_ptr<const ast::Expr>> parsed = ParseDefaultExpr(column.default_text);
  if (!parsed || *parsed == nullptr) return std::nullopt;
  const ast::Expr& expr = **parsed;
  const uint32_t type_oid = TypeOid(column.type);
  auto show = [&](const Datum& value, int32_t typmod) {
    return "'" + FormatText(value, TypeId::kInterval) + "'::" +
           FormatType(type_oid, typmod >= 0 ? std::optional<int32_t>(typmod) : std::nullopt);
  };
  if (std::holds_alternative<ast::StringLiteral>(expr.node)) {
    return show(column.default_value, column.type.typmod);
  }
  const auto* cast = std::get_if<ast::Cast>(&expr.node);
  if (cast == nullptr || cast->type.id != TypeId::kInterval || !cast->type_name.empty() ||
      cast->operand == nullptr ||
      !std::holds_alternative<ast::StringLiteral>(cast->operand->node)) {
    return std::nullopt;
  }
  if (column.type.typmod < 0) return show(column.default_value, -1);
  // The stored value is under the column's typmod; the shown one is under the cast's.
  Scope no_columns;
  Binder binder(no_columns);
  Result<BoundExpr> bound = binder.Bind(expr);
  if (!bound || !bound->IsConst() || IsNull(bound->value)) return std::nullopt;
  return show(bound->value, cast->type.typmod);
}

// A default starting with a literal that is more than a bare literal. Casts to the column's type
// around one literal ('1 hour'::interval::interval hour, '2020-01-01'::date) collapse into the
// constant PostgreSQL's parser makes of them, printed as ruleutils prints a constant. Any other
// shape ('2020-01-01'::date + 1) keeps its text, parenthesised before the cast to the column's
// type so that the cast applies to the whole expression and the text still runs.
std::string ExpressionDefault(const ColumnDef& column, const std::string& type) {
  std::string kept = "(" + column.default_text + ")::" + type;
  Result<std::shared_ptr<const ast::Expr>> parsed = ParseDefaultExpr(column.default_text);
  if (!parsed || *parsed == nullptr) return kept;
  const ast::Expr* operand = parsed->get();
  if (std::holds_alternative<ast::StringLiteral>(operand->node)) {
    return column.default_text + "::" + type;
  }
  while (const auto* cast = std::get_if<ast::Cast>(&operand->node)) {
    if (cast->type.id != column.type.id || !cast->type_name.empty() || cast->operand == nullptr) {
      return kept;
    }
    operand = cast->operand.get();
  }
  if (!std::holds_alternative<ast::StringLiteral>(operand->node)) return kept;
  Scope no_columns;
  Binder binder(no_columns);
  Result<BoundExpr> bound = binder.Bind(**parsed);
  if (!bound || !bound->IsConst() || IsNull(bound->value)) return kept;
  const ColumnNamer none = [](int) -> std::optional<std::string> { return std::nullopt; };
  return RuleExprText(*bound, none, false, false, nullptr).value_or(kept);
}

}  // namespace

std::string DefaultExprText(const ColumnDef& column) {
  // A generated column's pg_attrdef row holds its generation expression.
  if (column.generated != 0) return UpperValueFunctions(column.generated_sql);
  if (!column.default_sql.empty()) {
    // A serial column's nextval('seq'): PostgreSQL stores the argument as a regclass constant.
    const std::string& sql = column.default_sql;
    if (sql.starts_with("nextval('") && sql.ends_with("')") &&
        sql.find('\'', 9) == sql.size() - 2) {
      // The regclass constant prints as regclass output does: qualified unless the search path
      // finds the sequence by its name (a bare name in the text is one of public).
      const std::string written = sql.substr(9, sql.size() - 11);
      std::shared_ptr<const SystemSource> src = CurrentSystemSource();
      if (src != nullptr && written.find('.') == std::string::npos &&
          written.find('"') == std::string::npos) {
        if (const TableDef* seq = src->catalog->Find(RelationKey(kPublicSchema, written))) {
          std::string shown = VisibleName(*src->catalog, src->SearchPath(), *seq);
          std::string quoted;
          for (char c : shown) {
            if (c == '\'') quoted.push_back('\'');
            quoted.push_back(c);
          }
          return "nextval('" + quoted + "'::regclass)";
        }
      }
      return sql.substr(0, sql.size() - 1) + "::regclass)";
    }
    return UpperValueFunctions(sql);
  }
  const std::string& text = column.default_text;
  const uint32_t type_oid = TypeOid(column.type);
  if (text.empty()) {
    // An entry older than default_text: the value in its type's text form, as a typed literal.
    if (IsNull(column.default_value)) return "NULL";
    return "'" + FormatText(column.default_value, column.type.id) +
           "'::" + FormatType(type_oid, std::nullopt);
  }
  // As ruleutils' get_const_expr: a string literal keeps the column's type as a cast (implicit
  // casts of other literals are not shown); a negative number is quoted and cast to its own
  // type (integer, bigint or numeric); true, false and other numbers print as written.
  if (column.type.id == TypeId::kInterval && !IsNull(column.default_value)) {
    if (std::optional<std::string> shown = IntervalConstantDefault(column)) return *shown;
  }
  if (text.front() == '\'') {
    const std::string type = type_oid == 1042 ? "bpchar" : FormatType(type_oid, std::nullopt);
    return ExpressionDefault(column, type);
  }
  if (text.front() == '-' && LooksNumeric(text.substr(1))) {
    std::string type = "numeric";
    if (text.find_first_of(".eE") == std::string::npos) {
      type = text.size() <= 11 && std::stoll(text) >= INT32_MIN ? "integer" : "bigint";
    }
    return "'" + text + "'::" + type;
  }
  return text;
}

std::string IndexDefinition(const TableDef& table, size_t index, bool pretty) {
  const IndexDef& ix = table.indexes[index];
  std::string out = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  std::string keys;
  if (ix.has_expressions()) {
    for (size_t k = 0; k < ix.columns.size(); ++k) {
      if (k > 0) keys += ", ";
      keys += engine::IndexKeyText(table, ix, k, pretty);
      keys += OptionText(k < ix.options.size() ? ix.options[k] : 0);
    }
  } else {
    keys = ColumnList(table, ix.columns, &ix.options);
  }
  // As ruleutils: the table qualified, or in the pretty form only when the search path does not
  // find it by its name.
  std::string relation = QuoteIdent(table.schema) + "." + QuoteIdent(table.name);
  if (std::shared_ptr<const SystemSource> src = CurrentSystemSource(); pretty && src != nullptr) {
    relation = VisibleName(*src->catalog, src->SearchPath(), table);
  }
  out += QuoteIdent(ix.name) + " ON " + relation + " USING btree (" + keys + ")";
  if (!ix.include.empty()) out += " INCLUDE (" + ColumnList(table, ix.include, nullptr) + ")";
  if (ix.nulls_not_distinct) out += " NULLS NOT DISTINCT";
  if (ix.partial()) out += " WHERE " + IndexPredicateText(table, ix, pretty);
  return out;
}

std::string CheckDefinition(const TableDef& table, const CheckConstraint& check, bool pretty) {
  if (check.bound != nullptr) {
    if (std::optional<std::string> text = RuleExprText(*check.bound, table, pretty)) {
      return "CHECK (" + *text + ")";
    }
  }
  return "CHECK (" + UpperValueFunctions(check.sql) + ")";
}

namespace {

std::string NameList(const TableDef* table, const std::vector<int>& columns) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    const auto c = static_cast<size_t>(columns[i]);
    out += table != nullptr && c < table->columns.size() ? QuoteIdent(table->columns[c].name)
                                                         : std::string("?");
  }
  return out;
}

}  // namespace

const char* ForeignKeyActionText(ast::ForeignKeyAction action) {
  switch (action) {
    case ast::ForeignKeyAction::kNoAction:
      return "NO ACTION";
    case ast::ForeignKeyAction::kRestrict:
      return "RESTRICT";
    case ast::ForeignKeyAction::kCascade:
      return "CASCADE";
    case ast::ForeignKeyAction::kSetNull:
      return "SET NULL";
    case ast::ForeignKeyAction::kSetDefault:
      return "SET DEFAULT";
  }
  return "NO ACTION";
}

// As ruleutils' pg_get_constraintdef_worker: MATCH FULL, then the actions that are not NO
// ACTION (ON DELETE SET NULL / SET DEFAULT with its column list).
std::string ForeignKeyDefinition(const TableDef& table, const ForeignKey& fk, const TableDef* ref) {
  // As ruleutils' generate_relation_name: qualified unless the search path finds it by its name
  // (pg_dump, whose path is empty, gets "public.p").
  std::string ref_name = QuoteIdent(fk.ref_table);
  if (std::shared_ptr<const SystemSource> src = CurrentSystemSource();
      src != nullptr && ref != nullptr) {
    ref_name = VisibleName(*src->catalog, src->SearchPath(), *ref);
  }
  std::string out = "FOREIGN KEY (" + NameList(&table, fk.columns) + ") REFERENCES " + ref_name +
                    "(" + NameList(ref, fk.ref_columns) + ")";
  if (fk.match == 'f') out += " MATCH FULL";
  if (fk.on_update != ast::ForeignKeyAction::kNoAction) {
    out += std::string(" ON UPDATE ") + ForeignKeyActionText(fk.on_update);
  }
  if (fk.on_delete != ast::ForeignKeyAction::kNoAction) {
    out += std::string(" ON DELETE ") + ForeignKeyActionText(fk.on_delete);
    if (!fk.delete_set_columns.empty()) out += " (" + NameList(&table, fk.delete_set_columns) + ")";
  }
  if (fk.deferrable) out += " DEFERRABLE";
  if (fk.initially_deferred) out += " INITIALLY DEFERRED";
  return out;
}

std::string ConstraintDefinition(const TableDef& table, size_t index) {
  const IndexDef& ix = table.indexes[index];
  std::string out = ix.primary ? "PRIMARY KEY " : "UNIQUE ";
  if (ix.nulls_not_distinct) out += "NULLS NOT DISTINCT ";
  out += "(" + ColumnList(table, ix.columns, nullptr) + ")";
  if (!ix.include.empty()) out += " INCLUDE (" + ColumnList(table, ix.include, nullptr) + ")";
  if (ix.deferrable) out += " DEFERRABLE";
  if (ix.initially_deferred) out += " INITIALLY DEFERRED";
  return out;
}

}  // namespace sqlrite::engine::catalog
