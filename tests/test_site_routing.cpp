#include <catch2/catch.hpp>

#include "hqdrill/site/router.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {
// A square with one long side:  A —100— B —100— C,  A —50— D —200— C.
// At 1 m/s on foot: A→B→C takes 200 s, A→D→C takes 250 s (hand computation).
struct Square {
  Scenario s;
  Index a, b, c, d, ab, bc, ad, dc;
  Square() {
    a = add_node(s, "A", 0, 0);
    b = add_node(s, "B", 100, 0);
    c = add_node(s, "C", 200, 0);
    d = add_node(s, "D", 0, 50);
    ab = add_edge(s, a, b, 100);
    bc = add_edge(s, b, c, 100);
    ad = add_edge(s, a, d, 50);
    dc = add_edge(s, d, c, 200);
  }
};
TravelProfile walker(double v) {
  return TravelProfile{false, v, 8.0};
}
}  // namespace

TEST_CASE("the router finds the hand-computed fastest route on foot", "[site]") {
  Square sq;
  Router r(sq.s.site);
  auto route = r.route(sq.a, sq.c, walker(1.0));
  REQUIRE(route);
  CHECK(route->nodes == std::vector<Index>{sq.a, sq.b, sq.c});
  CHECK(route->edges == std::vector<Index>{sq.ab, sq.bc});
  CHECK(route->time_s == Approx(200.0));
  CHECK(route->length_m == Approx(200.0));
}

TEST_CASE("closing an edge reroutes, reopening it restores the route", "[site]") {
  Square sq;
  Router r(sq.s.site);
  r.set_closed(sq.bc, true);
  auto detour = r.route(sq.a, sq.c, walker(1.0));
  REQUIRE(detour);
  CHECK(detour->nodes == std::vector<Index>{sq.a, sq.d, sq.c});
  CHECK(detour->time_s == Approx(250.0));
  r.set_closed(sq.bc, false);
  CHECK(r.route(sq.a, sq.c, walker(1.0))->time_s == Approx(200.0));
}

TEST_CASE("a node cut off by closed edges has no route", "[site]") {
  Square sq;
  Router r(sq.s.site);
  r.set_closed(sq.bc, true);
  r.set_closed(sq.dc, true);
  CHECK_FALSE(r.route(sq.a, sq.c, walker(1.0)));
}

TEST_CASE("a locked gate is closed from the start", "[site]") {
  Square sq;
  sq.s.site.edges[sq.bc].closed_at_start = true;
  Router r(sq.s.site);
  CHECK(r.closed(sq.bc));
  CHECK(r.route(sq.a, sq.c, walker(1.0))->time_s == Approx(250.0));
}

TEST_CASE("a vehicle drives vehicle edges under their speed cap and walks the rest", "[site]") {
  // Station S —1000 m road, capped 10 m/s— G (gate) —60 m footpath— R (room).
  // Driving at 12.5 m/s capped to 10: 100 s; walking the path at 1.5 m/s: 40 s. Total 140 s.
  Scenario s;
  const Index st = add_node(s, "S", 0, 0), g = add_node(s, "G", 1000, 0),
              room = add_node(s, "R", 1060, 0);
  add_edge(s, st, g, 1000, true, 10.0);
  add_edge(s, g, room, 60);
  Router r(s.site);
  auto route = r.route(st, room, TravelProfile{true, 1.5, 12.5});
  REQUIRE(route);
  CHECK(route->time_s == Approx(140.0));
  // On foot the same trip takes (1000 + 60) / 1.5 s.
  CHECK(r.route(st, room, walker(1.5))->time_s == Approx(1060.0 / 1.5));
}

TEST_CASE("a foot-only unit cannot use a vehicle-only road", "[site]") {
  Scenario s;
  const Index a = add_node(s, "A", 0, 0), b = add_node(s, "B", 10, 0);
  const Index e = add_edge(s, a, b, 10, true);
  s.site.edges[e].modes = {false, true};
  Router r(s.site);
  CHECK_FALSE(r.route(a, b, walker(1.0)));
  CHECK(r.route(a, b, TravelProfile{true, 1.0, 5.0})->time_s == Approx(2.0));
}
