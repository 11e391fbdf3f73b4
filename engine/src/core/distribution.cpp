#include "hqdrill/core/distribution.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>
#include <utility>

namespace hqdrill {

namespace {

// The factories' default truncation bounds; a bound at or beyond them means "none".
constexpr double kUnbounded = 1e300;
// z_0.9, the 90th percentile of the standard normal (any normal table).
constexpr double kZ90 = 1.2815515655446004;
// Rejection sampling of a truncated normal or lognormal gives up after this many tries
// and clamps the last draw into [lo, hi]. check() refuses bounds that keep less than
// kMinMass of the probability, so with a checked distribution the fallback happens
// with probability at most (1 - 0.01)^1000 < 5e-5 per sample.
constexpr int kMaxTries = 1000;
constexpr double kMinMass = 0.01;

bool has_lo(const Distribution& d) {
  return d.lo > -kUnbounded;
}
bool has_hi(const Distribution& d) {
  return d.hi < kUnbounded;
}

// Standard normal CDF via the complementary error function: Phi(x) = erfc(-x/sqrt 2)/2.
double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}
double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

// Exponential: the shift is `lo` when set by exponential_of, zero when left unbounded.
double exponential_shift(const Distribution& d) {
  return has_lo(d) ? d.lo : 0.0;
}

// Standardised truncation points of the underlying normal (of X for normal, of ln X for
// lognormal); infinite when a side is unbounded.
std::pair<double, double> normal_bounds(const Distribution& d) {
  const double inf = HUGE_VAL;
  if (d.kind == DistKind::normal) {
    return {has_lo(d) ? (d.lo - d.a) / d.b : -inf, has_hi(d) ? (d.hi - d.a) / d.b : inf};
  }
  const double lo = has_lo(d) && d.lo > 0.0 ? (std::log(d.lo) - d.a) / d.b : -inf;
  const double hi = has_hi(d) ? (std::log(d.hi) - d.a) / d.b : inf;
  return {lo, hi};
}

double truncated_mass(const Distribution& d) {
  const auto [alpha, beta] = normal_bounds(d);
  return normal_cdf(beta) - normal_cdf(alpha);
}

// Draws `draw()` until it falls in [lo, hi]; see kMaxTries for the fallback.
template <class Draw>
double rejection(const Distribution& d, Draw draw) {
  double x = draw();
  if (!has_lo(d) && !has_hi(d)) return x;
  for (int i = 1; i < kMaxTries && (x < d.lo || x > d.hi); ++i) x = draw();
  return std::clamp(x, d.lo, d.hi);
}

}  // namespace

Distribution Distribution::constant_of(double v) {
  Distribution d;
  d.kind = DistKind::constant;
  d.a = v;
  return d;
}

Distribution Distribution::uniform_of(double min, double max) {
  Distribution d;
  d.kind = DistKind::uniform;
  d.a = min;
  d.b = max;
  return d;
}

Distribution Distribution::triangular_of(double min, double mode, double max) {
  Distribution d;
  d.kind = DistKind::triangular;
  d.a = min;
  d.b = max;
  d.c = mode;
  return d;
}

Distribution Distribution::normal_of(double mean, double sd, double min, double max) {
  Distribution d;
  d.kind = DistKind::normal;
  d.a = mean;
  d.b = sd;
  d.lo = min;
  d.hi = max;
  return d;
}

Distribution Distribution::lognormal_of(double mu, double sigma, double min, double max) {
  Distribution d;
  d.kind = DistKind::lognormal;
  d.a = mu;
  d.b = sigma;
  d.lo = min;
  d.hi = max;
  return d;
}

// median = exp(mu); p90 = exp(mu + z_0.9 sigma).
Distribution Distribution::lognormal_from_median_p90(double median, double p90) {
  return lognormal_of(std::log(median), std::log(p90 / median) / kZ90);
}

Distribution Distribution::exponential_of(double mean, double shift) {
  Distribution d;
  d.kind = DistKind::exponential;
  d.a = mean;
  d.lo = shift;
  return d;
}

// With interpolate the values are sorted here (sampling needs them sorted); weights are
// left alone, check() reports them as unused.
Distribution Distribution::empirical_of(std::vector<double> values, std::vector<double> weights,
                                        bool interpolate) {
  Distribution d;
  d.kind = DistKind::empirical;
  d.values = std::move(values);
  d.weights = std::move(weights);
  d.interpolate = interpolate;
  if (interpolate) std::sort(d.values.begin(), d.values.end());
  return d;
}

double Distribution::mean() const {
  switch (kind) {
    case DistKind::constant:
      return a;
    case DistKind::uniform:
      return 0.5 * (a + b);
    case DistKind::triangular:
      return (a + b + c) / 3.0;
    case DistKind::normal: {
      if (!(b > 0.0)) return std::clamp(a, lo, hi);
      if (!has_lo(*this) && !has_hi(*this)) return a;
      // Truncated normal: mu + sd (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))
      // (Johnson, Kotz, Balakrishnan, Continuous Univariate Distributions, vol. 1, 13.10).
      const auto [alpha, beta] = normal_bounds(*this);
      const double mass = normal_cdf(beta) - normal_cdf(alpha);
      if (!(mass > 0.0)) return std::clamp(a, lo, hi);
      return a + b * (normal_pdf(alpha) - normal_pdf(beta)) / mass;
    }
    case DistKind::lognormal: {
      const double untruncated = std::exp(a + 0.5 * b * b);
      if (!(b > 0.0)) return std::clamp(std::exp(a), lo, hi);
      if (!has_lo(*this) && !has_hi(*this)) return untruncated;
      // E[X | lo <= X <= hi] = exp(mu + sigma^2/2) (Phi(beta - sigma) - Phi(alpha - sigma))
      //                        / (Phi(beta) - Phi(alpha)), alpha, beta standardised ln bounds.
      const auto [alpha, beta] = normal_bounds(*this);
      const double mass = normal_cdf(beta) - normal_cdf(alpha);
      if (!(mass > 0.0)) return std::clamp(std::exp(a), lo, hi);
      return untruncated * (normal_cdf(beta - b) - normal_cdf(alpha - b)) / mass;
    }
    case DistKind::exponential:
      return a;
    case DistKind::empirical: {
      if (values.empty()) return 0.0;
      const std::size_t n = values.size();
      if (interpolate) {
        // Equal mass 1/(n-1) uniformly spread over each [v_i, v_{i+1}].
        if (n == 1) return values[0];
        double sum = 0.0;
        for (std::size_t i = 0; i + 1 < n; ++i) sum += 0.5 * (values[i] + values[i + 1]);
        return sum / static_cast<double>(n - 1);
      }
      if (weights.empty()) {
        double sum = 0.0;
        for (double v : values) sum += v;
        return sum / static_cast<double>(n);
      }
      double sum = 0.0, total = 0.0;
      for (std::size_t i = 0; i < n && i < weights.size(); ++i) {
        sum += weights[i] * values[i];
        total += weights[i];
      }
      return total > 0.0 ? sum / total : 0.0;
    }
  }
  return 0.0;
}

Distribution Distribution::scaled(double factor) const {
  assert(factor > 0);
  Distribution d = *this;
  if (has_lo(d)) d.lo *= factor;
  if (has_hi(d)) d.hi *= factor;
  switch (kind) {
    case DistKind::lognormal:
      d.a += std::log(factor);  // ln(f X) = ln f + ln X: sigma unchanged
      break;
    case DistKind::empirical:
      for (double& v : d.values) v *= factor;
      break;
    default:  // constant, uniform, triangular, normal, exponential: a, b, c are in X's unit
      d.a *= factor;
      d.b *= factor;
      d.c *= factor;
      break;
  }
  return d;
}

namespace {

/// x with Phi((x - mean) / sd) = target, bisected inside [lo, hi] (finite: bounds of a
/// truncated normal whose mass there is at least 1%, see check()).
double normal_quantile_in(double mean, double sd, double lo, double hi, double target) {
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, std::fabs(lo) + std::fabs(hi)); ++i) {
    const double mid = 0.5 * (lo + hi);
    if (normal_cdf((mid - mean) / sd) < target)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

/// Median of the normal (mean, sd) truncated to [lo, hi] (bounds may be unbounded).
double truncated_normal_median(double mean, double sd, double lo, double hi) {
  if (!(sd > 0.0)) return std::clamp(mean, lo, hi);
  const double a = lo > -kUnbounded ? normal_cdf((lo - mean) / sd) : 0.0;
  const double b = hi < kUnbounded ? normal_cdf((hi - mean) / sd) : 1.0;
  if (a == 0.0 && b == 1.0) return mean;
  // Finite search interval: the bound, or 40 sd beyond the mean.
  const double l = lo > -kUnbounded ? lo : mean - 40.0 * sd;
  const double h = hi < kUnbounded ? hi : mean + 40.0 * sd;
  return normal_quantile_in(mean, sd, l, h, 0.5 * (a + b));
}

/// The smallest value a distribution can take (-inf when unbounded below).
double minimum_of(const Distribution& d) {
  switch (d.kind) {
    case DistKind::constant:
      return d.a;
    case DistKind::uniform:
    case DistKind::triangular:
      return d.a;
    case DistKind::normal:
      return has_lo(d) ? d.lo : -HUGE_VAL;
    case DistKind::lognormal:
      return has_lo(d) ? std::max(d.lo, 0.0) : 0.0;
    case DistKind::exponential:
      return exponential_shift(d);
    case DistKind::empirical:
      return d.values.empty() ? 0.0 : *std::min_element(d.values.begin(), d.values.end());
  }
  return -HUGE_VAL;
}

}  // namespace

double Distribution::median() const {
  switch (kind) {
    case DistKind::constant:
      return a;
    case DistKind::uniform:
      return 0.5 * (a + b);
    case DistKind::triangular: {
      // F(mode) = (mode - min) / (max - min); the median is on the side holding 1/2.
      const double width = b - a;
      if (!(width > 0.0)) return a;
      if (c - a >= 0.5 * width) return a + std::sqrt(0.5 * width * (c - a));
      return b - std::sqrt(0.5 * width * (b - c));
    }
    case DistKind::normal:
      return truncated_normal_median(a, b, lo, hi);
    case DistKind::lognormal: {
      const double llo = has_lo(*this) && lo > 0.0 ? std::log(lo) : -kUnbounded;
      const double lhi = has_hi(*this) ? std::log(hi) : kUnbounded;
      return std::exp(truncated_normal_median(a, b, llo, lhi));
    }
    case DistKind::exponential: {
      const double shift = exponential_shift(*this);
      return shift + (a - shift) * std::numbers::ln2;
    }
    case DistKind::empirical: {
      const std::size_t n = values.size();
      if (n == 0) return 0.0;
      if (interpolate) {
        if (n == 1) return values[0];
        const double pos = 0.5 * static_cast<double>(n - 1);
        const auto i = std::min(static_cast<std::size_t>(pos), n - 2);
        const double frac = pos - static_cast<double>(i);
        return values[i] + frac * (values[i + 1] - values[i]);
      }
      std::vector<std::size_t> order(n);
      for (std::size_t i = 0; i < n; ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t x, std::size_t y) { return values[x] < values[y]; });
      double total = 0.0;
      for (std::size_t i = 0; i < n; ++i) total += weights.empty() ? 1.0 : weights[i];
      double acc = 0.0;
      for (std::size_t i : order) {
        acc += weights.empty() ? 1.0 : weights[i];
        if (acc >= 0.5 * total) return values[i];
      }
      return values[order.back()];
    }
  }
  return a;
}

double Distribution::spread_cap() const {
  if (kind == DistKind::constant || kind == DistKind::lognormal) return HUGE_VAL;
  const double m = median();
  const double min = minimum_of(*this);
  if (!(min >= 0.0) || !(min < m)) return HUGE_VAL;
  return m / (m - min);
}

Distribution Distribution::with_spread(double factor) const {
  assert(factor > 0);
  const double f = std::min(factor, spread_cap());
  const double m = median();
  Distribution d = *this;
  const auto about = [&](double x) { return m + f * (x - m); };
  switch (kind) {
    case DistKind::constant:
      return d;
    case DistKind::lognormal: {
      const double lm = std::log(m);
      d.a = lm + f * (a - lm);
      d.b = f * b;
      if (has_lo(d) && lo > 0.0) d.lo = std::exp(lm + f * (std::log(lo) - lm));
      if (has_hi(d)) d.hi = std::exp(lm + f * (std::log(hi) - lm));
      return d;
    }
    case DistKind::uniform:
      d.a = about(a);
      d.b = about(b);
      return d;
    case DistKind::triangular:
      d.a = about(a);
      d.b = about(b);
      d.c = about(c);
      return d;
    case DistKind::normal:
      d.a = about(a);
      d.b = f * b;
      if (has_lo(d)) d.lo = about(lo);
      if (has_hi(d)) d.hi = about(hi);
      return d;
    case DistKind::exponential:
      d.lo = about(exponential_shift(*this));
      d.a = about(a);
      return d;
    case DistKind::empirical:
      for (double& v : d.values) v = about(v);
      return d;
  }
  return d;
}

std::string Distribution::check() const {
  const auto finite = [](double x) { return std::isfinite(x); };
  if (std::isnan(lo) || std::isnan(hi)) return "min and max must be numbers";
  switch (kind) {
    case DistKind::constant:
      if (!finite(a)) return "value must be finite";
      return "";
    case DistKind::uniform:
      if (!finite(a) || !finite(b)) return "min and max must be finite";
      if (!(a < b)) return "min must be less than max";
      return "";
    case DistKind::triangular:
      if (!finite(a) || !finite(b) || !finite(c)) return "min, mode and max must be finite";
      if (!(a < b)) return "min must be less than max";
      if (c < a || c > b) return "mode must lie between min and max";
      return "";
    case DistKind::normal:
    case DistKind::lognormal: {
      const bool normal = kind == DistKind::normal;
      if (!finite(a)) return normal ? "mean must be finite" : "mu must be finite";
      if (!finite(b) || !(b > 0.0))
        return normal ? "sd must be positive" : "sigma must be positive";
      if (!(lo < hi)) return "min must be less than max";
      if (!normal && !(hi > 0.0)) return "max must be positive for a lognormal";
      if (truncated_mass(*this) < kMinMass)
        return "min and max must keep at least 1% of the probability";
      return "";
    }
    case DistKind::exponential: {
      const double shift = exponential_shift(*this);
      if (!finite(a)) return "mean must be finite";
      if (!finite(shift)) return "min must be finite";
      if (!(a > shift)) return "mean must be greater than min";
      return "";
    }
    case DistKind::empirical: {
      if (values.empty()) return "values must not be empty";
      if (!std::all_of(values.begin(), values.end(), finite)) return "values must be finite";
      if (interpolate) {
        if (!weights.empty()) return "weights cannot be used with interpolate";
        if (!std::is_sorted(values.begin(), values.end()))
          return "values must be sorted ascending with interpolate";
        return "";
      }
      if (weights.empty()) return "";
      if (weights.size() != values.size()) return "weights must have one entry per value";
      double total = 0.0;
      for (double w : weights) {
        if (!finite(w) || w < 0.0) return "weights must be finite and not negative";
        total += w;
      }
      if (!(total > 0.0)) return "weights must have a positive sum";
      return "";
    }
  }
  return "unknown distribution kind";
}

// Marsaglia and Bray (1964), the polar method: a point uniform in the unit disc,
// s = u^2 + v^2, gives u sqrt(-2 ln s / s) ~ N(0, 1). The second value
// v sqrt(-2 ln s / s) is discarded so a draw's cost does not depend on call history.
double sample_standard_normal(Pcg32& rng) {
  for (;;) {
    const double u = 2.0 * rng.next_double() - 1.0;
    const double v = 2.0 * rng.next_double() - 1.0;
    const double s = u * u + v * v;
    if (s < 1.0 && s > 0.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

double sample(const Distribution& d, Pcg32& rng) {
  switch (d.kind) {
    case DistKind::constant:
      return d.a;
    case DistKind::uniform:
      return d.a + (d.b - d.a) * rng.next_double();
    case DistKind::triangular: {
      // Inverse CDF; F(mode) = (mode - min) / (max - min).
      const double u = rng.next_double();
      const double width = d.b - d.a;
      if (u * width < d.c - d.a) return d.a + std::sqrt(u * width * (d.c - d.a));
      return d.b - std::sqrt((1.0 - u) * width * (d.b - d.c));
    }
    case DistKind::normal:
      if (!(d.b > 0.0)) return std::clamp(d.a, d.lo, d.hi);
      return rejection(d, [&] { return d.a + d.b * sample_standard_normal(rng); });
    case DistKind::lognormal:
      if (!(d.b > 0.0)) return std::clamp(std::exp(d.a), d.lo, d.hi);
      return rejection(d, [&] { return std::exp(d.a + d.b * sample_standard_normal(rng)); });
    case DistKind::exponential: {
      // Inverse CDF of Exp(mean - shift); the open interval keeps log finite.
      const double shift = exponential_shift(d);
      return shift - (d.a - shift) * std::log(rng.next_double_open());
    }
    case DistKind::empirical: {
      const std::size_t n = d.values.size();
      assert(n > 0);
      if (d.interpolate) {
        // Piecewise-linear CDF through the sorted values, mass 1/(n-1) per interval.
        assert(std::is_sorted(d.values.begin(), d.values.end()));
        if (n == 1) return d.values[0];
        const double pos = rng.next_double() * static_cast<double>(n - 1);
        const auto i = std::min(static_cast<std::size_t>(pos), n - 2);
        const double frac = pos - static_cast<double>(i);
        return d.values[i] + frac * (d.values[i + 1] - d.values[i]);
      }
      if (d.weights.empty()) {
        assert(n <= UINT32_MAX);
        return d.values[rng.next_below(static_cast<std::uint32_t>(n))];
      }
      // One uniform against the running sum of weights; zero weights are never chosen.
      assert(d.weights.size() == n);
      double total = 0.0;
      for (double w : d.weights) total += w;
      const double target = rng.next_double() * total;
      double acc = 0.0;
      std::size_t last_positive = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (d.weights[i] <= 0.0) continue;
        acc += d.weights[i];
        last_positive = i;
        if (target < acc) return d.values[i];
      }
      return d.values[last_positive];  // target rounded up to total
    }
  }
  return d.a;
}

}  // namespace hqdrill
