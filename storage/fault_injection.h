#pragma once
// FaultInjector: a simulated disk for tests, in the spirit of LevelDB's fault_injection_test.
// Files opened through it live in memory and remember which bytes are durable (synced) and
// which writes are still only in the "page cache"; names remember whether their directory was
// synced since they were created or removed. Tests can then:
//   - fail any one I/O call, counted in the order calls happen (FailCall: EIO, ENOSPC, or a
//     short write that lands a torn prefix before failing), or the n-th write or sync;
//   - simulate a process crash (Crash: every handle and lock of the dead process stops working,
//     the disk keeps what was written) and a power cut (PowerLoss: every write not yet synced is
//     dropped, or (kTear) each unsynced write is independently kept, dropped, or torn at a
//     512-byte sector boundary; names whose directory was not synced revert);
// and reopen the same names afterwards to run recovery over what survived.
//
// It is a FileSystem, so a whole engine::Cluster can run on it (Cluster::Options::file_system).
// Open(name) is the short form for storage tests: a file whose name is durable at once.
//
// Thread safety: none; one test thread drives it.

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/file.h"
#include "storage/file_system.h"

namespace sqlrite::storage {

class FaultInjector final : public FileSystem {
 public:
  enum class PowerLossMode { kDropUnsynced, kTear };
  // Every kind of call the disk counts.
  enum class Op {
    kOpen,
    kRead,
    kWrite,
    kSync,
    kSize,
    kTruncate,
    kExists,
    kRemove,
    kSyncDir,
    kCreateDirs,
    kListDir,
    kLock,
  };
  // How a scheduled call fails: with EIO, with ENOSPC, or (for a write) by landing a prefix of
  // the data, cut at a 512-byte boundary when longer than a sector, then failing with ENOSPC,
  // as a write that ran out of space midway. Nothing else changes on the disk.
  enum class Fault { kEio, kEnospc, kShortWrite };

  explicit FaultInjector(uint64_t seed = 1) : rng_(seed) {}
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;
  FaultInjector(FaultInjector&&) = default;
  FaultInjector& operator=(FaultInjector&&) = default;

  // A handle on the simulated file `name` (created empty on first use, its name durable at
  // once). Handles share state; a handle opened after PowerLoss() sees what survived.
  std::unique_ptr<File> Open(const std::string& name);
  bool Exists(const std::string& name) const { return files_.count(name) != 0; }

  // The n-th WriteAt (1 = the next one) across all files fails with errno_value (EIO, ENOSPC);
  // n = 0 disarms. Later writes succeed again.
  void FailWrite(int n, int errno_value);
  // The same for Sync.
  void FailSync(int n, int errno_value);

  // The call numbered n (as calls() counts them, so calls() + 1 is the next one) fails once with
  // fault; 0 disarms. fault_fired() tells whether it has happened.
  void FailCall(uint64_t n, Fault fault);
  bool fault_fired() const { return fault_fired_; }
  // Every call counted so far, of any Op.
  uint64_t calls() const { return calls_; }
  // Appends the Op of every later counted call to *trace (null: stop).
  void set_trace(std::vector<Op>* trace) { trace_ = trace; }

  // The process using the disk died: its file handles and locks stop working (their calls fail
  // with EIO, change nothing and are not counted); what it wrote stays, durable or not, as the
  // kernel's page cache outlives a process. Disarms any scheduled failure.
  void Crash();
  void PowerLoss(PowerLossMode mode);
  // An independent copy of the disk (contents, durable state, names, directories), without
  // locks or handles: for checking one crash state twice (with and without a power cut).
  FaultInjector Clone() const;

  uint64_t writes() const { return writes_; }
  uint64_t syncs() const { return syncs_; }

  // FileSystem. Paths are plain strings: a file's directory is DirName(path), which must have
  // been created (CreateDirs) for an OpenFile that creates.
  Result<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) override;
  Result<bool> FileExists(const std::string& path) override;
  Status RemoveFile(const std::string& path) override;
  Status SyncDir(const std::string& dir) override;
  Status CreateDirs(const std::string& dir, bool* created) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, OpenMode mode) override;

 private:
  friend class FaultFile;
  friend class FaultLock;
  struct PendingWrite {
    uint64_t offset;
    std::vector<uint8_t> data;
    bool truncate = false;  // a truncation to `offset`
  };
  struct Disk {
    std::vector<uint8_t> durable;
    std::vector<uint8_t> current;  // durable + pending, as a reader sees it
    std::vector<PendingWrite> pending;
  };
  // Counts a call of op on path; returns the errno it must fail with (0: proceed). Sets
  // *short_write when a write must land a torn prefix before failing.
  int Enter(Op op, bool* short_write = nullptr);
  // Returns the errno to fail with, or 0.
  int NextWriteFault();
  int NextSyncFault();

  std::map<std::string, std::shared_ptr<Disk>> files_;          // the names as a reader sees them
  std::map<std::string, std::shared_ptr<Disk>> durable_names_;  // as of the last directory sync
  std::set<std::string> dirs_;
  std::set<std::string> locks_;
  uint64_t epoch_ = 0;  // bumped by Crash(); handles of an older epoch are dead
  std::mt19937_64 rng_;
  int write_countdown_ = 0;
  int write_errno_ = 0;
  int sync_countdown_ = 0;
  int sync_errno_ = 0;
  uint64_t writes_ = 0;
  uint64_t syncs_ = 0;
  uint64_t calls_ = 0;
  uint64_t fail_call_ = 0;
  Fault fail_fault_ = Fault::kEio;
  bool fault_fired_ = false;
  std::vector<Op>* trace_ = nullptr;
};

}  // namespace sqlrite::storage
