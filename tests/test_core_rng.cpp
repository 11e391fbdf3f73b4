// PCG32, SplitMix64 and the named streams (STYLE.md habit 8: pinned outputs).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "hqdrill/core/rng.hpp"

using hqdrill::make_stream;
using hqdrill::Pcg32;

namespace {

std::vector<std::uint32_t> first_outputs(Pcg32 rng, int n) {
  std::vector<std::uint32_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.next_u32());
  return out;
}

}  // namespace

TEST_CASE("PCG32 seeded with (42, 54) reproduces the reference pcg32-demo output", "[core][rng]") {
  // pcg-c-basic, pcg32-demo.c with deterministic seeding pcg32_srandom_r(&rng, 42u, 54u),
  // "Round 1" of its published output (also on pcg-random.org, "Using pcg-c-basic").
  Pcg32 rng(42u, 54u);
  const std::array<std::uint32_t, 6> expected{0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                              0x83d2f293, 0xbfa4784b, 0xcbed606e};
  for (std::uint32_t e : expected) CHECK(rng.next_u32() == e);

  SECTION("then bounded draws reproduce the demo's coins and rolls") {
    // Same demo, same round: 65 pcg32_boundedrand_r(&rng, 2) printed as H (1) / T (0),
    // then 33 pcg32_boundedrand_r(&rng, 6) + 1.
    const std::string coins = "HHTTTHTHHHTHTTTHHHHHTTTHHHTHTHTHTTHTTTHHHHHHTTTTHHTTTTTHTTTTTTTHT";
    std::string got;
    for (std::size_t i = 0; i < coins.size(); ++i) got += rng.next_below(2) ? 'H' : 'T';
    CHECK(got == coins);
    const std::array<int, 33> rolls{3, 4, 1, 1, 2, 2, 3, 2, 4, 3, 2, 4, 3, 3, 5, 2, 3,
                                    1, 3, 1, 5, 1, 4, 1, 5, 6, 4, 6, 6, 2, 6, 3, 3};
    for (int r : rolls) CHECK(static_cast<int>(rng.next_below(6)) + 1 == r);
  }
}

TEST_CASE("SplitMix64 from state 0 gives the published first outputs", "[core][rng]") {
  // Vigna's splitmix64.c seeded with 0 (the values that seed xoshiro's examples).
  std::uint64_t state = 0;
  CHECK(hqdrill::splitmix64(state) == 0xe220a8397b1dcdafULL);
  CHECK(hqdrill::splitmix64(state) == 0x6e789e6aa1b965f4ULL);
  CHECK(hqdrill::splitmix64(state) == 0x06c45d188009454fULL);
}

TEST_CASE("a stream made twice from the same inputs gives the same sequence", "[core][rng]") {
  CHECK(first_outputs(make_stream(7, 3, 1, "comms"), 16) ==
        first_outputs(make_stream(7, 3, 1, "comms"), 16));
}

TEST_CASE("streams that differ in any one input give different sequences", "[core][rng]") {
  const auto base = first_outputs(make_stream(7, 3, 1, "comms"), 8);
  CHECK(first_outputs(make_stream(7, 3, 1, "travel"), 8) != base);
  CHECK(first_outputs(make_stream(7, 4, 1, "comms"), 8) != base);
  CHECK(first_outputs(make_stream(7, 3, 2, "comms"), 8) != base);
  CHECK(first_outputs(make_stream(8, 3, 1, "comms"), 8) != base);
  // Swapping replication and incident must not give the same stream.
  CHECK(first_outputs(make_stream(7, 1, 3, "comms"), 8) != base);
}

TEST_CASE("make_stream is pinned for a known seed", "[core][rng]") {
  // Computed with this implementation when the recipe in rng.cpp was fixed; a change
  // here changes every published result for a seed.
  Pcg32 rng = make_stream(2018, 0, 0, "pinned");
  CHECK(rng.next_u32() == 0xf65ef4b7u);
  CHECK(rng.next_u32() == 0xd9509a95u);
  CHECK(rng.next_u32() == 0x1ae3ee15u);
}

TEST_CASE("next_below stays below its bound and reaches every value", "[core][rng]") {
  Pcg32 rng = make_stream(1, 0, 0, "below");
  for (std::uint32_t bound : {1u, 2u, 3u, 7u, 1000u, 0x80000001u, 0xffffffffu}) {
    std::vector<int> seen(bound <= 1000 ? bound : 0, 0);
    int out_of_range = 0;
    for (int i = 0; i < 20000; ++i) {
      const std::uint32_t r = rng.next_below(bound);
      if (r >= bound)
        ++out_of_range;
      else if (!seen.empty())
        seen[r] = 1;
    }
    CHECK(out_of_range == 0);
    CHECK(std::count(seen.begin(), seen.end(), 0) == 0);
  }
}

TEST_CASE("next_double lies in the half-open unit interval and next_double_open is never zero",
          "[core][rng]") {
  Pcg32 rng = make_stream(1, 0, 0, "double");
  constexpr int kN = 200000;
  double sum = 0.0;
  int out_of_range = 0;
  for (int i = 0; i < kN; ++i) {
    const double u = rng.next_double();
    if (!(u >= 0.0 && u < 1.0)) ++out_of_range;
    sum += u;
    const double v = rng.next_double_open();
    if (!(v > 0.0 && v < 1.0)) ++out_of_range;
  }
  CHECK(out_of_range == 0);
  // U(0,1): sd 1/sqrt(12) = 0.2887, so the mean's standard error is 0.2887/sqrt(N);
  // allow 5 standard errors.
  CHECK(sum / kN == Approx(0.5).margin(5.0 * 0.28867513 / std::sqrt(double(kN))));
}

TEST_CASE("next_double uses 27 + 26 bits of two consecutive draws", "[core][rng]") {
  // From the reference output above: 0xa15c02b7 >> 5 = 0x050ae015 and
  // 0x7b47f409 >> 6 = 0x01ed1fd0, value = (a * 2^26 + b) / 2^53.
  Pcg32 rng(42u, 54u);
  const double expected =
      (double(0xa15c02b7u >> 5) * 67108864.0 + double(0x7b47f409u >> 6)) / 9007199254740992.0;
  CHECK(rng.next_double() == expected);
}
