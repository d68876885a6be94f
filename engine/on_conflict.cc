#include "engine/on_conflict.h"

#include <algorithm>
#include <utility>

#include "engine/analyze/bind_subquery.h"
#include "engine/assignment.h"
#include "engine/column_defaults.h"
#include "engine/error_position.h"
#include "engine/executor.h"
#include "engine/generated_columns.h"
#include "engine/index_expressions.h"
#include "engine/key_codec.h"
#include "engine/plan/instantiate.h"
#include "engine/row_codec.h"
#include "engine/session.h"
#include "engine/table_access.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

tl::unexpected<Error> NoMatchingConstraint() {
  return Fail(sqlstate::kInvalidColumnReference,
              "there is no unique or exclusion constraint matching the ON CONFLICT specification");
}

}  // namespace

Result<std::vector<size_t>> InferArbiters(const TableDef& table, const ast::OnConflict& clause) {
  std::vector<size_t> arbiters;
  if (!clause.constraint.empty()) {
    // Only a constraint's index: a unique index made by CREATE UNIQUE INDEX is no constraint.
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      const IndexDef& ix = table.indexes[i];
      if (ix.constraint && ix.name == clause.constraint) arbiters.push_back(i);
    }
    if (arbiters.empty()) {
      return Fail(sqlstate::kUndefinedObject, "constraint \"" + clause.constraint +
                                                  "\" for table \"" + table.name +
                                                  "\" does not exist");
    }
    return arbiters;
  }
  if (clause.columns.empty()) {
    if (clause.action == ast::OnConflict::Action::kUpdate) {
      return Fail(Error(sqlstate::kSyntaxError,
                        "ON CONFLICT DO UPDATE requires inference specification or constraint name")
                      .WithHint("For example, ON CONFLICT (column_name).")
                      .WithPosition(ErrorPosition(clause.location)));
    }
    // DO NOTHING without a target: a conflict on any unique index.
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      if (table.indexes[i].unique) arbiters.push_back(i);
    }
    return arbiters;
  }
  std::vector<int> wanted;
  std::vector<std::string> wanted_expressions;
  for (size_t k = 0; k < clause.columns.size(); ++k) {
    if (k < clause.expressions.size() && !clause.expressions[k].empty()) {
      // Bound as an index expression is (42703 for an unknown column), matched by its text; a
      // call no index could hold (volatile: 42P17 for an index) matches none.
      auto bound = BindIndexExpression(table, clause.expressions[k], /*predicate=*/false);
      if (!bound && bound.error().sqlstate != sqlstate::kInvalidObjectDefinition) {
        return Fail(std::move(bound.error()));
      }
      wanted_expressions.push_back(clause.expressions[k]);
      continue;
    }
    const int c = table.FindColumn(clause.columns[k]);
    if (c < 0) {
      return Fail(
          Error(sqlstate::kUndefinedColumn, "column \"" + clause.columns[k] + "\" does not exist")
              .WithPosition(ErrorPosition(clause.column_locations[k])));
    }
    wanted.push_back(c);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::sort(wanted_expressions.begin(), wanted_expressions.end());
  wanted_expressions.erase(std::unique(wanted_expressions.begin(), wanted_expressions.end()),
                           wanted_expressions.end());
  // A partial index qualifies only when the inference's WHERE implies its predicate
  // (PostgreSQL's infer_arbiter_indexes).
  std::optional<BoundExpr> index_where;
  if (clause.index_where != nullptr) {
    Scope scope;
    for (const ColumnDef& c : table.columns) scope.push_back({table.name, c.name, c.type});
    Binder binder(scope);
    binder.SetClause("index predicates");
    SQLRITE_ASSIGN_OR_RETURN(index_where, binder.BindCondition(*clause.index_where, "WHERE"));
  }
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const IndexDef& ix = table.indexes[i];
    if (!ix.unique) continue;
    std::vector<int> have;
    std::vector<std::string> have_expressions;
    for (size_t k = 0; k < ix.columns.size(); ++k) {
      if (ix.columns[k] == kIndexExpression) {
        have_expressions.push_back(ix.expressions[k]);
      } else {
        have.push_back(ix.columns[k]);
      }
    }
    std::sort(have.begin(), have.end());
    have.erase(std::unique(have.begin(), have.end()), have.end());
    std::sort(have_expressions.begin(), have_expressions.end());
    have_expressions.erase(std::unique(have_expressions.begin(), have_expressions.end()),
                           have_expressions.end());
    if (have != wanted || have_expressions != wanted_expressions) continue;
    if (ix.partial() &&
        !PredicateImplied(index_where ? &*index_where : nullptr, *ix.bound_predicate)) {
      continue;
    }
    arbiters.push_back(i);
  }
  if (arbiters.empty()) return NoMatchingConstraint();
  return arbiters;
}

Result<std::optional<std::string>> FindConflict(storage::PageSource& pages, const TableDef& table,
                                                const IndexDef& index, const Row& row) {
  if (index.root == storage::kInvalidPage) {
    // The primary key on the integer rowid column: the table tree itself is the index.
    SQLRITE_ASSERT(table.rowid_column >= 0);
    const Datum& v = row[static_cast<size_t>(table.rowid_column)];
    if (IsNull(v)) return std::optional<std::string>();
    std::string key = RowidKey(DatumAs<int64_t>(v));
    storage::BTree tree(pages, table.root);
    SQLRITE_ASSIGN_OR_RETURN(auto record, tree.Get(key));
    if (!record) return std::optional<std::string>();
    return std::optional<std::string>(std::move(key));
  }
  // A row a partial index does not hold cannot conflict in it.
  SQLRITE_ASSIGN_OR_RETURN(bool in_index, RowInIndex(index, row));
  if (!in_index) return std::optional<std::string>();
  std::string key;
  // A key that gets the rowid appended (it holds a NULL) can equal no stored key.
  SQLRITE_ASSIGN_OR_RETURN(bool appended, IndexKey(table, index, row, {}, key));
  if (appended) return std::optional<std::string>();
  storage::BTree tree(pages, index.root);
  return tree.Get(key);
}

Result<Row> ReadRowAt(storage::PageSource& pages, const TableDef& table,
                      std::string_view rowid_key) {
  storage::BTree tree(pages, table.root);
  SQLRITE_ASSIGN_OR_RETURN(auto record, tree.Get(rowid_key));
  if (!record) {
    return Fail(Error(sqlstate::kDataCorrupted, "invalid row in table \"" + table.name + "\"")
                    .WithDetail("an index entry names a row that does not exist"));
  }
  Row row;
  SQLRITE_TRY(DecodeRow(std::move(*record), row));
  FillMissingColumns(table, row);
  SQLRITE_TRY(CheckRow(table, row));
  return row;
}

Result<std::unique_ptr<OnConflictAction>> OnConflictAction::Bind(ExecContext& ctx,
                                                                 const TableDef& table,
                                                                 const ast::TableRef& target,
                                                                 const ast::OnConflict& clause) {
  auto action = std::make_unique<OnConflictAction>();
  action->action_ = clause.action;
  SQLRITE_ASSIGN_OR_RETURN(action->arbiters_, InferArbiters(table, clause));
  // As PostgreSQL's ExecCheckIndexConstraints: a deferrable key may hold duplicates until its
  // check, so no conflict on it can be decided now.
  for (size_t i : action->arbiters_) {
    if (table.indexes[i].deferrable) {
      return Fail(Error(sqlstate::kObjectNotInPrerequisiteState,
                        "ON CONFLICT does not support deferrable unique constraints/exclusion "
                        "constraints as arbiters")
                      .OnTable(table.name, {}, table.indexes[i].name));
    }
  }
  if (clause.action == ast::OnConflict::Action::kNothing) return action;

  // The existing row under the target's name, then the proposed row as `excluded`, which only a
  // qualified reference names (PostgreSQL adds it to the relation namespace only).
  Scope scope;
  const std::string& qualifier = target.alias.empty() ? table.name : target.alias;
  for (const ColumnDef& c : table.columns) scope.push_back({qualifier, c.name, c.type});
  for (const ColumnDef& c : table.columns) {
    scope.push_back({"excluded", c.name, c.type, /*merged_away=*/true});
  }
  action->rctx_ = std::make_unique<exec::ReadContext>(
      exec::ReadContext{ctx.db.pager(), ctx.session.StatementInterruptCheck()});
  QuerySubqueries subqueries(ctx, ctx.ctes);
  Binder binder(scope);
  binder.SetSubqueries(&subqueries);
  binder.SetClause("UPDATE");
  std::optional<ColumnDefaults> defaults;
  for (const ast::Assignment& a : clause.assignments) {
    const int c = table.FindColumn(a.column);
    if (c < 0) {
      return Fail(Error(sqlstate::kUndefinedColumn, "column \"" + a.column + "\" of relation \"" +
                                                        table.name + "\" does not exist")
                      .WithPosition(ErrorPosition(a.location)));
    }
    SQLRITE_ASSIGN_OR_RETURN(
        BoundExpr e, BindAssignmentValue(table, static_cast<size_t>(c), *a.value, binder, defaults,
                                         *action->rctx_));
    action->sets_.push_back({static_cast<size_t>(c), std::move(e)});
  }
  std::vector<size_t> columns;
  columns.reserve(action->sets_.size());
  for (const auto& set : action->sets_) columns.push_back(set.column);
  SQLRITE_TRY(CheckDistinctAssignments(table, columns));
  if (clause.where) {
    SQLRITE_ASSIGN_OR_RETURN(BoundExpr w, binder.BindCondition(*clause.where, "WHERE"));
    if (plan::HasSubquery(w)) plan::InstantiateSubqueries(w, *action->rctx_);
    action->where_ = std::move(w);
  }
  return action;
}

Result<std::optional<Row>> OnConflictAction::Store(ExecContext& ctx, TableDef& table,
                                                   const Row& row, std::optional<Row>* replaced) {
  SQLRITE_TRY(CheckNotNull(table, row));
  Database& db = ctx.db;
  for (size_t i : arbiters_) {
    SQLRITE_ASSIGN_OR_RETURN(auto existing_key,
                             FindConflict(db.pager(), table, table.indexes[i], row));
    if (!existing_key) continue;
    if (action_ == ast::OnConflict::Action::kNothing) return std::optional<Row>();
    if (touched_.count(*existing_key) != 0) {
      return Fail(Error(sqlstate::kCardinalityViolation,
                        "ON CONFLICT DO UPDATE command cannot affect row a second time")
                      .WithHint("Ensure that no rows proposed for insertion within the same "
                                "command have duplicate constrained values."));
    }
    SQLRITE_ASSIGN_OR_RETURN(Row existing, ReadRowAt(db.pager(), table, *existing_key));
    Row both = existing;
    both.insert(both.end(), row.begin(), row.end());
    if (where_) {
      SQLRITE_ASSIGN_OR_RETURN(bool go, EvalCondition(*where_, EvalContext{both.data(), nullptr}));
      if (!go) return std::optional<Row>();
    }
    Row updated = existing;
    for (const Set& s : sets_) {
      SQLRITE_ASSIGN_OR_RETURN(updated[s.column], Eval(s.value, EvalContext{both.data(), nullptr}));
    }
    SQLRITE_TRY(ComputeGeneratedColumns(table, updated));
    SQLRITE_TRY(UpdateRow(db, table, *existing_key, existing, updated));
    if (replaced != nullptr) *replaced = existing;
    if (table.rowid_column >= 0) {
      touched_.insert(RowidKey(DatumAs<int64_t>(updated[static_cast<size_t>(table.rowid_column)])));
    } else {
      touched_.insert(*existing_key);
    }
    return std::optional<Row>(std::move(updated));
  }
  const std::string rowid_key =
      table.rowid_column >= 0
          ? RowidKey(DatumAs<int64_t>(row[static_cast<size_t>(table.rowid_column)]))
          : RowidKey(table.next_rowid);
  SQLRITE_TRY(InsertRow(db, table, row));
  if (action_ == ast::OnConflict::Action::kUpdate) touched_.insert(rowid_key);
  return std::optional<Row>(row);
}

}  // namespace sqlrite::engine
