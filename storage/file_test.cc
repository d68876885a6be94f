#include "storage/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace sqlrite::storage {
namespace {

std::span<const std::byte> Bytes(const std::string& s) { return std::as_bytes(std::span(s)); }

void ExpectRoundTrip(File& file) {
  ASSERT_TRUE(file.WriteAt(10, Bytes("hello")));
  EXPECT_EQ(*file.Size(), 15u);
  std::string out(5, '\0');
  ASSERT_TRUE(file.ReadAt(10, std::as_writable_bytes(std::span(out))));
  EXPECT_EQ(out, "hello");
  auto past_end = file.ReadAt(12, std::as_writable_bytes(std::span(out)));
  ASSERT_FALSE(past_end);
  EXPECT_EQ(past_end.error().sqlstate, sqlstate::kIoError);
  ASSERT_TRUE(file.Truncate(4));
  EXPECT_EQ(*file.Size(), 4u);
  EXPECT_TRUE(file.Sync());
}

TEST(FileTest, MemoryFileReadsWhatWasWritten) { ExpectRoundTrip(*NewMemoryFile()); }

TEST(FileTest, PosixFileReadsWhatWasWritten) {
  auto path =
      std::filesystem::temp_directory_path() / ("sqlrite_file_test_" + std::to_string(::getpid()));
  {
    auto file = OpenPosixFile(path.string());
    ASSERT_TRUE(file);
    ExpectRoundTrip(**file);
  }
  std::filesystem::remove(path);
}

TEST(FileTest, OpeningAFileInAMissingDirectoryFails) {
  auto file = OpenPosixFile("/nonexistent-dir/x/y.db");
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().sqlstate, sqlstate::kIoError);
}

TEST(FileTest, CreatedAndReopenedFilesKeepTheirContents) {
  auto dir = std::filesystem::temp_directory_path() /
             ("sqlrite_file_dir_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "db").string();
  {
    auto created = OpenPosixFile(path);  // creates it and syncs dir
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_TRUE((*created)->WriteAt(0, std::as_bytes(std::span("abc", 3))));
  }
  auto reopened = OpenPosixFile(path);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(*(*reopened)->Size(), 3u);
  EXPECT_TRUE(SyncDirectory(dir.string()));
  auto missing = SyncDirectory((dir / "missing").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().sqlstate, sqlstate::kIoError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sqlrite::storage
