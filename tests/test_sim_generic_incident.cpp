#include <catch2/catch.hpp>

#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "hqdrill/sim/replication.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

double kpi(const Scenario& s, const RunRecord& r, const std::string& name) {
  const auto names = kpi_names(s, 0);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) {
      REQUIRE(r.kpis[i].has_value());
      return *r.kpis[i];
    }
  FAIL("no KPI " << name);
  return 0;
}

bool missing(const Scenario& s, const RunRecord& r, const std::string& name) {
  const auto names = kpi_names(s, 0);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return !r.kpis[i].has_value();
  FAIL("no KPI " << name);
  return false;
}

}  // namespace

TEST_CASE("a three-role chain with constant delays gives the hand-computed times", "[sim]") {
  // Hand computation: detected at 60; guard reacts 10 → calls at 70, leader receives
  // 70+30 = 100; leader reacts 20 → calls at 120, squad leader receives 120+45 = 165;
  // reacts 5 → orders at 170; turnout 10 → leaves at 180; 90 m at 1.5 m/s = 60 s → 240.
  Chain c;
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(kpi(c.s, r, "detect_s") == 60.0);
  CHECK(kpi(c.s, r, "notified_guard_s") == 60.0);
  CHECK(kpi(c.s, r, "notified_leader_s") == 100.0);
  CHECK(kpi(c.s, r, "notified_squad_leader_s") == 165.0);
  CHECK(kpi(c.s, r, "on_scene_police_s") == 240.0);
  CHECK(kpi(c.s, r, "all_on_scene_s") == 240.0);
}

TEST_CASE("a role notifies in order, busy on each call until it gets through", "[sim]") {
  // The guard now calls the leader (30 s) and then the squad leader directly (45 s):
  // leader at 70+30 = 100, squad leader at 100+45 = 145; squad on scene at
  // 145+5+10+60 = 220.
  Chain c;
  add_link(c.s, c.guard, c.squad_leader, 45);
  c.s.protocols[0].rules[0].actions.push_back(notify(c.squad_leader));
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(kpi(c.s, r, "notified_leader_s") == 100.0);
  CHECK(kpi(c.s, r, "notified_squad_leader_s") == 145.0);
  CHECK(kpi(c.s, r, "on_scene_police_s") == 220.0);
}

TEST_CASE("a message to a vacant role goes unanswered, is retried, then given up", "[sim]") {
  // The office works Mon–Fri 07:00–17:00; the incident is Sunday 02:00. The guard calls
  // at 70, 160 and 250 (each attempt 30 s, retry after 60 s): all unanswered.
  Chain c;
  c.s.units[c.office].shifts[0].days = 0x1F;  // Monday..Friday
  c.s.units[c.office].shifts[0].from_min = 7 * 60;
  c.s.units[c.office].shifts[0].to_min = 17 * 60;
  c.s.incidents[0].clock = IncidentClock{6, 2 * 60, {}, ""};
  const RunRecord r = run_replication(c.s, 0, 1, 0, true);
  CHECK(r.messages_sent == 3);
  CHECK(r.messages_failed == 3);
  CHECK(r.messages_given_up == 1);
  CHECK(missing(c.s, r, "notified_leader_s"));
  CHECK(missing(c.s, r, "notified_squad_leader_s"));
  CHECK(missing(c.s, r, "on_scene_police_s"));
  CHECK(missing(c.s, r, "all_on_scene_s"));
  std::vector<SimTime> sent;
  for (const auto& e : r.trace.events)
    if (e.kind == TraceKind::message_sent) sent.push_back(e.t);
  CHECK(sent == std::vector<SimTime>{70000, 160000, 250000});
}

TEST_CASE("a unit blocked by a closed gate waits and arrives once it reopens", "[sim]") {
  // The only path from the post to the gate closes at 100 s and reopens at 400 s. The
  // squad is ordered at 170 and would leave at 180, finds no route, and leaves when the
  // gate reopens at 400: arrival 400 + 60 = 460.
  Chain c;
  c.s.incidents[0].edge_events = {{100000, 0, true}, {400000, 0, false}};
  const RunRecord r = run_replication(c.s, 0, 1, 0, true);
  CHECK(kpi(c.s, r, "on_scene_police_s") == 460.0);
  bool blocked = false;
  for (const auto& e : r.trace.events) blocked = blocked || e.kind == TraceKind::unit_blocked;
  CHECK(blocked);
}

TEST_CASE("a unit with nobody on duty is called in when it has a callout", "[sim]") {
  // No police on duty; callout takes 600 s and they come from the post: the order at
  // 170 → ready at 770 → 60 s walk → 830.
  Chain c;
  c.s.units[c.police].shifts.clear();
  // The squad leader is reachable by phone, nobody on site.
  c.s.units[c.police].shifts.push_back(on_call_shift());
  c.s.units[c.police].callout_s = Distribution::constant_of(600);
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(kpi(c.s, r, "on_scene_police_s") == 830.0);
}

TEST_CASE("dispatch sends only the members asked for and keeps the rest on post", "[sim]") {
  // The squad leader sends 1 of 3; a second dispatch rule later sends the remaining 2.
  Chain c;
  c.s.protocols[0].rules[2].actions = {dispatch(1), dispatch(0, c.office_node)};
  const RunRecord r = run_replication(c.s, 0, 1, 0, true);
  int first = 0, second = 0;
  for (const auto& m : r.trace.movers) (m.destination == c.gate ? first : second) += m.members;
  CHECK(first == 1);
  CHECK(second == 2);
}

TEST_CASE("runs differ under random delays but repeat exactly for the same seed", "[sim]") {
  Chain c;
  c.s.links[0].delay_s = Distribution::triangular_of(10, 30, 90);
  c.s.units[c.police].speed_mps = Distribution::uniform_of(1.0, 2.0);
  const auto a = run_replication(c.s, 0, 7, 3, false);
  const auto b = run_replication(c.s, 0, 7, 3, false);
  const auto other = run_replication(c.s, 0, 7, 4, false);
  CHECK(a.kpis == b.kpis);
  CHECK(a.kpis != other.kpis);
}

TEST_CASE("experiment results are identical with 1 and 3 threads", "[sim]") {
  Chain c;
  c.s.links[0].delay_s = Distribution::lognormal_from_median_p90(30, 90);
  c.s.links[1].failure_probability = 0.3;
  ExperimentOptions one{200, 42, 1, nullptr}, three{200, 42, 3, nullptr};
  const auto r1 = run_experiment(c.s, one);
  const auto r3 = run_experiment(c.s, three);
  REQUIRE(r1.incidents.size() == 1);
  CHECK(r1.incidents[0].values == r3.incidents[0].values);
}

TEST_CASE("trace positions interpolate along an edge between waypoints", "[sim]") {
  // Police leave the post (x = 90) at 180 s and reach the gate (x = 0) at 240 s:
  // at 210 s they are halfway, x = 45.
  Chain c;
  const RunRecord r = run_replication(c.s, 0, 1, 0, true);
  const auto pos = positions_at(c.s.site, r.trace, 210000);
  REQUIRE(pos.size() == 1);
  CHECK(pos[0].x_m == Approx(45.0));
  CHECK(pos[0].y_m == Approx(0.0));
}

TEST_CASE("targets count missing KPIs as misses and pick median and worst runs", "[sim]") {
  // 4 runs, one KPI with values 100, 200, missing, 150; target ≤ 180 s in 75% of runs:
  // met in runs 0 and 3 → 50%, so missed. Median (lower) by value: 150 → run 3.
  // Worst: the runs missing the target are 1 (200) and 2 (missing); missing is worst.
  Scenario s;
  add_node(s, "n", 0, 0);
  add_unit(s, "u", 0, 1);
  add_role(s, "r", 0, 0);
  Protocol p;
  p.id = "p";
  p.incident_type = "generic";
  s.protocols.push_back(p);
  s.incidents.push_back(incident_at(0, 0, 0, 0, 0));
  s.targets.push_back({"", "detect_s", 180, 0.75, ""});
  ExperimentResults r;
  r.runs = 4;
  IncidentRuns ir;
  ir.incident = 0;
  ir.kpi_names = kpi_names(s, 0);
  REQUIRE(ir.kpi_names.front() == "detect_s");
  for (auto v : {std::optional<double>(100), std::optional<double>(200), std::optional<double>(),
                 std::optional<double>(150)}) {
    std::vector<std::optional<double>> row(ir.kpi_names.size());
    row[0] = v;
    ir.values.push_back(row);
  }
  r.incidents.push_back(ir);
  const auto sums = summarize(s, r);
  REQUIRE(sums[0].targets.size() == 1);
  CHECK(sums[0].targets[0].met_fraction == 0.5);
  CHECK_FALSE(sums[0].targets[0].met);
  CHECK(sums[0].primary_kpi == "detect_s");
  CHECK(sums[0].median_run == 3);
  CHECK(sums[0].worst_run == 2);
}
