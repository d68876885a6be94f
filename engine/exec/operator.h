#pragma once
// The operator interface of SELECT's pipeline: pull-based (Volcano, as PostgreSQL and BusTub),
// a batch of rows per call rather than one row (as DuckDB's chunks), so the virtual call and the
// bookkeeping of each operator are paid once per batch, not once per row.
//
// A batch is row-major: up to max_rows engine Rows (vectors of Datum). Its slots are reused from
// call to call: an operator that fills a batch overwrites the slot's old Row, whose vector keeps
// its capacity, so a steady pipeline does not reallocate the row vectors it passes along (the
// strings inside Datums are still allocated per value). A consumer may move rows out of a batch;
// the moved-from slot is simply refilled next time. Column chunks were not chosen: every
// expression in engine/expression.h evaluates a Row, and the sort, DISTINCT and group states hold
// whole rows; see docs/decisions.md.
//
// Operators reach tables only through a ReadContext (read_context.h).

#include <cstddef>
#include <memory>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"

namespace sqlrite::engine::exec {

// The rows a pipeline asks for per call when its consumer has no smaller need.
inline constexpr size_t kBatchRows = 1024;

struct Batch {
  std::vector<Row> rows;  // [0, size) are the batch; slots past size are spare, kept for reuse
  size_t size = 0;

  // A slot for the next row; its old contents are unspecified (overwrite them).
  Row& Add() {
    if (size == rows.size()) rows.emplace_back();
    return rows[size++];
  }
  // Gives back the slot Add() returned last (a row that did not pass a filter).
  void DropLast() { --size; }
  void Clear() { size = 0; }
  // Clear, and frees the rows' values, keeping one slot's vector for the next run: what a tree
  // kept between executions holds (Operator::Rewind), which must not pin a run's rows.
  void Shed() {
    size = 0;
    if (rows.size() > 1) rows.resize(1);
    if (!rows.empty()) rows[0].clear();
  }
  bool empty() const { return size == 0; }
  Row& operator[](size_t i) { return rows[i]; }
};

struct OperatorFacts;  // instrument.h

class Operator {
 public:
  virtual ~Operator() = default;
  // Replaces out's rows by the next 1..max_rows rows (max_rows > 0) and returns true; returns
  // false with out empty at the end, and at every call after it. An operator never reads more
  // of its input than the rows it was asked for need (a LIMIT 1 over a table reads one row).
  virtual Result<bool> Next(size_t max_rows, Batch& out) = 0;
  // Adds what EXPLAIN ANALYZE prints about this operator's run so far (instrument.h) to facts.
  // Called only under EXPLAIN ANALYZE, by the counting operator wrapped around this one; the
  // operators with nothing to tell keep this default.
  virtual void ReportFacts(OperatorFacts& /*facts*/) const {}
  // Puts the operator (and its inputs) back in the state it was built in, so that the same
  // tree runs again (a prepared statement's next Execute, engine/exec/kept_pipeline.h): drops
  // every row, page and cursor it holds (its batches shed, Batch::Shed), and, with params, puts
  // those parameter values where
  // the ones it was built with were (rebind_params.h). Returns false when this operator cannot
  // (the default: its state is not worth resetting, or it consumed what it was built with);
  // the tree is then destroyed, never run again.
  virtual bool Rewind(const std::vector<Datum>* /*params*/) { return false; }
};
using OperatorPtr = std::unique_ptr<Operator>;

}  // namespace sqlrite::engine::exec
