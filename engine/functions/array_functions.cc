// What the catalogs' array columns need while the engine has no array types: such a value is
// text in PostgreSQL's array output form ("{a,b,NULL}", "{}"; engine/catalog/), and these
// functions read that form: array_to_string(arr, sep [, null_text]), array_upper(arr, 1),
// array_lower(arr, 1), and `x = ANY (arr)` (the transformer's call of "= ANY", a name SQL cannot
// spell unquoted), each element read as x's type; unnest(arr) in FROM, its elements as text.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/expression.h"
#include "engine/functions/builtin.h"

namespace sqlrite::engine::functions {
namespace {

using ElementList = std::vector<std::optional<std::string>>;  // nullopt: NULL

// A one-dimensional array's output form: elements between braces, separated by commas; a quoted
// element keeps its blanks and has \-escapes; an unquoted NULL is NULL. 22P02 otherwise.
Result<ElementList> ParseArrayText(const std::string& s) {
  auto malformed = [&s]() {
    return Fail(
        Error(sqlstate::kInvalidTextRepresentation, "malformed array literal: \"" + s + "\""));
  };
  size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  if (e - b < 2 || s[b] != '{' || s[e - 1] != '}') return malformed();
  ElementList out;
  size_t i = b + 1;
  const size_t end = e - 1;
  if (i == end) return out;
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
    if (i == end) return out;
    if (s[i] != ',') return malformed();
    ++i;
  }
}

Result<Datum> ArrayToString(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements, ParseArrayText(std::get<std::string>(a.values[0])));
  const std::string& sep = std::get<std::string>(a.values[1]);
  const bool has_null_text = a.values.size() > 2 && !IsNull(a.values[2]);
  std::string out;
  bool first = true;
  for (const std::optional<std::string>& element : elements) {
    if (!element && !has_null_text) continue;
    if (!first) out += sep;
    out += element ? *element : std::get<std::string>(a.values[2]);
    first = false;
  }
  return Datum(std::move(out));
}

// array_upper / array_lower of dimension 1 (NULL for an empty array or another dimension).
template <bool kUpper>
Result<Datum> ArrayBound(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements, ParseArrayText(std::get<std::string>(a.values[0])));
  if (elements.empty() || std::get<int64_t>(a.values[1]) != 1) return Datum();
  return Datum(kUpper ? static_cast<int64_t>(elements.size()) : int64_t{1});
}

// x = ANY (arr): true when an element equals x, else NULL when x or an element is NULL, else
// false.
Result<Datum> EqualsAny(const CallArgs& a) {
  const TypeId array_type = a.types[1].id;
  if (array_type != TypeId::kText && array_type != TypeId::kUnknown) {
    return Fail(sqlstate::kWrongObjectType, "op ANY/ALL (array) requires array on right side");
  }
  if (IsNull(a.values[1])) return Datum();
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements, ParseArrayText(std::get<std::string>(a.values[1])));
  if (IsNull(a.values[0])) return elements.empty() ? Datum(false) : Datum();
  SqlType left = a.types[0];
  if (left.id == TypeId::kUnknown) left = SqlType{TypeId::kText, -1};
  bool saw_null = false;
  for (const std::optional<std::string>& element : elements) {
    if (!element) {
      saw_null = true;
      continue;
    }
    SQLRITE_ASSIGN_OR_RETURN(Datum v, ParseText(*element, left));
    if (CompareDatums(a.values[0], v) == 0) return Datum(true);
  }
  return saw_null ? Datum() : Datum(false);
}

// unnest(arr): the elements in order, NULL elements as NULL.
class ElementRows final : public RowGenerator {
 public:
  explicit ElementRows(ElementList elements) : elements_(std::move(elements)) {}
  Result<bool> Next(Datum& out) override {
    if (next_ == elements_.size()) return false;
    std::optional<std::string>& element = elements_[next_++];
    out = element ? Datum(std::move(*element)) : Datum();
    return true;
  }

 private:
  ElementList elements_;
  size_t next_ = 0;
};

Result<std::unique_ptr<RowGenerator>> Unnest(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements, ParseArrayText(std::get<std::string>(a.values[0])));
  return std::unique_ptr<RowGenerator>(std::make_unique<ElementRows>(std::move(elements)));
}

}  // namespace

void AddArrayFunctions(std::vector<Builtin>& out) {
  constexpr TypeId kText = TypeId::kText;
  constexpr TypeId kI4 = TypeId::kInt4;
  out.push_back(Fn("array_to_string", {kText, kText}, kText, ArrayToString));
  Builtin with_null = Fn("array_to_string", {kText, kText, kText}, kText, ArrayToString);
  with_null.strict = false;
  out.push_back(with_null);
  out.push_back(Fn("array_upper", {kText, kI4}, kI4, ArrayBound<true>));
  out.push_back(Fn("array_lower", {kText, kI4}, kI4, ArrayBound<false>));
  Builtin any = Fn("= ANY", {}, TypeId::kBool, EqualsAny);
  any.variadic_any = true;
  any.min_variadic = 2;
  any.strict = false;
  out.push_back(any);
  out.push_back(SetFn("unnest", {kText}, kText, Unnest));
}

}  // namespace sqlrite::engine::functions
