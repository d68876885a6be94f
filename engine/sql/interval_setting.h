#pragma once
// SET TIME ZONE INTERVAL '...' HOUR (or HOUR TO MINUTE, MINUTE, (p)): ast::SetVariable's value
// is "INTERVAL '<text as written>'", and when the interval type has a typmod the transformer
// appends kIntervalTypmodMark and the typmod in decimal. The executor reads the literal under
// that typmod and prints it back (engine/cluster.cc, ExecuteSet), as PostgreSQL's
// flatten_set_variable_args does, before the TimeZone check reads "INTERVAL '05:00:00'". The
// mark is a control character no SQL spelling of SET TIME ZONE produces.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sqlrite::engine::ast {

inline constexpr char kIntervalTypmodMark = '\x1f';

// value + the mark and typmod.
inline std::string WithIntervalTypmod(std::string value, int32_t typmod) {
  return value + kIntervalTypmodMark + std::to_string(typmod);
}

// The typmod a value carries (nullopt: none), and the value without it in *written.
inline std::optional<int32_t> SplitIntervalTypmod(std::string_view value, std::string* written) {
  const size_t mark = value.rfind(kIntervalTypmodMark);
  if (mark == std::string_view::npos || mark + 1 >= value.size()) return std::nullopt;
  int32_t typmod = 0;
  for (char c : value.substr(mark + 1)) {
    if (c < '0' || c > '9' || typmod > 0x7fffffff / 10 - 1) return std::nullopt;
    typmod = typmod * 10 + (c - '0');
  }
  *written = std::string(value.substr(0, mark));
  return typmod;
}

}  // namespace sqlrite::engine::ast
