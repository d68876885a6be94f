// CheckDataDir: the offline integrity check behind `sqlrited check`.
//
// Read-only: every file is opened O_RDONLY and WAL recovery runs in memory (the pager serves
// recovered pages from the log); nothing is created, checkpointed or written. The data
// directory's lock is still taken (its lock file opened read-only), so no server writes
// meanwhile. Every file operation goes through a storage::FileSystem (the real disk, or a
// simulated one in tests).
//
// Per database file (global.sqlrite and every base/<oid>.sqlrite): its identity (missing,
// empty, truncated, wrong kind, cluster, oid or file id; a log of another file); then
// storage::CheckIntegrity verifies every B+tree (the catalog, each table and index) and
// that every page is reachable exactly once (trees with their overflow chains, the free list,
// the header); finally each index must hold exactly one entry per row, under the key the row
// gives, pointing at the row's rowid. A missing log is reported (the commits since the last
// checkpoint, if any, are lost, as in SQLite); files in base/ no catalog entry names are
// mentioned as orphans (a crash during CREATE DATABASE leaves one; harmless).
//
// Errors: an operating-system error (58030, 53100 ...) is returned as it is, never as a failed
// integrity check; otherwise XX001 when anything was found.

#include <optional>
#include <set>
#include <vector>

#include "common/bytes.h"
#include "engine/catalog.h"
#include "engine/data_dir.h"
#include "engine/engine.h"
#include "engine/key_codec.h"
#include "engine/row_codec.h"
#include "engine/table_access.h"
#include "storage/btree.h"
#include "storage/integrity_check.h"

namespace sqlrite::engine {
namespace {

using storage::BTree;

// Appends one finding per index that disagrees with its table; returns how many.
Result<int> CheckIndexes(storage::Pager& pager, const TableDef& table, const std::string& where,
                         std::string* report) {
  int findings = 0;
  auto finding = [&](const std::string& text) {
    ++findings;
    *report += where + ": " + text + "\n";
  };
  BTree rows(pager, table.root);
  uint64_t row_count = 0;
  std::vector<uint64_t> missing(table.indexes.size(), 0);
  BTree::Cursor cursor(rows);
  SQLRITE_TRY(cursor.SeekFirst());
  Row row;
  std::string key;
  // One row's findings; a lambda so `return` can skip the rest of a bad row.
  auto check_row = [&]() -> Status {
    ++row_count;
    SQLRITE_ASSIGN_OR_RETURN(std::string record, cursor.value());
    if (auto decoded = DecodeRow(record, row); !decoded) {
      finding("table \"" + table.name + "\": undecodable row");
      return Ok();
    }
    FillMissingColumns(table, row);
    if (row.size() != table.columns.size()) {
      finding("table \"" + table.name + "\": a row has " + std::to_string(row.size()) +
              " columns, the table " + std::to_string(table.columns.size()));
      return Ok();
    }
    if (table.rowid_column >= 0) {
      const auto* id = std::get_if<int64_t>(&row[static_cast<size_t>(table.rowid_column)]);
      if (id == nullptr || RowidKey(*id) != cursor.key()) {
        finding("table \"" + table.name + "\": a row is stored under another key than its " +
                "primary key");
      }
    }
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      const IndexDef& ix = table.indexes[i];
      if (ix.root == storage::kInvalidPage) continue;
      IndexKey(table, ix, row, cursor.key(), key);
      SQLRITE_ASSIGN_OR_RETURN(auto entry, BTree(pager, ix.root).Get(key));
      if (!entry || *entry != cursor.key()) ++missing[i];
    }
    return Ok();
  };
  while (cursor.Valid()) {
    SQLRITE_TRY(check_row());
    SQLRITE_TRY(cursor.Next());
  }
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const IndexDef& ix = table.indexes[i];
    if (ix.root == storage::kInvalidPage) continue;
    BTree tree(pager, ix.root);
    BTree::Cursor entries(tree);
    uint64_t entry_count = 0;
    SQLRITE_TRY(entries.SeekFirst());
    while (entries.Valid()) {
      ++entry_count;
      SQLRITE_TRY(entries.Next());
    }
    if (missing[i] > 0) {
      finding("index \"" + ix.name + "\": " + std::to_string(missing[i]) + " rows of table \"" +
              table.name + "\" have no matching entry");
    }
    // With every row found, equal counts mean no entry lacks its row either.
    if (entry_count != row_count) {
      finding("index \"" + ix.name + "\": " + std::to_string(entry_count) + " entries for " +
              std::to_string(row_count) + " rows of table \"" + table.name + "\"");
    }
  }
  return findings;
}

// The findings of one check run and the first operating-system error met.
struct Findings {
  std::string* report;
  int count = 0;
  std::optional<Error> os_error;

  void Add(const std::string& what, const std::string& text) {
    ++count;
    *report += what + ": " + text + "\n";
  }
  // An error from opening or reading: XX001 is a finding, anything else the OS's error.
  void AddError(const std::string& what, const std::string& context, const Error& e) {
    if (e.sqlstate != sqlstate::kDataCorrupted && !os_error) os_error = e;
    Add(what, context + e.message);
  }
};

// The directory's lock, taken without creating anything: the lock file is opened read-only.
Result<std::unique_ptr<DataDirLock>> LockReadOnly(const std::string& dir, storage::FileSystem& fs) {
  auto lock = fs.LockFile(dir + "/sqlrite.lock", storage::OpenMode::kReadOnly);
  if (!lock && lock.error().sqlstate == sqlstate::kObjectInUse) {
    return Fail(sqlstate::kObjectInUse,
                "data directory \"" + dir + "\" is in use by another server");
  }
  return lock;
}

void CheckLogPresent(const std::string& path, const std::string& what, storage::FileSystem& fs,
                     Findings& findings) {
  auto exists = fs.FileExists(path + "-wal");
  if (!exists) return findings.AddError(what, "", exists.error());
  if (!*exists) {
    findings.Add(what, "its write-ahead log \"" + path +
                           "-wal\" is missing: the commits since its last checkpoint, if any, "
                           "are lost");
  }
}

// Checks one database file.
void CheckDatabaseFile(const std::string& path, const std::string& what,
                       storage::Pager::Options options, storage::FileSystem& fs,
                       Findings& findings) {
  std::string* report = findings.report;
  auto pager = OpenPagerWithWal(path, options, OpenIntent::kReadOnly, fs);
  if (!pager) return findings.AddError(what, "cannot open: ", pager.error());
  storage::Pager& p = **pager;
  if (p.GetMeta(storage::MetaSlot::kCatalogRoot) == storage::kInvalidPage) {
    return findings.Add(what, "the file has no catalog tree");
  }
  auto catalog = Catalog::Load(p);
  if (!catalog) return findings.AddError(what, "catalog unreadable: ", catalog.error());
  std::vector<storage::PageId> roots{p.GetMeta(storage::MetaSlot::kCatalogRoot)};
  for (const auto& [name, table] : (*catalog)->tables()) {
    if (!table.has_storage()) continue;
    roots.push_back(table.root);
    for (const IndexDef& ix : table.indexes) {
      if (ix.root != storage::kInvalidPage) roots.push_back(ix.root);
    }
  }
  if (auto status = storage::CheckIntegrity(p, roots); !status) {
    // The trees are not sound enough to compare indexes with rows.
    return findings.AddError(what, "", status.error());
  }
  const int before = findings.count;
  for (const auto& [name, table] : (*catalog)->tables()) {
    if (!table.has_storage()) continue;
    auto n = CheckIndexes(p, table, what, report);
    if (!n) {
      findings.AddError(what, "table \"" + name + "\": ", n.error());
    } else {
      findings.count += *n;
    }
  }
  if (findings.count == before) {
    *report += what + ": ok (" + std::to_string((*catalog)->tables().size()) + " tables, " +
               std::to_string(p.page_count()) + " pages)\n";
  }
}

}  // namespace

Status CheckDataDir(const std::string& data_dir, std::string* report) {
  return CheckDataDir(data_dir, report, storage::PosixFileSystem());
}

Status CheckDataDir(const std::string& data_dir, std::string* report, storage::FileSystem& fs) {
  std::string scratch;
  if (report == nullptr) report = &scratch;
  SQLRITE_ASSIGN_OR_RETURN(bool has_base, fs.FileExists(data_dir + "/base"));
  if (!has_base) return Fail(sqlstate::kIoError, "\"" + data_dir + "\" is not a data directory");
  SQLRITE_ASSIGN_OR_RETURN(auto lock, LockReadOnly(data_dir, fs));
  storage::Pager::Options options;
  options.cache_bytes = 8u << 20;
  Findings findings{report};
  auto verdict = [&]() -> Status {
    if (findings.os_error) return Fail(*findings.os_error);
    if (findings.count > 0) {
      *report += std::to_string(findings.count) + " problem(s) found\n";
      return Fail(sqlstate::kDataCorrupted, "the data directory failed its integrity check");
    }
    *report += "ok\n";
    return Ok();
  };
  // A missing or empty global file: is there anything it should have listed?
  auto fresh = DataDirIsFresh(data_dir, fs);
  if (!fresh) {
    findings.AddError("global", "", fresh.error());
    return verdict();
  }
  if (*fresh) return Fail(sqlstate::kIoError, "\"" + data_dir + "\" is not a data directory");
  const std::string global_path = GlobalPath(data_dir);
  std::vector<std::pair<std::string, DatabaseEntry>> databases;
  ClusterId cluster{};
  {
    auto global = OpenPagerWithWal(global_path, options, OpenIntent::kReadOnly, fs);
    if (!global) {
      findings.AddError("global", "cannot open: ", global.error());
      return verdict();
    }
    storage::Pager& g = **global;
    cluster = g.identity().cluster;
    if (g.identity().kind != storage::FileKind::kGlobal) {
      findings.Add("global",
                   "\"" + global_path + "\" is not a global catalog file: " +
                       storage::DescribeIdentityMismatch(g.identity(), GlobalIdentity(cluster)));
      return verdict();
    }
    CheckLogPresent(global_path, "global", fs, findings);
    std::vector<storage::PageId> roots{g.GetMeta(storage::MetaSlot::kCatalogRoot),
                                       g.GetMeta(storage::MetaSlot::kUser1)};
    if (roots[0] == storage::kInvalidPage || roots[1] == storage::kInvalidPage) {
      findings.Add("global", "the catalog was never created (an interrupted init)");
      return verdict();
    }
    if (auto status = storage::CheckIntegrity(g, roots); !status) {
      findings.AddError("global", "", status.error());
      return verdict();
    }
    BTree list = DatabasesTree(g);
    BTree::Cursor cursor(list);
    auto walk = [&]() -> Status {
      SQLRITE_TRY(cursor.SeekFirst());
      while (cursor.Valid()) {
        SQLRITE_ASSIGN_OR_RETURN(std::string value, cursor.value());
        auto entry = DecodeDatabaseEntry(value);
        if (!entry) {
          findings.AddError("global",
                            "database \"" + std::string(cursor.key()) + "\": ", entry.error());
        } else {
          databases.emplace_back(std::string(cursor.key()), *entry);
        }
        SQLRITE_TRY(cursor.Next());
      }
      return Ok();
    };
    if (auto walked = walk(); !walked) {
      findings.AddError("global", "database list unreadable: ", walked.error());
      return verdict();
    }
    *report += "global: ok (" + std::to_string(databases.size()) + " databases)\n";
  }
  std::set<std::string> named;
  for (const auto& [name, entry] : databases) {
    const std::string path = DatabasePath(data_dir, entry.oid);
    const std::string file = path.substr(path.find_last_of('/') + 1);
    named.insert(file);
    named.insert(file + "-wal");
    const std::string what = "database \"" + name + "\"";
    auto exists = fs.FileExists(path);
    if (!exists) {
      findings.AddError(what, "", exists.error());
      continue;
    }
    if (!*exists) {
      findings.Add(what, "data file \"" + path + "\" is missing");
      continue;
    }
    CheckLogPresent(path, what, fs, findings);
    storage::Pager::Options db_options = options;
    db_options.expect = DatabaseIdentity(cluster, entry.oid, entry.file_id);
    CheckDatabaseFile(path, what, db_options, fs, findings);
  }
  auto files = ListBaseFiles(data_dir, fs);
  if (!files) {
    findings.AddError("base", "", files.error());
  } else {
    for (const std::string& file : *files) {
      if (named.count(file) == 0) {
        *report += "note: orphan file \"" + data_dir + "/base/" + file +
                   "\": no catalog entry names it (a CREATE DATABASE cut short leaves one; "
                   "harmless)\n";
      }
    }
  }
  return verdict();
}

}  // namespace sqlrite::engine
