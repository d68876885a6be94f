#pragma once
// ClearHashed: empties a std::unordered_map or std::unordered_set kept for the life of a pager
// or log and cleared per transaction, and gives back its bucket array once a big transaction
// has grown it.
//
// Why: libstdc++'s clear() zeroes every bucket, whatever the size, and a hash table never
// shrinks its bucket array. One transaction that touched a million pages (pgbench -i's COPY)
// left the log's pending-frame index with millions of buckets, and every later commit and
// rollback (five per pgbench transaction: the point writers' trials roll back) zeroed them all:
// 90% of the server's instructions in a read-write run, a third of its throughput. Cost: a
// transaction past kKeptBuckets allocates its bucket array afresh.

#include <cstddef>

namespace sqlrite::storage {

// Above this many buckets, a cleared table starts again from an empty one.
inline constexpr size_t kKeptBuckets = 1024;

template <typename Hashed>
void ClearHashed(Hashed& table) {
  if (table.bucket_count() > kKeptBuckets) {
    Hashed().swap(table);
  } else if (!table.empty()) {
    table.clear();
  }
}

}  // namespace sqlrite::storage
