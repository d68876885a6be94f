#pragma once
// One name space for the prepared statements of a session, as PostgreSQL has: a named statement
// of the protocol's Parse (the server's, server/extended_query.h) is also one of the SQL level
// (the engine session's, engine/sql_prepare.h). EXECUTE runs it, DEALLOCATE [ALL] drops it,
// PREPARE of its name is 42P05; a Parse of a name PREPARE holds is 42P05 too.
//
// The server registers each named Parse with the engine (Cluster::RegisterProtocolStatement) and
// both sides hold this link. Either side drops the statement by setting `dropped` (the server at
// Close, the engine at DEALLOCATE); each side treats a dropped link's name as free and forgets
// its entry when it next meets it.
//
// Threading: `dropped` is written on the engine thread or the session's io thread and read on
// the other; the rest is fixed before the link is shared.

#include <atomic>
#include <memory>
#include <vector>

#include "engine/sql/ast.h"
#include "engine/types.h"

namespace sqlrite::engine {

struct ProtocolStatementLink {
  std::atomic<bool> dropped{false};
  // What owns statement (the server's prepared statement), kept alive by the link.
  std::shared_ptr<const void> owner;
  const ast::Statement* statement = nullptr;
  std::vector<SqlType> param_types;  // as Describe fixed them
};

}  // namespace sqlrite::engine
