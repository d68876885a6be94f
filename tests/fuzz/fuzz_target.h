#pragma once
// What every target in tests/fuzz provides: libFuzzer's entry point. The same source links
// either with libFuzzer (SQLRITE_FUZZ=ON: fuzz_NAME) or with replay_main.cc (every build:
// fuzz_replay_NAME, the ctest that feeds it the checked-in corpus and regressions).
// A target returns 0; it reports a broken property by aborting (FUZZ_CHECK), so both drivers
// see it as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

namespace sqlrite::fuzz {

// True when `part` is empty or lies inside `whole` (a decoded view must point into its input).
inline bool Within(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace sqlrite::fuzz
