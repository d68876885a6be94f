#pragma once
// Expressions: the binder turns an ast::Expr into a BoundExpr (column references resolved to row
// positions, every node typed as PostgreSQL would type it, unknown-typed literals coerced to
// their context, constants folded where that is free), and Eval computes a BoundExpr over one
// row. Type errors are found by the binder, before any row is touched; run-time errors
// (overflow, division by zero, bad input text) by Eval.
//
// Three-valued logic: NULL is std::monostate; AND/OR/NOT, comparisons, IN and CASE follow SQL.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/sql/ast.h"
#include "engine/types.h"
#include "engine/types/enum_type.h"
#include "engine/value.h"

namespace sqlrite::engine {

enum class ExprKind : uint8_t {
  kConst,
  kColumn,
  kAggRef,
  kNot,
  kNegate,
  kArith,
  kConcat,
  kCompare,
  // args[0] IS DISTINCT FROM args[1] (negated: IS NOT DISTINCT FROM): the `=` of kCompare (op
  // kEq, flag as kCompare's) with NULL a value, so never NULL.
  kDistinct,
  kAnd,
  kOr,
  kIsNull,
  kBoolTest,
  kLike,
  kIn,
  kCase,
  kCast,
  kCoalesce,
  kFunc,
  kBuiltin,  // a function of the registry (engine/functions/builtin.h): `builtin`, over args
  // $`param` of a prepared statement whose plan is kept (engine/params.h): never folded, and
  // replaced by its value when the plan is instantiated (plan::Instantiate), so Eval meets it
  // only while analysis evaluates a clause (LIMIT $1), where it reads the current value.
  kParam,
  // A subquery's value (engine/analyze/bind_subquery.h): `subquery` holds its plan, args its
  // outer values then, for ANY / ALL, the left operand; `run` evaluates it once instantiated.
  kSubquery,
  // Inside a subquery's plan: the value `index` of the values the enclosing query passes it
  // (kSubquery's args), replaced by that value when the plan is instantiated for an outer row.
  kOuterRef,
  // A window function's value: the call `index` of the query's WindowScope. The planner
  // replaces it by the column its WindowAgg appends (engine/plan/planner.cc); Eval never meets
  // one.
  kWindowRef,
  // A select list's set-returning call: the call `index` of the query's ProjectSet
  // (Binder::CollectSetReturning). The planner replaces it by the column the ProjectSet
  // appends; Eval never meets one.
  kSetRef,
  // (args[0]).field: field `index` of a record (engine/record_type.h).
  kFieldSelect,
  // ARRAY[args...]: an array of `type`, its elements the args (each of type.elem).
  kArrayCtor,
  // args[0][args[1]] (flag false), or the slice args[0][args[1]:args[2]] (flag true; `index`
  // bit 0: the lower bound is given, bit 1: the upper; an omitted one is a NULL constant).
  kSubscript,
  // args[0] op ANY (args[1]) (flag false) / op ALL (flag true): args[1] an array whose
  // elements have args[0]'s type.
  kAnyAll,
  // array || array (index 0), array || element (1), element || array (2).
  kArrayConcat,
  // GREATEST(args...) (flag false) / LEAST(args...) (flag true): the largest / smallest of the
  // non-NULL args (all of `type`) in the type's sort order; NULL when every one is NULL.
  kMinMax,
  // ROW(args...), (a, b) outside a comparison, or a whole-row reference (t): a record of the
  // args' values (engine/row_value.h), `value` holding its field descriptor (types and names,
  // fixed at bind time); type kRecord, its enum_oid the table's row type (0: anonymous).
  kRowCtor,
};

enum class Func : uint8_t {
  kLower,
  kUpper,
  kLength,
  kAbs,
  kRound,  // args: value [, scale (numeric only)]
  kTrunc,  // args: value [, scale (numeric only)]
  kCeil,
  kFloor,
  kSign,
  kSqrt,
  kPower,        // args: base, exponent
  kOctetLength,  // text, char(n) (with its padding), bytea: bytes
  kEncode,       // args: bytea, format
  kDecode,       // args: text, format
  kMd5,          // text or bytea -> text
  kSha224,       // bytea -> bytea, as the three below
  kSha256,
  kSha384,
  kSha512,
  kGenRandomUuid,  // no args; never folded
};

namespace functions {
struct Builtin;
}  // namespace functions

struct BoundExpr;
struct EvalContext;
// How a kSubquery node's value comes from its query's rows, as PostgreSQL's SubLink types:
// kScalar the one row's one value (NULL for none, 21000 for more), kExists whether there is a
// row, kAny / kAll the comparison of the left operand with each row's value, OR-ed / AND-ed
// with SQL's NULL rules, kArray ARRAY(SELECT ...): the rows' values as an array, kRowCompare
// `(a, b) op (SELECT x, y)`: the comparison of the left row with the one row's values (NULL for
// no row, 21000 for more).
enum class SubqueryKind : uint8_t { kScalar, kExists, kAny, kAll, kArray, kRowCompare };
// What a kSubquery node runs: its kind and plan (engine/plan/subquery_link.h), immutable once
// built and shared by every copy of the node.
struct SubqueryLink;
// A kSubquery node's state for one execution (engine/exec/subquery.h): set when its plan is
// instantiated.
class SubqueryRun {
 public:
  virtual ~SubqueryRun() = default;
  virtual Result<Datum> Evaluate(const BoundExpr& e, const EvalContext& ctx) = 0;
};

struct BoundExpr {
  ExprKind kind = ExprKind::kConst;
  SqlType type;
  ast::BinaryOp op = ast::BinaryOp::kAdd;  // kArith, kCompare
  int index = -1;        // kColumn/kAggRef: position; kBoolTest: the ast kind; kFunc: Func
  bool negated = false;  // kIsNull (IS NOT NULL), kLike, kIn
  bool flag = false;     // kCase: has an operand (args[0]); kLike: ILIKE
  Datum value;           // kConst
  int location = -1;     // kColumn, unknown literals: where written (0-based)
  // kConst standing for parameter $param (1-based) while a statement is described: a coercion
  // of it fixes that parameter's type (engine/params.h); kParam: the parameter referred to.
  // 0: not a parameter.
  int param = 0;
  std::vector<BoundExpr> args;
  const functions::Builtin* builtin = nullptr;   // kBuiltin: the overload resolved
  std::shared_ptr<const SubqueryLink> subquery;  // kSubquery
  std::shared_ptr<SubqueryRun> run;              // kSubquery, once instantiated
  // kCast to an enum (or an array of one): the type, whose labels a run-time cast reads
  // wherever the pipeline runs (no catalog scope there).
  EnumTypePtr enum_type;
  // kCase without operand: args = [cond, result]..., else. With operand: operand first.
  // kCast: args[0] is the operand, `type` the target.

  bool IsConst() const { return kind == ExprKind::kConst; }
};

// One column visible to an expression: its table (alias or name) and name.
struct ScopeColumn {
  std::string table;
  std::string name;
  SqlType type;
  // Merged into a JOIN USING/NATURAL column (which follows, with an empty table): only a
  // qualified reference (t.name) names this one.
  bool merged_away = false;
  // The oid of the stored table or system relation the column is of (0: a derived table's, a
  // function's, a join's): what the system column tableoid reads.
  uint32_t table_oid = 0;
  // Found by a reference but not readable from here (MERGE's target in a WHEN NOT MATCHED
  // clause): 42703 / 42P01 with PostgreSQL's HINT, as a derived table's refused FROM items.
  bool hidden = false;
};
using Scope = std::vector<ScopeColumn>;

// kJsonAgg..kJsonbObjectAgg: json_agg, jsonb_agg, json_object_agg, jsonb_object_agg (the object
// aggregates' value argument is AggSpec::delimiter).
enum class AggKind : uint8_t {
  kCountStar,
  kCount,
  kSum,
  kMin,
  kMax,
  kAvg,
  kStringAgg,
  kArrayAgg,
  kJsonAgg,
  kJsonbAgg,
  kJsonObjectAgg,
  kJsonbObjectAgg,
  // bit_and, bit_or, bit_xor over the integer types and bit (NULLs skipped, NULL for no row).
  kBitAnd,
  kBitOr,
  kBitXor,
  // Ordered-set aggregates (WITHIN GROUP, engine/exec/ordered_set.h): their input is
  // order_by[0]'s values (NULLs skipped), sorted; percentile_cont's and percentile_disc's
  // fraction (or array of fractions: the result is then an array) is direct_args[0].
  kPercentileCont,
  kPercentileDisc,
  kMode,
  // Hypothetical-set aggregates: the hypothetical row is direct_args, its place found among the
  // input rows of order_by's values (NULLs kept).
  kHypotheticalRank,
  kHypotheticalDenseRank,
  kHypotheticalPercentRank,
  kHypotheticalCumeDist,
  // The statistical aggregates (engine/exec/statistics.h): over one argument (`arg`; numeric
  // for integer and numeric input, float8 for float4/float8) ...
  kVarPop,
  kVarSamp,
  kStddevPop,
  kStddevSamp,
  // ... and over two float8 ones, Y (`arg`) and X (`delimiter`), rows with either NULL skipped.
  kCorr,
  kCovarPop,
  kCovarSamp,
  kRegrAvgX,
  kRegrAvgY,
  kRegrCount,
  kRegrIntercept,
  kRegrR2,
  kRegrSlope,
  kRegrSxx,
  kRegrSxy,
  kRegrSyy,
};
inline bool IsJsonAgg(AggKind k) {
  return k == AggKind::kJsonAgg || k == AggKind::kJsonbAgg || k == AggKind::kJsonObjectAgg ||
         k == AggKind::kJsonbObjectAgg;
}
inline bool IsOrderedSetAgg(AggKind k) {
  return k >= AggKind::kPercentileCont && k <= AggKind::kHypotheticalCumeDist;
}
inline bool IsHypotheticalAgg(AggKind k) {
  return k >= AggKind::kHypotheticalRank && k <= AggKind::kHypotheticalCumeDist;
}
inline bool IsStatisticAgg(AggKind k) { return k >= AggKind::kVarPop; }
// The two-argument statistical aggregates (Y, X).
inline bool IsRegressionAgg(AggKind k) { return k >= AggKind::kCorr; }
// An ORDER BY key inside an aggregate call.
struct AggOrderKey {
  BoundExpr expr;
  bool descending = false;
  bool nulls_first = false;
};
struct AggSpec {
  AggKind kind = AggKind::kCountStar;
  bool distinct = false;
  BoundExpr arg;                    // unused for count(*)
  SqlType type;                     // result type
  std::optional<BoundExpr> filter;  // FILTER (WHERE ...): only rows for which it is true count
  // string_agg's delimiter, evaluated per row as PostgreSQL's (over the input row, as arg);
  // json[b]_object_agg's value (arg is the key).
  std::optional<BoundExpr> delimiter;
  // ORDER BY inside the call: the order the rows are aggregated in (string_agg's and
  // array_agg's values depend on it; the other aggregates' do not, and ignore it). An
  // ordered-set aggregate's WITHIN GROUP keys (its aggregated arguments).
  std::vector<AggOrderKey> order_by;
  // An ordered-set aggregate's direct arguments: evaluated once per group, over the group's
  // values (they may read only grouped columns, as PostgreSQL checks).
  std::vector<BoundExpr> direct_args;
};

// ---- window functions (engine/analyze/bind_window.cc binds them, engine/exec/window.h runs
// them) ----

enum class WindowFuncKind : uint8_t {
  kAggregate,  // an aggregate over the frame (WindowCall::agg)
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,  // args: bucket count (int4)
  kLag,    // args: value [, offset (int4) [, default (the value's type)]]
  kLead,
  kFirstValue,  // args: value
  kLastValue,
  kNthValue,  // args: value, n (int4)
};

struct WindowOrderKey {
  BoundExpr expr;
  bool descending = false;
  bool nulls_first = false;
};

// A frame: ast::kFrame* options. ROWS / GROUPS offsets are int8; a RANGE offset keeps its type
// and comes with the in_range conditions over the row [row's key, current row's key, offset]
// that say whether a row's key is past the start (true: at or after it) / before the end.
struct WindowFrame {
  int options = ast::kFrameDefaults;
  std::optional<BoundExpr> start_offset, end_offset;
  std::optional<BoundExpr> start_in_range, end_in_range;
};

struct WindowSpec {
  std::string refname;  // the window it copies, as written (PostgreSQL compares it to dedupe)
  std::vector<BoundExpr> partition_by;
  std::vector<WindowOrderKey> order_by;
  WindowFrame frame;
  bool active = false;  // some call uses it (an unused named window gets no WindowAgg)
};

struct WindowCall {
  WindowFuncKind kind = WindowFuncKind::kRowNumber;
  std::string name;  // as called, for EXPLAIN
  std::vector<BoundExpr> args;
  AggSpec agg;  // kAggregate
  SqlType type;
  size_t spec = 0;  // index into WindowScope::specs
};

// The window functions of one query block, filled as its clauses are bound: the named windows
// of its WINDOW clause first (specs [0, named.size())), then each distinct inline OVER (...).
struct WindowScope {
  const std::vector<ast::WindowDef>* named = nullptr;
  std::vector<WindowSpec> specs;
  std::vector<WindowCall> calls;
};

class Binder;

// The query a subquery is written in, as the subquery's binders see it: a column the subquery's
// own scope lacks is looked up through `binder` (and its own outer query, and so on), and the
// subquery reads it as values[i] (a kOuterRef node), an expression over binder's scope.
struct OuterQuery {
  Binder* binder = nullptr;
  std::vector<BoundExpr>* values = nullptr;
};

// Binds the subqueries of expressions (engine/analyze/bind_subquery.h); without one a subquery
// is refused with 0A000.
class SubqueryBinder {
 public:
  virtual ~SubqueryBinder() = default;
  virtual Result<BoundExpr> BindSubLink(const ast::SubLink& link, Binder& binder, int location) = 0;
  // row op (SELECT ...): link is the scalar subquery, compared with row's items
  // (SubqueryKind::kRowCompare).
  virtual Result<BoundExpr> BindRowCompareSubLink(const ast::SubLink& link, ast::BinaryOp op,
                                                  const ast::RowExpr& row, Binder& binder,
                                                  int location) = 0;
};

// What a binder over the FROM items before a derived table or a function in FROM
// (engine/analyze/bind_select.cc) does with a name it has: kLateral reads it (the item is
// LATERAL, or a function), kHidden refuses it as PostgreSQL does for a derived table without
// LATERAL (42P01 "invalid reference to FROM-clause entry", 42703 with its HINT) unless an
// enclosing query has it too.
enum class LateralAccess : uint8_t { kNone, kLateral, kHidden };

class Binder {
 public:
  explicit Binder(const Scope& scope) : scope_(&scope) {}
  // The query this one is a subquery of (null: none) and the binder of its own subqueries.
  void SetOuter(const OuterQuery* outer) { outer_ = outer; }
  void SetSubqueries(SubqueryBinder* subqueries) { subqueries_ = subqueries; }
  // ref looked up in this binder's scope, then in its outer queries' (the reference becoming a
  // kOuterRef); nullopt when no level has it (a qualified name stops at the first level that has
  // its table). Error: 42702 when the level that has the name has it twice.
  Result<std::optional<BoundExpr>> Lookup(const ast::ColumnRef& ref, int location);
  // l op r typed as a comparison (PostgreSQL's operator resolution for = <> < <= > >=).
  Result<BoundExpr> BindComparison(ast::BinaryOp op, BoundExpr l, BoundExpr r, int location) {
    return BindCompare(op, std::move(l), std::move(r), location);
  }
  // (l...) op (r...) as PostgreSQL's row comparison (engine/row_compare.cc): = is the AND of the
  // items' equalities, <> the OR of their inequalities, < <= > >= lexicographic (the first pair
  // that is not equal decides; NULL when a pair before it is NULL). Unknown literals take the
  // other side's type. Errors: 42601 "unequal number of entries in row expressions", each
  // pair's own (42883).
  Result<BoundExpr> BindRowComparison(ast::BinaryOp op, std::vector<BoundExpr> l,
                                      std::vector<BoundExpr> r, int location);
  // This binder is the scope of the FROM items before a derived table or function being bound
  // (LateralAccess); columns [refused_begin, refused_end) are the left side of a RIGHT or FULL
  // join, whose reference is 42P10.
  void SetLateral(LateralAccess access, size_t refused_begin = 0, size_t refused_end = 0) {
    lateral_ = access;
    refused_begin_ = refused_begin;
    refused_end_ = refused_end;
  }
  // Aggregate calls bind to kAggRef nodes and are appended to *aggs; without this call they
  // are an error (42803) naming `clause` ("WHERE").
  void AllowAggregates(std::vector<AggSpec>* aggs) { aggs_ = aggs; }
  void SetClause(const char* clause) { clause_ = clause; }
  // Window function calls bind to kWindowRef nodes recorded in *windows (which must have its
  // named windows bound: BindNamedWindows); without this call they are an error (42P20) naming
  // the clause.
  void AllowWindows(WindowScope* windows) { windows_ = windows; }
  // Calls of set-returning functions (functions::Builtin::set_impl) bind, unfolded; without
  // this call they are refused with 0A000. Only a FROM item's top-level call may be one (the
  // FROM binder checks that).
  void AllowSetReturning() { set_returning_ = true; }
  // call (a node of the statement's tree) binds to value instead: a select list's
  // set-returning call read as a FROM item's column (engine/analyze/bind_function.h).
  void ReplaceCall(const ast::Expr* call, BoundExpr value) {
    replaced_call_ = call;
    replacement_ = std::move(value);
  }
  // Calls of set-returning functions outside aggregates and window calls bind to kSetRef nodes
  // naming their entry of *calls (the same call twice: one entry), run by the query's
  // ProjectSet (a select list, as PostgreSQL's); null: refused with 0A000 (unless
  // AllowSetReturning).
  void CollectSetReturning(std::vector<BoundExpr>* calls) { set_calls_ = calls; }
  WindowScope* windows() const { return windows_; }
  // The WINDOW clause of the query, bound in order into windows->specs (bind_window.cc).
  Status BindNamedWindows(WindowScope& windows);

  Result<BoundExpr> Bind(const ast::Expr& expr);
  // Binds a condition (WHERE, HAVING, ON): must be boolean (42804 otherwise).
  Result<BoundExpr> BindCondition(const ast::Expr& expr, const char* clause);

 private:
  Result<BoundExpr> BindColumn(const ast::ColumnRef& ref, int location);
  Result<BoundExpr> BindParam(int number, int location);
  Result<BoundExpr> BindBinary(const ast::Binary& b, int location);
  Result<BoundExpr> BindFunc(const ast::FuncCall& f, int location);
  Result<BoundExpr> BindFieldSelect(const ast::FieldSelect& f, int location);
  // The array constructs (the transformer's calls "array", "[]", "[:]", "op ANY", "op ALL"):
  // nullopt when args are not arrays' (the catalogs' text arrays, bound by the registry).
  Result<std::optional<BoundExpr>> BindArrayCall(const ast::FuncCall& f,
                                                 std::vector<BoundExpr>& args, int location);
  Result<BoundExpr> BindSlice(const ast::FuncCall& f, int location);
  // A call resolved in the function registry: arguments coerced to its parameter types.
  Result<BoundExpr> BindBuiltin(const functions::Builtin& fn, std::vector<BoundExpr> args,
                                int location);
  Result<BoundExpr> BindCompare(ast::BinaryOp op, BoundExpr l, BoundExpr r, int location);
  // An operator implemented by the registry's function `function` (jsonb's || and -): its
  // overload for the operands' types, else 42883 "operator does not exist" naming symbol.
  Result<BoundExpr> BindOperatorFunction(std::string_view function, std::string_view symbol,
                                         BoundExpr l, BoundExpr r, int location);
  // BindCompare's node before constant folding.
  Result<BoundExpr> BindCompareNode(ast::BinaryOp op, BoundExpr l, BoundExpr r, int location);
  Result<BoundExpr> BindDistinctFrom(const ast::DistinctFrom& d, int location);
  // A row constructor beside = <> < <= > >= (either side), in an IN list, or alone (refused).
  Result<BoundExpr> BindRowCompare(ast::BinaryOp op, const ast::Expr& left, const ast::Expr& right,
                                   int location);
  Result<BoundExpr> BindRowIn(const ast::InList& in, int location);
  // ROW(...) or (a, b) as a value: a kRowCtor of fields f1, f2, ... (engine/bind_row_value.cc).
  Result<BoundExpr> BindRowValue(const ast::RowExpr& row, int location);
  // A whole-row reference: `t` naming a FROM item of this query or an enclosing one (no column
  // of that name), or `t.*` in an expression: a kRowCtor of its columns; nullopt when no FROM
  // item has that name.
  Result<std::optional<BoundExpr>> BindWholeRow(const ast::ColumnRef& ref, int location);
  // The error for a name this binder has but may not give (LateralAccess), or nullopt.
  std::optional<Error> LateralError(const ast::ColumnRef& ref, size_t column, int location);
  // An aggregate call (count, sum, avg, min, max) as an AggSpec; nullopt when f is none (its
  // name or arity). window: the call has OVER (its argument may hold plain aggregates).
  Result<std::optional<AggSpec>> BindAggregate(const ast::FuncCall& f, int location, bool window);
  // GROUPING(args): a slot of the aggregate (engine/analyze/grouping_sets.h).
  Result<BoundExpr> BindGroupingFunc(const ast::GroupingFunc& g, int location);
  // A call WITHIN GROUP (engine/analyze/bind_ordered_set.cc): an ordered-set or hypothetical-set
  // aggregate, or PostgreSQL's error for a function that is none.
  Result<AggSpec> BindOrderedSetAggregate(const ast::FuncCall& f, int location);
  // f has OVER (bind_window.cc).
  Result<BoundExpr> BindWindowCall(const ast::FuncCall& f, int location);
  Result<WindowSpec> BindWindowSpec(const ast::WindowDef& def, const WindowScope& windows);
  Result<WindowFrame> BindFrame(const ast::WindowDef& def, const WindowSpec& spec);
  // GREATEST / LEAST (engine/analyze/bind_min_max.cc).
  Result<BoundExpr> BindMinMax(const ast::MinMax& m, int location);

  const Scope* scope_;
  const OuterQuery* outer_ = nullptr;
  SubqueryBinder* subqueries_ = nullptr;
  std::vector<AggSpec>* aggs_ = nullptr;
  const char* clause_ = "WHERE";
  bool in_aggregate_ = false;
  WindowScope* windows_ = nullptr;
  bool in_window_ = false;    // binding a window call's arguments
  bool ignore_over_ = false;  // BindFunc of a call's plain function (its OVER refused after)
  bool set_returning_ = false;
  std::vector<BoundExpr>* set_calls_ = nullptr;
  const ast::Expr* replaced_call_ = nullptr;
  BoundExpr replacement_;
  LateralAccess lateral_ = LateralAccess::kNone;
  size_t refused_begin_ = 0, refused_end_ = 0;
};

// The row an expression reads: column values, and aggregate results for kAggRef.
struct EvalContext {
  const Datum* row = nullptr;
  const Datum* aggs = nullptr;
};

Result<Datum> Eval(const BoundExpr& expr, const EvalContext& ctx);
// Whether e's own step (not its arguments') reads the session's TimeZone: PostgreSQL's stable
// date/time casts, operators and functions (timestamptz output and input from a typed string,
// timestamp <-> timestamptz, timestamptz + interval, a function over timestamptz other than
// timezone(zone, ...)). A kept plan (engine/prepared_plan.h) must not hold their folded value:
// the binder leaves them unfolded there and plan::Instantiate folds them for each execution.
bool DependsOnTimeZone(const BoundExpr& e);
bool CastDependsOnTimeZone(TypeId from, TypeId to);
// Folds a step that DependsOnTimeZone when every argument is a constant, under the calling
// thread's DateTimeContext: a constant in its place, or e unchanged when its evaluation fails
// (the error then comes when a row reaches it). Other expressions are left as they are.
void FoldZoneDependent(BoundExpr& e);

// Whether two bound expressions are the same computation (GROUP BY matching, window dedupe).
bool SameExpr(const BoundExpr& a, const BoundExpr& b);
// Whether e holds a kSetRef (a select list's set-returning call).
bool ContainsSetRef(const BoundExpr& e);
// Evaluates a condition: true only for a non-NULL true.
Result<bool> EvalCondition(const BoundExpr& expr, const EvalContext& ctx);

// Orders two non-NULL values of comparable types (ints and doubles compare numerically, text
// bytewise as the C collation does). Returns <0, 0, >0.
int CompareDatums(const Datum& a, const Datum& b);
// array || array (kind 0), array || element (1), element || array (2), NULL arrays as empty
// ones (array_cat, array_append, array_prepend); elem: the result's element type.
Result<Datum> ConcatArrays(int kind, TypeId elem, Datum a, Datum b);
// array_cmp: element by element (NULL elements above values), then length, then lower bound.
int CompareArrays(const ArrayValue& a, const ArrayValue& b);

// The type input function: text -> value of type (22P02 for bad syntax, 22003 out of range,
// 22001 for varchar(n) overflow).
Result<Datum> ParseText(std::string_view text, SqlType type);

// Converts a non-NULL value of type `from` to `to`. explicit_cast: a CAST (varchar(n)
// truncates, bool <-> int allowed) rather than an assignment (varchar(n) overflow is 22001).
Result<Datum> CastDatum(const Datum& value, TypeId from, SqlType to, bool explicit_cast);

// Wraps expr so that it yields values of `to`, or fails with 42804 as an INSERT/UPDATE into
// column `column` would ("column "a" is of type integer but expression is of type text").
Result<BoundExpr> CoerceForAssignment(BoundExpr expr, SqlType to, std::string_view column,
                                      int location);

// e is about to be coerced from unknown to `to`: when it stands for a parameter whose type is
// still open (a statement being described, engine/params.h), that parameter takes the type.
void NoteParamType(const BoundExpr& e, SqlType to);

// Where an error about a whole expression points: its leftmost token (0-based byte offset; -1
// when unknown), as PostgreSQL's exprLocation does: the '1' of '1'::text, the a of a + 1, the x
// of (x = 1). Errors about one operator or cast ("operator does not exist") point at the
// operator instead, which is ast::Expr::location.
int ExprLocation(const ast::Expr& expr);

// The HINT of a 42703 for ref: "Perhaps you meant to reference the column "t.name"." naming the
// one or two closest columns of scope, as PostgreSQL suggests them; empty when none is close.
std::string SuggestColumns(const Scope& scope, const ast::ColumnRef& ref);

// Coerces an unknown-typed literal or parameter to `to` (22P02 and the like pointing at it); a
// no-op for other expressions.
Status CoerceUnknownTo(BoundExpr& e, SqlType to, int location);
// Casts e implicitly to `to` (folded when e is a constant), as an argument is cast to its
// parameter's type.
Status CastImplicitly(BoundExpr& e, SqlType to);

// The name PostgreSQL gives a result column with no alias ("a", "count", "?column?", "int4").
std::string FigureColumnName(const ast::Expr& expr);
// The type's internal name as used for result column names ("int4", "varchar", "bool").
std::string_view TypeInternalName(TypeId id);
// The name used in messages, with a length modifier: "character varying(5)".
std::string TypeDisplayName(SqlType type);

bool IsNumericType(TypeId id);
// int2, int4, int8: the types whose values are int64_t.
bool IsIntegerType(TypeId id);
bool IsStringType(TypeId id);
inline bool IsJsonType(TypeId id) { return id == TypeId::kJson || id == TypeId::kJsonb; }

}  // namespace sqlrite::engine
