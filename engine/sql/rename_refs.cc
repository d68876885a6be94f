#include "engine/sql/rename_refs.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "engine/sql/protobuf_arena.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {
namespace {

struct ProtobufResultFree {
  void operator()(PgQueryProtobufParseResult* r) const { pg_query_free_protobuf_parse_result(*r); }
};

// Calls fn on m and on every message below it, through protobuf-c's field descriptors (a oneof
// member only when it is the one set: the members share their storage).
void WalkMessages(ProtobufCMessage* m, const std::function<void(ProtobufCMessage*)>& fn) {
  fn(m);
  const ProtobufCMessageDescriptor* d = m->descriptor;
  char* base = reinterpret_cast<char*>(m);
  for (unsigned i = 0; i < d->n_fields; ++i) {
    const ProtobufCFieldDescriptor& f = d->fields[i];
    if (f.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if ((f.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
        *reinterpret_cast<uint32_t*>(base + f.quantifier_offset) != f.id) {
      continue;
    }
    if (f.label == PROTOBUF_C_LABEL_REPEATED) {
      const size_t n = *reinterpret_cast<size_t*>(base + f.quantifier_offset);
      auto** items = *reinterpret_cast<ProtobufCMessage***>(base + f.offset);
      for (size_t k = 0; k < n; ++k) {
        if (items[k] != nullptr) WalkMessages(items[k], fn);
      }
    } else if (auto* sub = *reinterpret_cast<ProtobufCMessage**>(base + f.offset)) {
      WalkMessages(sub, fn);
    }
  }
}

}  // namespace

Result<std::string> RenameColumnInExpr(std::string_view expr_sql, std::string_view from,
                                       std::string_view to) {
  const std::string query = "SELECT " + std::string(expr_sql);
  PgQueryProtobufParseResult raw = pg_query_parse_protobuf(query.c_str());
  std::unique_ptr<PgQueryProtobufParseResult, ProtobufResultFree> raw_guard(&raw);
  auto malformed = [&expr_sql]() {
    return Fail(sqlstate::kDataCorrupted,
                "malformed catalog entry: expression " + std::string(expr_sql));
  };
  if (raw.error != nullptr) return malformed();
  ProtobufArena arena;
  PgQuery__ParseResult* tree = pg_query__parse_result__unpack(
      arena.allocator(), raw.parse_tree.len, reinterpret_cast<const uint8_t*>(raw.parse_tree.data));
  if (tree == nullptr || tree->n_stmts != 1 || tree->stmts[0]->stmt == nullptr ||
      tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return malformed();
  }
  const PgQuery__SelectStmt& select = *tree->stmts[0]->stmt->select_stmt;
  if (select.n_target_list != 1 ||
      select.target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET ||
      select.target_list[0]->res_target->val == nullptr) {
    return malformed();
  }
  PgQuery__Node* expr = select.target_list[0]->res_target->val;
  // The new name lives here; the arena never frees what it did not allocate.
  std::string new_name(to);
  WalkMessages(&expr->base, [&](ProtobufCMessage* m) {
    if (m->descriptor != &pg_query__column_ref__descriptor) return;
    auto* ref = reinterpret_cast<PgQuery__ColumnRef*>(m);
    if (ref->n_fields == 0) return;
    PgQuery__Node* last = ref->fields[ref->n_fields - 1];
    if (last->node_case != PG_QUERY__NODE__NODE_STRING || last->string->sval == nullptr ||
        from != last->string->sval) {
      return;
    }
    last->string->sval = new_name.data();
  });
  Transformer transformer(query);
  return transformer.DeparseExpr(expr);
}

}  // namespace sqlrite::engine::sql
