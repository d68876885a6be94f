#include "engine/datetime_context.h"

#include <chrono>

namespace sqlrite::engine {
namespace {

thread_local const DateTimeContext* current_context = nullptr;

// 2000-01-01 00:00 UTC in Unix seconds.
constexpr int64_t kPostgresEpochUnix = 946684800;

}  // namespace

int64_t ClockTimestamp() {
  const auto since_unix = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return since_unix.count() - kPostgresEpochUnix * 1000000;
}

const DateTimeContext& CurrentDateTime() {
  if (current_context != nullptr) return *current_context;
  // No session: UTC, and a "now" of this moment for each thread's first use.
  thread_local DateTimeContext fallback;
  fallback.zone = tz::Utc();
  fallback.transaction_start = fallback.statement_start = ClockTimestamp();
  return fallback;
}

DateTimeScope::DateTimeScope(const DateTimeContext* context) : previous_(current_context) {
  if (context != nullptr) current_context = context;
}

DateTimeScope::~DateTimeScope() { current_context = previous_; }

}  // namespace sqlrite::engine
