// Statistics over replications: quantiles, Student's t, KPI summaries.
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "hqdrill/analysis/stats.hpp"

using hqdrill::quantile_sorted;
using hqdrill::student_t_critical;
using hqdrill::summarize;

TEST_CASE("quantiles interpolate linearly between order statistics (type 7)", "[stats]") {
  const std::vector<double> x{1, 2, 3, 4};
  // h = (n-1) p: p=0.5 -> h=1.5 -> 2 + 0.5 (3-2) = 2.5; p=0.9 -> h=2.7 -> 3 + 0.7 = 3.7
  // (R quantile(type = 7) and numpy.percentile give the same).
  CHECK(quantile_sorted(x, 0.5) == Approx(2.5));
  CHECK(quantile_sorted(x, 0.9) == Approx(3.7));
  // p=0.25 -> h=0.75 -> 1.75.
  CHECK(quantile_sorted(x, 0.25) == Approx(1.75));
  CHECK(quantile_sorted(x, 0.0) == 1.0);
  CHECK(quantile_sorted(x, 1.0) == 4.0);
  CHECK(quantile_sorted({7.5}, 0.9) == 7.5);
}

TEST_CASE("Student's t critical values match the t table", "[stats]") {
  // Two-sided 95%: t_{0.975, 9} = 2.262157, t_{0.975, 1} = 12.706205 (t table;
  // also mpmath root of the regularised incomplete beta).
  CHECK(student_t_critical(0.05, 9) == Approx(2.262157).epsilon(1e-6));
  CHECK(student_t_critical(0.05, 1) == Approx(12.706205).epsilon(1e-6));
  // Large dof approaches z_0.975 = 1.959964.
  CHECK(student_t_critical(0.05, 100000) == Approx(1.959964).epsilon(1e-4));
  CHECK(student_t_critical(0.05, 0) == 0.0);
}

TEST_CASE(
    "summarize skips missing runs and gives the hand-computed mean sd quantiles and t interval",
    "[stats]") {
  // 10 runs, 2 missing; present values 2 4 4 4 5 5 7 9 (hand computed):
  // mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32, sd = sqrt(32/7) = 2.138090;
  // half-width t_{0.975,7} sd / sqrt 8 = 2.364624 * 2.138090 / 2.828427 = 1.787488;
  // sorted quantiles (type 7): p50 h=3.5 -> 4.5, p90 h=6.3 -> 7.6, p95 h=6.65 -> 8.3.
  const std::vector<std::optional<double>> v{2, std::nullopt, 4, 4, std::nullopt, 4, 5, 5, 7, 9};
  const auto s = summarize(v);
  CHECK(s.runs == 10);
  CHECK(s.present == 8);
  CHECK(s.missing_fraction == Approx(0.2));
  CHECK(s.mean == Approx(5.0));
  CHECK(s.sd == Approx(2.138090).epsilon(1e-6));
  CHECK(s.ci95_low == Approx(5.0 - 1.787488).epsilon(1e-6));
  CHECK(s.ci95_high == Approx(5.0 + 1.787488).epsilon(1e-6));
  CHECK(s.min == 2.0);
  CHECK(s.max == 9.0);
  CHECK(s.p50 == Approx(4.5));
  CHECK(s.p90 == Approx(7.6));
  CHECK(s.p95 == Approx(8.3));
}

TEST_CASE("summarize of a single value has zero sd and a degenerate interval", "[stats]") {
  const auto s = summarize({std::nullopt, 42.0});
  CHECK(s.present == 1);
  CHECK(s.missing_fraction == Approx(0.5));
  CHECK(s.mean == 42.0);
  CHECK(s.sd == 0.0);
  CHECK(s.ci95_low == 42.0);
  CHECK(s.ci95_high == 42.0);
  CHECK(s.p50 == 42.0);
  CHECK(s.p95 == 42.0);
}

TEST_CASE("summarize of runs that all miss reports only the missing fraction", "[stats]") {
  const auto s = summarize({std::nullopt, std::nullopt, std::nullopt});
  CHECK(s.runs == 3);
  CHECK(s.present == 0);
  CHECK(s.missing_fraction == 1.0);
  CHECK(s.mean == 0.0);
  const auto empty = summarize({});
  CHECK(empty.runs == 0);
  CHECK(empty.missing_fraction == 0.0);
}

TEST_CASE("a share over runs gets Wilson's score interval", "[stats]") {
  // Hand calculation with z = 1.959964: 0 of 100 gives [0, z²/(n + z²)] = [0, 3.841459 /
  // 103.841459] = [0, 0.036993]; 10 of 100: centre (0.1 + 0.019207) / 1.038415 = 0.114799,
  // half-width 1.959964 sqrt(0.0009 + 0.00009604) / 1.038415 = 0.059567 -> [0.05523, 0.17437].
  auto [lo0, hi0] = hqdrill::wilson_interval(0, 100);
  CHECK(lo0 == 0.0);
  CHECK(hi0 == Approx(0.036993).margin(1e-6));
  auto [lo, hi] = hqdrill::wilson_interval(10, 100);
  CHECK(lo == Approx(0.05522).margin(5e-5));
  CHECK(hi == Approx(0.17437).margin(5e-5));
  CHECK(hqdrill::wilson_interval(0, 0) == std::pair<double, double>{0.0, 1.0});
}
