#include "engine/session_locals.h"

#include <cmath>
#include <random>
#include <utility>

namespace sqlrite::engine {
namespace {

thread_local SessionLocalsScope* current_scope = nullptr;
thread_local std::shared_ptr<SessionLocals> current_locals;

uint64_t Rotl(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

uint64_t SplitMix64(uint64_t* state) {
  uint64_t v = (*state += 0x9E3779B97F4A7C15ULL);
  v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9ULL;
  v = (v ^ (v >> 27)) * 0x94D049BB133111EBULL;
  return v ^ (v >> 31);
}

}  // namespace

SessionRandom::SessionRandom() {
  std::random_device device;
  SeedWord((uint64_t{device()} << 32) | device());
}

void SessionRandom::SeedWord(uint64_t seed) {
  s0_ = SplitMix64(&seed);
  s1_ = SplitMix64(&seed);
  // xoroshiro's one state that never leaves itself (pg_prng_seed_check's replacement).
  if (s0_ == 0 && s1_ == 0) {
    s0_ = 0x5851F42D4C957F2DULL;
    s1_ = 0x14057B7EF767814FULL;
  }
}

void SessionRandom::Seed(double seed) {
  std::lock_guard lock(mu_);
  // As pg_prng_fseed: about 52 mantissa bits, the sign contributing too.
  const auto word = static_cast<int64_t>(static_cast<double>((uint64_t{1} << 52) - 1) * seed);
  SeedWord(static_cast<uint64_t>(word));
}

double SessionRandom::NextDouble() {
  uint64_t v = 0;
  {
    std::lock_guard lock(mu_);
    const uint64_t s0 = s0_, sx = s1_ ^ s0;
    v = Rotl(s0 * 5, 7) * 9;
    s0_ = Rotl(s0, 24) ^ sx ^ (sx << 16);
    s1_ = Rotl(sx, 37);
  }
  return std::ldexp(static_cast<double>(v >> 12), -52);
}

SessionLocals* CurrentSessionLocals() { return current_locals.get(); }

std::shared_ptr<SessionLocals> CurrentSessionLocalsShared() { return current_locals; }

SessionLocalsScope::SessionLocalsScope(std::shared_ptr<SessionLocals> locals)
    : previous_(current_scope) {
  if (locals == nullptr) return;
  previous_locals_ = std::exchange(current_locals, std::move(locals));
  current_scope = this;
}

SessionLocalsScope::~SessionLocalsScope() {
  if (current_scope != this) return;
  current_locals = std::move(previous_locals_);
  current_scope = previous_;
}

}  // namespace sqlrite::engine
