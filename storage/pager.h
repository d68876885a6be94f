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
// Thread safety: none. The engine thread owns the pager.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "storage/file.h"

namespace sqlrite::storage {

using PageId = uint32_t;
inline constexpr uint32_t kPageSize = 4096;
inline constexpr uint32_t kPageChecksumSize = 8;
// The bytes of a page the layers above may use; the rest is the pager's checksum.
inline constexpr uint32_t kUsablePageSize = kPageSize - kPageChecksumSize;
inline constexpr PageId kInvalidPage = 0;  // page 0 is the header, never a tree page

enum class MetaSlot : uint32_t {
  kCatalogRoot = 0,
  kUser1 = 1,
  kUser2 = 2,
  kUser3 = 3,
  kUser4 = 4,
  kUser5 = 5,
  kUser6 = 6,
  kUser7 = 7,
};

class Pager;

// A pinned page. Move-only; unpins on destruction.
class PageRef {
 public:
  PageRef() = default;
  PageRef(PageRef&& other) noexcept;
  PageRef& operator=(PageRef&& other) noexcept;
  PageRef(const PageRef&) = delete;
  PageRef& operator=(const PageRef&) = delete;
  ~PageRef();

  PageId id() const { return id_; }
  const uint8_t* data() const { return data_; }
  // REQUIRES: obtained through Pager::GetMutable (the page is marked dirty).
  uint8_t* mutable_data() { return data_; }
  // Whether the layer above has checked these bytes since the pager last read them from disk
  // (or reset them: allocation, free, rollback). Lets a B+tree validate a page from a possibly
  // damaged file once per load rather than on every access. REQUIRES: a live PageRef.
  bool verified() const;
  void MarkVerified();

 private:
  friend class Pager;
  PageRef(Pager* pager, uint32_t frame, PageId id, uint8_t* data)
      : pager_(pager), frame_(frame), id_(id), data_(data) {}
  void Release();
  Pager* pager_ = nullptr;
  uint32_t frame_ = 0;  // index of the cache frame holding the page
  PageId id_ = kInvalidPage;
  uint8_t* data_ = nullptr;
};

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
  uint64_t pages_written = 0;   // page writes to the file by commits, cumulative
  uint64_t pages_compared = 0;  // dirty pages diffed at commit, cumulative
  uint64_t commits = 0;
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
  uint64_t wal_syncs = 0;
  uint64_t checkpoints = 0;
  uint64_t pages_spilled = 0;  // dirty pages written to the log early to bound the cache
};

class Pager {
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
  // Rolls back an open transaction and checkpoints the log. Idempotent; the pager must not be
  // used afterwards.
  Status Close();

  // A read handle on page id. REQUIRES: 0 < id < page_count().
  Result<PageRef> Get(PageId id);
  // A write handle: marks the page dirty in the current transaction.
  Result<PageRef> GetMutable(PageId id);
  // A zero-filled, writable page, from the free list or by growing the file.
  Result<PageRef> Allocate();
  // Returns a page to the free list. REQUIRES: no PageRef on it is alive.
  Status Free(PageId id);

  uint32_t GetMeta(MetaSlot slot) const;
  void SetMeta(MetaSlot slot, uint32_t value);  // part of the current transaction

  // Reads page id's committed bytes from disk (the log or the main file, bypassing the cache)
  // and verifies their checksum: XX001 on a mismatch. For integrity checks. Pages the open
  // transaction added (not on disk yet) pass. REQUIRES: id < page_count().
  Status VerifyStoredPage(PageId id);
  // The identity in the file's header.
  const FileIdentity& identity() const;
  bool read_only() const;

  uint32_t page_count() const;
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
  // no-op without unsynced commits). A failure poisons the pager (see above).
  Status SyncWal();
  // Discards every change since the last Commit(), and every savepoint.
  void Rollback();
  bool in_transaction() const;  // any page dirtied since the last Commit/Rollback

  // Copies the committed log into the main file, syncs it and empties the log (the file shrinks
  // to its header; automatic checkpoints keep the file's length for reuse). A no-op without
  // a WAL or while a transaction has spilled pages to the log.
  Status Checkpoint();
  // Whether a failed fsync/checkpoint made the pager refuse writes until reopened.
  bool poisoned() const;

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

  const PagerStats& stats() const;

 private:
  friend class PageRef;
  class Impl;
  explicit Pager(std::unique_ptr<Impl> impl);
  void Unpin(uint32_t frame);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlrite::storage
