#include "engine/exec/limit.h"

#include <algorithm>
#include <string>
#include <utility>

#include "common/assert.h"
#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

class Limit final : public Operator {
 public:
  Limit(OperatorPtr input, int64_t offset, int64_t limit, Ties ties)
      : input_(std::move(input)),
        offset_(static_cast<uint64_t>(offset)),
        limit_(static_cast<uint64_t>(limit)),
        skip_(offset_),
        left_(limit_),
        ties_(std::move(ties)) {
    SQLRITE_ASSERT(offset >= 0 && limit >= 0);
    SQLRITE_ASSERT(ties_.columns.size() == ties_.types.size());
  }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (skip_ > 0 && left_ > 0) {
      SQLRITE_ASSIGN_OR_RETURN(
          bool more, input_->Next(static_cast<size_t>(std::min<uint64_t>(skip_, kBatchRows)), out));
      if (!more) {
        left_ = 0;
        done_ = true;
        break;
      }
      skip_ -= out.size;
      out.Clear();
    }
    if (left_ == 0) return NextTies(max_rows, out);
    SQLRITE_ASSIGN_OR_RETURN(
        bool more, input_->Next(static_cast<size_t>(std::min<uint64_t>(left_, max_rows)), out));
    if (!more) {
      left_ = 0;
      done_ = true;
      return false;
    }
    left_ -= out.size;
    if (left_ == 0 && !ties_.columns.empty()) {
      KeyOf(out[out.size - 1], last_);
      have_last_ = true;
    }
    return true;
  }

  bool Rewind(const std::vector<Datum>* params) override {
    if (!input_->Rewind(params)) return false;
    skip_ = offset_;
    left_ = limit_;
    done_ = false;
    have_last_ = false;
    one_.Shed();
    return true;
  }

 private:
  void KeyOf(const Row& row, std::string& key) const {
    key.clear();
    for (size_t c = 0; c < ties_.columns.size(); ++c) {
      SQLRITE_ASSERT(ties_.columns[c] < row.size());
      AppendKeyColumn(key, row[ties_.columns[c]], ties_.types[c]);
    }
  }

  // After the limit's last row: the rows tied with it, one asked for at a time so that no row
  // past the last tie is computed.
  Result<bool> NextTies(size_t max_rows, Batch& out) {
    if (!have_last_) done_ = true;
    while (!done_ && out.size < max_rows) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(1, one_));
      if (!more) {
        done_ = true;
        break;
      }
      KeyOf(one_[0], key_);
      if (key_ != last_) {
        done_ = true;
        break;
      }
      std::swap(out.Add(), one_[0]);
    }
    return !out.empty();
  }

  OperatorPtr input_;
  uint64_t offset_;  // as built: what Rewind starts from again
  uint64_t limit_;
  uint64_t skip_;
  uint64_t left_;
  Ties ties_;
  bool done_ = false;       // nothing more is passed
  bool have_last_ = false;  // with ties: last_ holds the limit's last row's key
  std::string last_;
  std::string key_;  // scratch
  Batch one_;
};

}  // namespace

OperatorPtr MakeLimit(OperatorPtr input, int64_t offset, int64_t limit, Ties ties) {
  return std::make_unique<Limit>(std::move(input), offset, limit, std::move(ties));
}

}  // namespace sqlrite::engine::exec
