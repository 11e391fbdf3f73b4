// The crowd of a crowd-complaint incident (hqdrill/sim/complaint.hpp) on a small site
// built in code: a 20 m x 10 m street in front of a 4 m gate into a 20 m x 10 m yard,
// and a reception forecourt 300 m up the street. The crowd's behaviour comes from the
// agitation model (test_sim_agitation.cpp pins its formulas); these tests pin what the
// crowd does with it at the gate.
#include <catch2/catch.hpp>

#include "hqdrill/analysis/stats.hpp"
#include "hqdrill/peds/geometry.hpp"
#include "hqdrill/sim/complaint.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "hqdrill/sim/replication.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

Area box(const std::string& id, Index node, double x0, double y0, double x1, double y1,
         AreaKind kind) {
  Area a;
  a.id = id;
  a.name = id;
  a.node = node;
  a.kind = kind;
  a.outline = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
  a.area_m2 = (x1 - x0) * (y1 - y0);
  return a;
}

AreaDoor door(const std::string& id, peds::Vec2 a, peds::Vec2 b, Index to_area = kNone) {
  AreaDoor d;
  d.id = id;
  d.span = {a, b};
  d.kind = DoorKind::gate;
  d.to_area = to_area;
  return d;
}

/// The site, a crowd of `n` at the gate (arriving over the first 20 s by the street's
/// east end) and one role with a unit of `police` officers at the gate post.
struct GateSite {
  Scenario s;
  Index gate_node, rcp_node, police_unit;
  GateSite(int n, int police = 0) {
    gate_node = add_node(s, "gate", 10, 10, NodeKind::gate);
    rcp_node = add_node(s, "rcp", 310, 5, NodeKind::gate);
    add_edge(s, rcp_node, gate_node, 300);
    police_unit = add_unit(s, "police", gate_node, police);
    const Index guard = add_role(s, "guard", police_unit, 0);
    Area front = box("front", gate_node, 0, 0, 20, 10, AreaKind::street);
    front.doors = {door("west", {0, 0}, {0, 10}), door("east", {20, 0}, {20, 10}),
                   door("gate", {8, 10}, {12, 10}, 1)};
    Area yard = box("yard", gate_node, 0, 10, 20, 20, AreaKind::yard);
    Area rcp = box("rcp", rcp_node, 300, 0, 320, 15, AreaKind::waiting);
    rcp.fidelity = Fidelity::macro;
    s.site.areas = {front, yard, rcp};
    MeasureArea m;
    m.id = "at_gate";
    m.area = 0;
    m.polygon = {{6, 6}, {14, 6}, {14, 10}, {6, 10}};
    m.area_m2 = 32;
    s.site.measure_areas.push_back(m);
    Protocol p;
    p.id = "crowd";
    p.incident_type = "crowd_complaint";
    s.protocols.push_back(p);
    Incident inc = incident_at(gate_node, guard, 0, 0, 8 * 60);
    inc.type = "crowd_complaint";
    CrowdDef cd;
    CrowdGroup g;
    g.id = "g";
    g.count = Distribution::constant_of(n);
    g.arrive_s = Distribution::uniform_of(0, 20);
    g.area = 0;
    g.door = 1;  // east
    g.speed_mps = Distribution::constant_of(1.2);
    cd.groups.push_back(g);
    cd.gate.area = 0;
    cd.gate.door = 2;
    cd.gate.inside_area = 1;
    cd.gate.node = gate_node;
    cd.gate.defender_units = {police_unit};
    cd.gate.measure_area = 0;
    cd.behaviour.decision_interval_s = 10;
    cd.behaviour.disperse_s = Distribution::constant_of(60);
    inc.crowd = cd;
    s.incidents.push_back(inc);
  }
  CrowdDef& crowd() { return *s.incidents[0].crowd; }
  /// Everyone turns active and most push: legitimacy 0 (G = H), nobody deters.
  void angry() {
    crowd().behaviour.agitation.legitimacy = 0;
    crowd().behaviour.agitation.wait_loss_per_h = 0;
  }
};

int count(const std::vector<ComplainantState>& v, ComplainantState st) {
  return static_cast<int>(std::count(v.begin(), v.end(), st));
}

}  // namespace

TEST_CASE("a crowd that never reaches its agitation threshold never pushes (T2)", "[crowd]") {
  // L0 = 0.92 and nothing lowers it: G = H (1 - L) <= 0.08 < T = 0.1 (Epstein), so no one
  // turns active, whatever their risk aversion.
  GateSite site(60);
  CrowdDef& cd = site.crowd();
  cd.behaviour.agitation.legitimacy = 0.92;
  cd.behaviour.agitation.wait_loss_per_h = 0;
  cd.behaviour.agitation.gate_loss = 0;
  cd.behaviour.agitation.line_loss = 0;
  ComplaintCrowd c(site.s, 0, Pcg32(7, 1));
  c.set_gate_closed(true);
  c.advance(seconds_to_ms(240));
  const auto st = c.states();
  CHECK(count(st, ComplainantState::gather) == 60);
  CHECK(c.outcome().peak_gate_pressure_npm < 1.0);
  CHECK(c.outcome().breach == kNever);
  CHECK(c.outcome().intruders == 0);
}

TEST_CASE("an undefended gate gives way to a pushing crowd, a well-defended one holds", "[crowd]") {
  // 60 angry people: with L = 0 and no defenders an active share of 1 - T = 0.9 (T1), and
  // of those with a = H > T + 0.05 most pass their contagion threshold: about 45 push at
  // 2.0 m/s. Each drives m v / tau = 80 x 2.0 / 0.5 = 320 N, so together up to ~14 kN
  // against a 4 m gate holding 1500 N/m x 4 m = 6 kN (BS 6180 line load, our assumption).
  SECTION("no defenders: breached, and the crowd walks in") {
    GateSite site(60);
    site.angry();
    ComplaintCrowd c(site.s, 0, Pcg32(7, 1));
    c.set_gate_closed(true);
    c.advance(seconds_to_ms(300));
    const ComplaintOutcome& o = c.outcome();
    INFO("peak gate pressure " << o.peak_gate_pressure_npm << " N/m");
    CHECK(o.peak_gate_pressure_npm > 1500);
    REQUIRE(o.breach != kNever);
    CHECK(o.intruders > 10);
  }
  SECTION("60 defenders hold more than every pusher can drive: never breached") {
    // 6000 N + 60 x 320 N = 25.2 kN > 60 x 320 N = 19.2 kN, the most 60 pushers can load
    // the gate with at rest (T3: the wall carries the sum of m v0 / tau).
    GateSite site(60, 60);
    site.angry();
    ComplaintCrowd c(site.s, 0, Pcg32(7, 1));
    c.add_defenders(site.gate_node, 60);
    c.set_gate_closed(true);
    c.advance(seconds_to_ms(300));
    CHECK(c.outcome().breach == kNever);
    CHECK(c.outcome().intruders == 0);
    CHECK(c.defenders_at_gate() == 60);
  }
}

TEST_CASE("a crowd at an open gate walks in; dialogue and dispersal empty the scene", "[crowd]") {
  GateSite site(30);
  site.angry();
  site.crowd().dialogue_s = Distribution::constant_of(30);
  ComplaintCrowd c(site.s, 0, Pcg32(3, 1));
  c.advance(seconds_to_ms(120));
  CHECK(c.outcome().intruders > 0);
  CHECK(c.outcome().breach == kNever);  // nothing to breach: the gate was open
  c.start_dialogue();
  CHECK(c.outcome().dialogue_started == seconds_to_ms(120));
  // 30 complainants may name at most 5 representatives (Law 42/2013, Điều 29).
  CHECK(c.outcome().representatives == 5);
  c.advance(seconds_to_ms(600));
  CHECK(c.outcome().complaint_received == seconds_to_ms(150));
  CHECK(c.done());
}

TEST_CASE("the march takes its share of the group from the reception forecourt to the gate",
          "[crowd]") {
  GateSite site(0);
  CrowdDef& cd = site.crowd();
  cd.groups[0].area = 2;  // the reception forecourt (macro)
  cd.groups[0].door = kNone;
  cd.groups[0].count = Distribution::constant_of(50);
  cd.groups[0].march_share = 0.4;
  cd.groups[0].march_after_s = Distribution::constant_of(60);
  cd.groups[0].march_door = 1;  // they come in from the east
  ComplaintCrowd c(site.s, 0, Pcg32(5, 1));
  c.advance(seconds_to_ms(70));
  // 40 % of the 50 at the forecourt set off at 60 s after the first arrival.
  CHECK(c.outcome().marched == 20);
  CHECK(count(c.states(), ComplainantState::marching) == 20);
  // 300 m at 1.2 m/s = 250 s on the street.
  c.advance(seconds_to_ms(300));
  CHECK(count(c.states(), ComplainantState::marching) == 20);
  c.advance(seconds_to_ms(340));
  CHECK(count(c.states(), ComplainantState::marching) == 0);
  CHECK(c.frame().person.size() == 20);
}

TEST_CASE("the same seed gives the same crowd, byte for byte", "[crowd]") {
  GateSite site(40);
  site.angry();
  auto run = [&] {
    ComplaintCrowd c(site.s, 0, Pcg32(11, 2));
    c.set_gate_closed(true);
    c.advance(seconds_to_ms(120));
    const PedFrame f = c.frame();
    return std::make_tuple(f.x, f.y, c.outcome().peak_gate_pressure_npm, c.outcome().breach);
  };
  CHECK(run() == run());
}

namespace {

/// GateSite with a response: the guard on post at the gate closes it (task, 10 s) and
/// tells the reception official, who meets the crowd (the dialogue task, at the gate)
/// after `official_reaction_s`. The crowd of 60 loses legitimacy fast while unheard
/// (1.0 per hour, a test value) and a dialogue gives back 0.3.
Scenario responding_site(double official_reaction_s) {
  GateSite site(60, 1);
  Scenario& s = site.s;
  const Index officials = add_unit(s, "officials", site.gate_node, 1);
  const Index official = add_role(s, "official", officials, official_reaction_s);
  add_link(s, 0, official, 0);
  Protocol& p = s.protocols[0];
  TaskDef close;
  close.id = "close_gate";
  close.owner = 0;
  close.node = site.gate_node;
  close.duration_s = Distribution::constant_of(10);
  TaskDef talk;
  talk.id = "talk";
  talk.owner = official;
  talk.node = site.gate_node;
  talk.duration_s = Distribution::constant_of(60);
  p.tasks = {close, talk};
  Action do_close;
  do_close.kind = ActionKind::task;
  do_close.task = 0;
  Action do_talk;
  do_talk.kind = ActionKind::task;
  do_talk.task = 1;
  p.rules.push_back({0, {do_close, notify(official)}});
  p.rules.push_back({official, {do_talk}});
  CrowdDef& cd = site.crowd();
  cd.gate.closed_by_task = 0;
  cd.dialogue_task = 1;
  cd.dialogue_s = Distribution::constant_of(3600);
  cd.behaviour.agitation.legitimacy = 0.85;
  cd.behaviour.agitation.wait_loss_per_h = 1.0;
  cd.behaviour.agitation.dialogue_gain = 0.3;
  cd.groups[0].arrive_s = Distribution::uniform_of(0, 60);
  s.run.horizon = seconds_to_ms(1800);
  return s;
}

}  // namespace

TEST_CASE("a dialogue started earlier lowers the breach fraction over many runs (T6)", "[crowd]") {
  // Early (official reacts in 60 s): L = 0.85 - 1.0 x 70/3600 + 0.3 = 1 (clamped): nobody
  // is active, so the gate cannot be breached. Late (1500 s): L falls by 1/60 a minute,
  // and past L = 0.65 (10 min) G - R P > T + 0.05 is possible for most: pushers at 2 m/s
  // drive up to 320 N each against 1500 N/m x 4 m + one defender's 320 N = 6.32 kN; the
  // gate holds or goes depending on how many push in each run.
  const Scenario early = responding_site(60), late = responding_site(1500);
  const auto runs = [](const Scenario& s) {
    return run_experiment(s, ExperimentOptions{16, 42, 2, nullptr});
  };
  const ExperimentResults re = runs(early), rl = runs(late);
  const auto names = kpi_names(early, 0);
  const std::size_t k = static_cast<std::size_t>(
      std::find(names.begin(), names.end(), "breach_fraction") - names.begin());
  REQUIRE(k < names.size());
  double be = 0, bl = 0;
  for (std::size_t r = 0; r < 16; ++r) {
    be += *re.incidents[0].values[r][k];
    bl += *rl.incidents[0].values[r][k];
  }
  INFO("breaches: early dialogue " << be << " of 16, late " << bl << " of 16");
  CHECK(be == 0);
  CHECK(bl > 0);
  // Wilson intervals (JASA 1927) of the two shares do not overlap.
  CHECK(wilson_interval(be, 16).second < wilson_interval(bl, 16).first);
}

TEST_CASE("the street counts as blocked only while the crowd stands at the blocking density",
          "[crowd]") {
  // 60 people gather round the point 8 m in front of the gate, (10, 2), on a lattice at
  // 1 /m² (PedWorldOptions::dwell_density_pm2). The 8 m x 4 m street section round it
  // fills to about 1 /m²: blocked at 0.5 /m², never at 1.5 /m² (above the lattice).
  auto blocked = [](double density) {
    GateSite site(60);
    MeasureArea street;
    street.id = "street";
    street.area = 0;
    street.polygon = {{6, 0}, {14, 0}, {14, 4}, {6, 4}};
    street.area_m2 = 32;
    site.s.site.measure_areas.push_back(street);
    site.crowd().street_measure_area = 1;
    site.crowd().block_density_ppm2 = density;
    ComplaintCrowd c(site.s, 0, Pcg32(9, 1));
    c.set_gate_closed(true);
    c.advance(seconds_to_ms(300));
    return c.outcome().street_blocked_s;
  };
  const double low = blocked(0.5), high = blocked(1.5);
  INFO("blocked " << low << " s at 0.5 /m², " << high << " s at 1.5 /m²");
  CHECK(low > 120);               // filled within the first 3 minutes and stays
  CHECK(low <= 300);              // never more than the time simulated
  CHECK(low == std::floor(low));  // whole 1-s samples
  CHECK(high == 0);
}

TEST_CASE("people sitting in at an open gate stay in front of it", "[crowd]") {
  // The sit-in's standing point is 1.5 m in front of the gate; its lattice of spots must
  // not spill through the opening into the yard (they sit in; they do not enter). Bodies
  // packed in front of an open gate bulge into its opening by a body or two, no further.
  GateSite site(40);
  site.angry();
  site.crowd().groups[0].sit_in = true;
  ComplaintCrowd c(site.s, 0, Pcg32(4, 1));
  c.advance(seconds_to_ms(240));  // the gate is never closed
  const PedFrame f = c.frame();
  REQUIRE(f.person.size() == 40);
  for (std::size_t k = 0; k < f.person.size(); ++k) {
    INFO("person " << f.person[k] << " at (" << f.x[k] << ", " << f.y[k] << ")");
    CHECK(f.y[k] < 11.5f);  // the gate line is y = 10; the yard runs to y = 20
  }
  CHECK(c.outcome().intruders == 0);
  CHECK(count(c.states(), ComplainantState::sit_in) > 0);
}

TEST_CASE("nobody marches once the complaint has been received", "[crowd]") {
  GateSite site(0);
  CrowdDef& cd = site.crowd();
  cd.groups[0].area = 2;  // the reception forecourt
  cd.groups[0].door = kNone;
  cd.groups[0].count = Distribution::constant_of(50);
  cd.groups[0].march_share = 0.4;
  cd.groups[0].march_after_s = Distribution::constant_of(300);
  cd.groups[0].march_cancel_on_dialogue = false;
  cd.groups[0].arrive_s = Distribution::constant_of(0);
  cd.dialogue_s = Distribution::constant_of(30);
  cd.behaviour.disperse_s = Distribution::constant_of(600);  // still there at 300 s
  ComplaintCrowd c(site.s, 0, Pcg32(5, 1));
  c.advance(seconds_to_ms(10));
  c.start_dialogue();
  c.advance(seconds_to_ms(400));
  CHECK(c.outcome().complaint_received == seconds_to_ms(40));
  CHECK(c.outcome().marched == 0);
}

TEST_CASE("a gate closed again after a breach holds those inside as intruders", "[crowd]") {
  GateSite site(60);
  site.angry();
  ComplaintCrowd c(site.s, 0, Pcg32(7, 1));
  c.set_gate_closed(true);
  SimTime t = 0;
  while (c.outcome().breach == kNever && t < seconds_to_ms(300)) c.advance(t += 1000);
  REQUIRE(c.outcome().breach != kNever);
  c.advance(t += 5000);  // some walk in
  c.set_gate_closed(true);
  const PedFrame f = c.frame();
  int inside = 0;
  for (std::size_t k = 0; k < f.person.size(); ++k) inside += f.y[k] > 10.0f ? 1 : 0;
  INFO(inside << " people beyond the gate line when it shut again");
  CHECK(c.outcome().intruders >= inside);
  c.advance(t += 60000);
  // Nobody in the compound turns round to push at the gate from inside.
  const PedFrame g = c.frame();
  for (std::size_t k = 0; k < g.person.size(); ++k)
    if (g.y[k] > 10.5f) CHECK(g.state[k] != static_cast<std::uint8_t>(ComplainantState::push));
}
