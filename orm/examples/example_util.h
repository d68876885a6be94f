#pragma once
// What the examples share: the URL from argv and a check that prints the error and exits.
// Each example program takes one argument, the database URL (sqlite::memory:,
// sqlite:///tmp/app.db, postgresql://user@host/db, sqlrite://user@host/db), and exits 0 only when
// everything it shows worked.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "orm/orm.h"

namespace example {

inline std::string UrlFrom(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DATABASE_URL\n", argc > 0 ? argv[0] : "example");
    std::exit(2);
  }
  return argv[1];
}

// The value of a Result, or the error printed and exit 1.
template <typename R>
auto Must(R&& result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "%s failed: %s %s\n", what, result.error().sqlstate.c_str(),
                 result.error().message.c_str());
    std::exit(1);
  }
  if constexpr (!std::is_void_v<typename std::decay_t<R>::value_type>) {
    return std::move(*result);
  }
}

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "unexpected: %s\n", what);
    std::exit(1);
  }
}

}  // namespace example
