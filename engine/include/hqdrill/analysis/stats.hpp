// Statistics over replications: the numbers summary.json reports per KPI.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace hqdrill {

/// Summary of one KPI over runs. Missing values (the KPI never happened in a run) are
/// counted but excluded from the moments and quantiles.
struct KpiSummary {
  std::size_t runs = 0;     ///< runs in total
  std::size_t present = 0;  ///< runs where the KPI has a value
  double missing_fraction = 0;
  // The following are set only when present > 0.
  double mean = 0, sd = 0, min = 0, p50 = 0, p90 = 0, p95 = 0, max = 0;
  /// 95% confidence interval of the mean: mean ± t_{0.975, n-1} · sd / sqrt(n)
  /// (Student's t; n = present). Equal to [mean, mean] when present == 1.
  double ci95_low = 0, ci95_high = 0;
};

/// Quantile by linear interpolation between order statistics (Hyndman and Fan 1996,
/// definition 7, the default of R and NumPy). `sorted` must be sorted ascending, non-empty.
double quantile_sorted(const std::vector<double>& sorted, double p);

/// Two-sided Student's t critical value t_{1-alpha/2, dof}.
double student_t_critical(double alpha, std::size_t dof);

/// Wilson score interval of a proportion (E. B. Wilson, JASA 22 (1927) 209-212): for k
/// successes in n trials, (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = k/n;
/// unlike mean ± t sd / sqrt(n) it stays inside [0, 1] and is not empty at k = 0 or n.
/// Returns {low, high}; {0, 1} for n = 0.
std::pair<double, double> wilson_interval(double successes, double n, double z = 1.959964);

/// `values[i]` is run i's value, std::nullopt when missing. Deterministic: the result
/// depends only on the values in order, summed in run order.
KpiSummary summarize(const std::vector<std::optional<double>>& values);

}  // namespace hqdrill
