// EXPLAIN [(option [value], ...)] SELECT ...: the SELECT, marked to be explained. Options: COSTS
// [boolean]; ANALYZE, VERBOSE, BUFFERS, FORMAT and the rest are refused until they exist.

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformExplain(const PgQuery__ExplainStmt& stmt) {
  ast::ExplainOptions options;
  for (size_t i = 0; i < stmt.n_options; ++i) {
    if (stmt.options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) {
      return Unsupported("this EXPLAIN option");
    }
    const PgQuery__DefElem& def = *stmt.options[i]->def_elem;
    const std::string name = def.defname != nullptr ? def.defname : "";
    if (name != "costs") {
      if (name == "analyze" || name == "verbose" || name == "buffers" || name == "format" ||
          name == "settings" || name == "wal" || name == "timing" || name == "summary") {
        return Unsupported("EXPLAIN option " + name, def.location);
      }
      return ErrorAt(sqlstate::kSyntaxError, "unrecognized EXPLAIN option \"" + name + "\"",
                     def.location);
    }
    // PostgreSQL's defGetBoolean: no value is true; on/off, true/false, yes/no, 1/0.
    bool value = true;
    if (def.arg != nullptr) {
      std::string text;
      if (def.arg->node_case == PG_QUERY__NODE__NODE_STRING && def.arg->string->sval != nullptr) {
        text = def.arg->string->sval;
      } else if (def.arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN) {
        text = def.arg->boolean->boolval ? "true" : "false";
      } else if (def.arg->node_case == PG_QUERY__NODE__NODE_INTEGER) {
        text = std::to_string(def.arg->integer->ival);
      }
      if (text == "true" || text == "on" || text == "yes" || text == "1") {
        value = true;
      } else if (text == "false" || text == "off" || text == "no" || text == "0") {
        value = false;
      } else {
        return ErrorAt(sqlstate::kInvalidParameterValue, name + " requires a Boolean value",
                       def.location);
      }
    }
    options.costs = value;
  }
  if (stmt.query == nullptr || stmt.query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("EXPLAIN of this statement");
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::Select select, TransformSelect(*stmt.query->select_stmt));
  select.explain = options;
  return ast::Statement(std::move(select));
}

}  // namespace sqlrite::engine::sql
