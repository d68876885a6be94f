#pragma once
// COPY's binary format, as PostgreSQL 15's copyfromparse.c reads it and copyto.c writes it:
//
//   header   "PGCOPY\n\377\r\n\0", int32 flags (bit 16: WITH OIDS, refused; other high bits are
//            critical and refused; low bits ignored), int32 extension length, the extension
//   tuple    int16 field count, then per field int32 length (-1: NULL) and that many bytes, the
//            value in the type's binary form (engine/binary_format.h)
//   trailer  int16 -1
//
// The stream ignores CopyData boundaries: a tuple may span many messages and a message may hold
// many tuples. Pure: no tables, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace sqlrite::engine {

inline constexpr std::string_view kCopyBinarySignature{"PGCOPY\n\377\r\n\0", 11};

// The header a COPY TO writes (no flags, no extension).
void AppendCopyBinaryHeader(std::string& out);
// The file trailer: a tuple with field count -1.
void AppendCopyBinaryTrailer(std::string& out);

class CopyBinaryReader {
 public:
  // expected_fields: the COPY's column count; a tuple with another count is 22P04.
  explicit CopyBinaryReader(size_t expected_fields) : expected_fields_(expected_fields) {}

  // Appends input. The reader keeps only what is not yet returned as a tuple.
  void Feed(std::string_view data);

  struct Tuple {
    // Field bytes (nullopt: NULL), views into the reader's buffer valid until the next call.
    // When `error` is set, only the fields before the one in error are here: the caller converts
    // them first, as PostgreSQL reads and converts field by field, then reports the error
    // (with the field's column in its context).
    std::vector<std::optional<std::string_view>> fields;
    std::optional<Error> error;
    uint64_t line = 0;  // PostgreSQL's line number: the tuple's ordinal, from 1
  };

  // The next tuple, or nullopt when more input is needed (at_eof false) or the input is over
  // (at_eof true; also after the trailer). Errors (22P04): a bad header (no CONTEXT in
  // PostgreSQL: it is read before the rows) and, as Tuple::error or as an error with line(),
  // a wrong field count, an invalid field size, a tuple cut short by the end of input, data
  // after the trailer.
  Result<const Tuple*> Next(bool at_eof);

  // Whether the header has been read (errors before it carry no CONTEXT).
  bool header_done() const { return header_done_; }
  // The line number of the tuple being read.
  uint64_t line() const { return line_ + 1; }

 private:
  Result<bool> ReadHeader(bool at_eof);
  void Compact();

  const size_t expected_fields_;
  std::string buffer_;
  size_t pos_ = 0;  // the next unread byte
  bool header_done_ = false;
  bool trailer_seen_ = false;
  uint64_t line_ = 0;  // tuples returned
  Tuple tuple_;
};

}  // namespace sqlrite::engine
