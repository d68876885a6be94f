#include "engine/exec/append.h"

#include <utility>

namespace sqlrite::engine::exec {
namespace {

class Append final : public Operator {
 public:
  explicit Append(std::vector<OperatorPtr> inputs) : inputs_(std::move(inputs)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    while (current_ < inputs_.size()) {
      SQLRITE_ASSIGN_OR_RETURN(bool more, inputs_[current_]->Next(max_rows, out));
      if (more) return true;
      inputs_[current_++].reset();  // its pages and state are not needed any more
    }
    out.Clear();
    return false;
  }

 private:
  std::vector<OperatorPtr> inputs_;
  size_t current_ = 0;
};

}  // namespace

OperatorPtr MakeAppend(std::vector<OperatorPtr> inputs) {
  return std::make_unique<Append>(std::move(inputs));
}

}  // namespace sqlrite::engine::exec
