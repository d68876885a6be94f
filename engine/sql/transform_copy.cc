// COPY t [(cols)] FROM STDIN | 'file' [WITH] (options), COPY t [(cols)] | (query) TO ...
// The options are kept as written; engine/copy_options.h checks them as PostgreSQL's
// ProcessCopyOptions does, so that their errors come at execution with PostgreSQL's wording.

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

Result<ast::CopyOption> TransformCopyOption(const PgQuery__DefElem& def) {
  ast::CopyOption option;
  option.name = def.defname != nullptr ? def.defname : "";
  option.location = def.location;
  const PgQuery__Node* arg = def.arg;
  if (IsNullNode(arg)) return option;
  switch (arg->node_case) {
    case PG_QUERY__NODE__NODE_STRING:
      option.kind = ast::CopyOption::kString;
      option.value = NodeString(arg);
      break;
    case PG_QUERY__NODE__NODE_BOOLEAN:
      option.kind = ast::CopyOption::kBoolean;
      option.value = arg->boolean->boolval ? "true" : "false";
      break;
    case PG_QUERY__NODE__NODE_INTEGER:
      option.kind = ast::CopyOption::kNumber;
      option.value = std::to_string(arg->integer->ival);
      break;
    case PG_QUERY__NODE__NODE_FLOAT:
      option.kind = ast::CopyOption::kNumber;
      option.value = arg->float_->fval != nullptr ? arg->float_->fval : "";
      break;
    case PG_QUERY__NODE__NODE_A_STAR:
      option.kind = ast::CopyOption::kStar;
      break;
    case PG_QUERY__NODE__NODE_LIST:
      option.kind = ast::CopyOption::kList;
      for (size_t i = 0; i < arg->list->n_items; ++i) {
        option.list.emplace_back(NodeString(arg->list->items[i]));
      }
      break;
    default:
      option.kind = ast::CopyOption::kString;
      break;
  }
  return option;
}

}  // namespace

Result<ast::Statement> Transformer::TransformCopy(const PgQuery__CopyStmt& stmt) {
  ast::Copy copy;
  copy.is_from = stmt.is_from;
  copy.is_program = stmt.is_program;
  copy.filename = stmt.filename != nullptr ? stmt.filename : "";
  copy.has_where = !IsNullNode(stmt.where_clause);
  if (stmt.relation != nullptr) {
    SQLRITE_ASSIGN_OR_RETURN(copy.table, TransformTableName(*stmt.relation));
  } else if (!IsNullNode(stmt.query)) {
    if (stmt.query->node_case == PG_QUERY__NODE__NODE_MERGE_STMT) {
      // PostgreSQL 15's DoCopy: MERGE has no RETURNING to copy from.
      return Fail(sqlstate::kFeatureNotSupported, "MERGE not supported in COPY");
    }
    if (stmt.query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      return Unsupported("COPY of a statement other than SELECT");
    }
    SQLRITE_ASSIGN_OR_RETURN(ast::Select select, TransformSelect(*stmt.query->select_stmt));
    copy.query = std::make_unique<ast::Select>(std::move(select));
  }
  for (size_t i = 0; i < stmt.n_attlist; ++i)
    copy.columns.emplace_back(NodeString(stmt.attlist[i]));
  for (size_t i = 0; i < stmt.n_options; ++i) {
    const PgQuery__Node* node = stmt.options[i];
    if (IsNullNode(node) || node->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
    SQLRITE_ASSIGN_OR_RETURN(ast::CopyOption option, TransformCopyOption(*node->def_elem));
    copy.options.push_back(std::move(option));
  }
  return ast::Statement(std::move(copy));
}

}  // namespace sqlrite::engine::sql
