#pragma once
// A stable sort that a cancel, statement_timeout or shutdown can stop: std::stable_sort of a big
// result (millions of rows) would hold the engine thread for seconds without a chance to poll.
// A bottom-up merge sort over row indices that polls every InterruptCheck::kRowsPerPoll
// comparisons; short runs go to std::stable_sort, so its constant factors stay.

#include <algorithm>
#include <cstddef>
#include <vector>

#include "common/error.h"
#include "engine/interrupt.h"

namespace sqlrite::engine {

// Sorts `order` stably by `less` (a strict weak order on its elements): row indices, or small
// values sorted in place (CREATE INDEX's entries). On an interrupt, returns the poll's error;
// `order` is then still a permutation of its elements, in no useful order.
template <typename T, typename Less>
Status InterruptibleStableSort(std::vector<T>& order, Less less, InterruptCheck& interrupts) {
  constexpr size_t kRun = 32;
  const size_t n = order.size();
  for (size_t lo = 0; lo < n; lo += kRun) {
    if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(lo),
                     order.begin() + static_cast<std::ptrdiff_t>(std::min(n, lo + kRun)), less);
  }
  if (n <= kRun) return Ok();
  std::vector<T> merged(n);
  for (size_t width = kRun; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      const size_t mid = std::min(n, lo + width);
      const size_t hi = std::min(n, lo + 2 * width);
      size_t i = lo;
      size_t j = mid;
      size_t k = lo;
      while (i < mid && j < hi) {
        if (interrupts.Due()) SQLRITE_TRY(interrupts.PollNow());
        // Ties take the left run's element first: stable.
        merged[k++] = less(order[j], order[i]) ? order[j++] : order[i++];
      }
      while (i < mid) merged[k++] = order[i++];
      while (j < hi) merged[k++] = order[j++];
    }
    order.swap(merged);
  }
  return Ok();
}

}  // namespace sqlrite::engine
