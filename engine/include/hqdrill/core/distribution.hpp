// Distributions for every delay and speed in a scenario. Own samplers, so the
// same seed gives the same draws with any standard library (STYLE.md habit 8).
#pragma once

#include <string>
#include <vector>

#include "hqdrill/core/rng.hpp"

namespace hqdrill {

enum class DistKind {
  constant,     ///< value
  uniform,      ///< min, max
  triangular,   ///< min, mode, max
  normal,       ///< mean, sd, truncated to [min, max] (defaults: -inf, +inf)
  lognormal,    ///< mu, sigma of log(X); optionally truncated to [min, max]
  exponential,  ///< mean; optionally shifted by min (X = min + Exp(mean - min))
  empirical,    ///< values (+ weights): resample; with interpolate, piecewise-linear CDF
};

/// A distribution as a plain value. Construct with the named factories, which check
/// nothing: validation belongs to the I/O layer (STYLE.md habit 10); `check()` reports
/// the first inconsistency for those who build definitions in code.
struct Distribution {
  DistKind kind = DistKind::constant;
  double a = 0.0;      ///< constant: value; uniform/triangular: min; normal: mean; lognormal: mu;
                       ///< exponential: mean
  double b = 0.0;      ///< uniform/triangular: max; normal: sd; lognormal: sigma
  double c = 0.0;      ///< triangular: mode
  double lo = -1e300;  ///< truncation bounds (normal, lognormal); shift (exponential: lo,
                       ///< where the unbounded default -1e300 means no shift)
  double hi = 1e300;
  std::vector<double> values;   ///< empirical sample values (sorted when interpolate)
  std::vector<double> weights;  ///< empirical weights (empty = equal)
  bool interpolate = false;     ///< empirical: piecewise-linear CDF between sorted values

  static Distribution constant_of(double v);
  static Distribution uniform_of(double min, double max);
  static Distribution triangular_of(double min, double mode, double max);
  static Distribution normal_of(double mean, double sd, double min = -1e300, double max = 1e300);
  static Distribution lognormal_of(double mu, double sigma, double min = -1e300,
                                   double max = 1e300);
  /// Lognormal given its median and 90th percentile (how planners state delays):
  /// mu = ln(median), sigma = ln(p90 / median) / z_0.9 with z_0.9 = 1.2815515655446004.
  static Distribution lognormal_from_median_p90(double median, double p90);
  static Distribution exponential_of(double mean, double shift = 0.0);
  static Distribution empirical_of(std::vector<double> values, std::vector<double> weights = {},
                                   bool interpolate = false);

  /// Analytic mean (truncation of normal and lognormal ignored when bounds are infinite).
  double mean() const;
  /// The distribution of factor · X (factor > 0): every location, scale, bound and value
  /// times factor (lognormal: mu + ln factor); unbounded bounds stay unbounded. Drawn from
  /// the same stream, it gives factor times the draw of the original (up to rounding).
  Distribution scaled(double factor) const;
  /// Median (truncated normal and lognormal: by bisection on the CDF, to 1e-12 relative;
  /// empirical without interpolate: the smallest value with at least half the weight).
  double median() const;
  /// Same median m, dispersion times `factor` (> 0), the shape kept (sensitivity analysis):
  ///   lognormal: ln X' = ln m + factor (ln X - ln m): sigma times factor, mu and the
  ///              bounds moved with it, so the ratio p90 / median r becomes r^factor;
  ///   constant: unchanged; every other kind: X' = m + factor (X - m) (uniform and
  ///              triangular: the width about the median; normal: sd and bounds;
  ///              exponential: shift and mean; empirical: each value).
  /// A distribution whose smallest value is >= 0 keeps it >= 0: factor is first capped at
  /// spread_cap(). The median stays m exactly (up to rounding).
  Distribution with_spread(double factor) const;
  /// The largest factor with_spread honours: m / (m - min) when the smallest possible
  /// value min is >= 0 and below m (lognormal, constant and unbounded kinds: infinity).
  double spread_cap() const;
  /// An empty string when consistent, otherwise what is wrong.
  std::string check() const;
};

/// One draw. constant: no uniform draw; uniform, triangular, exponential, empirical: one
/// (next_double or next_below); normal and lognormal: the polar method's pairs (on average
/// 2.55 uniforms), repeated by rejection while outside [lo, hi], at most 1000 times, then
/// clamped into [lo, hi] (check() refuses bounds keeping under 1% of the probability).
double sample(const Distribution& d, Pcg32& rng);

/// Standard normal draw (Marsaglia polar method, one value per call, no caching so the
/// number of uniforms consumed depends only on the rejection loop).
double sample_standard_normal(Pcg32& rng);

}  // namespace hqdrill
