#pragma once
// Index paths: which of a table's index trees a WHERE can narrow a read to (by the WHERE's
// shape, when planning), and the key ranges that read covers (with the values, when a reader
// opens).
//
// An index tree (engine/table_access.h) maps the key columns' encodings (engine/key_codec.h) to
// the rowid key, each column in its tree's order (engine/index_order.h: the declared direction
// and NULLS placement, or ascending NULLs last for a tree built before those were honoured): a
// column's entries for one value are a contiguous run, its non-NULL values another (a range's
// bounds swap on a descending column), and a prefix of equal leading values is a contiguous run
// too. A path pins the index's leading columns by `=`, `IN (...)` or `IS NULL`
// (each a set of encodings; the ranges are their product in key order), then may bound the next
// column by `<`, `<=`, `>`, `>=` (BETWEEN is bound as the two). Only conjuncts of the form
// `key op value` count, key a column or (for an expression index) the same expression as the
// index's key (SameExpr), value a constant or a parameter whose type encodes comparably with
// the key (KeyFamilyOf); everything else stays a filter, and the reader's caller applies the
// whole WHERE to every row the path reads, so a path only narrows, never decides. A partial
// index is a candidate only when the WHERE implies its predicate (engine/index_expressions.h).
//
// The rule (no statistics): a path must pin at least one column, or bound its range column on
// both sides. A one-sided range of a secondary index is not taken: it may cover most of the
// table, and each entry costs a second lookup in the table tree.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/expression.h"

namespace sqlrite::engine {

struct IndexPath {
  size_t index = 0;       // position in TableDef::indexes; that index has a tree of its own
  size_t eq_columns = 0;  // leading key columns pinned
  bool range = false;     // the key column after them bounded
  bool lower = false, upper = false;  // which sides of the range
  // Every key column of a unique index pinned by `=` (at most one row, unless a value is NULL).
  bool unique_point = false;
  // The rows are wanted in the index's order (ORDER BY ... LIMIT without a Sort): a path that no
  // longer fits reads the whole index rather than another path.
  bool ordered = false;
};

// The best path for where (bound over table's columns) among table's index trees, or nullopt
// when none qualifies (the rule above). Best: a unique point, then more pinned columns, then a
// bounded range; on a tie the first index.
std::optional<IndexPath> ChooseIndexPath(const TableDef& table, const BoundExpr& where);

// The path through index `index` for a read in the index's order (an ORDER BY ... LIMIT that
// needs no Sort): the pins and bounds where gives it (where may be null), one-sided bounds
// included, since such a read stops after the rows its LIMIT needs (keyset pagination's
// `(created, id) > ($1, $2)` starts at `created >= $1`).
IndexPath OrderedIndexPath(const TableDef& table, size_t index, const BoundExpr* where);

// The conjuncts of where (flattened ANDs, in order) that path uses: EXPLAIN's Index Cond.
std::vector<const BoundExpr*> IndexConditions(const TableDef& table, const IndexPath& path,
                                              const BoundExpr& where);

// The comparisons an index path reads for `column LIKE 'constant'` (a constant prefix: `column
// = text` without wildcards, else `column >= prefix AND column < next string`), as EXPLAIN's
// Index Cond shows them (PostgreSQL's; the LIKE itself stays a Filter). Empty: the conjunct
// bounds no index read (not a LIKE of that form, an empty prefix).
std::vector<BoundExpr> LikeIndexConditions(const TableDef& table, const BoundExpr& like);

// A range of index keys: [start, stop); stop empty: to the end of the tree.
struct KeyRange {
  std::string start;
  std::string stop;
};

// The ranges of path's index that hold every entry whose row can satisfy where, in key order and
// disjoint, computed with where's values (parameters replaced by constants by now). Empty: no
// row can match (a NULL compared, an empty range). nullopt: where no longer fits the path (a
// value whose type does not encode comparably): the caller reads the whole table instead,
// unless the path is `ordered` (then the whole index is one range). A path that pins and bounds
// nothing (an ordered read) is the whole index.
std::optional<std::vector<KeyRange>> IndexRanges(const TableDef& table, const IndexPath& path,
                                                 const BoundExpr& where);

}  // namespace sqlrite::engine
