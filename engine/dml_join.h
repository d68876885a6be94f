#pragma once
// UPDATE ... FROM and DELETE ... USING, as PostgreSQL 15: the target table joined with the other
// items under the WHERE clause (the statement's from_query / using_query, planned as any SELECT:
// hash joins on equalities), every target row that has a match changed once, with its first
// matching row of the other items (PostgreSQL leaves which one unspecified). SET values and
// RETURNING see every item's columns (RETURNING * lists them all, the target's first).
//
// The joined rows are all read before the first change, as the plain UPDATE and DELETE do, since
// a B+tree cursor does not survive a change to its tree.

#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/database.h"
#include "engine/engine.h"
#include "engine/interrupt.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

struct ExecContext;

// Finds the rowid key of a target row from its values (a join's rows carry the target's columns,
// not its keys): the rowid column, else a unique index whose key has no NULL, else the row's
// contents (two identical rows of a table without a key join the same rows, so they are changed
// alike; the contents index is built by one scan on first need).
class RowLocator {
 public:
  RowLocator(Database& db, const TableDef& def, InterruptCheck& interrupts)
      : db_(db), def_(def), interrupts_(interrupts) {}

  // The rowid keys of the stored rows equal to row (one unless the table has no key; the same
  // span, in the same order, for every row of equal contents). Valid until the next call: not a
  // copy, since a keyless table's n identical rows would cost n copies of n keys.
  Result<std::span<const std::string>> Locate(const Row& row);

 private:
  std::string single_;  // the one key Locate found by rowid or unique index
  Database& db_;
  const TableDef& def_;
  InterruptCheck& interrupts_;
  std::optional<std::unordered_map<std::string, std::vector<std::string>>> by_contents_;
};

// REQUIRES: stmt.from_query (resp. stmt.using_query) set; def is the target, not a sequence.
Result<QueryResult> ExecuteUpdateFrom(ExecContext& ctx, const ast::Update& stmt, TableDef& def);
Result<QueryResult> ExecuteDeleteUsing(ExecContext& ctx, const ast::Delete& stmt, TableDef& def);

}  // namespace sqlrite::engine
