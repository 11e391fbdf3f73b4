// Fundamental diagrams of the walking models against Weidmann (1993), RiMEA test 4, the
// periodic corridor it runs in, and the flow through a 1 m door (rimea_fd.hpp): the
// collision-free speed model (the default) passes, the social-force model fails.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>

#include "hqdrill/peds/fundamental.hpp"
#include "hqdrill/peds/rimea_fd.hpp"
#include "hqdrill/peds/social_force.hpp"

using hqdrill::peds::AgentSpec;
using hqdrill::peds::door_flow;
using hqdrill::peds::DoorFlowOptions;
using hqdrill::peds::FdOptions;
using hqdrill::peds::fundamental_diagram;
using hqdrill::peds::ModelKind;
using hqdrill::peds::rimea_test4;
using hqdrill::peds::SocialForceModel;
using hqdrill::peds::Vec2;

namespace {

AgentSpec still_agent(Vec2 pos) {
  AgentSpec a;
  a.position = pos;
  a.goal = pos;  // no desired direction; v0 stays 1.34 m/s only for the speed clamp
  a.remove_at_goal = false;
  return a;
}

// RiMEA test 4 shortened for the test suite: 5 s transient and 10 s measured instead of
// 10 s and 60 s (the full run takes about 10 s in an optimised build). The social-force
// model keeps dt 0.01 s (stiff contacts); the first-order CFSM runs at dt 0.05 s, JuPedSim's
// usual step (the full run at 0.01 s gives the same verdict, BENCHMARKS.md).
FdOptions short_fd(ModelKind kind) {
  FdOptions o;
  o.kind = kind;
  o.transient_s = 5;
  o.measure_s = 10;
  if (kind == ModelKind::cfsm) o.dt_s = 0.05;
  return o;
}

}  // namespace

TEST_CASE("an agent leaving a periodic corridor at its end re-enters at its start", "[peds][fd]") {
  SocialForceModel m;
  m.set_periodic_x(0, 10);
  AgentSpec a;
  a.position = {9.5, 1};
  a.velocity = {1.34, 0};
  a.goal = {1e9, 1};
  a.remove_at_goal = false;
  const std::size_t i = m.add_agent(a);
  double min_x = 10, max_x = 0;
  for (int s = 0; s < 100; ++s) {  // 5 s at 1.34 m/s: 6.7 m, through the seam
    m.step(0.05);
    min_x = std::min(min_x, m.position(i).x);
    max_x = std::max(max_x, m.position(i).x);
  }
  CHECK(min_x >= 0.0);
  CHECK(max_x < 10.0);
  CHECK(m.position(i).x == Approx(9.5 + 6.7 - 10).margin(0.05));
}

TEST_CASE("two agents across the periodic seam push each other as if side by side", "[peds][fd]") {
  // Periodic strip [0, 10): agents at x = 0.1 and 9.8 are 0.3 m apart across the seam.
  // The same pair without the seam, at 10.1 and 9.8, must get the same forces.
  SocialForceModel periodic, plain;
  periodic.set_periodic_x(0, 10);
  periodic.add_agent(still_agent({0.1, 1}));
  periodic.add_agent(still_agent({9.8, 1}));
  plain.add_agent(still_agent({10.1, 1}));
  plain.add_agent(still_agent({9.8, 1}));
  periodic.step(0.01);
  plain.step(0.01);
  CHECK(periodic.velocity(0).x > 0.1);  // pushed apart: +x across the seam
  CHECK(periodic.velocity(0).x == Approx(plain.velocity(0).x).epsilon(1e-9));
  CHECK(periodic.velocity(1).x == Approx(plain.velocity(1).x).epsilon(1e-9));
  CHECK(periodic.velocity(0).y == 0.0);
}

TEST_CASE("the social-force corridor fundamental diagram is tabulated against Weidmann",
          "[peds][fd]") {
  const auto fd = fundamental_diagram(short_fd(ModelKind::social_force));
  REQUIRE(fd.size() == 7);
  for (const auto& p : fd) {
    INFO("density " << p.density_pm2);
    // Agents = density x 16 m x 3 m exactly at these densities, and the measuring section
    // sees the same density on average (the crowd is evenly spread and moves as a block).
    CHECK(static_cast<double>(p.agents) == Approx(p.density_pm2 * 48));
    CHECK(p.area_density_pm2 == Approx(p.density_pm2).epsilon(0.1));
    CHECK(p.weidmann_speed_mps == Approx(hqdrill::peds::weidmann_speed_mps(p.density_pm2)));
    CHECK(p.weidmann_flow_psm == Approx(p.density_pm2 * p.weidmann_speed_mps));
    // Line flow (method A counting) and area flow (method C, rho v) agree.
    CHECK(p.flow_psm == Approx(p.area_flow_psm).epsilon(0.1).margin(0.05));
  }
  // Weidmann's own column: 1.30 m/s at 0.5 /m2 down to 0 at 6 /m2 (> rho_max 5.4).
  CHECK(fd[0].weidmann_speed_mps == Approx(1.298).margin(0.001));
  CHECK(fd[2].weidmann_speed_mps == Approx(0.606).margin(0.001));
  CHECK(fd[6].weidmann_speed_mps == 0.0);
  // The finding: HFV 2000's isotropic forces cancel in an evenly moving crowd, so it walks
  // at its free speed v0 = 1.34 m/s up to 5 /m2 (Weidmann: 0.04 m/s at 5 /m2).
  for (std::size_t k = 0; k < 6; ++k) CHECK(fd[k].speed_mps > 0.95 * 1.34);
}

TEST_CASE("the collision-free speed model walks Weidmann's fundamental diagram", "[peds][fd]") {
  const auto fd = fundamental_diagram(short_fd(ModelKind::cfsm));
  REQUIRE(fd.size() == 7);
  for (std::size_t k = 0; k < fd.size(); ++k) {
    const auto& p = fd[k];
    INFO("density " << p.density_pm2 << ": v " << p.speed_mps << ", Weidmann "
                    << p.weidmann_speed_mps);
    // Up to 4 /m2 the crowd stays evenly spread; at 5-6 /m2 it is nearly jammed and the 10 s
    // of the short run sample a non-uniform crowd (the RiMEA band stops at 4 /m2 too).
    if (p.density_pm2 <= 4.0) {
      CHECK(p.area_density_pm2 == Approx(p.density_pm2).epsilon(0.1));
      CHECK(p.flow_psm == Approx(p.area_flow_psm).epsilon(0.15).margin(0.05));
    }
    // Calibrated T = 0.55 s, l = 0.4 m: within 0.1 m/s of Weidmann up to 4 /m2 (the RiMEA 4
    // band below is 0.25 m/s or 35 %), and slowing down with density.
    if (p.density_pm2 <= 4.0) CHECK(std::abs(p.speed_mps - p.weidmann_speed_mps) < 0.1);
    if (k > 0) CHECK(p.speed_mps <= fd[k - 1].speed_mps + 0.02);
  }
  CHECK(fd[0].speed_mps == Approx(1.34).margin(0.01));  // free flow at 0.5 /m2
  CHECK(fd[6].speed_mps < 0.02);                        // jammed at 6 /m2
}

TEST_CASE("RiMEA test 4 passes with the collision-free speed model", "[peds][fd]") {
  const auto r = rimea_test4(short_fd(ModelKind::cfsm));
  CHECK(r.id == "4");
  CHECK(r.pass);
  // Worst deviation 0.15 of the allowed band here (full run 0.14; 0.11-0.30 over seeds,
  // widths and dt).
  CHECK(r.measured < 0.5);
  CHECK(r.note.find("collision-free speed model") != std::string::npos);
  // The default of rimea_test4 is the CFSM.
  CHECK(FdOptions{}.kind == ModelKind::cfsm);
}

TEST_CASE("RiMEA test 4: HFV 2000 with its published constants fails HQ Drill's Weidmann band",
          "[peds][fd]") {
  const auto r = rimea_test4(short_fd(ModelKind::social_force));
  CHECK(r.id == "4");
  CHECK(r.source.find("HQ Drill's choice") != std::string::npos);
  CHECK(r.criterion.find("Weidmann") != std::string::npos);
  // At 4 /m2 the model walks at 1.34 m/s against Weidmann's 0.16: 1.18 m/s off, 4.7 times the
  // 0.25 m/s band. A known shortcoming of the model, not of the measurement (see
  // rimea_fd.hpp); this test pins it so that a model change shows up here.
  CHECK_FALSE(r.pass);
  CHECK(r.measured > 4.0);
  CHECK(r.note.find("periodic corridor 16 m x 3 m") != std::string::npos);
}

TEST_CASE("a social-force room of 100 empties through a 1 m door faster than experiments say",
          "[peds][fd]") {
  // Measured with a line on the door span, steady part (10 % to 90 % of the crossings).
  // SFPE: at most 1.3 /(s m) of effective width; experiments (Kretz et al. 2006, Seyfried
  // et al. 2009) about 1.9 /s through 1 m. HQ Drill's 0.2 m bodies give about 2.9 /s.
  DoorFlowOptions sf;
  sf.kind = ModelKind::social_force;
  const auto r = door_flow(sf);
  CHECK(r.crossed == 100);
  CHECK(r.steady_flow_per_s > 2.4);
  CHECK(r.steady_flow_per_s < 3.4);
  CHECK(r.overall_flow_per_s < r.steady_flow_per_s);
  // HFV 2000's own body sizes (shoulder widths 0.5-0.7 m) slow the door to below 1.9 /s.
  DoorFlowOptions hfv = sf;
  hfv.radius_m = 0.3;
  hfv.radius_spread_m = 0.05;
  const auto big = door_flow(hfv);
  CHECK(big.crossed == 100);
  CHECK(big.steady_flow_per_s < 1.9);
  CHECK(big.steady_flow_per_s > 0.8);
}

TEST_CASE("a CFSM room of 100 empties through a 1 m door at about the experimental flow",
          "[peds][fd]") {
  // SFPE: 1.3 /(s m) of effective width, 0.7 m here, i.e. 0.9 /s as a conservative design
  // value; experiments (Kretz et al. 2006, Seyfried et al. 2009) about 1.9 /s through 1 m.
  // CFSM with 0.2 m bodies: 1.80 /s (1.70-1.80 over ten seeds at dt 0.01 s).
  DoorFlowOptions o;
  o.dt_s = 0.05;  // 1.64 /s; keeps the test fast
  const auto r = door_flow(o);
  CHECK(r.crossed == 100);  // no freezing at the door (CfsmParams::unblock_speed_mps)
  CHECK(r.steady_flow_per_s > 1.3);
  CHECK(r.steady_flow_per_s < 2.0);
}

TEST_CASE("the fundamental diagram is a pure function of its options, bit for bit", "[peds][fd]") {
  FdOptions o;
  o.densities_pm2 = {3.0};
  o.transient_s = 1;
  o.measure_s = 2;
  const auto a = fundamental_diagram(o);
  const auto b = fundamental_diagram(o);
  REQUIRE(a.size() == 1);
  CHECK(a[0].speed_mps == b[0].speed_mps);
  CHECK(a[0].flow_psm == b[0].flow_psm);
  CHECK(a[0].area_density_pm2 == b[0].area_density_pm2);
  o.seed = 5;  // another jitter of the initial lattice: another run
  CHECK(fundamental_diagram(o)[0].speed_mps != a[0].speed_mps);
}
