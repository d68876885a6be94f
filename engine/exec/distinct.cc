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
    std::string key;
    while (out.empty()) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, input_->Next(max_rows, in_));
      if (!more) return false;
      for (size_t r = 0; r < in_.size; ++r) {
        if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
        key.clear();
        for (size_t c = 0; c < key_types_.size(); ++c) {
          AppendKeyColumn(key, in_[r][c], key_types_[c]);
        }
        if (seen_.insert(key).second) std::swap(out.Add(), in_[r]);
      }
    }
    return true;
  }

 private:
  ReadContext& ctx_;
  OperatorPtr input_;
  std::vector<TypeId> key_types_;
  std::set<std::string> seen_;
  Batch in_;
};

}  // namespace

OperatorPtr MakeDistinct(ReadContext& ctx, OperatorPtr input, std::vector<TypeId> key_types) {
  return std::make_unique<Distinct>(ctx, std::move(input), std::move(key_types));
}

}  // namespace sqlrite::engine::exec
