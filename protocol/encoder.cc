#include "protocol/encoder.h"

#include <charconv>

#include "common/bytes.h"

namespace sqlrite::protocol {
namespace {

void AppendEmptyMessage(std::string& out, char type) {
  out.push_back(type);
  AppendBE32(out, 4);
}

void AppendNoticeFields(std::string& out, char type, const Error& e) {
  size_t start = BeginMessage(out, type);
  const char* severity = SeverityName(e.severity);
  out.push_back('S');
  AppendCString(out, severity);
  out.push_back('V');
  AppendCString(out, severity);
  out.push_back('C');
  AppendCString(out, e.sqlstate);
  out.push_back('M');
  AppendCString(out, e.message);
  if (!e.detail.empty()) {
    out.push_back('D');
    AppendCString(out, e.detail);
  }
  if (!e.hint.empty()) {
    out.push_back('H');
    AppendCString(out, e.hint);
  }
  if (e.position > 0) {
    char buf[16];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), e.position);
    (void)ec;
    out.push_back('P');
    AppendCString(out, std::string_view(buf, static_cast<size_t>(end - buf)));
  }
  if (!e.context.empty()) {
    out.push_back('W');
    AppendCString(out, e.context);
  }
  // PostgreSQL's order after P and W: s t c d n (schema, table, column, data type, constraint).
  auto append_field = [&out](char code, const std::string& value) {
    if (value.empty()) return;
    out.push_back(code);
    AppendCString(out, value);
  };
  append_field('s', e.schema_name);
  append_field('t', e.table_name);
  append_field('c', e.column_name);
  append_field('n', e.constraint_name);
  out.push_back('\0');
  EndMessage(out, start);
}

}  // namespace

size_t BeginMessage(std::string& out, char type) {
  out.push_back(type);
  size_t start = out.size();
  out.append(4, '\0');
  return start;
}

void EndMessage(std::string& out, size_t start) {
  StoreBE32(out.data() + start, static_cast<uint32_t>(out.size() - start));
}

void AppendEncryptionRefused(std::string& out) { out.push_back('N'); }

void AppendAuthenticationOk(std::string& out) {
  out.push_back('R');
  AppendBE32(out, 8);
  AppendBE32(out, 0);
}

void AppendParameterStatus(std::string& out, std::string_view name, std::string_view value) {
  size_t start = BeginMessage(out, 'S');
  AppendCString(out, name);
  AppendCString(out, value);
  EndMessage(out, start);
}

void AppendBackendKeyData(std::string& out, uint32_t process_id, uint32_t secret_key) {
  out.push_back('K');
  AppendBE32(out, 12);
  AppendBE32(out, process_id);
  AppendBE32(out, secret_key);
}

void AppendReadyForQuery(std::string& out, char status) {
  out.push_back('Z');
  AppendBE32(out, 5);
  out.push_back(status);
}

void AppendNegotiateProtocolVersion(std::string& out, uint32_t newest_minor,
                                    std::span<const std::string_view> unrecognized_options) {
  size_t start = BeginMessage(out, 'v');
  AppendBE32(out, newest_minor);
  AppendBE32(out, static_cast<uint32_t>(unrecognized_options.size()));
  for (std::string_view option : unrecognized_options) AppendCString(out, option);
  EndMessage(out, start);
}

size_t BeginRowDescription(std::string& out, uint16_t field_count) {
  size_t start = BeginMessage(out, 'T');
  AppendBE16(out, field_count);
  return start;
}

void AppendFieldDescription(std::string& out, const FieldDescription& f) {
  AppendCString(out, f.name);
  AppendBE32(out, f.table_oid);
  AppendBE16(out, static_cast<uint16_t>(f.column_number));
  AppendBE32(out, f.type_oid);
  AppendBE16(out, static_cast<uint16_t>(f.type_len));
  AppendBE32(out, static_cast<uint32_t>(f.type_mod));
  AppendBE16(out, static_cast<uint16_t>(f.format));
}

void AppendRowDescription(std::string& out, std::span<const FieldDescription> fields) {
  size_t start = BeginRowDescription(out, static_cast<uint16_t>(fields.size()));
  for (const FieldDescription& f : fields) AppendFieldDescription(out, f);
  EndMessage(out, start);
}

size_t BeginDataRow(std::string& out, uint16_t field_count) {
  size_t start = BeginMessage(out, 'D');
  AppendBE16(out, field_count);
  return start;
}

void AppendNullField(std::string& out) { AppendBE32(out, 0xffffffffu); }

size_t BeginField(std::string& out) {
  size_t start = out.size();
  out.append(4, '\0');
  return start;
}

void EndField(std::string& out, size_t start) {
  StoreBE32(out.data() + start, static_cast<uint32_t>(out.size() - start - 4));
}

void AppendField(std::string& out, std::string_view text) {
  AppendBE32(out, static_cast<uint32_t>(text.size()));
  out.append(text);
}

void AppendCommandComplete(std::string& out, std::string_view tag) {
  size_t start = BeginMessage(out, 'C');
  AppendCString(out, tag);
  EndMessage(out, start);
}

void AppendEmptyQueryResponse(std::string& out) { AppendEmptyMessage(out, 'I'); }

void AppendErrorResponse(std::string& out, const Error& error) {
  AppendNoticeFields(out, 'E', error);
}

void AppendNoticeResponse(std::string& out, const Error& notice) {
  AppendNoticeFields(out, 'N', notice);
}

void AppendCopyResponse(std::string& out, char type, bool binary, size_t columns) {
  size_t start = BeginMessage(out, type);
  out.push_back(binary ? '\1' : '\0');
  AppendBE16(out, static_cast<uint16_t>(columns));
  for (size_t i = 0; i < columns; ++i) AppendBE16(out, binary ? 1 : 0);
  EndMessage(out, start);
}

void AppendCopyInResponse(std::string& out, bool binary, size_t columns) {
  AppendCopyResponse(out, 'G', binary, columns);
}
void AppendCopyOutResponse(std::string& out, bool binary, size_t columns) {
  AppendCopyResponse(out, 'H', binary, columns);
}
void AppendCopyData(std::string& out, std::string_view data) {
  out.push_back('d');
  AppendBE32(out, static_cast<uint32_t>(data.size() + 4));
  out.append(data);
}
void AppendCopyDone(std::string& out) { AppendEmptyMessage(out, 'c'); }

void AppendParseComplete(std::string& out) { AppendEmptyMessage(out, '1'); }
void AppendBindComplete(std::string& out) { AppendEmptyMessage(out, '2'); }
void AppendCloseComplete(std::string& out) { AppendEmptyMessage(out, '3'); }
void AppendNoData(std::string& out) { AppendEmptyMessage(out, 'n'); }
void AppendPortalSuspended(std::string& out) { AppendEmptyMessage(out, 's'); }

void AppendParameterDescription(std::string& out, std::span<const uint32_t> type_oids) {
  size_t start = BeginMessage(out, 't');
  AppendBE16(out, static_cast<uint16_t>(type_oids.size()));
  for (uint32_t oid : type_oids) AppendBE32(out, oid);
  EndMessage(out, start);
}

}  // namespace sqlrite::protocol
