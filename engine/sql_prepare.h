#pragma once
// SQL-level prepared statements (PREPARE / EXECUTE / DEALLOCATE) and LOCK TABLE: the parts that
// need no more than the session and a catalog. The cluster (engine/cluster.cc) describes a
// PREPARE's statement to fix its parameter types and runs an EXECUTE's statement with the
// values BindExecuteArguments makes, as an extended-protocol Bind + Execute would.
//
// As PostgreSQL's: a session's prepared statements outlive transactions (a PREPARE is not rolled
// back), EXECUTE's values are coerced to the parameter types as an assignment is (42804), and
// the errors are 42P05 (PREPARE of a name in use), 26000 (EXECUTE / DEALLOCATE of an unknown
// name) and 42601 (EXECUTE with the wrong number of values). The protocol's named statements
// share the name space (engine/prepared_link.h).

#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/engine.h"
#include "engine/session.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// 42P05 when the session already holds a prepared statement of that name.
Status CheckPrepareName(Session& session, const std::string& name);

// The prepared statement EXECUTE names, or 26000.
Result<const Session::SqlPrepared*> FindPrepared(Session& session, const std::string& name);

// EXECUTE's values, each bound as a constant expression and coerced to its parameter's type.
Result<std::vector<Datum>> BindExecuteArguments(const Session::SqlPrepared& prepared,
                                                const ast::ExecutePrepared& stmt);

// DEALLOCATE name | ALL.
Result<QueryResult> Deallocate(Session& session, const ast::Deallocate& stmt);

// The protocol's named statement `name` (Parse) entered as a prepared statement of the SQL level
// too (engine/prepared_link.h): 42P05 when the name is taken.
Status RegisterProtocolStatement(Session& session, const std::string& name,
                                 std::shared_ptr<ProtocolStatementLink> link);

// LOCK TABLE's checks: inside a transaction block (25P01), each name a table or a view (42P01;
// a sequence 42809). Nothing is locked: the writer slot and the snapshot readers already give what
// every lock mode promises (docs/decisions.md).
Result<QueryResult> LockTables(Session& session, const ast::LockTable& stmt,
                               const std::vector<const TableDef*>& tables);

}  // namespace sqlrite::engine
