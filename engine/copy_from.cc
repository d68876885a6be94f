// COPY FROM STDIN: records to rows, as PostgreSQL 15's CopyFrom / NextCopyFrom.

#include <algorithm>

#include "engine/binary_format.h"
#include "engine/copy.h"
#include "engine/expression.h"
#include "engine/generated_columns.h"
#include "engine/session.h"
#include "engine/table_access.h"
#include "engine/types/bpchar.h"

namespace sqlrite::engine {

// The table and column checks shared with COPY TO, in PostgreSQL's order.
Result<std::vector<int>> CopyColumns(const TableDef& def, const std::vector<std::string>& names) {
  std::vector<int> columns;
  if (names.empty()) {
    // As PostgreSQL's CopyGetAttnums: every column but the generated ones (computed on the way
    // in, and left out on the way out).
    for (size_t i = 0; i < def.columns.size(); ++i) {
      if (def.columns[i].generated == 0) columns.push_back(static_cast<int>(i));
    }
    return columns;
  }
  for (const std::string& name : names) {
    const int c = def.FindColumn(name);
    if (c < 0) {
      return Fail(sqlstate::kUndefinedColumn,
                  "column \"" + name + "\" of relation \"" + def.name + "\" does not exist");
    }
    if (def.columns[static_cast<size_t>(c)].generated != 0) {
      return Fail(
          Error(sqlstate::kInvalidColumnReference, "column \"" + name + "\" is a generated column")
              .WithDetail("Generated columns cannot be used in COPY."));
    }
    if (std::find(columns.begin(), columns.end(), c) != columns.end()) {
      return Fail(sqlstate::kDuplicateColumn, "column \"" + name + "\" specified more than once");
    }
    columns.push_back(c);
  }
  return columns;
}

// FORCE_QUOTE / FORCE_NOT_NULL / FORCE_NULL (option spelled as PostgreSQL names it in the
// error): one flag per COPY column.
Result<std::vector<bool>> CopyColumnFlags(const TableDef& def, const std::vector<int>& columns,
                                          const std::vector<std::string>& names, bool all,
                                          const char* option) {
  std::vector<bool> flags(columns.size(), all);
  for (const std::string& name : names) {
    const int c = def.FindColumn(name);
    if (c < 0) {
      return Fail(sqlstate::kUndefinedColumn,
                  "column \"" + name + "\" of relation \"" + def.name + "\" does not exist");
    }
    auto it = std::find(columns.begin(), columns.end(), c);
    if (it == columns.end()) {
      return Fail(sqlstate::kInvalidColumnReference,
                  std::string(option) + " column \"" + name + "\" not referenced by COPY");
    }
    flags[static_cast<size_t>(it - columns.begin())] = true;
  }
  return flags;
}

Result<std::unique_ptr<CopyFrom>> CopyFrom::Begin(ExecContext& ctx, const ast::Copy& stmt) {
  SQLRITE_TRY(RefuseSystemRelation(stmt.table, "copy to"));
  const TableDef* found = LookupTable(ctx, stmt.table);
  if (found == nullptr) return UndefinedTable(ctx, stmt.table);
  TableDef* def = ctx.db.catalog().FindMutable(RelationKey(*found));
  if (!def->has_storage() || def->is_sequence()) {
    // As PostgreSQL's CopyFrom: only a table is copied into.
    return Fail(Error(sqlstate::kWrongObjectType, std::string("cannot copy to ") +
                                                      (def->is_view() ? "view" : "sequence") +
                                                      " \"" + def->name + "\"")
                    .WithHint(def->is_view() ? "To enable copying to a view, provide an INSTEAD "
                                               "OF INSERT trigger."
                                             : ""));
  }
  SQLRITE_ASSIGN_OR_RETURN(CopyOptions options, ProcessCopyOptions(stmt.options, true));
  SQLRITE_ASSIGN_OR_RETURN(std::vector<int> targets, CopyColumns(*def, stmt.columns));
  SQLRITE_ASSIGN_OR_RETURN(
      std::vector<bool> not_null,
      CopyColumnFlags(*def, targets, options.force_not_null, false, "FORCE_NOT_NULL"));
  SQLRITE_ASSIGN_OR_RETURN(std::vector<bool> null,
                           CopyColumnFlags(*def, targets, options.force_null, false, "FORCE_NULL"));
  std::unique_ptr<CopyFrom> copy(new CopyFrom(ctx, def, std::move(options), std::move(targets)));
  copy->force_not_null_ = std::move(not_null);
  copy->force_null_ = std::move(null);
  return copy;
}

CopyFrom::CopyFrom(ExecContext ctx, TableDef* table, CopyOptions options, std::vector<int> targets)
    : ctx_(ctx),
      table_(table),
      options_(std::move(options)),
      targets_(std::move(targets)),
      reader_(options_),
      interrupts_(ctx.session.StatementInterruptCheck()),
      header_pending_(options_.header != CopyOptions::Header::kNone),
      rowid_before_(table->rowid_reserved),
      generated_(HasGeneratedColumns(*table)) {
  if (options_.binary) binary_reader_.emplace(targets_.size());
  foreign_keys_.emplace(ctx.db, interrupts_);
}

std::string CopyFrom::WaitingContext() const {
  if (binary_reader_) {
    // The header is read before PostgreSQL's COPY context exists.
    if (!binary_reader_->header_done()) return {};
    return "COPY " + table_->name + ", line " + std::to_string(binary_reader_->line());
  }
  return "COPY " + table_->name + ", line " + std::to_string(reader_.line() + 1);
}

Status CopyFrom::Feed(const std::vector<std::string_view>& pieces) {
  SQLRITE_TRY(interrupts_.PollNow());
  for (std::string_view piece : pieces) {
    if (binary_reader_) {
      binary_reader_->Feed(piece);
      SQLRITE_TRY(DrainBinary(false));
    } else {
      reader_.Feed(piece);
      SQLRITE_TRY(Drain(false));
    }
  }
  return Ok();
}

Result<uint64_t> CopyFrom::Finish() {
  if (binary_reader_) {
    SQLRITE_TRY(DrainBinary(true));
  } else {
    SQLRITE_TRY(Drain(true));
  }
  SQLRITE_TRY(foreign_keys_->Finish());
  if (table_->rowid_reserved != rowid_before_) SQLRITE_TRY(ctx_.db.catalog().Save(*table_));
  return count_;
}

Status CopyFrom::Drain(bool at_eof) {
  while (true) {
    auto next = reader_.Next(at_eof);
    if (!next) return Fail(WithContext(std::move(next.error()), nullptr, -1, nullptr));
    if (!*next) return Ok();
    SQLRITE_TRY(InsertRecord(**next));
  }
}

Error CopyFrom::WithContext(Error error, const CopyLineReader::Record* record, int column,
                            const CopyField* value) const {
  std::string context = "COPY " + table_->name + ", line " +
                        std::to_string(record != nullptr ? record->line : reader_.line());
  if (column >= 0) {
    context += ", column " + table_->columns[static_cast<size_t>(column)].name;
    context += *value ? ": \"" + CopyContextValue(**value) + "\"" : ": null input";
  } else if (record != nullptr) {
    context += ": \"" + CopyContextValue(record->text) + "\"";
  }
  return std::move(error).WithContext(std::move(context));
}

Status CopyFrom::InsertRecord(const CopyLineReader::Record& record) {
  if (interrupts_.Due()) SQLRITE_TRY(interrupts_.PollNow());
  if (auto valid = CheckCopyUtf8(record.text); !valid) {
    return Fail(WithContext(std::move(valid.error()), nullptr, -1, nullptr));
  }
  if (auto parsed = ParseCopyFields(record.text, options_, &fields_); !parsed) {
    return Fail(WithContext(std::move(parsed.error()), &record, -1, nullptr));
  }
  if (header_pending_) {
    header_pending_ = false;
    if (options_.header != CopyOptions::Header::kMatch) return Ok();
    if (fields_.size() != targets_.size()) {
      return Fail(WithContext(
          Error(sqlstate::kBadCopyFileFormat, "wrong number of fields in header line: got " +
                                                  std::to_string(fields_.size()) + ", expected " +
                                                  std::to_string(targets_.size())),
          &record, -1, nullptr));
    }
    for (size_t i = 0; i < targets_.size(); ++i) {
      const std::string& name = table_->columns[static_cast<size_t>(targets_[i])].name;
      const std::string field = std::to_string(i + 1);
      if (!fields_[i]) {
        return Fail(WithContext(
            Error(sqlstate::kBadCopyFileFormat,
                  "column name mismatch in header line field " + field + ": got null value (\"" +
                      options_.null_string + "\"), expected \"" + name + "\""),
            &record, -1, nullptr));
      }
      if (*fields_[i] != name) {
        return Fail(WithContext(
            Error(sqlstate::kBadCopyFileFormat, "column name mismatch in header line field " +
                                                    field + ": got \"" + *fields_[i] +
                                                    "\", expected \"" + name + "\""),
            &record, -1, nullptr));
      }
    }
    return Ok();
  }
  if (fields_.size() > targets_.size()) {
    return Fail(
        WithContext(Error(sqlstate::kBadCopyFileFormat, "extra data after last expected column"),
                    &record, -1, nullptr));
  }
  SQLRITE_TRY(StartRow());
  for (size_t i = 0; i < targets_.size(); ++i) {
    const ColumnDef& col = table_->columns[static_cast<size_t>(targets_[i])];
    if (i >= fields_.size()) {
      return Fail(WithContext(
          Error(sqlstate::kBadCopyFileFormat, "missing data for column \"" + col.name + "\""),
          &record, -1, nullptr));
    }
    CopyField& field = fields_[i];
    if (options_.csv) {
      if (!field && force_not_null_[i]) {
        field.emplace(options_.null_string);
      } else if (field && force_null_[i] && *field == options_.null_string) {
        field.reset();
      }
    }
    if (!field) {
      row_[static_cast<size_t>(targets_[i])] = Datum{};
      continue;
    }
    Datum& slot = row_[static_cast<size_t>(targets_[i])];
    if ((col.type.id == TypeId::kBpchar || col.type.id == TypeId::kVarchar) &&
        col.type.typmod >= 4 && field->size() <= static_cast<size_t>(col.type.typmod - 4)) {
      // char(n) / varchar(n) that fits (no more bytes than n, so no more characters): what
      // ParseText gives, written into the string the row already holds from the previous
      // record. A new padded string per row was the COPY's one allocation a row (pgbench's
      // filler char(84)).
      std::string* text = std::get_if<std::string>(&slot);
      if (text == nullptr) text = &slot.emplace<std::string>();
      text->assign(*field);
      const auto n = static_cast<size_t>(col.type.typmod - 4);
      if (col.type.id == TypeId::kBpchar) {
        const size_t have = bpchar::CharLength(*text);
        if (have < n) text->append(n - have, ' ');
      }
      continue;
    }
    auto value = ParseText(*field, col.type);
    if (!value) {
      return Fail(WithContext(std::move(value.error()), &record, targets_[i], &field));
    }
    slot = std::move(*value);
  }
  if (auto computed = generated_ ? ComputeGeneratedColumns(*table_, row_) : Ok(); !computed) {
    return Fail(WithContext(std::move(computed.error()), &record, -1, nullptr));
  }
  if (auto inserted = InsertRow(ctx_.db, *table_, row_); !inserted) {
    // PostgreSQL checks NOT NULL per row (the line is in its context) and unique keys when its
    // buffer of rows is written (only the line number is).
    const bool unique = inserted.error().sqlstate == sqlstate::kUniqueViolation;
    if (unique) {
      return Fail(WithContext(std::move(inserted.error()), nullptr, -1, nullptr));
    }
    return Fail(WithContext(std::move(inserted.error()), &record, -1, nullptr));
  }
  foreign_keys_->RowInserted(*table_, row_);
  ++count_;
  return Ok();
}

Status CopyFrom::StartRow() {
  if (!defaults_) {
    SQLRITE_ASSIGN_OR_RETURN(defaults_, ColumnDefaults::Bind(*table_));
    std::vector<bool> targeted(table_->columns.size());
    for (int t : targets_) targeted[static_cast<size_t>(t)] = true;
    for (size_t c = 0; c < targeted.size(); ++c) {
      if (!targeted[c]) default_columns_.push_back(c);
    }
  }
  // Every targeted column is assigned by the caller before the row is used, so only the
  // defaulted ones are set here; the row (and its text values' buffers) lives across records.
  if (row_.size() != table_->columns.size()) row_.assign(table_->columns.size(), Datum{});
  for (size_t c : default_columns_) {
    SQLRITE_ASSIGN_OR_RETURN(row_[c], defaults_->Value(c));
  }
  return Ok();
}

Status CopyFrom::DrainBinary(bool at_eof) {
  while (true) {
    auto next = binary_reader_->Next(at_eof);
    if (!next) {
      Error error = std::move(next.error());
      if (!binary_reader_->header_done()) return Fail(std::move(error));
      return Fail(WithBinaryContext(std::move(error), binary_reader_->line(), -1));
    }
    if (*next == nullptr) return Ok();
    SQLRITE_TRY(InsertBinaryTuple(**next));
  }
}

// PostgreSQL cannot usefully show binary data: the context names the line and the column only.
Error CopyFrom::WithBinaryContext(Error error, uint64_t line, int column) const {
  std::string context = "COPY " + table_->name + ", line " + std::to_string(line);
  if (column >= 0) context += ", column " + table_->columns[static_cast<size_t>(column)].name;
  return std::move(error).WithContext(std::move(context));
}

Status CopyFrom::InsertBinaryTuple(const CopyBinaryReader::Tuple& tuple) {
  if (interrupts_.Due()) SQLRITE_TRY(interrupts_.PollNow());
  SQLRITE_TRY(StartRow());
  for (size_t i = 0; i < tuple.fields.size(); ++i) {
    const int target = targets_[i];
    const ColumnDef& col = table_->columns[static_cast<size_t>(target)];
    const std::optional<std::string_view>& field = tuple.fields[i];
    if (!field) {
      row_[static_cast<size_t>(target)] = Datum{};
      continue;
    }
    const bool is_text = col.type.id == TypeId::kText || col.type.id == TypeId::kVarchar ||
                         col.type.id == TypeId::kBpchar;
    Result<Datum> value = Datum{};
    if (auto valid = is_text ? CheckCopyUtf8(*field) : Status(Ok()); !valid) {
      value = tl::unexpected(std::move(valid.error()));  // textrecv checks the encoding
    } else {
      value = ReceiveBinary(*field, TypeOid(col.type.id));
    }
    if (value && col.type.typmod >= 0) {
      // The type's receive function applies the column's typmod (varchar_recv: 22001).
      value = CastDatum(*value, col.type.id, col.type, false);
    }
    if (!value) return Fail(WithBinaryContext(std::move(value.error()), tuple.line, target));
    row_[static_cast<size_t>(target)] = std::move(*value);
  }
  if (tuple.error) {
    const int column = targets_[tuple.fields.size()];
    return Fail(WithBinaryContext(*tuple.error, tuple.line, column));
  }
  if (auto computed = generated_ ? ComputeGeneratedColumns(*table_, row_) : Ok(); !computed) {
    return Fail(WithBinaryContext(std::move(computed.error()), tuple.line, -1));
  }
  if (auto inserted = InsertRow(ctx_.db, *table_, row_); !inserted) {
    return Fail(WithBinaryContext(std::move(inserted.error()), tuple.line, -1));
  }
  foreign_keys_->RowInserted(*table_, row_);
  ++count_;
  return Ok();
}

}  // namespace sqlrite::engine
