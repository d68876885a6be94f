// What the catalogs' array columns need while the engine has no array types: such a value is
// text in PostgreSQL's array output form ("{a,b,NULL}", "{}"; engine/catalog/), and these
// functions read that form: array_to_string(arr, sep [, null_text]), array_upper(arr, 1),
// array_lower(arr, 1), and `x = ANY (arr)` (the transformer's call of "= ANY", a name SQL cannot
// spell unquoted), each element read as x's type; unnest(arr) in FROM, its elements as text.
// And information_schema._pg_expandarray over smallint[] and int2vector (pgjdbc's key queries).
//
// Then the functions of the array types proper (ArrayRef values, engine/value.h): array_length,
// cardinality, array_upper / array_lower / array_ndims / array_dims, array_append / prepend /
// cat (the || operators'), array_position, array_remove, array_replace, @> <@ && (arraycontains,
// arraycontained, arrayoverlap), array_to_string, string_to_array and unnest, each over anyarray
// (the binder resolves the element type, engine/functions/builtin.h).

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/sqlstate.h"
#include "engine/expression.h"
#include "engine/functions/builtin.h"
#include "engine/record_type.h"
#include "engine/type_shorthands.h"
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

// A set function's rows from a list of values.
class ValueRows final : public RowGenerator {
 public:
  explicit ValueRows(std::vector<Datum> values) : values_(std::move(values)) {}
  Result<bool> Next(Datum& out) override {
    if (next_ == values_.size()) return false;
    out = std::move(values_[next_++]);
    return true;
  }

 private:
  std::vector<Datum> values_;
  size_t next_ = 0;
};

// unnest and generate_subscripts of smallint[] and int2vector (the catalogs' text-form arrays:
// SQLAlchemy reads a primary key's columns as unnest(pg_index.indkey) with
// generate_subscripts(indkey, 1)): the elements, or their subscripts (int2vector's from 0), of
// dimension 1.
template <bool kVector, bool kSubscripts>
Result<std::unique_ptr<RowGenerator>> Int2Rows(const CallArgs& a) {
  const std::string& value = std::get<std::string>(a.values[0]);
  std::vector<Datum> rows;
  const bool first_dimension = !kSubscripts || std::get<int64_t>(a.values[1]) == 1;
  SQLRITE_ASSIGN_OR_RETURN(std::optional<int64_t> lower, int2_array::Bound(value, kVector, false));
  SQLRITE_ASSIGN_OR_RETURN(std::optional<int64_t> upper, int2_array::Bound(value, kVector, true));
  if (first_dimension && lower && upper) {
    for (int64_t i = *lower; i <= *upper; ++i) {
      if (kSubscripts) {
        rows.emplace_back(i);
        continue;
      }
      SQLRITE_ASSIGN_OR_RETURN(std::optional<int64_t> v, int2_array::Element(value, kVector, i));
      rows.push_back(v ? Datum(*v) : Datum());
    }
  }
  if (kSubscripts && a.values.size() > 2 && std::get<bool>(a.values[2])) {
    std::reverse(rows.begin(), rows.end());
  }
  return std::unique_ptr<RowGenerator>(std::make_unique<ValueRows>(std::move(rows)));
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

// ---- arrays (ArrayRef values; anyarray / anyelement parameters) ----

const ArrayValue& ArrayOfArg(const CallArgs& a, size_t i) {
  return *DatumAs<ArrayRef>(a.values[i]);
}

bool SameElement(const Datum& x, const Datum& y) {
  if (IsNull(x) || IsNull(y)) return IsNull(x) && IsNull(y);
  return CompareDatums(x, y) == 0;
}

// array_length(a, 1) / array_upper / array_lower: NULL for an empty array or another dimension.
Result<Datum> Length(const CallArgs& a) {
  const ArrayValue& v = ArrayOfArg(a, 0);
  if (v.items.empty() || std::get<int64_t>(a.values[1]) != 1) return Datum();
  return Datum(static_cast<int64_t>(v.items.size()));
}
template <bool kUpper>
Result<Datum> Bound(const CallArgs& a) {
  const ArrayValue& v = ArrayOfArg(a, 0);
  if (v.items.empty() || std::get<int64_t>(a.values[1]) != 1) return Datum();
  return Datum(kUpper ? int64_t{v.lower} + static_cast<int64_t>(v.items.size()) - 1
                      : int64_t{v.lower});
}
Result<Datum> Cardinality(const CallArgs& a) {
  return Datum(static_cast<int64_t>(ArrayOfArg(a, 0).items.size()));
}
Result<Datum> Ndims(const CallArgs& a) {
  return ArrayOfArg(a, 0).items.empty() ? Datum() : Datum(int64_t{1});
}
Result<Datum> Dims(const CallArgs& a) {
  const ArrayValue& v = ArrayOfArg(a, 0);
  if (v.items.empty()) return Datum();
  return Datum("[" + std::to_string(v.lower) + ":" +
               std::to_string(int64_t{v.lower} + static_cast<int64_t>(v.items.size()) - 1) + "]");
}

// array_append / array_prepend / array_cat (the || operators' functions): NULL arrays as empty.
Result<Datum> Append(const CallArgs& a) {
  return ConcatArrays(1, a.types[0].elem, a.values[0], a.values[1]);
}
Result<Datum> Prepend(const CallArgs& a) {
  return ConcatArrays(2, a.types[1].elem, a.values[0], a.values[1]);
}
Result<Datum> Cat(const CallArgs& a) {
  return ConcatArrays(0, a.types[0].elem, a.values[0], a.values[1]);
}

// array_fill(value, dims [, lbounds]) as PostgreSQL's array_fill_internal, for the arrays the
// engine has (one dimension): dims[1] copies of value from subscript lbounds[1] (1). No
// dimension, or one of 0, gives '{}'; more than one dimension of any items is 0A000.
Result<Datum> ArrayFill(const CallArgs& a) {
  const bool has_lbounds = a.values.size() > 2;
  if (IsNull(a.values[1]) || (has_lbounds && IsNull(a.values[2]))) {
    return Fail(sqlstate::kNullValueNotAllowed,
                "dimension array or low bound array cannot be null");
  }
  const ArrayValue& dims = ArrayOfArg(a, 1);
  auto has_null = [](const ArrayValue& v) {
    return std::any_of(v.items.begin(), v.items.end(), [](const Datum& d) { return IsNull(d); });
  };
  if (has_null(dims)) {
    return Fail(sqlstate::kNullValueNotAllowed, "dimension values cannot be null");
  }
  const size_t ndims = dims.items.size();
  if (ndims > 6) {
    return Fail(sqlstate::kProgramLimitExceeded, "number of array dimensions (" +
                                                     std::to_string(ndims) +
                                                     ") exceeds the maximum allowed (6)");
  }
  std::vector<int64_t> lower(ndims, 1);
  if (has_lbounds) {
    const ArrayValue& lbs = ArrayOfArg(a, 2);
    if (has_null(lbs)) {
      return Fail(sqlstate::kNullValueNotAllowed, "dimension values cannot be null");
    }
    if (lbs.items.size() != ndims) {
      return Fail(Error(sqlstate::kArraySubscriptError, "wrong number of array subscripts")
                      .WithDetail("Low bound array has different size than dimensions array."));
    }
    for (size_t i = 0; i < ndims; ++i) lower[i] = DatumAs<int64_t>(lbs.items[i]);
  }
  // ArrayGetNItems: a negative dimension, or a product past MaxArraySize, is too large.
  constexpr int64_t kMaxArraySize = 134217727;
  int64_t nitems = ndims == 0 ? 0 : 1;
  for (size_t i = 0; i < ndims; ++i) {
    const int64_t d = DatumAs<int64_t>(dims.items[i]);
    if (d < 0 || (d > 0 && nitems > kMaxArraySize / d)) nitems = kMaxArraySize + 1;
    if (nitems <= kMaxArraySize) nitems *= d;
    if (nitems > kMaxArraySize) {
      return Fail(sqlstate::kProgramLimitExceeded,
                  "array size exceeds the maximum allowed (" + std::to_string(kMaxArraySize) + ")");
    }
  }
  // ArrayCheckBounds: lower + dim must fit an int (INT_MAX is no valid upper bound).
  for (size_t i = 0; i < ndims; ++i) {
    const int64_t d = DatumAs<int64_t>(dims.items[i]);
    if (lower[i] + d > std::numeric_limits<int32_t>::max()) {
      return Fail(sqlstate::kProgramLimitExceeded,
                  "array lower bound is too large: " + std::to_string(lower[i]));
    }
  }
  const TypeId elem = a.types[0].id;
  if (nitems == 0) return ArrayDatum(elem, {});
  // array_fill_internal: the elements' bytes in PostgreSQL's layout (a varlena's text plus its
  // 4-byte header, int-aligned; a fixed-length type's typlen) past MaxAllocSize fail before
  // anything is allocated.
  if (!IsNull(a.values[0])) {
    constexpr int64_t kMaxAllocSize = 0x3fffffff;
    const int16_t len = TypeLen(elem);
    int64_t item_bytes = len > 0 ? len : 8;
    if (const auto* text = std::get_if<std::string>(&a.values[0]); text != nullptr && len < 0) {
      item_bytes = (static_cast<int64_t>(text->size()) + 4 + 3) / 4 * 4;
    }
    if (nitems > kMaxAllocSize / item_bytes) {
      return Fail(sqlstate::kProgramLimitExceeded,
                  "array size exceeds the maximum allowed (" + std::to_string(kMaxAllocSize) + ")");
    }
    // With the array's header (ARR_OVERHEAD_NONULLS: 16 bytes and 8 per dimension, 8-aligned)
    // palloc0 refuses what passed the check above, with its internal error.
    const int64_t request =
        nitems * item_bytes + (16 + 8 * static_cast<int64_t>(ndims) + 7) / 8 * 8;
    if (request > kMaxAllocSize) {
      return Fail(sqlstate::kInternalError,
                  "invalid memory alloc request size " + std::to_string(request));
    }
  }
  if (ndims > 1) {
    return Fail(sqlstate::kFeatureNotSupported, "multidimensional arrays are not supported yet");
  }
  std::vector<Datum> items(static_cast<size_t>(nitems), a.values[0]);
  return ArrayDatum(elem, std::move(items), static_cast<int32_t>(lower[0]));
}

// array_position(a, x [, start]): the first subscript from start on whose element is not
// distinct from x (NULL finds a NULL element), else NULL.
Result<Datum> Position(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum();
  const ArrayValue& v = ArrayOfArg(a, 0);
  int64_t from = v.lower;
  if (a.values.size() > 2) {
    if (IsNull(a.values[2])) {
      return Fail(sqlstate::kNullValueNotAllowed, "initial position must not be null");
    }
    from = std::get<int64_t>(a.values[2]);
  }
  for (size_t i = 0; i < v.items.size(); ++i) {
    const int64_t subscript = v.lower + static_cast<int64_t>(i);
    if (subscript < from) continue;
    if (SameElement(v.items[i], a.values[1])) return Datum(subscript);
  }
  return Datum();
}

// array_positions(a, x): every subscript whose element is not distinct from x.
Result<Datum> Positions(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum();
  const ArrayValue& v = ArrayOfArg(a, 0);
  std::vector<Datum> found;
  for (size_t i = 0; i < v.items.size(); ++i) {
    if (SameElement(v.items[i], a.values[1])) {
      found.emplace_back(int64_t{v.lower} + static_cast<int64_t>(i));
    }
  }
  return ArrayDatum(TypeId::kInt4, std::move(found));
}

// array_remove(a, x): a without the elements not distinct from x.
Result<Datum> Remove(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum();
  const ArrayValue& v = ArrayOfArg(a, 0);
  std::vector<Datum> items;
  for (const Datum& item : v.items) {
    if (!SameElement(item, a.values[1])) items.push_back(item);
  }
  if (items.size() == v.items.size()) return a.values[0];
  return ArrayDatum(v.elem, std::move(items));
}

// array_replace(a, from, to).
Result<Datum> Replace(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum();
  const ArrayValue& v = ArrayOfArg(a, 0);
  std::vector<Datum> items = v.items;
  for (Datum& item : items) {
    if (SameElement(item, a.values[1])) item = a.values[2];
  }
  return ArrayDatum(v.elem, std::move(items), v.lower);
}

// @> and <@ (arraycontains, arraycontained): every non-NULL element of the contained array is
// in the other (a NULL element is never contained); && (arrayoverlap): some non-NULL element
// is in both.
bool Contains(const ArrayValue& big, const ArrayValue& small, bool any) {
  for (const Datum& x : small.items) {
    bool found = false;
    if (!IsNull(x)) {
      for (const Datum& y : big.items) {
        if (!IsNull(y) && CompareDatums(x, y) == 0) {
          found = true;
          break;
        }
      }
    }
    if (any && found) return true;
    if (!any && !found) return false;
  }
  return !any;
}
Result<Datum> ArrayContains(const CallArgs& a) {
  return Datum(Contains(ArrayOfArg(a, 0), ArrayOfArg(a, 1), false));
}
Result<Datum> ArrayContained(const CallArgs& a) {
  return Datum(Contains(ArrayOfArg(a, 1), ArrayOfArg(a, 0), false));
}
Result<Datum> ArrayOverlap(const CallArgs& a) {
  return Datum(Contains(ArrayOfArg(a, 0), ArrayOfArg(a, 1), true));
}

// array_to_string(a, sep [, null_text]): the elements' text forms joined, NULL elements left out
// (or written as null_text when it is given and not NULL).
Result<Datum> JoinElements(const CallArgs& a) {
  if (IsNull(a.values[0]) || IsNull(a.values[1])) return Datum();
  const ArrayValue& v = ArrayOfArg(a, 0);
  const std::string& sep = std::get<std::string>(a.values[1]);
  const bool has_null_text = a.values.size() > 2 && !IsNull(a.values[2]);
  std::string out;
  bool first = true;
  for (const Datum& item : v.items) {
    if (IsNull(item) && !has_null_text) continue;
    if (!first) out += sep;
    first = false;
    if (IsNull(item)) {
      out += std::get<std::string>(a.values[2]);
    } else {
      AppendText(out, item, v.elem);
    }
  }
  return Datum(std::move(out));
}

// string_to_array(s, sep [, null_text]): s split at each sep (NULL sep: each character; empty
// sep: s whole); fields equal to null_text are NULL. An empty s is an empty array.
Result<Datum> SplitString(const CallArgs& a) {
  if (IsNull(a.values[0])) return Datum();
  const std::string& s = std::get<std::string>(a.values[0]);
  const bool has_null_text = a.values.size() > 2 && !IsNull(a.values[2]);
  std::vector<Datum> items;
  auto add = [&](std::string field) {
    if (has_null_text && field == std::get<std::string>(a.values[2])) {
      items.emplace_back();
    } else {
      items.emplace_back(std::move(field));
    }
  };
  if (s.empty()) return ArrayDatum(TypeId::kText, {});
  if (IsNull(a.values[1])) {
    for (size_t i = 0; i < s.size();) {
      size_t n = 1;
      while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
      add(s.substr(i, n));
      i += n;
    }
  } else if (const std::string& sep = std::get<std::string>(a.values[1]); sep.empty()) {
    add(s);
  } else {
    size_t from = 0;
    for (;;) {
      const size_t at = s.find(sep, from);
      if (at == std::string::npos) {
        add(s.substr(from));
        break;
      }
      add(s.substr(from, at - from));
      from = at + sep.size();
    }
  }
  return ArrayDatum(TypeId::kText, std::move(items));
}

// unnest(anyarray): the elements in order.
class ArrayElementRows final : public RowGenerator {
 public:
  explicit ArrayElementRows(Datum array) : array_(std::move(array)) {}
  Result<bool> Next(Datum& out) override {
    const ArrayValue& v = *DatumAs<ArrayRef>(array_);
    if (next_ == v.items.size()) return false;
    out = v.items[next_++];
    return true;
  }

 private:
  Datum array_;
  size_t next_ = 0;
};

Result<std::unique_ptr<RowGenerator>> UnnestArray(const CallArgs& a) {
  return std::unique_ptr<RowGenerator>(std::make_unique<ArrayElementRows>(a.values[0]));
}

}  // namespace

void AddArrayFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kI4;
  using type_shorthands::kText;
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
  using type_shorthands::kI2;
  using type_shorthands::kI2Array;
  using type_shorthands::kI2Vector;
  out.push_back(Fn("[]", {kI2Array, kI4}, kI2, Int2Subscript<false>));
  out.push_back(Fn("[]", {kI2Vector, kI4}, kI2, Int2Subscript<true>));
  out.push_back(SetFn("unnest", {kI2Vector}, kI2, Int2Rows<true, false>));
  out.push_back(SetFn("unnest", {kI2Array}, kI2, Int2Rows<false, false>));
  out.push_back(SetFn("generate_subscripts", {kI2Vector, kI4}, kI4, Int2Rows<true, true>));
  out.push_back(SetFn("generate_subscripts", {kI2Array, kI4}, kI4, Int2Rows<false, true>));
  out.push_back(
      SetFn("generate_subscripts", {kI2Vector, kI4, TypeId::kBool}, kI4, Int2Rows<true, true>));
  out.push_back(
      SetFn("generate_subscripts", {kI2Array, kI4, TypeId::kBool}, kI4, Int2Rows<false, true>));
  out.push_back(Fn("array_upper", {kI2Array, kI4}, kI4, Int2Bound<false, true>));
  out.push_back(Fn("array_lower", {kI2Array, kI4}, kI4, Int2Bound<false, false>));
  out.push_back(Fn("array_upper", {kI2Vector, kI4}, kI4, Int2Bound<true, true>));
  out.push_back(Fn("array_lower", {kI2Vector, kI4}, kI4, Int2Bound<true, false>));
  // name[] (current_schemas): arr[i], array_upper / array_lower.
  out.push_back(Fn("[]", {TypeId::kNameArray, kI4}, TypeId::kName, NameSubscript));
  out.push_back(Fn("array_upper", {TypeId::kNameArray, kI4}, kI4, ArrayBound<true>));
  out.push_back(Fn("array_lower", {TypeId::kNameArray, kI4}, kI4, ArrayBound<false>));
  // The array types' functions, over anyarray / anyelement.
  using type_shorthands::kAA;
  using type_shorthands::kAE;
  using type_shorthands::kBool;
  out.push_back(Fn("array_length", {kAA, kI4}, kI4, Length));
  out.push_back(Fn("array_upper", {kAA, kI4}, kI4, Bound<true>));
  out.push_back(Fn("array_lower", {kAA, kI4}, kI4, Bound<false>));
  out.push_back(Fn("cardinality", {kAA}, kI4, Cardinality));
  out.push_back(Fn("array_ndims", {kAA}, kI4, Ndims));
  out.push_back(Fn("array_dims", {kAA}, kText, Dims));
  out.push_back(Fn("arraycontains", {kAA, kAA}, kBool, ArrayContains));
  out.push_back(Fn("arraycontained", {kAA, kAA}, kBool, ArrayContained));
  out.push_back(Fn("arrayoverlap", {kAA, kAA}, kBool, ArrayOverlap));
  out.push_back(Fn("array_to_string", {kAA, kText}, kText, JoinElements));
  for (Builtin b :
       {Fn("array_append", {kAA, kAE}, kAA, Append), Fn("array_prepend", {kAE, kAA}, kAA, Prepend),
        Fn("array_cat", {kAA, kAA}, kAA, Cat), Fn("array_position", {kAA, kAE}, kI4, Position),
        Fn("array_position", {kAA, kAE, kI4}, kI4, Position),
        Fn("array_positions", {kAA, kAE}, TypeId::kArray, Positions),
        Fn("array_remove", {kAA, kAE}, kAA, Remove),
        Fn("array_replace", {kAA, kAE, kAE}, kAA, Replace),
        Fn("array_to_string", {kAA, kText, kText}, kText, JoinElements),
        Fn("string_to_array", {kText, kText}, TypeId::kArray, SplitString),
        Fn("string_to_array", {kText, kText, kText}, TypeId::kArray, SplitString)}) {
    b.strict = false;
    if (b.result == TypeId::kArray) b.result_elem = b.name == "array_positions" ? kI4 : kText;
    out.push_back(b);
  }
  out.push_back(SetFn("unnest", {kAA}, kAE, UnnestArray));
  // array_fill(anyelement, integer[] [, integer[]]): bound by the binder (engine/expression.cc's
  // BindArrayCall), which coerces the integer arrays; not strict (NULL dimensions are an error).
  for (Builtin fill : {Fn("array_fill", {kAE, TypeId::kArray}, kAA, ArrayFill),
                       Fn("array_fill", {kAE, TypeId::kArray, TypeId::kArray}, kAA, ArrayFill)}) {
    fill.strict = false;
    out.push_back(fill);
  }
  for (Builtin expand : {SetFn("information_schema._pg_expandarray", {kI2Array}, TypeId::kRecord,
                               ExpandInt2Array<false>),
                         SetFn("information_schema._pg_expandarray", {kI2Vector}, TypeId::kRecord,
                               ExpandInt2Array<true>)}) {
    expand.result_typmod = record::kExpandArrayInt2;
    out.push_back(expand);
  }
}

}  // namespace sqlrite::engine::functions
