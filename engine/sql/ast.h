#pragma once
// The engine's own statement tree. engine/sql/ turns libpg_query's protobuf parse tree into
// these structs; nothing outside engine/sql/ sees a protobuf or libpg_query type.
//
// `location` fields are 0-based byte offsets into the whole query string given to Parse() (as
// libpg_query reports them), not into ParsedStatement::text; -1 when unknown. An Error's
// position is location + 1, a byte position in the whole query string; Cluster::Execute/Submit
// given that string turn it into the 1-based character position PostgreSQL reports.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/types.h"

namespace sqlrite::engine::ast {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct NullLiteral {};
struct BoolLiteral {
  bool value;
};
struct IntLiteral {
  int64_t value;  // an integer constant; int4 if it fits, else int8 (as PostgreSQL types it)
};
struct NumericLiteral {
  std::string text;  // "1.5", "1e10": PostgreSQL types these as numeric
};
struct StringLiteral {
  // Type unknown until coerced by context. Mutable only for `single_use`.
  mutable std::string value;
  // Set on the long literals of a tree that runs once and is then dropped (the statements
  // ParseCache::InsertSkeleton gives for a query string holding a 50 MB document): binding
  // takes `value` rather than copying it, so the literal is held once, and sets `taken`.
  bool single_use = false;
  mutable bool taken = false;  // binding took value (a second binding is an internal error)
};
struct ColumnRef {
  std::string table;  // empty: unqualified
  std::string column;
};
struct ParamRef {
  int number;  // $1 -> 1
};
enum class UnaryOp { kNot, kNegate, kPlus };
struct Unary {
  UnaryOp op;
  ExprPtr operand;
};
enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kConcat,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
};
struct Binary {
  BinaryOp op;
  ExprPtr left;
  ExprPtr right;
};
struct IsNullTest {
  ExprPtr operand;
  bool negated;  // IS NOT NULL
};
struct BoolTest {  // IS [NOT] TRUE / FALSE / UNKNOWN
  enum Kind { kIsTrue, kIsNotTrue, kIsFalse, kIsNotFalse, kIsUnknown, kIsNotUnknown } kind;
  ExprPtr operand;
};
struct Like {
  ExprPtr operand;
  ExprPtr pattern;
  bool negated;
  bool case_insensitive;  // ILIKE
};
struct InList {
  ExprPtr operand;
  std::vector<ExprPtr> items;
  bool negated;
};
struct Between {
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
  bool negated;
  bool symmetric = false;  // BETWEEN SYMMETRIC: the bounds in either order
};
// left IS [NOT] DISTINCT FROM right: `=` that treats NULL as a value (never NULL itself).
struct DistinctFrom {
  ExprPtr left;
  ExprPtr right;
  bool negated;  // IS NOT DISTINCT FROM
};
struct CaseWhen {
  ExprPtr condition;
  ExprPtr result;
};
struct Case {
  ExprPtr operand;  // CASE x WHEN ...; null for searched CASE
  std::vector<CaseWhen> whens;
  ExprPtr else_result;  // null: ELSE NULL
  bool nullif = false;  // written as NULLIF(a, b): the column is named "nullif"
};
struct WindowDef;
// An ORDER BY item (of a query, a window, or an aggregate call).
struct OrderItem {
  ExprPtr expr;
  bool descending = false;
  std::optional<bool> nulls_first;  // unset: PostgreSQL's default (NULLS LAST for ASC)
};

struct FuncCall {
  std::string name;  // lower case, schema stripped ("count", "lower", ...)
  std::vector<ExprPtr> args;
  bool star = false;      // count(*)
  bool distinct = false;  // count(DISTINCT x)
  // Per argument, the name it was passed under (make_interval(days => 10)); empty: positional.
  // Empty throughout when no argument is named.
  std::vector<std::string> arg_names;
  std::unique_ptr<Expr> filter;     // FILTER (WHERE ...); null: none
  std::shared_ptr<WindowDef> over;  // OVER ...; null: not a window call
  std::vector<OrderItem> order_by;  // an aggregate's ORDER BY (string_agg(x, ',' ORDER BY x))
  // The operator the query spelled when the call is how an operator is implemented ("^@" for
  // starts_with, "~" for textregexeq: pg_operator.oprcode); empty for a call written as one. It
  // keeps what PostgreSQL shows for the operator: the column name "?column?" and the error
  // "operator does not exist: text ^@ integer".
  std::string operator_symbol;
  // WITHIN GROUP (ORDER BY ...): an ordered-set or hypothetical-set aggregate's call
  // (percentile_cont(0.5) WITHIN GROUP (ORDER BY x)); args are then its direct arguments and
  // order_by its aggregated arguments.
  bool within_group = false;
  // Set only by the transformer, on the calls it makes for constructs the AST has no node of
  // (engine/sql/internal_calls.h: COLLATE, ROWS FROM, subscripts, ARRAY[...], op ANY/ALL,
  // operators). A call the query spelled never has it, whatever its name: "ROWS FROM"(1, 2)
  // is an undefined function, as in PostgreSQL.
  bool internal = false;
};
struct Cast {
  ExprPtr operand;
  SqlType type;
  // A type that is no built-in one (an enum's): its name as written (a RelationKey: `name`, or
  // `schema NUL name`), resolved by the binder; type is then kEnum (or an array of it) with no
  // oid yet.
  std::string type_name;
  // A bit string constant, B'101' or X'1F': operand is its text with the prefix kept ("b101",
  // "x1F", which bit_in reads), type is bit without a length; named ?column? and deparsed as
  // written rather than as a cast.
  bool bit_literal = false;
};
struct Coalesce {
  std::vector<ExprPtr> args;
};
// DEFAULT in an INSERT VALUES row or an UPDATE SET.
struct DefaultMarker {};
// (operand).field: a field of a composite value.
struct FieldSelect {
  ExprPtr operand;
  std::string field;
};

// ROW(a, b) or (a, b): a row constructor. The binder takes it only where PostgreSQL's rows
// compare (row op row, row IN (rows), row op (SELECT ...), row IN (SELECT ...)).
struct RowExpr {
  std::vector<ExprPtr> args;
  bool explicit_row = false;  // written ROW(...)
};

// One of GROUP BY's grouping sets: ROLLUP (e, ...), CUBE (e, ...), GROUPING SETS (e, ...) or ().
// Only GROUP BY holds it, as an item or inside GROUPING SETS; the binder expands it
// (engine/analyze/grouping_sets.h). An element that is a parenthesised list, (a, b), stays the
// RowExpr PostgreSQL's grammar makes of it (not explicit_row): one set of several expressions.
struct GroupingSet {
  enum class Kind : uint8_t { kEmpty, kRollup, kCube, kSets } kind = Kind::kSets;
  std::vector<ExprPtr> items;
};
// GROUPING (e, ...): which of its arguments the current grouping set leaves out, as bits.
struct GroupingFunc {
  std::vector<ExprPtr> args;
};
// GREATEST (e, ...) / LEAST (e, ...): PostgreSQL's MinMaxExpr.
struct MinMax {
  std::vector<ExprPtr> args;
  bool least = false;
};

struct Select;
// A subquery in an expression: (SELECT ...), EXISTS (SELECT ...), x op ANY|SOME|ALL (SELECT ...),
// x IN (SELECT ...) (= ANY; NOT IN is NOT over it, as PostgreSQL's grammar builds it).
struct SubLink {
  enum class Kind : uint8_t { kScalar, kExists, kAny, kAll, kArray } kind = Kind::kScalar;
  BinaryOp op = BinaryOp::kEq;  // kAny / kAll: the comparison
  ExprPtr operand;              // kAny / kAll: the left side
  std::shared_ptr<Select> query;
};

struct Expr {
  std::variant<NullLiteral, BoolLiteral, IntLiteral, NumericLiteral, StringLiteral, ColumnRef,
               ParamRef, Unary, Binary, IsNullTest, BoolTest, Like, InList, Between, Case, FuncCall,
               Cast, Coalesce, DefaultMarker, SubLink, FieldSelect, DistinctFrom, RowExpr,
               GroupingSet, GroupingFunc, MinMax>
      node;
  int location = -1;
};

// ---- statements ----

struct TableName {
  std::string name;  // lower-cased unless quoted; "public." stripped
  // The schema as written: "", "public" or "pg_catalog" (the system relations resolve before
  // tables unless it is "public": engine/catalog/system_relation.h).
  std::string schema;
  int location = -1;
};

// CREATE/ALTER SEQUENCE's options and an identity column's (sequence options), as written:
// unset fields were not given.
struct SequenceOptions {
  std::optional<SqlType> as_type;  // AS smallint | integer | bigint
  std::optional<int64_t> increment;
  std::optional<int64_t> minvalue;
  bool no_minvalue = false;  // NO MINVALUE
  std::optional<int64_t> maxvalue;
  bool no_maxvalue = false;  // NO MAXVALUE
  std::optional<int64_t> start;
  bool restart = false;  // ALTER SEQUENCE ... RESTART [WITH n]
  std::optional<int64_t> restart_with;
  std::optional<int64_t> cache;
  std::optional<bool> cycle;
  // OWNED BY table.column (owned_by_table set) or OWNED BY NONE (owned_by_none).
  std::string owned_by_table;
  std::string owned_by_column;
  bool owned_by_none = false;
  std::string sequence_name;  // an identity column's SEQUENCE NAME
  int location = -1;
};

struct ColumnDef {
  std::string name;
  SqlType type;
  std::string type_name;  // a user type's name, as ast::Cast's; resolved by the executor
  int type_location = -1;
  bool not_null = false;
  bool primary_key = false;
  bool unique = false;
  ExprPtr default_value;  // null: no default
  // default_value as SQL text (libpg_query's deparse), kept in the catalog for expressions
  // evaluated per row.
  std::string default_sql;
  bool serial = false;  // SERIAL / BIGSERIAL / SMALLSERIAL (type is the integer type)
  // GENERATED ALWAYS ('a') | BY DEFAULT ('d') AS IDENTITY; 0: not an identity column.
  char identity = 0;
  SequenceOptions identity_options;
  int location = -1;
  // GENERATED ALWAYS AS (expr) STORED: the expression (null: not a generated column), its SQL
  // text (libpg_query's deparse) and where it starts.
  ExprPtr generated;
  std::string generated_sql;
  int generated_location = -1;
  // COLLATE name as written (lower-cased unless quoted, qualified "pg_catalog.default" kept as
  // its last part); empty: none.
  std::string collation;
  int collation_location = -1;
  // Both DEFAULT and GENERATED were written (42601, reported by the executor with this location).
  int default_location = -1;
};

// ON DELETE / ON UPDATE of a FOREIGN KEY, as PostgreSQL's pg_constraint.confdeltype letters.
enum class ForeignKeyAction : char {
  kNoAction = 'a',
  kRestrict = 'r',
  kCascade = 'c',
  kSetNull = 'n',
  kSetDefault = 'd',
};

// A table constraint, or a CHECK / REFERENCES written on a column (column_level; `columns` then
// holds that column for REFERENCES).
struct TableConstraint {
  enum Kind { kPrimaryKey, kUnique, kCheck, kForeignKey } kind;
  std::string name;  // CONSTRAINT name; empty: PostgreSQL's generated name
  std::vector<std::string> columns;
  bool column_level = false;
  // kCheck: the expression and its SQL text (libpg_query's deparse), kept in the catalog.
  ExprPtr check;
  std::string check_sql;
  // kForeignKey: REFERENCES ref_table [(ref_columns)] [MATCH ...] [ON DELETE ...] [ON UPDATE ...].
  TableName ref_table;
  std::vector<std::string> ref_columns;  // empty: the referenced table's primary key
  char match = 's';                      // 's' SIMPLE, 'f' FULL
  ForeignKeyAction on_delete = ForeignKeyAction::kNoAction;
  ForeignKeyAction on_update = ForeignKeyAction::kNoAction;
  std::vector<std::string> delete_set_columns;  // ON DELETE SET NULL / SET DEFAULT (columns)
  bool deferrable = false;                      // DEFERRABLE
  bool initially_deferred = false;              // INITIALLY DEFERRED (implies DEFERRABLE)
  int location = -1;
};

// CREATE TABLE name [(column, ...)] AS query [WITH [NO] DATA] and SELECT ... INTO name: the
// table's columns are the query's output (named by `columns` where the list gives a name).
struct CreateTableAs {
  std::vector<std::string> columns;
  std::shared_ptr<const Select> query;
  bool with_data = true;     // WITH NO DATA: create the table only
  bool select_into = false;  // written as SELECT ... INTO (its errors name that form)
};
struct CreateTable {
  TableName table;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::vector<TableConstraint> constraints;
  std::shared_ptr<const CreateTableAs> as;  // set for CREATE TABLE AS and SELECT INTO only
};

struct DropTable {
  std::vector<TableName> tables;
  bool if_exists = false;
  // CASCADE: the foreign keys that reference a dropped table go too, and the views that read it.
  bool cascade = false;
};

// CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON table [USING btree]
// (column [ASC|DESC] [NULLS FIRST|LAST], ...) [INCLUDE (column, ...)] [NULLS [NOT] DISTINCT].
struct IndexColumn {
  std::string name;
  bool desc = false;
  bool nulls_first = false;  // as written, or the default (DESC: first)
  int location = -1;
  std::string collation;  // COLLATE name as written; empty: none
  // An expression key ((lower(b))): its SQL text (libpg_query's deparse); name is empty then.
  std::string expr_sql;
};
struct CreateIndex {
  std::string name;  // empty: PostgreSQL's default name (table_columns_idx)
  TableName table;
  bool unique = false;
  bool if_not_exists = false;
  bool nulls_not_distinct = false;
  std::vector<IndexColumn> columns;
  std::vector<IndexColumn> include;
  std::string where_sql;  // a partial index's predicate as SQL text; empty: none
};

// DROP INDEX [CONCURRENTLY] [IF EXISTS] name, ... [CASCADE | RESTRICT]
struct DropIndex {
  std::vector<TableName> indexes;
  bool if_exists = false;
  bool cascade = false;
};

// ALTER INDEX [IF EXISTS] name RENAME TO new_name
struct RenameIndex {
  TableName index;
  std::string new_name;
  bool if_exists = false;
};

struct SelectItem {
  ExprPtr expr;       // null with star
  bool star = false;  // * or t.*
  std::string star_table;
  std::string alias;  // empty: derive the column name as PostgreSQL does
};

struct JoinExpr;
struct Select;

// A FROM item: a table (with its alias), or, when join is set, a join of two items, or, when
// subquery is set, a derived table ((SELECT ...) AS alias (columns), (VALUES ...) AS alias), or,
// when function is set, a function call (generate_series(1, 3) [WITH ORDINALITY] AS s (n)).
struct TableRef {
  TableName table;
  std::string alias;
  std::unique_ptr<JoinExpr> join;
  std::unique_ptr<Select> subquery;
  std::vector<std::string> column_aliases;  // a derived table's: its first columns' names
  ExprPtr function;                         // a FuncCall
  bool ordinality = false;                  // WITH ORDINALITY
  bool lateral = false;                     // LATERAL (a subquery; a function always is)
};

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross };

struct JoinExpr {
  JoinType type = JoinType::kInner;
  TableRef left;
  TableRef right;
  ExprPtr on;                              // JOIN ... ON; null otherwise
  std::vector<std::string> using_columns;  // JOIN ... USING (...)
  bool natural = false;                    // NATURAL JOIN (using_columns empty then)
  int location = -1;
};

// A window specification: OVER (...), OVER name, or an entry of the WINDOW clause. The frame is
// PostgreSQL's frameOptions bit set (kFrame* below) with its offset expressions.
struct WindowDef {
  std::string name;     // WINDOW name AS (...); OVER name (refname empty then)
  std::string refname;  // OVER (name ...) / WINDOW w2 AS (name ...): the window copied
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  int frame_options = 0;
  ExprPtr start_offset;  // n PRECEDING / FOLLOWING of the frame's start; null otherwise
  ExprPtr end_offset;
  int location = -1;
};
// PostgreSQL's FRAMEOPTION_* bits (nodes/parsenodes.h).
inline constexpr int kFrameNonDefault = 0x00001;
inline constexpr int kFrameRange = 0x00002;
inline constexpr int kFrameRows = 0x00004;
inline constexpr int kFrameGroups = 0x00008;
inline constexpr int kFrameBetween = 0x00010;
inline constexpr int kFrameStartUnboundedPreceding = 0x00020;
inline constexpr int kFrameEndUnboundedPreceding = 0x00040;
inline constexpr int kFrameStartUnboundedFollowing = 0x00080;
inline constexpr int kFrameEndUnboundedFollowing = 0x00100;
inline constexpr int kFrameStartCurrentRow = 0x00200;
inline constexpr int kFrameEndCurrentRow = 0x00400;
inline constexpr int kFrameStartOffsetPreceding = 0x00800;
inline constexpr int kFrameEndOffsetPreceding = 0x01000;
inline constexpr int kFrameStartOffsetFollowing = 0x02000;
inline constexpr int kFrameEndOffsetFollowing = 0x04000;
inline constexpr int kFrameExcludeCurrentRow = 0x08000;
inline constexpr int kFrameExcludeGroup = 0x10000;
inline constexpr int kFrameExcludeTies = 0x20000;
inline constexpr int kFrameDefaults =
    kFrameRange | kFrameStartUnboundedPreceding | kFrameEndCurrentRow;

// EXPLAIN [(options)] of a SELECT (or, with ANALYZE, of an INSERT / UPDATE / DELETE): the plan
// as text instead of the rows. timing and summary hold their resolved values (PostgreSQL's
// defaults: on with ANALYZE, off without).
struct ExplainOptions {
  bool costs = true;
  bool analyze = false;  // run the statement and print each node's actual rows and loops
  bool timing = false;   // with analyze: each node's actual time
  bool summary = false;  // Planning Time (and with analyze Execution Time) after the plan
  bool buffers = false;  // accepted; SQLRite prints no buffer counts
};

struct SetOperation;
struct CteStatement;

// One query of a WITH clause: name [(columns)] AS [[NOT] MATERIALIZED] (query).
// WITH q AS [NOT] MATERIALIZED (...): kDefault when neither is written.
enum class CteMaterialize : uint8_t { kDefault, kAlways, kNever };
struct CommonTableExpr {
  std::string name;
  CteMaterialize materialize = CteMaterialize::kDefault;
  std::vector<std::string> column_aliases;
  std::shared_ptr<Select> query;
  int location = -1;
  // A data-modifying WITH query (INSERT, UPDATE or DELETE [RETURNING ...]; query is null then):
  // allowed only in the WITH of a statement's own query (engine/dml_with.h).
  std::shared_ptr<CteStatement> statement;
};

// FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF table, ...] [NOWAIT | SKIP LOCKED], one
// per clause as written (a top-level SELECT only; engine/analyze/row_locking.h says what it does).
struct LockingClause {
  enum class Strength : uint8_t { kKeyShare, kShare, kNoKeyUpdate, kUpdate };
  enum class Wait : uint8_t { kBlock, kSkipLocked, kNoWait };
  Strength strength = Strength::kUpdate;
  Wait wait = Wait::kBlock;
  std::vector<std::string> of;  // relation names (unqualified); empty: every table in FROM
  std::vector<int> of_locations;
};

// "FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE": as PostgreSQL's messages
// name a clause (LCS_asString).
inline const char* LockingStrengthName(LockingClause::Strength strength) {
  switch (strength) {
    case LockingClause::Strength::kKeyShare:
      return "FOR KEY SHARE";
    case LockingClause::Strength::kShare:
      return "FOR SHARE";
    case LockingClause::Strength::kNoKeyUpdate:
      return "FOR NO KEY UPDATE";
    case LockingClause::Strength::kUpdate:
      break;
  }
  return "FOR UPDATE";
}

// A query: one SELECT block, or (set_op) a set operation of two queries, or (values non-empty)
// a VALUES list; for the last two items .. having are empty and order_by / limit / offset apply
// to the whole.
struct Select {
  std::optional<ExplainOptions> explain;  // set: EXPLAIN this SELECT
  std::vector<CommonTableExpr> with;      // WITH [RECURSIVE] ...: visible to the whole query
  bool with_recursive = false;
  std::unique_ptr<SetOperation> set_op;
  std::vector<std::vector<ExprPtr>> values;  // VALUES (row), ...
  bool distinct = false;
  // DISTINCT ON (...): its expressions (distinct is set too); empty: plain DISTINCT or none.
  std::vector<ExprPtr> distinct_on;
  std::vector<SelectItem> items;
  std::vector<TableRef> from;  // empty: SELECT without FROM; several: cross join of the items
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  ExprPtr having;
  std::vector<WindowDef> windows;  // WINDOW name AS (...), ...
  std::vector<OrderItem> order_by;
  ExprPtr limit;                       // null: none
  ExprPtr offset;                      // null: none
  bool with_ties = false;              // FETCH FIRST ... WITH TIES (ORDER BY is then present)
  std::vector<LockingClause> locking;  // FOR UPDATE ...: a statement's own query only
  bool group_distinct = false;         // GROUP BY DISTINCT: each grouping set once
};

enum class SetOpKind : uint8_t { kUnion, kIntersect, kExcept };

// left UNION / INTERSECT / EXCEPT [ALL] right.
struct SetOperation {
  SetOpKind kind = SetOpKind::kUnion;
  bool all = false;
  Select left;
  Select right;
};

enum class Overriding : uint8_t { kNone, kSystemValue, kUserValue };

struct Assignment {
  std::string column;
  ExprPtr value;
  int location = -1;
};

// INSERT ... ON CONFLICT [(columns) [WHERE ...] | ON CONSTRAINT name] DO NOTHING | DO UPDATE
// SET ... [WHERE ...]. The SET values and WHERE see the target table (by its alias when it has
// one) and the proposed row as `excluded`.
struct OnConflict {
  enum class Action : uint8_t { kNothing, kUpdate };
  Action action = Action::kNothing;
  std::vector<std::string> columns;  // the inference columns; empty: none given
  std::vector<int> column_locations;
  // Per inference element: an expression's SQL text ((lower(b))), whose columns entry is empty;
  // empty text for a column. Empty vector: every element is a column.
  std::vector<std::string> expressions;
  std::string constraint;  // ON CONSTRAINT name; empty: not given
  ExprPtr index_where;     // the inference's WHERE (partial indexes); null: none
  std::vector<Assignment> assignments;
  ExprPtr where;
  int location = -1;
};

struct Insert {
  TableRef table;
  std::vector<std::string> columns;  // empty: all, in table order
  std::vector<std::vector<ExprPtr>> rows;
  bool default_values = false;  // INSERT ... DEFAULT VALUES (rows and select empty then)
  Overriding overriding = Overriding::kNone;
  std::unique_ptr<Select> select;           // INSERT ... SELECT (rows empty then)
  std::unique_ptr<OnConflict> on_conflict;  // null: no ON CONFLICT clause
  std::vector<SelectItem> returning;
  std::optional<ExplainOptions> explain;  // set: EXPLAIN ANALYZE this INSERT
  std::vector<CommonTableExpr> with;      // WITH [RECURSIVE] ... INSERT: see engine/dml_with.h
  bool with_recursive = false;
};

struct Update {
  TableRef table;
  std::vector<Assignment> assignments;
  // UPDATE ... FROM items: the query that finds the rows to change and the rows they join,
  // `SELECT * FROM <table>, <items> WHERE <where>` (where is then null here); null without FROM.
  std::unique_ptr<Select> from_query;
  ExprPtr where;
  std::vector<SelectItem> returning;
  std::optional<ExplainOptions> explain;  // set: EXPLAIN ANALYZE this UPDATE
  std::vector<CommonTableExpr> with;      // WITH [RECURSIVE] ... UPDATE: see engine/dml_with.h
  bool with_recursive = false;
};

struct Delete {
  TableRef table;
  // DELETE ... USING items: `SELECT * FROM <table>, <items> WHERE <where>` (where is then null
  // here), as Update::from_query; null without USING.
  std::unique_ptr<Select> using_query;
  ExprPtr where;
  std::vector<SelectItem> returning;
  std::optional<ExplainOptions> explain;  // set: EXPLAIN ANALYZE this DELETE
  std::vector<CommonTableExpr> with;      // WITH [RECURSIVE] ... DELETE: see engine/dml_with.h
  bool with_recursive = false;
};

// MERGE INTO target [AS t] USING source ON cond WHEN ... (PostgreSQL 15). One WHEN clause: its
// kind says which fields are used (UPDATE: assignments; INSERT: columns, values or
// default_values, overriding; DELETE and DO NOTHING: none).
struct MergeWhen {
  enum class Kind : uint8_t { kUpdate, kDelete, kInsert, kNothing };
  bool matched = true;  // WHEN MATCHED (else WHEN NOT MATCHED)
  Kind kind = Kind::kNothing;
  ExprPtr condition;  // AND condition; null: none
  std::vector<Assignment> assignments;
  std::vector<std::string> columns;  // INSERT (columns); empty: all, in table order
  std::vector<int> column_locations;
  std::vector<ExprPtr> values;  // INSERT VALUES (...)
  bool default_values = false;  // INSERT DEFAULT VALUES
  Overriding overriding = Overriding::kNone;
  int location = -1;
};

struct Merge {
  TableRef table;  // the target
  // The join that finds each source row's target rows: `SELECT * FROM <target> RIGHT JOIN
  // <source> ON <cond>` (the statement's WITH clause its own), its target item as written here.
  std::unique_ptr<Select> join_query;
  std::vector<MergeWhen> whens;
};

struct CreateDatabase {
  std::string name;
};
struct DropDatabase {
  std::string name;
  bool if_exists = false;
};

// CREATE ROLE / CREATE USER, ALTER ROLE / ALTER USER: the attributes given (unset: not given).
struct RoleOptions {
  std::optional<bool> login;
  std::optional<bool> superuser;
  // PASSWORD 'x' / PASSWORD NULL. The server replaces a plain-text password by its SCRAM
  // secret before the statement reaches the engine (protocol/scram.h), so the engine sees a
  // secret, an md5 hash (refused), '' (cleared with a NOTICE) or NULL.
  bool password_given = false;
  std::optional<std::string> password;  // nullopt with password_given: PASSWORD NULL
};
struct CreateRole {
  std::string name;
  bool is_user = false;  // CREATE USER: LOGIN unless NOLOGIN is given
  RoleOptions options;
};
struct AlterRole {
  std::string name;  // CURRENT_USER / SESSION_USER resolved by the engine when current_user
  bool current_user = false;
  RoleOptions options;
};
struct DropRole {
  std::vector<std::string> names;
  bool if_exists = false;
};

// The transaction modes of BEGIN / START TRANSACTION, SET TRANSACTION and SET SESSION
// CHARACTERISTICS AS TRANSACTION, in the order written (PostgreSQL applies them one by one, each
// as a SET of its parameter).
struct TransactionMode {
  // "transaction_isolation" (value "serializable", "repeatable read", "read committed",
  // "read uncommitted"), "transaction_read_only" or "transaction_deferrable" (value "on"/"off").
  std::string name;
  std::string value;
};

struct Transaction {
  enum Kind { kBegin, kCommit, kRollback, kSavepoint, kRelease, kRollbackTo } kind;
  std::string savepoint;
  std::vector<TransactionMode> modes;  // BEGIN only
  bool chain = false;
  // BEGIN only: an implicit transaction, as PostgreSQL's: a plain BEGIN inside turns it into an
  // explicit block; COMMIT and ROLLBACK inside end it with a WARNING ("there is no transaction
  // in progress"), their AND CHAIN forms and SAVEPOINT, RELEASE and ROLLBACK TO are refused.
  //   kPipeline     the extended query protocol's, for the messages up to a Sync
  //                 (TBLOCK_STARTED): not a transaction block for DECLARE CURSOR;
  //   kQueryString  the one a simple Query of several statements runs in
  //                 (TBLOCK_IMPLICIT_INPROGRESS): a transaction block for DECLARE CURSOR.
  enum class Implicit : uint8_t { kNo, kPipeline, kQueryString };
  Implicit implicit = Implicit::kNo;
  bool start = false;  // START TRANSACTION (its command tag) rather than BEGIN
};

struct SetVariable {
  std::string name;            // lower case
  std::string value;           // as text; empty with reset
  bool reset = false;          // RESET name / SET name TO DEFAULT
  bool reset_command = false;  // RESET (its command tag) rather than SET ... TO DEFAULT
  bool local = false;
  // SET TRANSACTION modes (name "transaction") or SET SESSION CHARACTERISTICS AS TRANSACTION
  // modes (name "session characteristics"): the modes, value empty.
  std::vector<TransactionMode> modes;
};
struct ShowVariable {
  std::string name;  // lower case; "all" for SHOW ALL
};

// TRUNCATE [TABLE] [ONLY] name, ... [RESTART IDENTITY | CONTINUE IDENTITY] [CASCADE | RESTRICT]
struct Truncate {
  std::vector<TableName> tables;
  bool restart_identity = false;  // RESTART IDENTITY: the owned sequences start over
  bool cascade = false;  // CASCADE: the tables whose foreign keys reference them are emptied too
};

// DECLARE name [BINARY] [ASENSITIVE|INSENSITIVE] [[NO] SCROLL] CURSOR [{WITH|WITHOUT} HOLD] FOR
// query. The grammar admits only a SELECT (VALUES, set operations) after FOR.
struct DeclareCursor {
  std::string name;
  bool binary = false;
  enum class Scroll { kUnspecified, kScroll, kNoScroll } scroll = Scroll::kUnspecified;
  bool hold = false;
  std::unique_ptr<Select> query;
};

// FETCH / MOVE, in PostgreSQL's normal form (its FetchStmt): NEXT is FORWARD 1, PRIOR BACKWARD
// 1, FIRST ABSOLUTE 1, LAST ABSOLUTE -1, ALL FORWARD kFetchAll, a bare count FORWARD count.
struct Fetch {
  enum class Direction {
    kForward,
    kBackward,
    kAbsolute,
    kRelative
  } direction = Direction::kForward;
  int64_t count = 1;  // may be negative; kFetchAll: ALL
  std::string name;
  bool move = false;
  static constexpr int64_t kFetchAll = INT64_MAX;
};

// CLOSE name, or CLOSE ALL (name empty).
struct CloseCursor {
  std::string name;
  bool all = false;
};

struct Checkpoint {};

// One option of COPY, as written: `(FORMAT csv, FORCE_QUOTE *)` or the old-style `CSV HEADER`
// (which the grammar turns into format 'csv', header true). The engine checks the options
// (engine/copy_options.h), as PostgreSQL's ProcessCopyOptions does at execution.
struct CopyOption {
  std::string name;  // lower case: "format", "header", "delimiter", "force_quote", ...
  enum Kind { kNone, kString, kBoolean, kNumber, kStar, kList } kind = kNone;
  std::string value;              // kString, kNumber; "true"/"false" for kBoolean
  std::vector<std::string> list;  // kList: column names
  int location = -1;
};

// COPY t [(cols)] FROM STDIN | 'file', COPY t [(cols)] | (query) TO STDOUT | 'file'.
struct Copy {
  TableName table;                   // empty name when `query` is set
  std::vector<std::string> columns;  // empty: all, in table order
  std::unique_ptr<Select> query;     // COPY (SELECT ...) TO
  bool is_from = false;
  bool is_program = false;  // FROM/TO PROGRAM
  std::string filename;     // empty: STDIN / STDOUT
  bool has_where = false;   // COPY FROM ... WHERE (not supported)
  std::vector<CopyOption> options;
};
// CREATE SEQUENCE [IF NOT EXISTS] name [options].
struct CreateSequence {
  TableName name;
  bool if_not_exists = false;
  SequenceOptions options;
};
// ALTER SEQUENCE [IF EXISTS] name options.
struct AlterSequence {
  TableName name;
  bool if_exists = false;
  SequenceOptions options;
};
// DROP SEQUENCE [IF EXISTS] a, b [CASCADE|RESTRICT].
struct DropSequence {
  std::vector<TableName> names;
  bool if_exists = false;
  bool cascade = false;  // CASCADE: column defaults that use the sequence are dropped too
};

// CREATE [OR REPLACE] VIEW name [(column, ...)] AS query.
struct CreateView {
  TableName name;
  bool or_replace = false;
  std::vector<std::string> columns;  // the column list; empty: the query's own names
  std::unique_ptr<Select> query;
  std::string sql;  // the query as libpg_query deparses it: what the catalog keeps
};
// DROP VIEW [IF EXISTS] a, b [CASCADE|RESTRICT].
struct DropView {
  std::vector<TableName> names;
  bool if_exists = false;
  bool cascade = false;
};

// CREATE SCHEMA [IF NOT EXISTS] name [AUTHORIZATION role] (or CREATE SCHEMA AUTHORIZATION role,
// the schema named after the role).
struct CreateSchema {
  std::string name;
  std::string authorization;  // empty: the creating role
  bool if_not_exists = false;
};
// DROP SCHEMA [IF EXISTS] a, b [CASCADE|RESTRICT].
struct DropSchema {
  std::vector<std::string> names;
  bool if_exists = false;
  bool cascade = false;
};
// ALTER SCHEMA name RENAME TO new_name.
struct RenameSchema {
  std::string name;
  std::string new_name;
};

// COMMENT ON kind name IS 'text' | NULL (PostgreSQL's CommentStmt for the objects the catalog
// has): the object as written; the executor resolves it. An absent or empty text removes the
// comment.
struct Comment {
  enum Kind {
    kTable,
    kView,
    kSequence,
    kIndex,
    kColumn,
    kConstraint,
    kSchema,
    kDatabase,
    kType
  } kind;
  TableName relation;  // kTable, kView, kSequence, kIndex, kType; kColumn's and kConstraint's table
  std::string name;    // kColumn's column, kConstraint's constraint, kSchema's, kDatabase's
  std::optional<std::string> text;
};

// ALTER TABLE [IF EXISTS] t cmd, ...; and ALTER TABLE t RENAME [COLUMN] a TO b / RENAME TO n /
// RENAME CONSTRAINT a TO b (one command). Each command as written; the executor checks them in
// order, as PostgreSQL's ATController runs its passes for one table.
struct AlterTableCmd {
  enum Kind {
    kAddColumn,           // column (+ its CHECK / REFERENCES in constraints); if_not_exists
    kDropColumn,          // name; missing_ok, cascade
    kColumnDefault,       // name; default_value (null: DROP DEFAULT)
    kSetNotNull,          // name
    kDropNotNull,         // name
    kAddConstraint,       // constraints[0]; not_valid
    kDropConstraint,      // name; missing_ok, cascade
    kValidateConstraint,  // name
    kAlterColumnType,     // name; type, using_expr (null: a cast of the column)
    kRenameColumn,        // name -> new_name
    kRenameConstraint,    // name -> new_name
    kRenameTable,         // new_name
    kAddIdentity,         // name; identity, identity_options
    kSetIdentity,         // name; identity (SET GENERATED ALWAYS | BY DEFAULT)
    kDropIdentity,        // name; missing_ok
    kChangeOwner,         // new_name: the role (empty: CURRENT_USER, SESSION_USER, CURRENT_ROLE)
    kSetSchema,           // new_name: the schema (ALTER TABLE | SEQUENCE | VIEW ... SET SCHEMA)
    kDropExpression,      // name; missing_ok (ALTER COLUMN c DROP EXPRESSION [IF EXISTS])
    kClusterOn,           // name: the index (CLUSTER ON index)
    kDropCluster,         // SET WITHOUT CLUSTER
  } kind;
  std::string name;
  std::string new_name;
  ColumnDef column;
  std::vector<TableConstraint> constraints;
  ExprPtr default_value;
  std::string default_sql;
  SqlType type;
  std::string type_name;  // kAlterColumnType to a user type (as ast::Cast's)
  ExprPtr using_expr;
  char identity = 0;  // 'a' ALWAYS, 'd' BY DEFAULT
  SequenceOptions identity_options;
  bool if_not_exists = false;
  bool missing_ok = false;
  bool cascade = false;
  bool not_valid = false;
  int location = -1;
};
struct AlterTable {
  TableName table;
  std::string tag;  // the command tag when not "ALTER TABLE" (ALTER VIEW ... SET SCHEMA)
  bool if_exists = false;
  std::vector<AlterTableCmd> cmds;
};

// VACUUM / ANALYZE, and the other maintenance commands that change no answer: CLUSTER
// [t [USING index]] and REINDEX {INDEX | TABLE | SCHEMA | DATABASE | SYSTEM} name.
struct Vacuum {
  bool analyze_only = false;  // ANALYZE (command tag "ANALYZE") rather than VACUUM [ANALYZE]
  enum class Command { kVacuum, kCluster, kReindex } command = Command::kVacuum;
  // kCluster: the table (empty name: every table previously clustered) and USING's index.
  // kReindex: the index (kIndex) or table (kTable) or schema (kSchema) or database name.
  TableName relation;
  std::string index;
  enum class ReindexKind {
    kIndex,
    kTable,
    kSchema,
    kDatabase,
    kSystem
  } reindex_kind = ReindexKind::kTable;
  bool concurrently = false;  // REINDEX ... CONCURRENTLY
};

// SET CONSTRAINTS { ALL | name [, ...] } { DEFERRED | IMMEDIATE }.
struct SetConstraints {
  std::vector<std::string> names;  // empty: ALL
  bool deferred = false;
};

// CREATE TYPE name AS ENUM ('a', ...).
struct CreateEnum {
  TableName name;
  std::vector<std::string> labels;
};
// DROP TYPE [IF EXISTS] name, ... [CASCADE | RESTRICT].
struct DropType {
  std::vector<TableName> names;
  bool if_exists = false;
  bool cascade = false;
};
// ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE | AFTER 'w'] (rename empty), or
// ALTER TYPE name RENAME VALUE 'old' TO 'v' (rename set), or ALTER TYPE name RENAME TO new_name
// (rename_type set).
struct AlterEnum {
  TableName name;
  std::string value;     // the value added, or a renamed value's new label
  std::string neighbor;  // BEFORE / AFTER's label; empty: at the end
  bool after = false;
  bool if_not_exists = false;
  std::optional<std::string> rename;  // RENAME VALUE's old label
  std::string new_name;               // RENAME TO's
  bool rename_type = false;
};

// LOCK [TABLE] [ONLY] name, ... [IN mode MODE] [NOWAIT]. The mode is not kept: one writer per
// database and snapshot readers already give every lock mode's guarantees (docs/decisions.md,
// "LOCK TABLE and SQL PREPARE / EXECUTE").
struct LockTable {
  std::vector<TableName> tables;
};

// PREPARE name [(type, ...)] AS statement: the statement kept in the session, its $n of those
// types (an unlisted or `unknown` one is inferred as the protocol's Parse infers it).
struct PreparedBody;
struct Prepare {
  std::string name;
  std::vector<SqlType> types;
  std::vector<std::string> type_names;  // per type: a user type's name (as Cast's), else empty
  std::shared_ptr<const PreparedBody> body;
};
// EXECUTE name [(value, ...)]: the values coerced to the prepared statement's parameter types.
struct ExecutePrepared {
  std::string name;
  std::vector<ExprPtr> args;
  int location = -1;
};
// DEALLOCATE [PREPARE] { name | ALL }.
struct Deallocate {
  std::string name;  // empty: ALL
};

using Statement =
    std::variant<CreateTable, DropTable, Select, Insert, Update, Delete, CreateDatabase,
                 DropDatabase, Transaction, SetVariable, ShowVariable, Truncate, Checkpoint, Vacuum,
                 CreateRole, AlterRole, DropRole, Copy, DeclareCursor, Fetch, CloseCursor,
                 CreateIndex, DropIndex, RenameIndex, CreateSequence, AlterSequence, DropSequence,
                 CreateView, DropView, AlterTable, SetConstraints, CreateSchema, DropSchema,
                 RenameSchema, Comment, CreateEnum, DropType, AlterEnum, LockTable, Prepare,
                 ExecutePrepared, Deallocate, Merge>;

struct PreparedBody {
  Statement statement;
};

// A data-modifying WITH query's statement: an Insert, Update or Delete.
struct CteStatement {
  Statement statement;
};

}  // namespace sqlrite::engine::ast
