// Fire physics (hqdrill/fire): HRR, MQH and flashover, Alpert + DETACT, the two-zone room,
// and every `hqdrill verify fire` case as its own test.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "fire_support.hpp"
#include "hqdrill/fire/compartment.hpp"
#include "hqdrill/fire/detection.hpp"
#include "hqdrill/fire/hrr.hpp"
#include "hqdrill/fire/verification.hpp"
#include "hqdrill/fire/zone.hpp"

using namespace hqdrill::fire;

// ---------------------------------------------------------------- verification cases

TEST_CASE("verify fire: slow t-squared fire reaches 1055 kW at 600 s", "[fire][verify]") {
  hqdrill::test::check_fire_case("tsq-slow");
}
TEST_CASE("verify fire: medium t-squared fire reaches 1055 kW at 300 s", "[fire][verify]") {
  hqdrill::test::check_fire_case("tsq-medium");
}
TEST_CASE("verify fire: fast t-squared fire reaches 1055 kW at 150 s", "[fire][verify]") {
  hqdrill::test::check_fire_case("tsq-fast");
}
TEST_CASE("verify fire: ultrafast t-squared fire reaches 1055 kW at 75 s", "[fire][verify]") {
  hqdrill::test::check_fire_case("tsq-ultrafast");
}
TEST_CASE("verify fire: fast fire gives 468.9 kW at 100 s", "[fire][verify]") {
  hqdrill::test::check_fire_case("tsq-fast-100s");
}
TEST_CASE("verify fire: ventilation limit of a door by hand", "[fire][verify]") {
  hqdrill::test::check_fire_case("vent-door");
}
TEST_CASE("verify fire: a medium fire behind a door is capped at its ventilation limit",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("vent-cap");
}
TEST_CASE("verify fire: thermal penetration time of the NUREG-1805 lining", "[fire][verify]") {
  hqdrill::test::check_fire_case("mqh-tp");
}
TEST_CASE("verify fire: MQH h_k at 100 s", "[fire][verify]") {
  hqdrill::test::check_fire_case("mqh-hk");
}
TEST_CASE("verify fire: MQH temperature rise on the NUREG-1805 worksheet room", "[fire][verify]") {
  hqdrill::test::check_fire_case("mqh-dT");
}
TEST_CASE("verify fire: MQH flashover HRR", "[fire][verify]") {
  hqdrill::test::check_fire_case("fo-mqh");
}
TEST_CASE("verify fire: Babrauskas flashover HRR", "[fire][verify]") {
  hqdrill::test::check_fire_case("fo-babrauskas");
}
TEST_CASE("verify fire: Thomas flashover HRR", "[fire][verify]") {
  hqdrill::test::check_fire_case("fo-thomas");
}
TEST_CASE("verify fire: Alpert ceiling-jet temperature", "[fire][verify]") {
  hqdrill::test::check_fire_case("alpert-dT");
}
TEST_CASE("verify fire: Alpert ceiling-jet speed", "[fire][verify]") {
  hqdrill::test::check_fire_case("alpert-U");
}
TEST_CASE("verify fire: DETACT activation under a steady ceiling jet", "[fire][verify]") {
  hqdrill::test::check_fire_case("detact");
}
TEST_CASE("verify fire: CFAST sealed room pressure", "[fire][verify]") {
  hqdrill::test::check_fire_case("sealed-P");
}
TEST_CASE("verify fire: CFAST sealed room mean temperature", "[fire][verify]") {
  hqdrill::test::check_fire_case("sealed-T");
}
TEST_CASE("verify fire: CFAST sealed room, two zones, upper layer near the one-zone temperature",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("sealed-Tu");
}
TEST_CASE("verify fire: sealed room conserves mass", "[fire][verify]") {
  hqdrill::test::check_fire_case("sealed-mass");
}
TEST_CASE("verify fire: sealed room conserves energy", "[fire][verify]") {
  hqdrill::test::check_fire_case("sealed-energy");
}
TEST_CASE("verify fire: vented room conserves mass", "[fire][verify]") {
  hqdrill::test::check_fire_case("vented-mass");
}
TEST_CASE("verify fire: vented room conserves energy", "[fire][verify]") {
  hqdrill::test::check_fire_case("vented-energy");
}

TEST_CASE("verify fire: every case passes", "[fire][verify]") {
  REQUIRE(hqdrill::test::fire_cases().size() >= 23);
  for (const FireCase& c : hqdrill::test::fire_cases()) {
    INFO(c.id);
    CHECK(c.pass);
    CHECK_FALSE(c.source.empty());
  }
}

// ---------------------------------------------------------------- heat release rate

TEST_CASE("a medium fire reaches 1055 kW at 300 s", "[fire]") {
  const FireHrr f(tsquared_fire(tsquared_alpha_kw_per_s2(GrowthClass::kMedium)));
  CHECK(f.hrr_kw(300.0) == Approx(1055.0).epsilon(1e-12));
  CHECK(tsquared_alpha_kw_per_s2(GrowthClass::kMedium) == Approx(0.01172).epsilon(1e-3));
  CHECK(f.energy_kj(300.0) == Approx(1055.0 * 300.0 / 3.0));
}

TEST_CASE("the ventilation limit caps the heat release rate of a growing fire", "[fire]") {
  const Opening door{0.9, 0.0, 2.1};
  FireSpec s = tsquared_fire(tsquared_alpha_kw_per_s2(GrowthClass::kFast));
  s.ventilation_limit_kw = ventilation_limit_kw(ventilation_factor_m52({&door, 1}));
  const FireHrr f(s);
  const double tc = std::sqrt(s.ventilation_limit_kw / s.alpha_kw_per_s2);
  CHECK(f.hrr_kw(0.5 * tc) < s.ventilation_limit_kw);
  for (double t : {tc, tc + 1.0, 2.0 * tc, 3600.0})
    CHECK(f.hrr_kw(t) == Approx(s.ventilation_limit_kw));
  // Energy after the cap: cubic part plus the plateau.
  CHECK(f.energy_kj(2.0 * tc) ==
        Approx(s.alpha_kw_per_s2 * tc * tc * tc / 3.0 + s.ventilation_limit_kw * tc));
}

TEST_CASE("several openings add their A sqrt(H)", "[fire]") {
  const std::vector<Opening> o{{0.9, 0.0, 2.1}, {1.2, 0.9, 2.1}};
  CHECK(ventilation_factor_m52(o) ==
        Approx(0.9 * 2.1 * std::sqrt(2.1) + 1.2 * 1.2 * std::sqrt(1.2)));
}

TEST_CASE("a user HRR curve is capped where it crosses the peak and integrates exactly", "[fire]") {
  FireSpec s = curve_fire({{0.0, 0.0}, {100.0, 400.0}, {200.0, 400.0}, {300.0, 0.0}});
  s.peak_hrr_kw = 200.0;
  const FireHrr f(s);
  CHECK(f.hrr_kw(25.0) == Approx(100.0));
  CHECK(f.hrr_kw(50.0) == Approx(200.0));
  CHECK(f.hrr_kw(150.0) == Approx(200.0));
  CHECK(f.hrr_kw(275.0) == Approx(100.0));
  // 0-50 s ramp (5000 kJ) + 50-250 s plateau (40000) + 250-300 s ramp (5000).
  CHECK(f.energy_kj(300.0) == Approx(50000.0));
  CHECK(f.energy_kj(1000.0) == Approx(50000.0));
}

TEST_CASE("a fire decays linearly once 70 % of its fuel is burnt and releases all of it",
          "[fire]") {
  FireSpec s = tsquared_fire(tsquared_alpha_kw_per_s2(GrowthClass::kFast));
  s.peak_hrr_kw = 1000.0;
  s.fuel_energy_kj = 1.0e6;
  const FireHrr f(s);
  REQUIRE(std::isfinite(f.decay_start_s()));
  CHECK(f.energy_kj(f.decay_start_s()) == Approx(0.7e6));
  CHECK(f.hrr_kw(f.decay_start_s() - 1e-9) == Approx(1000.0));
  CHECK(f.hrr_kw(0.5 * (f.decay_start_s() + f.burnout_s())) == Approx(500.0));
  CHECK(f.hrr_kw(f.burnout_s() + 1.0) == 0.0);
  CHECK(f.energy_kj(f.burnout_s() + 100.0) == Approx(1.0e6));
  CHECK(f.burnout_s() - f.decay_start_s() == Approx(2.0 * 0.3e6 / 1000.0));
}

// ---------------------------------------------------------------- MQH, flashover, tenability

TEST_CASE("MQH h_k switches from sqrt(k rho c / t) to k / delta at the penetration time",
          "[fire]") {
  const Lining l = concrete_lining(0.1);
  const double tp = thermal_penetration_time_s(l);
  CHECK(tp == Approx(2400.0 * 0.75 / 0.0016 * 0.05 * 0.05));
  CHECK(mqh_hk_kw_per_m2k(l, 0.999 * tp) ==
        Approx(std::sqrt(0.0016 * 2400.0 * 0.75 / (0.999 * tp))));
  CHECK(mqh_hk_kw_per_m2k(l, tp) == Approx(0.0016 / 0.1));
  CHECK(mqh_hk_kw_per_m2k(l, 10.0 * tp) == Approx(0.0016 / 0.1));
}

TEST_CASE("MQH flashover HRR gives about 500 K in the MQH correlation", "[fire]") {
  // 610 is the rounded (500 / 6.85)^(3/2) = 623.6: the published constant gives 493 K.
  const double hk = 0.03, at = 80.0, vf = 2.5;
  const double qfo = mqh_flashover_hrr_kw(hk, at, vf);
  CHECK(mqh_temperature_rise_k(qfo, vf, at, hk) == Approx(500.0).epsilon(0.02));
}

TEST_CASE("flashover by the 600 degC layer or by the MQH heat release rate", "[fire]") {
  FlashoverCriterion c;
  CHECK(is_flashover(c, 600.0, 10.0, 1000.0));
  CHECK(is_flashover(c, 100.0, 1000.0, 1000.0));
  CHECK_FALSE(is_flashover(c, 599.0, 999.0, 1000.0));
  c.use_mqh_hrr = false;
  CHECK_FALSE(is_flashover(c, 100.0, 5000.0, 1000.0));
}

TEST_CASE("a room is tenable while the layer is above 1.8 m and below 200 degC", "[fire]") {
  const TenabilityRule r;
  CHECK(is_tenable(r, 2.0, 150.0));
  CHECK_FALSE(is_tenable(r, 1.7, 50.0));
  CHECK_FALSE(is_tenable(r, 2.5, 200.0));
}

// ---------------------------------------------------------------- detection

TEST_CASE("a detector never activates below its activation temperature", "[fire]") {
  DetectorLink link(heat_detector(50.0, 68.0), kAmbientC);
  for (int s = 0; s < 3600; ++s) link.advance(s, 1.0, 67.99, 5.0);  // an hour just below
  CHECK_FALSE(link.activated());
  CHECK(link.link_c() < 68.0);
  CHECK(link.link_c() == Approx(67.99).margin(1e-6));
  CHECK(std::isinf(detact_activation_time_s(kAmbientC, 67.99, 5.0, 50.0, 68.0)));
}

TEST_CASE("DETACT activation matches the closed form whatever the step", "[fire]") {
  const CeilingJet cj = alpert_ceiling_jet(500.0, 2.8, 1.5);
  const double tg = kAmbientC + cj.temperature_rise_k;
  for (double rti : {5.0, 50.0, 120.0}) {
    const double exact = detact_activation_time_s(kAmbientC, tg, cj.speed_mps, rti, 57.0);
    for (double dt : {0.1, 0.37, 2.0}) {
      DetectorLink link(heat_detector(rti, 57.0), kAmbientC);
      for (int s = 0; s < 100000 && !link.activated(); ++s)
        link.advance(s * dt, dt, tg, cj.speed_mps);
      INFO("RTI " << rti << " step " << dt);
      CHECK(link.activation_s() == Approx(exact).epsilon(1e-10));
    }
  }
}

TEST_CASE("a smoke detector modelled as in CFAST activates 5 K above ambient with RTI 5",
          "[fire]") {
  const DetectorSpec s = smoke_detector_as_heat(kAmbientC);
  CHECK(s.rti_sqrt_ms == 5.0);
  CHECK(s.activation_c == kAmbientC + 5.0);
}

TEST_CASE("Alpert's ceiling jet switches branch at r/H 0.18 (temperature) and 0.15 (speed)",
          "[fire]") {
  const CeilingJet near = alpert_ceiling_jet(1000.0, 3.0, 0.3);
  CHECK(near.temperature_rise_k ==
        Approx(16.9 * std::pow(1000.0, 2.0 / 3.0) / std::pow(3.0, 5.0 / 3.0)));
  CHECK(near.speed_mps == Approx(0.96 * std::cbrt(1000.0 / 3.0)));
  // Close to continuous at the switch (the correlations were fitted to meet there).
  const CeilingJet a = alpert_ceiling_jet(1000.0, 3.0, 0.18 * 3.0);
  const CeilingJet b = alpert_ceiling_jet(1000.0, 3.0, 0.18 * 3.0 + 1e-9);
  CHECK(a.temperature_rise_k == Approx(b.temperature_rise_k).epsilon(0.02));
}

// ---------------------------------------------------------------- two-zone room

namespace {

ZoneRoomSpec office() {
  ZoneRoomSpec s;
  s.room = {5.0, 4.0, 3.0};
  s.vents = {{0.9, 0.0, 2.1}};
  return s;
}

}  // namespace

TEST_CASE("the smoke layer descends while the fire grows in a room with a door", "[fire]") {
  ZoneRoom room(office(), FireHrr(tsquared_fire(tsquared_alpha_kw_per_s2(GrowthClass::kMedium))));
  double last = room.state().layer_height_m;
  CHECK(last == Approx(3.0).margin(0.01));
  for (int t = 5; t <= 60; t += 5) {
    room.advance_to(t);
    INFO("t = " << t << " s");
    CHECK(room.state().layer_height_m < last);
    CHECK(room.state().upper_k > room.state().lower_k);
    last = room.state().layer_height_m;
  }
  // At 600 s (4.2 MW, above the door's 4.1 MW limit: uncapped here on purpose) the door
  // still vents: the layer stays off the floor and below the door's soffit.
  room.advance_to(600.0);
  CHECK(room.state().layer_height_m > 0.2);
  CHECK(room.state().layer_height_m < 2.1);
}

TEST_CASE("a sealed adiabatic room conserves energy to round-off", "[fire]") {
  ZoneRoomSpec s;
  s.room = {4.0, 4.0, 3.0};
  s.adiabatic = true;
  s.radiative_fraction = 0.0;
  ZoneRoom room(s, FireHrr(curve_fire({{0.0, 50.0}})));
  for (int t = 10; t <= 120; t += 10) {
    room.advance_to(t);
    const ZoneState& st = room.state();
    const double t_inf = s.ambient_c + kKelvin;
    const double e_in = st.fire_energy_kj + kCpJPerKgK * 1e-3 * st.fuel_mass_kg * t_inf;
    CHECK(room.gas_internal_energy_kj() - room.initial_internal_energy_kj() ==
          Approx(e_in).epsilon(1e-12));
    CHECK(room.gas_mass_kg() - room.initial_gas_mass_kg() == Approx(st.fuel_mass_kg).epsilon(1e-4));
  }
}

TEST_CASE("the zone model's upper layer agrees with MQH within its scatter in a steady fire",
          "[fire]") {
  // MQH was fitted to data with about +-30 % scatter; a 300 kW fire for 300 s in the
  // office. The zone model's wall loss is not MQH's, so only the band is checked.
  ZoneRoomSpec s = office();
  ZoneRoom room(s, FireHrr(curve_fire({{0.0, 300.0}})));
  room.advance_to(300.0);
  const double vf = ventilation_factor_m52(s.vents);
  const double at = mqh_surface_area_m2(s.room, s.vents);
  const double mqh = mqh_temperature_rise_k(300.0, vf, at, mqh_hk_kw_per_m2k(s.lining, 300.0));
  const double zone = room.state().upper_k - (s.ambient_c + kKelvin);
  INFO("MQH " << mqh << " K, zone model " << zone << " K");
  CHECK(zone > 0.6 * mqh);
  CHECK(zone < 1.4 * mqh);
}

TEST_CASE("ASET is the first second the room breaks the tenability rule", "[fire]") {
  ZoneRoom room(office(), FireHrr(tsquared_fire(tsquared_alpha_kw_per_s2(GrowthClass::kFast))));
  const TenabilityRule rule;
  double aset = std::numeric_limits<double>::infinity();
  for (int t = 1; t <= 900 && std::isinf(aset); ++t) {
    room.advance_to(t);
    if (!is_tenable(rule, room.state().layer_height_m, room.state().upper_c())) aset = t;
  }
  INFO("ASET " << aset << " s");
  CHECK(aset > 10.0);
  CHECK(aset < 300.0);
}

TEST_CASE("two zone rooms run side by side give identical results", "[fire]") {
  ZoneRoom a(office(), FireHrr(tsquared_fire(0.0469)));
  ZoneRoom b(office(), FireHrr(tsquared_fire(0.0469)));
  a.advance_to(123.0);
  for (int t = 1; t <= 123; ++t) b.advance_to(t);  // different sampling, same physics
  CHECK(a.state().upper_k == Approx(b.state().upper_k).epsilon(1e-5));
  ZoneRoom c(office(), FireHrr(tsquared_fire(0.0469)));
  c.advance_to(123.0);
  CHECK(a.state().upper_k == c.state().upper_k);  // bit-identical for the same calls
  CHECK(a.state().layer_height_m == c.state().layer_height_m);
}
