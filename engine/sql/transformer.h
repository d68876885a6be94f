#pragma once
// Transformer: one libpg_query raw statement (protobuf form) -> one ast::Statement.
//
// Internal to engine/sql/: this is the only header that names protobuf types, and nothing
// outside this folder includes it. One Transformer serves one query string; it is cheap, holds
// no state across statements except the query text (for positions) and a recursion counter.
//
// Every error it returns belongs to the one statement being transformed (0A000 for constructs
// the engine does not implement yet, 42704 for unknown types, ...); syntax errors never reach
// it because libpg_query rejects the whole string first.
//
// Locations stored in the AST are libpg_query's: 0-based byte offsets into the whole query
// string. Error positions produced here are 1-based character offsets, as PostgreSQL reports.

#include <pg_query/pg_query.pb-c.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine::sql {

class Transformer {
 public:
  explicit Transformer(std::string_view query) : query_(query) {}

  Transformer(const Transformer&) = delete;
  Transformer& operator=(const Transformer&) = delete;

  // REQUIRES: `node` is the stmt of a RawStmt from this transformer's query.
  Result<ast::Statement> TransformStatement(const PgQuery__Node& node);

  // ---- statements (one file each) ----
  Result<ast::Statement> TransformCreateTable(const PgQuery__CreateStmt& stmt);
  Result<ast::Statement> TransformDrop(const PgQuery__DropStmt& stmt);
  // The names of a DROP TABLE / DROP SEQUENCE, as an ast::DropTable.
  Result<ast::Statement> TransformDropTableNames(const PgQuery__DropStmt& stmt);
  Result<ast::Statement> TransformTruncate(const PgQuery__TruncateStmt& stmt);
  Result<ast::Statement> TransformCreateDatabase(const PgQuery__CreatedbStmt& stmt);
  Result<ast::Statement> TransformDropDatabase(const PgQuery__DropdbStmt& stmt);
  Result<ast::Statement> TransformCreateRole(const PgQuery__CreateRoleStmt& stmt);
  Result<ast::Statement> TransformAlterRole(const PgQuery__AlterRoleStmt& stmt);
  Result<ast::Statement> TransformDropRole(const PgQuery__DropRoleStmt& stmt);
  Result<ast::RoleOptions> TransformRoleOptions(PgQuery__Node* const* options, size_t n,
                                                std::string_view command);
  // statement: the query is a SELECT statement's own (its FOR UPDATE ... clauses are taken);
  // elsewhere (a subquery, WITH query, EXPLAIN, cursor, COPY, INSERT ... SELECT) they are 0A000.
  Result<ast::Select> TransformSelect(const PgQuery__SelectStmt& stmt, bool statement = false);
  Result<ast::LockingClause> TransformLockingClause(const PgQuery__LockingClause& clause);
  Result<ast::Statement> TransformInsert(const PgQuery__InsertStmt& stmt);
  Result<ast::Statement> TransformUpdate(const PgQuery__UpdateStmt& stmt);
  Result<ast::Statement> TransformDelete(const PgQuery__DeleteStmt& stmt);
  Result<ast::Statement> TransformMerge(const PgQuery__MergeStmt& stmt);
  Result<ast::Statement> TransformTransaction(const PgQuery__TransactionStmt& stmt);
  Result<ast::Statement> TransformVariableSet(const PgQuery__VariableSetStmt& stmt);
  Result<ast::Statement> TransformVariableShow(const PgQuery__VariableShowStmt& stmt);
  Result<ast::Statement> TransformVacuum(const PgQuery__VacuumStmt& stmt);
  // CLUSTER and REINDEX, as ast::Vacuum's other commands (transform_utility.cc).
  Result<ast::Statement> TransformCluster(const PgQuery__ClusterStmt& stmt);
  Result<ast::Statement> TransformReindex(const PgQuery__ReindexStmt& stmt);
  // A COLLATE clause's name: "C" or "POSIX", or "" for "default" (qualified with pg_catalog or
  // not), the collations the engine has (all compare text bytewise). Errors: 42704 for any other,
  // at location.
  Result<std::string> TransformCollationName(PgQuery__Node* const* names, size_t n,
                                             int location) const;
  Result<ast::Statement> TransformConstraintsSet(const PgQuery__ConstraintsSetStmt& stmt);
  Result<ast::Statement> TransformDeclareCursor(const PgQuery__DeclareCursorStmt& stmt);
  Result<ast::Statement> TransformFetch(const PgQuery__FetchStmt& stmt);
  Result<ast::Statement> TransformClosePortal(const PgQuery__ClosePortalStmt& stmt);
  Result<ast::Statement> TransformCopy(const PgQuery__CopyStmt& stmt);
  Result<ast::Statement> TransformCreateIndex(const PgQuery__IndexStmt& stmt);
  Result<ast::Statement> TransformDropIndex(const PgQuery__DropStmt& stmt);
  Result<ast::Statement> TransformRename(const PgQuery__RenameStmt& stmt);
  Result<ast::Statement> TransformCreateSequence(const PgQuery__CreateSeqStmt& stmt);
  Result<ast::Statement> TransformAlterSequence(const PgQuery__AlterSeqStmt& stmt);
  // CREATE/ALTER SEQUENCE options, or an identity column's; RESTART only for_alter.
  Result<ast::SequenceOptions> TransformSequenceOptions(PgQuery__Node* const* options, size_t n,
                                                        bool for_alter);
  Result<ast::Statement> TransformCreateView(const PgQuery__ViewStmt& stmt);
  Result<ast::Statement> TransformDropView(const PgQuery__DropStmt& stmt);
  Result<ast::Statement> TransformCreateSchema(const PgQuery__CreateSchemaStmt& stmt);
  Result<ast::Statement> TransformDropSchema(const PgQuery__DropStmt& stmt);
  Result<ast::Statement> TransformRenameSchema(const PgQuery__RenameStmt& stmt);
  Result<ast::Statement> TransformAlterObjectSchema(const PgQuery__AlterObjectSchemaStmt& stmt);
  Result<ast::Statement> TransformComment(const PgQuery__CommentStmt& stmt);
  // CREATE TYPE ... AS ENUM, ALTER TYPE (enum), DROP TYPE, ALTER TYPE ... RENAME TO
  // (transform_type.cc).
  Result<ast::Statement> TransformCreateEnum(const PgQuery__CreateEnumStmt& stmt);
  Result<ast::Statement> TransformAlterEnum(const PgQuery__AlterEnumStmt& stmt);
  // transform_prepare.cc: LOCK TABLE, PREPARE, EXECUTE, DEALLOCATE.
  Result<ast::Statement> TransformLock(const PgQuery__LockStmt& stmt);
  Result<ast::Statement> TransformPrepare(const PgQuery__PrepareStmt& stmt);
  Result<ast::Statement> TransformExecute(const PgQuery__ExecuteStmt& stmt);
  Result<ast::Statement> TransformDeallocate(const PgQuery__DeallocateStmt& stmt);
  Result<ast::Statement> TransformDropType(const PgQuery__DropStmt& stmt);
  Result<ast::Statement> TransformRenameType(const PgQuery__RenameStmt& stmt);
  // An expression as SQL text (libpg_query's deparser): a DEFAULT kept in the catalog.
  Result<std::string> DeparseExpr(const PgQuery__Node* expr) const;
  // A CHECK or FOREIGN KEY constraint of CREATE TABLE; column: the column it is written on
  // (null: a table constraint).
  Result<ast::TableConstraint> TransformCheckOrForeignKey(const PgQuery__Constraint& c,
                                                          const std::string* column);

  // A table constraint of CREATE TABLE or ALTER TABLE ... ADD (PRIMARY KEY, UNIQUE, CHECK,
  // FOREIGN KEY).
  Result<ast::TableConstraint> TransformTableConstraint(const PgQuery__Constraint& c);
  // A column of CREATE TABLE or ALTER TABLE ... ADD COLUMN: its CHECK and REFERENCES constraints
  // are appended to constraints, a PRIMARY KEY counted in primary_keys (42P16 past one).
  Result<ast::ColumnDef> TransformColumnDef(const PgQuery__ColumnDef& def, const std::string& table,
                                            std::vector<ast::TableConstraint>& constraints,
                                            int& primary_keys);
  Result<ast::Statement> TransformAlterTable(const PgQuery__AlterTableStmt& stmt);

  // A query (a SelectStmt node) as SQL text: a view's query kept in the catalog.
  Result<std::string> DeparseQuery(const PgQuery__Node* query) const;

  // ---- pieces shared by several statements ----

  // Any expression. DEFAULT is rejected here; callers that allow it (VALUES rows, UPDATE SET)
  // use TransformValueExpr.
  Result<ast::ExprPtr> TransformExpr(const PgQuery__Node* node);
  Result<ast::ExprPtr> TransformValueExpr(const PgQuery__Node* node);
  Result<std::vector<ast::ExprPtr>> TransformExprList(PgQuery__Node* const* nodes, size_t n);
  // A SELECT list or a RETURNING list (ResTarget nodes).
  Result<std::vector<ast::SelectItem>> TransformTargetList(PgQuery__Node* const* nodes, size_t n);
  // A table name, its schema kept ("public", "pg_catalog", and "information_schema" where a
  // table is looked up; the binder resolves the system ones). Another schema is an error worded
  // as PostgreSQL words it: 42P01 'relation "s.t" does not exist' where a table is looked up
  // (FROM, INSERT, UPDATE, DELETE), 3F000 'schema "s" does not exist' in DDL.
  enum class NameUse { kLookup, kDdl };
  Result<ast::TableName> TransformTableName(const PgQuery__RangeVar& range_var,
                                            NameUse use = NameUse::kLookup);
  // UPDATE's SET list, or ON CONFLICT DO UPDATE's (ResTarget nodes).
  Result<std::vector<ast::Assignment>> TransformAssignments(PgQuery__Node* const* nodes, size_t n);
  // UPDATE ... FROM / DELETE ... USING: SELECT * FROM target, items WHERE where
  // (transform_update.cc).
  Result<std::unique_ptr<ast::Select>> TransformDmlJoin(const PgQuery__RangeVar& target,
                                                        PgQuery__Node* const* items, size_t n,
                                                        const PgQuery__Node* where);
  // INSERT's ON CONFLICT clause (transform_insert.cc).
  Result<std::unique_ptr<ast::OnConflict>> TransformOnConflict(const PgQuery__OnConflictClause& c);
  // A table in FROM / INSERT / UPDATE / DELETE, with its alias.
  Result<ast::TableRef> TransformTableRef(const PgQuery__RangeVar& range_var);
  Result<ast::Statement> TransformExplain(const PgQuery__ExplainStmt& stmt);
  // A FROM item: a table or a JOIN (recursively).
  Result<ast::TableRef> TransformFromItem(const PgQuery__Node& item);
  // WITH [RECURSIVE]: the common table expressions into with (transform_subquery.cc).
  // top_level: the WITH of a statement's own query, the only one that may hold INSERT, UPDATE or
  // DELETE (PostgreSQL's 0A000 elsewhere).
  Status TransformWith(const PgQuery__WithClause& w, std::vector<ast::CommonTableExpr>& with,
                       bool& recursive, bool top_level);
  // An ORDER BY item (SortBy node) of a query or a window.
  Result<ast::OrderItem> TransformSortBy(const PgQuery__Node& node);
  // OVER (...) / WINDOW name AS (...) (transform_window.cc).
  Result<ast::WindowDef> TransformWindowDef(const PgQuery__WindowDef& w);
  // A type name as written in CREATE TABLE or a cast.
  // user_type: where a name that is no built-in type's goes (an enum's, resolved later; the
  // type is then kEnum or an array of it without an oid); null: such a name is 42704.
  Result<SqlType> TransformTypeName(const PgQuery__TypeName& type_name,
                                    std::string* user_type = nullptr);

  // The 0A000 error for a construct the engine does not implement yet, e.g.
  // Unsupported("JOIN", location) -> "JOIN is not supported yet".
  tl::unexpected<Error> Unsupported(std::string_view what, int location = -1) const;
  // The same for a plural noun: "window functions are not supported yet".
  tl::unexpected<Error> UnsupportedPlural(std::string_view what, int location = -1) const;
  // An error with the position of a libpg_query location (-1: none).
  tl::unexpected<Error> ErrorAt(const char* sqlstate, std::string message, int location) const;
  // The 1-based character position PostgreSQL reports for a byte location; 0 for -1.
  int Position(int location) const;

 private:
  Result<ast::ExprPtr> TransformAConst(const PgQuery__AConst& c);
  Result<ast::ExprPtr> TransformAExpr(const PgQuery__AExpr& e);
  Result<ast::ExprPtr> TransformOperator(const PgQuery__AExpr& e);
  Result<ast::ExprPtr> TransformLike(const PgQuery__AExpr& e);
  Result<ast::ExprPtr> TransformIn(const PgQuery__AExpr& e);
  Result<ast::ExprPtr> TransformBetween(const PgQuery__AExpr& e);
  Result<ast::ExprPtr> TransformNullIf(const PgQuery__AExpr& e);
  Result<ast::ExprPtr> TransformNullTest(const PgQuery__NullTest& t);
  Result<ast::ExprPtr> TransformBooleanTest(const PgQuery__BooleanTest& t);
  Result<ast::ExprPtr> TransformTypeCast(const PgQuery__TypeCast& c);
  Result<ast::ExprPtr> TransformCoalesce(const PgQuery__CoalesceExpr& c);
  Result<ast::ExprPtr> TransformBoolExpr(const PgQuery__BoolExpr& e);
  Result<ast::ExprPtr> TransformFuncCall(const PgQuery__FuncCall& f);
  Result<ast::ExprPtr> TransformIndirection(const PgQuery__AIndirection& indirection);
  Result<ast::ExprPtr> TransformArrayExpr(const PgQuery__AArrayExpr& array);
  Result<ast::ExprPtr> TransformColumnRef(const PgQuery__ColumnRef& c);
  Result<ast::ExprPtr> TransformCase(const PgQuery__CaseExpr& c);
  Result<ast::ExprPtr> TransformSubLink(const PgQuery__SubLink& s);
  Result<ast::ExprPtr> TransformCollate(const PgQuery__CollateClause& c);
  tl::unexpected<Error> RejectExpr(const PgQuery__Node& node) const;
  tl::unexpected<Error> TooDeep() const;

  std::string_view query_;
  // While a data-modifying WITH query's statement is transformed: its own WITH is not the
  // statement's top level.
  bool in_cte_statement_ = false;
  int depth_ = 0;  // expression nesting, bounded so hostile input cannot exhaust the stack
};

// Helpers for protobuf nodes, shared by the transform_*.cc files.

// The string of a String node; empty for any other node.
std::string_view NodeString(const PgQuery__Node* node);
// The last element of a name list ("pg_catalog.int4" -> "int4").
std::string_view LastName(PgQuery__Node* const* names, size_t n);
// An object's name list of at most two parts ("t", "s.t"); a longer one is PostgreSQL's
// cross-database error (0A000), its parts joined unquoted.
Result<ast::TableName> TwoPartName(PgQuery__Node* const* items, size_t n);
// Whether a node is unset (libpg_query's NULL list element).
inline bool IsNullNode(const PgQuery__Node* node) {
  return node == nullptr || node->node_case == PG_QUERY__NODE__NODE__NOT_SET;
}

}  // namespace sqlrite::engine::sql
