#include "orm/core/driver.h"

namespace sqlrite::orm {

Capability Capability::Sqlite() { return Capability{}; }

Capability Capability::Postgresql() {
  Capability c;
  c.flavor = Flavor::kPostgresql;
  return c;
}

Capability Capability::Sqlrited() {
  Capability c = Postgresql();
  c.starts_with = false;
  return c;
}

const char* TxKindName(TxKind kind) {
  switch (kind) {
    case TxKind::kBegin:
      return "BEGIN";
    case TxKind::kCommit:
      return "COMMIT";
    case TxKind::kRollback:
      return "ROLLBACK";
    case TxKind::kSavepoint:
      return "SAVEPOINT";
    case TxKind::kReleaseSavepoint:
      return "RELEASE SAVEPOINT";
    case TxKind::kRollbackToSavepoint:
      return "ROLLBACK TO SAVEPOINT";
  }
  return "?";
}

}  // namespace sqlrite::orm
