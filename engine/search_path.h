#pragma once
// search_path: the schema an unqualified relation name is looked up in and created in, as
// PostgreSQL's namespace.c (recomputeNamespacePath, RangeVarGetRelid,
// RangeVarGetCreationNamespace): the setting's schemas that exist, in order, "$user" standing for
// the session's role; pg_catalog is implicitly first, its relations being the system ones that
// engine/catalog/system_relation.h resolves before a stored relation is looked up.
//
// The path is computed from the setting at each use and never kept: a parse tree (the parse
// cache) holds names as written, and a kept plan (engine/prepared_plan.h) records the setting
// it was bound under and is rebuilt when it differs, as PostgreSQL re-plans a cached plan whose
// search_path changed. A name is therefore never resolved against a stale path.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

class Session;

// The setting's names as PostgreSQL's SplitIdentifierString reads them: comma-separated,
// unquoted ones lower-cased, "quoted" ones as written ("" a quote). "$user" is kept as is.
// Errors: 22023 for a list that does not parse (an unterminated quote, an empty name).
Result<std::vector<std::string>> ParseSearchPath(std::string_view setting);

// The schemas of the path that exist in catalog, in order and without repeats, "$user"
// replaced by user (when a schema of that name exists). pg_catalog is included only where
// listed (current_schemas(false) shows it so).
std::vector<std::string> EffectiveSearchPath(const Catalog& catalog, std::string_view setting,
                                             std::string_view user);
// The same for a session's search_path setting and role.
std::vector<std::string> SessionSearchPath(const Catalog& catalog, const Session& session);

// The stored relation `name` names: in its schema when qualified, else in the first schema of
// path holding one of that name. Null when none does (UndefinedRelation says why).
const TableDef* FindRelation(const Catalog& catalog, const std::vector<std::string>& path,
                             const ast::TableName& name);
// 3F000 "schema "s" does not exist" for a qualifier naming no schema, else 42P01 "relation
// "[s.]t" does not exist", with the name's position.
tl::unexpected<Error> UndefinedRelation(const Catalog& catalog, const ast::TableName& name);

// The schema CREATE puts relation `name` in: its qualifier (3F000 when no such schema exists),
// else the first schema of path (3F000 "no schema has been selected to create in" when the path
// names none that exists). A system schema is 42501, as PostgreSQL refuses to create in it.
Result<std::string> CreationSchema(const Catalog& catalog, const std::vector<std::string>& path,
                                   const ast::TableName& name);

// The relation's name as PostgreSQL's regclass output and psql show it: bare when the path finds
// that very relation by it (pg_table_is_visible), else qualified "schema.name".
std::string VisibleName(const Catalog& catalog, const std::vector<std::string>& path,
                        const TableDef& def);

}  // namespace sqlrite::engine
