#include "engine/types/array.h"

#include <string>

#include "common/sqlstate.h"

namespace sqlrite::engine::array {
namespace {

// array_isspace: the blanks array_in skips and array_out quotes.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigitOrSign(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+'; }

bool EqualsNullIgnoringCase(std::string_view s) {
  if (s.size() != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    if ((s[i] | 0x20) != "null"[i]) return false;
  }
  return true;
}

Error Malformed(std::string_view text, std::string detail) {
  return Error(sqlstate::kInvalidTextRepresentation,
               "malformed array literal: \"" + std::string(text) + "\"")
      .WithDetail(std::move(detail));
}

// PostgreSQL's ArrayCount states: where the scan is inside the braces.
enum class State : uint8_t {
  kNoLevel,
  kLevelStarted,
  kElemStarted,
  kElemCompleted,
  kQuotedElemStarted,
  kQuotedElemCompleted,
  kElemDelimited,
  kLevelCompleted,
  kLevelDelimited,
};

constexpr int kMaxDims = 6;

struct Shape {
  int ndim = 0;
  int dims[kMaxDims] = {};
};

// ArrayCount: checks the braces' syntax from s (at its '{') and counts each dimension's
// elements; *end is where the scan stopped (after the closing brace and trailing blanks).
Result<Shape> Count(std::string_view text, std::string_view s) {
  Shape shape;
  int nest = 0;
  int temp[kMaxDims] = {};
  int nelems[kMaxDims] = {};
  int nelems_last[kMaxDims] = {};
  for (int i = 0; i < kMaxDims; ++i) nelems[i] = 1;
  State state = State::kNoLevel;
  bool in_quotes = false;
  size_t p = 0;
  auto at = [&](size_t i) { return i < s.size() ? s[i] : '\0'; };
  auto unexpected = [&](char c) {
    std::string message = "Unexpected \"";
    message += c;
    message += "\" character.";
    return Malformed(text, message);
  };
  bool end_of_array = false;
  while (!end_of_array) {
    bool item_done = false;
    do {
      const char c = at(p);
      switch (c) {
        case '\0':
          return Fail(Malformed(text, "Unexpected end of input."));
        case '\\':
          if (state != State::kLevelStarted && state != State::kElemStarted &&
              state != State::kQuotedElemStarted && state != State::kElemDelimited) {
            return Fail(unexpected('\\'));
          }
          if (state != State::kQuotedElemStarted) state = State::kElemStarted;
          if (at(p + 1) == '\0') return Fail(Malformed(text, "Unexpected end of input."));
          ++p;
          break;
        case '"':
          if (state != State::kLevelStarted && state != State::kQuotedElemStarted &&
              state != State::kElemDelimited) {
            return Fail(Malformed(text, "Unexpected array element."));
          }
          in_quotes = !in_quotes;
          state = in_quotes ? State::kQuotedElemStarted : State::kQuotedElemCompleted;
          break;
        case '{':
          if (!in_quotes) {
            if (state != State::kNoLevel && state != State::kLevelStarted &&
                state != State::kLevelDelimited) {
              return Fail(unexpected('{'));
            }
            state = State::kLevelStarted;
            if (nest >= kMaxDims) {
              return Fail(sqlstate::kProgramLimitExceeded, "number of array dimensions (" +
                                                               std::to_string(nest + 1) +
                                                               ") exceeds the maximum allowed (6)");
            }
            temp[nest] = 0;
            ++nest;
            if (shape.ndim < nest) shape.ndim = nest;
          }
          break;
        case '}':
          if (!in_quotes) {
            if (state != State::kElemStarted && state != State::kElemCompleted &&
                state != State::kQuotedElemCompleted && state != State::kLevelCompleted &&
                !(nest == 1 && state == State::kLevelStarted)) {
              return Fail(unexpected('}'));
            }
            state = State::kLevelCompleted;
            if (nest == 0) return Fail(Malformed(text, "Unmatched \"}\" character."));
            --nest;
            if (nelems_last[nest] != 0 && nelems[nest] != nelems_last[nest]) {
              return Fail(Malformed(text,
                                    "Multidimensional arrays must have sub-arrays with matching "
                                    "dimensions."));
            }
            nelems_last[nest] = nelems[nest];
            nelems[nest] = 1;
            if (nest == 0) {
              end_of_array = item_done = true;
            } else {
              temp[nest - 1]++;
            }
          }
          break;
        default:
          if (!in_quotes) {
            if (c == ',') {
              if (state != State::kElemStarted && state != State::kElemCompleted &&
                  state != State::kQuotedElemCompleted && state != State::kLevelCompleted) {
                return Fail(unexpected(','));
              }
              state =
                  state == State::kLevelCompleted ? State::kLevelDelimited : State::kElemDelimited;
              item_done = true;
              nelems[nest - 1]++;
            } else if (!IsBlank(c)) {
              if (state != State::kLevelStarted && state != State::kElemStarted &&
                  state != State::kElemDelimited) {
                return Fail(Malformed(text, "Unexpected array element."));
              }
              state = State::kElemStarted;
            }
          }
          break;
      }
      if (!item_done) ++p;
    } while (!item_done);
    temp[shape.ndim - 1]++;
    ++p;
  }
  for (; p < s.size(); ++p) {
    if (!IsBlank(s[p])) return Fail(Malformed(text, "Junk after closing right brace."));
  }
  for (int i = 0; i < shape.ndim; ++i) shape.dims[i] = temp[i];
  return shape;
}

// ReadArrayStr over a literal Count accepted, one dimension: each element de-quoted and
// de-escaped, unquoted blanks around it dropped.
std::vector<std::optional<std::string>> ReadElements(std::string_view s) {
  std::vector<std::optional<std::string>> out;
  size_t p = s.find('{') + 1;
  // "{}" (blanks inside allowed): no element.
  size_t q = p;
  while (q < s.size() && IsBlank(s[q])) ++q;
  if (q < s.size() && s[q] == '}') return out;
  bool done = false;
  while (!done) {
    std::string item;
    size_t end_len = 0;  // the element ends here unless more than blanks follow
    bool quoted = false, in_quotes = false, leading = true;
    for (;;) {
      const char c = s[p];
      if (c == '\\') {
        item.push_back(s[p + 1]);
        p += 2;
        leading = false;
        end_len = item.size();
        quoted = true;
      } else if (c == '"') {
        in_quotes = !in_quotes;
        if (in_quotes) {
          leading = false;
        } else {
          end_len = item.size();
        }
        quoted = true;
        ++p;
      } else if (!in_quotes && (c == ',' || c == '}')) {
        done = c == '}';
        ++p;
        break;
      } else if (!in_quotes && IsBlank(c)) {
        if (!leading) item.push_back(c);
        ++p;
      } else {
        item.push_back(c);
        ++p;
        if (!in_quotes) leading = false;
        end_len = item.size();
      }
    }
    item.resize(end_len);
    if (!quoted && EqualsNullIgnoringCase(item)) {
      out.emplace_back(std::nullopt);
    } else {
      out.emplace_back(std::move(item));
    }
  }
  return out;
}

}  // namespace

Result<ParsedText> ParseText(std::string_view text) {
  size_t p = 0;
  auto skip_blanks = [&] {
    while (p < text.size() && IsBlank(text[p])) ++p;
  };
  int ndim = 0;
  int64_t lower = 1, upper = 0;
  for (;;) {
    skip_blanks();
    if (p >= text.size() || text[p] != '[') break;
    ++p;
    if (ndim >= 1) {
      return Fail(sqlstate::kFeatureNotSupported, "multidimensional arrays are not supported yet");
    }
    size_t q = p;
    while (q < text.size() && IsDigitOrSign(text[q])) ++q;
    if (q == p) {
      return Fail(Malformed(text, "\"[\" must introduce explicitly-specified array dimensions."));
    }
    int64_t lb = 1;
    if (q < text.size() && text[q] == ':') {
      lb = std::atoi(std::string(text.substr(p, q - p)).c_str());
      p = q + 1;
      for (q = p; q < text.size() && IsDigitOrSign(text[q]); ++q) {
      }
      if (q == p) return Fail(Malformed(text, "Missing array dimension value."));
    }
    if (q >= text.size() || text[q] != ']') {
      return Fail(Malformed(text, "Missing \"]\" after array dimensions."));
    }
    const int64_t ub = std::atoi(std::string(text.substr(p, q - p)).c_str());
    p = q + 1;
    if (ub < lb) {
      return Fail(sqlstate::kArraySubscriptError, "upper bound cannot be less than lower bound");
    }
    lower = lb;
    upper = ub;
    ++ndim;
  }
  if (ndim == 0) {
    if (p >= text.size() || text[p] != '{') {
      return Fail(Malformed(text, "Array value must start with \"{\" or dimension information."));
    }
  } else {
    if (text.substr(p, 1) != "=") {
      return Fail(Malformed(text, "Missing \"=\" after array dimensions."));
    }
    ++p;
    skip_blanks();
    if (p >= text.size() || text[p] != '{') {
      return Fail(Malformed(text, "Array contents must start with \"{\"."));
    }
  }
  SQLRITE_ASSIGN_OR_RETURN(Shape shape, Count(text, text.substr(p)));
  if (ndim > 0 && (shape.ndim != ndim || shape.dims[0] != upper - lower + 1)) {
    return Fail(Malformed(text, "Specified array dimensions do not match array contents."));
  }
  if (shape.ndim > 1) {
    return Fail(sqlstate::kFeatureNotSupported, "multidimensional arrays are not supported yet");
  }
  ParsedText out;
  out.elements = ReadElements(text.substr(p));
  out.lower = out.elements.empty() ? 1 : static_cast<int32_t>(lower);
  return out;
}

void AppendElement(std::string& out, std::string_view text) {
  bool quote = text.empty() || EqualsNullIgnoringCase(text);
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || IsBlank(c)) {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendBounds(std::string& out, int32_t lower, size_t count) {
  if (lower == 1 || count == 0) return;
  out += "[" + std::to_string(lower) + ":" +
         std::to_string(int64_t{lower} + static_cast<int64_t>(count) - 1) + "]=";
}

}  // namespace sqlrite::engine::array
