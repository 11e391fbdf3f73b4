// Measurement areas and lines (measure.hpp): hand-calculated cases.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "hqdrill/peds/measure.hpp"
#include "hqdrill/peds/social_force.hpp"

using hqdrill::peds::AgentSpec;
using hqdrill::peds::line_pressure;
using hqdrill::peds::MeasurementSet;
using hqdrill::peds::Segment;
using hqdrill::peds::SocialForceModel;
using hqdrill::peds::Vec2;

namespace {

// Agents moving in straight lines at constant velocity, observed every dt from t = 0.
struct Walker {
  Vec2 start, velocity;
};

void replay(MeasurementSet& ms, const std::vector<Walker>& walkers, double dt, int frames) {
  std::vector<Vec2> pos(walkers.size()), vel(walkers.size());
  std::vector<std::uint32_t> ids(walkers.size());
  for (int f = 0; f < frames; ++f) {
    const double t = f * dt;
    for (std::size_t k = 0; k < walkers.size(); ++k) {
      pos[k] = walkers[k].start + t * walkers[k].velocity;
      vel[k] = walkers[k].velocity;
      ids[k] = static_cast<std::uint32_t>(k);
    }
    ms.observe(t, pos, vel, ids);
  }
}

// A line across x = 5 from y = 2 down to y = 0: motion towards +x is positive.
const Segment kLineX5{{5, 2}, {5, 0}};

}  // namespace

TEST_CASE("three agents in a 2 m2 area give a density of 1.5 per m2 and their mean speed",
          "[peds][measure]") {
  MeasurementSet ms;
  const std::size_t a = ms.add_area("box", {{0, 0}, {2, 0}, {2, 1}, {0, 1}});
  const std::vector<Vec2> pos{{0.5, 0.5}, {1.0, 0.5}, {1.5, 0.5}, {3.0, 0.5}};
  const std::vector<Vec2> vel{{1, 0}, {0, 2}, {3, 0}, {9, 9}};  // the fourth is outside
  const std::vector<std::uint32_t> ids{0, 1, 2, 3};
  ms.observe(0.0, pos, vel, ids);
  REQUIRE(ms.area(a).area_m2() == Approx(2.0));
  const auto& s = ms.area(a).samples().at(0);
  CHECK(s.count == 3);
  CHECK(s.density_pm2 == Approx(1.5));
  CHECK(s.mean_speed_mps == Approx(2.0));  // (1 + 2 + 3) / 3
  CHECK(s.mean_velocity_mps.x == Approx(4.0 / 3));
  CHECK(s.mean_velocity_mps.y == Approx(2.0 / 3));
}

TEST_CASE("an area summary averages density over all samples and speed over occupied ones",
          "[peds][measure]") {
  // Triangle of area 4 m2; one agent inside at t = 0 and 1, none at t = 2, two at t = 3.
  MeasurementSet ms;
  const std::size_t a = ms.add_area("tri", {{0, 0}, {4, 0}, {0, 2}});
  REQUIRE(ms.area(a).area_m2() == Approx(4.0));
  const std::vector<std::uint32_t> one{0}, two{0, 1};
  const std::vector<Vec2> in{{1, 0.5}}, out{{3.9, 1.9}}, v1{{1, 0}};
  ms.observe(0, in, v1, one);
  ms.observe(1, in, v1, one);
  ms.observe(2, out, v1, one);
  const std::vector<Vec2> in2{{1, 0.5}, {0.5, 1}}, v2{{2, 0}, {0, 2}};
  ms.observe(3, in2, v2, two);
  const auto sum = ms.area(a).summary(0, 3);
  CHECK(sum.samples == 4);
  CHECK(sum.occupied == 3);
  CHECK(sum.density_pm2 == Approx((0.25 + 0.25 + 0 + 0.5) / 4));
  CHECK(sum.speed_mps == Approx((1 + 1 + 2) / 3.0));
  // rho * v_x: 0.25 * 1, 0.25 * 1, 0, 0.5 * 1 (mean velocity (1, 1)).
  CHECK(sum.specific_flow_psm == Approx((0.25 + 0.25 + 0 + 0.5) / 4));
  CHECK(ms.area(a).summary(2, 2).occupied == 0);
}

TEST_CASE("agents crossing a line are counted with direction and interpolated times",
          "[peds][measure]") {
  MeasurementSet ms;
  const std::size_t l = ms.add_line("x5", kLineX5);
  // Crosses at 0.5 s (+), at 1.0 s (+), at 1.0 s (-), and one passing beside the segment.
  replay(ms, {{{4.5, 1}, {1, 0}}, {{3, 0.5}, {2, 0}}, {{6, 1.5}, {-1, 0}}, {{4, 3}, {1, 0}}}, 0.2,
         11);
  const auto& line = ms.line(l);
  CHECK(line.normal().x == Approx(1.0));
  CHECK(line.positive_count() == 2);
  CHECK(line.negative_count() == 1);
  REQUIRE(line.crossings().size() == 3);
  const auto& c = line.crossings();
  CHECK(c[0].id == 0);
  CHECK(c[0].t_s == Approx(0.5));
  CHECK(c[0].direction == 1);
  CHECK(c[0].normal_speed_mps == Approx(1.0));
  // Agents 1 and 2 both cross in the frame (0.8, 1.0]: input order.
  CHECK(c[1].id == 1);
  CHECK(c[1].t_s == Approx(1.0));
  CHECK(c[1].normal_speed_mps == Approx(2.0));
  CHECK(c[2].id == 2);
  CHECK(c[2].direction == -1);
  CHECK(c[2].normal_speed_mps == Approx(-1.0));
  CHECK(line.cumulative(0.4) == 0);
  CHECK(line.cumulative(0.6) == 1);
  CHECK(line.cumulative(2.0) == 1);  // two in, one back
}

TEST_CASE("flow over windows and method A flow of crossings one second apart", "[peds][measure]") {
  // Agent k starts at x = 4.5 - k at 1 m/s: crossings at 0.5, 1.5, 2.5, 3.5 s.
  MeasurementSet ms;
  const std::size_t l = ms.add_line("x5", kLineX5);
  replay(ms, {{{4.5, 1}, {1, 0}}, {{3.5, 1}, {1, 0}}, {{2.5, 1}, {1, 0}}, {{1.5, 1}, {1, 0}}}, 0.1,
         51);
  const auto& line = ms.line(l);
  REQUIRE(line.positive_count() == 4);
  const auto w = line.flow_windows(0, 5, 2);
  REQUIRE(w.size() == 3);
  CHECK(w[0].positive == 2);
  CHECK(w[0].flow_per_s == Approx(1.0));           // 2 in 2 s
  CHECK(w[0].method_a_flow_per_s == Approx(2.0));  // N / (t_N - t_1) = 2 / (1.5 - 0.5)
  CHECK(w[0].mean_speed_mps == Approx(1.0));
  CHECK(w[1].flow_per_s == Approx(1.0));
  CHECK(w[2].t1_s == Approx(5.0));  // the last window is cut at t1
  CHECK(w[2].positive == 0);
  CHECK(w[2].flow_per_s == 0.0);
  CHECK(w[2].method_a_flow_per_s == 0.0);
  CHECK(line.flow_per_s(0, 4) == Approx(1.0));
  CHECK(line.steady_flow_per_s(0.0, 1.0) == Approx(1.0));  // 3 gaps in 3 s
}

TEST_CASE("an agent that stops on the line and walks on is counted once", "[peds][measure]") {
  MeasurementSet ms;
  const std::size_t l = ms.add_line("x5", kLineX5);
  const std::vector<std::uint32_t> id{7};
  const std::vector<Vec2> v{{0, 0}};
  for (const auto& [t, x] : std::vector<std::pair<double, double>>{
           {0, 4.8}, {1, 5.0}, {2, 5.0}, {3, 5.0}, {4, 5.2}, {5, 5.4}}) {
    const std::vector<Vec2> p{{x, 1}};
    ms.observe(t, p, v, id);
  }
  CHECK(ms.line(l).positive_count() == 1);
  CHECK(ms.line(l).negative_count() == 0);
  CHECK(ms.line(l).crossings().at(0).t_s == Approx(1.0));
}

TEST_CASE("jumps and gaps in an agent's track cross no line", "[peds][measure]") {
  MeasurementSet ms({.max_move_m = 1.0});
  const std::size_t l = ms.add_line("x5", kLineX5);
  const std::vector<Vec2> v{{1, 0}};
  auto frame = [&](double t, std::uint32_t id, double x) {
    const std::vector<Vec2> p{{x, 1}};
    const std::vector<std::uint32_t> i{id};
    ms.observe(t, p, v, i);
  };
  frame(0, 0, 4.0);
  frame(1, 0, 6.0);  // 2 m in one frame: a wrap, not a walk
  frame(2, 1, 4.9);  // agent 0 absent from this frame
  frame(3, 0, 4.0);  // ... and back on the other side: no crossing
  frame(4, 0, 5.5);  // 1.5 m: more than max_move_m again, not tested
  frame(5, 0, 5.0);  // back onto the line: the line itself counts as the positive side
  CHECK(ms.line(l).crossings().empty());
  frame(6, 0, 4.8);  // negative crossing, 0.2 m
  CHECK(ms.line(l).negative_count() == 1);
}

TEST_CASE("observing a social-force model records its active agents and the line pressure",
          "[peds][measure]") {
  SocialForceModel m;
  // Twelve agents in single file pressing on a closed gate at x = 0 in a 0.6 m corridor.
  m.add_wall({{0, 0}, {0, 0.6}});
  m.add_wall({{0, 0}, {10, 0}});
  m.add_wall({{0, 0.6}, {10, 0.6}});
  for (int i = 0; i < 12; ++i) {
    AgentSpec a;
    a.position = {0.45 + 0.5 * i, 0.3};
    a.goal = {-5, 0.3};
    m.add_agent(a);
  }
  MeasurementSet ms;
  const std::size_t gate = ms.add_line("gate", {{0, 0}, {0, 0.6}});
  const std::size_t area = ms.add_area("queue", {{0, 0}, {2, 0}, {2, 0.6}, {0, 0.6}});
  for (int s = 0; s < 600; ++s) {
    m.step(0.01);
    ms.observe(m);
  }
  REQUIRE(ms.line(gate).pressure().size() == 600);
  CHECK(ms.line(gate).pressure().back().pressure_n_per_m ==
        Approx(line_pressure({{0, 0}, {0, 0.6}}, m)));
  CHECK(ms.line(gate).crossings().empty());
  CHECK(ms.area(area).samples().back().count >= 4);  // the queue packs against the gate
}
