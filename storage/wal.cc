#include "storage/wal.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <random>

#include "common/assert.h"
#include "common/bytes.h"
#include "storage/clear_hashed.h"
#include "storage/page_checksum.h"

namespace sqlrite::storage {

namespace {

constexpr char kMagic[8] = {'S', 'Q', 'L', 'R', 'W', 'A', 'L', '\0'};
// Version 1 chained each frame's checksum over its whole page; version 2 over the page's own
// seal (page_checksum.h) instead, and recovery checks the seal too (docs/decisions.md, "WAL
// frames checksum the page's seal"). Logs of either version are recovered; a new generation is
// always written as kVersion.
constexpr uint32_t kVersion = 2;
constexpr uint32_t kFirstVersion = 1;
// Where a page's seal is: its last 8 bytes.
constexpr uint32_t kSealOffset = Wal::kPageBytes - 8;

uint32_t RandomSalt() {
  std::random_device rd;
  return static_cast<uint32_t>(rd());
}

}  // namespace

uint64_t Wal::Checksum(uint64_t seed, const uint8_t* data, size_t n) {
  // Two independent multiply-xor lanes over 8-byte words: cheap (a page costs ~1 µs) and any
  // torn write or bit flip changes it with overwhelming probability. Not cryptographic.
  constexpr uint64_t kMul1 = 0x9e3779b97f4a7c15ULL;
  constexpr uint64_t kMul2 = 0xc2b2ae3d27d4eb4fULL;
  uint64_t a = seed ^ 0x243f6a8885a308d3ULL;
  uint64_t b = seed + 0x13198a2e03707344ULL;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a = (a ^ LoadLE<uint64_t>(data + i)) * kMul1;
    b = (b ^ LoadLE<uint64_t>(data + i + 8)) * kMul2;
    a ^= a >> 29;
    b ^= b >> 31;
  }
  for (; i < n; ++i) a = (a ^ data[i]) * kMul1;
  uint64_t h = a ^ (b * kMul1) ^ n;
  h ^= h >> 33;
  h *= kMul2;
  h ^= h >> 29;
  return h;
}

uint64_t Wal::FrameChecksum(uint64_t seed, const uint8_t* frame_header, const uint8_t* page) const {
  const uint64_t c = Checksum(seed, frame_header, 16);
  if (version_ >= 2) return Checksum(c, page + kSealOffset, 8);
  return Checksum(c, page, kPageBytes);
}

Result<std::unique_ptr<Wal>> Wal::Open(std::unique_ptr<File> file, Options options) {
  std::unique_ptr<Wal> wal(new Wal(std::move(file), options));  // private constructor
  wal->frame_buf_.resize(kFrameSize);
  wal->write_buf_ = std::make_unique_for_overwrite<uint8_t[]>(kMaxBufferedFrames * kFrameSize);
  SQLRITE_TRY(wal->Recover());
  return wal;
}

Status Wal::StartGeneration() {
  SQLRITE_ASSERT(!options_.read_only);
  // The low half differs from the previous generation's, so its frames are stale for certain.
  const uint32_t low = salt_ == 0 ? RandomSalt() : static_cast<uint32_t>(salt_) + 1;
  salt_ = (uint64_t{options_.tie} << 32) | low;
  uint8_t header[kHeaderSize] = {};
  std::memcpy(header, kMagic, 8);
  StoreLE<uint32_t>(header + 8, kVersion);
  version_ = kVersion;
  StoreLE<uint32_t>(header + 12, kPageBytes);
  StoreLE<uint64_t>(header + 16, salt_);
  header_checksum_ = Checksum(0, header, 24);
  StoreLE<uint64_t>(header + 24, header_checksum_);
  SQLRITE_TRY(file_->WriteAt(0, std::as_bytes(std::span<const uint8_t>(header, kHeaderSize))));
  file_size_ = std::max<uint64_t>(file_size_, kHeaderSize);
  // The header must be durable before any frame of this generation is acknowledged; syncing
  // here keeps that true without a rule for the first commit.
  SQLRITE_TRY(file_->Sync());
  Forget();
  committed_checksum_ = running_checksum_ = header_checksum_;
  MarkSynced();
  return Ok();
}

void Wal::Forget() {
  committed_frames_ = next_frame_ = 0;
  backfilled_ = 0;
  db_page_count_ = 0;
  {
    std::unique_lock lock(index_mu_);
    index_.clear();
  }
  ClearHashed(pending_);
  MarkSynced();
}

Status Wal::Recover() {
  SQLRITE_ASSIGN_OR_RETURN(uint64_t size, file_->Size());
  file_size_ = size;
  if (options_.read_only && size < kHeaderSize) {
    Forget();
    return Ok();
  }
  if (size < kHeaderSize) return StartGeneration();
  uint8_t header[kHeaderSize];
  SQLRITE_TRY(file_->ReadAt(0, std::as_writable_bytes(std::span<uint8_t>(header, kHeaderSize))));
  const auto version = LoadLE<uint32_t>(header + 8);
  // A valid header of a version this server does not know (a newer server's log) may be
  // followed by acknowledged commits: refused, never overwritten or ignored.
  if (std::memcmp(header, kMagic, 8) == 0 &&
      LoadLE<uint64_t>(header + 24) == Checksum(0, header, 24) &&
      (version < kFirstVersion || version > kVersion)) {
    return Fail(sqlstate::kDataCorrupted,
                "the write-ahead log was written in an incompatible format version (" +
                    std::to_string(version) + "); this server reads versions " +
                    std::to_string(kFirstVersion) + " to " + std::to_string(kVersion));
  }
  if (std::memcmp(header, kMagic, 8) != 0 || version < kFirstVersion || version > kVersion ||
      LoadLE<uint32_t>(header + 12) != kPageBytes ||
      LoadLE<uint64_t>(header + 24) != Checksum(0, header, 24)) {
    // A header that never became valid cannot have been followed by an acknowledged commit.
    if (options_.read_only) {
      Forget();
      return Ok();
    }
    return StartGeneration();
  }
  salt_ = LoadLE<uint64_t>(header + 16);
  if (static_cast<uint32_t>(salt_ >> 32) != options_.tie) {
    return Fail(sqlstate::kDataCorrupted,
                "the write-ahead log belongs to another database file (its tie is " +
                    std::to_string(salt_ >> 32) + ", the file's " + std::to_string(options_.tie) +
                    ")");
  }
  header_checksum_ = LoadLE<uint64_t>(header + 24);
  version_ = version;

  uint64_t checksum = header_checksum_;
  uint64_t frames_in_file = (size - kHeaderSize) / kFrameSize;
  std::unordered_map<uint32_t, uint64_t> txn;
  committed_frames_ = 0;
  committed_checksum_ = checksum;
  for (uint64_t f = 0; f < frames_in_file; ++f) {
    SQLRITE_TRY(
        file_->ReadAt(kHeaderSize + f * kFrameSize, std::as_writable_bytes(std::span(frame_buf_))));
    const uint8_t* fh = frame_buf_.data();
    if (LoadLE<uint64_t>(fh + 8) != salt_) break;
    const auto page_id = LoadLE<uint32_t>(fh);
    const uint64_t c = FrameChecksum(checksum, fh, fh + kFrameHeaderSize);
    if (c != LoadLE<uint64_t>(fh + 16)) break;
    // Version 2's chain covers the page's seal, not its bytes: a torn page shows here.
    if (version_ >= 2 && !PageSealed(page_id, fh + kFrameHeaderSize)) break;
    checksum = c;
    const auto commit = LoadLE<uint32_t>(fh + 4);
    txn[page_id] = f;
    if (commit != 0) {
      for (auto& [p, frame] : txn) index_[p].push_back(frame);
      ClearHashed(txn);
      committed_frames_ = f + 1;
      committed_checksum_ = checksum;
      db_page_count_ = commit;
    }
  }
  next_frame_ = committed_frames_;
  running_checksum_ = committed_checksum_;
  MarkSynced();  // what recovery read is on disk
  return Ok();
}

void Wal::MarkSynced() {
  unsynced_pages_.clear();
  synced_frames_ = committed_frames_;
  synced_checksum_ = committed_checksum_;
  synced_db_page_count_ = db_page_count_;
}

bool Wal::Find(uint32_t page_id, bool committed_only, uint64_t* frame) const {
  if (!committed_only) {
    auto it = pending_.find(page_id);
    if (it != pending_.end()) {
      // A pending frame is read back only after FlushPending (Pager::Spill).
      SQLRITE_ASSERT(write_used_ == 0 || it->second < buffered_from_);
      *frame = it->second;
      return true;
    }
  }
  auto it = index_.find(page_id);
  if (it == index_.end()) return false;
  *frame = it->second.back();
  return true;
}

Wal::Version Wal::Resolve(uint32_t page_id, uint64_t generation, uint64_t frames) const {
  std::shared_lock lock(index_mu_);
  const uint64_t current = generation_.load(std::memory_order_acquire);
  if (generation != current) return {current, kMainFile};
  auto it = index_.find(page_id);
  if (it == index_.end()) return {current, kMainFile};
  const std::vector<uint64_t>& f = it->second;
  auto pos = std::lower_bound(f.begin(), f.end(), frames);  // first frame >= frames
  if (pos == f.begin()) return {current, kMainFile};
  return {current, *(pos - 1)};
}

Status Wal::ReadPage(uint64_t frame, std::span<std::byte> out) {
  SQLRITE_ASSERT(out.size() == kPageBytes);
  return file_->ReadAt(kHeaderSize + frame * kFrameSize + kFrameHeaderSize, out);
}

Status Wal::Grow(uint64_t end) {
  // Zeros, not fallocate: an allocated-but-unwritten extent still needs a metadata update (a
  // journal commit) at its first write, which is what growing ahead is meant to take out of the
  // commits' fdatasync. PostgreSQL zero-fills its WAL segments for the same reason.
  static constexpr size_t kChunk = size_t{256} * 1024;
  static const std::vector<std::byte> kZeros(kChunk);
  // By a quarter of the file, so that a log growing towards its checkpoint threshold grows (and
  // changes its size, a metadata write in the next fdatasync) a few times only; at most 16 MiB
  // at once, as this runs inside a commit and holds the writer.
  static constexpr uint64_t kMaxGrowth = uint64_t{16} << 20;
  const uint64_t growth =
      std::clamp<uint64_t>(file_size_ / 4, uint64_t{kFrameSize} * 16, kMaxGrowth);
  const uint64_t target = std::max(end, file_size_ + growth);
  uint64_t at = file_size_;
  while (at < target) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, target - at));
    SQLRITE_TRY(file_->WriteAt(at, std::span<const std::byte>(kZeros.data(), n)));
    at += n;
    file_size_ = at;
  }
  return Ok();
}

Status Wal::WriteFrame(uint32_t page_id, const uint8_t* page, uint32_t commit) {
  SQLRITE_ASSERT(!options_.read_only);
  if (write_used_ == 0) {
    buffered_from_ = next_frame_;
  } else if (write_used_ >= kMaxBufferedFrames * size_t{kFrameSize}) {
    SQLRITE_TRY(WriteBuffered());
    buffered_from_ = next_frame_;
  }
  SQLRITE_ASSERT(buffered_from_ + write_used_ / kFrameSize == next_frame_);
  // The only step that can throw (an allocation) comes first, before anything changed; the
  // buffer was allocated at Open.
  pending_[page_id] = next_frame_;
  const size_t at = write_used_;
  SQLRITE_ASSERT(at + kFrameSize <= kMaxBufferedFrames * size_t{kFrameSize});
  uint8_t* fh = write_buf_.get() + at;
  StoreLE<uint32_t>(fh, page_id);
  StoreLE<uint32_t>(fh + 4, commit);
  StoreLE<uint64_t>(fh + 8, salt_);
  const uint64_t c = FrameChecksum(running_checksum_, fh, page);
  StoreLE<uint64_t>(fh + 16, c);
  std::memcpy(fh + kFrameHeaderSize, page, kPageBytes);
  running_checksum_ = c;
  write_used_ = at + kFrameSize;
  ++next_frame_;
  return Ok();
}

Status Wal::WriteBuffered() {
  if (write_used_ == 0) return Ok();
  const uint64_t offset = kHeaderSize + buffered_from_ * kFrameSize;
  const uint64_t end = offset + write_used_;
  if (end > file_size_) SQLRITE_TRY(Grow(end));
  SQLRITE_TRY(file_->WriteAt(
      offset, std::as_bytes(std::span<const uint8_t>(write_buf_.get(), write_used_))));
  write_used_ = 0;
  return Ok();
}

Status Wal::FlushPending() {
  Status s = WriteBuffered();
  if (!s) Rollback();
  return s;
}

Status Wal::AppendPage(uint32_t page_id, const uint8_t* page) {
  Status s = WriteFrame(page_id, page, 0);
  if (!s) Rollback();
  return s;
}

Status Wal::AppendCommit(uint32_t page_id, const uint8_t* page, uint32_t db_page_count) {
  SQLRITE_ASSERT(db_page_count != 0);
  Status s = WriteFrame(page_id, page, db_page_count);
  if (s) s = WriteBuffered();
  if (!s) {
    Rollback();
    return s;
  }
  {
    std::unique_lock lock(index_mu_);
    for (auto& [p, frame] : pending_) {
      index_[p].push_back(frame);
      unsynced_pages_.push_back(p);
    }
  }
  ClearHashed(pending_);
  committed_frames_ = next_frame_;
  committed_checksum_ = running_checksum_;
  db_page_count_ = db_page_count;
  return Ok();
}

void Wal::Rollback() {
  write_used_ = 0;
  ClearHashed(pending_);
  next_frame_ = committed_frames_;
  running_checksum_ = committed_checksum_;
}

Status Wal::Sync() {
  SQLRITE_TRY(file_->Sync());
  MarkSynced();
  return Ok();
}

Wal::SyncPoint Wal::CaptureSync() const {
  return SyncPoint{generation(), committed_frames_, committed_checksum_, db_page_count_,
                   unsynced_pages_.size()};
}

void Wal::MarkSynced(const SyncPoint& point) {
  SQLRITE_ASSERT(point.generation == generation());  // no restart while a sync was in flight
  SQLRITE_ASSERT(point.frames >= synced_frames_ && point.frames <= committed_frames_);
  SQLRITE_ASSERT(point.unsynced_pages <= unsynced_pages_.size());
  unsynced_pages_.erase(
      unsynced_pages_.begin(),
      unsynced_pages_.begin() + static_cast<std::ptrdiff_t>(point.unsynced_pages));
  synced_frames_ = point.frames;
  synced_checksum_ = point.checksum;
  synced_db_page_count_ = point.db_page_count;
}

void Wal::DiscardUnsynced() {
  Rollback();
  {
    std::unique_lock lock(index_mu_);
    for (uint32_t p : unsynced_pages_) {
      auto it = index_.find(p);
      if (it == index_.end()) continue;  // already emptied (a page listed twice)
      std::vector<uint64_t>& f = it->second;
      while (!f.empty() && f.back() >= synced_frames_) f.pop_back();
      if (f.empty()) index_.erase(it);
    }
  }
  unsynced_pages_.clear();
  committed_frames_ = next_frame_ = synced_frames_;
  committed_checksum_ = running_checksum_ = synced_checksum_;
  db_page_count_ = synced_db_page_count_;
}

Status Wal::Checkpoint(File& db, uint64_t keep_bytes) {
  SQLRITE_TRY(Backfill(db, committed_frames_));
  return Restart(db, keep_bytes);
}

Status Wal::Backfill(File& db, uint64_t upto) {
  SQLRITE_ASSERT(!options_.read_only);
  SQLRITE_ASSERT(!has_pending());
  if (upto == backfilled_) return Ok();
  const BackfillPlan plan = PlanBackfill(upto);
  SQLRITE_TRY(CopyBackfill(plan, db));
  MarkBackfilled(upto);
  return Ok();
}

Wal::BackfillPlan Wal::PlanBackfill(uint64_t upto) const {
  SQLRITE_ASSERT(!options_.read_only);
  SQLRITE_ASSERT(backfilled_ <= upto && upto <= committed_frames_);
  BackfillPlan plan;
  plan.upto = upto;
  if (upto == backfilled_) return plan;
  // Page order makes the main-file writes sequential. Only the writer changes index_, so it
  // reads it without the lock.
  for (const auto& [page_id, frames] : index_) {
    if (page_id >= db_page_count_) continue;  // beyond the committed end of the database
    auto pos = std::lower_bound(frames.begin(), frames.end(), upto);
    if (pos == frames.begin()) continue;
    const uint64_t frame = *(pos - 1);
    if (frame < backfilled_) continue;  // copied by an earlier backfill
    plan.pages.emplace_back(page_id, frame);
  }
  std::sort(plan.pages.begin(), plan.pages.end());
  return plan;
}

Status Wal::CopyBackfill(const BackfillPlan& plan, File& db) const {
  const auto& pages = plan.pages;
  // A run of consecutive page ids goes to the main file in one write, and a run of them whose
  // frames are consecutive too comes from the log in one read: a checkpoint after a bulk load
  // copied ~30,000 pages with a pread and a pwrite each.
  constexpr size_t kRunPages = 64;
  std::vector<std::byte> run(kRunPages * kPageBytes);
  std::vector<std::byte> frames(kRunPages * kFrameSize);
  for (size_t i = 0; i < pages.size();) {
    const uint32_t first_page = pages[i].first;
    size_t n = 1;
    while (i + n < pages.size() && n < kRunPages && pages[i + n].first == first_page + n) ++n;
    for (size_t j = 0; j < n;) {
      size_t m = 1;  // frames consecutive in the log from pages[i + j] on
      while (j + m < n && pages[i + j + m].second == pages[i + j].second + m) ++m;
      if (m == 1) {
        SQLRITE_TRY(file_->ReadAt(kHeaderSize + pages[i + j].second * kFrameSize + kFrameHeaderSize,
                                  std::span<std::byte>(run.data() + j * kPageBytes, kPageBytes)));
      } else {
        SQLRITE_TRY(file_->ReadAt(kHeaderSize + pages[i + j].second * kFrameSize,
                                  std::span<std::byte>(frames.data(), m * kFrameSize)));
        for (size_t k = 0; k < m; ++k) {
          std::memcpy(run.data() + (j + k) * kPageBytes,
                      frames.data() + k * kFrameSize + kFrameHeaderSize, kPageBytes);
        }
      }
      j += m;
    }
    SQLRITE_TRY(db.WriteAt(uint64_t{first_page} * kPageBytes,
                           std::span<const std::byte>(run.data(), n * kPageBytes)));
    i += n;
  }
  // Synced even when the plan is empty: the caller records the plan's upto as backfilled.
  return db.Sync();
}

void Wal::MarkBackfilled(uint64_t upto) {
  SQLRITE_ASSERT(backfilled_ <= upto && upto <= committed_frames_);
  backfilled_ = upto;
}

Status Wal::Restart(File& db, uint64_t keep_bytes) {
  SQLRITE_ASSERT(!options_.read_only);
  SQLRITE_ASSERT(!has_pending());
  SQLRITE_ASSERT(backfilled_ == committed_frames_);
  SQLRITE_ASSIGN_OR_RETURN(uint64_t log_size, file_->Size());
  if (committed_frames_ == 0) {
    // Nothing to copy; only a log longer than wanted (left by an earlier checkpoint) shrinks.
    if (log_size <= std::max<uint64_t>(keep_bytes, kHeaderSize)) return Ok();
  } else {
    SQLRITE_ASSIGN_OR_RETURN(uint64_t db_size, db.Size());
    uint64_t want = uint64_t{db_page_count_} * kPageBytes;
    if (db_size > want) {
      SQLRITE_TRY(db.Truncate(want));
      SQLRITE_TRY(db.Sync());
    }
  }
  // The main file now holds everything: readers must not look in the log again, even if
  // resetting it below fails (the pager is then poisoned but still reads the main file). The
  // generation moves first, so a reader that read a frame of this generation sees the change.
  generation_.fetch_add(1, std::memory_order_acq_rel);
  Forget();
  // The new header (a new salt, synced) goes first; only then may the log shrink. Cutting the
  // old generation's frames while its header is still the durable one would leave a valid but
  // shorter log: recovery would replay an older commit's pages over the newer main file (a
  // power loss after the cut reached the disk and before the new header did lost acknowledged
  // commits). Replaying the whole old log is harmless: its newest frames are what the main file
  // now holds. Once the new header is durable the frames past it are stale whatever their
  // length, so the cut need not be synced (the next commit's sync carries it).
  SQLRITE_TRY(StartGeneration());
  const uint64_t keep = std::max<uint64_t>(keep_bytes, kHeaderSize);
  if (log_size > keep) {
    SQLRITE_TRY(file_->Truncate(keep));
    file_size_ = keep;
  }
  return Ok();
}

}  // namespace sqlrite::storage
