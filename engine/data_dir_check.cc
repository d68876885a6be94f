// CheckDataDir: the offline integrity check behind `sqlrited check`.
//
// Per database file (global.sqlrite and every base/<oid>.sqlrite): opening runs WAL recovery;
// then storage::CheckIntegrity verifies every B+tree (the catalog, each table and index) and
// that every page is reachable exactly once (trees with their overflow chains, the free list,
// the header); finally each index must hold exactly one entry per row, under the key the row
// gives, pointing at the row's rowid.

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

// Checks one database file; returns the number of findings.
int CheckDatabaseFile(const std::string& path, const std::string& what,
                      const storage::Pager::Options& options, storage::FileSystem& fs,
                      std::string* report) {
  auto pager = OpenPagerWithWal(path, options, fs);
  if (!pager) {
    *report += what + ": cannot open: " + pager.error().message + "\n";
    return 1;
  }
  storage::Pager& p = **pager;
  int findings = 0;
  auto catalog = Catalog::Load(p);
  if (!catalog) {
    *report += what + ": catalog unreadable: " + catalog.error().message + "\n";
    return 1;
  }
  std::vector<storage::PageId> roots{p.GetMeta(storage::MetaSlot::kCatalogRoot)};
  for (const auto& [name, table] : (*catalog)->tables()) {
    roots.push_back(table.root);
    for (const IndexDef& ix : table.indexes) {
      if (ix.root != storage::kInvalidPage) roots.push_back(ix.root);
    }
  }
  if (auto status = storage::CheckIntegrity(p, roots); !status) {
    *report += what + ": " + status.error().message + "\n";
    return 1;  // the trees are not sound enough to compare indexes with rows
  }
  for (const auto& [name, table] : (*catalog)->tables()) {
    auto n = CheckIndexes(p, table, what, report);
    if (!n) {
      *report += what + ": table \"" + name + "\": " + n.error().message + "\n";
      ++findings;
    } else {
      findings += *n;
    }
  }
  p.Rollback();  // Load may have created an empty catalog tree in a never-used file
  if (findings == 0) {
    *report += what + ": ok (" + std::to_string((*catalog)->tables().size()) + " tables, " +
               std::to_string(p.page_count()) + " pages)\n";
  }
  if (auto closed = p.Close(); !closed) {
    *report += what + ": close failed: " + closed.error().message + "\n";
    ++findings;
  }
  return findings;
}

}  // namespace

Status CheckDataDir(const std::string& data_dir, std::string* report) {
  return CheckDataDir(data_dir, report, storage::PosixFileSystem());
}

Status CheckDataDir(const std::string& data_dir, std::string* report, storage::FileSystem& fs) {
  std::string scratch;
  if (report == nullptr) report = &scratch;
  SQLRITE_ASSIGN_OR_RETURN(bool is_data_dir, fs.FileExists(GlobalPath(data_dir)));
  if (!is_data_dir) {
    return Fail(sqlstate::kIoError, "\"" + data_dir + "\" is not a data directory");
  }
  SQLRITE_ASSIGN_OR_RETURN(auto lock, LockDataDir(data_dir, fs));
  storage::Pager::Options options;
  options.cache_bytes = 8u << 20;
  int findings = 0;
  std::vector<std::pair<std::string, uint32_t>> databases;
  {
    auto global = OpenPagerWithWal(GlobalPath(data_dir), options, fs);
    if (!global) {
      *report += "global: cannot open: " + global.error().message + "\n";
      return Fail(sqlstate::kDataCorrupted, "the data directory failed its integrity check");
    }
    storage::Pager& g = **global;
    std::vector<storage::PageId> roots{g.GetMeta(storage::MetaSlot::kCatalogRoot),
                                       g.GetMeta(storage::MetaSlot::kUser1)};
    if (auto status = storage::CheckIntegrity(g, roots); !status) {
      *report += "global: " + status.error().message + "\n";
      return Fail(sqlstate::kDataCorrupted, "the data directory failed its integrity check");
    }
    BTree list = DatabasesTree(g);
    BTree::Cursor cursor(list);
    SQLRITE_TRY(cursor.SeekFirst());
    while (cursor.Valid()) {
      SQLRITE_ASSIGN_OR_RETURN(std::string value, cursor.value());
      if (value.size() != 4) {
        *report += "global: malformed entry for database \"" + std::string(cursor.key()) + "\"\n";
        ++findings;
      } else {
        databases.emplace_back(std::string(cursor.key()), LoadLE<uint32_t>(value.data()));
      }
      SQLRITE_TRY(cursor.Next());
    }
    *report += "global: ok (" + std::to_string(databases.size()) + " databases)\n";
    (void)g.Close();
  }
  for (const auto& [name, oid] : databases) {
    const std::string path = DatabasePath(data_dir, oid);
    const std::string what = "database \"" + name + "\"";
    SQLRITE_ASSIGN_OR_RETURN(bool exists, fs.FileExists(path));
    if (!exists) {
      *report += what + ": ok (never opened, no file)\n";
      continue;
    }
    findings += CheckDatabaseFile(path, what, options, fs, report);
  }
  if (findings > 0) {
    *report += std::to_string(findings) + " problem(s) found\n";
    return Fail(sqlstate::kDataCorrupted, "the data directory failed its integrity check");
  }
  *report += "ok\n";
  return Ok();
}

}  // namespace sqlrite::engine
