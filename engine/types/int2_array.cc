#include "engine/types/int2_array.h"

#include <charconv>
#include <cstdint>
#include <utility>

namespace sqlrite::engine::int2_array {
namespace {

// int2in: optional blanks, a sign, digits, optional blanks.
Result<int64_t> ParseInt2(std::string_view s) {
  std::string_view t = s;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec == std::errc::invalid_argument || end != t.data() + t.size()) {
    return Fail(sqlstate::kInvalidTextRepresentation,
                "invalid input syntax for type smallint: \"" + std::string(s) + "\"");
  }
  if (ec == std::errc::result_out_of_range || v < INT16_MIN || v > INT16_MAX) {
    return Fail(sqlstate::kNumericValueOutOfRange,
                "value \"" + std::string(s) + "\" is out of range for type smallint");
  }
  return v;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

}  // namespace

Result<Elements> ParseArrayText(std::string_view s, int64_t* lower) {
  auto malformed = [&s]() {
    return Fail(Error(sqlstate::kInvalidTextRepresentation,
                      "malformed array literal: \"" + std::string(s) + "\""));
  };
  size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  int64_t lb = 1, ub = 0;
  bool dims = false;
  if (b < e && s[b] == '[') {
    // "[lower:upper]=": the one dimension's bounds, which must match the element count.
    const size_t close = s.find(']', b);
    const size_t colon = s.find(':', b);
    if (close == std::string_view::npos || colon == std::string_view::npos || colon > close ||
        close + 1 >= e || s[close + 1] != '=') {
      return malformed();
    }
    auto number = [&](size_t from, size_t to, int64_t& out) {
      auto [p, ec] = std::from_chars(s.data() + from, s.data() + to, out);
      return ec == std::errc() && p == s.data() + to;
    };
    if (!number(b + 1, colon, lb) || !number(colon + 1, close, ub)) return malformed();
    dims = true;
    b = close + 2;
  }
  if (lower != nullptr) *lower = lb;
  if (e - b < 2 || s[b] != '{' || s[e - 1] != '}') return malformed();
  Elements out;
  size_t i = b + 1;
  const size_t end = e - 1;
  if (dims && ub - lb + 1 < 1) return malformed();
  if (i == end) return dims ? malformed() : Result<Elements>(std::move(out));
  while (true) {
    while (i < end && s[i] == ' ') ++i;
    std::string element;
    bool quoted = false;
    if (i < end && s[i] == '"') {
      quoted = true;
      ++i;
      while (i < end && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < end) ++i;
        element += s[i++];
      }
      if (i >= end) return malformed();
      ++i;
      while (i < end && s[i] == ' ') ++i;
    } else {
      while (i < end && s[i] != ',') {
        if (s[i] == '{' || s[i] == '}' || s[i] == '"') return malformed();
        element += s[i++];
      }
      while (!element.empty() && element.back() == ' ') element.pop_back();
      if (element.empty()) return malformed();
    }
    if (!quoted && (element == "NULL" || element == "null")) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(std::move(element));
    }
    if (i == end) {
      if (dims && static_cast<int64_t>(out.size()) != ub - lb + 1) return malformed();
      return out;
    }
    if (s[i] != ',') return malformed();
    ++i;
  }
}

Result<std::string> ParseInt2Array(std::string_view text) {
  int64_t lower = 1;
  SQLRITE_ASSIGN_OR_RETURN(Elements elements, ParseArrayText(text, &lower));
  std::string out;
  if (lower != 1) {
    out = "[" + std::to_string(lower) + ":" +
          std::to_string(lower + static_cast<int64_t>(elements.size()) - 1) + "]=";
  }
  out += "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ',';
    if (!elements[i]) {
      out += "NULL";
      continue;
    }
    SQLRITE_ASSIGN_OR_RETURN(int64_t v, ParseInt2(*elements[i]));
    out += std::to_string(v);
  }
  return out + "}";
}

Result<std::string> ParseNameArray(std::string_view text) {
  SQLRITE_ASSIGN_OR_RETURN(Elements elements, ParseArrayText(text));
  std::string out = "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ',';
    if (!elements[i]) {
      out += "NULL";
      continue;
    }
    const std::string& e = *elements[i];
    bool quote = e.empty() || e == "NULL" || e == "null";
    for (char c : e) {
      quote = quote || c == ' ' || c == '\t' || c == '\n' || c == '{' || c == '}' || c == ',' ||
              c == '"' || c == '\\';
    }
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Result<std::string> ParseInt2Vector(std::string_view text) {
  std::string out;
  for (std::string_view w : Words(text)) {
    SQLRITE_ASSIGN_OR_RETURN(int64_t v, ParseInt2(w));
    if (!out.empty()) out += ' ';
    out += std::to_string(v);
  }
  return out;
}

std::string VectorToArray(std::string_view vector) {
  const std::vector<std::string_view> words = Words(vector);
  if (words.empty()) return "{}";
  std::string out = "[0:" + std::to_string(words.size() - 1) + "]={";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ',';
    out += words[i];
  }
  return out + "}";
}

Result<std::optional<int64_t>> Element(std::string_view value, bool is_vector, int64_t i) {
  if (is_vector) {
    // An int2vector's subscripts start at 0, as PostgreSQL's.
    const std::vector<std::string_view> words = Words(value);
    if (i < 0 || static_cast<uint64_t>(i) >= words.size()) return std::optional<int64_t>();
    SQLRITE_ASSIGN_OR_RETURN(int64_t v, ParseInt2(words[static_cast<size_t>(i)]));
    return std::optional<int64_t>(v);
  }
  int64_t lower = 1;
  SQLRITE_ASSIGN_OR_RETURN(Elements elements, ParseArrayText(value, &lower));
  if (i < lower || i - lower >= static_cast<int64_t>(elements.size())) {
    return std::optional<int64_t>();
  }
  const std::optional<std::string>& element = elements[static_cast<size_t>(i - lower)];
  if (!element) return std::optional<int64_t>();
  SQLRITE_ASSIGN_OR_RETURN(int64_t v, ParseInt2(*element));
  return std::optional<int64_t>(v);
}

Result<std::optional<int64_t>> Bound(std::string_view value, bool is_vector, bool upper) {
  int64_t lower = 0;
  size_t n = 0;
  if (is_vector) {
    n = Words(value).size();
  } else {
    SQLRITE_ASSIGN_OR_RETURN(Elements elements, ParseArrayText(value, &lower));
    n = elements.size();
  }
  if (n == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(upper ? lower + static_cast<int64_t>(n) - 1 : lower);
}

}  // namespace sqlrite::engine::int2_array
