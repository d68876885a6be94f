#pragma once
// A DML statement's RETURNING list: bound over the rows the statement writes (the target's
// columns, or for UPDATE ... FROM / DELETE ... USING the joined row), its subqueries made
// runnable, and evaluated per written row into the statement's result.

#include <memory>
#include <vector>

#include "common/error.h"
#include "engine/analyze/bind_select.h"
#include "engine/engine.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct ExecContext;

struct Returning {
  bool active = false;  // the statement has a RETURNING list
  BoundItems items;
  std::unique_ptr<exec::ReadContext> rctx;  // what the subqueries read through

  // Binds list over scope ("RETURNING" names the clause in errors); an empty list: inactive.
  Status Bind(ExecContext& ctx, const Scope& scope, const std::vector<ast::SelectItem>& list);
  // Appends the list evaluated over row to result's rows.
  Status Emit(const Row& row, QueryResult& result) const;
  // Gives result the list's columns (a RETURNING statement returns rows).
  void Finish(QueryResult& result);
};

}  // namespace sqlrite::engine
