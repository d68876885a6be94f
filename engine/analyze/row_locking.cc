#include "engine/analyze/row_locking.h"

#include <algorithm>
#include <set>
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

// Whether a derived table's query reads a table (so locking it locks rows).
bool ReadsTable(const BoundSelect& q) {
  if (q.set_op) return ReadsTable(*q.set_op->left) || ReadsTable(*q.set_op->right);
  for (const BoundTable& t : q.tables) {
    if (t.function || t.cte_plan || t.worktable >= 0) continue;
    if (!t.subquery || ReadsTable(*t.subquery)) return true;
  }
  return false;
}

// A FROM table a clause without OF locks: a table, or a derived table over one.
bool Lockable(const BoundTable& t) {
  if (t.function || t.cte_plan || t.worktable >= 0) return false;
  return !t.subquery || ReadsTable(*t.subquery);
}

void CollectLocked(const ast::Select& q, const std::set<std::string>* of,
                   std::set<std::string> ctes, std::vector<std::string>& out);

void CollectFromItem(const ast::TableRef& ref, const std::set<std::string>* of,
                     const std::set<std::string>& ctes, std::vector<std::string>& out) {
  if (ref.join) {
    CollectFromItem(ref.join->left, of, ctes, out);
    CollectFromItem(ref.join->right, of, ctes, out);
    return;
  }
  if (ref.function) return;
  if (ref.subquery) {
    if (of == nullptr || of->count(ref.alias) > 0) CollectLocked(*ref.subquery, nullptr, ctes, out);
    return;
  }
  if (ref.table.schema.empty() && ctes.count(ref.table.name) > 0) return;
  const std::string& refname = ref.alias.empty() ? ref.table.name : ref.alias;
  if (of == nullptr || of->count(refname) > 0) out.push_back(ref.table.name);
}

void CollectLocked(const ast::Select& q, const std::set<std::string>* of,
                   std::set<std::string> ctes, std::vector<std::string>& out) {
  for (const ast::CommonTableExpr& cte : q.with) ctes.insert(cte.name);
  if (q.set_op) {
    CollectLocked(q.set_op->left, of, ctes, out);
    CollectLocked(q.set_op->right, of, ctes, out);
    return;
  }
  for (const ast::TableRef& ref : q.from) CollectFromItem(ref, of, ctes, out);
}

}  // namespace

std::vector<std::string> LockedTables(const ast::Select& select) {
  std::vector<std::string> out;
  if (select.locking.empty()) return out;
  std::set<std::string> of;
  bool all = false;
  for (const ast::LockingClause& clause : select.locking) {
    if (clause.of.empty()) all = true;
    of.insert(clause.of.begin(), clause.of.end());
  }
  CollectLocked(select, all ? nullptr : &of, {}, out);
  return out;
}

bool LocksWithoutWaiting(const ast::Select& select) {
  return std::any_of(select.locking.begin(), select.locking.end(), [](const auto& clause) {
    return clause.wait == ast::LockingClause::Wait::kNoWait;
  });
}

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
    if (SelectListSetReturningCall(stmt) != nullptr || !bound.set_calls.empty()) {
      return NotAllowed(clause, "set-returning functions in the target list");
    }
    if (clause.of.empty()) {
      // Every table in FROM; functions, VALUES and WITH queries are passed over, as PostgreSQL
      // does.
      for (size_t t = 0; t < bound.tables.size(); ++t) {
        if (Lockable(bound.tables[t])) locked[t] = true;
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
        locked[t] = Lockable(table);
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
