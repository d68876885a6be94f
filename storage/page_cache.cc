#include "storage/page_cache.h"

#include <algorithm>

#include "common/assert.h"

namespace sqlrite::storage {

struct SharedPageCache::Entry {
  Key key;
  bool keyed = false;       // in the shard's map (else reserved or free); under the shard lock
  bool referenced = false;  // clock bit; under the shard lock
  std::atomic<uint32_t> pins{0};
  std::atomic<bool> verified{false};
  std::unique_ptr<uint8_t[]> data;
};

struct SharedPageCache::Shard {
  std::mutex mu;
  size_t capacity = 0;
  std::unordered_map<Key, Entry*, KeyHash> map;
  std::vector<std::unique_ptr<Entry>> entries;
  std::unordered_map<const uint8_t*, Entry*> by_buffer;  // reserved entries
  std::vector<Entry*> free;
  size_t hand = 0;
};

size_t SharedPageCache::KeyHash::operator()(const Key& k) const {
  uint64_t h = (uint64_t{k.page} * 0x9e3779b97f4a7c15ULL) ^ (k.frame * 0xc2b2ae3d27d4eb4fULL) ^
               (k.generation * 0x165667b19e3779f9ULL);
  h ^= h >> 29;
  return static_cast<size_t>(h);
}

SharedPageCache::SharedPageCache(size_t capacity_bytes) {
  const size_t per_shard = std::max<size_t>(4, capacity_bytes / kPageSize / kShards);
  for (auto& s : shards_) {
    s = std::make_unique<Shard>();
    s->capacity = per_shard;
  }
}

SharedPageCache::~SharedPageCache() {
  for (auto& s : shards_) {
    for (auto& e : s->entries) SQLRITE_ASSERT(e->pins.load() == 0);
  }
}

SharedPageCache::Shard& SharedPageCache::ShardOf(const Key& key) {
  return *shards_[(KeyHash{}(key) >> 7) % kShards];
}

PageRef SharedPageCache::Lookup(const Key& key) {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key);
  if (it == s.map.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return PageRef();
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  Entry* e = it->second;
  e->pins.fetch_add(1, std::memory_order_relaxed);
  e->referenced = true;
  return PageRef(this, reinterpret_cast<uintptr_t>(e), key.page, e->data.get());
}

uint8_t* SharedPageCache::Reserve(const Key& key) {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  Entry* e = nullptr;
  if (!s.free.empty()) {
    e = s.free.back();
    s.free.pop_back();
  } else if (s.entries.size() >= s.capacity) {
    // The clock: a keyed, unpinned entry whose bit is clear (two sweeps at most).
    const size_t n = s.entries.size();
    for (size_t step = 0; step < 2 * n; ++step) {
      Entry* c = s.entries[s.hand].get();
      s.hand = (s.hand + 1) % n;
      if (!c->keyed || c->pins.load(std::memory_order_acquire) != 0) continue;
      if (c->referenced) {
        c->referenced = false;
        continue;
      }
      s.map.erase(c->key);
      c->keyed = false;
      e = c;
      break;
    }
  }
  if (e == nullptr) {  // under the bound, or every entry pinned: grow
    s.entries.push_back(std::make_unique<Entry>());
    e = s.entries.back().get();
    e->data = std::make_unique_for_overwrite<uint8_t[]>(kPageSize);
  }
  e->key = key;
  e->verified.store(false, std::memory_order_relaxed);
  e->referenced = true;
  e->pins.store(1, std::memory_order_relaxed);
  s.by_buffer[e->data.get()] = e;
  return e->data.get();
}

SharedPageCache::Entry* SharedPageCache::TakeLoading(Shard& s, uint8_t* buffer) {
  auto b = s.by_buffer.find(buffer);
  SQLRITE_ASSERT(b != s.by_buffer.end());
  Entry* e = b->second;
  s.by_buffer.erase(b);
  return e;
}

PageRef SharedPageCache::Publish(const Key& key, uint8_t* buffer) {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  Entry* e = TakeLoading(s, buffer);
  auto [it, inserted] = s.map.try_emplace(key, e);
  if (!inserted) {
    // Another reader loaded the same version first: use its image.
    e->pins.store(0, std::memory_order_relaxed);
    s.free.push_back(e);
    e = it->second;
    e->pins.fetch_add(1, std::memory_order_relaxed);
  } else {
    e->keyed = true;
  }
  e->referenced = true;
  return PageRef(this, reinterpret_cast<uintptr_t>(e), key.page, e->data.get());
}

void SharedPageCache::Abandon(const Key& key, uint8_t* buffer) {
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  Entry* e = TakeLoading(s, buffer);
  e->pins.store(0, std::memory_order_relaxed);
  s.free.push_back(e);
}

size_t SharedPageCache::resident() const {
  size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s->mu);
    n += s->map.size();
  }
  return n;
}

void SharedPageCache::Unpin(uintptr_t token) {
  Entry* e = reinterpret_cast<Entry*>(token);
  uint32_t before = e->pins.fetch_sub(1, std::memory_order_release);
  SQLRITE_ASSERT(before > 0);
}

bool SharedPageCache::Verified(uintptr_t token) const {
  return reinterpret_cast<const Entry*>(token)->verified.load(std::memory_order_acquire);
}

void SharedPageCache::SetVerified(uintptr_t token) {
  reinterpret_cast<Entry*>(token)->verified.store(true, std::memory_order_release);
}

}  // namespace sqlrite::storage
