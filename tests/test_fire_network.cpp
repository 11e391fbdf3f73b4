// The network of two-zone rooms (hqdrill/fire/network.hpp): its `hqdrill verify fire`
// cases, and its behaviour (smoke moving between rooms, hydrostatics at different floor
// elevations, oxygen-limited fires, spread, door failure, window breakage,
// suppression, the fire load's decay, conservation, determinism).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "fire_support.hpp"
#include "hqdrill/fire/compartment.hpp"
#include "hqdrill/fire/hrr.hpp"
#include "hqdrill/fire/network.hpp"
#include "hqdrill/fire/verification.hpp"
#include "hqdrill/fire/zone.hpp"

using namespace hqdrill::fire;

namespace {

NetRoomSpec room(std::string id, double width, double length, double height,
                 double floor_elevation = 0.0) {
  NetRoomSpec r;
  r.id = std::move(id);
  r.floor_area_m2 = width * length;
  r.perimeter_m = 2.0 * (width + length);
  r.height_m = height;
  r.floor_elevation_m = floor_elevation;
  return r;
}

NetVentSpec vent(int from, int to, Opening o, bool open = true) {
  NetVentSpec v;
  v.from_room = from;
  v.to_room = to;
  v.opening = o;
  v.open_at_start = open;
  return v;
}

const Opening kDoor{0.9, 0.0, 2.1};

FireSpec fast_fire(double peak_kw) {
  FireSpec f = tsquared_fire(tsquared_alpha_kw_per_s2(GrowthClass::kFast));
  f.peak_hrr_kw = peak_kw;
  return f;
}

// A fire room (4 x 4 x 3 m) with a door to a corridor (10 x 2 x 3 m) that has a door to
// the outside.
NetworkSpec fire_room_and_corridor(bool door_open) {
  NetworkSpec s;
  s.rooms = {room("fire", 4.0, 4.0, 3.0), room("corridor", 10.0, 2.0, 3.0)};
  s.rooms[0].fuel = fast_fire(1000.0);
  s.vents = {vent(0, 1, kDoor, door_open), vent(1, kOutside, kDoor)};
  return s;
}

// A ground-floor fire room opening onto a stairwell 7 m tall, which serves a first floor
// at 3.5 m (its door given from the stair's side, sill 3.5 m above the stair's floor, or
// from the first floor's side, sill 0); the first floor has a window.
NetworkSpec stair_building(bool door_from_stair) {
  NetworkSpec s;
  s.rooms = {room("fire", 4.0, 4.0, 3.0), room("stair", 3.0, 5.0, 7.0),
             room("first", 6.0, 5.0, 3.0, 3.5)};
  s.rooms[0].fuel = fast_fire(500.0);
  s.vents = {vent(0, 1, kDoor), vent(0, kOutside, {1.0, 0.0, 2.1}),
             door_from_stair ? vent(1, 2, {1.0, 3.5, 5.6}) : vent(2, 1, {1.0, 0.0, 2.1}),
             vent(2, kOutside, {1.2, 0.9, 2.1})};
  return s;
}

}  // namespace

// ---------------------------------------------------------------- verification cases

TEST_CASE("verify fire: a one-room network gives ZoneRoom's upper layer", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-zone-Tu");
}
TEST_CASE("verify fire: a one-room network gives ZoneRoom's layer height", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-zone-zi");
}
TEST_CASE("verify fire: two rooms and a door conserve mass", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-two-mass");
}
TEST_CASE("verify fire: two rooms and a door conserve energy", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-two-energy");
}
TEST_CASE("verify fire: a building at rest keeps its temperatures", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-rest-T");
}
TEST_CASE("verify fire: a building at rest has no pressure differences", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-rest-dp");
}
TEST_CASE("verify fire: a building at rest keeps its layers", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-rest-zi");
}
TEST_CASE("verify fire: a sealed room's fire burns the room's oxygen above the lower limit",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-o2-sealed");
}
TEST_CASE("verify fire: a closed leaky room's fire grows on the room's own air", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-o2-leaky-grows");
}
TEST_CASE("verify fire: a closed leaky room's fire dies down as its oxygen runs out",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-o2-leaky-dies");
}
TEST_CASE("verify fire: oxygen is conserved to round-off", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-o2-books");
}
TEST_CASE("verify fire: opening the door lets the starved fire grow to its peak",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-reopened");
}
TEST_CASE("verify fire: a steadily vented fire settles near Kawagoe's 1500 A sqrt(H)",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-kawagoe");
}
TEST_CASE("verify fire: fire spreads through an open door after the spread delay",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-spread");
}
TEST_CASE("verify fire: a door fails its fire resistance time after the flashover",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-door-fails");
}
TEST_CASE("verify fire: no spread behind a closed door that holds", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-involved");
}
TEST_CASE("verify fire: suppression halves the HRR half-way through the knockdown",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-supp-half");
}
TEST_CASE("verify fire: suppression puts the fire out at the end of the knockdown",
          "[fire][verify]") {
  hqdrill::test::check_fire_case("net-supp-out");
}
TEST_CASE("verify fire: hold caps the HRR at its value then", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-hold");
}
TEST_CASE("verify fire: a window breaks when the layer reaches its temperature", "[fire][verify]") {
  hqdrill::test::check_fire_case("net-window");
}

// ---------------------------------------------------------------- reduction to ZoneRoom

// Reference: ZoneRoom (zone.hpp), the one-room model the network generalises; the same
// equations, so the same layer to the integration tolerance (1e-7 relative).
TEST_CASE("fire network: a one-room network follows ZoneRoom through the growth of the fire",
          "[fire]") {
  ZoneRoomSpec zs;
  zs.room = {5.0, 4.0, 3.0};
  zs.vents = {kDoor};
  ZoneRoom zone(zs, FireHrr(fast_fire(1000.0)));
  NetworkSpec ns;
  ns.rooms = {room("office", 5.0, 4.0, 3.0)};
  ns.rooms[0].fuel = fast_fire(1000.0);
  ns.vents = {vent(0, kOutside, kDoor)};
  FireNetwork net(ns);
  net.ignite(0, 0.0);
  for (double t : {10.0, 60.0, 150.0, 300.0}) {
    zone.advance_to(t);
    net.advance_to(t);
    INFO("t = " << t << " s");
    CHECK(net.room(0).hrr_kw == Approx(zone.state().hrr_kw).epsilon(1e-12));
    CHECK(net.room(0).upper_k == Approx(zone.state().upper_k).margin(1e-3));
    CHECK(net.room(0).lower_k == Approx(zone.state().lower_k).margin(1e-3));
    CHECK(net.room(0).layer_height_m == Approx(zone.state().layer_height_m).margin(1e-4));
    CHECK(net.room(0).floor_dp_pa == Approx(zone.state().floor_dp_pa).margin(1e-5));
    CHECK(net.room(0).fire_energy_kj == Approx(zone.state().fire_energy_kj).epsilon(1e-8));
  }
}

// ---------------------------------------------------------------- smoke between rooms

// Reference: conservation of mass and energy (exact; mass is linear in the state, the
// energy books close to the pressure solve's residual), and the expected physics: the
// hot layer of the fire room spills under the door's soffit into the corridor.
TEST_CASE("fire network: smoke fills the corridor next to the fire room and the books balance",
          "[fire]") {
  FireNetwork net(fire_room_and_corridor(true));
  net.ignite(0, 0.0);
  const double t_amb = kAmbientC + kKelvin;
  double last_zi = 3.0, last_tu = t_amb;
  for (int t = 30; t <= 600; t += 30) {
    net.advance_to(t);
    const NetRoomState& c = net.room(1);
    INFO("t = " << t << " s: corridor layer " << c.layer_height_m << " m, " << c.upper_c()
                << " degC");
    // The layer descends while the fire grows (to its 1 MW peak at 146 s); then it
    // settles, rising by some centimetres as the corridor's layer heats and vents.
    if (t <= 150) CHECK(c.layer_height_m < last_zi);
    CHECK(c.upper_k > last_tu);
    CHECK(std::abs(net.mass_residual_kg()) < 1e-9);
    CHECK(std::abs(net.energy_residual_kj()) < 1e-9 * net.room(0).fire_energy_kj);
    CHECK(std::abs(net.oxygen_residual_kg()) < 1e-9);
    last_zi = c.layer_height_m;
    last_tu = c.upper_k;
  }
  // By 600 s the corridor's layer is below the door's soffit and well above ambient.
  CHECK(net.room(1).layer_height_m < 2.1);
  CHECK(net.room(1).upper_c() > kAmbientC + 50.0);
  CHECK(net.room(1).hrr_kw == 0.0);
}

// Reference: hydrostatics from absolute elevations (CFAST Tech. Ref. ch. 4): the hot
// gas rises through the stairwell to the first floor's door 3.5 m up, and a vent gives
// the same result whichever of its two rooms it is described from.
TEST_CASE(
    "fire network: smoke rises up a stairwell to the first floor, whichever side the door is given "
    "from",
    "[fire]") {
  FireNetwork a(stair_building(true)), b(stair_building(false));
  a.ignite(0, 0.0);
  b.ignite(0, 0.0);
  a.advance_to(600.0);
  b.advance_to(600.0);
  CHECK(a.room(1).upper_c() > kAmbientC + 20.0);  // the stairwell fills
  CHECK(a.room(2).upper_c() > kAmbientC + 10.0);  // and the first floor
  CHECK(a.room(2).layer_height_m < 2.9);
  CHECK(std::abs(a.mass_residual_kg()) < 1e-9);
  CHECK(std::abs(a.energy_residual_kj()) < 1e-9 * a.room(0).fire_energy_kj);
  CHECK(std::abs(a.oxygen_residual_kg()) < 1e-9);
  for (int r = 0; r < 3; ++r) {
    INFO("room " << r);
    CHECK(b.room(r).upper_k == Approx(a.room(r).upper_k).epsilon(1e-6));
    CHECK(b.room(r).layer_height_m == Approx(a.room(r).layer_height_m).epsilon(1e-6));
  }
}

// Reference: hydrostatic equilibrium (exact). Same building as the verification case,
// at the default step (1 s).
TEST_CASE(
    "fire network: a building at ambient with no fire stays exactly at rest at every elevation",
    "[fire]") {
  NetworkSpec ns;
  ns.rooms = {room("ground", 6.0, 5.0, 3.0), room("stair", 3.0, 5.0, 7.0),
              room("first", 6.0, 5.0, 3.0, 3.5)};
  ns.vents = {vent(0, kOutside, kDoor), vent(0, 1, kDoor), vent(1, 2, {1.0, 3.5, 5.6}),
              vent(2, kOutside, {1.2, 0.9, 2.1}), vent(1, kOutside, {1.0, 5.0, 6.5})};
  FireNetwork net(ns);
  std::vector<NetRoomState> before;
  for (int r = 0; r < net.rooms(); ++r) before.push_back(net.room(r));
  net.advance_to(600.0);
  for (int r = 0; r < net.rooms(); ++r) {
    INFO("room " << r);
    CHECK(net.room(r).upper_k == before[r].upper_k);
    CHECK(net.room(r).lower_k == before[r].lower_k);
    CHECK(net.room(r).layer_height_m == before[r].layer_height_m);
    CHECK(net.room(r).floor_dp_pa == 0.0);
  }
  CHECK(net.mass_residual_kg() == 0.0);
  CHECK(net.energy_residual_kj() == 0.0);
  CHECK(net.oxygen_residual_kg() == 0.0);
}

// ---------------------------------------------------------------- oxygen-limited burning

namespace {

// A locked records room, 10 x 6 x 3 m = 180 m3, fast fire to 2.5 MW; its door to a
// corridor (with an exit) closed, leaking `leak` m2.
NetworkSpec records_room(double leak) {
  NetworkSpec s;
  s.rooms = {room("records", 10.0, 6.0, 3.0), room("corridor", 12.0, 2.0, 3.0)};
  s.rooms[0].fuel = fast_fire(2500.0);
  s.vents = {vent(0, 1, kDoor, false), vent(1, kOutside, kDoor)};
  s.vents[0].leak_area_m2 = leak;
  return s;
}

}  // namespace

// Reference: CFAST 7 Tech. Ref. ("Heat Release Rate": Q <= m_e Y_O2 C_LOL dH_O2, lower
// limit Y = 0.15) and Huggett's 13.1 MJ per kg of oxygen. A room full of air holds
// rho V (0.2314 - 0.15) = 208.1 x 0.0814 = 16.94 kg of oxygen above the limit (222 MJ),
// far more than the door gaps let in (the old instantaneous cap: 1500 x 0.02 x sqrt(2.1)
// = 43 kW). The sealed room burns 18.9 kg by 1800 s: within 15 % of the hand calculation
// (above it, because the lower plume burns the fresh lower layer's entrained oxygen
// completely, CFAST's limit being on the layer the plume entrains from, so the upper
// layer ends at 0.13, below the limit).
TEST_CASE(
    "fire network: a closed room's fire grows on the room's own air, dies down near the lower "
    "oxygen limit and grows again when the door opens",
    "[fire]") {
  {
    const NetworkSpec ns = records_room(0.0);  // tight: sealed
    FireNetwork net(ns);
    const double m0 = net.room(0).o2_kg / ns.ambient_o2_mass_fraction;
    CHECK(net.room(0).upper_o2 == Approx(0.2314).epsilon(1e-12));
    CHECK(net.room(0).lower_o2 == Approx(0.2314).epsilon(1e-12));
    net.ignite(0, 0.0);
    net.advance_to(1800.0);
    const double above = m0 * (0.2314 - 0.15);
    CHECK(above == Approx(16.94).epsilon(1e-3));
    CHECK(net.room(0).o2_consumed_kg == Approx(above).epsilon(0.15));
    CHECK(net.room(0).hrr_kw < 1.0);  // out
    CHECK(net.room(0).upper_o2 < 0.15);
    CHECK(std::abs(net.oxygen_residual_kg()) < 1e-9);
  }
  FireNetwork net(records_room(0.02));
  net.ignite(0, 0.0);
  net.advance_to(150.0);
  // Unlimited fast growth on the room's own air: 1055 kW at 150 s.
  CHECK(net.room(0).hrr_kw == Approx(1055.0).epsilon(1e-12));
  double q_max = 0.0, t_max = 0.0;
  for (int t = 151; t <= 1800; ++t) {
    net.advance_to(t);
    if (net.room(0).hrr_kw > q_max) {
      q_max = net.room(0).hrr_kw;
      t_max = t;
    }
  }
  INFO("peak " << q_max << " kW at " << t_max << " s");
  CHECK(q_max > 1000.0);  // MW size, not the leak's 43 kW
  CHECK(t_max < 300.0);   // then it dies down
  CHECK(net.room(0).hrr_kw < 0.05 * q_max);
  CHECK(net.room(0).upper_o2 < 0.15);
  CHECK(std::abs(net.oxygen_residual_kg()) < 1e-9);
  CHECK(std::abs(net.mass_residual_kg()) < 1e-9);
  CHECK(std::abs(net.energy_residual_kj()) < 1e-9 * net.room(0).fire_energy_kj);
  // The room's fire consumed its energy's worth of oxygen (Huggett).
  CHECK(net.room(0).o2_consumed_kg == Approx(net.room(0).fire_energy_kj / 13100.0));
  net.set_vent_open(0, true);
  CHECK(net.vent_open(0));
  CHECK(std::isinf(net.vent_opened_s(0)));  // opened by people, not by itself
  net.advance_to(2100.0);
  CHECK(net.room(0).hrr_kw == Approx(2500.0).epsilon(1e-12));  // min(alpha t^2, peak)
  // Closing it again starves the fire again.
  net.set_vent_open(0, false);
  net.advance_to(2700.0);
  CHECK(net.room(0).hrr_kw < 0.1 * 2500.0);
  CHECK(std::abs(net.oxygen_residual_kg()) < 1e-9);
}

// Reference: Kawagoe (1958), a ventilation-controlled fire burns about 1500 A sqrt(H) kW
// (the air inflow ~0.5 A sqrt(H) kg/s at 3031 kJ per kg of air, 13.1 MJ/kg O2 x 0.2314);
// hrr.hpp's ventilation_limit_kw. The network is not given this limit: the fire is
// limited by the oxygen its plume entrains, and must settle near it by itself. Found:
// 0.87 (door), 0.92 (window), 0.87 (small room) of it; tolerance 20 %, as Kawagoe's
// 0.5 kg/s per m^5/2 itself ranges 0.40 - 0.52 with the layer temperatures, and the zone
// model's interface stays 0.3 - 0.4 m above the floor.
TEST_CASE(
    "fire network: a fire in a vented room with ample fuel settles near Kawagoe's 1500 A sqrt(H)",
    "[fire]") {
  struct Case {
    double w, l;
    Opening o;
  };
  for (const Case& c :
       {Case{4.0, 4.0, kDoor}, Case{5.0, 4.0, {1.5, 0.9, 2.1}}, Case{3.0, 3.0, {0.8, 0.0, 2.0}}}) {
    NetworkSpec ns;
    ns.rooms = {room("room", c.w, c.l, 3.0)};
    ns.rooms[0].fuel = fast_fire(20000.0);
    ns.vents = {vent(0, kOutside, c.o)};
    FireNetwork net(ns);
    net.ignite(0, 0.0);
    const double h = c.o.height_m(), kaw = ventilation_limit_kw(c.o.width_m * h * std::sqrt(h));
    net.advance_to(900.0);
    const double q900 = net.room(0).hrr_kw;
    net.advance_to(1200.0);
    INFO("opening " << c.o.width_m << " x " << h << " m: Kawagoe " << kaw << " kW, HRR "
                    << net.room(0).hrr_kw << " kW");
    CHECK(net.room(0).hrr_kw == Approx(kaw).epsilon(0.2));
    CHECK(net.room(0).hrr_kw == Approx(q900).epsilon(0.01));  // steady
    CHECK(std::abs(net.oxygen_residual_kg()) < 1e-9);
  }
}

// ---------------------------------------------------------------- spread, doors, windows

// Reference: network.hpp's rules (ignition spread_delay_s after a flashover next door,
// a door failing fails_after_s after a flashover on either side), the flashover criterion
// of compartment.hpp (600 degC or the MQH flashover HRR).
TEST_CASE(
    "fire network: fire spreads through an open door and a failed one, never through a closed one",
    "[fire]") {
  NetworkSpec ns;
  ns.rooms = {room("fire", 4.0, 4.0, 3.0), room("open", 4.0, 4.0, 3.0),
              room("closed", 4.0, 4.0, 3.0), room("failing", 4.0, 4.0, 3.0)};
  for (NetRoomSpec& r : ns.rooms) r.fuel = fast_fire(3000.0);
  ns.vents = {vent(0, kOutside, {1.5, 0.9, 2.1}),
              vent(0, 1, kDoor),
              vent(0, 2, kDoor, false),
              vent(0, 3, kDoor, false),
              vent(1, kOutside, kDoor),
              vent(2, kOutside, kDoor),
              vent(3, kOutside, kDoor)};
  ns.vents[2].leak_area_m2 = 0.02;
  ns.vents[3].leak_area_m2 = 0.02;
  ns.vents[3].fails_after_s = 300.0;
  ns.spread_delay_s = 45.0;
  FireNetwork net(ns);
  net.ignite(0, 0.0);
  net.advance_to(1000.0);
  const double fo = net.room(0).flashover_s;
  REQUIRE(std::isfinite(fo));
  CHECK(net.room(0).max_upper_c >= 600.0);
  CHECK(net.room(1).ignited_s == Approx(fo + 45.0).margin(1e-6));
  CHECK(std::isinf(net.room(2).ignited_s));
  CHECK_FALSE(net.vent_open(2));
  CHECK(net.vent_open(3));
  CHECK(net.vent_opened_s(3) == Approx(fo + 300.0).margin(1e-6));
  CHECK(net.room(3).ignited_s == Approx(fo + 345.0).margin(1e-6));
  CHECK(net.rooms_involved() == 3);
  CHECK(std::abs(net.oxygen_residual_kg()) < 1e-9);
  CHECK(std::abs(net.energy_residual_kj()) <
        1e-9 *
            (net.room(0).fire_energy_kj + net.room(1).fire_energy_kj + net.room(3).fire_energy_kj));
}

TEST_CASE("fire network: a fire put out before the spread delay has run does not spread",
          "[fire]") {
  // network.hpp: a suppressed room never ignites later. FireIncident::suppress_all relies
  // on it: an attack that controls the fire inside the spread delay (here 45 s after the
  // flashover) stops the neighbour's ignition already on its way.
  NetworkSpec ns;
  ns.rooms = {room("fire", 4.0, 4.0, 3.0), room("next", 4.0, 4.0, 3.0)};
  for (NetRoomSpec& r : ns.rooms) r.fuel = fast_fire(3000.0);
  ns.vents = {vent(0, kOutside, {1.5, 0.9, 2.1}), vent(0, 1, kDoor), vent(1, kOutside, kDoor)};
  ns.spread_delay_s = 45.0;
  FireNetwork net(ns);
  net.ignite(0, 0.0);
  // Step to just after the flashover, then put out both rooms 10 s later.
  double t = 0.0;
  while (!std::isfinite(net.room(0).flashover_s) && t < 1000.0) net.advance_to(t += 1.0);
  const double fo = net.room(0).flashover_s;
  REQUIRE(std::isfinite(fo));
  net.advance_to(fo + 10.0);
  net.suppress(0, fo + 10.0);
  net.suppress(1, fo + 10.0);
  net.advance_to(fo + 300.0);
  CHECK(std::isinf(net.room(1).ignited_s));
  CHECK(net.room(0).hrr_kw == 0.0);
  CHECK(net.rooms_involved() == 1);
}

// Reference: network.hpp (a window breaks when its `from` room's upper layer reaches
// breaks_at_c with the interface below its soffit), detected at the end of a step.
TEST_CASE("fire network: a window breaks when the upper layer reaches its breaking temperature",
          "[fire]") {
  NetworkSpec ns;
  ns.rooms = {room("office", 5.0, 4.0, 3.0)};
  ns.rooms[0].fuel = fast_fire(2000.0);
  ns.vents = {vent(0, kOutside, kDoor), vent(0, kOutside, {1.2, 1.0, 2.2}, false)};
  ns.vents[1].breaks_at_c = 300.0;
  FireNetwork net(ns);
  net.ignite(0, 0.0);
  double before = std::numeric_limits<double>::infinity();
  for (int t = 1; t <= 300 && !net.vent_open(1); ++t) {
    before = net.room(0).upper_c();
    net.advance_to(t);
  }
  REQUIRE(net.vent_open(1));
  CHECK(before < 300.0);
  CHECK(net.room(0).upper_c() >= 300.0);
  CHECK(net.room(0).layer_height_m < 2.2);
  CHECK(net.vent_opened_s(1) <= net.time_s());
  CHECK(net.vent_opened_s(1) > net.time_s() - 1.0);
}

// ---------------------------------------------------------------- suppression, decay

// Reference: network.hpp: suppress() takes the HRR linearly to zero over knockdown_s
// (hand calculation from 1000 kW over 60 s); hold() caps it at its value then.
TEST_CASE("fire network: suppress takes the HRR linearly to zero and hold caps it", "[fire]") {
  NetworkSpec ns;
  ns.rooms = {room("office", 5.0, 4.0, 3.0)};
  ns.rooms[0].fuel = fast_fire(1000.0);
  ns.vents = {vent(0, kOutside, kDoor)};
  FireNetwork a(ns);
  a.ignite(0, 0.0);
  a.advance_to(300.0);
  a.suppress(0, 300.0);
  CHECK(a.room(0).suppressed_s == 300.0);
  for (double dt : {15.0, 30.0, 45.0}) {
    a.advance_to(300.0 + dt);
    CHECK(a.room(0).hrr_kw == Approx(1000.0 * (1.0 - dt / 60.0)).epsilon(1e-12));
  }
  a.advance_to(360.0);
  const double e_out = a.room(0).fire_energy_kj;
  a.advance_to(500.0);
  CHECK(a.room(0).hrr_kw == 0.0);
  CHECK(a.room(0).fire_energy_kj == Approx(e_out).epsilon(1e-12));  // no re-ignition
  a.ignite(0, 500.0);
  a.advance_to(520.0);
  CHECK(a.room(0).hrr_kw == 0.0);
  // Energy: growth alpha t^3 / 3 to the peak at t_c, the plateau to 300 s, and the
  // knockdown's triangle 1000 kW x 60 s / 2.
  const double alpha = 1055.0 / (150.0 * 150.0), tc = std::sqrt(1000.0 / alpha);
  CHECK(e_out ==
        Approx(alpha * tc * tc * tc / 3.0 + 1000.0 * (300.0 - tc) + 30000.0).epsilon(1e-6));

  FireNetwork b(ns);
  b.ignite(0, 0.0);
  b.hold(0, 100.0);  // scheduled ahead
  b.advance_to(100.0);
  const double q100 = 1055.0 * 100.0 * 100.0 / 22500.0;
  CHECK(b.room(0).hrr_kw == Approx(q100).epsilon(1e-12));
  CHECK(b.room(0).suppressed_s == 100.0);
  b.advance_to(400.0);
  CHECK(b.room(0).hrr_kw == Approx(q100).epsilon(1e-12));
}

// Reference: hrr.hpp (EN 1991-1-2 annex E.4): the decay starts when 70 % of the fire load
// is released and falls linearly to zero, releasing exactly the fire load; FireHrr's
// closed form for the same unthrottled fire, the network's decay start being detected at
// the end of a step (<= 1 s late).
TEST_CASE("fire network: the fire load decays linearly after 70 % and releases exactly its energy",
          "[fire]") {
  FireSpec f = fast_fire(1000.0);
  f.fuel_energy_kj = 3.0e5;
  const FireHrr ref(f);
  NetworkSpec ns;
  ns.rooms = {room("office", 5.0, 4.0, 3.0)};
  ns.rooms[0].fuel = f;
  ns.vents = {vent(0, kOutside, kDoor)};
  FireNetwork net(ns);
  net.ignite(0, 0.0);
  const double mid = 0.5 * (ref.decay_start_s() + ref.burnout_s());
  net.advance_to(mid);
  // 1000 kW falling at 1000/180 kW/s: a start up to 1 s late is up to 5.6 kW.
  CHECK(net.room(0).hrr_kw == Approx(ref.hrr_kw(mid)).margin(6.0));
  net.advance_to(ref.burnout_s() + 5.0);
  CHECK(net.room(0).hrr_kw == 0.0);
  net.advance_to(ref.burnout_s() + 100.0);
  CHECK(net.room(0).fire_energy_kj == Approx(3.0e5).epsilon(1e-6));
  CHECK(std::abs(net.energy_residual_kj()) < 1e-9 * 3.0e5);
}

// ---------------------------------------------------------------- sealed rooms

// Reference: zone.hpp's sealed room, dP/dt = (gamma - 1)/V (q_u + q_l) (CFAST Tech. Ref.
// ch. 2), for a group of rooms with no path to the outside; conservation when the group
// is opened and its excess pressure released.
TEST_CASE(
    "fire network: a sealed pair of rooms pressurises, then vents when a door opens, books "
    "balanced",
    "[fire]") {
  NetworkSpec ns;
  ns.rooms = {room("a", 4.0, 4.0, 3.0), room("b", 5.0, 4.0, 3.0), room("c", 5.0, 4.0, 3.0)};
  ns.rooms[0].fuel = fast_fire(1500.0);
  ns.vents = {vent(0, 1, kDoor), vent(1, kOutside, kDoor, false), vent(1, 2, kDoor, false),
              vent(2, kOutside, kDoor)};
  FireNetwork net(ns);
  net.ignite(0, 0.0);
  net.advance_to(30.0);
  CHECK(net.room(0).floor_dp_pa > 100.0);  // a sealed fire raises the pressure
  CHECK(net.room(1).floor_dp_pa == Approx(net.room(0).floor_dp_pa).epsilon(0.01));
  CHECK(net.room(2).floor_dp_pa == Approx(0.0).margin(1e-9));
  CHECK(std::abs(net.mass_residual_kg()) < 1e-9);
  CHECK(std::abs(net.energy_residual_kj()) < 1e-9 * net.room(0).fire_energy_kj);
  net.set_vent_open(2, true);  // into c, which has an exit
  CHECK(std::abs(net.room(0).floor_dp_pa) < 10.0);
  net.advance_to(300.0);
  CHECK(net.room(2).upper_c() > kAmbientC + 20.0);
  CHECK(std::abs(net.oxygen_residual_kg()) < 1e-9);  // the released gas's oxygen booked
  CHECK(std::abs(net.mass_residual_kg()) < 1e-9);
  CHECK(std::abs(net.energy_residual_kj()) < 1e-9 * net.room(0).fire_energy_kj);
}

// ---------------------------------------------------------------- determinism

// Reference: the determinism rule of the engine (STYLE.md): same calls, same bits.
TEST_CASE("fire network: identical networks given the same calls give bit-identical results",
          "[fire]") {
  FireNetwork a(stair_building(true)), b(stair_building(true));
  a.ignite(0, 0.0);
  b.ignite(0, 0.0);
  for (int t = 10; t <= 200; t += 10) {
    a.advance_to(t);
    b.advance_to(t);
  }
  for (int r = 0; r < a.rooms(); ++r) {
    CHECK(a.room(r).upper_k == b.room(r).upper_k);
    CHECK(a.room(r).layer_height_m == b.room(r).layer_height_m);
    CHECK(a.room(r).floor_dp_pa == b.room(r).floor_dp_pa);
  }
  CHECK(a.steps() == b.steps());
  FireNetwork moved(std::move(a));
  moved.advance_to(210.0);
  b.advance_to(210.0);
  CHECK(moved.room(2).upper_k == b.room(2).upper_k);
}
