#pragma once
// Generated columns: GENERATED ALWAYS AS (expr) STORED, as PostgreSQL 15's. The expression is
// kept in the catalog as SQL text over the table's columns (ColumnDef::generated_sql), bound when
// the definition is loaded (ColumnDef::generated_expr), and computed into each row an INSERT,
// UPDATE, ON CONFLICT DO UPDATE, COPY FROM, a foreign key's cascade or ALTER TABLE writes: after
// the defaults and the given values, before NOT NULL, CHECK and the keys see the row (PostgreSQL's
// ExecComputeStoredGenerated runs at the same point). The value is stored in the row like any
// other column's, so a reader needs nothing.
//
// Rules checked when the expression is bound (CREATE TABLE, ALTER TABLE ... ADD COLUMN), with
// PostgreSQL's SQLSTATEs and messages: it may not read another generated column (42P17), a
// system column other than tableoid (42P10), a subquery (0A000), an aggregate or window function
// (42803 / 42P20), or call anything not immutable (42P17); its type must assign to the column's
// (42804, "default expression").

#include <cstddef>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/row_source.h"
#include "engine/sql/ast.h"
#include "engine/value.h"

namespace sqlrite::engine {

// PostgreSQL's contain_mutable_functions: e calls something volatile (random(), nextval()),
// depends on the transaction (now()) or on the session's TimeZone (a timestamptz cast), or
// reads a parameter or a subquery. Generation expressions and index expressions may not.
bool ContainsMutable(const BoundExpr& e);

// Whether any column of def is generated.
bool HasGeneratedColumns(const TableDef& def);

// Binds expr as column `column`'s generation expression over def's columns (every column of def
// must be in place) and checks the rules above; on success the column becomes generated ('s')
// with sql as its text. location: the GENERATED clause (errors about the whole expression).
Status SetGenerationExpression(TableDef& def, size_t column, const ast::Expr& expr,
                               const std::string& sql, int location);

// A definition just decoded: parses and binds each generated column's stored text. Errors:
// XX001 for text that no longer binds (a damaged entry).
Status LoadGenerationExpressions(TableDef& def);

// Computes every generated column of row (a full row of def) from its other columns. Errors: the
// expression's (22012, a cast's 22003, ...).
Status ComputeGeneratedColumns(const TableDef& def, Row& row);

// 428C9: INSERT gave a generated column a value other than DEFAULT.
tl::unexpected<Error> GeneratedColumnInsert(const ColumnDef& col);
// 428C9: UPDATE set a generated column to something other than DEFAULT.
tl::unexpected<Error> GeneratedColumnUpdate(const ColumnDef& col);

// The generated columns of def whose expression reads column `column` (positions).
std::vector<size_t> GeneratedColumnsReading(const TableDef& def, size_t column);

}  // namespace sqlrite::engine
