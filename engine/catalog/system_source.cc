#include "engine/catalog/system_source.h"

#include "common/sqlstate.h"
#include "engine/executor.h"
#include "engine/search_path.h"
#include "engine/session.h"

namespace sqlrite::engine::catalog {
namespace {

thread_local SystemScope* current_scope = nullptr;

std::shared_ptr<const SystemSource> Build(ExecContext& ctx) {
  auto source = std::make_shared<SystemSource>();
  source->catalog = &CatalogOf(ctx);
  source->view = ctx.view;
  source->pages = ctx.pages != nullptr ? ctx.pages : &ctx.db.pager();
  source->database = ctx.db.name();
  source->database_oid = ctx.db.oid();
  source->user = ctx.session.user();
  source->settings = ctx.session.settings();
  std::shared_ptr<const DirectoryFacts> facts;
  if (ctx.db.directory() != nullptr) facts = ctx.db.directory()->Get();
  if (facts == nullptr || facts->roles.empty()) {
    // A database opened without a cluster (tests): its session's role stands as the bootstrap
    // superuser, the database as the only one.
    auto own = std::make_shared<DirectoryFacts>();
    own->roles.push_back({kBootstrapSuperuserOid, source->user, true, true});
    own->roles.push_back({kDatabaseOwnerRoleOid, kDatabaseOwnerRole, false, false});
    own->databases.push_back({source->database_oid, source->database, std::string()});
    facts = std::move(own);
  }
  // The block's COMMENT ON DATABASE statements reach the global file only at its COMMIT
  // (engine/cluster.cc); the block itself sees them, as in PostgreSQL.
  if (const auto& pending = ctx.session.tx().database_comments; !pending.empty()) {
    auto own = std::make_shared<DirectoryFacts>(*facts);
    for (const TransactionState::DatabaseComment& c : pending) {
      for (DatabaseFacts& d : own->databases) {
        if (d.name == c.database) d.comment = c.text;
      }
    }
    facts = std::move(own);
  }
  source->cluster = std::move(facts);
  return source;
}

}  // namespace

const RoleFacts* SystemSource::RoleByOid(uint32_t oid) const {
  for (const RoleFacts& r : cluster->roles) {
    if (r.oid == oid) return &r;
  }
  return nullptr;
}

const RoleFacts* SystemSource::RoleByName(std::string_view name) const {
  for (const RoleFacts& r : cluster->roles) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

SystemScope::SystemScope(ExecContext& ctx) : ctx_(&ctx), previous_(current_scope) {
  current_scope = this;
}

SystemScope::SystemScope(std::shared_ptr<const SystemSource> source)
    : source_(std::move(source)), previous_(current_scope) {
  if (source_ != nullptr) current_scope = this;
}

SystemScope::~SystemScope() {
  if (current_scope == this) current_scope = previous_;
}

std::vector<std::string> SystemSource::SearchPath() const {
  auto it = settings.find("search_path");
  return EffectiveSearchPath(*catalog, it != settings.end() ? it->second : "public", user);
}

std::string SystemSource::SchemaName(uint32_t oid) const {
  for (std::string_view builtin : {"pg_catalog", "public", "information_schema"}) {
    if (catalog->SchemaOid(builtin) == oid) return std::string(builtin);
  }
  if (oid == 99) return "pg_toast";
  for (const auto& [name, schema] : catalog->schemas()) {
    if (schema.oid == oid) return name;
  }
  return {};
}

std::shared_ptr<const SystemSource> CurrentSystemSource() {
  SystemScope* scope = current_scope;
  if (scope == nullptr) return nullptr;
  if (scope->source_ == nullptr && scope->ctx_ != nullptr) scope->source_ = Build(*scope->ctx_);
  return scope->source_;
}

uint32_t CurrentDatabaseOid() {
  const SystemScope* scope = current_scope;
  if (scope == nullptr) return 0;
  if (scope->source_ != nullptr) return scope->source_->database_oid;
  return scope->ctx_ != nullptr ? scope->ctx_->db.oid() : 0;
}

Result<std::shared_ptr<const SystemSource>> RequireSystemSource(const char* function) {
  std::shared_ptr<const SystemSource> src = CurrentSystemSource();
  if (src == nullptr) {
    return Fail(sqlstate::kFeatureNotSupported,
                std::string(function) + "() is not supported in this statement");
  }
  return src;
}

std::shared_ptr<const SystemSource> BuiltSystemSource() {
  return current_scope != nullptr ? current_scope->source_ : nullptr;
}

}  // namespace sqlrite::engine::catalog
