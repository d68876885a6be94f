#include "engine/exec/instrument.h"

#include <chrono>
#include <utility>

namespace sqlrite::engine::exec {
namespace {

class Counting final : public Operator {
 public:
  Counting(OperatorPtr op, NodeStats& stats, bool timing)
      : op_(std::move(op)), stats_(stats), timing_(timing) {}
  ~Counting() override { EndLoop(); }

  Result<bool> Next(size_t max_rows, Batch& out) override {
    if (!started_) {
      started_ = true;
      ++stats_.loops;
    }
    if (!timing_) return Count(op_->Next(max_rows, out), out);
    const auto begin = std::chrono::steady_clock::now();
    Result<bool> more = op_->Next(max_rows, out);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    stats_.total += seconds;
    if (!first_row_seen_) stats_.startup += seconds;
    return Count(std::move(more), out);
  }

  // Its facts are its node's (EndLoop), not those of a node above it.
  void ReportFacts(OperatorFacts&) const override {}

 private:
  Result<bool> Count(Result<bool> more, const Batch& out) {
    if (more && *more) {
      stats_.rows += out.size;
      first_row_seen_ = first_row_seen_ || out.size > 0;
    } else {
      EndLoop();
    }
    return more;
  }
  // The operator's facts, once per loop: at its end, or when it is dropped before (a LIMIT
  // stops pulling).
  void EndLoop() {
    if (!started_ || reported_) return;
    reported_ = true;
    op_->ReportFacts(stats_.facts);
  }

  OperatorPtr op_;
  NodeStats& stats_;
  bool timing_;
  bool started_ = false;
  bool first_row_seen_ = false;
  bool reported_ = false;
};

}  // namespace

OperatorPtr Instrument(OperatorPtr op, NodeStats& stats, bool timing) {
  return std::make_unique<Counting>(std::move(op), stats, timing);
}

}  // namespace sqlrite::engine::exec
