#include "storage/clear_hashed.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

namespace sqlrite::storage {
namespace {

// A big transaction's index must not stay behind: clear() alone keeps every bucket, and zeroes
// them all at each later clear.
TEST(ClearHashedTest, BigTableGivesItsBucketsBack) {
  std::unordered_map<uint32_t, uint64_t> pending;
  for (uint32_t page = 0; page < 100000; ++page) pending[page] = page;
  ASSERT_GT(pending.bucket_count(), kKeptBuckets);
  ClearHashed(pending);
  EXPECT_TRUE(pending.empty());
  EXPECT_LE(pending.bucket_count(), kKeptBuckets);
  pending[7] = 1;  // still usable
  EXPECT_EQ(pending.at(7), 1u);
}

TEST(ClearHashedTest, SmallTableKeepsItsBuckets) {
  std::unordered_set<uint32_t> spilled;
  spilled.reserve(200);
  for (uint32_t page = 0; page < 50; ++page) spilled.insert(page);
  const size_t buckets = spilled.bucket_count();
  ASSERT_LE(buckets, kKeptBuckets);
  ClearHashed(spilled);
  EXPECT_TRUE(spilled.empty());
  EXPECT_EQ(spilled.bucket_count(), buckets);
  ClearHashed(spilled);  // empty: nothing to do
  EXPECT_TRUE(spilled.empty());
}

}  // namespace
}  // namespace sqlrite::storage
