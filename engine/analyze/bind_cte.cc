// WITH: each query bound and planned once, in order; WITH RECURSIVE's self-reference bound as a
// work table (see bind_cte.h).

#include "engine/analyze/bind_cte.h"

#include <atomic>
#include <utility>

#include "common/assert.h"
#include "engine/analyze/bind_set_op.h"
#include "engine/error_position.h"
#include "engine/plan/planner.h"

namespace sqlrite::engine {
namespace {

// Work table ids: unique within a process, so nested recursive queries never mix theirs.
std::atomic<int> next_worktable{1};

Result<std::shared_ptr<const TableDef>> MakeDef(const ast::CommonTableExpr& cte,
                                                const std::vector<ColumnInfo>& columns) {
  if (cte.column_aliases.size() > columns.size()) {
    return Fail(Error(sqlstate::kInvalidColumnReference,
                      "WITH query \"" + cte.name + "\" has " + std::to_string(columns.size()) +
                          " columns available but " + std::to_string(cte.column_aliases.size()) +
                          " columns specified")
                    .WithPosition(ErrorPosition(cte.location)));
  }
  auto def = std::make_shared<TableDef>();
  def->name = cte.name;
  for (size_t c = 0; c < columns.size(); ++c) {
    ColumnDef col;
    col.name = c < cte.column_aliases.size() ? cte.column_aliases[c] : columns[c].name;
    col.type = columns[c].sql_type();
    def->columns.push_back(std::move(col));
  }
  return std::shared_ptr<const TableDef>(std::move(def));
}

tl::unexpected<Error> RecursionError(std::string message, int location) {
  return Fail(
      Error(sqlstate::kInvalidRecursion, std::move(message)).WithPosition(ErrorPosition(location)));
}

// The recursive query cte (its query names itself) into entry.
Status BindRecursive(ExecContext& ctx, const ast::CommonTableExpr& cte, const BindEnv& env,
                     CteScope& scope) {
  const ast::Select& q = *cte.query;
  if (!q.set_op || q.set_op->kind != ast::SetOpKind::kUnion) {
    return RecursionError("recursive query \"" + cte.name +
                              "\" does not have the form non-recursive-term UNION [ALL] "
                              "recursive-term",
                          cte.location);
  }
  if (!q.order_by.empty()) {
    return Fail(sqlstate::kFeatureNotSupported, "ORDER BY in a recursive query is not implemented");
  }
  if (q.offset) {
    return Fail(sqlstate::kFeatureNotSupported, "OFFSET in a recursive query is not implemented");
  }
  if (q.limit) {
    return Fail(sqlstate::kFeatureNotSupported, "LIMIT in a recursive query is not implemented");
  }
  if (NamesTable(q.set_op->left, cte.name)) {
    return RecursionError("recursive reference to query \"" + cte.name +
                              "\" must not appear within its "
                              "non-recursive term",
                          cte.location);
  }
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect left, BindSelect(ctx, q.set_op->left, &env));
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const TableDef> def, MakeDef(cte, left.items.columns));
  // The left's column names stay those of the query (the alias list names the CTE's).
  const int worktable = next_worktable.fetch_add(1);
  int self_references = 0;
  scope.entries.push_back(CteEntry{cte.name, def, nullptr, worktable, &self_references, nullptr});
  Result<BoundSelect> right = BindSelect(ctx, q.set_op->right, &env);
  scope.entries.pop_back();
  if (!right) return Fail(std::move(right.error()));
  if (self_references > 1) {
    return RecursionError(
        "recursive reference to query \"" + cte.name + "\" must not appear more than once",
        cte.location);
  }
  if (right->aggregated && !right->aggs.empty()) {
    return RecursionError(
        "aggregate functions are not allowed in a recursive query's recursive "
        "term",
        cte.location);
  }
  if (left.items.columns.size() != right->items.columns.size()) {
    return Fail(sqlstate::kSyntaxError, "each UNION query must have the same number of columns");
  }
  std::vector<BoundExpr> convert;
  std::vector<TypeId> key_types;
  for (size_t i = 0; i < left.items.columns.size(); ++i) {
    const ColumnInfo& lc = left.items.columns[i];
    const ColumnInfo& rc = right->items.columns[i];
    const SqlType lt = lc.sql_type();
    const int location = i < right->items.exprs.size() ? right->items.exprs[i].location : -1;
    SQLRITE_ASSIGN_OR_RETURN(
        SqlType common,
        SelectCommonType(lt, false, rc.sql_type(), IsUntypedColumn(*right, i), "UNION", location));
    if (common.id != lt.id) {
      return Fail(
          Error(sqlstate::kDatatypeMismatch,
                "recursive query \"" + cte.name + "\" column " + std::to_string(i + 1) +
                    " has type " + TypeDisplayName(lt) + " in non-recursive term but type " +
                    TypeDisplayName(common) + " overall")
              .WithHint("Cast the output of the non-recursive term to the correct type.")
              .WithPosition(
                  ErrorPosition(i < left.items.exprs.size() ? left.items.exprs[i].location : -1)));
    }
    SQLRITE_TRY(ConvertColumn(*right, i, lt, convert));
    key_types.push_back(lt.id);
  }
  SQLRITE_ASSIGN_OR_RETURN(
      plan::NodePtr root,
      plan::PlanRecursiveUnion(cte.name, q.set_op->all, worktable, std::move(key_types),
                               std::move(left), std::move(*right), std::move(convert)));
  auto share = std::make_shared<plan::CteShare>();
  share->always = true;  // a recursive query is always materialized
  share->depth = env.depth;
  scope.entries.push_back(CteEntry{cte.name, def,
                                   std::shared_ptr<const plan::Node>(std::move(root)), -1, nullptr,
                                   std::move(share)});
  return Ok();
}

}  // namespace

namespace {
bool NamesTable(const ast::TableRef& ref, const std::string& name) {
  if (ref.join) return NamesTable(ref.join->left, name) || NamesTable(ref.join->right, name);
  if (ref.subquery) return engine::NamesTable(*ref.subquery, name);
  return ref.table.name == name;
}
}  // namespace

// A WITH query of the same name hides the table from what follows it.
bool NamesTable(const ast::Select& q, const std::string& name) {
  for (const ast::CommonTableExpr& c : q.with) {
    if (c.name == name) return false;
    if (c.query && NamesTable(*c.query, name)) return true;
  }
  if (q.set_op) return NamesTable(q.set_op->left, name) || NamesTable(q.set_op->right, name);
  for (const ast::TableRef& ref : q.from) {
    if (NamesTable(ref, name)) return true;
  }
  return false;
}

const CteEntry* CteScope::Find(const std::string& name) const {
  for (const CteScope* s = this; s != nullptr; s = s->parent) {
    for (auto it = s->entries.rbegin(); it != s->entries.rend(); ++it) {
      if (it->name == name) return &*it;
    }
  }
  return nullptr;
}

Status CheckWithNames(const std::vector<ast::CommonTableExpr>& with) {
  for (size_t i = 0; i < with.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (with[j].name == with[i].name) {
        return Fail(Error(sqlstate::kDuplicateAlias,
                          "WITH query name \"" + with[i].name + "\" specified more than once")
                        .WithPosition(ErrorPosition(with[i].location)));
      }
    }
  }
  return Ok();
}

Status BindWithQuery(ExecContext& ctx, const ast::CommonTableExpr& cte, bool recursive,
                     const BindEnv& inner, CteScope& scope) {
  SQLRITE_ASSERT(cte.query != nullptr);
  if (recursive && NamesTable(*cte.query, cte.name)) return BindRecursive(ctx, cte, inner, scope);
  SQLRITE_ASSIGN_OR_RETURN(BoundSelect bound, BindSelect(ctx, *cte.query, &inner));
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const TableDef> def, MakeDef(cte, bound.items.columns));
  SQLRITE_ASSIGN_OR_RETURN(plan::Plan plan, plan::PlanSelect(std::move(bound)));
  auto share = std::make_shared<plan::CteShare>();
  share->depth = inner.depth;
  // A volatile function gives one value per row of one run, never one per reference, even
  // under NOT MATERIALIZED (PostgreSQL inlines no query that holds one).
  share->always =
      cte.materialize == ast::CteMaterialize::kAlways || plan::ContainsVolatile(*plan.root);
  share->never = cte.materialize == ast::CteMaterialize::kNever;
  scope.entries.push_back(CteEntry{cte.name, def,
                                   std::shared_ptr<const plan::Node>(std::move(plan.root)), -1,
                                   nullptr, std::move(share)});
  return Ok();
}

namespace {

// A plan that reads rows fixed before the statement's query runs: a WorkTableScan holding them.
std::shared_ptr<const plan::Node> RowsPlan(const TableDef& def,
                                           std::shared_ptr<const std::vector<Row>> rows) {
  auto node = std::make_unique<plan::Node>();
  plan::WorkTableScan scan;
  scan.name = def.name;
  for (const ColumnDef& c : def.columns) scan.columns.push_back(c.name);
  scan.rows = std::move(rows);
  node->op = std::move(scan);
  node->width = def.columns.size();
  return std::shared_ptr<const plan::Node>(std::move(node));
}

}  // namespace

Status AddWithRows(const ast::CommonTableExpr& cte, const std::vector<ColumnInfo>& columns,
                   std::shared_ptr<const std::vector<Row>> rows, bool without_returning,
                   CteScope& scope) {
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const TableDef> def, MakeDef(cte, columns));
  CteEntry entry{cte.name, def, RowsPlan(*def, std::move(rows)), -1, nullptr, nullptr};
  entry.without_returning = without_returning;
  scope.entries.push_back(std::move(entry));
  return Ok();
}

void AddTableRows(const TableDef& table, std::shared_ptr<const std::vector<Row>> rows,
                  CteScope& scope) {
  auto def = std::make_shared<TableDef>();
  def->name = table.name;
  def->columns = table.columns;
  scope.entries.push_back(
      CteEntry{table.name, def, RowsPlan(*def, std::move(rows)), -1, nullptr, nullptr});
}

Status BindWith(ExecContext& ctx, const ast::Select& stmt, const BindEnv* env, CteScope& scope) {
  scope.parent = env != nullptr ? env->ctes : nullptr;
  SQLRITE_TRY(CheckWithNames(stmt.with));
  const BindEnv inner{env != nullptr ? env->outer : nullptr, &scope,
                      env != nullptr ? env->depth : 0};
  for (const ast::CommonTableExpr& cte : stmt.with) {
    // Data-modifying queries are only at the top level, which engine/dml_with.h binds.
    if (cte.query == nullptr) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "WITH clause containing a data-modifying statement must be at the top level");
    }
    SQLRITE_TRY(BindWithQuery(ctx, cte, stmt.with_recursive, inner, scope));
  }
  return Ok();
}

}  // namespace sqlrite::engine
