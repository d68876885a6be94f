// BEGIN / START TRANSACTION, COMMIT / END, ROLLBACK / ABORT, SAVEPOINT, RELEASE, ROLLBACK TO.

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

// True for an A_Const that is a nonzero integer or true (how the grammar spells READ ONLY).
bool IsTrueConst(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_A_CONST) return false;
  const PgQuery__AConst& c = *node->a_const;
  if (c.val_case == PG_QUERY__A__CONST__VAL_IVAL) return c.ival != nullptr && c.ival->ival != 0;
  if (c.val_case == PG_QUERY__A__CONST__VAL_BOOLVAL) {
    return c.boolval != nullptr && c.boolval->boolval;
  }
  return false;
}

std::string_view ConstString(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_A_CONST ||
      node->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL || node->a_const->sval == nullptr ||
      node->a_const->sval->sval == nullptr) {
    return {};
  }
  return node->a_const->sval->sval;
}

}  // namespace

// Shared with SET TRANSACTION / SET SESSION CHARACTERISTICS: reads the transaction modes of a
// DefElem list, in order, as the parameters PostgreSQL maps them to.
Status ReadTransactionModes(const Transformer& t, PgQuery__Node* const* options, size_t n,
                            std::vector<ast::TransactionMode>* modes) {
  for (size_t i = 0; i < n; ++i) {
    const PgQuery__Node* node = options[i];
    if (node->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) return t.Unsupported("this option");
    const PgQuery__DefElem& opt = *node->def_elem;
    std::string_view name = opt.defname != nullptr ? opt.defname : "";
    if (name == "transaction_isolation") {
      modes->push_back({std::string(name), std::string(ConstString(opt.arg))});
    } else if (name == "transaction_read_only" || name == "transaction_deferrable") {
      modes->push_back({std::string(name), IsTrueConst(opt.arg) ? "on" : "off"});
    } else {
      return t.Unsupported("transaction option " + std::string(name), opt.location);
    }
  }
  return Ok();
}

Result<ast::Statement> Transformer::TransformTransaction(const PgQuery__TransactionStmt& stmt) {
  ast::Transaction txn;
  txn.chain = stmt.chain;
  switch (stmt.kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
      txn.kind = ast::Transaction::kBegin;
      txn.start = stmt.kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START;
      SQLRITE_TRY(ReadTransactionModes(*this, stmt.options, stmt.n_options, &txn.modes));
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
      txn.kind = ast::Transaction::kCommit;
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
      txn.kind = ast::Transaction::kRollback;
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
      txn.kind = ast::Transaction::kSavepoint;
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
      txn.kind = ast::Transaction::kRelease;
      break;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
      txn.kind = ast::Transaction::kRollbackTo;
      break;
    default:
      return UnsupportedPlural("prepared transactions");
  }
  if (stmt.savepoint_name != nullptr) txn.savepoint = stmt.savepoint_name;
  return ast::Statement(std::move(txn));
}

}  // namespace sqlrite::engine::sql
