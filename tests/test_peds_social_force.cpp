// Social-force model with contact forces (Helbing, Farkas and Vicsek, Nature 407, 2000).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

#include "hqdrill/peds/cfsm.hpp"
#include "hqdrill/peds/social_force.hpp"

using hqdrill::peds::AgentSpec;
using hqdrill::peds::CollisionFreeSpeedModel;
using hqdrill::peds::line_pressure;
using hqdrill::peds::Segment;
using hqdrill::peds::SocialForceModel;
using hqdrill::peds::Vec2;

namespace {

bool all_finite(const SocialForceModel& m) {
  for (std::size_t i = 0; i < m.size(); ++i) {
    const Vec2 p = m.position(i), v = m.velocity(i);
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(v.x) || !std::isfinite(v.y))
      return false;
  }
  return true;
}

double min_pair_distance(const SocialForceModel& m) {
  double best = 1e300;
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = i + 1; j < m.size(); ++j)
      if (m.active(i) && m.active(j)) best = std::min(best, norm(m.position(i) - m.position(j)));
  return best;
}

AgentSpec agent(Vec2 pos, Vec2 goal) {
  AgentSpec a;
  a.position = pos;
  a.goal = goal;
  return a;
}

// A closed gate at x = 0 closing a 0.6 m corridor (side walls y = 0 and y = 0.6) with n
// agents in single file behind it, all heading for a goal beyond the gate. Single file
// because HFV bodies touch a wall only when pushed harder than A = 2000 N (the repulsion at
// zero gap), about ten agents' driving force m v0 / tau = 214 N; a wide gate with ten agents
// sees no contact at all. Returns the gate's pressure (N/m) averaged over the last 2 s of
// 10 s at dt = 0.01 s, and line_pressure at the end.
struct GateResult {
  double mean_wall_pressure = 0;
  double final_line_pressure = 0;
  bool finite = true;
  bool all_behind_gate = true;
};

GateResult push_on_closed_gate(int n) {
  SocialForceModel m;
  const Segment gate{{0, 0}, {0, 0.6}};
  const std::size_t gate_id = m.add_wall(gate);
  m.add_wall({{0, 0}, {60, 0}});
  m.add_wall({{0, 0.6}, {60, 0.6}});
  for (int i = 0; i < n; ++i) m.add_agent(agent({0.45 + 0.5 * i, 0.3}, {-5, 0.3}));
  GateResult r;
  const int steps = 1000, averaged = 200;
  for (int s = 0; s < steps; ++s) {
    m.step(0.01);
    if (s >= steps - averaged) r.mean_wall_pressure += m.wall_pressure_n_per_m(gate_id) / averaged;
    for (std::size_t i = 0; i < m.size(); ++i)
      if (m.position(i).x <= 0) r.all_behind_gate = false;
  }
  r.final_line_pressure = line_pressure(gate, m);
  r.finite = all_finite(m);
  return r;
}

}  // namespace

TEST_CASE("a lone agent approaches its desired speed with relaxation time tau", "[peds]") {
  // HFV 2000 eq. (1) without interactions: dv/dt = (v0 - v)/tau, so from rest
  // v(t) = v0 (1 - exp(-t/tau)); at t = tau, v = 0.632 v0. Explicit Euler at dt = tau/50
  // gives 1 - 0.98^50 = 0.636 (0.6 % high), inside the 2 % band.
  SocialForceModel m;
  const std::size_t i = m.add_agent(agent({0, 0}, {1000, 0}));
  const double tau = m.params().relaxation_time_s;
  for (int s = 0; s < 50; ++s) m.step(tau / 50);
  CHECK(m.elapsed_us() == 500000);
  const double v0 = 1.34;
  CHECK(m.velocity(i).x == Approx(v0 * (1 - std::exp(-1.0))).epsilon(0.02));
  CHECK(m.velocity(i).y == 0.0);
  for (int s = 0; s < 450; ++s) m.step(tau / 50);  // t = 10 tau
  CHECK(m.velocity(i).x == Approx(v0).epsilon(0.001));
}

TEST_CASE("two agents walking head-on pass each other without deep overlap or NaN", "[peds]") {
  SocialForceModel m;
  // Slightly offset lanes (0.2 m between centre lines for 0.4 m bodies): they must sidestep.
  m.add_agent(agent({0, 0.1}, {10, 0.1}));
  m.add_agent(agent({10, -0.1}, {0, -0.1}));
  double closest = 1e300;
  for (int s = 0; s < 400 && m.active_count() == 2; ++s) {
    m.step(0.05);
    REQUIRE(all_finite(m));
    closest = std::min(closest, min_pair_distance(m));
  }
  CHECK(closest > 0.4 - 0.05);  // overlap of the 0.4 m contact distance below 5 cm
  for (int s = 0; s < 400 && m.active_count() > 0; ++s) m.step(0.05);
  CHECK(m.active_count() == 0);
  // Both arrive (10 m - 0.5 m goal radius at 1.34 m/s is 7.1 s free walking).
  CHECK(m.exit_time_us(0) > 0);
  CHECK(m.exit_time_us(0) < 12'000'000);
  CHECK(m.exit_time_us(1) < 12'000'000);
}

TEST_CASE("agents with coincident centres are pushed apart without NaN", "[peds]") {
  SocialForceModel m;
  m.add_agent(agent({1, 1}, {1, 100}));
  m.add_agent(agent({1, 1}, {1, 100}));
  for (auto& s : std::vector<int>(20)) {
    (void)s;
    m.step(0.05);
  }
  CHECK(all_finite(m));
  CHECK(norm(m.position(0) - m.position(1)) > 0.3);
  CHECK(m.position(0).x > m.position(1).x);  // the lower index goes to +x
}

TEST_CASE("a crowd pushing into a wall for 1000 steps never crosses it", "[peds]") {
  for (const double dt : {0.05, 0.2}) {
    SocialForceModel m;
    m.add_wall({{-20, 0}, {20, 0}});
    for (int i = 0; i < 100; ++i) {
      const double x = -4.5 + (i % 10), y = 0.5 + 0.6 * (i / 10);
      m.add_agent(agent({x, y}, {x * 0.2, -10}));  // goals behind the wall, converging
    }
    bool crossed = false;
    for (int s = 0; s < 1000; ++s) {
      m.step(dt);
      for (std::size_t i = 0; i < m.size(); ++i) crossed = crossed || m.position(i).y <= 0;
    }
    INFO("dt = " << dt);
    CHECK_FALSE(crossed);
    CHECK(all_finite(m));
    CHECK(m.active_count() == 100);
  }
}

TEST_CASE("agents walking past a convex corner slide around it and all arrive", "[peds]") {
  // A 2 m x 8 m block in the way; the goal is beyond its top-right corner, so the group
  // presses on the block's left face and must slide up and round the corner (3, 3).
  SocialForceModel m;
  const std::vector<Vec2> box{{3, -5}, {5, -5}, {5, 3}, {3, 3}};
  for (std::size_t k = 0; k < box.size(); ++k) m.add_wall({box[k], box[(k + 1) % box.size()]});
  for (int i = 0; i < 20; ++i)
    m.add_agent(agent({0.5 + 0.6 * (i % 4), -4 + 0.7 * (i / 4)}, {9, 5}));
  for (int s = 0; s < 600 && m.active_count() > 0; ++s) m.step(0.05);  // 30 s
  CHECK(all_finite(m));
  CHECK(m.active_count() == 0);
  for (std::size_t i = 0; i < m.size(); ++i) {
    INFO("agent " << i);
    CHECK(m.exit_time_us(i) > 0);
    CHECK(m.exit_time_us(i) < 30'000'000);
  }
}

TEST_CASE("pressure on a closed gate rises with the number of agents pushing on it", "[peds]") {
  const GateResult p10 = push_on_closed_gate(10);
  const GateResult p40 = push_on_closed_gate(40);
  const GateResult p80 = push_on_closed_gate(80);
  INFO("N/m: " << p10.mean_wall_pressure << " " << p40.mean_wall_pressure << " "
               << p80.mean_wall_pressure);
  CHECK(p10.finite);
  CHECK(p80.finite);
  CHECK(p10.all_behind_gate);
  CHECK(p80.all_behind_gate);
  CHECK(p10.mean_wall_pressure > 0);
  CHECK(p10.mean_wall_pressure < p40.mean_wall_pressure);
  CHECK(p40.mean_wall_pressure < p80.mean_wall_pressure);
  // The free function measures the same contact force from the end state.
  CHECK(p80.final_line_pressure == Approx(p80.mean_wall_pressure).epsilon(0.25));
}

TEST_CASE("a door closing between steps becomes a wall the crowd cannot pass", "[peds]") {
  SocialForceModel m;
  m.add_wall({{0, -10}, {0, -1}});
  m.add_wall({{0, 1}, {0, 10}});
  for (int i = 0; i < 12; ++i)
    m.add_agent(agent({-2 - 0.7 * (i / 3), -0.6 + 0.6 * (i % 3)}, {10, 0}));
  for (int s = 0; s < 10; ++s) m.step(0.05);
  const std::size_t door = m.add_wall({{0, -1}, {0, 1}});
  for (int s = 0; s < 200; ++s) m.step(0.05);
  double front = -1e300;
  for (std::size_t i = 0; i < m.size(); ++i) {
    CHECK(m.position(i).x < 0);
    front = std::max(front, m.position(i).x);
  }
  CHECK(front > -1.0);  // they did walk up to the closed door
  CHECK(m.wall_contact_force_n(door) >= 0);
}

TEST_CASE("the same inputs give bit-identical trajectories", "[peds]") {
  auto run = [] {
    SocialForceModel m;
    m.add_wall({{-1, -1}, {12, -1}});
    m.add_wall({{12, -1}, {12, 12}});
    for (int i = 0; i < 121; ++i) {
      const Vec2 p{static_cast<double>(i % 11), static_cast<double>(i / 11)};
      m.add_agent(agent(p, {10 - p.x, 10 - p.y}));
    }
    m.set_direction_provider([](std::size_t k, Vec2 pos) {
      return k % 7 == 0 ? Vec2{1, 0} : Vec2{5 - pos.x, 5 - pos.y} + Vec2{0.3, 0};
    });
    for (int s = 0; s < 200; ++s) m.step(0.05);
    std::vector<double> out;
    for (std::size_t i = 0; i < m.size(); ++i) {
      out.push_back(m.position(i).x);
      out.push_back(m.position(i).y);
      out.push_back(m.velocity(i).x);
      out.push_back(m.velocity(i).y);
    }
    out.push_back(m.wall_contact_force_n(0));
    out.push_back(m.wall_contact_force_n(1));
    return out;
  };
  const std::vector<double> a = run(), b = run();
  REQUIRE(a.size() == b.size());
  bool identical = true;
  for (std::size_t k = 0; k < a.size(); ++k) identical = identical && (a[k] == b[k]);
  CHECK(identical);
}

TEST_CASE("a column pushing on a closed gate loads it with the sum of the driving forces (T3)",
          "[peds][crowd]") {
  // Ten agents in single file in a 0.5 m corridor push with v0 = 1.34 m/s into a closed
  // gate across its end. At rest every agent's forces balance, so the gate carries the
  // whole column's driving force: n m v0 / tau = 10 x 80 x 1.34 / 0.5 = 2144 N
  // (docs/design/crowd-complaint.md, test T3). The body-contact force alone is far
  // smaller: the front agent's repulsion stops it short of touching unless pushed.
  SocialForceModel m;
  m.set_walls({{{0, 0}, {20, 0}}, {{0, 0.5}, {20, 0.5}}, {{20, 0}, {20, 0.5}}});
  for (int k = 0; k < 10; ++k) {
    AgentSpec a;
    a.position = {19.5 - 0.6 * k, 0.25};
    a.goal = {30, 0.25};  // beyond the gate: they keep pushing
    a.remove_at_goal = false;
    m.add_agent(a);
  }
  for (int s = 0; s < 3000; ++s) m.step(0.01);  // 30 s: the column settles
  const double expected = 10 * 80 * 1.34 / 0.5;
  CHECK(m.wall_load_n(2) == Approx(expected).epsilon(0.02));
  CHECK(m.wall_contact_force_n(2) < m.wall_load_n(2));
  // Half as many agents, half the load.
  SocialForceModel half;
  half.set_walls({{{0, 0}, {20, 0}}, {{0, 0.5}, {20, 0.5}}, {{20, 0}, {20, 0.5}}});
  for (int k = 0; k < 5; ++k) {
    AgentSpec a;
    a.position = {19.5 - 0.6 * k, 0.25};
    a.goal = {30, 0.25};
    a.remove_at_goal = false;
    half.add_agent(a);
  }
  for (int s = 0; s < 3000; ++s) half.step(0.01);
  CHECK(half.wall_load_n(2) == Approx(expected / 2).epsilon(0.02));
}

TEST_CASE("a desired speed changed between steps takes effect", "[peds][crowd]") {
  // A lone agent relaxes to its desired speed with tau = 0.5 s: set to 2.0 m/s after
  // reaching 1.34, it is at 2.0 (within 1 %) 5 s later (e^-10 of the gap left).
  SocialForceModel m;
  AgentSpec a;
  a.position = {0, 0};
  a.goal = {1000, 0};
  const std::size_t i = m.add_agent(a);
  for (int s = 0; s < 500; ++s) m.step(0.01);
  CHECK(m.velocity(i).x == Approx(1.34).epsilon(0.01));
  m.set_desired_speed(i, 2.0);
  for (int s = 0; s < 500; ++s) m.step(0.01);
  CHECK(m.velocity(i).x == Approx(2.0).epsilon(0.01));
  CollisionFreeSpeedModel c;  // first order: the new speed at once
  const std::size_t j = c.add_agent(a);
  c.step(0.05);
  c.set_desired_speed(j, 0.5);
  c.step(0.05);
  CHECK(c.velocity(j).x == Approx(0.5).margin(1e-9));
}
