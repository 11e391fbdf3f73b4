// Walkable areas, doors, the fast-marching floor field and queue-aware exit choice.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "hqdrill/peds/floor_field.hpp"
#include "hqdrill/peds/geometry.hpp"

using namespace hqdrill::peds;

namespace {

Ring rect(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

bool same(const Segment& s, Vec2 a, Vec2 b) {
  auto eq = [](Vec2 p, Vec2 q) { return norm(p - q) < 1e-9; };
  return (eq(s.a, a) && eq(s.b, b)) || (eq(s.a, b) && eq(s.b, a));
}

bool has_segment(const std::vector<Segment>& walls, Vec2 a, Vec2 b) {
  return std::any_of(walls.begin(), walls.end(), [&](const Segment& s) { return same(s, a, b); });
}

// Total wall length lying on the bottom edge strictly between x = lo and x = hi.
double wall_length_between(const std::vector<Segment>& walls, double lo, double hi) {
  double len = 0;
  for (const Segment& s : walls) {
    if (std::abs(s.a.y) > 1e-9 || std::abs(s.b.y) > 1e-9) continue;
    const double a = std::max(std::min(s.a.x, s.b.x), lo), b = std::min(std::max(s.a.x, s.b.x), hi);
    if (b > a) len += b - a;
  }
  return len;
}

constexpr double kH = 0.25;  // grid spacing used throughout, metres

}  // namespace

TEST_CASE("a point inside the hole of a polygon is not inside the polygon", "[peds]") {
  const Polygon p{rect(0, 0, 10, 10), {rect(4, 4, 6, 6)}};
  CHECK(contains(p, {1, 1}));
  CHECK(contains(p, {5, 3}));
  CHECK_FALSE(contains(p, {5, 5}));   // in the hole
  CHECK_FALSE(contains(p, {11, 5}));  // outside the outline
  CHECK_FALSE(contains(p, {-0.1, 5}));
  const WalkableArea a{"yard", rect(0, 0, 10, 10), {rect(4, 4, 6, 6)}, {}};
  CHECK(a.contains({9.5, 9.5}));
  CHECK_FALSE(a.contains({4.5, 5.5}));
}

TEST_CASE("an open door is a gap in the walls and a closed door is a wall", "[peds]") {
  WalkableArea a{"hall", rect(0, 0, 10, 10), {rect(4, 4, 6, 6)}, {{"g1", {{6, 0}, {4, 0}}, true}}};
  REQUIRE(validate(a).empty());

  auto open = a.walls();
  CHECK(open.size() == 3 + 2 + 4);  // 3 whole outline edges, bottom edge in two, 4 hole edges
  CHECK(has_segment(open, {0, 0}, {4, 0}));
  CHECK(has_segment(open, {6, 0}, {10, 0}));
  CHECK(wall_length_between(open, 4, 6) == Approx(0.0).margin(1e-12));
  CHECK(has_segment(open, {4, 4}, {6, 4}));  // hole edges are walls

  REQUIRE(a.set_door_open("g1", false));
  auto closed = a.walls();
  CHECK(closed.size() == 3 + 3 + 4);
  CHECK(has_segment(closed, {4, 0}, {6, 0}));  // the closed door as its own segment
  CHECK(wall_length_between(closed, 4, 6) == Approx(2.0));
  CHECK_FALSE(a.set_door_open("nope", true));
}

TEST_CASE("validation names a door off the outline and crossing edges", "[peds]") {
  WalkableArea a{"hall", rect(0, 0, 10, 10), {}, {{"g1", {{4, 0.5}, {6, 0.5}}, true}}};
  CHECK(validate(a) ==
        std::vector<std::string>{
            "area \"hall\": door \"g1\" does not lie on the outline or a hole edge"});

  WalkableArea bow{"bow", {{0, 0}, {10, 10}, {10, 0}, {0, 8}}, {}, {}};
  CHECK(validate(bow) == std::vector<std::string>{"area \"bow\": outline edges 0 and 2 cross"});

  WalkableArea out{"x", rect(0, 0, 10, 10), {rect(8, 8, 12, 9)}, {}};
  const auto errs = validate(out);
  CHECK(std::find(errs.begin(), errs.end(), "area \"x\": outline and hole 0 cross") != errs.end());

  WalkableArea two{
      "y", rect(0, 0, 10, 10), {}, {{"d", {{0, 1}, {0, 2}}, true}, {"d", {{0, 3}, {0, 4}}, true}}};
  CHECK(validate(two) == std::vector<std::string>{"area \"y\": duplicate door \"d\""});
}

TEST_CASE("the floor field to a straight exit line is the Euclidean distance within one cell",
          "[peds]") {
  // Empty 20 m x 10 m room, exit along the whole right side x = 20. A first-order FMM is
  // exact for a plane front, so the tolerance of one cell (0.25 m) is generous.
  const std::vector<WalkableArea> areas{{"room", rect(0, 0, 20, 10), {}, {}}};
  const FloorField f(areas, {{{20, 0}, {20, 10}}}, {kH});
  double worst = 0;
  for (int j = 0; j < f.ny(); ++j)
    for (int i = 0; i < f.nx(); ++i) {
      if (!f.walkable(i, j)) continue;
      const Vec2 c = f.cell_centre(i, j);
      worst = std::max(worst, std::abs(f.cell_distance(i, j) - (20 - c.x)));
    }
  CHECK(worst <= kH);
  for (Vec2 p : {Vec2{0.3, 0.3}, Vec2{5.1, 7.77}, Vec2{19.9, 9.9}, Vec2{12.34, 5.0}})
    CHECK(f.distance(p) == Approx(20 - p.x).margin(kH));
  const Vec2 d = f.direction({5.1, 7.77});
  CHECK(d.x == Approx(1).margin(1e-6));
  CHECK(d.y == Approx(0).margin(1e-6));
  CHECK(norm(f.direction({20, 5})) == 0);                  // at the goal
  CHECK(f.distance({30, 5}) == FloorField::kUnreachable);  // off the grid
}

TEST_CASE("the floor field to a point goal is the Euclidean distance within one cell", "[peds]") {
  const std::vector<WalkableArea> areas{{"room", rect(0, 0, 20, 10), {}, {}}};
  const FloorField f(areas, {{{10, 5}, {10, 5}}}, {kH});
  for (Vec2 p : {Vec2{0.5, 0.5}, Vec2{19.5, 9.5}, Vec2{14, 8}, Vec2{10, 1}})
    CHECK(f.distance(p) == Approx(norm(p - Vec2{10, 5})).margin(kH));
}

TEST_CASE("the floor field goes around the end of a wall", "[peds]") {
  // Room 20 m x 10 m, exit along x = 20, a 0.5 m thick wall at x 10..10.5, y 1..9.
  // From (5, 5) the way out is to the wall's corner (10, 9), along its end to
  // (10.5, 9), then straight to the exit: sqrt(5² + 4²) + 0.5 + 9.5 = 16.403 m
  // (symmetric via the bottom end). Tolerance two cells.
  const std::vector<WalkableArea> areas{{"room", rect(0, 0, 20, 10), {rect(10, 1, 10.5, 9)}, {}}};
  const FloorField f(areas, {{{20, 0}, {20, 10}}}, {kH});
  const double expected = std::sqrt(41.0) + 0.5 + 9.5;
  CHECK(f.distance({5, 5}) == Approx(expected).margin(2 * kH));
  CHECK(f.distance({5, 5}) > 15 + 1);  // clearly not the straight line through the wall
  CHECK(f.distance({15, 5}) == Approx(5).margin(kH));  // in front of the wall: straight
}

TEST_CASE("a door closed mid-run reroutes the field through the other door", "[peds]") {
  // Rooms A (0..10) and B (10..20) share the wall x = 10 with doors d1 (y 4..6) and
  // d2 (y 8.5..9.5), listed in A only. Exit along x = 20. From (5, 5):
  //   both open:  straight through d1, 15 m;
  //   d1 closed:  to d2's lower jamb (10, 8.5) then straight, sqrt(25 + 3.5²) + 10 = 16.103 m;
  //   both closed: unreachable.
  std::vector<WalkableArea> areas{
      {"A",
       rect(0, 0, 10, 10),
       {},
       {{"d1", {{10, 4}, {10, 6}}, true}, {"d2", {{10, 8.5}, {10, 9.5}}, true}}},
      {"B", rect(10, 0, 20, 10), {}, {}}};
  REQUIRE(validate(areas[0]).empty());
  FloorField f(areas, {{{20, 0}, {20, 10}}}, {kH});
  const Vec2 p{5, 5};
  CHECK(f.distance(p) == Approx(15).margin(kH));
  CHECK(f.direction(p).x == Approx(1).margin(1e-6));

  areas[0].set_door_open("d1", false);
  f.rebuild(areas);
  CHECK(f.distance(p) == Approx(std::sqrt(25 + 3.5 * 3.5) + 10).margin(2 * kH));
  const Vec2 d = f.direction(p);
  CHECK(d.x > 0.5);
  CHECK(d.y > 0.4);  // heading up toward d2 (the exact heading is (5, 3.5)/6.1)

  areas[0].set_door_open("d2", false);
  f.rebuild(areas);
  CHECK(f.distance(p) == FloorField::kUnreachable);
  CHECK(norm(f.direction(p)) == 0);
  CHECK(f.distance({15, 5}) == Approx(5).margin(kH));  // B still drains
}

TEST_CASE("direction is never NaN and is unit or zero everywhere, blocked cells included",
          "[peds]") {
  std::vector<WalkableArea> areas{
      {"A", rect(0, 0, 10, 10), {rect(3, 3, 4, 7)}, {{"d1", {{10, 4}, {10, 6}}, false}}},
      {"B", {{10, 0}, {20, 0}, {20, 10}, {15, 6}, {10, 10}}, {}, {}}};
  const FloorField f(areas, {{{20, 0}, {20, 10}}, {{2, 2}, {2, 2}}}, {kH, 0.3, 0.5});
  int unit = 0;
  for (double y = -1; y <= 11; y += kH / 3)
    for (double x = -1; x <= 21; x += kH / 3) {
      const Vec2 d = f.direction({x, y});
      const double dist = f.distance({x, y});
      REQUIRE(std::isfinite(d.x));
      REQUIRE(std::isfinite(d.y));
      REQUIRE_FALSE(std::isnan(dist));
      const double n = norm(d);
      REQUIRE((n == 0 || std::abs(n - 1) < 1e-9));
      if (n > 0) ++unit;
    }
  CHECK(unit > 1000);
  // Exact cell centres, including blocked ones (the hole, outside B's notch).
  for (int j = 0; j < f.ny(); ++j)
    for (int i = 0; i < f.nx(); ++i) {
      const Vec2 d = f.direction(f.cell_centre(i, j));
      REQUIRE(std::isfinite(d.x));
      REQUIRE(std::isfinite(d.y));
    }
}

TEST_CASE("the exit choice takes the nearer exit and leaves it for a long queue", "[peds]") {
  // v0 = 1.34 m/s, SFPE maximum specific flow 1.3 p/(s·m), both exits 1 m wide,
  // hysteresis 2 s. Walking times: A 10 m -> 7.463 s, B 20 m -> 14.925 s.
  const ExitChoiceParams params;
  std::vector<ExitEstimate> exits{{10, 1, 0}, {20, 1, 0}};
  CHECK(exit_cost_s(exits[0], params) == Approx(10 / 1.34));
  CHECK(choose_exit(exits, -1, params) == 0);

  // 12 queueing at A: 7.463 + 12 / 1.3 = 16.694 s; B 14.925 s is better by 1.77 s,
  // less than the 2 s hysteresis: an agent heading for A stays, a new one takes B.
  exits[0].queue_persons = 12;
  CHECK(exit_cost_s(exits[0], params) == Approx(10 / 1.34 + 12 / 1.3));
  CHECK(choose_exit(exits, 0, params) == 0);
  CHECK(choose_exit(exits, -1, params) == 1);

  // 14 queueing: 7.463 + 10.769 = 18.232 s, now 3.31 s worse than B: switch.
  exits[0].queue_persons = 14;
  CHECK(choose_exit(exits, 0, params) == 1);

  // 9 queueing: A 14.386 s beats B by 0.54 s; an agent already going to B keeps B.
  exits[0].queue_persons = 9;
  CHECK(choose_exit(exits, -1, params) == 0);
  CHECK(choose_exit(exits, 1, params) == 1);

  // A wider exit drains faster: 14 at a 2 m exit is 5.385 s of queue, 12.848 s in all.
  exits[0] = {10, 2, 14};
  CHECK(choose_exit(exits, 1, params) == 0);

  exits = {{FloorField::kUnreachable, 1, 0}, {20, 1, 0}};
  CHECK(choose_exit(exits, 0, params) == 1);  // a closed exit is left at once
  exits[1].distance_m = FloorField::kUnreachable;
  CHECK(choose_exit(exits, 1, params) == -1);

  const std::vector<Vec2> crowd{{19, 5}, {19.5, 2}, {15, 5}, {20.5, 9.9}};
  CHECK(queue_near({{20, 0}, {20, 10}}, crowd, 1.5) == 3);
}
