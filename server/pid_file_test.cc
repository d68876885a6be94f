#include "server/pid_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sqlrite::server {
namespace {

namespace fs = std::filesystem;

TEST(PidFileTest, LayoutMatchesPostgres) {
  PidFileInfo info{.pid = 42,
                   .data_dir = "/d",
                   .start_time = 1700000000,
                   .port = 5433,
                   .listen_address = "127.0.0.1"};
  EXPECT_EQ(FormatPidFile(info),
            "42\n/d\n1700000000\n5433\n\n127.0.0.1\n  5432001         0\nready\n");
}

TEST(PidFileTest, NamesTheSocketDirectoryOnLineFive) {
  PidFileInfo info{.pid = 42,
                   .data_dir = "/d",
                   .start_time = 1700000000,
                   .port = 5433,
                   .socket_dir = "/tmp",
                   .listen_address = "*"};
  EXPECT_EQ(FormatPidFile(info), "42\n/d\n1700000000\n5433\n/tmp\n*\n  5432001         0\nready\n");
}

TEST(PidFileTest, WriteThenRemove) {
  fs::path dir = fs::temp_directory_path() / ("sqlrite_pid_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  PidFileInfo info{.pid = 7,
                   .data_dir = dir.string(),
                   .start_time = 1,
                   .port = 1234,
                   .listen_address = "127.0.0.1"};
  ASSERT_TRUE(WritePidFile(info).has_value());
  std::ifstream in(dir / "postmaster.pid");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "7");
  std::getline(in, line);
  EXPECT_EQ(line, dir.string());
  std::getline(in, line);
  std::getline(in, line);
  EXPECT_EQ(line, "1234");
  in.close();
  RemovePidFile(dir.string());
  EXPECT_FALSE(fs::exists(dir / "postmaster.pid"));
  fs::remove_all(dir);
}

TEST(PidFileTest, WriteFailsForMissingDirectory) {
  PidFileInfo info{.pid = 7, .data_dir = "/nonexistent/sqlrite/dir", .port = 1};
  EXPECT_FALSE(WritePidFile(info).has_value());
}

}  // namespace
}  // namespace sqlrite::server
