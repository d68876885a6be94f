// fuzz_replay_NAME: runs a fuzz target's LLVMFuzzerTestOneInput once on every file of the
// directories given, without libFuzzer, so the standard builds (and their sanitizers) check the
// seed corpus and every input that ever crashed the target. A crash or failed check aborts the
// process (the ctest fails); so does a directory that is missing or, for the first one (the seed
// corpus), empty: a replay that feeds nothing proves nothing.
//
//   fuzz_replay_NAME CORPUS_DIR [REGRESSIONS_DIR...]

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [REGRESSIONS_DIR...]\n", argv[0]);
    return 2;
  }
  size_t total = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (!fs::is_directory(argv[i], ec)) {
      std::fprintf(stderr, "%s: not a directory\n", argv[i]);
      return 1;
    }
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(argv[i])) {
      if (entry.is_regular_file() && entry.path().filename() != "README.md") {
        files.push_back(entry.path());
      }
    }
    if (i == 1 && files.empty()) {
      std::fprintf(stderr, "%s: no seed inputs\n", argv[i]);
      return 1;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
      std::ifstream in(path, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) {
        std::fprintf(stderr, "%s: cannot read\n", path.c_str());
        return 1;
      }
      // A copy of exactly the file's size, so ASan sees a read one byte past the input.
      std::vector<uint8_t> data(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(data.data(), data.size());
      ++total;
    }
    std::printf("%s: %zu inputs\n", argv[i], files.size());
  }
  std::printf("%zu inputs ran clean\n", total);
  return 0;
}
