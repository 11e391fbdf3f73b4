// PedWorld dwell points (hqdrill/peds/world.hpp): people sent to a place walk there and
// stay, are not counted out at an exit they pass, and go on to the exits when released
// (the waiting crowd of the crowd-complaint incident, docs/design/crowd-complaint.md).
#include <catch2/catch.hpp>
#include <cmath>

#include "hqdrill/peds/world.hpp"

using namespace hqdrill::peds;

namespace {

/// A 10 m x 10 m room with a 1 m exit on its west wall at y 4.5..5.5.
PedWorld room_world() {
  WalkableArea room{
      "room", {{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {}, {{"exit", {{0, 4.5}, {0, 5.5}}, true}}};
  return PedWorld({room}, {{0, "exit"}});
}

}  // namespace

TEST_CASE("people sent to a dwell point gather round it and stay", "[peds]") {
  PedWorld w = room_world();
  const std::size_t spot = w.add_dwell_point({8, 8});
  for (int k = 0; k < 12; ++k) {
    PedSpec p;
    p.position = {1.0 + 0.6 * (k % 4), 2.0 + 0.6 * (k / 4)};  // near the exit
    const std::size_t i = w.add_agent(p);
    w.set_dwell(i, static_cast<int>(spot));
  }
  w.run(0.05, 60);
  CHECK(w.remaining() == 12);  // nobody out
  for (std::size_t i = 0; i < w.size(); ++i) {
    // Twelve spots of a 1 m lattice round the point (dwell_density_pm2 = 1): the 9 of the
    // first ring and 3 of the second, all within 2 x sqrt(2) = 2.83 m; each person at rest
    // on its own spot.
    CHECK(norm(w.position(i) - Vec2{8, 8}) < 2.83 + 0.2);
    INFO("agent " << i << " at " << w.position(i).x << ", " << w.position(i).y << " v "
                  << w.velocity(i).x << ", " << w.velocity(i).y);
    CHECK(norm(w.velocity(i)) < 0.3);
  }
}

TEST_CASE("someone walking to a dwell point past an exit is not counted out", "[peds]") {
  PedWorld w = room_world();
  const std::size_t spot = w.add_dwell_point({0.6, 8});  // along the exit wall
  PedSpec p;
  p.position = {0.6, 1.0};  // walks north along the wall, past the exit span at x = 0
  const std::size_t i = w.add_agent(p);
  w.set_dwell(i, static_cast<int>(spot));
  w.run(0.05, 20);
  CHECK_FALSE(w.out(i));
  CHECK(norm(w.position(i) - Vec2{0.6, 8}) <= 0.15 + 0.05);  // on its spot, the point
}

TEST_CASE("people released from a dwell point leave by the exits", "[peds]") {
  PedWorld w = room_world();
  const std::size_t spot = w.add_dwell_point({8, 8});
  for (int k = 0; k < 6; ++k) {
    PedSpec p;
    p.position = {7.0 + 0.6 * (k % 3), 7.0 + 0.6 * (k / 3)};
    w.set_dwell(w.add_agent(p), static_cast<int>(spot));
  }
  w.run(0.05, 10);
  CHECK(w.remaining() == 6);
  for (std::size_t i = 0; i < w.size(); ++i) w.set_dwell(i, -1);
  CHECK(w.run(0.05, 60));  // everyone out: about 11 m to the door, then six through 1 m
  for (std::size_t i = 0; i < w.size(); ++i) CHECK(w.records()[i].exit_s > 10.0);
}
