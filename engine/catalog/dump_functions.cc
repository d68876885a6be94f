// The functions pg_dump calls that psql does not: set_config, pg_is_in_recovery, acldefault,
// pg_get_viewdef, pg_options_to_table and name's subscript, with PostgreSQL 15's names and
// results.
//
// Where the engine has less than PostgreSQL: acldefault returns aclitem[]'s text form as text
// (there is no aclitem type; the privileges are PostgreSQL's defaults for an owner, which is all
// any object has without GRANT); a reported parameter set_config changes sends no
// ParameterStatus; pg_get_viewdef gives ruleutils' layout for the queries
// engine/catalog/rule_deparse.h prints, else the engine's one-line deparse of the view's query
// (every relation qualified).

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "engine/catalog/rule_deparse.h"
#include "engine/catalog/system_relation.h"
#include "engine/functions/builtin.h"
#include "engine/record_type.h"
#include "engine/session.h"
#include "engine/session_scope.h"
#include "engine/sql/rename_refs.h"
#include "engine/type_shorthands.h"
#include "engine/types/array.h"

namespace sqlrite::engine::catalog {
namespace {

using functions::Builtin;
using functions::CallArgs;
using functions::Fn;
using functions::RowGenerator;
using functions::SetFn;

// set_config(name, value, is_local): SET [LOCAL] name = value with SET's checks (SetParameter:
// a transaction mode changed after the block's first query is 25001), answered with the value
// SHOW now gives; a transaction mode outside a block, with the value set (it holds for the
// statement's own implicit transaction, as in PostgreSQL).
Result<Datum> SetConfig(const CallArgs& a) {
  Session* session = CurrentSession();
  if (session == nullptr) {
    return Fail(sqlstate::kFeatureNotSupported, "set_config is not supported in this context");
  }
  std::string name = std::get<std::string>(a.values[0]);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& value = std::get<std::string>(a.values[1]);
  if (std::get<bool>(a.values[2])) {
    // is_local: as SET LOCAL, the value before the transaction's first local change is what its
    // end restores (a block's COMMIT / ROLLBACK, or outside a block the end of this statement,
    // its implicit transaction: engine/cluster.cc).
    const Session::Settings& now = session->settings();
    if (auto it = now.find(name); it != now.end()) {
      session->tx().local_settings.try_emplace(it->first, it->second);
    }
  }
  SQLRITE_TRY(session->SetParameter(name, value, /*reset=*/false, nullptr));
  const bool mode = name == "transaction_isolation" || name == "transaction_read_only" ||
                    name == "transaction_deferrable";
  if (mode && !session->tx().in_block) {
    SQLRITE_ASSIGN_OR_RETURN(std::string normalized, session->Validate(name, value));
    return Datum(std::move(normalized));
  }
  return Datum(session->Get(name));
}

Result<Datum> False(const CallArgs&) { return Datum(false); }

// acldefault(objtype, owner): PostgreSQL 15's acldefault() for an owner, in aclitem[]'s text form.
Result<Datum> AclDefault(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("acldefault"));
  const auto& type = std::get<std::string>(a.values[0]);
  const auto owner = static_cast<uint32_t>(std::get<int64_t>(a.values[1]));
  const RoleFacts* role = src->RoleByOid(owner);
  const std::string who = role != nullptr ? QuoteIdent(role->name) : std::to_string(owner);
  const char kind = type.empty() ? ' ' : type[0];
  // The owner's privileges, and what PUBLIC gets by default (functions: EXECUTE; types and
  // languages: USAGE; databases: TEMPORARY and CONNECT).
  std::string owner_privileges, public_privileges;
  switch (kind) {
    case 'r':
      owner_privileges = "arwdDxt";
      break;
    case 's':
      owner_privileges = "rwU";
      break;
    case 'd':
      owner_privileges = "CTc";
      public_privileges = "Tc";
      break;
    case 'f':
      owner_privileges = "X";
      public_privileges = "X";
      break;
    case 'l':
      owner_privileges = "U";
      public_privileges = "U";
      break;
    case 'L':
      owner_privileges = "rw";
      break;
    case 'n':
      owner_privileges = "UC";
      break;
    case 't':
      owner_privileges = "C";
      break;
    case 'F':  // foreign data wrappers and foreign servers: USAGE
    case 'S':
      owner_privileges = "U";
      break;
    case 'T':
      owner_privileges = "U";
      public_privileges = "U";
      break;
    case 'p':
      owner_privileges = "sA";
      break;
    default:
      return Fail(sqlstate::kInternalError, "unrecognized object type abbreviation: " + type);
  }
  std::string out = "{";
  if (!public_privileges.empty()) out += "=" + public_privileges + "/" + who + ",";
  out += who + "=" + owner_privileges + "/" + who + "}";
  return Datum(std::move(out));
}

// pg_get_viewdef(view [, pretty]): " SELECT ...;", every relation qualified (pg_dump restores
// with an empty search_path); NULL for an oid that is no view.
Result<Datum> ViewDef(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(auto src, RequireSystemSource("pg_get_viewdef"));
  const auto oid = static_cast<uint32_t>(std::get<int64_t>(a.values[0]));
  const TableDef* def = FindTableByOid(*src->catalog, oid);
  if (def == nullptr || !def->is_view()) return Datum();
  const bool pretty = a.values.size() > 1 && std::holds_alternative<bool>(a.values[1]) &&
                      std::get<bool>(a.values[1]);
  if (std::optional<std::string> text =
          RuleViewText(*def, *src->catalog, src->SearchPath(), pretty)) {
    return Datum(std::move(*text));
  }
  SQLRITE_ASSIGN_OR_RETURN(
      std::string sql,
      sql::QualifyTablesInQuery(
          def->view_sql,
          [](std::string_view name) {
            return std::string(FindSystemRelation(name) != nullptr ? "pg_catalog" : "public");
          },
          /*qualify_public=*/true));
  return Datum(" " + sql + ";");
}

// pg_get_ruledef(rule [, pretty]): NULL, the answer for an oid that is no rule; the engine has
// no rules (pg_rewrite is empty), and psql's \d+ VIEW asks for the view's other rules by it.
Result<Datum> RuleDef(const CallArgs&) { return Datum(); }

// name's subscript: name is a fixed char[64] in PostgreSQL, so name[i] (0-based) is its i-th
// byte as "char" (the empty "char" past the string's end), NULL outside 0..63 (pg_dump's
// typname[0] = '_').
Result<Datum> NameByte(const CallArgs& a) {
  const auto& name = std::get<std::string>(a.values[0]);
  const int64_t i = std::get<int64_t>(a.values[1]);
  if (i < 0 || i > 63) return Datum();
  if (static_cast<size_t>(i) >= name.size()) return Datum(std::string());
  return Datum(std::string(1, name[static_cast<size_t>(i)]));
}

// pg_options_to_table(options): an (option_name, option_value) row per "name=value" element.
class OptionRows final : public RowGenerator {
 public:
  explicit OptionRows(Datum array) : array_(std::move(array)) {}
  Result<bool> Next(Datum& out) override {
    const ArrayValue& v = *DatumAs<ArrayRef>(array_);
    while (next_ < v.items.size() && IsNull(v.items[next_])) ++next_;
    if (next_ == v.items.size()) return false;
    const auto& item = std::get<std::string>(v.items[next_++]);
    const size_t eq = item.find('=');
    out = record::Make(record::kOptionsToTable,
                       {Datum(item.substr(0, eq)),
                        eq == std::string::npos ? Datum() : Datum(item.substr(eq + 1))});
    return true;
  }

 private:
  Datum array_;
  size_t next_ = 0;
};

Result<std::unique_ptr<RowGenerator>> OptionsToTable(const CallArgs& a) {
  return std::unique_ptr<RowGenerator>(std::make_unique<OptionRows>(a.values[0]));
}

Builtin Volatile(Builtin b) {
  b.foldable = false;
  b.is_volatile = true;
  return b;
}
using functions::Stable;

}  // namespace
}  // namespace sqlrite::engine::catalog

namespace sqlrite::engine::functions {

void AddDumpFunctions(std::vector<Builtin>& out) {
  using namespace catalog;  // NOLINT(google-build-using-namespace): the family's own names
  using type_shorthands::kBool;
  using type_shorthands::kOid;
  using type_shorthands::kText;
  out.push_back(Volatile(Fn("set_config", {kText, kText, kBool}, kText, SetConfig)));
  out.push_back(Volatile(Fn("pg_is_in_recovery", {}, kBool, False)));
  out.push_back(Stable(Fn("acldefault", {TypeId::kChar, kOid}, kText, AclDefault)));
  out.push_back(Stable(Fn("pg_get_ruledef", {kOid}, kText, RuleDef)));
  out.push_back(Stable(Fn("pg_get_ruledef", {kOid, kBool}, kText, RuleDef)));
  out.push_back(Stable(Fn("pg_get_viewdef", {kOid}, kText, ViewDef)));
  out.push_back(Stable(Fn("pg_get_viewdef", {kOid, kBool}, kText, ViewDef)));
  out.push_back(Fn("[]", {TypeId::kName, TypeId::kInt4}, TypeId::kChar, NameByte));
  Builtin options =
      SetFn("pg_options_to_table", {TypeId::kAnyArray}, TypeId::kRecord, OptionsToTable);
  options.result_typmod = record::kOptionsToTable;
  out.push_back(options);
}

}  // namespace sqlrite::engine::functions
