#pragma once
// to_char(number, format) and to_number(text, format): PostgreSQL 15's numeric template patterns
// (formatting.c's NUM_ routines, followed step by step so that edge cases print the same): 9 0 . ,
// D G S MI PL SG PR FM B V EEEE L TH th RN rn, quoted "text" and other characters copied. The
// locale is C (the server's lc_numeric and lc_monetary): D prints '.', G ',', L a blank, S '+' or
// '-'. A value with more integer digits than the pattern has prints '#' in every digit position.
//
// Errors as PostgreSQL's: 42601 for a pattern that combines what may not be combined ("cannot use
// \"V\" and decimal point together"), 22003 for a roman numeral of a value outside int4, 0A000
// for RN or EEEE read by to_number, 22P02 for to_number input without digits.

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "engine/types/numeric.h"

namespace sqlrite::engine::functions {

// to_char(numeric, text).
Result<std::string> NumericToChar(const Numeric& value, std::string_view format);
// to_char(int4, text) (int8 = false) and to_char(int8, text) (int8 = true): int4's V multiplies
// with int4 wrap-around as PostgreSQL's does, int8's fails on overflow.
Result<std::string> IntegerToChar(int64_t value, bool int8, std::string_view format);
// to_char(float4, text) (float4 = true: 6 significant digits) and to_char(float8, text) (15).
Result<std::string> FloatToChar(double value, bool float4, std::string_view format);
// to_number(text, text); nullopt for an empty format (PostgreSQL returns NULL).
Result<std::optional<Numeric>> ToNumber(std::string_view input, std::string_view format);

}  // namespace sqlrite::engine::functions
