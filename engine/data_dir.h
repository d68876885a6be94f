#pragma once
// The layout of a data directory, shared by the Cluster and the offline check:
//
//   <data>/sqlrite.lock              flock(LOCK_EX | LOCK_NB) held while a Cluster or a check
//                                    uses the directory
//   <data>/global.sqlrite[-wal]      roles (tree at MetaSlot::kCatalogRoot: name -> "") and the
//                                    database list (tree at kUser1: name -> DatabaseEntry, the
//                                    database file's identity); kUser2 holds the next oid,
//                                    kUser3 the oid of the database init made (its comment)
//   <data>/base/<oid>.sqlrite[-wal]  one file (and its write-ahead log) per database, named by
//                                    oid so no user text reaches a path
//   <data>/base/pgsql_tmp/           operators' temporary files (engine/exec/spill_file.h),
//                                    emptied when a Cluster opens; no database file
//
// Identity (storage/pager.h, docs/file-format.md): every file's header names its kind, the
// cluster (a random id made at init) and, for a database file, its oid and a random file id;
// the database list records the oid and file id. A file that is missing, empty, truncated, of
// another cluster or for another oid is an error (XX001 naming the file), never a cue to create
// or delete anything: files are created only by init and CREATE DATABASE (before the catalog
// entry commits, so a crash leaves at worst an orphan no catalog names) and removed only by DROP
// DATABASE after its catalog commit is durable.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"
#include "storage/btree.h"
#include "storage/file_system.h"
#include "storage/pager.h"

namespace sqlrite::engine {

inline constexpr uint32_t kFirstDatabaseOid = 16384;

// The directory's lock; destroying it releases the flock.
using DataDirLock = storage::FileLock;

// The file system a Cluster's options name (Options::file_system), the real disk by default.
inline storage::FileSystem& FileSystemOf(const Cluster::Options& options) {
  return options.file_system != nullptr ? *options.file_system : storage::PosixFileSystem();
}

// Creates dir (and dir/base) if needed and takes its lock. Errors: 58030, 55006 when another
// process or Cluster holds it.
Result<std::unique_ptr<DataDirLock>> LockDataDir(
    const std::string& dir, storage::FileSystem& fs = storage::PosixFileSystem());

storage::Pager::Options PagerOptions(const Cluster::Options& options);

// How OpenPagerWithWal treats the files.
enum class OpenIntent {
  kCreate,    // init / CREATE DATABASE: creates the file (and its log) with options.identity
  kOpen,      // an existing file: missing or empty is XX001; a missing log starts empty (the
              // commits since the last checkpoint, if any, are lost, as in SQLite)
  kReadOnly,  // `sqlrited check`: O_RDONLY, recovery in memory, nothing written; a missing log
              // reads as empty
};

// Opens a database file with its log (path + "-wal") on fs; recovery runs here. options.create
// and options.read_only are set from intent. Opens that may create (kCreate; the log of kOpen)
// sync the directory (storage::OpenDurably). Errors name the file: XX001 for what is wrong with
// it (missing, empty, truncated, wrong identity), the operating system's error as it is
// otherwise (58030, 53100).
Result<std::unique_ptr<storage::Pager>> OpenPagerWithWal(
    const std::string& path, storage::Pager::Options options, OpenIntent intent,
    storage::FileSystem& fs = storage::PosixFileSystem());

// ---- identity ---------------------------------------------------------------------------------

using ClusterId = std::array<uint8_t, 16>;
// Random ids from the kernel's CSPRNG (getrandom(2)). Errors: 58030.
Result<ClusterId> NewClusterId();
Result<uint64_t> NewFileId();

storage::FileIdentity GlobalIdentity(const ClusterId& cluster);
storage::FileIdentity DatabaseIdentity(const ClusterId& cluster, uint32_t oid, uint64_t file_id);

// A database-list value: the database file's oid and file id (12 bytes, little-endian), then,
// only when COMMENT ON DATABASE set its comment, extension 1: the byte 1 and the comment's text
// to the end of the value (docs/file-format.md). An entry without one is the 12 bytes every
// older release wrote.
struct DatabaseEntry {
  uint32_t oid = 0;
  uint64_t file_id = 0;
  // nullopt: never set (the database has none, or initdb's when it is the database init made,
  // InitDatabaseComment); a value: COMMENT ON DATABASE's, empty when it removed the comment.
  std::optional<std::string> comment;
};

// The global file's meta slot holding the oid of the database init made (postgres), which has
// PostgreSQL initdb's comment until COMMENT ON DATABASE changes it; 0 in directories made
// before database comments (their postgres has none).
inline constexpr storage::MetaSlot kInitDatabaseSlot = storage::MetaSlot::kUser3;
inline constexpr const char* kInitDatabaseComment = "default administrative connection database";

// The comment pg_shdescription shows for entry: its own, else initdb's for the database init
// made (init_oid), else none (empty).
std::string DatabaseComment(const DatabaseEntry& entry, uint32_t init_oid);
std::string EncodeDatabaseEntry(const DatabaseEntry& entry);
// Errors: XX001 for a value shorter than 12 bytes, or longer without extension 1.
Result<DatabaseEntry> DecodeDatabaseEntry(std::string_view value);

// Whether dir holds no cluster yet, so init may create one: global.sqlrite is missing or
// shorter than one page, its log holds nothing, and base/ holds no file. Errors: XX001 when
// global.sqlrite is missing, empty or short while other files exist (naming the file and what
// is there), 58030 when the directory cannot be read.
Result<bool> DataDirIsFresh(const std::string& dir,
                            storage::FileSystem& fs = storage::PosixFileSystem());

// The files in base/ (names only, sorted), but the temporary files' directory. Errors: 58030.
Result<std::vector<std::string>> ListBaseFiles(
    const std::string& dir, storage::FileSystem& fs = storage::PosixFileSystem());

// Checks a database file's identity from its header alone (no recovery): for the cheap check at
// start. Errors: XX001 naming the file (missing, empty, short, not ours, wrong identity), the
// operating system's error otherwise.
Status CheckDatabaseFileIdentity(const std::string& path, const storage::FileIdentity& expect,
                                 storage::FileSystem& fs = storage::PosixFileSystem());

inline std::string GlobalPath(const std::string& dir) { return dir + "/global.sqlrite"; }
// Where operators write their temporary files (engine/exec/spill_file.h): emptied at every start,
// never a database file (ListBaseFiles skips it).
inline constexpr const char* kTempDirName = "pgsql_tmp";
inline std::string TempDirPath(const std::string& dir) { return dir + "/base/" + kTempDirName; }
inline std::string DatabasePath(const std::string& dir, uint32_t oid) {
  return dir + "/base/" + std::to_string(oid) + ".sqlrite";
}

inline storage::BTree RolesTree(storage::Pager& global) {
  return storage::BTree(global, global.GetMeta(storage::MetaSlot::kCatalogRoot));
}
inline storage::BTree DatabasesTree(storage::Pager& global) {
  return storage::BTree(global, global.GetMeta(storage::MetaSlot::kUser1));
}

}  // namespace sqlrite::engine
