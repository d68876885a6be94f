#pragma once
// ForEachNode: visits, in a fixed order, every expression node and every `location` field of a
// SELECT, INSERT, UPDATE or DELETE tree (ParseCache shifts the locations and rewrites the
// literals of a cached tree). Other statement kinds are not walked: WalkStatement returns false
// for them.

#include <functional>

#include "engine/sql/ast.h"

namespace sqlrite::engine::sql {

struct AstVisitor {
  // Called for every expression node, parents before children.
  std::function<void(ast::Expr&)> expr;
  // Called for every location field outside expressions (table names, SET targets).
  std::function<void(int&)> location;
};

// True when the statement's kind is one the walk covers (and it was walked).
bool WalkStatement(ast::Statement& statement, const AstVisitor& visitor);
// The same walk over one expression (its subqueries included).
void WalkExpr(ast::Expr& expr, const AstVisitor& visitor);
// The same walk over one query (a SELECT, or the source of an INSERT).
void WalkSelect(ast::Select& select, const AstVisitor& visitor);

}  // namespace sqlrite::engine::sql
