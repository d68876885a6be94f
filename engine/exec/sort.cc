#include "engine/exec/sort.h"

#include <utility>

#include "engine/expression.h"
#include "engine/interruptible_sort.h"
#include "engine/types/json.h"

namespace sqlrite::engine::exec {
namespace {

// jsonb_cmp of two jsonb texts (a text that does not parse, which a stored value never is,
// compares as text).
int CompareJsonb(const Datum& x, const Datum& y) {
  auto a = json::FromJsonb(DatumAs<std::string>(x));
  auto b = json::FromJsonb(DatumAs<std::string>(y));
  if (!a || !b) return CompareDatums(x, y);
  return json::Compare(*a, *b);
}

class Sort final : public Operator {
 public:
  Sort(ReadContext& ctx, OperatorPtr input, std::vector<SortKey> keys, size_t keep_width)
      : ctx_(ctx), input_(std::move(input)), keys_(std::move(keys)), keep_width_(keep_width) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!sorted_) SQLRITE_TRY(Load());
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

 private:
  Status Load() {
    sorted_ = true;
    Batch batch;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(kBatchRows, batch));
      if (!more) break;
      for (size_t r = 0; r < batch.size; ++r) rows_.push_back(std::move(batch[r]));
    }
    input_.reset();
    order_.resize(rows_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    auto less = [this](size_t a, size_t b) {
      for (const SortKey& k : keys_) {
        const Datum& x = rows_[a][k.column];
        const Datum& y = rows_[b][k.column];
        const bool xn = IsNull(x), yn = IsNull(y);
        if (xn || yn) {
          if (xn && yn) continue;
          return xn == k.nulls_first;
        }
        const int c = k.jsonb ? CompareJsonb(x, y) : CompareDatums(x, y);
        if (c != 0) return k.descending ? c > 0 : c < 0;
      }
      return false;
    };
    return InterruptibleStableSort(order_, less, ctx_.interrupts);
  }

  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<SortKey> keys_;
  size_t keep_width_;
  bool sorted_ = false;
  std::vector<Row> rows_;
  std::vector<size_t> order_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeSort(ReadContext& ctx, OperatorPtr input, std::vector<SortKey> keys,
                     size_t keep_width) {
  return std::make_unique<Sort>(ctx, std::move(input), std::move(keys), keep_width);
}

}  // namespace sqlrite::engine::exec
