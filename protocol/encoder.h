#pragma once
// Encoders for backend messages of the PostgreSQL v3 protocol. Each appends one whole message to
// `out`, so a session can gather a round trip's response in one buffer and write it with a single
// syscall. Nothing here allocates beyond growing `out`.
//
// Rows are built in place, without an intermediate vector of strings:
//   size_t row = BeginDataRow(out, n);
//   size_t f = BeginField(out); /* append the text */ EndField(out, f);   // or AppendNullField
//   EndMessage(out, row);

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::protocol {

// Generic framing: appends the type byte and a length placeholder; returns the offset to pass to
// EndMessage, which patches in the length of everything appended since.
size_t BeginMessage(std::string& out, char type);
void EndMessage(std::string& out, size_t start);

// The single byte that answers SSLRequest / GSSENCRequest with "not supported here".
void AppendEncryptionRefused(std::string& out);

void AppendAuthenticationOk(std::string& out);
void AppendParameterStatus(std::string& out, std::string_view name, std::string_view value);
void AppendBackendKeyData(std::string& out, uint32_t process_id, uint32_t secret_key);
// status: 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block.
void AppendReadyForQuery(std::string& out, char status);
// Answers a startup packet asking for a newer 3.x minor version or _pq_ options.
void AppendNegotiateProtocolVersion(std::string& out, uint32_t newest_minor,
                                    std::span<const std::string_view> unrecognized_options);

struct FieldDescription {
  std::string_view name;
  uint32_t table_oid = 0;
  int16_t column_number = 0;
  uint32_t type_oid = 0;
  int16_t type_len = -1;
  int32_t type_mod = -1;
  int16_t format = 0;  // 0 text
};
void AppendRowDescription(std::string& out, std::span<const FieldDescription> fields);
// Piecewise form, for callers that hold columns in their own type.
size_t BeginRowDescription(std::string& out, uint16_t field_count);
void AppendFieldDescription(std::string& out, const FieldDescription& field);

size_t BeginDataRow(std::string& out, uint16_t field_count);
void AppendNullField(std::string& out);
size_t BeginField(std::string& out);
void EndField(std::string& out, size_t start);
void AppendField(std::string& out, std::string_view text);

void AppendCommandComplete(std::string& out, std::string_view tag);
void AppendEmptyQueryResponse(std::string& out);

// Fields in PostgreSQL's order: S (severity), V (severity, not localized), C (SQLSTATE),
// M (message), then D (detail), H (hint), P (position) when present; then a terminating 0.
// ErrorResponse uses error.severity as given (ERROR or FATAL); so does NoticeResponse (NOTICE,
// WARNING).
void AppendErrorResponse(std::string& out, const Error& error);
void AppendNoticeResponse(std::string& out, const Error& notice);

// COPY: CopyInResponse ('G') / CopyOutResponse ('H') with the overall format and one format
// code per column (all text, or all binary), CopyData ('d'), CopyDone ('c').
void AppendCopyInResponse(std::string& out, bool binary, size_t columns);
void AppendCopyOutResponse(std::string& out, bool binary, size_t columns);
void AppendCopyData(std::string& out, std::string_view data);
void AppendCopyDone(std::string& out);
void AppendParseComplete(std::string& out);
void AppendBindComplete(std::string& out);
void AppendCloseComplete(std::string& out);
void AppendNoData(std::string& out);
void AppendPortalSuspended(std::string& out);
void AppendParameterDescription(std::string& out, std::span<const uint32_t> type_oids);

}  // namespace sqlrite::protocol
