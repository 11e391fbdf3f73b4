#include "hqdrill/sim/reads.hpp"

namespace hqdrill {

IncidentReads incident_reads(const Scenario& s, Index incident) {
  const auto at = [](Index i) { return static_cast<std::size_t>(i); };
  IncidentReads r;
  r.roles.assign(s.roles.size(), false);
  r.notified.assign(s.roles.size(), false);
  r.units.assign(s.units.size(), false);
  r.links.assign(s.links.size(), false);
  const Incident& inc = s.incidents[at(incident)];
  const auto role = [&](Index x) {
    if (x != kNone) r.roles[at(x)] = true;
  };
  const auto unit = [&](Index x) {
    if (x != kNone) r.units[at(x)] = true;
  };
  role(inc.detected_by);
  r.protocol = inc.protocol;
  if (inc.protocol != kNone) {
    const Protocol& p = s.protocols[at(inc.protocol)];
    for (const Rule& rule : p.rules) {
      role(rule.role);
      for (const Action& a : rule.actions) {
        if (a.kind != ActionKind::notify) continue;
        role(a.role);
        r.notified[at(a.role)] = true;
        for (std::size_t l = 0; l < s.links.size(); ++l)
          if (s.links[l].from_role == rule.role && s.links[l].to_role == a.role) r.links[l] = true;
      }
    }
    for (const TaskDef& t : p.tasks) role(t.owner);
    for (Index c : p.command) role(c);
  }
  if (inc.fire) {
    r.fire = true;
    const FireDef& f = *inc.fire;
    for (const FireDetector& d : f.detectors) role(d.role);
    if (f.patrol) {
      role(f.patrol->role);
      unit(f.patrol->unit);
    }
    role(f.occupants_tell);
    for (const FireMeans& m : f.means)
      for (Index u : m.units) unit(u);
    unit(f.fire_police);
  }
  if (inc.crowd)
    for (Index u : inc.crowd->gate.defender_units) unit(u);
  for (const Commitment& c : inc.commitments) unit(c.unit);
  for (std::size_t k = 0; k < s.roles.size(); ++k) {
    if (!r.roles[k]) continue;
    unit(s.roles[k].unit);
    for (Index u : s.roles[k].fallback_units) unit(u);
  }
  for (std::size_t u = 0; u < s.units.size(); ++u) {
    if (!r.units[u]) continue;
    r.any_unit = true;
    if (s.units[u].mode == TravelMode::vehicle) r.any_vehicle = true;
  }
  return r;
}

}  // namespace hqdrill
