#pragma once
// Which of its table's columns each Scan of a plan must decode: the ones some node above reads
// (its filter's, the keys and conditions of joins, grouping and aggregate arguments, projected
// expressions), so that `select count(*)` or `sum(v)` over a wide table decodes one column or
// none instead of every value of every row. A column left out is read as NULL; the pass is
// conservative wherever it does not know a node (every column of that node's input is needed).

#include "engine/plan/plan.h"

namespace sqlrite::engine::plan {

// Sets Scan::needed for every Scan under root, the whole of root's output being needed.
void MarkNeededColumns(Node& root);

}  // namespace sqlrite::engine::plan
