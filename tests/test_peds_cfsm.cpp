// Collision-free speed model (Tordeux, Chraibi and Seyfried 2016; cfsm.hpp): hand-calculated
// cases of its speed law, walls, corners, the periodic seam and determinism.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

#include "hqdrill/peds/cfsm.hpp"
#include "hqdrill/peds/model.hpp"
#include "hqdrill/peds/social_force.hpp"

using hqdrill::peds::AgentSpec;
using hqdrill::peds::CfsmParams;
using hqdrill::peds::CollisionFreeSpeedModel;
using hqdrill::peds::OperationalModel;
using hqdrill::peds::Segment;
using hqdrill::peds::SocialForceModel;
using hqdrill::peds::Vec2;

namespace {

AgentSpec walker(Vec2 pos, Vec2 goal) {
  AgentSpec a;
  a.position = pos;
  a.goal = goal;
  return a;
}

// goal == position: no desired direction, so a CFSM agent stands still.
AgentSpec standing(Vec2 pos) {
  AgentSpec a = walker(pos, pos);
  a.remove_at_goal = false;
  return a;
}

bool all_finite(const OperationalModel& m) {
  for (std::size_t i = 0; i < m.size(); ++i) {
    const Vec2 p = m.position(i), v = m.velocity(i);
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(v.x) || !std::isfinite(v.y))
      return false;
  }
  return true;
}

double min_pair_distance(const OperationalModel& m) {
  double best = 1e300;
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = i + 1; j < m.size(); ++j)
      if (m.active(i) && m.active(j)) best = std::min(best, norm(m.position(i) - m.position(j)));
  return best;
}

}  // namespace

TEST_CASE("a lone CFSM agent walks at its desired speed from the first step", "[peds][cfsm]") {
  CollisionFreeSpeedModel m;
  const std::size_t i = m.add_agent(walker({0, 0}, {10, 0}));
  m.step(0.05);
  // No neighbour ahead: V = v0 = 1.34 m/s at once (first order, no relaxation).
  CHECK(m.velocity(i).x == 1.34);
  CHECK(m.velocity(i).y == 0.0);
  CHECK(m.position(i).x == Approx(0.067).epsilon(1e-12));
  CHECK(m.elapsed_us() == 50000);
  for (int s = 0; s < 200 && m.active(i); ++s) m.step(0.05);
  // Removed within the goal radius 0.5 m of x = 10: 9.5 m at 0.067 m per step = 142 steps.
  CHECK_FALSE(m.active(i));
  CHECK(m.exit_time_us(i) == 142 * 50000);
}

TEST_CASE("an agent behind a standing one at centre distance s walks at (s - l) / T",
          "[peds][cfsm]") {
  const double t_gap = CfsmParams{}.time_gap_s, l = 0.4;  // l = r_i + r_j = 0.2 + 0.2
  for (const double s : {0.7, 1.0, 1.1}) {
    CollisionFreeSpeedModel m;
    const std::size_t front = m.add_agent(standing({5, 0}));
    const std::size_t back = m.add_agent(walker({5 - s, 0}, {20, 0}));
    m.step(0.01);
    INFO("s = " << s);
    // The repulsion of the one ahead is collinear with e0, so e stays (1, 0) exactly.
    CHECK(m.direction(back).x == 1.0);
    CHECK(m.direction(back).y == 0.0);
    CHECK(m.velocity(back).x == Approx((s - l) / t_gap).epsilon(1e-12));
    CHECK(m.velocity(front).x == 0.0);
    CHECK(m.position(front).x == 5.0);
  }
  // Beyond l + v0 T = 0.4 + 1.34 x 0.55 = 1.137 m the speed is capped at v0.
  CollisionFreeSpeedModel far;
  far.add_agent(standing({5, 0}));
  const std::size_t back = far.add_agent(walker({3.7, 0}, {20, 0}));
  far.step(0.01);
  CHECK(far.velocity(back).x == 1.34);
}

TEST_CASE("an agent closing on a standing one stops at l and never overlaps it", "[peds][cfsm]") {
  // Pure speed law (no repulsion): the gap shrinks by the factor (1 - dt/T) each step and
  // tends to l = 0.4 m from above.
  CfsmParams pure;
  pure.neighbor_repulsion = 0;
  CollisionFreeSpeedModel m(pure);
  m.add_agent(standing({5, 0}));
  const std::size_t back = m.add_agent(walker({3, 0}, {20, 0}));
  double closest = 1e9;
  for (int s = 0; s < 600; ++s) {  // 30 s
    m.step(0.05);
    closest = std::min(closest, 5 - m.position(back).x);
  }
  CHECK(closest >= 0.4);
  CHECK(5 - m.position(back).x == Approx(0.4).margin(1e-3));
  CHECK(m.velocity(back).x < 1e-2);

  // With JuPedSim's repulsion a = 8, D = 0.1 m the last of a queue is pushed back once closer
  // than l + D ln(a) = 0.608 m: it hovers there, never closer than l.
  CollisionFreeSpeedModel d;
  d.add_agent(standing({5, 0}));
  const std::size_t b2 = d.add_agent(walker({3, 0}, {20, 0}));
  double lo = 1e9, hi = 0;
  for (int s = 0; s < 600; ++s) {
    d.step(0.05);
    if (s >= 400) {
      lo = std::min(lo, 5 - d.position(b2).x);
      hi = std::max(hi, 5 - d.position(b2).x);
    }
  }
  CHECK(lo > 0.4);
  CHECK(lo > 0.6);                         // measured 0.602
  CHECK(hi < 0.608 + 1.34 * 0.05 + 1e-9);  // measured 0.669
}

TEST_CASE("a neighbour hidden behind a wall does not slow a CFSM agent", "[peds][cfsm]") {
  // Standing agent 0.8 m ahead: without the wall the follower walks at (0.8 - 0.4)/T.
  CollisionFreeSpeedModel open, walled;
  for (CollisionFreeSpeedModel* m : {&open, &walled}) {
    m->add_agent(standing({1.3, 0}));
    m->add_agent(walker({0.5, 0}, {20, 0}));
  }
  walled.add_wall({{1, -1}, {1, 1}});
  open.step(0.01);
  walled.step(0.01);
  CHECK(open.velocity(1).x == Approx(0.4 / CfsmParams{}.time_gap_s));
  // The wall hides the standing agent: speed v0 (the wall term 5 exp(-15) bends nothing).
  CHECK(norm(walled.velocity(1)) == Approx(1.34));
}

TEST_CASE("a CFSM crowd pushing into a wall for 1000 steps never crosses it", "[peds][cfsm]") {
  CollisionFreeSpeedModel m;
  m.set_walls({{{-100, 0}, {100, 0}}});  // long: no way around
  for (int k = 0; k < 40; ++k) {
    AgentSpec a = walker({-2.0 + 0.5 * (k % 8), 0.3 + 0.5 * (k / 8)}, {0.3 * (k % 3), -10});
    a.remove_at_goal = false;
    m.add_agent(a);
  }
  double lowest = 1e9;
  for (int s = 0; s < 1000; ++s) {
    m.step(0.05);
    for (std::size_t i = 0; i < m.size(); ++i) lowest = std::min(lowest, m.position(i).y);
  }
  CHECK(all_finite(m));
  CHECK(lowest > 0.0);
  // The wall term turns an agent away at r + D_w ln(a_w) = 0.23 m from the wall, but walls are
  // not in the spacing (JuPedSim): pushed by those behind, a centre can come one step
  // v0 dt = 0.067 m closer than r before it turns, never further.
  CHECK(lowest > 0.2 - 1.34 * 0.05 - 1e-9);
  CHECK(min_pair_distance(m) > 0.3);
}

TEST_CASE("CFSM agents walking past a convex corner slide around it and all arrive",
          "[peds][cfsm]") {
  // An L-shaped corridor: along x (y 0..2) to x 8..10, then up (x 8..10) to y = 10. The goal
  // (9, 9) is aimed at directly, so every agent first runs diagonally into the upper wall
  // y = 2 and must slide along it and round the corner at (8, 2).
  CollisionFreeSpeedModel m;
  m.set_walls({{{0, 0}, {10, 0}},
               {{10, 0}, {10, 10}},
               {{0, 2}, {8, 2}},
               {{8, 2}, {8, 10}},
               {{0, 0}, {0, 2}}});
  for (int k = 0; k < 12; ++k)
    m.add_agent(walker({0.5 + 0.6 * (k / 3), 0.5 + 0.5 * (k % 3)}, {9, 9}));
  int steps = 0;
  while (m.active_count() > 0 && steps < 1200) {  // 60 s
    m.step(0.05);
    ++steps;
    for (std::size_t i = 0; i < m.size(); ++i) {
      if (!m.active(i)) continue;
      const Vec2 p = m.position(i);
      // Inside the L at every step.
      REQUIRE(p.y > 0);
      REQUIRE(p.x < 10);
      REQUIRE((p.y < 2 || p.x > 8));
    }
  }
  CHECK(m.active_count() == 0);
  CHECK(all_finite(m));
  // 8 m along plus 7 m up at about 1.34 m/s: well under a minute.
  CHECK(steps < 800);
}

TEST_CASE("two CFSM agents meeting head-on pass without overlap", "[peds][cfsm]") {
  CollisionFreeSpeedModel m;
  m.add_agent(walker({0, 0}, {10, 0.05}));
  m.add_agent(walker({10, 0.05}, {0, 0}));
  double closest = 1e9;
  for (int s = 0; s < 400 && m.active_count() > 0; ++s) {
    m.step(0.05);
    closest = std::min(closest, min_pair_distance(m));
  }
  CHECK(m.active_count() == 0);
  CHECK(closest > 0.4);
}

TEST_CASE("a CFSM agent without a desired direction stands still among others", "[peds][cfsm]") {
  CollisionFreeSpeedModel m;
  const std::size_t still = m.add_agent(standing({0, 0}));
  m.add_agent(standing({0.45, 0}));
  m.add_agent(standing({0, 0.45}));
  for (int s = 0; s < 20; ++s) m.step(0.05);
  CHECK(m.position(still).x == 0.0);
  CHECK(m.position(still).y == 0.0);
  CHECK(m.velocity(still).x == 0.0);
}

TEST_CASE("a CFSM agent sees the one ahead across the periodic seam", "[peds][cfsm]") {
  CollisionFreeSpeedModel m;
  m.set_periodic_x(0, 10);
  m.add_agent(standing({0.5, 1}));
  AgentSpec a = walker({9.5, 1}, {1e9, 1});
  a.remove_at_goal = false;
  const std::size_t back = m.add_agent(a);
  m.step(0.01);
  // 1.0 m apart across the seam: (1.0 - 0.4)/T, as if side by side.
  CHECK(m.velocity(back).x == Approx(0.6 / CfsmParams{}.time_gap_s).epsilon(1e-12));
  for (int s = 0; s < 2000; ++s) m.step(0.01);
  CHECK(m.position(back).x >= 0.0);
  CHECK(m.position(back).x < 10.0);
  // Still behind the standing agent, across the seam, never closer than l.
  const double gap = m.position(0).x + 10 - m.position(back).x;
  CHECK(gap > 0.4);
  CHECK(gap < 0.7);
}

TEST_CASE("the same CFSM inputs give bit-identical trajectories", "[peds][cfsm]") {
  auto run = [] {
    CollisionFreeSpeedModel m;
    m.set_walls({{{0, 0}, {10, 0}}, {{0, 4}, {10, 4}}, {{10, 0}, {10, 1.5}}, {{10, 2.5}, {10, 4}}});
    for (int k = 0; k < 60; ++k)
      m.add_agent(walker({0.5 + 0.6 * (k % 12), 0.5 + 0.6 * (k / 12)}, {12, 2}));
    for (int s = 0; s < 300; ++s) m.step(0.05);
    std::vector<double> state;
    for (std::size_t i = 0; i < m.size(); ++i) {
      state.push_back(m.position(i).x);
      state.push_back(m.position(i).y);
      state.push_back(m.velocity(i).x);
    }
    return state;
  };
  const auto a = run();
  const auto b = run();
  CHECK(a == b);
}

TEST_CASE("either walking model can be driven through the OperationalModel interface",
          "[peds][cfsm]") {
  std::vector<std::unique_ptr<OperationalModel>> models;
  models.push_back(std::make_unique<SocialForceModel>());
  models.push_back(std::make_unique<CollisionFreeSpeedModel>());
  for (const auto& m : models) {
    m->set_walls({{{-1, -1}, {20, -1}}});
    m->set_direction_provider([](std::size_t, Vec2) { return Vec2{1, 0}; });
    AgentSpec a = walker({0, 0}, {5, 0});
    a.remove_at_goal = false;
    const std::size_t i = m->add_agent(a);
    for (int s = 0; s < 100; ++s) m->step(0.05);
    CHECK(m->elapsed_s() == Approx(5.0));
    CHECK(m->position(i).x > 5.0);  // the provider, not the goal, steers
    std::vector<Vec2> pos, vel;
    std::vector<std::uint32_t> ids;
    m->collect_active(pos, vel, ids);
    REQUIRE(ids.size() == 1);
    CHECK(pos[0].x == m->position(i).x);
    m->deactivate(i);
    CHECK(m->active_count() == 0);
  }
}
