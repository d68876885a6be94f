// What the catalogs' array columns need while the engine has no array types: such a value is
// text in PostgreSQL's array output form ("{a,b,NULL}", "{}"; engine/catalog/), and these
// functions read that form: array_to_string(arr, sep [, null_text]), array_upper(arr, 1),
// array_lower(arr, 1), and `x = ANY (arr)` (the transformer's call of "= ANY", a name SQL cannot
// spell unquoted), each element read as x's type; unnest(arr) in FROM, its elements as text.
// And information_schema._pg_expandarray over smallint[] and int2vector (pgjdbc's key queries).

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/expression.h"
#include "engine/functions/builtin.h"
#include "engine/record_type.h"
#include "engine/types/int2_array.h"

namespace sqlrite::engine::functions {
namespace {

using int2_array::ParseArrayText;
using ElementList = int2_array::Elements;

Result<Datum> ArrayToString(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements,
                           ParseArrayText(std::get<std::string>(a.values[0])));
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
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements,
                           ParseArrayText(std::get<std::string>(a.values[0])));
  if (elements.empty() || std::get<int64_t>(a.values[1]) != 1) return Datum();
  return Datum(kUpper ? static_cast<int64_t>(elements.size()) : int64_t{1});
}

// x = ANY (arr): true when an element equals x, else NULL when x or an element is NULL, else
// false.
Result<Datum> EqualsAny(const CallArgs& a) {
  const TypeId array_type = a.types[1].id;
  if (array_type != TypeId::kText && array_type != TypeId::kUnknown &&
      array_type != TypeId::kInt2Array && array_type != TypeId::kInt2Vector &&
      array_type != TypeId::kNameArray) {
    return Fail(sqlstate::kWrongObjectType, "op ANY/ALL (array) requires array on right side");
  }
  if (IsNull(a.values[1])) return Datum();
  const std::string& array = std::get<std::string>(a.values[1]);
  SQLRITE_ASSIGN_OR_RETURN(
      ElementList elements,
      ParseArrayText(array_type == TypeId::kInt2Vector ? int2_array::VectorToArray(array) : array));
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
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements,
                           ParseArrayText(std::get<std::string>(a.values[0])));
  return std::unique_ptr<RowGenerator>(std::make_unique<ElementRows>(std::move(elements)));
}

// smallint[] and int2vector: arr[i], array_upper / array_lower (engine/types/int2_array.h).
template <bool kVector>
Result<Datum> Int2Subscript(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(std::optional<int64_t> v,
                           int2_array::Element(std::get<std::string>(a.values[0]), kVector,
                                               std::get<int64_t>(a.values[1])));
  return v ? Datum(*v) : Datum();
}
template <bool kVector, bool kUpper>
Result<Datum> Int2Bound(const CallArgs& a) {
  if (std::get<int64_t>(a.values[1]) != 1) return Datum();
  SQLRITE_ASSIGN_OR_RETURN(std::optional<int64_t> v,
                           int2_array::Bound(std::get<std::string>(a.values[0]), kVector, kUpper));
  return v ? Datum(*v) : Datum();
}

// name[]'s arr[i]: NULL out of range.
Result<Datum> NameSubscript(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements,
                           ParseArrayText(std::get<std::string>(a.values[0])));
  const int64_t i = std::get<int64_t>(a.values[1]);
  if (i < 1 || i > static_cast<int64_t>(elements.size())) return Datum();
  std::optional<std::string>& e = elements[static_cast<size_t>(i - 1)];
  return e ? Datum(std::move(*e)) : Datum();
}

// information_schema._pg_expandarray(arr): per element, the record (x, n) of the element and
// its position from 1, as PostgreSQL's SQL definition over generate_subscripts gives them.
class ExpandedRows final : public RowGenerator {
 public:
  explicit ExpandedRows(ElementList elements) : elements_(std::move(elements)) {}
  Result<bool> Next(Datum& out) override {
    if (next_ == elements_.size()) return false;
    const std::optional<std::string>& element = elements_[next_++];
    Datum x;
    if (element) x = Datum(static_cast<int64_t>(std::stoi(*element)));  // canonical int2 text
    out =
        record::Make(record::kExpandArrayInt2, {std::move(x), Datum(static_cast<int64_t>(next_))});
    return true;
  }

 private:
  ElementList elements_;
  size_t next_ = 0;
};

template <bool kVector>
Result<std::unique_ptr<RowGenerator>> ExpandInt2Array(const CallArgs& a) {
  const std::string& value = std::get<std::string>(a.values[0]);
  SQLRITE_ASSIGN_OR_RETURN(ElementList elements,
                           ParseArrayText(kVector ? int2_array::VectorToArray(value) : value));
  return std::unique_ptr<RowGenerator>(std::make_unique<ExpandedRows>(std::move(elements)));
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
  constexpr TypeId kI2 = TypeId::kInt2, kI2Array = TypeId::kInt2Array;
  constexpr TypeId kI2Vector = TypeId::kInt2Vector;
  out.push_back(Fn("[]", {kI2Array, kI4}, kI2, Int2Subscript<false>));
  out.push_back(Fn("[]", {kI2Vector, kI4}, kI2, Int2Subscript<true>));
  out.push_back(Fn("array_upper", {kI2Array, kI4}, kI4, Int2Bound<false, true>));
  out.push_back(Fn("array_lower", {kI2Array, kI4}, kI4, Int2Bound<false, false>));
  out.push_back(Fn("array_upper", {kI2Vector, kI4}, kI4, Int2Bound<true, true>));
  out.push_back(Fn("array_lower", {kI2Vector, kI4}, kI4, Int2Bound<true, false>));
  // name[] (current_schemas): arr[i], array_upper / array_lower.
  out.push_back(Fn("[]", {TypeId::kNameArray, kI4}, TypeId::kName, NameSubscript));
  out.push_back(Fn("array_upper", {TypeId::kNameArray, kI4}, kI4, ArrayBound<true>));
  out.push_back(Fn("array_lower", {TypeId::kNameArray, kI4}, kI4, ArrayBound<false>));
  for (Builtin expand : {SetFn("information_schema._pg_expandarray", {kI2Array}, TypeId::kRecord,
                               ExpandInt2Array<false>),
                         SetFn("information_schema._pg_expandarray", {kI2Vector}, TypeId::kRecord,
                               ExpandInt2Array<true>)}) {
    expand.result_typmod = record::kExpandArrayInt2;
    out.push_back(expand);
  }
}

}  // namespace sqlrite::engine::functions
