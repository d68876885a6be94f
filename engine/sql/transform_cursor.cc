// DECLARE ... CURSOR, FETCH / MOVE, CLOSE: libpg_query's DeclareCursorStmt, FetchStmt and
// ClosePortalStmt in the engine's own form (ast::DeclareCursor, ast::Fetch, ast::CloseCursor).

#include <memory>
#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// PostgreSQL's CURSOR_OPT_* bits (parsenodes.h), as DeclareCursorStmt.options carries them.
constexpr int32_t kCursorOptBinary = 0x0001;
constexpr int32_t kCursorOptScroll = 0x0002;
constexpr int32_t kCursorOptNoScroll = 0x0004;
constexpr int32_t kCursorOptHold = 0x0020;

}  // namespace

Result<ast::Statement> Transformer::TransformDeclareCursor(const PgQuery__DeclareCursorStmt& stmt) {
  ast::DeclareCursor declare;
  declare.name = stmt.portalname != nullptr ? stmt.portalname : "";
  declare.binary = (stmt.options & kCursorOptBinary) != 0;
  declare.hold = (stmt.options & kCursorOptHold) != 0;
  if ((stmt.options & kCursorOptScroll) != 0) {
    declare.scroll = ast::DeclareCursor::Scroll::kScroll;
  } else if ((stmt.options & kCursorOptNoScroll) != 0) {
    declare.scroll = ast::DeclareCursor::Scroll::kNoScroll;
  }
  // The grammar allows only a SelectStmt after FOR (INSERT there is a syntax error).
  if (stmt.query == nullptr || stmt.query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Unsupported("DECLARE CURSOR of this statement");
  }
  SQLRITE_ASSIGN_OR_RETURN(ast::Select select, TransformSelect(*stmt.query->select_stmt));
  declare.query = std::make_unique<ast::Select>(std::move(select));
  return ast::Statement(std::move(declare));
}

Result<ast::Statement> Transformer::TransformFetch(const PgQuery__FetchStmt& stmt) {
  ast::Fetch fetch;
  switch (stmt.direction) {
    case PG_QUERY__FETCH_DIRECTION__FETCH_BACKWARD:
      fetch.direction = ast::Fetch::Direction::kBackward;
      break;
    case PG_QUERY__FETCH_DIRECTION__FETCH_ABSOLUTE:
      fetch.direction = ast::Fetch::Direction::kAbsolute;
      break;
    case PG_QUERY__FETCH_DIRECTION__FETCH_RELATIVE:
      fetch.direction = ast::Fetch::Direction::kRelative;
      break;
    default:
      fetch.direction = ast::Fetch::Direction::kForward;
      break;
  }
  // FETCH ALL is LONG_MAX in PostgreSQL's tree: the same value on this 64-bit platform.
  fetch.count = stmt.how_many;
  fetch.name = stmt.portalname != nullptr ? stmt.portalname : "";
  fetch.move = stmt.ismove;
  return ast::Statement(std::move(fetch));
}

Result<ast::Statement> Transformer::TransformClosePortal(const PgQuery__ClosePortalStmt& stmt) {
  ast::CloseCursor close;
  close.name = stmt.portalname != nullptr ? stmt.portalname : "";
  close.all = close.name.empty();  // CLOSE ALL: the tree's name is NULL
  return ast::Statement(std::move(close));
}

}  // namespace sqlrite::engine::sql
