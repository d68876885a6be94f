// Pager implementation.
//
// State of a cached page (a Frame):
//   free      id == kInvalidPage, on free_frames_.
//   clean     cached (frame_of_), bytes equal the newest version readable from the log or the
//             main file (for a spilled page: its uncommitted version in the log).
//   dirty     cached, on dirty_; written in this transaction. If the page existed at the last
//             commit and was not spilled (its committed bytes were in the cache when it was
//             dirtied) `image` holds the committed bytes; otherwise it has no image.
// Transitions: Fetch (free -> clean), GetMutable/Allocate (clean -> dirty), Commit
// (dirty -> clean), Rollback (dirty -> clean with the image copied back, or dirty -> free when
// there is no image), eviction (clean, unpinned -> free, by the clock hand), spill (dirty,
// unpinned -> free, its bytes appended to the log as an uncommitted frame; WAL mode only).
//
// Invariants:
//   1. Uncommitted bytes live in dirty frames or, for spilled_ pages, in the log's pending
//      frames; a clean frame of a spilled page holds the pending version.
//   2. A pinned frame is never evicted, spilled or reused, so PageRef::data() stays valid.
//   3. Every page added by the transaction is dirty (or spilled) and has no image, so a commit
//      always writes it.
//   4. Savepoint journals hold, per savepoint, the bytes of each page as they were when the
//      savepoint was taken (the first entry for a page wins; restored newest entry first).
//      Frame::sp_serial is the serial of the savepoint whose journal already has the page.
//   5. Read-committed snapshots of pages whose committed bytes are not in the cache live in
//      snaps_ (PageRef frame index with kSnapBit) and are dropped when the transaction ends.

#include "storage/pager.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/assert.h"
#include "common/bytes.h"
#include "storage/clear_hashed.h"
#include "storage/page_cache.h"
#include "storage/page_checksum.h"
#include "storage/wal.h"

namespace sqlrite::storage {
namespace {

constexpr char kMagic[8] = {'S', 'Q', 'L', 'R', 'i', 't', 'e', '\0'};
// Version 2 added the file identity (offsets 60..95); version 3 changed what the engine stores
// in the pages (exact numeric values and keys, engine/row_codec.h, engine/key_codec.h: a
// version-2 file's numeric doubles would be misread). Older files are refused, never re-created.
constexpr uint32_t kFormatVersion = 3;
constexpr size_t kMetaSlots = 8;
constexpr size_t kMinCacheFrames = 8;
// Committed-image buffers kept for reuse after a commit; a huge transaction's worth is released.
constexpr size_t kMaxSpareImages = 256;
// Frames the clock hand inspects before giving up and growing the cache past its bound.
constexpr size_t kMaxSweep = 512;
// PageRef frame indexes with this bit refer to snaps_ (read-committed copies).
constexpr uint32_t kSnapBit = 0x80000000u;
// A PageRef to a dirty frame's committed image (FetchCommitted): its check mark is the image's
// own (Frame::image_verified), not the dirty bytes'.
constexpr uint32_t kImageBit = 0x40000000u;

// Header field offsets (docs/file-format.md).
constexpr size_t kOffMagic = 0;
constexpr size_t kOffVersion = 8;
constexpr size_t kOffPageSize = 12;
constexpr size_t kOffPageCount = 16;
constexpr size_t kOffFreeHead = 20;
constexpr size_t kOffFreeCount = 24;
constexpr size_t kOffMeta = 28;
constexpr size_t kOffKind = kOffMeta + 4 * kMetaSlots;  // 60
constexpr size_t kOffCluster = 64;
constexpr size_t kOffOid = 80;
constexpr size_t kOffFileId = 88;
constexpr size_t kHeaderBytes = 96;
static_assert(kOffKind == 60 && kOffFileId + 8 == kHeaderBytes);

}  // namespace

// Outside the anonymous namespace: Pager::Impl, a class with external linkage, holds Headers, which
// GCC's -Wsubobject-linkage reports when this file is not the main file, as in a unity build's
// batch (SQLRITE_UNITY).
namespace pager_detail {
struct Header {
  uint32_t page_count = 1;
  uint32_t free_head = 0;
  uint32_t free_count = 0;
  std::array<uint32_t, kMetaSlots> meta{};
  bool operator==(const Header&) const = default;
};
}  // namespace pager_detail

namespace {

using pager_detail::Header;

void EncodeIdentity(const FileIdentity& id, uint8_t* page) {
  StoreLE<uint32_t>(page + kOffKind, static_cast<uint32_t>(id.kind));
  std::memcpy(page + kOffCluster, id.cluster.data(), id.cluster.size());
  StoreLE<uint32_t>(page + kOffOid, id.oid);
  StoreLE<uint64_t>(page + kOffFileId, id.file_id);
}

FileIdentity DecodeIdentity(const uint8_t* page) {
  FileIdentity id;
  id.kind = static_cast<FileKind>(LoadLE<uint32_t>(page + kOffKind));
  std::memcpy(id.cluster.data(), page + kOffCluster, id.cluster.size());
  id.oid = LoadLE<uint32_t>(page + kOffOid);
  id.file_id = LoadLE<uint64_t>(page + kOffFileId);
  return id;
}

// The log's tie (Wal::Options::tie): both halves of the file id, so any bit of it counts.
uint32_t WalTie(const FileIdentity& id) {
  return static_cast<uint32_t>(id.file_id) ^ static_cast<uint32_t>(id.file_id >> 32);
}

const char* KindName(FileKind kind) {
  switch (kind) {
    case FileKind::kUnspecified:
      return "an untyped file";
    case FileKind::kGlobal:
      return "a global catalog file";
    case FileKind::kDatabase:
      return "a database file";
  }
  return "a file of unknown kind";
}

void EncodeHeader(const Header& h, const FileIdentity& identity, uint8_t* page) {
  std::memset(page, 0, kPageSize);
  EncodeIdentity(identity, page);
  std::memcpy(page + kOffMagic, kMagic, sizeof(kMagic));
  StoreLE<uint32_t>(page + kOffVersion, kFormatVersion);
  StoreLE<uint32_t>(page + kOffPageSize, kPageSize);
  StoreLE<uint32_t>(page + kOffPageCount, h.page_count);
  StoreLE<uint32_t>(page + kOffFreeHead, h.free_head);
  StoreLE<uint32_t>(page + kOffFreeCount, h.free_count);
  for (size_t i = 0; i < kMetaSlots; ++i) StoreLE<uint32_t>(page + kOffMeta + 4 * i, h.meta[i]);
  SealPage(0, page);  // last: whatever the header holds, it goes to disk checksummed
}

// A page as Free() leaves it: zero after its 4-byte free-list link.
bool FreePageIsBlank(const uint8_t* page) {
  for (uint32_t i = 4; i < kUsablePageSize; ++i) {
    if (page[i] != 0) return false;
  }
  return true;
}

std::span<std::byte> Bytes(uint8_t* p) { return std::as_writable_bytes(std::span(p, kPageSize)); }

Error ReadOnlyError() {
  return Error(sqlstate::kReadOnlySqlTransaction, "the database file is open read-only");
}

}  // namespace

std::string DescribeIdentityMismatch(const FileIdentity& actual, const FileIdentity& expected) {
  if (actual.kind != expected.kind) {
    return std::string("it is ") + KindName(actual.kind) + ", not " + KindName(expected.kind);
  }
  if (actual.cluster != expected.cluster) return "it belongs to another cluster";
  if (actual.oid != expected.oid) {
    return "it belongs to database OID " + std::to_string(actual.oid) + ", not " +
           std::to_string(expected.oid);
  }
  if (actual.file_id != expected.file_id) {
    return "its file id differs from the one the catalog recorded (another incarnation of the "
           "file)";
  }
  return "";
}

// A live ReadSnapshot's entry in the reader table (Pager::Impl::slots_). The fields but `expired`
// are written under readers_mu_ only.
struct ReaderSlot {
  std::atomic<bool> expired{false};
  bool in_use = false;
  uint64_t generation = 0;
  uint64_t frames = 0;
  uint64_t mark = 0;
};

class Pager::Impl final : public PinOwner {
 public:
  struct Frame {
    PageId id = kInvalidPage;
    uint32_t pins = 0;
    bool dirty = false;
    bool referenced = false;  // clock bit: used since the hand last passed
    bool verified = false;    // the layer above checked these bytes (PageRef::MarkVerified)
    uint32_t dirty_slot = 0;  // position in dirty_ while dirty
    uint64_t sp_serial = 0;   // savepoint serial whose journal holds this page (0: none)
    std::unique_ptr<uint8_t[]> data;
    std::unique_ptr<uint8_t[]> image;  // committed bytes while dirty; null otherwise
    // `verified` as it was when `image` was taken: a rollback copies the image back and with it
    // the check (a point writer's trials roll back every statement; re-checking each node they
    // touched cost ~1.2k instructions a node, ~15k a pgbench read-write transaction).
    bool image_verified = false;
  };
  struct Snap {
    PageId id = kInvalidPage;  // kInvalidPage: stale (transaction ended while pinned) or free
    uint32_t pins = 0;
    bool verified = false;
    std::unique_ptr<uint8_t[]> data;
  };
  struct JournalEntry {
    PageId id;
    std::unique_ptr<uint8_t[]> bytes;
  };
  struct SavepointRec {
    uint32_t id;
    uint64_t serial;
    Header header;
    std::vector<JournalEntry> journal;
  };

  Impl(std::unique_ptr<File> file, Options options)
      : file_(std::move(file)),
        options_(options),
        capacity_(std::max(options.cache_bytes / kPageSize, kMinCacheFrames)) {}

  // Reads and checks the header, then (wal_file non-null) opens the log and recovers it.
  Status Load(std::unique_ptr<File> wal_file) {
    SQLRITE_ASSIGN_OR_RETURN(uint64_t size, file_->Size());
    if (size < kPageSize && options_.create && !options_.read_only) {
      SQLRITE_TRY(CreateIfEmpty(size));
      SQLRITE_ASSIGN_OR_RETURN(size, file_->Size());
    }
    if (size == 0) return Fail(sqlstate::kDataCorrupted, "the file is empty (0 bytes)");
    if (size < kPageSize) {
      return Fail(sqlstate::kDataCorrupted, "the file is truncated: " + std::to_string(size) +
                                                " bytes, shorter than its header page");
    }
    std::array<uint8_t, kHeaderBytes> raw;
    SQLRITE_TRY(file_->ReadAt(0, std::as_writable_bytes(std::span(raw))));
    SQLRITE_TRY(CheckHeader(raw.data()));
    identity_ = DecodeIdentity(raw.data());
    if (options_.expect) {
      // Before recovery: a file that is not the expected one must not receive its log.
      std::string mismatch = DescribeIdentityMismatch(identity_, *options_.expect);
      if (!mismatch.empty()) return Fail(sqlstate::kDataCorrupted, "wrong file: " + mismatch);
    }
    if (wal_file) {
      Wal::Options wal_options;
      wal_options.tie = WalTie(identity_);
      wal_options.read_only = options_.read_only;
      SQLRITE_ASSIGN_OR_RETURN(wal_, Wal::Open(std::move(wal_file), wal_options));
      // A header page in the log must carry the same identity (a second check beside the
      // 32-bit tie, for logs whose commits changed the header).
      uint64_t frame;
      if (wal_->Find(0, /*committed_only=*/true, &frame)) {
        SQLRITE_TRY(wal_->ReadPage(frame, Bytes(header_page_.data())));
        SQLRITE_TRY(CheckHeader(header_page_.data()));
        if (!(DecodeIdentity(header_page_.data()) == identity_)) {
          return Fail(sqlstate::kDataCorrupted,
                      "the write-ahead log belongs to another database file (its header page "
                      "names another file)");
        }
      }
      if (!options_.read_only) {
        // Recovery: the log's committed prefix goes into the main file before anything reads
        // it, and whatever the log held starts a new generation (a new salt), so frames left
        // after the kept prefix can never chain onto later commits.
        SQLRITE_TRY(wal_->Checkpoint(*file_));
        SQLRITE_ASSIGN_OR_RETURN(size, file_->Size());
      }
    }
    // The newest header: the log's (read-only mode keeps recovered pages in the log), else the
    // file's.
    SQLRITE_TRY(ReadPage(0, header_page_.data(), /*committed_only=*/true));
    SQLRITE_TRY(CheckHeader(header_page_.data()));
    const uint8_t* page = header_page_.data();
    Header h;
    h.page_count = LoadLE<uint32_t>(page + kOffPageCount);
    h.free_head = LoadLE<uint32_t>(page + kOffFreeHead);
    h.free_count = LoadLE<uint32_t>(page + kOffFreeCount);
    for (size_t i = 0; i < kMetaSlots; ++i) h.meta[i] = LoadLE<uint32_t>(page + kOffMeta + 4 * i);
    if (h.page_count == 0 || h.free_head >= h.page_count) {
      return Fail(sqlstate::kDataCorrupted,
                  "database file is corrupt: header says " + std::to_string(h.page_count) +
                      " pages with the free list at page " + std::to_string(h.free_head));
    }
    const uint64_t file_pages = size / kPageSize;
    if (h.page_count > file_pages) {
      // Pages past the end of the file may still live in the log (read-only mode).
      uint64_t missing = h.page_count - file_pages;
      if (wal_ && missing <= wal_->committed_frames()) {
        uint64_t frame;
        missing = 0;
        for (PageId p = static_cast<PageId>(file_pages); p < h.page_count; ++p) {
          if (!wal_->Find(p, /*committed_only=*/true, &frame)) ++missing;
        }
      }
      if (missing > 0) {
        return Fail(sqlstate::kDataCorrupted,
                    "database file is truncated: its header says " + std::to_string(h.page_count) +
                        " pages but the file holds " + std::to_string(file_pages));
      }
    }
    committed_ = header_ = synced_header_ = durable_header_ = h;
    if (wal_) {
      // One budget for all pages: a quarter for the writer's private cache, three quarters for
      // the committed images readers share, through which the writer's misses go too (S6).
      capacity_ = std::max(options_.cache_bytes / 4 / kPageSize, kMinCacheFrames);
      shared_cache_ = std::make_unique<SharedPageCache>(
          options_.cache_bytes - std::min(options_.cache_bytes, capacity_ * kPageSize));
      Publish();
    }
    return Ok();
  }

  // Initialises a file that is empty, or holds part of a header page starting with the magic (a
  // crash interrupted its creation: the header write is synced before anything else happens, so
  // nothing was ever committed to it). Anything else is left for Load to judge.
  Status CreateIfEmpty(uint64_t size) {
    if (size >= sizeof(kMagic)) {
      std::array<uint8_t, sizeof(kMagic)> magic;
      SQLRITE_TRY(file_->ReadAt(0, std::as_writable_bytes(std::span(magic))));
      if (std::memcmp(magic.data(), kMagic, sizeof(kMagic)) != 0) return Ok();
      SQLRITE_TRY(file_->Truncate(0));
    } else if (size != 0) {
      return Ok();
    }
    EncodeHeader(Header{}, options_.identity, header_page_.data());
    SQLRITE_TRY(file_->WriteAt(0, std::as_bytes(std::span(header_page_))));
    return file_->Sync();
  }

  // The fixed fields every header page must hold.
  static Status CheckHeader(const uint8_t* raw) {
    if (std::memcmp(raw + kOffMagic, kMagic, sizeof(kMagic)) != 0) {
      return Fail(sqlstate::kDataCorrupted,
                  "file is not a SQLRite database: bad magic number in header");
    }
    uint32_t version = LoadLE<uint32_t>(raw + kOffVersion);
    if (version != kFormatVersion) {
      return Fail(sqlstate::kDataCorrupted,
                  "the file was created by an incompatible format version (" +
                      std::to_string(version) + "); this server reads version " +
                      std::to_string(kFormatVersion));
    }
    uint32_t page_size = LoadLE<uint32_t>(raw + kOffPageSize);
    if (page_size != kPageSize) {
      return Fail(sqlstate::kDataCorrupted,
                  "database file has page size " + std::to_string(page_size) +
                      ", but this server uses " + std::to_string(kPageSize));
    }
    return Ok();
  }

  // ---- reads -------------------------------------------------------------------------------

  // The newest version of page id (the open transaction's spilled version first unless
  // committed_only) from the log, else from the main file; XX001 unless its checksum verifies.
  Status ReadPage(PageId id, uint8_t* out, bool committed_only) {
    if (wal_) {
      uint64_t frame;
      if (wal_->Find(id, committed_only, &frame)) {
        SQLRITE_TRY(wal_->ReadPage(frame, Bytes(out)));
        return VerifyChecksum(id, out, "its newest copy in the log");
      }
    }
    SQLRITE_TRY(file_->ReadAt(uint64_t{id} * kPageSize, Bytes(out)));
    return VerifyChecksum(id, out, "the database file");
  }

  // ReadPage for the writer's cache misses (and its read-committed reads), through the shared
  // cache when the version it resolves is committed (S6): a miss copies an image readers, an
  // earlier miss or an eviction left there, and a version it loads itself is published. The
  // open transaction's spilled pages are read from the log and never shared (a rollback
  // rewrites their frames).
  Status ReadPageShared(PageId id, uint8_t* out, bool committed_only) {
    if (!shared_cache_) return ReadPage(id, out, committed_only);
    uint64_t frame = Wal::kMainFile;
    if (wal_->Find(id, committed_only, &frame) && frame >= wal_->committed_frames()) {
      SQLRITE_TRY(wal_->ReadPage(frame, Bytes(out)));
      return VerifyChecksum(id, out, "its newest copy in the log");
    }
    const SharedPageCache::Key key{id, wal_->generation(), frame};
    PageRef ref = shared_cache_->Lookup(key);
    if (!ref) {
      const bool from_log = frame != Wal::kMainFile;
      uint8_t* buf = shared_cache_->Reserve(key);
      Status read = from_log ? wal_->ReadPage(frame, Bytes(buf))
                             : file_->ReadAt(uint64_t{id} * kPageSize, Bytes(buf));
      if (read) read = VerifyChecksum(id, buf, from_log ? "the log" : "the database file");
      if (!read) {
        shared_cache_->Abandon(key, buf);  // a damaged page is not kept
        return read;
      }
      ref = shared_cache_->Publish(key, buf);
    }
    std::memcpy(out, ref.data(), kPageSize);
    return Ok();
  }

  Status VerifyChecksum(PageId id, const uint8_t* page, const char* where) const {
    if (PageSealed(id, page)) return Ok();
    return Fail(sqlstate::kDataCorrupted,
                "could not read page " + std::to_string(id) + " of " + where +
                    (file_->name().empty() ? "" : " \"" + std::string(file_->name()) + "\"") +
                    ": checksum mismatch (the page is damaged)");
  }

  Status VerifyStoredPage(PageId id) {
    if (id >= committed_.page_count) return Ok();
    if (!scratch_) scratch_ = std::make_unique_for_overwrite<uint8_t[]>(kPageSize);
    return ReadPage(id, scratch_.get(), /*committed_only=*/true);
  }

  Result<PageRef> Fetch(PageId id, bool for_write) {
    if (for_write) {
      SQLRITE_ASSERT(!read_committed_);
      if (options_.read_only) return Fail(ReadOnlyError());
      if (poisoned_) return Fail(PoisonedError());
    } else if (read_committed_) {
      return FetchCommitted(id);
    }
    // A failed spill lost the transaction's spilled pages: nothing it reads can be trusted.
    if (!spill_status_) return Fail(spill_status_.error());
    if (id == kInvalidPage || id >= header_.page_count) return Fail(OutOfRange(id, header_));
    uint32_t index;
    if (id < frame_of_.size() && frame_of_[id] != 0) {
      ++stats_.cache_hits;
      index = frame_of_[id] - 1;
    } else {
      ++stats_.cache_misses;
      SQLRITE_ASSIGN_OR_RETURN(index, LoadFrame(id, /*committed_only=*/false));
    }
    Frame& f = frames_[index];
    if (for_write) {
      if (!f.dirty) MarkDirty(f, index);
      if (!savepoints_.empty() && f.sp_serial != savepoints_.back().serial) Journal(f);
    }
    return Pin(index);
  }

  // A frame holding page id read from disk, mapped as clean.
  Result<uint32_t> LoadFrame(PageId id, bool committed_only) {
    uint32_t index = TakeFrame();
    if (!spill_status_ && !committed_only) {
      free_frames_.push_back(index);
      return Fail(spill_status_.error());
    }
    Frame& f = frames_[index];
    Status read = ReadPageShared(id, f.data.get(), committed_only);
    if (!read) {
      free_frames_.push_back(index);
      return Fail(std::move(read).error());
    }
    f.id = id;
    f.sp_serial = 0;
    f.verified = false;
    MapPage(id, index);
    return index;
  }

  Result<PageRef> FetchCommitted(PageId id) {
    if (id == kInvalidPage || id >= committed_.page_count) return Fail(OutOfRange(id, committed_));
    bool spilled = !spilled_.empty() && spilled_.count(id) != 0;
    if (id < frame_of_.size() && frame_of_[id] != 0) {
      uint32_t index = frame_of_[id] - 1;
      Frame& f = frames_[index];
      if (f.dirty && f.image) {
        ++stats_.cache_hits;
        PageRef ref = Pin(index);
        ref.data_ = f.image.get();  // the committed bytes, kept while the page is dirty
        ref.frame_ |= kImageBit;
        return ref;
      }
      if (!f.dirty && !spilled) {
        ++stats_.cache_hits;
        return Pin(index);
      }
    } else if (!spilled) {
      // Not touched by the transaction: the disk holds the committed version.
      ++stats_.cache_misses;
      SQLRITE_ASSIGN_OR_RETURN(uint32_t index, LoadFrame(id, /*committed_only=*/true));
      return Pin(index);
    }
    // The transaction replaced the cached copy of the committed bytes: read them from disk into
    // a snapshot buffer.
    auto it = snap_of_.find(id);
    uint32_t s;
    if (it != snap_of_.end()) {
      s = it->second;
    } else {
      if (snap_of_.size() > capacity_ / 4) DropSnaps();
      s = TakeSnap();
      Status read = ReadPageShared(id, snaps_[s].data.get(), /*committed_only=*/true);
      if (!read) {
        free_snaps_.push_back(s);  // a damaged page is not kept
        return Fail(std::move(read).error());
      }
      snaps_[s].id = id;
      snaps_[s].verified = false;
      snap_of_.emplace(id, s);
    }
    ++snaps_[s].pins;
    return PageRef(this, s | kSnapBit, id, snaps_[s].data.get());
  }

  // ---- writes ------------------------------------------------------------------------------

  Result<PageRef> Allocate() {
    SQLRITE_ASSERT(!read_committed_);
    if (options_.read_only) return Fail(ReadOnlyError());
    if (poisoned_) return Fail(PoisonedError());
    if (!spill_status_) return Fail(spill_status_.error());
    if (header_.free_head != kInvalidPage) {
      PageId id = header_.free_head;
      SQLRITE_ASSIGN_OR_RETURN(PageRef ref, Fetch(id, /*for_write=*/true));
      uint32_t next = LoadLE<uint32_t>(ref.data());
      if (next >= header_.page_count || header_.free_count == 0 ||
          (next == kInvalidPage) != (header_.free_count == 1)) {
        return Fail(sqlstate::kDataCorrupted, "free list is corrupt: page " + std::to_string(id) +
                                                  " links to page " + std::to_string(next) +
                                                  " with " + std::to_string(header_.free_count) +
                                                  " pages free");
      }
      // Free() zeroes a page but for its link: anything else means the list leads into a page
      // in use (a damaged link, or a cycle back to a page handed out already).
      if (!FreePageIsBlank(ref.data())) {
        return Fail(sqlstate::kDataCorrupted, "free list is corrupt: page " + std::to_string(id) +
                                                  " is on it but holds data");
      }
      header_.free_head = next;
      --header_.free_count;
      std::memset(ref.mutable_data(), 0, kPageSize);
      frames_[ref.frame_].verified = false;
      return ref;
    }
    uint32_t index = TakeFrame();
    if (!spill_status_) {
      free_frames_.push_back(index);
      return Fail(spill_status_.error());
    }
    PageId id = header_.page_count++;
    Frame& f = frames_[index];
    std::memset(f.data.get(), 0, kPageSize);
    f.id = id;
    f.verified = false;
    // New since every live savepoint: RollbackToSavepoint drops it by its id, no journal needed.
    f.sp_serial = savepoints_.empty() ? 0 : savepoints_.back().serial;
    MapPage(id, index);
    MarkDirty(f, index);
    return Pin(index);
  }

  Status Free(PageId id) {
    ForgetAppendHints();  // the page may become another tree's
    SQLRITE_ASSIGN_OR_RETURN(PageRef ref, Fetch(id, /*for_write=*/true));
    if (frames_[ref.frame_].pins != 1) {
      // Only a damaged structure leads to a page that is in use elsewhere (an overflow link to
      // its own leaf, a child link to an ancestor).
      return Fail(sqlstate::kDataCorrupted,
                  "page " + std::to_string(id) + " is freed while still in use");
    }
    std::memset(ref.mutable_data(), 0, kPageSize);
    frames_[ref.frame_].verified = false;
    StoreLE<uint32_t>(ref.mutable_data(), header_.free_head);
    header_.free_head = id;
    ++header_.free_count;
    return Ok();
  }

  bool InTransaction() const {
    return !dirty_.empty() || !spilled_.empty() || !(header_ == committed_);
  }

  // ---- commit ------------------------------------------------------------------------------

  Status CommitNoSync() {
    SQLRITE_ASSERT(!read_committed_);
    if (poisoned_) {
      Rollback();
      return Fail(PoisonedError());
    }
    if (!spill_status_) {
      Error e = spill_status_.error();
      Rollback();
      return Fail(std::move(e));
    }
    std::sort(dirty_.begin(), dirty_.end(),
              [this](uint32_t a, uint32_t b) { return frames_[a].id < frames_[b].id; });
    for (uint32_t i = 0; i < dirty_.size(); ++i) frames_[dirty_[i]].dirty_slot = i;
    Status s = wal_ ? WriteToWal() : WriteInPlace();
    if (!s) {
      // WAL mode: the log forgot the transaction's frames, spilled ones included, so it cannot
      // be retried. Without a WAL it stays open and may be committed again.
      if (wal_) Rollback();
      return s;
    }
    for (uint32_t index : dirty_) {
      Frame& f = frames_[index];
      f.dirty = false;
      ReleaseImage(f);
    }
    dirty_.clear();
    ClearHashed(spilled_);
    committed_ = header_;
    EndTransaction();
    ++stats_.commits;
    if (wal_ && unsynced_ && options_.synchronous != Synchronous::kFull) {
      // Not synced per commit: durable, per the setting, once written.
      durable_header_ = committed_;
      durable_mark_value_ = commit_mark_;
      Publish();
    }
    if (wal_ && options_.synchronous != Synchronous::kFull) {
      // Under kFull the checkpoint runs after the group's sync instead (AutoCheckpoint): here,
      // with this commit not yet synced, it would have to fsync the log itself, once per commit
      // while the log stays over its threshold (a long reader holding it there).
      return AutoCheckpoint();
    }
    return Ok();
  }

  // The automatic checkpoint once the log passes its threshold. The log keeps its length (up
  // to twice the threshold) so that later commits overwrite allocated blocks instead of growing
  // the file. It copies durable frames only, so it never fsyncs the log (kFull: it runs after
  // a sync; the commits since are left for the next one). A failed checkpoint poisons the pager
  // for later writes; the commits stand unless the failure was the log's fsync (synchronous
  // normal or off: Checkpoint syncs first), which discarded them.
  //
  // Under kFull it runs after a sync. While a live reader holds the log back it copies durable
  // frames only and syncs nothing (so a long reader costs no fsync per group, the rr-hold
  // scenario); otherwise it is a full checkpoint, which first syncs the commits made since the
  // sync (one log fsync per checkpoint interval, on the engine thread) so that the log can
  // restart: copying durable frames only would never restart it while commits keep landing
  // during every group's fsync. Its failure poisons the pager for later writes; the commits the
  // sync covered stand (the ones after it are discarded if the failure was the log's fsync).
  Status AutoCheckpoint() {
    if (wal_->size_bytes() < options_.wal_autocheckpoint_bytes || poisoned_) return Ok();
    const uint64_t keep = 2 * options_.wal_autocheckpoint_bytes;
    if (options_.synchronous != Synchronous::kFull) {
      Status checkpointed = Checkpoint(keep);
      if (!checkpointed && unsynced_) return checkpointed;
      return Ok();
    }
    if (options_.background_backfill) {
      if (backfill_in_flight_) return Ok();  // the restart waits for the round
      // The rounds copy most of the log off the writer; the restart copies the rest under it,
      // so it waits until little is left (just after a round), unless the log grew far past
      // its threshold (rounds held back by a reader, or slower than the commits).
      const uint64_t behind = (wal_->committed_frames() - wal_->backfilled()) * Wal::kFrameSize;
      if (behind > options_.wal_autocheckpoint_bytes / 4 &&
          wal_->size_bytes() < 4 * options_.wal_autocheckpoint_bytes) {
        return Ok();
      }
    }
    static_cast<void>(Checkpoint(keep, /*durable_only=*/ReaderHoldsLog()));
    return Ok();
  }

  // ---- background checkpoint rounds (Pager::BeginBackfill) -------------------------------------

  std::optional<BackfillJob> BeginBackfill() {
    if (!wal_ || options_.read_only || !options_.background_backfill ||
        options_.synchronous != Synchronous::kFull || poisoned_ || backfill_in_flight_) {
      return std::nullopt;
    }
    // Only frames known durable may reach the main file (see Checkpoint).
    const uint64_t committed = wal_->committed_frames();
    const uint64_t durable = std::min(committed, wal_->synced_frames());
    const uint64_t minimum = options_.wal_autocheckpoint_bytes / 8 / Wal::kFrameSize;
    if (durable <= wal_->backfilled() || durable - wal_->backfilled() < minimum) {
      return std::nullopt;
    }
    // Gated on what it may copy, not on what is durable: readers that keep the safe point just
    // behind the durable end would otherwise start a round (and a main-file fsync) per group.
    const uint64_t safe = std::min(SafeBackfillFrames(committed), durable);
    if (safe <= wal_->backfilled() || safe - wal_->backfilled() < std::max<uint64_t>(minimum, 1)) {
      return std::nullopt;
    }
    auto plan = std::make_shared<const WalBackfillPlan>(wal_->PlanBackfill(safe));
    backfill_in_flight_ = true;
    return BackfillJob(wal_.get(), file_.get(), std::move(plan));
  }

  Status FinishBackfill(const WalBackfillPlan& plan, const Status& copied) {
    SQLRITE_ASSERT(backfill_in_flight_);
    backfill_in_flight_ = false;
    if (!copied) {
      poisoned_ = true;  // as a failed checkpoint: the main file's state is unknown
      poison_cause_ = "a checkpoint round failed: " + copied.error().message;
      return copied;
    }
    // Nothing moved the log meanwhile: no restart (asserted by Checkpoint) and a failed sync
    // forgets only frames above the durable ones the plan copied.
    wal_->MarkBackfilled(plan.upto);
    ++stats_.backfills;
    return Ok();
  }

  // Whether a live, unexpired reader still needs log frames below the committed end (so the log
  // cannot restart now).
  bool ReaderHoldsLog() {
    const uint64_t committed = wal_->committed_frames();
    std::lock_guard lock(readers_mu_);
    const uint64_t generation = wal_->generation();
    for (auto& slot : slots_) {
      if (!slot->in_use || slot->expired.load()) continue;
      if (slot->generation != generation || slot->frames < committed) return true;
    }
    return false;
  }

  // ---- group commit off the writer's thread (Pager::BeginSync) --------------------------------

  Result<std::optional<LogSync>> BeginSync() {
    SQLRITE_ASSERT(!in_flight_);
    if (!wal_ || !unsynced_ || options_.synchronous != Synchronous::kFull) {
      return std::optional<LogSync>();
    }
    if (poisoned_) return Fail(PoisonedError());
    in_flight_ = InFlightSync{wal_->CaptureSync(), commit_mark_, committed_};
    return std::optional<LogSync>(LogSync(wal_.get()));
  }

  Status FinishSync(const Status& fsynced) {
    SQLRITE_ASSERT(in_flight_);
    const InFlightSync sync = *in_flight_;
    in_flight_.reset();
    // Only a failed background round can poison the pager while a sync is in flight (a failed
    // sync, which forgets commits, cannot: syncs do not overlap). The round failed on the main
    // file; the log and these commits are untouched, so a good fsync still makes them durable
    // and they are acknowledged: recovery replays them from the log at the next open.
    SQLRITE_ASSERT(!commits_discarded_);
    if (!fsynced) {
      PoisonAfterFailedSync(fsynced);
      return fsynced;
    }
    ++stats_.wal_syncs;
    wal_->MarkSynced(sync.point);
    synced_header_ = durable_header_ = sync.header;
    wal_synced_mark_ = durable_mark_value_ = sync.mark;
    unsynced_ = commit_mark_ != sync.mark;
    Publish();
    return AutoCheckpoint();  // nothing once poisoned
  }

  Status WriteToWal() {
    to_write_.clear();
    for (uint32_t index : dirty_) {
      Frame& f = frames_[index];
      ++stats_.pages_compared;
      if (f.image && std::memcmp(f.data.get(), f.image.get(), kPageSize) == 0) continue;
      to_write_.push_back(index);
    }
    bool header_changed = !(header_ == committed_);
    if (to_write_.empty() && !header_changed && spilled_.empty()) return Ok();
    // The commit frame is the header when it changed or nothing else is left to carry it.
    bool header_last = header_changed || to_write_.empty();
    size_t body = header_last ? to_write_.size() : to_write_.size() - 1;
    for (size_t i = 0; i < body; ++i) {
      Frame& f = frames_[to_write_[i]];
      SealPage(f.id, f.data.get());
      SQLRITE_TRY(wal_->AppendPage(f.id, f.data.get()));
    }
    if (header_last) {
      EncodeHeader(header_, identity_, header_page_.data());
      SQLRITE_TRY(wal_->AppendCommit(0, header_page_.data(), header_.page_count));
    } else {
      Frame& f = frames_[to_write_.back()];
      SealPage(f.id, f.data.get());
      SQLRITE_TRY(wal_->AppendCommit(f.id, f.data.get(), header_.page_count));
    }
    stats_.pages_written += to_write_.size() + (header_last ? 1 : 0);
    unsynced_ = true;
    ++commit_mark_;
    return Ok();
  }

  Status WriteInPlace() {
    bool wrote = false;
    for (uint32_t index : dirty_) {
      Frame& f = frames_[index];
      ++stats_.pages_compared;
      if (f.image && std::memcmp(f.data.get(), f.image.get(), kPageSize) == 0) continue;
      SealPage(f.id, f.data.get());
      SQLRITE_TRY(file_->WriteAt(uint64_t{f.id} * kPageSize,
                                 std::as_bytes(std::span(f.data.get(), kPageSize))));
      ++stats_.pages_written;
      wrote = true;
    }
    if (!(header_ == committed_)) {
      EncodeHeader(header_, identity_, header_page_.data());
      SQLRITE_TRY(file_->WriteAt(0, std::as_bytes(std::span(header_page_))));
      ++stats_.pages_written;
      wrote = true;
    }
    if (wrote) {
      SQLRITE_TRY(file_->Sync());
      wal_synced_mark_ = durable_mark_value_ = ++commit_mark_;
    }
    return Ok();
  }

  Status SyncWal() {
    SQLRITE_ASSERT(!in_flight_);
    if (!wal_ || !unsynced_ || options_.synchronous != Synchronous::kFull) return Ok();
    if (poisoned_) return Fail(PoisonedError());
    Status s = wal_->Sync();
    if (!s) {
      PoisonAfterFailedSync(s);
      return s;
    }
    ++stats_.wal_syncs;
    unsynced_ = false;
    MarkDurable();
    return AutoCheckpoint();
  }

  // The commits since the last sync may or may not be on disk; forget them so reads show the
  // last durable state, and refuse writes until a reopen runs recovery.
  void PoisonAfterFailedSync(const Status& failed) {
    Rollback();  // forgets the append hints too (commits are forgotten below)
    wal_->DiscardUnsynced();
    for (uint32_t index = 0; index < frames_.size(); ++index) {
      Frame& f = frames_[index];
      if (f.id == kInvalidPage || f.pins != 0) continue;
      UnmapPage(f.id);
      f.id = kInvalidPage;
      free_frames_.push_back(index);
    }
    header_ = committed_ = synced_header_;
    poisoned_ = true;
    commits_discarded_ = true;
    poison_cause_ = "a sync of its write-ahead log failed: " + failed.error().message;
    // Snapshots that saw the discarded commits (kNormal, kOff publish before the sync) cannot
    // be served any more: expire them, and publish the last durable state again.
    commit_mark_ = durable_mark_value_ = wal_synced_mark_;
    durable_header_ = synced_header_;
    std::lock_guard lock(readers_mu_);
    const uint64_t generation = wal_->generation();
    const uint64_t frames = wal_->committed_frames();
    for (auto& slot : slots_) {
      if (slot->in_use && slot->generation == generation && slot->frames > frames &&
          !slot->expired.exchange(true)) {
        ++stats_.readers_expired;
      }
    }
    PublishLocked();
  }

  // keep_log_bytes: see Wal::Restart. Backfills what no live reader still needs from the main
  // file and restarts the log when no reader needs it at all (pager.h, S2 and S4).
  // durable_only: copy only frames known durable and never fsync the log (the automatic
  // checkpoint under kFull); the log restarts only when every committed frame is durable.
  Status Checkpoint(uint64_t keep_log_bytes = 0, bool durable_only = false) {
    SQLRITE_ASSERT(!in_flight_);
    SQLRITE_ASSERT(!backfill_in_flight_);
    if (!wal_ || options_.read_only) return Ok();
    if (poisoned_) return Fail(PoisonedError());
    if (wal_->has_pending()) return Ok();  // a spilled transaction owns the log's tail
    if (unsynced_ && !durable_only) {
      // The main file may only receive what the log holds durably: were the log's tail lost
      // in a crash mid-checkpoint, recovery could not repair pages copied from it.
      Status synced = wal_->Sync();
      if (!synced) {
        PoisonAfterFailedSync(synced);
        return synced;
      }
      ++stats_.wal_syncs;
      unsynced_ = false;
      MarkDurable();
    }
    // Everything committed is durable and published now: a reader beginning from here on pins
    // all committed frames, so only the live ones can hold the backfill back.
    const uint64_t committed = wal_->committed_frames();
    const uint64_t safe = std::min(SafeBackfillFrames(committed), SyncedFrames());
    if (safe > wal_->backfilled()) {
      Status s = wal_->Backfill(*file_, safe);
      if (!s) {
        poisoned_ = true;
        poison_cause_ = "a checkpoint failed: " + s.error().message;
        return s;
      }
    }
    if (safe == committed) {
      Status s = wal_->Restart(*file_, keep_log_bytes);
      if (!s) {
        poisoned_ = true;
        poison_cause_ = "a restart of its write-ahead log failed: " + s.error().message;
        Publish();  // the generation may have moved
        return s;
      }
      Publish();
    }
    ++stats_.checkpoints;
    return Ok();
  }

  // The frame count the checkpoint may backfill up to: the smallest of committed and each live,
  // unexpired reader's frames (0 for a reader of an older generation), after expiring readers
  // more than max_wal_bytes_behind_reader behind.
  uint64_t SafeBackfillFrames(uint64_t committed) {
    uint64_t safe = committed;
    std::lock_guard lock(readers_mu_);
    const uint64_t generation = wal_->generation();
    for (auto& slot : slots_) {
      if (!slot->in_use || slot->expired.load()) continue;
      const uint64_t frames = slot->generation == generation ? slot->frames : 0;
      const uint64_t behind = (committed - std::min(committed, frames)) * Wal::kFrameSize;
      if (behind > options_.max_wal_bytes_behind_reader) {
        slot->expired.store(true);  // before any backfill write it permits (S4)
        ++stats_.readers_expired;
        continue;
      }
      safe = std::min(safe, frames);
    }
    return safe;
  }

  // ---- snapshot reads ------------------------------------------------------------------------

  void Publish() {
    std::lock_guard lock(readers_mu_);
    PublishLocked();
  }
  void PublishLocked() {
    published_generation_ = wal_->generation();
    published_frames_ = std::min(wal_->committed_frames(), SyncedFrames());
    published_mark_ = durable_mark_value_;
    published_header_ = durable_header_;
    durable_mark_.store(durable_mark_value_, std::memory_order_release);
  }
  // After a successful sync of the log: everything committed is durable.
  void MarkDurable() {
    synced_header_ = durable_header_ = committed_;
    wal_synced_mark_ = durable_mark_value_ = commit_mark_;
    Publish();
  }
  // The log's committed frames that are durable per the setting.
  uint64_t SyncedFrames() const {
    return options_.synchronous == Synchronous::kFull ? wal_->synced_frames()
                                                      : wal_->committed_frames();
  }

  Result<ReadSnapshot> BeginRead() {
    if (!wal_) {
      return Fail(sqlstate::kFeatureNotSupported,
                  "snapshot reads need a database opened with a write-ahead log");
    }
    ReadSnapshot snap;
    std::lock_guard lock(readers_mu_);
    ReaderSlot* slot;
    if (free_slots_.empty()) {
      slots_.push_back(std::make_unique<ReaderSlot>());
      slot = slots_.back().get();
    } else {
      slot = free_slots_.back();
      free_slots_.pop_back();
    }
    slot->in_use = true;
    slot->expired.store(false);
    slot->generation = published_generation_;
    slot->frames = published_frames_;
    slot->mark = published_mark_;
    snap.impl_ = this;
    snap.slot_ = slot;
    snap.generation_ = published_generation_;
    snap.frames_ = published_frames_;
    snap.mark_ = published_mark_;
    snap.page_count_ = published_header_.page_count;
    snap.meta_ = published_header_.meta;
    return snap;
  }

  void EndRead(ReaderSlot* slot) {
    std::lock_guard lock(readers_mu_);
    slot->in_use = false;
    free_slots_.push_back(slot);
  }

  Result<PageRef> SnapshotGet(const ReadSnapshot& snap, PageId id) {
    if (snap.slot_->expired.load()) return Fail(SnapshotTooOld());
    if (id == kInvalidPage || id >= snap.page_count_) {
      Header h;
      h.page_count = snap.page_count_;
      return Fail(OutOfRange(id, h));
    }
    for (;;) {
      const Wal::Version v = wal_->Resolve(id, snap.generation_, snap.frames_);
      const SharedPageCache::Key key{id, v.generation, v.frame};
      PageRef ref = shared_cache_->Lookup(key);
      if (!ref) {
        uint8_t* buf = shared_cache_->Reserve(key);
        const bool from_log = v.frame != Wal::kMainFile;
        Status read = from_log ? wal_->ReadPage(v.frame, Bytes(buf))
                               : file_->ReadAt(uint64_t{id} * kPageSize, Bytes(buf));
        if (from_log && wal_->generation() != v.generation) {
          // The log restarted under the read (Wal invariant 6): the main file holds the page.
          shared_cache_->Abandon(key, buf);
          continue;
        }
        if (snap.slot_->expired.load()) {
          shared_cache_->Abandon(key, buf);
          return Fail(SnapshotTooOld());
        }
        if (read) read = VerifyChecksum(id, buf, from_log ? "the log" : "the database file");
        if (!read) {
          shared_cache_->Abandon(key, buf);  // a damaged page is not kept
          return Fail(std::move(read).error());
        }
        ref = shared_cache_->Publish(key, buf);
      }
      // A checkpoint may have expired the snapshot while it resolved the page (S4).
      if (snap.slot_->expired.load()) return Fail(SnapshotTooOld());
      return ref;
    }
  }

  void ReaderStats() {
    stats_.wal_bytes = wal_ ? wal_->size_bytes() : 0;
    if (!wal_) return;
    std::lock_guard lock(readers_mu_);
    const uint64_t generation = wal_->generation();
    const uint64_t committed = wal_->committed_frames();
    uint64_t live = 0, oldest_mark = commit_mark_, fewest_frames = committed;
    for (auto& slot : slots_) {
      if (!slot->in_use) continue;
      ++live;
      if (slot->expired.load()) continue;
      oldest_mark = std::min(oldest_mark, slot->mark);
      fewest_frames = std::min(fewest_frames, slot->generation == generation ? slot->frames : 0);
    }
    stats_.live_readers = live;
    stats_.oldest_reader_commits_behind = commit_mark_ - oldest_mark;
    stats_.oldest_reader_wal_bytes_behind = (committed - fewest_frames) * Wal::kFrameSize;
    stats_.snapshot_cache_hits = shared_cache_->hits();
    stats_.snapshot_cache_misses = shared_cache_->misses();
  }

  size_t LiveReaders() {
    std::lock_guard lock(readers_mu_);
    return slots_.size() - free_slots_.size();
  }

  static Error SnapshotTooOld() {
    return Error(sqlstate::kSnapshotTooOld,
                 "snapshot too old: the write-ahead log grew past max_wal_bytes_behind_reader "
                 "behind it");
  }

  void Rollback() {
    SQLRITE_ASSERT(!read_committed_);
    ForgetAppendHints();  // pages go back to older bytes, and added ones to nobody
    for (uint32_t index : dirty_) {
      Frame& f = frames_[index];
      SQLRITE_ASSERT(f.pins == 0);
      f.dirty = false;
      if (f.image) {
        f.verified = f.image_verified;
        std::memcpy(f.data.get(), f.image.get(), kPageSize);
        ReleaseImage(f);
      } else {
        UnmapPage(f.id);
        f.id = kInvalidPage;
        free_frames_.push_back(index);
      }
    }
    dirty_.clear();
    // Cached copies of spilled pages hold uncommitted bytes.
    for (PageId id : spilled_) {
      if (id < frame_of_.size() && frame_of_[id] != 0) {
        uint32_t index = frame_of_[id] - 1;
        SQLRITE_ASSERT(frames_[index].pins == 0);
        UnmapPage(id);
        frames_[index].id = kInvalidPage;
        free_frames_.push_back(index);
      }
    }
    ClearHashed(spilled_);
    if (wal_) wal_->Rollback();
    spill_status_ = Ok();
    header_ = committed_;
    EndTransaction();
  }

  // ---- savepoints --------------------------------------------------------------------------

  uint32_t Savepoint() {
    SQLRITE_ASSERT(!read_committed_);
    uint32_t id = ++next_savepoint_id_;
    savepoints_.push_back({id, ++next_serial_, header_, {}});
    return id;
  }

  size_t FindSavepoint(uint32_t id) const {
    for (size_t i = savepoints_.size(); i-- > 0;) {
      if (savepoints_[i].id == id) return i;
    }
    SQLRITE_ASSERT(false && "no such savepoint");
    return 0;
  }

  void RollbackToSavepoint(uint32_t id) {
    SQLRITE_ASSERT(!read_committed_);
    ForgetAppendHints();
    size_t level = FindSavepoint(id);
    // Newest journals first, newest entries first, so the oldest bytes of each page win.
    for (size_t l = savepoints_.size(); l-- > level;) {
      auto& journal = savepoints_[l].journal;
      for (auto it = journal.rbegin(); it != journal.rend(); ++it) RestorePage(it->id, *it);
    }
    SavepointRec& sp = savepoints_[level];
    // Pages added since the savepoint vanish.
    for (PageId p = sp.header.page_count; p < header_.page_count; ++p) DropPage(p);
    header_ = sp.header;
    savepoints_.resize(level + 1);
    sp.journal.clear();
    sp.serial = ++next_serial_;  // pages must be journaled afresh
  }

  void ReleaseSavepoint(uint32_t id) {
    size_t level = FindSavepoint(id);
    if (level == 0) {
      savepoints_.clear();
      return;
    }
    // The parent savepoint's pre-images win over these (they are older), so append after them.
    auto& parent = savepoints_[level - 1].journal;
    for (size_t l = level; l < savepoints_.size(); ++l) {
      for (auto& e : savepoints_[l].journal) parent.push_back(std::move(e));
    }
    savepoints_.resize(level);
  }

  // ---- read-committed snapshots ------------------------------------------------------------

  uint32_t TakeSnap() {
    if (!free_snaps_.empty()) {
      uint32_t s = free_snaps_.back();
      free_snaps_.pop_back();
      return s;
    }
    Snap snap;
    snap.data = std::make_unique_for_overwrite<uint8_t[]>(kPageSize);
    snaps_.push_back(std::move(snap));
    return static_cast<uint32_t>(snaps_.size() - 1);
  }

  // Forgets every snapshot; pinned ones become stale and are freed when unpinned.
  void DropSnaps() {
    for (auto& [id, s] : snap_of_) {
      snaps_[s].id = kInvalidPage;
      if (snaps_[s].pins == 0) free_snaps_.push_back(s);
    }
    ClearHashed(snap_of_);
  }

  bool Verified(uintptr_t index) const override {
    if (index & kSnapBit) return snaps_[index & ~kSnapBit].verified;
    if (index & kImageBit) return frames_[index & ~kImageBit].image_verified;
    return frames_[index].verified;
  }
  void SetVerified(uintptr_t index) override {
    if (index & kSnapBit) {
      snaps_[index & ~kSnapBit].verified = true;
    } else if (index & kImageBit) {
      frames_[index & ~kImageBit].image_verified = true;
    } else {
      frames_[index].verified = true;
    }
  }

  void Unpin(uintptr_t index) override {
    index &= ~uintptr_t{kImageBit};
    if (index & kSnapBit) {
      const uint32_t s = static_cast<uint32_t>(index & ~uintptr_t{kSnapBit});
      SQLRITE_ASSERT(snaps_[s].pins > 0);
      if (--snaps_[s].pins == 0 && snaps_[s].id == kInvalidPage) free_snaps_.push_back(s);
      return;
    }
    SQLRITE_ASSERT(frames_[index].pins > 0);
    if (--frames_[index].pins == 0) --pinned_frames_;
  }

  static Error PoisonedError() {
    return Error(sqlstate::kIoError,
                 "database storage failed an fsync or checkpoint earlier; it refuses writes "
                 "until it is reopened");
  }
  static Error OutOfRange(PageId id, const Header& h) {
    return Error(sqlstate::kDataCorrupted, "page " + std::to_string(id) +
                                               " is out of range (page count " +
                                               std::to_string(h.page_count) + ")");
  }

  Header header_;
  Header committed_;
  Header synced_header_;  // committed_ as of the last durable point (WAL sync or checkpoint)
  PagerStats stats_;
  std::vector<uint32_t> dirty_;
  std::unordered_set<PageId> spilled_;  // pages with a pending frame in the log
  std::unique_ptr<File> file_;
  std::unique_ptr<Wal> wal_;
  Options options_;
  FileIdentity identity_;
  bool read_committed_ = false;
  bool poisoned_ = false;
  // Set with poisoned_ by a failed sync, which forgot the commits it covered; a failed
  // checkpoint or round poisons without it (the log, and every commit in it, stands).
  bool commits_discarded_ = false;
  std::string poison_cause_;  // what poisoned the pager, for the refusal's DETAIL
  bool closed_ = false;
  // The sync in flight (BeginSync .. FinishSync): what it makes durable.
  struct InFlightSync {
    Wal::SyncPoint point;
    uint64_t mark;
    Header header;
  };
  std::optional<InFlightSync> in_flight_;
  bool backfill_in_flight_ = false;  // a BeginBackfill round not finished yet

  // Snapshot reads. The reader table and the published durable state are guarded by
  // readers_mu_; commit_mark_ and the durable_/wal_synced_ fields are the writer's.
  uint64_t commit_mark_ = 0;         // the newest commit's mark
  uint64_t durable_mark_value_ = 0;  // the newest durable commit's mark (per the setting)
  uint64_t wal_synced_mark_ = 0;     // the mark of the log's last successful sync
  Header durable_header_;            // the header as of durable_mark_value_
  std::atomic<uint64_t> durable_mark_{0};
  std::unique_ptr<SharedPageCache> shared_cache_;  // WAL mode
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<ReaderSlot>> slots_;
  std::vector<ReaderSlot*> free_slots_;
  uint64_t published_generation_ = 0;
  uint64_t published_frames_ = 0;
  uint64_t published_mark_ = 0;
  Header published_header_;

 private:
  PageRef Pin(uint32_t index) {
    Frame& f = frames_[index];
    if (f.pins++ == 0) ++pinned_frames_;
    f.referenced = true;
    return PageRef(this, index, f.id, f.data.get());
  }

  void MarkDirty(Frame& f, uint32_t index) {
    bool has_committed_copy =
        f.id < committed_.page_count && (spilled_.empty() || spilled_.count(f.id) == 0);
    if (has_committed_copy) {
      if (spare_images_.empty()) {
        f.image = std::make_unique_for_overwrite<uint8_t[]>(kPageSize);
      } else {
        f.image = std::move(spare_images_.back());
        spare_images_.pop_back();
      }
      std::memcpy(f.image.get(), f.data.get(), kPageSize);
      f.image_verified = f.verified;
    }
    f.dirty = true;
    f.dirty_slot = static_cast<uint32_t>(dirty_.size());
    dirty_.push_back(index);
  }

  void RemoveDirty(Frame& f) {
    uint32_t last = dirty_.back();
    dirty_[f.dirty_slot] = last;
    frames_[last].dirty_slot = f.dirty_slot;
    dirty_.pop_back();
    f.dirty = false;
  }

  void Journal(Frame& f) {
    SavepointRec& sp = savepoints_.back();
    f.sp_serial = sp.serial;
    if (f.id >= sp.header.page_count) return;  // added since: dropped by id on rollback
    auto bytes = std::make_unique_for_overwrite<uint8_t[]>(kPageSize);
    std::memcpy(bytes.get(), f.data.get(), kPageSize);
    sp.journal.push_back({f.id, std::move(bytes)});
  }

  void RestorePage(PageId id, const JournalEntry& e) {
    if (id < frame_of_.size() && frame_of_[id] != 0) {
      uint32_t index = frame_of_[id] - 1;
      Frame& f = frames_[index];
      SQLRITE_ASSERT(f.pins == 0);
      if (!f.dirty) MarkDirty(f, index);
      std::memcpy(f.data.get(), e.bytes.get(), kPageSize);
      f.sp_serial = 0;
      f.verified = false;
      return;
    }
    // Spilled and evicted: the journal bytes replace whatever the log holds, so no read. Dirty
    // without an image is always safe: a rollback drops it and rereads the committed bytes.
    uint32_t index = TakeFrame();
    Frame& f = frames_[index];
    f.id = id;
    f.sp_serial = 0;
    f.verified = false;
    MapPage(id, index);
    std::memcpy(f.data.get(), e.bytes.get(), kPageSize);
    f.dirty = true;
    f.dirty_slot = static_cast<uint32_t>(dirty_.size());
    dirty_.push_back(index);
  }

  void DropPage(PageId id) {
    if (id >= frame_of_.size() || frame_of_[id] == 0) return;
    uint32_t index = frame_of_[id] - 1;
    Frame& f = frames_[index];
    SQLRITE_ASSERT(f.pins == 0);
    if (f.dirty) RemoveDirty(f);
    ReleaseImage(f);
    UnmapPage(id);
    f.id = kInvalidPage;
    free_frames_.push_back(index);
  }

  void EndTransaction() {
    savepoints_.clear();
    if (!snap_of_.empty()) DropSnaps();
    Trim();
  }

  void MapPage(PageId id, uint32_t index) {
    if (id >= frame_of_.size()) frame_of_.resize(std::max<size_t>(id + 1, frame_of_.size() * 2));
    frame_of_[id] = index + 1;
    ++resident_;
  }
  void UnmapPage(PageId id) {
    frame_of_[id] = 0;
    --resident_;
  }

  void ReleaseImage(Frame& f) {
    if (f.image) spare_images_.push_back(std::move(f.image));
  }

  // A frame to load a page into: a spare one while under capacity, else a clean unpinned
  // victim chosen by the clock. When every frame is dirty or pinned, WAL mode spills dirty
  // pages to the log; otherwise the cache grows past its bound and Trim() shrinks it back after
  // the transaction.
  uint32_t TakeFrame() {
    // Dirty and pinned frames cannot be evicted; when they may be all there is, do not sweep
    // (a large transaction would otherwise scan the whole cache for every page it adds).
    bool may_evict = resident_ > dirty_.size() + pinned_frames_;
    if (resident_ >= capacity_ && !may_evict && wal_ && spill_status_ && !read_committed_) {
      Spill();
      may_evict = resident_ > dirty_.size() + pinned_frames_;
    }
    if (resident_ >= capacity_ && may_evict) {
      size_t n = frames_.size();
      size_t steps = std::min(2 * n, kMaxSweep);
      for (size_t step = 0; step < steps; ++step) {
        uint32_t index = static_cast<uint32_t>(hand_);
        hand_ = (hand_ + 1) % n;
        Frame& f = frames_[index];
        if (f.id == kInvalidPage || f.pins != 0 || f.dirty) continue;
        if (f.referenced) {
          f.referenced = false;
          continue;
        }
        ShareEvicted(f);
        UnmapPage(f.id);
        f.id = kInvalidPage;
        return index;
      }
    }
    if (!free_frames_.empty()) {
      uint32_t index = free_frames_.back();
      free_frames_.pop_back();
      Frame& f = frames_[index];
      if (!f.data) f.data = std::make_unique_for_overwrite<uint8_t[]>(kPageSize);
      return index;
    }
    return NewFrame();
  }

  // Hands a clean frame the writer's cache evicts to the shared cache (S6), which then serves
  // the writer's next miss on the page, and readers, without a read from disk. A clean frame
  // holds its page's newest committed version, unless the open transaction spilled the page
  // (then it may hold the spilled bytes): those are not shared. Nor is anything once the pager
  // is poisoned: a frame pinned across a failed sync may hold a commit the sync discarded,
  // under the key of the durable version it replaced.
  void ShareEvicted(const Frame& f) {
    if (!shared_cache_ || poisoned_ || (!spilled_.empty() && spilled_.count(f.id) != 0)) return;
    uint64_t frame = Wal::kMainFile;
    wal_->Find(f.id, /*committed_only=*/true, &frame);
    const SharedPageCache::Key key{f.id, wal_->generation(), frame};
    if (shared_cache_->Lookup(key)) return;
    uint8_t* buf = shared_cache_->Reserve(key);
    std::memcpy(buf, f.data.get(), kPageSize);
    shared_cache_->Publish(key, buf);
  }

  // Writes an eighth of the cache's dirty unpinned pages to the log as uncommitted frames and
  // frees their frames. A failed write dooms the transaction (the log forgets every pending
  // frame); the commit reports it.
  void Spill() {
    size_t want = std::max<size_t>(1, capacity_ / 8);
    size_t spilled = 0;
    for (size_t i = dirty_.size(); i-- > 0 && spilled < want;) {
      uint32_t index = dirty_[i];
      Frame& f = frames_[index];
      if (f.pins != 0) continue;
      SealPage(f.id, f.data.get());
      Status s = wal_->AppendPage(f.id, f.data.get());
      if (!s) {
        spill_status_ = std::move(s);
        return;
      }
      spilled_.insert(f.id);
      RemoveDirty(f);  // moves the last entry (already visited) into slot i
      ReleaseImage(f);
      UnmapPage(f.id);
      f.id = kInvalidPage;
      free_frames_.push_back(index);
      ++spilled;
      ++stats_.pages_spilled;
    }
    // The spilled pages are read back from the log: their frames must be in the file.
    if (spilled != 0) {
      Status s = wal_->FlushPending();
      if (!s) spill_status_ = std::move(s);
    }
  }

  // Evicts clean unpinned pages (releasing their memory) until the cache is within its bound.
  void Trim() {
    for (uint32_t index = 0; index < frames_.size() && resident_ > capacity_; ++index) {
      Frame& f = frames_[index];
      if (f.id == kInvalidPage || f.pins != 0 || f.dirty) continue;
      UnmapPage(f.id);
      f.id = kInvalidPage;
      f.data.reset();
      free_frames_.push_back(index);
    }
    if (spare_images_.size() > kMaxSpareImages) spare_images_.resize(kMaxSpareImages);
  }

  uint32_t NewFrame() {
    Frame f;
    f.data = std::make_unique_for_overwrite<uint8_t[]>(kPageSize);
    frames_.push_back(std::move(f));
    return static_cast<uint32_t>(frames_.size() - 1);
  }

  size_t capacity_;
  std::vector<Frame> frames_;
  std::vector<uint32_t> free_frames_;
  // Page id -> frame index + 1 (0: not cached). Page ids are dense, so a vector indexed by id
  // (4 bytes per page of the file) beats a hash map on the lookup every page access makes.
  std::vector<uint32_t> frame_of_;
  size_t resident_ = 0;  // cached pages
  size_t hand_ = 0;
  size_t pinned_frames_ = 0;  // frames with pins > 0
  std::vector<std::unique_ptr<uint8_t[]>> spare_images_;
  std::array<uint8_t, kPageSize> header_page_{};
  std::unique_ptr<uint8_t[]> scratch_;  // VerifyStoredPage's buffer
  std::vector<uint32_t> to_write_;
  bool unsynced_ = false;       // commits appended to the log since its last sync
  Status spill_status_ = Ok();  // a failed spill dooms the open transaction
  std::vector<SavepointRec> savepoints_;
  uint32_t next_savepoint_id_ = 0;
  uint64_t next_serial_ = 0;
  std::vector<Snap> snaps_;
  std::vector<uint32_t> free_snaps_;
  std::unordered_map<PageId, uint32_t> snap_of_;

 public:
  // Pager::AppendHint. A hint holds the layout epoch it was set at; ForgetAppendHints moves
  // the epoch on, which invalidates every hint at once.
  struct AppendHintSlot {
    PageId root = kInvalidPage;
    PageId leaf = kInvalidPage;
    uint64_t epoch = 0;
  };
  static constexpr size_t kAppendHints = 4;  // a table and a few indexes loaded together
  PageId AppendHint(PageId root) const {
    for (const AppendHintSlot& h : hints_) {
      if (h.root == root && h.epoch == layout_epoch_) return h.leaf;
    }
    return kInvalidPage;
  }
  void SetAppendHint(PageId root, PageId leaf) {
    AppendHintSlot* slot = nullptr;
    for (AppendHintSlot& h : hints_) {
      if (h.root == root) slot = &h;
    }
    if (slot == nullptr) {
      slot = &hints_[next_hint_];
      next_hint_ = (next_hint_ + 1) % kAppendHints;
    }
    *slot = {root, leaf, layout_epoch_};
  }
  void ForgetAppendHints() { ++layout_epoch_; }

 private:
  std::array<AppendHintSlot, kAppendHints> hints_{};
  size_t next_hint_ = 0;
  uint64_t layout_epoch_ = 1;
};

Result<std::unique_ptr<Pager>> Pager::Open(std::unique_ptr<File> file, Options options) {
  std::unique_ptr<Pager> pager(new Pager(nullptr));
  pager->impl_ = std::make_unique<Impl>(std::move(file), options);
  Status loaded = pager->impl_->Load(nullptr);
  if (!loaded) {
    pager->impl_->closed_ = true;
    return Fail(std::move(loaded).error());
  }
  return pager;
}

Result<std::unique_ptr<Pager>> Pager::Open(std::unique_ptr<File> db, std::unique_ptr<File> wal,
                                           Options options) {
  SQLRITE_ASSERT(wal != nullptr);
  std::unique_ptr<Pager> pager(new Pager(nullptr));
  pager->impl_ = std::make_unique<Impl>(std::move(db), options);
  Status loaded = pager->impl_->Load(std::move(wal));
  if (!loaded) {
    pager->impl_->closed_ = true;  // nothing to checkpoint; do not touch the files again
    return Fail(std::move(loaded).error());
  }
  return pager;
}

Result<FileIdentity> Pager::ReadIdentity(File& file) {
  SQLRITE_ASSIGN_OR_RETURN(uint64_t size, file.Size());
  if (size == 0) return Fail(sqlstate::kDataCorrupted, "the file is empty (0 bytes)");
  if (size < kPageSize) {
    return Fail(sqlstate::kDataCorrupted, "the file is truncated: " + std::to_string(size) +
                                              " bytes, shorter than its header page");
  }
  std::array<uint8_t, kHeaderBytes> raw;
  SQLRITE_TRY(file.ReadAt(0, std::as_writable_bytes(std::span(raw))));
  SQLRITE_TRY(Impl::CheckHeader(raw.data()));
  return DecodeIdentity(raw.data());
}

Pager::Pager(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pager::~Pager() {
  if (impl_) (void)Close();
}

Status Pager::Close() {
  if (impl_->closed_) return Ok();
  SQLRITE_ASSERT(!impl_->in_flight_ && "a pager closed with a log sync in flight");
  SQLRITE_ASSERT(!impl_->backfill_in_flight_ && "a pager closed with a backfill in flight");
  SQLRITE_ASSERT(impl_->LiveReaders() == 0 && "a ReadSnapshot outlives its pager's Close");
  impl_->read_committed_ = false;
  if (impl_->InTransaction()) impl_->Rollback();
  Status s = Ok();
  if (impl_->wal_ && !impl_->poisoned_) s = impl_->Checkpoint();
  impl_->closed_ = true;
  return s;
}

Result<PageRef> Pager::Get(PageId id) { return impl_->Fetch(id, /*for_write=*/false); }
Result<PageRef> Pager::GetMutable(PageId id) { return impl_->Fetch(id, /*for_write=*/true); }
Result<PageRef> Pager::Allocate() { return impl_->Allocate(); }
Status Pager::Free(PageId id) { return impl_->Free(id); }

uint32_t Pager::GetMeta(MetaSlot slot) const {
  const auto& h = impl_->read_committed_ ? impl_->committed_ : impl_->header_;
  return h.meta[static_cast<size_t>(slot)];
}
void Pager::SetMeta(MetaSlot slot, uint32_t value) {
  SQLRITE_ASSERT(!impl_->read_committed_ && !impl_->options_.read_only);
  impl_->header_.meta[static_cast<size_t>(slot)] = value;
}

Status Pager::VerifyStoredPage(PageId id) { return impl_->VerifyStoredPage(id); }
const FileIdentity& Pager::identity() const { return impl_->identity_; }
bool Pager::read_only() const { return impl_->options_.read_only; }

uint32_t Pager::page_count() const {
  return (impl_->read_committed_ ? impl_->committed_ : impl_->header_).page_count;
}
uint32_t Pager::free_page_count() const {
  return (impl_->read_committed_ ? impl_->committed_ : impl_->header_).free_count;
}
PageId Pager::free_list_head() const {
  return (impl_->read_committed_ ? impl_->committed_ : impl_->header_).free_head;
}

Status Pager::Commit() {
  SQLRITE_TRY(impl_->CommitNoSync());
  return impl_->SyncWal();
}
Status Pager::CommitNoSync() { return impl_->CommitNoSync(); }
Status Pager::SyncWal() { return impl_->SyncWal(); }
Result<std::optional<LogSync>> Pager::BeginSync() { return impl_->BeginSync(); }
Status Pager::FinishSync(const LogSync& sync, const Status& fsynced) {
  SQLRITE_ASSERT(sync.wal_ == impl_->wal_.get());
  return impl_->FinishSync(fsynced);
}
bool Pager::sync_in_flight() const { return impl_->in_flight_.has_value(); }
Status LogSync::Run() const { return wal_->SyncFile(); }
std::optional<BackfillJob> Pager::BeginBackfill() { return impl_->BeginBackfill(); }
Status Pager::FinishBackfill(const BackfillJob& job, const Status& copied) {
  return impl_->FinishBackfill(*job.plan_, copied);
}
bool Pager::backfill_in_flight() const { return impl_->backfill_in_flight_; }
Status BackfillJob::Run() const { return wal_->CopyBackfill(*plan_, *db_); }
void Pager::Rollback() { impl_->Rollback(); }
bool Pager::in_transaction() const { return impl_->InTransaction(); }
Status Pager::Checkpoint() { return impl_->Checkpoint(); }
bool Pager::poisoned() const { return impl_->poisoned_; }
const std::string& Pager::poison_cause() const { return impl_->poison_cause_; }

uint32_t Pager::Savepoint() { return impl_->Savepoint(); }
void Pager::RollbackToSavepoint(uint32_t id) { impl_->RollbackToSavepoint(id); }
void Pager::ReleaseSavepoint(uint32_t id) { impl_->ReleaseSavepoint(id); }

void Pager::SetReadCommitted(bool on) { impl_->read_committed_ = on; }
bool Pager::read_committed() const { return impl_->read_committed_; }
PageId Pager::AppendHint(PageId root) const { return impl_->AppendHint(root); }
void Pager::SetAppendHint(PageId root, PageId leaf) { impl_->SetAppendHint(root, leaf); }

const PagerStats& Pager::stats() const {
  impl_->ReaderStats();
  return impl_->stats_;
}

Result<ReadSnapshot> Pager::BeginRead() { return impl_->BeginRead(); }
uint64_t Pager::commit_mark() const { return impl_->commit_mark_; }

uint64_t Pager::durable_mark() const {
  return impl_->durable_mark_.load(std::memory_order_acquire);
}

ReadSnapshot::ReadSnapshot(ReadSnapshot&& other) noexcept { *this = std::move(other); }

ReadSnapshot& ReadSnapshot::operator=(ReadSnapshot&& other) noexcept {
  if (this != &other) {
    Release();
    impl_ = other.impl_;
    slot_ = other.slot_;
    generation_ = other.generation_;
    frames_ = other.frames_;
    mark_ = other.mark_;
    page_count_ = other.page_count_;
    meta_ = other.meta_;
    other.impl_ = nullptr;
    other.slot_ = nullptr;
  }
  return *this;
}

ReadSnapshot::~ReadSnapshot() { Release(); }

void ReadSnapshot::Release() {
  if (impl_ != nullptr) impl_->EndRead(slot_);
  impl_ = nullptr;
  slot_ = nullptr;
}

Result<PageRef> ReadSnapshot::Get(PageId id) { return impl_->SnapshotGet(*this, id); }

}  // namespace sqlrite::storage
