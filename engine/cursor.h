#pragma once
// SQL cursors (DECLARE / FETCH / MOVE / CLOSE) of one session, with PostgreSQL 15's semantics.
//
// A Cursor reads its rows from a RowSource, a batch at a time. Today the source is the rows the
// cursor's query produced at DECLARE (MaterializedRows): the executor materializes every
// result. A streaming executor can hand the cursor a source that runs the query batch by batch
// instead; nothing else here changes. A scrollable cursor keeps every row it has read (to go
// back); a forward-only one keeps none.
//
// Positions follow PostgreSQL's portal (pquery.c: DoPortalRunFetch, PortalRunSelect,
// DoPortalRewind): the portal's atStart / atEnd / portalPos bookkeeping over an executor that
// sits before the first row, on a row, or past the last one. FETCH and MOVE of every direction
// give the same rows and counts as PostgreSQL, including its corner cases (FETCH 0 re-fetches
// the current row, MOVE BACKWARD ALL rewinds, ABSOLUTE past the end leaves the cursor after the
// last row).
//
// Lifetimes (CursorSet, driven by engine/cluster.cc): a cursor without HOLD ends with its
// transaction; a WITH HOLD cursor survives the COMMIT of the transaction that declared it (its
// rows are already materialized, which is what PostgreSQL does at that commit) and lives until
// CLOSE or the session's end; the rollback of the declaring transaction drops it; ROLLBACK TO a
// savepoint drops the cursors declared after it.
//
// Memory: a CursorSet holds at most kMaxHeldBytes of rows over all its cursors (DECLARE beyond
// that is 54000), so a session cannot pin unbounded memory by declaring cursors and leaving them.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/row_source.h"
#include "engine/sql/ast.h"

namespace sqlrite::engine {

// An estimate of the memory rows take (values and their vectors), for CursorSet's bound.
size_t ApproximateBytes(const std::vector<Row>& rows);

class Cursor {
 public:
  struct Options {
    bool binary = false;
    bool scrollable = false;  // SCROLL, or neither SCROLL nor NO SCROLL over a backward_scan plan
    bool hold = false;
  };
  Cursor(std::vector<ColumnInfo> columns, Options options, std::unique_ptr<RowSource> source,
         size_t bytes);

  // FETCH (rows: where the fetched rows go) or MOVE (rows null) in PostgreSQL's normal form
  // (ast::Fetch). Returns the count of the command tag. Errors: 55000 "cursor can only scan
  // forward" (with PostgreSQL's hint) when a forward-only cursor would have to go back; the
  // source's errors.
  Result<uint64_t> Fetch(ast::Fetch::Direction direction, int64_t count, std::vector<Row>* rows);

  const std::vector<ColumnInfo>& columns() const { return columns_; }
  const Options& options() const { return options_; }
  size_t bytes() const { return bytes_; }

 private:
  // PortalRunSelect: at most count rows (ast::Fetch::kFetchAll: all) in one direction.
  Result<uint64_t> RunSelect(bool forward, int64_t count, std::vector<Row>* rows);
  // DoPortalRewind.
  Status Rewind();
  // The executor: steps up to limit rows (0: no limit) from its position, appending them.
  Result<uint64_t> Step(bool forward, uint64_t limit, std::vector<Row>* rows);
  // Row k (1-based) of the result; null past the last. A forward-only cursor asks only for the
  // row after the last one read.
  Result<Row*> RowAt(uint64_t k);

  std::vector<ColumnInfo> columns_;
  Options options_;
  std::unique_ptr<RowSource> source_;
  size_t bytes_;
  // The portal's bookkeeping (PostgreSQL's atStart, atEnd, portalPos).
  bool at_start_ = true;
  bool at_end_ = false;
  uint64_t portal_pos_ = 0;
  // The executor's position: 0 before the first row, k on row k, total + 1 past the last.
  uint64_t exec_pos_ = 0;
  // Rows read from the source so far, and whether it has ended (then `read_` is the total).
  uint64_t read_ = 0;
  bool source_done_ = false;
  std::vector<Row> batch_;  // read from the source, not handed out yet
  size_t batch_next_ = 0;
  std::vector<Row> kept_;  // scrollable: every row read, row k at kept_[k - 1]
};

class CursorSet {
 public:
  static constexpr size_t kMaxHeldBytes = size_t{256} << 20;

  // Null when absent.
  Cursor* Find(const std::string& name);
  bool Has(const std::string& name) const { return cursors_.count(name) > 0; }
  // Adds a cursor, declared inside a transaction block (in_transaction: it ends with it, or is
  // kept by its COMMIT when WITH HOLD) or outside one (WITH HOLD, committed at once). Errors:
  // 42P03 when the name is taken; 54000 when the set would hold more than kMaxHeldBytes.
  Status Declare(const std::string& name, std::unique_ptr<Cursor> cursor, bool in_transaction);
  // False when absent.
  bool Close(const std::string& name);
  void CloseAll() {
    cursors_.clear();
    held_bytes_ = 0;
  }

  // The transaction ends: committed, the WITH HOLD cursors it declared are kept and the others
  // closed; rolled back, every cursor it declared is closed and the held ones of earlier
  // transactions stay.
  void EndTransaction(bool committed);
  // A mark for SAVEPOINT; RollbackTo(mark) closes the cursors declared since.
  uint64_t Mark() const { return next_serial_; }
  void RollbackTo(uint64_t mark);

  // Every cursor's name, ordered (tests, pg_cursors).
  std::vector<std::string> Names() const;
  size_t held_bytes() const { return held_bytes_; }

 private:
  struct Entry {
    std::unique_ptr<Cursor> cursor;
    uint64_t serial;  // order of declaration
    bool pending;     // declared in the current transaction (not yet committed)
  };
  void Erase(std::map<std::string, Entry>::iterator it);

  std::map<std::string, Entry> cursors_;
  uint64_t next_serial_ = 1;
  size_t held_bytes_ = 0;
};

}  // namespace sqlrite::engine
