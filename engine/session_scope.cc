#include "engine/session_scope.h"

namespace sqlrite::engine {
namespace {
thread_local Session* current_session = nullptr;
}  // namespace

Session* CurrentSession() { return current_session; }

SessionScope::SessionScope(Session* session) : previous_(current_session) {
  current_session = session;
}

SessionScope::~SessionScope() { current_session = previous_; }

}  // namespace sqlrite::engine
