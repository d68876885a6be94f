#pragma once
// Wal: the write-ahead log beside a database file. A commit appends the pages it changed as
// frames, the last one marked as the commit frame, and is durable once the log is synced; the
// main file is written only by Checkpoint(). Readers find the newest committed version of a page
// through an in-memory index (page id -> frame), as SQLite's WAL mode does.
//
// File layout (little-endian; also in docs/file-format.md):
//   header, 32 bytes:
//     0   8  magic "SQLRWAL\0"
//     8   4  format version (2; a log of version 1 is still recovered and appended to as 1)
//     12  4  page size (4096)
//     16  8  salt: bits 0..31 random at creation and incremented per log generation (a frame
//            with another salt is stale); bits 32..63 the tie: a value derived from the
//            database file's identity (Pager: its file id), so a log beside the wrong file is
//            recognised before any of its frames is applied
//     24  8  checksum of bytes 0..23
//   frame, 24-byte header + one page:
//     0   4  page id
//     4   4  commit: 0 for a frame inside a transaction; for the last frame of a transaction,
//            the database's page count after it
//     8   8  salt (equal to the header's)
//     16  8  checksum: cumulative over the previous frame's checksum (the header checksum for
//            the first frame), this header's bytes 0..15 and the page's seal (its last 8
//            bytes: PageChecksum, storage/page_checksum.h); version 1: the whole page
//   A frame verifies when its checksum matches and (version 2) its page is sealed: the chain
//   catches a stale or reordered frame, the seal a torn page, so the page is hashed once (by
//   SealPage) instead of twice per write.
//
// Invariants:
//   1. Frames [0, committed_frames_) form whole committed transactions and all verify.
//   2. index_ maps each page to every frame below committed_frames_ that holds it, ascending
//      (append-only within a generation), so a reader whose snapshot ends at frame count M finds
//      the newest frame below M (SQLite's rule) or, when there is none, reads the main file.
//   3. Frames at or above committed_frames_ belong to the open transaction (spilled pages);
//      pending_ indexes them; Rollback() forgets them and the next append overwrites them.
//   4. Recovery keeps the longest prefix of verified frames that ends with a commit frame; a torn
//      or stale tail is ignored and later overwritten.
//   5. Frames [0, backfilled_) are in the main file: for every page, its newest frame below
//      backfilled_ has been copied there and the main file synced. Backfill(upto) never copies a
//      frame at or above upto; the caller (Pager) passes the oldest live reader's frame count, so
//      the main-file copy of a page changes only while no reader of this generation resolves the
//      page to the main file.
//   6. generation() counts log generations over the Wal's life; it is incremented (before any
//      byte of the old generation is overwritten) only by Restart(), which requires the whole log
//      backfilled. A reader that read a frame rechecks generation() after the read: a change means
//      the frame may have been overwritten, and the page is then read from the main file, which
//      holds it (the restart required every reader to be fully backfilled).
//
// Thread safety: the engine thread owns the log (appends, syncs, backfills, restarts). Resolve(),
// ReadPage() and generation() may also be called from reader threads concurrently with it, and
// CopyBackfill() from a checkpointer thread:
// index_ is guarded by a shared mutex (readers shared, the writer exclusive while it changes
// index_), and ReadPage relies on File::ReadAt being safe concurrently with writes of other
// regions (pread/pwrite; MemoryFile locks).

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "storage/file.h"

namespace sqlrite::storage {

// A round of backfill (Wal::PlanBackfill): every page's newest frame to copy below upto.
struct WalBackfillPlan {
  uint64_t upto = 0;
  std::vector<std::pair<uint32_t, uint64_t>> pages;  // (page, frame), ascending by page
};

class Wal {
 public:
  static constexpr uint32_t kHeaderSize = 32;
  static constexpr uint32_t kFrameHeaderSize = 24;
  static constexpr uint32_t kPageBytes = 4096;
  static constexpr uint32_t kFrameSize = kFrameHeaderSize + kPageBytes;
  // The hash the log's header and frame checksums chain (layout above): two multiply-xor lanes
  // over 8-byte words, not cryptographic. Public for tests that write a log by hand.
  static uint64_t Checksum(uint64_t seed, const uint8_t* data, size_t n);

  struct Options {
    // The tie of the database file this log belongs to (see the salt above); 0 for none.
    uint32_t tie = 0;
    // Recovery reads the log and writes nothing: an unreadable header leaves an empty view of
    // the log instead of starting a new generation, and appends, syncs and checkpoints are bugs.
    bool read_only = false;
  };

  // Opens the log and recovers its committed prefix. An empty or unreadable header starts a new
  // generation (nothing in it was committed: a commit always syncs a valid header first).
  // Errors: XX001 when a valid header carries another tie (the log of another file).
  static Result<std::unique_ptr<Wal>> Open(std::unique_ptr<File> file, Options options);
  static Result<std::unique_ptr<Wal>> Open(std::unique_ptr<File> file) {
    return Open(std::move(file), Options{});
  }

  // The newest frame holding page id, seen from the open transaction (its own spilled frames
  // first) or, with committed_only, from the last commit. Returns false when the log has none.
  // Engine thread only.
  bool Find(uint32_t page_id, bool committed_only, uint64_t* frame) const;
  Status ReadPage(uint64_t frame, std::span<std::byte> out);

  // For readers (any thread). kMainFile: read the page from the main file.
  static constexpr uint64_t kMainFile = ~uint64_t{0};
  struct Version {
    uint64_t generation;
    uint64_t frame;  // or kMainFile
  };
  // Where a snapshot taken at (generation, frames) reads page_id: its newest frame below
  // frames, else the main file. A snapshot of an older generation reads the main file (the
  // returned generation is then the current one; see invariant 6).
  Version Resolve(uint32_t page_id, uint64_t generation, uint64_t frames) const;
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Appends one page of the open transaction (not yet committed). REQUIRES: the page is sealed
  // (SealPage(page_id, page)), as every page the pager writes; recovery ignores a frame whose
  // page is not, and everything after it. Does not sync. The frame may
  // stay in memory (see write_buf_) until FlushPending() or the commit: a pending frame must be
  // flushed before Find() hands it out for a read (Pager::Spill flushes after its frames).
  Status AppendPage(uint32_t page_id, const uint8_t* page);
  // Writes the open transaction's buffered frames to the file (one write). On failure the open
  // transaction is forgotten, as for a failed AppendPage.
  Status FlushPending();
  // Appends the final page of the open transaction as its commit frame (db_page_count is the
  // database size after the commit) and publishes the transaction to readers. Does not sync:
  // the caller syncs (once for a group of commits) before acknowledging.
  Status AppendCommit(uint32_t page_id, const uint8_t* page, uint32_t db_page_count);
  // Forgets the open transaction's frames.
  void Rollback();
  // Syncs the log. On success every commit so far is durable; on failure nothing is known about
  // the commits since the last successful Sync (see DiscardUnsynced).
  Status Sync();
  // Group commit off the writer's thread: CaptureSync() (writer) names the commits so far,
  // SyncFile() fsyncs the log (any thread, while the writer goes on appending: fdatasync covers
  // every write completed before it began), and MarkSynced(point) (writer) then records exactly
  // the captured commits as synced. Between the two the writer must not Restart the log (the
  // Pager runs no checkpoint while a sync is in flight).
  struct SyncPoint {
    uint64_t generation = 0;
    uint64_t frames = 0;
    uint64_t checksum = 0;
    uint32_t db_page_count = 0;
    size_t unsynced_pages = 0;  // how many of unsynced_pages_ the point covers
  };
  SyncPoint CaptureSync() const;
  Status SyncFile() { return file_->Sync(); }
  void MarkSynced(const SyncPoint& point);
  // Committed frames known durable (the last successful sync, or recovery).
  uint64_t synced_frames() const { return synced_frames_; }
  // Forgets, in memory, every commit published since the last successful Sync() (or generation
  // start) and the open transaction: readers see the last durable commit again. For a failed
  // fsync, after which the pager refuses writes until the log is reopened (recovery then keeps
  // whatever prefix actually reached the disk).
  void DiscardUnsynced();

  // Copies the newest committed version of every page into db, syncs db, then starts a new log
  // generation (Backfill(committed_frames()) then Restart(keep_bytes)). REQUIRES: no open
  // transaction (no pending frames); no reader needs the log (Recovery, tests).
  Status Checkpoint(File& db, uint64_t keep_bytes = 0);
  // Copies, for every page, its newest frame below upto into db (skipping frames already
  // backfilled) and syncs db; backfilled() becomes upto. REQUIRES: backfilled() <= upto <=
  // committed_frames(), no pending frames; no reader resolves a page with a frame below upto to
  // the main file (see invariant 5).
  Status Backfill(File& db, uint64_t upto);
  // Backfill in three steps, for a copy off the engine thread (Pager::BeginBackfill):
  // PlanBackfill lists, in page order, every page's newest frame below upto not yet backfilled
  // (same REQUIRES as Backfill, except that pending frames may exist: the plan never includes
  // them); CopyBackfill copies a plan's frames into db and syncs db, on any thread,
  // concurrently with appends, syncs and readers (it reads only the plan's committed frames,
  // which nothing rewrites before the log restarts: no Restart until MarkBackfilled); then
  // MarkBackfilled(plan.upto) on the engine thread.
  using BackfillPlan = WalBackfillPlan;
  BackfillPlan PlanBackfill(uint64_t upto) const;
  Status CopyBackfill(const BackfillPlan& plan, File& db) const;
  void MarkBackfilled(uint64_t upto);
  // Truncates db to the logged page count and starts a new generation (its header synced), and
  // only then cuts the log file back to keep_bytes (never below the header) when longer: new frames
  // then overwrite allocated blocks, so a commit's fdatasync need not also journal a new file size,
  // as SQLite reuses its WAL; the new salt makes the old frames stale for recovery. REQUIRES:
  // backfilled() == committed_frames(), no pending frames, and no reader of this generation needs a
  // frame below committed_frames() that the main file does not hold (every reader fully
  // backfilled).
  Status Restart(File& db, uint64_t keep_bytes);
  uint64_t backfilled() const { return backfilled_; }

  // Database page count recorded by the last commit in the log; 0 when the log is empty.
  uint32_t db_page_count() const { return db_page_count_; }
  uint64_t committed_frames() const { return committed_frames_; }
  uint64_t size_bytes() const { return kHeaderSize + next_frame_ * uint64_t{kFrameSize}; }
  bool has_pending() const { return next_frame_ > committed_frames_; }

 private:
  Wal(std::unique_ptr<File> file, Options options) : file_(std::move(file)), options_(options) {}
  Status Recover();
  void MarkSynced();
  Status StartGeneration();
  // Empties the in-memory view of the log (index, frame counts), not the file.
  void Forget();
  Status WriteFrame(uint32_t page_id, const uint8_t* page, uint32_t commit);
  Status WriteBuffered();
  // Extends the file with zeros to at least end, by a quarter of its size (16 frames at least,
  // 16 MiB at most, as it runs inside a commit): a commit's frames then land inside the file, so
  // its fdatasync flushes data blocks only, not a new file size (the log grows while a reader
  // holds it back, and up to the checkpoint threshold).
  Status Grow(uint64_t end);

  std::unique_ptr<File> file_;
  Options options_;
  uint64_t file_size_ = 0;  // the file's length as this Wal made it (Grow, Restart, Recover)
  uint64_t salt_ = 0;
  uint64_t header_checksum_ = 0;
  uint64_t committed_frames_ = 0;    // frames below this are committed
  uint64_t next_frame_ = 0;          // where the next frame goes
  uint64_t committed_checksum_ = 0;  // running checksum after the last committed frame
  uint64_t running_checksum_ = 0;    // running checksum after the last appended frame
  uint32_t db_page_count_ = 0;
  // The committed state as of the last Sync, for DiscardUnsynced.
  uint64_t synced_frames_ = 0;
  uint64_t synced_checksum_ = 0;
  uint32_t synced_db_page_count_ = 0;
  uint64_t backfilled_ = 0;  // invariant 5
  std::atomic<uint64_t> generation_{1};
  mutable std::shared_mutex index_mu_;  // guards index_ against reader threads
  // Pages given frames by commits since the last Sync (DiscardUnsynced pops them).
  std::vector<uint32_t> unsynced_pages_;
  std::unordered_map<uint32_t, std::vector<uint64_t>> index_;  // committed: page -> frames
  std::unordered_map<uint32_t, uint64_t> pending_;  // open transaction: page -> newest frame
  std::vector<uint8_t> frame_buf_;                  // recovery's read buffer
  uint32_t version_ = 0;  // the format version of the current generation's header
  // A frame's checksum under version_, chained from seed (wal.h's layout).
  uint64_t FrameChecksum(uint64_t seed, const uint8_t* frame_header, const uint8_t* page) const;
  // Frames [buffered_from_, next_frame_) of the open transaction, not yet in the file: a commit's
  // frames go out in one write instead of one per page (pgbench's read-write transaction wrote
  // 4-5 frames with as many pwrite calls). Engine thread only; readers read committed frames,
  // which are always in the file (AppendCommit writes the buffer before it publishes).
  // Allocated once at Open for kMaxBufferedFrames frames and never zeroed: a frame is written
  // whole before it counts in write_used_ (a vector's resize zero-filled every 4 KiB frame
  // before the copy over it: ~4k instructions per frame).
  std::unique_ptr<uint8_t[]> write_buf_;
  size_t write_used_ = 0;  // bytes of write_buf_ holding frames
  uint64_t buffered_from_ = 0;
  static constexpr size_t kMaxBufferedFrames = 32;
};

}  // namespace sqlrite::storage
