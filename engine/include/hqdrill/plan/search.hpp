// Search for the best combination of plan options under a budget (issue #9).
//
// Objective (lower is better): the weighted target shortfall summed over the incidents,
//   J = Σ_incidents Σ_{targets t of the baseline} w_t · max(0, min_fraction_t − met_fraction_t),
// with met_fraction as summary.hpp computes it (a run where the KPI did not happen
// misses) and w_t the target's weight (Target::weight, default 1).
// J = 0 when every target is met; a target missed by 30 points of its fraction counts 0.3.
// The set of targets is frozen at the baseline's: the targets applicable to an incident's
// KPIs in the scenario as it is (summary.hpp targets_for) count for every combination, and
// a KPI a combination no longer produces (an option took a role out of the protocol)
// misses in every run. Targets that only a combination's new KPIs would make applicable do
// not count: an option cannot add or drop a term of J, only move it.
//
// Every combination is evaluated with the same seed and runs (common random numbers, see
// analysis/compare.hpp), so two combinations differ by their options, not by noise.
// An incident's share of J is reused between combinations that differ only in options it
// cannot see (plan::may_affect), which makes exhaustive search affordable.
//
// Method: exhaustive over every combination within the budget when there are at most
// `exhaustive_max` options (2^n combinations); otherwise greedy forward selection: from
// the empty plan, evaluate adding each remaining affordable option (paired, same runs)
// and keep the one with the lowest J (ties: lower cost, then file order), while J falls
// by at least the half-width of the 95% paired bootstrap interval of that step's ΔJ
// (below; min_step_interval): a step smaller than its own noise is not taken, so greedy
// does not add options on the strength of a few lucky runs. With constant delays the
// half-width is 0 and the rule is "while J falls".
//
// Recommendations (recommend()): the chosen plan, and each of its options alone, compared
// with the baseline on the same runs. Per target: the met fractions and the paired
// difference of the KPI (compare_runs: Student's t-interval over the runs where both have
// it, significant when it excludes 0 and the sign test gives p < 0.05). For J: a 95%
// percentile interval of ΔJ from a paired bootstrap over runs: 2000 resamples of the run
// indices, drawn with replacement from a fixed seed (so the interval is reproducible), the
// same indices for every incident and for both plans, so the pairing by common random
// numbers is kept. ΔJ is not a mean of per-run values (met_fraction enters through
// max(0, ·)), which is why a bootstrap rather than a t-interval.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/plan/options.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill::plan {

/// A budget: the summed cost of the chosen options in `dim` must be at most `limit`.
struct Budget {
  CostDim dim = CostDim::money_vnd;
  double limit = 0;
};

struct SearchOptions {
  int runs = 100;
  std::uint64_t seed = 1;
  int threads = 1;  ///< results do not depend on it
  std::vector<Budget> budgets;
  /// The cost axis of the Pareto front (default: the first budget's, else money_vnd).
  std::optional<CostDim> front_dim;
  int exhaustive_max = 10;  ///< at most 30 is honoured (2^30 combinations)
  /// Greedy: take a step only when it lowers J by at least its interval's half-width.
  bool min_step_interval = true;
  /// Called with (done, total) replications of the current batch; calls are serialised.
  std::function<void(int, int)> progress;
};

struct Evaluation {
  std::uint64_t mask = 0;  ///< bit i = option i chosen
  Cost cost;
  double objective = 0;
  std::vector<double> per_incident;  ///< each incident's share of the objective
};

/// One target of one incident, baseline against a plan on the same runs. Differences are
/// plan − baseline (negative = sooner, for a time).
struct TargetEffect {
  Index incident = kNone;
  Index target = kNone;  ///< into Scenario::targets
  std::string kpi;
  double max_value = 0, min_fraction = 0, weight = 1;
  double met_base = 0, met_with = 0;  ///< met fractions
  std::size_t paired = 0;             ///< runs where the KPI happened in both
  /// Mean paired difference of the KPI and its 95% t-interval (NaN without paired runs;
  /// low = high = mean with one); significant as KpiComparison::significant.
  double mean_diff = 0, ci_low = 0, ci_high = 0;
  bool has_ci = false;
  double sign_test_p = 1;
  bool significant = false;
};

/// A plan (mask) against the baseline.
struct PlanEffect {
  std::uint64_t mask = 0;
  double objective_base = 0, objective_with = 0, objective_diff = 0;
  double ci_low = 0, ci_high = 0;     ///< 95% paired bootstrap interval of objective_diff
  std::vector<TargetEffect> effects;  ///< significant first, then by |mean_diff| descending
};

struct Recommendations {
  std::uint64_t plan = 0;
  PlanEffect whole;               ///< the plan against the baseline
  std::vector<PlanEffect> items;  ///< each option of the plan alone, in file order
  long long replications = 0;     ///< simulated for them (0: search() reused its own runs)
};

struct SearchResult {
  std::string method;       ///< "exhaustive" or "greedy"
  std::string greedy_stop;  ///< greedy: why it stopped, in words ("" for exhaustive)
  CostDim front_dim = CostDim::money_vnd;
  double baseline_objective = 0;
  std::vector<Evaluation> evaluated;  ///< every combination evaluated, baseline first
  std::size_t best = 0;               ///< into evaluated: the lowest objective within budget
  /// Into evaluated: the combinations no other evaluated one beats on both cost (front_dim)
  /// and objective, by cost ascending (equal points: the first evaluated).
  std::vector<std::size_t> pareto;
  long long replications = 0;  ///< replications actually simulated (after reuse)
  /// The best plan against the baseline (as recommend(), from the search's own runs).
  Recommendations recommendations;
};

/// The targets of J for `incident`: those applicable in `s` (the baseline) to the
/// incident's KPIs there (into Scenario::targets).
std::vector<Index> objective_targets(const Scenario& s, Index incident);

/// J of one incident from its runs (IncidentRuns::values and kpi names) over the given
/// targets of s (see above); a target whose KPI is not in kpi_names misses in every run.
double incident_shortfall(const Scenario& s, const std::vector<Index>& targets,
                          const std::vector<std::string>& kpi_names,
                          const std::vector<std::vector<std::optional<double>>>& values);

bool within_budget(const Cost& c, const std::vector<Budget>& budgets);

/// Searches as described above. At most 64 options.
SearchResult search(const Scenario& s, const std::vector<PlanOption>& options,
                    const SearchOptions& opt);

/// Resamples of the bootstrap of ΔJ and its fixed seed (see above).
inline constexpr int kBootstrapResamples = 2000;
inline constexpr std::uint64_t kBootstrapSeed = 0x9e3779b97f4a7c15ull;

/// Compares `plan` and each of its options with the baseline, with opt's runs, seed and
/// threads (budgets are not used). Deterministic whatever the thread count. search() does
/// the same for its best plan from the runs it already has, simulating nothing more.
Recommendations recommend(const Scenario& s, const std::vector<PlanOption>& options,
                          std::uint64_t plan, const SearchOptions& opt);

/// Pareto front of points (cost, objective): indices by cost ascending.
std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points);

}  // namespace hqdrill::plan
