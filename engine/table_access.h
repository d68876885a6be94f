#pragma once
// Table access: rows of a table and the index entries that go with them, kept in step.
//
// A table is a B+tree from the rowid key (engine/key_codec.h) to the row record
// (engine/row_codec.h). Each UNIQUE / non-rowid PRIMARY KEY constraint is a B+tree from the
// encoded column values to the rowid key; a key holding a NULL gets the rowid appended, so NULLs
// never collide (as in PostgreSQL). Rows handed to these functions are already coerced to the
// column types.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/catalog.h"
#include "engine/database.h"
#include "engine/engine.h"
#include "engine/expression.h"
#include "engine/index_path.h"
#include "engine/interrupt.h"
#include "storage/btree.h"

namespace sqlrite::engine {

namespace exec {
struct SpillSettings;
}

// Checks NOT NULL (23502) and CHECK constraints (23514), assigns the rowid (the INTEGER PRIMARY KEY
// value, else `rowid` or the table's counter, which is advanced in `table`; the caller saves the
// definition), and writes the row and its index entries, failing with 23505 on a duplicate key. On
// error the tables may be partly written: the caller rolls the statement back. A new row of table:
// each column's default, NULL where it has none.
Row DefaultRow(const TableDef& def);

Status InsertRow(Database& db, TableDef& table, const Row& row,
                 std::optional<int64_t> rowid = std::nullopt);

// 23502 when a NOT NULL column of row is NULL (InsertRow's first check; ON CONFLICT makes it
// before looking for a conflict, as PostgreSQL).
Status CheckNotNull(const TableDef& table, const Row& row);

// Removes the row stored under rowid_key and its index entries.
Status DeleteRow(Database& db, const TableDef& table, std::string_view rowid_key, const Row& row);

// Replaces old_row (under rowid_key) by new_row, checking constraints as InsertRow does.
// Foreign keys are not these functions' business: the statement's ForeignKeyChecks
// (engine/foreign_keys.h) checks them at its end.
Status UpdateRow(Database& db, TableDef& table, std::string_view rowid_key, const Row& old_row,
                 const Row& new_row);

// Calls fn(rowid_key, row) for every row of table satisfying `where` (null: all rows) until fn
// returns false. `where` is bound over the table's columns in order. The rows are read through
// TableReader's access path for where (a point lookup, an index path, a rowid range).
// Every row read is checked against the table's definition (width, and the types of the values
// decoded: `where`'s columns for every row, all of them for a row it holds for): a damaged record
// is XX001 "invalid row in table ...". `interrupts` (null: none) is polled per row read, so a
// scan stops when its statement is interrupted.
// REQUIRES: fn does not modify the table (collect first, then modify).
using RowCallback = std::function<Result<bool>(std::string_view rowid_key, Row& row)>;
Status ScanTable(Database& db, const TableDef& table, const BoundExpr* where, const RowCallback& fn,
                 InterruptCheck* interrupts = nullptr);

// Calls fn for the rows of table whose rowid key is after `after_key` (empty: every row), in
// rowid order, until fn returns false: a scan that resumes where an earlier one stopped (COPY TO
// sends a table in pieces). Rows are checked as ScanTable checks them.
Status ScanTableAfter(storage::PageSource& pages, const TableDef& table, std::string_view after_key,
                      const RowCallback& fn, InterruptCheck* interrupts = nullptr);
// Whether row, decoded from one of table's records, fits the table: its width, each value's
// representation for its column type, int4 range, NOT NULL. Errors: XX001 "invalid row in
// table ..." with the reason as detail. (ScanTable applies it to every row; so can a checker.)
// needed (null: every column): the columns a reader decoded; a NULL in any other is not checked.
Status CheckRow(const TableDef& table, const Row& row, const std::vector<bool>* needed = nullptr);

// A record stored before ALTER TABLE ... ADD COLUMN is shorter than its table: the columns it
// lacks read as their missing values (ColumnDef::missing_value). Only a record of at least
// TableDef::min_record_columns is filled; a shorter one, or one wider than the table, is left
// as it is (CheckRow finds it: damage).
void FillMissingColumns(const TableDef& table, Row& row);

// A table's rows pulled one at a time through one access path, chosen from `where` when the
// reader opens: a point lookup when a conjunct pins the rowid or a single-column unique key to a
// constant (as ScanTable), else the index path given (engine/index_path.h: the key ranges of a
// secondary index, each entry's row then read from the table tree), else a rowid range when
// conjuncts bound the INTEGER PRIMARY KEY column by integer constants (<, <=, >, >=; or list
// them: IN, one key per value), else the whole table in rowid order. Open's `where` only picks
// the path (it narrows what is read); the reader applies a predicate only when given one by
// set_filter. Rows are checked as ScanTable checks them (XX001).
//
// It reads through `pages` and `table` only, never the Database, so a reader over a snapshot's
// page source (the snapshot step) is the same code. REQUIRES: pages, table and where outlive the
// reader, and the table's trees are not modified while it is open (B+tree cursors are
// invalidated by writes).
class TableReader {
 public:
  TableReader(storage::PageSource& pages, const TableDef& table);
  // index: the path IndexPathFor chose for where (null: none).
  Status Open(const BoundExpr* where, const IndexPath* index = nullptr);
  // Lets go of every page the reader holds (its cursors' leaves), as before Open: what a reader
  // kept past its snapshot must do (Operator::Rewind). Next then reports the end until Open.
  void Close();
  // The next row on the path into *row (its old contents are replaced); false at the end.
  // With a filter (set_filter), only rows it holds for.
  Result<bool> Next(Row& row);
  // Decode only these columns (per table column; the others read as NULL). Empty: all.
  void set_needed(std::vector<bool> needed);
  // Next returns only the rows `filter` (over the table's columns; null: none) is true for, and
  // decodes a row's other needed columns only once it holds, as PostgreSQL's scans deform a
  // tuple only as far as the qual reads before the rest: a selective filter over a wide row
  // costs the filter's columns per row, not the row's. A record is then checked (XX001) only in
  // the columns decoded. Next polls `interrupts` (if given) per row it reads, since it may read
  // many before it returns. REQUIRES: filter and interrupts outlive the reader (or the next
  // set_filter).
  void set_filter(const BoundExpr* filter, InterruptCheck* interrupts);
  // Rows the filter rejected since the reader was made (EXPLAIN ANALYZE's "Rows Removed by
  // Filter", pg_stat_all_tables' rows read).
  uint64_t rejected() const { return rejected_; }
  // Read the path's rows in descending key order (an ORDER BY ... DESC LIMIT served by an
  // index or the rowid: PostgreSQL's Index Scan Backward): the last range first, each range from
  // its end. Set before Open. A point lookup returns its row either way.
  void set_backward(bool backward) { backward_ = backward; }
  // The rowid key of the row Next returned last.
  std::string_view rowid_key() const { return rowid_key_; }
  // How the reader reads (tests, EXPLAIN later).
  enum class Path { kScan, kPoint, kRange, kIndex, kEmpty };
  Path path() const { return path_; }

 private:
  Status OpenForward(const BoundExpr* where, const IndexPath* index);
  Result<bool> NextIndexEntry();
  Result<bool> PrevIndexEntry();
  // Backward: positions cursor on the greatest key < stop (empty: the greatest key).
  static Status SeekBelow(storage::BTree::Cursor& cursor, std::string_view stop);

  storage::PageSource* pages_;
  const TableDef* table_;
  storage::BTree tree_;
  storage::BTree::Cursor cursor_;
  Path path_ = Path::kScan;
  std::string point_;      // kPoint: the rowid key
  std::string stop_key_;   // kRange: last key to read (inclusive); empty: no upper bound
  std::string start_key_;  // kRange read backward: first key to read (inclusive); empty: none
  bool backward_ = false;
  std::string rowid_key_;
  std::string scratch_;  // a record that continued on overflow pages
  // Decodes record (taken from owned when not null: a long value moves out of it) into row with
  // the needed columns; false when the filter rejects the row.
  Result<bool> DecodeIfAccepted(std::string_view record, std::string* owned, Row& row);

  std::vector<bool> needed_;
  const std::vector<bool>* needed() const { return needed_.empty() ? nullptr : &needed_; }
  const BoundExpr* filter_ = nullptr;
  InterruptCheck* interrupts_ = nullptr;
  std::vector<bool> filter_columns_;    // the columns filter_ reads
  bool filter_decodes_needed_ = false;  // every needed column is one filter_ reads
  uint64_t rejected_ = 0;
  // kIndex: the index tree, its cursor and the key ranges still to read.
  std::optional<storage::BTree> index_tree_;
  std::optional<storage::BTree::Cursor> index_cursor_;
  std::vector<KeyRange> ranges_;
  size_t range_ = 0;
  bool done_ = false;
};

// The index path a read of table under where takes (TableReader::Open's `index`), by where's
// shape (constants or parameters): ChooseIndexPath's, unless a point lookup applies
// (PinsOneRow), or a rowid range does and the index path pins no column.
std::optional<IndexPath> IndexPathFor(const TableDef& table, const BoundExpr& where);

// Whether TableReader::Open(&where) takes a point lookup (or proves that no row matches), from
// where's shape alone, without reading: a statement over such a path reads O(log n) pages, so
// it may run where a long read must not (server: inline on the session's io thread).
bool PinsOneRow(const TableDef& table, const BoundExpr& where);

// Whether TableReader::Open(&where), when it takes no point lookup, reads a rowid range rather
// than the whole table (conjuncts bound the INTEGER PRIMARY KEY by integer constants, or an IN
// list of them): EXPLAIN.
bool BoundsRowidRange(const TableDef& table, const BoundExpr& where);

// Fills index's (empty) tree from table's rows in one pass, as PostgreSQL's btree build: the
// entries are sorted, checked for duplicates on the sorted stream, and bulk-loaded bottom-up
// (storage/btree_builder.h). A unique index over duplicates fails with 23505 "could not create
// unique index" as PostgreSQL's build does. Entries past spill->work_mem of memory (the
// session's maintenance_work_mem: MaintenanceSpill) are sorted in runs written to temporary files
// of `spill` (its temp_file_limit applies) and merged; without a place to spill (null, or no
// space) they all stay in memory. `interrupts` as
// ScanTable's. The pages are the transaction's: an error leaves them to its rollback.
Status BuildIndex(Database& db, const TableDef& table, const IndexDef& index,
                  InterruptCheck* interrupts = nullptr, exec::SpillSettings* spill = nullptr);

// Removes every row and index entry.
Status ClearTable(Database& db, const TableDef& table);

// The key of row's entry in index (into *key); the rowid key is appended (the return value) for
// a non-unique index, and for a unique one when a column is NULL (unless NULLS NOT DISTINCT), so
// such entries never collide. An expression key is evaluated over row (its error is the
// statement's). A partial index has an entry only for a row RowInIndex
// (engine/index_expressions.h) accepts: the callers ask first.
Result<bool> IndexKey(const TableDef& table, const IndexDef& index, const Row& row,
                      std::string_view rowid_key, std::string& key);

// "(lower(b))=(x)": index's key for row as PostgreSQL's unique violations describe it.
Result<std::string> DescribeKey(const TableDef& table, const IndexDef& index, const Row& row);

// "(1, null)" as PostgreSQL prints a failing row in a constraint violation's detail.
std::string DescribeRow(const TableDef& table, const Row& row);

}  // namespace sqlrite::engine
