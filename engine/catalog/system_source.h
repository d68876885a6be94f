#pragma once
// SystemSource: everything the system relations (pg_catalog) and the catalog functions read, for
// one statement: the catalog of the state the statement sees and the facts of its session. The
// relations' rows are computed from it when a scan opens; nothing of it is stored anywhere else,
// so a catalog relation can never disagree with the catalog it shows.
//
// It is reached through a thread-local SystemScope, as the date/time context is
// (engine/datetime_context.h): the SELECT executor opens one around binding (built lazily: a
// statement that names no catalog relation or function never builds it) and each pipeline keeps
// the source its statement built, in scope while it pulls rows, on whichever thread that is.
//
// Lifetime: `catalog` points into the same catalog as the plan's TableDefs, and lives as long
// (a snapshot's catalog is held by `view`).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/catalog/cluster_directory.h"
#include "engine/database.h"

namespace sqlrite::engine {

struct ExecContext;

namespace catalog {

struct SystemSource {
  const Catalog* catalog = nullptr;
  std::shared_ptr<Database::ReadView> view;  // null on the engine thread's view
  // The pages of the same state (the writer's pager or view's snapshot), for the size functions.
  storage::PageSource* pages = nullptr;
  std::string database;
  uint32_t database_oid = 0;
  std::string user;                                          // the session's role
  std::shared_ptr<const DirectoryFacts> cluster;             // roles and databases; never null
  std::map<std::string, std::string, std::less<>> settings;  // the session's, by lower-case name

  // The session's search_path: its schemas that exist, in order (engine/search_path.h).
  std::vector<std::string> SearchPath() const;
  // The name of the schema of an oid (empty: none).
  std::string SchemaName(uint32_t oid) const;

  // The role of an oid (null: none).
  const RoleFacts* RoleByOid(uint32_t oid) const;
  const RoleFacts* RoleByName(std::string_view name) const;
};

// The bootstrap superuser's oid, as PostgreSQL's BOOTSTRAP_SUPERUSERID.
inline constexpr uint32_t kBootstrapSuperuserOid = 10;

class SystemScope {
 public:
  // Binding a statement of ctx: the source is built from ctx on first use.
  explicit SystemScope(ExecContext& ctx);
  // Running a pipeline: the source its statement built (null: none was, and the scope leaves
  // the current one in place).
  explicit SystemScope(std::shared_ptr<const SystemSource> source);
  ~SystemScope();
  SystemScope(const SystemScope&) = delete;
  SystemScope& operator=(const SystemScope&) = delete;

 private:
  friend std::shared_ptr<const SystemSource> CurrentSystemSource();
  friend std::shared_ptr<const SystemSource> BuiltSystemSource();
  friend uint32_t CurrentDatabaseOid();
  ExecContext* ctx_ = nullptr;
  std::shared_ptr<const SystemSource> source_;
  SystemScope* previous_;
};

// The source of the innermost scope on this thread, built now if needed; null outside any scope.
std::shared_ptr<const SystemSource> CurrentSystemSource();
// The oid of the database of the innermost scope's statement, without building its source (the
// planner's row estimates read it); 0 outside any scope.
uint32_t CurrentDatabaseOid();
// CurrentSystemSource() for a catalog function (obj_description, pg_get_expr ...): 0A000
// "<function>() is not supported in this statement" outside any scope.
Result<std::shared_ptr<const SystemSource>> RequireSystemSource(const char* function);
// The innermost scope's source if it was built (what a pipeline keeps); null otherwise.
std::shared_ptr<const SystemSource> BuiltSystemSource();

}  // namespace catalog
}  // namespace sqlrite::engine
