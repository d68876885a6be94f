#include "engine/database.h"

#include "engine/data_dir.h"

namespace sqlrite::engine {

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, std::string name,
                                                 uint32_t oid,
                                                 const storage::Pager::Options& options,
                                                 storage::FileSystem& fs) {
  SQLRITE_ASSIGN_OR_RETURN(auto pager, OpenPagerWithWal(path, options, fs));
  auto db = std::make_unique<Database>(std::move(name), oid, std::move(pager));
  SQLRITE_ASSIGN_OR_RETURN(db->catalog_, Catalog::Load(*db->pager_));
  if (db->pager_->in_transaction()) {
    // A new file: its catalog tree must be durable before anything refers to it.
    auto status = db->pager_->Commit();
    if (!status) {
      db->pager_->Rollback();
      return Fail(std::move(status.error()));
    }
  }
  return db;
}

Status Database::Commit(bool* committed) {
  snapshot_.reset();
  if (committed != nullptr) *committed = false;
  if (!pager_->in_transaction()) return Ok();
  auto status = pager_->CommitNoSync();
  if (!status) {
    Rollback();
    return status;
  }
  needs_sync_ = true;
  if (committed != nullptr) *committed = true;
  return Ok();
}

void Database::Rollback() {
  pager_->Rollback();
  if (snapshot_) {
    catalog_ = std::move(snapshot_);
    return;
  }
  ReloadCatalog();
}

void Database::ReloadCatalog() {
  // The cache may hold definitions written by the undone statements.
  auto reloaded = catalog_->Reload();
  (void)reloaded;  // a failure leaves the cache empty; the next statement reports it
}

void Database::SnapshotCatalog() { snapshot_ = std::make_unique<Catalog>(*catalog_); }

Status Database::Sync() {
  if (!needs_sync_) return Ok();
  needs_sync_ = false;
  auto status = pager_->SyncWal();
  if (!status && sync_status_) sync_status_ = status;
  return status;
}

Status Database::WritesAllowed() const {
  if (!sync_status_ || pager_->poisoned()) {
    return Fail(Error(sqlstate::kIoError, "database \"" + name_ +
                                              "\" refuses writes after a failed sync of its "
                                              "write-ahead log")
                    .WithHint("Restart the server; recovery keeps every durable commit."));
  }
  return Ok();
}

Status Database::Close() {
  snapshot_.reset();
  return pager_->Close();
}

}  // namespace sqlrite::engine
