#pragma once
// FaultInjector: a simulated disk for tests, in the spirit of LevelDB's fault_injection_test.
// Files opened through it live in memory and remember which bytes are durable (synced) and
// which writes are still only in the "page cache". Tests can then:
//   - fail the n-th write or sync from now with EIO or ENOSPC;
//   - simulate a power cut: every write not yet synced is dropped, or (kTear) each unsynced
//     write is independently kept, dropped, or torn at a 512-byte sector boundary;
// and reopen the same names afterwards to run recovery over what survived.
//
// Thread safety: none; one test thread drives it.

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "storage/file.h"

namespace sqlrite::storage {

class FaultInjector {
 public:
  enum class PowerLossMode { kDropUnsynced, kTear };

  explicit FaultInjector(uint64_t seed = 1) : rng_(seed) {}

  // A handle on the simulated file `name` (created empty on first use). Handles share state;
  // a handle opened after PowerLoss() sees what survived.
  std::unique_ptr<File> Open(const std::string& name);
  bool Exists(const std::string& name) const { return files_.count(name) != 0; }

  // The n-th WriteAt (1 = the next one) across all files fails with errno_value (EIO, ENOSPC);
  // n = 0 disarms. Later writes succeed again.
  void FailWrite(int n, int errno_value);
  // The same for Sync.
  void FailSync(int n, int errno_value);

  void PowerLoss(PowerLossMode mode);

  uint64_t writes() const { return writes_; }
  uint64_t syncs() const { return syncs_; }

 private:
  friend class FaultFile;
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
  // Returns the errno to fail with, or 0.
  int NextWriteFault();
  int NextSyncFault();

  std::map<std::string, std::shared_ptr<Disk>> files_;
  std::mt19937_64 rng_;
  int write_countdown_ = 0;
  int write_errno_ = 0;
  int sync_countdown_ = 0;
  int sync_errno_ = 0;
  uint64_t writes_ = 0;
  uint64_t syncs_ = 0;
};

}  // namespace sqlrite::storage
