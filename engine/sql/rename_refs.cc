#include "engine/sql/rename_refs.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/sql/protobuf_arena.h"
#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {
namespace {

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

// One parsed statement of `text`, in an arena, and the text it came from.
class ParsedText {
 public:
  explicit ParsedText(std::string text) : text_(std::move(text)) {}
  // The statement node; null when the text is not one statement.
  PgQuery__Node* Parse() {
    raw_ = pg_query_parse_protobuf(text_.c_str());
    parsed_ = true;
    if (raw_.error != nullptr) return nullptr;
    tree_ = pg_query__parse_result__unpack(arena_.allocator(), raw_.parse_tree.len,
                                           reinterpret_cast<const uint8_t*>(raw_.parse_tree.data));
    if (tree_ == nullptr || tree_->n_stmts != 1 || tree_->stmts[0]->stmt == nullptr) {
      return nullptr;
    }
    return tree_->stmts[0]->stmt;
  }
  const std::string& text() const { return text_; }
  ~ParsedText() {
    if (parsed_) pg_query_free_protobuf_parse_result(raw_);
  }
  ParsedText(const ParsedText&) = delete;
  ParsedText& operator=(const ParsedText&) = delete;

 private:
  std::string text_;
  PgQueryProtobufParseResult raw_{};
  bool parsed_ = false;
  ProtobufArena arena_;
  PgQuery__ParseResult* tree_ = nullptr;
};

tl::unexpected<Error> Malformed(std::string_view sql) {
  return Fail(sqlstate::kDataCorrupted, "malformed catalog entry: " + std::string(sql));
}

// The String node's text, or null.
const char* StringOf(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_STRING || node->string == nullptr)
    return nullptr;
  return node->string->sval;
}

bool Is(const ProtobufCMessage* m, const ProtobufCMessageDescriptor& d) {
  return m->descriptor == &d;
}

// A stored query parsed, changed in place by rewrite (whose new names must outlive this call:
// the tree points at them) and deparsed; XX001 when the text does not parse.
Result<std::string> RewriteQuery(std::string_view query_sql,
                                 const std::function<void(PgQuery__Node* stmt)>& rewrite) {
  ParsedText parsed{std::string(query_sql)};
  PgQuery__Node* stmt = parsed.Parse();
  if (stmt == nullptr) return Malformed(query_sql);
  rewrite(stmt);
  Transformer transformer(parsed.text());
  return transformer.DeparseQuery(stmt);
}

}  // namespace

Result<std::string> RenameColumnInExpr(std::string_view expr_sql, std::string_view from,
                                       std::string_view to) {
  ParsedText parsed("SELECT " + std::string(expr_sql));
  PgQuery__Node* stmt = parsed.Parse();
  if (stmt == nullptr || stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return Malformed(expr_sql);
  }
  const PgQuery__SelectStmt& select = *stmt->select_stmt;
  if (select.n_target_list != 1 ||
      select.target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET ||
      select.target_list[0]->res_target->val == nullptr) {
    return Malformed(expr_sql);
  }
  PgQuery__Node* expr = select.target_list[0]->res_target->val;
  // The new name lives here; the arena never frees what it did not allocate.
  std::string new_name(to);
  WalkMessages(&expr->base, [&](ProtobufCMessage* m) {
    if (!Is(m, pg_query__column_ref__descriptor)) return;
    auto* ref = reinterpret_cast<PgQuery__ColumnRef*>(m);
    if (ref->n_fields == 0) return;
    PgQuery__Node* last = ref->fields[ref->n_fields - 1];
    const char* name = StringOf(last);
    if (name != nullptr && from == name) last->string->sval = new_name.data();
  });
  Transformer transformer(parsed.text());
  return transformer.DeparseExpr(expr);
}

Result<std::string> RenameTableInQuery(std::string_view query_sql, std::string_view from,
                                       std::string_view to) {
  std::string new_name(to);  // the tree points at it until it is deparsed
  return RewriteQuery(query_sql, [&](PgQuery__Node* stmt) {
    WalkMessages(&stmt->base, [&](ProtobufCMessage* m) {
      if (Is(m, pg_query__range_var__descriptor)) {
        auto* rv = reinterpret_cast<PgQuery__RangeVar*>(m);
        const std::string_view schema = rv->schemaname != nullptr ? rv->schemaname : "";
        if (rv->relname != nullptr && from == rv->relname && (schema.empty() || schema == "public"))
          rv->relname = new_name.data();
      } else if (Is(m, pg_query__column_ref__descriptor)) {
        auto* ref = reinterpret_cast<PgQuery__ColumnRef*>(m);
        if (ref->n_fields < 2) return;
        PgQuery__Node* qualifier = ref->fields[ref->n_fields - 2];
        const char* name = StringOf(qualifier);
        if (name != nullptr && from == name) qualifier->string->sval = new_name.data();
      }
    });
  });
}

Result<std::string> QualifyTablesInQuery(
    std::string_view query_sql, const std::function<std::string(std::string_view)>& schema_of,
    bool qualify_public) {
  std::vector<std::unique_ptr<std::string>> schemas;  // the new names: the tree points at them
  return RewriteQuery(query_sql, [&](PgQuery__Node* stmt) {
    std::vector<std::string> ctes;
    WalkMessages(&stmt->base, [&](ProtobufCMessage* m) {
      if (!Is(m, pg_query__common_table_expr__descriptor)) return;
      auto* cte = reinterpret_cast<PgQuery__CommonTableExpr*>(m);
      if (cte->ctename != nullptr) ctes.emplace_back(cte->ctename);
    });
    WalkMessages(&stmt->base, [&](ProtobufCMessage* m) {
      if (!Is(m, pg_query__range_var__descriptor)) return;
      auto* rv = reinterpret_cast<PgQuery__RangeVar*>(m);
      if (rv->relname == nullptr || (rv->schemaname != nullptr && rv->schemaname[0] != '\0'))
        return;
      if (std::find(ctes.begin(), ctes.end(), rv->relname) != ctes.end()) return;
      std::string schema = schema_of(rv->relname);
      if (schema.empty() || (schema == "public" && !qualify_public)) return;
      schemas.push_back(std::make_unique<std::string>(std::move(schema)));
      rv->schemaname = schemas.back()->data();
    });
  });
}

Result<std::string> MoveTableInQuery(std::string_view query_sql, std::string_view table,
                                     std::string_view from, std::string_view to) {
  std::string new_schema(to);  // the tree points at it until it is deparsed
  return RewriteQuery(query_sql, [&](PgQuery__Node* stmt) {
    WalkMessages(&stmt->base, [&](ProtobufCMessage* m) {
      if (!Is(m, pg_query__range_var__descriptor)) return;
      auto* rv = reinterpret_cast<PgQuery__RangeVar*>(m);
      if (rv->relname == nullptr || table != rv->relname) return;
      const std::string_view schema =
          rv->schemaname != nullptr && rv->schemaname[0] != '\0' ? rv->schemaname : "public";
      if (schema == from) rv->schemaname = new_schema.data();
    });
  });
}

Result<std::string> RenameSchemaInQuery(std::string_view query_sql, std::string_view from,
                                        std::string_view to) {
  std::string new_name(to);  // the tree points at it until it is deparsed
  return RewriteQuery(query_sql, [&](PgQuery__Node* stmt) {
    WalkMessages(&stmt->base, [&](ProtobufCMessage* m) {
      if (!Is(m, pg_query__range_var__descriptor)) return;
      auto* rv = reinterpret_cast<PgQuery__RangeVar*>(m);
      if (rv->schemaname != nullptr && from == rv->schemaname) rv->schemaname = new_name.data();
    });
  });
}

Result<std::string> RenameColumnInQuery(std::string_view query_sql, std::string_view table,
                                        std::string_view from, std::string_view to) {
  ParsedText parsed{std::string(query_sql)};
  PgQuery__Node* stmt = parsed.Parse();
  if (stmt == nullptr) return Malformed(query_sql);
  bool other = false;
  WalkMessages(&stmt->base, [&](ProtobufCMessage* m) {
    if (Is(m, pg_query__range_var__descriptor)) {
      auto* rv = reinterpret_cast<PgQuery__RangeVar*>(m);
      other |= rv->relname == nullptr || table != rv->relname;
    } else if (Is(m, pg_query__a__star__descriptor) ||
               Is(m, pg_query__range_subselect__descriptor) ||
               Is(m, pg_query__range_function__descriptor) ||
               Is(m, pg_query__common_table_expr__descriptor)) {
      other = true;
    }
  });
  if (other) {
    return Fail(sqlstate::kFeatureNotSupported,
                "RENAME COLUMN of a table that a view reads with other relations or * is not "
                "supported yet");
  }
  std::string old_name(from);
  std::string new_name(to);
  WalkMessages(&stmt->base, [&](ProtobufCMessage* m) {
    if (Is(m, pg_query__res_target__descriptor)) {
      // A result column that is the bare reference keeps its name.
      auto* target = reinterpret_cast<PgQuery__ResTarget*>(m);
      if ((target->name == nullptr || target->name[0] == '\0') && target->val != nullptr &&
          target->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
        const PgQuery__ColumnRef& ref = *target->val->column_ref;
        const char* name = ref.n_fields > 0 ? StringOf(ref.fields[ref.n_fields - 1]) : nullptr;
        if (name != nullptr && from == name) target->name = old_name.data();
      }
    } else if (Is(m, pg_query__column_ref__descriptor)) {
      auto* ref = reinterpret_cast<PgQuery__ColumnRef*>(m);
      if (ref->n_fields == 0) return;
      PgQuery__Node* last = ref->fields[ref->n_fields - 1];
      const char* name = StringOf(last);
      if (name != nullptr && from == name) last->string->sval = new_name.data();
    }
  });
  Transformer transformer(parsed.text());
  return transformer.DeparseQuery(stmt);
}

}  // namespace sqlrite::engine::sql
