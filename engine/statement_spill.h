#pragma once
// The spill settings of one statement: the session's work_mem, hash_mem_multiplier and
// temp_file_limit when it begins, and the cluster's temporary space (engine/exec/spill_file.h).
// For the read pipelines and for the writes that sort (CREATE INDEX's build).

#include "engine/exec/spill_file.h"
#include "engine/session.h"

namespace sqlrite::engine {

exec::SpillSettings StatementSpill(const Session& session);
// The same for a maintenance statement's sort (CREATE INDEX, REINDEX, ALTER TABLE's index
// builds): its work_mem is the session's maintenance_work_mem, as PostgreSQL's index build
// sorts within it.
exec::SpillSettings MaintenanceSpill(const Session& session);

}  // namespace sqlrite::engine
