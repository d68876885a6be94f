#pragma once
// SQL text the catalog keeps (a CHECK constraint's expression) with a column renamed, for ALTER
// TABLE ... RENAME COLUMN: the text is parsed again by libpg_query, every column reference whose
// last name is the old one gets the new one, and the tree is deparsed, so quoting, strings and
// function names are never mistaken for the column.

#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::engine::sql {

// expr_sql: one expression as DeparseExpr wrote it. Errors: XX001 when it does not parse back as
// one expression, 0A000 when the result cannot be deparsed.
Result<std::string> RenameColumnInExpr(std::string_view expr_sql, std::string_view from,
                                       std::string_view to);

}  // namespace sqlrite::engine::sql
