// Random numbers owned by the engine, so results do not depend on the standard
// library's distributions (STYLE.md habit 8).
//
// Generator: PCG32 (PCG-XSH-RR 64/32), M. E. O'Neill, "PCG: A Family of Simple Fast
// Space-Efficient Statistically Good Algorithms for Random Number Generation",
// HMC-CS-2014-0905 (2014); reference code pcg32_random_r in pcg_basic.c.
// Seeding of streams: SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014) over the run seed, replication, incident and a
// 64-bit FNV-1a hash of the stream's name, so each named purpose ("comms", "travel",
// ...) has its own sequence and adding a draw in one never shifts another.
#pragma once

#include <cstdint>
#include <string_view>

namespace hqdrill {

/// FNV-1a 64-bit hash (Fowler, Noll, Vo); stable across platforms.
constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// One SplitMix64 step: returns the mixed output and advances `state`.
std::uint64_t splitmix64(std::uint64_t& state);

class Pcg32 {
 public:
  /// Same as pcg32_srandom_r(initstate, initseq) in the reference implementation.
  Pcg32(std::uint64_t initstate, std::uint64_t initseq);

  std::uint32_t next_u32();
  /// Uniform double in [0, 1) with 53 random bits (two 32-bit draws).
  double next_double();
  /// Uniform double in (0, 1): never exactly 0, for logarithms.
  double next_double_open();
  /// Uniform integer in [0, bound) without modulo bias (pcg32_boundedrand_r).
  std::uint32_t next_below(std::uint32_t bound);

 private:
  std::uint64_t state_ = 0;
  std::uint64_t inc_ = 0;
};

/// The generator for one named purpose of one replication of one incident.
/// `stream` is a name such as "comms", "travel", "detect", "reaction".
Pcg32 make_stream(std::uint64_t seed, std::uint64_t replication, std::uint64_t incident,
                  std::string_view stream);

}  // namespace hqdrill
