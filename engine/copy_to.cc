// COPY TO STDOUT: rows to text or CSV lines, as PostgreSQL 15's CopyOneRowTo.

#include "common/bytes.h"
#include "engine/binary_format.h"
#include "engine/copy.h"
#include "engine/executor.h"
#include "engine/session.h"
#include "engine/table_access.h"

namespace sqlrite::engine {

Result<std::vector<int>> CopyColumns(const TableDef& def, const std::vector<std::string>& names);
Result<std::vector<bool>> CopyColumnFlags(const TableDef& def, const std::vector<int>& columns,
                                          const std::vector<std::string>& names, bool all,
                                          const char* option);

CopyTo::CopyTo(ExecContext ctx, CopyOptions options)
    : ctx_(ctx),
      options_(std::move(options)),
      binary_header_pending_(options_.binary),
      interrupts_(ctx.session.StatementInterruptCheck()) {}

Result<std::unique_ptr<CopyTo>> CopyTo::Begin(ExecContext& ctx, const ast::Copy& stmt) {
  if (stmt.query) {
    SQLRITE_ASSIGN_OR_RETURN(CopyOptions options, ProcessCopyOptions(stmt.options, false));
    std::unique_ptr<CopyTo> copy(new CopyTo(ctx, std::move(options)));
    // The query's result is built whole here; streaming it is the general result streaming's
    // work (a table, the common case, streams below).
    SQLRITE_ASSIGN_OR_RETURN(QueryResult result, ExecuteSelect(ctx, *stmt.query));
    for (const ColumnInfo& c : result.columns) {
      copy->types_.push_back(c.type);
      copy->names_.push_back(c.name);
    }
    if (!copy->options_.force_quote.empty()) {
      // PostgreSQL resolves FORCE_QUOTE names against the query's output columns.
      copy->force_quote_.assign(copy->types_.size(), false);
      for (const std::string& name : copy->options_.force_quote) {
        bool found = false;
        for (size_t i = 0; i < copy->names_.size(); ++i) {
          if (copy->names_[i] == name) {
            copy->force_quote_[i] = true;
            found = true;
          }
        }
        if (!found) {
          return Fail(sqlstate::kUndefinedColumn, "column \"" + name + "\" does not exist");
        }
      }
    } else {
      copy->force_quote_.assign(copy->types_.size(), copy->options_.force_quote_all);
    }
    copy->query_rows_ = std::move(result.rows);
    copy->header_pending_ = copy->options_.header != CopyOptions::Header::kNone;
    return copy;
  }
  // A system relation is never copied by name (pg_catalog's and information_schema's are not
  // tables here); information_schema holds nothing else.
  const TableDef* def = LookupTable(ctx, stmt.table);
  if (def == nullptr) return UndefinedTable(ctx, stmt.table);
  if (!def->has_storage() || def->is_sequence()) {
    // As PostgreSQL's BeginCopyTo: only a table is copied by name.
    return Fail(Error(sqlstate::kWrongObjectType, std::string("cannot copy from ") +
                                                      (def->is_view() ? "view" : "sequence") +
                                                      " \"" + def->name + "\"")
                    .WithHint(def->is_view() ? "Try the COPY (SELECT ...) TO variant." : ""));
  }
  SQLRITE_ASSIGN_OR_RETURN(CopyOptions options, ProcessCopyOptions(stmt.options, false));
  std::unique_ptr<CopyTo> copy(new CopyTo(ctx, std::move(options)));
  SQLRITE_ASSIGN_OR_RETURN(copy->sources_, CopyColumns(*def, stmt.columns));
  SQLRITE_ASSIGN_OR_RETURN(copy->force_quote_,
                           CopyColumnFlags(*def, copy->sources_, copy->options_.force_quote,
                                           copy->options_.force_quote_all, "FORCE_QUOTE"));
  for (int c : copy->sources_) {
    copy->types_.push_back(def->columns[static_cast<size_t>(c)].type.id);
    copy->names_.push_back(def->columns[static_cast<size_t>(c)].name);
  }
  copy->table_name_ = RelationKey(*def);
  copy->header_pending_ = copy->options_.header != CopyOptions::Header::kNone;
  return copy;
}

void CopyTo::AppendRow(const Row& row, std::string* out) {
  if (options_.binary) {
    AppendBE16(*out, static_cast<uint16_t>(types_.size()));
    for (size_t i = 0; i < types_.size(); ++i) {
      const Datum& value = sources_.empty() ? row[i] : row[static_cast<size_t>(sources_[i])];
      if (IsNull(value)) {
        AppendBE32(*out, 0xFFFFFFFF);
        continue;
      }
      const size_t length_at = out->size();
      AppendBE32(*out, 0);
      AppendBinary(*out, value, types_[i]);
      StoreBE32(out->data() + length_at, static_cast<uint32_t>(out->size() - length_at - 4));
    }
    return;
  }
  const bool single = types_.size() == 1;
  std::string text;
  for (size_t i = 0; i < types_.size(); ++i) {
    if (i > 0) out->push_back(options_.delimiter);
    const Datum& value = sources_.empty() ? row[i] : row[static_cast<size_t>(sources_[i])];
    if (IsNull(value)) {
      AppendCopyNull(*out, options_);
      continue;
    }
    text.clear();
    AppendText(text, value, types_[i]);
    AppendCopyValue(*out, text, options_, force_quote_[i], single);
  }
  out->push_back('\n');
}

Result<bool> CopyTo::Next(size_t max_bytes, std::string* out, std::vector<size_t>* row_ends) {
  SQLRITE_ASSIGN_OR_RETURN(bool done, NextRows(max_bytes, out, row_ends));
  if (done && options_.binary) {
    AppendCopyBinaryTrailer(*out);
    row_ends->push_back(out->size());
  }
  return done;
}

Result<bool> CopyTo::NextRows(size_t max_bytes, std::string* out, std::vector<size_t>* row_ends) {
  if (binary_header_pending_) {
    // No row end: PostgreSQL sends the header in the first row's CopyData.
    binary_header_pending_ = false;
    AppendCopyBinaryHeader(*out);
  }
  if (header_pending_) {
    header_pending_ = false;
    for (size_t i = 0; i < names_.size(); ++i) {
      if (i > 0) out->push_back(options_.delimiter);
      AppendCopyValue(*out, names_[i], options_, false, names_.size() == 1);
    }
    out->push_back('\n');
    row_ends->push_back(out->size());
  }
  if (table_name_.empty()) {
    while (next_query_row_ < query_rows_.size() && out->size() < max_bytes) {
      if (interrupts_.Due()) SQLRITE_TRY(interrupts_.PollNow());
      AppendRow(query_rows_[next_query_row_], out);
      // The rows already sent go now, so the result shrinks as it is sent.
      query_rows_[next_query_row_++] = Row();
      row_ends->push_back(out->size());
      ++count_;
    }
    return next_query_row_ == query_rows_.size();
  }
  // Looked up per chunk: the catalog's definitions may be re-read between engine tasks.
  const TableDef* def = CatalogOf(ctx_).Find(table_name_);
  if (def == nullptr) {
    return Fail(sqlstate::kUndefinedTable,
                "relation \"" + QualifiedName(table_name_) + "\" does not exist");
  }
  bool more = false;
  storage::PageSource& pages =
      ctx_.pages != nullptr ? *ctx_.pages : static_cast<storage::PageSource&>(ctx_.db.pager());
  SQLRITE_TRY(ScanTableAfter(
      pages, *def, last_key_,
      [&](std::string_view key, Row& row) -> Result<bool> {
        if (out->size() >= max_bytes) {
          more = true;
          return false;
        }
        AppendRow(row, out);
        row_ends->push_back(out->size());
        ++count_;
        last_key_.assign(key);
        return true;
      },
      &interrupts_));
  return !more;
}

}  // namespace sqlrite::engine
