#include "storage/pager.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "common/bytes.h"
#include "storage/btree.h"
#include "storage/fault_injection.h"

namespace sqlrite::storage {
namespace {

std::unique_ptr<Pager> OpenOn(FaultInjector& disk, size_t cache_bytes = 64u << 20) {
  auto pager = Pager::Open(disk.Open("db"), Pager::Options{cache_bytes});
  EXPECT_TRUE(pager) << pager.error().message;
  return std::move(*pager);
}

PageId AllocateFilled(Pager& pager, uint8_t fill) {
  auto ref = pager.Allocate();
  EXPECT_TRUE(ref);
  std::memset(ref->mutable_data(), fill, kPageSize);
  return ref->id();
}

uint8_t FirstByte(Pager& pager, PageId id) {
  auto ref = pager.Get(id);
  EXPECT_TRUE(ref) << ref.error().message;
  return ref ? ref->data()[0] : 0;
}

TEST(PagerTest, EmptyFileGetsAHeader) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  EXPECT_EQ(pager->page_count(), 1u);
  EXPECT_EQ(pager->free_page_count(), 0u);
  EXPECT_FALSE(pager->in_transaction());
  std::vector<std::byte> header(kPageSize);
  ASSERT_TRUE(disk.Open("db")->ReadAt(0, header));
  EXPECT_EQ(std::memcmp(header.data(), "SQLRite", 8), 0);
}

TEST(PagerTest, ReopenSeesCommittedData) {
  FaultInjector disk;
  PageId a, b;
  {
    auto pager = OpenOn(disk);
    a = AllocateFilled(*pager, 0xab);
    b = AllocateFilled(*pager, 0xcd);
    ASSERT_TRUE(pager->Commit());
    AllocateFilled(*pager, 0xee);  // never committed
  }
  auto pager = OpenOn(disk);
  EXPECT_EQ(pager->page_count(), 3u);
  EXPECT_EQ(FirstByte(*pager, a), 0xab);
  EXPECT_EQ(FirstByte(*pager, b), 0xcd);
}

TEST(PagerTest, RollbackRestoresCommittedImagesAndHeader) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  PageId a = AllocateFilled(*pager, 1);
  pager->SetMeta(MetaSlot::kUser3, 7);
  ASSERT_TRUE(pager->Commit());

  {
    auto ref = pager->GetMutable(a);
    ASSERT_TRUE(ref);
    ref->mutable_data()[0] = 2;
  }
  PageId added = AllocateFilled(*pager, 3);
  pager->SetMeta(MetaSlot::kUser3, 8);
  EXPECT_TRUE(pager->in_transaction());
  pager->Rollback();

  EXPECT_FALSE(pager->in_transaction());
  EXPECT_EQ(FirstByte(*pager, a), 1);
  EXPECT_EQ(pager->GetMeta(MetaSlot::kUser3), 7u);
  EXPECT_EQ(pager->page_count(), added);
  EXPECT_FALSE(pager->Get(added));
}

TEST(PagerTest, AllocationReusesFreedPages) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  PageId a = AllocateFilled(*pager, 1);
  PageId b = AllocateFilled(*pager, 2);
  AllocateFilled(*pager, 3);
  ASSERT_TRUE(pager->Commit());
  ASSERT_TRUE(pager->Free(a));
  ASSERT_TRUE(pager->Free(b));
  EXPECT_EQ(pager->free_page_count(), 2u);
  ASSERT_TRUE(pager->Commit());

  uint32_t pages = pager->page_count();
  std::set<PageId> reused;
  for (int i = 0; i < 2; ++i) {
    auto ref = pager->Allocate();
    ASSERT_TRUE(ref);
    for (uint32_t j = 0; j < kPageSize; ++j) ASSERT_EQ(ref->data()[j], 0) << "page not zeroed";
    reused.insert(ref->id());
  }
  EXPECT_EQ(reused, (std::set<PageId>{a, b}));
  EXPECT_EQ(pager->page_count(), pages);
  EXPECT_EQ(pager->free_page_count(), 0u);
  auto grown = pager->Allocate();
  ASSERT_TRUE(grown);
  EXPECT_EQ(grown->id(), pages);
}

TEST(PagerTest, FreeListSurvivesReopen) {
  FaultInjector disk;
  PageId a;
  {
    auto pager = OpenOn(disk);
    a = AllocateFilled(*pager, 1);
    AllocateFilled(*pager, 2);
    ASSERT_TRUE(pager->Commit());
    ASSERT_TRUE(pager->Free(a));
    ASSERT_TRUE(pager->Commit());
  }
  auto pager = OpenOn(disk);
  EXPECT_EQ(pager->free_page_count(), 1u);
  auto ref = pager->Allocate();
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->id(), a);
}

TEST(PagerTest, HeaderMetaSlotsRoundTrip) {
  FaultInjector disk;
  {
    auto pager = OpenOn(disk);
    for (uint32_t s = 0; s < 8; ++s) pager->SetMeta(static_cast<MetaSlot>(s), 100 + s);
    EXPECT_TRUE(pager->in_transaction());
    ASSERT_TRUE(pager->Commit());
    EXPECT_EQ(pager->stats().pages_written, 1u);  // the header alone
  }
  auto pager = OpenOn(disk);
  for (uint32_t s = 0; s < 8; ++s) EXPECT_EQ(pager->GetMeta(static_cast<MetaSlot>(s)), 100 + s);
}

TEST(PagerTest, GarbageFileIsRejected) {
  FaultInjector disk;
  std::string garbage(kPageSize, 'x');
  ASSERT_TRUE(disk.Open("db")->WriteAt(0, std::as_bytes(std::span(garbage))));
  auto pager = Pager::Open(disk.Open("db"));
  ASSERT_FALSE(pager);
  EXPECT_EQ(pager.error().sqlstate, sqlstate::kDataCorrupted);
  EXPECT_NE(pager.error().message.find("not a SQLRite database"), std::string::npos);
}

TEST(PagerTest, ShortFileIsRejected) {
  FaultInjector disk;
  std::string prefix = "SQL";
  ASSERT_TRUE(disk.Open("db")->WriteAt(0, std::as_bytes(std::span(prefix))));
  auto pager = Pager::Open(disk.Open("db"));
  ASSERT_FALSE(pager);
  EXPECT_EQ(pager.error().sqlstate, sqlstate::kDataCorrupted);
}

TEST(PagerTest, TinyCacheEvictsAndStillReturnsCorrectData) {
  FaultInjector disk;
  auto pager = OpenOn(disk, /*cache_bytes=*/8 * kPageSize);
  constexpr int kPages = 200;
  for (int i = 0; i < kPages; ++i) AllocateFilled(*pager, static_cast<uint8_t>(i));
  ASSERT_TRUE(pager->Commit());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kPages; ++i) {
      ASSERT_EQ(FirstByte(*pager, static_cast<PageId>(i + 1)), static_cast<uint8_t>(i));
    }
  }
  EXPECT_GT(pager->stats().cache_misses, static_cast<uint64_t>(2 * kPages));
}

TEST(PagerTest, CommitSkipsPagesWrittenWithTheirOldBytes) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  PageId a = AllocateFilled(*pager, 5);
  ASSERT_TRUE(pager->Commit());
  uint64_t written = pager->stats().pages_written;
  {
    auto ref = pager->GetMutable(a);
    ASSERT_TRUE(ref);
    ref->mutable_data()[0] = 6;
    ref->mutable_data()[0] = 5;
  }
  ASSERT_TRUE(pager->Commit());
  EXPECT_EQ(pager->stats().pages_written, written);
  EXPECT_EQ(pager->stats().pages_compared, 2u);
}

TEST(PagerTest, FailedSyncIsReportedAsIoError) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  AllocateFilled(*pager, 1);
  disk.FailSync(1, EIO);
  auto status = pager->Commit();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().sqlstate, sqlstate::kIoError);
  pager->Rollback();
  EXPECT_FALSE(pager->in_transaction());
}

TEST(PagerTest, FullDiskAtCommitIsReportedAsDiskFull) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  AllocateFilled(*pager, 1);
  disk.FailWrite(1, ENOSPC);
  auto status = pager->Commit();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().sqlstate, sqlstate::kDiskFull);
  EXPECT_TRUE(pager->in_transaction());
  ASSERT_TRUE(pager->Commit());  // the space came back: the same transaction commits
  EXPECT_EQ(OpenOn(disk)->page_count(), 2u);
}

TEST(PagerTest, PageOutsideTheFileIsReportedAsCorruption) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  auto ref = pager->Get(5);
  ASSERT_FALSE(ref);
  EXPECT_EQ(ref.error().sqlstate, sqlstate::kDataCorrupted);
}

TEST(PagerTest, CommitWritesOnlyChangedPages) {
  FaultInjector disk;
  auto pager = OpenOn(disk);
  auto root = BTree::Create(*pager);
  ASSERT_TRUE(root);
  BTree tree(*pager, *root);
  std::string key(8, '\0');
  for (uint64_t i = 0; i < 10000; ++i) {
    StoreBE64(key.data(), i);
    ASSERT_TRUE(tree.Insert(key, std::string(100, static_cast<char>('a' + i % 26))));
  }
  ASSERT_TRUE(pager->Commit());
  EXPECT_GT(pager->page_count(), 200u);

  uint64_t before = pager->stats().pages_written;
  StoreBE64(key.data(), 4321);
  ASSERT_TRUE(tree.Insert(key, std::string(100, 'Z'), /*overwrite=*/true));
  ASSERT_TRUE(pager->Commit());
  uint64_t written = pager->stats().pages_written - before;
  EXPECT_GE(written, 1u);
  EXPECT_LE(written, 3u);

  auto value = tree.Get(key);
  ASSERT_TRUE(value && *value);
  EXPECT_EQ(**value, std::string(100, 'Z'));
}

TEST(PagerTest, PosixFileDatabaseSurvivesReopen) {
  auto path = std::filesystem::temp_directory_path() /
              ("sqlrite_pager_test_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  PageId a;
  {
    auto pager = Pager::Open(*OpenPosixFile(path.string()));
    ASSERT_TRUE(pager);
    a = AllocateFilled(**pager, 0x42);
    ASSERT_TRUE((*pager)->Commit());
  }
  {
    auto pager = Pager::Open(*OpenPosixFile(path.string()));
    ASSERT_TRUE(pager);
    EXPECT_EQ(FirstByte(**pager, a), 0x42);
  }
  EXPECT_EQ(std::filesystem::file_size(path), 2u * kPageSize);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace sqlrite::storage
