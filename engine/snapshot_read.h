#pragma once
// Reads off the engine thread: a SELECT that runs on the calling (session) thread against a
// snapshot of the newest durable commit (Database::BeginRead), never on the engine thread and
// never waiting for the writer. Its rows are pulled batch by batch as the client takes them; the
// pipeline owns its snapshot, so the checkpoint leaves the pages it reads alone until it ends.
//
// Which statements qualify (the rest go to the engine thread through Cluster::Submit): a SELECT
// of a session that is not the writer (a block that wrote must see its own changes, which only
// the writer's pager has) and whose block, if any, has not failed. Outside a block and in READ
// COMMITTED each statement takes the newest durable commit; a REPEATABLE READ or SERIALIZABLE
// block reads the snapshot its first read took (TransactionState::snapshot), also when one of its
// SELECTs runs on the engine thread (a query string of several statements).
//
// Threading: called on the session's thread while the engine holds no statement of the session
// (the session waits for each engine statement before sending the next), so the session's
// settings and transaction state are this thread's for the call. Nothing of the engine thread's
// (the writer's pager view, its catalog cache, the cluster's maps) is touched.

#include <memory>
#include <optional>
#include <vector>

#include "common/error.h"
#include "engine/cursor.h"
#include "engine/database.h"
#include "engine/engine.h"
#include "engine/params.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

class PreparedPlan;
class Session;

// Whether statement runs as a snapshot read for session now (see the file comment). plan: the
// prepared statement's (its tree never changes), which keeps the statement's own part of the
// answer (StatementQualifiesForSnapshotRead) for its later Executes; null: none.
bool QualifiesForSnapshotRead(const Session& session, const ast::Statement& statement,
                              PreparedPlan* plan = nullptr);
// Whether statement, whatever the session's state, is a read that may run on a snapshot: a
// SELECT without FOR UPDATE / SHARE, data-modifying WITH or sequence functions.
bool StatementQualifiesForSnapshotRead(const ast::Statement& statement);

// Whether session's reads use its block's snapshot: a REPEATABLE READ or SERIALIZABLE block that
// has not written.
bool UsesBlockSnapshot(const Session& session);
// The session's transaction is REPEATABLE READ or SERIALIZABLE.
bool IsRepeatableOrSerializable(const Session& session);

// A SELECT of such a block run on the engine thread, drained (DrainWithinStatement) over the
// block's snapshot. Errors as BeginSnapshotRead's and the pipeline's.
Result<QueryResult> SelectOnBlockSnapshot(Session& session, const ast::Select& select);

// The snapshot a read of session uses now: its block's (taken here by the block's first read) or
// the newest durable commit. For reads other than SELECT (COPY ... TO) by a non-writer.
Result<std::shared_ptr<Database::ReadView>> ReadViewFor(Session& session);

// Binds and plans the SELECT over a fresh snapshot (or its block's). REQUIRES:
// QualifiesForSnapshotRead. Errors: the statement's (bind errors with byte positions), 57014/57P01
// when the session was already interrupted, the pager's and catalog's (XX001, 72000).
Result<Cluster::SnapshotRead> BeginSnapshotRead(Session& session, const ast::Select& select,
                                                ParamContext* params);

}  // namespace sqlrite::engine
