#pragma once
// The deferred foreign-key and unique-key work of one transaction block, as PostgreSQL's deferred
// trigger events and SET CONSTRAINTS state (AfterTriggerSetState): which DEFERRABLE constraints are
// deferred now, and the checks waiting for COMMIT (engine/foreign_keys.h queues them, COMMIT and
// SET CONSTRAINTS ... IMMEDIATE run them). Owned by the session's TransactionState and cleared
// when the block ends, whatever its outcome.
//
// A check is kept by names and key values rather than by catalog pointers: DDL later in the
// block may move or drop the table, and a check whose constraint is gone by then has nothing
// left to check.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/row_source.h"

namespace sqlrite::engine {

struct DeferredCheck {
  enum class Kind : uint8_t {
    // A referencing row was written with `key`: at the check, if a row of `table` still holds
    // that key, the referenced table must hold it too.
    kKeyPresent,
    // A referenced row holding `key` went away under NO ACTION: at the check, unless the
    // referenced table holds it again, no row of `table` may still reference it.
    kNotReferenced,
    // A DEFERRABLE PRIMARY KEY / UNIQUE constraint (`fk` names it) whose key `key` was written
    // while another row held it: at the check, at most one row of `table` may hold it.
    kUnique,
  };
  Kind kind = Kind::kKeyPresent;
  std::string table;  // the referencing table, which owns the foreign key
  std::string fk;     // the foreign key's name
  Row key;
};

class DeferredConstraints {
 public:
  // SET CONSTRAINTS ALL: every deferrable constraint, forgetting the names set before.
  void SetAll(bool deferred) {
    all_ = deferred;
    by_name_.clear();
  }
  // SET CONSTRAINTS name.
  void Set(const std::string& name, bool deferred) { by_name_[name] = deferred; }
  // Whether a constraint's checks wait for COMMIT now: never when it is not DEFERRABLE; else
  // its SET CONSTRAINTS mode, else ALL's, else its INITIALLY DEFERRED.
  bool IsDeferred(const std::string& name, bool deferrable, bool initially_deferred) const {
    if (!deferrable) return false;
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    return all_.value_or(initially_deferred);
  }
  std::vector<DeferredCheck>& pending() { return pending_; }
  void Clear() {
    all_.reset();
    by_name_.clear();
    pending_.clear();
  }

 private:
  std::optional<bool> all_;
  std::map<std::string, bool> by_name_;
  std::vector<DeferredCheck> pending_;
};

}  // namespace sqlrite::engine
