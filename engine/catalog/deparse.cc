// The texts PostgreSQL's deparsing functions print for the engine's objects: pg_get_expr of a
// column default, pg_get_indexdef, pg_get_constraintdef, quote_ident.

#include <climits>
#include <string>

#include "engine/catalog/builtin_types.h"
#include "engine/catalog/system_relation.h"

namespace sqlrite::engine::catalog {
namespace {

// PostgreSQL's reserved and column-name keywords (those quote_ident must quote), the common ones.
constexpr std::string_view kKeywords[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "between",
    "bigint",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "column",
    "constraint",
    "create",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "from",
    "grant",
    "greatest",
    "group",
    "having",
    "in",
    "initially",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "lateral",
    "leading",
    "least",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "nchar",
    "none",
    "normalize",
    "not",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "row",
    "select",
    "session_user",
    "setof",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};

std::string ColumnList(const TableDef& table, const std::vector<int>& columns,
                       const std::vector<uint8_t>* options) {
  std::string out;
  for (size_t k = 0; k < columns.size(); ++k) {
    if (k > 0) out += ", ";
    out += QuoteIdent(table.columns[static_cast<size_t>(columns[k])].name);
    if (options != nullptr && k < options->size()) {
      const uint8_t o = (*options)[k];
      const bool desc = (o & kIndexDesc) != 0, nulls_first = (o & kIndexNullsFirst) != 0;
      if (desc) out += " DESC";
      if (desc && !nulls_first) out += " NULLS LAST";
      if (!desc && nulls_first) out += " NULLS FIRST";
    }
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

std::string QuoteIdent(std::string_view name) {
  bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name) plain &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  if (plain) {
    for (std::string_view k : kKeywords) plain &= k != name;
  }
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string DefaultExprText(const ColumnDef& column) {
  if (!column.default_sql.empty()) {
    // A serial column's nextval('seq'): PostgreSQL stores the argument as a regclass constant.
    const std::string& sql = column.default_sql;
    if (sql.starts_with("nextval('") && sql.ends_with("')") &&
        sql.find('\'', 9) == sql.size() - 2) {
      return sql.substr(0, sql.size() - 1) + "::regclass)";
    }
    return sql;
  }
  const std::string& text = column.default_text;
  const uint32_t type_oid = TypeOid(column.type.id);
  if (text.empty()) {
    // An entry older than default_text: the value in its type's text form, as a typed literal.
    if (IsNull(column.default_value)) return "NULL";
    return "'" + FormatText(column.default_value, column.type.id) +
           "'::" + FormatType(type_oid, std::nullopt);
  }
  // As ruleutils' get_const_expr: a string literal keeps the column's type as a cast (implicit
  // casts of other literals are not shown); a negative number is quoted and cast to its own
  // type (integer, bigint or numeric); true, false and other numbers print as written.
  if (text.front() == '\'') {
    const std::string type = type_oid == 1042 ? "bpchar" : FormatType(type_oid, std::nullopt);
    return text + "::" + type;
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

std::string IndexDefinition(const TableDef& table, size_t index, bool) {
  const IndexDef& ix = table.indexes[index];
  std::string out = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  out += QuoteIdent(ix.name) + " ON public." + QuoteIdent(table.name) + " USING btree (" +
         ColumnList(table, ix.columns, &ix.options) + ")";
  if (!ix.include.empty()) out += " INCLUDE (" + ColumnList(table, ix.include, nullptr) + ")";
  if (ix.nulls_not_distinct) out += " NULLS NOT DISTINCT";
  return out;
}

std::string ConstraintDefinition(const TableDef& table, size_t index) {
  const IndexDef& ix = table.indexes[index];
  std::string out = ix.primary ? "PRIMARY KEY " : "UNIQUE ";
  if (ix.nulls_not_distinct) out += "NULLS NOT DISTINCT ";
  out += "(" + ColumnList(table, ix.columns, nullptr) + ")";
  if (!ix.include.empty()) out += " INCLUDE (" + ColumnList(table, ix.include, nullptr) + ")";
  return out;
}

}  // namespace sqlrite::engine::catalog
