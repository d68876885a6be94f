#pragma once
// DateTimeContext: what date/time values depend on besides themselves: the session's TimeZone
// (timestamptz input and output, casts between timestamp and timestamptz, their calendar
// arithmetic, 'today') and the transaction's and statement's start (now(), 'now',
// current_timestamp, statement_timestamp()).
//
// Code reaches it through CurrentDateTime(), set by a DateTimeScope around the work one session
// does on a thread: the engine thread's statements (Cluster), a snapshot read's binding and each
// batch it pulls (the pipeline keeps the context it was built under), and the server's encoding
// of rows into DataRows. The type input and output functions are called from dozens of places
// (casts, literals, COPY, Bind, DataRow): threading the zone through each of them would change
// every signature for a value only a few callers set, as for the statement parameters
// (engine/params.h). Outside any scope the context is UTC with now = the current time.

#include <cstdint>
#include <memory>

#include "engine/types/time_zone.h"

namespace sqlrite::engine {

struct DateTimeContext {
  std::shared_ptr<const tz::TimeZone> zone;  // never null
  int64_t transaction_start = 0;             // microseconds since 2000-01-01 00:00 UTC
  int64_t statement_start = 0;
};

// Microseconds since 2000-01-01 00:00 UTC now (the system clock).
int64_t ClockTimestamp();

// The context of the work running on this thread.
const DateTimeContext& CurrentDateTime();

class DateTimeScope {
 public:
  // context may be null: the scope then leaves the current context in place.
  explicit DateTimeScope(const DateTimeContext* context);
  ~DateTimeScope();
  DateTimeScope(const DateTimeScope&) = delete;
  DateTimeScope& operator=(const DateTimeScope&) = delete;

 private:
  const DateTimeContext* previous_;
};

}  // namespace sqlrite::engine
