// Own samplers (STYLE.md habit 8): moments against closed forms, truncation, the
// planners' median/p90 parametrisation, empirical resampling, pinned draws, check().
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <vector>

#include "hqdrill/core/distribution.hpp"

using hqdrill::Distribution;
using hqdrill::make_stream;
using hqdrill::Pcg32;
using hqdrill::sample;

namespace {

constexpr int kN = 200000;
// Every statistical check allows 5 standard errors: with the fixed seeds below the
// tests are deterministic, and a correct sampler would fail one with probability
// about 6e-7 had the seed been chosen at random.
constexpr double kSigmas = 5.0;

std::vector<double> draws(const Distribution& d, std::string_view stream, int n = kN) {
  Pcg32 rng = make_stream(2018, 0, 0, stream);
  std::vector<double> xs(static_cast<std::size_t>(n));
  for (double& x : xs) x = sample(d, rng);
  return xs;
}

struct Moments {
  double mean = 0, var = 0;
};

Moments moments(const std::vector<double>& xs) {
  const double n = static_cast<double>(xs.size());
  Moments m;
  for (double x : xs) m.mean += x;
  m.mean /= n;
  for (double x : xs) m.var += (x - m.mean) * (x - m.mean);
  m.var /= n - 1.0;
  return m;
}

// Checks the sample mean and variance against the closed forms. Standard errors:
// mean sd/sqrt(N); variance sigma^2 sqrt((kurtosis - 1)/N), kurtosis = mu4/sigma^4
// (large-sample variance of s^2, e.g. Kendall and Stuart vol. 1, 10.5).
void check_moments(const std::vector<double>& xs, double mean, double var, double kurtosis) {
  const double n = static_cast<double>(xs.size());
  const Moments m = moments(xs);
  CHECK(m.mean == Approx(mean).margin(kSigmas * std::sqrt(var / n)));
  CHECK(m.var == Approx(var).margin(kSigmas * var * std::sqrt((kurtosis - 1.0) / n)));
}

double fraction_at_most(const std::vector<double>& xs, double x) {
  const auto k = std::count_if(xs.begin(), xs.end(), [x](double v) { return v <= x; });
  return static_cast<double>(k) / static_cast<double>(xs.size());
}

// Binomial standard error of an observed fraction.
double fraction_margin(double p, std::size_t n) {
  return kSigmas * std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

}  // namespace

TEST_CASE("a constant always returns its value", "[core][distribution]") {
  Pcg32 rng = make_stream(1, 0, 0, "constant");
  const auto d = Distribution::constant_of(42.5);
  for (int i = 0; i < 10; ++i) CHECK(sample(d, rng) == 42.5);
  CHECK(d.mean() == 42.5);
}

TEST_CASE("uniform draws have the mean and variance of the uniform distribution",
          "[core][distribution]") {
  // U(10, 20): mean 15, variance (20-10)^2/12 = 8.3333, kurtosis 9/5.
  const auto d = Distribution::uniform_of(10, 20);
  const auto xs = draws(d, "uniform");
  CHECK(*std::min_element(xs.begin(), xs.end()) >= 10.0);
  CHECK(*std::max_element(xs.begin(), xs.end()) < 20.0);
  check_moments(xs, 15.0, 100.0 / 12.0, 1.8);
  CHECK(d.mean() == 15.0);
}

TEST_CASE("triangular draws have the mean and variance of the triangular distribution",
          "[core][distribution]") {
  // Tri(a=30, c=60, b=120): mean (a+b+c)/3 = 70,
  // variance (a²+b²+c²-ab-ac-bc)/18 = 6300/18 = 350, kurtosis 12/5 (excess -3/5).
  const auto d = Distribution::triangular_of(30, 60, 120);
  const auto xs = draws(d, "triangular");
  CHECK(*std::min_element(xs.begin(), xs.end()) >= 30.0);
  CHECK(*std::max_element(xs.begin(), xs.end()) <= 120.0);
  check_moments(xs, 70.0, 350.0, 2.4);
  // F(mode) = (c-a)/(b-a) = 30/90.
  CHECK(fraction_at_most(xs, 60.0) == Approx(1.0 / 3.0).margin(fraction_margin(1.0 / 3.0, kN)));
  CHECK(d.mean() == Approx(70.0));
}

TEST_CASE("the standard normal sampler has mean 0 and variance 1", "[core][distribution]") {
  Pcg32 rng = make_stream(2018, 0, 0, "std_normal");
  std::vector<double> xs(kN);
  for (double& x : xs) x = hqdrill::sample_standard_normal(rng);
  check_moments(xs, 0.0, 1.0, 3.0);  // N(0,1): kurtosis 3
  // Phi(1) = 0.841345 (normal table).
  CHECK(fraction_at_most(xs, 1.0) == Approx(0.841345).margin(fraction_margin(0.841345, kN)));
}

TEST_CASE("an untruncated normal has the given mean and sd", "[core][distribution]") {
  // N(60, 15²): variance 225, kurtosis 3.
  const auto d = Distribution::normal_of(60, 15);
  check_moments(draws(d, "normal"), 60.0, 225.0, 3.0);
  CHECK(d.mean() == 60.0);
}

TEST_CASE("a truncated normal never leaves its bounds and has the truncated mean",
          "[core][distribution]") {
  // N(60, 30²) truncated to [0, 100]: alpha = -2, beta = 4/3,
  // mean = 60 + 30 (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha)) = 56.2749105,
  // variance 554.3144 (sd 23.5439); computed with mpmath at 30 digits.
  const auto d = Distribution::normal_of(60, 30, 0, 100);
  const auto xs = draws(d, "truncated_normal");
  CHECK(*std::min_element(xs.begin(), xs.end()) >= 0.0);
  CHECK(*std::max_element(xs.begin(), xs.end()) <= 100.0);
  CHECK(d.mean() == Approx(56.2749105232).epsilon(1e-9));
  // Kurtosis of this truncated normal is below 3; 3 keeps the margin conservative.
  check_moments(xs, 56.2749105232, 554.3144471458, 3.0);
}

TEST_CASE("a lognormal given by median and p90 has that median and p90 empirically",
          "[core][distribution]") {
  // Median 90 s, p90 240 s: mu = ln 90, sigma = ln(240/90) / z_0.9 = 0.765345132714.
  const auto d = Distribution::lognormal_from_median_p90(90, 240);
  CHECK(d.a == Approx(std::log(90.0)));
  CHECK(d.b == Approx(0.765345132714).epsilon(1e-11));
  const auto xs = draws(d, "lognormal");
  CHECK(fraction_at_most(xs, 90.0) == Approx(0.5).margin(fraction_margin(0.5, kN)));
  CHECK(fraction_at_most(xs, 240.0) == Approx(0.9).margin(fraction_margin(0.9, kN)));
  // Mean exp(mu + sigma²/2) = 120.624963, variance (e^{sigma²} - 1) e^{2mu + sigma²}
  // = 11587.101, kurtosis 3 + (e^{4s²} + 2e^{3s²} + 3e^{2s²} - 6) = 28.686 (mpmath).
  check_moments(xs, 120.624963421, 11587.1009819, 28.686);
  CHECK(d.mean() == Approx(120.624963421).epsilon(1e-9));
}

TEST_CASE("a truncated lognormal never leaves its bounds", "[core][distribution]") {
  const auto base = Distribution::lognormal_from_median_p90(90, 240);
  const auto d = Distribution::lognormal_of(base.a, base.b, 30, 600);
  const auto xs = draws(d, "truncated_lognormal");
  CHECK(*std::min_element(xs.begin(), xs.end()) >= 30.0);
  CHECK(*std::max_element(xs.begin(), xs.end()) <= 600.0);
  // The analytic truncated mean (Johnson, Kotz, Balakrishnan) against the sample; the
  // truncated sd is below the untruncated 107.6, used as a conservative bound.
  CHECK(moments(xs).mean == Approx(d.mean()).margin(kSigmas * 107.6 / std::sqrt(double(kN))));
}

TEST_CASE("a shifted exponential has the given mean and never goes below the shift",
          "[core][distribution]") {
  // 5 + Exp(mean 40): mean 45, variance 40² = 1600, kurtosis 9.
  const auto d = Distribution::exponential_of(45, 5);
  const auto xs = draws(d, "exponential");
  CHECK(*std::min_element(xs.begin(), xs.end()) >= 5.0);
  check_moments(xs, 45.0, 1600.0, 9.0);
  CHECK(d.mean() == 45.0);
}

TEST_CASE("an exponential built without a shift starts at zero", "[core][distribution]") {
  Distribution d;
  d.kind = hqdrill::DistKind::exponential;
  d.a = 30;  // lo stays at its "unbounded" default
  const auto xs = draws(d, "exponential_noshift");
  CHECK(*std::min_element(xs.begin(), xs.end()) > 0.0);
  check_moments(xs, 30.0, 900.0, 9.0);
  CHECK(d.check() == "");
}

TEST_CASE("empirical resampling returns only the given values with the given weights",
          "[core][distribution]") {
  // Weights 1:2:7:0 -> probabilities 0.1, 0.2, 0.7, 0.
  const auto d = Distribution::empirical_of({10, 20, 30, 40}, {1, 2, 7, 0});
  const auto xs = draws(d, "empirical");
  std::map<double, int> counts;
  for (double x : xs) ++counts[x];
  CHECK(counts.size() == 3);
  CHECK(counts.count(40.0) == 0);
  for (auto [value, p] : {std::pair{10.0, 0.1}, {20.0, 0.2}, {30.0, 0.7}}) {
    CHECK(double(counts[value]) / kN == Approx(p).margin(fraction_margin(p, kN)));
  }
  CHECK(d.mean() == Approx(0.1 * 10 + 0.2 * 20 + 0.7 * 30));
}

TEST_CASE("empirical resampling without weights picks each value equally often",
          "[core][distribution]") {
  const auto d = Distribution::empirical_of({5, 6, 7});
  const auto xs = draws(d, "empirical_equal");
  std::map<double, int> counts;
  for (double x : xs) ++counts[x];
  CHECK(counts.size() == 3);
  for (double v : {5.0, 6.0, 7.0})
    CHECK(double(counts[v]) / kN == Approx(1.0 / 3.0).margin(fraction_margin(1.0 / 3.0, kN)));
}

TEST_CASE("interpolated empirical puts equal mass between consecutive sorted values",
          "[core][distribution]") {
  // Values given unsorted; sorted 10, 20, 30, 60: each interval holds 1/3, uniformly.
  // Mean (15 + 25 + 45)/3 = 28.3333; E[X²] = (1/3) sum (a²+ab+b²)/3 = 988.889,
  // variance 186.111; kurtosis 2.44157 (mpmath quadrature).
  const auto d = Distribution::empirical_of({30, 10, 60, 20}, {}, true);
  CHECK(d.values == std::vector<double>{10, 20, 30, 60});
  const auto xs = draws(d, "empirical_interp");
  CHECK(*std::min_element(xs.begin(), xs.end()) >= 10.0);
  CHECK(*std::max_element(xs.begin(), xs.end()) <= 60.0);
  CHECK(fraction_at_most(xs, 20.0) == Approx(1.0 / 3.0).margin(fraction_margin(1.0 / 3.0, kN)));
  CHECK(fraction_at_most(xs, 45.0) == Approx(5.0 / 6.0).margin(fraction_margin(5.0 / 6.0, kN)));
  check_moments(xs, 85.0 / 3.0, 186.111111111, 2.44157);
  CHECK(d.mean() == Approx(85.0 / 3.0));
}

TEST_CASE("the first draws for a fixed stream are pinned", "[core][distribution]") {
  // Computed with this implementation (GCC, glibc) when the samplers were written. They
  // pin behaviour across standard libraries: the samplers use no std:: distribution,
  // so another library must give the same numbers. Uniform and resampled values are
  // exact; the others go through log/exp/sqrt, whose last bit may differ between libms.
  const auto first3 = [](const Distribution& d) {
    Pcg32 rng = make_stream(2018, 0, 0, "pinned");
    std::vector<double> out;
    for (int i = 0; i < 3; ++i) out.push_back(sample(d, rng));
    return out;
  };
  const auto near = [](const std::vector<double>& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).epsilon(1e-12));
  };
  CHECK(first3(Distribution::uniform_of(10, 20)) ==
        std::vector<double>{19.623864132827979, 11.050404378988363, 16.640344037561142});
  CHECK(first3(Distribution::empirical_of({10, 20, 30}, {1, 2, 7})) ==
        std::vector<double>{30, 20, 30});
  near(first3(Distribution::triangular_of(30, 60, 120)),
       {105.74821526008441, 46.840700173296185, 77.406406353572578});
  near(first3(Distribution::normal_of(60, 15, 0)),
       {81.820667549265437, 43.372994224690174, 49.316062519594993});
  near(first3(Distribution::lognormal_from_median_p90(90, 240)),
       {274.01032379361459, 38.530487365558841, 52.179152292259204});
  near(first3(Distribution::exponential_of(45, 5)),
       {6.5335692783159462, 95.136395204772867, 21.376852718489207});
  near(first3(Distribution::empirical_of({30, 10, 20, 60}, {}, true)),
       {56.614777195451822, 13.15121313696509, 29.921032112683427});
}

TEST_CASE("check accepts consistent distributions", "[core][distribution]") {
  CHECK(Distribution::constant_of(3).check() == "");
  CHECK(Distribution::uniform_of(1, 2).check() == "");
  CHECK(Distribution::triangular_of(1, 1, 2).check() == "");
  CHECK(Distribution::normal_of(60, 10, 0).check() == "");
  CHECK(Distribution::lognormal_from_median_p90(90, 240).check() == "");
  CHECK(Distribution::exponential_of(30).check() == "");
  CHECK(Distribution::empirical_of({1, 2}, {0, 1}).check() == "");
  CHECK(Distribution::empirical_of({2, 1}, {}, true).check() == "");
}

TEST_CASE("check rejects bad parameters with a message saying what is wrong",
          "[core][distribution]") {
  CHECK(Distribution::uniform_of(5, 5).check() == "min must be less than max");
  CHECK(Distribution::uniform_of(6, 5).check() == "min must be less than max");
  CHECK(Distribution::triangular_of(1, 3, 2).check() == "mode must lie between min and max");
  CHECK(Distribution::triangular_of(2, 2, 1).check() == "min must be less than max");
  CHECK(Distribution::normal_of(60, 0).check() == "sd must be positive");
  CHECK(Distribution::normal_of(60, -1).check() == "sd must be positive");
  CHECK(Distribution::normal_of(60, 10, 100, 50).check() == "min must be less than max");
  // [200, 300] lies 14 sd above the mean: rejection would never succeed.
  CHECK(Distribution::normal_of(60, 10, 200, 300).check() ==
        "min and max must keep at least 1% of the probability");
  CHECK(Distribution::lognormal_of(1, 0).check() == "sigma must be positive");
  CHECK(Distribution::lognormal_of(1, 1, -5, -1).check() == "max must be positive for a lognormal");
  CHECK(Distribution::lognormal_from_median_p90(90, 60).check() == "sigma must be positive");
  CHECK(Distribution::exponential_of(5, 10).check() == "mean must be greater than min");
  CHECK(Distribution::constant_of(NAN).check() == "value must be finite");
  CHECK(Distribution::empirical_of({}).check() == "values must not be empty");
  CHECK(Distribution::empirical_of({1, 2}, {1}).check() == "weights must have one entry per value");
  CHECK(Distribution::empirical_of({1, 2}, {1, -1}).check() ==
        "weights must be finite and not negative");
  CHECK(Distribution::empirical_of({1, 2}, {0, 0}).check() == "weights must have a positive sum");
  CHECK(Distribution::empirical_of({1, 2}, {1, 1}, true).check() ==
        "weights cannot be used with interpolate");
  Distribution unsorted = Distribution::empirical_of({1, 2}, {}, true);
  unsorted.values = {2, 1};
  CHECK(unsorted.check() == "values must be sorted ascending with interpolate");
}

TEST_CASE("a scaled distribution draws factor times the original's draw from the same stream",
          "[core][distribution]") {
  const std::vector<Distribution> all{
      Distribution::constant_of(7),
      Distribution::uniform_of(10, 20),
      Distribution::triangular_of(30, 60, 120),
      Distribution::normal_of(60, 15, 0),
      Distribution::normal_of(60, 15),
      Distribution::lognormal_from_median_p90(2700, 5400),
      Distribution::lognormal_of(std::log(90.0), 0.5, 30, 300),
      Distribution::exponential_of(45, 5),
      Distribution::exponential_of(45),
      Distribution::empirical_of({10, 20, 30}, {1, 2, 7}),
      Distribution::empirical_of({30, 10, 20, 60}, {}, true),
  };
  for (double factor : {0.5, 2.0}) {
    for (std::size_t i = 0; i < all.size(); ++i) {
      INFO("distribution " << i << ", factor " << factor);
      const Distribution& d = all[i];
      const Distribution s = d.scaled(factor);
      CHECK(s.check().empty());
      CHECK(s.mean() == Approx(factor * d.mean()).epsilon(1e-12));
      Pcg32 a = make_stream(2018, 0, 0, "scaled");
      Pcg32 b = make_stream(2018, 0, 0, "scaled");
      for (int k = 0; k < 1000; ++k) {
        const double x = sample(d, a);
        CHECK(sample(s, b) == Approx(factor * x).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("scaling keeps unbounded sides unbounded and scales the bounds that are set",
          "[core][distribution]") {
  const Distribution n = Distribution::normal_of(60, 15, 10).scaled(2);
  CHECK(n.a == 120);
  CHECK(n.b == 30);
  CHECK(n.lo == 20);
  CHECK(n.hi == Distribution{}.hi);
  const Distribution l = Distribution::lognormal_of(1.0, 0.5).scaled(3);
  CHECK(l.a == Approx(1.0 + std::log(3.0)));
  CHECK(l.b == 0.5);
  CHECK(l.lo == Distribution{}.lo);
  CHECK(l.hi == Distribution{}.hi);
}

// ---------------------------------------------------------------- with_spread

TEST_CASE("with_spread keeps a lognormal's median and raises its p90 ratio to the factor",
          "[core][distribution]") {
  // median 60 s, p90 120 s: r = 2. Spread ×2: p90 = 60 · 2² = 240; ×0.5: 60 · √2.
  const Distribution d = Distribution::lognormal_from_median_p90(60, 120);
  const double z90 = 1.2815515655446004;
  const auto p90 = [&](const Distribution& x) { return std::exp(x.a + z90 * x.b); };
  const Distribution wide = d.with_spread(2), narrow = d.with_spread(0.5);
  CHECK(wide.median() == Approx(60).epsilon(1e-12));
  CHECK(narrow.median() == Approx(60).epsilon(1e-12));
  CHECK(p90(wide) == Approx(240).epsilon(1e-12));
  CHECK(p90(narrow) == Approx(60 * std::sqrt(2.0)).epsilon(1e-12));
  CHECK(std::isinf(d.spread_cap()));  // always positive: no cap
}

TEST_CASE("with_spread widens a uniform about its median, keeping its minimum at or above 0",
          "[core][distribution]") {
  // U(10, 30): median 20. ×0.5 → U(15, 25). ×2 would give U(0, 40): the cap is exactly
  // 20 / (20 - 10) = 2; ×3 is capped to it.
  const Distribution u = Distribution::uniform_of(10, 30);
  CHECK(u.median() == 20);
  CHECK(u.spread_cap() == 2);
  const Distribution narrow = u.with_spread(0.5);
  CHECK(narrow.a == 15);
  CHECK(narrow.b == 25);
  const Distribution wide = u.with_spread(3);
  CHECK(wide.a == 0);
  CHECK(wide.b == 40);
  CHECK(wide.median() == 20);
}

TEST_CASE("with_spread keeps the median of a triangular, a normal and an exponential",
          "[core][distribution]") {
  // Triangular (0, 10, 40): F(10) = 1/4 < 1/2, median = 40 - √(0.5 · 40 · 30) = 40 - √600.
  const Distribution t = Distribution::triangular_of(0, 10, 40);
  CHECK(t.median() == Approx(40 - std::sqrt(600.0)));
  const Distribution tn = t.with_spread(0.5);
  CHECK(tn.median() == Approx(t.median()).epsilon(1e-12));
  CHECK(tn.b - tn.a == Approx(20));
  // Normal (5, 1) unbounded: sd ×2, mean 5.
  const Distribution n = Distribution::normal_of(5, 1).with_spread(2);
  CHECK(n.a == 5);
  CHECK(n.b == 2);
  // A truncated normal keeps its (bisected) median.
  const Distribution nt = Distribution::normal_of(5, 2, 4, 20);
  CHECK(nt.with_spread(0.5).median() == Approx(nt.median()).epsilon(1e-9));
  // Exponential of mean 10 shifted by 5: median 5 + 10 ln 2 - ... (mean - shift) ln 2.
  const Distribution e = Distribution::exponential_of(15, 5);
  CHECK(e.median() == Approx(5 + 10 * std::log(2.0)));
  CHECK(e.with_spread(0.5).median() == Approx(e.median()));
  CHECK(e.with_spread(0.5).check().empty());
  // A constant has nothing to spread.
  CHECK(Distribution::constant_of(7).with_spread(2).a == 7);
}
