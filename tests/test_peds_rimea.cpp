// RiMEA test cases (RiMEA 3.0, annex 2) on PedWorld: one TEST_CASE per case, asserting
// its criterion. Test 9 runs scaled (see kScaledPopulation) to keep the file fast.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "hqdrill/peds/rimea.hpp"
#include "hqdrill/peds/world.hpp"

using namespace hqdrill::peds;

TEST_CASE("RiMEA test 1: one pedestrian walks 40 m of corridor in 26 to 34 s", "[peds][rimea]") {
  const RimeaResult r = rimea_test1();
  INFO(r.note);
  CHECK(r.measured >= 26.0);
  CHECK(r.measured <= 34.0);
  CHECK(r.measured == Approx(40.0 / 1.33).margin(1.0));  // free walking plus acceleration
  CHECK(r.pass);
}

TEST_CASE("RiMEA test 5: ten persons start to walk at their reaction times 10, 20, ..., 100 s",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test5();
  INFO(r.note);
  CHECK(r.measured <= 0.2);  // largest |observed start - reaction time| (s)
  CHECK(r.pass);
}

TEST_CASE("RiMEA test 6: 20 pedestrians go round a left corner without passing through walls",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test6();
  INFO(r.note);
  CHECK(r.measured == 20);
  CHECK(r.pass);
}

TEST_CASE("RiMEA test 7: 50 adults walk at speeds that follow the age-speed distribution",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test7();
  INFO(r.note);
  CHECK(r.measured < 1.36 / std::sqrt(50.0));  // Kolmogorov-Smirnov D, 5 % level
  CHECK(r.pass);
}

TEST_CASE("Adult walking speeds: a fixed seed gives fixed speeds; the sample fits its CDF",
          "[peds][rimea]") {
  const std::vector<double> a = sample_adult_walking_speeds(2000, 11);
  CHECK(a == sample_adult_walking_speeds(2000, 11));
  CHECK(a != sample_adult_walking_speeds(2000, 12));
  CHECK(adult_walking_speed_mean_mps(20) == Approx(1.60));
  CHECK(adult_walking_speed_mean_mps(45) == Approx(0.5 * (1.48 + 1.41)));
  CHECK(adult_walking_speed_cdf(0.0) == Approx(0.0).margin(1e-6));
  CHECK(adult_walking_speed_cdf(3.0) == Approx(1.0).margin(1e-9));
  double mean = 0;
  for (double v : a) mean += v / static_cast<double>(a.size());
  // Mean of the age-mean curve over 20..80 (trapezoids of the table): 1.315 m/s.
  CHECK(mean == Approx(1.315).margin(0.02));
  std::vector<double> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  double d = 0;
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    const double f = adult_walking_speed_cdf(sorted[k]);
    const double n = static_cast<double>(sorted.size());
    d = std::max({d, static_cast<double>(k + 1) / n - f, f - static_cast<double>(k) / n});
  }
  CHECK(d < 1.36 / std::sqrt(2000.0));
}

// Scaled to 300 persons to keep the [rimea] group near 8 s of CPU: the published 1000 cost
// about 10 s alone with the collision-free speed model (ratio 1.90, T4 175 s, T2 332 s,
// 2026-11-28); `hqdrill verify peds` runs the published case. 300: ratio 1.97.
TEST_CASE("RiMEA test 9: closing two of four exits roughly doubles the evacuation time of 300",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test9(300);
  INFO(r.note);
  CHECK(r.id == "9 (scaled)");
  CHECK(r.measured >= 1.5);  // band 1.5..2.5: implementers' choice, not the guideline's
  CHECK(r.measured <= 2.5);
  CHECK(r.pass);
}

TEST_CASE("RiMEA test 10: every one of 23 persons leaves by the exit assigned to it",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test10();
  INFO(r.note);
  CHECK(r.measured == 23);
  CHECK(r.pass);
}

TEST_CASE(
    "RiMEA test 11: 1000 persons first head for the nearer of two exits; queues send some "
    "to the other",
    "[peds][rimea]") {
  const RimeaResult r = rimea_test11();
  INFO(r.note);
  CHECK(r.measured > 0.5);  // share choosing the nearer exit at the start (no queue yet)
  CHECK(r.pass);            // and at least one person left by the far exit, all out
}

// Failed with the social-force model (its door flow grows with the crowd's pressure, so
// the first door passed more than the unpressed exit behind it let out: a queue of about
// 12 persons stood at the exit for 50 s) and was tagged [!mayfail]. With the
// collision-free speed model the first door meters the flow: peak density 5.0 /m2 at the
// door, 1.0 /m2 at the exit (ratio 5 against the criterion's 2; 2026-11-28).
TEST_CASE("RiMEA test 12: congestion forms in front of a 1 m door and not at the exit behind it",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test12();
  INFO(r.note);
  CHECK(r.measured > 2.0);  // peak density in front of the door / at the exit
  CHECK(r.pass);
}

TEST_CASE("RiMEA test 13: people slow down on an upward stair and jam at its foot",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test13();
  INFO(r.note);
  CHECK(r.measured >= 0.05);  // corridor flow - stair flow (p/s)
  CHECK(r.pass);
}

TEST_CASE("RiMEA test 15: a corridor with a corner empties between a short and a long one",
          "[peds][rimea]") {
  const RimeaResult r = rimea_test15();
  INFO(r.note);
  CHECK(r.pass);
}

namespace {
Ring box(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}
}  // namespace

TEST_CASE("PedWorld: a pre-movement delay shifts the exit by the delay; a closed exit holds",
          "[peds][rimea]") {
  // Corridor 10 m x 4 m, exit across x = 10. Two agents side by side 2 m apart (no
  // interaction to speak of), the second waits 5 s.
  const WalkableArea hall{"hall", box(0, 0, 10, 4), {}, {{"end", {{10, 0}, {10, 4}}, true}}};
  {
    PedWorld w({hall}, {{0, "end"}});
    w.add_agent({{1, 1}, 1.34, 0.2, 0.0, 0.0});
    w.add_agent({{1, 3}, 1.34, 0.2, 0.0, 5.0});
    REQUIRE(w.run(0.01, 60));
    const auto& r = w.records();
    CHECK(r[0].start_s == 0.0);
    CHECK(r[1].start_s == Approx(5.0));
    CHECK(r[1].exit_s - r[0].exit_s == Approx(5.0).margin(0.05));
    CHECK(r[0].path_m == Approx(9.0).margin(0.05));
    CHECK(r[1].path_m == Approx(r[0].path_m).margin(0.05));
    CHECK(w.evacuation_time_s() == r[1].exit_s);
  }
  {
    PedWorld w({hall}, {{0, "end"}});
    w.add_agent({{1, 2}, 1.34, 0.2, 0.0, 0.0});
    w.schedule_door({2.0, 0, "end", false});  // closes while the agent is mid-way
    CHECK_FALSE(w.run(0.01, 30));
    CHECK(w.remaining() == 1);
    CHECK(w.position(0).x < 10.0);
    CHECK(w.evacuation_time_s() == -1.0);
  }
}

TEST_CASE(
    "PedWorld: an agent assigned to the far exit walks past the near one and is recorded there",
    "[peds][rimea]") {
  // Hall 20 m x 4 m, exits across both ends; the agent stands 5 m from the west end.
  const WalkableArea hall{"hall",
                          box(0, 0, 20, 4),
                          {},
                          {{"west", {{0, 0}, {0, 4}}, true}, {"east", {{20, 0}, {20, 4}}, true}}};
  PedWorld w({hall}, {{0, "west"}, {0, "east"}});
  PedSpec free_agent;
  free_agent.position = {5, 1};
  PedSpec assigned = free_agent;
  assigned.position = {5, 3};
  assigned.exit = 1;
  w.add_agent(free_agent);
  w.add_agent(assigned);
  CHECK(w.target_exit(0) == -1);
  CHECK(w.target_exit(1) == 1);
  REQUIRE(w.run(0.02, 60));
  CHECK(w.records()[0].exit == 0);  // nearest
  CHECK(w.records()[1].exit == 1);  // assigned
  CHECK(w.records()[1].path_m == Approx(15.0).margin(0.1));
}

TEST_CASE("PedWorld: an area's speed factor scales the desired speed of the agents in it",
          "[peds][rimea]") {
  // Corridor 30 m x 2 m: level x 0..10, a 'stair' at half speed x 10..20, level x 20..30.
  WalkableArea level1{"level1", box(0, 0, 10, 2), {}, {{"a", {{10, 0}, {10, 2}}, true}}};
  WalkableArea stair{"stair", box(10, 0, 20, 2), {}, {{"b", {{20, 0}, {20, 2}}, true}}};
  stair.speed_factor = 0.5;
  WalkableArea level2{"level2", box(20, 0, 30, 2), {}, {{"end", {{30, 0}, {30, 2}}, true}}};
  PedWorld w({level1, stair, level2}, {{2, "end"}});
  PedSpec p;
  p.position = {1, 1};
  w.add_agent(p);
  double t_in = -1, t_out = -1, v_mid = 0;
  while (w.remaining() > 0 && w.time_s() < 60) {
    w.step(0.01);
    const double x = w.out(0) ? 30.0 : w.position(0).x;
    if (t_in < 0 && x >= 12) t_in = w.time_s();
    if (t_out < 0 && x >= 18) t_out = w.time_s();
    if (x > 14.9 && x < 15.1) v_mid = norm(w.velocity(0));
  }
  REQUIRE(w.remaining() == 0);
  CHECK(v_mid == Approx(0.67).margin(0.01));
  CHECK(6.0 / (t_out - t_in) == Approx(0.67).margin(0.01));
  CHECK(w.records()[0].path_m == Approx(29.0).margin(0.05));
}
