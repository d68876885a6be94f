// EXPLAIN [ANALYZE] [(option [value], ...)] SELECT ...: the SELECT, marked to be explained (with
// ANALYZE also an INSERT, UPDATE or DELETE).
// Options: COSTS, ANALYZE, TIMING, SUMMARY and BUFFERS [boolean] (BUFFERS is accepted and shows
// nothing: SQLRite keeps no buffer counts); VERBOSE, FORMAT and the rest are refused until they
// exist. TIMING and SUMMARY default to ANALYZE's value, and TIMING without ANALYZE is
// PostgreSQL's 22023, as its ExplainQuery checks.

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

Result<ast::Statement> Transformer::TransformExplain(const PgQuery__ExplainStmt& stmt) {
  ast::ExplainOptions options;
  std::optional<bool> timing, summary;
  for (size_t i = 0; i < stmt.n_options; ++i) {
    if (stmt.options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) {
      return Unsupported("this EXPLAIN option");
    }
    const PgQuery__DefElem& def = *stmt.options[i]->def_elem;
    const std::string name = def.defname != nullptr ? def.defname : "";
    if (name != "costs" && name != "analyze" && name != "timing" && name != "summary" &&
        name != "buffers") {
      if (name == "verbose" || name == "format" || name == "settings" || name == "wal") {
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
    if (name == "costs") {
      options.costs = value;
    } else if (name == "analyze") {
      options.analyze = value;
    } else if (name == "timing") {
      timing = value;
    } else if (name == "summary") {
      summary = value;
    } else {
      options.buffers = value;
    }
  }
  options.timing = timing.value_or(options.analyze);
  if (options.timing && !options.analyze) {
    return Fail(sqlstate::kInvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE");
  }
  options.summary = summary.value_or(options.analyze);
  if (stmt.query != nullptr && options.analyze) {
    // EXPLAIN ANALYZE of a write runs it (engine/explain_write.h); a plain EXPLAIN of one has
    // no plan to show yet.
    std::optional<Result<ast::Statement>> write;
    switch (stmt.query->node_case) {
      case PG_QUERY__NODE__NODE_INSERT_STMT:
        write = TransformInsert(*stmt.query->insert_stmt);
        break;
      case PG_QUERY__NODE__NODE_UPDATE_STMT:
        write = TransformUpdate(*stmt.query->update_stmt);
        break;
      case PG_QUERY__NODE__NODE_DELETE_STMT:
        write = TransformDelete(*stmt.query->delete_stmt);
        break;
      default:
        break;
    }
    if (write) {
      if (!*write) return std::move(*write);
      std::visit(
          [&](auto& s) {
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, ast::Insert> || std::is_same_v<S, ast::Update> ||
                          std::is_same_v<S, ast::Delete>) {
              s.explain = options;
            }
          },
          **write);
      return std::move(*write);
    }
  }
  if (stmt.query == nullptr || stmt.query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("EXPLAIN of this statement");
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::Select select, TransformSelect(*stmt.query->select_stmt));
  select.explain = options;
  return ast::Statement(std::move(select));
}

}  // namespace sqlrite::engine::sql
