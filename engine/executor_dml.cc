// INSERT, UPDATE, DELETE. UPDATE and DELETE collect the matching rows first and modify after
// the scan, because a B+tree cursor does not survive changes to its tree. Each reports its row
// changes to a ForeignKeyChecks, run at the statement's end (engine/foreign_keys.h).

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "engine/analyze/bind_subquery.h"
#include "engine/assignment.h"
#include "engine/column_defaults.h"
#include "engine/dml_join.h"
#include "engine/dml_with.h"
#include "engine/error_position.h"
#include "engine/exec/read_context.h"
#include "engine/executor.h"
#include "engine/explain_write.h"
#include "engine/foreign_keys.h"
#include "engine/generated_columns.h"
#include "engine/on_conflict.h"
#include "engine/params.h"
#include "engine/plan/instantiate.h"
#include "engine/prepared_plan.h"
#include "engine/returning.h"
#include "engine/session.h"
#include "engine/table_access.h"

namespace sqlrite::engine {
namespace {

Scope TableScope(const TableDef& def, const ast::TableRef& ref) {
  Scope scope;
  scope.reserve(def.columns.size());
  const std::string& qualifier = ref.alias.empty() ? def.name : ref.alias;
  for (const ColumnDef& c : def.columns) scope.push_back({qualifier, c.name, c.type});
  return scope;
}

// RETURNING: a select list over the table's columns, evaluated per affected row. Its subqueries
// read the table as it is when the row is returned (PostgreSQL's read the state before the
// statement).

// An UPDATE's or DELETE's WHERE: subqueries allowed (they read the state before the statement's
// changes, since the matching rows are all collected before the first change), bound over scope
// and made runnable over rctx.
Result<BoundExpr> BindDmlWhere(ExecContext& ctx, const Scope& scope, const ast::Expr& where,
                               exec::ReadContext& rctx) {
  QuerySubqueries subqueries(ctx, ctx.ctes);
  Binder binder(scope);
  binder.SetSubqueries(&subqueries);
  SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.BindCondition(where, "WHERE"));
  plan::InstantiateSubqueries(e, rctx);
  return e;
}

// verb: the statement as PostgreSQL names it in a refusal ("insert into", "update", "delete from").
Result<TableDef*> MutableTable(ExecContext& ctx, const ast::TableName& name, const char* verb) {
  SQLRITE_TRY(RefuseSystemRelation(name, verb));
  const TableDef* found = LookupTable(ctx, name);
  if (found == nullptr) return UndefinedTable(ctx, name);
  return ctx.db.catalog().FindMutable(RelationKey(*found));
}

// The rows of def that satisfy where (every row when null), as (rowid key, row) pairs. UPDATE
// and DELETE collect first and modify after, since a B+tree cursor dies with any change.
Result<std::vector<std::pair<std::string, Row>>> MatchingRows(Database& db, const TableDef& def,
                                                              const BoundExpr* where,
                                                              InterruptCheck& interrupts) {
  std::vector<std::pair<std::string, Row>> matches;
  SQLRITE_TRY(ScanTable(
      db, def, where,
      [&](std::string_view key, Row& row) -> Result<bool> {
        matches.emplace_back(std::string(key), row);
        return true;
      },
      &interrupts));
  return matches;
}

// INSERT, UPDATE and DELETE refuse a sequence (42809), as PostgreSQL's CheckValidResultRel.
Status RefuseSequence(const TableDef& def) {
  if (!def.is_sequence()) return Ok();
  return Fail(sqlstate::kWrongObjectType, "cannot change sequence \"" + def.name + "\"");
}

// INSERT, UPDATE and DELETE refuse a view: PostgreSQL's automatically updatable views are not
// implemented (verb: "insert into", "update", "delete from", as its messages say).
Status RefuseView(const TableDef& def, const char* verb) {
  if (!def.is_view()) return Ok();
  return Fail(Error(sqlstate::kFeatureNotSupported,
                    std::string("cannot ") + verb + " view \"" + def.name + "\"")
                  .WithDetail("Views are read-only in SQLRite: automatically updatable views are "
                              "not supported yet."));
}

Result<int> TargetColumn(const TableDef& def, const std::string& column, int location) {
  int c = def.FindColumn(column);
  if (c < 0) {
    return Fail(Error(sqlstate::kUndefinedColumn,
                      "column \"" + column + "\" of relation \"" + def.name + "\" does not exist")
                    .WithPosition(ErrorPosition(location)));
  }
  return c;
}

}  // namespace

// 428C9 for a value given to a GENERATED ALWAYS identity column, as PostgreSQL's rewriter.
static tl::unexpected<Error> GeneratedAlwaysInsert(const ColumnDef& col) {
  return Fail(Error(sqlstate::kGeneratedAlways,
                    "cannot insert a non-DEFAULT value into column \"" + col.name + "\"")
                  .WithDetail("Column \"" + col.name +
                              "\" is an identity column defined as GENERATED ALWAYS.")
                  .WithHint("Use OVERRIDING SYSTEM VALUE to override."));
}

// $n references in e (a kept binding's copy) become this execution's values, and the steps
// that read the TimeZone are folded with this execution's, as plan::Instantiate does for a
// kept SELECT.
static void PutParamValues(BoundExpr& e, const std::vector<Datum>& values) {
  if (e.kind == ExprKind::kParam) {
    SQLRITE_ASSERT(e.param >= 1 && static_cast<size_t>(e.param) <= values.size());
    e.kind = ExprKind::kConst;
    e.value = values[static_cast<size_t>(e.param - 1)];
    return;
  }
  for (BoundExpr& a : e.args) PutParamValues(a, values);
  FoldZoneDependent(e);
}

// Whether a kept binding may hold e: not when its constants are big (a 50 MB literal of a
// prepared statement would be held once more for the statement's life).
static bool CheapToKeep(const BoundExpr& e, size_t budget = 64 * 1024) {
  size_t bytes = 0;
  auto walk = [&](const BoundExpr& x, auto& self) -> bool {
    if (x.IsConst()) {
      if (const auto* text = std::get_if<std::string>(&x.value)) bytes += text->size();
      if (bytes > budget) return false;
    }
    for (const BoundExpr& a : x.args) {
      if (!self(a, self)) return false;
    }
    return true;
  };
  return walk(e, walk);
}

// Keeps a binding made with $n as references in slot (PreparedPlan::BoundWrite), or clears
// the slot when it may not be kept (keep false, a value read while binding, a big constant).
static void KeepBinding(PreparedPlan& slot, bool keep, const ParamContext& params, char kind,
                        std::shared_ptr<const Catalog> catalog, uint64_t settings_version,
                        uint32_t table_oid, std::vector<std::pair<size_t, BoundExpr>> values,
                        const BoundExpr* where) {
  keep = keep && !params.value_read && (where == nullptr || CheapToKeep(*where));
  for (const auto& [column, value] : values) keep = keep && CheapToKeep(value);
  if (!keep) {
    slot.ClearBoundWrite();
    return;
  }
  PreparedPlan::BoundWrite fresh;
  fresh.kind = kind;
  fresh.catalog = std::move(catalog);
  fresh.settings_version = settings_version;
  fresh.table_oid = table_oid;
  fresh.values = std::move(values);
  if (where != nullptr) fresh.where = *where;
  slot.StoreBoundWrite(std::move(fresh));
}

// The parameters of an Execute that may use or keep its prepared statement's binding
// (PreparedPlan::BoundWrite): a statement of the session's own, against the writer's catalog.
// Null: bind as usual.
static ParamContext* KeptWriteParams(const ExecContext& ctx) {
  if (ctx.describe_only || ctx.ctes != nullptr || ctx.catalog != nullptr || ctx.pages != nullptr) {
    return nullptr;
  }
  ParamContext* params = CurrentParams();
  if (params == nullptr || params->plan == nullptr || params->describing()) return nullptr;
  return params;
}

// Sets params->references while a binding that may be kept is made; put back also on an error.
class ReferencesWhileBinding {
 public:
  explicit ReferencesWhileBinding(ParamContext* params) : params_(params) {
    if (params_ != nullptr) {
      params_->references = true;
      params_->value_read = false;
    }
  }
  ~ReferencesWhileBinding() {
    if (params_ != nullptr) params_->references = false;
  }
  ReferencesWhileBinding(const ReferencesWhileBinding&) = delete;
  ReferencesWhileBinding& operator=(const ReferencesWhileBinding&) = delete;

 private:
  ParamContext* params_;
};

static Result<QueryResult> ExecuteInsertUnguarded(ExecContext& ctx, const ast::Insert& stmt) {
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, MutableTable(ctx, stmt.table.table, "insert into"));
  SQLRITE_TRY(RefuseSequence(*def));
  SQLRITE_TRY(RefuseView(*def, "insert into"));
  const int64_t reserved_before = def->rowid_reserved;
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  ForeignKeyChecks foreign_keys(ctx.db, interrupts, BlockDeferred(ctx.session));
  std::vector<int> targets;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < def->columns.size(); ++i) targets.push_back(static_cast<int>(i));
  } else {
    for (const std::string& name : stmt.columns) {
      SQLRITE_ASSIGN_OR_RETURN(int c, TargetColumn(*def, name, -1));
      for (int t : targets) {
        if (t == c) {
          return Fail(sqlstate::kDuplicateColumn,
                      "column \"" + name + "\" specified more than once");
        }
      }
      targets.push_back(c);
    }
  }
  Scope scope = TableScope(*def, stmt.table);
  Returning returning;
  SQLRITE_TRY(returning.Bind(ctx, scope, stmt.returning));
  SQLRITE_ASSIGN_OR_RETURN(ColumnDefaults defaults, ColumnDefaults::Bind(*def));
  // Whether a value given for column c is used: OVERRIDING USER VALUE ignores those given to
  // identity columns; a GENERATED ALWAYS one takes none without OVERRIDING SYSTEM VALUE.
  auto accepts_value = [&](size_t c) -> Result<bool> {
    const ColumnDef& col = def->columns[c];
    if (col.generated != 0) return GeneratedColumnInsert(col);
    if (col.identity == 0) return true;
    if (stmt.overriding == ast::Overriding::kUserValue) return false;
    if (col.identity == 'a' && stmt.overriding != ast::Overriding::kSystemValue) {
      return GeneratedAlwaysInsert(col);
    }
    return true;
  };
  // Fills the columns of row that no value was given for (given[c] false) with their defaults,
  // in column order.
  std::vector<uint8_t> given(def->columns.size());
  auto fill_defaults = [&](Row& row) -> Status {
    for (size_t c = 0; c < row.size(); ++c) {
      if (given[c]) continue;
      SQLRITE_ASSIGN_OR_RETURN(row[c], defaults.Value(c));
    }
    return Ok();
  };

  QueryResult result;
  int64_t count = 0;
  // ON CONFLICT: each row goes through the clause's arbiters (engine/on_conflict.h).
  std::unique_ptr<OnConflictAction> on_conflict;
  if (stmt.on_conflict) {
    SQLRITE_ASSIGN_OR_RETURN(on_conflict,
                             OnConflictAction::Bind(ctx, *def, stmt.table, *stmt.on_conflict));
  }
  const bool generated = HasGeneratedColumns(*def);
  auto store = [&](Row& row) -> Status {
    // After the defaults and the given values, before any constraint sees the row.
    if (generated) SQLRITE_TRY(ComputeGeneratedColumns(*def, row));
    if (on_conflict) {
      std::optional<Row> replaced;
      SQLRITE_ASSIGN_OR_RETURN(std::optional<Row> stored,
                               on_conflict->Store(ctx, *def, row, &replaced));
      if (!stored) return Ok();
      if (replaced) {
        foreign_keys.RowUpdated(*def, *replaced, *stored);
      } else {
        foreign_keys.RowInserted(*def, *stored);
      }
      SQLRITE_TRY(returning.Emit(*stored, result));
    } else {
      SQLRITE_TRY(InsertRow(ctx.db, *def, row));
      foreign_keys.RowInserted(*def, row);
      if (ctx.observer != nullptr) ctx.observer->Inserted(*def, row);
      SQLRITE_TRY(returning.Emit(row, result));
    }
    ++count;
    return Ok();
  };
  if (stmt.default_values) {
    if (!ctx.describe_only) {
      Row row(def->columns.size());
      std::fill(given.begin(), given.end(), 0);
      SQLRITE_TRY(fill_defaults(row));
      SQLRITE_TRY(store(row));
    }
  } else if (stmt.select) {
    SQLRITE_ASSIGN_OR_RETURN(QueryResult source, ExecuteSelect(ctx, *stmt.select));
    if (source.columns.size() > targets.size()) {
      return Fail(sqlstate::kSyntaxError, "INSERT has more expressions than target columns");
    }
    if (source.columns.size() < targets.size() && !stmt.columns.empty()) {
      return Fail(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
    }
    // Coerce each source column once: a column reference into the source row, cast as an
    // assignment to the target column.
    std::vector<BoundExpr> converters;
    std::vector<uint8_t> used(source.columns.size());
    std::fill(given.begin(), given.end(), 0);
    for (size_t i = 0; i < source.columns.size(); ++i) {
      const size_t c = static_cast<size_t>(targets[i]);
      const ColumnDef& col = def->columns[c];
      SQLRITE_ASSIGN_OR_RETURN(bool accepted, accepts_value(c));
      used[i] = accepted;
      given[c] = accepted;
      BoundExpr ref;
      ref.kind = ExprKind::kColumn;
      ref.index = static_cast<int>(i);
      ref.type = source.columns[i].sql_type();
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr conv,
                               CoerceForAssignment(std::move(ref), col.type, col.name, -1));
      converters.push_back(std::move(conv));
    }
    for (const Row& src : source.rows) {
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      Row row(def->columns.size());
      for (size_t i = 0; i < converters.size(); ++i) {
        if (!used[i]) continue;
        SQLRITE_ASSIGN_OR_RETURN(row[static_cast<size_t>(targets[i])],
                                 Eval(converters[i], EvalContext{src.data(), nullptr}));
      }
      SQLRITE_TRY(fill_defaults(row));
      SQLRITE_TRY(store(row));
    }
  } else {
    Scope no_columns;
    Binder binder(no_columns);
    binder.SetClause("VALUES");
    // A value may be a subquery (reading the statement's WITH queries, engine/dml_with.h).
    exec::ReadContext values_rctx{ctx.db.pager(), ctx.session.StatementInterruptCheck()};
    QuerySubqueries values_subqueries(ctx, ctx.ctes);
    binder.SetSubqueries(&values_subqueries);
    for (const auto& values : stmt.rows) {
      if (values.size() != stmt.rows[0].size()) {
        return Fail(Error(sqlstate::kSyntaxError, "VALUES lists must all be the same length")
                        .WithPosition(values.empty() ? 0 : ErrorPosition(values[0]->location)));
      }
    }
    std::vector<BoundExpr*> column_exprs(def->columns.size());
    std::vector<BoundExpr> bound;
    // A prepared one-row INSERT's values, kept or to keep (PreparedPlan::BoundWrite).
    ParamContext* kept_params = stmt.rows.size() == 1 && !stmt.on_conflict &&
                                        stmt.returning.empty() && stmt.with.empty() && !stmt.explain
                                    ? KeptWriteParams(ctx)
                                    : nullptr;
    std::shared_ptr<const Catalog> shared =
        kept_params != nullptr ? ctx.db.SharedCatalogForWriter() : nullptr;
    PreparedPlan* slot = shared != nullptr ? kept_params->plan : nullptr;
    const uint64_t settings_version = ctx.session.settings_version();
    const PreparedPlan::BoundWrite* found =
        slot != nullptr ? slot->FindBoundWrite('I', shared.get(), settings_version, def->oid)
                        : nullptr;
    for (const auto& values : stmt.rows) {
      if (values.size() > targets.size()) {
        return Fail(Error(sqlstate::kSyntaxError, "INSERT has more expressions than target columns")
                        .WithPosition(ErrorPosition(ExprLocation(*values[targets.size()]))));
      }
      if (values.size() < targets.size() && !stmt.columns.empty()) {
        return Fail(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
      }
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      // Bind the row's values first (every error before any default runs), then evaluate them
      // and the defaults in column order, as PostgreSQL's target list does.
      bound.clear();
      bound.reserve(values.size());
      std::fill(column_exprs.begin(), column_exprs.end(), nullptr);
      std::fill(given.begin(), given.end(), 0);
      std::vector<size_t> bound_column;
      if (found != nullptr) {
        for (const auto& [c, value] : found->values) {
          SQLRITE_ASSIGN_OR_RETURN(bool accepted, accepts_value(c));
          if (!accepted) continue;
          bound.push_back(value);
          PutParamValues(bound.back(), *kept_params->values);
          bound_column.push_back(c);
        }
      } else {
        // Bound with $n as references when the binding may be kept.
        ReferencesWhileBinding references(slot != nullptr ? kept_params : nullptr);
        bool keep = slot != nullptr;
        for (size_t i = 0; i < values.size(); ++i) {
          const ast::Expr& expr = *values[i];
          if (std::holds_alternative<ast::DefaultMarker>(expr.node)) continue;
          const size_t c = static_cast<size_t>(targets[i]);
          const ColumnDef& col = def->columns[c];
          SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, binder.Bind(expr));
          SQLRITE_ASSIGN_OR_RETURN(
              e, CoerceForAssignment(std::move(e), col.type, col.name, ExprLocation(expr)));
          if (plan::HasSubquery(e)) {
            keep = false;
            plan::InstantiateSubqueries(e, values_rctx);
          }
          SQLRITE_ASSIGN_OR_RETURN(bool accepted, accepts_value(c));
          if (!accepted) {
            keep = false;
            continue;
          }
          bound.push_back(std::move(e));
          bound_column.push_back(c);
        }
        if (slot != nullptr) {
          std::vector<std::pair<size_t, BoundExpr>> kept_values;
          for (size_t k = 0; k < bound.size(); ++k) {
            kept_values.emplace_back(bound_column[k], bound[k]);
          }
          KeepBinding(*slot, keep, *kept_params, 'I', shared, settings_version, def->oid,
                      std::move(kept_values), nullptr);
          for (BoundExpr& e : bound) PutParamValues(e, *kept_params->values);
        }
      }
      for (size_t k = 0; k < bound.size(); ++k) {
        column_exprs[bound_column[k]] = &bound[k];
        given[bound_column[k]] = 1;
      }
      if (ctx.describe_only) continue;
      Row row(def->columns.size());
      for (size_t c = 0; c < row.size(); ++c) {
        if (column_exprs[c] != nullptr) {
          BoundExpr& e = *column_exprs[c];
          if (e.IsConst()) {
            // Moved, not copied: `bound` is rebuilt for the next row, and a 50 MB literal must
            // not be held twice (tests/e2e/query_memory.py).
            row[c] = std::move(e.value);
          } else {
            SQLRITE_ASSIGN_OR_RETURN(row[c], Eval(e, EvalContext{}));
          }
        } else {
          SQLRITE_ASSIGN_OR_RETURN(row[c], defaults.Value(c));
        }
      }
      SQLRITE_TRY(store(row));
    }
  }
  SQLRITE_TRY(foreign_keys.Finish());
  if (def->rowid_reserved != reserved_before && !ctx.describe_only && !ctx.trial)
    SQLRITE_TRY(ctx.db.catalog().Save(*def));
  returning.Finish(result);
  result.command_tag = "INSERT 0 " + std::to_string(count);
  return result;
}

// EXPLAIN ANALYZE of an UPDATE / DELETE (engine/explain_write.h): what the statement's own run
// adds to its plan, when it runs explained.
struct WriteAnalysis {
  ast::ExplainOptions options;
  std::vector<std::string> scan;                // the counted scan's lines
  std::chrono::steady_clock::time_point bound;  // the statement bound, its rows not yet read
};

static Result<QueryResult> ExecuteUpdateUnguarded(ExecContext& ctx, const ast::Update& stmt,
                                                  WriteAnalysis* analysis) {
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, MutableTable(ctx, stmt.table.table, "update"));
  SQLRITE_TRY(RefuseSequence(*def));
  SQLRITE_TRY(RefuseView(*def, "update"));
  if (stmt.from_query) return ExecuteUpdateFrom(ctx, stmt, *def);
  struct Set {
    size_t column;
    BoundExpr value;
  };
  std::vector<Set> sets;
  BoundExpr where;
  // SET values may run subqueries too; they read the table as it was before the statement (every
  // new row is computed before the first change, below).
  exec::ReadContext rctx{ctx.db.pager(), ctx.session.StatementInterruptCheck()};
  bool sets_run_subqueries = false;
  Returning returning;
  // A prepared statement's binding, kept or to keep (PreparedPlan::BoundWrite).
  ParamContext* kept_params = analysis == nullptr && !stmt.from_query && !stmt.explain &&
                                      stmt.with.empty() && stmt.returning.empty()
                                  ? KeptWriteParams(ctx)
                                  : nullptr;
  std::shared_ptr<const Catalog> shared =
      kept_params != nullptr ? ctx.db.SharedCatalogForWriter() : nullptr;
  const uint64_t settings_version = ctx.session.settings_version();
  PreparedPlan* slot = shared != nullptr ? kept_params->plan : nullptr;
  const PreparedPlan::BoundWrite* found =
      slot != nullptr ? slot->FindBoundWrite('U', shared.get(), settings_version, def->oid)
                      : nullptr;
  if (found != nullptr) {
    const PreparedPlan::BoundWrite& kept = *found;
    sets.reserve(kept.values.size());
    for (const auto& [column, value] : kept.values) {
      sets.push_back({column, value});
      PutParamValues(sets.back().value, *kept_params->values);
    }
    if (kept.where) {
      where = *kept.where;
      PutParamValues(where, *kept_params->values);
    }
  } else {
    // Bound with $n as references when the binding may be kept.
    ReferencesWhileBinding references(slot != nullptr ? kept_params : nullptr);
    std::optional<ColumnDefaults> defaults;
    Scope scope = TableScope(*def, stmt.table);
    QuerySubqueries subqueries(ctx, ctx.ctes);
    Binder binder(scope);
    binder.SetSubqueries(&subqueries);
    binder.SetClause("UPDATE");
    for (const ast::Assignment& a : stmt.assignments) {
      SQLRITE_ASSIGN_OR_RETURN(int c, TargetColumn(*def, a.column, a.location));
      SQLRITE_ASSIGN_OR_RETURN(BoundExpr e, BindAssignmentValue(*def, static_cast<size_t>(c),
                                                                *a.value, binder, defaults, rctx));
      if (plan::HasSubquery(e)) sets_run_subqueries = true;
      sets.push_back({static_cast<size_t>(c), std::move(e)});
    }
    std::vector<size_t> columns;
    columns.reserve(sets.size());
    for (const Set& set : sets) columns.push_back(set.column);
    SQLRITE_TRY(CheckDistinctAssignments(*def, columns));
    if (stmt.where) {
      SQLRITE_ASSIGN_OR_RETURN(where, BindDmlWhere(ctx, scope, *stmt.where, rctx));
    }
    SQLRITE_TRY(returning.Bind(ctx, scope, stmt.returning));
    if (slot != nullptr) {
      std::vector<std::pair<size_t, BoundExpr>> values;
      for (const Set& set : sets) values.emplace_back(set.column, set.value);
      KeepBinding(*slot, !sets_run_subqueries && !(stmt.where && plan::HasSubquery(where)),
                  *kept_params, 'U', shared, settings_version, def->oid, std::move(values),
                  stmt.where ? &where : nullptr);
      for (Set& set : sets) PutParamValues(set.value, *kept_params->values);
      if (stmt.where) PutParamValues(where, *kept_params->values);
    }
  }
  QueryResult result;
  if (ctx.describe_only) {
    returning.Finish(result);
    return result;
  }

  if (analysis != nullptr) {
    analysis->bound = std::chrono::steady_clock::now();
    SQLRITE_ASSIGN_OR_RETURN(analysis->scan,
                             AnalyzeWriteScan(rctx, *def, stmt.table.alias,
                                              stmt.where ? &where : nullptr, analysis->options));
  }
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  SQLRITE_ASSIGN_OR_RETURN(auto matches,
                           MatchingRows(ctx.db, *def, stmt.where ? &where : nullptr, interrupts));
  ForeignKeyChecks foreign_keys(ctx.db, interrupts, BlockDeferred(ctx.session));
  const bool generated = HasGeneratedColumns(*def);
  auto compute = [&](const Row& old_row, Row& new_row) -> Status {
    new_row = old_row;
    for (const Set& s : sets) {
      SQLRITE_ASSIGN_OR_RETURN(new_row[s.column],
                               Eval(s.value, EvalContext{old_row.data(), nullptr}));
    }
    if (generated) SQLRITE_TRY(ComputeGeneratedColumns(*def, new_row));
    return Ok();
  };
  std::vector<Row> computed;  // with subqueries in SET: every new row, before any change
  if (sets_run_subqueries) {
    computed.resize(matches.size());
    for (size_t i = 0; i < matches.size(); ++i) {
      if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
      SQLRITE_TRY(compute(matches[i].second, computed[i]));
    }
  }
  Row new_row;
  for (size_t i = 0; i < matches.size(); ++i) {
    const std::string& key = matches[i].first;
    const Row& old_row = matches[i].second;
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    if (sets_run_subqueries) {
      new_row = std::move(computed[i]);
    } else {
      SQLRITE_TRY(compute(old_row, new_row));
    }
    SQLRITE_TRY(UpdateRow(ctx.db, *def, key, old_row, new_row));
    foreign_keys.RowUpdated(*def, old_row, new_row);
    if (ctx.observer != nullptr) ctx.observer->Updated(*def, key, new_row);
    SQLRITE_TRY(returning.Emit(new_row, result));
  }
  SQLRITE_TRY(foreign_keys.Finish());
  returning.Finish(result);
  result.command_tag = "UPDATE " + std::to_string(matches.size());
  return result;
}

static Result<QueryResult> ExecuteDeleteUnguarded(ExecContext& ctx, const ast::Delete& stmt,
                                                  WriteAnalysis* analysis) {
  SQLRITE_ASSIGN_OR_RETURN(TableDef * def, MutableTable(ctx, stmt.table.table, "delete from"));
  SQLRITE_TRY(RefuseSequence(*def));
  SQLRITE_TRY(RefuseView(*def, "delete from"));
  if (stmt.using_query) return ExecuteDeleteUsing(ctx, stmt, *def);
  Scope scope = TableScope(*def, stmt.table);
  exec::ReadContext rctx{ctx.db.pager(), ctx.session.StatementInterruptCheck()};
  BoundExpr where;
  if (stmt.where) {
    SQLRITE_ASSIGN_OR_RETURN(where, BindDmlWhere(ctx, scope, *stmt.where, rctx));
  }
  Returning returning;
  SQLRITE_TRY(returning.Bind(ctx, scope, stmt.returning));
  QueryResult result;
  if (ctx.describe_only) {
    returning.Finish(result);
    return result;
  }
  if (analysis != nullptr) {
    analysis->bound = std::chrono::steady_clock::now();
    SQLRITE_ASSIGN_OR_RETURN(analysis->scan,
                             AnalyzeWriteScan(rctx, *def, stmt.table.alias,
                                              stmt.where ? &where : nullptr, analysis->options));
  }
  InterruptCheck interrupts = ctx.session.StatementInterruptCheck();
  SQLRITE_ASSIGN_OR_RETURN(auto matches,
                           MatchingRows(ctx.db, *def, stmt.where ? &where : nullptr, interrupts));
  ForeignKeyChecks foreign_keys(ctx.db, interrupts, BlockDeferred(ctx.session));
  for (auto& [key, row] : matches) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    SQLRITE_TRY(DeleteRow(ctx.db, *def, key, row));
    foreign_keys.RowDeleted(*def, row);
    SQLRITE_TRY(returning.Emit(row, result));
  }
  SQLRITE_TRY(foreign_keys.Finish());
  returning.Finish(result);
  result.command_tag = "DELETE " + std::to_string(matches.size());
  return result;
}

// EXPLAIN ANALYZE of a write: run (or, describing, bound) as it is, its result the plan.
template <typename Run>
static Result<QueryResult> ExplainWrite(ExecContext& ctx, const ast::ExplainOptions& options,
                                        const char* operation, const ast::TableRef& table,
                                        WriteAnalysis* analysis, const Run& run) {
  const auto start = std::chrono::steady_clock::now();
  SQLRITE_ASSIGN_OR_RETURN(QueryResult ran, GuardStatement(run));
  const auto end = std::chrono::steady_clock::now();
  if (ctx.describe_only) {
    QueryResult described;
    described.returns_rows = true;
    described.columns = {ColumnInfo{"QUERY PLAN", TypeId::kText, -1}};
    return described;
  }
  const auto bound = analysis != nullptr ? analysis->bound : start;
  std::string target = table.table.name;
  if (!table.alias.empty()) target += " " + table.alias;
  const std::vector<std::string> child =
      analysis != nullptr ? std::move(analysis->scan) : std::vector<std::string>();
  return ExplainWriteResult(options, operation, target, ran.returns_rows ? ran.rows.size() : 0,
                            child, std::chrono::duration<double>(bound - start).count(),
                            std::chrono::duration<double>(end - bound).count());
}

Result<QueryResult> ExecuteInsert(ExecContext& ctx, const ast::Insert& stmt) {
  if (stmt.explain && !stmt.with.empty()) {
    return Fail(sqlstate::kFeatureNotSupported,
                "EXPLAIN ANALYZE of a statement with WITH is not supported yet");
  }
  if (stmt.explain) {
    if (stmt.select || stmt.on_conflict) {
      return Fail(sqlstate::kFeatureNotSupported, std::string("EXPLAIN ANALYZE of INSERT ... ") +
                                                      (stmt.select ? "SELECT" : "ON CONFLICT") +
                                                      " is not supported yet");
    }
    const auto start = std::chrono::steady_clock::now();
    SQLRITE_ASSIGN_OR_RETURN(QueryResult result,
                             ExplainWrite(ctx, *stmt.explain, "Insert", stmt.table, nullptr,
                                          [&] { return ExecuteInsertUnguarded(ctx, stmt); }));
    if (ctx.describe_only) return result;
    // The rows came from the statement itself: its VALUES node is printed under the Insert.
    const size_t rows = stmt.default_values ? 1 : stmt.rows.size();
    std::vector<std::string> source = InsertSourceLines(
        rows, *stmt.explain,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    result.rows.insert(result.rows.begin() + 1, Row{Datum("  ->  " + source[0])});
    return result;
  }
  if (!stmt.with.empty()) {
    return GuardStatement([&] {
      return ExecuteWithList(ctx, stmt, [&] { return ExecuteInsertUnguarded(ctx, stmt); });
    });
  }
  return GuardStatement([&] { return ExecuteInsertUnguarded(ctx, stmt); });
}

Result<QueryResult> ExecuteUpdate(ExecContext& ctx, const ast::Update& stmt) {
  if (stmt.explain && !stmt.with.empty()) {
    return Fail(sqlstate::kFeatureNotSupported,
                "EXPLAIN ANALYZE of a statement with WITH is not supported yet");
  }
  if (stmt.explain) {
    if (stmt.from_query) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "EXPLAIN ANALYZE of UPDATE ... FROM is not supported yet");
    }
    WriteAnalysis analysis;
    analysis.options = *stmt.explain;
    WriteAnalysis* a = ctx.describe_only ? nullptr : &analysis;
    return ExplainWrite(ctx, *stmt.explain, "Update", stmt.table, a,
                        [&] { return ExecuteUpdateUnguarded(ctx, stmt, a); });
  }
  if (!stmt.with.empty()) {
    return GuardStatement([&] {
      return ExecuteWithList(ctx, stmt, [&] { return ExecuteUpdateUnguarded(ctx, stmt, nullptr); });
    });
  }
  return GuardStatement([&] { return ExecuteUpdateUnguarded(ctx, stmt, nullptr); });
}

Result<QueryResult> ExecuteDelete(ExecContext& ctx, const ast::Delete& stmt) {
  if (stmt.explain && !stmt.with.empty()) {
    return Fail(sqlstate::kFeatureNotSupported,
                "EXPLAIN ANALYZE of a statement with WITH is not supported yet");
  }
  if (stmt.explain) {
    if (stmt.using_query) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "EXPLAIN ANALYZE of DELETE ... USING is not supported yet");
    }
    WriteAnalysis analysis;
    analysis.options = *stmt.explain;
    WriteAnalysis* a = ctx.describe_only ? nullptr : &analysis;
    return ExplainWrite(ctx, *stmt.explain, "Delete", stmt.table, a,
                        [&] { return ExecuteDeleteUnguarded(ctx, stmt, a); });
  }
  if (!stmt.with.empty()) {
    return GuardStatement([&] {
      return ExecuteWithList(ctx, stmt, [&] { return ExecuteDeleteUnguarded(ctx, stmt, nullptr); });
    });
  }
  return GuardStatement([&] { return ExecuteDeleteUnguarded(ctx, stmt, nullptr); });
}

}  // namespace sqlrite::engine
