// pg_depend, as far as the catalog records dependencies psql and pg_dump read: a sequence owned
// by a column (SERIAL's 'a' auto dependency, an identity column's 'i' internal one, OWNED BY's
// 'a'), each row the sequence (classid pg_class, objid) on its table's column (refobjid,
// refobjsubid = attnum); and a view's query, as PostgreSQL records it through the view's ON SELECT
// rule (pg_rewrite's "_RETURN" row, also here): the rule on its view ('i') and on each relation
// the query reads ('n', the whole relation: PostgreSQL adds a row per column read too), which is
// what orders a view after its tables in pg_dump's output; and a column default on its column
// and on the sequence its nextval names. Other dependencies (indexes, constraints, types) are
// not listed yet.

#include <string>
#include <string_view>

#include "engine/catalog/system_relation.h"

namespace sqlrite::engine::catalog {
namespace {

constexpr uint32_t kPgClassOid = 1259;
constexpr uint32_t kPgRewriteOid = 2618;
constexpr uint32_t kPgAttrdefOid = 2604;

// The sequence a default's nextval('name') names (a bare name is one of public), or null.
const TableDef* NextvalSequence(const Catalog& catalog, const std::string& sql) {
  constexpr std::string_view kCall = "nextval('";
  if (!sql.starts_with(kCall)) return nullptr;
  const size_t end = sql.find('\'', kCall.size());
  if (end == std::string::npos) return nullptr;
  std::string name = sql.substr(kCall.size(), end - kCall.size());
  std::string schema(kPublicSchema);
  if (const size_t dot = name.find('.'); dot != std::string::npos) {
    schema = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  for (std::string* part : {&schema, &name}) {
    if (part->size() >= 2 && part->front() == '"' && part->back() == '"') {
      *part = part->substr(1, part->size() - 2);
    }
  }
  const TableDef* seq = catalog.Find(RelationKey(schema, name));
  return seq != nullptr && seq->is_sequence() ? seq : nullptr;
}

using row_shorthands::O;

Result<SystemRows> DependRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, table] : src.catalog->tables()) {
    if (!table.is_sequence() || table.sequence.owned_by_table.empty()) continue;
    const TableDef* owner = src.catalog->Find(table.sequence.owned_by_table);
    if (owner == nullptr) continue;
    for (size_t c = 0; c < owner->columns.size(); ++c) {
      const ColumnDef& column = owner->columns[c];
      if (column.name != table.sequence.owned_by_column) continue;
      rows.push_back({O(kPgClassOid), O(table.oid), Datum(int64_t{0}), O(kPgClassOid),
                      O(owner->oid), Datum(static_cast<int64_t>(c + 1)),
                      Datum(std::string(1, column.identity != 0 ? 'i' : 'a'))});
    }
  }
  // A column default (pg_attrdef) on its column ('a'), and on the sequence its nextval names
  // ('n'): what makes pg_dump write a SERIAL column's default after its sequence.
  for (const auto& [name, table] : src.catalog->tables()) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const ColumnDef& column = table.columns[c];
      if (!column.has_default || column.identity != 0) continue;
      const int attnum = static_cast<int>(c) + 1;
      const uint32_t attrdef = AttrdefOid(table, attnum);
      rows.push_back({O(kPgAttrdefOid), O(attrdef), Datum(int64_t{0}), O(kPgClassOid), O(table.oid),
                      Datum(int64_t{attnum}), Datum(std::string("a"))});
      if (const TableDef* seq = NextvalSequence(*src.catalog, column.default_sql)) {
        rows.push_back({O(kPgAttrdefOid), O(attrdef), Datum(int64_t{0}), O(kPgClassOid),
                        O(seq->oid), Datum(int64_t{0}), Datum(std::string("n"))});
      }
    }
  }
  for (const auto& [name, view] : src.catalog->tables()) {
    if (!view.is_view()) continue;
    const uint32_t rule = RewriteOid(view);
    auto add = [&](uint32_t ref, char type) {
      rows.push_back({O(kPgRewriteOid), O(rule), Datum(int64_t{0}), O(kPgClassOid), O(ref),
                      Datum(int64_t{0}), Datum(std::string(1, type))});
    };
    add(view.oid, 'i');
    for (uint32_t ref : view.view_depends) add(ref, 'n');
  }
  return rows;
}

// pg_rewrite: each view's ON SELECT rule, "_RETURN" (its action is not shown: ev_action NULL).
Result<SystemRows> RewriteRows(const SystemSource& src) {
  SystemRows rows;
  for (const auto& [name, view] : src.catalog->tables()) {
    if (!view.is_view()) continue;
    rows.push_back({O(RewriteOid(view)), Datum(std::string("_RETURN")), O(view.oid),
                    Datum(std::string("1")), Datum(std::string("O")), Datum(true),
                    Datum(std::string("<>")), Datum()});
  }
  return rows;
}

}  // namespace

void AddDependRelation(std::vector<SystemRelation>& out) {
  out.push_back({"pg_depend",
                 2608,
                 'r',
                 {{"classid", TypeId::kOid},
                  {"objid", TypeId::kOid},
                  {"objsubid", TypeId::kInt4},
                  {"refclassid", TypeId::kOid},
                  {"refobjid", TypeId::kOid},
                  {"refobjsubid", TypeId::kInt4},
                  {"deptype", TypeId::kChar}},
                 DependRows});
  out.push_back({"pg_rewrite",
                 2618,
                 'r',
                 {{"oid", TypeId::kOid},
                  {"rulename", TypeId::kName},
                  {"ev_class", TypeId::kOid},
                  {"ev_type", TypeId::kChar},
                  {"ev_enabled", TypeId::kChar},
                  {"is_instead", TypeId::kBool},
                  {"ev_qual", TypeId::kText},
                  {"ev_action", TypeId::kText}},
                 RewriteRows});
}

}  // namespace sqlrite::engine::catalog
