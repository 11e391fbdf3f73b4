// What an incident reads of a scenario: the roles in play (its detector, its protocol's
// rule roles, notify targets, task owners and command; a fire's detector, patrol and
// occupants' roles), the units involved (holders of those roles and their fallbacks, a
// fire's patrol, means and fire police, a crowd's gate defenders, commitments), the comms
// links its protocol notifies along and the roles it notifies. A change to anything else
// cannot change the incident's runs: the planner (plan::may_affect) and the sensitivity
// sweep re-run only the incidents that read what they change. The rule may over-include,
// never miss (tests: "may_affect" against real runs; sensitivity's byte-identical re-run).
#pragma once

#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill {

struct IncidentReads {
  std::vector<bool> roles, units, links;  ///< by index into the scenario's lists
  std::vector<bool> notified;             ///< roles its protocol notifies
  Index protocol = kNone;
  bool fire = false;         ///< a fire incident
  bool any_unit = false;     ///< some unit is involved
  bool any_vehicle = false;  ///< some unit involved drives
};

IncidentReads incident_reads(const Scenario& s, Index incident);

}  // namespace hqdrill
