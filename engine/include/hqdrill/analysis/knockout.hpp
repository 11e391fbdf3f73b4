// Knock-out analysis: which single role or comms link the plan cannot do without. Each
// role in play and each link is removed in turn (Role::removed, CommsLink::removed) and
// the whole experiment re-run with the same seed and number of runs. The engine seeds
// every run from (seed, run, incident, purpose), so run k of the baseline and run k of a
// variant share their random draws (common random numbers) and the paired differences
// measure the knock-out, not the noise.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hqdrill/analysis/findings.hpp"
#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/experiment.hpp"

namespace hqdrill {

struct KnockoutOptions {
  int runs = 100;          ///< replications per incident, for the baseline and each variant
  std::uint64_t seed = 1;  ///< shared by the baseline and every variant
  int threads = 1;         ///< results do not depend on it
  /// Called with (done, total) replications over the baseline and all variants;
  /// calls are serialised.
  std::function<void(int, int)> progress;
};

enum class KnockoutKind : std::uint8_t { role, link };
const char* to_string(KnockoutKind k);

/// Mean paired change of one KPI of one incident: (1/R) Σ_runs (variant − baseline),
/// a KPI that did not happen counting as the horizon (s).
struct KpiDelta {
  Index incident = kNone;
  std::string kpi;
  double delta_s = 0;
};

/// A target's met fraction without and with the knock-out.
struct TargetDelta {
  Index incident = kNone;
  Index target = kNone;  ///< into Scenario::targets
  std::string kpi;
  double baseline_met = 0, variant_met = 0;
};

struct KnockoutItem {
  KnockoutKind kind = KnockoutKind::role;
  Index index = kNone;  ///< into Scenario::roles or Scenario::links
  std::string id;
  double objective = 0;    ///< the variant's objective (see knockout_objective)
  double degradation = 0;  ///< objective(variant) − objective(baseline)
  /// Change in expected target misses per run, summed over incidents:
  /// Σ over applicable targets of (met_fraction baseline − met_fraction variant).
  double target_miss_delta = 0;
  std::vector<TargetDelta> targets;  ///< every applicable target, in summary order
  std::vector<KpiDelta> kpis;        ///< every KPI both runs have, per incident in order
  double largest_kpi_delta_s = 0;    ///< max(0, max over kpis of delta_s)
  std::string largest_kpi;           ///< its KPI name ("" when none grew)
  Index largest_kpi_incident = kNone;
};

struct KnockoutResult {
  double baseline_objective = 0;
  std::vector<IncidentSummary> baseline;  ///< summaries of the unmodified scenario
  /// Every role in play and every link, by degradation (descending); ties: links before
  /// roles (a cut link that hurts as much as losing a role at its end is the narrower,
  /// cheaper-to-fix cause), then by id.
  std::vector<KnockoutItem> items;
};

/// The objective a knock-out degrades (lower is better), over the incidents of `r`:
///   Σ over incidents with applicable targets  Σ over those targets (1 − met_fraction)
/// + Σ over incidents without targets  (1/R) Σ_runs  min(all_on_scene_s, H) / H,
/// with all_on_scene_s = H when it did not happen and H = the horizon in seconds. The
/// first term is the expected number of target misses per run; the second, for an
/// incident with no target, is the mean share of the horizon until everyone sent arrived.
double knockout_objective(const Scenario& s, const ExperimentResults& r,
                          const std::vector<IncidentSummary>& sums);

/// Roles in play: each incident's detector, and in its protocol every rule role, every
/// role notified, every task owner and every role in the command order. In index order.
std::vector<Index> roles_in_play(const Scenario& s);

/// Runs the baseline and one variant per role in play and per comms link.
KnockoutResult run_knockouts(const Scenario& s, const KnockoutOptions& opt);

/// One single_point_of_failure finding per item with degradation > 0, in the items'
/// order: incident "", subject = role or link id, frequency 1,
/// cost_s = largest_kpi_delta_s, and impact = degradation × 3600, i.e. one expected
/// target miss per run weighs as much as one hour a week of an unmanned post in
/// coverage_findings. Evidence (run −1) names the target that lost most and the KPI
/// that grew most.
std::vector<Finding> knockout_findings(const Scenario& s, const KnockoutResult& r);

}  // namespace hqdrill
