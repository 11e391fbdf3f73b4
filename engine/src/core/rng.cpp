#include "hqdrill/core/rng.hpp"

#include <cassert>

namespace hqdrill {

// SplitMix64 (Steele, Lea, Flood 2014; constants as in Vigna's splitmix64.c).
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// pcg32_srandom_r from pcg_basic.c: state = 0, inc odd, step, add the seed, step.
Pcg32::Pcg32(std::uint64_t initstate, std::uint64_t initseq)
    : state_(0), inc_((initseq << 1u) | 1u) {
  next_u32();
  state_ += initstate;
  next_u32();
}

// pcg32_random_r from pcg_basic.c: LCG step, output XSH-RR of the old state.
std::uint32_t Pcg32::next_u32() {
  const std::uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + inc_;
  const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  const auto rot = static_cast<std::uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((0u - rot) & 31u));
}

// 27 high bits of one draw and 26 of the next make a 53-bit integer k; k / 2^53 is
// exactly representable and lies in [0, 1 - 2^-53].
double Pcg32::next_double() {
  const std::uint32_t a = next_u32() >> 5u;
  const std::uint32_t b = next_u32() >> 6u;
  return (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) / 9007199254740992.0;
}

// Redraw on exact zero (probability 2^-53) rather than offsetting by half an ulp, which
// would round the largest value up to 1.0. Non-zero results equal next_double()'s.
double Pcg32::next_double_open() {
  double u = next_double();
  while (u == 0.0) u = next_double();
  return u;
}

// pcg32_boundedrand_r from pcg_basic.c: reject the 2^32 mod bound lowest values so
// that the remaining range is a multiple of bound.
std::uint32_t Pcg32::next_below(std::uint32_t bound) {
  assert(bound > 0);
  const std::uint32_t threshold = (0u - bound) % bound;
  for (;;) {
    const std::uint32_t r = next_u32();
    if (r >= threshold) return r % bound;
  }
}

// Recipe (fixed: changing it changes every result ever published with a seed):
//   s  = seed
//   s  = splitmix64(s) ^ replication    (splitmix64 advances s, then s is replaced)
//   s  = splitmix64(s) ^ incident
//   s  = splitmix64(s) ^ fnv1a64(stream)
//   initstate = splitmix64(s); initseq = splitmix64(s)   (two successive outputs)
//   return Pcg32(initstate, initseq)
// Each input passes through at least one full SplitMix64 mix before the next is folded
// in, so (replication 1, incident 2) and (replication 2, incident 1) differ, and the
// stream name selects both the starting state and the PCG increment.
Pcg32 make_stream(std::uint64_t seed, std::uint64_t replication, std::uint64_t incident,
                  std::string_view stream) {
  std::uint64_t s = seed;
  std::uint64_t mixed = splitmix64(s);
  s = mixed ^ replication;
  mixed = splitmix64(s);
  s = mixed ^ incident;
  mixed = splitmix64(s);
  s = mixed ^ fnv1a64(stream);
  const std::uint64_t initstate = splitmix64(s);
  const std::uint64_t initseq = splitmix64(s);
  return Pcg32(initstate, initseq);
}

}  // namespace hqdrill
