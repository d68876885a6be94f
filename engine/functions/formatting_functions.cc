// to_char of the numeric types and to_number (PostgreSQL 15's numeric template patterns,
// engine/functions/number_format.h); to_char of the date/time types is in datetime_functions.cc.
// Registered after every other family, so that the pg_proc oids of those stay as they were.

#include <string>

#include "engine/functions/builtin.h"
#include "engine/functions/number_format.h"
#include "engine/type_shorthands.h"

namespace sqlrite::engine::functions {
namespace {

const std::string& Str(const CallArgs& a, size_t i) { return DatumAs<std::string>(a.values[i]); }

Result<Datum> NumericChar(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(std::string s,
                           NumericToChar(*DatumAs<NumericRef>(a.values[0]), Str(a, 1)));
  return Datum(std::move(s));
}

template <bool kInt8>
Result<Datum> IntegerChar(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(std::string s,
                           IntegerToChar(DatumAs<int64_t>(a.values[0]), kInt8, Str(a, 1)));
  return Datum(std::move(s));
}

template <bool kFloat4>
Result<Datum> FloatChar(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(std::string s,
                           FloatToChar(DatumAs<double>(a.values[0]), kFloat4, Str(a, 1)));
  return Datum(std::move(s));
}

Result<Datum> Number(const CallArgs& a) {
  SQLRITE_ASSIGN_OR_RETURN(std::optional<Numeric> n, ToNumber(Str(a, 0), Str(a, 1)));
  if (!n) return Datum{};
  return NumericDatum(std::move(*n));
}

}  // namespace

void AddFormattingFunctions(std::vector<Builtin>& out) {
  using type_shorthands::kText;
  out.push_back(Fn("to_char", {TypeId::kNumeric, kText}, kText, NumericChar));
  out.push_back(Fn("to_char", {TypeId::kInt4, kText}, kText, IntegerChar<false>));
  out.push_back(Fn("to_char", {TypeId::kInt8, kText}, kText, IntegerChar<true>));
  out.push_back(Fn("to_char", {TypeId::kFloat4, kText}, kText, FloatChar<true>));
  out.push_back(Fn("to_char", {TypeId::kFloat8, kText}, kText, FloatChar<false>));
  out.push_back(Fn("to_number", {kText, kText}, TypeId::kNumeric, Number));
}

}  // namespace sqlrite::engine::functions
