// Search for the best combination of plan options under a budget (issue #9).
//
// Objective (lower is better): the weighted target shortfall summed over the incidents,
//   J = Σ_incidents Σ_{applicable targets t} w_t · max(0, min_fraction_t − met_fraction_t),
// with met_fraction as summary.hpp computes it (a run where the KPI did not happen
// misses) and w_t = 1 for every target (the scenario format has no target weight yet).
// J = 0 when every target is met; a target missed by 30 points of its fraction counts 0.3.
//
// Every combination is evaluated with the same seed and runs (common random numbers, see
// analysis/compare.hpp), so two combinations differ by their options, not by noise.
// An incident's share of J is reused between combinations that differ only in options it
// cannot see (plan::may_affect), which makes exhaustive search affordable.
//
// Method: exhaustive over every combination within the budget when there are at most
// `exhaustive_max` options (2^n combinations); otherwise greedy forward selection: from
// the empty plan, evaluate adding each remaining affordable option (paired, same runs)
// and keep the one with the lowest J (ties: lower cost, then file order), while J falls.
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
  /// Called with (done, total) replications of the current batch; calls are serialised.
  std::function<void(int, int)> progress;
};

struct Evaluation {
  std::uint64_t mask = 0;  ///< bit i = option i chosen
  Cost cost;
  double objective = 0;
  std::vector<double> per_incident;  ///< each incident's share of the objective
};

struct SearchResult {
  std::string method;  ///< "exhaustive" or "greedy"
  CostDim front_dim = CostDim::money_vnd;
  double baseline_objective = 0;
  std::vector<Evaluation> evaluated;  ///< every combination evaluated, baseline first
  std::size_t best = 0;               ///< into evaluated: the lowest objective within budget
  /// Into evaluated: the combinations no other evaluated one beats on both cost (front_dim)
  /// and objective, by cost ascending (equal points: the first evaluated).
  std::vector<std::size_t> pareto;
  long long replications = 0;  ///< replications actually simulated (after reuse)
};

/// J of one incident from its runs (IncidentRuns::values and kpi names): see above.
double incident_shortfall(const Scenario& s, Index incident,
                          const std::vector<std::string>& kpi_names,
                          const std::vector<std::vector<std::optional<double>>>& values);

bool within_budget(const Cost& c, const std::vector<Budget>& budgets);

/// Searches as described above. At most 64 options.
SearchResult search(const Scenario& s, const std::vector<PlanOption>& options,
                    const SearchOptions& opt);

/// Pareto front of points (cost, objective): indices by cost ascending.
std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points);

}  // namespace hqdrill::plan
