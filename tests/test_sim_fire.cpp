// The fire incident end to end (sim/fire_incident.hpp coupled in sim/replication.cpp):
// cues reach roles through the protocol, the alarm starts the occupants, a team fetches a
// means and attacks, and the fire is controlled only while it is within that means.
#include <catch2/catch.hpp>
#include <cmath>

#include "hqdrill/fire/hrr.hpp"
#include "hqdrill/sim/replication.hpp"
#include "shipped_support.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

std::size_t kpi(const Scenario& s, const std::string& name, Index incident = 0) {
  const auto names = kpi_names(s, incident);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  FAIL("no KPI " << name);
  return 0;
}

/// A 5 x 5 x 3 m room with a door to the outside (1 x 2.1 m, open), a medium t-squared
/// fire (NFPA 72: 1055 kW at 300 s) with a large fire load, and a heat detector above
/// it; one guard at a booth 50 m away walks at 1 m/s and attacks with an extinguisher
/// (controls up to 300 kW, ready at once) kept at `means_node`.
struct RoomFire {
  Scenario s;
  Index booth, room, store, guards, guard;
  RoomFire(bool extinguisher_in_store) {
    booth = add_node(s, "booth", 0, 0, NodeKind::guard_post);
    room = add_node(s, "room", 50, 0, NodeKind::room);
    store = add_node(s, "store", 0, 200, NodeKind::store);
    add_edge(s, booth, room, 50);
    add_edge(s, booth, store, 200);
    s.mode_speed_mps[0] = Distribution::constant_of(1.0);
    guards = add_unit(s, "guards", booth, 1);
    guard = add_role(s, "guard", guards, 0);
    Protocol p;
    p.id = "fire";
    p.incident_type = "fire";
    TaskDef attack;
    attack.id = "attack";
    attack.owner = guard;
    attack.duration_s = Distribution::constant_of(10);
    p.tasks.push_back(attack);
    Action a;
    a.kind = ActionKind::task;
    a.task = 0;
    p.rules.push_back({guard, {a}});
    s.protocols.push_back(p);

    Incident inc = incident_at(room, kNone, 0, /*Sunday*/ 6, 2 * 60);
    inc.type = "fire";
    FireDef f;
    FireRoom r;
    r.id = "room";
    r.node = room;
    r.floor_area_m2 = 25;
    r.perimeter_m = 20;
    r.height_m = 3;
    fire::FireSpec fuel =
        fire::tsquared_fire(fire::tsquared_alpha_kw_per_s2(fire::GrowthClass::kMedium));
    fuel.fuel_energy_kj = 500e3 * 25;  // 500 MJ/m2
    r.fuel = fuel;
    r.records = 100;
    f.rooms.push_back(r);
    FireVent door;
    door.id = "door";
    door.from = 0;
    door.opening = {1.0, 0.0, 2.1};
    f.vents.push_back(door);
    f.origin = 0;
    FireDetector d;
    d.id = "heat";
    d.room = 0;
    d.kind = DetectorKind::heat;
    d.link = fire::heat_detector(50, 57);
    d.radius_m = 1.0;
    d.role = guard;
    f.detectors.push_back(d);
    f.attack_tasks = {0};
    FireMeans m;
    m.id = "extinguisher";
    m.kind = "extinguisher";
    m.node = extinguisher_in_store ? store : booth;
    m.max_hrr_kw = 300;
    f.means.push_back(m);
    inc.fire = f;
    s.incidents.push_back(inc);
    s.run.horizon = 3600 * kMsPerSecond;
  }
};

}  // namespace

TEST_CASE("a guard who attacks while the fire is within the extinguisher's reach controls it",
          "[sim][fire]") {
  // Booth extinguisher: the guard is told when the heat detector activates, acts at once
  // and walks the 50 m at 1 m/s: water... powder on the fire 50 s after he is told.
  RoomFire near(false);
  const RunRecord r = run_replication(near.s, 0, 7, 0, true);
  const double told = *r.kpis[kpi(near.s, "detect_s")];
  const double attack = *r.kpis[kpi(near.s, "first_attack_s")];
  CHECK(attack == Approx(told + 50.0).margin(1e-6));
  // The medium fire is below 300 kW until sqrt(300 / 0.01172) = 160 s.
  REQUIRE(attack < 160.0);
  CHECK(*r.kpis[kpi(near.s, "controlled_by_team_fraction")] == 1.0);
  CHECK(*r.kpis[kpi(near.s, "controlled_s")] == Approx(attack).margin(1e-6));
  CHECK(*r.kpis[kpi(near.s, "flashover_fraction")] == 0.0);
  REQUIRE(r.fire);
  CHECK(r.fire->cue == FireCue::detector);
}

TEST_CASE("a guard who must first fetch the extinguisher from the store arrives too late",
          "[sim][fire]") {
  // Store extinguisher: 200 m there and 250 m to the room, 450 s: the medium fire is at
  // 0.01172 x 450^2 = 2373 kW or more (below the door's ventilation limit
  // 1500 x 2.1 x sqrt(2.1) = 4565 kW), far past 300 kW.
  RoomFire far(true);
  RoomFire near(false);
  const RunRecord rf = run_replication(far.s, 0, 7, 0, true);
  const RunRecord rn = run_replication(near.s, 0, 7, 0, false);
  const double told = *rf.kpis[kpi(far.s, "detect_s")];
  CHECK(*rf.kpis[kpi(far.s, "first_attack_s")] == Approx(told + 450.0).margin(1e-6));
  CHECK(*rf.kpis[kpi(far.s, "controlled_by_team_fraction")] == 0.0);
  CHECK_FALSE(rf.kpis[kpi(far.s, "controlled_s")]);
  // More of the room's fire load burns, so more records are lost.
  CHECK(*rf.kpis[kpi(far.s, "records_lost_fraction")] >
        *rn.kpis[kpi(near.s, "records_lost_fraction")]);
  bool fetched = false;
  for (const TraceEvent& e : rf.trace.events) fetched |= e.kind == TraceKind::means_fetched;
  CHECK(fetched);
}

TEST_CASE("a heat detector above a fire too small to reach its rating never reports it",
          "[sim][fire]") {
  // A fire held at 50 kW under a 3 m ceiling: Alpert's ceiling jet at r = 1 m (r/H > 0.18)
  // is 5.38 (50/1)^(2/3) / 3 = 24.3 K above the layer, and the layer of a 50 kW fire in a
  // room with an open door stays far below 250 degC: a 300 degC heat detector never goes.
  RoomFire f(false);
  FireDef& def = *f.s.incidents[0].fire;
  def.rooms[0].fuel->peak_hrr_kw = 50;
  def.detectors[0].link = fire::heat_detector(50, 300);
  const RunRecord r = run_replication(f.s, 0, 7, 0, true);
  CHECK_FALSE(r.kpis[kpi(f.s, "detection_s")]);
  CHECK_FALSE(r.kpis[kpi(f.s, "first_attack_s")]);
  for (const FireFrame& fr : r.trace.fire_frames) CHECK(fr.upper_c[0] < 250.0f);
}

TEST_CASE("vehicle traffic windows slow units that set off in them", "[sim]") {
  // One car 1000 m away at 10 m/s: 100 s; in a 07:00-09:00 window of factor 0.5, 200 s.
  Chain c;
  const Index far = add_node(c.s, "station", 0, -1000);
  add_edge(c.s, far, c.gate, 1000, /*vehicle=*/true);
  const Index cars = add_unit(c.s, "cars", far, 2, TravelMode::vehicle);
  c.s.units[cars].speed_mps = Distribution::constant_of(10);
  c.s.roles[c.squad_leader].unit = cars;
  c.s.protocols[0].rules[2] = {c.squad_leader, {dispatch()}};
  const std::size_t k = kpi(c.s, "on_scene_cars_s");
  const RunRecord free_flow = run_replication(c.s, 0, 1, 0, false);
  c.s.traffic.push_back({kEveryDay, 7 * 60, 11 * 60, 0.5});
  const RunRecord rush = run_replication(c.s, 0, 1, 0, false);
  CHECK(*rush.kpis[k] - *free_flow.kpis[k] == Approx(100.0).margin(1e-6));
}

TEST_CASE("at night the records-room fire is found by the patrol or a detector, never by staff",
          "[sim][fire][scenarios]") {
  // Nobody works at 02:00 on a Sunday: the shipped night scenario has no occupants, so no
  // run may credit them; the baseline has no detector, so the guards' round finds it.
  const Scenario s = load_shipped("scenarios/fire-records-night.json");
  for (int run = 0; run < 6; ++run) {
    const RunRecord r = run_replication(s, 0, s.run.seed, static_cast<std::uint64_t>(run), false);
    REQUIRE(r.fire);
    if (r.fire->first_cue == kNever) continue;
    CHECK(r.fire->cue == FireCue::patrol);
  }
  const Scenario d = load_shipped("scenarios/fire-records-night-smoke-detector.json");
  for (int run = 0; run < 6; ++run) {
    const RunRecord r = run_replication(d, 0, d.run.seed, static_cast<std::uint64_t>(run), false);
    REQUIRE(r.fire);
    CHECK(r.fire->cue != FireCue::occupants);
  }
}

TEST_CASE("on a working day the occupants find the fire and move only after the alarm",
          "[sim][fire][scenarios]") {
  const Scenario s = load_shipped("scenarios/fire-offices-weekday.json");
  const RunRecord r = run_replication(s, 0, s.run.seed, 0, true);
  REQUIRE(r.fire);
  CHECK(r.fire->cue == FireCue::occupants);
  const auto alarm = r.kpis[kpi(s, "alarm_s")];
  REQUIRE(alarm);
  for (const PersonRecord& p : r.trace.people)
    if (p.starts != kNever) CHECK(ms_to_seconds(p.starts) >= *alarm);
}

TEST_CASE(
    "a detector in the records room brings the first attack sooner, a sprinkler saves the "
    "records",
    "[sim][fire][scenarios]") {
  // The acceptance case, paired runs of the night fire (same seeds). Baseline: the
  // hourly round finds the smoke, on average half an hour in. A smoke detector brings the
  // guard within minutes, but the fast archive fire (EN 1991-1-2: library, fast) has by
  // then filled the closed room with a layer hot enough to char the shelves; a sprinkler
  // holds the fire at a few hundred kW before that.
  auto mean_of = [](const std::string& file, const std::string& name) {
    const Scenario s = load_shipped(file);
    double sum = 0;
    int n = 0;
    for (int run = 0; run < 8; ++run) {
      const RunRecord r = run_replication(s, 0, s.run.seed, static_cast<std::uint64_t>(run), false);
      if (const auto v = r.kpis[kpi(s, name)]) {
        sum += *v;
        ++n;
      }
    }
    REQUIRE(n > 0);
    return sum / n;
  };
  const double base_attack = mean_of("scenarios/fire-records-night.json", "first_attack_s");
  const double det_attack =
      mean_of("scenarios/fire-records-night-smoke-detector.json", "first_attack_s");
  CHECK(det_attack < base_attack - 600.0);
  const double base_lost = mean_of("scenarios/fire-records-night.json", "records_lost_fraction");
  const double spr_lost =
      mean_of("scenarios/fire-records-night-sprinkler.json", "records_lost_fraction");
  CHECK(base_lost > 0.5);
  CHECK(spr_lost < 0.1);
}

TEST_CASE("a guard who opens the door of a fire starved behind it lets it flare up",
          "[sim][fire]") {
  // The room's door is shut and leaks 0.02 m2 (network.hpp): the fast fire burns the
  // 75 m3 room's own air and dies down to what the gaps feed it. The guard fetches the
  // extinguisher from the store (450 s) and opens the door to go in: air rushes in and the
  // fire grows back (verification row net-reopened) during the 60 s he needs to bring the
  // extinguisher into action, past the 300 kW it can put out.
  RoomFire f(true);
  FireDef& def = *f.s.incidents[0].fire;
  def.rooms[0].fuel = fire::tsquared_fire(fire::tsquared_alpha_kw_per_s2(fire::GrowthClass::kFast));
  def.rooms[0].fuel->fuel_energy_kj = 500e3 * 25;
  def.vents[0].open = false;
  def.vents[0].leak_m2 = 0.02;
  // A corridor outside the door, so the door is between two rooms (attackers open those).
  FireRoom corridor;
  corridor.id = "corridor";
  corridor.node = f.booth;
  corridor.floor_area_m2 = 40;
  corridor.perimeter_m = 44;
  corridor.height_m = 3;
  def.rooms.push_back(corridor);
  def.vents[0].to = 1;
  FireVent exit;
  exit.id = "exit";
  exit.from = 1;
  exit.opening = {1.0, 0.0, 2.1};
  def.vents.push_back(exit);
  def.means[0].setup_s = Distribution::constant_of(60);
  const RunRecord r = run_replication(f.s, 0, 7, 0, true);
  const double attack = *r.kpis[kpi(f.s, "first_attack_s")];
  double before = -1, after = -1;  // HRR at the last frame before going in, and at the attack
  for (const FireFrame& fr : r.trace.fire_frames) {
    const double t = ms_to_seconds(fr.t);
    if (t <= attack - 60.0) before = fr.hrr_kw[0];
    if (t <= attack) after = fr.hrr_kw[0];
  }
  INFO("HRR before going in " << before << " kW, at the attack " << after << " kW");
  CHECK(before < 300.0);
  CHECK(after > 300.0);
  CHECK(*r.kpis[kpi(f.s, "controlled_by_team_fraction")] == 0.0);
}
