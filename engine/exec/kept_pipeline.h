#pragma once
// A prepared SELECT's operators kept from one Execute to the next, rewound instead of built
// again (PostgreSQL rebuilds its executor state per execution; here, building and destroying a
// point lookup's tree was a quarter of the instructions of pgbench's select-only Execute).
//
// The pieces that outlive one execution: the ReadContext the operators refer to, the root of
// their tree, and the page source the context names, which is retargeted at each execution's
// snapshot (the operators hold a reference to the context, and the context one to its pages,
// so neither can change identity). Between executions the tree holds no page, row or cursor
// (Operator::Rewind), so the snapshot it last read may end.
//
// Ownership and threads: a slot belongs to one kept plan (engine/prepared_plan.h) and holds at
// most one idle pipeline. An Execute takes it (or finds none and builds one); the pipeline's
// OperatorRows puts it back when destroyed, which may be on another thread than the one that
// took it (a long read pulled off the session's io thread), hence the mutex; two portals of
// one statement each run their own tree, and the second one put back is dropped.

#include <memory>
#include <mutex>
#include <utility>

#include "common/assert.h"
#include "engine/exec/operator.h"
#include "engine/exec/read_context.h"
#include "storage/page_source.h"

namespace sqlrite::engine::exec {

// A PageSource that forwards to another, chosen per execution.
class RetargetablePages final : public storage::PageSource {
 public:
  // target: this execution's pages; null between executions.
  void Retarget(storage::PageSource* target) { target_ = target; }

  Result<storage::PageRef> Get(storage::PageId id) override {
    SQLRITE_ASSERT(target_ != nullptr);
    return target_->Get(id);
  }
  uint32_t GetMeta(storage::MetaSlot slot) const override {
    SQLRITE_ASSERT(target_ != nullptr);
    return target_->GetMeta(slot);
  }
  uint32_t page_count() const override {
    SQLRITE_ASSERT(target_ != nullptr);
    return target_->page_count();
  }

 private:
  storage::PageSource* target_ = nullptr;
};

// An idle pipeline: rewound, targeting no pages. Members in dependency order: the tree refers
// to the context, the context to the pages.
struct KeptPipeline {
  std::unique_ptr<RetargetablePages> pages;
  std::unique_ptr<ReadContext> context;
  OperatorPtr root;  // destroyed first (declared last)
};

class KeptPipelineSlot {
 public:
  // The idle pipeline, or null (none yet, in use by another portal, or disabled).
  std::unique_ptr<KeptPipeline> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_ != nullptr) ++reuses_;
    return std::move(idle_);
  }
  // Keeps kept unless the slot holds one already or is disabled. REQUIRES: kept rewound,
  // targeting no pages.
  void Put(std::unique_ptr<KeptPipeline> kept) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_ == nullptr && !disabled_) idle_ = std::move(kept);
  }
  // The plan's trees cannot be rewound (plan::Instantiate's `rewindable`, or an operator's
  // Rewind): no Execute tries again.
  void Disable() {
    std::lock_guard<std::mutex> lock(mu_);
    disabled_ = true;
    idle_.reset();
  }
  bool disabled() const {
    std::lock_guard<std::mutex> lock(mu_);
    return disabled_;
  }
  // How many Takes found a pipeline to reuse: what a test of reuse counts.
  int reuses() const {
    std::lock_guard<std::mutex> lock(mu_);
    return reuses_;
  }

 private:
  mutable std::mutex mu_;
  std::unique_ptr<KeptPipeline> idle_;
  bool disabled_ = false;
  int reuses_ = 0;
};

}  // namespace sqlrite::engine::exec
