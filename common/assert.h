#pragma once
// SQLRITE_ASSERT: a bug check. Aborts with file:line in every build; never reachable from input.

#include <cstdio>
#include <cstdlib>

#define SQLRITE_ASSERT(cond)                                                            \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)
