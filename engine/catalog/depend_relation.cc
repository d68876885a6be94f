// pg_depend, as far as the catalog records dependencies psql reads: a sequence owned by a column
// (SERIAL's 'a' auto dependency, an identity column's 'i' internal one, OWNED BY's 'a'), each
// row the sequence (classid pg_class, objid) on its table's column (refobjid, refobjsubid =
// attnum). Other dependencies (indexes, constraints, views, types) are not listed yet.

#include <string>

#include "engine/catalog/system_relation.h"

namespace sqlrite::engine::catalog {
namespace {

constexpr uint32_t kPgClassOid = 1259;

Datum O(uint32_t v) { return Datum(int64_t{v}); }

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
}

}  // namespace sqlrite::engine::catalog
