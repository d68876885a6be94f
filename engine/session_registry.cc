#include "engine/session_registry.h"

#include <algorithm>
#include <atomic>
#include <chrono>

namespace sqlrite::engine {
namespace {

// Unix time of 2000-01-01 00:00 UTC, PostgreSQL's epoch, in microseconds.
constexpr int64_t kPostgresEpochMicros = 946684800LL * 1000000;

// Transaction ids handed to writers, process-wide as PostgreSQL's are cluster-wide. They start
// past PostgreSQL's reserved ids (FirstNormalTransactionId is 3) at a value like a fresh
// cluster's.
std::atomic<uint64_t> next_xid{730};

}  // namespace

int64_t TimestampNow() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(now).count() - kPostgresEpochMicros;
}

const char* ActivityStateName(ActivityState state) {
  switch (state) {
    case ActivityState::kActive:
      return "active";
    case ActivityState::kIdle:
      return "idle";
    case ActivityState::kIdleInTransaction:
      return "idle in transaction";
    case ActivityState::kIdleInFailedTransaction:
      return "idle in transaction (aborted)";
    case ActivityState::kStarting:
      break;
  }
  return "starting";
}

SessionActivity::SessionActivity(uint32_t pid) { row_.pid = pid; }

void SessionActivity::Connected(std::string database, std::string user,
                                std::string application_name, std::string client_addr,
                                int32_t client_port, int64_t backend_start) {
  const int64_t now = TimestampNow();
  std::lock_guard lock(mu_);
  row_.database = std::move(database);
  row_.user = std::move(user);
  row_.application_name = std::move(application_name);
  row_.client_addr = std::move(client_addr);
  row_.client_port = client_port;
  row_.backend_start = backend_start;
  row_.state = ActivityState::kIdle;
  row_.state_change = now;
}

void SessionActivity::SetApplicationName(std::string_view name) {
  std::lock_guard lock(mu_);
  row_.application_name = std::string(name);
}

// PostgreSQL keeps the first track_activity_query_size - 1 bytes of a statement (1024 by
// default), cut at a character boundary (pg_mbcliplen): a 50 MB literal is not copied again.
static std::string_view ClipQuery(std::string_view query) {
  constexpr size_t kMaxBytes = 1023;
  if (query.size() <= kMaxBytes) return query;
  size_t n = kMaxBytes;
  // Back off continuation bytes (10xxxxxx) so that no character is cut in two.
  while (n > 0 && (static_cast<unsigned char>(query[n]) & 0xC0) == 0x80) --n;
  return query.substr(0, n);
}

void SessionActivity::BeginQuery(std::string_view query) {
  query = ClipQuery(query);
  const int64_t now = TimestampNow();
  std::lock_guard lock(mu_);
  if (!row_.in_transaction()) {
    ++row_.local_xid;
    row_.xact_start = now;
  }
  row_.state = ActivityState::kActive;
  row_.query.assign(query);
  row_.query_start = now;
  row_.state_change = now;
}

void SessionActivity::EndQuery(char tx_status) {
  const int64_t now = TimestampNow();
  std::lock_guard lock(mu_);
  switch (tx_status) {
    case 'T':
      row_.state = ActivityState::kIdleInTransaction;
      break;
    case 'E':
      row_.state = ActivityState::kIdleInFailedTransaction;
      break;
    default:
      row_.state = ActivityState::kIdle;
      row_.xact_start.reset();
      break;
  }
  row_.state_change = now;
  row_.wait_start.reset();
}

void SessionActivity::SetWriter(bool holds) {
  const uint64_t xid = holds ? next_xid.fetch_add(1, std::memory_order_relaxed) : 0;
  std::lock_guard lock(mu_);
  if (holds && row_.xid != 0) return;  // still the same transaction's
  row_.xid = xid;
}

void SessionActivity::SetWaiting(bool waiting) {
  const int64_t now = TimestampNow();
  std::lock_guard lock(mu_);
  if (!waiting) {
    row_.wait_start.reset();
  } else if (!row_.wait_start) {
    row_.wait_start = now;
  }
}

void SessionActivity::SetSignal(Signal signal) {
  std::lock_guard lock(mu_);
  signal_ = std::move(signal);
}

bool SessionActivity::Raise(bool terminate) const {
  Signal signal;
  {
    std::lock_guard lock(mu_);
    signal = signal_;
  }
  if (!signal) return false;
  signal(terminate);
  return true;
}

ActivityRow SessionActivity::Row() const {
  std::lock_guard lock(mu_);
  return row_;
}

std::shared_ptr<SessionActivity> SessionRegistry::Register(uint32_t pid) {
  auto activity = std::make_shared<SessionActivity>(pid);
  std::lock_guard lock(mu_);
  sessions_[pid] = activity;
  return activity;
}

void SessionRegistry::Unregister(uint32_t pid) {
  std::shared_ptr<SessionActivity> gone;  // destroyed outside the lock
  std::lock_guard lock(mu_);
  auto it = sessions_.find(pid);
  if (it == sessions_.end()) return;
  gone = std::move(it->second);
  sessions_.erase(it);
}

std::shared_ptr<SessionActivity> SessionRegistry::Find(uint32_t pid) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(pid);
  return it != sessions_.end() ? it->second : nullptr;
}

std::vector<ActivityRow> SessionRegistry::Rows() const {
  std::vector<std::shared_ptr<SessionActivity>> all;
  {
    std::lock_guard lock(mu_);
    all.reserve(sessions_.size());
    for (const auto& [pid, activity] : sessions_) all.push_back(activity);
  }
  std::vector<ActivityRow> rows;
  rows.reserve(all.size());
  for (const auto& activity : all) {
    ActivityRow row = activity->Row();
    if (row.state != ActivityState::kStarting) rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(),
            [](const ActivityRow& a, const ActivityRow& b) { return a.pid < b.pid; });
  return rows;
}

SessionRegistry& ProcessSessions() {
  static SessionRegistry registry;
  return registry;
}

}  // namespace sqlrite::engine
