// The macroscopic evacuation model and the relations it is built on, checked against
// hand calculations with the published constants (Weidmann 1993; SFPE Handbook,
// hydraulic model). Numbers in comments are worked by hand (or a calculator) from the
// formulas quoted next to them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

#include "hqdrill/peds/fundamental.hpp"
#include "hqdrill/peds/macro.hpp"

using namespace hqdrill;
using namespace hqdrill::peds;

namespace {

Index add_room(MacroNetwork& n, const std::string& id, double area_m2, int people,
               bool exit = false) {
  n.rooms.push_back({id, area_m2, people, exit});
  return static_cast<Index>(n.rooms.size() - 1);
}

Index add_link(MacroNetwork& n, Index a, Index b, double width_m, double length_m,
               LinkKind kind = LinkKind::door) {
  MacroLink l;
  l.id = n.rooms[static_cast<std::size_t>(a)].id + "-" + n.rooms[static_cast<std::size_t>(b)].id;
  l.a = a;
  l.b = b;
  l.kind = kind;
  l.clear_width_m = width_m;
  l.length_m = length_m;
  n.links.push_back(l);
  return static_cast<Index>(n.links.size() - 1);
}

// One room of 50 m² with 100 people, a 0.9 m door, 5 m to the exit.
struct OneRoom {
  MacroNetwork net;
  Index room, out, door;
  OneRoom() {
    room = add_room(net, "room", 50, 100);
    out = add_room(net, "out", 0, 0, true);
    door = add_link(net, room, out, 0.9, 5.0);
  }
};

// Room A (50 m², 100 people) –1.5 m door, 10 m– room B (100 m², empty) –0.9 m door,
// 5 m– exit.
struct TwoRooms {
  MacroNetwork net;
  Index a, b, out, wide, narrow;
  TwoRooms() {
    a = add_room(net, "A", 50, 100);
    b = add_room(net, "B", 100, 0);
    out = add_room(net, "out", 0, 0, true);
    wide = add_link(net, a, b, 1.5, 10.0);
    narrow = add_link(net, b, out, 0.9, 5.0);
  }
};

}  // namespace

TEST_CASE("Weidmann speeds at 1 and 3 p/m² match the published formula by hand", "[peds][macro]") {
  // v(ρ) = 1.34·[1 − exp(−1.913·(1/ρ − 1/5.4))]
  // ρ = 1: 1/1 − 1/5.4 = 0.814815; ×1.913 = 1.558741; exp(−·) = 0.210401;
  //        v = 1.34·0.789599 = 1.058063 m/s
  // ρ = 3: 1/3 − 1/5.4 = 0.148148; ×1.913 = 0.283407; exp(−·) = 0.753213;
  //        v = 1.34·0.246787 = 0.330695 m/s
  CHECK(weidmann_speed_mps(1.0) == Approx(1.058063).epsilon(1e-6));
  CHECK(weidmann_speed_mps(3.0) == Approx(0.330695).epsilon(1e-6));
  CHECK(weidmann_flow_psm(3.0) == Approx(3 * 0.330695).epsilon(1e-6));
  // Edges: free speed at no density, standstill at and beyond the jam density.
  CHECK(weidmann_speed_mps(0.0) == 1.34);
  CHECK(weidmann_speed_mps(-1.0) == 1.34);
  CHECK(weidmann_speed_mps(5.4) == 0.0);
  CHECK(weidmann_speed_mps(7.0) == 0.0);
}

TEST_CASE("the Weidmann flow peaks at 1.75 p/m² with about 1.225 persons per second per metre",
          "[peds][macro]") {
  // models.md: "J = ρ·v peaks near 1.75 /m²". A dense scan of J(ρ) = ρ·v(ρ) gives
  // ρ* = 1.7507 p/m², J* = 1.22492 p/(s·m); we accept ρ* within 0.01 p/m² of 1.75.
  const FlowMaximum m = weidmann_flow_maximum();
  CHECK(m.density_pm2 == Approx(1.75).margin(0.01));
  CHECK(m.flow_psm == Approx(1.22492).epsilon(1e-4));
  CHECK(m.flow_psm >= weidmann_flow_psm(1.70));
  CHECK(m.flow_psm >= weidmann_flow_psm(1.80));
}

TEST_CASE("the SFPE speed at 2 p/m² on the level is 1.40 − 0.266·1.40·2 = 0.6552 m/s",
          "[peds][macro]") {
  CHECK(sfpe_speed_mps(2.0) == Approx(0.6552).epsilon(1e-9));
  // Below 0.54 p/m² the unimpeded speed: 1.40·(1 − 0.266·0.54) = 1.198904 m/s
  // (tabulated as 1.19 m/s in the handbook).
  CHECK(sfpe_speed_mps(0.2) == Approx(1.198904).epsilon(1e-9));
  CHECK(sfpe_speed_mps(0.54) == Approx(1.198904).epsilon(1e-9));
  // No movement beyond 1/0.266 = 3.76 p/m².
  CHECK(sfpe_speed_mps(4.0) == 0.0);
  // Fs = S·D; the maximum k/(4·0.266) = 1.315789 p/(s·m) at D = 1/(2·0.266) = 1.879699.
  CHECK(sfpe_specific_flow_psm(2.0) == Approx(1.3104).epsilon(1e-9));
  CHECK(sfpe_max_specific_flow_psm() == Approx(1.315789).epsilon(1e-6));
  CHECK(sfpe_density_at_max_flow_pm2() == Approx(1.879699).epsilon(1e-6));
  CHECK(sfpe_specific_flow_psm(sfpe_density_at_max_flow_pm2()) ==
        Approx(sfpe_max_specific_flow_psm()));
  // Stair 7 in / 11 in: k = 1.08, Fs_max = 1.08/1.064 = 1.015 (handbook: 1.01).
  CHECK(sfpe_max_specific_flow_psm(kSfpeKStair7x11) == Approx(1.015038).epsilon(1e-6));
}

TEST_CASE("effective widths subtract the SFPE boundary layers", "[peds][macro]") {
  // 0.9 m door: 0.9 − 2·0.15 = 0.60 m.
  CHECK(effective_width_m(0.9, Boundary::door_jamb, Boundary::door_jamb) == Approx(0.60));
  // 2.0 m corridor: 2.0 − 2·0.20 = 1.60 m; 1.2 m stair between handrails: 1.2 − 2·0.09 = 1.02 m.
  CHECK(effective_width_m(2.0, Boundary::corridor_wall, Boundary::corridor_wall) == Approx(1.60));
  CHECK(effective_width_m(1.2, Boundary::handrail, Boundary::handrail) == Approx(1.02));
  CHECK(effective_width_m(0.25, Boundary::door_jamb, Boundary::door_jamb) == 0.0);
  MacroLink stair;
  stair.kind = LinkKind::stair;
  stair.clear_width_m = 1.2;
  CHECK(link_effective_width_m(stair) == Approx(0.90));  // walls: 1.2 − 2·0.15
  CHECK(link_k_mps(stair) == 1.08);
}

TEST_CASE("a room of 100 people empties through a 0.9 m door in the SFPE hand-calculated time",
          "[peds][macro]") {
  // Hand calculation: door flow F = Fs_max·W_eff = 1.315789·0.60 = 0.789474 p/s;
  // flow time 100/0.789474 = 126.67 s (with the handbook's rounded 1.3: 100/0.78 = 128.2 s);
  // the last person then walks 5 m at the free speed 1.34 m/s (the room is empty by
  // then): 3.73 s. Total 130.40 s.
  CHECK(sfpe_door_flow_time_s(100, 0.9) == Approx(126.6667).epsilon(1e-5));
  const double hand_s = sfpe_door_flow_time_s(100, 0.9) + 5.0 / 1.34;
  OneRoom r;
  const MacroResult res = run_macro(r.net);
  REQUIRE(res.evacuated == 100);
  const double model_s = ms_to_seconds(res.completion_ms);
  CHECK(model_s == Approx(hand_s).epsilon(0.05));
  CHECK(model_s == Approx(100 / (1.3 * 0.6) + 5.0 / 1.34).epsilon(0.05));  // 131.94 s
  // Pinned discrete value: 0.394737 people of credit per 0.5 s step, the 100th person
  // passes in step ⌈100/0.394737⌉ = 254, at 127.0 s, and arrives 3.731 s later.
  CHECK(res.completion_ms == 127000 + 3731);
  // Same with SFPE speeds: the last walk is at 1.198904 m/s, 4.170 s.
  MacroSettings sfpe;
  sfpe.speed = SpeedModel::sfpe;
  CHECK(run_macro(r.net, sfpe).completion_ms == 127000 + 4170);
  // The door ran at capacity: 0.79 p/s, i.e. 7 or 8 people per 10 s window.
  CHECK(res.links[static_cast<std::size_t>(r.door)].peak_flow_pps == Approx(0.8));
  CHECK(res.links[static_cast<std::size_t>(r.door)].passed == 100);
}

TEST_CASE("two rooms in series queue at the narrow door and the bottleneck sets the time",
          "[peds][macro]") {
  // Wide door A→B: W_eff = 1.2 m, F_A = 1.578947 p/s; narrow door B→out: W_eff = 0.6 m,
  // F_B = 0.789474 p/s. A starts at 2 p/m², so the first walkers cross 10 m at
  // v(ρ*) = v(1.7507) = 0.69995 m/s: 14.29 s; the last leave A at 100/F_A = 63.33 s and
  // walk at 1.34 m/s: arrive at 70.80 s. B discharges at F_B from 14.29 s on, so
  //   total ≈ 14.29 + 100/F_B + 5/1.34 = 14.29 + 126.67 + 3.73 = 144.68 s
  //   peak queue in B ≈ 100 − F_B·(70.80 − 14.29) = 100 − 44.61 = 55.4 people.
  TwoRooms t;
  const MacroResult res = run_macro(t.net);
  REQUIRE(res.evacuated == 100);
  CHECK(ms_to_seconds(res.completion_ms) == Approx(144.68).epsilon(0.05));
  const LinkStats& narrow = res.links[static_cast<std::size_t>(t.narrow)];
  const LinkStats& wide = res.links[static_cast<std::size_t>(t.wide)];
  CHECK(narrow.from == t.b);
  CHECK(wide.from == t.a);
  CHECK(narrow.peak_queue == Approx(55.4).margin(3));
  CHECK(narrow.peak_flow_pps == Approx(0.79).margin(0.05));
  CHECK(wide.peak_flow_pps == Approx(1.58).margin(0.06));
  // The bottleneck governs: doubling the wide door (W_eff 2.7 m) changes the total by
  // less than 5 s (only the first walkers' start moves).
  TwoRooms wider = t;
  wider.net.links[static_cast<std::size_t>(t.wide)].clear_width_m = 3.0;
  const double wider_s = ms_to_seconds(run_macro(wider.net).completion_ms);
  CHECK(std::abs(wider_s - ms_to_seconds(res.completion_ms)) < 5.0);
  // With the narrow door first, B receives 0.79 p/s and passes 1.58 p/s: no queue at the
  // second door (at most the one step's arrivals), and the time is the narrow door's
  // 126.67 s plus walks of 10/1.34 + 5/1.34 = 11.19 s: 137.86 s.
  TwoRooms swapped = t;
  std::swap(swapped.net.links[static_cast<std::size_t>(t.wide)].clear_width_m,
            swapped.net.links[static_cast<std::size_t>(t.narrow)].clear_width_m);
  const MacroResult sw = run_macro(swapped.net);
  CHECK(sw.links[static_cast<std::size_t>(t.narrow)].peak_queue <= 2);
  CHECK(ms_to_seconds(sw.completion_ms) == Approx(137.86).epsilon(0.05));
}

TEST_CASE("the macro model conserves people exactly at every step and is deterministic",
          "[peds][macro]") {
  // Three rooms merging into a corridor and a stair, with a full receiving room.
  MacroNetwork n;
  const Index a = add_room(n, "A", 40, 120);
  const Index b = add_room(n, "B", 30, 75);
  const Index c = add_room(n, "corridor", 10, 0);
  const Index s = add_room(n, "landing", 6, 0);
  const Index out = add_room(n, "out", 0, 0, true);
  const Index island = add_room(n, "island", 10, 7);  // no link: stranded
  add_link(n, a, c, 1.0, 6.0);
  add_link(n, b, c, 0.9, 4.0);
  add_link(n, c, s, 1.8, 12.0, LinkKind::corridor);
  add_link(n, s, out, 1.2, 9.0, LinkKind::stair);
  REQUIRE(validate(n, {}).empty());
  MacroModel m(n, {});
  REQUIRE(m.initial() == 202);
  CHECK(m.stranded() == 7);
  CHECK(m.route(island) == kNone);
  int steps = 0;
  while (!m.done() && steps < 20000) {
    m.step();
    ++steps;
    int in_rooms = 0;
    for (std::size_t r = 0; r < n.rooms.size(); ++r) {
      REQUIRE(m.population(static_cast<Index>(r)) >= 0);
      in_rooms += m.population(static_cast<Index>(r));
    }
    REQUIRE(in_rooms + m.in_transit() + m.evacuated() == 202);
    // The 6 m² landing never holds more than ⌊6·5.4⌋ = 32 people.
    REQUIRE(m.population(s) <= 32);
  }
  CHECK(m.done());
  CHECK(m.evacuated() == 195);
  const MacroResult r1 = run_macro(n), r2 = run_macro(n);
  CHECK(r1.completion_ms == kNever);  // the island's 7 never get out
  CHECK(r1.stranded == 7);
  CHECK(r1.trace.room_population == r2.trace.room_population);
  CHECK(r1.trace.t_ms == r2.trace.t_ms);
  CHECK(r1.evacuated == 195);
  CHECK(m.last_exit_ms() <= m.now_ms());
}

TEST_CASE("macro networks with mistakes are reported in plain sentences", "[peds][macro]") {
  MacroNetwork n;
  add_room(n, "A", 0, 5);
  add_link(n, 0, 0, 0.2, 0);
  const auto errors = validate(n, {});
  CHECK(std::find(errors.begin(), errors.end(), "the network has no exit") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), "room A needs an area > 0 m²") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(),
                  "link A-A must join two different rooms of the network") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), "link A-A needs a length > 0 m") != errors.end());
}
