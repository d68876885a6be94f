#pragma once
// SharedPageCache: committed page images shared by every ReadSnapshot of a pager, safe for
// concurrent use.
//
// An image is keyed by its version: (page, log generation, log frame) for a page read from the
// write-ahead log, (page, generation, kMainFile) for a page read from the main file. A version's
// bytes never change (a log frame is immutable within its generation; the main file's copy of a
// page is never rewritten while a reader of that generation may read it from the main file,
// see pager.h), so one image serves every snapshot that resolves the page to that version.
// Entries of older generations are never looked up again and age out.
//
// Locking: 16 shards by key hash, each a mutex around a hash map and a clock. A hit is one shard
// lock, one hash lookup and an atomic pin increment (no allocation); an unpin is one atomic
// decrement without a lock. Pins are taken only under the shard lock and an entry is evicted
// only under it with zero pins, so an evicted entry is never pinned.
//
// Loads happen outside the lock: Reserve() hands out a pinned, unkeyed buffer; the caller fills
// and checks it, then Publish() keys it (or, when another thread published the same version
// first, returns that one and recycles the buffer) or Abandon() returns it.
//
// Bound: capacity_bytes / kPageSize entries in all; pinned entries are never evicted, so the
// cache grows past its bound while all are pinned and shrinks back as entries are reused.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "storage/page_source.h"

namespace sqlrite::storage {

class SharedPageCache final : public PinOwner {
 public:
  static constexpr uint64_t kMainFile = ~uint64_t{0};
  struct Key {
    PageId page = kInvalidPage;
    uint64_t generation = 0;
    uint64_t frame = kMainFile;
    bool operator==(const Key&) const = default;
  };

  explicit SharedPageCache(size_t capacity_bytes);
  ~SharedPageCache();
  SharedPageCache(const SharedPageCache&) = delete;
  SharedPageCache& operator=(const SharedPageCache&) = delete;

  // The pinned image of key, or an empty PageRef.
  PageRef Lookup(const Key& key);
  // A pinned buffer for loading key's page (its bytes are undefined). Pass it to exactly one of
  // Publish or Abandon.
  uint8_t* Reserve(const Key& key);
  // Keys the buffer Reserve returned; returns the pinned image (the buffer's, or one another
  // thread published first).
  PageRef Publish(const Key& key, uint8_t* buffer);
  void Abandon(const Key& key, uint8_t* buffer);

  size_t resident() const;  // entries holding a page (for tests and stats)
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

  void Unpin(uintptr_t token) override;
  bool Verified(uintptr_t token) const override;
  void SetVerified(uintptr_t token) override;

 private:
  struct Entry;
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct Shard;
  static constexpr size_t kShards = 16;
  Shard& ShardOf(const Key& key);
  // The entry a Load handed out `buffer` for, no longer loading. REQUIRES: s.mu held.
  static Entry* TakeLoading(Shard& s, uint8_t* buffer);

  std::array<std::unique_ptr<Shard>, kShards> shards_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace sqlrite::storage
