#pragma once
// bytea (OID 17): a std::string Datum of raw bytes. Text input in PostgreSQL's two forms (hex
// "\x0a1b", whitespace allowed between byte pairs; escape: bytes as themselves, "\\" and "\ooo"
// octal), text output in the form the session's bytea_output names (hex by default), binary
// send/receive as the bytes themselves, compare and index keys as unsigned bytes (memcmp order,
// as byteacmp), encode/decode.

#include <string>
#include <string_view>

#include "common/error.h"

namespace sqlrite::engine::bytea {

// byteain. Errors: 22023 "invalid hexadecimal digit: "g"" / "invalid hexadecimal data: odd
// number of digits"; 22P02 "invalid input syntax for type bytea".
Result<std::string> Parse(std::string_view text);

// byteaout in the bytea_output of the session whose work runs on this thread
// (SessionLocals::bytea_output_escape, engine/session_locals.h; hex outside any session):
// AppendHex's form, or AppendEscaped's.
void AppendText(std::string& out, std::string_view bytes);
// bytea_output = hex: "\x" and two lowercase hex digits per byte.
void AppendHex(std::string& out, std::string_view bytes);
// bytea_output = escape: printable ASCII (0x20..0x7e) as itself, a backslash doubled, every
// other byte as "\ooo" octal.
void AppendEscaped(std::string& out, std::string_view bytes);

// encode(bytes, format) and decode(text, format) for the formats "hex", "base64" and "escape".
// Errors: 22023 "unrecognized encoding: "x"", the hex errors above, 22023 for bad base64 and
// 22P02 for a bad escape sequence, as PostgreSQL's encode.c.
Result<std::string> Encode(std::string_view bytes, std::string_view format);
Result<std::string> Decode(std::string_view text, std::string_view format);

// The digest of bytes by OpenSSL's EVP digest `algorithm` ("md5", "sha224", "sha256",
// "sha384", "sha512"). REQUIRES: a known algorithm.
std::string Digest(std::string_view algorithm, std::string_view bytes);
// md5(): the MD5 digest as 32 lowercase hex digits.
std::string Md5Hex(std::string_view bytes);

}  // namespace sqlrite::engine::bytea
