#pragma once

#include <cstddef>
#include <string>

#include "engine/functions/builtin.h"

// Short accessors of built-in functions' arguments, and PostgreSQL's constants their families
// share. A source takes the ones it uses with using-declarations (`using arg_shorthands::Str;`)
// in its anonymous namespace: these may be repeated, so the sources of one unity batch
// (SQLRITE_UNITY) can each take theirs, where a copy in each collided.
namespace sqlrite::engine::functions::arg_shorthands {

inline const std::string& Str(const CallArgs& a, size_t i) {
  return DatumAs<std::string>(a.values[i]);
}
inline double F(const CallArgs& a, size_t i) { return DatumAs<double>(a.values[i]); }

// PostgreSQL's RADIANS_PER_DEGREE, so degrees(), radians() and the degree-based trigonometric
// functions round as its do.
inline constexpr double kRadiansPerDegree = 0.0174532925199432957692;

}  // namespace sqlrite::engine::functions::arg_shorthands
