// SET / RESET / SHOW of run-time parameters. Values are kept as text, the way PostgreSQL hands
// them to its GUC machinery; the executor interprets them.

#include <cctype>
#include <string>
#include <utility>

#include "engine/sql/interval_setting.h"
#include "engine/sql/quote_ident.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Status ReadTransactionModes(const Transformer& t, PgQuery__Node* const* options, size_t n,
                            std::vector<ast::TransactionMode>* modes);

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The settings PostgreSQL declares GUC_LIST_QUOTE: SET flattens each string element of their
// value with quote_identifier (flatten_set_variable_args), so `SET search_path = a, '', "B c"`
// stores and SHOWs `a, "", "B c"`, and names holding commas or spaces survive the split.
bool ListQuoted(std::string_view name) {
  return name == "search_path" || name == "temp_tablespaces" ||
         name == "session_preload_libraries" || name == "shared_preload_libraries" ||
         name == "local_preload_libraries";
}

}  // namespace

Result<ast::Statement> Transformer::TransformVariableSet(const PgQuery__VariableSetStmt& stmt) {
  ast::SetVariable set;
  set.name = Lower(stmt.name != nullptr ? stmt.name : "");
  set.local = stmt.is_local;
  switch (stmt.kind) {
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
      set.reset = true;
      set.reset_command = stmt.kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET;
      return ast::Statement(std::move(set));
    case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
      set.name = "all";
      set.reset = true;
      set.reset_command = true;
      return ast::Statement(std::move(set));
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_MULTI: {
      // SET TRANSACTION ... and SET SESSION CHARACTERISTICS AS TRANSACTION ...: the grammar
      // names them in lower case with spaces; the engine sets each mode's parameter in turn.
      if (set.name != "transaction" && set.name != "session characteristics") {
        return Unsupported("SET " + std::string(stmt.name != nullptr ? stmt.name : ""));
      }
      SQLRITE_TRY(ReadTransactionModes(*this, stmt.args, stmt.n_args, &set.modes));
      return ast::Statement(std::move(set));
    }
    case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
      break;
    default:
      return Unsupported("SET ... FROM CURRENT");
  }

  for (size_t i = 0; i < stmt.n_args; ++i) {
    const PgQuery__Node* arg = stmt.args[i];
    // SET TIME ZONE INTERVAL '...' [qualifier]: as PostgreSQL's flatten_set_variable_args, the
    // value is the text "INTERVAL '...'" that the TimeZone check reads; the executor reads the
    // literal under the qualifier's typmod first (engine/sql/interval_setting.h).
    if (arg->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && arg->type_cast->type_name != nullptr &&
        arg->type_cast->arg != nullptr &&
        arg->type_cast->arg->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        arg->type_cast->arg->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
      SQLRITE_ASSIGN_OR_RETURN(SqlType type, TransformTypeName(*arg->type_cast->type_name));
      const PgQuery__AConst& c = *arg->type_cast->arg->a_const;
      if (type.id != TypeId::kInterval || c.sval == nullptr || c.sval->sval == nullptr) {
        return Unsupported("this SET value");
      }
      if (i > 0) set.value += ", ";
      set.value += "INTERVAL '" + std::string(c.sval->sval) + "'";
      if (stmt.n_args == 1 && type.typmod >= 0) {
        set.value = ast::WithIntervalTypmod(std::move(set.value), type.typmod);
      }
      continue;
    }
    if (arg->node_case != PG_QUERY__NODE__NODE_A_CONST) {
      return Unsupported("this SET value");
    }
    const PgQuery__AConst& c = *arg->a_const;
    if (i > 0) set.value += ", ";
    switch (c.val_case) {
      case PG_QUERY__A__CONST__VAL_SVAL: {
        const std::string text = c.sval != nullptr && c.sval->sval != nullptr ? c.sval->sval : "";
        set.value += ListQuoted(set.name) ? QuoteIdent(text) : text;
        break;
      }
      case PG_QUERY__A__CONST__VAL_IVAL:
        set.value += std::to_string(c.ival != nullptr ? c.ival->ival : 0);
        break;
      case PG_QUERY__A__CONST__VAL_FVAL:
        if (c.fval != nullptr && c.fval->fval != nullptr) set.value += c.fval->fval;
        break;
      case PG_QUERY__A__CONST__VAL_BOOLVAL:
        set.value += c.boolval != nullptr && c.boolval->boolval ? "on" : "off";
        break;
      default:
        return Unsupported("this SET value", c.location);
    }
  }
  return ast::Statement(std::move(set));
}

Result<ast::Statement> Transformer::TransformVariableShow(const PgQuery__VariableShowStmt& stmt) {
  ast::ShowVariable show;
  show.name = Lower(stmt.name != nullptr ? stmt.name : "");
  return ast::Statement(std::move(show));
}

}  // namespace sqlrite::engine::sql
