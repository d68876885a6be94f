#pragma once
// Pager: a database file as an array of 4 KiB pages behind a page cache, with diffing commits.
//
// Page 0 is the file header (byte layout in docs/file-format.md):
//   0   8  magic "SQLRite\0"
//   8   4  format version
//   12  4  page size (4096)
//   16  4  page count (including page 0)
//   20  4  free-list head (0: empty)
//   24  4  free page count
//   28  4  catalog root page (MetaSlot::kCatalogRoot)
//   32  4xN further meta slots for the layer above (MetaSlot); N = 7
//   60  4  file kind (FileKind)                                the file's identity,
//   64  16 cluster id (random, made when the cluster is created)  written at creation and
//   80  4  database OID (0 for the global file)                    never changed
//   84  4  reserved (0)
//   88  8  file id (random, made when the file is created)
//   (zero up to the checksum)
//   4088 8  the page checksum (below)
//
// Creation: only an Open with Options::create initialises a file, and only an empty one (or
// one holding part of a header page that starts with the magic: a creation cut short by a
// crash); any other open of an empty, missing or short file is an error, so a damaged file is
// never mistaken for a new database.
//
// Page checksums: the last kPageChecksumSize bytes of every page, page 0 included, hold a
// checksum of the rest seeded with the page id (storage/page_checksum.h), written whenever the
// pager writes the page to the main file or the log and verified whenever it reads one from
// either: a mismatch is XX001 naming the page. The layers above use kUsablePageSize bytes.
// Pages at or beyond the header's page count are never read; an all-zero page inside it is
// damage (a written page always carries its checksum).
//
// Transactions: everything written through the pager since the last Commit() or Rollback() is
// one transaction. Commit() compares each page written in the transaction with its committed
// image and writes only pages whose bytes changed. Rollback() restores the committed images.
//
// Two modes, chosen at Open:
//   - with a write-ahead log (Open(db, wal, options)): a commit appends the changed pages to the
//     log (the last frame is the commit frame) and syncs the log per Options::synchronous; the
//     main file is written only by checkpoints (Checkpoint(), automatically once the log passes
//     wal_autocheckpoint_bytes, at Close() and at Open after recovery). Crash safe.
//   - without one (Open(db, options)): a commit writes the pages in place and syncs. Not atomic
//     across a crash; kept for tools and tests.
//
// Failures (WAL mode): a commit whose log write fails (58030, 53100) is rolled back and the
// pager carries on. A failed fsync of the log, or a failed checkpoint, "poisons" the pager:
// the commits not known durable are forgotten (reads give the state of the last successful
// sync), and every later write or commit fails with 58030 until the database is reopened, when
// recovery keeps whatever reached the disk. (PostgreSQL's fsync lesson: never retry an fsync.)
//
// Savepoints (Savepoint / RollbackToSavepoint / ReleaseSavepoint) nest like SQL SAVEPOINT and
// undo page contents and header/allocation state to the point they were taken.
//
// Read-committed mode (SetReadCommitted(true)): while a write transaction is open, Get(),
// GetMeta(), page_count() and free_page_count() show the last committed state, for a reader's
// statement on the engine thread. Writing, committing, rolling back or taking savepoints in that
// mode is a bug (asserts). PageRefs obtained in the mode must be dropped before it is switched
// off.
//
// Memory: when the cache is over its bound and only dirty pages remain (a huge transaction),
// WAL mode spills dirty pages to the log as uncommitted frames and drops them from the cache.
//
// Pages are reached through PageRef handles that pin the page in the cache while they live; a
// pinned page is never evicted, so the pointer a PageRef returns stays valid for its lifetime.
//
// Snapshot reads (BeginRead): a ReadSnapshot is a PageSource pinning the newest DURABLE commit
// (WAL mode only): synced per Options::synchronous (kFull: after SyncWal or a checkpoint's sync;
// kNormal and kOff: at commit). A reader never sees a commit a crash could still lose, nor the
// open transaction, nor a commit published after it began. Invariants:
//   S1. A snapshot is (generation, frames, mark, header): it reads each page from the newest log
//       frame below `frames` of its generation (Wal::Resolve), else from the main file.
//   S2. The checkpoint backfills only frames below the smallest `frames` of the live readers of
//       the current generation (0 for a reader of an older one) and of the durable state, so the
//       main-file copy of a page changes only while no live reader resolves that page to the main
//       file: readers never see a torn page or another version from the main file. It restarts
//       the log only when every live reader is fully backfilled (then its pages all resolve to
//       the main file, which holds its state); otherwise it stops and finishes at a later
//       checkpoint (automatic ones run at each commit while the log is over its threshold).
//   S3. Marks: every commit gets the next mark (1, 2, ...; monotonic over the pager's life,
//       across checkpoints and log generations); durable_mark() is the mark of the newest durable
//       commit and ReadSnapshot::mark() the one it pins.
//   S4. Expiry: a checkpoint expires every live snapshot more than
//       Options::max_wal_bytes_behind_reader of log behind the newest commit (a snapshot of an
//       older generation: the whole log); its next Get fails with 72000 "snapshot too old" and
//       the checkpoint ignores it. A read racing the expiry rechecks it after reading, so an
//       expired snapshot never returns bytes the checkpoint may have overwritten.
//   S5. Pages come from one SharedPageCache (storage/page_cache.h) of committed images keyed by
//       version, shared by all snapshots and bounded by cache_bytes; each image's checksum is
//       verified once per load (XX001 on a mismatch). In WAL mode the writer's private cache
//       gets a quarter of Options::cache_bytes and the shared cache the rest, so the pages a
//       pager holds stay within cache_bytes.
//   S6. The writer's cache sits over the shared one: a writer's miss on a committed version
//       copies the shared image (loading it there first when absent), and a clean page the
//       writer evicts is handed to the shared cache. Sound because a committed version's bytes
//       never change while its key can be looked up: committed frames are never rewritten (a
//       failed log write never commits; a failed sync poisons the pager for good), and a page's
//       main-file copy changes only by backfilling its frames, after which every resolve of the
//       page, the writer's included, finds a frame until the log restarts under a new
//       generation. The open transaction's spilled frames (a rollback rewrites them) are never
//       shared.
// How the rest interacts with readers: a rolled-back, failed or spilled transaction never reaches
// them (its frames are above every snapshot's `frames`); poisoning keeps open snapshots readable
// except those that saw commits the failed sync discarded (kNormal/kOff), which are expired, and
// later snapshots see the last durable state; recovery and read_only opens publish the recovered
// state (read_only: served from the log, never checkpointed); damage is XX001 as for the writer.
// Every ReadSnapshot must be destroyed before the pager is closed.
//
// Thread safety: the engine thread owns the pager. BeginRead(), durable_mark() and everything a
// ReadSnapshot does may run on any thread concurrently with it.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "storage/file.h"
#include "storage/page_source.h"

namespace sqlrite::storage {

class Pager;
class ReadSnapshot;
class Wal;
struct ReaderSlot;

// What kind of data file a pager's file is (header offset 60).
enum class FileKind : uint32_t {
  kUnspecified = 0,  // storage-level files (tests, tools)
  kGlobal = 1,       // <data>/global.sqlrite
  kDatabase = 2,     // <data>/base/<oid>.sqlrite
};

// The identity a file carries in its header, written once at creation.
struct FileIdentity {
  FileKind kind = FileKind::kUnspecified;
  std::array<uint8_t, 16> cluster{};
  uint32_t oid = 0;
  uint64_t file_id = 0;
  bool operator==(const FileIdentity&) const = default;
};

// Why `actual` is not `expected`, in words ("it belongs to database OID 16385, not 16384"); empty
// when they are equal.
std::string DescribeIdentityMismatch(const FileIdentity& actual, const FileIdentity& expected);

struct PagerStats {
  // Snapshot reads (computed when stats() is called).
  uint64_t wal_bytes = 0;                       // the log's current length
  uint64_t live_readers = 0;                    // ReadSnapshots alive (expired ones included)
  uint64_t oldest_reader_commits_behind = 0;    // newest commit's mark - oldest reader's mark
  uint64_t oldest_reader_wal_bytes_behind = 0;  // log bytes the oldest live reader holds back
  uint64_t readers_expired = 0;                 // snapshots expired (72000), cumulative
  uint64_t snapshot_cache_hits = 0;
  uint64_t snapshot_cache_misses = 0;

  uint64_t pages_written = 0;   // page writes to the file by commits, cumulative
  uint64_t pages_compared = 0;  // dirty pages diffed at commit, cumulative
  uint64_t commits = 0;
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
  uint64_t wal_syncs = 0;
  uint64_t checkpoints = 0;
  uint64_t backfills = 0;      // background checkpoint rounds finished (Pager::BeginBackfill)
  uint64_t pages_spilled = 0;  // dirty pages written to the log early to bound the cache
};

class Pager final : public PageSource {
 public:
  // When a commit waits for the log to reach the disk (WAL mode only).
  enum class Synchronous {
    kOff,     // never fsync the log (a crash may lose recent commits; never corrupts)
    kNormal,  // fsync at checkpoints only, like SQLite's WAL + synchronous=NORMAL
    kFull,    // fsync the log before Commit() returns (default)
  };
  struct Options {
    size_t cache_bytes = 64u << 20;
    Synchronous synchronous = Synchronous::kFull;
    uint64_t wal_autocheckpoint_bytes = 16u << 20;
    // Whether an empty file may be initialised (with `identity`). The storage-level default is
    // true for tests and tools; the engine always states it (data_dir.h) and sets it only when
    // it creates a database file.
    bool create = true;
    FileIdentity identity;  // written into the header of a file this open creates
    // When set, the file's identity must equal it (checked before recovery writes anything).
    std::optional<FileIdentity> expect;
    // Reads only: recovery of the log runs in memory (pages are served from the log), nothing
    // is checkpointed or written; GetMutable/Allocate/Free fail (25006) and Checkpoint/Close
    // do not touch the files. The files may be opened O_RDONLY.
    bool read_only = false;
    // How far (log bytes behind the newest commit) a ReadSnapshot may hold the checkpoint back
    // before it is expired (72000 at its next read). See S4.
    uint64_t max_wal_bytes_behind_reader = uint64_t{1} << 30;
    // kFull only: the automatic checkpoint's copying is left to BeginBackfill's rounds, run by
    // the owner on a thread of its choice; see BeginBackfill.
    bool background_backfill = false;
  };

  // Opens a database file. With Options::create an empty file is initialised with a header
  // (and synced). Errors: XX001 if the file is empty (without create) or shorter than its
  // header page, the header is not a SQLRite header, the version/page size differ ("created
  // by an incompatible format version"), the identity differs from Options::expect, the log
  // belongs to another file, or the file holds fewer pages than its header (and log) say.
  static Result<std::unique_ptr<Pager>> Open(std::unique_ptr<File> file, Options options);
  static Result<std::unique_ptr<Pager>> Open(std::unique_ptr<File> file) {
    return Open(std::move(file), Options{});
  }
  // Opens a database with a write-ahead log: recovers the log's committed prefix and
  // checkpoints it into db before returning (read-only: keeps it in the log). The log is tied to
  // the file by the file id (Wal::Options::tie).
  static Result<std::unique_ptr<Pager>> Open(std::unique_ptr<File> db, std::unique_ptr<File> wal,
                                             Options options);
  // Reads only the header page of file and returns its identity, after the checks Open makes of
  // the header alone (empty, shorter than a page, magic, version, page size); no log is read.
  // For a cheap identity check of many files.
  static Result<FileIdentity> ReadIdentity(File& file);
  // Closes via Close(), ignoring its error (call Close() to see it).
  ~Pager();
  Pager(const Pager&) = delete;
  Pager& operator=(const Pager&) = delete;
  // Rolls back an open transaction and checkpoints the log. Idempotent; the pager must not be
  // used afterwards.
  Status Close();

  // A read handle on page id. REQUIRES: 0 < id < page_count().
  Result<PageRef> Get(PageId id) override;
  // A write handle: marks the page dirty in the current transaction.
  Result<PageRef> GetMutable(PageId id);
  // A zero-filled, writable page, from the free list or by growing the file.
  Result<PageRef> Allocate();
  // Returns a page to the free list. REQUIRES: no PageRef on it is alive.
  Status Free(PageId id);

  uint32_t GetMeta(MetaSlot slot) const override;
  void SetMeta(MetaSlot slot, uint32_t value);  // part of the current transaction

  // Reads page id's committed bytes from disk (the log or the main file, bypassing the cache)
  // and verifies their checksum: XX001 on a mismatch. For integrity checks. Pages the open
  // transaction added (not on disk yet) pass. REQUIRES: id < page_count().
  Status VerifyStoredPage(PageId id);
  // The identity in the file's header.
  const FileIdentity& identity() const;
  bool read_only() const;

  uint32_t page_count() const override;
  uint32_t free_page_count() const;
  PageId free_list_head() const;  // first free page (kInvalidPage: none); for integrity checks

  // Makes the current transaction durable, writing only pages whose bytes changed
  // (CommitNoSync, then SyncWal).
  Status Commit();
  // Group commit: commits (publishes to later reads and appends to the log) without waiting for
  // the disk. The caller acknowledges a batch of such commits only after SyncWal() succeeds.
  // Without a WAL this is Commit().
  Status CommitNoSync();
  // Makes every commit so far durable per Options::synchronous (an fsync under kFull only; a
  // no-op without unsynced commits), then runs the automatic checkpoint when the log is over
  // its threshold (kFull; under kNormal/kOff CommitNoSync runs it). A failure of the sync
  // poisons the pager (see above); a failed checkpoint after it poisons the pager for later
  // writes but returns Ok: the commits are durable. REQUIRES: no sync in flight.
  Status SyncWal();
  // Group commit with the fsync off the writer's thread (kFull, WAL mode): BeginSync() captures
  // every commit so far and returns the fsync to run (LogSync::Run, on any thread, while the
  // writer goes on committing), or nullopt when no commit awaits one (or the setting syncs
  // none); FinishSync(sync, fsynced) then makes exactly the captured commits durable and
  // visible to snapshots and runs the automatic checkpoint over durable frames only, or, when
  // the fsync failed, poisons the pager (every commit not known durable is forgotten, the
  // captured ones and any after them). One sync in flight at a time; until FinishSync, no
  // SyncWal, Checkpoint or Close (asserted). Errors of BeginSync: 58030 when poisoned.
  Result<std::optional<class LogSync>> BeginSync();
  Status FinishSync(const class LogSync& sync, const Status& fsynced);
  bool sync_in_flight() const;
  // Discards every change since the last Commit(), and every savepoint.
  void Rollback();
  bool in_transaction() const;  // any page dirtied since the last Commit/Rollback

  // Copies the committed log into the main file, syncs it and empties the log (the file shrinks
  // to its header; automatic checkpoints keep the file's length for reuse). A no-op without
  // a WAL or while a transaction has spilled pages to the log. With live ReadSnapshots it copies
  // only what none of them still reads from the log, and empties the log only when none needs
  // it (S2); expires snapshots too far behind first (S4).
  Status Checkpoint();
  // Background checkpoints (Options::background_backfill, kFull). The automatic checkpoint
  // then copies little under the writer: rounds copy the log's durable frames into the main
  // file off the writer's thread, and the log's restart (which must copy whatever the rounds
  // have not, and sync the main file, under the writer) runs only when a round has just
  // finished and little is left, or when the log has grown past 4x wal_autocheckpoint_bytes.
  // BeginBackfill() plans a round when at least an eighth of wal_autocheckpoint_bytes of
  // durable frames await copying and none is in flight (nullopt otherwise, or when poisoned):
  // the newest frame of each page below the frames every live reader allows (S2, S4); the
  // job's Run() copies them and syncs the main file on any thread, concurrently with the
  // writer, group-commit syncs and readers (none of whom reads those pages from the main file:
  // S2, and the writer resolves them to the log); FinishBackfill() records it (engine thread).
  // A failed copy poisons the pager, as a failed checkpoint does, and FinishBackfill returns
  // its error. One round in flight; until FinishBackfill, no Checkpoint or Close (asserted);
  // syncs and the automatic checkpoint carry on (it waits for the round).
  std::optional<class BackfillJob> BeginBackfill();
  Status FinishBackfill(const class BackfillJob& job, const Status& copied);
  bool backfill_in_flight() const;

  // Whether a failed fsync/checkpoint made the pager refuse writes until reopened, and what
  // failed (empty while not poisoned). A failed sync forgets the commits it covered; a failed
  // checkpoint or round forgets nothing (the log keeps them; a sync in flight still completes).
  bool poisoned() const;
  const std::string& poison_cause() const;

  // Savepoints of the open transaction, innermost last. Savepoint() returns its handle.
  uint32_t Savepoint();
  // Undoes every change made since savepoint id was taken; id and the savepoints before it stay.
  // REQUIRES: id is live; no PageRef is alive on a page changed since.
  void RollbackToSavepoint(uint32_t id);
  // Forgets savepoint id and every savepoint taken after it, keeping their changes.
  void ReleaseSavepoint(uint32_t id);

  // Read-committed mode; see the class comment.
  void SetReadCommitted(bool on);
  bool read_committed() const;

  // Append hints (storage/btree.cc): for a few B+trees, the leaf their last append went to. The
  // pager only keeps them; what it guarantees is that a hint is forgotten (AppendHint returns
  // kInvalidPage) once any page may have changed owner or bytes other than by the writes the
  // tree itself makes through the pager: every Free, Rollback, RollbackToSavepoint and failed
  // sync's rollback forgets them all. So a hinted page is still a page of that tree; whether it
  // is still the tree's last leaf is for the tree to check. Engine thread only, as writes.
  PageId AppendHint(PageId root) const;
  // Remembers leaf for root (kInvalidPage: forgets root's hint); replaces the oldest hint.
  void SetAppendHint(PageId root, PageId leaf);

  const PagerStats& stats() const;

  // A snapshot of the newest durable commit (see the class comment); any thread. Errors: 0A000
  // without a write-ahead log.
  Result<ReadSnapshot> BeginRead();
  // The mark of the newest durable commit (0: none since the file was created); any thread.
  uint64_t durable_mark() const;
  // The mark of the newest commit, durable or not (engine thread): a snapshot with a smaller
  // mark misses a commit.
  uint64_t commit_mark() const;

 private:
  friend class ReadSnapshot;
  class Impl;
  explicit Pager(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One group-commit fsync of a pager's log (Pager::BeginSync). Copyable; valid until the
// pager's FinishSync.
class LogSync {
 public:
  // Fsyncs the log. Any thread, concurrently with the pager's writer.
  Status Run() const;

 private:
  friend class Pager;
  explicit LogSync(Wal* wal) : wal_(wal) {}
  Wal* wal_;
};

// One background checkpoint round of a pager (Pager::BeginBackfill). Copyable; valid until
// the pager's FinishBackfill.
class BackfillJob {
 public:
  // Copies the round's frames into the main file and syncs it. Any thread.
  Status Run() const;

 private:
  friend class Pager;
  BackfillJob(Wal* wal, File* db, std::shared_ptr<const struct WalBackfillPlan> plan)
      : wal_(wal), db_(db), plan_(std::move(plan)) {}
  Wal* wal_;
  File* db_;
  std::shared_ptr<const struct WalBackfillPlan> plan_;
};

// A read-only view of one durable commit of a pager (Pager::BeginRead). Move-only; releases its
// reader slot on destruction. Used by one thread at a time; any number may be used concurrently.
class ReadSnapshot final : public PageSource {
 public:
  ReadSnapshot(ReadSnapshot&& other) noexcept;
  ReadSnapshot& operator=(ReadSnapshot&& other) noexcept;
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

  // Errors: XX001 (out of range, damaged page), 72000 (expired, see S4), I/O errors.
  Result<PageRef> Get(PageId id) override;
  uint32_t GetMeta(MetaSlot slot) const override { return meta_[static_cast<size_t>(slot)]; }
  uint32_t page_count() const override { return page_count_; }
  // The commit this snapshot shows (S3).
  uint64_t mark() const { return mark_; }

 private:
  friend class Pager;
  ReadSnapshot() = default;
  void Release();
  Pager::Impl* impl_ = nullptr;
  ReaderSlot* slot_ = nullptr;
  uint64_t generation_ = 0;
  uint64_t frames_ = 0;
  uint64_t mark_ = 0;
  uint32_t page_count_ = 0;
  std::array<uint32_t, 8> meta_{};
};

}  // namespace sqlrite::storage
