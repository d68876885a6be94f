// `sqlrited check` on the real binary: exit 0 for a directory a server left cleanly, 1 while a
// server holds the directory, for a damaged file and for a directory that is not one of ours.
// And the server's start over damaged files: it refuses, and deletes nothing.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Runs sqlrited with args; returns its pid without waiting. Output goes to `log`.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::FILE* f = std::freopen(log.c_str(), "w", stdout);
    if (f == nullptr || ::dup2(::fileno(stdout), 2) < 0) ::_exit(127);
    std::vector<char*> argv;
    std::string binary = SQLRITED_PATH;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class CheckE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sqlrited_check_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    data_ = (dir_ / "data").string();
    log_ = (dir_ / "out.txt").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts a server on a free port and waits for its pid file.
  pid_t StartServer() {
    pid_t pid =
        Spawn({"-D", data_, "-p", "0", "--log-level", "warn"}, (dir_ / "server.log").string());
    for (int i = 0; i < 500 && !fs::exists(fs::path(data_) / "postmaster.pid"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(fs::exists(fs::path(data_) / "postmaster.pid")) << Slurp(dir_ / "server.log");
    return pid;
  }
  int Check(std::vector<std::string> args) { return Wait(Spawn(args, log_)); }

  fs::path dir_;
  std::string data_;
  std::string log_;
};

TEST_F(CheckE2eTest, ExitCodesSayPassOrFail) {
  pid_t server = StartServer();
  // A running server holds the directory's lock.
  EXPECT_EQ(Check({"check", "-D", data_}), 1);
  EXPECT_NE(Slurp(log_).find("check failed"), std::string::npos) << Slurp(log_);
  ASSERT_EQ(::kill(server, SIGTERM), 0);
  EXPECT_EQ(Wait(server), 0) << Slurp(dir_ / "server.log");

  EXPECT_EQ(Check({"check", "-D", data_}), 0) << Slurp(log_);
  EXPECT_NE(Slurp(log_).find("check passed"), std::string::npos) << Slurp(log_);
  EXPECT_EQ(Check({"--check", "--data-dir", data_}), 0) << Slurp(log_);

  EXPECT_EQ(Check({"check", "-D", (dir_ / "not-a-data-dir").string()}), 1);
}

TEST_F(CheckE2eTest, DamagedFileFails) {
  pid_t server = StartServer();
  ASSERT_EQ(::kill(server, SIGTERM), 0);
  ASSERT_EQ(Wait(server), 0) << Slurp(dir_ / "server.log");
  ASSERT_EQ(Check({"check", "-D", data_}), 0) << Slurp(log_);
  // Scribble over the global file past its header page.
  fs::path global = fs::path(data_) / "global.sqlrite";
  ASSERT_GT(fs::file_size(global), 4096u);
  {
    std::fstream f(global, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  EXPECT_EQ(Check({"check", "-D", data_}), 1) << Slurp(log_);
}

// The reported data loss: a missing or empty global.sqlrite made the server initialise a new
// cluster and delete base/16384.sqlrite.
TEST_F(CheckE2eTest, ServerRefusesToStartWithoutItsGlobalFileAndDeletesNothing) {
  pid_t server = StartServer();
  ASSERT_EQ(::kill(server, SIGTERM), 0);
  ASSERT_EQ(Wait(server), 0) << Slurp(dir_ / "server.log");
  const fs::path global = fs::path(data_) / "global.sqlrite";
  const fs::path base = fs::path(data_) / "base" / "16384.sqlrite";
  const std::string database = Slurp(base);
  ASSERT_GE(database.size(), 4096u);
  for (bool remove : {false, true}) {
    if (remove) {
      fs::remove(global);
    } else {
      fs::resize_file(global, 0);
    }
    const std::string log = (dir_ / "refused.log").string();
    EXPECT_EQ(Wait(Spawn({"-D", data_, "-p", "0"}, log)), 1) << Slurp(log);
    EXPECT_NE(Slurp(log).find(remove ? "global.sqlrite\" is missing" : "global.sqlrite\" is empty"),
              std::string::npos)
        << Slurp(log);
    EXPECT_NE(Slurp(log).find("refuses to start"), std::string::npos) << Slurp(log);
    EXPECT_EQ(Slurp(base), database);
    EXPECT_EQ(Check({"check", "-D", data_}), 1) << Slurp(log_);
  }
}

// A zero-length database file used to be served, and passed check, as an empty database.
TEST_F(CheckE2eTest, EmptyDatabaseFileFailsTheCheck) {
  pid_t server = StartServer();
  ASSERT_EQ(::kill(server, SIGTERM), 0);
  ASSERT_EQ(Wait(server), 0) << Slurp(dir_ / "server.log");
  const fs::path base = fs::path(data_) / "base" / "16384.sqlrite";
  fs::resize_file(base, 0);
  EXPECT_EQ(Check({"check", "-D", data_}), 1) << Slurp(log_);
  EXPECT_NE(Slurp(log_).find("the file is empty"), std::string::npos) << Slurp(log_);
  EXPECT_EQ(fs::file_size(base), 0u);
}

}  // namespace
