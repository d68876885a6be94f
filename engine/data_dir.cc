#include "engine/data_dir.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>

#include "common/bytes.h"
#include "storage/file.h"
#include "storage/wal.h"

namespace sqlrite::engine {
namespace {

// The Error for what is wrong with a data file's contents, naming the file.
Error FileError(const std::string& path, const Error& cause) {
  if (cause.sqlstate != sqlstate::kDataCorrupted) return cause;  // the OS's error, as it is
  return Error(sqlstate::kDataCorrupted, "data file \"" + path + "\": " + cause.message);
}

// The size of an existing file, read through a read-only open (so that the simulated disk sees,
// and can fail, every call).
Result<uint64_t> FileSize(storage::FileSystem& fs, const std::string& path) {
  SQLRITE_ASSIGN_OR_RETURN(auto file, fs.OpenFile(path, storage::OpenMode::kReadOnly));
  return file->Size();
}

Result<uint64_t> SizeOrZero(storage::FileSystem& fs, const std::string& path) {
  SQLRITE_ASSIGN_OR_RETURN(bool exists, fs.FileExists(path));
  if (!exists) return uint64_t{0};
  return FileSize(fs, path);
}

Status RandomBytes(void* out, size_t n) {
  auto* p = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::getrandom(p + done, n - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Fail(storage::IoError("read random bytes for", "getrandom", errno));
    }
    done += static_cast<size_t>(got);
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<DataDirLock>> LockDataDir(const std::string& dir, storage::FileSystem& fs) {
  bool created = false;
  if (auto made = fs.CreateDirs(dir + "/base", &created); !made) {
    return Fail(sqlstate::kIoError,
                "could not create data directory \"" + dir + "\": " + made.error().message);
  }
  if (created) SQLRITE_TRY(fs.SyncDir(dir));  // base/ itself must stay
  auto lock = fs.LockFile(dir + "/sqlrite.lock", storage::OpenMode::kCreateIfAbsent);
  if (!lock && lock.error().sqlstate == sqlstate::kObjectInUse) {
    return Fail(sqlstate::kObjectInUse,
                "data directory \"" + dir + "\" is in use by another server");
  }
  return lock;
}

storage::Pager::Options PagerOptions(const Cluster::Options& options) {
  storage::Pager::Options out;
  out.cache_bytes = options.cache_bytes;
  out.wal_autocheckpoint_bytes = options.wal_autocheckpoint_bytes;
  // With an engine queue the cluster runs the automatic checkpoint's copying on its
  // checkpointer thread (engine/checkpointer.h); without one (tools, tests of fault-injecting
  // files, which are not safe for concurrent use) it stays on the writer's thread.
  out.background_backfill = options.queue != nullptr;
  switch (options.synchronous) {
    case Cluster::Options::Synchronous::kOff:
      out.synchronous = storage::Pager::Synchronous::kOff;
      break;
    case Cluster::Options::Synchronous::kNormal:
      out.synchronous = storage::Pager::Synchronous::kNormal;
      break;
    case Cluster::Options::Synchronous::kFull:
      out.synchronous = storage::Pager::Synchronous::kFull;
      break;
  }
  return out;
}

Result<std::unique_ptr<storage::Pager>> OpenPagerWithWal(const std::string& path,
                                                         storage::Pager::Options options,
                                                         OpenIntent intent,
                                                         storage::FileSystem& fs) {
  options.create = intent == OpenIntent::kCreate;
  options.read_only = intent == OpenIntent::kReadOnly;
  const std::string wal_path = path + "-wal";
  if (intent != OpenIntent::kCreate) {
    SQLRITE_ASSIGN_OR_RETURN(bool exists, fs.FileExists(path));
    if (!exists) return Fail(sqlstate::kDataCorrupted, "data file \"" + path + "\" is missing");
  }
  // Every open that may create syncs the directory (OpenDurably), also when the file existed.
  using storage::OpenDurably;
  using storage::OpenMode;
  std::unique_ptr<storage::File> file;
  std::unique_ptr<storage::File> wal;
  switch (intent) {
    case OpenIntent::kCreate: {
      SQLRITE_ASSIGN_OR_RETURN(file, OpenDurably(fs, path, OpenMode::kCreateIfAbsent));
      SQLRITE_ASSIGN_OR_RETURN(wal, OpenDurably(fs, wal_path, OpenMode::kCreateIfAbsent));
      break;
    }
    case OpenIntent::kOpen: {
      SQLRITE_ASSIGN_OR_RETURN(file, OpenDurably(fs, path, OpenMode::kMustExist));
      SQLRITE_ASSIGN_OR_RETURN(wal, OpenDurably(fs, wal_path, OpenMode::kCreateIfAbsent));
      break;
    }
    case OpenIntent::kReadOnly: {
      SQLRITE_ASSIGN_OR_RETURN(file, OpenDurably(fs, path, OpenMode::kReadOnly));
      SQLRITE_ASSIGN_OR_RETURN(bool has_wal, fs.FileExists(wal_path));
      if (has_wal) {
        SQLRITE_ASSIGN_OR_RETURN(wal, OpenDurably(fs, wal_path, OpenMode::kReadOnly));
      } else {
        wal = storage::NewMemoryFile();  // reads as an empty log; check reports the absence
      }
      break;
    }
  }
  auto pager = storage::Pager::Open(std::move(file), std::move(wal), options);
  if (!pager) return Fail(FileError(path, pager.error()));
  return pager;
}

Result<ClusterId> NewClusterId() {
  ClusterId id;
  SQLRITE_TRY(RandomBytes(id.data(), id.size()));
  return id;
}

Result<uint64_t> NewFileId() {
  uint64_t id = 0;
  while (id == 0) SQLRITE_TRY(RandomBytes(&id, sizeof(id)));
  return id;
}

storage::FileIdentity GlobalIdentity(const ClusterId& cluster) {
  storage::FileIdentity id;
  id.kind = storage::FileKind::kGlobal;
  id.cluster = cluster;
  return id;
}

storage::FileIdentity DatabaseIdentity(const ClusterId& cluster, uint32_t oid, uint64_t file_id) {
  storage::FileIdentity id;
  id.kind = storage::FileKind::kDatabase;
  id.cluster = cluster;
  id.oid = oid;
  id.file_id = file_id;
  return id;
}

namespace {
constexpr size_t kDatabaseEntryBytes = 12;
constexpr char kCommentExtension = 1;  // the extension that holds COMMENT ON DATABASE's text
}  // namespace

std::string EncodeDatabaseEntry(const DatabaseEntry& entry) {
  std::string value(kDatabaseEntryBytes, '\0');
  StoreLE<uint32_t>(value.data(), entry.oid);
  StoreLE<uint64_t>(value.data() + 4, entry.file_id);
  if (entry.comment) {
    value.push_back(kCommentExtension);
    value += *entry.comment;
  }
  return value;
}

std::string DatabaseComment(const DatabaseEntry& entry, uint32_t init_oid) {
  if (entry.comment) return *entry.comment;
  return init_oid != 0 && entry.oid == init_oid ? kInitDatabaseComment : std::string();
}

Result<DatabaseEntry> DecodeDatabaseEntry(std::string_view value) {
  if (value.size() < kDatabaseEntryBytes) {
    return Fail(sqlstate::kDataCorrupted, "malformed database entry in the global catalog (" +
                                              std::to_string(value.size()) + " bytes, not 12)");
  }
  DatabaseEntry entry;
  entry.oid = LoadLE<uint32_t>(value.data());
  entry.file_id = LoadLE<uint64_t>(value.data() + 4);
  if (value.size() > kDatabaseEntryBytes) {
    if (value[kDatabaseEntryBytes] != kCommentExtension) {
      return Fail(sqlstate::kDataCorrupted,
                  "malformed database entry in the global catalog (unknown extension " +
                      std::to_string(static_cast<unsigned char>(value[kDatabaseEntryBytes])) + ")");
    }
    entry.comment = std::string(value.substr(kDatabaseEntryBytes + 1));
  }
  return entry;
}

Result<std::vector<std::string>> ListBaseFiles(const std::string& dir, storage::FileSystem& fs) {
  const std::string base = dir + "/base";
  SQLRITE_ASSIGN_OR_RETURN(bool exists, fs.FileExists(base));
  if (!exists) return std::vector<std::string>();
  SQLRITE_ASSIGN_OR_RETURN(auto names, fs.ListDir(base));
  std::erase(names, std::string(kTempDirName));
  std::sort(names.begin(), names.end());
  return names;
}

Result<bool> DataDirIsFresh(const std::string& dir, storage::FileSystem& fs) {
  const std::string global = GlobalPath(dir);
  SQLRITE_ASSIGN_OR_RETURN(bool exists, fs.FileExists(global));
  uint64_t size = 0;
  if (exists) {
    SQLRITE_ASSIGN_OR_RETURN(size, FileSize(fs, global));
  }
  if (exists && size >= storage::kPageSize) return false;
  SQLRITE_ASSIGN_OR_RETURN(uint64_t wal_size, SizeOrZero(fs, global + "-wal"));
  SQLRITE_ASSIGN_OR_RETURN(auto base_files, ListBaseFiles(dir, fs));
  if (base_files.empty() && wal_size <= storage::Wal::kHeaderSize) return true;
  const std::string what = !exists     ? "is missing"
                           : size == 0 ? "is empty"
                                       : "is truncated (" + std::to_string(size) + " bytes)";
  std::string found;
  for (size_t i = 0; i < base_files.size() && i < 3; ++i) {
    found += (found.empty() ? "base/" : ", base/") + base_files[i];
  }
  if (base_files.size() > 3) found += " and " + std::to_string(base_files.size() - 3) + " more";
  if (wal_size > storage::Wal::kHeaderSize) {
    found += std::string(found.empty() ? "" : ", ") + "global.sqlrite-wal";
  }
  return Fail(Error(sqlstate::kDataCorrupted,
                    "global catalog \"" + global + "\" " + what +
                        ", but the data directory holds database files (" + found +
                        "); the server refuses to start rather than initialise a new cluster "
                        "over them")
                  .WithHint("Restore global.sqlrite from a backup; nothing was changed."));
}

Status CheckDatabaseFileIdentity(const std::string& path, const storage::FileIdentity& expect,
                                 storage::FileSystem& fs) {
  SQLRITE_ASSIGN_OR_RETURN(bool exists, fs.FileExists(path));
  if (!exists) return Fail(sqlstate::kDataCorrupted, "data file \"" + path + "\" is missing");
  SQLRITE_ASSIGN_OR_RETURN(auto file, fs.OpenFile(path, storage::OpenMode::kReadOnly));
  auto identity = storage::Pager::ReadIdentity(*file);
  if (!identity) return Fail(FileError(path, identity.error()));
  std::string mismatch = storage::DescribeIdentityMismatch(*identity, expect);
  if (!mismatch.empty()) {
    return Fail(sqlstate::kDataCorrupted, "data file \"" + path + "\": wrong file: " + mismatch);
  }
  return Ok();
}

}  // namespace sqlrite::engine
