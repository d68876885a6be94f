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

}  // namespace
}  // namespace sqlrite::storage
