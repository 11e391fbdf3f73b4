// Small builders for scenarios written in code, so engine tests state their numbers
// directly and can be checked by hand.
#pragma once

#include <string>

#include "hqdrill/scenario.hpp"

namespace hqdrill::test {

inline constexpr DayMask kEveryDay = 0xFF;  ///< all eight day types, holidays included
inline constexpr DayMask kMonToFri = 0x1F;

/// `headcount` members on duty at `post` on `days` from `from_min` to `to_min` (minutes
/// of day; to ≤ from crosses midnight, from == to is around the clock).
inline Shift shift(DayMask days, int from_min, int to_min, int headcount, Index post = kNone,
                   bool on_call = false) {
  Shift sh;
  sh.days = days;
  sh.from_min = from_min;
  sh.to_min = to_min;
  sh.headcount = headcount;
  sh.post = post;
  sh.on_call = on_call;
  return sh;
}

/// Reachable by phone around the clock, nobody on site.
inline Shift on_call_shift(int headcount = 1) {
  return shift(kEveryDay, 0, 0, headcount, kNone, true);
}

inline Index add_node(Scenario& s, const std::string& id, double x, double y,
                      NodeKind kind = NodeKind::junction) {
  Node n;
  n.id = id;
  n.name = id;
  n.kind = kind;
  n.x_m = x;
  n.y_m = y;
  s.site.nodes.push_back(n);
  return static_cast<Index>(s.site.nodes.size() - 1);
}

inline Index add_edge(Scenario& s, Index a, Index b, double length_m, bool vehicle = false,
                      double vehicle_limit_mps = 0) {
  Edge e;
  e.id = s.site.nodes[a].id + "-" + s.site.nodes[b].id;
  e.from = a;
  e.to = b;
  e.length_m = length_m;
  e.modes = {true, vehicle};
  e.speed_limit_mps = {0, vehicle_limit_mps};
  s.site.edges.push_back(e);
  return static_cast<Index>(s.site.edges.size() - 1);
}

/// A unit on duty around the clock, every day type, at `home`.
inline Index add_unit(Scenario& s, const std::string& id, Index home, int on_duty,
                      TravelMode mode = TravelMode::foot) {
  Unit u;
  u.id = id;
  u.name = id;
  u.home = home;
  u.members = on_duty;
  u.mode = mode;
  if (on_duty > 0) u.shifts.push_back(shift(kEveryDay, 0, 0, on_duty, home));
  s.units.push_back(u);
  return static_cast<Index>(s.units.size() - 1);
}

inline Index add_role(Scenario& s, const std::string& id, Index unit, double reaction_s) {
  Role r;
  r.id = id;
  r.name = id;
  r.unit = unit;
  r.reaction_s = Distribution::constant_of(reaction_s);
  s.roles.push_back(r);
  return static_cast<Index>(s.roles.size() - 1);
}

inline Index add_link(Scenario& s, Index from, Index to, double delay_s, double p_fail = 0,
                      double retry_s = 60, int attempts = 3) {
  CommsLink l;
  l.id = s.roles[from].id + ">" + s.roles[to].id;
  l.from_role = from;
  l.to_role = to;
  l.channel = Channel::phone;
  l.delay_s = Distribution::constant_of(delay_s);
  l.failure_probability = p_fail;
  l.retry_s = Distribution::constant_of(retry_s);
  l.max_attempts = attempts;
  s.links.push_back(l);
  return static_cast<Index>(s.links.size() - 1);
}

inline Action notify(Index role) {
  Action a;
  a.kind = ActionKind::notify;
  a.role = role;
  return a;
}

inline Action dispatch(int members = 0, Index to = kNone) {
  Action a;
  a.kind = ActionKind::dispatch;
  a.members = members;
  a.to_node = to;
  return a;
}

/// Weekday 0 = Monday.
inline Incident incident_at(Index node, Index detector, double detect_s, int weekday,
                            int minute_of_day) {
  Incident i;
  i.id = "inc";
  i.type = "generic";
  i.name = "inc";
  i.node = node;
  i.clock.start_weekday = weekday;
  i.clock.start_minute_of_day = minute_of_day;
  i.detected_by = detector;
  i.detect_s = Distribution::constant_of(detect_s);
  i.protocol = 0;
  return i;
}

// guard (at the gate) → office leader → police squad leader; the police squad walks
// 90 m from its post to the gate at 1.5 m/s. Constant delays, so every time is exact.
struct Chain {
  Scenario s;
  Index gate, post, office_node, guards, office, police, guard, leader, squad_leader;
  Chain() {
    gate = add_node(s, "gate", 0, 0, NodeKind::gate);
    post = add_node(s, "post", 90, 0, NodeKind::guard_post);
    office_node = add_node(s, "office", 0, 200, NodeKind::building);
    add_edge(s, post, gate, 90);
    add_edge(s, gate, office_node, 200);
    guards = add_unit(s, "guards", gate, 2);
    office = add_unit(s, "office", office_node, 1);
    police = add_unit(s, "police", post, 3);
    s.units[police].turnout_s = Distribution::constant_of(10);
    s.units[police].speed_mps = Distribution::constant_of(1.5);
    guard = add_role(s, "guard", guards, 10);
    leader = add_role(s, "leader", office, 20);
    squad_leader = add_role(s, "squad_leader", police, 5);
    add_link(s, guard, leader, 30);
    add_link(s, leader, squad_leader, 45);
    Protocol p;
    p.id = "alarm";
    p.incident_type = "generic";
    p.rules.push_back({guard, {notify(leader)}});
    p.rules.push_back({leader, {notify(squad_leader)}});
    p.rules.push_back({squad_leader, {dispatch()}});
    s.protocols.push_back(p);
    s.incidents.push_back(incident_at(gate, guard, 60, /*Monday*/ 0, 9 * 60));
  }
};

}  // namespace hqdrill::test
