// The pager's file identity (header offsets 60..95), its explicit create flag, read-only opens
// and the log's tie to its file.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "storage/fault_injection.h"
#include "storage/pager.h"
#include "storage/wal.h"

namespace sqlrite::storage {
namespace {

FileIdentity DatabaseIdentity(uint32_t oid, uint8_t cluster_byte, uint64_t file_id) {
  FileIdentity id;
  id.kind = FileKind::kDatabase;
  id.cluster.fill(cluster_byte);
  id.oid = oid;
  id.file_id = file_id;
  return id;
}

std::vector<uint8_t> Contents(FaultInjector& disk, const std::string& name) {
  auto file = disk.Open(name);
  std::vector<uint8_t> bytes(*file->Size());
  EXPECT_TRUE(file->ReadAt(0, std::as_writable_bytes(std::span(bytes))));
  return bytes;
}

// Creates `name` (+ ".wal") with identity and `pages` committed pages filled with `fill`; the
// pager is returned open, so its commits are still in the log.
std::unique_ptr<Pager> CreateWithPages(FaultInjector& disk, const std::string& name,
                                       const FileIdentity& identity, int pages, uint8_t fill) {
  Pager::Options options;
  options.create = true;
  options.identity = identity;
  auto pager = Pager::Open(disk.Open(name), disk.Open(name + ".wal"), options);
  EXPECT_TRUE(pager) << pager.error().message;
  for (int i = 0; i < pages; ++i) {
    auto ref = (*pager)->Allocate();
    EXPECT_TRUE(ref);
    std::memset(ref->mutable_data(), fill, 64);
  }
  (*pager)->SetMeta(MetaSlot::kUser3, 77);
  EXPECT_TRUE((*pager)->Commit());
  return std::move(*pager);
}

TEST(PagerIdentityTest, EmptyFileIsAnErrorWithoutCreate) {
  FaultInjector disk;
  Pager::Options options;
  options.create = false;
  auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
  ASSERT_FALSE(pager);
  EXPECT_EQ(pager.error().sqlstate, sqlstate::kDataCorrupted);
  EXPECT_NE(pager.error().message.find("empty"), std::string::npos) << pager.error().message;
  EXPECT_EQ(*disk.Open("db")->Size(), 0u);  // nothing was written
}

TEST(PagerIdentityTest, IdentityIsWrittenAtCreationAndCheckedOnOpen) {
  FaultInjector disk;
  const FileIdentity id = DatabaseIdentity(16384, 0xab, 42);
  CreateWithPages(disk, "db", id, 2, 1)->Close();
  Pager::Options options;
  options.create = false;
  options.expect = id;
  {
    auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
    ASSERT_TRUE(pager) << pager.error().message;
    EXPECT_EQ((*pager)->identity(), id);
    EXPECT_EQ((*pager)->GetMeta(MetaSlot::kUser3), 77u);
  }
  struct Case {
    FileIdentity expect;
    const char* words;
  } cases[] = {
      {DatabaseIdentity(16385, 0xab, 42), "belongs to database OID 16384, not 16385"},
      {DatabaseIdentity(16384, 0xcd, 42), "another cluster"},
      {DatabaseIdentity(16384, 0xab, 43), "file id"},
  };
  for (const Case& c : cases) {
    options.expect = c.expect;
    const auto before = Contents(disk, "db");
    auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
    ASSERT_FALSE(pager);
    EXPECT_EQ(pager.error().sqlstate, sqlstate::kDataCorrupted);
    EXPECT_NE(pager.error().message.find(c.words), std::string::npos) << pager.error().message;
    EXPECT_EQ(Contents(disk, "db"), before);
  }
  options.expect = id;
  options.expect->kind = FileKind::kGlobal;
  auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
  ASSERT_FALSE(pager);
  EXPECT_NE(pager.error().message.find("it is a database file, not a global catalog file"),
            std::string::npos)
      << pager.error().message;
}

TEST(PagerIdentityTest, OlderFormatVersionIsRefusedAndLeftAlone) {
  FaultInjector disk;
  CreateWithPages(disk, "db", DatabaseIdentity(16384, 1, 1), 1, 1)->Close();
  uint8_t version[4];
  StoreLE<uint32_t>(version, 1);
  ASSERT_TRUE(disk.Open("db")->WriteAt(8, std::as_bytes(std::span(version))));
  const auto before = Contents(disk, "db");
  auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), Pager::Options{});
  ASSERT_FALSE(pager);
  EXPECT_NE(pager.error().message.find("created by an incompatible format version (1)"),
            std::string::npos)
      << pager.error().message;
  EXPECT_EQ(Contents(disk, "db"), before);
}

TEST(PagerIdentityTest, TruncatedFileIsRefused) {
  FaultInjector disk;
  CreateWithPages(disk, "db", DatabaseIdentity(16384, 1, 1), 6, 1)->Close();
  ASSERT_EQ(*disk.Open("db")->Size(), 7u * kPageSize);
  ASSERT_TRUE(disk.Open("db")->Truncate(3 * kPageSize));
  Pager::Options options;
  options.create = false;
  auto pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
  ASSERT_FALSE(pager);
  EXPECT_NE(pager.error().message.find("truncated"), std::string::npos) << pager.error().message;
  // Shorter than its header page: without create it is never re-initialised.
  ASSERT_TRUE(disk.Open("db")->Truncate(100));
  pager = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
  ASSERT_FALSE(pager);
  EXPECT_NE(pager.error().message.find("shorter than its header page"), std::string::npos);
  EXPECT_EQ(*disk.Open("db")->Size(), 100u);
}

TEST(PagerIdentityTest, ReadOnlyOpenServesTheLogAndWritesNothing) {
  FaultInjector disk;
  auto writer = CreateWithPages(disk, "db", DatabaseIdentity(16384, 1, 9), 5, 0x5a);
  // The commits live only in the log: the main file is the header written at creation.
  ASSERT_EQ(*disk.Open("db")->Size(), kPageSize);
  const auto db_before = Contents(disk, "db");
  const auto wal_before = Contents(disk, "db.wal");
  Pager::Options options;
  options.create = false;
  options.read_only = true;
  auto reader = Pager::Open(disk.Open("db"), disk.Open("db.wal"), options);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->page_count(), 6u);
  EXPECT_EQ((*reader)->GetMeta(MetaSlot::kUser3), 77u);
  for (PageId p = 1; p < 6; ++p) {
    auto ref = (*reader)->Get(p);
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->data()[0], 0x5a);
  }
  auto write = (*reader)->GetMutable(1);
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().sqlstate, sqlstate::kReadOnlySqlTransaction);
  EXPECT_FALSE((*reader)->Allocate());
  EXPECT_TRUE((*reader)->Checkpoint());
  EXPECT_TRUE((*reader)->Close());
  EXPECT_EQ(Contents(disk, "db"), db_before);
  EXPECT_EQ(Contents(disk, "db.wal"), wal_before);
}

TEST(PagerIdentityTest, LogOfAnotherFileIsRefusedBeforeRecovery) {
  FaultInjector disk;
  auto a = CreateWithPages(disk, "a", DatabaseIdentity(16384, 1, 100), 2, 0xaa);
  auto b = CreateWithPages(disk, "b", DatabaseIdentity(16385, 1, 200), 2, 0xbb);
  const auto a_before = Contents(disk, "a");
  const auto b_wal_before = Contents(disk, "b.wal");
  auto pager = Pager::Open(disk.Open("a"), disk.Open("b.wal"), Pager::Options{});
  ASSERT_FALSE(pager);
  EXPECT_EQ(pager.error().sqlstate, sqlstate::kDataCorrupted);
  EXPECT_NE(pager.error().message.find("write-ahead log belongs to another database file"),
            std::string::npos)
      << pager.error().message;
  EXPECT_EQ(Contents(disk, "a"), a_before);
  EXPECT_EQ(Contents(disk, "b.wal"), b_wal_before);
}

TEST(OpenModeTest, OnlyCreatingModesCreateAndReadOnlyNeverWrites) {
  char tmpl[] = "/tmp/sqlrite_open_mode_XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string path = std::string(tmpl) + "/f";
  EXPECT_FALSE(OpenPosixFile(path, OpenMode::kMustExist));
  EXPECT_FALSE(OpenPosixFile(path, OpenMode::kReadOnly));
  EXPECT_FALSE(std::filesystem::exists(path));
  {
    auto created = OpenPosixFile(path, OpenMode::kCreateNew);
    ASSERT_TRUE(created);
    const std::string bytes = "abc";
    ASSERT_TRUE((*created)->WriteAt(0, std::as_bytes(std::span(bytes))));
  }
  EXPECT_FALSE(OpenPosixFile(path, OpenMode::kCreateNew));  // never over an existing file
  auto reader = OpenPosixFile(path, OpenMode::kReadOnly);
  ASSERT_TRUE(reader);
  const std::string more = "xyz";
  auto write = (*reader)->WriteAt(0, std::as_bytes(std::span(more)));
  ASSERT_FALSE(write);
  EXPECT_NE(write.error().message.find("Bad file descriptor"), std::string::npos)
      << write.error().message;
  EXPECT_EQ(*(*reader)->Size(), 3u);
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace sqlrite::storage
