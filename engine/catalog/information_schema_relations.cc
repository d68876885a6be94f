// information_schema's views of relations, columns, sequences and routines: schemata, tables,
// columns, views, sequences, routines, with PostgreSQL 15's columns (names, order, the base
// types of its domains) and the values its view definitions compute, derived from the Catalog
// and the system relations' own definitions when a scan opens, like pg_catalog's relations.
//
// Where the engine has less than PostgreSQL: a view's view_definition is the engine's deparse of
// its query (PostgreSQL prints its rule deparser's text), a system view's is NULL; views are not
// updatable here (writes through a view are 0A000), so their is_updatable / is_insertable_into
// say NO where PostgreSQL says YES for a simple view; routines lists the function registry's
// overloads (pg_proc's rows), so specific_name carries their oids, not PostgreSQL's.

#include <cctype>
#include <string>

#include "common/assert.h"
#include "engine/catalog/builtin_types.h"
#include "engine/catalog/information_schema.h"
#include "engine/catalog/rule_deparse.h"
#include "engine/functions/builtin.h"
#include "engine/types/interval_typmod.h"

namespace sqlrite::engine::catalog {
namespace infoschema {

std::string NamespaceName(const SystemSource& src, uint32_t oid) { return src.SchemaName(oid); }

std::string NotNullName(uint32_t namespace_oid, uint32_t relation_oid, int attnum) {
  return std::to_string(namespace_oid) + "_" + std::to_string(relation_oid) + "_" +
         std::to_string(attnum) + "_not_null";
}

}  // namespace infoschema

namespace {

using namespace infoschema;  // NOLINT(google-build-using-namespace): this file's vocabulary

constexpr int64_t kUnlimitedOctets = int64_t{1} << 30;  // _pg_char_octet_length's 2^30
constexpr int64_t kMaxBytesPerChar = 4;                 // UTF8, every database's encoding

std::string OwnerName(const SystemSource& src, uint32_t oid) {
  const RoleFacts* r = src.RoleByOid(oid);
  return r != nullptr ? r->name : std::string();
}

// ---- the facts of one data type, as information_schema's _pg_* functions compute them ---------

struct TypeFacts {
  Datum data_type;
  Datum char_max_length, char_octet_length;
  Datum numeric_precision, numeric_radix, numeric_scale;
  Datum datetime_precision;
  Datum interval_type;
  std::string udt_name;
};

std::optional<int64_t> NumericPrecision(uint32_t type, int32_t typmod) {
  switch (type) {
    case 21:
      return 16;
    case 23:
      return 32;
    case 20:
      return 64;
    case 700:
      return 24;
    case 701:
      return 53;
    case 1700:
      if (typmod == -1) return std::nullopt;
      return ((typmod - 4) >> 16) & 0xffff;
    default:
      return std::nullopt;
  }
}

TypeFacts FactsOf(uint32_t type, int32_t typmod) {
  TypeFacts f;
  const BuiltinType* t = FindBuiltinType(type);
  if (t == nullptr) {
    f.data_type = Text("USER-DEFINED");
    return f;
  }
  f.udt_name = std::string(t->name);
  f.data_type = Text(t->elem != 0 && t->len == -1 ? "ARRAY" : FormatType(type, std::nullopt));
  if (type == 1042 || type == 1043) {
    if (typmod != -1) f.char_max_length = Int(typmod - 4);
  }
  if ((type == 1560 || type == 1562) && typmod != -1) f.char_max_length = Int(typmod);  // bit
  if (type == 25 || type == 1042 || type == 1043) {
    f.char_octet_length =
        Int(typmod == -1 ? kUnlimitedOctets : int64_t{typmod - 4} * kMaxBytesPerChar);
  }
  f.numeric_precision = Maybe(NumericPrecision(type, typmod));
  if (type == 21 || type == 23 || type == 20 || type == 700 || type == 701) {
    f.numeric_radix = Int(2);
  } else if (type == 1700) {
    f.numeric_radix = Int(10);
  }
  if (type == 21 || type == 23 || type == 20) {
    f.numeric_scale = Int(0);
  } else if (type == 1700 && typmod != -1) {
    f.numeric_scale = Int((typmod - 4) & 0xffff);
  }
  if (type == 1082) {
    f.datetime_precision = Int(0);
  } else if (type == 1083 || type == 1114 || type == 1184 || type == 1266) {
    f.datetime_precision = Int(typmod < 0 ? 6 : typmod);
  } else if (type == 1186) {
    const int32_t precision = interval::TypmodPrecision(typmod);
    f.datetime_precision = Int(precision == interval::kFullPrecision ? 6 : precision);
    // _pg_interval_type: format_type's text after "interval[(p)] ", upper-cased (NULL for
    // interval and interval(p)).
    const std::string fields = interval::TypmodText(typmod);
    if (!fields.empty() && fields[0] == ' ') {
      std::string upper;
      for (size_t i = 1; i < fields.size(); ++i) {
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(fields[i]))));
      }
      f.interval_type = Text(upper);
    }
  }
  return f;
}

// ---- schemata ---------------------------------------------------------------------------------

Result<SystemRows> SchemataRows(const SystemSource& src) {
  SystemRows rows;
  for (const NamespaceFact& n : AllNamespaces(src)) {
    rows.push_back({Text(src.database), Text(std::string(n.name)), Text(OwnerName(src, n.owner)),
                    Null(), Null(), Null(), Null()});
  }
  return rows;
}

// ---- tables and views -------------------------------------------------------------------------

// The relations tables and columns show: system relations and the database's tables and views
// (relkind r or v; sequences and indexes are not tables).
struct ShownRelation {
  uint32_t namespace_oid = kPublicNamespace;
  uint32_t oid = 0;
  std::string name;
  char kind = 'r';
  const SystemRelation* system = nullptr;
  const TableDef* table = nullptr;
};

template <typename F>
void ForEachShownRelation(const SystemSource& src, F f) {
  for (const SystemRelation& rel : SystemRelations()) {
    f(ShownRelation{rel.namespace_oid, rel.oid, std::string(rel.name), rel.kind, &rel, nullptr});
  }
  for (const auto& [name, table] : src.catalog->tables()) {
    if (table.is_sequence()) continue;
    f(ShownRelation{src.catalog->SchemaOid(table.schema), table.oid, table.name,
                    static_cast<char>(table.kind), nullptr, &table});
  }
}

Result<SystemRows> TablesRows(const SystemSource& src) {
  SystemRows rows;
  ForEachShownRelation(src, [&](const ShownRelation& r) {
    rows.push_back({Text(src.database), Text(NamespaceName(src, r.namespace_oid)), Text(r.name),
                    Text(r.kind == 'v' ? "VIEW" : "BASE TABLE"), Null(), Null(), Null(), Null(),
                    Null(), YesNoValue(r.kind == 'r'), YesNoValue(false), Null()});
  });
  return rows;
}

Result<SystemRows> ViewsRows(const SystemSource& src) {
  SystemRows rows;
  ForEachShownRelation(src, [&](const ShownRelation& r) {
    if (r.kind != 'v') return;
    // pg_get_viewdef(oid) (ruleutils' layout where engine/catalog/rule_deparse.h has one).
    Datum definition = Null();
    if (r.table != nullptr) {
      std::optional<std::string> text =
          RuleViewText(*r.table, *src.catalog, src.SearchPath(), false);
      definition = Text(text ? *text : r.table->view_sql);
    }
    rows.push_back({Text(src.database), Text(NamespaceName(src, r.namespace_oid)), Text(r.name),
                    std::move(definition), Text("NONE"), YesNoValue(false), YesNoValue(false),
                    YesNoValue(false), YesNoValue(false), YesNoValue(false)});
  });
  return rows;
}

// ---- columns ----------------------------------------------------------------------------------

// One column as the columns view reads it from pg_attribute and its neighbours.
struct ColumnFacts {
  std::string name;
  uint32_t type = 0;
  int32_t typmod = -1;
  std::string_view domain;  // information_schema's own columns
  bool not_null = false;
  Datum column_default;
  char identity = 0;
  std::string generation_expression;  // a generated column's; empty: not generated
  std::string collation;              // COLLATE "C" / "POSIX"; empty: the type's
  const SequenceDef* identity_sequence = nullptr;
};

// pg_get_expr's non-pretty form of an expression the catalog keeps in its pretty form: an
// operator expression in parentheses ("(a * 2)"), a column or a function call as it is.
std::string NonPrettyExpr(const std::string& text) {
  auto ident = [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '"';
  };
  size_t i = 0;
  while (i < text.size() && ident(text[i])) ++i;
  if (i == text.size()) return text;  // a column
  if (i > 0 && text[i] == '(' && text.back() == ')') {
    // A call: bare when its argument list's parenthesis closes at the end.
    int depth = 0;
    bool quoted = false;
    for (size_t k = i; k < text.size(); ++k) {
      if (text[k] == '\'') quoted = !quoted;
      if (quoted) continue;
      if (text[k] == '(') ++depth;
      if (text[k] == ')' && --depth == 0) return k + 1 == text.size() ? text : "(" + text + ")";
    }
  }
  return "(" + text + ")";
}

SystemRow ColumnRow(const SystemSource& src, const ShownRelation& r, int attnum,
                    const ColumnFacts& c) {
  const TypeFacts t = FactsOf(c.type, c.typmod);
  const BuiltinType* bt = FindBuiltinType(c.type);
  // A column's collation is its type's, or its domain's (information_schema's text domains are
  // COLLATE "C"; the engine has no COLLATE on columns); only a non-default one is shown.
  const bool c_collation =
      bt != nullptr &&
      (bt->collation == kCCollation || (!c.domain.empty() && bt->collation == kDefaultCollation));
  const std::string collation = !c.collation.empty() ? c.collation : c_collation ? "C" : "";
  const SequenceDef* q = c.identity_sequence;
  auto seq_text = [&](int64_t v) { return q != nullptr ? Text(std::to_string(v)) : Null(); };
  return {Text(src.database),
          Text(NamespaceName(src, r.namespace_oid)),
          Text(r.name),
          Text(c.name),
          Int(attnum),
          c.column_default,
          YesNoValue(!c.not_null),
          t.data_type,
          t.char_max_length,
          t.char_octet_length,
          t.numeric_precision,
          t.numeric_radix,
          t.numeric_scale,
          t.datetime_precision,
          t.interval_type,
          Null(),
          Null(),
          Null(),
          Null(),
          !collation.empty() ? Text(src.database) : Null(),
          !collation.empty() ? Text("pg_catalog") : Null(),
          !collation.empty() ? Text(collation) : Null(),
          c.domain.empty() ? Null() : Text(src.database),
          c.domain.empty() ? Null() : Text("information_schema"),
          c.domain.empty() ? Null() : Text(std::string(c.domain)),
          Text(src.database),
          Text("pg_catalog"),
          Text(t.udt_name),
          Null(),
          Null(),
          Null(),
          Null(),
          Text(std::to_string(attnum)),
          YesNoValue(false),
          YesNoValue(c.identity != 0),
          c.identity == 'a'   ? Text("ALWAYS")
          : c.identity == 'd' ? Text("BY DEFAULT")
                              : Null(),
          seq_text(q ? q->start : 0),
          seq_text(q ? q->increment : 0),
          seq_text(q ? q->max_value : 0),
          seq_text(q ? q->min_value : 0),
          YesNoValue(q != nullptr && q->cycle),
          Text(c.generation_expression.empty() ? "NEVER" : "ALWAYS"),
          c.generation_expression.empty() ? Null() : Text(c.generation_expression),
          YesNoValue(r.kind == 'r')};
}

// The sequence an identity column draws from (null: none).
const SequenceDef* IdentitySequence(const Catalog& catalog, const TableDef& table,
                                    const ColumnDef& col) {
  if (col.identity == 0) return nullptr;
  for (const auto& [name, t] : catalog.tables()) {
    if (t.is_sequence() && t.sequence.owned_by_table == RelationKey(table) &&
        t.sequence.owned_by_column == col.name) {
      return &t.sequence;
    }
  }
  return nullptr;
}

Result<SystemRows> ColumnsRows(const SystemSource& src) {
  SystemRows rows;
  ForEachShownRelation(src, [&](const ShownRelation& r) {
    int attnum = 0;
    if (r.system != nullptr) {
      for (const SystemColumn& sc : r.system->columns) {
        ColumnFacts c;
        c.name = std::string(sc.name);
        c.type = TypeOid(SqlType{sc.type, -1, sc.elem});
        c.typmod = sc.typmod;
        c.domain = sc.domain;
        c.not_null = r.kind == 'r';  // as pg_attribute shows it
        rows.push_back(ColumnRow(src, r, ++attnum, c));
      }
      return;
    }
    for (const ColumnDef& col : r.table->columns) {
      ColumnFacts c;
      c.name = col.name;
      c.type = TypeOid(col.type);
      c.typmod = col.type.typmod;
      c.not_null = col.not_null;
      // An identity column's nextval is not a default in PostgreSQL's catalogs.
      if (col.has_default && col.identity == 0) c.column_default = Text(DefaultExprText(col));
      c.identity = col.identity;
      c.identity_sequence = IdentitySequence(*src.catalog, *r.table, col);
      if (col.generated != 0) {
        c.column_default = Datum();
        c.generation_expression = NonPrettyExpr(DefaultExprText(col));
      }
      c.collation = col.collation;
      rows.push_back(ColumnRow(src, r, ++attnum, c));
    }
  });
  return rows;
}

// ---- sequences --------------------------------------------------------------------------------

// An identity column's sequence is an internal part of its table (pg_depend 'i'), which the
// sequences view leaves out; a SERIAL's sequence is shown.
bool IsIdentitySequence(const Catalog& catalog, const TableDef& seq) {
  if (seq.sequence.owned_by_table.empty()) return false;
  const TableDef* owner = catalog.Find(seq.sequence.owned_by_table);
  if (owner == nullptr) return false;
  const int c = owner->FindColumn(seq.sequence.owned_by_column);
  return c >= 0 && owner->columns[static_cast<size_t>(c)].identity != 0;
}

Result<SystemRows> SequencesRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!table.is_sequence() || IsIdentitySequence(*src.catalog, table)) continue;
    const SequenceDef& q = table.sequence;
    const uint32_t type = TypeOid(q.type);
    rows.push_back({Text(src.database), Text(table.schema), Text(table.name),
                    Text(FormatType(type, std::nullopt)), Maybe(NumericPrecision(type, -1)), Int(2),
                    Int(0), Text(std::to_string(q.start)), Text(std::to_string(q.min_value)),
                    Text(std::to_string(q.max_value)), Text(std::to_string(q.increment)),
                    YesNoValue(q.cycle)});
  }
  return rows;
}

// ---- routines ---------------------------------------------------------------------------------

constexpr size_t kRoutineColumns = 82;

Result<SystemRows> RoutinesRows(const SystemSource& src) {
  SystemRows rows;
  uint32_t n = 0;
  for (const functions::Builtin& f : functions::AllBuiltins()) {
    const uint32_t oid = kProcOidBase + n++;
    const uint32_t result = TypeOid(f.result);
    const TypeFacts t = FactsOf(result, -1);
    SystemRow row(kRoutineColumns);
    const std::string name(f.name);
    row[0] = Text(src.database);
    row[1] = Text("pg_catalog");
    row[2] = Text(name + "_" + std::to_string(oid));
    row[3] = Text(src.database);
    row[4] = Text("pg_catalog");
    row[5] = Text(name);
    row[6] = Text("FUNCTION");
    row[13] = t.data_type;
    row[28] = Text(src.database);
    row[29] = Text("pg_catalog");
    row[30] = Text(t.udt_name);
    row[35] = Text("0");
    row[36] = Text("EXTERNAL");
    row[37] = Text(name);  // prosrc of an internal function: its C symbol, the name here
    row[39] = Text("INTERNAL");
    row[40] = Text("GENERAL");
    row[41] = YesNoValue(f.foldable && !f.is_volatile);
    row[42] = Text("MODIFIES");
    row[43] = YesNoValue(f.strict);
    row[45] = YesNoValue(true);
    row[46] = Int(0);
    row[49] = Text("INVOKER");
    row[53] = YesNoValue(false);
    row[57] = YesNoValue(false);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

void AddInformationSchemaRelations(std::vector<SystemRelation>& out) {
  // The oids are PostgreSQL 15's as initdb assigns them in a default build.
  out.push_back({"schemata",
                 13382,
                 'v',
                 {Id("catalog_name"), Id("schema_name"), Id("schema_owner"),
                  Id("default_character_set_catalog"), Id("default_character_set_schema"),
                  Id("default_character_set_name"), Chars("sql_path")},
                 SchemataRows,
                 kInformationSchemaNamespace});
  out.push_back({"tables",
                 13425,
                 'v',
                 {Id("table_catalog"), Id("table_schema"), Id("table_name"), Chars("table_type"),
                  Id("self_referencing_column_name"), Chars("reference_generation"),
                  Id("user_defined_type_catalog"), Id("user_defined_type_schema"),
                  Id("user_defined_type_name"), YesNo("is_insertable_into"), YesNo("is_typed"),
                  Chars("commit_action")},
                 TablesRows,
                 kInformationSchemaNamespace});
  out.push_back({"columns",
                 13295,
                 'v',
                 {Id("table_catalog"),
                  Id("table_schema"),
                  Id("table_name"),
                  Id("column_name"),
                  Card("ordinal_position"),
                  Chars("column_default"),
                  YesNo("is_nullable"),
                  Chars("data_type"),
                  Card("character_maximum_length"),
                  Card("character_octet_length"),
                  Card("numeric_precision"),
                  Card("numeric_precision_radix"),
                  Card("numeric_scale"),
                  Card("datetime_precision"),
                  Chars("interval_type"),
                  Card("interval_precision"),
                  Id("character_set_catalog"),
                  Id("character_set_schema"),
                  Id("character_set_name"),
                  Id("collation_catalog"),
                  Id("collation_schema"),
                  Id("collation_name"),
                  Id("domain_catalog"),
                  Id("domain_schema"),
                  Id("domain_name"),
                  Id("udt_catalog"),
                  Id("udt_schema"),
                  Id("udt_name"),
                  Id("scope_catalog"),
                  Id("scope_schema"),
                  Id("scope_name"),
                  Card("maximum_cardinality"),
                  Id("dtd_identifier"),
                  YesNo("is_self_referencing"),
                  YesNo("is_identity"),
                  Chars("identity_generation"),
                  Chars("identity_start"),
                  Chars("identity_increment"),
                  Chars("identity_maximum"),
                  Chars("identity_minimum"),
                  YesNo("identity_cycle"),
                  Chars("is_generated"),
                  Chars("generation_expression"),
                  YesNo("is_updatable")},
                 ColumnsRows,
                 kInformationSchemaNamespace});
  out.push_back({"views",
                 13483,
                 'v',
                 {Id("table_catalog"), Id("table_schema"), Id("table_name"),
                  Chars("view_definition"), Chars("check_option"), YesNo("is_updatable"),
                  YesNo("is_insertable_into"), YesNo("is_trigger_updatable"),
                  YesNo("is_trigger_deletable"), YesNo("is_trigger_insertable_into")},
                 ViewsRows,
                 kInformationSchemaNamespace});
  out.push_back({"sequences",
                 13386,
                 'v',
                 {Id("sequence_catalog"), Id("sequence_schema"), Id("sequence_name"),
                  Chars("data_type"), Card("numeric_precision"), Card("numeric_precision_radix"),
                  Card("numeric_scale"), Chars("start_value"), Chars("minimum_value"),
                  Chars("maximum_value"), Chars("increment"), YesNo("cycle_option")},
                 SequencesRows,
                 kInformationSchemaNamespace});
  // time_stamp (timestamptz(2)) for created / last_altered, always NULL here as in PostgreSQL.
  const SystemColumn stamp{"", TypeId::kTimestampTz, "time_stamp", 2};
  auto at = [&](std::string_view name) {
    SystemColumn c = stamp;
    c.name = name;
    return c;
  };
  out.push_back({"routines",
                 13377,
                 'v',
                 {Id("specific_catalog"),
                  Id("specific_schema"),
                  Id("specific_name"),
                  Id("routine_catalog"),
                  Id("routine_schema"),
                  Id("routine_name"),
                  Chars("routine_type"),
                  Id("module_catalog"),
                  Id("module_schema"),
                  Id("module_name"),
                  Id("udt_catalog"),
                  Id("udt_schema"),
                  Id("udt_name"),
                  Chars("data_type"),
                  Card("character_maximum_length"),
                  Card("character_octet_length"),
                  Id("character_set_catalog"),
                  Id("character_set_schema"),
                  Id("character_set_name"),
                  Id("collation_catalog"),
                  Id("collation_schema"),
                  Id("collation_name"),
                  Card("numeric_precision"),
                  Card("numeric_precision_radix"),
                  Card("numeric_scale"),
                  Card("datetime_precision"),
                  Chars("interval_type"),
                  Card("interval_precision"),
                  Id("type_udt_catalog"),
                  Id("type_udt_schema"),
                  Id("type_udt_name"),
                  Id("scope_catalog"),
                  Id("scope_schema"),
                  Id("scope_name"),
                  Card("maximum_cardinality"),
                  Id("dtd_identifier"),
                  Chars("routine_body"),
                  Chars("routine_definition"),
                  Chars("external_name"),
                  Chars("external_language"),
                  Chars("parameter_style"),
                  YesNo("is_deterministic"),
                  Chars("sql_data_access"),
                  YesNo("is_null_call"),
                  Chars("sql_path"),
                  YesNo("schema_level_routine"),
                  Card("max_dynamic_result_sets"),
                  YesNo("is_user_defined_cast"),
                  YesNo("is_implicitly_invocable"),
                  Chars("security_type"),
                  Id("to_sql_specific_catalog"),
                  Id("to_sql_specific_schema"),
                  Id("to_sql_specific_name"),
                  YesNo("as_locator"),
                  at("created"),
                  at("last_altered"),
                  YesNo("new_savepoint_level"),
                  YesNo("is_udt_dependent"),
                  Chars("result_cast_from_data_type"),
                  YesNo("result_cast_as_locator"),
                  Card("result_cast_char_max_length"),
                  Card("result_cast_char_octet_length"),
                  Id("result_cast_char_set_catalog"),
                  Id("result_cast_char_set_schema"),
                  Id("result_cast_char_set_name"),
                  Id("result_cast_collation_catalog"),
                  Id("result_cast_collation_schema"),
                  Id("result_cast_collation_name"),
                  Card("result_cast_numeric_precision"),
                  Card("result_cast_numeric_precision_radix"),
                  Card("result_cast_numeric_scale"),
                  Card("result_cast_datetime_precision"),
                  Chars("result_cast_interval_type"),
                  Card("result_cast_interval_precision"),
                  Id("result_cast_type_udt_catalog"),
                  Id("result_cast_type_udt_schema"),
                  Id("result_cast_type_udt_name"),
                  Id("result_cast_scope_catalog"),
                  Id("result_cast_scope_schema"),
                  Id("result_cast_scope_name"),
                  Card("result_cast_maximum_cardinality"),
                  Id("result_cast_dtd_identifier")},
                 RoutinesRows,
                 kInformationSchemaNamespace});
  SQLRITE_ASSERT(out.back().columns.size() == kRoutineColumns);
}

}  // namespace sqlrite::engine::catalog
