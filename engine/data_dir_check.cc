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
// gives, pointing at the row's rowid; and every row of a validated foreign key's table must find
// its key in the referenced table (MATCH SIMPLE: a key holding a NULL is not checked; MATCH
// FULL: all NULL or none), looked up in the referenced table's primary key or unique index. A
// missing log is reported (the commits since the last
// checkpoint, if any, are lost, as in SQLite); files in base/ no catalog entry names are
// mentioned as orphans (a crash during CREATE DATABASE leaves one; harmless).
//
// Errors: an operating-system error (58030, 53100 ...) is returned as it is, never as a failed
// integrity check; otherwise XX001 when anything was found.

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "common/bytes.h"
#include "engine/catalog.h"
#include "engine/data_dir.h"
#include "engine/engine.h"
#include "engine/index_expressions.h"
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
  std::vector<uint64_t> missing(table.indexes.size(), 0);
  std::vector<uint64_t> indexed(table.indexes.size(), 0);  // rows each index should hold
  BTree::Cursor cursor(rows);
  SQLRITE_TRY(cursor.SeekFirst());
  Row row;
  std::string key;
  // One row's findings; a lambda so `return` can skip the rest of a bad row.
  auto check_row = [&]() -> Status {
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
      // A partial index holds entries for the rows its predicate accepts only.
      SQLRITE_ASSIGN_OR_RETURN(bool in_index, RowInIndex(ix, row));
      if (!in_index) continue;
      ++indexed[i];
      SQLRITE_TRY(IndexKey(table, ix, row, cursor.key(), key));
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
    if (entry_count != indexed[i]) {
      finding("index \"" + ix.name + "\": " + std::to_string(entry_count) + " entries for " +
              std::to_string(indexed[i]) + " rows of table \"" + table.name + "\"");
    }
  }
  return findings;
}

// Whether a referencing column of type fk finds its values in a key column of type pk by their
// key encoding (engine/key_codec.h encodes by value, not by type): the same type, the integer
// family, or text beside varchar. A foreign key between other compatible types (an integer
// referencing numeric) is not checked here rather than reported falsely.
bool SameKeyEncoding(TypeId fk, TypeId pk) {
  auto integer = [](TypeId t) {
    return t == TypeId::kInt2 || t == TypeId::kInt4 || t == TypeId::kInt8;
  };
  auto text = [](TypeId t) { return t == TypeId::kText || t == TypeId::kVarchar; };
  return fk == pk || (integer(fk) && integer(pk)) || (text(fk) && text(pk));
}

// Appends one finding per foreign key of table whose rows reference keys the referenced table
// lacks; returns how many. NOT VALID foreign keys are skipped: rows stored before them were never
// checked, as PostgreSQL's convalidated says.
Result<int> CheckForeignKeys(storage::Pager& pager, const Catalog& catalog, const TableDef& table,
                             const std::string& where, std::string* report) {
  int findings = 0;
  for (const ForeignKey& fk : table.foreign_keys) {
    if (std::find(table.not_valid.begin(), table.not_valid.end(), fk.name) !=
        table.not_valid.end()) {
      continue;
    }
    auto finding = [&](const std::string& text) {
      ++findings;
      *report += where;
      *report += ": foreign key \"" + fk.name + "\" of table \"" + table.name + "\": ";
      *report += text;
      *report += '\n';
    };
    const TableDef* parent = catalog.Find(fk.ref_table);
    if (parent == nullptr || !parent->has_storage()) {
      finding("the referenced table \"" + fk.ref_table + "\" does not exist");
      continue;
    }
    bool comparable = fk.columns.size() == fk.ref_columns.size();
    for (size_t k = 0; comparable && k < fk.columns.size(); ++k) {
      comparable = SameKeyEncoding(table.columns[static_cast<size_t>(fk.columns[k])].type.id,
                                   parent->columns[static_cast<size_t>(fk.ref_columns[k])].type.id);
    }
    if (!comparable) {
      *report += where + ": foreign key \"" + fk.name + "\" of table \"" + table.name +
                 "\": not checked (its columns and the referenced ones are keyed differently)\n";
      continue;
    }
    // Where the referenced key is found: the rowid (an INTEGER PRIMARY KEY) or a unique index
    // on exactly the referenced columns.
    const bool by_rowid = fk.ref_columns.size() == 1 && fk.ref_columns[0] == parent->rowid_column;
    const IndexDef* index = nullptr;
    if (!by_rowid) {
      std::vector<int> wanted = fk.ref_columns;
      std::sort(wanted.begin(), wanted.end());
      for (const IndexDef& ix : parent->indexes) {
        std::vector<int> have = ix.columns;
        std::sort(have.begin(), have.end());
        if (ix.unique && !ix.deferrable && !ix.partial() && !ix.has_expressions() &&
            ix.root != storage::kInvalidPage && have == wanted)
          index = &ix;
      }
      if (index == nullptr) {
        finding("no unique index of \"" + parent->name + "\" holds the referenced columns");
        continue;
      }
    }
    BTree rows(pager, table.root);
    BTree::Cursor cursor(rows);
    SQLRITE_TRY(cursor.SeekFirst());
    Row row;
    Row parent_row(parent->columns.size());
    std::string key;
    uint64_t missing = 0;
    uint64_t partly_null = 0;
    // One row; a lambda so `return` can skip the rest of it.
    auto check_row = [&]() -> Status {
      SQLRITE_ASSIGN_OR_RETURN(std::string record, cursor.value());
      if (!DecodeRow(record, row)) return Ok();  // CheckIndexes reports it
      FillMissingColumns(table, row);
      if (row.size() != table.columns.size()) return Ok();  // as above
      size_t nulls = 0;
      for (int c : fk.columns) {
        if (std::holds_alternative<std::monostate>(row[static_cast<size_t>(c)])) ++nulls;
      }
      if (nulls == fk.columns.size() || (nulls > 0 && fk.match != 'f')) return Ok();
      if (nulls > 0) {
        ++partly_null;  // MATCH FULL: all NULL or none
        return Ok();
      }
      std::optional<std::string> found;
      if (by_rowid) {
        const auto* id = std::get_if<int64_t>(&row[static_cast<size_t>(fk.columns[0])]);
        if (id == nullptr) return Ok();
        SQLRITE_ASSIGN_OR_RETURN(found, BTree(pager, parent->root).Get(RowidKey(*id)));
      } else {
        for (size_t k = 0; k < fk.columns.size(); ++k) {
          parent_row[static_cast<size_t>(fk.ref_columns[k])] =
              row[static_cast<size_t>(fk.columns[k])];
        }
        SQLRITE_TRY(IndexKey(*parent, *index, parent_row, std::string_view(), key));
        SQLRITE_ASSIGN_OR_RETURN(found, BTree(pager, index->root).Get(key));
      }
      if (!found) ++missing;
      return Ok();
    };
    while (cursor.Valid()) {
      SQLRITE_TRY(check_row());
      SQLRITE_TRY(cursor.Next());
    }
    if (missing > 0) {
      finding(std::to_string(missing) + " rows reference keys that \"" + parent->name +
              "\" does not hold");
    }
    if (partly_null > 0) {
      finding(std::to_string(partly_null) + " rows have a key that is partly NULL (MATCH FULL)");
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
    auto orphans = CheckForeignKeys(p, **catalog, table, what, report);
    if (!orphans) {
      findings.AddError(what, "table \"" + name + "\": ", orphans.error());
    } else {
      findings.count += *orphans;
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
