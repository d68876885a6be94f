#include "engine/analyze/row_locking.h"

#include <string>
#include <vector>

#include "common/assert.h"
#include "engine/analyze/bind_function.h"

namespace sqlrite::engine {
namespace {

tl::unexpected<Error> NotAllowed(const ast::LockingClause& clause, const char* with) {
  return Fail(
      sqlstate::kFeatureNotSupported,
      std::string(ast::LockingStrengthName(clause.strength)) + " is not allowed with " + with);
}

tl::unexpected<Error> CannotApply(const ast::LockingClause& clause, const char* to,
                                  int position = 0) {
  return Fail(
      Error(sqlstate::kFeatureNotSupported,
            std::string(ast::LockingStrengthName(clause.strength)) + " cannot be applied to " + to)
          .WithPosition(position));
}

// Marks the tables of item that an outer join may null (right of LEFT, left of RIGHT, both of
// FULL), whatever joins enclose it.
void MarkNullable(const BoundFromItem& item, bool nullable, std::vector<bool>& out) {
  if (item.join == nullptr) {
    if (nullable) out[item.table] = true;
    return;
  }
  const ast::JoinType type = item.join->type;
  MarkNullable(item.join->left,
               nullable || type == ast::JoinType::kRight || type == ast::JoinType::kFull, out);
  MarkNullable(item.join->right,
               nullable || type == ast::JoinType::kLeft || type == ast::JoinType::kFull, out);
}

}  // namespace

Status CheckRowLocking(const ast::Select& stmt, const BoundSelect& bound) {
  SQLRITE_ASSERT(!stmt.locking.empty());
  std::vector<bool> locked(bound.tables.size(), false);
  for (const ast::LockingClause& clause : stmt.locking) {
    // PostgreSQL's CheckSelectLocking, in its order.
    if (bound.set_op) return NotAllowed(clause, "UNION/INTERSECT/EXCEPT");
    if (!bound.values.empty()) return CannotApply(clause, "VALUES");
    if (stmt.distinct) return NotAllowed(clause, "DISTINCT clause");
    if (!stmt.group_by.empty()) return NotAllowed(clause, "GROUP BY clause");
    if (stmt.having) return NotAllowed(clause, "HAVING clause");
    if (!bound.aggs.empty()) return NotAllowed(clause, "aggregate functions");
    if (!bound.windows.calls.empty()) return NotAllowed(clause, "window functions");
    if (SelectListSetReturningCall(stmt) != nullptr) {
      return NotAllowed(clause, "set-returning functions in the target list");
    }
    if (clause.of.empty()) {
      // Every table in FROM; functions and WITH queries are passed over, as PostgreSQL does.
      for (size_t t = 0; t < bound.tables.size(); ++t) {
        const BoundTable& table = bound.tables[t];
        if (!table.function && !table.cte_plan && table.worktable < 0) locked[t] = true;
      }
      continue;
    }
    for (size_t i = 0; i < clause.of.size(); ++i) {
      const std::string& name = clause.of[i];
      const int position = clause.of_locations[i];
      bool found = false;
      for (size_t t = 0; t < bound.tables.size(); ++t) {
        const BoundTable& table = bound.tables[t];
        if (table.qualifier != name) continue;
        found = true;
        if (table.function) return CannotApply(clause, "a function", position);
        if (table.cte_plan || table.worktable >= 0) {
          return CannotApply(clause, "a WITH query", position);
        }
        if (table.subquery && !table.subquery->values.empty()) {
          return CannotApply(clause, "VALUES", position);
        }
        locked[t] = true;
      }
      if (!found) {
        return Fail(Error(sqlstate::kUndefinedTable, "relation \"" + name + "\" in " +
                                                         ast::LockingStrengthName(clause.strength) +
                                                         " clause not found in FROM clause")
                        .WithPosition(position));
      }
    }
  }
  // The planner's rule (PostgreSQL's make_outerjoininfo): a row an outer join makes up cannot
  // be locked.
  std::vector<bool> nullable(bound.tables.size(), false);
  for (const BoundFromItem& item : bound.from) MarkNullable(item, false, nullable);
  for (size_t t = 0; t < bound.tables.size(); ++t) {
    if (locked[t] && nullable[t]) {
      return CannotApply(stmt.locking.front(), "the nullable side of an outer join");
    }
  }
  return Ok();
}

}  // namespace sqlrite::engine
