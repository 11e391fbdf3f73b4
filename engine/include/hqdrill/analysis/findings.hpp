// Coordination-gap findings: where coordination breaks, how often, at what cost, and
// with evidence that points at real events of real runs.
#pragma once

#include <string>
#include <vector>

#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/experiment.hpp"

namespace hqdrill {

enum class FindingKind : std::uint8_t {
  late_notification,          ///< a role told later than its notified_<role>_s target
  unreliable_link,            ///< a link whose attempts fail and cost retries
  indirect_link,              ///< a role learns only by relay (hops ≥ 2), late, or never
  never_notified,             ///< a role in the protocol that never learns of the incident
  unowned_task,               ///< owner vacant or never told
  unstaffed_task,             ///< owner acted but no qualified member was free
  duplicated_dispatch,        ///< two roles sent the same unit (same destination)
  conflicting_orders,         ///< two roles sent the same unit to different places
  idle_on_scene,              ///< a unit arrived and waited with no task
  coverage_hole,              ///< a post or skill empty at some hours of the week (static)
  single_point_of_failure,    ///< knock-out: removing a role or cutting a link degrades KPIs
  gate_breached,              ///< crowd complaint: the crowd broke through the defended gate
  dangerous_density,          ///< crowd complaint: the crowd reached Fruin's 5.55 /m²
  gate_undefended,            ///< crowd complaint: people at the gate before any defender was there
  fire_outgrew_first_attack,  ///< fire: the in-house attack came when the fire was beyond it
  occupants_exposed,          ///< fire: people still in a room when it became untenable
};
const char* to_string(FindingKind k);

struct Evidence {
  int run = -1;       ///< run index (as in runs.csv and traces); -1: not run-specific
  double t_s = 0;     ///< time of the event in that run
  std::string event;  ///< short English description of the event
};

struct Finding {
  FindingKind kind = FindingKind::late_notification;
  std::string incident;  ///< incident id ("" for scenario-wide findings)
  std::string subject;   ///< id of the role, link, task, unit or post concerned
  double frequency = 0;  ///< share of runs where it happened (1 for static findings)
  double cost_s = 0;     ///< mean cost in seconds in the runs where it happened
  /// Ranking key, comparable only within a group: per-run kinds frequency × cost_s
  /// (expected seconds lost per run); coverage_hole seconds of exposure per week;
  /// single_point_of_failure degradation × 3600 (expected target misses × 3600).
  double impact = 0;
  std::vector<Evidence> evidence;  ///< a few runs (worst first), at most 5
  std::string text_vi, text_en;    ///< one plain sentence each
};

/// Runs every per-run detector over the experiment and ranks findings by impact
/// (descending; ties by kind, incident, subject — deterministic).
std::vector<Finding> detect_findings(const Scenario& s, const ExperimentResults& r,
                                     const std::vector<IncidentSummary>& sums);

}  // namespace hqdrill
