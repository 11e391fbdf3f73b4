// Coordination behaviour of a replication: who holds a role, busy people, answering,
// acknowledgements, tasks, command. Constant delays, so every time is hand-computed.
// The base case (tests/support.hpp, Chain): detection 60 s; guard reacts 10 s and calls
// the leader (30 s) → 100; leader reacts 20 s and calls the squad leader (45 s) → 165;
// squad leader reacts 5 s → 170, turnout 10 s, 90 m at 1.5 m/s → on scene at 240.
#include <catch2/catch.hpp>

#include "hqdrill/sim/replication.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

std::optional<double> kpi(const Scenario& s, const RunRecord& r, const std::string& name) {
  const auto names = kpi_names(s, 0);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return r.kpis[i];
  FAIL("no KPI " << name);
  return std::nullopt;
}

Shift office_hours() {
  return shift(kMonToFri, 7 * 60, 17 * 60, 1);
}

}  // namespace

TEST_CASE("the facts record who told whom, over how many hops, with every attempt",
          "[sim][coord]") {
  Chain c;
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  const auto& roles = r.facts.roles;
  CHECK(roles[c.guard].hops == 0);
  CHECK(roles[c.leader].hops == 1);
  CHECK(roles[c.leader].alerted_by == c.guard);
  CHECK(roles[c.squad_leader].hops == 2);  // learned by relay through the leader
  CHECK(roles[c.squad_leader].alerted == 165000);
  REQUIRE(r.facts.messages.size() == 2);
  CHECK(r.facts.messages[1].first_attempt == 120000);
  CHECK(r.facts.messages[1].received == 165000);
  CHECK(r.facts.messages[1].acknowledged == 165000);  // a call: acknowledged on receipt
  REQUIRE(r.facts.orders.size() == 1);
  CHECK(r.facts.orders[0].unit == c.police);
  REQUIRE(r.facts.arrivals.size() == 1);
  CHECK(r.facts.arrivals[0].arrived == 240000);
  CHECK(r.facts.arrivals[0].busy_from == kNever);  // sent without a task: idle on scene
}

TEST_CASE("a vacant role is held by its fallback unit", "[sim][coord]") {
  // The office works office hours only; at night (Sunday 02:00) the guards hold the
  // leader role. The guards are free (the guard role finished its only call at 100), so
  // the relay runs as in the base case: squad leader told at 165.
  Chain c;
  c.s.units[c.office].shifts = {office_hours()};
  c.s.roles[c.leader].fallback_units = {c.guards};
  c.s.incidents[0].clock = IncidentClock{6, 2 * 60, {}, ""};
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(kpi(c.s, r, "notified_leader_s") == 100.0);
  CHECK(kpi(c.s, r, "notified_squad_leader_s") == 165.0);
}

TEST_CASE("one person holding two roles acts for one at a time", "[sim][coord]") {
  // One guard on duty holds the guard role, and the leader role at night (fallback).
  // The guard tells "the leader" in person in 0 s at 70, then calls the squad leader
  // (45 s, 70 → 115). The leader role is ready at 70 + 20 = 90 but its only person is
  // still acting as guard until 115: it waits and starts at 115.
  Chain c;
  c.s.units[c.guards].shifts[0].headcount = 1;
  c.s.units[c.office].shifts = {office_hours()};
  c.s.roles[c.leader].fallback_units = {c.guards};
  c.s.links[0].channel = Channel::in_person;
  c.s.links[0].delay_s = Distribution::constant_of(0);
  c.s.incidents[0].clock = IncidentClock{6, 2 * 60, {}, ""};
  add_link(c.s, c.guard, c.squad_leader, 45);
  c.s.protocols[0].rules[0].actions.push_back(notify(c.squad_leader));
  const RunRecord r = run_replication(c.s, 0, 1, 0, true);
  CHECK(kpi(c.s, r, "notified_leader_s") == 70.0);
  CHECK(kpi(c.s, r, "notified_squad_leader_s") == 115.0);
  CHECK(r.facts.roles[c.leader].started_acting == 115000);
  bool waited = false;
  for (const auto& e : r.trace.events) waited = waited || e.kind == TraceKind::role_waiting;
  CHECK(waited);
}

TEST_CASE("a phone call to someone busy on another call finds the line busy", "[sim][coord]") {
  // The guard calls the squad leader first (45 s, 70 → 115), then the leader (30 s,
  // 115 → 145). The squad leader (one person on duty) acts at 120 and calls PK20 for
  // 600 s (120 → 720). The leader acts at 165 and calls the squad leader: busy at 210,
  // retry after 60 s at 270, busy at 315, retry at 375, busy at 420: given up.
  Chain c;
  const Index desk_unit = add_unit(c.s, "pk20", c.office_node, 1);
  const Index desk = add_role(c.s, "pk20_desk", desk_unit, 0);
  add_link(c.s, c.squad_leader, desk, 600);
  add_link(c.s, c.guard, c.squad_leader, 45);
  c.s.units[c.police].shifts[0].headcount = 1;
  c.s.protocols[0].rules[0].actions = {notify(c.squad_leader), notify(c.leader)};
  c.s.protocols[0].rules[2].actions.insert(c.s.protocols[0].rules[2].actions.begin(), notify(desk));
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  const MessageFact* leader_call = nullptr;
  for (const auto& m : r.facts.messages)
    if (m.from_role == c.leader && m.to_role == c.squad_leader) leader_call = &m;
  REQUIRE(leader_call);
  CHECK(leader_call->first_attempt == 165000);
  CHECK(leader_call->attempts == 3);
  CHECK(leader_call->failures == 3);
  CHECK(leader_call->given_up);
  CHECK(kpi(c.s, r, "notified_squad_leader_s") == 115.0);
  CHECK(kpi(c.s, r, "notified_leader_s") == 145.0);
}

TEST_CASE("an on-call holder answers after the on-call pick-up time", "[sim][coord]") {
  // The office leader is on call at night and needs 120 s to answer: the guard's call
  // at 70 arrives at 100 and is answered at 220; the leader acts at 240 → squad leader
  // told at 285.
  Chain c;
  c.s.units[c.office].shifts = {on_call_shift()};
  c.s.roles[c.leader].on_call_answer_s = Distribution::constant_of(120);
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(kpi(c.s, r, "notified_leader_s") == 220.0);
  CHECK(kpi(c.s, r, "notified_squad_leader_s") == 285.0);
}

TEST_CASE("a radio read-back holds the sender until acknowledged", "[sim][coord]") {
  // The guard radios the leader (30 s) with a 15 s read-back, then calls the squad leader
  // directly (45 s): received 100, acknowledged 115, squad leader told 160.
  Chain c;
  c.s.links[0].channel = Channel::radio;
  c.s.links[0].ack_s = Distribution::constant_of(15);
  add_link(c.s, c.guard, c.squad_leader, 45);
  c.s.protocols[0].rules[0].actions.push_back(notify(c.squad_leader));
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(r.facts.messages[0].received == 100000);
  CHECK(r.facts.messages[0].acknowledged == 115000);
  CHECK(kpi(c.s, r, "notified_squad_leader_s") == 160.0);
}

TEST_CASE("a cut link means the message cannot be sent and the chain stops", "[sim][coord]") {
  Chain c;
  c.s.links[1].removed = true;  // leader → squad leader
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK_FALSE(kpi(c.s, r, "notified_squad_leader_s"));
  CHECK_FALSE(kpi(c.s, r, "on_scene_police_s"));
  REQUIRE(r.facts.messages.size() == 2);
  CHECK(r.facts.messages[1].link == kNone);
  CHECK(r.facts.messages[1].given_up);
}

namespace {
/// The squad leader closes the gate (a task at the gate, 40 s) instead of a bare dispatch.
void add_close_gate(Chain& c, std::vector<std::string> skills = {}) {
  TaskDef t;
  t.id = "close_gate";
  t.name = "Đóng cổng";
  t.owner = c.squad_leader;
  t.node = c.gate;
  t.members = 2;
  t.skills = std::move(skills);
  t.duration_s = Distribution::constant_of(40);
  c.s.protocols[0].tasks.push_back(t);
  Action a;
  a.kind = ActionKind::task;
  a.task = 0;
  c.s.protocols[0].rules[2].actions = {a};
}
}  // namespace

TEST_CASE("a task goes assigned, started, done at the hand-computed times", "[sim][coord]") {
  // Assigned at 170 when the squad leader acts; 2 members leave at 180, reach the gate at
  // 240 and start; done at 280.
  Chain c;
  add_close_gate(c);
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  REQUIRE(r.facts.tasks.size() == 1);
  const TaskFact& t = r.facts.tasks[0];
  CHECK(t.status == TaskStatus::done);
  CHECK(t.assigned == 170000);
  CHECK(t.started == 240000);
  CHECK(t.done == 280000);
  CHECK(kpi(c.s, r, "task_close_gate_done_s") == 280.0);
  REQUIRE(r.facts.arrivals.size() == 1);
  CHECK(r.facts.arrivals[0].busy_from == 240000);  // busy at once: not idle
}

TEST_CASE("a task whose owner is never told stays unowned", "[sim][coord]") {
  Chain c;
  add_close_gate(c);
  c.s.links[1].removed = true;
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(r.facts.tasks[0].status == TaskStatus::unowned);
  CHECK_FALSE(kpi(c.s, r, "task_close_gate_done_s"));
}

TEST_CASE("a task needing a skill the owner's unit lacks is unstaffed", "[sim][coord]") {
  Chain c;
  add_close_gate(c, {"crowd_control"});
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  CHECK(r.facts.tasks[0].status == TaskStatus::unstaffed);
  c.s.units[c.police].skills = {"crowd_control"};
  CHECK(run_replication(c.s, 0, 1, 0, false).facts.tasks[0].status == TaskStatus::done);
}

TEST_CASE("command passes to a higher authority when it arrives, after the hand-over",
          "[sim][coord]") {
  // Command: guard (lowest), then squad leader. The guard takes command when it acts
  // (70); the squad arrives at the gate at 240 and takes over after 30 s: 270.
  Chain c;
  c.s.protocols[0].command = {c.guard, c.squad_leader};
  c.s.protocols[0].handover_s = Distribution::constant_of(30);
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  REQUIRE(r.facts.command.size() == 2);
  CHECK(r.facts.command[0].role == c.guard);
  CHECK(r.facts.command[0].t == 70000);
  CHECK(r.facts.command[1].role == c.squad_leader);
  CHECK(r.facts.command[1].t == 270000);
}

TEST_CASE("two roles of the same unit both dispatching it leave two orders", "[sim][coord]") {
  // A protocol written to cause duplicated dispatch: the squad leader and a deputy (same
  // unit) are both told and both send the squad to the gate.
  Chain c;
  const Index deputy = add_role(c.s, "deputy", c.police, 5);
  add_link(c.s, c.leader, deputy, 45);
  c.s.protocols[0].rules[1].actions.push_back(notify(deputy));
  c.s.protocols[0].rules.push_back({deputy, {dispatch()}});
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  REQUIRE(r.facts.orders.size() == 2);
  CHECK(r.facts.orders[0].role != r.facts.orders[1].role);
  CHECK(r.facts.orders[0].unit == r.facts.orders[1].unit);
}

TEST_CASE("a task at the place a unit was already sent to is done by those members",
          "[sim][coord]") {
  // The squad leader sends 2 of 3 to the gate, then orders the gate closed (2 members):
  // the 2 on their way take the task; the third stays on post. They arrive at 240 and
  // close the gate by 280; the dispatch still counts as on scene at 240.
  Chain c;
  add_close_gate(c);
  c.s.protocols[0].rules[2].actions.insert(c.s.protocols[0].rules[2].actions.begin(), dispatch(2));
  const RunRecord r = run_replication(c.s, 0, 1, 0, true);
  CHECK(r.trace.movers.size() == 1);
  CHECK(r.facts.tasks[0].members == 2);
  CHECK(r.facts.tasks[0].started == 240000);
  CHECK(r.facts.tasks[0].done == 280000);
  CHECK(kpi(c.s, r, "on_scene_police_s") == 240.0);
}

TEST_CASE("a call-out never brings more people than the unit has off site", "[sim][coord]") {
  // Nobody of the 3-member squad is on site (the leader is on call); the first order
  // calls in all 3, a second order finds nobody left to call.
  Chain c;
  c.s.units[c.police].shifts = {on_call_shift()};
  c.s.units[c.police].callout_s = Distribution::constant_of(600);
  c.s.protocols[0].rules[2].actions = {dispatch(), dispatch(0, c.office_node)};
  const RunRecord r = run_replication(c.s, 0, 1, 0, true);
  REQUIRE(r.trace.movers.size() == 1);
  CHECK(r.trace.movers[0].members == 3);
  int unavailable = 0;
  for (const auto& e : r.trace.events) unavailable += e.kind == TraceKind::unit_unavailable;
  CHECK(unavailable == 1);
}

TEST_CASE("command passes when a unit reaches the place it was sent, not only the scene",
          "[sim][coord]") {
  // A fire engine reaches only the yard; here the squad is sent to the office node,
  // 200 m from the gate (the incident): leaves the post at 180, 90 + 200 m at 1.5 m/s
  // → 373.333 s; takes command 30 s later.
  Chain c;
  c.s.protocols[0].rules[2].actions = {dispatch(0, c.office_node)};
  c.s.protocols[0].command = {c.guard, c.squad_leader};
  c.s.protocols[0].handover_s = Distribution::constant_of(30);
  const RunRecord r = run_replication(c.s, 0, 1, 0, false);
  REQUIRE(r.facts.command.size() == 2);
  CHECK(r.facts.command[1].role == c.squad_leader);
  CHECK(r.facts.command[1].t == 180000 + 193333 + 30000);
}
