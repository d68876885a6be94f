#include "engine/cursor.h"

#include <algorithm>

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine {

namespace {

constexpr int64_t kAll = ast::Fetch::kFetchAll;
// Rows asked of the source at a time.
constexpr size_t kBatchRows = 256;

Error ForwardOnly() {
  return Error(sqlstate::kObjectNotInPrerequisiteState, "cursor can only scan forward")
      .WithHint("Declare it with SCROLL option to enable backward scan.");
}

size_t DatumBytes(const Datum& d) {
  size_t bytes = sizeof(Datum);
  if (const auto* s = std::get_if<std::string>(&d)) bytes += s->capacity();
  return bytes;
}

}  // namespace

size_t ApproximateBytes(const std::vector<Row>& rows) {
  size_t bytes = rows.capacity() * sizeof(Row);
  for (const Row& row : rows) {
    bytes += (row.capacity() - row.size()) * sizeof(Datum);
    for (const Datum& d : row) bytes += DatumBytes(d);
  }
  return bytes;
}

Cursor::Cursor(std::vector<ColumnInfo> columns, Options options, std::unique_ptr<RowSource> source,
               size_t bytes)
    : columns_(std::move(columns)), options_(options), source_(std::move(source)), bytes_(bytes) {}

Result<Row*> Cursor::RowAt(uint64_t k) {
  SQLRITE_ASSERT(k >= 1);
  if (k <= read_) {
    SQLRITE_ASSERT(options_.scrollable);
    return &kept_[k - 1];
  }
  SQLRITE_ASSERT(k == read_ + 1);
  if (source_done_) return nullptr;
  if (batch_next_ == batch_.size()) {
    batch_.clear();
    batch_next_ = 0;
    SQLRITE_ASSIGN_OR_RETURN(size_t n, source_->NextBatch(kBatchRows, &batch_));
    if (n == 0) {
      source_done_ = true;
      return nullptr;
    }
  }
  ++read_;
  Row& row = batch_[batch_next_++];
  if (!options_.scrollable) return &row;
  kept_.push_back(std::move(row));
  return &kept_.back();
}

Result<uint64_t> Cursor::Step(bool forward, uint64_t limit, std::vector<Row>* rows) {
  uint64_t n = 0;
  while (limit == 0 || n < limit) {
    if (forward) {
      if (source_done_ && exec_pos_ > read_) break;  // past the end already
      SQLRITE_ASSIGN_OR_RETURN(Row * row, RowAt(exec_pos_ + 1));
      if (row == nullptr) {
        exec_pos_ = read_ + 1;
        break;
      }
      ++exec_pos_;
      if (rows != nullptr) {
        if (options_.scrollable) {
          rows->push_back(*row);
        } else {
          rows->push_back(std::move(*row));
        }
      }
    } else {
      SQLRITE_ASSERT(options_.scrollable);
      if (exec_pos_ <= 1) {
        exec_pos_ = 0;
        break;
      }
      --exec_pos_;
      if (rows != nullptr) rows->push_back(kept_[exec_pos_ - 1]);
    }
    ++n;
  }
  return n;
}

Result<uint64_t> Cursor::RunSelect(bool forward, int64_t count, std::vector<Row>* rows) {
  if (forward) {
    if (at_end_ || count <= 0) return uint64_t{0};
    const uint64_t limit = count == kAll ? 0 : static_cast<uint64_t>(count);
    SQLRITE_ASSIGN_OR_RETURN(uint64_t n, Step(true, limit, rows));
    if (n > 0) at_start_ = false;
    if (limit == 0 || n < limit) at_end_ = true;
    portal_pos_ += n;
    return n;
  }
  if (!options_.scrollable) return Fail(ForwardOnly());
  if (at_start_ || count <= 0) return uint64_t{0};
  const uint64_t limit = count == kAll ? 0 : static_cast<uint64_t>(count);
  SQLRITE_ASSIGN_OR_RETURN(uint64_t n, Step(false, limit, rows));
  if (n > 0 && at_end_) {
    at_end_ = false;
    ++portal_pos_;
  }
  if (limit == 0 || n < limit) {
    at_start_ = true;
    portal_pos_ = 0;
  } else {
    portal_pos_ -= n;
  }
  return n;
}

Status Cursor::Rewind() {
  if (at_start_ && !at_end_) return Ok();
  if (!options_.scrollable) return Fail(ForwardOnly());
  exec_pos_ = 0;
  at_start_ = true;
  at_end_ = false;
  portal_pos_ = 0;
  return Ok();
}

Result<uint64_t> Cursor::Fetch(ast::Fetch::Direction direction, int64_t count,
                               std::vector<Row>* rows) {
  using Direction = ast::Fetch::Direction;
  // As DoPortalRunFetch, case by case.
  switch (direction) {
    case Direction::kForward:
      if (count < 0) {
        direction = Direction::kBackward;
        count = -count;
      }
      break;
    case Direction::kBackward:
      if (count < 0) {
        direction = Direction::kForward;
        count = -count;
      }
      break;
    case Direction::kAbsolute:
      if (count > 0) {
        // Rewind and go count - 1 forward, or, when that is less than halfway back, go back
        // from here.
        if (static_cast<uint64_t>(count - 1) <= portal_pos_ / 2 ||
            portal_pos_ >= static_cast<uint64_t>(kAll)) {
          SQLRITE_TRY(Rewind());
          if (count > 1) SQLRITE_TRY(RunSelect(true, count - 1, nullptr));
        } else {
          int64_t pos = static_cast<int64_t>(portal_pos_);
          if (at_end_) ++pos;  // one extra fetch when off the end
          if (count <= pos) {
            SQLRITE_TRY(RunSelect(false, pos - count + 1, nullptr));
          } else if (count > pos + 1) {
            SQLRITE_TRY(RunSelect(true, count - pos - 1, nullptr));
          }
        }
        return RunSelect(true, 1, rows);
      }
      if (count < 0) {
        // To the end, back abs(count) - 1 rows, then the row before.
        SQLRITE_TRY(RunSelect(true, kAll, nullptr));
        if (count < -1) SQLRITE_TRY(RunSelect(false, -count - 1, nullptr));
        return RunSelect(false, 1, rows);
      }
      SQLRITE_TRY(Rewind());
      return RunSelect(true, 0, rows);
    case Direction::kRelative:
      if (count > 0) {
        if (count > 1) SQLRITE_TRY(RunSelect(true, count - 1, nullptr));
        return RunSelect(true, 1, rows);
      }
      if (count < 0) {
        if (count < -1) SQLRITE_TRY(RunSelect(false, -count - 1, nullptr));
        return RunSelect(false, 1, rows);
      }
      direction = Direction::kForward;  // RELATIVE 0 is FORWARD 0
      break;
  }
  bool forward = direction == Direction::kForward;
  if (count == 0) {
    // FETCH 0 re-fetches the current row; MOVE 0 says whether there is one.
    const bool on_row = !at_start_ && !at_end_;
    if (rows == nullptr) return uint64_t{on_row ? 1u : 0u};
    if (on_row) {
      SQLRITE_TRY(RunSelect(false, 1, nullptr));
      count = 1;
      forward = true;
    }
  }
  if (!forward && count == kAll && rows == nullptr) {
    // MOVE BACKWARD ALL is a rewind.
    uint64_t moved = portal_pos_;
    if (moved > 0 && !at_end_) --moved;
    SQLRITE_TRY(Rewind());
    return moved;
  }
  return RunSelect(forward, count, rows);
}

Cursor* CursorSet::Find(const std::string& name) {
  auto it = cursors_.find(name);
  return it == cursors_.end() ? nullptr : it->second.cursor.get();
}

Status CursorSet::Declare(const std::string& name, std::unique_ptr<Cursor> cursor,
                          bool in_transaction) {
  if (Has(name)) {
    return Fail(sqlstate::kDuplicateCursor, "cursor \"" + name + "\" already exists");
  }
  if (cursor->bytes() > kMaxHeldBytes - held_bytes_) {
    return Fail(Error(sqlstate::kProgramLimitExceeded,
                      "cursor \"" + name + "\" would hold more than " +
                          std::to_string(kMaxHeldBytes >> 20) + " MB of rows in this session")
                    .WithHint("Cursor results are held in server memory. Close cursors you no "
                              "longer need, or select fewer rows."));
  }
  held_bytes_ += cursor->bytes();
  cursors_.emplace(name, Entry{std::move(cursor), next_serial_++, in_transaction});
  return Ok();
}

void CursorSet::Erase(std::map<std::string, Entry>::iterator it) {
  held_bytes_ -= it->second.cursor->bytes();
  cursors_.erase(it);
}

bool CursorSet::Close(const std::string& name) {
  auto it = cursors_.find(name);
  if (it == cursors_.end()) return false;
  Erase(it);
  return true;
}

void CursorSet::EndTransaction(bool committed) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    Entry& e = it->second;
    const bool keep = e.cursor->options().hold && (!e.pending || committed);
    if (!keep) {
      Erase(it++);
      continue;
    }
    e.pending = false;
    ++it;
  }
}

void CursorSet::RollbackTo(uint64_t mark) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    if (it->second.pending && it->second.serial >= mark) {
      Erase(it++);
    } else {
      ++it;
    }
  }
}

std::vector<std::string> CursorSet::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : cursors_) names.push_back(name);
  return names;
}

}  // namespace sqlrite::engine
