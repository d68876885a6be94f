// Storage micro-benchmark for snapshot reads (docs/decisions.md, "Snapshot reads in storage/"):
// a 1-row point lookup in a B+tree of 100k rows through the writer's view (Pager) and through a
// ReadSnapshot (one snapshot per lookup, as a statement would, and one reused), all pages
// cached; then the same snapshot lookups on 1, 2 and 4 threads at once.
//
//   build/test/bench/snapshot_bench [rows] [lookups]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/btree.h"
#include "storage/file.h"
#include "storage/pager.h"

using namespace sqlrite::storage;

namespace {

std::string Key(uint32_t i) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "%010u", i);
  return buf;
}

double NsPer(std::chrono::steady_clock::duration d, uint64_t n) {
  return std::chrono::duration<double, std::nano>(d).count() / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const uint32_t rows = argc > 1 ? static_cast<uint32_t>(std::atoi(argv[1])) : 100000;
  const uint64_t lookups = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000;
  Pager::Options o;
  o.cache_bytes = 256u << 20;
  auto pager_or = Pager::Open(NewMemoryFile(), NewMemoryFile(), o);
  if (!pager_or) return 1;
  Pager& pager = **pager_or;
  auto root = BTree::Create(pager);
  if (!root) return 1;
  {
    BTree tree(pager, *root);
    for (uint32_t i = 0; i < rows; ++i) {
      if (!tree.Insert(Key(i), std::string(100, 'v'))) return 1;
    }
    if (!pager.Commit()) return 1;
  }
  auto lookup = [&](PageSource& source, std::mt19937& rng) {
    BTree tree(source, *root);
    auto v = tree.Get(Key(static_cast<uint32_t>(rng() % rows)));
    if (!v || !v->has_value()) std::abort();
  };
  std::mt19937 rng(1);
  // Warm both caches.
  for (uint32_t i = 0; i < rows; i += 10) {
    lookup(pager, rng);
    auto s = pager.BeginRead();
    lookup(*s, rng);
  }
  auto t0 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < lookups; ++i) lookup(pager, rng);
  auto t1 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < lookups; ++i) {
    auto s = pager.BeginRead();
    lookup(*s, rng);
  }
  auto t2 = std::chrono::steady_clock::now();
  {
    auto s = pager.BeginRead();
    for (uint64_t i = 0; i < lookups; ++i) lookup(*s, rng);
  }
  auto t3 = std::chrono::steady_clock::now();
  std::printf("rows %u, lookups %llu (all pages cached)\n", rows,
              static_cast<unsigned long long>(lookups));
  std::printf("writer's view (Pager):          %7.0f ns/lookup\n", NsPer(t1 - t0, lookups));
  std::printf("snapshot per lookup:            %7.0f ns/lookup\n", NsPer(t2 - t1, lookups));
  std::printf("one snapshot, reused:           %7.0f ns/lookup\n", NsPer(t3 - t2, lookups));
  for (int threads : {1, 2, 4}) {
    std::vector<std::thread> pool;
    const uint64_t each = lookups / static_cast<uint64_t>(threads);
    auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::mt19937 r(static_cast<uint32_t>(t + 7));
        for (uint64_t i = 0; i < each; ++i) {
          auto s = pager.BeginRead();
          lookup(*s, r);
        }
      });
    }
    for (auto& th : pool) th.join();
    auto d = std::chrono::steady_clock::now() - start;
    std::printf("%d thread(s), snapshot per lookup: %5.2f M lookups/s in all\n", threads,
                static_cast<double>(each * static_cast<uint64_t>(threads)) /
                    std::chrono::duration<double>(d).count() / 1e6);
  }
  return pager.Close() ? 0 : 1;
}
