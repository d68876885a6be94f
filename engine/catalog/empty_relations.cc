// Relations psql and drivers read that describe features the engine does not have (inheritance,
// triggers, row security, rules, extended statistics, publications, partitioning, foreign
// tables, collations beyond the default): PostgreSQL 15's columns, never a row. Array-typed
// columns (polroles, stxkind, ...) are text in their output form (prattrs is an int2vector), as in
// engine/catalog/.

#include "engine/catalog/system_relation.h"

namespace sqlrite::engine::catalog {
namespace {

constexpr TypeId kOid = TypeId::kOid;
constexpr TypeId kName = TypeId::kName;
constexpr TypeId kChar = TypeId::kChar;
constexpr TypeId kBool = TypeId::kBool;
constexpr TypeId kI2 = TypeId::kInt2;
constexpr TypeId kI4 = TypeId::kInt4;
constexpr TypeId kText = TypeId::kText;

Result<SystemRows> NoRows(const SystemSource&) { return SystemRows{}; }

}  // namespace

void AddEmptyRelations(std::vector<SystemRelation>& out) {
  out.push_back(
      {"pg_inherits",
       2611,
       'r',
       {{"inhrelid", kOid}, {"inhparent", kOid}, {"inhseqno", kI4}, {"inhdetachpending", kBool}},
       NoRows});
  out.push_back({"pg_trigger",
                 2620,
                 'r',
                 {{"oid", kOid},
                  {"tgrelid", kOid},
                  {"tgparentid", kOid},
                  {"tgname", kName},
                  {"tgfoid", kOid},
                  {"tgtype", kI2},
                  {"tgenabled", kChar},
                  {"tgisinternal", kBool},
                  {"tgconstrrelid", kOid},
                  {"tgconstrindid", kOid},
                  {"tgconstraint", kOid},
                  {"tgdeferrable", kBool},
                  {"tginitdeferred", kBool},
                  {"tgnargs", kI2},
                  {"tgattr", kText},
                  {"tgargs", kText},
                  {"tgqual", kText},
                  {"tgoldtable", kName},
                  {"tgnewtable", kName}},
                 NoRows});
  out.push_back({"pg_policy",
                 3256,
                 'r',
                 {{"oid", kOid},
                  {"polname", kName},
                  {"polrelid", kOid},
                  {"polcmd", kChar},
                  {"polpermissive", kBool},
                  {"polroles", kText},
                  {"polqual", kText},
                  {"polwithcheck", kText}},
                 NoRows});
  out.push_back({"pg_rewrite",
                 2618,
                 'r',
                 {{"oid", kOid},
                  {"rulename", kName},
                  {"ev_class", kOid},
                  {"ev_type", kChar},
                  {"ev_enabled", kChar},
                  {"is_instead", kBool},
                  {"ev_qual", kText},
                  {"ev_action", kText}},
                 NoRows});
  out.push_back({"pg_statistic_ext",
                 3381,
                 'r',
                 {{"oid", kOid},
                  {"stxrelid", kOid},
                  {"stxname", kName},
                  {"stxnamespace", kOid},
                  {"stxowner", kOid},
                  {"stxstattarget", kI4},
                  {"stxkeys", kText},
                  {"stxkind", kText},
                  {"stxexprs", kText}},
                 NoRows});
  out.push_back({"pg_publication",
                 6104,
                 'r',
                 {{"oid", kOid},
                  {"pubname", kName},
                  {"pubowner", kOid},
                  {"puballtables", kBool},
                  {"pubinsert", kBool},
                  {"pubupdate", kBool},
                  {"pubdelete", kBool},
                  {"pubtruncate", kBool},
                  {"pubviaroot", kBool}},
                 NoRows});
  out.push_back({"pg_publication_rel",
                 6106,
                 'r',
                 {{"oid", kOid},
                  {"prpubid", kOid},
                  {"prrelid", kOid},
                  {"prqual", kText},
                  {"prattrs", TypeId::kInt2Vector}},
                 NoRows});
  out.push_back({"pg_publication_namespace",
                 6237,
                 'r',
                 {{"oid", kOid}, {"pnpubid", kOid}, {"pnnspid", kOid}},
                 NoRows});
  out.push_back({"pg_partitioned_table",
                 3350,
                 'r',
                 {{"partrelid", kOid},
                  {"partstrat", kChar},
                  {"partnatts", kI2},
                  {"partdefid", kOid},
                  {"partattrs", kText},
                  {"partclass", kText},
                  {"partcollation", kText},
                  {"partexprs", kText}},
                 NoRows});
  out.push_back({"pg_foreign_table",
                 3118,
                 'r',
                 {{"ftrelid", kOid}, {"ftserver", kOid}, {"ftoptions", kText}},
                 NoRows});
  out.push_back({"pg_collation",
                 3456,
                 'r',
                 {{"oid", kOid},
                  {"collname", kName},
                  {"collnamespace", kOid},
                  {"collowner", kOid},
                  {"collprovider", kChar},
                  {"collisdeterministic", kBool},
                  {"collencoding", kI4},
                  {"collcollate", kText},
                  {"collctype", kText},
                  {"colliculocale", kText},
                  {"collversion", kText}},
                 NoRows});
}

}  // namespace sqlrite::engine::catalog
