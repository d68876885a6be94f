#pragma once
// A session's own SELECT run on the engine thread, with a prepared statement's kept plan when
// it can have one there.

#include "common/error.h"
#include "engine/engine.h"
#include "engine/executor.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// ExecuteSelect of a session's own statement (a SELECT, never a query inside another statement)
// on the engine thread. An Execute of a prepared SELECT, while the writer's state has the shapes
// of the readers' catalog (Database::SharedCatalogForWriter), runs its kept plan bound against
// that catalog over the writer's pages, bound and planned once as a snapshot read's is
// (engine/prepared_plan.h): a point writer's SELECT, as in pgbench's read-write script.
// REQUIRES: statement holds an ast::Select.
Result<QueryResult> ExecuteSessionSelect(ExecContext& ctx, const ast::Statement& statement);

}  // namespace sqlrite::engine
