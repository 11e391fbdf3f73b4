// Paired comparison of two plans (issue #9): the same incidents run with the same seed
// and replication numbers in plan A and plan B, KPI by KPI.
//
// Common random numbers. run_replication seeds every named stream ("detect", "reaction",
// "comms", "turnout", "travel", "tasks", "peds", "crowd", "fire") from (seed, run,
// incident index, stream name), so run k of A and run k of B start every stream at the
// same state when the incident has the same index in both. Within a stream the draws are
// taken in event order: as long as B makes the same draws in the same order, they are the
// same numbers (a faster link draws the same uniforms and turns them into shorter delays,
// Distribution::scaled). Where B changes the number or order of draws in a stream (a new
// notify adds comms draws, a new link changes which messages fail, one more guard changes
// who is sent), that stream drifts out of step after the change, and the pairing weakens
// for what depends on later draws of it; the other streams stay in step. The paired
// interval stays valid either way (the pairs are still independent across runs); it is
// only wider. An incident whose index differs between A and B is not paired by random
// numbers (IncidentComparison::common_random_numbers is false).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/experiment.hpp"

namespace hqdrill {

/// One KPI of one incident in A and B over the same runs. Differences are B − A.
struct KpiComparison {
  std::string kpi;
  std::size_t runs = 0;                 ///< runs compared (the same in A and B)
  std::size_t paired = 0;               ///< runs where the KPI happened in both
  double missing_a = 0, missing_b = 0;  ///< share of runs where it did not happen
  /// Mean of B's minus A's missing indicator, paired by run, with its 95% t-interval.
  double missing_diff = 0, missing_ci_low = 0, missing_ci_high = 0;
  /// The interval excludes 0 and the exact two-sided sign test (McNemar's on the
  /// discordant runs) gives p < 0.05: with common random numbers most paired differences
  /// are exactly 0, and a t-interval on a handful of non-zero ones is anti-conservative.
  bool missing_significant = false;
  /// Means over the runs where the KPI happened in that plan (NaN when in none).
  double mean_a = 0, mean_b = 0;
  /// Mean of the paired differences over the `paired` runs, and its 95% interval
  /// mean ± t_{0.975, n−1} sd / sqrt(n) (Student; n = paired). has_ci needs n >= 2.
  double mean_diff = 0, ci_low = 0, ci_high = 0;
  bool has_ci = false;
  bool significant = false;  ///< has_ci, the interval excludes 0 and the sign test p < 0.05
  double sign_test_p = 1;    ///< exact two-sided sign test on the non-zero differences
};

struct IncidentComparison {
  std::string incident;  ///< id
  Index index_a = kNone, index_b = kNone;
  bool common_random_numbers = false;  ///< same index in A and B (see above)
  std::vector<KpiComparison> kpis;     ///< KPIs both have, in A's order
  std::vector<std::string> only_a, only_b;
};

struct Comparison {
  int runs = 0;
  std::uint64_t seed = 0;
  std::vector<IncidentComparison> incidents;  ///< incidents both have, in A's order
  std::vector<std::string> only_a, only_b;    ///< incident ids in one plan only
};

/// Pairs run k of A with run k of B for every incident id both scenarios have. `ra` and
/// `rb` must come from run_experiment with the same seed and number of runs (asserted).
Comparison compare_runs(const Scenario& a, const ExperimentResults& ra, const Scenario& b,
                        const ExperimentResults& rb);

/// The 95% t-interval of the mean of paired differences (d_i), as used above:
/// {mean, low, high}; low = high = mean when fewer than two values.
struct PairedInterval {
  double mean = 0, low = 0, high = 0;
  bool has_ci = false;
};
PairedInterval paired_interval(const std::vector<double>& diffs);

/// Exact two-sided sign test of paired differences: p = min(1, 2 P(X <= min(n+, n-)))
/// with X ~ Binomial(n+ + n-, 1/2); zero differences are left out (1 when all are 0).
double sign_test_p(const std::vector<double>& diffs);

}  // namespace hqdrill
