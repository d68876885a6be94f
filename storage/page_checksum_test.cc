#include "storage/page_checksum.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/sqlstate.h"
#include "storage/btree.h"
#include "storage/btree_node.h"
#include "storage/fault_injection.h"
#include "storage/integrity_check.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::storage::page_checksum_test {
namespace {

std::string IntKey(uint64_t v) {
  std::string key(8, '\0');
  StoreBE64(key.data(), v);
  return key;
}

std::unique_ptr<Pager> OpenOn(FaultInjector& disk) {
  auto pager = Pager::Open(disk.Open("db"));
  EXPECT_TRUE(pager) << pager.error().message;
  return pager ? std::move(*pager) : nullptr;
}

// Changes one byte of page id in the file, leaving its checksum as it was.
void FlipByte(FaultInjector& disk, PageId id, uint32_t offset) {
  auto file = disk.Open("db");
  std::array<std::byte, 1> b;
  ASSERT_TRUE(file->ReadAt(uint64_t{id} * kPageSize + offset, b));
  b[0] ^= std::byte{0x10};
  ASSERT_TRUE(file->WriteAt(uint64_t{id} * kPageSize + offset, b));
}

template <typename T>
void ExpectChecksumError(const T& result, PageId id) {
  ASSERT_FALSE(result) << "page " << id << " was served damaged";
  EXPECT_EQ(result.error().sqlstate, sqlstate::kDataCorrupted);
  EXPECT_NE(result.error().message.find("page " + std::to_string(id)), std::string::npos)
      << result.error().message;
}

TEST(PageChecksumTest, DependsOnEveryByteAndOnThePageId) {
  std::vector<uint8_t> page(kPageSize, 0);
  for (uint32_t i = 0; i < kUsablePageSize; ++i) page[i] = static_cast<uint8_t>(i * 7);
  const uint64_t base = PageChecksum(5, page.data());
  EXPECT_NE(PageChecksum(6, page.data()), base);
  for (uint32_t i = 0; i < kUsablePageSize; ++i) {
    page[i] ^= 1;
    ASSERT_NE(PageChecksum(5, page.data()), base) << "byte " << i;
    page[i] ^= 1;
  }
  page[kUsablePageSize] = 0xab;  // the checksum's own bytes are not covered
  EXPECT_EQ(PageChecksum(5, page.data()), base);
  SealPage(5, page.data());
  EXPECT_TRUE(PageSealed(5, page.data()));
  EXPECT_FALSE(PageSealed(4, page.data()));
  std::vector<uint8_t> zero(kPageSize, 0);
  for (PageId id : {0u, 1u, 2u, 1000u}) EXPECT_FALSE(PageSealed(id, zero.data())) << id;
}

// A table with interior and leaf pages, an overflow chain and free pages; one byte flipped in
// a page of each kind (and in the header) is an XX001 naming the page on read, and a finding of
// CheckIntegrity.
TEST(PageChecksumTest, FlippedByteInAnyKindOfPageIsDamage) {
  enum Kind { kHeader, kInterior, kLeaf, kOverflow, kFree };
  for (Kind kind : {kHeader, kInterior, kLeaf, kOverflow, kFree}) {
    for (uint32_t offset : {0u, 9u, 2000u, kUsablePageSize - 1, kPageSize - 1}) {
      SCOPED_TRACE("kind " + std::to_string(kind) + " offset " + std::to_string(offset));
      FaultInjector disk;
      PageId root;
      PageId target = kInvalidPage;
      std::string key_on_target;
      {
        auto pager = OpenOn(disk);
        root = *BTree::Create(*pager);
        BTree tree(*pager, root);
        for (int i = 0; i < 1000; ++i) ASSERT_TRUE(tree.Insert(IntKey(i), std::string(40, 'v')));
        ASSERT_TRUE(tree.Insert(IntKey(5000), std::string(3 * kOverflowCapacity, 'o')));
        BTree spare(*pager, *BTree::Create(*pager));
        ASSERT_TRUE(spare.Drop());
        ASSERT_TRUE(pager->Commit());
        Node top(const_cast<uint8_t*>(pager->Get(root)->data()));
        ASSERT_FALSE(top.is_leaf());
        const PageId first_leaf = top.ChildAt(0);
        const PageId last_leaf = top.link();  // holds key 5000
        Node last(const_cast<uint8_t*>(pager->Get(last_leaf)->data()));
        bool found = false;
        const uint8_t* cell = last.cell(last.LowerBound(IntKey(5000), &found));
        ASSERT_TRUE(found);
        const PageId overflow =
            LoadLE<uint32_t>(cell + kLeafCellHeader + 8 + LocalValueSize(8, 3 * kOverflowCapacity));
        switch (kind) {
          case kHeader:
            target = 0;
            break;
          case kInterior:
            target = root;
            key_on_target = IntKey(3);
            break;
          case kLeaf:
            target = first_leaf;
            key_on_target = IntKey(3);
            break;
          case kOverflow:
            target = overflow;
            key_on_target = IntKey(5000);
            break;
          case kFree:
            target = pager->free_list_head();
            break;
        }
        ASSERT_NE(target == 0, kind != kHeader);
      }
      FlipByte(disk, target, offset);
      auto pager = Pager::Open(disk.Open("db"));
      if (kind == kHeader) {
        // The magic and version bytes are checked first, with their own messages.
        ASSERT_FALSE(pager);
        EXPECT_EQ(pager.error().sqlstate, sqlstate::kDataCorrupted);
        if (offset > 12) ExpectChecksumError(pager, 0);
        continue;
      }
      ASSERT_TRUE(pager) << pager.error().message;
      const PageId roots[] = {root};
      ExpectChecksumError(CheckIntegrity(**pager, roots), target);
      if (kind == kFree) {
        ExpectChecksumError((*pager)->Allocate(), target);
      } else {
        ExpectChecksumError(BTree(**pager, root).Get(key_on_target), target);
      }
    }
  }
}

TEST(PageChecksumTest, ZeroedOrMisplacedPageInsideTheFileIsDamage) {
  FaultInjector disk;
  {
    auto pager = OpenOn(disk);
    for (int i = 0; i < 3; ++i) {
      auto ref = pager->Allocate();
      ASSERT_TRUE(ref);
      std::memset(ref->mutable_data(), 'a' + i, kUsablePageSize);
    }
    ASSERT_TRUE(pager->Commit());
  }
  {
    auto file = disk.Open("db");
    std::vector<std::byte> page(kPageSize);
    ASSERT_TRUE(file->ReadAt(1 * kPageSize, page));
    ASSERT_TRUE(file->WriteAt(3 * kPageSize, page));  // page 1's bytes, sealed, at page 3
    std::fill(page.begin(), page.end(), std::byte{0});
    ASSERT_TRUE(file->WriteAt(2 * kPageSize, page));  // a hole
  }
  auto pager = OpenOn(disk);
  EXPECT_TRUE(pager->Get(1));
  ExpectChecksumError(pager->Get(2), 2);
  ExpectChecksumError(pager->Get(3), 3);
}

TEST(PageChecksumTest, PagesReadInWalModeAreVerifiedToo) {
  FaultInjector disk;
  PageId id;
  {
    auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), Pager::Options{});
    ASSERT_TRUE(pager);
    auto ref = (*pager)->Allocate();
    ASSERT_TRUE(ref);
    id = ref->id();
    std::memset(ref->mutable_data(), 'w', kUsablePageSize);
    ref = PageRef();
    ASSERT_TRUE((*pager)->Commit());
    ASSERT_TRUE((*pager)->Close());  // checkpoints into the main file
  }
  FlipByte(disk, id, 17);
  auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), Pager::Options{});
  ASSERT_TRUE(pager);
  ExpectChecksumError((*pager)->Get(id), id);
}

// Not a pass/fail test: prints what a checksum costs, for docs/decisions.md.
TEST(PageChecksumTest, CostPerPage) {
  std::vector<uint8_t> page(kPageSize);
  for (uint32_t i = 0; i < kPageSize; ++i) page[i] = static_cast<uint8_t>(i * 31 + 7);
  constexpr int kRounds = 20000;
  uint64_t sink = 0;
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < kRounds; ++r) {
    page[r % kUsablePageSize] ^= static_cast<uint8_t>(sink);
    sink += PageChecksum(static_cast<PageId>(r), page.data());
  }
  double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
      kRounds;
  std::printf("page checksum: %.0f ns per 4 KiB page (%.1f GB/s)\n", ns, kPageSize / ns);
  EXPECT_NE(sink, 0u);
}

}  // namespace
}  // namespace sqlrite::storage::page_checksum_test
