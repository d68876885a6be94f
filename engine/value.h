#pragma once
// Datum: one SQL value at run time. The SQL type lives beside it (in the schema or the
// expression), not inside it: int4 and int8 are both int64_t, text, varchar and char(n)
// std::string, bytea and uuid std::string of raw bytes, float8 a double, numeric a NumericRef
// (an exact Numeric, engine/types/numeric.h), date, time, timestamp and timestamptz int64_t
// (engine/types/datetime.h), interval an Interval (engine/types/interval.h), an array an
// ArrayRef.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "common/assert.h"
#include "engine/types.h"
#include "engine/types/interval.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine {

// An immutable Numeric behind a shared pointer: 16 bytes, so Datum stays 40 bytes (a Numeric by
// value is 40 and would make every Datum 48), and copying a Datum (rows, constants, sort keys)
// bumps a count instead of copying a digit vector. Equality is by value (Numeric::Compare).
class NumericRef {
 public:
  NumericRef() : p_(Zero()) {}
  explicit NumericRef(Numeric n) : p_(std::make_shared<const Numeric>(std::move(n))) {}
  const Numeric& operator*() const { return *p_; }
  const Numeric* operator->() const { return p_.get(); }
  friend bool operator==(const NumericRef& a, const NumericRef& b) { return *a == *b; }

 private:
  static const std::shared_ptr<const Numeric>& Zero();
  std::shared_ptr<const Numeric> p_;
};

struct ArrayValue;

// An immutable array behind a shared pointer, as NumericRef: copying a row or a constant that
// holds one bumps a count. Built once (engine/types/array.h's MakeArray) and never changed;
// an operation that changes an array builds a new one. Equality is by value (element-wise, the
// bounds included), as array_eq.
class ArrayRef {
 public:
  explicit ArrayRef(std::shared_ptr<const ArrayValue> p) : p_(std::move(p)) {}
  const ArrayValue& operator*() const { return *p_; }
  const ArrayValue* operator->() const { return p_.get(); }
  friend bool operator==(const ArrayRef& a, const ArrayRef& b);

 private:
  std::shared_ptr<const ArrayValue> p_;
};

// Alternatives by index: 0 NULL, 1 bool, 2 int64_t, 3 double, 4 std::string, 5 NumericRef,
// 6 Interval (16 bytes: Datum stays 40 bytes), 7 ArrayRef.
using Datum = std::variant<std::monostate, bool, int64_t, double, std::string, NumericRef, Interval,
                           ArrayRef>;
static_assert(sizeof(Datum) == 40);

// An array's value: one dimension of elements (a NULL element is a NULL Datum) whose subscripts
// start at `lower` (1 unless the literal said otherwise: '[0:1]={1,2}'), each element of type
// `elem` (so that a value prints and compares without its SqlType). An empty array has no
// dimension; its lower is 1.
struct ArrayValue {
  TypeId elem = TypeId::kUnknown;
  int32_t lower = 1;
  std::vector<Datum> items;
};

inline Datum ArrayDatum(TypeId elem, std::vector<Datum> items, int32_t lower = 1) {
  return Datum(
      ArrayRef(std::make_shared<const ArrayValue>(ArrayValue{elem, lower, std::move(items)})));
}

inline Datum NumericDatum(Numeric n) { return Datum(NumericRef(std::move(n))); }

inline bool IsNull(const Datum& d) { return std::holds_alternative<std::monostate>(d); }

// d's value as T, for code that knows the representation from the type the binder gave the
// expression (rows are checked against their table when read, so stored values agree too).
// REQUIRES: d holds a T; a mismatch is a bug, not an exception.
template <typename T>
const T& DatumAs(const Datum& d) {
  const T* v = std::get_if<T>(&d);
  SQLRITE_ASSERT(v != nullptr);
  return *v;
}
template <typename T>
T& DatumAs(Datum& d) {
  T* v = std::get_if<T>(&d);
  SQLRITE_ASSERT(v != nullptr);
  return *v;
}

// PostgreSQL's text output for a value of type `type` ("t"/"f" for bool, shortest round-trip
// digits for float8 as PostgreSQL 12+ prints them, hex for bytea, ...). REQUIRES: !IsNull(d).
std::string FormatText(const Datum& d, TypeId type);
void AppendText(std::string& out, const Datum& d, TypeId type);

}  // namespace sqlrite::engine
