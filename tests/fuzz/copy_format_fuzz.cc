// Fuzz target `copy_format`: COPY FROM STDIN's reading of text and CSV data (engine/copy_format.h:
// CopyLineReader over CopyData pieces, CheckCopyUtf8 and ParseCopyFields per record, as
// engine/copy_from.cc drives them) under options the fuzzer chooses (through ProcessCopyOptions,
// which refuses the combinations PostgreSQL refuses). Layout: byte 0 flags (bit 0 CSV, bit 1 a
// DELIMITER, bit 2 a NULL string, bit 3 QUOTE, bit 4 ESCAPE), bytes 1-3 the delimiter, quote
// and escape (their low 7 bits, not NUL), byte 4 the CopyData piece size (0: one piece), byte 5 the
// NULL string's length (mod 8) and that many bytes, then the data. Beyond "no crash, no leak, no
// UB": the rows read, written back with AppendCopyValue / AppendCopyNull (as COPY TO does) and read
// again, are the same rows.

#include <algorithm>
#include <string>
#include <vector>

#include "engine/copy_format.h"
#include "engine/copy_options.h"
#include "tests/fuzz/fuzz_target.h"

namespace sqlrite::fuzz {
namespace {

using engine::CopyField;
using Rows = std::vector<std::vector<CopyField>>;

// Reads data fed in pieces of `piece` bytes (0: one piece); false on the first error (as COPY,
// which stops there).
bool ReadRows(std::string_view data, size_t piece, const engine::CopyOptions& options, Rows* rows) {
  engine::CopyLineReader reader(options);
  std::vector<CopyField> fields;
  auto drain = [&](bool at_eof) -> bool {
    for (;;) {
      auto next = reader.Next(at_eof);
      if (!next) {
        FUZZ_CHECK(next.error().sqlstate.size() == 5);
        return false;
      }
      if (!*next) return true;
      std::string_view text = (*next)->text;
      if (!engine::CheckCopyUtf8(text)) return false;
      if (Status parsed = engine::ParseCopyFields(text, options, &fields); !parsed) {
        FUZZ_CHECK(parsed.error().sqlstate.size() == 5);
        return false;
      }
      rows->push_back(fields);
    }
  };
  if (piece == 0) piece = std::max<size_t>(data.size(), 1);
  for (size_t at = 0; at < data.size(); at += piece) {
    reader.Feed(data.substr(at, piece));
    if (!drain(false)) return false;
  }
  return drain(true);
}

std::string WriteRows(const Rows& rows, const engine::CopyOptions& options) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += options.delimiter;
      if (row[i]) {
        engine::AppendCopyValue(out, *row[i], options, false, row.size() == 1);
      } else {
        engine::AppendCopyNull(out, options);
      }
    }
    out += '\n';
  }
  return out;
}

// Output that cannot be read back as written, in PostgreSQL as here, so not compared: in text
// format a value written as the NULL string (with NULL '' an empty string reads back as NULL),
// or a NULL string ending in a backslash (it escapes the delimiter or line end written after
// it); in CSV a QUOTE or ESCAPE that is a newline or carriage return (PostgreSQL takes them; the
// line ends COPY TO writes then open quotes).
bool Ambiguous(const Rows& rows, const engine::CopyOptions& options) {
  if (options.csv) {
    return options.quote == '\n' || options.quote == '\r' || options.escape == '\n' ||
           options.escape == '\r';
  }
  if (!options.null_string.empty() && options.null_string.back() == '\\') return true;
  for (const auto& row : rows) {
    for (const CopyField& f : row) {
      if (!f) continue;
      std::string written;
      engine::AppendCopyValue(written, *f, options, false, row.size() == 1);
      if (written == options.null_string) return true;
    }
  }
  return false;
}

void Copy(std::string_view in) {
  if (in.size() < 6) return;
  const auto flags = static_cast<uint8_t>(in[0]);
  std::vector<engine::ast::CopyOption> list;
  auto option = [&list](std::string name, std::string value) {
    engine::ast::CopyOption o;
    o.name = std::move(name);
    o.kind = engine::ast::CopyOption::kString;
    o.value = std::move(value);
    list.push_back(std::move(o));
  };
  if (flags & 1) option("format", "csv");
  // Option values come from the statement's text, which the session has checked is UTF-8 and
  // which cannot hold a NUL: a one-byte character is ASCII, and not NUL.
  for (size_t i = 1; i <= 3; ++i) {
    if ((in[i] & 0x7f) == 0) return;
  }
  auto ascii = [](char c) { return std::string(1, static_cast<char>(c & 0x7f)); };
  if (flags & 2) option("delimiter", ascii(in[1]));
  if (flags & 8) option("quote", ascii(in[2]));
  if (flags & 16) option("escape", ascii(in[3]));
  const size_t piece = static_cast<uint8_t>(in[4]);
  const size_t null_len = std::min<size_t>(static_cast<uint8_t>(in[5]) % 8, in.size() - 6);
  if (flags & 4) {
    std::string_view null_string = in.substr(6, null_len);
    if (!engine::CheckCopyUtf8(null_string) || null_string.find('\0') != std::string_view::npos) {
      return;
    }
    option("null", std::string(in.substr(6, null_len)));
  }
  std::string_view data = in.substr(6 + null_len);

  Result<engine::CopyOptions> options = engine::ProcessCopyOptions(list, true);
  if (!options) {
    FUZZ_CHECK(options.error().sqlstate.size() == 5 && !options.error().message.empty());
    return;
  }
  Rows rows;
  if (!ReadRows(data, piece, *options, &rows)) return;
  if (Ambiguous(rows, *options)) return;
  const std::string written = WriteRows(rows, *options);
  // A row written as a line `\.` (CSV, a multi-column row joined by a delimiter '\' or '.':
  // PostgreSQL quotes only a lone column's `\.`) is the end-of-data marker when read back.
  if (("\n" + written).find("\n\\.\n") != std::string::npos) return;
  Rows again;
  const bool reread = ReadRows(written, 0, *options, &again);
  if (!reread || again != rows) {
    std::fprintf(stderr, "COPY round trip differs: %zu rows read, %zu read back%s\nwritten: %s\n",
                 rows.size(), again.size(), reread ? "" : " (error)", written.c_str());
  }
  FUZZ_CHECK(reread && again == rows);
}

}  // namespace
}  // namespace sqlrite::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sqlrite::fuzz::Copy(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
