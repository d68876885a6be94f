// The exit codes and output of `sqlrited check`, over a scripted CheckDataDir (the real one is
// exercised by the engine's tests and the end-to-end tests).

#include "server/check_command.h"

#include <gtest/gtest.h>

#include "common/sqlstate.h"
#include "engine/engine.h"

namespace sqlrite::engine {

Status CheckDataDir(const std::string& data_dir, std::string* report) {
  if (data_dir == "/good") {
    *report += "postgres: 12 pages, 2 trees, 1 index: ok\n";
    return Ok();
  }
  if (data_dir == "/corrupt") {
    *report += "postgres: page 7: keys out of order\n";
    return Fail(sqlstate::kDataCorrupted, "1 problem found");
  }
  if (data_dir == "/locked") {
    return Fail(sqlstate::kObjectInUse, "data directory \"/locked\" is in use by another server");
  }
  return Fail(sqlstate::kIoError, "could not open \"" + data_dir + "\": No such file or directory");
}

}  // namespace sqlrite::engine

namespace sqlrite::server {
namespace {

TEST(CheckCommandTest, PassingDirectoryExitsZeroWithReport) {
  std::string out;
  EXPECT_EQ(RunCheck("/good", &out), 0);
  EXPECT_EQ(out, "postgres: 12 pages, 2 trees, 1 index: ok\ncheck passed: /good\n");
}

TEST(CheckCommandTest, CorruptDirectoryExitsOneWithFindings) {
  std::string out;
  EXPECT_EQ(RunCheck("/corrupt", &out), 1);
  EXPECT_NE(out.find("page 7: keys out of order"), std::string::npos) << out;
  EXPECT_NE(out.find("check failed: /corrupt: 1 problem found (SQLSTATE XX001)"), std::string::npos)
      << out;
}

TEST(CheckCommandTest, LockedOrMissingDirectoryExitsOne) {
  std::string out;
  EXPECT_EQ(RunCheck("/locked", &out), 1);
  EXPECT_NE(out.find("in use by another server"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunCheck("/missing", &out), 1);
  EXPECT_NE(out.find("58030"), std::string::npos) << out;
}

}  // namespace
}  // namespace sqlrite::server
