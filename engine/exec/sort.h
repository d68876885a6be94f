#pragma once
// ORDER BY: reads its whole input on the first call, sorts it stably (ties keep input order, as
// the executor always did) with InterruptibleStableSort (a cancel, statement_timeout or shutdown
// stops a sort of millions of rows), then hands the rows out cut to their first keep_width
// values (the hidden ORDER BY expressions the Project below appended are dropped).

#include <cstddef>
#include <vector>

#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"

namespace sqlrite::engine::exec {

struct SortKey {
  size_t column = 0;  // in the input row
  bool descending = false;
  bool nulls_first = false;
  // The column is jsonb: compared in jsonb's order (json::Compare), not its text's.
  bool jsonb = false;
};

OperatorPtr MakeSort(ReadContext& ctx, OperatorPtr input, std::vector<SortKey> keys,
                     size_t keep_width);

}  // namespace sqlrite::engine::exec
