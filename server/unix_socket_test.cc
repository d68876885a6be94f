#include "server/unix_socket.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/test_certificates.h"

namespace sqlrite::server {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(UnixSocketTest, PathIsPostgres) {
  EXPECT_EQ(UnixSocketPath("/tmp", 5432), "/tmp/.s.PGSQL.5432");
}

TEST(UnixSocketTest, LockFileHasPostgresLayoutAndGoesWithTheLock) {
  testing::TempDir dir;
  const std::string d = dir.path().string();
  {
    Result<UnixSocketLock> lock = UnixSocketLock::Acquire(d, 5433, "/data", 1700000000);
    ASSERT_TRUE(lock.has_value()) << lock.error().message;
    EXPECT_EQ(lock->socket_path(), d + "/.s.PGSQL.5433");
    EXPECT_EQ(lock->lock_path(), d + "/.s.PGSQL.5433.lock");
    EXPECT_EQ(Slurp(lock->lock_path()),
              std::to_string(::getpid()) + "\n/data\n1700000000\n5433\n" + d + "\n");
    WriteFile(lock->socket_path(), "");  // stands in for the bound socket
  }
  EXPECT_FALSE(fs::exists(d + "/.s.PGSQL.5433"));
  EXPECT_FALSE(fs::exists(d + "/.s.PGSQL.5433.lock"));
}

TEST(UnixSocketTest, LockOfALiveProcessIsRefused) {
  testing::TempDir dir;
  const std::string d = dir.path().string();
  WriteFile(d + "/.s.PGSQL.5433.lock", "1\n/other\n0\n5433\n" + d + "\n");  // init: alive
  WriteFile(d + "/.s.PGSQL.5433", "");
  Result<UnixSocketLock> lock = UnixSocketLock::Acquire(d, 5433, "/data", 0);
  ASSERT_FALSE(lock.has_value());
  EXPECT_EQ(lock.error().sqlstate, sqlstate::kLockFileExists);
  EXPECT_EQ(lock.error().message, "lock file \"" + d + "/.s.PGSQL.5433.lock\" already exists");
  EXPECT_EQ(lock.error().hint,
            "Is another server (PID 1) using socket file \"" + d + "/.s.PGSQL.5433\"?");
  // Nothing of the other server's was touched.
  EXPECT_TRUE(fs::exists(d + "/.s.PGSQL.5433"));
  EXPECT_EQ(Slurp(d + "/.s.PGSQL.5433.lock"), "1\n/other\n0\n5433\n" + d + "\n");
}

TEST(UnixSocketTest, StaleLockAndSocketOfADeadProcessAreReplaced) {
  testing::TempDir dir;
  const std::string d = dir.path().string();
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // now a pid nobody has
  WriteFile(d + "/.s.PGSQL.5433.lock", std::to_string(child) + "\n/old\n0\n5433\n" + d + "\n");
  WriteFile(d + "/.s.PGSQL.5433", "stale");
  Result<UnixSocketLock> lock = UnixSocketLock::Acquire(d, 5433, "/data", 5);
  ASSERT_TRUE(lock.has_value()) << lock.error().message;
  EXPECT_FALSE(fs::exists(d + "/.s.PGSQL.5433"));  // removed, so bind() can create it
  EXPECT_EQ(Slurp(d + "/.s.PGSQL.5433.lock").rfind(std::to_string(::getpid()) + "\n/data\n", 0),
            0u);
}

TEST(UnixSocketTest, EmptyLockFileIsRefused) {
  testing::TempDir dir;
  const std::string d = dir.path().string();
  WriteFile(d + "/.s.PGSQL.5433.lock", "");
  Result<UnixSocketLock> lock = UnixSocketLock::Acquire(d, 5433, "/data", 0);
  ASSERT_FALSE(lock.has_value());
  EXPECT_NE(lock.error().message.find("is empty"), std::string::npos);
}

TEST(UnixSocketTest, MissingDirectoryIsAnError) {
  testing::TempDir dir;
  Result<UnixSocketLock> lock =
      UnixSocketLock::Acquire((dir.path() / "absent").string(), 5433, "/data", 0);
  ASSERT_FALSE(lock.has_value());
  EXPECT_EQ(lock.error().sqlstate, sqlstate::kIoError);
  EXPECT_NE(lock.error().message.find("could not create lock file"), std::string::npos);
}

TEST(UnixSocketTest, TooLongPathIsRefused) {
  Result<UnixSocketLock> lock = UnixSocketLock::Acquire("/" + std::string(120, 'x'), 5433, "", 0);
  ASSERT_FALSE(lock.has_value());
  EXPECT_NE(lock.error().message.find("is too long (maximum 107 bytes)"), std::string::npos);
}

}  // namespace
}  // namespace sqlrite::server
