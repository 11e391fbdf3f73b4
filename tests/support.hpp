// Small builders for scenarios written in code, so engine tests state their numbers
// directly and can be checked by hand.
#pragma once

#include <string>

#include "hqdrill/scenario.hpp"

namespace hqdrill::test {

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
  if (on_duty > 0) {
    Shift sh;
    sh.days = 0xFF;
    sh.from_min = 0;
    sh.to_min = 0;  // from == to: around the clock
    sh.headcount = on_duty;
    sh.post = home;
    u.shifts.push_back(sh);
  }
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

}  // namespace hqdrill::test
