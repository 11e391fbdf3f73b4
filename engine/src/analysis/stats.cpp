#include "hqdrill/analysis/stats.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <boost/math/distributions/students_t.hpp>

namespace hqdrill {

// Hyndman and Fan (1996), definition 7: h = (n - 1) p, linear between x[floor h] and
// x[floor h + 1] (0-based), the default of R's quantile() and NumPy's percentile().
double quantile_sorted(const std::vector<double>& sorted, double p) {
  assert(!sorted.empty());
  assert(std::is_sorted(sorted.begin(), sorted.end()));
  const std::size_t n = sorted.size();
  p = std::clamp(p, 0.0, 1.0);
  const double h = static_cast<double>(n - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= n) return sorted[n - 1];
  const double frac = h - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

double student_t_critical(double alpha, std::size_t dof) {
  if (dof == 0) return 0.0;  // one value: no spread, the CI collapses to the mean
  const boost::math::students_t dist(static_cast<double>(dof));
  return boost::math::quantile(dist, 1.0 - alpha / 2.0);
}

std::pair<double, double> wilson_interval(double k, double n, double z) {
  if (n <= 0) return {0.0, 1.0};
  const double p = k / n, z2 = z * z;
  const double centre = p + z2 / (2 * n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  const double denom = 1 + z2 / n;
  // At k = 0 (k = n) the bound is 0 (1) exactly; the formula leaves rounding residue.
  const double lo = k <= 0 ? 0.0 : std::max(0.0, (centre - half) / denom);
  const double hi = k >= n ? 1.0 : std::min(1.0, (centre + half) / denom);
  return {lo, hi};
}

KpiSummary summarize(const std::vector<std::optional<double>>& values) {
  KpiSummary s;
  s.runs = values.size();
  std::vector<double> present;
  present.reserve(values.size());
  for (const auto& v : values)
    if (v) present.push_back(*v);
  s.present = present.size();
  s.missing_fraction =
      s.runs == 0 ? 0.0 : static_cast<double>(s.runs - s.present) / static_cast<double>(s.runs);
  if (present.empty()) return s;

  // Two passes in run order (before sorting) so the sums do not depend on the values'
  // ranks and the variance does not suffer the cancellation of the one-pass formula.
  const double n = static_cast<double>(present.size());
  double sum = 0.0;
  for (double x : present) sum += x;
  s.mean = sum / n;
  if (present.size() > 1) {
    double ss = 0.0;
    for (double x : present) ss += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(ss / (n - 1.0));
  }
  const double half = student_t_critical(0.05, present.size() - 1) * s.sd / std::sqrt(n);
  s.ci95_low = s.mean - half;
  s.ci95_high = s.mean + half;

  std::sort(present.begin(), present.end());
  s.min = present.front();
  s.max = present.back();
  s.p50 = quantile_sorted(present, 0.50);
  s.p90 = quantile_sorted(present, 0.90);
  s.p95 = quantile_sorted(present, 0.95);
  return s;
}

}  // namespace hqdrill
