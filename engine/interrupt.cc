#include "engine/interrupt.h"

#include "common/assert.h"
#include "common/sqlstate.h"

namespace sqlrite::engine {

Error InterruptError(InterruptReason reason) {
  switch (reason) {
    case InterruptReason::kShutdown:
      return Error(sqlstate::kAdminShutdown, "terminating connection due to administrator command")
          .WithSeverity(Severity::kFatal);
    case InterruptReason::kCancel:
      return Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
    case InterruptReason::kStatementTimeout:
      return Error(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
    case InterruptReason::kNone:
      break;
  }
  SQLRITE_ASSERT(reason != InterruptReason::kNone);
  return Error();
}

Status InterruptCheck::PollNow() const {
  InterruptReason reason = InterruptReason::kNone;
  if (cluster_ != nullptr) reason = cluster_->reason();
  if (session_ != nullptr && session_->reason() > reason) reason = session_->reason();
  if (reason == InterruptReason::kNone) return Ok();
  return Fail(InterruptError(reason));
}

}  // namespace sqlrite::engine
