// The COPY formats. The reading code follows copyfromparse.c (CopyReadLineText,
// CopyReadAttributesText, CopyReadAttributesCSV) and the writing code copyto.c
// (CopyAttributeOutText, CopyAttributeOutCSV), byte for byte where the client can see it.

#include "engine/copy_format.h"

#include <cstdio>
#include <cstring>

namespace sqlrite::engine {
namespace {

constexpr size_t kMaxContextBytes = 100;  // PostgreSQL's MAX_COPY_DATA_DISPLAY

int OctValue(char c) { return c - '0'; }
bool IsOct(char c) { return c >= '0' && c <= '7'; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// The length of the UTF-8 sequence a lead byte starts, as pg_utf_mblen.
size_t Utf8Length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) return 2;
  if ((c & 0xf0) == 0xe0) return 3;
  if ((c & 0xf8) == 0xf0) return 4;
  return 1;
}

// The length of the valid UTF-8 character at text[i], or 0 (PostgreSQL's pg_utf8_islegal).
size_t ValidUtf8At(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = b(0);
  if (c == 0) return 0;
  if (c < 0x80) return 1;
  const size_t n = Utf8Length(c);
  if (n == 1 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
  }
  if (n == 2 && c < 0xc2) return 0;
  if (n == 3 && ((c == 0xe0 && b(1) < 0xa0) || (c == 0xed && b(1) > 0x9f))) return 0;
  if (n == 4 && ((c == 0xf0 && b(1) < 0x90) || (c == 0xf4 && b(1) > 0x8f) || c > 0xf4)) return 0;
  return n;
}

}  // namespace

Status CheckCopyUtf8(std::string_view text) {
  // Eight bytes at a time while they are ASCII and none is zero (the common text): a byte at a
  // time was ~1.5 instructions per byte of every COPY record.
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    if ((w & kHigh) != 0 || ((w - kOnes) & ~w & kHigh) != 0) break;
  }
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80 && text[i] != '\0') {
      ++i;
      continue;
    }
    const size_t n = ValidUtf8At(text, i);
    if (n > 0) {
      i += n;
      continue;
    }
    // report_invalid_encoding: the bytes of the bad character, as far as they go.
    const size_t len = std::min(Utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
    std::string bytes;
    for (size_t k = 0; k < len; ++k) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "%s0x%02x", k == 0 ? "" : " ",
                    static_cast<unsigned char>(text[i + k]));
      bytes += buf;
    }
    return Fail(sqlstate::kCharacterNotInRepertoire,
                "invalid byte sequence for encoding \"UTF8\": " + bytes);
  }
  return Ok();
}

std::string CopyContextValue(std::string_view text) {
  if (text.size() <= kMaxContextBytes) return std::string(text);
  size_t cut = kMaxContextBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// ---- CopyLineReader ----------------------------------------------------------------------------

void CopyLineReader::Feed(std::string_view data) {
  if (done_) return;
  // Drop what earlier records used once it is the larger part, so the buffer holds about one
  // CopyData batch plus a partial record, whatever the input's size.
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    pos_ -= start_;
    start_ = 0;
  }
  buffer_.append(data);
}

tl::unexpected<Error> CopyLineReader::FormatError(std::string message, std::string hint) const {
  return Fail(Error(sqlstate::kBadCopyFileFormat, std::move(message)).WithHint(std::move(hint)));
}

Result<std::optional<CopyLineReader::Record>> CopyLineReader::Next(bool at_eof) {
  using Out = std::optional<Record>;
  if (done_) return Out();
  const bool csv = options_.csv;
  const size_t size = buffer_.size();
  auto emit = [&](size_t end, size_t next) -> Out {
    Record r{std::string_view(buffer_).substr(start_, end - start_), 0};
    line_ += 1 + quoted_newlines_;
    r.line = line_;
    quoted_newlines_ = 0;
    start_ = next;
    pos_ = next;
    in_quote_ = false;
    last_was_escape_ = false;
    return r;
  };
  size_t i = pos_;
  while (true) {
    if (i >= size) {
      if (!at_eof) {
        pos_ = i;
        return Out();
      }
      done_ = true;
      if (start_ >= size) return Out();
      return emit(size, size);
    }
    // The state before this byte, put back when the byte needs input that has not come yet.
    const bool saved_quote = in_quote_, saved_escape = last_was_escape_;
    const uint64_t saved_newlines = quoted_newlines_;
    auto need_more = [&]() -> Out {
      in_quote_ = saved_quote;
      last_was_escape_ = saved_escape;
      quoted_newlines_ = saved_newlines;
      pos_ = i;
      return Out();
    };
    const char c = buffer_[i];
    if (csv) {
      // An escape that is also the quote is just a toggle (PostgreSQL ignores it here then).
      const char escape = options_.escape == options_.quote ? '\0' : options_.escape;
      if (in_quote_ && c == escape) last_was_escape_ = !last_was_escape_;
      if (c == options_.quote && !last_was_escape_) in_quote_ = !in_quote_;
      if (c != escape) last_was_escape_ = false;
      if (in_quote_ && c == (eol_ == Eol::kNl ? '\n' : '\r')) ++quoted_newlines_;
    }
    if (c == '\r' && (!csv || !in_quote_)) {
      if (i + 1 >= size && !at_eof) return need_more();
      const char next = i + 1 < size ? buffer_[i + 1] : '\0';
      if (eol_ == Eol::kUnknown) {
        eol_ = next == '\n' ? Eol::kCrNl : Eol::kCr;
      } else if (eol_ == Eol::kNl || (eol_ == Eol::kCrNl && next != '\n')) {
        ++line_;
        return csv ? FormatError("unquoted carriage return found in data",
                                 "Use quoted CSV field to represent carriage return.")
                   : FormatError("literal carriage return found in data",
                                 "Use \"\\r\" to represent carriage return.");
      }
      return emit(i, eol_ == Eol::kCrNl ? i + 2 : i + 1);
    }
    if (c == '\n' && (!csv || !in_quote_)) {
      if (eol_ == Eol::kCr || eol_ == Eol::kCrNl) {
        ++line_;
        return csv ? FormatError("unquoted newline found in data",
                                 "Use quoted CSV field to represent newline.")
                   : FormatError("literal newline found in data",
                                 "Use \"\\n\" to represent newline.");
      }
      eol_ = Eol::kNl;
      return emit(i, i + 1);
    }
    if (c == '\\' && (!csv || i == start_)) {
      if (i + 1 >= size && !at_eof) return need_more();
      const char c2 = i + 1 < size ? buffer_[i + 1] : '\0';
      if (c2 == '.') {
        size_t j = i + 2;
        bool marker = true;
        auto at = [&](size_t k) { return k < size ? buffer_[k] : '\0'; };
        if (eol_ == Eol::kCrNl) {
          if (j >= size && !at_eof) return need_more();
          const char c3 = at(j++);
          if (c3 == '\n') {
            if (!csv) {
              ++line_;
              return FormatError("end-of-copy marker does not match previous newline style");
            }
            marker = false;
          } else if (c3 != '\r') {
            if (!csv) {
              ++line_;
              return FormatError("end-of-copy marker corrupt");
            }
            marker = false;
          }
        }
        if (marker) {
          if (j >= size && !at_eof) return need_more();
          const char c3 = at(j++);
          if (c3 != '\r' && c3 != '\n') {
            if (!csv) {
              ++line_;
              return FormatError("end-of-copy marker corrupt");
            }
            marker = false;
          } else if ((eol_ == Eol::kNl && c3 != '\n') || (eol_ == Eol::kCrNl && c3 != '\n') ||
                     (eol_ == Eol::kCr && c3 != '\r')) {
            ++line_;
            return FormatError("end-of-copy marker does not match previous newline style");
          }
        }
        if (marker) {
          done_ = true;
          if (i == start_) {
            ++line_;  // PostgreSQL counts the marker's line
            return Out();
          }
          return emit(i, size);
        }
      } else if (!csv) {
        ++i;  // the escaped byte is data, whatever it is (a newline too)
      }
    }
    ++i;
  }
}

// ---- fields ------------------------------------------------------------------------------------

namespace {

Status ParseTextFields(std::string_view record, const CopyOptions& options,
                       std::vector<CopyField>* fields) {
  size_t count = 0;
  size_t i = 0;
  const size_t end = record.size();
  const std::string_view null_string = options.null_string;
  while (true) {
    if (fields->size() <= count) fields->emplace_back();
    CopyField& field = (*fields)[count++];
    if (!field) field.emplace();
    std::string& value = *field;
    value.clear();
    const size_t start = i;
    bool found_delimiter = false;
    bool saw_non_ascii = false;
    size_t raw_end = end;
    while (i < end) {
      // A run of plain bytes goes in at once (a byte at a time was most of this loop's cost).
      size_t run = i;
      while (run < end && record[run] != options.delimiter && record[run] != '\\') ++run;
      if (run > i) {
        value.append(record.data() + i, run - i);
        i = run;
        if (i >= end) break;
      }
      char c = record[i++];
      if (c == options.delimiter) {
        found_delimiter = true;
        raw_end = i - 1;
        break;
      }
      if (c == '\\') {
        if (i >= end) {
          raw_end = end;
          break;
        }
        c = record[i++];
        switch (c) {
          case '0':
          case '1':
          case '2':
          case '3':
          case '4':
          case '5':
          case '6':
          case '7': {
            int v = OctValue(c);
            if (i < end && IsOct(record[i])) {
              v = (v << 3) + OctValue(record[i++]);
              if (i < end && IsOct(record[i])) v = (v << 3) + OctValue(record[i++]);
            }
            c = static_cast<char>(v & 0377);
            if (c == '\0' || (static_cast<unsigned char>(c) & 0x80) != 0) saw_non_ascii = true;
            break;
          }
          case 'x':
            if (i < end && std::isxdigit(static_cast<unsigned char>(record[i]))) {
              int v = HexValue(record[i++]);
              if (i < end && std::isxdigit(static_cast<unsigned char>(record[i]))) {
                v = (v << 4) + HexValue(record[i++]);
              }
              c = static_cast<char>(v & 0xff);
              if (c == '\0' || (static_cast<unsigned char>(c) & 0x80) != 0) saw_non_ascii = true;
            }
            break;
          case 'b':
            c = '\b';
            break;
          case 'f':
            c = '\f';
            break;
          case 'n':
            c = '\n';
            break;
          case 'r':
            c = '\r';
            break;
          case 't':
            c = '\t';
            break;
          case 'v':
            c = '\v';
            break;
          default:
            break;  // any other byte after a backslash stands for itself
        }
      }
      value.push_back(c);
    }
    if (!found_delimiter) raw_end = end;
    // NULL is recognised on the raw text, before escapes are undone, as PostgreSQL does.
    if (record.substr(start, raw_end - start) == null_string) {
      field.reset();
    } else if (saw_non_ascii) {
      SQLRITE_TRY(CheckCopyUtf8(value));
    }
    if (!found_delimiter) break;
  }
  fields->resize(count);
  return Ok();
}

Status ParseCsvFields(std::string_view record, const CopyOptions& options,
                      std::vector<CopyField>* fields) {
  size_t count = 0;
  size_t i = 0;
  const size_t end = record.size();
  const char delimiter = options.delimiter, quote = options.quote, escape = options.escape;
  while (true) {
    if (fields->size() <= count) fields->emplace_back();
    CopyField& field = (*fields)[count++];
    if (!field) field.emplace();
    std::string& value = *field;
    value.clear();
    const size_t start = i;
    bool saw_quote = false;
    bool found_delimiter = false;
    size_t raw_end = end;
    while (true) {
      // The unquoted part.
      bool entered_quote = false;
      while (i < end) {
        const char c = record[i++];
        if (c == delimiter) {
          found_delimiter = true;
          raw_end = i - 1;
          break;
        }
        if (c == quote) {
          saw_quote = true;
          entered_quote = true;
          break;
        }
        value.push_back(c);
      }
      if (!entered_quote) break;
      // The quoted part.
      while (true) {
        if (i >= end) {
          return Fail(sqlstate::kBadCopyFileFormat, "unterminated CSV quoted field");
        }
        const char c = record[i++];
        if (c == escape && i < end && (record[i] == escape || record[i] == quote)) {
          value.push_back(record[i++]);
          continue;
        }
        if (c == quote) break;
        value.push_back(c);
      }
    }
    if (!found_delimiter) raw_end = end;
    if (!saw_quote && record.substr(start, raw_end - start) == options.null_string) {
      field.reset();
    }
    if (!found_delimiter) break;
  }
  fields->resize(count);
  return Ok();
}

}  // namespace

Status ParseCopyFields(std::string_view record, const CopyOptions& options,
                       std::vector<CopyField>* fields) {
  return options.csv ? ParseCsvFields(record, options, fields)
                     : ParseTextFields(record, options, fields);
}

void AppendCopyValue(std::string& out, std::string_view value, const CopyOptions& options,
                     bool force_quote, bool single_column) {
  if (!options.csv) {
    const char delimiter = options.delimiter;
    size_t start = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      char c = value[i];
      char escaped = 0;
      if (static_cast<unsigned char>(c) < 0x20) {
        switch (c) {
          case '\b':
            escaped = 'b';
            break;
          case '\f':
            escaped = 'f';
            break;
          case '\n':
            escaped = 'n';
            break;
          case '\r':
            escaped = 'r';
            break;
          case '\t':
            escaped = 't';
            break;
          case '\v':
            escaped = 'v';
            break;
          default:
            if (c == delimiter) escaped = c;
            break;
        }
      } else if (c == '\\' || c == delimiter) {
        escaped = c;
      }
      if (escaped == 0) continue;
      out.append(value.substr(start, i - start));
      out.push_back('\\');
      out.push_back(escaped);
      start = i + 1;
    }
    out.append(value.substr(start));
    return;
  }
  bool use_quote = force_quote || value == options.null_string;
  if (!use_quote) {
    if (single_column && value == "\\.") {
      use_quote = true;
    } else {
      for (char c : value) {
        if (c == options.delimiter || c == options.quote || c == '\n' || c == '\r') {
          use_quote = true;
          break;
        }
      }
    }
  }
  if (!use_quote) {
    out.append(value);
    return;
  }
  out.push_back(options.quote);
  for (char c : value) {
    if (c == options.quote || c == options.escape) out.push_back(options.escape);
    out.push_back(c);
  }
  out.push_back(options.quote);
}

}  // namespace sqlrite::engine
