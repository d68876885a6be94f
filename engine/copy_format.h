#pragma once
// COPY's text and CSV formats, as PostgreSQL 15's copyfromparse.c reads them and copyto.c writes
// them. Pure functions and one incremental reader; no tables, no I/O.
//
// Reading is in two steps, as in PostgreSQL: CopyLineReader cuts the input stream (which
// arrives in CopyData pieces of any size) into records, finding the newline style from the
// first line and the end-of-data marker `\.`; ParseCopyFields splits one record into fields,
// undoing the escapes (text) or quotes (CSV) and recognising the NULL string.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/copy_options.h"

namespace sqlrite::engine {

class CopyLineReader {
 public:
  explicit CopyLineReader(const CopyOptions& options) : options_(options) {}

  // Appends input. The reader keeps only what is not yet returned as a record.
  void Feed(std::string_view data);

  struct Record {
    std::string_view text;  // the raw record without its newline; valid until the next call
    uint64_t line = 0;      // PostgreSQL's line number: the record's last physical line
  };
  // The next whole record, or nullopt when more input is needed (at_eof false) or the input is
  // over (at_eof true: the input ended, its last unterminated line is a record). Errors (22P04,
  // no context): a newline style that changes, a corrupt end-of-data marker.
  Result<std::optional<Record>> Next(bool at_eof);

  // The line number of the record being read (for an error's context).
  uint64_t line() const { return line_; }
  // The end-of-data marker was seen: what follows it is ignored, as PostgreSQL does.
  bool done() const { return done_; }

 private:
  enum class Eol { kUnknown, kNl, kCr, kCrNl };
  tl::unexpected<Error> FormatError(std::string message, std::string hint = {}) const;

  const CopyOptions& options_;
  std::string buffer_;
  size_t start_ = 0;  // the current record begins here
  size_t pos_ = 0;    // scanned up to here
  bool in_quote_ = false;
  bool last_was_escape_ = false;
  uint64_t quoted_newlines_ = 0;
  uint64_t line_ = 0;
  Eol eol_ = Eol::kUnknown;
  bool done_ = false;
};

// One field of a record: nullopt for NULL.
using CopyField = std::optional<std::string>;

// Splits record into *fields (reusing their storage) per options (text or CSV). Errors (22P04,
// no context): an unterminated CSV quoted field; 22021 for an escape that makes invalid UTF-8.
Status ParseCopyFields(std::string_view record, const CopyOptions& options,
                       std::vector<CopyField>* fields);

// Whether text is valid UTF-8; when not, the 22021 error PostgreSQL gives for it.
Status CheckCopyUtf8(std::string_view text);

// Appends one field's text (value is the value's text form) in the output format: text escapes,
// or CSV quoting when needed or forced. `single_column`: the row has one column (CSV quotes a
// lone `\.` so it is not the end-of-data marker).
void AppendCopyValue(std::string& out, std::string_view value, const CopyOptions& options,
                     bool force_quote, bool single_column);
// The NULL string of options, as written for a NULL value.
inline void AppendCopyNull(std::string& out, const CopyOptions& options) {
  out.append(options.null_string);
}

// PostgreSQL's limit_printout_length: at most 100 bytes of a value in an error's context (cut
// at a character boundary), then "...".
std::string CopyContextValue(std::string_view text);

}  // namespace sqlrite::engine
