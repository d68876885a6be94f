#include "storage/page_checksum.h"

#include "common/bytes.h"

namespace sqlrite::storage {

static_assert(kUsablePageSize % 8 == 0 && kPageChecksumSize == 8);

namespace {

constexpr uint64_t kMul1 = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kMul2 = 0xc2b2ae3d27d4eb4fULL;
constexpr uint64_t kMul3 = 0x165667b19e3779f9ULL;
constexpr uint64_t kMul4 = 0xd6e8feb86659fd93ULL;

// One step of a lane: xor a word in, multiply by an odd constant, xorshift. Each is a bijection
// of the lane for a fixed word, so a change to any single word always changes the lane.
inline uint64_t Step(uint64_t lane, const uint8_t* word, uint64_t mul) {
  lane = (lane ^ LoadLE<uint64_t>(word)) * mul;
  return lane ^ (lane >> 29);
}

inline uint64_t Mix(uint64_t h, uint64_t lane, uint64_t mul) {
  h = (h ^ lane) * mul;
  return h ^ (h >> 31);
}

}  // namespace

uint64_t PageChecksum(PageId id, const uint8_t* page) {
  // Four independent lanes keep four multiplies in flight.
  uint64_t a = id ^ 0x243f6a8885a308d3ULL;
  uint64_t b = id + 0x13198a2e03707344ULL;
  uint64_t c = ~uint64_t{id} ^ 0xa4093822299f31d0ULL;
  uint64_t d = id * 0x082efa98ec4e6c89ULL + 1;
  uint32_t i = 0;
  for (; i + 32 <= kUsablePageSize; i += 32) {
    a = Step(a, page + i, kMul1);
    b = Step(b, page + i + 8, kMul2);
    c = Step(c, page + i + 16, kMul3);
    d = Step(d, page + i + 24, kMul4);
  }
  // kUsablePageSize is 24 bytes past a multiple of 32.
  static_assert(kUsablePageSize % 32 == 24);
  a = Step(a, page + i, kMul1);
  b = Step(b, page + i + 8, kMul2);
  c = Step(c, page + i + 16, kMul3);
  uint64_t h = Mix(0, a, kMul2);
  h = Mix(h, b, kMul3);
  h = Mix(h, c, kMul4);
  h = Mix(h, d, kMul1);
  return h;
}

void SealPage(PageId id, uint8_t* page) {
  StoreLE<uint64_t>(page + kUsablePageSize, PageChecksum(id, page));
}

bool PageSealed(PageId id, const uint8_t* page) {
  return LoadLE<uint64_t>(page + kUsablePageSize) == PageChecksum(id, page);
}

}  // namespace sqlrite::storage
