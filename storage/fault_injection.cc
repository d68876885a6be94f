#include "storage/fault_injection.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/sqlstate.h"

namespace sqlrite::storage {

namespace {

void ApplyWrite(std::vector<uint8_t>& bytes, uint64_t offset, const uint8_t* data, size_t n) {
  if (n == 0) return;  // a write torn before its first sector: memcpy must not see a null
  if (bytes.size() < offset + n) bytes.resize(offset + n);
  std::memcpy(bytes.data() + offset, data, n);
}

Error DeadProcess(const std::string& name) {
  return Error(sqlstate::kIoError, "could not use file \"" + name + "\": its process crashed");
}

}  // namespace

class FaultFile final : public File {
 public:
  FaultFile(FaultInjector* injector, std::string name, std::shared_ptr<FaultInjector::Disk> disk,
            bool read_only)
      : injector_(injector),
        name_(std::move(name)),
        disk_(std::move(disk)),
        epoch_(injector->epoch_),
        read_only_(read_only) {}

  std::string_view name() const override { return name_; }

  Status ReadAt(uint64_t offset, std::span<std::byte> out) override {
    if (epoch_ != injector_->epoch_) return Fail(DeadProcess(name_));
    if (int err = injector_->Enter(FaultInjector::Op::kRead); err != 0) {
      return Fail(IoError("read", name_, err));
    }
    const auto& cur = disk_->current;
    if (offset + out.size() > cur.size()) {
      return Fail(sqlstate::kIoError, "could not read file \"" + name_ + "\": read " +
                                          std::to_string(out.size()) + " bytes past the end");
    }
    std::memcpy(out.data(), cur.data() + offset, out.size());
    return Ok();
  }

  Status WriteAt(uint64_t offset, std::span<const std::byte> data) override {
    if (epoch_ != injector_->epoch_) return Fail(DeadProcess(name_));
    bool short_write = false;
    int err = injector_->Enter(FaultInjector::Op::kWrite, &short_write);
    ++injector_->writes_;
    if (err == 0) err = injector_->NextWriteFault();
    if (err == 0 && read_only_) err = EBADF;
    size_t n = data.size();
    if (err != 0) {
      if (!short_write) return Fail(IoError("write to", name_, err));
      n = n > 1024 ? 512 * (n / 512 / 2) : n / 2;
    }
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    ApplyWrite(disk_->current, offset, p, n);
    disk_->pending.push_back({offset, std::vector<uint8_t>(p, p + n)});
    if (err != 0) return Fail(IoError("write to", name_, err));
    return Ok();
  }

  Status Sync() override {
    if (epoch_ != injector_->epoch_) return Fail(DeadProcess(name_));
    int err = injector_->Enter(FaultInjector::Op::kSync);
    ++injector_->syncs_;
    if (err == 0) err = injector_->NextSyncFault();
    if (err == 0 && read_only_) err = EBADF;
    if (err != 0) {
      // As on Linux after a failed fsync, what was pending is in an unknown state; the
      // conservative model keeps it pending (it may still be lost at a power cut).
      return Fail(IoError("fsync", name_, err));
    }
    disk_->durable = disk_->current;
    disk_->pending.clear();
    return Ok();
  }

  Result<uint64_t> Size() override {
    if (epoch_ != injector_->epoch_) return Fail(DeadProcess(name_));
    if (int err = injector_->Enter(FaultInjector::Op::kSize); err != 0) {
      return Fail(IoError("stat", name_, err));
    }
    return disk_->current.size();
  }

  Status Truncate(uint64_t size) override {
    if (epoch_ != injector_->epoch_) return Fail(DeadProcess(name_));
    int err = injector_->Enter(FaultInjector::Op::kTruncate);
    if (err == 0 && read_only_) err = EBADF;
    if (err != 0) return Fail(IoError("truncate", name_, err));
    disk_->current.resize(size);
    disk_->pending.push_back({size, {}, true});
    return Ok();
  }

 private:
  FaultInjector* injector_;
  std::string name_;
  std::shared_ptr<FaultInjector::Disk> disk_;
  uint64_t epoch_;
  bool read_only_;
};

class FaultLock final : public FileLock {
 public:
  FaultLock(FaultInjector* injector, std::string path)
      : injector_(injector), path_(std::move(path)), epoch_(injector->epoch_) {}
  ~FaultLock() override {
    // A crashed process's locks were released by the crash; a new holder may have them now.
    if (epoch_ == injector_->epoch_) injector_->locks_.erase(path_);
  }
  FaultLock(const FaultLock&) = delete;
  FaultLock& operator=(const FaultLock&) = delete;

 private:
  FaultInjector* injector_;
  std::string path_;
  uint64_t epoch_;
};

std::unique_ptr<File> FaultInjector::Open(const std::string& name) {
  auto& disk = files_[name];
  if (!disk) {
    disk = std::make_shared<Disk>();
    durable_names_[name] = disk;
  }
  return std::make_unique<FaultFile>(this, name, disk, /*read_only=*/false);
}

void FaultInjector::FailWrite(int n, int errno_value) {
  write_countdown_ = n;
  write_errno_ = errno_value;
}

void FaultInjector::FailSync(int n, int errno_value) {
  sync_countdown_ = n;
  sync_errno_ = errno_value;
}

void FaultInjector::FailCall(uint64_t n, Fault fault) {
  fail_call_ = n;
  fail_fault_ = fault;
  fault_fired_ = false;
}

int FaultInjector::Enter(Op op, bool* short_write) {
  ++calls_;
  if (trace_ != nullptr) trace_->push_back(op);
  if (fail_call_ == 0 || calls_ != fail_call_) return 0;
  fault_fired_ = true;
  switch (fail_fault_) {
    case Fault::kEio:
      return EIO;
    case Fault::kEnospc:
      return ENOSPC;
    case Fault::kShortWrite:
      if (op != Op::kWrite) return EIO;
      if (short_write != nullptr) *short_write = true;
      return ENOSPC;
  }
  return EIO;
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

void FaultInjector::Crash() {
  ++epoch_;
  locks_.clear();
  fail_call_ = 0;
  write_countdown_ = sync_countdown_ = 0;
}

void FaultInjector::PowerLoss(PowerLossMode mode) {
  std::set<Disk*> seen;
  auto lose = [&](Disk& disk) {
    if (!seen.insert(&disk).second) return;
    std::vector<uint8_t> survived = disk.durable;
    if (mode == PowerLossMode::kTear) {
      // Each unsynced write reached the platter whole, not at all, or up to a sector boundary.
      for (const auto& w : disk.pending) {
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
    disk.durable = survived;
    disk.current = std::move(survived);
    disk.pending.clear();
  };
  for (auto& [name, disk] : files_) lose(*disk);
  for (auto& [name, disk] : durable_names_) lose(*disk);
  // Names created or removed since their directory's last sync revert.
  files_ = durable_names_;
  write_countdown_ = sync_countdown_ = 0;
}

FaultInjector FaultInjector::Clone() const {
  FaultInjector copy;
  copy.rng_ = rng_;
  std::map<const Disk*, std::shared_ptr<Disk>> copies;
  auto copy_of = [&](const std::shared_ptr<Disk>& disk) {
    auto& c = copies[disk.get()];
    if (!c) c = std::make_shared<Disk>(*disk);
    return c;
  };
  for (const auto& [name, disk] : files_) copy.files_[name] = copy_of(disk);
  for (const auto& [name, disk] : durable_names_) copy.durable_names_[name] = copy_of(disk);
  copy.dirs_ = dirs_;
  return copy;
}

Result<std::unique_ptr<File>> FaultInjector::OpenFile(const std::string& path, OpenMode mode) {
  if (int err = Enter(Op::kOpen); err != 0) return Fail(IoError("open", path, err));
  auto it = files_.find(path);
  if (it != files_.end() && mode == OpenMode::kCreateNew) {
    return Fail(IoError("open", path, EEXIST));
  }
  if (it == files_.end()) {
    if (!MayCreate(mode) || dirs_.count(DirName(path)) == 0) {
      return Fail(IoError("open", path, ENOENT));
    }
    // The new name is durable only once the caller syncs the directory.
    it = files_.emplace(path, std::make_shared<Disk>()).first;
  }
  return std::unique_ptr<File>(
      std::make_unique<FaultFile>(this, path, it->second, mode == OpenMode::kReadOnly));
}

Result<bool> FaultInjector::FileExists(const std::string& path) {
  if (int err = Enter(Op::kExists); err != 0) return Fail(IoError("stat", path, err));
  return files_.count(path) != 0 || dirs_.count(path) != 0;
}

Status FaultInjector::RemoveFile(const std::string& path) {
  if (int err = Enter(Op::kRemove); err != 0) return Fail(IoError("remove", path, err));
  files_.erase(path);
  return Ok();
}

Status FaultInjector::SyncDir(const std::string& dir) {
  if (int err = Enter(Op::kSyncDir); err != 0) return Fail(IoError("fsync", dir, err));
  if (dirs_.count(dir) == 0) return Fail(IoError("open", dir, ENOENT));
  for (auto it = durable_names_.begin(); it != durable_names_.end();) {
    if (DirName(it->first) == dir && files_.count(it->first) == 0) {
      it = durable_names_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [name, disk] : files_) {
    if (DirName(name) == dir) durable_names_[name] = disk;
  }
  return Ok();
}

Status FaultInjector::CreateDirs(const std::string& dir, bool* created) {
  *created = false;
  if (int err = Enter(Op::kCreateDirs); err != 0) {
    return Fail(IoError("create directory for", dir, err));
  }
  // Directories are durable at once: the model is about files, their contents and their names.
  for (std::string d = dir; !d.empty() && d != "." && d != "/"; d = DirName(d)) {
    const bool inserted = dirs_.insert(d).second;
    if (d == dir) *created = inserted;
  }
  return Ok();
}

Result<std::vector<std::string>> FaultInjector::ListDir(const std::string& dir) {
  if (int err = Enter(Op::kListDir); err != 0) {
    return Fail(IoError("open directory for", dir, err));
  }
  if (dirs_.count(dir) == 0) return Fail(IoError("open directory for", dir, ENOENT));
  std::set<std::string> names;
  for (const auto& [name, disk] : files_) {
    if (DirName(name) == dir) names.insert(name.substr(dir.size() + 1));
  }
  for (const auto& d : dirs_) {
    if (DirName(d) == dir) names.insert(d.substr(dir.size() + 1));
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Result<std::unique_ptr<FileLock>> FaultInjector::LockFile(const std::string& path, OpenMode mode) {
  if (int err = Enter(Op::kLock); err != 0) return Fail(IoError("open", path, err));
  const bool exists = files_.count(path) != 0;
  if (exists && mode == OpenMode::kCreateNew) return Fail(IoError("open", path, EEXIST));
  if (!exists) {
    if (!MayCreate(mode) || dirs_.count(DirName(path)) == 0) {
      return Fail(IoError("open", path, ENOENT));
    }
    files_.emplace(path, std::make_shared<Disk>());
  }
  if (!locks_.insert(path).second) {
    return Fail(sqlstate::kObjectInUse, "file \"" + path + "\" is locked by another process");
  }
  return std::unique_ptr<FileLock>(std::make_unique<FaultLock>(this, path));
}

}  // namespace sqlrite::storage
