#pragma once
// SQL text the catalog keeps (a CHECK constraint's expression, a view's query) with a column or a
// table renamed, for ALTER TABLE ... RENAME COLUMN / RENAME TO: the text is parsed again by
// libpg_query, the references renamed in the tree, and the tree deparsed, so quoting, strings
// and function names are never mistaken for the name.

#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::engine::sql {

// expr_sql: one expression as DeparseExpr wrote it. Errors: XX001 when it does not parse back as
// one expression, 0A000 when the result cannot be deparsed.
Result<std::string> RenameColumnInExpr(std::string_view expr_sql, std::string_view from,
                                       std::string_view to);

// query_sql: a view's query as DeparseQuery wrote it. Every FROM item naming table `from` (without
// a schema or in public) names `to`, and so does every column reference qualified by it.
// Errors as RenameColumnInExpr's.
Result<std::string> RenameTableInQuery(std::string_view query_sql, std::string_view from,
                                       std::string_view to);

// A view's query whose every FROM item is table `table`: each column reference whose last name is
// `from` gets `to`, and a result column that was such a bare reference keeps its old name (AS
// from), as a view's columns keep theirs in PostgreSQL. 0A000 when the query reads another
// relation or holds a `*` (the reference's table cannot be told, or the columns it expands to).
Result<std::string> RenameColumnInQuery(std::string_view query_sql, std::string_view table,
                                        std::string_view from, std::string_view to);

// A view's query with its unqualified table names qualified by the schema schema_of gives them
// (empty: left bare; "public" too unless qualify_public), so that the stored text names the
// relations CREATE VIEW bound whatever a later reader's search_path (qualify_public: the text
// pg_get_viewdef gives pg_dump, which restores with an empty search_path). Names of the query's
// own WITH queries are left alone. Errors as RenameTableInQuery's.
Result<std::string> QualifyTablesInQuery(
    std::string_view query_sql, const std::function<std::string(std::string_view)>& schema_of,
    bool qualify_public = false);

// A view's query with every FROM item naming table `table` of schema `from` (bare too when `from`
// is public) naming it in schema `to` (ALTER TABLE ... SET SCHEMA). Errors as RenameTableInQuery's.
Result<std::string> MoveTableInQuery(std::string_view query_sql, std::string_view table,
                                     std::string_view from, std::string_view to);

// A view's query with every FROM item in schema `from` named in schema `to` (ALTER SCHEMA ...
// RENAME TO). Errors as RenameTableInQuery's.
Result<std::string> RenameSchemaInQuery(std::string_view query_sql, std::string_view from,
                                        std::string_view to);

}  // namespace sqlrite::engine::sql
