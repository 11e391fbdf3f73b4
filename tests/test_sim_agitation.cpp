// The agitation model of the crowd-complaint incident (hqdrill/sim/agitation.hpp; design:
// docs/design/crowd-complaint.md section 7, tests T1, T4, T5, T9), checked against hand
// calculations.
#include <catch2/catch.hpp>
#include <cmath>

#include "hqdrill/core/rng.hpp"
#include "hqdrill/sim/agitation.hpp"

using namespace hqdrill;

TEST_CASE("the expected active share has Epstein's closed form (T1)", "[crowd]") {
  // H, R ~ U(0, 1), T = 0.1, L = 0.8 (g = 0.2). No police: 1 - T/g = 0.5. One defender per
  // person in view: P = 1 - e^-2.3 = 0.89974, and since g - T <= P the share is
  // (g - T)^2 / (2 g P) = 0.01 / 0.359898 = 0.027786.
  CHECK(expected_active_share(0.8, 0.1, 0.0) == Approx(0.5).margin(1e-12));
  const double p = arrest_probability(2.3, 1, 0);
  CHECK(p == Approx(1.0 - std::exp(-2.3)).margin(1e-12));
  CHECK(expected_active_share(0.8, 0.1, p) == Approx(0.01 / (2 * 0.2 * p)).margin(1e-12));
  CHECK(expected_active_share(0.8, 0.1, p) == Approx(0.027786).margin(1e-6));
  // With the ramp inside [0, 1] (L = 0.2, g = 0.8, P = 0.3): P/(2g) + 1 - (T + P)/g
  // = 0.1875 + 0.5 = 0.6875.
  CHECK(expected_active_share(0.2, 0.1, 0.3) == Approx(0.6875).margin(1e-12));
  // Nobody is active when G = H (1 - L) can never pass T.
  CHECK(expected_active_share(0.92, 0.1, 0.0) == 0.0);
}

TEST_CASE("drawn people turn active as often as the closed form says (T1, Monte Carlo)",
          "[crowd]") {
  AgitationParams prm;
  Pcg32 rng(20020507, 7);
  const int n = 100000;
  for (const double P : {0.0, 1.0 - std::exp(-2.3)}) {
    int active = 0;
    for (int i = 0; i < n; ++i) {
      const Disposition d = draw_disposition(rng);
      active += net_agitation(d, 0.8, P) > prm.threshold;
    }
    const double expect = expected_active_share(0.8, prm.threshold, P);
    const double sigma = std::sqrt(expect * (1 - expect) / n);
    INFO("P " << P << ": " << active << " of " << n << ", expected share " << expect);
    CHECK(std::abs(double(active) / n - expect) <= 4 * sigma);
  }
}

TEST_CASE("legitimacy falls while the crowd waits unheard and rises with a dialogue", "[crowd]") {
  const AgitationParams p;  // L0 0.92, 0.06 per hour, gate 0.03, line 0.03 above 0.5, dialogue 0.10
  CHECK(legitimacy(p, {}) == Approx(0.92));
  CHECK(legitimacy(p, {3600, false, 0.0, false}) == Approx(0.86));
  CHECK(legitimacy(p, {3600, true, 0.6, false}) == Approx(0.80));
  CHECK(legitimacy(p, {3600, true, 0.4, true}) == Approx(0.93));  // line not heavy
  CHECK(legitimacy(p, {100 * 3600.0, true, 1.0, false}) == 0.0);  // clamped
  // On arrival nobody is active: G <= 1 x (1 - 0.92) = 0.08 < T = 0.1.
  CHECK(net_agitation({1.0, 0.0, 0.5}, 0.92, 0.0) < p.threshold);
}

TEST_CASE("a person gathers, blocks, pushes or sits in by its agitation", "[crowd]") {
  const AgitationParams p;  // T 0.1, push margin 0.05
  const Disposition d{0.9, 0.1, 0.4};
  CHECK(decide(p, d, 0.10, 1.0, false) == CrowdBehaviour::gather);
  CHECK(decide(p, d, 0.12, 1.0, false) == CrowdBehaviour::block);  // above T, below the margin
  CHECK(decide(p, d, 0.20, 0.3, false) == CrowdBehaviour::block);  // few actives around
  CHECK(decide(p, d, 0.20, 0.4, false) == CrowdBehaviour::push);   // share reaches theta
  CHECK(decide(p, d, 0.20, 0.4, true) == CrowdBehaviour::sit_in);
}

TEST_CASE("a crowd names at most as many representatives as Law 42/2013 Article 29 allows (T5)",
          "[crowd]") {
  CHECK(max_representatives(4) == 0);
  CHECK(max_representatives(5) == 2);
  CHECK(max_representatives(10) == 2);
  CHECK(max_representatives(11) == 5);
  CHECK(max_representatives(500) == 5);
}

TEST_CASE("a 4 m gate gives way to 20 pushers with one defender and holds with two (T4)",
          "[crowd]") {
  // Capacity 1500 N/m x 4 m = 6000 N; 20 pushers x 320 N = 6400 N; each defender holds 320 N.
  const BreachRule r;
  CHECK(overloaded(r, 6400, 4.0, 0));
  CHECK(overloaded(r, 6400, 4.0, 1));        // 6320 N
  CHECK_FALSE(overloaded(r, 6400, 4.0, 2));  // 6640 N

  // Overloaded from t = 0: breached at 10 s (after_s); an overload broken off starts again.
  BreachMonitor m(r, 4.0);
  for (int t = 0; t <= 6; ++t) m.observe(t, 6400, 0);
  m.observe(7, 5000, 0);  // the crowd falls back
  for (int t = 8; t <= 17; ++t) m.observe(t, 6400, 0);
  CHECK_FALSE(m.breached_at());
  m.observe(18, 6400, 0);
  REQUIRE(m.breached_at());
  CHECK(*m.breached_at() == 18.0);
}

TEST_CASE("a cordon needs a defender per metre of gate or per ten people at it (T9)", "[crowd]") {
  CHECK(cordon_needed(8.0, 120) == 12);  // max(8, 12)
  CHECK(cordon_needed(8.0, 40) == 8);
  CHECK(cordon_needed(3.5, 0) == 4);
}
