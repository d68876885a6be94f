#pragma once
// The rows of one run of a temporary file (spill_file.h), as an operator: the later batches of a
// hash aggregate or a hash join read their spilled rows back through it. It owns the file, so
// the file is removed once the scan is read through or destroyed.

#include <cstddef>
#include <memory>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "engine/exec/spill_file.h"

namespace sqlrite::engine::exec {

// REQUIRES: run < file->run_count().
OperatorPtr MakeSpillScan(ReadContext& ctx, std::unique_ptr<SpillFile> file, size_t run = 0);

}  // namespace sqlrite::engine::exec
