#include "engine/database.h"

#include "common/assert.h"
#include "engine/data_dir.h"
#include "engine/table_stats.h"
#include "storage/btree.h"

namespace sqlrite::engine {
namespace {

// The live-row counts (engine/table_stats.h) are the process's: a table that this process has
// not counted yet gets its B+tree's estimate, as PostgreSQL plans from pg_class's relpages and
// reltuples after a restart rather than from nothing. Without it, a million-row table written
// before a restart is planned as a few thousand rows (estimate.h's never-counted default): the
// hash join then hashes it and spills. Its writes then count on top of the estimate. A tree
// too damaged to estimate keeps no count: the database opens all the same, and reading that
// table reports the damage.
void SeedLiveRows(storage::Pager& pager, const Catalog& catalog, uint32_t db) {
  TableStats& stats = ProcessTableStats();
  for (const auto& [name, table] : catalog.tables()) {
    if (table.root == storage::kInvalidPage || stats.Find(db, table.oid) != nullptr) continue;
    storage::BTree tree(pager, table.root);
    Result<uint64_t> rows = tree.EstimateEntries();
    if (!rows) continue;
    stats.For(db, table.oid).live_tup.store(static_cast<int64_t>(*rows), std::memory_order_relaxed);
  }
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, std::string name,
                                                 uint32_t oid,
                                                 const storage::Pager::Options& options,
                                                 storage::FileSystem& fs) {
  SQLRITE_ASSIGN_OR_RETURN(auto pager, OpenPagerWithWal(path, options, OpenIntent::kOpen, fs));
  // CREATE DATABASE commits the catalog tree before the catalog names the file, so a named file
  // without one is damaged: creating an empty tree would serve an empty database in its place.
  if (pager->GetMeta(storage::MetaSlot::kCatalogRoot) == storage::kInvalidPage) {
    return Fail(sqlstate::kDataCorrupted,
                "data file \"" + path + "\": its header names no catalog tree");
  }
  auto db = std::make_unique<Database>(std::move(name), oid, std::move(pager));
  SQLRITE_ASSIGN_OR_RETURN(db->catalog_, Catalog::Load(*db->pager_));
  SQLRITE_ASSERT(!db->pager_->in_transaction());
  SeedLiveRows(*db->pager_, *db->catalog_, db->oid());
  return db;
}

Result<Database::ReadView> Database::BeginRead() {
  SQLRITE_ASSIGN_OR_RETURN(storage::ReadSnapshot snapshot, pager_->BeginRead());
  const uint32_t version = Catalog::SchemaVersion(snapshot);
  {
    std::lock_guard<std::mutex> lock(read_catalog_mu_);
    if (read_catalog_ != nullptr && read_catalog_version_ == version) {
      return ReadView{std::move(snapshot), read_catalog_};
    }
  }
  // Built outside the lock (it reads the catalog tree); two readers racing build it twice.
  SQLRITE_ASSIGN_OR_RETURN(std::shared_ptr<const Catalog> catalog, Catalog::LoadReadOnly(snapshot));
  {
    std::lock_guard<std::mutex> lock(read_catalog_mu_);
    // Versions only grow along committed history, so the newest one is the one to keep.
    if (read_catalog_ == nullptr || version >= read_catalog_version_) {
      read_catalog_ = catalog;
      read_catalog_version_ = version;
    }
  }
  return ReadView{std::move(snapshot), std::move(catalog)};
}

std::shared_ptr<const Catalog> Database::SharedCatalogForWriter() {
  const uint32_t version = Catalog::SchemaVersion(*pager_);
  {
    std::lock_guard<std::mutex> lock(read_catalog_mu_);
    if (read_catalog_ != nullptr && read_catalog_version_ == version) return read_catalog_;
  }
  // Once per version: after DDL the durable state lags until the sync, and a reader's
  // BeginRead then keeps the new catalog anyway.
  if (shared_catalog_tried_ == version) return nullptr;
  shared_catalog_tried_ = version;
  Result<ReadView> view = BeginRead();
  if (!view || Catalog::SchemaVersion(view->snapshot) != version) return nullptr;
  return view->catalog;
}

Status Database::Commit(bool* committed) {
  snapshot_.reset();
  if (committed != nullptr) *committed = false;
  if (!pager_->in_transaction()) return Ok();
  auto status = pager_->CommitNoSync();
  if (!status) {
    // The commit's error is the one to report; a failed reload is kept in catalog_status_ and
    // refuses later writes.
    Status rolled_back = Rollback();
    static_cast<void>(rolled_back);
    return status;
  }
  needs_sync_ = true;
  sequences_.Committed();
  ProcessTableStats().EndTransaction(oid_, 0, /*committed=*/true);
  if (committed != nullptr) *committed = true;
  return Ok();
}

Status Database::Rollback() {
  pager_->Rollback();
  ProcessTableStats().EndTransaction(oid_, 0, /*committed=*/false);
  Status status = Ok();
  if (snapshot_) {
    catalog_ = std::move(snapshot_);
    catalog_status_ = Ok();  // the snapshot is the committed catalog
  } else {
    status = ReloadCatalogOnly();
  }
  if (!status) return status;
  // The rolled-back transaction's nextval calls stay spent: their states, written again, commit
  // on their own (durable with the next group commit; a client waits for none of it). Should
  // this fail, the pager refuses writes anyway (a failed commit poisons it).
  if (Status reapplied = sequences_.Reapply(*this, /*whole_transaction=*/true); !reapplied) {
    pager_->Rollback();
    return Ok();
  }
  if (pager_->in_transaction()) {
    if (pager_->CommitNoSync()) {
      needs_sync_ = true;
      sequences_.Committed();
    } else {
      pager_->Rollback();
    }
  }
  return Ok();
}

Status Database::ReloadCatalogOnly() {
  // The cache may hold definitions written by the undone statements.
  catalog_status_ = catalog_->Reload();
  return catalog_status_;
}

Status Database::ReloadCatalog() {
  SQLRITE_TRY(ReloadCatalogOnly());
  return sequences_.Reapply(*this);
}

Status Database::EnsureCatalog() {
  if (catalog_status_) return Ok();
  return ReloadCatalogOnly();
}

void Database::SnapshotCatalog() { snapshot_ = std::make_unique<Catalog>(*catalog_); }

Status Database::Sync() {
  if (!needs_sync_) return Ok();
  needs_sync_ = false;
  auto status = pager_->SyncWal();
  if (!status && sync_status_) sync_status_ = status;
  return status;
}

Result<std::optional<storage::LogSync>> Database::BeginSync() {
  if (!needs_sync_) return std::optional<storage::LogSync>();
  needs_sync_ = false;
  auto begun = pager_->BeginSync();
  if (!begun && sync_status_) sync_status_ = Fail(begun.error());
  return begun;
}

Status Database::FinishSync(const storage::LogSync& sync, const Status& fsynced) {
  Status status = pager_->FinishSync(sync, fsynced);
  if (!status && sync_status_) sync_status_ = status;
  return status;
}

Status Database::WritesAllowed() {
  if (!EnsureCatalog()) {
    return Fail(Error(catalog_status_.error().sqlstate,
                      "database \"" + name_ + "\" refuses writes: its catalog could not be read: " +
                          catalog_status_.error().message));
  }
  if (!sync_status_ || pager_->poisoned()) {
    Error refused = Error(sqlstate::kIoError, "database \"" + name_ +
                                                  "\" refuses writes after a failed sync or "
                                                  "checkpoint of its files")
                        .WithHint("Restart the server; recovery keeps every durable commit.");
    if (!pager_->poison_cause().empty())
      refused = std::move(refused).WithDetail(pager_->poison_cause());
    return Fail(std::move(refused));
  }
  return Ok();
}

Status Database::Close() {
  snapshot_.reset();
  return pager_->Close();
}

}  // namespace sqlrite::engine
