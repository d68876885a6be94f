// FileSystem: the POSIX implementation on a temp dir, and the simulated disk's name, crash and
// fault model (FaultInjector), which the I/O fault sweep relies on.

#include "storage/file_system.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/sqlstate.h"
#include "storage/fault_injection.h"

// The helpers below are this file's own: a unity build (SQLRITE_UNITY) compiles it with the
// target's other tests, whose helpers of the same names would collide in one namespace.
namespace sqlrite::storage::file_system_test {
namespace {

using Mode = OpenMode;

std::span<const std::byte> Bytes(const std::string& s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

std::string ReadAll(File& file) {
  auto size = file.Size();
  if (!size) return "<" + size.error().message + ">";
  std::string out(*size, '\0');
  auto read = file.ReadAt(0, std::as_writable_bytes(std::span<char>(out.data(), out.size())));
  if (!read) return "<" + read.error().message + ">";
  return out;
}

// Exercises the calls every implementation must agree on.
void ExpectFileSystemBasics(FileSystem& fs, const std::string& dir) {
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs(dir + "/a/b", &created));
  EXPECT_TRUE(created);
  ASSERT_TRUE(fs.CreateDirs(dir + "/a/b", &created));
  EXPECT_FALSE(created);
  const std::string path = dir + "/a/b/f";
  auto missing = fs.OpenFile(path, Mode::kMustExist);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().sqlstate, sqlstate::kIoError);
  EXPECT_NE(missing.error().message.find(path), std::string::npos);
  EXPECT_FALSE(*fs.FileExists(path));
  {
    auto file = fs.OpenFile(path, Mode::kCreateIfAbsent);
    ASSERT_TRUE(file) << file.error().message;
    ASSERT_TRUE((*file)->WriteAt(0, Bytes("hello")));
  }
  EXPECT_TRUE(*fs.FileExists(path));
  {
    auto file = fs.OpenFile(path, Mode::kReadOnly);
    ASSERT_TRUE(file);
    EXPECT_EQ(ReadAll(**file), "hello");
    EXPECT_FALSE((*file)->WriteAt(0, Bytes("x")));  // read-only
  }
  auto names = fs.ListDir(dir + "/a/b");
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, std::vector<std::string>{"f"});
  {
    auto lock = fs.LockFile(dir + "/a/lock", Mode::kCreateIfAbsent);
    ASSERT_TRUE(lock) << lock.error().message;
    auto again = fs.LockFile(dir + "/a/lock", Mode::kCreateIfAbsent);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().sqlstate, sqlstate::kObjectInUse);
  }
  EXPECT_TRUE(fs.LockFile(dir + "/a/lock", Mode::kCreateIfAbsent));  // released with its holder
  EXPECT_TRUE(fs.LockFile(dir + "/a/lock", Mode::kReadOnly));        // an existing lock file
  // A read-only lock (`sqlrited check`) never creates its file.
  EXPECT_FALSE(fs.LockFile(dir + "/a/other-lock", Mode::kReadOnly));
  EXPECT_FALSE(*fs.FileExists(dir + "/a/other-lock"));
  // kCreateNew never opens an existing file; kMustExist and kReadOnly never create one.
  auto again = fs.OpenFile(path, Mode::kCreateNew);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().sqlstate, sqlstate::kIoError);
  EXPECT_TRUE(fs.OpenFile(dir + "/a/b/new", Mode::kCreateNew));
  EXPECT_FALSE(fs.OpenFile(dir + "/a/b/absent", Mode::kReadOnly));
  EXPECT_FALSE(*fs.FileExists(dir + "/a/b/absent"));
  EXPECT_TRUE(fs.RemoveFile(dir + "/a/b/new"));
  EXPECT_TRUE(fs.RemoveFile(path));
  EXPECT_TRUE(fs.RemoveFile(path));  // already gone: fine
  EXPECT_FALSE(*fs.FileExists(path));
  EXPECT_TRUE(fs.SyncDir(dir + "/a/b"));
}

TEST(FileSystemTest, PosixCreatesOpensListsLocksAndRemoves) {
  auto dir =
      std::filesystem::temp_directory_path() / ("sqlrite_fs_test_" + std::to_string(::getpid()));
  ExpectFileSystemBasics(PosixFileSystem(), dir.string());
  std::filesystem::remove_all(dir);
}

TEST(FileSystemTest, FaultInjectorCreatesOpensListsLocksAndRemoves) {
  FaultInjector fs;
  ExpectFileSystemBasics(fs, "/d");
}

TEST(FileSystemTest, DirNameIsThePartBeforeTheLastSlash) {
  EXPECT_EQ(DirName("/data/base/1.sqlrite"), "/data/base");
  EXPECT_EQ(DirName("file"), ".");
  EXPECT_EQ(DirName("/file"), "/");
}

TEST(FaultInjectorTest, FailCallFailsExactlyThatCallOnce) {
  FaultInjector fs;
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs("/d", &created));
  auto file = fs.OpenFile("/d/f", Mode::kCreateIfAbsent);
  ASSERT_TRUE(file);
  const uint64_t before = fs.calls();
  fs.FailCall(before + 2, FaultInjector::Fault::kEnospc);
  EXPECT_TRUE((*file)->WriteAt(0, Bytes("one")));
  auto failed = (*file)->Sync();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().sqlstate, sqlstate::kDiskFull);
  EXPECT_TRUE(fs.fault_fired());
  EXPECT_TRUE((*file)->Sync());  // once only
  EXPECT_EQ(fs.calls(), before + 3);
}

TEST(FaultInjectorTest, ShortWriteLandsATornPrefixThenFails) {
  FaultInjector fs;
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs("/d", &created));
  auto file = fs.OpenFile("/d/f", Mode::kCreateIfAbsent);
  ASSERT_TRUE(file);
  fs.FailCall(fs.calls() + 1, FaultInjector::Fault::kShortWrite);
  const std::string data(4096, 'x');
  EXPECT_FALSE((*file)->WriteAt(0, Bytes(data)));
  EXPECT_EQ(ReadAll(**file), std::string(2048, 'x'));
}

TEST(FaultInjectorTest, ACrashKillsHandlesAndLocksButKeepsWrites) {
  FaultInjector fs;
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs("/d", &created));
  auto lock = fs.LockFile("/d/lock", Mode::kCreateIfAbsent);
  ASSERT_TRUE(lock);
  auto file = fs.OpenFile("/d/f", Mode::kCreateIfAbsent);
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->WriteAt(0, Bytes("unsynced")));
  fs.Crash();
  const uint64_t calls = fs.calls();
  EXPECT_FALSE((*file)->WriteAt(0, Bytes("late")));
  EXPECT_EQ(fs.calls(), calls);  // a dead handle's calls are not counted
  auto relock = fs.LockFile("/d/lock", Mode::kCreateIfAbsent);
  EXPECT_TRUE(relock);
  lock->reset();  // the dead process's lock going away must not free the new holder's
  EXPECT_FALSE(fs.LockFile("/d/lock", Mode::kCreateIfAbsent));
  auto reopened = fs.OpenFile("/d/f", Mode::kMustExist);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(ReadAll(**reopened), "unsynced");
}

TEST(FaultInjectorTest, APowerCutRevertsNamesWhoseDirectoryWasNotSynced) {
  FaultInjector fs;
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs("/d", &created));
  {
    auto kept = OpenDurably(fs, "/d/kept");
    ASSERT_TRUE(kept);
    ASSERT_TRUE((*kept)->WriteAt(0, Bytes("durable")));
    ASSERT_TRUE((*kept)->Sync());
  }
  ASSERT_TRUE(fs.RemoveFile("/d/kept"));  // not synced: comes back
  FaultInjector copy = fs.Clone();
  copy.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  EXPECT_TRUE(*copy.FileExists("/d/kept"));
  EXPECT_FALSE(*fs.FileExists("/d/kept"));  // the clone is independent
  ASSERT_TRUE(fs.SyncDir("/d"));
  fs.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  EXPECT_FALSE(*fs.FileExists("/d/kept"));
}

// A creator that failed to sync the directory (or crashed first) leaves a name a power cut can
// take away; the next OpenDurably must make it durable although it creates nothing.
TEST(FaultInjectorTest, OpenDurablySyncsTheDirectoryOfAFileItDidNotCreate) {
  FaultInjector fs;
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs("/d", &created));
  ASSERT_TRUE(fs.OpenFile("/d/f", Mode::kCreateIfAbsent));  // created, its directory never synced
  auto file = OpenDurably(fs, "/d/f");
  ASSERT_TRUE(file);
  ASSERT_TRUE((*file)->WriteAt(0, Bytes("acknowledged")));
  ASSERT_TRUE((*file)->Sync());
  fs.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  auto reopened = fs.OpenFile("/d/f", Mode::kMustExist);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(ReadAll(**reopened), "acknowledged");
}

// OpenDurably syncs the directory for every mode that may create, kCreateNew included, and for
// no other (a read-only open must not change anything, a directory's durability included).
TEST(FaultInjectorTest, OpenDurablySyncsTheDirectoryOnlyForModesThatMayCreate) {
  FaultInjector fs;
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs("/d", &created));
  std::vector<FaultInjector::Op> trace;
  fs.set_trace(&trace);
  ASSERT_TRUE(OpenDurably(fs, "/d/new", Mode::kCreateNew));
  ASSERT_TRUE(OpenDurably(fs, "/d/new", Mode::kCreateIfAbsent));
  ASSERT_TRUE(OpenDurably(fs, "/d/new", Mode::kMustExist));
  ASSERT_TRUE(OpenDurably(fs, "/d/new", Mode::kReadOnly));
  fs.set_trace(nullptr);
  using Op = FaultInjector::Op;
  EXPECT_EQ(trace, (std::vector<Op>{Op::kOpen, Op::kSyncDir, Op::kOpen, Op::kSyncDir, Op::kOpen,
                                    Op::kOpen}));
  fs.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  EXPECT_TRUE(*fs.FileExists("/d/new"));
}

TEST(FaultInjectorTest, ANameWhoseDirectoryWasNeverSyncedIsLostAtAPowerCut) {
  FaultInjector fs;
  bool created = false;
  ASSERT_TRUE(fs.CreateDirs("/d", &created));
  ASSERT_TRUE(fs.OpenFile("/d/f", Mode::kCreateIfAbsent));
  fs.PowerLoss(FaultInjector::PowerLossMode::kDropUnsynced);
  EXPECT_FALSE(*fs.FileExists("/d/f"));
}

}  // namespace
}  // namespace sqlrite::storage::file_system_test
