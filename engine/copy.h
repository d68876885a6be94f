#pragma once
// COPY's two executors, driven by the Cluster across many engine tasks (engine/cluster.cc owns
// the transaction around them): CopyFrom takes the input of COPY FROM STDIN piece by piece and
// inserts each row as its record completes; CopyTo produces the rows of COPY TO STDOUT a chunk
// at a time. Neither holds more than one chunk of input or output, so a COPY of any size runs
// in bounded memory. Engine thread only.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/column_defaults.h"
#include "engine/copy_binary.h"
#include "engine/copy_format.h"
#include "engine/copy_options.h"
#include "engine/executor.h"
#include "engine/foreign_keys.h"

namespace sqlrite::engine {

class CopyFrom {
 public:
  // Looks the table and columns up and checks the options. Errors: 42P01, 42703, 42701, the
  // options' errors.
  static Result<std::unique_ptr<CopyFrom>> Begin(ExecContext& ctx, const ast::Copy& stmt);

  size_t columns() const { return targets_.size(); }
  bool binary() const { return options_.binary; }
  // Parses the pieces (CopyData payloads, in order) and inserts every record they complete.
  // Errors carry PostgreSQL's CONTEXT ("COPY t, line 3, column b: \"x\""); the caller rolls
  // back.
  Status Feed(const std::vector<std::string_view>& pieces);
  // The input ended (CopyDone): the last record, then the table's rowid counter is saved.
  // Returns the number of rows inserted.
  Result<uint64_t> Finish();
  // The CONTEXT of an error that stops the COPY while it waits for input (CopyFail): the line
  // being read, as PostgreSQL counts it.
  std::string WaitingContext() const;

 private:
  CopyFrom(ExecContext ctx, TableDef* table, CopyOptions options, std::vector<int> targets);
  Status Drain(bool at_eof);
  Status InsertRecord(const CopyLineReader::Record& record);
  // row_ with the defaults of the columns COPY does not fill (evaluated per row: a SERIAL's
  // nextval) and NULL in the others.
  Status StartRow();
  Status DrainBinary(bool at_eof);
  Status InsertBinaryTuple(const CopyBinaryReader::Tuple& tuple);
  Error WithBinaryContext(Error error, uint64_t line, int column) const;
  Error WithContext(Error error, const CopyLineReader::Record* record, int column,
                    const CopyField* value) const;

  ExecContext ctx_;
  TableDef* table_;
  const CopyOptions options_;
  std::vector<int> targets_;                       // table column of each input field
  std::vector<bool> force_not_null_;               // per input field
  std::vector<bool> force_null_;                   // per input field
  CopyLineReader reader_;                          // text and CSV
  std::optional<CopyBinaryReader> binary_reader_;  // binary
  std::vector<CopyField> fields_;
  Row row_;
  std::optional<ColumnDefaults> defaults_;        // bound by the first StartRow
  std::optional<ForeignKeyChecks> foreign_keys_;  // the rows' keys, checked by Finish
  std::vector<size_t> default_columns_;           // the columns not in targets_
  InterruptCheck interrupts_;
  bool header_pending_ = false;
  uint64_t count_ = 0;
  int64_t rowid_before_ = 0;  // the table's rowid_reserved when the COPY began
  bool generated_ = false;    // the table has generated columns (no DDL runs during a COPY)
};

class CopyTo {
 public:
  // COPY t [(cols)] TO STDOUT reads the table in rowid order, a chunk per call; COPY (query)
  // TO STDOUT runs the query here and formats its result a chunk per call.
  static Result<std::unique_ptr<CopyTo>> Begin(ExecContext& ctx, const ast::Copy& stmt);

  size_t columns() const { return types_.size(); }
  bool binary() const { return options_.binary; }
  // Appends whole rows to *out until it holds at least max_bytes or the rows are over, pushing
  // the end offset of each row to *row_ends (the header line counts as a row). True when the
  // last row has been appended. Binary: the file header goes with the first row (or the trailer),
  // and the trailer is a row of its own, as PostgreSQL sends them.
  Result<bool> Next(size_t max_bytes, std::string* out, std::vector<size_t>* row_ends);
  uint64_t count() const { return count_; }

 private:
  CopyTo(ExecContext ctx, CopyOptions options);
  Result<bool> NextRows(size_t max_bytes, std::string* out, std::vector<size_t>* row_ends);
  void AppendRow(const Row& row, std::string* out);

  ExecContext ctx_;
  const CopyOptions options_;
  std::string table_name_;          // the table's RelationKey; empty with a query
  std::vector<int> sources_;        // table column of each output column
  std::vector<TypeId> types_;       // per output column
  std::vector<bool> force_quote_;   // per output column
  std::vector<std::string> names_;  // for the header
  bool header_pending_ = false;
  bool binary_header_pending_ = false;
  std::string last_key_;         // the table scan resumes after this rowid key
  std::vector<Row> query_rows_;  // COPY (query): its result
  size_t next_query_row_ = 0;
  InterruptCheck interrupts_;
  uint64_t count_ = 0;
};

}  // namespace sqlrite::engine
