#include "storage/fault_injection.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sqlrite::storage {

namespace {

void ApplyWrite(std::vector<uint8_t>& bytes, uint64_t offset, const uint8_t* data, size_t n) {
  if (bytes.size() < offset + n) bytes.resize(offset + n);
  std::memcpy(bytes.data() + offset, data, n);
}

}  // namespace

class FaultFile final : public File {
 public:
  FaultFile(FaultInjector* injector, std::string name, std::shared_ptr<FaultInjector::Disk> disk)
      : injector_(injector), name_(std::move(name)), disk_(std::move(disk)) {}

  Status ReadAt(uint64_t offset, std::span<std::byte> out) override {
    const auto& cur = disk_->current;
    if (offset + out.size() > cur.size()) {
      return Fail(sqlstate::kIoError, "could not read file \"" + name_ + "\": read " +
                                          std::to_string(out.size()) + " bytes past the end");
    }
    std::memcpy(out.data(), cur.data() + offset, out.size());
    return Ok();
  }

  Status WriteAt(uint64_t offset, std::span<const std::byte> data) override {
    ++injector_->writes_;
    if (int err = injector_->NextWriteFault(); err != 0)
      return Fail(IoError("write to", name_, err));
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    ApplyWrite(disk_->current, offset, p, data.size());
    disk_->pending.push_back({offset, std::vector<uint8_t>(p, p + data.size())});
    return Ok();
  }

  Status Sync() override {
    ++injector_->syncs_;
    if (int err = injector_->NextSyncFault(); err != 0) {
      // As on Linux after a failed fsync, what was pending is in an unknown state; the
      // conservative model keeps it pending (it may still be lost at a power cut).
      return Fail(IoError("fsync", name_, err));
    }
    disk_->durable = disk_->current;
    disk_->pending.clear();
    return Ok();
  }

  Result<uint64_t> Size() override { return disk_->current.size(); }

  Status Truncate(uint64_t size) override {
    disk_->current.resize(size);
    disk_->pending.push_back({size, {}, true});
    return Ok();
  }

 private:
  FaultInjector* injector_;
  std::string name_;
  std::shared_ptr<FaultInjector::Disk> disk_;
};

std::unique_ptr<File> FaultInjector::Open(const std::string& name) {
  auto& disk = files_[name];
  if (!disk) disk = std::make_shared<Disk>();
  return std::make_unique<FaultFile>(this, name, disk);
}

void FaultInjector::FailWrite(int n, int errno_value) {
  write_countdown_ = n;
  write_errno_ = errno_value;
}

void FaultInjector::FailSync(int n, int errno_value) {
  sync_countdown_ = n;
  sync_errno_ = errno_value;
}

int FaultInjector::NextWriteFault() {
  if (write_countdown_ <= 0) return 0;
  if (--write_countdown_ == 0) return write_errno_;
  return 0;
}

int FaultInjector::NextSyncFault() {
  if (sync_countdown_ <= 0) return 0;
  if (--sync_countdown_ == 0) return sync_errno_;
  return 0;
}

void FaultInjector::PowerLoss(PowerLossMode mode) {
  for (auto& [name, disk] : files_) {
    std::vector<uint8_t> survived = disk->durable;
    if (mode == PowerLossMode::kTear) {
      // Each unsynced write reached the platter whole, not at all, or up to a sector boundary.
      for (const auto& w : disk->pending) {
        if (w.truncate) {
          if (rng_() % 2 == 0) survived.resize(std::min<uint64_t>(survived.size(), w.offset));
          continue;
        }
        switch (rng_() % 3) {
          case 0:
            break;
          case 1:
            ApplyWrite(survived, w.offset, w.data.data(), w.data.size());
            break;
          default: {
            size_t sectors = (w.data.size() + 511) / 512;
            size_t keep = sectors <= 1 ? 0 : 512 * (1 + rng_() % (sectors - 1));
            ApplyWrite(survived, w.offset, w.data.data(), std::min(keep, w.data.size()));
            break;
          }
        }
      }
    }
    disk->durable = survived;
    disk->current = std::move(survived);
    disk->pending.clear();
  }
  write_countdown_ = sync_countdown_ = 0;
}

}  // namespace sqlrite::storage
