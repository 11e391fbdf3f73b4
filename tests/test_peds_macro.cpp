// The macroscopic evacuation model and the relations it is built on, checked against
// hand calculations with the published constants (Weidmann 1993; SFPE Handbook,
// hydraulic model). Numbers in comments are worked by hand (or a calculator) from the
// formulas quoted next to them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

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

// ---------------------------------------------------------------- the twin's coupling API

TEST_CASE(
    "people walk inside their room before they queue: the farthest walk limits a sparse "
    "room and the door a crowded one",
    "[peds][macro]") {
  // Room of 100 m², a 2 m door (W_eff 1.70 m, C = 1.315789·1.70 = 2.236842 p/s, 1.118 per
  // 0.5 s step) and 1 m to the exit. In-room walks spread from 0 to 20 m: person i of n
  // at 20·(i + ½)/n m, at 1.34 m/s.
  MacroNetwork n;
  const Index room = add_room(n, "room", 100, 10);
  const Index out = add_room(n, "out", 0, 0, true);
  add_link(n, room, out, 2.0, 1.0);
  n.rooms[0].walk_near_m = 0;
  n.rooms[0].walk_far_m = 20;
  // Sparse, 10 people: the last is 19 m from the door, 19/1.34 = 14.179 s; it joins the
  // queue at the first settle after, 14.5 s, passes in the step to 15.0 s and walks 1 m
  // at 1.34 m/s (0.746 s): 15.746 s.
  CHECK(run_macro(n).completion_ms == 15746);
  // Crowded, 100 people: they reach the door at 6.7 p/s, three times its capacity; the
  // door sets the time, 100/2.236842 = 44.71 s plus the last walk 0.75 s ≈ 45.5 s.
  n.rooms[0].population = 100;
  CHECK(ms_to_seconds(run_macro(n).completion_ms) == Approx(45.5).epsilon(0.02));
  // At the door (walks 0, 0) the sparse room takes one step and the walk: 1.246 s.
  n.rooms[0].population = 1;
  n.rooms[0].walk_far_m = 0;
  CHECK(run_macro(n).completion_ms == 500 + 746);
}

TEST_CASE("people released after their pre-movement join the queue then and not before",
          "[peds][macro]") {
  // OneRoom's 0.9 m door (0.394737 passages per 0.5 s step), but the 100 people are 50
  // released at 60 s. The idle door has banked one passage, so after k steps from 60 s
  // 1 + 0.394737·k have passed: the 50th passes in step k = 125, at 122.5 s, and walks
  // 5 m at 1.34 m/s (3.731 s): 126.231 s.
  OneRoom r;
  r.net.rooms[static_cast<std::size_t>(r.room)].population = 0;
  r.net.releases.push_back({r.room, 50, 60 * kMsPerSecond});
  const MacroResult res = run_macro(r.net);
  CHECK(res.initial == 50);
  CHECK(res.evacuated == 50);
  CHECK(res.completion_ms == 126231);
  // The same people added during the run, by a caller, at 60 s: the same time.
  OneRoom r2;
  r2.net.rooms[static_cast<std::size_t>(r2.room)].population = 0;
  MacroModel m(r2.net, {});
  CHECK(m.done());  // nobody yet: a caller drives the clock
  while (m.now_ms() < 60 * kMsPerSecond) m.step();
  m.add_people({r2.room, 50, 0});  // ready_ms in the past: now
  CHECK(m.added() == 50);
  CHECK(m.queue(r2.door) == 50);
  while (!m.done()) m.step();
  CHECK(m.last_exit_ms() == 126231);
  // Release schedules mix with the initial population: 20 at once and 30 at 60 s.
  OneRoom r3;
  r3.net.rooms[static_cast<std::size_t>(r3.room)].population = 20;
  r3.net.releases.push_back({r3.room, 30, 60 * kMsPerSecond});
  const MacroResult res3 = run_macro(r3.net);
  CHECK(res3.initial == 50);
  CHECK(res3.evacuated == 50);
  // The 20 are out by ⌈20/0.394737⌉ = 51 steps = 25.5 s + 3.7 s; the 30 then queue at 60 s
  // on a door that banked one passage: 1 + 0.394737·k ≥ 30 at k = 74, 97.0 s, + 3.731 s.
  CHECK(res3.completion_ms == 97000 + 3731);
}

TEST_CASE("a hand-off room reports its arrivals with their times instead of evacuating them",
          "[peds][macro]") {
  // OneRoom, but its exit is the entrance of a microscopic area: the coupler spawns them.
  OneRoom r;
  r.net.rooms[static_cast<std::size_t>(r.out)].exit = false;
  r.net.rooms[static_cast<std::size_t>(r.out)].handoff = true;
  MacroModel m(r.net, {});
  int reported = 0;
  SimTime last = 0;
  while (!m.done()) {
    m.step();
    for (const MacroHandoff& h : m.handoffs()) {
      CHECK(h.room == r.out);
      CHECK(h.link == r.door);
      CHECK(h.at_ms <= m.now_ms());
      CHECK(h.at_ms > m.now_ms() - 500);
      CHECK(h.at_ms >= last);
      reported += h.people;
      last = h.at_ms;
    }
  }
  CHECK(reported == 100);
  CHECK(m.handed_off() == 100);
  CHECK(m.evacuated() == 0);
  CHECK(last == 127000 + 3731);  // the same times as the exit of the first test
  const MacroResult res = run_macro(r.net);
  CHECK(res.handed_off == 100);
  CHECK(res.completion_ms == 127000 + 3731);
  int in_result = 0;
  for (const MacroHandoff& h : res.handoffs) in_result += h.people;
  CHECK(in_result == 100);

  // Routing counts the distance beyond a hand-off: an exit 20 m away against a hand-off
  // 5 m away whose own exit is 30 m further (35 m): the exit; with 10 m further (15 m):
  // the hand-off.
  MacroNetwork n;
  const Index room = add_room(n, "room", 50, 10);
  const Index exit = add_room(n, "exit", 0, 0, true);
  const Index micro = add_room(n, "micro", 0, 0);
  n.rooms[static_cast<std::size_t>(micro)].handoff = true;
  n.rooms[static_cast<std::size_t>(micro)].beyond_m = 30;
  const Index far_door = add_link(n, room, exit, 0.9, 20);
  const Index near_door = add_link(n, room, micro, 0.9, 5);
  CHECK(MacroModel(n, {}).route(room) == far_door);
  n.rooms[static_cast<std::size_t>(micro)].beyond_m = 10;
  CHECK(MacroModel(n, {}).route(room) == near_door);
  CHECK(MacroModel(n, {}).distance_m(room) == Approx(15));
  // Arrivals from a microscopic area are injected at the current time.
  MacroModel inj(n, {});
  while (inj.now_ms() < 10 * kMsPerSecond) inj.step();
  inj.add_people({room, 5, inj.now_ms(), 3.0, 3.0});  // 3 m from the door
  CHECK(inj.added() == 15);
  while (!inj.done()) inj.step();
  CHECK(inj.handed_off() == 15);
}

TEST_CASE(
    "closing a door reroutes its queue to the next nearest open exit; a closed exit holds "
    "people until it reopens",
    "[peds][macro]") {
  // 100 people in 50 m², walks 0: an east door (0.9 m, 5 m to the exit) and a west door
  // (0.9 m, 15 m). Each passes 0.394737 people per 0.5 s step.
  MacroNetwork n;
  const Index room = add_room(n, "room", 50, 100);
  const Index out = add_room(n, "out", 0, 0, true);
  const Index east = add_link(n, room, out, 0.9, 5);
  const Index west = add_link(n, room, out, 0.9, 15);
  // East closes at 30 s: it has passed ⌊60·0.394737⌋ = 23. The 77 queued there go to the
  // west door (no banked credit: it was not in use): ⌈77/0.394737⌉ = 196 steps, the last
  // passes at 30 + 98 = 128 s and walks 15 m at 1.34 m/s (11.194 s): 139.194 s.
  MacroNetwork closing = n;
  closing.link_events.push_back({30 * kMsPerSecond, east, false});
  const MacroResult res = run_macro(closing);
  CHECK(res.links[static_cast<std::size_t>(east)].passed == 23);
  CHECK(res.links[static_cast<std::size_t>(west)].passed == 77);
  CHECK(res.completion_ms == 139194);
  // Both doors closed at 10 s (east has passed ⌊20·0.394737⌋ = 7), west reopens at 60 s:
  // in between the 93 left are stranded (held) and the model is not done; after, the
  // west door takes ⌈93/0.394737⌉ = 236 steps: 60 + 118 + 11.194 = 189.194 s.
  MacroNetwork both = n;
  both.link_events.push_back({10 * kMsPerSecond, east, false});
  both.link_events.push_back({10 * kMsPerSecond, west, false});
  both.link_events.push_back({60 * kMsPerSecond, west, true});
  MacroModel m(both, {});
  while (m.now_ms() < 30 * kMsPerSecond) m.step();
  CHECK(m.route(room) == kNone);
  CHECK(m.exit_links(room).empty());
  CHECK(m.stranded() == 93);
  CHECK_FALSE(m.done());
  while (!m.done()) m.step();
  CHECK(m.evacuated() == 100);
  CHECK(m.last_exit_ms() == 189194);
  // The same by the caller: set_link_open between steps.
  MacroModel c(n, {});
  while (c.now_ms() < 30 * kMsPerSecond) c.step();
  c.set_link_open(east, false);
  CHECK_FALSE(c.link_open(east));
  CHECK(c.route(room) == west);
  CHECK(c.queue(west) == 77);
  while (!c.done()) c.step();
  CHECK(c.last_exit_ms() == 139194);
  // Without any event the west door is never used: the nearest exit takes everyone.
  CHECK(run_macro(n).links[static_cast<std::size_t>(west)].passed == 0);
}

TEST_CASE("the quickest exit choice splits a room between its doors by distance and queue",
          "[peds][macro]") {
  // 100 people in 50 m², walks 0; doors A (0.9 m, 5 m to the exit) and B (0.9 m, 35 m).
  // Each person joining picks the least len/1.34 + (q + 1)/0.789474: B costs 30/1.34 =
  // 22.39 s more walking, so the first 18 take A ((18 + 1)/0.789 = 24.07 > 1.27 + 22.39),
  // then they alternate: A 18 + 41 = 59, B 41. A's last passes after ⌈59/0.394737⌉ = 150
  // steps, 75 s, and walks 3.731 s: 78.731 s (B's last: 104 steps, 52 s + 26.4 s).
  MacroNetwork n;
  const Index room = add_room(n, "room", 50, 100);
  const Index out = add_room(n, "out", 0, 0, true);
  const Index a = add_link(n, room, out, 0.9, 5);
  const Index b = add_link(n, room, out, 0.9, 35);
  MacroSettings quick;
  quick.choice = ExitChoice::quickest;
  const MacroResult res = run_macro(n, quick);
  CHECK(res.links[static_cast<std::size_t>(a)].passed == 59);
  CHECK(res.links[static_cast<std::size_t>(b)].passed == 41);
  CHECK(res.completion_ms == 78731);
  CHECK(MacroModel(n, quick).exit_links(room).size() == 2);
  // Nearest: all through A, as in the first test: 130.731 s.
  CHECK(run_macro(n).completion_ms == 127000 + 3731);
  // Two equal doors: 50 each, ⌈50/0.394737⌉ = 127 steps, 63.5 s + 3.731 s.
  n.links[static_cast<std::size_t>(b)].length_m = 5;
  const MacroResult eq = run_macro(n, quick);
  CHECK(eq.links[static_cast<std::size_t>(a)].passed == 50);
  CHECK(eq.completion_ms == 63500 + 3731);
}

TEST_CASE("a calibrated door specific flow replaces the SFPE value on doors only",
          "[peds][macro]") {
  // Twice the SFPE 1.315789 p/(s·m): the 0.9 m door passes 1.578947 p/s, 0.789474 per
  // step; 100 people need ⌈100/0.789474⌉ = 127 steps, 63.5 s, + 3.731 s.
  OneRoom r;
  MacroSettings cal;
  cal.door_specific_flow_psm = 2 * sfpe_max_specific_flow_psm();
  const MacroLink& door = r.net.links[static_cast<std::size_t>(r.door)];
  CHECK(link_capacity_pps(door, cal) == Approx(1.578947).epsilon(1e-6));
  CHECK(link_capacity_pps(door, {}) == Approx(link_capacity_pps(door)));
  CHECK(run_macro(r.net, cal).completion_ms == 63500 + 3731);
  MacroLink corridor = door;
  corridor.kind = LinkKind::corridor;
  CHECK(link_capacity_pps(corridor, cal) == Approx(link_capacity_pps(corridor)));
  CHECK(free_speed_mps({}) == 1.34);
}

TEST_CASE(
    "the macro model conserves people with releases, injections, closures and the quickest "
    "choice",
    "[peds][macro]") {
  MacroNetwork n;
  const Index a = add_room(n, "A", 40, 60);
  const Index b = add_room(n, "B", 30, 40);
  const Index c = add_room(n, "corridor", 12, 0);
  const Index out = add_room(n, "out", 0, 0, true);
  const Index hand = add_room(n, "micro", 0, 0);
  n.rooms[static_cast<std::size_t>(hand)].handoff = true;
  n.rooms[static_cast<std::size_t>(a)].walk_far_m = 8;
  add_link(n, a, c, 1.0, 6.0);
  add_link(n, b, c, 0.9, 4.0);
  const Index ab = add_link(n, a, b, 1.2, 3.0);
  const Index c_out = add_link(n, c, out, 1.8, 12.0, LinkKind::corridor);
  add_link(n, b, hand, 1.0, 20.0);
  n.releases.push_back({b, 25, 40 * kMsPerSecond, 2.0, 10.0});
  n.link_events.push_back({20 * kMsPerSecond, c_out, false});
  n.link_events.push_back({70 * kMsPerSecond, c_out, true});
  n.link_events.push_back({90 * kMsPerSecond, ab, false});
  MacroSettings s;
  s.choice = ExitChoice::quickest;
  REQUIRE(validate(n, s).empty());
  MacroModel m(n, s);
  CHECK(m.initial() == 125);
  int handed = 0;
  while (!m.done() && m.now_ms() < 3600 * kMsPerSecond) {
    m.step();
    if (m.now_ms() == 50 * kMsPerSecond) m.add_people({c, 7, m.now_ms()});
    for (const MacroHandoff& h : m.handoffs()) handed += h.people;
    int in_rooms = 0;
    for (std::size_t r = 0; r < n.rooms.size(); ++r) {
      REQUIRE(m.population(static_cast<Index>(r)) >= 0);
      in_rooms += m.population(static_cast<Index>(r));
    }
    REQUIRE(in_rooms + m.in_transit() + m.evacuated() + m.handed_off() == m.added());
  }
  CHECK(m.added() == 132);
  CHECK(m.evacuated() + m.handed_off() == 132);
  CHECK(handed == m.handed_off());
  CHECK(m.handed_off() > 0);
  CHECK(m.evacuated() > 0);
  const MacroResult r1 = run_macro(n, s), r2 = run_macro(n, s);
  CHECK(r1.trace.room_population == r2.trace.room_population);
  CHECK(r1.completion_ms == r2.completion_ms);
}

TEST_CASE("mistakes in releases, link events and flows are reported in plain sentences",
          "[peds][macro]") {
  OneRoom r;
  r.net.releases.push_back({r.out, 5, 0});
  r.net.releases.push_back({r.room, 5, 0, 4.0, 2.0});
  r.net.link_events.push_back({0, 7, false});
  r.net.rooms[static_cast<std::size_t>(r.room)].walk_far_m = -1;
  MacroSettings s;
  s.door_specific_flow_psm = -1;
  const auto errors = validate(r.net, s);
  auto has = [&](const std::string& e) {
    return std::find(errors.begin(), errors.end(), e) != errors.end();
  };
  CHECK(has("release 0 must be in a room of the network that is not an exit"));
  CHECK(has("release 1 has walk_far_m below walk_near_m"));
  CHECK(has("link event 0 must name a link of the network at a time ≥ 0"));
  CHECK(has("room room needs in-room walks with 0 ≤ walk_near_m ≤ walk_far_m"));
  CHECK(has("door_specific_flow_psm must not be negative"));
}
