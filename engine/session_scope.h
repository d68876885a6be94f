#pragma once
// The session whose statement the calling thread runs, for the functions that change the session
// rather than read it (set_config). The cluster installs it around each statement it executes on
// the engine thread; a SELECT calling such a function is kept on that path (CallsSequenceFunction
// in engine/sequence.h), so a snapshot read never needs it.

namespace sqlrite::engine {

class Session;

// Null outside a statement the cluster runs.
Session* CurrentSession();

// Installs session for the calling thread until destroyed (nests: restores the previous one).
class SessionScope {
 public:
  explicit SessionScope(Session* session);
  ~SessionScope();
  SessionScope(const SessionScope&) = delete;
  SessionScope& operator=(const SessionScope&) = delete;

 private:
  Session* previous_;
};

}  // namespace sqlrite::engine
