#include "orm/core/driver.h"

namespace sqlrite::orm {

Capability Capability::Sqlite() { return Capability{}; }

Capability Capability::Postgresql() {
  Capability c;
  c.flavor = Flavor::kPostgresql;
  return c;
}

// sqlrited answers every statement the ORM sends as PostgreSQL 15 does (the shared suite checks
// it), so its profile is PostgreSQL's; it stays a profile of its own so a feature the server lacks
// can be turned off here alone.
Capability Capability::Sqlrited() { return Postgresql(); }

Result<std::int64_t> Connection::ExecRows(const SqlOp& op, RowSink& sink) {
  auto result = Exec(Operation(op));
  if (!result) return tl::unexpected(std::move(result).error());
  sink.Expect(result->rows.size());
  for (const auto& row : result->rows) SQLRITE_ORM_TRY(sink.Row(row));
  return result->rows_affected;
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
