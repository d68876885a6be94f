#include "engine/exec/spill_scan.h"

#include <optional>
#include <utility>

namespace sqlrite::engine::exec {
namespace {

class SpillScan final : public Operator {
 public:
  SpillScan(ReadContext& ctx, std::unique_ptr<SpillFile> file, size_t run)
      : ctx_(ctx), file_(std::move(file)), reader_(file_->Read(run)) {}

  Result<bool> Next(size_t max_rows, Batch& out) override {
    out.Clear();
    while (file_ != nullptr && out.size < max_rows) {
      if (ctx_.interrupts.Due()) SQLRITE_TRY(ctx_.interrupts.PollNow());
      Row& row = out.Add();
      SQLRITE_ASSIGN_OR_RETURN(bool has, reader_->Next(row));
      if (!has) {
        out.DropLast();
        reader_.reset();
        file_.reset();  // removes it
      }
    }
    return !out.empty();
  }

 private:
  ReadContext& ctx_;
  std::unique_ptr<SpillFile> file_;
  std::optional<SpillFile::Reader> reader_;
};

}  // namespace

OperatorPtr MakeSpillScan(ReadContext& ctx, std::unique_ptr<SpillFile> file, size_t run) {
  return std::make_unique<SpillScan>(ctx, std::move(file), run);
}

}  // namespace sqlrite::engine::exec
