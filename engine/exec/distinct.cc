#include "engine/exec/distinct.h"

#include <set>
#include <string>
#include <utility>

#include "engine/key_codec.h"

namespace sqlrite::engine::exec {
namespace {

class Distinct final : public Operator {
 public:
  Distinct(ReadContext& ctx, OperatorPtr input, std::vector<TypeId> key_types)
      : ctx_(ctx), input_(std::move(input)), key_types_(std::move(key_types)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    if (!loaded_) SQLRITE_TRY(Load());
    while (out.size < max_rows && next_ < kept_.size()) std::swap(out.Add(), kept_[next_++]);
    if (next_ == kept_.size()) {
      kept_ = {};
      next_ = 0;
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<TypeId> key_types_;
  Status Load() {
    loaded_ = true;
    std::set<std::string> seen;
    std::string key;
    Batch in;
    for (;;) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(kBatchRows, in));
      if (!more) break;
      for (size_t r = 0; r < in.size; ++r) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        key.clear();
        for (size_t c = 0; c < key_types_.size(); ++c) {
          AppendKeyColumn(key, in[r][c], key_types_[c]);
        }
        if (seen.insert(key).second) kept_.push_back(std::move(in[r]));
      }
    }
    input_.reset();
    return Ok();
  }

  bool loaded_ = false;
  std::vector<Row> kept_;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeDistinct(ReadContext& ctx, OperatorPtr input, std::vector<TypeId> key_types) {
  return std::make_unique<Distinct>(ctx, std::move(input), std::move(key_types));
}

}  // namespace sqlrite::engine::exec
