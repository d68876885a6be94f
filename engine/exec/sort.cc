#include "engine/exec/sort.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "engine/exec/instrument.h"
#include "engine/expression.h"
#include "engine/interruptible_sort.h"
#include "engine/types/json.h"

namespace sqlrite::engine::exec {
namespace {

// Reads from a run fetch this much at a time (spill_file.cc): the merge fan-in is work_mem over
// it, so the merge's buffers stay within work_mem.
constexpr size_t kRunBuffer = size_t{32} << 10;
// PostgreSQL's MINORDER: a merge takes at least this many runs at once.
constexpr size_t kMinFanIn = 6;

// jsonb_cmp of two jsonb texts (a text that does not parse, which a stored value never is,
// compares as text).
int CompareJsonb(const Datum& x, const Datum& y) {
  auto a = json::FromJsonb(DatumAs<std::string>(x));
  auto b = json::FromJsonb(DatumAs<std::string>(y));
  if (!a || !b) return CompareDatums(x, y);
  return json::Compare(*a, *b);
}

// <0 when a sorts before b under keys, 0 when they tie.
int CompareRows(const std::vector<SortKey>& keys, const Row& a, const Row& b) {
  for (const SortKey& k : keys) {
    const Datum& x = a[k.column];
    const Datum& y = b[k.column];
    const bool xn = IsNull(x), yn = IsNull(y);
    if (xn || yn) {
      if (xn && yn) continue;
      return xn == k.nulls_first ? -1 : 1;
    }
    const int c = k.jsonb ? CompareJsonb(x, y) : CompareDatums(x, y);
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

// One merge: the next row of several sorted runs, the earliest run's first among equal rows.
class Merge {
 public:
  Merge(const std::vector<SortKey>& keys, std::vector<SpillFile::Reader> readers)
      : keys_(keys), readers_(std::move(readers)), heads_(readers_.size()) {}

  Status Start() {
    for (size_t i = 0; i < readers_.size(); ++i) {
      SQLRITE_ASSIGN_OR_RETURN(bool has, readers_[i].Next(heads_[i]));
      if (has) Push(i);
    }
    return Ok();
  }
  // Moves the next row into row; false at the end.
  Result<bool> Next(Row& row) {
    if (heap_.empty()) return false;
    std::pop_heap(heap_.begin(), heap_.end(), [this](size_t a, size_t b) { return Later(a, b); });
    const size_t run = heap_.back();
    heap_.pop_back();
    row.swap(heads_[run]);
    SQLRITE_ASSIGN_OR_RETURN(bool has, readers_[run].Next(heads_[run]));
    if (has) Push(run);
    return true;
  }

 private:
  // The heap's order: its front is the row that comes first.
  bool Later(size_t a, size_t b) const {
    const int c = CompareRows(keys_, heads_[a], heads_[b]);
    return c != 0 ? c > 0 : a > b;
  }
  void Push(size_t run) {
    heap_.push_back(run);
    std::push_heap(heap_.begin(), heap_.end(), [this](size_t a, size_t b) { return Later(a, b); });
  }

  const std::vector<SortKey>& keys_;
  std::vector<SpillFile::Reader> readers_;
  std::vector<Row> heads_;
  std::vector<size_t> heap_;
};

class Sort final : public Operator {
 public:
  Sort(ReadContext& ctx, OperatorPtr input, std::vector<SortKey> keys, size_t keep_width,
       uint64_t bound)
      : ctx_(ctx),
        input_(std::move(input)),
        keys_(std::move(keys)),
        keep_width_(keep_width),
        bound_(bound) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!sorted_) SQLRITE_TRY(Load());
    if (merge_ != nullptr) {
      while (out.size < max_rows) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        Row& row = out.Add();
        SQLRITE_ASSIGN_OR_RETURN(bool has, merge_->Next(row));
        if (!has) {
          out.DropLast();
          merge_.reset();
          runs_.clear();
          files_.clear();  // removes the temporary files
          break;
        }
        row.resize(keep_width_);
      }
      return !out.empty();
    }
    while (out.size < max_rows && next_ < order_.size()) {
      Row& row = out.Add();
      row = std::move(rows_[order_[next_++]]);
      row.resize(keep_width_);
    }
    if (next_ == order_.size()) {
      rows_ = {};
      order_ = {};
      next_ = 0;
    }
    return !out.empty();
  }

  void ReportFacts(OperatorFacts& facts) const override {
    if (!sorted_) return;
    if (disk_bytes_ > 0) {
      facts.sort_method = OperatorFacts::SortMethod::kExternalMerge;
      facts.sort_bytes = disk_bytes_;
    } else {
      facts.sort_method =
          trimmed_ ? OperatorFacts::SortMethod::kTopN : OperatorFacts::SortMethod::kQuicksort;
      facts.sort_bytes = sorted_memory_;
    }
  }

 private:
  // A sorted run: the file holding it and its index there.
  struct RunRef {
    SpillFile* file;
    size_t run;
  };

  // Sorts rows_ stably into order_.
  Status SortRows() {
    order_.resize(rows_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    auto less = [this](size_t a, size_t b) { return CompareRows(keys_, rows_[a], rows_[b]) < 0; };
    return InterruptibleStableSort(order_, less, ctx_.interrupts);
  }

  // A bounded sort keeps the bound best rows: sorted, the rest dropped (they come after, and
  // every later row ties after them).
  Status Trim() {
    trimmed_ = true;
    SQLRITE_TRY(SortRows());
    std::vector<Row> kept;
    kept.reserve(static_cast<size_t>(bound_));
    for (size_t i = 0; i < bound_; ++i) kept.push_back(std::move(rows_[order_[i]]));
    rows_ = std::move(kept);
    // rows_ is in order now.
    order_.resize(rows_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    memory_ = 0;
    for (const Row& r : rows_) memory_ += RowMemory(r);
    return Ok();
  }

  Result<SpillFile*> NewFile() {
    SQLRITE_ASSIGN_OR_RETURN(std::unique_ptr<SpillFile> file, SpillFile::Create(ctx_.spill));
    files_.push_back(std::move(file));
    return files_.back().get();
  }

  // Writes rows_, sorted, as the next run.
  Status WriteRun() {
    SQLRITE_TRY(SortRows());
    if (files_.empty()) {
      SQLRITE_ASSIGN_OR_RETURN(SpillFile * made, NewFile());
      static_cast<void>(made);
    }
    SpillFile& file = *files_.front();
    for (size_t i : order_) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      SQLRITE_TRY(file.Append(rows_[i]));
    }
    SQLRITE_ASSIGN_OR_RETURN(size_t run, file.EndRun());
    disk_bytes_ += file.run_bytes(run);
    runs_.push_back(RunRef{&file, run});
    rows_.clear();
    order_.clear();
    memory_ = 0;
    return Ok();
  }

  Result<std::unique_ptr<Merge>> StartMerge(size_t begin, size_t end) {
    std::vector<SpillFile::Reader> readers;
    for (size_t i = begin; i < end; ++i) readers.push_back(runs_[i].file->Read(runs_[i].run));
    auto merge = std::make_unique<Merge>(keys_, std::move(readers));
    SQLRITE_TRY(merge->Start());
    return merge;
  }

  Status Load() {
    sorted_ = true;
    Batch batch;
    const bool bounded = bound_ != kNoSortBound;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(kBatchRows, batch));
      if (!more) break;
      for (size_t r = 0; r < batch.size; ++r) {
        if (bounded && bound_ == 0) continue;
        memory_ += RowMemory(batch[r]);
        rows_.push_back(std::move(batch[r]));
        if (bounded && rows_.size() / 2 >= bound_ && runs_.empty()) {
          SQLRITE_TRY(Trim());
        } else if (memory_ > ctx_.spill.work_mem && ctx_.spill.can_spill()) {
          SQLRITE_TRY(WriteRun());
        }
      }
    }
    input_.reset();
    if (runs_.empty()) {
      if (bounded && rows_.size() > bound_) SQLRITE_TRY(Trim());
      sorted_memory_ = memory_;
      if (trimmed_) return Ok();  // Trim left rows_ sorted
      return SortRows();
    }
    if (!rows_.empty()) SQLRITE_TRY(WriteRun());
    // Merge passes until one merge can take every run: consecutive runs merge into one run that
    // takes their place, so the earlier-run-first rule still gives input order among ties.
    const size_t fan_in = std::max(kMinFanIn, ctx_.spill.work_mem / kRunBuffer);
    while (runs_.size() > fan_in) {
      std::vector<std::unique_ptr<SpillFile>> old_files = std::move(files_);
      files_.clear();
      SQLRITE_ASSIGN_OR_RETURN(SpillFile * out, NewFile());
      std::vector<RunRef> merged;
      for (size_t begin = 0; begin < runs_.size(); begin += fan_in) {
        SQLRITE_ASSIGN_OR_RETURN(std::unique_ptr<Merge> merge,
                                 StartMerge(begin, std::min(runs_.size(), begin + fan_in)));
        Row row;
        for (;;) {
          if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
          SQLRITE_ASSIGN_OR_RETURN(bool has, merge->Next(row));
          if (!has) break;
          SQLRITE_TRY(out->Append(row));
        }
        SQLRITE_ASSIGN_OR_RETURN(size_t run, out->EndRun());
        merged.push_back(RunRef{out, run});
      }
      runs_ = std::move(merged);
      old_files.clear();  // the previous pass's file is read through
    }
    SQLRITE_ASSIGN_OR_RETURN(merge_, StartMerge(0, runs_.size()));
    return Ok();
  }

  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<SortKey> keys_;
  size_t keep_width_;
  uint64_t bound_;
  bool sorted_ = false;
  std::vector<Row> rows_;
  size_t memory_ = 0;  // RowMemory of rows_
  // EXPLAIN ANALYZE's figures: the memory of the rows sorted in memory, the bytes of the runs.
  size_t sorted_memory_ = 0;
  bool trimmed_ = false;  // a bounded sort dropped rows (PostgreSQL's top-N heapsort)
  uint64_t disk_bytes_ = 0;
  std::vector<size_t> order_;
  size_t next_ = 0;
  // Spilled: the files (the newest pass's first), the runs in input order, the last merge.
  std::vector<std::unique_ptr<SpillFile>> files_;
  std::vector<RunRef> runs_;
  std::unique_ptr<Merge> merge_;
};

}  // namespace

OperatorPtr MakeSort(ReadContext& ctx, OperatorPtr input, std::vector<SortKey> keys,
                     size_t keep_width, uint64_t bound) {
  return std::make_unique<Sort>(ctx, std::move(input), std::move(keys), keep_width, bound);
}

}  // namespace sqlrite::engine::exec
