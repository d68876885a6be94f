// SQL text for what the catalog keeps as text (a column's DEFAULT expression, a view's query):
// libpg_query's deparser over the statement's own parse tree, so the text parses back to the
// same tree whatever the user's spacing, comments or case.

#include <pg_query.h>

#include <optional>
#include <string>
#include <string_view>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// The deparse of one statement node; nullopt when libpg_query cannot deparse it.
std::optional<std::string> DeparseStatement(PgQuery__Node* stmt) {
  PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
  raw.stmt = stmt;
  PgQuery__RawStmt* raws[1] = {&raw};
  PgQuery__ParseResult tree = PG_QUERY__PARSE_RESULT__INIT;
  tree.version = PG_VERSION_NUM;
  tree.n_stmts = 1;
  tree.stmts = raws;
  std::string packed(pg_query__parse_result__get_packed_size(&tree), '\0');
  pg_query__parse_result__pack(&tree, reinterpret_cast<uint8_t*>(packed.data()));
  PgQueryDeparseResult deparsed =
      pg_query_deparse_protobuf(PgQueryProtobuf{packed.size(), packed.data()});
  std::optional<std::string> text;
  if (deparsed.error == nullptr && deparsed.query != nullptr) text = deparsed.query;
  pg_query_free_deparse_result(deparsed);
  return text;
}

}  // namespace

Result<std::string> Transformer::DeparseExpr(const PgQuery__Node* expr) const {
  // libpg_query deparses whole statements: wrap the expression as `SELECT expr`.
  PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
  target.val = const_cast<PgQuery__Node*>(expr);
  PgQuery__Node target_node = PG_QUERY__NODE__INIT;
  target_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
  target_node.res_target = &target;
  PgQuery__Node* targets[1] = {&target_node};
  PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
  select.n_target_list = 1;
  select.target_list = targets;
  select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
  select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
  PgQuery__Node stmt_node = PG_QUERY__NODE__INIT;
  stmt_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
  stmt_node.select_stmt = &select;
  std::optional<std::string> text = DeparseStatement(&stmt_node);
  constexpr std::string_view kPrefix = "SELECT ";
  if (!text || text->compare(0, kPrefix.size(), kPrefix) != 0) {
    return Unsupported("this DEFAULT expression");
  }
  return text->substr(kPrefix.size());
}

Result<std::string> Transformer::DeparseQuery(const PgQuery__Node* query) const {
  std::optional<std::string> text = DeparseStatement(const_cast<PgQuery__Node*>(query));
  if (!text) return Unsupported("this view query");
  return *std::move(text);
}

}  // namespace sqlrite::engine::sql
