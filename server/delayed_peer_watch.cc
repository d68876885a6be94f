#include "server/delayed_peer_watch.h"

#include "common/assert.h"

namespace sqlrite::server {

DelayedPeerWatch::DelayedPeerWatch(DelayedPeerWatches& list, const asio::any_io_executor& executor,
                                   PeerWatchTarget& target,
                                   std::chrono::steady_clock::duration delay)
    : list_(&list), target_(target), due_(std::chrono::steady_clock::now() + delay) {
  list_->Link(*this, executor);
}

DelayedPeerWatch::~DelayedPeerWatch() {
  if (linked_) list_->Unlink(*this);
}

DelayedPeerWatches::DelayedPeerWatches(asio::execution_context& context)
    : asio::execution_context::service(context) {}

DelayedPeerWatches::~DelayedPeerWatches() { SQLRITE_ASSERT(head_ == nullptr); }

DelayedPeerWatches& DelayedPeerWatches::Of(const asio::any_io_executor& executor) {
  return asio::use_service<DelayedPeerWatches>(asio::query(executor, asio::execution::context));
}

void DelayedPeerWatches::shutdown() {
  shut_down_ = true;
  // The guards still linked belong to coroutine frames that the scheduler destroys next: they
  // must not reach back into a list that is going away.
  while (head_ != nullptr) Unlink(*head_);
  timer_.reset();
}

void DelayedPeerWatches::Link(DelayedPeerWatch& watch, const asio::any_io_executor& executor) {
  if (shut_down_) return;
  SQLRITE_ASSERT(!watch.linked_);
  // Guards usually come in due order (one delay for all): insert from the tail.
  DelayedPeerWatch* after = tail_;
  while (after != nullptr && after->due_ > watch.due_) after = after->prev_;
  watch.prev_ = after;
  watch.next_ = after != nullptr ? after->next_ : head_;
  if (watch.next_ != nullptr) {
    watch.next_->prev_ = &watch;
  } else {
    tail_ = &watch;
  }
  if (after != nullptr) {
    after->next_ = &watch;
  } else {
    head_ = &watch;
  }
  watch.linked_ = true;
  ++waiting_;
  if (!timer_) timer_.emplace(executor);
  ArmTimer();
}

void DelayedPeerWatches::Unlink(DelayedPeerWatch& watch) {
  SQLRITE_ASSERT(watch.linked_ && waiting_ > 0);
  if (watch.prev_ != nullptr) {
    watch.prev_->next_ = watch.next_;
  } else {
    head_ = watch.next_;
  }
  if (watch.next_ != nullptr) {
    watch.next_->prev_ = watch.prev_;
  } else {
    tail_ = watch.prev_;
  }
  watch.prev_ = watch.next_ = nullptr;
  watch.linked_ = false;
  --waiting_;
  // The timer is left to run out: re-arming it for each statement would cost the system call
  // this list is there to save.
}

void DelayedPeerWatches::ArmTimer() {
  if (head_ == nullptr || !timer_) return;
  if (timer_pending_ && timer_due_ <= head_->due_) return;
  timer_due_ = head_->due_;
  const uint64_t generation = ++timer_generation_;
  timer_pending_ = true;
  timer_->expires_at(timer_due_);  // cancels an earlier wait, whose handler sees an old generation
  timer_->async_wait([this, generation](const asio::error_code& ec) {
    if (generation != timer_generation_) return;
    timer_pending_ = false;
    if (!ec && !shut_down_) OnTimer();
  });
}

void DelayedPeerWatches::OnTimer() {
  const auto now = std::chrono::steady_clock::now();
  while (head_ != nullptr && head_->due_ <= now) {
    DelayedPeerWatch& watch = *head_;
    Unlink(watch);
    watch.armed_ = true;
    watch.target_.ArmPeerWatch();
  }
  ArmTimer();
}

}  // namespace sqlrite::server
