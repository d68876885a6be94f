#pragma once
// INSERT ... ON CONFLICT, as PostgreSQL 15's speculative insertion (nodeModifyTable.c) for one
// writer: a proposed row is checked against the arbiter indexes before it is stored.
//
//   * Arbiters (infer_arbiter_indexes): ON CONFLICT (cols) takes every unique index (primary key,
//     UNIQUE constraint, CREATE UNIQUE INDEX) whose key columns are exactly that set; ON
//     CONSTRAINT name the constraint's index; no target (DO NOTHING only) every unique index.
//     None found: 42P10. An unknown column: 42703; an unknown constraint: 42704; DO UPDATE
//     without a target: 42601.
//   * A proposed row that conflicts on an arbiter (equal key, no NULL in it unless NULLS NOT
//     DISTINCT) is not inserted: DO NOTHING skips it; DO UPDATE evaluates its WHERE and SET over
//     the existing row (the target's name or alias) and the proposed one (`excluded`) and updates
//     the existing row, unless this statement already inserted or updated that row: 21000.
//   * A row that conflicts on no arbiter is inserted as any other (a duplicate on a unique index
//     that is not an arbiter is still 23505).
// Rows given to Store are complete (defaults filled) and coerced to the column types; NOT NULL
// is checked before the arbiters, as PostgreSQL's ExecConstraints runs before the check.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/exec/read_context.h"
#include "engine/expression.h"
#include "engine/row_source.h"
#include "engine/sql/ast.h"
#include "storage/page_source.h"

namespace sqlrite::engine {

struct ExecContext;

// The positions in table.indexes of clause's arbiter indexes. Errors as the file comment says.
Result<std::vector<size_t>> InferArbiters(const TableDef& table, const ast::OnConflict& clause);

// The rowid key of a row of table whose key on index equals row's, if any. A key holding a NULL
// conflicts with nothing (unless the index is NULLS NOT DISTINCT).
Result<std::optional<std::string>> FindConflict(storage::PageSource& pages, const TableDef& table,
                                                const IndexDef& index, const Row& row);

// The row of table stored under rowid_key. REQUIRES: it exists (XX001 otherwise).
Result<Row> ReadRowAt(storage::PageSource& pages, const TableDef& table,
                      std::string_view rowid_key);

// One INSERT's ON CONFLICT clause, bound; Store handles each proposed row.
class OnConflictAction {
 public:
  // Binds clause for table (named in the statement as target: its alias applies).
  static Result<std::unique_ptr<OnConflictAction>> Bind(ExecContext& ctx, const TableDef& table,
                                                        const ast::TableRef& target,
                                                        const ast::OnConflict& clause);

  // Stores row (inserted, or the existing row updated) and gives the row as stored, or nullopt
  // when nothing was stored (DO NOTHING, or DO UPDATE's WHERE was not true). replaced (when
  // given) receives the existing row an update replaced (foreign keys need both).
  Result<std::optional<Row>> Store(ExecContext& ctx, TableDef& table, const Row& row,
                                   std::optional<Row>* replaced = nullptr);

 private:
  struct Set {
    size_t column;
    BoundExpr value;  // over the existing row followed by the proposed one
  };
  ast::OnConflict::Action action_ = ast::OnConflict::Action::kNothing;
  std::vector<size_t> arbiters_;
  std::vector<Set> sets_;
  std::optional<BoundExpr> where_;
  // The rows this statement inserted or updated (their rowid keys): DO UPDATE may not touch
  // one of them again.
  std::set<std::string, std::less<>> touched_;
  // What subqueries in SET / WHERE read through.
  std::unique_ptr<exec::ReadContext> rctx_;
};

}  // namespace sqlrite::engine
