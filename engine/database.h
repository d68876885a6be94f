#pragma once
// Database: one database file (<data>/base/<oid>.sqlrite and its write-ahead log
// <oid>.sqlrite-wal): its pager, its catalog, the single writer and the statements waiting for
// it, and the number of sessions connected to it (DROP DATABASE refuses while any other
// session uses it).
//
// Catalog views: catalog_ is the writer's working copy (what the pager's current transaction
// says). While a writer's transaction block is open, snapshot_ holds the catalog as of the last
// commit, and statements of other sessions run with ReadCommittedScope, which shows them the
// committed pages and snapshot_ (so an uncommitted CREATE/DROP TABLE is invisible to them).
// An autocommit statement commits before any other statement runs, so it needs no snapshot.
//
// Snapshot reads (BeginRead, any thread): a storage::ReadSnapshot of the newest durable commit
// and the catalog that commit shows, shared by every reader of the same schema version
// (Catalog's file comment): built from the snapshot's own pages by the first reader that needs
// it, never from catalog_, which belongs to the engine thread.
//
// A failed catalog reload (after a rollback) leaves the cache unusable: the failure is kept,
// writes are refused with it (WritesAllowed) until EnsureCatalog() reloads cleanly, so a later
// CREATE TABLE can never overwrite a definition the cache failed to show.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/engine.h"
#include "engine/point_writer.h"
#include "engine/sequence.h"
#include "storage/file_system.h"
#include "storage/pager.h"

namespace sqlrite::engine {

namespace catalog {
class ClusterDirectory;
}

class Database {
 public:
  // Opens the existing file at path with its log at path + "-wal" on fs (OpenIntent::kOpen; set
  // options.expect to check its identity); recovery of the log runs here. Never creates the
  // file: a missing or empty one is XX001.
  static Result<std::unique_ptr<Database>> Open(
      const std::string& path, std::string name, uint32_t oid,
      const storage::Pager::Options& options, storage::FileSystem& fs = storage::PosixFileSystem());

  const std::string& name() const { return name_; }
  uint32_t oid() const { return oid_; }
  // The cluster's roles and databases, for the catalogs (null: a database opened on its own).
  const std::shared_ptr<catalog::ClusterDirectory>& directory() const { return directory_; }
  void set_directory(std::shared_ptr<catalog::ClusterDirectory> d) { directory_ = std::move(d); }
  storage::Pager& pager() { return *pager_; }
  // The catalog the running statement sees (see the file comment).
  Catalog& catalog() { return read_committed_ && snapshot_ ? *snapshot_ : *catalog_; }

  // Commits the writer's transaction without waiting for the disk (group commit: Sync() makes
  // it durable). On failure the transaction is rolled back. Either way the snapshot is dropped.
  // *committed tells whether anything was written.
  Status Commit(bool* committed = nullptr);
  // Discards the writer's transaction and restores the catalog. Sequences it advanced keep their
  // advance: their state is written again and committed (engine/sequence.h). Errors: the catalog
  // could not be re-read (the transaction is rolled back all the same; see the file comment).
  Status Rollback();
  // Re-reads the working catalog after a pager savepoint was rolled back, and writes again the
  // state of the sequences advanced since the last commit. Errors as Rollback.
  Status ReloadCatalog();
  // The sequences' states (engine/sequence.h): kept across rollbacks, written again after them.
  SequenceStates& sequences() { return sequences_; }
  // Retries a failed reload; Ok when the catalog cache is usable.
  Status EnsureCatalog();
  // Keeps the committed catalog for readers while a writer's block is open.
  void SnapshotCatalog();

  // Makes the commits since the last call durable (one log fsync). A failure makes the
  // database refuse writes until restart (the pager is poisoned).
  Status Sync();
  bool needs_sync() const { return needs_sync_; }
  // The same with the fsync on another thread (engine/log_syncer.h): BeginSync() takes the
  // commits since the last sync (nullopt: none awaits one) and FinishSync() reports the fsync
  // of the returned LogSync. A failure of either refuses writes as Sync's does. See
  // storage::Pager::BeginSync for what may not happen in between.
  Result<std::optional<storage::LogSync>> BeginSync();
  Status FinishSync(const storage::LogSync& sync, const Status& fsynced);
  // Why writes are refused (58030 after a failed sync; while the catalog is unusable, the
  // error of a reload retried here), or Ok.
  Status WritesAllowed();

  // The session holding the write transaction, or null.
  SessionState* writer() const { return writer_; }
  void set_writer(SessionState* session) { writer_ = session; }

  // A statement waiting for the writer (Cluster::Submit).
  struct Waiter {
    SessionState* session;
    const ast::Statement* statement;
    Cluster::Completion done;
    uint64_t ticket;                 // identifies it to its timeout timer
    ParamContext* params = nullptr;  // its parameters' values (extended query protocol)
  };
  std::deque<Waiter>& waiters() { return waiters_; }

  // The open point-writer transactions and their row locks (engine/point_writer.h).
  PointWriters& point_writers() { return point_writers_; }

  // Sessions connected to this database.
  int sessions() const { return sessions_; }
  void AddSession() { ++sessions_; }
  void RemoveSession() { --sessions_; }

  // What a read off the engine thread sees: the newest durable commit and its catalog. Thread-
  // safe. The view must be destroyed before the database is closed. Errors: the pager's (0A000
  // without a WAL), the catalog tree's (XX001).
  struct ReadView {
    storage::ReadSnapshot snapshot;
    std::shared_ptr<const Catalog> catalog;
  };
  Result<ReadView> BeginRead();
  // The catalog readers share (BeginRead's) when the engine thread's current state has its
  // shapes: the pager's schema version, uncommitted changes included, is the one that catalog
  // was built at. DDL always bumps the version, and a rolled-back change restores it, so equal
  // versions mean the same relations, columns, trees and indexes. When no reader built it yet,
  // builds it (BeginRead) if the newest durable commit has that version. Null otherwise. What a
  // prepared SELECT run by the writer binds against, so that its plan is kept
  // (engine/prepared_plan.h). Engine thread only.
  std::shared_ptr<const Catalog> SharedCatalogForWriter();

  // Flushes the log into the file and closes it.
  Status Close();

  // Shows other sessions' statements the last committed state while another session writes.
  class ReadCommittedScope {
   public:
    ReadCommittedScope(Database& db, bool on) : db_(on ? &db : nullptr) {
      if (db_ != nullptr) {
        db_->pager_->SetReadCommitted(true);
        db_->read_committed_ = true;
      }
    }
    ~ReadCommittedScope() {
      if (db_ != nullptr) {
        db_->pager_->SetReadCommitted(false);
        db_->read_committed_ = false;
      }
    }
    ReadCommittedScope(const ReadCommittedScope&) = delete;
    ReadCommittedScope& operator=(const ReadCommittedScope&) = delete;

   private:
    Database* db_;
  };

  Database(std::string name, uint32_t oid, std::unique_ptr<storage::Pager> pager)
      : name_(std::move(name)), oid_(oid), pager_(std::move(pager)) {}

 private:
  Status ReloadCatalogOnly();  // ReloadCatalog without the sequences' re-write

  std::string name_;
  uint32_t oid_;
  std::shared_ptr<catalog::ClusterDirectory> directory_;
  std::unique_ptr<storage::Pager> pager_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Catalog> snapshot_;
  SequenceStates sequences_;
  bool read_committed_ = false;
  bool needs_sync_ = false;
  Status sync_status_ = Ok();
  Status catalog_status_ = Ok();  // the last catalog reload's outcome
  SessionState* writer_ = nullptr;
  std::deque<Waiter> waiters_;
  PointWriters point_writers_;
  int sessions_ = 0;
  // The newest catalog a reader built, with its schema version; guarded by read_catalog_mu_.
  std::mutex read_catalog_mu_;
  std::shared_ptr<const Catalog> read_catalog_;
  uint32_t read_catalog_version_ = 0;
  // The last schema version SharedCatalogForWriter built a catalog for without finding it
  // durable: not tried again until the version changes. Engine thread only.
  std::optional<uint32_t> shared_catalog_tried_;
};

}  // namespace sqlrite::engine
